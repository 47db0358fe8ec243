package site

import (
	"context"
	"crypto/sha256"
	"errors"
	"hash/maphash"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/search"
)

// Session keeps what a build knows, so the preview can rebuild only what an
// edit touches. An edit to items' Markdown text that changes nothing other
// pages show of them rewrites their pages in place (textOnly); any other
// edit to the content's Markdown files (front matter, new and removed
// items, themes', packs' and standalone pages' files, introductions) makes
// the site again from the last run's plan, writing what changed (refresh,
// plan.go); any other change rebuilds the whole site. A Session is not
// safe for concurrent use: the preview runs one rebuild at a time.
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
	b           *builder    // the last good build
	searchStale atomic.Bool // pages changed since the search index was written
	failed      []string    // the files of the last update, when it failed in a quick update
	failedAll   bool        // the last full build failed: the next update builds everything
	spill       *spill      // the file b's search index keeps its quotes in, or nil
}

// Close lets go of what the session holds on disk. The session is not
// used after.
func (s *Session) Close() {
	s.spill.close()
	s.spill, s.b = nil, nil
}

// kept is what a Session's runs hand on to the next, apart from the state
// of one run (builder): each item's rendered text (itemText), the content
// files each text links to (texts showing a page that comes, goes or
// moves are rendered again), the related lists (related.go), and the page
// plan of the last good run with the items changed in place since
// (plan.go), and the sha256 of each search index file in the output, so
// that SearchJob writes only those whose bytes change. A full build starts
// it afresh.
type kept struct {
	texts     sync.Map // *content.Item → *itemText
	bodies    sync.Map // *content.Item → uint64, a hash of the text let go (builder.body)
	linksFrom sync.Map // content file → []string
	related   sync.Map // content file → relatedKept
	plan      map[string]planned
	dirty     map[*content.Item]bool
	search    sync.Map // name under search/data/ → [32]byte
	pictures  sync.Map // picture file → pictureSum (pictures.go)
	// textPictures are the pictures with copies each text shows (content
	// file → map[picture file]*coverPicture), for a run that keeps the
	// text as rendered; hidden are the pictures whose originals the last
	// full run left out (hiddenOriginals)
	textPictures sync.Map
	hidden       map[string]bool
	linked       map[string]bool // what links lead to (hiddenOriginals)
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
	if s.b != nil && s.b.lang == nil && changed != nil { // a site in several languages is built whole
		if e, ok := s.classify(changed); ok {
			res, err = s.textOnly(ctx, e)
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
	o := s.o
	sp := openSpill(s.o.SiteDir)
	if sp != nil {
		o.spill = sp.search
	}
	b, res, err := build(ctx, o)
	s.failed, s.failedAll = nil, err != nil && ctx.Err() == nil
	if err == nil {
		b.kept.plan = b.plan.made()
		s.b = b
		s.searchStale.Store(false)
		s.spill, sp = sp, s.spill // the last build's is let go below
	}
	sp.close()
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
	for _, it := range s.b.lib.Items {
		if it.Bundle && slices.ContainsFunc(it.Assets, func(a string) bool { return it.Dir+"/"+a == rel }) {
			return it.Path
		}
	}
	for _, pf := range s.b.lib.PageFiles() {
		if pf.File == rel {
			return pf.Path
		}
	}
	return ""
}

// errFull says an edit needs the whole site rebuilt after all.
var errFull = errors.New("rebuild everything")

// edit is what changed among the content's files: items' files edited,
// files new to the library, items whose files are gone, and the other
// pages' files (content.IsPageFile) edited, added or removed.
type edit struct {
	items   []*content.Item // edited
	added   []string        // slash paths under the site folder
	removed []*content.Item
	pages   []string // slash paths under the site folder
}

// classify sorts the changed files into an edit, when every one of them is
// a Markdown file of the content: an existing item's, a new single-file
// item's, a removed story's or feature's on its own (an episode or a
// bundle leaves other files behind), or another page's. Anything else
// needs a full build.
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
		case it == nil && content.IsPageFile(rel):
			e.pages = append(e.pages, rel)
		default:
			return e, false
		}
	}
	return e, len(changed) > 0
}

// textOnly rewrites in place the pages of items whose edit changed their
// Markdown text and nothing any other page shows of them: the same front
// matter (content.SameButBody), the same summary, the same works cited,
// and in no learning pack (whose print page holds the whole text). Their
// own pages and search documents are all that change. Any other edit is
// refresh's, which plans the site again from the last run (plan.go). An
// item among those the site's feeds carry whole has them written again too.
func (s *Session) textOnly(ctx context.Context, e edit) (*Result, error) {
	if len(e.added)+len(e.removed)+len(e.pages) > 0 {
		return s.refresh(ctx, e)
	}
	start := time.Now()
	b := s.b
	items := e.items
	var probs diag.List
	fresh := make([]*content.Item, len(items))
	opts := s.o.contentOptions()
	for i, old := range items {
		it, ps := content.Reload(b.fsys, old, b.lib.Catalogue, opts)
		probs.Add(ps...)
		fresh[i] = it
	}
	if probs.HasErrors() {
		return nil, probs.Err()
	}
	var check diag.List // the texts' warnings come again with their pages
	b.probs = &check
	shown := map[string][]string{} // the texts' pictures with copies, before
	for _, it := range items {
		shown[it.File] = b.textPictureFiles(it.File)
		b.kept.textPictures.Delete(it.File) // rendered again below
	}
	for i, old := range items {
		it := fresh[i]
		// the same front matter, over the same lines; a text let go, read
		// again from the file (builder.body)
		if !opts.Shows(it) || !content.SameButBody(old, it) || it.BodyLine != old.BodyLine || old.Body != nil ||
			len(b.inPack[old]) > 0 || !b.lib.Catalogue.Relink(old, it) {
			return s.refresh(ctx, e)
		}
		r := b.rendering(it.File, it.Dir, bundleOf(it), source{body: it.Body}, it.BodyLine)
		if summary(it.Summary, r.lead) != b.card(old).Summary || !slices.Equal(citedIDs(it, b.bodyCited(it, r.Citations)), b.citesOf(old)) {
			return s.refresh(ctx, e)
		}
	}
	b.probs = &probs
	pub, err := publish.Begin(s.o.OutDir, publish.Options{Minify: s.o.Minify, InPlace: true})
	if err != nil {
		return nil, err
	}
	b.ctx, b.pub = ctx, pub
	b.plan = &plan{before: b.kept.plan, dirty: maps.Clone(b.kept.dirty)}
	if b.plan.dirty == nil {
		b.plan.dirty = map[*content.Item]bool{}
	}
	for _, it := range items {
		b.plan.dirty[it] = true
	}
	b.pages.Store(0)
	b.reread.Store(false)
	// the items stay as they are, in the lists, themes and indexes: their
	// pages read the new texts from their files (builder.body), known by
	// their hashes
	savedSums := make([]any, len(items))
	for i, it := range items {
		savedSums[i], _ = b.kept.bodies.Load(it)
		b.kept.bodies.Store(it, maphash.Bytes(bodySeed, fresh[i].Body))
	}
	b.run(func(emit func(job)) {
		for _, it := range items {
			emit(func() { b.itemPage(it) })
		}
	})
	b.makeCopies()() // of pictures new to the texts
	for _, it := range items {
		now := b.textPictureFiles(it.File)
		if slices.ContainsFunc(shown[it.File], func(f string) bool { return !slices.Contains(now, f) }) {
			b.reread.Store(true) // a picture went: its copies go, its original may come back
		}
	}
	if !b.sameOriginals() {
		b.reread.Store(true) // a picture came whose original must leave
	}
	// the site's feeds carry the newest texts whole: written again, after
	// the pages that rendered the new texts (itemText keeps them)
	if slices.ContainsFunc(items, b.inSiteFeed) && !probs.HasErrors() && !b.reread.Load() {
		b.run(func(emit func(job)) { emit(func() { b.siteFeeds() }) })
	}
	if err := ctx.Err(); err != nil || probs.HasErrors() || b.reread.Load() {
		pub.Abort()
		for i, it := range items {
			b.kept.texts.Delete(it) // rendered from the text that failed
			if savedSums[i] != nil {
				b.kept.bodies.Store(it, savedSums[i])
			} else {
				b.kept.bodies.Delete(it)
			}
		}
		if err != nil {
			return nil, err
		}
		if b.reread.Load() && !probs.HasErrors() {
			return nil, errFull // a text changed since it was read
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
	s.b.kept.merge(s.b.plan)
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
	for _, rel := range pub.Held() {
		delete(s.b.kept.plan, rel) // in place: should the update fail, the next writes them again
	}
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
	out, sums, sp := s.o.OutDir, &s.b.kept.search, s.spill
	return func(ctx context.Context) (err error) {
		defer func() {
			if err != nil {
				s.searchStale.Store(true)
			}
		}()
		pub, err := publish.Begin(out, publish.Options{InPlace: true})
		if err != nil {
			return err
		}
		// each file as it is made, held only when its bytes changed: the
		// whole index is never in memory at once
		now := map[string][32]byte{}
		snap.BuildEach(func(f search.File) {
			sum := sha256.Sum256(f.Data)
			now[f.Name] = sum
			if was, ok := sums.Load(f.Name); (!ok || was.([32]byte) != sum) && err == nil && ctx.Err() == nil {
				err = pub.WriteRaw("search/data/"+f.Name, f.Data)
			}
		})
		if err == nil {
			err = ctx.Err()
		}
		if err == nil && sp != nil {
			err = sp.search.Err()
		}
		if err != nil {
			pub.Abort()
			return err
		}
		// the index's files it no longer has: pages' passage files, blocks
		// and shards past the new ends
		if old, err := os.ReadDir(filepath.Join(out, "search", "data")); err == nil {
			for _, e := range old {
				if _, ok := now[e.Name()]; !ok && !e.IsDir() {
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
		sums.Clear() // until the files are in place, none is known
		if err := pub.Commit(); err != nil {
			return err
		}
		for name, sum := range now {
			sums.Store(name, sum)
		}
		return nil
	}
}

// RefreshSearch runs SearchJob's work now.
func (s *Session) RefreshSearch(ctx context.Context) error {
	if job := s.SearchJob(); job != nil {
		return job(ctx)
	}
	return nil
}
