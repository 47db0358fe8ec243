package serve

import (
	"bytes"
	"cmp"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/otpress/otpress/generator/internal/edit"
)

//go:embed live.js live.css
var liveFiles embed.FS

// Prefix is where the preview's own files and event stream live; no site
// page can be there.
const Prefix = "/_otpress/"

// csp is the policy the built site promises; the preview keeps to it too,
// so an editor sees in the preview anything it would block.
const csp = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// liveTag is added to every HTML page the preview serves.
const liveTag = `<script defer src="` + Prefix + `live.js"></script>`

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "strict-origin-when-cross-origin")
	// no other site may embed or read what the preview answers (and it
	// sends no CORS headers, so none may fetch it either)
	w.Header().Set("Cross-Origin-Resource-Policy", "same-origin")
	if !s.hosts.allows(r.Host) {
		s.hosts.refuse(w, r.Host)
		return
	}
	if s.editor != nil && strings.HasPrefix(r.URL.Path, edit.Prefix) {
		s.editor.ServeHTTP(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, Prefix) && !sameOrigin(r) {
		http.Error(w, "The otpress preview's own files and events are for its own pages only.", http.StatusForbidden)
		return
	}
	switch r.URL.Path {
	case Prefix + "events":
		s.events(w, r)
		return
	case Prefix + "live.js", Prefix + "live.css":
		b, _ := liveFiles.ReadFile(strings.TrimPrefix(r.URL.Path, Prefix))
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(r.URL.Path)))
		w.Write(b)
		return
	case Prefix + "problems":
		w.Header().Set("Content-Type", "application/json")
		w.Write(s.problemsJSON())
		return
	}
	s.mu.RLock()
	built, base := s.built, s.base
	s.mu.RUnlock()
	if !built {
		s.errorPage(w)
		return
	}
	if base == "" {
		base = "/"
	}
	if !strings.HasPrefix(r.URL.Path, base) {
		if r.URL.Path == "/" {
			http.Redirect(w, r, base, http.StatusFound)
			return
		}
		s.file(w, r, "404.html", http.StatusNotFound)
		return
	}
	rel := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(r.URL.Path, base)), "/")
	if strings.HasSuffix(r.URL.Path, "/") || rel == "" {
		rel = path.Join(rel, "index.html")
	} else if f, err := s.open(rel); err == nil {
		fi, err := f.Stat()
		f.Close()
		if err == nil && fi.IsDir() {
			// to the cleaned path: never "//host/", which would leave the site
			http.Redirect(w, r, (&url.URL{Path: base + rel + "/"}).EscapedPath(), http.StatusMovedPermanently)
			return
		}
	}
	s.file(w, r, rel, http.StatusOK)
}

// file serves one file of the current site. The file is opened once, so it
// comes whole from one build even if a new one is swapped in meanwhile. It
// is opened inside the output folder: a symbolic link there that leads
// out of it is not followed.
func (s *server) file(w http.ResponseWriter, r *http.Request, rel string, status int) {
	f, err := s.open(rel)
	if err != nil {
		if status == http.StatusOK {
			s.file(w, r, "404.html", http.StatusNotFound)
			return
		}
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.IsDir() {
		http.NotFound(w, r)
		return
	}
	if !strings.HasSuffix(rel, ".html") {
		http.ServeContent(w, r, rel, fi.ModTime(), f) // byte ranges for audio
		return
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(f); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	page := withLive(b.Bytes())
	if s.editor != nil {
		page = s.withEditLink(page, r.URL.Path)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(page)
}

// open opens a file of the output folder, never following a symbolic link
// out of it. A full build swaps the folder whole and removes the old one:
// a request that started in the old one and finds its file gone meanwhile
// looks again, in the new one.
func (s *server) open(rel string) (*os.File, error) {
	f, err := os.OpenInRoot(s.out, filepath.FromSlash(rel))
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.OpenInRoot(s.out, filepath.FromSlash(rel))
	}
	return f, err
}

// withLive adds the preview's script to a page, before </head>.
func withLive(page []byte) []byte {
	i := bytes.Index(page, []byte("</head>"))
	if i < 0 {
		return append(page, liveTag...)
	}
	out := make([]byte, 0, len(page)+len(liveTag))
	out = append(out, page[:i]...)
	out = append(out, liveTag...)
	return append(out, page[i:]...)
}

// withEditLink adds the editor's bar to a page: "Edit this page" when one
// file makes it, and a link to all pages.
func (s *server) withEditLink(page []byte, urlPath string) []byte {
	s.mu.RLock()
	base := s.base
	s.mu.RUnlock()
	sitePath := "/" + strings.TrimPrefix(urlPath, cmp.Or(base, "/"))
	sitePath = strings.TrimSuffix(sitePath, "index.html")
	var bar strings.Builder
	bar.WriteString(`<nav class="otpress-edit-bar" aria-label="Editor">`)
	if file := s.editor.FileOf(sitePath); file != "" {
		fmt.Fprintf(&bar, `<a href="%s">Edit this page</a>`, template.HTMLEscapeString(edit.EditLink(file)))
	}
	fmt.Fprintf(&bar, `<a href="%s">All pages</a></nav>`, edit.Prefix)
	// before the site's header, so the page's skip link stays first
	if i := bytes.Index(page, []byte("<header")); i >= 0 {
		page = slices.Concat(page[:i], []byte(bar.String()), page[i:])
	} else {
		page = insertAfter(page, "<body", bar.String())
	}
	i := bytes.Index(page, []byte("</head>"))
	if i < 0 {
		return page
	}
	css := `<link rel="stylesheet" href="` + edit.Prefix + `assets/bar.css">`
	return slices.Concat(page[:i], []byte(css), page[i:])
}

// insertAfter puts s right after the start tag that begins with tag.
func insertAfter(page []byte, tag, s string) []byte {
	i := bytes.Index(page, []byte(tag))
	if i < 0 {
		return page
	}
	j := bytes.IndexByte(page[i:], '>')
	if j < 0 {
		return page
	}
	at := i + j + 1
	return slices.Concat(page[:at], []byte(s), page[at:])
}

// problem is a build problem as the page's overlay shows it.
type problem struct {
	Severity string   `json:"severity"`
	Position string   `json:"position"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`
	Line     int      `json:"line,omitempty"`
	Source   []string `json:"source,omitempty"` // the lines around Line
	First    int      `json:"first,omitempty"`  // the number of Source's first line
}

// problemsJSON lists the last build's problems, each with a few lines of
// its file around the line it names.
func (s *server) problemsJSON() []byte {
	s.mu.RLock()
	probs := s.problems
	s.mu.RUnlock()
	out := []problem{}
	for _, p := range probs {
		q := problem{Severity: p.Severity.String(), Position: p.Position(), Message: p.Msg, Hint: p.Hint, Line: p.Line}
		if p.Line > 0 && p.File != "" {
			if src, err := os.ReadFile(filepath.Join(s.o.SiteDir, filepath.FromSlash(p.File))); err == nil {
				lines := strings.Split(string(src), "\n")
				from, to := max(p.Line-3, 0), min(p.Line+2, len(lines))
				if from < to {
					q.Source, q.First = lines[from:to], from+1
				}
			}
		}
		out = append(out, q)
	}
	b, _ := json.Marshal(out)
	return b
}

var errorPage = template.Must(template.New("").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The site could not be built</title>
<link rel="stylesheet" href="` + Prefix + `live.css">
` + liveTag + `
</head>
<body>
<main class="otpress-errors-page">
<h1>The site could not be built</h1>
<p>Fix the problems below and save: this page reloads by itself.</p>
<ol>
{{range .}}<li><p><strong>{{.Position}}</strong>: {{.Message}}</p>{{with .Hint}}<p>Fix: {{.}}</p>{{end}}</li>
{{end}}</ol>
</main>
</body>
</html>
`))

// errorPage answers every page request before the first good build.
func (s *server) errorPage(w http.ResponseWriter) {
	s.mu.RLock()
	probs := s.problems
	s.mu.RUnlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	errorPage.Execute(w, probs)
}

// events is the Server-Sent Events stream a page listens to. It starts
// with the current state, so a page opened while the site is broken shows
// the problems at once.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	ch, leave := s.hub.join()
	defer leave()
	s.mu.RLock()
	broken := len(s.problems) > 0
	s.mu.RUnlock()
	if broken {
		writeEvent(w, "problems", s.problemsJSON())
	} else {
		writeEvent(w, "ok", []byte("{}"))
	}
	fl.Flush()
	keep := time.NewTicker(15 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, open := <-ch:
			if !open {
				return
			}
			writeEvent(w, ev.name, ev.data)
		case <-keep.C:
			fmt.Fprint(w, ": still here\n\n")
		}
		fl.Flush()
	}
}

func writeEvent(w http.ResponseWriter, name string, data []byte) {
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, bytes.ReplaceAll(data, []byte("\n"), []byte("\ndata: ")))
}

type event struct {
	name string
	data []byte
}

// hub passes events to every open page.
type hub struct {
	mu      sync.Mutex
	clients map[chan event]bool
	closed  bool
}

func newHub() *hub { return &hub{clients: map[chan event]bool{}} }

func (h *hub) join() (<-chan event, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan event, 8)
	if h.closed {
		close(ch)
		return ch, func() {}
	}
	h.clients[ch] = true
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.clients[ch] {
			delete(h.clients, ch)
			close(ch)
		}
	}
}

func (h *hub) send(name string, data []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		select {
		case ch <- event{name, data}:
		default: // a page that has stopped reading misses this one; it gets the next
		}
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.clients {
		close(ch)
		delete(h.clients, ch)
	}
}
