package site_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/search"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestBilingual: a site in English and Welsh is built once per language,
// the Welsh under /cy/, sharing the files the English copied; each page
// links its versions, and a page without a Welsh version is shown in
// English with a notice, its canonical address the English one.
func TestBilingual(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "bilingual"))

	// a page in both languages
	s.AssertFileContains("cy/stories/mair/index.html", `
<html lang="cy">
<title>Mair: addasu ei chartref er mwyn coginio eto
<link rel="canonical" href="https://example.org/ot/cy/stories/mair/">
<link rel="alternate" hreflang="en-GB" href="https://example.org/ot/stories/mair/">
<link rel="alternate" hreflang="x-default" href="https://example.org/ot/stories/mair/">
<link rel="alternate" hreflang="cy" href="https://example.org/ot/cy/stories/mair/">
<nav class="lang-switch" aria-label="Iaith">
<a href="/ot/stories/mair/" hreflang="en-GB" lang="en-GB">English</a>
<link rel="stylesheet" href="/ot/css/main.css">
src="/ot/cy/js/words.js"
Straeon therapi galwedigaethol
10 Mawrth 2026
! lang-notice
! <h1 lang=`)
	s.AssertFileContains("stories/mair/index.html", `
<html lang="en-GB">
<a href="/ot/cy/stories/mair/" hreflang="cy" lang="cy">Cymraeg</a>
<link rel="alternate" hreflang="cy" href="https://example.org/ot/cy/stories/mair/">
10 March 2026`)

	// a page in English only, shown in Welsh with a notice
	s.AssertFileContains("cy/stories/tom/index.html", `
<html lang="cy">
<link rel="canonical" href="https://example.org/ot/stories/tom/">
<p class="lang-notice">Nid yw&#39;r dudalen hon wedi&#39;i chyfieithu eto, felly fe&#39;i dangosir yn Saesneg.</p>
<h1 lang="en-GB">Tom: back to the allotment after a stroke</h1>
<p class="lead" lang="en-GB">
<div class="prose" lang="en-GB">
<a href="/ot/stories/tom/" hreflang="en-GB" lang="en-GB">English</a>
! hreflang="cy"`)
	// and one in Welsh only, shown in English
	s.AssertFileContains("stories/gwen/index.html", `
<link rel="canonical" href="https://example.org/ot/cy/stories/gwen/">
<p class="lang-notice">This page has not been translated yet, so it is shown in Welsh.</p>
<h1 lang="cy">Gwen: canu yn y côr eto</h1>`)
	// a standalone page and a pack in English only, likewise
	s.AssertFileContains("cy/privacy/index.html", `
<p class="lang-notice">
<h1 lang="en-GB">Privacy notice</h1>
<div class="prose" lang="en-GB">`)
	s.AssertFileContains("cy/packs/falls/index.html", `
<p class="lang-notice">
<h1 lang="en-GB">After a fall</h1>
<p class="lead" lang="en-GB">`)
	s.AssertFileContains("cy/packs/falls/print/index.html", `<h1 lang="en-GB">After a fall</h1>`)
	s.AssertFileContains("cy/packs/at-home/index.html", `! lang-notice`)
	// lists: Welsh cards of English stories say so
	s.AssertFileContains("cy/stories/index.html", `<a href="/ot/cy/stories/tom/" lang="en-GB">Tom: back to the allotment`)

	// files copied once, at the root; each language's own words, feeds,
	// search and sitemap
	s.AssertExists("css/main.css", "js/search.js", "images/logo.svg", "js/words.js", "cy/js/words.js", "cy/atom.xml", "cy/search/data/m.js", "cy/sitemap.xml")
	s.AssertNoFile("cy/css/main.css", "cy/images/logo.svg", "cy/js/search.js", "cy/robots.txt", "cy/_headers", "cy/_redirects")
	s.AssertFileContains("cy/js/words.js", `"lang":"cy"`)
	s.AssertFileContains("cy/atom.xml", `
xml:lang="cy"
<title>Straeon therapi galwedigaethol</title>
Mair: addasu ei chartref er mwyn coginio eto`)
	s.AssertFileContains("robots.txt", `
Sitemap: https://example.org/ot/sitemap.xml
Sitemap: https://example.org/ot/cy/sitemap.xml`)
	s.AssertFileContains("_redirects", `/ot/cy/* /ot/cy/404.html 404`)
	s.AssertFileContains("cy/404.html", `<h1>Heb ddod o hyd i&#39;r dudalen</h1>`)
	s.AssertFileContains("cy/sitemap.xml", `
xmlns:xhtml="http://www.w3.org/1999/xhtml"
<loc>https://example.org/ot/cy/stories/mair/</loc>
<xhtml:link rel="alternate" hreflang="en-GB" href="https://example.org/ot/stories/mair/"></xhtml:link>
! <loc>https://example.org/ot/cy/stories/tom/</loc>`)
	s.AssertFileContains("sitemap.xml", `
<loc>https://example.org/ot/stories/tom/</loc>
! <loc>https://example.org/ot/stories/gwen/</loc>`)
	s.AssertFileContains("cy/search/data/m.js", `"lang":"cy"`)
	if m := s.Read("search/data/m.js"); strings.Contains(m, `"lang"`) {
		t.Errorf("the English index names a language: %.100s", m)
	}
	// Welsh search finds a mutated word's page in the Welsh index
	r, err := openIndex(t, filepath.Join(s.Out, "cy")).Search(search.Query{Text: "cartref"}, 10)
	if err != nil || len(r.Hits) == 0 || r.Hits[0].Path != "stories/mair/" {
		t.Errorf("Welsh search for cartref: %+v %v", r.Hits, err)
	}

	// sources as each language's list gives them
	s.AssertFileContains("cy/sources/index.html", `
Atal cwympiadau gartref
! Preventing falls at home`)
	s.AssertFileContains("sources/index.html", `
Preventing falls at home
! Atal cwympiadau`)

	// measures in each language's words
	s.AssertFileContains("cy/evidence/index.html", `
<dt>Cwympiadau&#39;r mis</dt><dd>Mewn cwympiadau.
! <dt>Falls a month`)
	s.AssertFileContains("evidence/index.html", `Falls a month`)

	// the themes and packs search lists count their items in Welsh
	rows, _ := filepath.Glob(filepath.Join(s.Out, "cy", "search", "data", "*.js"))
	var all strings.Builder
	for _, f := range rows {
		b, _ := os.ReadFile(f)
		all.Write(b)
	}
	if !strings.Contains(all.String(), `"2 eitem"`) || strings.Contains(all.String(), " items\"") {
		t.Errorf("the Welsh index's themes and packs do not count in Welsh")
	}

	// what each language lacks
	var got []string
	for _, l := range s.Result.Languages {
		got = append(got, l.Tag+": "+strings.Join(l.Untranslated, " "))
	}
	want := []string{"en-GB: content/stories/gwen.cy.md", "cy: content/packs/falls.md content/pages/privacy.md content/stories/tom.md content/themes/falls.md"}
	if !slices.Equal(got, want) {
		t.Errorf("untranslated:\n got %q\nwant %q", got, want)
	}
}

// TestBilingualOmit: with untranslated = "omit", a language leaves out
// the pages not written in it, and links none.
func TestBilingualOmit(t *testing.T) {
	s := sitetest.Build(t, strings.Replace(fixture(t, "bilingual"), "paginate = 2\n", "paginate = 2\nuntranslated = \"omit\"\n", 1))
	s.AssertNoFile("cy/stories/tom/index.html", "stories/gwen/index.html")
	s.AssertExists("cy/stories/mair/index.html", "cy/stories/gwen/index.html", "stories/tom/index.html")
	s.AssertFileContains("cy/stories/index.html", `! stories/tom/`)
	s.AssertFileContains("stories/tom/index.html", `! class="lang-switch"`)
}

// TestBilingualOwnHost: a language with a base_url of its own is a site
// of its own in its folder, for a host that serves that folder as its
// root: its own copies of every file, its own robots.txt, _headers and
// _redirects, and links between the languages in full.
func TestBilingualOwnHost(t *testing.T) {
	s := sitetest.Build(t, strings.Replace(fixture(t, "bilingual"), "[languages.cy]\n", "[languages.cy]\nbase_url = \"https://straeon.example.cymru/\"\n", 1))
	s.AssertExists("cy/css/main.css", "cy/images/logo.svg", "cy/js/search.js", "cy/robots.txt", "cy/_headers", "cy/_redirects", "css/main.css")
	s.AssertFileContains("cy/stories/mair/index.html", `
<link rel="canonical" href="https://straeon.example.cymru/stories/mair/">
<link rel="stylesheet" href="/css/main.css">
<a href="https://example.org/ot/stories/mair/" hreflang="en-GB" lang="en-GB">English</a>
<a href="/stories/">`)
	s.AssertFileContains("stories/mair/index.html", `
<a href="https://straeon.example.cymru/stories/mair/" hreflang="cy" lang="cy">Cymraeg</a>
<link rel="alternate" hreflang="cy" href="https://straeon.example.cymru/stories/mair/">`)
	s.AssertFileContains("cy/robots.txt", `Sitemap: https://straeon.example.cymru/sitemap.xml`)
	s.AssertFileContains("robots.txt", `
Sitemap: https://example.org/ot/sitemap.xml
! straeon.example.cymru`)
}

// TestWelshReferences: on a Welsh site the house style's own words in a
// reference are Welsh: "Ar gael yn", "Cyrchwyd", months, "t.".
func TestWelshReferences(t *testing.T) {
	everything := strings.Replace(fixture(t, "everything"), "-- site.toml --\n", "-- site.toml --\nlanguage = \"cy\"\n", 1)
	s := sitetest.Build(t, everything)
	s.AssertFileContains("sources/index.html", `
Ar gael yn:
(Cyrchwyd: 20 Tachwedd 2026)
[Podlediad]
! Available at
! Accessed
! November`)
}

// TestWelshFirst: a site whose default language is Welsh, English under
// /en-gb/; files without a language in their name are Welsh.
func TestWelshFirst(t *testing.T) {
	s := sitetest.Build(t, `
-- site.toml --
title = "Straeon"
base_url = "https://example.org/"
language = "cy"
[languages.en-GB]
title = "Stories"
-- content/stories/mair.md --
---
title: Mair yn coginio eto
date: 2026-03-10
---
Mae Mair yn coginio cinio dydd Sul eto.
-- content/stories/mair.en-GB.md --
---
title: Mair cooks again
date: 2026-03-10
---
Mair cooks Sunday lunch again.
`)
	s.AssertFileContains("stories/mair/index.html", `
<html lang="cy">
<h1>Mair yn coginio eto</h1>
<a href="/en-gb/stories/mair/" hreflang="en-GB" lang="en-GB">English</a>`)
	s.AssertFileContains("en-gb/stories/mair/index.html", `
<html lang="en-GB">
<h1>Mair cooks again</h1>
<a href="/stories/mair/" hreflang="cy" lang="cy">Cymraeg</a>`)
}

// TestBilingualRelative: with relative links, a Welsh page under /cy/
// reaches the root's files and the English pages from where it is.
func TestBilingualRelative(t *testing.T) {
	s := sitetest.Build(t, strings.Replace(fixture(t, "bilingual"), "paginate = 2\n", "paginate = 2\nrelative_urls = true\n", 1))
	s.AssertFileContains("cy/stories/tom/index.html", `
href="../../../css/main.css"
<a href="../../../stories/tom/index.html" hreflang="en-GB" lang="en-GB">English</a>
href="../../../cy/stories/mair/index.html"`)
	s.AssertFileContains("stories/tom/index.html", `href="../../css/main.css"`)
}
