package render

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// Fingerprint is the fingerprint of p as Execute will run it: with the
// site-wide view Execute gives every page (navigation, footer), and
// whether the site has a podcast.
func (r *Renderer) Fingerprint(p *Page) [32]byte {
	p.Site = r.site
	view := p.fingerprint()
	return sha256.Sum256(fmt.Appendf(view[:], " podcast %v", r.podcast))
}

// SiteSum is a fingerprint of what Execute gives every page besides its
// view (Fingerprint holds it too): the site-wide view (navigation,
// footer) and whether the site has a podcast. With the same SiteSum,
// TemplateSum and settings, an item's page is known by what its view is
// made from (site's pageInputs).
func (r *Renderer) SiteSum() [32]byte {
	r.siteOnce.Do(func() {
		view := hashValue(reflect.ValueOf(r.site))
		r.siteSum = sha256.Sum256(fmt.Appendf(view[:], " podcast %v", r.podcast))
	})
	return r.siteSum
}

// Sum is a fingerprint of any value, as a page's: for what a page reads
// besides its view (site's plan.go).
func Sum(v any) [32]byte {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return hashValue(rv)
	}
	at := reflect.New(rv.Type()).Elem() // addressable, so that its byte arrays are read whole
	at.Set(rv)
	return hashValue(at)
}

// fingerprint is a hash of everything a page's view holds: every field,
// exported or not, followed through pointers, slices and maps (in key
// order), except caches (fields tagged `fp:"-"`, and sync's types). With
// the same templates and settings, two views with the same fingerprint
// execute to the same bytes, which is how a warm build knows a page it
// need not execute again.
func (p *Page) fingerprint() [32]byte { return hashValue(reflect.ValueOf(p)) }

// hashValue is the fingerprint of v, with a fingerprinter of the pool.
func hashValue(v reflect.Value) [32]byte {
	f := fingerprints.Get().(*fingerprinter)
	defer fingerprints.Put(f)
	defer f.reset()
	f.value(v)
	var out [32]byte
	f.sum(out[:0])
	return out
}

type seenKey struct {
	ptr uintptr
	typ reflect.Type
}

type fingerprinter struct {
	h    hash.Hash
	seen map[seenKey]int // pointers already hashed: a second visit writes its number
	buf  []byte          // small writes gathered before they go to h
}

// write adds b to the hash: small writes (tags, numbers, short strings)
// gathered in buf, since the hash costs a call each otherwise; longer ones
// straight to the hash, which would only copy them again.
func (f *fingerprinter) write(b []byte) {
	if len(b) > 64 {
		f.flush()
		f.h.Write(b)
		return
	}
	if len(f.buf)+len(b) > cap(f.buf) {
		f.flush()
	}
	f.buf = append(f.buf, b...)
}

func (f *fingerprinter) flush() {
	f.h.Write(f.buf)
	f.buf = f.buf[:0]
}

func (f *fingerprinter) sum(out []byte) []byte {
	f.flush()
	return f.h.Sum(out)
}

var fingerprints = sync.Pool{New: func() any {
	return &fingerprinter{h: sha256.New(), seen: map[seenKey]int{}, buf: make([]byte, 0, 8<<10)}
}}

func (f *fingerprinter) reset() {
	f.h.Reset()
	clear(f.seen)
	f.buf = f.buf[:0]
}

var (
	timeType = reflect.TypeFor[time.Time]()
	itemType = reflect.TypeFor[*Item]()
)

// itemSum is an item view's fingerprint, worked out the first time a page
// showing it is fingerprinted: a view is not changed once a page holds it.
type itemSum struct {
	once sync.Once
	sum  [32]byte
}

func (v *Item) sum() [32]byte {
	v.fp.once.Do(func() { v.fp.sum = hashValue(reflect.ValueOf(v).Elem()) })
	return v.fp.sum
}

func (f *fingerprinter) tag(b byte) {
	if len(f.buf)+1 > cap(f.buf) {
		f.flush()
	}
	f.buf = append(f.buf, b)
}

func (f *fingerprinter) uint(tag byte, n uint64) {
	if len(f.buf)+9 > cap(f.buf) {
		f.flush()
	}
	f.buf = binary.LittleEndian.AppendUint64(append(f.buf, tag), n)
}

// bytes writes an array of bytes (a sum, a key) as its bytes.
func (f *fingerprinter) bytes(v reflect.Value) {
	f.uint('B', uint64(v.Len()))
	if v.CanAddr() {
		f.write(v.Bytes())
		return
	}
	var room [64]byte
	for lo := 0; lo < v.Len(); lo += len(room) {
		n := 0
		for i := lo; i < min(lo+len(room), v.Len()); i++ {
			room[n] = byte(v.Index(i).Uint())
			n++
		}
		f.write(room[:n])
	}
}

func (f *fingerprinter) str(s string) {
	f.uint('s', uint64(len(s)))
	// the hash reads the bytes and keeps none: no copy of the page's HTML
	f.write(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// hashed lists, for each struct type, the fields a fingerprint reads.
var hashed sync.Map // reflect.Type → []int

func fieldsOf(t reflect.Type) []int {
	if v, ok := hashed.Load(t); ok {
		return v.([]int)
	}
	var out []int
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("fp") != "-" {
			out = append(out, i)
		}
	}
	hashed.Store(t, out)
	return out
}

func (f *fingerprinter) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Invalid:
		f.tag('0')
	case reflect.Bool:
		if v.Bool() {
			f.tag('T')
		} else {
			f.tag('F')
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f.uint('i', uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		f.uint('u', v.Uint())
	case reflect.Float32, reflect.Float64:
		f.uint('f', math.Float64bits(v.Float()))
	case reflect.String:
		f.str(v.String())
	case reflect.Pointer:
		if v.IsNil() {
			f.tag('n')
			return
		}
		if v.Type() == itemType { // a card, shown on many pages: hashed once
			sum := v.Interface().(*Item).sum()
			f.tag('I')
			f.write(sum[:])
			return
		}
		k := seenKey{v.Pointer(), v.Type()}
		if n, ok := f.seen[k]; ok {
			f.uint('p', uint64(n))
			return
		}
		f.seen[k] = len(f.seen)
		f.tag('*')
		f.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			f.tag('n')
			return
		}
		f.str(v.Elem().Type().String())
		f.value(v.Elem())
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 { // []byte, as a string
			f.uint('b', uint64(v.Len()))
			f.write(v.Bytes())
			return
		}
		fallthrough
	case reflect.Array:
		if v.Kind() == reflect.Array && v.Type().Elem().Kind() == reflect.Uint8 { // a sha256, as bytes: not 32 values
			f.bytes(v)
			return
		}
		f.uint('[', uint64(v.Len()))
		for i := range v.Len() {
			f.value(v.Index(i))
		}
	case reflect.Map:
		keys := v.MapKeys()
		f.uint('{', uint64(len(keys)))
		if v.Type().Key().Kind() == reflect.String {
			slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
			for _, k := range keys {
				f.str(k.String())
				f.value(v.MapIndex(k))
			}
			return
		}
		// other keys are hashed on their own to order them
		sums := make([][32]byte, len(keys))
		for i, k := range keys {
			sums[i] = hashValue(k)
		}
		order := make([]int, len(keys))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return compareSums(sums[a], sums[b]) })
		for _, i := range order {
			f.write(sums[i][:])
			f.value(v.MapIndex(keys[i]))
		}
	case reflect.Struct:
		t := v.Type()
		if t == timeType && v.CanInterface() {
			// its wall clock and zone, not its monotonic reading; a time
			// in an unexported field is hashed field by field below
			b, _ := v.Interface().(time.Time).MarshalBinary()
			f.uint('t', uint64(len(b)))
			f.write(b)
			return
		}
		if t.PkgPath() == "sync" || t.PkgPath() == "sync/atomic" {
			return
		}
		fields := fieldsOf(t)
		f.uint('(', uint64(len(fields)))
		for _, i := range fields {
			f.value(v.Field(i))
		}
	default: // functions, channels and unsafe pointers say nothing of the page
		f.tag('x')
	}
}

func compareSums(a, b [32]byte) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}
