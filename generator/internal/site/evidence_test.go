package site_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestEvidenceGolden compares the outcomes pages of the evidence fixture
// with their golden files: /evidence/, a theme page with its summary, and
// the CSV.
func TestEvidenceGolden(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "evidence"))
	for file, golden := range map[string]string{
		"evidence/index.html":              "evidence",
		"themes/rehabilitation/index.html": "theme-outcomes",
		"evidence/outcomes.csv":            "evidence-csv",
	} {
		t.Run(golden, func(t *testing.T) {
			sitetest.CompareGolden(t, filepath.Join("testdata", "golden", golden+".golden"), s.Read(file))
		})
	}
}

// TestEvidencePages checks what the outcomes pages say: the figures as the
// stories give them, measures matched through the vocabulary, sums only
// over stories with figures, and how many stories each figure rests on.
func TestEvidencePages(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "evidence"))
	if w := s.Warnings(); len(w) != 0 {
		t.Errorf("warnings: %v", w)
	}
	// Rehabilitation: Bob and Dee directly, Ann and Cal through Rehab
	// potential; Dee gives no figures. "care visits/day", "Care visits
	// per day" and "Care visits a day" are one measure.
	s.AssertFileContains("themes/rehabilitation/index.html", `
		<h2 id="theme-outcomes-heading">Outcomes in this theme</h2>
		Figures before and after come from 3 of the 4 stories under this theme; the other one gives none and is not counted.
		<strong>Care visits per day</strong>: 3 stories, from 12 to 1 visits in total. Median change −4 visits a story (range −5 to −2). Better in all 3 stories (lower is better).
		<strong>Walking distance</strong>: 2 stories, from 5 to 32.5 metres in total. Median change &#43;13.75 metres a story (range &#43;12.5 to &#43;15). Better in both stories (higher is better).
		<li>Falls in three months: from 2 to 0 falls, in <a href="/stories/cal/">Cal stops falling</a></li>
		<a href="/evidence/?theme=rehabilitation#figures-heading">Every figure behind this summary, in the table of outcomes</a>
		# the chart: its sentence is its text, so it is hidden from the accessibility tree, and styled by classes only
		<svg xmlns="http://www.w3.org/2000/svg" class="outcome-chart" aria-hidden="true" focusable="false" width="320" height="58" viewBox="0 0 320 58">
		<g class="bar-before"><text class="bar-label" x="0" y="17">Before</text><rect x="64" y="4" width="140" height="18"/><text class="bar-value" x="210" y="17">12 visits</text></g>
		<g class="bar-after"><text class="bar-label" x="0" y="49">After</text><rect x="64" y="36" width="12" height="18"/><text class="bar-value" x="82" y="49">1 visit</text></g>
		! style=
		! fill=
	`)
	// a theme whose one story gives figures summarises nothing
	s.AssertFileContains("themes/work/index.html", `
		The one story under this theme gives figures before and after.
		<li>Hours of paid work a week: from 0 to 16 hours, in <a href="/stories/eve/">Eve back at work</a></li>
		! class="outcome-chart"
	`)
	s.AssertFileContains("evidence/index.html", `
		<title>Outcomes across stories – Evidence test site</title>
		<li><a href="/evidence/" aria-current="page">Outcomes</a></li>
		Every figure before and after that the stories report, summed up measure by measure and in one table: 7 figures from 4 stories.
		# the whole site, summed up as a theme is
		<h2 id="summary-heading">Summary by measure</h2>
		<p>Figures before and after come from 4 of the 5 stories on this site; the other one gives none and is not counted. A measure is summarised when two or more stories report it.</p>
		<strong>Care visits per day</strong>: 3 stories, from 12 to 1 visits in total.
		<li>Hours of paid work a week: from 0 to 16 hours, in <a href="/stories/eve/">Eve back at work</a></li>
		<caption id="evidence-caption">Outcomes across stories, newest story first (sortable by column)</caption>
		<th scope="col" role="columnheader" class="align-right" data-sort-type="number">Change</th>
		<th scope="col" role="columnheader" data-sort-type="date" aria-sort="descending">Story</th>
		# the themes as text; the row knows the wider themes too, for ?theme=
		# each cell names its column, for the stacked rows of narrow screens
		<tr role="row" data-themes="rehab-potential rehabilitation"><th scope="row" role="rowheader">Ann</th><td role="cell" data-label="Setting">At home</td><td role="cell" data-label="Measure">Care visits per day <span class="unit">(visits)</span></td><td role="cell" data-label="Before" class="align-right" data-sort="4">4</td><td role="cell" data-label="After" class="align-right" data-sort="0">0</td><td role="cell" data-label="Change" class="align-right" data-sort="-4">−4 <span class="change-words">lower, better</span></td><td role="cell" data-label="Themes">Rehab potential</td>
		<td role="cell" data-label="Change" class="align-right" data-sort="16">&#43;16 <span class="change-words">higher</span></td>
		<script defer src="/js/evidence.js"></script>
		<p class="sort-status" role="status" id="evidence-status"></p>
		<a href="/evidence/outcomes.csv" download>Download every figure (CSV)</a>
		<dt>Care visits per day</dt><dd>In visits. Lower is better. Also written as: “care visits/day”, “Care visits a day”.</dd>
		<dt>Hours of paid work a week</dt><dd>In hours. Which way is better is not said.</dd>
		<li><a href="/themes/rehabilitation/#theme-outcomes-heading">Rehabilitation</a> <span class="meta">(3 stories with figures)</span></li>
		"@type":"Dataset"
		"contentUrl":"https://example.org/evidence/outcomes.csv"
		# Dee gives no figures: not a row
		! Dee
	`)
	// Cal gives no unit: the vocabulary's is shown
	s.AssertFileContains("evidence/index.html", `
		<tr role="row" data-themes="rehab-potential rehabilitation"><th scope="row" role="rowheader">Cal</th><td role="cell" data-label="Setting"></td><td role="cell" data-label="Measure">Care visits per day <span class="unit">(visits)</span></td>
	`)
	csv := s.Read("evidence/outcomes.csv")
	for _, want := range []string{
		"story_date,story,url,person,setting,measure,measure_as_written,unit,before,after,change,better,themes,note\n",
		"2021-01-10,Ann walks to the shop,https://example.org/stories/ann/,Ann,At home,Walking distance,Walking distance,metres,0,12.5,12.5,higher,Rehab potential,'=1+1 is not a formula here\n",
		"2021-03-10,Cal stops falling,https://example.org/stories/cal/,Cal,,Care visits per day,Care visits a day,visits,5,0,-5,lower,Rehab potential,\n",
	} {
		if !strings.Contains(csv, want) {
			t.Errorf("the CSV has no line %q:\n%s", want, csv)
		}
	}
	if n := strings.Count(csv, "\n"); n != 8 {
		t.Errorf("the CSV has %d lines; want a header and 7 figures", n)
	}
	s.AssertFileContains("sitemap.xml", `
		<loc>https://example.org/evidence/</loc>
	`)
	// every page links to /evidence/ from the main navigation
	s.AssertFileContains("stories/ann/index.html", `<li><a href="/evidence/">Outcomes</a></li>`)
}

// TestEvidenceProblems: units that cannot be added up stop the build at the
// later story, naming the first; a name close to a defined measure's warns
// at the outcome.
func TestEvidenceProblems(t *testing.T) {
	t.Run("unit mismatch", func(t *testing.T) {
		s := sitetest.Write(t, fixture(t, "evidence"))
		s.Edit("content/stories/bob.md", strings.Replace(readFile(t, s, "content/stories/bob.md"), "    after: 20\n    unit: metres", "    after: 20\n    unit: yards", 1))
		s.Edit("content/stories/eve.md", strings.Replace(readFile(t, s, "content/stories/eve.md"), "    unit: hours", "    unit: hours\n  - {measure: Falls in three months, before: 3, after: 1, unit: per cent}", 1))
		s.Rebuild()
		got := strings.Join(s.Problems(), "\n")
		for _, want := range []string{
			`content/stories/bob.md:15:11: the unit "yards" of "Walking distance" is not "metres", the unit its definition gives (site.toml:10)`,
			`content/stories/eve.md:11:65: the unit "per cent" of "Falls in three months" differs from "falls" in Cal stops falling (content/stories/cal.md:10:14)`,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("problems:\n%s\nwant:\n%s", got, want)
			}
		}
		// the command shows the line under the message
		var be *diag.BuildError
		if errors.As(s.Err, &be) && be.Problems[0].Source != "    unit: yards" {
			t.Errorf("source line %q", be.Problems[0].Source)
		}
		if _, err := os.Stat(s.Out); err == nil {
			t.Error("a failed build wrote the output")
		}
	})
	t.Run("near miss", func(t *testing.T) {
		s := sitetest.Write(t, fixture(t, "evidence"))
		s.Edit("content/stories/bob.md", strings.Replace(readFile(t, s, "content/stories/bob.md"), "measure: Care visits per day", "measure: Care visit per day", 1))
		s.Rebuild()
		if s.Err != nil {
			t.Fatal(s.Err)
		}
		want := `content/stories/bob.md:8:14: warning: measure "Care visit per day" is not in the vocabulary in site.toml; did you mean "Care visits per day"?`
		if got := strings.Join(s.Warnings(), "\n"); !strings.Contains(got, want) {
			t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
		}
		// counted apart, as written: Bob's figure is not in the sum
		s.AssertFileContains("themes/rehabilitation/index.html", `
			<strong>Care visits per day</strong>: 2 stories, from 9 to 0 visits in total.
			<li>Care visit per day: from 3 to 1 visits, in <a href="/stories/bob/">Bob goes out again</a></li>
		`)
	})
}

// TestEvidenceSession: edits to outcomes in the preview, taken the quick
// way, leave what a full build writes: a figure changed, a measure renamed
// to another story's, figures added to a story that had none, a title; and
// a theme gaining its first figures rebuilds everything.
func TestEvidenceSession(t *testing.T) {
	s := sitetest.Write(t, fixture(t, "evidence"))
	sess := sessionOf(t, s)
	ctx := context.Background()
	edits := []struct {
		file, from, to string
		partial        bool
	}{
		{"content/stories/bob.md", "    before: 3\n", "    before: 7\n", true},
		{"content/stories/cal.md", "measure: Falls in three months\n    before: 2\n    after: 0\n    unit: falls", "measure: Walking distance\n    before: 2\n    after: 30\n    unit: metres", true},
		{"content/stories/dee.md", "themes: [rehabilitation]\n", "themes: [rehabilitation]\noutcomes: [{measure: care visits/day, before: 2, after: 2}]\n", true},
		{"content/stories/ann.md", "title: Ann walks to the shop", "title: Ann walks to the park", true},
		{"content/stories/eve.md", "person: Eve\n", "person: Eve Jones\nsetting: An office\n", true},
		// Work gains no figures, Rehab potential keeps Cal's: no table comes or goes
		{"content/stories/ann.md", "themes: [rehab-potential]", "themes: [rehab-potential, work]", true},
		// Dee's figures were Rehabilitation's only direct ones besides Bob's; a new theme's first
		// (a theme coming made the preview build everything until the page plan)
		{"content/stories/dee.md", "themes: [rehabilitation]\n", "themes: [rehabilitation, co-production]\n", true},
	}
	for _, e := range edits {
		src := readFile(t, s, e.file)
		if !strings.Contains(src, e.from) {
			t.Fatalf("%s has no %q", e.file, e.from)
		}
		s.Edit(e.file, strings.Replace(src, e.from, e.to, 1))
		_, partial, err := sess.Update(ctx, []string{filepath.Join(s.Dir, e.file)})
		if err != nil || partial != e.partial {
			t.Fatalf("%s %q: partial %v (want %v), %v", e.file, e.to, partial, e.partial, err)
		}
		fresh := filepath.Join(t.TempDir(), "fresh")
		if _, err := site.Build(ctx, site.Options{SiteDir: s.Dir, OutDir: fresh, Generator: "otpress test"}); err != nil {
			t.Fatal(err)
		}
		sameTree(t, s.Out, fresh, false)
		if t.Failed() {
			t.Fatalf("after %s %q", e.file, e.to)
		}
	}
	// a unit that differs is an error at its place, and the output stays
	src := readFile(t, s, "content/stories/bob.md")
	s.Edit("content/stories/bob.md", strings.Replace(src, "    unit: metres", "    unit: yards", 1))
	before := s.Read("evidence/index.html")
	if _, _, err := sess.Update(ctx, []string{filepath.Join(s.Dir, "content/stories/bob.md")}); err == nil || !strings.Contains(err.Error(), `content/stories/bob.md:15:11: the unit "yards"`) {
		t.Errorf("unit mismatch: %v", err)
	}
	if s.Read("evidence/index.html") != before {
		t.Error("a failed update changed /evidence/")
	}
}

func readFile(t *testing.T, s *sitetest.Site, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
