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
// build only the pages whose views are as they were; a new template or
// site.toml makes every page again.
func TestWarmBuildMatchesClean(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	if res := warmBuild(t, s, false); res.Reused != 0 {
		t.Errorf("the first build reused %d pages", res.Reused)
	}
	if res := warmBuild(t, s, false); res.Reused != int64(res.Pages) {
		t.Errorf("nothing changed: reused %d of %d pages", res.Reused, res.Pages)
	}
	if res := warmBuild(t, s, true); res.Reused != 0 {
		t.Errorf("--clean reused %d pages", res.Reused)
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
	for _, e := range []struct {
		name  string
		edit  func()
		reuse string // "some": some pages but not all; "none"
	}{
		{"a story's text", story("\n---\n", "\n---\nA new first paragraph about the garden.\n\n"), "some"},
		{"a word of a story with a summary", func() { // the same count of words, the same summary: only the text differs
			src, _ := os.ReadFile(filepath.Join(s.Dir, "content/stories/denis/index.md"))
			s.Edit("content/stories/denis/index.md", strings.Replace(string(src), "that support around", "that support nearby", 1))
		}, "some"},
		{"a story's title", story("title: ", "title: Renamed "), "some"},
		{"a story's themes", story("themes: [social prescribing]", "themes: [social prescribing, rehab-potential]"), "some"},
		{"a new story", func() {
			s.Edit("content/stories/new.md", "---\ntitle: A new story\ndate: 2026-01-05\nthemes: [rehab-potential]\n---\nNew text.\n")
		}, "some"},
		{"a removed story", func() { os.Remove(filepath.Join(s.Dir, "content/stories/new.md")) }, "some"},
		{"a new standalone page, in every page's footer", func() {
			s.Edit("content/pages/contact.md", "---\ntitle: Contact us\n---\nWrite to us.\n")
		}, "none"},
		{"a template of the site's own", func() {
			s.Edit("themes/default/templates/story.html", strings.Replace(string(builtIn), "</article>", "<p>Told by the team.</p></article>", 1))
		}, "none"},
		{"site.toml", func() {
			src, _ := os.ReadFile(filepath.Join(s.Dir, "site.toml"))
			s.Edit("site.toml", string(src)+"\n# a comment\n")
		}, "none"},
	} {
		t.Run(e.name, func(t *testing.T) {
			e.edit()
			res := warmBuild(t, s, false)
			if e.reuse == "some" && (res.Reused == 0 || res.Reused == int64(res.Pages)) || e.reuse == "none" && res.Reused != 0 {
				t.Errorf("reused %d of %d pages; want %s", res.Reused, res.Pages, e.reuse)
			}
		})
	}
	if !strings.Contains(s.Read("stories/rose/index.html"), "Told by the team.") {
		t.Error("the site's own template is not used")
	}
}

// TestWarmCacheFaults: a cache that is damaged, cut short, from another
// otpress, not a cache at all, or describing files changed since, is never
// trusted: the build says so in one warning (or nothing, for changed
// files) and writes what a clean build writes; the next build has a good
// cache again. A cache folder that cannot be written is a warning.
func TestWarmCacheFaults(t *testing.T) {
	pages := func(s *sitetest.Site) string { return filepath.Join(s.Dir, site.CacheDir, "pages") }
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
			if res := warmBuild(t, s, false); res.Reused != int64(res.Pages) {
				t.Errorf("the build after: reused %d of %d pages; want all", res.Reused, res.Pages)
			}
		})
	}
}
