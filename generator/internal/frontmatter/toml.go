package frontmatter

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// decodeTOML checks the limits, decodes with go-toml (for its full TOML
// semantics and its positioned syntax errors), then walks go-toml's syntax
// tree to recover the position of every key and value.
func decodeTOML(src []byte, firstLine int) (*Value, error) {
	if err := scanTOML(src, firstLine); err != nil {
		return nil, err
	}
	return parseTOML(src, firstLine)
}

// parseTOML decodes TOML that is within the limits.
func parseTOML(src []byte, firstLine int) (*Value, error) {
	var raw map[string]any
	if err := toml.Unmarshal(src, &raw); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			e := &Error{
				Pos:  Pos{row + firstLine - 1, max(1, col)},
				Msg:  "TOML syntax: " + strings.TrimPrefix(de.Error(), "toml: "),
				Hint: "text values need double quotes (title = \"My story\"); lists use brackets ([\"a\", \"b\"])",
			}
			if strings.HasSuffix(e.Msg, "strings cannot have new lines") {
				e.Msg, e.Hint = "TOML syntax: the text has no closing quote on this line", "end the text with a quote on the same line, e.g. title = \"My story\""
			}
			return nil, e
		}
		return nil, &Error{Pos: Pos{firstLine, 1}, Msg: "TOML syntax: " + strings.TrimPrefix(err.Error(), "toml: ")}
	}
	pos := tomlPositions(src)
	off := firstLine - 1
	shift := func(p Pos) Pos {
		if p.Line == 0 {
			return Pos{firstLine, 1}
		}
		return Pos{p.Line + off, p.Col}
	}
	var conv func(path string, x any, depth int) (*Value, error)
	conv = func(path string, x any, depth int) (*Value, error) {
		p := shift(pos[path].val)
		if depth > maxDepth {
			return nil, tooDeep(p, "lists and tables are")
		}
		switch x := x.(type) {
		case string:
			return &Value{Kind: String, Pos: p, Str: x}, nil
		case int64:
			return &Value{Kind: Int, Pos: p, Int: x, Str: fmt.Sprint(x)}, nil
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				return nil, &Error{Pos: p, Msg: "infinity and NaN are not allowed here", Hint: "write an ordinary number"}
			}
			return &Value{Kind: Float, Pos: p, Float: x, Str: fmt.Sprint(x)}, nil
		case bool:
			return &Value{Kind: Bool, Pos: p, Bool: x, Str: fmt.Sprint(x)}, nil
		case time.Time:
			return &Value{Kind: Time, Pos: p, Time: x, Str: x.Format(time.RFC3339)}, nil
		case toml.LocalDate:
			return &Value{Kind: Time, Pos: p, Time: x.AsTime(time.UTC), DateOnly: true, Str: x.String()}, nil
		case toml.LocalDateTime:
			return &Value{Kind: Time, Pos: p, Time: x.AsTime(time.UTC), Str: x.String()}, nil
		case toml.LocalTime:
			return &Value{Kind: String, Pos: p, Str: x.String()}, nil
		case []any:
			v := &Value{Kind: List, Pos: p}
			for i, e := range x {
				ev, err := conv(fmt.Sprintf("%s[%d]", path, i), e, depth+1)
				if err != nil {
					return nil, err
				}
				v.List = append(v.List, ev)
			}
			return v, nil
		case map[string]any:
			v := &Value{Kind: Map, Pos: p}
			for k, e := range x {
				kp := join(path, k)
				ev, err := conv(kp, e, depth+1)
				if err != nil {
					return nil, err
				}
				v.Fields = append(v.Fields, Field{Key: k, KeyPos: shift(pos[kp].key), Value: ev})
			}
			sort.Slice(v.Fields, func(i, j int) bool {
				a, b := v.Fields[i], v.Fields[j]
				if a.KeyPos != b.KeyPos {
					return a.KeyPos.Line < b.KeyPos.Line || (a.KeyPos.Line == b.KeyPos.Line && a.KeyPos.Col < b.KeyPos.Col)
				}
				return a.Key < b.Key
			})
			return v, nil
		case nil:
			return &Value{Kind: Null, Pos: p}, nil
		}
		return nil, &Error{Pos: p, Msg: fmt.Sprintf("unsupported TOML value %T", x)}
	}
	root, err := conv("", raw, 0)
	if err != nil {
		return nil, err
	}
	root.Pos = Pos{firstLine, 1}
	return root, nil
}

type keyVal struct{ key, val Pos }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// tomlPositions maps each key path ("a.b[2].c") to the positions of its key
// and its value, relative to the TOML text. The text already decoded, so
// parser errors cannot happen here; positions that cannot be found are zero.
func tomlPositions(src []byte) map[string]keyVal {
	out := map[string]keyVal{}
	var p unstable.Parser
	p.Reset(src)
	// go-toml's Shape counts the lines from the start for each node, which
	// takes minutes for 100,000 keys; the offsets of line starts, once,
	// give the same line and byte column
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	shape := func(n *unstable.Node) Pos {
		if n == nil || n.Raw.Length == 0 && n.Raw.Offset == 0 {
			return Pos{}
		}
		off := int(n.Raw.Offset)
		line := sort.SearchInts(starts, off+1) - 1
		return Pos{line + 1, off - starts[line] + 1}
	}
	arrayCount := map[string]int{}
	// resolve turns header key parts into a path, stepping into the latest
	// element of any array of tables on the way.
	resolve := func(parts []string) string {
		path := ""
		for _, k := range parts {
			path = join(path, k)
			if n, ok := arrayCount[path]; ok {
				path = fmt.Sprintf("%s[%d]", path, n-1)
			}
		}
		return path
	}
	keyParts := func(n *unstable.Node) ([]string, Pos) {
		var parts []string
		var first Pos
		it := n.Key()
		for it.Next() {
			k := it.Node()
			if first.Line == 0 {
				first = shape(k)
			}
			parts = append(parts, string(k.Data))
		}
		return parts, first
	}
	var value func(path string, v *unstable.Node, fallback Pos)
	keyValue := func(table string, kv *unstable.Node) {
		parts, kp := keyParts(kv)
		path := table
		for _, k := range parts {
			path = join(path, k)
		}
		v := kv.Value()
		out[path] = keyVal{key: kp, val: shape(v)}
		value(path, v, kp)
	}
	value = func(path string, v *unstable.Node, fallback Pos) {
		if e := out[path]; e.val.Line == 0 {
			e.val = fallback
			out[path] = e
		}
		switch v.Kind {
		case unstable.Array:
			it := v.Children()
			for i := 0; it.Next(); i++ {
				c := it.Node()
				cp := fmt.Sprintf("%s[%d]", path, i)
				out[cp] = keyVal{key: shape(c), val: shape(c)}
				value(cp, c, fallback)
			}
		case unstable.InlineTable:
			it := v.Children()
			for it.Next() {
				keyValue(path, it.Node())
			}
		}
	}
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			keyValue(table, e)
		case unstable.Table:
			parts, kp := keyParts(e)
			table = resolve(parts)
			if _, seen := out[table]; !seen {
				out[table] = keyVal{key: kp, val: kp}
			}
		case unstable.ArrayTable:
			parts, kp := keyParts(e)
			parent := resolve(parts[:len(parts)-1])
			base := join(parent, parts[len(parts)-1])
			if _, seen := out[base]; !seen {
				out[base] = keyVal{key: kp, val: kp}
			}
			arrayCount[base]++
			table = fmt.Sprintf("%s[%d]", base, arrayCount[base]-1)
			out[table] = keyVal{key: kp, val: kp}
		}
	}
	return out
}
