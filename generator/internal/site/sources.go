package site

import (
	"fmt"
	"slices"
	"strings"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/csl"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/markdown"
	"github.com/otpress/otpress/generator/internal/render"
)

// Sources: every work the site's items cite, formatted once in the house
// style (harvard.Bibliography), cited in the text as [@id], listed at the
// end of each item, and published as /sources/ (A to Z, with the pages
// citing each), /sources.json (CSL-JSON) and /sources.bib (BibTeX).

// hasSources says the site has any source, listed or written inline: then
// /sources/ is written and every page's footer links to it.
func hasSources(lib *content.Library) bool { return len(lib.Catalogue.Works()) > 0 }

// citeFor is the Doc.Cite of a document in file: a citation on an item's
// page links to the item's own list of sources (#src-id, which the page
// has, since the text's citations join it), elsewhere to /sources/.
func (b *builder) citeFor(file string) func(id, locator string) (markdown.Cited, bool) {
	_, onItem := b.byFile[file]
	return func(id, locator string) (markdown.Cited, bool) {
		html, text, ok := b.rnd.Bibliography().Short(id, content.PageLocator(locator))
		if !ok {
			return markdown.Cited{Hint: b.citeHint(id)}, false
		}
		href := b.cfg.Link(render.SourcesPath) + "#" + id
		if onItem {
			href = "#src-" + id
		}
		return markdown.Cited{HTML: string(html), Text: text, Href: href}, true
	}
}

// citeHint says how to put right a citation of an id the site lacks.
func (b *builder) citeHint(id string) string {
	cat := b.lib.Catalogue
	var ids []string
	for _, w := range cat.Works() {
		ids = append(ids, w.ID)
	}
	list := content.SourceFiles[0]
	if cat != nil && cat.File != "" {
		list = cat.File
	}
	hint := fmt.Sprintf("add it to %s, or correct the id", list)
	if near := diag.Nearest(id, ids); near != "" {
		hint = fmt.Sprintf("did you mean [@%s]? ", near) + hint
	}
	return hint
}

// bodyCited are the sources an item's text cites that its front matter
// does not name, in the order first cited; they join its list as cites.
func (b *builder) bodyCited(it *content.Item, cites []markdown.Citation) []content.Source {
	var out []content.Source
	named := func(id string) bool {
		return slices.ContainsFunc(it.Sources, func(s content.Source) bool { return s.Work != nil && s.Work.ID == id }) ||
			slices.ContainsFunc(out, func(s content.Source) bool { return s.Work.ID == id })
	}
	for _, c := range cites {
		if w := b.lib.Catalogue.Get(c.ID); w != nil && !named(c.ID) {
			out = append(out, content.Source{ID: c.ID, Work: w, Relation: content.Cites})
		}
	}
	return out
}

// noteCites records the ids an item's page cites (front matter and text),
// for /sources/.
func (b *builder) noteCites(it *content.Item, extra []content.Source) {
	ids := citedIDs(it, extra)
	if ids == nil {
		b.cites.Delete(it)
		return
	}
	b.cites.Store(it, ids)
}

// citedIDs are the ids of the works an item's page cites: its front
// matter's, then extra (those its text cites), each once.
func citedIDs(it *content.Item, extra []content.Source) []string {
	var ids []string
	for _, s := range slices.Concat(it.Sources, extra) {
		if s.Work != nil && !slices.Contains(ids, s.Work.ID) {
			ids = append(ids, s.Work.ID)
		}
	}
	return ids
}

// citesOf are the ids an item's page cites, as last written.
func (b *builder) citesOf(it *content.Item) []string {
	if ids, ok := b.cites.Load(it); ok {
		return ids.([]string)
	}
	return nil
}

// sourcePages writes /sources/, /sources.json and /sources.bib, when the
// site has sources. They come after the item pages, which find what each
// item's text cites.
func (b *builder) sourcePages(emit func(job)) {
	if !hasSources(b.lib) {
		return
	}
	emit(b.sourcesPage)
	emit(b.sourceFiles)
}

// sourcesPage writes /sources/: every source A to Z with the items citing
// it, in the library's order.
func (b *builder) sourcesPage() {
	citedBy := map[string][]*render.Item{}
	for _, it := range b.lib.Items {
		for _, id := range b.citesOf(it) {
			citedBy[id] = append(citedBy[id], b.card(it))
		}
	}
	b.write(b.rnd.SourcesPage(citedBy), b.lib.Catalogue.File)
}

// sourceFiles writes the sources for reference managers, A to Z.
func (b *builder) sourceFiles() {
	var items []csl.Item
	for _, ref := range b.rnd.Bibliography().All() {
		items = append(items, cslItem(ref.Work))
	}
	data, err := csl.JSON(items)
	if err != nil {
		b.fail(fmt.Errorf("sources.json: %w", err))
		return
	}
	if err := b.putFile(strings.TrimPrefix(render.SourcesJSON, "/"), data, true); err != nil {
		b.fail(err)
	}
	header := b.rnd.Words().Must("sources.bib_header", "Site", b.cfg.Title, "URL", b.cfg.URL(render.SourcesPath))
	if err := b.putFile(strings.TrimPrefix(render.SourcesBib, "/"), csl.BibTeX(items, header), true); err != nil {
		b.fail(err)
	}
}

// cslItem is a work as CSL-JSON has it.
func cslItem(w *content.Work) csl.Item {
	names := func(ns []content.Name) []csl.Name {
		var out []csl.Name
		for _, n := range ns {
			out = append(out, csl.Name{Family: n.Family, Given: n.Given, Literal: n.Literal})
		}
		return out
	}
	return csl.Item{
		ID: w.ID, Type: w.Type, Title: w.Title, TitleShort: w.TitleShort,
		ContainerTitle: w.ContainerTitle, CollectionTitle: w.CollectionTitle,
		Author: names(w.Author), Editor: names(w.Editor), Host: names(w.Host), Guest: names(w.Guest),
		Issued:    csl.NewDate(w.Issued.Year, w.Issued.Month, w.Issued.Day),
		Accessed:  csl.NewDate(w.Accessed.Year, w.Accessed.Month, w.Accessed.Day),
		Publisher: w.Publisher, PublisherPlace: w.PublisherPlace,
		Volume: w.Volume, Issue: w.Issue, Page: w.Page, Number: w.Number, Edition: w.Edition,
		Genre: w.Genre, Medium: w.Medium, URL: w.URL, DOI: w.DOI, ISBN: w.ISBN, ISSN: w.ISSN,
	}
}
