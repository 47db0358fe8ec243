// Package hugo reads a Hugo site's content and plans the otpress content
// that carries it over: each page's front matter mapped to otpress keys,
// common shortcodes turned into Markdown, tags and categories into theme
// files, bundles with their files, and a report of everything it mapped,
// dropped or left, at the line it came from. It writes nothing itself:
// Import returns the files, and Write creates them without replacing any.
package hugo

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// Kinds a Hugo section can be imported as.
const (
	Story   = "story"
	Feature = "feature"
	Page    = "page"
	Skip    = "skip"
)

// Options control an import.
type Options struct {
	// As maps a Hugo section (the first folder under content/) to the
	// kind its pages become: story, feature, page or skip. Sections not
	// named become features; pages at the top of content/ become pages.
	As map[string]string
	// Now decides which dates are in the future, for the report.
	Now time.Time
}

// What an entry of the report says happened.
const (
	Wrote   = "wrote"   // a file was planned
	Mapped  = "mapped"  // a Hugo key or shortcode became otpress's
	Dropped = "dropped" // a key with no place in otpress
	Left    = "left"    // a shortcode kept as written
	Skipped = "skipped" // a file not imported
	Note    = "note"    // something the editor should check
	Error   = "error"   // a file that could not be read
)

// Entry is one line of the report, at a place in a Hugo file.
type Entry struct {
	File      string // slash path in the Hugo site
	Line, Col int
	What      string
	Key       string // the key dropped or the shortcode left
	Msg       string
}

func (e Entry) String() string {
	at := e.File
	if e.Line > 0 {
		at = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
	}
	return fmt.Sprintf("%s: %s: %s", at, e.What, e.Msg)
}

// File is one file to create in the otpress site: Data, or a copy of
// From in the Hugo site.
type File struct {
	Path string // slash path in the otpress site
	Data []byte
	From string
}

// Result is a planned import.
type Result struct {
	Files  []File
	Report []Entry
	// Counts of what is written, by kind ("story", "feature", "page",
	// "theme", "section", "file").
	Counts map[string]int
}

// page is one Hugo content file being imported.
type page struct {
	file    string // slash path in the Hugo site
	rel     string // path under the content folder
	section string // first folder under content, "" at the top
	bundle  bool   // a leaf bundle's index.md
	branch  bool   // an _index.md
	assets  []string
	doc     *fm.Doc
	kind    string
	slug    string
	oldURL  string
	newFile string // slash path in the otpress site
	newURL  string
	skip    bool
}

// importer holds one import's state.
type importer struct {
	src, dst fs.FS
	opts     Options
	cfg      *config
	res      *Result
	pages    []*page
	byRel    map[string]*page // content path → page
	taken    map[string]bool  // otpress paths planned
	themes   map[string]*theme
	order    []string // theme slugs in the order first met
	static   map[string]bool
	claimed  map[string]*page // old addresses kept as aliases, and by whom
	byURL    map[string]*page // new addresses
	byOld    map[string]*page // Hugo addresses
	names    map[string]*page // file names found once (byName)
}

type theme struct {
	title, summary, body string
	titled               bool   // title as written, not a folder's name
	from                 string // the term page it came from, if any
}

// Import plans the otpress content for the Hugo site in src. dst is the
// otpress site, read to leave existing files and themes alone.
func Import(src, dst fs.FS, opts Options) (*Result, error) {
	im := &importer{src: src, dst: dst, opts: opts, res: &Result{Counts: map[string]int{}},
		byRel: map[string]*page{}, taken: map[string]bool{}, themes: map[string]*theme{}, static: map[string]bool{}, claimed: map[string]*page{}}
	if im.opts.Now.IsZero() {
		im.opts.Now = time.Now()
	}
	for sec, kind := range opts.As {
		if !slices.Contains([]string{Story, Feature, Page, Skip}, kind) {
			return nil, fmt.Errorf("--as %s=%s: the kind must be story, feature, page or skip", sec, kind)
		}
	}
	cfg, e := readConfig(src)
	im.cfg = cfg
	if e != nil {
		im.report(*e)
	}
	if fi, err := fs.Stat(src, cfg.contentDir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("there is no %s folder here: give the folder of the Hugo site (the one holding %s and hugo.toml or config.toml)", cfg.contentDir, cfg.contentDir)
	}
	if err := im.scan(); err != nil {
		return nil, err
	}
	sections := map[string]bool{}
	for _, p := range im.pages {
		sections[p.section] = true
	}
	for sec := range opts.As {
		if !sections[sec] {
			var names []string
			for s := range sections {
				if s != "" {
					names = append(names, s)
				}
			}
			slices.Sort(names)
			return nil, fmt.Errorf("--as %s: the Hugo site has no section %q; its sections are %s", sec, sec, strings.Join(names, ", "))
		}
	}
	for _, p := range im.pages {
		im.place(p)
	}
	for _, p := range im.pages {
		if !p.skip {
			im.convert(p)
		}
	}
	im.writeThemes()
	im.copyStatic()
	im.sortReport()
	return im.res, nil
}

// sortReport puts each file's entries in the order of its lines, what
// was written last, files in the order they were met.
func (im *importer) sortReport() {
	first := map[string]int{}
	for i, e := range im.res.Report {
		if _, ok := first[e.File]; !ok {
			first[e.File] = i
		}
	}
	line := func(e Entry) int {
		if e.What == Wrote || e.Line == 0 {
			return math.MaxInt
		}
		return e.Line
	}
	slices.SortStableFunc(im.res.Report, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(first[a.File], first[b.File]), cmp.Compare(line(a), line(b)), cmp.Compare(a.Col, b.Col))
	})
}

func (im *importer) report(e Entry) { im.res.Report = append(im.res.Report, e) }

func (im *importer) at(p *page, pos fm.Pos, what, format string, args ...any) {
	im.report(Entry{File: p.file, Line: pos.Line, Col: pos.Col, What: what, Msg: fmt.Sprintf(format, args...)})
}

// drop reports a key otpress has no place for, and why.
func (im *importer) drop(p *page, pos fm.Pos, key, format string, args ...any) {
	im.report(Entry{File: p.file, Line: pos.Line, Col: pos.Col, What: Dropped, Key: key, Msg: key + ": " + fmt.Sprintf(format, args...)})
}

// exists says whether the otpress site already has a file.
func (im *importer) exists(p string) bool {
	_, err := fs.Stat(im.dst, p)
	return err == nil
}

// markdown are the content files Hugo renders as Markdown.
func markdown(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown" || ext == ".mdown"
}

// otherContent are content formats Hugo reads that otpress does not.
var otherContent = []string{".html", ".htm", ".adoc", ".asciidoc", ".org", ".rst", ".pandoc", ".pdc", ".ad"}

// scan walks the content folder: pages, leaf bundles with their files,
// and files otpress cannot read, each reported.
func (im *importer) scan() error {
	root := im.cfg.contentDir
	var all []string
	leaf := map[string]bool{} // folders holding index.md
	err := fs.WalkDir(im.src, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			all = append(all, p)
			base := strings.ToLower(path.Base(p))
			if markdown(base) && strings.TrimSuffix(base, path.Ext(base)) == "index" {
				leaf[path.Dir(p)] = true
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	bundleOf := func(p string) string {
		for d := path.Dir(p); d != root && d != "."; d = path.Dir(d) {
			if leaf[d] {
				return d
			}
		}
		return ""
	}
	for _, p := range all {
		rel := strings.TrimPrefix(p, root+"/")
		base := path.Base(p)
		b := bundleOf(p)
		isIndex := b != "" && path.Dir(p) == b && markdown(base) && strings.EqualFold(strings.TrimSuffix(base, path.Ext(base)), "index")
		switch {
		case isIndex:
			pg := &page{file: p, rel: rel, bundle: true}
			im.pages = append(im.pages, pg)
		case b != "":
			// a bundle's own file: attached below
		case markdown(base):
			pg := &page{file: p, rel: rel, branch: strings.EqualFold(strings.TrimSuffix(base, path.Ext(base)), "_index")}
			im.pages = append(im.pages, pg)
		case slices.Contains(otherContent, strings.ToLower(path.Ext(base))):
			im.report(Entry{File: p, What: Skipped, Msg: "otpress reads Markdown only; convert this page to Markdown (.md) and import it again"})
		default:
			// a file beside pages: copied when a page links to it
		}
	}
	byDir := map[string]*page{}
	for _, pg := range im.pages {
		if i := strings.IndexByte(pg.rel, '/'); i >= 0 {
			pg.section = pg.rel[:i]
		}
		im.byRel[pg.rel] = pg
		if pg.bundle {
			byDir[path.Dir(pg.file)] = pg
		}
	}
	for _, p := range all {
		if b := bundleOf(p); b != "" && byDir[b] != nil && p != byDir[b].file {
			byDir[b].assets = append(byDir[b].assets, strings.TrimPrefix(p, b+"/"))
		}
	}
	return nil
}

// translation is Hugo's name for a page in another language: about.fr.md.
var translation = regexp.MustCompile(`\.([a-z]{2}(?:-[a-zA-Z]{2,4})?)$`)

// kindOf is what a page becomes: a page at the top of content/ is a page,
// a term page of a taxonomy gives its theme a title and summary, an item
// of a section becomes what --as says, a feature by default.
func (im *importer) kindOf(pg *page) string {
	if pg.section == "" {
		if pg.branch {
			return "home"
		}
		return cmp.Or(im.opts.As[""], Page)
	}
	if slices.Contains(im.cfg.taxonomies, strings.ToLower(pg.section)) {
		return "term"
	}
	k := cmp.Or(im.opts.As[pg.section], Feature)
	if pg.branch && k != Skip {
		if strings.Count(pg.rel, "/") == 1 {
			return "section"
		}
		return "subsection"
	}
	return k
}

// place decides where a page goes, reading its front matter, and what
// its Hugo address was.
func (im *importer) place(pg *page) {
	if fi, err := fs.Stat(im.src, pg.file); err == nil && fi.Size() > content.MaxFileBytes {
		im.report(Entry{File: pg.file, What: Skipped, Msg: fmt.Sprintf("the file is over %d MB, more than a content file may be; split it and import again", content.MaxFileBytes>>20)})
		pg.skip = true
		return
	}
	src, err := fs.ReadFile(im.src, pg.file)
	if err != nil {
		im.report(Entry{File: pg.file, What: Error, Msg: "cannot read the file: " + err.Error()})
		pg.skip = true
		return
	}
	if t := strings.TrimLeft(string(src), "\ufeff \t\r\n"); strings.HasPrefix(t, "{") {
		pg.doc, err = fm.ParseJSON(src)
	} else {
		pg.doc, err = fm.Parse(src)
	}
	if err != nil {
		e := Entry{File: pg.file, What: Error, Msg: "cannot read the front matter: " + err.Error() + "; fix it and import again"}
		if fe, ok := err.(*fm.Error); ok {
			e.Line, e.Col, e.Msg = fe.Pos.Line, fe.Pos.Col, fmt.Sprintf("cannot read the front matter: %s; fix it and import again", fe.Msg)
		}
		im.report(e)
		pg.skip = true
		return
	}
	m := pg.doc.Meta
	pg.kind = im.kindOf(pg)
	switch {
	case pg.kind == Skip:
		im.report(Entry{File: pg.file, What: Skipped, Msg: fmt.Sprintf("the section %q is imported as skip", pg.section)})
		pg.skip = true
		return
	case pg.kind == "subsection":
		im.report(Entry{File: pg.file, What: Skipped, Msg: "otpress sections have no sub-sections: its pages are imported into the section, and this list page is not"})
		pg.skip = true
		return
	}
	if f := get(m, "headless"); f != nil && f.Value.Kind == fm.Bool && f.Value.Bool {
		im.at(pg, f.KeyPos, Skipped, "a headless bundle, which Hugo does not publish as a page; its text is not imported")
		pg.skip = true
		return
	}
	for _, key := range []string{"_build", "build"} {
		if f := get(m, key); f != nil {
			if r := get(f.Value, "render"); r != nil && (r.Value.Str == "never" || r.Value.Str == "false") {
				im.at(pg, f.KeyPos, Skipped, "%s.render is %s, so Hugo does not publish it as a page; it is not imported", f.Key, r.Value.Str)
				pg.skip = true
				return
			}
		}
	}
	name := strings.TrimSuffix(path.Base(pg.rel), path.Ext(pg.rel))
	if pg.bundle {
		name = path.Base(path.Dir(pg.rel))
	} else if l := translation.FindStringSubmatch(name); l != nil {
		im.report(Entry{File: pg.file, What: Note, Msg: fmt.Sprintf("a translation (%s): an otpress site is in one language, so it comes in as a page of its own", l[1])})
	}
	slug := name
	if s := text(get(m, "slug")); s != "" {
		slug = s
	}
	if u := text(get(m, "url")); u != "" {
		if last := path.Base(strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".html")); last != "/" && last != "." {
			slug = last
		}
	}
	pg.slug = content.Slug(slug)
	pg.oldURL = im.hugoURL(pg, name)
	switch pg.kind {
	case "home":
		pg.newFile, pg.newURL = "content/_index.md", "/"
		return
	case "section":
		k := cmp.Or(im.opts.As[pg.section], Feature)
		if k == Page {
			im.report(Entry{File: pg.file, What: Skipped, Msg: "its section is imported as pages, which have no list page of their own"})
			pg.skip = true
			return
		}
		sec := content.Kind(k).Section()
		pg.newFile, pg.newURL = "content/"+sec+"/_index.md", "/"+sec+"/"
		if im.taken[pg.newFile] {
			im.report(Entry{File: pg.file, What: Skipped, Msg: fmt.Sprintf("another section's list page already goes to %s", pg.newFile)})
			pg.skip = true
		}
		im.taken[pg.newFile] = true
		return
	case "term":
		im.term(pg)
		pg.skip = true
		return
	}
	if pg.slug == "" {
		im.report(Entry{File: pg.file, What: Skipped, Msg: "the name has no letters or digits to make an address from; rename it and import again"})
		pg.skip = true
		return
	}
	dir := "content/" + content.PagesSection
	if pg.kind != Page {
		dir = "content/" + content.Kind(pg.kind).Section()
	}
	base := pg.slug
	for n := 2; ; n++ {
		pg.newFile = dir + "/" + pg.slug + ".md"
		if pg.bundle {
			pg.newFile = dir + "/" + pg.slug + "/index.md"
		}
		if !im.taken[dir+"/"+pg.slug] {
			break
		}
		pg.slug = fmt.Sprintf("%s-%d", base, n)
	}
	im.taken[dir+"/"+pg.slug] = true
	if pg.slug != base {
		im.report(Entry{File: pg.file, What: Note, Msg: fmt.Sprintf("another page already has the address %q, so this one is %q", base, pg.slug)})
	}
	pg.newURL = "/" + pg.slug + "/"
	if pg.kind != Page {
		pg.newURL = "/" + content.Kind(pg.kind).Section() + "/" + pg.slug + "/"
	}
}

// term takes a taxonomy term page's title, description and text for its
// theme.
func (im *importer) term(pg *page) {
	parts := strings.Split(pg.rel, "/")
	if len(parts) < 3 { // content/tags/_index.md: the list of all terms
		im.report(Entry{File: pg.file, What: Skipped, Msg: "otpress lists every theme at /themes/; this page is not imported"})
		return
	}
	th := im.theme(parts[1], false)
	m := pg.doc.Meta
	if s := text(get(m, "title")); s != "" {
		th.title, th.titled = s, true
	}
	th.summary = cmp.Or(text(get(m, "summary")), text(get(m, "description")))
	th.body = strings.TrimSpace(string(pg.doc.Body))
	th.from = pg.file
}

// theme is the theme for a term, met for the first time or again. A
// term as an item wrote it titles a theme that has only its folder's name.
func (im *importer) theme(term string, written bool) *theme {
	slug := content.Slug(term)
	if th, ok := im.themes[slug]; ok {
		if written && !th.titled {
			th.title, th.titled = term, true
		}
		return th
	}
	th := &theme{title: term, titled: written}
	im.themes[slug] = th
	im.order = append(im.order, slug)
	return th
}

// writeThemes plans a theme file for each tag and category met, unless
// the otpress site has the theme already, by its file or an alias.
func (im *importer) writeThemes() {
	have := map[string]bool{}
	if entries, err := fs.ReadDir(im.dst, "content/"+content.ThemesSection); err == nil {
		for _, e := range entries {
			name := e.Name()
			if !strings.HasSuffix(name, ".md") {
				continue
			}
			have[strings.TrimSuffix(name, ".md")] = true
			src, err := fs.ReadFile(im.dst, "content/"+content.ThemesSection+"/"+name)
			if err != nil {
				continue
			}
			if doc, err := fm.Parse(src); err == nil {
				for _, a := range texts(doc.Meta.Get("aliases")) {
					have[content.Slug(a)] = true
				}
			}
		}
	}
	for _, slug := range im.order {
		th := im.themes[slug]
		p := "content/" + content.ThemesSection + "/" + slug + ".md"
		if have[slug] {
			im.report(Entry{File: cmp.Or(th.from, im.cfg.contentDir), What: Note, Msg: fmt.Sprintf("the theme %s is already in the otpress site; it was not changed", slug)})
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %s\n", yamlText(th.title))
		if th.summary != "" {
			fmt.Fprintf(&b, "summary: %s\n", yamlText(th.summary))
		}
		b.WriteString("---\n")
		if th.body != "" {
			b.WriteString(th.body + "\n")
		}
		im.res.Files = append(im.res.Files, File{Path: p, Data: []byte(b.String())})
		im.res.Counts["theme"]++
		im.report(Entry{File: cmp.Or(th.from, im.cfg.contentDir), What: Wrote, Msg: p})
	}
}

// copyStatic plans copies of the files in Hugo's static folder that the
// imported pages name by an address such as /images/photo.jpg, and says
// how many it leaves.
func (im *importer) copyStatic() {
	dir := im.cfg.staticDir
	n := 0
	fs.WalkDir(im.src, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel := strings.TrimPrefix(p, dir+"/")
		if !im.static[rel] {
			n++
			return nil
		}
		to := content.StaticDir + "/" + rel
		if im.exists(to) {
			im.report(Entry{File: p, What: Skipped, Msg: to + " already exists; it was not changed"})
			return nil
		}
		im.res.Files = append(im.res.Files, File{Path: to, From: p})
		im.res.Counts["file"]++
		return nil
	})
	if n > 0 {
		im.report(Entry{File: dir, What: Note, Msg: fmt.Sprintf("files no imported page names: %d, left; copy any the site needs into %s/", n, content.StaticDir)})
	}
}

// Write creates the planned files under the otpress site folder dir. It
// never replaces a file: one that has appeared since the plan is skipped
// and named in the errors returned.
func Write(dir string, src fs.FS, files []File) []error {
	var errs []error
	for _, f := range files {
		full := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			errs = append(errs, err)
			continue
		}
		data := f.Data
		if f.From != "" {
			var err error
			if data, err = fs.ReadFile(src, f.From); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		out, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			if errors.Is(err, fs.ErrExist) {
				err = fmt.Errorf("%s already exists; it was not changed", f.Path)
			}
			errs = append(errs, err)
			continue
		}
		_, err = out.Write(data)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Summary is the report's last lines: what is written and what the
// report holds, by kind.
func (r *Result) Summary() string {
	tally := map[string]int{}
	keys := map[string]map[string]int{Dropped: {}, Left: {}}
	for _, e := range r.Report {
		tally[e.What]++
		if e.Key != "" {
			keys[e.What][e.Key]++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "items: %d (stories %d, features %d); pages %d; section pages %d; themes %d; other files %d\n",
		r.Counts[Story]+r.Counts[Feature], r.Counts[Story], r.Counts[Feature], r.Counts[Page], r.Counts["section"], r.Counts["theme"], r.Counts["file"])
	fmt.Fprintf(&b, "keys and shortcodes mapped %d; keys dropped %d; shortcodes left %d; files skipped %d; notes %d; errors %d\n",
		tally[Mapped], tally[Dropped], tally[Left], tally[Skipped], tally[Note], tally[Error])
	for _, w := range []struct{ what, label string }{{Dropped, "keys dropped"}, {Left, "shortcodes left"}} {
		if len(keys[w.what]) == 0 {
			continue
		}
		var l []string
		for k, n := range keys[w.what] {
			l = append(l, fmt.Sprintf("%s %d", k, n))
		}
		slices.SortFunc(l, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
		fmt.Fprintf(&b, "%s, by name: %s\n", w.label, strings.Join(l, ", "))
	}
	return b.String()
}
