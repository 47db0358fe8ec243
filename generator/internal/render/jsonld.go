package render

import (
	"encoding/json"
	"html/template"
	"strconv"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// Structured data: schema.org JSON-LD in <script type="application/ld+json">,
// which browsers never run, so a strict Content-Security-Policy allows it.
// Every page has its breadcrumb trail; items describe themselves as
// articles or podcast episodes with what they are based on.

type ld = map[string]any

// jsonLD is the page's structured data as a script body. json.Marshal
// escapes <, > and &, so the text cannot end the script element early.
func (r *Renderer) jsonLD(p *Page) template.JS {
	graph := append([]any{}, p.ld...)
	if len(p.Crumbs) > 0 {
		var list []any
		for i, c := range append(p.Crumbs, Link{Title: p.Title}) {
			li := ld{"@type": "ListItem", "position": i + 1, "name": c.Title}
			if c.Href != "" {
				li["item"] = r.absolute(c.Href)
			} else {
				li["item"] = p.URL
			}
			list = append(list, li)
		}
		graph = append(graph, ld{"@type": "BreadcrumbList", "itemListElement": list})
	}
	if len(graph) == 0 {
		return ""
	}
	b, err := json.Marshal(ld{"@context": "https://schema.org", "@graph": graph})
	if err != nil {
		return ""
	}
	return template.JS(b)
}

// absolute turns a root-relative link ("/ot/stories/") into an absolute URL.
func (r *Renderer) absolute(href string) string {
	if href == "" || href[0] != '/' {
		return href
	}
	return r.cfg.URL(href[len(r.cfg.BasePath)-1:])
}

// website is the home page's description of the site, with its search.
func (r *Renderer) website() ld {
	return ld{
		"@type":       "WebSite",
		"@id":         r.cfg.URL("/") + "#site",
		"name":        r.cfg.Title,
		"description": r.cfg.Description,
		"url":         r.cfg.URL("/"),
		"inLanguage":  r.cfg.Language,
		"potentialAction": ld{
			"@type":       "SearchAction",
			"target":      r.cfg.URL("/search/") + "?q={search_term_string}",
			"query-input": "required name=search_term_string",
		},
	}
}

func isoDate(t time.Time, dateOnly bool) string {
	if dateOnly {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

// itemLD describes an item: a PodcastEpisode for episodes, an Article
// otherwise, with its sources as citations (and, for a feature, the
// magazine issue it appeared in; see citationLD).
func (r *Renderer) itemLD(it *content.Item, themes []*taxonomy.Theme, summary string, chapters []ChapterLink) ld {
	url := r.cfg.URL(it.Path)
	d := ld{
		"@type":               "Article",
		"@id":                 url + "#item",
		"url":                 url,
		"headline":            it.Title,
		"name":                it.Title,
		"description":         summary,
		"datePublished":       isoDate(it.Date, it.DateOnly),
		"inLanguage":          r.cfg.Language,
		"isAccessibleForFree": true,
		"publisher":           ld{"@type": "Organization", "name": r.cfg.Title, "url": r.cfg.URL("/")},
	}
	if !it.Updated.IsZero() {
		d["dateModified"] = isoDate(it.Updated, false)
	}
	if !it.Expires.IsZero() {
		d["expires"] = isoDate(it.Expires, false)
	}
	var authors []any
	for _, a := range it.Authors {
		authors = append(authors, ld{"@type": "Person", "name": a})
	}
	if authors != nil {
		d["author"] = authors
	}
	var about, keywords []any
	for _, th := range themes {
		about = append(about, ld{"@type": "Thing", "name": th.Title, "url": r.cfg.URL(th.Path())})
		keywords = append(keywords, th.Title)
	}
	if about != nil {
		d["about"], d["keywords"] = about, keywords
	}
	if it.Image != nil {
		img := ld{"@type": "ImageObject", "url": r.absolute(r.href(it.Image.Path)), "caption": it.Image.Alt}
		if p, ok := r.pictures[it.Image.Path]; ok { // the copy link previews get
			img["url"], img["width"], img["height"] = r.absolute(r.href(p.OG.Path)), p.OG.Width, p.OG.Height
		} else if it.Image.Width > 0 {
			img["width"], img["height"] = it.Image.Width, it.Image.Height
		}
		d["image"] = img
	}
	r.citationLD(d, it, it.Sources)
	if it.Kind == content.Episode {
		r.episodeLD(d, it, chapters)
	}
	return d
}

// episodeLD turns an item's description into a PodcastEpisode.
func (r *Renderer) episodeLD(d ld, it *content.Item, chapters []ChapterLink) {
	e := it.Episode
	url := r.cfg.URL(it.Path)
	d["@type"] = "PodcastEpisode"
	delete(d, "headline")
	delete(d, "publisher")
	series := ld{"@type": "PodcastSeries", "name": r.cfg.Podcast.Title, "url": r.cfg.URL("/" + content.Episode.Section() + "/")}
	if r.podcast {
		series["webFeed"] = r.cfg.URL(PodcastPath)
	}
	d["partOfSeries"] = series
	if e.Number > 0 {
		d["episodeNumber"] = e.Number
	}
	var people []any
	for _, p := range append(append([]content.Person{}, e.Hosts...), e.Guests...) {
		person := ld{"@type": "Person", "name": p.Name}
		if p.Role != "" {
			person["description"] = p.Role
		}
		people = append(people, person)
	}
	if people != nil {
		d["actor"] = people
	}
	if a := e.Audio; a != nil {
		audio := ld{"@type": "AudioObject", "contentUrl": r.absolute(r.href(a.Path)), "encodingFormat": a.Type}
		if a.Bytes > 0 {
			audio["contentSize"] = strconv.FormatInt(a.Bytes, 10)
		}
		if e.Duration > 0 {
			audio["duration"] = isoDuration(e.Duration)
			d["timeRequired"] = isoDuration(e.Duration)
		}
		if e.Transcript != "" {
			audio["caption"] = ld{"@type": "MediaObject", "contentUrl": r.cfg.URL(e.Transcript), "encodingFormat": e.TranscriptType}
		}
		d["associatedMedia"] = audio
	}
	var clips []any
	for i, c := range e.Chapters {
		clip := ld{"@type": "Clip", "name": c.Title, "startOffset": int(c.Start / time.Second)}
		if i < len(chapters) && chapters[i].ID != "" {
			clip["url"] = url + "#" + chapters[i].ID
		}
		if i+1 < len(e.Chapters) {
			clip["endOffset"] = int(e.Chapters[i+1].Start / time.Second)
		} else if e.Duration > 0 {
			clip["endOffset"] = int(e.Duration / time.Second)
		}
		clips = append(clips, clip)
	}
	if clips != nil {
		d["hasPart"] = clips
	}
}

// packLD describes a pack as a course (and a learning resource) made of
// its items, with what it teaches, whom it is for and how long it takes.
func (r *Renderer) packLD(pk *content.Pack, v *Pack) ld {
	out := ld{
		"@type":                []string{"Course", "LearningResource"},
		"provider":             ld{"@type": "Organization", "name": r.cfg.Title, "url": r.cfg.URL("/")},
		"name":                 pk.Title,
		"url":                  r.cfg.URL(pk.Path),
		"inLanguage":           r.cfg.Language,
		"learningResourceType": "learning pack",
		"timeRequired":         v.TimeISO,
	}
	if pk.Summary != "" {
		out["description"] = pk.Summary
	}
	if pk.Audience != "" {
		out["audience"] = ld{"@type": "EducationalAudience", "educationalRole": pk.Audience}
	}
	if len(pk.Outcomes) > 0 {
		out["teaches"] = pk.Outcomes
	}
	var parts []any
	for _, e := range v.Entries {
		parts = append(parts, ld{"@type": "CreativeWork", "name": e.Item.Title, "url": r.absolute(e.Item.Href), "position": e.N})
	}
	out["hasPart"] = parts
	return out
}
