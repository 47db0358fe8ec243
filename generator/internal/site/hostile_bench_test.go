package site_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// BenchmarkHostile builds the small base site with each hostile shape of
// sitetest.Shapes added: files of up to 2 MB nested, flat, or full of one
// kind of markup. Each must build, or fail with its problems, in well
// under a second; bench/HOSTILE.md has the figures before and after.
//
//	go test -run '^$' -bench 'Hostile' -benchtime 1x ./generator/internal/site/
//	go test -run '^$' -bench 'Hostile/md-emph-mixed$' -cpuprofile cpu.out ./generator/internal/site/
func BenchmarkHostile(b *testing.B) {
	for _, sh := range sitetest.Shapes() {
		b.Run(sh.Name, func(b *testing.B) {
			dir := b.TempDir()
			for name, data := range sitetest.HostileBase {
				write(b, filepath.Join(dir, name), data)
			}
			for name, data := range sh.Files {
				write(b, filepath.Join(dir, name), data)
			}
			out := filepath.Join(dir, "public")
			for b.Loop() {
				_, err := site.Build(context.Background(), site.Options{SiteDir: dir, OutDir: out, Minify: true, Generator: "otpress bench"})
				var be *diag.BuildError
				if err != nil && !errors.As(err, &be) {
					b.Fatal(err)
				}
			}
		})
	}
}

func write(b *testing.B, p, data string) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		b.Fatal(err)
	}
}
