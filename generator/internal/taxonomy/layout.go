package taxonomy

import (
	"math"
)

// Point is a position in the unit square.
type Point struct{ X, Y float64 }

// Layout places themes for a map with a force-directed layout
// (Fruchterman–Reingold): themes repel each other, and edges pull their ends
// together, harder the stronger the edge. It is deterministic: themes start
// on a spiral in the order given and every step visits them in that order,
// so the same themes and edges always give the same picture. Positions are
// scaled to fill the unit square.
func Layout(themes []*Theme, edges []*Edge) map[*Theme]Point {
	n := len(themes)
	pos := make([]Point, n)
	index := make(map[*Theme]int, n)
	for i, t := range themes {
		index[t] = i
		// a golden-angle spiral spreads the starting points evenly
		a := float64(i) * 2.399963229728653
		r := math.Sqrt(float64(i)+0.5) / math.Sqrt(float64(n))
		pos[i] = Point{0.5 + 0.5*r*math.Cos(a), 0.5 + 0.5*r*math.Sin(a)}
	}
	out := make(map[*Theme]Point, n)
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
// the stronger the edge. It is the layout of a theme page's local map.
func Radial(center *Theme, edges []*Edge) map[*Theme]Point {
	out := map[*Theme]Point{center: {0.5, 0.5}}
	maxJ := 0.0
	for _, e := range edges {
		maxJ = max(maxJ, e.Jaccard)
	}
	for i, e := range edges {
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(len(edges))
		r := 0.5
		if maxJ > 0 {
			r = 0.5 - 0.2*e.Jaccard/maxJ // 0.3 for the strongest, 0.5 for the weakest
		}
		out[e.Other(center)] = Point{0.5 + r*math.Cos(a), 0.5 + r*math.Sin(a)}
	}
	return out
}
