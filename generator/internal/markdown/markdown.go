// Package markdown renders Markdown to HTML with goldmark and highlights code
// with chroma. It never sees the content model: callers pass the source and
// what rendering needs, and get back HTML, plain text, headings, links and any
// accessibility problems found in the source.
package markdown

import (
	"bytes"
	"cmp"
	"fmt"
	stdhtml "html"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/otpress/otpress/generator/internal/check"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options configure a Renderer for a whole site.
type Options struct {
	// Unsafe passes raw HTML through, checked (check.RawHTML); otherwise
	// it is shown escaped.
	Unsafe bool
	// Allow names what raw HTML may use beyond the safe rest, from
	// check.Allowable ([markup] allow in site.toml).
	Allow []string
	// ReservedIDs are element ids the page layout uses, which headings must
	// not take.
	ReservedIDs []string
	// unlimited, for tests, is goldmark without the limits (limits.go)
	unlimited bool
}

// Doc describes one document to render.
type Doc struct {
	File      string // for problems: the file the Markdown is in
	FirstLine int    // line of the file where the Markdown starts (1 if the whole file)
	// Link, when set, rewrites each link and image destination, e.g. to turn
	// "../features/x.md" into the page's address. It returns the destination
	// unchanged when it has nothing to do.
	Link func(dest string) string
	// Picture, when set, says how a picture is published, from its
	// destination as written (at line and col of the file): the size it is shown at, in CSS pixels, for
	// the img's width and height attributes (0, 0 when it is not known: a
	// picture elsewhere), and its smaller copies when the site makes them;
	// an error, reported at the picture, when its file cannot be read.
	Picture func(dest string, line, col int) (Picture, error)
	// Loading says which pictures load only when scrolled to: "" all but
	// the first (the page shows none before the text), "lazy" all (it
	// does), "eager" none (a page for printing, whose pictures must all
	// be there).
	Loading string
	// Shift moves every heading down this many more levels, for a document
	// shown under a heading of its own (a pack's print page gives each
	// item an h2, so the item's "##" becomes an h3).
	Shift int
	// IDPrefix goes before every id the document gives its headings and
	// notes, and before in-document links, so that several documents can
	// share one page.
	IDPrefix string
	// Cite, when set, resolves each citation [@id, locator] (cite.go) to
	// the short reference shown and where it links; ok is false for an id
	// it does not know, which is then an error at the citation. Without
	// Cite, citations are shown as written.
	Cite func(id, locator string) (c Cited, ok bool)
}

// Picture is how the site publishes a picture of the text (Doc.Picture).
type Picture struct {
	Width, Height int
	// With copies: Src is the copy shown where srcset is not read,
	// Srcset and WebPSrcset list the copies as JPEG or PNG and as WebP
	// ("/a.320.jpg 320w, …"), and Sizes is the width the layout gives a
	// picture of the text, for the browser to choose among them.
	Src, Srcset, WebPSrcset, Sizes string
}

// Heading is a section heading of the rendered document.
type Heading struct {
	Level int // after demotion: 2 for "##"
	ID    string
	Text  string
}

// Link is a link or image destination as written, with its position.
type Link struct {
	Dest      string
	Image     bool
	Auto      bool // written as a bare address or <address>: not rewritten
	Line, Col int
}

// Result is a rendered document.
type Result struct {
	HTML     []byte
	Text     string // the plain text, for summaries and search
	Headings []Heading
	Links    []Link
	// Citations are the citations Cite resolved, in the order written.
	Citations []Citation
	Problems  []*diag.Problem
}

// Renderer renders Markdown documents; it is safe for concurrent use.
type Renderer struct {
	limits   bool
	unsafe   bool
	allow    map[string]bool // with unsafe: what raw HTML may use
	md       goldmark.Markdown
	noLinks  parser.Parser // md's parser without linkify, for texts it has nothing to do in
	reserved [][]byte
}

// New builds a renderer with GFM tables, strikethrough, autolinks and task
// lists, footnotes, definition lists, typographic punctuation, heading ids
// and class-based code highlighting.
func New(o Options) *Renderer {
	md := newGoldmark(o, extension.GFM)
	md.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(&blockRenderer{unsafe: o.Unsafe, table: tableFuncs(), image: imageFunc(o)}, 100),
		util.Prioritized(citeRenderer{}, 100),
	))
	// GFM less linkify (extension.GFM is these four)
	noLinks := newGoldmark(o, extension.Table, extension.Strikethrough, extension.TaskList).Parser()
	r := &Renderer{md: md, noLinks: noLinks, limits: !o.unlimited, unsafe: o.Unsafe, allow: map[string]bool{}}
	for _, a := range o.Allow {
		r.allow[a] = true
	}
	for _, id := range o.ReservedIDs {
		r.reserved = append(r.reserved, []byte(id))
	}
	return r
}

func newGoldmark(o Options, gfm ...goldmark.Extender) goldmark.Markdown {
	inline := []util.PrioritizedValue{util.Prioritized(citeParser{}, 199)} // before links (200)
	if !o.unlimited {
		inline = append(inline, util.Prioritized(limiter{}, 50)) // before code spans (100) and emphasis (500)
	}
	var htmlOpts []renderer.Option
	if o.Unsafe {
		htmlOpts = append(htmlOpts, html.WithUnsafe())
	}
	return goldmark.New(
		goldmark.WithExtensions(gfm...),
		goldmark.WithExtensions(
			extension.DefinitionList,
			extension.Typographer,
			extension.NewFootnote(
				extension.WithFootnoteBacklinkHTML(`<span aria-hidden="true">↩</span><span class="visually-hidden">Back to the text of note ^^</span>`),
				extension.WithFootnoteIDPrefixFunction(func(n ast.Node) []byte {
					p, _ := n.OwnerDocument().Meta()[idPrefixKey].(string)
					return []byte(p)
				}),
			),
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithInlineParsers(inline...)),
		goldmark.WithRendererOptions(htmlOpts...),
	)
}

// mayLinkify reports whether goldmark's linkify could find anything in src:
// a bare address starts "http:", "https:", "ftp:" or "www.", and an email
// address has an @. Linkify is asked at every space, star, underscore,
// tilde and bracket of every text, and looks for an email address at each
// word; that was a quarter of the time goldmark took to parse a 10k site
// whose texts had no bare addresses (BenchmarkLinkify on its stories:
// 237 → 166 ms). Without one, the parser without it gives the same HTML
// but for the spaces linkify leaves before a line break, hard or soft,
// which CommonMark drops (FuzzLinkify).
func mayLinkify(src []byte) bool {
	return bytes.IndexByte(src, '@') >= 0 || bytes.Contains(src, []byte("http")) ||
		bytes.Contains(src, []byte("ftp:")) || bytes.Contains(src, []byte("www."))
}

// parser is the parser for src: without linkify when it has nothing to do.
func (r *Renderer) parser(src []byte) parser.Parser {
	if mayLinkify(src) {
		return r.md.Parser()
	}
	return r.noLinks
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render renders one document. A document past a limit (limits.go) is
// not rendered: its Result has only the problem.
func (r *Renderer) Render(src []byte, d Doc) (Result, error) {
	res := Result{}
	if r.limits {
		if e := prescan(src); e != nil {
			(&checker{src: src, doc: d, res: &res}).fail(e.off, e.hint, "%s", e.msg)
			return res, nil
		}
	}
	ctx := parser.NewContext(parser.WithIDs(foldedIDs{parser.NewContext().IDs()}))
	for _, id := range r.reserved {
		ctx.IDs().Put(id)
	}
	root := r.parser(src).Parse(text.NewReader(src), parser.WithContext(ctx))
	if l, _ := ctx.Get(limiterKey).(*limits); l != nil && l.broken != nil {
		(&checker{src: src, doc: d, res: &res}).fail(l.broken.off, l.broken.hint, "%s", l.broken.msg)
		return res, nil
	}
	if d.IDPrefix != "" {
		root.OwnerDocument().AddMeta(idPrefixKey, d.IDPrefix)
	}
	// the plain text is about as long as the source: room for it at once
	c := checker{src: src, doc: d, res: &res, text: textWriter{b: make([]byte, 0, len(src))}, unsafe: r.unsafe}
	c.walk(root)
	c.checkRaw(r.allow)
	if c.more != nil {
		res.Problems = append(res.Problems, diag.More(c.more, c.dropped))
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := r.md.Renderer().Render(buf, src, root); err != nil {
		return res, fmt.Errorf("render %s: %w", d.File, err)
	}
	res.HTML = bytes.Clone(buf.Bytes())
	return res, nil
}

// idPrefixKey holds Doc.IDPrefix in the document's metadata, where the
// footnote extension's id function finds it.
const idPrefixKey = "otpress.idprefix"

// checker walks the syntax tree once: it demotes headings so the page title
// stays the only h1, records headings, links and text, rewrites links, and
// reports accessibility problems at their line and column.
type checker struct {
	src   []byte
	doc   Doc
	res   *Result
	lines []int // offsets of line starts, built on first use
	text  textWriter
	last  int // level of the previous heading, after demotion
	h1    bool
	// past diag.MaxPerFile problems, the first left out, standing for
	// all of them, and how many
	more    *diag.Problem
	dropped int
	unsafe  bool             // raw HTML goes into the page
	raw     [][]text.Segment // with unsafe, the raw HTML, a piece a node
	// pictures is how many pictures have been met (the first is not lazy)
	pictures int
}

func (c *checker) pos(offset int) (int, int) {
	if c.lines == nil {
		c.lines = []int{0}
		for i, b := range c.src {
			if b == '\n' {
				c.lines = append(c.lines, i+1)
			}
		}
	}
	i := sort.SearchInts(c.lines, offset+1) - 1
	return i + c.doc.FirstLine, offset - c.lines[i] + 1
}

func (c *checker) warn(offset int, hint, format string, args ...any) {
	c.report(diag.Warning, offset, hint, format, args...)
}

func (c *checker) fail(offset int, hint, format string, args ...any) {
	c.report(diag.Error, offset, hint, format, args...)
}

func (c *checker) report(sev diag.Severity, offset int, hint, format string, args ...any) {
	if len(c.res.Problems) >= diag.MaxPerFile { // only counted: see more
		if c.more == nil {
			line, col := c.pos(offset)
			c.more = &diag.Problem{Severity: sev, File: c.doc.File, Line: line, Col: col}
		}
		c.more.Severity = min(c.more.Severity, sev) // an error, if one is left out
		c.dropped++
		return
	}
	line, col := c.pos(offset)
	p := diag.Warnf(c.doc.File, line, col, format, args...)
	p.Severity, p.Hint = sev, hint
	c.res.Problems = append(c.res.Problems, p)
}

// startOf finds a source offset for a node: its own first line, that of its
// first descendant with one, or else the first non-blank line after the end
// of the block before it (an empty "##" heading has no lines of its own).
func (c *checker) startOf(n ast.Node) int {
	for m := n; m != nil; m = m.FirstChild() {
		if m.Type() == ast.TypeBlock && m.Lines().Len() > 0 {
			return m.Lines().At(0).Start
		}
		if t, ok := m.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	from := 0
	for p := n.PreviousSibling(); p != nil; p = p.PreviousSibling() {
		if end := lastOffset(p); end > 0 {
			from = end
			break
		}
	}
	for i := from; i < len(c.src); i++ {
		if c.src[i] == '\n' || c.src[i] == ' ' || c.src[i] == '\t' || c.src[i] == '\r' {
			continue
		}
		// back to the start of this line
		for i > 0 && c.src[i-1] != '\n' {
			i--
		}
		return i
	}
	return from
}

// lastOffset is the end of the last source line under n, or 0.
func lastOffset(n ast.Node) int {
	end := 0
	_ = ast.Walk(n, func(m ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && m.Type() == ast.TypeBlock && m.Lines().Len() > 0 {
			end = max(end, m.Lines().At(m.Lines().Len()-1).Stop)
		}
		if t, ok := m.(*ast.Text); ok && entering {
			end = max(end, t.Segment.Stop)
		}
		return ast.WalkContinue, nil
	})
	return end
}

func (c *checker) walk(root ast.Node) {
	// First pass: is there any level-1 heading? Then every heading moves down
	// one level, keeping their relative structure.
	// Only walk for it when the source could hold one ("# " or a "===" line).
	if mayHaveH1(c.src) {
		_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if h, ok := n.(*ast.Heading); ok && entering && h.Level == 1 {
				c.h1 = true
				c.warn(c.startOf(h), "the page title is already the level-1 heading; start sections with ## (a level-2 heading)", "a second level-1 heading (#): it is shown as a level-2 heading, and every heading after it one level down")
			}
			return ast.WalkContinue, nil
		})
	}
	c.last = 1 + c.doc.Shift
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock || n.Kind() == extast.KindTableCell {
				c.text.space()
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if c.h1 && n.Level < 6 {
				n.Level++
			}
			n.Level = min(6, n.Level+c.doc.Shift)
			if n.Level > c.last+1 {
				c.warn(c.startOf(n), fmt.Sprintf("use a level-%d heading (%s) here", c.last+1, strings.Repeat("#", c.last+1)), "the heading jumps from level %d to level %d, which confuses screen-reader navigation", c.last, n.Level)
			}
			c.last = n.Level
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			if c.doc.IDPrefix != "" && len(idb) > 0 {
				idb = append([]byte(c.doc.IDPrefix), idb...)
				n.SetAttributeString("id", idb)
			}
			txt := plain(n, c.src)
			if strings.TrimSpace(txt) == "" {
				c.warn(c.startOf(n), "write the heading text or remove the heading", "the heading is empty")
			}
			c.res.Headings = append(c.res.Headings, Heading{Level: n.Level, ID: string(idb), Text: txt})
		case *ast.Image:
			alt := strings.TrimSpace(plain(n, c.src))
			file := path.Base(string(n.Destination))
			at := c.inlineAt(n, n.Destination)
			switch {
			case alt == "":
				c.fail(at, "describe the picture inside the brackets: ![what it shows](file.jpg)", "the image %q has no text alternative", n.Destination)
			case strings.EqualFold(alt, file) || strings.EqualFold(alt, strings.TrimSuffix(file, path.Ext(file))):
				c.warn(at, "describe what the picture shows instead", "the text alternative of %q is its file name", n.Destination)
			case len(n.Title) > 0 && strings.EqualFold(alt, strings.TrimSpace(string(n.Title))):
				c.warn(at, "the caption is read out as well, so say something the caption does not", "the text alternative of %q repeats its caption", n.Destination)
			}
			src := c.picture(n, at)
			c.link(n, n.Destination, true)
			if src != "" {
				n.Destination = []byte(src)
			}
		case *ast.Link:
			// checks first: they name the link as written, before rewriting
			label := plain(n, c.src)
			at := c.inlineAt(n, n.Destination)
			if strings.TrimSpace(label) == "" {
				c.fail(at, "put words that say where the link goes inside the brackets", "the link to %q has no text", n.Destination)
			} else if vague[strings.ToLower(strings.Trim(label, " .!"))] {
				c.warn(at, "say where the link goes, e.g. [the OTnews feature on personalised care](...)", "the link text %q does not say where it goes", label)
			}
			c.link(n, n.Destination, false)
		case *ast.AutoLink:
			u := n.URL(c.src)
			switch {
			case n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(u, []byte("mailto:")):
				u = append([]byte("mailto:"), u...) // as the page has it
			case bytes.IndexByte(u, ':') < 0: // www.example.org
				u = append([]byte("http://"), u...)
			}
			line, col := c.pos(c.inlineAt(n, n.Label(c.src)))
			c.res.Links = append(c.res.Links, Link{Dest: string(u), Line: line, Col: col, Auto: true})
			c.refuseScheme(n, string(u), false)
			c.text.write(n.URL(c.src))
		case *citeNode:
			c.cite(n)
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			if c.unsafe {
				segs := slices.Clone(n.Lines().Sliced(0, n.Lines().Len()))
				if n.HasClosure() {
					segs = append(segs, n.ClosureLine)
				}
				c.raw = append(c.raw, segs)
			}
		case *ast.RawHTML:
			if c.unsafe {
				c.raw = append(c.raw, n.Segments.Sliced(0, n.Segments.Len()))
			}
		case *ast.Text:
			c.text.write(n.Segment.Value(c.src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				c.text.space()
			}
			if _, code := n.Parent().(*ast.CodeSpan); !code {
				c.shortcodes(n.Segment)
			}
		case *ast.String:
			c.text.write([]byte(stdhtml.UnescapeString(string(n.Value))))
		case *ast.CodeSpan:
			for t := n.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					c.text.write(t.Segment.Value(c.src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				c.text.write(seg.Value(c.src))
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	c.res.Text = string(c.text.b)
}

// shortcodes warns of a Hugo shortcode ("{{< youtube x >}}", "{{% note %}}")
// that starts in a text segment: otpress runs none, so it would be
// published as written. (A text node may end at the "{{" of one whose "<"
// began another.)
func (c *checker) shortcodes(seg text.Segment) {
	v := c.src[seg.Start:seg.Stop]
	for i := 0; ; {
		j := bytes.Index(v[i:], []byte("{{"))
		if j < 0 {
			return
		}
		at := seg.Start + i + j
		if k := at + 2; k < len(c.src) && (c.src[k] == '<' || c.src[k] == '%') {
			name := bytes.TrimLeft(c.src[k+1:min(len(c.src), k+60)], " \t/")
			if e := bytes.IndexAny(name, " \t\n>%"); e >= 0 {
				name = name[:e]
			}
			c.warn(at, "write it as Markdown instead: a link for a video (players from other sites are blocked by the site's security policy, and would share readers' data), a picture as ![what it shows](file.jpg), a link to another page as ../section/page.md",
				"a Hugo shortcode (%s), which otpress does not run: it is published as written", cmp.Or(string(name), "with no name"))
		}
		i += j + 2
	}
}

// checkRaw reads the document's raw HTML, which goes into the page as
// written, with check.RawHTML, and reports what it may not do at its
// place.
func (c *checker) checkRaw(allow map[string]bool) {
	if len(c.raw) == 0 {
		return
	}
	type at struct{ frag, src, pad int } // a segment's start in the joined pieces and in the source
	var starts []at
	pieces := make([][]byte, len(c.raw))
	off := 0
	for i, segs := range c.raw {
		for _, s := range segs {
			starts = append(starts, at{off + len(pieces[i]), s.Start, s.Padding})
			pieces[i] = append(pieces[i], s.Value(c.src)...)
		}
		off += len(pieces[i]) + 1 // the pieces are joined with a new line
	}
	for _, f := range check.RawHTML(pieces, allow) {
		k := max(0, sort.Search(len(starts), func(k int) bool { return starts[k].frag > f.Offset })-1)
		c.fail(starts[k].src+max(0, f.Offset-starts[k].frag-starts[k].pad), f.Hint, "%s", f.Msg)
	}
}

var vague = map[string]bool{"click here": true, "here": true, "read more": true, "more": true, "link": true, "this": true, "this link": true}

// picture gives a picture its width and height, so that the page keeps
// its room before it arrives, and its copies for the browser to choose
// from; it returns the copy to show instead of the destination, or "".
// Pictures load as Doc.Loading says.
func (c *checker) picture(n *ast.Image, at int) (src string) {
	if c.doc.Loading == "lazy" || c.doc.Loading == "" && c.pictures > 0 {
		n.SetAttributeString("loading", []byte("lazy"))
	}
	c.pictures++
	n.SetAttributeString("decoding", []byte("async"))
	if c.doc.Picture == nil {
		return ""
	}
	line, col := c.pos(at)
	p, err := c.doc.Picture(string(n.Destination), line, col)
	if err != nil {
		c.warn(at, "save it again as JPEG, PNG, WebP or SVG", "the picture %q will show broken in most browsers: %v", n.Destination, err)
		return ""
	}
	if p.Width > 0 && p.Height > 0 {
		n.SetAttributeString("width", []byte(strconv.Itoa(p.Width)))
		n.SetAttributeString("height", []byte(strconv.Itoa(p.Height)))
	}
	if p.Srcset == "" {
		return ""
	}
	n.SetAttributeString("srcset", []byte(p.Srcset))
	n.SetAttributeString("sizes", []byte(p.Sizes))
	if p.WebPSrcset != "" {
		n.SetAttributeString(webpAttr, []byte(p.WebPSrcset))
	}
	return p.Src
}

func (c *checker) link(n ast.Node, dest []byte, image bool) {
	line, col := c.pos(c.inlineAt(n, dest))
	c.res.Links = append(c.res.Links, Link{Dest: string(dest), Image: image, Line: line, Col: col})
	c.refuseScheme(n, string(dest), image)
	if c.doc.IDPrefix != "" && len(dest) > 1 && dest[0] == '#' {
		if l, ok := n.(*ast.Link); ok {
			l.Destination = []byte("#" + c.doc.IDPrefix + string(dest[1:]))
		}
		return
	}
	if c.doc.Link == nil {
		return
	}
	if nd := c.doc.Link(string(dest)); nd != string(dest) {
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = []byte(nd)
		case *ast.Image:
			n.Destination = []byte(nd)
		}
	}
}

// refuseScheme reports links that would run a script or show a document
// made of the address (check.UnsafeURL: javascript:, vbscript:, data:
// but for pictures), or open local files (file:), as a browser reads the
// destination: character references and backslash escapes decoded
// ("&#106;avascript:" is javascript:). Goldmark empties them silently in
// safe mode and keeps them with raw HTML on; either way the editor should
// know.
func (c *checker) refuseScheme(n ast.Node, dest string, image bool) {
	d := stdhtml.UnescapeString(string(util.UnescapePunctuations([]byte(dest))))
	scheme, bad := check.UnsafeURL(d, image)
	if bad || scheme == "file" {
		c.fail(c.inlineAt(n, []byte(dest)), "link to a web address (https://…) or to a page or file of this site", "a link to a %s: address is refused: it could run a script or open something other than a page", scheme)
	}
}

// inlineAt finds where a link, picture or autolink starts in the source
// ("[", "![" or "<"), which goldmark does not record: from the text inside
// it, or else by looking for the destination after whatever comes before
// it in its paragraph. It falls back to the paragraph's start.
func (c *checker) inlineAt(n ast.Node, dest []byte) int {
	from := c.startOf(n.Parent())
	if t, ok := n.PreviousSibling().(*ast.Text); ok {
		from = t.Segment.Stop
	}
	_, isImage := n.(*ast.Image)
	if al, ok := n.(*ast.AutoLink); ok {
		label := al.Label(c.src)
		if i := bytes.Index(c.src[from:], label); i >= 0 {
			at := from + i
			if at > 0 && c.src[at-1] == '<' {
				at--
			}
			return at
		}
		return from
	}
	at := -1
	for m := n.FirstChild(); m != nil; m = m.FirstChild() {
		if t, ok := m.(*ast.Text); ok {
			// back from the text over emphasis or code marks to the "["
			for i := t.Segment.Start - 1; i >= from && i >= t.Segment.Start-4; i-- {
				if c.src[i] == '[' {
					at = i
					break
				}
			}
			break
		}
	}
	if at < 0 {
		i := bytes.Index(c.src[from:], append([]byte("]("), dest...))
		if i < 0 {
			return from
		}
		at = from + i
		for at > from && c.src[at] != '[' {
			at--
		}
	}
	if isImage && at > 0 && c.src[at-1] == '!' {
		at--
	}
	return at
}

// plain is the text inside an inline node.
func plain(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			b.Write(n.Segment.Value(src))
		case *ast.String:
			b.WriteString(stdhtml.UnescapeString(string(n.Value)))
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// blockRenderer renders code blocks with chroma, wraps tables in a scrolling
// box and pictures with WebP copies in a <picture>, and shows raw HTML as
// text unless unsafe output is on.
type blockRenderer struct {
	unsafe bool
	table  map[ast.NodeKind]renderer.NodeRendererFunc
	image  renderer.NodeRendererFunc // goldmark's
}

func (r *blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, r.picture)
	reg.Register(ast.KindFencedCodeBlock, r.code)
	reg.Register(ast.KindCodeBlock, r.code)
	reg.Register(extast.KindTable, r.tableBox)
	reg.Register(extast.KindTableCell, r.tableCell)
	if !r.unsafe {
		reg.Register(ast.KindHTMLBlock, r.htmlBlock)
		reg.Register(ast.KindRawHTML, r.rawHTML)
	}
}

// tableFuncs captures goldmark's own GFM table renderer so tableBox can
// delegate to it.
func tableFuncs() map[ast.NodeKind]renderer.NodeRendererFunc {
	m := funcMap{}
	extension.NewTableHTMLRenderer().RegisterFuncs(m)
	return m
}

// imageFunc captures goldmark's own image renderer, with o's options, so
// that picture can delegate to it.
func imageFunc(o Options) renderer.NodeRendererFunc {
	m := funcMap{}
	var opts []html.Option
	if o.Unsafe {
		opts = append(opts, html.WithUnsafe())
	}
	html.NewRenderer(opts...).RegisterFuncs(m)
	return m[ast.KindImage]
}

// webpAttr carries a picture's WebP copies from the checker to picture;
// goldmark does not write it (html.ImageAttributeFilter).
const webpAttr = "webp-srcset"

// picture writes a picture that has WebP copies as <picture> with a
// <source> for them before the img, which browsers without WebP show.
func (r *blockRenderer) picture(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	webp, ok := n.AttributeString(webpAttr)
	if !entering || !ok {
		return r.image(w, src, n, entering)
	}
	sizes, _ := n.AttributeString("sizes")
	fmt.Fprintf(w, `<picture><source type="image/webp" srcset="%s" sizes="%s">`, util.EscapeHTML(webp.([]byte)), util.EscapeHTML(sizes.([]byte)))
	st, err := r.image(w, src, n, entering)
	_, _ = w.WriteString("</picture>")
	return st, err
}

type funcMap map[ast.NodeKind]renderer.NodeRendererFunc

func (m funcMap) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { m[k] = f }

func (r *blockRenderer) tableBox(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		label := "Table"
		if head := n.FirstChild(); head != nil {
			var cols []string
			for c := head.FirstChild(); c != nil; c = c.NextSibling() {
				if t := strings.TrimSpace(plain(c, src)); t != "" {
					cols = append(cols, t)
				}
			}
			if len(cols) > 0 {
				label = "Table: " + strings.Join(cols, ", ")
			}
		}
		fmt.Fprintf(w, `<div class="scroll-box" role="group" tabindex="0" aria-label="%s">`, util.EscapeHTML([]byte(label)))
	}
	st, err := r.table[extast.KindTable](w, src, n, entering)
	if !entering {
		_, _ = w.WriteString("</div>\n")
	}
	return st, err
}

// tableCell writes alignment as a class (a style attribute would break a
// strict Content-Security-Policy) and scopes header cells to their column.
func (r *blockRenderer) tableCell(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	cell := n.(*extast.TableCell)
	tag := "td"
	if _, ok := n.Parent().(*extast.TableHeader); ok {
		tag = "th"
	}
	if !entering {
		fmt.Fprintf(w, "</%s>\n", tag)
		return ast.WalkContinue, nil
	}
	_ = w.WriteByte('<')
	_, _ = w.WriteString(tag)
	if tag == "th" {
		_, _ = w.WriteString(` scope="col"`)
	}
	switch cell.Alignment {
	case extast.AlignLeft, extast.AlignRight, extast.AlignCenter:
		fmt.Fprintf(w, ` class="align-%s"`, cell.Alignment)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

func (r *blockRenderer) htmlBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<p class="raw-html">`)
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
	}
	if hb, ok := n.(*ast.HTMLBlock); ok && hb.HasClosure() {
		_, _ = w.Write(util.EscapeHTML(hb.ClosureLine.Value(src)))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

func (r *blockRenderer) rawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	raw := n.(*ast.RawHTML)
	for i := 0; i < raw.Segments.Len(); i++ {
		seg := raw.Segments.At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
	}
	return ast.WalkSkipChildren, nil
}

// mayHaveH1 is a quick, generous test for a level-1 heading: an ATX "#"
// heading (perhaps indented or in a list or quote) or a setext "===" line.
func mayHaveH1(src []byte) bool {
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '#':
			if i+1 >= len(src) || src[i+1] == ' ' || src[i+1] == '\t' || src[i+1] == '\n' || src[i+1] == '\r' {
				return true
			}
		case '=':
			if i > 0 && src[i-1] == '\n' || i > 0 && src[i-1] == ' ' {
				return true
			}
		}
	}
	return false
}

// textWriter collects plain text with each run of white space turned into
// one space and none at either end, in one pass.
type textWriter struct {
	b       []byte
	pending bool // a space is owed before the next non-space
}

func (t *textWriter) space() { t.pending = len(t.b) > 0 }

func (t *textWriter) write(p []byte) {
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
				t.space()
				continue
			}
			if t.pending {
				t.b = append(t.b, ' ')
				t.pending = false
			}
			t.b = append(t.b, c)
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if unicode.IsSpace(r) {
			t.space()
		} else {
			if t.pending {
				t.b = append(t.b, ' ')
				t.pending = false
			}
			t.b = append(t.b, p[i:i+size]...)
		}
		i += size
	}
}
