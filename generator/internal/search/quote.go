package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences is what a page's passage file keeps of its text for results to
// quote: its sentences, a line each, in order, until limit bytes (a page's
// later sentences past it are not quoted; its result shows its summary).
// A line of the text ends a sentence, and so does ., ! or ? followed by a
// space and a capital letter, a digit or an opening quotation mark.
func Sentences(text string, limit int) string {
	if limit <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(min(limit, len(text)))
	// add writes s on a line of its own, its words one space apart, as
	// strings.Join(strings.Fields(s), " ") would without their copies
	add := func(s string) bool {
		n := -1
		fields(s, func(w string) { n += len(w) + 1 })
		if n <= 0 {
			return true
		}
		if b.Len()+n+1 > limit {
			return false
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		first := true
		fields(s, func(w string) {
			if !first {
				b.WriteByte(' ')
			}
			b.WriteString(w)
			first = false
		})
		return true
	}
	for line := range strings.SplitSeq(text, "\n") {
		start := 0
		for i := 0; i < len(line); i++ {
			if c := line[i]; (c == '.' || c == '!' || c == '?') && i+2 < len(line) && line[i+1] == ' ' {
				r, _ := utf8.DecodeRuneInString(line[i+2:])
				if unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"'“‘(", r) {
					if !add(line[start : i+1]) {
						return b.String()
					}
					start = i + 2
				}
			}
		}
		if !add(line[start:]) {
			return b.String()
		}
	}
	return b.String()
}

// fields calls f with each run of s between white space, as strings.Fields
// splits it, without making the list.
func fields(s string, f func(string)) {
	start := -1
	for i := 0; i < len(s); {
		size, space := 1, false
		if c := s[i]; c < utf8.RuneSelf {
			space = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		switch {
		case space && start >= 0:
			f(s[start:i])
			start = -1
		case !space && start < 0:
			start = i
		}
		i += size
	}
	if start >= 0 {
		f(s[start:])
	}
}

// oneLine is a part's text on one line, as its block file keeps it.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// QuoteRunes is about how long a quote is, in characters: a passage
// longer than that is cut around its first match, with … at each cut.
const QuoteRunes = 200

// Matches reports whether a folded word of a text is one of the query's
// terms (Result.Terms) for marking and quoting: it is a term, begins with
// one of three letters or more ("walk" marks "walking"; "co" of
// "co-production" does not mark "community"), or is, from four letters
// on, the start of one. search.js marks words by the same rule.
func Matches(folded string, terms []string) bool {
	for _, t := range terms {
		if folded == t || len(t) >= 3 && strings.HasPrefix(folded, t) || len(folded) >= 4 && strings.HasPrefix(t, folded) {
			return true
		}
	}
	return false
}

// Quote picks, from passages (a line each), the one with the most of the
// query's terms (the first on a tie), and gives it, or about QuoteRunes
// characters of it from a little before its first match, cut at spaces.
// It is "" when no passage has any term. search.js quotes by the same
// rule, and the browser test compares the two.
func Quote(passages string, terms []string) string { return quoteBy(passages, terms, Matches) }

// quoteBy is Quote with match telling which words match.
func quoteBy(passages string, terms []string, match func(string, []string) bool) string {
	best, bestN := "", 0
	for line := range strings.SplitSeq(passages, "\n") {
		seen := map[string]bool{} // the terms it has
		for _, w := range wordsOf(line) {
			f := Fold(w.text)
			for _, t := range terms {
				if match(f, []string{t}) {
					seen[t] = true
				}
			}
		}
		if len(seen) > bestN {
			best, bestN = line, len(seen)
		}
	}
	if bestN == 0 {
		return ""
	}
	return window(best, terms, match)
}

// window is about QuoteRunes characters of line around its first match.
func window(line string, terms []string, match func(string, []string) bool) string {
	rs := []rune(line)
	if len(rs) <= QuoteRunes {
		return line
	}
	first := 0
	for _, w := range wordsOf(line) {
		if match(Fold(w.text), terms) {
			first = w.at
			break
		}
	}
	start := max(0, first-QuoteRunes/3)
	if start > 0 { // at the start of a word
		for start < first && rs[start-1] != ' ' {
			start++
		}
	}
	end := min(len(rs), start+QuoteRunes)
	if end < len(rs) { // at the end of a word
		for end > first+1 && rs[end] != ' ' {
			end--
		}
	}
	out := strings.TrimSpace(string(rs[start:end]))
	if start > 0 {
		out = "…" + out
	}
	if end < len(rs) {
		out += "…"
	}
	return out
}

type word struct {
	text string
	at   int // in runes
}

// wordsOf splits a line into runs of letters and digits, with where each
// begins in runes.
func wordsOf(line string) []word {
	var out []word
	start, startRune, n := -1, 0, 0
	for i, r := range line {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start, startRune = i, n
			}
		} else if start >= 0 {
			out = append(out, word{line[start:i], startRune})
			start = -1
		}
		n++
	}
	if start >= 0 {
		out = append(out, word{line[start:], startRune})
	}
	return out
}
