package site

import (
	"cmp"
	"context"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/feed"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/render"
)

// langRun is one language of a site in several. The default language is
// built first, at the output's root; each other one after it, into its
// folder of the same output, linking the files the default one copied
// (static files, bundles' files, pictures' copies) instead of copying
// them again. One Commit puts every language in place at once.
type langRun struct {
	tag  string
	own  bool         // published on a host of its own (base_url): shares no files with the root
	site *config.Site // the whole site's settings
	// in are the site's settings in each language, by tag, for links to
	// the other languages' pages
	in    map[string]*config.Site
	outer *publish.Publisher // the default language's; nil for the default
	// shared are the default language's copied files (builder.copied),
	// for the other languages: slash path → true
	shared map[string]bool
}

// content sets which language content.Load reads.
func (l *langRun) content(o *content.Options) {
	if l == nil {
		return
	}
	o.Language, o.Languages, o.Untranslated = l.tag, l.site.Langs, l.site.Untranslated
}

// languages are the site's languages as the views link them; nil for a
// site in one.
func (l *langRun) languages() []render.Language {
	if l == nil {
		return nil
	}
	var out []render.Language
	for _, tag := range l.site.Langs {
		c := l.in[tag]
		link := c.Link
		if l.own || l.site.OwnHost(tag) { // on another host
			link = c.URL
		}
		out = append(out, render.Language{Tag: tag, Name: l.site.Languages[tag].Name, Link: link, URL: c.URL})
	}
	return out
}

// publisher is the build's: a new one, or a folder of the default
// language's.
func (l *langRun) publisher(o Options) (*publish.Publisher, error) {
	if l == nil || l.outer == nil {
		return publish.Begin(o.OutDir, o.publishOptions())
	}
	return l.outer.Sub(strings.Trim(l.site.LangPath(l.tag), "/")), nil
}

// makesFile says whether the build copies or makes the file rel itself,
// and notes it as one the other languages share: false when the default
// language's output has it already.
func (b *builder) makesFile(rel string) bool {
	if b.lang != nil && !b.lang.own && b.lang.shared[rel] {
		return false
	}
	b.copied.Store(rel, true)
	return true
}

// buildLanguages builds a site in several languages, the default first,
// each as a site of its own under its folder; a problem in any of them
// leaves the last output as it was. A problem reported by several
// languages alike is reported once.
func buildLanguages(ctx context.Context, o Options, cfg *config.Site, fsys fs.FS, probs *diag.List, start time.Time) (*builder, *Result, error) {
	o.spill = nil
	var first *builder
	var builds []*builder
	seen := map[string]bool{}
	in := map[string]*config.Site{}
	for _, tag := range cfg.Langs {
		in[tag] = cfg.ForLanguage(tag, nil)
	}
	for i, tag := range cfg.Langs {
		run := &langRun{tag: tag, site: cfg, in: in, own: cfg.OwnHost(tag)}
		lc := in[tag]
		own := probs
		if i > 0 {
			run.outer, run.shared = first.pub, map[string]bool{}
			if !run.own {
				first.copied.Range(func(k, _ any) bool {
					run.shared[k.(string)] = true
					return true
				})
				lc = cfg.ForLanguage(tag, func(p string) bool { return run.shared[sharedPath(p)] })
			}
			own = &diag.List{}
		}
		b, err := prepare(ctx, o, lc, fsys, own, run)
		if own != probs {
			for _, p := range own.All() {
				if k := p.OneLine(); !seen[k] {
					seen[k] = true
					probs.Add(p)
				}
			}
			if b != nil {
				b.probs = probs
			}
		} else {
			for _, p := range own.All() {
				seen[p.OneLine()] = true
			}
		}
		if err == nil && probs.HasErrors() {
			err = probs.Err()
		}
		if err != nil {
			if first != nil {
				first.pub.Abort()
			}
			return nil, nil, err
		}
		if i == 0 {
			first = b
		}
		builds = append(builds, b)
	}
	// the files hosts read at the site's root, for every language on its
	// host; a language on a host of its own has its own
	for _, b := range builds {
		if b == first || !b.lang.own {
			first.all = append(first.all, b)
		}
	}
	for _, b := range builds {
		if b == first || b.lang.own {
			b.run(func(emit func(job)) {
				emit(b.writeHeaders)
				emit(b.writeRedirects)
				emit(b.writeRobots)
			})
		}
	}
	if err := ctx.Err(); err != nil || probs.HasErrors() {
		first.pub.Abort()
		return nil, nil, cmp.Or(err, probs.Err())
	}
	_, res, err := first.finish(o, start)
	if err != nil {
		return nil, nil, err
	}
	for _, b := range builds {
		if b != first {
			files, size := b.pub.Counts()
			res.Files += files
			res.Bytes += size
			res.Pages += int(b.pages.Load())
		}
		res.Languages = append(res.Languages, Language{Tag: b.lang.tag, Name: cfg.Languages[b.lang.tag].Name, Pages: int(b.pages.Load()),
			Untranslated: b.lib.Untranslated, Omitted: cfg.Untranslated == config.OmitUntranslated})
	}
	res.Warnings = probs.Warnings()
	return first, res, nil
}

// sitemapURL adds a page to the sitemap: on a site in several
// languages, with its versions in each (those with their own: t.Langs,
// or every language for pages without), and not at all when it is shown
// in another language's version, whose address is its canonical one.
func (b *builder) sitemapURL(urls []feed.URL, path string, t content.Translation, lastMod time.Time) []feed.URL {
	u := feed.URL{Loc: b.cfg.URL(path), LastMod: lastMod}
	if b.lang == nil {
		return append(urls, u)
	}
	if t.Fallback {
		return urls
	}
	for _, tag := range b.lang.site.Langs {
		if t.Langs == nil || slices.Contains(t.Langs, tag) {
			u.Alternates = append(u.Alternates, feed.Alternate{Lang: tag, Href: b.lang.in[tag].URL(path)})
		}
	}
	if len(u.Alternates) < 2 {
		u.Alternates = nil
	}
	return append(urls, u)
}

// langs are the builders of the site's languages: b alone for a site
// in one.
func (b *builder) langs() []*builder {
	if b.all != nil {
		return b.all
	}
	return []*builder{b}
}

// sharedPath is the slash path of the output a site path names, without
// its query or fragment: "/css/main.css?v=2" → "css/main.css".
func sharedPath(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	return strings.TrimPrefix(p, "/")
}
