package content

import (
	"bytes"
	"cmp"
	"encoding/binary"
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
	}
	if format == "jpeg" && exifTurned(head) {
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

// exifTurned reports whether a JPEG's EXIF orientation (5 to 8) has the
// picture shown a quarter turn from how it is stored, so that its width
// and height swap. It looks only in the head of the file, where the EXIF
// block is; a missing or damaged block means no turn.
func exifTurned(jpeg []byte) bool {
	if len(jpeg) < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 {
		return false
	}
	for i := 2; i+4 <= len(jpeg) && jpeg[i] == 0xFF; {
		marker := jpeg[i+1]
		size := int(binary.BigEndian.Uint16(jpeg[i+2:]))
		if marker == 0xDA || size < 2 { // the picture data: no metadata after it
			return false
		}
		end := min(i+2+size, len(jpeg))
		if seg := jpeg[i+4 : end]; marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			o := tiffOrientation(seg[6:])
			return o >= 5 && o <= 8
		}
		i += 2 + size
	}
	return false
}

// tiffOrientation finds tag 0x0112 (Orientation) in the first directory of
// an EXIF block's TIFF data, or gives 0.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 0
	}
	count := int(bo.Uint16(t[ifd:]))
	for e := ifd + 2; e+12 <= len(t) && count > 0; e, count = e+12, count-1 {
		if bo.Uint16(t[e:]) == 0x0112 {
			return int(bo.Uint16(t[e+8:])) // a SHORT, first in its value field
		}
	}
	return 0
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
