package check

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// TestRawHTML: what raw HTML may not do, each at the offset of its tag or
// attribute as written, and what [markup] allow lets through.
func TestRawHTML(t *testing.T) {
	tests := []struct {
		name  string
		frag  string
		allow string   // comma-separated
		want  []string // "offset: part of the message"
	}{
		{name: "plain markup", frag: `<details><summary>More</summary><p class="note">Text <a href="/x/" title="on">x</a></p></details>`},
		{name: "a picture as data", frag: `<img src="data:image/png;base64,AAAA" srcset="data:image/png;base64,AA 1x, /a.png 2x" alt="">`},
		{name: "event handler", frag: `<img src=x onerror="alert(1)" alt="">`, want: []string{"11: event-handler attribute onerror="}},
		{name: "upper-case handler", frag: "<p>\n<IMG SRC=x OnLoad=alert(1)>", want: []string{"15: onload="}},
		{name: "javascript link", frag: `<a href="javascript:alert(1)">x</a>`, want: []string{"3: javascript: address in href="}},
		{name: "entities decoded", frag: `<a href="&#106;ava&#x73;cript&colon;alert(1)">x</a>`, want: []string{"3: javascript:"}},
		{name: "tab in the scheme", frag: "<a href=\"java\tscript:x\">x</a>", want: []string{"3: javascript:"}},
		{name: "vbscript", frag: `<a href='vbscript:x'>x</a>`, want: []string{"3: vbscript:"}},
		{name: "data document", frag: `<a href="data:text/html,<script>x</script>">x</a>`, want: []string{"3: data:"}},
		{name: "data picture in a link", frag: `<a href="data:image/png;base64,AA">x</a>`, want: []string{"3: data:"}},
		{name: "svg animation", frag: `<svg><a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>`, want: []string{"34: javascript: address in to="}},
		{name: "iframe", frag: `<iframe src="https://example.org/"></iframe>`, want: []string{"0: <iframe>"}},
		{name: "iframe allowed", frag: `<iframe src="https://example.org/"></iframe>`, allow: "iframe"},
		{name: "iframe allowed, javascript not", frag: `<iframe src="javascript:x"></iframe>`, allow: "iframe", want: []string{"8: javascript:"}},
		{name: "object and embed", frag: `<object data="x.swf"></object><embed src="y">`, want: []string{"0: <object>", "30: <embed>"}},
		{name: "base", frag: `<base href="https://evil.example/">`, want: []string{"0: <base>"}},
		{name: "meta refresh", frag: `<meta http-equiv="refresh" content="0;url=https://evil.example/">`, want: []string{`6: <meta http-equiv="refresh">`}},
		{name: "meta refresh allowed", frag: `<meta http-equiv="refresh" content="0">`, allow: "meta"},
		{name: "other meta", frag: `<meta name="robots" content="noindex">`},
		{name: "form", frag: `<form action="https://evil.example/"><input name=q></form>`, want: []string{"0: <form>"}},
		{name: "formaction", frag: `<button formaction="https://evil.example/">Go</button>`, want: []string{"8: formaction= attribute"}},
		{name: "form allowed", frag: `<form action="/search/"><button formaction="/x/">Go</button></form>`, allow: "form,iframe"},
		{name: "script", frag: `<script src="/js/x.js"></script>`, want: []string{"0: <script>"}},
		{name: "script from a file allowed", frag: `<script src="/js/x.js"></script>`, allow: "script"},
		{name: "inline script never", frag: `<script>alert(1)</script>`, allow: "script", want: []string{"0: inline <script>"}},
		{name: "style attribute", frag: `<p style="color:red">x</p>`, allow: "script,form", want: []string{"3: style= attribute"}},
		{name: "style element", frag: `<style>p{}</style>`, want: []string{"0: <style> element"}},
		{name: "unclosed tag", frag: "<div title=\"a\n", want: []string{"0: not closed"}},
		{name: "unquoted and spaced", frag: `<a  class = x   href = javascript:x >y</a>`, want: []string{"16: javascript:"}},
		{name: "comment is not a tag", frag: `<!-- <img onerror=x> -->`},
		// pieces, split at NUL here, are read as one
		{name: "a tag open at the end of its piece", frag: "<div title='x\x00' onmouseover='y'>", want: []string{"0: not closed", "16: onmouseover="}},
		{name: "a comment goes on into the next piece", frag: "<!-- a\x00<img src=x onerror=y>\x00-->"},
		{name: "a textarea goes on too", frag: "<textarea>\x00<img src=x onerror=y>\x00</textarea>"},
		{name: "complete pieces", frag: "<b>\x00</b>\x00<i onclick=x>", want: []string{"12: onclick="}},
		{name: "script text is not a tag", frag: `<textarea><img onerror=x></textarea>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allow := map[string]bool{}
			for _, a := range strings.Split(tt.allow, ",") {
				allow[a] = a != ""
			}
			got := RawHTML(bytes.Split([]byte(tt.frag), []byte("\x00")), allow)
			if len(got) != len(tt.want) {
				t.Fatalf("RawHTML(%q) = %+v; want %q", tt.frag, got, tt.want)
			}
			for i, f := range got {
				off, part, _ := strings.Cut(tt.want[i], ": ")
				if strconv.Itoa(f.Offset) != off || !strings.Contains(f.Msg, part) || f.Hint == "" {
					t.Errorf("finding %d = %d: %q (hint %q); want %s", i, f.Offset, f.Msg, f.Hint, tt.want[i])
				}
			}
		})
	}
}
