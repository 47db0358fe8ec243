package picture

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// TestCrop: a crop keeps the part of the picture around its focus, at
// the size asked, from a wide or a tall picture alike.
func TestCrop(t *testing.T) {
	halves := func(w, h int) []byte { // top half red, bottom half blue
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				c := color.RGBA{0xff, 0, 0, 0xff}
				if y >= h/2 {
					c = color.RGBA{0, 0, 0xff, 0xff}
				}
				img.SetRGBA(x, y, c)
			}
		}
		var b bytes.Buffer
		jpeg.Encode(&b, img, &jpeg.Options{Quality: 95})
		return b.Bytes()
	}
	redRows := func(data []byte) (int, image.Rectangle) {
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			if r, _, b, _ := img.At(img.Bounds().Dx()/2, y).RGBA(); r > b {
				n++
			}
		}
		return n, img.Bounds()
	}
	for _, c := range []struct {
		w, h   int     // the picture
		fy     float64 // focus down
		ow, oh int
		red    int // red rows of the crop, about
	}{
		{1200, 800, 0, 1200, 630, 400},   // the top kept: all 400 red rows
		{1200, 800, 1, 1200, 630, 230},   // the bottom: 630 of 800 rows from 170
		{1200, 800, 0.5, 1200, 630, 315}, // the middle
		{800, 1200, 0, 800, 420, 420},    // tall, the top: all red
		{800, 1200, 1, 800, 420, 0},      // the bottom: all blue
		{600, 400, 0.5, 600, 315, 158},   // narrower than 1200: its own width
	} {
		ow, oh := OGSize(c.w)
		if ow != c.ow || oh != c.oh {
			t.Errorf("OGSize(%d) = %d×%d, want %d×%d", c.w, ow, oh, c.ow, c.oh)
		}
		out, err := Crop(halves(c.w, c.h), ow, oh, 0.5, c.fy, 85)
		if err != nil {
			t.Fatal(err)
		}
		red, b := redRows(out)
		if b.Dx() != c.ow || b.Dy() != c.oh || red < c.red-4 || red > c.red+4 {
			t.Errorf("%d×%d at %.1f down: %v with %d red rows, want %d×%d with about %d", c.w, c.h, c.fy, b, red, c.ow, c.oh, c.red)
		}
	}
	if _, err := Crop([]byte("not a picture"), 1200, 630, 0.5, 0.5, 80); err == nil {
		t.Error("no error for a file that is no picture")
	}
}

// TestCropPaletted: a crop of a paletted PNG (as copies of drawings are)
// is the JPEG the encoder makes of those pixels read one at a time,
// opaque or not, cut or whole.
func TestCropPaletted(t *testing.T) {
	for _, pal := range []color.Palette{
		{color.RGBA{0xf4, 0xf1, 0xea, 0xff}, color.RGBA{0x2b, 0x4c, 0x7e, 0xff}, color.RGBA{0xc4, 0x45, 0x36, 0xff}},
		{color.RGBA{0xf4, 0xf1, 0xea, 0xff}, color.NRGBA{0x2b, 0x4c, 0x7e, 0x80}, color.NRGBA{0, 0, 0, 0}},
	} {
		img := image.NewPaletted(image.Rect(0, 0, 320, 200), pal)
		for i := range img.Pix {
			img.Pix[i] = uint8((i/7 + i/320) % len(pal))
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		for _, want := range []image.Rectangle{img.Rect, image.Rect(0, 0, 320, 168)} {
			got, err := Crop(b.Bytes(), want.Dx(), want.Dy(), 0.5, 0, 80)
			if err != nil {
				t.Fatal(err)
			}
			var direct bytes.Buffer
			if err := jpeg.Encode(&direct, img.SubImage(want), &jpeg.Options{Quality: 80}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, direct.Bytes()) {
				t.Errorf("opaque %v, %v: the crop's JPEG differs from the encoder's own reading (%d bytes, want %d)", img.Opaque(), want, len(got), direct.Len())
			}
		}
	}
}
