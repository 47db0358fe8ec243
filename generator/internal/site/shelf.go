package site

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unsafe"
)

// shelf is a cache file of records by key, such as each item's rendered
// Markdown (.otpress-cache/markdown): a build reads what the last one
// kept (get) and keeps its own records as it goes (put) in a new file,
// which save puts in place of the old. Records are read one at a time,
// so a big site's cache is never all in memory.
//
// The file: magic, the settings its records depend on (32 bytes), the
// records (each its bytes then their sha256), an index (a count, then
// each record's key, offset and length), the index's offset (8 bytes),
// and the sha256 of all but the records. A file cut short, of another
// layout or made with other settings is not read; a damaged record is
// taken as missing.
type shelf struct {
	name     string // the file's path
	magic    string
	settings [32]byte
	old      *os.File
	spans    map[[32]byte]span // old's records

	mu   sync.Mutex
	tmp  *os.File // this build's file, in the cache folder; nil when it cannot be written
	w    *bufio.Writer
	off  int64
	kept map[[32]byte]span
	err  error // writing failed: save keeps nothing
}

type span struct{ off, n int64 }

// maxRecord bounds a record's length as read from an index, and maxIndex
// the index (about 40 bytes a record), before either is read.
const (
	maxRecord = 1 << 30
	maxIndex  = 64 << 20
)

// openShelf reads the index of the file name in dir, unless clean, and
// opens a temporary file beside it for this build's records. A file that
// is there but cannot be used is an error, for one warning; the shelf is
// usable all the same (empty).
func openShelf(dir, name, magic string, settings [32]byte, clean bool) (*shelf, error) {
	s := &shelf{name: filepath.Join(dir, name), magic: magic, settings: settings, kept: map[[32]byte]span{}}
	if tmp, err := os.CreateTemp(dir, "."+name+"-*"); err == nil {
		s.tmp, s.w = tmp, bufio.NewWriterSize(tmp, 256<<10)
		s.write([]byte(magic))
		s.write(settings[:])
	} else {
		s.err = err
	}
	if clean {
		return s, nil
	}
	f, err := os.Open(s.name)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return s, nil
		}
		return s, err
	}
	spans, err := readIndex(f, magic, settings)
	if err != nil {
		f.Close()
		if errors.Is(err, errOtherSettings) {
			return s, nil // made for other settings: nothing in it applies
		}
		return s, err
	}
	s.old, s.spans = f, spans
	return s, nil
}

var errOtherSettings = errors.New("made with other settings")

func readIndex(f *os.File, magic string, settings [32]byte) (map[[32]byte]span, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	head := int64(len(magic) + 32)
	size := fi.Size()
	short := errors.New("it is not a cache of this otpress, or was cut short")
	if size < head+8+32 {
		return nil, short
	}
	buf := make([]byte, head)
	if _, err := f.ReadAt(buf, 0); err != nil {
		return nil, short
	}
	if !bytes.HasPrefix(buf, []byte(magic)) {
		return nil, short
	}
	var tail [40]byte
	if _, err := f.ReadAt(tail[:], size-40); err != nil {
		return nil, short
	}
	at := int64(binary.LittleEndian.Uint64(tail[:8]))
	if at < head || at > size-40 || size-40-at > maxIndex {
		return nil, short
	}
	index := make([]byte, size-40-at)
	if _, err := f.ReadAt(index, at); err != nil {
		return nil, short
	}
	h := sha256.New()
	h.Write(buf)
	h.Write(index)
	h.Write(tail[:8])
	if !bytes.Equal(h.Sum(nil), tail[8:]) {
		return nil, errors.New("it is damaged or was cut short")
	}
	if !bytes.Equal(buf[len(magic):], settings[:]) {
		return nil, errOtherSettings
	}
	damaged := errors.New("its index is damaged")
	r := bytes.NewReader(index)
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(len(index)/34) {
		return nil, damaged
	}
	spans := make(map[[32]byte]span, n)
	for range n {
		var k [32]byte
		if _, err := io.ReadFull(r, k[:]); err != nil {
			return nil, damaged
		}
		off, err1 := binary.ReadUvarint(r)
		l, err2 := binary.ReadUvarint(r)
		if err1 != nil || err2 != nil || off < uint64(head) || l > maxRecord || off+l+32 > uint64(at) {
			return nil, damaged
		}
		spans[k] = span{int64(off), int64(l)}
	}
	return spans, nil
}

// get returns the last build's record under key and its sha256, or false.
func (s *shelf) get(key [32]byte) ([]byte, [32]byte, bool) {
	sp, ok := s.spans[key]
	if !ok {
		return nil, [32]byte{}, false
	}
	buf := make([]byte, sp.n+32)
	if _, err := s.old.ReadAt(buf, sp.off); err != nil {
		return nil, [32]byte{}, false
	}
	data, sum := buf[:sp.n], sha256.Sum256(buf[:sp.n])
	if !bytes.Equal(sum[:], buf[sp.n:]) {
		return nil, [32]byte{}, false
	}
	return data, sum, true
}

// take gives use the last build's record under key, and keeps it for the
// next build when use takes it.
func (s *shelf) take(key [32]byte, use func([]byte) bool) bool {
	data, sum, ok := s.get(key)
	if !ok || !use(data) {
		return false
	}
	s.putSum(key, data, sum)
	return true
}

// put keeps a record for the next build; a key kept already is kept once.
func (s *shelf) put(key [32]byte, data []byte) { s.putSum(key, data, sha256.Sum256(data)) }

// putSum is put of a record whose sha256 is known (from get).
func (s *shelf) putSum(key [32]byte, data []byte, sum [32]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tmp == nil || s.err != nil {
		return
	}
	if _, ok := s.kept[key]; ok {
		return
	}
	at := s.off
	s.write(data)
	s.write(sum[:])
	s.kept[key] = span{at, int64(len(data))}
}

func (s *shelf) write(p []byte) {
	if s.err != nil {
		return
	}
	n, err := s.w.Write(p)
	s.off += int64(n)
	s.err = err
}

// save finishes this build's file and puts it in place of the last
// build's, whole or not at all.
func (s *shelf) save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tmp == nil {
		return s.err
	}
	tmp := s.tmp
	s.tmp = nil
	if s.old != nil {
		s.old.Close()
		s.old = nil
	}
	at := s.off
	var index []byte
	index = binary.AppendUvarint(index, uint64(len(s.kept)))
	for k, sp := range s.kept {
		index = append(index, k[:]...)
		index = binary.AppendUvarint(index, uint64(sp.off))
		index = binary.AppendUvarint(index, uint64(sp.n))
	}
	var off [8]byte
	binary.LittleEndian.PutUint64(off[:], uint64(at))
	h := sha256.New()
	h.Write([]byte(s.magic))
	h.Write(s.settings[:])
	h.Write(index)
	h.Write(off[:])
	s.write(index)
	s.write(off[:])
	s.write(h.Sum(nil))
	err := s.err
	if err == nil {
		err = s.w.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// discard keeps nothing of this build: for one that failed.
func (s *shelf) discard() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.old != nil {
		s.old.Close()
		s.old = nil
	}
	if s.tmp != nil {
		s.tmp.Close()
		os.Remove(s.tmp.Name())
		s.tmp = nil
	}
}

// sweepTemps removes the temporary files (".name-*") that builds killed
// before their end left in the cache folder: for a caller holding the
// folder's lock.
func sweepTemps(dir string, names ...string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		for _, name := range names {
			if strings.HasPrefix(e.Name(), "."+name+"-") && e.Type().IsRegular() {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
}

// A record's fields are numbers (uvarints) and strings (a length, then
// the bytes): recordWriter puts them, recordReader takes them back,
// refusing a length longer than what is left.
type recordWriter struct{ b []byte }

func (w *recordWriter) num(n int) { w.b = binary.AppendUvarint(w.b, uint64(n)) }
func (w *recordWriter) str(s string) {
	w.num(len(s))
	w.b = append(w.b, s...)
}
func (w *recordWriter) flag(v bool) {
	if v {
		w.num(1)
	} else {
		w.num(0)
	}
}

type recordReader struct {
	s   string // the strings it gives are cut from this one, not copied
	bad bool
}

// readerOf reads a record in place: the strings it gives share data's
// bytes, which must not change after (a shelf's get gives each record
// bytes of its own).
func readerOf(data []byte) *recordReader {
	return &recordReader{s: unsafe.String(unsafe.SliceData(data), len(data))}
}

func (r *recordReader) num() int {
	var n uint64
	for i := 0; i < len(r.s) && i < 5; i++ {
		c := r.s[i]
		n |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if n > math.MaxInt32 {
				break
			}
			r.s = r.s[i+1:]
			return int(n)
		}
	}
	r.bad, r.s = true, ""
	return 0
}

// count is a number of things that each take at least one byte.
func (r *recordReader) count() int {
	n := r.num()
	if n > len(r.s) {
		r.bad, r.s = true, ""
		return 0
	}
	return n
}

func (r *recordReader) str() string {
	n := r.count()
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

// u64 is a number written whole, in 8 bytes (little-endian).
func (r *recordReader) u64() uint64 {
	if len(r.s) < 8 {
		r.bad, r.s = true, ""
		return 0
	}
	var n uint64
	for i := 7; i >= 0; i-- {
		n = n<<8 | uint64(r.s[i])
	}
	r.s = r.s[8:]
	return n
}

// own is str copied, for a string kept longer than the record.
func (r *recordReader) own() string { return strings.Clone(r.str()) }

func (r *recordReader) flag() bool { return r.num() == 1 }

// done reports whether the record was read whole and no further.
func (r *recordReader) done() error {
	if r.bad || len(r.s) != 0 {
		return fmt.Errorf("a damaged record")
	}
	return nil
}
