package content

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

// loadIn loads files with opts, and says every problem on a line.
func loadIn(t *testing.T, files map[string]string, opts Options) (*Library, []string) {
	t.Helper()
	lib, probs := Load(mapFS(files), opts)
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.Error())
	}
	return lib, msgs
}

func welsh(lang, untranslated string) Options {
	return Options{Languages: []string{"en-GB", "cy"}, Language: lang, Untranslated: untranslated}
}

// story is a story's file with more front matter.
func story(title string, more ...string) string {
	return "---\ntitle: " + title + "\ndate: 2026-01-02\n" + strings.Join(more, "") + "---\nText.\n"
}

// TestOneLanguageKeepsNames: with no languages, or one, a file named
// denis.cy.md is an item of its own and index.cy.md an asset, as ever.
func TestOneLanguageKeepsNames(t *testing.T) {
	files := map[string]string{
		"content/stories/denis.md":         story("Denis"),
		"content/stories/denis.cy.md":      story("Denis yn cerdded"),
		"content/stories/rose/index.md":    story("Rose"),
		"content/stories/rose/index.cy.md": story("Rhosyn"),
		"content/themes/care.cy.md":        "---\ntitle: Gofal\n---\n",
	}
	lib, probs := loadIn(t, files, Options{})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	var got []string
	for _, it := range lib.Items {
		got = append(got, fmt.Sprintf("%s %s %q %v %v %q", it.File, it.Path, it.Lang, it.Fallback, it.Langs, it.Assets))
	}
	want := []string{
		`content/stories/denis.cy.md /stories/denis-cy/ "" false [] []`,
		`content/stories/denis.md /stories/denis/ "" false [] []`,
		`content/stories/rose/index.md /stories/rose/ "" false [] ["index.cy.md"]`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if th := lib.Themes[0]; th.Slug != "care-cy" || th.Lang != "" {
		t.Errorf("theme %s %q", th.Slug, th.Lang)
	}
	if lib.Untranslated != nil {
		t.Errorf("untranslated %v", lib.Untranslated)
	}
	for _, opts := range []Options{
		{Languages: []string{"en-GB"}},
		{Languages: []string{"cy"}, Language: "cy", Untranslated: "omit"},
	} {
		one, _ := Load(mapFS(files), opts)
		if !reflect.DeepEqual(one, lib) {
			t.Errorf("with %+v the library differs", opts)
		}
	}
}

// bilingual is a site in English and Welsh: pages in both, in one, and
// in Welsh alone.
func bilingual() map[string]string {
	return map[string]string{
		"content/_index.md":                  "---\ntitle: Home\n---\n",
		"content/_index.cy.md":               "---\ntitle: Hafan\n---\n",
		"content/packs/_index.md":            "---\ntitle: Packs\n---\n",
		"content/packs/_index.cy.md":         "---\ntitle: Pecynnau\n---\n",
		"content/stories/_index.cy.md":       "---\ntitle: Straeon\n---\n",
		"content/stories/denis.md":           story("Denis walks", "themes: [Co-production]\n"),
		"content/stories/denis.cy.md":        story("Denis yn cerdded", "themes: [Cyd-gynhyrchu]\n"),
		"content/stories/rose.md":            story("Rose"),
		"content/stories/gwen.cy.md":         story("Gwen"),
		"content/stories/visit/index.md":     "---\ntitle: A visit\ndate: 2026-01-03\nimage: {src: photo.svg, alt: A hoist}\n---\nNotes.\n",
		"content/stories/visit/index.cy.md":  "---\ntitle: Ymweliad\ndate: 2026-01-03\nimage: {src: photo.svg, alt: Teclyn codi}\n---\nNodiadau.\n",
		"content/stories/visit/photo.svg":    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"></svg>`,
		"content/themes/co-production.md":    "---\ntitle: Co-production\n---\n",
		"content/themes/co-production.cy.md": "---\ntitle: Cyd-gynhyrchu\n---\n",
		"content/pages/accessibility.md":     "---\ntitle: Accessibility\n---\n",
		"content/pages/accessibility.cy.md":  "---\ntitle: Hygyrchedd\n---\n",
		"content/packs/care.md":              "---\ntitle: Care\nitems: [stories/denis, stories/rose, stories/gwen, stories/visit]\n---\n",
		"content/packs/care.cy.md":           "---\ntitle: Gofal\nitems: [stories/denis, stories/rose, stories/gwen, stories/visit]\n---\n",
	}
}

// describeItems are the items of a library, one a line: its file, address, title and
// languages.
func describeItems(lib *Library) []string {
	var out []string
	for _, it := range lib.Items {
		out = append(out, fmt.Sprintf("%s %s %q %s fallback=%v %v", it.File, it.Path, it.Title, it.Lang, it.Fallback, it.Langs))
	}
	slices.Sort(out)
	return out
}

func TestLanguagesLoad(t *testing.T) {
	files := bilingual()
	tests := []struct {
		lang, untranslated string
		items              []string
		untranslatedFiles  []string
		probs              []string
	}{
		{"en-GB", "", []string{
			`content/stories/denis.md /stories/denis/ "Denis walks" en-GB fallback=false [en-GB cy]`,
			`content/stories/gwen.cy.md /stories/gwen/ "Gwen" cy fallback=true [cy]`,
			`content/stories/rose.md /stories/rose/ "Rose" en-GB fallback=false [en-GB]`,
			`content/stories/visit/index.md /stories/visit/ "A visit" en-GB fallback=false [en-GB cy]`,
		}, []string{"content/stories/_index.cy.md", "content/stories/gwen.cy.md"}, nil},
		{"cy", "show", []string{
			`content/stories/denis.cy.md /stories/denis/ "Denis yn cerdded" cy fallback=false [en-GB cy]`,
			`content/stories/gwen.cy.md /stories/gwen/ "Gwen" cy fallback=false [cy]`,
			`content/stories/rose.md /stories/rose/ "Rose" en-GB fallback=true [en-GB]`,
			`content/stories/visit/index.cy.md /stories/visit/ "Ymweliad" cy fallback=false [en-GB cy]`,
		}, []string{"content/stories/rose.md"}, nil},
		{"cy", "omit", []string{
			`content/stories/denis.cy.md /stories/denis/ "Denis yn cerdded" cy fallback=false [en-GB cy]`,
			`content/stories/gwen.cy.md /stories/gwen/ "Gwen" cy fallback=false [cy]`,
			`content/stories/visit/index.cy.md /stories/visit/ "Ymweliad" cy fallback=false [en-GB cy]`,
		}, []string{"content/stories/rose.md"}, []string{
			`content/packs/care.cy.md:3:24: warning: stories/rose is not written in cy, so the pack leaves it out; write its cy version, content/stories/rose.cy.md, to bring it in`,
		}},
		{"en-GB", "omit", []string{
			`content/stories/denis.md /stories/denis/ "Denis walks" en-GB fallback=false [en-GB cy]`,
			`content/stories/rose.md /stories/rose/ "Rose" en-GB fallback=false [en-GB]`,
			`content/stories/visit/index.md /stories/visit/ "A visit" en-GB fallback=false [en-GB cy]`,
		}, []string{"content/stories/_index.cy.md", "content/stories/gwen.cy.md"}, []string{
			`content/packs/care.md:3:38: warning: stories/gwen is not written in en-GB, so the pack leaves it out; write its en-GB version, content/stories/gwen.md, to bring it in`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+tt.untranslated, func(t *testing.T) {
			lib, probs := loadIn(t, files, welsh(tt.lang, tt.untranslated))
			if !slices.Equal(probs, tt.probs) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(probs, "\n"), strings.Join(tt.probs, "\n"))
			}
			if got := describeItems(lib); !slices.Equal(got, tt.items) {
				t.Errorf("items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.items, "\n"))
			}
			if !slices.Equal(lib.Untranslated, tt.untranslatedFiles) {
				t.Errorf("untranslated %q; want %q", lib.Untranslated, tt.untranslatedFiles)
			}
			for _, it := range lib.Items {
				if it.Path == "/stories/visit/" {
					if !slices.Equal(it.Assets, []string{"photo.svg"}) || it.Image == nil || it.Image.Path != "/stories/visit/photo.svg" || it.Image.Width != 320 || !it.Bundle || it.Dir != "content/stories/visit" {
						t.Errorf("the bundle's picture: %q %+v %v %s", it.Assets, it.Image, it.Bundle, it.Dir)
					}
				}
			}
			// every other page in the language loaded
			cy := tt.lang == "cy"
			pick := func(en, welsh string) string {
				if cy {
					return welsh
				}
				return en
			}
			if len(lib.Themes) != 1 || lib.Themes[0].Slug != "co-production" || lib.Themes[0].Title != pick("Co-production", "Cyd-gynhyrchu") ||
				lib.Themes[0].Lang != tt.lang || lib.Themes[0].Fallback || !slices.Equal(lib.Themes[0].Langs, []string{"en-GB", "cy"}) {
				t.Errorf("themes %+v", lib.Themes)
			}
			if len(lib.Pages) != 1 || lib.Pages[0].Path != "/accessibility/" || lib.Pages[0].Title != pick("Accessibility", "Hygyrchedd") || lib.Pages[0].Lang != tt.lang {
				t.Errorf("pages %+v", lib.Pages)
			}
			if lib.Sections[""].Title != pick("Home", "Hafan") || lib.Sections[PacksSection].Title != pick("Packs", "Pecynnau") || lib.Sections[""].Lang != tt.lang {
				t.Errorf("home %+v, packs %+v", lib.Sections[""], lib.Sections[PacksSection])
			}
			switch intro := lib.Sections[Story.Section()]; {
			case cy && (intro == nil || intro.Title != "Straeon" || intro.Fallback):
				t.Errorf("the stories' introduction %+v", intro)
			case !cy && tt.untranslated == "omit" && intro != nil:
				t.Errorf("the Welsh introduction to stories is shown: %+v", intro)
			case !cy && tt.untranslated != "omit" && (intro == nil || !intro.Fallback || intro.Lang != "cy"):
				t.Errorf("the Welsh introduction to stories is not a fallback: %+v", intro)
			}
			if len(lib.Packs) != 1 {
				t.Fatalf("packs %+v", lib.Packs)
			}
			pk := lib.Packs[0]
			if pk.Path != "/packs/care/" || pk.Title != pick("Care", "Gofal") || pk.Lang != tt.lang || pk.Fallback {
				t.Errorf("pack %s %q %s", pk.Path, pk.Title, pk.Lang)
			}
			var entries []string
			for _, e := range pk.Entries {
				entries = append(entries, e.Item.File)
			}
			want := len(lib.Items) // the pack has every item shown, in its language
			if len(entries) != want {
				t.Errorf("pack entries %v", entries)
			}
			for _, e := range pk.Entries {
				if !slices.Contains(lib.Items, e.Item) {
					t.Errorf("the pack's %s is not the library's", e.Item.File)
				}
			}
		})
	}
}

func TestLanguageProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		opts  Options
		want  []string // each must be one of the problems
	}{
		{"two default versions", map[string]string{
			"content/stories/denis.md":       story("Denis"),
			"content/stories/denis.en-GB.md": story("Denis"),
		}, welsh("cy", ""), []string{
			"content/stories/denis.en-GB.md: two en-GB versions of content/stories/denis.md; keep one; a file without a language in its name is the en-GB version; delete one of them, or merge them",
		}},
		{"two default versions of a bundle, the tag in lower case", map[string]string{
			"content/stories/denis/index.en-gb.md": story("Denis"),
			"content/stories/denis/index.md":       story("Denis"),
		}, welsh("en-GB", ""), []string{
			"content/stories/denis/index.en-gb.md: two en-GB versions of content/stories/denis/index.md; keep one",
		}},
		{"two Welsh versions", map[string]string{
			"content/themes/care.cy.md": "---\ntitle: Gofal\n---\n",
			"content/themes/care.CY.md": "---\ntitle: Gofal\n---\n",
		}, welsh("cy", ""), []string{
			"content/themes/care.cy.md: two cy versions of content/themes/care.CY.md; keep one; delete one of them, or merge them",
		}},
		{"versions with different slugs", map[string]string{
			"content/stories/denis.md":    story("Denis", "slug: denis-walks\n"),
			"content/stories/denis.cy.md": story("Denis", "slug: denis-yn-cerdded\n"),
		}, welsh("en-GB", ""), []string{
			"content/stories/denis.cy.md:4:7: the cy version is at /stories/denis-yn-cerdded/ but the en-GB version (content/stories/denis.md) is at /stories/denis-walks/; translations share one address; give every version the same slug:, or leave slug: out of them all",
		}},
		{"a slug in one version only", map[string]string{
			"content/stories/denis.md":    story("Denis"),
			"content/stories/denis.cy.md": story("Denis", "slug: denis-yn-cerdded\n"),
		}, welsh("cy", "omit"), []string{
			"content/stories/denis.cy.md:4:7: the cy version is at /stories/denis-yn-cerdded/ but the en-GB version (content/stories/denis.md) is at /stories/denis/; translations share one address",
		}},
		{"the default's slug only", map[string]string{
			"content/packs/care.md":    "---\ntitle: Care\nslug: care-in-practice\nitems: [stories/denis]\n---\n",
			"content/packs/care.cy.md": "---\ntitle: Gofal\nitems: [stories/denis]\n---\n",
			"content/stories/denis.md": story("Denis"),
		}, welsh("cy", ""), []string{
			"content/packs/care.cy.md:1:1: the cy version is at /packs/care/ but the en-GB version (content/packs/care.md) is at /packs/care-in-practice/; translations share one address",
		}},
		{"a problem names the version's file", map[string]string{
			"content/stories/denis.md":    story("Denis"),
			"content/stories/denis.cy.md": "---\ntitle: Denis\ndate: someday\n---\n",
		}, welsh("cy", ""), []string{
			`content/stories/denis.cy.md:3:7: date "someday" is not a date`,
		}},
		{"an index in no language of the site", map[string]string{
			"content/stories/denis/index.md":    story("Denis"),
			"content/stories/denis/index.fr.md": story("Denis"),
		}, welsh("cy", ""), []string{
			"content/stories/denis/index.fr.md: warning: this file is named as a version of the page, but not in one of the site's languages (en-GB, cy), so it is ignored",
		}},
		{"a language not of the site", map[string]string{}, Options{Languages: []string{"en-GB", "cy"}, Language: "fr"}, []string{
			`site.toml: the language to build, "fr", is not one of the site's languages (en-GB, cy); add it to the languages, or build one of them`,
		}},
		{"not a language", map[string]string{}, Options{Languages: []string{"en-GB", "not a tag"}}, []string{
			`site.toml: "not a tag" is not a language tag`,
		}},
		{"a language twice", map[string]string{}, Options{Languages: []string{"en-GB", "en-gb"}}, []string{
			`site.toml: the language en-GB is given twice`,
		}},
		{"untranslated pages hidden", map[string]string{}, Options{Languages: []string{"en-GB", "cy"}, Untranslated: "hide"}, []string{
			`site.toml: untranslated pages can be shown or left out, not "hide"; write "show" or "omit"`,
		}},
		{"the featured pack left out", map[string]string{
			"content/_index.cy.md":        "---\ntitle: Hafan\nfeatured_pack: care\n---\n",
			"content/packs/care.md":       "---\ntitle: Care\nitems: [stories/denis]\n---\n",
			"content/packs/other.cy.md":   "---\ntitle: Arall\nitems: [stories/denis]\n---\n",
			"content/stories/denis.md":    story("Denis"),
			"content/stories/denis.cy.md": story("Denis"),
		}, welsh("cy", "omit"), []string{
			`content/_index.cy.md:3:16: warning: featured_pack names "care", which is not written in cy, so the home page offers the first pack; write its cy version, content/packs/care.cy.md, or name a pack that is`,
		}},
		{"a pack none of whose items is in the language", map[string]string{
			"content/packs/care.cy.md": "---\ntitle: Gofal\nitems: [stories/denis, stories/rose-garden]\n---\n",
			"content/stories/denis.md": story("Denis"),
			"content/stories/rose.md":  story("Rose", "slug: rose-garden\n"),
		}, welsh("cy", "omit"), []string{
			"content/packs/care.cy.md:3:9: warning: stories/denis is not written in cy, so the pack leaves it out; write its cy version, content/stories/denis.cy.md, to bring it in",
			"content/packs/care.cy.md:3:24: warning: stories/rose-garden is not written in cy, so the pack leaves it out; write its cy version, content/stories/rose.cy.md, to bring it in",
			"content/packs/care.cy.md: warning: no item of the pack is written in cy, so the pack is left out; write its items in cy, or show untranslated pages in another language",
		}},
		{"a pack naming an item no language has", map[string]string{
			"content/packs/care.cy.md":    "---\ntitle: Gofal\nitems: [stories/denise]\n---\n",
			"content/stories/denis.md":    story("Denis"),
			"content/stories/denis.cy.md": story("Denis"),
		}, welsh("cy", "omit"), []string{
			"content/packs/care.cy.md:3:9: stories/denise is not a story, episode or feature of this site; did you mean stories/denis? a ref is a content path such as stories/denis",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := loadIn(t, tt.files, tt.opts)
			for _, w := range tt.want {
				if !slices.ContainsFunc(probs, func(p string) bool { return strings.HasPrefix(p, w) }) {
					t.Errorf("missing problem %q", w)
				}
			}
			if len(probs) != len(tt.want) {
				t.Errorf("problems:\n%s", strings.Join(probs, "\n"))
			}
		})
	}
}

// TestDraftTranslation: a version that is a draft counts as not written
// until drafts are shown.
func TestDraftTranslation(t *testing.T) {
	files := map[string]string{
		"content/stories/denis.md":    story("Denis"),
		"content/stories/denis.cy.md": story("Denis yn cerdded", "draft: true\n"),
		"content/packs/care.cy.md":    "---\ntitle: Gofal\nitems: [stories/denis]\n---\n",
	}
	lib, probs := loadIn(t, files, welsh("cy", ""))
	if got := describeItems(lib); len(probs) > 0 || !slices.Equal(got, []string{`content/stories/denis.md /stories/denis/ "Denis" en-GB fallback=true [en-GB]`}) {
		t.Errorf("items %q, problems %q", got, probs)
	}
	if !slices.Equal(lib.Untranslated, []string{"content/stories/denis.md"}) || lib.Packs[0].Entries[0].Item != lib.Items[0] {
		t.Errorf("untranslated %q, pack %+v", lib.Untranslated, lib.Packs[0].Entries)
	}
	opts := welsh("cy", "")
	opts.Drafts = true
	lib, probs = loadIn(t, files, opts)
	if got := describeItems(lib); len(probs) > 0 || !slices.Equal(got, []string{`content/stories/denis.cy.md /stories/denis/ "Denis yn cerdded" cy fallback=false [en-GB cy]`}) {
		t.Errorf("with drafts: items %q, problems %q", got, probs)
	}
	// every version a draft: the page is a draft, as on a site in one language
	files["content/stories/denis.md"] = story("Denis", "draft: true\n")
	lib, probs = loadIn(t, files, welsh("cy", "omit"))
	if len(lib.Items) != 0 || lib.Untranslated != nil || len(probs) != 1 || !strings.HasPrefix(probs[0], "content/packs/care.cy.md:3:9: stories/denis is a draft") {
		t.Errorf("items %q, untranslated %q, problems %q", describeItems(lib), lib.Untranslated, probs)
	}
}

// TestLanguagesCanonical: tags in options and in file names are compared
// without case, and an item carries the canonical tag.
func TestLanguagesCanonical(t *testing.T) {
	files := map[string]string{
		"content/stories/denis.CY.md":   story("Denis"),
		"content/stories/rose.EN-gb.md": story("Rose"),
	}
	lib, probs := loadIn(t, files, Options{Languages: []string{"en-gb", "Cy"}, Language: "CY"})
	want := []string{
		`content/stories/denis.CY.md /stories/denis/ "Denis" cy fallback=false [cy]`,
		`content/stories/rose.EN-gb.md /stories/rose/ "Rose" en-GB fallback=true [en-GB]`,
	}
	if got := describeItems(lib); len(probs) > 0 || !slices.Equal(got, want) {
		t.Errorf("items %q, problems %q", got, probs)
	}
}

// TestLanguagesAndPacks: a pack names an item by its content path or its
// address in any language; one left out for its errors or its date is told
// as it is on a site in one language.
func TestLanguagesAndPacks(t *testing.T) {
	files := map[string]string{
		"content/stories/denis/index.cy.md": story("Denis", "slug: denis-walks\n"),
		"content/stories/denis/index.md":    story("Denis", "slug: denis-walks\n"),
		"content/stories/later.cy.md":       "---\ntitle: Later\ndate: 2099-01-01\n---\n",
		"content/packs/care.cy.md":          "---\ntitle: Gofal\nitems: [stories/denis, /stories/denis-walks/, content/stories/denis/index.md, stories/later]\n---\n",
	}
	_, probs := loadIn(t, files, welsh("cy", ""))
	want := []string{
		"content/packs/care.cy.md:3:24: /stories/denis-walks/ is already item 1 of this pack",
		"content/packs/care.cy.md:3:47: content/stories/denis/index.md is already item 1 of this pack",
		"content/packs/care.cy.md:3:79: warning: stories/later is scheduled for 1 January 2099",
	}
	for i, w := range want {
		if i >= len(probs) || !strings.HasPrefix(probs[i], w) {
			t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(probs, "\n"), strings.Join(want, "\n"))
			break
		}
	}
}

// TestLanguagesKept: a warm build takes versions from the shelf with their
// languages, and an item's Sum tells the page shown as a fallback from
// the page in its own language.
func TestLanguagesKept(t *testing.T) {
	fsys := mapFS(bilingual())
	sh := &mapShelf{now: map[[32]byte][]byte{}}
	sums := map[string][32]byte{}
	for _, lang := range []string{"en-GB", "cy"} {
		opts := welsh(lang, "")
		fresh, _ := Load(fsys, opts)
		opts.Shelf = sh
		Load(fsys, opts)
		sh = sh.next()
		opts.Shelf = sh
		kept, probs := Load(fsys, opts)
		if sh.taken != 4 || len(probs) > 0 {
			t.Errorf("%s: %d items taken from the shelf, problems %v", lang, sh.taken, probs)
		}
		if fmt.Sprint(describeItems(kept)) != fmt.Sprint(describeItems(fresh)) {
			t.Errorf("%s: kept %q, fresh %q", lang, describeItems(kept), describeItems(fresh))
		}
		for _, it := range kept.Items {
			if it.Sum == ([32]byte{}) {
				t.Errorf("%s: %s has no sum", lang, it.File)
			}
			if it.File == "content/stories/rose.md" {
				sums[lang] = it.Sum
			}
		}
		sh = sh.next()
	}
	if sums["en-GB"] == sums["cy"] {
		t.Error("rose.md has one sum in English and as a fallback in Welsh")
	}
}

// TestLanguagesLoadAgain: LoadAgain loads a site in several languages
// again in full, and Reload keeps an item's languages.
func TestLanguagesLoadAgain(t *testing.T) {
	fsys := mapFS(bilingual())
	opts := welsh("cy", "")
	before, _ := Load(fsys, opts)
	fsys["content/stories/rose.cy.md"] = &fstest.MapFile{Data: []byte(story("Rhosyn"))}
	lib, probs := LoadAgain(fsys, opts, before, map[string]bool{"content/stories/denis.cy.md": true})
	fresh, _ := Load(fsys, opts)
	if len(probs) > 0 || fmt.Sprint(describeItems(lib)) != fmt.Sprint(describeItems(fresh)) || len(lib.Untranslated) != 0 {
		t.Errorf("loaded again %q, untranslated %q; Load reads %q", describeItems(lib), lib.Untranslated, describeItems(fresh))
	}
	var denis *Item
	for _, it := range lib.Items {
		if it.Path == "/stories/denis/" {
			denis = it
		}
	}
	fsys["content/stories/denis.cy.md"] = &fstest.MapFile{Data: []byte(story("Denis eto"))}
	it, probs := Reload(fsys, denis, lib.Catalogue, opts)
	if len(probs) > 0 || it.Title != "Denis eto" || it.Path != "/stories/denis/" || it.Lang != "cy" || !slices.Equal(it.Langs, []string{"en-GB", "cy"}) {
		t.Errorf("reloaded %+v, %v", it, probs)
	}
}

// TestWelshBundle: index.cy.md alone makes its folder a bundle, whose
// files every language shares.
func TestWelshBundle(t *testing.T) {
	files := map[string]string{
		"content/stories/nia/index.cy.md": "---\ntitle: Nia\ndate: 2026-01-02\nimage: {src: photo.svg, alt: Nia}\n---\n",
		"content/stories/nia/photo.svg":   `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"></svg>`,
		"content/stories/nia/notes.md":    "Not a page.\n",
	}
	for _, lang := range []string{"en-GB", "cy"} {
		lib, probs := loadIn(t, files, welsh(lang, ""))
		if len(probs) > 0 || len(lib.Items) != 1 {
			t.Fatalf("%s: %d items, %q", lang, len(lib.Items), probs)
		}
		it := lib.Items[0]
		if !it.Bundle || it.Path != "/stories/nia/" || !slices.Equal(it.Assets, []string{"notes.md", "photo.svg"}) || it.Image.Path != "/stories/nia/photo.svg" ||
			it.Lang != "cy" || it.Fallback != (lang == "en-GB") || !slices.Equal(it.Langs, []string{"cy"}) {
			t.Errorf("%s: %+v", lang, it)
		}
	}
}
