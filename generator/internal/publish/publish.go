// Package publish is the only writer of the output folder. A build writes
// into a fresh temporary folder next to the output; Commit swaps it into
// place in one step and Abort removes it, so a failed build never touches the
// previous output. Text outputs are minified by media type on the way.
package publish

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
	"github.com/tdewolff/parse/v2/buffer"
)

// Options configure a Publisher.
type Options struct {
	Minify bool
	// InPlace updates a few files of an existing output instead of
	// replacing it: writes are held in memory until Commit, which puts
	// each file in place with a rename, so a reader never sees half a
	// file, and Abort leaves the output as it was. The preview uses it to
	// rewrite the pages an edit touches.
	InPlace bool
	// Site and Inputs are the site folder and the folders a build reads
	// (content, themes, static, data): the output may never be one of
	// them or hold one, nor be inside an input (guard.go).
	Site   string
	Inputs []string
	// Force lets a build replace a folder that holds files otpress did
	// not make.
	Force bool
	// Sums keeps the sha256 of each file written whole (Sum), for a
	// cache that must know a file by its bytes.
	Sums bool
	// Trash, when set, is a folder of the build's own (its cache) where
	// Commit may leave the old output, when the new one kept nearly every
	// file of it (linked, so it holds few bytes of its own), for the next
	// build to remove while it works (EmptyTrash): a warm build then ends
	// with the swap, not with removing some 50,000 names.
	Trash string
}

// Publisher writes one build's output.
type Publisher struct {
	dest  string
	shown string // dest as given, for messages
	tmp   string
	m     *minify.M
	files atomic.Int64
	bytes atomic.Int64
	kept  atomic.Int64 // files whose bytes were as before (keepTime)
	sums  *sync.Map    // Options.Sums: slash path → [32]byte
	mu    sync.Mutex
	seen  map[string]bool
	under map[string]string // each folder of the output (slash path) → the first file written in it
	dirs  sync.Map          // folders already created
	held  map[string][]byte // InPlace: what Commit will write, by slash path
	gone  []string          // InPlace: what Commit will remove
	lock  *os.File          // held on tmp while the build runs (LockDir)
	// leftover is the old output Commit could not remove
	leftover string
	trash    string // Options.Trash
	// checked gives the result of the check that the old output can be
	// removed whole (removable); nil when there is none
	checked chan error
	sub     bool // a folder of another's output (Sub): its Commit and Abort are the other's
}

// Sub is a publisher of the folder dir (a slash path) of p's output, for
// a part of the site built on its own, such as a language under its own
// folder: it writes into p's temporary folder, and goes in place with p's
// Commit. Its Commit and Abort do nothing; its counts are its own.
func (p *Publisher) Sub(dir string) *Publisher {
	dir = filepath.FromSlash(dir)
	s := &Publisher{dest: filepath.Join(p.dest, dir), shown: filepath.Join(p.shown, dir), tmp: filepath.Join(p.tmp, dir), m: p.m,
		seen: map[string]bool{}, under: map[string]string{}, sub: true}
	if p.sums != nil {
		s.sums = &sync.Map{}
	}
	return s
}

// tmpPrefix starts the names of a build's temporary folders beside dest:
// ".public.building-" and a number chosen by os.MkdirTemp.
func tmpPrefix(dest string) string { return "." + filepath.Base(dest) + ".building-" }

// removeStale removes the temporary folders that builds of dest killed
// before their end left beside it, so a site does not fill up with them:
// only names of this package's making (".public.building-" and digits,
// with ".old" when the output is in place), last changed before this build
// began (began), and not locked by a build still running. Anything else
// beside the output is left alone. Failures are ignored: the folders are
// only in the way.
func removeStale(dest, mine string, began time.Time) {
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		return
	}
	_, err = os.Lstat(dest)
	haveDest := err == nil
	ours := regexp.MustCompile(`^` + regexp.QuoteMeta(tmpPrefix(dest)) + `[0-9]+(\.old)?$`)
	for _, e := range entries {
		name := e.Name()
		m := ours.FindStringSubmatch(name)
		path := filepath.Join(filepath.Dir(dest), name)
		if m == nil || path == mine || !e.IsDir() {
			continue
		}
		if m[1] != "" && !haveDest {
			continue // the old output moved aside by a build killed before the new one went in
		}
		removeUnlocked(path, began)
	}
}

// Begin starts a build whose output will replace dest.
func Begin(dest string, o Options) (*Publisher, error) {
	shown := dest // as the editor gave it, for messages
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	if o.InPlace {
		p := &Publisher{dest: dest, shown: shown, tmp: dest, seen: map[string]bool{}, held: map[string][]byte{}}
		if o.Minify {
			p.m = newMinifier()
		}
		return p, nil
	}
	if err := guard(shown, o.Site, o.Inputs, o.Force); err != nil {
		return nil, err
	}
	// Whether the old output can be removed whole is found before the new
	// one goes in, not once it is half removed: its own folder now, the
	// folders in it while the build runs (a walk of a 10k-page output
	// takes a quarter of a second), waited for by Commit.
	var checked chan error
	if _, err := os.Lstat(dest); err == nil {
		if err := removableFolder(dest); err != nil {
			return nil, explain(fmt.Sprintf("the output folder %s cannot be replaced", shown), shown, shownPath(err, dest, shown))
		}
		checked = make(chan error, 1)
		go func() { checked <- removable(dest) }()
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, explain("create the folder for the output", filepath.Dir(shown), err)
	}
	began := time.Now()
	tmp, err := os.MkdirTemp(parent, tmpPrefix(dest))
	if err != nil {
		return nil, explain("create a temporary output folder", filepath.Dir(shown), shownPath(err, parent, filepath.Dir(shown)))
	}
	lock, err := LockDir(tmp)
	if err == nil {
		err = os.Chmod(tmp, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(tmp, Marker), []byte(markerText), 0o644)
	}
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		os.RemoveAll(tmp)
		return nil, explain("prepare the temporary output folder", filepath.Dir(shown), err)
	}
	p := &Publisher{dest: dest, shown: shown, tmp: tmp, seen: map[string]bool{}, under: map[string]string{}, lock: lock, checked: checked, trash: o.Trash}
	if o.Sums {
		p.sums = &sync.Map{}
	}
	p.dirs.Store(tmp, true)
	removeStale(dest, tmp, began)
	sweep(os.TempDir(), "", began)
	if o.Minify {
		p.m = newMinifier()
	}
	return p, nil
}

func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true, KeepSpecialComments: false})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$`), js.Minify)
	// JSON files; not JSON-LD in pages, which the build writes compact already
	m.AddFuncRegexp(regexp.MustCompile(`^application/(feed\+|manifest\+)?json$`), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return m
}

// Minify minifies data as Write would for a file called name; data of a
// type it does not know comes back as it is.
func Minify(name string, data []byte) ([]byte, error) {
	mt := MediaType(name)
	if mt == "" {
		return data, nil
	}
	return sharedMinifier().Bytes(mt, data)
}

var sharedMinifier = sync.OnceValue(newMinifier)

// MediaType returns the media type used to minify a file, from its name,
// or "" for files copied as they are.
func MediaType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return "text/html"
	case ".css":
		return "text/css"
	case ".js", ".mjs":
		return "application/javascript"
	case ".json", ".webmanifest":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".xml", ".rss", ".atom":
		return "application/xml"
	}
	return ""
}

// Dir is the temporary folder being written.
func (p *Publisher) Dir() string { return p.tmp }

// Counts reports the files and bytes written so far.
func (p *Publisher) Counts() (files, bytes int64) { return p.files.Load(), p.bytes.Load() }

// Unchanged is how many files written had the old output's bytes, and so
// kept its modification time.
func (p *Publisher) Unchanged() int64 { return p.kept.Load() }

// ErrDuplicate is returned when two outputs claim one path.
var ErrDuplicate = errors.New("written twice")

// ClashError is a file the build would write where it has made a folder,
// or inside a path it has written as a file: Folder is the path that is
// both, File the file written in (or as) it.
type ClashError struct {
	Path   string // the write refused
	Folder string // the path wanted as both a file and a folder
	File   string // the file under Folder, written or wanted
}

func (e *ClashError) Error() string {
	return fmt.Sprintf("%s: %s is both a file and the folder of %s", e.Path, e.Folder, e.File)
}

// clash finds what a write of rel would collide with: rel is a folder
// another file was written in, or a folder above rel was written as a
// file. p.mu is held.
func (p *Publisher) clash(rel string) *ClashError {
	if f, ok := p.under[rel]; ok {
		return &ClashError{Path: rel, Folder: rel, File: f}
	}
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if p.seen[d] {
			return &ClashError{Path: rel, Folder: d, File: rel}
		}
	}
	return nil
}

func (p *Publisher) target(rel string) (string, error) {
	rel = path.Clean("/" + rel)[1:]
	if rel == "" || rel == "." {
		return "", fmt.Errorf("empty output path")
	}
	p.mu.Lock()
	dup := p.seen[rel]
	clash := p.clash(rel)
	if !dup && clash == nil {
		p.seen[rel] = true
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			if _, ok := p.under[d]; ok {
				break
			}
			p.under[d] = rel
		}
	}
	p.mu.Unlock()
	if dup {
		return "", fmt.Errorf("%s: %w", rel, ErrDuplicate)
	}
	if clash != nil {
		return "", clash
	}
	full := filepath.Join(p.tmp, filepath.FromSlash(rel))
	if err := p.mkdir(filepath.Dir(full)); err != nil {
		return "", p.writeErr(rel, err)
	}
	return full, nil
}

// writeErr is a failure to write rel into the output, with a fix for its
// cause; the temporary folder's path it names is left out.
func (p *Publisher) writeErr(rel string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && strings.HasPrefix(pe.Path, p.tmp) {
		err = pe.Err
	}
	return explain(fmt.Sprintf("write %s into %s", rel, p.shown), p.shown, err)
}

// mkdir makes a folder of the output and those above it, once each: with
// its parent known to exist, a new page's folder costs one system call
// where os.MkdirAll spends three.
func (p *Publisher) mkdir(dir string) error {
	if _, done := p.dirs.Load(dir); done {
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir && strings.HasPrefix(parent, p.tmp) {
		if err := p.mkdir(parent); err != nil {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	p.dirs.Store(dir, true)
	return nil
}

// Write writes data to rel (a slash path inside the output), minifying it
// when its type is known.
func (p *Publisher) Write(rel string, data []byte) error {
	mt := MediaType(rel)
	if mt == "" || p.m == nil {
		return p.WriteRaw(rel, data)
	}
	if p.held != nil { // held pages are kept: their bytes their own
		out, err := p.m.Bytes(mt, data)
		if err != nil {
			return fmt.Errorf("minify %s: %w", rel, err)
		}
		return p.WriteRaw(rel, out)
	}
	// written at once: minified into a buffer used again for the next page
	// (a 10k build minified 275 MB into new buffers), unless it grew for a
	// page of megabytes (the evidence page), which is not kept for later
	out := minified.Get().(*bytes.Buffer)
	defer func() {
		if out.Cap() <= 1<<20 {
			minified.Put(out)
		}
	}()
	out.Reset()
	out.Grow(len(data))
	if err := p.m.Minify(mt, out, buffer.NewReader(data)); err != nil {
		return fmt.Errorf("minify %s: %w", rel, err)
	}
	return p.WriteRaw(rel, out.Bytes())
}

// WritePage writes an HTML page made from compact templates (render's
// Options.Compact, set when minifying): its markup is minified already, and
// Markdown's HTML is compact, so the page is written as it is. Minifying them
// took 13% of a 10k build's CPU for 1% of its bytes. A page with an HTML comment,
// which only raw HTML in content can bring, is minified as Write would, so
// that editors' comments are not published.
func (p *Publisher) WritePage(rel string, data []byte) error {
	if p.m != nil && bytes.Contains(data, []byte("<!--")) {
		return p.Write(rel, data)
	}
	return p.WriteRaw(rel, data)
}

var minified = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// WriteRaw writes data to rel as it is, for output that is already compact
// (the search index: its JSON stays JSON, which its Go reader relies on).
func (p *Publisher) WriteRaw(rel string, data []byte) error {
	if p.held != nil {
		return p.hold(rel, data)
	}
	full, err := p.target(rel)
	if err != nil {
		return err
	}
	if err := os.WriteFile(full, data, 0o644); err != nil {
		return p.writeErr(rel, err)
	}
	p.files.Add(1)
	p.bytes.Add(int64(len(data)))
	p.keepTime(rel, full, int64(len(data)), func(old *os.File) bool { return sameBytes(old, bytes.NewReader(data)) })
	if p.sums != nil {
		p.sums.Store(rel, sha256.Sum256(data))
	}
	return nil
}

// Sum is the sha256 of the file written at rel, with Options.Sums (not
// of one Reuse linked: its caller knows it).
func (p *Publisher) Sum(rel string) ([32]byte, bool) {
	if p.sums == nil {
		return [32]byte{}, false
	}
	v, ok := p.sums.Load(rel)
	if !ok {
		return [32]byte{}, false
	}
	return v.([32]byte), true
}

// keepTime gives the file just written at full the modification time of
// the old output's file at rel when the two hold the same bytes (same
// tells, given the old file open), so rsync and deploy tools that compare
// times copy only what changed. Only a regular file of the new one's size
// is read; any failure leaves the new time, which is never wrong, only
// more to copy.
func (p *Publisher) keepTime(rel, full string, size int64, same func(old *os.File) bool) {
	oldPath := filepath.Join(p.dest, filepath.FromSlash(rel))
	oldInfo, err := os.Lstat(oldPath)
	if err != nil || !oldInfo.Mode().IsRegular() || oldInfo.Size() != size {
		return
	}
	f, err := os.Open(oldPath)
	if err != nil {
		return
	}
	defer f.Close()
	if same(f) {
		_ = os.Chtimes(full, time.Time{}, oldInfo.ModTime())
		p.kept.Add(1)
	}
}

// sameBytes reports whether a and b read the same bytes to their ends.
func sameBytes(a, b io.Reader) bool {
	bufs := chunks.Get().(*[2][]byte)
	defer chunks.Put(bufs)
	for {
		n, errA := io.ReadFull(a, bufs[0])
		m, errB := io.ReadFull(b, bufs[1])
		if n != m || !bytes.Equal(bufs[0][:n], bufs[1][:m]) {
			return false
		}
		if errA != nil || errB != nil { // the end of either: the end of both?
			return ended(errA) && ended(errB)
		}
	}
}

func ended(err error) bool { return err == io.EOF || err == io.ErrUnexpectedEOF }

var chunks = sync.Pool{New: func() any { return &[2][]byte{make([]byte, 32<<10), make([]byte, 32<<10)} }}

// Copy copies the file name from fsys to rel, minifying text types.
func (p *Publisher) Copy(rel string, fsys fs.FS, name string) error {
	if p.held != nil {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		return p.Write(rel, data)
	}
	if MediaType(rel) != "" && p.m != nil {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		return p.Write(rel, data)
	}
	full, err := p.target(rel)
	if err != nil {
		return err
	}
	in, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(full)
	if err != nil {
		return p.writeErr(rel, err)
	}
	var h hash.Hash
	src := io.Reader(in)
	if p.sums != nil {
		h = sha256.New()
		src = io.TeeReader(in, h)
	}
	n, err := io.Copy(out, src)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	p.files.Add(1)
	p.bytes.Add(n)
	if err == nil && h != nil {
		var sum [32]byte
		h.Sum(sum[:0])
		p.sums.Store(rel, sum)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == full {
		return p.writeErr(rel, err)
	}
	if err == nil {
		p.keepTime(rel, full, n, func(old *os.File) bool {
			f, err := os.Open(full)
			if err != nil {
				return false
			}
			defer f.Close()
			return sameBytes(old, f)
		})
	}
	return err
}

// Reuse puts the old output's file at rel into the new output as it is
// (a hard link: no bytes copied, its time kept), if it is still a regular
// file of the given size and sha256: at once when it also has the given
// modification time (Unix nanoseconds), otherwise once its bytes are read
// and found to have that sum (a file restored from an archive keeps its
// bytes but not always its time). It reports whether it did; when not,
// the caller writes the file.
func (p *Publisher) Reuse(rel string, size, mtime int64, sum [32]byte) bool {
	if p.held != nil {
		return false
	}
	rel = path.Clean("/" + rel)[1:]
	old := filepath.Join(p.dest, filepath.FromSlash(rel))
	fi, err := os.Lstat(old)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != size {
		return false
	}
	if fi.ModTime().UnixNano() != mtime {
		got, err := FileSum(old)
		if err != nil || got != sum {
			return false
		}
	}
	full, err := p.target(rel)
	if err != nil {
		return false
	}
	if err := os.Link(old, full); err != nil {
		p.mu.Lock()
		delete(p.seen, rel) // the caller writes it after all
		p.mu.Unlock()
		return false
	}
	p.files.Add(1)
	p.bytes.Add(size)
	p.kept.Add(1)
	return true
}

// FileSum is the sha256 of a file's bytes.
func FileSum(name string) ([32]byte, error) {
	var sum [32]byte
	f, err := os.Open(name)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// Stat gives the size and modification time (Unix nanoseconds) of a file
// written into the new output.
func (p *Publisher) Stat(rel string) (size, mtime int64, err error) {
	fi, err := os.Lstat(filepath.Join(p.tmp, filepath.FromSlash(path.Clean("/" + rel)[1:])))
	if err != nil {
		return 0, 0, err
	}
	return fi.Size(), fi.ModTime().UnixNano(), nil
}

// hold keeps an in-place write for Commit.
func (p *Publisher) hold(rel string, data []byte) error {
	rel = path.Clean("/" + rel)[1:]
	if rel == "" || rel == "." {
		return fmt.Errorf("empty output path")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, dup := p.held[rel]; dup {
		return fmt.Errorf("%s: %w", rel, ErrDuplicate)
	}
	p.held[rel] = bytes.Clone(data) // callers reuse their buffers
	p.files.Add(1)
	p.bytes.Add(int64(len(data)))
	return nil
}

// Remove marks a file of the existing output for removal on Commit, with
// the folders it leaves empty: for an InPlace publisher, when a page is no
// longer part of the site.
func (p *Publisher) Remove(rel string) error {
	rel = path.Clean("/" + rel)[1:]
	if p.held == nil || rel == "" || rel == "." {
		return fmt.Errorf("remove %q: only a file of an in-place update can be removed", rel)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.gone = append(p.gone, rel)
	return nil
}

// Held lists the files an InPlace publisher will write on Commit, as slash
// paths inside the output, sorted.
func (p *Publisher) Held() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.held))
	for rel := range p.held {
		out = append(out, rel)
	}
	slices.Sort(out)
	return out
}

// commitInPlace writes each held file next to its place and renames it
// over the old one, a few files at a time (each costs a create, a write, a
// chmod and a rename).
func (p *Publisher) commitInPlace() error {
	files := make(chan string)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for rel := range files {
				if err := p.replace(rel, p.held[rel]); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for rel := range p.held {
		files <- rel
	}
	close(files)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	p.held = map[string][]byte{}
	for _, rel := range p.gone {
		full := filepath.Join(p.dest, filepath.FromSlash(rel))
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		// then its folders, as long as they are empty
		for dir := filepath.Dir(full); dir != p.dest && strings.HasPrefix(dir, p.dest); dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil {
				break
			}
		}
	}
	p.gone = nil
	return nil
}

// replace writes data next to rel's place in the output, then renames it
// over rel, so a reader sees the old file or the new, never half of one.
func (p *Publisher) replace(rel string, data []byte) error {
	full := filepath.Join(p.dest, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	return WriteBeside(full, ".otpress-*", data)
}

// Commit puts the new output in place of the old one, then removes the
// old. On any failure before the new output is in place the old one is
// left, or put back, as it was.
func (p *Publisher) Commit() error {
	if p.sub {
		return nil
	}
	if p.held != nil {
		return p.commitInPlace()
	}
	defer p.unlock()
	fail := func(msg string, err error) error {
		p.Abort()
		return explain(msg, p.shown, err)
	}
	if p.checked != nil {
		if err := <-p.checked; err != nil {
			return fail(fmt.Sprintf("the output folder %s cannot be replaced", p.shown), shownPath(err, p.dest, p.shown))
		}
	}
	if _, err := os.Lstat(p.dest); errors.Is(err, fs.ErrNotExist) {
		if err := rename(p.tmp, p.dest); err != nil {
			return fail("put the new output in place", err)
		}
		return nil
	}
	err := exchangeFunc(p.tmp, p.dest)
	switch {
	case err == nil:
		p.discard(p.tmp) // p.tmp now holds the old output
		return nil
	case !errors.Is(err, errors.ErrUnsupported) && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOSYS):
		return fail("put the new output in place", err)
	}
	// No atomic exchange here: move the old output aside, then the new in.
	old := p.tmp + ".old"
	if err := rename(p.dest, old); err != nil {
		return fail("move the old output aside", err)
	}
	if err := rename(p.tmp, p.dest); err != nil {
		if rerr := rename(old, p.dest); rerr != nil {
			p.unlock()
			return explain(fmt.Sprintf("put the new output in place (the old output is at %s, put it back by hand: %v)", old, rerr), p.shown, err)
		}
		return fail("put the new output in place", err)
	}
	p.discard(old)
	return nil
}

// trashPrefix starts the names of old outputs in the trash.
const trashPrefix = "old-output-"

// discard puts the old output, at dir, in the trash when the new output
// kept nine in ten of its files or more, and removes it otherwise.
func (p *Publisher) discard(dir string) {
	if p.trash != "" && p.kept.Load()*10 >= p.files.Load()*9 {
		if rename(dir, filepath.Join(p.trash, trashPrefix+strings.TrimPrefix(filepath.Base(dir), "."))) == nil {
			return
		}
	}
	p.removeOld(dir)
}

// EmptyTrash removes the old outputs that Commit left in the folder trash,
// on a goroutine of its own (one: a build runs beside it); the function it
// returns waits until they are gone and says what could not be removed
// (tried again next time). Only names Commit gives are touched.
func EmptyTrash(trash string) (wait func() error) {
	entries, _ := os.ReadDir(trash)
	var old []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), trashPrefix) {
			old = append(old, filepath.Join(trash, e.Name()))
		}
	}
	if len(old) == 0 {
		return func() error { return nil }
	}
	done := make(chan error, 1)
	go func() {
		var errs []error
		for _, dir := range old {
			errs = append(errs, removeAll(dir))
		}
		done <- errors.Join(errs...)
	}()
	var err error
	var once sync.Once
	return func() error {
		once.Do(func() { err = <-done })
		return err
	}
}

// removeOld removes the old output once the new one is in place. Begin
// found it removable; should that have changed, what is left of it is
// named by Leftover, and the next build removes it (removeStale).
func (p *Publisher) removeOld(dir string) {
	if err := removeTree(dir); err != nil {
		p.leftover = dir
	}
}

// removeTree removes dir and all it holds, its folders on as many
// goroutines as there are cores (a site's sections are folders of
// thousands of pages; removing the old output was a fifteenth of a warm
// build on one core). What a folder's removal leaves, the last removeAll
// reports.
func removeTree(dir string) error {
	if entries, err := os.ReadDir(dir); err == nil {
		var wg sync.WaitGroup
		slots := make(chan struct{}, runtime.GOMAXPROCS(0))
		for _, e := range entries {
			if e.IsDir() { // not a link to one, which is removed, not followed
				slots <- struct{}{}
				wg.Go(func() {
					defer func() { <-slots }()
					removeAll(filepath.Join(dir, e.Name()))
				})
			}
		}
		wg.Wait()
	}
	return removeAll(dir)
}

// Leftover names the old output that Commit could not remove whole, or "".
func (p *Publisher) Leftover() string { return p.leftover }

// rename, removeAll and exchangeFunc are replaced in tests to fail at
// each step.
var (
	rename       = os.Rename
	removeAll    = os.RemoveAll
	exchangeFunc = exchange
)

// Abort discards everything written.
func (p *Publisher) Abort() {
	if p.sub {
		return
	}
	if p.held != nil {
		p.held = map[string][]byte{}
		return
	}
	p.unlock()
	_ = os.RemoveAll(p.tmp)
}

// unlock lets go of the temporary folder's lock, once the build is over.
func (p *Publisher) unlock() {
	if p.lock != nil {
		p.lock.Close()
		p.lock = nil
	}
}
