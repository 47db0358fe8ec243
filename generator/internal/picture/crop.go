package picture

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // copies of PNG pictures
)

// OGWidth and OGHeight are the size link previews ask for (1.91:1).
const (
	OGWidth  = 1200
	OGHeight = 630
)

// OGSize is the size of a picture's crop for link previews from a copy
// w pixels wide: 1200×630, or as wide as the copy when it is narrower.
func OGSize(w int) (int, int) {
	w = min(w, OGWidth)
	return w, max(1, (w*OGHeight+OGWidth/2)/OGWidth)
}

// Crop cuts a copy of a picture (JPEG or PNG, turned already) to w×h's
// shape around the point fx, fy (0 to 1, across and down), keeping as
// much of it as that shape allows, scales it to w×h and gives it as a
// JPEG at quality.
func Crop(data []byte, w, h int, fx, fy float64, quality int) ([]byte, error) {
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("no crop of %d×%d", w, h)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, fmt.Errorf("%d×%d pixels is over the %d a copy may have", cfg.Width, cfg.Height, MaxPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	cw, ch := b.Dx(), b.Dy()
	if cw*h > ch*w { // wider than the crop: cut the sides
		cw = max(1, ch*w/h)
	} else {
		ch = max(1, cw*h/w)
	}
	at := func(f float64, whole, part int) int {
		return min(max(int(f*float64(whole))-part/2, 0), whole-part)
	}
	r := image.Rect(0, 0, cw, ch).Add(b.Min).Add(image.Pt(at(fx, b.Dx(), cw), at(fy, b.Dy(), ch)))
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return nil, fmt.Errorf("a %T cannot be cut", img)
	}
	out := scale(sub.SubImage(r), w, h)
	if p, ok := out.(*image.Paletted); ok && p.Opaque() {
		// the encoder reads RGBA rows as they are, anything else a pixel
		// at a time; opaque, NRGBA's bytes are RGBA's
		n := unpalette(p)
		out = &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
