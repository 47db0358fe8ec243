package hugo

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var now = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)

// golden writes what an import plans, files and report, as one txtar, and
// compares it with testdata/name.
func golden(t *testing.T, name string, src fs.FS, res *Result) {
	t.Helper()
	ar := &txtar.Archive{Comment: []byte(strings.Join(reportLines(res), "\n") + "\n" + res.Summary())}
	for _, f := range res.Files {
		data := f.Data
		if f.From != "" {
			data = []byte("(copy of " + f.From + ")\n")
		}
		ar.Files = append(ar.Files, txtar.File{Name: f.Path, Data: data})
	}
	got := txtar.Format(ar)
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (go test -update to rewrite it, then read the diff):\n%s", p, got)
	}
}

func reportLines(res *Result) []string {
	var l []string
	for _, e := range res.Report {
		l = append(l, e.String())
	}
	return l
}

// casesFS splits testdata/cases.txtar into the Hugo site and the otpress site.
func casesFS(t *testing.T) (hugoFS, siteFS fstest.MapFS) {
	ar, err := txtar.ParseFile("testdata/cases.txtar")
	if err != nil {
		t.Fatal(err)
	}
	hugoFS, siteFS = fstest.MapFS{}, fstest.MapFS{}
	for _, f := range ar.Files {
		mod := time.Date(2025, 5, 5, 0, 0, 0, 0, time.UTC)
		if rest, ok := strings.CutPrefix(f.Name, "hugo/"); ok {
			hugoFS[rest] = &fstest.MapFile{Data: f.Data, ModTime: mod}
		} else if rest, ok := strings.CutPrefix(f.Name, "site/"); ok {
			siteFS[rest] = &fstest.MapFile{Data: f.Data}
		}
	}
	return hugoFS, siteFS
}

func TestCases(t *testing.T) {
	src, dst := casesFS(t)
	res, err := Import(src, dst, Options{As: map[string]string{"cases": Story, "news": Feature}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "cases.golden", src, res)

	files := map[string]string{}
	for _, f := range res.Files {
		files[f.Path] = string(f.Data)
		if _, err := fs.Stat(dst, f.Path); err == nil {
			t.Errorf("%s exists in the otpress site but is planned again", f.Path)
		}
	}
	report := strings.Join(reportLines(res), "\n")
	has := func(t *testing.T, file, want string) {
		t.Helper()
		if !strings.Contains(files[file], want) {
			t.Errorf("%s does not have %q:\n%s", file, want, files[file])
		}
	}
	said := func(t *testing.T, want string) {
		t.Helper()
		if !strings.Contains(report, want) {
			t.Errorf("the report does not say %q:\n%s", want, report)
		}
	}
	first := "content/features/first-steps/index.md"
	t.Run("dates", func(t *testing.T) {
		has(t, first, "date: 2024-02-01T09:00:00Z\n") // publishDate, when Hugo published it
		has(t, first, "updated: 2024-03-05\n")
		has(t, first, "expires: 2099-01-01\n")
		said(t, "posts/first-steps/index.md:4:1: mapped: publishDate → date 2024-02-01T09:00:00Z")
		has(t, "content/features/expired.md", "expires: 2021-01-01")
		said(t, "expired on 2021-01-01")
		// expiryDate before the date: Hugo never published it
		has(t, "content/features/never.md", "draft: true")
		if strings.Contains(files["content/features/never.md"], "expires") {
			t.Error("never.md keeps an expires date before its date, which the build refuses")
		}
	})
	t.Run("keys", func(t *testing.T) {
		has(t, first, "summary: \"Denis: a year in bed, then small steps.\"\n")
		has(t, first, "themes: [rehab-potential, goal-setting, stories]\n")
		has(t, first, "authors: [Ann Smith]\n")
		has(t, first, "image: {src: \"/images/kitchen.jpg\"}\n")
		has(t, first, `aliases: ["/posts/old-first-steps/", "/posts/first-steps/"]`)
		said(t, "posts/first-steps/index.md:13:1: dropped: weight: otpress lists pages newest first")
		said(t, "posts/first-steps/index.md:14:1: dropped: menu:")
		said(t, "posts/first-steps/index.md:11:1: mapped: images → image")
		said(t, "the picture has no alt text")
		said(t, "posts/first-steps/index.md:11:31: dropped: images: otpress shows one picture a page")
		// url: the new address takes its last part, the old stays as an alias
		has(t, "content/features/second-post.md", `aliases: ["/custom/second-post/"]`)
		has(t, "content/features/second-post.md", "draft: true\n")
		has(t, "content/features/second-post.md", "themes: [rehab-potential, getting-up]")
		// an old address two pages claim stays with the first met
		said(t, "posts/first-steps/index.md: note: the old address /2023/first/ is also content/news/launch.md's, which keeps it")
		// a permalink pattern gives the old address
		has(t, "content/features/we-launch.md", `aliases: ["/2023/first/", "/2023/06/we-launch/"]`)
		// JSON front matter
		has(t, "content/features/expired.md", "title: Gone\n")
		// a feature names where it was first published
		has(t, "content/features/we-launch.md", `sources: [{type: webpage, title: Launch, publication: Wellbeing Notes, date: "2023-06-15", url: "https://notes.example.org/2023/06/we-launch/", accessed: "2026-12-06"}]`)
	})
	t.Run("kinds", func(t *testing.T) {
		has(t, "content/pages/about.md", "title: About us\nsummary: Who we are.\n")
		said(t, "about.md:4:1: dropped: aliases")
		has(t, "content/_index.md", "title: Welcome\nsummary: Notes from the wellbeing team.\n")
		has(t, "content/features/_index.md", "title: All posts\n")
		said(t, "privacy.md:3:1: skipped: a draft")
		said(t, "about.fr.md: note: a translation (fr)")
		has(t, "content/pages/about-fr.md", "title: À propos\n")
		said(t, "notice.md:3:1: skipped: expiryDate: otpress pages cannot be scheduled")
		said(t, "legacy.html: skipped: otpress reads Markdown only")
		said(t, "hidden/index.md:2:1: skipped: a headless bundle")
		said(t, "broken.md:2:8: error: cannot read the front matter")
		said(t, "cases/mary.md: skipped: content/stories/mary.md already exists")
		if _, ok := files["content/stories/mary.md"]; ok {
			t.Error("the existing story is planned again")
		}
	})
	t.Run("themes", func(t *testing.T) {
		has(t, "content/themes/rehab-potential.md", "title: Rehab potential\nsummary: What a person could do again with the right support.\n---\nRehabilitation potential is often underestimated.\n")
		has(t, "content/themes/stories.md", "title: Stories\n")
		for _, kept := range []string{"content/themes/co-production.md", "content/themes/goal-setting.md"} {
			if _, ok := files[kept]; ok {
				t.Errorf("%s is planned though the site has the theme", kept)
			}
		}
	})
	t.Run("bundle and static", func(t *testing.T) {
		var from []string
		for _, f := range res.Files {
			if f.From != "" {
				from = append(from, f.Path+" < "+f.From)
			}
		}
		want := []string{
			"content/features/first-steps/door.jpg < content/posts/first-steps/door.jpg",
			"content/features/first-steps/notes/plan.txt < content/posts/first-steps/notes/plan.txt",
			"static/images/kitchen.jpg < static/images/kitchen.jpg",
		}
		if !slices.Equal(from, want) {
			t.Errorf("copies:\n%s\nwant:\n%s", strings.Join(from, "\n"), strings.Join(want, "\n"))
		}
		said(t, "static: note: files no imported page names: 1, left")
	})
	t.Run("body", func(t *testing.T) {
		has(t, first, "Denis had been in bed for a year. Small steps later")
		has(t, first, "![Denis at his kitchen door](door.jpg)\n\nThe kitchen door")
		has(t, first, "[Denis walks (video on YouTube)](https://www.youtube.com/watch?v=abc123)")
		has(t, first, "[the second post](../second-post.md)")
		has(t, first, "[the list](/features/)")
		has(t, first, "[second](../second-post.md#top)")
		has(t, first, "[missing](/posts/nowhere/)")
		has(t, first, "By file: [launch](../we-launch.md), [posts](/features/), [remote](https://example.org/a.md).")
		has(t, first, "[Code by ann on GitHub Gist](https://gist.github.com/ann/42)")
		has(t, first, "[A post by @otnews on X](https://x.com/otnews/status/99)")
		has(t, first, "```go\nfmt.Println(\"hi\")\n```")
		has(t, first, "Write {{< youtube ID >}} to embed a video.")
		if strings.Contains(files[first], "editor's note") {
			t.Error("a comment shortcode's text is published")
		}
		said(t, "posts/first-steps/index.md:18:1: mapped: shortcode figure → a Markdown picture")
		said(t, "posts/first-steps/index.md:35:1: left: shortcode details is left as written")
		said(t, "posts/second.md:11:1: note: 2 lines of HTML")
		said(t, "posts/first-steps/index.md:22:23: mapped: shortcode ref → the link ../second-post.md")
	})
}

func TestBasicExample(t *testing.T) {
	src := os.DirFS("testdata/basic")
	res, err := Import(src, fstest.MapFS{}, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "basic.golden", src, res)
	var paths []string
	for _, f := range res.Files {
		paths = append(paths, f.Path)
	}
	for _, not := range []string{"content/_index.md", "content/pages/archives.md"} {
		if slices.Contains(paths, not) {
			t.Errorf("%s is planned, though it has nothing of its own to carry over", not)
		}
	}
	for _, want := range []string{"content/pages/about.md", "content/features/_index.md", "content/features/rich-content.md", "content/themes/shortcodes.md"} {
		if !slices.Contains(paths, want) {
			t.Errorf("%s is not planned; planned: %v", want, paths)
		}
	}
	for _, e := range res.Report {
		if e.What == Error {
			t.Errorf("error importing hugoBasicExample: %v", e)
		}
	}
}

func TestWriteReplacesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(dir, "content", "mine.md")
	os.WriteFile(mine, []byte("mine"), 0o644)
	src := fstest.MapFS{"a.jpg": {Data: []byte("picture")}}
	errs := Write(dir, src, []File{
		{Path: "content/mine.md", Data: []byte("theirs")},
		{Path: "content/features/new.md", Data: []byte("new")},
		{Path: "static/a.jpg", From: "a.jpg"},
	})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "content/mine.md already exists") {
		t.Errorf("errors %v, want one saying content/mine.md exists", errs)
	}
	for p, want := range map[string]string{"content/mine.md": "mine", "content/features/new.md": "new", "static/a.jpg": "picture"} {
		if b, _ := os.ReadFile(filepath.Join(dir, p)); string(b) != want {
			t.Errorf("%s holds %q, want %q", p, b, want)
		}
	}
}

func TestShortcodeParse(t *testing.T) {
	tests := []struct {
		src   string
		name  string
		pos   []string
		named map[string]string
		close bool
	}{
		{`{{< youtube ZJthWmvUzzc >}}`, "youtube", []string{"ZJthWmvUzzc"}, nil, false},
		{`{{<youtube id="a b" title="He said \"hi\"">}}`, "youtube", nil, map[string]string{"id": "a b", "title": `He said "hi"`}, false},
		{"{{% highlight go `x y` %}}", "highlight", []string{"go", "x y"}, nil, false},
		{`{{< /highlight >}}`, "highlight", nil, nil, true},
		{`{{< figure src="a.jpg" alt="x >}} y" />}}`, "figure", nil, map[string]string{"src": "a.jpg", "alt": "x >}} y"}, false},
	}
	for _, tt := range tests {
		sc := nextShortcode("before "+tt.src+" after", 0)
		if sc == nil {
			t.Errorf("%s: not found", tt.src)
			continue
		}
		if sc.name != tt.name || sc.closing != tt.close || !slices.Equal(sc.pos, tt.pos) || len(sc.named) != len(tt.named) {
			t.Errorf("%s: %q closing=%v %q %v", tt.src, sc.name, sc.closing, sc.pos, sc.named)
		}
		for k, v := range tt.named {
			if sc.named[k] != v {
				t.Errorf("%s: %s=%q, want %q", tt.src, k, sc.named[k], v)
			}
		}
		if sc.start != 7 || sc.end != 7+len(tt.src) {
			t.Errorf("%s: at %d..%d, want 7..%d", tt.src, sc.start, sc.end, 7+len(tt.src))
		}
	}
	for _, s := range []string{"{{ .Title }}", "{{< unclosed", "no braces"} {
		if sc := nextShortcode(s, 0); sc != nil {
			t.Errorf("%q: found %+v", s, sc)
		}
	}
}
