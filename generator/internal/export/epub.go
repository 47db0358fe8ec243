package export

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	epub "github.com/go-shiori/go-epub"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// epubCSS is the book's own small stylesheet: reading systems bring their
// own typography, so it styles only what the pack adds (tables, notes,
// room to write).
const epubCSS = `body { line-height: 1.5; }
.kind-label, .meta, .entry-number { color: #4a4a4a; }
table { border-collapse: collapse; }
th, td { border: 1px solid #767676; padding: 0.25em 0.5em; text-align: left; }
.align-right { text-align: right; }
.note { border-left: 4px solid #767676; padding-left: 0.75em; }
.write-space { min-height: 6em; border: 1px solid #767676; margin: 0.25em 0 0.75em; }
.write-space.short { min-height: 2em; max-width: 12em; }
.write-inline { display: inline-block; min-width: 8em; border-bottom: 1px solid #767676; }
.tick-list { list-style: none; padding: 0; }
.tick-box { display: inline-block; width: 1em; height: 1em; border: 1px solid #767676; margin-right: 0.35em; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.ts, .speaker { font-weight: bold; }
`

// EPUB is the pack as an EPUB 3 book: an opening chapter with the pack's
// purpose and outcomes, a chapter for each item in full, then the
// questions for the whole pack and the CPD reflection sheet; pictures
// inside; accessibility metadata in the package.
func EPUB(site fs.FS, p Pack) ([]byte, error) {
	pg, err := load(site, p)
	if err != nil {
		return nil, err
	}
	article := findClass(pg.doc, atom.Article, "pack-print")
	if article == nil {
		return nil, fmt.Errorf("the print page of %q has no pack in it", p.Slug)
	}
	book, err := epub.NewEpub(p.Title)
	if err != nil {
		return nil, err
	}
	book.SetLang(p.Language)
	book.SetDescription(p.Summary)
	book.SetIdentifier("urn:otpress:pack:" + strings.TrimSuffix(p.SiteURL, "/") + "/packs/" + p.Slug + "/")
	book.SetAuthor(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(p.SiteURL, "https://"), "http://"), "/"))
	css, err := book.AddCSS("data:text/css;base64,"+base64.StdEncoding.EncodeToString([]byte(epubCSS)), "pack.css")
	if err != nil {
		return nil, err
	}
	// the small drawings beside words (a pack's kind) are for the site's
	// look; EPUB would need each chapter declared as having SVG for them
	var icons []*html.Node
	walk(article, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Svg && hasClass(n, "icon") {
			icons = append(icons, n)
			return false
		}
		return true
	})
	for _, n := range icons {
		n.Parent.RemoveChild(n)
	}
	// pictures into the book
	var ierr error
	n := 0
	walk(article, func(img *html.Node) bool {
		if img.DataAtom != atom.Img || ierr != nil || !isLocal(attr(img, "src")) {
			return ierr == nil
		}
		name := sitePath(attr(img, "src"), p)
		b, err := readFile(site, name)
		if err != nil {
			ierr = fmt.Errorf("picture %s: %w", name, err)
			return false
		}
		n++
		internal, err := book.AddImage("data:"+mediaType(name)+";base64,"+base64.StdEncoding.EncodeToString(b), "image-"+strconv.Itoa(n)+extOf(name))
		if err != nil {
			ierr = err
			return false
		}
		setAttr(img, "src", internal)
		return true
	})
	if ierr != nil {
		return nil, ierr
	}
	// chapters: what comes before the first item (leaving out the
	// contents, which the book's own navigation replaces), each item, and
	// each part after
	var opening []*html.Node
	type chapter struct {
		title string
		nodes []*html.Node
	}
	var chapters []chapter
	for c := article.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch {
		case c.DataAtom == atom.Section && hasClass(c, "pack-entry"):
			chapters = append(chapters, chapter{title: text(find(c, atom.H2)), nodes: []*html.Node{c}})
		case c.DataAtom == atom.Section && attr(c, "aria-labelledby") == "contents-heading":
		default:
			opening = append(opening, c)
		}
	}
	chapters = append([]chapter{{title: p.Words.or().Opening, nodes: opening}}, chapters...)
	for i, ch := range chapters {
		var body bytes.Buffer
		for _, node := range ch.nodes {
			if err := html.Render(&body, node); err != nil {
				return nil, err
			}
		}
		if _, err := book.AddSection(body.String(), ch.title, "chapter-"+strconv.Itoa(i+1)+".xhtml", css); err != nil {
			return nil, err
		}
	}
	var out bytes.Buffer
	if _, err := book.WriteTo(&out); err != nil {
		return nil, err
	}
	return withAccessibility(out.Bytes(), p)
}

var modifiedMeta = regexp.MustCompile(`<meta property="dcterms:modified">[^<]*</meta>`)

// a11yMeta is the schema.org accessibility metadata of the package: the
// book is text with pictures that have text alternatives, navigable by
// its table of contents and headings, with no hazards.
const a11yMeta = `<meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessMode">visual</meta>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityFeature">tableOfContents</meta>
    <meta property="schema:accessibilityFeature">alternativeText</meta>
    <meta property="schema:accessibilityFeature">readingOrder</meta>
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary">%s</meta>
    `

// conformance is the book's claim under EPUB Accessibility 1.1: WCAG 2.2
// at level AA, which the site's pages are checked against, and who makes
// the claim.
func conformance(p Pack) string {
	esc := html.EscapeString
	m := `<meta property="dcterms:conformsTo" id="conformance">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>
    <meta property="a11y:certifiedBy" id="certifier">` + esc(p.Certifier) + `</meta>
    `
	if p.CertifierCredential != "" {
		m += `<meta property="a11y:certifierCredential" refines="#certifier">` + esc(p.CertifierCredential) + `</meta>
    `
	}
	if p.CertifierReport != "" {
		m += `<link rel="a11y:certifierReport" refines="#certifier" href="` + esc(p.CertifierReport) + `"/>
    `
	}
	return m
}

// withAccessibility adds the accessibility metadata to the package
// document, and the language to every chapter, copying the rest of the
// book as it is (the mimetype first and stored, as EPUB requires).
func withAccessibility(book []byte, p Pack) ([]byte, error) {
	lang, modified := p.Language, p.Updated
	words := p.Words.or()
	meta := strings.Replace(a11yMeta, "%s", xmlText(words.Accessibility), 1) + conformance(p)
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		switch {
		case strings.HasSuffix(f.Name, ".opf"):
			// the pack's version rather than the moment of the export
			data = modifiedMeta.ReplaceAll(data, []byte(`<meta property="dcterms:modified">`+modified.UTC().Format("2006-01-02T15:04:05Z")+`</meta>`))
			data = bytes.Replace(data, []byte("<meta property=\"dcterms:modified\">"), []byte(meta+"<meta property=\"dcterms:modified\">"), 1)
			if !bytes.Contains(data, []byte("schema:accessMode")) {
				return nil, fmt.Errorf("epub: no place for the accessibility metadata in %s", f.Name)
			}
		case strings.HasSuffix(f.Name, ".xhtml"):
			data = bytes.Replace(data, []byte(`<html xmlns="http://www.w3.org/1999/xhtml"`), []byte(`<html xmlns="http://www.w3.org/1999/xhtml" lang="`+lang+`" xml:lang="`+lang+`"`), 1)
			if path.Base(f.Name) == "nav.xhtml" { // go-epub names the contents in English
				data = bytes.Replace(data, []byte("<h1>Table of Contents</h1>"), []byte("<h1>"+xmlText(words.Contents)+"</h1>"), 1)
			}
		}
		method := zip.Deflate
		if f.Name == "mimetype" {
			method = zip.Store
		}
		// the pack's version as each entry's date, in the MS-DOS fields
		// alone (dated): the same bytes from one export to the next
		w, err := zw.CreateHeader(dated(&zip.FileHeader{Name: f.Name, Method: method}, modified))
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// xmlText escapes text for an element of the book's XML.
func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func findClass(n *html.Node, a atom.Atom, class string) *html.Node {
	var hit *html.Node
	walk(n, func(c *html.Node) bool {
		if hit == nil && c.DataAtom == a && hasClass(c, class) {
			hit = c
		}
		return hit == nil
	})
	return hit
}

// text is the text inside a node, spaces collapsed.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && !strings.Contains(name[i:], "/") {
		return name[i:]
	}
	return ""
}
