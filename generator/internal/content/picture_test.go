package content

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/otpress/otpress/generator/internal/picture/picturetest"
)

// encoded is a w×h picture in one of the standard library's formats.
func encoded(t testing.TB, format string, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withOrientation puts an EXIF block saying orientation o (in the byte
// order bo) at the head of a JPEG, where cameras write it, followed by pad
// bytes (where a camera puts its thumbnail).
func withOrientation(jpg []byte, bo interface {
	binary.ByteOrder
	binary.AppendByteOrder
}, o uint16, pad int) []byte {
	tiff := []byte("II*\x00")
	if bo == binary.BigEndian {
		tiff = []byte("MM\x00*")
	}
	tiff = bo.AppendUint32(tiff, 8)      // the first directory, straight after
	tiff = bo.AppendUint16(tiff, 2)      // two entries:
	tiff = bo.AppendUint16(tiff, 0x010F) // the camera's maker, first
	tiff = bo.AppendUint16(tiff, 2)
	tiff = bo.AppendUint32(tiff, 4)
	tiff = append(tiff, "Cam\x00"...)
	tiff = bo.AppendUint16(tiff, 0x0112) // then Orientation, a SHORT
	tiff = bo.AppendUint16(tiff, 3)
	tiff = bo.AppendUint32(tiff, 1)
	tiff = bo.AppendUint16(tiff, o)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0) // padding, no next directory
	tiff = append(tiff, make([]byte, pad)...)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1}
	out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// webpLossless is the head of a lossless WebP of w×h pixels: enough for
// its size, as a browser reads it.
func webpLossless(w, h int) []byte {
	bits := uint32(w-1) | uint32(h-1)<<14
	chunk := binary.LittleEndian.AppendUint32([]byte{0x2f}, bits)
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(4+8+len(chunk)+1))
	out = append(out, "WEBPVP8L"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(chunk)))
	return append(append(out, chunk...), 0)
}

func TestPictureSize(t *testing.T) {
	jpg := encoded(t, "jpeg", 30, 20)
	tests := []struct {
		name    string
		data    []byte
		w, h    int
		wantErr string
	}{
		{"a.png", encoded(t, "png", 640, 480), 640, 480, ""},
		{"a.gif", encoded(t, "gif", 12, 34), 12, 34, ""},
		{"a.jpg", jpg, 30, 20, ""},
		// a phone photo stored on its side and marked to turn a quarter
		{"turned.jpg", withOrientation(jpg, binary.LittleEndian, 6, 0), 20, 30, ""},
		{"turned-mm.jpeg", withOrientation(jpg, binary.BigEndian, 8, 0), 20, 30, ""},
		// a thumbnail of 40 KB before the frame header: read on past the head
		{"thumbnail.jpg", withOrientation(jpg, binary.LittleEndian, 6, 40<<10), 20, 30, ""},
		{"upside-down.jpg", withOrientation(jpg, binary.BigEndian, 3, 0), 30, 20, ""},
		// named for the wrong format: the browser goes by the bytes
		{"really-png.jpg", encoded(t, "png", 5, 7), 5, 7, ""},
		{"a.webp", webpLossless(1600, 900), 1600, 900, ""},
		{"a.svg", []byte(`<?xml version="1.0"?><!-- drawn by hand --><svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect/></svg>`), 320, 180, ""},
		{"long-preamble.svg", []byte("<?xml version=\"1.0\"?>\n<!--" + strings.Repeat(" drawn by hand", 1000) + " -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"48\"/>"), 64, 48, ""},
		{"viewbox.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"/>`), 200, 100, ""},
		{"width-and-viewbox.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="50px" viewBox="0,0,200,100"/>`), 50, 25, ""},
		{"inches.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="2in" height="1in"/>`), 192, 96, ""},
		{"fills-its-box.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%"/>`), 0, 0, ""},
		{"ems.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="2em" height="1em" viewBox="0 0 20 10"/>`), 20, 10, ""},
		{"nan.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="NaN" height="Inf"/>`), 0, 0, ""},
		// a format browsers show but this does not read: no size, no error
		{"a.avif", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), 0, 0, ""},
		{"avif-named.jpg", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), 0, 0, ""},
		{"a.bmp", []byte("BM\x00\x00"), 0, 0, ""},
		// formats most browsers do not show
		{"IMG_0042.HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), 0, 0, "a HEIC picture (as phones save them), which only Safari shows"},
		{"heic-named.jpg", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), 0, 0, "a HEIC picture"},
		{"scan.tif", []byte("II*\x00\x08\x00\x00\x00"), 0, 0, "a TIFF picture, which only Safari shows"},
		// a web page saved under a picture's name, and an empty file
		{"saved.jpg", []byte("<!DOCTYPE html><title>Not found</title>"), 0, 0, "its name says JPG, but it is not a picture in any format browsers show"},
		{"empty.png", nil, 0, 0, "its name says PNG, but it is not a picture"},
		{"cut-short.png", encoded(t, "png", 64, 64)[:20], 0, 0, "the file ends too soon"},
		// a few bytes that claim 10 gigapixels
		{"bomb.png", picturetest.PNGHeader(100000, 100000), 0, 0, "it says it is 100000 by 100000 pixels (10000 megapixels), more than a browser or otpress opens (120)"},
		{"not-svg.svg", []byte(`<html><body>a web page</body></html>`), 0, 0, "its first element is <html>"},
		{"broken.svg", []byte(`<svg width="10`), 0, 0, "not an SVG picture"},
	}
	fsys := fstest.MapFS{}
	for _, tt := range tests {
		fsys[tt.name] = &fstest.MapFile{Data: tt.data}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h, err := PictureSize(fsys, tt.name)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w != tt.w || h != tt.h {
				t.Errorf("size = %d×%d, want %d×%d", w, h, tt.w, tt.h)
			}
		})
	}
	if _, _, err := PictureSize(fsys, "missing.png"); err == nil {
		t.Error("a missing file: no error")
	}
}

// FuzzPictureSize feeds any bytes to the readers, as JPEG (the EXIF walk)
// and as SVG: no panic, and a size is both sides or neither.
func FuzzPictureSize(f *testing.F) {
	jpg := encoded(f, "jpeg", 3, 2)
	f.Add(withOrientation(jpg, binary.LittleEndian, 6, 0))
	f.Add(withOrientation(jpg, binary.BigEndian, 5, 0)[:40])
	f.Add([]byte(`<svg width="3cm" viewBox="0 0 3 2"/>`))
	f.Add(webpLossless(3, 2))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"x.jpg", "x.svg"} {
			w, h, err := PictureSize(fstest.MapFS{name: {Data: data}}, name)
			if err == nil && (w < 0 || h < 0 || (w == 0) != (h == 0)) {
				t.Fatalf("%s: size %d×%d", name, w, h)
			}
		}
	})
}
