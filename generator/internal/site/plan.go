package site

import (
	"context"
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/evidence"
	"github.com/otpress/otpress/generator/internal/harvard"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// A plan is what a Session's run made each output from: a page's view
// fingerprint (render.Renderer.Fingerprint), a file's sha256, and for the
// many pages of items and lists, their inputs. A run given the last run's
// plan writes only the outputs whose fingerprint changed; a page whose
// inputs are the same is not even made again. The outputs the last plan
// has and the new one does not leave the site.
type plan struct {
	before map[string]planned // the last run's; nil writes everything
	now    sync.Map           // this run's: output path → planned
	// dirty are items whose text changed (Session.textOnly) since before was
	// made: inputs showing one are not the same, whatever they say.
	dirty map[*content.Item]bool
	// remake: no inputs are the same (the sources changed: every
	// citation may read otherwise)
	remake bool
}

type planned struct {
	fp [32]byte
	in *inputs // nil for outputs known by their fingerprint alone
}

// inputs are what an item's page, or a page of a list, was made from: the
// items it shows (an item page's own first), what each one's card showed
// of its themes, an item page's text, and a key of the rest it reads
// (page numbers, the list's own view and its cards' summaries, related
// themes, packs, citations). Items are compared by identity: a Session's library never
// changes an item, it reads the file again into a new one (LoadAgain),
// but for Session.textOnly's text edits, which keep the item and mark
// it dirty.
type inputs struct {
	items []*content.Item
	shown []string
	text  *itemText
	key   [32]byte
}

func (in *inputs) same(o *inputs, dirty map[*content.Item]bool) bool {
	if o == nil || in.text != o.text || in.key != o.key || !slices.Equal(in.items, o.items) || !slices.Equal(in.shown, o.shown) {
		return false
	}
	return !slices.ContainsFunc(in.items, func(it *content.Item) bool { return dirty[it] })
}

// keep records how this run makes out and says whether the last run made
// it the same way, so that the file in place is the one this run would
// write.
func (p *plan) keep(out string, fp [32]byte, in *inputs) bool {
	p.now.Store(out, planned{fp: fp, in: in})
	old, ok := p.before[out]
	return ok && old.fp == fp
}

// same says whether the last run made out from the same inputs, and if so
// records it as made again.
func (p *plan) same(out string, in *inputs) bool {
	old, ok := p.before[out]
	if !ok || p.remake || !in.same(old.in, p.dirty) {
		return false
	}
	p.now.Store(out, planned{fp: old.fp, in: in})
	if card := pageCardFile(out); card != "" { // a page's card is as the page
		if c, ok := p.before[card]; ok {
			p.now.Store(card, c)
		}
	}
	return true
}

// made is this run's plan, for the next.
func (p *plan) made() map[string]planned {
	out := map[string]planned{}
	p.now.Range(func(k, v any) bool {
		out[k.(string)] = v.(planned)
		return true
	})
	return out
}

// shown is what an item's card shows that its item does not hold: the
// names of its themes, one string an item for the run, shared by every
// page's inputs. (Its summary, when made from its text, follows the text.)
func (b *builder) shown(it *content.Item) string {
	if v, ok := b.themeNames.Load(it); ok {
		return v.(string)
	}
	var s strings.Builder
	for _, th := range b.themes.Of(it) {
		s.WriteString(th.Slug)
		s.WriteByte(0)
		s.WriteString(th.Title)
		s.WriteByte(0)
	}
	v, _ := b.themeNames.LoadOrStore(it, s.String())
	return v.(string)
}

// outFile is the file of a page at a site path.
func outFile(sitePath string) string {
	out := strings.TrimPrefix(sitePath, "/")
	if out == "" || strings.HasSuffix(out, "/") {
		out += "index.html"
	}
	return out
}

// putFile writes a file the site's steps make (a feed, the sitemap, a
// list of sources), minified when raw is false; in a Session, only when
// its bytes changed since the last run.
func (b *builder) putFile(rel string, data []byte, raw bool) error {
	return b.putFileFrom(rel, data, raw, nil)
}

// putFileFrom is putFile for a file a Session knows the inputs of.
func (b *builder) putFileFrom(rel string, data []byte, raw bool, in *inputs) error {
	if b.plan != nil && b.plan.keep(rel, sha256.Sum256(data), in) {
		return nil
	}
	return b.warmFile(rel, data, raw)
}

// warmFile writes a file, minified when raw is false; a warm build links
// the last build's file instead when it was made from the same bytes.
func (b *builder) warmFile(rel string, data []byte, raw bool) error {
	write := b.pub.Write
	if raw {
		write = b.pub.WriteRaw
	}
	w := b.warm
	if w == nil || w.shelvesOnly {
		return write(rel, data)
	}
	h := sha256.New()
	fmt.Fprintf(h, "file %v %d\n", raw, len(data))
	h.Write(data)
	var fp [32]byte
	h.Sum(fp[:0])
	return b.keepOrWrite(w, rel, fp, func() error { return write(rel, data) })
}

// keepOrWrite links the last build's rel when it was made from what fp
// stands for and is still as that build left it; else it writes rel
// afresh and records it for the next build.
func (b *builder) keepOrWrite(w *warm, rel string, fp [32]byte, write func() error) error {
	if b.relink(w, rel, fp) {
		return nil
	}
	if err := write(); err != nil {
		return err
	}
	b.recordFile(w, rel, fp)
	return nil
}

// recordFile notes rel, just written, for the next build, by what fp
// stands for.
func (b *builder) recordFile(w *warm, rel string, fp [32]byte) {
	size, mtime, err := b.pub.Stat(rel)
	sum, ok := b.pub.Sum(rel)
	if err == nil && ok {
		w.wrote(rel, cached{fp: fp, size: size, mtime: mtime, sum: sum})
	}
}

// relink links the last build's rel when it was made from what fp stands
// for and is still as that build left it, and reports whether it did.
func (b *builder) relink(w *warm, rel string, fp [32]byte) bool {
	if c, ok := w.reusable(rel, fp); ok && b.pub.Reuse(rel, c.size, c.mtime, c.sum) {
		w.wrote(rel, c)
		return true
	}
	return false
}

// makeSite runs every step that makes the site's pages and files, in
// order; a Session's refresh leaves out the static files (quick).
func (b *builder) makeSite() {
	icons := b.icons()   // the feeds' icons, made on their own while the pages are written
	b.fingerprints()     // styles' and scripts' hashed names, for pages to link
	covers := b.covers() // items' pictures at several widths, likewise
	b.run(func(emit func(job)) {
		b.evidencePages(emit) // /evidence/ and outcomes.csv, first: the one big page overlaps the item pages
		b.itemPages(emit)     // each item's page; remembers its card for the lists and indexes it
	})
	if w := b.warm; w != nil && w.state != nil {
		w.state = nil // every document is in the index: let go of the last build's
		b.search.DropState()
	}
	searchIndex := b.searchIndex() // the index, worked out on its own while the pages below are written
	b.run(b.themePages)            // each theme's page and the A–Z index
	b.run(b.listPages)             // section lists, home, 404, aliases
	b.run(b.sourcePages)           // /sources/, sources.json, sources.bib
	b.run(b.packPages)             // learning packs, their print pages, /packs/
	b.run(b.machinePages)          // sitemap.xml, robots.txt, _headers, _redirects
	b.run(b.feeds)                 // podcast.xml, Atom and JSON feeds, chapters files
	icons()
	covers()
	b.makeCopies()() // the pictures of the texts, met as the pages were made
	if !b.quick {
		b.run(b.staticFiles) // theme, site and content files, bundle assets, syntax.css
	}
	b.run(searchIndex) // the search index files and the search page
}

// refresh makes the site again after an edit to the content's files
// (items', themes', packs', pages', introductions') as a build would, from
// the last good build: items of other files, rendered texts, search
// analysis, templates. It writes in place only the outputs whose
// fingerprints changed and removes those that left the site; the edited
// items' own pages go first (Early). The last build is left as it was, for
// the next update, when this one fails.
func (s *Session) refresh(ctx context.Context, e edit) (*Result, error) {
	start := time.Now()
	old := s.b
	var probs diag.List
	changed := map[string]bool{}
	for _, it := range slices.Concat(e.items, e.removed) {
		changed[it.File] = true
	}
	for _, p := range slices.Concat(e.added, e.pages) {
		changed[p] = true
	}
	ours := func(ps []*diag.Problem) { // the other files' warnings were given before
		for _, p := range ps {
			if p.Severity == diag.Error || changed[p.File] {
				probs.Add(p)
			}
		}
	}
	lib, ps := content.LoadAgain(old.fsys, s.o.contentOptions(), old.lib, changed)
	ours(ps)
	// the outcomes across stories beside the theme index: neither reads the other
	var ev *evidence.Set
	var evProbs []*diag.Problem
	evDone := make(chan struct{})
	go func() {
		defer close(evDone)
		ev, evProbs = evidence.Analyse(old.cfg.Measures, lib.Items)
		evProbs = withSource(old.fsys, evProbs)
	}()
	themes, ps := taxonomy.Build(lib)
	ours(ps)
	<-evDone
	ours(evProbs)
	if probs.HasErrors() {
		return nil, probs.Err()
	}
	if hasPodcast(lib) != hasPodcast(old.lib) || hasSources(lib) != hasSources(old.lib) ||
		!slices.EqualFunc(old.lib.Pages, lib.Pages, func(x, y *content.Page) bool { return x.Path == y.Path && x.Title == y.Title }) {
		return nil, errFull // on every page (the footer lists the standalone pages), and in the templates' options
	}
	// texts that must be rendered again: those linking to items or pages
	// that came, went or moved, or to themes when themes came or went, and
	// those citing sources when the sources changed
	cameOrWent := map[string]bool{}
	now := make(map[string]*content.Item, len(lib.Items))
	for _, it := range lib.Items {
		now[it.File] = it
		switch was := old.byFile[it.File]; {
		case was == nil:
			cameOrWent[it.File] = true
		case was.Bundle && !content.SameAddress(was, it):
			return nil, errFull // its files are copied to its address with the static files
		case it.Path != was.Path || !slices.Equal(it.Aliases, was.Aliases):
			cameOrWent[it.File] = true
		}
	}
	for _, it := range old.lib.Items {
		if now[it.File] == nil {
			if it.Bundle || it.Kind == content.Episode {
				return nil, errFull // hidden now: its other files stay in the output
			}
			cameOrWent[it.File] = true
		}
	}
	newThemes := !slices.EqualFunc(old.themes.Themes, themes.Themes, func(x, y *taxonomy.Theme) bool { return x.Slug == y.Slug })
	worksChanged := !slices.Equal(old.lib.Catalogue.Works(), lib.Catalogue.Works())
	var bib *harvard.Bibliography
	if worksChanged {
		bib = harvard.NewBibliographyIn(lib.Catalogue.Works(), old.rnd.HarvardWords())
	}
	stale := func(it *content.Item) bool {
		if worksChanged && old.citesOf(it) != nil {
			return true
		}
		v, ok := old.kept.linksFrom.Load(it.File)
		return ok && slices.ContainsFunc(v.([]string), func(f string) bool {
			return cameOrWent[f] || newThemes && strings.HasPrefix(f, content.Dir+"/"+content.ThemesSection+"/")
		})
	}
	for _, it := range lib.Items {
		if old.byFile[it.File] == it && stale(it) {
			old.kept.texts.Delete(it)
		}
	}

	pub, err := publish.Begin(s.o.OutDir, publish.Options{Minify: s.o.Minify, InPlace: true})
	if err != nil {
		return nil, err
	}
	b := &builder{
		ctx: ctx, cfg: old.cfg, lib: lib, themes: themes, ev: ev, rnd: old.rnd, pub: pub, md: old.md, fsys: old.fsys,
		probs: &probs, progress: &Progress{}, outDir: s.o.OutDir, noSearch: old.noSearch, quick: true,
		kept: old.kept, cardLook: old.cardLook,
		plan: &plan{before: old.kept.plan, dirty: old.kept.dirty, remake: worksChanged}, known: map[*content.Item]bool{}, done: map[*content.Item]bool{},
		prev: old,
	}
	b.index()
	b.keptTextPictures(changed)
	// the search analysis of the items kept, under their new numbers
	to := make([]int, len(old.lib.Items))
	for i, it := range old.lib.Items {
		to[i] = -1
		// the others are analysed again with their pages, as are those whose
		// themes or cited works read otherwise (search.Doc has their names)
		if b.byFile[it.File] == it && old.shown(it) == b.shown(it) && !(worksChanged && len(it.Sources) > 0) {
			to[i] = b.ord[it]
			b.known[it] = true
		}
	}
	b.search = old.search.Renumbered(to, len(lib.Items), b.search.Options())
	if bib != nil {
		old.rnd.SetBibliography(bib)
	}
	fail := func(err error) (*Result, error) {
		b.prev = nil
		pub.Abort()
		if bib != nil { // the templates' bibliography is the new one's
			s.b = nil
		}
		return nil, err
	}
	// the edited and new items' own pages first: the editor is looking at one
	b.run(func(emit func(job)) {
		for _, it := range lib.Items {
			if changed[it.File] {
				b.done[it] = true
				emit(func() { b.itemPage(it) })
			}
		}
	})
	if err := s.early(ctx, pub, &probs); err != nil {
		return fail(err)
	}
	b.graph = themes.Graph() // for the theme pages, which come after
	b.searchTopics()
	b.makeSite()
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if b.reread.Load() || !b.sameOriginals() {
		return fail(errFull) // a text changed since it was read; originals to publish or hide
	}
	if probs.HasErrors() {
		return fail(probs.Err())
	}
	next := b.plan.made()
	for out := range old.kept.plan {
		if _, ok := next[out]; !ok {
			if err := pub.Remove(out); err != nil {
				return fail(err)
			}
		}
	}
	changedPages := heldPages(pub)
	if err := pub.Commit(); err != nil {
		return fail(err)
	}
	for _, it := range old.lib.Items {
		if b.byFile[it.File] != it { // an old reading's
			b.kept.texts.Delete(it)
			b.kept.bodies.Delete(it)
		}
	}
	b.known, b.done, b.prev = nil, nil, nil // this run's
	b.kept.plan, b.kept.dirty = next, nil
	s.b = b
	s.searchStale.Store(true)
	res := b.result(start, s.o.OutDir)
	res.Changed = changedPages
	return res, nil
}

// merge adds what a quick update made to the plan kept, and the items it
// changed in place to dirty.
func (k *kept) merge(p *plan) {
	maps.Copy(k.plan, p.made())
	if k.dirty == nil {
		k.dirty = map[*content.Item]bool{}
	}
	maps.Copy(k.dirty, p.dirty)
}
