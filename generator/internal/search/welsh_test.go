package search

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// welshForm is a line of testdata/welsh-mutations.json, the table
// search.js is tested against too (tests/search/welsh.mjs).
type welshForm struct {
	Mutated, Radical, Mutation, In string
}

func welshForms(t *testing.T) []welshForm {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "welsh-mutations.json"))
	if err != nil {
		t.Fatal(err)
	}
	var table struct{ Forms []welshForm }
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	if len(table.Forms) < 30 {
		t.Fatalf("the table has %d forms", len(table.Forms))
	}
	return table.Forms
}

func welshOptions() Options {
	o := Defaults()
	o.Language = "cy"
	return o
}

// hits is the paths a query finds, best first.
func hits(t *testing.T, e *Engine, q string) []string {
	t.Helper()
	r, err := e.Search(Query{Text: q}, 50)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Path)
	}
	return out
}

// TestWelshMutationTable: every mutated form of the table is read as its
// radical and the radical takes that form; in an index, the radical and
// the mutated form each find the page with the other, whether or not the
// index holds the radical itself; and a quote marks one for the other.
func TestWelshMutationTable(t *testing.T) {
	for _, f := range welshForms(t) {
		m, r := Fold(f.Mutated), Fold(f.Radical)
		if !slices.Contains(welshReadings(m), r) {
			t.Errorf("%s (%s): welshReadings(%q) = %q, want %q among them", f.In, f.Mutation, m, welshReadings(m), r)
		}
		if !slices.Contains(welshMutations(r), m) {
			t.Errorf("%s (%s): welshMutations(%q) = %q, want %q among them", f.In, f.Mutation, r, welshMutations(r), m)
		}
		if !welshMatches(m, []string{r}) || !welshMatches(r, []string{m}) {
			t.Errorf("%s: %q and %q do not mark each other", f.In, m, r)
		}
		both := []Doc{
			{Path: "radical/", Title: "Un", Kind: "story", Text: [numFields]string{Body: "Dyma " + f.Radical + " heddiw."}},
			{Path: "mutated/", Title: "Dau", Kind: "story", Text: [numFields]string{Body: "Dyma " + f.In + "."}},
		}
		e, _ := index(t, both, welshOptions())
		for _, q := range []string{f.Radical, f.Mutated} {
			if got := hits(t, e, q); len(got) != 2 {
				t.Errorf("%s: %q finds %q, want both pages", f.In, q, got)
			}
		}
		// the mutated form alone: both still find it
		e, _ = index(t, both[1:], welshOptions())
		for _, q := range []string{f.Radical, f.Mutated} {
			r, err := e.Search(Query{Text: q}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Hits) != 1 || !strings.Contains(Fold(r.Hits[0].Quote), m) {
				t.Errorf("%s alone: %q finds %+v, want the page quoting %q", f.In, q, r.Hits, m)
			}
		}
	}
}

// TestWelshReadings: forms that are read one way only are folded as a
// document is analysed; digraphs that are radicals have no reading.
func TestWelshReadings(t *testing.T) {
	stems := map[string]string{"nghath": "cath", "mhen": "pen", "nhad": "tad", "ngofal": "gofal", "ddydd": "dydd", "gath": "gath", "chwaer": "chwaer", "ng": "ng", "dd": "dd"}
	for w, want := range stems {
		if got := welshStem(w); got != want {
			t.Errorf("welshStem(%q) = %q, want %q", w, got, want)
		}
	}
	for _, w := range []string{"llaw", "rhaglen", "ffordd", "cath", "pen", "tad", "", "h", "he"} {
		if got := welshReadings(w); len(got) != 0 {
			t.Errorf("welshReadings(%q) = %q, want none", w, got)
		}
	}
	readings := map[string][]string{
		"fam": {"bam", "mam"}, "law": {"llaw", "glaw"}, "raglen": {"rhaglen", "graglen"}, "ofal": {"gofal"},
		"henw": {"enw"}, "waith": {"gwaith"}, "mara": {"bara"}, "nydd": {"dydd"}, "chwaer": {"cwaer"}, "therapi": {"terapi"},
	}
	for w, want := range readings {
		if got := welshReadings(w); !slices.Equal(got, want) {
			t.Errorf("welshReadings(%q) = %q, want %q", w, got, want)
		}
	}
	if got, want := welshCandidates("nghath"), []string{"cath", "gath", "chath"}; !slices.Equal(got, want) {
		t.Errorf("welshCandidates(nghath) = %q, want %q", got, want)
	}
	for _, r := range []string{"chwaer", "ffordd", "llaw", "rhaglen", "ngh", "s", ""} {
		for _, m := range welshMutations(r) {
			if m == r || !long(m) {
				t.Errorf("welshMutations(%q) gives %q", r, m)
			}
		}
	}
}

// welshDocs are a few pages whose words test how a Welsh index settles
// forms that can be read two ways.
func welshDocs() []Doc {
	return []Doc{
		{Path: "a/", Title: "Cath Eleri", Kind: "story", Text: [numFields]string{Title: "Cath Eleri", Body: "Mae gan Eleri gath. Mae ei chwaer yn gofalu am ei chath hi."}},
		{Path: "b/", Title: "Gofal yn y cartref", Kind: "story", Text: [numFields]string{Title: "Gofal yn y cartref", Body: "Mae'r therapydd yn trafod ei ofal a'r cynllun gofal gyda'i fam."}},
		{Path: "c/", Title: "Mam a'r gegin", Kind: "story", Text: [numFields]string{Title: "Mam a'r gegin", Body: "Cerddodd ei mam i'r gegin ar ei phen ei hun."}},
		{Path: "d/", Title: "Ei henw", Kind: "story", Text: [numFields]string{Title: "Ei henw", Body: "Ysgrifennodd ei henw ar y papur."}},
	}
}

func welshFixture(t *testing.T, o Options) (*Engine, []File) {
	t.Helper()
	return index(t, welshDocs(), o)
}

func TestWelshIndex(t *testing.T) {
	e, files := welshFixture(t, welshOptions())
	tests := []struct{ q, want string }{
		{"cath", "a/"},           // gath, chath
		{"nghath", "a/"},         // not in the text: its radical
		{"gath", "a/"},           // as written
		{"gofal", "b/"},          // ofal counted with gofal
		{"ngofal", "b/"},         // not in the text
		{"mam", "c/ b/"},         // fam is soft mam: the text has mam
		{"fy mam", "c/ b/"},      // a stop word
		{"cegin", "c/"},          // the text has gegin only
		{"pen", "c/"},            // phen
		{"enw", "d/"},            // henw
		{"chwaer", "a/"},         // a radical ch: no "cwaer" anywhere
		{"cwaer", "a/"},          // read as chwaer's radical, as a query may be
		{"therapydd", "b/"},      // a radical th
		{"a'r", ""},              // clitics and stop words only
		{"i'r gegin", "c/"},      // the clitic is no word
		{"eleri's", "a/"},        // s is one letter: no word
		{"caerdydd", ""},         // nothing
		{"gofal cartref", "b/"},  // every word
		{"ei ofal hi", "b/"},     // mutated, with stop words
		{"therapyd", "b/"},       // one typo
		{"cymraeg", ""},          // no word alike
		{"fam", "c/ b/"},         // counted with mam: the title first
		{"cartref", "b/"},        // the title
		{"chartref", "b/"},       // aspirate of a radical the text has
		{"walking", ""},          // no English endings
		{"mae'n", ""},            // a stop word and a clitic
		{"hathrawes", ""},        // no such word in any form
		{"nghegin", "c/"},        // nasal of a word the text has soft only
		{"gyda'i fam", "c/ b/"},  // 'i is one letter
		{"cath chwaer", "a/"},    // both
		{"phen", "c/"},           // as written
		{"mhen", "c/"},           // another form of it
		{"ben", "c/"},            // and another
		{"pennau", ""},           // no Welsh endings: a plural is its own word
		{"ofal", "b/"},           // as written
		{"gofalu", "a/"},         // its own word: not gofal
		{"enwau", ""},            // nor enw
		{"henwau", ""},           // nor its h form
		{"Eleri", "a/"},          // a name
		{"ELERI GATH", "a/"},     // case
		{"eleri-gath", "a/"},     // hyphenated: parts
		{"cynllun gofal", "b/"},  // a phrase
		{"fy nghynllun", "b/"},   // nasal of cynllun
		{"ei chynllun hi", "b/"}, // aspirate of it
		{"papur", "d/"},          // plain
		{"bapur", "d/"},          // soft of it, not in the text
		{"ysgrifennodd", "d/"},   // a verb as written
		{"ysgrifennu", ""},       // its verb-noun: no stemming
		{"cath gofal", "a/ b/"},  // no page has both: pages with either
	}
	for _, tt := range tests {
		r, err := e.Search(Query{Text: tt.q}, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range r.Hits {
			got = append(got, h.Path)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("Search(%q) = %q, want %q", tt.q, strings.Join(got, " "), tt.want)
		}
	}
	m := string(files[len(files)-1].Data)
	if !strings.Contains(m, `"lang":"cy"`) || !strings.Contains(m, `"stop":["a","ac",`) {
		t.Errorf("the manifest does not say the index is Welsh: %s", m)
	}
}

// TestOtherLanguagesAsEnglish: an index of any language but Welsh is the
// English one, byte for byte, with the same analysis keys; Welsh tags
// with a region are Welsh.
func TestOtherLanguagesAsEnglish(t *testing.T) {
	_, want := fixture(t, Defaults())
	docs, _ := fixtureDocs(Defaults())
	for _, lang := range []string{"en-GB", "en", "fr", "cym", "de-CH"} {
		o := Defaults()
		o.Language = lang
		_, got := fixture(t, o)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("Language %q: the index differs from English:\n%s", lang, d)
		}
		if NewBuilder(1, o).Key(docs[0]) != NewBuilder(1, Defaults()).Key(docs[0]) {
			t.Errorf("Language %q: the analysis key differs from English", lang)
		}
	}
	for _, lang := range []string{"cy", "cy-GB", "CY", "cy_GB"} {
		if analysisOf(lang) != welshAnalysis {
			t.Errorf("analysisOf(%q) is not Welsh", lang)
		}
	}
	if NewBuilder(1, welshOptions()).Key(docs[0]) == NewBuilder(1, Defaults()).Key(docs[0]) {
		t.Error("a Welsh document's analysis key is the English one's: a kept English analysis would be used")
	}
}

// TestWelshRenumbered: the forms a Welsh index settles do not depend on
// the order documents were added in, nor on a document added and replaced
// before.
func TestWelshRenumbered(t *testing.T) {
	_, want := welshFixture(t, welshOptions())
	docs := welshDocs()
	b := NewBuilder(len(docs), welshOptions())
	b.Add(0, Doc{Path: "x/", Kind: "story", Text: [numFields]string{Body: "cath gath chath ofal gofal mam fam henw enw"}})
	at := []int{3, 1, 0, 2}
	for i, d := range docs {
		b.Add(at[i], d)
	}
	to := make([]int, len(docs))
	for i := range docs {
		to[at[i]] = i
	}
	if d := cmp.Diff(want, b.Renumbered(to, len(docs), b.Options()).Build()); d != "" {
		t.Errorf("renumbered Welsh index differs:\n%s", d)
	}
	if d := cmp.Diff(want, b.Build()); d == "" {
		t.Error("the test proves nothing: the order did not matter")
	}
}

// welshCorpus is testdata/welsh-corpus.json as documents, their body the
// text and the title also the title field.
func welshCorpus(t *testing.T) []Doc {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "welsh-corpus.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Docs []struct{ Path, Kind, Date, Title, Body string }
	}
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	var docs []Doc
	for _, d := range c.Docs {
		docs = append(docs, Doc{Path: d.Path, Title: d.Title, Kind: d.Kind, Date: d.Date, Excerpt: d.Title,
			Text: [numFields]string{Title: d.Title, Body: d.Body}})
	}
	return docs
}

// TestWelshJudged runs the judged Welsh queries (tests/search/judged-cy.json)
// on the Welsh corpus: every query must find every page it wants, and its
// first wanted page in the top three. It logs each query's ranks with
// mutations folded and, as the baseline, with the same analysis unfolded
// (go test -run WelshJudged -v: the figures of bench/SEARCH-RESULTS.md).
func TestWelshJudged(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "tests", "search", "judged-cy.json"))
	if err != nil {
		t.Fatal(err)
	}
	var qs []struct {
		Q    string
		Want []string
	}
	if err := json.Unmarshal(data, &qs); err != nil {
		t.Fatal(err)
	}
	if len(qs) < 15 {
		t.Fatalf("%d judged Welsh queries, want 15 or more", len(qs))
	}
	docs := welshCorpus(t)
	folded, _ := index(t, docs, welshOptions())
	o := welshOptions()
	o.noFold = true
	plain, _ := index(t, docs, o)
	plain.noFold = true
	// ranks are the 1-based places of the wanted pages, 0 for one not found
	ranks := func(e *Engine, q string, want []string) []int {
		got := hits(t, e, q)
		var out []int
		for _, w := range want {
			out = append(out, slices.Index(got, strings.TrimPrefix(w, "/"))+1)
		}
		return out
	}
	type score struct{ at1, at3, all, mrr, fuzzy float64 }
	var f, p score
	add := func(s *score, r []int, e *Engine, q string) (fuzzy string) {
		if res, err := e.Search(Query{Text: q}, 10); err != nil || res.Fuzzy {
			s.fuzzy++
			fuzzy = " (close spellings)"
		}
		first := slices.Min(r)
		if first == 0 {
			first = slices.Max(r)
		}
		if first == 1 {
			s.at1++
		}
		if first >= 1 && first <= 3 {
			s.at3++
		}
		if first > 0 {
			s.mrr += 1 / float64(first)
		}
		if !slices.Contains(r, 0) {
			s.all++
		}
		return fuzzy
	}
	t.Logf("%-26s %-8s %s", "query", "folded", "unfolded")
	for _, q := range qs {
		fr, pr := ranks(folded, q.Q, q.Want), ranks(plain, q.Q, q.Want)
		ff, pf := add(&f, fr, folded, q.Q), add(&p, pr, plain, q.Q)
		t.Logf("%-26s %-8s %s", q.Q, fmt.Sprint(fr)+ff, fmt.Sprint(pr)+pf)
		if slices.Contains(fr, 0) || slices.Min(fr) > 3 {
			t.Errorf("%q: the wanted pages %q are at %v (0: not found)", q.Q, q.Want, fr)
		}
	}
	n := float64(len(qs))
	for _, s := range []struct {
		name string
		s    score
	}{{"folded", f}, {"unfolded", p}} {
		t.Logf("%s: every wanted page found %.0f%%, first wanted at 1 %.0f%%, in the top three %.0f%%, MRR %.2f; %d queries answered with close spellings", s.name, 100*s.s.all/n, 100*s.s.at1/n, 100*s.s.at3/n, s.s.mrr/n, int(s.s.fuzzy))
	}
}
