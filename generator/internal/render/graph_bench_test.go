package render

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// benchThemes is a library of n stories, each with two to six of 31 themes,
// the common ones far more often (as in sitetest's generated sites, which
// this package cannot import).
func benchThemes(tb testing.TB, n int) (*taxonomy.Index, *taxonomy.Graph) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	fsys := fstest.MapFS{}
	for i := range n {
		seen := map[int]bool{}
		var names []string
		for range 2 + rng.IntN(5) {
			t := int(31 * rng.Float64() * rng.Float64()) // skewed towards 0
			if !seen[t] {
				seen[t] = true
				names = append(names, fmt.Sprintf("Theme number %d", t))
			}
		}
		fsys[fmt.Sprintf("content/stories/s%04d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil, "---\ntitle: Story %d\ndate: 2020-01-01\nthemes: [%s]\n---\n", i, strings.Join(names, ", "))}
	}
	lib, _ := content.Load(fsys, content.Options{})
	x, _ := taxonomy.Build(lib)
	return x, x.Graph()
}

// BenchmarkThemeMaps draws every map of a 1,000-item site with 31 themes:
// the whole map of /themes/ and each theme page's map, layout and label
// placement included.
func BenchmarkThemeMaps(b *testing.B) {
	x, g := benchThemes(b, 1000)
	r := &Renderer{cfg: &config.Site{}}
	b.ReportAllocs()
	for b.Loop() {
		r.wholeMap(x.Themes, g)
		for _, th := range x.Themes {
			r.themeNeighbourhood(th, g)
		}
	}
}
