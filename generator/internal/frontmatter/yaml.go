package frontmatter

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// maxDepth bounds the recursion of the conversion below. The pre-scan
// (limits.go) holds nesting to MaxDepth before the parser runs; this is
// the backstop should the two ever read a file differently.
const maxDepth = 2 * MaxDepth

// decodeYAML checks the limits and decodes; data is set for a data file,
// whose top level may have more keys than MaxKeys.
func decodeYAML(src []byte, firstLine int, data bool) (*Value, error) {
	tops, err := scanYAML(src, firstLine, data)
	if err != nil {
		return nil, err
	}
	if tops != nil {
		return parseYAMLParts(src, firstLine, tops)
	}
	return parseYAML(src, firstLine)
}

// parseYAMLParts parses a data file whose top level has more keys than
// goccy/go-yaml reads quickly in one mapping (it copies the rest of the
// mapping after each key) in parts of partKeys top-level keys, each cut
// at the line of a top-level key, and joins them.
func parseYAMLParts(src []byte, firstLine int, tops []int) (*Value, error) {
	const partKeys = 500
	root := &Value{Kind: Map, Pos: Pos{firstLine, 1}}
	seen := map[string]Pos{}
	start, line := 0, firstLine
	for k := partKeys; start < len(src); k += partKeys {
		end := len(src)
		if k < len(tops) {
			end = tops[k]
		}
		part, err := parseYAML(src[start:end], line)
		if err != nil {
			return nil, err
		}
		for _, f := range part.Fields {
			if prev, ok := seen[f.Key]; ok {
				return nil, duplicateKey(f.Key, prev, f.KeyPos)
			}
			seen[f.Key] = f.KeyPos
			root.Fields = append(root.Fields, f)
		}
		line += bytes.Count(src[start:end], []byte("\n"))
		start = end
	}
	return root, nil
}

// parseYAML parses and converts YAML that is within the limits.
func parseYAML(src []byte, firstLine int) (*Value, error) {
	if len(strings.TrimSpace(string(src))) == 0 {
		return &Value{Kind: Map, Pos: Pos{firstLine, 1}}, nil
	}
	// goccy/go-yaml counts the CR LF after a comment as two lines, so
	// fields below a comment would be placed too low; CR LF is read as LF
	if bytes.Contains(src, []byte("\r\n")) {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	lines := newYAMLLines(src, firstLine)
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, yamlError(err, lines)
	}
	y := yamlConv{lines: lines, anchors: map[string]anchor{}}
	var root *Value
	for _, d := range f.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if root != nil {
			return nil, &Error{Pos: y.pos(d.Body), Msg: "the front matter holds more than one YAML document", Hint: "remove the extra --- line inside the front matter"}
		}
		root, err = y.value(d.Body, 0)
		if err != nil {
			return nil, err
		}
	}
	if root == nil || root.Kind == Null {
		return &Value{Kind: Map, Pos: Pos{firstLine, 1}}, nil
	}
	if root.Kind != Map {
		return nil, &Error{Pos: root.Pos, Msg: fmt.Sprintf("the front matter is %s, not a set of fields", root.Kind), Hint: "write one field per line as key: value, e.g. title: My story"}
	}
	return root, nil
}

func yamlError(err error, lines yamlLines) error {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil {
		msg := se.Message
		at := lines.pos(se.Token.Position.Line, se.Token.Position.Column)
		if m := dupKey.FindStringSubmatch(msg); m != nil {
			first, _ := strconv.Atoi(m[2])
			return duplicateKey(m[1], lines.pos(first, 1), at)
		}
		return &Error{
			Pos:  at,
			Msg:  "YAML syntax: " + msg,
			Hint: "check the quotes, brackets and indentation on this line and the one before; text containing ': ' or starting with [ { * & ! | > ' \" % @ or a backquote must be quoted",
		}
	}
	return &Error{Pos: Pos{lines.first, 1}, Msg: "YAML syntax: " + err.Error()}
}

// yamlLines turns goccy/go-yaml's positions into the file's. The parser
// ends a line at "\r\n", "\n" or a lone "\r"; the file's lines, in every
// position otpress reports, end at "\n" alone. So front matter with lone
// carriage returns (old Mac line ends, or a stray one) has more YAML lines
// than file lines, and its positions are mapped back.
type yamlLines struct {
	first int // the file line of the front matter's first line
	// for each YAML line from the second, when there are lone carriage
	// returns: the file line it is on, from 0, and the characters before
	// it on that file line
	at []struct{ line, col int }
}

func newYAMLLines(src []byte, first int) yamlLines {
	l := yamlLines{first: first}
	lone := false
	for i, c := range src {
		if c == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			lone = true
			break
		}
	}
	if !lone {
		return l
	}
	line, lineStart := 0, 0
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\n':
			line, lineStart = line+1, i+1
			l.at = append(l.at, struct{ line, col int }{line, 0})
		case src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n':
			// the \n ends the line
		case src[i] == '\r':
			l.at = append(l.at, struct{ line, col int }{line, utf8.RuneCount(src[lineStart : i+1])})
		}
	}
	return l
}

// pos is the file position of YAML line and column (both from 1).
func (l yamlLines) pos(line, col int) Pos {
	col = max(1, col)
	if line < 2 || len(l.at) == 0 {
		return Pos{l.first + max(line, 1) - 1, col}
	}
	at := l.at[min(line-2, len(l.at)-1)]
	return Pos{l.first + at.line, at.col + col}
}

// dupKey matches goccy/go-yaml's duplicate-key message, whose position is
// relative to the front matter; we restate it in file lines.
var dupKey = regexp.MustCompile(`^mapping key "(.*)" already defined at \[(\d+):(\d+)\]`)

type yamlConv struct {
	lines   yamlLines
	anchors map[string]anchor
	// values counts the values made, and those aliases repeat; aliased
	// is held to MaxAliased
	values, aliased int
}

// anchor is an anchored value and how many values it stands for, those
// its own aliases repeat included.
type anchor struct {
	v    *Value
	size int
}

func (y *yamlConv) pos(n ast.Node) Pos {
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return Pos{y.lines.first, 1}
	}
	return y.lines.pos(tk.Position.Line, tk.Position.Column)
}

func (y *yamlConv) value(n ast.Node, depth int) (*Value, error) {
	p := y.pos(n)
	if depth > maxDepth {
		return nil, tooDeep(p, "lists and fields are")
	}
	y.values++
	switch n := n.(type) {
	case *ast.NullNode:
		return &Value{Kind: Null, Pos: p}, nil
	case *ast.StringNode:
		return &Value{Kind: String, Pos: p, Str: n.Value}, nil
	case *ast.LiteralNode:
		return &Value{Kind: String, Pos: p, Str: n.Value.Value}, nil
	case *ast.IntegerNode:
		v := &Value{Kind: Int, Pos: p, Str: n.Token.Value}
		switch x := n.Value.(type) {
		case int64:
			v.Int = x
		case uint64:
			if x > 1<<62 {
				return nil, &Error{Pos: p, Msg: fmt.Sprintf("the number %s is too large", n.Token.Value)}
			}
			v.Int = int64(x)
		}
		return v, nil
	case *ast.FloatNode:
		return &Value{Kind: Float, Pos: p, Float: n.Value, Str: n.Token.Value}, nil
	case *ast.InfinityNode, *ast.NanNode:
		return nil, &Error{Pos: p, Msg: "infinity and NaN are not allowed here", Hint: "write an ordinary number"}
	case *ast.BoolNode:
		return &Value{Kind: Bool, Pos: p, Bool: n.Value, Str: n.Token.Value}, nil
	case *ast.TagNode:
		v, err := y.value(n.Value, depth+1)
		if err != nil {
			return nil, err
		}
		if n.Start != nil && (n.Start.Value == "!!str" || n.Start.Value == "!str") && v.Kind != Map && v.Kind != List {
			v.Kind, v.Str = String, n.Value.GetToken().Value
		}
		return v, nil
	case *ast.AnchorNode:
		before := y.values
		v, err := y.value(n.Value, depth+1)
		if err != nil {
			return nil, err
		}
		y.anchors[n.Name.GetToken().Value] = anchor{v, y.values - before}
		return v, nil
	case *ast.AliasNode:
		name := n.Value.GetToken().Value
		a, ok := y.anchors[name]
		if !ok {
			return nil, &Error{Pos: p, Msg: fmt.Sprintf("*%s refers to an anchor &%s that is not defined above it", name, name)}
		}
		// the value is shared, not copied, but whatever reads the tree
		// reads it once for each alias
		y.values += a.size
		if y.aliased += a.size; y.aliased > MaxAliased {
			return nil, &Error{Pos: p, Msg: fmt.Sprintf("the aliases up to here repeat more than %d values; otpress allows %d", MaxAliased, MaxAliased), Hint: "aliases of aliases multiply: write the values out, or share fewer of them"}
		}
		return a.v, nil
	case *ast.SequenceNode:
		out := &Value{Kind: List, Pos: p}
		for _, e := range n.Values {
			v, err := y.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			out.List = append(out.List, v)
		}
		return out, nil
	case *ast.MappingNode:
		out := &Value{Kind: Map, Pos: p, Fields: make([]Field, 0, len(n.Values))}
		seen := make(map[string]Pos, len(n.Values))
		for _, mv := range n.Values {
			if err := y.field(out, mv, depth, seen); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *ast.MappingValueNode:
		out := &Value{Kind: Map, Pos: p}
		if err := y.field(out, n, depth, map[string]Pos{}); err != nil {
			return nil, err
		}
		return out, nil
	case *ast.CommentGroupNode, *ast.CommentNode:
		return &Value{Kind: Null, Pos: p}, nil
	}
	return nil, &Error{Pos: p, Msg: fmt.Sprintf("this kind of YAML value (%s) is not supported in front matter", n.Type())}
}

// field adds a key and its value to m; seen holds the keys m has, so a
// map of many keys is not searched once for each.
func (y *yamlConv) field(m *Value, mv *ast.MappingValueNode, depth int, seen map[string]Pos) error {
	kp := y.pos(mv.Key)
	if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
		return &Error{Pos: kp, Msg: "YAML merge keys (<<) are not supported in front matter", Hint: "write the fields out in full"}
	}
	tk := mv.Key.GetToken()
	if tk == nil {
		return &Error{Pos: kp, Msg: "a field has no name"}
	}
	key := tk.Value
	if _, isScalar := mv.Key.(ast.ScalarNode); !isScalar {
		return &Error{Pos: kp, Msg: "a field name must be plain text", Hint: "write key: value"}
	}
	v, err := y.value(mv.Value, depth+1)
	if err != nil {
		return err
	}
	if prev, ok := seen[key]; ok {
		return duplicateKey(key, prev, kp)
	}
	seen[key] = kp
	m.Fields = append(m.Fields, Field{Key: key, KeyPos: kp, Value: v})
	return nil
}
