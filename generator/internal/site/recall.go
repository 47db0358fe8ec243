package site

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/markdown"
	"github.com/otpress/otpress/generator/internal/search"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// What a warm build takes from its shelves (shelf.go) instead of working it
// out again: each document's rendered Markdown, and each item's search
// analysis, and each item's related list, with the records they are kept
// as.

// markdown renders body as doc says, or takes what the last build kept
// when it rendered the same bytes of the same file and doc's callbacks
// answer as they did then (markdown.Answers), so that the Result is what
// rendering would give.
func (w *warm) markdown(md *markdown.Renderer, body []byte, doc markdown.Doc) (markdown.Result, error) {
	if w == nil || w.texts == nil {
		return md.Render(body, doc)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%q %d %d %q %d\n", doc.File, doc.FirstLine, doc.Shift, doc.IDPrefix, len(body))
	h.Write(body)
	var key [32]byte
	h.Sum(key[:0])
	var res markdown.Result
	if w.recall(w.texts, key, func(data []byte) bool {
		r, answers, err := decodeText(data)
		res = r
		return err == nil && answers.Same(doc)
	}) {
		return res, nil
	}
	rec, answers := doc.Recording()
	res, err := md.Render(body, rec)
	if err == nil {
		w.texts.put(key, encodeText(res, answers))
	}
	return res, err
}

// encodeText is a rendering as a shelf's record; decodeText reads it back.
func encodeText(res markdown.Result, a *markdown.Answers) []byte {
	w := &recordWriter{b: make([]byte, 0, 2*len(res.HTML)+len(res.Text)/2+256)}
	w.num(int(a.Has))
	w.num(len(a.Calls))
	for _, c := range a.Calls {
		w.num(int(c.Kind))
		w.str(c.In[0])
		w.str(c.In[1])
		for _, o := range c.Out {
			w.str(o)
		}
		w.num(c.W)
		w.num(c.H)
		w.flag(c.OK)
	}
	w.str(string(res.HTML))
	w.str(res.Text)
	w.num(len(res.Headings))
	for _, h := range res.Headings {
		w.num(h.Level)
		w.str(h.ID)
		w.str(h.Text)
	}
	w.num(len(res.Links))
	for _, l := range res.Links {
		w.str(l.Dest)
		w.flag(l.Image)
		w.flag(l.Auto)
		w.num(l.Line)
		w.num(l.Col)
	}
	w.num(len(res.Citations))
	for _, c := range res.Citations {
		w.str(c.ID)
		w.str(c.Locator)
		w.num(c.Line)
		w.num(c.Col)
	}
	w.num(len(res.Problems))
	for _, p := range res.Problems {
		w.num(int(p.Severity))
		w.str(p.File)
		w.num(p.Line)
		w.num(p.Col)
		w.str(p.Msg)
		w.str(p.Hint)
		w.str(p.Source)
	}
	return w.b
}

// The result's strings are copies: a page's summary and contents outlive
// the record.
func decodeText(data []byte) (markdown.Result, *markdown.Answers, error) {
	r := readerOf(data)
	a := &markdown.Answers{Has: uint8(r.num())}
	for range r.count() {
		c := markdown.Call{Kind: markdown.Callback(r.num()), In: [2]string{r.str(), r.str()}}
		for i := range c.Out {
			c.Out[i] = r.str()
		}
		c.W, c.H, c.OK = r.num(), r.num(), r.flag()
		a.Calls = append(a.Calls, c)
	}
	var res markdown.Result
	res.HTML = []byte(r.str())
	res.Text = r.own()
	for range r.count() {
		res.Headings = append(res.Headings, markdown.Heading{Level: r.num(), ID: r.own(), Text: r.own()})
	}
	for range r.count() {
		res.Links = append(res.Links, markdown.Link{Dest: r.own(), Image: r.flag(), Auto: r.flag(), Line: r.num(), Col: r.num()})
	}
	for range r.count() {
		res.Citations = append(res.Citations, markdown.Citation{ID: r.own(), Locator: r.own(), Line: r.num(), Col: r.num()})
	}
	for range r.count() {
		res.Problems = append(res.Problems, &diag.Problem{Severity: diag.Severity(r.num()), File: r.own(), Line: r.num(), Col: r.num(), Msg: r.own(), Hint: r.own(), Source: r.own()})
	}
	return res, a, r.done()
}

// recall gives use the last build's record under key, and keeps it for
// the next build when use takes it.
func (w *warm) recall(s *shelf, key [32]byte, use func([]byte) bool) bool {
	if !s.take(key, use) {
		return false
	}
	w.recalled.Add(1)
	return true
}

// itemShelf is the items shelf as content.Load takes it: items are not
// counted in Result.Recalled.
type itemShelf struct{ w *warm }

func (s itemShelf) Recall(key [32]byte, use func([]byte) bool) bool { return s.w.items.take(key, use) }

func (s itemShelf) Put(key [32]byte, data []byte) { s.w.items.put(key, data) }

// related is an item's related list as the last build worked it out, by
// its key (relatedKey), or worked out afresh. Lists are not counted in
// Result.Recalled.
func (w *warm) related(b *builder, it *content.Item) []taxonomy.Related {
	key := b.relatedKey(it)
	var list []taxonomy.Related
	if w.lists.take(key, func(data []byte) bool {
		var ok bool
		list, ok = decodeRelated(b, data)
		return ok
	}) {
		return list
	}
	list = b.themes.Related(it, taxonomy.DefaultRelated)
	w.lists.put(key, encodeRelated(list))
	return list
}

// encodeRelated is a related list as a shelf's record: each item's file,
// score and shared themes' slugs; decodeRelated reads it back with the
// build's items and themes.
func encodeRelated(list []taxonomy.Related) []byte {
	w := &recordWriter{}
	w.num(len(list))
	for _, r := range list {
		w.str(r.Item.File)
		w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(r.Score))
		w.num(len(r.Shared))
		for _, th := range r.Shared {
			w.str(th.Slug)
		}
	}
	return w.b
}

func decodeRelated(b *builder, data []byte) ([]taxonomy.Related, bool) {
	r := readerOf(data)
	list := make([]taxonomy.Related, r.count())
	for i := range list {
		list[i].Item = b.byFile[r.str()]
		list[i].Score = math.Float64frombits(r.u64())
		list[i].Shared = make([]*taxonomy.Theme, r.count())
		for j := range list[i].Shared {
			list[i].Shared[j] = b.themes.Get(r.str())
		}
		if list[i].Item == nil || slices.Contains(list[i].Shared, nil) {
			return nil, false
		}
	}
	return list, r.done() == nil
}

// analyse adds item i's document to the search index, with the analysis
// the last build kept for a document of the same key when there is one.
func (w *warm) analyse(s *search.Builder, i int, d search.Doc) {
	if w == nil || w.analyses == nil {
		s.Add(i, d)
		return
	}
	key := s.Key(d)
	if w.recall(w.analyses, key, func(data []byte) bool {
		a, err := decodeAnalysis(data)
		return err == nil && s.AddAnalysis(i, d, a)
	}) {
		return
	}
	s.Add(i, d)
	if a, ok := s.Analysis(i); ok {
		w.analyses.put(key, encodeAnalysis(a))
	}
}

// encodeAnalysis is an analysis as a shelf's record; decodeAnalysis reads
// it back.
func encodeAnalysis(a search.Analysis) []byte {
	w := &recordWriter{b: make([]byte, 0, len(a.Quotes)+16*len(a.Terms)+16*len(a.Words)+64)}
	var put func(a search.Analysis)
	put = func(a search.Analysis) {
		w.num(a.Length)
		w.str(a.Quotes)
		w.num(len(a.Terms))
		for _, t := range a.Terms {
			w.str(t.Stem)
			w.num(t.TF)
			w.flag(t.Keep)
		}
		w.num(len(a.Words))
		for _, wd := range a.Words {
			w.str(wd.Text)
			w.num(wd.Term)
		}
		w.num(len(a.Parts))
		for _, p := range a.Parts {
			put(p)
		}
	}
	put(a)
	return w.b
}

func decodeAnalysis(data []byte) (search.Analysis, error) {
	r := readerOf(data)
	var get func(depth int) search.Analysis
	get = func(depth int) search.Analysis {
		a := search.Analysis{Length: r.num(), Quotes: r.str()}
		a.Terms = make([]search.Term, r.count())
		for k := range a.Terms {
			a.Terms[k] = search.Term{Stem: r.str(), TF: r.num(), Keep: r.flag()}
		}
		a.Words = make([]search.Word, r.count())
		for k := range a.Words {
			a.Words[k] = search.Word{Text: r.str(), Term: r.num()}
		}
		n := r.count()
		if depth > 0 && n > 0 { // parts have none of their own
			r.bad, n = true, 0
		}
		for range n {
			a.Parts = append(a.Parts, get(depth+1))
		}
		return a
	}
	a := get(0)
	return a, r.done()
}
