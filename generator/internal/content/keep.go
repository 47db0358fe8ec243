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
	"sync"
	"time"
	"unsafe"

	"github.com/otpress/otpress/generator/internal/diag"
)

// Shelf keeps what reading an item worked out, for the next build (site's
// warm builds): records by key, and what each item's file was.
type Shelf interface {
	// Recall gives use the last build's record under key, and keeps it
	// for the next build when use takes it. The record is use's to keep:
	// the item's strings are cut from it, not copied.
	Recall(key [32]byte, use func([]byte) bool) bool
	// Put keeps a record for the next build.
	Put(key [32]byte, data []byte)
	// Known gives the sha256 of file p's bytes as the last build read
	// them, when what stat says of p now (fi) shows that its bytes cannot
	// have changed since; false when it cannot tell, and p is read.
	Known(p string, fi fs.FileInfo) ([32]byte, bool)
	// Read notes the sha256 of p's bytes as this build read them, with
	// what stat said of p before they were read.
	Read(p string, fi fs.FileInfo, sum [32]byte)
}

// loadShelved reads the item in f through sh: when sh knows the file's
// bytes by what stat says of it, the item is taken from the shelf without
// reading them, its text left in the file (Item.Text); src is the file's
// bytes when they were read.
func loadShelved(fsys fs.FS, f file, cat *Catalogue, sh Shelf) (it *Item, probs []*diag.Problem, src []byte) {
	fi, pr := statFile(fsys, f.path)
	if pr != nil {
		return nil, []*diag.Problem{pr}, nil
	}
	known, ok := sh.Known(f.path, fi)
	if ok {
		if it, probs, ok := recallItem(fsys, itemKey(f, cat, fi.Size(), known), nil, fi.Size(), known, cat, sh); ok {
			sh.Read(f.path, fi, known)
			return it, probs, nil
		}
	}
	src, err := fs.ReadFile(fsys, f.path)
	if err != nil {
		return nil, []*diag.Problem{cannotRead(f.path, err)}, nil
	}
	sum := sha256.Sum256(src)
	sh.Read(f.path, fi, sum)
	if ok && sum == known { // refused above: what it read from answers otherwise now
		it, probs = loadAfresh(fsys, f, src, sum, cat, sh)
	} else {
		it, probs = loadKept(fsys, f, src, sum, cat, sh)
	}
	return it, probs, src
}

// loadKept is loadItem for a build that keeps items on a shelf: an item
// whose file has the same bytes (src, whose sha256 is sum), in the same
// place with the same bundle files, under the same source list, and whose
// other files (pictures, audio, transcripts, chapters) answer as they did
// when it was read, is taken from the shelf instead of parsed, its
// problems with their source lines as they were kept.
func loadKept(fsys fs.FS, f file, src []byte, sum [32]byte, cat *Catalogue, sh Shelf) (*Item, []*diag.Problem) {
	if it, probs, ok := recallItem(fsys, itemKey(f, cat, int64(len(src)), sum), src, int64(len(src)), sum, cat, sh); ok {
		return it, probs
	}
	return loadAfresh(fsys, f, src, sum, cat, sh)
}

// loadAfresh is loadKept reading the item, and putting it on the shelf.
func loadAfresh(fsys fs.FS, f file, src []byte, sum [32]byte, cat *Catalogue, sh Shelf) (*Item, []*diag.Problem) {
	key := itemKey(f, cat, int64(len(src)), sum)
	rec := &recording{fsys: fsys, sh: sh}
	it, probs := loadItem(rec, f, src, cat)
	if it != nil && !hasErrors(probs) {
		attachSource(src, f.path, probs) // kept with them
		it.text = textOf(it.Body, src, sum)
		if data, err := encodeKept(rec.deps, it, src, probs); err == nil {
			sh.Put(key, data)
			it.Sum = itemSum(key, rec.deps)
		}
	}
	return it, probs
}

// itemKey is the key of the item in f on a shelf: its place and bundle
// files, the source list, and its file's bytes by their length and sha256.
func itemKey(f file, cat *Catalogue, size int64, sum [32]byte) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "item %q %q %q %v %q\n", f.path, f.kind, f.section, f.bundle, strings.Join(f.assets, "\x00"))
	if f.pagePath() != f.path {
		fmt.Fprintf(h, "a version of %q\n", f.page) // its address is the page's
	}
	if cat != nil {
		h.Write(cat.sum[:])
	}
	fmt.Fprintf(h, "%d\n", size)
	h.Write(sum[:])
	var key [32]byte
	h.Sum(key[:0])
	return key
}

// recallItem takes the item under key from sh; src is its file's bytes,
// or nil to leave its text in the file.
func recallItem(fsys fs.FS, key [32]byte, src []byte, size int64, sum [32]byte, cat *Catalogue, sh Shelf) (it *Item, probs []*diag.Problem, ok bool) {
	var deps []dep
	if !sh.Recall(key, func(data []byte) bool {
		var err error
		it, probs, deps, err = decodeKept(fsys, sh, data, src, size, sum, cat)
		return err == nil
	}) {
		return nil, nil, false
	}
	it.Sum = itemSum(key, deps)
	return it, probs, true
}

// textRef, for an item read through a shelf, is where its Markdown text
// is: its file (the sha256 of its bytes, and their length), where the
// text starts in it (1 + the offset; 0 for no text), and the text's own
// sha256.
type textRef struct {
	at   int64
	size int64
	file [32]byte
	sum  [32]byte
}

// textOf is the textRef of body, the end of the file src whose sha256 is
// file.
func textOf(body, src []byte, file [32]byte) textRef {
	t := textRef{size: int64(len(src)), file: file}
	if body != nil {
		t.at = int64(len(src)-len(body)) + 1
		t.sum = sha256.Sum256(body)
	}
	return t
}

// TextSum is the sha256 of the item's Markdown text, for an item read
// through a shelf (Options.Shelf) with a text: known without the text.
func (it *Item) TextSum() ([32]byte, bool) { return it.text.sum, it.text.at > 0 }

// Text is the item's Markdown text: Body, or, for an item read through a
// shelf whose text was left in its file, the text read from the file,
// which must hold the bytes it held when the item was read.
func (it *Item) Text(fsys fs.FS) ([]byte, error) {
	if it.Body != nil || it.text.at == 0 {
		return it.Body, nil
	}
	src, pr := readFile(fsys, it.File)
	if pr != nil {
		return nil, pr
	}
	if int64(len(src)) != it.text.size || sha256.Sum256(src) != it.text.file {
		return nil, diag.Errorf(it.File, 0, 0, "the file changed while the site was being built").
			WithHint("build the site again once the file is saved; should this come again, build with --clean")
	}
	return src[it.text.at-1:], nil
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
// its body starts in its file (1 + the offset; 0 for none) and the body's
// sha256, the item without its body, its problems.
func encodeKept(deps []dep, it *Item, src []byte, probs []*diag.Problem) ([]byte, error) {
	if !bytes.HasSuffix(src, it.Body) || (it.Body == nil) != (it.text.at == 0) {
		return nil, errors.New("the body is not the file's end")
	}
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(deps)))
	for _, d := range deps {
		b = append(b, d.op)
		b = appendString(b, d.name)
		b = append(b, d.sum[:]...)
	}
	b = binary.AppendUvarint(b, uint64(it.text.at))
	if it.text.at > 0 {
		b = append(b, it.text.sum[:]...)
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
// answers otherwise now or a listed source it names is not in cat. The
// item's file is size bytes long, with sha256 sum; src is its bytes, or
// nil to leave its text in the file (Item.Text).
func decodeKept(fsys fs.FS, sh Shelf, data, src []byte, size int64, sum [32]byte, cat *Catalogue) (*Item, []*diag.Problem, []dep, error) {
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
		if ask(fsys, sh, d.op, d.name).sum(d.op, d.name) != d.sum {
			return nil, nil, nil, errors.New("a file it reads changed")
		}
	}
	at := r.num()
	var textSum [32]byte
	if at > 0 {
		copy(textSum[:], r.take(32))
	}
	it := &Item{}
	r.value(reflect.ValueOf(it).Elem())
	probs := make([]*diag.Problem, r.count())
	for i := range probs {
		probs[i] = &diag.Problem{}
		r.value(reflect.ValueOf(probs[i]).Elem())
	}
	if r.bad || len(r.b) != 0 || at > uint64(size)+1 || (src != nil && int64(len(src)) != size) {
		return nil, nil, nil, errDamaged
	}
	it.text = textRef{at: int64(at), size: size, file: sum, sum: textSum}
	if at > 0 && src != nil {
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
	sh   Shelf // told the files read whole (Shelf.Read)
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
	a := readWhole(r.fsys, r.sh, name, false)
	r.note(opReadFile, name, a)
	return a.data, a.err
}

// readWhole is ReadFile's answer on name, told to sh with what stat said
// of it before (when sh is not nil); or, for sumOnly when sh knows the
// file's bytes by what stat says, their sha256 alone.
func readWhole(fsys fs.FS, sh Shelf, name string, sumOnly bool) answer {
	if sh == nil {
		data, err := fs.ReadFile(fsys, name)
		return answer{data: data, err: err}
	}
	fi, err := fs.Stat(fsys, name)
	if err != nil { // ReadFile's own error, which the item's problems give
		data, err := fs.ReadFile(fsys, name)
		return answer{data: data, err: err}
	}
	if sum, ok := sh.Known(name, fi); ok && sumOnly {
		sh.Read(name, fi, sum) // known to the next build too
		return answer{dataSum: &sum}
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return answer{err: err}
	}
	sum := sha256.Sum256(data)
	sh.Read(name, fi, sum)
	return answer{data: data, dataSum: &sum}
}

func (r *recording) ReadLink(name string) (string, error) {
	target, err := fs.ReadLink(r.fsys, name)
	r.note(opReadLink, name, answer{target: target, err: err})
	return target, err
}

// answer is what a file system answered a question about a file: its
// type, size and time, its bytes (or their sha256), a link's target, or
// an error.
type answer struct {
	info    fs.FileInfo
	data    []byte
	dataSum *[32]byte // the bytes' sha256, when known
	target  string
	err     error
}

// ask puts the question op on name to fsys again (Open: the opened file's
// own type, size and time; ReadFile: the bytes' sha256 alone when sh knows
// them).
func ask(fsys fs.FS, sh Shelf, op byte, name string) answer {
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
		return readWhole(fsys, sh, name, true)
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
	case op == opReadFile && a.dataSum != nil:
		h.Write(a.dataSum[:])
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
		fields, err := kept(v.Type())
		if err != nil {
			return nil, err
		}
		for _, i := range fields {
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

// kept is the fields of a struct type a record holds, in order: all but
// the memos; an error when one of them is not exported.
func kept(t reflect.Type) ([]int, error) {
	if k, ok := keptFields.Load(t); ok {
		return k.([]int), nil
	}
	var fields []int
	for i := range t.NumField() {
		f := t.Field(i)
		if memo(f) {
			continue
		}
		if !f.IsExported() {
			return nil, fmt.Errorf("%s.%s is not exported", t, f.Name)
		}
		fields = append(fields, i)
	}
	keptFields.Store(t, fields)
	return fields, nil
}

var keptFields sync.Map // reflect.Type → []int

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

// str is a string cut from the record (Shelf.Recall), not copied.
func (r *reader) str() string {
	p := r.take(r.count())
	if len(p) == 0 {
		return ""
	}
	return unsafe.String(&p[0], len(p))
}

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
		fields, err := kept(v.Type())
		if err != nil {
			r.fail()
			return
		}
		for _, i := range fields {
			r.value(v.Field(i))
		}
	default:
		r.fail()
	}
}
