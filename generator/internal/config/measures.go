package config

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/otpress/otpress/generator/internal/diag"
)

// Measure is one entry of the outcome vocabulary, a [[measures]] table in
// site.toml:
//
//	[[measures]]
//	name = "Care visits per day"
//	unit = "visits"
//	aliases = ["care visits/day"]
//	better = "lower"
//
// Stories whose outcomes name the measure or one of its aliases (compared
// with MeasureKey: case, spaces and punctuation aside) are counted together
// on theme pages and /evidence/.
type Measure struct {
	Name    string   `toml:"name"`
	Unit    string   `toml:"unit"`    // optional; when set, every story must use it
	Aliases []string `toml:"aliases"` // other names stories use for it
	// Better says which way is an improvement: "lower", "higher", or ""
	// when the site does not say (pages then say only "from X to Y").
	Better string `toml:"better"`
	// Names and Units are the measure's name and unit in the site's other
	// languages, by tag: names = { cy = "Cwympiadau'r mis" }. A
	// language's stories may name it either way.
	Names map[string]string `toml:"names"`
	Units map[string]string `toml:"units"`
	// UnitAliases are other units a language's stories may give it in
	// (ForLanguage: the default language's unit).
	UnitAliases []string `toml:"-"`

	// Where the entry and its keys are written, for problems.
	Pos       Pos   `toml:"-"` // the [[measures]] line
	NamePos   Pos   `toml:"-"`
	UnitPos   Pos   `toml:"-"`
	AliasPos  []Pos `toml:"-"` // one for each alias
	BetterPos Pos   `toml:"-"`
}

// Pos is a line and column in site.toml (1-based; 0 when unknown).
type Pos struct{ Line, Col int }

// Where is "site.toml:LINE", to name a measure's definition in messages
// about a story.
func (m *Measure) Where() string {
	if m.Pos.Line == 0 {
		return File
	}
	return File + ":" + strconv.Itoa(m.Pos.Line)
}

// Better values.
const (
	BetterLower  = "lower"
	BetterHigher = "higher"
)

// MeasureKey folds a measure's name for matching: lower case, and every
// run of spaces and punctuation one space, so "Care visits / day" and
// "care visits/day" are the same measure (but "care visits per day" is
// another, unless the vocabulary makes it an alias).
func MeasureKey(name string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// UnitKey folds a unit for comparison: lower case, spaces collapsed, and a
// plural "s" dropped from words of four letters or more, so "Visits" and
// "visit" agree but "m" and "metres" do not. Symbols such as "%" are kept.
func UnitKey(unit string) string {
	words := strings.Fields(strings.ToLower(unit))
	for i, w := range words {
		if len([]rune(w)) >= 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			words[i] = strings.TrimSuffix(w, "s")
		}
	}
	return strings.Join(words, " ")
}

// checkMeasures validates the vocabulary and fills in where each entry is
// written. Names and aliases must be unique once folded.
func checkMeasures(ms []Measure, src []byte, at func(string) (int, int)) []*diag.Problem {
	if len(ms) == 0 {
		return nil
	}
	positions(ms, src)
	var probs []*diag.Problem
	bad := func(p Pos, hint, format string, args ...any) {
		probs = append(probs, diag.Errorf(File, p.Line, p.Col, format, args...).WithHint("%s", hint))
	}
	fallback := func(p Pos) Pos {
		if p.Line == 0 {
			l, c := at("measures")
			return Pos{l, c}
		}
		return p
	}
	type owner struct {
		m    *Measure
		name string
		pos  Pos
	}
	seen := map[string]owner{}
	claim := func(m *Measure, name string, p Pos) {
		key := MeasureKey(name)
		if key == "" {
			bad(fallback(p), `give the measure a name with letters or digits, e.g. name = "Care visits per day"`, "measure name %q has no letters or digits", name)
			return
		}
		if o, ok := seen[key]; ok {
			what := "the name"
			if o.name != o.m.Name {
				what = "an alias"
			}
			if o.m == m {
				bad(fallback(p), "remove it: names and aliases are compared without case, spaces or punctuation", "%q is given twice for the measure %q", name, m.Name)
			} else {
				bad(fallback(p), "each name belongs to one measure: remove it here, or merge the two entries", "%q is already %s of the measure %q (line %d)", name, what, o.m.Name, o.pos.Line)
			}
			return
		}
		seen[key] = owner{m, name, p}
	}
	for i := range ms {
		m := &ms[i]
		m.Name = strings.TrimSpace(m.Name)
		m.Unit = strings.TrimSpace(m.Unit)
		m.Better = strings.TrimSpace(m.Better)
		if m.Name == "" {
			bad(fallback(m.Pos), `each [[measures]] entry needs a name, e.g. name = "Care visits per day"`, "measure %d has no name", i+1)
		} else {
			claim(m, m.Name, fallback(m.NamePos))
		}
		for j, a := range m.Aliases {
			p := m.NamePos
			if j < len(m.AliasPos) {
				p = m.AliasPos[j]
			}
			claim(m, strings.TrimSpace(a), fallback(p))
		}
		switch m.Better {
		case "", BetterLower, BetterHigher:
		default:
			bad(fallback(m.BetterPos), `write better = "lower" when a fall is an improvement (care visits, falls), better = "higher" when a rise is (distance walked, wellbeing score), or leave it out`, "better %q of measure %q is neither \"lower\" nor \"higher\"", m.Better, m.Name)
		}
	}
	return probs
}

// positions finds where each [[measures]] entry and its keys are written:
// the n-th [[measures]] header is the n-th entry. Entries written inline
// (measures = [{...}]) keep no positions; problems then point at the key.
func positions(ms []Measure, src []byte) {
	lines := strings.Split(string(src), "\n")
	n := -1
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		col := len(line) - len(strings.TrimLeft(line, " \t")) + 1
		if strings.HasPrefix(trimmed, "[") {
			n = -2 // another table: keys below are not a measure's
			if strings.HasPrefix(trimmed, "[[") && strings.TrimSpace(strings.Trim(strings.SplitN(trimmed, "#", 2)[0], "[] \t\r")) == "measures" {
				if n = countHeaders(lines[:i]); n < len(ms) {
					ms[n].Pos = Pos{i + 1, col}
				}
			}
			continue
		}
		if n < 0 || n >= len(ms) || strings.HasPrefix(trimmed, "#") {
			continue
		}
		k, _, ok := strings.Cut(trimmed, "=")
		if !ok {
			continue
		}
		m := &ms[n]
		p := Pos{i + 1, col}
		switch strings.Trim(strings.TrimSpace(k), `"'`) {
		case "name":
			m.NamePos = p
		case "unit":
			m.UnitPos = p
		case "better":
			m.BetterPos = p
		case "aliases":
			m.AliasPos = aliasPositions(m.Aliases, lines, i, strings.Index(line, "=")+1, p)
		}
	}
}

// countHeaders is how many [[measures]] headers lines hold.
func countHeaders(lines []string) int {
	n := 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[[") && strings.TrimSpace(strings.Trim(strings.SplitN(t, "#", 2)[0], "[] \t\r")) == "measures" {
			n++
		}
	}
	return n
}

// aliasPositions finds each alias's quoted text from byte from of line
// on (the list may run over several lines), or gives the key's position.
func aliasPositions(aliases []string, lines []string, line, from int, key Pos) []Pos {
	out := make([]Pos, len(aliases))
	l, c := line, from
	for i, a := range aliases {
		out[i] = key
		for ; l < len(lines) && l < line+len(aliases)+2; l, c = l+1, 0 {
			if c > len(lines[l]) {
				continue
			}
			if j := quoted(lines[l][c:], a); j >= 0 {
				out[i] = Pos{l + 1, c + j + 1}
				c += j + len(a) + 2
				break
			}
		}
	}
	return out
}

// quoted is the index of a quoted in s, with double or single quotes, or -1.
func quoted(s, a string) int {
	best := -1
	for _, q := range []string{`"`, `'`} {
		if j := strings.Index(s, q+a+q); j >= 0 && (best < 0 || j < best) {
			best = j
		}
	}
	return best
}

// String describes a measure for messages: its name, and its unit.
func (m *Measure) String() string {
	if m.Unit == "" {
		return fmt.Sprintf("%q", m.Name)
	}
	return fmt.Sprintf("%q (%s)", m.Name, m.Unit)
}
