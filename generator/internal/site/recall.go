package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

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

// rendering is a document's Markdown rendered, or as the last build kept
// it: a warm build reads its HTML and plain text, the bulk of it, only
// for a page it makes again or an analysis it does not have (full), and
// knows the rest by their sha256.
type rendering struct {
	markdown.Result           // HTML and Text are empty until full
	htmlSum, textSum [32]byte // of HTML and Text
	lead             string   // the first sentences of Text (summary)
	loaded           bool     // HTML and Text are there
	// to read HTML and Text from the shelf, or render them again
	w   *warm
	md  *markdown.Renderer
	src source
	doc markdown.Doc
	key [32]byte
}

// source is a Markdown text to render: its bytes, or, for an item whose
// text a build left in its file (content.Item.Text), the text's sha256
// and a way to read it, so that a text rendered before is known without
// reading it.
type source struct {
	body  []byte
	sum   [32]byte // the text's sha256, when known
	known bool
	read  func() ([]byte, error) // the text, when body is nil
}

// text gives the source's bytes.
func (s source) text() ([]byte, error) {
	if s.body != nil || s.read == nil {
		return s.body, nil
	}
	return s.read()
}

// render renders body as doc says, or takes what the last build kept when
// it rendered the same bytes of the same file and doc's callbacks answer
// as they did then (markdown.Answers), so that the result is what
// rendering would give. What it kept is two records: all but the HTML and
// text under the key of body and doc, and those under a key made from it
// (fullKey).
func (w *warm) render(md *markdown.Renderer, src source, doc markdown.Doc) (*rendering, error) {
	if w == nil || w.texts == nil {
		body, err := src.text()
		if err != nil {
			return &rendering{loaded: true}, err
		}
		res, err := md.Render(body, doc)
		r := &rendering{Result: res, lead: summary("", res.Text), loaded: true}
		if w != nil { // pages are fingerprinted by their text
			r.htmlSum, r.textSum = sha256.Sum256(res.HTML), sha256.Sum256([]byte(res.Text))
		}
		return r, err
	}
	if !src.known {
		src.sum, src.known = sha256.Sum256(src.body), true
	}
	h := sha256.New()
	fmt.Fprintf(h, "%q %d %d %q %q\n", doc.File, doc.FirstLine, doc.Shift, doc.IDPrefix, doc.Loading)
	h.Write(src.sum[:])
	r := &rendering{w: w, md: md, src: src, doc: doc}
	h.Sum(r.key[:0])
	var head rendering
	if w.recall(w.texts, r.key, func(data []byte) bool {
		answers, err := decodeHead(data, &head)
		return err == nil && answers.Same(doc)
	}) && w.texts.hold(fullKey(r.key)) {
		r.Result, r.htmlSum, r.textSum, r.lead = head.Result, head.htmlSum, head.textSum, head.lead
		return r, nil
	}
	body, err := src.text()
	if err != nil {
		r.loaded = true
		return r, err
	}
	rec, answers := doc.Recording()
	res, err := md.Render(body, rec)
	r.Result, r.loaded, r.lead = res, true, summary("", res.Text)
	r.htmlSum, r.textSum = sha256.Sum256(res.HTML), sha256.Sum256(unsafe.Slice(unsafe.StringData(res.Text), len(res.Text)))
	if err == nil {
		w.texts.put(r.key, encodeHead(r, answers))
		w.texts.drop(fullKey(r.key)) // one damaged, when the head was there
		w.texts.put(fullKey(r.key), encodeFull(res))
	}
	return r, err
}

// fullKey is the key of a rendering's HTML and text, from the key of the
// rest.
func fullKey(key [32]byte) [32]byte {
	return sha256.Sum256(append([]byte("html and text of "), key[:]...))
}

// full is the whole rendering, HTML and text read from the shelf, or
// rendered again when they cannot be.
func (r *rendering) full() (markdown.Result, error) {
	if r.loaded {
		return r.Result, nil
	}
	fk := fullKey(r.key)
	if r.w.texts.take(fk, func(data []byte) bool {
		html, text, err := decodeFull(data)
		r.HTML, r.Text = html, text
		return err == nil
	}) {
		r.loaded = true
		return r.Result, nil
	}
	body, err := r.src.text()
	if err != nil {
		return r.Result, err
	}
	res, err := r.md.Render(body, r.doc)
	if err != nil {
		return res, err
	}
	r.HTML, r.Text, r.loaded = res.HTML, res.Text, true
	r.w.texts.drop(fk)
	r.w.texts.put(fk, encodeFull(res))
	return r.Result, nil
}

// encodeFull is a rendering's HTML and text as a shelf's record.
func encodeFull(res markdown.Result) []byte {
	w := &recordWriter{b: make([]byte, 0, len(res.HTML)+len(res.Text)+16)}
	w.str(string(res.HTML))
	w.str(res.Text)
	return w.b
}

// decodeFull reads encodeFull's record: copies, which outlive it.
func decodeFull(data []byte) ([]byte, string, error) {
	r := readerOf(data)
	html, text := []byte(r.str()), r.own()
	return html, text, r.done()
}

// encodeHead is the rest of a rendering as a shelf's record, with the
// answers it was rendered with; decodeHead reads it back.
func encodeHead(r *rendering, a *markdown.Answers) []byte {
	w := &recordWriter{b: make([]byte, 0, 512)}
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
	w.sum(r.htmlSum)
	w.sum(r.textSum)
	w.str(r.lead)
	w.num(len(r.Headings))
	for _, h := range r.Headings {
		w.num(h.Level)
		w.str(h.ID)
		w.str(h.Text)
	}
	w.num(len(r.Links))
	for _, l := range r.Links {
		w.str(l.Dest)
		w.flag(l.Image)
		w.flag(l.Auto)
		w.num(l.Line)
		w.num(l.Col)
	}
	w.num(len(r.Citations))
	for _, c := range r.Citations {
		w.str(c.ID)
		w.str(c.Locator)
		w.num(c.Line)
		w.num(c.Col)
	}
	w.num(len(r.Problems))
	for _, p := range r.Problems {
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

// The rendering's strings are copies: a page's summary and contents
// outlive the record.
func decodeHead(data []byte, out *rendering) (*markdown.Answers, error) {
	// data is a record read for this alone (shelf.take): the strings are
	// cut from it, not copied one by one
	r := readerOf(data)
	a := &markdown.Answers{Has: uint8(r.num())}
	if n := r.count(); n > 0 {
		a.Calls = make([]markdown.Call, 0, n)
	}
	for range cap(a.Calls) {
		c := markdown.Call{Kind: markdown.Callback(r.num()), In: [2]string{r.str(), r.str()}}
		for i := range c.Out {
			c.Out[i] = r.str()
		}
		c.W, c.H, c.OK = r.num(), r.num(), r.flag()
		a.Calls = append(a.Calls, c)
	}
	out.htmlSum, out.textSum, out.lead = r.sum(), r.sum(), r.str()
	res := &out.Result
	if n := r.count(); n > 0 {
		res.Headings = make([]markdown.Heading, 0, n)
		for range n {
			res.Headings = append(res.Headings, markdown.Heading{Level: r.num(), ID: r.str(), Text: r.str()})
		}
	}
	if n := r.count(); n > 0 {
		res.Links = make([]markdown.Link, 0, n)
		for range n {
			res.Links = append(res.Links, markdown.Link{Dest: r.str(), Image: r.flag(), Auto: r.flag(), Line: r.num(), Col: r.num()})
		}
	}
	if n := r.count(); n > 0 {
		res.Citations = make([]markdown.Citation, 0, n)
		for range n {
			res.Citations = append(res.Citations, markdown.Citation{ID: r.str(), Locator: r.str(), Line: r.num(), Col: r.num()})
		}
	}
	for range r.count() {
		res.Problems = append(res.Problems, &diag.Problem{Severity: diag.Severity(r.num()), File: r.str(), Line: r.num(), Col: r.num(), Msg: r.str(), Hint: r.str(), Source: r.str()})
	}
	return a, r.done()
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
// counted in Result.Recalled. Its files are what the last build's items
// were read from (readFiles), kept beside them; a preview, which keeps
// its items' texts by their hashes (builder.body), reads every file.
type itemShelf struct {
	w     *warm
	files *readFiles
}

func (s itemShelf) Recall(key [32]byte, use func([]byte) bool) bool { return s.w.items.take(key, use) }

func (s itemShelf) Put(key [32]byte, data []byte) { s.w.items.put(key, data) }

func (s itemShelf) Known(p string, fi fs.FileInfo) ([32]byte, bool) {
	if s.w.shelvesOnly {
		return [32]byte{}, false
	}
	return s.files.known(p, fi)
}

func (s itemShelf) Read(p string, fi fs.FileInfo, sum [32]byte) { s.files.read(p, fi, sum) }

// readFiles are the content files a build read, each with what stat said
// of it before it was read and the sha256 of its bytes, so that the next
// build takes a file whose size, times and identity are all as they were
// by that sha256 without reading it. A file changed within racyGap of the
// last build's start is read all the same: a file system keeps times to
// the second or coarser (two on FAT), so it could have changed again after
// that build read it and still show the same times (git's "racily clean"
// files). A change always sets a file's change time, which no tool can
// set back.
type readFiles struct {
	began int64 // when the build began reading, in Unix nanoseconds
	mu    sync.Mutex
	last  map[string]fileRead // the last build's
	now   map[string]fileRead
}

type fileRead struct {
	stat fileStat
	sum  [32]byte
}

// fileStat is what stat says of a file that tells it from itself after a
// change.
type fileStat struct {
	size, mtime, ctime int64 // times in Unix nanoseconds
	ino, dev           uint64
}

// settled says whether a file stat said st of, when a build began at
// began (Unix nanoseconds), had last changed more than racyGap before.
func settled(st fileStat, began int64) bool {
	limit := began - int64(racyGap)
	return st.mtime < limit && st.ctime < limit
}

func (w *recordWriter) stat(st fileStat) {
	for _, n := range []uint64{uint64(st.size), uint64(st.mtime), uint64(st.ctime), st.ino, st.dev} {
		w.u64(n)
	}
}

func (r *recordReader) stat() fileStat {
	return fileStat{size: int64(r.u64()), mtime: int64(r.u64()), ctime: int64(r.u64()), ino: r.u64(), dev: r.u64()}
}

// readFilesKey is the key of a build's readFiles on the items shelf.
var readFilesKey = sha256.Sum256([]byte("the content files a build read"))

// racyGap is how long before the last build began a file must have last
// changed for its times to be trusted.
var racyGap = 2 * time.Second

// openReadFiles reads the last build's readFiles from sh, for a build that
// begins reading now.
func openReadFiles(sh *shelf) *readFiles {
	f := &readFiles{began: time.Now().UnixNano(), now: map[string]fileRead{}}
	data, ok := sh.get(readFilesKey)
	if !ok {
		return f
	}
	r := readerOf(data)
	began := int64(r.u64())
	n := r.count()
	last := make(map[string]fileRead, n)
	for range n {
		p := r.own()
		fr := fileRead{stat: r.stat(), sum: r.sum()}
		if settled(fr.stat, began) {
			last[p] = fr
		}
	}
	if r.done() == nil {
		f.last = last
	}
	return f
}

// known gives the sha256 the last build read p with, when stat says p is
// as it was then.
func (f *readFiles) known(p string, fi fs.FileInfo) ([32]byte, bool) {
	st, ok := statOf(fi)
	if !ok {
		return [32]byte{}, false
	}
	fr, ok := f.last[p]
	return fr.sum, ok && fr.stat == st
}

func (f *readFiles) read(p string, fi fs.FileInfo, sum [32]byte) {
	if st, ok := statOf(fi); ok {
		f.mu.Lock()
		f.now[p] = fileRead{st, sum}
		f.mu.Unlock()
	}
}

// save puts the files this build read on sh, for the next.
func (f *readFiles) save(sh *shelf) {
	w := &recordWriter{b: make([]byte, 0, 8+len(f.now)*(96+40))}
	w.u64(uint64(f.began))
	w.num(len(f.now))
	for _, p := range slices.Sorted(maps.Keys(f.now)) {
		fr := f.now[p]
		w.str(p)
		w.stat(fr.stat)
		w.sum(fr.sum)
	}
	sh.put(readFilesKey, w.b)
}

// readsKnown says whether the build takes a file of the site's that stat
// says is as the last build read it by the sha256 it had then (readFiles):
// a build that keeps its pages; a preview's runs read every file.
func (b *builder) readsKnown() bool {
	w := b.warm
	return w != nil && !w.shelvesOnly && b.kept == nil && b.read != nil && w.items != nil
}

// knownFile gives the sha256 the last build read name with when stat says
// (fi) that it is as it was then, and keeps it for the next build.
func (b *builder) knownFile(name string, fi fs.FileInfo) ([32]byte, bool) {
	if !b.readsKnown() {
		return [32]byte{}, false
	}
	sum, ok := b.read.known(name, fi)
	if ok {
		b.read.read(name, fi, sum)
	}
	return sum, ok
}

// readFile notes, for the next build, a file of the site's this one read
// after stat said fi of it.
func (b *builder) readFile(name string, fi fs.FileInfo, sum [32]byte) {
	if b.readsKnown() {
		b.read.read(name, fi, sum)
	}
}

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
		w.u64(math.Float64bits(r.Score))
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
// d may stand for the document (its text by its sha256, textStand): full
// gives the document itself, for an analysis worked out afresh.
func (w *warm) analyse(s *search.Builder, i int, d search.Doc, full func() search.Doc) {
	if w == nil || w.analyses == nil {
		s.Add(i, full())
		return
	}
	key := s.Key(d)
	if i < len(w.keys) {
		w.keys[i] = key
	}
	if w.state.Has(key) && w.analyses.hold(key) {
		if s.AddState(i, d, w.state, key) {
			w.recalled.Add(1) // its quotes read when a passage file needs them (stateQuotes)
			w.fromState.Add(1)
			return
		}
		w.analyses.drop(key) // held for nothing: taken below, or put afresh
	}
	sc := scratches.Get().(*scratch)
	var ok bool
	sc.record, ok = w.analyses.takeIn(key, sc.record, func(data []byte) bool {
		a, err := sc.decodeAnalysis(data)
		return err == nil && s.AddAnalysis(i, d, a)
	})
	scratches.Put(sc)
	if ok {
		w.recalled.Add(1)
		return
	}
	s.Add(i, full())
	if a, ok := s.Analysis(i); ok {
		w.analyses.put(key, encodeAnalysis(a))
	}
}

// readState reads the search state the last build of this otpress saved
// in name: none (and no error) when there is none or another otpress's;
// an error when it is damaged or cut short.
func readState(name string, bin [32]byte) (*search.State, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	head := len(stateMagic) + len(bin)
	if len(data) < head+sumLen || string(data[:len(stateMagic)]) != stateMagic {
		return nil, errors.New("it is damaged or was cut short")
	}
	if !bytes.Equal(data[len(stateMagic):head], bin[:]) {
		return nil, nil
	}
	body := data[:len(data)-sumLen]
	if binary.LittleEndian.Uint32(data[len(body):]) != recordSum(body) {
		return nil, errors.New("it is damaged or was cut short")
	}
	return search.ReadState(body[head:])
}

// keepState puts the search state of this build's documents in place for
// the next build, as soon as the index is built (some 30 MB at 10,000
// items, not held to the end). A build that fails after may leave it: its
// documents are taken only while the analyses shelf has their records,
// which such a build drops.
func (w *warm) keepState(s *search.Builder) {
	if n := len(w.keys); w.stateDocs > 0 && n-int(w.fromState.Load()) <= n/100 && w.stateDocs <= n+n/100 {
		// the last build's state holds all but a few of this build's
		// documents and few others: kept as it is (those few are read
		// from their records); one that is damaged was refused, and
		// stateDocs is 0
		return
	}
	data := append([]byte(stateMagic), w.binary[:]...)
	data = s.AppendState(data, func(i int) ([32]byte, bool) {
		return w.keys[i], i < len(w.keys) && w.keys[i] != [32]byte{}
	})
	data = binary.LittleEndian.AppendUint32(data, recordSum(data))
	w.stateErr = replaceFile(filepath.Join(w.dir, stateFile), stateFile, data)
}

// stateQuotes are the quotes of document i, added from the search state
// under key: from its analysis on the shelf, or worked out again from
// the text when that cannot be read (which then drops it, for the next
// build to put afresh).
func (b *builder) stateQuotes(i int, key [32]byte) string {
	w := b.warm
	if data, ok := w.analyses.get(key); ok {
		if q, ok := analysisQuotes(data); ok {
			return q
		}
	}
	w.analyses.drop(key)
	it := b.lib.Items[i]
	r, err := w.render(b.md, b.itemSource(it), b.markdownDoc(it.File, it.Dir, bundleOf(it), it.BodyLine))
	var res markdown.Result
	if err == nil {
		res, err = r.full()
	}
	if err != nil {
		b.fail(err)
		return ""
	}
	return b.search.Quotes(b.searchDoc(it, summary(it.Summary, r.lead), res.Text))
}

// encodeAnalysis is an analysis as a shelf's record; decodeAnalysis reads
// it back.
func encodeAnalysis(a search.Analysis) []byte {
	w := &recordWriter{b: make([]byte, 0, len(a.Quotes)+16*len(a.Terms)+16*len(a.Words)+64)}
	var put func(a search.Analysis)
	put = func(a search.Analysis) {
		w.num(a.Length)
		w.str(a.Quotes)
		w.b = append(w.b, a.QuotesSum[:]...)
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

func decodeAnalysis(data []byte) (search.Analysis, error) { return new(scratch).decodeAnalysis(data) }

// analysisQuotes are the quotes of an analysis's record, its second field,
// read without the rest.
func analysisQuotes(data []byte) (string, bool) {
	r := readerOf(data)
	r.num()
	q := r.str()
	return q, !r.bad
}

// scratch is what a warm build recalls an analysis into, used again for
// the next: the record and the analysis's lists. The search index keeps
// none of them (AddAnalysis copies what it keeps), and they were a fifth
// of what a warm build allocated.
type scratch struct {
	record []byte
	terms  []search.Term
	words  []search.Word
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// grown is s with n more elements, from a new array when s has no room:
// the lists already given out keep the old one.
func grown[T any](s []T, n int) (all, more []T) {
	if len(s)+n > cap(s) {
		s = make([]T, 0, max(2*cap(s), n, 64))
	}
	all = s[:len(s)+n]
	return all, all[len(s):len(all):len(all)]
}

// decodeAnalysis reads an analysis whose strings share data's bytes and
// whose lists are cut from sc's, which the next call gives out again.
func (sc *scratch) decodeAnalysis(data []byte) (search.Analysis, error) {
	sc.terms, sc.words = sc.terms[:0], sc.words[:0]
	r := readerOf(data)
	var get func(depth int) search.Analysis
	get = func(depth int) search.Analysis {
		a := search.Analysis{Length: r.num(), Quotes: r.str()}
		copy(a.QuotesSum[:], r.take(len(a.QuotesSum)))
		sc.terms, a.Terms = grown(sc.terms, r.count())
		for k := range a.Terms {
			a.Terms[k] = search.Term{Stem: r.str(), TF: r.num(), Keep: r.flag()}
		}
		sc.words, a.Words = grown(sc.words, r.count())
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

// Part is a part of pages the last build rendered under key (the
// "cached" template function's, render.Parts), for the same settings.
func (w *warm) Part(key [32]byte) (template.HTML, bool) {
	var html template.HTML
	if w.parts == nil { // closed
		return html, false
	}
	ok := w.parts.take(w.partKey(key), func(data []byte) bool {
		html = template.HTML(data)
		return true
	})
	if ok {
		partsTaken.Add(1)
	}
	return html, ok
}

// KeepPart keeps a part rendered under key for the next build.
func (w *warm) KeepPart(key [32]byte, html template.HTML) {
	partsMade.Add(1)
	if w.parts != nil {
		w.parts.put(w.partKey(key), []byte(html))
	}
}

// partsMade counts the parts rendered by builds that keep them (not
// taken from the last build), and partsTaken those taken, for tests.
var partsMade, partsTaken atomic.Int64

// partKey is a part's key mixed with the build's settings.
func (w *warm) partKey(key [32]byte) [32]byte {
	var both [64]byte
	copy(both[:], w.settings[:])
	copy(both[32:], key[:])
	return sha256.Sum256(both[:])
}
