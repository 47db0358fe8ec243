// Package edit is the browser editor of "generator serve --edit": forms
// for the site's pages, made from the content model (content.Fields), that
// write the files an editor would. A save changes only the fields the
// editor changed, in the file as written (frontmatter.Patch), after the
// same checks the build runs; a file changed on disk since the form opened
// is never overwritten without asking.
//
// Everything it answers is under Prefix. Every request that changes a
// file needs the session's token (in the form) and an Origin of the
// preview's own; with a login token (the preview reachable from other
// machines), every request needs the cookie that signing in with it gives.
package edit

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
)

// Prefix is where the editor's pages live.
const Prefix = "/_edit/"

//go:embed assets templates
var files embed.FS

// Options say which site to edit and who may.
type Options struct {
	SiteDir string
	// Token, when set, must be given once by each browser (at
	// Prefix+"login") before it may see or change anything: the preview
	// is reachable from other machines.
	Token string
	// Now is the clock (tests set it); nil means time.Now.
	Now func() time.Time
	// Git commits each save, in the name git config gives.
	Git bool
}

// Editor answers the editor's pages.
type Editor struct {
	o       Options
	root    *os.Root
	csrf    string // in every form; a request that changes a file must carry it
	session string // the cookie a browser gets by signing in with Token
	tpl     *template.Template

	mu     sync.Mutex
	lib    *content.Library  // every page, drafts and future ones too; nil until needed
	cfg    *config.Site      // site.toml as lib was read with
	byPath map[string]string // each of lib's pages' site path → its file, for FileOf
	stale  map[string]bool   // files changed since lib was read
}

// New opens the site folder for editing.
func New(o Options) (*Editor, error) {
	root, err := os.OpenRoot(o.SiteDir)
	if err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	tpl, err := template.New("").Funcs(funcs).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	return &Editor{o: o, root: root, csrf: secret(), session: secret(), tpl: tpl, stale: map[string]bool{}}, nil
}

// Close lets go of the site folder.
func (e *Editor) Close() error { return e.root.Close() }

func secret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Changed tells the editor which files changed on disk (slash paths under
// the site folder), after a save or any other.
func (e *Editor) Changed(files []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, f := range files {
		e.stale[f] = true
	}
}

// library returns every page as the site's files now hold them.
// It reads only what changed since the last call: site.toml again (and
// then every page, as the languages may have changed), or the files
// changed.
func (e *Editor) library() (*content.Library, *config.Site) {
	fsys := e.root.FS()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.lib == nil || e.stale[config.File] {
		e.cfg, _ = config.Load(fsys)
		e.lib = nil
	}
	opts := loadOptions(e.cfg)
	switch {
	case e.lib == nil:
		e.lib, _ = content.Load(fsys, opts)
	case len(e.stale) > 0:
		e.lib, _ = content.LoadAgain(fsys, opts, e.lib, e.stale)
	default:
		return e.lib, e.cfg
	}
	clear(e.stale)
	e.byPath = map[string]string{}
	for _, pf := range e.lib.PageFiles() {
		e.byPath[pf.Path] = pf.File
	}
	return e.lib, e.cfg
}

// loadOptions show every page an editor may open: drafts, scheduled and
// expired ones too.
func loadOptions(cfg *config.Site) content.Options {
	o := content.Options{Drafts: true, Future: true, Expired: true}
	if cfg != nil {
		o.Languages, o.Untranslated = cfg.Langs, cfg.Untranslated
	}
	return o
}

// ServeHTTP answers a request under Prefix. The caller has checked the
// Host header.
func (e *Editor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Cross-Origin-Resource-Policy", "same-origin")
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		refuse(w, http.StatusForbidden, "The editor opens from its own pages or from an address typed or clicked in the terminal, not from another site.")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, HEAD, POST")
		refuse(w, http.StatusMethodNotAllowed, "The editor answers GET and POST only.")
		return
	}
	if r.Method == http.MethodPost {
		// a form posted from another page, even on this machine, carries
		// its own Origin; browsers always send one with a POST
		if o := r.Header.Get("Origin"); o == "" || !strings.EqualFold(o, "http://"+r.Host) {
			refuse(w, http.StatusForbidden, "The editor takes changes from its own pages only (the request's Origin was "+fmt.Sprintf("%q", o)+").")
			return
		}
	}
	rest := strings.TrimPrefix(r.URL.Path, Prefix)
	if rest == "login" {
		e.login(w, r)
		return
	}
	if !e.signedIn(r) {
		e.page(w, http.StatusUnauthorized, "login", map[string]any{"Title": "Sign in to edit"})
		return
	}
	if r.Method == http.MethodPost {
		// a form with files may be as large as its files; one without, as
		// its text (read whole into memory)
		var err error
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm+maxPicture+maxSound+maxTranscript)
			err = r.ParseMultipartForm(maxForm)
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			err = r.ParseForm()
		}
		if err != nil {
			refuse(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The form is larger than the editor takes (%d MB of text; a picture of %d MB, a sound file of %d MB, a transcript of %d MB); keep long text shorter, or edit the file in a text editor.", maxForm>>20, maxPicture>>20, maxSound>>20, maxTranscript>>20))
			return
		}
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(e.csrf)) != 1 {
			refuse(w, http.StatusForbidden, "This form is from an earlier run of the preview. Your changes were not saved: go back, copy what you wrote, reload the page and paste it in.")
			return
		}
	}
	switch {
	case rest == "":
		e.dashboard(w, r)
	case rest == "page":
		e.edit(w, r)
	case rest == "new":
		e.create(w, r)
	case rest == "preview" && r.Method == http.MethodPost:
		e.livePreview(w, r)
	case rest == "source":
		e.source(w, r)
	case rest == "picture":
		e.picture(w, r)
	case strings.HasPrefix(rest, "assets/"):
		e.asset(w, r, rest)
	default:
		refuse(w, http.StatusNotFound, "The editor has no page at "+r.URL.Path+".")
	}
}

// maxForm bounds what a form may send: the text of a long page and its
// fields.
const maxForm = 4 << 20

func refuse(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	io.WriteString(w, msg+"\n")
}

// signedIn says whether a request may use the editor: always when there
// is no login token, otherwise with the session's cookie.
func (e *Editor) signedIn(r *http.Request) bool {
	if e.o.Token == "" {
		return true
	}
	c, err := r.Cookie(cookieName)
	return err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(e.session)) == 1
}

const cookieName = "otpress-edit"

// login takes the token printed in the terminal, from the link there or
// typed into the sign-in form, and gives the browser the session's cookie.
func (e *Editor) login(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		r.ParseForm()
		token = r.PostForm.Get("token")
	}
	if e.o.Token == "" {
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
		return
	}
	if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(e.o.Token)) != 1 {
		e.page(w, http.StatusUnauthorized, "login", map[string]any{"Title": "Sign in to edit", "Wrong": token != ""})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: e.session, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}

// asset serves the editor's stylesheet and script.
func (e *Editor) asset(w http.ResponseWriter, r *http.Request, rest string) {
	b, err := files.ReadFile(rest)
	if err != nil || strings.Contains(rest, "..") {
		refuse(w, http.StatusNotFound, "No such file.")
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(rest)))
	w.Write(b)
}

// page writes one of the editor's pages.
func (e *Editor) page(w http.ResponseWriter, code int, name string, data map[string]any) {
	data["CSRF"] = e.csrf
	data["Page"] = name
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	if err := e.tpl.ExecuteTemplate(w, name+".html", data); err != nil {
		fmt.Fprintf(w, "<p>The editor could not show this page: %s</p>", template.HTMLEscapeString(err.Error()))
	}
}

// sum is a file's fingerprint, carried by its form, so a save can tell
// whether the file changed on disk meanwhile.
func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// errNotPage is a path the editor does not edit.
var errNotPage = errors.New("not a page of the site")

// checkPath says whether p, as a form names it, is a file the editor may
// open or write: a Markdown file under content/ (or a file sent with a
// form: a picture, a sound file, a transcript), named plainly. Files are opened through the site's
// os.Root, so a link out of the folder is not followed either.
func checkPath(p string) error {
	ext := strings.ToLower(path.Ext(p))
	if p == "" || strings.ContainsAny(p, "\\\x00:") || path.Clean(p) != p || !strings.HasPrefix(p, content.Dir+"/") || ext != ".md" && !pictureExts()[ext] && content.AudioType(ext) == "" && !slices.Contains([]string{".vtt", ".srt", ".json"}, ext) {
		return errNotPage
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." || strings.HasPrefix(seg, ".") {
			return errNotPage
		}
	}
	return nil
}

// readFile reads a page file of the site.
func (e *Editor) readFile(p string) ([]byte, error) {
	if err := checkPath(p); err != nil || !strings.EqualFold(path.Ext(p), ".md") {
		return nil, errNotPage
	}
	f, err := e.root.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errNotPage
	}
	if fi.Size() > maxForm {
		return nil, fmt.Errorf("%s is %d MB, more than the editor opens (%d MB); edit it in a text editor", p, fi.Size()>>20, maxForm>>20)
	}
	return io.ReadAll(io.LimitReader(f, maxForm+1))
}

// writeFile replaces (or, with create, makes) a file of the site in one
// step: a reader of the file, the preview among them, sees the old bytes
// or the new, never part of them; with create, a file already there is
// never replaced (fs.ErrExist).
func (e *Editor) writeFile(p string, data []byte, create bool) error {
	if err := checkPath(p); err != nil {
		return err
	}
	dir := path.Dir(p)
	mode := fs.FileMode(0o644)
	if fi, err := e.root.Stat(p); err == nil {
		if create {
			return fs.ErrExist
		}
		mode = fi.Mode().Perm()
	} else if !create {
		return err
	}
	tmp, _, _, err := e.spool(dir, bytes.NewReader(data), mode)
	if err != nil {
		return err
	}
	return e.place(tmp, p, create)
}

// spool writes r into a new dot file in dir (made if need be), which
// neither the build nor the preview reads, and returns its path, size and
// sha256.
func (e *Editor) spool(dir string, r io.Reader, mode fs.FileMode) (string, int64, [32]byte, error) {
	var sum [32]byte
	if err := e.root.MkdirAll(dir, 0o755); err != nil {
		return "", 0, sum, err
	}
	tmp := dir + "/.otpress-edit-" + secret()[:16] + ".tmp"
	f, err := e.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return "", 0, sum, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		e.root.Remove(tmp)
		return "", 0, sum, err
	}
	copy(sum[:], h.Sum(nil))
	return tmp, n, sum, nil
}

// place puts a spooled file at p in one step, over what is there, or,
// with create, only where nothing is (fs.ErrExist, even when another
// file was made there meanwhile).
func (e *Editor) place(tmp, p string, create bool) error {
	var err error
	if create {
		err = e.root.Link(tmp, p)
		e.root.Remove(tmp)
	} else if err = e.root.Rename(tmp, p); err != nil {
		e.root.Remove(tmp)
	}
	if err == nil {
		e.Changed([]string{p})
	}
	return err
}
