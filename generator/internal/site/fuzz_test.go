package site_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

// fuzzEditFiles are the files FuzzSessionUpdate edits in the "everything"
// fixture: every kind of item, a bundle's transcript, a theme, a pack, the
// home introduction and site.toml, and two files new to the site.
var fuzzEditFiles = []string{
	"content/stories/denis/index.md",
	"content/stories/rose.md",
	"content/stories/third.md",
	"content/stories/draft.md",
	"content/episodes/ep1/index.md",
	"content/features/phb.md",
	"content/themes/co-production.md",
	"content/packs/personalised-care.md",
	"content/stories/new.md",
	"content/features/new.md",
	"content/episodes/ep1/transcript.vtt",
	"content/_index.md",
	"site.toml",
}

// FuzzSessionUpdate is the preview's change classification under fuzzing:
// a session builds the "everything" fixture, one file is edited (a splice,
// new text, or removed), and Update, quick or full, must never panic and
// must leave exactly what a full build of the same files writes, search
// index included; when it fails, a full build fails too and the last good
// output is still there. Putting the file back must give the first output
// again. The seeds in testdata/fuzz/FuzzSessionUpdate are edits an editor
// makes: a new title, date or themes, text, a removed story, a new story
// or draft feature, broken front matter, a slug taken twice, a BOM with
// CRLF line ends, an emptied file.
//
// which picks the file (mod len(fuzzEditFiles)); op&3 is 0 to delete cut
// bytes at at and insert text there, 1 to replace the file with text, 2 to
// remove it; op&4 shows drafts and future pages, as the preview does by
// default.
func FuzzSessionUpdate(f *testing.F) {
	f.Add(uint8(1), uint8(0), uint16(14), uint16(0), "Rose, at 70, ")
	f.Add(uint8(0), uint8(4), uint16(0), uint16(0), "")
	b, err := os.ReadFile(filepath.Join("testdata", "sites", "everything.txtar"))
	if err != nil {
		f.Fatal(err)
	}
	archive := string(b)
	baselines := map[bool]map[string]string{}
	f.Fuzz(func(t *testing.T, which, op uint8, at, cut uint16, text string) {
		ctx := context.Background()
		drafts := op&4 != 0
		s := sitetest.Write(t, archive)
		opts := site.Options{SiteDir: s.Dir, OutDir: s.Out, Generator: "otpress test", Drafts: drafts, Future: drafts}
		sess := site.NewSession(opts)
		if _, partial, err := sess.Update(ctx, nil); err != nil || partial {
			t.Fatalf("first build: partial %v, %v", partial, err)
		}
		if baselines[drafts] == nil {
			baselines[drafts] = fuzzTree(t, s.Out)
		}
		base := baselines[drafts]

		name := fuzzEditFiles[int(which)%len(fuzzEditFiles)]
		p := filepath.Join(s.Dir, filepath.FromSlash(name))
		old, err := os.ReadFile(p)
		existed := err == nil
		switch op & 3 {
		case 0:
			i := min(int(at), len(old))
			j := min(i+int(cut), len(old))
			fuzzWrite(t, p, string(old[:i])+text+string(old[j:]))
		case 1:
			fuzzWrite(t, p, text)
		default:
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
		}

		_, partial, err := sess.Update(ctx, []string{p})
		fresh := filepath.Join(t.TempDir(), "fresh")
		o := opts
		o.OutDir = fresh
		_, fullErr := site.Build(ctx, o)
		switch {
		case err == nil && fullErr != nil:
			t.Fatalf("%s: the update (partial %v) passed, a full build failed: %v", name, partial, fullErr)
		case err != nil && fullErr == nil:
			t.Fatalf("%s: the update (partial %v) failed, a full build passed: %v", name, partial, err)
		case err != nil:
			if diff := fuzzDiff(base, fuzzTree(t, s.Out)); diff != "" {
				t.Fatalf("%s: a failed update (partial %v) changed the output: %s", name, partial, diff)
			}
		default:
			if err := sess.RefreshSearch(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := fuzzDiff(fuzzTree(t, fresh), fuzzTree(t, s.Out)); diff != "" {
				t.Fatalf("%s: the update (partial %v) differs from a full build: %s", name, partial, diff)
			}
		}

		// put the file back: the first output again
		if existed {
			fuzzWrite(t, p, string(old))
		} else if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		if _, partial, err := sess.Update(ctx, []string{p}); err != nil {
			t.Fatalf("%s put back: partial %v, %v", name, partial, err)
		}
		if err := sess.RefreshSearch(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := fuzzDiff(base, fuzzTree(t, s.Out)); diff != "" {
			t.Fatalf("%s put back: the output differs from the first build: %s", name, diff)
		}
	})
}

func fuzzWrite(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fuzzTree reads every file of an output folder, search index included.
func fuzzTree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fuzzDiff names the first file that differs between two trees, with the
// lines where it does, or returns "".
func fuzzDiff(want, got map[string]string) string {
	for name, w := range want {
		if g, ok := got[name]; !ok {
			return name + " is missing"
		} else if g != w {
			return name + " differs:\n" + lineDiff(w, g)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			return name + " should not be there"
		}
	}
	return ""
}
