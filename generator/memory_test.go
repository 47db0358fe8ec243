package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTextBytes: the memory limit grows with the text a build reads into
// memory, not with pictures and sound it only copies.
func TestTextBytes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]int{
		"content/stories/a.md":               1000,
		"content/episodes/e/index.md":        200,
		"content/episodes/e/transcript.vtt":  3000,
		"content/episodes/e/audio.mp3":       50000,
		"content/stories/b/photo.JPG":        40000,
		"data/sources.yaml":                  70,
		"static/big.json":                    9000, // copied as it is
		"themes/default/templates/item.html": 500,
	}
	for name, size := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, largest := textBytes(dir); got != 1000+200+3000+70 || largest != 1000 {
		t.Errorf("textBytes = %d, %d; want %d, and 1000 for the largest Markdown file", got, largest, 1000+200+3000+70)
	}
	if got, largest := textBytes(filepath.Join(dir, "missing")); got != 0 || largest != 0 {
		t.Errorf("textBytes of a missing site = %d, %d; want 0", got, largest)
	}
}
