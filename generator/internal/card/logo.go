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

// logoCache keeps the last logo scaled, by its bytes' hash: a site's
// cards all show the same one, and decoding and scaling it costs more than
// the rest of a card.
var logoCache struct {
	sync.Mutex
	sum    [32]byte
	scaled *image.RGBA // nil: the logo is not used
}

// scaledLogo is the logo in b scaled to fit the tile, or nil.
func scaledLogo(b []byte) *image.RGBA {
	if len(b) == 0 {
		return nil
	}
	sum := sha256.Sum256(b)
	logoCache.Lock()
	defer logoCache.Unlock()
	if logoCache.sum == sum {
		return logoCache.scaled
	}
	var out *image.RGBA
	if logo := decodeLogo(b); logo != nil {
		lb := logo.Bounds()
		h := footHeight - 2*logoPad
		w := int(float64(lb.Dx()) * float64(h) / float64(lb.Dy()))
		if w > logoMaxW-2*logoPad {
			w = logoMaxW - 2*logoPad
			h = max(1, int(float64(lb.Dy())*float64(w)/float64(lb.Dx())))
		}
		out = image.NewRGBA(image.Rect(0, 0, max(w, 1), h))
		xdraw.CatmullRom.Scale(out, out.Bounds(), logo, lb, xdraw.Over, nil)
	}
	logoCache.sum, logoCache.scaled = sum, out
	return out
}

// logoTile draws the scaled logo on a white rounded tile at the footer's
// start (its end when rtl), as tall as the footer, and gives the tile's
// place. The white keeps a dark or a coloured logo visible on any brand
// colour.
func (d *drawer) logoTile(img *image.RGBA, logo *image.RGBA, foot image.Rectangle, rtl bool) image.Rectangle {
	w, h := logo.Bounds().Dx(), logo.Bounds().Dy()
	tw := max(w+2*logoPad, foot.Dy()) // at least square
	tile := image.Rect(foot.Min.X, foot.Min.Y, foot.Min.X+tw, foot.Max.Y)
	if rtl {
		tile = image.Rect(foot.Max.X-tw, foot.Min.Y, foot.Max.X, foot.Max.Y)
	}
	d.roundRect(img, tile, 12, White)
	at := image.Rect(0, 0, w, h).Add(image.Pt(tile.Min.X+(tw-w)/2, tile.Min.Y+(foot.Dy()-h)/2))
	draw.Draw(img, at, logo, image.Point{}, draw.Over)
	return tile
}

// roundRect fills r with corners of radius rad.
func (d *drawer) roundRect(img *image.RGBA, r image.Rectangle, rad float32, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	w, h := float32(r.Dx()), float32(r.Dy())
	rad = min(rad, w/2, h/2)
	// A cubic Bézier's control points at 0.5523 of the radius draw a quarter circle.
	k := rad * (1 - 0.5523)
	d.ras.Reset(r.Dx(), r.Dy())
	d.ras.MoveTo(rad, 0)
	d.ras.LineTo(w-rad, 0)
	d.ras.CubeTo(w-k, 0, w, k, w, rad)
	d.ras.LineTo(w, h-rad)
	d.ras.CubeTo(w, h-k, w-k, h, w-rad, h)
	d.ras.LineTo(rad, h)
	d.ras.CubeTo(k, h, 0, h-k, 0, h-rad)
	d.ras.LineTo(0, rad)
	d.ras.CubeTo(0, k, k, 0, rad, 0)
	d.ras.ClosePath()
	d.fillPath(img, r, c)
}
