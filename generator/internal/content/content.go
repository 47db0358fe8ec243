// Package content is the domain model: stories, episodes, features and
// themes, loaded from a site's content/ folder and validated with positioned
// problems. It knows nothing about templates, Markdown or output.
package content

import (
	"time"

	"github.com/otpress/otpress/generator/internal/frontmatter"
	"github.com/otpress/otpress/generator/internal/vtt"
)

// Kind is the kind of a content item; it comes from the section folder.
type Kind string

const (
	Story   Kind = "story"
	Episode Kind = "episode"
	Feature Kind = "feature"
)

// Kinds lists every item kind in display order.
var Kinds = []Kind{Story, Episode, Feature}

// Section is the folder under content/ (and the URL segment) of a kind.
func (k Kind) Section() string {
	switch k {
	case Story:
		return "stories"
	case Episode:
		return "episodes"
	case Feature:
		return "features"
	}
	return ""
}

// Plural is the kind's name for headings ("Stories").
func (k Kind) Plural() string {
	switch k {
	case Story:
		return "Stories"
	case Episode:
		return "Episodes"
	case Feature:
		return "Features"
	}
	return ""
}

// Singular is the kind's name for labels ("Story").
func (k Kind) Singular() string {
	switch k {
	case Story:
		return "Story"
	case Episode:
		return "Episode"
	case Feature:
		return "Feature"
	}
	return ""
}

// KindOfSection maps a section folder name to its kind.
func KindOfSection(section string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Section() == section {
			return k, true
		}
	}
	return "", false
}

// ThemesSection is the folder of theme definitions and the URL segment of
// theme pages.
const ThemesSection = "themes"

// Item is one story, episode or feature.
type Item struct {
	Kind     Kind
	File     string // "content/stories/denis.md", slash-separated, relative to the site
	Dir      string // folder the page's own files are relative to
	Bundle   bool   // the page is Dir/index.md and owns the files in Dir
	Slug     string
	Path     string // site path of the page, "/stories/denis/"
	Title    string
	Date     time.Time
	DateOnly bool      // Date was written without a time of day
	Updated  time.Time // last change readers should know of; zero when never
	Summary  string
	Themes   []Ref // as written; resolved to theme slugs by package taxonomy
	Draft    bool
	// Scheduled: dated after the build, so left out of it unless future
	// items are asked for (the preview shows them, with a banner).
	Scheduled bool
	// Expires is when the item leaves the site: the first build on or
	// after it leaves the item out; zero when it stays. Expired says the
	// build is that late (the item is then shown only when expired items
	// are asked for, with a banner).
	Expires time.Time
	Expired bool
	Aliases []string // other site paths that redirect here: "/old/path/", or an old page file, "/news/denis.html"
	// AliasPos is where each alias is written, and SlugPos where slug:
	// is (zero when the address comes from the file name), for problems
	// with the addresses.
	AliasPos []frontmatter.Pos
	SlugPos  frontmatter.Pos
	Authors  []string
	Image    *Image
	Sources  []Source // the works it is based on, cites or mentions (sources.go)
	Body     []byte
	BodyLine int      // line of the file where Body starts
	Assets   []string // files of a bundle, relative to Dir

	Story   *StoryFields   // set when Kind == Story
	Episode *EpisodeFields // set when Kind == Episode

	Translation // its language, on a site in several (lang.go)

	// Sum, for an item read with Options.Shelf, is a hash of everything
	// it was read from: its file's bytes and place, its bundle's files,
	// the source list and what its other files answered (keep.go), and
	// its Translation; zero otherwise.
	Sum [32]byte `fp:"-"`
	// text, for an item read with Options.Shelf, is where its text is in
	// its file, which may hold it in place of Body (Text, TextSum)
	text textRef `fp:"-"`
}

// Ref is a name as written in front matter, with its position for messages.
type Ref struct {
	Name string
	Pos  frontmatter.Pos
}

// Image is a picture with its text alternative.
type Image struct {
	Src  string // as written
	Path string // resolved site path, "/stories/denis/photo.jpg", or an absolute URL
	Alt  string
	// Width and Height are the size it is shown at, in CSS pixels (see
	// PictureSize); 0 when not known: a remote picture, or an AVIF.
	Width, Height int
	Line, Col     int // where src is written, for problems with the file
	// Focus is the point a crop keeps in view, across then down in
	// percent of the picture ("30% 40%"); "" for the centre.
	Focus string
}

// StoryFields are the fields only a story has.
type StoryFields struct {
	Person   string
	Setting  string
	Goals    []string
	Steps    []string
	Outcomes []Outcome
}

// Outcome is a measured change, numeric so it can be aggregated.
type Outcome struct {
	Measure string
	Before  float64
	After   float64
	Unit    string
	Note    string
	// Pos is where the outcome's entry starts, MeasurePos and UnitPos
	// where its measure and unit are written (zero when absent), for
	// problems found when outcomes are compared across stories.
	Pos, MeasurePos, UnitPos frontmatter.Pos
}

// EpisodeFields are the fields only a podcast episode has.
type EpisodeFields struct {
	// GUID is the episode's guid in the podcast feed, when it has its own;
	// podcast apps use it to tell episodes apart, so it must never change.
	GUID       string
	Number     int
	Season     int
	Audio      *Audio
	Duration   time.Duration
	Transcript string // site path of the transcript file, "/episodes/x/transcript.vtt"
	// TranscriptType is its media type: "text/vtt", "application/x-subrip"
	// or "application/json" (vtt.Format).
	TranscriptType string
	// Paragraphs are the cues as the page shows them and search finds them.
	Paragraphs []vtt.Paragraph
	Hosts      []Person
	Guests     []Person
	Chapters   []Chapter
	// ChaptersFile is the site path of the episode's own Podcasting 2.0
	// chapters file, when chapters came from one.
	ChaptersFile string
}

// Audio is an episode's sound file.
type Audio struct {
	Src   string // as written
	Path  string // site path for a local file, or the absolute URL of a remote one
	Type  string // media type, "audio/mpeg"
	Bytes int64
}

// Person is a host or guest.
type Person struct {
	Name string
	Role string
}

// Theme is a theme definition from content/themes/<slug>.md.
type Theme struct {
	Slug     string
	File     string
	Title    string
	Summary  string
	Aliases  []Ref
	Broader  *Ref
	Body     []byte
	BodyLine int
	Translation
}

// SectionPage holds the optional introduction of a list page, from
// content/<section>/_index.md (or content/_index.md for the home page).
type SectionPage struct {
	File     string
	Title    string
	Summary  string
	Body     []byte
	BodyLine int
	// Featured is the pack the home page offers (content/_index.md's
	// featured_pack), nil for the first pack.
	Featured *Ref
	Translation
	src []byte
}

// PagesSection is the folder of standalone pages such as the accessibility
// statement: content/pages/<slug>.md is published at /<slug>/.
const PagesSection = "pages"

// Page is a standalone page.
type Page struct {
	File     string
	Slug     string
	Path     string // "/accessibility/"
	Title    string
	Summary  string
	Body     []byte
	BodyLine int
	Translation
}

// Library is everything under content/.
type Library struct {
	Items    []*Item                 // newest first, then by path
	Themes   []*Theme                // by slug
	Sections map[string]*SectionPage // by section name; "" is the home page
	Pages    []*Page                 // standalone pages, by path
	Packs    []*Pack                 // learning packs, by path
	// Catalogue is every source: the site's list (data/sources.yaml) and
	// the works items describe inline.
	Catalogue *Catalogue
	Loose     []string // files that belong to no page, copied as they are
	// Scheduled are the items left out because they are dated after the
	// build, the next to appear first (empty when future items are shown).
	Scheduled []*Item
	// Expired are the items left out because their expires date has come,
	// the latest to expire first (empty when expired items are shown).
	Expired []*Item
	// Untranslated, on a site in several languages, are the files of the
	// pages with no version in the language loaded, sorted: shown in
	// another language or left out (Options.Untranslated).
	Untranslated []string

	scanned *scanned // what Load found under content/, for LoadAgain
}

// PageFile is a file of content/ that makes one page, and that page's
// site path.
type PageFile struct{ File, Path string }

// PageFiles lists the file behind each page of the library: its items,
// themes, standalone pages, packs, and the lists sections' introductions
// head ("/" for the home page's).
func (l *Library) PageFiles() []PageFile {
	var out []PageFile
	for _, it := range l.Items {
		out = append(out, PageFile{it.File, it.Path})
	}
	for _, th := range l.Themes {
		out = append(out, PageFile{th.File, "/" + ThemesSection + "/" + th.Slug + "/"})
	}
	for _, pg := range l.Pages {
		out = append(out, PageFile{pg.File, pg.Path})
	}
	for _, pk := range l.Packs {
		out = append(out, PageFile{pk.File, pk.Path})
	}
	for name, sec := range l.Sections {
		p := "/" + name + "/"
		if name == "" {
			p = "/"
		}
		out = append(out, PageFile{sec.File, p})
	}
	return out
}

// ItemsOf returns the items of one kind, in library order.
func (l *Library) ItemsOf(k Kind) []*Item {
	var out []*Item
	for _, it := range l.Items {
		if it.Kind == k {
			out = append(out, it)
		}
	}
	return out
}

// String is the kind's name, "story".
func (k Kind) String() string { return string(k) }
