package site

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"path"
	"strings"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/diag"
	"golang.org/x/image/draw"
)

// The feeds' pictures, made from the site's own (feedIcon): JSON Feed's
// icon, "square and relatively large — such as 512 x 512 pixels", also
// Atom's icon, and its favicon, 64 pixels a side.
const (
	iconPath    = "/feed-icon.png"
	faviconPath = "/feed-favicon.png"
	iconSide    = 512
	faviconSide = 64
	// iconPixels is the largest picture made into icons (6000 × 6000): a
	// picture is decoded whole, four bytes a pixel
	iconPixels = 36_000_000
)

// feedIcon is where the feeds' pictures come from and their addresses.
type feedIcon struct {
	file, key     string // the picture under static/ or content/ and its setting, "" for none
	line, col     int    // of the setting in site.toml
	icon, favicon string // absolute URLs; favicon "" when there is none
}

// feedIcon picks the picture the feeds' icons are made from: the podcast's
// cover art, else the site's logo, when it is a PNG or JPEG of the site's
// own. Without one the icon is the theme's favicon.svg, as before, and
// there is no favicon. A picture that is not square, or smaller than 512
// pixels, is warned of here, at its setting; the icon is made anyway,
// the whole picture centred on a transparent square, never enlarged.
func (b *builder) feedIcon() feedIcon {
	fallback := feedIcon{icon: b.cfg.URL("/favicon.svg")}
	key, src := "podcast.image", b.cfg.Podcast.Image
	if !raster(src) {
		key, src = "logo", b.cfg.Logo
	}
	if !raster(src) {
		return fallback
	}
	file := rootFile(b.fsys, src)
	if file == "" {
		return fallback // a missing cover art is an error of coverArt's; a missing logo, the header's
	}
	line, col := b.cfg.At(key)
	// the podcast's cover art is checked by coverArt too when there is a
	// podcast; its warnings say what is wrong with it already
	warn := key == "logo" || !hasPodcast(b.lib)
	f, err := b.fsys.Open(file)
	if err != nil {
		b.fail(err)
		return fallback
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	switch {
	case err != nil:
		if warn {
			b.probs.Add(diag.Warnf(config.File, line, col, "the feeds' icon cannot be made from %s: it cannot be read as a picture (%v)", file, err).
				WithHint("save %s again as a PNG or JPEG; until then the feeds show favicon.svg", file))
		}
		return fallback
	case cfg.Width*cfg.Height > iconPixels:
		b.probs.Add(diag.Warnf(config.File, line, col, "the feeds' icon is not made from %s: at %d×%d pixels it is too large to read", file, cfg.Width, cfg.Height).
			WithHint("save a copy of at most 3000×3000 pixels (512×512 is enough for the icon) and name it in %s", key))
		return fallback
	}
	if warn && cfg.Width != cfg.Height {
		b.probs.Add(diag.Warnf(config.File, line, col, "%s is %d×%d pixels, not square; the feeds' icon shows it whole, centred on a transparent square", file, cfg.Width, cfg.Height).
			WithHint("crop it to a square of at least %d×%d pixels for an icon that fills its space", iconSide, iconSide))
	}
	if warn && max(cfg.Width, cfg.Height) < iconSide {
		b.probs.Add(diag.Warnf(config.File, line, col, "%s is %d×%d pixels; the feeds' icon should be %d×%d, so it is only %d pixels a side (pictures are not enlarged)", file, cfg.Width, cfg.Height, iconSide, iconSide, max(cfg.Width, cfg.Height)).
			WithHint("use a square PNG or JPEG of at least %d×%d pixels", iconSide, iconSide))
	}
	return feedIcon{file: file, key: key, line: line, col: col, icon: b.cfg.URL(iconPath), favicon: b.cfg.URL(faviconPath)}
}

// icons picks the feeds' icons (feedIcon, kept for the feeds and a
// Session's text-only updates, which write the site's feeds again) and
// starts making them, a tenth of a second of one core, on a goroutine of
// their own; it returns the wait for them.
func (b *builder) icons() (wait func()) {
	b.icon = b.feedIcon()
	if b.icon.file == "" {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.safely(func() { b.writeIcons(b.icon) })
	}()
	return func() { <-done }
}

// raster says whether a setting names a PNG or JPEG of the site's own.
func raster(src string) bool {
	switch strings.ToLower(path.Ext(src)) {
	case ".png", ".jpg", ".jpeg":
		return strings.HasPrefix(src, "/") && !strings.Contains(src, "://")
	}
	return false
}

// writeIcons makes the feeds' icon and favicon from ic's picture, each
// planned by the sha256 of the picture's bytes: a Session's run or a warm
// build that finds the same bytes keeps the files the last one made.
func (b *builder) writeIcons(ic feedIcon) {
	data, err := fs.ReadFile(b.fsys, ic.file)
	if err != nil {
		b.fail(err)
		return
	}
	sum := sha256.Sum256(data)
	var icon image.Image // made once, for both: the favicon is made from it
	made := func() (image.Image, error) {
		if icon == nil {
			img, _, err := image.Decode(bytes.NewReader(data))
			if err != nil {
				return nil, diag.Errorf(config.File, ic.line, ic.col, "the feeds' icon cannot be made from %s: %v", ic.file, err).
					WithHint("save %s again as a PNG or JPEG", ic.file)
			}
			icon = squareIcon(img, iconSide)
		}
		return icon, nil
	}
	for _, o := range []struct {
		out  string
		side int
	}{{iconPath, iconSide}, {faviconPath, faviconSide}} {
		key := sha256.Sum256(fmt.Appendf(nil, "feed icon 1 %d %x", o.side, sum))
		err := b.putMade(strings.TrimPrefix(o.out, "/"), key, func() ([]byte, error) {
			img, err := made()
			if err != nil {
				return nil, err
			}
			if o.side != iconSide {
				img = squareIcon(img, o.side)
			}
			var out bytes.Buffer
			err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img)
			return out.Bytes(), err
		})
		if err != nil {
			b.fail(err)
			return
		}
	}
}

// squareIcon is img scaled (Catmull-Rom) to fit a square side pixels
// across, centred on transparency; a picture smaller than that is not
// enlarged: its square is as wide as its longer side.
func squareIcon(img image.Image, side int) *image.RGBA {
	switch img.(type) {
	case *image.RGBA, *image.NRGBA, *image.YCbCr, *image.Gray:
	default: // a palette, CMYK, 16 bits: the scaler's generic path reads each
		// pixel through an interface, many times over; one copy first is
		// several times quicker
		c := image.NewRGBA(img.Bounds())
		draw.Draw(c, c.Rect, img, img.Bounds().Min, draw.Src)
		img = c
	}
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	long := max(w, h, 1)
	side = min(side, long)
	dw, dh := max(1, (w*side+long/2)/long), max(1, (h*side+long/2)/long)
	at := image.Pt((side-dw)/2, (side-dh)/2)
	dst := image.NewRGBA(image.Rect(0, 0, side, side))
	draw.CatmullRom.Scale(dst, image.Rectangle{Min: at, Max: at.Add(image.Pt(dw, dh))}, img, r, draw.Src, nil)
	return dst
}

// putMade writes a file that makeFile makes from inputs key stands for,
// unless the last run of a Session (plan) or the last build (warm) made
// it from the same: then the file in place, or the last build's, is kept
// without making it again.
func (b *builder) putMade(rel string, key [32]byte, makeFile func() ([]byte, error)) error {
	in := &inputs{key: key}
	if b.plan != nil && b.plan.same(rel, in) {
		return nil
	}
	w := b.warm
	if w == nil || w.shelvesOnly {
		data, err := makeFile()
		if err != nil {
			return err
		}
		return b.putFileFrom(rel, data, true, in)
	}
	fp := sha256.Sum256(append([]byte("made file\n"), key[:]...))
	return b.keepOrWrite(w, rel, fp, func() error {
		data, err := makeFile()
		if err != nil {
			return err
		}
		return b.pub.WriteRaw(rel, data)
	})
}
