package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
)

// cmdTranslate starts a page's version in another of the site's
// languages: a copy of the page beside it (denis.md → denis.cy.md, a
// bundle's index.md → index.cy.md), marked draft, so it stays out of the
// site (its readers see the original, with a notice) until the
// translator takes the mark off.
func cmdTranslate(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("translate", flag.ContinueOnError)
	fl.SetOutput(stderr)
	siteDir := fl.String("s", ".", "the site `folder`")
	fl.Usage = func() {
		fmt.Fprintln(stderr, `Usage: generator translate content/stories/denis.md LANGUAGE [-s DIR]`)
		fl.PrintDefaults()
	}
	pos, err := parseFlags(fl, args)
	if err != nil {
		return ignoreHelp(err)
	}
	if len(pos) != 2 {
		return usageError{`translate needs a page's file and a language, e.g. generator translate content/stories/denis.md cy`}
	}
	file, lang := filepath.ToSlash(filepath.Clean(pos[0])), pos[1]
	cfg, probs := config.Load(os.DirFS(*siteDir))
	if cfg == nil {
		return &diag.BuildError{Problems: probs}
	}
	tag := ""
	for _, t := range cfg.Langs {
		if strings.EqualFold(t, lang) {
			tag = t
		}
	}
	if tag == "" || tag == cfg.Language {
		others := slices.DeleteFunc(slices.Clone(cfg.Langs), func(t string) bool { return t == cfg.Language })
		if len(others) == 0 {
			return usageError{fmt.Sprintf("the site is in one language; add [languages.%s] to site.toml first", lang)}
		}
		return usageError{fmt.Sprintf("%q is not one of the site's other languages (%s)", lang, strings.Join(others, ", "))}
	}
	if !strings.HasPrefix(file, content.Dir+"/") || path.Ext(file) != ".md" {
		return usageError{fmt.Sprintf("%s is not a page of the site: name a Markdown file under content/, e.g. content/stories/denis.md", file)}
	}
	src, err := os.ReadFile(filepath.Join(*siteDir, filepath.FromSlash(file)))
	if err != nil {
		return err
	}
	// the name without a language, then with this one
	stem := strings.TrimSuffix(file, ".md")
	for _, t := range cfg.Langs {
		if s, ok := strings.CutSuffix(stem, "."+t); ok {
			stem = s
		}
	}
	return createFile(stdout, *siteDir, stem+"."+tag+".md", draft(src), "edit that file")
}

// draft marks a page's front matter draft, unless it says already
// whether it is one.
func draft(src []byte) []byte {
	for _, d := range []struct{ fence, line, key string }{{"---", "draft: true", "draft:"}, {"+++", "draft = true", "draft ="}} {
		head, rest, ok := bytes.Cut(src, []byte("\n"))
		if !ok || string(bytes.TrimSpace(head)) != d.fence {
			continue
		}
		meta, _, found := bytes.Cut(rest, []byte("\n"+d.fence))
		if !found || bytes.Contains(append([]byte("\n"), meta...), []byte("\n"+d.key)) {
			return src
		}
		return slices.Concat(head, []byte("\n"+d.line+"\n"), rest)
	}
	return src
}
