package content

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/otpress/otpress/generator/internal/diag"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
	"github.com/otpress/otpress/generator/internal/vtt"
)

// Dir is the content folder inside a site.
const Dir = "content"

// StaticDir is the folder of files copied unchanged to the output.
const StaticDir = "static"

// Options control what Load includes.
type Options struct {
	Drafts bool // include items marked draft: true
	// Future includes scheduled items: those dated after Now, which a
	// build otherwise leaves out until a build on or after their date.
	Future bool
	// Expired includes expired items: those whose expires date is at or
	// before Now, which a build otherwise leaves out from that day.
	Expired bool
	Now     time.Time // the time of the build; zero means the clock's
	// Shelf, when set, keeps each item read for the next build, which
	// takes it instead of parsing the file again (keep.go).
	Shelf Shelf
	// Languages are the site's languages as BCP 47 tags, the default
	// first. With two or more, <stem>.<tag>.md is the version of
	// <stem>.md in that language, and a load reads one language (lang.go);
	// with fewer, file names have no language.
	Languages []string
	// Language is the language to load, one of Languages; "" for the
	// default.
	Language string
	// Untranslated is what becomes of a page with no version in Language:
	// "show" (or "") shows another language's, "omit" leaves it out.
	Untranslated string
}

// ready marks an item scheduled when it is dated after the build and
// expired when its expires date has come, and says whether the options
// show it.
func (o Options) ready(it *Item) bool {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	it.Scheduled = it.Date.After(now)
	it.Expired = !it.Expires.IsZero() && !it.Expires.After(now)
	return o.Shows(it)
}

// Shows says whether the options show an item: not a draft unless drafts
// are shown, not a scheduled item unless future items are, not an expired
// one unless expired items are.
func (o Options) Shows(it *Item) bool {
	return (!it.Draft || o.Drafts) && (!it.Scheduled || o.Future) && (!it.Expired || o.Expired)
}

// Load reads every page under content/ in fsys (rooted at the site folder),
// in parallel, and returns the library and every problem found. Items with
// errors are left out of the library; the caller decides whether to go on.
func Load(fsys fs.FS, opts Options) (*Library, []*diag.Problem) {
	return loadWith(fsys, opts, nil, nil, nil)
}

// LoadAgain is Load for a library read before: the items of files not in
// changed (slash paths under the site folder) are taken from before, as
// they are, without their problems, which were reported then; every other
// file is read again. A bundle whose files are not the ones it had is
// read again too, and the source list is before's. The folder is not
// walked again when every changed file was there before and still is. The
// items taken are shared by both libraries: neither may change them.
// A site in several languages is loaded again in full.
func LoadAgain(fsys fs.FS, opts Options, before *Library, changed map[string]bool) (*Library, []*diag.Problem) {
	if len(opts.Languages) > 1 {
		return Load(fsys, opts)
	}
	had := make(map[string]*Item, len(before.Items))
	for _, it := range before.Items {
		had[it.File] = it
	}
	var found *scanned
	if sc := before.scanned; sc != nil && !sc.langs && sc.holdsAll(fsys, changed) {
		found = sc
	}
	return loadWith(fsys, opts, before.Catalogue.listed(), found, func(f file) *Item {
		if it := had[f.path]; it != nil && it.Lang == "" && !changed[f.path] && slices.Equal(it.Assets, f.assets) {
			return it
		}
		return nil
	})
}

// scanned is what a walk of content/ found (scan), and every file's path.
type scanned struct {
	files []file
	loose []string
	paths map[string]bool
	langs bool // the walk was of a site in several languages
}

// holdsAll says whether every changed path (under the site folder) was
// found by the walk and is still a regular file, so a walk now would find
// the same.
func (sc *scanned) holdsAll(fsys fs.FS, changed map[string]bool) bool {
	for p := range changed {
		if !sc.paths[p] {
			return false
		}
		if fi, err := fs.Stat(fsys, p); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// loadWith is Load, taking what the folder holds from found and the source
// list from cat when they are not nil, and an item from reuse when it
// gives one.
func loadWith(fsys fs.FS, opts Options, cat *Catalogue, found *scanned, reuse func(file) *Item) (*Library, []*diag.Problem) {
	var probs []*diag.Problem
	ls, pr := newLangSet(opts)
	if pr != nil {
		return &Library{Sections: map[string]*SectionPage{}}, []*diag.Problem{pr}
	}
	if found == nil {
		files, loose, err := scan(fsys, ls)
		if err != nil {
			var pr *diag.Problem
			if !errors.As(err, &pr) {
				pr = diag.Errorf(Dir, 0, 0, "cannot read the content folder: %v", err).WithHint("make it readable, e.g. chmod a+rx %s, or ask whoever owns it", Dir)
			}
			return &Library{Sections: map[string]*SectionPage{}}, []*diag.Problem{pr}
		}
		found = &scanned{files: files, loose: loose, paths: map[string]bool{}, langs: ls != nil}
		for _, f := range files {
			found.paths[f.path] = true
			for _, a := range f.assets {
				found.paths[path.Dir(f.path)+"/"+a] = true
			}
		}
		for _, p := range loose {
			found.paths[p] = true
		}
	}
	files, loose := found.files, found.loose
	if cat == nil {
		var ps []*diag.Problem
		cat, ps = LoadCatalogue(fsys)
		probs = append(probs, ps...)
		if ls != nil && ls.want != ls.tags[0] {
			probs = append(probs, cat.inLanguage(fsys, ls.want)...)
		}
	}
	var untranslated []string
	var away *notHere
	if ls != nil {
		var ps []*diag.Problem
		files, untranslated, away, ps = ls.choose(fsys, files, opts)
		probs = append(probs, ps...)
	}
	type result struct {
		page    *Page
		item    *Item
		theme   *Theme
		section *SectionPage
		pack    *Pack
		name    string
		probs   []*diag.Problem
	}
	results := make([]result, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				f := files[i]
				r := &results[i]
				if f.role == roleUnknown {
					continue // reported below, never read
				}
				if f.role == roleItem && reuse != nil {
					if r.item = reuse(f); r.item != nil {
						continue
					}
				}
				src := f.src
				shelved := f.role == roleItem && opts.Shelf != nil
				if src == nil && !shelved {
					var pr *diag.Problem
					if src, pr = readFile(fsys, f.path); pr != nil {
						r.probs = []*diag.Problem{pr}
						continue
					}
				}
				switch {
				case shelved && src == nil:
					r.item, r.probs, src = loadShelved(fsys, f, cat, opts.Shelf)
				case shelved:
					r.item, r.probs = loadKept(fsys, f, src, sha256.Sum256(src), cat, opts.Shelf)
				case f.role == roleItem:
					r.item, r.probs = loadItem(fsys, f, src, cat)
				case f.role == roleTheme:
					r.theme, r.probs = loadTheme(f, src)
				case f.role == roleSection:
					r.section, r.probs = loadSection(f, src)
					r.name = f.section
				case f.role == rolePage:
					r.page, r.probs = loadPage(f, src)
				case f.role == rolePack:
					r.pack, r.probs = loadPack(f, src)
				}
				switch {
				case ls == nil:
				case r.item != nil:
					r.item.Translation, r.item.Sum = f.tr, f.tr.fold(r.item.Sum)
				case r.theme != nil:
					r.theme.Translation = f.tr
				case r.section != nil:
					r.section.Translation = f.tr
				case r.page != nil:
					r.page.Translation = f.tr
				case r.pack != nil:
					r.pack.Translation = f.tr
				}
				if src != nil { // else its problems were kept with their lines
					attachSource(src, f.path, r.probs)
				}
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()

	lib := &Library{Sections: map[string]*SectionPage{}, Loose: loose, Catalogue: cat, Untranslated: untranslated, scanned: found}
	for _, f := range files {
		if f.role == roleUnknown {
			probs = append(probs, f.problem)
		}
	}
	var hidden []*Item  // drafts, scheduled and expired items left out, which packs must not name
	var broken []string // files of items refused for their errors
	for i, r := range results {
		if r.item != nil && !opts.ready(r.item) {
			hidden = append(hidden, r.item)
			switch {
			case r.item.Draft && !opts.Drafts:
			case r.item.Expired && !opts.Expired:
				// gone from the site: its problems no longer matter to readers
				lib.Expired = append(lib.Expired, r.item)
			default:
				lib.Scheduled = append(lib.Scheduled, r.item)
				probs = append(probs, scheduledProblems(r.item, r.probs)...)
			}
			continue // a hidden item's problems do not block publishing the rest
		}
		if r.pack != nil && r.pack.Draft && !opts.Drafts {
			continue
		}
		probs = append(probs, r.probs...)
		if hasErrors(r.probs) {
			if f := files[i]; f.role == roleItem {
				broken = append(broken, f.pagePath())
			}
			continue
		}
		switch {
		case r.item != nil:
			lib.Items = append(lib.Items, r.item)
		case r.theme != nil:
			lib.Themes = append(lib.Themes, r.theme)
		case r.section != nil:
			lib.Sections[r.name] = r.section
		case r.page != nil:
			lib.Pages = append(lib.Pages, r.page)
		case r.pack != nil:
			lib.Packs = append(lib.Packs, r.pack)
		}
	}
	SortItems(lib.Items)
	slices.SortFunc(lib.Scheduled, func(a, b *Item) int { // the next to appear first
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Path, b.Path))
	})
	slices.SortFunc(lib.Expired, func(a, b *Item) int { // the latest to go first
		return cmp.Or(b.Expires.Compare(a.Expires), cmp.Compare(a.Path, b.Path))
	})
	lib.Catalogue, _ = cat.Rebuild(lib.Items)
	slices.SortFunc(lib.Themes, func(a, b *Theme) int { return cmp.Compare(a.Slug, b.Slug) })
	slices.SortFunc(lib.Pages, func(a, b *Page) int { return cmp.Compare(a.Path, b.Path) })
	slices.SortFunc(lib.Packs, func(a, b *Pack) int { return cmp.Compare(a.Path, b.Path) })
	probs = append(probs, checkPaths(lib)...)
	probs = append(probs, resolvePacks(lib, hidden, broken, away)...)
	probs = append(probs, featuredPack(lib, away)...)
	return lib, probs
}

// knownTranscript says whether a transcript file is of a format otpress
// reads.
func knownTranscript(name string) bool {
	_, ok := vtt.FormatOf(name)
	return ok
}

// scheduledProblems are the problems of an item left out because it is
// scheduled: they stop nothing today, so errors come as warnings, which
// say that the build on its day will stop on them.
func scheduledProblems(it *Item, ps []*diag.Problem) []*diag.Problem {
	for _, p := range ps {
		if p.Severity == diag.Error {
			p.Severity = diag.Warning
			when := fmt.Sprintf("fix this before %s: the item is scheduled for then, and this error will stop the first build that publishes it", it.Date.Format("2 January 2006"))
			if p.Hint != "" {
				when = p.Hint + "; " + when
			}
			p.Hint = when
		}
	}
	return ps
}

func hasErrors(ps []*diag.Problem) bool {
	return slices.ContainsFunc(ps, func(p *diag.Problem) bool { return p.Severity == diag.Error })
}

type role uint8

const (
	roleUnknown role = iota
	roleItem
	roleTheme
	roleSection
	rolePage
	rolePack
)

type file struct {
	path string // "content/stories/denis/index.md"
	// On a site in several languages: page is the path of the page the
	// file is a version of, path without the language in its name
	// ("content/stories/denis/index.md" for index.cy.md), and lang the
	// file's language; tr and src are set by choose for the version to
	// load (the file's bytes when it has read them).
	page    string
	lang    string
	tr      Translation
	src     []byte
	role    role
	kind    Kind
	section string
	bundle  bool
	assets  []string // for bundles, relative to the bundle folder
	problem *diag.Problem
}

// scan lists the Markdown pages under content/ and the files that belong to
// no page. A folder holding index.md is a bundle: its other files are the
// page's assets. On a site in several languages (ls not nil), a page's
// file may have a language in its name (index.cy.md), and a bundle's
// index.*.md files are never its assets.
func scan(fsys fs.FS, ls *langSet) (pages []file, loose []string, err error) {
	if fi, err := fs.Lstat(fsys, Dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if pr, _ := CheckLink(fsys, Dir); pr != nil {
			return nil, nil, pr
		}
	}
	var all []string
	var links []file // symbolic links that are not followed and folders that cannot be read, with their problems
	err = fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			if d != nil && d.IsDir() && p != Dir {
				// the rest of content/ is read, and every such folder named
				links = append(links, file{path: p, role: roleUnknown, problem: diag.Errorf(p, 0, 0, "cannot read this folder: %v", errors.Unwrap(err)).
					WithHint("make it readable, e.g. chmod a+rx %s, or ask whoever owns it", p)})
				return fs.SkipDir
			}
			return err
		}
		name := d.Name()
		if p != Dir && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // editor and system files
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if pr, skip := linkEntry(fsys, p); skip {
				links = append(links, file{path: p, role: roleUnknown, problem: pr})
				return nil
			}
		}
		if !d.IsDir() {
			all = append(all, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	pages = append(pages, links...)
	bundles := map[string]*file{}
	for _, p := range all {
		parts := strings.Split(p, "/")
		if _, isKind := KindOfSection(parts[1]); isKind && ls.name(path.Base(p)) == "index.md" && len(parts) >= 4 {
			bundles[path.Dir(p)] = nil // bundles exist only in item sections
		}
	}
	var bundleOf = func(p string) string {
		for d := path.Dir(p); d != Dir && d != "."; d = path.Dir(d) {
			if _, ok := bundles[d]; ok {
				return d
			}
		}
		return ""
	}
	byBundle := map[string][]int{}
	for _, p := range all {
		parts := strings.Split(p, "/") // content, section, ...
		isMD := strings.EqualFold(path.Ext(p), ".md")
		name := ls.name(path.Base(p)) // without its language
		b := bundleOf(p)
		switch {
		case b != "" && name == "index.md" && path.Dir(p) == b:
			k, ok := KindOfSection(parts[1])
			if !ok {
				pages = append(pages, unknownSection(p, parts[1]))
				continue
			}
			byBundle[b] = append(byBundle[b], len(pages))
			pages = append(pages, file{path: p, role: roleItem, kind: k, section: parts[1], bundle: true})
		case b != "" && ls != nil && path.Dir(p) == b && strayIndex(path.Base(p)):
			pages = append(pages, file{path: p, role: roleUnknown, problem: diag.Warnf(p, 0, 0, "this file is named as a version of the page, but not in one of the site's languages (%s), so it is ignored", strings.Join(ls.tags, ", ")).
				WithHint("name it index.<language>.md with one of them, or give it a name that does not start with index.")})
		case b != "":
			// an asset of a bundle; attached below
		case !isMD:
			loose = append(loose, p)
		case len(parts) == 2 && name == "_index.md":
			pages = append(pages, file{path: p, role: roleSection, section: ""})
		case len(parts) == 2:
			pages = append(pages, file{path: p, role: roleUnknown, problem: diag.Warnf(p, 0, 0, "this page is not in a section folder and is ignored").
				WithHint("move it into content/stories/, content/episodes/ or content/features/; the home page text goes in content/_index.md")})
		case len(parts) == 3 && parts[1] == PacksSection && name == "_index.md":
			pages = append(pages, file{path: p, role: roleSection, section: PacksSection}) // the introduction of /packs/
		case parts[1] == PagesSection || parts[1] == ThemesSection || parts[1] == PacksSection:
			// flat folders: one file per page, no bundles or sub-folders
			r := map[string]role{PagesSection: rolePage, ThemesSection: roleTheme, PacksSection: rolePack}[parts[1]]
			if len(parts) != 3 || name == "_index.md" {
				pages = append(pages, file{path: p, role: roleUnknown, problem: diag.Warnf(p, 0, 0, "content/%s/ holds single files, one per page; this file is ignored", parts[1]).
					WithHint("write content/%s/<slug>.md", parts[1])})
				continue
			}
			pages = append(pages, file{path: p, role: r})
		case name == "_index.md" && len(parts) == 3:
			if _, ok := KindOfSection(parts[1]); !ok {
				pages = append(pages, unknownSection(p, parts[1]))
				continue
			}
			pages = append(pages, file{path: p, role: roleSection, section: parts[1]})
		default:
			k, ok := KindOfSection(parts[1])
			if !ok {
				pages = append(pages, unknownSection(p, parts[1]))
				continue
			}
			pages = append(pages, file{path: p, role: roleItem, kind: k, section: parts[1]})
		}
	}
	for _, p := range all {
		b := bundleOf(p)
		if b == "" || p == b+"/index.md" || ls != nil && path.Dir(p) == b && strayIndex(path.Base(p)) {
			continue
		}
		for _, i := range byBundle[b] {
			pages[i].assets = append(pages[i].assets, strings.TrimPrefix(p, b+"/"))
		}
	}
	if ls != nil {
		for i := range pages {
			if pages[i].role != roleUnknown {
				pages[i].page, pages[i].lang = ls.split(pages[i].path)
			}
		}
	}
	return pages, loose, nil
}

// pagePath is the path of the page f is a version of: its own path on a
// site in one language.
func (f file) pagePath() string { return cmp.Or(f.page, f.path) }

// stem is the page's file name without its extension or language:
// "denis" for denis.cy.md.
func (f file) stem() string {
	p := f.pagePath()
	return strings.TrimSuffix(path.Base(p), path.Ext(p))
}

func unknownSection(p, section string) file {
	pr := diag.Warnf(p, 0, 0, "%q is not a section otpress knows, so this page is ignored", section)
	if near := diag.Nearest(section, []string{"stories", "episodes", "features", "themes", "packs"}); near != "" {
		pr.WithHint("did you mean content/%s/?", near)
	} else {
		pr.WithHint("sections are content/stories/, content/episodes/, content/features/, content/themes/, content/packs/ and content/pages/")
	}
	return file{path: p, role: roleUnknown, problem: pr}
}

func parse(f file, src []byte) (*fm.Doc, *dec) {
	d := &dec{file: f.path}
	doc, err := fm.Parse(src)
	if err != nil {
		var fe *fm.Error
		if errors.As(err, &fe) {
			d.errAt(fe.Pos, fe.Hint, "%s", fe.Msg)
		} else {
			d.errAt(fm.Pos{Line: 1, Col: 1}, "", "%v", err)
		}
		return nil, d
	}
	if doc.Format == fm.None && len(bytes.TrimSpace(doc.Body)) == 0 {
		d.errAt(fm.Pos{Line: 1, Col: 1}, "write a line ---, then title: and date: lines, then another line --- and the text; or delete the file", "the file is empty")
		return nil, d
	}
	if doc.Format == fm.None {
		d.errAt(fm.Pos{Line: 1, Col: 1}, "start the file with a line ---, then title: and date: lines, then another line ---", "the page has no front matter")
		return nil, d
	}
	return doc, d
}

func loadItem(fsys fs.FS, f file, src []byte, cat *Catalogue) (*Item, []*diag.Problem) {
	doc, d := parse(f, src)
	if doc == nil {
		return nil, d.probs
	}
	m := doc.Meta
	it := &Item{
		Kind:     f.kind,
		File:     f.path,
		Bundle:   f.bundle,
		Body:     doc.Body,
		BodyLine: doc.BodyLine,
		Assets:   f.assets,
	}
	if f.bundle {
		it.Dir = path.Dir(f.path)
		it.Slug = path.Base(it.Dir)
	} else {
		it.Dir = path.Dir(f.path)
		it.Slug = f.stem()
	}
	it.Slug = Slug(it.Slug)
	known := KnownKeys(string(f.kind))
	d.unknown(m, known, "")

	it.Title = d.required(m, "title", "Denis walks to his kitchen again", doc.BodyLine)
	if df := m.Get("date"); df == nil {
		d.errAt(fm.Pos{Line: 1, Col: 1}, "add a line such as date: 2019-04-01", "date is missing")
	} else {
		it.Date, it.DateOnly, _ = d.date(df)
	}
	if ef := m.Get("expires"); ef != nil {
		if t, _, ok := d.date(ef); ok {
			if !it.Date.IsZero() && !t.After(it.Date) {
				d.errAt(ef.Value.Pos, "expires is the day the page leaves the site, so it must come after date; remove it to keep the page", "expires %s is not after date %s, so the page would never be published", t.Format(time.DateOnly), it.Date.Format(time.DateOnly))
			} else {
				it.Expires = t
			}
		}
	}
	if uf := m.Get("updated"); uf != nil {
		if t, _, ok := d.date(uf); ok {
			if !it.Date.IsZero() && t.Before(it.Date) {
				d.errAt(uf.Value.Pos, "updated is when the page last changed in a way readers should know; it cannot come before date", "updated %s is before date %s", t.Format(time.DateOnly), it.Date.Format(time.DateOnly))
			} else {
				it.Updated = t
			}
		}
	}
	it.Summary = d.text(m.Get("summary"))
	themes, tags := m.Get("themes"), m.Get("tags")
	if themes != nil && tags != nil {
		d.errAt(tags.KeyPos, "move the entries into themes and remove tags", "both themes and tags are given; tags is another name for themes")
	}
	it.Themes = d.themeRefs(cmp.Or(themes, tags))
	it.Draft = d.boolean(m.Get("draft"))
	it.Slug = d.slug(m.Get("slug"), it.Slug)
	if sf := m.Get("slug"); sf != nil && it.Slug == strings.TrimSpace(sf.Value.Str) {
		it.SlugPos = sf.Value.Pos
	}
	if it.Slug == "" {
		d.errAt(fm.Pos{Line: 1, Col: 1}, "rename the file using letters or digits, or add slug: my-page", "the file name gives an empty address")
	}
	it.Path = "/" + f.section + "/" + it.Slug + "/"
	for _, a := range d.refs(m.Get("aliases")) {
		p, hint := cleanSitePath(a.Name)
		if hint != "" {
			d.errAt(a.Pos, hint, "alias %q is not a site address", a.Name)
			continue
		}
		if p == it.Path {
			d.errAt(a.Pos, "remove the alias: an alias is an old address that leads to the page, and a page at its own address would send readers round in a circle", "alias %s is the page's own address", p)
			continue
		}
		it.Aliases = append(it.Aliases, p)
		it.AliasPos = append(it.AliasPos, a.Pos)
	}
	it.Authors = d.texts(m.Get("authors"))
	if imf := m.Get("image"); imf != nil {
		it.Image = d.image(fsys, it, imf)
	}
	it.Sources = d.sources(m.Get("sources"), cat)

	switch f.kind {
	case Story:
		s := &StoryFields{
			Person:   d.text(m.Get("person")),
			Setting:  d.text(m.Get("setting")),
			Goals:    d.texts(m.Get("goals")),
			Steps:    d.texts(m.Get("steps")),
			Outcomes: d.outcomes(m.Get("outcomes")),
		}
		it.Story = s
	case Episode:
		it.Episode = d.episode(fsys, it, m)
	case Feature:
		d.checkFeatureSource(it, m)
	}
	return it, d.probs
}

// cleanSitePath turns "old/denis", "/old/denis/" or "/old/denis/index.html"
// into "/old/denis/", keeps an old page file such as "/news/denis.html" as
// it is, or says how to write s as an address on the site.
func cleanSitePath(s string) (string, string) {
	const example = "write an address on this site, such as /old/denis/"
	if strings.Contains(s, "://") || strings.HasPrefix(s, "//") {
		return "", example + ", not a web address"
	}
	for _, seg := range strings.Split(s, "/") {
		if seg == "." || seg == ".." {
			return "", example + ", from the site's root and without . or .. parts"
		}
		for _, r := range seg {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.~", r)) {
				return "", fmt.Sprintf("%s: use letters, digits, hyphens, underscores and full stops between the slashes, not %q", example, r)
			}
		}
	}
	p := path.Clean("/" + s)
	switch ext := strings.ToLower(path.Ext(p)); {
	case path.Base(strings.ToLower(p)) == "index"+ext && (ext == ".html" || ext == ".htm"):
		p = path.Dir(p) // a folder's index page is the folder's address
	case ext == ".html" || ext == ".htm":
		return p, "" // an old page file, such as /news/denis.html: the alias page is that file
	}
	if p == "/" {
		return "", example + "; the home page cannot be an alias"
	}
	return p + "/", ""
}

// resolve finds a file named in front matter. A relative name is looked up
// next to the page (in the bundle, or in the page's folder); a name starting
// with / is looked up under static/ and then content/. It returns the site
// path and the file's path in fsys.
func resolve(fsys fs.FS, it *Item, src string) (sitePath, fsPath string, ok bool) {
	if strings.HasPrefix(src, "/") {
		for _, root := range []string{StaticDir, Dir} {
			p := path.Join(root, src)
			if fi, err := fs.Stat(fsys, p); err == nil && !fi.IsDir() {
				return path.Clean(src), p, true
			}
		}
		return "", "", false
	}
	p := path.Join(it.Dir, src)
	if !strings.HasPrefix(p, it.Dir+"/") {
		return "", "", false // climbs out of the page's folder
	}
	fi, err := fs.Stat(fsys, p)
	if err != nil || fi.IsDir() {
		return "", "", false
	}
	if it.Bundle {
		return it.Path + strings.TrimPrefix(p, it.Dir+"/"), p, true
	}
	return "/" + strings.TrimPrefix(p, Dir+"/"), p, true
}

// MaxImageBytes is the size above which a picture is reported as too
// large: a page's pictures are most of what a phone downloads.
const MaxImageBytes = 1 << 20

func isRemote(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (d *dec) notFound(p fm.Pos, what, src string, it *Item) {
	if outside(it, src) {
		d.errAt(p, fmt.Sprintf("put the file in %s, next to the page, and name it without ../", it.Dir), "%s %q leads outside the page's folder", what, src)
		return
	}
	where := path.Join(it.Dir, src)
	if strings.HasPrefix(src, "/") {
		where = path.Join(StaticDir, src)
	}
	d.errAt(p, fmt.Sprintf("put the file at %s, or correct the name", where), "%s %q was not found", what, src)
}

// outside reports whether a file named relative to a page climbs out of
// its folder (../../../etc/passwd), which resolve refuses.
func outside(it *Item, src string) bool {
	return !strings.HasPrefix(src, "/") && !strings.HasPrefix(path.Join(it.Dir, src), it.Dir+"/")
}

// focusRE is a picture's focus as written: "30% 40%".
var focusRE = regexp.MustCompile(`^\s*(\d{1,3})%\s+(\d{1,3})%\s*$`)

func (d *dec) image(fsys fs.FS, it *Item, f *fm.Field) *Image {
	if f.Value.Kind != fm.Map {
		d.errAt(f.Value.Pos, "write image: {src: photo.jpg, alt: \"what the picture shows\"}", "image must have src and alt, not %s", describe(f.Value))
		return nil
	}
	d.unknown(f.Value, imageKeys, " in image")
	img := &Image{Src: d.text(f.Value.Get("src")), Alt: d.text(f.Value.Get("alt"))}
	if sf := f.Value.Get("src"); sf != nil {
		img.Line, img.Col = sf.Value.Pos.Line, sf.Value.Pos.Col
	}
	if img.Src == "" {
		d.errAt(f.Value.Pos, "add src: with the picture's file name", "image has no src")
		return nil
	}
	if ff := f.Value.Get("focus"); ff != nil {
		if m := focusRE.FindStringSubmatch(d.text(ff)); m != nil {
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			if x <= 100 && y <= 100 {
				img.Focus = fmt.Sprintf("%d%% %d%%", x, y)
			}
		}
		if img.Focus == "" {
			d.errAt(ff.Value.Pos, `write two percentages, across then down: focus: "30% 40%" (0% 0% is the top left corner, 50% 50% the centre)`, "focus %q is not a point of the picture", d.text(ff))
		}
	}
	if f.Value.Get("alt") == nil {
		d.errAt(f.Value.Pos, "describe what the picture shows for people who cannot see it: alt: \"Denis standing at his kitchen door\"; use alt: \"\" only for a purely decorative picture", "image has no alt text")
	}
	if isRemote(img.Src) {
		img.Path = img.Src
		return img
	}
	sp, fp, ok := resolve(fsys, it, img.Src)
	if !ok {
		d.notFound(f.Value.Get("src").Value.Pos, "image", img.Src, it)
		return nil
	}
	img.Path = sp
	w, h, sizeErr := PictureSize(fsys, fp)
	if sizeErr != nil {
		d.warnAt(f.Value.Get("src").Value.Pos, "save it again as JPEG, PNG, WebP or SVG",
			"the picture %q will show broken in most browsers: %v", img.Src, sizeErr)
	} else {
		img.Width, img.Height = w, h
	}
	// a JPEG or PNG that can be read is published at several widths
	// (site/pictures.go), so its size is no reader's burden; anything else
	// is published as it is
	resized := sizeErr == nil && w > 0 && slices.Contains([]string{".jpg", ".jpeg", ".png"}, strings.ToLower(path.Ext(fp)))
	if fi, err := fs.Stat(fsys, fp); err == nil && fi.Size() > MaxImageBytes && !resized {
		d.warnAt(f.Value.Get("src").Value.Pos, "resize it to the largest width it is shown at (about 1600 pixels) and save it as JPEG or WebP",
			"the picture %q is %.1f MB, too large for readers on phones and slow connections (over %d MB)", img.Src, float64(fi.Size())/(1<<20), MaxImageBytes>>20)
	}
	if strings.EqualFold(img.Alt, path.Base(img.Src)) {
		d.warnAt(f.Value.Get("alt").Value.Pos, "describe what the picture shows", "the alt text is the file name")
	}
	return img
}

func (d *dec) episode(fsys fs.FS, it *Item, m *fm.Value) *EpisodeFields {
	e := &EpisodeFields{
		GUID:   d.text(m.Get("guid")),
		Number: d.integer(m.Get("episode"), 0),
		Season: d.integer(m.Get("season"), 1),
		Hosts:  d.people(m.Get("hosts")),
		Guests: d.people(m.Get("guests")),
	}
	if f := m.Get("duration"); f != nil {
		s := d.text(f)
		dur, ok := parseDuration(s)
		if !ok {
			d.errAt(f.Value.Pos, "write hours, minutes and seconds as HH:MM:SS, e.g. duration: \"00:42:10\"", "duration %q is not a length of time", s)
		}
		e.Duration = dur
	}
	if f := m.Get("audio"); f != nil {
		e.Audio = d.audio(fsys, it, f)
	}
	var cues []vtt.Cue // the transcript, read: kept as Paragraphs
	if f := m.Get("transcript"); f != nil {
		src := d.text(f)
		sp, fp, ok := resolve(fsys, it, src)
		switch {
		case src == "":
			d.errAt(f.Value.Pos, "name the WebVTT file next to the page, e.g. transcript: transcript.vtt", "transcript is empty")
		case outside(it, src):
			d.notFound(f.Value.Pos, "transcript", src, it)
		case !knownTranscript(src):
			d.errAt(f.Value.Pos, "give the transcript as a WebVTT (.vtt), SubRip (.srt) or Podcasting 2.0 JSON (.json) file; editing and hosting tools export one of these", "transcript %q is not a WebVTT, SRT or JSON transcript", src)
		case !ok:
			d.notFound(f.Value.Pos, "transcript", src, it)
		default:
			format, _ := vtt.FormatOf(src)
			e.Transcript, e.TranscriptType = sp, string(format)
			b, pr := readFile(fsys, fp)
			if pr != nil {
				d.probs = append(d.probs, pr)
				break
			}
			var probs []vtt.Problem
			cues, probs = vtt.ParseAs(format, b)
			for _, p := range probs {
				report := diag.Errorf
				if p.Warning {
					report = diag.Warnf
				}
				d.probs = append(d.probs, report(fp, p.Line, p.Col, "%s", p.Msg).WithHint("%s", p.Hint))
			}
		}
	}
	if f := m.Get("chapters"); f != nil {
		e.Chapters, e.ChaptersFile = d.chapters(fsys, it, f)
		if n := len(e.Chapters); n > 0 && e.Duration > 0 && e.Chapters[n-1].Start >= e.Duration {
			d.errAt(f.Value.Pos, "check the chapter times against duration", "the last chapter starts at %s, after the episode ends (%s)", vtt.Clock(e.Chapters[n-1].Start), vtt.Clock(e.Duration))
		}
	}
	var breaks []time.Duration
	for _, c := range e.Chapters {
		breaks = append(breaks, c.Start)
	}
	e.Paragraphs = vtt.Paragraphs(cues, vtt.ParagraphWords, breaks...)
	if e.Duration > 0 && len(cues) > 0 {
		last := cues[len(cues)-1].End
		words := 0
		for _, c := range cues {
			words += c.Words()
		}
		tf := m.Get("transcript")
		switch {
		case last > e.Duration+30*time.Second:
			d.warnAt(tf.Value.Pos, "check duration and the transcript's last cue; one of them is wrong", "the transcript runs to %s but the episode is %s long", vtt.Clock(last), vtt.Clock(e.Duration))
		case float64(words)/e.Duration.Minutes() < 50:
			d.warnAt(tf.Value.Pos, "a full transcript of speech has well over 100 words a minute; check that the whole episode is transcribed", "the transcript has %d words for %s of audio (%.0f a minute), which suggests parts are missing", words, vtt.Clock(e.Duration), float64(words)/e.Duration.Minutes())
		}
	}
	if e.Audio != nil && m.Get("transcript") == nil { // a transcript named wrongly has its own error
		p := m.Get("audio").KeyPos
		d.errAt(p, "add transcript: transcript.vtt with a WebVTT, SubRip (.srt) or Podcasting 2.0 JSON file next to the page, so people who cannot hear the audio can read it", "the episode has audio but no transcript")
	}
	if a := e.Audio; a != nil {
		af := m.Get("audio")
		if e.Duration == 0 && m.Get("duration") == nil {
			d.warnAt(af.KeyPos, `add duration: "00:42:10" (hours, minutes, seconds): podcast apps show it, and the page says it in words`, "the episode has audio but no duration")
		}
		if a.Type != "audio/mpeg" && a.Type != "audio/mp4" && a.Type != "audio/aac" && a.Type != "audio/x-m4a" {
			d.warnAt(af.Value.Pos, "publish an MP3 or AAC (.m4a) copy for the podcast feed", "Apple Podcasts and many podcast apps cannot play %s audio", a.Type)
		}
	}
	if tf := m.Get("title"); tf != nil && e.Number > 0 && episodeInTitle.MatchString(it.Title) {
		d.warnAt(tf.Value.Pos, "podcast apps show the number from episode: already; leave it out of the title", "the title starts with the episode number")
	}
	if e.Audio == nil && m.Get("audio") == nil {
		d.warnAt(fm.Pos{Line: 1, Col: 1}, "add audio: episode.mp3 with the sound file next to the page", "the episode has no audio")
	}
	return e
}

// episodeInTitle matches titles that start with their number, which Apple
// asks podcasts not to do: "Episode 72: …", "Ep. 72 –", "#72".
var episodeInTitle = regexp.MustCompile(`(?i)^\s*(ep(isode)?\.?\s*#?\d+|#\d+)\b`)

func (d *dec) audio(fsys fs.FS, it *Item, f *fm.Field) *Audio {
	a := &Audio{}
	var srcPos fm.Pos
	switch f.Value.Kind {
	case fm.String:
		a.Src, srcPos = strings.TrimSpace(f.Value.Str), f.Value.Pos
	case fm.Map:
		d.unknown(f.Value, audioKeys, " in audio")
		if sf := f.Value.Get("src"); sf != nil {
			a.Src, srcPos = d.text(sf), sf.Value.Pos
		}
		a.Type = d.text(f.Value.Get("type"))
		if bf := f.Value.Get("bytes"); bf != nil {
			a.Bytes = int64(d.integer(bf, 1))
		}
	default:
		d.errAt(f.Value.Pos, "write audio: episode.mp3, or audio: {src: https://..., type: audio/mpeg, bytes: 1234567} for a file elsewhere", "audio must be a file name or a set of fields, not %s", describe(f.Value))
		return nil
	}
	if a.Src == "" {
		d.errAt(f.Value.Pos, "name the sound file, e.g. audio: episode.mp3", "audio has no file")
		return nil
	}
	if isRemote(a.Src) {
		a.Path = a.Src
		if a.Type == "" || a.Bytes == 0 {
			d.errAt(f.Value.Pos, "podcast apps need the size and type of a remote file: audio: {src: "+a.Src+", type: audio/mpeg, bytes: 26000000}", "remote audio needs type and bytes")
			return nil
		}
		return a
	}
	sp, fp, ok := resolve(fsys, it, a.Src)
	if !ok {
		d.notFound(srcPos, "audio file", a.Src, it)
		return nil
	}
	a.Path = sp
	if a.Type == "" {
		a.Type = AudioType(a.Src)
	}
	if a.Type == "" {
		d.errAt(srcPos, "use an MP3 (.mp3) or AAC (.m4a) file, or give type: audio/...", "cannot tell the audio format of %q", a.Src)
	}
	if fi, err := fs.Stat(fsys, fp); err == nil {
		a.Bytes = fi.Size()
	}
	return a
}

func loadTheme(f file, src []byte) (*Theme, []*diag.Problem) {
	doc, d := parse(f, src)
	if doc == nil {
		return nil, d.probs
	}
	m := doc.Meta
	d.unknown(m, themeKeys, "")
	th := &Theme{
		File:     f.path,
		Slug:     Slug(f.stem()),
		Body:     doc.Body,
		BodyLine: doc.BodyLine,
	}
	th.Title = d.required(m, "title", "Co-production", doc.BodyLine)
	th.Summary = d.text(m.Get("summary"))
	th.Aliases = d.refs(m.Get("aliases"))
	if bf := m.Get("broader"); bf != nil {
		if s := d.text(bf); s != "" {
			th.Broader = &Ref{Name: s, Pos: bf.Value.Pos}
		}
	}
	if th.Slug == "" {
		d.errAt(fm.Pos{Line: 1, Col: 1}, "name the file after the theme, e.g. content/themes/co-production.md", "the file name gives an empty address")
	}
	return th, d.probs
}

func loadPage(f file, src []byte) (*Page, []*diag.Problem) {
	doc, d := parse(f, src)
	if doc == nil {
		return nil, d.probs
	}
	d.unknown(doc.Meta, sectionKeys, "")
	pg := &Page{
		File:     f.path,
		Slug:     Slug(f.stem()),
		Title:    d.required(doc.Meta, "title", "Accessibility statement", doc.BodyLine),
		Summary:  d.text(doc.Meta.Get("summary")),
		Body:     doc.Body,
		BodyLine: doc.BodyLine,
	}
	pg.Path = "/" + pg.Slug + "/"
	if pg.Slug == "" {
		d.errAt(fm.Pos{Line: 1, Col: 1}, "name the file with letters or digits, e.g. content/pages/accessibility.md", "the file name gives an empty address")
	}
	return pg, d.probs
}

func loadSection(f file, src []byte) (*SectionPage, []*diag.Problem) {
	doc, d := parse(f, src)
	if doc == nil {
		return nil, d.probs
	}
	keys := sectionKeys
	if f.section == "" {
		keys = homeKeys
	}
	d.unknown(doc.Meta, keys, "")
	sp := &SectionPage{
		File:     f.path,
		Title:    d.text(doc.Meta.Get("title")),
		Summary:  d.text(doc.Meta.Get("summary")),
		Body:     doc.Body,
		BodyLine: doc.BodyLine,
		src:      src,
	}
	if r := d.refs(doc.Meta.Get("featured_pack")); len(r) > 0 {
		sp.Featured = &r[0]
	}
	return sp, d.probs
}

// featuredPack checks that the home page's featured_pack names a pack;
// one left out for want of a version in the language loaded (away) is a
// warning, and the home page offers the first pack.
func featuredPack(lib *Library, away *notHere) []*diag.Problem {
	home := lib.Sections[""]
	if home == nil || home.Featured == nil {
		return nil
	}
	ref := home.Featured
	var slugs []string
	for _, pk := range lib.Packs {
		if pk.Slug == ref.Name {
			return nil
		}
		slugs = append(slugs, pk.Slug)
	}
	if away != nil && away.packs[ref.Name] != "" {
		p := diag.Warnf(home.File, ref.Pos.Line, ref.Pos.Col, "featured_pack names %q, which is not written in %s, so the home page offers the first pack", ref.Name, away.lang).
			WithHint("write its %s version, %s, or name a pack that is", away.lang, away.packs[ref.Name])
		diag.AttachSources(home.src, []*diag.Problem{p})
		return []*diag.Problem{p}
	}
	hint := "start one with: generator new pack \"Title\", or remove featured_pack"
	if len(slugs) > 0 {
		hint = "name one of the site's packs by its file name: " + strings.Join(nearestN(ref.Name, slugs, 3), ", ")
	}
	p := diag.Errorf(home.File, ref.Pos.Line, ref.Pos.Col, "featured_pack names %q, but the site has no published pack of that name", ref.Name).WithHint("%s", hint)
	diag.AttachSources(home.src, []*diag.Problem{p})
	return []*diag.Problem{p}
}

// checkPaths reports two pages, or a page and an alias, that want one address.
func checkPaths(lib *Library) []*diag.Problem {
	var probs []*diag.Problem
	owner := map[string]string{}
	for _, section := range []string{Story.Section(), Episode.Section(), Feature.Section(), ThemesSection, PacksSection, "css", "page"} {
		owner["/"+section+"/"] = "the " + section + " section"
	}
	owner["/search/"] = "the search page"
	owner["/"+PacksSection+"/mine/"] = "the page of the reader's own pack"
	for _, pg := range lib.Pages {
		if prev, ok := owner[pg.Path]; ok {
			probs = append(probs, diag.Errorf(pg.File, 1, 1, "this page and %s both want the address %s", prev, pg.Path).
				WithHint("rename the file"))
			continue
		}
		owner[pg.Path] = pg.File
	}
	for _, th := range lib.Themes {
		owner["/themes/"+th.Slug+"/"] = th.File
	}
	for _, pk := range lib.Packs {
		if prev, ok := owner[pk.Path]; ok {
			probs = append(probs, diag.Errorf(pk.File, 1, 1, "this pack and %s both want the address %s", prev, pk.Path).
				WithHint("give one of them another file name or a slug: line"))
			continue
		}
		owner[pk.Path] = pk.File
	}
	items := slices.Clone(lib.Items)
	slices.SortFunc(items, func(a, b *Item) int { return cmp.Compare(a.File, b.File) })
	for _, it := range items {
		if prev, ok := owner[it.Path]; ok {
			at := cmp.Or(it.SlugPos, fm.Pos{Line: 1, Col: 1}) // the slug: line, or the file's name
			probs = append(probs, diag.Errorf(it.File, at.Line, at.Col, "this page and %s both want the address %s", prev, it.Path).
				WithHint("give one of them another file name or a slug: line"))
			continue
		}
		owner[it.Path] = it.File
	}
	for _, it := range items {
		for i, a := range it.Aliases {
			at := fm.Pos{Line: 1, Col: 1}
			if i < len(it.AliasPos) {
				at = it.AliasPos[i]
			}
			if prev, ok := owner[a]; ok {
				pr := diag.Errorf(it.File, at.Line, at.Col, "alias %s is already the address of %s", a, prev).
					WithHint("remove the alias or choose another address")
				if prev == it.File {
					pr = diag.Errorf(it.File, at.Line, at.Col, "alias %s is given twice", a).WithHint("remove one of them")
				}
				probs = append(probs, pr)
				continue
			}
			owner[a] = it.File
		}
	}
	return probs
}

// Reload reads one item's file again, as Load would: for the preview, which
// rebuilds a page whose text changed without loading every other file.
// Bundle assets are those old had; sources are looked up in cat, the
// library's (a work written inline that cat does not have is left
// without an id until Catalogue.Rebuild). An item that opts now hide (a
// draft, or scheduled) comes back without its problems, as Load skips it.
// On a site in several languages it keeps old's Translation: a version
// added or removed needs a Load.
func Reload(fsys fs.FS, old *Item, cat *Catalogue, opts Options) (*Item, []*diag.Problem) {
	f := file{path: old.File, page: untagged(old.File, old.Lang), lang: old.Lang, role: roleItem, kind: old.Kind, section: old.Kind.Section(), bundle: old.Bundle, assets: old.Assets}
	src, pr := readFile(fsys, f.path)
	if pr != nil {
		return nil, []*diag.Problem{pr}
	}
	it, probs := loadItem(fsys, f, src, cat)
	if it != nil {
		it.Translation = old.Translation
	}
	if it != nil && !opts.ready(it) {
		return it, nil // now hidden: its problems block nothing, as in a full load
	}
	attachSource(src, f.path, probs)
	if hasErrors(probs) {
		return nil, probs
	}
	return it, probs
}

// ReadBody reads an item's Markdown text from its file again, for the
// preview, which lets go of the texts it has rendered. It fails when the
// file cannot be read or its text no longer starts where the item's did;
// the caller checks that the text is the same.
func ReadBody(fsys fs.FS, it *Item) ([]byte, error) {
	src, pr := readFile(fsys, it.File)
	if pr != nil {
		return nil, pr
	}
	_, _, _, body, line, err := fm.Split(src)
	if err != nil {
		return nil, err
	}
	if line != it.BodyLine {
		return nil, fmt.Errorf("%s: the text starts on line %d, not %d", it.File, line, it.BodyLine)
	}
	return body, nil
}

// IsItemFile says whether a slash path under the site folder is an item on
// its own: a single Markdown file in a section's folder
// (content/stories/x.md), not a bundle's.
func IsItemFile(p string) bool {
	parts := strings.Split(p, "/")
	if len(parts) != 3 || parts[0] != Dir || !strings.EqualFold(path.Ext(p), ".md") || parts[2] == "_index.md" ||
		strings.HasPrefix(parts[2], ".") || strings.HasSuffix(parts[2], "~") {
		return false
	}
	_, isKind := KindOfSection(parts[1])
	return isKind
}

// IsPageFile says whether a slash path under the site folder is a page
// of the content that is not an item: a theme's, a pack's or a standalone
// page's file, or a section's introduction (_index.md).
func IsPageFile(p string) bool {
	parts := strings.Split(p, "/")
	name := parts[len(parts)-1]
	if parts[0] != Dir || !strings.EqualFold(path.Ext(p), ".md") || strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
		return false
	}
	switch {
	case len(parts) == 2:
		return name == "_index.md"
	case len(parts) != 3:
		return false
	case parts[1] == PagesSection || parts[1] == ThemesSection:
		return name != "_index.md"
	case parts[1] == PacksSection:
		return true // its packs, and its introduction
	}
	_, isKind := KindOfSection(parts[1])
	return isKind && name == "_index.md"
}

// SortItems puts items in the library's order: newest first, then by
// address.
func SortItems(items []*Item) {
	slices.SortFunc(items, func(a, b *Item) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Path, b.Path))
	})
}

// SameAddress says whether two readings of an item keep it at the same
// address: the same kind, file, path, aliases, drafting and bundle files,
// so its pages stay where they are, while a new date or new themes may put
// it elsewhere in lists and themes.
func SameAddress(a, b *Item) bool {
	return a.Kind == b.Kind && a.File == b.File && a.Path == b.Path && a.Draft == b.Draft &&
		slices.Equal(a.Aliases, b.Aliases) && a.Bundle == b.Bundle && slices.Equal(a.Assets, b.Assets)
}

// SameButBody says whether two readings of an item differ at most in their
// Markdown text: everything lists, feeds, themes and other pages show of it
// is the same.
func SameButBody(a, b *Item) bool {
	x, y := *a, *b
	x.Body, y.Body, x.BodyLine, y.BodyLine = nil, nil, 0, 0
	x.Sum, y.Sum = [32]byte{}, [32]byte{} // of its file, whose text differs
	x.text, y.text = textRef{}, textRef{}
	return reflect.DeepEqual(x, y)
}

// SamePlace says whether two readings of an item put it in the same places:
// the same address, date, kind, themes and drafting, so every list and
// theme holds it at the same position; its title, summary and other fields
// may differ.
func SamePlace(a, b *Item) bool {
	names := func(rs []Ref) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.Name
		}
		return out
	}
	return a.Kind == b.Kind && a.File == b.File && a.Path == b.Path && a.Date.Equal(b.Date) && a.DateOnly == b.DateOnly &&
		a.Draft == b.Draft && slices.Equal(a.Aliases, b.Aliases) && slices.Equal(names(a.Themes), names(b.Themes)) &&
		a.Bundle == b.Bundle && slices.Equal(a.Assets, b.Assets)
}

// attachSource gives the problems about file their source lines from src.
func attachSource(src []byte, file string, probs []*diag.Problem) {
	var mine []*diag.Problem
	for _, p := range probs {
		if p.File == file {
			mine = append(mine, p)
		}
	}
	diag.AttachSources(src, mine)
}
