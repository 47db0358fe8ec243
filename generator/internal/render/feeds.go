package render

import (
	"net/url"
	"strings"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// Where the feeds are published. Package site writes them; pages link to
// the ones that cover them with <link rel="alternate">.
const (
	AtomPath     = "/atom.xml"    // every item, newest first
	JSONFeedPath = "/feed.json"   // the same, as JSON Feed
	PodcastPath  = "/podcast.xml" // episodes with audio, for podcast apps
)

// transcriptFormats are the words that name each transcript format a
// reader may download.
var transcriptFormats = map[string]string{
	"text/vtt":             "feeds.transcript_format.vtt",
	"application/x-subrip": "feeds.transcript_format.srt",
	"application/json":     "feeds.transcript_format.json",
}

// transcriptFormat names a transcript's format for readers: "WebVTT, for
// captions"; "" for one it does not know.
func (r *Renderer) transcriptFormat(mediaType string) string {
	if id, ok := transcriptFormats[mediaType]; ok {
		return r.w().Must(id)
	}
	return ""
}

// TranscriptTextName is the file, next to an episode's page, that holds its
// transcript as plain text.
const TranscriptTextName = "transcript.txt"

// TranscriptHTMLName is the file, next to an episode's page, that holds its
// transcript in the Podcasting 2.0 HTML transcript format, for
// podcast:transcript type="text/html".
const TranscriptHTMLName = "transcript.html"

// SectionFeedPath is the Atom feed of one kind of item.
func SectionFeedPath(k content.Kind) string { return "/" + k.Section() + "/atom.xml" }

// ThemeFeedPath is the Atom feed of a theme's items.
func ThemeFeedPath(th *taxonomy.Theme) string { return th.Path() + "atom.xml" }

// Feed is a feed a page links to in its head.
type Feed struct {
	Title string
	Type  string // "application/atom+xml"
	Href  string
}

const (
	atomType = "application/atom+xml"
	jsonType = "application/feed+json"
	rssType  = "application/rss+xml"
)

// siteFeeds are the feeds of the whole site, linked from every page.
func (r *Renderer) siteFeeds() []Feed {
	return []Feed{
		{Title: r.w().Must("feeds.everything", "Site", r.cfg.Title), Type: atomType, Href: r.cfg.Link(AtomPath)},
		{Title: r.w().Must("feeds.everything_json", "Site", r.cfg.Title), Type: jsonType, Href: r.cfg.Link(JSONFeedPath)},
	}
}

// sectionFeeds adds the feeds of one kind of item: its Atom feed and, for
// episodes, the podcast.
func (r *Renderer) sectionFeeds(k content.Kind) []Feed {
	out := []Feed{{Title: r.FeedTitle(kindsWord(r.w(), k)), Type: atomType, Href: r.cfg.Link(SectionFeedPath(k))}}
	if k == content.Episode {
		out = append(out, r.podcastFeeds()...)
	}
	return out
}

func (r *Renderer) podcastFeeds() []Feed {
	if !r.podcast {
		return nil
	}
	return []Feed{{Title: r.w().Must("feeds.podcast", "Show", r.cfg.Podcast.Title), Type: rssType, Href: r.cfg.Link(PodcastPath)}}
}

// Show is the podcast as its page presents it: cover art, what it is, and
// where to follow it.
type Show struct {
	Title, Description string
	Cover              string // the cover art's address, "" when it has none
	CoverSrcset        string // its copies, when the site made them
	Feed               string // the podcast feed, for any podcast app
	Links              []Link // the show in named apps
}

// show is the podcast's Show, nil when the site has no podcast.
func (r *Renderer) show() *Show {
	if !r.podcast {
		return nil
	}
	pc := r.cfg.Podcast
	s := &Show{Title: pc.Title, Description: pc.Description, Feed: r.cfg.Link(PodcastPath)}
	if strings.HasPrefix(pc.Image, "/") { // another host's picture would need the site's policy to let it in
		s.Cover = r.href(pc.Image)
		if p, ok := r.pictures[pc.Image]; ok {
			s.Cover, s.CoverSrcset = r.href(p.Copies[0].Path), r.srcset(p.Copies) // 320 pixels: twice the 160 it is shown at
		}
	}
	for _, l := range pc.Links {
		s.Links = append(s.Links, Link{Title: appName(l), Href: l})
	}
	return s
}

// appName names the podcast app a show's link leads to: "Spotify", or the
// host for one it does not know ("podcasts.example.org").
func appName(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return link
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	for _, a := range []struct{ host, name string }{
		{"podcasts.apple.com", "Apple Podcasts"}, {"spotify.com", "Spotify"}, {"pca.st", "Pocket Casts"},
		{"pocketcasts.com", "Pocket Casts"}, {"overcast.fm", "Overcast"}, {"youtube.com", "YouTube"},
		{"youtu.be", "YouTube"}, {"castbox.fm", "Castbox"}, {"podcastaddict.com", "Podcast Addict"},
		{"amazon.com", "Amazon Music"}, {"music.amazon.co.uk", "Amazon Music"},
	} {
		if host == a.host || strings.HasSuffix(host, "."+a.host) {
			return a.name
		}
	}
	return host
}

func (r *Renderer) themeFeeds(th *taxonomy.Theme) []Feed {
	return []Feed{{Title: r.FeedTitle(th.Title), Type: atomType, Href: r.cfg.Link(ThemeFeedPath(th))}}
}

// FeedTitle is the title of a feed of part of the site: "Site: Stories";
// the site's title alone for the whole site ("").
func (r *Renderer) FeedTitle(part string) string {
	if part == "" {
		return r.cfg.Title
	}
	return r.w().Must("feeds.of", "Site", r.cfg.Title, "Title", part)
}
