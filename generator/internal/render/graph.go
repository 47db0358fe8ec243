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
// weights, no JavaScript.
type Map struct {
	ID      string // prefix for the ids the map uses
	Title   string // names the map for assistive technology
	Summary string // one sentence saying what the map shows
	Width   int
	Height  int
	Nodes   []MapNode // in Tab order: most items first
	Edges   []MapEdge
}

// MapNode is one theme on a map. Numbers are preformatted for the SVG.
type MapNode struct {
	Title   string
	Href    string // empty for the theme whose page this is
	Label   string // accessible name: "Co-production, 12 items"
	X, Y, R string
	TextX   string
	TextY   string
	Anchor  string // "start" or "end"
}

// MapEdge is a line between two themes; its width carries the weight.
type MapEdge struct {
	X1, Y1, X2, Y2 string
	Width          string
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

// drawMap lays out themes and their edges in a width × height box. current
// (may be nil) is drawn without a link: it is the page being read.
func (r *Renderer) drawMap(id, title, summary string, themes []*taxonomy.Theme, edges []*taxonomy.Edge, pos map[*taxonomy.Theme]taxonomy.Point, current *taxonomy.Theme, width, height int) *Map {
	m := &Map{ID: id, Title: title, Summary: summary, Width: width, Height: height}
	if len(themes) == 0 {
		return nil
	}
	// labels point outwards, into margins wide enough for most theme names
	const marginX, marginY = 190.0, 30.0
	xy := map[*taxonomy.Theme][2]float64{}
	for _, t := range themes {
		p := pos[t]
		xy[t] = [2]float64{marginX + p.X*(float64(width)-2*marginX), marginY + p.Y*(float64(height)-2*marginY)}
	}
	spreadLabels(themes, xy, float64(height)-marginY, marginY)
	at := func(t *taxonomy.Theme) (float64, float64) { return xy[t][0], xy[t][1] }
	maxCount, maxJ := 1, 0.0
	for _, t := range themes {
		maxCount = max(maxCount, t.Count())
	}
	for _, e := range edges {
		maxJ = max(maxJ, e.Jaccard)
	}
	for _, e := range edges {
		x1, y1 := at(e.A)
		x2, y2 := at(e.B)
		w := 1.5
		if maxJ > 0 {
			w += 5 * e.Jaccard / maxJ
		}
		m.Edges = append(m.Edges, MapEdge{X1: num(x1), Y1: num(y1), X2: num(x2), Y2: num(y2), Width: num(w)})
	}
	order := slices.Clone(themes)
	slices.SortStableFunc(order, func(a, b *taxonomy.Theme) int {
		return cmp.Or(cmp.Compare(b.Count(), a.Count()), cmp.Compare(a.Title, b.Title))
	})
	for _, t := range order {
		x, y := at(t)
		radius := 8 + 10*sqrtRatio(t.Count(), maxCount)
		n := MapNode{Title: t.Title, Label: fmt.Sprintf("%s, %s", t.Title, itemsWord(t.Count())), X: num(x), Y: num(y), R: num(radius), TextY: num(y + 5), Anchor: "start", TextX: num(x + radius + 6)}
		if x < float64(width)/2 || t == current {
			n.Anchor, n.TextX = "end", num(x-radius-6)
		}
		if t != current {
			n.Href = r.cfg.Link(t.Path())
		}
		m.Nodes = append(m.Nodes, n)
	}
	return m
}

// spreadLabels nudges themes up and down until no two labels overlap (as
// far as a few passes can), so every label stays readable. Label boxes are
// estimated from the text length at the map's font size.
func spreadLabels(themes []*taxonomy.Theme, xy map[*taxonomy.Theme][2]float64, bottom, top float64) {
	const lineHeight, charWidth = 22.0, 8.5
	box := func(t *taxonomy.Theme) (x0, x1 float64) {
		w := float64(len([]rune(t.Title)))*charWidth + 30
		x := xy[t][0]
		return x - w, x + w // either side, whichever way the label points
	}
	for pass := 0; pass < 60; pass++ {
		moved := false
		for i, a := range themes {
			for _, b := range themes[i+1:] {
				ax0, ax1 := box(a)
				bx0, bx1 := box(b)
				dy := xy[b][1] - xy[a][1]
				if ax1 < bx0 || bx1 < ax0 || math.Abs(dy) >= lineHeight {
					continue
				}
				push := (lineHeight - math.Abs(dy)) / 2
				if dy < 0 || dy == 0 && a.Slug > b.Slug {
					push = -push
				}
				pa, pb := xy[a], xy[b]
				pa[1] = math.Min(math.Max(pa[1]-push, top), bottom)
				pb[1] = math.Min(math.Max(pb[1]+push, top), bottom)
				xy[a], xy[b] = pa, pb
				moved = true
			}
		}
		if !moved {
			return
		}
	}
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

// themeNeighbourhood is a theme's strongest connections, for its page.
func (r *Renderer) themeNeighbourhood(th *taxonomy.Theme, g *taxonomy.Graph) ([]RelatedTheme, *Map) {
	edges := g.Neighbours(th)
	var related []RelatedTheme
	nodes := []*taxonomy.Theme{th}
	for _, e := range edges {
		o := e.Other(th)
		related = append(related, RelatedTheme{
			Title: o.Title, Href: r.cfg.Link(o.Path()), Count: e.Count,
			Words: fmt.Sprintf("appears with %s in %s", th.Title, itemsWord(e.Count)),
		})
		if len(nodes) < localMapSize {
			nodes = append(nodes, o)
		}
	}
	if len(related) == 0 {
		return nil, nil
	}
	local := edges[:len(nodes)-1] // the theme's own edges to the themes shown
	strongest := edges[0]
	summary := fmt.Sprintf("%s appears with %d other %s; most often with %s (%s together).",
		th.Title, len(edges), plural(len(edges), "theme", "themes"), strongest.Other(th).Title, itemsWord(strongest.Count))
	if len(edges) > localMapSize-1 {
		summary += fmt.Sprintf(" The map shows the %d strongest.", localMapSize-1)
	}
	return related, r.drawMap("map-"+th.Slug, "Map of the themes that appear with "+th.Title, summary, nodes, local, taxonomy.Radial(th, local), th, 720, 440)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// WholeMap is the map of every theme with items, for /themes/, with the
// strongest connections as a table.
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
	var conns []Connection
	for _, e := range g.Edges[:min(len(g.Edges), 12)] {
		conns = append(conns, Connection{A: Link{Title: e.A.Title, Href: r.cfg.Link(e.A.Path())}, B: Link{Title: e.B.Title, Href: r.cfg.Link(e.B.Path())}, Count: e.Count})
	}
	summary := fmt.Sprintf("%d themes.", len(nodes))
	if len(g.Edges) > 0 {
		byCount := slices.Clone(g.Edges)
		slices.SortStableFunc(byCount, func(a, b *taxonomy.Edge) int { return cmp.Compare(b.Count, a.Count) })
		e := byCount[0]
		summary = fmt.Sprintf("%d themes; %s and %s appear together most often (%s).", len(nodes), e.A.Title, e.B.Title, itemsWord(e.Count))
	}
	return r.drawMap("map-all", "Map of all themes and how they connect", summary, nodes, g.Edges, taxonomy.Layout(nodes, g.Edges), nil, 900, 580), conns
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
