package frontmatter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// JSON front matter is what Hugo writes for a file that opens with "{":
// one JSON object, then the body. The build does not read it (a page's
// text may start with a brace); the Hugo importer does.

// ParseJSON splits a file whose front matter is a JSON object and decodes
// it with the position of every key and value. The body starts on the
// line after the object's closing brace.
func ParseJSON(src []byte) (*Doc, error) {
	if err := CheckEncoding(src); err != nil {
		return nil, err
	}
	src = bytes.TrimPrefix(src, bom)
	end, err := jsonEnd(src)
	if err != nil {
		return nil, err
	}
	if end > MaxFrontMatter {
		return nil, &Error{Pos: posAt(src, MaxFrontMatter), Msg: fmt.Sprintf("the front matter is longer than %d KB", MaxFrontMatter>>10), Hint: "keep long text below the front matter"}
	}
	meta, err := decodeJSON(src[:end])
	if err != nil {
		return nil, err
	}
	rest := src[end:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		if len(bytes.TrimSpace(rest[:i])) == 0 {
			rest = rest[i+1:]
		}
	} else if len(bytes.TrimSpace(rest)) == 0 {
		rest = nil
	}
	body := src[len(src)-len(rest):]
	return &Doc{Format: None, Meta: meta, Body: body, BodyLine: posAt(src, len(src)-len(rest)).Line}, nil
}

// jsonEnd finds the end of the object src opens with, within the size
// and nesting limits, without decoding it.
func jsonEnd(src []byte) (int, error) {
	depth, inStr, esc := 0, false, false
	for i := 0; i < len(src) && i <= MaxFrontMatter; i++ {
		c := src[i]
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
			if depth > MaxDepth {
				return 0, tooDeep(posAt(src, i), "lists and objects are")
			}
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		}
	}
	if len(src) > MaxFrontMatter {
		return MaxFrontMatter + 1, nil
	}
	return 0, &Error{Pos: Pos{1, 1}, Msg: "the JSON front matter opened with { on line 1 is never closed", Hint: "end the object with } on a line of its own before the text"}
}

// posAt is the line and column of byte off in src.
func posAt(src []byte, off int) Pos {
	off = min(off, len(src))
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return Pos{line, len([]rune(string(src[start:off]))) + 1}
}

// decodeJSON reads one JSON object with positions.
func decodeJSON(src []byte) (*Value, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	// start is where the next token begins: after the offset the decoder
	// has read to, past blanks, commas and colons.
	start := func() Pos {
		off := int(dec.InputOffset())
		for off < len(src) && bytes.IndexByte([]byte(" \t\r\n,:"), src[off]) >= 0 {
			off++
		}
		return posAt(src, off)
	}
	syntax := func(err error) error {
		var se *json.SyntaxError
		p := start()
		if errors.As(err, &se) {
			p = posAt(src, int(se.Offset))
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			p = posAt(src, len(src))
		}
		return &Error{Pos: p, Msg: "JSON syntax: " + err.Error(), Hint: `keys and text need double quotes ("title": "My story"), and fields are separated by commas`}
	}
	var value func(tok json.Token, p Pos) (*Value, error)
	value = func(tok json.Token, p Pos) (*Value, error) {
		switch t := tok.(type) {
		case nil:
			return &Value{Kind: Null, Pos: p}, nil
		case bool:
			return &Value{Kind: Bool, Pos: p, Bool: t, Str: strconv.FormatBool(t)}, nil
		case string:
			return &Value{Kind: String, Pos: p, Str: t}, nil
		case json.Number:
			if n, err := t.Int64(); err == nil {
				return &Value{Kind: Int, Pos: p, Int: n, Str: t.String()}, nil
			}
			f, _ := t.Float64()
			return &Value{Kind: Float, Pos: p, Float: f, Str: t.String()}, nil
		case json.Delim:
			if t == '[' {
				v := &Value{Kind: List, Pos: p}
				for dec.More() {
					ep := start()
					et, err := dec.Token()
					if err != nil {
						return nil, syntax(err)
					}
					e, err := value(et, ep)
					if err != nil {
						return nil, err
					}
					v.List = append(v.List, e)
				}
				if _, err := dec.Token(); err != nil {
					return nil, syntax(err)
				}
				return v, nil
			}
			v := &Value{Kind: Map, Pos: p}
			seen := map[string]Pos{}
			for dec.More() {
				kp := start()
				kt, err := dec.Token()
				if err != nil {
					return nil, syntax(err)
				}
				key, _ := kt.(string)
				if first, ok := seen[key]; ok {
					return nil, duplicateKey(key, first, kp)
				}
				seen[key] = kp
				if len(seen) > MaxKeys {
					return nil, &Error{Pos: kp, Msg: fmt.Sprintf("more than %d fields in one object", MaxKeys), Hint: "split the data into a file of its own"}
				}
				vp := start()
				vt, err := dec.Token()
				if err != nil {
					return nil, syntax(err)
				}
				e, err := value(vt, vp)
				if err != nil {
					return nil, err
				}
				v.Fields = append(v.Fields, Field{Key: key, KeyPos: kp, Value: e})
			}
			if _, err := dec.Token(); err != nil {
				return nil, syntax(err)
			}
			return v, nil
		}
		return nil, &Error{Pos: p, Msg: fmt.Sprintf("JSON syntax: unexpected %v", tok)}
	}
	p := start()
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &Error{Pos: p, Msg: "JSON front matter must be an object, { ... }"}
	}
	return value(tok, p)
}
