package site_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

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

func benchBuild(b *testing.B, n int, withSearch bool) {
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
