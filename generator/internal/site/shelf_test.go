package site

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/markdown"
	"github.com/otpress/otpress/generator/internal/search"
)

// TestShelf keeps records in one build and reads them in the next, and
// checks that a shelf cut short, damaged, of other settings or with a
// damaged record gives nothing it does not hold whole.
func TestShelf(t *testing.T) {
	dir := t.TempDir()
	settings := sha256.Sum256([]byte("settings"))
	key := func(i int) [32]byte { return sha256.Sum256(fmt.Appendf(nil, "key %d", i)) }
	value := func(i int) []byte { return bytes.Repeat(fmt.Appendf(nil, "value %d;", i), i+1) }

	s, err := openShelf(dir, "things", "things 1\n", settings, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		s.put(key(i), value(i))
		s.put(key(i), []byte("kept once"))
	}
	if err := s.save(); err != nil {
		t.Fatal(err)
	}
	s.discard() // after save: nothing to drop
	name := filepath.Join(dir, "things")
	good, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	goodIndex, err := os.ReadFile(name + indexSuffix)
	if err != nil {
		t.Fatal(err)
	}

	read := func(t *testing.T, clean bool) (*shelf, error) {
		t.Helper()
		s, err := openShelf(dir, "things", "things 1\n", settings, clean)
		t.Cleanup(s.discard)
		return s, err
	}
	s, err = read(t, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if got, ok := s.get(key(i)); !ok || !bytes.Equal(got, value(i)) {
			t.Fatalf("record %d: %q, %v", i, got, ok)
		}
	}
	if _, ok := s.get(key(50)); ok {
		t.Error("a key never kept was found")
	}
	s.discard()
	if s, _ = read(t, true); len(s.spans) != 0 {
		t.Error("a clean build read the last build's records")
	}
	s.discard()
	if temps, _ := filepath.Glob(filepath.Join(dir, ".things-*")); len(temps) != 0 {
		t.Errorf("discard left %v", temps)
	}

	other, _ := openShelf(dir, "things", "things 1\n", sha256.Sum256([]byte("other")), false)
	if err != nil || len(other.spans) != 0 {
		t.Errorf("a shelf of other settings was read: %d records, %v", len(other.spans), err)
	}
	other.discard()

	flip := func(b []byte, i int) []byte {
		b = bytes.Clone(b)
		b[i] ^= 1
		return b
	}
	for _, c := range []struct {
		name           string
		records, index []byte // nil: as saved; empty: an empty file
		want           string // the error; "" when the shelf opens but the record is not given
	}{
		{"records cut short", good[:len(good)-100], nil, "cut short"},
		{"records empty", []byte{}, nil, "cut short"},
		{"records of another build", flip(good, len("things 1\n")+33), nil, "damaged"},
		{"index cut short", nil, goodIndex[:len(goodIndex)-10], "cut short"},
		{"index empty", nil, []byte{}, "cut short"},
		{"index of another layout", nil, append([]byte("things 2\n"), goodIndex[9:]...), "not a cache"},
		{"index damaged", nil, flip(goodIndex, len(goodIndex)-50), "damaged"},
		{"a record damaged", flip(good, bytes.Index(good, value(3))+2), nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			records, index := good, goodIndex
			if c.records != nil {
				records = c.records
			}
			if c.index != nil {
				index = c.index
			}
			if os.WriteFile(name, records, 0o644) != nil || os.WriteFile(name+indexSuffix, index, 0o644) != nil {
				t.Fatal("cannot write the shelf")
			}
			s, err := read(t, false)
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("error %v, want %q", err, c.want)
				}
				if len(s.spans) != 0 {
					t.Fatal("records were read from it")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := s.get(key(3)); ok {
				t.Error("a damaged record was given")
			}
			if got, ok := s.get(key(4)); !ok || !bytes.Equal(got, value(4)) {
				t.Error("a whole record was not given")
			}
		})
	}
	os.Remove(name + indexSuffix)
	if _, err := read(t, false); err == nil || !strings.Contains(err.Error(), "index is missing") {
		t.Errorf("records without an index: %v", err)
	}
}

// TestShelfWritesWhatChanged: a build that takes most records and adds one
// adds that record to the file and writes nothing else of it; a build that
// fails adds records no index names, which the next writes after; once
// the records kept are less than half the file, the next save writes them
// to a new one.
func TestShelfWritesWhatChanged(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "things")
	settings := sha256.Sum256([]byte("settings"))
	key := func(i int) [32]byte { return sha256.Sum256(fmt.Appendf(nil, "key %d", i)) }
	value := func(i int) []byte { return bytes.Repeat(fmt.Appendf(nil, "%d", i%10), 40_000) }
	build := func(take []int, put ...int) {
		t.Helper()
		s, err := openShelf(dir, "things", "things 1\n", settings, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range take {
			if !s.take(key(i), func(b []byte) bool { return bytes.Equal(b, value(i)) }) {
				t.Fatalf("record %d not taken", i)
			}
		}
		for _, i := range put {
			s.put(key(i), value(i))
		}
		if err := s.save(); err != nil {
			t.Fatal(err)
		}
	}
	stat := func() os.FileInfo {
		t.Helper()
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	all := make([]int, 40)
	for i := range all {
		all[i] = i
	}
	build(nil, all...)
	first := stat()
	build(all[1:], 40) // one record gone, one new
	if now := stat(); !os.SameFile(first, now) || now.Size() != first.Size()+40_000+sumLen {
		t.Errorf("the file was %d bytes, now %d (same file %v); want one record more, added", first.Size(), now.Size(), os.SameFile(first, now))
	}
	// a failed build's records are cut off again; a killed build's by the next
	s, _ := openShelf(dir, "things", "things 1\n", settings, false)
	s.put(key(99), value(99))
	s.w.Flush()
	s.discard()
	if now := stat(); now.Size() != first.Size()+40_000+sumLen {
		t.Errorf("a failed build left %d bytes more", now.Size()-first.Size()-40_000-sumLen)
	}
	s, _ = openShelf(dir, "things", "things 1\n", settings, false)
	s.put(key(99), value(99))
	s.w.Flush() // and killed
	s.file.Close()
	build(all[1:20], 41) // 20 of 42 records kept: a new file of them
	now := stat()
	if os.SameFile(first, now) || now.Size() != int64(len("things 1\n")+32+16+20*(40_000+sumLen)) {
		t.Errorf("20 records kept of 42: %d bytes (the same file %v); want a new file of them", now.Size(), os.SameFile(first, now))
	}
	s, err := openShelf(dir, "things", "things 1\n", settings, false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.discard()
	if _, ok := s.get(key(99)); ok {
		t.Error("a killed build's record was read")
	}
	for _, i := range append(all[1:20], 41) {
		if got, ok := s.get(key(i)); !ok || !bytes.Equal(got, value(i)) {
			t.Errorf("record %d was not read", i)
		}
	}
}

// TestTextRecord checks that a rendering read back from its two records
// is the rendering kept, and that a record cut anywhere is refused.
func TestTextRecord(t *testing.T) {
	res := markdown.Result{
		HTML: []byte("<p>Denis walks to his kitchen (<a href=\"#src-a\">A, 2019</a>)</p>"), Text: "Denis walks to his kitchen (A, 2019)",
		Headings:  []markdown.Heading{{Level: 2, ID: "goals", Text: "Goals"}},
		Links:     []markdown.Link{{Dest: "x.md", Line: 3, Col: 4}, {Dest: "p.png", Image: true, Auto: true, Line: 5, Col: 1}},
		Citations: []markdown.Citation{{ID: "a", Locator: "p. 4", Line: 7, Col: 9}},
		Problems:  []*diag.Problem{{Severity: diag.Warning, File: "content/a.md", Line: 1, Col: 2, Msg: "m", Hint: "h", Source: "s"}},
	}
	answers := &markdown.Answers{Has: 7, Calls: []markdown.Call{
		{Kind: markdown.LinkCall, In: [2]string{"x.md"}, Out: [5]string{"/x/"}},
		{Kind: markdown.PictureCall, In: [2]string{"p.png"}, W: 400, H: 300, OK: true, Out: [5]string{"not a picture"}},
		{Kind: markdown.CiteCall, In: [2]string{"a", "p. 4"}, Out: [5]string{"A, 2019", "A, 2019", "#src-a", ""}, OK: true},
	}}
	r := &rendering{Result: res, htmlSum: sha256.Sum256(res.HTML), textSum: sha256.Sum256([]byte(res.Text)), lead: "Denis walks"}
	head, full := encodeHead(r, answers), encodeFull(res)
	var got rendering
	gotAnswers, err := decodeHead(head, &got)
	if err != nil {
		t.Fatal(err)
	}
	if got.HTML, got.Text, err = decodeFull(full); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Result, res) || !reflect.DeepEqual(gotAnswers, answers) || got.htmlSum != r.htmlSum || got.textSum != r.textSum || got.lead != r.lead {
		t.Fatalf("read back:\n%+v\n%+v", got, gotAnswers)
	}
	for n := range len(head) {
		if _, err := decodeHead(head[:n], &rendering{}); err == nil {
			t.Fatalf("a record cut to %d of %d bytes was read", n, len(head))
		}
	}
	for n := range len(full) {
		if _, _, err := decodeFull(full[:n]); err == nil {
			t.Fatalf("a record cut to %d of %d bytes was read", n, len(full))
		}
	}
	if _, err := decodeHead(append(bytes.Clone(head), 0), &rendering{}); err == nil {
		t.Error("a record with a byte too many was read")
	}
}

// TestAnalysisRecord is TestTextRecord for a search analysis.
func TestAnalysisRecord(t *testing.T) {
	a := search.Analysis{Length: 12, Quotes: "Denis walks.\nHe makes tea.",
		Terms: []search.Term{{Stem: "deni", TF: 6, Keep: true}, {Stem: "walk", TF: 1}},
		Words: []search.Word{{Text: "denis", Term: 0}, {Text: "walks", Term: 1}},
		Parts: []search.Analysis{{Length: 1, Terms: []search.Term{{Stem: "tea", TF: 1}}, Words: []search.Word{{Text: "tea"}}}},
	}
	data := encodeAnalysis(a)
	got, err := decodeAnalysis(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Fatalf("read back:\n%+v\n%+v", got, a)
	}
	if q, ok := analysisQuotes(data); !ok || q != a.Quotes {
		t.Errorf("the quotes read alone: %q, %v", q, ok)
	}
	for n := range len(data) {
		if _, err := decodeAnalysis(data[:n]); err == nil {
			t.Fatalf("a record cut to %d of %d bytes was read", n, len(data))
		}
		if q, ok := analysisQuotes(data[:n]); ok && q != a.Quotes {
			t.Fatalf("a record cut to %d bytes gave quotes %q", n, q)
		}
	}
}

// FuzzRecords: any bytes given as a record are refused or read, never a
// panic, and what is read is written back to bytes that read the same.
func FuzzRecords(f *testing.F) {
	f.Add(encodeHead(&rendering{Result: markdown.Result{Headings: []markdown.Heading{{Level: 2, ID: "a", Text: "A"}}}, lead: "x"},
		&markdown.Answers{Has: 1, Calls: []markdown.Call{{Kind: markdown.LinkCall, In: [2]string{"a.md"}, Out: [5]string{"/a/"}}}}))
	f.Add(encodeFull(markdown.Result{HTML: []byte("<p>x</p>"), Text: "x"}))
	f.Add(encodeAnalysis(search.Analysis{Length: 3, Quotes: "q", Terms: []search.Term{{Stem: "a", TF: 3}}, Words: []search.Word{{Text: "a"}},
		Parts: []search.Analysis{{Length: 1}}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		var r, r2 rendering
		if answers, err := decodeHead(data, &r); err == nil {
			answers2, err := decodeHead(encodeHead(&r, answers), &r2)
			if err != nil || !reflect.DeepEqual(r, r2) || !reflect.DeepEqual(answers, answers2) {
				t.Fatalf("a text record read back differently: %v", err)
			}
		}
		if html, text, err := decodeFull(data); err == nil {
			html2, text2, err := decodeFull(encodeFull(markdown.Result{HTML: html, Text: text}))
			if err != nil || !bytes.Equal(html, html2) || text != text2 {
				t.Fatalf("a full text record read back differently: %v", err)
			}
		}
		if a, err := decodeAnalysis(data); err == nil {
			a2, err := decodeAnalysis(encodeAnalysis(a))
			if err != nil || !reflect.DeepEqual(a, a2) {
				t.Fatalf("an analysis record read back differently: %v", err)
			}
		}
	})
}

// TestShelfIdle: a shelf that keeps unused records through idle builds
// keeps a record that many builds leave unused, and drops it at the next;
// taking it starts the count again, and compacting the file keeps the
// count. A shelf with no idle builds keeps only what its build used.
func TestShelfIdle(t *testing.T) {
	dir := t.TempDir()
	settings := sha256.Sum256([]byte("settings"))
	key := func(i int) [32]byte { return sha256.Sum256(fmt.Appendf(nil, "key %d", i)) }
	open := func(idle uint8) *shelf {
		s, err := openShelf(dir, "parts", "parts 1\n", settings, false)
		if err != nil {
			t.Fatal(err)
		}
		s.idle = idle
		return s
	}
	save := func(s *shelf) {
		if err := s.save(); err != nil {
			t.Fatal(err)
		}
	}
	s := open(3)
	big := bytes.Repeat([]byte("x"), 300<<10) // enough for the file to be compacted once most of it is dropped
	s.put(key(0), []byte("row 0"))
	s.put(key(1), []byte("row 1"))
	for i := 2; i < 6; i++ {
		s.put(key(i), big)
	}
	save(s)
	has := func(s *shelf, i int) bool { _, ok := s.spans[key(i)]; return ok }
	for build := 1; build <= 5; build++ {
		s = open(3)
		if !has(s, 0) || !has(s, 1) {
			t.Fatalf("build %d: the rows were dropped early", build)
		}
		if build <= 4 && !has(s, 5) {
			t.Fatalf("build %d: a record unused by the %d builds before was dropped", build, build-1)
		}
		if build == 5 && has(s, 5) {
			t.Fatalf("build %d: a record unused by 4 builds was kept", build)
		}
		if !s.take(key(1), func(b []byte) bool { return bytes.Equal(b, []byte("row 1")) }) {
			t.Fatalf("build %d: row 1 cannot be taken", build)
		}
		if build%3 == 0 {
			s.hold(key(0)) // held counts as used
		}
		save(s)
	}
	s = open(3)
	if got, ok := s.get(key(0)); !ok || string(got) != "row 0" {
		t.Errorf("row 0 after compaction: %q, %v", got, ok)
	}
	if fi, err := os.Stat(filepath.Join(dir, "parts")); err != nil || fi.Size() > 1<<20 {
		t.Errorf("the file was not compacted once the large records were dropped: %v, %v", fi.Size(), err)
	}
	save(s) // row 0 unused by three builds now, row 1 by one
	s = open(0)
	save(s) // and by one more, which this shelf keeps no record through
	if s = open(0); len(s.spans) != 0 {
		t.Errorf("a shelf with no idle builds kept %d unused records", len(s.spans))
	}
	s.discard()
}
