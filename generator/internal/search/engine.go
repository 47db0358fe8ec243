package search

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Engine answers queries from the index files, exactly as the browser client
// does: it is the reference the client is tested against, and the tool for
// judging ranking quality.
type Engine struct {
	load      func(name string) ([]byte, error)
	m         manifest
	shards    map[int]*shard
	rows      map[int][][]any
	pageOf    []int       // a part's page, by part id minus the number of pages
	firstPart map[int]int // a page's first part id
	stop      map[string]bool
	welsh     bool // a Welsh index: words not listed are looked up as their other forms
	noFold    bool // but not here: the baseline of the judged Welsh queries
}

// Open reads the manifest through load, which returns a file of the index.
func Open(load func(name string) ([]byte, error)) (*Engine, error) {
	e := &Engine{load: load, shards: map[int]*shard{}, rows: map[int][][]any{}}
	if err := e.read("m.js", &e.m); err != nil {
		return nil, err
	}
	e.stop = map[string]bool{}
	for _, w := range e.m.Stop {
		e.stop[w] = true
	}
	e.welsh = e.m.Lang == "cy"
	nums := decodeNums(e.m.Parts)
	page := -1
	e.firstPart = map[int]int{}
	for i := 0; i+1 < len(nums); i += 2 {
		page += nums[i] + 1
		e.firstPart[page] = e.m.N + len(e.pageOf)
		for range nums[i+1] {
			e.pageOf = append(e.pageOf, page)
		}
	}
	return e, nil
}

func (e *Engine) read(name string, v any) error {
	data, err := e.load(name)
	if err != nil {
		return err
	}
	start, end := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
	if start < 0 || end < start {
		return fmt.Errorf("%s is not an index file", name)
	}
	body := data[start+1 : end]
	if c := bytes.IndexByte(body, ','); c >= 0 && name != "m.js" && body[0] != '{' && body[0] != '[' {
		body = body[c+1:]
	}
	return json.Unmarshal(body, v)
}

func (e *Engine) shard(i int) (*shard, error) {
	if s, ok := e.shards[i]; ok {
		return s, nil
	}
	var s shard
	if err := e.read(fmt.Sprintf("s%d.js", i), &s); err != nil {
		return nil, err
	}
	e.shards[i] = &s
	return &s, nil
}

// shardFor is the shard whose words would include w.
func (e *Engine) shardFor(w string) int {
	i := sort.Search(len(e.m.Keys), func(i int) bool { return e.m.Keys[i] > w }) - 1
	return max(i, 0)
}

// Query is a search with optional filters; within a facet any value may
// match, and every facet with values must match.
type Query struct {
	Text   string
	Kinds  []string
	Themes []string
	Years  []string
	// Typing is true while the reader is still typing: the last word is
	// matched as a prefix.
	Typing bool
	// Counts asks for Result.Counts.
	Counts bool
}

// Hit is one result: a page, and the parts of it that matched best.
type Hit struct {
	Doc   int
	Score int
	Path  string
	Title string
	Kind  string
	Parts []PartHit
	// Quote is the passage that matched (see search.Quote): from the
	// page's text, or from its best part, which QuotePath and QuoteLabel
	// then name ("Laura Martin at 4:12"). "" when nothing quotable has
	// the query's words (a title or themes match): the result shows its
	// Summary, which is only read then.
	Quote, QuotePath, QuoteLabel string
	Summary                      string
}

// PartHit is a matching place in a page, such as a transcript paragraph.
type PartHit struct {
	Doc   int
	Score int
	Path  string // with its #anchor
	Label string
}

// MaxParts is how many matching places a result lists, and MaxTopics how
// many topics (themes, learning packs) an answer lists.
const (
	MaxParts  = 3
	MaxTopics = 4
)

// page is the page a document id belongs to: itself, or a part's page.
func (e *Engine) page(d int) int {
	if d < e.m.N {
		return d
	}
	return e.pageOf[d-e.m.N]
}

// Result is the answer to a query.
type Result struct {
	Hits  []Hit // best first
	Total int
	// Topics are the themes and learning packs the words match, best
	// first, at most MaxTopics; none when filters are checked.
	Topics []Hit
	Fuzzy  bool // close spellings were used
	// AnyWord is true when no page has every word, and the hits are the
	// pages with some of them.
	AnyWord bool
	Terms   []string // the words matched, for highlighting
	// Counts, when the query asks, holds every facet value's number of
	// results, by facet term ("#k:story": 12): the pages matching the
	// words (all pages when there are none) and the other facets'
	// filters, but not the value's own facet's, whose values add to each
	// other. So a value's count is how many results it has now, checked
	// or not, in the other facets' light.
	Counts map[string]int
}

// Search runs a query and returns up to limit hits.
func (e *Engine) Search(q Query, limit int) (Result, error) {
	var res Result
	var units [][]string
	for _, u := range Units(Fold(q.Text)) {
		if !e.stop[u[len(u)-1]] { // a word, or a hyphenated word joined ("in-to")
			units = append(units, u)
		}
	}
	if len(units) == 0 && len(q.Kinds)+len(q.Themes)+len(q.Years) == 0 {
		var err error
		if q.Counts { // nothing asked matches nothing
			res.Counts, err = e.counts(map[int]int{}, e.facetGroups(q), nil)
		}
		return res, err
	}
	var sets []map[int]int
	for i, u := range units {
		last := q.Typing && i == len(units)-1
		if len(u) == 1 {
			set, err := e.wordSet(u[0], last, &res)
			if err != nil {
				return res, err
			}
			sets = append(sets, set)
			continue
		}
		// a hyphenated word: pages with its parts (written hyphenated or
		// apart: "co-production", "co production") or with the parts
		// joined ("coproduction"), each scoring the better of the two
		var parts []map[int]int
		for k, w := range u[:len(u)-1] {
			if e.stop[w] { // "well-being": "being" is no word of the index
				continue
			}
			set, err := e.wordSet(w, last && k == len(u)-2, &res)
			if err != nil {
				return res, err
			}
			parts = append(parts, set)
		}
		set, err := e.wordSet(u[len(u)-1], last, &res)
		if err != nil {
			return res, err
		}
		if len(parts) > 0 {
			// pages with every part (combine's pages with any part, when
			// none has them all, are no match for the word)
			if apart, anyPart := combine(parts); !anyPart {
				for d, s := range apart {
					set[d] = max(set[d], s)
				}
			}
		}
		sets = append(sets, set)
	}
	scores, anyWord := combine(sets)
	if !anyWord && len(sets) > 1 && !slices.ContainsFunc(slices.Collect(maps.Keys(scores)), func(d int) bool { return e.page(d) < e.m.TP }) {
		// only topics have every word: the pages with any of them, as
		// when nothing has them all
		scores = anyOf(sets)
		anyWord = len(scores) > 0
	}
	res.AnyWord = anyWord
	groups := e.facetGroups(q)
	allowedBy, err := e.allowed(groups)
	if err != nil {
		return res, err
	}
	if q.Counts {
		if res.Counts, err = e.counts(scores, groups, allowedBy); err != nil {
			return res, err
		}
	}
	for _, allowed := range allowedBy {
		if allowed == nil {
			continue
		}
		if scores == nil { // filters alone: every document they allow
			scores = map[int]int{}
			for d := range allowed {
				scores[d] = 0
			}
		}
		for d := range scores {
			if !allowed[e.page(d)] {
				delete(scores, d)
			}
		}
	}
	// a page scores its best match, in itself or in one of its parts
	var matches []PartHit
	for d, s := range scores {
		matches = append(matches, PartHit{Doc: d, Score: s})
	}
	slices.SortFunc(matches, func(a, b PartHit) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Doc, b.Doc)) })
	at := map[int]int{} // page → index in res.Hits
	for _, m := range matches {
		p := e.page(m.Doc)
		i, seen := at[p]
		if !seen {
			i = len(res.Hits)
			at[p] = i
			res.Hits = append(res.Hits, Hit{Doc: p, Score: m.Score})
		}
		if m.Doc != p && len(res.Hits[i].Parts) < MaxParts {
			res.Hits[i].Parts = append(res.Hits[i].Parts, m)
		}
	}
	pages := res.Hits[:0]
	for _, h := range res.Hits {
		if h.Doc >= e.m.TP {
			if len(res.Topics) < MaxTopics {
				res.Topics = append(res.Topics, h)
			}
		} else {
			pages = append(pages, h)
		}
	}
	res.Hits = pages
	res.Total = len(res.Hits)
	res.Hits = res.Hits[:min(limit, len(res.Hits))]
	for _, list := range [][]Hit{res.Hits, res.Topics} {
		for i := range list {
			if err := e.fill(&list[i], res.Terms); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// fill gives a hit what its row and passage files say of it.
func (e *Engine) fill(h *Hit, terms []string) error {
	row, err := e.row(h.Doc)
	if err != nil {
		return err
	}
	h.Path, _ = row[0].(string)
	h.Title, _ = row[1].(string)
	switch k := row[2].(type) {
	case float64:
		if int(k) < len(e.m.Kinds) {
			h.Kind, _ = e.m.Kinds[int(k)][0].(string)
		}
	case string: // a topic's
		h.Kind = k
	}
	for j := range h.Parts {
		h.Parts[j].Path, h.Parts[j].Label = e.part(row, h.Parts[j].Doc-e.firstPart[h.Doc])
	}
	if e.m.B > 0 && len(h.Parts) > 0 {
		k := h.Parts[0].Doc - e.firstPart[h.Doc]
		text, _, err := e.passages(fmt.Sprintf("%d-%d", h.Doc, k/e.m.B))
		if err != nil {
			return err
		}
		if lines := strings.Split(text, "\n"); k%e.m.B < len(lines) {
			if q := e.quote(lines[k%e.m.B], terms); q != "" {
				h.Quote, h.QuotePath, h.QuoteLabel = q, h.Parts[0].Path, h.Parts[0].Label
				return nil
			}
		}
	}
	text, summary, err := e.passages(strconv.Itoa(h.Doc))
	if err != nil {
		return err
	}
	h.Quote, h.Summary = e.quote(text, terms), summary
	return nil
}

// passages reads a passage file, x<name>.js: its text, a passage a line,
// and for a page's, its summary.
func (e *Engine) passages(name string) (text, summary string, err error) {
	var v []string
	if err := e.read("x"+name+".js", &v); err != nil {
		return "", "", err
	}
	if len(v) > 1 {
		text = v[1]
	}
	if len(v) > 2 {
		summary = v[2]
	}
	return text, summary, nil
}

// wordSet is the documents a query word matches, each with its impact:
// the word itself; a form never seen in the text without a common ending
// (Bases), or in a Welsh index its other forms (welshCandidates); while typing (last), words that begin with it, at half their
// impact; or, failing all, words within one typo (two for nine letters or
// more).
func (e *Engine) wordSet(w string, last bool, res *Result) (map[int]int, error) {
	set := map[int]int{}
	s, err := e.shard(e.shardFor(w))
	if err != nil {
		return nil, err
	}
	// the stems the word matches, each with the divisor of its impact:
	// words that only begin with what is typed count half
	stems := map[int]int{}
	found := false
	at, _ := slices.BinarySearch(s.Words, w)
	if at < len(s.Words) && s.Words[at] == w {
		stems[s.Stems[at]] = 1
		res.Terms = append(res.Terms, w)
	}
	if len(stems) == 0 && e.welsh {
		// a form never seen in the text: the word's radicals and mutated
		// forms, every one the index lists (see welshCandidates)
		var cands []string
		if !e.noFold {
			cands = welshCandidates(w)
		}
		for _, c := range cands {
			cs, err := e.shard(e.shardFor(c))
			if err != nil {
				return nil, err
			}
			if k, ok := slices.BinarySearch(cs.Words, c); ok {
				docs, imps := decode(cs.Postings[cs.Stems[k]])
				for n, d := range docs {
					set[d] = max(set[d], imps[n])
				}
				found = true
				res.Terms = append(res.Terms, c)
			}
		}
	} else if len(stems) == 0 {
		// a form of the word never seen in the text: try it without a
		// common ending, since every stem is also in the word list
		for _, base := range Bases(w) {
			bs, err := e.shard(e.shardFor(base))
			if err != nil {
				return nil, err
			}
			if k, ok := slices.BinarySearch(bs.Words, base); ok {
				docs, imps := decode(bs.Postings[bs.Stems[k]])
				for n, d := range docs {
					set[d] = imps[n]
				}
				found = true
				res.Terms = append(res.Terms, base)
				break
			}
		}
	}
	if last && len(w) >= 2 {
		for j := at; j < len(s.Words) && strings.HasPrefix(s.Words[j], w) && j < at+30; j++ {
			if _, ok := stems[s.Stems[j]]; !ok {
				stems[s.Stems[j]] = 2
			}
			res.Terms = append(res.Terms, s.Words[j])
		}
	}
	if len(stems) == 0 && !found && len([]rune(w)) >= 5 {
		limit := 1
		if len([]rune(w)) >= 9 {
			limit = 2
		}
		for j, cand := range s.Words {
			if cand[0] != '#' && Distance(w, cand, limit) <= limit {
				stems[s.Stems[j]] = 1
				res.Terms = append(res.Terms, cand)
				res.Fuzzy = true
			}
		}
	}
	for st, div := range stems {
		docs, imps := decode(s.Postings[st])
		for k, d := range docs {
			set[d] = max(set[d], imps[k]/div)
		}
	}
	return set, nil
}

// Bases are a word without a common English ending, longest ending first:
// "walking" → "walk"; "studies" → "studi", "study". They find words whose
// form the text never used; the index lists every stem as a word.
func Bases(w string) []string {
	var out []string
	for _, e := range []struct{ suffix, repl string }{
		{"ingly", ""}, {"ings", ""}, {"ing", ""}, {"ies", "i"}, {"ies", "y"}, {"ied", "i"}, {"ied", "y"},
		{"edly", ""}, {"ed", ""}, {"es", ""}, {"ly", ""}, {"s", ""},
	} {
		if strings.HasSuffix(w, e.suffix) && len(w)-len(e.suffix) >= 3 {
			out = append(out, w[:len(w)-len(e.suffix)]+e.repl)
		}
	}
	return out
}

// combine keeps the documents matching every word, adding their impacts; if
// none match them all, documents matching any word.
func combine(sets []map[int]int) (scores map[int]int, anyWord bool) {
	if len(sets) == 0 {
		return nil, false
	}
	all := map[int]int{}
	for d, s := range sets[0] {
		all[d] = s
	}
	for _, set := range sets[1:] {
		for d := range all {
			if s, ok := set[d]; ok {
				all[d] += s
			} else {
				delete(all, d)
			}
		}
	}
	if len(all) > 0 || len(sets) == 1 {
		return all, false
	}
	all = anyOf(sets)
	return all, len(all) > 0
}

// anyOf is the documents matching any of sets, adding their impacts.
func anyOf(sets []map[int]int) map[int]int {
	all := map[int]int{}
	for _, set := range sets {
		for d, s := range set {
			all[d] += s
		}
	}
	return all
}

// facetGroup is a facet's term prefix, every value it has in the index,
// and the values a query checks.
type facetGroup struct {
	prefix string
	all    []string
	values []string
}

func (e *Engine) facetGroups(q Query) []facetGroup {
	names := func(list [][]any) []string {
		var out []string
		for _, v := range list {
			if s, ok := v[0].(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return []facetGroup{
		{"#k:", names(e.m.Kinds), q.Kinds},
		{"#t:", names(e.m.Themes), q.Themes},
		{"#y:", names(e.m.Years), q.Years},
	}
}

// allowed is, for each facet with values checked, the set of pages with
// any of them, and nil for the others.
func (e *Engine) allowed(groups []facetGroup) ([]map[int]bool, error) {
	out := make([]map[int]bool, len(groups))
	for g, f := range groups {
		for _, v := range f.values {
			docs, err := e.facet(f.prefix + v)
			if err != nil {
				return nil, err
			}
			if out[g] == nil {
				out[g] = map[int]bool{}
			}
			for _, d := range docs {
				out[g][d] = true
			}
		}
	}
	return out, nil
}

// counts works out Result.Counts: scores holds the documents matching the
// words, or is nil when there are none; allowed is as e.allowed gives it.
func (e *Engine) counts(scores map[int]int, groups []facetGroup, allowed []map[int]bool) (map[string]int, error) {
	var matching map[int]bool // pages, nil for all
	if scores != nil {
		matching = map[int]bool{}
		for d := range scores {
			matching[e.page(d)] = true
		}
	}
	counts := map[string]int{}
	for g, f := range groups {
		for _, v := range f.all {
			docs, err := e.facet(f.prefix + v)
			if err != nil {
				return nil, err
			}
			n := 0
		doc:
			for _, d := range docs {
				if matching != nil && !matching[d] {
					continue
				}
				for h, other := range allowed {
					if h != g && other != nil && !other[d] {
						continue doc
					}
				}
				n++
			}
			counts[f.prefix+v] = n
		}
	}
	return counts, nil
}

func (e *Engine) facet(term string) ([]int, error) {
	s, err := e.shard(e.shardFor(term))
	if err != nil {
		return nil, err
	}
	at, ok := slices.BinarySearch(s.Words, term)
	if !ok {
		return nil, nil
	}
	docs, _ := decode(s.Postings[s.Stems[at]])
	return docs, nil
}

// part is the link and label of a page's k-th part, from the page's row
// (see partRows).
func (e *Engine) part(row []any, k int) (path, label string) {
	path, _ = row[0].(string)
	if len(row) < 6 {
		return path, ""
	}
	pr, _ := row[5].([]any)
	if len(pr) < 2 {
		return path, ""
	}
	speakers, _ := pr[0].([]any)
	list, _ := pr[1].([]any)
	if k < 0 || k >= len(list) {
		return path, ""
	}
	x, _ := list[k].([]any)
	if len(x) < 2 {
		return path, ""
	}
	start, _ := x[0].(float64)
	anchor := "#t" + strconv.Itoa(int(start))
	if len(x) > 2 {
		anchor, _ = x[2].(string)
	}
	speaker := ""
	if sp, _ := x[1].(float64); sp >= 0 && int(sp) < len(speakers) {
		speaker, _ = speakers[int(sp)].(string)
	}
	return path + anchor, PartLabel(speaker, int(start))
}

func (e *Engine) row(doc int) ([]any, error) {
	chunk := doc / e.m.R
	rows, ok := e.rows[chunk]
	if !ok {
		if err := e.read(fmt.Sprintf("r%d.js", chunk), &rows); err != nil {
			return nil, err
		}
		e.rows[chunk] = rows
	}
	return rows[doc%e.m.R], nil
}

// quote is Quote, by the index's analysis's rule for which words match.
func (e *Engine) quote(passages string, terms []string) string {
	if e.welsh && !e.noFold {
		return quoteBy(passages, terms, welshMatches)
	}
	return Quote(passages, terms)
}

// decode reads postings written by postings.encode, each impact as its
// level's value.
func decode(s string) (docs, impacts []int) {
	if s == "" {
		return nil, nil
	}
	i := 0
	next := func() int {
		n, shift := 0, 0
		for {
			c := strings.IndexByte(digits, s[i])
			i++
			n |= (c & 31) << shift
			shift += 5
			if c&32 == 0 {
				return n
			}
		}
	}
	count := next()
	docs, impacts = make([]int, count), make([]int, count)
	prev := -1
	for k := range count {
		prev += next() + 1
		docs[k] = prev
	}
	for k := range count {
		impacts[k] = ImpactValues[strings.IndexByte(digits, s[i+k])]
	}
	return docs, impacts
}

// decodeNums reads numbers written by putNum.
func decodeNums(s string) []int {
	var out []int
	n, shift := 0, 0
	for i := 0; i < len(s); i++ {
		c := strings.IndexByte(digits, s[i])
		n |= (c & 31) << shift
		shift += 5
		if c&32 == 0 {
			out = append(out, n)
			n, shift = 0, 0
		}
	}
	return out
}

// Distance is the Damerau–Levenshtein distance between a and b (with
// adjacent transpositions), or limit+1 once it must exceed limit.
func Distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
