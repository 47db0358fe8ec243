package site

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/evidence"
	"github.com/otpress/otpress/generator/internal/feed"
	"github.com/otpress/otpress/generator/internal/render"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// Outcomes across stories: /evidence/ and every figure as CSV. The
// figures were read and checked once, by evidence.Analyse in build; theme
// pages show each theme's summary (themePage).

// evidencePages writes /evidence/ and the CSV.
func (b *builder) evidencePages(emit func(job)) {
	emit(b.evidencePage)
	emit(b.evidenceCSV)
}

// evidencePage writes /evidence/.
func (b *builder) evidencePage() {
	b.write(b.rnd.EvidencePage(b.ev, b.themes.Of, b.themes.Themes, b.byKind[content.Story]), "")
}

// themeItems are the items under a theme, directly or through a narrower one.
func themeItems(th *taxonomy.Theme) []*content.Item {
	return append(append(make([]*content.Item, 0, th.Count()), th.Items...), th.Inherited...)
}

// evidenceURL is the sitemap's entry for /evidence/, last changed when the
// newest story was (so a story's figures coming or going in the preview
// leave the sitemap as it was).
func (b *builder) evidenceURL() feed.URL {
	return feed.URL{Loc: b.cfg.URL(render.EvidencePath), LastMod: lastMod(b.byKind[content.Story])}
}

// evidenceCSV writes every figure as CSV, a row a figure in the table's
// order, for readers who want to work with the numbers. Text that a
// spreadsheet would take for a formula is written with a ' before it.
func (b *builder) evidenceCSV() {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"story_date", "story", "url", "person", "setting", "measure", "measure_as_written", "unit", "before", "after", "change", "better", "themes", "note"})
	for _, f := range b.ev.Figures {
		it := f.Item
		var themes []string
		for _, th := range b.themes.Of(it) {
			themes = append(themes, th.Title)
		}
		_ = w.Write([]string{
			it.Date.Format(time.DateOnly),
			cell(it.Title),
			b.cfg.URL(it.Path),
			cell(it.Story.Person),
			cell(it.Story.Setting),
			cell(f.Measure.Name),
			cell(it.Story.Outcomes[f.Index].Measure),
			cell(f.Unit),
			number(f.Before),
			number(f.After),
			number(f.Change()),
			f.Measure.Better,
			cell(strings.Join(themes, "; ")),
			cell(f.Note),
		})
	}
	w.Flush()
	if err := b.putFile(strings.TrimPrefix(render.EvidenceCSV, "/"), buf.Bytes(), true); err != nil {
		b.fail(err)
	}
}

// cell guards a text cell against being run as a spreadsheet formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// number writes a figure as a plain number: "-4", "12.5".
func number(f float64) string {
	return strings.ReplaceAll(strings.TrimPrefix(render.SignedText(f), "+"), "−", "-")
}

// withSource gives each problem the line of its file it is about, for the
// command to show under the message.
func withSource(fsys fs.FS, ps []*diag.Problem) []*diag.Problem {
	byFile := map[string][]*diag.Problem{}
	for _, p := range ps {
		byFile[p.File] = append(byFile[p.File], p)
	}
	for file, fps := range byFile { // each file read, and its lines found, once
		src, _ := fs.ReadFile(fsys, file)
		diag.AttachSources(src, fps)
	}
	return ps
}

// evidenceUpdate is what an edit in the preview changes in the outcomes
// across stories.
type evidenceUpdate struct {
	old *evidence.Set // the figures before the edit, to put back if it fails
	all bool          // /evidence/ and the CSV change
	// pages are the themes whose summary changes and that no shown item is
	// under (listsShowing writes those)
	pages []*taxonomy.Theme
}

// reanalyse reads every story's outcomes again once the edited items are in
// place, adds the errors and the edited files' warnings to probs, and says
// which pages change. shown are the edited items whose fields other than
// their text changed (title, person, setting, outcomes…).
func (b *builder) reanalyse(probs *diag.List, edited, shown []*content.Item) evidenceUpdate {
	u := evidenceUpdate{old: b.ev}
	if len(shown) == 0 {
		return u // front matter as it was: the same outcomes, and the same problems
	}
	ev, ps := evidence.Analyse(b.cfg.Measures, b.lib.Items)
	withSource(b.fsys, ps)
	files := map[string]bool{}
	for _, it := range edited {
		files[it.File] = true
	}
	for _, p := range ps {
		if p.Severity == diag.Error || files[p.File] { // the other files' warnings were given before
			probs.Add(p)
		}
	}
	b.ev = ev
	// the edited stories with figures, before or after, whose page fields changed
	touched := slices.ContainsFunc(shown, func(it *content.Item) bool { return len(u.old.Of(it)) > 0 || len(ev.Of(it)) > 0 })
	u.all = touched || !sameFigures(u.old.Figures, ev.Figures) ||
		!slices.EqualFunc(u.old.Measures, ev.Measures, sameMeasure)
	if !u.all {
		return u
	}
	for _, th := range b.themes.Themes {
		items := themeItems(th)
		if slices.ContainsFunc(shown, func(it *content.Item) bool { return slices.Contains(items, it) }) {
			continue // listsShowing writes the page
		}
		if slices.ContainsFunc(items, func(it *content.Item) bool { return !sameFigures(u.old.Of(it), ev.Of(it)) }) {
			u.pages = append(u.pages, th)
		}
	}
	return u
}

// write emits the pages an update changes: /evidence/ and the CSV, and
// the pages of the themes whose summary changed.
func (u evidenceUpdate) write(b *builder, emit func(job)) {
	if u.all {
		b.evidencePages(emit)
	}
	for _, th := range u.pages {
		emit(func() { b.themePage(th) })
	}
}

// sameFigures says whether pages show two lists of figures alike (the
// vocabulary's aliases aside: they change only with site.toml, which
// rebuilds everything).
func sameFigures(a, b []evidence.Figure) bool {
	return slices.EqualFunc(a, b, func(x, y evidence.Figure) bool {
		return x.Item == y.Item && x.Index == y.Index && x.Before == y.Before && x.After == y.After &&
			x.Unit == y.Unit && x.Note == y.Note && sameMeasure(x.Measure, y.Measure)
	})
}

func sameMeasure(x, y *evidence.Measure) bool {
	return x.Name == y.Name && x.Unit == y.Unit && x.Better == y.Better
}
