package export

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
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

// TestExportsCarryNoUnsafeSVG: the HTML, SCORM (1.2, 2004) and EPUB exports refuse a
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
		"html":      func(fsys fstest.MapFS) ([]byte, error) { return HTML(fsys, p) },
		"scorm":     func(fsys fstest.MapFS) ([]byte, error) { return SCORM(fsys, p) },
		"scorm2004": func(fsys fstest.MapFS) ([]byte, error) { return SCORM2004(fsys, p) },
		"epub":      func(fsys fstest.MapFS) ([]byte, error) { return EPUB(fsys, p) },
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

// TestZipEntriesDated: every entry of a SCORM package (1.2, 2004) and an EPUB is dated
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
	for format, export := range map[string]func(fs.FS, Pack) ([]byte, error){"scorm": SCORM, "scorm2004": SCORM2004, "epub": EPUB} {
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

// scormEditions are the SCORM exports, by format name.
var scormEditions = map[string]func(fs.FS, Pack) ([]byte, error){"scorm": SCORM, "scorm2004": SCORM2004}

// scormSite is the smallest built site a pack exports from.
func scormSite(slug string) fstest.MapFS {
	return fstest.MapFS{
		"packs/" + slug + "/print/index.html": {Data: []byte(printPage("/img/route.svg"))},
		"css/main.css":                        {Data: []byte("p { margin: 0 }")},
		"favicon.svg":                         {Data: []byte(goodSVG)},
		"img/route.svg":                       {Data: []byte(goodSVG)},
	}
}

// zipMap reads a zip's files by name.
func zipMap(t *testing.T, out []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	return files
}

// schemaLocations reads the namespace and file pairs of a manifest's
// xsi:schemaLocation.
func schemaLocations(t *testing.T, manifest []byte) [][2]string {
	t.Helper()
	var m struct {
		Loc string `xml:"http://www.w3.org/2001/XMLSchema-instance schemaLocation,attr"`
	}
	if err := xml.Unmarshal(manifest, &m); err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(m.Loc)
	if len(f) == 0 || len(f)%2 != 0 {
		t.Fatalf("xsi:schemaLocation %q is not pairs of namespace and file", m.Loc)
	}
	var pairs [][2]string
	for i := 0; i < len(f); i += 2 {
		pairs = append(pairs, [2]string{f[i], f[i+1]})
	}
	return pairs
}

// TestSCORMSchemas: each SCORM package has at its root every file its
// manifest's xsi:schemaLocation names, and the files those import and
// include, as the copies vendored under schemas/ (whose README records
// each file's sha256, so an edited copy fails here); the manifest names
// its edition's namespaces and version.
func TestSCORMSchemas(t *testing.T) {
	p := Pack{Slug: "p", Title: "P", Language: "en-GB", SiteURL: "https://example.org/", BasePath: "/"}
	want := map[string][]string{
		"scorm":     {"http://www.imsproject.org/xsd/imscp_rootv1p1p2", "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "http://www.adlnet.org/xsd/adlcp_rootv1p2"},
		"scorm2004": {"http://www.imsglobal.org/xsd/imscp_v1p1", "http://www.adlnet.org/xsd/adlcp_v1p3", "http://www.adlnet.org/xsd/adlseq_v1p3", "http://www.adlnet.org/xsd/adlnav_v1p3", "http://www.imsglobal.org/xsd/imsss"},
	}
	version := map[string]string{"scorm": "<schemaversion>1.2</schemaversion>", "scorm2004": "<schemaversion>2004 4th Edition</schemaversion>"}
	readme, err := os.ReadFile("schemas/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for format, export := range scormEditions {
		out, err := export(scormSite(p.Slug), p)
		if err != nil {
			t.Fatal(err)
		}
		files := zipMap(t, out)
		manifest := files["imsmanifest.xml"]
		var namespaces []string
		for _, loc := range schemaLocations(t, manifest) {
			namespaces = append(namespaces, loc[0])
			if _, ok := files[loc[1]]; !ok || strings.Contains(loc[1], "/") {
				t.Errorf("%s: the manifest names %s for %s, which is not at the root of the zip", format, loc[1], loc[0])
			}
		}
		if !slices.Equal(namespaces, want[format]) {
			t.Errorf("%s: schemaLocation names %v; want %v", format, namespaces, want[format])
		}
		if !bytes.Contains(manifest, []byte(version[format])) {
			t.Errorf("%s: the manifest lacks %s:\n%s", format, version[format], manifest)
		}
		dir := map[string]string{"scorm": "schemas/scorm12", "scorm2004": "schemas/scorm2004"}[format]
		vendored, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range vendored {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(files[e.Name()], b) {
				t.Errorf("%s: the zip's %s is not the vendored %s", format, e.Name(), filepath.Join(dir, e.Name()))
			}
			sum := sha256.Sum256(b)
			if line := fmt.Sprintf("%x  %s", sum, filepath.ToSlash(filepath.Join(strings.TrimPrefix(dir, "schemas/"), e.Name()))); !bytes.Contains(readme, []byte(line)) {
				t.Errorf("schemas/README.md does not record %q: a vendored schema must be an exact copy of the published file", line)
			}
		}
		// every import and include resolves inside the zip (or is the W3C's
		// xml.xsd, whose copy is at the root too)
		for name, b := range files {
			if !strings.HasSuffix(name, ".xsd") {
				continue
			}
			for _, m := range regexp.MustCompile(`schemaLocation\s*=\s*"([^"]+)"`).FindAllSubmatch(b, -1) {
				ref := path.Base(string(m[1]))
				if _, ok := files[ref]; !ok {
					t.Errorf("%s: %s imports %s, which is not in the zip", format, name, m[1])
				}
			}
		}
	}
}

// TestSCORMManifestValid: xmllint validates each package's manifest
// against the schemas in the package, offline (the one file they fetch
// from the web, the W3C's xml.xsd, is mapped to the package's copy by a
// catalog); and a manifest whose resource has a scorm type the schema
// does not allow fails, so the check is real. (libxml2 reports SCORM 1.2's
// ims_xml.xsd, which makes the xml namespace its default, as a namespace
// error but goes on: the manifest has no xml: attributes for it to check.) It needs xmllint, as the feed tests do (tests/run.sh installs it).
func TestSCORMManifestValid(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint is needed to validate the manifests against their schemas; install it (Debian: apt-get install libxml2-utils)")
	}
	p := Pack{Slug: "care-in-practice", Title: "Care & practice", Language: "en-GB", SiteURL: "https://example.org/", BasePath: "/"}
	for format, export := range scormEditions {
		out, err := export(scormSite(p.Slug), p)
		if err != nil {
			t.Fatal(err)
		}
		files := zipMap(t, out)
		dir := t.TempDir()
		for name, b := range files {
			if !strings.Contains(name, "/") {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		// one schema that imports each the manifest names, as xmllint
		// takes one
		var all strings.Builder
		all.WriteString(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">` + "\n")
		for _, loc := range schemaLocations(t, files["imsmanifest.xml"]) {
			fmt.Fprintf(&all, "<xs:import namespace=%q schemaLocation=%q/>\n", loc[0], loc[1])
		}
		all.WriteString("</xs:schema>\n")
		catalog := `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><system systemId="http://www.w3.org/2001/xml.xsd" uri="xml.xsd"/><uri name="http://www.w3.org/2001/xml.xsd" uri="xml.xsd"/></catalog>`
		for name, data := range map[string]string{"all.xsd.test": all.String(), "catalog.xml.test": catalog,
			"wrong.xml.test": strings.Replace(string(files["imsmanifest.xml"]), `="sco"`, `="lesson"`, 1)} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		lint := func(doc string) (string, error) {
			cmd := exec.Command(xmllint, "--nonet", "--noout", "--schema", "all.xsd.test", doc)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+filepath.Join(dir, "catalog.xml.test"))
			b, err := cmd.CombinedOutput()
			return string(b), err
		}
		if msg, err := lint("imsmanifest.xml"); err != nil {
			t.Errorf("%s: xmllint: %v\n%s\n%s", format, err, msg, files["imsmanifest.xml"])
		}
		if msg, err := lint("wrong.xml.test"); err == nil || !strings.Contains(msg, "lesson") {
			t.Errorf("%s: a manifest whose resource is of scormtype \"lesson\" passed xmllint: %v\n%s", format, err, msg)
		}
	}
}

// TestExportsCarryOneWidth: a picture the site offers at several widths
// goes into each export once, as its img's src (the copy up to 960
// pixels), with no srcset or WebP source pointing at files left behind.
func TestExportsCarryOneWidth(t *testing.T) {
	p := Pack{Slug: "p", Title: "P", Language: "en-GB", SiteURL: "https://example.org/", BasePath: "/"}
	page := strings.Replace(printPage("/img/a.960.jpg"), `<p><img src="/img/a.960.jpg" alt="A route">`,
		`<p><picture><source type="image/webp" srcset="/img/a.320.webp 320w, /img/a.960.webp 960w" sizes="100vw"><img src="/img/a.960.jpg" alt="A route" loading="lazy" srcset="/img/a.320.jpg 320w, /img/a.960.jpg 960w" sizes="100vw"></picture>`, 1)
	fsys := fstest.MapFS{
		"packs/p/print/index.html": {Data: []byte(page)},
		"css/main.css":             {Data: []byte("p { margin: 0 }")},
		"favicon.svg":              {Data: []byte(goodSVG)},
	}
	for _, f := range []string{"img/a.320.jpg", "img/a.960.jpg", "img/a.320.webp", "img/a.960.webp"} {
		fsys[f] = &fstest.MapFile{Data: []byte("picture " + f)}
	}
	for format, export := range map[string]func(fs.FS, Pack) ([]byte, error){"html": HTML, "scorm": SCORM, "epub": EPUB} {
		out, err := export(fsys, p)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		var text []byte
		if format == "html" {
			text = out
			if !bytes.Contains(out, []byte(base64.StdEncoding.EncodeToString([]byte("picture img/a.960.jpg")))) {
				t.Errorf("html: the 960 copy is not inside")
			}
		} else {
			zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
			if err != nil {
				t.Fatal(err)
			}
			var pictures []string
			for _, f := range zr.File {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				text = append(text, b...)
				if strings.HasPrefix(string(b), "picture ") {
					pictures = append(pictures, string(b))
				}
			}
			if len(pictures) != 1 || pictures[0] != "picture img/a.960.jpg" {
				t.Errorf("%s carries %q; want the 960 copy alone", format, pictures)
			}
		}
		for _, bad := range []string{"srcset", "<source", "a.320", "loading="} {
			if bytes.Contains(text, []byte(bad)) {
				t.Errorf("%s still has %s", format, bad)
			}
		}
	}
}
