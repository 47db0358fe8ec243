package site

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/render"
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

// evidenceURL is the sitemap's entry for /evidence/, last changed when the
// newest story was (so a story's figures coming or going in the preview
// leave the sitemap as it was).

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
