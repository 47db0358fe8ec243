// Package config turns site.toml into a validated, defaulted site
// configuration. It knows nothing about content.
package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"reflect"
	"regexp"
	"strings"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/frontmatter"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
)

// File is the name of the configuration file in a site folder.
const File = "site.toml"

// MaxBytes is the largest site.toml read: settings take a few kilobytes,
// and a file of many megabytes is a mistake that would slow every build.
const MaxBytes = 1 << 20

// Site is the whole site configuration, read once per build and not changed
// afterwards.
type Site struct {
	Title       string `toml:"title"`
	Description string `toml:"description"`
	BaseURL     string `toml:"base_url"`
	Language    string `toml:"language"`
	Theme       string `toml:"theme"`
	Paginate    int    `toml:"paginate"`
	Copyright   string `toml:"copyright"`
	// Logo is a picture shown beside the site's name in the header: a site
	// path such as "/logo.svg" (a file in static/).
	Logo string `toml:"logo"`
	// BrandColour is the header band's colour, #rrggbb; the header's text
	// is white on it, so it must be dark enough (4.5:1).
	BrandColour string `toml:"brand_colour"`
	Markup      Markup `toml:"markup"`
	// RelativeURLs makes every internal link relative to its page, and
	// folder links name index.html, so the built site works from disk.
	RelativeURLs bool `toml:"relative_urls"`
	// Fingerprint publishes each style and script also under a name with
	// a hash of its content (main.0123456789.css), and each picture's
	// copies only so, and pages link those names: a host may then keep
	// them a year, since a changed file gets a new name. The preview
	// leaves names as they are.
	Fingerprint bool     `toml:"fingerprint"`
	Podcast     Podcast  `toml:"podcast"`
	Feeds       Feeds    `toml:"feeds"`
	Packs       Packs    `toml:"packs"`
	Pictures    Pictures `toml:"pictures"`
	// Measures is the outcome vocabulary ([[measures]] tables): which
	// names stories use for one measure, its unit, and which way is better.
	Measures []Measure `toml:"measures"`
	// Deploy is where generator deploy copies the built site (deploy.go).
	Deploy Deploy `toml:"deploy"`
	// Languages are the site's languages when it has more than one
	// ([languages.<tag>] tables, languages.go); Untranslated says what a
	// language shows of a page not written in it: "show" or "omit".
	Languages    map[string]*Lang `toml:"languages"`
	Untranslated string           `toml:"untranslated"`
	// Langs are the languages' tags, the default first; empty for a site
	// in one language.
	Langs []string `toml:"-"`

	// BasePath is the path part of BaseURL, always starting and ending with
	// "/": internal links are prefixed with it so a site can live in a
	// sub-folder of a host.
	BasePath string `toml:"-"`

	pos map[string][2]int // where each key is written
	// for a language under its own folder (ForLanguage): the root's base
	// path and address, and which site paths are files all languages
	// share, linked at the root
	rootPath, rootURL string
	shared            func(path string) bool
}

// At is the line and column of a setting in site.toml ("logo",
// "podcast.image"), 0, 0 when it is not written there.
func (s *Site) At(key string) (int, int) {
	p := s.pos[key]
	return p[0], p[1]
}

// Markup configures Markdown rendering.
// Packs are settings of learning packs' downloads.
type Packs struct {
	// CertifiedBy is who vouches that a pack's EPUB meets EPUB
	// Accessibility 1.1 at WCAG 2.2 AA (a11y:certifiedBy): the site's
	// title when it is not set. CertifierCredential names their standing
	// and CertifierReport is the address of their report, when they have
	// them.
	CertifiedBy         string `toml:"certified_by"`
	CertifierCredential string `toml:"certifier_credential"`
	CertifierReport     string `toml:"certifier_report"`
}

type Markup struct {
	// Unsafe lets raw HTML in Markdown through, checked; by default it is
	// escaped.
	Unsafe bool `toml:"unsafe"`
	// Allow names what raw HTML may use beyond the safe rest, from
	// check.Allowable: "iframe", "object", "embed", "base", "meta" (with
	// http-equiv), "form" (and formaction… on buttons), "script" (from a
	// file). Checked against that list.
	Allow []string `toml:"allow"`
}

// Podcast is the [podcast] table: what podcast apps show about the site's
// episodes as a show. Parse fills an empty title, description and author
// with the site's own.
type Podcast struct {
	Title       string `toml:"title"`
	Description string `toml:"description"`
	Author      string `toml:"author"`
	OwnerName   string `toml:"owner_name"`
	OwnerEmail  string `toml:"owner_email"`
	// Image is the square cover art (1400 to 3000 pixels, JPEG or PNG): a
	// site path such as "/podcast-cover.png" (a file in static/) or a URL.
	Image       string `toml:"image"`
	Category    string `toml:"category"`
	Subcategory string `toml:"subcategory"`
	Explicit    bool   `toml:"explicit"`
	Type        string `toml:"type"` // "episodic" (newest first) or "serial"
	// GUID is the show's podcast:guid. When empty it is worked out from the
	// feed's address, and changes if the address does.
	GUID   string `toml:"guid"`
	Locked bool   `toml:"locked"`
	// Hosts are the show's regular hosts, listed on every episode that does
	// not name its own.
	Hosts []string `toml:"hosts"`
	// Links are the show's pages in podcast apps (Apple Podcasts, Spotify,
	// Pocket Casts, Overcast, YouTube, or any other), shown as follow links
	// beside the site's own feed.
	Links []string `toml:"links"`
}

// Pictures is the [pictures] table: how the site's pictures are
// published, and whether pages without one get a card.
type Pictures struct {
	// Quality is the JPEG quality of the smaller copies (1 to 100), and
	// WebPQuality that of their WebP twins.
	Quality     int `toml:"quality"`
	WebPQuality int `toml:"webp_quality"`
	// KeepOriginals publishes the original of each picture that has
	// copies too (without its metadata), for readers who want the full
	// size; by default only the copies are.
	KeepOriginals bool `toml:"keep_originals"`
	// Cards draws a picture for sharing (1200×630: the page's title and
	// kind, the site's name and logo) for each page without a picture
	// of its own.
	Cards bool `toml:"cards"`
}

// Feeds is the [feeds] table.
type Feeds struct {
	// Limit is how many of the newest items each Atom and JSON feed lists;
	// 0 lists every item. The podcast feed always lists every episode.
	Limit int `toml:"limit"`
}

// Default returns the configuration used for any key site.toml leaves out.
func Default() *Site {
	return &Site{
		Title:    "otpress site",
		BaseURL:  "http://localhost/",
		BasePath: "/",
		Language: "en-GB",
		Theme:    "default",
		Paginate: 10,
		Podcast:  Podcast{Category: "Health & Fitness", Type: "episodic"},
		Feeds:    Feeds{Limit: 50},
		// WebP at 82: about half the bytes of JPEG at 80, and no softer on
		// photos with detail (bench/README.md, "Pictures: choosing a WebP
		// encoder")
		Pictures: Pictures{Quality: 80, WebPQuality: 82, Cards: true},
		Deploy:   Deploy{MaxDeletes: 0.25},
	}
}

// Load reads site.toml from the root of fsys. It returns the configuration
// and every problem found; the configuration is nil only when site.toml is
// missing or cannot be decoded.
func Load(fsys fs.FS) (*Site, []*diag.Problem) {
	if fi, err := fs.Stat(fsys, File); err == nil && fi.Size() > MaxBytes {
		return nil, []*diag.Problem{diag.Errorf(File, 0, 0, "site.toml is %d KB; otpress reads at most %d KB", fi.Size()>>10, MaxBytes>>10).
			WithHint("site.toml holds settings; keep lists of sources in data/sources.yaml and text in content/")}
	}
	src, err := fs.ReadFile(fsys, File)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, []*diag.Problem{diag.Errorf(File, 0, 0, "there is no site.toml in the site folder").
				WithHint(`run the command from the site folder or pass -s DIR; a minimal site.toml is one line: title = "My site"`)}
		}
		return nil, []*diag.Problem{diag.Errorf(File, 0, 0, "cannot read site.toml: %v", err)}
	}
	return Parse(src)
}

// tomlMessage restates the go-toml syntax messages that use TOML's own
// terms, and gives the hint that fits.
func tomlMessage(msg string) (string, string) {
	switch {
	case strings.HasSuffix(msg, "strings cannot have new lines"):
		return "the text has no closing quote on this line", `end the text with a quote on the same line, e.g. title = "My site"`
	case strings.Contains(msg, "invalid UTF-8"):
		return "the file is not valid UTF-8 here", "save the file as UTF-8 (it was probably saved as Latin-1 or Windows-1252), then check the letters on this line"
	case strings.HasPrefix(msg, "key ") && strings.HasSuffix(msg, " is already defined"):
		return strings.TrimSuffix(strings.TrimPrefix(msg, "key "), " is already defined") + " is given twice", "keep one of them"
	}
	return msg, `text values need double quotes (title = "My site"), switches are true or false, numbers have no quotes`
}

// Parse decodes and validates the text of site.toml.
func Parse(src []byte) (*Site, []*diag.Problem) {
	s := Default()
	var probs []*diag.Problem
	add := func(p *diag.Problem) { probs = append(probs, p) }
	defer func() { diag.AttachSources(src, probs) }()
	// go-toml has no limits of its own: nesting 100,000 deep took seconds
	if e := frontmatter.Limits(src, frontmatter.TOML, 1); e != nil {
		add(diag.Errorf(File, e.Pos.Line, e.Pos.Col, "%s", e.Msg).WithHint("%s", e.Hint))
		return nil, probs
	}
	if err := toml.NewDecoder(bytes.NewReader(src)).Decode(s); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			msg, hint := tomlMessage(strings.TrimPrefix(de.Error(), "toml: "))
			add(diag.Errorf(File, line, col, "TOML syntax: %s", msg).WithHint("%s", hint))
		} else {
			add(diag.Errorf(File, 0, 0, "%v", err))
		}
		return nil, probs
	}
	// A second, strict pass finds keys we do not know, with their positions.
	var strict Site
	dec := toml.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	var sm *toml.StrictMissingError
	if err := dec.Decode(&strict); errors.As(err, &sm) {
		for _, e := range sm.Errors {
			line, col := e.Position()
			key := strings.Join(e.Key(), ".")
			p := diag.Warnf(File, line, col, "unknown setting %q is ignored", key)
			if near := diag.Nearest(key, knownKeys); near != "" {
				p.WithHint("did you mean %q?", near)
			} else {
				p.WithHint("known settings are %s", strings.Join(knownKeys, ", "))
			}
			add(p)
		}
	}

	pos := keyLines(src)
	s.pos = pos
	at := s.At

	u, err := url.Parse(s.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		l, c := at("base_url")
		add(diag.Errorf(File, l, c, "base_url %q is not an absolute web address", s.BaseURL).
			WithHint(`write the address the site will be published at, e.g. base_url = "https://example.org/"`))
	} else {
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		u.RawQuery, u.Fragment = "", ""
		s.BaseURL = u.String()
		s.BasePath = u.Path
	}
	if _, ok := pos["base_url"]; !ok {
		add(diag.Warnf(File, 0, 0, "base_url is not set, so the sitemap and canonical links point at %s", s.BaseURL).
			WithHint(`add base_url = "https://your.site/" to site.toml`))
	}
	if tag, err := language.Parse(s.Language); err != nil {
		l, c := at("language")
		add(diag.Errorf(File, l, c, "language %q is not a language tag", s.Language).
			WithHint(`use a BCP 47 tag such as "en-GB", "en" or "cy"`))
	} else {
		s.Language = tag.String()
	}
	if !themeName.MatchString(s.Theme) {
		l, c := at("theme")
		add(diag.Errorf(File, l, c, "theme %q is not a folder name", s.Theme).
			WithHint(`the theme is the name of a folder under themes/, e.g. theme = "default"`))
	}
	if s.Paginate < 1 {
		l, c := at("paginate")
		add(diag.Errorf(File, l, c, "paginate is %d; it must be at least 1", s.Paginate).
			WithHint("paginate is how many items a list page shows, e.g. paginate = 10"))
	}
	if s.Feeds.Limit < 0 {
		l, c := at("feeds.limit")
		add(diag.Errorf(File, l, c, "feeds limit is %d; it must be 0 or more", s.Feeds.Limit).
			WithHint("limit is how many of the newest items each feed lists, e.g. limit = 50; 0 lists them all"))
	}
	for _, k := range []struct {
		key string
		q   int
	}{{"pictures.quality", s.Pictures.Quality}, {"pictures.webp_quality", s.Pictures.WebPQuality}} {
		if key, q := k.key, k.q; q < 1 || q > 100 {
			l, c := at(key)
			add(diag.Errorf(File, l, c, "%s is %d; it must be from 1 to 100", strings.TrimPrefix(key, "pictures."), q).
				WithHint("a picture's quality is a number from 1 (smallest file) to 100 (best looking); 80 suits photos"))
		}
	}
	for _, p := range s.checkBrand(at) {
		add(p)
	}
	for _, p := range s.Markup.check(src, at) {
		add(p)
	}
	for _, p := range s.Podcast.check(at) {
		add(p)
	}
	for _, p := range s.checkLanguages(at) {
		add(p)
	}
	for _, p := range checkMeasures(s.Measures, src, at) {
		add(p)
	}
	for _, p := range checkDeploy(&s.Deploy, src, at) {
		add(p)
	}
	if strings.TrimSpace(s.Title) == "" {
		l, c := at("title")
		add(diag.Errorf(File, l, c, "title is empty").WithHint(`every page names the site: title = "My site"`))
	}
	for _, p := range probs {
		if p.Severity == diag.Error {
			return nil, probs
		}
	}
	// the podcast is the site's unless it says otherwise
	s.Podcast.Title = cmp.Or(s.Podcast.Title, s.Title)
	s.Podcast.Description = cmp.Or(s.Podcast.Description, s.Description, s.Title)
	s.Podcast.Author = cmp.Or(s.Podcast.Author, s.Title)
	return s, probs
}

var themeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// knownKeys lists every setting, dotted, from the struct tags.
var knownKeys = func() []string {
	var out []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if name == "" || name == "-" {
				continue
			}
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, prefix+name+".")
				continue
			}
			if f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct { // [[measures]]
				walk(f.Type.Elem(), prefix+name+".")
				continue
			}
			out = append(out, prefix+name)
		}
	}
	walk(reflect.TypeFor[Site](), "")
	return out
}()

// keyLines finds the line and column of each top-level "key =" line, to point
// validation problems at the setting; nested keys are found under their table.
func keyLines(src []byte) map[string][2]int {
	out := map[string][2]int{}
	table := ""
	for i, line := range strings.Split(string(src), "\n") {
		trimmed := strings.TrimSpace(line)
		col := len(line) - len(strings.TrimLeft(line, " \t")) + 1
		if strings.HasPrefix(trimmed, "[") {
			name := strings.Trim(trimmed, "[] \t\r")
			table = name + "."
			if _, ok := out[name]; !ok && !strings.HasPrefix(trimmed, "[[") {
				out[name] = [2]int{i + 1, col} // where a table begins
			}
			continue
		}
		if k, _, ok := strings.Cut(trimmed, "="); ok && !strings.HasPrefix(trimmed, "#") {
			key := strings.Trim(strings.TrimSpace(k), `"'`)
			if table != "." {
				key = strings.TrimPrefix(table+key, ".")
			}
			out[key] = [2]int{i + 1, col}
		}
	}
	return out
}

// URL returns the absolute URL of a site path such as "/stories/denis/".
func (s *Site) URL(path string) string {
	if s.shared != nil && s.shared(path) {
		return strings.TrimSuffix(s.rootURL, "/") + "/" + strings.TrimPrefix(path, "/")
	}
	return strings.TrimSuffix(s.BaseURL, "/") + s.Link(path)[len(strings.TrimSuffix(s.BasePath, "/")):]
}

// Link returns a root-relative link for a site path, under BasePath (or,
// for a file all languages share, under the site's root).
func (s *Site) Link(path string) string {
	if s.shared != nil && s.shared(path) {
		return strings.TrimSuffix(s.rootPath, "/") + "/" + strings.TrimPrefix(path, "/")
	}
	return strings.TrimSuffix(s.BasePath, "/") + "/" + strings.TrimPrefix(path, "/")
}

func (s *Site) String() string { return fmt.Sprintf("%s <%s>", s.Title, s.BaseURL) }
