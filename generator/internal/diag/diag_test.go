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
