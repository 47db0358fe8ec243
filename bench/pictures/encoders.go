package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	stddraw "image/draw"
	"image/jpeg"
	"io"

	gwebp "github.com/gen2brain/webp"
	"golang.org/x/image/webp"
)

// encoder is one way to write a picture at a quality.
type encoder struct {
	name   string
	encode func(w io.Writer, m image.Image, q int) error
	decode func(r io.Reader) (image.Image, error)
}

// webpPath says which libwebp gen2brain/webp runs: a system libwebp.so
// through purego when one is found (libwebp-dev's unversioned names), else
// its own libwebp 1.4.0 compiled to WASM, run by wazero.
func webpPath() string {
	if err := gwebp.Dynamic(); err != nil {
		return "wasm"
	}
	return "dynamic"
}

func encoders(method int) []encoder {
	return []encoder{
		{
			name: "jpeg",
			encode: func(w io.Writer, m image.Image, q int) error {
				return jpeg.Encode(w, m, &jpeg.Options{Quality: q})
			},
			decode: jpeg.Decode,
		},
		{
			name: "webp",
			encode: func(w io.Writer, m image.Image, q int) error {
				return gwebp.Encode(w, m, gwebp.Options{Quality: q, Method: method})
			},
			// x/image/webp reads it back: what the pipeline would use to
			// read a WebP an author supplies, and a check that the output
			// is a plain VP8 file any decoder takes.
			decode: func(r io.Reader) (image.Image, error) {
				m, err := webp.Decode(r)
				if y, ok := m.(*image.YCbCr); ok {
					return vp8RGBA(y), err
				}
				return m, err
			},
		},
	}
}

func toRGBA(m image.Image) *image.RGBA {
	if r, ok := m.(*image.RGBA); ok {
		return r
	}
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	stddraw.Draw(out, out.Rect, m, b.Min, stddraw.Src)
	return out
}

// riffChunks lists the chunks of a WebP file: a file with metadata has
// VP8X and EXIF, XMP or ICCP chunks, a plain lossy one only "VP8 ".
func riffChunks(b []byte) ([]string, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, fmt.Errorf("not a RIFF WEBP file")
	}
	var out []string
	for p := 12; p+8 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[p+4:]))
		out = append(out, fmt.Sprintf("%q %d B", string(b[p:p+4]), n))
		p += 8 + n + n&1
	}
	return out, nil
}

// jpegMarkers lists the markers of a JPEG file up to the scan: APPn
// segments would carry EXIF, XMP or ICC.
func jpegMarkers(b []byte) []string {
	var out []string
	for p := 2; p+4 <= len(b) && b[p] == 0xFF; {
		m := b[p+1]
		n := int(binary.BigEndian.Uint16(b[p+2:]))
		out = append(out, fmt.Sprintf("FF%02X", m))
		if m == 0xDA {
			break
		}
		p += 2 + n
	}
	return out
}

func encodeBytes(e encoder, m image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	err := e.encode(&buf, m, q)
	return buf.Bytes(), err
}

// vp8RGBA converts a lossy WebP's planes as libwebp and browsers do: VP8
// codes BT.601 in studio range (Y 16–235), but x/image/webp hands the
// planes back as an image.YCbCr, which Go reads as full-range JFIF, so
// drawn as is the picture comes out flatter and lighter. Chroma is taken
// nearest, as Go's JPEG path does.
func vp8RGBA(m *image.YCbCr) *image.RGBA {
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			yy := 1.164 * (float64(m.Y[m.YOffset(x, y)]) - 16)
			ci := m.COffset(x, y)
			u, v := float64(m.Cb[ci])-128, float64(m.Cr[ci])-128
			i := out.PixOffset(x-b.Min.X, y-b.Min.Y)
			out.Pix[i] = clamp(yy + 1.596*v)
			out.Pix[i+1] = clamp(yy - 0.391*u - 0.813*v)
			out.Pix[i+2] = clamp(yy + 2.018*u)
			out.Pix[i+3] = 255
		}
	}
	return out
}
