package hugo

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/otpress/otpress/generator/internal/content"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// hugoURL is the address Hugo gave a page, kept as an alias so that old
// links still lead to it.
func (im *importer) hugoURL(pg *page, name string) string {
	m := pg.doc.Meta
	if u := text(get(m, "url")); u != "" {
		return "/" + strings.TrimPrefix(u, "/")
	}
	switch {
	case pg.section == "" && pg.branch:
		return "/"
	case pg.branch:
		return "/" + urlize(path.Dir(pg.rel)) + "/"
	}
	slug := cmp.Or(text(get(m, "slug")), name)
	if pat, ok := im.cfg.permalinks[strings.ToLower(cmp.Or(pg.section, "page"))]; ok && pat != "" {
		return im.expand(pat, pg, name, slug)
	}
	dir := path.Dir(pg.rel)
	if pg.bundle {
		dir = path.Dir(dir)
	}
	p := "/" + urlize(slug)
	if dir != "." {
		p = "/" + urlize(dir) + p
	}
	if im.cfg.uglyURLs {
		return p + ".html"
	}
	return p + "/"
}

// urlize is Hugo's way with a path: lower case, spaces as hyphens.
func urlize(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), "-"))
}

var token = regexp.MustCompile(`:[a-z]+`)

// expand fills a Hugo permalink pattern such as /:year/:month/:slug/.
func (im *importer) expand(pat string, pg *page, name, slug string) string {
	d, _, _ := dateOf(get(pg.doc.Meta, "date"))
	title := text(get(pg.doc.Meta, "title"))
	return token.ReplaceAllStringFunc(pat, func(t string) string {
		switch t {
		case ":year":
			return d.Format("2006")
		case ":month":
			return d.Format("01")
		case ":monthname":
			return strings.ToLower(d.Format("January"))
		case ":day":
			return d.Format("02")
		case ":weekday":
			return strconv.Itoa(int(d.Weekday()))
		case ":weekdayname":
			return strings.ToLower(d.Format("Monday"))
		case ":yearday":
			return strconv.Itoa(d.YearDay())
		case ":section":
			return urlize(pg.section)
		case ":sections":
			return urlize(path.Dir(pg.rel))
		case ":title":
			return urlize(cmp.Or(title, name))
		case ":slug", ":slugorfilename", ":slugorcontentbasename":
			return urlize(slug)
		case ":filename", ":contentbasename":
			return urlize(name)
		}
		return t
	})
}

// dateLayouts are the ways of writing a date that Hugo reads and otpress
// may not.
var dateLayouts = []string{
	time.RFC3339, time.DateOnly, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 -0700 MST", "2006-01-02T15:04", "2006-01-02 15:04",
	time.RFC1123Z, time.RFC1123, "02 Jan 2006", "2 January 2006", "January 2, 2006", "Jan 2, 2006",
}

// dateOf reads a date as Hugo does. ok is false when there is none or it
// cannot be read.
func dateOf(f *fm.Field) (t time.Time, dateOnly, ok bool) {
	if f == nil {
		return time.Time{}, false, false
	}
	if f.Value.Kind == fm.Time {
		return f.Value.Time, f.Value.DateOnly, true
	}
	s := text(f)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, !strings.Contains(l, "15"), true
		}
	}
	return time.Time{}, false, false
}

func formatDate(t time.Time, dateOnly bool) string {
	if dateOnly {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

// why otpress has no place for Hugo keys that pages often carry.
var dropReasons = map[string]string{
	"weight":         "otpress lists pages newest first; there is no order to set",
	"layout":         "otpress picks the template by the kind of page",
	"type":           "otpress picks the template by the kind of page",
	"menu":           "the site's navigation lists its sections",
	"menus":          "the site's navigation lists its sections",
	"keywords":       "search reads the whole text; add a theme to group pages",
	"toc":            "long pages get a list of their headings",
	"linktitle":      "lists show the title",
	"outputs":        "every page is written as HTML; feeds are the site's",
	"markup":         "otpress reads Markdown",
	"iscjklanguage":  "otpress counts words for each language itself",
	"translationkey": "otpress sites are in one language",
	"resources":      "files of a bundle are copied as they are",
	"params":         "templates read only otpress's keys",
	"sitemap":        "every published page is in the sitemap",
}

// mapped is the front matter otpress gets, in the order it is written.
type mapped struct {
	keys    []string
	values  map[string]string // YAML text of each value
	aliases []string          // the addresses in values["aliases"]
}

func (m *mapped) set(key, yaml string) {
	if _, ok := m.values[key]; !ok {
		m.keys = append(m.keys, key)
	}
	m.values[key] = yaml
}

// convert maps a page's front matter and text and plans its files.
func (im *importer) convert(pg *page) {
	if im.exists(pg.newFile) {
		im.report(Entry{File: pg.file, What: Skipped, Msg: pg.newFile + " already exists in the otpress site; it was not changed"})
		return
	}
	m := pg.doc.Meta
	start := len(im.res.Report) // a page not imported has one entry, saying why
	out := &mapped{values: map[string]string{}}
	item := pg.kind == Story || pg.kind == Feature
	known := content.KnownKeys(pg.kind)
	if !item {
		known = []string{"title", "summary"}
	}
	var dateF, pubF, lastF, expF, descF, sumF *fm.Field
	var terms []string
	var termAt []fm.Pos
	var image *fm.Value
	var imageAt *fm.Field
	for i := range m.Fields {
		f := &m.Fields[i]
		key := strings.ToLower(f.Key)
		switch {
		case key == "title":
			out.set("title", yamlText(text(f)))
		case key == "date":
			dateF = f
		case key == "publishdate" || key == "pubdate" || key == "published" || key == "publish_date":
			pubF = f
		case key == "lastmod" || key == "modified":
			lastF = f
		case key == "expirydate" || key == "unpublishdate" || key == "expiry_date" || key == "expires":
			expF = f
		case key == "description":
			descF = f
		case key == "summary":
			sumF = f
		case slices.Contains(im.cfg.taxonomies, key) || key == "themes":
			if !item {
				im.drop(pg, f.KeyPos, f.Key, "only stories, episodes and features have themes")
				continue
			}
			for _, t := range texts(f) {
				terms = append(terms, t)
				termAt = append(termAt, f.Value.Pos)
			}
			if key != "themes" {
				im.at(pg, f.KeyPos, Mapped, "%s → themes (%s)", f.Key, strings.Join(texts(f), ", "))
			}
		case (key == "author" || key == "authors") && item:
			out.set("authors", yamlList(texts(f)))
			if f.Key != "authors" {
				im.at(pg, f.KeyPos, Mapped, "%s → authors", f.Key)
			}
		case (key == "images" || key == "image" || key == "featured_image" || key == "cover") && item && image == nil:
			image, imageAt = im.image(pg, f)
		case key == "aliases" && item:
			for _, a := range texts(f) {
				im.alias(pg, out, a)
			}
		case key == "aliases":
			var old []string
			for _, a := range texts(f) {
				old = append(old, im.resolveAlias(pg, a))
			}
			im.drop(pg, f.KeyPos, f.Key, "only stories, episodes and features keep old addresses; have the web server redirect %s to %s", strings.Join(old, ", "), pg.newURL)
		case key == "url" || key == "slug":
			// the slug is the new file's name
			if key == "url" {
				im.at(pg, f.KeyPos, Mapped, "url → the address %s, with %s kept as an alias", pg.newURL, pg.oldURL)
			}
		case key == "draft" && item:
			if f.Value.Kind == fm.Bool && f.Value.Bool {
				out.set("draft", "true")
			}
		case key == "draft" && f.Value.Kind == fm.Bool && f.Value.Bool:
			im.at(pg, f.KeyPos, Skipped, "a draft; otpress pages cannot be drafts, so it is not imported (import its section with --as SECTION=feature to keep it as a draft)")
			im.onlyLast(start)
			return
		case item && slices.Contains(known, key):
			out.set(key, yamlValue(f.Value))
		case key == "headless" || key == "_build" || key == "build":
			// decided in place
		default:
			why := dropReasons[key]
			if why == "" {
				why = "otpress has no such setting"
			}
			im.drop(pg, f.KeyPos, f.Key, "%s", why)
		}
	}
	if out.values["title"] == "" || out.values["title"] == `""` {
		if pg.kind != "home" && pg.kind != "section" {
			name := strings.TrimSuffix(path.Base(pg.newFile), ".md")
			if name == "index" {
				name = path.Base(path.Dir(pg.newFile))
			}
			t := titleOf(name)
			out.set("title", yamlText(t))
			im.report(Entry{File: pg.file, Line: 1, Col: 1, What: Note, Msg: fmt.Sprintf("no title: %q is made from the file name; change it if it is not right", t)})
		}
	}
	if !im.dates(pg, out, item, dateF, pubF, lastF, expF) {
		im.onlyLast(start)
		return
	}
	// The summary: Hugo's summary, else its description.
	switch {
	case sumF != nil:
		out.set("summary", yamlText(text(sumF)))
		if descF != nil {
			im.drop(pg, descF.KeyPos, descF.Key, "summary is given too, and otpress has one summary")
		}
	case descF != nil:
		out.set("summary", yamlText(text(descF)))
		im.at(pg, descF.KeyPos, Mapped, "description → summary")
	}
	if len(terms) > 0 {
		var slugs []string
		for _, t := range terms {
			if s := content.Slug(t); s != "" && !slices.Contains(slugs, s) {
				im.theme(t, true)
				slugs = append(slugs, s)
			}
		}
		out.set("themes", yamlList(slugs))
	}
	if image != nil {
		out.set("image", yamlValue(image))
		if image.Get("alt") == nil {
			im.at(pg, imageAt.Value.Pos, Note, "the picture has no alt text, which otpress needs: add alt: \"what the picture shows\" to image in %s", pg.newFile)
		}
	}
	if pg.kind == Feature && out.values["sources"] == "" {
		im.firstAppeared(pg, out)
	}
	if item && pg.oldURL != pg.newURL && pg.oldURL != "/" {
		im.alias(pg, out, pg.oldURL)
	}
	body := im.body(pg)
	if strings.TrimSpace(body) == "" {
		if l := cmp.Or(get(m, "layout"), get(m, "type")); l != nil && pg.kind != "section" {
			im.at(pg, l.KeyPos, Skipped, "it has no text: what Hugo showed came from its layout (%s), which otpress does not have", text(l))
			im.onlyLast(start)
			return
		}
		if !item && len(out.keys) == 0 {
			im.report(Entry{File: pg.file, What: Skipped, Msg: "it has no title, summary or text to carry over"})
			im.onlyLast(start)
			return
		}
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	slices.SortStableFunc(out.keys, func(a, b string) int { return keyRank(a) - keyRank(b) })
	for _, k := range out.keys {
		fmt.Fprintf(&b, "%s: %s\n", k, out.values[k])
	}
	b.WriteString("---\n")
	b.WriteString(body)
	im.res.Files = append(im.res.Files, File{Path: pg.newFile, Data: b.Bytes()})
	counted := pg.kind
	if counted == "home" {
		counted = "section" // the home page's introduction, counted with the sections'
	}
	im.res.Counts[counted]++
	im.report(Entry{File: pg.file, What: Wrote, Msg: pg.newFile})
	if len(pg.assets) > 0 {
		dir := path.Dir(pg.newFile)
		copied := 0
		for _, a := range pg.assets {
			to := dir + "/" + a
			if im.exists(to) {
				im.report(Entry{File: path.Dir(pg.file) + "/" + a, What: Skipped, Msg: to + " already exists; it was not changed"})
				continue
			}
			im.res.Files = append(im.res.Files, File{Path: to, From: path.Dir(pg.file) + "/" + a})
			copied++
		}
		im.res.Counts["file"] += copied
		im.report(Entry{File: pg.file, What: Wrote, Msg: fmt.Sprintf("%d files of the bundle beside %s", copied, pg.newFile)})
	}
}

// firstAppeared gives a feature the source otpress asks of one: where it
// was published first, the Hugo site, in the month of its date.
func (im *importer) firstAppeared(pg *page, out *mapped) {
	if im.cfg.title == "" {
		im.report(Entry{File: pg.file, Line: 1, Col: 1, What: Note, Msg: "a feature needs a source naming where it was published, and the Hugo site has no title to name: add sources: [{publication: NAME, date: " + strings.Trim(out.values["date"], `"`) + "}]"})
		return
	}
	src := &fm.Value{Kind: fm.Map}
	add := func(k, v string) {
		src.Fields = append(src.Fields, fm.Field{Key: k, Value: &fm.Value{Kind: fm.String, Str: v}})
	}
	if im.cfg.baseURL != "" {
		add("type", "webpage")
	}
	var title string
	json.Unmarshal([]byte(out.values["title"]), &title)
	add("title", cmp.Or(title, strings.Trim(out.values["title"], `"`)))
	add("publication", im.cfg.title)
	add("date", strings.Trim(out.values["date"], `"`))
	if im.cfg.baseURL != "" {
		add("url", im.cfg.baseURL+pg.oldURL)
		add("accessed", im.opts.Now.Format(time.DateOnly))
	}
	out.set("sources", "["+yamlValue(src)+"]")
	im.report(Entry{File: pg.file, Line: 1, Col: 1, What: Mapped, Msg: fmt.Sprintf("sources: first published on %s (%s); a feature names where it appeared", im.cfg.title, cmp.Or(im.cfg.baseURL+pg.oldURL, "no address"))})
}

// keyOrder is the order keys are written in, as generator new writes them.
var keyOrder = []string{"title", "date", "updated", "expires", "draft", "summary", "themes", "authors", "image", "sources", "aliases"}

func keyRank(k string) int {
	if i := slices.Index(keyOrder, k); i >= 0 {
		return i
	}
	return len(keyOrder)
}

// onlyLast keeps, of the entries since start, only the last: a page not
// imported says why, not what would have been mapped.
func (im *importer) onlyLast(start int) {
	r := im.res.Report
	im.res.Report = append(r[:start], r[len(r)-1])
}

// dates maps Hugo's four dates onto date, updated and expires. otpress
// publishes an item on its date, so Hugo's publishDate becomes the date.
// It says whether the page is imported.
func (im *importer) dates(pg *page, out *mapped, item bool, dateF, pubF, lastF, expF *fm.Field) bool {
	read := func(f *fm.Field) (time.Time, bool, bool) {
		if f == nil {
			return time.Time{}, false, false
		}
		t, only, ok := dateOf(f)
		if !ok {
			im.at(pg, f.Value.Pos, Note, "%s %q is not a date otpress or Hugo reads; write it as 2019-04-01", f.Key, text(f))
		}
		return t, only, ok
	}
	date, dOnly, hasDate := read(dateF)
	pub, pOnly, hasPub := read(pubF)
	last, lOnly, hasLast := read(lastF)
	exp, eOnly, hasExp := read(expF)
	if !item {
		for _, f := range []*fm.Field{dateF, lastF} {
			if f != nil {
				im.drop(pg, f.KeyPos, f.Key, "otpress pages have no date")
			}
		}
		if hasPub && pub.After(im.opts.Now) || hasExp {
			f := pubF
			if hasExp {
				f = expF
			}
			im.at(pg, f.KeyPos, Skipped, "%s: otpress pages cannot be scheduled, so it is not imported (import its section with --as SECTION=feature to keep the dates)", f.Key)
			return false
		}
		if pubF != nil {
			im.drop(pg, pubF.KeyPos, pubF.Key, "otpress pages have no date")
		}
		return true
	}
	switch {
	case hasPub:
		date, dOnly = pub, pOnly
		msg := fmt.Sprintf("%s → date %s: otpress publishes an item on its date", pubF.Key, formatDate(pub, pOnly))
		if hasDate && !pub.Equal(date) {
			msg += fmt.Sprintf(" (the date %s is not kept)", dateF.Value.Str)
		}
		im.at(pg, pubF.KeyPos, Mapped, "%s", msg)
	case hasDate:
	case hasLast:
		date, dOnly = last, lOnly
		im.at(pg, lastF.KeyPos, Note, "no date: %s %s is used as the date", lastF.Key, formatDate(last, lOnly))
	default:
		t := im.opts.Now
		if fi, err := fs.Stat(im.src, pg.file); err == nil && !fi.ModTime().IsZero() {
			t = fi.ModTime()
		}
		date, dOnly = t, true
		im.report(Entry{File: pg.file, Line: 1, Col: 1, What: Note, Msg: fmt.Sprintf("no date: the file's date, %s, is used; check it", t.Format(time.DateOnly))})
	}
	out.set("date", formatDate(date, dOnly))
	if date.After(im.opts.Now) {
		im.report(Entry{File: pg.file, Line: 1, Col: 1, What: Note, Msg: fmt.Sprintf("scheduled: a build leaves it out until %s", date.Format(time.DateOnly))})
	}
	if hasLast && lastF != nil && last.After(date) {
		out.set("updated", formatDate(last, lOnly))
		if lastF.Key != "updated" {
			im.at(pg, lastF.KeyPos, Mapped, "%s → updated", lastF.Key)
		}
	} else if hasLast && !hasDate && !hasPub {
		// it became the date
	} else if hasLast {
		im.drop(pg, lastF.KeyPos, lastF.Key, "it is not after the date, so there is no update to show")
	}
	if hasExp {
		if !exp.After(date) {
			out.set("draft", "true")
			im.at(pg, expF.KeyPos, Mapped, "%s is not after the date, so Hugo never published it: imported as a draft, without it", expF.Key)
		} else {
			out.set("expires", formatDate(exp, eOnly))
			if expF.Key != "expires" {
				im.at(pg, expF.KeyPos, Mapped, "%s → expires", expF.Key)
			}
			if !exp.After(im.opts.Now) {
				im.at(pg, expF.KeyPos, Note, "expired on %s: a build leaves it out (build --expired shows it)", exp.Format(time.DateOnly))
			}
		}
	}
	return true
}

// image maps Hugo's picture keys (images, a list for social cards;
// image; featured_image; a theme's cover with image and alt) to image.
func (im *importer) image(pg *page, f *fm.Field) (*fm.Value, *fm.Field) {
	src, alt := "", (*fm.Field)(nil)
	switch f.Value.Kind {
	case fm.List:
		if l := texts(f); len(l) > 0 {
			src = l[0]
			if len(l) > 1 {
				im.drop(pg, f.Value.List[1].Pos, f.Key, "otpress shows one picture a page; the first is kept")
			}
		}
	case fm.Map:
		src = text(get(f.Value, "image"))
		alt = get(f.Value, "alt")
	default:
		src = text(f)
	}
	if src == "" {
		im.drop(pg, f.KeyPos, f.Key, "no picture named")
		return nil, nil
	}
	if strings.HasPrefix(src, "/") {
		im.static[strings.TrimPrefix(path.Clean(src), "/")] = true
	}
	v := &fm.Value{Kind: fm.Map, Fields: []fm.Field{{Key: "src", Value: &fm.Value{Kind: fm.String, Str: src}}}}
	if alt != nil {
		v.Fields = append(v.Fields, fm.Field{Key: "alt", Value: &fm.Value{Kind: fm.String, Str: text(alt)}})
	}
	im.at(pg, f.KeyPos, Mapped, "%s → image", f.Key)
	return v, f
}

// alias adds an old address, resolved as Hugo does: a relative alias is
// under the page's parent address.
func (im *importer) alias(pg *page, out *mapped, a string) {
	if strings.Contains(a, "://") {
		return
	}
	a = im.resolveAlias(pg, a)
	if a == pg.newURL {
		return
	}
	if other := im.addressOf(a); other != nil && other != pg {
		im.report(Entry{File: pg.file, What: Note, Msg: fmt.Sprintf("the old address %s is also %s's, which keeps it; this page does not", a, other.file)})
		return
	}
	im.claimed[a] = pg
	if !slices.Contains(out.aliases, a) {
		out.aliases = append(out.aliases, a)
		out.set("aliases", yamlList(out.aliases))
	}
}

// addressOf is the imported page at an address, its new one or an old
// one it keeps, or nil.
func (im *importer) addressOf(a string) *page {
	if im.byURL == nil {
		im.byURL = map[string]*page{}
		for _, p := range im.pages {
			if !p.skip && p.newURL != "" {
				im.byURL[p.newURL] = p
			}
		}
	}
	if p := im.byURL[a]; p != nil {
		return p
	}
	return im.claimed[a]
}

// resolveAlias is the address an alias names: a relative one is under
// the page's parent address, as Hugo has it.
func (im *importer) resolveAlias(pg *page, a string) string {
	if !strings.HasPrefix(a, "/") {
		parent := path.Dir(strings.TrimSuffix(pg.oldURL, "/"))
		a = path.Join(parent, a)
	}
	if !strings.HasSuffix(a, "/") && path.Ext(a) == "" {
		a += "/"
	}
	return a
}

// titleOf makes a title from a file name: "my-first-post" → "My first post".
func titleOf(name string) string {
	s := strings.Join(strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == ' ' }), " ")
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// YAML writing: plain text when it reads back as the same text, else in
// double quotes (JSON's string syntax is YAML's).

var plain = regexp.MustCompile(`^[\p{L}][\p{L}\p{N} ,.'’()/&!?–—-]*$`)

func yamlText(s string) string {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n":
		return quote(s)
	}
	if plain.MatchString(s) && !strings.HasSuffix(s, " ") {
		return s
	}
	return quote(s)
}

func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// yamlList writes a list in flow style, [a, b].
func yamlList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = yamlText(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// yamlValue writes any front-matter value in flow style.
func yamlValue(v *fm.Value) string {
	switch v.Kind {
	case fm.Null:
		return "null"
	case fm.String:
		return yamlText(v.Str)
	case fm.Time:
		return formatDate(v.Time, v.DateOnly)
	case fm.Int, fm.Float, fm.Bool:
		return v.Str
	case fm.List:
		q := make([]string, len(v.List))
		for i, e := range v.List {
			q[i] = yamlValue(e)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	q := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		q[i] = yamlText(f.Key) + ": " + yamlValue(f.Value)
	}
	return "{" + strings.Join(q, ", ") + "}"
}
