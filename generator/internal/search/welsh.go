package search

import (
	"math"
	"strings"
	"unicode/utf8"
)

// Welsh words change their first letters after some words (mutations):
// "cath" (cat) is "gath" in "ei gath" (his cat, soft), "nghath" in "fy
// nghath" (my cat, nasal) and "chath" in "ei chath" (her cat, aspirate);
// "enw" (name) is "henw" in "ei henw" (her name). A Welsh index counts
// every form under its radical, the form a dictionary lists, so that
// "cath" finds "ei gath" and "fy nghath" finds "cath".
//
// Some forms can be read only one way: "nghath", "mhen", "nhad", "ngofal"
// and "ddydd" are always mutated. Those are folded as each document is
// analysed (welshStem). Most can be read two ways or more: "gath" may be a
// word of its own or soft "cath"; "fam" soft "mam" or "bam"; "ofal" a word
// or soft "gofal" (soft mutation drops a g). Build settles those from the
// index's own words (radicals): a form is counted under a radical the
// documents use, and otherwise stays as it is. The query engine, and
// search.js, try a query word's radicals and mutated forms when the index
// does not list the word itself (welshCandidates).
//
// testdata/welsh-mutations.json is the table of forms both this file and
// search.js are tested against.

// analysis is how an index reads words.
type analysis uint8

const (
	englishAnalysis analysis = iota // Snowball's English stems; every language but Welsh
	welshAnalysis                   // no stems; mutations folded
)

// analysisOf is the analysis for a BCP 47 language tag: Welsh for "cy"
// and its regional tags ("cy-GB"), English for any other.
func analysisOf(tag string) analysis {
	base, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	if strings.EqualFold(base, "cy") {
		return welshAnalysis
	}
	return englishAnalysis
}

// WelshStopWords are left out of a Welsh index and its queries: articles,
// particles, pronouns, prepositions, forms of "bod" (to be), with their
// common mutated forms ("fod", "fydd", "ddim"). "th" and "ch" are the
// clitic pronouns of "a'th" and "a'ch"; the other clitics ("a'r", "i'r",
// "mae'n", "i'w") are one letter once the apostrophe splits them, and
// one letter is never a word of the index. "dim" (no, nothing) is one
// because folded it is also soft "tîm" (team); "hun" (self) is "ei hun"
// and "gyd" is "i gyd" (all).
var WelshStopWords = []string{
	"a", "ac", "achos", "ag", "am", "amdani", "amdano", "ar", "arni", "arno", "at", "ati", "ato",
	"beth", "ble", "bob", "bod", "bydd", "byddai", "ch", "chi", "dan", "ddim", "dim", "dros", "drwy",
	"dy", "e", "ef", "efo", "ei", "eich", "ein", "eu", "fe", "fel", "felly", "fo", "fod", "fy",
	"fydd", "fyddai", "gan", "ganddi", "ganddo", "gyd", "gyda", "gydag", "heb", "hefo", "hefyd", "hi",
	"hon", "hun", "hunan", "hwn", "hwy", "hyd", "hyn", "hynny", "i", "iawn", "iddi", "iddo", "iddyn",
	"mae", "mewn", "mi", "mor", "na", "nad", "nes", "neu", "nhw", "ni", "nid", "o", "oedd", "oes",
	"oherwydd", "ond", "os", "pa", "pam", "pan", "pob", "pryd", "pwy", "rhwng", "roedd", "sut", "sy",
	"sydd", "th", "ti", "tros", "trwy", "tua", "un", "wedi", "wrth", "y", "ydw", "ydy", "ydych",
	"ydyn", "ydyw", "ym", "yma", "yn", "yna", "yng", "yno", "yr", "yw",
}

// welshStem is a word with its one-way mutations folded: nasal "ngh",
// "mh", "nh" and "ng" (of c, p, t and g) and soft "dd" (of d). No Welsh
// word starts so but a mutated one ("ddoe", yesterday, is the one common
// exception, and is folded to "doe" alike in the index and in queries).
func welshStem(w string) string {
	for _, r := range welshRules[:welshOneWay] {
		if strings.HasPrefix(w, r.from) && len(w) > len(r.from) {
			return r.to[0] + w[len(r.from):]
		}
	}
	return w
}

// welshRule reads a word starting with from as a mutated form of a word
// starting with one of to.
type welshRule struct {
	from string
	to   []string
}

// welshRules are tried in order, the first that starts the word giving
// its readings: longer beginnings first ("ngh" before "ng" before "n").
// The first welshOneWay are the forms read only one way.
var welshRules = []welshRule{
	{"ngh", []string{"c"}}, // nasal c: fy nghath
	{"mh", []string{"p"}},  // nasal p: fy mhen
	{"nh", []string{"t"}},  // nasal t: fy nhad
	{"ng", []string{"g"}},  // nasal g: fy ngofal
	{"dd", []string{"d"}},  // soft d: ei ddydd
	{"ch", []string{"c"}},  // aspirate c (ei chath), or ch: chwaer
	{"ph", []string{"p"}},  // aspirate p: ei phen
	{"th", []string{"t"}},  // aspirate t (ei thad), or th: therapi
	{"ll", nil},            // always as written
	{"rh", nil},
	{"ff", nil},
	{"g", []string{"c"}},        // soft c: ei gath; or g
	{"b", []string{"p"}},        // soft p: ei ben; or b
	{"d", []string{"t"}},        // soft t: ei dad; or d
	{"f", []string{"b", "m"}},   // soft b (ei fara) or m (ei fam)
	{"l", []string{"ll", "gl"}}, // soft ll (ei law) or gl; or l
	{"r", []string{"rh", "gr"}}, // soft rh (ei raglen) or gr; or r
	{"m", []string{"b"}},        // nasal b (fy mara); or m
	{"n", []string{"d"}},        // nasal d (fy nydd); or n
	{"h", []string{""}},         // h before a vowel (ei henw), or h
	{"", []string{"g"}},         // a vowel: soft g (ei ofal), or a vowel
	{"w", []string{"gw"}},       // soft gw (ei waith), or w
}

const welshOneWay = 5

// welshReadings are the radicals w may be a mutated form of, in
// welshRules' order, each of two letters or more.
func welshReadings(w string) []string {
	if w == "" {
		return nil
	}
	for _, r := range welshRules {
		switch {
		case r.from == "h":
			if utf8.RuneCountInString(w) < 3 || w[0] != 'h' || !welshVowel(w[1]) {
				continue
			}
			return []string{w[1:]}
		case r.from == "":
			if !welshVowel(w[0]) || w[0] == 'w' {
				continue
			}
			return []string{"g" + w}
		case !strings.HasPrefix(w, r.from):
			continue
		}
		var out []string
		for _, to := range r.to {
			if c := to + w[len(r.from):]; long(c) {
				out = append(out, c)
			}
		}
		return out
	}
	return nil
}

// welshMutations are the forms a radical takes: soft, nasal, aspirate and
// h before a vowel, in that order.
func welshMutations(r string) []string {
	var out []string
	add := func(cut int, forms ...string) {
		for _, f := range forms {
			if m := f + r[cut:]; long(m) {
				out = append(out, m)
			}
		}
	}
	switch {
	case r == "":
	case strings.HasPrefix(r, "ch"), strings.HasPrefix(r, "ph"), strings.HasPrefix(r, "th"),
		strings.HasPrefix(r, "mh"), strings.HasPrefix(r, "nh"), strings.HasPrefix(r, "dd"), strings.HasPrefix(r, "ff"):
	case r[0] == 'c':
		add(1, "g", "ngh", "ch")
	case r[0] == 'p':
		add(1, "b", "mh", "ph")
	case r[0] == 't':
		add(1, "d", "nh", "th")
	case strings.HasPrefix(r, "ng"):
	case r[0] == 'g':
		add(1, "", "ng")
	case r[0] == 'b':
		add(1, "f", "m")
	case r[0] == 'd':
		add(1, "dd", "n")
	case r[0] == 'm':
		add(1, "f")
	case strings.HasPrefix(r, "ll"):
		add(2, "l")
	case strings.HasPrefix(r, "rh"):
		add(2, "r")
	case welshVowel(r[0]):
		add(0, "h")
	}
	return out
}

// welshCandidates are the words a query word not in the index is looked
// up as: its radicals, its own mutated forms, and its radicals' mutated
// forms ("nghath" is looked up as "cath", then "gath" and "chath"), each
// once, never w itself.
func welshCandidates(w string) []string {
	var out []string
	seen := map[string]bool{w: true}
	add := func(list []string) {
		for _, c := range list {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	rs := welshReadings(w)
	add(rs)
	add(welshMutations(w))
	for _, r := range rs {
		add(welshMutations(r))
	}
	return out
}

func welshVowel(c byte) bool { return strings.IndexByte("aeiouwy", c) >= 0 }

// long reports whether s has two letters or more (search.js counts them
// alike, where bytes and UTF-16 units would differ).
func long(s string) bool { return utf8.RuneCountInString(s) >= 2 }

// welshMatches is Matches for a Welsh index: a word of the text and a
// term match when one of each one's forms (itself and its radicals)
// matches by Matches' rule, so "cath" marks "gath" and "chath".
func welshMatches(folded string, terms []string) bool {
	if Matches(folded, terms) {
		return true
	}
	forms := append([]string{folded}, welshReadings(folded)...)
	for _, t := range terms {
		for _, tf := range append([]string{t}, welshReadings(t)...) {
			for _, f := range forms {
				if Matches(f, []string{tf}) {
					return true
				}
			}
		}
	}
	return false
}

// radicals maps every stem id to the stem it is counted under in a Welsh
// index: the most common radical reading (welshReadings) that the
// documents hold and that is not itself read as a mutated form, or the
// stem itself when there is none. Ties go to the earlier reading. It
// depends only on the stems the documents hold and in how many documents,
// not on the order they were added in.
func (b *Builder) radicals(sets ...[]analysed) []uint32 {
	df := make([]int, len(b.stems))
	for _, set := range sets {
		for _, d := range set {
			for _, t := range d.terms {
				df[t.id]++
			}
		}
	}
	ids := map[string]uint32{}
	for i, n := range df {
		if n > 0 {
			ids[b.stems[i]] = uint32(i)
		}
	}
	to := make([]uint32, len(b.stems))
	const todo, doing, done = 0, 1, 2
	state := make([]uint8, len(b.stems))
	var resolve func(i uint32) uint32
	resolve = func(i uint32) uint32 {
		switch state[i] {
		case done:
			return to[i]
		case doing: // no reading leads back (a vowel's g never becomes an h), but be safe
			return i
		}
		state[i] = doing
		best, bestDF := i, 0
		for _, r := range welshReadings(b.stems[i]) {
			if c, ok := ids[r]; ok && df[c] > bestDF && resolve(c) == c {
				best, bestDF = c, df[c]
			}
		}
		state[i], to[i] = done, best
		return best
	}
	for i := range to {
		to[i] = uint32(i)
		if df[i] > 0 && state[i] == todo {
			resolve(uint32(i))
		}
	}
	return to
}

// counted is d with its terms counted under the stems to gives them, the
// counts of stems that meet added; d itself when none moves. d's terms
// are not changed in place: a snapshot may share them.
func counted(d analysed, to []uint32) analysed {
	moves := false
	for _, t := range d.terms {
		if to[t.id] != t.id {
			moves = true
			break
		}
	}
	if !moves {
		return d
	}
	terms := make([]termTF, 0, len(d.terms))
	at := make(map[uint32]int, len(d.terms))
	for _, t := range d.terms {
		t.id = to[t.id]
		if k, ok := at[t.id]; ok {
			terms[k].tf = uint16(min(int(terms[k].tf)+int(t.tf), math.MaxUint16))
			terms[k].keep = terms[k].keep || t.keep
			continue
		}
		at[t.id] = len(terms)
		terms = append(terms, t)
	}
	d.terms = terms
	return d
}
