package search

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strings"
	"unsafe"
)

// A State is a builder's analysed documents saved whole for the next
// build (AppendState): its stems and words once, then each document's
// counts by their place among them, under the key its caller gave it
// (Key). A warm build adds a document whose key is the same from it
// (AddState) with no string to look up, instead of an Analysis a document.
// A document's quotes are not in it: QuotesFor gives them when a passage
// file must be made again.
//
// The layout: the stems (a count, then each one's length and bytes), the
// words (a count, then each one's length, bytes and stem) and the
// documents (a count, then each one's key and the offset of its counts
// after the table), in unsigned varints but for keys and offsets (4 bytes
// little-endian); then the counts, in 4-byte little-endian numbers, fixed
// so that a warm build reads them without decoding varints: a document's
// length, its terms (a count, then each one's stem, weighted count (2
// bytes), whether kept (1 byte) and a byte unused), its words (a count,
// then each one's place), its quotes' sum (16 bytes) and its parts (a
// count, then each one's length, terms and words).
type State struct {
	stems []string
	words []string
	wstem []uint32
	docs  map[[32]byte]uint32
	body  []byte
}

// maxStateCount bounds a count read from a State before it makes room.
const maxStateCount = 1 << 26

// AppendState appends b's documents to dst as a State; key(i) gives
// document i's key, and false to leave it out. A document whose counts
// are not whole numbers is left out too.
func (b *Builder) AppendState(dst []byte, key func(i int) ([32]byte, bool)) []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	whole := func(a analysed) bool {
		return a.length == math.Trunc(a.length) && a.length >= 0 && a.length <= math.MaxUint32
	}
	size := func(a *analysed) int { return 4 + 4 + 8*len(a.terms) + 4 + 4*len(a.words) }
	type entry struct {
		key [32]byte
		doc int
		at  uint32
	}
	var table []entry
	n := 0
	for i := range b.docs {
		d := &b.docs[i]
		k, ok := key(i)
		if !d.set || !ok || !whole(*d) || slices.ContainsFunc(d.parts, func(p analysed) bool { return !whole(p) }) {
			continue
		}
		m := n + size(d) + 16 + 4
		for p := range d.parts {
			m += size(&d.parts[p])
		}
		if m > math.MaxUint32 {
			break
		}
		table = append(table, entry{k, i, uint32(n)})
		n = m
	}
	// the stems and words the documents count, in the order met
	stemAt := make([]uint32, len(b.stems)) // a stem's place + 1 in the state
	wordAt := make([]uint32, len(b.words))
	var stems, words []uint32 // the builder's ids, in the state's order
	places := func(a *analysed) {
		for _, t := range a.terms {
			if stemAt[t.id] == 0 {
				stems = append(stems, t.id)
				stemAt[t.id] = uint32(len(stems))
			}
		}
		for _, w := range a.words {
			if wordAt[w] == 0 {
				words = append(words, w)
				wordAt[w] = uint32(len(words))
			}
		}
	}
	for _, e := range table {
		d := &b.docs[e.doc]
		places(d)
		for k := range d.parts {
			places(&d.parts[k])
		}
	}
	// a word's stem may be one no document counts (a word of a part whose
	// stem is its page's): give it a place too
	for _, w := range words {
		if s := b.wstem[w]; stemAt[s] == 0 {
			stems = append(stems, s)
			stemAt[s] = uint32(len(stems))
		}
	}
	room := n + len(table)*36 + 3*binary.MaxVarintLen64 + 16 // and room for the caller's sum
	for _, s := range stems {
		room += binary.MaxVarintLen32 + len(b.stems[s])
	}
	for _, w := range words {
		room += 2*binary.MaxVarintLen32 + len(b.words[w])
	}
	dst = slices.Grow(dst, room)
	dst = binary.AppendUvarint(dst, uint64(len(stems)))
	for _, s := range stems {
		dst = binary.AppendUvarint(dst, uint64(len(b.stems[s])))
		dst = append(dst, b.stems[s]...)
	}
	dst = binary.AppendUvarint(dst, uint64(len(words)))
	for _, w := range words {
		dst = binary.AppendUvarint(dst, uint64(len(b.words[w])))
		dst = append(dst, b.words[w]...)
		dst = binary.AppendUvarint(dst, uint64(stemAt[b.wstem[w]]-1))
	}
	dst = binary.AppendUvarint(dst, uint64(len(table)))
	for _, e := range table {
		dst = append(dst, e.key[:]...)
		dst = binary.LittleEndian.AppendUint32(dst, e.at)
	}
	// the counts, written in place after the table
	body := dst[len(dst) : len(dst)+n]
	at := 0
	put := func(v uint32) {
		binary.LittleEndian.PutUint32(body[at:], v)
		at += 4
	}
	counts := func(a *analysed) {
		put(uint32(a.length))
		put(uint32(len(a.terms)))
		for _, t := range a.terms {
			put(stemAt[t.id] - 1)
			binary.LittleEndian.PutUint16(body[at:], t.tf)
			body[at+2], body[at+3] = 0, 0
			if t.keep {
				body[at+2] = 1
			}
			at += 4
		}
		put(uint32(len(a.words)))
		for _, w := range a.words {
			put(wordAt[w] - 1)
		}
	}
	for _, e := range table {
		d := &b.docs[e.doc]
		counts(d)
		copy(body[at:], d.qsum[:])
		at += 16
		put(uint32(len(d.parts)))
		for k := range d.parts {
			counts(&d.parts[k])
		}
	}
	return dst[:len(dst)+n]
}

var errState = errors.New("the search state is damaged")

// ReadState reads a State that AppendState wrote. The State keeps data
// and cuts its strings from it: the caller must not change it after.
func ReadState(data []byte) (*State, error) {
	r := stateReader{data: data}
	st := &State{}
	n := r.count()
	st.stems = make([]string, 0, n)
	for range n {
		st.stems = append(st.stems, r.str())
	}
	n = r.count()
	st.words = make([]string, 0, n)
	st.wstem = make([]uint32, 0, n)
	for range n {
		st.words = append(st.words, r.str())
		s := r.num()
		if s >= uint64(len(st.stems)) {
			return nil, errState
		}
		st.wstem = append(st.wstem, uint32(s))
	}
	n = r.count()
	st.docs = make(map[[32]byte]uint32, n)
	for range n {
		var k [32]byte
		copy(k[:], r.take(32))
		at := r.take(4)
		if r.bad {
			return nil, errState
		}
		st.docs[k] = binary.LittleEndian.Uint32(at)
	}
	if r.bad {
		return nil, errState
	}
	st.body = data[r.at:]
	return st, nil
}

// Docs is how many documents s holds.
func (s *State) Docs() int { return len(s.docs) }

// Has says whether s holds counts under key; a nil State holds none.
func (s *State) Has(key [32]byte) bool {
	if s == nil {
		return false
	}
	_, ok := s.docs[key]
	return ok
}

// AddState is Add of document d with the counts s holds under key, which
// must be what Key gives for d. It adds nothing and returns false when s
// holds none or they do not fit d. The document's quotes are asked of the
// function QuotesFor set, when they are needed.
func (b *Builder) AddState(i int, d Doc, s *State, key [32]byte) bool {
	at, ok := s.docs[key]
	if !ok || int(at) >= len(s.body) {
		return false
	}
	r := stateReader{data: s.body, at: int(at)}
	doc, ok := r.counts(s)
	if !ok {
		return false
	}
	copy(doc.qsum[:], r.take(16))
	if r.u32() != uint32(len(d.Parts)) || r.bad {
		return false
	}
	doc.parts = make([]analysed, 0, len(d.Parts))
	for _, p := range d.Parts {
		pa, ok := r.counts(s)
		if !ok {
			return false
		}
		pa.part, pa.parent = p, i
		doc.parts = append(doc.parts, pa)
	}
	doc.doc, doc.set = d, true
	doc.doc.Text = [numFields]string{}
	doc.doc.Parts = nil
	doc.lazy, doc.key = true, key
	b.fromState(s, &doc)
	for k := range doc.parts {
		b.fromState(s, &doc.parts[k])
	}
	b.docs[i] = doc
	return true
}

// fromState gives a's stems and words, read as places in s, the
// builder's ids, adding those it has not met.
func (b *Builder) fromState(s *State, a *analysed) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state != s {
		b.state, b.stemOf, b.wordOf = s, make([]uint32, len(s.stems)), make([]uint32, len(s.words))
	}
	for k, t := range a.terms {
		if b.stemOf[t.id] == 0 {
			b.stemOf[t.id] = b.idLocked(strings.Clone(s.stems[t.id])) + 1
		}
		a.terms[k].id = b.stemOf[t.id] - 1
	}
	for k, w := range a.words {
		if b.wordOf[w] == 0 {
			id, ok := b.wids[s.words[w]]
			if !ok {
				id = uint32(len(b.words))
				text := strings.Clone(s.words[w])
				b.wids[text] = id
				b.words = append(b.words, text)
				stem := s.wstem[w]
				if b.stemOf[stem] == 0 {
					b.stemOf[stem] = b.idLocked(strings.Clone(s.stems[stem])) + 1
				}
				b.wstem = append(b.wstem, b.stemOf[stem]-1)
			}
			b.wordOf[w] = id + 1
		}
		a.words[k] = b.wordOf[w] - 1
	}
}

// DropState lets go of the State documents were added from, once no more
// will be, so that its bytes are not held while the index is built.
func (b *Builder) DropState() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state, b.stemOf, b.wordOf = nil, nil, nil
}

// QuotesFor makes f what gives the quotes of document i, added by
// AddState under key, when the index needs them.
func (b *Builder) QuotesFor(f func(i int, key [32]byte) string) { b.quoter = f }

type stateReader struct {
	data []byte
	at   int
	bad  bool
}

func (r *stateReader) num() uint64 {
	n, k := binary.Uvarint(r.data[r.at:])
	if k <= 0 {
		r.bad = true
		r.at = len(r.data)
		return 0
	}
	r.at += k
	return n
}

// count is a count of things to come, each at least a byte: one larger
// than the bytes left, or than maxStateCount, is damage.
func (r *stateReader) count() int {
	n := r.num()
	if n > maxStateCount || n > uint64(len(r.data)-r.at) {
		r.bad = true
		r.at = len(r.data)
		return 0
	}
	return int(n)
}

func (r *stateReader) take(n int) []byte {
	if n > len(r.data)-r.at {
		r.bad = true
		r.at = len(r.data)
		return make([]byte, n)
	}
	p := r.data[r.at : r.at+n]
	r.at += n
	return p
}

// str is a string cut from the data, not copied.
func (r *stateReader) str() string {
	p := r.take(r.count())
	if len(p) == 0 {
		return ""
	}
	return unsafe.String(&p[0], len(p))
}

// u32 is a 4-byte number of a document's counts.
func (r *stateReader) u32() uint32 {
	if len(r.data)-r.at < 4 {
		r.bad = true
		r.at = len(r.data)
		return 0
	}
	v := binary.LittleEndian.Uint32(r.data[r.at:])
	r.at += 4
	return v
}

// counts reads a document's length, terms and words, as places in s;
// false when a number is out of its range or the data runs out.
func (r *stateReader) counts(s *State) (analysed, bool) {
	a := analysed{length: float64(r.u32())}
	n := r.u32()
	if int64(n)*8 > int64(len(r.data)-r.at) {
		return a, false
	}
	a.terms = make([]termTF, n)
	p := r.data[r.at:]
	for k := range a.terms {
		t := p[8*k : 8*k+8]
		id, tf, keep := binary.LittleEndian.Uint32(t), binary.LittleEndian.Uint16(t[4:]), t[6]
		if id >= uint32(len(s.stems)) || keep > 1 {
			return a, false
		}
		a.terms[k] = termTF{id: id, tf: tf, keep: keep == 1}
	}
	r.at += 8 * int(n)
	n = r.u32()
	if int64(n)*4 > int64(len(r.data)-r.at) {
		return a, false
	}
	a.words = make([]uint32, n)
	p = r.data[r.at:]
	for k := range a.words {
		w := binary.LittleEndian.Uint32(p[4*k:])
		if w >= uint32(len(s.words)) {
			return a, false
		}
		a.words[k] = w
	}
	r.at += 4 * int(n)
	return a, !r.bad
}

// Quotes are what the builder keeps of d for results to quote (Add, and
// a quoter working them out again).
func (b *Builder) Quotes(d Doc) string { return Sentences(d.Text[Body], b.o.QuoteBytes) }
