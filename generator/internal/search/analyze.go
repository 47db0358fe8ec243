// Package search builds the site's search index: term shards fetched on
// demand, a small manifest, and rows of display data, all as JavaScript files
// a plain <script> can load (so search works on any static host and from
// file://). It also holds the reference query engine: the browser client
// (themes/default/static/js/search.js) runs the same algorithm on the same
// files, and the tests compare the two.
package search

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// Fold lowers case and removes accents: "Café Rehabilitación" → "cafe
// rehabilitacion". The client does the same with String.normalize("NFKD"),
// removing marks and toLowerCase. s is valid UTF-8, as every file the build
// reads is.
func Fold(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) { // nothing to decompose or strip
		return strings.ToLower(s)
	}
	// ASCII byte by byte; each run of other characters through NFKD. A
	// split before an ASCII character, which never combines with what
	// comes before it, decomposes exactly as the whole text would.
	b := make([]byte, 0, len(s)+8)
	b = append(b, strings.ToLower(s[:i])...)
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= utf8.RuneSelf {
			j++
		}
		for _, r := range norm.NFKD.String(s[i:j]) {
			if !unicode.Is(unicode.Mn, r) {
				b = utf8.AppendRune(b, unicode.ToLower(r))
			}
		}
		i = j
	}
	return string(b)
}

// Words splits folded text into words: runs of letters and digits. Words
// joined by hyphens also give their concatenation ("co-production" gives
// "co", "production" and "coproduction"), so both spellings find the page.
func Words(folded string, fn func(w string)) {
	scan(folded, func(w string, _ wordKind) { fn(w) })
}

// Units splits a folded query as Words does, keeping each hyphenated word
// together: a unit is one word, or a hyphenated word's parts followed by
// the parts joined ("co-production" gives co, production, coproduction).
// A query asks for the parts or the joined word, so that it finds the pages
// that write it hyphenated, apart or as one word ("well-being",
// "wellbeing"); the index keeps the three forms of a hyphenated word.
func Units(folded string) [][]string {
	var out [][]string
	var parts []string
	scan(folded, func(w string, k wordKind) {
		switch k {
		case part:
			parts = append(parts, w)
		case joined:
			out = append(out, append(parts, w))
			parts = nil
		default:
			out = append(out, []string{w})
		}
	})
	return out
}

// wordKind tells a word on its own from the words of a hyphenated one.
type wordKind uint8

const (
	single wordKind = iota
	part            // one of a hyphenated word's parts
	joined          // a hyphenated word's parts joined, given after them
)

// scan gives fn the words of Words, each with its kind.
func scan(folded string, fn func(w string, k wordKind)) {
	start, joinStart, hyphen := -1, -1, false
	flush := func(end int, k wordKind) {
		if start >= 0 {
			fn(folded[start:end], k)
		}
		start = -1
	}
	endJoin := func(end int) {
		if hyphen && joinStart >= 0 {
			fn(strings.ReplaceAll(folded[joinStart:end], "-", ""), joined)
		}
		joinStart, hyphen = -1, false
	}
	for i, r := range folded {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			if joinStart < 0 {
				joinStart = i
			}
		case r == '-' && start >= 0 && wordNext(folded[i+1:]):
			flush(i, part)
			hyphen = true
		default:
			flush(i, kindAfter(hyphen))
			endJoin(i)
		}
	}
	flush(len(folded), kindAfter(hyphen))
	endJoin(len(folded))
}

// kindAfter is the kind of a word that ends a run: the last part of a
// hyphenated word, or a word on its own.
func kindAfter(hyphen bool) wordKind {
	if hyphen {
		return part
	}
	return single
}

// wordNext reports whether s starts with a letter or digit: a hyphen joins
// words only then ("co-production", not "co-" or "co-—").
func wordNext(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// StopWords are left out of the index and of queries.
var StopWords = []string{
	"a", "about", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at",
	"be", "because", "been", "before", "being", "both", "but", "by", "can", "could", "did",
	"do", "does", "doing", "down", "during", "each", "for", "from", "further", "had", "has",
	"have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in",
	"into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "of", "off",
	"on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "s", "same",
	"she", "should", "so", "some", "such", "t", "than", "that", "the", "their", "theirs",
	"them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
	"under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
	"while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
}

var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range StopWords {
		m[w] = true
	}
	return m
}()

// IsStop reports whether a folded word is a stop word.
func IsStop(w string) bool { return stop[w] }

// stemmer caches stems: a site's vocabulary is small, its text is not. It
// holds the index's analysis: its stop words, and for Welsh, stems that
// are the words with their one-way mutations folded (welshStem).
type stemmer struct {
	cache  sync.Map
	stop   map[string]bool
	welsh  bool
	noFold bool // Welsh words as they are (Options.noFold)
}

func newStemmer(an analysis, noFold bool) *stemmer {
	if an == welshAnalysis {
		return &stemmer{stop: welshStop, welsh: true, noFold: noFold}
	}
	return &stemmer{stop: stop}
}

var welshStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range WelshStopWords {
		m[w] = true
	}
	return m
}()

func (s *stemmer) stem(w string) string {
	if v, ok := s.cache.Load(w); ok {
		return v.(string)
	}
	var st string
	switch {
	case s.noFold:
		st = w
	case s.welsh:
		st = welshStem(w)
	default:
		st = english.Stem(w, true)
	}
	if st == "" {
		st = w
	}
	s.cache.Store(w, st)
	return st
}
