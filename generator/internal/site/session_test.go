package site_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/search"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

func modTime(t *testing.T, s *sitetest.Site, name string) time.Time {
	t.Helper()
	fi, err := os.Stat(filepath.Join(s.Out, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}

// TestSessionRewritesOnlyWhatChanged: an edit to an item's text rewrites
// that page and nothing else; the search index follows on request; any
// other edit rebuilds everything.
func TestSessionRewritesOnlyWhatChanged(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	ctx := context.Background()
	sess := site.NewSession(site.Options{SiteDir: s.Dir, OutDir: s.Out})
	if _, partial, err := sess.Update(ctx, nil); err != nil || partial {
		t.Fatalf("first build: partial %v, %v", partial, err)
	}
	denis := filepath.Join(s.Dir, "content/stories/denis/index.md")
	src := readFixtureFile(t, s, "content/stories/denis/index.md")
	listBefore := modTime(t, s, "stories/index.html")
	time.Sleep(10 * time.Millisecond) // so a rewritten file would show a newer time

	// text only: one page rewritten in place
	s.Edit("content/stories/denis/index.md", src+"\nA sentence about a zebra crossing.\n")
	res, partial, err := sess.Update(ctx, []string{denis})
	if err != nil || !partial || res.Pages != 1 {
		t.Fatalf("text edit: partial %v, pages %v, %v", partial, res, err)
	}
	if !strings.Contains(s.Read("stories/denis/index.html"), "zebra crossing") {
		t.Error("the page was not rewritten")
	}
	if !modTime(t, s, "stories/index.html").Equal(listBefore) {
		t.Error("the stories list was rewritten for a text-only edit")
	}
	find := func(q string) []string {
		e, err := search.Open(func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(s.Out, "search", "data", name)) })
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.Search(search.Query{Text: q}, 5)
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, h := range r.Hits {
			paths = append(paths, h.Path)
		}
		return paths
	}
	if err := sess.RefreshSearch(ctx); err != nil {
		t.Fatal(err)
	}
	if got := find("zebra"); len(got) == 0 || got[0] != "stories/denis/" {
		t.Errorf("search for the new word after RefreshSearch: %v", got)
	}

	// a broken edit on the fast path: an error, and the page stays as it was
	s.Edit("content/stories/denis/index.md", strings.Replace(src, "date: 2026-11-23", "date: someday", 1))
	if _, _, err := sess.Update(ctx, []string{denis}); err == nil || !strings.Contains(err.Error(), "content/stories/denis/index.md") {
		t.Errorf("broken edit: %v", err)
	}
	if !strings.Contains(s.Read("stories/denis/index.html"), "zebra crossing") {
		t.Error("a failed update changed the page")
	}

	// the title shows in lists: everything is rebuilt
	s.Edit("content/stories/denis/index.md", strings.Replace(src, "title: Denis walks to his kitchen", "title: Denis walks to the shop", 1))
	if _, partial, err := sess.Update(ctx, []string{denis}); err != nil || partial {
		t.Fatalf("title edit: partial %v, %v", partial, err)
	}
	if !strings.Contains(s.Read("stories/index.html"), "Denis walks to the shop") {
		t.Error("the list does not show the new title")
	}

	// a file that is not an item's: everything is rebuilt
	toml := filepath.Join(s.Dir, "site.toml")
	s.Edit("site.toml", strings.Replace(readFixtureFile(t, s, "site.toml"), "Test OT site", "Renamed OT site", 1))
	if _, partial, err := sess.Update(ctx, []string{toml}); err != nil || partial {
		t.Fatalf("site.toml edit: partial %v, %v", partial, err)
	}
	if !strings.Contains(s.Read("stories/denis/index.html"), "Renamed OT site") {
		t.Error("the site's new title is not on the pages")
	}
}

// TestSessionSummaryFromText: an item without its own summary (Rose has
// none) shows the start of its text in lists, so editing that start rebuilds the lists.
func TestSessionSummaryFromText(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	ctx := context.Background()
	sess := site.NewSession(site.Options{SiteDir: s.Dir, OutDir: s.Out})
	if _, _, err := sess.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	rose := filepath.Join(s.Dir, "content/stories/rose.md")
	src := readFixtureFile(t, s, "content/stories/rose.md")
	i := strings.LastIndex(src, "---\n") + 4
	s.Edit("content/stories/rose.md", src[:i]+"Rose opens with a new first line. "+src[i:])
	if _, partial, err := sess.Update(ctx, []string{rose}); err != nil || partial {
		t.Fatalf("partial %v, %v", partial, err)
	}
	if !strings.Contains(s.Read("stories/index.html"), "Rose opens with a new first line") {
		t.Error("the list does not show the new opening")
	}
}
