package main

import (
	"os"
	"path/filepath"
	"testing"
)

// Output folders and files: a build replaces only what otpress made, never
// the site's own folders, and a failure at any step leaves the previous
// output as it was.
func init() {
	keep := func(t *testing.T, site, tmp string) {
		dir := filepath.Join(filepath.Dir(site), "keep")
		if err := os.MkdirAll(filepath.Join(dir, "photos"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		chownNobody(t, dir)
	}
	kept := func(t *testing.T, site string) {
		if b, err := os.ReadFile(filepath.Join(filepath.Dir(site), "keep", "notes.txt")); string(b) != "mine" {
			t.Errorf("keep/notes.txt: %q, %v", b, err)
		}
	}
	siteKept := func(t *testing.T, site string) {
		for _, f := range []string{"site.toml", "content/stories/rose.md", "data/sources.yaml", "static/images/logo.svg"} {
			if _, err := os.Stat(filepath.Join(site, f)); err != nil {
				t.Error(err)
			}
		}
	}
	// readOnly makes a folder of the output read-only for the command's
	// user (and writable again after, for the test's clean-up)
	readOnly := func(rel string) func(t *testing.T, site, tmp string) {
		return func(t *testing.T, site, tmp string) {
			p := filepath.Join(site, rel)
			if err := os.Chmod(p, 0o555); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(p, 0o755) })
		}
	}
	addHostile(
		hostile{
			name: "a folder of someone else's files is refused",
			args: []string{"build", "-d", "../keep"}, setup: keep, after: kept, exit: 2,
			want: []string{`generator: the output folder \.\./keep holds files otpress did not make \(notes\.txt, photos/\)`, `fix: build into an empty or new folder with -d, or add --force`},
		},
		hostile{
			name: "--force replaces a folder of someone else's files",
			args: []string{"build", "-d", "../keep", "--force"}, setup: keep, exit: 0,
			want: []string{`^Built \d+ pages`},
			after: func(t *testing.T, site string) {
				if _, err := os.Stat(filepath.Join(filepath.Dir(site), "keep", "notes.txt")); err == nil {
					t.Error("notes.txt survived --force")
				}
				if _, err := os.Stat(filepath.Join(filepath.Dir(site), "keep", "index.html")); err != nil {
					t.Error(err)
				}
			},
		},
		hostile{
			name: "the site's own folder is refused, even with --force",
			args: []string{"build", "-d", ".", "--force"}, after: siteKept, exit: 2,
			want: []string{`generator: the output folder \. is the site's own folder, which a build would delete\nfix: build into a folder of its own`},
		},
		hostile{
			name: "a folder holding the site is refused",
			args: []string{"build", "-d", "..", "--force"}, after: siteKept, exit: 2,
			want: []string{`the output folder \.\. holds the site's own folder`},
		},
		hostile{
			name: "content/ is refused",
			args: []string{"build", "-d", "content"}, after: siteKept, exit: 2,
			want: []string{`the output folder content is the site's content folder`},
		},
		hostile{
			name: "the build cache's folder is refused",
			args: []string{"build", "-d", ".otpress-cache", "--force"}, after: siteKept, exit: 2,
			want: []string{`the output folder \.otpress-cache is the site's \.otpress-cache folder`},
		},
		hostile{
			name: "a folder inside static/ is refused",
			args: []string{"build", "-d", "static/site"}, exit: 2,
			want: []string{`the output folder static/site is inside the site's static folder, which the build reads`},
		},
		hostile{
			name:  "a file as the output folder is refused",
			files: map[string]string{"out.txt": "mine"}, args: []string{"build", "-d", "out.txt"}, exit: 2,
			want: []string{`the output out\.txt is a file, not a folder`},
		},
		hostile{
			name:  "a read-only build cache is used, and a warning says it could not be written",
			setup: readOnly(".otpress-cache"), exit: 0, changes: true,
			want: []string{`\.otpress-cache: warning: the build cache could not be written: \.otpress-cache: permission denied`, `fix: the next build does every page again; make the folder writable, or remove it`, `\d+ of \d+ pages were the same as in the last build`},
		},
		hostile{
			name:  "a read-only output folder fails before anything is written",
			setup: readOnly("public"), exit: 1,
			want: []string{`public: the output folder public cannot be replaced: remove the files of public: permission denied`, `fix: .*chmod -R u\+w public`},
		},
		hostile{
			name:  "a read-only folder inside the output fails the build, which leaves it whole",
			setup: readOnly("public/stories"), exit: 1,
			want: []string{`public: the output folder public cannot be replaced: remove the files of public/stories: permission denied`, `fix: .*chmod -R u\+w public`},
		},
		hostile{
			name:  "a read-only site folder fails with a fix",
			setup: readOnly("."), exit: 1,
			want: []string{`create a temporary output folder: .*permission denied`, `fix: you may not write there`},
		},
		hostile{
			name: "pack export will not replace site.toml",
			args: []string{"pack", "export", "personalised-care", "-o", "site.toml"}, after: siteKept, exit: 2,
			want: []string{`generator: site\.toml already exists and is not an HTML file, so it is not an earlier export to replace`, `fix: name another file with -o, or add --force`},
		},
		hostile{
			name: "pack export will not replace a folder, even with --force",
			args: []string{"pack", "export", "personalised-care", "-o", "content", "--force"}, after: siteKept, exit: 2,
			want: []string{`generator: content is a folder; the export is one file`},
		},
		hostile{
			name:  "pack export replaces its own earlier export",
			files: map[string]string{"pack.html": "<!DOCTYPE html>\n<title>old</title>"},
			args:  []string{"pack", "export", "personalised-care", "-o", "pack.html"}, exit: 0,
			want: []string{`^pack\.html\n$`},
			after: func(t *testing.T, site string) {
				if b, _ := os.ReadFile(filepath.Join(site, "pack.html")); len(b) < 1000 {
					t.Errorf("pack.html was not replaced: %q", b)
				}
			},
		},
		hostile{
			name:  "pack export --force replaces another kind of file",
			files: map[string]string{"notes.txt": "mine"},
			args:  []string{"pack", "export", "personalised-care", "--format", "epub", "-o", "notes.txt", "--force"}, exit: 0,
		},
	)
}
