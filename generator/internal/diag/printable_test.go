package diag

import (
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, “quoted”, Cymraeg: ŵ ŷ": "plain text, “quoted”, Cymraeg: ŵ ŷ",
		"line\nbreak\tand tab":               "line\nbreak\tand tab",
		"\x1b]0;pwned\x07title":              `\x1b]0;pwned\x07title`,
		"\x1b[31mred\x1b[0m":                 `\x1b[31mred\x1b[0m`,
		"cr\rover":                           `cr\x0dover`,
		"del\x7f":                            `del\x7f`,
		"c1 \u009b31m":                       `c1 \u009b31m`,
		"bad \x9b byte":                      `bad \x9b byte`,
		"rtl \u202eevil\u202c":               `rtl \u202eevil\u202c`,
		"isolate \u2066x\u2069":              `isolate \u2066x\u2069`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestDetailEscapes: a problem's message, hint and source line reach the
// terminal escaped, with the caret still under the column.
func TestDetailEscapes(t *testing.T) {
	p := Errorf("content/stories/x\x1b[2J.md", 1, 16, "bad \x1b]0;title\x07 value").WithHint("remove \x1b[31m")
	p.Source = "title: \x1b[31mred: [oops"
	got := p.Detail()
	if strings.ContainsAny(got, "\x1b\x07") {
		t.Fatalf("Detail has control characters:\n%q", got)
	}
	lines := strings.Split(got, "\n")
	src, caret := lines[1], lines[2]
	// the column (16) is the ':' after "red" in the raw line
	if i := strings.Index(caret, "^"); i < 0 || src[i] != ':' {
		t.Errorf("the caret is not under the column:\n%s\n%s", src, caret)
	}
	if one := p.OneLine(); strings.ContainsAny(one, "\x1b\x07") {
		t.Errorf("OneLine has control characters: %q", one)
	}
}
