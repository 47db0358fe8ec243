// Package site is the only package that knows the order of the build: it
// reads the configuration and content, resolves themes, loads the theme, and
// renders and publishes every page. Build reads top to bottom.
package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/otpress/otpress/generator/internal/card"
	"github.com/otpress/otpress/generator/internal/check"
	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/evidence"
	"github.com/otpress/otpress/generator/internal/feed"
	"github.com/otpress/otpress/generator/internal/harvard"
	"github.com/otpress/otpress/generator/internal/linkcheck"
	"github.com/otpress/otpress/generator/internal/markdown"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/render"
	"github.com/otpress/otpress/generator/internal/search"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// Options say what to build and where.
type Options struct {
	SiteDir   string    // the site folder, holding site.toml
	OutDir    string    // the output folder; default SiteDir/public
	Drafts    bool      // include drafts
	Future    bool      // include scheduled items: those dated after Now
	Expired   bool      // include expired items: those whose expires date is at or before Now
	Now       time.Time // the time of the build; zero means the clock's
	Relative  bool      // page-relative links, as relative_urls in site.toml
	Generator string    // name and version for the generator meta tag
	Minify    bool      // minify text outputs (on for real builds)
	// PackDownloads writes each learning pack as HTML, SCORM and EPUB
	// beside its page, and links them (on for real builds; the preview
	// leaves them out).
	PackDownloads bool
	// Progress, when set, is updated as pages are written.
	Progress *Progress
	// StrictLinks makes internal links and pictures that go nowhere errors
	// (generator check); a build reports them as warnings.
	StrictLinks bool
	// External, when set, has other sites asked whether the content's
	// links to them still work (generator check --external).
	External *linkcheck.Options
	// Force lets a build replace an output folder holding files otpress
	// did not make (never the site's own folders).
	Force bool
	// Cache keeps what the build worked out in SiteDir/.otpress-cache for
	// the next build to reuse (warm.go); Clean ignores what is there.
	Cache, Clean bool

	session  bool          // keep what a Session needs for later updates
	spill    *search.Spill // where a Session's search index keeps its quotes (spill.go), or nil
	noSearch bool          // no search index: for benchmarks that measure what the index costs
	trash    string        // where the output's Commit may leave the old output (publish.Options.Trash)
}

// Progress counts pages written, for a progress line.
type Progress struct {
	Done, Total atomic.Int64
}

// Result describes a finished build.
type Result struct {
	Items  map[content.Kind]int
	Themes int
	Pages  int // HTML pages written
	Files  int64
	Bytes  int64
	// Unchanged are the files written with the old output's bytes, which
	// kept its modification time.
	Unchanged int64
	// Reused are the pages taken whole from the last build (warm.go);
	// Recalled the Markdown documents and search analyses the last build
	// kept that this one took instead of working them out again.
	Reused, Recalled int64
	Warnings         []*diag.Problem
	Duration         time.Duration
	OutDir           string
	// Changed, after a Session's quick update, are the site paths of the
	// pages it rewrote ("/stories/denis/"); nil after a full build.
	Changed []string
	// Scheduled are the items left out because they are dated after the
	// build, the next to appear first.
	Scheduled []*content.Item
	// Expired are the items left out because their expires date has come,
	// the latest to go first.
	Expired []*content.Item
	// Languages are the site's languages, the default first, when it has
	// several.
	Languages []Language
}

// Language is what a build did in one of a site's languages.
type Language struct {
	Tag, Name string
	Pages     int
	// Untranslated are the content files of the pages without a version
	// in this language: shown in another language's, or left out (Omitted).
	Untranslated []string
	Omitted      bool
}

// contentOptions say which items content.Load, LoadAgain and Reload show.
func (o Options) contentOptions() content.Options {
	return content.Options{Drafts: o.Drafts, Future: o.Future, Expired: o.Expired, Now: o.Now}
}

// Build builds the site. On any error in the site's files it returns a
// *diag.BuildError listing all of them, and the previous output is left
// exactly as it was.
func Build(ctx context.Context, o Options) (*Result, error) {
	_, res, err := build(ctx, o)
	return res, err
}

// build is Build, also returning the builder's state for a Session.
func build(ctx context.Context, o Options) (*builder, *Result, error) {
	start := time.Now()
	if o.OutDir == "" {
		o.OutDir = filepath.Join(o.SiteDir, "public")
	}
	fsys := os.DirFS(o.SiteDir)
	var probs diag.List

	cfg, ps := config.Load(fsys)
	if cfg != nil && o.Relative {
		cfg.RelativeURLs = true
	}
	probs.Add(ps...)
	if cfg == nil {
		return nil, nil, probs.Err()
	}
	if o.session {
		cfg.Fingerprint = false // the preview's pages link styles by their own names, which it reloads
	}
	if cfg.Multilingual() {
		return buildLanguages(ctx, o, cfg, fsys, &probs, start)
	}
	b, err := prepare(ctx, o, cfg, fsys, &probs, nil)
	if err != nil {
		return nil, nil, err
	}
	return b.finish(o, start)
}

// prepare builds the site in one language (lang; nil for a site in one)
// up to its commit: every page and file is in the publisher's temporary
// folder, and the problems are in probs.
func prepare(ctx context.Context, o Options, cfg *config.Site, fsys fs.FS, probs *diag.List, lang *langRun) (b *builder, err error) {
	mdOptions := markdown.Options{Unsafe: cfg.Markup.Unsafe, Allow: cfg.Markup.Allow, ReservedIDs: reservedIDs}
	var w *warm
	// pr is the cache's warning: one line at most
	var pr *diag.Problem
	if (o.Cache || o.session) && lang == nil { // a preview takes items, texts and analyses from the last build's cache
		w, pr = openWarm(o, mdOptions)
		probs.Add(pr)
		if w != nil {
			defer func() {
				if err != nil {
					w.close() // else once finish has saved it
				}
			}()
		}
	}
	copts := o.contentOptions()
	lang.content(&copts)
	var read *readFiles
	if w != nil && w.items != nil {
		read = openReadFiles(w.items)
		copts.Shelf = itemShelf{w, read}
	}
	lib, ps := content.Load(fsys, copts)
	probs.Add(ps...)
	// the themes and the outcomes across stories, beside the templates
	// and every source in the house style (sources.go): each reads the
	// library only
	var themes *taxonomy.Index
	var ev *evidence.Set
	var themeProbs, evProbs []*diag.Problem
	analysed := make(chan struct{})
	go func() {
		defer close(analysed)
		themes, themeProbs = taxonomy.Build(lib)
		ev, evProbs = evidence.Analyse(cfg.Measures, lib.Items)
	}()
	rnd, ps := render.New(render.Options{Site: cfg, SiteFS: fsys, Generator: o.Generator, Pages: lib.Pages, Podcast: hasPodcast(lib), Sources: hasSources(lib), Compact: o.Minify,
		Languages: lang.languages(), Omit: lang != nil && lang.site.Untranslated == config.OmitUntranslated})
	var bib *harvard.Bibliography
	if rnd != nil {
		bib = harvard.NewBibliographyIn(lib.Catalogue.Works(), rnd.HarvardWords())
	}
	<-analysed
	probs.Add(themeProbs...)
	probs.Add(withSource(fsys, evProbs)...)
	probs.Add(ps...)
	if probs.HasErrors() {
		return nil, probs.Err()
	}
	rnd.SetBibliography(bib)

	if w != nil && w.lock != nil && !o.session {
		o.trash = w.dir // held by this build, which empties it (openWarm)
	}
	pub, err := lang.publisher(o)
	if err != nil {
		return nil, outputErr(o.OutDir, err)
	}
	b = &builder{
		ctx: ctx, cfg: cfg, lib: lib, themes: themes, rnd: rnd, pub: pub, fsys: fsys, probs: probs, progress: o.Progress, outDir: o.OutDir,
		md:        markdown.New(mdOptions),
		downloads: o.PackDownloads && !o.session,
		noSearch:  o.noSearch,
		lang:      lang,
	}
	b.ev = ev
	b.warm = w
	b.read = read
	if w != nil && w.parts != nil && !o.session {
		rnd.KeepParts(w) // a preview keeps its renderer, and the parts in it
	}
	if o.session {
		b.kept = &kept{}
		b.plan = &plan{}
	}
	b.setCards()
	b.links = &linkLog{seen: map[linkDoc]bool{}}
	if lg := b.cfg.Logo; lg != "" { // the logo must be among the site's files
		l, c := b.cfg.At("logo")
		href := lg
		if strings.HasPrefix(lg, "/") {
			href = b.cfg.Link(lg) // under the base path, as links in the text are
		}
		b.links.add(config.File, "", nil, []linkRef{{file: config.File, line: l, col: c, dest: lg, href: href, image: true}})
	}
	b.index()
	switch {
	case o.spill != nil:
		b.search.Spill(o.spill)
	case w != nil && !o.session && !o.noSearch:
		// the quotes, as many bytes as the text, wait in a file of the
		// cache folder until the index is written (less to hold at once);
		// a Session's index outlives the build, and its spill with it
		if sp := openSpill(o.SiteDir); sp != nil {
			defer sp.close()
			b.search.Spill(sp.search)
		}
	}
	b.searchTopics()
	b.graph = themes.Graph()
	if b.progress == nil {
		b.progress = &Progress{}
	}
	b.progress.Total.Store(int64(b.pageCount()))

	if w != nil {
		if last := w.waitLast(); pr == nil {
			probs.Add(last)
		}
	}
	b.makeSite()                // every page and file (plan.go)
	b.checkLinks(o.StrictLinks) // every internal link and picture, in the output as written
	if o.External != nil {
		b.checkExternal(ctx, *o.External)
	}
	b.links = nil
	// each pack as HTML, SCORM and EPUB, made from the files above; not for
	// a build that has failed (a missing picture is reported above, at its
	// place, not again by each download)
	if b.downloads && !probs.HasErrors() {
		b.run(b.packDownloads)
		if lang == nil {
			b.run(func(emit func(job)) { emit(b.writeHeaders) }) // with the downloads' own policies
		}
	}

	if err := ctx.Err(); err != nil {
		pub.Abort()
		return nil, err
	}
	if probs.HasErrors() {
		pub.Abort()
		return nil, probs.Err()
	}
	return b, nil
}

// finish puts the build's output in place and describes it.
func (b *builder) finish(o Options, start time.Time) (*builder, *Result, error) {
	if w := b.warm; w != nil {
		defer w.close()
	}
	if err := b.pub.Commit(); err != nil {
		return nil, nil, outputErr(o.OutDir, err)
	}
	if b.warm != nil {
		if b.read != nil && b.warm.items != nil {
			b.read.save(b.warm.items) // the content files and the site's own files copied
		}
		b.probs.Add(b.warm.save())
	}
	if w := b.warm; w != nil && w.emptied != nil {
		if err := w.emptied(); err != nil {
			b.probs.Add(diag.Warnf(CacheDir, 0, 0, "an old output left in the cache folder could not be removed: %v", err).
				WithHint("the next build tries again; if this stays, check the permissions of the folders in %s", CacheDir))
		}
	}
	if left := b.pub.Leftover(); left != "" {
		b.probs.Add(diag.Warnf(o.OutDir, 0, 0, "the new output is in place, but the old one could not be removed whole; what is left of it is in %s", left).
			WithHint("the next build removes it; if it stays, check that folder's permissions"))
	}
	res := b.result(start, o.OutDir)
	if o.session {
		b.warm = nil // a preview's quick updates render what changed, as they always have
	}
	return b, res, nil
}

// publishOptions guard the site's own folders from the output.
func (o Options) publishOptions() publish.Options {
	var inputs []string
	for _, d := range []string{content.Dir, "themes", "static", "data", CacheDir} {
		inputs = append(inputs, filepath.Join(o.SiteDir, d))
	}
	return publish.Options{Minify: o.Minify, Site: o.SiteDir, Inputs: inputs, Force: o.Force, Sums: o.Cache, Trash: o.trash}
}

// outputErr is a failure to write the output as a problem at the output
// folder, with its fix; a refused folder is returned as it is, for the
// command line to report as wrong use.
func outputErr(out string, err error) error {
	var pp *publish.Problem
	if errors.As(err, &pp) {
		return &diag.BuildError{Problems: []*diag.Problem{diag.Errorf(out, 0, 0, "%v", pp).WithHint("%s", pp.Hint)}}
	}
	return err
}

// result describes the build so far.
func (b *builder) result(start time.Time, out string) *Result {
	files, size := b.pub.Counts()
	res := &Result{
		Items:     map[content.Kind]int{},
		Themes:    len(b.themes.Themes),
		Pages:     int(b.pages.Load()),
		Files:     files,
		Bytes:     size,
		Unchanged: b.pub.Unchanged(),
		Reused:    b.reused(),
		Recalled:  b.recalled(),
		Warnings:  b.probs.Warnings(),
		Duration:  time.Since(start),
		OutDir:    out,
		Scheduled: b.lib.Scheduled,
		Expired:   b.lib.Expired,
	}
	for _, it := range b.lib.Items {
		res.Items[it.Kind]++
	}
	return res
}

// reservedIDs are the ids the layout and item templates use; headings in
// Markdown get other ids.
var reservedIDs = []string{"main-content", "related-heading", "related-themes", "map-heading", "connections-caption", "sources-heading", "themes-heading", "goals-heading", "steps-heading", "outcomes-heading", "listen-heading", "chapters-heading", "transcript", "transcript-heading",
	"theme-outcomes-heading", "evidence-caption", "evidence-status", "measures-heading", "by-theme-heading"}

type builder struct {
	ctx      context.Context
	cfg      *config.Site
	lib      *content.Library
	themes   *taxonomy.Index
	graph    *taxonomy.Graph
	ev       *evidence.Set // every story's outcomes, measured across stories
	rnd      *render.Renderer
	pub      *publish.Publisher
	md       *markdown.Renderer
	fsys     fs.FS
	probs    *diag.List
	progress *Progress
	pages    atomic.Int64
	outDir   string // the output folder, as given, for problems writing it
	// writeFailed: a write to the output has failed and been reported
	writeFailed atomic.Bool
	// warm, when the build keeps a cache, holds the last build's pages
	// and records this one's (warm.go)
	warm *warm
	// read, beside warm, lists the files the build read, each with what
	// stat said of it and its sha256, for the next build (readFiles)
	read *readFiles
	// downloads: each pack's exports are written beside its page
	downloads bool
	// lang is the language built, on a site in several (languages.go);
	// all, on the default language's, are every language's builders
	lang *langRun
	all  []*builder
	// copied are the files copied or made from the site's files (static
	// files, bundles' files, pictures' copies), which a site's other
	// languages share: slash path → true
	copied sync.Map

	byFile map[string]*content.Item          // content file → item, for links between pages
	byKind map[content.Kind][]*content.Item  // items of each kind, newest first
	inPack map[*content.Item][]*content.Pack // the packs each item is in
	// reread: body found a text changed since it was read, so the
	// Session's update must be a full build
	reread     atomic.Bool
	noSearch   bool                  // Options.noSearch
	ord        map[*content.Item]int // each item's position: its search document id
	search     *search.Builder
	cards      sync.Map   // *content.Item → *render.Item
	refs       sync.Map   // *content.Item → *render.Item, for related lists (ref)
	themeNames sync.Map   // *content.Item → string, for a Session's inputs (shown)
	cardLook   *card.Card // what every card for sharing shows (setCards); nil: no cards
	// prev is the last run, in a Session's refresh: its cards are taken for
	// items that show the same (prevCard)
	prev     *builder
	pictures sync.Map // a picture file's path → *pictureFile, its size (links.go)
	copies   sync.Map // a picture file's path → *coverPicture, whose copies the build makes (pictures.go)
	// assets are the styles' and scripts' fingerprinted names, by their
	// own ("css/main.css" → "css/main.0123456789.css"), when the site
	// has fingerprint = true (assets.go)
	assets map[string]string
	// kept, in a Session, is what runs hand on to the next (session.go)
	kept *kept
	// plan, in a Session, records what each output is made from, and
	// holds the last run's, so that only what changed is written
	// (plan.go); quick leaves out what a Session's refresh keeps (the
	// static files, the search index); known are the items whose text
	// and search analysis the last run kept, and done the items whose
	// pages this run has written already.
	plan  *plan
	quick bool
	// memberKeys, in a Session or warm build, are this run's keys of
	// each theme's items, for the related lists kept (related.go)
	memberKeys  map[*taxonomy.Theme][32]byte
	known, done map[*content.Item]bool
	// links, during a full build, gathers the content's links to check
	// once everything is written; written holds the pages written or
	// refused for problems of their own, which links may still name.
	links   *linkLog
	written sync.Map // site path ("/stories/denis/") → its claim (clash.go)
	// cites holds, for each item, the ids of the sources its page cites
	// in front matter and text, for /sources/ (sources.go).
	cites sync.Map // *content.Item → []string
	// feedHTML holds the text of each item the site's feeds carry whole,
	// as they carry it (itemText.feed)
	feedHTML sync.Map // *content.Item → string
	// icon is where the feeds' icons come from (feedIcon)
	icon feedIcon
	// policies holds each single-file pack download's own
	// Content-Security-Policy, by its site path, for _headers (export.go).
	policies sync.Map // string → string
	// works is a fingerprint of every work, for pageInputs, made once
	worksOnce sync.Once
	works     [32]byte
}

func (b *builder) index() {
	b.byFile = make(map[string]*content.Item, len(b.lib.Items))
	b.byKind = map[content.Kind][]*content.Item{}
	b.inPack = b.lib.InPacks()
	b.ord = make(map[*content.Item]int, len(b.lib.Items))
	so := search.Defaults()
	so.Language = b.cfg.Language // a Welsh site gets a Welsh index
	for _, k := range content.Kinds {
		so.Kinds = append(so.Kinds, search.Facet{Value: string(k), Label: b.rnd.Words().Must("kinds." + string(k))})
	}
	for _, th := range b.themes.Themes {
		so.Themes = append(so.Themes, search.Facet{Value: th.Slug, Label: th.Title})
	}
	so.Topics = len(b.themes.Themes) + len(b.lib.Packs)
	if b.kept != nil || b.warm != nil {
		b.memberKeys = memberKeys(b.themes.Themes)
	}
	b.search = search.NewBuilder(len(b.lib.Items), so)
	if w := b.warm; w != nil && w.analyses != nil && !w.shelvesOnly && b.kept == nil && !b.noSearch {
		w.keys = make([][32]byte, len(b.lib.Items)) // for the search state (keepState)
		b.search.QuotesFor(b.stateQuotes)
	}
	for i, it := range b.lib.Items {
		b.ord[it] = i
		b.byFile[it.File] = it
		b.byKind[it.Kind] = append(b.byKind[it.Kind], it)
	}
}

// pageCount is the number of HTML pages the build will write.
func (b *builder) pageCount() int {
	n := len(b.lib.Items) + len(b.themes.Themes) + len(b.lib.Pages) + 4 // themes index, home, 404, search
	n += 2*len(b.lib.Packs) + 2                                         // each pack's page and print page, /packs/, /packs/mine/
	n++                                                                 // /evidence/
	for _, k := range content.Kinds {
		n += b.pagesOf(len(b.byKind[k]))
	}
	for _, th := range b.themes.Themes {
		for _, k := range content.Kinds {
			if c := countKind(th.Items, k); c > b.cfg.Paginate {
				n += b.pagesOf(c)
			}
		}
	}
	for _, it := range b.lib.Items {
		n += len(it.Aliases)
	}
	if hasSources(b.lib) {
		n++ // /sources/
	}
	return n
}

func countKind(items []*content.Item, k content.Kind) int {
	n := 0
	for _, it := range items {
		if it.Kind == k {
			n++
		}
	}
	return n
}

func (b *builder) pagesOf(items int) int { return max(1, (items+b.cfg.Paginate-1)/b.cfg.Paginate) }

// job is one unit of work; it reports problems to b.probs itself.
type job func()

// run runs the jobs a step produces on every core and waits for them.
func (b *builder) run(step func(emit func(job))) {
	jobs := make(chan job, 64)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				if b.ctx.Err() == nil {
					b.safely(j)
				}
			}
		})
	}
	step(func(j job) { jobs <- j })
	close(jobs)
	wg.Wait()
}

// safely runs a job, turning a panic (a bug in otpress, never the site's
// fault) into a problem, so the build still reports everything else and
// leaves the output as it was. OTPRESS_DEBUG=1 prints the stack.
func (b *builder) safely(j job) {
	defer func() {
		if r := recover(); r != nil {
			if os.Getenv("OTPRESS_DEBUG") != "" {
				fmt.Fprintf(os.Stderr, "panic: %v\n%s", r, debug.Stack())
			}
			b.probs.Add(diag.Errorf("otpress", 0, 0, "internal error: %v", r).
				WithHint("this is a fault in otpress, not in your site: please report it, with the file you last changed (OTPRESS_DEBUG=1 shows where it happened)"))
		}
	}()
	j()
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// write executes a page, checks the HTML (package check) and publishes it
// as path/index.html (or path itself when it names a file). source is the
// content file the page comes from, for problems; "" means the template.
func (b *builder) write(p *render.Page, source string) { b.writeFrom(p, source, nil) }

// writeFrom is write for a page a Session knows the inputs of (plan.go).
func (b *builder) writeFrom(p *render.Page, source string, in *inputs) {
	if b.claimPage(p, source) {
		b.writeClaimed(p, source, in, nil)
	}
}

// writeClaimed is writeFrom for a page claimed already; in a warm build,
// known is its fingerprint when it is known without its view (pageInputs).
func (b *builder) writeClaimed(p *render.Page, source string, in *inputs, known *[32]byte) {
	out := outFile(p.Path)
	b.pageCard(p)
	if b.plan != nil && b.plan.keep(out, b.rnd.Fingerprint(p), in) {
		return // a Session's page as the last run wrote it
	}
	var fp [32]byte
	pages := b.warm != nil && !b.warm.shelvesOnly
	if pages {
		if known != nil {
			fp = *known
		} else {
			fp = b.warm.page(b.rnd, p)
		}
		if b.reusePage(out, fp) {
			return
		}
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := b.rnd.Execute(buf, p); err != nil {
		b.fail(err)
		return
	}
	if findings := check.Page(buf.Bytes()); len(findings) > 0 {
		if source == "" {
			source = b.rnd.Origin(p.Template)
		}
		failed := false
		for _, f := range findings {
			if f.Frag != "" && b.pageOfFile(source) != "" {
				// a link written in the content: checkLinks reports it at its
				// place; a preview's quick update, which gathers no links,
				// here
				if b.links == nil {
					b.probs.Add(diag.Warnf(source, 0, 0, "the page %s: %s", p.Path, f.Msg).WithHint("%s", f.Hint))
				}
				continue
			}
			failed = true
			b.probs.Add(diag.Errorf(source, 0, 0, "the page %s: %s", p.Path, f.Msg).WithHint("%s", f.Hint))
		}
		if failed {
			return
		}
	}
	data := buf.Bytes()
	if b.cfg.RelativeURLs {
		page, base := p.Path, b.cfg.BasePath
		if root := b.cfg.RootPath(); root != base { // a language under its folder links the root's files too
			page, base = strings.TrimSuffix(strings.TrimPrefix(base, strings.TrimSuffix(root, "/")), "/")+p.Path, root
		}
		data = render.Relative(data, page, base)
	}
	if err := b.pub.WritePage(out, data); err != nil {
		b.fail(fmt.Errorf("write %s: %w", out, err))
		return
	}
	if pages {
		size, mtime, err := b.pub.Stat(out)
		sum, ok := b.pub.Sum(out)
		if err == nil && ok {
			b.warm.wrote(out, cached{fp: fp, size: size, mtime: mtime, sum: sum})
		}
	}
	b.pages.Add(1)
	b.progress.Done.Add(1)
}

// reusePage links a page of a warm build from the last build's output when
// that build made it with fingerprint fp and its file is as it was.
func (b *builder) reusePage(out string, fp [32]byte) bool {
	c, ok := b.warm.reusable(out, fp)
	if !ok {
		return false
	}
	// its card, if it had one, is the same (its address is part of the
	// page): linked first, so that a page whose card cannot be is made
	// again, card and all
	if rel := pageCardFile(out); rel != "" && !b.warm.has(rel) {
		if cc, had := b.warm.old[rel]; had {
			if !b.pub.Reuse(rel, cc.size, cc.mtime, cc.sum) {
				return false
			}
			b.warm.wrote(rel, cc)
		}
	}
	if !b.pub.Reuse(out, c.size, c.mtime, c.sum) {
		return false
	}
	b.warm.wrote(out, c)
	b.warm.reused.Add(1)
	b.pages.Add(1)
	b.progress.Done.Add(1)
	return true
}

func (b *builder) fail(err error) {
	var p *diag.Problem
	if errors.As(err, &p) {
		b.probs.Add(p)
		return
	}
	if b.folderClash(err, "") {
		return
	}
	var pp *publish.Problem
	if errors.As(err, &pp) {
		// a full disk fails every write after: the first says it all
		if b.writeFailed.CompareAndSwap(false, true) {
			b.probs.Add(diag.Errorf(b.outDir, 0, 0, "%v", pp).WithHint("%s", pp.Hint))
		}
		return
	}
	b.probs.Add(diag.Errorf(b.outDir, 0, 0, "%v", err))
}

// markdown renders a body, resolving links relative to dir (a content
// folder) and reporting problems at their place in file.
func (b *builder) markdown(file, dir string, bundle *content.Item, body []byte, line int) (template.HTML, markdown.Result) {
	res, err := b.rendering(file, dir, bundle, source{body: body}, line).full()
	if err != nil {
		b.fail(err)
	}
	return template.HTML(res.HTML), res
}

// rendering is markdown with the HTML and text read only when asked for
// (rendering.full).
func (b *builder) rendering(file, dir string, bundle *content.Item, src source, line int) *rendering {
	r, err := b.warm.render(b.md, src, b.markdownDoc(file, dir, bundle, line))
	if err != nil {
		b.fail(err)
	}
	b.noteLinks(file, dir, bundle, r.Links)
	if b.kept != nil {
		var to []string
		for _, l := range r.Links {
			if f := pageFile(dir, l.Dest); f != "" && !l.Auto {
				to = append(to, f)
			}
		}
		if to != nil {
			b.kept.linksFrom.Store(file, to)
		} else {
			b.kept.linksFrom.Delete(file)
		}
	}
	b.probs.Add(r.Problems...)
	return r
}

// markdownDoc is what rendering the Markdown of file, in dir, asks of
// the site.
func (b *builder) markdownDoc(file, dir string, bundle *content.Item, line int) markdown.Doc {
	d := markdown.Doc{
		File: file, FirstLine: line,
		Link:    func(dest string) string { return b.resolveLink(dir, bundle, dest) },
		Picture: b.textPicture(file, dir, bundle),
		Cite:    b.citeFor(file),
	}
	if it := b.byFile[file]; it != nil && it.Image != nil {
		d.Loading = "lazy" // its page shows its picture first
	}
	return d
}

// pageFile is the file a link written in a text in dir names when it is
// written as a path to another page's file ("../features/x.md",
// "../episodes/72/" for its index.md), which resolveLink turns into that
// page's address; "" for any other link.
func pageFile(dir, dest string) string {
	target, _, _ := strings.Cut(dest, "#")
	switch {
	case target == "" || strings.Contains(target, ":") || strings.HasPrefix(target, "/"):
		return ""
	case strings.HasSuffix(target, ".md"):
		return path.Join(dir, target)
	case strings.HasSuffix(target, "/"):
		return path.Join(dir, target, "index.md")
	}
	return ""
}

// resolveLink turns links written between content files ("../features/x.md",
// "photo.jpg" next to a page) into site links, and puts root-relative links
// under the base path. Other links are left as written.
func (b *builder) resolveLink(dir string, bundle *content.Item, dest string) string {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.Contains(dest, ":") || strings.HasPrefix(dest, "//") {
		return dest
	}
	target, frag, _ := strings.Cut(dest, "#")
	if frag != "" {
		frag = "#" + frag
	}
	if strings.HasPrefix(target, "/") {
		return b.cfg.Link(target) + frag
	}
	p := path.Join(dir, target)
	if it, ok := b.byFile[p]; ok {
		return b.cfg.Link(it.Path) + frag
	}
	for _, pg := range b.lib.Pages {
		if pg.File == p {
			return b.cfg.Link(pg.Path) + frag
		}
	}
	if it, ok := b.byFile[path.Join(p, "index.md")]; ok && strings.HasSuffix(target, "/") {
		return b.cfg.Link(it.Path) + frag
	}
	if strings.HasPrefix(p, content.Dir+"/"+content.ThemesSection+"/") && strings.HasSuffix(p, ".md") {
		if th := b.themes.Get(strings.TrimSuffix(path.Base(p), ".md")); th != nil {
			return b.cfg.Link(th.Path()) + frag
		}
	}
	if bundle != nil && strings.HasPrefix(p, bundle.Dir+"/") {
		return b.cfg.Link(bundle.Path+strings.TrimPrefix(p, bundle.Dir+"/")) + frag
	}
	if strings.HasPrefix(p, content.Dir+"/") {
		return b.cfg.Link(strings.TrimPrefix(p, content.Dir)) + frag
	}
	return dest
}

// summary is an item's own summary or the first sentences of its text.
func summary(own, text string) string {
	if own != "" {
		return own
	}
	const limit = 200
	if len(text) <= limit {
		return text
	}
	cut := strings.LastIndex(text[:limit], " ")
	if cut < 0 {
		cut = limit
	}
	return strings.TrimRight(text[:cut], " ,;:–-") + "…"
}

func (b *builder) card(it *content.Item) *render.Item {
	if c, ok := b.cards.Load(it); ok {
		return c.(*render.Item)
	}
	return b.rnd.Card(it, b.themes.Of(it), it.Summary)
}

func (b *builder) itemPages(emit func(job)) {
	for _, it := range b.lib.Items {
		if !b.done[it] {
			emit(func() { b.itemPage(it) })
		}
	}
}

// itemPage renders and writes one item's page, keeps its card for the
// lists, and hands its text to the search index.
func (b *builder) itemPage(it *content.Item) {
	b.relatedPage(it, b.related(it), !b.known[it])
}

// relatedPage is itemPage with the item's related list already worked out,
// and the search index told only when index says so (a page rewritten for
// its related list alone reads the same to the index).
func (b *builder) relatedPage(it *content.Item, rel []taxonomy.Related, index bool) {
	t, r := b.itemText(it, index)
	sum := t.summary
	b.cards.Store(it, b.cardOf(it, sum))
	cited := b.bodyCited(it, t.citations) // sources cited in the text alone join the page's list
	b.noteCites(it, cited)
	navs := b.rnd.PackNavs(it, b.inPack[it])
	var in *inputs
	if b.plan != nil {
		in = &inputs{items: []*content.Item{it}, shown: []string{b.shown(it)}, text: t}
		var shared [][]string
		for _, r := range rel {
			in.items = append(in.items, r.Item)
			in.shown = append(in.shown, b.shown(r.Item))
			var slugs []string
			for _, th := range r.Shared {
				slugs = append(slugs, th.Slug, th.Title)
			}
			shared = append(shared, slugs)
		}
		in.key = render.Sum(struct {
			Shared [][]string
			Navs   []render.PackNav
			Cited  []content.Source
		}{shared, navs, cited})
		if b.plan.same(outFile(it.Path), in) {
			return // as the last run made it
		}
	}
	known, ok := b.pageInputs(it, t, r, rel, navs, cited)
	if ok {
		if !b.claimPath(it.Path, it.Title, it.File) || b.reusePage(outFile(it.Path), known) {
			return // a clash, reported; or as the last build made it
		}
	}
	related := b.rnd.RelatedItems(rel, b.ref)
	var body template.HTML
	if r != nil {
		res, err := r.full()
		if err != nil {
			b.fail(err)
		}
		body = template.HTML(res.HTML)
	} else if b.kept != nil {
		body = b.html(it)
	}
	p := b.rnd.ItemPage(it, b.themes.Of(it), sum, body, related)
	p.Contents = t.contents
	b.rnd.AddCited(p, it, cited)
	p.Item.Packs = navs
	if ok {
		b.writeClaimed(p, it.File, in, &known)
		return
	}
	b.writeFrom(p, it.File, in)
}

// pageInputs is, in a warm build, the fingerprint of an item's page by
// what its view is made from, so that a page as the last build made it is
// known without making its view: the settings, what every page shows and
// the templates it executes (render.Renderer.SiteSum, TemplateSum); the
// item as read (Item.Sum) and as this build shows it (scheduled or
// expired, its themes' names); its text (summary, citations, problems,
// contents and its HTML's sha256); each related item, likewise, with the
// themes shared; its packs; the works it cites, and the bibliography, whose
// labels (2019a, 2019b) follow from every work. ok is false for an item
// not read through the cache (its Sum is zero).
func (b *builder) pageInputs(it *content.Item, t *itemText, r *rendering, rel []taxonomy.Related, navs []render.PackNav, cited []content.Source) (fp [32]byte, ok bool) {
	if b.warm == nil || b.warm.shelvesOnly || it.Sum == ([32]byte{}) || r == nil {
		return fp, false
	}
	type related struct {
		Item   shownItem
		Shared []string
	}
	in := struct {
		Site, Templates, HTML, Works [32]byte
		Item                         shownItem
		Text                         *itemText
		Related                      []related
		Navs                         []render.PackNav
		Cited                        []content.Source
	}{Site: b.rnd.SiteSum(), Templates: b.rnd.TemplateSum(render.ItemTemplate(it.Kind)), HTML: r.htmlSum,
		Item: b.showItem(it), Text: t, Navs: navs, Cited: cited}
	for _, r := range rel {
		if r.Item.Sum == ([32]byte{}) {
			return fp, false
		}
		s := related{Item: b.showItem(r.Item)}
		for _, th := range r.Shared {
			s.Shared = append(s.Shared, th.Slug, th.Title)
		}
		in.Related = append(in.Related, s)
	}
	if len(it.Sources) > 0 || len(cited) > 0 {
		in.Works = b.worksSum()
	}
	return b.inputsKey("item page", render.Sum(in)), true
}

// listInputs is, in a warm build, the fingerprint of page n of pages of
// a list of total items by what its view is made from, as pageInputs is
// for an item's page: the settings, what every page shows and the list
// template's files; the list (its title, address, introduction, feeds:
// sum, render.Sum of l); and each item on the page, as read and as this
// build shows it, with its card's summary (a card holds nothing else:
// render.Renderer.Card). ok is false for the first page of a list that
// shows the podcast, whose cover's copies are not among these, and for an
// item not read through the cache.
func (b *builder) listInputs(l render.ListOf, sum [32]byte, items []*content.Item, cards []*render.Item, n, pages, total int) (fp [32]byte, ok bool) {
	if b.warm == nil || b.warm.shelvesOnly || n == 1 && l.Show {
		return fp, false
	}
	type shown struct {
		Item    shownItem
		Summary string
	}
	in := struct {
		Site, Templates, List [32]byte
		N, Pages, Total       int
		Items                 []shown
	}{Site: b.rnd.SiteSum(), Templates: b.rnd.TemplateSum("list.html"), List: sum, N: n, Pages: pages, Total: total}
	for i, it := range items {
		if it.Sum == ([32]byte{}) {
			return fp, false
		}
		in.Items = append(in.Items, shown{Item: b.showItem(it), Summary: cards[i].Summary})
	}
	return b.inputsKey("list page", render.Sum(in)), true
}

// shownItem is an item as a page that shows it, or its card, reads it:
// as read (content.Item.Sum), scheduled or expired, under themes of these
// names.
type shownItem struct {
	Sum                [32]byte
	Scheduled, Expired bool
	Themes             string
}

func (b *builder) showItem(it *content.Item) shownItem {
	return shownItem{Sum: it.Sum, Scheduled: it.Scheduled, Expired: it.Expired, Themes: b.shown(it)}
}

// inputsKey is a page's fingerprint by what its view is made from (sum),
// with the settings and the kind of page.
func (b *builder) inputsKey(kind string, sum [32]byte) (fp [32]byte) {
	h := sha256.New()
	h.Write(b.warm.settings[:])
	h.Write([]byte(kind + "\n"))
	h.Write(sum[:])
	h.Sum(fp[:0])
	return fp
}

// worksSum is a fingerprint of every work the site cites, worked out once.
func (b *builder) worksSum() [32]byte {
	b.worksOnce.Do(func() { b.works = render.Sum(b.lib.Catalogue.Works()) })
	return b.works
}

// ref is an item as lists of related items show it: a card with its own
// summary only, the same whenever it is made (the item's own page may not
// have made its card yet).
func (b *builder) ref(it *content.Item) *render.Item {
	if c, ok := b.refs.Load(it); ok {
		return c.(*render.Item)
	}
	c, ok := b.prevCard(true, it, it.Summary)
	if !ok {
		c = b.rnd.Card(it, b.themes.Of(it), it.Summary)
	}
	v, _ := b.refs.LoadOrStore(it, c)
	return v.(*render.Item)
}

// cardOf is an item's card, showing summary.
func (b *builder) cardOf(it *content.Item, summary string) *render.Item {
	if c, ok := b.prevCard(false, it, summary); ok {
		return c
	}
	return b.rnd.Card(it, b.themes.Of(it), summary)
}

// prevCard is the card (ref, when refs is set) the last run (prev, in a
// Session's refresh) made of it, when it is the same item, not changed in
// place since, under themes of the same names and showing the same
// summary: a card holds nothing else (render.Renderer.Card), and one made
// once is not changed, so the new run's pages show it as it is, its
// fingerprint worked out already.
func (b *builder) prevCard(refs bool, it *content.Item, summary string) (*render.Item, bool) {
	if b.prev == nil || b.prev.byFile[it.File] != it || b.plan.dirty[it] {
		return nil, false
	}
	cards := &b.prev.cards
	if refs {
		cards = &b.prev.refs
	}
	v, ok := cards.Load(it)
	if !ok {
		return nil, false
	}
	c := v.(*render.Item)
	if c.Summary != summary || b.prev.shown(it) != b.shown(it) {
		return nil, false
	}
	return c, true
}

// itemText is what an item's page shows of its Markdown but the HTML,
// which a Session does not keep (builder.itemText).
type itemText struct {
	summary   string // its own, or the first sentences of its text
	citations []markdown.Citation
	problems  []*diag.Problem // the warnings rendering it gave
	contents  []render.Link   // its level-2 headings, for the page's list of contents
	// feed is its HTML as the site's feeds carry it (absolute addresses),
	// for an item among the newest that carry their text (fullTexts);
	// its page shows the HTML, fingerprinted already
	feed string `fp:"-"`
}

// itemText renders an item's Markdown, and tells the search index of the
// item when index says so; it returns the text and its rendering, whose
// HTML a warm build reads only for a page it makes (rendering.full). In a
// Session it keeps the text with the item (texts), but for its HTML, the
// largest part of a big site's memory: a page rewritten for its related
// list alone (index false) shows the same text, so it takes the kept one,
// with no rendering (html renders it again if the page is made at all); an
// edited item's page is written with index true, which renders it afresh
// and keeps that.
func (b *builder) itemText(it *content.Item, index bool) (*itemText, *rendering) {
	if b.kept != nil && !index {
		if v, ok := b.kept.texts.Load(it); ok {
			t := v.(*itemText)
			b.probs.Add(t.problems...)
			if t.feed != "" {
				b.feedHTML.Store(it, t.feed)
			}
			return t, nil
		}
	}
	src := b.itemSource(it)
	r := b.rendering(it.File, it.Dir, bundleOf(it), src, it.BodyLine)
	if len(b.inPack[it]) == 0 && it.Body != nil {
		// read once, and the largest part of a big site's memory: let it go
		// (a Session reads it again when it must: body, which keeps the
		// hash stored here, and stores none for a text it could not read)
		if b.kept != nil {
			b.kept.bodies.Store(it, maphash.Bytes(bodySeed, it.Body))
		}
		it.Body = nil
	}
	t := &itemText{summary: summary(it.Summary, r.lead), citations: r.Citations, problems: r.Problems}
	for _, h := range r.Headings {
		if h.Level == 2 {
			t.contents = append(t.contents, render.Link{Title: h.Text, Href: "#" + h.ID})
		}
	}
	if b.inSiteFeed(it) {
		res, err := r.full()
		if err == nil {
			t.feed, err = feed.AbsoluteHTML(string(res.HTML), b.cfg.URL(it.Path))
		}
		if err != nil {
			b.fail(err)
		}
		b.feedHTML.Store(it, t.feed)
	}
	if index && !b.noSearch {
		full := func() search.Doc {
			res, err := r.full()
			if err != nil {
				b.fail(err)
			}
			return b.searchDoc(it, t.summary, res.Text)
		}
		if w := b.warm; w != nil && w.analyses != nil {
			// the document with its text by its sha256: the same text, the
			// same analysis
			stand := "\x00text of sha256 " + hex.EncodeToString(r.textSum[:])
			w.analyse(b.search, b.ord[it], b.searchDoc(it, t.summary, stand), full)
		} else {
			b.search.Add(b.ord[it], full())
		}
	}
	if b.kept != nil {
		b.kept.texts.Store(it, t)
	}
	return t, r
}

// html is the HTML of a Session's kept text of it, rendered again: the
// same as when it was kept, since a text whose links or citations read
// otherwise now is not kept (plan.go).
func (b *builder) html(it *content.Item) template.HTML {
	r, err := b.warm.render(b.md, source{body: b.body(it)}, b.markdownDoc(it.File, it.Dir, bundleOf(it), it.BodyLine))
	var res markdown.Result
	if err == nil {
		res, err = r.full()
	}
	if err != nil {
		b.fail(err)
	}
	return template.HTML(res.HTML)
}

// body is an item's Markdown text. A Session lets it go once rendered
// (itemText), keeping a hash of it, and reads it from the file again when
// it is rendered again; a file whose text is not the one read then (saved
// again, the preview not yet told) makes the update a full build
// (builder.reread).
func (b *builder) body(it *content.Item) []byte {
	if it.Body != nil {
		return it.Body
	}
	if b.kept == nil { // a build's item may have left its text in its file
		body, err := it.Text(b.fsys)
		if err != nil {
			b.fail(err)
		}
		return body
	}
	sum, ok := b.kept.bodies.Load(it)
	if !ok {
		return nil // never let go: it has none
	}
	body, err := content.ReadBody(b.fsys, it)
	if err != nil || maphash.Bytes(bodySeed, body) != sum.(uint64) {
		b.reread.Store(true)
		return nil
	}
	return body
}

// itemSource is an item's text to render: in a build, known by its sha256
// while it is left in its file (content.Item.TextSum); in a Session, which
// keeps its texts' hashes of its own, its bytes (body).
func (b *builder) itemSource(it *content.Item) source {
	if sum, ok := it.TextSum(); ok && b.kept == nil {
		return source{body: it.Body, sum: sum, known: true, read: func() ([]byte, error) { return it.Text(b.fsys) }}
	}
	return source{body: b.body(it)}
}

// bodySeed is the seed of the hashes a Session keeps of the texts it lets go.
var bodySeed = maphash.MakeSeed()

// searchDoc is what the search index knows of an item.
func (b *builder) searchDoc(it *content.Item, summary, text string) search.Doc {
	d := search.Doc{Path: strings.TrimPrefix(it.Path, "/"), Title: it.Title, Kind: string(it.Kind), Date: it.Date.Format(time.DateOnly), Excerpt: summary}
	var themes, people []string
	for _, th := range b.themes.Of(it) {
		d.Themes = append(d.Themes, th.Slug)
		themes = append(themes, th.Title)
	}
	people = append(people, it.Authors...)
	if s := it.Story; s != nil {
		people = append(people, s.Person)
		extra := append(append(slices.Clone(s.Goals), s.Steps...), s.Setting)
		for _, o := range s.Outcomes {
			extra = append(extra, o.Measure, o.Note)
		}
		text = strings.Join(append(extra, text), "\n")
	}
	for _, src := range it.Sources {
		text += "\n" + src.Work.Title + "\n" + src.Work.ContainerTitle
	}
	if e := it.Episode; e != nil {
		for _, p := range append(e.Hosts, e.Guests...) {
			people = append(people, p.Name)
		}
		for _, p := range e.Paragraphs {
			d.Parts = append(d.Parts, search.Part{Anchor: "#" + p.ID, Speaker: p.Speaker, Start: int(p.Start / time.Second), Text: p.Text})
		}
	}
	d.Text[search.Title] = it.Title
	d.Text[search.Themes] = strings.Join(themes, "\n")
	d.Text[search.People] = strings.Join(people, "\n")
	d.Text[search.Summary] = it.Summary
	d.Text[search.Body] = text
	return d
}

// searchTopics gives the search index the themes and learning packs, which
// answers list apart from the pages ("co-production" finds the
// Co-production theme and the packs about it). Their text is what their
// pages say of them: title, summary, a theme's definition, a pack's
// audience, outcomes, questions and items.
func (b *builder) searchTopics() {
	if b.noSearch {
		return
	}
	b.search.ResetTopics(len(b.themes.Themes) + len(b.lib.Packs))
	for i, th := range b.themes.Themes {
		d := search.Doc{Path: strings.TrimPrefix(th.Path(), "/"), Title: th.Title, Kind: "theme", Date: b.rnd.Words().MustN("count.items", th.Count()), Excerpt: th.Summary}
		body := th.Summary
		if th.Def != nil {
			body += "\n" + plainMarkdown(th.Def.Body)
		}
		var wider []string
		for t := th.Broader; t != nil; t = t.Broader {
			wider = append(wider, t.Title)
		}
		d.Text[search.Title] = th.Title
		d.Text[search.Themes] = strings.Join(wider, "\n")
		d.Text[search.Summary] = th.Summary
		d.Text[search.Body] = body
		b.search.AddTopic(i, d)
	}
	for i, pk := range b.lib.Packs {
		d := search.Doc{Path: strings.TrimPrefix(pk.Path, "/"), Title: pk.Title, Kind: "pack", Date: b.rnd.Words().MustN("count.items", len(pk.Entries)), Excerpt: pk.Summary}
		var themes []string
		for _, th := range b.themes.OfPack(pk) {
			d.Themes = append(d.Themes, th.Slug)
			themes = append(themes, th.Title)
		}
		text := append([]string{pk.Summary, pk.Audience}, pk.Outcomes...)
		for _, e := range pk.Entries {
			if e.Item != nil {
				text = append(text, e.Item.Title)
			}
			text = append(append(text, e.Note), e.Questions...)
		}
		text = append(append(text, pk.Questions...), plainMarkdown(pk.Body))
		d.Text[search.Title] = pk.Title
		d.Text[search.Themes] = strings.Join(themes, "\n")
		d.Text[search.Summary] = pk.Summary
		d.Text[search.Body] = strings.Join(text, "\n")
		b.search.AddTopic(len(b.themes.Themes)+i, d)
	}
}

// plainMarkdown is Markdown as text to search and quote: links and
// pictures as their text, without the marks of emphasis, headings,
// quotations, lists and code.
func plainMarkdown(md []byte) string {
	s := mdLink.ReplaceAllString(string(md), "$1")
	return mdMarks.ReplaceAllString(s, "")
}

var (
	mdLink  = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdMarks = regexp.MustCompile("(?m)^\\s*(?:#+|>|[-*+]|\\d+\\.)\\s+|[*_`]+")
)

// searchIndex starts working out the search index from what the item
// pages gave it, and returns the step that writes its files and the search
// page. Building the index is one core's work; the steps in between keep
// the other cores busy meanwhile.
func (b *builder) searchIndex() func(emit func(job)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if b.noSearch || b.quick { // a Session's index is made apart (SearchJob)
			return
		}
		b.safely(func() {
			// each file written as it is made: a big index is never whole in memory
			emit := func(f search.File) {
				rel := "search/data/" + f.Name
				var err error
				if f.Key != ([32]byte{}) {
					err = b.keepOrWrite(b.warm, rel, passageFP(f.Key), func() error { return b.pub.WriteRaw(rel, f.Data) })
				} else {
					err = b.warmFile(rel, f.Data, true)
				}
				if err != nil {
					b.fail(err)
				}
				if b.kept != nil { // for the Session's SearchJob
					b.kept.search.Store(f.Name, sha256.Sum256(f.Data))
				}
			}
			if w := b.warm; w != nil && !w.shelvesOnly && b.kept == nil {
				// a page's passage files linked from the last build, not made
				b.search.BuildKeeping(emit, func(name string, key [32]byte) bool {
					return b.relink(w, "search/data/"+name, passageFP(key))
				})
				if w.keys != nil {
					w.keepState(b.search)
				}
				return
			}
			b.search.BuildFunc(emit)
		})
	}()
	return func(emit func(job)) {
		<-done
		emit(b.searchPage)
	}
}

// passageFP is what a search passage file is recorded by in a build that
// keeps its pages: its key (search.File.Key).
func passageFP(key [32]byte) [32]byte {
	return sha256.Sum256(append([]byte("search passage\n"), key[:]...))
}

// searchPage writes /search/, whose filters list the themes and the years.
func (b *builder) searchPage() {
	var years []string
	for _, it := range b.lib.Items { // newest first
		if y := it.Date.Format("2006"); len(years) == 0 || years[len(years)-1] != y {
			years = append(years, y)
		}
	}
	b.write(b.rnd.SearchPage(b.themes.Themes, slices.Compact(years)), "")
}

func bundleOf(it *content.Item) *content.Item {
	if it.Bundle {
		return it
	}
	return nil
}

func (b *builder) themePages(emit func(job)) {
	for _, th := range b.themes.Themes {
		emit(func() { b.themePage(th) })
		// the full list of each kind under the theme, when the theme page
		// cannot show them all
		for _, k := range content.Kinds {
			if items := kindOf(th.Items, k); len(items) > b.cfg.Paginate {
				b.lists(emit, b.rnd.ThemeList(th, k), items)
			}
		}
	}
	emit(b.themesIndex)
}

// themesIndex writes the themes A to Z with the map of all themes.
func (b *builder) themesIndex() {
	intro, html := b.intro(content.ThemesSection)
	b.write(b.rnd.ThemesPage(b.themes.Themes, b.graph, intro, html), sourceOf(intro))
}

// themePage writes one theme's page.
func (b *builder) themePage(th *taxonomy.Theme) {
	var body template.HTML
	source := ""
	if th.Def != nil {
		body, _ = b.markdown(th.Def.File, path.Dir(th.Def.File), nil, th.Def.Body, th.Def.BodyLine)
		source = th.Def.File
	}
	p := b.rnd.ThemePage(th, b.graph, body, b.card, b.cfg.Paginate)
	p.Theme.Outcomes = b.rnd.ThemeOutcomes(b.ev, th)
	b.write(p, source)
}

// kindOf are the items of one kind, in order.
func kindOf(items []*content.Item, k content.Kind) []*content.Item {
	var out []*content.Item
	for _, it := range items {
		if it.Kind == k {
			out = append(out, it)
		}
	}
	return out
}

func sourceOf(sp *content.SectionPage) string {
	if sp == nil {
		return ""
	}
	return sp.File
}

// intro renders a section's optional _index.md.
func (b *builder) intro(section string) (*content.SectionPage, template.HTML) {
	sp := b.lib.Sections[section]
	if sp == nil {
		return nil, ""
	}
	html, _ := b.markdown(sp.File, path.Dir(sp.File), nil, sp.Body, sp.BodyLine)
	return sp, html
}

// homeLatest is how many of each kind the home page shows.
const homeLatest = 3

func (b *builder) listPages(emit func(job)) {
	for _, k := range content.Kinds {
		intro, html := b.intro(k.Section())
		b.lists(emit, b.rnd.SectionList(k, intro, html), b.byKind[k])
	}
	emit(b.homePage)
	emit(func() { b.write(b.rnd.NotFoundPage(), "") })
	for _, pg := range b.lib.Pages {
		emit(func() {
			body, _ := b.markdown(pg.File, path.Dir(pg.File), nil, pg.Body, pg.BodyLine)
			b.write(b.rnd.StandalonePage(pg, body), pg.File)
		})
	}
	for _, it := range b.lib.Items {
		for _, a := range it.Aliases {
			emit(func() { b.write(b.rnd.AliasPage(a, it), it.File) })
		}
	}
}

// homePage writes the home page: the newest items of each kind, the themes.
func (b *builder) homePage() {
	latest := map[content.Kind][]*render.Item{}
	for _, k := range content.Kinds {
		items := b.byKind[k]
		for _, it := range items[:min(homeLatest, len(items))] {
			latest[k] = append(latest[k], b.card(it))
		}
	}
	intro, html := b.intro("")
	var pack *content.Pack // featured_pack, or the first as packs/ lists them
	if len(b.lib.Packs) > 0 {
		pack = b.lib.Packs[0]
	}
	if intro != nil && intro.Featured != nil {
		for _, pk := range b.lib.Packs {
			if pk.Slug == intro.Featured.Name {
				pack = pk
			}
		}
	}
	b.write(b.rnd.HomePage(intro, html, latest, b.themes.Themes, pack), sourceOf(intro))
}

// lists emits the pages of a paginated list of items.
func (b *builder) lists(emit func(job), l render.ListOf, items []*content.Item) {
	pages := b.pagesOf(len(items))
	var sum [32]byte // the list's, once for all its pages (listInputs)
	if b.warm != nil && !b.warm.shelvesOnly {
		sum = render.Sum(l)
	}
	for n := 1; n <= pages; n++ {
		emit(func() { b.listPage(l, sum, items, n, pages) })
	}
}

// listPage writes page n of a list whose fingerprint, in a warm build, is
// sum.
func (b *builder) listPage(l render.ListOf, sum [32]byte, items []*content.Item, n, pages int) {
	lo := (n - 1) * b.cfg.Paginate
	hi := min(lo+b.cfg.Paginate, len(items))
	cards := make([]*render.Item, 0, hi-lo)
	for _, it := range items[lo:hi] {
		cards = append(cards, b.card(it))
	}
	var in *inputs
	if b.plan != nil {
		in = &inputs{items: slices.Clone(items[lo:hi])}
		summaries := make([]string, len(cards))
		for i, it := range in.items {
			in.shown = append(in.shown, b.shown(it))
			summaries[i] = cards[i].Summary
		}
		in.key = render.Sum(struct {
			List            render.ListOf
			N, Pages, Total int
			Summaries       []string
		}{l, n, pages, len(items), summaries})
		if b.plan.same(outFile(render.ListPath(l.Base, n)), in) {
			return
		}
	}
	if known, ok := b.listInputs(l, sum, items[lo:hi], cards, n, pages, len(items)); ok {
		at := render.ListPath(l.Base, n)
		if !b.claimPath(at, l.Title, l.Source) || b.reusePage(outFile(at), known) {
			return // a clash, reported; or as the last build made it
		}
		b.writeClaimed(b.rnd.ListPage(l, cards, n, pages, len(items)), l.Source, in, &known)
		return
	}
	b.writeFrom(b.rnd.ListPage(l, cards, n, pages, len(items)), l.Source, in)
}

func (b *builder) machinePages(emit func(job)) {
	emit(func() {
		all := lastMod(b.lib.Items)
		var urls []feed.URL
		urls = b.sitemapURL(urls, "/", content.Translation{}, all)
		for _, k := range content.Kinds {
			items := b.byKind[k]
			for n := 1; n <= b.pagesOf(len(items)); n++ {
				lo := min((n-1)*b.cfg.Paginate, len(items))
				urls = b.sitemapURL(urls, render.ListPath("/"+k.Section()+"/", n), content.Translation{}, lastMod(items[lo:min(lo+b.cfg.Paginate, len(items))]))
			}
		}
		for _, it := range b.lib.Items {
			urls = b.sitemapURL(urls, it.Path, it.Translation, latest(time.Time{}, it))
		}
		for _, pg := range b.lib.Pages {
			urls = b.sitemapURL(urls, pg.Path, pg.Translation, time.Time{})
		}
		urls = b.sitemapURL(urls, "/"+content.PacksSection+"/", content.Translation{}, time.Time{})
		for _, pk := range b.lib.Packs {
			var items []*content.Item
			for _, e := range pk.Entries {
				items = append(items, e.Item)
			}
			urls = b.sitemapURL(urls, pk.Path, pk.Translation, lastMod(items))
		}
		urls = b.sitemapURL(urls, "/themes/", content.Translation{}, all)
		urls = b.sitemapURL(urls, "/search/", content.Translation{}, all)
		if hasSources(b.lib) {
			urls = b.sitemapURL(urls, render.SourcesPath, content.Translation{}, all)
		}
		for _, th := range b.themes.Themes {
			urls = b.sitemapURL(urls, th.Path(), content.Translation{}, latestOf(lastMod(th.Items), lastMod(th.Inherited)))
			for _, k := range content.Kinds {
				var items []*content.Item
				for _, it := range th.Items {
					if it.Kind == k {
						items = append(items, it)
					}
				}
				if len(items) <= b.cfg.Paginate {
					continue
				}
				for n := 1; n <= b.pagesOf(len(items)); n++ {
					lo := (n - 1) * b.cfg.Paginate
					urls = b.sitemapURL(urls, render.ListPath(render.ThemeKindPath(th, k), n), content.Translation{}, lastMod(items[lo:min(lo+b.cfg.Paginate, len(items))]))
				}
			}
		}
		urls = b.sitemapURL(urls, render.EvidencePath, content.Translation{}, lastMod(b.byKind[content.Story]))
		data, err := feed.Sitemap(urls)
		if err != nil {
			b.fail(fmt.Errorf("sitemap: %w", err))
			return
		}
		if err := b.putFile("sitemap.xml", data, false); err != nil {
			b.fail(err)
		}
	})
	// a site's own static/_headers and _redirects are joined with the
	// build's: its headers after the build's, its redirects before them
	// (a host takes the first rule for an address); its own robots.txt is
	// copied with the static files instead of the build's
	if b.lang != nil {
		return // the site's, for every language at once, or a host's of its own (buildLanguages)
	}
	if !b.downloads {
		emit(b.writeHeaders) // else once the downloads, whose policies it gives, are made (build)
	}
	emit(b.writeRedirects)
	emit(b.writeRobots)
}

// writeRedirects writes _redirects: the site's own, then the build's.
func (b *builder) writeRedirects() {
	data := b.redirects()
	if own, ok := b.ownFile("_redirects"); ok {
		data = append(append(own, '\n'), data...)
	}
	if err := b.putFile("_redirects", data, true); err != nil {
		b.fail(err)
	}
}

// writeRobots writes robots.txt, naming each language's sitemap, unless
// the site has its own.
func (b *builder) writeRobots() {
	if _, ok := b.ownFile("robots.txt"); ok {
		return
	}
	robots := "User-agent: *\nAllow: /\n\n"
	for _, l := range b.langs() {
		robots += fmt.Sprintf("Sitemap: %s\n", l.cfg.URL("/sitemap.xml"))
	}
	if err := b.putFile("robots.txt", []byte(robots), false); err != nil {
		b.fail(err)
	}
}

// writeHeaders writes _headers: the build's rules, then the site's own.
func (b *builder) writeHeaders() {
	data := b.headers()
	if own, ok := b.ownFile("_headers"); ok {
		data = append(append(data, '\n'), own...)
	}
	if err := b.putFile("_headers", data, true); err != nil {
		b.fail(err)
	}
}

// ownFile reads static/name, a file the site may give in place of, or to
// join with, one the build writes. A symbolic link that leads out of the
// site counts as no file (staticFiles reports it).
func (b *builder) ownFile(name string) ([]byte, bool) {
	p := content.StaticDir + "/" + name
	fi, err := fs.Lstat(b.fsys, p)
	if err != nil {
		return nil, false
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if pr, dir := content.CheckLink(b.fsys, p); pr != nil || dir {
			return nil, false
		}
	} else if !fi.Mode().IsRegular() {
		return nil, false
	}
	data, err := fs.ReadFile(b.fsys, p)
	if err != nil {
		b.probs.Add(diag.Errorf(p, 0, 0, "the file cannot be read: %v", err).WithHint("check the file's permissions"))
		return nil, false
	}
	return data, true
}

// wordsScript is the theme's words for its scripts (words.Words.Script),
// which every page with a script loads before it.
const wordsScript = "js/words.js"

// staticFiles copies, in order of precedence: the site's static/ folder,
// bundle assets and loose content files, then the theme's static files that
// the site does not override, and writes the scripts' words.
func (b *builder) staticFiles(emit func(job)) {
	taken := map[string]bool{"_headers": true, "_redirects": true} // joined with the build's (machinePages)
	hidden := b.hiddenOriginals()
	if b.kept != nil {
		b.kept.hidden = hidden // a quick run that would hide others builds all
	}
	copyFile := func(out string, fsys fs.FS, name string) {
		if taken[out] {
			return
		}
		taken[out] = true
		hashed := b.assets[out] // fingerprints hashed this very file
		if hashed != "" && b.makesFile(hashed) {
			emit(func() {
				if err := b.pub.Copy(hashed, fsys, name); err != nil {
					b.fail(fmt.Errorf("copy %s: %w", name, err))
				}
			})
		}
		if !b.makesFile(out) {
			return
		}
		emit(func() {
			if check.IsSVG(name) {
				file := name
				if fsys != b.fsys {
					file = b.rnd.StaticOrigin(strings.TrimPrefix(name, "static/"))
				}
				if !b.safeSVG(fsys, name, file, out) {
					return
				}
			}
			if fsys == b.fsys && !check.IsSVG(name) {
				b.copyOwn(out, name, hidden[name])
				return
			}
			if err := b.pub.Copy(out, fsys, name); err != nil && !b.staticClash(name, out, err) {
				b.fail(fmt.Errorf("copy %s: %w", name, err))
			}
		})
	}
	_ = fs.WalkDir(b.fsys, content.StaticDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) { // else: no static folder
				b.probs.Add(diag.Errorf(p, 0, 0, "cannot read this folder: %v", errors.Unwrap(err)).
					WithHint("make it readable, e.g. chmod a+rx %s, or ask whoever owns it", p))
			}
			return nil
		}
		if fi, err := fs.Lstat(b.fsys, p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			// a link is followed only to a file inside the site folder
			// (SkipDir only for the static folder itself: on a file it
			// would skip the rest of the folder)
			skip := error(nil)
			if d.IsDir() {
				skip = fs.SkipDir
			}
			pr, dir := content.CheckLink(b.fsys, p)
			if pr != nil {
				b.probs.Add(pr)
				return skip
			}
			if dir {
				return skip
			}
		}
		if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			copyFile(strings.TrimPrefix(p, content.StaticDir+"/"), b.fsys, p)
		}
		return nil
	})
	for _, it := range b.lib.Items {
		for _, a := range it.Assets {
			copyFile(strings.TrimPrefix(it.Path, "/")+a, b.fsys, path.Join(it.Dir, a))
		}
	}
	for _, f := range b.lib.Loose {
		copyFile(strings.TrimPrefix(f, content.Dir+"/"), b.fsys, f)
	}
	files, err := b.rnd.StaticFiles()
	if err != nil {
		b.fail(fmt.Errorf("theme static files: %w", err))
	}
	for _, f := range files {
		copyFile(f, b.rnd.Files(), "static/"+f)
	}
	if c := b.cfg.BrandColour; c != "" && !taken[render.BrandCSS] && b.makesFile(render.BrandCSS) {
		taken[render.BrandCSS] = true
		emit(func() {
			for _, rel := range b.namesOf(render.BrandCSS) {
				if err := b.pub.Write(rel, render.BrandStyle(c)); err != nil {
					b.fail(err)
				}
			}
		})
	}
	if !taken[wordsScript] {
		taken[wordsScript] = true
		emit(func() {
			// a warm build links the last one's when the words are the same
			for _, rel := range b.namesOf(wordsScript) {
				if err := b.warmFile(rel, b.rnd.Words().Script(), false); err != nil {
					b.fail(err)
				}
			}
		})
	}
	if !taken[syntaxCSS] && b.makesFile(syntaxCSS) {
		taken[syntaxCSS] = true
		emit(func() {
			for _, rel := range b.namesOf(syntaxCSS) {
				if err := b.pub.Write(rel, markdown.CSS()); err != nil {
					b.fail(err)
				}
			}
		})
	}
}

// syntaxCSS is the styles of code's colours (markdown.CSS).
const syntaxCSS = "css/syntax.css"
