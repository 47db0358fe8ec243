package content

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestScaffold checks each new file mentions every key of its kind and, once
// published (draft removed), loads without errors.
func TestScaffold(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for _, kind := range ScaffoldKinds {
		t.Run(kind, func(t *testing.T) {
			title := `Denis "walks" again`
			text := Scaffold(kind, title, now)
			for _, key := range KnownKeys(kind) {
				if key == "tags" {
					continue // mentioned in the themes comment
				}
				if !regexp.MustCompile(`(?m)^#? ?` + key + `:`).MatchString(text) {
					t.Errorf("scaffold does not mention %q:\n%s", key, text)
				}
			}
			published := strings.Replace(text, "draft: true", "draft: false", 1)
			if kind == "feature" {
				published = strings.Replace(published, `issue: ""`, `issue: "April 2019"`, 1)
			}
			p := ScaffoldPath(kind, title)
			var fsys fstest.MapFS
			if kind != "pack" {
				fsys = fstest.MapFS{p: {Data: []byte(published)}}
			} else {
				published = strings.ReplaceAll(published, "\n#  - ref:", "\n  - ref:")
				published = strings.ReplaceAll(published, "\n#    ", "\n    ")
				fsys = fstest.MapFS{p: {Data: []byte(published)}, "content/stories/denis.md": {Data: []byte("---\ntitle: Denis\ndate: 2019-04-01\n---\n")}}
			}
			lib, probs := Load(fsys, Options{})
			for _, pr := range probs {
				if pr.Severity == 0 {
					t.Errorf("%s: %v", p, pr)
				}
			}
			switch {
			case kind == "theme":
				if len(lib.Themes) != 1 || lib.Themes[0].Title != title {
					t.Errorf("themes = %+v", lib.Themes)
				}
			case kind == "pack":
				if len(lib.Packs) != 1 || lib.Packs[0].Title != title || lib.Packs[0].Path != "/packs/denis-walks-again/" || len(lib.Packs[0].Entries) != 1 || lib.Packs[0].Entries[0].Item == nil {
					t.Errorf("packs = %+v", lib.Packs)
				}
			case len(lib.Items) != 1 || lib.Items[0].Title != title || lib.Items[0].Path != "/"+Kind(kind).Section()+"/denis-walks-again/":
				t.Errorf("items = %+v", lib.Items)
			}
			// As written (a draft), it is left out of a build without drafts
			// and reports nothing.
			lib, probs = Load(fstest.MapFS{p: {Data: []byte(text)}}, Options{})
			if kind != "theme" && (len(lib.Items)+len(lib.Packs) != 0 || len(probs) != 0) {
				t.Errorf("draft scaffold: items %d, problems %v", len(lib.Items), probs)
			}
		})
	}
}
