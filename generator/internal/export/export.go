// Package export turns a learning pack's print page, as the build wrote it,
// into files a training lead can take elsewhere: one self-contained HTML
// file to email, a SCORM 1.2 or SCORM 2004 package for a learning
// management system, and an EPUB 3 book. (A PDF is the HTML file printed by a browser; see PDF.)
// It reads only the built output, never the content model.
package export

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io/fs"
	"mime"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/check"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Pack is what an export needs to know about a pack besides its page.
type Pack struct {
	Slug     string
	Title    string
	Summary  string
	Language string // "en-GB"
	SiteURL  string // "https://example.org/ot/", for links back to the site
	BasePath string // "/ot/": the path part of SiteURL
	// Dir is the folder of the pack's language in the site, "cy/" for a
	// language under its own folder; "" for the site's default language.
	Dir   string
	Paper string // "A4" or "letter", for printing
	// Updated is the pack's version: the newest of its items' dates. An
	// EPUB gives it as its modified time, so the same pack makes the same
	// bytes in every build.
	Updated time.Time
	// Certifier is who vouches for an EPUB's accessibility, with their
	// credential and the address of their report ("" when none).
	Certifier, CertifierCredential, CertifierReport string
	// Words are the text the export adds, in the pack's language.
	Words Words
}

// page is the print page made ready to leave the site: the site's header,
// breadcrumbs and footer, its scripts and its links to feeds gone; links
// into the site made absolute; and the stylesheets it needs listed by
// their site path.
type page struct {
	doc    *html.Node
	styles []string // site paths of stylesheets, in order
}

// load reads the pack's print page from the built site.
func load(site fs.FS, p Pack) (*page, error) {
	name := path.Join(p.Dir, "packs", p.Slug, "print", "index.html")
	src, err := fs.ReadFile(site, name)
	if err != nil {
		return nil, fmt.Errorf("the pack %q has no print page in the built site (%s): is the slug right?", p.Slug, name)
	}
	doc, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := inlineSVGs(doc); err != nil {
		return nil, err
	}
	pg := &page{doc: doc}
	var drop []*html.Node
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch {
		case n.DataAtom == atom.Script:
			drop = append(drop, n)
			return false
		case n.DataAtom == atom.Link:
			rel := attr(n, "rel")
			if rel == "stylesheet" {
				pg.styles = append(pg.styles, sitePath(attr(n, "href"), p))
			}
			if rel != "canonical" && rel != "icon" {
				drop = append(drop, n)
			}
			return false
		case n.DataAtom == atom.Header && hasClass(n, "site-header"),
			n.DataAtom == atom.Footer && hasClass(n, "site-footer"),
			n.DataAtom == atom.Nav && hasClass(n, "breadcrumbs"),
			hasClass(n, "screen-only"), hasClass(n, "skip-link"):
			drop = append(drop, n)
			return false
		case n.DataAtom == atom.A:
			if h := attr(n, "href"); isLocal(h) && !strings.HasPrefix(h, "#") {
				setAttr(n, "href", absolute(h, p))
			}
		case n.DataAtom == atom.Source && n.Parent != nil && n.Parent.DataAtom == atom.Picture:
			drop = append(drop, n)
		case n.DataAtom == atom.Img:
			// one copy of a picture goes with the pack, its src (the site
			// gives the one up to 960 pixels wide), not every width
			dropAttr(n, "srcset")
			dropAttr(n, "sizes")
			dropAttr(n, "loading")
		}
		return true
	})
	for _, n := range drop {
		n.Parent.RemoveChild(n)
	}
	// the file's title is the pack's, not the print page's
	if t := find(doc, atom.Title); t != nil {
		for t.FirstChild != nil {
			t.RemoveChild(t.FirstChild)
		}
		t.AppendChild(&html.Node{Type: html.TextNode, Data: p.Title})
	}
	return pg, nil
}

// isLocal says whether a link is to this site (root-relative or in-page)
// rather than elsewhere.
func isLocal(h string) bool {
	return h != "" && !strings.HasPrefix(h, "//") && !strings.Contains(h, ":")
}

// sitePath is the file a link on the print page names, relative to the
// site's output folder: "/ot/css/main.css" (or "../../../css/main.css" on a
// site built with relative links) is "css/main.css" for a site under /ot/.
func sitePath(h string, p Pack) string {
	return strings.TrimPrefix(resolve(h, p).Path, p.BasePath)
}

// resolve reads a link as the browser does, from the print page's address.
func resolve(h string, p Pack) *url.URL {
	page := &url.URL{Path: p.BasePath + p.Dir + "packs/" + p.Slug + "/print/"}
	u, err := url.Parse(h)
	if err != nil {
		return &url.URL{Path: h}
	}
	return page.ResolveReference(u)
}

// absolute turns a link into the site into its full address.
func absolute(h string, p Pack) string {
	u := resolve(h, p)
	return strings.TrimSuffix(p.SiteURL, "/") + "/" + strings.TrimPrefix(u.Path, p.BasePath) + fragment(u)
}

func fragment(u *url.URL) string {
	if u.Fragment == "" {
		return ""
	}
	return "#" + u.Fragment
}

// inline makes the page one self-contained file: stylesheets in <style>
// and pictures as data: addresses, so opening it makes no request.
func (pg *page) inline(site fs.FS, p Pack) error {
	var css bytes.Buffer
	for _, s := range pg.styles {
		b, err := fs.ReadFile(site, s)
		if err != nil {
			return fmt.Errorf("stylesheet %s: %w", s, err)
		}
		css.Write(b)
		css.WriteByte('\n')
	}
	if p.Paper != "" {
		fmt.Fprintf(&css, "@page { size: %s; margin: 2cm; }\n", p.Paper)
	}
	style := &html.Node{Type: html.ElementNode, Data: "style", DataAtom: atom.Style}
	style.AppendChild(&html.Node{Type: html.TextNode, Data: css.String()})
	find(pg.doc, atom.Head).AppendChild(style)
	return pg.files(site, p, func(name string, b []byte) string {
		return "data:" + mediaType(name) + ";base64," + base64.StdEncoding.EncodeToString(b)
	})
}

// files points each picture and icon of the page somewhere else: at what
// to(name, data) returns for the file's site path and bytes.
func (pg *page) files(site fs.FS, p Pack, to func(name string, data []byte) string) error {
	var err error
	walk(pg.doc, func(n *html.Node) bool {
		key := "src"
		if n.DataAtom == atom.Link && attr(n, "rel") == "icon" {
			key = "href"
		} else if n.DataAtom != atom.Img {
			return err == nil
		}
		if err != nil || !isLocal(attr(n, key)) {
			return err == nil
		}
		name := sitePath(attr(n, key), p)
		b, rerr := readFile(site, name)
		if rerr != nil {
			err = fmt.Errorf("%s: %w", name, rerr)
			return false
		}
		setAttr(n, key, to(name, b))
		return true
	})
	return err
}

// readFile reads a picture of the built site for an export. An SVG that
// check.SVG refuses is never carried, though the build refuses such files
// already: whoever opens it from a SCORM package or an e-book has no
// Content-Security-Policy to stop its script.
func readFile(site fs.FS, name string) ([]byte, error) {
	b, err := fs.ReadFile(site, name)
	if err == nil && check.IsSVG(name) {
		err = svgError(name, b)
	}
	return b, err
}

// svgError is check.SVG's first finding in an SVG (name, data), as an error.
func svgError(name string, data []byte) error {
	fs := check.SVGFile(name, data)
	if len(fs) == 0 {
		return nil
	}
	return fmt.Errorf("%s:%d:%d: %s; fix: %s", name, fs[0].Line, fs[0].Col, fs[0].Msg, fs[0].Hint)
}

// inlineSVGs checks the pictures a page carries inside itself, as data:
// URLs (an <img> or the icon), as readFile checks pictures in files.
func inlineSVGs(doc *html.Node) error {
	var err error
	walk(doc, func(n *html.Node) bool {
		for _, key := range []string{"src", "href"} {
			v := strings.TrimSpace(attr(n, key))
			if err != nil || !strings.HasPrefix(strings.ToLower(v), "data:image/svg+xml") {
				continue
			}
			meta, text, _ := strings.Cut(v, ",")
			data, derr := base64.StdEncoding.DecodeString(text)
			if !strings.HasSuffix(strings.ToLower(meta), ";base64") {
				var s string
				s, derr = url.PathUnescape(text)
				data = []byte(s)
			}
			if derr == nil { // else no browser can show it either
				err = svgError("a picture in the page (a data: URL)", data)
			}
		}
		return err == nil
	})
	return err
}

// mediaType is a file's type by its extension.
func mediaType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return strings.TrimSuffix(t, "; charset=utf-8")
	}
	return "application/octet-stream"
}

// HTML is the pack as one file with everything it needs inside it: open it
// from an email or a shared drive, print it, or read it offline.
func HTML(site fs.FS, p Pack) ([]byte, error) {
	pg, err := load(site, p)
	if err != nil {
		return nil, err
	}
	if err := pg.inline(site, p); err != nil {
		return nil, err
	}
	return pg.render()
}

func (pg *page) render() ([]byte, error) {
	var out bytes.Buffer
	if err := html.Render(&out, pg.doc); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// --- small helpers over the parsed page ---------------------------------------

func walk(n *html.Node, f func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling // f may not remove c, but a caller's later removal is safe
		if f(c) {
			walk(c, f)
		}
		c = next
	}
}

func find(n *html.Node, a atom.Atom) *html.Node {
	var hit *html.Node
	walk(n, func(c *html.Node) bool {
		if hit == nil && c.DataAtom == a {
			hit = c
		}
		return hit == nil
	})
	return hit
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func dropAttr(n *html.Node, key string) {
	n.Attr = slices.DeleteFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

func hasClass(n *html.Node, class string) bool {
	return slices.Contains(strings.Fields(attr(n, "class")), class)
}
