package search

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"slices"
	"strings"
	"unsafe"
)

// Analysis is what Add worked out of a document, apart from any builder:
// for a build that keeps it to the next (Builder.Analysis, AddAnalysis).
type Analysis struct {
	Terms  []Term // each stem counted, with its weighted count
	Words  []Word // the words seen, for their surface forms
	Length int    // the weighted count of every word counted
	Quotes string // the sentences a result may quote (Sentences)
	// QuotesSum stands for a page's Quotes in its passage file's key,
	// worked out once (none for a part)
	QuotesSum [16]byte
	Parts     []Analysis
}

// Term is a stem's weighted count in a document; Keep when it is in the
// title, themes, people or summary.
type Term struct {
	Stem string
	TF   int
	Keep bool
}

// Word is a word seen and its stem's place in its Analysis's Terms.
type Word struct {
	Text string
	Term int
}

// analysisVersion changes whenever what Add works out of a document does.
const analysisVersion = 1

// Key is a hash of what a document's Analysis depends on: its texts, its
// parts' texts and the builder's options, the analysis among them.
func (b *Builder) Key(d Doc) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "analysis %d %d %d", analysisVersion, b.o.QuoteBytes, len(d.Parts))
	if b.st.welsh { // an English index's keys are as they were before Welsh
		h.Write([]byte(" cy"))
	}
	for _, t := range d.Text {
		writeText(h, t)
	}
	for _, p := range d.Parts {
		writeText(h, p.Text)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// Analysis is document i's, as Add left it; false when i has none or its
// counts cannot be given as whole numbers.
func (b *Builder) Analysis(i int) (Analysis, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	a := b.docs[i]
	if !a.set {
		return Analysis{}, false
	}
	return b.export(i, a)
}

func (b *Builder) export(i int, a analysed) (Analysis, bool) {
	out := Analysis{Length: int(a.length), Quotes: b.quotesOf(i, &a), QuotesSum: a.qsum, Terms: make([]Term, len(a.terms)), Words: make([]Word, len(a.words))}
	if float64(out.Length) != a.length {
		return Analysis{}, false
	}
	at := make(map[uint32]int, len(a.terms))
	for k, t := range a.terms {
		out.Terms[k] = Term{Stem: b.stems[t.id], TF: int(t.tf), Keep: t.keep}
		at[t.id] = k
	}
	for k, w := range a.words {
		term, ok := at[b.wstem[w]]
		if !ok {
			return Analysis{}, false
		}
		out.Words[k] = Word{Text: b.words[w], Term: term}
	}
	for _, p := range a.parts {
		pa, ok := b.export(i, p)
		if !ok {
			return Analysis{}, false
		}
		out.Parts = append(out.Parts, pa)
	}
	return out, true
}

// AddAnalysis is Add of document d with the Analysis an earlier builder
// with the same options gave for a document of the same Key. It adds
// nothing and returns false when a does not fit d. The builder keeps
// none of a's strings, so they may be cut from a larger one.
func (b *Builder) AddAnalysis(i int, d Doc, a Analysis) bool {
	if len(a.Parts) != len(d.Parts) || !fits(a) {
		return false
	}
	doc := b.imported(a)
	doc.doc, doc.set = d, true
	doc.qsum = a.QuotesSum
	if doc.qsum == ([16]byte{}) { // an Analysis given without it
		doc.qsum = quotesSum(a.Quotes)
	}
	doc.doc.Text = [numFields]string{}
	doc.doc.Parts = nil
	for k, p := range d.Parts {
		pa := b.imported(a.Parts[k])
		pa.part, pa.parent = p, i
		doc.parts = append(doc.parts, pa)
	}
	b.docs[i] = doc
	return true
}

// fits says whether every word of a and its parts names one of its terms.
func fits(a Analysis) bool {
	for _, w := range a.Words {
		if w.Term < 0 || w.Term >= len(a.Terms) || w.Text == "" {
			return false
		}
	}
	return !slices.ContainsFunc(a.Parts, func(p Analysis) bool { return !fits(p) })
}

func (b *Builder) imported(a Analysis) analysed {
	out := analysed{length: float64(a.Length), terms: make([]termTF, len(a.Terms)), words: make([]uint32, len(a.Words))}
	b.keepQuotes(&out, a.Quotes)
	if out.spilled.n == 0 {
		out.quotes = strings.Clone(out.quotes) // a's may be cut from a larger string
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, t := range a.Terms {
		id, ok := b.ids[t.Stem]
		if !ok {
			id = b.idLocked(strings.Clone(t.Stem))
		}
		out.terms[k] = termTF{id: id, tf: uint16(min(t.TF, 1<<16-1)), keep: t.Keep}
	}
	for k, w := range a.Words {
		id, ok := b.wids[w.Text]
		if !ok {
			id = uint32(len(b.words))
			text := strings.Clone(w.Text)
			b.wids[text] = id
			b.words = append(b.words, text)
			b.wstem = append(b.wstem, out.terms[w.Term].id)
		}
		out.words[k] = id
	}
	return out
}

// passageVersion changes whenever what a passage file holds does.
const passageVersion = 1

// passageKey is a passage file's key: its name and what it is made from.
func passageKey(name string, from ...string) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "passage %d %s %d", passageVersion, name, len(from))
	for _, t := range from {
		writeText(h, t)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// quotesSum stands for a page's quotes in its passage file's key.
func quotesSum(q string) (s [16]byte) {
	full := sha256.Sum256(unsafe.Slice(unsafe.StringData(q), len(q)))
	copy(s[:], full[:])
	return s
}

// writeText writes t to a key's hash as its length and its bytes, so that
// texts one after another cannot be read as others.
func writeText(h hash.Hash, t string) {
	fmt.Fprintf(h, " %d:", len(t))
	h.Write(unsafe.Slice(unsafe.StringData(t), len(t))) // read, not kept: no copy
}
