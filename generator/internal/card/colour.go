package card

import (
	"image/color"
	"math"
)

// The text colours a card chooses between: white, or a near-black that is
// softer on a light colour than black.
var (
	White     = color.RGBA{0xff, 0xff, 0xff, 0xff}
	NearBlack = color.RGBA{0x11, 0x11, 0x11, 0xff}
	black     = color.RGBA{0x00, 0x00, 0x00, 0xff}
)

// MinContrast is the least contrast of the text against the brand colour
// (WCAG 2.2 AA for text, 1.4.3).
const MinContrast = 4.5

// TextColour is the colour of a card's text on brand: white or near-black,
// whichever reads better, and black for the few mid-tones on which neither
// reaches MinContrast (black always does where white does not).
func TextColour(brand color.RGBA) color.RGBA {
	brand.A = 0xff
	w, n := Contrast(brand, White), Contrast(brand, NearBlack)
	switch {
	case w >= n && w >= MinContrast:
		return White
	case n >= MinContrast:
		return NearBlack
	}
	return black
}

// ParseHex reads a colour written #rrggbb or #rgb, as site.toml's
// brand_colour is.
func ParseHex(s string) (color.RGBA, bool) {
	if len(s) == 4 && s[0] == '#' {
		s = string([]byte{'#', s[1], s[1], s[2], s[2], s[3], s[3]})
	}
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{}, false
	}
	var v [3]uint8
	for i := range 3 {
		hi, ok1 := hexDigit(s[1+2*i])
		lo, ok2 := hexDigit(s[2+2*i])
		if !ok1 || !ok2 {
			return color.RGBA{}, false
		}
		v[i] = hi<<4 | lo
	}
	return color.RGBA{v[0], v[1], v[2], 0xff}, true
}

func hexDigit(c byte) (uint8, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Contrast is the WCAG contrast ratio of two opaque colours, 1 to 21.
func Contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.RGBA) float64 {
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}
