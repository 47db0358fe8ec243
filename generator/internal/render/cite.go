package render

import (
	"cmp"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/harvard"
	"github.com/otpress/otpress/generator/internal/words"
)

// SourcesPath is the site's list of sources, and SourcesJSON and SourcesBib
// the same as files for reference managers.
const (
	SourcesPath = "/sources/"
	SourcesJSON = "/sources.json"
	SourcesBib  = "/sources.bib"
)

// SetBibliography gives the renderer the site's references, before any
// page that cites one is rendered.
func (r *Renderer) SetBibliography(b *harvard.Bibliography) { r.bib = b }

// Bibliography is the site's references.
func (r *Renderer) Bibliography() *harvard.Bibliography { return r.bib }

// Cited is a source as an item's page lists it.
type Cited struct {
	ID       string
	Anchor   string        // the entry's own id, "src-otnews-2019-04", which citations in the text link to
	HTML     template.HTML // the reference, with where the page cites it
	Title    string        // the work's title, naming the link to the source list
	Href     string        // the work in the site's list of sources
	Relation string        // basedOn, cites or mentions
}

// CitedList is an item's sources in the house style, A to Z: those its
// front matter names, then extra ones its text cites (as cites). Anchors
// start with prefix, for pages that show several items.
func (r *Renderer) CitedList(sources []content.Source, extra []content.Source, prefix string) []Cited {
	var out []Cited
	var keys []string
	for _, s := range slices.Concat(sources, extra) {
		if s.Work == nil || slices.ContainsFunc(out, func(c Cited) bool { return c.ID == s.Work.ID }) {
			continue
		}
		html, _ := r.bib.Full(s.Work.ID, s.Locator)
		if html == "" { // a page rendered without the site's bibliography
			html = harvard.NewBibliographyIn([]*content.Work{s.Work}, r.HarvardWords()).Get(s.Work.ID).HTML
		}
		out = append(out, Cited{
			ID: s.Work.ID, Anchor: prefix + "src-" + s.Work.ID, HTML: html,
			Title: cmp.Or(s.Work.Title, s.Work.ContainerTitle), Href: r.cfg.Link(SourcesPath) + "#" + s.Work.ID,
			Relation: string(cmp.Or(s.Relation, content.Cites)),
		})
		key := s.Work.ID
		if ref := r.bib.Get(s.Work.ID); ref != nil {
			key = ref.SortKey
		}
		keys = append(keys, key)
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	sorted := make([]Cited, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return sorted
}

// AddCited adds to an item's page the sources its text cites that its
// front matter does not name: to its list of sources and its structured
// data.
func (r *Renderer) AddCited(p *Page, it *content.Item, extra []content.Source) {
	if len(extra) == 0 || p.Item == nil {
		return
	}
	p.Item.Sources = r.CitedList(it.Sources, extra, "")
	if len(p.ld) > 0 {
		if d, ok := p.ld[0].(ld); ok {
			r.citationLD(d, it, slices.Concat(it.Sources, extra))
		}
	}
}

// Appeared is where a feature was published, for its "Appeared in" line.
type Appeared struct {
	Publication string
	Issue       string // "April 2019"
	Page        string // "15"
}

// appeared is the publication and issue of a feature's first source that
// names both; an issue known by its month is named in the site's language.
func (r *Renderer) appeared(sources []content.Source) *Appeared {
	for _, s := range sources {
		if s.Work != nil && content.IssueOf(s.Work) != "" {
			issue := content.IssueOf(s.Work)
			if w := s.Work; w.Issue == "" && w.Issued.Month >= 1 && w.Issued.Month <= 12 {
				issue = r.w().Month(time.Month(w.Issued.Month)) + " " + strconv.Itoa(w.Issued.Year)
			}
			page := s.Work.Page
			if page == "" {
				page = strings.TrimPrefix(strings.TrimPrefix(s.Locator, "pp. "), "p. ")
				if page == s.Locator {
					page = ""
				}
			}
			return &Appeared{Publication: s.Work.ContainerTitle, Issue: issue, Page: page}
		}
	}
	return nil
}

// SourcesView is the site's list of sources, /sources/.
type SourcesView struct {
	Letters  []SourceLetter
	Total    int
	JSONHref string
	BibHref  string
}

// SourceLetter is the sources filed under one letter.
type SourceLetter struct {
	Letter  string
	ID      string
	Entries []SourceEntry
}

// SourceEntry is one source on /sources/ with the pages that cite it.
type SourceEntry struct {
	ID      string
	HTML    template.HTML
	CitedBy []*Item
}

// SourcesPage is /sources/: every source A to Z with the items citing
// each (citedBy, by id, in the library's order).
func (r *Renderer) SourcesPage(citedBy map[string][]*Item) *Page {
	p := r.page("sources.html", SourcesPath, r.w().Must("sources.title"))
	p.DocTitle = r.docTitle(r.w().Must("sources.doc_title"))
	p.Description = r.w().Must("sources.page_description", "Site", r.cfg.Title)
	p.Crumbs = []Link{r.home()}
	v := &SourcesView{JSONHref: r.cfg.Link(SourcesJSON), BibHref: r.cfg.Link(SourcesBib)}
	ids := map[string]bool{}
	for _, ref := range r.bib.All() {
		ids[ref.ID] = true
	}
	for _, ref := range r.bib.All() {
		letter := "#"
		if c, _ := utf8.DecodeRuneInString(ref.SortKey); c >= 'a' && c <= 'z' {
			letter = strings.ToUpper(string(c))
		} else if c >= '0' && c <= '9' {
			letter = "0–9"
		}
		if n := len(v.Letters); n == 0 || v.Letters[n-1].Letter != letter {
			id := "letter-" + strings.ToLower(map[string]string{"#": "other", "0–9": "digits"}[letter])
			if len(letter) == 1 && letter != "#" {
				id = "letter-" + strings.ToLower(letter)
			}
			for ids[id] {
				id += "-heading"
			}
			v.Letters = append(v.Letters, SourceLetter{Letter: letter, ID: id})
		}
		l := &v.Letters[len(v.Letters)-1]
		l.Entries = append(l.Entries, SourceEntry{ID: ref.ID, HTML: ref.HTML, CitedBy: citedBy[ref.ID]})
		v.Total++
	}
	p.Sources = v
	r.card(p, "", "", p.Path)
	return p
}

// workLD describes a source as schema.org has it.
func (r *Renderer) workLD(w *content.Work) ld {
	types := map[string]string{
		"article-magazine": "Article", "article-journal": "ScholarlyArticle", "broadcast": "PodcastEpisode",
		"report": "Report", "webpage": "WebPage", "book": "Book", "chapter": "Chapter", "dataset": "Dataset",
		"legislation": "Legislation",
	}
	d := ld{"@type": cmp.Or(types[w.Type], "CreativeWork"), "@id": r.cfg.URL(SourcesPath) + "#" + w.ID, "name": cmp.Or(w.Title, w.ContainerTitle)}
	if w.URL != "" {
		d["url"] = w.URL
	}
	if w.DOI != "" {
		d["sameAs"] = "https://doi.org/" + w.DOI
	}
	if !w.Issued.IsZero() {
		d["datePublished"] = w.Issued.String()
	}
	var people []any
	for _, n := range w.Author {
		if n.Literal != "" {
			people = append(people, ld{"@type": "Organization", "name": n.Literal})
		} else {
			people = append(people, ld{"@type": "Person", "name": strings.TrimSpace(n.Given + " " + n.Family), "familyName": n.Family, "givenName": n.Given})
		}
	}
	if people != nil {
		d["author"] = people
	}
	if w.Publisher != "" {
		d["publisher"] = ld{"@type": "Organization", "name": w.Publisher}
	}
	switch w.Type {
	case "article-magazine", "article-journal", "document":
		if w.ContainerTitle != "" {
			periodical := ld{"@type": "Periodical", "name": w.ContainerTitle}
			if w.ISSN != "" {
				periodical["issn"] = w.ISSN
			}
			d["isPartOf"] = periodical
			if issue := content.IssueOf(w); issue != "" {
				d["isPartOf"] = ld{"@type": "PublicationIssue", "issueNumber": issue, "isPartOf": periodical}
			}
		}
	case "broadcast":
		d["partOfSeries"] = ld{"@type": "PodcastSeries", "name": w.ContainerTitle}
		if w.Number != "" {
			d["episodeNumber"] = w.Number
		}
		var actors []any
		for _, n := range slices.Concat(w.Host, w.Guest) {
			actors = append(actors, ld{"@type": "Person", "name": cmp.Or(n.Literal, strings.TrimSpace(n.Given+" "+n.Family))})
		}
		if actors != nil {
			d["actor"] = actors
		}
	case "chapter", "webpage":
		if w.ContainerTitle != "" {
			d["isPartOf"] = ld{"@type": map[string]string{"chapter": "Book", "webpage": "WebSite"}[w.Type], "name": w.ContainerTitle}
		}
	case "book":
		if w.ISBN != "" {
			d["isbn"] = w.ISBN
		}
	case "legislation":
		if w.Number != "" {
			d["legislationIdentifier"] = w.Number
		}
	case "report":
		if w.Number != "" {
			d["reportNumber"] = w.Number
		}
	}
	if from, to, ok := strings.Cut(content.Pages(w.Page), "–"); ok {
		d["pageStart"], d["pageEnd"] = from, to
	} else if w.Page != "" {
		d["pageStart"] = w.Page
	}
	return d
}

// citationLD sets an item's sources in its structured data: every source
// is a citation; those it is based on are also isBasedOn, and those it
// only names are mentions. A feature sits in the issue of its first
// source that names one.
func (r *Renderer) citationLD(d ld, it *content.Item, sources []content.Source) {
	var cites, basis, mentions []any
	seen := map[string]bool{}
	feature := it.Kind == content.Feature
	for _, s := range sources {
		if s.Work == nil || seen[s.Work.ID] {
			continue
		}
		seen[s.Work.ID] = true
		work := r.workLD(s.Work)
		switch s.Relation {
		case content.Mentions:
			mentions = append(mentions, work)
			continue
		case content.BasedOn:
			basis = append(basis, work)
		}
		cites = append(cites, work)
		if feature && content.IssueOf(s.Work) != "" {
			feature = false
			if pi, ok := work["isPartOf"]; ok {
				d["isPartOf"] = pi
			}
			if ps, ok := work["pageStart"]; ok {
				d["pageStart"] = ps
			}
			if pe, ok := work["pageEnd"]; ok {
				d["pageEnd"] = pe
			}
		}
	}
	for k, v := range map[string][]any{"citation": cites, "isBasedOn": basis, "mentions": mentions} {
		if v != nil {
			d[k] = v
		} else {
			delete(d, k)
		}
	}
}

// HarvardWords are the house style's own words in the site's language,
// worked out once.
func (r *Renderer) HarvardWords() harvard.Words {
	r.harvardOnce.Do(func() { r.harvard = harvardWords(r.w()) })
	return r.harvard
}

func harvardWords(w *words.Words) harvard.Words {
	hw := harvard.Words{And: w.Must("harvard.and"), NoDate: w.Must("harvard.no_date"), Page: w.Must("harvard.page"), Pages: w.Must("harvard.pages"),
		Editor: w.Must("harvard.editor"), Editors: w.Must("harvard.editors"), In: w.Must("harvard.in"), Podcast: w.Must("harvard.podcast"),
		Episode: w.Must("harvard.episode"), Dataset: w.Must("harvard.dataset"), AvailableAt: w.Must("harvard.available_at"),
		Accessed: w.Must("harvard.accessed"), CitedHere: w.Must("harvard.cited_here")}
	for m := time.January; m <= time.December; m++ {
		hw.Months[m-1] = w.Month(m)
	}
	return hw
}
