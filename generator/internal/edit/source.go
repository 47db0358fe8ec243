package edit

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// sourceFields are the fields of the form that adds a work to the site's
// list of sources, each a CSL field the list takes (content/sources.go).
var sourceFields = []content.FieldSpec{
	{Key: "title", Type: content.Line, Label: "Title", Hint: "As the work gives it: Rebuilding lives: personalisation in occupational therapy", Required: true},
	{Key: "type", Type: content.Choice, Label: "Kind of work", Choices: content.WorkTypes},
	{Key: "author", Type: content.Lines, Label: "Authors", Hint: "One a line: a person as Family, Given (Phillips, Zoe); an organisation as its name"},
	{Key: "container-title", Type: content.Line, Label: "Published in", Hint: "The magazine, journal, podcast or website: OTnews"},
	{Key: "issue", Type: content.Line, Label: "Issue", Hint: "Of a magazine or journal: May 2019, or 72"},
	{Key: "issued", Type: content.Line, Label: "Date", Hint: "As precise as known: 2019, 2019-04 or 2019-04-01"},
	{Key: "publisher", Type: content.Line, Label: "Publisher", Hint: "Royal College of Occupational Therapists"},
	{Key: "page", Type: content.Line, Label: "Pages", Hint: "15, or 15-17"},
	{Key: "URL", Type: content.Line, Label: "Web address", Hint: "https://…"},
	{Key: "id", Type: content.Line, Label: "Short name", Hint: "How pages name it, in sources and in [@…] citations; leave empty to make one from the title and date"},
}

// typeLabels say what each kind of work is, for the form.
var typeLabels = map[string]string{
	"article-magazine": "Magazine article", "article-journal": "Journal article", "broadcast": "Podcast or broadcast",
	"report": "Report", "webpage": "Web page", "book": "Book", "chapter": "Chapter of a book",
	"standard": "Standard or guidance", "legislation": "Law", "dataset": "Dataset",
}

// source shows the form that adds a work to the site's list of sources,
// and adds it: a new entry at the end of the list, every other line of
// the file as it was, checked as the build reads the list. back is the
// page form to return to.
func (e *Editor) source(w http.ResponseWriter, r *http.Request) {
	back := r.URL.Query().Get("back")
	if checkPath(back) != nil || kindOf(back) == "" {
		back = ""
	}
	list, src, err := e.sourceList()
	f := &form{Kind: "source"}
	for _, spec := range sourceFields {
		fl := &field{FieldSpec: spec, Name: spec.Key}
		fill(fl, nil, "")
		f.Fields = append(f.Fields, fl)
	}
	v := &view{Kind: "source", File: list, Form: f}
	data := map[string]any{"Title": "Add a work to the site’s list of sources", "V": v, "Back": back, "Types": typeLabels}
	if err != nil {
		f.Probs = append(f.Probs, diag.Errorf(list, 0, 0, "%v", err))
		e.formPage(w, http.StatusUnprocessableEntity, "source", data)
		return
	}
	if r.Method != http.MethodPost {
		e.formPage(w, http.StatusOK, "source", data)
		return
	}
	f = posted(f, r.PostForm)
	v.Form = f
	if e.action(w, r, v, func(code int) { e.formPage(w, code, "source", data) }) {
		return
	}
	id := f.field("id").Value
	if id == "" {
		id = content.Slug(strings.Join(append(strings.Fields(f.field("title").Value), f.field("issued").Value), " "))
		if len(id) > 60 {
			id = strings.TrimRight(id[:60], "-")
		}
	}
	title := f.field("title")
	switch {
	case title.Value == "":
		title.Probs = append(title.Probs, diag.Errorf(list, 0, 0, "the work has no title").WithHint("give its title as the work gives it"))
	case id == "":
		f.field("id").Probs = append(f.field("id").Probs, diag.Errorf(list, 0, 0, "the short name has no letters or digits").WithHint("use letters, digits and hyphens: sanderson-2019"))
	}
	if blocked(f) || title.Value == "" || id == "" {
		e.formPage(w, http.StatusUnprocessableEntity, "source", data)
		return
	}
	work := fm.Fields{}
	for _, fl := range f.Fields {
		switch {
		case fl.Key == "id":
		case fl.Key == "author":
			if names := authorNames(clean(fl.Items)); len(names) > 0 {
				work = append(work, fm.KV{Key: "author", Value: names})
			}
		case fl.Value != "":
			work = append(work, fm.KV{Key: fl.Key, Value: fl.Value})
		}
	}
	// the list is a YAML data file: edited as the fields of a page are,
	// between --- lines, so every other line stays as written
	wrapped := append(append([]byte("---\n"), src...), "---\n"...)
	if len(src) > 0 && !bytes.HasSuffix(src, []byte("\n")) {
		wrapped = append(append(append([]byte("---\n"), src...), '\n'), "---\n"...)
	}
	doc, perr := fm.Parse(wrapped)
	if perr == nil && doc.Meta.Get(id) != nil {
		fl := f.field("id")
		fl.Value = id
		fl.Probs = append(fl.Probs, diag.Errorf(list, 0, 0, "the list already has a work named %s", id).WithHint("choose it under Sources on the page, or give this one another short name"))
		e.formPage(w, http.StatusUnprocessableEntity, "source", data)
		return
	}
	out, err := fm.Patch(wrapped, nil, fm.Change{Key: id, Value: work})
	if err == nil {
		out = bytes.TrimPrefix(out, []byte("---\n"))
		out = bytes.TrimSuffix(out, []byte("---\n"))
	}
	if err != nil {
		f.Probs = append(f.Probs, diag.Errorf(list, 0, 0, "%v", err))
		e.formPage(w, http.StatusUnprocessableEntity, "source", data)
		return
	}
	// the new entry's problems, below the lines that were there (the
	// others' are the build's to report, and no reason to refuse this)
	_, probs := content.LoadCatalogue(overlay{FS: e.root.FS(), name: list, data: out})
	probs = slices.DeleteFunc(ofFile(probs, list), func(p *diag.Problem) bool { return p.Line <= bytes.Count(src, []byte("\n")) })
	if slices.ContainsFunc(probs, func(p *diag.Problem) bool { return p.Severity == diag.Error }) {
		f.Probs = append(f.Probs, probs...)
		e.formPage(w, http.StatusUnprocessableEntity, "source", data)
		return
	}
	if err := e.writeData(list, out); err != nil {
		f.Probs = append(f.Probs, diag.Errorf(list, 0, 0, "the list could not be saved: %v", err))
		e.formPage(w, http.StatusInternalServerError, "source", data)
		return
	}
	to := Prefix
	if back != "" {
		to = Prefix + "page?" + url.Values{"file": {back}, "source": {id}}.Encode()
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// sourceList is the site's list of sources and its bytes (none yet when
// it has no list: data/sources.yaml is then made).
func (e *Editor) sourceList() (string, []byte, error) {
	for _, name := range content.SourceFiles {
		b, err := e.root.ReadFile(name)
		if err != nil {
			continue
		}
		if !strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml") {
			return name, nil, fmt.Errorf("the editor adds works to a YAML list of sources, and this site's is %s; add the work there in a text editor", name)
		}
		if len(b) > fm.MaxFrontMatter {
			return name, nil, fmt.Errorf("%s is longer than the editor takes (%d KB); add the work there in a text editor", name, fm.MaxFrontMatter>>10)
		}
		return name, b, nil
	}
	return content.SourceFiles[0], nil, nil
}

// authorNames are the authors as the list writes them: a person whose
// name is written "Family, Given" as family and given names, anything else
// as the name of an organisation.
func authorNames(lines []string) []fm.Fields {
	var out []fm.Fields
	for _, l := range lines {
		if fam, giv, ok := strings.Cut(l, ","); ok && strings.TrimSpace(fam) != "" && strings.TrimSpace(giv) != "" {
			out = append(out, fm.Fields{{Key: "family", Value: strings.TrimSpace(fam)}, {Key: "given", Value: strings.TrimSpace(giv)}})
		} else {
			out = append(out, fm.Fields{{Key: "literal", Value: l}})
		}
	}
	return out
}

// writeData writes the site's list of sources, the one file outside
// content/ the editor changes.
func (e *Editor) writeData(name string, data []byte) error {
	if !slices.Contains(content.SourceFiles, name) {
		return errNotPage
	}
	create := false
	if _, err := e.root.Stat(name); err != nil {
		create = true
	}
	tmp, _, _, err := e.spool(content.DataDir, bytes.NewReader(data), 0o644)
	if err != nil {
		return err
	}
	return e.place(tmp, name, create)
}
