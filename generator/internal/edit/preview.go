package edit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/harvard"
	"github.com/otpress/otpress/generator/internal/markdown"
)

// sourcePicture is the file of the site a picture of a page's text is, as
// the build finds it (beside the page, or from the site's root in static/
// or content/), or "".
func (e *Editor) sourcePicture(file, dest string) string {
	if _, ok := pictureExts()[strings.ToLower(path.Ext(dest))]; !ok {
		return ""
	}
	return e.sourceFile(file, dest)
}

// sourceFile is the file of the site a link of a page's text names, as
// the build finds it, or "".
func (e *Editor) sourceFile(file, dest string) string {
	if d, err := url.PathUnescape(strings.SplitN(strings.SplitN(dest, "#", 2)[0], "?", 2)[0]); err == nil {
		dest = d
	}
	var tries []string
	if strings.HasPrefix(dest, "/") {
		tries = []string{path.Join(content.StaticDir, dest), path.Join(content.Dir, dest)}
	} else {
		tries = []string{path.Join(path.Dir(file), dest)}
	}
	for _, p := range tries {
		if fi, err := e.root.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

func pictureExts() map[string]bool {
	m := map[string]bool{".jpeg": true}
	for _, ext := range pictureExt {
		m[ext] = true
	}
	return m
}

// picture serves a picture of the site's own files (under content/ or
// static/), for the preview of a text.
func (e *Editor) picture(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Query().Get("path")
	ok := pictureExts()[strings.ToLower(path.Ext(p))] && path.Clean(p) == p && !strings.ContainsAny(p, "\\\x00") &&
		(strings.HasPrefix(p, content.Dir+"/") || strings.HasPrefix(p, content.StaticDir+"/")) && !strings.Contains("/"+p+"/", "/../") && !strings.Contains("/"+p, "/.")
	if !ok {
		refuse(w, http.StatusNotFound, "No such picture.")
		return
	}
	f, err := e.root.Open(p)
	if err != nil {
		refuse(w, http.StatusNotFound, "No such picture.")
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		refuse(w, http.StatusNotFound, "No such picture.")
		return
	}
	http.ServeContent(w, r, path.Base(p), fi.ModTime(), f)
}

// renderText renders a page's text as the build renders it (the site's
// Markdown settings, its limits, citations in the house style, the
// pictures it shows found beside the page or in static/), for the preview
// pane and for the check of a save; firstLine is the line of the file the
// text starts on, for problems.
func (e *Editor) renderText(lib *content.Library, cfg *config.Site, file string, body []byte, firstLine int) (markdown.Result, error) {
	opts := markdown.Options{}
	base := "/"
	if cfg != nil {
		opts.Unsafe, opts.Allow = cfg.Markup.Unsafe, cfg.Markup.Allow
		base = cfg.BasePath
	}
	at := pageLink(lib, file)
	bib := harvard.NewBibliography(lib.Catalogue.Works())
	res, err := markdown.New(opts).Render(body, markdown.Doc{
		File:      file,
		FirstLine: firstLine,
		Loading:   "lazy",
		Link: func(dest string) string {
			if strings.Contains(dest, ":") || strings.HasPrefix(dest, "#") {
				return dest
			}
			if p := e.sourcePicture(file, dest); p != "" {
				return Prefix + "picture?" + url.Values{"path": {p}}.Encode() // as uploaded, before any build
			}
			if at == "" || strings.HasPrefix(dest, "/") {
				return dest
			}
			return path.Join(strings.TrimSuffix(base, "/")+at, dest)
		},
		Cite: func(id, locator string) (markdown.Cited, bool) {
			html, text, ok := bib.Short(id, content.PageLocator(locator))
			if !ok {
				return markdown.Cited{Hint: "choose one of the site's sources under Source to cite, above the text, or add the work to the site's list of sources"}, false
			}
			return markdown.Cited{HTML: string(html), Text: text, Href: "#"}, true
		},
	})
	for _, l := range res.Links {
		if l.Image && !l.Auto && !strings.Contains(l.Dest, ":") && e.sourceFile(file, l.Dest) == "" {
			// a warning, as the build's link check makes it
			res.Problems = append(res.Problems, diag.Warnf(file, l.Line, l.Col, "the picture %q is not beside the page or in static/", l.Dest).
				WithHint("add it with Add a picture to the text, or correct the name"))
		}
	}
	return res, err
}

// livePreview renders the text of a form as the build renders a page's
// text (the site's Markdown settings, its limits, citations in the house
// style) and answers with the HTML and the text's problems, for the pane
// beside the text. Pictures and links beside the page are looked for at
// the page's address in the preview.
func (e *Editor) livePreview(w http.ResponseWriter, r *http.Request) {
	file := r.URL.Query().Get("file")
	lib, cfg := e.library()
	body := strings.ReplaceAll(r.PostForm.Get("body"), "\r\n", "\n")
	res, err := e.renderText(lib, cfg, file, []byte(body), 1)
	// Lines[i] is the line of the text Problems[i] is at, 0 for none:
	// edit.js marks those lines in the editor.
	out := struct {
		HTML     string   `json:"html"`
		Problems []string `json:"problems"`
		Lines    []int    `json:"lines"`
	}{HTML: string(res.HTML), Problems: []string{}, Lines: []int{}}
	if err != nil {
		out.Problems = append(out.Problems, err.Error())
		out.Lines = append(out.Lines, 0)
	}
	for _, p := range res.Problems {
		q := *p
		q.Msg = fmt.Sprintf("line %d of the text: ", p.Line) + p.Msg
		out.Problems = append(out.Problems, problemText(&q))
		out.Lines = append(out.Lines, p.Line)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}
