package site_test

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pic "github.com/otpress/otpress/generator/internal/picture"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestPicturesStripped: a photo beside a story and one in static/ are
// published without what they recorded (where, the camera, a comment),
// the right way up and with the same pixels, and the editor is told of
// the one that recorded a place.
func TestPicturesStripped(t *testing.T) {
	photo, err := os.ReadFile("testdata/pictures/gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	s := sitetest.Write(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/denis/index.md --
---
title: Denis
date: 2019-04-01
image: {src: kitchen.jpg, alt: "Denis at his kitchen door"}
---
Text.
`)
	for _, p := range []string{"content/stories/denis/kitchen.jpg", "static/images/street.jpg"} {
		full := filepath.Join(s.Dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, photo, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s.Rebuild()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	for _, out := range []string{"stories/denis/kitchen.jpg", "images/street.jpg"} {
		got := []byte(s.Read(out))
		info, err := pic.Probe(got)
		if err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		if info.GPS || bytes.Contains(got, []byte("Acacia")) || info.Orientation != 6 {
			t.Errorf("%s published as %+v", out, info)
		}
		a, _, _ := image.Decode(bytes.NewReader(photo))
		b, _, err := image.Decode(bytes.NewReader(got))
		if err != nil || a.Bounds() != b.Bounds() {
			t.Errorf("%s: pixels %v, %v", out, b, err)
		}
	}
	warned := strings.Join(s.Warnings(), "\n")
	for _, f := range []string{"content/stories/denis/kitchen.jpg", "static/images/street.jpg"} {
		if !strings.Contains(warned, f+": warning: this photo records where it was taken; the published copy leaves that out") {
			t.Errorf("no warning naming %s:\n%s", f, warned)
		}
	}
}
