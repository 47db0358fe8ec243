package render

import (
	"slices"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// Language is one of a site's languages, as links to its pages need it.
type Language struct {
	Tag  string // "cy"
	Name string // named in itself: "Cymraeg"
	Link func(path string) string
	URL  func(path string) string
}

// Translation is a page's version in another of the site's languages,
// for the language switcher.
type Translation struct {
	Lang, Name, Href string
}

// Alternate is a version of the page for <link rel="alternate" hreflang>:
// its language ("x-default" for the one shown to readers of any other)
// and address.
type Alternate struct {
	Lang, URL string
}

// translated notes which languages have their own version of the page
// (an item, theme, pack or standalone page); pages without are in every
// language.
func (p *Page) translated(t content.Translation) {
	p.lang = t
	if t.Fallback {
		p.OtherLang = t.Lang
	}
}

// translate links the page's versions in the site's other languages:
// the switcher's links to every language that has the page (its own
// version, or another's shown with a notice), and hreflang links to
// those with their own. A page shown in another language's version has
// that version's address as its canonical one.
func (r *Renderer) translate(p *Page) {
	if len(r.langs) == 0 {
		return
	}
	own := p.lang
	path := p.Path
	later := p.List != nil && p.List.Page > 1 && r.omit // a list's later pages differ between languages
	for _, l := range r.langs {
		real := own.Langs == nil || slices.Contains(own.Langs, l.Tag)
		if !real && r.omit {
			continue
		}
		href := l.Link(path)
		if later {
			href = l.Link("/")
		}
		if l.Tag != r.cfg.Language {
			p.Translations = append(p.Translations, Translation{Lang: l.Tag, Name: l.Name, Href: href})
		}
		if real && !later {
			p.Alternates = append(p.Alternates, Alternate{Lang: l.Tag, URL: l.URL(path)})
			if l.Tag == r.langs[0].Tag {
				p.Alternates = append(p.Alternates, Alternate{Lang: "x-default", URL: l.URL(path)})
			}
		}
		if own.Fallback && l.Tag == own.Lang {
			p.URL = l.URL(path)
		}
	}
	if len(p.Alternates) < 3 { // itself alone (and x-default): nothing to say
		p.Alternates = nil
	}
}

// langName names the language tag in the language in: "Saesneg" for
// en-GB in cy.
func langName(in language.Tag, tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	base, _ := t.Base()
	return display.Languages(in).Name(base)
}

// themeLink is the link to a theme's page, its title marked when it is
// in another language than the page's.
func (r *Renderer) themeLink(th *taxonomy.Theme) Link {
	l := Link{Title: th.Title, Href: r.cfg.Link(th.Path())}
	if th.Def != nil {
		l.Lang = r.otherLang(th.Def.Translation)
	}
	return l
}

// otherLang is the language an item is written in when it is not the
// page's (a page shown in another language's version), for its lang
// attributes; "" when it is the page's.
func (r *Renderer) otherLang(t content.Translation) string {
	if t.Fallback {
		return t.Lang
	}
	return ""
}
