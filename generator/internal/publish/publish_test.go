package publish

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCommitReplacesAndAbortKeeps(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dest, "old.html"), []byte("old"), 0o644)

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
