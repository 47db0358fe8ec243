package card

import (
	"bytes"
	"crypto/sha256"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // logos
	_ "image/png"
	"sync"

	xdraw "golang.org/x/image/draw"
)

// decodeLogo reads a PNG or JPEG logo, or gives nil for none, another
// format, a file that cannot be read, or one whose header gives more than
// MaxLogoPixels (which is not decoded at all).
func decodeLogo(b []byte) image.Image {
	if len(b) == 0 {
		return nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || (format != "png" && format != "jpeg") {
		return nil
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxLogoPixels {
		return nil
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	return img
}

// tile is a logo on its white rounded tile, over the brand colour, as tall
// as the footer and at least square. The white keeps a dark or a coloured
// logo visible on any brand colour.
type tile struct {
	rgb *image.RGBA
	// pal is rgb in the card's palette, the steps from brand to text
	// colour first, or nil when its colours do not fit in 256.
	pal *image.Paletted
}

// logoCache keeps the last logo's tile, by its bytes' hash and the brand
// colour: a site's cards all show the same one, and decoding and scaling
// it costs more than the rest of a card.
var logoCache struct {
	sync.Mutex
	sum   [32]byte
	brand color.RGBA
	tile  *tile // nil: the logo is not used
}

// logoTile is the tile of the logo in b on brand, whose text is ink, or
// nil.
func (d *drawer) logoTile(b []byte, brand, ink color.RGBA) *tile {
	if len(b) == 0 {
		return nil
	}
	sum := sha256.Sum256(b)
	logoCache.Lock()
	defer logoCache.Unlock()
	if logoCache.sum == sum && logoCache.brand == brand {
		return logoCache.tile
	}
	var t *tile
	if logo := decodeLogo(b); logo != nil {
		lb := logo.Bounds()
		h := footHeight - 2*logoPad
		w := int(float64(lb.Dx()) * float64(h) / float64(lb.Dy()))
		if w > logoMaxW-2*logoPad {
			w = logoMaxW - 2*logoPad
			h = max(1, int(float64(lb.Dy())*float64(w)/float64(lb.Dx())))
		}
		w = max(w, 1)
		tw := max(w+2*logoPad, footHeight)
		t = &tile{rgb: image.NewRGBA(image.Rect(0, 0, tw, footHeight))}
		d.roundPath(tw, footHeight, 12)
		for i, a := range d.coverage(tw, footHeight) {
			c := blend(brand, White, steps(a))
			p := t.rgb.Pix[4*i : 4*i+4]
			p[0], p[1], p[2], p[3] = c.R, c.G, c.B, c.A
		}
		scaled := image.NewRGBA(image.Rect(0, 0, w, h))
		xdraw.CatmullRom.Scale(scaled, scaled.Rect, logo, lb, xdraw.Over, nil)
		at := scaled.Rect.Add(image.Pt((tw-w)/2, (footHeight-h)/2))
		draw.Draw(t.rgb, at, scaled, image.Point{}, draw.Over)
		t.pal = paletted(t.rgb, brand, ink)
	}
	logoCache.sum, logoCache.brand, logoCache.tile = sum, brand, t
	return t
}

// paletted is img, which is opaque, in a card's palette: the steps from
// brand to ink, then img's other colours in the order they are first met;
// nil if they are more than 256 in all.
func paletted(img *image.RGBA, brand, ink color.RGBA) *image.Paletted {
	index := make(map[color.RGBA]uint8, 256)
	for q := range uint32(levels) {
		index[blend(brand, ink, q)] = uint8(q)
	}
	var extra []color.RGBA
	out := image.NewPaletted(img.Rect, nil)
	for i := range out.Pix {
		p := img.Pix[4*i : 4*i+4]
		c := color.RGBA{p[0], p[1], p[2], p[3]}
		v, ok := index[c]
		if !ok {
			if levels+len(extra) == 256 {
				return nil
			}
			v = uint8(levels + len(extra))
			index[c] = v
			extra = append(extra, c)
		}
		out.Pix[i] = v
	}
	out.Palette = palette(brand, ink, extra)
	return out
}

// roundRect fills r with corners of radius rad in the palette's step t.
func (d *drawer) roundRect(img *image.Paletted, r image.Rectangle, rad float32, t uint8) {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	d.roundPath(r.Dx(), r.Dy(), rad)
	d.fillPath(img, r, t)
}

// roundPath sets the rasterizer's path to a w×h rectangle with corners of
// radius rad.
func (d *drawer) roundPath(w, h int, rad float32) {
	fw, fh := float32(w), float32(h)
	rad = min(rad, fw/2, fh/2)
	// A cubic Bézier's control points at 0.5523 of the radius draw a quarter circle.
	k := rad * (1 - 0.5523)
	d.ras.Reset(w, h)
	d.ras.MoveTo(rad, 0)
	d.ras.LineTo(fw-rad, 0)
	d.ras.CubeTo(fw-k, 0, fw, k, fw, rad)
	d.ras.LineTo(fw, fh-rad)
	d.ras.CubeTo(fw, fh-k, fw-k, fh, fw-rad, fh)
	d.ras.LineTo(rad, fh)
	d.ras.CubeTo(k, fh, 0, fh-k, 0, fh-rad)
	d.ras.LineTo(0, rad)
	d.ras.CubeTo(0, k, k, 0, rad, 0)
	d.ras.ClosePath()
}
