package check

import (
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
