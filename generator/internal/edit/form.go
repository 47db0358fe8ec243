package edit

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// field is one front-matter field as the form shows it. Values are kept as
// the form's strings, so what the editor typed comes back as typed, and a
// field is changed in the file only when its strings differ from the
// file's.
type field struct {
	content.FieldSpec
	Name  string   // the form's name for it: "title", "outcomes.2.before", "image.alt"
	Value string   // a one-value field
	Items []string // Lines and Names
	Rows  [][]*field
	Sub   []*field // Group
	// Kept is the field as written in the file when the form cannot show
	// it (Other, or a value of a shape it does not edit); it is never
	// changed.
	Kept string
	// FocusAt is the entry an action just added or moved (1 for the
	// first), or -1 for the field's Add button after a removal: the page
	// focuses it, so a keyboard user carries on where they were.
	FocusAt int
	Probs   []*diag.Problem
	// RowProbs are problems of one row of a Rows field, by row.
	RowProbs map[int][]*diag.Problem
	// Works are the sources a Work field offers.
	Works []*content.Work
	// Back, on a page's sources, is the page's file, for the link that
	// adds a work to the site's list and comes back.
	Back string
}

// form is a page's fields and text.
type form struct {
	Kind   string // "story", "theme", ...
	Fields []*field
	Body   string
	CRLF   bool // the file's lines end in CR LF
	// BodyProbs are the text's problems, each at its line of the text
	// (Line counts from the text's first line, not the file's); Probs
	// those of no one field.
	BodyProbs []*diag.Problem
	// PictureName is a picture for the text kept without its description.
	PictureName string
	Probs       []*diag.Problem
}

// readForm makes the form of a file's front matter and text.
func readForm(kind string, doc *fm.Doc, src []byte) *form {
	f := &form{Kind: kind, Body: string(doc.Body), CRLF: bytes.Contains(src, []byte("\r\n"))}
	if f.CRLF {
		f.Body = strings.ReplaceAll(f.Body, "\r\n", "\n")
	}
	specs := slices.Clone(content.Fields(kind))
	slices.SortStableFunc(specs, func(a, b content.FieldSpec) int { return rank(a.Key) - rank(b.Key) })
	for _, spec := range specs {
		fl := &field{FieldSpec: spec, Name: spec.Key}
		if got := doc.Meta.Get(spec.Key); got != nil {
			fill(fl, got.Value, kept(src, doc, got))
		} else {
			fill(fl, nil, "")
		}
		f.Fields = append(f.Fields, fl)
	}
	return f
}

// shownFirst is the order a form shows fields in: what a page is, then
// who and what it tells of, then what it links to. Fields not named
// follow in the content model's order (which is also where a new key goes
// in the file).
var shownFirst = []string{"title", "summary", "date", "draft", "person", "setting", "audience", "themes", "goals", "steps", "outcomes", "episode", "season", "audio", "duration", "transcript", "hosts", "guests", "items", "questions", "broader", "image", "sources", "authors"}

func rank(key string) int {
	if i := slices.Index(shownFirst, key); i >= 0 {
		return i
	}
	return len(shownFirst)
}

// kept is the text of a top-level field as written, its key line to the
// next key.
func kept(src []byte, doc *fm.Doc, f *fm.Field) string {
	lines := strings.Split(string(src), "\n")
	start, end := f.KeyPos.Line, doc.BodyLine-1 // the closing line
	for _, g := range doc.Meta.Fields {
		if g.KeyPos.Line > start && g.KeyPos.Line < end {
			end = g.KeyPos.Line
		}
	}
	if start < 1 || end > len(lines)+1 || start >= end {
		return ""
	}
	return strings.TrimRight(strings.Join(lines[start-1:end-1], "\n"), "\r\n")
}

// fill sets a field's strings from its value in the file (nil when the
// file does not give it); a value the form cannot show is kept as written.
func fill(fl *field, v *fm.Value, asWritten string) {
	keep := func() { fl.Kept = asWritten }
	if fl.Type == content.Other {
		if v != nil {
			keep()
		}
		return
	}
	if v == nil || v.Kind == fm.Null {
		switch fl.Type {
		case content.Group:
			fl.Sub = subFields(fl, -1)
		case content.Choice:
			fl.Value = fl.Choices[0]
		}
		return
	}
	switch fl.Type {
	case content.Line, content.Para, content.Whole, content.Number, content.WorkID, content.Choice:
		if s, ok := scalar(v); ok {
			fl.Value = s
			return
		}
	case content.Day:
		if s, ok := scalar(v); ok {
			fl.Value = s
			if v.Kind == fm.Time && v.DateOnly {
				fl.Value = v.Time.Format(time.DateOnly)
			}
			return
		}
	case content.Flag:
		if v.Kind == fm.Bool {
			fl.Value = strconv.FormatBool(v.Bool)
			return
		}
	case content.Lines, content.Names:
		if v.Kind == fm.String {
			fl.Items = []string{v.Str}
			return
		}
		if v.Kind == fm.List {
			var items []string
			for _, e := range v.List {
				s, ok := scalar(e)
				if !ok {
					keep()
					return
				}
				items = append(items, s)
			}
			fl.Items = items
			return
		}
	case content.Group:
		if s, ok := scalar(v); ok && fl.Bare {
			fl.Sub = subFields(fl, -1)
			fl.Sub[0].Value = s // "audio: episode.mp3": the first field alone
			return
		}
		if sub, ok := mapFields(fl, v, -1); ok {
			fl.Sub = sub
			return
		}
	case content.Rows:
		if v.Kind == fm.List {
			var rows [][]*field
			for i, e := range v.List {
				if s, ok := scalar(e); ok && fl.Bare && e.Kind != fm.Null {
					row := subFields(fl, i)
					row[0].Value = s // "- stories/denis": the first field alone
					rows = append(rows, row)
					continue
				}
				sub, ok := mapFields(fl, e, i)
				if !ok {
					keep()
					return
				}
				rows = append(rows, sub)
			}
			fl.Rows = rows
			return
		}
	}
	keep()
}

// mapFields reads a set of fields for a Group or one row of a Rows field;
// ok is false when it has a key or a value the form cannot show.
func mapFields(fl *field, v *fm.Value, row int) ([]*field, bool) {
	if v.Kind != fm.Map {
		return nil, false
	}
	sub := subFields(fl, row)
	for _, f := range v.Fields {
		i := slices.IndexFunc(sub, func(s *field) bool { return s.Key == f.Key })
		if i < 0 {
			return nil, false
		}
		s, ok := scalar(f.Value)
		if sub[i].Type == content.LineList {
			s, ok = lineList(f.Value)
		}
		if !ok {
			return nil, false
		}
		if f.Value.Kind == fm.Time && f.Value.DateOnly {
			s = f.Value.Time.Format(time.DateOnly)
		}
		sub[i].Value = s
	}
	return sub, true
}

// lineList is a list of one-line texts as a LineList field shows it, one
// entry a line; ok is false when an entry is not one line of text.
func lineList(v *fm.Value) (string, bool) {
	if v.Kind == fm.String && !strings.Contains(v.Str, "\n") {
		return v.Str, true
	}
	if v.Kind != fm.List {
		return "", v.Kind == fm.Null
	}
	var lines []string
	for _, e := range v.List {
		s, ok := scalar(e)
		if !ok || strings.Contains(s, "\n") {
			return "", false
		}
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n"), true
}

// subFields are the empty fields of a Group, or of one row of a Rows field.
func subFields(fl *field, row int) []*field {
	var out []*field
	for _, spec := range fl.FieldSpec.Sub {
		name := fl.Name + "." + spec.Key
		if row >= 0 {
			name = fmt.Sprintf("%s.%d.%s", fl.Name, row, spec.Key)
		}
		s := &field{FieldSpec: spec, Name: name}
		if spec.Type == content.Choice {
			s.Value = spec.Choices[0]
		}
		out = append(out, s)
	}
	return out
}

// scalar is a one-value field as text: a string as it is, other scalars
// as written.
func scalar(v *fm.Value) (string, bool) {
	switch v.Kind {
	case fm.String, fm.Int, fm.Float, fm.Bool, fm.Time:
		return v.Str, true
	case fm.Null:
		return "", true
	}
	return "", false
}

// posted makes the form from what the browser sent: fields kept as
// written stay as they were in was, the form of the file.
func posted(was *form, v url.Values) *form {
	f := &form{Kind: was.Kind, CRLF: was.CRLF, Body: strings.ReplaceAll(v.Get("body"), "\r\n", "\n")}
	for _, old := range was.Fields {
		fl := &field{FieldSpec: old.FieldSpec, Name: old.Name, Kept: old.Kept}
		if old.Kept != "" {
			f.Fields = append(f.Fields, fl)
			continue
		}
		switch fl.Type {
		case content.Flag:
			fl.Value = strconv.FormatBool(v.Get(fl.Name) == "true")
			if old.Value == "" && fl.Value == "false" {
				fl.Value = "" // left unticked: not given, as before
			}
		case content.Lines, content.Names:
			fl.Items = v[fl.Name]
		case content.Group:
			fl.Sub = subFields(fl, -1)
			for _, s := range fl.Sub {
				s.Value = formValue(v, s.Name)
			}
		case content.Rows:
			for i := range rowCount(v, fl.Name) {
				row := subFields(fl, i)
				for _, s := range row {
					s.Value = formValue(v, s.Name)
				}
				fl.Rows = append(fl.Rows, row)
			}
		default:
			fl.Value = v.Get(fl.Name)
			if fl.Type != content.Para {
				fl.Value = strings.TrimSpace(fl.Value)
			}
		}
		f.Fields = append(f.Fields, fl)
	}
	return f
}

// formValue is one value a form sent, its line ends as the file's, its
// ends trimmed.
func formValue(v url.Values, name string) string {
	return strings.TrimSpace(strings.ReplaceAll(v.Get(name), "\r\n", "\n"))
}

// rowCount is how many rows of a Rows field the browser sent, from the
// highest row number named.
func rowCount(v url.Values, name string) int {
	n := 0
	for k := range v {
		rest, ok := strings.CutPrefix(k, name+".")
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ".")
		if i, err := strconv.Atoi(num); err == nil && i >= 0 && i < maxRows {
			n = max(n, i+1)
		}
	}
	return n
}

// maxRows and maxItems bound what a form may send.
const (
	maxRows  = 500
	maxItems = 500
)

// act applies an action of the form's buttons ("add goals", "up goals 2",
// "down outcomes 0", "remove guests 1") and says which field to focus.
func (f *form) act(op string) error {
	parts := strings.Fields(op)
	if len(parts) < 2 {
		return fmt.Errorf("unknown action %q", op)
	}
	fl := f.field(parts[1])
	if fl == nil || fl.Kept != "" || (fl.Type != content.Lines && fl.Type != content.Names && fl.Type != content.Rows) {
		return fmt.Errorf("unknown field %q", parts[1])
	}
	n := len(fl.Items)
	if fl.Type == content.Rows {
		n = len(fl.Rows)
	}
	i := -1
	if len(parts) == 3 {
		var err error
		if i, err = strconv.Atoi(parts[2]); err != nil || i < 0 || i >= n {
			return fmt.Errorf("no entry %q in %s", parts[2], fl.Key)
		}
	}
	move := func(from, to int) {
		if fl.Type == content.Rows {
			fl.Rows[from], fl.Rows[to] = fl.Rows[to], fl.Rows[from]
		} else {
			fl.Items[from], fl.Items[to] = fl.Items[to], fl.Items[from]
		}
	}
	switch {
	case parts[0] == "add" && i < 0:
		if n >= maxRows {
			return fmt.Errorf("%s has %d entries, the most a form takes", fl.Key, n)
		}
		if fl.Type == content.Rows {
			fl.Rows = append(fl.Rows, subFields(fl, n))
		} else {
			fl.Items = append(fl.Items, "")
		}
		fl.focus(n)
	case parts[0] == "up" && i > 0:
		move(i, i-1)
		fl.focus(i - 1)
	case parts[0] == "down" && i >= 0 && i < n-1:
		move(i, i+1)
		fl.focus(i + 1)
	case parts[0] == "remove" && i >= 0:
		if fl.Type == content.Rows {
			fl.Rows = slices.Delete(fl.Rows, i, i+1)
		} else {
			fl.Items = slices.Delete(fl.Items, i, i+1)
		}
		fl.FocusAt = -1
	default:
		return fmt.Errorf("unknown action %q", op)
	}
	fl.renumber()
	return nil
}

// focus marks entry i of a list field as the one to focus.
func (fl *field) focus(i int) { fl.FocusAt = i + 1 }

// renumber gives a Rows field's inputs their row numbers again.
func (fl *field) renumber() {
	for i, row := range fl.Rows {
		for _, s := range row {
			s.Name = fmt.Sprintf("%s.%d.%s", fl.Name, i, s.Key)
		}
	}
}

func (f *form) field(key string) *field {
	for _, fl := range f.Fields {
		if fl.Key == key {
			return fl
		}
	}
	return nil
}

// changes are the fields of f whose strings differ from was's, as values
// to write.
func (f *form) changes(was *form) []fm.Change {
	var out []fm.Change
	for i, fl := range f.Fields {
		old := was.Fields[i]
		if fl.Kept != "" || fl.same(old) {
			continue
		}
		out = append(out, fm.Change{Key: fl.Key, Value: fl.value()})
	}
	return out
}

// same says whether two versions of a field hold the same strings.
func (fl *field) same(o *field) bool {
	if fl.Value != o.Value || !slices.Equal(clean(fl.Items), clean(o.Items)) || len(nonEmptyRows(fl.Rows)) != len(nonEmptyRows(o.Rows)) {
		return false
	}
	a, b := nonEmptyRows(fl.Rows), nonEmptyRows(o.Rows)
	for i := range a {
		if !sameFields(a[i], b[i]) {
			return false
		}
	}
	return sameFields(fl.Sub, o.Sub)
}

func sameFields(a, b []*field) bool {
	return slices.EqualFunc(a, b, func(x, y *field) bool { return x.Value == y.Value })
}

// clean drops empty entries of a list.
func clean(items []string) []string {
	var out []string
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// nonEmptyRows drops rows with nothing filled in (a Choice's default
// counts as nothing).
func nonEmptyRows(rows [][]*field) [][]*field {
	var out [][]*field
	for _, row := range rows {
		if slices.ContainsFunc(row, func(s *field) bool { return s.Value != "" && (s.Type != content.Choice || s.Value != s.Choices[0]) }) {
			out = append(out, row)
		}
	}
	return out
}

// value is what a field's strings are written as; nil removes the key.
func (fl *field) value() any {
	switch fl.Type {
	case content.Flag:
		if fl.Value == "true" {
			return true
		}
		return nil
	case content.Lines, content.Names:
		if items := clean(fl.Items); len(items) > 0 {
			return items
		}
		return nil
	case content.Group:
		m := mapValue(fl.Sub, false)
		if fl.Bare && len(m) == 1 && m[0].Key == fl.Sub[0].Key {
			return m[0].Value // the first field alone, as such a group is usually written
		}
		if len(m) > 0 {
			return m
		}
		return nil
	case content.Rows:
		var rows []fm.Fields
		for _, row := range nonEmptyRows(fl.Rows) {
			rows = append(rows, mapValue(row, true))
		}
		if len(rows) > 0 {
			return rows
		}
		return nil
	}
	if fl.Value == "" {
		if fl.Required {
			return "" // reported as missing, at its line
		}
		return nil
	}
	return scalarValue(fl.Type, fl.Value)
}

// mapValue is a set of fields as written: empty ones left out, and in a
// row a Choice at its default too (the default need not be written).
func mapValue(fields []*field, row bool) fm.Fields {
	var m fm.Fields
	for _, s := range fields {
		if s.Value == "" || row && s.Type == content.Choice && s.Value == s.Choices[0] {
			continue
		}
		if s.Type == content.LineList {
			if lines := clean(strings.Split(s.Value, "\n")); len(lines) > 0 {
				m = append(m, fm.KV{Key: s.Key, Value: lines})
			}
			continue
		}
		m = append(m, fm.KV{Key: s.Key, Value: scalarValue(s.Type, s.Value)})
	}
	return m
}

// scalarValue writes numbers and dates bare, so they are read back as
// numbers and dates; anything else is text (and a number field that is
// not a number is text the build reports at its line).
func scalarValue(t content.FieldType, s string) any {
	switch t {
	case content.Whole:
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return fm.Literal(s)
		}
	case content.Number:
		if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "xXpP_") {
			return fm.Literal(s)
		}
	case content.Day:
		if _, err := time.Parse(time.DateOnly, s); err == nil {
			return fm.Literal(s)
		}
		if _, err := time.Parse(time.RFC3339, s); err == nil {
			return fm.Literal(s)
		}
	}
	return s
}
