package site_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/search"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// openIndex opens the search index a build wrote into the folder out.
func openIndex(t *testing.T, out string) *search.Engine {
	t.Helper()
	e, err := search.Open(func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(out, "search", "data", name)) })
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sites", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGoldenPages builds a site using every template and field and compares
// one page per template with its golden file (go test -update rewrites them).
func TestGoldenPages(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	pages := map[string]string{
		"index.html":                               "home",
		"stories/index.html":                       "list",
		"stories/page/2/index.html":                "list-page-2",
		"stories/denis/index.html":                 "story",
		"episodes/ep1/index.html":                  "episode",
		"features/phb/index.html":                  "feature",
		"themes/co-production/index.html":          "theme",
		"themes/personalised-care/index.html":      "theme-broader",
		"themes/index.html":                        "themes",
		"404.html":                                 "404",
		"search/index.html":                        "search",
		"accessibility/index.html":                 "page",
		"old/denis/index.html":                     "alias",
		"sitemap.xml":                              "sitemap",
		"robots.txt":                               "robots",
		"podcast.xml":                              "podcast",
		"atom.xml":                                 "atom",
		"feed.json":                                "jsonfeed",
		"themes/rehab-potential/atom.xml":          "theme-atom",
		"episodes/ep1/chapters.json":               "chapters",
		"packs/personalised-care/index.html":       "pack",
		"packs/personalised-care/print/index.html": "pack-print",
		"packs/index.html":                         "packs",
		"sources/index.html":                       "sources",
		"sources.json":                             "sources-json",
		"sources.bib":                              "sources-bib",
	}
	for file, golden := range pages {
		t.Run(golden, func(t *testing.T) {
			sitetest.CompareGolden(t, filepath.Join("testdata", "golden", golden+".golden"), s.Read(file))
		})
	}
}

func TestEverythingSite(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	if got := strings.Join(s.Warnings(), "\n"); !strings.Contains(got, `content/stories/rose.md:5:10: warning: theme "social prescribing" is used on 1 page but not defined`) {
		t.Errorf("warnings:\n%s", got)
	}
	if s.Result.Items["story"] != 3 || s.Result.Items["episode"] != 1 || s.Result.Items["feature"] != 1 {
		t.Errorf("items = %v", s.Result.Items)
	}
	s.AssertExists("stories/denis/photo.svg", "episodes/ep1/audio.mp3", "episodes/ep1/transcript.vtt", "images/logo.svg", "css/main.css", "css/syntax.css", "stories/page/2/index.html")
	s.AssertNoFile("stories/draft/index.html", "stories/page/3/index.html")
	s.AssertFileContains("stories/denis/index.html", `
		# links between content files become page addresses under the base path
		<a href="/ot/features/phb/">the feature</a>
		<a href="#where-he-started">a note</a>
		# with its size, read from the SVG
		<img src="/ot/stories/denis/photo.svg" alt="Denis standing at his kitchen door" width="320" height="180" decoding="async">
		# aliases of themes resolve to the theme
		<a href="/ot/themes/co-production/">Co-production</a>
		<th scope="row" role="rowheader">Walking distance</th>
		<td role="cell" data-label="After" class="align-right">12.5 metres</td>
		<td role="cell" data-label="Change">up 12.5</td>
		! style=
		# no inline script on a story page (structured data is not a
		# script); the scripts are the optional learning packs file and
		# the theme's words it shows, first
		! <script>
		! <script src
		<script defer src="/ot/js/words.js" data-rerun></script><script defer src="/ot/js/packs.js" data-base="/ot/" data-rerun></script>
	`)
	if n := strings.Count(s.Read("stories/denis/index.html"), "<script"); n != 3 {
		t.Errorf("the story page has %d script elements; want the structured data, words.js and packs.js", n)
	}
	s.AssertFileContains("accessibility/index.html", `
		<h1>Accessibility statement</h1>
		<a href="/ot/stories/denis/">Denis&rsquo;s story</a>
	`)
	// every page's footer links to the statement
	s.AssertFileContains("stories/index.html", `<li><a href="/ot/accessibility/">Accessibility statement</a></li>`)
	s.AssertFileContains("features/phb/index.html", `
		Appeared in <span class="publication">OTnews</span>, April 2019, page 15.
		Text with raw &lt;b&gt;HTML&lt;/b&gt;.
	`)
	s.AssertFileContains("episodes/ep1/index.html", `
		<audio controls preload="none" src="/ot/episodes/ep1/audio.mp3" aria-label="Audio: Rebuilding lives">
		(MP3, 21 bytes)
		<time datetime="PT1H2M3S">1 hour 2 minutes</time>
		<dd>Zoe Phillips, occupational therapist</dd>
		! autoplay
	`)
	s.AssertFileContains("stories/page/2/index.html", `
		<title>Case stories (page 2 of 2) – Test OT site</title>
		aria-current="page" aria-label="Page 2, this page"
		rel="prev"
		! rel="next"
	`)
}

// TestDrafts checks drafts are left out unless asked for, and marked when in.
func TestDrafts(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	s.Rebuild()
	s.AssertNoFile("stories/draft/index.html")
}

// TestScheduled: an item dated after the build is left out of every page,
// feed and index until a build on or after its date; its errors warn
// ahead of its day; a pack cannot include it yet; future pages show it
// with a banner, out of search engines.
func TestScheduled(t *testing.T) {
	const archive = `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/now.md --
---
title: Out already
date: 2026-11-20
themes: [falls]
---
See [the kettle story](later.md).
-- content/stories/later.md --
---
title: The Kettle Story
date: 2026-12-01
themes: [falls]
image: {src: kettle.jpg, alt: A kettle}
---
A story written ahead of its day.
-- content/themes/falls.md --
---
title: Falls
---
Falls.
`
	s := sitetest.Write(t, archive)
	ctx := context.Background()
	before := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	res, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: s.Out, Now: before})
	if err != nil {
		t.Fatalf("a scheduled item's error stopped the build: %v", err)
	}
	if len(res.Scheduled) != 1 || res.Scheduled[0].File != "content/stories/later.md" || res.Items["story"] != 1 {
		t.Errorf("scheduled %v, items %v", res.Scheduled, res.Items)
	}
	// the picture it lacks is an error on its day, a warning before it
	var warned bool
	for _, w := range res.Warnings {
		warned = warned || w.File == "content/stories/later.md" && strings.Contains(w.Msg, `image "kettle.jpg" was not found`) &&
			strings.Contains(w.Hint, "fix this before 1 December 2026: the item is scheduled for then, and this error will stop the first build that publishes it")
	}
	if !warned {
		t.Errorf("no warning about the scheduled item's picture: %v", res.Warnings)
	}
	if !slices.ContainsFunc(res.Warnings, func(w *diag.Problem) bool {
		return w.Error() == `content/stories/now.md:6:5: warning: the link "later.md" goes to /stories/later/, which is scheduled for 1 December 2026; readers who follow it find nothing there until then: add the link on that day, or give this page the same date`
	}) {
		t.Errorf("no warning about the link to the scheduled item: %v", res.Warnings)
	}
	assertNoFileNames(t, s.Out, "Kettle Story", "stories/later/")

	// a pack leaves it out until its day; a pack of scheduled items waits
	s.Edit("content/packs/p.md", "---\ntitle: Pack P\nitems:\n  - ref: stories/now\n  - ref: stories/later\n---\nA pack.\n")
	s.Edit("content/packs/q.md", "---\ntitle: Pack Q\nitems:\n  - ref: stories/later\n---\nA pack.\n")
	if res, err = site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: s.Out, Now: before}); err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, w := range res.Warnings {
		got += w.Error() + "\n"
	}
	for _, want := range []string{
		"content/packs/p.md:5:10: warning: stories/later is scheduled for 1 December 2026, so the pack leaves it out until then; the first build on or after that day adds it",
		"content/packs/q.md: warning: every item of the pack is scheduled, so the pack is left out until the first of them is published",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
	s.AssertFileContains("packs/p/index.html", `
		Out already
		! Kettle
	`)
	s.AssertNoFile("packs/q/index.html")
	for _, p := range []string{"p", "q"} {
		if err := os.Remove(filepath.Join(s.Dir, "content", "packs", p+".md")); err != nil {
			t.Fatal(err)
		}
	}

	// on its day, with its picture, it is published like any other
	s.Edit("content/stories/later.md", "---\ntitle: The Kettle Story\ndate: 2026-12-01\nthemes: [falls]\n---\nA story written ahead of its day.\n")
	res, err = site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: s.Out, Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(res.Scheduled) != 0 || res.Items["story"] != 2 || len(res.Warnings) != 0 {
		t.Fatalf("on its day: %v, %+v", err, res)
	}
	s.AssertFileContains("stories/later/index.html", `
		<h1>The Kettle Story</h1>
		! Scheduled:
		! noindex
	`)
	s.AssertFileContains("sitemap.xml", "https://example.org/stories/later/")

	// future pages shown: marked, and kept out of search engines
	res, err = site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: s.Out, Now: before, Future: true})
	if err != nil || len(res.Scheduled) != 0 || res.Items["story"] != 2 {
		t.Fatalf("with future pages: %v, %+v", err, res)
	}
	s.AssertFileContains("stories/later/index.html", `
		<meta name="robots" content="noindex">
		<p class="draft-banner"><strong>Scheduled:</strong> this page is dated 1 December 2026, so it is published by the first build on or after that day. It is shown because the site was built with future pages.</p>
	`)
	s.AssertFileContains("stories/now/index.html", "! Scheduled:")
}

// TestExpired: an item whose expires date has come is left out of
// everything from that day, with its errors; links and packs that name it
// warn; before that day its page says when it goes.
func TestExpired(t *testing.T) {
	const archive = `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/stays.md --
---
title: Stays
date: 2026-01-20
themes: [falls]
---
See [the open day](../features/open-day.md).
-- content/features/open-day.md --
---
title: Hoist Open Day
date: 2026-10-01
expires: 2026-11-24
themes: [falls]
image: {src: missing.jpg, alt: A hoist}
sources: [{title: OTnews, container-title: OTnews, issue: October 2026}]
---
Come and try the hoists.
-- content/packs/p.md --
---
title: Pack P
items:
  - ref: stories/stays
  - ref: features/open-day
---
A pack.
-- content/packs/q.md --
---
title: Pack Q
items:
  - ref: features/open-day
---
A pack.
-- content/themes/falls.md --
---
title: Falls
---
Falls.
`
	s := sitetest.Write(t, archive)
	ctx := context.Background()
	after := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	res, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: s.Out, Now: after})
	if err != nil {
		t.Fatalf("an expired item's error stopped the build: %v", err)
	}
	if len(res.Expired) != 1 || res.Expired[0].File != "content/features/open-day.md" || res.Items["feature"] != 0 || res.Items["story"] != 1 {
		t.Errorf("expired %v, items %v", res.Expired, res.Items)
	}
	got := ""
	for _, w := range res.Warnings {
		got += w.Error() + "\n"
	}
	for _, want := range []string{
		`content/stories/stays.md:6:5: warning: the link "../features/open-day.md" goes to /features/open-day/, which expired on 24 November 2026; readers who follow it find nothing there: remove the link, or give that page a later expires date (or none)`,
		"content/packs/p.md:5:10: warning: features/open-day expired on 24 November 2026, so the pack leaves it out; remove it from the pack",
		"content/packs/q.md: warning: every item of the pack has expired, so the pack is left out; remove the pack",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "missing.jpg") {
		t.Errorf("the expired item's own problem is reported:\n%s", got)
	}
	assertNoFileNames(t, s.Out, "Open Day", "features/open-day/")
	s.AssertFileContains("packs/p/index.html", "Stays")
	s.AssertNoFile("packs/q/index.html")

	// the moment before, it is published and says when it goes; its
	// picture is then an error
	before := after.Add(-time.Second)
	if _, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: s.Out, Now: before}); err == nil || !strings.Contains(err.Error(), `content/features/open-day.md:6:14: image "missing.jpg" was not found`) {
		t.Fatalf("the day before it expires, its missing picture: %v", err)
	}
	s.Edit("content/features/open-day.md", "---\ntitle: Hoist Open Day\ndate: 2026-10-01\nexpires: 2026-11-24\nthemes: [falls]\n"+
		"sources: [{title: OTnews, container-title: OTnews, issue: October 2026}]\n---\nCome and try the hoists.\n")
	if res, err = site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: s.Out, Now: before}); err != nil || len(res.Expired) != 0 || res.Items["feature"] != 1 {
		t.Fatalf("the day before it expires: %v, %+v", err, res)
	}
	s.AssertFileContains("features/open-day/index.html", `
		<meta property="article:expiration_time" content="2026-11-24T00:00:00Z">
		Leaves this site on <time datetime="2026-11-24T00:00:00Z">24 November 2026</time>
		"expires":"2026-11-24T00:00:00Z"
		! Expired:
		! noindex
	`)
	s.AssertFileContains("stories/stays/index.html", "! Leaves this site")

	// expired pages shown: marked, and kept out of search engines
	if res, err = site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: s.Out, Now: after, Expired: true}); err != nil || len(res.Expired) != 0 || res.Items["feature"] != 1 {
		t.Fatalf("with expired pages: %v, %+v", err, res)
	}
	s.AssertFileContains("features/open-day/index.html", `
		<meta name="robots" content="noindex">
		<p class="draft-banner"><strong>Expired:</strong> this page left the site on 24 November 2026, so builds leave it out. It is shown because the site was built with expired pages.</p>
	`)
}

// assertNoFileNames checks that no file under dir holds any of the texts.
func assertNoFileNames(t *testing.T, dir string, texts ...string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		for _, s := range texts {
			if err == nil && strings.Contains(string(b), s) {
				t.Errorf("%s holds %q", p, s)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDeterministic builds the same site twice and compares every byte.
func TestDeterministic(t *testing.T) {
	a := sitetest.Build(t, fixture(t, "everything"))
	b := sitetest.Build(t, fixture(t, "everything"))
	ta, tb := tree(t, a.Out), tree(t, b.Out)
	if len(ta) != len(tb) {
		t.Fatalf("%d files vs %d", len(ta), len(tb))
	}
	for name, data := range ta {
		if tb[name] != data {
			t.Errorf("%s differs between builds", name)
		}
	}
}

func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestErrorsLeaveOutputUntouched breaks a built site in several ways at once:
// every error is reported with file:line:col, and public/ is unchanged.
func TestErrorsLeaveOutputUntouched(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	before := tree(t, s.Out)
	s.Edit("content/stories/rose.md", "---\ntitle: Rose\ndate: Feb 2019\n---\n")
	s.Edit("content/stories/third.md", "---\ntitle: [oops\ndate: 2019-01-01\n---\n")
	s.Edit("content/episodes/ep1/index.md", strings.Replace(fixtureFile(t, "content/episodes/ep1/index.md"), "episode: 72", "episode: seventy-two", 1))
	s.Edit("themes/default/templates/feature.html", "{{define \"main\"}}\n<p>{{.Item.Nope}}</p>\n{{end}}\n")
	s.Edit("site.toml", strings.Replace(fixtureFile(t, "site.toml"), "paginate = 2", "paginate = 2\ntitel = \"typo\"", 1))
	s.Edit("content/episodes/ep1/transcript.vtt", strings.Replace(fixtureFile(t, "content/episodes/ep1/transcript.vtt"), "WEBVTT", "WEBVT", 1))
	s.Rebuild()
	if s.Err == nil {
		t.Fatal("build succeeded; want errors")
	}
	got := strings.Join(s.Problems(), "\n")
	for _, want := range []string{
		`content/stories/rose.md:3:7: date "Feb 2019" is not a date`,
		`content/stories/third.md:3:1: YAML syntax`,
		`content/episodes/ep1/index.md:5:10: episode must be a whole number, not the text "seventy-two"`,
		`content/episodes/ep1/transcript.vtt:1:1: a WebVTT transcript must start with the line WEBVTT`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if after := tree(t, s.Out); len(after) != len(before) {
		t.Errorf("output changed: %d files, was %d", len(after), len(before))
	} else {
		for name, data := range before {
			if after[name] != data {
				t.Errorf("%s changed by a failed build", name)
			}
		}
	}
	// With the content fixed, the template error is found when rendering,
	// at its line and column, and the output is still untouched.
	s.Edit("content/stories/rose.md", fixtureFile(t, "content/stories/rose.md"))
	s.Edit("content/stories/third.md", fixtureFile(t, "content/stories/third.md"))
	s.Edit("content/episodes/ep1/index.md", fixtureFile(t, "content/episodes/ep1/index.md"))
	s.Edit("content/episodes/ep1/transcript.vtt", fixtureFile(t, "content/episodes/ep1/transcript.vtt"))
	s.Rebuild()
	got = strings.Join(s.Problems(), "\n")
	if !strings.Contains(got, `themes/default/templates/feature.html:2:11: executing "main" at <.Item.Nope>: can't evaluate field Nope`) {
		t.Errorf("template problem missing:\n%s", got)
	}
	if after := tree(t, s.Out); after["index.html"] != before["index.html"] {
		t.Error("output changed by a build that failed while rendering")
	}
}

func fixtureFile(t *testing.T, name string) string {
	t.Helper()
	for _, part := range strings.Split(fixture(t, "everything"), "-- ")[1:] {
		head, body, _ := strings.Cut(part, " --\n")
		if head == name {
			return body
		}
	}
	t.Fatalf("no %s in fixture", name)
	return ""
}

func TestTemplateParseErrorPosition(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	s.Edit("themes/default/templates/partials/card.html", "{{define \"card\"}}\n<p>{{if .Item}}</p>\n{{end}}\n")
	s.Rebuild()
	got := strings.Join(s.Problems(), "\n")
	if !strings.Contains(got, "themes/default/templates/partials/card.html:") || !strings.Contains(got, "{{end}}") {
		t.Errorf("problems:\n%s", got)
	}
}

func TestSiteOverridesThemeFile(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	s.Edit("themes/default/templates/404.html", "{{define \"main\"}}<h1>Lost?</h1>{{end}}")
	s.Edit("themes/default/static/css/main.css", "body{color:black}")
	s.Rebuild()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	s.AssertFileContains("404.html", "<h1>Lost?</h1>")
	s.AssertFileContains("css/main.css", "body{color:black}")
	// untouched templates still come from the built-in theme
	s.AssertFileContains("index.html", `<a class="skip-link" href="#main-content">Skip to main content</a>`)
}

// TestLongListsStaySmall: section lists show a window of page links, and a
// theme page shows a few items of each kind with a link to the full list.
func TestLongListsStaySmall(t *testing.T) {
	var b strings.Builder
	b.WriteString("-- site.toml --\ntitle = \"T\"\nbase_url = \"https://example.org/\"\npaginate = 2\n")
	b.WriteString("-- content/themes/goals.md --\n---\ntitle: Goal setting\n---\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "-- content/stories/s%02d.md --\n---\ntitle: Story %d\ndate: 2019-01-%02d\nthemes: [goals]\n---\nText.\n", i, i, i)
	}
	s := sitetest.Build(t, b.String())
	s.AssertFileContains("stories/page/5/index.html", `
		<title>Stories (page 5 of 10) – T</title>
		aria-label="Page 1"
		aria-label="Page 3"
		aria-label="Page 5, this page"
		aria-label="Page 7"
		aria-label="Page 10"
		! aria-label="Page 2"
		! aria-label="Page 8"
		<li class="gap" aria-hidden="true">…</li>
	`)
	s.AssertFileContains("themes/goals/index.html", `
		Stories <span class="count">(20)</span>
		<a href="/stories/s20/">Story 20</a>
		<a href="/stories/s19/">Story 19</a>
		! <a href="/stories/s18/">
		<a href="/themes/goals/stories/">All 20 stories on Goal setting</a>
	`)
	s.AssertFileContains("themes/goals/stories/page/10/index.html", `
		<title>Stories on Goal setting (page 10 of 10) – T</title>
		<a href="/stories/s01/">Story 1</a>
		<li><a href="/themes/goals/">Goal setting</a></li>
	`)
	s.AssertFileContains("sitemap.xml", "<loc>https://example.org/themes/goals/stories/page/10/</loc>")
}

// TestRenderedPageChecks: problems only visible in the finished HTML fail the
// build, named at the content file or template behind the page; a link to
// a part of its own page that is not there is a warning at its place,
// naming the nearest id (issue 29).
func TestRenderedPageChecks(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	s.Edit("themes/default/templates/404.html", "{{define \"main\"}}<h1>Lost</h1><h1>Again</h1>{{end}}")
	s.Edit("content/stories/rose.md", "---\ntitle: Rose\ndate: 2019-02-01\n---\nSee [the start](#top) and ![](x.png).\n")
	s.Rebuild()
	got := strings.Join(s.Problems(), "\n")
	for _, want := range []string{
		"themes/default/templates/404.html: the page /404.html: the page has 2 level-1 headings; it needs exactly one",
		`content/stories/rose.md:5:27: the image "x.png" has no text alternative`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	s.AssertNoFile("index.html") // nothing published
	// the same-page link alone: the build goes on, with a warning at it
	if err := os.Remove(filepath.Join(s.Dir, "themes/default/templates/404.html")); err != nil {
		t.Fatal(err)
	}
	s.Edit("content/stories/rose.md", "---\ntitle: Rose\ndate: 2019-02-01\n---\n## Goals\n\nSee [the goals](#goal).\n")
	s.Rebuild()
	if got := strings.Join(s.Warnings(), "\n"); !strings.Contains(got, `content/stories/rose.md:7:5: warning: the link "#goal" goes nowhere: its page, /stories/rose/, has no part called #goal; did you mean #goals?`) {
		t.Errorf("warnings:\n%s", got)
	}
	s.AssertFileContains("stories/rose/index.html", `<a href="#goal">`)
}

// TestThemeMapMatchesList: the links in a theme map are exactly the links in
// the list beside it (so the map is never the only way), the map is not an
// image, and item pages explain their related items.
func TestThemeMapMatchesList(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	page := s.Read("themes/rehab-potential/index.html")
	svg := page[strings.Index(page, `<figure class="map"`):]
	svg = svg[strings.Index(svg, "<svg"):]
	svg = svg[:strings.Index(svg, "</svg>")]
	list := page[strings.Index(page, `<ul class="related-themes">`):]
	list = list[:strings.Index(list, "</ul>")]
	hrefs := func(s string) []string {
		var out []string
		for _, part := range strings.Split(s, `href="`)[1:] {
			out = append(out, part[:strings.Index(part, `"`)])
		}
		slices.Sort(out)
		return out
	}
	if a, b := hrefs(svg), hrefs(list); !slices.Equal(a, b) || len(a) == 0 {
		t.Errorf("map links %v; list links %v", a, b)
	}
	if strings.Contains(svg, `role="img"`) {
		t.Error("the map has role=img, which hides its links")
	}
	s.AssertFileContains("themes/rehab-potential/index.html", `
		<a href="/ot/themes/goal-setting/">Goal setting</a>: appears with Rehab potential in 1 item
		Rehab potential appears with 2 other themes
		<a class="skip-map" href="#map-rehab-potential-end">Skip the map</a>
	`)
	s.AssertFileContains("stories/denis/index.html", `
		<h2 id="related-heading">Related</h2>
		Related because: Rehab potential
	`)
	s.AssertFileContains("themes/index.html", `
		How the themes connect
		<caption id="connections-caption">
	`)
}

// TestRelativeLinks: with relative_urls every internal link is relative to
// its page and names index.html, so the site works opened from disk.
func TestRelativeLinks(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	s.Edit("site.toml", "relative_urls = true\n"+fixtureFile(t, "site.toml"))
	s.Rebuild()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	rootLink := regexp.MustCompile(`(?:href|src|action|data-index)="?/[^/]`)
	pages := 0
	for name, data := range tree(t, s.Out) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		if m := rootLink.FindString(data); m != "" {
			t.Errorf("%s keeps a root-relative link: %s", name, m)
		}
	}
	if pages < 20 {
		t.Fatalf("only %d pages checked", pages)
	}
	s.AssertFileContains("stories/denis/index.html", `href="../../css/main.css"`)
	s.AssertFileContains("search/index.html", `data-index="../search/data/"`)
	s.AssertFileContains("episodes/ep1/index.html", `href="../../themes/rehab-potential/index.html"`)
}

// TestSearchIndexFields: what a page hands the search index, beyond its
// title, summary, themes and body: authors, a story's outcomes, its
// sources, and an episode's transcript paragraphs with their anchors.
func TestSearchIndexFields(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	e := openIndex(t, s.Out)
	for q, want := range map[string]string{
		"writer":             "stories/denis/",    // an author
		"walking distance":   "stories/denis/",    // an outcome's measure
		"all about people":   "stories/denis/",    // a source's publication
		"hoist store":        "episodes/ep1/",     // a transcript paragraph…
		"hoist store spring": "episodes/ep1/#t83", // …and where it is: its chapter starts a paragraph
	} {
		r, err := e.Search(search.Query{Text: q}, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range r.Hits {
			got = append(got, h.Path)
			for _, p := range h.Parts {
				got = append(got, p.Path)
			}
		}
		if !slices.Contains(got, want) {
			t.Errorf("%q found %v, want %s among them", q, got, want)
		}
	}
}

// TestSearchWelsh: a site whose language is Welsh gets a Welsh index, in
// which a word finds its mutated forms; an English site's manifest names
// no language.
func TestSearchWelsh(t *testing.T) {
	s := sitetest.Build(t, `
-- site.toml --
title = "Straeon"
base_url = "https://example.org/"
language = "cy"
-- content/stories/mair.md --
---
title: Addasu tŷ Mair
date: 2025-01-20
---
Mae Mair yn byw ar ei phen ei hun yng Nghaerdydd. Daeth therapydd i asesu ei chartref.
`)
	s.AssertFileContains("search/data/m.js", `"lang":"cy"`)
	e := openIndex(t, s.Out)
	for _, q := range []string{"cartref", "Caerdydd", "fy nghartref", "pen"} {
		r, err := e.Search(search.Query{Text: q}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Hits) != 1 || r.Hits[0].Path != "stories/mair/" {
			t.Errorf("%q found %+v in a Welsh site, want Mair's story", q, r.Hits)
		}
	}
	en := sitetest.Build(t, fixture(t, "everything"))
	if m := en.Read("search/data/m.js"); strings.Contains(m, `"lang"`) {
		t.Errorf("an English site's search manifest names a language: %.200s", m)
	}
}

// TestHeaders: _headers gives static hosts the site's strict policy, with
// pictures and audio on other hosts allowed from those hosts alone.
func TestHeaders(t *testing.T) {
	s := sitetest.Build(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/a.md --
---
title: A
date: 2019-04-01
image: {src: "https://images.example.net/a.jpg", alt: "A person at a kitchen table"}
---
Text.
-- content/episodes/e/index.md --
---
title: E
date: 2019-04-01
duration: "00:00:10"
audio: {src: "https://media.example.com/e.mp3?x=1", type: audio/mpeg, bytes: 1000}
transcript: transcript.vtt
---
Notes.
-- content/episodes/e/transcript.vtt --
WEBVTT

00:00.000 --> 00:09.000
<v Host>Hello and welcome to the first episode of the show about practice today.
`)
	want := "/*\n  Content-Security-Policy: default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; img-src 'self' https://images.example.net; media-src 'self' https://media.example.com\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n"
	if got := s.Read("_headers"); !strings.HasPrefix(got, want) {
		t.Errorf("_headers =\n%s\nwant it to start\n%s", got, want)
	}
	if got := sitetest.Build(t, fixture(t, "everything")).Read("_headers"); !strings.Contains(got, "Content-Security-Policy: default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'\n") {
		t.Errorf("a site with nothing elsewhere: _headers =\n%s", got)
	}
}

// TestRedirects: _redirects moves each alias to its page for good, under
// the site's base path, in address order; a site without aliases gets the
// comment alone.
func TestRedirects(t *testing.T) {
	s := sitetest.Build(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/ot/"
-- content/stories/a.md --
---
title: A
date: 2019-04-01
aliases: [/old/a/, /2019/a-story/]
---
Text.
-- content/features/b.md --
---
title: B
date: 2019-04-01
aliases: [/b.html]
sources: [{title: OTnews, container-title: OTnews, issue: April 2019}]
---
Text.
`)
	want := "# Old addresses (aliases in front matter) and the pages now at them.\n" +
		"/ot/2019/a-story/ /ot/stories/a/ 301\n" +
		"/ot/b.html /ot/features/b/ 301\n" +
		"/ot/old/a/ /ot/stories/a/ 301\n"
	if got := s.Read("_redirects"); got != want {
		t.Errorf("_redirects =\n%s\nwant\n%s", got, want)
	}
	s.AssertFileContains("old/a/index.html", `<meta http-equiv="refresh" content="0; url=https://example.org/ot/stories/a/">`)
	// an old page file is kept as a file, where old links look for it
	s.AssertFileContains("b.html", `<meta http-equiv="refresh" content="0; url=https://example.org/ot/features/b/">`)
	if got := sitetest.Build(t, "-- site.toml --\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n").Read("_redirects"); got != "# Old addresses (aliases in front matter) and the pages now at them.\n" {
		t.Errorf("a site without aliases: _redirects =\n%s", got)
	}
}

// TestOwnHostFiles: a site's own static/_headers and _redirects are joined
// with the build's (its redirects first, as hosts take the first rule for
// an address; its headers after the build's), and its own robots.txt is
// published instead of the build's.
func TestOwnHostFiles(t *testing.T) {
	s := sitetest.Build(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/a.md --
---
title: A
date: 2019-04-01
aliases: [/old/a/]
---
Text.
-- static/_headers --
/audio/*
  Cache-Control: public, max-age=31536000
-- static/_redirects --
/donate https://example.org/give 302
-- static/robots.txt --
User-agent: *
Disallow: /drafts/
`)
	headers := s.Read("_headers")
	if !strings.HasPrefix(headers, "/*\n  Content-Security-Policy: default-src 'self'") || !strings.HasSuffix(headers, "\n/audio/*\n  Cache-Control: public, max-age=31536000\n") {
		t.Errorf("_headers =\n%s", headers)
	}
	if got, want := s.Read("_redirects"), "/donate https://example.org/give 302\n\n# Old addresses (aliases in front matter) and the pages now at them.\n/old/a/ /stories/a/ 301\n"; got != want {
		t.Errorf("_redirects =\n%s\nwant\n%s", got, want)
	}
	if got := s.Read("robots.txt"); got != "User-agent: *\nDisallow: /drafts/\n" {
		t.Errorf("robots.txt = %q; want the site's own", got)
	}
}

// TestOnThisPage: each item page's "On this page" list (render.OnThisPage,
// which names the templates' own heading ids) leads to ids on that page,
// in the page's order, and long pages have one.
func TestOnThisPage(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	nav := regexp.MustCompile(`(?s)<nav class="contents"[^>]*>.*?</nav>`)
	href := regexp.MustCompile(`href="#([^"]+)"`)
	lists := 0
	for _, page := range []string{"stories/denis/index.html", "episodes/ep1/index.html", "features/phb/index.html", "stories/rose/index.html"} {
		html := s.Read(page)
		list := nav.FindString(html)
		if list == "" {
			continue
		}
		lists++
		rest := html[strings.Index(html, list)+len(list):]
		last := 0
		for _, m := range href.FindAllStringSubmatch(list, -1) {
			at := strings.Index(rest, `id="`+m[1]+`"`)
			if at < 0 {
				t.Errorf("%s: On this page links to #%s, which is not on the page", page, m[1])
				continue
			}
			if at < last {
				t.Errorf("%s: On this page lists #%s out of the page's order", page, m[1])
			}
			last = at
		}
	}
	if lists == 0 {
		t.Error("no item page has an On this page list")
	}
}

// TestBrandLogoAndShow: brand_colour gives the band its colour from a
// stylesheet of its own (no inline style), the logo shows beside the name,
// the episodes page opens with the show and its follow links, and an
// episode links the show too; a logo the site does not have is an error
// at its line in site.toml.
func TestBrandLogoAndShow(t *testing.T) {
	const site = `
-- site.toml --
title = "T"
base_url = "https://example.org/"
brand_colour = "#005A70"
logo = "/logo.svg"
[podcast]
links = ["https://open.spotify.com/show/1", "https://podcasts.example.net/t"]
-- static/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>
-- content/episodes/e/index.md --
---
title: E
date: 2019-04-01
episode: 3
duration: "00:00:10"
audio: {src: "https://media.example.com/e.mp3", type: audio/mpeg, bytes: 1000}
transcript: transcript.vtt
---
Notes.
-- content/episodes/e/transcript.vtt --
WEBVTT

00:00.000 --> 00:09.000
<v Host>Hello and welcome to the first episode of the show about practice today.
`
	s := sitetest.Build(t, site)
	if got := s.Read("css/brand.css"); got != ":root{--brand:#005a70}\n" {
		t.Errorf("css/brand.css = %q", got)
	}
	s.AssertFileContains("index.html", `
		<link rel="stylesheet" href="/css/brand.css">
		<a href="/" class="site-title" aria-current="page"><img src="/logo.svg" alt="" height="40"><span>T</span></a>
		! style=
	`)
	s.AssertFileContains("episodes/index.html", `
		<section class="show" aria-labelledby="show-heading">
		<li><a href="/podcast.xml">
		<li><a href="https://open.spotify.com/show/1">Spotify</a></li>
		<li><a href="https://podcasts.example.net/t">podcasts.example.net</a></li>
		# the card: number and length
		Episode 3</p>
		<span class="duration">10 seconds</span>
	`)
	s.AssertFileContains("episodes/e/index.html", `
		<h2 id="follow-heading">Follow T</h2>
		<section class="player" aria-label="Player: E">
	`)
	// without the file, the logo is an error where it is set
	if err := os.Remove(filepath.Join(s.Dir, "static", "logo.svg")); err != nil {
		t.Fatal(err)
	}
	s.Rebuild()
	if got := strings.Join(s.Problems(), "\n"); !strings.Contains(got, "site.toml:4:1:") || !strings.Contains(got, "/logo.svg") {
		t.Errorf("a missing logo: problems\n%s", got)
	}
}

// TestLogoUnderBasePath: a site served under a path finds its logo there.
func TestLogoUnderBasePath(t *testing.T) {
	s := sitetest.Build(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/ot/"
logo = "/logo.svg"
-- static/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>
-- content/stories/a.md --
---
title: A
date: 2019-04-01
---
Text.
`)
	if p := s.Problems(); len(p) > 0 {
		t.Errorf("problems:\n%s", strings.Join(p, "\n"))
	}
	s.AssertFileContains("index.html", `<img src="/ot/logo.svg" alt="" height="40">`)
}
