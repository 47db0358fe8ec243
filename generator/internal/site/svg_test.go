package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/diag"
)

// TestSVGsAllAtOnce: every SVG the build would publish that could run
// script is reported in one build, each at its place, with no second
// report that the page showing one has a missing picture; public/ stays
// as it was. Fixed, they are published (minified), and so is an SVG that
// was fine all along.
func TestSVGsAllAtOnce(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	writeFiles(t, dir, badBase)
	if _, err := Build(context.Background(), Options{SiteDir: dir, OutDir: out, Minify: true}); err != nil {
		t.Fatal(err)
	}
	before := hashTree(t, out)
	const open = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">`
	bad := []struct {
		file, svg string
		col       int // on line 2
	}{
		{"static/a.svg", open + "\n<script>alert(1)</script></svg>", 1},
		{"static/img/b.svg", open + "\n<rect onclick=\"alert(1)\"/></svg>", 7},
		{"content/episodes/ep1/c.svg", open + "\n<a href=\"javascript:alert(1)\"><text>x</text></a></svg>", 4},
		{"content/stories/d.svg", open + "\n<image href=\"https://evil.example/track.png\"/></svg>", 8},
		{"themes/default/static/img/e.svg", open + "\n<foreignObject/></svg>", 1},
	}
	good := map[string]string{
		"static/img/fine.svg":     open + "\n  <a href=\"https://example.org/\"><circle r=\"2\" fill=\"url(#g)\"/></a>\n</svg>\n",
		"content/stories/rose.md": rose + "\n![The route](d.svg) and ![The episode's diagram](../episodes/ep1/c.svg)\n",
	}
	for _, f := range bad {
		write(t, dir, f.file, f.svg)
	}
	writeFiles(t, dir, good)
	_, err := Build(context.Background(), Options{SiteDir: dir, OutDir: out, Minify: true})
	var be *diag.BuildError
	if !errors.As(err, &be) {
		t.Fatalf("the build returned %v; want the SVGs' problems", err)
	}
	for _, f := range bad {
		if !hasProblem(be.Problems, badCase{file: f.file, line: 2, col: f.col, msg: "the SVG"}) {
			t.Errorf("no problem at %s:2:%d among:\n%s", f.file, f.col, listProblems(be.Problems))
		}
	}
	if len(be.Problems) != len(bad) || strings.Contains(listProblems(be.Problems), "was not found") {
		t.Errorf("%d problems; want one for each of the %d files:\n%s", len(be.Problems), len(bad), listProblems(be.Problems))
	}
	if after := hashTree(t, out); after != before {
		t.Error("the failed build changed public/")
	}
	// fixed (an SVG that is fine in their place), the site builds
	for _, f := range bad {
		write(t, dir, f.file, open+"\n<circle r=\"1\"/></svg>")
	}
	if _, err := Build(context.Background(), Options{SiteDir: dir, OutDir: out, Minify: true}); err != nil {
		t.Fatalf("fixed, the build failed: %v", err)
	}
	for _, f := range []string{"a.svg", "img/b.svg", "episodes/ep1/c.svg", "stories/d.svg", "img/e.svg", "img/fine.svg"} {
		if b, err := os.ReadFile(filepath.Join(out, f)); err != nil || !strings.HasPrefix(string(b), "<svg") {
			t.Errorf("%s: %q, %v", f, b, err)
		}
	}
}
