package markdown

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/otpress/otpress/generator/internal/diag"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden renders each testdata/*.md and compares the HTML, text,
// headings and problems with testdata/*.golden. Regenerate with -update.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.md")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	r := New(Options{ReservedIDs: []string{"main-content"}})
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Render(src, Doc{File: "content/x.md", FirstLine: 5, Link: func(d string) string {
				if strings.HasSuffix(d, ".md") {
					return "/features/" + strings.TrimSuffix(filepath.Base(d), ".md") + "/"
				}
				return d
			}})
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			got.Write(res.HTML)
			got.WriteString("\n-- text --\n" + res.Text + "\n-- headings --\n")
			for _, h := range res.Headings {
				got.WriteString(strings.Repeat("#", h.Level) + " " + h.ID + " " + h.Text + "\n")
			}
			got.WriteString("-- links --\n")
			for _, l := range res.Links {
				got.WriteString(l.Dest + "\n")
			}
			got.WriteString("-- problems --\n")
			for _, p := range res.Problems {
				got.WriteString(p.Error() + "\n")
			}
			golden := strings.TrimSuffix(f, ".md") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if d := cmp.Diff(string(want), got.String()); d != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", golden, d)
			}
		})
	}
}

func TestUnsafeLetsHTMLThrough(t *testing.T) {
	res, err := New(Options{Unsafe: true}).Render([]byte("Inline <b>bold</b>\n"), Doc{FirstLine: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(res.HTML, []byte("<b>bold</b>")) {
		t.Errorf("unsafe render = %s; want raw <b>", res.HTML)
	}
	safe, _ := New(Options{}).Render([]byte("Inline <b>bold</b>\n"), Doc{FirstLine: 1})
	if bytes.Contains(safe.HTML, []byte("<b>")) || !bytes.Contains(safe.HTML, []byte("&lt;b&gt;bold&lt;/b&gt;")) {
		t.Errorf("safe render = %s; want escaped HTML", safe.HTML)
	}
}

func TestReservedIDsAreNotTaken(t *testing.T) {
	res, _ := New(Options{ReservedIDs: []string{"main-content"}}).Render([]byte("## Main content\n"), Doc{FirstLine: 1})
	if len(res.Headings) != 1 || res.Headings[0].ID != "main-content-1" {
		t.Errorf("headings = %+v; want id main-content-1", res.Headings)
	}
}

func TestCSSHasBothSchemes(t *testing.T) {
	css := string(CSS())
	if !strings.Contains(css, ".chroma .k") || !strings.Contains(css, "@media (prefers-color-scheme: dark){") {
		t.Errorf("CSS() missing rules:\n%s", css)
	}
	if strings.Contains(css, "style=") {
		t.Error("CSS contains inline style")
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"# a\n\n## b", "| a |\n|---|\n| b |", "```go\nx\n```", "[^1]\n\n[^1]: x", "<div>x</div>", "![](x)", "a\n: b"} {
		f.Add(s)
	}
	// The seeds in testdata/fuzz/FuzzRender add a real story, a BOM, CRLF
	// line ends, an empty text, deep nesting, and links and raw HTML that
	// must not run.
	r, unsafe := New(Options{}), New(Options{Unsafe: true})
	f.Fuzz(func(t *testing.T, s string) {
		const first = 7 // the Markdown starts on line 7 of its file
		lines := strings.Split(s, "\n")
		// inside reports whether line:col is a place in the text (or just
		// after its end)
		inside := func(line, col int) bool {
			i := line - first
			return i >= 0 && i < len(lines) && col >= 1 && col <= len(lines[i])+1
		}
		for _, r := range []*Renderer{r, unsafe} {
			res, err := r.Render([]byte(s), Doc{File: "x.md", FirstLine: first})
			if err != nil {
				t.Fatal(err)
			}
			if utf8.ValidString(s) && (!utf8.Valid(res.HTML) || !utf8.ValidString(res.Text)) {
				t.Fatalf("invalid UTF-8 rendered from valid input")
			}
			errs := 0
			for _, p := range res.Problems {
				if !inside(p.Line, p.Col) || p.File != "x.md" || p.Msg == "" {
					t.Fatalf("problem outside the text: %+v", p)
				}
				if p.Severity == diag.Error {
					errs++
				}
			}
			for _, l := range res.Links {
				if !inside(l.Line, l.Col) {
					t.Fatalf("link outside the text: %+v", l)
				}
				d := strings.ToLower(strings.TrimLeftFunc(l.Dest, func(r rune) bool { return r <= ' ' }))
				if (strings.HasPrefix(d, "javascript:") || strings.HasPrefix(d, "vbscript:")) && errs == 0 {
					t.Fatalf("a link to %q is not refused", l.Dest)
				}
			}
			ids := map[string]bool{}
			for _, h := range res.Headings {
				if h.Level < 2 || h.Level > 6 || h.ID != "" && ids[h.ID] {
					t.Fatalf("heading %+v (ids so far %v)", h, ids)
				}
				ids[h.ID] = true
			}
			if r == unsafe {
				continue
			}
			html := bytes.ToLower(res.HTML)
			if bytes.Contains(html, []byte("<script")) || bytes.Contains(html, []byte("<iframe")) {
				t.Fatalf("raw HTML passed through: %s", res.HTML)
			}
			for _, scheme := range []string{"javascript:", "vbscript:"} {
				if bytes.Contains(html, []byte(`href="`+scheme)) || bytes.Contains(html, []byte(`src="`+scheme)) {
					t.Fatalf("a %s link in %s", scheme, res.HTML)
				}
			}
		}
	})
}

// A document shown under a heading of its own, beside others on one page:
// its headings move down a level and every id it makes, and every link to
// one, carries the prefix.
func TestShiftAndIDPrefix(t *testing.T) {
	src := "## Background\n\nSee [the goals](#goals) and a note.[^1]\n\n### Goals\n\n[^1]: From the OTnews feature.\n"
	res, err := New(Options{}).Render([]byte(src), Doc{FirstLine: 1, Shift: 1, IDPrefix: "i2-"})
	if err != nil {
		t.Fatal(err)
	}
	html := string(res.HTML)
	for _, want := range []string{`<h3 id="i2-background">Background</h3>`, `<h4 id="i2-goals">Goals</h4>`, `href="#i2-goals"`, `id="i2-fn:1"`, `href="#i2-fnref:1"`} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in\n%s", want, html)
		}
	}
	if len(res.Problems) != 0 {
		t.Errorf("problems = %v; a shifted h3 after the item's h2 is no jump", res.Problems)
	}
	plain, _ := New(Options{}).Render([]byte(src), Doc{FirstLine: 1})
	if !strings.Contains(string(plain.HTML), `<h2 id="background">`) || strings.Contains(string(plain.HTML), "i2-") {
		t.Errorf("without Shift and IDPrefix the document changed:\n%s", plain.HTML)
	}
}

// Links that could run a script or open local files are errors at their
// place, in safe mode and with raw HTML allowed alike; pictures may be
// data: images (not SVG, which can hold script).
func TestDangerousLinksRefused(t *testing.T) {
	tests := []struct {
		src    string
		refuse bool
	}{
		{"See [the help page](javascript:alert(1)).\n", true},
		{"See [the help page]( JavaScript:alert(1)).\n", true},
		{"See <javascript:alert(1)>.\n", true},
		{"See [the help page](vbscript:msgbox).\n", true},
		{"See [the help page](file:///etc/passwd).\n", true},
		{"See [the help page](data:text/html,<script>x</script>).\n", true},
		// an SVG shown as a picture runs nothing (check.UnsafeURL)
		{"![a chart](data:image/svg+xml;base64,PHN2Zz4=)\n", false},
		{"[a chart](data:image/svg+xml;base64,PHN2Zz4=)\n", true},
		// as a browser reads it: references and escapes decoded
		{"See [the help page](&#106;avascript:alert(1)).\n", true},
		{"See [the help page](&#x6A;ava&#x09;script:alert(1)).\n", true},
		{"See [the help page](javascript&colon;alert(1)).\n", true},
		{"See [the help page](java\\script:x).\n", false}, // \s is not an escape: a path
		{"See ![a picture](&#100;ata:text/html,x).\n", true},
		{"![a chart of visits](data:image/png;base64,iVBORw0KGgo=)\n", false},
		{"See [the feature](https://example.org/a) and [mail](mailto:ot@example.org).\n", false},
	}
	for _, unsafe := range []bool{false, true} {
		r := New(Options{Unsafe: unsafe})
		for _, tt := range tests {
			res, err := r.Render([]byte("Intro.\n\n"+tt.src), Doc{File: "content/stories/a.md", FirstLine: 5})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range res.Problems {
				got = append(got, p.Error())
			}
			at := fmt.Sprintf("content/stories/a.md:7:%d: a link to a ", strings.IndexAny(tt.src, "[<!")+1) // where the link starts
			refused := len(got) == 1 && strings.HasPrefix(got[0], at) && strings.Contains(got[0], "address is refused")
			if refused != tt.refuse || (!tt.refuse && len(got) > 0) {
				t.Errorf("unsafe %v, %q: problems %v; want refused %v", unsafe, tt.src, got, tt.refuse)
			}
		}
	}
}

// TestRawHTMLChecked: with raw HTML let through, what it may not do is an
// error at the tag or attribute, in blocks and inline, in lists and
// quotes, as [markup] allow says; without, it is shown as text and not
// checked.
func TestRawHTMLChecked(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		allow []string
		want  []string // line:col: part of the message
	}{
		{name: "safe markup", src: "<details>\n<summary>More</summary>\n\nText <abbr title=\"occupational therapy\">OT</abbr>.\n\n</details>\n"},
		{name: "an event handler inline", src: "Text <img src=x onerror=\"alert(1)\" alt=\"\"> more.\n", want: []string{"1:17: event-handler attribute onerror="}},
		{name: "javascript in a block", src: "Intro.\n\n<div>\n  <a href=\"&#106;avascript:alert(1)\">x</a>\n</div>\n", want: []string{"4:6: javascript: address in href="}},
		{name: "an iframe in a list", src: "- item\n\n  <iframe src=\"https://example.org/\"></iframe>\n", want: []string{"3:3: <iframe>"}},
		{name: "an iframe allowed", src: "<iframe src=\"https://example.org/\"></iframe>\n", allow: []string{"iframe"}},
		{name: "meta refresh and base", src: "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">\n<base href=\"https://evil.example/\">\n", want: []string{"1:7: <meta http-equiv=", "2:1: <base>"}},
		{name: "a form and formaction", src: "<form action=\"https://evil.example/\">\n\nText <button formaction=\"https://evil.example/\">Go</button>\n\n</form>\n", want: []string{"1:1: <form>", "3:14: formaction="}},
		{name: "script and style where they are", src: "> <script>alert(1)</script>\n\nText <span style=\"color:red\">x</span>\n", want: []string{"1:3: <script>", "3:12: style= attribute"}},
		{name: "a tag left open at a blank line", src: "<div title='x\n\n' onmouseover='alert(1)' x='\n", want: []string{"1:1: not closed"}},
		{name: "a handler in a comment", src: "<!-- <img src=x onerror=alert(1)> -->\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := New(Options{Unsafe: true, Allow: tt.allow}).Render([]byte(tt.src), Doc{File: "x.md", FirstLine: 1})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range res.Problems {
				if p.Severity == diag.Error {
					got = append(got, fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg))
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q; want %q", got, tt.want)
			}
			for i := range got {
				at, part, _ := strings.Cut(tt.want[i], ": ")
				if !strings.HasPrefix(got[i], at+": ") || !strings.Contains(got[i], part) {
					t.Errorf("problem %q; want %q", got[i], tt.want[i])
				}
			}
			safe, _ := New(Options{}).Render([]byte(tt.src), Doc{File: "x.md", FirstLine: 1})
			for _, p := range safe.Problems {
				if p.Severity == diag.Error {
					t.Errorf("escaped, it was still checked: %s", p.Error())
				}
			}
		})
	}
}

// TestHeadingIDsFoldAccents: a heading's id keeps its letters with their
// accents taken off, where goldmark's own ids drop every letter outside
// ASCII; ids of ASCII headings are as goldmark makes them.
func TestHeadingIDsFoldAccents(t *testing.T) {
	res, err := New(Options{}).Render([]byte("## Café co\n\n## Gwasanaeth â'r ŵyl\n\n## Goals & outcomes\n\n## Café co\n\n## Straße, Æsir, Łódź\n\n## 東京\n"), Doc{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Headings {
		ids = append(ids, h.ID)
	}
	if got, want := strings.Join(ids, " "), "cafe-co gwasanaeth-ar-wyl goals--outcomes cafe-co-1 strasse-aesir-lodz heading"; got != want {
		t.Errorf("ids %q, want %q", got, want)
	}
}

// TestSecondH1IsAWarning: a level-1 heading in the text is a warning, and
// shown a level down, as are the headings after it.
func TestSecondH1IsAWarning(t *testing.T) {
	res, err := New(Options{}).Render([]byte("# Intro\n\nText.\n\n## More\n"), Doc{File: "x.md", FirstLine: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].Severity != diag.Warning || res.Problems[0].Line != 1 {
		t.Fatalf("problems %v", res.Problems)
	}
	if !strings.Contains(string(res.HTML), "<h2 id=\"intro\">Intro</h2>") || !strings.Contains(string(res.HTML), "<h3 id=\"more\">More</h3>") {
		t.Errorf("html %s", res.HTML)
	}
}

// TestHugoShortcodes: a Hugo shortcode in the text is a warning at its
// place; one in code is not.
func TestHugoShortcodes(t *testing.T) {
	src := "Watch {{< youtube w7Ft2ymGmfc >}} now.\n\n{{% notice info %}}\nA note.\n{{% /notice %}}\n\nIn code: `{{< ref \"x\" >}}`.\n\n```\n{{< figure src=\"a.jpg\" >}}\n```\n"
	res, err := New(Options{}).Render([]byte(src), Doc{File: "x.md", FirstLine: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, fmt.Sprintf("%d:%d %s %s", p.Line, p.Col, p.Severity, p.Msg))
	}
	want := []string{
		"1:7 warning a Hugo shortcode (youtube), which otpress does not run: it is published as written",
		"3:1 warning a Hugo shortcode (notice), which otpress does not run: it is published as written",
		"5:1 warning a Hugo shortcode (notice), which otpress does not run: it is published as written",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
