package site_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/picture/picturetest"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestRandomEditsMatchClean applies random sequences of edits to a
// generated site (text, title, date, themes, drafts, new and removed items,
// a pack, outcomes, a source, a picture, a transcript, a linked story's
// address, a cited work, a work written inline, a theme's definition, a
// section's introduction, a template, a partial, a photo and another
// file in static/, site.toml) and checks
// after each that a warm build (the caches of the last one) and the
// preview's update write exactly what a clean build of the same files
// writes (the preview without its search index, which it
// refreshes in the background). The first edits are one of each kind, in
// a random order. OTPRESS_EDITS sets how many edits (by default one of
// each kind and three more; more for a long run) and OTPRESS_SEED the seed; each run starts from a fresh
// site.
func TestRandomEditsMatchClean(t *testing.T) {
	edits := -1 // every kind once, then three more
	if n, err := strconv.Atoi(os.Getenv("OTPRESS_EDITS")); err == nil {
		edits = n
	}
	seed := uint64(1)
	if n, err := strconv.ParseUint(os.Getenv("OTPRESS_SEED"), 10, 64); err == nil {
		seed = n
	}
	randomEdits(t, seed, edits)
}

func randomEdits(t *testing.T, seed uint64, edits int) {
	dir := t.TempDir()
	if err := sitetest.Generate(dir, 20, int64(seed)); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 7))
	ctx := context.Background()
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	write := func(p, data string) {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// short pages: lists and themes of several pages, which items coming,
	// going and moving make longer and shorter
	write("site.toml", strings.Replace(read("site.toml"), "paginate = 10", "paginate = 3", 1))
	// a photo in static/, which an edit changes
	write("static/images/street.jpg", string(picturetest.Photo(40, 30, 1, true)))
	items := func(section string) []string {
		files, _ := filepath.Glob(filepath.Join(dir, "content", section, "*.md"))
		bundles, _ := filepath.Glob(filepath.Join(dir, "content", section, "*", "index.md"))
		var out []string
		for _, f := range append(files, bundles...) {
			if rel, _ := filepath.Rel(dir, f); !strings.HasSuffix(rel, "_index.md") {
				out = append(out, filepath.ToSlash(rel))
			}
		}
		slices.Sort(out)
		return out
	}
	// the pack names three stories, which the edits never hide or remove
	stories := items("stories")
	inPack := stories[:3]
	pack := func(title string, order []string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %q\nsummary: Stories to read together.\nitems:\n", title)
		for _, p := range order {
			fmt.Fprintf(&b, "  - %s\n", strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(p, "content/"), ".md"), "/index"))
		}
		b.WriteString("---\nRead them in order.\n")
		return b.String()
	}
	write("content/packs/together.md", pack("Read together", inPack))
	// a source list, and a story whose text cites it and links to two
	// stories the edits may move or remove: its rendered text then
	// depends on other files (what a warm build's Markdown cache checks)
	sources := func(year int) string {
		return fmt.Sprintf("moss-%[1]d:\n  type: article-journal\n  title: Small steps at home\n  container-title: British Journal of Occupational Therapy\n  author:\n    - {family: Moss, given: Ann}\n  issued: %[1]d\n", year)
	}
	write("data/sources.yaml", sources(2019))
	free0 := func() []string { // stories the pack does not name
		var out []string
		for _, p := range stories {
			if !slices.Contains(inPack, p) && filepath.Base(p) != "index.md" {
				out = append(out, p)
			}
		}
		return out
	}()
	linked := free0[:2]
	citing := "content/stories/citing.md"
	write(citing, fmt.Sprintf("---\ntitle: \"Small steps, cited\"\ndate: 2024-03-01\nthemes: [research]\nperson: \"Ann\"\n---\nAnn walked a little further each week [@moss-2019, p. 4].\nSee [the first story](%s) and [the second](%s).\n",
		"../"+strings.TrimPrefix(linked[0], "content/"), "../"+strings.TrimPrefix(linked[1], "content/")))
	year := 2019
	builtIn, err := os.ReadFile("../../../themes/default/templates/story.html")
	if err != nil {
		t.Fatal(err)
	}
	card, err := os.ReadFile("../../../themes/default/templates/partials/card.html")
	if err != nil {
		t.Fatal(err)
	}
	themes := []string{"co-production", "falls-prevention", "research", "dementia", "social-prescribing", "rehab-potential"}
	date := regexp.MustCompile(`(?m)^date: .*$`)
	after := regexp.MustCompile(`(?m)^    after: .*$`)
	issue := regexp.MustCompile(`(?m)^    issue: .*$`)
	title := regexp.MustCompile(`(?m)^title: "`)
	free := func() string { // an item the pack does not name
		var all []string
		for _, s := range []string{"stories", "features", "episodes"} {
			for _, p := range items(s) {
				if !slices.Contains(inPack, p) {
					all = append(all, p)
				}
			}
		}
		all = slices.DeleteFunc(all, func(p string) bool { return p == citing })
		return all[r.IntN(len(all))]
	}
	anyItem := func() string {
		if r.IntN(3) == 0 {
			return inPack[r.IntN(len(inPack))]
		}
		return free()
	}
	type edit struct {
		name string
		do   func() []string // the files it changed
	}
	all := []edit{
		{"text", func() []string {
			p := anyItem()
			write(p, read(p)+fmt.Sprintf("\nA sentence added in edit %d about the kitchen.\n", r.IntN(1000)))
			return []string{p}
		}},
		{"title", func() []string {
			p := anyItem()
			write(p, title.ReplaceAllString(read(p), fmt.Sprintf(`title: "Edited %d `, r.IntN(1000))))
			return []string{p}
		}},
		{"date", func() []string {
			p := free()
			write(p, date.ReplaceAllString(read(p), fmt.Sprintf("date: 20%02d-%02d-%02d", 10+r.IntN(15), 1+r.IntN(12), 1+r.IntN(28))))
			return []string{p}
		}},
		{"themes", func() []string {
			p := anyItem()
			src := read(p)
			key := "\ntags:\n"
			if !strings.Contains(src, key) {
				key = "\nthemes:\n"
			}
			write(p, strings.Replace(src, key, key+"  - "+themes[r.IntN(len(themes))]+"\n", 1))
			return []string{p}
		}},
		{"draft", func() []string {
			p := free()
			src := read(p)
			if strings.Contains(src, "\ndraft: true\n") {
				src = strings.Replace(src, "\ndraft: true\n", "\n", 1)
			} else {
				src = strings.Replace(src, "\ntitle: ", "\ndraft: true\ntitle: ", 1)
			}
			write(p, src)
			return []string{p}
		}},
		{"new story", func() []string {
			p := fmt.Sprintf("content/stories/new-%d.md", r.IntN(1e6))
			write(p, fmt.Sprintf("---\ntitle: \"A new story %d\"\ndate: 2023-0%d-1%d\nthemes: [%s]\nperson: \"Ann\"\n---\nAnn walks to the shop.\n", r.IntN(100), 1+r.IntN(9), r.IntN(10), themes[r.IntN(len(themes))]))
			return []string{p}
		}},
		{"removed item", func() []string {
			p := free()
			full := filepath.Join(dir, p)
			if filepath.Base(p) == "index.md" {
				full = filepath.Dir(full)
			}
			if err := os.RemoveAll(full); err != nil {
				t.Fatal(err)
			}
			return []string{p}
		}},
		{"pack", func() []string {
			order := slices.Clone(inPack)
			r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			write("content/packs/together.md", pack(fmt.Sprintf("Read together %d", r.IntN(100)), order))
			return []string{"content/packs/together.md"}
		}},
		{"outcome", func() []string {
			for range 10 {
				p := free()
				if src := read(p); after.MatchString(src) {
					write(p, after.ReplaceAllString(src, fmt.Sprintf("    after: %d", r.IntN(9))))
					return []string{p}
				}
			}
			return nil
		}},
		{"source", func() []string {
			for range 10 {
				p := free()
				if src := read(p); issue.MatchString(src) {
					write(p, issue.ReplaceAllString(src, fmt.Sprintf(`    issue: "Issue %d"`, r.IntN(100))))
					return []string{p}
				}
			}
			return nil
		}},
		{"picture", func() []string {
			pics, _ := filepath.Glob(filepath.Join(dir, "content", "stories", "*", "*.png"))
			if len(pics) == 0 {
				return nil
			}
			p, _ := filepath.Rel(dir, pics[r.IntN(len(pics))])
			var buf bytes.Buffer
			if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 20+r.IntN(200), 20+r.IntN(200)))); err != nil {
				t.Fatal(err)
			}
			write(p, buf.String())
			return []string{p}
		}},
		{"linked story moves", func() []string {
			p := linked[r.IntN(len(linked))]
			if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
				return nil // removed by an earlier edit
			}
			src := read(p)
			if strings.Contains(src, "\nslug: ") {
				src = regexp.MustCompile(`\nslug: .*\n`).ReplaceAllString(src, "\n")
			} else {
				src = strings.Replace(src, "\ntitle: ", fmt.Sprintf("\nslug: moved-%d\ntitle: ", r.IntN(1000)), 1)
			}
			write(p, src)
			return []string{p}
		}},
		{"cited source", func() []string {
			year++
			write("data/sources.yaml", strings.ReplaceAll(sources(year), fmt.Sprintf("moss-%d:", year), "moss-2019:"))
			return []string{"data/sources.yaml"}
		}},
		{"transcript", func() []string {
			vtts, _ := filepath.Glob(filepath.Join(dir, "content", "episodes", "*", "transcript.vtt"))
			if len(vtts) == 0 {
				return nil
			}
			p, _ := filepath.Rel(dir, vtts[r.IntN(len(vtts))])
			write(p, strings.Replace(read(p), ">The ", fmt.Sprintf(">In week %d the ", r.IntN(100)), 1))
			return []string{p}
		}},
		{"theme definition", func() []string {
			defs, _ := filepath.Glob(filepath.Join(dir, "content", "themes", "*.md"))
			if len(defs) == 0 {
				return nil
			}
			p, _ := filepath.Rel(dir, defs[r.IntN(len(defs))])
			name := strings.TrimSuffix(filepath.Base(p), ".md")
			write(p, regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(read(p), fmt.Sprintf("title: \"%s %d\"", name, r.IntN(100))))
			return []string{filepath.ToSlash(p)}
		}},
		{"introduction", func() []string {
			p := "content/stories/_index.md"
			if r.IntN(3) == 0 {
				os.Remove(filepath.Join(dir, p))
			} else {
				write(p, fmt.Sprintf("---\ntitle: Stories\n---\nWhat changed, in %d stories.\n", r.IntN(100)))
			}
			return []string{p}
		}},
		{"template", func() []string {
			p := "themes/default/templates/story.html"
			write(p, strings.Replace(string(builtIn), "</article>", fmt.Sprintf("<p>Edition %d.</p></article>", r.IntN(100)), 1))
			return []string{p}
		}},
		{"partial", func() []string {
			p := "themes/default/templates/partials/card.html"
			write(p, strings.Replace(string(card), "</article>", fmt.Sprintf("</article><!-- edition %d -->", r.IntN(100)), 1))
			return []string{p}
		}},
		{"work written inline", func() []string {
			// by the same publication in the same year as others: their
			// references' labels (2019a, 2019b) may change with it
			for range 10 {
				p := free()
				if src := read(p); strings.Contains(src, "\nsources:\n") {
					write(p, strings.Replace(src, "\nsources:\n", fmt.Sprintf("\nsources:\n  - {title: \"Note %d\", publication: OTnews, issue: \"May 2019\"}\n", r.IntN(100)), 1))
					return []string{p}
				}
			}
			return nil
		}},
		{"static photo", func() []string {
			p := "static/images/street.jpg"
			write(p, string(picturetest.Photo(16+r.IntN(64), 16+r.IntN(64), 1+r.IntN(8), r.IntN(2) == 0)))
			return []string{p}
		}},
		{"static file", func() []string {
			p := "static/notes.txt"
			write(p, fmt.Sprintf("notes %d\n", r.IntN(1000)))
			return []string{p}
		}},
		{"site.toml", func() []string {
			src := read("site.toml")
			write("site.toml", regexp.MustCompile(`(?m)^title = .*$`).ReplaceAllString(src, fmt.Sprintf("title = \"OT Stories %d\"", r.IntN(100))))
			return []string{"site.toml"}
		}},
	}

	out, preview := filepath.Join(dir, "public"), filepath.Join(t.TempDir(), "preview")
	warmOpts := site.Options{SiteDir: dir, OutDir: out, Generator: "otpress test", Minify: true, Cache: true}
	previewOpts := site.Options{SiteDir: dir, OutDir: preview, Generator: "otpress test", Drafts: true, Future: true}
	sess := site.NewSession(previewOpts)
	build := func(o site.Options, to string) {
		t.Helper()
		o.OutDir, o.Cache = to, false
		if _, err := site.Build(ctx, o); err != nil {
			t.Fatalf("clean build: %v", err)
		}
	}
	if _, err := site.Build(ctx, warmOpts); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sess.Update(ctx, nil); err != nil {
		t.Fatal(err)
	}
	var done []string
	order := r.Perm(len(all)) // every kind of edit once, then any
	if edits < 0 {
		edits = len(all) + 3
	}
	for i := range edits {
		e := all[r.IntN(len(all))]
		if i < len(order) {
			e = all[order[i]]
		}
		changed := e.do()
		done = append(done, e.name)
		var abs []string
		for _, p := range changed {
			abs = append(abs, filepath.Join(dir, p))
		}
		if _, err := site.Build(ctx, warmOpts); err != nil {
			t.Fatalf("edit %d (%s): warm build: %v", i, strings.Join(done, ", "), err)
		}
		clean := filepath.Join(t.TempDir(), "clean")
		build(warmOpts, clean)
		if !compareTrees(t, out, clean, true, "after "+strings.Join(done, ", ")+": the warm build") {
			t.FailNow()
		}
		if _, _, err := sess.Update(ctx, abs); err != nil {
			t.Fatalf("edit %d (%s): preview: %v", i, strings.Join(done, ", "), err)
		}
		cleanPreview := filepath.Join(t.TempDir(), "clean-preview")
		build(previewOpts, cleanPreview)
		if !compareTrees(t, preview, cleanPreview, false, "after "+strings.Join(done, ", ")+": the preview") {
			t.FailNow()
		}
	}
}

// compareTrees fails the test where two output folders differ, naming
// what made them (leaving out the search index unless withSearch), and
// reports whether they are the same.
func compareTrees(t *testing.T, gotDir, wantDir string, withSearch bool, what string) bool {
	t.Helper()
	ok := true
	files := func(root string) map[string]string {
		out := map[string]string{}
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(root, p)
			if !withSearch && strings.HasPrefix(filepath.ToSlash(rel), "search/data/") {
				return nil
			}
			b, _ := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = string(b)
			return nil
		})
		return out
	}
	got, want := files(gotDir), files(wantDir)
	for name, w := range want {
		if g, found := got[name]; !found {
			t.Errorf("%s: %s is missing", what, name)
			ok = false
		} else if g != w {
			t.Errorf("%s: %s differs from a clean build's:\n%s", what, name, lineDiff(w, g))
			ok = false
		}
	}
	for name := range got {
		if _, found := want[name]; !found {
			t.Errorf("%s: %s should not be there", what, name)
			ok = false
		}
	}
	return ok
}
