package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestCommitReplacesAndAbortKeeps(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dest, "old.html"), []byte("old"), 0o644)
	os.WriteFile(filepath.Join(dest, Marker), []byte(markerText), 0o644) // an earlier build's

	// A failed build: written, then aborted. The old output is untouched.
	p, err := Begin(dest, Options{Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	p.Write("index.html", []byte("<p>new</p>"))
	p.Abort()
	if b, _ := os.ReadFile(filepath.Join(dest, "old.html")); string(b) != "old" {
		t.Fatalf("old output changed by an aborted build")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary folders left behind: %v", entries)
	}

	// A good build replaces the whole folder.
	p, _ = Begin(dest, Options{Minify: true})
	if err := p.Write("stories/denis/index.html", []byte("<!doctype html>\n<html lang=\"en-GB\">\n<head><title>x</title></head>\n<body>\n  <p>  Denis   walks  </p>\n</body>\n</html>\n")); err != nil {
		t.Fatal(err)
	}
	if err := p.Write("stories/denis/index.html", []byte("again")); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second write = %v; want ErrDuplicate", err)
	}
	if err := p.Copy("audio.mp3", fstest.MapFS{"a.mp3": {Data: []byte("ID3 raw")}}, "a.mp3"); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "old.html")); !os.IsNotExist(err) {
		t.Errorf("old file survived the commit")
	}
	got, _ := os.ReadFile(filepath.Join(dest, "stories/denis/index.html"))
	if want := `<!doctype html><html lang="en-GB"><head><title>x</title></head><body><p>Denis walks</p></body></html>`; string(got) != want {
		t.Errorf("minified = %q; want %q", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "audio.mp3")); string(b) != "ID3 raw" {
		t.Errorf("copied = %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "public" {
		t.Errorf("left behind: %v", entries)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, Marker)); string(b) != markerText {
		t.Errorf("the marker = %q", b)
	}
	files, bytes := p.Counts()
	if files != 2 || bytes == 0 {
		t.Errorf("counts = %d files, %d bytes", files, bytes)
	}
}

func TestMediaType(t *testing.T) {
	for name, want := range map[string]string{"a/index.html": "text/html", "x.CSS": "text/css", "s.svg": "image/svg+xml", "sitemap.xml": "application/xml", "a.mp3": "", "t.vtt": ""} {
		if got := MediaType(name); got != want {
			t.Errorf("MediaType(%q) = %q; want %q", name, got, want)
		}
	}
	if strings.Contains(MediaType("x.js"), "html") {
		t.Error("js typed as html")
	}
}

func TestInPlace(t *testing.T) {
	dest := t.TempDir()
	if err := os.WriteFile(filepath.Join(dest, "keep.txt"), []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "page.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Begin(dest, Options{InPlace: true, Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Write("page.html", []byte("<p>new   page</p>")); err != nil {
		t.Fatal(err)
	}
	buf := []byte("added")
	if err := p.WriteRaw("deep/new.txt", buf); err != nil {
		t.Fatal(err)
	}
	copy(buf, "XXXXX") // the caller reuses its buffer: what was written stays
	if err := p.WriteRaw("deep/new.txt", []byte("twice")); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second write: %v", err)
	}
	// nothing changes until Commit
	if b, _ := os.ReadFile(filepath.Join(dest, "page.html")); string(b) != "old" {
		t.Errorf("before Commit: %q", b)
	}
	for _, name := range []string{"list/page/3/index.html", "list/page/2/index.html"} {
		if err := os.MkdirAll(filepath.Join(dest, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dest, name), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Remove("list/page/3/index.html"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "list/page/3/index.html")); err != nil {
		t.Error("a removal took effect before Commit")
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	// a removed page goes with the folders it leaves empty, and only those
	if _, err := os.Stat(filepath.Join(dest, "list/page/3")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("list/page/3 after its page was removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dest, "list/page/2/index.html")); err != nil {
		t.Errorf("a page next to the removed one: %v", err)
	}
	for name, want := range map[string]string{"page.html": "<p>new page</p>", "deep/new.txt": "added", "keep.txt": "kept"} {
		if b, _ := os.ReadFile(filepath.Join(dest, name)); string(b) != want {
			t.Errorf("%s = %q; want %q", name, b, want)
		}
	}
	entries, _ := os.ReadDir(dest)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".otpress-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	// Abort leaves the output alone
	p2, _ := Begin(dest, Options{InPlace: true})
	p2.WriteRaw("page.html", []byte("never"))
	p2.Abort()
	if b, _ := os.ReadFile(filepath.Join(dest, "page.html")); string(b) != "<p>new page</p>" {
		t.Errorf("after Abort: %q", b)
	}
}

// TestBeginRemovesStaleTemporaryFolders: the temporary folders that builds
// killed before their end left beside the output are removed by the next
// build; folders of a build still running, folders made after it began
// and anything else there are left alone.
func TestBeginRemovesStaleTemporaryFolders(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	long := time.Now().Add(-time.Hour)
	mk := func(name string, mtime time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Join(p, "stories"), 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(p, "stories", "index.html"), []byte("x"), 0o644)
		os.WriteFile(filepath.Join(p, Marker), []byte(markerText), 0o644)
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk("public", long)
	stale := []string{mk(".public.building-123", long), mk(".public.building-456.old", long)}
	kept := []string{
		mk(".public.building-789", time.Now().Add(time.Hour)), // changed after the build began
		mk(".public.building-x1", long),                       // not a name os.MkdirTemp makes
		mk(".public.building-", long),
		mk(".other.building-123", long), // another output's
		mk("public.building-123", long),
		mk("keep", long),
	}
	if err := os.WriteFile(filepath.Join(dir, ".public.building-999"), []byte("a file"), 0o644); err != nil {
		t.Fatal(err)
	}
	kept = append(kept, filepath.Join(dir, ".public.building-999"))
	running := mk(".public.building-321", long)
	kept = append(kept, running)
	if staleAge == 0 { // a build still running holds its lock
		l, err := LockDir(running)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
	} else {
		kept = kept[:len(kept)-1]
		stale = append(stale, running)
	}

	p, err := Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stale {
		if _, err := os.Lstat(s); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is still there: %v", filepath.Base(s), err)
		}
	}
	for _, k := range kept {
		if _, err := os.Lstat(k); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(k), err)
		}
	}
	if _, err := os.Stat(p.Dir()); err != nil {
		t.Errorf("the build's own folder: %v", err)
	}
	// a second build while this one runs leaves its folder alone
	if staleAge == 0 {
		q, err := Begin(dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p.Dir()); err != nil {
			t.Errorf("a second build removed the first one's folder: %v", err)
		}
		q.Abort()
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}

	// an old output moved aside, with no output in place (a build killed
	// between its two renames, where there is no atomic exchange), is the
	// last copy of the site: it stays
	if err := os.RemoveAll(dest); err != nil {
		t.Fatal(err)
	}
	aside := mk(".public.building-555.old", long)
	p, err = Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p.Abort()
	if _, err := os.Stat(aside); err != nil {
		t.Errorf("the old output moved aside was removed: %v", err)
	}
}

// TestUnchangedFilesKeepTheirTime: a file whose bytes are as in the old
// output keeps its modification time, written or copied; a changed file,
// even of the same size, and a new one get the time of the build.
func TestUnchangedFilesKeepTheirTime(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	big := strings.Repeat("a long transcript line\n", 5000) // past one 32 KB chunk
	src := fstest.MapFS{"a.mp3": {Data: []byte("ID3 same")}, "b.mp3": {Data: []byte("ID3 new!")}, "big.bin": {Data: []byte(big)}}
	build := func(files map[string]string) *Publisher {
		t.Helper()
		p, err := Begin(dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for name, text := range files {
			if err := p.Write(name, []byte(text)); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range []string{"a.mp3", "b.mp3", "big.bin"} {
			if err := p.Copy(name, src, name); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.Commit(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	build(map[string]string{"same.html": "same", "size.html": "abcd", "text.html": "old", "long.txt": big + "x"})
	past := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	filepath.WalkDir(dest, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(path, past, past)
		}
		return nil
	})
	src["b.mp3"] = &fstest.MapFile{Data: []byte("ID3 NEW!")}
	p := build(map[string]string{"same.html": "same", "size.html": "abce", "text.html": "changed", "long.txt": big + "y", "new.html": "new"})
	for name, kept := range map[string]bool{"same.html": true, "a.mp3": true, "big.bin": true, "size.html": false, "text.html": false, "long.txt": false, "new.html": false, "b.mp3": false} {
		info, err := os.Stat(filepath.Join(dest, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := info.ModTime().Equal(past); got != kept {
			t.Errorf("%s: kept the old time %v; want %v", name, got, kept)
		}
	}
	if n := p.Unchanged(); n != 3 {
		t.Errorf("Unchanged() = %d; want 3", n)
	}
}

// TestRemoveTree: the old output is removed whole, folders and files at
// every depth, and a link in it to a folder elsewhere is removed without
// what it leads to.
func TestRemoveTree(t *testing.T) {
	root := t.TempDir()
	dir, outside := filepath.Join(root, "old"), filepath.Join(root, "mine")
	for _, f := range []string{"index.html", "stories/a/index.html", "stories/b/index.html", "search/data/m.js", "cards/x.png", "empty/"} {
		p := filepath.Join(dir, f)
		if strings.HasSuffix(f, "/") {
			os.MkdirAll(p, 0o755)
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(f), 0o644)
	}
	os.MkdirAll(outside, 0o755)
	os.WriteFile(filepath.Join(outside, "keep.txt"), []byte("keep"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	if err := removeTree(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the old output is still there: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(outside, "keep.txt")); err != nil || string(b) != "keep" {
		t.Errorf("the folder a link led to lost its file: %q, %v", b, err)
	}
}

// TestTrash: with a trash folder, Commit leaves there the old output of a
// build that kept nearly all of it, and removes at once one it did not,
// or one it cannot move there; EmptyTrash removes what Commit left and
// nothing else.
func TestTrash(t *testing.T) {
	defer func() { removeAll = os.RemoveAll }()
	root := t.TempDir()
	dest, trash := filepath.Join(root, "public"), filepath.Join(root, "cache")
	os.MkdirAll(filepath.Join(trash, "records"), 0o755)
	os.WriteFile(filepath.Join(trash, "old-output-note"), []byte("a file, not a folder"), 0o644)
	files := map[string]string{}
	for i := range 20 {
		files[fmt.Sprintf("stories/%d/index.html", i)] = fmt.Sprintf("story %d", i)
	}
	build := func(o Options, changed int) {
		t.Helper()
		p, err := Begin(dest, o)
		if err != nil {
			t.Fatal(err)
		}
		for name, text := range files {
			if changed > 0 {
				text += " changed"
				changed--
			}
			files[name] = text
			if err := p.Write(name, []byte(text)); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.Commit(); err != nil {
			t.Fatal(err)
		}
		for name, text := range files {
			if b, err := os.ReadFile(filepath.Join(dest, name)); err != nil || string(b) != text {
				t.Fatalf("%s = %q, %v; want %q", name, b, err, text)
			}
		}
	}
	old := func() []string {
		t.Helper()
		var out []string
		entries, _ := os.ReadDir(trash)
		for _, e := range entries {
			if e.IsDir() && strings.HasPrefix(e.Name(), trashPrefix) {
				out = append(out, e.Name())
			}
		}
		return out
	}
	build(Options{}, 0)
	build(Options{Trash: trash}, 1) // 19 of 20 kept
	if got := old(); len(got) != 1 {
		t.Fatalf("after a build that kept 19 files of 20, the trash holds %v; want the old output", got)
	}
	if b, err := os.ReadFile(filepath.Join(trash, old()[0], "stories/0/index.html")); err != nil || !strings.HasPrefix(string(b), "story") {
		t.Errorf("the old output in the trash: %q, %v", b, err)
	}
	build(Options{Trash: trash}, 3) // 17 of 20: removed at once
	if got := old(); len(got) != 1 {
		t.Errorf("after a build that kept 17 files of 20, the trash holds %v; want only the first", got)
	}
	build(Options{Trash: filepath.Join(root, "missing")}, 0) // cannot be moved there: removed
	if entries, _ := os.ReadDir(root); len(entries) != 2 {
		t.Errorf("beside the output: %v; want only public and cache", entries)
	}
	// what cannot be removed is said, and left for the next time
	removeAll = func(string) error { return errors.New("operation not permitted") }
	if err := EmptyTrash(trash)(); err == nil || len(old()) != 1 {
		t.Errorf("an old output that cannot be removed: %v, the trash holds %v", err, old())
	}
	removeAll = os.RemoveAll
	if err := EmptyTrash(trash)(); err != nil {
		t.Errorf("EmptyTrash: %v", err)
	}
	if got := old(); len(got) != 0 {
		t.Errorf("after EmptyTrash, the trash holds %v", got)
	}
	for _, keep := range []string{"records", "old-output-note"} {
		if _, err := os.Lstat(filepath.Join(trash, keep)); err != nil {
			t.Errorf("EmptyTrash removed %s: %v", keep, err)
		}
	}
	if err := EmptyTrash(filepath.Join(root, "missing"))(); err != nil { // no folder: nothing to do
		t.Errorf("EmptyTrash of no folder: %v", err)
	}
}
