package export

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// printPage is a pack's print page as the build writes it, at its
// smallest: a stylesheet, the icon, and a picture in the pack.
func printPage(picture string) string {
	return `<!DOCTYPE html><html lang="en"><head><title>P</title><link rel="stylesheet" href="/css/main.css"><link rel="icon" href="/favicon.svg"></head>
<body><main><article class="pack-print"><h1>P</h1><section class="pack-entry"><h2>One</h2><p><img src="` + picture + `" alt="A route"></p></section></article></main></body></html>`
}

const goodSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><circle r="2"/></svg>`

// TestExportsCarryNoUnsafeSVG: the HTML, SCORM and EPUB exports refuse a
// picture the build's SVG check refuses, as a file of the site or inside
// the page as a data: URL, naming the file and place; the same pack with
// safe pictures exports, carrying them.
func TestExportsCarryNoUnsafeSVG(t *testing.T) {
	bad := "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect onclick=\"alert(1)\"/></svg>"
	p := Pack{Slug: "p", Title: "P", Language: "en-GB", SiteURL: "https://example.org/", BasePath: "/"}
	site := func(picture string, files map[string]string) fstest.MapFS {
		fsys := fstest.MapFS{
			"packs/p/print/index.html": {Data: []byte(printPage(picture))},
			"css/main.css":             {Data: []byte("p { margin: 0 }")},
			"favicon.svg":              {Data: []byte(goodSVG)},
		}
		for name, data := range files {
			fsys[name] = &fstest.MapFile{Data: []byte(data)}
		}
		return fsys
	}
	exports := map[string]func(fsys fstest.MapFS) ([]byte, error){
		"html":  func(fsys fstest.MapFS) ([]byte, error) { return HTML(fsys, p) },
		"scorm": func(fsys fstest.MapFS) ([]byte, error) { return SCORM(fsys, p) },
		"epub":  func(fsys fstest.MapFS) ([]byte, error) { return EPUB(fsys, p) },
	}
	for format, export := range exports {
		for what, c := range map[string]struct {
			fsys fstest.MapFS
			want string
		}{
			"a picture file":   {site("/img/route.svg", map[string]string{"img/route.svg": bad}), "img/route.svg:2:7: the SVG has an event attribute onclick"},
			"the icon":         {site("/img/route.png", map[string]string{"img/route.png": "PNG", "favicon.svg": bad}), "favicon.svg:2:7"},
			"a base64 picture": {site("data:image/svg+xml;base64,"+base64.StdEncoding.EncodeToString([]byte(bad)), nil), "a data: URL):2:7"},
			"a text picture":   {site("data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%3E%3Cscript%3Ex%3C/script%3E%3C/svg%3E", nil), "<script>"},
		} {
			if format == "epub" && what == "the icon" {
				continue // a book has no icon
			}
			if _, err := export(c.fsys); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s with a bad SVG as %s: %v; want an error with %q", format, what, err, c.want)
			}
		}
		out, err := export(site("/img/route.svg", map[string]string{"img/route.svg": goodSVG}))
		if err != nil {
			t.Errorf("%s with safe pictures: %v", format, err)
			continue
		}
		if !carries(t, format, out, goodSVG) {
			t.Errorf("%s: the picture is not in the export", format)
		}
	}
}

// carries reports whether an export holds the SVG: in a data: URL of the
// HTML file, or as a file of the zip.
func carries(t *testing.T, format string, out []byte, svg string) bool {
	if format == "html" {
		return bytes.Contains(out, []byte(base64.StdEncoding.EncodeToString([]byte(svg))))
	}
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".svg") {
			rc, _ := f.Open()
			var b bytes.Buffer
			b.ReadFrom(rc)
			rc.Close()
			if b.String() == svg {
				return true
			}
		}
	}
	return false
}

// TestPolicy: the policy for an HTML export names each inline style and
// script by the sha256 of its text as the file has it, the pictures'
// data: URLs and other sites, and nothing else.
func TestPolicy(t *testing.T) {
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	for _, c := range []struct{ page, want string }{
		{`<!doctype html><html><head><style>p{margin:0}</style><link rel=icon href="data:image/svg+xml;base64,AA"></head><body><p>x</body></html>`,
			"default-src 'none'; style-src " + hash("p{margin:0}") + "; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
		{"<style>\na &amp; b\n</style><style>c{}</style><style>c{}</style><script>go()</script><script src=\"x.js\"></script>" +
			`<img src="https://cdn.example/a.png"><img src="data:image/png;base64,AA"><img src="https://cdn.example/b.png"><img src="/local.png">`,
			"default-src 'none'; style-src " + hash("\na &amp; b\n") + " " + hash("c{}") + "; script-src " + hash("go()") + "; img-src https://cdn.example data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
		{`<p>no styles</p>`, "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
	} {
		if got := Policy([]byte(c.page)); got != c.want {
			t.Errorf("Policy(%.50q)\n got %s\nwant %s", c.page, got, c.want)
		}
	}
}

// TestZipEntriesDated: every entry of a SCORM package and an EPUB is dated
// the pack's version, in the MS-DOS fields alone (no extra field, which
// EPUB forbids on its mimetype), so two exports are the same bytes.
func TestZipEntriesDated(t *testing.T) {
	version := time.Date(2026, 11, 23, 10, 30, 14, 0, time.UTC)
	p := Pack{Slug: "p", Title: "P", Language: "en-GB", SiteURL: "https://example.org/", BasePath: "/", Updated: version}
	fsys := fstest.MapFS{
		"packs/p/print/index.html": {Data: []byte(printPage("/img/route.svg"))},
		"css/main.css":             {Data: []byte("p { margin: 0 }")},
		"favicon.svg":              {Data: []byte(goodSVG)},
		"img/route.svg":            {Data: []byte(goodSVG)},
	}
	for format, export := range map[string]func(fs.FS, Pack) ([]byte, error){"scorm": SCORM, "epub": EPUB} {
		out, err := export(fsys, p)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := export(fsys, p)
		if !bytes.Equal(out, again) {
			t.Errorf("%s: two exports differ", format)
		}
		zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if !f.Modified.Equal(version) || len(f.Extra) != 0 {
				t.Errorf("%s: %s dated %v, extra %x; want %v and none", format, f.Name, f.Modified, f.Extra, version)
			}
		}
	}
}

// TestEPUBConformance: the EPUB claims EPUB Accessibility 1.1 at WCAG 2.2
// AA, naming who makes the claim, and their credential and report only
// when given.
func TestEPUBConformance(t *testing.T) {
	got := conformance(Pack{Certifier: "OT <team> & co"})
	if !strings.Contains(got, `<meta property="dcterms:conformsTo" id="conformance">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>`) ||
		!strings.Contains(got, `<meta property="a11y:certifiedBy" id="certifier">OT &lt;team&gt; &amp; co</meta>`) || strings.Contains(got, "certifierCredential") || strings.Contains(got, "certifierReport") {
		t.Errorf("conformance:\n%s", got)
	}
	got = conformance(Pack{Certifier: "T", CertifierCredential: "Trusted", CertifierReport: "https://example.org/a11y?x=1&y=2"})
	if !strings.Contains(got, `<meta property="a11y:certifierCredential" refines="#certifier">Trusted</meta>`) ||
		!strings.Contains(got, `<link rel="a11y:certifierReport" refines="#certifier" href="https://example.org/a11y?x=1&amp;y=2"/>`) {
		t.Errorf("conformance:\n%s", got)
	}
}
