package check

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"sort"
	"strings"
)

// MaxSVG is the largest SVG file SVG reads: a detailed map is a few
// megabytes; more is a drawing to simplify or export as PNG or WebP.
const MaxSVG = 10 << 20

// maxSVGDepth is how deep SVG lets elements nest. Drawing programs nest
// groups a few dozen deep; the limit holds as the file is read, so a file
// of nested elements costs no more than its size.
const maxSVGDepth = 256

// The namespaces SVG tells apart.
const (
	xhtmlNS = "http://www.w3.org/1999/xhtml"
	xmlNS   = "http://www.w3.org/XML/1998/namespace"
)

// SVG checks an SVG file for anything that could run script or load
// something from elsewhere when a browser opens the file itself (a link
// to it, a copy in a SCORM package or an e-book), where no
// Content-Security-Policy protects the reader:
//
//   - elements that run script or hold another document: <script>,
//     <handler>, <listener>, <foreignObject>, <iframe>, <frame>,
//     <frameset>, <embed>, <object>, <applet>, <portal> (in any namespace,
//     any case), and any element in the XHTML namespace;
//   - event attributes (on…), and animating one (attributeName="on…");
//   - javascript:, vbscript: and data: URLs other than pictures (see
//     UnsafeURL) in href, xlink:href, src, xml:base and in animation
//     values, from, to and by (each value of a list);
//   - references the browser fetches from another address: href on any
//     element but <a> (<use>, <image>, <feImage>…), an animation of an
//     href or src, xml:base, url(…) in any attribute, and url(…), @import
//     and address strings in <style> and style attributes. Same-file
//     references (#id) and files of the site (relative or /rooted paths)
//     are fine, and so is a link on <a> to another site;
//   - <?xml-stylesheet?> (it can run an XSLT that writes script), a
//     DOCTYPE with declarations of its own ([…]: entities that expand to
//     gigabytes or read local files, attributes added to every element),
//     and anything that is not well-formed XML, UTF-8, under MaxSVG bytes
//     and maxSVGDepth elements deep.
//
// Each finding has the line and column (1-based, in bytes) of the element
// or attribute at fault.
func SVG(data []byte) []Finding {
	if len(data) > MaxSVG {
		return []Finding{{Line: 1, Col: 1,
			Msg:  fmt.Sprintf("the SVG is %.1f MB; otpress reads SVG files of up to %d MB", float64(len(data))/(1<<20), MaxSVG>>20),
			Hint: "simplify the drawing, or export it as PNG or WebP"}}
	}
	s := &svgCheck{data: data}
	for i, c := range data {
		if c == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "us-ascii") || strings.EqualFold(label, "ascii") {
			return r, nil // a subset of UTF-8
		}
		return nil, errEncoding
	}
	depth := 0
	style := -1 // depth of the open <style>, or -1
	var css strings.Builder
	var styleAt int
	skip := 0 // depth of a refused element, whose insides are not looked at
	roots := 0
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			// where the reader noticed, the last byte it read; a closing
			// tag that closes the wrong element, at the tag
			at := int(d.InputOffset()) - 1
			if bytes.HasPrefix(data[off:], []byte("</")) {
				at = off
			}
			s.malformed(max(at, 0), err)
			break
		}
		end := int(d.InputOffset())
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if roots++; roots == 2 {
					s.add(off, "the SVG has a second top-level element <"+t.Name.Local+">; an XML file has one", "put everything inside the one <svg> element")
				}
			}
			if depth++; depth > maxSVGDepth {
				s.add(off, fmt.Sprintf("the SVG nests elements more than %d deep", maxSVGDepth), "simplify the drawing (ungroup nested groups), or export it as PNG or WebP")
				return s.out
			}
			switch {
			case skip > 0:
			case !s.element(t, off, data[off:end]):
				skip = depth
			case strings.EqualFold(t.Name.Local, "style") && style < 0:
				style, styleAt = depth, off
				css.Reset()
			}
		case xml.EndElement:
			switch depth {
			case style:
				s.css(styleAt, "<style>", css.String(), true)
				style = -1
			case skip:
				skip = 0
			}
			depth--
		case xml.CharData:
			if off == 0 {
				t = bytes.TrimPrefix(t, []byte("\ufeff")) // a byte-order mark
			}
			if style >= 0 {
				css.Write(t)
			} else if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				s.add(off, "the SVG has text outside its <svg> element", "delete it, or move it inside")
			}
		case xml.ProcInst:
			if t.Target == "xml-stylesheet" {
				s.add(off, "the SVG has an <?xml-stylesheet?> instruction, which makes the browser load a stylesheet or an XSLT program that can write script", "delete it; put the styles in a <style> element in the SVG")
			}
		case xml.Directive:
			s.directive(off, t)
		}
	}
	return s.out
}

var errEncoding = errors.New("otpress reads SVG files as UTF-8")

// IsSVG reports whether a file's name makes it an SVG picture to a browser
// or a host: .svg, or .svgz (compressed), in any case.
func IsSVG(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".svg" || ext == ".svgz"
}

// SVGFile checks an SVG file by its name: a .svgz file is decompressed
// first, to at most MaxSVG bytes.
func SVGFile(name string, data []byte) []Finding {
	if !strings.EqualFold(path.Ext(name), ".svgz") {
		return SVG(data)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err == nil {
		data, err = io.ReadAll(io.LimitReader(zr, MaxSVG+1))
	}
	if err != nil {
		return []Finding{{Msg: fmt.Sprintf("the file is not a compressed SVG: %v", err), Hint: "save it again as compressed SVG (.svgz), or as plain SVG (.svg)"}}
	}
	fs := SVG(data)
	for i := range fs { // a place in the decompressed text is not one in the file
		fs[i].Msg += fmt.Sprintf(" (at %d:%d of the decompressed SVG)", fs[i].Line, fs[i].Col)
		fs[i].Line, fs[i].Col = 0, 0
	}
	return fs
}

// svgCheck gathers one file's findings.
type svgCheck struct {
	data  []byte
	lines []int // the offset each line after the first starts at
	out   []Finding
}

// add records a finding at a byte offset of the file.
func (s *svgCheck) add(off int, msg, hint string) {
	line := sort.SearchInts(s.lines, off+1) // lines starting at or before off
	col := off + 1
	if line > 0 {
		col = off - s.lines[line-1] + 1
	}
	s.out = append(s.out, Finding{Line: line + 1, Col: col, Msg: msg, Hint: hint})
}

func (s *svgCheck) malformed(off int, err error) {
	off = min(off, len(s.data))
	var se *xml.SyntaxError
	msg := err.Error()
	if errors.As(err, &se) {
		msg = se.Msg
	}
	if errors.Is(err, errEncoding) {
		s.add(0, "the SVG declares an encoding other than UTF-8; "+errEncoding.Error(), "save it as UTF-8 (a drawing program's plain SVG export does)")
		return
	}
	s.add(off, "the SVG is not well-formed XML: "+strings.TrimPrefix(msg, "xml: "), "a browser shows nothing after such a mistake: fix it, or open the file in a drawing program and save it again as plain SVG")
}

// directive checks <!…>: only a DOCTYPE that declares nothing of its own.
func (s *svgCheck) directive(off int, d xml.Directive) {
	if !bytes.HasPrefix(d, []byte("DOCTYPE")) {
		s.add(off, "the SVG has a declaration <!"+shorten(string(d))+"> outside a DOCTYPE, which is not well-formed XML", "delete it")
		return
	}
	if inDTD(d) {
		s.add(off, "the SVG's DOCTYPE declares entities or attributes of its own (the part in [ ]), which can expand to gigabytes, read local files or add attributes such as onload to every element", "delete the part in [ ] (or the whole <!DOCTYPE …>): browsers do not need it; replace any &name; it defined with its text")
	}
}

// inDTD reports whether a DOCTYPE has an internal subset, or declarations
// without one: a [ outside its quoted public and system ids, or a <
// anywhere (no public id may hold one, and a system id that does is no
// address a drawing needs, only a way to hide a declaration from a
// reader that skips quotes).
func inDTD(d []byte) bool {
	if bytes.IndexByte(d, '<') >= 0 {
		return true
	}
	var quote byte
	for _, c := range d {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			return true
		}
	}
	return false
}

// refused are the elements that run script or hold another document, in
// lower case, with why.
var refused = map[string]string{
	"script":        "runs in a browser that opens the file",
	"handler":       "is an event handler: it runs script",
	"listener":      "attaches event handlers that run script",
	"foreignobject": "holds a web page inside the picture, with its scripts and forms",
	"iframe":        "loads another document into the picture",
	"frame":         "loads another document into the picture",
	"frameset":      "loads other documents into the picture",
	"embed":         "loads a plug-in or another document into the picture",
	"object":        "loads a plug-in or another document into the picture",
	"applet":        "loads a program into the picture",
	"portal":        "loads another document into the picture",
}

// element checks one start tag; tag is the tag as written, for the
// attributes' places. It reports false for an element refused whole,
// whose attributes and insides would only repeat the point.
func (s *svgCheck) element(t xml.StartElement, off int, tag []byte) bool {
	name := t.Name.Local
	lower := strings.ToLower(name)
	if why, ok := refused[lower]; ok {
		s.add(off, fmt.Sprintf("the SVG has a <%s> element, which %s", name, why), "remove it (export the drawing again without scripts or embedded content)")
		return false
	}
	if t.Name.Space == xhtmlNS {
		s.add(off, fmt.Sprintf("the SVG has an HTML <%s> element (the XHTML namespace), which makes that part a web page, with scripts and forms", name), "remove it: an SVG picture needs only SVG elements")
		return false
	}
	at := attrOffsets(tag)
	animated := "" // the attribute an animation changes
	for i, a := range t.Attr {
		if slices.ContainsFunc(t.Attr[:i], func(b xml.Attr) bool { return b.Name == a.Name }) {
			s.add(off, fmt.Sprintf("the SVG is not well-formed XML: <%s> has the attribute %s twice", name, a.Name.Local), "keep one of them")
			return false
		}
		if strings.EqualFold(a.Name.Local, "attributeName") {
			_, animated, _ = strings.Cut(a.Value, ":")
			if animated == "" {
				animated = a.Value
			}
			animated = strings.ToLower(strings.TrimSpace(animated))
		}
	}
	for i, a := range t.Attr {
		pos := off
		if i < len(at) {
			pos = off + at[i]
		}
		s.attr(name, lower, animated, a, pos)
	}
	return true
}

// attr checks one attribute of the element name (lower: in lower case);
// animated is the attribute the element animates, if it is an animation.
func (s *svgCheck) attr(name, lower, animated string, a xml.Attr, pos int) {
	written := rawName(s.data[pos:], a.Name.Local) // xlink:href, as the file has it
	if written == "xmlns" || strings.HasPrefix(written, "xmlns:") {
		return // a namespace declaration: its value names, never loads
	}
	key := strings.ToLower(a.Name.Local)
	switch {
	case strings.HasPrefix(key, "on"):
		s.add(pos, fmt.Sprintf("the SVG has an event attribute %s on <%s>, which runs script", written, name), "remove the attribute (export the drawing again without scripts)")
	case key == "attributename" && strings.HasPrefix(animated, "on"):
		s.add(pos, fmt.Sprintf("the SVG's <%s> animates the event attribute %s, which would run script", name, a.Value), "remove the animation")
	case key == "href" || key == "src" || key == "base" && a.Name.Space == xmlNS:
		s.url(pos, name, written, a.Value, lower == "a", lower == "image" || lower == "feimage")
	case key == "values" || key == "from" || key == "to" || key == "by":
		loads := animated == "href" || animated == "src"
		for v := range strings.SplitSeq(a.Value, ";") {
			if scheme, unsafe := UnsafeURL(v, false); unsafe {
				s.add(pos, fmt.Sprintf("the SVG's <%s> %s sets a %s: URL, which can run script or show a page of its own", name, written, scheme), urlHint)
				break
			}
			if loads && remote(v) {
				s.add(pos, fmt.Sprintf("the SVG's <%s> sets %s to %s, which the browser would load from another address", name, animated, shorten(v)), remoteHint)
				break
			}
		}
	case key == "style":
		s.css(pos, "style attribute on <"+name+">", a.Value, true)
	default:
		s.css(pos, written+" attribute on <"+name+">", a.Value, false)
	}
}

// rawName is the attribute's name as written at the start of b, or local
// when b does not start with a name ending in it.
func rawName(b []byte, local string) string {
	i := 0
	for i < len(b) && i < 200 && b[i] != '=' && !isXMLSpace(b[i]) {
		i++
	}
	if name := string(b[:i]); strings.HasSuffix(name, local) {
		return name
	}
	return local
}

const (
	urlHint    = "remove it: in an SVG, link with #id to a part of the file, with a file name to a file of the site, or to another site from an <a>"
	remoteHint = "copy what it loads into the drawing, or put the file in the site and refer to it by its name; #id references inside the file are fine"
)

// url checks an address in href, src or xml:base. On <a> it is a link,
// which may go to any site; anywhere else the browser loads it.
func (s *svgCheck) url(pos int, name, attr, v string, link, picture bool) {
	if scheme, unsafe := UnsafeURL(v, picture); unsafe {
		s.add(pos, fmt.Sprintf("the SVG's <%s> %s is a %s: URL, which can run script or show a page of its own", name, attr, scheme), urlHint)
		return
	}
	if !link && remote(v) {
		s.add(pos, fmt.Sprintf("the SVG's <%s> %s loads %s from another address when the picture is opened", name, attr, shorten(v)), remoteHint)
	}
}

// css checks CSS (a <style> element, a style attribute, or any attribute,
// which may hold url(…)) for addresses loaded from elsewhere or that run
// script. strs: also its quoted strings (@import "…", image-set("…")).
func (s *svgCheck) css(pos int, where, text string, strs bool) {
	if !strs && !strings.Contains(strings.ToLower(text), "url") && !strings.Contains(text, `\`) {
		return // the common case: no url(…) can be in it
	}
	for _, u := range cssURLs(text, strs) {
		if scheme, unsafe := UnsafeURL(u.addr, true); unsafe {
			s.add(pos, fmt.Sprintf("the SVG's %s has a %s: URL, which can run script or show a page of its own", where, scheme), urlHint)
		} else if u.quoted && special(u.addr) || !u.quoted && remote(u.addr) {
			s.add(pos, fmt.Sprintf("the SVG's %s loads %s from another address when the picture is opened", where, shorten(u.addr)), remoteHint)
		}
	}
}

// remote reports whether an address a browser loads leads off the site:
// it has a scheme (other than data:, which UnsafeURL judges) or starts
// with // (or \\, which browsers read as //).
func remote(v string) bool {
	if sc := Scheme(v); sc != "" {
		return sc != "data"
	}
	v = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, strings.TrimLeftFunc(v, func(r rune) bool { return r <= ' ' }))
	return strings.HasPrefix(v, "//")
}

// special reports whether a CSS string is an address of another site:
// one a browser would load from the network or disk (http:, https:, ftp:,
// file:, ws:, wss:) or starting with //. Other strings are text (a font's
// name, "note: …").
func special(v string) bool {
	switch Scheme(v) {
	case "http", "https", "ftp", "file", "ws", "wss":
		return true
	case "":
		return remote(v)
	}
	return false
}

// shorten is an address as a message shows it: the first 60 characters.
func shorten(v string) string {
	r := []rune(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '\uFFFD' // no control characters into a terminal
		}
		return r
	}, strings.TrimSpace(v)))
	if len(r) > 60 {
		return string(r[:57]) + "…"
	}
	return string(r)
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// cssURL is an address found in CSS: in url(…), or a quoted string.
type cssURL struct {
	addr   string
	quoted bool // a string outside url(…)
}

// cssURLs lists the addresses in CSS as a browser's tokenizer reads them:
// comments skipped, escapes decoded (u\72l( is url(), url(…) with or
// without quotes, and, when strs is set, every other quoted string.
func cssURLs(css string, strs bool) []cssURL {
	var out []cssURL
	r := []rune(css)
	for i := 0; i < len(r); {
		switch c := r[i]; {
		case c == '/' && i+1 < len(r) && r[i+1] == '*':
			j := i + 2
			for j+1 < len(r) && (r[j] != '*' || r[j+1] != '/') {
				j++
			}
			i = j + 2 // past the */, or the end: an unclosed comment runs to it
		case c == '"' || c == '\'':
			v, n := cssString(r[i:])
			if strs {
				out = append(out, cssURL{v, true})
			}
			i += n
		case isNameRune(c) || c == '\\':
			name, n := cssName(r[i:])
			i += n
			if strings.EqualFold(name, "url") && i < len(r) && r[i] == '(' {
				v, n := cssURLArg(r[i+1:])
				out = append(out, cssURL{v, false})
				i += 1 + n
			}
		default:
			i++
		}
	}
	return out
}

func isNameRune(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80
}

// cssEscape decodes the escape at r[0] == '\\': up to six hex digits and
// one space after them, or the next character as itself.
func cssEscape(r []rune) (rune, int) {
	if len(r) < 2 {
		return 0xFFFD, len(r)
	}
	n, v := 1, rune(0)
	for n < len(r) && n <= 6 && isHex(r[n]) {
		v = v*16 + hexVal(r[n])
		n++
	}
	if n == 1 {
		return r[1], 2
	}
	if n < len(r) && (r[n] == ' ' || r[n] == '\t' || r[n] == '\n') {
		n++
	}
	if v == 0 || v > 0x10FFFF || v >= 0xD800 && v <= 0xDFFF {
		v = 0xFFFD
	}
	return v, n
}

func isHex(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c rune) rune {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// cssName reads an identifier, escapes decoded.
func cssName(r []rune) (string, int) {
	var b strings.Builder
	i := 0
	for i < len(r) {
		switch {
		case r[i] == '\\':
			c, n := cssEscape(r[i:])
			b.WriteRune(c)
			i += n
		case isNameRune(r[i]):
			b.WriteRune(r[i])
			i++
		default:
			return b.String(), max(i, 1)
		}
	}
	return b.String(), max(i, 1)
}

// cssString reads a quoted string from its opening quote.
func cssString(r []rune) (string, int) {
	var b strings.Builder
	for i := 1; i < len(r); {
		switch r[i] {
		case r[0]:
			return b.String(), i + 1
		case '\n':
			return b.String(), i // an unclosed string ends at the line
		case '\\':
			if i+1 < len(r) && r[i+1] == '\n' {
				i += 2 // a line continued
				continue
			}
			c, n := cssEscape(r[i:])
			b.WriteRune(c)
			i += n
		default:
			b.WriteRune(r[i])
			i++
		}
	}
	return b.String(), len(r)
}

// cssURLArg reads url(…)'s argument after the (: a quoted string or the
// bare address, up to the ).
func cssURLArg(r []rune) (string, int) {
	i := 0
	for i < len(r) && (r[i] == ' ' || r[i] == '\t' || r[i] == '\n') {
		i++
	}
	if i < len(r) && (r[i] == '"' || r[i] == '\'') {
		v, n := cssString(r[i:])
		end := slices.Index(r[i+n:], ')')
		if end < 0 {
			return v, len(r)
		}
		return v, i + n + end + 1
	}
	var b strings.Builder
	for i < len(r) && r[i] != ')' {
		if r[i] == '\\' {
			c, n := cssEscape(r[i:])
			b.WriteRune(c)
			i += n
			continue
		}
		b.WriteRune(r[i])
		i++
	}
	return strings.TrimSpace(b.String()), min(i+1, len(r))
}
