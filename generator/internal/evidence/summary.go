package evidence

import (
	"cmp"
	"slices"
	"strings"

	"github.com/otpress/otpress/generator/internal/content"
)

// MinStories is how many stories must report a measure before it is
// summarised: one story's figures are that story's, not a pattern.
const MinStories = 2

// Summary is one measure across the stories that report it.
type Summary struct {
	Measure *Measure
	Figures []Figure // one a story, newest story first
	Before  float64  // total before
	After   float64  // total after
	Median  float64  // of the changes (the mean of the middle two when there is an even number)
	Min     float64  // smallest change
	Max     float64  // largest change
	Lower   int      // stories whose figure fell
	Higher  int      // stories whose figure rose
	Same    int      // stories whose figure did not change
}

// Stories is how many stories the summary rests on.
func (s *Summary) Stories() int { return len(s.Figures) }

// Change is the total after less the total before.
func (s *Summary) Change() float64 { return s.After - s.Before }

// Digest is what a set of stories (a theme's) reports, measure by measure.
type Digest struct {
	Stories     int // stories among the items
	WithFigures int // of them, stories with figures
	// Summaries are the measures two or more of the stories report, the
	// measure most stories report first, then A to Z.
	Summaries []Summary
	// Single are the figures of measures only one of the stories reports,
	// A to Z by measure, then newest story first.
	Single []Figure
}

// Digest sums the figures of the stories among items, by measure. Items
// that are not stories, and stories without figures, are counted in
// Stories and WithFigures only. Each item is counted once however often
// items names it.
func (s *Set) Digest(items []*content.Item) Digest {
	var d Digest
	seen := make(map[*content.Item]bool, len(items))
	stories := make([]*content.Item, 0, len(items))
	for _, it := range items {
		if it.Story == nil || seen[it] {
			continue
		}
		seen[it] = true
		stories = append(stories, it)
	}
	// stories newest first, so that each measure's figures are in order
	// as they are gathered (an item's are by Index): sorting pointers,
	// not figures
	if !slices.IsSortedFunc(stories, newerItem) {
		slices.SortFunc(stories, newerItem)
	}
	byMeasure := map[*Measure][]Figure{}
	var order []*Measure
	for _, it := range stories {
		d.Stories++
		figs := s.byItem[it]
		if len(figs) > 0 {
			d.WithFigures++
		}
		for _, f := range figs {
			if byMeasure[f.Measure] == nil {
				order = append(order, f.Measure)
			}
			byMeasure[f.Measure] = append(byMeasure[f.Measure], f)
		}
	}
	for _, m := range order {
		figs := byMeasure[m]
		if len(figs) < MinStories {
			d.Single = append(d.Single, figs...)
			continue
		}
		d.Summaries = append(d.Summaries, Summarise(m, figs))
	}
	slices.SortFunc(d.Summaries, func(a, b Summary) int {
		return cmp.Or(b.Stories()-a.Stories(), byName(a.Measure, b.Measure))
	})
	slices.SortStableFunc(d.Single, func(a, b Figure) int {
		return cmp.Or(byName(a.Measure, b.Measure), newestFirst(a, b))
	})
	return d
}

// Summarise works out one measure's summary from its figures, one a story.
func Summarise(m *Measure, figs []Figure) Summary {
	s := Summary{Measure: m, Figures: figs}
	changes := make([]float64, len(figs))
	for i, f := range figs {
		s.Before += f.Before
		s.After += f.After
		c := f.Change()
		changes[i] = c
		switch {
		case c < 0:
			s.Lower++
		case c > 0:
			s.Higher++
		default:
			s.Same++
		}
	}
	if len(changes) == 0 {
		return s
	}
	slices.Sort(changes)
	s.Min, s.Max = changes[0], changes[len(changes)-1]
	s.Median = Median(changes)
	return s
}

// Median is the middle of sorted values: the mean of the middle two when
// there is an even number of them. It is 0 for none.
func Median(sorted []float64) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func byName(a, b *Measure) int {
	return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.Key, b.Key))
}

// newestFirst is library order: the newer story first, then by file.
func newestFirst(a, b Figure) int {
	return cmp.Or(newerItem(a.Item, b.Item), a.Index-b.Index)
}

// newerItem orders items newest first, then by file.
func newerItem(a, b *content.Item) int {
	return cmp.Or(b.Date.Compare(a.Date), strings.Compare(a.File, b.File))
}
