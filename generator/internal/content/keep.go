package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
)

// Shelf keeps what reading an item worked out, for the next build (site's
// warm builds): records by key.
type Shelf interface {
	// Recall gives use the last build's record under key, and keeps it
	// for the next build when use takes it.
	Recall(key [32]byte, use func([]byte) bool) bool
	// Put keeps a record for the next build.
	Put(key [32]byte, data []byte)
}

// loadKept is loadItem for a build that keeps items on a shelf: an item
// whose file has the same bytes, in the same place with the same bundle
// files, under the same source list, and whose other files (pictures,
// audio, transcripts, chapters) answer as they did when it was read, is
// taken from the shelf instead of parsed, its problems with their source
// lines as they were kept.
func loadKept(fsys fs.FS, f file, src []byte, cat *Catalogue, sh Shelf) (*Item, []*diag.Problem) {
	if sh == nil {
		return loadItem(fsys, f, src, cat)
	}
	h := sha256.New()
	fmt.Fprintf(h, "item %q %q %q %v %q\n", f.path, f.kind, f.section, f.bundle, strings.Join(f.assets, "\x00"))
	if f.pagePath() != f.path {
		fmt.Fprintf(h, "a version of %q\n", f.page) // its address is the page's
	}
	if cat != nil {
		h.Write(cat.sum[:])
	}
	fmt.Fprintf(h, "%d\n", len(src))
	h.Write(src)
	var key [32]byte
	h.Sum(key[:0])
	var it *Item
	var probs []*diag.Problem
	var deps []dep
	if sh.Recall(key, func(data []byte) bool {
		var err error
		it, probs, deps, err = decodeKept(fsys, data, src, cat)
		return err == nil
	}) {
		it.Sum = itemSum(key, deps)
		return it, probs
	}
	rec := &recording{fsys: fsys}
	it, probs = loadItem(rec, f, src, cat)
	if it != nil && !hasErrors(probs) {
		attachSource(src, f.path, probs) // kept with them
		if data, err := encodeKept(rec.deps, it, src, probs); err == nil {
			sh.Put(key, data)
			it.Sum = itemSum(key, rec.deps)
		}
	}
	return it, probs
}

// itemSum is Item.Sum: the key of an item's file and what its other files
// answered.
func itemSum(key [32]byte, deps []dep) [32]byte {
	h := sha256.New()
	h.Write(key[:])
	for _, d := range deps {
		fmt.Fprintf(h, "%d %q ", d.op, d.name)
		h.Write(d.sum[:])
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// A record: the other files the item read and what each answered, where
// its body starts in its file (1 + the offset; 0 for none), the item
// without its body, its problems.
func encodeKept(deps []dep, it *Item, src []byte, probs []*diag.Problem) ([]byte, error) {
	if !bytes.HasSuffix(src, it.Body) {
		return nil, errors.New("the body is not the file's end")
	}
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(deps)))
	for _, d := range deps {
		b = append(b, d.op)
		b = appendString(b, d.name)
		b = append(b, d.sum[:]...)
	}
	if it.Body == nil {
		b = append(b, 0)
	} else {
		b = binary.AppendUvarint(b, uint64(len(src)-len(it.Body))+1)
	}
	body := it.Body
	it.Body = nil
	b, err := appendValue(b, reflect.ValueOf(it).Elem())
	it.Body = body
	if err != nil {
		return nil, err
	}
	b = binary.AppendUvarint(b, uint64(len(probs)))
	for _, p := range probs {
		if b, err = appendValue(b, reflect.ValueOf(p).Elem()); err != nil {
			return nil, err
		}
	}
	return b, nil
}

var errDamaged = errors.New("a damaged record")

// decodeKept reads a record back, refusing it when one of the other files
// answers otherwise now or a listed source it names is not in cat.
func decodeKept(fsys fs.FS, data, src []byte, cat *Catalogue) (*Item, []*diag.Problem, []dep, error) {
	r := &reader{b: data}
	deps := make([]dep, r.count())
	for i := range deps {
		d := &deps[i]
		d.op = r.byte()
		d.name = r.str()
		copy(d.sum[:], r.take(32))
		if r.bad {
			return nil, nil, nil, errDamaged
		}
		if ask(fsys, d.op, d.name).sum(d.op, d.name) != d.sum {
			return nil, nil, nil, errors.New("a file it reads changed")
		}
	}
	at := r.num()
	it := &Item{}
	r.value(reflect.ValueOf(it).Elem())
	probs := make([]*diag.Problem, r.count())
	for i := range probs {
		probs[i] = &diag.Problem{}
		r.value(reflect.ValueOf(probs[i]).Elem())
	}
	if r.bad || len(r.b) != 0 || at > uint64(len(src))+1 {
		return nil, nil, nil, errDamaged
	}
	if at > 0 {
		it.Body = src[at-1:]
	}
	for i := range it.Sources {
		s := &it.Sources[i]
		if s.Work != nil && !s.Work.Inline {
			if s.Work = cat.Get(s.Work.ID); s.Work == nil {
				return nil, nil, nil, errors.New("a source it names is gone")
			}
		}
	}
	return it, probs, deps, nil
}

// recording is a file system that notes what each file it is asked of
// answered (its bytes' hash, or its size, type and time, or the error), so
// that a kept item is taken only while its files answer the same.
type recording struct {
	fsys fs.FS
	deps []dep
}

type dep struct {
	op   byte
	name string
	sum  [32]byte
}

const (
	opOpen byte = iota + 1
	opStat
	opLstat
	opReadFile
	opReadLink
)

// note records what op on name answered: what the item was read from.
func (r *recording) note(op byte, name string, a answer) {
	r.deps = append(r.deps, dep{op, name, a.sum(op, name)})
}

func (r *recording) Open(name string) (fs.File, error) {
	f, err := r.fsys.Open(name)
	a := answer{err: err}
	if err == nil {
		a.info, a.err = f.Stat()
	}
	r.note(opOpen, name, a)
	return f, err
}

func (r *recording) Stat(name string) (fs.FileInfo, error) {
	fi, err := fs.Stat(r.fsys, name)
	r.note(opStat, name, answer{info: fi, err: err})
	return fi, err
}

func (r *recording) Lstat(name string) (fs.FileInfo, error) {
	fi, err := fs.Lstat(r.fsys, name)
	r.note(opLstat, name, answer{info: fi, err: err})
	return fi, err
}

func (r *recording) ReadFile(name string) ([]byte, error) {
	data, err := fs.ReadFile(r.fsys, name)
	r.note(opReadFile, name, answer{data: data, err: err})
	return data, err
}

func (r *recording) ReadLink(name string) (string, error) {
	target, err := fs.ReadLink(r.fsys, name)
	r.note(opReadLink, name, answer{target: target, err: err})
	return target, err
}

// answer is what a file system answered a question about a file: its
// type, size and time, its bytes, a link's target, or an error.
type answer struct {
	info   fs.FileInfo
	data   []byte
	target string
	err    error
}

// ask puts the question op on name to fsys again (Open: the opened file's
// own type, size and time).
func ask(fsys fs.FS, op byte, name string) answer {
	switch op {
	case opOpen:
		f, err := fsys.Open(name)
		if err != nil {
			return answer{err: err}
		}
		defer f.Close()
		fi, err := f.Stat()
		return answer{info: fi, err: err}
	case opStat:
		fi, err := fs.Stat(fsys, name)
		return answer{info: fi, err: err}
	case opLstat:
		fi, err := fs.Lstat(fsys, name)
		return answer{info: fi, err: err}
	case opReadFile:
		data, err := fs.ReadFile(fsys, name)
		return answer{data: data, err: err}
	case opReadLink:
		target, err := fs.ReadLink(fsys, name)
		return answer{target: target, err: err}
	}
	return answer{err: errors.New("an unknown question")}
}

// sum is a hash of the answer to op on name: a file's bytes for ReadFile,
// its type, size and time for the others, a link's target, or the error.
func (a answer) sum(op byte, name string) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%d %q\n", op, name)
	switch {
	case a.err != nil:
		fmt.Fprintf(h, "error %v\n", a.err)
	case op == opReadFile:
		sum := sha256.Sum256(a.data)
		h.Write(sum[:])
	case op == opReadLink:
		fmt.Fprintf(h, "-> %q\n", a.target)
	default:
		fmt.Fprintf(h, "%v %d %d\n", a.info.Mode(), a.info.Size(), a.info.ModTime().UnixNano())
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// appendValue appends plain data (booleans, numbers, strings, slices,
// pointers, structs of exported fields, times) to b; anything else is an
// error, so a field a record cannot hold is found by the tests, never
// dropped.
func appendValue(b []byte, v reflect.Value) ([]byte, error) {
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return append(b, 1), nil
		}
		return append(b, 0), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(b, v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return binary.AppendUvarint(b, v.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Float())), nil
	case reflect.String:
		return appendString(b, v.String()), nil
	case reflect.Slice:
		if v.IsNil() {
			return append(b, 0), nil
		}
		b = binary.AppendUvarint(b, uint64(v.Len())+1)
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return append(b, v.Bytes()...), nil
		}
		var err error
		for i := range v.Len() {
			if b, err = appendValue(b, v.Index(i)); err != nil {
				return nil, err
			}
		}
		return b, nil
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, 0), nil
		}
		return appendValue(append(b, 1), v.Elem())
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			name, offset := t.Zone()
			b = binary.AppendVarint(b, t.Unix())
			b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
			b = appendString(b, name)
			b = binary.AppendVarint(b, int64(offset))
			return append(b, boolByte(t.Location() == time.UTC)), nil
		}
		var err error
		for i := range v.NumField() {
			if memo(v.Type().Field(i)) {
				continue
			}
			if !v.Type().Field(i).IsExported() {
				return nil, fmt.Errorf("%s.%s is not exported", v.Type(), v.Type().Field(i).Name)
			}
			if b, err = appendValue(b, v.Field(i)); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	return nil, fmt.Errorf("a record cannot hold a %s", v.Type())
}

// memo says whether a field holds what is worked out from the others
// when first asked for (tagged fp:"-", which fingerprints leave out too):
// a record leaves it out, to be worked out again.
func memo(f reflect.StructField) bool { return f.Tag.Get("fp") == "-" }

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// reader takes back what appendValue wrote; past the end or on a length
// longer than what is left, it sets bad and gives zeros.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) fail() { r.bad, r.b = true, nil }

func (r *reader) num() uint64 {
	n, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return n
}

// signed is a number binary.AppendVarint wrote (zig-zag: the sign in the
// lowest bit).
func (r *reader) signed() int64 {
	u := r.num()
	return int64(u>>1) ^ -int64(u&1)
}

// count is a number of things that each take at least one byte.
func (r *reader) count() int {
	n := r.num()
	if n > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *reader) take(n int) []byte {
	if n > len(r.b) {
		r.fail()
		return make([]byte, n)
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) byte() byte { return r.take(1)[0] }

func (r *reader) str() string { return string(r.take(r.count())) }

func (r *reader) value(v reflect.Value) {
	if r.bad {
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(r.byte() == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(r.signed())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(r.num())
	case reflect.Float32, reflect.Float64:
		v.SetFloat(math.Float64frombits(binary.LittleEndian.Uint64(r.take(8))))
	case reflect.String:
		v.SetString(r.str())
	case reflect.Slice:
		n := r.count()
		if n == 0 {
			return // nil
		}
		n--
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes(bytes.Clone(r.take(n)))
			return
		}
		if n > len(r.b) { // each element takes a byte at least
			r.fail()
			return
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			r.value(s.Index(i))
		}
		v.Set(s)
	case reflect.Pointer:
		if r.byte() == 0 {
			return
		}
		p := reflect.New(v.Type().Elem())
		r.value(p.Elem())
		v.Set(p)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			sec, nsec := r.signed(), r.num()
			name, offset := r.str(), r.signed()
			loc := time.UTC
			if r.byte() == 0 {
				loc = time.FixedZone(name, int(offset))
			}
			if nsec >= 1e9 {
				r.fail()
				return
			}
			v.Set(reflect.ValueOf(time.Unix(sec, int64(nsec)).In(loc)))
			return
		}
		for i := range v.NumField() {
			if !memo(v.Type().Field(i)) {
				r.value(v.Field(i))
			}
		}
	default:
		r.fail()
	}
}
