package config

import (
	"strings"
	"testing"
)

const measuresBase = "title = \"x\"\nbase_url = \"https://x.org/\"\n"

func TestMeasures(t *testing.T) {
	src := measuresBase + `
[[measures]]
name = "Care visits per day"
unit = "visits"
aliases = ["care visits/day", 'Care visits a day']
better = "lower"

[[measures]]
name = "Walking distance"
unit = "metres"
better = "higher"

[[measures]]
name = "Wellbeing score"
aliases = [
  "WEMWBS",
  "wellbeing",
]
`
	s, probs := Parse([]byte(src))
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if len(s.Measures) != 3 {
		t.Fatalf("measures = %+v", s.Measures)
	}
	m := s.Measures[0]
	if m.Name != "Care visits per day" || m.Unit != "visits" || m.Better != BetterLower || len(m.Aliases) != 2 {
		t.Errorf("first = %+v", m)
	}
	if m.Pos != (Pos{4, 1}) || m.NamePos != (Pos{5, 1}) || m.UnitPos != (Pos{6, 1}) || m.BetterPos != (Pos{8, 1}) {
		t.Errorf("positions = %+v", m)
	}
	if want := []Pos{{7, 12}, {7, 31}}; len(m.AliasPos) != 2 || m.AliasPos[0] != want[0] || m.AliasPos[1] != want[1] {
		t.Errorf("alias positions = %v; want %v", m.AliasPos, want)
	}
	if w := s.Measures[2]; w.Pos != (Pos{15, 1}) || len(w.AliasPos) != 2 || w.AliasPos[0] != (Pos{18, 3}) || w.AliasPos[1] != (Pos{19, 3}) {
		t.Errorf("third = %+v", w)
	}
	if got := m.Where(); got != "site.toml:4" {
		t.Errorf("Where() = %q", got)
	}
}

func TestMeasureProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each a substring of one problem, in order
	}{
		{"no name", "[[measures]]\nunit = \"visits\"\n", []string{"site.toml:3:1: error: measure 1 has no name"}},
		{"bad better", "[[measures]]\nname = \"Falls\"\nbetter = \"fewer\"\n", []string{`site.toml:5:1: error: better "fewer" of measure "Falls" is neither "lower" nor "higher"`}},
		{"alias taken by another measure", "[[measures]]\nname = \"Care visits per day\"\n[[measures]]\nname = \"Visits\"\naliases = [\"care visits / day\", \"CARE VISITS PER DAY\"]\n",
			[]string{`site.toml:7:33: error: "CARE VISITS PER DAY" is already the name of the measure "Care visits per day" (line 4)`}},
		{"alias twice", "[[measures]]\nname = \"Falls\"\naliases = [\"falls\"]\n", []string{`site.toml:5:12: error: "falls" is given twice for the measure "Falls"`}},
		{"name of punctuation", "[[measures]]\nname = \"%\"\n", []string{`site.toml:4:1: error: measure name "%" has no letters or digits`}},
		{"unknown key", "[[measures]]\nname = \"Falls\"\nalias = [\"x\"]\n", []string{`unknown setting "measures.alias" is ignored; fix: did you mean "measures.aliases"?`}},
		{"inline entries point at the key", "measures = [{name = \"Falls\"}, {name = \"falls\"}]\n", []string{`site.toml:3:1: error: "falls" is already the name of the measure "Falls"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := Parse([]byte(measuresBase + tt.src))
			if len(probs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(probs), len(tt.want), probs)
			}
			for i, w := range tt.want {
				if got := probs[i].OneLine(); !strings.Contains(got, w) {
					t.Errorf("problem %d = %q; want it to contain %q", i, got, w)
				}
			}
		})
	}
}

func TestMeasureKey(t *testing.T) {
	for in, want := range map[string]string{
		"Care visits a day":     "care visits a day",
		"  care visits/day ":    "care visits day",
		"Care visits / day":     "care visits day",
		"GP appointments (6 m)": "gp appointments 6 m",
		"Café-visits":           "café visits",
		"%":                     "",
	} {
		if got := MeasureKey(in); got != want {
			t.Errorf("MeasureKey(%q) = %q; want %q", in, got, want)
		}
	}
	for _, same := range [][2]string{{"visits", "Visit"}, {"metres", "metre"}, {"care  hours", "Care hour"}, {"%", "%"}} {
		if UnitKey(same[0]) != UnitKey(same[1]) {
			t.Errorf("UnitKey(%q) != UnitKey(%q)", same[0], same[1])
		}
	}
	for _, differ := range [][2]string{{"m", "metres"}, {"%", ""}, {"class", "clas"}} {
		if UnitKey(differ[0]) == UnitKey(differ[1]) {
			t.Errorf("UnitKey(%q) == UnitKey(%q)", differ[0], differ[1])
		}
	}
}
