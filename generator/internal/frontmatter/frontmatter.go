// Package frontmatter splits a content file into its metadata and body and
// decodes YAML (---) or TOML (+++) metadata into a tree of values that keep
// their line and column in the file, so later layers can point at the exact
// field that is wrong. It knows nothing about what the fields mean.
package frontmatter

import (
	"bytes"
	"fmt"
	"time"
	"unicode/utf8"
)

// Format is the syntax of a file's front matter.
type Format uint8

const (
	None Format = iota // the file has no front matter
	YAML               // between --- lines
	TOML               // between +++ lines
)

func (f Format) String() string {
	switch f {
	case YAML:
		return "YAML"
	case TOML:
		return "TOML"
	}
	return "none"
}

// Pos is a 1-based line and column in the whole file (not in the front matter).
type Pos struct{ Line, Col int }

// Kind is the type of a Value.
type Kind uint8

const (
	Null Kind = iota
	String
	Int
	Float
	Bool
	Time // a TOML date or date-time literal
	List
	Map
)

var kindNames = [...]string{"nothing", "text", "a whole number", "a number", "true or false", "a date", "a list", "a set of fields"}

func (k Kind) String() string { return kindNames[k] }

// Value is one decoded front-matter value with its position.
type Value struct {
	Kind     Kind
	Pos      Pos
	Str      string // String; also the literal text of scalars as written
	Int      int64
	Float    float64
	Bool     bool
	Time     time.Time
	DateOnly bool // Time had no time-of-day part
	List     []*Value
	Fields   []Field // Map, in source order
}

// Field is a key of a map with the position of the key itself.
type Field struct {
	Key    string
	KeyPos Pos
	Value  *Value
}

// Get returns the field with the given key, or nil.
func (v *Value) Get(key string) *Field {
	if v == nil || v.Kind != Map {
		return nil
	}
	for i := range v.Fields {
		if v.Fields[i].Key == key {
			return &v.Fields[i]
		}
	}
	return nil
}

// Doc is a split and decoded content file.
type Doc struct {
	Format   Format
	Meta     *Value // always a Map (empty when Format is None)
	Body     []byte // everything after the closing delimiter
	BodyLine int    // line in the file where Body starts
}

// Error is a syntax problem in the front matter, at a position in the file.
type Error struct {
	Pos  Pos
	Msg  string
	Hint string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg) }

// Parse splits src and decodes its front matter. A file that is not
// UTF-8 is an error at its first wrong byte.
func Parse(src []byte) (*Doc, error) {
	if err := CheckEncoding(src); err != nil {
		return nil, err
	}
	format, meta, metaLine, body, bodyLine, err := Split(src)
	if err != nil {
		return nil, err
	}
	if len(meta) > MaxFrontMatter {
		return nil, &Error{
			Pos:  Pos{metaLine + bytes.Count(meta[:MaxFrontMatter], []byte("\n")), 1},
			Msg:  fmt.Sprintf("the front matter is longer than %d KB by this line; otpress allows %d KB", MaxFrontMatter>>10, MaxFrontMatter>>10),
			Hint: "keep long text below the closing line, and long lists in a file of their own (chapters.json, data/sources.yaml)",
		}
	}
	doc := &Doc{Format: format, Body: body, BodyLine: bodyLine, Meta: &Value{Kind: Map, Pos: Pos{1, 1}}}
	switch format {
	case YAML:
		doc.Meta, err = decodeYAML(meta, metaLine, false)
	case TOML:
		doc.Meta, err = decodeTOML(meta, metaLine)
	}
	if err != nil {
		return nil, err
	}
	return doc, nil
}

var bom = []byte("\xef\xbb\xbf")

// CheckEncoding reports a file that is not UTF-8 text: a UTF-16 file (as
// Windows editors save "Unicode"), or the line and column of the first byte
// that is not UTF-8. A UTF-8 byte-order mark is fine; Split skips it.
func CheckEncoding(src []byte) *Error {
	if bytes.HasPrefix(src, []byte("\xff\xfe")) || bytes.HasPrefix(src, []byte("\xfe\xff")) {
		return &Error{
			Pos:  Pos{1, 1},
			Msg:  "the file is saved as UTF-16 (\"Unicode\"), which otpress cannot read",
			Hint: "save it as UTF-8 (in Notepad: File, Save as, Encoding: UTF-8)",
		}
	}
	if utf8.Valid(src) {
		return nil
	}
	line, start := 1, 0
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return &Error{
				Pos:  Pos{line, i - start + 1},
				Msg:  fmt.Sprintf("the file is not valid UTF-8: byte %#x here is not part of a letter", src[i]),
				Hint: "save the file as UTF-8 (it was probably saved as Latin-1 or Windows-1252), then check the letters on this line",
			}
		}
		if r == '\n' {
			line, start = line+1, i+1
		}
		i += n
	}
	return nil
}

// Split separates the front matter from the body. meta is the text between the
// delimiters; metaLine is the file line where it starts; bodyLine is the file
// line where body starts. A file without an opening delimiter has Format None
// and is all body.
func Split(src []byte) (format Format, meta []byte, metaLine int, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, bom)
	first, rest, _ := cutLine(src)
	var delim string
	switch string(bytes.TrimRight(first, " \t\r")) {
	case "---":
		format, delim = YAML, "---"
	case "+++":
		format, delim = TOML, "+++"
	default:
		return None, nil, 0, src, 1, nil
	}
	line := 2
	start := rest
	for len(rest) > 0 {
		l, next, _ := cutLine(rest)
		if string(bytes.TrimRight(l, " \t\r")) == delim {
			meta = start[:len(start)-len(rest)]
			return format, meta, 2, next, line + 1, nil
		}
		rest = next
		line++
	}
	other := map[string]string{"---": "YAML", "+++": "TOML"}[delim]
	return format, nil, 0, nil, 0, &Error{
		Pos:  Pos{1, 1},
		Msg:  fmt.Sprintf("the %s front matter opened with %s on line 1 is never closed", other, delim),
		Hint: fmt.Sprintf("add a line containing only %s after the last field, before the text of the page", delim),
	}
}

func cutLine(b []byte) (line, rest []byte, found bool) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:], true
	}
	return b, nil, false
}

// duplicateKey reports a key given twice in one map.
func duplicateKey(key string, first, again Pos) *Error {
	return &Error{
		Pos:  again,
		Msg:  fmt.Sprintf("%q is given twice (first on line %d)", key, first.Line),
		Hint: "keep one of them",
	}
}
