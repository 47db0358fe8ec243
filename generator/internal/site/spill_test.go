package site

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestOpenSpill: a Session's file of search quotes is made in the cache
// folder (made with it when missing), has no name there while it is open
// where the system allows, and takes what is written; where there can be
// no cache folder there is none, and the quotes stay in memory.
func TestOpenSpill(t *testing.T) {
	dir := t.TempDir()
	sp := openSpill(dir)
	if sp == nil {
		t.Fatal("no spill in a writable site folder")
	}
	defer sp.close()
	entries, err := os.ReadDir(filepath.Join(dir, CacheDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+spillName+"-") && runtime.GOOS != "windows" {
			t.Errorf("%s is named in the cache folder while open", e.Name())
		}
	}
	if _, err := sp.f.WriteAt([]byte("quotes"), 0); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6)
	if _, err := sp.f.ReadAt(buf, 0); err != nil || string(buf) != "quotes" {
		t.Errorf("read back %q, %v", buf, err)
	}

	// a file where the cache folder would be
	blocked := t.TempDir()
	if err := os.WriteFile(filepath.Join(blocked, CacheDir), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	if sp := openSpill(blocked); sp != nil {
		sp.close()
		t.Error("a spill where no cache folder can be")
	}
}
