package content

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/otpress/otpress/generator/internal/diag"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
	"golang.org/x/text/language"
)

// Translation says which language a page was read in, on a site in
// several languages (Options.Languages); it is zero on a site in one.
type Translation struct {
	Lang string // the language of the file read: "cy"; the default's for a file without one in its name
	// Fallback: the page is shown in the language loaded but written in
	// Lang, as it has no version of its own in that language.
	Fallback bool
	// Langs are the languages with a version of their own, in the order
	// of Options.Languages; a version that is a draft counts only when
	// drafts are shown.
	Langs []string
}

// fold is an item's Sum with its translation, so a warm build tells a
// page shown in another language from the page in its own.
func (t Translation) fold(sum [32]byte) [32]byte {
	if sum == ([32]byte{}) {
		return sum
	}
	h := sha256.New()
	h.Write(sum[:])
	fmt.Fprintf(h, "translation %q %v %q\n", t.Lang, t.Fallback, t.Langs)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Untranslated modes: what a load does with a page that has no version in
// its language.
const (
	ShowUntranslated = "show" // shows another language's version, marked Fallback
	OmitUntranslated = "omit" // leaves the page out
)

// langSet is what a load of a site in several languages needs to know of
// them; nil for a site in one.
type langSet struct {
	tags []string // canonical BCP 47 tags, the default first
	want string   // the language loaded
	omit bool     // leave out pages not written in want
}

// newLangSet reads the languages of the options: nil, nil for a site in
// one language.
func newLangSet(o Options) (*langSet, *diag.Problem) {
	if len(o.Languages) < 2 {
		return nil, nil
	}
	ls := &langSet{}
	for _, s := range o.Languages {
		t, err := language.Parse(s)
		if err != nil {
			return nil, diag.Errorf("site.toml", 0, 0, "%q is not a language tag", s).WithHint("write each language as a BCP 47 tag, such as en-GB or cy")
		}
		if ls.tag(t.String()) != "" {
			return nil, diag.Errorf("site.toml", 0, 0, "the language %s is given twice", t).WithHint("name each language once")
		}
		ls.tags = append(ls.tags, t.String())
	}
	ls.want = ls.tags[0]
	if o.Language != "" {
		t, err := language.Parse(o.Language)
		if ls.want = ls.tag(t.String()); err != nil || ls.want == "" {
			return nil, diag.Errorf("site.toml", 0, 0, "the language to build, %q, is not one of the site's languages (%s)", o.Language, strings.Join(ls.tags, ", ")).
				WithHint("add it to the languages, or build one of them")
		}
	}
	switch o.Untranslated {
	case "", ShowUntranslated:
	case OmitUntranslated:
		ls.omit = true
	default:
		return nil, diag.Errorf("site.toml", 0, 0, "untranslated pages can be shown or left out, not %q", o.Untranslated).
			WithHint("write %q or %q", ShowUntranslated, OmitUntranslated)
	}
	return ls, nil
}

// tag is the site's language s names, compared without case; "" when s
// names none.
func (ls *langSet) tag(s string) string {
	for _, t := range ls.tags {
		if strings.EqualFold(t, s) {
			return t
		}
	}
	return ""
}

// name is a file's name without its language: "_index.md" for
// "_index.cy.md"; the name as it is on a site in one language.
func (ls *langSet) name(base string) string {
	n, _ := ls.split(base)
	return n
}

// split takes the language out of a Markdown file's name or path,
// "content/stories/denis.cy.md" → "content/stories/denis.md", "cy"; a
// name without one is the default language's. Other files, and every
// file of a site in one language, keep their name, with no language.
func (ls *langSet) split(p string) (string, string) {
	ext := path.Ext(p)
	if ls == nil || !strings.EqualFold(ext, ".md") {
		return p, ""
	}
	stem := strings.TrimSuffix(p, ext)
	if i := strings.LastIndexByte(stem, '.'); i > strings.LastIndexByte(stem, '/') {
		if t := ls.tag(stem[i+1:]); t != "" {
			return stem[:i] + ext, t
		}
	}
	return p, ls.tags[0]
}

// untagged is a file's path without the language lang in its name, as
// split takes it out: the path of the page the file is a version of.
func untagged(p, lang string) string {
	if lang == "" {
		return p
	}
	ext := path.Ext(p)
	stem := strings.TrimSuffix(p, ext)
	if i := strings.LastIndexByte(stem, '.'); i > strings.LastIndexByte(stem, '/') && strings.EqualFold(stem[i+1:], lang) {
		return stem[:i] + ext
	}
	return p
}

// strayIndex says whether a file of a bundle's own folder is named like a
// version of its page but in no language of the site: index.fr.md.
func strayIndex(base string) bool {
	return strings.HasPrefix(base, "index.") && strings.EqualFold(path.Ext(base), ".md")
}

// version is the file of a page in a language not the default's:
// denis.cy.md for denis.md, index.cy.md in a bundle.
func version(page, lang string) string {
	ext := path.Ext(page)
	return strings.TrimSuffix(page, ext) + "." + lang + ext
}

// notHere is what a load left out for want of a version in its language
// (Untranslated "omit"), for packs that name it.
type notHere struct {
	lang  string
	items map[string]string // the keys a pack names an item by → the file its version would be
	packs map[string]string // the slugs of packs → likewise
}

// peeked is what choose reads of a version before it is loaded: its
// address and whether it is a draft.
type peeked struct {
	src   []byte // the file, when it could be read
	ok    bool   // its front matter could be read
	slug  string
	at    fm.Pos // where slug: is written; zero when the file's name gives it
	draft bool
}

// peek reads the front matter of an item's or a pack's file for its slug
// and draft; problems are left to the load that reads it in full.
func peek(fsys fs.FS, f file) peeked {
	def := Slug(f.stem())
	if f.bundle {
		def = Slug(path.Base(path.Dir(f.path)))
	}
	pk := peeked{slug: def}
	src, pr := readFile(fsys, f.path)
	if pr != nil {
		return pk
	}
	pk.src = src
	doc, err := fm.Parse(src)
	if err != nil || doc.Format == fm.None {
		return pk
	}
	d := &dec{file: f.path}
	sf := doc.Meta.Get("slug")
	pk.slug = d.slug(sf, def)
	if sf != nil && pk.slug == strings.TrimSpace(sf.Value.Str) {
		pk.at = sf.Value.Pos
	}
	pk.draft = d.boolean(doc.Meta.Get("draft"))
	pk.ok = true
	return pk
}

// choose picks, of the versions of each page in files, the one a load in
// ls.want reads, and gives it the page's Translation: the version in that
// language; when it has none (or only a draft), the default's, or else
// the first in the order of the languages, as a fallback; or, with omit,
// none. Untranslated are the files of the pages shown as fallbacks or
// left out, sorted. Two versions in one language, and versions that do not
// share one address, are errors.
func (ls *langSet) choose(fsys fs.FS, files []file, opts Options) (chosen []file, untranslated []string, away *notHere, probs []*diag.Problem) {
	type group struct {
		by  map[string]int // language → index in files
		all []int          // in the order of the languages, once found
	}
	type key struct {
		role role
		page string
	}
	groups := map[key]*group{}
	var order []key
	dup := map[int]*diag.Problem{}
	for i, f := range files {
		if f.role == roleUnknown {
			continue
		}
		k := key{f.role, f.pagePath()}
		g := groups[k]
		if g == nil {
			g = &group{by: map[string]int{}}
			groups[k] = g
			order = append(order, k)
		}
		j, seen := g.by[f.lang]
		if !seen {
			g.by[f.lang] = i
			continue
		}
		keep, drop := j, i
		if files[j].path != files[j].pagePath() && f.path == f.pagePath() {
			keep, drop = i, j // the file without a language in its name is the one
		}
		g.by[f.lang] = keep
		hint := "delete one of them, or merge them"
		if f.lang == ls.tags[0] {
			hint = fmt.Sprintf("a file without a language in its name is the %s version; %s", f.lang, hint)
		}
		dup[drop] = diag.Errorf(files[drop].path, 0, 0, "two %s versions of %s; keep one", f.lang, files[keep].path).WithHint("%s", hint)
	}
	// the versions of items and packs are peeked at when they are more
	// than one, or none is in the language loaded
	peeks := map[int]*peeked{}
	var todo []int
	for _, k := range order {
		g := groups[k]
		for _, t := range ls.tags {
			if i, ok := g.by[t]; ok {
				g.all = append(g.all, i)
			}
		}
		_, here := g.by[ls.want]
		if (k.role == roleItem || k.role == rolePack) && (len(g.all) > 1 || !here) {
			for _, i := range g.all {
				peeks[i] = &peeked{}
				todo = append(todo, i)
			}
		}
	}
	parallel(len(todo), func(n int) { *peeks[todo[n]] = peek(fsys, files[todo[n]]) })

	pick := map[int]Translation{}
	for _, k := range order {
		g := groups[k]
		var first *peeked
		var firstAt int
		var live []int // versions shown: not drafts, unless drafts are
		for _, i := range g.all {
			pk := peeks[i]
			if pk != nil && pk.ok && first == nil {
				first, firstAt = pk, i
			} else if pk != nil && pk.ok && pk.slug != first.slug {
				f, at := files[i], cmp.Or(pk.at, fm.Pos{Line: 1, Col: 1})
				pr := diag.Errorf(f.path, at.Line, at.Col, "the %s version is at %s but the %s version (%s) is at %s; translations share one address",
					f.lang, address(f, pk.slug), files[firstAt].lang, files[firstAt].path, address(f, first.slug)).
					WithHint("give every version the same slug:, or leave slug: out of them all")
				diag.AttachSources(pk.src, []*diag.Problem{pr})
				probs = append(probs, pr)
			}
			if pk == nil || !pk.ok || !pk.draft || opts.Drafts {
				live = append(live, i)
			}
		}
		tr := Translation{}
		has := live
		if len(has) == 0 {
			has = g.all
		}
		for _, i := range has {
			tr.Langs = append(tr.Langs, files[i].lang)
		}
		at := slices.IndexFunc(live, func(i int) bool { return files[i].lang == ls.want })
		switch {
		case at >= 0:
			pick[live[at]] = tr
		case len(live) == 0: // every version a draft, hidden as it is
			i := g.all[0]
			if j, ok := g.by[ls.want]; ok {
				i = j
			}
			tr.Fallback = files[i].lang != ls.want
			pick[i] = tr
		case !ls.omit:
			tr.Fallback = true
			pick[live[0]] = tr
			untranslated = append(untranslated, files[live[0]].path)
		default:
			f := files[live[0]]
			untranslated = append(untranslated, f.path)
			if away == nil {
				away = &notHere{lang: ls.want, items: map[string]string{}, packs: map[string]string{}}
			}
			slug := Slug(f.stem())
			if pk := peeks[live[0]]; pk != nil {
				slug = pk.slug
			}
			want := f.pagePath()
			if ls.want != ls.tags[0] {
				want = version(want, ls.want)
			}
			switch k.role {
			case roleItem:
				away.items[RefKey(f.pagePath())] = want
				away.items[f.section+"/"+slug] = want
			case rolePack:
				away.packs[slug] = want
			}
		}
	}
	for i, f := range files {
		if pr := dup[i]; pr != nil {
			f.role, f.problem = roleUnknown, pr
		}
		tr, ok := pick[i]
		if !ok && f.role != roleUnknown {
			continue
		}
		f.tr = tr
		f.tr.Lang = f.lang
		if pk := peeks[i]; pk != nil {
			f.src = pk.src
		}
		chosen = append(chosen, f)
	}
	slices.Sort(untranslated)
	return chosen, untranslated, away, probs
}

// address is the site path of an item or a pack with slug.
func address(f file, slug string) string {
	if f.role == rolePack {
		return "/" + PacksSection + "/" + slug + "/"
	}
	return "/" + f.section + "/" + slug + "/"
}

// parallel runs fn(0) … fn(n-1) on every processor.
func parallel(n int, fn func(int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(n, max(1, runtime.GOMAXPROCS(0))) {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
