package sitetest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Shape is one hostile or merely unusual file: a shape of input that once
// made a build slow, added to HostileBase. BenchmarkHostile (package site)
// times a build of each; bench/HOSTILE.md records the figures.
type Shape struct {
	Name  string
	Files map[string]string
}

// HostileBase is the small good site each Shape is added to: a story, an
// episode bundle with audio and transcript, and a theme.
var HostileBase = map[string]string{
	"site.toml": "title = \"Hostile\"\nbase_url = \"https://example.org/\"\n",
	"content/stories/denis.md": "---\ntitle: Denis walks to his kitchen\ndate: 2019-04-01\nperson: Denis\nthemes: [co-production]\n---\n" +
		"Denis wanted to walk to his kitchen again.\n",
	"content/episodes/ep1/index.md":  episode(""),
	"content/episodes/ep1/audio.mp3": "ID3 fake audio bytes\n",
	"content/episodes/ep1/transcript.vtt": "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n<v Sam>Hello and welcome to a show about occupational therapy.\n\n" +
		"00:00:05.000 --> 00:00:10.000\n<v Zoe>Denis walked to his kitchen again after a year in bed.\n",
	"content/themes/co-production.md": "---\ntitle: Co-production\n---\nWorking together with the people who use services.\n",
}

func episode(meta string) string {
	return "---\ntitle: Rebuilding lives\ndate: 2019-05-01\nepisode: 72\naudio: audio.mp3\nduration: \"99:00:00\"\ntranscript: transcript.vtt\nthemes: [co-production]\n" +
		meta + "---\nTalk about rebuilding lives.\n"
}

// HostileSize is about the size of each flat shape: a little under the
// 2 MB a content file may have.
const HostileSize = 2_000_000

// fill repeats unit up to about HostileSize bytes.
func fill(unit string) string { return strings.Repeat(unit, HostileSize/len(unit)) }

// nest is how deep the nesting shapes nest: 200 KB of "- " or "> ".
const nest = 100_000

func story(body string) map[string]string {
	return map[string]string{"content/stories/h.md": "---\ntitle: Hostile\ndate: 2019-04-01\n---\n" + body}
}

func yamlStory(meta string) map[string]string {
	return map[string]string{"content/stories/h.md": "---\ntitle: Hostile\ndate: 2019-04-01\n" + meta + "\n---\nText.\n"}
}

func tomlStory(meta string) map[string]string {
	return map[string]string{"content/stories/h.md": "+++\ntitle = \"Hostile\"\ndate = 2019-04-01\n" + meta + "\n+++\nText.\n"}
}

func numbered(format string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i, i)
	}
	return b.String()
}

// Shapes lists every shape, nesting first, then the big flat ones.
func Shapes() []Shape {
	var indented, backticks strings.Builder
	for i := range 1200 {
		indented.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	for i := 1; backticks.Len() < HostileSize; i++ {
		backticks.WriteString(strings.Repeat("`", i%2000+1) + "a")
	}
	laughs := "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"
	for i := 1; i < 9; i++ {
		laughs += fmt.Sprintf("\na%d: &a%d [%s]", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	var cues strings.Builder
	cues.WriteString("WEBVTT\n")
	for i := 0; cues.Len() < HostileSize; i++ {
		cues.WriteString("\n" + stamp(i*10) + " --> " + stamp(i*10+5) + "\nx\n")
	}
	type chapter struct {
		StartTime int    `json:"startTime"`
		Title     string `json:"title"`
	}
	var chs []chapter
	for i := range 50000 { // 1.8 MB
		chs = append(chs, chapter{i, "c"})
	}
	chJSON, _ := json.Marshal(map[string]any{"version": "1.2.0", "chapters": chs})
	var chFM strings.Builder
	for i := range 60000 {
		fmt.Fprintf(&chFM, "  - {start: \"%d:%02d:%02d\", title: c}\n", i/3600, i/60%60, i%60)
	}
	var tableRows strings.Builder
	tableRows.WriteString("|" + strings.Repeat("a|", 1000) + "\n|" + strings.Repeat("-|", 1000) + "\n")
	for tableRows.Len() < HostileSize-2100 {
		tableRows.WriteString("|" + strings.Repeat("x|", 1000) + "\n")
	}
	return []Shape{
		// front matter
		{"yaml-flow-seq-deep", yamlStory("x: " + strings.Repeat("[", nest) + strings.Repeat("]", nest))},
		{"yaml-flow-map-deep", yamlStory("x: " + strings.Repeat("{a: ", nest) + "1" + strings.Repeat("}", nest))},
		{"yaml-block-seq-deep", yamlStory("x:\n  " + strings.Repeat("- ", nest) + "x")},
		{"yaml-billion-laughs", yamlStory(laughs + "\nsummary: *a8")},
		{"yaml-100k-keys", yamlStory(numbered("k%d: v%d\n", 100000))},
		{"yaml-2mb-string", yamlStory("summary: " + strings.Repeat("x", HostileSize))},
		{"yaml-long-flow-seq", yamlStory("themes: [" + numbered("t%d, t%d, ", 100000) + "t]")},
		{"yaml-many-anchors", yamlStory(numbered("k%d: &a%d v\n", 60000))},
		{"toml-array-deep", tomlStory("x = " + strings.Repeat("[", nest) + strings.Repeat("]", nest))},
		{"toml-inline-deep", tomlStory("x = " + strings.Repeat("{a = ", nest) + "1" + strings.Repeat("}", nest))},
		{"toml-header-deep", tomlStory("[" + strings.TrimSuffix(strings.Repeat("a.", nest), ".") + "]\nb = 1")},
		{"toml-dotted-key-deep", tomlStory(strings.TrimSuffix(strings.Repeat("a.", nest), ".") + " = 1")},
		{"toml-100k-keys", tomlStory(numbered("k%d = \"v%d\"\n", 100000))},
		{"toml-long-array", tomlStory("themes = [" + numbered("\"t%d\", \"t%d\", ", 100000) + "\"t\"]")},
		// Markdown nesting
		{"md-list-dash", story(strings.Repeat("- ", nest) + "x\n")},
		{"md-list-ordered", story(strings.Repeat("1. ", nest) + "x\n")},
		{"md-list-indented-1200", story(indented.String())},
		{"md-quote", story(strings.Repeat("> ", nest) + "x\n")},
		{"md-link-open", story(strings.Repeat("[a](", nest) + "\n")},
		{"md-image-open", story(strings.Repeat("![a](", nest) + "\n")},
		{"md-brackets", story(strings.Repeat("[", nest) + strings.Repeat("]", nest) + "\n")},
		{"md-brackets-at", story(strings.Repeat("[", HostileSize) + "@\n")},
		// Markdown, big and flat
		{"md-long-line", story(fill("word ") + "\n")},
		{"md-paragraph", story(fill("word word word word word word word word word\n"))},
		{"md-emph-star", story(fill("*a"))},
		{"md-emph-under", story(fill("_"))},
		{"md-emph-under-a", story(fill("_a"))},
		{"md-emph-mixed", story(fill("*a_"))},
		{"md-strike", story(fill("~~a"))},
		{"md-backticks", story(fill("`"))},
		{"md-backtick-runs", story(backticks.String())},
		{"md-lt", story(fill("<"))},
		{"md-lt-a", story(fill("<a"))},
		{"md-raw-html", story(fill("<span>x</span> "))},
		{"md-html-comment", story("<!--" + fill("a"))},
		{"md-table-cols", story("|" + strings.Repeat("a|", 300000) + "\n|" + strings.Repeat("-|", 300000) + "\n")},
		{"md-table-rows", story("|a|b|\n|-|-|\n" + fill("|x|y|\n"))},
		{"md-table-wide-rows", story(tableRows.String())},
		{"md-footnotes", story(numbered("x[^%d]\n\n[^%d]: note\n\n", 70000))},
		{"md-footnote-refs", story(fill("[^a]") + "\n\n[^a]: note\n")},
		{"md-deflists", story(fill("term\n: def\n\n"))},
		{"md-linkrefs", story(numbered("[r%d]: /x%d\n", 100000))},
		{"md-linkref-uses", story("[r]: /x\n\n" + fill("[r] "))},
		{"md-links", story(fill("[a](/b) "))},
		{"md-links-adjacent", story(fill("[](/b)"))},
		{"md-images", story(fill("![a](/b.png) "))},
		{"md-autolinks", story(fill("<https://a.b> "))},
		{"md-autolinks-adjacent", story(fill("<https://a.b>"))},
		{"md-headings-same", story(fill("## Same\n\n"))},
		{"md-headings-numbered", story(numbered("## Same\n\n## Same-%d %d\n\n", 50000))},
		{"md-h1", story(fill("# a\n"))},
		{"md-setext", story(fill("a\n=\n"))},
		{"md-hr", story(fill("***\n"))},
		{"md-citations", story(fill("[@id] "))},
		{"md-linkify-www", story(fill("www.a.b "))},
		{"md-linkify-at", story(fill("a@b.c "))},
		{"md-linkify-url", story(fill("https://a.b/c "))},
		{"md-typographer", story(fill("\"a' "))},
		{"md-typographer-dash", story(fill("-- ... "))},
		{"md-entities", story(fill("&amp;"))},
		{"md-code-fence", story("```\n" + fill("x\n"))},
		{"md-code-fences-many", story(fill("```\nx\n```\n"))},
		{"md-tasklist", story(fill("- [ ] a\n"))},
		{"md-list-flat", story(fill("- a\n"))},
		{"md-quote-flat", story(fill("> a\n"))},
		{"md-backslash", story(fill("\\"))},
		{"md-newlines", story("x" + strings.Repeat("\n", HostileSize))},
		// transcripts and chapters
		{"vtt-tiny-cues", map[string]string{"content/episodes/ep1/transcript.vtt": cues.String()}},
		{"chapters-json", map[string]string{
			"content/episodes/ep1/index.md":      episode("chapters: chapters.json\n"),
			"content/episodes/ep1/chapters.json": string(chJSON),
		}},
		{"chapters-front-matter", map[string]string{"content/episodes/ep1/index.md": episode("chapters:\n" + chFM.String())}},
	}
}

// stamp is a WebVTT time of ms milliseconds.
func stamp(ms int) string {
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}
