package picture

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"sync"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/sync/semaphore"
)

// Widths are the widths pictures are published at, never wider than the
// picture itself, which is published at its own width when narrower than
// the widest.
var Widths = []int{320, 640, 960, 1280, 1920}

// Options say how copies are made.
type Options struct {
	Widths  []int // ascending; Widths when empty
	Quality int   // JPEG quality, 1 to 100; 80 when 0
	// WebP, when set, encodes a WebP copy of each width beside the JPEG or
	// PNG one, at WebPQuality.
	WebP        func(img image.Image, quality int) ([]byte, error)
	WebPQuality int
}

// Copy is one published copy of a picture.
type Copy struct {
	Width, Height int
	Type          string // "image/jpeg", "image/png" or "image/webp"
	Ext           string // ".jpg", ".png" or ".webp"
	Data          []byte
}

// memory bounds the pixels being worked on at once, 4 bytes each: a
// build on many cores does not open many large photos together, and one
// of 50 megapixels waits until it has the room to itself.
var memory = semaphore.NewWeighted(budget)

const budget = 64_000_000 // pixels, about 256 MB as RGBA

// Make decodes a picture, turns it as its EXIF orientation says and
// encodes it afresh at each width, as JPEG (or PNG, for a PNG or a
// picture with transparency) and WebP when asked, smallest first. What
// it makes carries no metadata: the encoders write none. A GIF is
// returned as it is, one copy at its own width (its frames would be
// lost), with the metadata it has.
func Make(data []byte, o Options) (Info, []Copy, error) {
	info, err := Probe(data)
	if err != nil {
		return info, nil, err
	}
	if info.Format == "gif" {
		return info, []Copy{{Width: info.Width, Height: info.Height, Type: "image/gif", Ext: ".gif", Data: data}}, nil
	}
	weight := min(int64(info.Width)*int64(info.Height), budget)
	if err := memory.Acquire(context.Background(), weight); err != nil {
		return info, nil, err
	}
	defer memory.Release(weight)
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return info, nil, fmt.Errorf("the %s cannot be read: %w", formatName(data), err)
	}
	lossless := info.Format == "png" || !opaque(img)
	widths := o.Widths
	if len(widths) == 0 {
		widths = Widths
	}
	quality := o.Quality
	if quality == 0 {
		quality = 80
	}
	sizes := Sizes(info.Width, widths)
	// widest first, each scaled from the one before, as stored, then
	// turned: a 4000-pixel photo is read once at its full size, and only
	// the copies are turned
	from := img
	copies := make([][]Copy, len(sizes))
	turned := info.Orientation >= 5
	for i := len(sizes) - 1; i >= 0; i-- {
		w, h := Size(info.Width, info.Height, sizes[i])
		if turned {
			w, h = h, w // as stored
		}
		scaled := scale(from, w, h)
		from = scaled
		shown := oriented(scaled, info.Orientation)
		b := shown.Bounds()
		var buf bytes.Buffer
		var cs []Copy
		if lossless {
			enc := png.Encoder{CompressionLevel: png.BestCompression, BufferPool: &pngBuffers}
			if err := enc.Encode(&buf, shown); err != nil {
				return info, nil, err
			}
			cs = append(cs, Copy{Width: b.Dx(), Height: b.Dy(), Type: "image/png", Ext: ".png", Data: buf.Bytes()})
		} else {
			if err := jpeg.Encode(&buf, shown, &jpeg.Options{Quality: quality}); err != nil {
				return info, nil, err
			}
			cs = append(cs, Copy{Width: b.Dx(), Height: b.Dy(), Type: "image/jpeg", Ext: ".jpg", Data: buf.Bytes()})
		}
		if o.WebP != nil {
			wq := o.WebPQuality
			if wq == 0 {
				wq = quality
			}
			data, err := o.WebP(shown, wq)
			if err != nil {
				return info, nil, fmt.Errorf("encoding WebP: %w", err)
			}
			cs = append(cs, Copy{Width: b.Dx(), Height: b.Dy(), Type: "image/webp", Ext: ".webp", Data: data})
		}
		copies[i] = cs
	}
	var out []Copy
	for _, cs := range copies {
		out = append(out, cs...)
	}
	return info, out, nil
}

// Sizes are the widths a picture shown w pixels wide is published at:
// those of widths (ascending) narrower than it, and its own width, or
// the widest of widths when it is wider.
func Sizes(w int, widths []int) []int {
	if len(widths) == 0 {
		widths = Widths
	}
	var sizes []int
	for _, x := range widths {
		if x < w {
			sizes = append(sizes, x)
		}
	}
	if top := min(w, widths[len(widths)-1]); len(sizes) == 0 || sizes[len(sizes)-1] != top {
		sizes = append(sizes, top)
	}
	return sizes
}

// Size is the size of the copy w pixels wide of a picture shown w0×h0.
func Size(w0, h0, w int) (int, int) {
	return w, max(1, int(float64(h0)*float64(w)/float64(w0)+0.5))
}

// scale is img at w×h: halved by averaging each 2×2 block while it is
// twice as large or more (fast, and a fair filter for that), then
// Catmull-Rom for the rest.
func scale(img image.Image, w, h int) image.Image {
	for img.Bounds().Dx() >= 2*w && img.Bounds().Dy() >= 2*h {
		if y, ok := img.(*image.YCbCr); ok {
			img = halveYCbCr(y) // a photo as decoded: never held whole as RGBA
		} else {
			img = halve(rgba(img))
		}
	}
	b := img.Bounds()
	if b.Dx() == w && b.Dy() == h {
		return img
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// rgba is img as RGBA, drawn once when it is not.
func rgba(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
	return dst
}

// halve is img at half its width and height, each pixel the average of
// a 2×2 block (a last odd row or column is left out).
func halve(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx()/2, b.Dy()/2
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		r0 := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+2*y):]
		r1 := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+2*y+1):]
		out := dst.Pix[dst.PixOffset(0, y):]
		for x := 0; x < w; x++ {
			i := 8 * x
			for c := 0; c < 4; c++ {
				sum := int(r0[i+c]) + int(r0[i+4+c]) + int(r1[i+c]) + int(r1[i+4+c])
				out[4*x+c] = uint8((sum + 2) / 4)
			}
		}
	}
	return dst
}

// halveYCbCr is halve for a decoded JPEG, read in its own colours: a
// 50-megapixel photo takes 50 MB as RGBA at half size instead of 200 MB
// at full size.
func halveYCbCr(img *image.YCbCr) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx()/2, b.Dy()/2
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		out := dst.Pix[dst.PixOffset(0, y):]
		for x := 0; x < w; x++ {
			var r, g, bl int
			for _, d := range [4][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				px, py := b.Min.X+2*x+d[0], b.Min.Y+2*y+d[1]
				yi, ci := img.YOffset(px, py), img.COffset(px, py)
				cr, cg, cb := color.YCbCrToRGB(img.Y[yi], img.Cb[ci], img.Cr[ci])
				r, g, bl = r+int(cr), g+int(cg), bl+int(cb)
			}
			o := out[4*x : 4*x+4 : 4*x+4]
			o[0], o[1], o[2], o[3] = uint8((r+2)/4), uint8((g+2)/4), uint8((bl+2)/4), 255
		}
	}
	return dst
}

// opaque says whether every pixel of img is opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// oriented is img turned as EXIF orientation o says (1: as stored; 2 to
// 8: mirrored and turned by quarter turns), as browsers show it.
func oriented(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	src, fast := img.(*image.RGBA)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // half turn
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored upside down
				dx, dy = x, h-1-y
			case 5: // mirrored along the main diagonal
				dx, dy = y, x
			case 6: // a quarter turn clockwise
				dx, dy = h-1-y, x
			case 7: // mirrored along the other diagonal
				dx, dy = h-1-y, w-1-x
			case 8: // a quarter turn anticlockwise
				dx, dy = y, w-1-x
			}
			if fast {
				copy(dst.Pix[dst.PixOffset(dx, dy):][:4], src.Pix[src.PixOffset(b.Min.X+x, b.Min.Y+y):][:4])
			} else {
				dst.Set(dx, dy, img.At(b.Min.X+x, b.Min.Y+y))
			}
		}
	}
	return dst
}

// pngBuffers lets PNG copies share image/png's compressors and buffers:
// without it each copy allocates about a megabyte of them (half a
// gigabyte a first build of the 10,000-item bench site).
var pngBuffers pngPool

type pngPool struct{ p sync.Pool }

func (p *pngPool) Get() *png.EncoderBuffer {
	b, _ := p.p.Get().(*png.EncoderBuffer)
	return b // nil: image/png makes one
}

func (p *pngPool) Put(b *png.EncoderBuffer) { p.p.Put(b) }
