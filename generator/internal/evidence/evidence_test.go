package evidence

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
)

// o is an outcome written on line: "- measure: NAME" with the measure at
// column 14, the unit two lines below at column 11.
func o(line int, measure string, before, after float64, unit string) content.Outcome {
	out := content.Outcome{Measure: measure, Before: before, After: after, Unit: unit}
	out.Pos.Line, out.Pos.Col = line, 5
	out.MeasurePos.Line, out.MeasurePos.Col = line, 14
	if unit != "" {
		out.UnitPos.Line, out.UnitPos.Col = line+3, 11
	}
	return out
}

// story is a story in content/stories/NAME.md, dated day days into 2020.
func story(name string, day int, outcomes ...content.Outcome) *content.Item {
	return &content.Item{
		Kind:  content.Story,
		File:  "content/stories/" + name + ".md",
		Path:  "/stories/" + name + "/",
		Title: strings.ToUpper(name[:1]) + name[1:],
		Date:  time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day),
		Story: &content.StoryFields{Person: name, Outcomes: outcomes},
	}
}

// library orders items as content.Load does: newest first.
func library(items ...*content.Item) []*content.Item {
	content.SortItems(items)
	return items
}

var vocab = []config.Measure{
	{Name: "Care visits per day", Unit: "visits", Aliases: []string{"care visits/day", "Care visits a day"}, Better: "lower", Pos: config.Pos{Line: 12, Col: 1}},
	{Name: "Walking distance", Unit: "metres", Better: "higher", Pos: config.Pos{Line: 18, Col: 1}},
	{Name: "Wellbeing score", Pos: config.Pos{Line: 22, Col: 1}},
}

func TestAnalyseProblems(t *testing.T) {
	tests := []struct {
		name  string
		vocab []config.Measure
		items []*content.Item
		want  []string // each a substring of one problem, in order
		kept  int      // figures in the set
	}{
		{
			name:  "aliases and spelling fold to one measure",
			vocab: vocab,
			items: library(
				story("ann", 1, o(20, "care visits/day", 4, 0, "visits")),
				story("bob", 2, o(20, "CARE VISITS PER DAY", 3, 1, "Visit")),
				story("cal", 3, o(20, "Care visits a day", 2, 2, "")),
				story("dee", 4, o(20, "care  visits / day", 5, 1, "visits")),
			),
			kept: 4,
		},
		{
			name: "a unit that differs between stories is an error at the later, naming the first",
			items: library(
				story("ann", 1, o(20, "Falls in three months", 4, 1, "falls")),
				story("bob", 2, o(30, "falls in three months", 3, 1, "falls")),
				story("cal", 3, o(40, "Falls in three months", 2, 0, "per cent")),
			),
			want: []string{`content/stories/cal.md:43:11: error: the unit "per cent" of "Falls in three months" differs from "falls" in Ann (content/stories/ann.md:20:14); fix: give the figures in falls`},
			kept: 2,
		},
		{
			name: "the first story is the oldest, not the first listed",
			items: library(
				story("new", 9, o(20, "Trips out a week", 1, 3, "outings")),
				story("old", 1, o(20, "Trips out a week", 0, 2, "trips")),
			),
			want: []string{`content/stories/new.md:23:11: error: the unit "outings" of "Trips out a week" differs from "trips" in Old (content/stories/old.md:20:14)`},
			kept: 1,
		},
		{
			name: "no unit where the first story gave one",
			items: library(
				story("ann", 1, o(20, "Nights in hospital", 6, 1, "nights")),
				story("bob", 2, o(30, "Nights in hospital", 3, 0, "")),
			),
			want: []string{`content/stories/bob.md:30:5: error: "Nights in hospital" has no unit here, but "nights" in Ann (content/stories/ann.md:20:14); fix: add unit: nights`},
			kept: 1,
		},
		{
			name:  "a unit other than the definition's",
			vocab: vocab,
			items: library(story("ann", 1, o(20, "Walking distance", 0, 10, "yards"))),
			want:  []string{`content/stories/ann.md:23:11: error: the unit "yards" of "Walking distance" is not "metres", the unit its definition gives (site.toml:18)`},
		},
		{
			name:  "a definition without a unit takes the first story's",
			vocab: vocab,
			items: library(
				story("ann", 1, o(20, "Wellbeing score", 40, 52, "points")),
				story("bob", 2, o(20, "wellbeing score", 38, 45, "WEMWBS points")),
			),
			want: []string{`content/stories/bob.md:23:11: error: the unit "WEMWBS points" of "Wellbeing score" differs from "points" in Ann`},
			kept: 1,
		},
		{
			name:  "a near miss of a defined measure is a warning at each outcome",
			vocab: vocab,
			items: library(
				story("ann", 1, o(20, "Care visit per day", 4, 0, "visits")),
				story("bob", 2, o(25, "Care visit per day", 2, 0, "visits")),
			),
			want: []string{
				`content/stories/ann.md:20:14: warning: measure "Care visit per day" is not in the vocabulary in site.toml; did you mean "Care visits per day"?; fix: to count them together, add "Care visit per day" to the aliases of "Care visits per day" (site.toml:12)`,
				`content/stories/bob.md:25:14: warning: measure "Care visit per day"`,
			},
			kept: 2,
		},
		{
			name: "a near miss between undefined measures warns about the one fewer stories use",
			items: library(
				story("ann", 1, o(20, "Care visits a day", 4, 0, "visits")),
				story("bob", 2, o(20, "Care visits a day", 3, 1, "visits")),
				story("cal", 3, o(30, "Care visit a day", 2, 0, "visits")),
			),
			want: []string{`content/stories/cal.md:30:14: warning: measure "Care visit a day" is close to "Care visits a day" in Ann (content/stories/ann.md:20:14), but they are counted as two measures; fix: if they are the same, write one name, or define it in site.toml ([[measures]] name = "Care visits a day", aliases = ["Care visit a day"])`},
			kept: 3,
		},
		{
			name: "different measures are not near misses",
			items: library(
				story("ann", 1, o(20, "Care visits a day", 4, 0, "visits"), o(30, "Carers at each visit", 2, 0, "carers"), o(40, "Walking distance", 0, 12, "metres")),
				story("bob", 2, o(20, "Falls in three months", 4, 1, "falls"), o(30, "GP appointments in six months", 6, 2, "appointments"), o(40, "Hours of paid work a week", 0, 16, "hours")),
				story("cal", 3, o(20, "Wellbeing score", 40, 52, "points"), o(30, "Nights in hospital", 9, 0, "nights"), o(40, "Trips out a week", 0, 3, "trips")),
			),
			kept: 9,
		},
		{
			name: "one measure twice in a story",
			items: library(
				story("ann", 1, o(20, "Falls", 4, 1, "falls"), o(30, "falls", 3, 0, "falls")),
			),
			want: []string{`content/stories/ann.md:30:14: error: the story gives "Falls" twice, as outcomes 1 and 2`},
			kept: 1,
		},
		{
			name: "stories without figures and other items are left alone",
			items: library(
				story("ann", 1),
				&content.Item{Kind: content.Feature, File: "content/features/f.md", Date: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)},
				story("bob", 2, o(20, "Falls", 4, 1, "falls")),
			),
			kept: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, probs := Analyse(tt.vocab, tt.items)
			if len(probs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(probs), len(tt.want), probs)
			}
			for i, w := range tt.want {
				if got := probs[i].OneLine(); !strings.Contains(got, w) {
					t.Errorf("problem %d =\n  %s\nwant it to contain\n  %s", i, got, w)
				}
			}
			if len(s.Figures) != tt.kept {
				t.Errorf("kept %d figures, want %d", len(s.Figures), tt.kept)
			}
		})
	}
}

func TestAnalyseSet(t *testing.T) {
	ann := story("ann", 1, o(20, "care visits/day", 4, 0, ""), o(30, "Walking distance", 0, 12.5, "metres"))
	bob := story("bob", 5, o(20, "Care visits a day", 3, 1, "visits"))
	cal := story("cal", 3)
	s, probs := Analyse(vocab, library(ann, bob, cal))
	if len(probs) != 0 {
		t.Fatal(probs)
	}
	// library order, then as each story lists them
	var got []string
	for _, f := range s.Figures {
		got = append(got, fmt.Sprintf("%s %s %g→%g %s", f.Item.Title, f.Measure.Name, f.Before, f.After, f.Unit))
	}
	want := "Bob Care visits per day 3→1 visits|Ann Care visits per day 4→0 visits|Ann Walking distance 0→12.5 metres"
	if strings.Join(got, "|") != want {
		t.Errorf("figures =\n  %s\nwant\n  %s", strings.Join(got, "|"), want)
	}
	if s.Stories() != 2 || len(s.Of(ann)) != 2 || s.Of(cal) != nil {
		t.Errorf("stories = %d, ann = %d, cal = %v", s.Stories(), len(s.Of(ann)), s.Of(cal))
	}
	if m := s.Figures[0].Measure; m.Def == nil || m.Better != "lower" || m.Unit != "visits" {
		t.Errorf("measure = %+v", m)
	}
	// every defined measure, used or not, A to Z
	var names []string
	for _, m := range s.Measures {
		names = append(names, m.Name)
	}
	if strings.Join(names, ", ") != "Care visits per day, Walking distance, Wellbeing score" {
		t.Errorf("measures = %v", names)
	}
}

func TestMedian(t *testing.T) {
	for _, tt := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{-3}, -3},
		{[]float64{-4, -2}, -3},
		{[]float64{-5, -4, -2}, -4},
		{[]float64{-5, -4, -2, 1}, -3},
		{[]float64{-4, -1, 0, 0.5}, -0.5},
	} {
		if got := Median(tt.in); got != tt.want {
			t.Errorf("Median(%v) = %g; want %g", tt.in, got, tt.want)
		}
	}
}

func TestDigest(t *testing.T) {
	ann := story("ann", 1, o(20, "Care visits per day", 4, 0, "visits"), o(30, "Walking distance", 0, 12.5, "metres"))
	bob := story("bob", 2, o(20, "care visits/day", 3, 1, "visits"), o(30, "Falls", 2, 2, "falls"))
	cal := story("cal", 3, o(20, "Care visits a day", 5, 0, "visits"), o(30, "Falls", 3, 1, "falls"))
	dee := story("dee", 4) // no figures: not in any sum
	eve := story("eve", 5, o(20, "Care visits per day", 2, 3, "visits"))
	feature := &content.Item{Kind: content.Feature, File: "content/features/f.md"}
	all := library(ann, bob, cal, dee, eve)
	s, probs := Analyse(vocab, all)
	if len(probs) != 0 {
		t.Fatal(probs)
	}
	tests := []struct {
		name                 string
		items                []*content.Item
		stories, withFigures int
		summaries            []string // measure: stories, before→after, median [min, max], lower/higher/same
		single               []string // measure: story
	}{
		{
			name:    "every story",
			items:   append(all, feature, ann), // ann twice, and a feature: counted once, and not at all
			stories: 5, withFigures: 4,
			summaries: []string{
				"Care visits per day: 4 stories (Eve, Cal, Bob, Ann), 14→4, median -3 [-5, 1], 3/1/0",
				"Falls: 2 stories (Cal, Bob), 5→3, median -1 [-2, 0], 1/0/1",
			},
			single: []string{"Walking distance: Ann"},
		},
		{
			name:    "an odd number of stories",
			items:   []*content.Item{ann, bob, cal, dee},
			stories: 4, withFigures: 3,
			summaries: []string{
				"Care visits per day: 3 stories (Cal, Bob, Ann), 12→1, median -4 [-5, -2], 3/0/0",
				"Falls: 2 stories (Cal, Bob), 5→3, median -1 [-2, 0], 1/0/1",
			},
			single: []string{"Walking distance: Ann"},
		},
		{
			name:    "a measure one story reports is not summarised",
			items:   []*content.Item{ann, dee},
			stories: 2, withFigures: 1,
			single: []string{"Care visits per day: Ann", "Walking distance: Ann"},
		},
		{
			name:    "no figures at all",
			items:   []*content.Item{dee, feature},
			stories: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := s.Digest(tt.items)
			if d.Stories != tt.stories || d.WithFigures != tt.withFigures {
				t.Errorf("stories %d, with figures %d; want %d, %d", d.Stories, d.WithFigures, tt.stories, tt.withFigures)
			}
			var sums, single []string
			for _, sm := range d.Summaries {
				var who []string
				for _, f := range sm.Figures {
					who = append(who, f.Item.Title)
				}
				sums = append(sums, fmt.Sprintf("%s: %d stories (%s), %g→%g, median %g [%g, %g], %d/%d/%d",
					sm.Measure.Name, sm.Stories(), strings.Join(who, ", "), sm.Before, sm.After, sm.Median, sm.Min, sm.Max, sm.Lower, sm.Higher, sm.Same))
			}
			for _, f := range d.Single {
				single = append(single, f.Measure.Name+": "+f.Item.Title)
			}
			if strings.Join(sums, "\n") != strings.Join(tt.summaries, "\n") {
				t.Errorf("summaries:\n%s\nwant:\n%s", strings.Join(sums, "\n"), strings.Join(tt.summaries, "\n"))
			}
			if strings.Join(single, "\n") != strings.Join(tt.single, "\n") {
				t.Errorf("single:\n%s\nwant:\n%s", strings.Join(single, "\n"), strings.Join(tt.single, "\n"))
			}
		})
	}
}
