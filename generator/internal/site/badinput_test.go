package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
)

// badBase is a small valid site: a story, an episode bundle with its audio
// and transcript, a feature and a theme. Each case of TestBadInput starts
// from it and adds or replaces one file.
var badBase = map[string]string{
	"site.toml": `title = "Bad input"
base_url = "https://example.org/"
`,
	"content/stories/denis.md": `---
title: Denis walks to his kitchen
date: 2019-04-01
person: Denis
themes: [co-production]
---
Denis wanted to walk to his kitchen again.
`,
	"content/episodes/ep1/index.md": `---
title: Rebuilding lives
date: 2019-05-01
episode: 72
audio: audio.mp3
duration: "00:00:10"
transcript: transcript.vtt
themes: [co-production]
---
Talk about rebuilding lives.
`,
	"content/episodes/ep1/audio.mp3": "ID3 fake audio bytes\n",
	"content/episodes/ep1/transcript.vtt": `WEBVTT

00:00:00.000 --> 00:00:05.000
<v Sam>Hello and welcome to a show about occupational therapy and rebuilding lives.

00:00:05.000 --> 00:00:10.000
<v Zoe>Denis walked to his kitchen again after more than a year in bed at home.
`,
	"content/features/phb.md": `---
title: Personal health budgets
date: 2019-04-10
sources:
  - {publication: OTnews, issue: April 2019, page: "15"}
---
A feature about personal health budgets.
`,
	"content/themes/co-production.md": `---
title: Co-production
---
Working together with the people who use services.
`,
}

// A story written as lines, for cases that change one line of it.
const rose = "---\ntitle: Rose finds her confidence\ndate: 2019-02-01\nperson: Rose\n---\nRose was referred to a social prescribing service.\n"

// badCase is one bad input and the problem it must give. A case with ok
// set must build (the input is fine after all); the problem, if it names
// one, is then a warning.
type badCase struct {
	name  string
	files map[string]string                   // added to or replacing the base site's files
	setup func(t *testing.T, dir string) bool // more changes; false when the case does not apply here (then ok is checked)
	ok    bool                                // the build must succeed
	late  bool                                // found while rendering, so only once every file reads well
	page  string                              // for a case that builds: a page it must write
	file  string                              // the problem: file, line and column (0, 0 for the whole file),
	line  int
	col   int
	msg   string // a part of its message
	hint  string // and of its hint, which every problem here must have
	// source, if set, is a part of the source line the problem shows
	source string
}

func badCases() []badCase {
	return []badCase{
		{
			name:  "malformed YAML front matter",
			files: map[string]string{"content/stories/rose.md": "---\ntitle: Rose finds her confidence\ndate: 2019-02-01\nthemes: [co-production\n---\nText.\n"},
			file:  "content/stories/rose.md", line: 4, col: 9,
			msg: "YAML syntax", hint: "brackets",
		},
		{
			name:  "malformed TOML front matter",
			files: map[string]string{"content/stories/rose.md": "+++\ntitle = Rose finds her confidence\ndate = 2019-02-01\n+++\nText.\n"},
			file:  "content/stories/rose.md", line: 2, col: 9,
			msg: "TOML syntax", hint: "double quotes",
		},
		{
			name:  "front matter never closed",
			files: map[string]string{"content/stories/rose.md": "---\ntitle: Rose finds her confidence\ndate: 2019-02-01\n\nRose was referred to a social prescribing service.\n"},
			file:  "content/stories/rose.md", line: 1, col: 1,
			msg: "the YAML front matter opened with --- on line 1 is never closed", hint: "add a line containing only ---",
		},
		{
			name:  "a date that is not a date",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "date: 2019-02-01", "date: yesterday", 1)},
			file:  "content/stories/rose.md", line: 3, col: 7,
			msg: `date "yesterday" is not a date`, hint: "2019-04-01",
		},
		{
			name:  "themes as a number",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\nthemes: 5\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 9,
			msg: "themes must be a list of theme names, not a whole number (5)", hint: "themes: [co-production]",
		},
		{
			name:  "a story without a title",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "title: Rose finds her confidence\n", "", 1)},
			file:  "content/stories/rose.md", line: 1, col: 1,
			msg: "title is missing", hint: "add a line such as title:",
		},
		{
			name:  "a story without a date",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "date: 2019-02-01\n", "", 1)},
			file:  "content/stories/rose.md", line: 1, col: 1,
			msg: "date is missing", hint: "date: 2019-04-01",
		},
		{
			name:  "a feature without its source",
			files: map[string]string{"content/features/phb.md": "---\ntitle: Personal health budgets\ndate: 2019-04-10\n---\nText.\n"},
			file:  "content/features/phb.md", line: 1, col: 1,
			msg: "a feature needs a source naming its publication and issue", hint: "publication: OTnews",
		},
		{
			name:  "invalid UTF-8 in the text",
			files: map[string]string{"content/stories/rose.md": rose + "She went to the caf\xe9 on Mondays.\n"},
			file:  "content/stories/rose.md", line: 7, col: 20,
			msg: "not valid UTF-8", hint: "save the file as UTF-8",
		},
		{
			name:  "invalid UTF-8 in the front matter",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose", "person: Ros\xe9", 1)},
			file:  "content/stories/rose.md", line: 4, col: 12,
			msg: "not valid UTF-8", hint: "save the file as UTF-8",
		},
		{
			// Notepad and other editors start UTF-8 files with a byte-order
			// mark; it is not text, so it is simply skipped.
			name:  "a UTF-8 byte-order mark",
			files: map[string]string{"content/stories/rose.md": "\ufeff" + rose},
			ok:    true, page: "stories/rose/index.html",
		},
		{
			name:  "a UTF-16 file",
			files: map[string]string{"content/stories/rose.md": utf16(rose)},
			file:  "content/stories/rose.md", line: 1, col: 1,
			msg: "saved as UTF-16", hint: "save it as UTF-8",
		},
		{
			name:  "an empty file",
			files: map[string]string{"content/stories/rose.md": ""},
			file:  "content/stories/rose.md", line: 1, col: 1,
			msg: "the file is empty", hint: "title:",
		},
		{
			// Limits: a content file over content.MaxFileBytes (2 MB) is
			// refused before it is read, with its size and how to split it.
			// Such a file is a mistake (a pasted picture, a copy of a
			// database), and reading it would make every build slow: 20 MB
			// of text took over ten seconds to build. A single enormous
			// line is refused the same way, by the size of its file; a
			// long line within the limit is text like any other and builds.
			name: "an enormous file",
			setup: func(t *testing.T, dir string) bool {
				big := rose + strings.Repeat("Rose went to the café and the library and the park on Mondays.\n", 20<<20/64)
				write(t, dir, "content/stories/rose.md", big)
				return true
			},
			file: "content/stories/rose.md",
			msg:  "the file is 20.0 MB; a content file may be at most 2 MB", hint: "split the text into several pages",
		},
		{
			name: "an enormous single line",
			setup: func(t *testing.T, dir string) bool {
				write(t, dir, "content/stories/rose.md", rose+"\n"+strings.Repeat("word ", 1<<20)+"\n")
				return true
			},
			file: "content/stories/rose.md",
			msg:  "the file is 5.0 MB; a content file may be at most 2 MB", hint: "split the text into several pages",
		},
		{
			name: "a long single line within the limit",
			setup: func(t *testing.T, dir string) bool {
				write(t, dir, "content/stories/rose.md", rose+"\n"+strings.Repeat("word ", 200<<10)+"\n")
				return true
			},
			ok: true, page: "stories/rose/index.html",
		},
		{
			name: "a transcript over the limit",
			setup: func(t *testing.T, dir string) bool {
				var b strings.Builder
				b.WriteString("WEBVTT\n")
				for i := 0; b.Len() < 3<<20; i++ {
					fmt.Fprintf(&b, "\n%s --> %s\n<v Sam>Hello and welcome to a show about occupational therapy.\n", stamp(i), stamp(i+1))
				}
				write(t, dir, "content/episodes/ep1/transcript.vtt", b.String())
				return true
			},
			file: "content/episodes/ep1/transcript.vtt",
			msg:  "a content file may be at most 2 MB", hint: "check that this is the right file",
		},
		{
			name:  "an alias that is the page's own address",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\naliases: [/stories/rose/]\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 11,
			msg: "alias /stories/rose/ is the page's own address", hint: "remove the alias",
		},
		{
			name:  "an alias that is another page's address",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\naliases:\n  - /old/rose/\n  - /stories/denis/\n", 1)},
			file:  "content/stories/rose.md", line: 7, col: 5,
			msg: "alias /stories/denis/ is already the address of content/stories/denis.md", hint: "remove the alias",
		},
		{
			name:  "an alias that is the search page's address",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\naliases: [search]\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 11,
			msg: "alias /search/ is already the address of the search page", hint: "remove the alias",
		},
		{
			name:  "two pages with one address",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\nslug: denis\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 7,
			msg: "this page and content/stories/denis.md both want the address /stories/denis/", hint: "slug:",
		},
		{
			name:  "a story file and a bundle with one address",
			files: map[string]string{"content/stories/denis/index.md": strings.Replace(rose, "Rose", "Denis", -1)},
			file:  "content/stories/denis/index.md", line: 1, col: 1,
			msg: "this page and content/stories/denis.md both want the address /stories/denis/", hint: "file name",
		},
		{
			name:  "a slug that climbs out with ..",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\nslug: ../../etc\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 7,
			msg: `slug "../../etc" cannot be part of an address`, hint: "slug: etc",
		},
		{
			name:  "a slug that is an absolute path",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\nslug: /etc/passwd\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 7,
			msg: `slug "/etc/passwd" cannot be part of an address`, hint: "slug: etc-passwd",
		},
		{
			name:  "a slug with characters an address cannot have",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\nslug: \"rose?page=1 <b>\"\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 7,
			msg: `slug "rose?page=1 <b>" cannot be part of an address`, hint: "slug: rose-page-1-b",
		},
		{
			name:  "an alias that climbs out with ..",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\naliases: [../../outside/rose]\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 11,
			msg: `alias "../../outside/rose" is not a site address`, hint: "..",
		},
		{
			name:  "an alias that is the page's own index file",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\naliases: [/stories/rose/index.html]\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 11,
			msg: `alias /stories/rose/ is the page's own address`, hint: "round in a circle",
		},
		{
			name:  "an alias that is the address of a page the site makes",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\naliases: [/evidence/]\n", 1)},
			late:  true,
			file:  "content/stories/rose.md", line: 5, col: 11,
			msg: `alias /evidence/ is already the address of the site's page "Outcomes across stories"`, hint: "remove the alias",
		},
		{
			name:  "a standalone page at the address of a page the site makes",
			files: map[string]string{"content/pages/evidence.md": "---\ntitle: Our evidence\n---\nText.\n"},
			late:  true,
			file:  "content/pages/evidence.md",
			msg:   `the site's page "Outcomes across stories" and the page from content/pages/evidence.md both want the address /evidence/`, hint: "rename content/pages/evidence.md",
		},
		{
			name:  "a file in static/ where the site writes a page",
			files: map[string]string{"static/stories/denis/index.html": "<p>An old copy.</p>\n"},
			file:  "static/stories/denis/index.html",
			msg:   "this file would be published at stories/denis/index.html, but it is the address of the page from content/stories/denis.md", hint: "rename or move the file",
		},
		{
			name:  "a file in static/ where the site writes a file of its own",
			files: map[string]string{"static/sitemap.xml": "<urlset></urlset>\n"},
			file:  "static/sitemap.xml",
			msg:   "this file would be published at sitemap.xml, but the site writes sitemap.xml itself", hint: "cannot replace the site's own pages and files",
		},
		{
			name:  "an alias with characters an address cannot have",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\naliases: [\"/old/<script>/\"]\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 11,
			msg: `alias "/old/<script>/" is not a site address`, hint: "letters, digits",
		},
		{
			name: "a symbolic link that loops",
			setup: func(t *testing.T, dir string) bool {
				symlink(t, "loop.md", filepath.Join(dir, "content/stories/loop.md"))
				return true
			},
			file: "content/stories/loop.md",
			msg:  "a symbolic link that leads back to itself", hint: "delete the link",
		},
		{
			name: "a symbolic link to a file outside the site",
			setup: func(t *testing.T, dir string) bool {
				outside := t.TempDir()
				write(t, outside, "story.md", rose)
				symlink(t, filepath.Join(outside, "story.md"), filepath.Join(dir, "content/stories/outside.md"))
				return true
			},
			file: "content/stories/outside.md",
			msg:  "a symbolic link to a place outside the site folder", hint: "into the site folder instead of linking",
		},
		{
			name: "a symbolic link to /etc/passwd",
			setup: func(t *testing.T, dir string) bool {
				symlink(t, "/etc/passwd", filepath.Join(dir, "content/stories/passwd.md"))
				return true
			},
			file: "content/stories/passwd.md",
			msg:  "a symbolic link to a place outside the site folder", hint: "into the site folder instead of linking",
		},
		{
			name: "a symbolic link climbing out of the site",
			setup: func(t *testing.T, dir string) bool {
				symlink(t, "../../../../../../../../../../etc", filepath.Join(dir, "content/stories/etc"))
				return true
			},
			file: "content/stories/etc",
			msg:  "a symbolic link to a place outside the site folder", hint: "into the site folder instead of linking",
		},
		{
			name: "a symbolic link to a file elsewhere in the site",
			setup: func(t *testing.T, dir string) bool {
				write(t, dir, "shared/rose.md", rose)
				symlink(t, "../../shared/rose.md", filepath.Join(dir, "content/stories/rose.md"))
				return true
			},
			ok: true, page: "stories/rose/index.html",
		},
		{
			name: "a symbolic link to a folder elsewhere in the site",
			setup: func(t *testing.T, dir string) bool {
				write(t, dir, "shared/rose.md", rose)
				symlink(t, "../../shared", filepath.Join(dir, "content/stories/shared"))
				return true
			},
			ok:   true, // ignored, with a warning
			file: "content/stories/shared",
			msg:  "this is a symbolic link to a folder, which otpress does not follow; it is ignored", hint: "move or copy the folder here",
		},
		{
			name: "a symbolic link to nothing",
			setup: func(t *testing.T, dir string) bool {
				symlink(t, "rose-old.md", filepath.Join(dir, "content/stories/rose.md"))
				return true
			},
			file: "content/stories/rose.md",
			msg:  "this is a symbolic link to rose-old.md, which does not exist", hint: "delete the link",
		},
		{
			// The whole content folder a link to a folder elsewhere that
			// holds a good site: it must be refused, not built.
			name: "content/ a symbolic link to a folder outside the site",
			setup: func(t *testing.T, dir string) bool {
				outside := t.TempDir()
				for name, data := range badBase {
					if rest, ok := strings.CutPrefix(name, "content/"); ok {
						write(t, outside, rest, data)
					}
				}
				if err := os.RemoveAll(filepath.Join(dir, "content")); err != nil {
					t.Fatal(err)
				}
				symlink(t, outside, filepath.Join(dir, "content"))
				return true
			},
			file: "content",
			msg:  "a symbolic link to a place outside the site folder", hint: "into the site folder instead of linking",
		},
		{
			name: "a symbolic link in the theme to a file outside the site",
			setup: func(t *testing.T, dir string) bool {
				outside := t.TempDir()
				write(t, outside, "secret.css", "/* secret */")
				symlink(t, filepath.Join(outside, "secret.css"), filepath.Join(dir, "themes/default/static/css/extra.css"))
				return true
			},
			file: "themes/default/static/css/extra.css",
			msg:  "this is a symbolic link to a place outside the site folder", hint: "into the site folder instead of linking",
		},
		{
			name: "a symbolic link in static/ to a file outside the site",
			setup: func(t *testing.T, dir string) bool {
				outside := t.TempDir()
				write(t, outside, "secret.txt", "secret")
				write(t, dir, "static/robots-extra.txt", "kept")
				symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(dir, "static/leak.txt"))
				return true
			},
			file: "static/leak.txt",
			msg:  "this is a symbolic link to a place outside the site folder", hint: "into the site folder instead of linking",
		},
		{
			name: "static/ itself a symbolic link to a folder outside the site",
			setup: func(t *testing.T, dir string) bool {
				outside := t.TempDir()
				write(t, outside, "secret.txt", "secret")
				symlink(t, outside, filepath.Join(dir, "static"))
				return true
			},
			file: "static",
			msg:  "this is a symbolic link to a place outside the site folder", hint: "into the site folder instead of linking",
		},
		{
			name: "the theme folder a symbolic link to a folder outside the site",
			setup: func(t *testing.T, dir string) bool {
				outside := t.TempDir()
				write(t, outside, "static/css/extra.css", "/* secret */")
				symlink(t, outside, filepath.Join(dir, "themes/default"))
				return true
			},
			file: "themes/default",
			msg:  "this is a symbolic link to a place outside the site folder", hint: "into the site folder instead of linking",
		},
		{
			name:  "a template that asks for a field pages do not have",
			files: map[string]string{"themes/default/templates/story.html": "{{define \"main\"}}\n<h1>{{.Title}}</h1>\n<p>{{.Item.Nope}}</p>\n{{end}}\n"},
			file:  "themes/default/templates/story.html", line: 3, col: 11,
			msg: "can't evaluate field Nope", hint: "the page has no such field",
		},
		{
			name:  "a template that indexes past the end of a list",
			files: map[string]string{"themes/default/templates/story.html": "{{define \"main\"}}\n<h1>{{.Title}}</h1>\n<p>{{index .Item.Authors 5}}</p>\n{{end}}\n"},
			file:  "themes/default/templates/story.html", line: 3, col: 6,
			msg: "index out of range", hint: "{{if",
		},
		{
			name:  "a template that shows words written in HTML as text",
			files: map[string]string{"themes/default/templates/story.html": "{{define \"main\"}}\n<p>{{t \"page.base.built_html\"}}</p>\n{{end}}\n"},
			file:  "themes/default/templates/story.html", line: 2, col: 6,
			msg: `"page.base.built_html" is written in HTML: show it with th`, hint: "th those written in HTML",
		},
		{
			name:  "a template that shows plain words as HTML",
			files: map[string]string{"themes/default/templates/story.html": "{{define \"main\"}}\n<p>{{th \"page.base.skip\"}}</p>\n{{end}}\n"},
			file:  "themes/default/templates/story.html", line: 2, col: 6,
			msg: `th gives words written in HTML, whose names end in _html: use t for "page.base.skip"`, hint: "t and tn show plain words",
		},
		{
			name:  "a template that asks for a word the theme does not have",
			files: map[string]string{"themes/default/templates/story.html": "{{define \"main\"}}\n<p>{{t \"page.story.nope\"}}</p>\n{{end}}\n"},
			file:  "themes/default/templates/story.html", line: 2, col: 6,
			msg: `the theme has no words "page.story.nope"`, hint: "named in themes/default/i18n/en-GB.toml",
		},
		{
			name:  "a template error deep in indented markup",
			files: map[string]string{"themes/default/templates/story.html": "{{define \"main\"}}\n  <article>\n    <h1>\n      {{.Title}}\n    </h1>\n    <ul>\n      {{range .Item.Themes}}\n        <li>\n          {{.Nope}}\n        </li>\n      {{end}}\n    </ul>\n  </article>\n{{end}}\n"},
			file:  "themes/default/templates/story.html", line: 9, col: 13,
			msg: "can't evaluate field Nope", hint: "the page has no such field",
		},
		{
			name:  "a template error in a partial",
			files: map[string]string{"themes/default/templates/partials/card.html": "{{define \"card\"}}\n<article class=\"card\">\n  <h2>\n    <a href=\"{{.Item.Href}}\">{{.Item.Title}}</a>\n  </h2>\n  <p>\n    {{.Item.Missing}}\n  </p>\n</article>\n{{end}}\n", "themes/default/templates/partials/cards.html": "{{define \"cards\"}}{{$level := .Level}}{{range .Items}}{{.Card $level}}{{end}}{{end}}\n"},
			file:  "themes/default/templates/partials/card.html", line: 7, col: 12,
			msg: "can't evaluate field Missing", hint: "the page has no such field", source: "{{.Item.Missing}}",
		},
		{
			name: "a transcript cue whose timing players cannot read",
			files: map[string]string{"content/episodes/ep1/transcript.vtt": strings.Replace(badBase["content/episodes/ep1/transcript.vtt"],
				"00:00:05.000 --> 00:00:10.000", "0:05.000 --> 00:00:10.000", 1)},
			file: "content/episodes/ep1/transcript.vtt", line: 6, col: 1, ok: true,
			msg: `players skip this cue: "0:05.000" is not a time`, hint: "minutes and seconds in two digits",
		},
		{
			name: "a transcript cue that ends before it starts",
			files: map[string]string{"content/episodes/ep1/transcript.vtt": strings.Replace(badBase["content/episodes/ep1/transcript.vtt"],
				"00:00:05.000 --> 00:00:10.000", "00:00:09.000 --> 00:00:06.000", 1)},
			file: "content/episodes/ep1/transcript.vtt", line: 6, col: 18, ok: true,
			msg: "the cue ends at 00:00:06.000, not after it starts (00:00:09.000), so players never show it", hint: "make the end time later",
		},
		{
			name:  "a transcript with no cue players can read",
			files: map[string]string{"content/episodes/ep1/transcript.vtt": "WEBVTT\n\n00:00:5.000 --> 00:00:10.000\n<v Zoe>Denis walked to his kitchen again after more than a year in bed.\n"},
			file:  "content/episodes/ep1/transcript.vtt", line: 1, col: 1,
			msg: "the transcript has no cues", hint: "add cues",
		},
		{
			name:  "a missing audio file",
			files: map[string]string{"content/episodes/ep1/index.md": strings.Replace(badBase["content/episodes/ep1/index.md"], "audio: audio.mp3", "audio: episode.mp3", 1)},
			file:  "content/episodes/ep1/index.md", line: 5, col: 8,
			msg: `audio file "episode.mp3" was not found`, hint: "put the file at content/episodes/ep1/episode.mp3",
		},
		{
			name:  "a missing picture in the front matter",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\nimage: {src: rose.jpg, alt: Rose at the café}\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 14,
			msg: `image "rose.jpg" was not found`, hint: "put the file at content/stories/rose.jpg",
		},
		{
			name:  "a missing picture in the text",
			files: map[string]string{"content/stories/rose.md": rose + "\nHer garden: ![Rose's garden in spring](garden.jpg)\n"},
			late:  true,
			file:  "content/stories/rose.md", line: 8, col: 13,
			msg: `the picture "garden.jpg" was not found: the site has nothing at /stories/garden.jpg`, hint: "put the picture next to the page's file",
		},
		{
			name:  "a missing picture in a bundle's text",
			files: map[string]string{"content/episodes/ep1/index.md": badBase["content/episodes/ep1/index.md"] + "\n![The hoist](images/hoist.png)\n"},
			file:  "content/episodes/ep1/index.md", line: 12, col: 1,
			msg: `the picture "images/hoist.png" was not found: the site has nothing at /episodes/ep1/images/hoist.png`, hint: "put the picture next to the page's file",
		},
		{
			name:  "an SVG in static/ with a script",
			files: map[string]string{"static/img/logo.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <script>fetch('/drafts')</script>\n</svg>\n"},
			file:  "static/img/logo.svg", line: 2, col: 3,
			msg: "the SVG has a <script> element, which runs in a browser that opens the file", hint: "remove it",
			source: "<script>",
		},
		{
			name:  "an SVG in a bundle with an event attribute",
			files: map[string]string{"content/episodes/ep1/diagram.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"},
			file:  "content/episodes/ep1/diagram.svg", line: 1, col: 41,
			msg: "event attribute onload on <svg>", hint: "remove the attribute",
		},
		{
			name: "an SVG picture in a story's text that loads from elsewhere",
			files: map[string]string{
				"content/stories/rose.md": rose + "\nThe route: ![Rose's route to the garden](map.svg)\n",
				"content/stories/map.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<use href=\"https://evil.example/x.svg#a\"/>\n</svg>",
			},
			file: "content/stories/map.svg", line: 2, col: 6,
			msg: "<use> href loads https://evil.example/x.svg#a from another address", hint: "#id references inside the file are fine",
		},
		{
			name:  "an SVG of the site's theme with a foreignObject",
			files: map[string]string{"themes/default/static/img/mark.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject><p xmlns=\"http://www.w3.org/1999/xhtml\">x</p></foreignObject></svg>"},
			file:  "themes/default/static/img/mark.svg", line: 1, col: 41,
			msg: "<foreignObject> element", hint: "remove it",
		},
		{
			name:  "an SVG with entities of its own (billion laughs)",
			files: map[string]string{"static/lol.svg": "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n <!ENTITY a \"aaaaaaaaaa\">\n <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&b;</text></svg>"},
			file:  "static/lol.svg", line: 2, col: 1,
			msg: "DOCTYPE declares entities", hint: "delete the part in [ ]",
		},
		{
			name:  "an SVG that is not well-formed",
			files: map[string]string{"static/broken.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<g>\n</svg>\n"},
			file:  "static/broken.svg", line: 3, col: 1,
			msg: "the SVG is not well-formed XML: element <g> closed by </svg>", hint: "save it again as plain SVG",
		},
		{
			name:  "a compressed SVG with a script",
			files: map[string]string{"static/logo.svgz": gzipText("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(1)</script></svg>")},
			file:  "static/logo.svgz",
			msg:   "<script> element, which runs in a browser that opens the file (at 2:1 of the decompressed SVG)", hint: "remove it",
		},
		{
			// chmod 000 stops a normal user reading the file. Root reads it
			// anyway (as CI may run): there the file is good, so the build
			// must succeed, which checks the case the other way round.
			name: "a file nobody may read",
			setup: func(t *testing.T, dir string) bool {
				p := filepath.Join(dir, "content/stories/rose.md")
				write(t, dir, "content/stories/rose.md", rose)
				if err := os.Chmod(p, 0); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(p, 0o644) })
				if f, err := os.Open(p); err == nil {
					f.Close()
					t.Log("running as a user whom permissions do not stop (root): the unreadable file is readable, so the build must succeed")
					return false
				}
				return true
			},
			page: "stories/rose/index.html",
			file: "content/stories/rose.md",
			msg:  "cannot read the file: permission denied", hint: "chmod a+r content/stories/rose.md",
		},
		{
			name:  "invalid UTF-8 in site.toml",
			files: map[string]string{"site.toml": "title = \"Caf\xe9 stories\"\nbase_url = \"https://example.org/\"\n"},
			file:  "site.toml", line: 1, col: 13,
			msg: "not valid UTF-8", hint: "save the file as UTF-8",
		},
		{
			name:  "malformed site.toml",
			files: map[string]string{"site.toml": "title = \"Bad input\"\nbase_url = \"https://example.org/\npaginate = 10\n"},
			file:  "site.toml", line: 2, col: 33,
			msg: "TOML syntax: the text has no closing quote on this line", hint: "end the text with a quote",
		},
		{
			name:  "a javascript: link written with a character reference",
			files: map[string]string{"content/stories/rose.md": rose + "See [the help page](&#106;avascript:alert(1)).\n"},
			late:  true,
			file:  "content/stories/rose.md", line: 7, col: 5,
			msg: "a link to a javascript: address is refused", hint: "https://",
		},
		{
			name: "raw HTML with an event handler, let through",
			files: map[string]string{
				"site.toml":               badBase["site.toml"] + "[markup]\nunsafe = true\nallow = [\"iframe\"]\n",
				"content/stories/rose.md": rose + "\n<iframe src=\"https://example.org/\"></iframe>\n\nText <img src=\"x.png\" alt=\"\" onerror=\"alert(1)\">.\n",
			},
			late: true,
			file: "content/stories/rose.md", line: 10, col: 30,
			msg: "the event-handler attribute onerror= runs script", hint: "static/",
		},
		{
			name:  "[markup] allow naming something raw HTML cannot be allowed",
			files: map[string]string{"site.toml": badBase["site.toml"] + "[markup]\nunsafe = true\nallow = [\"iframe\", \"ifrmae\"]\n"},
			file:  "site.toml", line: 5, col: 20,
			msg: `"ifrmae" is not something raw HTML can be allowed`, hint: `did you mean "iframe"?`,
		},
		// Limits that hold before a parser runs (frontmatter/limits.go,
		// markdown/limits.go), and on lists, chapters and cues.
		{
			name:  "front matter nested past the limit",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\nx: "+strings.Repeat("[", 40000)+strings.Repeat("]", 40000)+"\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 35,
			msg: "lists and fields are nested more than 32 levels deep here; otpress allows 32", hint: "write it flatter",
		},
		{
			name:  "site.toml nested past the limit",
			files: map[string]string{"site.toml": "title = \"Bad input\"\nx = " + strings.Repeat("[", 40000) + strings.Repeat("]", 40000) + "\n"},
			file:  "site.toml", line: 2, col: 36,
			msg: "nested more than 32 levels deep here", hint: "write it flatter",
		},
		{
			name: "lists nested 1,200 deep",
			files: map[string]string{"content/stories/rose.md": rose + func() string {
				var b strings.Builder
				for i := range 1200 {
					b.WriteString(strings.Repeat("  ", i) + "- x\n")
				}
				return b.String()
			}()},
			late: true,
			file: "content/stories/rose.md", line: 7 + 32, col: 65,
			msg: "lists and block quotes are nested more than 32 levels deep here; otpress allows 32", hint: "backslash",
		},
		{
			name:  "link addresses left open",
			files: map[string]string{"content/stories/rose.md": rose + strings.Repeat("[a](", 100000) + "\n"},
			late:  true,
			file:  "content/stories/rose.md", line: 7, col: 4*32 + 4,
			msg: "more than 32 link addresses ]( are open here", hint: "close each link's address",
		},
		{
			name:  "too many themes",
			files: map[string]string{"content/stories/rose.md": strings.Replace(rose, "person: Rose\n", "person: Rose\nthemes: ["+strings.TrimSuffix(strings.Repeat("t, ", 60), ", ")+"]\n", 1)},
			file:  "content/stories/rose.md", line: 5, col: 160,
			msg: "themes has 60 entries; otpress allows 50", hint: "broader",
		},
		{
			name:  "a chapter's url runs script",
			files: map[string]string{"content/episodes/ep1/index.md": strings.Replace(badBase["content/episodes/ep1/index.md"], "themes:", "chapters:\n  - {start: \"00:00\", title: Welcome, url: \"javascript:alert(1)\"}\nthemes:", 1)},
			file:  "content/episodes/ep1/index.md", line: 9, col: 43,
			msg: "the chapter's url is a javascript: address", hint: "https://",
		},
		{
			name: "a chapters file's start out of range",
			files: map[string]string{
				"content/episodes/ep1/index.md":      strings.Replace(badBase["content/episodes/ep1/index.md"], "themes:", "chapters: chapters.json\nthemes:", 1),
				"content/episodes/ep1/chapters.json": "{\"version\": \"1.2.0\", \"chapters\": [\n  {\"startTime\": 0, \"title\": \"Welcome\"},\n  {\"startTime\": 1e308, \"title\": \"Later\"}]}\n",
			},
			file: "content/episodes/ep1/chapters.json", line: 3, col: 17,
			msg: "chapter 2's startTime 1e+308 is out of range", hint: "seconds from the start",
		},
		{
			name: "a transcript of too many cues",
			files: map[string]string{"content/episodes/ep1/transcript.vtt": func() string {
				var b strings.Builder
				b.WriteString("WEBVTT\n")
				for i := range 20010 {
					fmt.Fprintf(&b, "\n%02d:%02d:%02d.000 --> %02d:%02d:%02d.500\nx\n", i/3600, i/60%60, i%60, i/3600, i/60%60, i%60)
				}
				return b.String()
			}()},
			file: "content/episodes/ep1/transcript.vtt", line: 3 + 3*20000, col: 1,
			msg: "the transcript has more than 20000 cues; otpress allows 20000", hint: "join short cues",
		},
	}
}

// TestBadInput builds a good site into public/, then breaks it one way per
// case: the build must return a *diag.BuildError naming the problem at its
// file, line and column with a message and a hint, never panic, and leave
// public/ exactly as it was (every path, mode and byte).
func TestBadInput(t *testing.T) {
	for _, tc := range badCases() {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "public")
			writeFiles(t, dir, badBase)
			// minified, as otpress build does: templates are loaded compact,
			// and their problems must still be placed in the files as written
			if _, err := Build(context.Background(), Options{SiteDir: dir, OutDir: out, Minify: true}); err != nil {
				t.Fatalf("the base site does not build: %v", err)
			}
			before := hashTree(t, out)
			writeFiles(t, dir, tc.files)
			ok := tc.ok
			if tc.setup != nil && !tc.setup(t, dir) {
				ok = true
			}
			siteBefore := entries(t, dir)
			res, err := safeBuild(t, Options{SiteDir: dir, OutDir: out, Minify: true})
			if ok {
				if err != nil {
					t.Fatalf("the build failed; it should succeed:\n%v", err)
				}
				if tc.ok && tc.msg != "" && !hasProblem(res.Warnings, tc) {
					t.Errorf("no warning %s:%d:%d: %q (hint %q) among:\n%s", tc.file, tc.line, tc.col, tc.msg, tc.hint, listProblems(res.Warnings))
				}
				if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(tc.page))); tc.page != "" && err != nil {
					t.Errorf("the build did not write %s: %v", tc.page, err)
				}
				return
			}
			var be *diag.BuildError
			if !errors.As(err, &be) {
				t.Fatalf("the build returned %T %v; want a *diag.BuildError", err, err)
			}
			if !hasProblem(be.Problems, tc) {
				t.Errorf("no problem %s:%d:%d: %q (hint %q) among:\n%s", tc.file, tc.line, tc.col, tc.msg, tc.hint, listProblems(be.Problems))
			}
			for _, p := range be.Problems {
				// every problem names a file of the site, never the output
				// folder or nothing, and says what is wrong without Go's
				// insides
				if p.File == "" || p.File == "public" || p.Msg == "" || strings.Contains(p.Msg, "goroutine ") || strings.Contains(p.Msg, "panic") {
					t.Errorf("unclear problem: %s", p.Error())
				}
			}
			if after := hashTree(t, out); after != before {
				t.Errorf("the failed build changed public/")
			}
			if now := entries(t, dir); !slices.Equal(now, siteBefore) {
				t.Errorf("the failed build left files in the site folder: %v, was %v", now, siteBefore)
			}
		})
	}
}

// TestBadInputAllAtOnce puts the bad stories of TestBadInput in one site:
// the build reports every one of their problems together. (Problems found
// while rendering, such as a missing picture in the text, come once the
// files all read well.)
func TestBadInputAllAtOnce(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, badBase)
	var want []badCase
	n := 0
	for _, tc := range badCases() {
		if tc.ok || tc.late || tc.setup != nil || len(tc.files) != 1 {
			continue
		}
		for name, data := range tc.files {
			if name != "content/stories/rose.md" || strings.Contains(tc.msg, "/stories/rose/") {
				continue // not a story, or about its address, which comes from its name
			}
			n++
			name = fmt.Sprintf("content/stories/rose%d.md", n)
			write(t, dir, name, data)
			tc.file = name
			want = append(want, tc)
		}
	}
	if len(want) < 10 {
		t.Fatalf("only %d cases to put together", len(want))
	}
	_, err := safeBuild(t, Options{SiteDir: dir, Minify: true})
	var be *diag.BuildError
	if !errors.As(err, &be) {
		t.Fatalf("the build returned %v; want a *diag.BuildError", err)
	}
	for _, tc := range want {
		if tc.msg == "" {
			continue
		}
		if !hasProblem(be.Problems, tc) {
			t.Errorf("%s: no problem %s:%d:%d: %q among:\n%s", tc.name, tc.file, tc.line, tc.col, tc.msg, listProblems(be.Problems))
		}
	}
}

// safeBuild builds, turning a panic into a test failure.
func safeBuild(t *testing.T, o Options) (res *Result, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("the build panicked: %v", r)
		}
	}()
	return Build(context.Background(), o)
}

func hasProblem(ps []*diag.Problem, tc badCase) bool {
	for _, p := range ps {
		if p.File == tc.file && p.Line == tc.line && p.Col == tc.col && strings.Contains(p.Msg, tc.msg) && strings.Contains(p.Hint, tc.hint) && p.Hint != "" && strings.Contains(p.Source, tc.source) {
			return true
		}
	}
	return false
}

func listProblems(ps []*diag.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  %s [hint: %s]\n", p.Position()+": "+p.Msg, p.Hint)
	}
	return b.String()
}

// hashTree hashes every path, mode, link target and byte under dir.
func hashTree(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s\x00%v\x00", filepath.ToSlash(rel), fi.Mode())
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00", target)
		case fi.Mode().IsRegular():
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			fmt.Fprintf(h, "%d\x00", fi.Size())
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// entries lists the top of the site folder, where a build's temporary
// output folder would be left behind.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, de := range des {
		out = append(out, de.Name())
	}
	slices.Sort(out)
	return out
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		write(t, dir, name, data)
	}
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// stamp is a WebVTT time i milliseconds in.
func stamp(i int) string {
	d := time.Duration(i) * time.Millisecond
	return fmt.Sprintf("%02d:%02d:%02d.%03d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60, i%1000)
}

// utf16 encodes ASCII text as UTF-16 little-endian with its byte-order
// mark, as Windows editors save "Unicode" files.
func utf16(s string) string {
	var b strings.Builder
	b.WriteString("\xff\xfe")
	for _, c := range []byte(s) {
		b.WriteByte(c)
		b.WriteByte(0)
	}
	return b.String()
}

// TestPanicBecomesProblem: a panic in a page's job (a bug in otpress) is
// reported as a problem like any other, and the other jobs still run.
func TestPanicBecomesProblem(t *testing.T) {
	var probs diag.List
	b := &builder{ctx: context.Background(), probs: &probs}
	var ran atomic.Int32
	b.run(func(emit func(job)) {
		emit(func() { panic("index out of range [3] with length 3") })
		for range 10 {
			emit(func() { ran.Add(1) })
		}
	})
	all := probs.All()
	if len(all) != 1 || all[0].Msg != "internal error: index out of range [3] with length 3" || !strings.Contains(all[0].Hint, "please report it") {
		t.Errorf("problems = %v", all)
	}
	if ran.Load() != 10 {
		t.Errorf("%d of 10 other jobs ran", ran.Load())
	}
}

// gzipText is text compressed as gzip, as an .svgz file holds it.
func gzipText(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}
