package frontmatter

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Editing in place: Patch changes top-level fields of a content file and
// leaves every other byte as it was (comments, key order, quoting, blank
// lines, line ends, the body), so a form can save a file people also
// edit by hand.

// KV is one key and its value.
type KV struct {
	Key   string
	Value any
}

// Fields is a set of fields in order: a map in YAML, a table in TOML.
// (Map is the Kind of a decoded one.)
type Fields []KV

// Literal is written as it is, unquoted: a date such as 2026-11-23, which
// YAML and TOML both read as a date. It may hold letters, digits, spaces
// and - : . + _ only.
type Literal string

// Change sets the top-level field Key to Value, or removes it when Value
// is nil. Value is a string, bool, int, int64, float64, Literal,
// []string, []any of these, Fields or []Fields; the values in Fields
// may be any of them but nil.
type Change struct {
	Key   string
	Value any
}

// Patch returns src with the changes made to its front matter, YAML
// between --- lines or TOML between +++ lines; a file without front
// matter gets a YAML one at the top. A new key goes after the nearest key
// before it in order (the usual order of keys) that the file has, else
// before the nearest one after it, else last; in TOML a plain key goes
// before the first [table]. A changed key's lines are written anew, in
// the style it had where cheap (a list in brackets stays so, a block
// list keeps its indent, a comment after a one-line value stays); a
// removed key takes its lines but not the comment above it. Every other
// line stays byte for byte, the body too. In TOML a Fields or []Fields
// is a [key] or [[key]] section after the plain keys, unless the file had
// it inline.
//
// The result is parsed again: each changed key must read back as set and
// every other as it was. Patch returns an error instead when it cannot
// change the file safely: a field holding a YAML anchor or alias, fields
// not at the start of their lines or in braces, JSON front matter, a
// file Parse refuses (too long, badly nested, not UTF-8).
func Patch(src []byte, order []string, changes ...Change) ([]byte, error) {
	before, err := Parse(src) // the size, nesting and encoding checks
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		if c.Key == "" {
			return nil, fmt.Errorf("a change has no key")
		}
		if err := checkValue(c.Key, c.Value, 0); err != nil {
			return nil, err
		}
	}
	m, head, tail := &meta{format: before.Format, nl: "\n", first: 2}, src[:0], src[:0]
	start := 0
	if bytes.HasPrefix(src, bom) {
		start = len(bom)
	}
	if before.Format == None {
		if t := bytes.TrimLeft(src[start:], " \t\r\n"); bytes.HasPrefix(t, []byte("{")) {
			if _, err := ParseJSON(src); err == nil {
				return nil, &Error{Pos: Pos{1, 1}, Msg: "the file starts with JSON front matter ({ … }), which otpress does not read or change; convert it to YAML between --- lines, or edit the file in a text editor"}
			}
		}
		m.format = YAML
		if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
			m.nl = "\r\n"
		}
		head = append([]byte(string(src[:start])), "---"+m.nl...)
		tail = append([]byte("---"+m.nl), src[start:]...)
	} else {
		_, text, _, _, _, _ := Split(src)
		open := start + bytes.IndexByte(src[start:], '\n') + 1
		if src[open-2] == '\r' {
			m.nl = "\r\n"
		}
		head, tail = src[:open], src[open+len(text):]
		m.lines = strings.SplitAfter(string(text), "\n")
		m.lines = m.lines[:len(m.lines)-1] // text ends with a line end
	}
	if m.format == YAML && strings.Contains(strings.ReplaceAll(m.text(), "\r\n", ""), "\r") {
		return nil, &Error{Pos: Pos{2, 1}, Msg: "the front matter has a line that ends in a lone carriage return (an old Mac line end); edit the file in a text editor, or save it with ordinary line ends"}
	}
	for _, c := range changes {
		if err := m.change(order, c); err != nil {
			return nil, err
		}
	}
	if before.Format == None && len(m.lines) == 0 {
		return src, nil
	}
	out := append(append(append([]byte{}, head...), m.text()...), tail...)
	if err := check(before, out, changes); err != nil {
		return nil, err
	}
	return out, nil
}

// SetBody returns src with everything after the front matter's closing
// line replaced by body (the whole file, a byte-order mark apart, when it
// has no front matter).
func SetBody(src, body []byte) ([]byte, error) {
	format, _, _, old, _, err := Split(src)
	if err != nil {
		return nil, err
	}
	out := append([]byte{}, src[:len(src)-len(old)]...)
	if format != None && len(body) > 0 && out[len(out)-1] != '\n' {
		// the closing line was the last, without a line end
		nl := "\n"
		if i := bytes.IndexByte(out, '\n'); out[i-1] == '\r' {
			nl = "\r\n"
		}
		out = append(out, nl...)
	}
	out = append(out, body...)
	if format == None {
		if f, _, _, _, _, _ := Split(out); f != None {
			return nil, &Error{Pos: Pos{1, 1}, Msg: "the text starts with a --- or +++ line, which would be read as front matter; start it with another line"}
		}
	}
	return out, nil
}

// meta is the front matter being edited, a line (with its line end) to an
// element.
type meta struct {
	format Format
	lines  []string
	nl     string // the file's line end, written after new lines
	first  int    // the file line of lines[0]
}

func (m *meta) text() string { return strings.Join(m.lines, "") }

// span is the lines [start, end) of the front matter one top-level key
// takes. A TOML key may take several: a section for each [[key]].
type span struct {
	key        string
	start, end int
	section    bool // TOML: a [key], [key.sub] or [[key]] section
	anchored   bool // YAML: the field holds an anchor or an alias
	style      style
}

// style is how a value is written, so a new value can be written alike.
type style struct {
	flow      bool   // YAML: a list or map in brackets or braces
	flowItems bool   // YAML: a list of maps each in braces
	indent    int    // YAML: spaces before a list's "- " or a map's keys
	items     string // TOML: an array with an item a line, indented thus
	comment   string // a comment after a one-line value, spaces included
}

var newStyle = style{indent: 2}

func (m *meta) pos(line int) Pos { return Pos{m.first + line, 1} }

func cannot(p Pos, key, why string) *Error {
	return &Error{Pos: p, Msg: fmt.Sprintf("the editor cannot change %q: %s; edit this field in a text editor", key, why)}
}

func blank(line string) bool { return strings.TrimSpace(line) == "" }

// change makes one change to m.
func (m *meta) change(order []string, c Change) error {
	spans, err := m.spans()
	if err != nil {
		return err
	}
	var mine []int
	for i, s := range spans {
		if s.key == c.Key {
			mine = append(mine, i)
			if s.anchored {
				return cannot(m.pos(s.start), c.Key, "it holds a YAML anchor (&) or alias (*), which other fields may share")
			}
		}
	}
	if c.Value == nil {
		m.remove(spans, mine)
		return nil
	}
	st := newStyle
	section := m.format == TOML && isTable(c.Value)
	if len(mine) > 0 {
		old := spans[mine[0]]
		st = old.style
		section = section && old.section
		if old.section == section {
			// replace the first span and those after it with only
			// blank lines and comments between; remove any other
			last := mine[0]
			for _, i := range mine[1:] {
				if i == last+1 {
					last = i
				}
			}
			var later []int
			for _, i := range mine {
				if i > last {
					later = append(later, i)
				}
			}
			m.remove(spans, later)
			text := m.render(c.Key, c.Value, st, section)
			m.lines = slices.Replace(m.lines, old.start, spans[last].end, text...)
			return nil
		}
		m.remove(spans, mine)
		if spans, err = m.spans(); err != nil {
			return err
		}
		st = newStyle
	}
	m.insert(spans, order, c.Key, m.render(c.Key, c.Value, st, section), section)
	return nil
}

// isTable reports a value TOML writes as a section.
func isTable(v any) bool {
	switch v := v.(type) {
	case Fields:
		return true
	case []Fields:
		return len(v) > 0
	}
	return false
}

// remove takes out the spans at idx (in order), and for each a blank line
// when one would be left on either side.
func (m *meta) remove(spans []span, idx []int) {
	free := func(line int) bool { // not part of a value (a |+ scalar's blank lines are)
		for _, s := range spans {
			if line >= s.start && line < s.end {
				return false
			}
		}
		return true
	}
	for k := len(idx) - 1; k >= 0; k-- {
		s := spans[idx[k]]
		m.lines = slices.Delete(m.lines, s.start, s.end)
		p := s.start
		switch {
		case p < len(m.lines) && blank(m.lines[p]) && (p == 0 || blank(m.lines[p-1]) && free(p-1)):
			m.lines = slices.Delete(m.lines, p, p+1)
		case p == len(m.lines) && p > 0 && blank(m.lines[p-1]) && free(p-1):
			m.lines = slices.Delete(m.lines, p-1, p)
		}
	}
}

// insert puts the lines of a new key where order says.
func (m *meta) insert(spans []span, order []string, key string, text []string, section bool) {
	var cand []int
	for i, s := range spans {
		if s.section == section {
			cand = append(cand, i)
		}
	}
	find := func(k string) (first, last int) {
		first, last = -1, -1
		for _, i := range cand {
			if spans[i].key == k {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		return first, last
	}
	// lead is where the comment lines right above span i start
	lead := func(i int) int {
		l, top := spans[i].start, 0
		if i > 0 {
			top = spans[i-1].end
		}
		for l > top && strings.HasPrefix(strings.TrimLeft(m.lines[l-1], " \t"), "#") && (m.format == TOML || m.lines[l-1][0] == '#') {
			l--
		}
		return l
	}
	at := -1
	if k := slices.Index(order, key); k >= 0 {
		for i := k - 1; i >= 0 && at < 0; i-- {
			if _, last := find(order[i]); last >= 0 {
				at = spans[last].end
			}
		}
		for _, o := range order[k+1:] {
			if first, _ := find(o); first >= 0 && at < 0 {
				at = lead(first)
			}
		}
	}
	if at < 0 && len(cand) > 0 {
		at = spans[cand[len(cand)-1]].end
	}
	if at < 0 {
		at = len(m.lines)
		for i, s := range spans {
			if s.section { // a plain TOML key with none before it
				at = lead(i)
				break
			}
		}
	}
	if m.format == TOML {
		beforeTable := false
		for i, s := range spans {
			beforeTable = beforeTable || s.section && lead(i) == at
		}
		if at < len(m.lines) && !blank(m.lines[at]) && (section || beforeTable && len(cand) == 0) {
			text = append(text, m.nl)
		}
		if section && at > 0 && !blank(m.lines[at-1]) {
			text = append([]string{m.nl}, text...)
		}
	}
	m.lines = slices.Insert(m.lines, at, text...)
}

// spans finds where each top-level key is, in order.
func (m *meta) spans() ([]span, error) {
	if m.format == TOML {
		return m.tomlSpans()
	}
	return m.yamlSpans()
}

func (m *meta) yamlSpans() ([]span, error) {
	// goccy/go-yaml counts the "\r\n" after a comment as two lines;
	// Patch refuses lone "\r", so without them the lines are the same
	src := []byte(strings.ReplaceAll(m.text(), "\r\n", "\n"))
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, nil
	}
	f, err := parser.ParseBytes(src, parser.ParseComments)
	if err != nil {
		return nil, &Error{Pos: m.pos(0), Msg: "the front matter does not read as YAML after the change (" + err.Error() + "); edit the file in a text editor"}
	}
	var fields []*ast.MappingValueNode
	for _, d := range f.Docs {
		switch b := d.Body.(type) {
		case nil, *ast.CommentGroupNode:
		case *ast.MappingNode:
			if b.IsFlowStyle {
				return nil, &Error{Pos: m.pos(0), Msg: "the front matter is written in braces ({ … }); edit the file in a text editor"}
			}
			fields = append(fields, b.Values...)
		case *ast.MappingValueNode:
			fields = append(fields, b)
		default:
			return nil, &Error{Pos: m.pos(0), Msg: "the front matter is not a set of fields; edit the file in a text editor"}
		}
	}
	spans := make([]span, len(fields))
	for i, mv := range fields {
		tk := mv.Key.GetToken()
		s := &spans[i]
		s.key, s.start, s.style = tk.Value, tk.Position.Line-1, newStyle
		if tk.Position.Column != 1 || i > 0 && s.start <= spans[i-1].start || s.start >= len(m.lines) ||
			!strings.HasPrefix(m.lines[s.start], strings.TrimLeft(tk.Origin, " \t\r\n")) {
			return nil, cannot(m.pos(s.start), s.key, "the field does not start at the beginning of its line")
		}
		ast.Walk(&yamlLook{s: s, line: tk.Position.Line, text: m.lines[s.start]}, mv)
	}
	for i := range spans {
		s := &spans[i]
		next := len(m.lines)
		if i+1 < len(spans) {
			next = spans[i+1].start
		}
		// blank lines and comments at the start of a line before the
		// next key are the next key's
		s.end = next
		for s.end > s.start+1 && (blank(m.lines[s.end-1]) || m.lines[s.end-1][0] == '#') {
			s.end--
		}
		if keepsBlankLines(fields[i].Value) {
			for s.end < next && blank(m.lines[s.end]) {
				s.end++
			}
		}
		if s.end > s.start+1 {
			s.style.comment = ""
		}
	}
	return spans, nil
}

// keepsBlankLines reports a |+ or >+ block scalar, whose blank lines at
// the end are part of its text.
func keepsBlankLines(n ast.Node) bool {
	if t, ok := n.(*ast.TagNode); ok {
		n = t.Value
	}
	l, ok := n.(*ast.LiteralNode)
	return ok && strings.Contains(l.Start.Value, "+")
}

// yamlLook walks a top-level field for its style, anchors and aliases, and
// a comment at the end of its key's line.
type yamlLook struct {
	s    *span
	line int
	text string
	seen bool // the value, under any tag
}

func (y *yamlLook) Visit(n ast.Node) ast.Visitor {
	switch n := n.(type) {
	case *ast.AnchorNode, *ast.AliasNode, *ast.MergeKeyNode:
		y.s.anchored = true
	case *ast.CommentGroupNode:
		tk := n.GetToken()
		if c := tk.Position.Column - 1; tk.Position.Line == y.line && c > 0 && c < len(y.text) && y.text[c] == '#' {
			i := c
			for i > 0 && (y.text[i-1] == ' ' || y.text[i-1] == '\t') {
				i--
			}
			y.s.style.comment = strings.TrimRight(y.text[i:], "\r\n")
		}
	case *ast.MappingValueNode:
		if !y.seen { // the field itself
			v := n.Value
			if t, ok := v.(*ast.TagNode); ok {
				v = t.Value
			}
			switch v := v.(type) {
			case *ast.SequenceNode:
				y.s.style.flow = v.IsFlowStyle
				if !v.IsFlowStyle {
					y.s.style.indent = v.Start.Position.Column - 1
					if len(v.Values) > 0 {
						mn, ok := v.Values[0].(*ast.MappingNode)
						y.s.style.flowItems = ok && mn.IsFlowStyle
					}
				}
			case *ast.MappingNode:
				y.s.style.flow = v.IsFlowStyle
				if !v.IsFlowStyle && len(v.Values) > 0 {
					y.s.style.indent = v.Values[0].Key.GetToken().Position.Column - 1
				}
			case *ast.MappingValueNode:
				y.s.style.indent = v.Key.GetToken().Position.Column - 1
			}
			if y.s.style.indent < 0 || y.s.style.indent > 16 {
				y.s.style.indent = 2
			}
			y.seen = true
		}
	}
	return y
}

func (m *meta) tomlSpans() ([]span, error) {
	src := []byte(m.text())
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	lineOf := func(off uint32) int { return sort.SearchInts(starts, int(off)+1) - 1 }
	var p unstable.Parser
	p.Reset(src)
	var spans []span
	table := -1 // the span of the section the parser is in
	for p.NextExpression() {
		e := p.Expression()
		it := e.Key()
		if !it.Next() {
			continue
		}
		k := it.Node()
		switch e.Kind {
		case unstable.KeyValue:
			first, last := lineOf(e.Raw.Offset), lineOf(e.Raw.Offset+e.Raw.Length-1)
			if table >= 0 {
				spans[table].end = last + 1
				continue
			}
			s := span{key: string(k.Data), start: first, end: last + 1}
			if e.Value().Kind == unstable.Array && last > first {
				s.style.items = m.lines[first+1][:len(m.lines[first+1])-len(strings.TrimLeft(m.lines[first+1], " \t"))]
				if s.style.items == "" {
					s.style.items = "  "
				}
			}
			end := len(src)
			if last+1 < len(starts) {
				end = starts[last+1]
			}
			if rest := string(src[e.Raw.Offset+e.Raw.Length : end]); last == first && strings.HasPrefix(strings.TrimSpace(rest), "#") {
				s.style.comment = strings.TrimRight(rest, "\r\n")
			}
			spans = append(spans, s)
		case unstable.Table, unstable.ArrayTable:
			line := lineOf(k.Raw.Offset)
			spans = append(spans, span{key: string(k.Data), start: line, end: line + 1, section: true})
			table = len(spans) - 1
		}
	}
	if err := p.Error(); err != nil {
		return nil, &Error{Pos: m.pos(0), Msg: "the front matter does not read as TOML after the change (" + err.Error() + "); edit the file in a text editor"}
	}
	return spans, nil
}

// render writes a key and its value as lines ending in m.nl.
func (m *meta) render(key string, v any, st style, section bool) []string {
	var b strings.Builder
	switch {
	case m.format == YAML:
		b.WriteString(yamlKey(key, false) + ":")
		yamlAfter(&b, 0, v, st)
	case section:
		maps, _ := v.([]Fields)
		header := "[[" + tomlKey(key) + "]]\n"
		if one, ok := v.(Fields); ok {
			maps, header = []Fields{one}, "["+tomlKey(key)+"]\n"
		}
		for i, mp := range maps {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(header)
			for _, kv := range mp {
				b.WriteString(tomlKey(kv.Key) + " = " + m.toml(kv.Value, "", true) + "\n")
			}
		}
	default:
		b.WriteString(tomlKey(key) + " = " + m.toml(v, st.items, true) + "\n")
	}
	text := b.String()
	if st.comment != "" && strings.Count(text, "\n") == 1 {
		text = strings.TrimSuffix(text, "\n") + st.comment + "\n"
	}
	lines := strings.SplitAfter(text, "\n")
	lines = lines[:len(lines)-1]
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\n") + m.nl
	}
	return lines
}

// yamlAfter writes what follows "key:" or "-" at column col: a value on
// the same line, or lines indented below.
func yamlAfter(b *strings.Builder, col int, v any, st style) {
	pad := func(n int) { b.WriteString(strings.Repeat(" ", n)) }
	switch x := v.(type) {
	case Fields:
		if len(x) == 0 || st.flow {
			break
		}
		in := st.indent
		if in < 1 { // a list's style: its "- " may be under the key
			in = 2
		}
		b.WriteString("\n")
		for _, kv := range x {
			pad(col + in)
			b.WriteString(yamlKey(kv.Key, false) + ":")
			yamlAfter(b, col+in, kv.Value, newStyle)
		}
		return
	case []string, []any, []Fields:
		items := listOf(v)
		if len(items) == 0 || st.flow {
			break
		}
		b.WriteString("\n")
		for _, item := range items {
			pad(col + st.indent)
			b.WriteString("-")
			mp, isMap := item.(Fields)
			switch {
			case isMap && len(mp) > 0 && !st.flowItems:
				for i, kv := range mp {
					if i == 0 {
						b.WriteString(" ")
					} else {
						pad(col + st.indent + 2)
					}
					b.WriteString(yamlKey(kv.Key, false) + ":")
					yamlAfter(b, col+st.indent+2, kv.Value, newStyle)
				}
			case isMap || listOf(item) != nil:
				b.WriteString(" " + yamlFlow(item) + "\n")
			default:
				yamlAfter(b, col+st.indent, item, newStyle)
			}
		}
		return
	case string:
		if header, ok := literalHeader(x); ok {
			b.WriteString(" " + header + "\n")
			for _, l := range strings.Split(strings.TrimSuffix(x, "\n"), "\n") {
				if l != "" {
					pad(col + 2)
				}
				b.WriteString(l + "\n")
			}
			return
		}
	}
	b.WriteString(" " + yamlFlow(v) + "\n")
}

// listOf returns a list value's items, or nil.
func listOf(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	case []Fields:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return nil
}

// yamlFlow writes v on one line, lists in brackets and maps in braces.
func yamlFlow(v any) string {
	var parts []string
	switch x := v.(type) {
	case Fields:
		for _, kv := range x {
			parts = append(parts, yamlKey(kv.Key, true)+": "+yamlFlow(kv.Value))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []string, []any, []Fields:
		for _, item := range listOf(x) {
			parts = append(parts, yamlFlow(item))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case string:
		if plainYAML(x, true) {
			return x
		}
		return quoteYAML(x)
	}
	return scalar(v)
}

func yamlKey(k string, flow bool) string {
	if plainYAML(k, flow) {
		return k
	}
	return quoteYAML(k)
}

// plainYAML reports whether s may be written without quotes and read back
// as the same text: no indicator at its start, nothing YAML reads as
// another type (true, no, null, ~, numbers, dates), no ": " or " #", no
// space at either end, no character that is not printed. In flow (in
// brackets) no , [ ] { } : # either.
func plainYAML(s string, flow bool) bool {
	if s == "" || s != strings.TrimSpace(s) || strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`<=~.+0123456789") ||
		strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") ||
		strings.Contains(s, "<<") || // goccy/go-yaml reads a key with << in it as a merge key
		flow && strings.ContainsAny(s, ",[]{}:#") {
		return false
	}
	switch strings.ToLower(s) {
	case "null", "true", "false", "yes", "no", "on", "off", "y", "n":
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || r == '\t' {
			return false
		}
	}
	return true
}

// quoteYAML writes s in double quotes, with escapes for what is not printed.
func quoteYAML(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteString(`\` + string(r))
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			writeRune(&b, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// writeRune writes r, or an escape when it is not printed.
func writeRune(b *strings.Builder, r rune) {
	switch {
	case unicode.IsPrint(r):
		b.WriteRune(r)
	case r > 0xffff:
		fmt.Fprintf(b, `\U%08X`, r)
	default:
		fmt.Fprintf(b, `\u%04X`, r)
	}
}

// literalHeader returns the header of the block scalar s reads back from
// exactly, | (ending in one line end) or |- (in none), if there is one:
// lines of printed characters, the first not starting with a space.
func literalHeader(s string) (string, bool) {
	if !strings.Contains(s, "\n") || s[0] == ' ' || s[0] == '\n' || strings.HasSuffix(s, "\n\n") || strings.HasSuffix(s, " ") {
		// goccy/go-yaml drops the spaces at the end of a |- scalar
		return "", false
	}
	for _, l := range strings.Split(s, "\n") {
		if l != "" && blank(l) {
			return "", false
		}
		for _, r := range l {
			if !unicode.IsPrint(r) {
				return "", false
			}
		}
	}
	if strings.HasSuffix(s, "\n") {
		return "|", true
	}
	return "|-", true
}

// scalar writes a bool, number or Literal, alike in YAML and TOML.
func scalar(v any) string {
	switch x := v.(type) {
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		f := 'f'
		if a := math.Abs(x); a != 0 && (a < 1e-4 || a >= 1e21) {
			f = 'e'
		}
		s := strconv.FormatFloat(x, byte(f), -1, 64)
		if mant, exp, ok := strings.Cut(s, "e"); !strings.Contains(mant, ".") {
			// a number with no point reads back as a whole number
			s = mant + ".0"
			if ok {
				s += "e" + exp
			}
		}
		return s
	case Literal:
		return string(x)
	}
	return fmt.Sprint(v) // checkValue lets nothing else through
}

func bareKey(k string) bool {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return k != ""
}

func tomlKey(k string) string {
	if bareKey(k) {
		return k
	}
	return quoteTOML(k, false)
}

// quoteTOML writes s as a TOML basic string; multi-line between """ when
// it has line ends and may.
func quoteTOML(s string, multi bool) string {
	multi = multi && strings.Contains(s, "\n")
	var b strings.Builder
	if multi {
		b.WriteString(`"""` + "\n") // the line end after """ is not part of the text
	} else {
		b.WriteByte('"')
	}
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteString(`\` + string(r))
		case '\n':
			if multi {
				b.WriteByte('\n')
			} else {
				b.WriteString(`\n`)
			}
		case '\t':
			b.WriteString(`\t`)
		default:
			writeRune(&b, r)
		}
	}
	if multi {
		b.WriteString(`"""`)
	} else {
		b.WriteByte('"')
	}
	return b.String()
}

// toml writes v as a TOML value: top (a key's own value, not in an array
// or inline table) may take several lines; items is the indent of a list
// written an item a line.
func (m *meta) toml(v any, items string, top bool) string {
	var parts []string
	switch x := v.(type) {
	case string:
		// in a CRLF file the line ends in """ would be part of the text;
		// a line +++ would end the front matter
		multi := top && m.nl == "\n"
		for _, l := range strings.Split(x, "\n") {
			multi = multi && strings.TrimRight(l, " \t") != "+++"
		}
		return quoteTOML(x, multi)
	case Fields:
		if len(x) == 0 {
			return "{}"
		}
		for _, kv := range x {
			parts = append(parts, tomlKey(kv.Key)+" = "+m.toml(kv.Value, "", false))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case []string, []any, []Fields:
		for _, item := range listOf(x) {
			parts = append(parts, m.toml(item, "", false))
		}
		if items != "" && len(parts) > 0 {
			return "[\n" + items + strings.Join(parts, ",\n"+items) + ",\n]"
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return scalar(v)
}

// checkValue reports a value Patch cannot write.
func checkValue(key string, v any, depth int) error {
	if depth > MaxDepth {
		return fmt.Errorf("%q: the value is nested more than %d levels deep", key, MaxDepth)
	}
	switch x := v.(type) {
	case nil:
		if depth > 0 {
			return fmt.Errorf("%q: a list or Fields has a nil value; leave the item out instead", key)
		}
	case string:
		if !utf8.ValidString(x) {
			return fmt.Errorf("%q: the text is not valid UTF-8", key)
		}
	case bool, int, int64:
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return fmt.Errorf("%q: infinity and NaN cannot be written", key)
		}
	case Literal:
		ok := x != "" && x[0] != ' ' && x[len(x)-1] != ' '
		for _, r := range x {
			ok = ok && (r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) || strings.ContainsRune("-:.+_ ", r))
		}
		if !ok {
			return fmt.Errorf("%q: a Literal may hold letters, digits, - : . + _ and spaces between, as a date does", key)
		}
	case Fields:
		seen := map[string]bool{}
		for _, kv := range x {
			if kv.Key == "" || !utf8.ValidString(kv.Key) || seen[kv.Key] {
				return fmt.Errorf("%q: Fields have a key that is empty, not UTF-8 or given twice", key)
			}
			seen[kv.Key] = true
			if err := checkValue(key+"."+kv.Key, kv.Value, depth+1); err != nil {
				return err
			}
		}
	case []string, []any, []Fields:
		for _, item := range listOf(x) {
			if err := checkValue(key, item, depth+1); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%q: the editor cannot write a value of type %T", key, v)
	}
	return nil
}

// check parses the patched file: each changed key must read back as it
// was set, every other key as it was.
func check(before *Doc, out []byte, changes []Change) error {
	after, err := Parse(out)
	if err != nil {
		e := &Error{Pos: Pos{1, 1}, Msg: "the file would not read back after the change: " + err.Error() + "; edit it in a text editor"}
		if pe, ok := err.(*Error); ok {
			e.Msg, e.Hint = "the file would not read back after the change: "+pe.Msg, pe.Hint
		}
		return e
	}
	set := map[string]any{}
	for _, c := range changes {
		set[c.Key] = c.Value
	}
	n := 0
	for _, f := range before.Meta.Fields {
		if _, ok := set[f.Key]; ok {
			continue
		}
		n++
		if g := after.Meta.Get(f.Key); g == nil || !sameValue(f.Value, g.Value) {
			return cannot(f.KeyPos, f.Key, "changing the other fields would change it too")
		}
	}
	for k, v := range set {
		g := after.Meta.Get(k)
		if v != nil {
			n++
		}
		if v == nil && g != nil || v != nil && (g == nil || !same(g.Value, v)) {
			return cannot(Pos{1, 1}, k, "it would not read back as it was set")
		}
	}
	if len(after.Meta.Fields) != n {
		return &Error{Pos: Pos{1, 1}, Msg: "the change would add other fields; edit the file in a text editor"}
	}
	return nil
}

// same reports whether v is what x (a value as Change takes it) reads
// back as. A Literal may read back as any value but a list or map.
func same(v *Value, x any) bool {
	switch x := x.(type) {
	case string:
		return v.Kind == String && v.Str == x
	case bool:
		return v.Kind == Bool && v.Bool == x
	case int:
		return v.Kind == Int && v.Int == int64(x)
	case int64:
		return v.Kind == Int && v.Int == x
	case float64:
		return v.Kind == Float && v.Float == x
	case Literal:
		return v.Kind != List && v.Kind != Map && v.Kind != Null && (v.Kind != String || v.Str == string(x))
	case Fields:
		if v.Kind != Map || len(v.Fields) != len(x) {
			return false
		}
		for _, kv := range x {
			if f := v.Get(kv.Key); f == nil || !same(f.Value, kv.Value) {
				return false
			}
		}
		return true
	case []string, []any, []Fields:
		items := listOf(x)
		if v.Kind != List || len(v.List) != len(items) {
			return false
		}
		for i, item := range items {
			if !same(v.List[i], item) {
				return false
			}
		}
		return true
	}
	return false
}

// sameValue compares two decoded values, not their positions.
func sameValue(a, b *Value) bool {
	if a.Kind != b.Kind || a.Str != b.Str || a.Int != b.Int || a.Float != b.Float || a.Bool != b.Bool ||
		!a.Time.Equal(b.Time) || a.DateOnly != b.DateOnly || len(a.List) != len(b.List) || len(a.Fields) != len(b.Fields) {
		return false
	}
	for i := range a.List {
		if !sameValue(a.List[i], b.List[i]) {
			return false
		}
	}
	for _, f := range a.Fields {
		if g := b.Get(f.Key); g == nil || !sameValue(f.Value, g.Value) {
			return false
		}
	}
	return true
}
