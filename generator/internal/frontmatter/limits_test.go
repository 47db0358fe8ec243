package frontmatter

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestLimits: nesting, fields, aliases and what aliases repeat, each just
// within its limit and just past it, in YAML and TOML; past a limit the
// error is at the place it was passed.
func TestLimits(t *testing.T) {
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	block := func(n int) string { // n - 1 sets of fields under the top one
		var b strings.Builder
		for i := range n - 1 {
			fmt.Fprintf(&b, "%sk:\n", strings.Repeat("  ", i))
		}
		return b.String() + strings.Repeat("  ", n-1) + "k: 1\n"
	}
	keys := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "k%d: 1\n", i)
		}
		return b.String()
	}
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for _, c := range "bcde" {
		laughs += fmt.Sprintf("%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*%c, ", c-1), 10), ", "))
	}
	tests := []struct {
		name string
		src  string // front matter, without the --- or +++ lines
		toml bool
		pos  Pos // of the error; zero for none
		msg  string
	}{
		{name: "flow lists at the limit", src: "x: " + deep("[", "]", MaxDepth-1)},
		{name: "flow lists past it", src: "x: " + deep("[", "]", MaxDepth), pos: Pos{2, 3 + MaxDepth}, msg: "nested more than 32 levels deep here; otpress allows 32"},
		{name: "flow maps past it", src: "x: " + deep("{a: ", "}", MaxDepth), pos: Pos{2, 4 + 4*(MaxDepth-1)}, msg: "nested more than 32"},
		{name: "fields at the limit", src: block(MaxDepth)},
		{name: "fields past it", src: block(MaxDepth + 1), pos: Pos{2 + MaxDepth, 1 + 2*MaxDepth}, msg: "nested more than 32"},
		{name: "compact lists past it", src: "x: 1\ny:\n  " + strings.Repeat("- ", MaxDepth) + "z", pos: Pos{4, 3 + 2*(MaxDepth-1)}, msg: "nested more than 32"},
		{name: "compact lists at the limit", src: "y:\n  " + strings.Repeat("- ", MaxDepth-1) + "z"},
		{name: "brackets in quoted text and block text", src: "a: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\nb: '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'\nc: |\n  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n  {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\nd: x [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ # [[[[\n"},
		{name: "keys at the limit", src: keys(MaxKeys)},
		{name: "keys past it", src: keys(MaxKeys + 1), pos: Pos{2 + MaxKeys, 1}, msg: "more than 1000 fields"},
		{name: "aliases past their number", src: "a: &a x\nb: [" + strings.TrimSuffix(strings.Repeat("*a, ", MaxAliases+1), ", ") + "]", pos: Pos{3, 5 + 4*MaxAliases}, msg: "more than 1000 aliases"},
		{name: "a billion laughs", src: laughs, pos: Pos{5, 8 + 4*7}, msg: "repeat more than 10000 values"},
		{name: "toml arrays at the limit", toml: true, src: "x = " + deep("[", "]", MaxDepth-1)},
		{name: "toml arrays past it", toml: true, src: "x = " + deep("[", "]", MaxDepth), pos: Pos{2, 4 + MaxDepth}, msg: "nested more than 32"},
		{name: "toml inline tables past it", toml: true, src: "x = " + deep("{a = ", "}", MaxDepth), pos: Pos{2, 5 + 5*(MaxDepth-1)}, msg: "nested more than 32"},
		{name: "toml headers past it", toml: true, src: "[" + strings.Repeat("a.", MaxDepth-1) + "a]\nb = 1", pos: Pos{2, 2 + 2*(MaxDepth-1) - 1}, msg: "tables are nested more than 32"},
		{name: "toml dotted keys past it", toml: true, src: strings.Repeat("a.", MaxDepth) + "a = 1", pos: Pos{2, 2 * MaxDepth}, msg: "fields are nested more than 32"},
		{name: "toml brackets in strings", toml: true, src: "a = \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\nb = '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'\nc = \"\"\"\n[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n\"\"\"\n# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			delim := "---"
			if tt.toml {
				delim = "+++"
			}
			_, err := Parse([]byte(delim + "\n" + tt.src + "\n" + delim + "\nText.\n"))
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("Parse() = %v; want no error", err)
				}
				return
			}
			fe, ok := err.(*Error)
			if !ok {
				t.Fatalf("Parse() error = %v; want %q at %v", err, tt.msg, tt.pos)
			}
			if fe.Pos != tt.pos || !strings.Contains(fe.Msg, tt.msg) || fe.Hint == "" {
				t.Errorf("Parse() error = %q at %v (hint %q); want %q at %v", fe.Msg, fe.Pos, fe.Hint, tt.msg, tt.pos)
			}
		})
	}
}

// TestFrontMatterSize: front matter past MaxFrontMatter is refused at the
// line where it passes the limit.
func TestFrontMatterSize(t *testing.T) {
	line := "  " + strings.Repeat("x", 1000) + "\n"
	n := (MaxFrontMatter - len("summary: |\n")) / len(line)
	_, err := Parse([]byte("---\nsummary: |\n" + strings.Repeat(line, n) + "---\nText.\n"))
	if err != nil {
		t.Fatalf("%d bytes of front matter: %v", n*len(line), err)
	}
	_, err = Parse([]byte("---\nsummary: |\n" + strings.Repeat(line, n+2) + "---\nText.\n"))
	fe, ok := err.(*Error)
	if !ok || fe.Pos != (Pos{3 + n, 1}) || !strings.Contains(fe.Msg, "longer than 256 KB") {
		t.Fatalf("Parse() = %v; want the front matter too long at line %d", err, 3+n)
	}
}

// TestDecodeParts: a data file with more top-level keys than MaxKeys is
// read in parts, as if whole: every key in order with its place, a key
// given twice in two parts, and aliases, which cannot cross parts.
func TestDecodeParts(t *testing.T) {
	var b strings.Builder
	b.WriteString("# a source list\n")
	for i := range 3 * MaxKeys {
		fmt.Fprintf(&b, "w%d:\n  title: \"Work %d\"\n  page: [1, 2]\n", i, i)
	}
	src := b.String()
	v, err := Decode([]byte(src), YAML)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Fields) != 3*MaxKeys {
		t.Fatalf("%d keys; want %d", len(v.Fields), 3*MaxKeys)
	}
	for i, f := range v.Fields {
		if f.Key != fmt.Sprintf("w%d", i) || f.KeyPos != (Pos{2 + 3*i, 1}) || f.Value.Get("title").Value.Str != fmt.Sprintf("Work %d", i) ||
			f.Value.Get("page").Value.Pos != (Pos{4 + 3*i, 9}) {
			t.Fatalf("key %d = %q at %v (%+v); want w%d at %d:1", i, f.Key, f.KeyPos, f.Value.Get("title").Value, i, 2+3*i)
		}
	}
	_, err = Decode([]byte(src+"w5:\n  title: again\n"), YAML)
	if fe, ok := err.(*Error); !ok || fe.Pos != (Pos{2 + 9*MaxKeys, 1}) || !strings.Contains(fe.Msg, `"w5" is given twice (first on line 17)`) {
		t.Errorf("a key twice = %v; want it at line %d", err, 2+9*MaxKeys)
	}
	_, err = Decode([]byte("a: &a x\n"+src+"b: *a\n"), YAML)
	if fe, ok := err.(*Error); !ok || fe.Pos != (Pos{3 + 3*(MaxKeys-1), 1}) || !strings.Contains(fe.Msg, "aliases") {
		t.Errorf("aliases in a long list = %v; want an error at line %d", err, 3+3*(MaxKeys-1))
	}
}

// FuzzLimits builds nested front matter from the fuzzer's bytes: each byte
// opens one more list or set of fields, in one of the ways YAML and TOML
// write them, around text with brackets in it. Within the limits it must
// parse, and as it does without the pre-scan; past them the error names
// the nesting at a place in the file; nothing panics.
func FuzzLimits(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7}, false)
	f.Add(repeat(40, 3), false)
	f.Add(repeat(31, 2), true)
	f.Add(repeat(33, 7), true)
	f.Fuzz(func(t *testing.T, recipe []byte, toml bool) {
		if len(recipe) > 3*MaxDepth {
			recipe = recipe[:3*MaxDepth]
		}
		src, depth := nestYAML(recipe)
		delim, parse := "---", parseYAML
		if toml {
			src, depth = nestTOML(recipe)
			delim, parse = "+++", parseTOML
		}
		file := delim + "\n" + src + delim + "\nText.\n"
		doc, err := Parse([]byte(file))
		if depth <= MaxDepth {
			if err != nil {
				t.Fatalf("depth %d, within the limit, failed: %v\n%s", depth, err, file)
			}
			want, err := parse([]byte(src), 2)
			if err != nil || !reflect.DeepEqual(doc.Meta, want) {
				t.Fatalf("parsed differently without the pre-scan (%v)\n%s", err, file)
			}
			return
		}
		fe, ok := err.(*Error)
		lines := strings.Split(file, "\n")
		if !ok || !strings.Contains(fe.Msg, "nested more than") || fe.Pos.Line < 2 || fe.Pos.Line >= len(lines) ||
			fe.Pos.Col < 1 || fe.Pos.Col > len(lines[fe.Pos.Line-1])+1 {
			t.Fatalf("depth %d, past the limit: error %v; want one about nesting inside the file\n%s", depth, err, file)
		}
	})
}

func repeat(n int, b byte) []byte { return []byte(strings.Repeat(string(rune(b)), n)) }

// nestYAML writes front matter nested one level for each byte of recipe
// and returns it with its depth: the top-level set of fields is 1.
func nestYAML(recipe []byte) (string, int) {
	sp := func(n int) string { return strings.Repeat(" ", n) }
	leaf := func(b byte) string {
		switch b % 4 {
		case 0:
			return "v"
		case 1:
			return `"[[{ text ]"`
		case 2:
			return "'{[ it''s'"
		}
		return "v [[[ # {{{"
	}
	var flow func(r []byte) string
	flow = func(r []byte) string {
		if len(r) == 0 {
			return "v"
		}
		if r[0]%2 == 0 {
			return "[" + flow(r[1:]) + ", w]"
		}
		return "{k: " + flow(r[1:]) + ", j: \"[\"}"
	}
	var value, item func(r []byte, col int) string
	// value is what follows "k:" at column col
	value = func(r []byte, col int) string {
		if len(r) == 0 {
			return " " + leaf(byte(col))
		}
		switch r[0] % 8 {
		case 0:
			return "\n" + sp(col+2) + "k:" + value(r[1:], col+2)
		case 1:
			return " # a comment [[\n" + sp(col+2) + "a: |\n" + sp(col+4) + "[[[ text {{\n" + sp(col+2) + "k:" + value(r[1:], col+2)
		case 2:
			return "\n" + sp(col+2) + "- " + item(r[1:], col+2)
		case 3:
			return "\n" + sp(col) + "- " + item(r[1:], col) // a list at its key's column
		case 4:
			return " &x\n" + sp(col+2) + "k:" + value(r[1:], col+2)
		default:
			return " " + flow(r)
		}
	}
	// item is what follows "- " whose dash is at column col
	item = func(r []byte, col int) string {
		if len(r) == 0 {
			return leaf(byte(col))
		}
		switch r[0] % 8 {
		case 0, 1:
			return "k:" + value(r[1:], col+2) + "\n" + sp(col+2) + "j: 1"
		case 2, 3:
			return "- " + item(r[1:], col+2)
		case 4:
			return "|\n" + sp(col+2) + "{{{ text\n" + sp(col) + "- - " + item(r[1:], col+2)
		default:
			return flow(r)
		}
	}
	return "title: T\nk:" + value(recipe, 0) + "\nlast: 1\n", 1 + len(recipe)
}

// nestTOML writes TOML nested one level for each byte of recipe: a table
// header's parts, a dotted key's, then arrays and inline tables.
func nestTOML(recipe []byte) (string, int) {
	head, dots := 0, 0
	for head < len(recipe) && recipe[head]%3 == 0 {
		head++
	}
	for head+dots < len(recipe) && recipe[head+dots]%3 == 1 {
		dots++
	}
	var b strings.Builder
	b.WriteString("title = \"T\"\ns = \"[[[ {{{\" # [[[\n")
	if head > 0 {
		b.WriteString("[" + strings.TrimSuffix(strings.Repeat("t.", head), ".") + "]\n")
	}
	b.WriteString(strings.Repeat("d.", dots) + "k = ")
	var closing []string
	inline := false // no new lines in an inline table
	for _, r := range recipe[head+dots:] {
		if r%2 == 0 && !inline {
			b.WriteString("[\n  '[[', ")
			closing = append(closing, "]")
		} else if r%2 == 0 {
			b.WriteString("[ '[[', ")
			closing = append(closing, "]")
		} else {
			inline = true
			b.WriteString("{ a = \"{{\", k = ")
			closing = append(closing, "}")
		}
	}
	b.WriteString("1")
	for i := len(closing) - 1; i >= 0; i-- {
		b.WriteString(closing[i])
	}
	b.WriteString("\n")
	return b.String(), 1 + len(recipe)
}
