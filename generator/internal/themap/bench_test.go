package themap_test

import (
	"os"
	"testing"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/sitetest"
	"github.com/otpress/otpress/generator/internal/taxonomy"
	"github.com/otpress/otpress/generator/internal/themap"
)

// BenchmarkWholeMapLayout lays out the whole map of a generated 1,000-item
// site with 31 themes, as /themes/ draws it: every edge (as before maps
// drew only the strongest), and each theme's two strongest edges with the
// labels placed (labels of 9 units a character, 720 units across).
func BenchmarkWholeMapLayout(b *testing.B) {
	dir := b.TempDir()
	if err := sitetest.Generate(dir, 1000, 1); err != nil {
		b.Fatal(err)
	}
	lib, _ := content.Load(os.DirFS(dir), content.Options{})
	x, _ := taxonomy.Build(lib)
	g := x.Graph()
	b.Run("all-edges", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			themap.Layout(x.Themes, g.Edges)
		}
	})
	b.Run("backbone-labels", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			edges := taxonomy.Backbone(g.Edges, 2, nil)
			pos := themap.Layout(x.Themes, edges)
			marks := make([]themap.Mark, len(x.Themes))
			for i, t := range x.Themes {
				marks[i] = themap.Mark{X: 40 + pos[t].X*640, Y: 30 + pos[t].Y*620, R: 12, W: 9 * float64(len(t.Title)), H: 22}
			}
			var segs []themap.Segment
			for _, e := range edges {
				a, b := pos[e.A], pos[e.B]
				segs = append(segs, themap.Segment{X1: 40 + a.X*640, Y1: 30 + a.Y*620, X2: 40 + b.X*640, Y2: 30 + b.Y*620, Start: true, End: true})
			}
			themap.PlaceLabels(marks, segs, 720)
		}
	})
}
