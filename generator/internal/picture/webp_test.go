package picture

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"testing"

	"github.com/gen2brain/webp"
)

// TestWebPPixels: a picture handed to the encoder as rows gives the WebP
// the encoder makes when it converts the picture itself, for every kind
// of picture a copy can be, cut from a larger one or not.
func TestWebPPixels(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	noise := func(pix []byte) {
		for i := range pix {
			pix[i] = byte(r.IntN(256))
		}
	}
	pal := color.Palette{color.RGBA{0xf4, 0xf1, 0xea, 0xff}, color.RGBA{0x1d, 0x3a, 0x5f, 0xff}, color.NRGBA{0xc0, 0x30, 0x20, 0x80}, color.NRGBA{0, 0, 0, 0}}
	paletted := image.NewPaletted(image.Rect(0, 0, 37, 21), pal)
	for i := range paletted.Pix {
		paletted.Pix[i] = uint8(r.IntN(len(pal)))
	}
	opaque := image.NewPaletted(image.Rect(0, 0, 40, 30), pal[:2])
	for i := range opaque.Pix {
		opaque.Pix[i] = uint8(r.IntN(2))
	}
	ycc420 := image.NewYCbCr(image.Rect(0, 0, 33, 19), image.YCbCrSubsampleRatio420)
	ycc444 := image.NewYCbCr(image.Rect(0, 0, 24, 16), image.YCbCrSubsampleRatio444)
	for _, y := range []*image.YCbCr{ycc420, ycc444} {
		noise(y.Y)
		noise(y.Cb)
		noise(y.Cr)
	}
	rgba := image.NewRGBA(image.Rect(0, 0, 30, 20))
	noise(rgba.Pix)
	for i := 3; i < len(rgba.Pix); i += 4 {
		rgba.Pix[i] = 0xff
	}
	nrgba := image.NewNRGBA(image.Rect(0, 0, 30, 20))
	noise(nrgba.Pix)
	gray := image.NewGray(image.Rect(0, 0, 25, 25))
	noise(gray.Pix)
	cases := map[string]image.Image{
		"paletted":             paletted,
		"paletted opaque":      opaque,
		"paletted cut":         paletted.SubImage(image.Rect(3, 2, 30, 20)),
		"ycbcr 4:2:0":          ycc420,
		"ycbcr 4:2:0 cut":      ycc420.SubImage(image.Rect(1, 3, 30, 18)),
		"ycbcr 4:4:4":          ycc444,
		"rgba":                 rgba,
		"rgba cut":             rgba.SubImage(image.Rect(2, 2, 20, 15)),
		"nrgba":                nrgba,
		"nrgba cut":            nrgba.SubImage(image.Rect(5, 1, 25, 19)),
		"gray (left as it is)": gray,
	}
	for name, img := range cases {
		t.Run(name, func(t *testing.T) {
			// what the encoder made of it before: its own conversion, and
			// for an NRGBA cut, which it would misread, the rows copied
			var before image.Image = img
			if n, ok := img.(*image.NRGBA); ok && n.Stride != 4*n.Rect.Dx() {
				c := image.NewNRGBA(image.Rect(0, 0, n.Rect.Dx(), n.Rect.Dy()))
				draw.Draw(c, c.Rect, n, n.Rect.Min, draw.Src)
				before = c
			}
			var want bytes.Buffer
			if err := webp.Encode(&want, before, webp.Options{Quality: 80}); err != nil {
				t.Fatal(err)
			}
			got, err := EncodeWebP(img, 80)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("the WebP differs from the encoder's own conversion (%d bytes, want %d)", len(got), want.Len())
			}
		})
	}
}

// BenchmarkEncodeWebP encodes a 320×200 paletted drawing with paper
// grain (the bench corpus's pictures), handed over as rows and, for the
// comparison, as the encoder converted it itself.
func BenchmarkEncodeWebP(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	var pal color.Palette
	for _, c := range []color.RGBA{{0xf4, 0xf1, 0xea, 0xff}, {0x2b, 0x4c, 0x7e, 0xff}} {
		for shade := range uint8(4) {
			pal = append(pal, color.RGBA{c.R - shade*6, c.G - shade*6, c.B - shade*6, 0xff})
		}
	}
	img := image.NewPaletted(image.Rect(0, 0, 320, 200), pal)
	for i := range img.Pix {
		img.Pix[i] = uint8(4*((i/320/50+i%320/80)%2) + r.IntN(4))
	}
	b.Run("rows", func(b *testing.B) {
		for b.Loop() {
			if _, err := EncodeWebP(img, 80); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("converted-by-encoder", func(b *testing.B) {
		for b.Loop() {
			if err := webp.Encode(new(bytes.Buffer), img, webp.Options{Quality: 80}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
