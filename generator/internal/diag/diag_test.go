package diag

import (
	"errors"
	"strings"
	"testing"
)

func TestNearest(t *testing.T) {
	known := []string{"title", "date", "summary", "themes", "tags", "draft", "slug", "aliases", "authors", "image", "sources"}
	tests := []struct{ in, want string }{
		{"titel", "title"},
		{"tagz", "tags"},
		{"Summary", "summary"},
		{"autors", "authors"},
		{"colour", ""}, // nothing close: no suggestion
		{"x", ""},
	}
	for _, tt := range tests {
		if got := Nearest(tt.in, known); got != tt.want {
			t.Errorf("Nearest(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestProblemFormats(t *testing.T) {
	p := Errorf("content/stories/x.md", 3, 7, "date %q is not a date", "April 2019").WithHint("write it as 2019-04-01")
	p.AttachSource([]byte("---\ntitle: X\ndate: April 2019\n---\n"))
	if got, want := p.Error(), `content/stories/x.md:3:7: date "April 2019" is not a date; write it as 2019-04-01`; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
	want := "content/stories/x.md:3:7: date \"April 2019\" is not a date\n  3 | date: April 2019\n    |       ^\n  fix: write it as 2019-04-01\n"
	if got := p.Detail(); got != want {
		t.Errorf("Detail() =\n%s\nwant\n%s", got, want)
	}
}

func TestListSortsDedupesAndJoins(t *testing.T) {
	var l List
	l.Add(Errorf("b.md", 2, 1, "second"), Warnf("a.md", 9, 1, "warn"), Errorf("a.md", 1, 1, "first"), nil, Errorf("a.md", 1, 1, "first"))
	all := l.All()
	var got []string
	for _, p := range all {
		got = append(got, p.Error())
	}
	want := "a.md:1:1: first|a.md:9:1: warning: warn|b.md:2:1: second"
	if strings.Join(got, "|") != want {
		t.Errorf("All() = %q; want %q", strings.Join(got, "|"), want)
	}
	err := l.Err()
	var be *BuildError
	if !errors.As(err, &be) || len(be.Problems) != 2 {
		t.Fatalf("Err() = %v; want a BuildError with 2 problems", err)
	}
	var p *Problem
	if !errors.As(err, &p) || p.Msg != "first" {
		t.Errorf("errors.As(Problem) = %v; want the first problem", p)
	}
	if len(l.Warnings()) != 1 || !l.HasErrors() {
		t.Errorf("Warnings/HasErrors wrong: %d, %v", len(l.Warnings()), l.HasErrors())
	}
}

// TestPerFile: past MaxPerFile errors (or warnings) in one file, the rest
// are counted in one problem at the first left out; other files and the
// other severity keep theirs.
func TestPerFile(t *testing.T) {
	var l List
	for i := range MaxPerFile + 50 {
		l.Add(Errorf("a.md", i+1, 1, "error %d", i))
	}
	l.Add(Errorf("b.md", 1, 1, "alone"), Warnf("a.md", 1, 2, "a warning"))
	errs := l.Errors()
	if len(errs) != MaxPerFile+2 {
		t.Fatalf("%d errors listed; want %d", len(errs), MaxPerFile+2)
	}
	more := errs[MaxPerFile]
	if more.File != "a.md" || more.Line != MaxPerFile+1 || more.Severity != Error || !strings.Contains(more.Msg, "50 more errors") || more.Hint == "" {
		t.Errorf("the problem for the rest = %+v", more)
	}
	if errs[MaxPerFile+1].Msg != "alone" || len(l.Warnings()) != 1 {
		t.Errorf("other files and warnings: %v, %v", errs[MaxPerFile+1], l.Warnings())
	}
}

// TestAttachSources: each problem gets its own line, CR and all line ends
// handled, and a line past the end gives none.
func TestAttachSources(t *testing.T) {
	src := []byte("one\r\ntwo\nthree")
	ps := []*Problem{Errorf("f", 3, 1, "x"), Errorf("f", 1, 1, "x"), Errorf("f", 4, 1, "x"), Errorf("f", 0, 0, "x")}
	AttachSources(src, ps)
	for i, want := range []string{"three", "one", "", ""} {
		if ps[i].Source != want {
			t.Errorf("line %d: source %q; want %q", ps[i].Line, ps[i].Source, want)
		}
	}
}

// TestDetailLongLine: a long source line is shown around the column,
// cut with "…", the caret under the column.
func TestDetailLongLine(t *testing.T) {
	line := strings.Repeat("a", 1000) + "XY" + strings.Repeat("é", 1000)
	p := Errorf("f.md", 3, 1001, "here")
	p.Source = line
	d := p.Detail()
	lines := strings.Split(d, "\n")
	if len(lines) < 3 || len(lines[1]) > maxShown+40 || !strings.HasPrefix(lines[1], "  3 | …") || !strings.HasSuffix(lines[1], "…") {
		t.Fatalf("Detail() =\n%s", d)
	}
	src, caret := []rune(lines[1]), strings.Index(lines[2], "^")
	if string(src[caret:caret+2]) != "XY" {
		t.Errorf("the caret is under %q; want XY:\n%s", string(src[caret:caret+2]), d)
	}
}

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0 pages"}, {1, "1 page"}, {2, "2 pages"}, {1000, "1000 pages"}} {
		if got := Count(tt.n, "page", "pages"); got != tt.want {
			t.Errorf("Count(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
