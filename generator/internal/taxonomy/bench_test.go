package taxonomy_test

import (
	"os"
	"testing"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/sitetest"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// BenchmarkGraph10k measures everything the theme graph adds to a build of
// 10k items and 31 themes: the index, the co-occurrence graph, the layout of
// the whole map, and the related items of every item. Compare with
// BenchmarkBuild10k in package site.
func BenchmarkGraph10k(b *testing.B) {
	dir := b.TempDir()
	if err := sitetest.Generate(dir, 10000, 1); err != nil {
		b.Fatal(err)
	}
	lib, _ := content.Load(os.DirFS(dir), content.Options{})
	b.ReportAllocs()
	for b.Loop() {
		x, _ := taxonomy.Build(lib)
		g := x.Graph()
		taxonomy.Layout(x.Themes, g.Edges)
		for _, it := range lib.Items {
			x.Related(it, taxonomy.DefaultRelated)
		}
	}
}

// BenchmarkWholeMapLayout lays out the whole map of a generated 1,000-item
// site with 31 themes: what /themes/ draws.
func BenchmarkWholeMapLayout(b *testing.B) {
	dir := b.TempDir()
	if err := sitetest.Generate(dir, 1000, 1); err != nil {
		b.Fatal(err)
	}
	lib, _ := content.Load(os.DirFS(dir), content.Options{})
	x, _ := taxonomy.Build(lib)
	g := x.Graph()
	b.ReportAllocs()
	for b.Loop() {
		taxonomy.Layout(x.Themes, g.Edges)
	}
}
