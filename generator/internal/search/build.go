package search

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Field is a part of a document; fields weigh differently in ranking.
type Field uint8

const (
	Title Field = iota
	Themes
	People
	Summary
	Body
	numFields
)

// weights of each field in the ranking: a word in the title counts six
// times a word in the body.
var weights = [numFields]float64{Title: 6, Themes: 4, People: 3, Summary: 2, Body: 1}

// Doc is one searchable page.
type Doc struct {
	Path    string // site path without the leading slash: "stories/denis/"
	Title   string
	Kind    string // facet value: "story"
	Date    string // YYYY-MM-DD
	Themes  []string
	Excerpt string // shown under the result, about 200 characters
	Text    [numFields]string
	Parts   []Part
}

// Part is a place in a page with its own link, such as a paragraph of an
// episode's transcript. It is searched as a document of its own and listed
// under its page's result as a link to that place ("Zoe Phillips at 1:23"),
// so a match deep in an episode leads to the moment it is said. Its text is
// not kept in the index: a thousand transcribed episodes would more than
// double it. The page shows the paragraph at the anchor.
type Part struct {
	Anchor  string // "#t83"
	Speaker string // who says it, or ""
	Start   int    // seconds into the page's audio
	Text    string // searched with the weight of body text
}

// Facet is a filter value with its label and how many documents have it.
type Facet struct {
	Value string
	Label string
}

// Options tune the index. The zero value is not useful; use Defaults.
type Options struct {
	ShardBytes int // raw size a term shard grows to before a new one starts
	RowsPer    int // pages per file of display rows (a page's parts are in its row)
	MaxTerms   int // terms kept per document, the most important first
	// TopRows is how many of each stem's first results have their rows in
	// its shard, so that a query of one word fetches no row file (0: none).
	TopRows int
	// QuoteBytes is how much of a page's text, as sentences, its passage
	// file keeps for results to quote (0: none); BlockParts how many of its
	// parts' texts (transcript paragraphs) go in each of its block files.
	QuoteBytes, BlockParts int
	// Topics is how many topic documents (themes, learning packs) the
	// index holds besides the pages: see AddTopic.
	Topics int
	// Kinds and Themes list every facet value with its label, in display
	// order; documents name values by Value.
	Kinds  []Facet
	Themes []Facet
	// Language is the site's language, a BCP 47 tag ("en-GB", "cy"):
	// Welsh ("cy", "cy-GB") gets a Welsh index (see welsh.go), every other
	// language, and "", the English one.
	Language string
	// noFold leaves a Welsh index's mutations unfolded: the baseline the
	// judged Welsh queries are measured against
	noFold bool
}

// Defaults are measured choices; bench/README.md keeps the measurements
// (bench/search.sh against Pagefind at 1,000 and 10,000 generated pages).
// In short: 8 KB shards of one-digit impacts keep a first query to the
// manifest and a shard a word; rows four to a file, and each stem's first
// ten results' rows in its shard (TopRows), so a one-word query fetches no
// row file; 400 terms a page keep every word of a page of ordinary length;
// 16 KB of sentences a page, and transcript paragraphs 24 to a block file,
// are what results quote (about 1.4 KB gzipped a result).
func Defaults() Options {
	return Options{ShardBytes: 8 << 10, RowsPer: 4, MaxTerms: 400, TopRows: 10, QuoteBytes: 16 << 10, BlockParts: 24}
}

// Builder collects documents, on many goroutines at once.
type Builder struct {
	o     Options
	st    *stemmer // shared with snapshots
	mu    sync.Mutex
	ids   map[string]uint32 // stem → id
	stems []string
	wids  map[string]uint32 // word → id
	words []string
	wstem []uint32 // the stem id of each word
	docs  []analysed
	// topics are documents of their own kind (themes, learning packs),
	// numbered after the pages: see AddTopic
	topics []analysed
	spill  *Spill // where quotes are kept, or nil for memory
	// quoter gives the quotes of a document added from a State (QuotesFor)
	quoter func(i int, key [32]byte) string
	// state is the State documents were last added from, and stemOf and
	// wordOf its stems' and words' ids here, plus one (0: none yet)
	state          *State
	stemOf, wordOf []uint32
}

type analysed struct {
	doc    Doc
	terms  []termTF
	words  []uint32 // the words seen, for their surface forms
	length float64
	set    bool
	parts  []analysed
	parent int // for a part, its page's document id
	part   Part
	quotes string // the sentences a result may quote, a line each (see Sentences)
	// spilled: where the quotes are in the builder's spill instead
	spilled spilled
	// qsum, for a page, stands for its quotes in its passage file's key
	// (BuildKeeping), so a kept file needs them not read from the spill
	qsum [16]byte
	// lazy: the quotes are the quoter's to give, by key (AddState)
	lazy bool
	key  [32]byte
}

// termTF is a stem's weighted count in a document: 8 bytes, as a large
// site holds millions of them.
type termTF struct {
	id   uint32
	tf   uint16 // field weights are whole numbers; a count this high is saturated anyway
	keep bool   // in the title, themes, people or summary: never cut
}

// NewBuilder prepares an index of n documents.
func NewBuilder(n int, o Options) *Builder {
	return &Builder{o: o, st: newStemmer(analysisOf(o.Language), o.noFold), ids: map[string]uint32{}, wids: map[string]uint32{}, docs: make([]analysed, n), topics: make([]analysed, o.Topics)}
}

// Snapshot is a builder holding the documents as they are now, for Build
// to run on (in another goroutine) while Add goes on changing this one.
func (b *Builder) Snapshot() *Builder {
	b.mu.Lock()
	defer b.mu.Unlock()
	return &Builder{o: b.o, st: b.st, stems: slices.Clone(b.stems), words: slices.Clone(b.words), wstem: slices.Clone(b.wstem), docs: slices.Clone(b.docs), topics: slices.Clone(b.topics), spill: b.spill, quoter: b.quoter}
}

// Options are the builder's options.
func (b *Builder) Options() Options { return b.o }

// Renumbered is a builder of n documents, with options o, holding b's under new ids:
// document i becomes document to[i] (none when to[i] < 0), and its parts
// follow it. It is for a library put in a new order, with items added or
// gone, without analysing every document again; the new ones are added to
// it after.
func (b *Builder) Renumbered(to []int, n int, o Options) *Builder {
	b.mu.Lock()
	defer b.mu.Unlock()
	nb := &Builder{o: o, st: b.st, ids: maps.Clone(b.ids), stems: slices.Clone(b.stems), wids: maps.Clone(b.wids), words: slices.Clone(b.words), wstem: slices.Clone(b.wstem), docs: make([]analysed, n), topics: slices.Clone(b.topics), spill: b.spill, quoter: b.quoter}
	for i, d := range b.docs {
		if to[i] < 0 {
			continue
		}
		nb.docs[to[i]] = d // its parts as they are: Build numbers them afresh
	}
	return nb
}

func (b *Builder) id(stem string) uint32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.idLocked(stem)
}

func (b *Builder) idLocked(stem string) uint32 {
	if id, ok := b.ids[stem]; ok {
		return id
	}
	id := uint32(len(b.stems))
	b.ids[stem] = id
	b.stems = append(b.stems, stem)
	return id
}

// Add analyses document i (0 ≤ i < n). Document ids order results that score
// the same, so give newer documents lower ids.
func (b *Builder) Add(i int, d Doc) {
	b.docs[i] = b.doc(i, d)
}

// AddTopic analyses topic i (0 ≤ i < Options.Topics): a theme or a
// learning pack, whose Kind is "theme" or "pack". Topics are matched by
// words as pages are, listed apart from the pages' results, and have no
// facets: a query with filters lists none.
func (b *Builder) AddTopic(i int, d Doc) {
	d.Parts = nil
	b.topics[i] = b.doc(-1, d)
}

// ResetTopics makes room for n topics, none added: for topics worked out
// again (a preview's pack whose item has a new title).
func (b *Builder) ResetTopics(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.topics = make([]analysed, n)
}

func (b *Builder) doc(i int, d Doc) analysed {
	a := b.analyse(d.Text)
	a.doc, a.set = d, true
	q := b.Quotes(d)
	b.keepQuotes(&a, q)
	a.qsum = quotesSum(q)
	a.doc.Text = [numFields]string{} // the text is not kept, but for its quotes
	a.doc.Parts = nil
	for _, p := range d.Parts {
		pa := b.analyse([numFields]string{Body: p.Text})
		pa.part, pa.parent = p, i
		a.parts = append(a.parts, pa)
	}
	return a
}

// analyse counts the weighted stems of a document's fields.
func (b *Builder) analyse(text [numFields]string) analysed {
	s := scratches.Get().(*scratch)
	defer s.put()
	var a analysed
	for f := range numFields {
		weight, keep := weights[f], f != Body
		Words(Fold(text[f]), func(w string) {
			k, ok := s.slot[w]
			if !ok { // a word first met: its stem's counter, or none for a word left out
				k = -1
				if !b.st.stop[w] && (len(w) >= 2 || isDigit(w[0])) {
					stem := b.st.stem(w)
					if k, ok = s.byStem[stem]; !ok {
						k = int32(len(s.counts))
						s.byStem[stem] = k
						s.counts = append(s.counts, stemCount{stem: stem})
					}
				}
				s.slot[w] = k
			}
			if k < 0 {
				return
			}
			c := &s.counts[k]
			c.tf += weight
			c.keep = c.keep || keep
			a.length += weight
		})
	}
	a.terms = make([]termTF, 0, len(s.counts))
	for _, c := range s.counts {
		a.terms = append(a.terms, termTF{b.id(c.stem), uint16(min(c.tf, math.MaxUint16)), c.keep})
	}
	// the words themselves, so that Build offers only the words of the
	// documents it holds, however many were added and replaced before
	b.mu.Lock()
	defer b.mu.Unlock()
	a.words = make([]uint32, 0, len(s.slot))
	for w, k := range s.slot {
		if k < 0 {
			continue
		}
		id, ok := b.wids[w]
		if !ok {
			id = uint32(len(b.words))
			w = strings.Clone(w) // not the whole folded text it is cut from
			b.wids[w] = id
			b.words = append(b.words, w)
			b.wstem = append(b.wstem, b.ids[s.counts[k].stem])
		}
		a.words = append(a.words, id)
	}
	return a
}

// scratch is analyse's working space, kept from one document to the next
// (cleared maps keep their room), so that a word costs one map lookup and
// a document no map growth: analysis was a tenth of a 10k-item build, most
// of it in three lookups and stores a word and in growing maps.
type scratch struct {
	slot   map[string]int32 // word → its stem's place in counts, -1 when left out
	byStem map[string]int32 // stem → its place in counts
	counts []stemCount
}

type stemCount struct {
	stem string
	tf   float64
	keep bool // met outside the body
}

var scratches = sync.Pool{New: func() any {
	return &scratch{slot: map[string]int32{}, byStem: map[string]int32{}}
}}

func (s *scratch) put() {
	clear(s.slot)
	clear(s.byStem)
	clear(s.counts) // no stems held
	s.counts = s.counts[:0]
	scratches.Put(s)
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// File is one output file of the index, relative to the index folder.
type File struct {
	Name string
	Data []byte
	// Key, for a passage file BuildKeeping made, is what it was made
	// from (its name, its page's quotes and excerpt, or its block's
	// texts); zero otherwise.
	Key [32]byte
}

// Build computes every term's impact in every document (BM25 over the
// weighted fields, quantised to 32 levels), cuts the term list into shards and
// writes the manifest, shards and rows. Output is deterministic.
func (b *Builder) Build() []File {
	var files []File
	b.build(func(f File) { files = append(files, f) }, 1, nil)
	return files
}

// BuildFunc is Build handing each file to emit as soon as it is made, so
// that a big index is never held whole in memory. The passage files, one
// or more a page, are made on every core, and emit is called from several
// goroutines at once; the manifest comes last.
func (b *Builder) BuildFunc(emit func(File)) { b.build(emit, runtime.GOMAXPROCS(0), nil) }

// BuildKeeping is BuildFunc for a build that keeps the last one's files:
// each passage file's key (File.Key) is given to same first, and a file
// same says it has kept, made from that key, is neither made nor emitted.
// A passage file is one page's alone (every other file follows the whole
// index), and reading its quotes back and writing it out is most of the
// index's work when few texts changed.
func (b *Builder) BuildKeeping(emit func(File), same func(name string, key [32]byte) bool) {
	b.build(emit, runtime.GOMAXPROCS(0), same)
}

// BuildEach is BuildFunc on one goroutine, the caller's: for an index
// worked out in the background while other work goes on.
func (b *Builder) BuildEach(emit func(File)) { b.build(emit, 1, nil) }

func (b *Builder) build(emit func(File), workers int, same func(name string, key [32]byte) bool) {
	// pages first, then their parts (ids from pages), each part knowing its
	// page, in one slice sized first: an analysis is copied once
	items, pages, nparts := 0, 0, 0
	for _, d := range b.docs {
		if d.set {
			items++
			nparts += len(d.parts)
		}
	}
	pages = items
	for _, d := range b.topics {
		if d.set {
			pages++
		}
	}
	all := make([]analysed, pages+nparts)
	docs, parts := all[:0:pages], all[pages:pages]
	var partsOf [][2]int // [page, how many parts] in part order
	for _, d := range b.docs {
		if d.set {
			for _, p := range d.parts {
				p.parent = len(docs)
				parts = append(parts, p)
			}
			if len(d.parts) > 0 {
				partsOf = append(partsOf, [2]int{len(docs), len(d.parts)})
			}
			docs = append(docs, d)
		}
	}
	for _, d := range b.topics {
		if d.set {
			docs = append(docs, d)
		}
	}
	// a Welsh index counts mutated forms under their radicals
	var to []uint32
	if b.st.welsh && !b.st.noFold {
		to = b.radicals(docs, parts)
		for i := range docs {
			docs[i] = counted(docs[i], to)
		}
		for i := range parts {
			parts[i] = counted(parts[i], to)
		}
	}
	b.commonToPages(docs, parts, partsOf)
	docs = all // parts follow pages already
	n := float64(len(docs))
	df := make([]int, len(b.stems))
	avg := 0.0
	for _, d := range docs {
		for _, t := range d.terms {
			df[t.id]++
		}
		avg += d.length
	}
	if len(docs) > 0 {
		avg /= n
	}
	// BM25 impacts. A document keeps the stems of its title, themes,
	// people and summary, then its body's stems by impact up to MaxTerms.
	// Impacts are quantised against the largest kept impact in the index,
	// so a first pass finds that (the largest impact in a document's kept
	// list is its largest "keep" impact, or its largest body impact when
	// any body stem is kept), and a second works out each document's list
	// again and appends it to the postings, holding no list per document.
	//
	// k1 is 3, not BM25's usual 1.2, because counts here are weighted: a
	// word in a title and the themes already counts ten, and with k1 at 1.2
	// it was within a few percent of the most any count can give, so a page
	// naming the words in its title barely beat one with them in its themes
	// and summary. At 3 the title still tells (the judged queries' first
	// results: 98% at 3, 96% at 1.2 once impacts became 63 levels).
	const k1, bb = 3.0, 0.75
	idf := make([]float64, len(df))
	for id, f := range df {
		idf[id] = math.Log(1 + (n-float64(f)+0.5)/(float64(f)+0.5))
	}
	impact := func(d *analysed, t termTF) float64 {
		tf := float64(t.tf)
		return idf[t.id] * tf * (k1 + 1) / (tf + k1*(1-bb+bb*d.length/math.Max(avg, 1)))
	}
	maxImpact := 0.0
	for i := range docs {
		d := &docs[i]
		kept, keepMax, bodyMax := 0, 0.0, 0.0
		for _, t := range d.terms {
			if t.keep {
				kept++
				keepMax = math.Max(keepMax, impact(d, t))
			} else {
				bodyMax = math.Max(bodyMax, impact(d, t))
			}
		}
		maxImpact = math.Max(maxImpact, keepMax)
		if kept < b.o.MaxTerms {
			maxImpact = math.Max(maxImpact, bodyMax)
		}
	}
	type scored struct {
		id     uint32
		impact float64
		keep   bool
	}
	// each stem's postings cut from two backing arrays, sized by its
	// document count (a cut list takes fewer)
	byStem := make([]postings, len(b.stems))
	total := 0
	for _, f := range df {
		total += f
	}
	docsAt, impactsAt := make([]int32, total), make([]uint8, total)
	at := 0
	for id, f := range df {
		byStem[id] = postings{docs: docsAt[at : at : at+f], impacts: impactsAt[at : at : at+f]}
		at += f
	}
	var s []scored // one document's list, reused
	for i := range docs {
		d := &docs[i]
		s = s[:0]
		kept := 0
		for _, t := range d.terms {
			s = append(s, scored{t.id, impact(d, t), t.keep})
			if t.keep {
				kept++
			}
		}
		// the words of the title, themes, people and summary first, then the
		// body's words by impact; the list is cut at MaxTerms (a list that
		// is not cut needs no order: each stem's postings are in document
		// order whatever the order of a document's list)
		cut := max(b.o.MaxTerms, kept)
		if len(s) > cut {
			slices.SortFunc(s, func(a, c scored) int {
				return cmp.Or(boolCmp(c.keep, a.keep), cmp.Compare(c.impact, a.impact), cmp.Compare(b.stems[a.id], b.stems[c.id]))
			})
			s = s[:cut]
		}
		for _, x := range s {
			p := &byStem[x.id]
			p.docs = append(p.docs, int32(i))
			p.impacts = append(p.impacts, level(x.impact/math.Max(maxImpact, 1e-9)))
		}
	}
	// postings per stem, in document order
	post := map[string]*postings{}
	for id := range byStem {
		if len(byStem[id].docs) > 0 {
			post[b.stems[id]] = &byStem[id]
		}
	}
	// facets are terms too, so a filter costs one shard: "#k:story",
	// "#t:co-production", "#y:2019"
	m := manifest{V: 1, N: pages, TP: items, R: b.o.RowsPer, Stop: StopWords}
	if b.st.welsh {
		m.Stop, m.Lang = WelshStopWords, "cy"
	}
	if len(partsOf) > 0 {
		// which page each part belongs to: page gaps and part counts
		var enc []byte
		prev := -1
		for _, pc := range partsOf {
			enc = putNum(putNum(enc, pc[0]-prev-1), pc[1])
			prev = pc[0]
		}
		m.Parts = string(enc)
	}
	kindIdx, themeIdx := map[string]int{}, map[string]int{}
	counts := map[string]int{}
	for i, d := range docs[:items] { // topics have no facets
		add := func(term string) {
			p := post[term]
			if p == nil {
				p = &postings{}
				post[term] = p
			}
			p.docs = append(p.docs, int32(i))
			p.impacts = append(p.impacts, 0)
			counts[term]++
		}
		add("#k:" + d.doc.Kind)
		for _, t := range d.doc.Themes {
			add("#t:" + t)
		}
		if len(d.doc.Date) >= 4 {
			add("#y:" + d.doc.Date[:4])
		}
	}
	for _, k := range b.o.Kinds {
		if c := counts["#k:"+k.Value]; c > 0 {
			kindIdx[k.Value] = len(m.Kinds)
			m.Kinds = append(m.Kinds, []any{k.Value, k.Label, c})
		}
	}
	for _, t := range b.o.Themes {
		if c := counts["#t:"+t.Value]; c > 0 {
			themeIdx[t.Value] = len(m.Themes)
			m.Themes = append(m.Themes, []any{t.Value, t.Label, c})
		}
	}
	var years []string
	for term := range counts {
		if len(term) > 3 && term[:3] == "#y:" {
			years = append(years, term[3:])
		}
	}
	slices.Sort(years)
	slices.Reverse(years)
	for _, y := range years {
		m.Years = append(m.Years, []any{y, counts["#y:"+y]})
	}

	// surface forms: every word seen whose stem has postings, and the facet terms
	seen := make([]bool, len(b.words))
	for _, d := range docs {
		for _, id := range d.words {
			seen[id] = true
		}
	}
	surfaces := map[string]string{}
	for id, ok := range seen {
		if !ok {
			continue
		}
		sid := b.wstem[id]
		if to != nil {
			sid = to[sid]
		}
		if stem := b.stems[sid]; post[stem] != nil {
			surfaces[b.words[id]] = stem
		}
	}
	for term := range post {
		// facet terms, and every stem as a word of its own (see Bases)
		if _, taken := surfaces[term]; !taken {
			surfaces[term] = term
		}
	}
	words := make([]string, 0, len(surfaces))
	for w := range surfaces {
		words = append(words, w)
	}
	slices.Sort(words)

	// every page's display row; a page with parts lists them in its row, so
	// a part costs no file of its own. Its summary is in its passage file,
	// beside the sentences it stands in for.
	rows := make([][]byte, pages)
	for i, d := range docs[:pages] {
		ths := []int{}
		for _, t := range d.doc.Themes {
			if k, ok := themeIdx[t]; ok {
				ths = append(ths, k)
			}
		}
		var kind any = kindIdx[d.doc.Kind]
		if i >= items { // a topic names its kind
			kind = d.doc.Kind
		}
		row := []any{d.doc.Path, d.doc.Title, kind, d.doc.Date, ths}
		if len(d.parts) > 0 {
			row = append(row, partRows(d.parts))
		}
		rows[i] = marshal(row)
	}
	pageOf := func(doc int32) int32 {
		if int(doc) < pages {
			return doc
		}
		return int32(docs[doc].parent)
	}

	var cur *shard
	emitShard := func() {
		if cur == nil {
			return
		}
		// the rows of its stems' first results (see Options.TopRows)
		slices.Sort(cur.Top)
		cur.Top = slices.Compact(cur.Top)
		lines := make([][]byte, len(cur.Top))
		for k, pg := range cur.Top {
			lines[k] = rows[pg]
		}
		cur.TopRows = string(bytes.Join(lines, []byte{'\n'}))
		m.Keys = append(m.Keys, cur.Words[0])
		emit(File{Name: fmt.Sprintf("s%d.js", len(m.Keys)-1), Data: wrap("s", len(m.Keys)-1, cur)})
		cur = nil
	}
	size := 0
	for _, w := range words {
		stem := surfaces[w]
		if cur == nil {
			cur = &shard{index: map[string]int{}}
			size = 0
		}
		j, ok := cur.index[stem]
		if !ok {
			enc := post[stem].encode()
			j = len(cur.Postings)
			cur.index[stem] = j
			cur.Postings = append(cur.Postings, enc)
			size += len(enc) + 4
			cur.Top = post[stem].top(b.o.TopRows, pageOf, cur.Top)
		}
		cur.Words = append(cur.Words, w)
		cur.Stems = append(cur.Stems, j)
		size += len(w) + 5
		if size >= b.o.ShardBytes {
			emitShard()
		}
	}
	emitShard()
	clear(post) // the postings are all written
	byStem = nil

	// the rows in chunks
	for lo := 0; lo < pages; lo += b.o.RowsPer {
		hi := min(lo+b.o.RowsPer, pages)
		var file bytes.Buffer
		fmt.Fprintf(&file, "otpressSearch.r(%d,[", lo/b.o.RowsPer)
		for i, data := range rows[lo:hi] {
			if i > 0 {
				file.WriteByte(',')
			}
			file.Write(data)
		}
		file.WriteString("]);\n")
		emit(File{Name: fmt.Sprintf("r%d.js", lo/b.o.RowsPer), Data: file.Bytes()})
	}
	// what results quote: each page's sentences and summary, and its parts'
	// texts in blocks, each file fetched only for a result shown (see Quote)
	m.B = b.o.BlockParts
	passages := func(i int, d analysed) {
		name := fmt.Sprintf("x%d.js", i)
		var key [32]byte
		if same != nil {
			key = passageKey(name, string(d.qsum[:]), d.doc.Excerpt)
		}
		if same == nil || !same(name, key) {
			emit(File{name, wrap("x", -1, []any{strconv.Itoa(i), b.quotesOf(i, &d), d.doc.Excerpt}), key})
		}
		for lo := 0; lo < len(d.parts) && b.o.BlockParts > 0; lo += b.o.BlockParts {
			block := d.parts[lo:min(lo+b.o.BlockParts, len(d.parts))]
			id := fmt.Sprintf("%d-%d", i, lo/b.o.BlockParts)
			name := "x" + id + ".js"
			var key [32]byte
			if same != nil {
				texts := make([]string, len(block))
				for k, p := range block {
					texts[k] = p.part.Text
				}
				key = passageKey(name, texts...)
				if same(name, key) {
					continue
				}
			}
			texts := make([]string, 0, len(block))
			for _, p := range block {
				texts = append(texts, oneLine(p.part.Text))
			}
			emit(File{name, wrap("x", -1, []any{id, strings.Join(texts, "\n")}), key})
		}
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < pages; i += workers {
				passages(i, docs[i])
			}
		})
	}
	wg.Wait()
	emit(File{Name: "m.js", Data: wrap("m", -1, m)})
}

// Words used all through transcripts say nothing of where in an episode
// something is said, and listing every paragraph that uses them made their
// posting lists most of the index (at 10k items with 1,000 transcribed
// episodes, shards of 80 KB where 16 KB was meant). A stem in more than
// one part in commonShare, and in at least commonParts, is counted on the
// page instead: the page still matches it, and a result lists the moments
// of the rarer words.
const (
	commonShare = 20
	commonParts = 50
)

// commonToPages moves common stems out of the parts and onto their pages
// (see commonShare), in place in docs and parts, whose term lists it
// replaces rather than changes: a snapshot may share them.
func (b *Builder) commonToPages(docs, parts []analysed, partsOf [][2]int) {
	df := make([]int, len(b.stems))
	for _, p := range parts {
		for _, t := range p.terms {
			df[t.id]++
		}
	}
	limit := max(commonParts, len(parts)/commonShare)
	at := 0
	for _, pc := range partsOf {
		page := &docs[pc[0]]
		var terms []termTF
		index := map[uint32]int{}
		for k := range parts[at : at+pc[1]] {
			p := &parts[at+k]
			var kept []termTF
			for _, t := range p.terms {
				if df[t.id] <= limit {
					kept = append(kept, t)
					continue
				}
				if terms == nil {
					terms = slices.Clone(page.terms)
					for i, pt := range terms {
						index[pt.id] = i
					}
				}
				if i, ok := index[t.id]; ok {
					terms[i].tf = uint16(min(int(terms[i].tf)+int(t.tf), math.MaxUint16))
				} else {
					index[t.id] = len(terms)
					terms = append(terms, termTF{t.id, t.tf, false})
				}
			}
			if len(kept) < len(p.terms) {
				p.terms = kept
			}
		}
		if terms != nil {
			page.terms = terms
		}
		at += pc[1]
	}
}

// partRows is what a page's row says of its parts, in part order: the
// speakers, then [start, speaker] for each part (speaker -1 for none), with
// its anchor as a third value when that is not "#t" and the start, the
// anchor a paragraph starting at that second has. Clients label a part
// "Speaker at 1:23" ("Transcript at 1:23" without a speaker), as
// PartLabel does.
func partRows(parts []analysed) []any {
	var speakers []string
	list := make([][]any, 0, len(parts))
	for _, p := range parts {
		sp := -1
		if p.part.Speaker != "" {
			sp = slices.Index(speakers, p.part.Speaker)
			if sp < 0 {
				sp = len(speakers)
				speakers = append(speakers, p.part.Speaker)
			}
		}
		x := []any{p.part.Start, sp}
		if p.part.Anchor != "#t"+strconv.Itoa(p.part.Start) {
			x = append(x, p.part.Anchor)
		}
		list = append(list, x)
	}
	if speakers == nil {
		speakers = []string{}
	}
	return []any{speakers, list}
}

// PartLabel is how a result names a part: "Zoe Phillips at 1:23", or
// "Transcript at 1:02:03" when nobody is named.
func PartLabel(speaker string, start int) string {
	clock := fmt.Sprintf("%d:%02d", start/60, start%60)
	if start >= 3600 {
		clock = fmt.Sprintf("%d:%02d:%02d", start/3600, start/60%60, start%60)
	}
	if speaker == "" {
		speaker = "Transcript"
	}
	return speaker + " at " + clock
}

type manifest struct {
	V      int      `json:"v"`
	N      int      `json:"n"`           // pages and topics; parts are numbered after them
	TP     int      `json:"tp"`          // the first topic: pages are numbered before it
	B      int      `json:"b,omitempty"` // parts' texts per block file (see Options.BlockParts)
	Parts  string   `json:"p,omitempty"` // the pages with parts: see Build
	R      int      `json:"r"`           // pages' rows per file
	Keys   []string `json:"k"`           // first word of each shard
	Stop   []string `json:"stop"`        // stop words
	Kinds  [][]any  `json:"kinds"`
	Themes [][]any  `json:"themes"`
	Years  [][]any  `json:"years"`
	// Lang names the index's analysis when it is not English: "cy" for
	// Welsh, whose queries fold mutations (see welsh.go)
	Lang string `json:"lang,omitempty"`
}

// shard holds sorted words, each word's stem (an index into Postings) and the
// encoded postings of those stems.
type shard struct {
	Words    []string `json:"w"`
	Stems    []int    `json:"m"`
	Postings []string `json:"p"`
	// Top lists the pages whose rows the shard carries, in order, and
	// TopRows those rows, a line each, one string as in a pack: the client
	// parses a row only when it shows it (see Options.TopRows)
	Top     []int32 `json:"t,omitempty"`
	TopRows string  `json:"tr,omitempty"`
	index   map[string]int
}

type postings struct {
	docs    []int32
	impacts []uint8 // impact levels, 1 to 32 (see level); 0 for facets
}

// top appends to pages the first k pages a query of this stem alone
// ranks, as the client ranks them: documents by impact, the lower number
// first on a tie, each standing for its page (a part for its episode).
func (p *postings) top(k int, pageOf func(int32) int32, pages []int32) []int32 {
	if k <= 0 || len(p.docs) == 0 || p.impacts[0] == 0 { // facets have no impact
		return pages
	}
	var count [topLevel + 1]int
	for _, q := range p.impacts {
		count[q]++
	}
	var mine []int32
	for q := topLevel; q > 0 && len(mine) < k; q-- {
		if count[q] == 0 {
			continue
		}
		for i, d := range p.docs {
			if p.impacts[i] != uint8(q) {
				continue
			}
			if pg := pageOf(d); !slices.Contains(mine, pg) {
				mine = append(mine, pg)
				if len(mine) == k {
					break
				}
			}
		}
	}
	return append(pages, mine...)
}

// encode writes the count and the gaps between document ids as base-64
// variable-length numbers (see putNum), then each document's impact level
// as one base-64 digit.
func (p *postings) encode() string {
	var b []byte
	b = putNum(b, len(p.docs))
	prev := -1
	for _, d := range p.docs {
		b = putNum(b, int(d)-prev-1)
		prev = int(d)
	}
	for _, q := range p.impacts {
		b = append(b, digits[q])
	}
	return string(b)
}

// Impacts travel as levels, one base-64 digit a posting: 0 for a facet,
// then 1 to 32, each level's value a tenth above the one below, so the scale
// spans about 19 to 1 and keeps the same relative precision (±5%) from the
// top to the bottom, about what Lucene's one-byte length norms kept.
// Impacts under the lowest level's share of the largest get the lowest
// level. Linear levels of a byte, as before, took two digits a posting and
// were two thirds of the postings' bytes; 63 levels a twentieth apart made
// the shards of the 10k benchmark site 26% smaller gzipped at the median
// (13.6 to 10.0 KB), and 32 a tenth apart another 10% (9.9 to 8.9 KB: a
// level is a digit of 5 bits of information, not 6, and gzip codes them
// closer to that), with the same answers to the judged queries. Impacts are
// most of a shard: a word on nearly every page has 10,000 of them.
//
// The client ranks by the levels' values, worked out in whole numbers
// exactly as ImpactValues does, so Go and JavaScript agree to the unit.
const topLevel = 32

// ImpactValues gives each level's value: 100 for level 1, each next one
// the last plus a tenth of it, rounded down.
var ImpactValues = func() (v [topLevel + 1]int) {
	v[1] = 100
	for q := 2; q <= topLevel; q++ {
		v[q] = v[q-1] + v[q-1]/10
	}
	return v
}()

// levelBounds[q] is where level q gives way to q+1: the geometric middle
// of their values, as a share of the top level's value.
var levelBounds = func() (b [topLevel]float64) {
	for q := 1; q < topLevel; q++ {
		b[q] = math.Sqrt(float64(ImpactValues[q]*ImpactValues[q+1])) / float64(ImpactValues[topLevel])
	}
	return b
}()

// level gives the level nearest, on a log scale, to share, an impact as a
// share of the largest (0 to 1).
func level(share float64) uint8 {
	q, _ := slices.BinarySearch(levelBounds[1:], share)
	return uint8(1 + q)
}

const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// putNum appends n in base 64, five bits a character, low bits first; a
// character's sixth bit says another follows.
func putNum(b []byte, n int) []byte {
	for {
		c := n & 31
		n >>= 5
		if n == 0 {
			return append(b, digits[c])
		}
		b = append(b, digits[c|32])
	}
}

// marshal is json.Marshal for our own types, which always marshal.
func marshal(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return data
}

// wrap makes a data file a script: otpressSearch.s(3,{…}); loading it
// with <script src> hands the data to the client.
func wrap(fn string, id int, v any) []byte {
	data := marshal(v)
	var b bytes.Buffer
	b.WriteString("otpressSearch." + fn + "(")
	if id >= 0 {
		b.WriteString(strconv.Itoa(id) + ",")
	}
	b.Write(data)
	b.WriteString(");\n")
	return b.Bytes()
}
