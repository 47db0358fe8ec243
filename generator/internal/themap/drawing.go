package themap

import (
	"math"
	"strings"

	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// The geometry of a theme map's drawing, in SVG units: labels are FontSize
// units high, LineGap apart.
const (
	FontSize = 16.0
	LineGap  = 20.0 // from one line of a label to the next
)

// glyphs are the advance widths of ASCII characters from space to tilde in
// DejaVu Sans and DejaVu Sans Bold, in thousandths of an em, measured in
// Chromium. DejaVu Sans is the widest face the site's font stack falls back
// to, so a label drawn in another is no wider than its box.
var glyphs = [2][95]uint16{
	{318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337, 637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 531, 1000, 685, 687, 699, 771, 632, 576, 775, 752, 295, 295, 656, 558, 863, 749, 788, 604, 788, 695, 635, 611, 732, 685, 989, 686, 611, 686, 391, 337, 391, 838, 500, 500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612, 635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838},
	{349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 581, 1000, 774, 763, 734, 831, 684, 684, 821, 837, 373, 373, 775, 638, 996, 837, 851, 733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458, 366, 458, 838, 500, 500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666, 343, 1042, 712, 688, 716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838},
}

// TextWidth estimates the width of s at the labels' size: other letters
// count as wide ones (an accented capital), and CJK and the like as a
// whole em.
func TextWidth(s string, bold bool) float64 {
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
	return float64(w) / 1000 * FontSize
}

// Wrap breaks a label into lines of at most max units where it can, at
// spaces, into three lines at most.
func Wrap(s string, max float64, bold bool) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{s}
	}
	lines := []string{words[0]}
	for _, w := range words[1:] {
		last := &lines[len(lines)-1]
		if try := *last + " " + w; TextWidth(try, bold) <= max || len(lines) == 3 {
			*last = try
		} else {
			lines = append(lines, w)
		}
	}
	return lines
}

// Node is a theme as a drawing places it.
type Node struct {
	Theme *taxonomy.Theme
	X, Y  float64
	R     float64
	Lines []string
	W, H  float64 // the label's box
}

// Drawing is a drawing being laid out: nodes in Tab order, and edges as
// pieces of path, straight or curved.
type Drawing struct {
	Width   float64
	Nodes   []*Node
	At      map[*taxonomy.Theme]*Node
	Edges   []*taxonomy.Edge
	Arcs    bool    // edges are arcs to the left of a column (narrow whole map)
	Column  float64 // the column's x, for arcs
	Missing int     // labels that found no free place
}

// NewDrawing is a drawing of themes and edges, width units across, each
// theme's circle between rMin and rMax by its items and its label wrapped
// at maxLabel (the current theme's in bold); the caller places the nodes.
func NewDrawing(width float64, themes []*taxonomy.Theme, edges []*taxonomy.Edge, current *taxonomy.Theme, rMin, rMax, maxLabel float64) *Drawing {
	d := &Drawing{Width: width, At: map[*taxonomy.Theme]*Node{}, Edges: edges}
	maxCount := 1
	for _, t := range themes {
		maxCount = max(maxCount, t.Count())
	}
	for _, t := range themes {
		n := &Node{Theme: t, R: rMin + (rMax-rMin)*sqrtRatio(t.Count(), maxCount)}
		n.Lines = Wrap(t.Title, maxLabel, t == current)
		for _, l := range n.Lines {
			n.W = max(n.W, TextWidth(l, t == current))
		}
		n.W += 2                                             // a margin on the plate under the label
		n.H = FontSize + 6 + LineGap*float64(len(n.Lines)-1) // ascent, lines, descent
		d.Nodes = append(d.Nodes, n)
		d.At[t] = n
	}
	return d
}

// segments are the drawing's edges as straight pieces, for label placement.
func (d *Drawing) segments() []Segment {
	var out []Segment
	longest := d.Longest()
	for _, e := range d.Edges {
		a, b := d.At[e.A], d.At[e.B]
		if !d.Arcs {
			out = append(out, Segment{X1: a.X, Y1: a.Y, X2: b.X, Y2: b.Y, Start: true, End: true})
			continue
		}
		// an arc to the left of the column: half an ellipse, in 8 pieces
		y0, y1 := min(a.Y, b.Y), max(a.Y, b.Y)
		rx, ry := d.ArcWidth(y1-y0, longest), (y1-y0)/2
		px, py := d.Column, y0
		for i := 1; i <= 8; i++ {
			th := math.Pi * float64(i) / 8
			x, y := d.Column-rx*math.Sin(th), y0+ry-ry*math.Cos(th)
			out = append(out, Segment{X1: px, Y1: py, X2: x, Y2: y, Start: i == 1, End: i == 8})
			px, py = x, y
		}
	}
	return out
}

// ArcWidth is how far left of the column an arc spanning dy reaches: in
// proportion to its span, so arcs nest, the longest (spanning longest)
// reaching the left edge.
func (d *Drawing) ArcWidth(dy, longest float64) float64 {
	return dy / 2 * min(1, (d.Column-8)/(longest/2))
}

// Longest is the longest vertical span of an edge.
func (d *Drawing) Longest() float64 {
	l := 0.0
	for _, e := range d.Edges {
		l = max(l, math.Abs(d.At[e.A].Y-d.At[e.B].Y))
	}
	return l
}

// Place puts the labels, stretching the drawing downwards by a fifth
// until every label has a free place (stretching seldom takes a line off a
// label, so it is not done for that). After 8 stretches, labels still
// without a place take the places that break fewest rules, which no tested
// map needs.
func (d *Drawing) Place() []Box {
	for try := 0; ; try++ {
		marks := make([]Mark, len(d.Nodes))
		for i, n := range d.Nodes {
			marks[i] = Mark{X: n.X, Y: n.Y, R: n.R, W: n.W, H: n.H}
		}
		boxes, missing, _ := PlaceLabels(marks, d.segments(), d.Width)
		if missing == 0 || try == 8 {
			d.Missing = missing
			return boxes
		}
		d.stretch()
	}
}

// stretch gives a drawing more room to place its labels: taller, with the
// nodes spread apart vertically about the top one.
func (d *Drawing) stretch() {
	top := math.Inf(1)
	for _, n := range d.Nodes {
		top = min(top, n.Y)
	}
	for _, n := range d.Nodes {
		n.Y = top + (n.Y-top)*1.2
	}
}

// sqrtRatio is √(a/b), so a node's area grows with its count.
func sqrtRatio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return math.Sqrt(float64(a) / float64(b))
}
