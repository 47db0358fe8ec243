package site

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/publish"
)

// Session keeps what a build knows, so the preview can rebuild only what an
// edit touches. A change to the text of items (not their front matter, and
// not a summary that lists show) rewrites just those pages in place; any
// other change rebuilds the whole site. A Session is not safe for
// concurrent use: the preview runs one rebuild at a time.
type Session struct {
	// BeforeFull, when set, is called before a full rebuild starts: the
	// preview stops its search index job there, since a full build swaps
	// the whole output folder.
	BeforeFull  func()
	o           Options
	b           *builder    // the last good build
	searchStale atomic.Bool // pages changed since the search index was written
}

// NewSession starts a session; nothing is built until Update.
func NewSession(o Options) *Session {
	if o.OutDir == "" {
		o.OutDir = filepath.Join(o.SiteDir, "public")
	}
	return &Session{o: o}
}

// Update rebuilds the site after the files in changed (paths under the
// site folder) were saved; nil means build everything. It reports whether
// only pages were rewritten, and errors as Build does: after an error the
// last good output stays.
func (s *Session) Update(ctx context.Context, changed []string) (res *Result, partial bool, err error) {
	if s.b != nil && changed != nil {
		if items, ok := s.textOnly(changed); ok {
			res, err = s.pages(ctx, items)
			if err != errFull {
				return res, err == nil, err
			}
		}
	}
	if s.BeforeFull != nil {
		s.BeforeFull()
	}
	b, res, err := build(ctx, s.o)
	if err == nil {
		s.b = b
		s.searchStale.Store(false)
	}
	return res, false, err
}

// errFull says an edit needs the whole site rebuilt after all.
var errFull = diagError("rebuild everything")

type diagError string

func (e diagError) Error() string { return string(e) }

// TextOnly says whether an update for these changed files may rewrite just
// some pages (it may still turn out to need everything rebuilt).
// textOnly finds the items whose files changed, when every changed file is
// an item's Markdown file.
func (s *Session) textOnly(changed []string) ([]*content.Item, bool) {
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
		items = append(items, it)
	}
	return items, len(items) > 0
}

// pages reads the items again and, when only their text changed, rewrites
// their pages in place. It returns errFull when the change is bigger.
func (s *Session) pages(ctx context.Context, items []*content.Item) (*Result, error) {
	start := time.Now()
	b := s.b
	var probs diag.List
	fresh := make([]*content.Item, len(items))
	for i, old := range items {
		it, ps := content.Reload(b.fsys, old)
		probs.Add(ps...)
		if it != nil && !content.SameButBody(old, it) {
			return nil, errFull
		}
		fresh[i] = it
	}
	if probs.HasErrors() {
		return nil, probs.Err()
	}
	// a summary made from the text shows in lists: those need rebuilding too
	for i, it := range fresh {
		if it.Summary == "" {
			_, res := b.markdown(it.File, it.Dir, bundleOf(it), it.Body, it.BodyLine)
			if summary("", res.Text) != b.card(items[i]).Summary {
				return nil, errFull
			}
		}
	}
	pub, err := publish.Begin(s.o.OutDir, publish.Options{Minify: s.o.Minify, InPlace: true})
	if err != nil {
		return nil, err
	}
	b.ctx, b.pub, b.probs = ctx, pub, &probs
	b.pages.Store(0)
	// the same *Item stays in the lists, themes and indexes; only its text is new
	saved := make([]content.Item, len(items))
	for i, it := range items {
		saved[i] = *it
		*it = *fresh[i]
	}
	b.run(func(emit func(job)) {
		for _, it := range items {
			emit(func() { b.itemPage(it) })
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
	if err := pub.Commit(); err != nil {
		return nil, err
	}
	s.searchStale.Store(true)
	return b.result(start, s.o.OutDir), nil
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
