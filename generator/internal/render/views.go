package render

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/markdown"
	"github.com/otpress/otpress/generator/internal/taxonomy"
	"github.com/otpress/otpress/generator/internal/vtt"
	"github.com/otpress/otpress/generator/internal/words"
)

// Page is what every template receives. Exactly one of Item, List, Theme,
// Themes, Home, Alias, Search, Pack and Packs is set, matching Template.
type Page struct {
	Site        *SiteView
	Template    string // "story.html"
	Kind        string // the template without ".html", for a body class: "story"
	Title       string // the h1
	DocTitle    string // the <title>: "Denis – Stories – Site"
	Description string
	Path        string // site path, "/stories/denis/"
	URL         string // absolute canonical address
	Section     string // the navigation entry this page is under ("stories", "themes", "" for home)
	Crumbs      []Link // breadcrumb trail above this page, starting at Home
	Draft       bool
	Scheduled   bool // an item dated after the build, shown because future items are
	Expired     bool // an item whose expires date has come, shown because expired items are
	NoIndex     bool
	Show        *Show         // the podcast, atop the first page of episodes
	Content     template.HTML // the rendered Markdown body or introduction
	Contents    []Link        // the Markdown body's own sections (its level-2 headings), for OnThisPage
	OGType      string        // Open Graph type: "website" or "article"
	Feeds       []Feed        // feeds covering this page, for <link rel="alternate">
	// Sharing: a picture and, for episodes, the audio, as absolute URLs.
	OGImage, OGImageAlt string
	OGImageWidth        int // with OGImageHeight, when the picture's size is known
	OGImageHeight       int
	// Card is the card the site draws for this page (SetCards), nil when
	// it has a picture, shares another page's card, or has none.
	Card                 *Card
	OGAudio, OGAudioType string
	JSONLD               template.JS // schema.org structured data, set by Execute
	// PackScript says the page loads the learning packs script: "Add to
	// my pack" on items, done marks on packs, and the pack builder.
	PackScript bool

	ld    []any        // the page's own structured data; Execute adds the breadcrumbs
	words *words.Words `fp:"-"` // the theme's words, for OnThisPage (SiteSum follows them)

	// Translations are the page in the site's other languages, for the
	// language switcher, and Alternates its versions for hreflang links
	// (set by Execute; none on a site in one language).
	Translations []Translation
	Alternates   []Alternate
	// OtherLang is the language of the page's own text when it is not the
	// page's: a page shown in another language's version
	OtherLang string
	lang      content.Translation // which languages have their own version (translated)

	Item   *Item
	List   *List
	Theme  *Theme
	Themes *ThemeIndex
	Home   *Home
	Alias  *Alias
	Search *Search
	Pack   *Pack   // pack.html and pack-print.html
	Packs  []*Pack // packs.html
	// Evidence is /evidence/ and a theme's table of figures (evidence.go).
	Evidence *Evidence
	// Sources is the site's list of sources, sources.html (cite.go).
	Sources *SourcesView
}

// OnThisPage is an item page's list of contents: its parts in order, for
// pages long enough to need one (three parts or more), else nil. The ids
// are the templates' own headings' (TestOnThisPage checks each is there).
func (p *Page) OnThisPage() []Link {
	it := p.Item
	if it == nil {
		return nil
	}
	var out []Link
	w := p.words
	if w == nil {
		w = english()
	}
	add := func(word, id string) { out = append(out, Link{Title: w.Must("views." + word), Href: "#" + id}) }
	if s := it.Story; s != nil {
		if len(s.Goals) > 0 {
			add("goals", "goals-heading")
		}
		if len(s.Steps) > 0 {
			add("steps", "steps-heading")
		}
		if len(s.Outcomes) > 0 {
			add("outcomes", "outcomes-heading")
		}
	}
	if e := it.Episode; e != nil {
		if len(e.Chapters) > 0 {
			add("chapters", "chapters-heading")
		}
	}
	out = append(out, p.Contents...)
	if e := it.Episode; e != nil && len(e.Transcript) > 0 {
		add("transcript", "transcript-heading")
	}
	if len(it.Sources) > 0 {
		add("sources", "sources-heading")
	}
	if len(out) < 3 {
		return nil
	}
	return out
}

// Search is the search page: its filters, known at build time, and where
// the index is.
type Search struct {
	Kinds    []Link // Title is the label, Href the value
	Themes   []Link
	Years    []string
	IndexURL string // folder of the index files
	Script   string // the client
}

// SiteView is the site-wide part of every page.
type SiteView struct {
	Title       string
	Description string
	Lang        string
	Dir         string // "rtl" for a language written right to left, else ""
	Locale      string // Open Graph locale, "en_GB"
	Copyright   string
	Generator   string
	HomeHref    string
	Nav         []NavItem
	Footer      []Link            // standalone pages, such as the accessibility statement
	SourcesHref string            // the list of sources, when the site has any
	Logo        string            // the logo beside the site's name, when it has one
	BrandCSS    string            // the stylesheet giving the header band the site's brand colour, when it has one
	cards       [32]byte          // what every card shows (SetCards), so that SiteSum follows it
	assets      map[string]string // the fingerprinted names pages link, by site path (SetAssets); in the view so that SiteSum follows them
	words       [32]byte          // the theme's words (words.Words.Sum), so that SiteSum follows them
}

// BrandCSS is the file that sets a site's brand colour.
const BrandCSS = "css/brand.css"

// BrandStyle is that file's text.
func BrandStyle(colour string) []byte { return []byte(":root{--brand:" + colour + "}\n") }

// NavItem is an entry of the main navigation.
type NavItem struct {
	Section string
	Title   string
	Href    string
}

// Link is a titled link.
type Link struct {
	Title string
	Href  string
	Lang  string // the title's language when it is not the page's
}

// Item is the view of a story, episode or feature: on its own page, or as a
// card in a list.
type Item struct {
	// Lang is the language the item is written in when it is not the
	// page's (shown in another language's version), for lang attributes;
	// Fallback, on its own page, says so, for a notice
	Lang      string
	Fallback  bool
	Kind      string // "story"
	KindLabel string // "Story"
	PackRef   string // how a pack names it: "stories/denis"
	Title     string
	Href      string
	Date      time.Time
	DateOnly  bool
	Updated   time.Time // zero when never
	Expires   time.Time // when it leaves the site; zero when never
	Summary   string
	Authors   []string
	Themes    []Link
	Image     *Image
	Sources   []Cited // in the house style, A to Z (cite.go)
	Story     *content.StoryFields
	Episode   *Episode
	Feature   *Appeared     // the publication the feature appeared in
	Related   []RelatedItem // on the item's own page
	Packs     []PackNav     // on the item's own page: the packs it is in

	r     *Renderer    `fp:"-"`
	cards [2]cardCache `fp:"-"` // rendered "card" partial at heading levels 2 and 3
	ref   cardCache    `fp:"-"` // rendered "item-ref" partial
	fp    itemSum      `fp:"-"` // its fingerprint, worked out once (fingerprint.go)
}

type cardCache struct {
	once sync.Once
	html template.HTML
	err  error
}

// Card renders the item with the theme's "card" partial, with its title at
// heading level 2 or 3. Each item is rendered once per level however many
// lists show it: {{.Card 2}}.
func (v *Item) Card(level int) (template.HTML, error) {
	if level != 2 && level != 3 {
		return "", fmt.Errorf("Card: level %d; use 2 or 3", level)
	}
	return v.partial(&v.cards[level-2], "card", level, map[string]any{"Item": v, "Level": level})
}

// Ref renders the item with the theme's "item-ref" partial: a link with its
// kind and date, as in lists of related items. It is rendered once per item.
func (v *Item) Ref() (template.HTML, error) { return v.partial(&v.ref, "item-ref", 0, v) }

// partial renders the named partial of an item once; with Parts kept,
// once for every view of the same fingerprint, or taken from the last
// build (the cards of a theme's list pages, made again when an item
// joins the theme, were half of what a warm build's templates executed).
func (v *Item) partial(c *cardCache, name string, level int, data any) (template.HTML, error) {
	if v.r.parts == nil {
		return c.render(v.r.pages["list.html"], name, data)
	}
	c.once.Do(func() {
		key := fmt.Sprintf("\x00item %s %d %x", name, level, v.sum())
		shared, _ := v.r.cache.LoadOrStore(key, &cardCache{}) // one for every view of the same
		sc := shared.(*cardCache)
		sc.once.Do(func() { sc.html, sc.err = v.r.part("list.html", name, data, key) })
		c.html, c.err = sc.html, sc.err
	})
	return c.html, c.err
}

// render executes the named template of set with data the first time,
// and gives the same HTML (or error) every time after.
func (c *cardCache) render(set *template.Template, name string, data any) (template.HTML, error) {
	c.once.Do(func() { c.html, c.err = execute(set, name, data) })
	return c.html, c.err
}

// execute is the named template of set executed with data, as HTML.
func execute(set *template.Template, name string, data any) (template.HTML, error) {
	var b strings.Builder
	err := set.ExecuteTemplate(&b, name, data)
	return template.HTML(b.String()), err
}

// Image is a picture with its text alternative, and the size it is shown
// at in CSS pixels for its width and height attributes (0 when not known).
// Srcset lists its copies at several widths when the site made them; Src
// is then the copy for browsers that read no srcset.
type Image struct {
	Src           string
	Srcset        string
	WebPSrcset    string // the same copies as WebP, for browsers that take it
	Alt           string
	Width, Height int
	// Focus is the classes that keep the picture's focus in view where a
	// card crops it ("focus-x3 focus-y4": 30% across, 40% down), "" for
	// the centre.
	Focus string
}

// Picture is how the build publishes one of the site's pictures: copies
// at several widths, by site path.
type Picture struct {
	Copies []Copy // narrowest first
	WebP   []Copy // the same widths as WebP
	Src    string // the copy shown where srcset is not read
	OG     Copy   // the copy link previews show
}

// Copy is one copy of a picture.
type Copy struct {
	Path          string
	Width, Height int
}

// SetAssets gives the names with a hash of their content (such as
// "/css/main.0123456789.css") that pages link in place of styles' and
// scripts' plain site paths ("/css/main.css"), before pages are made.
func (r *Renderer) SetAssets(names map[string]string) {
	r.site.assets = names
	if r.site.BrandCSS != "" {
		r.site.BrandCSS = r.link("/" + BrandCSS)
	}
}

// link is a site path's link under the site's base path: a style's or
// script's by its name with its hash (SetAssets), when it has one.
func (r *Renderer) link(p string) string {
	if a, ok := r.site.assets[p]; ok {
		p = a
	}
	return r.cfg.Link(p)
}

// SetPictures tells the renderer which pictures have copies, by the site
// path of the picture, before pages are made.
func (r *Renderer) SetPictures(p map[string]Picture) { r.pictures = p }

// image is the view of an item's picture, or nil.
func (r *Renderer) image(img *content.Image) *Image {
	if img == nil {
		return nil
	}
	v := &Image{Src: r.href(img.Path), Alt: img.Alt, Width: img.Width, Height: img.Height}
	var x, y int
	if _, err := fmt.Sscanf(img.Focus, "%d%% %d%%", &x, &y); err == nil {
		v.Focus = fmt.Sprintf("focus-x%d focus-y%d", (x+5)/10, (y+5)/10) // the nearest tenth: classes, as the policy allows no style attribute
	}
	if p, ok := r.pictures[img.Path]; ok {
		v.Src = r.href(p.Src)
		v.Srcset, v.WebPSrcset = r.srcset(p.Copies), r.srcset(p.WebP)
	}
	return v
}

// CardPictureWidth is the widest, in CSS pixels, a card in a list
// stretches its item's picture to (24rem in card.html's sizes): a picture
// narrower than that shows blurred.
const CardPictureWidth = 384

// TextSizes is the width the default theme gives a picture in a page's
// text, as a sizes attribute: as item.html's picture.
const TextSizes = "(min-width: 76rem) 53rem, (min-width: 64em) calc(100vw - 23rem), calc(100vw - 2rem)"

// TextPicture is how a picture of a page's text, shown at w×h, offers
// its copies.
func (r *Renderer) TextPicture(p Picture, w, h int) markdown.Picture {
	return markdown.Picture{Width: w, Height: h, Src: r.href(p.Src), Srcset: r.srcset(p.Copies), WebPSrcset: r.srcset(p.WebP), Sizes: TextSizes}
}

// srcset lists copies for a srcset attribute: "/a.320.jpg 320w, …".
func (r *Renderer) srcset(copies []Copy) string {
	set := make([]string, len(copies))
	for i, c := range copies {
		set[i] = r.href(c.Path) + " " + strconv.Itoa(c.Width) + "w"
	}
	return strings.Join(set, ", ")
}

// Episode is the view of an episode's own fields.
type Episode struct {
	Number         int
	Season         int
	Duration       string // in words: "1 minute 52 seconds"
	DurationISO    string // "PT1M52S"
	AudioHref      string
	AudioType      string
	AudioFormat    string // "MP3"
	AudioSize      string // "448 KB"
	TranscriptHref string
	// TranscriptFormat names its format for readers: "WebVTT, for captions"
	TranscriptFormat string
	ChaptersHref     string // the Podcasting 2.0 chapters file
	TextHref         string // the transcript as plain text
	Chapters         []ChapterLink
	Transcript       []TranscriptPara
	Hosts            []content.Person
	Guests           []content.Person
}

// ChapterLink is a chapter in an episode's list of chapters.
type ChapterLink struct {
	Title string
	Clock string // "12:30"
	Href  string // the audio at the chapter's start; "" without audio
	ID    string // the chapter's heading in the transcript, "ch-2"; "" without a transcript
	URL   string // a page about the chapter, or ""
}

// TranscriptPara is one paragraph of an episode's transcript.
type TranscriptPara struct {
	// Chapter is set on the first paragraph of a chapter, which the
	// transcript shows under the chapter's title.
	Chapter *ChapterLink
	Start   int    // seconds from the start, for the player script
	ID      string // fragment id, "t83"
	Clock   string // "1:23"
	Href    string // the audio at this moment, "/episodes/x/audio.mp3#t=83"; "" without audio
	Speaker string
	Text    string
	// HTML is the text as HTML when it holds ruby (vtt.Paragraph, which
	// escapes the rest of it); "" otherwise
	HTML template.HTML
}

// List is a page of a section list.
type List struct {
	Items      []*Item
	Page       int
	Pages      int
	Total      int
	Pagination []PageLink
	Prev, Next string
}

// PageLink is a numbered link in a pagination bar.
type PageLink struct {
	Gap     bool // stands for pages left out of the bar
	Number  int
	Href    string
	Current bool
}

// Group is a list of items under a heading, such as the stories of a theme.
type Group struct {
	ID    string // for the heading, "stories"
	Title string
	Href  string // link to the whole list, when there is one
	Items []*Item
	Total int    // items in the whole group; more than len(Items) when cut short
	More  string // text of the link to the whole group
}

// Theme is the view of a theme page.
type Theme struct {
	// Lang is the theme's language when it is not the page's, shown in
	// another language's version (a notice says so)
	Lang      string
	Title     string
	Summary   string
	Defined   bool
	Broader   *Link
	Narrower  []ThemeEntry
	Groups    []Group // items filed under this theme, by kind
	Inherited []Group // items filed under a narrower theme, by kind
	Count     int
	Related   []RelatedTheme // themes that appear with this one, strongest first
	Map       *Map           // the neighbourhood of this theme
	Outcomes  *ThemeOutcomes // what its stories report, measure by measure; nil when none gives figures (evidence.go)
}

// ThemeEntry is a theme in a list, with how many items it has.
type ThemeEntry struct {
	Title   string
	Href    string
	Summary string
	Count   int
}

// ThemeIndex is the A–Z list of themes.
type ThemeIndex struct {
	Letters     []Letter
	Total       int
	Map         *Map         // every theme and how they connect
	Connections []Connection // the strongest connections, for a table
}

// PackTeaser is a learning pack as the home page offers it.
type PackTeaser struct {
	Title, Href, Summary, Audience string
	Items                          int
}

// Letter is the themes starting with one letter.
type Letter struct {
	Letter string
	ID     string
	Themes []ThemeEntry
}

// Home is the home page's own content.
type Home struct {
	Latest []Group
	Themes []ThemeEntry
	Pack   *PackTeaser // a learning pack to start with, when the site has any
}

// Alias is a page that redirects to the page's new address.
type Alias struct {
	Target     string // absolute URL
	TargetHref string
	Title      string
}

func newSiteView(cfg *config.Site, generator string, pages []*content.Page, w *words.Words) *SiteView {
	s := &SiteView{
		Title:       cfg.Title,
		Description: cfg.Description,
		Lang:        cfg.Language,
		Locale:      strings.ReplaceAll(cfg.Language, "-", "_"),
		Copyright:   cfg.Copyright,
		Generator:   generator,
		HomeHref:    cfg.Link("/"),
		words:       w.Sum,
	}
	if l := cfg.Languages[cfg.Language]; l != nil && l.Direction == "rtl" {
		s.Dir = "rtl"
	}
	if cfg.Logo != "" {
		s.Logo = cfg.Link(cfg.Logo)
	}
	if cfg.BrandColour != "" {
		s.BrandCSS = cfg.Link("/" + BrandCSS)
	}
	for _, k := range content.Kinds {
		s.Nav = append(s.Nav, NavItem{Section: k.Section(), Title: kindsWord(w, k), Href: cfg.Link("/" + k.Section() + "/")})
	}
	s.Nav = append(s.Nav, NavItem{Section: content.ThemesSection, Title: w.Must("kinds.theme"), Href: cfg.Link("/themes/")})
	s.Nav = append(s.Nav, NavItem{Section: content.PacksSection, Title: w.Must("kinds.pack"), Href: cfg.Link("/" + content.PacksSection + "/")})
	s.Nav = append(s.Nav, NavItem{Section: "evidence", Title: w.Must("kinds.evidence"), Href: cfg.Link(EvidencePath)})
	for _, pg := range pages {
		s.Footer = append(s.Footer, Link{Title: pg.Title, Href: cfg.Link(pg.Path)})
	}
	return s
}

// docTitle joins title parts with en dashes: "Denis – Stories – Site".
func (r *Renderer) docTitle(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" && (len(keep) == 0 || keep[len(keep)-1] != p) {
			keep = append(keep, p)
		}
	}
	return strings.Join(append(keep, r.cfg.Title), " – ")
}

func (r *Renderer) page(tmpl, path, title string) *Page {
	return &Page{
		Template: tmpl,
		Kind:     strings.TrimSuffix(tmpl, ".html"),
		Title:    title,
		Path:     path,
		URL:      r.cfg.URL(path),
		OGType:   "website",
		Feeds:    r.siteFeeds(),
		words:    r.words,
	}
}

func (r *Renderer) home() Link { return Link{Title: r.w().Must("views.home"), Href: r.cfg.Link("/")} }

// themesCrumb is the link to the list of themes, in a breadcrumb trail.
func (r *Renderer) themesCrumb() Link {
	return Link{Title: r.w().Must("kinds.theme"), Href: r.cfg.Link("/themes/")}
}

// Card is the short view of an item used in lists. summary is the item's own
// summary or, failing that, the start of its text.
func (r *Renderer) Card(it *content.Item, themes []*taxonomy.Theme, summary string) *Item {
	v := &Item{
		r:         r,
		Lang:      r.otherLang(it.Translation),
		Kind:      string(it.Kind),
		KindLabel: kindWord(r.w(), it.Kind),
		PackRef:   strings.Trim(it.Path, "/"),
		Title:     it.Title,
		Href:      r.cfg.Link(it.Path),
		Date:      it.Date,
		DateOnly:  it.DateOnly,
		Updated:   it.Updated,
		Expires:   it.Expires,
		Summary:   summary,
		Image:     r.image(it.Image),
	}
	for _, th := range themes {
		v.Themes = append(v.Themes, r.themeLink(th))
	}
	if e := it.Episode; e != nil { // what a card shows of an episode
		// the show's cover art, when the site has the file: another
		// host's would need the site's policy to let pictures in from it
		if img := r.cfg.Podcast.Image; v.Image == nil && strings.HasPrefix(img, "/") && r.podcast {
			v.Image = &Image{Src: r.href(img)}
			if p, ok := r.pictures[img]; ok {
				widest := p.Copies[len(p.Copies)-1]
				v.Image = &Image{Src: r.href(p.Src), Srcset: r.srcset(p.Copies), WebPSrcset: r.srcset(p.WebP), Width: widest.Width, Height: widest.Height}
			}
		}
		v.Episode = &Episode{Number: e.Number, Season: e.Season}
		if e.Duration > 0 {
			v.Episode.Duration = durationWords(r.w(), e.Duration)
			v.Episode.DurationISO = isoDuration(e.Duration)
		}
		if a := e.Audio; a != nil {
			v.Episode.AudioHref = r.href(a.Path) // for the pack's print page and its downloads
		}
	}
	return v
}

// ItemTemplate is the template of an item's page: story.html, episode.html
// or feature.html.
func ItemTemplate(k content.Kind) string { return k.String() + ".html" }

// ItemPage is the page of one story, episode or feature.
func (r *Renderer) ItemPage(it *content.Item, themes []*taxonomy.Theme, summary string, body template.HTML, related []RelatedItem) *Page {
	v := r.Card(it, themes, summary)
	v.Fallback = it.Fallback
	v.Related = related
	v.Authors = it.Authors
	v.Sources = r.CitedList(it.Sources, nil, "")
	v.Story = it.Story
	v.Image = r.image(it.Image) // its own picture: not the show's cover art its card may show
	if e := it.Episode; e != nil {
		ev := &Episode{Number: e.Number, Season: e.Season, Hosts: e.Hosts, Guests: e.Guests}
		if e.Duration > 0 {
			ev.Duration = durationWords(r.w(), e.Duration)
			ev.DurationISO = isoDuration(e.Duration)
		}
		if a := e.Audio; a != nil {
			ev.AudioHref, ev.AudioType = r.href(a.Path), a.Type
			ev.AudioFormat = audioFormat(a.Type, a.Path)
			if a.Bytes > 0 {
				ev.AudioSize = byteSize(r.w(), a.Bytes)
			}
		}
		if e.Transcript != "" {
			ev.TranscriptHref = r.cfg.Link(e.Transcript)
			ev.TranscriptFormat = r.transcriptFormat(e.TranscriptType)
		}
		if len(e.Paragraphs) > 0 {
			ev.TextHref = r.cfg.Link(it.Path + TranscriptTextName)
		}
		at := func(d time.Duration) string {
			if ev.AudioHref == "" {
				return ""
			}
			return ev.AudioHref + "#t=" + strconv.Itoa(int(d/time.Second))
		}
		if len(e.Chapters) > 0 {
			ev.ChaptersHref = r.cfg.Link(cmp.Or(e.ChaptersFile, it.Path+"chapters.json"))
		}
		for i, c := range e.Chapters {
			ev.Chapters = append(ev.Chapters, ChapterLink{Title: c.Title, Clock: vtt.Clock(c.Start), Href: at(c.Start), URL: c.URL, ID: "ch-" + strconv.Itoa(i+1)})
		}
		// each chapter heads the paragraph that starts with it (vtt.Paragraphs
		// starts one at each chapter); a chapter that shares its paragraph
		// with an earlier one, or starts after the talking ends, has none
		headed := make([]bool, len(e.Chapters))
		for i, p := range e.Paragraphs {
			ev.Transcript = append(ev.Transcript, TranscriptPara{ID: p.ID, Start: int(p.Start / time.Second), Clock: vtt.Clock(p.Start), Speaker: p.Speaker, Text: p.Text, HTML: template.HTML(p.HTML), Href: at(p.Start)})
			if c := p.Break - 1; c >= 0 && c < len(ev.Chapters) {
				ev.Transcript[i].Chapter, headed[c] = &ev.Chapters[c], true
			}
		}
		for i := range ev.Chapters {
			if !headed[i] {
				ev.Chapters[i].ID = ""
			}
		}
		v.Episode = ev
	}
	if it.Kind == content.Feature {
		v.Feature = r.appeared(it.Sources)
	}
	p := r.page(ItemTemplate(it.Kind), it.Path, it.Title)
	p.translated(it.Translation)
	p.DocTitle = r.docTitle(it.Title, kindsWord(r.w(), it.Kind))
	p.Description = summary
	p.Section = it.Kind.Section()
	p.Crumbs = []Link{r.home(), {Title: kindsWord(r.w(), it.Kind), Href: r.cfg.Link("/" + it.Kind.Section() + "/")}}
	p.Draft = it.Draft
	p.Scheduled = it.Scheduled
	p.Expired = it.Expired
	p.Content = body
	p.OGType = "article"
	p.Feeds = append(p.Feeds, r.sectionFeeds(it.Kind)...)
	if pic, ok := r.pictures[imagePath(it)]; ok {
		p.OGImage, p.OGImageAlt = r.absolute(r.href(pic.OG.Path)), it.Image.Alt
		p.OGImageWidth, p.OGImageHeight = pic.OG.Width, pic.OG.Height
	} else if it.Image != nil {
		p.OGImage, p.OGImageAlt = r.absolute(v.Image.Src), it.Image.Alt
		p.OGImageWidth, p.OGImageHeight = it.Image.Width, it.Image.Height
	}
	if img := r.cfg.Podcast.Image; it.Kind == content.Episode && img != "" && r.podcast {
		p.OGImage, p.OGImageAlt = r.absolute(r.href(img)), r.w().Must("views.cover_art", "Show", r.cfg.Podcast.Title)
	}
	r.card(p, "", kindWord(r.w(), it.Kind), p.Path)
	var chapters []ChapterLink
	if e := v.Episode; e != nil {
		p.Show = r.show()
		chapters = e.Chapters
		if e.AudioHref != "" {
			p.OGAudio, p.OGAudioType = r.absolute(e.AudioHref), e.AudioType
		}
	}
	p.ld = []any{r.itemLD(it, themes, summary, chapters)}
	p.Item = v
	p.PackScript = true
	return p
}

// href links a site path or passes an absolute URL through.
// imagePath is the site path of an item's picture, "" for none.
func imagePath(it *content.Item) string {
	if it.Image == nil {
		return ""
	}
	return it.Image.Path
}

func (r *Renderer) href(p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	return r.cfg.Link(p)
}

// ListPath is the site path of page n (1-based) of a list whose first page
// is at base ("/stories/"): later pages are base + "page/N/".
func ListPath(base string, n int) string {
	if n <= 1 {
		return base
	}
	return fmt.Sprintf("%spage/%d/", base, n)
}

// ListOf describes a paginated list of items: a section, or one kind of item
// under a theme.
type ListOf struct {
	Title       string // "Stories", or "Stories on co-production"
	Base        string // site path of page 1
	Section     string // navigation entry
	Crumbs      []Link
	Description string
	Intro       template.HTML // shown on page 1
	Source      string        // the content file behind the list, for problems; may be ""
	Feeds       []Feed        // the feeds of what the list shows
	Show        bool          // a list of the podcast's episodes: the show atop its first page
}

// ListPage is page n of pages of a list.
func (r *Renderer) ListPage(l ListOf, cards []*Item, n, pages, total int) *Page {
	p := r.page("list.html", ListPath(l.Base, n), l.Title)
	docTitle := l.Title
	if pages > 1 {
		docTitle = r.w().Must("views.page_of", "Title", l.Title, "N", n, "Of", pages)
	}
	p.DocTitle = r.docTitle(docTitle)
	p.Section = l.Section
	p.Crumbs = l.Crumbs
	p.Description = l.Description
	p.Feeds = append(p.Feeds, l.Feeds...)
	if n == 1 {
		p.Content = l.Intro
		if l.Show {
			p.Show = r.show()
		}
	}
	v := &List{Items: cards, Page: n, Pages: pages, Total: total}
	for _, i := range pageWindow(n, pages) {
		if i == 0 {
			v.Pagination = append(v.Pagination, PageLink{Gap: true})
			continue
		}
		v.Pagination = append(v.Pagination, PageLink{Number: i, Href: r.cfg.Link(ListPath(l.Base, i)), Current: i == n})
	}
	if n > 1 {
		v.Prev = r.cfg.Link(ListPath(l.Base, n-1))
	}
	if n < pages {
		v.Next = r.cfg.Link(ListPath(l.Base, n+1))
	}
	p.List = v
	r.card(p, "", "", l.Base) // every page of a list shares the first's
	return p
}

// pageWindow lists the page numbers a pagination bar shows: the first, the
// last, and two either side of the current one, with 0 for each gap. It keeps
// every list page small however long the list is.
func pageWindow(n, pages int) []int {
	if pages <= 1 {
		return nil
	}
	var out []int
	last := 0
	for i := 1; i <= pages; i++ {
		if i != 1 && i != pages && (i < n-2 || i > n+2) {
			continue
		}
		if last != 0 && i != last+1 {
			out = append(out, 0)
		}
		out = append(out, i)
		last = i
	}
	return out
}

// SectionList describes the list of one kind of item.
func (r *Renderer) SectionList(k content.Kind, intro *content.SectionPage, introHTML template.HTML) ListOf {
	l := ListOf{Title: kindsWord(r.w(), k), Base: "/" + k.Section() + "/", Section: k.Section(), Crumbs: []Link{r.home()}, Intro: introHTML, Feeds: r.sectionFeeds(k), Show: k == content.Episode}
	if intro != nil {
		l.Source = intro.File
		if intro.Title != "" {
			l.Title = intro.Title
		}
		l.Description = intro.Summary
	}
	return l
}

// ThemeList describes the list of one kind of item under a theme.
func (r *Renderer) ThemeList(th *taxonomy.Theme, k content.Kind) ListOf {
	return ListOf{
		Title:       r.w().Must("views.on_theme."+string(k), "Theme", th.Title),
		Base:        ThemeKindPath(th, k),
		Section:     content.ThemesSection,
		Crumbs:      []Link{r.home(), r.themesCrumb(), {Title: th.Title, Href: r.cfg.Link(th.Path())}},
		Description: r.w().Must("views.every_on_theme."+string(k), "Theme", th.Title),
		Feeds:       r.themeFeeds(th),
	}
}

// ThemeKindPath is the site path of the list of one kind under a theme.
func ThemeKindPath(th *taxonomy.Theme, k content.Kind) string {
	return th.Path() + k.Section() + "/"
}

// ThemePage is the page of one theme. It shows up to show items of each
// kind, each group linking to the full list of that kind when there are more.
func (r *Renderer) ThemePage(th *taxonomy.Theme, g *taxonomy.Graph, body template.HTML, card func(*content.Item) *Item, show int) *Page {
	p := r.page("theme.html", th.Path(), th.Title)
	if th.Def != nil {
		p.translated(th.Def.Translation)
	}
	p.DocTitle = r.docTitle(th.Title, r.w().Must("kinds.theme"))
	p.Description = th.Summary
	if p.Description == "" {
		p.Description = r.w().Must("views.theme_description", "Theme", th.Title)
	}
	p.Section = content.ThemesSection
	p.Crumbs = []Link{r.home(), r.themesCrumb()}
	p.Content = body
	p.Feeds = append(p.Feeds, r.themeFeeds(th)...)
	v := &Theme{Title: th.Title, Summary: th.Summary, Defined: th.Defined, Count: th.Count()}
	if th.Def != nil {
		v.Lang = r.otherLang(th.Def.Translation)
	}
	if th.Broader != nil {
		v.Broader = &Link{Title: th.Broader.Title, Href: r.cfg.Link(th.Broader.Path())}
	}
	for _, n := range th.Narrower {
		v.Narrower = append(v.Narrower, r.entry(n))
	}
	v.Related, v.Map = r.themeNeighbourhood(th, g)
	v.Groups = r.groups(th, th.Items, card, show, true)
	v.Inherited = r.groups(th, th.Inherited, card, show, false)
	p.Theme = v
	r.card(p, "", r.w().Must("kind.theme"), p.Path)
	return p
}

func (r *Renderer) groups(th *taxonomy.Theme, items []*content.Item, card func(*content.Item) *Item, show int, direct bool) []Group {
	var out []Group
	for _, k := range content.Kinds {
		g := Group{ID: k.Section(), Title: kindsWord(r.w(), k)}
		if !direct {
			g.ID = "narrower-" + k.Section()
		}
		for _, it := range items {
			if it.Kind != k {
				continue
			}
			g.Total++
			if len(g.Items) < show {
				g.Items = append(g.Items, card(it))
			}
		}
		if g.Total > len(g.Items) && direct {
			g.Href = r.cfg.Link(ThemeKindPath(th, k))
			g.More = r.w().MustN("views.all_on_theme."+string(k), g.Total, "Theme", th.Title)
		}
		if g.Total > 0 {
			out = append(out, g)
		}
	}
	return out
}

func (r *Renderer) entry(th *taxonomy.Theme) ThemeEntry {
	return ThemeEntry{Title: th.Title, Href: r.cfg.Link(th.Path()), Summary: th.Summary, Count: th.Count()}
}

// ThemesPage is the A–Z index of themes.
func (r *Renderer) ThemesPage(all []*taxonomy.Theme, g *taxonomy.Graph, intro *content.SectionPage, introHTML template.HTML) *Page {
	p := r.page("themes.html", "/themes/", r.w().Must("kinds.theme"))
	if intro != nil && intro.Title != "" {
		p.Title = intro.Title
	}
	p.DocTitle = r.docTitle(p.Title)
	p.Description = r.w().Must("views.themes_description")
	p.Section = content.ThemesSection
	p.Crumbs = []Link{r.home()}
	p.Content = introHTML
	idx := &ThemeIndex{Total: len(all)}
	idx.Map, idx.Connections = r.wholeMap(all, g)
	for _, th := range all {
		letter := "#"
		if rs := []rune(strings.ToUpper(th.Title)); len(rs) > 0 && unicode.IsLetter(rs[0]) {
			letter = string(rs[0])
		}
		if n := len(idx.Letters); n == 0 || idx.Letters[n-1].Letter != letter {
			id := "letter-" + strings.ToLower(letter)
			if letter == "#" {
				id = "letter-other"
			}
			idx.Letters = append(idx.Letters, Letter{Letter: letter, ID: id})
		}
		l := &idx.Letters[len(idx.Letters)-1]
		l.Themes = append(l.Themes, r.entry(th))
	}
	p.Themes = idx
	r.card(p, "", "", p.Path)
	return p
}

// HomePage is the home page: the newest items of each kind and the themes.
func (r *Renderer) HomePage(intro *content.SectionPage, introHTML template.HTML, latest map[content.Kind][]*Item, all []*taxonomy.Theme, pack *content.Pack) *Page {
	p := r.page("home.html", "/", r.cfg.Title)
	p.DocTitle = r.cfg.Title
	p.Description = r.cfg.Description
	if intro != nil {
		if intro.Title != "" {
			p.Title = intro.Title
		}
		if intro.Summary != "" {
			p.Description = intro.Summary
		}
	}
	p.Content = introHTML
	p.Feeds = append(p.Feeds, r.podcastFeeds()...)
	p.ld = []any{r.website()}
	h := &Home{}
	for _, k := range content.Kinds {
		h.Latest = append(h.Latest, Group{ID: "latest-" + k.Section(), Title: r.w().Must("views.latest." + string(k)), Href: r.cfg.Link("/" + k.Section() + "/"), Items: latest[k], More: r.w().Must("views.all." + string(k))})
	}
	for _, th := range all {
		if th.Count() > 0 {
			h.Themes = append(h.Themes, r.entry(th))
		}
	}
	if pack != nil {
		h.Pack = &PackTeaser{Title: pack.Title, Href: r.cfg.Link(pack.Path), Summary: pack.Summary, Audience: pack.Audience, Items: len(pack.Entries)}
	}
	p.Home = h
	r.card(p, p.Description, "", p.Path) // what the site is about, under its name
	return p
}

// SearchPage is /search/: a form that works without JavaScript, filters as
// checkboxes, and the client that answers as the reader types.
func (r *Renderer) SearchPage(themes []*taxonomy.Theme, years []string) *Page {
	p := r.page("search.html", "/search/", r.w().Must("views.search"))
	p.DocTitle = r.docTitle(p.Title)
	p.Description = r.w().Must("views.search_description")
	p.Crumbs = []Link{r.home()}
	p.Section = "search"
	s := &Search{Years: years, IndexURL: r.cfg.Link("/search/data/"), Script: r.link("/js/search.js")}
	for _, k := range content.Kinds {
		s.Kinds = append(s.Kinds, Link{Title: kindsWord(r.w(), k), Href: string(k)})
	}
	for _, t := range themes {
		if t.Count() > 0 {
			s.Themes = append(s.Themes, Link{Title: t.Title, Href: t.Slug})
		}
	}
	p.Search = s
	r.card(p, "", "", p.Path)
	return p
}

// StandalonePage is a page from content/pages/.
func (r *Renderer) StandalonePage(pg *content.Page, body template.HTML) *Page {
	p := r.page("page.html", pg.Path, pg.Title)
	p.translated(pg.Translation)
	p.DocTitle = r.docTitle(pg.Title)
	p.Description = pg.Summary
	p.Crumbs = []Link{r.home()}
	p.Content = body
	r.card(p, "", "", p.Path)
	return p
}

// NotFoundPage is 404.html.
func (r *Renderer) NotFoundPage() *Page {
	p := r.page("404.html", "/404.html", r.w().Must("views.not_found"))
	p.DocTitle = r.docTitle(p.Title)
	p.NoIndex = true
	p.Crumbs = []Link{r.home()}
	return p
}

// AliasPage redirects an old address to an item's page.
func (r *Renderer) AliasPage(from string, it *content.Item) *Page {
	p := r.page("alias.html", from, r.w().Must("views.moved"))
	p.DocTitle = r.docTitle(p.Title)
	p.NoIndex = true
	p.URL = r.cfg.URL(it.Path)
	p.Alias = &Alias{Target: r.cfg.URL(it.Path), TargetHref: r.cfg.Link(it.Path), Title: it.Title}
	return p
}

// DurationWords says a duration the way a person would, in English: "42
// minutes", "1 hour 5 minutes", "1 minute 52 seconds".
func DurationWords(d time.Duration) string { return durationWords(english(), d) }

// durationWords says a duration in w's language: hours and minutes, or
// minutes and seconds under ten minutes (words duration.*).
func durationWords(w *words.Words, d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	h, m, sec := s/3600, s%3600/60, s%60
	var parts []string
	if h > 0 {
		parts = append(parts, w.MustN("duration.hours", h))
	}
	if m > 0 {
		parts = append(parts, w.MustN("duration.minutes", m))
	}
	if sec > 0 && h == 0 && m < 10 {
		parts = append(parts, w.MustN("duration.seconds", sec))
	}
	if len(parts) == 0 {
		return w.MustN("duration.seconds", sec)
	}
	return joined(w, "duration.both", parts)
}

func isoDuration(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	out := "PT"
	if h := s / 3600; h > 0 {
		out += strconv.Itoa(h) + "H"
	}
	if m := s % 3600 / 60; m > 0 {
		out += strconv.Itoa(m) + "M"
	}
	if sec := s % 60; sec > 0 || s == 0 {
		out += strconv.Itoa(sec) + "S"
	}
	return out
}

// ByteSize gives a file size for people, in English: "448 KB", "26 MB".
func ByteSize(n int64) string { return byteSize(english(), n) }

// byteSize is ByteSize with the word for bytes in w's language.
func byteSize(w *words.Words, n int64) string {
	switch {
	case n >= 1_000_000_000:
		return trimFloat(float64(n)/1e9) + " GB"
	case n >= 1_000_000:
		return trimFloat(float64(n)/1e6) + " MB"
	case n >= 1_000:
		return strconv.FormatInt(int64(math.Round(float64(n)/1e3)), 10) + " KB"
	}
	return w.MustN("views.bytes", int(n))
}

func trimFloat(f float64) string {
	if f >= 10 {
		return strconv.FormatFloat(math.Round(f), 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

func audioFormat(mediaType, name string) string {
	switch mediaType {
	case "audio/mpeg":
		return "MP3"
	case "audio/mp4", "audio/aac":
		return "AAC"
	case "audio/ogg":
		return "Ogg"
	case "audio/wav":
		return "WAV"
	case "audio/flac":
		return "FLAC"
	}
	return strings.ToUpper(strings.TrimPrefix(path.Ext(name), "."))
}

// funcs are the functions templates can call.
func funcs(cfg *config.Site, w *words.Words) template.FuncMap {
	return template.FuncMap{
		// t gives the theme's words in the site's language, with the fields
		// they show as name, value pairs: {{t "page_of" "N" 2 "Of" 5}}.
		"t": func(id string, pairs ...any) (string, error) {
			if strings.HasSuffix(id, "_html") {
				return "", fmt.Errorf("%q is written in HTML: show it with th", id)
			}
			return w.T(id, pairs...)
		},
		// tn gives the words for a count, in the language's plural form:
		// {{tn "items" (len .Items)}}.
		"tn": w.N,
		// th gives words written in HTML, whose names end in _html, such as
		// a sentence with a link in it; the fields are escaped unless they
		// are HTML themselves: {{th "page.404.lost_html" "Home" (link "/")}}.
		"th": func(id string, pairs ...any) (template.HTML, error) {
			if !strings.HasSuffix(id, "_html") {
				return "", fmt.Errorf("th gives words written in HTML, whose names end in _html: use t for %q", id)
			}
			esc := make([]any, len(pairs))
			for i, v := range pairs {
				switch x := v.(type) {
				case template.HTML:
					esc[i] = string(x)
				case string:
					if i%2 == 1 {
						esc[i] = template.HTMLEscapeString(x)
					} else {
						esc[i] = x
					}
				default:
					esc[i] = v
				}
			}
			s, err := w.T(id, esc...)
			return template.HTML(s), err
		},
		// join lists names: "Ann Smith, Raj Patel".
		"join": func(names []string) string { return strings.Join(names, ", ") },
		// date formats a date as the language does: "1 April 2019".
		"date": w.Date,
		// langname names a language in the page's: {{langname "en-GB"}}.
		"langname": func(tag string) string { return langName(w.Tag, tag) },
		// isodate formats a date for <time datetime> and metadata.
		"isodate": func(t time.Time, dateOnly bool) string {
			if dateOnly {
				return t.Format(time.DateOnly)
			}
			return t.Format(time.RFC3339)
		},
		// link turns a site path into a link under the site's base path
		// (Renderer.link: a style or script by its fingerprinted name).
		"link": cfg.Link,
		// absURL turns a site path into an absolute address.
		"absURL": cfg.URL,
		// number prints 4 as "4" and 2.5 as "2.5".
		"number": func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) },
		// plural picks the word for a count: {{plural .Count "item" "items"}}.
		"plural": diag.Count,
		// dict builds a map from key, value pairs, to pass several values to
		// a template: {{template "cards" (dict "Items" .Items "Level" 2)}}.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key, value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not text", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		// change describes an outcome's movement: "down 4", "up 2.5", "no change".
		"change": func(before, after float64) string {
			d := after - before
			switch {
			case d > 0:
				return w.Must("views.up", "N", strconv.FormatFloat(d, 'f', -1, 64))
			case d < 0:
				return w.Must("views.down", "N", strconv.FormatFloat(-d, 'f', -1, 64))
			}
			return w.Must("views.no_change")
		},
	}
}
