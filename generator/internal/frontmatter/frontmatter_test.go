package frontmatter

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		format    Format
		meta      string
		body      string
		bodyLine  int
		errSubstr string
	}{
		{name: "yaml", src: "---\ntitle: A\n---\nBody\n", format: YAML, meta: "title: A\n", body: "Body\n", bodyLine: 4},
		{name: "toml", src: "+++\ntitle = \"A\"\n+++\n\nBody", format: TOML, meta: "title = \"A\"\n", body: "\nBody", bodyLine: 4},
		{name: "crlf and trailing spaces", src: "--- \r\ntitle: A\r\n---\r\nBody", format: YAML, meta: "title: A\r\n", body: "Body", bodyLine: 4},
		{name: "bom", src: "\xef\xbb\xbf---\na: 1\n---\n", format: YAML, meta: "a: 1\n", body: "", bodyLine: 4},
		{name: "no front matter", src: "# Hello\n", format: None, body: "# Hello\n", bodyLine: 1},
		{name: "empty front matter", src: "---\n---\nx", format: YAML, meta: "", body: "x", bodyLine: 3},
		{name: "thematic break later is body", src: "---\na: 1\n---\ntext\n---\nmore", format: YAML, meta: "a: 1\n", body: "text\n---\nmore", bodyLine: 4},
		{name: "unclosed yaml", src: "---\ntitle: A\nBody\n", errSubstr: "never closed"},
		{name: "unclosed toml", src: "+++\ntitle = 'A'\n", errSubstr: "opened with +++"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, meta, _, body, bodyLine, err := Split([]byte(tt.src))
			if tt.errSubstr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errSubstr) {
					t.Fatalf("Split() error = %v; want one containing %q", err, tt.errSubstr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f != tt.format || string(meta) != tt.meta || string(body) != tt.body || bodyLine != tt.bodyLine {
				t.Errorf("Split() = %v, %q, %q, line %d; want %v, %q, %q, line %d", f, meta, body, bodyLine, tt.format, tt.meta, tt.body, tt.bodyLine)
			}
		})
	}
}

// TestParseEquivalent checks that YAML and TOML give the same tree, with
// positions pointing into the whole file.
func TestParseEquivalent(t *testing.T) {
	yamlSrc := `---
title: Denis walks again
date: 2019-04-01
episode: 72
score: 2.5
draft: false
themes: [co-production, rehab potential]
image:
  src: denis.jpg
  alt: Denis at his kitchen door
sources:
  - title: Rebuilding lives
    page: "15"
  - title: Second
---
Body`
	tomlSrc := `+++
title = "Denis walks again"
date = 2019-04-01
episode = 72
score = 2.5
draft = false
themes = ["co-production", "rehab potential"]

[image]
src = "denis.jpg"
alt = "Denis at his kitchen door"

[[sources]]
title = "Rebuilding lives"
page = "15"

[[sources]]
title = "Second"
+++
Body`
	for _, tc := range []struct {
		name, src                                string
		dateKind                                 Kind
		titlePos, episodePos, altPos, source2Pos Pos
	}{
		{"yaml", yamlSrc, String, Pos{2, 8}, Pos{4, 10}, Pos{10, 8}, Pos{14, 12}},
		{"toml", tomlSrc, Time, Pos{2, 9}, Pos{4, 11}, Pos{11, 7}, Pos{18, 9}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse([]byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			m := doc.Meta
			keys := []string{}
			for _, f := range m.Fields {
				keys = append(keys, f.Key)
			}
			if got, want := strings.Join(keys, ","), "title,date,episode,score,draft,themes,image,sources"; got != want {
				t.Errorf("keys = %s; want %s", got, want)
			}
			title := m.Get("title").Value
			if title.Kind != String || title.Str != "Denis walks again" || title.Pos != tc.titlePos {
				t.Errorf("title = %+v; want string at %v", title, tc.titlePos)
			}
			if d := m.Get("date").Value; d.Kind != tc.dateKind || (d.Kind == Time && (!d.DateOnly || !d.Time.Equal(time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC)))) {
				t.Errorf("date = %+v", d)
			}
			if e := m.Get("episode").Value; e.Kind != Int || e.Int != 72 || e.Pos != tc.episodePos {
				t.Errorf("episode = %+v; want 72 at %v", e, tc.episodePos)
			}
			if s := m.Get("score").Value; s.Kind != Float || s.Float != 2.5 {
				t.Errorf("score = %+v", s)
			}
			if d := m.Get("draft").Value; d.Kind != Bool || d.Bool {
				t.Errorf("draft = %+v", d)
			}
			if th := m.Get("themes").Value; th.Kind != List || len(th.List) != 2 || th.List[1].Str != "rehab potential" {
				t.Errorf("themes = %+v", th)
			}
			alt := m.Get("image").Value.Get("alt").Value
			if alt.Str != "Denis at his kitchen door" || alt.Pos != tc.altPos {
				t.Errorf("image.alt = %+v; want at %v", alt, tc.altPos)
			}
			src := m.Get("sources").Value
			if src.Kind != List || len(src.List) != 2 {
				t.Fatalf("sources = %+v", src)
			}
			if t2 := src.List[1].Get("title"); t2 == nil || t2.Value.Str != "Second" || t2.Value.Pos != tc.source2Pos {
				t.Errorf("sources[1].title = %+v; want at %v", t2, tc.source2Pos)
			}
			if doc.BodyLine != strings.Count(tc.src[:strings.LastIndex(tc.src, "Body")], "\n")+1 || string(doc.Body) != "Body" {
				t.Errorf("body %q at line %d", doc.Body, doc.BodyLine)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		pos  Pos
		msg  string
	}{
		{"yaml unclosed bracket", "---\ntitle: [a\ndate: x\n---\n", Pos{3, 1}, "YAML syntax"},
		{"yaml duplicate key", "---\ntitle: A\ndate: 2019-01-01\ntitle: B\n---\n", Pos{4, 1}, `"title" is given twice (first on line 2)`},
		{"yaml not a map", "---\n- a\n- b\n---\n", Pos{2, 1}, "not a set of fields"},
		{"yaml unknown alias", "---\na: *nope\n---\n", Pos{2, 4}, "anchor"},
		{"yaml bad indentation", "---\ntitle: A\n  date: B\n---\n", Pos{2, 8}, "YAML syntax"},
		// a lone carriage return ends a YAML line but not a file line
		{"yaml duplicate after a lone CR", "---\ntitle: A\rtitle: B\n---\n", Pos{2, 10}, `"title" is given twice (first on line 2)`},
		{"yaml error after lone CRs", "---\nx: 1\ry: 2\r: :\n---\n", Pos{2, 13}, "YAML syntax"},
		{"yaml duplicate, CRLF", "---\r\ntitle: A\r\ntitle: B\r\n---\r\n", Pos{3, 1}, `"title" is given twice (first on line 2)`},
		{"toml missing quotes", "+++\ntitle = My story\n+++\n", Pos{2, 9}, "TOML syntax"},
		{"toml duplicate", "+++\na = 1\na = 2\n+++\n", Pos{3, 1}, "TOML syntax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			fe, ok := err.(*Error)
			if !ok {
				t.Fatalf("Parse() error = %v (%T); want *Error", err, err)
			}
			if fe.Pos != tt.pos || !strings.Contains(fe.Msg, tt.msg) {
				t.Errorf("Parse() error = %v at %v; want %q at %v", fe.Msg, fe.Pos, tt.msg, tt.pos)
			}
		})
	}
}

func TestYAMLAnchorsAndTags(t *testing.T) {
	doc, err := Parse([]byte("---\nbase: &b hello\ncopy: *b\nn: !!str 0012\nblock: |\n  line one\n  line two\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Meta.Get("copy").Value.Str; got != "hello" {
		t.Errorf("copy = %q; want hello", got)
	}
	if v := doc.Meta.Get("n").Value; v.Kind != String || v.Str != "0012" {
		t.Errorf("n = %+v; want the string 0012", v)
	}
	if got := doc.Meta.Get("block").Value.Str; got != "line one\nline two\n" {
		t.Errorf("block = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: A\n---\nBody",
		"+++\ntitle = \"A\"\n[[sources]]\ntitle = \"x\"\n+++\n",
		"---\na: [1, {b: c}]\n---\n",
		"---\na: &x [1]\nb: *x\n---\n",
		"+++\na.b.c = 1\n[t]\nx = [1, [2]]\n+++\n",
		"no front matter",
	} {
		f.Add([]byte(s))
	}
	// The seeds in testdata/fuzz/FuzzParse add real pages, a BOM, CRLF
	// line ends, an empty file, deep nesting and unclosed delimiters.
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := strings.Count(string(src), "\n") + 1
		doc, err := Parse(src)
		if err != nil {
			fe, ok := err.(*Error)
			if !ok || fe.Pos.Line < 1 || fe.Pos.Col < 1 || fe.Pos.Line > lines || fe.Msg == "" {
				t.Fatalf("error without a position in the file of %d lines: %v", lines, err)
			}
			return
		}
		if doc.Meta == nil || doc.Meta.Kind != Map {
			t.Fatalf("Meta = %+v; want a map", doc.Meta)
		}
		// the body is the end of the file, starting at the line it says
		rest := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
		if !bytes.HasSuffix(rest, doc.Body) || doc.BodyLine < 1 || doc.BodyLine > lines+1 {
			t.Fatalf("body %q at line %d is not the end of the file", doc.Body, doc.BodyLine)
		}
		if doc.Format == None && !bytes.Equal(doc.Body, rest) {
			t.Fatalf("a file without front matter lost text: body %q", doc.Body)
		}
		if doc.Format != None && len(doc.Body) > 0 && doc.BodyLine != lines-strings.Count(string(doc.Body), "\n") {
			t.Fatalf("body starts on line %d; the file says %d", doc.BodyLine, lines-strings.Count(string(doc.Body), "\n"))
		}
		var walk func(v *Value)
		walk = func(v *Value) {
			if v.Pos.Line < 1 || v.Pos.Line > lines || v.Pos.Col < 1 {
				t.Fatalf("value at %d:%d outside file of %d lines", v.Pos.Line, v.Pos.Col, lines)
			}
			if v.Kind == String && utf8.ValidString(string(src)) && !utf8.ValidString(v.Str) {
				t.Fatalf("invalid UTF-8 from valid input")
			}
			for _, e := range v.List {
				walk(e)
			}
			for _, f := range v.Fields {
				walk(f.Value)
			}
		}
		walk(doc.Meta)
	})
}

// A file saved with Windows line ends: fields under comments are placed on
// their own lines, and values read as with LF.
func TestCRLFPositions(t *testing.T) {
	lf := "---\n# a comment\n# another\ntitle: Denis\nsummary: |\n  One\n  two\n# last\ndate: 2026-01-02\n---\nText\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	a, err := Parse([]byte(lf))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse([]byte(crlf))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range a.Meta.Fields {
		g := b.Meta.Fields[i]
		if f.KeyPos != g.KeyPos || f.Value.Pos != g.Value.Pos || f.Value.Str != g.Value.Str {
			t.Errorf("%s: LF at %v %q, CR LF at %v %q", f.Key, f.KeyPos, f.Value.Str, g.KeyPos, g.Value.Str)
		}
	}
	if got := b.Meta.Get("date").KeyPos.Line; got != 9 {
		t.Errorf("date under two comments and a block is on line %d, want 9", got)
	}
}
