package content

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
)

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Rehab potential", "rehab-potential"},
		{"Co-production", "co-production"},
		{"It's All About People", "its-all-about-people"},
		{"Zoë’s café — 2019!", "zoes-cafe-2019"},
		{"  --Social   prescribing--  ", "social-prescribing"},
		{"Straße", "strasse"},
		{"", ""},
		{"日本", ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Rehab potential", "Zoë’s café", "a--b", "-", "ǅ", "ﬁ"} {
		f.Add(s)
	}
	// The seeds in testdata/fuzz/FuzzSlug add titles with accents,
	// ligatures, full-width letters, a BOM, CRLF, path tricks and invalid
	// UTF-8.
	f.Fuzz(func(t *testing.T, s string) {
		got := Slug(s)
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Fatalf("Slug(%q) = %q has %q", s, got, r)
			}
		}
		if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Fatalf("Slug(%q) = %q has stray hyphens", s, got)
		}
		if again := Slug(got); again != got {
			t.Fatalf("Slug not idempotent: %q -> %q -> %q", s, got, again)
		}
		// safe as one segment of an address and of a file path
		if url.PathEscape(got) != got || got == "." || got == ".." {
			t.Fatalf("Slug(%q) = %q is not a safe path segment", s, got)
		}
		if IsSlug(got) != (got != "") {
			t.Fatalf("IsSlug(%q) = %v", got, IsSlug(got))
		}
		// separators between words make one hyphen, whatever surrounds them
		if spaced := Slug(" \t" + s + "\r\n"); spaced != got {
			t.Fatalf("Slug(%q) = %q, but with spaces around it %q", s, got, spaced)
		}
		if a, b := Slug(s+" / "+s), strings.Trim(got+"-"+got, "-"); a != b {
			t.Fatalf("Slug(%q) = %q; want %q", s+" / "+s, a, b)
		}
	})
}

func load(t *testing.T, files map[string]string) (*Library, []string) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	lib, probs := Load(fsys, Options{})
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.Error())
	}
	return lib, msgs
}

func TestLoadFullStory(t *testing.T) {
	lib, probs := load(t, map[string]string{
		"content/stories/denis/index.md": `---
title: Denis walks to his kitchen
date: 2026-11-23
summary: A year in bed, then small steps.
tags: [rehab-potential, Goal setting]
authors: [otpress editors]
aliases: [/old/denis]
image: {src: photo.jpg, alt: Denis at his kitchen door}
person: Denis
setting: Home
goals: [Walk to the kitchen]
steps:
  - Sit on the edge of the bed
  - Stand with a frame
outcomes:
  - {measure: Care visits a day, before: 4, after: 0, unit: visits}
sources:
  - {title: Rebuilding lives, publication: It's All About People podcast, issue: Episode 72, url: "https://example.org/ep72", date: 2026, accessed: 2026-11-20}
---
Body text.
`,
		"content/stories/denis/photo.jpg": string(encoded(t, "jpeg", 64, 48)),
	})
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if len(lib.Items) != 1 {
		t.Fatalf("items = %d", len(lib.Items))
	}
	it := lib.Items[0]
	if it.Path != "/stories/denis/" || it.Kind != Story || !it.Bundle || it.Title != "Denis walks to his kitchen" || !it.Date.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("item = %+v", it)
	}
	if len(it.Themes) != 2 || it.Themes[1].Name != "Goal setting" || it.Themes[1].Pos.Line != 5 {
		t.Errorf("themes = %+v", it.Themes)
	}
	if it.Image == nil || it.Image.Path != "/stories/denis/photo.jpg" || it.Image.Width != 64 || it.Image.Height != 48 {
		t.Errorf("image = %+v", it.Image)
	}
	if it.Aliases[0] != "/old/denis/" || strings.Join(it.Assets, ",") != "photo.jpg" || it.BodyLine != 20 {
		t.Errorf("aliases %v, assets %v, body line %d", it.Aliases, it.Assets, it.BodyLine)
	}
	s := it.Story
	if s.Person != "Denis" || len(s.Steps) != 2 || s.Outcomes[0].Before != 4 || s.Outcomes[0].After != 0 {
		t.Errorf("story = %+v", s)
	}
}

// TestLoadProblems checks that each bad input gives its own message at its
// file:line:col, and that all of them are reported together.
func TestLoadProblems(t *testing.T) {
	files := map[string]string{
		"content/stories/a.md":         "---\ntitle: A\ndate: April 2019\n---\n",
		"content/stories/b.md":         "---\ndate: 2019-04-01\ntitel: B\n---\n",
		"content/stories/c.md":         "---\ntitle: C\ndate: 2019-04-01\noutcomes:\n  - {measure: Visits, before: \"4\", after: lots}\n---\n",
		"content/stories/d.md":         "# No front matter\n",
		"content/stories/e.md":         "---\ntitle: E\ndate: 2019-04-01\ndraft: yes please\nthemes: {a: b}\n---\n",
		"content/features/f.md":        "---\ntitle: F\ndate: 2019-04-01\nsources:\n  - title: Something\n---\n",
		"content/episodes/g.md":        "---\ntitle: G\ndate: 2019-04-01\nepisode: seventy\nduration: 42 minutes\naudio: missing.mp3\ntranscript: t.vtt\n---\n",
		"content/episodes/h.md":        "---\ntitle: H\ndate: 2019-04-01\naudio: h.mp3\n---\n",
		"content/episodes/h.mp3":       "ID3",
		"content/episodes/t.vtt":       "not a vtt",
		"content/episodes/n/index.md":  "---\ntitle: \"Episode 12: Hoists\"\ndate: 2019-04-01\nepisode: 12\naudio: a.ogg\ntranscript: t.vtt\nupdated: 2019-03-01\n---\n",
		"content/episodes/n/a.ogg":     "OggS",
		"content/episodes/n/t.vtt":     "WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n",
		"content/stories/i.md":         "---\ntitle: I\ndate: 2019-04-01\nimage: {src: x.png}\nslug: Not A Slug\n---\n",
		"content/stories/j.md":         "---\ntitle: [unclosed\ndate: 2019-04-01\n---\n",
		"content/stories/r.md":         "---\ntitle: R\ndate: 2019-04-01\nimage: {src: /r.png, alt: R, focus: 30% 140%}\n---\n",
		"static/r.png":                 "\x89PNG",
		"content/blog/k.md":            "---\ntitle: K\n---\n",
		"content/stories/l.md":         "+++\ntitle = \"L\"\ndate = 2019-04-01\ndescription = \"x\"\n+++\n",
		"content/stories/m.md":         "---\ntitle: M\ndate: 2019-04-01\nthemes: [a]\ntags: [b]\n---\n",
		"content/stories/o.md":         "---\ntitle: O\ndate: 2019-04-01\nexpires: 2019-04-01\n---\n",
		"content/stories/p.md":         "---\ntitle: P\ndate: 2019-04-01\nexpiryDate: 2020-01-01\n---\n",
		"content/stories/q.md":         "---\ntitle: Q\ndate: 2019-04-01\npublishDate: 2031-01-01\n---\n",
		"content/themes/x.md":          "---\nsummary: no title\nbroadr: y\n---\n",
		"content/themes/sub/y.md":      "---\ntitle: Y\n---\n",
		"content/pages/about/index.md": "---\ntitle: About\n---\n",
	}
	_, probs := load(t, files)
	all := strings.Join(probs, "\n")
	want := []string{
		`content/stories/a.md:3:7: date "April 2019" is not a date; write the date as 2019-04-01`,
		`content/stories/b.md:1:1: title is missing; add a line such as title:`,
		`content/stories/b.md:3:1: warning: unknown key "titel" is ignored; did you mean "title"?`,
		`content/stories/c.md:5:31: before is text "4"; it must be a number; remove the quotes`,
		`content/stories/c.md:5:43: after must be a number, not the text "lots"`,
		`content/stories/d.md:1:1: the page has no front matter`,
		`content/stories/e.md:4:8: draft must be true or false, not the text "yes please"`,
		`content/stories/e.md:5:9: themes must be a list of text, not a set of fields`,
		`content/features/f.md:4:1: a feature needs a source naming its publication and issue`,
		`content/episodes/g.md:4:10: episode must be a whole number, not the text "seventy"`,
		`content/episodes/g.md:5:11: duration "42 minutes" is not a length of time`,
		`content/episodes/g.md:6:8: audio file "missing.mp3" was not found; put the file at content/episodes/missing.mp3`,
		`content/episodes/t.vtt:1:1: a WebVTT transcript must start with the line WEBVTT`,
		`content/episodes/h.md:4:1: the episode has audio but no transcript`,
		`content/episodes/n/index.md:2:8: warning: the title starts with the episode number; podcast apps show the number from episode: already`,
		`content/episodes/n/index.md:5:1: warning: the episode has audio but no duration`,
		`content/episodes/n/index.md:5:8: warning: Apple Podcasts and many podcast apps cannot play audio/ogg audio`,
		`content/episodes/n/index.md:7:10: updated 2019-03-01 is before date 2019-04-01`,
		`content/stories/i.md:4:8: image has no alt text`,
		`content/stories/i.md:4:14: image "x.png" was not found`,
		`content/stories/i.md:5:7: slug "Not A Slug" cannot be part of an address; use lower-case letters, digits and hyphens, e.g. slug: not-a-slug`,
		`content/stories/j.md:3:1: YAML syntax`,
		`content/stories/r.md:4:37: focus "30% 140%" is not a point of the picture; write two percentages, across then down: focus: "30% 40%"`,
		`content/blog/k.md: warning: "blog" is not a section otpress knows`,
		`content/stories/l.md:4:1: warning: unknown key "description" is ignored; otpress calls this "summary"`,
		`content/stories/m.md:5:1: both themes and tags are given`,
		`content/stories/o.md:4:10: expires 2019-04-01 is not after date 2019-04-01, so the page would never be published; expires is the day the page leaves the site, so it must come after date`,
		`content/stories/p.md:4:1: "expiryDate" is another generator's key; otpress reads "expires" for this; rename it to expires: the first build on or after that day leaves the item out`,
		`content/stories/q.md:4:1: "publishDate" is another generator's key; otpress reads "date" for this; rename it to date: an item dated after the build is left out until that day`,
		`content/themes/x.md:1:1: title is missing`,
		`content/themes/x.md:3:1: warning: unknown key "broadr" is ignored; did you mean "broader"?`,
		`content/themes/sub/y.md: warning: content/themes/ holds single files, one per page; this file is ignored; write content/themes/<slug>.md`,
		`content/pages/about/index.md: warning: content/pages/ holds single files`,
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("missing problem %q", w)
		}
	}
	if t.Failed() {
		t.Logf("all problems:\n%s", all)
	}
}

func TestDraftsAndCollisions(t *testing.T) {
	files := map[string]string{
		"content/stories/a.md":      "---\ntitle: A\ndate: 2019-04-01\ndraft: true\nbad: [\n---\n",
		"content/stories/b.md":      "---\ntitle: B\ndate: 2019-04-01\nslug: c\n---\n",
		"content/stories/c.md":      "---\ntitle: C\ndate: 2019-04-02\naliases: [/stories/b-old/]\n---\n",
		"content/stories/d.md":      "---\ntitle: D\ndate: 2019-04-03\naliases: [/stories/b-old/]\n---\n",
		"content/stories/draft.md":  "---\ntitle: Draft\ndate: 2019-04-01\ndraft: true\n---\n",
		"content/stories/_index.md": "---\ntitle: Our stories\n---\nIntro",
		"content/stories/loose.jpg": "x",
	}
	lib, probs := load(t, files)
	all := strings.Join(probs, "\n")
	// a.md cannot be read, so nothing shows it is a draft: it is reported.
	if !strings.Contains(all, "content/stories/a.md:5:6: YAML syntax") {
		t.Errorf("broken draft not reported:\n%s", all)
	}
	for _, w := range []string{
		`content/stories/c.md:1:1: this page and content/stories/b.md both want the address /stories/c/`,
		`content/stories/d.md:4:11: alias /stories/b-old/ is already the address of content/stories/c.md`,
	} {
		if !strings.Contains(all, w) {
			t.Errorf("missing %q in\n%s", w, all)
		}
	}
	for _, it := range lib.Items {
		if it.Draft {
			t.Errorf("draft %s included without Options.Drafts", it.File)
		}
	}
	if lib.Sections["stories"] == nil || lib.Sections["stories"].Title != "Our stories" {
		t.Errorf("section intro not loaded: %+v", lib.Sections)
	}
	if strings.Join(lib.Loose, ",") != "content/stories/loose.jpg" {
		t.Errorf("loose = %v", lib.Loose)
	}
}

// TestIsPageFile: the content's pages that are not items (themes, packs,
// standalone pages, introductions), which the preview's page plan reads
// again on every update; not items, bundles' files, nor what Load ignores.
func TestIsPageFile(t *testing.T) {
	for p, want := range map[string]bool{
		"content/_index.md":             true,
		"content/stories/_index.md":     true,
		"content/packs/_index.md":       true,
		"content/packs/starter.md":      true,
		"content/themes/anxiety.md":     true,
		"content/pages/about.md":        true,
		"content/themes/_index.md":      false, // ignored, with a warning
		"content/pages/deeper/x.md":     false,
		"content/stories/new.md":        false, // an item
		"content/stories/a/index.md":    false,
		"content/stories/a/_index.md":   false,
		"content/unknown/_index.md":     false,
		"content/themes/.anxiety.md":    false,
		"content/themes/anxiety.md~":    false,
		"content/themes/anxiety.txt":    false,
		"content/about.md":              false,
		"static/themes/anxiety.md":      false,
		"themes/default/templates/x.md": false,
	} {
		if got := IsPageFile(p); got != want {
			t.Errorf("IsPageFile(%q) = %v", p, got)
		}
	}
}

// TestLoadAgain: a library read again after an edit shares the items of
// the files that did not change and reads the others (an edited file, a
// bundle with a new file, a new file; a removed one is gone), as Load
// would read them.
func TestLoadAgain(t *testing.T) {
	story := func(title string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: 2026-01-02\n---\nText.\n")}
	}
	fsys := fstest.MapFS{
		"content/stories/a.md":         story("A"),
		"content/stories/b.md":         story("B"),
		"content/stories/c.md":         story("C"),
		"content/stories/d/index.md":   story("D"),
		"content/stories/d/before.png": {Data: []byte("png")},
	}
	before, probs := Load(fsys, Options{})
	if len(probs) > 0 || len(before.Items) != 4 {
		t.Fatalf("%d items, %v", len(before.Items), probs)
	}
	byFile := func(lib *Library) map[string]*Item {
		m := map[string]*Item{}
		for _, it := range lib.Items {
			m[it.File] = it
		}
		return m
	}
	was := byFile(before)
	fsys["content/stories/a.md"] = story("A again")
	fsys["content/stories/d/after.png"] = &fstest.MapFile{Data: []byte("png")}
	delete(fsys, "content/stories/c.md")
	fsys["content/stories/e.md"] = story("E")
	changed := map[string]bool{"content/stories/a.md": true, "content/stories/d/after.png": true, "content/stories/c.md": true, "content/stories/e.md": true}
	lib, probs := LoadAgain(fsys, Options{}, before, changed)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	now := byFile(lib)
	if now["content/stories/b.md"] != was["content/stories/b.md"] {
		t.Error("the unchanged story was read again")
	}
	if a := now["content/stories/a.md"]; a == was["content/stories/a.md"] || a.Title != "A again" {
		t.Errorf("the edited story: %+v", a)
	}
	if d := now["content/stories/d/index.md"]; d == was["content/stories/d/index.md"] || strings.Join(d.Assets, ",") != "after.png,before.png" {
		t.Errorf("the bundle with a new file: %v", d.Assets)
	}
	if now["content/stories/c.md"] != nil || now["content/stories/e.md"] == nil || len(lib.Items) != 4 {
		t.Errorf("items now: %v", slices.Collect(maps.Keys(now)))
	}
	again, _ := Load(fsys, Options{})
	if fmt.Sprint(titles(lib.Items)) != fmt.Sprint(titles(again.Items)) {
		t.Errorf("order %v; Load reads %v", titles(lib.Items), titles(again.Items))
	}
	// an edit to files that were all there before: the folder is not
	// walked again, so a file the edit does not name is not found
	fsys["content/stories/b.md"] = story("B again")
	fsys["content/stories/unnamed.md"] = story("Unnamed")
	lib, probs = LoadAgain(fsys, Options{}, lib, map[string]bool{"content/stories/b.md": true})
	if len(probs) > 0 || byFile(lib)["content/stories/b.md"].Title != "B again" || byFile(lib)["content/stories/unnamed.md"] != nil {
		t.Errorf("items %v, %v", titles(lib.Items), probs)
	}
}

func titles(items []*Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return out
}

// TestIsItemFile: a single Markdown file in a section's folder is an item
// on its own; a bundle's file, an introduction, other kinds' files, hidden
// and backup files are not.
func TestIsItemFile(t *testing.T) {
	for p, want := range map[string]bool{
		"content/stories/new.md":         true,
		"content/features/new.md":        true,
		"content/stories/new/index.md":   false, // a bundle: its folder holds assets
		"content/stories/_index.md":      false,
		"content/themes/new.md":          false,
		"content/pages/new.md":           false,
		"content/stories/.new.md":        false,
		"content/stories/new.md~":        false,
		"content/stories/new.txt":        false,
		"content/unknown/new.md":         false,
		"static/stories/new.md":          false,
		"content/stories/deeper/more.md": false,
	} {
		if got := IsItemFile(p); got != want {
			t.Errorf("IsItemFile(%q) = %v", p, got)
		}
	}
}

// TestLoadShowsByOptions: a draft is left out unless drafts are shown, a
// scheduled item until its day or unless future items are shown, an
// expired one from its expires date unless expired items are shown; a
// broken one reports its problem.
func TestLoadShowsByOptions(t *testing.T) {
	fsys := fstest.MapFS{
		"content/stories/draft.md":  {Data: []byte("---\ntitle: Draft\ndate: 2026-01-02\ndraft: true\n---\nText.\n")},
		"content/stories/broken.md": {Data: []byte("---\ntitle: Broken\ndate: someday\n---\nText.\n")},
		"content/stories/later.md":  {Data: []byte("---\ntitle: Later\ndate: 2026-12-01\n---\nText.\n")},
		"content/stories/gone.md":   {Data: []byte("---\ntitle: Gone\ndate: 2026-01-02\nexpires: 2026-11-24\n---\nText.\n")},
	}
	// the item of a file as Load shows it with opts, or nil, and its problems
	load := func(p string, opts Options) (*Item, []*diag.Problem) {
		lib, probs := Load(fsys, opts)
		var mine []*diag.Problem
		for _, pr := range probs {
			if pr.File == p {
				mine = append(mine, pr)
			}
		}
		for _, it := range lib.Items {
			if it.File == p {
				return it, mine
			}
		}
		return nil, mine
	}
	if it, _ := load("content/stories/draft.md", Options{}); it != nil {
		t.Errorf("a draft with drafts hidden: %+v", it)
	}
	if it, _ := load("content/stories/draft.md", Options{Drafts: true}); it == nil || !it.Draft {
		t.Errorf("a draft with drafts shown: %+v", it)
	}
	if it, probs := load("content/stories/broken.md", Options{Drafts: true}); it != nil || len(probs) == 0 {
		t.Errorf("a broken item: %+v, %v", it, probs)
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	if it, _ := load("content/stories/later.md", Options{Now: now}); it != nil {
		t.Errorf("a scheduled item with future items hidden: %+v", it)
	}
	if it, _ := load("content/stories/later.md", Options{Now: now, Future: true}); it == nil || !it.Scheduled {
		t.Errorf("a scheduled item with future items shown: %+v", it)
	}
	if it, _ := load("content/stories/later.md", Options{Now: now.AddDate(0, 1, 0)}); it == nil || it.Scheduled {
		t.Errorf("a scheduled item on a build after its date: %+v", it)
	}
	if it, _ := load("content/stories/gone.md", Options{Now: now}); it != nil {
		t.Errorf("an expired item with expired items hidden: %+v", it)
	}
	if it, _ := load("content/stories/gone.md", Options{Now: now, Expired: true}); it == nil || !it.Expired {
		t.Errorf("an expired item with expired items shown: %+v", it)
	}
	if it, _ := load("content/stories/gone.md", Options{Now: time.Date(2026, 11, 23, 23, 59, 59, 0, time.UTC)}); it == nil || it.Expired ||
		!it.Expires.Equal(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("an item the moment before it expires: %+v", it)
	}
}

func TestCleanSitePath(t *testing.T) {
	for _, tt := range []struct{ in, want, hint string }{
		{"old/denis", "/old/denis/", ""},
		{"/old/denis/", "/old/denis/", ""},
		{"/old/denis/index.html", "/old/denis/", ""},
		{"/old/denis/INDEX.HTM", "/old/denis/", ""},
		{"/news/2019/denis.html", "/news/2019/denis.html", ""},
		{"news/denis.HTM", "/news/denis.HTM", ""},
		{"/news/denis.php", "/news/denis.php/", ""},
		{"/index.html", "", "the home page cannot be an alias"},
		{"/", "", "the home page cannot be an alias"},
		{"/old/../denis", "", "without . or .. parts"},
		{"https://example.org/old/", "", "not a web address"},
		{"/old/denis?page=2", "", "not '?'"},
	} {
		got, hint := cleanSitePath(tt.in)
		if got != tt.want || !strings.Contains(hint, tt.hint) || (tt.hint == "") != (hint == "") {
			t.Errorf("cleanSitePath(%q) = %q, %q; want %q, a hint with %q", tt.in, got, hint, tt.want, tt.hint)
		}
	}
}

// TestReadBody: an item's text read again from its file is the text Load
// gave it; a file whose text starts on another line, or that is gone, is
// an error.
func TestReadBody(t *testing.T) {
	fsys := fstest.MapFS{
		"content/stories/a.md":       {Data: []byte("---\ntitle: A\ndate: 2026-01-02\n---\nFirst line.\n\nSecond *line*.\n")},
		"content/stories/b/index.md": {Data: []byte("\xef\xbb\xbf---\ntitle: B\ndate: 2026-01-02\n---\n")},
	}
	lib, probs := Load(fsys, Options{})
	if len(probs) > 0 || len(lib.Items) != 2 {
		t.Fatalf("%d items, %v", len(lib.Items), probs)
	}
	for _, it := range lib.Items {
		got, err := ReadBody(fsys, it)
		if err != nil || string(got) != string(it.Body) {
			t.Errorf("%s: %q, %v; want %q", it.File, got, err, it.Body)
		}
	}
	a := lib.Items[0]
	if a.File != "content/stories/a.md" {
		t.Fatalf("first item %s", a.File)
	}
	fsys["content/stories/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A\nsummary: Longer.\ndate: 2026-01-02\n---\nFirst line.\n\nSecond *line*.\n")}
	if got, err := ReadBody(fsys, a); err == nil {
		t.Errorf("a text a line lower: %q, no error", got)
	}
	delete(fsys, "content/stories/a.md")
	if got, err := ReadBody(fsys, a); err == nil {
		t.Errorf("a file gone: %q, no error", got)
	}
}
