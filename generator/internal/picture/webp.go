package picture

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"

	"github.com/gen2brain/webp"
)

// EncodeWebP encodes a lossy WebP with libwebp (compiled to WebAssembly,
// so no C compiler is needed; a system libwebp when one is installed).
// It writes no metadata.
func EncodeWebP(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	if err := webp.Encode(&buf, webpPixels(img), webp.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// webpPixels is img in a form the encoder takes as it is: 8-bit RGBA
// rows with no gap between them. The encoder turns anything else into
// that itself, a pixel at a time through color.Color.
func webpPixels(img image.Image) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := img.(type) {
	case *image.RGBA:
		if m.Stride == 4*w {
			return m
		}
	case *image.NRGBA:
		if m.Stride == 4*w {
			return m
		}
		dst := image.NewNRGBA(image.Rect(0, 0, w, h)) // the encoder would read the gaps
		draw.Draw(dst, dst.Rect, m, b.Min, draw.Src)
		return dst
	case *image.Paletted:
		return unpalette(m)
	case *image.YCbCr: // opaque: RGBA and NRGBA are the same
		return rgba(m)
	}
	return img
}

// unpalette is a paletted picture's pixels as NRGBA, each looked up once
// in a table of its palette; image/draw and the encoders read a paletted
// picture a pixel at a time through color.Color instead.
func unpalette(m *image.Paletted) *image.NRGBA {
	var lut [256]color.NRGBA
	for i, c := range m.Palette {
		lut[i] = color.NRGBAModel.Convert(c).(color.NRGBA)
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+w]
		out := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x, v := range row {
			c := lut[v]
			out[4*x], out[4*x+1], out[4*x+2], out[4*x+3] = c.R, c.G, c.B, c.A
		}
	}
	return dst
}
