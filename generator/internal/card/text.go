package card

import (
	"bytes"
	_ "embed"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"sort"
	"sync"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// The fonts, subset to their scripts' letters and stripped of hinting
// (fonts/README.md says how).
var (
	//go:embed fonts/AtkinsonHyperlegibleNext-Bold.ttf
	latinTTF []byte
	//go:embed fonts/NotoSansArabic-Bold.ttf
	arabicTTF []byte
)

var fonts struct {
	once          sync.Once
	latin, arabic *font.Font
}

// loadFonts parses the embedded fonts once; a Face, which caches, is made
// from them for each drawer, since a Face is not safe to share.
func loadFonts() (latin, arabic *font.Font) {
	fonts.once.Do(func() {
		parse := func(b []byte) *font.Font {
			f, err := font.ParseTTF(bytes.NewReader(b))
			if err != nil {
				panic("card: embedded font: " + err.Error()) // the tests parse them
			}
			return f.Font
		}
		fonts.latin, fonts.arabic = parse(latinTTF), parse(arabicTTF)
	})
	return fonts.latin, fonts.arabic
}

// drawer holds what one card's drawing uses and may keep for the next.
type drawer struct {
	latin, arabic *font.Face
	script        language.Script

	shaper   shaping.HarfbuzzShaper
	seg      shaping.Segmenter
	wrap     shaping.LineWrapper
	ras      vector.Rasterizer
	mask     image.Alpha
	outlines map[glyphKey][]ot.Segment // each glyph's, parsed once (outline)
	masks    map[maskKey]*glyphMask    // and rasterized (glyphMask)
	labels   map[labelKey]block        // one-line labels set (label)
	canvas   *image.Paletted           // the card drawn (render)
	rgb      *image.RGBA               // and in RGB, with a logo of many colours (inRGB)
	png      pngBuffers                // image/png's buffers (an RGB card)
	rows     []byte                    // a paletted card's rows, packed (writePaletted)
	blank    []bool                    // which rows are blank
	segs     segments                  // runs of rows compressed, kept
	idat     bytes.Buffer              // the rows compressed
	out      bytes.Buffer              // the PNG (encode)
}

// pngBuffers keeps one PNG encoder's buffers for the next card the
// drawer encodes (png.EncoderBufferPool).
type pngBuffers struct{ b *png.EncoderBuffer }

func (p *pngBuffers) Get() *png.EncoderBuffer  { return p.b }
func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.b = b }

func newDrawer() *drawer {
	l, a := loadFonts()
	return &drawer{latin: font.NewFace(l), arabic: font.NewFace(a), outlines: map[glyphKey][]ot.Segment{}, masks: map[maskKey]*glyphMask{}}
}

type glyphKey struct {
	face *font.Face
	id   font.GID
}

// outline is a glyph's outline, or nil if it has none.
func (d *drawer) outline(face *font.Face, id font.GID) []ot.Segment {
	k := glyphKey{face, id}
	s, ok := d.outlines[k]
	if !ok {
		data, _ := face.GlyphData(id).(font.GlyphOutline)
		s = data.Segments
		d.outlines[k] = s
	}
	return s
}

// SetScript and ResolveFace choose the face for each rune (the drawer is
// the segmenter's shaping.FontmapScript): Arabic letters, and the
// punctuation and digits among them, from Noto Sans Arabic; the rest from
// Atkinson Hyperlegible Next.
func (d *drawer) SetScript(s language.Script) { d.script = s }

func (d *drawer) ResolveFace(r rune) *font.Face {
	if d.script == language.Arabic {
		if _, ok := d.arabic.NominalGlyph(r); ok {
			return d.arabic
		}
	}
	if _, ok := d.latin.NominalGlyph(r); ok {
		return d.latin
	}
	if _, ok := d.arabic.NominalGlyph(r); ok {
		return d.arabic
	}
	return d.latin
}

// glyph is one glyph placed on a line.
type glyph struct {
	face    *font.Face
	id      font.GID
	x, y    float64 // the glyph's origin from the line's start and baseline, y down
	scale   float32 // pixels to the font unit
	cluster int     // the index of its first rune in the text
}

// line is one line of set text, its glyphs left to right.
type line struct {
	glyphs  []glyph
	width   float64
	size    float64 // the largest of its runs
	ascent  float64 // the ink's height above the baseline
	descent float64 // and below it, positive
}

// block is a paragraph set in lines.
type block struct {
	lines     []line
	size      float64
	width     float64 // of the widest line
	rtl       bool
	truncated bool
}

// labelKey is what a one-line label's layout follows.
type labelKey struct {
	s, lang  string
	size     float64
	maxWidth int
}

// maxLabels is how many labels a drawer keeps set: every card of a site
// shows the same few (its kinds and the site's name).
const maxLabels = 64

// label is layout of s on one line, kept: shaping and wrapping the same
// kind and site name on every card was a sixth of drawing it.
func (d *drawer) label(s string, size float64, maxWidth int, lang string) block {
	k := labelKey{s, lang, size, maxWidth}
	if b, ok := d.labels[k]; ok {
		return b
	}
	b := d.layout(s, size, maxWidth, 1, lang)
	if d.labels == nil || len(d.labels) >= maxLabels {
		d.labels = map[labelKey]block{}
	}
	d.labels[k] = b
	return b
}

// layout sets s at size (pixels to the em) in lines at most maxWidth wide,
// at most maxLines of them (0: no limit) with an ellipsis at the end of the
// last when s is cut.
func (d *drawer) layout(s string, size float64, maxWidth, maxLines int, lang string) block {
	runes := []rune(s)
	dir := di.DirectionLTR
	rtl := firstStrongRTL(s)
	if rtl {
		dir = di.DirectionRTL
	}
	sz := fixed.Int26_6(math.Round(size * 64))
	in := shaping.Input{
		Text:      runes,
		RunEnd:    len(runes),
		Direction: dir,
		Face:      d.latin,
		Size:      sz,
		Language:  language.NewLanguage(lang),
	}
	runs := d.seg.Split(in, d)
	outs := make([]shaping.Output, len(runs))
	for i, r := range runs {
		outs[i] = d.shaper.Shape(r)
	}
	cfg := shaping.WrapConfig{Direction: dir, TruncateAfterLines: maxLines, BreakPolicy: shaping.WhenNecessary}
	if maxLines > 0 {
		dots := []rune{'…'}
		face := d.latin
		if rtl {
			face = d.arabic
		}
		cfg.Truncator = d.shaper.Shape(shaping.Input{Text: dots, RunEnd: 1, Direction: dir, Face: face, Size: sz, Language: in.Language, Script: language.Common})
	}
	wrapped, truncated := d.wrap.WrapParagraph(cfg, maxWidth, runes, shaping.NewSliceIterator(outs))
	b := block{size: size, rtl: rtl, truncated: truncated > 0}
	for _, wl := range wrapped {
		b.lines = append(b.lines, place(wl))
		b.width = max(b.width, b.lines[len(b.lines)-1].width)
	}
	return b
}

// place lays a wrapped line's runs out left to right.
func place(wl shaping.Line) line {
	runs := make([]shaping.Output, len(wl))
	copy(runs, wl)
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].VisualIndex < runs[j].VisualIndex })
	var l line
	var x float64
	for _, run := range runs {
		l.size = max(l.size, f64(run.Size))
		l.ascent = max(l.ascent, f64(run.GlyphBounds.Ascent))
		l.descent = max(l.descent, -f64(run.GlyphBounds.Descent))
		scale := float32(0)
		if upem := run.Face.Upem(); upem > 0 {
			scale = float32(f64(run.Size) / float64(upem))
		}
		for _, g := range run.Glyphs {
			l.glyphs = append(l.glyphs, glyph{face: run.Face, id: g.GlyphID, x: x + f64(g.XOffset), y: -f64(g.YOffset), scale: scale, cluster: g.ClusterIndex})
			x += f64(g.XAdvance)
		}
	}
	l.width = x
	return l
}

func f64(v fixed.Int26_6) float64 { return float64(v) / 64 }

// height is the block's ink from the first line's top to the last line's
// bottom, and the baselines of its lines from that top.
func (b block) height() (h float64, baselines []float64) {
	pitch := b.size * lineSpacing
	y := 0.0
	for i, l := range b.lines {
		if i == 0 {
			y = l.ascent
		} else {
			prev := b.lines[i-1]
			y += max(pitch, prev.descent+l.ascent+0.08*b.size)
		}
		baselines = append(baselines, y)
	}
	if n := len(b.lines); n > 0 {
		h = y + b.lines[n-1].descent
	}
	return h, baselines
}

// fitTitle sets the title in box at the largest size at which it fits
// whole, or at the smallest, in as many lines as fit there, cut with an
// ellipsis.
func (d *drawer) fitTitle(title string, box image.Rectangle, lang string) block {
	var b block
	for i, size := range titleSizes {
		last := i == len(titleSizes)-1
		maxLines := 0
		if last {
			maxLines = max(1, int(float64(box.Dy())/(size*lineSpacing))+1)
		}
		for {
			b = d.layout(title, size, box.Dx(), maxLines, lang)
			if h, _ := b.height(); h <= float64(box.Dy()) || !last || maxLines <= 1 {
				break
			}
			maxLines-- // at the smallest size, fewer lines until they fit
		}
		if h, _ := b.height(); h <= float64(box.Dy()) {
			break
		}
	}
	return b
}

// drawBlock draws b's lines from box's top, at its start (its right in a
// right-to-left layout), clipped to box.
func (d *drawer) drawBlock(img *image.Paletted, b block, box image.Rectangle, ink uint8, rtl bool) {
	_, baselines := b.height()
	for i, l := range b.lines {
		x := float64(box.Min.X)
		if rtl {
			x = float64(box.Max.X) - l.width
		}
		d.drawLine(img, l, x, float64(box.Min.Y)+baselines[i], box, ink)
	}
}

// drawCentred draws a one-line block centred vertically in box, at its
// start (its right in a right-to-left layout).
func (d *drawer) drawCentred(img *image.Paletted, b block, box image.Rectangle, ink uint8, rtl bool) {
	if len(b.lines) == 0 {
		return
	}
	l := b.lines[0]
	// Centre Latin capitals' height, so that every label sits alike
	// whatever its letters; taller letters (Arabic), their ink.
	capH := b.size * 0.7 // Atkinson Hyperlegible Next's capitals, about
	baseline := float64(box.Min.Y) + float64(box.Dy())/2 + capH/2
	if l.ascent > capH*1.3 {
		baseline = float64(box.Min.Y) + (float64(box.Dy())-(l.ascent+l.descent))/2 + l.ascent
	}
	x := float64(box.Min.X)
	if rtl {
		x = float64(box.Max.X) - l.width
	}
	d.drawLine(img, l, x, baseline, box, ink)
}

// drawLine fills a line's glyphs in the palette's step ink, clipped to
// clip, with the line's start at x and its baseline at y, rounded to a
// whole pixel: each glyph from its mask (glyphMask), at the quarter pixel
// nearest its place.
func (d *drawer) drawLine(img *image.Paletted, l line, x, y float64, clip image.Rectangle, ink uint8) {
	clip = clip.Intersect(img.Bounds())
	towards := towardsOf(ink)
	base := math.Round(y)
	for _, g := range l.glyphs {
		gx, gy := x+g.x, base+g.y
		ix, iy := math.Floor(gx), math.Floor(gy)
		px, py := int(math.Round((gx-ix)*4)), int(math.Round((gy-iy)*4))
		m := d.glyphMask(g, px, py)
		if len(m.q) > 0 {
			stamp(img, m, image.Pt(int(ix)+m.at.X, int(iy)+m.at.Y), clip, &towards)
		}
	}
}

// maskKey is a glyph at a size, drawn px and py quarters of a pixel right
// of and below a whole pixel (0 to 4).
type maskKey struct {
	face   *font.Face
	id     font.GID
	scale  float32
	px, py int
}

// glyphMask is a glyph's coverage in steps of levels-1, w wide, row by
// row; its top left is at pixels from the whole pixel of its origin.
type glyphMask struct {
	at   image.Point
	w, h int
	q    []uint8
	// runs are the covered pixels' spans, row by row: row y's are
	// runs[rows[y]:rows[y+1]] (most of a glyph's box is not covered)
	runs []maskRun
	rows []int32
}

// maskRun is a span of a mask's row, from x, n pixels, none uncovered.
type maskRun struct{ x, n int32 }

// maxMasks bounds the masks a drawer keeps: a site's cards set a few
// dozen letters at a few sizes, and the drawer starts again past it.
const maxMasks = 4096

// glyphMask is g's mask at the offset px, py in quarters of a pixel,
// rasterized the first time the drawer needs it.
func (d *drawer) glyphMask(g glyph, px, py int) *glyphMask {
	k := maskKey{g.face, g.id, g.scale, px, py}
	if m, ok := d.masks[k]; ok {
		return m
	}
	if len(d.masks) >= maxMasks {
		clear(d.masks)
	}
	m := &glyphMask{}
	d.masks[k] = m
	segs := d.outline(g.face, g.id)
	ox, oy := float32(px)/4, float32(py)/4
	pt := func(p ot.SegmentPoint) (float32, float32) { return ox + p.X*g.scale, oy - p.Y*g.scale }
	x0, y0, x1, y1 := float32(math.Inf(1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Inf(-1))
	for _, s := range segs {
		for _, p := range s.ArgsSlice() { // a curve keeps within its control points
			x, y := pt(p)
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
	}
	if x0 > x1 {
		return m // no outline: a space
	}
	m.at = image.Pt(int(math.Floor(float64(x0))), int(math.Floor(float64(y0))))
	m.w, m.h = int(math.Ceil(float64(x1)))-m.at.X, int(math.Ceil(float64(y1)))-m.at.Y
	if m.w <= 0 || m.h <= 0 || m.w*m.h > Width*Height {
		return m
	}
	dx, dy := float32(m.at.X), float32(m.at.Y)
	at := func(p ot.SegmentPoint) (float32, float32) { x, y := pt(p); return x - dx, y - dy }
	d.ras.Reset(m.w, m.h)
	open := false
	for _, s := range segs {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			if open {
				d.ras.ClosePath()
			}
			d.ras.MoveTo(at(s.Args[0]))
			open = true
		case ot.SegmentOpLineTo:
			d.ras.LineTo(at(s.Args[0]))
		case ot.SegmentOpQuadTo:
			x1, y1 := at(s.Args[0])
			x2, y2 := at(s.Args[1])
			d.ras.QuadTo(x1, y1, x2, y2)
		case ot.SegmentOpCubeTo:
			x1, y1 := at(s.Args[0])
			x2, y2 := at(s.Args[1])
			x3, y3 := at(s.Args[2])
			d.ras.CubeTo(x1, y1, x2, y2, x3, y3)
		}
	}
	if open {
		d.ras.ClosePath()
	}
	cov := d.coverage(m.w, m.h)
	m.q = make([]uint8, len(cov))
	for i, a := range cov {
		m.q[i] = stepOf[a]
	}
	m.spans()
	return m
}

// spans finds the runs of m's covered pixels, row by row.
func (m *glyphMask) spans() {
	m.runs, m.rows = m.runs[:0], make([]int32, m.h+1)
	for y := range m.h {
		m.rows[y] = int32(len(m.runs))
		q := m.q[y*m.w : (y+1)*m.w]
		for x := 0; x < m.w; {
			if q[x] == 0 {
				x++
				continue
			}
			end := x + 1
			for end < m.w && q[end] != 0 {
				end++
			}
			m.runs = append(m.runs, maskRun{int32(x), int32(end - x)})
			x = end
		}
	}
	m.rows[m.h] = int32(len(m.runs))
}

// stamp fills m, its top left at at, within clip, in the steps towards
// gives.
func stamp(img *image.Paletted, m *glyphMask, at image.Point, clip image.Rectangle, towards *[levels][levels]uint8) {
	r := image.Rect(at.X, at.Y, at.X+m.w, at.Y+m.h).Intersect(clip)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		my := y - at.Y
		for _, run := range m.runs[m.rows[my]:m.rows[my+1]] {
			x0, x1 := max(at.X+int(run.x), r.Min.X), min(at.X+int(run.x)+int(run.n), r.Max.X)
			if x0 < x1 {
				q := m.q[my*m.w+x0-at.X:][:x1-x0]
				blendRow(img.Pix[img.PixOffset(x0, y):][:len(q)], q, towards)
			}
		}
	}
}

// Levels is how many steps of coverage an edge pixel may take. Blending in
// 16 steps instead of 256 is not seen at these sizes, and keeps a card
// without a logo to 16 colours, the steps from brand to text colour (text
// over brand and brand over text take the same steps; the rule is one of
// them): it is drawn in a palette of them (19 KB a card, where 64 steps
// took 22 KB).
const levels = 16

// coverage rasterizes the path, w×h, and gives its coverage row by row,
// 0 to 255, good until the drawer's next use.
func (d *drawer) coverage(w, h int) []uint8 {
	if cap(d.mask.Pix) < w*h {
		d.mask.Pix = make([]uint8, w*h)
	}
	d.mask.Pix = d.mask.Pix[:w*h]
	d.mask.Stride = w
	d.mask.Rect = image.Rect(0, 0, w, h)
	d.ras.DrawOp = draw.Src
	d.ras.Draw(&d.mask, d.mask.Rect, image.Opaque, image.Point{})
	return d.mask.Pix
}

// steps is coverage a in steps of levels-1.
func steps(a uint8) uint32 { return (uint32(a)*(levels-1) + 127) / 255 }

// stepOf is steps of every coverage.
var stepOf = func() (t [256]uint8) {
	for a := range t {
		t[a] = uint8(steps(uint8(a)))
	}
	return t
}()

// fillPath fills the rasterizer's path, whose origin is r.Min, in the
// palette's step t over the steps img has in r.
func (d *drawer) fillPath(img *image.Paletted, r image.Rectangle, t uint8) {
	towards := towardsOf(t)
	w, h := r.Dx(), r.Dy()
	cov := d.coverage(w, h)
	for i, a := range cov {
		cov[i] = stepOf[a]
	}
	for y := range h {
		blendRow(img.Pix[img.PixOffset(r.Min.X, r.Min.Y+y):][:w], cov[y*w:y*w+w], &towards)
	}
}

// towardsOf is, for each step from and coverage q in steps of levels-1,
// the step q/(levels-1) of the way from from to t.
func towardsOf(t uint8) (towards [levels][levels]uint8) {
	const top = levels - 1
	for from := range uint32(levels) {
		for q := range uint32(levels) {
			towards[from][q] = uint8((from*(top-q) + uint32(t)*q + top/2) / top)
		}
	}
	return towards
}

// blendRow moves each pixel of row its coverage q of the way towards the
// table's step. Most of a glyph's box is not covered at all. Every pixel
// under text is one of the steps (a logo's tile is drawn last).
func blendRow(row, q []uint8, towards *[levels][levels]uint8) {
	for i, c := range q {
		if c != 0 && row[i] < levels {
			row[i] = towards[row[i]][c]
		}
	}
}

// blend is q steps of levels-1 from a to c.
func blend(a, c color.RGBA, q uint32) color.RGBA {
	const top = levels - 1
	m := func(x, y uint8) uint8 { return uint8((uint32(x)*(top-q) + uint32(y)*q + top/2) / top) }
	return color.RGBA{m(a.R, c.R), m(a.G, c.G), m(a.B, c.B), 0xff}
}
