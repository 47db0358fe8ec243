package markdown

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Citations, written as pandoc writes them: [@id], [@id, p. 15],
// [see @a; @b, pp. 3-4]. The package knows nothing of sources: Doc.Cite
// turns each id and locator into the short reference to show and where it
// links; an id it does not know is an error at the citation's @.

// Cited is what Doc.Cite says of one citation.
type Cited struct {
	HTML string // the short reference as HTML, escaped: "Sanderson, 2019, p. 15"
	Text string // the same as plain text, for search
	Href string // where it links: the page's own list of sources
	Hint string // for an id it does not know: how to put it right
}

// Citation is a citation as written, with its position (at its @).
type Citation struct {
	ID        string
	Locator   string // as written after the id: "p. 15"
	Line, Col int
}

// citeKind is the node of a bracketed group of citations.
var citeKind = ast.NewNodeKind("Citation")

type citeNode struct {
	ast.BaseInline
	src   text.Segment // the whole [...], shown as written when it cannot be resolved
	cites []cite
}

type cite struct {
	prefix  string // words before the @: "see"
	id      string
	locator string
	at      int // offset of the @
	res     Cited
	ok      bool
}

func (n *citeNode) Kind() ast.NodeKind { return citeKind }

func (n *citeNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Cites": string(n.src.Value(src))}, nil)
}

// citeParser reads [@…] before the link parser sees the bracket.
type citeParser struct{}

func (citeParser) Trigger() []byte { return []byte{'['} }

// idChar: letters, digits and the inner punctuation pandoc allows in ids.
func idChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80 || strings.IndexByte("_:.#$%&-+?<>~/", c) >= 0
}

func (citeParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 3 || line[0] != '[' {
		return nil
	}
	// the @ is looked for only up to the next bracket: looking through the
	// rest of the line at every [ took minutes for a line of them
	end := bytes.IndexAny(line[1:], "[]")
	if end < 0 || line[1+end] != ']' || bytes.IndexByte(line[1:1+end], '@') < 0 {
		return nil
	}
	end++ // index of ]
	if end+1 < len(line) && (line[end+1] == '(' || line[end+1] == '[' || line[end+1] == ':') {
		return nil // a link, or a reference definition, whose text starts with @
	}
	n := &citeNode{src: text.NewSegment(seg.Start, seg.Start+end+1)}
	off := 1
	for _, part := range bytes.Split(line[1:end], []byte(";")) {
		at := bytes.IndexByte(part, '@')
		if at < 0 || at > 0 && part[at-1] != ' ' && part[at-1] != '\t' && part[at-1] != '-' {
			return nil
		}
		i := at + 1
		for i < len(part) && idChar(part[i]) {
			i++
		}
		// an id ends before trailing punctuation: [@doe99.] is doe99
		for i > at+1 && strings.IndexByte(".:#$%&-+?<>~/", part[i-1]) >= 0 {
			i--
		}
		if i == at+1 {
			return nil
		}
		c := cite{
			prefix:  strings.TrimSpace(strings.TrimSuffix(string(part[:at]), "-")),
			id:      string(part[at+1 : i]),
			locator: strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(part[i:])), ",")),
			at:      seg.Start + off + at,
		}
		if strings.IndexFunc(c.locator, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			c.locator = "" // only the punctuation after the id
		}
		n.cites = append(n.cites, c)
		off += len(part) + 1
	}
	block.Advance(end + 1)
	return n
}

// resolve asks the document's Cite about each citation of a group, records
// them, and reports ids it does not know at their @.
func (c *checker) cite(n *citeNode) {
	for i := range n.cites {
		ct := &n.cites[i]
		line, col := c.pos(ct.at)
		if c.doc.Cite == nil {
			continue
		}
		ct.res, ct.ok = c.doc.Cite(ct.id, ct.locator)
		if !ct.ok {
			hint := ct.res.Hint
			if hint == "" {
				hint = "cite a source of the site by its id, e.g. [@otnews-2019-04, p. 15]"
			}
			c.fail(ct.at, hint, "the citation @%s names no source of this site", ct.id)
			continue
		}
		c.res.Citations = append(c.res.Citations, Citation{ID: ct.id, Locator: ct.locator, Line: line, Col: col})
		if c.doc.IDPrefix != "" && strings.HasPrefix(ct.res.Href, "#") {
			ct.res.Href = "#" + c.doc.IDPrefix + ct.res.Href[1:]
		}
	}
	if t := n.plain(c.src); t != "" {
		c.text.write([]byte(t))
	}
}

// plain is the group as text: "(see Sanderson, 2019, p. 15; RCOT, 2020)",
// or as written when it could not be resolved.
func (n *citeNode) plain(src []byte) string {
	var parts []string
	for _, ct := range n.cites {
		if !ct.ok {
			return string(n.src.Value(src))
		}
		parts = append(parts, strings.TrimSpace(ct.prefix+" "+ct.res.Text))
	}
	return "(" + strings.Join(parts, "; ") + ")"
}

// citeRenderer writes a group as short references in brackets, each linked
// to its entry in the page's sources (unlinked inside a link).
type citeRenderer struct{}

func (citeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(citeKind, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkSkipChildren, nil
		}
		n := node.(*citeNode)
		for _, ct := range n.cites {
			if !ct.ok {
				_, _ = w.Write(util.EscapeHTML(n.src.Value(src)))
				return ast.WalkSkipChildren, nil
			}
		}
		inLink := false
		for p := node.Parent(); p != nil; p = p.Parent() {
			if _, ok := p.(*ast.Link); ok {
				inLink = true
			}
		}
		_, _ = w.WriteString(`<span class="citation">(`)
		for i, ct := range n.cites {
			if i > 0 {
				_, _ = w.WriteString("; ")
			}
			if ct.prefix != "" {
				_, _ = w.Write(util.EscapeHTML([]byte(ct.prefix + " ")))
			}
			if inLink || ct.res.Href == "" {
				_, _ = w.WriteString(ct.res.HTML)
				continue
			}
			_, _ = w.WriteString(`<a href="`)
			_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(ct.res.Href), false)))
			_, _ = w.WriteString(`">`)
			_, _ = w.WriteString(ct.res.HTML)
			_, _ = w.WriteString(`</a>`)
		}
		_, _ = w.WriteString(`)</span>`)
		return ast.WalkSkipChildren, nil
	})
}
