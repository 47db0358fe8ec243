package content

import (
	"cmp"
	"slices"
	"strings"

	"github.com/otpress/otpress/generator/internal/diag"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// PacksSection is the folder of learning packs: content/packs/<slug>.md is
// published at /packs/<slug>/.
const PacksSection = "packs"

// Pack is a learning pack: stories, episodes and features in an order a
// training lead chose, each with a note on why it is there and questions
// for reflection.
type Pack struct {
	File      string
	Slug      string
	Path      string // "/packs/personalised-care/"
	Title     string
	Summary   string
	Audience  string
	Outcomes  []string // learning outcomes
	Entries   []PackEntry
	Questions []string // reflection questions for the whole pack
	Themes    []Ref
	Draft     bool
	Body      []byte // an optional introduction
	BodyLine  int
	Translation

	src []byte // the file, for problems found after loading
}

// PackEntry is one item of a pack.
type PackEntry struct {
	Ref       Ref   // as written: "stories/denis"
	Item      *Item // what Ref names, set by Load
	Note      string
	Questions []string
}

var (
	packKeys      = keys(packFields)
	packEntryKeys = keys(packItemFields)
)

func loadPack(f file, src []byte) (*Pack, []*diag.Problem) {
	doc, d := parse(f, src)
	if doc == nil {
		return nil, d.probs
	}
	m := doc.Meta
	d.unknown(m, packKeys, "")
	pk := &Pack{
		src:      src,
		File:     f.path,
		Slug:     Slug(f.stem()),
		Body:     doc.Body,
		BodyLine: doc.BodyLine,
	}
	pk.Title = d.required(m, "title", "Personalised care in practice", doc.BodyLine)
	pk.Summary = d.text(m.Get("summary"))
	pk.Audience = d.text(m.Get("audience"))
	pk.Outcomes = d.texts(m.Get("outcomes"))
	pk.Questions = d.texts(m.Get("questions"))
	pk.Themes = d.themeRefs(m.Get("themes"))
	pk.Draft = d.boolean(m.Get("draft"))
	pk.Slug = d.slug(m.Get("slug"), pk.Slug)
	if pk.Slug == "" {
		d.errAt(fm.Pos{Line: 1, Col: 1}, "name the file after the pack, e.g. content/packs/personalised-care.md", "the file name gives an empty address")
	}
	pk.Path = "/" + PacksSection + "/" + pk.Slug + "/"
	items := m.Get("items")
	switch {
	case items == nil || items.Value.Kind == fm.Null:
		p := fm.Pos{Line: 1, Col: 1}
		if items != nil {
			p = items.KeyPos
		}
		d.errAt(p, "list the stories, episodes and features under items:, each as - {ref: stories/denis, note: why it is here}", "the pack has no items")
	case items.Value.Kind == fm.List:
		for i, e := range d.entries(items, MaxEntries) {
			switch e.Kind {
			case fm.String:
				// a bare path: "- stories/denis"
				if s := strings.TrimSpace(e.Str); s != "" {
					pk.Entries = append(pk.Entries, PackEntry{Ref: Ref{Name: s, Pos: e.Pos}})
					continue
				}
				d.errAt(e.Pos, "remove the empty entry", "entry %d of items is empty", i+1)
			case fm.Map:
				d.unknown(e, packEntryKeys, " in items")
				rf := e.Get("ref")
				ref := d.text(rf)
				if ref == "" {
					d.errAt(e.Pos, "name the story, episode or feature by its content path: ref: stories/denis", "entry %d of items has no ref", i+1)
					continue
				}
				pk.Entries = append(pk.Entries, PackEntry{Ref: Ref{Name: ref, Pos: rf.Value.Pos}, Note: d.text(e.Get("note")), Questions: d.texts(e.Get("questions"))})
			default:
				d.errAt(e.Pos, "each entry is a content path, or a set of fields: - {ref: stories/denis, note: ..., questions: [...]}", "entry %d of items is %s", i+1, describe(e))
			}
		}
		if len(items.Value.List) == 0 {
			d.errAt(items.Value.Pos, "list at least one story, episode or feature", "items is empty")
		}
	default:
		d.errAt(items.Value.Pos, "write items as a list, each entry starting with a dash: - ref: stories/denis", "items must be a list, not %s", describe(items.Value))
	}
	return pk, d.probs
}

// RefKey turns the ways an editor may name an item in a pack
// ("stories/denis", "/stories/denis/", "content/stories/denis.md",
// "episodes/x/index.md") into one key, "stories/denis".
func RefKey(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "/")
	s = strings.TrimPrefix(s, Dir+"/")
	s = strings.TrimSuffix(s, "/")
	s = strings.TrimSuffix(s, "/index.md")
	s = strings.TrimSuffix(s, ".md")
	return s
}

// itemKeys are the keys an item answers to in a pack: its address
// without slashes, and its file's path in content/.
func itemKeys(it *Item) []string {
	keys := []string{strings.Trim(it.Path, "/")}
	if k := RefKey(untagged(it.File, it.Lang)); k != keys[0] {
		keys = append(keys, k)
	}
	return keys
}

// resolvePacks points each pack entry at its item. hidden are the drafts,
// scheduled and expired items left out of the library, so a pack naming
// one is told why it cannot be found. A scheduled item is left out of the
// pack until its day, and an expired one from its day, with a warning; a
// pack with none of its items left is left out of the library. broken
// are the files of items refused for errors of their own: a pack naming
// one adds no problem of its own to theirs. away are the items left out
// for want of a version in the language loaded, which a pack leaves out
// with a warning; nil when none are.
func resolvePacks(lib *Library, hidden []*Item, broken []string, away *notHere) []*diag.Problem {
	if len(lib.Packs) == 0 {
		return nil
	}
	byKey := map[string]*Item{}
	for _, it := range lib.Items {
		for _, k := range itemKeys(it) {
			byKey[k] = it
		}
	}
	left := map[string]*Item{}
	for _, it := range hidden {
		for _, k := range itemKeys(it) {
			left[k] = it
		}
	}
	refused := map[string]bool{}
	for _, f := range broken {
		refused[RefKey(f)] = true
	}
	var probs []*diag.Problem
	var all []string // every item's address key, for suggestions; built on first need
	for _, pk := range lib.Packs {
		from := len(probs)
		at := map[*Item]int{}
		for i := range pk.Entries {
			e := &pk.Entries[i]
			key := RefKey(e.Ref.Name)
			it := byKey[key]
			switch {
			case it != nil && at[it] > 0:
				probs = append(probs, diag.Errorf(pk.File, e.Ref.Pos.Line, e.Ref.Pos.Col, "%s is already item %d of this pack", e.Ref.Name, at[it]).
					WithHint("remove one of the two entries"))
			case it != nil:
				e.Item = it
				at[it] = i + 1
			case left[key] != nil && left[key].Draft:
				probs = append(probs, diag.Errorf(pk.File, e.Ref.Pos.Line, e.Ref.Pos.Col, "%s is a draft, so the pack cannot include it", e.Ref.Name).
					WithHint("publish it (remove draft: true), or leave it out of the pack until it is ready"))
			case refused[key]:
				// its own errors are reported; the build stops on them
			case left[key] != nil && left[key].Expired:
				probs = append(probs, diag.Warnf(pk.File, e.Ref.Pos.Line, e.Ref.Pos.Col, "%s expired on %s, so the pack leaves it out", e.Ref.Name, left[key].Expires.Format("2 January 2006")).
					WithHint("remove it from the pack, or give it a later expires date (or none) to bring it back"))
			case left[key] != nil:
				probs = append(probs, diag.Warnf(pk.File, e.Ref.Pos.Line, e.Ref.Pos.Col, "%s is scheduled for %s, so the pack leaves it out until then", e.Ref.Name, left[key].Date.Format("2 January 2006")).
					WithHint("the first build on or after that day adds it; to hold the whole pack back until then, give the pack draft: true"))
			case away != nil && away.items[key] != "":
				probs = append(probs, diag.Warnf(pk.File, e.Ref.Pos.Line, e.Ref.Pos.Col, "%s is not written in %s, so the pack leaves it out", e.Ref.Name, away.lang).
					WithHint("write its %s version, %s, to bring it in", away.lang, away.items[key]))
			default:
				if all == nil {
					for _, it := range lib.Items {
						all = append(all, strings.Trim(it.Path, "/"))
					}
				}
				pr := diag.Errorf(pk.File, e.Ref.Pos.Line, e.Ref.Pos.Col, "%s is not a story, episode or feature of this site", e.Ref.Name)
				if near := nearestN(key, all, 3); len(near) > 0 {
					pr.WithHint("did you mean %s? a ref is a content path such as stories/denis", strings.Join(near, ", "))
				} else {
					pr.WithHint("a ref is a content path such as stories/denis; the site has no stories, episodes or features yet")
				}
				probs = append(probs, pr)
			}
		}
		waits := slices.ContainsFunc(pk.Entries, func(e PackEntry) bool { return refused[RefKey(e.Ref.Name)] })
		if !hasErrors(probs[from:]) && !waits { // else the build stops, on the pack's errors or its items'
			if !slices.ContainsFunc(pk.Entries, func(e PackEntry) bool { return e.Item != nil }) && len(pk.Entries) > 0 {
				probs = append(probs, emptyPack(pk, left, away))
			}
			pk.Entries = slices.DeleteFunc(pk.Entries, func(e PackEntry) bool { return e.Item == nil }) // scheduled or expired
		}
		diag.AttachSources(pk.src, probs[from:])
	}
	lib.Packs = slices.DeleteFunc(lib.Packs, func(pk *Pack) bool { return len(pk.Entries) == 0 })
	return probs
}

// nearestN is up to n of the candidates closest to s, nearest first.
func nearestN(s string, candidates []string, n int) []string {
	type scored struct {
		c string
		d int
	}
	var best []scored
	for _, c := range candidates {
		d := diag.Distance(s, c)
		if len(best) == n && d >= best[n-1].d {
			continue
		}
		best = append(best, scored{c, d})
		slices.SortStableFunc(best, func(a, b scored) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.c, b.c)) })
		best = best[:min(n, len(best))]
	}
	out := make([]string, len(best))
	for i, b := range best {
		out[i] = b.c
	}
	return out
}

// InPacks maps each item to the packs that include it, in pack order.
func (l *Library) InPacks() map[*Item][]*Pack {
	out := map[*Item][]*Pack{}
	for _, pk := range l.Packs {
		for _, e := range pk.Entries {
			if e.Item != nil {
				out[e.Item] = append(out[e.Item], pk)
			}
		}
	}
	return out
}

// emptyPack is the warning for a pack all of whose items are scheduled,
// expired or not written in the language loaded, which is left out of the
// site.
func emptyPack(pk *Pack, left map[string]*Item, away *notHere) *diag.Problem {
	expired, untranslated := 0, 0
	for _, e := range pk.Entries {
		key := RefKey(e.Ref.Name)
		switch {
		case left[key] != nil && left[key].Expired:
			expired++
		case left[key] == nil:
			untranslated++ // the only other reason for an entry with no item
		}
	}
	switch {
	case away == nil:
	case untranslated == len(pk.Entries):
		return diag.Warnf(pk.File, 0, 0, "no item of the pack is written in %s, so the pack is left out", away.lang).
			WithHint("write its items in %s, or show untranslated pages in another language", away.lang)
	case untranslated > 0:
		return diag.Warnf(pk.File, 0, 0, "every item of the pack is scheduled, expired or not written in %s, so the pack is left out", away.lang)
	}
	switch expired {
	case 0:
		return diag.Warnf(pk.File, 0, 0, "every item of the pack is scheduled, so the pack is left out until the first of them is published")
	case len(pk.Entries):
		return diag.Warnf(pk.File, 0, 0, "every item of the pack has expired, so the pack is left out").
			WithHint("remove the pack, or give it items that are still published")
	}
	return diag.Warnf(pk.File, 0, 0, "every item of the pack is scheduled or has expired, so the pack is left out until the first scheduled one is published")
}
