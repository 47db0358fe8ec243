package site_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/otpress/otpress/generator/internal/sitetest"
)

// sourcesSite cites a listed work by id with a page, the same work in its
// text, an inline work on two pages, a work in the text alone, and has a
// listed work that nothing cites; its titles hold every character BibTeX
// must escape.
const sourcesSite = `-- site.toml --
title = "Sources test"
base_url = "https://example.org/"
-- data/sources.yaml --
otnews-2019-04:
  type: article-magazine
  title: Personalised care
  container-title: OTnews
  publisher: Royal College of Occupational Therapists
  issued: 2019-04
  issue: April 2019
rcot-2019:
  type: report
  title: "Costs & benefits: 100% of $5 #1 {draft} ~ ^ \\ under_score"
  author: [{literal: Royal College of Occupational Therapists}]
  publisher: RCOT
  publisher-place: London
  issued: 2019-06-30
  URL: "https://example.org/a_b~c?x=1%202#part"
  accessed: 2024-05-01
moss-2020:
  type: article-journal
  title: Graded steps at home
  author: [{family: Moss, given: Anna-Marie}, {family: Zoë, given: Ünal}]
  container-title: British Journal of Occupational Therapy
  volume: 83
  issue: 2
  page: 101-109
  issued: 2020
  DOI: 10.1177/0308022619000001
unused-2018:
  type: book
  title: Occupational therapy at home
  issued: 2018
-- content/stories/a.md --
---
title: Story A
date: 2020-01-02
sources:
  - {id: otnews-2019-04, page: 15}
  - {title: A leaflet, publication: Local news, issue: Spring 2019, date: 2019-03}
---
As OTnews reported [@otnews-2019-04, p. 15], and as others found [see @moss-2020, pp. 101-102; @rcot-2019].
-- content/stories/b.md --
---
title: Story B
date: 2020-01-01
sources:
  - {title: Personalised care, publication: OTnews, issue: April 2019, page: "15", date: 2019-04}
  - {title: A leaflet, publication: Local news, issue: Spring 2019, date: 2019-03}
---
Text.
`

// cslItem is what this test reads back of sources.json.
type cslItem struct {
	ID             string `json:"id"`
	Type           string `json:"type"`
	Title          string `json:"title"`
	ContainerTitle string `json:"container-title"`
	Author         []struct {
		Family, Given, Literal string
	} `json:"author"`
	Issued *struct {
		DateParts [][]int `json:"date-parts"`
	} `json:"issued"`
	Accessed *struct {
		DateParts [][]int `json:"date-parts"`
	} `json:"accessed"`
	Page   string `json:"page"`
	Volume string `json:"volume"`
	Issue  string `json:"issue"`
	URL    string `json:"URL"`
	DOI    string `json:"DOI"`
}

func TestSources(t *testing.T) {
	s := sitetest.Build(t, sourcesSite)
	if w := s.Warnings(); len(w) != 0 {
		t.Errorf("warnings: %v", w)
	}

	// sources.json: CSL-JSON, every work once (listed, inline, uncited), A to Z
	var items []cslItem
	if err := json.Unmarshal([]byte(s.Read("sources.json")), &items); err != nil {
		t.Fatalf("sources.json: %v", err)
	}
	var ids []string
	byID := map[string]cslItem{}
	for _, it := range items {
		ids = append(ids, it.ID)
		byID[it.ID] = it
	}
	if got := strings.Join(ids, " "); got != "local-news-2019-03-a-leaflet moss-2020 unused-2018 otnews-2019-04 otnews-2019-04-personalised-care rcot-2019" {
		t.Errorf("ids A to Z: %s", got)
	}
	moss := byID["moss-2020"]
	if moss.Type != "article-journal" || moss.Author[1].Family != "Zoë" || moss.Author[1].Given != "Ünal" || fmt.Sprint(moss.Issued.DateParts) != "[[2020]]" || moss.Page != "101-109" || moss.DOI != "10.1177/0308022619000001" {
		t.Errorf("moss = %+v", moss)
	}
	rcot := byID["rcot-2019"]
	if rcot.Author[0].Literal != "Royal College of Occupational Therapists" || fmt.Sprint(rcot.Issued.DateParts) != "[[2019 6 30]]" || fmt.Sprint(rcot.Accessed.DateParts) != "[[2024 5 1]]" || rcot.URL != "https://example.org/a_b~c?x=1%202#part" {
		t.Errorf("rcot = %+v", rcot)
	}
	if o := byID["otnews-2019-04"]; o.ContainerTitle != "OTnews" || fmt.Sprint(o.Issued.DateParts) != "[[2019 4]]" || o.Issue != "April 2019" {
		t.Errorf("otnews = %+v", o)
	}

	// sources.bib: every entry reads back, keys are the ids, text as written
	entries, err := readBibTeX(s.Read("sources.bib"))
	if err != nil {
		t.Fatalf("sources.bib: %v\n%s", err, s.Read("sources.bib"))
	}
	if len(entries) != len(items) {
		t.Errorf("%d BibTeX entries for %d sources", len(entries), len(items))
	}
	for _, want := range []struct{ key, typ, field, value string }{
		{"rcot-2019", "techreport", "title", `Costs & benefits: 100% of $5 #1 {draft} ~ ^ \ under_score`},
		{"rcot-2019", "techreport", "author", "Royal College of Occupational Therapists"},
		{"rcot-2019", "techreport", "institution", "RCOT"},
		{"rcot-2019", "techreport", "url", "https://example.org/a_b~c?x=1%202#part"},
		{"rcot-2019", "techreport", "urldate", "2024-05-01"},
		{"rcot-2019", "techreport", "month", "jun"},
		{"moss-2020", "article", "author", "Moss, Anna-Marie and Zoë, Ünal"},
		{"moss-2020", "article", "pages", "101--109"},
		{"moss-2020", "article", "journal", "British Journal of Occupational Therapy"},
		{"moss-2020", "article", "doi", "10.1177/0308022619000001"},
		{"otnews-2019-04", "article", "number", "April 2019"},
		{"unused-2018", "book", "year", "2018"},
	} {
		e, ok := entries[want.key]
		if !ok || e.typ != want.typ || e.fields[want.field] != want.value {
			t.Errorf("@%s{%s} %s = %q; want @%s %q", e.typ, want.key, want.field, e.fields[want.field], want.typ, want.value)
		}
	}

	// each item lists its sources, the text's citations link to them and
	// each entry links on to /sources/
	s.AssertFileContains("stories/a/index.html", `
		As OTnews reported <span class="citation">(<a href="#src-otnews-2019-04">‘Personalised care’, 2019a, p. 15</a>)</span>
		<span class="citation">(see <a href="#src-moss-2020">Moss and Zoë, 2020, pp. 101–102</a>; <a href="#src-rcot-2019">Royal College of Occupational Therapists, 2019</a>)</span>
		<li id="src-moss-2020">Moss, A.-M. and Zoë, Ü. (2020) ‘Graded steps at home’, <cite>British Journal of Occupational Therapy</cite>, 83(2), pp. 101–109. Available at: <a href="https://doi.org/10.1177/0308022619000001">
		<a class="in-list" href="/sources/#moss-2020">All pages citing it
		<li id="src-rcot-2019">Royal College of Occupational Therapists (2019) <cite>Costs &amp; benefits
		<a href="/sources/">Sources A to Z</a>
	`)
	// a work named by id with a page, and the same written out inline,
	// read alike (bar the letter that tells the two apart)
	a, b := s.Read("stories/a/index.html"), s.Read("stories/b/index.html")
	byIDRef := between(a, `<li id="src-otnews-2019-04">`, ` <a class="in-list"`)
	inlineRef := between(b, `<li id="src-otnews-2019-04-personalised-care">`, ` <a class="in-list"`)
	if byIDRef == "" || strings.Replace(byIDRef, "2019a", "2019", 1) != strings.Replace(inlineRef, "2019b", "2019", 1) {
		t.Errorf("by id:  %s\ninline: %s", byIDRef, inlineRef)
	}

	// /sources/: A to Z, each with its anchor and the pages citing it
	s.AssertFileContains("sources/index.html", `
		<a href="/sources.json" download>sources.json</a>
		<a href="/sources.bib" download>sources.bib</a>
		<li id="local-news-2019-03-a-leaflet"><p class="reference">
		<li><a href="/stories/a/">Story A</a>
		<li><a href="/stories/b/">Story B</a>
		<li id="moss-2020">
		<li id="unused-2018"><p class="reference"><cite>Occupational therapy at home</cite> (2018).</p>
		<p class="cited-by">Not cited on any page yet.</p>
		<li id="rcot-2019">
	`)
	if !strings.Contains(s.Read("sitemap.xml"), "<loc>https://example.org/sources/</loc>") {
		t.Error("/sources/ is not in the sitemap")
	}
}

// TestSourceProblems: an unknown id in front matter or in the text is an
// error at its place, with the nearest id.
func TestSourceProblems(t *testing.T) {
	s := sitetest.Write(t, sourcesSite)
	s.Edit("content/stories/a.md", "---\ntitle: Story A\ndate: 2020-01-02\nsources:\n  - {id: otnews-2019-4, page: 15}\n---\nText.\n")
	s.Rebuild()
	got := strings.Join(s.Problems(), "\n")
	if want := `content/stories/a.md:5:10: source "otnews-2019-4" is not in data/sources.yaml; did you mean "otnews-2019-04"?`; !strings.Contains(got, want) {
		t.Errorf("missing %q in:\n%s", want, got)
	}
	// the text's citations are read once the content is right
	s.Edit("content/stories/a.md", "---\ntitle: Story A\ndate: 2020-01-02\n---\nText.\n")
	s.Edit("content/stories/b.md", "---\ntitle: Story B\ndate: 2020-01-01\n---\nAs found [@mos-2020, p. 3].\n")
	s.Rebuild()
	got = strings.Join(s.Problems(), "\n")
	if want := `content/stories/b.md:5:11: the citation @mos-2020 names no source of this site; did you mean [@moss-2020]?`; !strings.Contains(got, want) {
		t.Errorf("missing %q in:\n%s", want, got)
	}
	// a site without sources has no /sources/ and no link to it
	plain := sitetest.Build(t, "-- site.toml --\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n-- content/stories/a.md --\n---\ntitle: A\ndate: 2020-01-01\n---\nText.\n")
	plain.AssertNoFile("sources/index.html", "sources.json", "sources.bib")
	if strings.Contains(plain.Read("stories/a/index.html"), "/sources/") {
		t.Error("a site without sources links to /sources/")
	}
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(rest, to)
	return out
}

// bibEntry is an entry read back from BibTeX.
type bibEntry struct {
	typ    string
	fields map[string]string
}

// readBibTeX is a small BibTeX reader: @type{key, name = {value} | number |
// macro, ...}, with braces nested in values, TeX's escapes of special
// characters undone and braces that only protect case dropped. Text
// outside entries is a comment, as BibTeX has it.
func readBibTeX(src string) (map[string]bibEntry, error) {
	out := map[string]bibEntry{}
	i := 0
	for {
		at := strings.IndexByte(src[i:], '@')
		if at < 0 {
			return out, nil
		}
		i += at + 1
		open := strings.IndexByte(src[i:], '{')
		if open < 0 {
			return nil, fmt.Errorf("@ without {")
		}
		typ := strings.ToLower(strings.TrimSpace(src[i : i+open]))
		i += open + 1
		comma := strings.IndexByte(src[i:], ',')
		if comma < 0 {
			return nil, fmt.Errorf("entry without a key")
		}
		key := strings.TrimSpace(src[i : i+comma])
		i += comma + 1
		e := bibEntry{typ: typ, fields: map[string]string{}}
		for {
			for i < len(src) && unicode.IsSpace(rune(src[i])) {
				i++
			}
			if i >= len(src) {
				return nil, fmt.Errorf("%s: unclosed entry", key)
			}
			if src[i] == '}' {
				i++
				break
			}
			eq := strings.IndexByte(src[i:], '=')
			if eq < 0 {
				return nil, fmt.Errorf("%s: field without =", key)
			}
			name := strings.ToLower(strings.TrimSpace(src[i : i+eq]))
			i += eq + 1
			for i < len(src) && src[i] == ' ' {
				i++
			}
			var raw string
			if src[i] == '{' {
				depth, j := 0, i
				for ; j < len(src); j++ {
					switch {
					case src[j] == '\\':
						j++ // an escaped character never opens or closes
					case src[j] == '{':
						depth++
					case src[j] == '}':
						depth--
					}
					if depth == 0 {
						break
					}
				}
				if j >= len(src) {
					return nil, fmt.Errorf("%s.%s: unbalanced braces", key, name)
				}
				raw, i = src[i+1:j], j+1
			} else {
				j := i
				for j < len(src) && src[j] != ',' && src[j] != '}' && src[j] != '\n' {
					j++
				}
				raw, i = strings.TrimSpace(src[i:j]), j
			}
			if _, dup := e.fields[name]; dup {
				return nil, fmt.Errorf("%s: %s twice", key, name)
			}
			if name == "url" || name == "doi" {
				e.fields[name] = strings.NewReplacer(`\%`, "%", `\#`, "#").Replace(raw)
			} else {
				e.fields[name] = unTeX(raw)
			}
			for i < len(src) && (src[i] == ' ' || src[i] == '\n') {
				i++
			}
			if i < len(src) && src[i] == ',' {
				i++
			}
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("key %s twice", key)
		}
		out[key] = e
	}
}

// unTeX undoes the escapes of BibTeX text and drops protecting braces.
func unTeX(s string) string {
	s = strings.NewReplacer(`\textbackslash{}`, "\x00", `\textasciitilde{}`, "~", `\textasciicircum{}`, "^").Replace(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '{' || c == '}':
		default:
			b.WriteByte(c)
		}
	}
	return strings.ReplaceAll(b.String(), "\x00", `\`)
}
