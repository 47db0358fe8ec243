// Package check inspects rendered pages for accessibility and integrity
// rules that no single template or Markdown file can see on its own: ids
// used twice, in-page links to ids that do not exist, images without alt,
// the number of h1 headings, and inline styles or scripts that a strict
// Content-Security-Policy would block. It reads the HTML as the templates
// wrote it (every attribute value quoted) and is fast enough to run on every
// page of every build. It also holds the rules for what a site may publish
// that no page check sees: URLs that run script (UnsafeURL) and SVG files
// that could (SVG).
package check

import (
	"bytes"
	"fmt"
	"html"
	"slices"
)

// Finding is one rule broken by a page or file.
type Finding struct {
	Line, Col int // 1-based, in bytes, where a file check (SVG) knows it; 0 for a page
	Msg       string
	Hint      string
	// Frag, for a link to a part of the page that no element names, is
	// that part's id: a link written in the content is reported where it
	// is written (site's checkLinks), not as a fault of the page
	Frag string
}

// Page checks one rendered HTML page.
func Page(doc []byte) []Finding {
	var out []Finding
	pg := scan(doc)
	ids := map[string]int{}
	for _, v := range pg.ids {
		ids[v]++
	}
	var dups []string
	for id, n := range ids {
		if n > 1 {
			dups = append(dups, id)
		}
	}
	slices.Sort(dups)
	for _, id := range dups {
		out = append(out, Finding{
			Msg:  fmt.Sprintf("the id %q is used %d times on the page", id, ids[id]),
			Hint: "ids must be unique: rename a heading or the template element that repeats it",
		})
	}
	missing := map[string]bool{}
	for _, frag := range pg.frags { // in-page links only
		href := "#" + frag
		if frag != "" && ids[frag] == 0 && !missing[href] {
			missing[href] = true
			out = append(out, Finding{
				Msg:  fmt.Sprintf("the link to %q goes nowhere: no element on the page has that id", href),
				Hint: "link to a heading's id as shown in the page, or remove the #part",
				Frag: frag,
			})
		}
	}
	for range pg.imgsWithoutAlt {
		out = append(out, Finding{Msg: "an image has no alt attribute", Hint: "give every picture a text alternative, or alt=\"\" if it is purely decorative"})
	}
	if pg.h1s != 1 {
		out = append(out, Finding{Msg: fmt.Sprintf("the page has %d level-1 headings; it needs exactly one", pg.h1s), Hint: "the page title is the level-1 heading; start sections with ##"})
	}
	if pg.style {
		out = append(out, Finding{Msg: "the page has an inline style attribute, which a strict Content-Security-Policy blocks", Hint: "move the style into the theme's CSS file"})
	}
	for range pg.inlineScripts {
		out = append(out, Finding{Msg: "the page has an inline script, which a strict Content-Security-Policy blocks", Hint: "load scripts from a file under static/"})
	}
	return out
}

// IDs lists the ids of the elements of a rendered page, in order.
func IDs(doc []byte) []string { return scan(doc).ids }

// page is what the checks need of a page, gathered in one pass.
type page struct {
	ids            []string // every id="…", in order
	frags          []string // every href="#…", without the #
	imgsWithoutAlt int
	h1s            int
	style          bool // a style="…" attribute
	inlineScripts  int  // <script> with neither src nor type="application/ld+json"
}

// scan reads the page's tags in one pass from each < to the next >: the
// templates and Markdown escape < and > in text and attribute values, and
// JSON-LD has them as \u003c and \u003e, so a < always opens a tag, a
// closing tag, a comment or the doctype. Six passes over the whole page,
// one for each rule, cost twice as much.
func scan(doc []byte) page {
	var pg page
	for i := 0; ; {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			return pg
		}
		start := i + j + 1
		k := bytes.IndexByte(doc[start:], '>')
		if k < 0 {
			return pg
		}
		tag := doc[start : start+k]
		i = start + k + 1
		n := 0
		for n < len(tag) && (tag[n] >= 'a' && tag[n] <= 'z' || tag[n] >= '0' && tag[n] <= '9') {
			n++
		}
		if n == 0 {
			continue // a closing tag, a comment or the doctype
		}
		name, attrs := string(tag[:n]), tag[n:]
		if len(attrs) > 0 && attrs[0] != ' ' && attrs[0] != '\n' && attrs[0] != '/' {
			continue // not an element we know: <h1x>, <my-el>
		}
		switch name {
		case "img":
			if !hasAttr(attrs, "alt") {
				pg.imgsWithoutAlt++
			}
		case "h1":
			pg.h1s++
		case "script":
			if !bytes.Contains(attrs, []byte(" src=")) && !bytes.Contains(attrs, []byte(`type="application/ld+json"`)) {
				pg.inlineScripts++
			}
		}
		// the quoted attributes, each name="value" after a space
		for {
			q := bytes.IndexByte(attrs, '"')
			if q < 1 || attrs[q-1] != '=' {
				break
			}
			end := bytes.IndexByte(attrs[q+1:], '"')
			if end < 0 {
				break
			}
			key, val := attrs[:q-1], attrs[q+1:q+1+end]
			attrs = attrs[q+2+end:]
			sp := bytes.LastIndexByte(key, ' ')
			if sp < 0 {
				continue
			}
			switch string(key[sp+1:]) {
			case "id":
				pg.ids = append(pg.ids, unescape(val))
			case "href":
				if len(val) > 0 && val[0] == '#' {
					pg.frags = append(pg.frags, unescape(val[1:]))
				}
			case "style":
				pg.style = true
			}
		}
	}
}

// unescape is an attribute's value as text.
func unescape(v []byte) string {
	if bytes.IndexByte(v, '&') >= 0 {
		return html.UnescapeString(string(v))
	}
	return string(v)
}

// hasAttr reports whether a tag's attributes (as written after its name)
// have the attribute name, with a value or empty: the minifier writes
// alt="" as a bare alt.
func hasAttr(attrs []byte, name string) bool {
	for i := 0; ; {
		j := bytes.Index(attrs[i:], []byte(name))
		if j < 0 {
			return false
		}
		at, end := i+j, i+j+len(name)
		before := at > 0 && (attrs[at-1] == ' ' || attrs[at-1] == '\n' || attrs[at-1] == '\t')
		after := end == len(attrs) || bytes.IndexByte([]byte("= \n\t/>"), attrs[end]) >= 0
		if before && after {
			return true
		}
		i = end
	}
}
