package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/evidence"
	"github.com/otpress/otpress/generator/internal/taxonomy"
	"github.com/otpress/otpress/generator/internal/words"
)

// Outcomes across stories: /evidence/, every figure the stories report in
// one sortable table (filtered to a theme's stories by the optional script
// for ?theme=), and on each theme page, what its stories report, measure
// by measure.

// EvidencePath is the site path of the table of every story's figures.
const EvidencePath = "/evidence/"

// EvidenceCSV is the site path of the figures as CSV.
const EvidenceCSV = EvidencePath + "outcomes.csv"

// EvidenceFor is the address of the table filtered to a theme's stories
// (by the optional script; without it the whole table shows), at the
// table's heading.
func EvidenceFor(th *taxonomy.Theme) string {
	return EvidencePath + "?theme=" + th.Slug + "#figures-heading"
}

// Evidence is the view of /evidence/.
type Evidence struct {
	Rows    []EvidenceRow
	Stories int            // stories with figures in the table
	Without int            // stories that give no figures and are not in the table
	CSV     string         // every figure as CSV
	Themes  []ThemeEntry   // themes whose stories give figures, linking to their summaries; Count is those stories
	Script  string         // the optional sorting and filtering script
	Terms   []MeasureTerms // the measures in the table, A to Z
	Summary *ThemeOutcomes // every story's figures, measure by measure; nil when none gives any
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
	Words  string
	Themes string // the story's themes, "Rehab potential, Goal setting"
	// Slugs are the story's themes and the wider themes they are part of,
	// for the script to show one theme's rows: "rehab-potential rehabilitation"
	Slugs    string
	Story    Link
	Date     time.Time
	DateOnly bool
}

// EvidenceBlock is a run of the table's rows.
type EvidenceBlock struct {
	Rows []EvidenceRow
}

// Key stands for every row of the block, for the "cached" template
// function; worked out when the page is executed, not for a page linked
// from the last build.
func (b EvidenceBlock) Key() string {
	h := sha256.New()
	for _, r := range b.Rows {
		k := r.Key()
		fmt.Fprintf(h, "%d:", len(k))
		h.Write([]byte(k))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// evidenceBlock is how many rows a block holds: few enough that a
// preview, which keeps every block it renders, keeps little for one
// story's change, and enough that /evidence/ of 15,000 figures is some
// 240 parts.
const evidenceBlock = 64

// Blocks are the table's rows in runs of evidenceBlock, each rendered
// once for as long as its rows read the same (the "cached" template
// function): a large table is then a few hundred parts, not a part a row.
func (v *Evidence) Blocks() []EvidenceBlock {
	var out []EvidenceBlock
	for lo := 0; lo < len(v.Rows); lo += evidenceBlock {
		out = append(out, EvidenceBlock{Rows: v.Rows[lo:min(lo+evidenceBlock, len(v.Rows))]})
	}
	return out
}

// Key is everything the row holds, for the "cached" template function: a
// row reading the same is rendered once (the preview renders /evidence/
// again whenever one story's figures or themes change).
func (v EvidenceRow) Key() string {
	return strings.Join([]string{v.Person, v.Setting, v.Measure, v.Unit, v.Before.Text, v.Before.Sort, v.After.Text, v.After.Sort,
		v.Change.Text, v.Change.Sort, v.Words, v.Themes, v.Slugs, v.Story.Title, v.Story.Href, v.Story.Lang, v.Date.String(), strconv.FormatBool(v.DateOnly)}, "\x00")
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

// ThemeOutcomes is the "Outcomes in this theme" part of a theme page, and
// the summary of every story on /evidence/.
type ThemeOutcomes struct {
	Stories     int    // stories under the theme, directly or through a narrower one
	WithFigures int    // of them, stories that give figures
	Without     int    // stories that give none
	Intro       string // how many stories the figures come from, in words
	Measures    []MeasureSummary
	Single      []SingleFigure // measures only one story reports
	Href        string         // the table of figures, filtered to the theme's stories; "" on /evidence/
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

// EvidencePage is /evidence/: every story's figures, summed up and in a
// table. all is every theme, for the links to their summaries; stories
// are the site's stories.
func (r *Renderer) EvidencePage(set *evidence.Set, themes func(*content.Item) []*taxonomy.Theme, all []*taxonomy.Theme, stories []*content.Item) *Page {
	w := r.w()
	p := r.page("evidence.html", EvidencePath, w.Must("evidence.title"))
	p.DocTitle = r.docTitle(p.Title)
	p.Section = "evidence"
	p.Crumbs = []Link{r.home()}
	v := &Evidence{CSV: r.cfg.Link(EvidenceCSV), Script: r.link("/js/evidence.js")}
	used := map[*evidence.Measure]bool{}
	for _, f := range set.Figures {
		used[f.Measure] = true
		v.Rows = append(v.Rows, r.evidenceRow(f, themes(f.Item)))
	}
	v.Stories = set.Stories()
	v.Summary = r.outcomes(set.Digest(stories), "site")
	v.Without = len(stories) - v.Stories
	for _, m := range set.Measures {
		if used[m] {
			t := MeasureTerms{Name: m.Name, Unit: m.Unit, Better: m.Better}
			if m.Def != nil {
				t.Aliases = m.Def.Aliases
			}
			v.Terms = append(v.Terms, t)
		}
	}
	for _, t := range all {
		n := 0
		for _, items := range [][]*content.Item{t.Items, t.Inherited} {
			for _, it := range items {
				if len(set.Of(it)) > 0 {
					n++
				}
			}
		}
		if n > 0 {
			v.Themes = append(v.Themes, ThemeEntry{Title: t.Title, Href: r.cfg.Link(t.Path()) + "#theme-outcomes-heading", Count: n})
		}
	}
	p.Description = w.Must("evidence.page_description", "Figures", w.MustN("evidence.figures", len(v.Rows)), "Stories", w.MustN("evidence.stories", v.Stories))
	p.ld = []any{r.datasetLD(p, v)}
	p.Evidence = v
	r.card(p, "", "", p.Path)
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
		Words:    changeWords(r.w(), f.Change(), f.Measure.Better),
		Story:    Link{Title: it.Title, Href: r.cfg.Link(it.Path)},
		Date:     it.Date,
		DateOnly: it.DateOnly,
	}
	if row.Person == "" {
		row.Person = it.Title
	}
	var titles, slugs []string
	seen := map[*taxonomy.Theme]bool{}
	for _, th := range themes {
		titles = append(titles, th.Title)
		for t := th; t != nil && !seen[t]; t = t.Broader {
			seen[t] = true
			slugs = append(slugs, t.Slug)
		}
	}
	row.Themes, row.Slugs = strings.Join(titles, ", "), strings.Join(slugs, " ")
	return row
}

// ThemeOutcomes is what a theme's stories report, for its page; nil when
// none of them gives figures.
func (r *Renderer) ThemeOutcomes(set *evidence.Set, th *taxonomy.Theme) *ThemeOutcomes {
	v := r.outcomes(set.Digest(append(append([]*content.Item(nil), th.Items...), th.Inherited...)), "theme")
	if v != nil {
		v.Href = r.cfg.Link(EvidenceFor(th))
	}
	return v
}

// outcomes says what a digest of stories holds, measure by measure; where
// names the stories: "theme" (under this theme) or "site" (on this site).
// It is nil when none of the stories gives figures.
func (r *Renderer) outcomes(d evidence.Digest, where string) *ThemeOutcomes {
	if d.WithFigures == 0 {
		return nil
	}
	w := r.w()
	v := &ThemeOutcomes{Stories: d.Stories, WithFigures: d.WithFigures, Without: d.Stories - d.WithFigures}
	if v.Without > 0 {
		v.Intro = w.MustN("evidence.some_in_"+where, v.Without, "With", v.WithFigures, "Stories", v.Stories)
	} else {
		v.Intro = w.MustN("evidence.all_in_"+where, v.Stories)
	}
	for _, s := range d.Summaries {
		v.Measures = append(v.Measures, MeasureSummary{Name: s.Measure.Name, Sentence: summarySentence(w, &s), Chart: bars(w, &s)})
	}
	for _, f := range d.Single {
		v.Single = append(v.Single, SingleFigure{
			Measure: f.Measure.Name,
			Words:   w.Must("evidence.from_to", "Before", FigureText(f.Before), "After", fromTo(FigureText(f.After), f.Unit)),
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
//	story (range −5 to −2). Better in all 3 stories (lower is better).
func SummarySentence(s *evidence.Summary) string { return summarySentence(english(), s) }

// summarySentence is SummarySentence in w's language: three sentences,
// each one word (evidence.totals, evidence.same_change or evidence.median,
// and evidence.ways with a part for each way the stories moved).
func summarySentence(w *words.Words, s *evidence.Summary) string {
	m := s.Measure
	sentences := []string{w.MustN("evidence.totals", s.Stories(), "Before", FigureText(s.Before), "After", fromTo(FigureText(s.After), m.Unit))}
	if s.Min == s.Max {
		sentences = append(sentences, w.Must("evidence.same_change", "Change", withUnit(SignedText(s.Median), m.Unit)))
	} else {
		sentences = append(sentences, w.Must("evidence.median", "Median", withUnit(SignedText(s.Median), m.Unit), "Min", SignedText(s.Min), "Max", SignedText(s.Max)))
	}
	type part struct {
		n   int
		way string
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
		way := w.Must("evidence.way." + p.way)
		switch {
		case p.n == 0:
		case p.n == s.Stories() && p.n == 2:
			said = append(said, w.Must("evidence.in_both", "Way", way))
		case p.n == s.Stories():
			said = append(said, w.MustN("evidence.in_all", p.n, "Way", way))
		case len(said) == 0:
			said = append(said, w.MustN("evidence.in_stories", p.n, "Way", way))
		default:
			said = append(said, w.Must("evidence.in_more", "Way", way, "N", p.n))
		}
	}
	ways := "evidence.ways"
	switch m.Better {
	case config.BetterLower:
		ways = "evidence.ways_lower_better"
	case config.BetterHigher:
		ways = "evidence.ways_higher_better"
	}
	sentences = append(sentences, capitalised(w.Must(ways, "Ways", joined(w, "evidence.then", said))))
	return joined(w, "evidence.sentences", sentences)
}

// changeWords say which way one figure moved: "lower", "higher" or "no
// change", and "better" or "worse" when the vocabulary says which way is.
func changeWords(w *words.Words, c float64, better string) string {
	id := "higher_worse"
	switch {
	case c == 0:
		id = "no_change"
	case better == "":
		id = "higher"
		if c < 0 {
			id = "lower"
		}
	case (c < 0) == (better == config.BetterLower):
		id = "higher_better"
		if c < 0 {
			id = "lower_better"
		}
	case c < 0:
		id = "lower_worse"
	}
	return w.Must("evidence.change." + id)
}

// bars draws a summary's totals; nil when either is below zero.
func bars(w *words.Words, s *evidence.Summary) *Bars {
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
	}{{"bar-before", w.Must("evidence.before"), s.Before}, {"bar-after", w.Must("evidence.after"), s.After}} {
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
		"description":         r.w().Must("evidence.dataset_description", "Description", p.Description),
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
