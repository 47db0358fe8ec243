package site

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/color"
	_ "image/jpeg" // cover art sizes
	_ "image/png"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/feed"
	"github.com/otpress/otpress/generator/internal/render"
	"github.com/otpress/otpress/generator/internal/vtt"
)

// hasPodcast says whether the site has episodes with audio, and so a
// podcast feed.
func hasPodcast(lib *content.Library) bool {
	return slices.ContainsFunc(lib.Items, func(it *content.Item) bool { return it.Episode != nil && it.Episode.Audio != nil })
}

// feeds writes the podcast feed, the site's Atom and JSON feeds, an Atom
// feed per section and per theme, and the chapters files of episodes whose
// chapters are in front matter. Item summaries come from the cards the item
// pages made, so this step runs after them.
func (b *builder) feeds(emit func(job)) {
	if hasPodcast(b.lib) {
		emit(b.podcastFeed)
	}
	emit(b.siteFeeds)
	for _, k := range content.Kinds {
		emit(func() {
			p := render.SectionFeedPath(k)
			f := b.feedOf(false, b.rnd.Words().Must("kinds."+string(k)), "", "/"+k.Section()+"/", p, b.byKind[k])
			b.writeFeed(p, func() ([]byte, error) { return feed.Atom(f) })
		})
	}
	for _, th := range b.themes.Themes {
		if th.Count() == 0 {
			continue
		}
		emit(func() {
			items := newest(th.Items, th.Inherited, b.cfg.Feeds.Limit)
			p := render.ThemeFeedPath(th)
			f := b.feedOf(false, th.Title, th.Summary, th.Path(), p, items)
			b.writeFeed(p, func() ([]byte, error) { return feed.Atom(f) })
		})
	}
	for _, it := range b.byKind[content.Episode] {
		if e := it.Episode; len(e.Chapters) > 0 && e.ChaptersFile == "" {
			emit(func() { b.chaptersJSON(it) })
		}
		if len(it.Episode.Paragraphs) > 0 {
			emit(func() { b.transcriptText(it) })
			emit(func() { b.transcriptHTML(it) })
		}
	}
}

// transcriptText writes an episode's transcript as plain text, for readers
// who want it in a document of their own: title, then each paragraph with
// its time and speaker, under its chapter's title.
func (b *builder) transcriptText(it *content.Item) {
	b.transcript(it, render.TranscriptTextName, "text", func(e *content.EpisodeFields) string {
		var t strings.Builder
		fmt.Fprintf(&t, "%s\n%s\n%s\n", it.Title, b.rnd.Words().Must("feeds.transcript_of", "Show", b.cfg.Podcast.Title), b.cfg.URL(it.Path))
		for _, p := range e.Paragraphs {
			if c := chapterOf(e, p); c != nil {
				fmt.Fprintf(&t, "\n%s\n", c.Title)
			}
			t.WriteString("\n[" + vtt.Clock(p.Start) + "] ")
			if p.Speaker != "" {
				t.WriteString(p.Speaker + ": ")
			}
			t.WriteString(p.Text + "\n")
		}
		return t.String()
	})
}

// transcriptHTML writes an episode's transcript in the Podcasting 2.0 HTML
// transcript format (a <cite> for each speaker, a <time> and a <p> for
// each paragraph), as a page of its own that podcast apps fetch, with the
// chapters' titles as headings.
func (b *builder) transcriptHTML(it *content.Item) {
	b.transcript(it, render.TranscriptHTMLName, "HTML", func(e *content.EpisodeFields) string {
		esc := html.EscapeString
		var t strings.Builder
		title := b.rnd.Words().Must("feeds.transcript_title", "Title", it.Title)
		fmt.Fprintf(&t, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>%s</title>\n<link rel=\"canonical\" href=\"%s\">\n</head>\n<body>\n<main>\n<h1>%s</h1>\n",
			esc(b.cfg.Language), esc(title), esc(b.cfg.URL(it.Path+render.TranscriptHTMLName)), esc(title))
		for _, p := range e.Paragraphs {
			if c := chapterOf(e, p); c != nil {
				fmt.Fprintf(&t, "<h2>%s</h2>\n", esc(c.Title))
			}
			if p.Speaker != "" {
				fmt.Fprintf(&t, "<cite>%s:</cite>\n", esc(p.Speaker))
			}
			fmt.Fprintf(&t, "<time datetime=\"PT%dS\">%s</time>\n<p>%s</p>\n", int(p.Start/time.Second), vtt.Clock(p.Start), cmp.Or(p.HTML, esc(p.Text)))
		}
		t.WriteString("</main>\n</body>\n</html>\n")
		return t.String()
	})
}

// transcript writes a transcript the build makes next to an episode's
// page, as text makes it, unless the episode has a file of that name itself; in a
// Session, only when the episode changed since the last run.
func (b *builder) transcript(it *content.Item, name, kind string, text func(*content.EpisodeFields) string) {
	out := strings.TrimPrefix(it.Path, "/") + name
	in := &inputs{items: []*content.Item{it}}
	if b.plan != nil && b.plan.same(out, in) {
		return
	}
	if slices.Contains(it.Assets, name) {
		b.probs.Add(diag.Errorf(it.File, 0, 0, "the episode has a file %s, the name of the %s transcript the build writes", name, kind).
			WithHint("rename or delete the file; the build makes it from the episode's transcript"))
		return
	}
	made := func() []byte {
		transcriptsMade.Add(1)
		return []byte(text(it.Episode))
	}
	if key, ok := b.transcriptKey(it, name); ok {
		if err := b.putMade(out, key, func() ([]byte, error) { return made(), nil }); err != nil {
			b.fail(err)
		}
		return
	}
	if err := b.putFileFrom(out, made(), true, in); err != nil {
		b.fail(err)
	}
}

// transcriptsMade counts the transcript files made (not kept from the
// last build), for tests.
var transcriptsMade atomic.Int64

// transcriptKey is, in a build that keeps its pages, what the episode's
// transcript file called name (text or HTML) is made from, so that a warm
// build links the last one without making it: the episode as read
// (Item.Sum: its file, its transcript's and chapters' bytes), and the
// site's words and addresses the file shows. ok is false for an episode
// not read through the cache, and in a Session, whose plan keeps its own
// account.
func (b *builder) transcriptKey(it *content.Item, name string) (key [32]byte, ok bool) {
	if b.plan != nil || b.warm == nil || b.warm.shelvesOnly || it.Sum == ([32]byte{}) {
		return key, false
	}
	w := b.rnd.Words()
	return render.Sum(struct {
		Name, Page, File, Lang, Show, Of, Title string
		Sum                                     [32]byte
	}{name, b.cfg.URL(it.Path), b.cfg.URL(it.Path + name), b.cfg.Language, b.cfg.Podcast.Title,
		w.Must("feeds.transcript_of", "Show", b.cfg.Podcast.Title), w.Must("feeds.transcript_title", "Title", it.Title), it.Sum}), true
}

// chapterOf is the chapter a paragraph of the transcript starts, as the
// episode's page heads it (vtt.Paragraphs starts one at each chapter; a
// chapter sharing its paragraph with an earlier one heads none), or nil.
func chapterOf(e *content.EpisodeFields, p vtt.Paragraph) *content.Chapter {
	if c := p.Break - 1; c >= 0 && c < len(e.Chapters) {
		return &e.Chapters[c]
	}
	return nil
}

// maxFullTexts is how many of the newest items the site's feeds carry
// whole at most, whatever [feeds] limit lists: a feed reader fetches the
// feed again and again, and 50 texts of a generated site make feed.json
// 580 KB (57 KB gzipped); the rest of a longer feed carry their summaries.
const maxFullTexts = 50

// fullTexts is how many of the newest items the site's feeds carry whole.
func (b *builder) fullTexts() int {
	n := maxFullTexts
	if l := b.cfg.Feeds.Limit; l > 0 && l < n {
		n = l
	}
	return n
}

// inSiteFeed says whether the site's feeds (/atom.xml, /feed.json) carry
// it whole.
func (b *builder) inSiteFeed(it *content.Item) bool {
	i, ok := b.ord[it]
	return ok && i < b.fullTexts()
}

// siteFeeds writes /atom.xml and /feed.json: the newest items, the first
// of them whole (fullTexts). Their bytes are their fingerprint in a plan
// (putFile), so a text edited shows in them; a Session's text-only update
// writes them again when it edits one (Session.textOnly).
func (b *builder) siteFeeds() {
	f := b.feedOf(true, "", b.cfg.Description, "/", render.AtomPath, b.lib.Items)
	b.writeFeed(render.AtomPath, func() ([]byte, error) { return feed.Atom(f) })
	f.URL = b.cfg.URL(render.JSONFeedPath)
	b.writeFeed(render.JSONFeedPath, func() ([]byte, error) { return feed.JSONFeed(f) })
}

// feedText is an item's text as the site's feeds carry it: the one its
// page rendered (itemText), or in a Session whose kept text was rendered
// before the item was among the newest, rendered again.
func (b *builder) feedText(it *content.Item) string {
	if v, ok := b.feedHTML.Load(it); ok {
		return v.(string)
	}
	if b.kept == nil {
		return "" // its page was not made: a problem, reported
	}
	text, err := feed.AbsoluteHTML(string(b.html(it)), b.cfg.URL(it.Path))
	if err != nil {
		b.fail(err)
		return ""
	}
	if !b.reread.Load() { // else the update is a full build
		b.feedHTML.Store(it, text) // for text-only updates after this run
	}
	return text
}

// feedOf is a feed of items (newest first), cut to the configured limit;
// whole, the first fullTexts carry their text.
func (b *builder) feedOf(whole bool, title, description, home, self string, items []*content.Item) feed.Feed {
	if n := b.cfg.Feeds.Limit; n > 0 && len(items) > n {
		items = items[:n]
	}
	f := feed.Feed{
		ID:          b.cfg.URL(self),
		Title:       b.rnd.FeedTitle(title),
		Description: cmp.Or(description, b.cfg.Description),
		Home:        b.cfg.URL(home),
		URL:         b.cfg.URL(self),
		Language:    b.cfg.Language,
		Author:      b.cfg.Title,
		Rights:      b.cfg.Copyright,
		Generator:   "otpress",
		Icon:        b.icon.icon, // worked out by icons, before the feeds
		Favicon:     b.icon.favicon,
	}
	for i, it := range items {
		e := feed.Entry{
			ID:        b.cfg.URL(it.Path),
			URL:       b.cfg.URL(it.Path),
			Title:     it.Title,
			Summary:   b.card(it).Summary,
			Published: it.Date,
			Updated:   it.Updated,
			Authors:   it.Authors,
		}
		if whole && i < b.fullTexts() {
			e.HTML = b.feedText(it)
		}
		for _, th := range b.themes.Of(it) {
			e.Tags = append(e.Tags, feed.Tag{Term: th.Slug, Label: th.Title, Scheme: b.cfg.URL("/themes/")})
		}
		if ep := it.Episode; ep != nil && ep.Audio != nil {
			e.Audio = &feed.Attachment{URL: b.absolute(ep.Audio.Path), Type: ep.Audio.Type, Bytes: ep.Audio.Bytes, Duration: ep.Duration}
		}
		f.Entries = append(f.Entries, e)
	}
	return f
}

// writeFeed writes the feed encode makes to out.
func (b *builder) writeFeed(out string, encode func() ([]byte, error)) {
	data, err := encode()
	if err != nil {
		b.fail(fmt.Errorf("%s: %w", out, err))
		return
	}
	// written as encoded: the feeds are compact enough, and minifying every
	// theme's feed costs more than the few bytes it saves after gzip
	if err := b.putFile(strings.TrimPrefix(out, "/"), data, true); err != nil {
		b.fail(err)
	}
}

// absolute is the absolute URL of a site path, or the URL itself.
func (b *builder) absolute(p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	return b.cfg.URL(p)
}

// podcastFeed writes /podcast.xml: every episode with audio.
func (b *builder) podcastFeed() {
	pc := b.cfg.Podcast
	self := b.cfg.URL(render.PodcastPath)
	guid := pc.GUID
	if guid == "" {
		guid = feed.PodcastGUID(self)
		b.probs.Add(diag.Warnf(config.File, 0, 0, "the podcast's guid is worked out from the feed's address, so it would change if the site moved").
			WithHint("add guid = %q under [podcast] so podcast apps always know the show", guid))
	}
	p := feed.Podcast{
		FeedURL:     self,
		Title:       pc.Title,
		Link:        b.cfg.URL("/"),
		Description: pc.Description,
		Language:    b.cfg.Language,
		Copyright:   b.cfg.Copyright,
		Author:      pc.Author,
		OwnerName:   pc.OwnerName,
		OwnerEmail:  pc.OwnerEmail,
		Category:    pc.Category,
		Subcategory: pc.Subcategory,
		Explicit:    pc.Explicit,
		Type:        pc.Type,
		GUID:        guid,
		Locked:      pc.Locked,
		Generator:   "otpress",
	}
	for _, h := range pc.Hosts {
		p.Hosts = append(p.Hosts, feed.Person{Name: h, Role: "host"})
	}
	p.Image = b.coverArt(pc.Image)
	for _, it := range b.byKind[content.Episode] {
		e := it.Episode
		if e.Audio == nil {
			continue
		}
		ep := feed.Episode{
			GUID:        cmp.Or(e.GUID, feed.EpisodeGUID(guid, it.Path)),
			Title:       it.Title,
			Link:        b.cfg.URL(it.Path),
			Description: b.card(it).Summary,
			Published:   it.Date,
			AudioURL:    b.absolute(e.Audio.Path),
			AudioType:   e.Audio.Type,
			AudioBytes:  e.Audio.Bytes,
			Duration:    e.Duration,
			Number:      e.Number,
			Season:      e.Season,
		}
		if e.Transcript != "" {
			rel := ""
			if e.TranscriptType != string(vtt.JSON) {
				rel = "captions" // timed text a player shows as it plays
			}
			ep.Transcripts = []feed.Transcript{
				{URL: b.cfg.URL(e.Transcript), Type: e.TranscriptType, Language: b.cfg.Language, Rel: rel},
				{URL: b.cfg.URL(it.Path) + render.TranscriptHTMLName, Type: "text/html", Language: b.cfg.Language},
				{URL: b.cfg.URL(it.Path) + render.TranscriptTextName, Type: "text/plain", Language: b.cfg.Language},
			}
		}
		if len(e.Chapters) > 0 {
			ep.Chapters = b.cfg.URL(chaptersPath(it))
		}
		// an episode's people replace the show's, so its hosts come first
		if len(e.Hosts) == 0 {
			ep.People = slices.Clone(p.Hosts)
		}
		for _, h := range e.Hosts {
			ep.People = append(ep.People, feed.Person{Name: h.Name, Role: "host"})
		}
		for _, g := range e.Guests {
			ep.People = append(ep.People, feed.Person{Name: g.Name, Role: "guest"})
		}
		p.Episodes = append(p.Episodes, ep)
	}
	b.writeFeed(render.PodcastPath, func() ([]byte, error) { return feed.PodcastRSS(p) })
}

// coverArt checks the podcast's cover art and returns its URL. Apple
// Podcasts wants a square JPEG or PNG of 1400 to 3000 pixels a side.
func (b *builder) coverArt(src string) string {
	if src == "" {
		b.probs.Add(diag.Warnf(config.File, 0, 0, "the podcast has no cover art; Apple Podcasts and most apps will not list it without one").
			WithHint(`put a square PNG or JPEG of 1400 to 3000 pixels in static/ and add image = "/podcast-cover.png" under [podcast]`))
		return ""
	}
	if strings.Contains(src, "://") {
		return src
	}
	file := rootFile(b.fsys, src)
	if file == "" {
		b.probs.Add(diag.Errorf(config.File, 0, 0, "the podcast image %s is not in static/ or content/", src).
			WithHint("put the file at static%s, or correct image under [podcast]", src))
		return ""
	}
	f, err := b.fsys.Open(file)
	if err != nil {
		b.fail(err)
		return ""
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	switch {
	case err != nil:
		b.probs.Add(diag.Errorf(file, 0, 0, "the podcast cover art cannot be read as an image: %v", err).
			WithHint("save it again as a PNG or JPEG"))
	case !strings.EqualFold(strings.TrimPrefix(path.Ext(file), "."), format) && !(format == "jpeg" && strings.EqualFold(path.Ext(file), ".jpg")):
		b.probs.Add(diag.Warnf(file, 0, 0, "the podcast cover art is a %s image but its name ends in %s", strings.ToUpper(format), path.Ext(file)).
			WithHint("podcast apps trust the extension: rename the file or save it in the format its name says"))
	case cfg.Width != cfg.Height || cfg.Width < 1400 || cfg.Width > 3000:
		b.probs.Add(diag.Warnf(file, 0, 0, "the podcast cover art is %d×%d pixels; Apple Podcasts wants a square of 1400 to 3000 pixels", cfg.Width, cfg.Height).
			WithHint("resize it to 3000×3000 (or at least 1400×1400)"))
	}
	if err == nil {
		var space string
		switch cfg.ColorModel {
		case color.CMYKModel:
			space = "CMYK (colours for print)"
		case color.GrayModel, color.Gray16Model:
			space = "greyscale"
		}
		if space != "" {
			b.probs.Add(diag.Warnf(file, 0, 0, "the podcast cover art is in %s; Apple Podcasts wants RGB, and may refuse the show", space).
				WithHint("export it again as an RGB JPEG or PNG (in most editors: Image, Mode, RGB colour)"))
		}
	}
	return b.cfg.URL(src)
}

// rootFile finds the file a root-relative address ("/podcast-cover.png")
// is copied from: under static/, or else content/; "" when neither has it.
func rootFile(fsys fs.FS, src string) string {
	for _, root := range []string{content.StaticDir, content.Dir} {
		if p := path.Join(root, src); fileExists(fsys, p) {
			return p
		}
	}
	return ""
}

func fileExists(fsys fs.FS, p string) bool {
	fi, err := fs.Stat(fsys, p)
	return err == nil && !fi.IsDir()
}

// chaptersPath is where an episode's chapters file is published.
func chaptersPath(it *content.Item) string {
	if f := it.Episode.ChaptersFile; f != "" {
		return f
	}
	return it.Path + "chapters.json"
}

// chaptersJSON writes the Podcasting 2.0 chapters file of an episode whose
// chapters are listed in its front matter.
func (b *builder) chaptersJSON(it *content.Item) {
	out := strings.TrimPrefix(chaptersPath(it), "/")
	in := &inputs{items: []*content.Item{it}}
	if b.plan != nil && b.plan.same(out, in) {
		return
	}
	type chapter struct {
		StartTime float64 `json:"startTime"`
		Title     string  `json:"title"`
		URL       string  `json:"url,omitempty"`
	}
	doc := struct {
		Version  string    `json:"version"`
		Chapters []chapter `json:"chapters"`
	}{Version: "1.2.0"}
	for _, c := range it.Episode.Chapters {
		doc.Chapters = append(doc.Chapters, chapter{StartTime: c.Start.Seconds(), Title: c.Title, URL: c.URL})
	}
	data, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		b.fail(err)
		return
	}
	if slices.Contains(it.Assets, "chapters.json") {
		b.probs.Add(diag.Errorf(it.File, 0, 0, "the episode lists chapters and also has a file chapters.json").
			WithHint("write chapters: chapters.json to use the file, or delete the file"))
		return
	}
	if err := b.putFileFrom(out, append(data, '\n'), true, in); err != nil {
		b.fail(err)
	}
}

// newest merges two lists of items, each newest first, into one, keeping
// the first n (all when n is 0).
func newest(a, b []*content.Item, n int) []*content.Item {
	if n == 0 || n > len(a)+len(b) {
		n = len(a) + len(b)
	}
	out := make([]*content.Item, 0, n)
	for len(out) < n {
		if len(b) == 0 || len(a) > 0 && !b[0].Date.After(a[0].Date) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

// lastMod is when a list of items (newest first) last changed.
func lastMod(items []*content.Item) time.Time {
	var t time.Time
	for _, it := range items {
		t = latest(t, it)
	}
	return t
}

func latestOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func latest(t time.Time, it *content.Item) time.Time {
	for _, u := range []time.Time{it.Date, it.Updated} {
		if u.After(t) {
			t = u
		}
	}
	return t
}
