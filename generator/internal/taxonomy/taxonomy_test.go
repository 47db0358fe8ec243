package taxonomy

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
)

func build(t *testing.T, files map[string]string) (*Index, *content.Library, string) {
	t.Helper()
	fsys := fstest.MapFS{}
	for n, b := range files {
		fsys[n] = &fstest.MapFile{Data: []byte(b)}
	}
	lib, probs := content.Load(fsys, content.Options{})
	for _, p := range probs {
		if p.Severity == diag.Error {
			t.Fatalf("content problem: %v", p)
		}
	}
	x, tp := Build(lib)
	var msgs []string
	for _, p := range tp {
		msgs = append(msgs, p.Error())
	}
	return x, lib, strings.Join(msgs, "\n")
}

func TestResolveAliasesHierarchyAndUndefined(t *testing.T) {
	x, lib, probs := build(t, map[string]string{
		"content/themes/personalised-care.md": "---\ntitle: Personalised care\naliases: [personalisation]\n---\n",
		"content/themes/co-production.md":     "---\ntitle: Co-production\naliases: [coproduction]\nbroader: personalised-care\n---\n",
		"content/stories/a.md":                "---\ntitle: A\ndate: 2019-01-01\nthemes: [Coproduction, co-production, rehab potential]\n---\n",
		"content/stories/b.md":                "---\ntitle: B\ndate: 2019-02-01\nthemes: [Personalisation]\n---\n",
	})
	if !strings.Contains(probs, `content/stories/a.md:4:39: warning: theme "rehab potential" is used on 1 page but not defined; create content/themes/rehab-potential.md`) {
		t.Errorf("problems = %s", probs)
	}
	a := lib.Items[1]
	var got []string
	for _, th := range x.Of(a) {
		got = append(got, th.Slug)
	}
	if strings.Join(got, ",") != "co-production,rehab-potential" {
		t.Errorf("themes of a = %v", got)
	}
	pc := x.Get("personalised-care")
	if len(pc.Items) != 1 || pc.Items[0].Title != "B" || len(pc.Inherited) != 1 || pc.Inherited[0].Title != "A" || pc.Count() != 2 {
		t.Errorf("personalised care items %v inherited %v", pc.Items, pc.Inherited)
	}
	if len(pc.Narrower) != 1 || pc.Narrower[0].Slug != "co-production" || x.Get("co-production").Broader != pc {
		t.Errorf("hierarchy wrong")
	}
	if rp := x.Lookup("Rehab Potential"); rp == nil || rp.Defined || rp.Title != "rehab potential" {
		t.Errorf("undefined theme = %+v", rp)
	}
	var titles []string
	for _, th := range x.Themes {
		titles = append(titles, th.Title)
	}
	if strings.Join(titles, "|") != "Co-production|Personalised care|rehab potential" {
		t.Errorf("A–Z = %v", titles)
	}
}

func TestThemeErrors(t *testing.T) {
	_, _, probs := build(t, map[string]string{
		"content/themes/a.md": "---\ntitle: A\nbroader: b\naliases: [c]\n---\n",
		"content/themes/b.md": "---\ntitle: B\nbroader: a\n---\n",
		"content/themes/c.md": "---\ntitle: C\nbroader: nowhere\n---\n",
	})
	for _, w := range []string{
		`content/themes/a.md:4:11: alias "c" already names the theme "C" (c)`,
		`broader themes go round in a circle: a → b → a`,
		`content/themes/c.md:3:10: broader theme "nowhere" is not defined`,
	} {
		if !strings.Contains(probs, w) {
			t.Errorf("missing %q in\n%s", w, probs)
		}
	}
}

func find(items []*content.Item, title string) *content.Item {
	for _, it := range items {
		if it.Title == title {
			return it
		}
	}
	return nil
}

// TestNearDuplicateThemes: themes whose names differ only in a plural or a
// hyphen are reported, at the first use or the file of the later one; an
// alias joins them and the warning goes.
func TestNearDuplicateThemes(t *testing.T) {
	files := map[string]string{
		"content/themes/wheelchair-services.md": "---\ntitle: Wheelchair services\n---\n",
		"content/themes/co-production.md":       "---\ntitle: Co-production\n---\n",
		"content/stories/a.md":                  "---\ntitle: A\ndate: 2019-04-01\nthemes: [wheelchair service, coproduction, stairs]\n---\n",
		"content/stories/b.md":                  "---\ntitle: B\ndate: 2019-04-02\nthemes: [stair]\n---\n",
	}
	_, _, probs := build(t, files)
	for _, w := range []string{
		`content/stories/a.md:4:10: warning: themes "wheelchair-service" and "wheelchair-services" differ only in a plural or a hyphen, so they make two theme pages; use "wheelchair-services" everywhere, or add aliases: [wheelchair-service] to content/themes/wheelchair-services.md`,
		`content/stories/a.md:4:30: warning: themes "coproduction" and "co-production" differ only`,
		`content/stories/a.md:4:44: warning: themes "stairs" and "stair" differ only`,
	} {
		if !strings.Contains(probs, w) {
			t.Errorf("missing %q in\n%s", w, probs)
		}
	}
	files["content/themes/co-production.md"] = "---\ntitle: Co-production\naliases: [coproduction]\n---\n"
	if _, _, probs := build(t, files); strings.Contains(probs, `"coproduction" and "co-production"`) {
		t.Errorf("an alias should join them:\n%s", probs)
	}
}
