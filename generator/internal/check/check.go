// Package check inspects rendered pages for accessibility and integrity
// rules that no single template or Markdown file can see on its own: ids
// used twice, in-page links to ids that do not exist, images without alt,
// the number of h1 headings, and inline styles or scripts that a strict
// Content-Security-Policy would block. It reads the HTML as the templates
// wrote it (every attribute value quoted) and is fast enough to run on every
// page of every build.
package check

import (
	"bytes"
	"fmt"
	"html"
	"slices"
	"strings"
)

// Finding is one rule broken by a page.
type Finding struct {
	Msg  string
	Hint string
}

// Page checks one rendered HTML page.
func Page(doc []byte) []Finding {
	var out []Finding
	ids := map[string]int{}
	for _, v := range attrValues(doc, "id") {
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
	for _, frag := range attrValues(doc, "href=\"#") { // in-page links only
		href := "#" + frag
		if frag != "" && ids[frag] == 0 && !missing[href] {
			missing[href] = true
			out = append(out, Finding{
				Msg:  fmt.Sprintf("the link to %q goes nowhere: no element on the page has that id", href),
				Hint: "link to a heading's id as shown in the page, or remove the #part",
			})
		}
	}
	for _, tag := range tags(doc, "img") {
		if !bytes.Contains(tag, []byte(" alt=")) {
			out = append(out, Finding{Msg: "an image has no alt attribute", Hint: "give every picture a text alternative, or alt=\"\" if it is purely decorative"})
		}
	}
	if n := len(tags(doc, "h1")); n != 1 {
		out = append(out, Finding{Msg: fmt.Sprintf("the page has %d level-1 headings; it needs exactly one", n), Hint: "the page title is the level-1 heading; start sections with ##"})
	}
	if bytes.Contains(doc, []byte(` style="`)) {
		out = append(out, Finding{Msg: "the page has an inline style attribute, which a strict Content-Security-Policy blocks", Hint: "move the style into the theme's CSS file"})
	}
	for _, tag := range tags(doc, "script") {
		if !bytes.Contains(tag, []byte(" src=")) && !bytes.Contains(tag, []byte(`type="application/ld+json"`)) {
			out = append(out, Finding{Msg: "the page has an inline script, which a strict Content-Security-Policy blocks", Hint: "load scripts from a file under static/"})
		}
	}
	return out
}

// IDs lists the ids of the elements of a rendered page, in order.
func IDs(doc []byte) []string { return attrValues(doc, "id") }

// tags returns the opening tags <name ...> in doc.
func tags(doc []byte, name string) [][]byte {
	var out [][]byte
	open := []byte("<" + name)
	for i := 0; ; {
		j := bytes.Index(doc[i:], open)
		if j < 0 {
			return out
		}
		start := i + j
		end := start + len(open)
		if end < len(doc) && (doc[end] == ' ' || doc[end] == '>' || doc[end] == '\n' || doc[end] == '/') {
			k := bytes.IndexByte(doc[end:], '>')
			if k < 0 {
				return out
			}
			out = append(out, doc[start:end+k+1])
			i = end + k + 1
			continue
		}
		i = end
	}
}

// attrValues returns the unescaped values of name="..." attributes (or, when
// name already ends in a quote and more, of the rest of such values). Text
// content cannot hold them: templates and Markdown escape quotes in text.
func attrValues(doc []byte, name string) []string {
	var out []string
	key := []byte(" " + name + `="`)
	if strings.Contains(name, `"`) {
		key = []byte(" " + name)
	}
	for i := 0; ; {
		j := bytes.Index(doc[i:], key)
		if j < 0 {
			return out
		}
		start := i + j + len(key)
		k := bytes.IndexByte(doc[start:], '"')
		if k < 0 {
			return out
		}
		v := string(doc[start : start+k])
		if strings.IndexByte(v, '&') >= 0 {
			v = html.UnescapeString(v)
		}
		out = append(out, v)
		i = start + k + 1
	}
}
