package taxonomy_test

import (
	"os"
	"testing"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/sitetest"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// BenchmarkGraph10k measures what the theme graph adds to a build of 10k
// items and 31 themes: the index, the co-occurrence graph and the related
// items of every item (the map's layout is themap's BenchmarkWholeMapLayout).
// Compare with BenchmarkBuild10k in package site.
func BenchmarkGraph10k(b *testing.B) {
	dir := b.TempDir()
	if err := sitetest.Generate(dir, 10000, 1); err != nil {
		b.Fatal(err)
	}
	lib, _ := content.Load(os.DirFS(dir), content.Options{})
	b.ReportAllocs()
	for b.Loop() {
		x, _ := taxonomy.Build(lib)
		x.Graph()
		for _, it := range lib.Items {
			x.Related(it, taxonomy.DefaultRelated)
		}
	}
}
