package render

import (
	"strconv"
	"strings"
	"testing"
)

func TestCompactTemplate(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{
			name: "whitespace between tags and around actions",
			src:  "{{define \"main\"}}\n  <article>\n    <h1>\n      {{.Title}}\n    </h1>\n  </article>\n{{end}}\n",
			want: "{{define \"main\"}}<article><h1>{{.Title}}</h1></article>{{end}}",
		},
		{
			name: "comments go, actions stay as written",
			src:  "<p>\n  <!-- a note for theme authors -->\n  {{ printf \"%s }} {{\" .Title }}\n</p>",
			want: "<p>{{ printf \"%s }} {{\" .Title }}</p>",
		},
		{
			name: "preformatted text keeps its spaces",
			src:  "<pre>\n  one\n    two {{.X}}\n</pre>",
			want: "<pre>\n  one\n    two {{.X}}\n</pre>",
		},
		{
			name: "actions between attributes",
			src:  "<a href=\"{{.Href}}\"{{if .Current}} aria-current=\"page\"{{end}}>\n  {{.Title}}\n</a>",
			want: "<a href=\"{{.Href}}\"{{if .Current}} aria-current=\"page\"{{end}}>{{.Title}}</a>",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := compactTemplate([]byte(tc.src))
			if !ok {
				t.Fatal("not compacted")
			}
			if c.text != tc.want {
				t.Errorf("got  %q\nwant %q", c.text, tc.want)
			}
			if c.src == nil || string(c.src) != tc.src {
				t.Errorf("the source was changed: %q", c.src)
			}
		})
	}
}

// TestCompactPositions: every byte of every action in the compact text maps
// back to the same byte of the source, as line and column.
func TestCompactPositions(t *testing.T) {
	src := "{{define \"main\"}}\n  <article>\n    <h1>\n      {{.Title}}\n    </h1>\n" +
		"    <ul>\n      {{range .Item.Themes}}\n        <li>\n          {{.Nope}}\n        </li>\n      {{end}}\n    </ul>\n  </article>\n{{end}}\n"
	c, ok := compactTemplate([]byte(src))
	if !ok {
		t.Fatal("not compacted")
	}
	checkPositions(t, c)
	// the field in the range: line 9, column 12 from 0, as the file has it
	off := strings.Index(c.text, ".Nope")
	if line, col := c.source(lineCol([]byte(c.text), off)); line != 9 || col != 12 {
		t.Errorf(".Nope maps to %d:%d; want 9:12", line, col)
	}
}

func checkPositions(t *testing.T, c *compacted) {
	t.Helper()
	_, texts := actions([]byte(c.text))
	for i, at := range c.at {
		for k := range len(texts[i]) {
			line, col := c.source(lineCol([]byte(c.text), at+k))
			wl, wc := lineCol(c.src, c.was[i]+k)
			if line != wl || col != wc {
				t.Fatalf("action %d byte %d maps to %d:%d; want %d:%d", i, k, line, col, wl, wc)
			}
		}
	}
}

// TestAsWritten rewrites each position of a nested execution error.
func TestAsWritten(t *testing.T) {
	card := "{{define \"card\"}}\n<article>\n  <p>\n    {{.Item.Missing}}\n  </p>\n</article>\n{{end}}\n"
	c, ok := compactTemplate([]byte(card))
	if !ok {
		t.Fatal("not compacted")
	}
	r := &Renderer{compact: map[string]*compacted{"partials/card.html": c}}
	col := strings.Index(c.text, ".Item.Missing")
	msg := "template: list.html:1:200: executing \"cards\" at <.Card>: error calling Card: template: partials/card.html:1:" + strconv.Itoa(col) + ": executing \"card\" at <.Item.Missing>: can't evaluate field Missing"
	want := "template: list.html:1:200: executing \"cards\" at <.Card>: error calling Card: template: partials/card.html:4:6: executing \"card\" at <.Item.Missing>: can't evaluate field Missing"
	if got := r.asWritten(msg); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// FuzzCompact: whatever a template source holds, a compacted one keeps its
// actions and maps each back to its place.
func FuzzCompact(f *testing.F) {
	for _, s := range []string{
		"{{define \"main\"}}\n  <h1>\n    {{.Title}}\n  </h1>\n{{end}}",
		"<pre>\n {{.X}}\n</pre>\n<p>\n{{/* it's */}}\n</p>",
		"<a href=\"{{.H}}\" {{if .C}}class=\"x\"{{end}}>\n{{printf \"}}\" }}</a>",
		"<script type=\"application/ld+json\">{{.JSONLD}}</script>\n<style>\n</style>",
		"{{\"unclosed",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4096 {
			return // checkPositions takes time by the square of the length
		}
		c, ok := compactTemplate([]byte(src))
		if !ok {
			return
		}
		if string(c.src) != src {
			t.Fatalf("the source was changed")
		}
		checkPositions(t, c)
	})
}
