// Package picturetest makes pictures for tests: photo-like JPEGs with
// the EXIF blocks phones write (an orientation, a position), built from
// nothing, so no one's photo is needed.
package picturetest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"math"
)

// Photo is a w×h JPEG: soft colour bands with fine grain, like a photo
// out of focus, a red block in its top-left corner (to see which way up
// it is shown), and an EXIF block with the orientation and, if gps, a
// position.
func Photo(w, h, orientation int, gps bool) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			grain := float64((x*7919+y*104729)%23) - 11
			c := color.RGBA{
				uint8(120 + 80*math.Sin(fx*9+fy*3) + grain),
				uint8(140 + 60*math.Cos(fy*7-fx*2) + grain),
				uint8(90 + 50*math.Sin((fx+fy)*13) + grain),
				255,
			}
			if x < w/4 && y < h/4 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	return WithExif(buf.Bytes(), orientation, gps)
}

// WithExif puts an APP1 EXIF segment after a JPEG's SOI: IFD0 with the
// orientation and, if gps, a GPS directory with a latitude.
func WithExif(j []byte, orientation int, gps bool) []byte {
	le := binary.LittleEndian
	var t bytes.Buffer
	t.WriteString("II*\x00")
	binary.Write(&t, le, uint32(8))
	n := uint16(1)
	if gps {
		n = 2
	}
	binary.Write(&t, le, n)
	binary.Write(&t, le, []uint16{0x0112, 3}) // orientation: SHORT, count 1
	binary.Write(&t, le, uint32(1))
	binary.Write(&t, le, []uint16{uint16(orientation), 0})
	gpsAt := uint32(8 + 2 + 12*int(n) + 4)
	if gps {
		binary.Write(&t, le, []uint16{0x8825, 4})
		binary.Write(&t, le, uint32(1))
		binary.Write(&t, le, gpsAt)
	}
	binary.Write(&t, le, uint32(0)) // no next IFD
	if gps {
		binary.Write(&t, le, uint16(1))
		binary.Write(&t, le, []uint16{0x0001, 2}) // GPSLatitudeRef, ASCII "N"
		binary.Write(&t, le, uint32(2))
		t.WriteString("N\x00\x00\x00")
		binary.Write(&t, le, uint32(0))
	}
	return WithSegment(j, 0xe1, append([]byte("Exif\x00\x00"), t.Bytes()...))
}

// WithSegment puts a segment (an APPn marker, or 0xfe for a comment)
// after a JPEG's SOI.
func WithSegment(j []byte, marker byte, body []byte) []byte {
	seg := []byte{0xff, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(body)+2))
	out := append([]byte{}, j[:2]...)
	out = append(append(out, seg...), body...)
	return append(out, j[2:]...)
}

// PNGHeader is the head of a PNG that says it is w×h pixels, with no
// image data: what a "decompression bomb" starts with.
func PNGHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	binary.Write(&b, binary.BigEndian, uint32(13))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}
