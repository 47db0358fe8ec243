// Package render owns the theme: it loads the templates once (a site's
// themes/<name>/ files over the built-in default theme), builds the view
// models templates see, and executes them. Template problems are reported at
// the template's file:line:col.
package render

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	ttemplate "text/template"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/harvard"
	"github.com/otpress/otpress/generator/internal/words"
	"github.com/otpress/otpress/themes"
)

// ThemesDir is the folder of site themes.
const ThemesDir = "themes"

// Page templates every theme provides (the default theme supplies any a site
// theme leaves out).
var pageTemplates = []string{"home.html", "list.html", "story.html", "episode.html", "feature.html", "theme.html", "themes.html", "404.html", "alias.html", "page.html", "search.html", "pack.html", "pack-print.html", "packs.html", "pack-mine.html", "evidence.html", "sources.html"}

// Options configure a Renderer.
type Options struct {
	Site      *config.Site
	SiteFS    fs.FS  // the site folder; its themes/<name>/ overrides the default theme
	Generator string // "otpress 0.1.0", for the generator meta tag
	// Pages are the standalone pages, linked from every page's footer.
	Pages []*content.Page
	// Podcast says the site has a podcast feed, so episode pages link to it.
	Podcast bool
	// Sources says the site has sources, so every page's footer links to
	// the list of them, /sources/.
	Sources bool
	// Compact minifies the theme's markup once, as the templates load, so
	// that pages come out compact without minifying each (compact.go).
	Compact bool
	// Languages are the site's languages, the default first, when it has
	// several; Omit says a page without a version in a language is left
	// out of it (else shown in another's).
	Languages []Language
	Omit      bool
}

// Renderer executes page templates; it is safe for concurrent use.
type Renderer struct {
	cfg     *config.Site
	words   *words.Words
	podcast bool
	site    *SiteView
	files   *overlay
	pages   map[string]*template.Template
	bib     *harvard.Bibliography // the site's sources in the house style
	cache   sync.Map              // the "cached" template function's HTML, by key
	parts   Parts                 // and kept between builds (KeepParts); nil: not
	// compact holds the template files loaded compact, by name
	// ("story.html", "partials/card.html"), when Options.Compact is set
	compact  map[string]*compacted
	srcSums  map[string][32]byte // each template file's sha256, by name, as parsed
	sums     map[string][32]byte // TemplateSum of each page template
	siteOnce sync.Once
	siteSum  [32]byte           // SiteSum's
	pictures map[string]Picture // copies of the site's pictures (SetPictures)
	cardSum  *[32]byte          // what every card shows (SetCards); nil: no cards
	langs    []Language         // Options.Languages
	// harvard is the house style's words in the site's language
	// (HarvardWords)
	harvardOnce sync.Once
	harvard     harvard.Words
	omit        bool
}

// New loads and parses the theme. Every problem is returned at once.
func New(o Options) (*Renderer, []*diag.Problem) {
	var probs []*diag.Problem
	ov := &overlay{bottom: themes.Default, bottomName: "themes/default"}
	if o.SiteFS != nil {
		dir := path.Join(ThemesDir, o.Site.Theme)
		if fi, err := fs.Stat(o.SiteFS, dir); err == nil && fi.IsDir() {
			if probs = siteLinks(o.SiteFS, dir); len(probs) > 0 {
				return nil, probs
			}
			sub, _ := fs.Sub(o.SiteFS, dir)
			ov.top, ov.topName = sub, dir
		} else if o.Site.Theme != "default" {
			probs = append(probs, diag.Errorf(config.File, 0, 0, "theme %q was not found: there is no folder %s", o.Site.Theme, dir).
				WithHint(`create the folder, or remove the theme setting to use the built-in theme`))
			return nil, probs
		}
	}
	layers := []words.Layer{{FS: themes.Default, Dir: words.Dir, Name: "themes/default/" + words.Dir}}
	if ov.top != nil {
		layers = append(layers, words.Layer{FS: ov.top, Dir: words.Dir, Name: path.Join(ov.topName, words.Dir)})
	}
	if o.SiteFS != nil {
		layers = append(layers, words.Layer{FS: o.SiteFS, Dir: words.Dir, Name: words.Dir})
	}
	w, wprobs := words.Load(layers, o.Site.Language)
	if w == nil {
		return nil, wprobs
	}
	r := &Renderer{cfg: o.Site, podcast: o.Podcast, files: ov, words: w, langs: o.Languages, omit: o.Omit, pages: map[string]*template.Template{}, srcSums: map[string][32]byte{}, sums: map[string][32]byte{}}
	if o.Compact {
		r.compact = map[string]*compacted{}
	}
	r.site = newSiteView(o.Site, o.Generator, o.Pages, w)
	if o.Sources {
		r.site.SourcesHref = o.Site.Link(SourcesPath)
	}

	base := template.New("").Funcs(funcs(o.Site, w)).Funcs(template.FuncMap{"cached": r.cached, "link": r.link})
	shared, err := fs.Glob(ov, "templates/partials/*.html")
	if err != nil {
		return nil, []*diag.Problem{diag.Errorf(ov.origin("templates"), 0, 0, "%v", err)}
	}
	shared = append([]string{"templates/base.html"}, shared...)
	for _, name := range shared {
		if p := r.parse(base, name); p != nil {
			probs = append(probs, p)
		}
	}
	for _, name := range pageTemplates {
		t, err := base.Clone()
		if err != nil {
			probs = append(probs, diag.Errorf(ov.origin("templates/"+name), 0, 0, "%v", err))
			continue
		}
		if p := r.parse(t, "templates/"+name); p != nil {
			probs = append(probs, p)
			continue
		}
		r.pages[name] = t
	}
	if len(probs) > 0 {
		return nil, append(wprobs, probs...)
	}
	for _, name := range pageTemplates {
		h := sha256.New()
		for _, f := range slices.Concat(shared, []string{"templates/list.html", "templates/" + name}) {
			sum := r.srcSums[strings.TrimPrefix(f, "templates/")]
			fmt.Fprintf(h, "%s %x\n", f, sum)
		}
		var sum [32]byte
		h.Sum(sum[:0])
		r.sums[name] = sum
	}
	return r, wprobs
}

// Words are the theme's words in the site's language.
func (r *Renderer) Words() *words.Words { return r.words }

// TemplateSum is a hash of the template files a page of the named template
// may execute: its own, base.html, the partials, and list.html, whose set
// renders every card and related item. Two pages with the same view
// (Fingerprint) and the same TemplateSum execute to the same bytes.
func (r *Renderer) TemplateSum(page string) [32]byte { return r.sums[page] }

func (r *Renderer) parse(t *template.Template, name string) *diag.Problem {
	src, err := fs.ReadFile(r.files, name)
	if err != nil {
		return diag.Errorf(r.files.origin(name), 0, 0, "the theme has no %s", name).WithHint("restore the file, or delete the site's copy to use the built-in one")
	}
	short := strings.TrimPrefix(name, "templates/")
	r.srcSums[short] = sha256.Sum256(src)
	if r.compact != nil {
		// compact when that parses; otherwise the file as written, which
		// also gives any parse error at its place in the file
		if c, ok := compactTemplate(src); ok {
			if _, err := t.New(short).Parse(c.text); err == nil {
				r.compact[short] = c
				return nil
			}
		}
	}
	if _, err := t.New(short).Parse(string(src)); err != nil {
		return r.templateProblem(err)
	}
	return nil
}

// siteLinks refuses symbolic links in the site's theme folder that lead out
// of the site, round in a circle or nowhere: the theme's files are
// published, and must never bring in a file from elsewhere on the computer.
func siteLinks(fsys fs.FS, dir string) []*diag.Problem {
	if pr, _ := content.CheckLink(fsys, dir); pr != nil {
		return []*diag.Problem{pr}
	}
	var probs []*diag.Problem
	_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type()&fs.ModeSymlink != 0 {
			if pr, _ := content.CheckLink(fsys, p); pr != nil {
				probs = append(probs, pr)
			}
		}
		return nil
	})
	return probs
}

// tmplErr matches "template: story.html:12:5: message",
// "template: story.html:12: message" and html/template's
// "html/template:story.html:12:5: message". Go counts the column from 0.
var tmplErr = regexp.MustCompile(`(?s)^(?:html/)?template: ?([^:]+):(\d+):(?:(\d+):)? ?(.*)$`)

// innerErr finds where a template error says it was called from another
// template: "... at <.Card>: error calling Card: template: partials/card.html:7:11: ...".
var innerErr = regexp.MustCompile(`: error calling [^:]+: (?:html/)?template: ?[^:\s]+:\d+:`)

// templateProblem turns an html/template error into a positioned problem
// in the theme file it came from: for an error in a template that another
// called (a partial, a cached part), in the one called, where it is to be
// fixed.
func (r *Renderer) templateProblem(err error) *diag.Problem {
	msg := err.Error()
	if at := innerErr.FindAllStringIndex(msg, -1); at != nil {
		last := at[len(at)-1]
		msg = msg[strings.Index(msg[last[0]:last[1]], "template")+last[0]:]
	}
	m := tmplErr.FindStringSubmatch(msg)
	if m == nil {
		return diag.Errorf(r.files.origin("templates"), 0, 0, "%s", msg)
	}
	line, _ := strconv.Atoi(m[2])
	col, err := strconv.Atoi(m[3])
	if err == nil {
		col++ // from 0, as text/template counts, to 1
	}
	text := m[4]
	p := diag.Errorf(r.files.origin("templates/"+m[1]), line, col, "%s", text)
	if src, err := fs.ReadFile(r.files, "templates/"+m[1]); err == nil {
		p.AttachSource(src) // the line of the file the problem names
	}
	switch {
	case strings.Contains(text, "error calling t:") || strings.Contains(text, "error calling tn:") || strings.Contains(text, "error calling th:"):
		p.Hint = "the theme's words are named in themes/default/i18n/en-GB.toml: t and tn show plain words, th those written in HTML (names ending in _html)"
	case strings.Contains(text, "can't evaluate field"):
		p.Hint = "the page has no such field; the fields templates can use are listed in docs/ARCHITECTURE.md under Templates"
	case strings.Contains(text, "function") && strings.Contains(text, "not defined"):
		p.Hint = "the functions templates can use are listed in docs/ARCHITECTURE.md under Templates"
	case strings.Contains(text, "unexpected"):
		p.Hint = "check that every {{ has a matching }} and every {{if}}, {{range}}, {{with}} and {{define}} has an {{end}}"
	case strings.Contains(text, "index out of range"):
		p.Hint = "some pages have a shorter list: check its length first, e.g. {{if gt (len .Item.Authors) 1}}, or go through it with {{range}}"
	case strings.Contains(text, "nil pointer") || strings.Contains(text, "nil data"):
		p.Hint = "the value is missing on some pages: show it inside {{with ...}} ... {{end}}, which skips it when it is missing"
	case strings.Contains(text, "wrong number of args") || strings.Contains(text, "wrong type for value"):
		p.Hint = "the functions templates can use, and what each takes, are listed in docs/ARCHITECTURE.md under Templates"
	}
	return p
}

// Execute renders a page with its kind's template.
func (r *Renderer) Execute(w io.Writer, p *Page) error {
	t := r.pages[p.Template]
	if t == nil {
		return fmt.Errorf("no template %s", p.Template)
	}
	p.Site = r.site
	r.translate(p)
	p.JSONLD = r.jsonLD(p)
	if err := t.ExecuteTemplate(w, "base.html", p); err != nil {
		var ee ttemplate.ExecError
		if errors.As(err, &ee) {
			err = ee.Err
		}
		return r.templateProblem(errors.New(r.asWritten(err.Error())))
	}
	return nil
}

// cached renders the named template once for each page template and set
// of keys, and gives the same HTML every time after. It is for the parts
// of a page that many pages share, such as the site's header (one for each
// section) and footer, which were a third of the time a page's template
// took: {{cached "site-footer" .}}. What the template shows must follow
// from the page template, the site and the keys, because it is rendered
// with the data of the first page that asks. With Parts kept (KeepParts),
// a part the last build rendered from the same templates, site and keys is
// taken from there.
func (r *Renderer) cached(name string, data any, keys ...any) (template.HTML, error) {
	var key strings.Builder
	key.WriteString(name)
	tmpl := "list.html"
	if p, ok := data.(*Page); ok && r.pages[p.Template] != nil {
		tmpl = p.Template
		key.WriteString("\x00" + p.Template)
	}
	for _, k := range keys {
		fmt.Fprintf(&key, "\x00%T:%v", k, k)
	}
	v, _ := r.cache.LoadOrStore(key.String(), &cardCache{})
	c := v.(*cardCache)
	if r.parts == nil {
		return c.render(r.pages[tmpl], name, data)
	}
	c.once.Do(func() { c.html, c.err = r.part(tmpl, name, data, key.String()) })
	return c.html, c.err
}

// part is the named template of tmpl's set executed with data, or, with
// Parts kept, the HTML the last build kept under a key of the templates,
// the site and key (which must say everything else the part shows).
func (r *Renderer) part(tmpl, name string, data any, key string) (template.HTML, error) {
	ts, ss := r.TemplateSum(tmpl), r.SiteSum()
	h := sha256.New()
	h.Write(ts[:])
	h.Write(ss[:])
	h.Write([]byte(key))
	var k [32]byte
	h.Sum(k[:0])
	if html, ok := r.parts.Part(k); ok {
		return html, nil
	}
	html, err := execute(r.pages[tmpl], name, data)
	if err == nil {
		r.parts.KeepPart(k, html)
	}
	return html, err
}

// Parts keeps the parts of pages that the "cached" template function
// renders from one build to the next, by a key of the templates, the
// site and the part's own keys.
type Parts interface {
	Part(key [32]byte) (template.HTML, bool)
	KeepPart(key [32]byte, html template.HTML)
}

// KeepParts has the "cached" template function take parts from p, and
// keep there those it renders, before pages are made.
func (r *Renderer) KeepParts(p Parts) { r.parts = p }

// StaticFiles lists the theme's static files (site copies first), as paths
// relative to static/, sorted. Open them with OpenStatic.
func (r *Renderer) StaticFiles() ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, fsys := range []fs.FS{r.files.top, r.files.bottom} {
		if fsys == nil {
			continue
		}
		err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == "static" {
				return fs.SkipAll
			}
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return err
			}
			rel := strings.TrimPrefix(p, "static/")
			if !seen[rel] {
				seen[rel] = true
				out = append(out, rel)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// Origin names the theme file a page template comes from: the site's own
// copy or the built-in one.
func (r *Renderer) Origin(template string) string { return r.files.origin("templates/" + template) }

// StaticOrigin names the theme file a static file (as StaticFiles lists
// it) comes from: the site's own copy or the built-in one.
func (r *Renderer) StaticOrigin(file string) string { return r.files.origin("static/" + file) }

// Files is the theme's merged file system (templates/ and static/).
func (r *Renderer) Files() fs.FS { return r.files }

// overlay reads a file from the site's theme folder when it has one, and
// from the built-in theme otherwise.
type overlay struct {
	top, bottom         fs.FS
	topName, bottomName string
}

func (o *overlay) Open(name string) (fs.File, error) {
	if o.top != nil {
		if f, err := o.top.Open(name); err == nil {
			return f, nil
		}
	}
	return o.bottom.Open(name)
}

// ReadDir merges both layers, so Glob sees files from either.
func (o *overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	var all []fs.DirEntry
	var firstErr error
	for _, l := range []fs.FS{o.top, o.bottom} {
		if l == nil {
			continue
		}
		es, err := fs.ReadDir(l, name)
		if err != nil {
			firstErr = err
			continue
		}
		for _, e := range es {
			if !slices.ContainsFunc(all, func(x fs.DirEntry) bool { return x.Name() == e.Name() }) {
				all = append(all, e)
			}
		}
	}
	if all == nil && firstErr != nil {
		return nil, firstErr
	}
	slices.SortFunc(all, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return all, nil
}

// origin names the file a theme path comes from, for messages.
func (o *overlay) origin(name string) string {
	if o.top != nil {
		if _, err := fs.Stat(o.top, name); err == nil {
			return path.Join(o.topName, name)
		}
	}
	return path.Join(o.bottomName, name)
}
