package site

import (
	"bytes"
	"encoding/csv"
	"fmt"
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

// Outcomes across stories: /evidence/, each theme's table of figures at
// /evidence/<theme>/ (for the themes whose stories give any), and every
// figure as CSV. The figures were read and checked once, by
// evidence.Analyse in build; theme pages show each theme's summary.

// evidencePages writes /evidence/, the themes' tables and the CSV.
func (b *builder) evidencePages(emit func(job)) {
	emit(func() { b.evidencePage(nil) })
	for _, th := range b.evidenceThemes() {
		emit(func() { b.evidencePage(th) })
	}
	emit(b.evidenceCSV)
}

// evidencePage writes /evidence/ (th nil) or a theme's table.
func (b *builder) evidencePage(th *taxonomy.Theme) {
	stories := len(b.byKind[content.Story])
	if th != nil {
		stories = b.ev.Digest(themeItems(th)).Stories
	}
	b.write(b.rnd.EvidencePage(b.ev, th, b.themes.Of, b.themes.Themes, stories), "")
}

// evidenceThemes are the themes with a story that gives figures, directly
// or through a narrower theme: each has a table of its own.
func (b *builder) evidenceThemes() []*taxonomy.Theme {
	var out []*taxonomy.Theme
	for _, th := range b.themes.Themes {
		if hasFigures(b.ev, th) {
			out = append(out, th)
		}
	}
	return out
}

func hasFigures(ev *evidence.Set, th *taxonomy.Theme) bool {
	for _, items := range [][]*content.Item{th.Items, th.Inherited} {
		for _, it := range items {
			if len(ev.Of(it)) > 0 {
				return true
			}
		}
	}
	return false
}

// themeItems are the items under a theme, directly or through a narrower one.
func themeItems(th *taxonomy.Theme) []*content.Item {
	return append(append(make([]*content.Item, 0, th.Count()), th.Items...), th.Inherited...)
}

// evidenceURLs are the sitemap's entries for the evidence pages, each last
// changed when the newest of the stories it may list was (so a story's
// figures coming or going in the preview leave the sitemap as it was).
func (b *builder) evidenceURLs() []feed.URL {
	urls := []feed.URL{{Loc: b.cfg.URL(render.EvidencePath), LastMod: lastMod(b.byKind[content.Story])}}
	for _, th := range b.evidenceThemes() {
		urls = append(urls, feed.URL{Loc: b.cfg.URL(render.EvidenceThemePath(th)), LastMod: lastMod(kindOf(themeItems(th), content.Story))})
	}
	return urls
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
	if err := b.pub.WriteRaw(strings.TrimPrefix(render.EvidenceCSV, "/"), buf.Bytes()); err != nil {
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

// evidenceUpdate is what an edit in the preview changes in the outcomes
// across stories.
type evidenceUpdate struct {
	old    *evidence.Set     // the figures before the edit, to put back if it fails
	all    bool              // /evidence/ and the CSV change
	themes []*taxonomy.Theme // themes whose table changes
	// pages are the themes whose page changes and that no shown item is
	// under (listsShowing writes those)
	pages []*taxonomy.Theme
	full  bool // a theme gains its first figures or loses its last: rebuild
}

// reanalyse reads every story's outcomes again once the edited items are in
// place, adds the errors and the edited files' warnings to probs, and says
// which pages change. shown are the edited items whose fields other than
// their text changed (title, person, setting, outcomes…).
func (b *builder) reanalyse(probs *diag.List, edited, shown []*content.Item) evidenceUpdate {
	u := evidenceUpdate{old: b.ev}
	before := b.evidenceSlugs()
	ev, ps := evidence.Analyse(b.cfg.Measures, b.lib.Items)
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
	if !slices.Equal(before, b.evidenceSlugs()) {
		u.full = true
		return u
	}
	// the edited stories with figures, before or after, whose page fields changed
	var touched []*content.Item
	for _, it := range shown {
		if len(u.old.Of(it)) > 0 || len(ev.Of(it)) > 0 {
			touched = append(touched, it)
		}
	}
	u.all = len(touched) > 0 || figuresKey(u.old, nil) != figuresKey(ev, nil)
	for _, th := range b.themes.Themes {
		if !hasFigures(ev, th) {
			continue
		}
		items := themeItems(th)
		under := func(it *content.Item) bool { return slices.Contains(items, it) }
		if slices.ContainsFunc(touched, under) || figuresKey(u.old, items) != figuresKey(ev, items) {
			u.themes = append(u.themes, th)
			if !slices.ContainsFunc(shown, under) {
				u.pages = append(u.pages, th)
			}
		}
	}
	return u
}

// write emits the pages an update changes: /evidence/ and the CSV, and
// each changed theme's page and table.
func (u evidenceUpdate) write(b *builder, emit func(job)) {
	if u.all {
		emit(func() { b.evidencePage(nil) })
		emit(b.evidenceCSV)
	}
	for _, th := range u.themes {
		emit(func() { b.evidencePage(th) })
	}
	for _, th := range u.pages {
		emit(func() { b.themePage(th) })
	}
}

// evidenceSlugs are the slugs of the themes with a table of figures.
func (b *builder) evidenceSlugs() []string {
	var out []string
	for _, th := range b.evidenceThemes() {
		out = append(out, th.Slug)
	}
	return out
}

// evidenceMoved writes every evidence page after an edit that moved items,
// and removes the tables of themes that no longer have figures (before
// were their slugs).
func (b *builder) evidenceMoved(emit func(job), before []string) {
	b.evidencePages(emit)
	now := b.evidenceSlugs()
	for _, slug := range before {
		if !slices.Contains(now, slug) {
			b.remove(render.EvidencePath + slug + "/")
		}
	}
}

// figuresKey sums up what pages show of the figures of items (every
// figure when items is nil), to tell whether an edit changed them.
func figuresKey(set *evidence.Set, items []*content.Item) string {
	figs := set.Figures
	if items != nil {
		figs = nil
		for _, it := range items {
			figs = append(figs, set.Of(it)...)
		}
	}
	var sb strings.Builder
	for _, f := range figs {
		m := f.Measure
		fmt.Fprintf(&sb, "%s\x00%d\x00%s\x00%s\x00%s\x00%g\x00%g\x00%s\x00%s\x00%q\n", f.Item.Path, f.Index, m.Name, m.Unit, m.Better, f.Before, f.After, f.Unit, f.Note, defAliases(m))
	}
	for _, m := range set.Measures {
		fmt.Fprintf(&sb, "%s\x00%s\x00%s\x00%q\n", m.Name, m.Unit, m.Better, defAliases(m))
	}
	return sb.String()
}

func defAliases(m *evidence.Measure) []string {
	if m.Def == nil {
		return nil
	}
	return m.Def.Aliases
}
