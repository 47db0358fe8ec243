package card

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var teal = DefaultBrand

func story() Card {
	return Card{Title: "Getting back to the allotment after a stroke: Margaret’s story", Kind: "Story", Site: "OT Evidence Stories", Lang: "en-GB", Logo: testLogo(200, 80)}
}

// testLogo is a PNG of w×h pixels: a dark square on transparency.
func testLogo(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := h / 4; y < 3*h/4; y++ {
		for x := w / 4; x < 3*w/4; x++ {
			img.Set(x, y, color.NRGBA{0x20, 0x30, 0x90, 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// manyColourLogo is a PNG of w×h pixels, each of its own colour.
func manyColourLogo(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x * y), 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// TestDrawIsTheCardDrawn: Draw gives a PNG of the card's size with the
// pixels render drew, in a palette of at most 16 colours written 4 bits a
// pixel without a logo, of at most 256 (8 bits) with a logo of few
// colours, and in RGB with one of many.
func TestDrawIsTheCardDrawn(t *testing.T) {
	for name, tc := range map[string]struct {
		logo    []byte
		colours int // the most in the PNG's palette; 0: RGB
		depth   byte
	}{
		"no logo":          {nil, 16, 4},
		"logo":             {testLogo(200, 80), 256, 8},
		"many-colour logo": {manyColourLogo(200, 80), 0, 8},
	} {
		c := story()
		c.Logo = tc.logo
		b, err := Draw(c)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if depth := b[24]; depth != tc.depth { // IHDR's bit depth
			t.Errorf("%s: %d bits, want %d", name, depth, tc.depth)
		}
		if got := img.Bounds(); got != image.Rect(0, 0, Width, Height) {
			t.Errorf("%s: size %v, want %dx%d", name, got, Width, Height)
		}
		switch p, ok := img.(*image.Paletted); {
		case tc.colours == 0 && ok:
			t.Errorf("%s: a palette, want RGB", name)
		case tc.colours > 0 && (!ok || len(p.Palette) > tc.colours):
			t.Errorf("%s: %T, want a palette of at most %d colours", name, img, tc.colours)
		}
		drawn := render(c)
		for y := 0; y < Height; y++ {
			for x := 0; x < Width; x++ {
				if got, want := rgbaAt(img, x, y), rgbaAt(drawn, x, y); got != want {
					t.Fatalf("%s: %v at (%d, %d), drawn %v", name, got, x, y, want)
				}
			}
		}
	}
}

// TestManyColourLogo: a logo of more colours than a palette holds changes
// only its tile, at the footer's start.
func TestManyColourLogo(t *testing.T) {
	few, many := story(), story()
	few.Logo, many.Logo = testLogo(200, 80), manyColourLogo(200, 80)
	a, b := render(few), render(many)
	var diff image.Rectangle
	colours := map[color.RGBA]bool{}
	for y := 0; y < Height; y++ {
		for x := 0; x < Width; x++ {
			if c := rgbaAt(b, x, y); c != rgbaAt(a, x, y) {
				diff = diff.Union(image.Rect(x, y, x+1, y+1))
				colours[c] = true
			}
		}
	}
	tile := image.Rect(Safe.Min.X, Safe.Max.Y-footHeight, Safe.Min.X+logoMaxW, Safe.Max.Y)
	if diff.Empty() || !diff.In(tile) {
		t.Errorf("the logos' cards differ in %v, want within %v", diff, tile)
	}
	if len(colours) <= 256 {
		t.Errorf("the logo shows %d colours, want more than 256", len(colours))
	}
}

// TestDeterministic: the same card gives the same bytes, drawn one after
// another or at once on several goroutines (the drawers are pooled).
func TestDeterministic(t *testing.T) {
	cards := []Card{story(), {Title: "العلاج الوظيفي في المجتمع", Kind: "قصة", Site: "قصص", Lang: "ar"}, {Title: "Gwŷr", Brand: color.RGBA{0xf2, 0xc9, 0x4c, 0xff}}, {Title: "Logo", Site: "Many colours", Logo: manyColourLogo(90, 40)}}
	want := make([][]byte, len(cards))
	for i, c := range cards {
		b, err := Draw(c)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = b
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 2; r++ {
				for i, c := range cards {
					if b, _ := Draw(c); !bytes.Equal(b, want[i]) {
						errs <- cards[i].Title
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for title := range errs {
		t.Errorf("%q drawn again gave other bytes", title)
	}
	other := story()
	other.Title += "."
	if b, _ := Draw(other); bytes.Equal(b, want[0]) {
		t.Error("a different title gave the same bytes")
	}
}

// TestGlyphMasksKept: a card drawn by a drawer that kept the glyphs of
// other cards, at other sizes and offsets, or that has just started its
// masks again (maxMasks), is the card a new drawer draws.
func TestGlyphMasksKept(t *testing.T) {
	want := newDrawer().render(story()).(*image.Paletted)
	used := newDrawer()
	for _, c := range samples(nil) {
		used.render(c)
	}
	for _, before := range []string{"I", "A ", "An ", "“", "Then: "} { // the same letters, moved
		c := story()
		c.Title = before + c.Title
		used.render(c)
	}
	if got := used.render(story()).(*image.Paletted); !bytes.Equal(got.Pix, want.Pix) {
		t.Error("a drawer that kept masks drew another picture")
	}
	if len(used.masks) == 0 {
		t.Fatal("no masks kept")
	}
	clear(used.masks)
	for i := range maxMasks {
		used.masks[maskKey{id: 1, px: i}] = &glyphMask{}
	}
	if got := used.render(story()).(*image.Paletted); !bytes.Equal(got.Pix, want.Pix) {
		t.Error("a drawer whose masks were full drew another picture")
	}
	if n := len(used.masks); n > maxMasks/2 {
		t.Errorf("%d masks kept after the drawer started again", n)
	}
}

// marginsClear reports the first pixel outside Safe that is not the
// background.
func marginsClear(img image.Image, bg color.RGBA) (image.Point, bool) {
	for y := 0; y < Height; y++ {
		for x := 0; x < Width; x++ {
			if (image.Point{x, y}).In(Safe) {
				continue
			}
			if rgbaAt(img, x, y) != bg {
				return image.Pt(x, y), false
			}
		}
	}
	return image.Point{}, true
}

// inkInside counts the pixels inside r that are not the background.
func inkInside(img image.Image, r image.Rectangle, bg color.RGBA) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if rgbaAt(img, x, y) != bg {
				n++
			}
		}
	}
	return n
}

var long = strings.Repeat("Occupational therapy with families over months and years, co-production and social prescribing. ", 5)

// TestTextStaysInsideTheSafeArea draws titles and names of every length
// and checks that the margins are untouched background.
func TestTextStaysInsideTheSafeArea(t *testing.T) {
	titles := map[string]string{
		"empty":       "",
		"one letter":  "A",
		"short":       "Rehab",
		"long":        long,
		"one word":    strings.Repeat("Anghydffurfiaeth", 30),
		"arabic long": strings.Repeat("العلاج الوظيفي في المجتمع: قصة العودة إلى العمل ", 8),
		"marks":       "Z" + strings.Repeat("\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u030a\u030b\u030c", 30) + "algo " + strings.Repeat("ŴŶÂ\u0327\u0328", 20),
		"tall":        strings.Repeat("ÅÉÎ ǺǼ gjpqy ", 25),
		"no glyphs":   strings.Repeat("中文标题 ", 40),
	}
	brands := []color.RGBA{teal, {0xf2, 0xc9, 0x4c, 0xff}}
	for name, title := range titles {
		for _, brand := range brands {
			for _, lang := range []string{"en", "ar"} {
				c := Card{Title: title, Kind: strings.Repeat("Learning pack ", 1+len(title)%12), Site: strings.Repeat("Royal College of Occupational Therapists ", 1+len(title)%5), Brand: brand, Lang: lang, Logo: testLogo(4000, 200)}
				img := render(c)
				if p, ok := marginsClear(img, brand); !ok {
					t.Errorf("%s (%s, brand %v): drawn in the margin at %v", name, lang, brand, p)
				}
				if title != "" && inkInside(img, Safe, brand) == 0 {
					t.Errorf("%s: nothing drawn", name)
				}
			}
		}
	}
}

// TestTitleSize: a short title is set at the largest size; a long one at
// the smallest, cut, ending with an ellipsis, and within its box.
func TestTitleSize(t *testing.T) {
	d := getDrawer()
	defer putDrawer(d)
	box := image.Rect(0, 0, Safe.Dx(), 300)
	short := d.fitTitle("Rehab", box, "en")
	if short.size != titleSizes[0] || len(short.lines) != 1 || short.truncated {
		t.Errorf("short title: size %v, %d lines, truncated %v", short.size, len(short.lines), short.truncated)
	}
	for _, title := range []string{long, strings.Repeat("Anghydffurfiaeth", 30), strings.Repeat("العلاج الوظيفي في المجتمع ", 12)} {
		b := d.fitTitle(title, box, "en")
		if b.size != titleSizes[len(titleSizes)-1] || !b.truncated {
			t.Errorf("%.20q…: size %v, truncated %v; want the smallest size, truncated", title, b.size, b.truncated)
		}
		if h, _ := b.height(); h > float64(box.Dy()) {
			t.Errorf("%.20q…: %v high in a box %d high", title, h, box.Dy())
		}
		for _, l := range b.lines {
			if l.width > float64(box.Dx())+0.5 {
				t.Errorf("%.20q…: a line %v wide in a box %d wide", title, l.width, box.Dx())
			}
		}
		last := b.lines[len(b.lines)-1]
		dots, _ := d.latin.NominalGlyph('…')
		adots, _ := d.arabic.NominalGlyph('…')
		end := last.glyphs[len(last.glyphs)-1]
		if b.rtl {
			end = last.glyphs[0]
		}
		if end.id != dots && end.id != adots {
			t.Errorf("%.20q…: the last line does not end with an ellipsis", title)
		}
	}
}

// TestScripts: Latin with accents, Welsh and Arabic are set with glyphs
// the fonts have (no .notdef), and Arabic joined and right to left.
func TestScripts(t *testing.T) {
	d := getDrawer()
	defer putDrawer(d)
	for _, s := range []string{
		"Café, naïve, São Paulo, Łódź, Ærøskøbing, Dvořák, Þórsmörk",
		"Ŵyr a gwŷr â’u ŵyn; Ŷ ŵ ŷ â ê î ô û ẁ ẃ ẅ ỳ Ŵ",
		"العلاج الوظيفي في المجتمع: قصة العودة إلى العمل",
	} {
		b := d.layout(s, 60, 100000, 0, "")
		for _, l := range b.lines {
			for _, g := range l.glyphs {
				if g.id == 0 {
					t.Errorf("%q: a rune at %d has no glyph (.notdef)", s, g.cluster)
				}
			}
		}
	}

	word := "مجتمع" // mujtamaʿ: five letters, each joined to the next
	b := d.layout(word, 60, 100000, 0, "ar")
	if !b.rtl || len(b.lines) != 1 {
		t.Fatalf("%q: rtl %v, %d lines", word, b.rtl, len(b.lines))
	}
	gs := b.lines[0].glyphs
	runes := []rune(word)
	for _, g := range gs {
		if g.face != d.arabic {
			t.Errorf("%q: set in a font other than Noto Sans Arabic", word)
		}
		// initial, medial, medial, medial, final: none is the isolated form
		if nominal, _ := d.arabic.NominalGlyph(runes[g.cluster]); g.id == nominal {
			t.Errorf("%q: rune %d is drawn in its isolated form (not shaped?)", word, g.cluster)
		}
	}
	// Right to left: the first letter is drawn rightmost.
	if first := gs[len(gs)-1]; first.cluster != 0 {
		t.Errorf("%q: the rightmost glyph is of rune %d, want 0", word, first.cluster)
	}
	// Lām and alif make one glyph, the obligatory ligature.
	if lb := d.layout("علاج", 60, 100000, 0, "ar"); len(lb.lines[0].glyphs) != 3 {
		t.Errorf("علاج: %d glyphs, want 3 (lām-alif one)", len(lb.lines[0].glyphs))
	}
	// The Latin font's own letters for Latin text.
	lb := d.layout("Ŵ", 60, 1000, 0, "cy")
	if g := lb.lines[0].glyphs[0]; g.face != d.latin {
		t.Error("Ŵ is not set in Atkinson Hyperlegible Next")
	}
}

func TestEmbeddedFonts(t *testing.T) {
	latin, arabic := loadFonts()
	if latin == nil || arabic == nil {
		t.Fatal("fonts not parsed")
	}
	d := getDrawer()
	defer putDrawer(d)
	for _, r := range "AZaz09ÂâÊêÎîÔôÛûŴŵŶŷẀẁẂẃẄẅỲỳ’“”–—…" {
		if _, ok := d.latin.NominalGlyph(r); !ok {
			t.Errorf("Atkinson Hyperlegible Next has no %q", r)
		}
	}
	for _, r := range "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئىة،؛؟٠١٢٣٤٥٦٧٨٩" {
		if _, ok := d.arabic.NominalGlyph(r); !ok {
			t.Errorf("Noto Sans Arabic has no %q", r)
		}
	}
}

func TestTextColour(t *testing.T) {
	for _, tc := range []struct {
		brand color.RGBA
		want  color.RGBA
	}{
		{teal, White},
		{color.RGBA{0x8a, 0x1c, 0x2b, 0xff}, White}, // dark red
		{color.RGBA{0x00, 0x00, 0x00, 0xff}, White},
		{color.RGBA{0xf2, 0xc9, 0x4c, 0xff}, NearBlack}, // yellow
		{color.RGBA{0xff, 0xff, 0xff, 0xff}, NearBlack},
		{color.RGBA{0x7f, 0xd1, 0xe0, 0xff}, NearBlack}, // light blue
	} {
		if got := TextColour(tc.brand); got != tc.want {
			t.Errorf("TextColour(%v) = %v, want %v", tc.brand, got, tc.want)
		}
	}
	// Every colour on a grid, the mid-greys where white and near-black
	// both fall short among them, gets text of at least 4.5:1.
	for r := 0; r < 256; r += 5 {
		for g := 0; g < 256; g += 5 {
			for b := 0; b < 256; b += 5 {
				brand := color.RGBA{uint8(r), uint8(g), uint8(b), 0xff}
				if c := Contrast(brand, TextColour(brand)); c < MinContrast {
					t.Fatalf("text on %v has contrast %.2f", brand, c)
				}
			}
		}
	}
	grey := color.RGBA{0x77, 0x77, 0x77, 0xff}
	if Contrast(grey, White) >= MinContrast || Contrast(grey, NearBlack) >= MinContrast {
		t.Fatal("the test's grey is not one where both fall short")
	}
}

// TestCardTextContrast: the pixels of a drawn card's title are the chosen
// text colour, which reads on the brand colour.
func TestCardTextContrast(t *testing.T) {
	for _, brand := range []color.RGBA{teal, {0xf2, 0xc9, 0x4c, 0xff}, {0x77, 0x77, 0x77, 0xff}} {
		img := render(Card{Title: "Rehab potential", Brand: brand})
		ink := TextColour(brand)
		found := false
		for y := Safe.Min.Y; y < Safe.Max.Y && !found; y++ {
			for x := Safe.Min.X; x < Safe.Max.X; x++ {
				if rgbaAt(img, x, y) == ink {
					found = true
					break
				}
			}
		}
		if !found {
			t.Errorf("brand %v: no pixel in the text colour %v", brand, ink)
		}
		if c := Contrast(brand, ink); c < MinContrast {
			t.Errorf("brand %v: contrast %.2f", brand, c)
		}
	}
}

func TestBrandDefault(t *testing.T) {
	img := render(Card{Title: "x"})
	if got := rgbaAt(img, 0, 0); got != DefaultBrand {
		t.Errorf("background %v, want the default %v", got, DefaultBrand)
	}
	img = render(Card{Title: "x", Brand: color.RGBA{0x10, 0x20, 0x30, 0x00}})
	if got := rgbaAt(img, 0, 0); got != (color.RGBA{0x10, 0x20, 0x30, 0xff}) {
		t.Errorf("background %v: the brand's alpha is not ignored", got)
	}
}

// withSize rewrites a PNG's header to claim w×h pixels (its data stays
// that of the small picture).
func withSize(p []byte, w, h uint32) []byte {
	p = bytes.Clone(p)
	// signature (8), length (4), "IHDR" (4), then width and height.
	binary.BigEndian.PutUint32(p[16:], w)
	binary.BigEndian.PutUint32(p[20:], h)
	binary.BigEndian.PutUint32(p[29:], crc32.ChecksumIEEE(p[12:29]))
	return p
}

func TestLogo(t *testing.T) {
	base := story()
	base.Logo = nil
	without, _ := Draw(base)

	withLogo := base
	withLogo.Logo = testLogo(120, 120)
	b, _ := Draw(withLogo)
	if bytes.Equal(b, without) {
		t.Error("a PNG logo is not drawn")
	}
	img := render(withLogo)
	foot := image.Rect(Safe.Min.X, Safe.Max.Y-footHeight, Safe.Min.X+footHeight, Safe.Max.Y)
	if rgbaAt(img, foot.Min.X+footHeight/2, foot.Min.Y+3) != White {
		t.Error("no white tile under the logo")
	}

	for name, logo := range map[string][]byte{
		"corrupt PNG":   testLogo(120, 120)[:60],
		"random bytes":  []byte("\x89PNG\r\n\x1a\nthis is not a picture at all"),
		"SVG":           []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>`),
		"GIF":           []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
		"zero pixels":   withSize(testLogo(8, 8), 0, 8),
		"too many":      withSize(testLogo(8, 8), 3000, 3000),
		"far too many":  withSize(testLogo(8, 8), 1<<30, 1<<30),
		"corrupt after": append(withSize(testLogo(8, 8), 8, 8)[:40], 0, 0, 0),
	} {
		c := base
		c.Logo = logo
		b, err := Draw(c)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(b, without) {
			t.Errorf("%s: the card is not the one drawn without a logo", name)
		}
	}
}

// TestHugeLogoNotDecoded: a logo whose header says it is over
// MaxLogoPixels is refused from its header, without allocating its pixels.
func TestHugeLogoNotDecoded(t *testing.T) {
	huge := withSize(testLogo(8, 8), 2001, 2000) // just over 4 megapixels
	if decodeLogo(huge) != nil {
		t.Fatal("a 4.002 megapixel logo was decoded")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < 10; i++ {
		decodeLogo(huge)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing a huge logo ten times allocated %d bytes; decoding it would take 16 MB each", n)
	}
	if decodeLogo(testLogo(2000, 2000)) == nil {
		t.Error("a logo of exactly 4 megapixels is refused")
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"  Two\nlines\t and\r\n  tabs  ": "Two lines and tabs",
		"bell\x07 and \u2028 separator":  "bell and separator",
		"bad \xff byte":                  "bad \uFFFD byte",
	} {
		if got := clean(in, 300); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
	if got := []rune(clean(strings.Repeat("ŵ ", 400), MaxTitleRunes)); len(got) != MaxTitleRunes {
		t.Errorf("cut at %d runes, want %d", len(got), MaxTitleRunes)
	}
}

func TestParseHex(t *testing.T) {
	for in, want := range map[string]color.RGBA{"#005a70": DefaultBrand, "#005A70": DefaultBrand, "#fff": White} {
		if got, ok := ParseHex(in); !ok || got != want {
			t.Errorf("ParseHex(%q) = %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "005a70", "#05a7", "#00zz70", "#005a700"} {
		if _, ok := ParseHex(in); ok {
			t.Errorf("ParseHex(%q) read a colour", in)
		}
	}
}

func FuzzTitle(f *testing.F) {
	for _, s := range []string{"", "Rehab", long, "العلاج الوظيفي", "Ŵyr\u0301\u0301\u0301", "a\u202eb\u202dc\u2067d", "\u200d\u200c\u0640\u0640", "\U0001F600 emoji"} {
		f.Add(s, "Story")
	}
	f.Fuzz(func(t *testing.T, title, kind string) {
		img := render(Card{Title: title, Kind: kind, Site: kind + " site"})
		if p, ok := marginsClear(img, DefaultBrand); !ok {
			t.Fatalf("drawn in the margin at %v", p)
		}
	})
}

// BenchmarkDraw draws stories' cards, each title its own as in a build,
// without a logo (16 colours), with a logo of few colours (a palette of
// more) and with one of many (RGB).
func BenchmarkDraw(b *testing.B) {
	for name, logo := range map[string][]byte{"nologo": nil, "logo": testLogo(400, 160), "manycolours": manyColourLogo(400, 160)} {
		b.Run(name, func(b *testing.B) {
			c := story()
			c.Logo = logo
			title := c.Title
			var n, i int
			for b.Loop() {
				i++
				c.Title = fmt.Sprintf("%s, part %d", title, i)
				out, err := Draw(c)
				if err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.ReportMetric(float64(n), "png-bytes")
		})
	}
}

func BenchmarkRender(b *testing.B) {
	c, d := story(), newDrawer()
	for b.Loop() {
		d.render(c)
	}
}

func BenchmarkEncode(b *testing.B) {
	img, d := render(story()), newDrawer()
	for b.Loop() {
		if _, err := d.encode(img); err != nil {
			b.Fatal(err)
		}
	}
}

// render draws on a drawer of its own, so a test can keep the picture.
func render(c Card) image.Image { return newDrawer().render(c) }

func rgbaAt(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

// TestPack4: pack4 packs any even number of indexes as a byte each pair,
// the first in the high bits, eight at a time or one pair at a time.
func TestPack4(t *testing.T) {
	for n := 0; n <= 40; n += 2 {
		pix := make([]byte, n)
		for i := range pix {
			pix[i] = byte(i*7+n) % 16
		}
		got := make([]byte, n/2)
		pack4(got, pix)
		for i := range got {
			if want := pix[2*i]<<4 | pix[2*i+1]; got[i] != want {
				t.Fatalf("%d indexes: byte %d is %#x, want %#x", n, i, got[i], want)
			}
		}
	}
}

// TestStampRuns: a mask stamped run by run, clipped anywhere, changes the
// pixels that blending its whole box would.
func TestStampRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	towards := towardsOf(levels - 1)
	for n := range 500 {
		m := &glyphMask{w: 1 + rng.IntN(30), h: 1 + rng.IntN(30)}
		m.q = make([]uint8, m.w*m.h)
		for i := range m.q {
			if rng.IntN(3) > 0 {
				m.q[i] = uint8(rng.IntN(levels))
			}
		}
		m.spans()
		at := image.Pt(rng.IntN(40)-10, rng.IntN(40)-10)
		clip := image.Rect(rng.IntN(20), rng.IntN(20), 10+rng.IntN(30), 10+rng.IntN(30))
		got := image.NewPaletted(image.Rect(0, 0, 40, 40), nil)
		for i := range got.Pix {
			got.Pix[i] = uint8(rng.IntN(levels))
		}
		want := image.NewPaletted(got.Rect, nil)
		copy(want.Pix, got.Pix)
		stamp(got, m, at, clip, &towards)
		r := image.Rect(at.X, at.Y, at.X+m.w, at.Y+m.h).Intersect(clip).Intersect(want.Rect)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if c := m.q[(y-at.Y)*m.w+x-at.X]; c != 0 {
					want.Pix[want.PixOffset(x, y)] = towards[want.Pix[want.PixOffset(x, y)]][c]
				}
			}
		}
		if !bytes.Equal(got.Pix, want.Pix) {
			t.Fatalf("mask %d (%dx%d at %v, clip %v): stamped other pixels", n, m.w, m.h, at, clip)
		}
	}
}

// TestLabelsKept: a drawer that keeps the labels it has set (the kind,
// the site's name) draws every card as a new drawer does, through more
// labels than it keeps, in more than one language and width.
func TestLabelsKept(t *testing.T) {
	d := newDrawer()
	sites := []string{"Occupational therapy evidence and stories from the North West", "Straeon Therapi", "قصص العلاج"}
	langs := []string{"en-GB", "cy", "ar"}
	for i := range 2*maxLabels + 10 {
		c := Card{Title: fmt.Sprintf("Back to the allotment, part %d", i%7), Kind: fmt.Sprintf("Kind %d", i%(maxLabels+5)), Site: sites[i%3], Lang: langs[i%3]}
		if i%4 == 0 {
			c.Logo = testLogo(200, 80) // a narrower box for the site's name
		}
		got, err := d.encode(d.render(c))
		if err != nil {
			t.Fatal(err)
		}
		fresh := newDrawer()
		want, err := fresh.encode(fresh.render(c))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("card %d (%s, %s, %s) differs from a new drawer's", i, c.Kind, c.Site, c.Lang)
		}
	}
	if len(d.labels) == 0 || len(d.labels) > maxLabels {
		t.Errorf("the drawer keeps %d labels, want 1 to %d", len(d.labels), maxLabels)
	}
}
