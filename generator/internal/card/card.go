// Package card draws a page's Open Graph card: a 1200×630 PNG in the
// site's brand colour showing the page's kind, its title, and the site's
// name and logo, for a page that has no picture of its own.
//
// Text is set in Atkinson Hyperlegible Next, with Noto Sans Arabic for the
// runs it has no letters for, shaped by go-text/typesetting (a HarfBuzz
// port), so Arabic is joined and set right to left. Both fonts are embedded
// (fonts/, with their licences). The same Card always gives the same bytes,
// so a build can keep a card by a hash of its fields and Version.
package card

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Version changes whenever the drawing does: a card kept by a hash of its
// inputs must be drawn again when Version is not the one it was drawn with.
const Version = 4

// The card's size in pixels, the size Open Graph and X (Twitter) cards
// are shown at.
const (
	Width  = 1200
	Height = 630
)

// Limits on what Draw is given.
const (
	// MaxTitleRunes is where a title is cut before it is shaped; a card
	// shows far fewer, ending with an ellipsis.
	MaxTitleRunes = 300
	// MaxLabelRunes is where the kind and the site's name are cut.
	MaxLabelRunes = 120
	// MaxLogoPixels is the most pixels (width × height, as the file's
	// header gives them) a logo may have to be decoded at all.
	MaxLogoPixels = 4_000_000
)

// DefaultBrand is the brand colour of a site that sets none (a teal).
var DefaultBrand = color.RGBA{0x00, 0x5a, 0x70, 0xff}

// Card is what a card shows.
type Card struct {
	Title string // the page's title
	Kind  string // what the page is, as a reader would say it: "Story", "Episode", "Learning pack"
	Site  string // the site's name
	// Brand is the background colour; its alpha is ignored. The zero
	// colour means DefaultBrand.
	Brand color.RGBA
	// Logo is the site's logo as a PNG or JPEG file, or nil. A logo in
	// another format (SVG), one that cannot be read, or one over
	// MaxLogoPixels is left out and the card drawn with the name alone.
	Logo []byte
	// Lang is the page's language (a BCP 47 tag such as "en-GB", "cy" or
	// "ar"): it chooses language-specific letter forms, and a
	// right-to-left language lays the card out from the right.
	Lang string
}

// The layout, in pixels. Nothing is drawn outside Safe but the background.
var (
	Safe = image.Rect(80, 64, Width-80, Height-64)

	pillHeight  = 52
	pillText    = 26.0
	pillPadX    = 24
	footHeight  = 72
	siteText    = 34.0
	titleGap    = 40 // between the kind and the title, and the title and the footer
	titleSizes  = []float64{96, 84, 74, 64, 56, 48}
	lineSpacing = 1.18 // line pitch over the size
	logoMaxW    = 280
	logoPad     = 10
	ruleGap     = 28 // between the rule and the footer
	ruleWidth   = 3
)

// Draw draws c as a PNG. Its error is only ever that of encoding the
// picture; a logo that cannot be used is left out.
func Draw(c Card) ([]byte, error) {
	d := getDrawer()
	defer putDrawer(d)
	return d.encode(d.render(c))
}

// encode writes img, a card as render drew it, as a PNG: with its palette
// (writePaletted), or in RGB by image/png, compressed for speed (the best
// compression saves 3% at eight times the time).
func (d *drawer) encode(img image.Image) ([]byte, error) {
	d.out.Reset()
	var err error
	if p, ok := img.(*image.Paletted); ok {
		err = d.writePaletted(&d.out, p)
	} else {
		enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &d.png}
		err = enc.Encode(&d.out, img)
	}
	if err != nil {
		return nil, err
	}
	return bytes.Clone(d.out.Bytes()), nil
}

// palette is a card's colours: levels steps from brand (index 0) to ink
// (levels-1), then extra. A card is drawn in the steps alone, save a
// logo's tile, whose colours are extra.
func palette(brand, ink color.RGBA, extra []color.RGBA) color.Palette {
	p := make(color.Palette, 0, levels+len(extra))
	for q := range uint32(levels) {
		p = append(p, blend(brand, ink, q))
	}
	for _, c := range extra {
		p = append(p, c)
	}
	return p
}

// render draws c on the drawer's canvas, good until its next use: in the
// card's palette, or in RGB when its logo has too many colours for one.
func (d *drawer) render(c Card) image.Image {
	brand := c.Brand
	if brand == (color.RGBA{}) {
		brand = DefaultBrand
	}
	brand.A = 0xff
	ink := TextColour(brand)
	const bg, text = 0, levels - 1 // the palette's brand and ink

	img := d.canvas
	if img == nil {
		img = image.NewPaletted(image.Rect(0, 0, Width, Height), nil)
		d.canvas = img
	}
	clear(img.Pix) // every pixel brand: the last card's are gone
	img.Palette = palette(brand, ink, nil)

	lang := strings.TrimSpace(c.Lang)
	title := clean(c.Title, MaxTitleRunes)
	kind := clean(c.Kind, MaxLabelRunes)
	site := clean(c.Site, MaxLabelRunes)
	rtl := isRTLLang(lang)
	if lang == "" {
		rtl = firstStrongRTL(title)
	}

	// The kind, in a pill of the text's colour at the top.
	top := Safe.Min.Y
	if kind != "" {
		t := d.label(kind, pillText, Safe.Dx()-2*pillPadX, lang)
		w := int(math.Ceil(t.width)) + 2*pillPadX
		r := image.Rect(Safe.Min.X, top, Safe.Min.X+w, top+pillHeight)
		if rtl {
			r = image.Rect(Safe.Max.X-w, top, Safe.Max.X, top+pillHeight)
		}
		d.roundRect(img, r, float32(pillHeight)/2, text)
		inner := image.Rect(r.Min.X+pillPadX, r.Min.Y, r.Max.X-pillPadX, r.Max.Y)
		d.drawCentred(img, t, inner, bg, false)
		top += pillHeight + titleGap
	}

	// The footer: the logo on a white tile and the site's name.
	var logo *tile
	var at image.Point // the tile's place
	bottom := Safe.Max.Y
	if site != "" || len(c.Logo) > 0 {
		foot := image.Rect(Safe.Min.X, Safe.Max.Y-footHeight, Safe.Max.X, Safe.Max.Y)
		textBox := foot
		if logo = d.logoTile(c.Logo, brand, ink); logo != nil {
			at = foot.Min
			if rtl {
				at.X = foot.Max.X - logo.rgb.Rect.Dx()
				textBox.Max.X = at.X - 24
			} else {
				textBox.Min.X = at.X + logo.rgb.Rect.Dx() + 24
			}
		}
		if site != "" && textBox.Dx() > 0 {
			t := d.label(site, siteText, textBox.Dx(), lang)
			d.drawCentred(img, t, textBox, text, rtl)
		}
		// A hairline over the footer, 40% of the way from brand to text
		// colour, one of the letters' edge colours (decoration: it needs
		// no contrast).
		rule := image.Rect(Safe.Min.X, foot.Min.Y-ruleGap-ruleWidth, Safe.Max.X, foot.Min.Y-ruleGap)
		fill(img, rule, (levels-1)*2/5)
		bottom = rule.Min.Y - titleGap
	}

	// The title, as large as fits between them.
	if title != "" {
		box := image.Rect(Safe.Min.X, top, Safe.Max.X, bottom)
		d.drawBlock(img, d.fitTitle(title, box, lang), box, text, rtl)
	}

	// The tile last: nothing else is drawn where it is.
	switch {
	case logo == nil:
	case logo.pal != nil:
		img.Palette = logo.pal.Palette
		t := logo.pal
		for y := range t.Rect.Dy() {
			copy(img.Pix[img.PixOffset(at.X, at.Y+y):], t.Pix[y*t.Stride:y*t.Stride+t.Rect.Dx()])
		}
	default:
		return d.inRGB(img, logo.rgb, at)
	}
	return img
}

// inRGB is img in RGB with t drawn at at, on the drawer's RGB canvas.
func (d *drawer) inRGB(img *image.Paletted, t *image.RGBA, at image.Point) *image.RGBA {
	out := d.rgb
	if out == nil || out.Rect != img.Rect {
		out = image.NewRGBA(img.Rect)
		d.rgb = out
	}
	var rgb [256][4]uint8
	for i, c := range img.Palette {
		p := c.(color.RGBA)
		rgb[i] = [4]uint8{p.R, p.G, p.B, p.A}
	}
	for i, v := range img.Pix {
		copy(out.Pix[4*i:4*i+4], rgb[v][:])
	}
	draw.Draw(out, t.Rect.Add(at), t, image.Point{}, draw.Src)
	return out
}

// clean makes s one line of at most max runes: control characters and
// line breaks become spaces, runs of spaces one, and invalid UTF-8 is
// replaced.
func clean(s string, max int) string {
	var b strings.Builder
	n := 0
	space := false
	for _, r := range s {
		if n >= max {
			break
		}
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' {
			if r == utf8.RuneError {
				r = '\uFFFD'
			} else {
				space = b.Len() > 0
				continue
			}
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
			if n >= max {
				break
			}
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// rtlLangs are the languages written right to left.
var rtlLangs = map[string]bool{"ar": true, "he": true, "fa": true, "ur": true, "ps": true, "sd": true, "ug": true, "yi": true, "dv": true, "ckb": true}

func isRTLLang(tag string) bool {
	primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
	primary, _, _ = strings.Cut(primary, "_")
	return rtlLangs[primary]
}

// firstStrongRTL reports whether the first letter of s is of a script
// written right to left.
func firstStrongRTL(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return isRTLRune(r)
		}
	}
	return false
}

func isRTLRune(r rune) bool {
	return unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko)
}

// fill paints r of img in the colour at index v.
func fill(img *image.Paletted, r image.Rectangle, v uint8) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = v
		}
	}
}

var drawers = sync.Pool{New: func() any { return newDrawer() }}

func getDrawer() *drawer  { return drawers.Get().(*drawer) }
func putDrawer(d *drawer) { drawers.Put(d) }
