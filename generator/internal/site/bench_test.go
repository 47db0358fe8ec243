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
func BenchmarkBuild1k(b *testing.B)  { benchBuild(b, 1000) }
func BenchmarkBuild10k(b *testing.B) { benchBuild(b, 10000) }

func benchBuild(b *testing.B, n int) {
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
		res, err := site.Build(context.Background(), site.Options{SiteDir: siteDir, OutDir: out, Minify: true, Generator: "otpress bench"})
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
