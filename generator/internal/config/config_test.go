package config

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseDefaultsAndValues(t *testing.T) {
	s, probs := Parse([]byte("title = \"OT stories\"\nbase_url = \"https://example.org/ot\"\nlanguage = \"cy\"\npaginate = 5\n[markup]\nunsafe = true\n"))
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if s.Title != "OT stories" || s.BaseURL != "https://example.org/ot/" || s.BasePath != "/ot/" || s.Language != "cy" || s.Paginate != 5 || !s.Markup.Unsafe || s.Theme != "default" {
		t.Errorf("Parse() = %+v", s)
	}
	if got, want := s.URL("/stories/denis/"), "https://example.org/ot/stories/denis/"; got != want {
		t.Errorf("URL() = %q; want %q", got, want)
	}
	if got, want := s.Link("/stories/"), "/ot/stories/"; got != want {
		t.Errorf("Link() = %q; want %q", got, want)
	}
}

func TestPodcastDefaults(t *testing.T) {
	s, probs := Parse([]byte("base_url = \"https://x.org/\"\n[podcast]\nhosts = [\"Sam Host\"]\nguid = \"9b024349-ccf0-5f69-a609-6b82873eab3c\"\n"))
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	// the show takes the site's title where it gives none
	if s.Podcast.Category != "Health & Fitness" || s.Podcast.Type != "episodic" || s.Feeds.Limit != 50 || len(s.Podcast.Hosts) != 1 ||
		s.Podcast.Title != s.Title || s.Podcast.Author != s.Title || s.Podcast.Description != s.Title {
		t.Errorf("podcast = %+v, feeds = %+v", s.Podcast, s.Feeds)
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each a substring of one problem, in order
		ok        bool     // the configuration is still usable
	}{
		{"syntax", "title = OT stories\n", []string{"site.toml:1:9: "}, false},
		{"wrong type", "base_url = \"https://x.org/\"\npaginate = \"ten\"\n", []string{"site.toml:2:"}, false},
		{"unknown key with suggestion", "title = \"x\"\nbase_url = \"https://x.org/\"\ntitel = \"y\"\n", []string{`site.toml:3:1: warning: unknown setting "titel" is ignored; did you mean "title"?`}, true},
		{"unknown nested", "base_url = \"https://x.org/\"\n[markup]\nunsafe = true\nunsaef = 1\n", []string{`unknown setting "markup.unsaef"`, `did you mean "markup.unsafe"?`}, true},
		{"bad base url", "base_url = \"example.org\"\n", []string{`site.toml:1:1: base_url "example.org" is not an absolute web address`}, false},
		{"bad language", "base_url = \"https://x.org/\"\nlanguage = \"english please\"\n", []string{`site.toml:2:1: language "english please" is not a language tag`}, false},
		{"bad paginate", "base_url = \"https://x.org/\"\npaginate = 0\n", []string{"site.toml:2:1: paginate is 0"}, false},
		{"theme path", "base_url = \"https://x.org/\"\ntheme = \"../x\"\n", []string{`theme "../x" is not a folder name`}, false},
		{"missing base url warns", "title = \"x\"\n", []string{"site.toml: warning: base_url is not set"}, true},
		{"podcast category", "base_url = \"https://x.org/\"\n[podcast]\ncategory = \"Health and Fitness\"\n", []string{`site.toml:3:1: podcast category "Health and Fitness" is not one of Apple Podcasts' categories; did you mean "Health & Fitness"?`}, false},
		{"podcast subcategory", "base_url = \"https://x.org/\"\n[podcast]\ncategory = \"Health & Fitness\"\nsubcategory = \"Medecine\"\n", []string{`site.toml:4:1: podcast subcategory "Medecine" is not a subcategory of "Health & Fitness"; did you mean "Medicine"?`}, false},
		{"podcast subcategory where none", "base_url = \"https://x.org/\"\n[podcast]\ncategory = \"History\"\nsubcategory = \"Medicine\"\n", []string{`leave subcategory out: History has none`}, false},
		{"podcast type", "base_url = \"https://x.org/\"\n[podcast]\ntype = \"weekly\"\n", []string{`site.toml:3:1: podcast type "weekly" is neither episodic nor serial`}, false},
		{"podcast guid", "base_url = \"https://x.org/\"\n[podcast]\nguid = \"my-show\"\n", []string{`site.toml:3:1: podcast guid "my-show" is not a UUID`}, false},
		{"podcast email", "base_url = \"https://x.org/\"\n[podcast]\nowner_email = \"Sam <sam@x.org>\"\n", []string{`podcast owner_email "Sam <sam@x.org>" is not an email address`}, false},
		{"podcast image", "base_url = \"https://x.org/\"\n[podcast]\nimage = \"cover.gif\"\n", []string{`podcast image "cover.gif" is not a PNG or JPEG file`, `podcast image "cover.gif" is not a site path`}, false},
		{"podcast links", "base_url = \"https://x.org/\"\n[podcast]\nlinks = [\"https://open.spotify.com/show/1\", \"spotify\"]\n", []string{`site.toml:3:1: podcast link "spotify" is not a web address`}, false},
		{"brand colour too light", "base_url = \"https://x.org/\"\nbrand_colour = \"#3399cc\"\n", []string{`site.toml:2:1: brand_colour "#3399cc" is 3.19:1 against the header's white text`, `use a darker shade: brand_colour = "#`}, false},
		{"brand colour not a colour", "base_url = \"https://x.org/\"\nbrand_colour = \"teal\"\n", []string{`brand_colour "teal" is not a colour written #rrggbb`}, false},
		{"brand colour passes", "base_url = \"https://x.org/\"\nbrand_colour = \"#005A70\"\nlogo = \"/logo.svg\"\n", nil, true},
		{"logo outside", "base_url = \"https://x.org/\"\nlogo = \"https://x.org/logo.png\"\n", []string{`site.toml:2:1: logo "https://x.org/logo.png" is not a path on the site`}, false},
		{"logo not a picture", "base_url = \"https://x.org/\"\nlogo = \"/logo.pdf\"\n", []string{`logo "/logo.pdf" is not a picture`}, false},
		{"picture quality", "base_url = \"https://x.org/\"\n[pictures]\nquality = 0\nwebp_quality = 101\n", []string{`site.toml:3:1: quality is 0; it must be from 1 to 100`, `site.toml:4:1: webp_quality is 101`}, false},
		{"feeds limit", "base_url = \"https://x.org/\"\n[feeds]\nlimit = -1\n", []string{`site.toml:3:1: feeds limit is -1`}, false},
		{"markup allow", "base_url = \"https://x.org/\"\n[markup]\nunsafe = true\nallow = [\"iframe\", \"form\", \"script\"]\n", nil, true},
		{"markup allow unknown", "base_url = \"https://x.org/\"\n[markup]\nunsafe = true\nallow = [\"iframe\",\n  \"ifrane\", 'video']\n", []string{`site.toml:5:3: "ifrane" is not something raw HTML can be allowed; did you mean "iframe"? allow takes base, embed, form, iframe, meta, object, script`, `site.toml:5:13: "video" is not something raw HTML can be allowed`}, false},
		{"markup allow never", "base_url = \"https://x.org/\"\n[markup]\nunsafe = true\nallow = [\"style\", \"onclick\", \"javascript:\"]\n", []string{`site.toml:4:10: "style" cannot be allowed; inline styles`, `site.toml:4:19: "onclick" cannot be allowed; event handlers`, `site.toml:4:30: "javascript:" cannot be allowed; javascript: addresses`}, false},
		{"markup allow without unsafe", "base_url = \"https://x.org/\"\n[markup]\nallow = [\"iframe\"]\n", []string{`site.toml:3:1: warning: allow has no effect`}, true},
		{"nested past the limit", "base_url = \"https://x.org/\"\nx = " + strings.Repeat("{a = ", 40) + "1" + strings.Repeat("}", 40) + "\n", []string{`site.toml:2:`, `nested more than 32 levels deep here; otpress allows 32`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, probs := Parse([]byte(tt.src))
			var all []string
			for _, p := range probs {
				all = append(all, p.Error())
			}
			joined := strings.Join(all, "\n")
			for _, w := range tt.want {
				if !strings.Contains(joined, w) {
					t.Errorf("problems:\n%s\nwant one containing %q", joined, w)
				}
			}
			if (s != nil) != tt.ok {
				t.Errorf("config usable = %v; want %v", s != nil, tt.ok)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	s, probs := Load(fstest.MapFS{})
	if s != nil || len(probs) != 1 || !strings.Contains(probs[0].Error(), "there is no site.toml") {
		t.Errorf("Load() = %v, %v", s, probs)
	}
}

func TestLoadTooLarge(t *testing.T) {
	s, probs := Load(fstest.MapFS{File: {Data: []byte("title = \"x\"\n# " + strings.Repeat("x", MaxBytes))}})
	if s != nil || len(probs) != 1 || !strings.Contains(probs[0].Error(), "site.toml is 1024 KB; otpress reads at most 1024 KB") || probs[0].Hint == "" {
		t.Errorf("Load() = %v, %v", s, probs)
	}
}

func TestContrast(t *testing.T) {
	// black on white is 21:1; GOV.UK's link blue on white is 6.08:1; #rgb
	// is #rrggbb
	for _, tt := range []struct {
		a, b string
		want float64
	}{{"#000000", "#ffffff", 21}, {"#1a65a6", "#ffffff", 6.08}, {"#fff", "#000", 21}, {"#777777", "#777", 1}} {
		if got := Contrast(tt.a, tt.b); fmt.Sprintf("%.2f", got) != fmt.Sprintf("%.2f", tt.want) {
			t.Errorf("Contrast(%s, %s) = %.2f; want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
	// the suggested shade passes, and a shade a step lighter would not
	for _, c := range []string{"#3399cc", "#ffcc00", "#ffffff", "#e60000", "#00ff00"} {
		d := darkerPassing(c)
		if Contrast(d, BandText) < MinBrandContrast {
			t.Errorf("darkerPassing(%s) = %s, %.2f:1", c, d, Contrast(d, BandText))
		}
		t.Logf("%s → %s (%.2f:1)", c, d, Contrast(d, BandText))
	}
	if d := darkerPassing("#005a70"); d != "#005a70" {
		t.Errorf("darkerPassing of a passing colour = %s; want it unchanged", d)
	}
}
