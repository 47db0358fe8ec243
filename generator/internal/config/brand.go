package config

import (
	"fmt"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/otpress/otpress/generator/internal/diag"
)

// BandText is the colour of the text on the header band, drawn in the
// site's brand colour.
const BandText = "#ffffff"

// MinBrandContrast is the least contrast a brand colour may have against
// BandText (WCAG 2.2 AA for text, 1.4.3).
const MinBrandContrast = 4.5

var hexColour = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// Contrast is the WCAG contrast ratio of two colours written #rrggbb or
// #rgb: 1 (the same) to 21 (black on white).
func Contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func rgb(hex string) [3]float64 {
	hex = strings.TrimPrefix(hex, "#")
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	var c [3]float64
	for i := range 3 {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		c[i] = float64(v) / 255
	}
	return c
}

func luminance(hex string) float64 {
	c := rgb(hex)
	for i, s := range c {
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

// darkerPassing is the colour nearest c, of the same hue, darkened step by
// step until BandText on it reaches MinBrandContrast.
func darkerPassing(c string) string {
	v := rgb(c)
	for f := 1.0; f > 0; f -= 0.002 {
		s := fmt.Sprintf("#%02x%02x%02x", int(math.Round(v[0]*f*255)), int(math.Round(v[1]*f*255)), int(math.Round(v[2]*f*255)))
		if Contrast(s, BandText) >= MinBrandContrast {
			return s
		}
	}
	return "#000000"
}

// ratio writes a contrast ratio rounded down, so a colour just short of
// 4.5:1 never reads as 4.5:1.
func ratio(c float64) string {
	return strconv.FormatFloat(math.Floor(c*100)/100, 'f', 2, 64) + ":1"
}

// logoTypes are the picture formats a logo may be in.
var logoTypes = map[string]bool{".svg": true, ".png": true, ".jpg": true, ".jpeg": true, ".webp": true, ".avif": true}

// checkBrand checks brand_colour (a colour the header's white text reads
// on) and logo (a picture's site path; that the file exists is checked
// with the static files).
func (s *Site) checkBrand(at func(string) (int, int)) []*diag.Problem {
	var out []*diag.Problem
	if c := s.BrandColour; c != "" {
		l, col := at("brand_colour")
		switch {
		case !hexColour.MatchString(c):
			out = append(out, diag.Errorf(File, l, col, "brand_colour %q is not a colour written #rrggbb", c).
				WithHint(`write it as six hexadecimal digits, e.g. brand_colour = "#005a70"`))
		case Contrast(c, BandText) < MinBrandContrast:
			pass := darkerPassing(c)
			out = append(out, diag.Errorf(File, l, col, "brand_colour %q is %s against the header's white text; text needs at least %.1f:1 to be read", c, ratio(Contrast(c, BandText)), MinBrandContrast).
				WithHint(`use a darker shade: brand_colour = "%s" keeps the hue and reaches %s`, pass, ratio(Contrast(pass, BandText))))
		default:
			s.BrandColour = strings.ToLower(c)
		}
	}
	if lg := s.Logo; lg != "" {
		l, col := at("logo")
		switch {
		case !strings.HasPrefix(lg, "/") || strings.Contains(lg, "://") || strings.Contains(lg, ".."):
			out = append(out, diag.Errorf(File, l, col, "logo %q is not a path on the site", lg).
				WithHint(`put the picture in static/ and give its path from the site's root, e.g. logo = "/logo.svg" for static/logo.svg`))
		case !logoTypes[strings.ToLower(path.Ext(lg))]:
			out = append(out, diag.Errorf(File, l, col, "logo %q is not a picture otpress can show in the header", lg).
				WithHint("use an SVG, PNG, JPEG, WebP or AVIF file; SVG stays sharp at every size"))
		}
	}
	return out
}
