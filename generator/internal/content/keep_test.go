package content

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
)

// fill sets every field a record keeps to a value other than its zero,
// so that a field the record drops or cannot hold shows.
func fill(t *testing.T, v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(-*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.25)
	case reflect.String:
		v.SetString(fmt.Sprintf("text %d \x00é", *n))
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), n)
		}
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem(), n)
		v.Set(p)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, *n, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if !memo(v.Type().Field(i)) {
				fill(t, v.Field(i), n)
			}
		}
	default:
		t.Fatalf("fill: a %s", v.Type())
	}
}

// TestKeptRecordHoldsEveryField: an item and its problems, every field
// set, read back from a record are what was written; a record cut short
// or with a byte changed in its counts is refused or reads otherwise, never
// panics.
func TestKeptRecordHoldsEveryField(t *testing.T) {
	it := &Item{}
	n := 0
	fill(t, reflect.ValueOf(it).Elem(), &n)
	src := []byte("---\ntitle: x\n---\nThe body.\n")
	it.Body = src[len(src)-10:]
	sum := sha256.Sum256(src)
	it.text = textOf(it.Body, src, sum)
	for i := range it.Sources {
		it.Sources[i].Work.Inline = true // a listed work is the catalogue's own
	}
	p := &diag.Problem{}
	fill(t, reflect.ValueOf(p).Elem(), &n)
	data, err := encodeKept(nil, it, src, []*diag.Problem{p})
	if err != nil {
		t.Fatal(err)
	}
	got, probs, _, err := decodeKept(nil, nil, data, src, int64(len(src)), sum, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, it) {
		t.Errorf("item read back:\n%#v\nwritten:\n%#v", got, it)
	}
	if len(probs) != 1 || !reflect.DeepEqual(probs[0], p) {
		t.Errorf("problems read back: %#v", probs)
	}
	// a time in a zone of its own reads the same, zone and all
	at := time.Date(2026, 3, 29, 9, 0, 0, 0, time.FixedZone("BST", 3600))
	it.Date = at
	data, _ = encodeKept(nil, it, src, nil)
	got, _, _, _ = decodeKept(nil, nil, data, src, int64(len(src)), sum, nil)
	if got.Date.Format(time.RFC1123) != at.Format(time.RFC1123) || !got.Date.Equal(at) {
		t.Errorf("date read back %v, written %v", got.Date, at)
	}
	for i := range len(data) {
		decodeKept(nil, nil, data[:i], src, int64(len(src)), sum, nil) // must not panic
		bad := bytes.Clone(data)
		bad[i] ^= 0x80
		decodeKept(nil, nil, bad, src, int64(len(src)), sum, nil)
	}
	if _, _, _, err := decodeKept(nil, nil, data[:len(data)-1], src, int64(len(src)), sum, nil); err == nil {
		t.Error("a record cut short was read")
	}
	// read back with its text left in the file, the same but for Body
	got, _, _, err = decodeKept(nil, nil, data, nil, int64(len(src)), sum, nil)
	if want := *it; err != nil || !reflect.DeepEqual(*got, func() Item { want.Body = nil; return want }()) {
		t.Errorf("an item read without its file's bytes: %#v (%v)", got, err)
	}
	// an item without a body reads back without one
	it.Body = nil
	it.text = textOf(nil, src, sum)
	data, _ = encodeKept(nil, it, src, nil)
	if got, _, _, err = decodeKept(nil, nil, data, src, int64(len(src)), sum, nil); err != nil || got.Body != nil {
		t.Errorf("an item without a body read back with %q (%v)", got.Body, err)
	}
	if _, ok := got.TextSum(); ok {
		t.Error("an item without a body has a text's sum")
	}
	it.Body = src[len(src)-10:]
	it.text = textOf(it.Body, src, sum)
	// a listed work is the catalogue's, by id; one it no longer has refuses the record
	it.Sources[0].Work.Inline = false
	data, _ = encodeKept(nil, it, src, nil)
	if _, _, _, err := decodeKept(nil, nil, data, src, int64(len(src)), sum, &Catalogue{}); err == nil {
		t.Error("a record naming a work the catalogue has not was read")
	}
	w := &Work{ID: it.Sources[0].Work.ID}
	got, _, _, err = decodeKept(nil, nil, data, src, int64(len(src)), sum, &Catalogue{byID: map[string]*Work{w.ID: w}})
	if err != nil || got.Sources[0].Work != w {
		t.Errorf("a listed work read back as %p (%v), not the catalogue's %p", got.Sources[0].Work, err, w)
	}
}

// mapShelf is a shelf in memory that counts what it gave. It knows a
// file by its size and time as the last build read it.
type mapShelf struct {
	mu    sync.Mutex
	old   map[[32]byte][]byte
	now   map[[32]byte][]byte
	taken int
	// files read: as the last build read them, and as this one did
	read, reading map[string]readAs
}

type readAs struct {
	size int64
	time time.Time
	sum  [32]byte
}

func (s *mapShelf) Known(p string, fi fs.FileInfo) ([32]byte, bool) {
	r, ok := s.read[p]
	return r.sum, ok && r.size == fi.Size() && r.time.Equal(fi.ModTime())
}

func (s *mapShelf) Read(p string, fi fs.FileInfo, sum [32]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reading == nil {
		s.reading = map[string]readAs{}
	}
	s.reading[p] = readAs{fi.Size(), fi.ModTime(), sum}
}

func (s *mapShelf) Recall(key [32]byte, use func([]byte) bool) bool {
	s.mu.Lock()
	data, ok := s.old[key]
	s.mu.Unlock()
	if !ok || !use(data) {
		return false
	}
	s.Put(key, data)
	s.mu.Lock()
	s.taken++
	s.mu.Unlock()
	return true
}

func (s *mapShelf) Put(key [32]byte, data []byte) {
	s.mu.Lock()
	s.now[key] = data
	s.mu.Unlock()
}

// next is the shelf as the next build finds it.
func (s *mapShelf) next() *mapShelf {
	return &mapShelf{old: s.now, now: map[[32]byte][]byte{}, read: s.reading}
}

// TestLoadTakesKeptItems: a second Load with the shelf of the first takes
// every item from it, the same as read from the files, with the same
// warnings; an item whose transcript, picture or audio changed, or every
// item when the source list did, is read again, and shows the change.
func TestLoadTakesKeptItems(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("data/sources.yaml", "rcot-2019:\n  type: report\n  title: Guidance\n  author: [{literal: RCOT}]\n  issued: 2019\n")
	write("content/stories/rose.md", "---\ntitle: Rose\ndate: 2026-01-02\nsummary: Rose gardens.\nsources: [rcot-2019]\nunknownkey: 1\n---\nText.\n")
	write("content/stories/denis/index.md", "---\ntitle: Denis\ndate: 2026-01-03\nimage: {src: photo.svg, alt: Denis}\nsources:\n  - {title: A talk, type: webpage, author: [{literal: Zoe}], issued: 2020, URL: \"https://example.org/talk\", accessed: 2026-01-01}\n---\nText.\n")
	write("content/stories/denis/photo.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"></svg>`)
	write("content/episodes/ep1/index.md", "---\ntitle: Ep\ndate: 2026-01-04\naudio: audio.mp3\nduration: \"00:01:00\"\ntranscript: transcript.vtt\n---\nTalk.\n")
	write("content/episodes/ep1/audio.mp3", "ID3 fake")
	write("content/episodes/ep1/transcript.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Sam>Hello.\n")
	fsys := &countingFS{FS: os.DirFS(dir), read: map[string]int{}}
	fresh, freshProbs := Load(fsys, Options{})
	if len(fresh.Items) != 3 {
		t.Fatalf("%d items, %v", len(fresh.Items), freshProbs)
	}
	sh := &mapShelf{now: map[[32]byte][]byte{}}
	load := func(want int) *Library {
		t.Helper()
		sh = sh.next()
		lib, probs := Load(fsys, Options{Shelf: sh})
		if sh.taken != want {
			t.Errorf("%d items taken from the shelf; want %d", sh.taken, want)
		}
		if fmt.Sprint(problemTexts(probs)) != fmt.Sprint(problemTexts(freshProbs)) {
			t.Errorf("problems %v; read afresh %v", problemTexts(probs), problemTexts(freshProbs))
		}
		return lib
	}
	load(0)
	fsys.reset()
	lib := load(3)
	for i, it := range lib.Items {
		// known by what stat says: taken without reading the file, the
		// text left in it, the same as read afresh
		if fsys.read[it.File] != 0 || it.Body != nil {
			t.Errorf("%s was read %d times; body %q", it.File, fsys.read[it.File], it.Body)
		}
		body, err := it.Text(fsys)
		if sum, ok := it.TextSum(); err != nil || !bytes.Equal(body, fresh.Items[i].Body) || !ok || sum != sha256.Sum256(body) {
			t.Errorf("%s: its text %q (%v), sum %x %v; read afresh %q", it.File, body, err, sum, ok, fresh.Items[i].Body)
		}
		it.Body = body
		a, _ := appendValue(nil, reflect.ValueOf(it).Elem())
		b, _ := appendValue(nil, reflect.ValueOf(fresh.Items[i]).Elem())
		if !bytes.Equal(a, b) {
			t.Errorf("%s from the shelf:\n%#v\nread afresh:\n%#v", it.File, it, fresh.Items[i])
		}
		for _, s := range it.Sources {
			if !s.Work.Inline && s.Work != lib.Catalogue.Get(s.Work.ID) {
				t.Errorf("%s: work %s is not the catalogue's", it.File, s.Work.ID)
			}
		}
	}
	byFile := func(lib *Library, file string) *Item {
		for _, it := range lib.Items {
			if it.File == file {
				return it
			}
		}
		t.Fatalf("no %s", file)
		return nil
	}
	if n := fsys.read["content/episodes/ep1/transcript.vtt"]; n != 0 {
		t.Errorf("an unchanged transcript was read %d times", n)
	}
	fsys.reset()
	lib = load(3) // and is known to the build after that too
	for f, n := range fsys.read {
		if strings.HasPrefix(f, "content/") {
			t.Errorf("the third build read %s %d times", f, n)
		}
	}
	// a text whose file changed since it was known is refused, not mixed
	// with the item read before
	rose := byFile(lib, "content/stories/rose.md")
	rose.Body = nil
	write("content/stories/rose.md", "---\ntitle: Rose\ndate: 2026-01-02\nsummary: Rose gardens.\nsources: [rcot-2019]\nunknownkey: 1\n---\nTexT.\n")
	if body, err := rose.Text(fsys); err == nil || !strings.Contains(err.Error(), "changed while the site was being built") {
		t.Errorf("a changed file gave the text %q (%v)", body, err)
	}
	write("content/stories/rose.md", "---\ntitle: Rose\ndate: 2026-01-02\nsummary: Rose gardens.\nsources: [rcot-2019]\nunknownkey: 1\n---\nText.\n")
	write("content/episodes/ep1/transcript.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Sam>Goodbye.\n")
	if ps := byFile(load(2), "content/episodes/ep1/index.md").Episode.Paragraphs; len(ps) != 1 || ps[0].Text != "Goodbye." {
		t.Errorf("a changed transcript reads %+v", ps)
	}
	write("content/stories/denis/photo.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="180"></svg>`)
	if img := byFile(load(2), "content/stories/denis/index.md").Image; img.Width != 640 {
		t.Errorf("a changed picture reads %+v", img)
	}
	write("content/episodes/ep1/audio.mp3", "ID3 fake, longer")
	if a := byFile(load(2), "content/episodes/ep1/index.md").Episode.Audio; a.Bytes != 16 {
		t.Errorf("a changed sound file reads %+v", a)
	}
	write("data/sources.yaml", "rcot-2019:\n  type: report\n  title: Guidance, revised\n  author: [{literal: RCOT}]\n  issued: 2019\n")
	load(0)
	load(3)
}

// countingFS counts the files read whole through it (opened to be
// looked at, as a picture's size is, they are not counted).
type countingFS struct {
	fs.FS
	mu   sync.Mutex
	read map[string]int
}

func (c *countingFS) count(name string) {
	c.mu.Lock()
	c.read[name]++
	c.mu.Unlock()
}

func (c *countingFS) reset() { c.read = map[string]int{} }

func (c *countingFS) ReadFile(name string) ([]byte, error) {
	c.count(name)
	return fs.ReadFile(c.FS, name)
}

func (c *countingFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(c.FS, name) }
func (c *countingFS) Lstat(name string) (fs.FileInfo, error)     { return fs.Lstat(c.FS, name) }
func (c *countingFS) ReadLink(name string) (string, error)       { return fs.ReadLink(c.FS, name) }
func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(c.FS, name) }

func problemTexts(ps []*diag.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, strings.TrimSpace(p.Detail()))
	}
	return out
}
