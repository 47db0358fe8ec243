package taxonomy

import (
	"fmt"
	"strings"
	"testing"
)

// items writes n stories with the given themes, dated one day apart (the
// first is the newest).
func items(specs ...string) map[string]string {
	files := map[string]string{}
	for i, spec := range specs {
		kind, themes, _ := strings.Cut(spec, ":")
		section := map[string]string{"s": "stories", "e": "episodes", "f": "features"}[kind]
		extra := ""
		if section == "features" {
			extra = "sources: [{publication: OTnews, issue: May 2019}]\n"
		}
		files[fmt.Sprintf("content/%s/i%02d.md", section, i)] = fmt.Sprintf("---\ntitle: Item %d\ndate: 2019-01-%02d\nthemes: [%s]\n%s---\n", i, 28-i, themes, extra)
	}
	return files
}

func TestGraphWeights(t *testing.T) {
	files := items("s:a,b", "s:a,b", "s:a,c", "s:a", "s:B-alias,c")
	files["content/themes/b.md"] = "---\ntitle: B\naliases: [B alias]\n---\n"
	x, _, _ := build(t, files)
	g := x.Graph()
	got := map[string]string{}
	for _, e := range g.Edges {
		got[e.A.Slug+"-"+e.B.Slug] = fmt.Sprintf("%d %.3f", e.Count, e.Jaccard)
	}
	// a: 4 items, b: 3 (one through its alias), c: 2
	want := map[string]string{
		"a-b": "2 0.400", // 2 together / (4 + 3 - 2)
		"a-c": "1 0.200", // 1 / (4 + 2 - 1)
		"b-c": "1 0.250", // 1 / (3 + 2 - 1)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("edges = %v; want %v", got, want)
	}
	if g.Edges[0].A.Slug != "a" || g.Edges[0].B.Slug != "b" {
		t.Errorf("strongest edge = %s-%s; want a-b", g.Edges[0].A.Slug, g.Edges[0].B.Slug)
	}
	// c's two edges tie at 1 item: by name, a comes first (b–c has the
	// higher Jaccard, which no longer ranks)
	if n := g.Neighbours(x.Get("c")); len(n) != 2 || n[0].Other(x.Get("c")).Slug != "a" {
		t.Errorf("neighbours of c = %v", n)
	}
}

// TestRelatedRareBeatsCommon: an item sharing a rare theme ranks above one
// sharing a common theme, and the explanation names the rare theme first.
func TestRelatedRareBeatsCommon(t *testing.T) {
	x, lib, _ := build(t, items(
		"s:common,rare", // 0: the item
		"s:common",      // 1: shares the common theme only
		"s:rare",        // 2: shares the rare theme only, older than 1
		"s:common",      // 3
		"s:common",      // 4
		"s:common,rare", // 5: shares both
		"s:other",       // 6: shares nothing
	))
	var it = find(lib.Items, "Item 0")
	rel := x.Related(it, RelatedOptions{Max: 6, PerKind: 6, Window: 60})
	var got []string
	for _, r := range rel {
		var why []string
		for _, s := range r.Shared {
			why = append(why, s.Slug)
		}
		got = append(got, r.Item.Title+" ("+strings.Join(why, ",")+")")
	}
	want := "Item 5 (rare,common)|Item 2 (rare)|Item 1 (common)|Item 3 (common)|Item 4 (common)"
	if strings.Join(got, "|") != want {
		t.Errorf("related = %s\nwant      %s", strings.Join(got, "|"), want)
	}
}

// TestRelatedScoresIgnoreWrittenOrder: two items sharing the same themes
// score the same to the last bit, whatever order each writes them in, so
// the newer ranks first. Summed in each candidate's own order, the older
// one here scored higher by rounding, and a change to any theme's weight
// could reorder related lists across the site (the preview rewrote them).
func TestRelatedScoresIgnoreWrittenOrder(t *testing.T) {
	x, lib, _ := build(t, items("s:a,b,c", "s:a,b,c", "s:c,b,a", "s:b,c", "s:other", "s:other"))
	a, b, c := x.Get("a").idf, x.Get("b").idf, x.Get("c").idf
	if (a+b)+c >= (c+b)+a {
		t.Fatalf("the weights (%v, %v, %v) no longer round differently in the two orders: choose others", a, b, c)
	}
	rel := x.Related(find(lib.Items, "Item 0"), RelatedOptions{Max: 6, PerKind: 6, Window: 60})
	if len(rel) < 2 || rel[0].Item.Title != "Item 1" || rel[1].Item.Title != "Item 2" || rel[0].Score != rel[1].Score {
		var got []string
		for _, r := range rel {
			got = append(got, fmt.Sprintf("%s %v", r.Item.Title, r.Score))
		}
		t.Errorf("related = %v; want Item 1 then Item 2, with one score", got)
	}
}

func TestRelatedCapsEachKind(t *testing.T) {
	x, lib, _ := build(t, items("s:a", "s:a", "s:a", "s:a", "s:a", "e:a", "f:a"))
	rel := x.Related(find(lib.Items, "Item 0"), RelatedOptions{Max: 4, PerKind: 2, Window: 60})
	kinds := map[string]int{}
	for _, r := range rel {
		kinds[string(r.Item.Kind)]++
	}
	if len(rel) != 4 || kinds["story"] != 2 || kinds["episode"] != 1 || kinds["feature"] != 1 {
		t.Errorf("related kinds = %v (%d items); want 2 stories, 1 episode, 1 feature", kinds, len(rel))
	}
}

func TestRelatedWindowIsBounded(t *testing.T) {
	var specs []string
	for range 25 {
		specs = append(specs, "s:a")
	}
	x, lib, _ := build(t, items(specs...))
	it := find(lib.Items, "Item 12")
	lo, hi := window(x.Get("a").Items, it, 6)
	got := x.Get("a").Items[lo:hi]
	if len(got) != 6 {
		t.Fatalf("window = %d items", len(got))
	}
	// the window is centred on the item's date
	var titles []string
	for _, w := range got {
		titles = append(titles, w.Title)
	}
	if strings.Join(titles, ",") != "Item 9,Item 10,Item 11,Item 12,Item 13,Item 14" {
		t.Errorf("window = %v", titles)
	}
}
