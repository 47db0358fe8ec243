package check

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/net/html"
)

// Allowable lists what a site may let raw HTML use by naming it in
// site.toml's [markup] allow: each is an element refused otherwise ("form"
// also covers the form… attributes of buttons and inputs, "meta" the
// http-equiv attribute, "script" only scripts loaded from a file).
// Event-handler attributes, style, inline scripts and javascript: URLs are
// never allowed: the site's Content-Security-Policy blocks them.
var Allowable = []string{"base", "embed", "form", "iframe", "meta", "object", "script"}

// RawFinding is one thing raw HTML may not do, at a byte offset of the
// fragment: the "<" of its tag or the first letter of its attribute.
type RawFinding struct {
	Offset    int
	Msg, Hint string
}

// RawHTML reads the raw HTML of a document (its Markdown HTML blocks and
// inline tags, in order) as a browser would, character references
// decoded, and returns what it may not do: run script (event-handler
// attributes, javascript: and vbscript: URLs, data: URLs other than
// pictures, inline scripts), embed or submit to other pages (iframe,
// object, embed, form), change how the page's addresses or headers are
// read (base, meta http-equiv), or style inline; the elements listed in
// allow are let through. The pieces are read as one, with a new line
// between, since what one leaves open (a comment, a <textarea>) goes on
// past the Markdown between them; a tag still open at the end of its
// piece is refused, since the text after it would become part of the tag.
// Offsets are into the pieces so joined.
func RawHTML(pieces [][]byte, allow map[string]bool) []RawFinding {
	var out []RawFinding
	frag := bytes.Join(pieces, []byte("\n"))
	var ends []int // where each piece ends in frag
	for _, p := range pieces {
		ends = append(ends, len(p))
		if len(ends) > 1 {
			ends[len(ends)-1] += ends[len(ends)-2] + 1
		}
	}
	notClosed := func(off int) RawFinding {
		return RawFinding{off, "the HTML tag here is not closed: the text after it would become part of the tag",
			"end the tag with > before the end of the HTML (a blank line ends HTML in Markdown)"}
	}
	z := html.NewTokenizer(bytes.NewReader(frag))
	off, piece := 0, 0
	for {
		tt := z.Next()
		raw := z.Raw()
		if tt == html.ErrorToken {
			if off < len(frag) {
				out = append(out, notClosed(off))
			}
			return out
		}
		for piece < len(ends) && ends[piece] <= off {
			piece++
		}
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken || tt == html.EndTagToken {
			if piece < len(ends) && off+len(raw) > ends[piece] {
				out = append(out, notClosed(off))
			}
		}
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			out = append(out, tag(z, raw, off, allow)...)
		}
		off += len(raw)
	}
}

// rawRefused says why each element is refused unless allowed.
var rawRefused = map[string][2]string{
	"iframe": {"<iframe> shows another site's page inside this one, where it can run script and ask for things under this site's name", "link to the page instead, or add \"iframe\" to [markup] allow in site.toml if you trust where it comes from"},
	"object": {"<object> embeds a document or plug-in that can run script", "link to the file instead, or add \"object\" to [markup] allow in site.toml"},
	"embed":  {"<embed> embeds a document or plug-in that can run script", "link to the file instead, or add \"embed\" to [markup] allow in site.toml"},
	"base":   {"<base> changes where every link and picture of the page leads", "remove it and write the links out in full, or add \"base\" to [markup] allow in site.toml"},
	"form":   {"<form> sends what readers type to the address it names", "link to the form's page instead, or add \"form\" to [markup] allow in site.toml"},
	"script": {"<script> runs a program in readers' browsers", "remove it, or add \"script\" to [markup] allow in site.toml and load the script from a file in static/"},
}

// urlAttrs are the attributes whose values browsers follow or load.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "srcset": true, "action": true, "formaction": true, "xlink:href": true,
	"data": true, "poster": true, "background": true, "cite": true, "ping": true, "codebase": true,
	"longdesc": true, "manifest": true, "archive": true, "classid": true, "icon": true, "lowsrc": true, "dynsrc": true,
}

func tag(z *html.Tokenizer, raw []byte, off int, allow map[string]bool) []RawFinding {
	var out []RawFinding
	name, more := z.TagName()
	el := string(name)
	if why, ok := rawRefused[el]; ok && !allow[el] {
		out = append(out, RawFinding{off, why[0], why[1]})
	}
	if el == "style" {
		out = append(out, RawFinding{off, "a <style> element is blocked by the site's Content-Security-Policy",
			"give the element a class and style it in the theme's CSS (themes/<name>/static/css/)"})
	}
	attrs := attrOffsets(raw)
	src := false
	for i := 0; more; i++ {
		var k, v []byte
		k, v, more = z.TagAttr()
		key, val := string(k), string(v)
		at := off
		if i < len(attrs) {
			at += attrs[i]
		}
		switch {
		case strings.HasPrefix(key, "on"):
			out = append(out, RawFinding{at, fmt.Sprintf("the event-handler attribute %s= runs script, which the site's Content-Security-Policy blocks", key),
				"remove it; a script belongs in a file in static/, loaded with <script src=…> (allow \"script\" in site.toml)"})
			continue
		case key == "style":
			out = append(out, RawFinding{at, "a style= attribute is blocked by the site's Content-Security-Policy",
				"give the element a class and style it in the theme's CSS (themes/<name>/static/css/)"})
			continue
		case strings.HasPrefix(key, "form") && !allow["form"]:
			out = append(out, RawFinding{at, fmt.Sprintf("the %s= attribute makes a button send a form to another address", key),
				"remove it, or add \"form\" to [markup] allow in site.toml"})
			continue
		case el == "meta" && key == "http-equiv" && !allow["meta"]:
			out = append(out, RawFinding{at, fmt.Sprintf("<meta http-equiv=%q> acts as a header of the page: it can send readers elsewhere or change its security", val),
				"remove it, or add \"meta\" to [markup] allow in site.toml"})
			continue
		case key == "src":
			src = true
		}
		if urlAttrs[key] || (el == "animate" || el == "set") && (key == "to" || key == "values" || key == "from" || key == "by") {
			picture := el == "img" && (key == "src" || key == "srcset") || el == "source" && key == "srcset" ||
				el == "video" && key == "poster" || el == "image" && (key == "href" || key == "xlink:href")
			if scheme, bad := unsafeList(key, val, picture); bad {
				out = append(out, RawFinding{at, fmt.Sprintf("the %s: address in %s= would run script or show a document made of the address itself", scheme, key),
					"link to a web address (https://…) or to a page or file of this site"})
			}
		}
	}
	if el == "script" && allow["script"] && !src {
		out = append(out, RawFinding{off, "an inline <script> is blocked by the site's Content-Security-Policy",
			"put the script in a file in static/ and load it with <script src=\"/js/name.js\"></script>"})
	}
	return out
}

// unsafeList checks a URL attribute, or each URL of one that lists them:
// srcset ("a.jpg 1x, b.jpg 2x") and SVG animation values ("a;b").
func unsafeList(key, val string, picture bool) (string, bool) {
	var parts []string
	switch key {
	case "srcset":
		parts = strings.Split(val, ",")
	case "values":
		parts = strings.Split(val, ";")
	default:
		parts = []string{val}
	}
	for _, p := range parts {
		if scheme, bad := UnsafeURL(strings.TrimSpace(p), picture); bad {
			return scheme, true
		}
	}
	return "", false
}

// attrOffsets finds where each attribute's name starts in a start tag as
// written, in order, as an HTML tokenizer reads them (and so in a
// well-formed XML tag): after the tag name, each name runs to white space,
// "/", ">" or "=", and a value is quoted or runs to white space or ">".
func attrOffsets(raw []byte) []int {
	var out []int
	i := 1
	for i < len(raw) && !isSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' {
		i++
	}
	for i < len(raw) {
		for i < len(raw) && (isSpace(raw[i]) || raw[i] == '/') {
			i++
		}
		if i >= len(raw) || raw[i] == '>' {
			return out
		}
		out = append(out, i)
		i++ // a name may start with "="
		for i < len(raw) && !isSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' && raw[i] != '=' {
			i++
		}
		for i < len(raw) && isSpace(raw[i]) {
			i++
		}
		if i >= len(raw) || raw[i] != '=' {
			continue
		}
		i++
		for i < len(raw) && isSpace(raw[i]) {
			i++
		}
		if i < len(raw) && (raw[i] == '"' || raw[i] == '\'') {
			q := raw[i]
			i++
			for i < len(raw) && raw[i] != q {
				i++
			}
			i++
			continue
		}
		for i < len(raw) && !isSpace(raw[i]) && raw[i] != '>' {
			i++
		}
	}
	return out
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' }
