package content

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // the formats PictureSize reads, beside WebP and SVG
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/otpress/otpress/generator/internal/picture"
	_ "golang.org/x/image/webp"
)

// PictureSize reads the size a browser shows a picture at, in CSS pixels,
// from the head of its file, for the width and height attributes that let
// a page keep the picture's room before it arrives (so text does not jump
// under a reader's finger or magnifier). It reads JPEG (turned as its EXIF
// orientation says, as browsers do), PNG, GIF and WebP, and SVG from its
// width and height or else its viewBox. Other formats browsers show
// (AVIF), and an SVG that gives no size, give 0, 0 and no error; a file in
// a known format that cannot be read, one that browsers do not show (HEIC,
// TIFF) and one named .png, .jpg and so on that is not a picture give an
// error that says so.
func PictureSize(fsys fs.FS, name string) (w, h int, err error) {
	f, err := fsys.Open(name)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.IsDir() {
		return 0, 0, cmp.Or(err, fs.ErrNotExist) // a folder is no picture
	}
	// The head holds the size of PNG, GIF and WebP, and a JPEG's EXIF
	// orientation (cameras write it before the thumbnail); the readers go
	// on into the file only when they need to (a JPEG's frame header after
	// a large thumbnail, an SVG's root after a long preamble).
	head := make([]byte, 8<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return 0, 0, err
	}
	head = head[:n]
	rest := io.MultiReader(bytes.NewReader(head), f)
	if strings.EqualFold(path.Ext(name), ".svg") {
		return svgSize(rest)
	}
	cfg, format, err := image.DecodeConfig(rest)
	switch {
	case errors.Is(err, image.ErrFormat):
		return 0, 0, otherFormat(name, head)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return 0, 0, errors.New("the file ends too soon, as if cut short in copying")
	case err != nil:
		return 0, 0, err
	case cfg.Width <= 0 || cfg.Height <= 0:
		return 0, 0, fmt.Errorf("it says it is %d by %d pixels", cfg.Width, cfg.Height)
	case int64(cfg.Width)*int64(cfg.Height) > picture.MaxPixels:
		// a "decompression bomb": a small file that takes gigabytes to open
		return 0, 0, fmt.Errorf("it says it is %d by %d pixels (%d megapixels), more than a browser or otpress opens (%d)", cfg.Width, cfg.Height, int64(cfg.Width)*int64(cfg.Height)/1_000_000, picture.MaxPixels/1_000_000)
	}
	if format == "jpeg" && picture.Orientation(head) >= 5 { // a quarter turn: width and height swap
		return cfg.Height, cfg.Width, nil
	}
	return cfg.Width, cfg.Height, nil
}

// otherFormat says whether a picture this does not read will show: a
// format browsers show (AVIF, BMP, an icon) is fine, without a size here;
// HEIC (from phones) and TIFF show only in Safari; and a file named as a
// format read here whose bytes are none of them is not a picture.
func otherFormat(name string, head []byte) error {
	ext := strings.ToLower(path.Ext(name))
	if len(head) >= 12 && string(head[4:8]) == "ftyp" { // an ISO media file: AVIF or HEIC
		switch string(head[8:12]) {
		case "heic", "heix", "heim", "heis", "hevc", "hevm", "hevs", "hevx":
			ext = ".heic"
		case "avif", "avis":
			return nil
		}
	}
	switch ext {
	case ".heic", ".heif":
		return errors.New("it is a HEIC picture (as phones save them), which only Safari shows")
	case ".tif", ".tiff":
		return errors.New("it is a TIFF picture, which only Safari shows")
	case ".png", ".jpg", ".jpeg", ".gif", ".webp":
		return fmt.Errorf("its name says %s, but it is not a picture in any format browsers show", strings.ToUpper(ext[1:]))
	}
	return nil
}

// svgSize reads the size of an SVG's root element: its width and height
// in user units (px) or absolute units, or else the proportions of its
// viewBox, scaled to a width or height it gives. An SVG sized in % or em
// (it fills whatever holds it) and without a viewBox has no size of its own.
func svgSize(r io.Reader) (w, h int, err error) {
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err != nil {
			return 0, 0, fmt.Errorf("it is not an SVG picture: %v", err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue // the XML declaration, comments, a doctype
		}
		if el.Name.Local != "svg" {
			return 0, 0, fmt.Errorf("it is not an SVG picture: its first element is <%s>, not <svg>", el.Name.Local)
		}
		var width, height, vw, vh float64
		for _, a := range el.Attr {
			switch a.Name.Local {
			case "width":
				width = svgLength(a.Value)
			case "height":
				height = svgLength(a.Value)
			case "viewBox":
				f := strings.FieldsFunc(a.Value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
				if len(f) == 4 {
					vw, _ = strconv.ParseFloat(f[2], 64)
					vh, _ = strconv.ParseFloat(f[3], 64)
				}
			}
		}
		if vw > 0 && vh > 0 {
			switch {
			case width == 0 && height == 0:
				width, height = vw, vh
			case height == 0:
				height = width * vh / vw
			case width == 0:
				width = height * vw / vh
			}
		}
		if width < 0.5 || height < 0.5 || width > 1e6 || height > 1e6 {
			return 0, 0, nil
		}
		return int(math.Round(width)), int(math.Round(height)), nil
	}
}

// svgLength is an SVG width or height in CSS pixels, or 0 for a relative
// length (%, em) or one that is not a positive number.
func svgLength(s string) float64 {
	s = strings.TrimSpace(s)
	unit := ""
	for _, u := range []string{"px", "pt", "pc", "in", "cm", "mm", "em", "ex", "%"} {
		if strings.HasSuffix(s, u) {
			unit = u
			break
		}
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, unit)), 64)
	if err != nil || !(n > 0) || math.IsInf(n, 0) {
		return 0
	}
	return n * svgUnits[unit] // 0 for em, ex and %
}

// svgUnits are the CSS pixels in each absolute unit.
var svgUnits = map[string]float64{"": 1, "px": 1, "pt": 4.0 / 3, "pc": 16, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4}
