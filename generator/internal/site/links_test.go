package site_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/linkcheck"
	"github.com/otpress/otpress/generator/internal/picture/picturetest"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
)

const linkSite = `
-- site.toml --
title = "Links"
base_url = "https://example.org/ot/"
-- content/stories/denis.md --
---
title: Denis walks again
date: 2019-04-01
---
## Small steps

A year in bed, then [Rose's story](rose.md) and [her goals](rose.md#her-goals).
-- content/stories/rose.md --
---
title: Rose
date: 2019-04-02
---
## Her goals

See [the feature](../features/nope.md), [Denis](/stories/denis/#small-step)
and [Denis again](/stories/denis/#small-steps).

![The kitchen door](door.jpg) ![A plan](plan.svg)

[Themes](/themes/) and [the feed](/atom.xml) and [outside](/../etc/passwd).
-- content/stories/plan.svg --
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"/>
`

// TestInternalLinks: Markdown links and pictures are looked up in the
// finished output. A build warns; check makes them errors, each at the
// link's line and column, with the nearest page or heading suggested.
func TestInternalLinks(t *testing.T) {
	s := sitetest.Write(t, linkSite)
	s.Rebuild()
	if got := strings.Join(s.Problems(), "\n"); !strings.Contains(got, `content/stories/rose.md:10:1: the picture "door.jpg" was not found: the site has nothing at /stories/door.jpg; put the picture next to`) {
		t.Errorf("a missing picture is not an error of the build:\n%s", got)
	}
	s.Edit("content/stories/door.jpg", cover(t, 4, 3))
	s.Rebuild()
	if s.Err != nil {
		t.Fatalf("a build stopped for links: %v", s.Err)
	}
	want := []string{
		`content/stories/rose.md:7:5: warning: the link "../features/nope.md" goes nowhere: the site has nothing at /features/nope.md`,
		`content/stories/rose.md:7:41: warning: the link "/stories/denis/#small-step" goes to /stories/denis/, which has no part called #small-step`,
		"did you mean #small-steps?",
		`content/stories/rose.md:12:50: warning: the link "/../etc/passwd" leads outside the site`,
	}
	got := strings.Join(s.Warnings(), "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("the build's warnings lack %q:\n%s", w, got)
		}
	}
	for _, bad := range []string{"rose.md#her-goals", `"/themes/"`, "atom.xml", "small-steps\" goes", "plan.svg"} {
		if strings.Contains(got, bad) {
			t.Errorf("a working link was reported (%s):\n%s", bad, got)
		}
	}

	os.RemoveAll(s.Out)
	os.Remove(filepath.Join(s.Dir, "content/stories/door.jpg"))
	probs, _, err := site.Check(context.Background(), site.Options{SiteDir: s.Dir})
	if err != nil {
		t.Fatal(err)
	}
	errs := 0
	for _, p := range probs {
		if strings.Contains(p.Msg, "goes nowhere") || strings.Contains(p.Msg, "no part called") || strings.Contains(p.Msg, "outside the site") || strings.Contains(p.Msg, "not found") {
			if p.Severity != diag.Error {
				t.Errorf("check: %s is a %s; check makes it an error", p.Position(), p.Severity)
			}
			errs++
		}
	}
	if errs != 4 {
		t.Errorf("check found %d link errors, want 4:\n%v", errs, probs)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "public")); err == nil {
		t.Error("check wrote public/")
	}

	// fixed, nothing is reported
	s.Edit("content/stories/rose.md", "---\ntitle: Rose\ndate: 2019-04-02\n---\n## Her goals\n\n[Denis](denis.md#small-steps) ![A plan](plan.svg)\n")
	if probs, _, _ := site.Check(context.Background(), site.Options{SiteDir: s.Dir}); len(probs) != 0 {
		t.Errorf("a site with good links: %v", probs)
	}
}

// TestLargePicture: a picture over site.MaxImageBytes is a warning where it
// is written, in Markdown and in front matter.
func TestLargePicture(t *testing.T) {
	s := sitetest.Write(t, linkSite)
	s.Edit("content/stories/rose.md", "---\ntitle: Rose\ndate: 2019-04-02\nimage: {src: big.jpg, alt: Rose in her garden}\n---\n## Her goals\n\nText ![A plan](big.jpg).\n")
	s.Edit("content/stories/big.jpg", strings.Repeat("x", site.MaxImageBytes+300<<10))
	s.Rebuild()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	got := strings.Join(s.Warnings(), "\n")
	for _, w := range []string{
		`content/stories/rose.md:8:6: warning: the picture "big.jpg" is 1.3 MB, too large`,
		`content/stories/rose.md:4:14: warning: the picture "big.jpg" is 1.3 MB, too large`,
		"resize it",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("warnings lack %q:\n%s", w, got)
		}
	}
	// a real photo is published at several widths: its size is no longer
	// a warning, as the item's picture or the text's
	photo := picturetest.Photo(2800, 2100, 1, false)
	if len(photo) <= site.MaxImageBytes {
		t.Fatalf("the test photo is %d bytes, not over %d", len(photo), site.MaxImageBytes)
	}
	s.Edit("content/stories/big.jpg", string(photo))
	s.Rebuild()
	got = strings.Join(s.Warnings(), "\n")
	if strings.Contains(got, "warning: the picture \"big.jpg\" is") {
		t.Errorf("a photo the build makes smaller still warned of:\n%s", got)
	}
}

// TestExternalLinks: with External set, links to other sites and sources'
// addresses are asked about; a page that is gone is an error at the link,
// a server error a warning, and a working link nothing.
func TestExternalLinks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/down":
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	s := sitetest.Write(t, linkSite)
	s.Edit("content/stories/rose.md", "---\ntitle: Rose\ndate: 2019-04-02\nsources:\n  - title: A report\n    url: "+srv.URL+"/gone\n    accessed: 2019-04-02\n---\n## Her goals\n\nSee [the report]("+srv.URL+"/ok), [old]("+srv.URL+"/gone) and\n[flaky]("+srv.URL+"/down).\n")
	// a listed source two pages cite: asked about once, one problem, at its
	// URL in data/sources.yaml
	s.Edit("data/sources.yaml", "old-report:\n  type: report\n  title: An old report\n  URL: "+srv.URL+"/gone?report\n  accessed: 2024-01-01\n")
	s.Edit("content/stories/denis.md", "---\ntitle: Denis walks again\ndate: 2019-04-01\nsources: [old-report]\n---\n## Small steps\n\nText.\n")
	s.Edit("content/stories/ann.md", "---\ntitle: Ann\ndate: 2019-04-03\nsources: [old-report]\n---\nText.\n")
	o := site.Options{SiteDir: s.Dir, External: &linkcheck.Options{Timeout: 2 * time.Second}}
	probs, _, err := site.Check(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.OneLine())
	}
	all := strings.Join(got, "\n")
	for _, w := range []string{
		"content/stories/rose.md:6:10: error: the link to " + srv.URL + "/gone is broken: the server answered 410 Gone",
		fmt.Sprintf("content/stories/rose.md:11:%d: error: the link to %s/gone is broken", len("See [the report]("+srv.URL+"/ok), ")+1, srv.URL),
		"data/sources.yaml:4:8: error: the link to " + srv.URL + "/gone?report is broken: the server answered 410 Gone",
		"content/stories/rose.md:12:1: warning: the link to " + srv.URL + "/down may be broken: the server answered 502 Bad Gateway",
	} {
		if !strings.Contains(all, w) {
			t.Errorf("missing %q in:\n%s", w, all)
		}
	}
	if strings.Contains(all, "/ok") || len(got) != 4 {
		t.Errorf("want exactly the four problems:\n%s", all)
	}
	// a plain build never asks other sites
	if _, err := site.Build(context.Background(), site.Options{SiteDir: s.Dir, OutDir: t.TempDir()}); err != nil {
		var be *diag.BuildError
		errors.As(err, &be)
		t.Errorf("a build without External failed: %v", err)
	}
}

// TestPictureSizes: every picture whose file the site has gets the width
// and height it is shown at, so the page keeps its room before it arrives
// and the text under a reader's finger or magnifier does not jump.
func TestPictureSizes(t *testing.T) {
	s := sitetest.Write(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/a/index.md --
---
title: A
date: 2019-04-01
image: {src: cover.png, alt: "A person at a kitchen table"}
---
![A frame by the bed](frame.png "The frame")

![The route to the kitchen](/plans/route.svg)

![A kettle on the worktop](https://images.example.net/k.jpg)

Before the visit: ![a scan of the care plan](broken.png).
-- content/stories/b/index.md --
---
title: B
date: 2019-04-02
image: {src: cut.png, alt: "A garden path"}
---
Text.
-- static/plans/route.svg --
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"><path d="M0 0h300"/></svg>
`)
	s.Edit("content/stories/a/cover.png", photoPNG(t, 800, 600))
	s.Edit("content/stories/a/frame.png", cover(t, 400, 300))
	s.Edit("content/stories/a/broken.png", cover(t, 40, 30)[:30])
	s.Edit("content/stories/b/cut.png", cover(t, 40, 30)[:30])
	if s.Rebuild(); s.Err != nil {
		t.Fatal(s.Err)
	}
	s.AssertFileContains("stories/a/index.html", `
		# the item's own picture: copies at each width up to its own
		<img src="/stories/a/cover.800.png" srcset="/stories/a/cover.320.png 320w, /stories/a/cover.640.png 640w, /stories/a/cover.800.png 800w" sizes="
		alt="A person at a kitchen table" width="800" height="600" decoding="async">
		<meta property="og:image" content="https://example.org/stories/a/cover.og.jpg">
		<meta property="og:image:width" content="800">
		<meta property="og:image:height" content="420">
		"image":{"@type":"ImageObject","caption":"A person at a kitchen table","height":420,
		# a picture of the text, lazy after the item's own; flat art of few
		# bytes for its pixels, published as it is
		<img src="/stories/a/frame.png" alt="A frame by the bed" title="The frame" loading="lazy" decoding="async" width="400" height="300">
		# an SVG has no copies
		<img src="/plans/route.svg" alt="The route to the kitchen" loading="lazy" decoding="async" width="300" height="150">
		# a picture on another site keeps no room: its size is not known here
		<img src="https://images.example.net/k.jpg" alt="A kettle on the worktop" loading="lazy" decoding="async">
		<img src="/stories/a/broken.png" alt="a scan of the care plan" loading="lazy" decoding="async">
	`)
	s.AssertFileContains("stories/b/index.html", `
		# a picture that cannot be read has no copies: published as it is
		<img src="/stories/b/cut.png" alt="A garden path" decoding="async">
		! og:image:width
	`)
	got := strings.Join(s.Warnings(), "\n")
	for _, want := range []string{
		`content/stories/a/index.md:12:19: warning: the picture "broken.png" will show broken in most browsers: the file ends too soon, as if cut short in copying; save it again as JPEG, PNG, WebP or SVG`,
		`content/stories/b/index.md:4:14: warning: the picture "cut.png" will show broken in most browsers: the file ends too soon, as if cut short in copying; save it again as JPEG, PNG, WebP or SVG`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings:\n%s\nwant %s", got, want)
		}
	}
}

// photoPNG is a photo-like picture (picturetest.Photo) saved as PNG, of
// about as many bytes as pixels.
func photoPNG(t *testing.T, w, h int) string {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(picturetest.Photo(w, h, 1, false)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
