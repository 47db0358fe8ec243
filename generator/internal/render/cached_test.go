package render

import (
	"fmt"
	"html/template"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
)

// The header is rendered once for each section and reused, so it must
// still mark the right place in the navigation on every page, whatever
// order the pages come in: the section's own list is "page", its second
// page and an item in it "true", the home page's title link "page", and
// the search page has no second search box.
func TestCachedHeaderFollowsThePage(t *testing.T) {
	r, probs := New(Options{Site: config.Default()})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	story := func(slug string) *Page {
		it := &content.Item{Kind: content.Story, Path: "/stories/" + slug + "/", Title: slug, Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}
		return r.ItemPage(it, nil, "", "<p>text</p>", nil)
	}
	list := r.ListPage(r.SectionList(content.Story, nil, ""), nil, 1, 2, 20)
	list2 := r.ListPage(r.SectionList(content.Story, nil, ""), nil, 2, 2, 20)
	home := r.HomePage(nil, "", nil, nil, nil)
	search := r.SearchPage(nil, nil)
	header := func(p *Page) string {
		var b strings.Builder
		if err := r.Execute(&b, p); err != nil {
			t.Fatal(err)
		}
		return regexp.MustCompile(`(?s)<header class="site-header">.*?</header>`).FindString(b.String())
	}
	current := regexp.MustCompile(`<a href="([^"]*)"[^>]*aria-current="(\w+)"`)
	marks := func(h string) string {
		var out []string
		for _, m := range current.FindAllStringSubmatch(h, -1) {
			out = append(out, m[1]+"="+m[2])
		}
		return strings.Join(out, " ")
	}
	for _, step := range []struct {
		name  string
		page  *Page
		marks string
		box   bool
	}{
		{"a story", story("ada"), "/stories/=true", true},
		{"the stories list, after a story", list, "/stories/=page", true},
		{"the stories list's second page", list2, "/stories/=true", true},
		{"another story", story("bo"), "/stories/=true", true},
		{"home", home, "/=page", true},
		{"search", search, "", false},
		{"a story again", story("cy"), "/stories/=true", true},
	} {
		h := header(step.page)
		if h == "" {
			t.Fatalf("%s: no site header", step.name)
		}
		if got := marks(h); got != step.marks {
			t.Errorf("%s: aria-current on %q; want %q", step.name, got, step.marks)
		}
		if got := strings.Contains(h, `id="site-q"`); got != step.box {
			t.Errorf("%s: header search box %v; want %v", step.name, got, step.box)
		}
	}
}

// TestEvidenceRowKey: a row's key changes with every field it holds, so a
// row rendered once by the "cached" function is never shown for another
// (a field added to EvidenceRow and left out of Key fails here).
func TestEvidenceRowKey(t *testing.T) {
	var row EvidenceRow
	base := row.Key()
	var leaves func(v reflect.Value, name string)
	leaves = func(v reflect.Value, name string) {
		switch v.Kind() {
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[time.Time]() {
				old := v.Interface()
				v.Set(reflect.ValueOf(time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)))
				if row.Key() == base {
					t.Errorf("the key does not follow %s", name)
				}
				v.Set(reflect.ValueOf(old))
				return
			}
			for i := range v.NumField() {
				leaves(v.Field(i), name+"."+v.Type().Field(i).Name)
			}
		case reflect.String:
			v.SetString("x")
			if row.Key() == base {
				t.Errorf("the key does not follow %s", name)
			}
			v.SetString("")
		case reflect.Bool:
			v.SetBool(true)
			if row.Key() == base {
				t.Errorf("the key does not follow %s", name)
			}
			v.SetBool(false)
		default:
			t.Errorf("%s: a %s, which this test does not know", name, v.Kind())
		}
	}
	leaves(reflect.ValueOf(&row).Elem(), "EvidenceRow")
}

// TestEvidenceBlocks: the table's rows go in blocks of evidenceBlock, in
// order; a block's key follows each of its rows, and where one row ends
// and the next begins, and no other block's.
func TestEvidenceBlocks(t *testing.T) {
	rows := make([]EvidenceRow, 2*evidenceBlock+3)
	for i := range rows {
		rows[i].Person = fmt.Sprint("person ", i)
	}
	bs := (&Evidence{Rows: rows}).Blocks()
	if len(bs) != 3 || len(bs[0].Rows) != evidenceBlock || len(bs[2].Rows) != 3 || bs[1].Rows[0].Person != rows[evidenceBlock].Person {
		t.Fatalf("blocks of %d rows: %d blocks", len(rows), len(bs))
	}
	changed := slices.Clone(rows)
	changed[evidenceBlock+5].Setting = "home"
	moved := slices.Clone(rows)
	moved[evidenceBlock].Person, moved[evidenceBlock+1].Person = "person 6", "4person 65"
	for _, other := range [][]EvidenceRow{changed, moved} {
		ob := (&Evidence{Rows: other}).Blocks()
		if ob[0].Key() != bs[0].Key() || ob[2].Key() != bs[2].Key() || ob[1].Key() == bs[1].Key() {
			t.Errorf("keys %q, want only the middle one unlike %q", []string{ob[0].Key(), ob[1].Key(), ob[2].Key()}, []string{bs[0].Key(), bs[1].Key(), bs[2].Key()})
		}
	}
	if (&Evidence{}).Blocks() != nil {
		t.Error("blocks of no rows")
	}
}

// mapParts keeps parts in memory, as a build's cache does between builds.
type mapParts struct {
	m           map[[32]byte]template.HTML
	taken, kept int
}

func (p *mapParts) Part(k [32]byte) (template.HTML, bool) {
	h, ok := p.m[k]
	if ok {
		p.taken++
	}
	return h, ok
}

func (p *mapParts) KeepPart(k [32]byte, h template.HTML) { p.m[k] = h; p.kept++ }

// TestCardsKeptAsParts: with parts kept, an item's card and its link for
// related lists are taken from the last build when its view is the same,
// at the same heading level, and rendered again when anything it shows
// changed; what is taken reads as what is rendered.
func TestCardsKeptAsParts(t *testing.T) {
	parts := &mapParts{m: map[[32]byte]template.HTML{}}
	it := &content.Item{Kind: content.Story, Path: "/stories/ada/", Title: "Ada walks", Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}
	build := func(it *content.Item, summary string, level int) (card, ref string) {
		t.Helper()
		r, probs := New(Options{Site: config.Default()})
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		r.KeepParts(parts)
		v := r.Card(it, nil, summary)
		c, err := v.Card(level)
		if err != nil {
			t.Fatal(err)
		}
		f, err := v.Ref()
		if err != nil {
			t.Fatal(err)
		}
		return string(c), string(f)
	}
	card, ref := build(it, "She walks to her kitchen.", 2)
	if parts.kept != 2 || parts.taken != 0 || !strings.Contains(card, "<h2>") || !strings.Contains(card, "Ada walks") || !strings.Contains(ref, "Ada walks") {
		t.Fatalf("first build: kept %d, taken %d; card %q, ref %q", parts.kept, parts.taken, card, ref)
	}
	again, againRef := build(it, "She walks to her kitchen.", 2)
	if parts.taken != 2 || parts.kept != 2 || again != card || againRef != ref {
		t.Errorf("the same view: taken %d, kept %d; card %q, ref %q", parts.taken, parts.kept, again, againRef)
	}
	other := *it
	other.Title = "Ada walks again"
	for _, c := range []struct {
		name    string
		it      *content.Item
		summary string
		level   int
		want    string
	}{
		{"another summary", it, "She walks to the shop.", 2, "She walks to the shop."},
		{"another title", &other, "She walks to her kitchen.", 2, "Ada walks again"},
		{"another level", it, "She walks to her kitchen.", 3, "<h3>"},
	} {
		kept := parts.kept
		got, _ := build(c.it, c.summary, c.level)
		if parts.kept == kept || !strings.Contains(got, c.want) {
			t.Errorf("%s: kept %d new parts; card %q, want %q in it", c.name, parts.kept-kept, got, c.want)
		}
	}
}
