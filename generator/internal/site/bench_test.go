package site_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// BenchmarkBuild1k and BenchmarkBuild10k time full minified builds of a
// generated site (sitetest.Generate, seed 1). The site is written once,
// outside the timer; each iteration builds into a fresh output folder, and
// the folder is removed outside the timer. They report pages/s (HTML pages
// written per second of build) and allocations.
//
//	go test -run '^$' -bench 'Build1k' -benchmem ./generator/internal/site/
//	go test -run '^$' -bench 'Build10k' -benchmem ./generator/internal/site/
//
// BenchmarkBuild10kNoSearch is BenchmarkBuild10k without the search index,
// so that the two give what the index adds to a build:
//
//	TMPDIR=/dev/shm go test -run '^$' -bench 'Build10k' -count 3 ./generator/internal/site/
//
// (In tmpfs: each iteration's output is removed, and on a file system
// without a journal ext4 is slow to create files where thousands were just
// deleted; see bench/compare.sh. On 2026-11-24, 2 cores: 12.2 s with the
// index, 11.0 s without, so the index adds 11%, 0.12 s per 1,000 items.)
func BenchmarkBuild1k(b *testing.B)          { benchBuild(b, 1000, true) }
func BenchmarkBuild10k(b *testing.B)         { benchBuild(b, 10000, true) }
func BenchmarkBuild10kNoSearch(b *testing.B) { benchBuild(b, 10000, false) }

// BenchmarkBuild10kCache is BenchmarkBuild10k keeping a cache for the next
// build (Options.Cache, Clean): what a clean generator build costs.
func BenchmarkBuild10kCache(b *testing.B) {
	benchBuild(b, 10000, true, func(o *site.Options) { o.Cache, o.Clean = true, true })
}

func benchBuild(b *testing.B, n int, withSearch bool, set ...func(*site.Options)) {
	dir := b.TempDir()
	siteDir := filepath.Join(dir, "site")
	if err := sitetest.Generate(siteDir, n, 1); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	pages, i := 0, 0
	for b.Loop() {
		out := filepath.Join(dir, fmt.Sprintf("public-%d", i))
		i++
		o := site.Options{SiteDir: siteDir, OutDir: out, Minify: true, Generator: "otpress bench"}
		for _, f := range set {
			f(&o)
		}
		if !withSearch {
			o = site.WithoutSearch(o)
		}
		res, err := site.Build(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		pages += res.Pages
		b.StopTimer()
		if err := os.RemoveAll(out); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(pages)/s, "pages/s")
	}
}

// BenchmarkWarmBuild10k times a build with the cache of the last one
// (Options.Cache) into the same output, nothing changed, so every page is
// taken from the last build; BenchmarkColdBuild10kCache is the same build
// with Clean, which computes every fingerprint and executes every page.
// The Text, Themes and Template benchmarks change one thing before each
// build, outside the timer: the next story's text, the next story's first
// theme, or the story template (a site's own copy of it). Each reports the
// files the build wrote that were not as before (written/op).
//
//	TMPDIR=/dev/shm go test -run '^$' -bench 'Build10kCache|WarmBuild10k' -count 3 ./generator/internal/site/
func BenchmarkWarmBuild10k(b *testing.B)         { benchCache(b, 10000, false, nil) }
func BenchmarkColdBuild10kCache(b *testing.B)    { benchCache(b, 10000, true, nil) }
func BenchmarkWarmBuild10kText(b *testing.B)     { benchCache(b, 10000, false, editText) }
func BenchmarkWarmBuild10kThemes(b *testing.B)   { benchCache(b, 10000, false, editThemes) }
func BenchmarkWarmBuild10kTemplate(b *testing.B) { benchCache(b, 10000, false, editTemplate) }

// an edit changes the site before build i
type edit func(b *testing.B, siteDir string, i int)

func editText(b *testing.B, siteDir string, i int) {
	p := nthStory(b, siteDir, i)
	src, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	writeFile(b, p, string(src)+fmt.Sprintf("\nA sentence added in build %d.\n", i))
}

func editThemes(b *testing.B, siteDir string, i int) {
	p := nthStory(b, siteDir, i)
	src, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	writeFile(b, p, swapTheme(b, p, string(src)))
}

func editTemplate(b *testing.B, siteDir string, i int) {
	builtIn, err := os.ReadFile("../../../themes/default/templates/story.html")
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(siteDir, "themes", "default", "templates", "story.html")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		b.Fatal(err)
	}
	writeFile(b, p, strings.Replace(string(builtIn), "</article>", fmt.Sprintf("<p>Edition %d.</p></article>", i), 1))
}

func nthStory(b *testing.B, siteDir string, i int) string {
	stories, err := filepath.Glob(filepath.Join(siteDir, "content", "stories", "*.md"))
	if err != nil || len(stories) == 0 {
		b.Fatalf("%d stories, %v", len(stories), err)
	}
	slices.Sort(stories)
	return stories[i%len(stories)]
}

func writeFile(b *testing.B, p, data string) {
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		b.Fatal(err)
	}
}

func benchCache(b *testing.B, n int, clean bool, change edit) {
	dir := b.TempDir()
	siteDir := filepath.Join(dir, "site")
	if err := sitetest.Generate(siteDir, n, 1); err != nil {
		b.Fatal(err)
	}
	o := site.Options{SiteDir: siteDir, OutDir: filepath.Join(dir, "public"), Minify: true, Generator: "otpress bench", Cache: true}
	if _, err := site.Build(context.Background(), o); err != nil {
		b.Fatal(err)
	}
	o.Clean = clean
	b.ReportAllocs()
	written, i := int64(0), 0
	for b.Loop() {
		if change != nil {
			b.StopTimer()
			change(b, siteDir, i)
			b.StartTimer()
		}
		i++
		res, err := site.Build(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		if want := int64(res.Pages); !clean && change == nil && res.Reused != want {
			b.Fatalf("reused %d of %d pages", res.Reused, want)
		}
		written += res.Files - res.Unchanged
	}
	b.ReportMetric(float64(written)/float64(i), "written/op")
}

// swapTheme replaces a story's first theme with one it does not have.
func swapTheme(b *testing.B, p, src string) string {
	_, rest, _ := strings.Cut(src, "\nthemes:\n")
	first, _, _ := strings.Cut(rest, "\n")
	to := ""
	for _, th := range []string{"stroke", "dementia", "hand-therapy", "falls-prevention", "mental-health", "social-prescribing", "workforce", "research"} {
		if !strings.Contains(strings.ToLower(strings.ReplaceAll(rest, " ", "-")), th) {
			to = th
			break
		}
	}
	if first == "" || to == "" {
		b.Fatalf("%s: no theme to replace", p)
	}
	return strings.Replace(src, "\nthemes:\n"+first+"\n", "\nthemes:\n  - "+to+"\n", 1)
}

// BenchmarkSessionTheme10k times the preview's update after an editor
// replaces a story's first theme with one it does not have, as
// bench/preview's theme edit does, on the generated 10k site: the story
// moves between theme pages, lists and related lists, through the page plan
// (plan.go). Each iteration edits the next story; putting the file back is
// outside the timer. It reports the pages each update rewrites, the time
// from the start of an update to the story's own page in place (ms-early,
// what the editor waits for), and the heap the session holds between
// edits (MB-live). BenchmarkSessionText10k adds a sentence to a story's
// text instead: the story's page alone, in place; BenchmarkSessionTitle10k
// changes its title, which the pages listing it show, through the page
// plan. Figures are in bench/README.md.
//
//	TMPDIR=/dev/shm go test -run '^$' -bench 'Session.*10k' -benchtime 8x ./generator/internal/site/
func BenchmarkSessionTheme10k(b *testing.B) {
	benchSession(b, func(p, src string) string { return swapTheme(b, p, src) })
}

func BenchmarkSessionText10k(b *testing.B) {
	benchSession(b, func(p, src string) string { return src + "\nA sentence added in the preview.\n" })
}

func BenchmarkSessionTitle10k(b *testing.B) {
	benchSession(b, func(p, src string) string { return strings.Replace(src, "\ntitle: \"", "\ntitle: \"Edited: ", 1) })
}

func benchSession(b *testing.B, edit func(p, src string) string) {
	dir := b.TempDir()
	siteDir := filepath.Join(dir, "site")
	if err := sitetest.Generate(siteDir, 10000, 1); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	sess := site.NewSession(site.Options{SiteDir: siteDir, OutDir: filepath.Join(dir, "public"), Drafts: true, Future: true, Generator: "otpress bench"})
	if _, _, err := sess.Update(ctx, nil); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live) // what the preview holds between edits
	stories, err := filepath.Glob(filepath.Join(siteDir, "content", "stories", "*.md"))
	if err != nil || len(stories) == 0 {
		b.Fatalf("%d stories, %v", len(stories), err)
	}
	slices.Sort(stories)
	changed := 0            // pages rewritten, edits and their undoing
	var early time.Duration // from each timed update's start to its story's page in place (Session.Early)
	earlies := 0
	var began time.Time
	timed := false
	sess.Early = func([]string) {
		if timed {
			early += time.Since(began)
			earlies++
		}
	}
	update := func(p, data string) {
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
		began = time.Now()
		res, partial, err := sess.Update(ctx, []string{p})
		if err != nil || !partial {
			b.Fatalf("%s: partial %v, %v", p, partial, err)
		}
		changed += len(res.Changed)
	}
	i := 0
	for b.Loop() {
		p := stories[i%len(stories)]
		i++
		old, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		src := string(old)
		timed = true
		update(p, edit(p, src))
		timed = false
		b.StopTimer()
		update(p, src)
		b.StartTimer()
	}
	b.ReportMetric(float64(changed)/float64(2*i), "pages/update")
	if earlies > 0 {
		b.ReportMetric(float64(early.Milliseconds())/float64(earlies), "ms-early")
	}
	b.ReportMetric(float64(live[0].Value.Uint64()>>20), "MB-live")
}
