package site

import (
	"cmp"
	"html/template"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/markdown"
	"github.com/otpress/otpress/generator/internal/render"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// readingSpeed is the words a minute a pack's times assume: a careful
// reading for learning, slower than skimming.
const readingSpeed = 200

// packTime is how long an item takes in a pack: its text (and a story's
// goals and steps) read at readingSpeed, and an episode's audio heard
// through, or its transcript read when the length is not known.
func packTime(it *content.Item, text string) render.PackTime {
	words := len(strings.Fields(text))
	if s := it.Story; s != nil {
		for _, line := range slices.Concat(s.Goals, s.Steps) {
			words += len(strings.Fields(line))
		}
	}
	var t render.PackTime
	if e := it.Episode; e != nil {
		if e.Duration > 0 {
			t.Listen = e.Duration
		} else {
			for _, p := range e.Paragraphs {
				words += len(strings.Fields(p.Text))
			}
		}
	}
	t.Read = time.Duration(words) * time.Minute / readingSpeed
	return t
}

// packPages writes each pack's page and print page, /packs/ and the
// reader's own pack, /packs/mine/.
func (b *builder) packPages(emit func(job)) {
	b.packPagesOf(emit, b.lib.Packs)
	emit(func() { b.write(b.rnd.MinePage(), "") })
}

// packPagesOf writes the pages of some packs, and /packs/, which shows
// every pack's time.
func (b *builder) packPagesOf(emit func(job), packs []*content.Pack) {
	// each pack's items once, for its page, its print page and /packs/
	items := make(map[*content.Pack][]render.PackItem, len(b.lib.Packs))
	for _, pk := range b.lib.Packs {
		items[pk] = b.packItems(pk)
	}
	for _, pk := range packs {
		emit(func() {
			themes := b.packThemes(pk)
			intro, _ := b.markdown(pk.File, path.Dir(pk.File), nil, pk.Body, pk.BodyLine)
			var files []render.Link
			if b.downloads {
				for _, d := range downloads {
					files = append(files, render.Link{Title: b.rnd.Words().Must("export.download." + d.format), Href: b.cfg.Link(pk.Path + pk.Slug + d.suffix)})
				}
			}
			b.write(b.rnd.PackPage(pk, themes, items[pk], intro, files), pk.File)
			b.write(b.rnd.PackPrintPage(pk, themes, items[pk], intro), pk.File)
		})
	}
	emit(func() {
		views := make([]*render.Pack, len(b.lib.Packs))
		for i, pk := range b.lib.Packs {
			views[i] = b.rnd.PackSummary(pk, nil, items[pk])
		}
		intro, html := b.intro(content.PacksSection)
		b.write(b.rnd.PacksPage(views, intro, html), sourceOf(intro))
	})
}

// packItems are a pack's entries as the pack's pages show them, with each
// item's text rendered again, its headings a level down and its ids
// prefixed so that every item fits on the one print page.
func (b *builder) packItems(pk *content.Pack) []render.PackItem {
	out := make([]render.PackItem, len(pk.Entries))
	for i, e := range pk.Entries {
		it := e.Item
		out[i] = render.PackItem{Card: b.card(it), Item: it}
		res, err := b.md.Render(b.body(it), markdown.Doc{
			File: it.File, FirstLine: it.BodyLine,
			Link:    func(dest string) string { return b.resolveLink(it.Dir, bundleOf(it), dest) },
			Picture: b.textPicture(it.File, it.Dir, bundleOf(it)), Loading: "eager", // for printing
			Shift: 1, IDPrefix: "p" + strconv.Itoa(i+1) + "-", Cite: b.citeFor(it.File),
		})
		if err != nil {
			b.fail(err)
			continue
		}
		// the item page reports the text's problems; these would repeat them
		out[i].Time = packTime(it, res.Text)
		out[i].Cited = b.bodyCited(it, res.Citations)
		out[i].Body = template.HTML(res.HTML)
	}
	return out
}

// packThemes are the themes a pack names, or else those its items share
// most, up to six.
func (b *builder) packThemes(pk *content.Pack) []*taxonomy.Theme {
	if len(pk.Themes) > 0 {
		return b.themes.OfPack(pk)
	}
	var out []*taxonomy.Theme
	count := map[*taxonomy.Theme]int{}
	for _, e := range pk.Entries {
		for _, th := range b.themes.Of(e.Item) {
			if count[th] == 0 {
				out = append(out, th)
			}
			count[th]++
		}
	}
	slices.SortStableFunc(out, func(x, y *taxonomy.Theme) int { return cmp.Compare(count[y], count[x]) })
	return out[:min(6, len(out))]
}
