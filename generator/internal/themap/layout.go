package themap

import (
	"math"

	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// Point is a position in the unit square.
type Point struct{ X, Y float64 }

// Layout places themes for a map with a force-directed layout
// (Fruchterman–Reingold): themes repel each other, and edges pull their ends
// together, harder the stronger the edge. It is deterministic: themes start
// on a spiral in the order given and every step visits them in that order,
// so the same themes and edges always give the same picture. Positions are
// scaled to fill the unit square.
func Layout(themes []*taxonomy.Theme, edges []*taxonomy.Edge) map[*taxonomy.Theme]Point {
	n := len(themes)
	pos := make([]Point, n)
	index := make(map[*taxonomy.Theme]int, n)
	for i, t := range themes {
		index[t] = i
		// a golden-angle spiral spreads the starting points evenly
		a := float64(i) * 2.399963229728653
		r := math.Sqrt(float64(i)+0.5) / math.Sqrt(float64(n))
		pos[i] = Point{0.5 + 0.5*r*math.Cos(a), 0.5 + 0.5*r*math.Sin(a)}
	}
	out := make(map[*taxonomy.Theme]Point, n)
	if n <= 1 {
		for _, t := range themes {
			out[t] = Point{0.5, 0.5}
		}
		return out
	}
	type link struct {
		a, b int
		w    float64
	}
	var links []link
	maxJ := 0.0
	for _, e := range edges {
		ia, okA := index[e.A]
		ib, okB := index[e.B]
		if okA && okB {
			links = append(links, link{ia, ib, e.Jaccard})
			maxJ = max(maxJ, e.Jaccard)
		}
	}
	k := math.Sqrt(1.0 / float64(n)) // ideal distance in the unit square
	iterations := 300
	if n > 60 {
		iterations = max(30, 300*60*60/(n*n)) // keep big maps cheap
	}
	disp := make([]Point, n)
	for it := 0; it < iterations; it++ {
		temp := 0.1 * (1 - float64(it)/float64(iterations))
		for i := range disp {
			disp[i] = Point{}
		}
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				dx, dy := pos[i].X-pos[j].X, pos[i].Y-pos[j].Y
				d := math.Max(math.Hypot(dx, dy), 1e-4)
				f := k * k / d
				disp[i].X += dx / d * f
				disp[i].Y += dy / d * f
				disp[j].X -= dx / d * f
				disp[j].Y -= dy / d * f
			}
		}
		for _, l := range links {
			dx, dy := pos[l.a].X-pos[l.b].X, pos[l.a].Y-pos[l.b].Y
			d := math.Max(math.Hypot(dx, dy), 1e-4)
			f := d * d / k * (0.5 + l.w/maxJ)
			disp[l.a].X -= dx / d * f
			disp[l.a].Y -= dy / d * f
			disp[l.b].X += dx / d * f
			disp[l.b].Y += dy / d * f
		}
		for i := range pos {
			// a weak pull to the centre keeps unconnected themes in view
			disp[i].X += (0.5 - pos[i].X) * k
			disp[i].Y += (0.5 - pos[i].Y) * k
			d := math.Max(math.Hypot(disp[i].X, disp[i].Y), 1e-9)
			step := math.Min(d, temp)
			pos[i].X += disp[i].X / d * step
			pos[i].Y += disp[i].Y / d * step
		}
	}
	// scale to fill the unit square
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pos {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	w, h := math.Max(maxX-minX, 1e-9), math.Max(maxY-minY, 1e-9)
	for i, t := range themes {
		out[t] = Point{(pos[i].X - minX) / w, (pos[i].Y - minY) / h}
	}
	return out
}

// Radial places a theme at the centre and its neighbours around it, in the
// order given (strongest first) clockwise from the top, nearer the centre
// the more items they share with it. It is the layout of a theme page's
// local map.
func Radial(center *taxonomy.Theme, edges []*taxonomy.Edge) map[*taxonomy.Theme]Point {
	out := map[*taxonomy.Theme]Point{center: {0.5, 0.5}}
	most := 0
	for _, e := range edges {
		most = max(most, e.Count)
	}
	for i, e := range edges {
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(len(edges))
		r := 0.5
		if most > 0 {
			r = 0.5 - 0.2*float64(e.Count)/float64(most) // 0.3 for the strongest
		}
		out[e.Other(center)] = Point{0.5 + r*math.Cos(a), 0.5 + r*math.Sin(a)}
	}
	return out
}

// Mark is a node of a drawn map with the size of its label, in the
// drawing's units.
type Mark struct {
	X, Y, R float64 // the node's circle
	W, H    float64 // its label's box
}

// Box is a rectangle in a drawing's units, X0 < X1 and Y0 < Y1.
type Box struct{ X0, Y0, X1, Y1 float64 }

// Segment is a straight piece of a drawn line; a curve is given as several.
// Start and End say which of its points are ends of the line.
type Segment struct {
	X1, Y1, X2, Y2 float64
	Start, End     bool // (X1, Y1) starts a line; (X2, Y2) ends one
}

const (
	labelGap  = 4.0 // from a circle to its label
	clearance = 2.0 // the least space between a label and anything else
)

// PlaceLabels puts each mark's label beside its circle so that no label
// overlaps another label, a circle or the end of a line, and each lies
// within 0 ≤ x ≤ width and y ≥ 0. Marks are placed in order (the most
// important first), each where it breaks no rule and, of those places,
// crosses the fewest lines, sits nearer its own circle than any other, and
// comes first in a fixed order: outwards from the middle of the drawing
// (right of a node right of the middle), the other side, the corners,
// above and below, then the same a little further away. Two more passes
// move each label to a better place, if there is one, now that all the
// others are known. It returns the boxes in the order of marks and how many
// labels found no free place (each then takes the one that breaks fewest
// rules; a caller gives the drawing more room and tries again). The same
// marks always give the same boxes. It does 3 passes × n × 36 candidates ×
// (n + lines) tests.
func PlaceLabels(marks []Mark, segs []Segment, width float64) (boxes []Box, misses, crossings int) {
	mid := 0.0
	for _, m := range marks {
		mid += m.X
	}
	if len(marks) > 0 {
		mid /= float64(len(marks))
	}
	boxes = make([]Box, len(marks))
	placed := make([]bool, len(marks))
	costs := make([]float64, len(marks))
	// cost is how bad b is as i's label: a million for each rule broken,
	// 100 for each line crossed, 300 when another circle is as near; it
	// stops counting once it reaches bound.
	cost := func(i int, b Box, bound float64) float64 {
		c := 0.0
		if b.X0 < clearance || b.X1 > width-clearance || b.Y0 < clearance {
			return 1e9 // never outside the drawing
		}
		for j, o := range boxes {
			if placed[j] && j != i && overlaps(b, o, clearance) {
				if c += 1e6; c >= bound {
					return c
				}
			}
		}
		own := distance2(b, marks[i])
		if r := marks[i].R + labelGap - 1; own < r*r {
			return 1e9 // on its own circle
		}
		own = math.Sqrt(own) - marks[i].R + labelGap // nearer than this is ambiguous
		ambiguous := false
		for j, o := range marks {
			if j == i {
				continue
			}
			d2 := distance2(b, o)
			if r := o.R + clearance; d2 < r*r {
				if c += 1e6; c >= bound {
					return c
				}
			}
			if r := o.R + own; !ambiguous && d2 < r*r {
				ambiguous = true
				c += 300 // the label would seem to name another node
			}
		}
		for _, s := range segs {
			if s.Start && inside(b, s.X1, s.Y1, clearance) || s.End && inside(b, s.X2, s.Y2, clearance) {
				c += 1e6
			} else if crosses(b, s) {
				c += 100
			}
			if c >= bound {
				return c
			}
		}
		return c
	}
	var cands []Box
	for pass := range 3 {
		for i, m := range marks {
			cands = candidates(cands[:0], m, m.X < mid)
			best, bestCost := boxes[i], math.Inf(1)
			if pass > 0 {
				bestCost = costs[i]
			}
			for k, b := range cands {
				// the order of preference, and a little more for each step away
				extra := float64(k) + float64(k/perStep)*40
				if c := cost(i, b, bestCost-extra) + extra; c < bestCost {
					best, bestCost = b, c
				}
			}
			boxes[i], costs[i], placed[i] = best, bestCost, true
		}
	}
	for i, c := range costs {
		if c >= 1e6 {
			misses++
		}
		for _, s := range segs {
			if crosses(boxes[i], s) {
				crossings++
			}
		}
	}
	return boxes, misses, crossings
}

// distance2 is the square of the distance from the centre of m's circle
// to the nearest point of b.
func distance2(b Box, m Mark) float64 {
	dx := max(b.X0-m.X, 0, m.X-b.X1)
	dy := max(b.Y0-m.Y, 0, m.Y-b.Y1)
	return dx*dx + dy*dy
}

// perStep is how many candidates there are at each distance from a node.
const perStep = 12

// candidates appends the places tried for m's label, in order of
// preference, perStep at each of three distances.
func candidates(out []Box, m Mark, left bool) []Box {
	w, h := m.W, m.H
	for _, far := range []float64{0, 8, 18} {
		d := m.R + labelGap + far
		c := d * math.Sqrt2 / 2 // a corner of the box on the circle's diagonal
		right := [...]Box{
			{m.X + d, m.Y - h/2, m.X + d + w, m.Y + h/2}, // beside, centred
			{m.X + d, m.Y - h + 4, m.X + d + w, m.Y + 4}, // beside, a little higher
			{m.X + d, m.Y - 4, m.X + d + w, m.Y - 4 + h}, // beside, a little lower
			{m.X + c, m.Y - c - h, m.X + c + w, m.Y - c}, // above the corner
			{m.X + c, m.Y + c, m.X + c + w, m.Y + c + h}, // below the corner
		}
		for k := range 2 { // outwards first, then the other side
			for _, b := range right {
				if left == (k == 0) { // mirrored about the node
					b = Box{2*m.X - b.X1, b.Y0, 2*m.X - b.X0, b.Y1}
				}
				out = append(out, b)
			}
		}
		out = append(out,
			Box{m.X - w/2, m.Y - d - h, m.X + w/2, m.Y - d}, // above
			Box{m.X - w/2, m.Y + d, m.X + w/2, m.Y + d + h}, // below
		)
	}
	return out
}

func overlaps(a, b Box, gap float64) bool {
	return a.X0 < b.X1+gap && b.X0 < a.X1+gap && a.Y0 < b.Y1+gap && b.Y0 < a.Y1+gap
}

func inside(b Box, x, y, gap float64) bool {
	return x > b.X0-gap && x < b.X1+gap && y > b.Y0-gap && y < b.Y1+gap
}

// crosses reports whether s passes through b (Liang–Barsky clipping).
func crosses(b Box, s Segment) bool {
	if max(s.X1, s.X2) < b.X0 || min(s.X1, s.X2) > b.X1 || max(s.Y1, s.Y2) < b.Y0 || min(s.Y1, s.Y2) > b.Y1 {
		return false
	}
	dx, dy := s.X2-s.X1, s.Y2-s.Y1
	t0, t1 := 0.0, 1.0
	for _, pq := range [4][2]float64{{-dx, s.X1 - b.X0}, {dx, b.X1 - s.X1}, {-dy, s.Y1 - b.Y0}, {dy, b.Y1 - s.Y1}} {
		p, q := pq[0], pq[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}
