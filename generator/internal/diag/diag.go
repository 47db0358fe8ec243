// Package diag carries positioned problems (errors and warnings) about a
// site's files from the layer that finds them to the one that reports them.
//
// Every problem names a file and, where known, a line and column, says what is
// wrong in plain words and, where there is an obvious fix, how to fix it.
package diag

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Severity says whether a problem stops the build.
type Severity uint8

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one thing wrong with one file.
type Problem struct {
	Severity Severity
	File     string // slash-separated path relative to the site folder
	Line     int    // 1-based; 0 when the problem is about the whole file
	Col      int    // 1-based; 0 when unknown
	Msg      string // what is wrong, lower case, no trailing full stop
	Hint     string // how to fix it; may be empty
	Source   string // the offending source line, for display; may be empty
}

// Errorf returns an error-severity problem.
func Errorf(file string, line, col int, format string, args ...any) *Problem {
	return &Problem{Severity: Error, File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// Warnf returns a warning.
func Warnf(file string, line, col int, format string, args ...any) *Problem {
	return &Problem{Severity: Warning, File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// WithHint sets the hint and returns p.
func (p *Problem) WithHint(format string, args ...any) *Problem {
	p.Hint = fmt.Sprintf(format, args...)
	return p
}

// Position is "file:line:col", "file:line" or "file".
func (p *Problem) Position() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return p.File
}

// headline writes "file:line:col: [warning: ]message".
func (p *Problem) headline(b *strings.Builder) {
	b.WriteString(Printable(p.Position()))
	b.WriteString(": ")
	if p.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(Printable(p.Msg))
}

// Error formats the problem on one line: "file:line:col: message; hint".
func (p *Problem) Error() string {
	var b strings.Builder
	p.headline(&b)
	if p.Hint != "" {
		b.WriteString("; ")
		b.WriteString(p.Hint)
	}
	return b.String()
}

// OneLine formats the problem the way editors and CI tools parse problems:
// "file:line:col: error: message; fix: hint", the severity always named.
func (p *Problem) OneLine() string {
	var b strings.Builder
	b.WriteString(Printable(p.Position()))
	b.WriteString(": ")
	b.WriteString(p.Severity.String())
	b.WriteString(": ")
	b.WriteString(Printable(p.Msg))
	if p.Hint != "" {
		b.WriteString("; fix: ")
		b.WriteString(Printable(p.Hint))
	}
	return b.String()
}

// Detail formats the problem over several lines for a terminal: the
// one-line form, then the source line with a caret under the column.
func (p *Problem) Detail() string {
	var b strings.Builder
	p.headline(&b)
	b.WriteByte('\n')
	if p.Source != "" && p.Line > 0 {
		num := fmt.Sprint(p.Line)
		src, col := window(strings.ReplaceAll(p.Source, "\t", " "), p.Col)
		fmt.Fprintf(&b, "  %s | %s\n", num, Printable(src))
		if p.Col > 0 {
			fmt.Fprintf(&b, "  %s | %s^\n", strings.Repeat(" ", len(num)), strings.Repeat(" ", caretOffset(src, col)))
		}
	}
	if p.Hint != "" {
		fmt.Fprintf(&b, "  fix: %s\n", Printable(p.Hint))
	}
	return b.String()
}

// maxShown is the most bytes of a source line shown: a line of a 2 MB
// file may be the whole file, and a hundred problems on it would print
// it a hundred times.
const maxShown = 160

// window is the part of a long line around byte column col (1-based) that
// is shown, with "…" where it is cut, and the column in that part.
func window(line string, col int) (string, int) {
	if len(line) <= maxShown {
		return line, col
	}
	from := max(0, min(col-1, len(line))-maxShown/2)
	for from > 0 && !utf8.RuneStart(line[from]) {
		from--
	}
	to := min(len(line), from+maxShown)
	for to < len(line) && !utf8.RuneStart(line[to]) {
		to++
	}
	shown, col := line[from:to], col-from
	if from > 0 {
		shown, col = "…"+shown, col+len("…")
	}
	if to < len(line) {
		shown += "…"
	}
	return shown, col
}

// caretOffset converts a 1-based byte column into a count of runes before it
// as the line is shown (Printable), so the caret lines up under multi-byte
// text and escaped control characters.
func caretOffset(line string, col int) int {
	if col-1 > len(line) {
		col = len(line) + 1
	}
	return utf8.RuneCountInString(Printable(line[:col-1]))
}

// AttachSource fills Source from the file's bytes when the line exists.
func (p *Problem) AttachSource(src []byte) { AttachSources(src, []*Problem{p}) }

// AttachSources fills each problem's Source from its file's bytes, finding
// the lines in one pass and making each line text once: a file of 2 MB may
// have many thousand problems, on one line of 2 MB.
func AttachSources(src []byte, ps []*Problem) {
	var starts []int // of each line, from 1
	lines := map[int]string{}
	for _, p := range ps {
		if p == nil || p.Line <= 0 {
			continue
		}
		if starts == nil {
			starts = []int{0, 0}
			for i, b := range src {
				if b == '\n' {
					starts = append(starts, i+1)
				}
			}
		}
		if p.Line >= len(starts) {
			continue
		}
		text, ok := lines[p.Line]
		if !ok {
			line := src[starts[p.Line]:]
			if i := bytes.IndexByte(line, '\n'); i >= 0 {
				line = line[:i]
			}
			text = strings.TrimRight(string(line), "\r")
			lines[p.Line] = text
		}
		p.Source = text
	}
}

// List collects problems; it is safe for concurrent use.
type List struct {
	mu    sync.Mutex
	items []*Problem
}

// Add appends problems, ignoring nils.
func (l *List) Add(ps ...*Problem) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range ps {
		if p != nil {
			l.items = append(l.items, p)
		}
	}
}

// Merge appends every problem in o.
func (l *List) Merge(o *List) {
	if o == nil || l == o {
		return
	}
	l.Add(o.All()...)
}

// All returns the problems sorted by file, line, column and message.
func (l *List) All() []*Problem {
	l.mu.Lock()
	out := slices.Clone(l.items)
	l.mu.Unlock()
	slices.SortStableFunc(out, func(a, b *Problem) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return slices.CompactFunc(out, func(a, b *Problem) bool { return *a == *b })
}

// Errors returns the error-severity problems, sorted.
func (l *List) Errors() []*Problem { return l.filter(Error) }

// Warnings returns the warnings, sorted.
func (l *List) Warnings() []*Problem { return l.filter(Warning) }

func (l *List) filter(s Severity) []*Problem {
	var out []*Problem
	for _, p := range l.All() {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return capPerFile(out)
}

// MaxPerFile is how many errors, and how many warnings, are listed for one
// file; one more problem counts the rest. A file of 2 MB can hold half a
// million of one mistake, which help no one listed.
const MaxPerFile = 100

// capPerFile keeps the first MaxPerFile problems of each file of ps (all
// of one severity, sorted by file) and counts the rest.
func capPerFile(ps []*Problem) []*Problem {
	var out []*Problem
	for i := 0; i < len(ps); {
		j := i
		for j < len(ps) && ps[j].File == ps[i].File {
			j++
		}
		if j-i <= MaxPerFile {
			out = append(out, ps[i:j]...)
		} else {
			out = append(out, ps[i:i+MaxPerFile]...)
			out = append(out, More(ps[i+MaxPerFile], j-i-MaxPerFile))
		}
		i = j
	}
	return out
}

// More stands for n problems, from first on, that are not listed.
func More(first *Problem, n int) *Problem {
	return &Problem{
		Severity: first.Severity, File: first.File, Line: first.Line, Col: first.Col, Source: first.Source,
		Msg:  fmt.Sprintf("%d more %ss in this file from here on are not listed", n, first.Severity),
		Hint: "fix the ones listed first: they are often one mistake, repeated",
	}
}

// HasErrors reports whether any problem is an error.
func (l *List) HasErrors() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range l.items {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// Err returns nil when there are no errors, or an error listing every error
// problem, one per line. It unwraps to the individual problems.
func (l *List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	return &BuildError{Problems: errs, Warnings: l.Warnings()}
}

// BuildError is returned when a build finds errors in a site's files.
type BuildError struct {
	Problems []*Problem
	// Warnings found alongside, for tools that report everything
	// (generator check); the build's own message shows the errors.
	Warnings []*Problem
}

func (e *BuildError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

func (e *BuildError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// Nearest returns the candidate closest to s by edit distance when it is close
// enough to be a likely typo, or "" otherwise.
func Nearest(s string, candidates []string) string {
	best, bestD := "", -1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len([]rune(s))/3)
	if bestD < 0 || bestD > limit {
		return ""
	}
	return best
}

// Distance is the Levenshtein distance between a and b, ignoring case.
func Distance(a, b string) int { return editDistance(strings.ToLower(a), strings.ToLower(b)) }

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Count is a number with the word for it: Count(1, "page", "pages") is
// "1 page", Count(3, …) "3 pages". Every count the tool says goes
// through it.
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
