package site_test

import (
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestPackPages: the pack's page lists its items in order with their
// notes, times and questions; the print page has every item in full with
// ids that cannot clash; the items name their neighbours; /packs/ and the
// navigation lead to the pack.
func TestPackPages(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	s.AssertFileContains("packs/personalised-care/index.html", `
		<h1>Personalised care in practice</h1>
		<dt>For</dt><dd>Community occupational therapy teams</dd>
		# Denis's text and goals at 200 words a minute, the episode's length, its notes
		<dt>Time</dt><dd><time datetime="PT66M">About 1 hour 6 minutes</time></dd>
		<a class="button" href="/ot/stories/denis/">Start with item 1: Denis walks to his kitchen</a>
		<a href="/ot/packs/personalised-care/print/">
		<h3><a href="/ot/stories/denis/">Denis walks to his kitchen</a></h3>
		<p class="meta">Story · about 1 minute&#39;s reading</p>
		<p><strong>Why it is here:</strong> Start here.</p>
		<li>Which goals were his own?</li>
		<p class="meta">Episode · 63 minutes&#39; listening and 1 minute&#39;s reading</p>
		<h2 id="pack-questions-heading">Questions for the whole pack</h2>
		"@type":"LearningResource"
		"timeRequired":"PT66M"
	`)
	print := s.Read("packs/personalised-care/print/index.html")
	for _, want := range []string{
		`<h2 id="p1-title"><span class="entry-number">1.</span> Denis walks to his kitchen</h2>`,
		`<h3 id="p1-where-he-started">Where he started</h3>`, // the story's "##", a level down, prefixed
		`<a href="#p1-where-he-started">a note</a>`,
		`<h3 id="p2-in-this-episode">In this episode</h3>`,
		`<span class="speaker">Zoe Phillips:</span> The hoist went back to the store in the spring.</p>`, // the transcript
		`<span class="publication">OTnews</span>, April 2019, page 15.`,                                  // sources
		`<li><p>Which goals were his own?</p><div class="write-space"></div></li>`,
		`<h2 id="cpd-heading">CPD reflection</h2>`,
		`<dt>Now what? What will I do differently?</dt>`,
		`<meta name="robots" content="noindex">`,
	} {
		if !strings.Contains(print, want) {
			t.Errorf("print page lacks %s", want)
		}
	}
	s.AssertFileContains("features/phb/index.html", `
		<nav class="pack-nav" aria-label="Learning pack: Personalised care in practice">
		<p>Item 3 of 3 in the learning pack
		<a href="/ot/episodes/ep1/" rel="prev"><span class="dir">Previous item:</span> Rebuilding lives</a>
		<a href="/ot/packs/personalised-care/"><span class="dir">Last item:</span> back to the pack and its questions</a>
	`)
	s.AssertFileContains("stories/rose/index.html", `
		! pack-nav
		<a href="/ot/packs/">Learning packs</a>
	`)
	s.AssertFileContains("packs/index.html", `
		<h2><a href="/ot/packs/personalised-care/">Personalised care in practice</a></h2>
		<p class="meta">3 items · <time datetime="PT66M">About 1 hour 6 minutes</time> · for Community occupational therapy teams</p>
	`)
	s.AssertFileContains("sitemap.xml", `
		<loc>https://example.org/ot/packs/personalised-care/</loc>
		! /print/
	`)
}

// TestPackProblems: a pack naming a theme or an item the site does not
// have fails the build with every problem at its place, and the output
// stays as it was.
func TestPackProblems(t *testing.T) {
	s := sitetest.Build(t, fixture(t, "everything"))
	before := s.Read("packs/personalised-care/index.html")
	pack := readFixtureFile(t, s, "content/packs/personalised-care.md")
	bad := strings.Replace(pack, "  - episodes/ep1\n", "  - episodes/ep2\n", 1)
	bad = strings.Replace(bad, "questions:\n  - What will", "themes: [co-producton]\nquestions:\n  - What will", 1)
	s.Edit("content/packs/personalised-care.md", bad).Rebuild()
	got := strings.Join(s.Problems(), "\n")
	for _, want := range []string{
		"content/packs/personalised-care.md:13:5: episodes/ep2 is not a story, episode or feature of this site; did you mean episodes/ep1",
		`content/packs/personalised-care.md:16:10: theme "co-producton" is not a theme of this site; did you mean co-production? a pack names themes`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems:\n%s\nwant %s", got, want)
		}
	}
	if s.Read("packs/personalised-care/index.html") != before {
		t.Error("a failed build changed the output")
	}
}
