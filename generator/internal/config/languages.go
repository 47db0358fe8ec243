package config

import (
	"cmp"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/otpress/otpress/generator/internal/diag"
)

// Lang is one language of a site in several: a [languages.<tag>] table.
// The site's language (language = "…") is the default, published at the
// site's root; each other one under its own folder.
type Lang struct {
	// Name is the language named in itself, as the language switcher
	// shows it: "Cymraeg", "English".
	Name string `toml:"name"`
	// Direction is "ltr" (the default) or "rtl".
	Direction string `toml:"direction"`
	// Path is the folder the language's pages are published in, "/cy/";
	// the default language's is the site's root.
	Path string `toml:"path"`
	// BaseURL, when set, is the address of a host of the language's own
	// ("https://straeon.example.cymru/"), which serves its folder as its
	// root: the folder then holds every file its pages need.
	BaseURL  string `toml:"base_url"`
	basePath string // BaseURL's path
	// The site's title, description and copyright in this language, and
	// its podcast's; each left out is the default language's.
	Title       string      `toml:"title"`
	Description string      `toml:"description"`
	Copyright   string      `toml:"copyright"`
	Podcast     PodcastText `toml:"podcast"`
}

// PodcastText is what a podcast app shows of the show, in one language.
type PodcastText struct {
	Title       string `toml:"title"`
	Description string `toml:"description"`
}

// Untranslated pages: shown in another language with a notice, or left out.
const (
	ShowUntranslated = "show"
	OmitUntranslated = "omit"
)

var langPath = regexp.MustCompile(`^/[a-z0-9][a-z0-9-]*/$`)

// checkLanguages validates [languages] and orders them, the default first.
func (s *Site) checkLanguages(at func(string) (int, int)) []*diag.Problem {
	var probs []*diag.Problem
	switch s.Untranslated {
	case "":
		s.Untranslated = ShowUntranslated
	case ShowUntranslated, OmitUntranslated:
	default:
		l, c := at("untranslated")
		probs = append(probs, diag.Errorf(File, l, c, "untranslated is %q; it must be \"show\" or \"omit\"", s.Untranslated).
			WithHint(`"show" shows a page in another language, with a notice, where it has no translation; "omit" leaves it out`))
	}
	if len(s.Languages) == 0 {
		return probs
	}
	byTag := map[string]*Lang{}
	type placed struct {
		tag  string
		line int
	}
	var order []placed
	for key, l := range s.Languages {
		line, col := at("languages." + key) // where its table begins
		tag, err := language.Parse(key)
		if err != nil {
			probs = append(probs, diag.Errorf(File, line, col, "[languages.%s]: %q is not a language tag", key, key).
				WithHint(`name each language by its BCP 47 tag, e.g. [languages.cy] for Welsh, [languages.en-GB] for British English`))
			continue
		}
		t := tag.String()
		if byTag[t] != nil {
			probs = append(probs, diag.Errorf(File, line, col, "the language %s is given twice", t).WithHint("keep one of them"))
			continue
		}
		if l == nil {
			l = &Lang{}
		}
		byTag[t] = l
		order = append(order, placed{t, line})
	}
	def := s.Language
	if byTag[def] == nil {
		byTag[def] = &Lang{}
		order = append(order, placed{def, 0})
	}
	slices.SortFunc(order, func(a, b placed) int {
		if (a.tag == def) != (b.tag == def) {
			if a.tag == def {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.line, b.line), strings.Compare(a.tag, b.tag))
	})
	paths := map[string]string{}
	for _, p := range order {
		t, l := p.tag, byTag[p.tag]
		key := "languages." + t
		tag := language.Make(t)
		if l.Name == "" {
			base, _ := tag.Base()
			l.Name = display.Self.Name(base) // "English", not "British English"
		}
		switch l.Direction {
		case "":
			l.Direction = "ltr"
		case "ltr", "rtl":
		default:
			ln, c := at(key + ".direction")
			probs = append(probs, diag.Errorf(File, ln, c, "direction is %q; it must be \"ltr\" or \"rtl\"", l.Direction).
				WithHint(`"ltr" for languages written left to right, such as Welsh; "rtl" for Arabic, Hebrew, Urdu`))
		}
		if t == def {
			if l.Path != "" && l.Path != "/" {
				ln, c := at(key + ".path")
				probs = append(probs, diag.Errorf(File, ln, c, "the default language (%s) is published at the site's root, so it takes no path", t).
					WithHint("remove path here; other languages take one, e.g. path = \"/cy/\""))
			}
			l.Path = "/"
			if l.BaseURL != "" {
				ln, c := at(key + ".base_url")
				probs = append(probs, diag.Errorf(File, ln, c, "the default language (%s) is published at the site's base_url", t).
					WithHint("remove base_url here; set the site's own base_url at the top of site.toml"))
				l.BaseURL = ""
			}
		} else {
			if l.Path == "" {
				l.Path = "/" + strings.ToLower(t) + "/"
			}
			if !langPath.MatchString(l.Path) {
				ln, c := at(key + ".path")
				probs = append(probs, diag.Errorf(File, ln, c, "path %q is not one folder name between slashes", l.Path).
					WithHint(`write the folder the language is published in, e.g. path = "/cy/"`))
			} else if reservedPath[strings.Trim(l.Path, "/")] {
				ln, c := at(key + ".path")
				probs = append(probs, diag.Errorf(File, ln, c, "path %q is a folder the site itself uses", l.Path).
					WithHint(`choose another, e.g. the language's tag: path = "/%s/"`, strings.ToLower(t)))
			}
			if l.BaseURL != "" {
				u, err := url.Parse(l.BaseURL)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					ln, c := at(key + ".base_url")
					probs = append(probs, diag.Errorf(File, ln, c, "base_url %q is not an absolute web address", l.BaseURL).
						WithHint(`write the address the language is published at, e.g. base_url = "https://straeon.example.cymru/"`))
				} else {
					if !strings.HasSuffix(u.Path, "/") {
						u.Path += "/"
					}
					u.RawQuery, u.Fragment = "", ""
					l.BaseURL, l.basePath = u.String(), u.Path
				}
			}
			if other, ok := paths[l.Path]; ok {
				ln, c := at(key + ".path")
				probs = append(probs, diag.Errorf(File, ln, c, "%s and %s are both published at %s", other, t, l.Path).
					WithHint("give each language a folder of its own"))
			}
			paths[l.Path] = t
		}
		s.Langs = append(s.Langs, t)
	}
	s.Languages = byTag
	for _, m := range s.Measures {
		for _, k := range slices.Concat(slices.Collect(maps.Keys(m.Names)), slices.Collect(maps.Keys(m.Units))) {
			if t, err := language.Parse(k); err != nil || byTag[t.String()] == nil {
				probs = append(probs, diag.Warnf(File, m.Pos.Line, m.Pos.Col, "the measure %q is given in %q, which is not one of the site's languages (%s)", m.Name, k, strings.Join(s.Langs, ", ")).
					WithHint("name the language as its [languages.<tag>] table does, e.g. names = { cy = \"…\" }"))
			}
		}
	}
	return probs
}

// reservedPath are the folders a site's own pages and files use.
var reservedPath = map[string]bool{"stories": true, "episodes": true, "features": true, "themes": true, "packs": true, "pages": true,
	"search": true, "evidence": true, "sources": true, "cards": true, "css": true, "js": true, "images": true}

// Multilingual says the site is published in more than one language.
func (s *Site) Multilingual() bool { return len(s.Langs) > 1 }

// ForLanguage is the configuration of the site in one of its languages:
// its texts, its language, and links under its folder. Files the
// languages share (the site's and theme's static files) keep the root's
// links: Link gives shared(path)'s answer.
func (s *Site) ForLanguage(tag string, shared func(path string) bool) *Site {
	l := s.Languages[tag]
	c := *s
	c.Language = tag
	c.Title = cmp.Or(l.Title, s.Title)
	c.Description = cmp.Or(l.Description, s.Description)
	c.Copyright = cmp.Or(l.Copyright, s.Copyright)
	c.Podcast.Title = cmp.Or(l.Podcast.Title, l.Title, s.Podcast.Title)
	c.Podcast.Description = cmp.Or(l.Podcast.Description, l.Description, s.Podcast.Description)
	c.Measures = nil
	for _, m := range s.Measures {
		if n := m.Names[tag]; n != "" && n != m.Name {
			m.Aliases = append([]string{m.Name}, m.Aliases...)
			m.AliasPos = append([]Pos{m.NamePos}, m.AliasPos...)
			m.Name = n
		}
		if u := m.Units[tag]; u != "" && u != m.Unit {
			m.UnitAliases = append(m.UnitAliases, m.Unit)
			m.Unit = u
		}
		c.Measures = append(c.Measures, m)
	}
	switch {
	case l.BaseURL != "": // a host of its own: a site of its own
		c.BasePath, c.BaseURL = l.basePath, l.BaseURL
	case l.Path != "/":
		c.rootPath, c.rootURL = s.BasePath, s.BaseURL
		c.BasePath = strings.TrimSuffix(s.BasePath, "/") + l.Path
		c.BaseURL = strings.TrimSuffix(s.BaseURL, "/") + l.Path
		c.shared = shared
	}
	return &c
}

// OwnHost says a language is published on a host of its own (base_url).
func (s *Site) OwnHost(tag string) bool {
	l := s.Languages[tag]
	return l != nil && l.BaseURL != ""
}

// LangPath is the folder of a language's pages under the site's root,
// "/cy/", "/" for the default language's.
func (s *Site) LangPath(tag string) string {
	if l := s.Languages[tag]; l != nil {
		return l.Path
	}
	return "/"
}

// RootPath is the site's base path: BasePath for a site in one language,
// or its default language; the root's for a language under its folder.
func (s *Site) RootPath() string { return cmp.Or(s.rootPath, s.BasePath) }

// RootURL is the site's address: BaseURL but for a language under its
// folder, the root's.
func (s *Site) RootURL() string { return cmp.Or(s.rootURL, s.BaseURL) }
