package check

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const svgOpen = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">`

// marked splits a test file at its § marks: the file without them, and
// "line:col" of each mark, where a finding must be.
func marked(src string) (string, []string) {
	var out strings.Builder
	var at []string
	line, col := 1, 1
	for _, r := range src {
		switch {
		case r == '§':
			at = append(at, fmt.Sprintf("%d:%d", line, col))
			continue
		case r == '\n':
			line, col = line+1, 1
		default:
			col += len(string(r))
		}
		out.WriteRune(r)
	}
	return out.String(), at
}

// refusedSVGs are refused at their § marks (line and column of the
// element or attribute), with a message saying what (want).
var refusedSVGs = []struct{ name, svg, want string }{
	{"script", svgOpen + "\n  §<script>alert(1)</script>\n</svg>", "<script> element, which runs"},
	{"script in CDATA", svgOpen + "\n§<script><![CDATA[ alert(1) ]]></script></svg>", "<script>"},
	{"upper-case script", svgOpen + "§<SCRIPT>alert(1)</SCRIPT></svg>", "<SCRIPT>"},
	{"svg:script", `<svg:svg xmlns:svg="http://www.w3.org/2000/svg">` + "\n §<svg:script>alert(1)</svg:script></svg:svg>", "<script>"},
	{"script with an unbound prefix", svgOpen + "§<x:script>alert(1)</x:script></svg>", "<script>"},
	{"XHTML script", svgOpen + `§<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>`, "<script>"},
	{"XHTML element", svgOpen + `§<h:img xmlns:h="http://www.w3.org/1999/xhtml" src="x" onerror="alert(1)"/></svg>`, "HTML <img>"},
	{"handler", svgOpen + `§<handler type="application/ecmascript">alert(1)</handler></svg>`, "<handler>"},
	{"listener", svgOpen + `§<listener event="click" handler="#h"/></svg>`, "<listener>"},
	{"foreignObject", svgOpen + "\n§<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\"><iframe src=\"x\"/></div></foreignObject></svg>", "<foreignObject>"},
	{"iframe", svgOpen + `§<iframe src="https://example.org/"/></svg>`, "<iframe>"},
	{"embed", svgOpen + `§<embed src="x.swf"/></svg>`, "<embed>"},
	{"object", svgOpen + `§<object data="x.html"/></svg>`, "<object>"},
	{"onload", `<svg xmlns="http://www.w3.org/2000/svg" §onload="alert(1)"/>`, "event attribute onload on <svg>"},
	{"ONLOAD", `<svg xmlns="http://www.w3.org/2000/svg"` + "\n\t§ONLOAD=\"alert(1)\"/>", "ONLOAD"},
	{"onclick deeper", svgOpen + "\n<g>\n  <rect width=\"1\" §onclick=\"alert(1)\"/>\n</g></svg>", "onclick on <rect>"},
	{"namespaced onbegin", svgOpen + `<animate xmlns:ev="urn:x" attributeName="x" §ev:onbegin="alert(1)"/></svg>`, "ev:onbegin"},
	{"several at once", svgOpen + "\n§<script/>\n<rect §onmouseover=\"x()\" §onclick=\"y()\"/>\n§<foreignObject/></svg>", "<script>"},
	{"a javascript: link", svgOpen + `<a §href="javascript:alert(1)"><text>x</text></a></svg>`, "javascript: URL"},
	{"entity-encoded javascript:", svgOpen + `<a §xlink:href="&#106;avascript:alert(1)"><text>x</text></a></svg>`, "<a> xlink:href is a javascript: URL"},
	{"a tab in the scheme", svgOpen + `<a §href="java&#9;script:alert(1)">x</a></svg>`, "javascript:"},
	{"a newline in the scheme", svgOpen + `<a §href="java&#x0A;script:alert(1)">x</a></svg>`, "javascript:"},
	{"upper case and spaces", svgOpen + `<a §href="  JaVaScRiPt:alert(1)">x</a></svg>`, "javascript:"},
	{"vbscript:", svgOpen + `<a §href="vbscript:msgbox">x</a></svg>`, "vbscript:"},
	{"a data: page", svgOpen + `<a §href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a></svg>`, "data: URL"},
	{"set href to javascript:", svgOpen + `<a href="#"><set attributeName="href" §to="javascript:alert(1)"/>x</a></svg>`, "<set> to sets a javascript: URL"},
	{"animate values", svgOpen + `<a><animate attributeName="xlink:href" §values="#a;javascript:alert(1)" dur="1s"/>x</a></svg>`, "javascript:"},
	{"animate from", svgOpen + `<a><animate attributeName="href" §from=" javascript:alert(1)" to="#b"/>x</a></svg>`, "javascript:"},
	{"set an event attribute", svgOpen + `<rect><set §attributeName="onclick" to="alert(1)"/></rect></svg>`, "animates the event attribute onclick"},
	{"animate to a remote file", svgOpen + `<use href="#a"><set attributeName="href" §to="https://evil.example/x.svg#a"/></use></svg>`, "sets href to https://evil.example/x.svg#a"},
	{"use elsewhere", svgOpen + `<use §href="https://evil.example/x.svg#a"/></svg>`, "<use> href loads https://evil.example/x.svg#a from another address"},
	{"use //host", svgOpen + `<use §xlink:href="//evil.example/x.svg#a"/></svg>`, "xlink:href loads"},
	{"use \\\\host", svgOpen + `<use §href="\\evil.example\x.svg#a"/></svg>`, "loads"},
	{"use a data: document", svgOpen + `<use §href="data:image/svg+xml,&lt;svg/&gt;#a"/></svg>`, "data: URL"},
	{"image elsewhere", svgOpen + `<image §href="http://evil.example/x.png"/></svg>`, "<image> href loads"},
	{"feImage elsewhere", svgOpen + `<filter id="f"><feImage §xlink:href="https://evil.example/x.png"/></filter></svg>`, "<feImage>"},
	{"image as a page", svgOpen + `<image §href="data:text/html,x"/></svg>`, "data: URL"},
	{"xml:base elsewhere", svgOpen + `<g §xml:base="https://evil.example/"><use href="x.svg#a"/></g></svg>`, "xml:base loads"},
	{"@import url()", svgOpen + "\n§<style>@import url(https://evil.example/x.css);</style></svg>", "<style> loads https://evil.example/x.css"},
	{"@import string", svgOpen + "§<style>@import 'https://evil.example/x.css';</style></svg>", "loads https://evil.example/x.css"},
	{"escaped url(", svgOpen + `§<style>.a{background:u\72 l(https://evil.example/x.png)}</style></svg>`, "loads https://evil.example/x.png"},
	{"escaped @import", svgOpen + `§<style>@\69mport "//evil.example/x.css";</style></svg>`, "loads //evil.example/x.css"},
	{"url( with quotes and case", svgOpen + `§<style>.a{fill:URL( 'HTTPS://evil.example/x' )}</style></svg>`, "loads HTTPS://evil.example/x"},
	{"image-set in CDATA", svgOpen + "§<style><![CDATA[ .a{background:image-set(\"https://evil.example/x.png\" 1x)} ]]></style></svg>", "loads"},
	{"url split by a comment", svgOpen + "§<style>.a{background:u<!-- -->rl(https://evil.example/x.png)}</style></svg>", "loads"},
	{"javascript: in url()", svgOpen + "§<style>.a{background:url(javascript:alert(1))}</style></svg>", "javascript:"},
	{"style attribute", svgOpen + `<rect §style="fill:red;background:url(https://evil.example/x.png)"/></svg>`, "style attribute on <rect> loads"},
	{"cursor attribute", svgOpen + `<rect §cursor="url(https://evil.example/c.png), auto"/></svg>`, "cursor attribute on <rect> loads"},
	{"filter attribute", svgOpen + `<rect §filter="url('https://evil.example/f.svg#f')"/></svg>`, "filter attribute"},
	{"xml-stylesheet", "§<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?>\n" + svgOpen + "</svg>", "xml-stylesheet"},
	{"billion laughs", "§<!DOCTYPE svg [\n<!ENTITY a \"aaaaaaaaaa\">\n<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n" + svgOpen + "</svg>", "declares entities"},
	{"XXE", "§<!DOCTYPE svg [ <!ENTITY x SYSTEM \"file:///etc/passwd\"> ]>" + svgOpen + "<text>x</text></svg>", "declares entities"},
	{"a declaration in a quoted id", "§<!DOCTYPE svg SYSTEM \"<!ENTITY x 'y'>\">" + svgOpen + "</svg>", "declares entities"},
	{"default attributes", "§<!DOCTYPE svg [ <!ATTLIST svg onload CDATA \"alert(1)\"> ]>" + svgOpen + "</svg>", "declares entities or attributes"},
	{"an entity used", "<!DOCTYPE svg>" + svgOpen + "<text>&x§;</text></svg>", "not well-formed XML"},
	{"not closed", svgOpen + "\n<g>\n§</svg>", "not well-formed XML"},
	{"unquoted attribute", svgOpen + "\n<rect width=§1/></svg>", "not well-formed"},
	{"a bad comment", svgOpen + "<!-- a --§ b --></svg>", "not well-formed"},
	{"an attribute twice", svgOpen + "\n§<rect x=\"1\" x=\"2\"/></svg>", "x twice"},
	{"two roots", svgOpen + "</svg>\n§<svg §onload=\"x\"/>", "second top-level"},
	{"text after", svgOpen + "</svg>§trailing", "text outside"},
	{"Latin-1", "§<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + svgOpen + "</svg>", "UTF-8"},
	{"deep", svgOpen + strings.Repeat("<g>", maxSVGDepth-1) + "§<g>" + strings.Repeat("</g>", maxSVGDepth) + "</svg>", "more than 256 deep"},
	{"lower-case doctype", "§<!doctype svg>" + svgOpen + "</svg>", "declaration"},
}

// TestSVGRefused: each file is refused at the § marks, with a message
// saying what is wrong and a fix.
func TestSVGRefused(t *testing.T) {
	for _, c := range refusedSVGs {
		t.Run(c.name, func(t *testing.T) {
			src, at := marked(c.svg)
			fs := SVG([]byte(src))
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%d:%d", f.Line, f.Col))
				if f.Hint == "" {
					t.Errorf("%d:%d %s: no fix", f.Line, f.Col, f.Msg)
				}
			}
			if strings.Join(got, " ") != strings.Join(at, " ") {
				t.Errorf("findings at %v; want %v\n%v", got, at, fs)
			}
			if len(fs) > 0 && !strings.Contains(fs[0].Msg, c.want) {
				t.Errorf("message %q; want it to say %q", fs[0].Msg, c.want)
			}
		})
	}
}

// TestSVGAccepted: drawings as drawing programs write them, with links,
// references inside the file and to files beside it, pass.
func TestSVGAccepted(t *testing.T) {
	good := maps.Clone(goodSVGs)
	// every SVG of the built-in theme, which every site publishes
	builtin := filepath.Join("..", "..", "..", "themes", "default")
	err := filepath.WalkDir(builtin, func(p string, d os.DirEntry, err error) error {
		if err == nil && IsSVG(p) {
			b, err := os.ReadFile(p)
			good[p] = string(b)
			return err
		}
		return err
	})
	if err != nil || len(good) == len(goodSVGs) {
		t.Fatalf("the built-in theme's SVG files: %v", err)
	}
	for name, src := range good {
		if fs := SVG([]byte(src)); len(fs) > 0 {
			t.Errorf("%s: %v", name, fs)
		}
	}
}

// goodSVGs are drawings as drawing programs write them, with links,
// references inside the file and to files beside it.
var goodSVGs = map[string]string{
	"Inkscape": `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg width="210mm" height="297mm" viewBox="0 0 210 297" version="1.1" id="svg5"
   inkscape:version="1.2.2 (b0a8486541, 2022-12-01)" sodipodi:docname="drawing.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#">
  <sodipodi:namedview id="namedview7" pagecolor="#ffffff" inkscape:zoom="0.7" />
  <defs id="defs2"><linearGradient id="g"><stop offset="0" style="stop-color:#0a4a91"/></linearGradient></defs>
  <metadata><rdf:RDF><cc:Work rdf:about=""><cc:license rdf:resource="http://creativecommons.org/licenses/by/4.0/"/></cc:Work></rdf:RDF></metadata>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
    <rect style="fill:url(#g);stroke:#000;font-family:'Open Sans'" width="50" height="50" x="10" y="10" />
  </g>
</svg>`,
	"references and links": `<?xml version="1.0" encoding="us-ascii"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
` + svgOpen + `
<style><![CDATA[ @import "shapes.css"; .a { fill: url(#g); background: url(photo.png); content: "note: see https://example.org" } ]]></style>
<use href="#icon"/><use xlink:href="icons.svg#a"/><use href="/img/icons.svg#b"/>
<image href="photo.png"/><image href="data:image/png;base64,AAAA"/>
<a href="https://example.org/about"><text>Out</text></a><a xlink:href="/stories/denis/"><text>In</text></a>
<animate attributeName="opacity" values="0;1" dur="1s"/><set attributeName="href" to="#b"/>
<rect fill="url(#g)" filter="url(#f)" cursor="pointer"/>
<text>javascript:alert(1) onload=x &lt;script&gt;</text>
</svg>`,
	"with a byte-order mark": "\ufeff" + svgOpen + "</svg>",
	"empty":                  "",
}

// TestSVGSize: a file over MaxSVG is refused before it is read.
func TestSVGSize(t *testing.T) {
	big := []byte(svgOpen + strings.Repeat(" ", MaxSVG) + "</svg>")
	fs := SVG(big)
	if len(fs) != 1 || !strings.Contains(fs[0].Msg, "10 MB") {
		t.Errorf("SVG of %d bytes: %v", len(big), fs)
	}
}

// FuzzSVG: SVG never panics, puts every finding inside the file, and a file
// it accepts, read again by a plain tokenizer that resolves no namespaces,
// has none of the elements, attributes, URLs and declarations it refuses.
func FuzzSVG(f *testing.F) {
	for _, c := range refusedSVGs {
		src, _ := marked(c.svg)
		f.Add([]byte(src))
	}
	for _, src := range goodSVGs {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fs := SVG(data)
		lines := bytes.Split(data, []byte("\n"))
		for _, fd := range fs {
			if fd.Line < 1 || fd.Line > len(lines) || fd.Col < 1 || fd.Col > len(lines[fd.Line-1])+1 {
				t.Fatalf("finding at %d:%d, outside the file (%d lines): %s", fd.Line, fd.Col, len(lines), fd.Msg)
			}
		}
		if len(fs) > 0 {
			return
		}
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			tok, err := d.RawToken()
			if err != nil {
				return
			}
			switch tk := tok.(type) {
			case xml.StartElement:
				if _, bad := refused[strings.ToLower(tk.Name.Local)]; bad {
					t.Fatalf("accepted <%s:%s>", tk.Name.Space, tk.Name.Local)
				}
				for _, a := range tk.Attr {
					if a.Name.Space == "xmlns" {
						continue // a namespace declaration (xmlns:href="…" names a prefix), not an attribute a browser acts on
					}
					key := strings.ToLower(a.Name.Local)
					if strings.HasPrefix(key, "on") {
						t.Fatalf("accepted the attribute %s:%s", a.Name.Space, a.Name.Local)
					}
					// an address is one value ("0;javascript:" is a path); an
					// animation's values a list of them
					values := []string{a.Value}
					if key == "values" || key == "from" || key == "to" || key == "by" {
						values = strings.Split(a.Value, ";")
					} else if key != "href" && key != "src" {
						values = nil
					}
					for _, v := range values {
						if sc := Scheme(v); sc == "javascript" || sc == "vbscript" {
							t.Fatalf("accepted %s=%q", a.Name.Local, a.Value)
						}
					}
				}
			case xml.Directive:
				if bytes.Contains(tk, []byte("<!ENTITY")) || bytes.Contains(tk, []byte("<!ATTLIST")) {
					t.Fatalf("accepted <!%s>", tk)
				}
			case xml.ProcInst:
				if tk.Target == "xml-stylesheet" {
					t.Fatal("accepted <?xml-stylesheet?>")
				}
			}
		}
	})
}

// TestSVGFile: files are told apart by name; .svgz is read decompressed,
// within MaxSVG, and a place in it is named in the message.
func TestSVGFile(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	bad := svgOpen + "\n<script>alert(1)</script></svg>"
	for _, c := range []struct {
		name string
		data []byte
		want string // the first finding's message has it; "" for none
	}{
		{"a.svg", []byte(bad), "<script>"},
		{"A.SVG", []byte(bad), "<script>"},
		{"a.svgz", gz(bad), "<script> element, which runs in a browser that opens the file (at 2:1 of the decompressed SVG)"},
		{"a.SVGZ", gz(svgOpen + "</svg>"), ""},
		{"a.svgz", []byte(bad), "not a compressed SVG"},
		{"a.svgz", gz(svgOpen + strings.Repeat(" ", MaxSVG) + "</svg>"), "10 MB"},
	} {
		if !IsSVG(c.name) || IsSVG(c.name+".png") {
			t.Errorf("IsSVG(%q)", c.name)
		}
		fs := SVGFile(c.name, c.data)
		switch {
		case c.want == "" && len(fs) > 0:
			t.Errorf("%s: %v", c.name, fs)
		case c.want != "" && (len(fs) == 0 || !strings.Contains(fs[0].Msg, c.want)):
			t.Errorf("%s: %v; want %q", c.name, fs, c.want)
		}
	}
}
