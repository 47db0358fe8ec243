package edit

import (
	"cmp"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// kinds are the kinds of page a new one may be, as the dashboard offers.
var kinds = []struct{ Kind, Label, Plural string }{
	{"story", "story", "Stories"},
	{"episode", "episode", "Episodes"},
	{"feature", "feature", "Features"},
	{"pack", "learning pack", "Learning packs"},
	{"theme", "theme", "Themes"},
}

// kindOf is the kind of page a file under content/ is: "story", "theme",
// "section", "home", ...; "" for a file that is no page.
func kindOf(p string) string {
	parts := strings.Split(strings.TrimPrefix(p, content.Dir+"/"), "/")
	base := parts[len(parts)-1]
	if strings.HasPrefix(base, "_index.") {
		if len(parts) == 1 {
			return "home"
		}
		return "section"
	}
	if len(parts) < 2 {
		return ""
	}
	switch parts[0] {
	case content.ThemesSection:
		return "theme"
	case content.PacksSection:
		return "pack"
	case content.PagesSection:
		return "page"
	}
	if k, ok := content.KindOfSection(parts[0]); ok && (len(parts) == 2 || len(parts) == 3 && strings.HasPrefix(base, "index.")) {
		return string(k)
	}
	return ""
}

// entry is one file in the dashboard's lists.
type entry struct {
	File, Title, Status, Link string
	Date                      time.Time
}

// dashboard lists the site's pages by kind, each with its edit link.
func (e *Editor) dashboard(w http.ResponseWriter, r *http.Request) {
	lib, cfg := e.library()
	titles := map[string]*entry{}
	add := func(file, title, status string, date time.Time) {
		titles[file] = &entry{File: file, Title: title, Status: status, Date: date}
	}
	for _, it := range slices.Concat(lib.Items, lib.Scheduled, lib.Expired) {
		status := "Published"
		switch {
		case it.Draft:
			status = "Draft"
		case it.Scheduled:
			status = "Scheduled"
		case it.Expired:
			status = "Expired"
		}
		add(it.File, it.Title, status, it.Date)
	}
	for _, t := range lib.Themes {
		add(t.File, t.Title, "", time.Time{})
	}
	for _, pk := range lib.Packs {
		add(pk.File, pk.Title, map[bool]string{true: "Draft", false: "Published"}[pk.Draft], time.Time{})
	}
	for _, pg := range lib.Pages {
		add(pg.File, pg.Title, "", time.Time{})
	}
	for name, sp := range lib.Sections {
		add(sp.File, cmp.Or(sp.Title, "Introduction to "+cmp.Or(name, "the home page")), "", time.Time{})
	}
	groups := map[string][]*entry{}
	fs.WalkDir(e.root.FS(), content.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || strings.HasPrefix(d.Name(), ".") && p != content.Dir {
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		k := kindOf(p)
		if d.IsDir() || k == "" || !strings.EqualFold(path.Ext(p), ".md") {
			return nil
		}
		en := titles[p]
		if en == nil {
			en = e.unlisted(p, cfg)
		}
		en.Link = Prefix + "page?" + url.Values{"file": {p}}.Encode()
		groups[k] = append(groups[k], en)
		return nil
	})
	type group struct {
		Heading, Kind, Label string
		Entries              []*entry
		All                  int // entries in all, when only the first are shown
	}
	only := r.URL.Query().Get("kind")
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q != "" {
		for k, es := range groups {
			groups[k] = slices.DeleteFunc(es, func(en *entry) bool { return !matches(en, q) })
		}
	}
	var out []group
	for _, k := range kinds {
		es := groups[k.Kind]
		slices.SortFunc(es, func(a, b *entry) int { return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Title, b.Title)) })
		g := group{Heading: k.Plural, Kind: k.Kind, Label: k.Label, Entries: es}
		if only != "" && only != k.Kind {
			continue
		}
		if only == "" && len(es) > listed {
			g.Entries, g.All = es[:listed], len(es)
		}
		out = append(out, g)
	}
	if only == "" {
		out = append(out, group{Heading: "Other pages", Entries: slices.Concat(groups["home"], groups["section"], groups["page"])})
	}
	title := "Edit the site"
	if cfg != nil && cfg.Title != "" {
		title = "Edit " + cfg.Title
	}
	e.page(w, http.StatusOK, "dashboard", map[string]any{"Title": title, "Groups": out, "Query": q, "Kind": only})
}

// listed is how many pages of a kind the dashboard lists before a link to
// all of them: a site of thousands stays quick to open and to read.
const listed = 50

// matches says whether each word of a query is in a page's title or file
// name, ignoring case.
func matches(en *entry, q string) bool {
	hay := strings.ToLower(en.Title + " " + en.File)
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// unlisted is the dashboard's entry for a page file the library does not
// hold: a version in another of the site's languages, or a file with
// errors. Its title is read from the file when it can be.
func (e *Editor) unlisted(p string, cfg *config.Site) *entry {
	en := &entry{File: p, Title: p, Status: "Has problems"}
	if src, err := e.readFile(p); err == nil {
		if doc, err := fm.Parse(src); err == nil {
			if t := doc.Meta.Get("title"); t != nil && t.Value.Kind == fm.String && t.Value.Str != "" {
				en.Title = t.Value.Str
			}
		}
	}
	if cfg != nil {
		if tag := fileLanguage(p, cfg.Langs); tag != "" {
			en.Status = tag // the language's name where site.toml gives one
			if l := cfg.Languages[tag]; l != nil && l.Name != "" {
				en.Status = l.Name
			}
		}
	}
	return en
}
