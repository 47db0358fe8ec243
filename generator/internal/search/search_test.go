package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"flag"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestFoldAndWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Occupational Therapy", "occupational therapy"},
		{"Café — Rehabilitación!", "cafe rehabilitacion"},
		{"co-production, self-care", "co production coproduction self care selfcare"},
		{"Denis's kitchen", "denis s kitchen"},
		{"2019 OTnews p.15", "2019 otnews p 15"},
		{"-dash- at edges", "dash at edges"},
		{"co-—care", "co care"}, // a hyphen joins letters or digits only
	}
	for _, tt := range tests {
		var got []string
		Words(Fold(tt.in), func(w string) { got = append(got, w) })
		if strings.Join(got, " ") != tt.want {
			t.Errorf("Words(Fold(%q)) = %q; want %q", tt.in, strings.Join(got, " "), tt.want)
		}
	}
}

// Units keeps a hyphenated word's parts and their join together, and
// otherwise gives the words Words gives, in the same order.
func TestUnits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Occupational Therapy", "occupational|therapy"},
		{"co-production, self-care", "co production coproduction|self care selfcare"},
		{"well-being at home", "well being wellbeing|at|home"},
		{"end-to-end", "end to end endtoend"},
		{"co--production", "co|production"},
		{"-dash- at edges", "dash|at|edges"},
		{"co-", "co"},
		{"", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, u := range Units(Fold(tt.in)) {
			got = append(got, strings.Join(u, " "))
		}
		if strings.Join(got, "|") != tt.want {
			t.Errorf("Units(Fold(%q)) = %q; want %q", tt.in, strings.Join(got, "|"), tt.want)
		}
	}
}

// FuzzUnits: the units of any text, one after another, are Words' words,
// and a unit of more than one word ends with the others joined.
func FuzzUnits(f *testing.F) {
	for _, s := range []string{"co-production, self-care", "well-being", "a-b-c d", "-x- -", "café-bar", "x-1-y2", "co-—care"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		folded := Fold(s)
		var flat, words []string
		for _, u := range Units(folded) {
			if len(u) == 0 || len(u) == 2 {
				t.Fatalf("Units(%q) has a unit %q: want one word, or two parts or more and their join", folded, u)
			}
			if len(u) > 1 && u[len(u)-1] != strings.Join(u[:len(u)-1], "") {
				t.Fatalf("Units(%q): %q does not end with its parts joined", folded, u)
			}
			flat = append(flat, u...)
		}
		Words(folded, func(w string) { words = append(words, w) })
		if !slices.Equal(flat, words) {
			t.Fatalf("Units(%q) = %q; Words gives %q", folded, flat, words)
		}
	})
}

// A hyphenated query finds the pages that write the word hyphenated, apart
// or joined, and a joined query the hyphenated ones; "being", a stop word,
// leaves "well" to stand for the parts.
func TestHyphenatedQueries(t *testing.T) {
	docs := []Doc{
		{Path: "/a/", Title: "Co-production in practice", Text: [numFields]string{Title: "Co-production in practice", Body: "Planning with people, and their well-being."}},
		{Path: "/b/", Title: "Coproduction with families", Text: [numFields]string{Title: "Coproduction with families", Body: "Their wellbeing first."}},
		{Path: "/c/", Title: "Co production, the long way", Text: [numFields]string{Title: "Co production, the long way", Body: "Being well at home."}},
		{Path: "/d/", Title: "Kettles", Text: [numFields]string{Title: "Kettles", Body: "A production line of kettles, well made."}},
	}
	e, _ := index(t, docs, Options{ShardBytes: 1 << 20, RowsPer: 16, MaxTerms: 400})
	for _, tt := range []struct {
		q    string
		want string // paths, sorted
	}{
		{"co-production", "/a/ /b/ /c/"},
		{"coproduction", "/a/ /b/"},
		{"co production", "/a/ /c/"},
		{"well-being", "/a/ /b/ /c/ /d/"},
		{"wellbeing", "/a/ /b/"},
		{"co-production families", "/b/"},
		{"kettles-production", "/d/"},
		{"kettles-families", ""}, // parts on no page together: no page has the word
		{"kettles in-to", "/d/"}, // "into" is a stop word, as "in" and "to" are
	} {
		r, err := e.Search(Query{Text: tt.q}, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range r.Hits {
			got = append(got, h.Path)
		}
		slices.Sort(got)
		if strings.Join(got, " ") != tt.want || r.AnyWord {
			t.Errorf("%q finds %v (any word: %v); want %s", tt.q, got, r.AnyWord, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"dementai", "dementia", 1, 1},         // transposition
		{"wheelchiar", "wheelchair", 2, 1},     // transposition
		{"occupasional", "occupational", 2, 1}, // substitution
		{"therapy", "therapy", 1, 0},
		{"therapy", "theory", 1, 2}, // over the limit
		{"hoist", "hoists", 1, 1},
		{"abc", "abcdef", 1, 2},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("Distance(%q, %q, %d) = %d; want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestPostingsRoundTrip(t *testing.T) {
	p := &postings{docs: []int32{0, 1, 5, 37, 1000, 123456}, impacts: []uint8{32, 1, 0, 31, 32, 17}}
	enc := p.encode()
	docs, imps := decode(enc)
	want := []int{ImpactValues[32], 100, 0, ImpactValues[31], ImpactValues[32], ImpactValues[17]}
	if fmt.Sprint(docs, imps) != fmt.Sprint(p.docs, want) {
		t.Errorf("round trip = %v %v; want %v %v", docs, imps, p.docs, want)
	}
	if !strings.HasSuffix(enc, "gBAfgR") { // one digit a level: 32 1 0 31 32 17
		t.Errorf("impacts encoded as %q; want one digit each", enc)
	}
}

// Levels keep an impact to within half a level's step (5%) from the top
// down to a nineteenth of it, and never go backwards.
func TestImpactLevels(t *testing.T) {
	if ImpactValues[1] != 100 || ImpactValues[2] != 110 || ImpactValues[topLevel] != 1863 {
		t.Errorf("values %d %d … %d; want 100 110 … 1863", ImpactValues[1], ImpactValues[2], ImpactValues[topLevel])
	}
	top := float64(ImpactValues[topLevel])
	prev := uint8(0)
	for share := 0.0; share <= 1; share += 1.0 / 4096 {
		q := level(share)
		if q < prev || q < 1 || q > topLevel {
			t.Fatalf("level(%g) = %d after %d", share, q, prev)
		}
		prev = q
		if share >= float64(ImpactValues[1])/top {
			if r := float64(ImpactValues[q]) / top / share; r < 1/1.051 || r > 1.051 {
				t.Errorf("level(%g) = %d, worth %g of the top: off by %.1f%%", share, q, float64(ImpactValues[q])/top, 100*(r-1))
			}
		}
	}
	if level(0) != 1 || level(1) != topLevel {
		t.Errorf("level(0) = %d, level(1) = %d; want 1 and %d", level(0), level(1), topLevel)
	}
}

// fixture is a tiny index: the words and places are chosen so each test
// below has one right answer.
func fixture(t *testing.T, o Options) (*Engine, []File) {
	t.Helper()
	docs, o := fixtureDocs(o)
	return index(t, docs, o)
}

// index builds the index of docs and opens it, as the client would.
func index(t *testing.T, docs []Doc, o Options) (*Engine, []File) {
	t.Helper()
	b := NewBuilder(len(docs), o)
	for i, d := range docs {
		b.Add(i, d)
	}
	files := b.Build()
	byName := map[string][]byte{}
	for _, f := range files {
		byName[f.Name] = f.Data
	}
	e, err := Open(func(name string) ([]byte, error) {
		if d, ok := byName[name]; ok {
			return d, nil
		}
		return nil, os.ErrNotExist
	})
	if err != nil {
		t.Fatal(err)
	}
	return e, files
}

// fixtureDocs are the fixture's documents, and o with its facets.
func fixtureDocs(o Options) ([]Doc, Options) {
	docs := []Doc{
		{Path: "/stories/denis/", Title: "Denis walks to his kitchen", Kind: "story", Date: "2026-11-23", Themes: []string{"rehab-potential"}, Excerpt: "A year in bed.",
			Text: [numFields]string{Title: "Denis walks to his kitchen", Themes: "Rehab potential", People: "Denis", Body: "After a year in bed Denis used a hoist; small steps with a frame."}},
		{Path: "/features/wheelchairs/", Title: "Budgets for wheelchairs", Kind: "feature", Date: "2019-04-01", Themes: []string{"personal-health-budgets"}, Excerpt: "Dylan's wheelchair.",
			Text: [numFields]string{Title: "Budgets for wheelchairs", Themes: "Personal health budgets", Body: "A personal health budget paid for a wheelchair so Dylan could go to university."}},
		{Path: "/stories/kitchen-mention/", Title: "Dementia at home", Kind: "story", Date: "2019-02-01", Themes: []string{"dementia"}, Excerpt: "Living with dementia.",
			Text: [numFields]string{Title: "Dementia at home", Themes: "Dementia", Body: "She cooks in her kitchen again with prompts. Dementia care at home, co-production with her family."}},
		{Path: "/episodes/72/", Title: "Rebuilding lives", Kind: "episode", Date: "2020-05-01", Themes: []string{"rehab-potential"}, Excerpt: "A podcast.",
			Text: [numFields]string{Title: "Rebuilding lives", Themes: "Rehab potential", People: "Zoe Phillips"},
			Parts: []Part{
				{Anchor: "#t0", Speaker: "Zoe Phillips", Start: 0, Text: "Welcome to the podcast about personalisation."},
				{Anchor: "#t83", Speaker: "Zoe Phillips", Start: 83, Text: "The carers came four times a day and the hoist stayed by the bed."},
				{Anchor: "#t95-2", Speaker: "Denis", Start: 95, Text: "Now the carers have stopped coming; I make my own tea."},
				{Anchor: "#t3725", Start: 3725, Text: "Music plays out the episode, and the credits thank the makers."},
			}},
	}
	o.Kinds = []Facet{{"story", "Stories"}, {"episode", "Episodes"}, {"feature", "Features"}}
	o.Themes = []Facet{{"dementia", "Dementia"}, {"personal-health-budgets", "Personal health budgets"}, {"rehab-potential", "Rehab potential"}}
	return docs, o
}

func titles(r Result) string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Title)
	}
	return strings.Join(out, " | ")
}

func TestSearch(t *testing.T) {
	// small shards, so queries cross several files
	e, _ := fixture(t, Options{ShardBytes: 200, RowsPer: 2, MaxTerms: 160})
	tests := []struct {
		name  string
		q     Query
		want  string
		fuzzy bool
	}{
		{"title match beats body match", Query{Text: "kitchen"}, "Denis walks to his kitchen | Dementia at home", false},
		{"stemming: walking finds walks", Query{Text: "walking"}, "Denis walks to his kitchen", false},
		{"plural finds singular", Query{Text: "wheelchair"}, "Budgets for wheelchairs", false},
		{"one typo", Query{Text: "dementai"}, "Dementia at home", true},
		{"typo in a long word", Query{Text: "wheelchiar"}, "Budgets for wheelchairs", true},
		{"no typo tolerance in short words", Query{Text: "hoit"}, "", false},
		{"prefix while typing", Query{Text: "wheelch", Typing: true}, "Budgets for wheelchairs", false},
		{"all words must match", Query{Text: "kitchen dementia"}, "Dementia at home", false},
		{"any word when none has all", Query{Text: "hoist university"}, "Rebuilding lives | Budgets for wheelchairs | Denis walks to his kitchen", false},
		{"unseen form of a word", Query{Text: "hoisting"}, "Rebuilding lives | Denis walks to his kitchen", false},
		{"hyphenated joined", Query{Text: "coproduction"}, "Dementia at home", false},
		{"accents folded", Query{Text: "démentia"}, "Dementia at home", false},
		{"stop words ignored", Query{Text: "the kitchen"}, "Denis walks to his kitchen | Dementia at home", false},
		{"kind filter", Query{Text: "kitchen", Kinds: []string{"feature"}}, "", false},
		{"theme filter", Query{Text: "kitchen", Themes: []string{"dementia"}}, "Dementia at home", false},
		{"year filter alone", Query{Years: []string{"2019"}}, "Budgets for wheelchairs | Dementia at home", false},
		{"nothing", Query{Text: "zebra"}, "", false},
		{"while typing, the word itself beats longer words", Query{Text: "care", Typing: true}, "Dementia at home | Rebuilding lives", false},
		{"a transcript match finds its episode", Query{Text: "carers"}, "Rebuilding lives", false},
		{"a transcript match passes the page's filters", Query{Text: "hoist", Kinds: []string{"episode"}}, "Rebuilding lives", false},
		{"the page's filters apply to its parts", Query{Text: "carers", Themes: []string{"dementia"}}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.Search(tt.q, 10)
			if err != nil {
				t.Fatal(err)
			}
			if any := tt.name == "any word when none has all"; r.AnyWord != any {
				t.Errorf("AnyWord = %v, want %v", r.AnyWord, any)
			}
			if got := titles(r); got != tt.want || r.Fuzzy != tt.fuzzy {
				t.Errorf("Search(%+v) = %q (fuzzy %v); want %q (fuzzy %v)", tt.q, got, r.Fuzzy, tt.want, tt.fuzzy)
			}
		})
	}
}

// The count beside each filter: results with that value, under the
// query's words and the other facets' filters, not its own facet's.
func TestFacetCounts(t *testing.T) {
	e, _ := fixture(t, Options{ShardBytes: 200, RowsPer: 2, MaxTerms: 160})
	tests := []struct {
		name string
		q    Query
		want string // every facet term with its count, in manifest order
	}{
		{"filters alone: the whole site",
			Query{Years: []string{"2019", "2020", "2026"}},
			"#k:story=2 #k:episode=1 #k:feature=1 #t:dementia=1 #t:personal-health-budgets=1 #t:rehab-potential=2 #y:2026=1 #y:2020=1 #y:2019=2"},
		{"words: the pages matching them",
			Query{Text: "kitchen"},
			"#k:story=2 #k:episode=0 #k:feature=0 #t:dementia=1 #t:personal-health-budgets=0 #t:rehab-potential=1 #y:2026=1 #y:2020=0 #y:2019=1"},
		{"a transcript match counts its page",
			Query{Text: "carers"},
			"#k:story=0 #k:episode=1 #k:feature=0 #t:dementia=0 #t:personal-health-budgets=0 #t:rehab-potential=1 #y:2026=0 #y:2020=1 #y:2019=0"},
		{"a facet's own filter leaves its counts alone and narrows the others",
			Query{Text: "kitchen", Kinds: []string{"story"}, Years: []string{"2019"}},
			"#k:story=1 #k:episode=0 #k:feature=0 #t:dementia=1 #t:personal-health-budgets=0 #t:rehab-potential=0 #y:2026=1 #y:2020=0 #y:2019=1"},
		{"values of one facet add to each other",
			Query{Kinds: []string{"story", "feature"}},
			"#k:story=2 #k:episode=1 #k:feature=1 #t:dementia=1 #t:personal-health-budgets=1 #t:rehab-potential=1 #y:2026=1 #y:2020=0 #y:2019=2"},
		{"stop words alone: nothing asked, nothing counted",
			Query{Text: "the"},
			"#k:story=0 #k:episode=0 #k:feature=0 #t:dementia=0 #t:personal-health-budgets=0 #t:rehab-potential=0 #y:2026=0 #y:2020=0 #y:2019=0"},
		{"no results: every count nought",
			Query{Text: "zebra"},
			"#k:story=0 #k:episode=0 #k:feature=0 #t:dementia=0 #t:personal-health-budgets=0 #t:rehab-potential=0 #y:2026=0 #y:2020=0 #y:2019=0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Counts = true
			r, err := e.Search(q, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, g := range e.facetGroups(q) {
				for _, v := range g.all {
					got = append(got, fmt.Sprintf("%s%s=%d", g.prefix, v, r.Counts[g.prefix+v]))
				}
			}
			if len(r.Counts) != len(got) {
				t.Errorf("%d counts, want one for each of the %d facet values: %v", len(r.Counts), len(got), r.Counts)
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("counts:\n got %s\nwant %s", s, tt.want)
			}
		})
	}
	r, err := e.Search(Query{Text: "kitchen"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if r.Counts != nil {
		t.Errorf("counts %v without asking", r.Counts)
	}
}

func TestPartsLinkToTheirPlace(t *testing.T) {
	e, _ := fixture(t, Options{ShardBytes: 200, RowsPer: 2, MaxTerms: 160})
	r, err := e.Search(Query{Text: "carers"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 1 || len(r.Hits) != 1 {
		t.Fatalf("want one page for two matching paragraphs, got %d: %+v", r.Total, r.Hits)
	}
	var got []string
	for _, p := range r.Hits[0].Parts {
		got = append(got, p.Path+" "+p.Label)
	}
	if strings.Join(got, "; ") != "/episodes/72/#t95-2 Denis at 1:35; /episodes/72/#t83 Zoe Phillips at 1:23" {
		t.Errorf("parts = %q", got)
	}
	// a part naming nobody, past an hour; the parts' order is their score's
	r, _ = e.Search(Query{Text: "credits makers"}, 10)
	if len(r.Hits) != 1 || len(r.Hits[0].Parts) != 1 || r.Hits[0].Parts[0].Path+" "+r.Hits[0].Parts[0].Label != "/episodes/72/#t3725 Transcript at 1:02:05" {
		t.Errorf("credits makers = %+v", r.Hits)
	}
	// a match in the page itself and in a part: one result, the part listed
	r, _ = e.Search(Query{Text: "phillips"}, 10)
	if len(r.Hits) != 1 || r.Hits[0].Path != "/episodes/72/" || len(r.Hits[0].Parts) != 0 {
		t.Errorf("phillips = %+v", r.Hits)
	}
	// years and kinds count pages, not their parts
	if e.m.N != 4 || e.m.Kinds[1][2] != float64(1) {
		t.Errorf("manifest counts = n %d, kinds %v", e.m.N, e.m.Kinds)
	}
}

// TestGoldenFiles pins the file format: the manifest, shards and rows of the
// fixture (go test ./generator/internal/search -update rewrites it).
func TestGoldenFiles(t *testing.T) {
	_, files := fixture(t, Options{ShardBytes: 200, RowsPer: 2, MaxTerms: 160})
	var b strings.Builder
	for _, f := range files {
		fmt.Fprintf(&b, "-- %s --\n%s", f.Name, f.Data)
	}
	golden := filepath.Join("testdata", "index.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), b.String()); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", golden, d)
	}
}

func TestDeterministic(t *testing.T) {
	_, a := fixture(t, Defaults())
	_, b := fixture(t, Defaults())
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("two builds differ:\n%s", d)
	}
}

// TestRenumbered: documents added under other ids and renumbered give the
// same index as documents added in order, parts included (the episode's
// transcript paragraphs follow it).
func TestRenumbered(t *testing.T) {
	_, want := fixture(t, Defaults())
	docs, o := fixtureDocs(Defaults())
	at := []int{3, 0, 1, 2} // doc i first goes in at[i]
	b := NewBuilder(len(docs), o)
	for i, d := range docs {
		b.Add(at[i], d)
	}
	to := make([]int, len(docs))
	for i := range docs {
		to[at[i]] = i
	}
	if d := cmp.Diff(want, b.Renumbered(to, len(docs), b.Options()).Build()); d != "" {
		t.Errorf("renumbered index differs:\n%s", d)
	}
	if d := cmp.Diff(want, b.Build()); d == "" {
		t.Error("the test proves nothing: the order did not matter")
	}
}

// foldWhole is what Fold must give: the whole text through NFKD, marks
// left out, lower case (what the client does to a query).
func foldWhole(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

var foldCases = []string{
	"", "Denis walks", "Café Rehabilitación", "e\u0301te\u0301", "Ⅻ ﬁnal ＡＢＣ",
	"“Small steps” – Zoë’s plan", "Ελληνικά Ωμέγα", "日本語 テキスト", "Ǆemal a\u0323\u0302b",
	"x\u0301\u0323y", "İstanbul ǅ", "\u0301start",
}

// TestFoldAsWhole: Fold, which takes ASCII byte by byte, gives what
// folding the whole text at once gives, for text that mixes ASCII with
// accents (composed and combining), compatibility forms and other scripts.
func TestFoldAsWhole(t *testing.T) {
	for _, s := range foldCases {
		if got, want := Fold(s), foldWhole(s); got != want {
			t.Errorf("Fold(%q) = %q; folding it whole gives %q", s, got, want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range foldCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the build reads only valid UTF-8, and a browser's strings are valid
		}
		if got, want := Fold(s), foldWhole(s); got != want {
			t.Errorf("Fold(%q) = %q; folding it whole gives %q", s, got, want)
		}
	})
}

// TestCommonWordsOnThePage: a word said in most of a long transcript's
// paragraphs is indexed on the episode, not on every paragraph (one
// posting, no list of moments); a rarer word still lists where it is said.
func TestCommonWordsOnThePage(t *testing.T) {
	var parts []Part
	for i := range 120 {
		text := fmt.Sprintf("The kettle tipper helped again in week %d.", i)
		if i == 7 || i == 90 {
			text += " Then the zebra crossing by the shops."
		}
		parts = append(parts, Part{Anchor: fmt.Sprintf("#t%d", i*30), Speaker: "Ruth Evans", Start: i * 30, Text: text})
	}
	docs := []Doc{
		{Path: "/stories/a/", Title: "A kettle for Agnes", Kind: "story", Date: "2024-01-01", Text: [numFields]string{Title: "A kettle for Agnes", Body: "Agnes makes tea."}},
		{Path: "/episodes/1/", Title: "Small steps", Kind: "episode", Date: "2024-02-01", Text: [numFields]string{Title: "Small steps"}, Parts: parts},
	}
	e, _ := index(t, docs, Options{ShardBytes: 1 << 20, RowsPer: 16, MaxTerms: 400})
	r, _ := e.Search(Query{Text: "kettle"}, 10)
	if r.Total != 2 || len(r.Hits[0].Parts)+len(r.Hits[1].Parts) != 0 {
		t.Errorf("kettle = %+v; want both pages, no moments", r.Hits)
	}
	sh, _ := e.shard(e.shardFor("kettl"))
	for i, w := range sh.Words {
		if w == "kettle" {
			if docs, _ := decode(sh.Postings[sh.Stems[i]]); len(docs) != 2 {
				t.Errorf("kettle has %d postings; want 2, one a page", len(docs))
			}
		}
	}
	r, _ = e.Search(Query{Text: "zebra"}, 10)
	var got []string
	for _, h := range r.Hits {
		for _, p := range h.Parts {
			got = append(got, p.Path)
		}
	}
	if r.Total != 1 || strings.Join(got, " ") != "/episodes/1/#t210 /episodes/1/#t2700" {
		t.Errorf("zebra = %d results, moments %v; want the episode at #t210 and #t2700", r.Total, got)
	}
}

// TestQuotes: each result quotes the passage with the most of the query's
// words, from its page's text, or from the transcript paragraph of its
// best moment with who said it and when; a title-only match quotes
// nothing; long passages are cut around their first match.
func TestQuotes(t *testing.T) {
	o := Defaults()
	o.ShardBytes, o.BlockParts = 200, 2
	e, files := fixture(t, o)
	for _, tt := range []struct {
		q, path, quote, label string
	}{
		{"frame", "/stories/denis/", "After a year in bed Denis used a hoist; small steps with a frame.", ""},
		{"dementia prompts", "/stories/kitchen-mention/", "She cooks in her kitchen again with prompts.", ""},
		{"wheelchairs", "/features/wheelchairs/", "A personal health budget paid for a wheelchair so Dylan could go to university.", ""},
		{"carers four times", "/episodes/72/", "The carers came four times a day and the hoist stayed by the bed.", "Zoe Phillips at 1:23"},
		{"tea", "/episodes/72/", "Now the carers have stopped coming; I make my own tea.", "Denis at 1:35"},
		{"credits", "/episodes/72/", "Music plays out the episode, and the credits thank the makers.", "Transcript at 1:02:05"},
		{"rebuilding", "/episodes/72/", "", ""}, // its title: the summary instead
	} {
		r, err := e.Search(Query{Text: tt.q}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Hits) == 0 || r.Hits[0].Path != tt.path {
			t.Errorf("%q: first %q; want %s", tt.q, titles(r), tt.path)
			continue
		}
		h := r.Hits[0]
		if h.Quote != tt.quote || h.QuoteLabel != tt.label || tt.label != "" && !strings.HasPrefix(h.QuotePath, tt.path+"#t") {
			t.Errorf("%q: quote %q, %q at %q; want %q, %q", tt.q, h.Quote, h.QuoteLabel, h.QuotePath, tt.quote, tt.label)
		}
		if tt.quote == "" && h.Summary != "A podcast." {
			t.Errorf("%q: no quote, summary %q; want the page's, from its passage file", tt.q, h.Summary)
		}
	}
	// a page's sentences in one file, its parts' texts two a block
	var names []string
	for _, f := range files {
		if strings.HasPrefix(f.Name, "x") {
			names = append(names, f.Name)
		}
	}
	if want := "x0.js x1.js x2.js x3-0.js x3-1.js x3.js"; strings.Join(sorted(names), " ") != want {
		t.Errorf("passage files %v; want %s", names, want)
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }

func TestSentencesAndWindow(t *testing.T) {
	got := Sentences("First one. Second one? \"Third,\" she said. e.g. this stays.\n\n  A new   line.", 1000)
	if want := "First one.\nSecond one?\n\"Third,\" she said. e.g. this stays.\nA new line."; got != want {
		t.Errorf("Sentences = %q; want %q", got, want)
	}
	if got := Sentences("One. Two. Three.", 9); got != "One.\nTwo." {
		t.Errorf("Sentences within 9 bytes = %q", got)
	}
	long := strings.Repeat("filler words go here ", 20) + "the hoist stayed " + strings.Repeat("and more words after ", 20)
	q := Quote(long, []string{"hoist"})
	if !strings.HasPrefix(q, "…") || !strings.HasSuffix(q, "…") || !strings.Contains(q, "hoist") || utf8.RuneCountInString(q) > QuoteRunes+2 {
		t.Errorf("Quote of a long passage = %q", q)
	}
	if at := strings.Index(q, "hoist"); at < 20 || at > QuoteRunes/2 {
		t.Errorf("the match is at %d of the quote %q: want a little context before it", at, q)
	}
	// most terms wins, the first on a tie
	if q := Quote("a hoist\na frame and a hoist\nframe hoist", []string{"hoist", "frame"}); q != "a frame and a hoist" {
		t.Errorf("Quote = %q", q)
	}
	if q := Quote("nothing here", []string{"hoist"}); q != "" {
		t.Errorf("Quote without a match = %q", q)
	}
}

// TestTopics: themes and learning packs are matched by words, listed apart
// from the pages (whose count they are not in), with their kind and a
// quote, and not at all when a filter is checked.
func TestTopics(t *testing.T) {
	docs, o := fixtureDocs(Defaults())
	o.Topics = 2
	b := NewBuilder(len(docs), o)
	for i, d := range docs {
		b.Add(i, d)
	}
	b.AddTopic(0, Doc{Path: "themes/dementia/", Title: "Dementia", Kind: "theme", Excerpt: "Living well with dementia.", Text: [numFields]string{Title: "Dementia", Summary: "Living well with dementia.", Body: "Living well with dementia, at home and in care."}})
	b.AddTopic(1, Doc{Path: "packs/at-home/", Title: "Care at home", Kind: "pack", Themes: []string{"dementia"}, Excerpt: "Four stories.", Text: [numFields]string{Title: "Care at home", Themes: "Dementia", Body: "Stories of dementia care at home."}})
	byName := map[string][]byte{}
	for _, f := range b.Build() {
		byName[f.Name] = f.Data
	}
	e, err := Open(func(name string) ([]byte, error) { return byName[name], nil })
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Search(Query{Text: "dementia"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var topics []string
	for _, h := range r.Topics {
		topics = append(topics, h.Kind+" "+h.Path+" "+h.Quote)
	}
	if want := "theme themes/dementia/ Living well with dementia, at home and in care.|pack packs/at-home/ Stories of dementia care at home."; strings.Join(topics, "|") != want {
		t.Errorf("topics %q; want %q", strings.Join(topics, "|"), want)
	}
	if r.Total != 1 || r.Hits[0].Path != "/stories/kitchen-mention/" {
		t.Errorf("pages %d: %s; want the one story", r.Total, titles(r))
	}
	// a topic with every word, no page: the pages with any of them
	if r, _ := e.Search(Query{Text: "dementia stories"}, 10); !r.AnyWord || r.Total == 0 || len(r.Topics) == 0 {
		t.Errorf("dementia stories: any %v, %d pages, topics %v; want the pages with either word and the pack", r.AnyWord, r.Total, r.Topics)
	}
	if r, _ := e.Search(Query{Text: "dementia", Kinds: []string{"story"}, Counts: true}, 10); len(r.Topics) != 0 || r.Counts["#k:story"] != 1 {
		t.Errorf("filtered: topics %v, counts %v; want none, and the one story", r.Topics, r.Counts)
	}
}

// TestTopRows: a query of any one word of the index finds the rows of its
// first TopRows results in the word's shard, the same rows as the row
// files hold, so the client fetches no row file for it.
func TestTopRows(t *testing.T) {
	o := Options{ShardBytes: 200, RowsPer: 2, MaxTerms: 160, TopRows: 2}
	e, _ := fixture(t, o)
	words := 0
	for i := range e.m.Keys {
		s, err := e.shard(i)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		if s.TopRows != "" {
			lines = strings.Split(s.TopRows, "\n")
		}
		if len(s.Top) != len(lines) {
			t.Fatalf("shard %d lists %d pages and %d rows", i, len(s.Top), len(lines))
		}
		for _, w := range s.Words {
			if strings.HasPrefix(w, "#") || IsStop(w) {
				continue
			}
			r, err := e.Search(Query{Text: w}, o.TopRows)
			if err != nil {
				t.Fatal(err)
			}
			if r.Fuzzy || len(r.Hits) == 0 {
				continue // the word alone is not how it is found (a stem's other form)
			}
			words++
			for _, h := range r.Hits {
				k := slices.Index(s.Top, int32(h.Doc))
				if k < 0 {
					t.Errorf("%q: result %s (page %d) has no row in shard %d (it carries %v)", w, h.Path, h.Doc, i, s.Top)
					continue
				}
				var got []any
				if err := json.Unmarshal([]byte(lines[k]), &got); err != nil {
					t.Fatal(err)
				}
				want, err := e.row(h.Doc)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("page %d's row in shard %d differs from its row file:\n%s", h.Doc, i, d)
				}
			}
		}
	}
	if words < 20 {
		t.Errorf("only %d words checked", words)
	}
	// and none without TopRows
	e, _ = fixture(t, Options{ShardBytes: 200, RowsPer: 2, MaxTerms: 160})
	for i := range e.m.Keys {
		if s, _ := e.shard(i); len(s.Top)+len(s.TopRows) > 0 {
			t.Errorf("shard %d carries rows with TopRows 0", i)
		}
	}
}

// TestFields: fields splits as strings.Fields does, Unicode spaces too.
func TestFields(t *testing.T) {
	for _, s := range []string{"", " ", "one", "  two  words ", "tab\tand\nline\r\n", "no\u00a0break\u2003em\u3000ideographic", "é à\u0085next", "\v\f"} {
		var got []string
		fields(s, func(w string) { got = append(got, w) })
		if want := strings.Fields(s); !slices.Equal(got, want) {
			t.Errorf("fields(%q) = %q; want %q", s, got, want)
		}
	}
}

// TestAnalysisKept: documents added from the Analysis another builder
// gave (a warm build's cache) make the index their own analysis makes,
// into a builder that already holds other words; an analysis that does
// not fit its document is refused, and the key follows the text.
func TestAnalysisKept(t *testing.T) {
	_, want := fixture(t, Defaults())
	docs, o := fixtureDocs(Defaults())
	first := NewBuilder(len(docs), o)
	for i, d := range docs {
		first.Add(i, d)
	}
	b := NewBuilder(len(docs), o)
	b.Add(0, docs[0]) // its words and stems get the first ids here
	for i := len(docs) - 1; i >= 1; i-- {
		a, ok := first.Analysis(i)
		if !ok {
			t.Fatalf("document %d has no analysis", i)
		}
		if !b.AddAnalysis(i, docs[i], a) {
			t.Fatalf("document %d's analysis was refused", i)
		}
	}
	if d := cmp.Diff(want, b.Build()); d != "" {
		t.Errorf("the index from kept analyses differs:\n%s", d)
	}

	ep, _ := first.Analysis(3)
	fewer := docs[3]
	fewer.Parts = fewer.Parts[:2]
	if b.AddAnalysis(3, fewer, ep) {
		t.Error("an analysis of four parts was taken for a document of two")
	}
	bad := ep
	bad.Words = append(slices.Clone(bad.Words), Word{Text: "hoist", Term: len(bad.Terms)})
	if b.AddAnalysis(3, docs[3], bad) {
		t.Error("a word naming no term was taken")
	}
	if _, ok := NewBuilder(1, o).Analysis(0); ok {
		t.Error("a document never added has an analysis")
	}
	changed := docs[0]
	changed.Text[Body] += " More."
	retitled := docs[0]
	retitled.Title = "Another title" // shown, not analysed: the same key
	if first.Key(changed) == first.Key(docs[0]) || first.Key(retitled) != first.Key(docs[0]) {
		t.Error("the key does not follow the analysed text alone")
	}
	o.QuoteBytes++
	if NewBuilder(1, o).Key(docs[0]) == first.Key(docs[0]) {
		t.Error("the key does not follow the options")
	}
}

// spillFile is a spill in memory that can be told to fail.
type spillFile struct {
	data       []byte
	failWrites bool
	failReads  bool
	writes     int
}

func (f *spillFile) WriteAt(p []byte, off int64) (int, error) {
	if f.failWrites {
		return 0, os.ErrPermission
	}
	f.writes++
	if end := int(off) + len(p); end > len(f.data) {
		f.data = append(f.data, make([]byte, end-len(f.data))...)
	}
	return copy(f.data[off:], p), nil
}

func (f *spillFile) ReadAt(p []byte, off int64) (int, error) {
	if f.failReads || int(off)+len(p) > len(f.data) {
		return 0, os.ErrClosed
	}
	return copy(p, f.data[off:]), nil
}

// TestSpill: a builder keeping its quotes in a spill, and the builders made
// from it (a renumbered one, a snapshot, one given kept analyses), build
// the index a builder keeping them in memory does; none holds the quotes
// itself. A spill that cannot be written keeps them in memory; one that
// cannot be read back says so.
func TestSpill(t *testing.T) {
	_, want := fixture(t, Defaults())
	docs, o := fixtureDocs(Defaults())
	f := &spillFile{}
	b := NewBuilder(len(docs), o)
	b.Spill(NewSpill(f))
	at := []int{3, 0, 1, 2}
	for i, d := range docs {
		b.Add(at[i], d)
	}
	spilled := 0
	for i, d := range b.docs {
		if d.quotes != "" {
			t.Errorf("document %d: %d bytes of quotes in memory", i, len(d.quotes))
		}
		spilled += int(d.spilled.n)
	}
	if spilled == 0 || spilled != len(f.data) {
		t.Errorf("%d bytes of quotes spilled, %d in the file", spilled, len(f.data))
	}
	to := make([]int, len(docs))
	for i := range docs {
		to[at[i]] = i
	}
	nb := b.Renumbered(to, len(docs), b.Options())
	if d := cmp.Diff(want, nb.Snapshot().Build()); d != "" {
		t.Errorf("the index from a spill differs:\n%s", d)
	}
	kept := NewBuilder(len(docs), o)
	kept.Spill(nb.spill)
	for i, d := range docs {
		a, ok := nb.Analysis(i)
		if !ok || !kept.AddAnalysis(i, d, a) {
			t.Fatalf("document %d: no analysis, or refused", i)
		}
	}
	if d := cmp.Diff(want, kept.Build()); d != "" {
		t.Errorf("the index from kept analyses and a spill differs:\n%s", d)
	}
	if err := nb.spill.Err(); err != nil {
		t.Fatal(err)
	}

	f.failWrites = true
	full := NewBuilder(len(docs), o)
	full.Spill(NewSpill(f))
	for i, d := range docs {
		full.Add(i, d)
	}
	if d := cmp.Diff(want, full.Build()); d != "" {
		t.Errorf("the index from a spill that cannot be written differs:\n%s", d)
	}
	f.failReads = true
	nb.Build()
	if nb.spill.Err() == nil {
		t.Error("quotes not read back, and no error")
	}
}

// TestBuildKeeping: a build that keeps the last one's passage files makes
// every other file as Build does, and of the passage files only those
// whose page's quotes, excerpt or parts changed, from analyses kept or not;
// the kept files and the made ones together are Build's.
func TestBuildKeeping(t *testing.T) {
	docs, o := fixtureDocs(Defaults())
	o.BlockParts = 2  // the episode's four parts in two blocks
	var prev *Builder // the last build's, whose analyses the next takes as a warm build does
	var prevDocs []Doc
	build := func(docs []Doc, kept map[string][32]byte) (made map[string]File, all map[string][]byte) {
		b := NewBuilder(len(docs), o)
		for i, d := range docs {
			if a, ok := prev.analysis(i); ok && b.Key(d) == b.Key(prevDocs[i]) && b.AddAnalysis(i, d, a) {
				continue
			}
			b.Add(i, d)
		}
		if prev == nil {
			prev, prevDocs = b, docs
		}
		all = map[string][]byte{}
		for _, f := range b.Build() {
			all[f.Name] = f.Data
		}
		made = map[string]File{}
		var mu sync.Mutex
		b.BuildKeeping(func(f File) {
			mu.Lock()
			defer mu.Unlock()
			made[f.Name] = f
		}, func(name string, key [32]byte) bool { return kept[name] == key })
		return made, all
	}
	keys := func(made map[string]File) map[string][32]byte {
		k := map[string][32]byte{}
		for name, f := range made {
			if f.Key != ([32]byte{}) {
				k[name] = f.Key
			}
		}
		return k
	}
	first, all := build(docs, nil)
	passages := 0
	for name, f := range first {
		if !bytes.Equal(f.Data, all[name]) {
			t.Errorf("%s differs from Build's", name)
		}
		if isPassage := strings.HasPrefix(name, "x"); isPassage != (f.Key != [32]byte{}) {
			t.Errorf("%s: key %x", name, f.Key[:4])
		}
		if strings.HasPrefix(name, "x") {
			passages++
		}
	}
	if len(first) != len(all) || passages < len(docs)+2 {
		t.Fatalf("%d files made of %d, %d passage files", len(first), len(all), passages)
	}

	for _, tc := range []struct {
		name string
		edit func(d *Doc)
		want []string // the passage files made again
	}{
		{"nothing", func(*Doc) {}, nil},
		{"the title", func(d *Doc) { d.Title += " again" }, nil},
		{"the body", func(d *Doc) { d.Text[Body] += " The hoist went back to the store." }, []string{"x3.js"}},
		{"the excerpt", func(d *Doc) { d.Excerpt += " More." }, []string{"x3.js"}},
		{"a part", func(d *Doc) { d.Parts[3].Text += " Later." }, []string{"x3-1.js"}},
	} {
		edited := slices.Clone(docs)
		edited[3].Parts = slices.Clone(edited[3].Parts)
		tc.edit(&edited[3])
		made, all := build(edited, keys(first))
		var again []string
		for name, f := range made {
			if strings.HasPrefix(name, "x") {
				again = append(again, name)
			}
			if !bytes.Equal(f.Data, all[name]) {
				t.Errorf("%s: %s differs from Build's", tc.name, name)
			}
		}
		slices.Sort(again)
		if !slices.Equal(again, tc.want) {
			t.Errorf("%s: made %v again, want %v", tc.name, again, tc.want)
		}
		for name, data := range all { // what was not made is the first build's
			if _, ok := made[name]; !ok && !bytes.Equal(data, first[name].Data) {
				t.Errorf("%s: %s was kept but Build makes it otherwise", tc.name, name)
			}
		}
	}
}

// analysis is b's analysis of document i; none when b is nil.
func (b *Builder) analysis(i int) (Analysis, bool) {
	if b == nil {
		return Analysis{}, false
	}
	return b.Analysis(i)
}

// TestAddAnalysisKeepsNothing: AddAnalysis copies what it keeps of the
// analysis it is given, which a warm build reads into buffers it uses
// again for the next: an index from analyses whose bytes and lists are
// overwritten once added is the index from analyses left alone, with the
// quotes in a spill or in memory.
func TestAddAnalysisKeepsNothing(t *testing.T) {
	docs, o := fixtureDocs(Defaults())
	first := NewBuilder(len(docs), o)
	for i, d := range docs {
		first.Add(i, d)
	}
	files := func(b *Builder) map[string]string {
		m := map[string]string{}
		for _, f := range b.Build() {
			m[f.Name] = string(f.Data)
		}
		return m
	}
	want := files(first)
	for _, spilled := range []bool{false, true} {
		b := NewBuilder(len(docs), o)
		if spilled {
			b.Spill(NewSpill(&spillFile{}))
		}
		for i, d := range docs {
			a, ok := first.Analysis(i)
			if !ok {
				t.Fatalf("no analysis of %s", d.Path)
			}
			buf, shared := inOneBuffer(a)
			if !b.AddAnalysis(i, d, shared) {
				t.Fatalf("%s: the analysis was refused", d.Path)
			}
			for k := range buf {
				buf[k] = 'x'
			}
			scribble(shared)
		}
		if diff := cmp.Diff(want, files(b)); diff != "" {
			t.Errorf("spilled %v: the index differs once the analyses' bytes are overwritten (-want +got):\n%s", spilled, diff)
		}
	}
}

// inOneBuffer is a copy of a whose strings all share the bytes of buf.
func inOneBuffer(a Analysis) (buf []byte, out Analysis) {
	var strs []*string
	var walk func(a *Analysis)
	walk = func(a *Analysis) {
		strs = append(strs, &a.Quotes)
		a.Terms, a.Words, a.Parts = slices.Clone(a.Terms), slices.Clone(a.Words), slices.Clone(a.Parts)
		for k := range a.Terms {
			strs = append(strs, &a.Terms[k].Stem)
		}
		for k := range a.Words {
			strs = append(strs, &a.Words[k].Text)
		}
		for k := range a.Parts {
			walk(&a.Parts[k])
		}
	}
	out = a
	walk(&out)
	for _, s := range strs {
		buf = append(buf, *s...)
	}
	at := 0
	for _, s := range strs {
		n := len(*s)
		*s = unsafe.String(unsafe.SliceData(buf[at:]), n)
		at += n
	}
	return buf, out
}

// scribble overwrites a's lists, as the next analysis read into them does.
func scribble(a Analysis) {
	for k := range a.Terms {
		a.Terms[k] = Term{Stem: "zzz", TF: 99}
	}
	for k := range a.Words {
		a.Words[k] = Word{Text: "zzz"}
	}
	for _, p := range a.Parts {
		scribble(p)
	}
}

// TestState: documents added from a saved State, in a builder that has
// met other words first, build the index the first builder does, their
// quotes asked of the quoter when a passage file is made; a State saved
// from documents added from one is the same bytes. A document under another key, of other parts,
// or from a State cut short or damaged is refused, never half taken.
func TestState(t *testing.T) {
	few := Defaults()
	few.MaxTerms = 3 // words kept or not decide which terms are cut
	for _, o := range []Options{Defaults(), few} {
		testState(t, o)
	}
}

func testState(t *testing.T, o Options) {
	docs, o := fixtureDocs(o)
	first := NewBuilder(len(docs), o)
	quotes := map[[32]byte]string{}
	for i, d := range docs {
		first.Add(i, d)
		a, _ := first.Analysis(i)
		quotes[first.Key(d)] = a.Quotes
	}
	want := first.Build()
	keyOf := func(b *Builder) func(i int) ([32]byte, bool) {
		return func(i int) ([32]byte, bool) { return b.Key(docs[i]), true }
	}
	data := first.AppendState(nil, keyOf(first))
	st, err := ReadState(data)
	if err != nil {
		t.Fatal(err)
	}
	if st.Docs() != len(docs) {
		t.Fatalf("the state holds %d documents, want %d", st.Docs(), len(docs))
	}
	b := NewBuilder(len(docs), o)
	other := docs[0]
	other.Text[Body] = "Zebras graze quietly; giraffes browse acacias."
	b.Add(0, other)   // words no document in the index has get the first ids
	b.Add(0, docs[0]) // then its own
	asked := 0
	b.QuotesFor(func(i int, key [32]byte) string {
		asked++
		if key != b.Key(docs[i]) {
			t.Errorf("document %d's quotes asked under another key", i)
		}
		return quotes[key]
	})
	for i := len(docs) - 1; i >= 1; i-- {
		if !b.AddState(i, docs[i], st, b.Key(docs[i])) {
			t.Fatalf("document %d was refused", i)
		}
	}
	if d := cmp.Diff(want, b.Build()); d != "" {
		t.Errorf("the index from a state differs:\n%s", d)
	}
	if asked != len(docs)-1 {
		t.Errorf("quotes asked %d times, want %d", asked, len(docs)-1)
	}
	whole := NewBuilder(len(docs), o)
	for i, d := range docs {
		whole.AddState(i, d, st, whole.Key(d))
	}
	if again := whole.AppendState(nil, keyOf(whole)); !bytes.Equal(again, data) {
		t.Error("the state saved again differs")
	}

	changed := docs[2]
	changed.Text[Body] += " More."
	if b.AddState(2, changed, st, b.Key(changed)) {
		t.Error("a document under a key the state lacks was taken")
	}
	fewer := docs[3]
	fewer.Parts = fewer.Parts[:2]
	if b.AddState(3, fewer, st, b.Key(docs[3])) {
		t.Error("counts of four parts were taken for a document of two")
	}
	for n := range len(data) {
		for _, d := range [][]byte{data[:n], flipped(data, n)} {
			st, err := ReadState(d)
			if err != nil {
				continue
			}
			c := NewBuilder(len(docs), o)
			for i, doc := range docs {
				c.AddState(i, doc, st, c.Key(doc)) // refused or taken, but whole
			}
		}
	}
}

func flipped(data []byte, at int) []byte {
	d := bytes.Clone(data)
	d[at] ^= 0xff
	return d
}
