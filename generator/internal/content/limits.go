package content

import (
	"fmt"

	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// Limits on the lists of one page's front matter, checked as they are
// read: what a list holds is drawn on every page that shows it, and a
// page's themes in pairs.
const (
	// MaxThemes is the most themes one page may have. The theme map pairs
	// every two themes of a page and each theme's page shows the others:
	// 1,000 themes on one story took a minute to build, 250 3.5 s; 50 take
	// a few milliseconds, and a story has 3 to 6.
	MaxThemes = 50
	// MaxEntries is the most entries any other list may have: aliases
	// (each a page of its own), sources, outcomes, steps, a pack's items,
	// an episode's chapters (in front matter or chapters.json). Real pages
	// have tens.
	MaxEntries = 1_000
)

// entries is a list field's values, the first max of them; past max, an
// error at the first left out.
func (d *dec) entries(f *fm.Field, max int) []*fm.Value {
	l := f.Value.List
	if len(l) <= max {
		return l
	}
	hint := "split the page in two, or keep the list in a file of its own"
	if max == MaxThemes {
		hint = "keep the themes the page is most about: a theme's broader: themes gather the rest"
	}
	d.errAt(l[max].Pos, hint, "%s has %d entries; otpress allows %d", f.Key, len(l), max)
	return l[:max]
}

// tooMany is the problem for a list of more than max entries in a file
// otpress reads whole (a transcript's cues, a chapters file's chapters).
func tooMany(what string, max int) string {
	return fmt.Sprintf("the file has more than %d %s; otpress allows %d", max, what, max)
}
