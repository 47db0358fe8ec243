package render

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/words"
	"github.com/otpress/otpress/themes"
)

// english is the default theme's English words: for a Renderer made
// without New (as tests make one), and for the exported helpers that say
// things in English (DurationWords, ByteSize).
var english = sync.OnceValue(func() *words.Words {
	w, _ := words.Load([]words.Layer{{FS: themes.Default, Dir: words.Dir, Name: "themes/default/" + words.Dir}}, words.Base)
	return w
})

// w is the renderer's words.
func (r *Renderer) w() *words.Words {
	if r.words != nil {
		return r.words
	}
	return english()
}

// kindWord is what an item is, as a label: "Story".
func kindWord(w *words.Words, k content.Kind) string { return w.Must("kind." + string(k)) }

// kindsWord is a kind as a heading of many: "Stories".
func kindsWord(w *words.Words, k content.Kind) string { return w.Must("kinds." + string(k)) }

// joined folds a list into one text with a word that joins two: "A, B"
// then "A, B, C". It is "" for none.
func joined(w *words.Words, id string, parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out = w.Must(id, "A", out, "B", p)
	}
	return out
}

// listed joins names as the language lists them: "A", "A and B", "A, B
// and C" (words map.comma and map.and).
func listed(w *words.Words, names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	head := joined(w, "map.comma", names[:len(names)-1])
	return w.Must("map.and", "A", head, "B", names[len(names)-1])
}

// capitalised is s with its first letter upper case.
func capitalised(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
