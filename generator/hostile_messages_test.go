package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Messages: every problem at its file, line and column, with a fix; never
// an internal-looking error about the output, and never a control
// character from the site's files on the terminal.
func init() {
	rose := func(aliases string) map[string]string {
		return map[string]string{"content/stories/rose.md": "---\ntitle: Rose\ndate: 2019-02-01\naliases: [" + aliases + "]\n---\nRose.\n"}
	}
	for _, a := range []string{"/atom.xml", "/_headers", "/sitemap.xml", "/robots.txt", "/css/main.css", "/episodes/ep1/audio.mp3", "/stories/atom.xml"} {
		q := strings.ReplaceAll(strings.TrimPrefix(a, "/"), ".", `\.`)
		addHostile(hostile{
			name: "an alias at the site's file " + a, files: rose(a), exit: 1,
			want:  []string{`content/stories/rose\.md:4:11: alias /` + q + `/ would be published as the folder ` + q + `/, but the site writes the file ` + q + ` there\n  fix: remove the alias`},
			avoid: []string{`public: `, `download of the pack`},
		})
	}
	// episode sets a front-matter field of the example episode
	episode := func(field, value string) func(t *testing.T, site, tmp string) {
		return func(t *testing.T, site, tmp string) {
			p := filepath.Join(site, "content/episodes/ep1/index.md")
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(b), "\n")
			for i, l := range lines {
				if strings.HasPrefix(l, field+":") {
					lines[i] = field + ": " + value
				}
			}
			if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	addHostile(
		hostile{
			name: "a transcript outside the episode's folder", setup: episode("transcript", "../../../etc/passwd"), exit: 1,
			want:  []string{`content/episodes/ep1/index\.md:9:13: transcript "\.\./\.\./\.\./etc/passwd" leads outside the page's folder\n  9 \| transcript: \.\./\.\./\.\./etc/passwd\n +\| +\^\n  fix: put the file in content/episodes/ep1, next to the page`},
			avoid: []string{`has audio but no transcript`, `not a WebVTT, SRT or JSON transcript`},
		},
		hostile{
			name: "audio outside the episode's folder", setup: episode("audio", "../../../../etc/passwd"), exit: 1,
			want: []string{`content/episodes/ep1/index\.md:7:8: audio file "\.\./\.\./\.\./\.\./etc/passwd" leads outside the page's folder`},
		},
		hostile{
			name:  "a picture outside the site in a pack's item",
			setup: appendTo("content/features/phb.md", "\n![x](../../../etc/passwd)\n"),
			exit:  1,
			want:  []string{`content/features/phb\.md:13:1: the picture "\.\./\.\./\.\./etc/passwd" leads outside the site\n +13 \| !\[x\]\(\.\./\.\./\.\./etc/passwd\)\n +\| \^\n  fix: put the picture next to the page's file`},
			avoid: []string{`download of the pack`, `public: `},
		},
		hostile{
			name:  "control characters in a bad line are shown escaped",
			files: map[string]string{"content/stories/rose.md": "---\ntitle: \"Rose \x1b]0;pwned\x07\"\ndate: \"\x1b[31mtomorrow\x1b[0m\"\n---\nRose.\n"},
			exit:  1,
			want:  []string{`content/stories/rose\.md:3:7: date "\\x1b\[31mtomorrow\\x1b\[0m" is not a date`, `  3 \| date: "\\x1b\[31mtomorrow\\x1b\[0m"\n    \|       \^`},
		},
		hostile{
			name:  "a file name with control characters is shown escaped",
			files: map[string]string{"content/stories/x\x1b[2Jy.md": "---\ntitle: X\ndate: never\n---\n"},
			exit:  1,
			want:  []string{`content/stories/x\\x1b\[2Jy\.md:3:7: date "never" is not a date`},
		},
		hostile{
			name:  "an unreadable content folder is named, with a fix, and the rest is read",
			setup: unreadable("content/themes"), exit: 1,
			want: []string{`content/themes: cannot read this folder: permission denied\n  fix: make it readable, e\.g\. chmod a\+rx content/themes`},
		},
		hostile{
			name:  "an unreadable static folder is named, with a fix",
			setup: unreadable("static/images"), exit: 1,
			want: []string{`static/images: cannot read this folder: permission denied\n  fix: make it readable, e\.g\. chmod a\+rx static/images`},
		},
	)
}

// unreadable takes away every permission on a folder of the site for the
// command's user (and gives them back after, for the test's clean-up).
func unreadable(rel string) func(t *testing.T, site, tmp string) {
	return func(t *testing.T, site, tmp string) {
		p := filepath.Join(site, rel)
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(p, 0o755) })
	}
}

// appendTo adds text at the end of a file of the site.
func appendTo(rel, text string) func(t *testing.T, site, tmp string) {
	return func(t *testing.T, site, tmp string) {
		f, err := os.OpenFile(filepath.Join(site, rel), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(text); err != nil {
			t.Fatal(err)
		}
	}
}
