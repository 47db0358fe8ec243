package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/markdown"
	"github.com/otpress/otpress/generator/internal/publish"
	"github.com/otpress/otpress/generator/internal/render"
	"github.com/otpress/otpress/generator/internal/search"
)

// CacheDir is the folder beside site.toml where a build keeps what the
// next one can reuse. CI may keep it between runs; removing it only makes
// the next build do everything.
const CacheDir = ".otpress-cache"

// pagesFile is the cache of the pages a build wrote: each one's
// fingerprint, and the size and time of the file it made.
const pagesFile = "pages"

// cacheMagic opens the pages file; a new layout gets a new number.
const cacheMagic = "otpress page cache 2\n"

// textsFile keeps each document's rendered Markdown by the bytes it was
// rendered from (warm.markdown), in a shelf (shelf.go).
const (
	textsFile  = "markdown"
	textsMagic = "otpress markdown cache 5\n"
)

// analysesFile keeps each item's search analysis by what it depends on
// (search.Builder.Key), in a shelf.
const (
	analysesFile  = "search"
	analysesMagic = "otpress search cache 4\n"
)

// stateFile keeps the search index's analysed documents whole, by the
// places of their stems and words (search.State), each under its key in
// the analyses shelf, which keeps its quotes.
const (
	stateFile  = "search-state"
	stateMagic = "otpress search state 1\n"
)

// itemsFile keeps each item as read from its file (content.Shelf), in a
// shelf.
const (
	itemsFile  = "items"
	itemsMagic = "otpress items cache 4\n"
)

// listsFile keeps each item's related list by its key (relatedKey), in a
// shelf.
const (
	listsFile  = "related"
	listsMagic = "otpress related cache 3\n"
)

// partsFile keeps the parts of pages the "cached" template function
// renders, such as each row of /evidence/, by what they follow (warm.Part),
// in a shelf. A page that a build links from the last one renders none of
// its parts, so a part is kept through partsIdle builds that did not use
// it: the rows of /evidence/ through edits of text alone.
const (
	partsFile  = "parts"
	partsMagic = "otpress parts cache 1\n"
	partsIdle  = 16
)

// warm lets a build reuse the pages of the last one: a page whose view
// has the fingerprint it had then (render.Renderer.Fingerprint, mixed with
// the settings that shape every page), and whose file in the old output
// is as that build left it, is linked into the new output instead of
// executed again. Anything odd about the cache (another otpress, a torn or
// changed file, a folder it cannot read) makes it a cache of nothing.
type warm struct {
	dir      string   // the cache folder
	lock     *os.File // held on dir while the build runs; nil where there are no locks
	texts    *shelf   // rendered Markdown (warm.markdown); nil when the folder cannot be made
	analyses *shelf   // search analyses (warm.analyse); nil as texts
	items    *shelf   // items as read (itemShelf); nil as texts
	lists    *shelf   // related lists (warm.related); nil as texts
	parts    *shelf   // parts of pages (warm.Part); nil as texts
	// state is the last build's search state (stateFile), or nil; keys
	// are this build's documents' analysis keys, by document id, and
	// stateErr why the state made of them could not be written
	state    *search.State
	keys     [][32]byte
	stateErr error
	// stateDocs is how many documents the last build's state holds, and
	// fromState how many this build took from it
	stateDocs int
	fromState atomic.Int64
	// last gives, once, readLast's warning when it has read state and old
	last chan *diag.Problem
	// emptied waits until the old outputs in the folder are removed, and
	// says what could not be
	emptied  func() error
	binary   [32]byte          // this otpress's executable
	settings [32]byte          // site.toml and the build's options
	old      map[string]cached // from the last build; nil for none
	mu       sync.Mutex
	now      map[string]cached // this build's pages, by output path
	reused   atomic.Int64
	recalled atomic.Int64 // texts and analyses taken from the shelves
	// shelvesOnly, for a preview's full builds, keeps texts and analyses
	// but no pages: the preview's output is a folder of its own
	shelvesOnly bool
}

type cached struct {
	fp          [32]byte // the page's (warm.page)
	size, mtime int64    // of its file, mtime in Unix nanoseconds
	sum         [32]byte // sha256 of its file
}

// openWarm reads the cache for a build with options o; clean ignores what
// is there (it is written again at the end). It returns nil when no cache
// can be kept at all (the executable cannot be read), and a warning when
// a cache is there but cannot be used.
func openWarm(o Options, md markdown.Options) (*warm, *diag.Problem) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil
	}
	w := &warm{dir: filepath.Join(o.SiteDir, CacheDir), now: map[string]cached{}, shelvesOnly: o.session}
	if w.binary, err = binarySum(w.dir, exe); err != nil {
		return nil, nil
	}
	w.settings = settingsSum(o)
	var warned *diag.Problem
	if fi, err := os.Lstat(w.dir); (err == nil && fi.IsDir()) || (errors.Is(err, fs.ErrNotExist) && makeCacheDir(w.dir) == nil) {
		// a folder to keep files in (save says what is wrong with any other)
		if w.lock, err = publish.LockDir(w.dir); errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, diag.Warnf(CacheDir, 0, 0, "the build cache was not used: another build is using it").
				WithHint("nothing to do: every page was built afresh; the other build keeps its own cache")
		} else if err != nil {
			return nil, cacheUnused("", err)
		}
		if w.lock != nil {
			sweepTemps(w.dir, pagesFile, textsFile, analysesFile, stateFile, itemsFile, listsFile, partsFile, spillName, binaryFile)
			w.emptied = publish.EmptyTrash(w.dir) // the output before last, left by the last build
		}
		h := sha256.New()
		h.Write(w.binary[:])
		fmt.Fprintf(h, "%#v", md) // plain data: a field it cannot print as such would only make every build miss
		var key [32]byte
		h.Sum(key[:0])
		if w.texts, err = openShelf(w.dir, textsFile, textsMagic, key, o.Clean); err != nil {
			warned = cacheUnused(textsFile, err)
		}
		if w.analyses, err = openShelf(w.dir, analysesFile, analysesMagic, w.binary, o.Clean); err != nil && warned == nil {
			warned = cacheUnused(analysesFile, err)
		}
		if w.items, err = openShelf(w.dir, itemsFile, itemsMagic, w.binary, o.Clean); err != nil && warned == nil {
			warned = cacheUnused(itemsFile, err)
		}
		if w.lists, err = openShelf(w.dir, listsFile, listsMagic, w.binary, o.Clean); err != nil && warned == nil {
			warned = cacheUnused(listsFile, err)
		}
		if w.parts, err = openShelf(w.dir, partsFile, partsMagic, w.binary, o.Clean); err != nil && warned == nil {
			warned = cacheUnused(partsFile, err)
		}
		w.parts.idle = partsIdle
	}
	// the last build's search state and pages are not needed until the
	// pages are made: read while the content is
	w.last = make(chan *diag.Problem, 1)
	go func() { w.last <- w.readLast(o) }()
	return w, warned
}

// readLast reads the last build's search state and pages, and says why
// either could not be used.
func (w *warm) readLast(o Options) *diag.Problem {
	var warned *diag.Problem
	if w.analyses != nil && !o.Clean && !o.session { // a preview's index outlives the shelves (lazy quotes)
		var err error
		if w.state, err = readState(filepath.Join(w.dir, stateFile), w.binary); err != nil {
			warned = cacheUnused(stateFile, err)
		} else if w.state != nil {
			w.stateDocs = w.state.Docs()
		}
	}
	return w.pagesFrom(o, warned)
}

// waitLast waits for readLast, once, and gives its warning.
func (w *warm) waitLast() *diag.Problem {
	if w.last == nil {
		return nil
	}
	pr := <-w.last
	w.last = nil
	return pr
}

// binaryFile, in the cache folder, holds the sha256 of the otpress
// executable with what stat said of it then (readFiles' rule), so that a
// build reads the executable, some 100 MB, only when it changed.
const binaryFile = "binary"

// binarySum is the sha256 of the executable exe: from dir's binaryFile
// while stat says exe is as it was when that was written, else worked out
// and written there (when dir is there; a file another build half wrote is
// never read, and one it is writing may be swept away: no matter).
func binarySum(dir, exe string) ([32]byte, error) {
	fi, err := os.Stat(exe)
	if err != nil {
		return [32]byte{}, err
	}
	st, known := statOf(fi)
	if data, err := os.ReadFile(filepath.Join(dir, binaryFile)); err == nil && known {
		r := readerOf(data)
		path, at, was, sum := r.str(), int64(r.u64()), r.stat(), r.sum()
		if r.done() == nil && path == exe && was == st && settled(was, at) {
			return sum, nil
		}
	}
	at := time.Now().UnixNano()
	sum, err := publish.FileSum(exe)
	if err != nil || !known {
		return sum, err
	}
	w := &recordWriter{}
	w.str(exe)
	w.u64(uint64(at))
	w.stat(st)
	w.sum(sum)
	replaceFile(filepath.Join(dir, binaryFile), binaryFile, w.b) // when it cannot be kept, it is worked out again
	return sum, nil
}

// makeCacheDir makes the cache folder with a .gitignore, so that git
// leaves it out, and a CACHEDIR.TAG, so that backup tools do
// (https://bford.info/cachedir/).
func makeCacheDir(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("# made by otpress: the build cache, which git need not keep\n*\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "CACHEDIR.TAG"), []byte("Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by otpress.\n# For information about cache directory tags, see https://bford.info/cachedir/\n"), 0o644)
	return nil
}

// cacheUnused is the warning for a cache file that is there but cannot be
// used.
func cacheUnused(name string, err error) *diag.Problem {
	return diag.Warnf(filepath.Join(CacheDir, name), 0, 0, "the build cache was not used: %v", err).
		WithHint("nothing to do: what it held was worked out afresh, and it is written again")
}

// pagesFrom reads the last build's pages, unless the build is clean, and
// returns warned, or, when there is none, why they could not be used.
func (w *warm) pagesFrom(o Options, warned *diag.Problem) *diag.Problem {
	if o.Clean || w.shelvesOnly {
		return warned
	}
	old, err := readPages(filepath.Join(w.dir, pagesFile), w.binary)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		// no cache yet, or no folder for one: save says so
	case err != nil:
		if warned == nil {
			warned = cacheUnused(pagesFile, err)
		}
	default:
		w.old = old
		w.now = make(map[string]cached, len(old)) // about as many this time
	}
	return warned
}

var errOtherVersion = errors.New("another version of otpress made it")

// readPages reads a pages file, refusing one made by another binary or not
// whole (its last 32 bytes are the sha256 of the rest).
func readPages(name string, bin [32]byte) (map[string]cached, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if len(data) < len(cacheMagic)+32+32 || !bytes.HasPrefix(data, []byte(cacheMagic)) {
		return nil, errors.New("it is not a page cache of this otpress, or was cut short")
	}
	body, sum := data[:len(data)-32], data[len(data)-32:]
	if s := sha256.Sum256(body); !bytes.Equal(s[:], sum) {
		return nil, errors.New("it is damaged or was cut short")
	}
	r := bytes.NewReader(body[len(cacheMagic):])
	var made [32]byte
	if _, err := io.ReadFull(r, made[:]); err != nil || made != bin {
		return nil, errOtherVersion
	}
	damaged := errors.New("it is damaged")
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(len(body)) {
		return nil, damaged
	}
	pages := make(map[string]cached, n)
	for range n {
		l, err := binary.ReadUvarint(r)
		if err != nil || l > 4096 {
			return nil, damaged
		}
		// the path, then fingerprint, size, time and sum: 32+8+8+32 bytes
		rec := make([]byte, l+80)
		if _, err := io.ReadFull(r, rec); err != nil {
			return nil, damaged
		}
		var c cached
		nums := rec[l+32:]
		copy(c.fp[:], rec[l:])
		c.size, c.mtime = int64(binary.LittleEndian.Uint64(nums[:8])), int64(binary.LittleEndian.Uint64(nums[8:16]))
		copy(c.sum[:], nums[16:])
		pages[string(rec[:l])] = c
	}
	return pages, nil
}

// reused is how many pages the build took from the last one.
func (b *builder) reused() int64 {
	if b.warm == nil {
		return 0
	}
	return b.warm.reused.Load()
}

// recalled is how many texts and analyses the build took from the last.
func (b *builder) recalled() int64 {
	if b.warm == nil {
		return 0
	}
	return b.warm.recalled.Load()
}

// page gives a page's fingerprint in this build: its view, the templates
// it executes and the settings.
func (w *warm) page(r *render.Renderer, p *render.Page) [32]byte {
	view, tmpl := r.Fingerprint(p), r.TemplateSum(p.Template)
	h := sha256.New()
	h.Write(w.settings[:])
	h.Write(tmpl[:])
	h.Write(view[:])
	var fp [32]byte
	h.Sum(fp[:0])
	return fp
}

// reusable says whether the last build wrote out with fingerprint fp, and
// the size and time its file must still have.
func (w *warm) reusable(out string, fp [32]byte) (cached, bool) {
	c, ok := w.old[out]
	return c, ok && c.fp == fp
}

// has says whether this build has rel in place already.
func (w *warm) has(rel string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, ok := w.now[rel]
	return ok
}

// wrote records a page of this build.
func (w *warm) wrote(out string, c cached) {
	w.mu.Lock()
	w.now[out] = c
	w.mu.Unlock()
}

// close lets go of the cache: what save has not put in place is dropped.
func (w *warm) close() {
	w.waitLast()
	if w.emptied != nil {
		w.emptied() // finish reports what it left
	}
	for _, s := range []*shelf{w.texts, w.analyses, w.items, w.lists, w.parts} {
		if s != nil {
			s.discard()
		}
	}
	w.texts, w.analyses, w.items, w.lists, w.parts = nil, nil, nil, nil, nil // a Session's later renderings render afresh
	if w.lock != nil {
		w.lock.Close()
	}
}

// save writes this build's pages for the next, whole or not at all (a
// temporary file renamed into place), and puts the rendered Markdown kept
// as the build went in place. It returns a warning when the cache folder
// cannot be written: the build itself is done.
func (w *warm) save() *diag.Problem {
	fail := func(err error) *diag.Problem {
		var pe *fs.PathError
		if errors.As(err, &pe) { // the folder, not a temporary file's full path
			err = fmt.Errorf("%s: %w", CacheDir, pe.Err)
		}
		return diag.Warnf(CacheDir, 0, 0, "the build cache could not be written: %v", err).
			WithHint("the next build does every page again; make the folder writable, or remove it")
	}
	// each shelf on its own goroutine while the pages file is made: a
	// build's last step, with nothing else to run
	shelves := []*shelf{w.texts, w.analyses, w.items, w.lists, w.parts}
	errs := make([]error, len(shelves))
	var wg sync.WaitGroup
	for i, s := range shelves {
		if s != nil {
			wg.Go(func() { errs[i] = s.save() })
		}
	}
	saved := func() error {
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	}
	if w.shelvesOnly {
		if err := saved(); err != nil {
			return fail(err)
		}
		return nil
	}
	room := len(cacheMagic) + 32 + binary.MaxVarintLen64 + sha256.Size
	for name := range w.now {
		room += binary.MaxVarintLen64 + len(name) + 32 + 16 + 32
	}
	buf := make([]byte, 0, room) // some 5 MB at 10k items: made once
	buf = append(buf, cacheMagic...)
	buf = append(buf, w.binary[:]...)
	buf = binary.AppendUvarint(buf, uint64(len(w.now)))
	for name, c := range w.now {
		buf = binary.AppendUvarint(buf, uint64(len(name)))
		buf = append(buf, name...)
		buf = append(buf, c.fp[:]...)
		buf = binary.LittleEndian.AppendUint64(buf, uint64(c.size))
		buf = binary.LittleEndian.AppendUint64(buf, uint64(c.mtime))
		buf = append(buf, c.sum[:]...)
	}
	sum := sha256.Sum256(buf)
	buf = append(buf, sum[:]...)
	if err := saved(); err != nil {
		return fail(err)
	}
	if fi, err := os.Lstat(w.dir); err == nil && !fi.IsDir() {
		return fail(fmt.Errorf("%s is not a folder", CacheDir))
	}
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		return fail(err)
	}
	if w.stateErr != nil {
		return fail(w.stateErr)
	}
	if err := replaceFile(filepath.Join(w.dir, pagesFile), pagesFile, buf); err != nil {
		return fail(err)
	}
	return nil
}

// replaceFile puts data in place as the file name in one rename, from a
// temporary file beside it (".temp-*", which sweepTemps(dir, temp)
// removes should a build be killed first).
func replaceFile(name, temp string, data []byte) error {
	return publish.WriteBeside(name, "."+temp+"-*", data)
}

// settingsSum is a hash of what shapes every page besides its view and
// its templates (render.Renderer.TemplateSum): the build's options and
// site.toml (templates' functions read it).
func settingsSum(o Options) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%q %v %v %v %v %v %v\n", o.Generator, o.Minify, o.Relative, o.Drafts, o.Future, o.Expired, o.PackDownloads)
	if data, err := os.ReadFile(filepath.Join(o.SiteDir, "site.toml")); err == nil {
		fmt.Fprintf(h, "site.toml %d\n", len(data))
		h.Write(data)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}
