package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

func TestPodcastGUID(t *testing.T) {
	// the specification's test vector, with the spellings a feed URL comes in
	for _, u := range []string{"podnews.net/rss", "https://podnews.net/rss", "http://podnews.net/rss/"} {
		if got := PodcastGUID(u); got != "9b024349-ccf0-5f69-a609-6b82873eab3c" {
			t.Errorf("PodcastGUID(%q) = %s", u, got)
		}
	}
	a, b := EpisodeGUID("9b024349-ccf0-5f69-a609-6b82873eab3c", "/episodes/a/"), EpisodeGUID("9b024349-ccf0-5f69-a609-6b82873eab3c", "/episodes/b/")
	if a == b || a != EpisodeGUID("9b024349-ccf0-5f69-a609-6b82873eab3c", "/episodes/a/") {
		t.Errorf("episode guids %s, %s: want stable and distinct", a, b)
	}
}

var published = time.Date(2026, 11, 23, 10, 30, 0, 0, time.UTC)

func podcast() Podcast {
	return Podcast{
		FeedURL:     "https://example.org/podcast.xml",
		Title:       "OT & you",
		Link:        "https://example.org/",
		Description: "Stories <of> practice",
		Language:    "en-GB",
		Author:      "Editors",
		OwnerName:   "Editors",
		OwnerEmail:  "pod@example.org",
		Image:       "https://example.org/cover.png",
		Category:    "Health & Fitness",
		Subcategory: "Medicine",
		Type:        "episodic",
		GUID:        PodcastGUID("example.org/podcast.xml"),
		Locked:      true,
		Hosts:       []Person{{Name: "Sam Host", Role: "host"}},
		Episodes: []Episode{{
			GUID: "ep-72", Title: "Rebuilding lives", Link: "https://example.org/episodes/72/", Description: "Denis walks again.",
			Published: published, AudioURL: "https://example.org/episodes/72/audio.mp3", AudioType: "audio/mpeg", AudioBytes: 448068,
			Duration: 62*time.Minute + 3*time.Second, Number: 72, Season: 3,
			Transcripts: []Transcript{{URL: "https://example.org/episodes/72/transcript.vtt", Type: "text/vtt", Language: "en-GB", Rel: "captions"}, {URL: "https://example.org/episodes/72/#transcript", Type: "text/html"}},
			Chapters:    "https://example.org/episodes/72/chapters.json",
			People:      []Person{{Name: "Sam Host", Role: "host"}, {Name: "Zoe Phillips", Role: "guest"}},
		}, {
			GUID: "ep-71", Title: "An earlier one", Published: published.AddDate(0, -1, 0), AudioURL: "https://example.org/71.m4a", AudioType: "audio/mp4", AudioBytes: 10,
		}},
	}
}

func attr(e ext.Extension, name string) string { return e.Attrs[name] }

func TestPodcastChannelDescription(t *testing.T) {
	p := podcast()
	p.Description = "Stories of practice"
	out, err := PodcastRSS(p)
	if err != nil || !strings.Contains(string(out), "<description>Stories of practice</description>") {
		t.Errorf("%v\n%s", err, out)
	}
}

func TestPodcastRSS(t *testing.T) {
	out, err := PodcastRSS(podcast())
	f := parseXML(t, out, err)
	// descriptions are HTML to apps: text with a < or & is escaped into a
	// paragraph; other text is plain, as validators want the channel's
	if f.FeedType != "rss" || f.Title != "OT & you" || f.Description != "<p>Stories &lt;of&gt; practice</p>" || f.Language != "en-GB" || f.Link != "https://example.org/" {
		t.Errorf("channel = %q %q %q %q %q", f.FeedType, f.Title, f.Description, f.Language, f.Link)
	}
	it := f.ITunesExt
	if it == nil || it.Author != "Editors" || it.Explicit != "false" || it.Image != "https://example.org/cover.png" || it.Type != "episodic" || it.Owner == nil || it.Owner.Email != "pod@example.org" {
		t.Fatalf("itunes = %+v", it)
	}
	if len(it.Categories) != 1 || it.Categories[0].Text != "Health & Fitness" || it.Categories[0].Subcategory == nil || it.Categories[0].Subcategory.Text != "Medicine" {
		t.Errorf("categories = %+v", it.Categories)
	}
	pod := f.Extensions["podcast"]
	if g := pod["guid"]; len(g) != 1 || g[0].Value != PodcastGUID("example.org/podcast.xml") {
		t.Errorf("podcast:guid = %+v", g)
	}
	if l := pod["locked"]; len(l) != 1 || l[0].Value != "yes" || attr(l[0], "owner") != "pod@example.org" {
		t.Errorf("podcast:locked = %+v", l)
	}
	if self := f.Extensions["atom"]["link"]; len(self) != 1 || attr(self[0], "rel") != "self" || attr(self[0], "href") != "https://example.org/podcast.xml" {
		t.Errorf("atom:link = %+v", self)
	}
	if len(f.Items) != 2 {
		t.Fatalf("%d items", len(f.Items))
	}
	ep := f.Items[0]
	if ep.GUID != "ep-72" || ep.Title != "Rebuilding lives" || ep.PublishedParsed == nil || !ep.PublishedParsed.Equal(published) {
		t.Errorf("item = %q %q %v", ep.GUID, ep.Title, ep.PublishedParsed)
	}
	if len(ep.Enclosures) != 1 || ep.Enclosures[0].Length != "448068" || ep.Enclosures[0].Type != "audio/mpeg" || ep.Enclosures[0].URL != "https://example.org/episodes/72/audio.mp3" {
		t.Errorf("enclosures = %+v", ep.Enclosures)
	}
	if ep.ITunesExt == nil || ep.ITunesExt.Duration != "3723" || ep.ITunesExt.Episode != "72" || ep.ITunesExt.Season != "3" || ep.ITunesExt.EpisodeType != "full" {
		t.Errorf("item itunes = %+v", ep.ITunesExt)
	}
	ip := ep.Extensions["podcast"]
	var types []string
	for _, tr := range ip["transcript"] {
		types = append(types, attr(tr, "type"))
	}
	if strings.Join(types, " ") != "text/vtt text/html" {
		t.Errorf("transcript types = %v", types)
	}
	if c := ip["chapters"]; len(c) != 1 || attr(c[0], "type") != "application/json+chapters" {
		t.Errorf("chapters = %+v", c)
	}
	var people []string
	for _, p := range ip["person"] {
		people = append(people, attr(p, "role")+":"+p.Value)
	}
	if strings.Join(people, ", ") != "host:Sam Host, guest:Zoe Phillips" {
		t.Errorf("people = %v", people)
	}
	// an episode without a number, duration or transcript leaves those out
	if e := f.Items[1]; e.ITunesExt.Episode != "" || e.ITunesExt.Duration != "" || len(e.Extensions["podcast"]["transcript"]) != 0 {
		t.Errorf("second item = %+v %+v", e.ITunesExt, e.Extensions["podcast"])
	}
}

// parseXML checks a feed is well-formed (xmllint) and parses it as a
// podcast app would (gofeed).
func parseXML(t *testing.T, out []byte, err error) *gofeed.Feed {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	xmllint(t, out)
	f, err := gofeed.NewParser().Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, out)
	}
	return f
}

// xmllint checks a document is well-formed XML with libxml2's own tool;
// tests/run.sh installs it.
func xmllint(t *testing.T, doc []byte) {
	t.Helper()
	cmd := exec.Command("xmllint", "--noout", "-")
	cmd.Stdin = bytes.NewReader(doc)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, out)
	}
}

func sample() Feed {
	return Feed{
		ID: "https://example.org/atom.xml", Title: "OT site", Description: "Everything", Home: "https://example.org/",
		URL: "https://example.org/atom.xml", Language: "en-GB", Author: "OT site", Rights: "CC BY",
		Entries: []Entry{
			{ID: "https://example.org/stories/denis/", URL: "https://example.org/stories/denis/", Title: "Denis", Summary: "Small steps & a kitchen.",
				Published: published, Updated: published.AddDate(0, 0, 2), Authors: []string{"A. Writer"},
				Tags: []Tag{{Term: "rehab-potential", Label: "Rehab potential", Scheme: "https://example.org/themes/"}}},
			{ID: "https://example.org/episodes/72/", URL: "https://example.org/episodes/72/", Title: "Episode", Summary: "Talk.", Published: published.AddDate(0, 0, -1),
				Audio: &Attachment{URL: "https://example.org/episodes/72/audio.mp3", Type: "audio/mpeg", Bytes: 448068, Duration: 112 * time.Second}},
		},
	}
}

func TestAtom(t *testing.T) {
	out, err := Atom(sample())
	f := parseXML(t, out, err)
	if f.FeedType != "atom" || f.Title != "OT site" || f.FeedLink != "https://example.org/atom.xml" || f.Link != "https://example.org/" || f.Language != "en-GB" {
		t.Errorf("feed = %q %q %q %q %q", f.FeedType, f.Title, f.FeedLink, f.Link, f.Language)
	}
	// the feed was last updated when its newest change was made
	if f.UpdatedParsed == nil || !f.UpdatedParsed.Equal(published.AddDate(0, 0, 2)) {
		t.Errorf("updated = %v", f.UpdatedParsed)
	}
	d := f.Items[0]
	if d.GUID != "https://example.org/stories/denis/" || d.Description != "Small steps & a kitchen." || len(d.Authors) != 1 || d.Authors[0].Name != "A. Writer" || len(d.Categories) != 1 || d.Categories[0] != "Rehab potential" {
		t.Errorf("entry = %+v", d)
	}
	if e := f.Items[1]; len(e.Enclosures) != 1 || e.Enclosures[0].Length != "448068" {
		t.Errorf("enclosure = %+v", e.Enclosures)
	}
}

// TestAtomUpdatedUnique: entries of one day, which share their time, are
// each a second apart in the feed's order (validators warn otherwise).
func TestAtomUpdatedUnique(t *testing.T) {
	f := sample()
	for i := range 3 {
		f.Entries = append(f.Entries, Entry{ID: fmt.Sprint("https://example.org/s/", i), URL: "https://example.org/", Title: "Same day", Published: published})
	}
	out, err := Atom(f)
	feed := parseXML(t, out, err)
	var got []string
	for _, it := range feed.Items[2:] {
		got = append(got, it.UpdatedParsed.Sub(published).String())
	}
	if strings.Join(got, " ") != "0s 1s 2s" {
		t.Errorf("updated, after the day's start: %v", got)
	}
}

func TestJSONFeed(t *testing.T) {
	out, err := JSONFeed(sample())
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["version"] != "https://jsonfeed.org/version/1.1" {
		t.Errorf("version = %v", raw["version"])
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, out)
	}
	if f.FeedType != "json" || f.Title != "OT site" || f.FeedLink != "https://example.org/atom.xml" || len(f.Items) != 2 {
		t.Fatalf("feed = %q %q %q %d", f.FeedType, f.Title, f.FeedLink, len(f.Items))
	}
	if it := f.Items[0]; it.Title != "Denis" || it.Content != "Small steps & a kitchen." || len(it.Categories) != 1 || it.Categories[0] != "Rehab potential" {
		t.Errorf("item = %+v", it)
	}
	if e := f.Items[1]; len(e.Enclosures) != 1 || e.Enclosures[0].Type != "audio/mpeg" {
		t.Errorf("attachment = %+v", e.Enclosures)
	}
	// a feed with nothing in it is still a list, not null
	empty, _ := JSONFeed(Feed{Title: "x"})
	if !bytes.Contains(empty, []byte(`"items": []`)) {
		t.Errorf("empty feed: %s", empty)
	}
}
