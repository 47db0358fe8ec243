package site

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// shelf is a cache file of records by key, such as each item's rendered
// Markdown (.otpress-cache/markdown): a build reads what the last one
// kept (get), keeps what it takes (take) and adds its own (put). Records
// stay where they are in the file and new ones go at its end, so a warm
// build writes what changed, not every record again; save then puts an
// index of the records this build kept in place in one rename. When those
// are less than half the file, save writes them to a new one instead.
// Records are read one at a time, so a big site's cache is never all in
// memory.
//
// The records file: magic, the settings its records depend on (32
// bytes), an id (16 random bytes), the records (each its bytes then their
// CRC-32C, 4 bytes little-endian). Its index (name.index): magic, settings, the records file's id,
// the length of it the index covers (8 bytes), the records (a count, then
// each one's key, offset, length and builds unused, a byte) and the
// sha256 of all that. A record no build used is dropped at once, or after
// idle builds for a shelf that keeps some longer. An index
// cut short, damaged, of another layout or settings, or not of the records
// file there (another id, or a file shorter than it covers) is not read;
// a damaged record is taken as missing. A build that fails cuts off the
// records it added; one killed leaves bytes no index names, which the next
// cuts off.
type shelf struct {
	name     string // the records file's path
	magic    string
	settings [32]byte
	spans    map[[32]byte]span // the last build's records

	mu    sync.Mutex
	file  *os.File // the records file, read and added to; nil when there is none to read
	id    [16]byte
	fresh string // the path of file when it is a new one, put in place by save
	w     *bufio.Writer
	off   int64 // where the next record goes
	start int64 // the file's length as the last build left it
	kept  map[[32]byte]span
	live  int64 // bytes of the records kept
	err   error // writing failed: save keeps nothing
	// idle is how many builds in a row may leave a record unused before
	// it is dropped: 0 for records that only the last build's may use
	idle    uint8
	dropped map[[32]byte]bool // keys drop forgot
}

// span is a record's place in the file, and how many builds in a row
// have not used it (taken, held or put it); a shelf keeps such a record
// for at most idle builds.
type span struct {
	off, n int64
	unused uint8
}

// maxRecord bounds a record's length as read from an index, and maxIndex
// the index (about 40 bytes a record), before either is read.
const (
	maxRecord = 1 << 30
	maxIndex  = 64 << 20
)

// indexSuffix names a records file's index.
const indexSuffix = ".index"

// openShelf reads the index of the file name in dir, unless clean, and
// opens the file to read its records and add this build's. A file that is
// there but cannot be used is an error, for one warning; the shelf is
// usable all the same (empty, in a new file).
func openShelf(dir, name, magic string, settings [32]byte, clean bool) (*shelf, error) {
	s := &shelf{name: filepath.Join(dir, name), magic: magic, settings: settings, kept: map[[32]byte]span{}}
	var err error
	if !clean {
		err = s.openOld()
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, errOtherSettings) {
			err = nil // none yet, or made for other settings: nothing in it applies
		}
	}
	if s.file == nil {
		s.openNew(dir, name)
	}
	return s, err
}

var errOtherSettings = errors.New("made with other settings")

// openOld opens the last build's records file through its index.
func (s *shelf) openOld() error {
	index, err := os.ReadFile(s.name + indexSuffix)
	if err != nil {
		if _, serr := os.Stat(s.name); errors.Is(err, os.ErrNotExist) && serr == nil {
			return errors.New("its index is missing")
		}
		return err
	}
	id, covered, spans, err := readIndex(index, s.magic, s.settings)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(s.name, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrPermission) {
		// read what it holds; the build's own records go nowhere (save says so)
		f, err = os.Open(s.name)
		s.err = fmt.Errorf("%s is read-only", filepath.Base(s.name))
	}
	if err != nil {
		return err
	}
	head := make([]byte, len(s.magic)+32+16)
	fi, err := f.Stat()
	if err == nil {
		_, err = f.ReadAt(head, 0)
	}
	if err != nil || fi.Size() < covered || !bytes.Equal(head, s.header(id)) {
		f.Close()
		return errors.New("it is damaged or was cut short")
	}
	s.off = fi.Size()
	if s.off > covered && s.err == nil && f.Truncate(covered) == nil {
		s.off = covered // what a killed build added
	}
	s.file, s.id, s.spans, s.start = f, id, spans, s.off
	s.w = bufio.NewWriterSize(io.NewOffsetWriter(f, s.off), 256<<10)
	return nil
}

// openNew starts a new records file, in the cache folder, for save to put
// in place.
func (s *shelf) openNew(dir, name string) {
	f, err := os.CreateTemp(dir, "."+name+"-*")
	if err != nil {
		s.err = err
		return
	}
	rand.Read(s.id[:])
	s.file, s.fresh, s.spans, s.off, s.err = f, f.Name(), nil, 0, nil
	s.w = bufio.NewWriterSize(f, 256<<10)
	s.write(s.header(s.id))
}

func (s *shelf) header(id [16]byte) []byte {
	return slices.Concat([]byte(s.magic), s.settings[:], id[:])
}

func readIndex(data []byte, magic string, settings [32]byte) (id [16]byte, covered int64, spans map[[32]byte]span, err error) {
	short := errors.New("it is not a cache of this otpress, or was cut short")
	head := len(magic) + 32 + 16 + 8
	if len(data) < head+32 || !bytes.HasPrefix(data, []byte(magic)) {
		return id, 0, nil, short
	}
	if len(data) > maxIndex {
		return id, 0, nil, errors.New("its index is too large")
	}
	body, sum := data[:len(data)-32], data[len(data)-32:]
	if s := sha256.Sum256(body); !bytes.Equal(s[:], sum) {
		return id, 0, nil, errors.New("it is damaged or was cut short")
	}
	if !bytes.Equal(body[len(magic):len(magic)+32], settings[:]) {
		return id, 0, nil, errOtherSettings
	}
	copy(id[:], body[len(magic)+32:])
	covered = int64(binary.LittleEndian.Uint64(body[head-8 : head]))
	damaged := errors.New("its index is damaged")
	r := bytes.NewReader(body[head:])
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(len(body)/35) || covered < int64(len(magic)+32+16) {
		return id, 0, nil, damaged
	}
	spans = make(map[[32]byte]span, n)
	for range n {
		var k [32]byte
		if _, err := io.ReadFull(r, k[:]); err != nil {
			return id, 0, nil, damaged
		}
		off, err1 := binary.ReadUvarint(r)
		l, err2 := binary.ReadUvarint(r)
		unused, err3 := r.ReadByte()
		if err1 != nil || err2 != nil || err3 != nil || off < uint64(len(magic)+32+16) || l > maxRecord || off+l+sumLen > uint64(covered) {
			return id, 0, nil, damaged
		}
		spans[k] = span{int64(off), int64(l), unused}
	}
	if r.Len() != 0 {
		return id, 0, nil, damaged
	}
	return id, covered, spans, nil
}

// get returns the last build's record under key, or false.
func (s *shelf) get(key [32]byte) ([]byte, bool) { return s.getIn(key, nil) }

// getIn is get reading into buf when the record fits there.
func (s *shelf) getIn(key [32]byte, buf []byte) ([]byte, bool) {
	sp, ok := s.spans[key]
	if !ok {
		return nil, false
	}
	if int64(cap(buf)) < sp.n+sumLen {
		buf = make([]byte, sp.n+sumLen)
	}
	buf = buf[:sp.n+sumLen]
	if _, err := s.file.ReadAt(buf, sp.off); err != nil {
		return nil, false
	}
	if binary.LittleEndian.Uint32(buf[sp.n:]) != recordSum(buf[:sp.n]) {
		return nil, false
	}
	return buf[:sp.n], true
}

// recordSum is a record's checksum: CRC-32C, which finds a record torn or
// damaged on disk at a small part of sha256's cost (a warm build reads
// hundreds of megabytes of records). Keys, not checksums, say which
// record is which.
func recordSum(data []byte) uint32 { return crc32.Checksum(data, castagnoli) }

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sumLen is the length of a record's checksum, after its bytes.
const sumLen = 4

// take gives use the last build's record under key, and keeps it for the
// next build, where it is, when use takes it.
func (s *shelf) take(key [32]byte, use func([]byte) bool) bool {
	_, ok := s.takeIn(key, nil, use)
	return ok
}

// takeIn is take reading the record into buf when it fits there, for a
// use that keeps none of its bytes; it returns the buffer read into.
func (s *shelf) takeIn(key [32]byte, buf []byte, use func([]byte) bool) ([]byte, bool) {
	data, ok := s.getIn(key, buf)
	if !ok {
		return buf, false
	}
	if !use(data) {
		return data, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.kept[key]; !ok {
		sp := s.spans[key]
		sp.unused = 0
		s.kept[key] = sp
		s.live += sp.n + sumLen
	}
	return data, true
}

// hold keeps the last build's record under key for the next build, where
// it is, without reading it, and says whether there is one: for a record
// that this build may not need (a damaged one is found when a build
// reads it, which then drops it and puts its own).
func (s *shelf) hold(key [32]byte) bool {
	sp, ok := s.spans[key]
	if !ok {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.kept[key]; !ok {
		sp.unused = 0
		s.kept[key] = sp
		s.live += sp.n + sumLen
	}
	return true
}

// drop forgets a record kept, so that put adds one under its key again.
func (s *shelf) drop(key [32]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp, ok := s.kept[key]; ok {
		delete(s.kept, key)
		s.live -= sp.n + sumLen
	}
	if s.dropped == nil {
		s.dropped = map[[32]byte]bool{}
	}
	s.dropped[key] = true // nor kept as unused (save)
}

// put keeps a record for the next build, added at the end of the file; a
// key kept already is kept once.
func (s *shelf) put(key [32]byte, data []byte) {
	var sum [sumLen]byte
	binary.LittleEndian.PutUint32(sum[:], recordSum(data))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil || s.err != nil {
		return
	}
	if _, ok := s.kept[key]; ok {
		return
	}
	at := s.off
	s.write(data)
	s.write(sum[:])
	s.kept[key] = span{off: at, n: int64(len(data))}
	s.live += int64(len(data)) + sumLen
}

func (s *shelf) write(p []byte) {
	if s.err != nil {
		return
	}
	n, err := s.w.Write(p)
	s.off += int64(n)
	s.err = err
}

// save puts this build's records and their index in place, or, when the
// records kept are less than half the file, a new file of them.
func (s *shelf) save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file == nil {
		return s.err
	}
	if s.err == nil {
		s.err = s.w.Flush()
	}
	if s.fresh == "" && s.idle > 0 {
		for k, sp := range s.spans { // the last build's records this one left
			if _, ok := s.kept[k]; !ok && sp.unused < s.idle && !s.dropped[k] {
				sp.unused++
				s.kept[k] = sp
				s.live += sp.n + sumLen
			}
		}
	}
	if s.err == nil && s.fresh == "" && s.live*2 < s.off && s.off > 1<<20 {
		s.err = s.compact()
	}
	if s.err == nil && s.fresh != "" {
		s.err = s.file.Chmod(0o644)
		if s.err == nil {
			s.err = os.Rename(s.fresh, s.name)
		}
		if s.err == nil {
			s.fresh = ""
		}
	}
	if s.err == nil {
		s.err = s.saveIndex()
	}
	err := s.err
	s.close()
	return err
}

// compact copies the records kept to a new file.
func (s *shelf) compact() error {
	old := s.file
	kept := s.kept
	s.file, s.kept, s.live = nil, map[[32]byte]span{}, 0
	s.openNew(filepath.Dir(s.name), filepath.Base(s.name))
	defer old.Close()
	if s.file == nil {
		return s.err
	}
	for k, sp := range kept {
		buf := make([]byte, sp.n+sumLen)
		if _, err := old.ReadAt(buf, sp.off); err != nil {
			return err
		}
		at := s.off
		s.write(buf)
		s.kept[k] = span{at, sp.n, sp.unused}
		s.live += sp.n + sumLen
	}
	if s.err == nil {
		s.err = s.w.Flush()
	}
	return s.err
}

// saveIndex writes the index of the records kept, in one rename.
func (s *shelf) saveIndex() error {
	var off [8]byte
	binary.LittleEndian.PutUint64(off[:], uint64(s.off))
	index := slices.Concat([]byte(s.magic), s.settings[:], s.id[:], off[:])
	index = binary.AppendUvarint(index, uint64(len(s.kept)))
	for k, sp := range s.kept {
		index = append(index, k[:]...)
		index = binary.AppendUvarint(index, uint64(sp.off))
		index = binary.AppendUvarint(index, uint64(sp.n))
		index = append(index, sp.unused)
	}
	sum := sha256.Sum256(index)
	index = append(index, sum[:]...)
	return replaceFile(s.name+indexSuffix, filepath.Base(s.name), index)
}

// close lets go of the file; a new one not put in place is removed.
func (s *shelf) close() {
	s.w = nil
	if s.file != nil {
		s.file.Close()
		s.file = nil
	}
	if s.fresh != "" {
		os.Remove(s.fresh)
		s.fresh = ""
	}
}

// discard keeps nothing of this build: for one that failed. The records
// it added to the last build's file are cut off again.
func (s *shelf) discard() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file != nil && s.fresh == "" && s.err == nil {
		s.file.Truncate(s.start)
	}
	s.close()
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
func (w *recordWriter) sum(k [32]byte) { w.b = append(w.b, k[:]...) }
func (w *recordWriter) u64(n uint64)   { w.b = binary.LittleEndian.AppendUint64(w.b, n) }
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

// sum is a sha256 written whole, in 32 bytes.
func (r *recordReader) sum() (k [32]byte) {
	if len(r.s) < len(k) {
		r.bad, r.s = true, ""
		return k
	}
	copy(k[:], r.s)
	r.s = r.s[len(k):]
	return k
}

// take is the next n bytes, shared with the record.
func (r *recordReader) take(n int) []byte {
	if len(r.s) < n {
		r.bad, r.s = true, ""
		return nil
	}
	b := unsafe.Slice(unsafe.StringData(r.s), n)
	r.s = r.s[n:]
	return b
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
