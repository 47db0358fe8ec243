// Package harvard formats references in the house style, Harvard, as Cite
// Them Right describes it and UK health education teaches it: in the text a
// short reference, (Sanderson, 2019, p. 15), and at the end of the page,
// and on /sources/, the full reference:
//
//	Sanderson, J. (2019) ‘Personalised care’, OTnews, April, p. 15.
//
// with titles of whole works in italics (<cite>), article and chapter
// titles in quotation marks, organisations as authors under their names,
// works without an author under their titles, and British dates. Two works
// of one author and year are told apart with letters, 2019a and 2019b,
// worked out over the whole site. There is no Go CSL processor; this is
// the one formatter every page and output uses.
package harvard

import (
	"cmp"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/otpress/otpress/generator/internal/content"
)

// Reference is a work in the house style.
type Reference struct {
	ID        string
	Work      *content.Work
	HTML      template.HTML // the full reference
	Text      string        // the same in plain text, titles in *asterisks*
	ShortHTML template.HTML // the short reference without brackets: "Sanderson, 2019"
	ShortText string
	Year      string // "2019", "2019a", "n.d."
	SortKey   string // a list of references goes in this order: lead name, year, title, id
}

// Words are the style's own words in the site's language; the zero
// value's are English.
type Words struct {
	And         string // " and ", between the last two names
	NoDate      string // "n.d."
	Page, Pages string // "p. ", "pp. ", before a page or pages
	Editor      string // " (ed.)"
	Editors     string // " (eds)"
	In          string // ", in ", before the book a chapter is in
	Podcast     string // "Podcast", a broadcast's kind
	Episode     string // ", episode "
	Dataset     string // "Dataset"
	AvailableAt string // " Available at: "
	Accessed    string // " (Accessed: {date})": before the date
	CitedHere   string // " Cited here: "
	// Months are the months' names, January first.
	Months [12]string
}

// english are the words of the zero Words.
var english = Words{And: " and ", NoDate: "n.d.", Page: "p. ", Pages: "pp. ", Editor: " (ed.)", Editors: " (eds)", In: ", in ",
	Podcast: "Podcast", Episode: ", episode ", Dataset: "Dataset", AvailableAt: " Available at: ", Accessed: " (Accessed: ", CitedHere: " Cited here: ",
	Months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}}

// or is the words with English in the place of any left empty.
func (wd Words) or() Words {
	e := english
	for _, f := range []struct{ w, e *string }{{&wd.And, &e.And}, {&wd.NoDate, &e.NoDate}, {&wd.Page, &e.Page}, {&wd.Pages, &e.Pages}, {&wd.Editor, &e.Editor}, {&wd.Editors, &e.Editors},
		{&wd.In, &e.In}, {&wd.Podcast, &e.Podcast}, {&wd.Episode, &e.Episode}, {&wd.Dataset, &e.Dataset}, {&wd.AvailableAt, &e.AvailableAt}, {&wd.Accessed, &e.Accessed}, {&wd.CitedHere, &e.CitedHere}} {
		if *f.w == "" {
			*f.w = *f.e
		}
	}
	for i := range wd.Months {
		if wd.Months[i] == "" {
			wd.Months[i] = e.Months[i]
		}
	}
	return wd
}

// Bibliography is every work of a site in the house style, A to Z.
type Bibliography struct {
	byID   map[string]*Reference
	sorted []*Reference
	wd     Words
}

// NewBibliography formats the works of a site, telling apart works of one
// author and year.
func NewBibliography(works []*content.Work) *Bibliography { return NewBibliographyIn(works, Words{}) }

// NewBibliographyIn is NewBibliography with the style's words in a
// language.
func NewBibliographyIn(works []*content.Work, words Words) *Bibliography {
	wd := words.or()
	b := &Bibliography{byID: map[string]*Reference{}, wd: wd}
	groups := map[string][]*Reference{}
	for _, w := range works {
		ref := &Reference{ID: w.ID, Work: w}
		short, _ := wd.shortAuthor(w)
		ref.SortKey = content.Slug(sortLead(w)) + "\x00" + wd.yearOf(w) + "\x00" + content.Slug(w.Title) + "\x00" + w.ID
		b.byID[w.ID] = ref
		b.sorted = append(b.sorted, ref)
		if w.Type != "legislation" {
			g := short.text() + "\x00" + wd.yearOf(w)
			groups[g] = append(groups[g], ref)
		}
	}
	slices.SortFunc(b.sorted, func(x, y *Reference) int { return cmp.Compare(x.SortKey, y.SortKey) })
	suffix := map[*Reference]string{}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		slices.SortFunc(g, func(x, y *Reference) int { return cmp.Compare(x.SortKey, y.SortKey) })
		for i, ref := range g {
			if i < 26 {
				suffix[ref] = string(rune('a' + i))
			} else {
				suffix[ref] = strconv.Itoa(i + 1)
			}
		}
	}
	for _, ref := range b.sorted {
		ref.Year = wd.yearOf(ref.Work) + suffix[ref]
		full := wd.harvard(ref.Work, ref.Year)
		ref.HTML, ref.Text = full.html(), full.text()
		short := wd.inText(ref.Work, ref.Year, "")
		ref.ShortHTML, ref.ShortText = short.html(), short.text()
	}
	return b
}

// Get returns the reference of a work by id, or nil.
func (b *Bibliography) Get(id string) *Reference {
	if b == nil {
		return nil
	}
	return b.byID[id]
}

// All are the references A to Z: by first author (or title), then year.
func (b *Bibliography) All() []*Reference {
	if b == nil {
		return nil
	}
	return b.sorted
}

// Short is the short reference of a work for the text, with a locator:
// "Sanderson, 2019, p. 15", without brackets.
func (b *Bibliography) Short(id, locator string) (html template.HTML, text string, ok bool) {
	ref := b.Get(id)
	if ref == nil {
		return "", "", false
	}
	r := b.wd.inText(ref.Work, ref.Year, locator)
	return r.html(), r.text(), true
}

// Full is the reference of a work as one page cites it: a page locator
// fills in the page of a work listed without one (an issue of a magazine
// cited at page 15), so that a work written inline and the same work named
// by id read alike; another locator is added after it.
func (b *Bibliography) Full(id, locator string) (template.HTML, string) {
	ref := b.Get(id)
	if ref == nil {
		return "", ""
	}
	if locator == "" {
		return ref.HTML, ref.Text
	}
	w := *ref.Work
	pages, isPage := strings.CutPrefix(locator, "pp. ")
	if !isPage {
		pages, isPage = strings.CutPrefix(locator, "p. ")
	}
	if isPage && w.Page == "" && hasPageSlot(w.Type) {
		w.Page = pages
		r := b.wd.harvard(&w, ref.Year)
		return r.html(), r.text()
	}
	if isPage && hasPageSlot(w.Type) && content.PageLocator(w.Page) == locator {
		return ref.HTML, ref.Text
	}
	r := b.wd.harvard(&w, ref.Year)
	r = append(r, part{text: b.wd.CitedHere + b.wd.locator(locator) + "."})
	return r.html(), r.text()
}

func hasPageSlot(typ string) bool {
	switch typ {
	case "article-magazine", "article-journal", "chapter":
		return true
	}
	return false
}

// part is a piece of a reference: text, a title in italics, or an address.
type part struct {
	text  string
	title bool // a title in italics: <cite>
	link  bool // an address, linked
}

type ref []part

func (r ref) html() template.HTML {
	var b strings.Builder
	for _, p := range r {
		t := template.HTMLEscapeString(p.text)
		switch {
		case p.title:
			b.WriteString("<cite>" + t + "</cite>")
		case p.link:
			b.WriteString(`<a href="` + t + `">` + t + "</a>")
		default:
			b.WriteString(t)
		}
	}
	return template.HTML(b.String())
}

func (r ref) text() string {
	var b strings.Builder
	for _, p := range r {
		if p.title {
			b.WriteString("*" + p.text + "*")
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}

// builder helpers
func (r *ref) add(s string)   { *r = append(*r, part{text: s}) }
func (r *ref) title(s string) { *r = append(*r, part{text: s, title: true}) }

// stop ends a sentence: a full stop, unless the text already ends with one
// (an initial, or a title ending in a question mark).
func (r *ref) stop() {
	if n := len(*r); n > 0 {
		last := (*r)[n-1].text
		if c, _ := utf8.DecodeLastRuneInString(last); c == '.' || c == '?' || c == '!' {
			return
		}
	}
	r.add(".")
}

// quoted is an article's or a chapter's title in single quotation marks.
func quoted(s string) string { return "‘" + s + "’" }

// yearOf is the year a work was issued, or "n.d." (no date).
func (wd Words) yearOf(w *content.Work) string {
	if w.Issued.Year == 0 {
		return wd.NoDate
	}
	return strconv.Itoa(w.Issued.Year)
}

// authors are the people or organisations a work is filed under: its
// authors; a broadcast's hosts; a book's editors; a web page's website.
func authors(w *content.Work) (names []content.Name, editors bool) {
	switch {
	case len(w.Author) > 0:
		return w.Author, false
	case w.Type == "broadcast" && len(w.Host) > 0:
		return w.Host, false
	case w.Type == "book" && len(w.Editor) > 0:
		return w.Editor, true
	case w.Type == "webpage" && w.ContainerTitle != "":
		return []content.Name{{Literal: w.ContainerTitle}}, false
	}
	return nil, false
}

// sortLead is what a work is filed under A to Z.
func sortLead(w *content.Work) string {
	if names, _ := authors(w); len(names) > 0 {
		n := names[0]
		return cmp.Or(n.Literal, n.Family+" "+n.Given)
	}
	t := cmp.Or(w.Title, w.ContainerTitle)
	for _, article := range []string{"The ", "A ", "An "} {
		t = strings.TrimPrefix(t, article)
	}
	return t
}

// initials turns given names into initials: "James" → "J.", "Mary Ann" →
// "M.A.", "Jean-Paul" → "J.-P.".
func initials(given string) string {
	var b strings.Builder
	for _, word := range strings.Fields(given) {
		for i, part := range strings.Split(word, "-") {
			r, _ := utf8.DecodeRuneInString(part)
			if r == utf8.RuneError || !unicode.IsLetter(r) {
				continue
			}
			if i > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToUpper(r))
			b.WriteByte('.')
		}
	}
	return b.String()
}

// listNames joins names: "A", "A and B", "A, B and C".
func (wd Words) listNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + wd.And + names[len(names)-1]
}

// fullNames are names as the reference list gives them: "Sanderson, J.".
func (wd Words) fullNames(ns []content.Name) string {
	var out []string
	for _, n := range ns {
		if n.Literal != "" {
			out = append(out, n.Literal)
			continue
		}
		s := n.Family
		if in := initials(n.Given); in != "" {
			s += ", " + in
		}
		out = append(out, s)
	}
	return wd.listNames(out)
}

// shortAuthor is who a work is cited under in the text: family names (one,
// two, three, or the first "et al."), an organisation's name, or, for a
// work without an author, its title (short title when it has one).
func (wd Words) shortAuthor(w *content.Work) (ref, bool) {
	var r ref
	names, _ := authors(w)
	if len(names) == 0 {
		t := cmp.Or(w.TitleShort, w.Title)
		switch {
		case t == "":
			r.title(w.ContainerTitle)
		case quotedTitle(w.Type):
			r.add(quoted(t))
		default:
			r.title(t)
		}
		return r, false
	}
	var fams []string
	for _, n := range names {
		fams = append(fams, cmp.Or(n.Literal, n.Family))
	}
	if len(fams) > 3 {
		r.add(fams[0] + " et al.")
	} else {
		r.add(wd.listNames(fams))
	}
	return r, true
}

// quotedTitle says a type's title goes in quotation marks (part of a
// larger work) rather than italics.
func quotedTitle(typ string) bool {
	switch typ {
	case "article-magazine", "article-journal", "chapter":
		return true
	}
	return false
}

// inText is the short reference: "Sanderson, 2019, p. 15"; an Act is cited
// by its title, which has its year.
func (wd Words) inText(w *content.Work, year, locator string) ref {
	r, _ := wd.shortAuthor(w)
	if w.Type == "legislation" {
		r = ref{{text: legislationTitle(w), title: true}}
	} else {
		r.add(", " + year)
	}
	if locator != "" {
		r.add(", " + wd.locator(locator))
	}
	return r
}

// legislationTitle is an Act's title with its year, as it is cited.
func legislationTitle(w *content.Work) string {
	t := w.Title
	if y := w.Issued.Year; y > 0 && !strings.Contains(t, strconv.Itoa(y)) {
		t += " " + strconv.Itoa(y)
	}
	return t
}

// britishDate is "1 May 2024", "May 2024" or "2024".
func (wd Words) britishDate(d content.Date) string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return strconv.Itoa(d.Year)
	case d.Day == 0:
		return wd.month(d.Month) + " " + strconv.Itoa(d.Year)
	}
	return strconv.Itoa(d.Day) + " " + wd.month(d.Month) + " " + strconv.Itoa(d.Year)
}

// dayMonth is the day and month of an issue, without the year the
// reference already gives: "1 April", "April".
func (wd Words) dayMonth(d content.Date) string {
	switch {
	case d.Month == 0:
		return ""
	case d.Day == 0:
		return wd.month(d.Month)
	}
	return strconv.Itoa(d.Day) + " " + wd.month(d.Month)
}

// pages is "p. 15" or "pp. 15–17".
func (wd Words) pages(p string) string {
	if p == "" {
		return ""
	}
	return wd.locator(content.PageLocator(p))
}

// locator is a locator as content reads it ("p. 15", "pp. 15–17") with
// the language's words for page and pages.
func (wd Words) locator(l string) string {
	if rest, ok := strings.CutPrefix(l, "pp. "); ok {
		return wd.Pages + rest
	}
	if rest, ok := strings.CutPrefix(l, "p. "); ok {
		return wd.Page + rest
	}
	return l
}

// month names month m (1 to 12).
func (wd Words) month(m int) string {
	if m < 1 || m > 12 {
		return strconv.Itoa(m)
	}
	return wd.Months[m-1]
}

// edition is "2nd edn", or the edition as written when it is not a number.
func edition(e string) string {
	n, err := strconv.Atoi(e)
	switch {
	case e == "" || n == 1:
		return ""
	case err != nil:
		if strings.Contains(strings.ToLower(e), "ed") {
			return e
		}
		return e + " edn"
	}
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix + " edn"
}

// place is "London: Publisher", or whichever of the two is known.
func place(w *content.Work) string {
	switch {
	case w.PublisherPlace != "" && w.Publisher != "":
		return w.PublisherPlace + ": " + w.Publisher
	}
	return cmp.Or(w.Publisher, w.PublisherPlace)
}

// harvard is the full reference of a work.
func (wd Words) harvard(w *content.Work, year string) ref {
	var r ref
	names, eds := authors(w)
	who := wd.fullNames(names)
	if eds {
		who += map[bool]string{true: wd.Editors, false: wd.Editor}[len(names) > 1]
	}
	// the title, as the work's type has it
	title := func() {
		switch {
		case w.Title == "":
		case w.Type == "legislation":
			r.title(legislationTitle(w))
		case w.Type == "standard" && w.Number != "":
			r.title(w.Number + ": " + w.Title)
		case quotedTitle(w.Type):
			r.add(quoted(w.Title))
		default:
			r.title(w.Title)
		}
	}
	lead := func() {
		switch {
		case w.Type == "legislation":
			title()
		case who != "":
			r.add(who + " (" + year + ") ")
			title()
		case w.Title != "":
			title()
			r.add(" (" + year + ")")
		default: // an inline source with only its publication
			r.title(w.ContainerTitle)
			r.add(" (" + year + ")")
		}
	}
	sep := func() {
		// after the title: a comma before the container of an article
		// with an author; the author-less lead already closed with the year
		if who != "" {
			r.add(", ")
		} else {
			r.add(" ")
		}
	}
	lead()
	switch w.Type {
	case "article-magazine", "article-journal":
		if w.Title != "" {
			sep()
			r.title(w.ContainerTitle)
		} else if who != "" {
			r.add(" ")
			r.title(w.ContainerTitle)
		}
		var bits []string
		switch {
		case w.Volume != "" && w.Issue != "":
			bits = append(bits, w.Volume+"("+w.Issue+")")
		case w.Volume != "":
			bits = append(bits, w.Volume)
		case w.Issue != "":
			bits = append(bits, w.Issue)
		case w.Type == "article-magazine" && w.Issued.Month != 0:
			bits = append(bits, wd.dayMonth(w.Issued))
		}
		if w.Page != "" {
			bits = append(bits, wd.pages(w.Page))
		}
		for i, b := range bits {
			if i == 0 && w.Title == "" && who == "" {
				r.add(" " + b) // after the publication's name and year
			} else {
				r.add(", " + b)
			}
		}
		r.stop()
	case "chapter":
		r.add(wd.In)
		if len(w.Editor) > 0 {
			r.add(wd.fullNames(w.Editor) + map[bool]string{true: wd.Editors, false: wd.Editor}[len(w.Editor) > 1] + " ")
		}
		r.title(w.ContainerTitle)
		r.stop()
		if e := edition(w.Edition); e != "" {
			r.add(" " + e + ".")
		}
		if p := place(w); p != "" {
			r.add(" " + p)
		}
		if w.Page != "" {
			r.add(", " + wd.pages(w.Page))
		}
		r.stop()
	case "broadcast":
		r.add(" [" + cmp.Or(w.Genre, wd.Podcast) + "]")
		r.add(". " + w.ContainerTitle)
		if w.Number != "" {
			r.add(wd.Episode + w.Number)
		}
		if dm := wd.dayMonth(w.Issued); dm != "" {
			r.add(", " + dm)
		}
		r.stop()
	case "legislation":
		if w.Number != "" && w.Title != "" {
			r.add(", " + w.Number)
		}
		r.stop()
	default: // book, report, webpage, standard, dataset, document
		if w.Type == "dataset" {
			r.add(" [" + cmp.Or(w.Genre, wd.Dataset) + "]")
		} else if w.Genre != "" && w.Type != "report" {
			r.add(" [" + w.Genre + "]")
		}
		if w.Type == "report" && (w.CollectionTitle != "" || w.Number != "") {
			r.add(" (" + strings.TrimSpace(strings.Join(nonEmpty(w.CollectionTitle, w.Number), ", ")) + ")")
		}
		r.stop()
		if e := edition(w.Edition); e != "" {
			r.add(" " + e + ".")
		}
		if w.Type == "document" && w.ContainerTitle != "" && w.Title != "" {
			r.add(" ")
			r.title(w.ContainerTitle)
			r.stop()
		}
		if w.Type != "webpage" {
			if p := place(w); p != "" {
				r.add(" " + p)
				r.stop()
			}
		}
	}
	switch {
	case w.DOI != "":
		r.add(wd.AvailableAt)
		r = append(r, part{text: "https://doi.org/" + w.DOI, link: true})
		r.add(".")
	case w.URL != "":
		r.add(wd.AvailableAt)
		r = append(r, part{text: w.URL, link: true})
		if !w.Accessed.IsZero() {
			r.add(wd.Accessed + wd.britishDate(w.Accessed) + ")")
		}
		r.add(".")
	}
	return r
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
