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
	"github.com/otpress/otpress/generator/internal/themap"
	"github.com/otpress/otpress/generator/internal/words"
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
	wideWidth   = 720
	narrowWidth = 320
	// wholeWide and wholeNarrow are how many themes the map of /themes/
	// draws at most: those with the most items.
	wholeWide, wholeNarrow = 30, 15
	backboneK              = 2 // each theme's strongest connections drawn
	tableRows              = 60
)

// render turns a laid-out drawing into its view, cropped to what it draws.
func (r *Renderer) render(d *themap.Drawing, class, id string, current *taxonomy.Theme) *Drawing {
	boxes := d.Place()
	top, bottom := math.Inf(1), math.Inf(-1)
	for i, n := range d.Nodes {
		top = min(top, n.Y-n.R, boxes[i].Y0)
		bottom = max(bottom, n.Y+n.R, boxes[i].Y1)
	}
	shift := 4 - top // a margin of 4 units above and below
	v := &Drawing{Class: class, ID: id, Width: int(d.Width), Height: int(math.Ceil(bottom - top + 8)), missing: d.Missing}
	maxCount, longest := 1, d.Longest()
	for _, e := range d.Edges {
		maxCount = max(maxCount, e.Count)
	}
	for _, e := range d.Edges {
		a, b := d.At[e.A], d.At[e.B]
		w := num(1.5 + 4.5*float64(e.Count)/float64(maxCount))
		if d.Width == narrowWidth {
			w = num(1 + 3*float64(e.Count)/float64(maxCount))
		}
		if !d.Arcs {
			v.Edges = append(v.Edges, MapEdge{D: fmt.Sprintf("M%s %sL%s %s", num(a.X), num(a.Y+shift), num(b.X), num(b.Y+shift)), Width: w})
			continue
		}
		y0, y1 := min(a.Y, b.Y), max(a.Y, b.Y)
		rx, ry := d.ArcWidth(y1-y0, longest), (y1-y0)/2
		v.Edges = append(v.Edges, MapEdge{D: fmt.Sprintf("M%s %sA%s %s 0 0 0 %s %s", num(d.Column), num(y0+shift), num(rx), num(ry), num(d.Column), num(y1+shift)), Width: w})
	}
	for i, n := range d.Nodes {
		mn := MapNode{Title: n.Theme.Title, Label: r.w().MustN("map.node", n.Theme.Count(), "Theme", n.Theme.Title), X: num(n.X), Y: num(n.Y + shift), R: num(n.R)}
		if n.Theme != current {
			mn.Href = r.cfg.Link(n.Theme.Path())
		}
		b := boxes[i]
		mn.Plate = MapBox{X: num(b.X0), Y: num(b.Y0 + shift + 1), W: num(b.X1 - b.X0), H: num(b.Y1 - b.Y0 - 2)}
		for j, l := range n.Lines {
			mn.Text = append(mn.Text, MapLine{X: num(boxes[i].X0 + 1), Y: num(boxes[i].Y0 + shift + themap.FontSize + themap.LineGap*float64(j)), Text: l})
		}
		v.Nodes = append(v.Nodes, mn)
	}
	return v
}

// byItemsThenTitle orders themes for Tab order and for the narrow drawings:
// most items first, then A to Z.
func byItemsThenTitle(a, b *taxonomy.Theme) int {
	return cmp.Or(cmp.Compare(b.Count(), a.Count()), cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), cmp.Compare(a.Slug, b.Slug))
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
	w := r.w()
	var related []RelatedTheme
	for _, e := range edges {
		o := e.Other(th)
		related = append(related, RelatedTheme{
			Title: o.Title, Href: r.cfg.Link(o.Path()), Count: e.Count,
			Words: w.MustN("map.appears_with", e.Count, "Theme", th.Title),
		})
	}
	shown := edges[:min(len(edges), localMapSize-1)]
	nodes := []*taxonomy.Theme{th}
	for _, e := range shown {
		nodes = append(nodes, e.Other(th))
	}
	m := &Map{
		ID:      "map-" + th.Slug,
		Title:   w.Must("map.title_theme", "Theme", th.Title),
		Summary: neighbourSummary(w, th, edges),
		Lines:   w.Must("map.lines_theme"),
	}
	if len(edges) > len(shown) {
		m.Lines = w.Must("map.lines_theme_cut", "Shown", len(shown), "All", len(edges))
	}

	// wide: the theme in the middle, the others around it
	wide := themap.NewDrawing(wideWidth, nodes, shown, th, 8, 18, 220)
	pos := themap.Radial(th, shown)
	for _, n := range wide.Nodes {
		n.X, n.Y = wideWidth/2+(pos[n.Theme].X-0.5)*400, 30+pos[n.Theme].Y*400
	}
	// narrow: the theme at the top, the others in a column below it
	narrow := themap.NewDrawing(narrowWidth, nodes, shown, th, 6, 13, 216)
	y := 0.0
	for i, n := range narrow.Nodes {
		n.X = 76
		if i == 0 {
			n.X = 20
		}
		row := max(2*n.R+12, n.H+10)
		n.Y, y = y+row/2, y+row
	}
	m.Drawings = []*Drawing{
		r.render(wide, "map-wide", m.ID+"-title", th),
		r.render(narrow, "map-narrow", m.ID+"-title-narrow", th),
	}
	return related, m
}

// neighbourSummary says which themes th appears with most often, or that
// they all tie. Each sentence is one word, its count the items shared
// with the strongest (N is how many themes th appears with).
func neighbourSummary(w *words.Words, th *taxonomy.Theme, edges []*taxonomy.Edge) string {
	n, top := len(edges), edges[0].Count
	tied := 0
	for tied < n && edges[tied].Count == top {
		tied++
	}
	switch {
	case n == 1:
		return w.MustN("map.with_one", top, "Theme", th.Title, "Other", edges[0].Other(th).Title)
	case tied == n:
		return w.MustN("map.with_all_tied", top, "Theme", th.Title, "N", n)
	case tied == 1:
		return w.MustN("map.with_strongest", top, "Theme", th.Title, "N", n, "Other", edges[0].Other(th).Title)
	case tied <= 3:
		names := make([]string, tied)
		for i, e := range edges[:tied] {
			names[i] = e.Other(th).Title
		}
		return w.MustN("map.with_few_tied", top, "Theme", th.Title, "N", n, "Others", listed(w, names))
	default:
		return w.MustN("map.with_many_tied", top, "Theme", th.Title, "N", n, "Tied", tied)
	}
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
	w := r.w()
	m := &Map{ID: "map-all", Title: w.Must("map.title_all"), Summary: wholeSummary(w, len(nodes), edges)}
	switch {
	case len(edges) == 0:
		m.Lines = w.Must("map.lines_none")
	case len(conns) == len(edges):
		m.Lines = w.MustN("map.lines_all", len(edges), "K", backboneK)
	default:
		m.Lines = w.MustN("map.lines_strongest", len(edges), "K", backboneK)
		m.ListNote = w.MustN("map.list_note", len(edges), "Shown", tableRows)
	}

	// wide: a force-directed layout of the strongest connections
	wide := themap.NewDrawing(wideWidth, wideSet, wideEdges, nil, 8, 18, 220)
	pos := themap.Layout(wideSet, wideEdges)
	h := float64(min(max(26*len(wideSet), 280), 620))
	for _, n := range wide.Nodes {
		n.X, n.Y = 40+pos[n.Theme].X*(wideWidth-80), 30+pos[n.Theme].Y*h
	}
	// narrow: the themes in a column, most items first, the lines as arcs
	narrow := themap.NewDrawing(narrowWidth, narrowSet, narrowEdges, nil, 6, 13, 196)
	narrow.Arcs, narrow.Column = true, 104
	y := 0.0
	for _, n := range narrow.Nodes {
		row := max(2*n.R+10, n.H+8)
		n.X, n.Y, y = narrow.Column, y+row/2, y+row
	}
	dw, dn := r.render(wide, "map-wide", "map-all-title", nil), r.render(narrow, "map-narrow", "map-all-title-narrow", nil)
	if len(nodes) > len(wideSet) {
		dw.Note = w.MustN("map.drawing_note", len(wideSet))
	}
	if len(nodes) > len(narrowSet) {
		dn.Note = w.MustN("map.drawing_note", len(narrowSet))
	}
	m.Drawings = []*Drawing{dw, dn}
	return m, conns
}

// wholeSummary says how many themes there are and which pair appears
// together most often, or how many pairs tie for it. Each sentence is one
// word, its count the items the strongest pairs share.
func wholeSummary(w *words.Words, themes int, edges []*taxonomy.Edge) string {
	if len(edges) == 0 {
		return w.MustN("map.whole_apart", themes)
	}
	top := edges[0].Count
	tied := 0
	for tied < len(edges) && edges[tied].Count == top {
		tied++
	}
	pair := func(e *taxonomy.Edge) string {
		a, b := e.Names()
		return w.Must("map.and", "A", a.Title, "B", b.Title)
	}
	switch {
	case tied == 1:
		return w.MustN("map.whole_one_pair", top, "Themes", themes, "Pair", pair(edges[0]))
	case tied <= 3:
		pairs := make([]string, tied)
		for i, e := range edges[:tied] {
			pairs[i] = pair(e)
		}
		return w.MustN("map.whole_few_pairs", top, "Themes", themes, "Tied", tied, "Pairs", joined(w, "map.pairs", pairs))
	default:
		return w.MustN("map.whole_many_pairs", top, "Themes", themes, "Tied", tied)
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
