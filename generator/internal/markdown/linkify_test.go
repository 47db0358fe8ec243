package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// sameBreaks drops the spaces, tabs and carriage returns before a line
// break, hard ("<br>") or soft (a newline): linkify, asked at the spaces
// that end a line, leaves some of them, which CommonMark drops and the
// parser without it does. A lone carriage return is one of them: goldmark
// ends lines at "\n" only (as every position otpress reports does), so in
// "a\r \nb" the "\r" is a character, and trimmed or kept as the spaces
// after it are. They show as nothing in a page. Both sides go through it, so that the
// spaces a code block keeps stay the same on both.
func sameBreaks(html string) string {
	return spacesBeforeBreak.ReplaceAllString(html, "$1")
}

var spacesBeforeBreak = regexp.MustCompile(`[ \t\r]+(<br>|\n)`)

// both renders src with the full parser and with the one without linkify.
func both(t *testing.T, r *Renderer, src []byte) (full, noLinks string) {
	t.Helper()
	render := func(p parser.Parser) string {
		var b bytes.Buffer
		if err := r.md.Renderer().Render(&b, src, p.Parse(text.NewReader(src), parser.WithContext(parser.NewContext()))); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	return render(r.md.Parser()), render(r.noLinks)
}

// TestLinkifySkipped: a text with a bare address or email address is still
// linked; one without gives the same page from either parser. The texts
// are this package's fuzz seeds and the example site's content.
func TestLinkifySkipped(t *testing.T) {
	r := New(Options{})
	for _, src := range []string{"See https://www.rcot.co.uk/ and www.example.org.", "Write to ot@example.org."} {
		if !mayLinkify([]byte(src)) {
			t.Errorf("%q: linkify skipped", src)
		}
		if res, err := r.Render([]byte(src), Doc{File: "x.md"}); err != nil || !strings.Contains(string(res.HTML), "<a href=") {
			t.Errorf("%q rendered without a link: %s %v", src, res.HTML, err)
		}
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "content", "*", "*.md"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "..", "content", "*", "*", "*.md"))
	seeds, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzRender", "*"))
	files = append(append(files, more...), seeds...)
	skipped := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if mayLinkify(src) {
			continue
		}
		skipped++
		if full, noLinks := both(t, r, src); sameBreaks(full) != sameBreaks(noLinks) {
			t.Errorf("%s: the parser without linkify differs:\n%s\n---\n%s", f, full, noLinks)
		}
	}
	if skipped < 5 {
		t.Errorf("only %d of %d texts without addresses", skipped, len(files))
	}
}

// FuzzLinkify: for any text without a bare address or an @, the parser
// without linkify gives the same HTML as the full one, but for one thing:
// linkify, asked at the spaces that end a line, leaves some of them before a
// line break ("a <br>", "a \n", or "a\r\n" from "a\r \n"), which
// CommonMark drops and the parser without it does ("a<br>", "a\n").
func FuzzLinkify(f *testing.F) {
	for _, s := range []string{
		"Denis *walked* to his (kitchen) ~~again~~ _today_.\n\n- [ ] task\n\n| a | b |\n|---|---|\n| 1 | 2 |",
		"a  \nhard break\\\nand *(nested [link](x) text)*",
		"ww.example.org and ftp.example.org and http example",
	} {
		f.Add(s)
	}
	r := New(Options{})
	f.Fuzz(func(t *testing.T, s string) {
		src := []byte(s)
		if mayLinkify(src) {
			return
		}
		if full, noLinks := both(t, r, src); sameBreaks(full) != sameBreaks(noLinks) {
			t.Fatalf("the parser without linkify differs:\n%q\n%q", full, noLinks)
		}
	})
}

// BenchmarkLinkify parses and renders the example site's texts, with
// their addresses and @s taken out, with goldmark's linkify and without it:
// what asking linkify at every space costs.
//
//	go test -run '^$' -bench Linkify ./generator/internal/markdown/
func BenchmarkLinkify(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "content", "*", "*.md"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "..", "content", "*", "*", "*.md"))
	var texts [][]byte
	size := 0
	for _, f := range append(files, more...) {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		s := strings.NewReplacer("@", "", "http", "", "www.", "", "ftp:", "").Replace(string(src))
		texts = append(texts, []byte(s))
		size += len(s)
	}
	r := New(Options{})
	for name, p := range map[string]parser.Parser{"with": r.md.Parser(), "without": r.noLinks} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(size))
			var out bytes.Buffer
			for b.Loop() {
				for _, src := range texts {
					out.Reset()
					root := p.Parse(text.NewReader(src), parser.WithContext(parser.NewContext()))
					if err := r.md.Renderer().Render(&out, src, root); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
