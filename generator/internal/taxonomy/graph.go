package taxonomy

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/otpress/otpress/generator/internal/content"
)

// Edge joins two themes filed together on at least one item.
//
// Count is how many items carry both: what the pages say in words
// ("appears with co-production in 12 items"), and how edges are ranked
// (ByItems), so that a reader can check every list, table and map against
// the numbers they show. Jaccard is Count divided by the number of items
// carrying either, from 0 to 1: how much two themes overlap relative to
// their size, which the force-directed layout uses to pull themes together
// (PMI was the other candidate; it rewards pairs of rare themes seen
// together once with the highest scores, which makes noisy maps on small
// sites).
type Edge struct {
	A, B    *Theme // A.Slug < B.Slug
	Count   int
	Jaccard float64
}

// Other is the theme at the other end of e from t.
func (e *Edge) Other(t *Theme) *Theme {
	if e.A == t {
		return e.B
	}
	return e.A
}

// Graph is the co-occurrence graph of themes.
type Graph struct {
	Edges []*Edge            // strongest first (ByItems)
	adj   map[*Theme][]*Edge // each theme's edges, strongest first
}

// Neighbours returns t's edges, strongest first.
func (g *Graph) Neighbours(t *Theme) []*Edge { return g.adj[t] }

// Graph builds the co-occurrence graph. It visits each item once and each
// pair of that item's own themes, so it grows linearly with the number of
// items.
func (x *Index) Graph() *Graph {
	type pair struct{ a, b *Theme }
	counts := map[pair]int{}
	for _, ths := range x.byItem {
		for i, a := range ths {
			for _, b := range ths[i+1:] {
				if b.Slug < a.Slug {
					a, b := b, a
					counts[pair{a, b}]++
					continue
				}
				counts[pair{a, b}]++
			}
		}
	}
	g := &Graph{adj: map[*Theme][]*Edge{}}
	for p, c := range counts {
		union := len(p.a.Items) + len(p.b.Items) - c
		g.Edges = append(g.Edges, &Edge{A: p.a, B: p.b, Count: c, Jaccard: float64(c) / float64(union)})
	}
	slices.SortFunc(g.Edges, ByItems)
	for _, e := range g.Edges {
		g.adj[e.A] = append(g.adj[e.A], e)
		g.adj[e.B] = append(g.adj[e.B], e)
	}
	return g
}

// ByItems orders edges as readers are told about them: most items together
// first, then by the names of the two themes (each edge's names in A to Z
// order, as Names gives them), then by slug.
func ByItems(a, b *Edge) int {
	a1, a2 := a.Names()
	b1, b2 := b.Names()
	return cmp.Or(
		cmp.Compare(b.Count, a.Count),
		compareTitles(a1, b1),
		compareTitles(a2, b2),
	)
}

// compareTitles orders themes by title, ignoring case, then by slug so that
// no two themes compare equal.
func compareTitles(a, b *Theme) int {
	return cmp.Or(
		cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)),
		cmp.Compare(a.Title, b.Title),
		cmp.Compare(a.Slug, b.Slug),
	)
}

// Names returns the edge's two themes in A to Z order of their titles.
func (e *Edge) Names() (first, second *Theme) {
	if compareTitles(e.B, e.A) < 0 {
		return e.B, e.A
	}
	return e.A, e.B
}

// Backbone picks the edges a map draws so that it shows structure rather
// than a hairball: an edge is kept when it is among the k strongest of
// either of its themes. Every theme with an edge keeps its strongest, and
// at most k times as many edges as themes are kept. Only edges whose both
// ends pass in are considered (nil keeps every theme). The edges must be in
// ByItems order, as Graph gives them; so is the result. It visits each edge
// once.
func Backbone(edges []*Edge, k int, in func(*Theme) bool) []*Edge {
	seen := map[*Theme]int{} // edges of each theme seen so far, strongest first
	var out []*Edge
	for _, e := range edges {
		if in != nil && !(in(e.A) && in(e.B)) {
			continue
		}
		if seen[e.A] < k || seen[e.B] < k {
			out = append(out, e)
		}
		seen[e.A]++
		seen[e.B]++
	}
	return out
}

// Related is an item related to another, with the themes they share.
type Related struct {
	Item   *content.Item
	Score  float64
	Shared []*Theme // rarest first: the explanation
}

// RelatedOptions bound the related-content ranking.
type RelatedOptions struct {
	Max     int // items to return
	PerKind int // at most this many of one kind
	// Window is how many items of a common theme are considered, those
	// nearest in date to the item: it keeps the work linear in the number
	// of items. Rare themes (shorter than the window) are read whole.
	Window int
}

// DefaultRelated is six related items, at most three of a kind, from windows
// of 60 items per theme.
var DefaultRelated = RelatedOptions{Max: 6, PerKind: 3, Window: 60}

// Related ranks other items by the themes they share with it. Each shared
// theme adds its inverse document frequency, log(N / items with the theme),
// so a rare shared theme counts for more than a common one. Ties go to the
// newer item, then the address. Candidates come from each of the item's
// themes: all of a rare theme's items, and a window of a common theme's items
// nearest in date, so the cost per item is bounded. It is safe to call from
// many goroutines at once.
func (x *Index) Related(it *content.Item, o RelatedOptions) []Related {
	own := x.byItem[it]
	if len(own) == 0 {
		return nil
	}
	sc := x.scratch.Get().(*scratch)
	defer x.scratch.Put(sc)
	sc.next()
	sc.mark(x.ord[it])
	// best keeps, per kind, the top PerKind candidates found so far
	type kindBest struct {
		kind content.Kind
		list []Related
	}
	var room [4]kindBest
	best := room[:0] // a kind or two: a list, not a map
	for _, t := range own {
		lo, hi := window(t.Items, it, o.Window)
		for k, c := range t.Items[lo:hi] {
			ord := t.ords[lo+k]
			if !sc.mark(int(ord)) {
				continue
			}
			// summed in the item's order of themes, not the candidate's:
			// the same shared themes give the same score to the last bit
			r := Related{Item: c}
			theirs := x.at[ord]
			for _, ct := range own {
				if slices.Contains(theirs, ct) {
					r.Score += ct.idf
				}
			}
			kb := -1
			for j := range best {
				if best[j].kind == c.Kind {
					kb = j
					break
				}
			}
			if kb < 0 {
				best = append(best, kindBest{kind: c.Kind})
				kb = len(best) - 1
			}
			list := best[kb].list
			if len(list) == o.PerKind && !better(r, list[len(list)-1]) {
				continue
			}
			list = append(list, r)
			slices.SortFunc(list, func(a, b Related) int {
				if better(a, b) {
					return -1
				}
				return 1
			})
			best[kb].list = list[:min(len(list), o.PerKind)]
		}
	}
	var out []Related
	for _, k := range content.Kinds {
		for _, kb := range best {
			if kb.kind == k {
				out = append(out, kb.list...)
			}
		}
	}
	slices.SortFunc(out, func(a, b Related) int {
		if better(a, b) {
			return -1
		}
		return 1
	})
	out = out[:min(len(out), o.Max)]
	for i := range out {
		// the explanation: shared themes, rarest first
		for _, ct := range x.byItem[out[i].Item] {
			if slices.Contains(own, ct) {
				out[i].Shared = append(out[i].Shared, ct)
			}
		}
		slices.SortStableFunc(out[i].Shared, func(a, b *Theme) int {
			return cmp.Or(cmp.Compare(len(a.Items), len(b.Items)), cmp.Compare(a.Title, b.Title))
		})
	}
	return out
}

// better orders related items: higher score, then newer, then by address.
func better(a, b Related) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if !a.Item.Date.Equal(b.Item.Date) {
		return a.Item.Date.After(b.Item.Date)
	}
	return a.Item.Path < b.Item.Path
}

// scratch marks items already considered for one Related call without a
// map: a stamp per item, reset by moving to the next generation.
type scratch struct {
	stamp []uint32
	gen   uint32
}

func (s *scratch) next() {
	s.gen++
	if s.gen == 0 { // wrapped: clear and start again
		clear(s.stamp)
		s.gen = 1
	}
}

// mark records item i and reports whether it was new in this generation.
func (s *scratch) mark(i int) bool {
	if s.stamp[i] == s.gen {
		return false
	}
	s.stamp[i] = s.gen
	return true
}

// window is where the items of a theme list (newest first) nearest in date
// to it are, from lo to hi: all of them when the list is no longer than
// size.
func window(items []*content.Item, it *content.Item, size int) (lo, hi int) {
	if len(items) <= size {
		return 0, len(items)
	}
	// the list is newest first; find where it sits
	i := sort.Search(len(items), func(i int) bool { return !items[i].Date.After(it.Date) })
	lo = max(0, i-size/2)
	hi = min(len(items), lo+size)
	lo = max(0, hi-size)
	return lo, hi
}
