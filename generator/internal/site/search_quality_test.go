package site_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/search"
	"github.com/otpress/otpress/generator/internal/site"
)

// judged is a practitioner's query on the example site and the pages that
// answer it (tests/search/judged.json, shared with the browser test and the
// benchmark against Pagefind).
type judged struct {
	Q    string   `json:"q"`
	Want []string `json:"want"`
	Typo bool     `json:"typo"`
}

// TestSearchQuality runs the judged queries on the example site through the
// reference engine: the right page must come first for most, and a query
// with one typo must still find it on the first screen.
func TestSearchQuality(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	out := t.TempDir()
	if _, err := site.Build(context.Background(), site.Options{SiteDir: root, OutDir: out, Minify: true}); err != nil {
		t.Fatal(err)
	}
	e := openIndex(t, out)
	data, err := os.ReadFile(filepath.Join(root, "tests", "search", "judged.json"))
	if err != nil {
		t.Fatal(err)
	}
	var qs []judged
	if err := json.Unmarshal(data, &qs); err != nil {
		t.Fatal(err)
	}
	// rank is the 1-based place of the first wanted page, 0 when absent
	rank := func(q string, want []string) int {
		r, err := e.Search(search.Query{Text: q}, 10)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range r.Hits {
			if slices.Contains(want, "/"+h.Path) {
				return i + 1
			}
		}
		return 0
	}
	var plain, typos []judged
	for _, q := range qs {
		if q.Typo {
			typos = append(typos, q)
		} else {
			plain = append(plain, q)
			// and the same query with one typo in its longest word
			for _, v := range oneTypo(q.Q) {
				typos = append(typos, judged{Q: v, Want: q.Want, Typo: true})
			}
		}
	}
	score := func(set []judged) (at1, at3, mrr float64, misses []string) {
		for _, q := range set {
			r := rank(q.Q, q.Want)
			if r == 1 {
				at1++
			}
			if r >= 1 && r <= 3 {
				at3++
			} else {
				misses = append(misses, q.Q)
			}
			if r > 0 {
				mrr += 1 / float64(r)
			}
		}
		n := float64(len(set))
		return at1 / n, at3 / n, mrr / n, misses
	}
	p1, p3, pm, pmiss := score(plain)
	t1, t3, tm, tmiss := score(typos)
	t.Logf("%d judged queries: first %.0f%%, top three %.0f%%, MRR %.2f", len(plain), 100*p1, 100*p3, pm)
	t.Logf("%d queries with one typo: first %.0f%%, top three %.0f%%, MRR %.2f", len(typos), 100*t1, 100*t3, tm)
	if len(plain) < 50 || len(typos) < 100 {
		t.Errorf("too few queries: %d judged, %d with typos", len(plain), len(typos))
	}
	if p1 < 0.85 || p3 < 0.95 {
		t.Errorf("judged queries: first %.2f (want ≥ 0.85), top three %.2f (want ≥ 0.95); not in the top three: %q", p1, p3, pmiss)
	}
	if t3 < 0.9 {
		t.Errorf("typo queries found in the top three: %.2f, want ≥ 0.9; missed: %q", t3, tmiss)
	}
}

// oneTypo makes the four kinds of single typo (a letter left out, doubled
// wrongly, swapped with its neighbour, or replaced) in the middle of the
// query's longest word of five letters or more. Typos in the first two
// letters are not made: the index finds close spellings among the words
// that share them.
func oneTypo(q string) []string {
	fields := strings.Fields(q)
	at := -1
	for i, f := range fields {
		if len(f) >= 5 && strings.IndexFunc(f, func(r rune) bool { return r < 'a' || r > 'z' }) < 0 && (at < 0 || len(f) > len(fields[at])) {
			at = i
		}
	}
	if at < 0 {
		return nil
	}
	w := fields[at]
	m := len(w) / 2
	variants := []string{
		w[:m] + w[m+1:],                               // left out
		w[:m] + w[m:m+1] + w[m:],                      // doubled
		w[:m] + w[m+1:m+2] + w[m:m+1] + w[m+2:],       // swapped
		w[:m] + string('a'+(w[m]-'a'+7)%26) + w[m+1:], // replaced
	}
	var out []string
	for _, v := range variants {
		if v == w {
			continue
		}
		f := slices.Clone(fields)
		f[at] = v
		out = append(out, strings.Join(f, " "))
	}
	return out
}
