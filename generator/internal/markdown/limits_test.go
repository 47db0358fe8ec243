package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestLimits: each limit just within and just past, in the shapes that
// once took minutes; past one, the error is at the mark that passed it.
func TestLimits(t *testing.T) {
	indented := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return b.String()
	}
	refs := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "[r%d]: /x%d\n", i, i)
		}
		return b.String()
	}
	notes := func(n int) string {
		var b strings.Builder
		for i := range n / 2 {
			fmt.Fprintf(&b, "x[^%d]\n\n[^%d]: note\n\n", i, i)
		}
		return b.String()
	}
	tests := []struct {
		name      string
		src       string
		line, col int // of the error; 0 for none
		msg       string
	}{
		{name: "dashes at the limit", src: strings.Repeat("- ", MaxNesting) + "x\n"},
		{name: "dashes past it", src: strings.Repeat("- ", MaxNesting+1) + "x\n", line: 1, col: 1 + 2*MaxNesting, msg: "lists and block quotes are nested more than 32 levels deep here; otpress allows 32"},
		{name: "numbers past it", src: strings.Repeat("1. ", 100) + "x\n", line: 1, col: 1 + 3*MaxNesting, msg: "nested more than 32"},
		{name: "quotes past it", src: strings.Repeat("> ", 1000) + "x\n", line: 1, col: 1 + 2*MaxNesting, msg: "nested more than 32"},
		{name: "quotes and lists", src: strings.Repeat("> - ", MaxNesting/2) + "> x\n", line: 1, col: 1 + 4*(MaxNesting/2), msg: "nested more than 32"},
		{name: "indented lists at the limit", src: indented(MaxNesting)},
		{name: "indented lists past it", src: indented(1200), line: 1 + MaxNesting, col: 1 + 2*MaxNesting, msg: "nested more than 32"},
		{name: "quoted lines past it", src: strings.Repeat(">", 40) + " x\n\n" + strings.Repeat("> ", 20) + "\n", line: 1, col: 1 + MaxNesting, msg: "nested more than 32"},
		{name: "a fence hides markers", src: "- a\n  ```\n" + strings.Repeat("  "+strings.Repeat("- ", 40)+"\n", 3) + "  ```\n- b\n"},
		{name: "lists end at a blank line", src: strings.Repeat(indented(20)+"\ntext\n\n", 3)},
		{name: "brackets at the limit", src: strings.Repeat("[", MaxNesting) + "a" + strings.Repeat("]", MaxNesting) + "\n"},
		{name: "brackets past it", src: "text " + strings.Repeat("[", 1000) + "\n", line: 1, col: 6 + MaxNesting, msg: "more than 32 brackets [ are open here"},
		{name: "brackets close at a blank line", src: strings.Repeat(strings.Repeat("[", 20)+"\n\n", 10)},
		{name: "escaped brackets", src: strings.Repeat(`\[`, 100) + "\n"},
		{name: "link addresses past it", src: strings.Repeat("[a](", 100) + "\n", line: 1, col: 4*MaxNesting + 4, msg: "more than 32 link addresses ]( are open here"},
		{name: "closed links", src: strings.Repeat("[a](/b) ", 1000) + "\n"},
		{name: "headings at the limit", src: strings.Repeat("## a\n\nText\n---\n", MaxHeadings/2)},
		{name: "headings past it", src: strings.Repeat("# a\n", MaxHeadings+1), line: MaxHeadings + 1, col: 1, msg: "more than 5000 headings"},
		{name: "links at the limit", src: strings.Repeat("[a](/b)\n", MaxBrackets)},
		{name: "links past it", src: strings.Repeat("[a](/b)\n", MaxBrackets+1), line: MaxBrackets + 1, col: 1, msg: "more than 20000 links, pictures, citations and other brackets ["},
		{name: "footnotes at the limit", src: notes(MaxFootnotes)},
		{name: "footnotes past it", src: notes(MaxFootnotes + 2), line: 4*(MaxFootnotes/2) + 1, col: 2, msg: "more than 2000 footnote marks"},
		{name: "references at the limit", src: refs(MaxReferences)},
		{name: "references past it", src: refs(MaxReferences + 1), line: 1 + MaxReferences, col: 1, msg: "more than 200 link definitions"},
		{name: "references apart", src: strings.Repeat(refs(150)+"\n", 3)},
		{name: "emphasis runs at the limit", src: strings.Repeat("*a_", MaxDelimiters/2) + "\n\n" + strings.Repeat("*a_", MaxDelimiters/2) + "\n"},
		{name: "emphasis runs past it", src: "x\n" + strings.Repeat("*a_", 10000) + "\n", line: 2, col: 1 + 3*(MaxDelimiters/2), msg: "more than 200 runs of *, _ or ~"},
		{name: "strikethrough runs past it", src: strings.Repeat("~~a ", 300) + "\n", line: 1, col: 1 + 4*MaxDelimiters, msg: "more than 200 runs"},
		{name: "runs in table cells", src: "| a | b |\n|---|---|\n" + strings.Repeat("| *a* | _b_ |\n", 300)},
		{name: "runs in list items", src: strings.Repeat("- **a** and _b_\n", 300)},
	}
	r := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Render([]byte(tt.src), Doc{File: "x.md", FirstLine: 1})
			if err != nil {
				t.Fatal(err)
			}
			var found []string
			for _, p := range res.Problems {
				if strings.Contains(p.Msg, "otpress allows") {
					found = append(found, p.Error())
					if tt.msg == "" || p.Line != tt.line || p.Col != tt.col || !strings.Contains(p.Msg, tt.msg) || p.Hint == "" {
						t.Errorf("problem %s (hint %q); want %q at %d:%d", p.Error(), p.Hint, tt.msg, tt.line, tt.col)
					}
				}
			}
			if tt.msg != "" && len(found) != 1 {
				t.Errorf("problems %q; want one %q at %d:%d", found, tt.msg, tt.line, tt.col)
			}
		})
	}
}

// TestBackticks: a run of backticks with no closing run is text at once,
// and the page is what goldmark makes of it without the shortcut.
func TestBackticks(t *testing.T) {
	var runs strings.Builder
	for i := 1; i < 60; i++ {
		runs.WriteString(strings.Repeat("`", i%7+1) + "a ")
	}
	for _, src := range []string{
		"`a` ``b`` ```c``` `` ` `` `",
		"``` not a fence `` a ``\n`more` `",
		"\\`a` x `b\\` c`",
		"`a\nb` ``c\n\nd``",
		"> `a\n> b` `c\n\n- `d\n  e` ``",
		"| `a` | `b |\n|---|---|\n| `c | d` |",
		runs.String(),
	} {
		limited, err := New(Options{}).Render([]byte(src), Doc{File: "x.md", FirstLine: 1})
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := New(Options{unlimited: true}).Render([]byte(src), Doc{File: "x.md", FirstLine: 1})
		if !bytes.Equal(limited.HTML, plain.HTML) {
			t.Errorf("%q:\n%s\nwithout the limiter:\n%s", src, limited.HTML, plain.HTML)
		}
	}
}

// FuzzNesting writes Markdown from the fuzzer's bytes: list items, block
// quotes, brackets and text, each byte opening, closing or adding one,
// with the nesting it makes known. Within the limits a document renders
// as goldmark renders it without them; past one, the problem says which,
// at a place in the text; nothing panics.
func FuzzNesting(f *testing.F) {
	f.Add([]byte{0, 0, 1, 3, 4, 5, 2, 6, 3})
	f.Add(bytes.Repeat([]byte{0}, 40))
	f.Add(bytes.Repeat([]byte{1, 2}, 20))
	f.Add(bytes.Repeat([]byte{6}, 40))
	limited, plain := New(Options{}), New(Options{unlimited: true})
	f.Fuzz(func(t *testing.T, recipe []byte) {
		if len(recipe) > 200 {
			recipe = recipe[:200]
		}
		src, deep := nestMarkdown(recipe)
		res, err := limited.Render([]byte(src), Doc{File: "x.md", FirstLine: 1})
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(src, "\n")
		var limit []string
		for _, p := range res.Problems {
			if p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > len(lines[p.Line-1])+1 {
				t.Fatalf("problem outside the text: %s\n%s", p.Error(), src)
			}
			if strings.Contains(p.Msg, "otpress allows") {
				limit = append(limit, p.Msg)
			}
		}
		if !deep {
			want, _ := plain.Render([]byte(src), Doc{File: "x.md", FirstLine: 1})
			if len(limit) > 0 || !bytes.Equal(res.HTML, want.HTML) {
				t.Fatalf("within the limits: problems %q, HTML\n%s\nwant\n%s\nfrom\n%s", limit, res.HTML, want.HTML, src)
			}
			return
		}
		if len(limit) != 1 || !strings.Contains(limit[0], "nested") && !strings.Contains(limit[0], "open here") && !strings.Contains(limit[0], "runs of") {
			t.Fatalf("past the limits: problems %q; want one about nesting\n%s", limit, src)
		}
	})
}

// nestMarkdown writes Markdown line by line from recipe, keeping the
// containers each line is in, and reports whether lists and quotes, or
// the brackets left open in a paragraph, pass MaxNesting, or the runs of
// emphasis marks in a paragraph MaxDelimiters.
func nestMarkdown(recipe []byte) (string, bool) {
	type open struct{ prefix, first string } // continuation, and first line
	var stack []open
	var b strings.Builder
	brackets, runs, deep := 0, 0, false
	cont := func() string {
		var p strings.Builder
		for _, o := range stack {
			p.WriteString(o.prefix)
		}
		return p.String()
	}
	push := func(first, prefix string) {
		b.WriteString(cont() + first + "x\n")
		stack = append(stack, open{prefix, first})
		brackets, runs = 0, 0
		deep = deep || len(stack) > MaxNesting
	}
	for _, r := range recipe {
		switch r % 8 {
		case 0:
			push("- ", "  ")
		case 1:
			push("> ", "> ")
		case 2:
			push("1. ", "   ")
		case 3:
			b.WriteString(cont() + "text [a](/b) `c` *d* _e_ [^n] \\[ f\n")
			runs += 4
			deep = deep || runs > MaxDelimiters
		case 4:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
				b.WriteString(strings.TrimRight(cont(), " ") + "\n") // a blank line ends the paragraph
				brackets, runs = 0, 0
			}
		case 5:
			b.WriteString(cont() + "```\n" + cont() + "- - - > > [[[[\n" + cont() + "```\n")
			brackets, runs = 0, 0
		case 6:
			b.WriteString(cont() + "y " + strings.Repeat("[", 5) + "\n")
			brackets += 5
			deep = deep || brackets > MaxNesting
		case 7:
			b.WriteString(cont() + "[z]: /w\n")
		}
	}
	return b.String(), deep
}
