// Command searchq runs queries through the Go reference search engine over a
// built site's index and prints the answers as JSON, for the browser test
// that checks the JavaScript client gives the same ones.
//
//	go run ./generator/internal/search/searchq -index public/search/data < queries.json
//
// The input is a JSON list of {"q": "…", "typing": false}, each with
// "kinds", "themes" and "years" to filter by and "counts": true for the
// facets' counts if wanted; the output is the same list with "total",
// "fuzzy" and "hits" (paths, best first, each with its matching parts'
// paths), "quotes" (each hit's), "topics" (themes and learning packs), and
// "counts" when asked.
//
//	go run ./generator/internal/search/searchq -build corpus.json -lang cy -index DIR
//
// instead writes the index of a corpus into DIR: a JSON object whose
// "docs" each have a path, kind, date, title and body (the title is also
// the excerpt), as generator/internal/search/testdata/welsh-corpus.json.
// The node test of search.js (tests/search/welsh.mjs) builds its index so,
// as the search package's tests read the same corpus.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/otpress/otpress/generator/internal/search"
)

type query struct {
	Q      string   `json:"q"`
	Typing bool     `json:"typing"`
	Kinds  []string `json:"kinds,omitempty"`
	Themes []string `json:"themes,omitempty"`
	Years  []string `json:"years,omitempty"`
	Counts bool     `json:"counts,omitempty"`
}

type answer struct {
	query
	Total int        `json:"total"`
	Fuzzy bool       `json:"fuzzy"`
	Any   bool       `json:"any"`
	Hits  [][]string `json:"hits"` // [page path, part paths…]
	// each hit's quote, "Speaker at 1:23: text" from a transcript
	Quotes []string `json:"quotes"`
	// the themes and learning packs: "kind path quote"
	Topics []string `json:"topics"`
	// with "counts": each facet value's number of results
	Counts map[string]int `json:"counts,omitempty"`
}

func main() {
	dir := flag.String("index", "public/search/data", "the folder of the built index")
	limit := flag.Int("n", 20, "results per query")
	corpus := flag.String("build", "", "write the index of this corpus into -index instead")
	lang := flag.String("lang", "", "the corpus's language, with -build")
	shard := flag.Int("shard", 0, "with -build, the raw size shards grow to (0: the default)")
	flag.Parse()
	run := func() error { return run(*dir, *limit) }
	if *corpus != "" {
		run = func() error { return build(*corpus, *lang, *shard, *dir) }
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "searchq:", err)
		os.Exit(1)
	}
}

// build writes the index of a corpus into dir.
func build(corpus, lang string, shard int, dir string) error {
	data, err := os.ReadFile(corpus)
	if err != nil {
		return err
	}
	var c struct {
		Docs []struct{ Path, Kind, Date, Title, Body string }
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return fmt.Errorf("%s: %w", corpus, err)
	}
	o := search.Defaults()
	o.Language = lang
	if shard > 0 {
		o.ShardBytes = shard
	}
	o.Kinds = []search.Facet{{Value: "story", Label: "Stories"}, {Value: "episode", Label: "Episodes"}, {Value: "feature", Label: "Features"}}
	b := search.NewBuilder(len(c.Docs), o)
	for i, d := range c.Docs {
		doc := search.Doc{Path: d.Path, Title: d.Title, Kind: d.Kind, Date: d.Date, Excerpt: d.Title}
		doc.Text[search.Title], doc.Text[search.Body] = d.Title, d.Body
		b.Add(i, doc)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range b.Build() {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func run(dir string, limit int) error {
	e, err := search.Open(func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) })
	if err != nil {
		return err
	}
	var qs []query
	if err := json.NewDecoder(os.Stdin).Decode(&qs); err != nil {
		return fmt.Errorf("reading queries: %w", err)
	}
	out := []answer{}
	for _, q := range qs {
		r, err := e.Search(search.Query{Text: q.Q, Typing: q.Typing, Kinds: q.Kinds, Themes: q.Themes, Years: q.Years, Counts: q.Counts}, limit)
		if err != nil {
			return err
		}
		a := answer{query: q, Total: r.Total, Fuzzy: r.Fuzzy, Any: r.AnyWord, Hits: [][]string{}, Quotes: []string{}, Topics: []string{}, Counts: r.Counts}
		for _, h := range r.Topics {
			a.Topics = append(a.Topics, h.Kind+" "+h.Path+" "+h.Quote)
		}
		for _, h := range r.Hits {
			hit := []string{h.Path}
			for _, p := range h.Parts {
				hit = append(hit, p.Path+" "+p.Label) // where, and what the result calls it
			}
			a.Hits = append(a.Hits, hit)
			quote := h.Quote
			if h.QuoteLabel != "" {
				quote = h.QuoteLabel + ": " + quote
			}
			a.Quotes = append(a.Quotes, quote)
		}
		out = append(out, a)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}
