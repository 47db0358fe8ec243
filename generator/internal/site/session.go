package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/harvard"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/render"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// Session keeps what a build knows, so the preview can rebuild only what an
// edit touches. An edit to items that leaves them in the same places
// (address, date, kind, themes, drafting) rewrites their pages in place, and
// the pages that show them when what lists show changed; an edit that moves
// them (a new date or new themes, at the same address), a new single-file
// item or a removed story or feature puts the library in order again in
// memory and rewrites the pages that changed; any other change rebuilds the
// whole site. A Session is not safe for concurrent use: the preview runs one
// rebuild at a time.
type Session struct {
	// BeforeFull, when set, is called before a full rebuild starts: the
	// preview stops its search index job there, since a full build swaps
	// the whole output folder.
	BeforeFull func()
	// Early, when set, hears the pages an update put in place ahead of the
	// rest: an edit that changes what lists show, or moves an item, puts
	// the item's own page in place first (the editor is looking at it) and
	// the pages that list it after. Result.Changed then lists only the
	// later ones.
	Early       func(changed []string)
	o           Options
	b           *builder                          // the last good build
	relatedBy   map[*content.Item][]*content.Item // the pages listing each item as related, from b.relatedOf
	searchStale atomic.Bool                       // pages changed since the search index was written
	failed      []string                          // the files of the last update, when it failed in a quick update
	failedAll   bool                              // the last full build failed: the next update builds everything
}

// NewSession starts a session; nothing is built until Update.
func NewSession(o Options) *Session {
	if o.OutDir == "" {
		o.OutDir = filepath.Join(o.SiteDir, "public")
	}
	o.session = true
	return &Session{o: o}
}

// Update rebuilds the site after the files in changed (paths under the
// site folder) were saved; nil means build everything. It reports whether
// only pages were rewritten, and errors as Build does: after an error the
// last good output stays.
func (s *Session) Update(ctx context.Context, changed []string) (res *Result, partial bool, err error) {
	// what failed last time is tried again with what changed now, so a
	// later good edit elsewhere never hides a file that is still broken
	if s.failedAll {
		changed = nil
	} else if changed != nil {
		changed = slices.Clone(changed)
		for _, p := range s.failed {
			if !slices.Contains(changed, p) {
				changed = append(changed, p)
			}
		}
	}
	if s.b != nil && changed != nil {
		if e, ok := s.classify(changed); ok {
			res, err = s.pages(ctx, e)
			if err != nil && s.b != nil {
				// a failed update may have rendered texts it then undid
				s.b.texts.Clear()
			}
			if err != errFull {
				s.failed = nil
				if err != nil && ctx.Err() == nil {
					s.failed = changed
				}
				return res, err == nil, err
			}
		}
	}
	if s.BeforeFull != nil {
		s.BeforeFull()
	}
	b, res, err := build(ctx, s.o)
	s.failed, s.failedAll = nil, err != nil && ctx.Err() == nil
	if err == nil {
		s.b, s.relatedBy = b, nil
		s.searchStale.Store(false)
	}
	return res, false, err
}

// PageOf is the site path of the page a file of the site makes, as of the
// last good update: an item's (its Markdown or a file of its bundle), a
// theme's, a standalone page's, a pack's, or the list a section's
// introduction heads ("/" for the home page's); "" for any other file,
// and before the first good build.
func (s *Session) PageOf(file string) string {
	rel, err := filepath.Rel(s.o.SiteDir, file)
	if s.b == nil || err != nil {
		return ""
	}
	rel = filepath.ToSlash(rel)
	lib := s.b.lib
	for _, it := range lib.Items {
		if it.File == rel || it.Bundle && slices.ContainsFunc(it.Assets, func(a string) bool { return it.Dir+"/"+a == rel }) {
			return it.Path
		}
	}
	for _, th := range lib.Themes {
		if th.File == rel {
			if t := s.b.themes.Get(th.Slug); t != nil {
				return t.Path()
			}
		}
	}
	for _, pg := range lib.Pages {
		if pg.File == rel {
			return pg.Path
		}
	}
	for _, pk := range lib.Packs {
		if pk.File == rel {
			return pk.Path
		}
	}
	for name, sec := range lib.Sections {
		if sec.File == rel && name == "" {
			return "/"
		} else if sec.File == rel {
			return "/" + name + "/"
		}
	}
	return ""
}

// errFull says an edit needs the whole site rebuilt after all.
var errFull = errors.New("rebuild everything")

// edit is what changed among the items: files edited, files new to the
// library, and items whose files are gone.
type edit struct {
	items   []*content.Item // edited
	added   []string        // slash paths under the site folder
	removed []*content.Item
}

// classify sorts the changed files into an edit, when every one of them is
// an item's Markdown file: an existing item's, a new single-file item's, or
// a removed story's or feature's on its own (an episode or a bundle leaves
// other files behind). Anything else needs a full build.
func (s *Session) classify(changed []string) (edit, bool) {
	var e edit
	for _, p := range changed {
		rel, err := filepath.Rel(s.o.SiteDir, p)
		if err != nil || strings.HasPrefix(rel, "..") {
			return e, false
		}
		rel = filepath.ToSlash(rel)
		fi, err := os.Stat(p)
		exists := err == nil && fi.Mode().IsRegular()
		switch it := s.b.byFile[rel]; {
		case it != nil && exists:
			e.items = append(e.items, it)
		case it != nil && !it.Bundle && it.Kind != content.Episode:
			e.removed = append(e.removed, it)
		case it == nil && exists && content.IsItemFile(rel):
			e.added = append(e.added, rel)
		default:
			return e, false
		}
	}
	return e, len(changed) > 0
}

// pages reads the items again and, when they stay in the same places in
// lists and themes, rewrites their pages in place: for a change to the text
// alone, just their pages; when what lists show of them changed too (title,
// summary, authors…), also the list, theme, home and related pages that
// show them, and the feeds. Items that move, come or go are left to moved.
// It returns errFull when the change is bigger.
func (s *Session) pages(ctx context.Context, e edit) (*Result, error) {
	start := time.Now()
	b := s.b
	items := e.items
	var probs diag.List
	fresh := make([]*content.Item, len(items))
	moved := len(e.added)+len(e.removed) > 0
	opts := s.o.contentOptions()
	for i, old := range items {
		it, ps := content.Reload(b.fsys, old, b.lib.Catalogue, opts)
		probs.Add(ps...)
		if it != nil && !opts.Shows(it) {
			return nil, errFull // now a hidden draft or scheduled: it goes from every page
		}
		if it != nil && !content.SamePlace(old, it) {
			if !content.SameAddress(old, it) {
				return nil, errFull
			}
			moved = true
		}
		fresh[i] = it
	}
	if probs.HasErrors() {
		return nil, probs.Err()
	}
	// whether the site has a podcast is on every page and decides its
	// feed: an episode's audio coming or going where that changes it
	// rebuilds everything
	if hasPodcast(b.lib) != slices.ContainsFunc(b.lib.Items, func(it *content.Item) bool {
		if i := slices.Index(items, it); i >= 0 {
			it = fresh[i]
		}
		return it.Episode != nil && it.Episode.Audio != nil
	}) {
		return nil, errFull
	}
	if moved && slices.ContainsFunc(slices.Concat(items, e.removed), func(it *content.Item) bool { return len(b.inPack[it]) > 0 }) {
		return nil, errFull // an item of a pack moving or going is rare enough to rebuild for
	}
	var cat *content.Catalogue
	var bib *harvard.Bibliography
	if !moved {
		var ok bool
		if cat, bib, ok = b.recatalogue(items, fresh, nil, nil); !ok {
			return nil, errFull
		}
	}
	if moved {
		res, err := s.moved(ctx, e, fresh, &probs)
		if err != nil {
			s.b = nil // half moved: the next update, or this one, builds everything
			return nil, err
		}
		res.Duration = time.Since(start)
		return res, nil
	}
	// what lists show: anything but the text, or a summary made from the text
	var shown []*content.Item
	for i, it := range fresh {
		if !content.SameButBody(items[i], it) {
			shown = append(shown, items[i])
			continue
		}
		if it.Summary == "" {
			_, res := b.markdown(it.File, it.Dir, bundleOf(it), it.Body, it.BodyLine)
			if summary("", res.Text) != b.card(items[i]).Summary {
				shown = append(shown, items[i])
			}
		}
	}
	sitemap := false
	for i, it := range fresh {
		sitemap = sitemap || !it.Updated.Equal(items[i].Updated)
	}
	pub, err := publish.Begin(s.o.OutDir, publish.Options{Minify: s.o.Minify, InPlace: true})
	if err != nil {
		return nil, err
	}
	relatedBy := s.listers()
	b.ctx, b.pub, b.probs = ctx, pub, &probs
	b.pages.Store(0)
	// the same *Item stays in the lists, themes and indexes; only its fields are new
	saved := make([]content.Item, len(items))
	for i, it := range items {
		saved[i] = *it
		*it = *fresh[i]
	}
	ev := b.reanalyse(&probs, items, shown) // outcomes across stories (evidence.go)
	oldCat, oldBib := b.lib.Catalogue, b.rnd.Bibliography()
	b.lib.Catalogue = cat
	b.rnd.SetBibliography(bib)
	citesBefore := make([][]string, len(items))
	for i, it := range items {
		citesBefore[i] = b.citesOf(it)
	}
	// their own pages first: they make the new cards the other pages show
	b.run(func(emit func(job)) {
		for _, it := range items {
			emit(func() { b.itemPage(it) })
		}
	})
	// /sources/ lists the pages citing each source: it changes with what
	// they cite and with what lists show of them; its files with the sources
	worksChanged := !slices.Equal(oldCat.Works(), cat.Works())
	cited := slices.ContainsFunc(shown, func(it *content.Item) bool { return b.citesOf(it) != nil })
	for i, it := range items {
		cited = cited || !slices.Equal(citesBefore[i], b.citesOf(it))
	}
	if len(shown) > 0 {
		if err := s.early(ctx, pub, &probs); err != nil {
			return nil, err
		}
	}
	b.run(func(emit func(job)) {
		pages := map[*content.Item]bool{}
		for _, it := range shown {
			for _, other := range relatedBy[it] {
				if !slices.Contains(items, other) {
					pages[other] = true
				}
			}
		}
		// the packs the items are in: their pages show titles, times
		// and (to print) the text, and the items either side in a pack
		// name them on their pages
		var packs []*content.Pack
		for _, it := range items {
			for _, pk := range b.inPack[it] {
				if !slices.Contains(packs, pk) {
					packs = append(packs, pk)
				}
			}
		}
		for _, pk := range packs {
			for i, pe := range pk.Entries {
				if len(shown) == 0 || !slices.Contains(shown, pe.Item) {
					continue
				}
				for _, j := range []int{i - 1, i + 1} {
					if j >= 0 && j < len(pk.Entries) && !slices.Contains(items, pk.Entries[j].Item) {
						pages[pk.Entries[j].Item] = true
					}
				}
			}
		}
		if len(packs) > 0 {
			b.packPagesOf(emit, packs)
		}
		switch {
		case worksChanged:
			b.sourcePages(emit)
		case cited:
			emit(b.sourcesPage)
		}
		for it := range pages {
			emit(func() { b.itemPage(it) })
		}
		ev.write(b, emit)
		if len(shown) > 0 {
			b.listsShowing(emit, shown)
			b.feeds(emit)
			if sitemap {
				b.machinePages(emit)
			}
		}
	})
	if err := ctx.Err(); err != nil || probs.HasErrors() {
		pub.Abort()
		for i, it := range items {
			*it = saved[i]
		}
		b.ev = ev.old
		b.lib.Catalogue = oldCat
		b.rnd.SetBibliography(oldBib)
		if err != nil {
			return nil, err
		}
		return nil, probs.Err()
	}
	return s.commit(pub, start)
}

// commit puts the pages an update wrote in place and says which changed.
func (s *Session) commit(pub *publish.Publisher, start time.Time) (*Result, error) {
	changed := heldPages(pub)
	if err := pub.Commit(); err != nil {
		return nil, err
	}
	s.searchStale.Store(true)
	res := s.b.result(start, s.o.OutDir)
	res.Changed = changed
	return res, nil
}

// early puts what pub holds so far in place and tells Early, when it is
// set and nothing has gone wrong yet.
func (s *Session) early(ctx context.Context, pub *publish.Publisher, probs *diag.List) error {
	if s.Early == nil || probs.HasErrors() || ctx.Err() != nil {
		return nil
	}
	changed := heldPages(pub)
	if err := pub.Commit(); err != nil {
		return err
	}
	s.Early(changed)
	return nil
}

// heldPages are the site paths of the HTML pages pub holds.
func heldPages(pub *publish.Publisher) []string {
	var out []string
	for _, rel := range pub.Held() {
		if strings.HasSuffix(rel, ".html") {
			out = append(out, "/"+strings.TrimSuffix(rel, "index.html"))
		}
	}
	return out
}

// listers returns, for each item, the pages that list it as related.
func (s *Session) listers() map[*content.Item][]*content.Item {
	if s.relatedBy == nil {
		s.relatedBy = map[*content.Item][]*content.Item{}
		for it, rel := range s.b.relatedOf {
			for _, r := range rel {
				s.relatedBy[r.Item] = append(s.relatedBy[r.Item], it)
			}
		}
	}
	return s.relatedBy
}

// moved rewrites what an edit that moves items changes (a new date or new
// themes, at the same address), with items added and removed. The library
// is put in order again and the theme index rebuilt in memory, without
// reading any other file. Then only the pages whose content changed are
// written: the items' own pages; the pages whose related lists changed
// (only items sharing a theme, or a wider theme, with a moved item can
// change: through their candidates or the themes' weights); the list pages
// whose slice of items changed or that show a moved item, and the pages a
// list gains; every theme page, the themes index, the home and search pages;
// the feeds and the sitemap. Pages of removed items, and those a list
// loses, are removed. A theme appearing or emptying returns errFull. On any
// error the builder is left half moved: the caller drops it.
func (s *Session) moved(ctx context.Context, e edit, fresh []*content.Item, probs *diag.List) (*Result, error) {
	start := time.Now()
	b := s.b
	oldThemes, oldByKind, oldOrd, oldSearch := b.themes, b.byKind, b.ord, b.search
	touched := map[string]bool{} // slugs of the themes whose lists or weights change
	touch := func(x *taxonomy.Index, it *content.Item) {
		for _, th := range x.Of(it) {
			for t := th; t != nil; t = t.Broader {
				touched[t.Slug] = true
			}
		}
	}
	// the new items, read as Load would
	var added []*content.Item
	for _, p := range e.added {
		it, ps, _ := content.LoadNew(b.fsys, p, s.o.contentOptions(), b.lib.Catalogue)
		probs.Add(ps...)
		if it != nil {
			added = append(added, it)
		}
	}
	if probs.HasErrors() {
		return nil, probs.Err()
	}
	cat, bib, ok := b.recatalogue(e.items, fresh, added, e.removed)
	if !ok {
		return nil, errFull
	}
	if len(added)+len(e.removed) > 0 {
		b.texts.Clear() // a link in any text may now find its page, or lose it
	}
	cited := slices.ContainsFunc(slices.Concat(e.items, e.removed), func(it *content.Item) bool { return b.citesOf(it) != nil })
	for _, it := range e.removed {
		b.cites.Delete(it)
	}
	if !hasPodcast(b.lib) && hasPodcast(&content.Library{Items: added}) {
		return nil, errFull // the site's first podcast episode: see pages
	}
	isMoved := map[*content.Item]bool{} // items whose cards are new: edited and added
	files := map[string]bool{}
	items := slices.Clone(e.items)
	for i, it := range items {
		touch(oldThemes, it)
		*it = *fresh[i]
		isMoved[it], files[it.File] = true, true
	}
	gone := map[*content.Item]bool{}
	for _, it := range e.removed {
		touch(oldThemes, it)
		b.linksFrom.Delete(it.File)
		gone[it] = true
		delete(b.relatedOf, it)
		b.cards.Delete(it)
	}
	b.lib.Items = slices.DeleteFunc(b.lib.Items, func(it *content.Item) bool { return gone[it] })
	b.lib.Catalogue = cat
	b.rnd.SetBibliography(bib)
	for _, it := range added {
		b.lib.Items = append(b.lib.Items, it)
		items = append(items, it)
		isMoved[it], files[it.File] = true, true
	}
	content.SortItems(b.lib.Items)
	probs.Add(content.CheckPaths(b.lib)...)
	themes, ps := taxonomy.Build(b.lib)
	for _, p := range ps {
		if p.Severity == diag.Error || files[p.File] { // the other files' warnings were given before
			probs.Add(p)
		}
	}
	if probs.HasErrors() {
		return nil, probs.Err()
	}
	if !sameThemes(oldThemes, themes) {
		return nil, errFull
	}
	for _, it := range items {
		touch(themes, it)
	}
	b.themes, b.graph = themes, themes.Graph()
	b.index()
	// items coming or going change where links to their files lead: the
	// items whose texts have such links are written again, as is every
	// theme page; another page with one (a standalone page, a section's
	// introduction) rebuilds the site
	cameOrWent := map[string]bool{}
	for _, it := range slices.Concat(added, e.removed) {
		cameOrWent[it.File] = true
	}
	var linking []*content.Item
	full := false
	b.linksFrom.Range(func(k, v any) bool {
		if !slices.ContainsFunc(v.([]string), func(f string) bool { return cameOrWent[f] }) {
			return true
		}
		switch it := b.byFile[k.(string)]; {
		case it == nil && strings.HasPrefix(k.(string), content.Dir+"/"+content.ThemesSection+"/"):
			// a theme's text: every theme page is written again below
		case it == nil:
			full = true
		case !isMoved[it]:
			linking = append(linking, it)
		}
		return !full
	})
	if full {
		return nil, errFull
	}
	to := make([]int, len(oldOrd))
	for it, i := range oldOrd {
		to[i] = -1
		if j, ok := b.ord[it]; ok {
			to[i] = j
		}
	}
	b.search = oldSearch.Renumbered(to, len(b.lib.Items))
	// a removed story's figures leave /evidence/ too
	if b.reanalyse(probs, items, slices.Concat(items, e.removed)); probs.HasErrors() {
		return nil, probs.Err()
	}

	pub, err := publish.Begin(s.o.OutDir, publish.Options{Minify: s.o.Minify, InPlace: true})
	if err != nil {
		return nil, err
	}
	b.ctx, b.pub, b.probs = ctx, pub, probs
	b.pages.Store(0)
	// their own pages first: they make the new cards the other pages show
	b.run(func(emit func(job)) {
		for _, it := range items {
			emit(func() { b.itemPage(it) })
		}
	})
	if err := s.early(ctx, pub, probs); err != nil {
		return nil, err
	}
	// which related lists change: the candidates are the items under a
	// touched theme; a list that now holds a moved item shows its new card
	// an item coming or going changes every theme's weight (log of items
	// over the theme's items), so any list may reorder
	every := len(added)+len(e.removed) > 0
	var cands []*content.Item
	for _, it := range b.lib.Items {
		if isMoved[it] {
			continue
		}
		for _, th := range themes.Of(it) {
			if every || touched[th.Slug] {
				cands = append(cands, it)
				break
			}
		}
	}
	rel := make([][]taxonomy.Related, len(cands)) // the new lists
	changed := make([]bool, len(cands))
	b.run(func(emit func(job)) {
		for i, it := range cands {
			emit(func() {
				rel[i] = themes.Related(it, taxonomy.DefaultRelated)
				changed[i] = !sameRelated(b.relatedOf[it], rel[i], isMoved)
			})
		}
	})
	b.run(func(emit func(job)) {
		rewritten := map[*content.Item]bool{}
		for i, it := range cands {
			if changed[i] {
				rewritten[it] = true
				emit(func() { b.relatedPage(it, rel[i], false) })
			}
		}
		for _, it := range linking {
			if !rewritten[it] {
				emit(func() { b.relatedPage(it, themes.Related(it, taxonomy.DefaultRelated), false) })
			}
		}
		for _, k := range content.Kinds {
			intro, html := b.intro(k.Section())
			l := b.rnd.SectionList(k, intro, html)
			b.changedLists(emit, l, oldByKind[k], b.byKind[k], isMoved)
			for n := b.pagesOf(len(b.byKind[k])) + 1; n <= b.pagesOf(len(oldByKind[k])); n++ {
				b.remove(render.ListPath(l.Base, n))
			}
		}
		for _, it := range e.removed {
			b.remove(it.Path)
			for _, a := range it.Aliases {
				b.remove(a)
			}
		}
		for _, th := range themes.Themes {
			emit(func() { b.themePage(th) })
			old := oldThemes.Get(th.Slug)
			for _, k := range content.Kinds {
				// a theme's full list of a kind exists when its page
				// cannot show them all, and may gain or lose pages
				l, now, was := b.rnd.ThemeList(th, k), kindOf(th.Items, k), kindOf(old.Items, k)
				if len(now) > b.cfg.Paginate {
					b.changedLists(emit, l, was, now, isMoved)
				}
				for n := b.themeListPages(len(now)) + 1; n <= b.themeListPages(len(was)); n++ {
					b.remove(render.ListPath(l.Base, n))
				}
			}
		}
		emit(b.themesIndex)
		b.evidencePages(emit)
		emit(b.homePage)
		emit(b.searchPage) // its filters list the years
		for _, it := range items {
			for _, a := range it.Aliases {
				emit(func() { b.write(b.rnd.AliasPage(a, it), it.File) })
			}
		}
		b.feeds(emit)
		b.machinePages(emit)
		if cited || slices.ContainsFunc(items, func(it *content.Item) bool { return b.citesOf(it) != nil }) {
			b.sourcePages(emit)
		}
	})
	if err := ctx.Err(); err != nil {
		pub.Abort()
		return nil, err
	}
	if probs.HasErrors() {
		pub.Abort()
		return nil, probs.Err()
	}
	s.relatedBy = nil
	return s.commit(pub, start)
}

// sameThemes says whether two theme indexes have the same themes, so no
// theme page appears or goes.
func sameThemes(a, b *taxonomy.Index) bool {
	return slices.EqualFunc(a.Themes, b.Themes, func(x, y *taxonomy.Theme) bool {
		return x.Slug == y.Slug && x.Defined == y.Defined && (x.Count() == 0) == (y.Count() == 0)
	})
}

// remove takes the page at a site path out of the output.
func (b *builder) remove(sitePath string) {
	file := strings.TrimPrefix(sitePath, "/")
	if file == "" || strings.HasSuffix(file, "/") {
		file += "index.html"
	}
	if err := b.pub.Remove(file); err != nil {
		b.fail(err)
	}
}

// themeListPages is how many pages a theme's full list of a kind has: none when
// the theme's page shows them all.
func (b *builder) themeListPages(items int) int {
	if items <= b.cfg.Paginate {
		return 0
	}
	return b.pagesOf(items)
}

// sameRelated says whether a page's related list reads the same as before:
// the same items in the same order, for the same shared themes, and none of
// them moved (a moved item's card shows its new date or themes).
func sameRelated(old, now []taxonomy.Related, moved map[*content.Item]bool) bool {
	return slices.EqualFunc(old, now, func(a, b taxonomy.Related) bool {
		return a.Item == b.Item && !moved[b.Item] && slices.EqualFunc(a.Shared, b.Shared, func(x, y *taxonomy.Theme) bool { return x.Slug == y.Slug })
	})
}

// changedLists emits the pages of a paginated list whose slice of items
// differs from the old order's, or shows a moved item; the first page too
// when the count it shows changed, and every page when the number of pages
// (in each page's heading and links) changed.
func (b *builder) changedLists(emit func(job), l render.ListOf, old, items []*content.Item, moved map[*content.Item]bool) {
	pages := b.pagesOf(len(items))
	for n := 1; n <= pages; n++ {
		lo, hi := (n-1)*b.cfg.Paginate, min(n*b.cfg.Paginate, len(items))
		// a page changes with the number of pages, the count on the first
		// page, the items it shows, and how many (the last page may lose one)
		changed := pages != b.pagesOf(len(old)) || n == 1 && len(old) != len(items) || min(n*b.cfg.Paginate, len(old)) != hi
		for i := lo; i < hi && !changed; i++ {
			changed = i >= len(old) || old[i] != items[i] || moved[items[i]]
		}
		if changed {
			emit(func() { b.listPage(l, items, n, pages) })
		}
	}
}

// listsShowing emits the list pages that show these items' cards: the page
// of their section list, the home page, their themes' pages (and wider
// themes', which show them as inherited), the page of each theme's full
// list of their kind, and their alias pages.
func (b *builder) listsShowing(emit func(job), items []*content.Item) {
	type listPage struct {
		base string
		n    int
	}
	done := map[listPage]bool{}
	home := false
	themes := map[*taxonomy.Theme]bool{}
	page := func(l render.ListOf, all []*content.Item, it *content.Item) {
		i := slices.Index(all, it)
		if i < 0 {
			return
		}
		lp := listPage{l.Base, i/b.cfg.Paginate + 1}
		if !done[lp] {
			done[lp] = true
			emit(func() { b.listPage(l, all, lp.n, b.pagesOf(len(all))) })
		}
	}
	for _, it := range items {
		k := it.Kind
		intro, html := b.intro(k.Section())
		page(b.rnd.SectionList(k, intro, html), b.byKind[k], it)
		if i := slices.Index(b.byKind[k], it); i >= 0 && i < homeLatest && !home {
			home = true
			emit(b.homePage)
		}
		for _, th := range b.themes.Themes {
			direct := slices.Contains(th.Items, it)
			if !direct && !slices.Contains(th.Inherited, it) {
				continue
			}
			if !themes[th] {
				themes[th] = true
				emit(func() { b.themePage(th) })
			}
			if of := kindOf(th.Items, k); direct && len(of) > b.cfg.Paginate {
				page(b.rnd.ThemeList(th, k), of, it)
			}
		}
		for _, a := range it.Aliases {
			emit(func() { b.write(b.rnd.AliasPage(a, it), it.File) })
		}
	}
}

// SearchStale says pages changed since the search index was written.
func (s *Session) SearchStale() bool { return s.searchStale.Load() }

// SearchJob returns the work of rewriting the search index for the pages as
// they are now, or nil when it is up to date. The work may run in another
// goroutine while later updates rewrite pages (it writes only the index
// files), but not during a full rebuild: wait for it first. If it fails or
// is cancelled, the index is marked out of date again.
func (s *Session) SearchJob() func(context.Context) error {
	if s.b == nil || !s.searchStale.Load() {
		return nil
	}
	s.b.searchTopics() // a pack names its items' titles, a theme how many it has
	snap := s.b.search.Snapshot()
	s.searchStale.Store(false) // a later page rewrite sets it again
	out := s.o.OutDir
	return func(ctx context.Context) (err error) {
		defer func() {
			if err != nil {
				s.searchStale.Store(true)
			}
		}()
		files := snap.Build()
		if err := ctx.Err(); err != nil {
			return err
		}
		pub, err := publish.Begin(out, publish.Options{InPlace: true})
		if err != nil {
			return err
		}
		written := map[string]bool{}
		for _, f := range files {
			if err := pub.WriteRaw("search/data/"+f.Name, f.Data); err != nil {
				pub.Abort()
				return err
			}
			written[f.Name] = true
		}
		// the index's files it no longer has: pages' passage files, blocks
		// and shards past the new ends
		if old, err := os.ReadDir(filepath.Join(out, "search", "data")); err == nil {
			for _, e := range old {
				if !written[e.Name()] && !e.IsDir() {
					if err := pub.Remove("search/data/" + e.Name()); err != nil {
						pub.Abort()
						return err
					}
				}
			}
		}
		if err := ctx.Err(); err != nil {
			pub.Abort()
			return err
		}
		return pub.Commit()
	}
}

// RefreshSearch runs SearchJob's work now.
func (s *Session) RefreshSearch(ctx context.Context) error {
	if job := s.SearchJob(); job != nil {
		return job(ctx)
	}
	return nil
}
