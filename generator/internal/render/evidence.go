package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/evidence"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// Outcomes across stories: /evidence/, every figure the stories report in
// one sortable table; /evidence/<theme>/, a theme's figures; and on each
// theme page, what its stories report, measure by measure.

// EvidencePath is the site path of the table of every story's figures.
const EvidencePath = "/evidence/"

// EvidenceCSV is the site path of the figures as CSV.
const EvidenceCSV = EvidencePath + "outcomes.csv"

// EvidenceThemePath is the site path of a theme's figures.
func EvidenceThemePath(th *taxonomy.Theme) string { return EvidencePath + th.Slug + "/" }

// Evidence is the view of /evidence/ and of a theme's table.
type Evidence struct {
	Rows    []EvidenceRow
	Stories int // stories with figures in the table
	Without int // stories (under the theme) that give no figures and are not in the table
	Theme   *Link
	All     string         // the table of every story, from a theme's
	CSV     string         // every figure as CSV
	Themes  []ThemeEntry   // each theme's table, on /evidence/; Count is stories with figures
	Script  string         // the optional sorting script
	Terms   []MeasureTerms // the measures in the table, A to Z
}

// EvidenceRow is one figure of one story.
type EvidenceRow struct {
	Person  string // the row's header: the person, or the story's title when it names no one
	Setting string
	Measure string
	Unit    string
	Before  Number
	After   Number
	Change  Number
	// Words say which way the figure moved, and whether that is better
	// when the vocabulary says which way is: "lower", "lower, better".
	Words    string
	Themes   []Link
	Story    Link
	Date     time.Time
	DateOnly bool
}

// Number is a figure as shown and as sorted.
type Number struct {
	Text string // "4", "12.5", "−4", "+2" (a change has its sign)
	Sort string // "4", "-4"
}

// MeasureTerms is how a measure is defined, for readers of the table.
type MeasureTerms struct {
	Name    string
	Unit    string
	Better  string   // "lower", "higher" or ""
	Aliases []string // other names stories use for it
}

// ThemeOutcomes is the "Outcomes in this theme" part of a theme page.
type ThemeOutcomes struct {
	Stories     int    // stories under the theme, directly or through a narrower one
	WithFigures int    // of them, stories that give figures
	Without     int    // stories that give none
	Intro       string // how many stories the figures come from, in words
	Measures    []MeasureSummary
	Single      []SingleFigure // measures only one story reports
	Href        string         // the theme's table
	All         string         // the table of every story
}

// MeasureSummary is one measure reported by two or more of a theme's
// stories: a sentence, and a chart of the totals that the sentence says in
// words.
type MeasureSummary struct {
	Name     string
	Sentence string // after the name: "3 stories, from 12 to 1 visits in total. …"
	Chart    *Bars  // nil when a total is below zero
}

// SingleFigure is a measure only one of a theme's stories reports.
type SingleFigure struct {
	Measure string
	Words   string // "from 4 to 0 visits"
	Story   Link
	Person  string
}

// Bars is a small horizontal bar chart of a measure's totals, drawn at
// build time (aria-hidden: the sentence beside it says the same).
type Bars struct {
	Width, Height int
	Rows          []Bar
}

// Bar is one bar with its label and value.
type Bar struct {
	Class  string // "bar-before" or "bar-after"
	Label  string // "Before"
	Value  string // "12 visits"
	X, Y   int    // the bar's top left
	W, H   int
	TextY  int // the labels' baseline
	ValueX int // where the value starts, after the bar
}

// chart geometry, in SVG units (one a CSS pixel at full size): labels at
// 14 units stay above 12 px when the chart shrinks to a 288 px column.
const (
	chartW     = 320
	chartBarX  = 64
	chartBarW  = 140
	chartRowH  = 26
	chartBarH  = 18
	chartGap   = 6
	chartLabel = 14
)

// EvidencePage is /evidence/ (th nil: every story's figures) or a theme's
// table. all is every theme, for the links to each theme's table; stories
// is how many stories th has (or the site, when th is nil).
func (r *Renderer) EvidencePage(set *evidence.Set, th *taxonomy.Theme, themes func(*content.Item) []*taxonomy.Theme, all []*taxonomy.Theme, stories int) *Page {
	path, title := EvidencePath, "Outcomes across stories"
	var items []*content.Item
	if th != nil {
		path, title = EvidenceThemePath(th), "Outcomes in "+th.Title
		items = append(append(items, th.Items...), th.Inherited...)
	}
	p := r.page("evidence.html", path, title)
	p.Section = "evidence"
	p.Crumbs = []Link{r.home()}
	v := &Evidence{CSV: r.cfg.Link(EvidenceCSV), Script: r.cfg.Link("/js/evidence.js")}
	if th != nil {
		p.DocTitle = r.docTitle(title, "Outcomes across stories")
		p.Crumbs = append(p.Crumbs, Link{Title: "Outcomes across stories", Href: r.cfg.Link(EvidencePath)})
		v.Theme = &Link{Title: th.Title, Href: r.cfg.Link(th.Path())}
		v.All = r.cfg.Link(EvidencePath)
	} else {
		p.DocTitle = r.docTitle(title)
	}
	figures := set.Figures
	if th != nil {
		figures = nil
		in := map[*content.Item]bool{}
		for _, it := range items {
			in[it] = true
		}
		for _, f := range set.Figures { // library order is kept
			if in[f.Item] {
				figures = append(figures, f)
			}
		}
	}
	seen := map[*content.Item]bool{}
	used := map[*evidence.Measure]bool{}
	for _, f := range figures {
		if !seen[f.Item] {
			seen[f.Item] = true
			v.Stories++
		}
		used[f.Measure] = true
		v.Rows = append(v.Rows, r.evidenceRow(f, themes(f.Item)))
	}
	v.Without = stories - v.Stories
	for _, m := range set.Measures {
		if used[m] {
			t := MeasureTerms{Name: m.Name, Unit: m.Unit, Better: m.Better}
			if m.Def != nil {
				t.Aliases = m.Def.Aliases
			}
			v.Terms = append(v.Terms, t)
		}
	}
	if th == nil {
		for _, t := range all {
			if n := set.Digest(append(append([]*content.Item(nil), t.Items...), t.Inherited...)).WithFigures; n > 0 {
				v.Themes = append(v.Themes, ThemeEntry{Title: t.Title, Href: r.cfg.Link(EvidenceThemePath(t)), Count: n})
			}
		}
	}
	if th == nil {
		p.Description = fmt.Sprintf("Every figure before and after that the stories report, in one table: %s from %s.", counted(len(v.Rows), "figure", "figures"), counted(v.Stories, "story", "stories"))
		p.ld = []any{r.datasetLD(p, v)}
	} else {
		p.Description = fmt.Sprintf("The figures before and after that the stories on %s report: %s from %s.", th.Title, counted(len(v.Rows), "figure", "figures"), counted(v.Stories, "story", "stories"))
	}
	p.Evidence = v
	return p
}

func (r *Renderer) evidenceRow(f evidence.Figure, themes []*taxonomy.Theme) EvidenceRow {
	it := f.Item
	row := EvidenceRow{
		Person:   it.Story.Person,
		Setting:  it.Story.Setting,
		Measure:  f.Measure.Name,
		Unit:     f.Unit,
		Before:   Number{FigureText(f.Before), sortNum(f.Before)},
		After:    Number{FigureText(f.After), sortNum(f.After)},
		Change:   Number{SignedText(f.Change()), sortNum(f.Change())},
		Words:    changeWords(f.Change(), f.Measure.Better),
		Story:    Link{Title: it.Title, Href: r.cfg.Link(it.Path)},
		Date:     it.Date,
		DateOnly: it.DateOnly,
	}
	if row.Person == "" {
		row.Person = it.Title
	}
	for _, th := range themes {
		row.Themes = append(row.Themes, Link{Title: th.Title, Href: r.cfg.Link(th.Path())})
	}
	return row
}

// ThemeOutcomes is what a theme's stories report, for its page; nil when
// none of them gives figures.
func (r *Renderer) ThemeOutcomes(set *evidence.Set, th *taxonomy.Theme) *ThemeOutcomes {
	d := set.Digest(append(append([]*content.Item(nil), th.Items...), th.Inherited...))
	if d.WithFigures == 0 {
		return nil
	}
	v := &ThemeOutcomes{Stories: d.Stories, WithFigures: d.WithFigures, Without: d.Stories - d.WithFigures, Href: r.cfg.Link(EvidenceThemePath(th)), All: r.cfg.Link(EvidencePath)}
	switch {
	case v.Without == 1:
		v.Intro = fmt.Sprintf("Figures before and after come from %d of the %d stories under this theme; the other one gives none and is not counted.", v.WithFigures, v.Stories)
	case v.Without > 1:
		v.Intro = fmt.Sprintf("Figures before and after come from %d of the %d stories under this theme; the other %d give none and are not counted.", v.WithFigures, v.Stories, v.Without)
	case v.Stories == 1:
		v.Intro = "The one story under this theme gives figures before and after."
	default:
		v.Intro = fmt.Sprintf("All %d stories under this theme give figures before and after.", v.Stories)
	}
	for _, s := range d.Summaries {
		v.Measures = append(v.Measures, MeasureSummary{Name: s.Measure.Name, Sentence: SummarySentence(&s), Chart: bars(&s)})
	}
	for _, f := range d.Single {
		v.Single = append(v.Single, SingleFigure{
			Measure: f.Measure.Name,
			Words:   "from " + FigureText(f.Before) + " to " + fromTo(FigureText(f.After), f.Unit),
			Story:   Link{Title: f.Item.Title, Href: r.cfg.Link(f.Item.Path)},
			Person:  f.Item.Story.Person,
		})
	}
	return v
}

// SummarySentence says a measure's summary in words, after its name: how
// many stories it rests on, the totals, the median and range of the
// change, and which way the stories moved; "better" only when the
// vocabulary says which way is better.
//
//	3 stories, from 12 to 1 visits in total. Median change −4 visits a
//	story (range −5 to −2). Lower in all 3 stories, which is better.
func SummarySentence(s *evidence.Summary) string {
	m := s.Measure
	var b strings.Builder
	fmt.Fprintf(&b, "%d stories, from %s to %s in total. ", s.Stories(), FigureText(s.Before), fromTo(FigureText(s.After), m.Unit))
	if s.Min == s.Max {
		fmt.Fprintf(&b, "The change was %s in each story. ", withUnit(SignedText(s.Median), m.Unit))
	} else {
		fmt.Fprintf(&b, "Median change %s a story (range %s to %s). ", withUnit(SignedText(s.Median), m.Unit), SignedText(s.Min), SignedText(s.Max))
	}
	type part struct {
		n    int
		word string
	}
	parts := []part{{s.Lower, "lower"}, {s.Higher, "higher"}, {s.Same, "unchanged"}}
	switch m.Better {
	case config.BetterLower:
		parts = []part{{s.Lower, "better"}, {s.Higher, "worse"}, {s.Same, "unchanged"}}
	case config.BetterHigher:
		parts = []part{{s.Higher, "better"}, {s.Lower, "worse"}, {s.Same, "unchanged"}}
	}
	var said []string
	for _, p := range parts {
		switch {
		case p.n == 0:
		case p.n == s.Stories() && p.n == 2:
			said = append(said, p.word+" in both stories")
		case p.n == s.Stories():
			said = append(said, fmt.Sprintf("%s in all %d stories", p.word, p.n))
		case len(said) == 0:
			said = append(said, fmt.Sprintf("%s in %s", p.word, counted(p.n, "story", "stories")))
		default:
			said = append(said, fmt.Sprintf("%s in %d", p.word, p.n))
		}
	}
	sentence := strings.Join(said, ", ")
	sentence = strings.ToUpper(sentence[:1]) + sentence[1:]
	if m.Better != "" {
		sentence += fmt.Sprintf(" (%s is better)", m.Better)
	}
	b.WriteString(sentence + ".")
	return b.String()
}

// changeWords say which way one figure moved: "lower", "higher" or "no
// change", and "better" or "worse" when the vocabulary says which way is.
func changeWords(c float64, better string) string {
	switch {
	case c == 0:
		return "no change"
	case better == "":
		if c < 0 {
			return "lower"
		}
		return "higher"
	case (c < 0) == (better == config.BetterLower):
		if c < 0 {
			return "lower, better"
		}
		return "higher, better"
	case c < 0:
		return "lower, worse"
	}
	return "higher, worse"
}

// bars draws a summary's totals; nil when either is below zero.
func bars(s *evidence.Summary) *Bars {
	if s.Before < 0 || s.After < 0 {
		return nil
	}
	top := math.Max(s.Before, s.After)
	width := func(v float64) int {
		if top == 0 {
			return 0
		}
		w := int(math.Round(v / top * chartBarW))
		if v > 0 && w < 2 {
			w = 2 // a small figure is still visibly more than none
		}
		return w
	}
	unit := s.Measure.Unit
	if n := max(len(FigureText(s.Before)), len(FigureText(s.After))); n+1+len([]rune(unit)) > (chartW-chartBarX-chartBarW-6)/8 {
		unit = "" // the sentence names it; the chart keeps to its width
	}
	b := &Bars{Width: chartW, Height: 2*chartRowH + chartGap}
	for i, v := range []struct {
		class, label string
		value        float64
	}{{"bar-before", "Before", s.Before}, {"bar-after", "After", s.After}} {
		y := i * (chartRowH + chartGap)
		w := width(v.value)
		b.Rows = append(b.Rows, Bar{
			Class: v.class, Label: v.label, Value: withUnit(FigureText(v.value), unit),
			X: chartBarX, Y: y + (chartRowH-chartBarH)/2, W: w, H: chartBarH,
			TextY: y + chartRowH/2 + chartLabel*7/20, ValueX: chartBarX + w + 6,
		})
	}
	return b
}

// FigureText prints a figure without trailing zeros, rounded where sums
// of decimals leave a long tail: 12.5, 0.3 (not 0.30000000000000004).
func FigureText(f float64) string {
	f = math.Round(f*1e9) / 1e9
	if f == 0 {
		f = 0 // no "-0"
	}
	s := strconv.FormatFloat(math.Abs(f), 'f', -1, 64)
	if f < 0 {
		return "−" + s
	}
	return s
}

// SignedText prints a change with its sign: "+2", "−4", "0".
func SignedText(f float64) string {
	s := FigureText(f)
	if f > 0 && s != "0" {
		return "+" + s
	}
	return s
}

func sortNum(f float64) string {
	return strconv.FormatFloat(math.Round(f*1e9)/1e9, 'f', -1, 64)
}

// fromTo is the end of "from 12 to 1 visits": the unit as written, which
// speaks for both figures.
func fromTo(n, unit string) string {
	if unit == "" || unit == "%" {
		return withUnit(n, unit)
	}
	return n + " " + unit
}

// withUnit joins a figure and its unit: "12 visits", "40%", and "1 visit"
// for a plural unit after one.
func withUnit(n, unit string) string {
	switch {
	case unit == "":
		return n
	case unit == "%":
		return n + unit
	case strings.TrimLeft(n, "+−") == "1" && len(unit) > 3 && strings.HasSuffix(unit, "s") && !strings.HasSuffix(unit, "ss") && !strings.Contains(unit, " "):
		unit = strings.TrimSuffix(unit, "s")
	}
	return n + " " + unit
}

// counted joins a count and its word: "1 story", "3 stories".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// datasetLD describes /evidence/ as a schema.org Dataset, with the CSV.
func (r *Renderer) datasetLD(p *Page, v *Evidence) ld {
	var measured []any
	for _, t := range v.Terms {
		pv := ld{"@type": "PropertyValue", "name": t.Name}
		if t.Unit != "" {
			pv["unitText"] = t.Unit
		}
		measured = append(measured, pv)
	}
	d := ld{
		"@type":               "Dataset",
		"@id":                 p.URL + "#dataset",
		"name":                p.Title,
		"description":         p.Description + " Each figure is as the story reports it; stories without figures are not counted.",
		"url":                 p.URL,
		"inLanguage":          r.cfg.Language,
		"isAccessibleForFree": true,
		"creator":             ld{"@type": "Organization", "name": r.cfg.Title, "url": r.cfg.URL("/")},
		"distribution":        []any{ld{"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": r.cfg.URL(EvidenceCSV)}},
	}
	if measured != nil {
		d["variableMeasured"] = measured
	}
	return d
}
