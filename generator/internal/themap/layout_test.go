package themap

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// TestPlaceLabels places labels on hard layouts and checks the geometry:
// no label overlaps another label, any circle or any line's end, each is
// inside the drawing, and the same marks give the same boxes.
func TestPlaceLabels(t *testing.T) {
	grid := func(cols, rows int, dx, dy float64) (ms []Mark) {
		for r := range rows {
			for c := range cols {
				ms = append(ms, Mark{X: 30 + float64(c)*dx, Y: 30 + float64(r)*dy, R: 8 + float64((r*cols+c)%3)*4, W: 60 + float64((r*7+c*13)%5)*30, H: 22})
			}
		}
		return ms
	}
	star := func(n int, rad float64) (ms []Mark, segs []Segment) {
		ms = append(ms, Mark{X: 360, Y: 240, R: 18, W: 120, H: 22})
		for i := range n {
			a := 2 * math.Pi * float64(i) / float64(n)
			m := Mark{X: 360 + rad*math.Cos(a), Y: 240 + rad*math.Sin(a), R: 10, W: 90 + float64(i%4)*40, H: 22 + float64(i%2)*20}
			ms = append(ms, m)
			segs = append(segs, Segment{X1: 360, Y1: 240, X2: m.X, Y2: m.Y, Start: true, End: true})
		}
		return ms, segs
	}
	column := func(n int) (ms []Mark) {
		for i := range n {
			ms = append(ms, Mark{X: 100, Y: 20 + float64(i)*34, R: 6 + float64(i%3)*3, W: 190, H: 22})
		}
		return ms
	}
	starMarks, starSegs := star(11, 170)
	edgeMarks := []Mark{{X: 4, Y: 40, R: 10, W: 150, H: 22}, {X: 716, Y: 40, R: 10, W: 150, H: 22}, {X: 360, Y: 5, R: 12, W: 100, H: 22}}
	tests := []struct {
		name  string
		marks []Mark
		segs  []Segment
		width float64
	}{
		{"one", []Mark{{X: 50, Y: 50, R: 10, W: 80, H: 22}}, nil, 320},
		{"grid of 4×6, close", grid(4, 6, 170, 60), nil, 720},
		{"star of 11", starMarks, starSegs, 720},
		{"column of 15", column(15), nil, 320},
		{"nodes at the edges", edgeMarks, nil, 720},
		{"a line through the middle", []Mark{{X: 100, Y: 100, R: 10, W: 100, H: 22}, {X: 300, Y: 100, R: 10, W: 100, H: 22}},
			[]Segment{{X1: 100, Y1: 100, X2: 300, Y2: 100, Start: true, End: true}, {X1: 150, Y1: 60, X2: 150, Y2: 140, Start: true, End: true}}, 720},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			boxes, misses, _ := PlaceLabels(tt.marks, tt.segs, tt.width)
			if misses != 0 {
				t.Errorf("%d labels found no place", misses)
			}
			for _, p := range labelProblems(tt.marks, boxes, tt.segs, tt.width) {
				t.Error(p)
			}
			again, _, _ := PlaceLabels(tt.marks, tt.segs, tt.width)
			if !slices.Equal(boxes, again) {
				t.Error("the same marks gave other boxes")
			}
			for i, b := range boxes {
				if w, h := b.X1-b.X0, b.Y1-b.Y0; math.Abs(w-tt.marks[i].W) > 1e-9 || math.Abs(h-tt.marks[i].H) > 1e-9 {
					t.Errorf("label %d is %.1f×%.1f; want %.1f×%.1f", i, w, h, tt.marks[i].W, tt.marks[i].H)
				}
			}
		})
	}
	// a label that cannot fit is counted, not hidden
	if _, misses, _ := PlaceLabels([]Mark{{X: 50, Y: 50, R: 10, W: 400, H: 22}}, nil, 320); misses != 1 {
		t.Errorf("a label wider than the drawing: %d misses; want 1", misses)
	}
}

// labelProblems lists what breaks the rules of PlaceLabels, measured
// independently of it (overlap means more than a hair's breadth).
func labelProblems(marks []Mark, boxes []Box, segs []Segment, width float64) []string {
	var out []string
	in := func(b Box, x, y float64) bool { return x > b.X0 && x < b.X1 && y > b.Y0 && y < b.Y1 }
	for i, b := range boxes {
		if b.X0 < 0 || b.X1 > width || b.Y0 < 0 {
			out = append(out, fmt.Sprintf("label %d %v is outside 0..%.0f", i, b, width))
		}
		for j, o := range boxes[i+1:] {
			if min(b.X1, o.X1)-max(b.X0, o.X0) > 0.01 && min(b.Y1, o.Y1)-max(b.Y0, o.Y0) > 0.01 {
				out = append(out, fmt.Sprintf("label %d %v overlaps label %d %v", i, b, i+1+j, o))
			}
		}
		for j, m := range marks {
			dx := max(b.X0-m.X, 0, m.X-b.X1)
			dy := max(b.Y0-m.Y, 0, m.Y-b.Y1)
			if math.Hypot(dx, dy) < m.R {
				out = append(out, fmt.Sprintf("label %d %v overlaps circle %d", i, b, j))
			}
		}
		for _, s := range segs {
			if s.Start && in(b, s.X1, s.Y1) || s.End && in(b, s.X2, s.Y2) {
				out = append(out, fmt.Sprintf("label %d %v covers the end of a line %v", i, b, s))
			}
		}
	}
	return out
}

func TestLayoutDeterministicAndInside(t *testing.T) {
	themes := map[string]*taxonomy.Theme{}
	var all []*taxonomy.Theme
	for _, slug := range []string{"a", "b", "c", "d", "e"} {
		themes[slug] = &taxonomy.Theme{Slug: slug, Title: strings.ToUpper(slug)}
		all = append(all, themes[slug])
	}
	var edges []*taxonomy.Edge
	for _, e := range []string{"ab", "bc", "cd", "ad", "ac"} {
		edges = append(edges, &taxonomy.Edge{A: themes[e[:1]], B: themes[e[1:]], Count: 1, Jaccard: 0.5})
	}
	p1 := Layout(all, edges)
	p2 := Layout(all, edges)
	for _, th := range all {
		a, b := p1[th], p2[th]
		if a != b {
			t.Errorf("%s placed at %v then %v", th.Slug, a, b)
		}
		if a.X < 0 || a.X > 1 || a.Y < 0 || a.Y > 1 || math.IsNaN(a.X) {
			t.Errorf("%s outside the unit square: %v", th.Slug, a)
		}
	}
	// strongly linked themes end up closer than unlinked ones
	d := func(a, b string) float64 {
		pa, pb := p1[themes[a]], p1[themes[b]]
		return math.Hypot(pa.X-pb.X, pa.Y-pb.Y)
	}
	if d("a", "c") >= d("a", "e") {
		t.Errorf("a–c (linked) %.2f is not closer than a–e (unlinked) %.2f", d("a", "c"), d("a", "e"))
	}
}
