package feed

import (
	"encoding/json"
	"encoding/xml"
	"time"
)

// Feed is a list of entries, newest first, written as Atom or JSON Feed.
// Every URL is absolute.
type Feed struct {
	ID          string // the Atom id: the feed's own URL
	Title       string
	Description string
	Home        string // the page the feed follows
	URL         string // the feed itself
	Language    string
	Author      string // the site, for entries without authors
	Rights      string
	Generator   string
	Icon        string // a square picture, at least 512 pixels a side for JSON Feed
	Favicon     string // a small square picture (JSON Feed: 64 pixels), or ""
	Entries     []Entry
}

// Entry is one item of a feed.
type Entry struct {
	ID      string
	URL     string
	Title   string
	Summary string
	// HTML is the item's whole text, every address in it absolute
	// (AbsoluteHTML); "" carries the summary alone
	HTML      string
	Published time.Time
	Updated   time.Time // zero: as Published
	Authors   []string
	Tags      []Tag
	Audio     *Attachment
}

// Tag is a theme: its term (slug), label and page.
type Tag struct {
	Term   string
	Label  string
	Scheme string
}

// Attachment is a file an entry carries, such as an episode's audio.
type Attachment struct {
	URL      string
	Type     string
	Bytes    int64
	Duration time.Duration
}

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomHref  `xml:"link"`
	Author    *atomPerson `xml:"author"`
	Rights    string      `xml:"rights,omitempty"`
	Generator string      `xml:"generator,omitempty"`
	Icon      string      `xml:"icon,omitempty"`
	Entries   []atomEntry `xml:"entry"`
}

type atomHref struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Length int64  `xml:"length,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Links      []atomHref     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    string         `xml:"summary,omitempty"`
	Content    *atomContent   `xml:"content"`
}

// atomContent is an entry's text as HTML, in CDATA: escaped character by
// character, its quotes and line ends would take five bytes each
type atomContent struct {
	Type string `xml:"type,attr"`
	Text string `xml:",cdata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Label  string `xml:"label,attr,omitempty"`
	Scheme string `xml:"scheme,attr,omitempty"`
}

func (e Entry) updated() time.Time {
	if e.Updated.IsZero() {
		return e.Published
	}
	return e.Updated
}

// updated is the newest change among the entries; a feed without entries
// takes the zero time's year 1 date, which is still valid RFC 3339.
func (f Feed) updated() time.Time {
	var t time.Time
	for _, e := range f.Entries {
		if u := e.updated(); u.After(t) {
			t = u
		}
	}
	return t
}

// Atom renders the feed as Atom 1.0 (RFC 4287).
func Atom(f Feed) ([]byte, error) {
	a := atomFeed{
		Lang:      f.Language,
		ID:        f.ID,
		Title:     f.Title,
		Subtitle:  f.Description,
		Updated:   f.updated().UTC().Format(time.RFC3339),
		Links:     []atomHref{{Href: f.URL, Rel: "self", Type: "application/atom+xml"}, {Href: f.Home, Rel: "alternate", Type: "text/html"}},
		Author:    &atomPerson{Name: f.Author},
		Rights:    f.Rights,
		Generator: f.Generator,
		Icon:      f.Icon,
	}
	// entries of one day share their time (dates are written without
	// one); feed validators warn of entries updated at the same moment,
	// so each after the first is a second later, in the feed's order
	taken := map[time.Time]bool{}
	for _, e := range f.Entries {
		updated := e.updated().UTC()
		for taken[updated] {
			updated = updated.Add(time.Second)
		}
		taken[updated] = true
		ae := atomEntry{
			ID:        e.ID,
			Title:     e.Title,
			Links:     []atomHref{{Href: e.URL, Rel: "alternate", Type: "text/html"}},
			Published: e.Published.UTC().Format(time.RFC3339),
			Updated:   updated.Format(time.RFC3339),
			Summary:   e.Summary,
		}
		if e.HTML != "" {
			ae.Content = &atomContent{Type: "html", Text: e.HTML}
		}
		if e.Audio != nil {
			ae.Links = append(ae.Links, atomHref{Href: e.Audio.URL, Rel: "enclosure", Type: e.Audio.Type, Length: e.Audio.Bytes})
		}
		for _, n := range e.Authors {
			ae.Authors = append(ae.Authors, atomPerson{Name: n})
		}
		for _, t := range e.Tags {
			ae.Categories = append(ae.Categories, atomCategory(t))
		}
		a.Entries = append(a.Entries, ae)
	}
	return encodeXML(a)
}

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Icon        string       `json:"icon,omitempty"`
	Favicon     string       `json:"favicon,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	ContentHTML   string           `json:"content_html,omitempty"`
	ContentText   string           `json:"content_text,omitempty"`
	Summary       string           `json:"summary,omitempty"`
	DatePublished string           `json:"date_published"`
	DateModified  string           `json:"date_modified,omitempty"`
	Authors       []jsonAuthor     `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
	Attachments   []jsonAttachment `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL      string `json:"url"`
	MimeType string `json:"mime_type"`
	Size     int64  `json:"size_in_bytes,omitempty"`
	Duration int64  `json:"duration_in_seconds,omitempty"`
}

// JSONFeed renders the feed as JSON Feed 1.1. An item carries its whole
// text as content_html when it has one (Entry.HTML), and its summary;
// otherwise its summary is its content_text too (an item needs one or the
// other).
func JSONFeed(f Feed) ([]byte, error) {
	j := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       f.Title,
		HomePageURL: f.Home,
		FeedURL:     f.URL,
		Description: f.Description,
		Icon:        f.Icon,
		Favicon:     f.Favicon,
		Language:    f.Language,
		Authors:     []jsonAuthor{{Name: f.Author}},
		Items:       []jsonItem{},
	}
	for _, e := range f.Entries {
		ji := jsonItem{
			ID:            e.ID,
			URL:           e.URL,
			Title:         e.Title,
			ContentHTML:   e.HTML,
			Summary:       e.Summary,
			DatePublished: e.Published.Format(time.RFC3339),
		}
		if e.HTML == "" {
			ji.ContentText = e.Summary
		}
		if !e.Updated.IsZero() {
			ji.DateModified = e.Updated.Format(time.RFC3339)
		}
		for _, n := range e.Authors {
			ji.Authors = append(ji.Authors, jsonAuthor{Name: n})
		}
		for _, t := range e.Tags {
			ji.Tags = append(ji.Tags, t.Label)
		}
		if a := e.Audio; a != nil {
			ji.Attachments = []jsonAttachment{{URL: a.URL, MimeType: a.Type, Size: a.Bytes, Duration: int64(a.Duration.Round(time.Second) / time.Second)}}
		}
		j.Items = append(j.Items, ji)
	}
	// <, > and & stay escaped (\u003c) in content_html too: no browser
	// that guesses a file's type finds live markup in it
	out, err := json.MarshalIndent(j, "", " ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
