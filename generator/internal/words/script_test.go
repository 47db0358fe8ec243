package words

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/otpress/otpress/themes"
)

// scripts are the default theme's scripts.
var scripts = []string{"search.js", "packs.js", "evidence.js", "episode.js"}

// wordID is how a script names a word: a string literal such as
// 'packs.add', 'kind.story', 'date', or 'month.' for a month's.
var wordID = regexp.MustCompile(`^(?:(?:search|packs|evidence|kind)\.[a-z0-9_.]+|date|month\.)$`)

// scriptWords is what Script gives the scripts, by name.
func scriptWords(t *testing.T, w *Words) map[string]any {
	t.Helper()
	s, _, _ := strings.Cut(strings.TrimPrefix(string(w.Script()), "window.otpressWords="), ";\n")
	var v struct {
		Lang string         `json:"lang"`
		W    map[string]any `json:"w"`
	}
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("the words script is not the JSON it should be: %v", err)
	}
	return v.W
}

// TestScriptsAskForWordsThatExist: every word a theme script names is in
// the words it gets, in English and in Welsh; every js.* word is named by
// a script; and no script still holds the English it showed before its
// words came from the translation files.
func TestScriptsAskForWordsThatExist(t *testing.T) {
	en, _ := load(t, Base, nil)
	cy, _ := load(t, "cy", nil)
	have, haveCy := scriptWords(t, en), scriptWords(t, cy)
	used := map[string]bool{}
	for _, name := range scripts {
		src, err := fs.ReadFile(themes.Default, "static/js/"+name)
		if err != nil {
			t.Fatal(err)
		}
		code, strs := jsStrings(string(src))
		var ids []string
		for _, s := range strs {
			if wordID.MatchString(s) {
				ids = append(ids, s)
			}
		}
		if len(ids) > 0 && !strings.Contains(code, "window.otpressWord") {
			t.Errorf("%s names words but does not ask window.otpressWord for them", name)
		}
		for _, id := range ids {
			want := []string{id}
			if id == "month." {
				want = nil
				for m := 1; m <= 12; m++ {
					want = append(want, "month."+strconv.Itoa(m))
				}
			}
			for _, id := range want {
				used[id] = true
				if have[id] == nil || haveCy[id] == nil {
					t.Errorf("%s asks for the word %q, which the scripts' words (English %v, Welsh %v) do not have", name, id, have[id] != nil, haveCy[id] != nil)
				}
			}
		}
		for _, old := range oldEnglish[name] {
			if slices.ContainsFunc(strs, func(s string) bool { return strings.Contains(s, old) }) {
				t.Errorf("%s still shows %q itself", name, old)
			}
		}
	}
	for _, id := range en.IDs() {
		if rest, ok := strings.CutPrefix(id, "js."); ok && !used[rest] {
			t.Errorf("no script shows the word %q", id)
		}
	}
	if len(used) < 40 {
		t.Errorf("the scripts name %d words: is the test reading them?", len(used))
	}
}

// oldEnglish is, by script, text it showed before its words moved to the
// translation files.
var oldEnglish = map[string][]string{
	"search.js": {"chosen)", "No results", "1 result", " results", " for ", "each with some of the words", "including close spellings",
		", filtered", "are listed", " Also ", " theme", "learning pack", "Learning pack", "January", "November", "Also in the transcript",
		"Matches in the transcript", "Search is not available", "Showing ", "Transcript", " at "},
	"packs.js": {"Add to my pack", "Remove from my pack", "My pack", "which now has", "(finished)", "You have finished", "Continue with item",
		"start again", "Move up", "Move down", "Remove", "Removed ", " left.", "is now item", "Copied the pack file", "The pack file is selected",
		"Your pack is empty", "ready to print", "Read it online", "Your pack in full", "print dialogue", " item"},
	"evidence.js": {"A to Z", "Z to A", "smallest first", "largest first", "oldest first", "newest first", "Sorted by", "Outcomes across stories",
		"Showing the", "figure", "from stories on", "Show every figure", "in all."},
}

// jsStrings splits a script into its code, with comments and the insides
// of string, template and regular expression literals left out, and its
// string literals' values (escapes kept as written).
func jsStrings(src string) (string, []string) {
	var code strings.Builder
	var strs []string
	last := byte('(') // the last character of code that is not a space
	word := ""        // the last word of code, for "return /x/"
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			code.WriteByte('\n')
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return code.String(), strs
			}
			i += end + 3
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			strs = append(strs, src[i+1:min(j, len(src))])
			code.WriteString(string(c) + string(c))
			i, last, word = j, c, ""
		case c == '/' && (strings.IndexByte("(,=:[!&|?{};+-*%<>~^", last) >= 0 || word == "return" || word == "typeof"):
			// a regular expression: to its closing slash, past classes
			j, class := i+1, false
			for j < len(src) && (class || src[j] != '/') {
				switch src[j] {
				case '\\':
					j++
				case '[':
					class = true
				case ']':
					class = false
				}
				j++
			}
			code.WriteString("/re/")
			i, last, word = j, '/', ""
		default:
			code.WriteByte(c)
			switch {
			case isWordByte(c):
				if i > 0 && isWordByte(src[i-1]) {
					word += string(c)
				} else {
					word = string(c)
				}
				last = c
			case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			default:
				last, word = c, ""
			}
		}
	}
	return code.String(), strs
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
