package content

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// Sources: the works items are based on, cite or mention. A site lists
// them once in data/sources.yaml (or .toml), keyed by id, with CSL-JSON
// field names (the names pandoc --citeproc, citeproc-js and Zotero read),
// and items refer to them by id: sources: [{id: otnews-2019-04, page: 15}].
// An item may also describe a work inline in its front matter, as sites did
// before the list; such a work gets an id made from what it says, and the
// same work written on several pages is one work.

// DataDir is the folder of a site's data files.
const DataDir = "data"

// SourceFiles are the names the source list may have; a site has one.
var SourceFiles = []string{DataDir + "/sources.yaml", DataDir + "/sources.yml", DataDir + "/sources.toml"}

// WorkTypes are the CSL types a listed source may have.
var WorkTypes = []string{"article-magazine", "article-journal", "broadcast", "report", "webpage", "book", "chapter", "standard", "legislation", "dataset"}

// Document is the type of an inline source that says too little to tell
// (a title alone): CSL's catch-all.
const Document = "document"

// Work is one source, in CSL terms.
type Work struct {
	ID              string
	Type            string // one of WorkTypes, or Document
	Title           string
	TitleShort      string // for citations in the text, when the title is long
	ContainerTitle  string // the magazine, journal, podcast, book or website it is part of
	CollectionTitle string // the series of reports or books
	Author          []Name
	Editor          []Name
	Host            []Name // a broadcast's hosts
	Guest           []Name // a broadcast's guests
	Issued          Date
	Accessed        Date // when an online copy was last looked at
	Publisher       string
	PublisherPlace  string
	Volume          string
	Issue           string
	Page            string // "15" or "15-17"
	Number          string // an episode's, a report's or a standard's number
	Edition         string
	Genre           string // "Podcast", "Radio programme"
	Medium          string
	URL             string
	DOI             string // "10.1177/0308022619836954"
	ISBN            string
	ISSN            string

	File   string // where it is described: the source list, or the item
	Pos    fm.Pos // its id in the list, or its entry in front matter
	URLPos fm.Pos // where its URL is written, for problems with the address
	Inline bool   // written in an item's front matter; ID is made from it

	key  string `fp:"-"` // workKey's, once worked out
	base string `fp:"-"` // inlineID's, once worked out
}

// Name is an author, editor, host or guest: a person's family and given
// names, or an organisation's name as written (Literal).
type Name struct {
	Family, Given, Literal string
}

// Date is a year, a month of a year, or a day; the parts not known are 0.
type Date struct {
	Year, Month, Day int
}

// IsZero says the date is not known.
func (d Date) IsZero() bool { return d.Year == 0 }

// String is the date as written: "2019", "2019-04" or "2019-04-01".
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Relation is how an item uses a source.
type Relation string

const (
	BasedOn  Relation = "basedOn"  // the item retells it (the default)
	Cites    Relation = "cites"    // the item refers to it for a point
	Mentions Relation = "mentions" // the item names it in passing
)

var relations = []string{string(BasedOn), string(Cites), string(Mentions)}

// Source is a work as one item uses it.
type Source struct {
	ID       string // as written in front matter; "" for an inline work
	Work     *Work
	Locator  string // where in the work: "p. 15", "pp. 15–17", "12:30"
	Relation Relation
	Pos      fm.Pos // the id, or the inline entry
}

// Catalogue is every source of a site: the listed ones, in the list's
// order, then those only written inline, in the order of the library.
type Catalogue struct {
	File   string  // the source list, "data/sources.yaml"; "" when the site has none
	Listed []*Work // in the file's order
	inline []*Work
	byID   map[string]*Work
	byKey  map[string]*Work // by what they say
	sum    [32]byte         // of the source list's bytes, for items kept (keep.go)
}

// Get returns the work with an id, or nil.
func (c *Catalogue) Get(id string) *Work {
	if c == nil {
		return nil
	}
	return c.byID[id]
}

// Works are every work, listed first, then inline ones.
func (c *Catalogue) Works() []*Work {
	if c == nil {
		return nil
	}
	return slices.Concat(c.Listed, c.inline)
}

// listedIDs are the ids of the list, for suggestions.
func (c *Catalogue) listedIDs() []string {
	var out []string
	if c != nil {
		for _, w := range c.Listed {
			out = append(out, w.ID)
		}
	}
	return out
}

// Known keys of a work, as CSL-JSON names them, and the names otpress used
// before the list (inline sources still may use them).
var (
	workKeys   = []string{"type", "title", "title-short", "container-title", "collection-title", "author", "editor", "host", "guest", "issued", "accessed", "publisher", "publisher-place", "volume", "issue", "page", "number", "edition", "genre", "medium", "URL", "DOI", "ISBN", "ISSN"}
	workAlias  = map[string]string{"publication": "container-title", "url": "URL", "date": "issued"}
	refKeys    = []string{"id", "page", "locator", "relation"}
	nameKeys   = []string{"family", "given", "literal"}
	inlineKeys = slices.Concat(workKeys, []string{"publication", "url", "date", "locator", "relation"})
)

// LoadCatalogue reads the site's source list, if it has one, and checks
// every entry. Entries with problems are kept, so that pages naming them
// are not reported too; the problems stop the build.
func LoadCatalogue(fsys fs.FS) (*Catalogue, []*diag.Problem) {
	c := &Catalogue{byID: map[string]*Work{}, byKey: map[string]*Work{}}
	var found []string
	for _, name := range SourceFiles {
		if _, err := fs.Stat(fsys, name); err == nil {
			found = append(found, name)
		}
	}
	if len(found) == 0 {
		return c, nil
	}
	if len(found) > 1 {
		return c, []*diag.Problem{diag.Errorf(found[1], 0, 0, "the site has two source lists, %s and %s", found[0], found[1]).
			WithHint("keep one of them: move the entries of one into the other")}
	}
	c.File = found[0]
	works, src, probs := parseSourceList(fsys, c.File)
	if src != nil {
		c.sum = sha256.Sum256(append([]byte(c.File+"\n"), src...))
	}
	for _, w := range works {
		c.Listed = append(c.Listed, w)
		c.byID[w.ID] = w
		c.byKey[workKey(w)] = w
	}
	return c, probs
}

// parseSourceList reads one list of sources: data/sources.yaml, or a
// language's version of it.
func parseSourceList(fsys fs.FS, file string) ([]*Work, []byte, []*diag.Problem) {
	src, pr := readFile(fsys, file)
	if pr != nil {
		return nil, nil, []*diag.Problem{pr}
	}
	var works []*Work
	d := &dec{file: file}
	format := fm.YAML
	if strings.HasSuffix(file, ".toml") {
		format = fm.TOML
	}
	root, err := fm.Decode(src, format)
	if err != nil {
		var fe *fm.Error
		if errors.As(err, &fe) {
			d.errAt(fe.Pos, fe.Hint, "%s", fe.Msg)
		} else {
			d.errAt(fm.Pos{Line: 1, Col: 1}, "", "%v", err)
		}
	} else if root.Kind != fm.Map {
		d.errAt(root.Pos, "write one source after another, each under its id: otnews-2019-04: then its fields, indented", "the source list is %s, not a set of sources by id", describe(root))
	} else {
		for _, f := range root.Fields {
			if !IsSlug(f.Key) {
				hint := "use lower-case letters, digits and hyphens"
				if s := Slug(f.Key); s != "" {
					hint += ", e.g. " + s
				}
				d.errAt(f.KeyPos, hint, "the id %q cannot be used in addresses and citations", f.Key)
			}
			if f.Value.Kind != fm.Map {
				d.errAt(f.Value.Pos, "write the source's fields under its id, indented: type, title, container-title, issued…", "source %s is %s, not a set of fields", f.Key, describe(f.Value))
				continue
			}
			w := d.work(f.Value, f.KeyPos, f.Key, false)
			w.ID, w.File, w.Pos = f.Key, file, f.KeyPos
			works = append(works, w)
		}
	}
	diag.AttachSources(src, d.probs)
	return works, src, d.probs
}

// inLanguage puts a language's version of the source list
// (data/sources.cy.yaml, beside data/sources.yaml) over the list: each
// source it describes, by id, as it describes it (a title or note in that
// language), and any source of its own.
func (c *Catalogue) inLanguage(fsys fs.FS, tag string) []*diag.Problem {
	for _, name := range SourceFiles {
		ext := path.Ext(name)
		file := strings.TrimSuffix(name, ext) + "." + tag + ext
		if _, err := fs.Stat(fsys, file); err != nil {
			continue
		}
		works, src, probs := parseSourceList(fsys, file)
		if src != nil {
			h := sha256.New()
			h.Write(c.sum[:])
			h.Write([]byte(file + "\n"))
			h.Write(src)
			h.Sum(c.sum[:0])
		}
		for _, w := range works {
			if old := c.byID[w.ID]; old != nil {
				i := slices.Index(c.Listed, old)
				c.Listed[i] = w
				delete(c.byKey, workKey(old))
			} else {
				c.Listed = append(c.Listed, w)
			}
			c.byID[w.ID] = w
			c.byKey[workKey(w)] = w
		}
		return probs
	}
	return nil
}

// work decodes a work's fields. at is where problems with the whole entry
// are reported; name is how messages call it.
func (d *dec) work(m *fm.Value, at fm.Pos, name string, inline bool) *Work {
	w := &Work{Inline: inline}
	known := workKeys
	if inline {
		known = inlineKeys
	}
	d.unknown(m, append(slices.Clone(known), aliasesOf(inline)...), " in source "+name)
	get := func(key string) *fm.Field {
		f := m.Get(key)
		for alias, k := range workAlias {
			if k != key {
				continue
			}
			if af := m.Get(alias); af != nil {
				if f != nil {
					d.errAt(af.KeyPos, fmt.Sprintf("keep %s, the name CSL gives it", key), "%s and %s are the same field; give it once", alias, key)
					continue
				}
				f = af
			}
		}
		return f
	}
	str := func(key string) string { return d.text(get(key)) }
	w.Type = str("type")
	w.Title = str("title")
	w.TitleShort = str("title-short")
	w.ContainerTitle = str("container-title")
	w.CollectionTitle = str("collection-title")
	w.Author = d.names(get("author"))
	w.Editor = d.names(get("editor"))
	w.Host = d.names(get("host"))
	w.Guest = d.names(get("guest"))
	w.Issued = d.partialDate(get("issued"), false)
	w.Accessed = d.partialDate(get("accessed"), true)
	w.Publisher = str("publisher")
	w.PublisherPlace = str("publisher-place")
	w.Volume = str("volume")
	w.Issue = str("issue")
	w.Page = str("page")
	w.Number = str("number")
	w.Edition = str("edition")
	w.Genre = str("genre")
	w.Medium = str("medium")
	w.URL = str("URL")
	w.DOI = str("DOI")
	w.ISBN = str("ISBN")
	w.ISSN = str("ISSN")
	if f := get("URL"); f != nil && w.URL != "" {
		w.URLPos = f.Value.Pos
		if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.errAt(f.Value.Pos, "write the full address, starting with https://", "the URL %q of source %s is not a web address", clip(w.URL), name)
		}
	}
	if f := get("DOI"); f != nil && w.DOI != "" {
		w.DOI = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(w.DOI, "https://doi.org/"), "http://dx.doi.org/"), "doi:")
		if !strings.HasPrefix(w.DOI, "10.") || !strings.Contains(w.DOI, "/") {
			d.errAt(f.Value.Pos, "write the DOI as it is printed, e.g. 10.1177/0308022619836954", "the DOI %q of source %s is not a DOI", clip(w.DOI), name)
		}
	}
	explicit := w.Type != ""
	if inline && !explicit {
		switch {
		case w.ContainerTitle != "":
			w.Type = "article-magazine"
		case w.URL != "":
			w.Type = "webpage"
		default:
			w.Type = Document
		}
	}
	switch {
	case w.Type == "" && !inline:
		d.errAt(at, "add type: with one of "+strings.Join(WorkTypes, ", "), "source %s has no type", name)
	case explicit && !slices.Contains(WorkTypes, w.Type):
		hint := "the types are " + strings.Join(WorkTypes, ", ")
		if near := diag.Nearest(w.Type, WorkTypes); near != "" {
			hint = fmt.Sprintf("did you mean %q? ", near) + hint
		}
		d.errAt(get("type").Value.Pos, hint, "source %s has the type %q, which otpress does not know", name, w.Type)
	}
	if inline && !explicit {
		// the form pages used before the list: as loose as it was then
		if w.Title == "" && w.ContainerTitle == "" {
			d.errAt(at, "give at least a title or a publication", "source %s has neither a title nor a publication", name)
		}
		if w.URL != "" && w.Accessed.IsZero() {
			d.warnAt(w.URLPos, "add accessed: with the date you last opened it, e.g. accessed: "+time.Now().Format(time.DateOnly)+"; a reference to something online gives it, as pages change", "source %s has a URL but no accessed date", name)
		}
		return w
	}
	if w.Title == "" {
		d.errAt(at, "add title: with the title as the source prints it", "source %s has no title", name)
	}
	if w.URL != "" && w.Accessed.IsZero() {
		d.errAt(w.URLPos, "add accessed: with the date you last opened it, e.g. accessed: "+time.Now().Format(time.DateOnly)+"; a reference to something online gives it, as pages change", "source %s has a URL but no accessed date", name)
	}
	need := func(ok bool, hint, format string) {
		if !ok {
			d.errAt(at, hint, format, name)
		}
	}
	switch w.Type {
	case "article-magazine":
		need(w.ContainerTitle != "", "add container-title: with the magazine's name, e.g. container-title: OTnews", "source %s is a magazine article without the magazine's name (container-title)")
		need(w.Page != "" || w.Issue != "", "add page: with the page it is on, or issue: with the issue", "source %s is a magazine article without a page or an issue")
	case "article-journal":
		need(w.ContainerTitle != "", "add container-title: with the journal's name", "source %s is a journal article without the journal's name (container-title)")
	case "broadcast":
		need(w.ContainerTitle != "", "add container-title: with the podcast's or programme's name", "source %s is a broadcast without the podcast or programme it is part of (container-title)")
	case "chapter":
		need(w.ContainerTitle != "", "add container-title: with the book's title", "source %s is a chapter without the book it is in (container-title)")
	case "webpage":
		need(w.URL != "", "add URL: with the page's address, and accessed: with the date you last opened it", "source %s is a web page without its URL")
	}
	return w
}

func aliasesOf(inline bool) []string {
	if inline {
		return nil
	}
	return []string{"publication", "url", "date"}
}

// names reads a list of names: each {family, given} for a person or
// {literal} for an organisation.
func (d *dec) names(f *fm.Field) []Name {
	if f == nil || f.Value.Kind == fm.Null {
		return nil
	}
	list := f.Value.List
	switch f.Value.Kind {
	case fm.List:
	case fm.Map:
		list = []*fm.Value{f.Value}
	default:
		list = []*fm.Value{f.Value}
	}
	var out []Name
	for _, e := range list {
		if e.Kind != fm.Map {
			s := strings.TrimSpace(e.Str)
			hint := "write a person as {family: Sanderson, given: James} and an organisation as {literal: Royal College of Occupational Therapists}"
			if fam, giv, ok := strings.Cut(s, ","); ok && s != "" {
				hint = fmt.Sprintf("write {family: %s, given: %s}, or {literal: %q} for an organisation", strings.TrimSpace(fam), strings.TrimSpace(giv), s)
			} else if s != "" {
				hint = fmt.Sprintf("write a person with family and given names, {family: …, given: …}, or an organisation as {literal: %q}", s)
			}
			d.errAt(e.Pos, hint, "each %s is a set of fields, not %s", f.Key, describe(e))
			continue
		}
		d.unknown(e, nameKeys, " in "+f.Key)
		n := Name{Family: d.text(e.Get("family")), Given: d.text(e.Get("given")), Literal: d.text(e.Get("literal"))}
		switch {
		case n.Literal != "" && (n.Family != "" || n.Given != ""):
			d.errAt(e.Pos, "use family and given for a person, or literal alone for an organisation", "a name of %s has both literal and family or given", f.Key)
		case n.Literal == "" && n.Family == "":
			d.errAt(e.Pos, "add family: (and given:) for a person, or literal: for an organisation", "a name of %s has no family name", f.Key)
		}
		out = append(out, n)
	}
	return out
}

var partialRE = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$`)

// partialDate reads YYYY, YYYY-MM or YYYY-MM-DD (a day is needed when
// full is set), or a TOML date.
func (d *dec) partialDate(f *fm.Field, full bool) Date {
	if f == nil || f.Value.Kind == fm.Null {
		return Date{}
	}
	v := f.Value
	example := "2019, 2019-04 or 2019-04-01"
	if full {
		example = "2024-05-01"
	}
	var s string
	switch v.Kind {
	case fm.Time:
		return Date{v.Time.Year(), int(v.Time.Month()), v.Time.Day()}
	case fm.String, fm.Int:
		s = strings.TrimSpace(v.Str)
	default:
		d.errAt(v.Pos, "write the date as "+example, "%s must be a date, not %s", f.Key, describe(v))
		return Date{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil && f.Key == "date" {
		return Date{t.Year(), int(t.Month()), t.Day()} // as pages wrote dates before
	}
	m := partialRE.FindStringSubmatch(s)
	var dt Date
	if m != nil {
		dt.Year, _ = strconv.Atoi(m[1])
		dt.Month, _ = strconv.Atoi(m[2])
		dt.Day, _ = strconv.Atoi(m[3])
	}
	valid := m != nil && dt.Year > 0 && (m[2] == "" || dt.Month >= 1 && dt.Month <= 12)
	if valid && m[3] != "" {
		t := time.Date(dt.Year, time.Month(dt.Month), dt.Day, 0, 0, 0, 0, time.UTC)
		valid = t.Day() == dt.Day && dt.Day > 0
	}
	if !valid {
		hint := "write the date as " + example
		if f.Key == "issued" || f.Key == "date" {
			hint += "; put a magazine issue such as \"April 2019\" in issue"
		}
		d.errAt(v.Pos, hint, "%s %q is not a date", f.Key, clip(s))
		return Date{}
	}
	if full && dt.Day == 0 {
		d.errAt(v.Pos, "give the day too, e.g. "+example, "%s %q needs the day", f.Key, s)
	}
	return dt
}

// sources reads an item's sources: each an id of the source list with an
// optional locator and relation ({id: otnews-2019-04, page: 15}, or just
// the id), or a work written out in full.
func (d *dec) sources(f *fm.Field, cat *Catalogue) []Source {
	if f == nil || f.Value.Kind == fm.Null {
		return nil
	}
	if f.Value.Kind != fm.List {
		d.errAt(f.Value.Pos, "write sources as a list, each entry starting with a dash: - id: otnews-2019-04", "sources must be a list of sources, not %s", describe(f.Value))
		return nil
	}
	var out []Source
	seen := map[string]int{}
	for i, e := range d.entries(f, MaxEntries) {
		var s Source
		switch e.Kind {
		case fm.String:
			s = Source{ID: strings.TrimSpace(e.Str), Pos: e.Pos, Relation: BasedOn}
		case fm.Map:
			if idf := e.Get("id"); idf != nil {
				d.unknown(e, refKeys, " in sources (the source's own fields go in "+listName(cat)+")")
				s = Source{ID: d.text(idf), Pos: idf.Value.Pos}
				s.Locator = d.locator(e)
			} else {
				s = Source{Work: d.work(e, e.Pos, strconv.Itoa(i+1), true), Pos: e.Pos}
				s.Work.File, s.Work.Pos = d.file, e.Pos
				s.Locator = d.text(e.Get("locator"))
			}
			s.Relation = d.relation(e.Get("relation"))
		default:
			d.errAt(e.Pos, "each entry is an id of the source list, - otnews-2019-04, or a set of fields: - id: otnews-2019-04", "entry %d of sources is %s", i+1, describe(e))
			continue
		}
		if s.Work == nil {
			if s.ID == "" {
				d.errAt(s.Pos, "write the id of a source in "+listName(cat), "entry %d of sources has an empty id", i+1)
				continue
			}
			if n, ok := seen[s.ID]; ok {
				d.errAt(s.Pos, "give each source once; put several pages in one locator, e.g. locator: pp. 15, 17", "%s is already source %d of this page", s.ID, n)
				continue
			}
			seen[s.ID] = i + 1
			s.Work = cat.Get(s.ID)
			if s.Work == nil {
				d.unknownSource(s.Pos, s.ID, cat)
				continue
			}
		} else if w := cat.match(s.Work); w != nil {
			s.Work = w
		}
		out = append(out, s)
	}
	return out
}

// listName is the file of the source list, or the one to write.
func listName(cat *Catalogue) string {
	if cat != nil && cat.File != "" {
		return cat.File
	}
	return SourceFiles[0]
}

// unknownSource reports an id that the source list does not have.
func (d *dec) unknownSource(p fm.Pos, id string, cat *Catalogue) {
	switch {
	case cat == nil || cat.File == "":
		d.errAt(p, "describe it in data/sources.yaml under the id "+id+" (type, title, container-title, issued…), or write its fields here instead of id", "source %q is not listed: the site has no data/sources.yaml", id)
	default:
		hint := fmt.Sprintf("add it to %s, or correct the id", cat.File)
		if near := diag.Nearest(id, cat.listedIDs()); near != "" {
			hint = fmt.Sprintf("did you mean %q? ", near) + hint
		}
		d.errAt(p, hint, "source %q is not in %s", id, cat.File)
	}
}

// locator reads page: 15 or locator: "p. 15" of an entry naming a source.
func (d *dec) locator(m *fm.Value) string {
	pf, lf := m.Get("page"), m.Get("locator")
	if pf != nil && lf != nil {
		d.errAt(lf.KeyPos, "give page: 15, or locator: \"p. 15\", not both", "page and locator both say where in the source")
	}
	if lf != nil {
		return PageLocator(d.text(lf))
	}
	if pf != nil {
		if p := d.text(pf); p != "" {
			return PageLocator(p)
		}
	}
	return ""
}

// PageLocator reads a locator: a bare page or range ("15", "15-17")
// becomes "p. 15" or "pp. 15–17"; anything else is kept as written.
func PageLocator(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	for _, prefix := range []string{"pp. ", "p. ", "pp.", "p.", "pp ", "p "} {
		if rest, ok := strings.CutPrefix(s, prefix); ok && isPages(rest) {
			s = strings.TrimSpace(rest)
			break
		}
	}
	if isPages(s) {
		if strings.ContainsAny(s, "-–,") {
			return "pp. " + Pages(s)
		}
		return "p. " + s
	}
	return s
}

// isPages: digits (or roman numerals) with ranges and commas.
func isPages(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || strings.ContainsRune("ivxlcdmIVXLCDM-–, ", r)) {
			return false
		}
	}
	return strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' || strings.ContainsRune("ivxlcdmIVXLCDM", r) }) >= 0
}

// Pages writes a page range with an en dash: "15-17" → "15–17".
func Pages(s string) string {
	s = strings.ReplaceAll(s, "--", "–")
	return strings.ReplaceAll(s, "-", "–")
}

func (d *dec) relation(f *fm.Field) Relation {
	if f == nil {
		return BasedOn
	}
	s := d.text(f)
	if slices.Contains(relations, s) {
		return Relation(s)
	}
	hint := "relation is basedOn (the page retells it), cites (it backs a point) or mentions (named in passing)"
	if near := diag.Nearest(s, relations); near != "" {
		hint = fmt.Sprintf("did you mean %q? ", near) + hint
	}
	d.errAt(f.Value.Pos, hint, "relation %q is not one otpress knows", clip(s))
	return BasedOn
}

// checkFeatureSource reports a feature none of whose sources names the
// publication and issue it appeared in.
func (d *dec) checkFeatureSource(it *Item, m *fm.Value) {
	if slices.ContainsFunc(it.Sources, func(s Source) bool { return s.Work != nil && IssueOf(s.Work) != "" }) {
		return
	}
	p := fm.Pos{Line: 1, Col: 1}
	if sf := m.Get("sources"); sf != nil {
		p = sf.KeyPos
	}
	d.errAt(p, "add a source with publication, issue and page, e.g. - {publication: OTnews, issue: April 2019, page: \"15\"}, or name one of data/sources.yaml with container-title and issue or issued", "a feature needs a source naming its publication and issue")
}

// IssueOf is the issue a work appeared in, as readers know it: its issue
// as written, or the month and year it was issued ("April 2019"), when it
// is part of a publication.
func IssueOf(w *Work) string {
	switch {
	case w.ContainerTitle == "":
		return ""
	case w.Issue != "":
		return w.Issue
	case w.Issued.Month != 0:
		return time.Month(w.Issued.Month).String() + " " + strconv.Itoa(w.Issued.Year)
	}
	return ""
}

// workKey is what a work says, for finding the same work written twice.
func workKey(w *Work) string {
	if w.key == "" {
		x := *w
		x.ID, x.File, x.Pos, x.URLPos, x.Inline, x.base = "", "", fm.Pos{}, fm.Pos{}, false, ""
		w.key = fmt.Sprintf("%#v", x)
	}
	return w.key
}

// listed is the catalogue as its list gives it, without the works
// written inline, for LoadAgain.
func (c *Catalogue) listed() *Catalogue {
	n := &Catalogue{File: c.File, Listed: c.Listed, byID: map[string]*Work{}, byKey: map[string]*Work{}, sum: c.sum}
	for _, w := range c.Listed {
		n.byID[w.ID] = w
		n.byKey[workKey(w)] = w
	}
	return n
}

// Relink says whether fresh, a new reading of old, cites exactly the works
// old cites, in the same order (inline works compared by what they say,
// listed ones by id), so that the catalogue stays as it is; and if so
// points fresh's inline works at the catalogue's copies, as Rebuild would.
// Locators and relations may differ: they are the citing page's.
func (c *Catalogue) Relink(old, fresh *Item) bool {
	if c == nil || len(old.Sources) != len(fresh.Sources) {
		return false
	}
	for j := range fresh.Sources {
		o, f := old.Sources[j].Work, fresh.Sources[j].Work
		switch {
		case o == nil || f == nil:
			if o != f {
				return false
			}
		case f.Inline:
			if c.match(f) != o {
				return false
			}
		case f.ID != o.ID || f != c.byID[f.ID]:
			return false
		}
	}
	for j := range fresh.Sources {
		if f := fresh.Sources[j].Work; f != nil && f.Inline {
			fresh.Sources[j].Work = old.Sources[j].Work
		}
	}
	return true
}

// match finds a work of the catalogue that says the same as w.
func (c *Catalogue) match(w *Work) *Work {
	if c == nil {
		return nil
	}
	return c.byKey[workKey(w)]
}

// Rebuild is the catalogue of a library whose items are items: the
// listed works, and the works written inline in the items, each once (the
// same work written on several pages becomes one, and one written as a
// listed one says is that one). An inline work's id is made from the
// first author (or the publication), the date and the title's first words,
// with a short hash of what the work says when two different works would
// share one. Works that have an id keep it; same is false when a new
// reading of the whole library would give one of them another (the
// preview then rebuilds everything).
func (c *Catalogue) Rebuild(items []*Item) (next *Catalogue, same bool) {
	n := &Catalogue{byID: map[string]*Work{}, byKey: map[string]*Work{}}
	if c != nil {
		n.File, n.Listed, n.sum = c.File, c.Listed, c.sum
	}
	for _, w := range n.Listed {
		n.byID[w.ID] = w
		n.byKey[workKey(w)] = w
	}
	var works []*Work // inline, in the order first met
	for _, it := range items {
		for i := range it.Sources {
			s := &it.Sources[i]
			if s.Work == nil || !s.Work.Inline {
				continue
			}
			key := workKey(s.Work)
			if w := n.byKey[key]; w != nil {
				s.Work = w
				continue
			}
			n.byKey[key] = s.Work
			works = append(works, s.Work)
		}
	}
	bases := map[string]int{}
	for _, w := range works {
		bases[inlineID(w)]++
	}
	same = true
	ids := make([]string, len(works))
	for i, w := range works {
		base := inlineID(w)
		ids[i] = base
		if bases[base] > 1 || n.byID[base] != nil {
			sum := sha256.Sum256([]byte(workKey(w)))
			ids[i] = base + "-" + hex.EncodeToString(sum[:3])
		}
		same = same && (w.ID == "" || w.ID == ids[i])
	}
	if !same {
		return nil, false
	}
	for i, w := range works {
		w.ID = ids[i]
		n.byID[w.ID] = w
		n.inline = append(n.inline, w)
	}
	return n, true
}

// inlineID is the id an inline work would like: "otnews-2019-04-personalised-care".
func inlineID(w *Work) string {
	if w.base == "" {
		w.base = workID(w)
	}
	return w.base
}

func workID(w *Work) string {
	var parts []string
	who := w.ContainerTitle
	if len(w.Author) > 0 {
		who = w.Author[0].Family + w.Author[0].Literal
	}
	if s := firstWords(Slug(who), 3); s != "" {
		parts = append(parts, s)
	}
	if w.Issued.Year > 0 {
		parts = append(parts, strconv.Itoa(w.Issued.Year))
		if w.Issued.Month > 0 {
			parts = append(parts, fmt.Sprintf("%02d", w.Issued.Month))
		}
	} else {
		parts = append(parts, "nd")
	}
	if t := firstWords(Slug(w.Title), 4); t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, "-")
}

// firstWords is the first n words of a slug.
func firstWords(slug string, n int) string {
	words := strings.Split(slug, "-")
	return strings.Join(words[:min(n, len(words))], "-")
}
