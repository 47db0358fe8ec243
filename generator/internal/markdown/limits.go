package markdown

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Limits on what goldmark, which has none, is given. Its work grows with
// the square of nesting and of some runs of marks: 200 KB of "- - - …"
// took 40 s, of "[a](" 67 s, and 100 KB of "*a_" 6.5 s. A pre-scan of one
// pass over the text (prescan) measures nesting and counts before goldmark
// runs; marks goldmark would match one against all the others are counted
// as it meets them (limiter).
const (
	// MaxNesting is how deeply lists and block quotes, and separately
	// brackets and link addresses, may be nested. Real text nests lists 4
	// or 5 deep. 2 MB of lists 32 deep take goldmark 1.6 times as long as
	// 2 MB of lists 4 deep, which is about what any 2 MB of dense markup
	// takes (a second of CPU, against 0.07 s for plain paragraphs).
	MaxNesting = 32
	// MaxDelimiters is the most runs of *, _ and ~ one paragraph may have:
	// goldmark compares each run that closes emphasis with every run
	// before it that cannot. 200 runs (100 stretches of emphasis) is far
	// more than a paragraph has; 2 MB of paragraphs of 200 runs that never
	// match take 1.6 times as long as of 24.
	MaxDelimiters = 200
	// MaxFootnotes is the most footnote marks ([^1] and their notes) a
	// document may have: goldmark looks each reference up among all the
	// notes, and sorts the notes by insertion.
	MaxFootnotes = 2_000
	// MaxBrackets is the most [ a document may have: each may open a link,
	// picture, citation or footnote, and each link is resolved, looked up
	// in the built site and reported on its own; 500,000 links in a 2 MB
	// file took 6 s of CPU. A long page has a few hundred.
	MaxBrackets = 20_000
	// MaxHeadings is the most headings a document may have (lines starting
	// with #, or underlined with = or -): goldmark gives each an id, made
	// unique against all the others, and the page's ids are checked for
	// clashes; 500,000 headings in 2 MB took 5 s of CPU. A long page has
	// tens.
	MaxHeadings = 5_000
	// MaxReferences is the most link reference definitions ([id]: /url)
	// one paragraph may have: goldmark copies the rest of the paragraph
	// for each one it takes out. 2 MB of 200 definitions, each followed by
	// 2,000 lines of the same paragraph, take 0.3 s.
	MaxReferences = 200
	// MaxElements is the most list items, block quotes, table cells, code
	// blocks, definitions, rules, HTML tags and bare addresses (www., ://,
	// @) a document may have: goldmark makes nodes of each, costing 2 to
	// 11 µs of a build's CPU apiece (2 MB of "- a" lines, 500,000 items,
	// took 3 s; of "a@b.c", turned into links, 2.9 s). 50,000 keep any 2 MB
	// under a second; a long page has a few hundred.
	MaxElements = 50_000
	// MaxQuotes is the most quotation marks and apostrophes a document may
	// have: the typographer makes each a node of its own, curled, about
	// 3 µs apiece (2 MB of them took 2.9 s). 2 MB of English prose has
	// about 30,000.
	MaxQuotes = 100_000
)

// limitError is a limit broken at a byte offset of the document.
type limitError struct {
	off       int
	msg, hint string
}

// prescan measures a document before goldmark parses it: lists and block
// quotes nested in one another (a stack of open containers, matched at
// the start of each line as goldmark matches them; fenced code skipped),
// brackets and link addresses left open in a paragraph, footnote marks,
// and link reference definitions in a paragraph. It may count a little
// more than goldmark would find, never less.
func prescan(src []byte) *limitError {
	type container struct {
		quote bool
		col   int // where a list item's content starts
	}
	var (
		stack              []container
		brackets, addrs    int // "[" and "](" not yet closed in the paragraph
		footnotes, defs    int
		all, headings      int  // every "[", every heading
		elements, quotes   int  // MaxElements, MaxQuotes
		fence              byte // '`' or '~' inside fenced code
		fenceLen, fenceLvl int
		afterBlank         bool // no paragraph goes on from the line before
	)
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		line := src[start:end]
		next := end + 1
		blank := onlyOf(line, " \t\r>")
		// the containers the line continues
		i, col, matched := 0, 0, 0
		for matched < len(stack) {
			c := stack[matched]
			if c.quote {
				j, jc := indent(line, i, col)
				if jc-col > 3 || j >= len(line) || line[j] != '>' {
					break
				}
				i, col = j+1, jc+1
				if i < len(line) && (line[i] == ' ' || line[i] == '\t') {
					i, col = i+1, col+1
				}
			} else {
				j, jc := indent(line, i, col)
				if jc >= c.col {
					i, col = j, jc
				} else if !blank { // a blank line keeps list items open
					break
				}
			}
			matched++
		}
		j, jc := indent(line, i, col)
		newBlock := blank || (matched < len(stack) && (afterBlank || marker(line, j) > 0 || j < len(line) && (line[j] == '>' || line[j] == '#')))
		afterBlank = blank
		switch {
		case matched == len(stack):
		case fence != 0 && matched < fenceLvl, newBlock:
			stack = stack[:matched]
		default:
			// a lazy continuation line of a paragraph: everything stays open
			i, col = j, jc
		}
		if fence != 0 && matched < fenceLvl {
			fence = 0
		}
		if fence != 0 {
			if jc-col <= 3 && fenceEnd(line[j:], fence, fenceLen) {
				fence = 0
			}
			start = next
			continue
		}
		if newBlock {
			brackets, addrs, defs = 0, 0, 0
		}
		// new containers
		for {
			j, jc := indent(line, i, col)
			if jc-col >= 4 || j >= len(line) {
				break
			}
			if line[j] == '>' {
				i, col = j+1, jc+1
				if i < len(line) && (line[i] == ' ' || line[i] == '\t') {
					i, col = i+1, col+1
				}
				stack = append(stack, container{quote: true})
			} else if m := marker(line, j); m > 0 {
				k, kc := indent(line, j+m, jc+m)
				switch {
				case k >= len(line) || line[k] == '\r' || kc-(jc+m) > 4:
					i, col = j+m, jc+m+1
				default:
					i, col = k, kc
				}
				stack = append(stack, container{col: col})
			} else {
				break
			}
			brackets, addrs, defs = 0, 0, 0
			if elements++; elements > MaxElements {
				return tooMany(start + j)
			}
			if len(stack) > MaxNesting {
				return &limitError{start + j, fmt.Sprintf("lists and block quotes are nested more than %d levels deep here; otpress allows %d", MaxNesting, MaxNesting),
					"nest lists a few levels at most; to show a character such as - or > at the start of a line, put a backslash before it (\\-)"}
			}
		}
		j, jc = indent(line, i, col)
		rest := line[j:]
		if jc-col <= 3 && len(rest) > 0 && (rest[0] == '#' || onlyOf(rest, "=- \t\r")) {
			if headings++; headings > MaxHeadings {
				return &limitError{start + j, fmt.Sprintf("the text has more than %d headings (lines starting with #, or underlined); otpress allows %d", MaxHeadings, MaxHeadings),
					"split the text into several pages"}
			}
		}
		if jc-col <= 3 {
			// a definition (": …"), a rule or an underline
			if len(rest) > 0 && (rest[0] == ':' || onlyOf(rest, "*-_= \t\r")) {
				if elements++; elements > MaxElements {
					return tooMany(start + j)
				}
			}
			if f, n := fenceStart(rest); n > 0 {
				if elements++; elements > MaxElements {
					return tooMany(start + j)
				}
				fence, fenceLen, fenceLvl = f, n, len(stack)
				brackets, addrs, defs = 0, 0, 0
				start = next
				continue
			}
			if rest, ok := bytes.CutPrefix(rest, []byte("[")); ok && !bytes.HasPrefix(rest, []byte("^")) {
				if k := bytes.IndexByte(rest, ']'); k >= 0 && k+1 < len(rest) && rest[k+1] == ':' {
					if defs++; defs > MaxReferences {
						return &limitError{start + j, fmt.Sprintf("this paragraph has more than %d link definitions ([name]: address) one after another; otpress allows %d", MaxReferences, MaxReferences),
							"put a blank line between every hundred or so, or write the addresses in the links"}
					}
				}
			}
		}
		// brackets and link addresses, which may close on later lines
		for k := j; k < len(line); k++ {
			switch line[k] {
			case '\\':
				k++
			case '[':
				if all++; all > MaxBrackets {
					return &limitError{start + k, fmt.Sprintf("the text has more than %d links, pictures, citations and other brackets [; otpress allows %d", MaxBrackets, MaxBrackets),
						"split the text into several pages"}
				}
				if k+1 < len(line) && line[k+1] == '^' {
					if footnotes++; footnotes > MaxFootnotes {
						return &limitError{start + k, fmt.Sprintf("the text has more than %d footnote marks ([^1]) and notes; otpress allows %d", MaxFootnotes, MaxFootnotes),
							"split the text into several pages"}
					}
				}
				if brackets++; brackets > MaxNesting {
					return &limitError{start + k, fmt.Sprintf("more than %d brackets [ are open here; otpress allows %d", MaxNesting, MaxNesting),
						"close each [ with ], or write \\[ for a bracket that is only text"}
				}
			case ']':
				brackets = max(0, brackets-1)
				if k+1 < len(line) && line[k+1] == '(' {
					k++
					if addrs++; addrs > MaxNesting {
						return &limitError{start + k, fmt.Sprintf("more than %d link addresses ]( are open here; otpress allows %d", MaxNesting, MaxNesting),
							"close each link's address with ), or write \\( for a bracket that is only text"}
					}
				}
			case ')':
				addrs = max(0, addrs-1)
			case '|', '<', '@':
				if elements++; elements > MaxElements {
					return tooMany(start + k)
				}
			case ':', 'w':
				if bytes.HasPrefix(line[k:], []byte("://")) || bytes.HasPrefix(line[k:], []byte("www.")) {
					if elements++; elements > MaxElements {
						return tooMany(start + k)
					}
				}
			case '"', '\'':
				if quotes++; quotes > MaxQuotes {
					return &limitError{start + k, fmt.Sprintf("the text has more than %d quotation marks and apostrophes, each made a curly one; otpress allows %d", MaxQuotes, MaxQuotes),
						"split the text into several pages"}
				}
			}
		}
		start = next
	}
	return nil
}

// onlyOf reports whether every byte of b is one of set's (ASCII): what
// len(bytes.Trim(b, set)) == 0 says, without making a set for each line.
func onlyOf(b []byte, set string) bool {
	for _, c := range b {
		if strings.IndexByte(set, c) < 0 {
			return false
		}
	}
	return true
}

// tooMany is MaxElements passed at off.
func tooMany(off int) *limitError {
	return &limitError{off, fmt.Sprintf("the text has more than %d list items, quotes, table cells, code blocks, HTML tags and bare addresses; otpress allows %d", MaxElements, MaxElements),
		"split the text into several pages"}
}

// indent skips spaces and tabs from byte i at column col (a tab moves to
// the next multiple of 4).
func indent(line []byte, i, col int) (int, int) {
	for i < len(line) {
		switch line[i] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return i, col
		}
		i++
	}
	return i, col
}

// marker is the length of a list marker at line[j:] ("-", "+", "*", or up
// to 9 digits and "." or ")") followed by a space, a tab or the end of the
// line, or 0.
func marker(line []byte, j int) int {
	k := j
	for k < len(line) && k-j < 9 && line[k] >= '0' && line[k] <= '9' {
		k++
	}
	switch {
	case k > j && k < len(line) && (line[k] == '.' || line[k] == ')'):
		k++
	case k == j && k < len(line) && (line[k] == '-' || line[k] == '+' || line[k] == '*'):
		k++
	default:
		return 0
	}
	if k == len(line) || line[k] == ' ' || line[k] == '\t' || line[k] == '\r' {
		return k - j
	}
	return 0
}

// fenceStart reads a code fence: 3 or more backticks (with no backtick
// after them) or tildes.
func fenceStart(rest []byte) (byte, int) {
	if len(rest) == 0 || rest[0] != '`' && rest[0] != '~' {
		return 0, 0
	}
	n := 0
	for n < len(rest) && rest[n] == rest[0] {
		n++
	}
	if n < 3 || rest[0] == '`' && bytes.IndexByte(rest[n:], '`') >= 0 {
		return 0, 0
	}
	return rest[0], n
}

// fenceEnd reports whether rest closes a fence of n f characters.
func fenceEnd(rest []byte, f byte, n int) bool {
	k := 0
	for k < len(rest) && rest[k] == f {
		k++
	}
	return k >= n && len(bytes.TrimRight(rest[k:], " \t\r")) == 0
}

// limiter is an inline parser that goldmark asks before its own at *, _,
// ~ and `. It never changes what a document within the limits becomes:
// it lets goldmark's parsers have every mark (returns nil) but for
//
//   - a run of backticks with no run of the same length after it in the
//     paragraph, which it makes text at once, as goldmark's code span
//     parser would after reading the whole rest of the paragraph;
//   - a run of *, _ or ~ past MaxDelimiters in one paragraph, which is
//     reported, and made text with the rest of its line.
type limiter struct{}

var limiterKey = parser.NewContextKey()

// limits is what the limiter knows of the paragraph being parsed.
type limits struct {
	block      ast.Node
	delimiters int
	ticks      map[int]int // for each length of backtick run, the last one's offset
	broken     *limitError
}

func (limiter) Trigger() []byte { return []byte{'*', '_', '~', '`'} }

func (limiter) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	l, _ := pc.Get(limiterKey).(*limits)
	if l == nil {
		l = &limits{}
		pc.Set(limiterKey, l)
	}
	if l.block != parent {
		l.block, l.delimiters, l.ticks = parent, 0, nil
	}
	line, seg := block.PeekLine()
	n := 0
	for n < len(line) && line[n] == line[0] {
		n++
	}
	if line[0] == '`' {
		if l.ticks == nil {
			l.ticks = tickRuns(block)
		}
		if l.ticks[n] > seg.Start {
			return nil
		}
		block.Advance(n)
		return ast.NewTextSegment(seg.WithStop(seg.Start + n))
	}
	if l.delimiters++; l.delimiters <= MaxDelimiters {
		return nil
	}
	if l.broken == nil {
		l.broken = &limitError{seg.Start, fmt.Sprintf("this paragraph has more than %d runs of *, _ or ~; otpress allows %d", MaxDelimiters, MaxDelimiters),
			"split the paragraph, or write \\* and \\_ for marks that are only text"}
	}
	n = len(bytes.TrimRight(line, "\r\n"))
	block.Advance(n)
	return ast.NewTextSegment(seg.WithStop(seg.Start + n))
}

// tickRuns finds, from the reader's place to the end of its paragraph,
// the offset of the last run of backticks of each length, and leaves the
// reader where it was.
func tickRuns(block text.Reader) map[int]int {
	runs := map[int]int{}
	l, pos := block.Position()
	defer block.SetPosition(l, pos)
	for {
		line, seg := block.PeekLine()
		if line == nil {
			return runs
		}
		for i := 0; i < len(line); {
			if line[i] != '`' {
				i++
				continue
			}
			j := i
			for j < len(line) && line[j] == '`' {
				j++
			}
			runs[j-i] = seg.Start + i
			i = j
		}
		block.AdvanceLine()
	}
}
