package site_test

import (
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/picture/picturetest"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

var ogImage = regexp.MustCompile(`<meta property="og:image" content="([^"]*)">`)

// cardFiles lists the output's cards.
func cardFiles(t *testing.T, out string) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(filepath.Join(out, "cards"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	return files
}

// TestCards: every page a reader may share has an og:image, which is its
// own picture or a 1200×630 card that is in the output; only the pages
// nobody shares (not found, print, redirects, transcripts) have none.
func TestCards(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything")).Rebuild()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	var pages, cards int
	filepath.WalkDir(s.Out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(s.Out, p)
		rel = filepath.ToSlash(rel)
		html := s.Read(rel)
		m := ogImage.FindStringSubmatch(html)
		if m == nil {
			if !strings.Contains(html, `name="robots" content="noindex"`) && !strings.Contains(html, `http-equiv="refresh"`) && rel != "404.html" && !strings.HasSuffix(rel, "/transcript.html") {
				t.Errorf("%s has no og:image", rel)
			}
			return nil
		}
		pages++
		if !strings.Contains(html, `<meta name="twitter:card" content="summary_large_image">`) {
			t.Errorf("%s: a picture, but not a large card for X", rel)
		}
		u, _, _ := strings.Cut(strings.TrimPrefix(m[1], "https://example.org/ot/"), "?")
		if !strings.HasPrefix(u, "cards/") {
			return nil // the page's own picture, checked by TestStructuredData
		}
		cards++
		f, err := os.Open(filepath.Join(s.Out, u))
		if err != nil {
			t.Errorf("%s: its card: %v", rel, err)
			return nil
		}
		defer f.Close()
		if cfg, err := png.DecodeConfig(f); err != nil || cfg.Width != 1200 || cfg.Height != 630 {
			t.Errorf("%s: its card is %+v, %v", rel, cfg, err)
		}
		for _, want := range []string{`<meta property="og:image:width" content="1200">`, `<meta property="og:image:height" content="630">`, `<meta property="og:image:alt" content="`} {
			if !strings.Contains(html, want) {
				t.Errorf("%s: no %s", rel, want)
			}
		}
		return nil
	})
	if cards < 10 || cards == pages {
		t.Errorf("%d pages with a card of %d with a picture: the story's own picture and many cards were expected", cards, pages)
	}
	s.AssertFileContains("themes/co-production/index.html", `
		<meta property="og:image" content="https://example.org/ot/cards/themes/co-production.png?v=
		<meta property="og:image:alt" content="Co-production – Theme – Test OT site">
	`)
	// later pages of a list share its first page's card
	first, second := ogImage.FindStringSubmatch(s.Read("stories/index.html")), ogImage.FindStringSubmatch(s.Read("stories/page/2/index.html"))
	if first == nil || second == nil || first[1] != second[1] || !strings.Contains(first[1], "/cards/stories.png?v=") {
		t.Errorf("the list's pages share no card: %q, %q", first, second)
	}
	s.AssertNoFile("cards/stories/page/2.png", "cards/404.png", "cards/packs/personalised-care/print.png")

	// [pictures] cards = false: none
	toml, _ := os.ReadFile(filepath.Join(s.Dir, "site.toml"))
	s.Edit("site.toml", string(toml)+"\n[pictures]\ncards = false\n").Rebuild()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	s.AssertNoFile("cards/index.png", "cards/themes/co-production.png")
	if strings.Contains(s.Read("themes/co-production/index.html"), "og:image") {
		t.Error("cards = false, but the theme has a card")
	}
}

// TestCardsWarm: a warm build draws no card again; a changed title draws
// its page's card again, under a new address; a new logo, every card.
func TestCardsWarm(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	toml, _ := os.ReadFile(filepath.Join(s.Dir, "site.toml"))
	s.Edit("site.toml", strings.Replace(string(toml), "paginate = 2", "paginate = 2\nlogo = \"/images/logo.jpg\"", 1))
	logo := func(w, h int) {
		if err := os.WriteFile(filepath.Join(s.Dir, "static/images/logo.jpg"), picturetest.Photo(w, h, 1, false), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	logo(120, 40)
	warmBuild(t, s, false)
	all := int64(len(cardFiles(t, s.Out)))
	if all < 10 {
		t.Fatalf("%d cards", all)
	}
	drawn := func(do func()) int64 { // by the warm build, not the fresh one warmBuild compares it with
		before := site.CardsDrawn()
		do()
		return site.CardsDrawn() - before - all
	}
	if n := drawn(func() { warmBuild(t, s, false) }); n != 0 {
		t.Errorf("a warm build with no change drew %d cards", n)
	}
	was := ogImage.FindStringSubmatch(s.Read("stories/rose/index.html"))
	s.Edit("content/stories/rose.md", strings.Replace(fixtureFile(t, "content/stories/rose.md"), "title: ", "title: Still ", 1))
	if n := drawn(func() { warmBuild(t, s, false) }); n != 1 {
		t.Errorf("a warm build after a title changed drew %d cards, want 1", n)
	}
	if now := ogImage.FindStringSubmatch(s.Read("stories/rose/index.html")); was == nil || now == nil || was[1] == now[1] {
		t.Errorf("the card's address did not change with its title: %q, %q", was, now)
	}
	logo(90, 30)
	if n := drawn(func() { warmBuild(t, s, false) }); n != all {
		t.Errorf("a new logo: the warm build drew %d cards of %d", n, all)
	}
}
