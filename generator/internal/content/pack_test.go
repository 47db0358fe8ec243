package content

import (
	"slices"
	"strings"
	"testing"
)

// packSite is a small library for pack tests: two stories (one a draft), a
// bundled episode and a feature.
func packSite(pack string) map[string]string {
	return map[string]string{
		"content/stories/denis.md":                "---\ntitle: Denis\ndate: 2019-04-01\n---\nText.\n",
		"content/stories/dylan.md":                "---\ntitle: Dylan\ndate: 2019-03-01\nslug: dylan-wheelchair\n---\nText.\n",
		"content/stories/draft.md":                "---\ntitle: Not yet\ndate: 2019-03-01\ndraft: true\n---\nText.\n",
		"content/episodes/its-all-about/index.md": "---\ntitle: Rebuilding lives\ndate: 2019-05-01\n---\nNotes.\n",
		"content/features/sanderson.md":           "---\ntitle: Sanderson\ndate: 2019-04-01\nsources:\n  - {publication: OTnews, issue: April 2019}\n---\nText.\n",
		"content/packs/care.md":                   pack,
	}
}

func TestPackResolvesEveryWayOfNaming(t *testing.T) {
	lib, probs := load(t, packSite(`---
title: Personalised care
audience: Community teams
outcomes: [Describe personalised care]
questions: [What matters to you?]
items:
  - ref: stories/denis
    note: Start here.
    questions: [Which goals were his own?]
  - /episodes/its-all-about/
  - ref: content/features/sanderson.md
  - ref: stories/dylan-wheelchair
---
Introduction.
`))
	for _, p := range probs {
		if strings.Contains(p, "error") {
			t.Errorf("problem: %s", p)
		}
	}
	if len(lib.Packs) != 1 {
		t.Fatalf("packs = %d; want 1", len(lib.Packs))
	}
	pk := lib.Packs[0]
	if pk.Path != "/packs/care/" || pk.Title != "Personalised care" || pk.Audience != "Community teams" || len(pk.Outcomes) != 1 || len(pk.Questions) != 1 {
		t.Errorf("pack = %+v", pk)
	}
	var got []string
	for _, e := range pk.Entries {
		if e.Item == nil {
			t.Fatalf("entry %q did not resolve", e.Ref.Name)
		}
		got = append(got, e.Item.Path)
	}
	want := []string{"/stories/denis/", "/episodes/its-all-about/", "/features/sanderson/", "/stories/dylan-wheelchair/"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("entries = %v; want %v, in the pack's order", got, want)
	}
	if e := pk.Entries[0]; e.Note != "Start here." || len(e.Questions) != 1 {
		t.Errorf("first entry = %+v", e)
	}
	if in := lib.InPacks(); len(in[pk.Entries[1].Item]) != 1 {
		t.Errorf("InPacks misses the episode: %v", in)
	}
}

func TestPackProblems(t *testing.T) {
	tests := []struct {
		name, pack string
		want       []string // each must appear in one problem
	}{
		{"a ref that is not there names the nearest", "---\ntitle: P\nitems:\n  - ref: stories/denise\n---\n",
			[]string{"content/packs/care.md:4:10: stories/denise is not a story, episode or feature of this site", "did you mean stories/denis, "}},
		{"a draft", "---\ntitle: P\nitems:\n  - stories/draft\n---\n",
			[]string{"content/packs/care.md:4:5: stories/draft is a draft", "remove draft: true"}},
		{"the same item twice", "---\ntitle: P\nitems:\n  - stories/denis\n  - ref: /stories/denis/\n---\n",
			[]string{"content/packs/care.md:5:10: /stories/denis/ is already item 1 of this pack"}},
		{"no items", "---\ntitle: P\n---\n", []string{"content/packs/care.md:1:1: the pack has no items"}},
		{"items left empty", "---\ntitle: P\nitems:\n---\n", []string{"content/packs/care.md:3:1: the pack has no items"}},
		{"items not a list", "---\ntitle: P\nitems: stories/denis\n---\n", []string{"content/packs/care.md:3:8: items must be a list"}},
		{"an entry without ref", "---\ntitle: P\nitems:\n  - note: why\n---\n", []string{"content/packs/care.md:4:9: entry 1 of items has no ref"}},
		{"an unknown key", "---\ntitle: P\nitems:\n  - ref: stories/denis\n    notes: why\n---\n", []string{`content/packs/care.md:5:5: warning: unknown key "notes" in items is ignored`, `did you mean "note"?`}},
		{"no title", "---\nitems: [stories/denis]\n---\n", []string{"content/packs/care.md:1:1: title is missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := load(t, packSite(tt.pack))
			all := strings.Join(probs, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("no problem says %q; got:\n%s", w, all)
				}
			}
		})
	}
}

// TestPackNamesBrokenItem: an item refused for its own errors is reported
// once, at the item; the pack that names it, by file or by address, adds
// no "not an item of this site" of its own.
func TestPackNamesBrokenItem(t *testing.T) {
	files := packSite("---\ntitle: P\nitems:\n  - stories/denis\n  - stories/broken\n  - content/stories/bundled/index.md\n---\n")
	files["content/stories/broken.md"] = "---\ntitle: Broken\ndate: someday\n---\nText.\n"
	files["content/stories/bundled/index.md"] = "---\ntitle: Bundled\n---\nText.\n"
	_, probs := load(t, files)
	all := strings.Join(probs, "\n")
	if strings.Contains(all, "content/packs/") || !strings.Contains(all, `content/stories/broken.md:3:7: date "someday" is not a date`) ||
		!strings.Contains(all, "content/stories/bundled/index.md:1:1: date is missing") {
		t.Errorf("want the two items' own errors and nothing at the pack; got:\n%s", all)
	}
}

func TestRefKey(t *testing.T) {
	for _, in := range []string{"stories/denis", "/stories/denis/", "content/stories/denis.md", " stories/denis.md ", "content/stories/denis/index.md"} {
		if got := RefKey(in); got != "stories/denis" {
			t.Errorf("RefKey(%q) = %q; want stories/denis", in, got)
		}
	}
}

// TestFeaturedPack: the home page's featured_pack names a published pack;
// any other name is an error at its place naming the nearest packs, and
// only the home page's front matter takes the key.
func TestFeaturedPack(t *testing.T) {
	site := packSite("---\ntitle: P\nitems: [stories/denis]\n---\n")
	site["content/_index.md"] = "---\ntitle: Home\nfeatured_pack: care\n---\nHello.\n"
	lib, probs := load(t, site)
	if slices.ContainsFunc(probs, func(p string) bool { return strings.Contains(p, "featured_pack") }) || lib.Sections[""].Featured == nil || lib.Sections[""].Featured.Name != "care" {
		t.Fatalf("featured_pack: care gave %v, %v; want it kept and no problems", lib.Sections[""].Featured, probs)
	}
	for _, tt := range []struct {
		file, front string
		want        []string
	}{
		{"content/_index.md", "featured_pack: cares", []string{`content/_index.md:3:16: featured_pack names "cares", but the site has no published pack of that name`, "by its file name: care"}},
		{"content/stories/_index.md", "featured_pack: care", []string{`content/stories/_index.md:3:1: warning: unknown key "featured_pack"`}},
	} {
		site := packSite("---\ntitle: P\nitems: [stories/denis]\n---\n")
		site[tt.file] = "---\ntitle: Home\n" + tt.front + "\n---\nHello.\n"
		_, probs := load(t, site)
		all := strings.Join(probs, "\n")
		for _, w := range tt.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s with %s: no problem says %q; got:\n%s", tt.file, tt.front, w, all)
			}
		}
	}
}
