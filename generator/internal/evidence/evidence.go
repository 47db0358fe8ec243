// Package evidence gathers the numeric outcomes stories report, so they can
// be read side by side and summed across stories: every figure in one list,
// and for a set of stories (a theme's), each measure two or more of them
// report with how many stories, the totals before and after, and the median
// and range of the change. Measures are matched by name through the site's
// vocabulary (config.Measure): case, spaces and punctuation aside, and
// aliases. Two stories giving one measure in different units is an error;
// a name close to another measure's is a warning. Nothing is estimated or
// filled in: a story without figures is not in any sum.
//
// These are pure functions over content items; nothing here renders.
package evidence

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
)

// Measure is one thing stories measure.
type Measure struct {
	Key  string // config.MeasureKey of its name
	Name string // the vocabulary's name, or as the first story to report it wrote it
	// Unit is the vocabulary's unit or, for a measure the vocabulary does
	// not define (or defines without a unit), the first story's.
	Unit   string
	Better string          // config.BetterLower, config.BetterHigher, or "" when the site does not say
	Def    *config.Measure // the vocabulary entry; nil for a measure named only in stories

	first *Figure // the first story's figure (oldest story first), for messages
	count int     // stories reporting it
}

// Figure is one outcome of one story.
type Figure struct {
	Item    *content.Item
	Index   int // in the story's outcomes, from 0
	Measure *Measure
	Before  float64
	After   float64
	Unit    string // as the story writes it, or the measure's when it writes none
	Note    string
}

// Change is After less Before.
func (f *Figure) Change() float64 { return f.After - f.Before }

// outcome is the content outcome the figure comes from.
func (f *Figure) outcome() *content.Outcome { return &f.Item.Story.Outcomes[f.Index] }

// where is "content/stories/denis.md:30:16", the figure's measure.
func (f *Figure) where() string {
	o := f.outcome()
	p := cmp.Or(o.MeasurePos, o.Pos)
	return fmt.Sprintf("%s:%d:%d", f.Item.File, p.Line, p.Col)
}

// Set is every story's figures.
type Set struct {
	// Figures are in library order (newest story first), each story's
	// as it lists them.
	Figures  []Figure
	Measures []*Measure // A to Z by name
	byItem   map[*content.Item][]Figure
}

// Of returns a story's figures, as the story lists them.
func (s *Set) Of(it *content.Item) []Figure { return s.byItem[it] }

// Stories is how many stories have figures.
func (s *Set) Stories() int { return len(s.byItem) }

// Analyse reads the outcomes of the stories among items (in library
// order: newest first) against the vocabulary. Problems: a measure given
// in another unit than its definition, or than the first story to report
// it (an error at the later one, naming the first); one measure twice in a
// story (an error); a measure the vocabulary does not define whose name is
// close to one it does, or to another story's measure (a warning at each
// outcome naming it). A figure with an error is left out of the set.
func Analyse(vocab []config.Measure, items []*content.Item) (*Set, []*diag.Problem) {
	var probs []*diag.Problem
	defined := map[string]*Measure{} // every name and alias, folded
	var definedKeys []string
	var measures []*Measure
	for i := range vocab {
		d := &vocab[i]
		m := &Measure{Key: config.MeasureKey(d.Name), Name: d.Name, Unit: d.Unit, Better: d.Better, Def: d}
		measures = append(measures, m)
		for _, name := range append([]string{d.Name}, d.Aliases...) {
			if k := key(name); k != "" && defined[k] == nil {
				defined[k] = m
				definedKeys = append(definedKeys, k)
			}
		}
	}
	undefined := map[string]*Measure{}
	var undefinedKeys []string

	// oldest story first, so "the first story" is the one that reported
	// the measure first
	stories := make([]*content.Item, 0, len(items))
	for _, it := range items {
		if it.Story != nil && len(it.Story.Outcomes) > 0 {
			stories = append(stories, it)
		}
	}
	oldest := slices.Clone(stories)
	slices.SortStableFunc(oldest, func(a, b *content.Item) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.File, b.File))
	})
	kept := map[*content.Item][]Figure{}
	for _, it := range oldest {
		seen := map[*Measure]int{}
		for i, o := range it.Story.Outcomes {
			k := key(o.Measure)
			if k == "" {
				continue // content reports a missing measure
			}
			m := defined[k]
			if m == nil {
				if m = undefined[k]; m == nil {
					m = &Measure{Key: k, Name: o.Measure, Unit: o.Unit}
					undefined[k] = m
					undefinedKeys = append(undefinedKeys, k)
					measures = append(measures, m)
				}
			}
			f := Figure{Item: it, Index: i, Measure: m, Before: o.Before, After: o.After, Unit: cmp.Or(o.Unit, m.Unit), Note: o.Note}
			if j, twice := seen[m]; twice {
				p := at(it, []position{o.MeasurePos, o.Pos}, "the story gives %q twice, as outcomes %d and %d; each story gives a measure once", m.Name, j+1, i+1)
				p.Hint = "keep one figure for the measure, or name the two differently (for example, at three months and at six months)"
				probs = append(probs, p)
				continue
			}
			seen[m] = i
			if p := unitProblem(m, &f); p != nil {
				probs = append(probs, p)
				continue
			}
			if m.first == nil {
				m.first = &f
				if m.Unit == "" {
					m.Unit = o.Unit // a definition without a unit takes the first story's
				}
			}
			m.count++
			kept[it] = append(kept[it], f)
		}
	}
	if misses := nearMisses(undefinedKeys, undefined, definedKeys, defined); len(misses) > 0 {
		for _, it := range oldest {
			for i := range it.Story.Outcomes {
				o := &it.Story.Outcomes[i]
				if ms, ok := misses[undefined[key(o.Measure)]]; ok {
					probs = append(probs, nearMiss(it, o, ms))
				}
			}
		}
	}

	s := &Set{byItem: map[*content.Item][]Figure{}}
	for _, it := range stories {
		if figs := kept[it]; len(figs) > 0 {
			slices.SortFunc(figs, func(a, b Figure) int { return a.Index - b.Index })
			s.byItem[it] = figs
			s.Figures = append(s.Figures, figs...)
		}
	}
	slices.SortFunc(measures, func(a, b *Measure) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.Key, b.Key))
	})
	s.Measures = measures
	return s, probs
}

// key folds a measure's name; a name of punctuation alone ("%") is its
// own key.
func key(name string) string {
	if k := config.MeasureKey(name); k != "" {
		return k
	}
	return strings.ToLower(strings.TrimSpace(name))
}

// at is an error at a place in a story's file: the first of the
// positions given that is known.
func at(it *content.Item, ps []position, format string, args ...any) *diag.Problem {
	var p position
	for _, p = range ps {
		if p.Line > 0 {
			break
		}
	}
	return diag.Errorf(it.File, p.Line, p.Col, format, args...)
}

// position is a line and column in a story's file.
type position = struct{ Line, Col int }

// unitProblem says when a figure's unit is not its measure's: the
// definition's, or the first story's.
func unitProblem(m *Measure, f *Figure) *diag.Problem {
	o := f.outcome()
	unit := o.Unit
	if m.Def != nil && m.Def.Unit != "" {
		if unit == "" || config.UnitKey(unit) == config.UnitKey(m.Def.Unit) || slices.ContainsFunc(m.Def.UnitAliases, func(a string) bool { return config.UnitKey(a) == config.UnitKey(unit) }) {
			return nil
		}
		p := at(f.Item, []position{o.UnitPos, o.Pos}, "the unit %q of %q is not %q, the unit its definition gives (%s)", unit, m.Name, m.Def.Unit, m.Def.Where())
		p.Hint = fmt.Sprintf("give the figures in %s, or define another measure for figures in %s: numbers in different units cannot be added up", m.Def.Unit, unit)
		return p
	}
	if m.first == nil || config.UnitKey(unit) == config.UnitKey(m.first.outcome().Unit) {
		return nil
	}
	firstUnit := m.first.outcome().Unit
	var p *diag.Problem
	switch {
	case unit == "":
		p = at(f.Item, []position{o.Pos}, "%q has no unit here, but %q in %s (%s)", m.Name, firstUnit, m.first.Item.Title, m.first.where())
		p.Hint = fmt.Sprintf("add unit: %s, if the figures are in %s", firstUnit, firstUnit)
	case firstUnit == "":
		p = at(f.Item, []position{o.UnitPos, o.Pos}, "the unit %q of %q differs from %s (%s), which gives no unit", unit, m.Name, m.first.Item.Title, m.first.where())
		p.Hint = fmt.Sprintf("give the same unit in both stories, or define the measure in site.toml with unit = %q", unit)
	default:
		p = at(f.Item, []position{o.UnitPos, o.Pos}, "the unit %q of %q differs from %q in %s (%s)", unit, m.Name, firstUnit, m.first.Item.Title, m.first.where())
		p.Hint = fmt.Sprintf("give the figures in %s, as the first story does, or name the measure differently: numbers in different units cannot be added up", firstUnit)
	}
	return p
}

// miss is a measure whose name is close to another's.
type miss struct {
	to   *Measure
	dist int
}

// nearMisses finds the measures the vocabulary does not define whose
// names are close to one it does or, failing that, to another undefined
// measure's (then the one fewer stories report is the likelier slip). It
// compares distinct names, never pages, and only names whose lengths are
// close enough for a slip.
func nearMisses(undefKeys []string, undefined map[string]*Measure, defKeys []string, defined map[string]*Measure) map[*Measure]miss {
	near := func(a, b string) (int, bool) {
		la, lb := len([]rune(a)), len([]rune(b))
		limit := max(2, min(la, lb)/3)
		if la-lb > limit || lb-la > limit {
			return 0, false
		}
		d := diag.Distance(a, b)
		return d, d <= limit
	}
	misses := map[*Measure]miss{}
	note := func(m, to *Measure, d int) {
		if old, ok := misses[m]; !ok || d < old.dist || d == old.dist && to.Name < old.to.Name {
			misses[m] = miss{to, d}
		}
	}
	for _, k := range undefKeys {
		for _, dk := range defKeys {
			if d, ok := near(k, dk); ok {
				note(undefined[k], defined[dk], d)
			}
		}
	}
	toDefined := func(m *Measure) bool { ms, ok := misses[m]; return ok && ms.to.Def != nil }
	for i, a := range undefKeys {
		for _, b := range undefKeys[i+1:] {
			ma, mb := undefined[a], undefined[b]
			if ma.first == nil || mb.first == nil || toDefined(ma) || toDefined(mb) {
				continue
			}
			d, ok := near(a, b)
			if !ok {
				continue
			}
			if ma.count < mb.count || ma.count == mb.count && !firstBefore(ma, mb) {
				note(ma, mb, d)
			} else {
				note(mb, ma, d)
			}
		}
	}
	return misses
}

// nearMiss is the warning at an outcome whose measure is close to another.
func nearMiss(it *content.Item, o *content.Outcome, ms miss) *diag.Problem {
	pos := cmp.Or(o.MeasurePos, o.Pos)
	var p *diag.Problem
	if ms.to.Def != nil {
		p = diag.Warnf(it.File, pos.Line, pos.Col, "measure %q is not in the vocabulary in site.toml; did you mean %q?", o.Measure, ms.to.Name)
		p.Hint = fmt.Sprintf("to count them together, add %q to the aliases of %q (%s), or write the name as defined; if it is another measure, give it a [[measures]] entry of its own", o.Measure, ms.to.Name, ms.to.Def.Where())
	} else {
		p = diag.Warnf(it.File, pos.Line, pos.Col, "measure %q is close to %q in %s (%s), but they are counted as two measures", o.Measure, ms.to.Name, ms.to.first.Item.Title, ms.to.first.where())
		p.Hint = fmt.Sprintf("if they are the same, write one name, or define it in site.toml ([[measures]] name = %q, aliases = [%q]); if they differ, give each a [[measures]] entry", ms.to.Name, o.Measure)
	}
	return p
}

func firstBefore(a, b *Measure) bool {
	fa, fb := a.first.Item, b.first.Item
	return cmp.Or(fa.Date.Compare(fb.Date), strings.Compare(fa.File, fb.File)) < 0
}
