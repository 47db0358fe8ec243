package edit

import (
	"fmt"
	"path"
	"strings"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/evidence"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
	"github.com/otpress/otpress/generator/internal/taxonomy"
)

// check runs the build's checks of a page's file on data, as if the file
// held it: the file's own (content), its themes (taxonomy) and its
// outcomes against the site's measures (evidence). It returns the
// problems of that file.
func (e *Editor) check(file string, data []byte) []*diag.Problem {
	lib, cfg := e.library()
	fsys := overlay{FS: e.root.FS(), name: file, data: data}
	opts := loadOptions(cfg)
	opts.Language = fileLanguage(file, opts.Languages)
	var lib2 *content.Library
	var probs []*diag.Problem
	if opts.Language == "" {
		lib2, probs = content.LoadAgain(fsys, opts, lib, map[string]bool{file: true})
	} else {
		lib2, probs = content.Load(fsys, opts)
	}
	_, ps := taxonomy.Build(lib2)
	probs = append(probs, ps...)
	// the text, rendered as the build renders it: citations, pictures,
	// the Markdown's limits
	if doc, err := fm.Parse(data); err == nil && strings.EqualFold(path.Ext(file), ".md") {
		if res, err := e.renderText(lib2, cfg, file, doc.Body, doc.BodyLine); err == nil {
			probs = append(probs, res.Problems...)
		}
	}
	if cfg != nil {
		_, ps = evidence.Analyse(cfg.Measures, lib2.Items)
		probs = append(probs, ps...)
	}
	return ofFile(probs, file)
}

// ofFile are the problems of a page's file and of the files beside it
// that it names (a transcript, chapters), which are read with it.
func ofFile(probs []*diag.Problem, file string) []*diag.Problem {
	var out []*diag.Problem
	for _, p := range probs {
		if p.File == file || path.Dir(p.File) == path.Dir(file) && !strings.EqualFold(path.Ext(p.File), ".md") {
			out = append(out, p)
		}
	}
	return out
}

// besideProblem puts a problem of a file beside the page (a transcript's
// cue) at the field that names the file, saying on which of its lines.
func besideProblem(f *form, p *diag.Problem) {
	name := path.Base(p.File)
	q := *p
	q.Msg = fmt.Sprintf("line %d of %s: %s", p.Line, name, p.Msg)
	for _, fl := range f.Fields {
		for _, c := range append([]*field{fl}, fl.Sub...) {
			if c.Value == name && c.Kept == "" {
				c.Probs = append(c.Probs, &q)
				return
			}
		}
	}
	f.Probs = append(f.Probs, &q)
}

// fileLanguage is the language a file's name gives on a site in several
// (denis.cy.md: "cy"), or "" for the default.
func fileLanguage(file string, langs []string) string {
	if len(langs) < 2 {
		return ""
	}
	stem := strings.TrimSuffix(file, path.Ext(file))
	if i := strings.LastIndexByte(stem, '.'); i > strings.LastIndexByte(stem, '/') {
		for _, t := range langs[1:] {
			if strings.EqualFold(stem[i+1:], t) {
				return t
			}
		}
	}
	return ""
}

// mapProblems puts each problem of a file's data at the field (or row, or
// the text) its line is in, and says whether any is an error.
func mapProblems(f *form, file string, data []byte, probs []*diag.Problem) bool {
	errs := false
	doc, _ := fm.Parse(data)
	for _, p := range probs {
		errs = errs || p.Severity == diag.Error
		if p.File != file && p.File != "" {
			besideProblem(f, p)
			continue
		}
		if doc == nil || p.Line == 0 {
			f.Probs = append(f.Probs, p)
			continue
		}
		if p.Line >= doc.BodyLine {
			q := *p
			q.Line = p.Line - doc.BodyLine + 1 // the line of the text, as the editor numbers it
			q.Msg = fmt.Sprintf("line %d of the text: %s", q.Line, p.Msg)
			f.BodyProbs = append(f.BodyProbs, &q)
			continue
		}
		var at *fm.Field
		for i := range doc.Meta.Fields {
			if fd := &doc.Meta.Fields[i]; fd.KeyPos.Line <= p.Line {
				at = fd
			}
		}
		var fl *field
		if at != nil {
			fl = f.field(at.Key)
		} else {
			// "date is missing", at the top: the field it names
			for _, c := range f.Fields {
				if strings.HasPrefix(p.Msg, c.Key+" ") {
					fl = c
				}
			}
		}
		if fl == nil {
			f.Probs = append(f.Probs, p)
			continue
		}
		if fl.Kept == "" && at != nil {
			switch {
			case fl.Type == content.Rows && at.Value.Kind == fm.List:
				// the file's rows are the form's rows with something in them
				var filled []int
				for i, row := range fl.Rows {
					if len(nonEmptyRows([][]*field{row})) > 0 {
						filled = append(filled, i)
					}
				}
				row := -1
				for i, e := range at.Value.List {
					if e.Pos.Line <= p.Line {
						row = i
					}
				}
				if row >= 0 && row < len(filled) {
					if s := subAt(fl.Rows[filled[row]], at.Value.List[row], p.Line); s != nil {
						s.Probs = append(s.Probs, p)
						continue
					}
					if fl.RowProbs == nil {
						fl.RowProbs = map[int][]*diag.Problem{}
					}
					fl.RowProbs[filled[row]] = append(fl.RowProbs[filled[row]], p)
					continue
				}
			case fl.Type == content.Group:
				if s := subAt(fl.Sub, at.Value, p.Line); s != nil {
					s.Probs = append(s.Probs, p)
					continue
				}
			}
		}
		fl.Probs = append(fl.Probs, p)
	}
	return errs
}

// subAt is the field of a set of fields (a Group's, a row's) that a line
// of the file is in, or nil.
func subAt(fields []*field, m *fm.Value, line int) *field {
	if m == nil || m.Kind != fm.Map {
		return nil
	}
	key := ""
	for _, f := range m.Fields {
		if f.KeyPos.Line <= line {
			key = f.Key
		}
	}
	for _, s := range fields {
		if s.Key == key {
			return s
		}
	}
	return nil
}
