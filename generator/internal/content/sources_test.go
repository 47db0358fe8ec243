package content

import (
	"strings"
	"testing"
	"testing/fstest"
)

// goodSources is a source list with one work of each kind the rules look at.
const goodSources = `otnews-2019-04:
  type: article-magazine
  title: Personalised care
  container-title: OTnews
  publisher: Royal College of Occupational Therapists
  issued: 2019-04
  page: "15"
iaap-72:
  type: broadcast
  title: "Rebuilding lives: Personalisation in Occupational Therapy"
  container-title: It's All About People
  number: 72
  guest: [{family: Phillips, given: Zoe}, {family: Martin, given: Laura}]
rcot-2019:
  type: report
  title: Annual report
  author: [{literal: Royal College of Occupational Therapists}]
  issued: 2019-06-30
  URL: https://example.org/report
  accessed: 2024-05-01
`

func TestLoadCatalogue(t *testing.T) {
	cat, probs := LoadCatalogue(fstest.MapFS{"data/sources.yaml": {Data: []byte(goodSources)}})
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if cat.File != "data/sources.yaml" || len(cat.Listed) != 3 {
		t.Fatalf("catalogue %+v", cat)
	}
	w := cat.Get("otnews-2019-04")
	if w.Type != "article-magazine" || w.ContainerTitle != "OTnews" || w.Issued != (Date{2019, 4, 0}) || w.Page != "15" || w.Pos.Line != 1 || w.File != "data/sources.yaml" {
		t.Errorf("otnews = %+v", w)
	}
	if r := cat.Get("rcot-2019"); r.Author[0].Literal != "Royal College of Occupational Therapists" || r.Accessed.String() != "2024-05-01" || r.URLPos.Line != 19 {
		t.Errorf("rcot = %+v", r)
	}
	if g := cat.Get("iaap-72").Guest; len(g) != 2 || g[1] != (Name{Family: "Martin", Given: "Laura"}) {
		t.Errorf("guests = %+v", g)
	}
	// the same list in TOML
	toml := `[otnews-2019-04]
type = "article-magazine"
title = "Personalised care"
container-title = "OTnews"
issued = "2019-04"
page = "15"

[rcot-2019]
type = "report"
title = "Annual report"
author = [{literal = "Royal College of Occupational Therapists"}]
issued = 2019-06-30
URL = "https://example.org/report"
accessed = 2024-05-01
`
	cat, probs = LoadCatalogue(fstest.MapFS{"data/sources.toml": {Data: []byte(toml)}})
	if len(probs) != 0 || cat.Get("rcot-2019").Issued != (Date{2019, 6, 30}) || cat.Get("otnews-2019-04").Issued != (Date{2019, 4, 0}) || cat.Get("rcot-2019").Pos.Line != 8 {
		t.Errorf("TOML: %v, %+v", probs, cat.Get("rcot-2019"))
	}
	// no list at all is fine
	if cat, probs := LoadCatalogue(fstest.MapFS{}); len(probs) != 0 || cat.File != "" || cat.Get("x") != nil {
		t.Errorf("no list: %+v %v", cat, probs)
	}
}

// TestCatalogueProblems: each broken entry gives its problem at its place
// in the file, with a hint; all are reported together.
func TestCatalogueProblems(t *testing.T) {
	for _, c := range []struct {
		name, src  string
		line, col  int
		msg, hint  string
		warning    bool
		otherFiles map[string]string
	}{
		{"id not slug-safe", "Otnews 2019:\n  type: book\n  title: T\n", 1, 1, `the id "Otnews 2019" cannot be used`, "e.g. otnews-2019", false, nil},
		{"id given twice", "a:\n  type: book\n  title: T\na:\n  type: book\n  title: U\n", 4, 1, `"a" is given twice (first on line 1)`, "keep one", false, nil},
		{"no type", "a:\n  title: T\n", 1, 1, "source a has no type", "article-magazine, article-journal", false, nil},
		{"unknown type", "a:\n  type: magazine-article\n  title: T\n", 2, 9, `the type "magazine-article"`, "the types are article-magazine", false, nil},
		{"no title", "a:\n  type: book\n", 1, 1, "source a has no title", "add title:", false, nil},
		{"issued not a date", "a:\n  type: book\n  title: T\n  issued: April 2019\n", 4, 11, `issued "April 2019" is not a date`, "2019-04", false, nil},
		{"issued month 13", "a:\n  type: book\n  title: T\n  issued: 2019-13\n", 4, 11, `issued "2019-13" is not a date`, "", false, nil},
		{"issued 30 February", "a:\n  type: book\n  title: T\n  issued: 2019-02-30\n", 4, 11, `issued "2019-02-30" is not a date`, "", false, nil},
		{"URL without accessed", "a:\n  type: webpage\n  title: T\n  URL: https://example.org/\n", 4, 8, "source a has a URL but no accessed date", "add accessed:", false, nil},
		{"accessed without day", "a:\n  type: webpage\n  title: T\n  URL: https://example.org/\n  accessed: 2024-05\n", 5, 13, `accessed "2024-05" needs the day`, "", false, nil},
		{"URL not web", "a:\n  type: webpage\n  title: T\n  URL: www.example.org\n  accessed: 2024-05-01\n", 4, 8, `the URL "www.example.org" of source a is not a web address`, "https://", false, nil},
		{"magazine without container", "a:\n  type: article-magazine\n  title: T\n  page: 15\n", 1, 1, "without the magazine's name (container-title)", "container-title: OTnews", false, nil},
		{"magazine without page or issue", "a:\n  type: article-magazine\n  title: T\n  container-title: OTnews\n", 1, 1, "without a page or an issue", "", false, nil},
		{"broadcast without series", "a:\n  type: broadcast\n  title: T\n", 1, 1, "a broadcast without the podcast or programme", "", false, nil},
		{"author as text", "a:\n  type: book\n  title: T\n  author: [\"Sanderson, James\"]\n", 4, 12, "each author is a set of fields", "{family: Sanderson, given: James}", false, nil},
		{"author literal and family", "a:\n  type: book\n  title: T\n  author: [{literal: RCOT, family: X}]\n", 4, 12, "has both literal and family", "", false, nil},
		{"unknown key", "a:\n  type: book\n  title: T\n  container_title: X\n", 4, 3, `unknown key "container_title" in source a`, `did you mean "container-title"?`, true, nil},
		{"url in lower case", "a:\n  type: book\n  title: T\n  Url: https://example.org/\n", 4, 3, `unknown key "Url"`, `did you mean "URL"?`, true, nil},
		{"alias and field", "a:\n  type: book\n  title: T\n  url: https://x.org/\n  URL: https://x.org/\n  accessed: 2024-01-01\n", 4, 3, "url and URL are the same field", "", false, nil},
		{"bad DOI", "a:\n  type: article-journal\n  title: T\n  container-title: J\n  DOI: 1234\n", 5, 8, `the DOI "1234" of source a is not a DOI`, "", false, nil},
		{"not a map", "- a\n- b\n", 1, 1, "the file is a list, not a set of fields", "", false, nil},
		{"YAML syntax", "a:\n  title: \"T\n", 2, 10, "YAML syntax", "", false, nil},
		{"two lists", "a:\n  type: book\n  title: T\n", 0, 0, "the site has two source lists", "keep one", false, map[string]string{"data/sources.toml": ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{"data/sources.yaml": {Data: []byte(c.src)}}
			for name, src := range c.otherFiles {
				fsys[name] = &fstest.MapFile{Data: []byte(src)}
			}
			_, probs := LoadCatalogue(fsys)
			for _, p := range probs {
				if strings.Contains(p.Msg, c.msg) {
					if p.Line != c.line || p.Col != c.col || !strings.Contains(p.Hint, c.hint) || (p.Severity == 1) != c.warning {
						t.Errorf("got %s (%v)", p.Error(), p.Severity)
					}
					return
				}
			}
			t.Errorf("no problem %q among %v", c.msg, probs)
		})
	}
}

// TestItemSources: pages name sources by id (with a locator and a
// relation), or write them out; an unknown id is an error at the id, with
// the nearest ids; inline works get ids of their own, the same work on
// two pages is one.
func TestItemSources(t *testing.T) {
	fsys := fstest.MapFS{
		"data/sources.yaml": {Data: []byte(goodSources)},
		"content/stories/a.md": {Data: []byte(`---
title: A
date: 2019-04-01
sources:
  - {id: otnews-2019-04, page: 15}
  - id: iaap-72
    locator: "12:30"
    relation: cites
  - rcot-2019
  - {title: Personalised care, publication: OTnews, issue: April 2019, page: "16", date: 2019-04-01}
---
Text.
`)},
		"content/features/b.md": {Data: []byte(`---
title: B
date: 2019-04-01
sources:
  - {title: Personalised care, publication: OTnews, issue: April 2019, page: "16", date: 2019-04-01}
  - {id: otnews-2019-04, relation: mentions, locator: pp. 15-16}
---
Text.
`)},
	}
	lib, probs := Load(fsys, Options{})
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	a, b := lib.Items[0], lib.Items[1]
	if a.Title != "A" {
		a, b = b, a
	}
	if len(a.Sources) != 4 {
		t.Fatalf("sources = %+v", a.Sources)
	}
	s := a.Sources
	if s[0].Work != lib.Catalogue.Get("otnews-2019-04") || s[0].Locator != "p. 15" || s[0].Relation != BasedOn || s[0].Pos.Line != 5 {
		t.Errorf("by id with a page: %+v", s[0])
	}
	if s[1].Locator != "12:30" || s[1].Relation != Cites || s[2].Work.ID != "rcot-2019" {
		t.Errorf("by id: %+v, %+v", s[1], s[2])
	}
	inline := s[3].Work
	if !inline.Inline || inline.ID != "otnews-2019-04-personalised-care" || inline.Type != "article-magazine" || inline.Issue != "April 2019" || inline.Issued != (Date{2019, 4, 1}) {
		t.Errorf("inline = %+v", inline)
	}
	if b.Sources[0].Work != inline {
		t.Errorf("the same work on two pages is two: %p, %p", b.Sources[0].Work, inline)
	}
	if b.Sources[1].Relation != Mentions || b.Sources[1].Locator != "pp. 15–16" {
		t.Errorf("mentions: %+v", b.Sources[1])
	}
	if got := len(lib.Catalogue.Works()); got != 4 {
		t.Errorf("%d works; want the 3 listed and 1 inline", got)
	}

	for _, c := range []struct {
		name, front string
		line, col   int
		msg, hint   string
	}{
		{"unknown id", "sources:\n  - {id: otnews-2019-4}\n", 5, 10, `source "otnews-2019-4" is not in data/sources.yaml`, `did you mean "otnews-2019-04"?`},
		{"unknown bare id", "sources: [rcot-2018]\n", 4, 11, `source "rcot-2018" is not in data/sources.yaml`, `did you mean "rcot-2019"?`},
		{"id twice", "sources:\n  - otnews-2019-04\n  - {id: otnews-2019-04, page: 3}\n", 6, 10, "otnews-2019-04 is already source 1 of this page", "give each source once"},
		{"page and locator", "sources:\n  - {id: otnews-2019-04, page: 3, locator: p. 4}\n", 5, 35, "page and locator both say where", ""},
		{"bad relation", "sources:\n  - {id: otnews-2019-04, relation: based-on}\n", 5, 36, `relation "based-on" is not one otpress knows`, `did you mean "basedOn"?`},
		{"inline without title or publication", "sources:\n  - {url: \"https://example.org/\"}\n", 5, 5, "neither a title nor a publication", ""},
		{"inline with a bad type", "sources:\n  - {type: podcast, title: T}\n", 5, 12, `the type "podcast"`, ""},
		{"not a list", "sources: otnews-2019-04\n", 4, 10, "sources must be a list", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := fstest.MapFS{"data/sources.yaml": fsys["data/sources.yaml"],
				"content/stories/c.md": {Data: []byte("---\ntitle: C\ndate: 2019-04-01\n" + c.front + "---\nText.\n")}}
			_, probs := Load(fs, Options{})
			for _, p := range probs {
				if strings.Contains(p.Msg, c.msg) {
					if p.File != "content/stories/c.md" || p.Line != c.line || p.Col != c.col || !strings.Contains(p.Hint, c.hint) || p.Source == "" {
						t.Errorf("got %s (source line %q)", p.Error(), p.Source)
					}
					return
				}
			}
			t.Errorf("no problem %q among %v", c.msg, probs)
		})
	}
	// without a list, an id says so
	_, probs = Load(fstest.MapFS{"content/stories/c.md": {Data: []byte("---\ntitle: C\ndate: 2019-04-01\nsources: [rcot-2019]\n---\n")}}, Options{})
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, "the site has no data/sources.yaml") {
		t.Errorf("no list: %v", probs)
	}
}

func TestPageLocator(t *testing.T) {
	for in, want := range map[string]string{
		"15": "p. 15", "15-17": "pp. 15–17", "15--17": "pp. 15–17", "p. 15": "p. 15", "pp. 3-4": "pp. 3–4",
		"p.15": "p. 15", "xiv": "p. xiv", "12:30": "12:30", "ch. 3": "ch. 3", "": "",
	} {
		if got := PageLocator(in); got != want {
			t.Errorf("PageLocator(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestInlineIDs: an inline work's id comes from what it says; two
// different works wanting one id both get a hash; a rebuild keeps ids or
// says it cannot.
func TestInlineIDs(t *testing.T) {
	item := func(works ...*Work) *Item {
		it := &Item{}
		for _, w := range works {
			it.Sources = append(it.Sources, Source{Work: w})
		}
		return it
	}
	w1 := &Work{Inline: true, Type: "article-magazine", Title: "Personalised care", ContainerTitle: "OTnews", Issued: Date{2019, 4, 0}, Page: "15"}
	w2 := &Work{Inline: true, Type: "article-magazine", Title: "Personalised care", ContainerTitle: "OTnews", Issued: Date{2019, 4, 0}, Page: "16"}
	w3 := &Work{Inline: true, Type: Document, Title: "A very long title of many words indeed", Author: []Name{{Family: "Smith"}}}
	cat, same := (&Catalogue{}).Rebuild([]*Item{item(w1, w3)})
	if !same || w1.ID != "otnews-2019-04-personalised-care" || w3.ID != "smith-nd-a-very-long-title" || cat.Get(w1.ID) != w1 {
		t.Fatalf("ids %q %q", w1.ID, w3.ID)
	}
	// a second work wanting w1's id: a full reading hashes both, so the
	// preview must rebuild everything
	if _, same := cat.Rebuild([]*Item{item(w1, w3), item(w2)}); same {
		t.Error("a rebuild that renames w1 says it is the same")
	}
	fresh := []*Item{item(&Work{Inline: true, Type: "article-magazine", Title: "Personalised care", ContainerTitle: "OTnews", Issued: Date{2019, 4, 0}, Page: "15"}), item(&Work{Inline: true, Type: "article-magazine", Title: "Personalised care", ContainerTitle: "OTnews", Issued: Date{2019, 4, 0}, Page: "16"})}
	cat, _ = (&Catalogue{}).Rebuild(fresh)
	a, b := fresh[0].Sources[0].Work.ID, fresh[1].Sources[0].Work.ID
	if a == b || !strings.HasPrefix(a, "otnews-2019-04-personalised-care-") || !strings.HasPrefix(b, "otnews-2019-04-personalised-care-") || len(cat.Works()) != 2 {
		t.Errorf("colliding ids %q, %q", a, b)
	}
}
