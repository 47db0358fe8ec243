package check

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestPage(t *testing.T) {
	tests := []struct {
		name string
		html string
		want []string // substrings of findings, in order; none for a clean page
	}{
		{"clean", `<html><body><a href="#main">skip</a><main id="main"><h1>T</h1><img src="a.png" alt=""><p id="x">x</p><a href="#x">x</a><script src="/a.js"></script><script type="application/ld+json">{}</script></main></body></html>`, nil},
		{"duplicate ids", `<h1 id="a">A</h1><h2 id="a">B</h2><h2 id="b">C</h2>`, []string{`the id "a" is used 2 times`}},
		{"dangling fragment", `<h1>T</h1><a href="#nowhere">x</a><a href="#nowhere">y</a>`, []string{`the link to "#nowhere" goes nowhere`}},
		{"image without alt", `<h1>T</h1><img src="a.png">`, []string{"an image has no alt attribute"}},
		{"no h1", `<h2>T</h2>`, []string{"0 level-1 headings"}},
		{"two h1", `<h1>T</h1><h1 class="x">U</h1>`, []string{"2 level-1 headings"}},
		{"h1 prefix is not h1", `<h1>T</h1><h10>x</h10>`, nil},
		{"inline style and script", `<h1 style="color:red">T</h1><script>alert(1)</script>`, []string{"inline style", "inline script"}},
		{"attributes in any order, boolean ones between", `<h1>T</h1><input type="checkbox" checked id="a"><label for="a" class="x" id="a">x</label>`, []string{`the id "a" is used 2 times`}},
		{"other attributes ending in id are not ids", `<h1>T</h1><p data-id="a" aria-describedby="a">x</p><p data-id="a">y</p>`, nil},
		{"entities in ids and fragments", `<h1 id="a&amp;b">T</h1><a href="#a&amp;b">x</a><a href="#c&amp;d">y</a>`, []string{`the link to "#c&d" goes nowhere`}},
		{"an empty fragment and other links", `<h1>T</h1><a href="#">top</a><a href="/x/#y">x</a>`, nil},
		{"closing tags, comments and the doctype", `<!DOCTYPE html><h1>T</h1><!-- note --></h1><img src="a.png" alt="">`, nil},
		{"an empty alt as the minifier writes it", `<h1>T</h1><img src="a.png" alt width="2"><img class="x" src="b.png" alt>`, nil},
		{"alt in another attribute's name is not alt", `<h1>T</h1><img data-alt="a" src="a.png"><img src="b.png" altx="b">`, []string{"an image has no alt attribute", "an image has no alt attribute"}},
		{"an image with alt first, one without", `<h1>T</h1><img alt="a" src="a.png"><img src="b.png" width="2">`, []string{"an image has no alt attribute"}},
		{"escaped quotes in text are not attributes", `<h1>T</h1><p>write id=&#34;x&#34; twice: id=&#34;x&#34;</p><code> id=&quot;y&quot; id=&quot;y&quot; </code>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Page([]byte(tt.html))
			if len(got) != len(tt.want) {
				t.Fatalf("Page() = %+v; want %d findings %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i].Msg, w) {
					t.Errorf("finding %d = %q; want it to contain %q", i, got[i].Msg, w)
				}
			}
		})
	}
}

func TestIDs(t *testing.T) {
	got := IDs([]byte(`<main id="main"><h2 id="a&amp;b">A</h2><p data-id="no">x</p><section class="s" id="c"></section></main>`))
	if want := []string{"main", "a&b", "c"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("IDs = %q; want %q", got, want)
	}
}

// FuzzPage feeds the scanner broken and truncated markup: it must never
// panic, every id it lists is written in the page as id="…" (in a page
// without entities), and the ids it lists are the ones Page counts.
func FuzzPage(f *testing.F) {
	for _, s := range []string{
		`<h1 id="a">T</h1><a href="#a">x</a>`,
		`<img src="a.png"><script>x</script><p style="x">`,
		`<input type="checkbox" checked id="a&amp;b">`,
		`<a href="#`, `<p id="`, `<p id=">`, `<`, `<h1`, `<h1 id=""`, `<x =""="">`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		ids := IDs(doc)
		counts := map[string]int{}
		for _, id := range ids {
			counts[id]++
			if !bytes.ContainsRune(doc, '&') && !bytes.Contains(doc, []byte(` id="`+id+`"`)) { // entities are unescaped
				t.Errorf("IDs lists %q, which the page does not have as id=%q", id, id)
			}
		}
		for _, fd := range Page(doc) {
			var id string
			var n int
			if _, err := fmt.Sscanf(fd.Msg, "the id %q is used %d times", &id, &n); err == nil && counts[id] != n {
				t.Errorf("Page says %q is used %d times; IDs lists it %d times", id, n, counts[id])
			}
		}
	})
}
