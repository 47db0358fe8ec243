package search

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A Spill keeps the sentences each page's results quote (Options.QuoteBytes,
// about as many bytes as the pages' text) in a file instead of in memory,
// for a builder that lives as long as the preview: Build reads them back.
// Texts are only added, so a snapshot building the index in another
// goroutine reads what it was given while later documents are added.
type Spill struct {
	mu     sync.Mutex
	f      SpillFile
	off    int64
	broken bool        // a write failed: later texts stay in memory
	failed atomic.Bool // a read failed (Err)
}

// SpillFile is what a Spill keeps texts in: an *os.File, or anything else
// read and written at offsets from 0.
type SpillFile interface {
	io.WriterAt
	io.ReaderAt
}

// NewSpill keeps texts in f.
func NewSpill(f SpillFile) *Spill { return &Spill{f: f} }

// Spill makes b, and the builders made from it, keep quotes in s.
func (b *Builder) Spill(s *Spill) { b.spill = s }

// spilled is where a text is in a spill.
type spilled struct {
	off int64
	n   int32 // 0: not spilled
}

// put writes text to the spill; false when it could not (it then stays in
// memory).
func (s *Spill) put(text string) (spilled, bool) {
	if s == nil || text == "" {
		return spilled{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken || len(text) > 1<<30 {
		return spilled{}, false
	}
	at := s.off
	// the file neither keeps nor changes what it is given (io.WriterAt)
	if _, err := s.f.WriteAt(unsafe.Slice(unsafe.StringData(text), len(text)), at); err != nil {
		s.broken = true
		return spilled{}, false
	}
	s.off += int64(len(text))
	return spilled{at, int32(len(text))}, true
}

func (s *Spill) get(sp spilled) string {
	buf := make([]byte, sp.n)
	if _, err := s.f.ReadAt(buf, sp.off); err != nil {
		s.failed.Store(true)
		return ""
	}
	return string(buf)
}

// Err says whether a text could not be read back: an index built since
// lacks some quotes.
func (s *Spill) Err() error {
	if s != nil && s.failed.Load() {
		return errSpill
	}
	return nil
}

var errSpill = errors.New("the search index's quotes could not be read back from their file")

// quotesOf is document i's quotes (d), from the spill when they are
// there, or from the quoter for one added from a State.
func (b *Builder) quotesOf(i int, d *analysed) string {
	if d.lazy && b.quoter != nil {
		return b.quoter(i, d.key)
	}
	if d.spilled.n > 0 {
		return b.spill.get(d.spilled)
	}
	return d.quotes
}

// keepQuotes sets a's quotes, spilled when b has a spill.
func (b *Builder) keepQuotes(a *analysed, q string) {
	if sp, ok := b.spill.put(q); ok {
		a.spilled = sp
		return
	}
	a.quotes = q
}
