package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/otpress/otpress/generator/internal/sitetest"
)

// Limits before parsing: nesting and floods are refused at their place,
// within a CPU ceiling far below what they once took (40,000 levels of
// YAML: 28 s and 2.5 GB; 200 KB of "- " or "[a](": 40 to 67 s), and 2 MB
// files of the markup that was slow build within theirs. Raw HTML let
// through is checked, and addresses that run script are refused wherever
// they are written. The files are made when a row runs (setup), not here:
// every command the rows run is this test binary, and runs init too.
func init() {
	story := func(front, body string) map[string]string {
		return map[string]string{"content/stories/deep.md": "---\ntitle: Deep\ndate: 2019-04-01\n" + front + "---\n" + body}
	}
	toml := func(front string) map[string]string {
		return map[string]string{"content/stories/deep.md": "+++\ntitle = \"Deep\"\ndate = 2019-04-01\n" + front + "+++\nText.\n"}
	}
	const deep = 100_000
	refused := func(name string, files func() map[string]string, want string) hostile {
		return hostile{name: name, setup: write(files), exit: 1, cpu: 2, want: []string{want}}
	}
	noChapters := func() string {
		return strings.Replace(episode, "chapters:\n  - {start: \"00:00\", title: Welcome}\n  - {start: \"01:23\", title: The hoist goes back, url: \"https://example.org/hoists\"}\n", "chapters: chapters.json\n", 1)
	}
	addHostile(
		refused("YAML nested 100,000 deep in flow", func() map[string]string {
			return story("x: "+strings.Repeat("[", deep)+strings.Repeat("]", deep)+"\n", "Text.\n")
		}, `content/stories/deep\.md:4:35: lists and fields are nested more than 32 levels deep here; otpress allows 32`),
		refused("YAML nested 100,000 deep in blocks", func() map[string]string {
			return story("x:\n  "+strings.Repeat("- ", deep)+"x\n", "Text.\n")
		}, `content/stories/deep\.md:5:65: lists and fields are nested more than 32`),
		refused("a billion laughs in YAML", func() map[string]string {
			laughs := "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
			for i := 1; i < 9; i++ {
				laughs += fmt.Sprintf("a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
			}
			return story(laughs+"summary: *a8\n", "Text.\n")
		}, `content/stories/deep\.md:7:45: the aliases up to here repeat more than 10000 values; otpress allows 10000`),
		refused("TOML inline tables 10,000 deep", func() map[string]string {
			return toml("x = " + strings.Repeat("{a = ", deep/10) + "1" + strings.Repeat("}", deep/10) + "\n")
		}, `content/stories/deep\.md:4:160: lists and tables are nested more than 32`),
		refused("a TOML table header 100,000 deep", func() map[string]string {
			return toml("[" + strings.TrimSuffix(strings.Repeat("a.", deep), ".") + "]\nb = 1\n")
		}, `content/stories/deep\.md:4:63: tables are nested more than 32`),
		refused("site.toml nested 100,000 deep", func() map[string]string {
			return map[string]string{"site.toml": everythingTOML + "x = " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n"}
		}, `site\.toml:11:35: lists and tables are nested more than 32`),
		refused("front matter of 2 MB", func() map[string]string {
			return story("summary: "+strings.Repeat("x", 2_000_000)+"\n", "Text.\n")
		}, `content/stories/deep\.md:4:1: the front matter is longer than 256 KB by this line`),
		refused("100,000 lists on one line", func() map[string]string {
			return story("", strings.Repeat("- ", deep)+"x\n")
		}, `content/stories/deep\.md:5:65: lists and block quotes are nested more than 32 levels deep here; otpress allows 32`),
		refused("100,000 block quotes on one line", func() map[string]string {
			return story("", strings.Repeat("> ", deep)+"x\n")
		}, `content/stories/deep\.md:5:65: lists and block quotes are nested more than 32`),
		refused("a list nested 1,200 deep by indenting", func() map[string]string {
			var b strings.Builder
			for i := range 1200 {
				b.WriteString(strings.Repeat("  ", i) + "- x\n")
			}
			return story("", b.String())
		}, `content/stories/deep\.md:37:65: lists and block quotes are nested more than 32`),
		refused("100,000 link addresses left open", func() map[string]string {
			return story("", strings.Repeat("[a](", deep)+"\n")
		}, `content/stories/deep\.md:5:132: more than 32 link addresses \]\( are open here`),
		refused("100,000 brackets left open", func() map[string]string {
			return story("", strings.Repeat("[", deep)+strings.Repeat("]", deep)+"\n")
		}, `content/stories/deep\.md:5:33: more than 32 brackets \[ are open here`),
		refused("2 MB of emphasis marks in one paragraph", func() map[string]string {
			return story("", strings.Repeat("*a", 1_000_000)+"\n")
		}, `content/stories/deep\.md:5:401: this paragraph has more than 200 runs of \*, _ or ~`),
		refused("500,000 reference links", func() map[string]string {
			return story("", "[r]: /stories/rose/\n\n"+strings.Repeat("[r] ", 500_000)+"\n")
		}, `content/stories/deep\.md:7:79997: the text has more than 20000 links, pictures, citations and other brackets`),
		refused("500,000 headings", func() map[string]string {
			return story("", strings.Repeat("# a\n", 500_000))
		}, `content/stories/deep\.md:5005:1: the text has more than 5000 headings`),
		refused("emphasis marks that never match", func() map[string]string {
			return story("", strings.Repeat("*a_", 600_000)+"\n")
		}, `content/stories/deep\.md:5:301: this paragraph has more than 200 runs of \*, _ or ~`),
		refused("60,000 cues in a transcript", func() map[string]string {
			return map[string]string{"content/episodes/ep1/transcript.vtt": cues(60_000)}
		}, `content/episodes/ep1/transcript\.vtt:60003:1: the transcript has more than 20000 cues; otpress allows 20000`),
		refused("50,000 chapters in chapters.json", func() map[string]string {
			return map[string]string{"content/episodes/ep1/index.md": noChapters(), "content/episodes/ep1/chapters.json": chaptersJSON(50_000)}
		}, `content/episodes/ep1/chapters\.json:1002:1: the file has more than 1000 chapters; otpress allows 1000`),
		refused("a chapter's url that runs script", func() map[string]string {
			return map[string]string{"content/episodes/ep1/index.md": strings.Replace(episode, `url: "https://example.org/hoists"`, `url: "javascript:alert(document.domain)"`, 1)}
		}, `content/episodes/ep1/index\.md:12:55: the chapter's url is a javascript: address`),
		refused("a chapter starting at 1e308 seconds", func() map[string]string {
			return map[string]string{
				"content/episodes/ep1/index.md":      noChapters(),
				"content/episodes/ep1/chapters.json": "{\"version\": \"1.2.0\", \"chapters\": [\n  {\"startTime\": 0, \"title\": \"Welcome\"},\n  {\"startTime\": 1e308, \"title\": \"Later\"}]}\n",
			}
		}, `content/episodes/ep1/chapters\.json:3:17: chapter 2's startTime 1e\+308 is out of range`),
		refused("a javascript: link written with a character reference", func() map[string]string {
			return story("", "See [the help page](&#106;avascript:alert(1)).\n")
		}, `content/stories/deep\.md:5:5: a link to a javascript: address is refused`),
		refused("raw HTML let through with onerror=", func() map[string]string {
			return map[string]string{
				"site.toml":               everythingTOML + "[markup]\nunsafe = true\n",
				"content/stories/deep.md": "---\ntitle: Deep\ndate: 2019-04-01\n---\nText <img src=\"x.png\" alt=\"\" onerror=\"alert(1)\">.\n",
			}
		}, `content/stories/deep\.md:5:30: the event-handler attribute onerror= runs script`),
		refused("raw HTML let through with an iframe, a refresh and a base", func() map[string]string {
			return map[string]string{
				"site.toml":               everythingTOML + "[markup]\nunsafe = true\n",
				"content/stories/deep.md": "---\ntitle: Deep\ndate: 2019-04-01\n---\n<iframe src=\"https://evil.example/\"></iframe>\n<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">\n<base href=\"https://evil.example/\">\n",
			}
		}, `(?s)content/stories/deep\.md:5:1: <iframe>.*deep\.md:6:7: <meta http-equiv="refresh">.*deep\.md:7:1: <base>`),
		refused("raw HTML with a javascript: address made of references", func() map[string]string {
			return map[string]string{
				"site.toml":               everythingTOML + "[markup]\nunsafe = true\nallow = [\"iframe\"]\n",
				"content/stories/deep.md": "---\ntitle: Deep\ndate: 2019-04-01\n---\n<a href=\"&#x6A;ava&#x09;script&colon;alert(1)\">help</a>\n",
			}
		}, `content/stories/deep\.md:5:4: the javascript: address in href=`),
		refused("[markup] allow naming what cannot be allowed", func() map[string]string {
			return map[string]string{"site.toml": everythingTOML + "[markup]\nunsafe = true\nallow = [\"iframe\", \"onclick\"]\n"}
		}, `(?s)site\.toml:13:20: "onclick" cannot be allowed.*fix: event handlers`),
	)
	// 2 MB files of the markup that once was slow build within a ceiling,
	// or, past a count, are refused at once
	shape := func(name string) func() map[string]string {
		return func() map[string]string {
			files := map[string]string{}
			for p, data := range shapes()[name] {
				files[strings.Replace(p, "content/stories/h.md", "content/stories/big.md", 1)] = data
			}
			return files
		}
	}
	for _, name := range slices.Sorted(maps.Keys(fine)) {
		addHostile(hostile{name: "2 MB: " + name, setup: write(shape(name)), exit: 0, changes: true, cpu: fine[name], memMB: 1024})
	}
	for _, name := range slices.Sorted(maps.Keys(tooMany)) {
		addHostile(refused("2 MB: "+name, shape(name), `content/stories/big\.md:\d+:\d+: the text has more than `+tooMany[name]))
	}
	// the most of each that is let through builds within the same ceiling
	const elements, quotes = 49_000, 99_000
	for _, c := range []struct{ name, body string }{
		{"list items", strings.Repeat("- a\n", elements)},
		{"table cells", "|a|\n|-|\n" + strings.Repeat("|x|\n", elements/2-2)},
		{"bare e-mail addresses", strings.Repeat("a@b.c ", elements)},
		{"bare www. addresses", strings.Repeat("www.a.b ", elements)},
		{"quotation marks", strings.Repeat("\"a' ", quotes/2)},
	} {
		addHostile(hostile{name: "just under the limit: " + c.name, setup: write(func() map[string]string { return story("", c.body) }),
			exit: 0, changes: true, cpu: 2, memMB: 1024})
	}
}

// shapes are sitetest.Shapes by name, made once, when a row needs them.
var shapes = sync.OnceValue(func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, sh := range sitetest.Shapes() {
		out[sh.Name] = sh.Files
	}
	return out
})

// write is a row's setup that writes the files files makes into the site,
// for nobody to read.
func write(files func() map[string]string) func(t *testing.T, site, tmp string) {
	return func(t *testing.T, site, tmp string) {
		for name, data := range files() {
			p := filepath.Join(site, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// fine are the shapes of sitetest.Shapes that build, flat and within
// every limit, 2 MB each, with the CPU seconds each may take: about twice
// what the build of the base site with it took (under a second; the base
// site alone 0.26 s; bench/HOSTILE.md has the figures).
var fine = map[string]int{
	"md-long-line": 2, "md-paragraph": 2, "md-emph-under": 2, "md-backticks": 2, "md-backtick-runs": 2,
	"md-entities": 2, "md-newlines": 2, "md-quote-flat": 2, "md-code-fence": 2,
}

// tooMany are the shapes refused for their count of elements
// (markdown.MaxElements) or quotation marks (MaxQuotes), with how the
// message goes on.
var tooMany = map[string]string{
	"md-list-flat": "50000 list items", "md-deflists": "50000 list items", "md-hr": "50000 list items",
	"md-table-rows": "50000 list items", "md-table-cols": "50000 list items", "md-lt": "50000 list items",
	"md-autolinks": "50000 list items", "md-linkify-at": "50000 list items", "md-linkify-www": "50000 list items",
	"md-typographer": "100000 quotation marks",
}

// everythingTOML is the base site's site.toml, for rows that add to it.
const everythingTOML = `title = "Test OT site"
description = "Stories for the golden tests."
base_url = "https://example.org/ot/"
paginate = 2
copyright = "Test copyright"

[podcast]
owner_email = "pod@example.org"
image = "https://example.org/cover.png"
hosts = ["Sam Host"]
`

// episode is the base site's episode page.
const episode = `---
title: Rebuilding lives
date: 2026-11-23T10:30:00Z
summary: The episode.
episode: 72
season: 3
audio: audio.mp3
duration: "01:02:03"
transcript: transcript.vtt
chapters:
  - {start: "00:00", title: Welcome}
  - {start: "01:23", title: The hoist goes back, url: "https://example.org/hoists"}
hosts: [{name: Sam Host, role: presenter}]
guests:
  - {name: Zoe Phillips, role: occupational therapist}
  - {name: Denis}
themes: [rehab-potential]
---
## In this episode

Talk.
`

// cues is a transcript of n cues of a word each.
func cues(n int) string {
	var b strings.Builder
	b.WriteString("WEBVTT\n")
	for i := range n {
		fmt.Fprintf(&b, "\n%02d:%02d:%02d.000 --> %02d:%02d:%02d.500\nx\n", i/3600, i/60%60, i%60, i/3600, i/60%60, i%60)
	}
	return b.String()
}

// chaptersJSON is a chapters file of n chapters, one a line.
func chaptersJSON(n int) string {
	var b strings.Builder
	b.WriteString(`{"version": "1.2.0", "chapters": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n{\"startTime\": %d, \"title\": \"c\"}", i)
	}
	b.WriteString("]}\n")
	return b.String()
}
