package site_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/picture/picturetest"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// warmBuild builds s with the cache, as generator build does, and a clean
// build of the same files into a folder of its own without one; the two
// outputs must be the same, search index and all.
func warmBuild(t *testing.T, s *sitetest.Site, clean bool) *site.Result {
	t.Helper()
	ctx := context.Background()
	res, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: s.Out, Generator: "otpress test", Minify: true, Cache: true, Clean: clean})
	if err != nil {
		t.Fatalf("warm build: %v", err)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	if _, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: fresh, Generator: "otpress test", Minify: true}); err != nil {
		t.Fatal(err)
	}
	sameTree(t, s.Out, fresh, true)
	return res
}

// TestWarmBuildMatchesClean: after each kind of edit a build with the
// cache writes exactly what a build without one does, taking from the last
// build only the pages whose views are as they were; a page template
// makes its own pages again, and a partial or site.toml every page.
func TestWarmBuildMatchesClean(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	if res := warmBuild(t, s, false); res.Reused != 0 {
		t.Errorf("the first build reused %d pages", res.Reused)
	}
	// the folder it made tells git and backup tools to leave it out
	if b, err := os.ReadFile(filepath.Join(s.Dir, site.CacheDir, ".gitignore")); err != nil || !strings.Contains(string(b), "\n*\n") {
		t.Errorf(".gitignore: %q, %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(s.Dir, site.CacheDir, "CACHEDIR.TAG")); err != nil || !strings.HasPrefix(string(b), "Signature: 8a477f597d28d172789f06886806bc55") {
		t.Errorf("CACHEDIR.TAG: %q, %v", b, err)
	}
	// files as the last build made them are linked, not written again
	made := map[string]string{}
	for _, f := range []string{"search/data/m.js", "search/data/x3.js", "sitemap.xml", "atom.xml", "episodes/ep1/chapters.json"} {
		made[f] = filepath.Join(t.TempDir(), "held")
		if err := os.Link(filepath.Join(s.Out, f), made[f]); err != nil {
			t.Fatal(err)
		}
	}
	var state string
	holdState := func() { // a link to the search state as it is
		state = filepath.Join(t.TempDir(), "state")
		if err := os.Link(filepath.Join(s.Dir, site.CacheDir, "search-state"), state); err != nil {
			t.Fatal(err)
		}
	}
	holdState()
	sameState := func() bool {
		a, err1 := os.Stat(filepath.Join(s.Dir, site.CacheDir, "search-state"))
		b, err2 := os.Stat(state)
		return err1 == nil && err2 == nil && os.SameFile(a, b)
	}
	res := warmBuild(t, s, false)
	if !sameState() { // every document taken from it: kept as it is
		t.Error("nothing changed: the search state was written again")
	}
	if res.Reused != int64(res.Pages) {
		t.Errorf("nothing changed: reused %d of %d pages", res.Reused, res.Pages)
	}
	for f, held := range made {
		a, err1 := os.Stat(filepath.Join(s.Out, f))
		b, err2 := os.Stat(held)
		if err1 != nil || err2 != nil || !os.SameFile(a, b) {
			t.Errorf("nothing changed: %s was written again (%v, %v)", f, err1, err2)
		}
	}
	// the old output is left in the cache folder, for the next build to
	// remove while it works
	if got := oldOutputs(t, s); len(got) != 1 {
		t.Errorf("nothing changed: old outputs in the cache folder %v; want one", got)
	}
	recalled := res.Recalled // every text rendered, and every item's analysis
	if recalled < int64(res.Pages)/2 {
		t.Errorf("nothing changed: %d texts and analyses taken from the cache", recalled)
	}
	if res := warmBuild(t, s, true); res.Reused != 0 || res.Recalled != 0 {
		t.Errorf("--clean reused %d pages and %d texts and analyses", res.Reused, res.Recalled)
	}
	story := func(from, to string) func() {
		return func() {
			src, err := os.ReadFile(filepath.Join(s.Dir, "content/stories/rose.md"))
			if err != nil || !bytes.Contains(src, []byte(from)) {
				t.Fatalf("rose.md has no %q (%v)", from, err)
			}
			s.Edit("content/stories/rose.md", strings.Replace(string(src), from, to, 1))
		}
	}
	builtIn, err := os.ReadFile("../../../themes/default/templates/story.html")
	if err != nil {
		t.Fatal(err)
	}
	card, err := os.ReadFile("../../../themes/default/templates/partials/card.html")
	if err != nil || !bytes.Contains(card, []byte("</article>")) {
		t.Fatalf("card.html: %v", err)
	}
	for _, e := range []struct {
		name  string
		edit  func()
		reuse string // "some": some pages but not all; "none"; "stories": all but the stories'

		// texts and analyses taken from the cache: all, or all but one
		// of each, the story's (of those of the last build)
		recalled int64
	}{
		{"a story's text", story("\n---\n", "\n---\nA new first paragraph about the garden.\n\n"), "some", recalled - 2},
		{"a word of a story with a summary", func() { // the same count of words, the same summary: only the text differs
			src, _ := os.ReadFile(filepath.Join(s.Dir, "content/stories/denis/index.md"))
			s.Edit("content/stories/denis/index.md", strings.Replace(string(src), "that support around", "that support nearby", 1))
		}, "some", recalled - 2},
		{"a word of a story, the same length, its time set back", func() { // stat says so by its change time alone
			p := filepath.Join(s.Dir, "content/stories/denis/index.md")
			fi, err := os.Stat(p)
			src, _ := os.ReadFile(p)
			if err != nil || !bytes.Contains(src, []byte("support nearby")) {
				t.Fatalf("denis: %v", err)
			}
			s.Edit("content/stories/denis/index.md", strings.Replace(string(src), "support nearby", "support closer", 1))
			if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
				t.Fatal(err)
			}
		}, "some", recalled - 2},
		{"a story's title", story("title: ", "title: Renamed "), "some", recalled - 1}, // the title is searched
		{"a story's themes", story("themes: [social prescribing]", "themes: [social prescribing, rehab-potential]"), "some", recalled - 1},
		{"an episode's transcript", func() {
			src, _ := os.ReadFile(filepath.Join(s.Dir, "content/episodes/ep1/transcript.vtt"))
			s.Edit("content/episodes/ep1/transcript.vtt", strings.Replace(string(src), "Hello, and welcome.", "Hello, and welcome back.", 1))
		}, "some", recalled - 1}, // the episode's analysis, which holds its transcript
		{"a story's picture", func() {
			src, _ := os.ReadFile(filepath.Join(s.Dir, "content/stories/denis/photo.svg"))
			s.Edit("content/stories/denis/photo.svg", strings.Replace(string(src), `width="320" height="180"`, `width="640" height="360"`, 1))
		}, "some", recalled},
		{"a story citing a listed work in front matter", func() {
			src, _ := os.ReadFile(filepath.Join(s.Dir, "content/stories/third.md"))
			s.Edit("content/stories/third.md", strings.Replace(string(src), "summary: Third.", "summary: Third.\nsources: [rcot-2019]", 1))
		}, "some", recalled - 2}, // its text, a line lower, and its analysis
		{"a work written in another story, by the same author in the same year", func() {
			// the third story's rcot-2019 becomes 2019a: its page changes, not its file
			story("person: Rose (a pseudonym)", "person: Rose (a pseudonym)\nsources:\n  - {type: report, title: Another report, author: [{literal: Royal College of Occupational Therapists}], publisher: RCOT, issued: 2019-09}")()
		}, "some", recalled - 4}, // and the text citing RCOT's 2019 work, now 2019a, and its analysis
		{"a new story", func() {
			s.Edit("content/stories/new.md", "---\ntitle: A new story\ndate: 2026-01-05\nthemes: [rehab-potential]\n---\nNew text.\n")
		}, "some", recalled},
		{"a removed story", func() { os.Remove(filepath.Join(s.Dir, "content/stories/new.md")) }, "some", recalled},
		{"a new standalone page, in every page's footer", func() {
			s.Edit("content/pages/contact.md", "---\ntitle: Contact us\n---\nWrite to us.\n")
		}, "none", recalled},
		{"a template of the site's own", func() {
			s.Edit("themes/default/templates/story.html", strings.Replace(string(builtIn), "</article>", "<p>Told by the team.</p></article>", 1))
		}, "stories", recalled + 1}, // and the new page's text
		{"a partial of the site's own", func() {
			s.Edit("themes/default/templates/partials/card.html", strings.Replace(string(card), "</article>", "</article><!-- ours -->", 1))
		}, "none", recalled + 1},
		{"site.toml", func() {
			src, _ := os.ReadFile(filepath.Join(s.Dir, "site.toml"))
			s.Edit("site.toml", string(src)+"\n# a comment\n")
		}, "none", recalled + 1},
	} {
		t.Run(e.name, func(t *testing.T) {
			holdState()
			e.edit()
			res := warmBuild(t, s, false)
			if e.reuse == "some" && (res.Reused == 0 || res.Reused == int64(res.Pages)) || e.reuse == "none" && res.Reused != 0 ||
				e.reuse == "stories" && res.Reused != int64(res.Pages-len(stories(t, s))) {
				t.Errorf("reused %d of %d pages; want %s", res.Reused, res.Pages, e.reuse)
			}
			if res.Recalled != e.recalled {
				t.Errorf("took %d texts and analyses from the cache; want %d", res.Recalled, e.recalled)
			}
			if e.name == "a story's text" && sameState() { // a site of a few items: one document in a hundred is too many
				t.Error("the search state was not written again")
			}
			if got := oldOutputs(t, s); len(got) > 1 {
				t.Errorf("old outputs in the cache folder: %v; want the last at most", got)
			}
		})
	}
	if !strings.Contains(s.Read("stories/rose/index.html"), "Told by the team.") {
		t.Error("the site's own template is not used")
	}
}

// oldOutputs are the old outputs a build left in the cache folder.
func oldOutputs(t *testing.T, s *sitetest.Site) []string {
	t.Helper()
	var out []string
	entries, _ := os.ReadDir(filepath.Join(s.Dir, site.CacheDir))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "old-output-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestWarmListFollowsSummary: a list page is known by its items as read
// and by their cards' summaries, which a text's lead can change without
// its file changing: a citation that becomes "2019b" when another story
// cites a second work by the same author of the same year.
func TestWarmListFollowsSummary(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	s.Edit("content/stories/cites.md", "---\ntitle: Citing\ndate: 2026-01-06\n---\nGoals come first [@rcot-2019].\n")
	warmBuild(t, s, false)
	if !strings.Contains(s.Read("stories/index.html"), "Therapists, 2019).") {
		t.Fatal("the stories list does not show the citation in the card's summary")
	}
	src, err := os.ReadFile(filepath.Join(s.Dir, "content/stories/rose.md"))
	if err != nil {
		t.Fatal(err)
	}
	s.Edit("content/stories/rose.md", strings.Replace(string(src), "person: Rose (a pseudonym)", "person: Rose (a pseudonym)\nsources:\n  - {type: report, title: Another report, author: [{literal: Royal College of Occupational Therapists}], publisher: RCOT, issued: 2019-09}", 1))
	warmBuild(t, s, false) // the same as a clean build
	if !strings.Contains(s.Read("stories/index.html"), "Therapists, 2019b).") {
		t.Error("the stories list does not show the citation as it is now")
	}
}

// TestWarmCacheFaults: a cache that is damaged, cut short, from another
// otpress, not a cache at all, or describing files changed since, is never
// trusted: the build says so in one warning (or nothing, for changed
// files) and writes what a clean build writes; the next build has a good
// cache again. A cache folder that cannot be written is a warning.
func TestWarmCacheFaults(t *testing.T) {
	pages := func(s *sitetest.Site) string { return filepath.Join(s.Dir, site.CacheDir, "pages") }
	damageIndex := func(shelf string) func(*testing.T, *sitetest.Site) {
		return func(t *testing.T, s *sitetest.Site) {
			p := filepath.Join(s.Dir, site.CacheDir, shelf+".index")
			data, _ := os.ReadFile(p)
			data[len(data)-45] ^= 0x55
			os.WriteFile(p, data, 0o644)
		}
	}
	for _, tt := range []struct {
		name  string
		fault func(t *testing.T, s *sitetest.Site)
		warn  string
	}{
		{"a byte changed", func(t *testing.T, s *sitetest.Site) {
			data, _ := os.ReadFile(pages(s))
			data[len(data)/2] ^= 0x55
			os.WriteFile(pages(s), data, 0o644)
		}, "the build cache was not used: it is damaged or was cut short"},
		{"cut short", func(t *testing.T, s *sitetest.Site) {
			data, _ := os.ReadFile(pages(s))
			os.WriteFile(pages(s), data[:len(data)*2/3], 0o644)
		}, "the build cache was not used: it is damaged or was cut short"},
		{"another otpress", func(t *testing.T, s *sitetest.Site) {
			data, _ := os.ReadFile(pages(s))
			body := data[:len(data)-32]
			magic := bytes.IndexByte(body, '\n') + 1
			copy(body[magic:magic+32], bytes.Repeat([]byte{7}, 32))
			sum := sha256.Sum256(body)
			os.WriteFile(pages(s), append(body, sum[:]...), 0o644)
		}, "the build cache was not used: another version of otpress made it"},
		{"not a cache", func(t *testing.T, s *sitetest.Site) {
			os.WriteFile(pages(s), []byte("hello"), 0o644)
		}, "the build cache was not used: it is not a page cache of this otpress"},
		{"a write left half done", func(t *testing.T, s *sitetest.Site) {
			os.WriteFile(filepath.Join(s.Dir, site.CacheDir, ".pages-123"), []byte("otpress page cache 1\nhalf"), 0o644)
		}, ""},
		{"output files changed since", func(t *testing.T, s *sitetest.Site) {
			// as a killed build or a hand edit would leave them
			for _, name := range []string{"stories/rose/index.html", "index.html"} {
				p := filepath.Join(s.Out, name)
				data, _ := os.ReadFile(p)
				os.WriteFile(p, bytes.Replace(data, []byte("</main>"), []byte("<p>stale</p></main>"), 1), 0o644)
			}
		}, ""},
		{"output restored from an archive, times cut to the second", func(t *testing.T, s *sitetest.Site) {
			filepath.WalkDir(s.Out, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					fi, _ := d.Info()
					os.Chtimes(p, time.Time{}, fi.ModTime().Truncate(time.Second))
				}
				return nil
			})
		}, ""},
		{"the rendered Markdown cut short", func(t *testing.T, s *sitetest.Site) {
			p := filepath.Join(s.Dir, site.CacheDir, "markdown")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, data[:len(data)/2], 0o644)
		}, "markdown: warning: the build cache was not used: it is damaged or was cut short"},
		{"the items cut short", func(t *testing.T, s *sitetest.Site) {
			p := filepath.Join(s.Dir, site.CacheDir, "items")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, data[:len(data)/2], 0o644)
		}, "items: warning: the build cache was not used: it is damaged or was cut short"},
		{"the search analyses' index damaged", damageIndex("search"), "search: warning: the build cache was not used: it is damaged or was cut short"},
		{"the parts' index damaged", damageIndex("parts"), "parts: warning: the build cache was not used: it is damaged or was cut short"},
		{"a record of each damaged", func(t *testing.T, s *sitetest.Site) {
			// taken as missing, quietly: each record has its own sum
			for _, name := range []string{"markdown", "search", "items", "related", "parts"} {
				p := filepath.Join(s.Dir, site.CacheDir, name)
				data, _ := os.ReadFile(p)
				head := bytes.IndexByte(data, '\n') + 1 + 32 + 16 // magic, settings, id
				data[head+(len(data)-head)/2] ^= 0x55
				os.WriteFile(p, data, 0o644)
			}
		}, ""},
		{"the search state damaged", func(t *testing.T, s *sitetest.Site) {
			p := filepath.Join(s.Dir, site.CacheDir, "search-state")
			data, _ := os.ReadFile(p)
			data[len(data)/2] ^= 0x55
			os.WriteFile(p, data, 0o644)
		}, "search-state: warning: the build cache was not used: it is damaged or was cut short"},
		{"the search state cut short", func(t *testing.T, s *sitetest.Site) {
			p := filepath.Join(s.Dir, site.CacheDir, "search-state")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, data[:len(data)*2/3], 0o644)
		}, "search-state: warning: the build cache was not used: it is damaged or was cut short"},
		{"the search state of another otpress", func(t *testing.T, s *sitetest.Site) {
			p := filepath.Join(s.Dir, site.CacheDir, "search-state")
			data, _ := os.ReadFile(p)
			magic := bytes.IndexByte(data, '\n') + 1
			copy(data[magic:magic+32], bytes.Repeat([]byte{7}, 32))
			os.WriteFile(p, data, 0o644)
		}, ""},
		{"each search analysis damaged, and every passage file to make again", func(t *testing.T, s *sitetest.Site) {
			// the state names every page's counts; their quotes, kept in
			// the analyses, are read for the files made again, and worked
			// out again from the text as they are damaged
			p := filepath.Join(s.Dir, site.CacheDir, "search")
			data, _ := os.ReadFile(p)
			head := bytes.IndexByte(data, '\n') + 1 + 32 + 16
			for at := head + 3; at < len(data); at += 64 {
				data[at] ^= 0x55
			}
			os.WriteFile(p, data, 0o644)
			// the newest item: every page's document id moves one on
			s.Edit("content/stories/newest.md", "---\ntitle: The newest story\ndate: "+time.Now().AddDate(0, 0, -1).Format(time.DateOnly)+"\nthemes: [rehab-potential]\n---\nNewest text.\n")
		}, ""},
		{"the rendered Markdown's settings damaged", func(t *testing.T, s *sitetest.Site) {
			p := filepath.Join(s.Dir, site.CacheDir, "markdown")
			data, _ := os.ReadFile(p)
			data[bytes.IndexByte(data, '\n')+1] ^= 0x55
			os.WriteFile(p, data, 0o644)
		}, "markdown: warning: the build cache was not used: it is damaged"},
		{"writes of a killed build left half done", func(t *testing.T, s *sitetest.Site) {
			for _, name := range []string{".markdown-123", ".search-456", ".items-789", ".related-12", ".parts-34"} {
				os.WriteFile(filepath.Join(s.Dir, site.CacheDir, name), []byte("otpress markdown cache 2\nhalf"), 0o644)
			}
		}, ""},
		{"the cache folder is a file", func(t *testing.T, s *sitetest.Site) {
			os.RemoveAll(filepath.Join(s.Dir, site.CacheDir))
			os.WriteFile(filepath.Join(s.Dir, site.CacheDir), []byte("mine"), 0o644)
		}, "the build cache could not be written: .otpress-cache is not a folder"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := sitetest.Write(t, fixture(t, "everything"))
			warmBuild(t, s, false)
			tt.fault(t, s)
			res := warmBuild(t, s, false)
			if strings.HasPrefix(tt.name, "output restored") && res.Reused != int64(res.Pages) {
				t.Errorf("reused %d of %d pages; want all, known by their bytes", res.Reused, res.Pages)
			}
			var warns []string
			for _, w := range res.Warnings {
				if strings.Contains(w.Error(), "cache") {
					warns = append(warns, w.Error())
				}
			}
			if tt.warn == "" && len(warns) > 0 || tt.warn != "" && (len(warns) != 1 || !strings.Contains(warns[0], tt.warn)) {
				t.Errorf("warnings about the cache: %q; want one saying %q", warns, tt.warn)
			}
			if tt.name == "the cache folder is a file" {
				if b, _ := os.ReadFile(filepath.Join(s.Dir, site.CacheDir)); string(b) != "mine" {
					t.Errorf("the file in the cache folder's place was changed: %q", b)
				}
				return
			}
			if res := warmBuild(t, s, false); res.Reused != int64(res.Pages) || res.Recalled == 0 {
				t.Errorf("the build after: reused %d of %d pages, %d texts and analyses; want all", res.Reused, res.Pages, res.Recalled)
			}
			if left, _ := filepath.Glob(filepath.Join(s.Dir, site.CacheDir, ".*-*")); len(left) != 0 {
				t.Errorf("temporary files left in the cache folder: %q", left)
			}
		})
	}
}

// TestWarmCacheInUse: a build that finds another holding the cache folder
// neither reads nor writes it, says so once, and writes what a clean build
// writes; a build cancelled part way leaves the cache as it was.
func TestWarmCacheInUse(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	warmBuild(t, s, false)
	cache := filepath.Join(s.Dir, site.CacheDir)
	before := map[string][]byte{}
	for _, name := range []string{"pages", "markdown", "search"} {
		before[name], _ = os.ReadFile(filepath.Join(cache, name))
	}
	lock, err := publish.LockDir(cache)
	if err != nil {
		t.Fatal(err)
	}
	if lock == nil {
		t.Fatal("no lock taken on this system") // the command is built for Linux
	}
	s.Edit("content/stories/new.md", "---\ntitle: A new story\ndate: 2026-01-05\nthemes: [rehab-potential]\n---\nNew text.\n")
	res := warmBuild(t, s, false)
	lock.Close()
	if res.Reused != 0 || res.Recalled != 0 {
		t.Errorf("took %d pages and %d texts from a cache in use", res.Reused, res.Recalled)
	}
	var warns []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Error(), "cache") {
			warns = append(warns, w.Error())
		}
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "another build is using it") {
		t.Errorf("warnings %q", warns)
	}

	ctx, cancel := context.WithCancel(context.Background())
	progress := &site.Progress{}
	go func() {
		for progress.Done.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	s.Edit("content/stories/new.md", "---\ntitle: A newer story\ndate: 2026-01-05\nthemes: [rehab-potential]\n---\nNewer text.\n")
	if _, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: s.Out, Generator: "otpress test", Minify: true, Cache: true, Progress: progress}); err == nil {
		t.Fatal("the cancelled build did not stop")
	}
	for name, data := range before {
		if now, _ := os.ReadFile(filepath.Join(cache, name)); !bytes.Equal(now, data) {
			t.Errorf("the cancelled build changed the cache's %s", name)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(cache, ".*-*")); len(left) != 0 {
		t.Errorf("the cancelled build left %q", left)
	}
	if res := warmBuild(t, s, false); res.Recalled == 0 {
		t.Error("the build after took nothing from the cache")
	}
}

// TestPreviewUsesTheCache: the preview's full builds take texts and search
// analyses from the cache the last build kept, and keep their own there
// for the next, but never touch its pages; what they write is what they
// write without it.
func TestPreviewUsesTheCache(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	warmBuild(t, s, false)
	pages := filepath.Join(s.Dir, site.CacheDir, "pages")
	before, err := os.ReadFile(pages)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "preview")
	preview := site.Options{SiteDir: s.Dir, OutDir: out, Generator: "otpress test", Drafts: true, Future: true}
	sess := site.NewSession(preview)
	res, _, err := sess.Update(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Recalled == 0 {
		t.Error("the preview took nothing from the cache")
	}
	if now, _ := os.ReadFile(pages); !bytes.Equal(now, before) {
		t.Error("the preview changed the cache's pages")
	}
	// a template edit rebuilds everything, with the texts kept
	builtIn, err := os.ReadFile("../../../themes/default/templates/story.html")
	if err != nil {
		t.Fatal(err)
	}
	s.Edit("themes/default/templates/story.html", strings.Replace(string(builtIn), "</article>", "<p>Told by the team.</p></article>", 1))
	res, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, "themes/default/templates/story.html")})
	if err != nil || partial || res.Recalled == 0 {
		t.Fatalf("template edit: partial %v, %d recalled, %v", partial, res.Recalled, err)
	}
	clean := filepath.Join(t.TempDir(), "clean")
	os.RemoveAll(filepath.Join(s.Dir, site.CacheDir))
	preview.OutDir = clean
	if _, err := site.Build(ctx, preview); err != nil {
		t.Fatal(err)
	}
	sameTree(t, out, clean, true)
}

// stories are the stories' pages in the output.
func stories(t *testing.T, s *sitetest.Site) []string {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join(s.Out, "stories", "*", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// TestTranscriptsWarm: a warm build links an episode's transcript files
// from the last build unless the episode, its transcript or the words and
// addresses they show changed.
func TestTranscriptsWarm(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	warmBuild(t, s, false)
	const both = 2 // the text and the HTML
	vtt := filepath.Join(s.Dir, "content/episodes/ep1/transcript.vtt")
	src, err := os.ReadFile(vtt)
	if err != nil {
		t.Fatal(err)
	}
	toml, _ := os.ReadFile(filepath.Join(s.Dir, "site.toml"))
	// warmBuild's fresh build makes both files too
	checkMade(t, s, "transcript files", site.TranscriptsMade, both, append(quietEdits(t, s),
		edited{"the transcript", func() {
			s.Edit("content/episodes/ep1/transcript.vtt", strings.Replace(string(src), "spring", "summer", 1))
		}, both},
		edited{"the episode's title", func() {
			s.Edit("content/episodes/ep1/index.md", strings.Replace(fixtureFile(t, "content/episodes/ep1/index.md"), "title: ", "title: Still ", 1))
		}, both},
		edited{"the show's title", func() {
			s.Edit("site.toml", strings.Replace(string(toml), "[podcast]", "[podcast]\ntitle = \"Another show\"", 1))
		}, both},
	))
	if b, err := os.ReadFile(filepath.Join(s.Out, "episodes/ep1/transcript.txt")); err != nil || !strings.Contains(string(b), "summer") || !strings.Contains(string(b), "Another show") {
		t.Errorf("the transcript kept is not the last one made: %v\n%s", err, b)
	}
}

// edited is an edit to a test site, and how many of something a warm
// build after it should make.
type edited struct {
	name string
	do   func()
	want int64
}

// quietEdits change neither an episode nor a story with figures.
func quietEdits(t *testing.T, s *sitetest.Site) []edited {
	return []edited{
		{"nothing", func() {}, 0},
		{"a story's text", func() {
			s.Edit("content/stories/rose.md", fixtureFile(t, "content/stories/rose.md")+"\nOne more line.\n")
		}, 0},
	}
}

// checkMade makes each edit in turn, then a warm build, and checks how
// many things it made: how far count went up, less every that each build
// makes whatever changed.
func checkMade(t *testing.T, s *sitetest.Site, what string, count func() int64, every int64, edits []edited) {
	t.Helper()
	for _, e := range edits {
		before := count()
		e.do()
		warmBuild(t, s, false)
		if n := count() - before - every; n != e.want {
			t.Errorf("after %s, a warm build made %d %s, want %d", e.name, n, what, e.want)
		}
	}
}

// TestPartsWarm: a warm build takes the parts of pages that the "cached"
// template function renders (each page template's header and footer, each
// row of /evidence/ and each block of rows), and each item's card and
// link for related lists, from the last build while the templates, the
// site and the part's keys (for a card, its view) are the same, and
// renders only the others again: a changed row, and the block holding it;
// a changed card.
func TestPartsWarm(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	before := site.PartsMade()
	warmBuild(t, s, false)
	if all := site.PartsMade() - before; all < 4 { // warmBuild's fresh build keeps none
		t.Fatalf("the first build rendered %d parts; want every page's header and footer and two rows", all)
	}
	denis := fixtureFile(t, "content/stories/denis/index.md")
	outcomes, err := os.ReadFile("../../../themes/default/templates/partials/outcomes.html")
	if err != nil || !bytes.Contains(outcomes, []byte(`<span class="unit">`)) {
		t.Fatalf("outcomes.html: %v", err)
	}
	checkMade(t, s, "parts", site.PartsMade, 0, []edited{
		{"nothing", func() {}, 0},
		{"a story's text", func() { // and so its card: its summary is its text
			s.Edit("content/stories/rose.md", fixtureFile(t, "content/stories/rose.md")+"\nOne more line.\n")
		}, 2},
		{"one of a story's figures", func() {
			s.Edit("content/stories/denis/index.md", strings.Replace(denis, "after: 12.5", "after: 14", 1))
		}, 2},
		// its card at two heading levels, its link, and the link of
		// Rose, who now shares a theme with Denis and is listed on his page
		{"the story's themes, in both its rows", func() {
			s.Edit("content/stories/denis/index.md", strings.Replace(denis, "themes: [rehab-potential,", "themes: [social prescribing, rehab-potential,", 1))
		}, 3 + 4},
	})
	// an edit that every part shows: none taken
	for _, e := range []edited{
		{"the partial a row is drawn with", func() {
			s.Edit("themes/default/templates/partials/outcomes.html", strings.Replace(string(outcomes), `<span class="unit">`, `<span class="unit measure-unit">`, 1))
		}, 0},
		{"a new standalone page, in every footer", func() {
			s.Edit("content/pages/contact.md", "---\ntitle: Contact us\n---\nWrite to us.\n")
		}, 0},
	} {
		made, taken := site.PartsMade(), site.PartsTaken()
		e.do()
		warmBuild(t, s, false)
		if made, taken := site.PartsMade()-made, site.PartsTaken()-taken; made < 4 || taken != e.want {
			t.Errorf("after %s, a warm build made %d parts and took %d; want them all made", e.name, made, taken)
		}
	}
	if !strings.Contains(s.Read("evidence/index.html"), `class="unit measure-unit"`) {
		t.Error("the site's own partial is not used for the rows")
	}
}

// TestWarmOwnFiles: a warm build reads none of the site's own files that
// stat says are as the last build read them (a photo beside a story,
// published as its copies alone; a photo, a sound file, a style sheet and
// a text file in static/): it links their copies from the last output, and
// still names the photos that record where they were taken. A file changed
// in place, its time set back, and a photo written again are read and
// copied again, and nothing else.
func TestWarmOwnFiles(t *testing.T) {
	s := sitetest.Write(t, denisWithPhoto)
	photo := picturetest.Photo(64, 32, 1, true)
	sound := bytes.Repeat([]byte("ID3 not really a sound "), 20)
	files := map[string][]byte{
		"content/stories/denis/kitchen.jpg": photo,
		"static/images/street.jpg":          photo,
		"static/audio/talk.mp3":             sound,
		"static/css/extra.css":              []byte("body  {  color : red ; }\n"),
		"static/notes.txt":                  []byte("Notes.\n"),
	}
	for p, data := range files {
		full := filepath.Join(s.Dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	named := func(res *site.Result) {
		t.Helper()
		var warned []string
		for _, w := range res.Warnings {
			warned = append(warned, w.Error())
		}
		for _, f := range []string{"content/stories/denis/kitchen.jpg", "static/images/street.jpg"} {
			if !strings.Contains(strings.Join(warned, "\n"), f+": warning: this photo records where it was taken") {
				t.Errorf("%s not named:\n%s", f, strings.Join(warned, "\n"))
			}
		}
	}
	// warmBuild's own, then the clean build it compares with
	build := func() int64 {
		t.Helper()
		read := site.OwnFilesRead()
		res, err := site.Build(context.Background(), site.Options{SiteDir: s.Dir, OutDir: s.Out, Generator: "otpress test", Minify: true, Cache: true})
		if err != nil {
			t.Fatal(err)
		}
		read = site.OwnFilesRead() - read
		named(res)
		named(warmBuild(t, s, false))
		return read
	}
	if n := build(); n < int64(len(files)) {
		t.Fatalf("the first build read %d of the site's own files", n)
	}
	outs := []string{"images/street.jpg", "audio/talk.mp3", "css/extra.css", "notes.txt"}
	outs = append(outs, "stories/denis/kitchen.64.webp", "stories/denis/kitchen.og.jpg") // the story's picture's copies
	held := map[string]string{}
	for _, f := range outs {
		held[f] = filepath.Join(t.TempDir(), "held")
		if err := os.Link(filepath.Join(s.Out, f), held[f]); err != nil {
			t.Fatal(err)
		}
	}
	if n := build(); n != 0 {
		t.Errorf("nothing changed: %d of the site's own files read", n)
	}
	for f, h := range held {
		a, err1 := os.Stat(filepath.Join(s.Out, f))
		b, err2 := os.Stat(h)
		if err1 != nil || err2 != nil || !os.SameFile(a, b) {
			t.Errorf("nothing changed: %s was copied again (%v, %v)", f, err1, err2)
		}
	}
	// the sound file changed in place, the same size, its time set back
	p := filepath.Join(s.Dir, "static/audio/talk.mp3")
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Clone(sound)
	copy(changed, "ID4")
	if err := os.WriteFile(p, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	// and the photo in static/ is another
	if err := os.WriteFile(filepath.Join(s.Dir, "static/images/street.jpg"), picturetest.Photo(64, 32, 3, true), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := build(); n != 2 { // and the output the same as a clean build's: the new sound and photo

		t.Errorf("two files changed: %d of the site's own files read", n)
	}
}
