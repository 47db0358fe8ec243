package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestGuard: a build replaces only a folder that is missing, empty or
// made by otpress; anything else is refused, naming what is in it, unless
// forced; the site's own folders are refused even when forced.
func TestGuard(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	mk := func(files ...string) {
		for _, f := range files {
			p := filepath.Join(root, f)
			if strings.HasSuffix(f, "/") {
				if err := os.MkdirAll(p, 0o755); err != nil {
					t.Fatal(err)
				}
				continue
			}
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk("site/site.toml", "site/content/stories/denis.md", "site/static/logo.svg", "site/data/", "empty/",
		"keep/notes.txt", "keep/photos/a.jpg", "keep/b", "keep/c", "keep/d", "keep/e",
		"old/index.html", "old/stories/index.html", "file.txt")
	os.WriteFile(filepath.Join(root, "old", Marker), []byte(markerText), 0o644)
	mk("legacy/stories/index.html")
	os.WriteFile(filepath.Join(root, "legacy/index.html"), []byte(`<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="generator" content="otpress 0.1.0-dev"><title>x</title>`), 0o644)
	mk("other/index.html")
	os.WriteFile(filepath.Join(root, "other/index.html"), []byte(`<meta name="generator" content="Hugo 0.164.0">`), 0o644)
	if err := os.Symlink(filepath.Join(root, "old"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(site, filepath.Join(root, "sitelink")); err != nil {
		t.Fatal(err)
	}
	inputs := []string{filepath.Join(site, "content"), filepath.Join(site, "themes"), filepath.Join(site, "static"), filepath.Join(site, "data")}

	for _, c := range []struct {
		dest     string
		force    bool
		refused  string // part of the message; "" for allowed
		forcible bool
	}{
		{dest: "site/public"},
		{dest: "new/deeper/public"},
		{dest: "empty"},
		{dest: "old"},
		{dest: "legacy"},
		{dest: "keep", refused: "holds files otpress did not make (b, c, d, e and 2 more)", forcible: true},
		{dest: "keep", force: true},
		{dest: "other", refused: "holds files otpress did not make (index.html)", forcible: true},
		{dest: "file.txt", refused: "is a file, not a folder", forcible: true},
		{dest: "link", refused: "is a symbolic link to " + filepath.Join(root, "old")},
		{dest: "site", refused: "is the site's own folder", force: true},
		{dest: ".", refused: "holds the site's own folder", force: true},
		{dest: "sitelink", refused: "is the site's own folder", force: true},
		{dest: "sitelink/content", refused: "is the site's content folder", force: true},
		{dest: "site/static", refused: "is the site's static folder", force: true},
		{dest: "site/themes", refused: "is the site's themes folder", force: true}, // missing, still the site's
		{dest: "site/content/public", refused: "is inside the site's content folder, which the build reads", force: true},
		{dest: "site/static/out", refused: "inside the site's static folder", force: true},
		{dest: "/", refused: "holds the site's own folder", force: true},
	} {
		dest := c.dest
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(root, dest)
		}
		err := guard(dest, site, inputs, c.force)
		var re *RefusedError
		switch {
		case c.refused == "" && err != nil:
			t.Errorf("%s (force %v): %v", c.dest, c.force, err)
		case c.refused != "" && !errors.As(err, &re):
			t.Errorf("%s (force %v): %v; want refused with %q", c.dest, c.force, err, c.refused)
		case c.refused != "":
			if !strings.Contains(re.Msg, c.refused) || re.Hint == "" {
				t.Errorf("%s: %q, hint %q; want %q", c.dest, re.Msg, re.Hint, c.refused)
			}
			if re.Forcible != c.forcible {
				t.Errorf("%s: forcible = %v", c.dest, re.Forcible)
			}
		}
	}
	// the home folder, even forced
	t.Setenv("HOME", filepath.Join(root, "keep"))
	var re *RefusedError
	if err := guard(filepath.Join(root, "keep"), site, inputs, true); !errors.As(err, &re) || !strings.Contains(re.Msg, "home folder") {
		t.Errorf("the home folder: %v", err)
	}
}

// TestBeginRefuses: Begin refuses before it makes anything.
func TestBeginRefuses(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "keep")
	os.MkdirAll(dest, 0o755)
	os.WriteFile(filepath.Join(dest, "notes.txt"), []byte("mine"), 0o644)
	_, err := Begin(dest, Options{})
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("Begin = %v; want refused", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("Begin made %v", entries)
	}
	p, err := Begin(dest, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	p.WriteRaw("index.html", []byte("new"))
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "notes.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("forced, notes.txt: %v", err)
	}
	if _, err := Begin(dest, Options{}); err != nil {
		t.Errorf("after a forced build the folder is otpress's: %v", err)
	}
}

// TestCommitFailures: whichever step of Commit fails, the old output is
// what it was (or, once the new output is in place, the new one is whole),
// nothing temporary is left, and the error says why with a fix.
func TestCommitFailures(t *testing.T) {
	for _, c := range []struct {
		name      string
		exchange  error // what exchange returns, when set
		failAt    int   // the rename call that fails (1-based), 0 for none
		renameErr error
		removeErr error
		checkErr  error  // what the check that the old output can be removed found
		want      string // the output afterwards: "old" or "new"
		hint      string
		leftover  bool
	}{
		{name: "exchange refused", exchange: syscall.EACCES, want: "old", hint: "permission"},
		{name: "disk full", exchange: syscall.ENOSPC, want: "old", hint: "disk is full"},
		{name: "read-only disk", exchange: syscall.EROFS, want: "old", hint: "read-only disk"},
		{name: "mount point", exchange: syscall.EBUSY, want: "old", hint: "mount point"},
		{name: "no exchange, old cannot move", exchange: errors.ErrUnsupported, failAt: 1, renameErr: syscall.EACCES, want: "old", hint: "permission"},
		{name: "no exchange, new cannot move", exchange: errors.ErrUnsupported, failAt: 2, renameErr: syscall.EIO, want: "old", hint: "check the disk"},
		{name: "no exchange", exchange: errors.ErrUnsupported, want: "new"},
		{name: "old cannot be removed", removeErr: syscall.EACCES, want: "new", leftover: true},
		{name: "a folder of the old output is read-only", checkErr: &fs.PathError{Op: "remove the files of", Path: "x", Err: syscall.EACCES}, want: "old", hint: "chmod -R u+w"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			dest := filepath.Join(dir, "public")
			os.MkdirAll(dest, 0o755)
			os.WriteFile(filepath.Join(dest, "index.html"), []byte("old"), 0o644)
			os.WriteFile(filepath.Join(dest, Marker), []byte(markerText), 0o644)
			p, err := Begin(dest, Options{})
			if err != nil {
				t.Fatal(err)
			}
			p.WriteRaw("index.html", []byte("new"))
			if c.checkErr != nil {
				<-p.checked
				p.checked <- c.checkErr
			}
			calls := 0
			rename = func(a, b string) error {
				calls++
				if calls == c.failAt {
					return &os.LinkError{Op: "rename", Old: a, New: b, Err: c.renameErr}
				}
				return os.Rename(a, b)
			}
			removeAll = func(p string) error {
				if c.removeErr != nil {
					return &fs.PathError{Op: "unlinkat", Path: p, Err: c.removeErr}
				}
				return os.RemoveAll(p)
			}
			if c.exchange != nil {
				exchangeFunc = func(a, b string) error { return c.exchange }
			}
			defer func() { rename, removeAll, exchangeFunc = os.Rename, os.RemoveAll, exchange }()
			err = p.Commit()
			if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != c.want {
				t.Errorf("the output is %q; want %q", b, c.want)
			}
			var pr *Problem
			switch {
			case c.hint == "" && err != nil:
				t.Errorf("Commit = %v", err)
			case c.hint != "" && (!errors.As(err, &pr) || !strings.Contains(pr.Hint, c.hint)):
				t.Errorf("Commit = %v; want a problem with a hint about %q", err, c.hint)
			}
			if got := p.Leftover() != ""; got != c.leftover {
				t.Errorf("leftover %q", p.Leftover())
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 && !c.leftover {
				t.Errorf("left beside the output: %v", entries)
			}
		})
	}
}

// TestTempDirSweep: a command's temporary folder is removed when it
// closes; one whose command was killed (unlocked) is removed by the next
// command's; a live command's, and anything not named as ours, stay.
func TestTempDirSweep(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	live, err := TempDir("serve")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(live.Dir), "otpress-serve-") {
		t.Errorf("named %s", live.Dir)
	}
	// a killed command's: made, marked, no longer locked
	dead := filepath.Join(tmp, "otpress-check-123")
	os.MkdirAll(filepath.Join(dead, "public", "stories"), 0o755)
	os.WriteFile(filepath.Join(dead, tempMarker), nil, 0o644)
	// an otpress from before the marker, which may still be running
	os.MkdirAll(filepath.Join(tmp, "otpress-serve-456", "site"), 0o755)
	others := []string{"otpress-check-x", "otpress-other-1", "keep", "otpress-check-", "otpress-serve-456"}
	for _, o := range others {
		os.MkdirAll(filepath.Join(tmp, o), 0o755)
	}
	os.WriteFile(filepath.Join(tmp, "otpress-export-9"), []byte("a file"), 0o644)
	Sweep()
	if _, err := os.Stat(dead); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a killed command's folder: %v", err)
	}
	for _, o := range append(others, "otpress-export-9") {
		if _, err := os.Stat(filepath.Join(tmp, o)); err != nil {
			t.Errorf("%s: %v", o, err)
		}
	}
	if _, err := os.Stat(live.Dir); err != nil && staleAge == 0 {
		t.Errorf("a live command's folder: %v", err)
	}
	next, err := TempDir("check") // sweeps too
	if err != nil {
		t.Fatal(err)
	}
	if err := live.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live.Dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("closed: %v", err)
	}
	next.Close()
}

// BenchmarkRemovable is the check Begin makes of an old output before a
// build writes anything, on an output the shape of a 10,000-item site's
// (a folder a page, 12,000 folders, 25,000 files).
func BenchmarkRemovable(b *testing.B) {
	dir := b.TempDir()
	for i := range 12000 {
		d := filepath.Join(dir, "stories", fmt.Sprintf("s%05d", i))
		if err := os.MkdirAll(d, 0o755); err != nil {
			b.Fatal(err)
		}
		os.WriteFile(filepath.Join(d, "index.html"), nil, 0o644)
		if i%2 == 0 {
			os.WriteFile(filepath.Join(d, "photo.jpg"), nil, 0o644)
		}
	}
	b.ResetTimer()
	for range b.N {
		if err := removable(dir); err != nil {
			b.Fatal(err)
		}
	}
}
