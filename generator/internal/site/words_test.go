package site_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestWordsScript: every build writes js/words.js, the theme's words for
// its scripts in the site's language, and a warm build writes it again
// when the words change, a site's own or its language.
func TestWordsScript(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	warmBuild(t, s, false)
	js := s.Read("js/words.js")
	if !strings.HasPrefix(js, `window.otpressWords={lang:"en-GB",`) || !strings.Contains(js, `"Add to my pack"`) || strings.Contains(js, "\n\n") {
		t.Errorf("js/words.js in English: %.200q", js)
	}
	// every page with a script that shows words loads them before it
	pages := 0
	err := filepath.WalkDir(s.Out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		html := string(b)
		for _, js := range []string{"/js/packs.js", "/js/search.js", "/js/evidence.js"} {
			if at := strings.Index(html, js+`"`); at >= 0 {
				pages++
				if w := strings.Index(html, `/js/words.js"`); w < 0 || w > at {
					rel, _ := filepath.Rel(s.Out, p)
					t.Errorf("%s loads %s without words.js before it", rel, js)
				}
			}
		}
		return nil
	})
	if err != nil || pages < 5 {
		t.Errorf("%d pages with scripts: %v", pages, err)
	}
	s.Edit("i18n/en-GB.toml", "[js.packs]\nadd = \"Keep in my pack\"\n")
	warmBuild(t, s, false)
	if js := s.Read("js/words.js"); !strings.Contains(js, `"Keep in my pack"`) || strings.Contains(js, `"Add to my pack"`) {
		t.Errorf("js/words.js after the site's own word: %.200q", js)
	}
	toml := fixtureFile(t, "site.toml")
	s.Edit("site.toml", strings.Replace(toml, "title = ", "language = \"cy\"\ntitle = ", 1))
	warmBuild(t, s, false)
	if js := s.Read("js/words.js"); !strings.HasPrefix(js, `window.otpressWords={lang:"cy",`) || !strings.Contains(js, `"Ychwanegu at fy mhecyn"`) || !strings.Contains(js, `"month.11":"Tachwedd"`) {
		t.Errorf("js/words.js in Welsh: %.200q", js)
	}
}

// TestSessionWordsScript: in the preview, an edit to the words writes
// js/words.js again; an edit to the content leaves it in place.
func TestSessionWordsScript(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	words := filepath.Join(s.Dir, "i18n", "en-GB.toml")
	s.Edit("i18n/en-GB.toml", "[js.packs]\nadd = \"Keep in my pack\"\n")
	if _, _, err := sess.Update(ctx, []string{words}); err != nil {
		t.Fatal(err)
	}
	if js := s.Read("js/words.js"); !strings.Contains(js, "Keep in my pack") {
		t.Errorf("js/words.js after the site's own word: %.200q", js)
	}
	// a new story: the site is made again from the plan, static files left as they are
	s.Edit("content/stories/new.md", "---\ntitle: A new story\ndate: 2026-01-05\n---\nNew text.\n")
	if _, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, "content/stories/new.md")}); err != nil || !partial {
		t.Fatalf("a new story: partial %v, %v", partial, err)
	}
	if _, err := os.Stat(filepath.Join(s.Out, "js", "words.js")); err != nil {
		t.Errorf("js/words.js after a new story: %v", err)
	}
	if js := s.Read("js/words.js"); !strings.Contains(js, "Keep in my pack") {
		t.Errorf("js/words.js after a new story: %.200q", js)
	}
}
