package content

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ScaffoldKinds are the kinds "generator new" can start.
var ScaffoldKinds = []string{"story", "episode", "feature", "theme", "pack"}

// ScaffoldPath is where a new file of a kind with a title goes, relative to
// the site folder. Episodes are bundles, so their audio and transcript sit
// next to the page.
func ScaffoldPath(kind, title string) string {
	slug := Slug(title)
	switch kind {
	case "theme":
		return fmt.Sprintf("%s/%s/%s.md", Dir, ThemesSection, slug)
	case "pack":
		return fmt.Sprintf("%s/%s/%s.md", Dir, PacksSection, slug)
	case "episode":
		return fmt.Sprintf("%s/%s/%s/index.md", Dir, Episode.Section(), slug)
	}
	return fmt.Sprintf("%s/%s/%s.md", Dir, Kind(kind).Section(), slug)
}

// Scaffold is the text of a new content file: every field of the kind, the
// optional ones commented out, each with a line saying what it is for. New
// items start as drafts, so an unfinished file never breaks a build.
func Scaffold(kind, title string, now time.Time) string {
	q := yamlQuote(title)
	var b strings.Builder
	b.WriteString("---\n")
	if kind == "theme" {
		fmt.Fprintf(&b, `# The theme's name as readers see it.
title: %s
# One sentence on what the theme covers; shown in lists.
summary: ""
# Other names and spellings that mean this theme, e.g. [coproduction].
aliases: []
# The slug of a wider theme this one belongs to, e.g. personalised-care.
# broader: personalised-care
---
Describe the theme in two to four sentences: what it means in occupational
therapy practice, and what readers will find under it.
`, q)
		return b.String()
	}
	if kind == "pack" {
		fmt.Fprintf(&b, `# The pack's name as learners see it.
title: %s
# Remove this line (or set it to false) to publish.
draft: true
# One or two sentences: what the pack covers and when to use it.
summary: ""
# Who the pack is for, e.g. "Community OT teams and new starters".
audience: ""
# What learners will be able to do afterwards, one a line.
outcomes: []
# The stories, episodes and features, in the order to work through them:
# ref is the content path (stories/denis), note says why it is here, and
# questions are for reflection on that item.
items:
#  - ref: stories/denis
#    note: ""
#    questions: []
# Reflection questions for the whole pack.
questions: []
# Theme slugs or names; by default, the themes its items share most.
themes: []
# The last part of the address; defaults to the file name.
# slug: my-pack
---
Say how to use the pack: alone or as a team, in one session or over a month.
`, q)
		return b.String()
	}
	fmt.Fprintf(&b, `# The page title, shown as the main heading.
title: %s
# Publication date: 2019-04-01, or with a time 2019-04-01T09:30:00Z.
date: %s
# When the page last changed in a way readers should know (corrections, new
# evidence); shown on the page and in feeds.
# updated: %s
# The day the page leaves the site (an event that has passed, guidance
# replaced): builds from that day leave it out and list it.
# expires: 2030-01-01
# Remove this line (or set it to false) to publish.
draft: true
# One or two sentences for lists, search results and link previews.
summary: ""
# Theme slugs or names; each links to its theme page. "tags" also works.
themes: []
# Who wrote this page.
authors: []
# The last part of the address; defaults to the file name.
# slug: my-page
# Old addresses that should redirect here.
# aliases: [/old/address/]
# A picture and its text alternative (describe what it shows).
# image: {src: photo.jpg, alt: "What the picture shows"}
`, q, now.Format(time.DateOnly), now.Format(time.DateOnly))
	if kind == "feature" {
		b.WriteString(`# Where the feature appeared: publication and issue are required.
sources:
  - title: ""
    publication: OTnews
    issue: ""
    page: ""
    # url: https://...
    # date: 2019-04
`)
	} else {
		b.WriteString(`# The works this page is based on or cites.
sources: []
#  - title: ""
#    publication: ""
#    issue: ""
#    page: ""
#    url: https://...
#    date: 2019-04
`)
	}
	switch kind {
	case "story":
		b.WriteString(`# The person at the centre: a first name or a pseudonym (say which in the text).
person: ""
# Where the work happened, e.g. "At home; county council adult social care".
setting: ""
# The person's own goals, in their words where possible.
goals: []
# The milestones, in order.
steps: []
# Measured changes; before and after must be numbers. Use a measure's name
# from [[measures]] in site.toml (or one of its aliases) so the figures are
# counted with other stories' on /evidence/ and theme pages.
outcomes: []
#  - measure: Care visits a day
#    before: 4
#    after: 0
#    unit: visits
#    note: ""
`)
	case "episode":
		fmt.Fprintf(&b, "# The episode's id in the podcast feed: apps use it to tell episodes apart,\n# so never change it, even if the title or address changes.\nguid: %s\n",
			uuid.NewSHA1(uuid.NameSpaceURL, []byte("otpress:episode:"+title+":"+now.Format(time.RFC3339Nano))))
		b.WriteString(`# Episode and season numbers.
# episode: 1
# season: 1
# The sound file next to this page, or {src: https://..., type: audio/mpeg, bytes: 26000000}.
# audio: episode.mp3
# Length as HH:MM:SS.
# duration: "00:42:10"
# The WebVTT transcript next to this page; required when there is audio.
# transcript: transcript.vtt
# Chapters, as links into the audio; or the name of a Podcasting 2.0
# chapters file next to this page, e.g. chapters: chapters.json.
# chapters:
#  - {start: "00:00", title: Introductions}
#  - {start: "12:30", title: ""}
# People on the episode.
hosts: []
#  - {name: "", role: ""}
guests: []
#  - {name: "", role: ""}
`)
	}
	b.WriteString("---\n")
	switch kind {
	case "story":
		b.WriteString("## What mattered to them\n\nWrite the story in your own words. Quote people briefly and say who said it.\n")
	case "episode":
		b.WriteString("## In this episode\n\nSay what the episode covers and who speaks.\n")
	case "feature":
		b.WriteString("## Summary\n\nSummarise the feature in your own words and cite it in sources.\n")
	}
	return b.String()
}

// yamlQuote writes s as a double-quoted YAML string.
func yamlQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ", "\t", " ")
	return `"` + r.Replace(s) + `"`
}
