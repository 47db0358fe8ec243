package site_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestPackPages: the pack's page lists its items in order with their
// notes, times and questions; the print page has every item in full with
// ids that cannot clash; the items name their neighbours; /packs/ and the
// navigation lead to the pack.
func TestPackPages(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	s.AssertFileContains("packs/personalised-care/index.html", `
		<h1>Personalised care in practice</h1>
		<dt>For</dt><dd>Community occupational therapy teams</dd>
		# Denis's text and goals at 200 words a minute, the episode's length, its notes
		<dt>Time</dt><dd><time datetime="PT66M">About 1 hour 6 minutes</time></dd>
		<a class="button" href="/ot/stories/denis/">Start with item 1: Denis walks to his kitchen</a>
		<a href="/ot/packs/personalised-care/print/">
		<h3><a href="/ot/stories/denis/">Denis walks to his kitchen</a></h3>
		<p class="meta">Story · about 1 minute&#39;s reading</p>
		<p><strong>Why it is here:</strong> Start here.</p>
		<li>Which goals were his own?</li>
		<p class="meta">Episode · 63 minutes&#39; listening and 1 minute&#39;s reading</p>
		<h2 id="pack-questions-heading">Questions for the whole pack</h2>
		"@type":["Course","LearningResource"]
		"provider":{"@type":"Organization","name":"Test OT site"
		"timeRequired":"PT66M"
	`)
	print := s.Read("packs/personalised-care/print/index.html")
	for _, want := range []string{
		`<h2 id="p1-title"><span class="entry-number">1.</span> Denis walks to his kitchen</h2>`,
		`<h3 id="p1-where-he-started">Where he started</h3>`, // the story's "##", a level down, prefixed
		`<a href="#p1-where-he-started">a note</a>`,
		`<h3 id="p2-in-this-episode">In this episode</h3>`,
		`<span class="speaker">Zoe Phillips:</span> The hoist went back to the store in the spring.</p>`,                      // the transcript
		`<li id="p3-src-otnews-nd-personalised-care">‘Personalised care’ (n.d.) <cite>OTnews</cite>, April 2019, p. 15.</li>`, // sources, ids prefixed
		`(<a href="#p1-src-moss-2020">Moss and Tran, 2020, pp. 3–4</a>)`,                                                      // a citation in the text, to its entry on this page
		`<li><p>Which goals were his own?</p><div class="write-space"></div></li>`,
		`<h2 id="cpd-heading">CPD reflection</h2>`,
		`<dt>Now what? What will I do differently?</dt>`,
		`<dt>Evidence reference</dt><dd>Pack personalised-care, version of 23 November 2026</dd>`, // the newest item's date
		`<li><span class="tick-box"></span> Plan one change to your own practice.</li>`,           // outcomes to tick
		`<meta name="robots" content="noindex">`,
	} {
		if !strings.Contains(print, want) {
			t.Errorf("print page lacks %s", want)
		}
	}
	s.AssertFileContains("features/phb/index.html", `
		<nav class="pack-nav" aria-label="Learning pack: Personalised care in practice">
		<p>Item 3 of 3 in the learning pack
		<a href="/ot/episodes/ep1/" rel="prev"><span class="dir">Previous item:</span> Rebuilding lives</a>
		<a href="/ot/packs/personalised-care/"><span class="dir">Last item:</span> back to the pack and its questions</a>
	`)
	s.AssertFileContains("stories/rose/index.html", `
		! pack-nav
		<a href="/ot/packs/">Learning packs</a>
	`)
	s.AssertFileContains("packs/index.html", `
		<h2><a href="/ot/packs/personalised-care/">Personalised care in practice</a></h2>
		<p class="meta">3 items · <time datetime="PT66M">About 1 hour 6 minutes</time> · for Community occupational therapy teams</p>
	`)
	s.AssertFileContains("sitemap.xml", `
		<loc>https://example.org/ot/packs/personalised-care/</loc>
		! /print/
	`)
}

// TestPackProblems: a pack naming a theme or an item the site does not
// have fails the build with every problem at its place, and the output
// stays as it was.
func TestPackProblems(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	before := s.Read("packs/personalised-care/index.html")
	pack := readFixtureFile(t, s, "content/packs/personalised-care.md")
	bad := strings.Replace(pack, "  - episodes/ep1\n", "  - episodes/ep2\n", 1)
	bad = strings.Replace(bad, "questions:\n  - What will", "themes: [co-producton]\nquestions:\n  - What will", 1)
	s.Edit("content/packs/personalised-care.md", bad).Rebuild()
	got := strings.Join(s.Problems(), "\n")
	for _, want := range []string{
		"content/packs/personalised-care.md:13:5: episodes/ep2 is not a story, episode or feature of this site; did you mean episodes/ep1",
		`content/packs/personalised-care.md:16:10: theme "co-producton" is not a theme of this site; did you mean co-production? a pack names themes`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems:\n%s\nwant %s", got, want)
		}
	}
	if s.Read("packs/personalised-care/index.html") != before {
		t.Error("a failed build changed the output")
	}
}

// TestExportPack: each export of the fixture's pack has the pack whole and
// is made the way its readers need: one file that makes no request, a
// SCORM 1.2 and a SCORM 2004 package whose manifests list every file
// but the schemas beside them, an EPUB with one
// chapter an item and accessibility metadata; and a clear message where
// no browser can print a PDF. (epubcheck, pdfinfo and a SCORM runtime
// check the real files in tests/run.sh.)
func TestExportPack(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	ctx := context.Background()
	export := func(format string) []byte {
		t.Helper()
		out := filepath.Join(t.TempDir(), "pack-"+format)
		file, err := site.ExportPack(ctx, site.Options{SiteDir: s.Dir}, site.ExportOptions{Slug: "personalised-care", Format: format, Out: out})
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	titles := []string{"Denis walks to his kitchen", "Rebuilding lives", "Personal health budgets"}

	page := string(export("html"))
	for _, want := range append(titles,
		"<title>Personalised care in practice</title>",
		"<style>", "size:A4",
		`src="data:image/svg+xml;base64,`, // Denis's photo, inside the file
		`href="https://example.org/ot/stories/denis/"`,
		"Hello, and welcome.", // the transcript
		"CPD reflection") {
		if !strings.Contains(page, want) {
			t.Errorf("html export lacks %q", want)
		}
	}
	for _, not := range []string{"<script", `rel="stylesheet"`, `src="/`, `href="/ot/`, `class="site-header"`, "Back to the pack"} {
		if strings.Contains(page, not) {
			t.Errorf("html export has %q: it must open with no request and none of the site around it", not)
		}
	}

	for format, version := range map[string]string{"scorm": "1.2", "scorm2004": "2004 4th Edition"} {
		files := unzip(t, export(format))
		if files.names[0] != "imsmanifest.xml" {
			t.Errorf("%s: the zip starts with %s; LMSs look for imsmanifest.xml first", format, files.names[0])
		}
		var m struct {
			Schema   string `xml:"metadata>schemaversion"`
			Resource struct {
				ScormType     string `xml:"scormtype,attr"` // 1.2
				ScormType2004 string `xml:"scormType,attr"`
				Href          string `xml:"href,attr"`
				Files         []struct {
					Href string `xml:"href,attr"`
				} `xml:"file"`
			} `xml:"resources>resource"`
		}
		if err := xml.Unmarshal(files.data["imsmanifest.xml"], &m); err != nil {
			t.Fatal(err)
		}
		var listed, content []string
		for _, f := range m.Resource.Files {
			listed = append(listed, f.Href)
		}
		slices.Sort(listed)
		// the SCO's files are every file but the schemas at the root
		for _, name := range files.sorted() {
			if !strings.HasSuffix(name, ".xsd") && !strings.HasSuffix(name, ".dtd") {
				content = append(content, name)
			}
		}
		if m.Schema != version || m.Resource.ScormType+m.Resource.ScormType2004 != "sco" || m.Resource.Href != "index.html" || !slices.Equal(listed, content) || len(content) == len(files.names) {
			t.Errorf("%s manifest: version %q, scormtype %q, href %q, files %v; the zip has %v", format, m.Schema, m.Resource.ScormType+m.Resource.ScormType2004, m.Resource.Href, listed, files.sorted())
		}
		runtime := map[string]string{"scorm": "1.2", "scorm2004": "2004"}[format]
		sco := string(files.data["index.html"])
		for _, want := range append(titles, `<script defer="" src="scorm.js" data-scorm="`+runtime+`">`, `<link rel="stylesheet" href="style.css"/>`, `<button type="button" id="scorm-complete">I have completed this pack</button>`, `src="images/stories-denis-photo.svg"`) {
			if !strings.Contains(sco, want) {
				t.Errorf("%s: the SCO lacks %q", format, want)
			}
		}
		if _, ok := files.data["images/stories-denis-photo.svg"]; !ok {
			t.Errorf("%s: the picture is not in the package", format)
		}
	}

	book := unzip(t, export("epub"))
	if book.names[0] != "mimetype" || string(book.data["mimetype"]) != "application/epub+zip" {
		t.Errorf("the EPUB starts with %s", book.names[0])
	}
	opf := string(book.data["EPUB/package.opf"])
	for _, want := range []string{`<meta property="schema:accessMode">textual</meta>`, `<meta property="schema:accessibilityHazard">none</meta>`, "<dc:language>en-GB</dc:language>",
		`<meta property="dcterms:modified">2026-11-23T10:30:00Z</meta>`} { // the newest item's time: the pack's version, so every build makes the same bytes
		if !strings.Contains(opf, want) {
			t.Errorf("package.opf lacks %s", want)
		}
	}
	// an opening chapter, one an item, the questions for the whole pack, the CPD sheet
	var chapters []string
	for _, n := range book.names {
		if strings.HasPrefix(n, "EPUB/xhtml/chapter-") {
			chapters = append(chapters, n)
		}
	}
	if len(chapters) != 2+len(titles)+1 {
		t.Errorf("chapters = %v", chapters)
	}
	for i, title := range titles {
		if ch := string(book.data[fmt.Sprintf("EPUB/xhtml/chapter-%d.xhtml", i+2)]); !strings.Contains(ch, title) || !strings.Contains(ch, `lang="en-GB"`) {
			t.Errorf("chapter %d is not %q", i+2, title)
		}
	}

	t.Setenv("PATH", t.TempDir()) // no browser anywhere
	_, err := site.ExportPack(ctx, site.Options{SiteDir: s.Dir}, site.ExportOptions{Slug: "personalised-care", Format: "pdf", Out: filepath.Join(t.TempDir(), "x.pdf")})
	if err == nil || !strings.Contains(err.Error(), "install chromium") {
		t.Errorf("pdf without a browser: %v", err)
	}
	_, err = site.ExportPack(ctx, site.Options{SiteDir: s.Dir}, site.ExportOptions{Slug: "personalised", Format: "html"})
	if err == nil || err.Error() != `the site has no pack "personalised"; its packs are personalised-care` {
		t.Errorf("unknown pack: %v", err)
	}
}

type zipped struct {
	names []string
	data  map[string][]byte
}

func (z zipped) sorted() []string { return slices.Sorted(slices.Values(z.names)) }

func unzip(t *testing.T, b []byte) zipped {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	z := zipped{data: map[string][]byte{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		d, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		z.names = append(z.names, f.Name)
		z.data[f.Name] = d
	}
	return z
}

// TestPackDownloads: a real build writes each pack as HTML, SCORM (1.2
// and 2004) and EPUB beside its page and links them; the preview's builds do not.
func TestPackDownloads(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(context.Background(), site.Options{SiteDir: s.Dir, OutDir: out, Minify: true, PackDownloads: true}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "packs/personalised-care/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"personalised-care.html", "personalised-care-scorm.zip", "personalised-care-scorm2004.zip", "personalised-care.epub"} {
		b, err := os.ReadFile(filepath.Join(out, "packs/personalised-care", f))
		if err != nil || len(b) < 1000 {
			t.Errorf("%s: %d bytes, %v", f, len(b), err)
		}
		if !strings.Contains(string(page), `href="/ot/packs/personalised-care/`+f+`" download>`) {
			t.Errorf("the pack page does not link %s", f)
		}
	}
	// the HTML copy is minified like the site's pages, its styles inside
	html, _ := os.ReadFile(filepath.Join(out, "packs/personalised-care/personalised-care.html"))
	if !strings.HasPrefix(string(html), "<!doctype html>") || !strings.Contains(string(html), "<style>") {
		t.Errorf("the HTML copy starts %.60q", html)
	}
	for _, f := range []string{"personalised-care-scorm.zip", "personalised-care-scorm2004.zip"} {
		files := unzip(t, must(os.ReadFile(filepath.Join(out, "packs/personalised-care", f))))
		if files.names[0] != "imsmanifest.xml" {
			t.Errorf("%s starts with %s", f, files.names[0])
		}
	}
	// without PackDownloads (the preview, tests), nothing of the kind
	s.Rebuild()
	s.AssertNoFile("packs/personalised-care/personalised-care.html", "packs/personalised-care/personalised-care.epub")
	s.AssertFileContains("packs/personalised-care/index.html", "! downloads-heading")
}

// TestPackDownloadPolicy: _headers gives the single-file pack download a
// policy of its own, after the site's and dropping it (the site's forbids
// inline styles): its style-src hashes are exactly those of the file's
// <style> elements, hashed here from the file as written; its pictures
// are allowed as data: URLs and from the other sites the file names;
// nothing else is allowed, and nothing in the file needs more (no style
// attributes, no scripts).
func TestPackDownloadPolicy(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(context.Background(), site.Options{SiteDir: s.Dir, OutDir: out, Minify: true, PackDownloads: true}); err != nil {
		t.Fatal(err)
	}
	headers := string(must(os.ReadFile(filepath.Join(out, "_headers"))))
	const path = "/ot/packs/personalised-care/personalised-care.html"
	before, rule, ok := strings.Cut(headers, "\n"+path+"\n")
	if !ok || !strings.HasPrefix(before, "/*\n") {
		t.Fatalf("no rule for %s after the site's:\n%s", path, headers)
	}
	rule, _, _ = strings.Cut(rule, "\n\n")
	lines := strings.Split(strings.TrimSpace(rule), "\n")
	if len(lines) != 2 || strings.TrimSpace(lines[0]) != "! Content-Security-Policy" || !strings.HasPrefix(lines[1], "  Content-Security-Policy: ") {
		t.Fatalf("the rule for %s:\n%s", path, rule)
	}
	directives := map[string][]string{}
	for _, d := range strings.Split(strings.TrimPrefix(lines[1], "  Content-Security-Policy: "), ";") {
		f := strings.Fields(d)
		directives[f[0]] = f[1:]
	}
	file := string(must(os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(path, "/ot/"))))))
	var want []string
	for _, m := range regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(file, -1) {
		sum := sha256.Sum256([]byte(m[1]))
		want = append(want, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	if len(want) == 0 || !slices.Equal(directives["style-src"], want) {
		t.Errorf("style-src %v; the file's styles hash to %v", directives["style-src"], want)
	}
	if !strings.Contains(file, `src="data:image/svg+xml;base64,`) || !slices.Equal(directives["img-src"], []string{"data:"}) {
		t.Errorf("img-src %v; the file's pictures are data: URLs", directives["img-src"])
	}
	if !slices.Equal(directives["default-src"], []string{"'none'"}) || strings.Contains(headers, "unsafe") || directives["script-src"] != nil {
		t.Errorf("the policy allows more than the file needs: %v", directives)
	}
	if strings.Contains(file, "<script") || regexp.MustCompile(`<[^>]+ style=`).MatchString(file) {
		t.Error("the file has scripts or style attributes, which the policy blocks")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestFeaturedPack: the home page offers the first pack, or the one the
// home page's featured_pack names.
func TestFeaturedPack(t *testing.T) {
	site := fixture(t, "everything") + "-- content/packs/a-first.md --\n---\ntitle: A first pack\nitems: [stories/rose]\n---\n"
	s := sitetest.Build(t, site)
	s.AssertFileContains("index.html", `<h3><a href="/ot/packs/a-first/">A first pack</a></h3>`)
	featured := strings.Replace(site, "summary: What this site is for.\n", "summary: What this site is for.\nfeatured_pack: personalised-care\n", 1)
	s = sitetest.Build(t, featured)
	s.AssertFileContains("index.html", `<h3><a href="/ot/packs/personalised-care/">Personalised care in practice</a></h3>`)
}
