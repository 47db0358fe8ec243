package words

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/otpress/otpress/themes"
)

func theme() Layer { return Layer{FS: themes.Default, Dir: Dir, Name: "themes/default/i18n"} }

func load(t *testing.T, lang string, site fstest.MapFS) (*Words, []string) {
	t.Helper()
	layers := []Layer{theme()}
	if site != nil {
		layers = append(layers, Layer{FS: site, Dir: Dir, Name: Dir})
	}
	w, probs := Load(layers, lang)
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.OneLine())
	}
	return w, msgs
}

// Every shipped translation names exactly the English file's words, and
// shows only the fields the English words show.
func TestShippedFilesComplete(t *testing.T) {
	en, probs := load(t, Base, nil)
	if en == nil || len(probs) > 0 {
		t.Fatalf("English: %v", probs)
	}
	for _, lang := range []string{"cy"} {
		w, probs := load(t, lang, nil)
		if w == nil || len(probs) > 0 {
			t.Fatalf("%s: %v", lang, probs)
		}
		if w.Untranslated != 0 {
			var left []string
			for _, id := range en.IDs() {
				if w.msgs[id] == en.msgs[id] {
					left = append(left, id)
				}
			}
			t.Errorf("%s leaves %d words in English: %v", lang, w.Untranslated, left)
		}
	}
}

func TestDatesAndCounts(t *testing.T) {
	d := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	en, _ := load(t, "en-GB", nil)
	cy, _ := load(t, "cy", nil)
	if got := en.Date(d); got != "23 November 2026" {
		t.Errorf("English date %q", got)
	}
	if got := cy.Date(d); got != "23 Tachwedd 2026" {
		t.Errorf("Welsh date %q", got)
	}
	// cy-GB takes cy.toml; en-US takes the English words
	if w, _ := load(t, "cy-GB", nil); w.Date(d) != "23 Tachwedd 2026" || w.Untranslated != 0 {
		t.Errorf("cy-GB: %q, %d untranslated", w.Date(d), w.Untranslated)
	}
	if w, _ := load(t, "en-US", nil); w.Date(d) != "23 November 2026" || w.Untranslated != 0 {
		t.Errorf("en-US: %q, %d untranslated", w.Date(d), w.Untranslated)
	}
	// a language with no file shows English, and says how much
	fr, _ := load(t, "fr", nil)
	if fr.Date(d) != "23 November 2026" || fr.Untranslated != len(fr.IDs()) {
		t.Errorf("fr: %q, %d untranslated of %d", fr.Date(d), fr.Untranslated, len(fr.IDs()))
	}
}

// Counts take the language's CLDR plural forms: Welsh has six.
func TestPluralForms(t *testing.T) {
	cy, _ := load(t, "cy", nil)
	en, _ := load(t, "en-GB", nil)
	for _, c := range []struct {
		w    *Words
		n    int
		want string
	}{
		{cy, 0, "Dim eitemau"}, {cy, 1, "1 eitem"}, {cy, 2, "2 eitem"}, {cy, 3, "3 eitem"}, {cy, 6, "6 eitem"}, {cy, 11, "11 eitem"},
		{en, 0, "0 items"}, {en, 1, "1 item"}, {en, 2, "2 items"}, {en, 1000, "1000 items"},
	} {
		if got := c.w.MustN("count.items", c.n); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.w.Tag, c.n, got, c.want)
		}
	}
	// pages are rendered on every core at once: the forms' cache is shared
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 50 {
				if got := cy.MustN("count.items", n+g); got == "" {
					t.Error("no words")
				}
			}
		}()
	}
	wg.Wait()
	// a field the caller does not give is an error, not "<no value>"
	if _, err := en.T("page.list.page_of", "N", 2); err == nil {
		t.Error("page_of without Of: no error")
	}
	if s, err := en.T("page.list.page_of", "N", 2, "Of", 5); err != nil || s != "(page 2 of 5)" {
		t.Errorf("page_of: %q %v", s, err)
	}
}

func TestSiteWords(t *testing.T) {
	site := fstest.MapFS{
		"i18n/en-GB.toml": {Data: []byte("[month]\n11 = \"Nov.\"\n")},
		"i18n/fr.toml":    {Data: []byte("[month]\n11 = \"novembre\"\n")},
	}
	d := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	en, probs := load(t, "en-GB", site)
	if len(probs) > 0 || en.Date(d) != "23 Nov. 2026" {
		t.Errorf("a site's English word: %q %v", en.Date(d), probs)
	}
	fr, probs := load(t, "fr", site)
	if fr.Date(d) != "23 novembre 2026" || fr.Untranslated != len(fr.IDs())-1 {
		t.Errorf("a site's own language: %q %v, %d untranslated", fr.Date(d), probs, fr.Untranslated)
	}
	// the build says how many words are still English
	want := fmt.Sprintf("i18n/fr.toml: warning: %d of the theme's %d words are not given in fr, so pages show them in English", len(fr.IDs())-1, len(fr.IDs()))
	if !slices.ContainsFunc(probs, func(p string) bool { return strings.HasPrefix(p, want) }) {
		t.Errorf("want %q in %q", want, probs)
	}
	if _, probs := load(t, "de", nil); !slices.ContainsFunc(probs, func(p string) bool { return strings.Contains(p, "the theme has no words in de") }) {
		t.Errorf("a language with no words: %q", probs)
	}
}

func TestBadFiles(t *testing.T) {
	for _, c := range []struct {
		name, file, src string
		want            string
	}{
		{"syntax", "cy.toml", "date = \"{{.Day}}\n", "i18n/cy.toml:1:"},
		{"unknown field", "cy.toml", "\n\ndate = \"{{.Day}} {{.Mis}}\"\n", `i18n/cy.toml:3:1: error: "date" shows {{.Mis}}`},
		{"not a field", "cy.toml", "date = \"{{range .}}\"\n", `i18n/cy.toml:1:1: error: "date": "{{range .}}" is not a field`},
		{"no other", "cy.toml", "[month]\n[month.1]\none = \"x\"\n", `"month.1" has no "other" form`},
		{"not text", "cy.toml", "date = 3\n", `i18n/cy.toml:1:1: error: "date" is a whole number, not text`},
		{"unknown word", "cy.toml", "dat = \"x\"\n", `i18n/cy.toml:1:1: warning: no page shows a word "dat", so this one is not used; fix: did you mean "date"?`},
		{"missing form", "cy.toml", "\n[count.items]\nother = \"{{.Count}} eitem\"\n", `i18n/cy.toml:2:2: warning: "count.items" has no "few" form, which cy uses for counts such as 3, so the "other" form is shown for them`},
		{"file name", "welsh.toml", "date = \"x\"\n", `i18n/welsh.toml: error: "welsh" is not a language tag`},
		{"too big", "cy.toml", "date = \"" + strings.Repeat("x", MaxFileBytes) + "\"\n", "over the limit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, probs := load(t, "cy", fstest.MapFS{"i18n/" + c.file: {Data: []byte(c.src)}})
			if !slices.ContainsFunc(probs, func(p string) bool { return strings.Contains(p, c.want) }) {
				t.Errorf("want a problem with %q, got %q", c.want, probs)
			}
		})
	}
}

func TestScript(t *testing.T) {
	cy, _ := load(t, "cy", nil)
	s := string(cy.Script())
	if !strings.HasPrefix(s, `window.otpressWords={"lang":"cy","w":{`) {
		t.Errorf("script %q", s)
	}
	// js.* words lose their prefix; counts keep their forms; dates come too
	for _, want := range []string{
		`"packs.add":"Ychwanegu at fy mhecyn"`,
		`"search.results":{"few":"{{.Count}} canlyniad",`,
		`"date":"{{.Day}} {{.Month}} {{.Year}}"`,
		`"month.11":"Tachwedd"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the script has no %s", want)
		}
	}
	if strings.Contains(s, `"js.`) || strings.Contains(s, `"kinds.`) {
		t.Errorf("the script has words that are not the scripts': %s", s)
	}
}
