package site

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestReadFiles: a content file is known by the sha256 the last build read
// it with only while stat says all it said then (size, modification and
// change times, inode, device), and only when it had last changed more
// than racyGap before that build began; the list survives its shelf being
// saved and opened again, and a damaged one knows nothing.
func TestReadFiles(t *testing.T) {
	defer func(g time.Duration) { racyGap = g }(racyGap)
	racyGap = 2 * time.Second
	dir := t.TempDir()
	old := filepath.Join(dir, "old.md")
	if err := os.WriteFile(old, []byte("---\ntitle: A\n---\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stat := func(p string) os.FileInfo {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	settings := sha256.Sum256([]byte("settings"))
	open := func() *shelf {
		sh, err := openShelf(dir, "items", "items 1\n", settings, false)
		if err != nil {
			t.Fatal(err)
		}
		return sh
	}
	sum := sha256.Sum256([]byte("the bytes"))
	// a build that began reading 3 s after the file last changed
	sh := open()
	f := openReadFiles(sh)
	if _, ok := f.known("old.md", stat(old)); ok {
		t.Fatal("a first build knows a file")
	}
	st, _ := statOf(stat(old))
	f.began = st.ctime + int64(3*time.Second)
	f.read("old.md", stat(old), sum)
	f.save(sh)
	if err := sh.save(); err != nil {
		t.Fatal(err)
	}
	sh.close()
	reopen := func() *readFiles {
		sh := open()
		defer sh.close()
		return openReadFiles(sh)
	}
	next := reopen()
	if got, ok := next.known("old.md", stat(old)); !ok || got != sum {
		t.Errorf("an unchanged file is not known: %x %v", got, ok)
	}
	// any one thing stat says otherwise, and it is not
	fi := stat(old)
	for name, change := range map[string]func(*fileStat){
		"size":   func(s *fileStat) { s.size++ },
		"mtime":  func(s *fileStat) { s.mtime++ },
		"ctime":  func(s *fileStat) { s.ctime++ },
		"inode":  func(s *fileStat) { s.ino++ },
		"device": func(s *fileStat) { s.dev++ },
	} {
		fr := next.last["old.md"]
		change(&fr.stat)
		was := next.last["old.md"]
		next.last["old.md"] = fr
		if _, ok := next.known("old.md", fi); ok {
			t.Errorf("a file whose %s changed is known", name)
		}
		next.last["old.md"] = was
	}
	if _, ok := next.known("gone.md", fi); ok {
		t.Error("a file the last build did not read is known")
	}
	// a build that began 1 s after the file last changed
	sh = open()
	f = openReadFiles(sh)
	f.began = st.ctime + int64(1*time.Second)
	f.read("old.md", stat(old), sum)
	f.save(sh)
	sh.save()
	sh.close()
	if _, ok := reopen().known("old.md", stat(old)); ok {
		t.Error("a file changed 1 s before the build that read it is known")
	}
	// a damaged list knows nothing, and does no harm
	sh = open()
	sh.put(readFilesKey, []byte("not a list"))
	sh.save()
	sh.close()
	if f := reopen(); f.last != nil {
		t.Errorf("a damaged list gave %d files", len(f.last))
	}
}

// TestBinarySum: the executable's sha256 is taken from the cache folder
// while stat says the executable is as it was, and worked out again when
// it changed, changed too close to when the sum was kept, or the file
// holding the sum is damaged.
func TestBinarySum(t *testing.T) {
	defer func(g time.Duration) { racyGap = g }(racyGap)
	racyGap = 0
	dir := t.TempDir()
	exe := filepath.Join(dir, "otpress")
	if err := os.WriteFile(exe, []byte("version one"), 0o755); err != nil {
		t.Fatal(err)
	}
	sum, err := binarySum(dir, exe)
	if err != nil || sum != sha256.Sum256([]byte("version one")) {
		t.Fatalf("first sum %x, %v", sum, err)
	}
	// kept: a sum the file claims is believed while stat says the same
	kept, err := os.ReadFile(filepath.Join(dir, binaryFile))
	if err != nil {
		t.Fatal(err)
	}
	claimed := sha256.Sum256([]byte("claimed"))
	lie := append(kept[:len(kept)-32:len(kept)-32], claimed[:]...)
	os.WriteFile(filepath.Join(dir, binaryFile), lie, 0o644)
	if got, _ := binarySum(dir, exe); got != claimed {
		t.Errorf("the kept sum was not used: %x", got)
	}
	// too close to when it was kept
	racyGap = time.Hour
	if got, _ := binarySum(dir, exe); got != sha256.Sum256([]byte("version one")) {
		t.Errorf("a sum kept within the gap was used: %x", got)
	}
	racyGap = 0
	// a new executable put in its place, the same size
	os.WriteFile(filepath.Join(dir, binaryFile), lie, 0o644)
	if err := os.WriteFile(exe+".new", []byte("version two"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(exe+".new", exe); err != nil {
		t.Fatal(err)
	}
	if got, _ := binarySum(dir, exe); got != sha256.Sum256([]byte("version two")) {
		t.Errorf("a changed executable has the sum %x", got)
	}
	// damaged
	os.WriteFile(filepath.Join(dir, binaryFile), lie[:len(lie)-1], 0o644)
	if got, _ := binarySum(dir, exe); got != sha256.Sum256([]byte("version two")) {
		t.Errorf("a damaged file gave %x", got)
	}
}
