package render

import (
	"bytes"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/html"
)

// Compact templates. A build used to minify every page it wrote; at 10,000
// items that took 13% of the build's CPU and took out 1% of its bytes, the
// whitespace between the templates' tags. Compact templates take out more
// than half of that 1% at no cost a page. The templates are minified
// instead, once as they load, by the same minifier told where Go template
// actions are: it leaves the actions as written and takes out the markup's
// whitespace and comments around them. Content (Markdown's HTML) is never
// minified this way; it is compact already.
//
// Errors while executing a compact template must still name the line and
// column in the file as written. The actions are the same text in both, in
// the same order, and every execution error is inside one, so a position
// maps from the compact text to the source through the action it is in.

// compactMinifier is the HTML minifier for template sources. It keeps what
// the page minifier keeps (publish.newMinifier): quotes, end tags, document
// tags and default attribute values.
var compactMinifier = func() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true, TemplateDelims: html.GoTemplateDelims})
	return m
}()

// compacted is a template file's compact text and the way back from its
// positions to the source's.
type compacted struct {
	text string
	src  []byte
	// starts of each action in text and in src, in order
	at, was []int
}

// compactTemplate minifies the markup of a template source. It gives false
// when that fails or would change an action, and the source is then used as
// it is.
func compactTemplate(src []byte) (*compacted, bool) {
	// on a copy: the minifier's lexer writes into its input (it lowers
	// the case of names in place)
	out, err := compactMinifier.Bytes("text/html", bytes.Clone(src))
	if err != nil {
		return nil, false
	}
	was, wasText := actions(src)
	at, atText := actions(out)
	if len(was) != len(at) {
		return nil, false
	}
	for i := range was {
		if wasText[i] != atText[i] {
			return nil, false
		}
	}
	return &compacted{text: string(out), src: src, at: at, was: was}, true
}

// actions finds the {{...}} actions of a template source, as the minifier's
// lexer does (quoted strings may hold "}}"), and gives their offsets and
// texts.
func actions(src []byte) (starts []int, texts []string) {
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("{{"))
		if j < 0 {
			return starts, texts
		}
		start := i + j
		k := start + 2
	scan:
		for k < len(src) {
			switch c := src[k]; {
			case c == '}' && k+1 < len(src) && src[k+1] == '}':
				k += 2
				break scan
			case c == '"' || c == '\'':
				k++
				for escape := false; k < len(src); k++ {
					if !escape && src[k] == c {
						break
					}
					escape = !escape && src[k] == '\\'
				}
				k++
			default:
				k++
			}
		}
		k = min(k, len(src))
		starts = append(starts, start)
		texts = append(texts, string(src[start:k]))
		i = k
	}
}

// source maps a position in the compact text (line from 1, column from 0 in
// bytes, as text/template counts) to the same place in the source.
func (c *compacted) source(line, col int) (int, int) {
	off := offsetOf(c.text, line, col)
	i := sort.SearchInts(c.at, off+1) - 1 // the last action starting at or before off
	if i < 0 {
		return line, col
	}
	orig := c.was[i] + off - c.at[i]
	return lineCol(c.src, min(orig, len(c.src)))
}

func offsetOf(text string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		nl := strings.IndexByte(text[off:], '\n')
		if nl < 0 {
			return len(text)
		}
		off += nl + 1
	}
	return min(off+col, len(text))
}

func lineCol(src []byte, off int) (int, int) {
	before := src[:off]
	line := 1 + bytes.Count(before, []byte("\n"))
	return line, off - (bytes.LastIndexByte(before, '\n') + 1)
}

// tmplPos matches a template position in an error message:
// "template: story.html:12:5:".
var tmplPos = regexp.MustCompile(`template: ?([^:\s]+):(\d+):(\d+):`)

// asWritten rewrites the positions in an error message from executing
// compact templates to positions in the files as written.
func (r *Renderer) asWritten(msg string) string {
	if len(r.compact) == 0 {
		return msg
	}
	return tmplPos.ReplaceAllStringFunc(msg, func(m string) string {
		s := tmplPos.FindStringSubmatch(m)
		c := r.compact[s[1]]
		if c == nil {
			return m
		}
		line, _ := strconv.Atoi(s[2])
		col, _ := strconv.Atoi(s[3])
		line, col = c.source(line, col)
		return strings.Replace(m, s[1]+":"+s[2]+":"+s[3]+":", s[1]+":"+strconv.Itoa(line)+":"+strconv.Itoa(col)+":", 1)
	})
}
