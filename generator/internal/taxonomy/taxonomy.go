// Package taxonomy resolves the themes items are filed under: theme
// definitions, their aliases and their broader/narrower hierarchy, and the
// items under each theme. It is pure: it reads the content library and
// returns an index.
package taxonomy

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
)

// Theme is one node of the theme index.
type Theme struct {
	Slug     string
	Title    string
	Summary  string
	Defined  bool           // false for a theme used on pages but not defined
	Def      *content.Theme // the definition, when Defined
	Broader  *Theme
	Narrower []*Theme        // by title
	Items    []*content.Item // filed directly under this theme, newest first
	// Inherited are items filed under a narrower theme (at any depth) and not
	// directly under this one, newest first.
	Inherited []*content.Item

	idf  float64 // log(items / items under this theme), for related content
	ords []int32 // each of Items' place in the library, for Related
}

// Path is the theme page's site path.
func (t *Theme) Path() string { return "/" + content.ThemesSection + "/" + t.Slug + "/" }

// Count is the number of items under the theme, directly or through a
// narrower theme.
func (t *Theme) Count() int { return len(t.Items) + len(t.Inherited) }

// Index is the resolved theme index.
type Index struct {
	Themes []*Theme // A–Z by title, then slug
	bySlug map[string]*Theme
	alias  map[string]*Theme // slug of a name or alias → theme
	// byItem holds each item's themes, resolved and without duplicates, in
	// the order written.
	byItem  map[*content.Item][]*Theme
	byPack  map[*content.Pack][]*Theme // each pack's themes, as it names them
	ord     map[*content.Item]int      // each item's position, for scratch marks
	at      [][]*Theme                 // byItem by position, for Related
	scratch sync.Pool                  // *scratch, for Related
}

// Get returns the theme with a slug, or nil.
func (x *Index) Get(slug string) *Theme { return x.bySlug[slug] }

// Lookup resolves a name as an editor might write it ("Co-production",
// "coproduction", "co-production") to a theme, or nil.
func (x *Index) Lookup(name string) *Theme { return x.alias[content.Slug(name)] }

// Of returns the themes of an item.
func (x *Index) Of(it *content.Item) []*Theme { return x.byItem[it] }

// OfPack returns the themes a pack names, resolved.
func (x *Index) OfPack(pk *content.Pack) []*Theme { return x.byPack[pk] }

// Build resolves every theme reference in lib. Undefined themes become
// themes of their own with a warning; alias clashes and broader cycles are
// errors.
func Build(lib *content.Library) (*Index, []*diag.Problem) {
	var probs []*diag.Problem
	x := &Index{bySlug: map[string]*Theme{}, alias: map[string]*Theme{}, byItem: map[*content.Item][]*Theme{}}
	for _, def := range lib.Themes {
		th := &Theme{Slug: def.Slug, Title: def.Title, Summary: def.Summary, Defined: true, Def: def}
		x.bySlug[th.Slug] = th
		x.alias[th.Slug] = th
		x.alias[content.Slug(th.Title)] = th
	}
	// Aliases after every slug is known, so an alias cannot hide a theme.
	for _, def := range lib.Themes {
		th := x.bySlug[def.Slug]
		for _, a := range def.Aliases {
			key := content.Slug(a.Name)
			switch other := x.alias[key]; {
			case key == "":
				probs = append(probs, diag.Errorf(def.File, a.Pos.Line, a.Pos.Col, "alias %q has no letters or digits", a.Name))
			case other == nil:
				x.alias[key] = th
			case other != th:
				probs = append(probs, diag.Errorf(def.File, a.Pos.Line, a.Pos.Col, "alias %q already names the theme %q (%s)", a.Name, other.Title, other.Slug).
					WithHint("a name can belong to one theme only; remove the alias here or there"))
			}
		}
	}
	for _, def := range lib.Themes {
		if def.Broader == nil {
			continue
		}
		th := x.bySlug[def.Slug]
		b := x.alias[content.Slug(def.Broader.Name)]
		switch {
		case b == nil:
			probs = append(probs, diag.Errorf(def.File, def.Broader.Pos.Line, def.Broader.Pos.Col, "broader theme %q is not defined", def.Broader.Name).
				WithHint("create content/themes/%s.md or name an existing theme", content.Slug(def.Broader.Name)))
		case b == th:
			probs = append(probs, diag.Errorf(def.File, def.Broader.Pos.Line, def.Broader.Pos.Col, "a theme cannot be broader than itself"))
		default:
			th.Broader = b
		}
	}
	for _, def := range lib.Themes { // in slug order, so the report is stable
		th := x.bySlug[def.Slug]
		if loop := cycle(th); loop != "" {
			def := th.Def
			probs = append(probs, diag.Errorf(def.File, def.Broader.Pos.Line, def.Broader.Pos.Col, "broader themes go round in a circle: %s", loop).
				WithHint("one of these themes must not name a broader theme"))
			th.Broader = nil
		}
	}

	// Resolve every item's themes; undefined names become themes too.
	type firstUse struct {
		file string
		ref  content.Ref
		n    int
	}
	undefined := map[string]*firstUse{}
	slugs := map[string]string{} // each name's slug, worked out once: a big site names a few hundred themes thousands of times
	for _, it := range lib.Items {
		var ths []*Theme
		for _, ref := range it.Themes {
			key, ok := slugs[ref.Name]
			if !ok {
				key = content.Slug(ref.Name)
				slugs[ref.Name] = key
			}
			if key == "" {
				probs = append(probs, diag.Errorf(it.File, ref.Pos.Line, ref.Pos.Col, "theme %q has no letters or digits", ref.Name))
				continue
			}
			th := x.alias[key]
			if th == nil {
				th = &Theme{Slug: key, Title: ref.Name}
				x.bySlug[key], x.alias[key] = th, th
				undefined[key] = &firstUse{file: it.File, ref: ref}
			}
			if u := undefined[th.Slug]; u != nil {
				u.n++
			}
			if !slices.Contains(ths, th) {
				ths = append(ths, th)
			}
		}
		x.byItem[it] = ths
		for _, th := range ths {
			th.Items = append(th.Items, it)
		}
		// an item belongs to each broader theme too, shown as inherited
		seen := map[*Theme]bool{}
		for _, th := range ths {
			seen[th] = true
		}
		for _, th := range ths {
			for b := th.Broader; b != nil && !seen[b]; b = b.Broader {
				seen[b] = true
				b.Inherited = append(b.Inherited, it)
			}
		}
	}
	var defined []string
	for _, d := range lib.Themes {
		defined = append(defined, d.Slug)
	}
	for key, u := range undefined {
		near := ""
		if n := diag.Nearest(key, defined); n != "" {
			near = fmt.Sprintf("did you mean %q? otherwise ", n)
		}
		probs = append(probs, diag.Warnf(u.file, u.ref.Pos.Line, u.ref.Pos.Col, "theme %q is used on %s but not defined", u.ref.Name, diag.Count(u.n, "page", "pages")).
			WithHint("%screate content/themes/%s.md with a title and a short description", near, key))
	}
	// themes whose names differ only in a plural or hyphens are most
	// likely one theme written two ways
	byStem := map[string][]string{}
	for slug := range x.bySlug {
		byStem[stemKey(slug)] = append(byStem[stemKey(slug)], slug)
	}
	for _, slugs := range byStem {
		if len(slugs) < 2 {
			continue
		}
		// the one to keep: a defined theme first, then by name
		slices.SortFunc(slugs, func(a, b string) int {
			if da, db := x.bySlug[a].Defined, x.bySlug[b].Defined; da != db {
				if da {
					return -1
				}
				return 1
			}
			return strings.Compare(a, b)
		})
		keep := x.bySlug[slugs[0]]
		for _, other := range slugs[1:] {
			file, line, col := "", 1, 1
			if u := undefined[other]; u != nil {
				file, line, col = u.file, u.ref.Pos.Line, u.ref.Pos.Col
			} else if th := x.bySlug[other]; th.Def != nil {
				file = th.Def.File
			}
			hint := "use one of them everywhere"
			if keep.Defined {
				hint = fmt.Sprintf("use %q everywhere, or add aliases: [%s] to %s", keep.Slug, other, keep.Def.File)
			}
			probs = append(probs, diag.Warnf(file, line, col, "themes %q and %q differ only in a plural or a hyphen, so they make two theme pages", other, keep.Slug).
				WithHint("%s", hint))
		}
	}

	// a pack names themes the site has; it never makes one
	x.byPack = map[*content.Pack][]*Theme{}
	for _, pk := range lib.Packs {
		for _, ref := range pk.Themes {
			th := x.alias[content.Slug(ref.Name)]
			if th == nil {
				pr := diag.Errorf(pk.File, ref.Pos.Line, ref.Pos.Col, "theme %q is not a theme of this site", ref.Name)
				var slugs []string
				for s := range x.bySlug {
					slugs = append(slugs, s)
				}
				slices.Sort(slugs)
				if n := diag.Nearest(content.Slug(ref.Name), slugs); n != "" {
					pr.WithHint("did you mean %s? a pack names themes its items use, by slug, title or alias", n)
				} else {
					pr.WithHint("a pack names themes its items use, by slug, title or alias")
				}
				probs = append(probs, pr)
				continue
			}
			if !slices.Contains(x.byPack[pk], th) {
				x.byPack[pk] = append(x.byPack[pk], th)
			}
		}
	}

	for _, th := range x.bySlug {
		x.Themes = append(x.Themes, th)
		if th.Broader != nil {
			th.Broader.Narrower = append(th.Broader.Narrower, th)
		}
	}
	byTitle := func(a, b *Theme) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), cmp.Compare(a.Slug, b.Slug))
	}
	slices.SortFunc(x.Themes, byTitle)
	for _, th := range x.Themes {
		slices.SortFunc(th.Narrower, byTitle)
		if len(th.Items) > 0 {
			th.idf = math.Log(float64(len(lib.Items)) / float64(len(th.Items)))
		}
	}
	x.ord = make(map[*content.Item]int, len(lib.Items))
	x.at = make([][]*Theme, len(lib.Items))
	for i, it := range lib.Items {
		x.ord[it] = i
		x.at[i] = x.byItem[it]
	}
	for _, th := range x.Themes {
		th.ords = make([]int32, len(th.Items))
		for k, it := range th.Items {
			th.ords[k] = int32(x.ord[it])
		}
	}
	n := len(lib.Items)
	x.scratch.New = func() any { return &scratch{stamp: make([]uint32, n)} }
	return x, probs
}

// cycle returns "a → b → a" when following broader from th comes back to th.
// stemKey is a theme slug with hyphens and a final plural left out:
// "wheelchair-services", "wheelchair-service" and "wheelchairservices"
// share "wheelchairservice".
func stemKey(slug string) string {
	k := strings.ReplaceAll(slug, "-", "")
	switch {
	case strings.HasSuffix(k, "ies") && len(k) > 4:
		return k[:len(k)-3] + "y"
	case strings.HasSuffix(k, "s") && !strings.HasSuffix(k, "ss") && len(k) > 3:
		return k[:len(k)-1]
	}
	return k
}

func cycle(th *Theme) string {
	path := []string{th.Slug}
	for b := th.Broader; b != nil; b = b.Broader {
		path = append(path, b.Slug)
		if b == th {
			return strings.Join(path, " → ")
		}
		if len(path) > 1000 {
			break
		}
	}
	return ""
}
