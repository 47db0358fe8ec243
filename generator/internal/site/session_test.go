package site_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
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

type indexFile struct {
	data string
	time time.Time
}

// searchFiles reads the search index files of s's output.
func searchFiles(t *testing.T, s *sitetest.Site) map[string]indexFile {
	t.Helper()
	dir := filepath.Join(s.Out, "search", "data")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]indexFile{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = indexFile{string(data), modTime(t, s, "search/data/"+e.Name())}
	}
	return out
}

// builtSession writes the "everything" fixture and builds it whole in a
// new session.
func builtSession(t *testing.T) (*sitetest.Site, *site.Session) {
	t.Helper()
	s := sitetest.Write(t, fixture(t, "everything"))
	return s, sessionOf(t, s)
}

// sessionOf builds s whole in a new session (generator "otpress test", as
// the full builds compared with it say).
func sessionOf(t *testing.T, s *sitetest.Site) *site.Session {
	t.Helper()
	sess := site.NewSession(site.Options{SiteDir: s.Dir, OutDir: s.Out, Generator: "otpress test"})
	if _, partial, err := sess.Update(context.Background(), nil); err != nil || partial {
		t.Fatalf("first build: partial %v, %v", partial, err)
	}
	t.Cleanup(sess.Close)
	return sess
}

// TestSessionRewritesOnlyWhatChanged: an edit to an item's text rewrites
// that page and nothing else; a new title rewrites the pages that show it;
// the search index follows on request; a removed story goes in place; a
// theme emptied and other files rebuild everything.
func TestSessionRewritesOnlyWhatChanged(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	denis := filepath.Join(s.Dir, "content/stories/denis/index.md")
	src := readFixtureFile(t, s, "content/stories/denis/index.md")
	listBefore := modTime(t, s, "stories/index.html")
	time.Sleep(10 * time.Millisecond) // so a rewritten file would show a newer time

	// text only: its page rewritten in place, and the pages of the pack
	// it is in (its time, and the whole text to print)
	s.Edit("content/stories/denis/index.md", src+"\nA sentence about a zebra crossing.\n")
	res, partial, err := sess.Update(ctx, []string{denis})
	if err != nil || !partial || res.Pages != 4 || strings.Join(res.Changed, " ") != "/packs/ /packs/personalised-care/ /packs/personalised-care/print/ /stories/denis/" {
		t.Fatalf("text edit: partial %v, %+v, %v", partial, res, err)
	}
	if !strings.Contains(s.Read("stories/denis/index.html"), "zebra crossing") {
		t.Error("the page was not rewritten")
	}
	if !strings.Contains(s.Read("packs/personalised-care/print/index.html"), "zebra crossing") {
		t.Error("the pack's print page does not have the new text")
	}
	if !modTime(t, s, "stories/index.html").Equal(listBefore) {
		t.Error("the stories list was rewritten for a text-only edit")
	}
	find := func(q string) []string {
		e := openIndex(t, s.Out)
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
	indexBefore := searchFiles(t, s)
	if err := sess.RefreshSearch(ctx); err != nil {
		t.Fatal(err)
	}
	if got := find("zebra"); len(got) == 0 || got[0] != "stories/denis/" {
		t.Errorf("search for the new word after RefreshSearch: %v", got)
	}
	// only the index files whose bytes changed are written again
	rewritten, kept := 0, 0
	for name, now := range searchFiles(t, s) {
		was, ok := indexBefore[name]
		switch {
		case !ok:
			rewritten++
		case was.data == now.data && !was.time.Equal(now.time):
			t.Errorf("search/data/%s was written again with the same bytes", name)
		case was.data != now.data && was.time.Equal(now.time):
			t.Errorf("search/data/%s changed but kept its time", name)
		case was.data == now.data:
			kept++
		default:
			rewritten++
		}
	}
	if rewritten == 0 || kept == 0 {
		t.Errorf("search index after a text edit: %d files rewritten, %d kept; want some of each", rewritten, kept)
	}

	// a broken edit on the fast path: an error, and the page stays as it was
	s.Edit("content/stories/denis/index.md", strings.Replace(src, "date: 2026-11-23", "date: someday", 1))
	if _, _, err := sess.Update(ctx, []string{denis}); err == nil || !strings.Contains(err.Error(), "content/stories/denis/index.md") {
		t.Errorf("broken edit: %v", err)
	}
	if !strings.Contains(s.Read("stories/denis/index.html"), "zebra crossing") {
		t.Error("a failed update changed the page")
	}

	// the title shows in lists: the pages that show it are rewritten, and
	// only those
	featureBefore := modTime(t, s, "features/phb/index.html")
	s.Edit("content/stories/denis/index.md", strings.Replace(src, "title: Denis walks to his kitchen", "title: Denis walks to the shop", 1))
	res, partial, err = sess.Update(ctx, []string{denis})
	if err != nil || !partial {
		t.Fatalf("title edit: partial %v, %v", partial, err)
	}
	for _, page := range []string{
		"stories/denis/index.html",                                        // its own page
		"stories/index.html",                                              // its section's list
		"index.html",                                                      // the home page's newest stories
		"themes/rehab-potential/index.html",                               // its themes
		"themes/personalised-care/index.html",                             // a wider theme, through co-production
		"episodes/ep1/index.html",                                         // a page that lists it as related
		"atom.xml", "stories/atom.xml", "themes/rehab-potential/atom.xml", // feeds
		"old/denis/index.html", // its old address

		"evidence/index.html", // the table of its figures
	} {
		if !strings.Contains(s.Read(page), "Denis walks to the shop") {
			t.Errorf("%s does not show the new title", page)
		}
	}
	if !modTime(t, s, "features/phb/index.html").Equal(featureBefore) {
		t.Error("a page that does not show the story was rewritten")
	}
	// (and /sources/, which lists it under the sources it cites)
	if res.Pages > 14 || !slices.Contains(res.Changed, "/stories/") || !slices.Contains(res.Changed, "/episodes/ep1/") || !slices.Contains(res.Changed, "/sources/") || slices.Contains(res.Changed, "/features/phb/") {
		t.Errorf("%d pages rewritten for a title: %v", res.Pages, res.Changed)
	}

	// "Goal setting" loses its only item, so its page and feed go, in
	// place: they leave the page plan
	if _, err := os.Stat(filepath.Join(s.Out, "themes/goal-setting/index.html")); err != nil {
		t.Fatal(err)
	}
	s.Edit("content/stories/denis/index.md", strings.Replace(src, "themes: [rehab-potential, Goal setting, coproduction]", "themes: [rehab-potential]", 1))
	if _, partial, err := sess.Update(ctx, []string{denis}); err != nil || !partial {
		t.Fatalf("themes edit: partial %v, %v", partial, err)
	}
	if strings.Contains(s.Read("themes/co-production/index.html"), "stories/denis/") {
		t.Error("the story is still under a theme it left")
	}
	if _, err := os.Stat(filepath.Join(s.Out, "themes/goal-setting/index.html")); !os.IsNotExist(err) {
		t.Errorf("the page of a theme with no items is still there: %v", err)
	}

	// a removed story: its page goes, in place
	third := filepath.Join(s.Dir, "content/stories/third.md")
	if err := os.Remove(third); err != nil {
		t.Fatal(err)
	}
	if _, partial, err := sess.Update(ctx, []string{third}); err != nil || !partial {
		t.Fatalf("removed story: partial %v, %v", partial, err)
	}
	s.AssertNoFile("stories/third/index.html")
	if strings.Contains(s.Read("stories/index.html"), "stories/third/") {
		t.Error("the stories list still links the removed story")
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
// none) shows the start of its text in lists, so editing that start
// rewrites the lists too.
func TestSessionSummaryFromText(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	rose := filepath.Join(s.Dir, "content/stories/rose.md")
	src := readFixtureFile(t, s, "content/stories/rose.md")
	i := strings.LastIndex(src, "---\n") + 4
	s.Edit("content/stories/rose.md", src[:i]+"Rose opens with a new first line. "+src[i:])
	if _, partial, err := sess.Update(ctx, []string{rose}); err != nil || !partial {
		t.Fatalf("partial %v, %v", partial, err)
	}
	if !strings.Contains(s.Read("stories/index.html"), "Rose opens with a new first line") {
		t.Error("the list does not show the new opening")
	}
}

// TestSessionMatchesFullBuild: after a run of edits taken the quick way,
// the output is what a full build of the same files writes (the search
// index aside, which RefreshSearch rewrites and other tests check).
func TestSessionMatchesFullBuild(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	edits := []struct{ file, from, to string }{
		{"content/stories/denis/index.md", "title: Denis walks to his kitchen", "title: Denis walks again"},
		{"content/stories/rose.md", "Rose was referred", "Rose, at 70, was referred"},
		{"content/episodes/ep1/index.md", "summary: The episode.", "summary: The episode, retold."},
		{"content/features/phb.md", "Text with raw", "Some text with raw"},
		{"content/stories/denis/index.md", "date: 2026-11-23\n", "date: 2026-11-23\nupdated: 2026-12-02\n"},
	}
	for _, e := range edits {
		src := readFixtureFile(t, s, e.file)
		if !strings.Contains(src, e.from) {
			t.Fatalf("%s has no %q", e.file, e.from)
		}
		s.Edit(e.file, strings.Replace(src, e.from, e.to, 1))
		if _, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, e.file)}); err != nil || !partial {
			t.Fatalf("%s: partial %v, %v", e.file, partial, err)
		}
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	if _, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: fresh, Generator: "otpress test"}); err != nil {
		t.Fatal(err)
	}
	sameTree(t, s.Out, fresh, false)
}

// sameTree fails the test where two output folders differ, leaving out the
// search index unless withSearch.
func sameTree(t *testing.T, gotDir, wantDir string, withSearch bool) {
	t.Helper()
	compareTrees(t, gotDir, wantDir, withSearch, "the output")
}

// TestSessionMovesMatchFullBuild: edits that move items (a new date, new
// themes), new items and removed ones on a generated site of 300 items are
// done without a full build, and leave exactly what a full build writes,
// search index included once it is refreshed.
func TestSessionMovesMatchFullBuild(t *testing.T) {
	dir := t.TempDir()
	if err := sitetest.Generate(dir, 300, 3); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	ctx := context.Background()
	// drafts and future items shown, as the preview shows them by default
	sess := site.NewSession(site.Options{SiteDir: dir, OutDir: out, Generator: "otpress test", Drafts: true, Future: true})
	if _, _, err := sess.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	stories, err := filepath.Glob(filepath.Join(dir, "content", "stories", "*.md"))
	if err != nil || len(stories) < 10 {
		t.Fatalf("%d stories, %v", len(stories), err)
	}
	slices.Sort(stories)
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	write := func(p, data string) {
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	date := regexp.MustCompile(`(?m)^date: .*$`)
	// themesOf lists a generated file's themes as written; slugs, to compare
	slug := func(name string) string {
		return strings.ReplaceAll(strings.ToLower(strings.Trim(name, `"`)), " ", "-")
	}
	themesOf := func(src string) (written, slugs []string) {
		_, rest, ok := strings.Cut(src, "\nthemes:\n")
		if !ok { // "tags:", the other name
			_, rest, _ = strings.Cut(src, "\ntags:\n")
		}
		for _, line := range strings.Split(rest, "\n") {
			v, ok := strings.CutPrefix(line, "  - ")
			if !ok {
				break
			}
			written, slugs = append(written, v), append(slugs, slug(v))
		}
		return written, slugs
	}
	update := func(what string, quick bool, paths ...string) *site.Result {
		t.Helper()
		res, partial, err := sess.Update(ctx, paths)
		if err != nil || quick && !partial {
			t.Fatalf("%s: partial %v, %v", what, partial, err)
		}
		return res
	}

	// the newest story becomes one of the oldest: every stories list page
	// in between changes
	first := stories[0]
	write(first, date.ReplaceAllString(read(first), "date: 2001-02-03"))
	res := update("a new date", true, first)
	if res.Pages >= 300 {
		t.Errorf("a new date rewrote %d pages", res.Pages)
	}

	// two stories swap a theme each: the themes keep their sizes
	var a, b, ta, tb string
	for _, p := range stories[1:] {
		written, slugs := themesOf(read(p))
		if a == "" {
			a, ta = p, written[0]
			continue
		}
		_, slugsA := themesOf(read(a))
		if !slices.Contains(slugs, slug(ta)) && !slices.Contains(slugsA, slugs[0]) {
			b, tb = p, written[0]
			break
		}
	}
	if b == "" {
		t.Fatal("no two stories to swap themes between")
	}
	srcA, srcB := read(a), read(b)
	write(a, strings.Replace(srcA, "  - "+ta+"\n", "  - "+tb+"\n", 1))
	write(b, strings.Replace(srcB, "  - "+tb+"\n", "  - "+ta+"\n", 1))
	res = update("a theme swapped", true, a, b)
	if res.Pages >= 300 {
		t.Errorf("a theme swap rewrote %d pages", res.Pages)
	}

	// a date and the themes' order at once
	third := stories[len(stories)/2]
	src := read(third)
	th, _ := themesOf(src)
	moved := date.ReplaceAllString(src, "date: 2030-01-01")
	if len(th) > 1 {
		moved = strings.Replace(moved, "  - "+th[0]+"\n  - "+th[1]+"\n", "  - "+th[1]+"\n  - "+th[0]+"\n", 1)
	}
	write(third, moved)
	update("a date and the order of themes", true, third)

	// a theme dropped: its lists shrink (quick unless one loses a page)
	fourth := stories[len(stories)/3]
	src = read(fourth)
	if th, _ = themesOf(src); len(th) > 1 {
		write(fourth, strings.Replace(src, "  - "+th[0]+"\n", "", 1))
		update("a theme dropped", false, fourth)
	}

	// a theme's list of stories loses its last page, and another's gains one
	// (the counts as the lists show them: themes have aliases)
	count := map[string]int{}
	lists, _ := filepath.Glob(filepath.Join(out, "themes", "*", "stories", "index.html"))
	for _, l := range lists {
		var n int
		if _, err := fmt.Sscanf(regexp.MustCompile(`(\d+) items, newest first`).FindString(read(l)), "%d", &n); err == nil {
			count[filepath.Base(filepath.Dir(filepath.Dir(l)))] = n
		}
	}
	var shrink, grow string
	for _, sl := range slices.Sorted(maps.Keys(count)) {
		if n := count[sl]; n > 10 && n%10 == 1 && shrink == "" {
			shrink = sl
		} else if n >= 10 && n%10 == 0 && grow == "" {
			grow = sl
		}
	}
	lastPage := func(sl string) string {
		return fmt.Sprintf("themes/%s/stories/page/%d/index.html", sl, (count[sl]+9)/10)
	}
	exists := func(name string) bool { _, err := os.Stat(filepath.Join(out, name)); return err == nil }
	if shrink == "" || grow == "" {
		t.Fatalf("no theme to shrink or grow: %v", count)
	}
	if !exists(lastPage(shrink)) {
		t.Fatalf("%s is not there to begin with", lastPage(shrink))
	}
	for _, p := range stories {
		src := read(p)
		written, slugs := themesOf(src)
		if i := slices.Index(slugs, shrink); i >= 0 && len(written) > 1 && !slices.Contains(slugs, grow) {
			write(p, strings.Replace(src, "  - "+written[i]+"\n", "  - "+grow+"\n", 1))
			update("a theme's list loses a page, another's gains one", true, p)
			break
		}
	}
	if exists(lastPage(shrink)) {
		t.Errorf("%s is still there", lastPage(shrink))
	}
	count[grow]++
	if !exists(lastPage(grow)) {
		t.Errorf("%s was not written", lastPage(grow))
	}

	// a new story, a new draft feature and a story removed, in one update;
	// then a second new story alone
	newStory := filepath.Join(dir, "content", "stories", "a-new-story.md")
	write(newStory, strings.Replace(date.ReplaceAllString(read(stories[5]), "date: 2020-06-15"), "title: ", "title: A new story, ", 1))
	features, _ := filepath.Glob(filepath.Join(dir, "content", "features", "*.md"))
	newFeature := filepath.Join(dir, "content", "features", "a-new-feature.md")
	write(newFeature, strings.Replace(read(features[0]), "---\n", "---\ndraft: true\n", 1))
	gone := stories[7]
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	update("two new items and one gone", true, newStory, newFeature, gone)
	if !exists("stories/a-new-story/index.html") || !exists("features/a-new-feature/index.html") {
		t.Error("the new pages were not written")
	}
	goneSlug := strings.TrimSuffix(filepath.Base(gone), ".md")
	if exists("stories/" + goneSlug + "/index.html") {
		t.Error("the removed story's page is still there")
	}
	another := filepath.Join(dir, "content", "stories", "another-new-story.md")
	write(another, strings.Replace(read(stories[9]), "title: ", "title: Another new story, ", 1))
	update("a new story", true, another)

	// the content's other pages, through the page plan: a theme renamed
	// and put under another, the stories' introduction written, a story
	// at a new address
	themeFile := filepath.Join(dir, "content", "themes", "anxiety.md")
	write(themeFile, strings.Replace(strings.Replace(read(themeFile), `title: "Anxiety"`, `title: "Anxiety and worry"`, 1), "broader: mental-health", "broader: workforce", 1))
	update("a theme renamed and moved", true, themeFile)
	intro := filepath.Join(dir, "content", "stories", "_index.md")
	write(intro, "---\ntitle: Stories\n---\nWhat changed for the people we work with.\n")
	update("an introduction", true, intro)
	tenth := stories[10]
	write(tenth, strings.Replace(read(tenth), "\ntitle: ", "\nslug: somewhere-else\ntitle: ", 1))
	update("a new address", true, tenth)
	if !exists("stories/somewhere-else/index.html") || exists("stories/"+strings.TrimSuffix(filepath.Base(tenth), ".md")+"/index.html") {
		t.Error("the story's page did not move")
	}

	if err := sess.RefreshSearch(ctx); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	if _, err := site.Build(ctx, site.Options{SiteDir: dir, OutDir: fresh, Generator: "otpress test", Drafts: true, Future: true}); err != nil {
		t.Fatal(err)
	}
	sameTree(t, out, fresh, true)
}

// lineDiff shows the first lines where two texts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return "line " + strconv.Itoa(i+1) + ":\nwant " + w[i] + "\ngot  " + g[i]
		}
	}
	return "lengths differ"
}

// TestSessionPageOf: the page each content file makes, for the preview's
// --navigate; none for files that make no page of their own.
func TestSessionPageOf(t *testing.T) {
	s, sess := builtSession(t)
	for file, want := range map[string]string{
		"content/stories/denis/index.md":      "/stories/denis/",
		"content/stories/denis/photo.svg":     "/stories/denis/",
		"content/stories/rose.md":             "/stories/rose/",
		"content/episodes/ep1/transcript.vtt": "/episodes/ep1/",
		"content/themes/co-production.md":     "/themes/co-production/",
		"content/packs/personalised-care.md":  "/packs/personalised-care/",
		"content/pages/accessibility.md":      "/accessibility/",
		"content/stories/_index.md":           "/stories/",
		"content/_index.md":                   "/",
		"content/stories/draft.md":            "", // hidden: drafts are not shown in this session
		"data/sources.yaml":                   "",
		"site.toml":                           "",
		"static/images/logo.svg":              "",
	} {
		if got := sess.PageOf(filepath.Join(s.Dir, filepath.FromSlash(file))); got != want {
			t.Errorf("PageOf(%s) = %q; want %q", file, got, want)
		}
	}
}

// TestSessionOldPageFileAlias: an alias that is an old page file
// (/news/third.html) is written as that file in the preview, and goes with
// its story when the story's file is removed, as a full build leaves it.
func TestSessionOldPageFileAlias(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	third := filepath.Join(s.Dir, "content/stories/third.md")
	src := readFixtureFile(t, s, "content/stories/third.md")
	s.Edit("content/stories/third.md", strings.Replace(src, "date: 2018-01-01\n", "date: 2018-01-01\naliases: [/news/third.html]\n", 1))
	if _, _, err := sess.Update(ctx, []string{third}); err != nil {
		t.Fatal(err)
	}
	s.AssertFileContains("news/third.html", "/stories/third/")
	if err := os.Remove(third); err != nil {
		t.Fatal(err)
	}
	if _, partial, err := sess.Update(ctx, []string{third}); err != nil || !partial {
		t.Fatalf("the story removed: partial %v, %v", partial, err)
	}
	s.AssertNoFile("news/third.html", "stories/third/index.html")
}

// TestSessionExpires: in the preview, an expires date ahead shows on the
// page; one that has come takes the page off the site, as a build does;
// taking it away brings the page back.
func TestSessionExpires(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	third := filepath.Join(s.Dir, "content/stories/third.md")
	src := readFixtureFile(t, s, "content/stories/third.md")
	s.Edit("content/stories/third.md", strings.Replace(src, "date: 2018-01-01\n", "date: 2018-01-01\nexpires: 2999-01-01\n", 1))
	if _, partial, err := sess.Update(ctx, []string{third}); err != nil || !partial {
		t.Fatalf("an expires date ahead: partial %v, %v", partial, err)
	}
	s.AssertFileContains("stories/third/index.html", "Leaves this site on <time datetime=\"2999-01-01T00:00:00Z\">1 January 2999</time>")
	s.Edit("content/stories/third.md", strings.Replace(src, "date: 2018-01-01\n", "date: 2018-01-01\nexpires: 2019-01-01\n", 1))
	res, _, err := sess.Update(ctx, []string{third})
	if err != nil || len(res.Expired) != 1 || res.Expired[0].File != "content/stories/third.md" {
		t.Fatalf("an expires date that has come: %+v, %v", res, err)
	}
	s.AssertNoFile("stories/third/index.html")
	if strings.Contains(s.Read("sitemap.xml"), "/stories/third/") {
		t.Error("the sitemap still lists the expired story")
	}
	s.Edit("content/stories/third.md", src)
	if _, _, err := sess.Update(ctx, []string{third}); err != nil {
		t.Fatal(err)
	}
	s.AssertFileContains("stories/third/index.html", "! Leaves this site")
	s.AssertFileContains("sitemap.xml", "/stories/third/")
}

// TestSessionKeepsReportingBrokenFiles: after a broken edit, a good edit to
// another file does not make the site look fixed while the first is still
// broken; fixing it clears the problem.
func TestSessionKeepsReportingBrokenFiles(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	third, rose := filepath.Join(s.Dir, "content/stories/third.md"), filepath.Join(s.Dir, "content/stories/rose.md")
	thirdSrc, roseSrc := readFixtureFile(t, s, "content/stories/third.md"), readFixtureFile(t, s, "content/stories/rose.md")
	s.Edit("content/stories/third.md", strings.Replace(thirdSrc, "date: 2018-01-01", "date: someday", 1))
	if _, _, err := sess.Update(ctx, []string{third}); err == nil {
		t.Fatal("a broken date was accepted")
	}
	s.Edit("content/stories/rose.md", roseSrc+"\nMore about Rose.\n")
	if _, _, err := sess.Update(ctx, []string{rose}); err == nil || !strings.Contains(err.Error(), "content/stories/third.md") {
		t.Errorf("a good edit elsewhere: %v; want the third story's problem still reported", err)
	}
	s.Edit("content/stories/third.md", thirdSrc)
	if _, partial, err := sess.Update(ctx, []string{third}); err != nil || !partial {
		t.Fatalf("after the fix: partial %v, %v", partial, err)
	}
	if !strings.Contains(s.Read("stories/rose/index.html"), "More about Rose.") {
		t.Error("the edit made while the third story was broken never reached Rose's page")
	}

	// a broken file that is not an item's: full builds until it is fixed
	theme := filepath.Join(s.Dir, "content/themes/co-production.md")
	themeSrc := readFixtureFile(t, s, "content/themes/co-production.md")
	s.Edit("content/themes/co-production.md", "---\ntitle: [unclosed\n---\n")
	if _, _, err := sess.Update(ctx, []string{theme}); err == nil {
		t.Fatal("a broken theme was accepted")
	}
	if _, _, err := sess.Update(ctx, []string{rose}); err == nil || !strings.Contains(err.Error(), "content/themes/co-production.md") {
		t.Errorf("a text edit while a theme is broken: %v", err)
	}
	s.Edit("content/themes/co-production.md", themeSrc)
	if _, _, err := sess.Update(ctx, []string{theme}); err != nil {
		t.Fatal(err)
	}
}

// TestSessionEarlyOwnPage: with Early set, a new title puts the story's own
// page in place before the pages that list it, and says so; the later
// pages come in the result.
func TestSessionEarlyOwnPage(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	var early []string
	var pageThen, listThen string
	sess.Early = func(changed []string) {
		early = changed
		pageThen, listThen = s.Read("stories/rose/index.html"), s.Read("stories/index.html")
	}
	src := readFixtureFile(t, s, "content/stories/rose.md")
	s.Edit("content/stories/rose.md", strings.Replace(src, "title: Rose finds her confidence", "title: Rose walks to the shop", 1))
	res, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, "content/stories/rose.md")})
	if err != nil || !partial {
		t.Fatalf("partial %v, %v", partial, err)
	}
	if strings.Join(early, " ") != "/stories/rose/" {
		t.Errorf("early = %v; want the story's page alone", early)
	}
	if !strings.Contains(pageThen, "Rose walks to the shop") || strings.Contains(listThen, "Rose walks to the shop") {
		t.Error("when Early was called, the story's page should be new and its list not yet")
	}
	if slices.Contains(res.Changed, "/stories/rose/") || !slices.Contains(res.Changed, "/stories/") {
		t.Errorf("later pages = %v", res.Changed)
	}
	if !strings.Contains(s.Read("stories/index.html"), "Rose walks to the shop") {
		t.Error("the list was not rewritten after all")
	}
}

// TestSessionSourceEdits: an edit that cites what the item cited before
// keeps the catalogue (a new page number is the citing page's), and one that
// changes what an inline source says shows on the page and on /sources/.
func TestSessionSourceEdits(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	phb := filepath.Join(s.Dir, "content/features/phb.md")
	src := readFixtureFile(t, s, "content/features/phb.md")
	cite := `{title: Personalised care, publication: OTnews, issue: April 2019, page: "15"}`
	if !strings.Contains(src, cite) {
		t.Fatal("the fixture's inline source has changed; update this test")
	}
	for _, step := range []struct{ what, from, to, page, want string }{
		{"text only", "Text with raw", "Words with raw", "features/phb/index.html", "Words with raw"},
		{"a new page number", `page: "15"`, `page: "16"`, "features/phb/index.html", "16"},
		{"a new publication", "publication: OTnews", "publication: OT News Weekly", "sources/index.html", "OT News Weekly"},
	} {
		src = strings.Replace(src, step.from, step.to, 1)
		s.Edit("content/features/phb.md", src)
		if _, _, err := sess.Update(ctx, []string{phb}); err != nil {
			t.Fatalf("%s: %v", step.what, err)
		}
		if !strings.Contains(s.Read(step.page), step.want) {
			t.Errorf("%s: %s does not show %q", step.what, step.page, step.want)
		}
	}
	if !strings.Contains(s.Read("features/phb/index.html"), "OT News Weekly") {
		t.Error("the feature's own list of sources does not show the new publication")
	}
}

// TestSessionTextsFollowNewPages: a Session keeps each item's rendered
// text for pages rewritten for their related lists alone, but a new page
// can change any text: a link to it that went nowhere now finds it.
func TestSessionTextsFollowNewPages(t *testing.T) {
	s := sitetest.Write(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/a.md --
---
title: A
date: 2026-11-20
themes: [falls]
---
See [the older story](older.md).
-- content/stories/b.md --
---
title: B
date: 2026-11-19
themes: [falls]
---
Text.
-- content/themes/falls.md --
---
title: Falls
---
Falls.
-- content/stories/d.md --
---
title: D
date: 2026-09-01
themes: [stairs]
---
Text.
-- content/themes/stairs.md --
---
title: Stairs
---
Stairs.
`)
	ctx := context.Background()
	sess := sessionOf(t, s)
	// quick updates the preview after file was saved or removed, in place
	quick := func(what, file string) {
		t.Helper()
		if _, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, file)}); err != nil || !partial {
			t.Fatalf("%s: partial %v, %v", what, partial, err)
		}
	}
	s.AssertFileContains("stories/a/index.html", `href="/stories/older.md"`)
	// older than A, under its theme: A's related list gains it, so A's page
	// is rewritten for its list, with its link now going to the new page
	s.Edit("content/stories/older.md", "---\ntitle: Older\ndate: 2026-11-01\nthemes: [falls]\n---\nText.\n")
	res, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, "content/stories/older.md")})
	if err != nil || !partial || !slices.Contains(res.Changed, "/stories/a/") {
		t.Fatalf("a new story: partial %v, %+v, %v", partial, res, err)
	}
	s.AssertFileContains("stories/a/index.html", `
		<a href="/stories/older/">the older story</a>
		! older.md
	`)

	// a story under another theme links to B: B going and coming back
	// changes nothing of its related list, and its link follows all the same
	s.Edit("content/stories/c.md", "---\ntitle: C\ndate: 2026-10-01\nthemes: [stairs]\n---\nSee [B](b.md).\n")
	quick("story c", "content/stories/c.md")
	s.AssertFileContains("stories/c/index.html", `<a href="/stories/b/">B</a>`)
	b, err := os.ReadFile(filepath.Join(s.Dir, "content/stories/b.md"))
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(s.Dir, "content/stories/b.md"))
	quick("b removed", "content/stories/b.md")
	s.AssertFileContains("stories/c/index.html", `<a href="/stories/b.md">B</a>`)
	s.Edit("content/stories/b.md", string(b))
	quick("b back", "content/stories/b.md")
	s.AssertFileContains("stories/c/index.html", `<a href="/stories/b/">B</a>`)

	// a theme's text with such a link: its page is written again anyway
	s.Edit("content/themes/stairs.md", "---\ntitle: Stairs\n---\nSee [B](../stories/b.md).\n")
	if _, _, err := sess.Update(ctx, []string{filepath.Join(s.Dir, "content/themes/stairs.md")}); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(s.Dir, "content/stories/b.md"))
	quick("b removed with a theme linking to it", "content/stories/b.md")
	s.AssertFileContains("themes/stairs/index.html", `<a href="/stories/b.md">B</a>`)
	s.Edit("content/stories/b.md", string(b))
	quick("b back", "content/stories/b.md")
	s.AssertFileContains("themes/stairs/index.html", `<a href="/stories/b/">B</a>`)

	// a standalone page with such a link: written again, as every page
	// whose view changed
	s.Edit("content/pages/about.md", "---\ntitle: About\n---\nStart with [B](../stories/b.md).\n")
	if _, _, err := sess.Update(ctx, []string{filepath.Join(s.Dir, "content/pages/about.md")}); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(s.Dir, "content/stories/b.md"))
	quick("b removed with a page linking to it", "content/stories/b.md")
	s.AssertFileContains("about/index.html", `<a href="/stories/b.md">B</a>`)
}

// TestSessionTextSavedUnheard: a Session lets go of texts it has rendered
// and reads them again when it must. A file saved again that the preview
// has not been told of yet is not mixed into an update (the new text with
// the old front matter): the update builds everything instead.
func TestSessionTextSavedUnheard(t *testing.T) {
	s := sitetest.Write(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/a.md --
---
title: A
date: 2026-11-20
themes: [falls]
---
See [B](b.md).
-- content/stories/b.md --
---
title: B
date: 2026-11-19
themes: [falls]
---
Text.
-- content/themes/falls.md --
---
title: Falls
---
Falls.
`)
	ctx := context.Background()
	sess := sessionOf(t, s)
	// B goes: A's link to it reads otherwise, so A's text is rendered again
	os.Remove(filepath.Join(s.Dir, "content/stories/b.md"))
	if _, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, "content/stories/b.md")}); err != nil || !partial {
		t.Fatalf("b removed: partial %v, %v", partial, err)
	}
	s.AssertFileContains("stories/a/index.html", `<a href="/stories/b.md">B</a>`)
	// A saved with a new title and text, unheard; B comes back
	s.Edit("content/stories/a.md", "---\ntitle: A, retitled\ndate: 2026-11-20\nthemes: [falls]\n---\nSee [B](b.md). Saved, not yet heard.\n")
	s.Edit("content/stories/b.md", "---\ntitle: B\ndate: 2026-11-19\nthemes: [falls]\n---\nText.\n")
	if _, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, "content/stories/b.md")}); err != nil || partial {
		t.Fatalf("b back, a saved unheard: partial %v, %v; want a full build", partial, err)
	}
	s.AssertFileContains("stories/a/index.html", `
		A, retitled
		<a href="/stories/b/">B</a>. Saved, not yet heard.
	`)
	fresh := filepath.Join(t.TempDir(), "fresh")
	if _, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: fresh, Generator: "otpress test"}); err != nil {
		t.Fatal(err)
	}
	sameTree(t, s.Out, fresh, true)
}

// TestSessionTextEditInFeed: an edit to the text of an item the site's
// feeds carry whole, which changes nothing else any page shows of it (its
// summary is its own), is a text-only update; the feeds carry the new
// text, as a clean build's do, and so do a warm build's, and its own
// preview page and feeds are all it writes.
func TestSessionTextEditInFeed(t *testing.T) {
	s, sess := builtSession(t)
	ctx := context.Background()
	const file = "content/stories/third.md"
	src := readFixtureFile(t, s, file)
	if !strings.Contains(src, "summary: Third.") || !strings.HasSuffix(src, "\nText.\n") {
		t.Fatalf("%s is not as the test expects:\n%s", file, src)
	}
	s.Edit(file, strings.Replace(src, "\nText.\n", "\nText, with a [link](rose.md).\n", 1))
	res, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, file)})
	if err != nil || !partial {
		t.Fatalf("partial %v, %v", partial, err)
	}
	if !slices.Equal(res.Changed, []string{"/stories/third/"}) {
		t.Errorf("changed pages %v; want the feature's alone", res.Changed)
	}
	const text = `Text, with a <a href="https://example.org/ot/stories/rose/">link</a>.`
	for _, name := range []string{"feed.json", "atom.xml"} {
		f := parseFeed(t, s, name)
		var content string
		for _, it := range f.Items {
			if it.Link == "https://example.org/ot/stories/third/" {
				content = it.Content
			}
		}
		if !strings.Contains(content, text) {
			t.Errorf("the preview's %s does not carry the new text: %q", name, content)
		}
	}
	clean := filepath.Join(t.TempDir(), "clean")
	if _, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: clean, Generator: "otpress test"}); err != nil {
		t.Fatal(err)
	}
	sameTree(t, s.Out, clean, false)

	// a warm build: the cache of a build before the edit, then one after
	s.Edit(file, src)
	warmOut := filepath.Join(t.TempDir(), "warm")
	opts := site.Options{SiteDir: s.Dir, OutDir: warmOut, Generator: "otpress test", Cache: true}
	if _, err := site.Build(ctx, opts); err != nil {
		t.Fatal(err)
	}
	s.Edit(file, strings.Replace(src, "\nText.\n", "\nText, with a [link](rose.md).\n", 1))
	if _, err := site.Build(ctx, opts); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"feed.json", "atom.xml"} {
		want, _ := os.ReadFile(filepath.Join(clean, name))
		got, _ := os.ReadFile(filepath.Join(warmOut, name))
		if !bytes.Contains(got, []byte("Text, with a ")) || !bytes.Equal(got, want) {
			t.Errorf("a warm build's %s differs from a clean build's:\n%s", name, lineDiff(string(want), string(got)))
		}
	}
}

// TestSessionItemComesIntoFeed: with [feeds] limit 2, an item that moves
// out of the newest two lets the third into the site's feeds, whose text
// the preview kept from before, when the feeds did not list it:
// they carry it whole, as a clean build's do.
func TestSessionItemComesIntoFeed(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	s.Edit("site.toml", strings.Replace(readFixtureFile(t, s, "site.toml"), "[podcast]", "[feeds]\nlimit = 2\n\n[podcast]", 1))
	sess := sessionOf(t, s)
	ctx := context.Background()
	if c := feedContent(t, s, "https://example.org/ot/features/phb/"); c != "" {
		t.Fatalf("the third newest carries its text with limit 2: %q", c)
	}
	const file = "content/stories/denis/index.md"
	s.Edit(file, strings.Replace(readFixtureFile(t, s, file), "date: 2026-11-23", "date: 2010-01-01", 1))
	if _, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, file)}); err != nil || !partial {
		t.Fatalf("partial %v, %v", partial, err)
	}
	if c := feedContent(t, s, "https://example.org/ot/features/phb/"); !strings.Contains(c, "<h2 id=\"the-interview\">The interview</h2>") {
		t.Errorf("the feature, now second newest, is not carried whole: %q", c)
	}
	clean := filepath.Join(t.TempDir(), "clean")
	if _, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: clean, Generator: "otpress test"}); err != nil {
		t.Fatal(err)
	}
	sameTree(t, s.Out, clean, false)
}

// feedContent is the content_html of the item at url in feed.json.
func feedContent(t *testing.T, s *sitetest.Site, url string) string {
	t.Helper()
	for _, it := range parseFeed(t, s, "feed.json").Items {
		if it.Link == url {
			return it.Content
		}
	}
	return ""
}
