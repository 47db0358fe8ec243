// Package serve is the editors' preview: it builds the site, serves it over
// HTTP, watches the site's files and rebuilds when they change, and tells
// every open page to reload (or to swap its stylesheet, or to show what is
// wrong) over Server-Sent Events.
//
// Each build goes to a temporary folder that publish swaps into place in one
// step, so a request during a rebuild gets the old site or the new one, never
// a mix within a page. A failed build leaves the last good site being served
// and shows its problems over the page.
package serve

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/edit"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/site"
)

// Options say what to serve and where.
type Options struct {
	SiteDir string
	Bind    string // address to listen on; "127.0.0.1" unless the editor asks
	Port    int    // 0 picks a free port
	Drafts  bool
	Future  bool // show items dated after now
	Expired bool // show items whose expires date has come
	// Navigate sends open pages to the page of the file just saved, when
	// the save made or changed one page (an item, theme, page or pack).
	Navigate  bool
	Generator string
	Log       io.Writer // what the terminal shows: the URL, rebuilds, problems once
	// Ready, when set, is called once the first build is done and the server
	// is listening, with the address of the site.
	Ready func(url string)
	// Quiet is how long the files must be still before a rebuild starts, so a
	// burst of saves (an editor's write-rename-write, a git checkout) makes
	// one rebuild. Default 30 ms.
	Quiet time.Duration
	// AllowHosts are more names the preview answers to (a name colleagues
	// use, a proxy in front): "name" at its port, or "name:port" as is.
	AllowHosts []string
	// Edit serves the browser editor (package edit) under /_edit/, and
	// gives every page an "Edit this page" link. Listening on an address
	// other machines can reach, it asks each browser for a token printed
	// in the terminal.
	Edit bool
	// Git, with Edit, commits each save in the site's git repository.
	Git bool
}

// ErrPortBusy is returned when the port is taken.
var ErrPortBusy = errors.New("port busy")

// Run builds and serves the site until ctx is cancelled.
func Run(ctx context.Context, o Options) error {
	if o.Bind == "" {
		o.Bind = "127.0.0.1"
	}
	if o.Quiet == 0 {
		o.Quiet = 30 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(o.Bind, strconv.Itoa(o.Port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("%w: port %d on %s is already in use, perhaps by another generator serve; try --port %d", ErrPortBusy, o.Port, o.Bind, o.Port+1)
		}
		return err
	}
	defer ln.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	tmp, err := publish.TempDir("serve")
	if err != nil {
		return err
	}
	defer tmp.Close()
	s := &server{o: o, out: filepath.Join(tmp.Dir, "site"), hub: newHub(), hosts: newHosts(o.Bind, ln.Addr().(*net.TCPAddr), o.AllowHosts)}
	s.session = site.NewSession(site.Options{SiteDir: o.SiteDir, OutDir: s.out, Drafts: o.Drafts, Future: o.Future, Expired: o.Expired, Generator: o.Generator})
	defer s.session.Close() // after the watcher and its search job have stopped (below)
	// a full build swaps the whole folder: no index write may land in it late
	s.session.BeforeFull = func() { s.job.stop(); s.job = nil }
	// the edited page reloads as soon as it is in place, before the lists;
	// by then the edit has built, so earlier problems are gone
	s.session.Early = func(pages []string) {
		s.mu.Lock()
		s.built, s.problems, s.said = true, nil, ""
		s.mu.Unlock()
		s.reloadPages(pages)
	}

	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch the site's files: %w", err)
	}
	defer w.Close()
	s.watchAll(w)
	if o.Edit {
		token := ""
		if !loopback(o.Bind) {
			token = rand.Text()
		}
		if o.Git {
			if err := edit.CheckGit(o.SiteDir); err != nil {
				return err
			}
		}
		if s.editor, err = edit.New(edit.Options{SiteDir: o.SiteDir, Token: token, Git: o.Git}); err != nil {
			return err
		}
		defer s.editor.Close()
		s.token = token
	}

	s.readBase()
	s.rebuild(ctx, nil)
	url := "http://" + ln.Addr().String() + s.basePath()
	shown := map[bool]string{true: "shown", false: "hidden"}
	fmt.Fprintf(o.Log, "Serving %s at %s (drafts %s, future pages %s, expired pages %s). Press Ctrl+C to stop.\n", o.SiteDir, url, shown[o.Drafts], shown[o.Future], shown[o.Expired])
	switch {
	case s.token != "":
		fmt.Fprintf(o.Log, "To edit, open http://%s%slogin?token=%s on this computer or another (the token lets anyone who has it change the site's files).\n", ln.Addr(), edit.Prefix, s.token)
	case s.editor != nil:
		fmt.Fprintf(o.Log, "To edit, open http://%s%s\n", ln.Addr(), edit.Prefix)
	}

	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	watching := make(chan struct{})
	go func() { defer close(watching); s.watch(ctx, w) }()
	if o.Ready != nil {
		o.Ready(url)
	}
	select {
	case <-ctx.Done():
	case err := <-done:
		cancel()
		<-watching
		return err
	}
	<-watching    // no rebuild or search index write still going when the folder is removed
	s.hub.close() // end the event streams, so Shutdown need not wait for them
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	fmt.Fprintln(o.Log, "Stopped.")
	return nil
}

// server is the running preview.
type server struct {
	o       Options
	out     string // the output folder: swapped whole on a full build, pages replaced one by one otherwise
	hub     *hub
	hosts   *hosts // the Host headers it answers to
	session *site.Session
	editor  *edit.Editor // with Options.Edit
	token   string       // the editor's login token, when it asks for one
	job     *searchJob   // the search index being rewritten in the background; only the watch loop touches it

	mu       sync.RWMutex
	built    bool            // a build has succeeded
	base     string          // the site's base path, "/" or "/ot/"
	problems []*diag.Problem // of the last build, when it failed
	said     string          // the problems last printed, so each is printed once
}

// readBase reads the site's base path from site.toml, for the addresses
// the preview answers on.
func (s *server) readBase() {
	if cfg, _ := config.Load(os.DirFS(s.o.SiteDir)); cfg != nil {
		s.mu.Lock()
		s.base = cfg.BasePath
		s.mu.Unlock()
	}
}

func (s *server) basePath() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.base == "" {
		return "/"
	}
	return s.base
}

// rebuild builds the site and tells the open pages what happened. changed
// are the files that set it off (nil for the first build).
func (s *server) rebuild(ctx context.Context, changed []string) {
	start := time.Now()
	res, partial, err := s.session.Update(ctx, changed)
	if ctx.Err() != nil {
		return
	}
	var be *diag.BuildError
	if errors.As(err, &be) || err != nil {
		probs := []*diag.Problem{diag.Errorf("", 0, 0, "%v", err)}
		if be != nil {
			probs = be.Problems
		}
		s.mu.Lock()
		s.problems = probs
		text := ""
		for _, p := range probs {
			text += p.Detail()
		}
		repeat := text == s.said
		s.said = text
		s.mu.Unlock()
		if !repeat {
			fmt.Fprintf(s.o.Log, "%s\nThe site could not be rebuilt (%s); still serving the last good version.\n", text, diag.Count(len(probs), "problem", "problems"))
		}
		s.hub.send("problems", s.problemsJSON())
		return
	}
	s.mu.Lock()
	s.built, s.problems, s.said = true, nil, ""
	s.mu.Unlock()
	s.readBase()
	if changed == nil {
		fmt.Fprintf(s.o.Log, "Built %d pages in %s, %s.\n", res.Pages, res.Duration.Round(time.Millisecond), diag.Count(len(res.Warnings), "warning", "warnings"))
		for _, w := range res.Warnings {
			fmt.Fprint(s.o.Log, w.Detail())
		}
		return
	}
	if s.o.Navigate {
		s.navigate(changed) // first: a page told to reload all at once would miss it
	}
	switch {
	case cssOnly(changed):
		s.hub.send("css", []byte(strconv.FormatInt(time.Now().UnixMilli(), 10))) // pages swap their stylesheets
	case partial:
		s.reloadPages(res.Changed) // only the pages that were rewritten
	default:
		s.hub.send("reload", []byte(`{"all":true}`))
	}
	what := "Rebuilt"
	if partial {
		what = "Rewrote " + diag.Count(res.Pages, "page", "pages")
	}
	fmt.Fprintf(s.o.Log, "%s in %s after %s changed.\n", what, time.Since(start).Round(time.Millisecond), describe(s.o.SiteDir, changed))
}

// navigate sends the open pages to the page the changed files make, when
// they make one page between them: an editor saving a story sees it.
func (s *server) navigate(changed []string) {
	to := ""
	for _, f := range changed {
		switch p := s.session.PageOf(f); {
		case p == "" || p == to:
		case to != "":
			return // files of two pages: stay where they are
		default:
			to = p
		}
	}
	if to == "" {
		return
	}
	data, _ := json.Marshal(map[string]string{"page": s.basePath() + strings.TrimPrefix(to, "/")})
	s.hub.send("navigate", data)
}

// reloadPages tells the open pages among these site paths to reload.
func (s *server) reloadPages(changed []string) {
	var pages []string
	base := s.basePath()
	for _, p := range changed {
		pages = append(pages, base+strings.TrimPrefix(p, "/"))
	}
	data, _ := json.Marshal(map[string]any{"pages": pages})
	s.hub.send("reload", data)
}

// searchPause is how long after a page rewrite the search index is
// rewritten, in the background: it takes far longer than the page (about a
// second at 10,000 pages), and an editor saving again meanwhile need not
// wait for it.
const searchPause = 300 * time.Millisecond

// searchJob is a search index rewrite running in the background.
type searchJob struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// startSearch rewrites the search index in the background if pages changed
// since it was last written.
func (s *server) startSearch(ctx context.Context) *searchJob {
	job := s.session.SearchJob()
	if job == nil {
		return nil
	}
	jctx, cancel := context.WithCancel(ctx)
	j := &searchJob{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(j.done)
		start := time.Now()
		if err := job(jctx); err != nil {
			if jctx.Err() == nil {
				fmt.Fprintf(s.o.Log, "The search index could not be rewritten: %v\n", err)
			}
			return
		}
		fmt.Fprintf(s.o.Log, "Search index brought up to date in %s.\n", time.Since(start).Round(time.Millisecond))
		s.hub.send("search", []byte(strconv.FormatInt(time.Now().UnixMilli(), 10)))
	}()
	return j
}

// stop cancels the job and waits for it to end.
func (j *searchJob) stop() {
	if j != nil {
		j.cancel()
		<-j.done
	}
}

// cssOnly says whether every changed file is a stylesheet; a new or removed
// folder counts by the files it holds.
func cssOnly(changed []string) bool {
	any := false
	for _, p := range changed {
		fi, err := os.Stat(p)
		if err == nil && fi.IsDir() {
			ok := true
			_ = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					any = true
					ok = ok && strings.EqualFold(filepath.Ext(q), ".css")
				}
				return nil
			})
			if !ok {
				return false
			}
			continue
		}
		if !strings.EqualFold(filepath.Ext(p), ".css") {
			return false
		}
		any = true
	}
	return any
}

// describe names the changed files for the terminal: the first few,
// relative to the site folder.
func describe(root string, changed []string) string {
	// editors' and tools' temporary files come and go within a burst
	if kept := slices.DeleteFunc(slices.Clone(changed), func(p string) bool { _, err := os.Stat(p); return err != nil }); len(kept) > 0 {
		changed = kept
	}
	var names []string
	for i, p := range changed {
		if i == 3 {
			names = append(names, fmt.Sprintf("%d more", len(changed)-3))
			break
		}
		if rel, err := filepath.Rel(root, p); err == nil {
			p = rel
		}
		names = append(names, filepath.ToSlash(p))
	}
	return strings.Join(names, ", ")
}

// watched are the parts of a site whose changes need a rebuild.
var watched = []string{"content", "themes", "static", "data"} // data/: the site's source list

// watchAll watches the site folder itself (for site.toml and for the
// watched folders appearing) and every folder under the watched ones.
func (s *server) watchAll(w *fsnotify.Watcher) {
	_ = w.Add(s.o.SiteDir)
	for _, d := range watched {
		s.watchTree(w, filepath.Join(s.o.SiteDir, d))
	}
}

// watchTree watches a folder and every folder under it: fsnotify is not
// recursive, and editors save by renaming, so folders are watched, not files.
func (s *server) watchTree(w *fsnotify.Watcher, root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != root {
				return filepath.SkipDir
			}
			_ = w.Add(p)
		}
		return nil
	})
}

// relevant says whether a changed path can change the site.
// relative turns the watcher's paths into slash paths under the site.
func (s *server) relative(paths []string) []string {
	var out []string
	for _, p := range paths {
		if rel, err := filepath.Rel(s.o.SiteDir, p); err == nil {
			out = append(out, filepath.ToSlash(rel))
		}
	}
	return out
}

// loopback says whether an address to listen on is reachable from this
// computer only.
func loopback(bind string) bool {
	if bind == "localhost" {
		return true
	}
	ip := net.ParseIP(bind)
	return ip != nil && ip.IsLoopback()
}

func (s *server) relevant(p string) bool {
	rel, err := filepath.Rel(s.o.SiteDir, p)
	if err != nil {
		return false
	}
	rel = filepath.ToSlash(rel)
	base := filepath.Base(p)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") {
		return false // editors' temporary and backup files
	}
	if rel == config.File {
		return true
	}
	for _, d := range watched {
		if rel == d || strings.HasPrefix(rel, d+"/") {
			return true
		}
	}
	return false
}

// watch turns file events into rebuilds: events are gathered until the
// files have been still for Quiet, then one rebuild runs for all of them.
func (s *server) watch(ctx context.Context, w *fsnotify.Watcher) {
	var pending []string
	var timer, search <-chan time.Time
	defer func() { s.job.stop() }()
	for {
		select {
		case <-ctx.Done():
			return
		case <-search:
			search = nil
			s.job.stop()
			s.job = s.startSearch(ctx)
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			fmt.Fprintf(s.o.Log, "watching files: %v\n", err)
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if !s.relevant(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					s.watchTree(w, ev.Name) // a new folder: watch it and what it holds
				}
			}
			if !slices.Contains(pending, ev.Name) {
				pending = append(pending, ev.Name)
			}
			timer = time.After(s.o.Quiet)
		case <-timer:
			changed := pending
			if s.editor != nil {
				s.editor.Changed(s.relative(changed))
			}
			pending, timer = nil, nil
			s.rebuild(ctx, changed)
			if s.session.SearchStale() {
				search = time.After(searchPause)
			}
		}
	}
}
