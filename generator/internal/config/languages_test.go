package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/diag"
)

func TestLanguages(t *testing.T) {
	s, probs := Parse([]byte(`title = "OT stories"
base_url = "https://example.org/ot/"
language = "en-GB"
[languages.cy]
title = "Straeon TG"
[languages.en-GB]
name = "English"
`))
	if s == nil || len(probs) > 0 {
		t.Fatalf("%v", probs)
	}
	if !slices.Equal(s.Langs, []string{"en-GB", "cy"}) || !s.Multilingual() || s.Untranslated != ShowUntranslated {
		t.Errorf("langs %v, untranslated %q", s.Langs, s.Untranslated)
	}
	cy := s.Languages["cy"]
	if cy.Name != "Cymraeg" || cy.Path != "/cy/" || cy.Direction != "ltr" || s.Languages["en-GB"].Name != "English" {
		t.Errorf("cy %+v", cy)
	}
	w := s.ForLanguage("cy", func(p string) bool { return p == "/css/main.css" })
	if w.Title != "Straeon TG" || w.Language != "cy" || w.Link("/stories/denis/") != "/ot/cy/stories/denis/" || w.Link("/css/main.css") != "/ot/css/main.css" ||
		w.URL("/themes/") != "https://example.org/ot/cy/themes/" || w.URL("/css/main.css") != "https://example.org/ot/css/main.css" {
		t.Errorf("Welsh: %q %q %q %q %q", w.Title, w.Link("/stories/denis/"), w.Link("/css/main.css"), w.URL("/themes/"), w.URL("/css/main.css"))
	}
	if e := s.ForLanguage("en-GB", nil); e.Link("/stories/") != "/ot/stories/" || e.Title != "OT stories" {
		t.Errorf("English: %q", e.Link("/stories/"))
	}
	one, _ := Parse([]byte("title = \"x\"\nbase_url = \"https://x.org/\"\n"))
	if one.Multilingual() || len(one.Langs) != 0 {
		t.Errorf("one language: %v", one.Langs)
	}
}

func TestBadLanguages(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"tag", "[languages.welsh]\nname = \"x\"\n", `site.toml:4:1: error: [languages.welsh]: "welsh" is not a language tag`},
		{"path", "[languages.cy]\npath = \"cy\"\n", `site.toml:5:1: error: path "cy" is not one folder name between slashes`},
		{"reserved", "[languages.cy]\npath = \"/stories/\"\n", `path "/stories/" is a folder the site itself uses`},
		{"same path", "[languages.cy]\n[languages.fr]\npath = \"/cy/\"\n", `cy and fr are both published at /cy/`},
		{"default path", "[languages.en-GB]\npath = \"/en/\"\n", `the default language (en-GB) is published at the site's root`},
		{"direction", "[languages.cy]\ndirection = \"up\"\n", `direction is "up"`},
		{"untranslated", "untranslated = \"hide\"\n", `untranslated is "hide"`},
		{"base_url", "[languages.cy]\nbase_url = \"straeon\"\n", `site.toml:5:1: error: base_url "straeon" is not an absolute web address`},
		{"measure names", "[languages.cy]\n\n[[measures]]\nname = \"Falls\"\nnames = { fr = \"Chutes\" }\n", `the measure "Falls" is given in "fr", which is not one of the site's languages (en-GB, cy)`},
		{"default base_url", "[languages.en-GB]\nbase_url = \"https://x.org/\"\n", `the default language (en-GB) is published at the site's base_url`},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := "title = \"x\"\nbase_url = \"https://x.org/\"\n"
			if strings.HasPrefix(c.src, "[") {
				src += "\n"
			}
			_, probs := Parse([]byte(src + c.src))
			if !slices.ContainsFunc(probs, func(p *diag.Problem) bool { return strings.Contains(p.OneLine(), c.want) }) {
				t.Errorf("want %q in %v", c.want, probs)
			}
		})
	}
}
