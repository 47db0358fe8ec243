package feed

import (
	"bytes"
	"encoding/xml"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Podcast is a podcast channel and its episodes, newest first, as the
// podcast RSS feed carries them. Every URL is absolute.
type Podcast struct {
	FeedURL     string // where the feed itself is published: atom:link rel="self"
	Title       string
	Link        string // the site's home page
	Description string
	Language    string
	Copyright   string
	Author      string
	OwnerName   string
	OwnerEmail  string
	Image       string // square cover art
	Category    string // one of Apple's categories
	Subcategory string // one of Apple's subcategories of Category, or ""
	Explicit    bool
	Type        string // "episodic" or "serial"
	GUID        string // podcast:guid
	Locked      bool
	Hosts       []Person // the channel's people, repeated on each episode
	Generator   string
	Episodes    []Episode
}

// Episode is one item of a podcast feed.
type Episode struct {
	GUID        string
	Title       string
	Link        string
	Description string
	Published   time.Time
	AudioURL    string
	AudioType   string
	AudioBytes  int64
	Duration    time.Duration // 0 when unknown
	Number      int           // 0 when not numbered
	Season      int
	Transcripts []Transcript
	Chapters    string   // URL of a JSON chapters file, or ""
	People      []Person // hosts then guests; replaces the channel's people
}

// Transcript is one form of an episode's transcript.
type Transcript struct {
	URL      string
	Type     string // "text/vtt", "text/html"
	Language string
	Rel      string // "captions" for timed text, or ""
}

// Person is someone who takes part, for podcast:person.
type Person struct {
	Name string
	Role string // Podcasting 2.0 role: "host", "guest"
	Href string
	Img  string
}

// podcastGUIDSpace is the namespace of podcast:guid values, fixed by the
// Podcasting 2.0 specification.
var podcastGUIDSpace = uuid.MustParse("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

// PodcastGUID is the podcast:guid a feed gets from its address: a UUIDv5 of
// the URL without its scheme and trailing slashes. It changes when the
// address does, so sites keep the first one in site.toml.
func PodcastGUID(feedURL string) string {
	u := feedURL
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	return uuid.NewSHA1(podcastGUIDSpace, []byte(strings.TrimRight(u, "/"))).String()
}

// EpisodeGUID is the stable guid of an episode that has none of its own: a
// UUIDv5 of its site path under the channel's podcast:guid.
func EpisodeGUID(channelGUID, path string) string {
	ns, err := uuid.Parse(channelGUID)
	if err != nil {
		ns = podcastGUIDSpace
	}
	return uuid.NewSHA1(ns, []byte(path)).String()
}

type rss struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Itunes  string   `xml:"xmlns:itunes,attr"`
	Pod     string   `xml:"xmlns:podcast,attr"`
	Atom    string   `xml:"xmlns:atom,attr"`
	Channel channel  `xml:"channel"`
}

type channel struct {
	AtomLink    atomLink        `xml:"atom:link"`
	Title       string          `xml:"title"`
	Link        string          `xml:"link"`
	Description channelText     `xml:"description"`
	Language    string          `xml:"language"`
	Copyright   string          `xml:"copyright,omitempty"`
	Generator   string          `xml:"generator,omitempty"`
	LastBuild   string          `xml:"lastBuildDate,omitempty"`
	Author      string          `xml:"itunes:author,omitempty"`
	Owner       *itunesOwner    `xml:"itunes:owner"`
	Image       *hrefAttr       `xml:"itunes:image"`
	Category    *itunesCategory `xml:"itunes:category"`
	Explicit    string          `xml:"itunes:explicit"`
	Type        string          `xml:"itunes:type,omitempty"`
	GUID        string          `xml:"podcast:guid"`
	Locked      podcastLocked   `xml:"podcast:locked"`
	People      []podcastPerson `xml:"podcast:person"`
	Items       []rssItem       `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type itunesOwner struct {
	Name  string `xml:"itunes:name,omitempty"`
	Email string `xml:"itunes:email,omitempty"`
}

type hrefAttr struct {
	Href string `xml:"href,attr"`
}

type itunesCategory struct {
	Text string          `xml:"text,attr"`
	Sub  *itunesCategory `xml:"itunes:category"`
}

type podcastLocked struct {
	Owner string `xml:"owner,attr,omitempty"`
	Value string `xml:",chardata"`
}

type podcastPerson struct {
	Role  string `xml:"role,attr"`
	Group string `xml:"group,attr"`
	Href  string `xml:"href,attr,omitempty"`
	Img   string `xml:"img,attr,omitempty"`
	Name  string `xml:",chardata"`
}

type rssItem struct {
	Title       string              `xml:"title"`
	Link        string              `xml:"link,omitempty"`
	Description *htmlText           `xml:"description,omitempty"`
	GUID        rssGUID             `xml:"guid"`
	PubDate     string              `xml:"pubDate"`
	Enclosure   enclosure           `xml:"enclosure"`
	Duration    string              `xml:"itunes:duration,omitempty"`
	Episode     string              `xml:"itunes:episode,omitempty"`
	Season      string              `xml:"itunes:season,omitempty"`
	EpisodeType string              `xml:"itunes:episodeType"`
	Explicit    string              `xml:"itunes:explicit"`
	Transcripts []podcastTranscript `xml:"podcast:transcript"`
	Chapters    *podcastChapters    `xml:"podcast:chapters"`
	People      []podcastPerson     `xml:"podcast:person"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type enclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type podcastTranscript struct {
	URL      string `xml:"url,attr"`
	Type     string `xml:"type,attr"`
	Language string `xml:"language,attr,omitempty"`
	Rel      string `xml:"rel,attr,omitempty"`
}

type podcastChapters struct {
	URL  string `xml:"url,attr"`
	Type string `xml:"type,attr"`
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func people(ps []Person) []podcastPerson {
	var out []podcastPerson
	for _, p := range ps {
		role := p.Role
		if role == "" {
			role = "host"
		}
		out = append(out, podcastPerson{Role: role, Group: "cast", Href: p.Href, Img: p.Img, Name: p.Name})
	}
	return out
}

// htmlText is a description as podcast apps read it: HTML, in CDATA.
type htmlText struct {
	HTML string `xml:",cdata"`
}

// asHTML makes plain text the HTML podcast apps expect in a description,
// so that text such as "<5 visits" or markup typed into a summary is
// shown, never run: apps read a description as HTML whether or not it
// was meant as such.
func asHTML(text string) htmlText {
	return htmlText{HTML: "<p>" + html.EscapeString(text) + "</p>"}
}

// channelText is the channel's description: plain text, or, when it holds
// a character HTML would read as markup, asHTML's paragraph.
type channelText struct {
	Text string `xml:",chardata"`
	HTML string `xml:",cdata"`
}

// channelDescription is plain text where it can be: feed validators warn
// of HTML in a channel's description, but apps read it as HTML, so text
// with a < or & in it stays an escaped paragraph.
func channelDescription(text string) channelText {
	if strings.ContainsAny(text, "<&") {
		return channelText{HTML: asHTML(text).HTML}
	}
	return channelText{Text: text}
}

// PodcastRSS renders the podcast feed: RSS 2.0 with Apple's itunes tags and
// the Podcasting 2.0 namespace.
func PodcastRSS(p Podcast) ([]byte, error) {
	ch := channel{
		AtomLink:    atomLink{Href: p.FeedURL, Rel: "self", Type: "application/rss+xml"},
		Title:       p.Title,
		Link:        p.Link,
		Description: channelDescription(p.Description),
		Language:    p.Language,
		Copyright:   p.Copyright,
		Generator:   p.Generator,
		Author:      p.Author,
		Explicit:    yesNo(p.Explicit, "true", "false"),
		Type:        p.Type,
		GUID:        p.GUID,
		Locked:      podcastLocked{Owner: p.OwnerEmail, Value: yesNo(p.Locked, "yes", "no")},
		People:      people(p.Hosts),
	}
	if p.OwnerName != "" || p.OwnerEmail != "" {
		ch.Owner = &itunesOwner{Name: p.OwnerName, Email: p.OwnerEmail}
	}
	if p.Image != "" {
		ch.Image = &hrefAttr{Href: p.Image}
	}
	if p.Category != "" {
		ch.Category = &itunesCategory{Text: p.Category}
		if p.Subcategory != "" {
			ch.Category.Sub = &itunesCategory{Text: p.Subcategory}
		}
	}
	if len(p.Episodes) > 0 {
		ch.LastBuild = p.Episodes[0].Published.Format(time.RFC1123Z)
	}
	for _, e := range p.Episodes {
		it := rssItem{
			Description: new(asHTML(e.Description)),
			Title:       e.Title,
			Link:        e.Link,
			GUID:        rssGUID{IsPermaLink: "false", Value: e.GUID},
			PubDate:     e.Published.Format(time.RFC1123Z),
			Enclosure:   enclosure{URL: e.AudioURL, Length: e.AudioBytes, Type: e.AudioType},
			EpisodeType: "full",
			Explicit:    ch.Explicit,
			People:      people(e.People),
		}
		if e.Duration > 0 {
			it.Duration = strconv.Itoa(int(e.Duration.Round(time.Second) / time.Second))
		}
		if e.Number > 0 {
			it.Episode = strconv.Itoa(e.Number)
		}
		if e.Season > 0 {
			it.Season = strconv.Itoa(e.Season)
		}
		for _, t := range e.Transcripts {
			it.Transcripts = append(it.Transcripts, podcastTranscript(t))
		}
		if e.Chapters != "" {
			it.Chapters = &podcastChapters{URL: e.Chapters, Type: "application/json+chapters"}
		}
		ch.Items = append(ch.Items, it)
	}
	return encodeXML(rss{
		Version: "2.0",
		Itunes:  "http://www.itunes.com/dtds/podcast-1.0.dtd",
		Pod:     "https://podcastindex.org/namespace/1.0",
		Atom:    "http://www.w3.org/2005/Atom",
		Channel: ch,
	})
}

func encodeXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
