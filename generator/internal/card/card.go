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
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Version changes whenever the drawing does: a card kept by a hash of its
// inputs must be drawn again when Version is not the one it was drawn with.
const Version = 1

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

// encode writes img as a PNG: with a palette when it has at most 256
// colours, as a card without a logo has (its brand colour, its text colour
// and their blends at the letters' edges), which is smaller and several
// times quicker to compress; else in RGB, compressed for speed (the best
// compression saves 3% at eight times the time).
func (d *drawer) encode(img *image.RGBA) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(64 << 10)
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &d.png}
	var err error
	if p := d.paletted(img); p != nil {
		err = enc.Encode(&buf, p)
	} else {
		err = enc.Encode(&buf, img)
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// paletted is img with a palette of its colours in the order they are
// first met, or nil if it has more than 256. img is opaque. The result is
// the drawer's, good until its next use.
func (d *drawer) paletted(img *image.RGBA) *image.Paletted {
	out := d.pal
	if out == nil || out.Bounds() != img.Bounds() {
		out = image.NewPaletted(img.Bounds(), nil)
		d.pal = out
	}
	index := make(map[uint32]uint8, 256)
	var pal color.Palette
	last, li := uint32(0), uint8(0) // 0 is transparent black: never in img
	pix := img.Pix
	for i, o := 0, 0; i+3 < len(pix); i, o = i+4, o+1 {
		c := binary.BigEndian.Uint32(pix[i:])
		if c != last {
			v, ok := index[c]
			if !ok {
				if len(pal) == 256 {
					return nil
				}
				v = uint8(len(pal))
				index[c] = v
				pal = append(pal, color.RGBA{uint8(c >> 24), uint8(c >> 16), uint8(c >> 8), uint8(c)})
			}
			last, li = c, v
		}
		out.Pix[o] = li
	}
	// At least 17 entries: the encoder writes smaller palettes with fewer
	// bits a pixel, packing them one by one, which takes longer than
	// compressing the bytes it saves (8 ms a card against 4.7).
	for len(pal) <= 16 {
		pal = append(pal, color.RGBA{A: 0xff})
	}
	out.Palette = pal
	return out
}

// render draws c on the drawer's canvas, good until its next use.
func (d *drawer) render(c Card) *image.RGBA {
	brand := c.Brand
	if brand == (color.RGBA{}) {
		brand = DefaultBrand
	}
	brand.A = 0xff
	ink := TextColour(brand)

	img := d.canvas
	if img == nil {
		img = image.NewRGBA(image.Rect(0, 0, Width, Height))
		d.canvas = img
	}
	fill(img, img.Bounds(), brand) // every pixel: the last card's are gone

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
		t := d.layout(kind, pillText, Safe.Dx()-2*pillPadX, 1, lang)
		w := int(math.Ceil(t.width)) + 2*pillPadX
		r := image.Rect(Safe.Min.X, top, Safe.Min.X+w, top+pillHeight)
		if rtl {
			r = image.Rect(Safe.Max.X-w, top, Safe.Max.X, top+pillHeight)
		}
		d.roundRect(img, r, float32(pillHeight)/2, ink)
		inner := image.Rect(r.Min.X+pillPadX, r.Min.Y, r.Max.X-pillPadX, r.Max.Y)
		d.drawCentred(img, t, inner, brand, false)
		top += pillHeight + titleGap
	}

	// The footer: the logo on a white tile and the site's name.
	bottom := Safe.Max.Y
	if site != "" || len(c.Logo) > 0 {
		foot := image.Rect(Safe.Min.X, Safe.Max.Y-footHeight, Safe.Max.X, Safe.Max.Y)
		textBox := foot
		if logo := scaledLogo(c.Logo); logo != nil {
			tile := d.logoTile(img, logo, foot, rtl)
			if rtl {
				textBox.Max.X = tile.Min.X - 24
			} else {
				textBox.Min.X = tile.Max.X + 24
			}
		}
		if site != "" && textBox.Dx() > 0 {
			t := d.layout(site, siteText, textBox.Dx(), 1, lang)
			d.drawCentred(img, t, textBox, ink, rtl)
		}
		// A hairline over the footer, 40% of the way from brand to text
		// colour, one of the letters' edge colours (decoration: it needs
		// no contrast).
		rule := image.Rect(Safe.Min.X, foot.Min.Y-ruleGap-ruleWidth, Safe.Max.X, foot.Min.Y-ruleGap)
		fill(img, rule, blend(brand, ink, (levels-1)*2/5))
		bottom = rule.Min.Y - titleGap
	}

	// The title, as large as fits between them.
	if title != "" {
		box := image.Rect(Safe.Min.X, top, Safe.Max.X, bottom)
		d.drawBlock(img, d.fitTitle(title, box, lang), box, ink, rtl)
	}
	return img
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

// fill paints r of img in c: its first row pixel by pixel, the others
// copied from it.
func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	first := img.Pix[img.PixOffset(r.Min.X, r.Min.Y):img.PixOffset(r.Max.X, r.Min.Y)]
	for i := 0; i < len(first); i += 4 {
		first[i], first[i+1], first[i+2], first[i+3] = c.R, c.G, c.B, c.A
	}
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		copy(img.Pix[img.PixOffset(r.Min.X, y):], first)
	}
}

var drawers = sync.Pool{New: func() any { return newDrawer() }}

func getDrawer() *drawer  { return drawers.Get().(*drawer) }
func putDrawer(d *drawer) { drawers.Put(d) }
