package frontmatter

import (
	"bytes"
	"fmt"
)

// Limits that hold before a parser sees the text. goccy/go-yaml and
// go-toml take time and memory growing with the square of the nesting
// (40,000 levels of YAML, 80 KB: 28 s and 2.5 GB), and goccy/go-yaml with
// the square of one mapping's keys (100,000 keys: over a minute), so a
// pre-scan of one pass measures both and stops the file first.
const (
	// MaxDepth is how many lists and sets of fields may hold one another.
	// Real front matter needs 4 (sources, a work, its authors, a name).
	// At 32, a 2 MB file of nothing but nesting parses in about 0.1 s.
	MaxDepth = 32
	// MaxKeys is the most fields one set of fields may have: goccy/go-yaml
	// copies the fields after each key, so 20,000 keys in sets of 1,000
	// take 1.3 times as long as in sets of 10, in sets of 10,000 6.6
	// times. A source list (data/sources.yaml) may have more works than
	// that: its top level is parsed in parts (parseYAMLParts).
	MaxKeys = 1_000
	// MaxFrontMatter is the most bytes of front matter a page may have.
	// goccy/go-yaml reads fields and lists at roughly 1 MB a second even
	// when nothing is nested; a page's fields, a pack's items with their
	// notes, or an episode's chapters take a few kilobytes.
	MaxFrontMatter = 256 << 10
	// MaxAliases is the most aliases (*name) a file may use. Pages use
	// none; a source list might share an author list a few dozen times.
	MaxAliases = 1_000
	// MaxAliased is the most values aliases may repeat in all, so a few
	// aliases of aliases (a "billion laughs") cannot make a small file
	// into millions of values for whatever reads it.
	MaxAliased = 10_000
)

// Limits checks a YAML or TOML text against the limits above, before it
// is parsed, and returns the first place one is broken. firstLine is the
// file line the text starts on.
func Limits(src []byte, f Format, firstLine int) *Error {
	if f == TOML {
		return scanTOML(src, firstLine)
	}
	_, err := scanYAML(src, firstLine, false)
	return err
}

// tooDeep is the error for nesting past MaxDepth at p.
func tooDeep(p Pos, what string) *Error {
	return &Error{
		Pos:  p,
		Msg:  fmt.Sprintf("%s nested more than %d levels deep here; otpress allows %d", what, MaxDepth, MaxDepth),
		Hint: "real data needs a few levels at most (sources: - author: - family: …): write it flatter, or look for a [ or { that is never closed",
	}
}

// cursor walks a text byte by byte, keeping the file line and column.
type cursor struct {
	src       []byte
	i         int
	line      int // file line of src[i]
	lineStart int // offset of the line's first byte
}

func (c *cursor) pos() Pos { return Pos{c.line, c.i - c.lineStart + 1} }

func (c *cursor) at(off int) Pos { return Pos{c.line, off - c.lineStart + 1} }

func (c *cursor) peek(k int) byte {
	if c.i+k < len(c.src) {
		return c.src[c.i+k]
	}
	return 0
}

// next moves on one byte, counting lines at "\n".
func (c *cursor) next() {
	if c.src[c.i] == '\n' {
		c.line++
		c.lineStart = c.i + 1
	}
	c.i++
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0 }

// yamlScan is the YAML pre-scan. Block collections are followed by their
// column: each open one is on a stack with its column and depth, as the
// parser would see them; flow collections by their brackets. Quoted and
// block scalars and comments are skipped, so brackets in text do not
// count.
type yamlScan struct {
	cursor
	stack   []yamlBlock
	aliases int
	err     *Error
	// tops are the offsets of the top-level keys' lines, when data is set:
	// then the top level may pass MaxKeys, to be parsed in parts
	data bool
	tops []int
}

type yamlBlock struct {
	col   int // 0-based column of the collection's entries
	depth int // 1 for the top-level set of fields
	isMap bool
	keys  int
}

// scanYAML is the YAML pre-scan. For a data file (data set), it returns
// the offsets of the top-level keys' lines when they pass MaxKeys, and
// the file uses no aliases (an alias may refer to an anchor in another
// part).
func scanYAML(src []byte, firstLine int, data bool) ([]int, *Error) {
	s := &yamlScan{cursor: cursor{src: src, line: firstLine}, data: data}
	for s.i < len(s.src) && s.err == nil {
		s.line1()
	}
	if s.err == nil && len(s.tops) > MaxKeys && s.aliases > 0 {
		line := firstLine + bytes.Count(src[:s.tops[MaxKeys]], []byte("\n"))
		return nil, &Error{Pos: Pos{line, 1}, Msg: fmt.Sprintf("a file with aliases (*name) may have at most %d entries; otpress allows %d", MaxKeys, MaxKeys),
			Hint: "write the aliased values out, or split the file"}
	}
	if s.err != nil || len(s.tops) <= MaxKeys {
		return nil, s.err
	}
	return s.tops, nil
}

// line1 reads one line in block context, and whatever it opens that
// spans lines (a flow collection, a quoted or block scalar).
func (s *yamlScan) line1() {
	start := s.i
	for s.i < len(s.src) && s.src[s.i] == ' ' {
		s.i++
	}
	col := s.i - start
	switch s.peek(0) {
	case '\n', '\r', '#', 0:
		s.skipLine()
		return
	case '%': // a directive
		if col == 0 {
			s.skipLine()
			return
		}
	case '-', '.': // document markers
		if col == 0 && s.i+2 < len(s.src) && s.src[s.i+1] == s.src[s.i] && s.src[s.i+2] == s.src[s.i] && isBlank(s.peek(3)) {
			s.skipLine()
			return
		}
	}
	seq := s.peek(0) == '-' && isBlank(s.peek(1))
	for len(s.stack) > 0 && s.stack[len(s.stack)-1].col > col {
		s.stack = s.stack[:len(s.stack)-1]
	}
	// a sequence at its key's own column ("a:\n- b") belongs to the key;
	// a line at a sequence's column that is not an entry ends it
	if n := len(s.stack); n > 0 && s.stack[n-1].col == col && !s.stack[n-1].isMap && !seq {
		s.stack = s.stack[:n-1]
	}
	depth := 1
	if n := len(s.stack); n > 0 {
		top := s.stack[n-1]
		switch {
		case top.col < col, top.isMap && seq:
			depth = top.depth + 1
		default: // an entry of the collection on the stack
			depth = top.depth
		}
	}
	s.node(col, depth, false)
}

// node reads a node starting at column col of the current line, at depth
// depth if it is a collection; value is set for a mapping's value, whose
// col is its key's.
func (s *yamlScan) node(col, depth int, value bool) {
	indent := col // of the collection the node is in, for a block scalar
	for {
		switch c := s.peek(0); {
		case (c == '-' || c == '?') && isBlank(s.peek(1)) && !value:
			s.open(col, depth, false)
			if s.err != nil {
				return
			}
			s.i++
			for s.peek(0) == ' ' {
				s.i++
			}
			indent, col, depth = col, s.i-s.lineStart, depth+1
			continue
		case c == '&' || c == '!':
			s.word()
			continue
		case c == '*':
			s.aliases++
			if s.aliases > MaxAliases {
				s.err = &Error{Pos: s.pos(), Msg: fmt.Sprintf("the file uses more than %d aliases (*name); otpress allows %d", MaxAliases, MaxAliases), Hint: "write the values out, or share fewer of them"}
				return
			}
			s.word()
			continue
		case c == '[' || c == '{':
			s.flow(depth)
		case c == '"' || c == '\'':
			s.quoted(c)
		case c == '|' || c == '>':
			s.blockScalar(indent)
			return
		}
		break
	}
	if s.err != nil {
		return
	}
	// the rest of the line: a plain scalar, or the key of a mapping
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == '\n' || c == '\r':
			s.skipLine()
			return
		case c == '#' && s.i > 0 && isBlank(s.src[s.i-1]):
			s.skipLine()
			return
		case c == ':' && isBlank(s.peek(1)) && !value:
			s.open(col, depth, true)
			if s.err != nil {
				return
			}
			s.i++
			for s.peek(0) == ' ' || s.peek(0) == '\t' {
				s.i++
			}
			s.node(col, depth+1, true)
			return
		}
		s.i++
	}
}

// open records that the collection at col is a sequence or a mapping,
// counting a mapping's keys.
func (s *yamlScan) open(col, depth int, isMap bool) {
	if depth > MaxDepth {
		s.err = tooDeep(s.at(s.lineStart+col), "lists and fields are")
		return
	}
	if isMap && depth == 1 && s.data {
		s.tops = append(s.tops, s.lineStart)
	}
	if n := len(s.stack); n > 0 && s.stack[n-1].col == col && s.stack[n-1].depth == depth {
		top := &s.stack[n-1]
		if isMap {
			top.keys++
			if top.keys > MaxKeys && !(depth == 1 && s.data) {
				s.err = &Error{Pos: s.at(s.lineStart + col), Msg: fmt.Sprintf("this set of fields has more than %d fields; otpress allows %d", MaxKeys, MaxKeys), Hint: "split the data into several files or group the fields"}
			}
		}
		return
	}
	s.stack = append(s.stack, yamlBlock{col: col, depth: depth, isMap: isMap, keys: 1})
}

// word skips an anchor, tag or alias name.
func (s *yamlScan) word() {
	for s.i < len(s.src) && !isBlank(s.src[s.i]) && s.src[s.i] != ',' && s.src[s.i] != ']' && s.src[s.i] != '}' {
		s.i++
	}
	for s.peek(0) == ' ' || s.peek(0) == '\t' {
		s.i++
	}
}

// flow reads a flow collection, which may span lines; the first bracket
// is at depth depth.
func (s *yamlScan) flow(depth int) {
	level := 0
	tokenStart := true // where a quoted scalar, anchor or alias may begin
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '[' || c == '{':
			if depth+level > MaxDepth {
				s.err = tooDeep(s.pos(), "lists and fields are")
				return
			}
			level++
			tokenStart = true
		case c == ']' || c == '}':
			level--
			if level == 0 {
				s.i++
				return
			}
			tokenStart = false
		case c == ',' || c == ':' || c == '?':
			tokenStart = true
		case c == '#' && (s.i == 0 || isBlank(s.src[s.i-1])):
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.i++
			}
			continue
		case (c == '"' || c == '\'') && tokenStart:
			s.quoted(c)
			if s.err != nil {
				return
			}
			tokenStart = false
			continue
		case c == '*' && tokenStart:
			s.aliases++
			if s.aliases > MaxAliases {
				s.err = &Error{Pos: s.pos(), Msg: fmt.Sprintf("the file uses more than %d aliases (*name); otpress allows %d", MaxAliases, MaxAliases), Hint: "write the values out, or share fewer of them"}
				return
			}
			tokenStart = false
		case isBlank(c):
		default:
			tokenStart = false
		}
		s.next()
	}
}

// quoted skips a quoted scalar, which may span lines.
func (s *yamlScan) quoted(q byte) {
	s.i++
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '\\' && q == '"' && s.i+1 < len(s.src) && s.src[s.i+1] != '\n':
			s.i++
		case c == q && q == '\'' && s.peek(1) == '\'':
			s.i++
		case c == q:
			s.i++
			return
		}
		s.next()
	}
}

// blockScalar skips a literal or folded scalar: the rest of its line and
// the lines after it that are blank or indented past col, the column of
// the collection it is in (its key's, or its dash's).
func (s *yamlScan) blockScalar(col int) {
	s.skipLine()
	for s.i < len(s.src) {
		j := s.i
		for j < len(s.src) && s.src[j] == ' ' {
			j++
		}
		if j < len(s.src) && s.src[j] != '\n' && s.src[j] != '\r' && j-s.i <= col {
			return
		}
		s.i = j
		s.skipLine()
	}
}

// skipLine moves past the end of the line ("\n", "\r\n" or a lone "\r").
func (s *yamlScan) skipLine() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case '\n':
			s.next()
			return
		case '\r':
			s.i++
			if s.peek(0) != '\n' {
				return
			}
			continue
		}
		s.i++
	}
}

// scanTOML is the TOML pre-scan: the depth of a value is that of its
// table header ([a.b] is 3 with the top level), its dotted key (a.b.c = 1
// adds 2) and the arrays and inline tables around it.
func scanTOML(src []byte, firstLine int) *Error {
	c := &cursor{src: src, line: firstLine}
	table := 1
	// stack of open brackets in a value: '[' or '{'; keyed is set where a
	// key is being read (at the top level and inside inline tables)
	var stack []byte
	keyed := true
	depth := func() int { return table + len(stack) }
	for c.i < len(c.src) {
		b := c.src[c.i]
		switch {
		case b == '#':
			for c.i < len(c.src) && c.src[c.i] != '\n' {
				c.i++
			}
			continue
		case b == '"' || b == '\'':
			if err := tomlString(c); err != nil {
				return err
			}
			continue
		case b == '[' && len(stack) == 0 && keyed: // a table header
			p := c.pos()
			array := c.peek(1) == '['
			parts := 1
			for c.i < len(c.src) && c.src[c.i] != ']' && c.src[c.i] != '\n' {
				switch c.src[c.i] {
				case '"', '\'':
					if err := tomlString(c); err != nil {
						return err
					}
					continue
				case '.':
					parts++
					if 1+parts > MaxDepth {
						return tooDeep(c.pos(), "tables are")
					}
				}
				c.i++
			}
			table = 1 + parts
			if array {
				table++
			}
			if table > MaxDepth {
				return tooDeep(p, "tables are")
			}
			for c.i < len(c.src) && c.src[c.i] == ']' {
				c.i++
			}
			continue
		case b == '.' && keyed:
			// a dotted key: a.b = 1 puts the value a level deeper
			stack = append(stack, '.')
			if depth() > MaxDepth {
				return tooDeep(c.pos(), "fields are")
			}
		case b == '=' && keyed:
			keyed = false
		case b == '[' || b == '{':
			stack = append(stack, b)
			if depth() > MaxDepth {
				return tooDeep(c.pos(), "lists and tables are")
			}
			keyed = b == '{'
		case b == ']' || b == '}':
			for len(stack) > 0 && stack[len(stack)-1] == '.' {
				stack = stack[:len(stack)-1]
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			keyed = len(stack) == 0
		case b == ',':
			for len(stack) > 0 && stack[len(stack)-1] == '.' {
				stack = stack[:len(stack)-1]
			}
			keyed = len(stack) > 0 && stack[len(stack)-1] == '{'
		case b == '\n':
			if len(stack) == 0 || allDots(stack) {
				stack, keyed = stack[:0], true
			}
		}
		c.next()
	}
	return nil
}

func allDots(stack []byte) bool {
	for _, b := range stack {
		if b != '.' {
			return false
		}
	}
	return true
}

// tomlString skips a TOML string of any of the four kinds.
func tomlString(c *cursor) *Error {
	q := c.src[c.i]
	multi := c.peek(1) == q && c.peek(2) == q
	if multi {
		c.i += 3
	} else if c.peek(1) == q { // empty
		c.i += 2
		return nil
	} else {
		c.i++
	}
	for c.i < len(c.src) {
		b := c.src[c.i]
		switch {
		case b == '\\' && q == '"' && c.i+1 < len(c.src):
			c.next()
		case b == q && (!multi || c.peek(1) == q && c.peek(2) == q):
			if multi {
				c.i += 2
				for c.peek(1) == q { // up to two quotes may end the text
					c.i++
				}
			}
			c.i++
			return nil
		case b == '\n' && !multi:
			return nil // the parser will say so
		}
		c.next()
	}
	return nil
}
