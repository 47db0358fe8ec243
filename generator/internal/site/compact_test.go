package site_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestCompactTemplatesSamePages builds sites minified (compact templates,
// pages written as they come) and not (templates as written), and checks
// that every page is the same document: minifying either page gives the
// same bytes. Compact pages must also be smaller than the plain ones, and
// an HTML comment in content (raw HTML) must not be published.
func TestCompactTemplatesSamePages(t *testing.T) {
	everything, err := os.ReadFile(filepath.Join("testdata", "sites", "everything.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	fixture := sitetest.Write(t, string(everything)).Dir
	sites := map[string]string{
		"example site":     filepath.Join("..", "..", ".."),
		"everything.txtar": fixture,
	}
	for name, dir := range sites {
		t.Run(name, func(t *testing.T) {
			compact, plain := t.TempDir(), t.TempDir()
			for out, minify := range map[string]bool{compact: true, plain: false} {
				if _, err := site.Build(context.Background(), site.Options{SiteDir: dir, OutDir: out, Minify: minify, Generator: "otpress test"}); err != nil {
					t.Fatal(err)
				}
			}
			pages, compactBytes, plainBytes := 0, 0, 0
			err := filepath.WalkDir(plain, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
					return err
				}
				rel, _ := filepath.Rel(plain, p)
				a, err := os.ReadFile(filepath.Join(compact, rel))
				if err != nil {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				ma, err := publish.Minify(".html", a)
				if err != nil {
					return err
				}
				mb, err := publish.Minify(".html", b)
				if err != nil {
					return err
				}
				if string(ma) != string(mb) {
					i := 0
					for i < min(len(ma), len(mb)) && ma[i] == mb[i] {
						i++
					}
					t.Errorf("%s differs from the page made with templates as written, at byte %d:\ncompact: %q\nplain:   %q", rel, i, around(ma, i), around(mb, i))
				}
				pages++
				compactBytes += len(a)
				plainBytes += len(b)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if pages < 20 {
				t.Fatalf("only %d pages compared", pages)
			}
			if compactBytes >= plainBytes {
				t.Errorf("compact pages are %d bytes, not fewer than the plain pages' %d", compactBytes, plainBytes)
			}
			t.Logf("%d pages: %d bytes compact, %d as written", pages, compactBytes, plainBytes)
		})
	}
}

func around(b []byte, i int) string {
	return string(b[max(0, i-60):min(len(b), i+60)])
}

// TestCompactKeepsNoComments: raw HTML in content may carry comments,
// notes for other editors; a minified build never publishes them, though
// its pages are otherwise written as the compact templates make them.
func TestCompactKeepsNoComments(t *testing.T) {
	s := sitetest.Write(t, `
-- site.toml --
title = "Comments"
base_url = "https://example.org/"
[markup]
unsafe = true
-- content/stories/rose.md --
---
title: Rose gardens again
date: 2024-05-01
themes: [co-production]
summary: Rose plants out her seedlings.
---
Rose plants out her seedlings.

<!-- editor: check the date with Rose -->

She says it keeps her going.
`)
	if _, err := site.Build(context.Background(), site.Options{SiteDir: s.Dir, OutDir: s.Out, Minify: true, Generator: "otpress test"}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(s.Out, "stories", "rose", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(page), "editor: check") || !strings.Contains(string(page), "keeps her going") {
		t.Errorf("the page keeps the comment, or lost its text:\n%s", page)
	}
}
