package site_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/otpress/otpress/generator/internal/feed"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

func parseFeed(t *testing.T, s *sitetest.Site, name string) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().ParseString(s.Read(name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

// TestPodcastFeedOfSite checks the podcast feed against the site it comes
// from: the enclosure's length is the audio file's size as published, the
// guids follow their rule, and the people and transcripts are all there.
func TestPodcastFeedOfSite(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	f := parseFeed(t, s, "podcast.xml")
	self := "https://example.org/ot/podcast.xml"
	guid := feed.PodcastGUID(self)
	if got := f.Extensions["podcast"]["guid"]; len(got) != 1 || got[0].Value != guid {
		t.Errorf("podcast:guid = %+v; want %s (from the feed's address)", got, guid)
	}
	// without a guid in site.toml, the build says which one to keep
	if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, `add guid = "`+guid+`" under [podcast]`) {
		t.Errorf("warnings do not suggest the guid:\n%s", w)
	}
	if len(f.Items) != 1 {
		t.Fatalf("%d items; want the one episode with audio", len(f.Items))
	}
	it := f.Items[0]
	fi, err := os.Stat(filepath.Join(s.Out, "episodes", "ep1", "audio.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	if len(it.Enclosures) != 1 || it.Enclosures[0].Length != strconv.FormatInt(fi.Size(), 10) || it.Enclosures[0].URL != "https://example.org/ot/episodes/ep1/audio.mp3" {
		t.Errorf("enclosure = %+v; want the published file, %d bytes", it.Enclosures, fi.Size())
	}
	if it.GUID != feed.EpisodeGUID(guid, "/episodes/ep1/") {
		t.Errorf("guid = %s; want the episode's path under the show's guid", it.GUID)
	}
	var people []string
	for _, p := range it.Extensions["podcast"]["person"] {
		people = append(people, p.Attrs["role"]+":"+p.Value)
	}
	if strings.Join(people, ", ") != "host:Sam Host, guest:Zoe Phillips, guest:Denis" {
		t.Errorf("people = %v", people)
	}
	if ch := it.Extensions["podcast"]["chapters"]; len(ch) != 1 || ch[0].Attrs["url"] != "https://example.org/ot/episodes/ep1/chapters.json" {
		t.Errorf("chapters = %+v", ch)
	}
	var types []string
	for _, tr := range it.Extensions["podcast"]["transcript"] {
		types = append(types, tr.Attrs["type"])
	}
	if strings.Join(types, " ") != "text/vtt text/html text/plain" {
		t.Errorf("transcript types = %v", types)
	}
	// the plain-text transcript: times, speakers, and chapter titles above their paragraphs
	if got := s.Read("episodes/ep1/transcript.txt"); !strings.Contains(got, "Rebuilding lives\nTranscript of Test OT site\nhttps://example.org/ot/episodes/ep1/\n\nWelcome\n\n[0:00] Sam Host: Hello, and welcome.\n") ||
		!strings.Contains(got, "\nThe hoist goes back\n\n[1:23] Zoe Phillips: The hoist went back to the store in the spring.\n") {
		t.Errorf("transcript.txt:\n%s", got)
	}
	// the Podcasting 2.0 HTML transcript, a document of its own
	if got := s.Read("episodes/ep1/transcript.html"); !strings.Contains(got, "<h1>Transcript: Rebuilding lives</h1>\n<h2>Welcome</h2>\n<cite>Sam Host:</cite>\n<time datetime=\"PT0S\">0:00</time>\n<p>Hello, and welcome.</p>\n") ||
		!strings.Contains(got, "<h2>The hoist goes back</h2>\n<cite>Zoe Phillips:</cite>\n<time datetime=\"PT83S\">1:23</time>\n<p>The hoist went back to the store in the spring.</p>\n</main>") ||
		!strings.HasPrefix(got, "<!doctype html>\n<html lang=\"en-GB\">") {
		t.Errorf("transcript.html:\n%s", got)
	}
	s.AssertExists("episodes/ep1/chapters.json", "atom.xml", "feed.json", "stories/atom.xml", "episodes/atom.xml", "features/atom.xml", "themes/rehab-potential/atom.xml")

	// a SubRip transcript: read, published as it is, named in the feed as
	// captions of its type; a JSON one likewise, not as captions
	srt := "1\n00:00:00,000 --> 00:00:02,000\nHello, and welcome.\n\n2\n00:00:02,000 --> 00:01:23,000\nDenis had been in bed for more than a year.\n"
	js := `{"version": "1.0.0", "segments": [{"speaker": "Sam Host", "startTime": 0, "endTime": 2, "body": "Hello, and welcome."}]}`
	for _, c := range []struct{ file, data, typ, rel, label string }{
		{"transcript.srt", srt, "application/x-subrip", "captions", "SubRip, for captions"},
		{"transcript.json", js, "application/json", "", "Podcasting 2.0 JSON"},
	} {
		s.Edit("content/episodes/ep1/"+c.file, c.data)
		s.Edit("content/episodes/ep1/index.md", strings.Replace(readFixtureFile(t, s, "content/episodes/ep1/index.md"), "transcript: transcript.vtt", "transcript: "+c.file, 1)).Rebuild()
		tr := parseFeed(t, s, "podcast.xml").Items[0].Extensions["podcast"]["transcript"]
		if len(tr) != 3 || tr[0].Attrs["type"] != c.typ || tr[0].Attrs["rel"] != c.rel || tr[0].Attrs["url"] != "https://example.org/ot/episodes/ep1/"+c.file {
			t.Errorf("%s: transcripts %+v", c.file, tr)
		}
		page := s.Read("episodes/ep1/index.html")
		if !strings.Contains(page, "Hello, and welcome.") || !strings.Contains(page, "("+c.label+")") {
			t.Errorf("%s: the page does not show the transcript, or its download as %s", c.file, c.label)
		}
		s.AssertExists("episodes/ep1/" + c.file)
		s.Edit("content/episodes/ep1/index.md", strings.Replace(readFixtureFile(t, s, "content/episodes/ep1/index.md"), "transcript: "+c.file, "transcript: transcript.vtt", 1))
	}
	s.Rebuild()

	// ruby in a cue is kept as ruby on the page and in the HTML transcript
	s.Edit("content/episodes/ep1/transcript.vtt", strings.Replace(readFixtureFile(t, s, "content/episodes/ep1/transcript.vtt"), "Hello, and welcome.", "Hello, <ruby>漢字<rt>かんじ</rt></ruby> &amp; welcome.", 1)).Rebuild()
	for _, f := range []string{"episodes/ep1/index.html", "episodes/ep1/transcript.html"} {
		if got := s.Read(f); !strings.Contains(got, "Hello, <ruby>漢字<rt>かんじ</rt></ruby> &amp; welcome.") {
			t.Errorf("%s does not keep the ruby", f)
		}
	}
	if got := s.Read("episodes/ep1/transcript.txt"); !strings.Contains(got, "Hello, 漢字 (かんじ) & welcome.") {
		t.Errorf("transcript.txt:\n%s", got)
	}

	// an episode's own guid wins, and never changes with its address
	s.Edit("content/episodes/ep1/index.md", strings.Replace(readFixtureFile(t, s, "content/episodes/ep1/index.md"), "episode: 72", "guid: my-episode-72\nepisode: 72", 1)).Rebuild()
	if got := parseFeed(t, s, "podcast.xml").Items[0].GUID; got != "my-episode-72" {
		t.Errorf("guid = %s; want the front matter's", got)
	}
}

func readFixtureFile(t *testing.T, s *sitetest.Site, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.Dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFeedsWellFormed runs libxml2's xmllint over every XML file the build
// writes (tests/run.sh installs it).
func TestFeedsWellFormed(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	var files []string
	filepath.WalkDir(s.Out, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".xml") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 8 {
		t.Fatalf("only %d XML files: %v", len(files), files)
	}
	if out, err := exec.Command("xmllint", append([]string{"--noout"}, files...)...).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, out)
	}
}

func TestFeedLinksInPages(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	s.AssertFileContains("episodes/ep1/index.html", `
		<link rel="alternate" type="application/atom&#43;xml" title="Test OT site: everything new" href="/ot/atom.xml">
		<link rel="alternate" type="application/atom&#43;xml" title="Test OT site: Episodes" href="/ot/episodes/atom.xml">
		<link rel="alternate" type="application/rss&#43;xml" title="Test OT site (podcast)" href="/ot/podcast.xml">
	`)
	s.AssertFileContains("themes/rehab-potential/index.html", `
		<link rel="alternate" type="application/atom&#43;xml" title="Test OT site: Rehab potential" href="/ot/themes/rehab-potential/atom.xml">
		! podcast.xml
	`)
	s.AssertFileContains("stories/index.html", `
		href="/ot/stories/atom.xml"
		! podcast.xml
	`)
	// every feed parses, and the site-wide ones hold every kind of item
	for _, name := range []string{"atom.xml", "feed.json", "themes/rehab-potential/atom.xml", "stories/atom.xml"} {
		f := parseFeed(t, s, name)
		if len(f.Items) == 0 {
			t.Errorf("%s has no items", name)
		}
	}
	// a wider theme's feed has the items of its narrower themes too, newest first
	if f := parseFeed(t, s, "themes/personalised-care/atom.xml"); len(f.Items) == 0 || f.Items[0].Link != "https://example.org/ot/stories/denis/" {
		t.Errorf("personalised-care feed: %d items, first %v", len(f.Items), f.Items)
	}
	if n := len(parseFeed(t, s, "atom.xml").Items); n != 5 {
		t.Errorf("atom.xml has %d items; want all 5", n)
	}
	// the limit keeps the newest
	s.Edit("site.toml", strings.Replace(readFixtureFile(t, s, "site.toml"), "[podcast]", "[feeds]\nlimit = 2\n\n[podcast]", 1)).Rebuild()
	f := parseFeed(t, s, "atom.xml")
	if len(f.Items) != 2 || f.Items[0].PublishedParsed.Before(*f.Items[1].PublishedParsed) {
		t.Errorf("with limit 2: %d items, newest first?", len(f.Items))
	}
}

func cover(t *testing.T, w, h int) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPodcastCoverArt(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	toml := strings.Replace(readFixtureFile(t, s, "site.toml"), `image = "https://example.org/cover.png"`, `image = "/cover.png"`, 1)
	s.Edit("site.toml", toml).Edit("static/cover.png", cover(t, 1400, 1400)).Rebuild()
	if s.Err != nil || strings.Contains(strings.Join(s.Warnings(), "\n"), "cover art") {
		t.Errorf("a good cover: %v %v", s.Err, s.Warnings())
	}
	if f := parseFeed(t, s, "podcast.xml"); f.ITunesExt.Image != "https://example.org/ot/cover.png" {
		t.Errorf("itunes:image = %q", f.ITunesExt.Image)
	}
	s.Edit("static/cover.png", cover(t, 1400, 800)).Rebuild()
	if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, "static/cover.png: warning: the podcast cover art is 1400×800 pixels; Apple Podcasts wants a square of 1400 to 3000 pixels") {
		t.Errorf("warnings:\n%s", w)
	}
	var grey bytes.Buffer
	if err := png.Encode(&grey, image.NewGray(image.Rect(0, 0, 1400, 1400))); err != nil {
		t.Fatal(err)
	}
	s.Edit("static/cover.png", grey.String()).Rebuild()
	if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, "static/cover.png: warning: the podcast cover art is in greyscale; Apple Podcasts wants RGB") {
		t.Errorf("warnings:\n%s", w)
	}
	s.Edit("site.toml", strings.Replace(toml, "/cover.png", "/missing.png", 1)).Rebuild()
	if p := strings.Join(s.Problems(), "\n"); !strings.Contains(p, "the podcast image /missing.png is not in static/ or content/") {
		t.Errorf("problems:\n%s", p)
	}
}

func TestChaptersAndTranscriptChecks(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	ep := readFixtureFile(t, s, "content/episodes/ep1/index.md")
	for _, tc := range []struct{ name, from, to, want string }{
		{"out of order", `{start: "01:23", title: The hoist goes back`, `{start: "00:00", title: The hoist goes back`, `content/episodes/ep1/index.md:12:13: chapter 2 starts at 00:00, not after chapter 1`},
		{"not a time", `{start: "01:23"`, `{start: "soon"`, `content/episodes/ep1/index.md:12:13: chapter start "soon" is not a time`},
		{"no title", `title: Welcome}`, `title: ""}`, `content/episodes/ep1/index.md:11:5: chapter 1 has no title`},
		{"after the end", `duration: "01:02:03"`, `duration: "00:01:00"`, `the last chapter starts at 1:23, after the episode ends (1:00)`},
		{"missing file", "chapters:\n", "chapters: chapters.json\nx:\n", `chapters file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.Edit("content/episodes/ep1/index.md", strings.Replace(ep, tc.from, tc.to, 1)).Rebuild()
			if p := strings.Join(s.Problems(), "\n"); !strings.Contains(p, tc.want) {
				t.Errorf("problems:\n%s\nwant %q", p, tc.want)
			}
		})
	}
	// a chapters file of its own, with a mistake on its third line
	withFile := strings.Replace(ep, "chapters:\n  - {start: \"00:00\", title: Welcome}\n  - {start: \"01:23\", title: The hoist goes back, url: \"https://example.org/hoists\"}\n", "chapters: chapters.json\n", 1)
	s.Edit("content/episodes/ep1/index.md", withFile).Edit("content/episodes/ep1/chapters.json", "{\"version\": \"1.2.0\",\n \"chapters\": [\n  {\"startTime\": 0, \"title\": \"Welcome\",}\n ]}\n").Rebuild()
	if p := strings.Join(s.Problems(), "\n"); !strings.Contains(p, "content/episodes/ep1/chapters.json:3:40: the chapters file is not valid") {
		t.Errorf("problems:\n%s", p)
	}
	s.Edit("content/episodes/ep1/chapters.json", `{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Welcome"}, {"startTime": 83.5, "title": "The hoist"}, {"startTime": 85, "title": "hidden", "toc": false}]}`).Rebuild()
	if s.Err != nil {
		t.Fatalf("build: %v", s.Err)
	}
	s.AssertFileContains("episodes/ep1/index.html", `
		<a href="#ch-2">The hoist</a>
		! >hidden<
	`)
	if got := parseFeed(t, s, "podcast.xml").Items[0].Extensions["podcast"]["chapters"][0].Attrs["url"]; got != "https://example.org/ot/episodes/ep1/chapters.json" {
		t.Errorf("chapters url = %s", got)
	}
	// far fewer words than the length suggests: a warning on the transcript line
	if err := os.Remove(filepath.Join(s.Dir, "content/episodes/ep1/chapters.json")); err != nil {
		t.Fatal(err)
	}
	s.Edit("content/episodes/ep1/index.md", ep).Rebuild()
	if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, "content/episodes/ep1/index.md:9:13: warning: the transcript has 38 words for 1:02:03 of audio (1 a minute), which suggests parts are missing") {
		t.Errorf("warnings:\n%s", w)
	}
}

func TestSitemapLastMod(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	denis := readFixtureFile(t, s, "content/stories/denis/index.md")
	s.Edit("content/stories/denis/index.md", strings.Replace(denis, "date: 2026-11-23\n", "date: 2026-11-23\nupdated: 2026-12-01\n", 1)).Rebuild()
	sitemap := regexp.MustCompile(`>\s+<`).ReplaceAllString(s.Read("sitemap.xml"), "><")
	for _, want := range []string{
		"<loc>https://example.org/ot/stories/denis/</loc><lastmod>2026-12-01</lastmod>",          // the page itself
		"<loc>https://example.org/ot/</loc><lastmod>2026-12-01</lastmod>",                        // the home page lists it
		"<loc>https://example.org/ot/themes/rehab-potential/</loc><lastmod>2026-12-01</lastmod>", // and so does its theme
		"<loc>https://example.org/ot/themes/social-prescribing/</loc><lastmod>2019-02-01</lastmod>",
	} {
		if !strings.Contains(sitemap, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	s.Edit("content/stories/denis/index.md", strings.Replace(denis, "date: 2026-11-23\n", "date: 2026-11-23\nupdated: 2026-01-01\n", 1)).Rebuild()
	if p := strings.Join(s.Problems(), "\n"); !strings.Contains(p, "updated 2026-01-01 is before date 2026-11-23") {
		t.Errorf("problems:\n%s", p)
	}
}

// jsonLD returns the page's structured data graph, by @type.
func jsonLD(t *testing.T, s *sitetest.Site, page string) map[string]map[string]any {
	t.Helper()
	html := s.Read(page)
	m := regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("%s has no JSON-LD", page)
	}
	if !json.Valid([]byte(m[1])) {
		t.Fatalf("%s: JSON-LD is not valid JSON: %s", page, m[1])
	}
	var doc struct {
		Context string           `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(m[1]), &doc); err != nil || doc.Context != "https://schema.org" {
		t.Fatalf("%s: %v %q", page, err, doc.Context)
	}
	out := map[string]map[string]any{}
	for _, n := range doc.Graph {
		out[n["@type"].(string)] = n
	}
	return out
}

// get walks a JSON value by keys and list indexes ("associatedMedia", "caption", "contentUrl").
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func TestStructuredData(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	ep := jsonLD(t, s, "episodes/ep1/index.html")["PodcastEpisode"]
	for _, c := range []struct {
		path []any
		want any
	}{
		{[]any{"name"}, "Rebuilding lives"},
		{[]any{"url"}, "https://example.org/ot/episodes/ep1/"},
		{[]any{"episodeNumber"}, 72.0},
		{[]any{"datePublished"}, "2026-11-23T10:30:00Z"},
		{[]any{"partOfSeries", "@type"}, "PodcastSeries"},
		{[]any{"partOfSeries", "webFeed"}, "https://example.org/ot/podcast.xml"},
		{[]any{"associatedMedia", "@type"}, "AudioObject"},
		{[]any{"associatedMedia", "contentUrl"}, "https://example.org/ot/episodes/ep1/audio.mp3"},
		{[]any{"associatedMedia", "duration"}, "PT1H2M3S"},
		{[]any{"associatedMedia", "caption", "encodingFormat"}, "text/vtt"},
		{[]any{"actor", 1, "name"}, "Zoe Phillips"},
		{[]any{"hasPart", 1, "@type"}, "Clip"},
		{[]any{"hasPart", 1, "startOffset"}, 83.0},
		{[]any{"hasPart", 1, "endOffset"}, 3723.0},
		{[]any{"hasPart", 1, "url"}, "https://example.org/ot/episodes/ep1/#ch-2"},
	} {
		if got := get(ep, c.path...); got != c.want {
			t.Errorf("episode %v = %v; want %v", c.path, got, c.want)
		}
	}
	feature := jsonLD(t, s, "features/phb/index.html")
	art := feature["Article"]
	for _, c := range []struct {
		path []any
		want any
	}{
		{[]any{"headline"}, "Personal health budgets"},
		{[]any{"isPartOf", "@type"}, "PublicationIssue"},
		{[]any{"isPartOf", "issueNumber"}, "April 2019"},
		{[]any{"isPartOf", "isPartOf", "@type"}, "Periodical"},
		{[]any{"isPartOf", "isPartOf", "name"}, "OTnews"},
		{[]any{"pageStart"}, "15"},
		{[]any{"isBasedOn", 0, "name"}, "Personalised care"},
	} {
		if got := get(art, c.path...); got != c.want {
			t.Errorf("feature %v = %v; want %v", c.path, got, c.want)
		}
	}
	if crumbs := get(feature["BreadcrumbList"], "itemListElement"); len(crumbs.([]any)) != 3 || get(crumbs, 2, "item") != "https://example.org/ot/features/phb/" || get(crumbs, 1, "name") != "Features" {
		t.Errorf("breadcrumbs = %v", crumbs)
	}
	story := jsonLD(t, s, "stories/denis/index.html")["Article"]
	if get(story, "author", 1, "name") != "A. Writer" || get(story, "image", "@type") != "ImageObject" {
		t.Errorf("story = %v", story)
	}
	// its sources: what it is based on, what it cites in front matter
	// and in its text alone, each pointing at its entry in /sources/
	for _, c := range []struct {
		path []any
		want any
	}{
		{[]any{"citation", 0, "@type"}, "PodcastEpisode"},
		{[]any{"citation", 0, "@id"}, "https://example.org/ot/sources/#iaap-72"},
		{[]any{"citation", 0, "partOfSeries", "name"}, "It's All About People"},
		{[]any{"citation", 0, "episodeNumber"}, "72"},
		{[]any{"isBasedOn", 0, "@id"}, "https://example.org/ot/sources/#iaap-72"},
		{[]any{"citation", 1, "@type"}, "Report"},
		{[]any{"citation", 1, "author", 0, "@type"}, "Organization"},
		{[]any{"citation", 2, "@type"}, "ScholarlyArticle"},
		{[]any{"citation", 2, "sameAs"}, "https://doi.org/10.1177/0000000000000001"},
		{[]any{"citation", 2, "pageStart"}, "3"},
		{[]any{"citation", 2, "pageEnd"}, "4"},
	} {
		if got := get(story, c.path...); got != c.want {
			t.Errorf("story %v = %v; want %v", c.path, got, c.want)
		}
	}
	if n := len(get(story, "isBasedOn").([]any)); n != 1 {
		t.Errorf("story is based on %d works; want 1", n)
	}
	if home := jsonLD(t, s, "index.html")["WebSite"]; get(home, "potentialAction", "target") != "https://example.org/ot/search/?q={search_term_string}" {
		t.Errorf("home = %v", home)
	}
	s.AssertFileContains("stories/denis/index.html", `
		<meta property="og:image" content="https://example.org/ot/stories/denis/photo.svg">
		<meta property="og:image:alt" content="Denis standing at his kitchen door">
		<meta name="twitter:card" content="summary_large_image">
	`)
	s.AssertFileContains("episodes/ep1/index.html", `
		<meta property="og:audio" content="https://example.org/ot/episodes/ep1/audio.mp3">
		<meta property="og:audio:type" content="audio/mpeg">
		<meta property="article:section" content="Episode">
		# an episode without a picture of its own is shared with the show's cover art
		<meta property="og:image" content="https://example.org/cover.png">
		<meta property="og:image:alt" content="Cover art of Test OT site">
	`)
}

// picture is a PNG of w×h pixels, opaque, its left half red and its right
// half blue.
func picture(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: 0xff, A: 0xff}
			if x >= w/2 {
				c = color.NRGBA{B: 0xff, A: 0xff}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// decodePNG reads a PNG the build wrote.
func decodePNG(t *testing.T, s *sitetest.Site, name string) image.Image {
	t.Helper()
	img, err := png.Decode(strings.NewReader(s.Read(name)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return img
}

// TestFeedIcon: the feeds' icon is a 512×512 PNG made from the podcast's
// cover art (else the logo), their favicon 64×64; a picture that is not
// square is shown whole on a transparent square, and one smaller than
// 512 is not enlarged, each with a warning at its setting.
func TestFeedIcon(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "everything"))
	// the cover on another site: the theme's favicon.svg, as before
	s.Rebuild()
	if f := parseFeed(t, s, "feed.json"); f.Image == nil || f.Image.URL != "https://example.org/ot/favicon.svg" {
		t.Errorf("icon without a picture of the site's own: %+v", f.Image)
	}
	for _, name := range []string{"feed-icon.png", "feed-favicon.png"} {
		if _, err := os.Stat(filepath.Join(s.Out, name)); err == nil {
			t.Errorf("%s made without a picture to make it from", name)
		}
	}

	toml := strings.Replace(readFixtureFile(t, s, "site.toml"), `image = "https://example.org/cover.png"`, `image = "/cover.png"`, 1)
	s.Edit("site.toml", toml).Edit("static/cover.png", picture(t, 1400, 1400)).Rebuild()
	if s.Err != nil || strings.Contains(strings.Join(s.Warnings(), "\n"), "icon") {
		t.Fatalf("a good cover: %v %v", s.Err, s.Warnings())
	}
	for name, side := range map[string]int{"feed-icon.png": 512, "feed-favicon.png": 64} {
		img := decodePNG(t, s, name)
		if b := img.Bounds(); b.Dx() != side || b.Dy() != side {
			t.Errorf("%s is %v; want %d×%d", name, b, side, side)
		}
		// scaled, not cut: red on the left, blue on the right, to the edges
		if r, _, b, a := img.At(1, side/2).RGBA(); r>>8 < 0xf0 || b>>8 > 0x10 || a>>8 != 0xff {
			t.Errorf("%s: left edge %x %x %x", name, r, b, a)
		}
		if r, _, b, a := img.At(side-2, side/2).RGBA(); b>>8 < 0xf0 || r>>8 > 0x10 || a>>8 != 0xff {
			t.Errorf("%s: right edge %x %x %x", name, r, b, a)
		}
	}
	var raw struct{ Icon, Favicon string }
	if err := json.Unmarshal([]byte(s.Read("feed.json")), &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Icon != "https://example.org/ot/feed-icon.png" || raw.Favicon != "https://example.org/ot/feed-favicon.png" {
		t.Errorf("feed.json: icon %q, favicon %q", raw.Icon, raw.Favicon)
	}
	s.AssertFileContains("atom.xml", "<icon>https://example.org/ot/feed-icon.png</icon>")
	s.AssertFileContains("themes/rehab-potential/atom.xml", "<icon>https://example.org/ot/feed-icon.png</icon>")

	// without a cover of its own, a logo in PNG: not square, shown whole
	// (at the host's root: a logo under a base path is refused, links.go)
	noCover := strings.Replace(strings.Replace(toml, "https://example.org/ot/", "https://example.org/", 1), `image = "/cover.png"`, `image = "https://example.org/cover.png"`, 1)
	withLogo := strings.Replace(noCover, "[podcast]", "logo = \"/logo.png\"\n\n[podcast]", 1)
	line := strings.Count(withLogo[:strings.Index(withLogo, "logo =")], "\n") + 1
	s.Edit("site.toml", withLogo).Edit("static/logo.png", picture(t, 800, 400)).Rebuild()
	want := "site.toml:" + strconv.Itoa(line) + ":1: warning: static/logo.png is 800×400 pixels, not square; the feeds' icon shows it whole, centred on a transparent square"
	if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, want) || !strings.Contains(w, want+"; crop it to a square of at least 512×512 pixels") {
		t.Errorf("warnings do not say %q with its fix:\n%s", want, w)
	}
	img := decodePNG(t, s, "feed-icon.png")
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("icon of an 800×400 logo is %v", b)
	}
	for _, p := range []struct {
		x, y  int
		alpha uint32
	}{{256, 5, 0}, {256, 506, 0}, {5, 256, 0xff}, {506, 256, 0xff}, {256, 130, 0xff}, {256, 381, 0xff}} {
		if _, _, _, a := img.At(p.x, p.y).RGBA(); a>>8 != p.alpha {
			t.Errorf("icon at %d,%d: alpha %x; want %x (the logo 512×256 across the middle)", p.x, p.y, a>>8, p.alpha)
		}
	}

	// a small logo: not enlarged
	s.Edit("static/logo.png", picture(t, 300, 300)).Rebuild()
	want = "site.toml:" + strconv.Itoa(line) + ":1: warning: static/logo.png is 300×300 pixels; the feeds' icon should be 512×512, so it is only 300 pixels a side (pictures are not enlarged)"
	if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, want) {
		t.Errorf("warnings do not say %q:\n%s", want, w)
	}
	if b := decodePNG(t, s, "feed-icon.png").Bounds(); b.Dx() != 300 || b.Dy() != 300 {
		t.Errorf("icon of a 300×300 logo is %v", b)
	}
	if b := decodePNG(t, s, "feed-favicon.png").Bounds(); b.Dx() != 64 || b.Dy() != 64 {
		t.Errorf("favicon of a 300×300 logo is %v", b)
	}

	// a file of the site's own where the icon goes: both named
	s.Edit("static/feed-icon.png", picture(t, 10, 10)).Rebuild()
	if s.Err == nil || !strings.Contains(strings.Join(s.Problems(), "\n"), "feed-icon.png") {
		t.Errorf("static/feed-icon.png beside the build's: %v\n%s", s.Err, strings.Join(s.Problems(), "\n"))
	}
}
