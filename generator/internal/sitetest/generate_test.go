package sitetest_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

func TestGenerateBuilds(t *testing.T) {
	dir := t.TempDir()
	if err := sitetest.Generate(dir, 50, 1); err != nil {
		t.Fatal(err)
	}
	res, err := site.Build(context.Background(), site.Options{SiteDir: dir, OutDir: filepath.Join(dir, "public"), Minify: true, Generator: "otpress test"})
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	total := 0
	for _, n := range res.Items {
		total += n
	}
	if total != 50 || res.Items["story"] != 30 || res.Items["episode"] != 5 || res.Items["feature"] != 15 {
		t.Errorf("items = %v; want 30 stories, 5 episodes, 15 features", res.Items)
	}
	// Episodes have audio and transcripts, pictures have alt text, the
	// podcast has its cover and guid: nothing to warn about but the
	// sketches' width (320 pixels, to keep a 10,000-item build quick, is
	// narrower than a card stretches a picture to).
	for _, w := range res.Warnings {
		if !strings.Contains(w.Msg, `the picture "sketch.png" is 320 pixels wide; cards in lists stretch it`) {
			t.Errorf("unexpected warning: %v", w)
		}
	}
	// Every episode is a bundle with its transcript, published with the
	// page; some stories have a picture.
	out := filepath.Join(dir, "public")
	vtts, _ := filepath.Glob(filepath.Join(out, "episodes", "*", "transcript.vtt"))
	pics, _ := filepath.Glob(filepath.Join(out, "stories", "*", "sketch.*.webp")) // the copies
	if len(vtts) != 5 || len(pics) == 0 {
		t.Errorf("published %d transcripts (want 5) and %d pictures (want some)", len(vtts), len(pics))
	}
	if res.Themes != 31 {
		t.Errorf("themes = %d; want the 31 defined ones, none undefined", res.Themes)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	for _, g := range []struct {
		name string
		fn   func(string, int, int64) error
	}{{"otpress", sitetest.Generate}, {"hugo", sitetest.GenerateHugo}} {
		t.Run(g.name, func(t *testing.T) {
			a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
			for _, d := range []string{a, b} {
				if err := g.fn(d, 50, 1); err != nil {
					t.Fatal(err)
				}
			}
			if err := g.fn(c, 50, 2); err != nil {
				t.Fatal(err)
			}
			fa, fb, fc := files(t, a), files(t, b), files(t, c)
			if !slices.Equal(keys(fa), keys(fb)) {
				t.Fatalf("file lists differ:\n%v\n%v", keys(fa), keys(fb))
			}
			for name, data := range fa {
				if !bytes.Equal(data, fb[name]) {
					t.Errorf("%s differs between two runs with the same seed", name)
				}
			}
			same := 0
			for name, data := range fa {
				if bytes.Equal(data, fc[name]) {
					same++
				}
			}
			if same == len(fa) {
				t.Errorf("seed 2 gives the same site as seed 1")
			}
		})
	}
}

// TestGenerateSameBodies checks that both forms carry the same Markdown.
func TestGenerateSameBodies(t *testing.T) {
	ot, hu := t.TempDir(), t.TempDir()
	if err := sitetest.Generate(ot, 50, 1); err != nil {
		t.Fatal(err)
	}
	if err := sitetest.GenerateHugo(hu, 50, 1); err != nil {
		t.Fatal(err)
	}
	fo, fh := files(t, ot), files(t, hu)
	n := 0
	for name, data := range fo {
		if !strings.HasPrefix(name, "content/stories/") && !strings.HasPrefix(name, "content/episodes/") && !strings.HasPrefix(name, "content/features/") {
			continue
		}
		other, ok := fh[name]
		if !ok {
			t.Errorf("%s is missing from the Hugo site", name)
			continue
		}
		if !strings.HasSuffix(name, ".md") { // a bundle's transcript or picture
			if !bytes.Equal(data, other) {
				t.Errorf("%s differs between the two sites", name)
			}
			continue
		}
		n++
		if body(data) != body(other) {
			t.Errorf("%s: bodies differ", name)
		}
		if w := len(strings.Fields(body(data))); w < 750 || w > 2200 {
			t.Errorf("%s: body has %d words", name, w)
		}
	}
	if n != 50 {
		t.Errorf("%d items; want 50", n)
	}
	bundles := 0
	for name := range fh {
		if strings.HasSuffix(name, "/transcript.vtt") || strings.HasSuffix(name, "/sketch.png") {
			bundles++
		}
	}
	if bundles < 6 {
		t.Errorf("the Hugo site has %d transcripts and pictures; want every episode's and some stories'", bundles)
	}
	for _, f := range []string{"hugo.toml", "layouts/baseof.html", "layouts/single.html", "layouts/list.html", "layouts/term.html", "layouts/home.html", "content/tags/goal-setting/_index.md"} {
		if _, ok := fh[f]; !ok {
			t.Errorf("Hugo site has no %s", f)
		}
	}
}

func body(front []byte) string {
	s := string(front)
	_, rest, _ := strings.Cut(s[4:], "\n---\n")
	return rest
}

func files(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func keys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
