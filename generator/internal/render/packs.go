package render

import (
	"html/template"
	"strconv"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/taxonomy"
	"github.com/otpress/otpress/generator/internal/vtt"
	"github.com/otpress/otpress/generator/internal/words"
)

// Pack is the view of a learning pack: on its page, its print page, or in
// the list of packs.
type Pack struct {
	// Lang is the pack's language when it is not the page's (shown in
	// another language's version)
	Lang      string
	Slug      string
	Title     string
	Href      string
	PrintHref string
	StartHref string // the first item, reached from the pack
	Summary   string
	Audience  string
	Outcomes  []string
	Questions []string
	Themes    []Link
	Entries   []PackEntry
	Time      string    // in words: "About 1 hour 10 minutes"
	TimeISO   string    // "PT70M"
	URL       string    // the pack's absolute address
	Downloads []Link    // the pack's exports, on its page
	Updated   time.Time // the newest change to any of its items: the pack's version
}

// PackEntry is one item of a pack.
type PackEntry struct {
	N         int // 1-based
	Item      *Item
	Note      string
	Questions []string
	Time      string // "about 6 minutes' reading", "42 minutes' listening and 2 minutes' reading"
	URL       string // the item's absolute address, for the print page
	// On the print page: the item in full, its ids prefixed with ID.
	ID         string // "p2-"
	Body       template.HTML
	Transcript []TranscriptPara
	Authors    []string
	Sources    []Cited
	Story      *content.StoryFields
	Image      *Image
}

// PackTime is how long one item of a pack takes: reading its text, and
// listening to an episode.
type PackTime struct {
	Read, Listen time.Duration
}

// PackItem is what the site knows of one pack entry when it renders the
// pack: the item's card, its time, and on the print page its text.
type PackItem struct {
	Card *Item
	Time PackTime
	Body template.HTML // the text, rendered for the print page with ids prefixed
	// Item is the item itself, for the print page's transcript.
	Item *content.Item
	// Cited are the sources its text cites that its front matter does
	// not name, for the print page's list of sources.
	Cited []content.Source
}

// PackNav is the way through a pack from one of its items: where the item
// stands, and the items either side.
type PackNav struct {
	Slug       string
	Title      string // the pack's
	Href       string
	N, Of      int
	Prev, Next *Link
}

// minutes rounds a duration up to whole minutes, at least one.
func minutes(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return max(1, int((d+time.Minute-1)/time.Minute))
}

// words says how long an item takes, in English: "about 6 minutes'
// reading", "42 minutes' listening and 2 minutes' reading".
func (t PackTime) words() string { return t.in(english()) }

// in says how long an item takes in w's language (words packs.reading,
// packs.listening and packs.about_reading).
func (t PackTime) in(w *words.Words) string {
	read, listen := minutes(t.Read), minutes(t.Listen)
	switch {
	case listen > 0 && read > 0:
		return w.Must("packs.listening_and_reading", "Listening", w.MustN("packs.listening", listen), "Reading", w.MustN("packs.reading", read))
	case listen > 0:
		return w.MustN("packs.listening", listen)
	case read > 0:
		return w.MustN("packs.about_reading", read)
	}
	return ""
}

func (r *Renderer) packView(pk *content.Pack, themes []*taxonomy.Theme, items []PackItem) *Pack {
	v := &Pack{
		Slug:      pk.Slug,
		Title:     pk.Title,
		Href:      r.cfg.Link(pk.Path),
		PrintHref: r.cfg.Link(pk.Path + "print/"),
		Summary:   pk.Summary,
		Audience:  pk.Audience,
		Outcomes:  pk.Outcomes,
		Questions: pk.Questions,
	}
	for _, th := range themes {
		v.Themes = append(v.Themes, r.themeLink(th))
	}
	total := 0
	for i, e := range pk.Entries {
		pi := items[i]
		total += minutes(pi.Time.Read) + minutes(pi.Time.Listen)
		v.Entries = append(v.Entries, PackEntry{N: i + 1, Item: pi.Card, Note: e.Note, Questions: e.Questions, Time: pi.Time.in(r.w()), URL: r.absolute(pi.Card.Href), ID: "p" + strconv.Itoa(i+1) + "-", Body: pi.Body})
	}
	if len(items) > 0 {
		v.StartHref = items[0].Card.Href
	}
	for _, pi := range items {
		if u := pi.Card.Date; u.After(v.Updated) {
			v.Updated = u
		}
		if u := pi.Card.Updated; u.After(v.Updated) {
			v.Updated = u
		}
	}
	v.URL = r.cfg.URL(pk.Path)
	v.Time = r.w().Must("packs.about", "Time", durationWords(r.w(), time.Duration(total)*time.Minute))
	v.TimeISO = "PT" + strconv.Itoa(total) + "M"
	return v
}

// PackPage is a pack's own page: its outcomes, the items in order with
// their notes, times and questions, and a way to start.
func (r *Renderer) PackPage(pk *content.Pack, themes []*taxonomy.Theme, items []PackItem, intro template.HTML, downloads []Link) *Page {
	p := r.page("pack.html", pk.Path, pk.Title)
	p.translated(pk.Translation)
	p.DocTitle = r.docTitle(pk.Title, r.w().Must("kinds.pack"))
	p.Description = pk.Summary
	p.Section = content.PacksSection
	p.Crumbs = []Link{r.home(), r.packsCrumb()}
	p.Draft = pk.Draft
	p.Content = intro
	p.Pack = r.packView(pk, themes, items)
	p.Pack.Lang = p.OtherLang
	p.Pack.Downloads = downloads
	p.PackScript = true
	p.ld = []any{r.packLD(pk, p.Pack)}
	r.card(p, "", r.w().Must("kind.pack"), p.Path)
	return p
}

// PackPrintPage is the whole pack on one page, made to be printed: every
// item in full, transcripts, sources, the questions with room to write, and
// a CPD reflection sheet.
func (r *Renderer) PackPrintPage(pk *content.Pack, themes []*taxonomy.Theme, items []PackItem, intro template.HTML) *Page {
	p := r.page("pack-print.html", pk.Path+"print/", pk.Title)
	p.translated(pk.Translation)
	p.DocTitle = r.docTitle(r.w().Must("packs.to_print", "Title", pk.Title), r.w().Must("kinds.pack"))
	p.Description = pk.Summary
	p.Section = content.PacksSection
	p.Crumbs = []Link{r.home(), r.packsCrumb(), {Title: pk.Title, Href: r.cfg.Link(pk.Path)}}
	p.Draft = pk.Draft
	p.NoIndex = true // the pack's own page is the one to find
	p.URL = r.cfg.URL(pk.Path)
	p.Content = intro
	v := r.packView(pk, themes, items)
	for i := range v.Entries {
		it := items[i].Item
		if it == nil || it.Episode == nil {
			continue
		}
		for _, para := range it.Episode.Paragraphs {
			v.Entries[i].Transcript = append(v.Entries[i].Transcript, TranscriptPara{Clock: vtt.Clock(para.Start), Speaker: para.Speaker, Text: para.Text, HTML: template.HTML(para.HTML)})
		}
	}
	for i := range v.Entries {
		if it := items[i].Item; it != nil {
			e := &v.Entries[i]
			e.Authors, e.Sources, e.Story = it.Authors, r.CitedList(it.Sources, items[i].Cited, e.ID), it.Story
			e.Image = r.image(it.Image)
		}
	}
	p.Pack = v
	p.Pack.Lang = p.OtherLang
	return p
}

// PacksPage is /packs/: every pack with its audience, size and time.
func (r *Renderer) PacksPage(packs []*Pack, intro *content.SectionPage, introHTML template.HTML) *Page {
	p := r.page("packs.html", "/"+content.PacksSection+"/", r.w().Must("kinds.pack"))
	if intro != nil && intro.Title != "" {
		p.Title = intro.Title
	}
	p.DocTitle = r.docTitle(p.Title)
	p.Description = r.w().Must("packs.list_description")
	if intro != nil && intro.Summary != "" {
		p.Description = intro.Summary
	}
	p.Section = content.PacksSection
	p.Crumbs = []Link{r.home()}
	p.Content = introHTML
	p.Packs = packs
	r.card(p, "", "", p.Path)
	return p
}

// MinePage is /packs/mine/: the pack a reader builds on their own device,
// from "Add to my pack" on items. The page works in the browser alone.
func (r *Renderer) MinePage() *Page {
	p := r.page("pack-mine.html", "/"+content.PacksSection+"/mine/", r.w().Must("packs.mine"))
	p.DocTitle = r.docTitle(p.Title, r.w().Must("kinds.pack"))
	p.Description = r.w().Must("packs.mine_description")
	p.Section = content.PacksSection
	p.Crumbs = []Link{r.home(), r.packsCrumb()}
	p.NoIndex = true
	p.PackScript = true
	r.card(p, "", "", p.Path)
	return p
}

// packsCrumb is the link to the list of packs, in a breadcrumb trail.
func (r *Renderer) packsCrumb() Link {
	return Link{Title: r.w().Must("kinds.pack"), Href: r.cfg.Link("/" + content.PacksSection + "/")}
}

// PackSummary is the view of a pack in the list of packs.
func (r *Renderer) PackSummary(pk *content.Pack, themes []*taxonomy.Theme, items []PackItem) *Pack {
	return r.packView(pk, themes, items)
}

// PackNavs are the ways through each pack an item is in, for its page.
func (r *Renderer) PackNavs(it *content.Item, packs []*content.Pack) []PackNav {
	var out []PackNav
	for _, pk := range packs {
		for i, e := range pk.Entries {
			if e.Item != it {
				continue
			}
			nav := PackNav{Slug: pk.Slug, Title: pk.Title, Href: r.cfg.Link(pk.Path), N: i + 1, Of: len(pk.Entries)}
			if i > 0 {
				prev := pk.Entries[i-1].Item
				nav.Prev = &Link{Title: prev.Title, Href: r.cfg.Link(prev.Path)}
			}
			if i+1 < len(pk.Entries) {
				next := pk.Entries[i+1].Item
				nav.Next = &Link{Title: next.Title, Href: r.cfg.Link(next.Path)}
			}
			out = append(out, nav)
			break
		}
	}
	return out
}
