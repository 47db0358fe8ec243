package render

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// Map is a theme map drawn as SVG at build time: real links, labels and
// weights, no JavaScript. It has two drawings of the same map: a wide one,
// and one shaped for narrow columns (phones, 400% zoom), where the wide one
// scaled down would make its labels smaller than 12 CSS px. A container
// query shows one of them.
type Map struct {
	ID       string // prefix for the ids the map uses
	Title    string // names the map for assistive technology
	Summary  string // one sentence saying what the map shows
	Lines    string // what the lines show and where the rest are
	Drawings []*Drawing
	ListNote string // below the table of connections, when it is cut short
}

// Drawing is one SVG of a map, in units of a 16-unit label font.
type Drawing struct {
	Class   string // "map-wide" or "map-narrow"
	ID      string // its title's id
	Width   int
	Height  int
	Note    string    // what this drawing leaves out, if anything
	Nodes   []MapNode // in Tab order: most items first
	Edges   []MapEdge
	missing int // labels placed over something: none in any map tested
}

// MapNode is one theme on a map. Numbers are preformatted for the SVG.
type MapNode struct {
	Title   string
	Href    string // empty for the theme whose page this is
	Label   string // accessible name: "Co-production, 12 items"
	X, Y, R string
	Text    []MapLine // the label, one or more lines
	Plate   MapBox    // under the label: hides the lines that pass beneath it
}

// MapBox is a rectangle in a drawing.
type MapBox struct{ X, Y, W, H string }

// MapLine is a line of a node's label, placed by its start and baseline.
type MapLine struct{ X, Y, Text string }

// MapEdge is a line between two themes (an SVG path); its width carries
// the number of items the themes share.
type MapEdge struct {
	D     string
	Width string
}

// RelatedTheme is a theme that appears with another, in words.
type RelatedTheme struct {
	Title string
	Href  string
	Count int    // items carrying both
	Words string // "appears with Co-production in 12 items"
}

// Connection is an edge of the whole map, for the table beside it.
type Connection struct {
	A, B  Link
	Count int
}

// RelatedItem is an item related to the page's item, with the reason.
type RelatedItem struct {
	Item    *Item
	Because string // "co-production, social prescribing"
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// The geometry of drawings, in SVG units: labels are 16 units. A wide
// drawing is 720 units across and is shown in columns of at least 540 CSS
// px (labels at least 12 px); a narrow one is 320 across, for narrower
// columns (at 288 px, the column of a 320 px screen, labels are 14.4 px).
const (
	fontSize    = 16.0
	lineGap     = 20.0 // from one line of a label to the next
	wideWidth   = 720
	narrowWidth = 320
	// wholeWide and wholeNarrow are how many themes the map of /themes/
	// draws at most: those with the most items.
	wholeWide, wholeNarrow = 30, 15
	backboneK              = 2 // each theme's strongest connections drawn
	tableRows              = 60
)

// glyphs are the advance widths of ASCII characters from space to tilde in
// DejaVu Sans and DejaVu Sans Bold, in thousandths of an em, measured in
// Chromium. DejaVu Sans is the widest face the site's font stack falls back
// to, so a label drawn in another is no wider than its box.
var glyphs = [2][95]uint16{
	{318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337, 637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 531, 1000, 685, 687, 699, 771, 632, 576, 775, 752, 295, 295, 656, 558, 863, 749, 788, 604, 788, 695, 635, 611, 732, 685, 989, 686, 611, 686, 391, 337, 391, 838, 500, 500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612, 635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838},
	{349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 581, 1000, 774, 763, 734, 831, 684, 684, 821, 837, 373, 373, 775, 638, 996, 837, 851, 733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458, 366, 458, 838, 500, 500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666, 343, 1042, 712, 688, 716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838},
}

// textWidth estimates the width of s at the labels' size: other letters
// count as wide ones (an accented capital), and CJK and the like as a
// whole em.
func textWidth(s string, bold bool) float64 {
	b := 0
	if bold {
		b = 1
	}
	w := 0
	for _, r := range s {
		switch {
		case r >= ' ' && r <= '~':
			w += int(glyphs[b][r-' '])
		case r >= 0x1100:
			w += 1000
		default:
			w += 800
		}
	}
	return float64(w) / 1000 * fontSize
}

// wrap breaks a label into lines of at most max units where it can, at
// spaces, into three lines at most.
func wrap(s string, max float64, bold bool) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{s}
	}
	lines := []string{words[0]}
	for _, w := range words[1:] {
		last := &lines[len(lines)-1]
		if try := *last + " " + w; textWidth(try, bold) <= max || len(lines) == 3 {
			*last = try
		} else {
			lines = append(lines, w)
		}
	}
	return lines
}

// node is a theme as a drawing places it.
type node struct {
	t     *taxonomy.Theme
	x, y  float64
	r     float64
	lines []string
	w, h  float64 // the label's box
}

// drawing is a drawing being laid out: nodes in Tab order, and edges as
// pieces of path, straight or curved.
type drawing struct {
	width   float64
	nodes   []*node
	at      map[*taxonomy.Theme]*node
	edges   []*taxonomy.Edge
	arcs    bool    // edges are arcs to the left of a column (narrow whole map)
	column  float64 // the column's x, for arcs
	missing int     // labels that found no free place
}

func newDrawing(width float64, themes []*taxonomy.Theme, edges []*taxonomy.Edge, current *taxonomy.Theme, rMin, rMax, maxLabel float64) *drawing {
	d := &drawing{width: width, at: map[*taxonomy.Theme]*node{}, edges: edges}
	maxCount := 1
	for _, t := range themes {
		maxCount = max(maxCount, t.Count())
	}
	for _, t := range themes {
		n := &node{t: t, r: rMin + (rMax-rMin)*sqrtRatio(t.Count(), maxCount)}
		n.lines = wrap(t.Title, maxLabel, t == current)
		for _, l := range n.lines {
			n.w = max(n.w, textWidth(l, t == current))
		}
		n.w += 2                                             // a margin on the plate under the label
		n.h = fontSize + 6 + lineGap*float64(len(n.lines)-1) // ascent, lines, descent
		d.nodes = append(d.nodes, n)
		d.at[t] = n
	}
	return d
}

// segments are the drawing's edges as straight pieces, for label placement.
func (d *drawing) segments() []taxonomy.Segment {
	var out []taxonomy.Segment
	longest := d.longest()
	for _, e := range d.edges {
		a, b := d.at[e.A], d.at[e.B]
		if !d.arcs {
			out = append(out, taxonomy.Segment{X1: a.x, Y1: a.y, X2: b.x, Y2: b.y, Start: true, End: true})
			continue
		}
		// an arc to the left of the column: half an ellipse, in 8 pieces
		y0, y1 := min(a.y, b.y), max(a.y, b.y)
		rx, ry := d.arcWidth(y1-y0, longest), (y1-y0)/2
		px, py := d.column, y0
		for i := 1; i <= 8; i++ {
			th := math.Pi * float64(i) / 8
			x, y := d.column-rx*math.Sin(th), y0+ry-ry*math.Cos(th)
			out = append(out, taxonomy.Segment{X1: px, Y1: py, X2: x, Y2: y, Start: i == 1, End: i == 8})
			px, py = x, y
		}
	}
	return out
}

// arcWidth is how far left of the column an arc spanning dy reaches: in
// proportion to its span, so arcs nest, the longest (spanning longest)
// reaching the left edge.
func (d *drawing) arcWidth(dy, longest float64) float64 {
	return dy / 2 * min(1, (d.column-8)/(longest/2))
}

// longest is the longest vertical span of an edge.
func (d *drawing) longest() float64 {
	l := 0.0
	for _, e := range d.edges {
		l = max(l, math.Abs(d.at[e.A].y-d.at[e.B].y))
	}
	return l
}

// place puts the labels, stretching the drawing downwards by a fifth
// until every label has a free place (stretching seldom takes a line off a
// label, so it is not done for that). After 8 stretches, labels still
// without a place take the places that break fewest rules, which no tested
// map needs.
func (d *drawing) place() []taxonomy.Box {
	for try := 0; ; try++ {
		marks := make([]taxonomy.Mark, len(d.nodes))
		for i, n := range d.nodes {
			marks[i] = taxonomy.Mark{X: n.x, Y: n.y, R: n.r, W: n.w, H: n.h}
		}
		boxes, missing, _ := taxonomy.PlaceLabels(marks, d.segments(), d.width)
		if missing == 0 || try == 8 {
			d.missing = missing
			return boxes
		}
		d.stretch()
	}
}

// render turns a laid-out drawing into its view, cropped to what it draws.
func (r *Renderer) render(d *drawing, class, id string, current *taxonomy.Theme) *Drawing {
	boxes := d.place()
	top, bottom := math.Inf(1), math.Inf(-1)
	for i, n := range d.nodes {
		top = min(top, n.y-n.r, boxes[i].Y0)
		bottom = max(bottom, n.y+n.r, boxes[i].Y1)
	}
	shift := 4 - top // a margin of 4 units above and below
	v := &Drawing{Class: class, ID: id, Width: int(d.width), Height: int(math.Ceil(bottom - top + 8)), missing: d.missing}
	maxCount, longest := 1, d.longest()
	for _, e := range d.edges {
		maxCount = max(maxCount, e.Count)
	}
	for _, e := range d.edges {
		a, b := d.at[e.A], d.at[e.B]
		w := num(1.5 + 4.5*float64(e.Count)/float64(maxCount))
		if d.width == narrowWidth {
			w = num(1 + 3*float64(e.Count)/float64(maxCount))
		}
		if !d.arcs {
			v.Edges = append(v.Edges, MapEdge{D: fmt.Sprintf("M%s %sL%s %s", num(a.x), num(a.y+shift), num(b.x), num(b.y+shift)), Width: w})
			continue
		}
		y0, y1 := min(a.y, b.y), max(a.y, b.y)
		rx, ry := d.arcWidth(y1-y0, longest), (y1-y0)/2
		v.Edges = append(v.Edges, MapEdge{D: fmt.Sprintf("M%s %sA%s %s 0 0 0 %s %s", num(d.column), num(y0+shift), num(rx), num(ry), num(d.column), num(y1+shift)), Width: w})
	}
	for i, n := range d.nodes {
		mn := MapNode{Title: n.t.Title, Label: fmt.Sprintf("%s, %s", n.t.Title, itemsWord(n.t.Count())), X: num(n.x), Y: num(n.y + shift), R: num(n.r)}
		if n.t != current {
			mn.Href = r.cfg.Link(n.t.Path())
		}
		b := boxes[i]
		mn.Plate = MapBox{X: num(b.X0), Y: num(b.Y0 + shift + 1), W: num(b.X1 - b.X0), H: num(b.Y1 - b.Y0 - 2)}
		for j, l := range n.lines {
			mn.Text = append(mn.Text, MapLine{X: num(boxes[i].X0 + 1), Y: num(boxes[i].Y0 + shift + fontSize + lineGap*float64(j)), Text: l})
		}
		v.Nodes = append(v.Nodes, mn)
	}
	return v
}

// stretch gives a drawing more room to place its labels: taller, with the
// nodes spread apart vertically about the top one.
func (d *drawing) stretch() {
	top := math.Inf(1)
	for _, n := range d.nodes {
		top = min(top, n.y)
	}
	for _, n := range d.nodes {
		n.y = top + (n.y-top)*1.2
	}
}

// byItemsThenTitle orders themes for Tab order and for the narrow drawings:
// most items first, then A to Z.
func byItemsThenTitle(a, b *taxonomy.Theme) int {
	return cmp.Or(cmp.Compare(b.Count(), a.Count()), cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), cmp.Compare(a.Slug, b.Slug))
}

// sqrtRatio is √(a/b), so a node's area grows with its count.
func sqrtRatio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return math.Sqrt(float64(a) / float64(b))
}

func itemsWord(n int) string {
	if n == 1 {
		return "1 item"
	}
	return strconv.Itoa(n) + " items"
}

// localMapSize is how many themes a theme page's map shows, itself included.
const localMapSize = 12

// themeNeighbourhood is a theme's connections, most items together first,
// for its page, and the map of the strongest.
func (r *Renderer) themeNeighbourhood(th *taxonomy.Theme, g *taxonomy.Graph) ([]RelatedTheme, *Map) {
	edges := g.Neighbours(th)
	if len(edges) == 0 {
		return nil, nil
	}
	var related []RelatedTheme
	for _, e := range edges {
		o := e.Other(th)
		related = append(related, RelatedTheme{
			Title: o.Title, Href: r.cfg.Link(o.Path()), Count: e.Count,
			Words: fmt.Sprintf("appears with %s in %s", th.Title, itemsWord(e.Count)),
		})
	}
	shown := edges[:min(len(edges), localMapSize-1)]
	nodes := []*taxonomy.Theme{th}
	for _, e := range shown {
		nodes = append(nodes, e.Other(th))
	}
	m := &Map{
		ID:      "map-" + th.Slug,
		Title:   "Map of the themes that appear with " + th.Title,
		Summary: neighbourSummary(th, edges),
		Lines:   "Larger circles have more items; thicker lines join themes that share more items.",
	}
	if len(edges) > len(shown) {
		m.Lines += fmt.Sprintf(" The map shows the %d strongest; the list below has all %d.", len(shown), len(edges))
	}

	// wide: the theme in the middle, the others around it
	wide := newDrawing(wideWidth, nodes, shown, th, 8, 18, 220)
	pos := taxonomy.Radial(th, shown)
	for _, n := range wide.nodes {
		n.x, n.y = wideWidth/2+(pos[n.t].X-0.5)*400, 30+pos[n.t].Y*400
	}
	// narrow: the theme at the top, the others in a column below it
	narrow := newDrawing(narrowWidth, nodes, shown, th, 6, 13, 216)
	y := 0.0
	for i, n := range narrow.nodes {
		n.x = 76
		if i == 0 {
			n.x = 20
		}
		row := max(2*n.r+12, n.h+10)
		n.y, y = y+row/2, y+row
	}
	m.Drawings = []*Drawing{
		r.render(wide, "map-wide", m.ID+"-title", th),
		r.render(narrow, "map-narrow", m.ID+"-title-narrow", th),
	}
	return related, m
}

// neighbourSummary says which themes th appears with most often, or that
// they all tie.
func neighbourSummary(th *taxonomy.Theme, edges []*taxonomy.Edge) string {
	n, top := len(edges), edges[0].Count
	tied := 0
	for tied < n && edges[tied].Count == top {
		tied++
	}
	others := plural(n, "theme", "themes")
	switch {
	case n == 1:
		return fmt.Sprintf("%s appears with 1 other theme, %s (%s together).", th.Title, edges[0].Other(th).Title, itemsWord(top))
	case tied == n:
		return fmt.Sprintf("%s appears with %d other %s, each in %s together: none more often than the others.", th.Title, n, others, itemsWord(top))
	case tied == 1:
		return fmt.Sprintf("%s appears with %d other %s; most often with %s (%s together).", th.Title, n, others, edges[0].Other(th).Title, itemsWord(top))
	case tied <= 3:
		names := make([]string, tied)
		for i, e := range edges[:tied] {
			names[i] = e.Other(th).Title
		}
		return fmt.Sprintf("%s appears with %d other %s; most often, equally, with %s (%s together each).", th.Title, n, others, andList(names), itemsWord(top))
	default:
		return fmt.Sprintf("%s appears with %d other %s; most often, equally, with %d of them (%s together each), listed first below.", th.Title, n, others, tied, itemsWord(top))
	}
}

// andList joins names as "A", "A and B", "A, B and C".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// WholeMap is the map of the themes with most items, for /themes/, and
// the connections for the table beside it: most items together first, then
// by name; all of them, or the strongest 60 and every one the map draws.
func (r *Renderer) wholeMap(all []*taxonomy.Theme, g *taxonomy.Graph) (*Map, []Connection) {
	var nodes []*taxonomy.Theme
	for _, t := range all {
		if t.Count() > 0 {
			nodes = append(nodes, t)
		}
	}
	if len(nodes) < 2 {
		return nil, nil
	}
	slices.SortFunc(nodes, byItemsThenTitle)
	wideSet, narrowSet := nodes[:min(len(nodes), wholeWide)], nodes[:min(len(nodes), wholeNarrow)]
	in := func(set []*taxonomy.Theme) func(*taxonomy.Theme) bool {
		return func(t *taxonomy.Theme) bool { return slices.Contains(set, t) }
	}
	wideEdges := taxonomy.Backbone(g.Edges, backboneK, in(wideSet))
	narrowEdges := taxonomy.Backbone(g.Edges, backboneK, in(narrowSet))

	edges := g.Edges // most items together first, then by name
	var conns []Connection
	for i, e := range edges {
		if i < tableRows || slices.Contains(wideEdges, e) {
			a, b := e.Names()
			conns = append(conns, Connection{A: Link{Title: a.Title, Href: r.cfg.Link(a.Path())}, B: Link{Title: b.Title, Href: r.cfg.Link(b.Path())}, Count: e.Count})
		}
	}
	m := &Map{ID: "map-all", Title: "Map of the themes and their strongest connections", Summary: wholeSummary(len(nodes), edges)}
	switch {
	case len(edges) == 0:
		m.Lines = "Larger circles have more items. No two themes share an item."
	case len(conns) == len(edges):
		m.Lines = fmt.Sprintf("Larger circles have more items. Each theme has lines to the %d themes it shares most items with, thicker for more; the table lists all %d connections.", backboneK, len(edges))
	default:
		m.Lines = fmt.Sprintf("Larger circles have more items. Each theme has lines to the %d themes it shares most items with, thicker for more; the table lists the strongest of the %d connections.", backboneK, len(edges))
		m.ListNote = fmt.Sprintf("The %d strongest of %d connections, and every one the map draws. Each theme's page lists all of its own.", tableRows, len(edges))
	}

	// wide: a force-directed layout of the strongest connections
	wide := newDrawing(wideWidth, wideSet, wideEdges, nil, 8, 18, 220)
	pos := taxonomy.Layout(wideSet, wideEdges)
	h := float64(min(max(26*len(wideSet), 280), 620))
	for _, n := range wide.nodes {
		n.x, n.y = 40+pos[n.t].X*(wideWidth-80), 30+pos[n.t].Y*h
	}
	// narrow: the themes in a column, most items first, the lines as arcs
	narrow := newDrawing(narrowWidth, narrowSet, narrowEdges, nil, 6, 13, 196)
	narrow.arcs, narrow.column = true, 104
	y := 0.0
	for _, n := range narrow.nodes {
		row := max(2*n.r+10, n.h+8)
		n.x, n.y, y = narrow.column, y+row/2, y+row
	}
	dw, dn := r.render(wide, "map-wide", "map-all-title", nil), r.render(narrow, "map-narrow", "map-all-title-narrow", nil)
	if len(nodes) > len(wideSet) {
		dw.Note = fmt.Sprintf("The map shows the %d themes with the most items.", len(wideSet))
	}
	if len(nodes) > len(narrowSet) {
		dn.Note = fmt.Sprintf("The map shows the %d themes with the most items.", len(narrowSet))
	}
	m.Drawings = []*Drawing{dw, dn}
	return m, conns
}

// wholeSummary says how many themes there are and which pair appears
// together most often, or how many pairs tie for it.
func wholeSummary(themes int, edges []*taxonomy.Edge) string {
	if len(edges) == 0 {
		return fmt.Sprintf("%d themes.", themes)
	}
	top := edges[0].Count
	tied := 0
	for tied < len(edges) && edges[tied].Count == top {
		tied++
	}
	pair := func(e *taxonomy.Edge) string {
		a, b := e.Names()
		return a.Title + " and " + b.Title
	}
	switch {
	case tied == 1:
		return fmt.Sprintf("%d themes; %s appear together most often (%s).", themes, pair(edges[0]), itemsWord(top))
	case tied <= 3:
		pairs := make([]string, tied)
		for i, e := range edges[:tied] {
			pairs[i] = pair(e)
		}
		return fmt.Sprintf("%d themes; %d pairs appear together most often, equally (%s each): %s.", themes, tied, itemsWord(top), strings.Join(pairs, "; "))
	default:
		return fmt.Sprintf("%d themes; %d pairs appear together most often, equally (%s each), listed first in the table.", themes, tied, itemsWord(top))
	}
}

// Because joins the shared themes of a related item for "Related because: …".
func Because(shared []*taxonomy.Theme) string {
	names := make([]string, len(shared))
	for i, t := range shared {
		names[i] = t.Title
	}
	return strings.Join(names, ", ")
}

// RelatedItems turns the ranking into views, with cards for each item.
func (r *Renderer) RelatedItems(rel []taxonomy.Related, card func(*content.Item) *Item) []RelatedItem {
	out := make([]RelatedItem, len(rel))
	for i, x := range rel {
		out[i] = RelatedItem{Item: card(x.Item), Because: Because(x.Shared)}
	}
	return out
}
