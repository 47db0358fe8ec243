package edit

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// view is what the form page shows.
type view struct {
	File    string // "" for a new page
	Kind    string
	Base    string // the fingerprint of the file the form was opened from
	Form    *form
	Saved   bool
	Link    string // the page in the preview
	Notice  string
	Diffs   []diff // on a conflict: the fields on disk and in the form
	Summary []summaryLine
	Errors  bool // some problem is an error: nothing was saved
	// MoreOpen unfolds "More settings": one of its fields has a problem,
	// or an action of its buttons was just taken.
	MoreOpen bool
	Themes   []string
	Measure  []string
	Works    []*content.Work // the site's sources, to cite in the text
	Made     []string        // theme files the save made
	Items    []itemChoice    // the pages a pack may name
	// GitProblem is why, with --git, the save was not committed.
	GitProblem string
	Added      string // the id of a work just added to the list of sources
}

// summarise lists the form's problems above it, each linked to its field,
// and gives the fields that choose a source the site's sources.
func (v *view) summarise(works []*content.Work) {
	add := func(ps []*diag.Problem, href string) {
		for _, p := range ps {
			v.Errors = v.Errors || p.Severity == diag.Error
			v.Summary = append(v.Summary, summaryLine{Text: problemText(p), Href: href})
		}
	}
	add(v.Form.Probs, "")
	for _, fl := range v.Form.Fields {
		n := len(v.Summary)
		add(fl.Probs, "#w-"+fieldID(fl.Name))
		for _, s := range fl.Sub {
			add(s.Probs, "#f-"+fieldID(s.Name))
		}
		for i, row := range fl.Rows {
			add(fl.RowProbs[i], fmt.Sprintf("#w-%s-%d", fieldID(fl.Name), i))
			for _, s := range row {
				add(s.Probs, "#f-"+fieldID(s.Name))
			}
		}
		for _, s := range slices.Concat(fl.Sub, slices.Concat(fl.Rows...)) {
			if s.Type == content.WorkID {
				s.Works = works
			}
		}
		if fl.Key == "sources" {
			fl.Back = v.File
		}
		if fl.More && (len(v.Summary) > n || fl.FocusAt != 0) {
			v.MoreOpen = true // a problem or an action there: not folded away
		}
	}
	for _, p := range v.Form.BodyProbs {
		v.Errors = v.Errors || p.Severity == diag.Error
		v.Summary = append(v.Summary, summaryLine{Text: problemText(p), Href: "#f-body", Line: p.Line})
	}
}

// formPage shows a form that is not a page's (a source for the list).
func (e *Editor) formPage(w http.ResponseWriter, code int, name string, data map[string]any) {
	data["V"].(*view).summarise(nil)
	e.page(w, code, name, data)
}

// itemChoice is a page a pack may name: its ref and its title.
type itemChoice struct{ Ref, Title string }

// summaryLine is a problem in the list above the form, with a link to
// its field.
type summaryLine struct {
	Text, Href string
	Line       int // of the text, for a problem of the text: edit.js moves the cursor there
}

// diff is a field that differs between the file on disk and the form.
type diff struct{ Label, Disk, Form string }

// edit shows a page's form, and takes it back: an action of its buttons,
// or a save.
func (e *Editor) edit(w http.ResponseWriter, r *http.Request) {
	file := r.URL.Query().Get("file")
	k := kindOf(file)
	src, err := e.readFile(file)
	if err != nil || k == "" {
		msg := "There is no page file " + fmt.Sprintf("%q", file) + " to edit."
		if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, errNotPage) {
			msg = err.Error()
		}
		refuse(w, http.StatusNotFound, msg)
		return
	}
	doc, err := fm.Parse(src)
	if err != nil {
		var fe *fm.Error
		p := diag.Errorf(file, 1, 1, "%v", err)
		if errors.As(err, &fe) {
			p = diag.Errorf(file, fe.Pos.Line, fe.Pos.Col, "%s", fe.Msg).WithHint("%s", fe.Hint)
		}
		e.page(w, http.StatusUnprocessableEntity, "broken", map[string]any{"Title": "This page cannot be opened in a form", "File": file, "Problem": p})
		return
	}
	was := readForm(k, doc, src)
	v := &view{File: file, Kind: k, Base: sum(src)}
	if r.Method != http.MethodPost {
		v.Form = was
		v.Saved = r.URL.Query().Get("saved") == "1"
		v.GitProblem = r.URL.Query().Get("git")
		v.Added = r.URL.Query().Get("source")
		for _, m := range r.URL.Query()["made"] {
			if checkPath(m) == nil && kindOf(m) == "theme" {
				v.Made = append(v.Made, m)
			}
		}
		lib, cfg := e.library()
		if v.Link = pageLink(lib, file); v.Link != "" && cfg != nil && cfg.BasePath != "" {
			v.Link = strings.TrimSuffix(cfg.BasePath, "/") + v.Link
		}
		mapProblems(was, file, src, e.check(file, src))
		e.form(w, http.StatusOK, v)
		return
	}
	f := posted(was, r.PostForm)
	v.Form = f
	v.Base = r.PostForm.Get("base")
	e.uploads(r, f, file)
	if e.action(w, r, v, func(code int) { e.form(w, code, v) }) {
		return
	}
	if blocked(f) {
		e.form(w, http.StatusUnprocessableEntity, v)
		return
	}
	if v.Base != sum(src) {
		v.Base = sum(src)
		v.Diffs = differences(was, f)
		v.Notice = "conflict"
		e.form(w, http.StatusConflict, v)
		return
	}
	out, err := f.write(src, was)
	if err != nil {
		f.Probs = append(f.Probs, diag.Errorf(file, 0, 0, "%v", err))
		e.form(w, http.StatusUnprocessableEntity, v)
		return
	}
	if bytes.Equal(out, src) {
		v.Notice = "unchanged"
		e.form(w, http.StatusOK, v)
		return
	}
	e.store(w, r, v, file, out, was, false)
}

// action takes a form's button other than Save (add, move, remove an
// entry; restore what the browser kept) and shows the form again, saying
// whether it did.
func (e *Editor) action(w http.ResponseWriter, r *http.Request, v *view, show func(code int)) bool {
	op := r.PostForm.Get("op")
	if op == "" || op == "save" {
		return false
	}
	if err := v.Form.act(op); op != "restore" && err != nil {
		refuse(w, http.StatusBadRequest, err.Error())
		return true
	}
	show(http.StatusOK)
	return true
}

// store writes a page's new bytes, out, once they pass the build's checks
// (or shows the form with what is wrong), then ends the save.
func (e *Editor) store(w http.ResponseWriter, r *http.Request, v *view, file string, out []byte, was *form, create bool) {
	f := v.Form
	if mapProblems(f, file, out, e.check(file, out)) {
		e.form(w, http.StatusUnprocessableEntity, v)
		return
	}
	if err := e.writeFile(file, out, create); err != nil {
		f.Probs = append(f.Probs, diag.Errorf(file, 0, 0, "the file could not be saved: %v", err).WithHint("check that the content folder is writable, then save again"))
		e.form(w, http.StatusInternalServerError, v)
		return
	}
	e.saved(w, r, file, f, was)
}

// create shows the form of a new page of a kind, and makes its file when
// saved, at the address its title gives.
func (e *Editor) create(w http.ResponseWriter, r *http.Request) {
	k := r.URL.Query().Get("kind")
	if !slices.Contains(content.ScaffoldKinds, k) {
		refuse(w, http.StatusNotFound, fmt.Sprintf("The editor makes stories, episodes, features, packs and themes, not %q.", k))
		return
	}
	blank := readForm(k, &fm.Doc{Format: fm.YAML, Meta: &fm.Value{Kind: fm.Map}}, nil)
	v := &view{Kind: k}
	if r.Method != http.MethodPost {
		f := readForm(k, &fm.Doc{Format: fm.YAML, Meta: &fm.Value{Kind: fm.Map}}, nil)
		if fl := f.field("date"); fl != nil {
			fl.Value = e.o.Now().Format(time.DateOnly)
		}
		if fl := f.field("draft"); fl != nil {
			fl.Value = "true" // an unfinished page never breaks a build
		}
		v.Form = f
		e.form(w, http.StatusOK, v)
		return
	}
	f := posted(blank, r.PostForm)
	v.Form = f
	title := ""
	if fl := f.field("title"); fl != nil {
		title = fl.Value
	}
	file := content.ScaffoldPath(k, title)
	if content.Slug(title) != "" {
		e.uploads(r, f, file)
	}
	if e.action(w, r, v, func(code int) { e.form(w, code, v) }) {
		return
	}
	if content.Slug(title) == "" {
		f.field("title").Probs = []*diag.Problem{diag.Errorf("", 0, 0, "the title has no letters or digits").WithHint("give the page a title: its address is made from it")}
		e.form(w, http.StatusUnprocessableEntity, v)
		return
	}
	if _, err := e.root.Stat(file); err == nil {
		f.field("title").Probs = []*diag.Problem{diag.Errorf("", 0, 0, "there is already a page at %s", file).WithHint("choose another title, or open that page from the list of pages")}
		e.form(w, http.StatusUnprocessableEntity, v)
		return
	}
	if blocked(f) {
		e.form(w, http.StatusUnprocessableEntity, v)
		return
	}
	out, err := f.write([]byte("---\n---\n"), blank)
	if err != nil {
		f.Probs = append(f.Probs, diag.Errorf(file, 0, 0, "%v", err))
		e.form(w, http.StatusUnprocessableEntity, v)
		return
	}
	e.store(w, r, v, file, out, blank, true)
}

// saved ends a save: a theme page for each theme the page names that the
// site does not have yet (so it is described once, not made up by every
// build), then the form again, saying so.
func (e *Editor) saved(w http.ResponseWriter, r *http.Request, file string, f, was *form) {
	q := url.Values{"file": {file}, "saved": {"1"}}
	written := []string{file}
	if fl := f.field("image"); fl != nil && fl.Kept == "" {
		if src := sub(fl, "src").Value; src != "" && !strings.Contains(src, "/") && !strings.Contains(src, ":") {
			if p := path.Dir(file) + "/" + src; checkPath(p) == nil {
				if _, err := e.root.Stat(p); err == nil {
					written = append(written, p)
				}
			}
		}
	}
	if fl := f.field("themes"); fl != nil && fl.Kept == "" {
		lib, _ := e.library()
		x, _ := taxonomy.Build(lib)
		before := map[string]bool{}
		for _, name := range clean(was.field("themes").Items) {
			before[content.Slug(name)] = true
		}
		for _, name := range clean(fl.Items) {
			if th := x.Lookup(name); th != nil && th.Defined || content.Slug(name) == "" || before[content.Slug(name)] {
				continue // a theme the site has, or one the page named before: left as it was
			}
			made := content.ScaffoldPath("theme", name)
			if err := e.writeFile(made, []byte(content.Scaffold("theme", name, e.o.Now())), true); err == nil {
				q.Add("made", made)
				written = append(written, made)
			}
		}
	}
	verb := "Edit"
	if r.URL.Path == Prefix+"new" {
		verb = "Add " + labelOf(f.Kind)
	}
	title := file
	if fl := f.field("title"); fl != nil && fl.Value != "" {
		title = fl.Value
	}
	if err := e.commit(fmt.Sprintf("%s %q in the browser editor (%s)", verb, title, file), written); err != nil {
		q.Set("git", err.Error())
	}
	http.Redirect(w, r, Prefix+"page?"+q.Encode(), http.StatusSeeOther)
}

// blocked says whether the form has a problem found before its file is
// made (a picture refused, or without its description), which stops a
// save.
func blocked(f *form) bool {
	bad := needAlt(f) || f.PictureName != ""
	for _, fl := range f.Fields {
		for _, s := range fl.Sub {
			bad = bad || len(s.Probs) > 0
		}
	}
	return bad
}

// write is src with the form's changes: the fields that differ from was,
// and the text.
func (f *form) write(src []byte, was *form) ([]byte, error) {
	var order []string
	for _, spec := range content.Fields(f.Kind) {
		order = append(order, spec.Key)
	}
	out := src
	if ch := f.changes(was); len(ch) > 0 {
		var err error
		if out, err = fm.Patch(src, order, ch...); err != nil {
			return nil, err
		}
	}
	if f.Body != was.Body {
		body := f.Body
		if f.CRLF {
			body = strings.ReplaceAll(body, "\n", "\r\n")
		}
		return fm.SetBody(out, []byte(body))
	}
	return out, nil
}

// differences lists the fields whose values on disk and in the form differ.
func differences(disk, mine *form) []diff {
	var out []diff
	for i, fl := range mine.Fields {
		d := disk.Fields[i]
		if fl.Kept != "" || fl.same(d) {
			continue
		}
		out = append(out, diff{Label: fl.Label, Disk: d.text(), Form: fl.text()})
	}
	if disk.Body != mine.Body {
		out = append(out, diff{Label: "Text", Disk: disk.Body, Form: mine.Body})
	}
	return out
}

// text is a field's value as one text, for showing side by side.
func (fl *field) text() string {
	switch {
	case fl.Type == content.Lines || fl.Type == content.Names:
		return strings.Join(clean(fl.Items), "\n")
	case fl.Type == content.Group:
		return fieldsText(fl.Sub)
	case fl.Type == content.Rows:
		var rows []string
		for _, row := range nonEmptyRows(fl.Rows) {
			rows = append(rows, fieldsText(row))
		}
		return strings.Join(rows, "\n")
	}
	return fl.Value
}

func fieldsText(fields []*field) string {
	var parts []string
	for _, s := range fields {
		if s.Value != "" {
			parts = append(parts, s.Label+": "+s.Value)
		}
	}
	return strings.Join(parts, "; ")
}

// form shows a page's form, with what it needs to offer: the site's
// themes, its sources, its measures.
func (e *Editor) form(w http.ResponseWriter, code int, v *view) {
	lib, cfg := e.library()
	if x, _ := taxonomy.Build(lib); x != nil {
		for _, t := range x.Themes {
			v.Themes = append(v.Themes, t.Title)
			if t.Def != nil {
				for _, a := range t.Def.Aliases {
					v.Themes = append(v.Themes, a.Name)
				}
			}
		}
	}
	works := lib.Catalogue.Works()
	v.Works = works
	if v.Kind == "pack" {
		for _, it := range lib.Items {
			v.Items = append(v.Items, itemChoice{Ref: content.RefKey(it.File), Title: it.Title})
		}
	}
	if cfg != nil {
		for _, m := range cfg.Measures {
			v.Measure = append(v.Measure, m.Name)
		}
	}
	v.summarise(works)
	title := "New " + labelOf(v.Kind)
	if v.File != "" {
		title = "Edit " + v.File
		if fl := v.Form.field("title"); fl != nil && fl.Value != "" {
			title = "Edit " + fl.Value
		}
	}
	e.page(w, code, "form", map[string]any{"Title": title, "V": v})
}

func labelOf(kind string) string {
	for _, k := range kinds {
		if k.Kind == kind {
			return k.Label
		}
	}
	return kind
}

// pageLink is the site path of the page a file makes, "" when not known.
func pageLink(lib *content.Library, file string) string {
	for _, pf := range lib.PageFiles() {
		if pf.File == file {
			return pf.Path
		}
	}
	return ""
}

// FileOf is the file that makes the page at a site path ("/stories/denis/"),
// for the preview's "Edit this page" link; "" when no one file does.
func (e *Editor) FileOf(sitePath string) string {
	e.library()
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.byPath[sitePath]
}

// EditLink is the editor's address for a file's form.
func EditLink(file string) string {
	if file == "" {
		return Prefix
	}
	return Prefix + "page?" + url.Values{"file": {file}}.Encode()
}
