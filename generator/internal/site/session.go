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
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/render"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// Session keeps what a build knows, so the preview can rebuild only what an
// edit touches. An edit to items that leaves them in the same places
// (address, date, kind, themes, drafting) rewrites their pages in place, and
// the pages that show them when what lists show changed; any other change
// rebuilds the whole site. A Session is not safe for concurrent use: the
// preview runs one rebuild at a time.
type Session struct {
	// BeforeFull, when set, is called before a full rebuild starts: the
	// preview stops its search index job there, since a full build swaps
	// the whole output folder.
	BeforeFull  func()
	o           Options
	b           *builder    // the last good build
	searchStale atomic.Bool // pages changed since the search index was written
	failed      []string    // the files of the last update, when it failed in a quick update
	failedAll   bool        // the last full build failed: the next update builds everything
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
		if items, ok := s.changedItems(changed); ok {
			res, err = s.pages(ctx, items)
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
		s.b = b
		s.searchStale.Store(false)
	}
	return res, false, err
}

// errFull says an edit needs the whole site rebuilt after all.
var errFull = errors.New("rebuild everything")

// TextOnly says whether an update for these changed files may rewrite just
// some pages (it may still turn out to need everything rebuilt).
// changedItems finds the items whose files changed, when every changed
// file is an existing item's Markdown file.
func (s *Session) changedItems(changed []string) ([]*content.Item, bool) {
	var items []*content.Item
	for _, p := range changed {
		rel, err := filepath.Rel(s.o.SiteDir, p)
		if err != nil || strings.HasPrefix(rel, "..") {
			return nil, false
		}
		it := s.b.byFile[filepath.ToSlash(rel)]
		if it == nil {
			return nil, false
		}
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			return nil, false // removed or renamed: its page and every list change
		}
		items = append(items, it)
	}
	return items, len(items) > 0
}

// pages reads the items again and, when they stay in the same places in
// lists and themes, rewrites their pages in place: for a change to the text
// alone, just their pages; when what lists show of them changed too (title,
// summary, authors…), also the list, theme, home and related pages that
// show them, and the feeds. It returns errFull when the change is bigger.
func (s *Session) pages(ctx context.Context, items []*content.Item) (*Result, error) {
	start := time.Now()
	b := s.b
	var probs diag.List
	fresh := make([]*content.Item, len(items))
	for i, old := range items {
		it, ps := content.Reload(b.fsys, old)
		probs.Add(ps...)
		if it != nil && !content.SamePlace(old, it) {
			return nil, errFull
		}
		fresh[i] = it
	}
	if probs.HasErrors() {
		return nil, probs.Err()
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
	relatedBy := b.relatedBy
	b.ctx, b.pub, b.probs, b.relatedBy = ctx, pub, &probs, nil // related lists are unchanged: nothing to record
	defer func() { b.relatedBy = relatedBy }()
	b.pages.Store(0)
	// the same *Item stays in the lists, themes and indexes; only its fields are new
	saved := make([]content.Item, len(items))
	for i, it := range items {
		saved[i] = *it
		*it = *fresh[i]
	}
	// their own pages first: they make the new cards the other pages show
	b.run(func(emit func(job)) {
		for _, it := range items {
			emit(func() { b.itemPage(it) })
		}
	})
	b.run(func(emit func(job)) {
		pages := map[*content.Item]bool{}
		for _, it := range shown {
			for _, other := range relatedBy[it] {
				if !slices.Contains(items, other) {
					pages[other] = true
				}
			}
		}
		for it := range pages {
			emit(func() { b.itemPage(it) })
		}
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
		if err != nil {
			return nil, err
		}
		return nil, probs.Err()
	}
	var changed []string
	for _, rel := range pub.Held() {
		if strings.HasSuffix(rel, ".html") {
			changed = append(changed, "/"+strings.TrimSuffix(rel, "index.html"))
		}
	}
	if err := pub.Commit(); err != nil {
		return nil, err
	}
	s.searchStale.Store(true)
	res := b.result(start, s.o.OutDir)
	res.Changed = changed
	return res, nil
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
		for _, f := range files {
			if err := pub.WriteRaw("search/data/"+f.Name, f.Data); err != nil {
				pub.Abort()
				return err
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
