package site_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pic "github.com/otpress/otpress/generator/internal/picture"
	"github.com/otpress/otpress/generator/internal/picture/picturetest"
	"github.com/otpress/otpress/generator/internal/site"
	"github.com/otpress/otpress/generator/internal/sitetest"
	"golang.org/x/image/webp"
)

// denisWithPhoto is a story whose picture, kitchen.jpg, each test writes.
const denisWithPhoto = `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/denis/index.md --
---
title: Denis
date: 2019-04-01
image: {src: kitchen.jpg, alt: "Denis at his kitchen door"}
---
Text.
`

// TestPicturesStripped: a photo beside a story and one in static/ are
// published without what they recorded (where, the camera, a comment),
// the right way up and with the same pixels, and the editor is told of
// the one that recorded a place. The story's picture is published only as
// its copies, unless the site keeps originals; no picture in the output
// carries what the photo recorded.
func TestPicturesStripped(t *testing.T) {
	photo := picturetest.WithSegment(picturetest.Photo(64, 32, 6, true), 0xfe, []byte("taken at 12 Acacia Avenue"))
	s := sitetest.Write(t, strings.Replace(denisWithPhoto, `base_url = "https://example.org/"`, "base_url = \"https://example.org/\"\n[pictures]\nkeep_originals = true", 1))
	for _, p := range []string{"content/stories/denis/kitchen.jpg", "static/images/street.jpg"} {
		full := filepath.Join(s.Dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, photo, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s.Rebuild()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	for _, out := range []string{"stories/denis/kitchen.jpg", "images/street.jpg"} {
		got := []byte(s.Read(out))
		info, err := pic.Probe(got)
		if err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		if info.GPS || bytes.Contains(got, []byte("Acacia")) || info.Orientation != 6 {
			t.Errorf("%s published as %+v", out, info)
		}
		a, _, _ := image.Decode(bytes.NewReader(photo))
		b, _, err := image.Decode(bytes.NewReader(got))
		if err != nil || a.Bounds() != b.Bounds() {
			t.Errorf("%s: pixels %v, %v", out, b, err)
		}
	}
	warned := strings.Join(s.Warnings(), "\n")
	for _, f := range []string{"content/stories/denis/kitchen.jpg", "static/images/street.jpg"} {
		if !strings.Contains(warned, f+": warning: this photo records where it was taken; the published copies leave it out") {
			t.Errorf("no warning naming %s:\n%s", f, warned)
		}
	}
	nothingRecorded := func() (pictures int) {
		filepath.WalkDir(s.Out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !isPicture(p) {
				return err
			}
			data, _ := os.ReadFile(p)
			if info, err := pic.Probe(data); err != nil || info.GPS || bytes.Contains(data, []byte("Acacia")) {
				t.Errorf("%s: %+v, %v", p, info, err)
			}
			pictures++
			return nil
		})
		return pictures
	}
	if n := nothingRecorded(); n < 4 {
		t.Errorf("%d pictures published", n)
	}
	// by default, the story's picture goes out as its copies alone; the
	// one in static/, which no page shows, as it is
	s.Edit("site.toml", "title = \"T\"\nbase_url = \"https://example.org/\"\n").Rebuild()
	s.AssertNoFile("stories/denis/kitchen.jpg")
	s.AssertExists("stories/denis/kitchen.32.jpg", "stories/denis/kitchen.32.webp", "images/street.jpg")
	if !strings.Contains(strings.Join(s.Warnings(), "\n"), "content/stories/denis/kitchen.jpg: warning: this photo records where it was taken") {
		t.Error("a photo published only as copies is not named in a warning")
	}
	nothingRecorded()
}

// isPicture says whether a file is a JPEG, PNG or WebP by its name.
func isPicture(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".webp":
		return true
	}
	return false
}

// TestCoverCopies: an item's photo is published at each width up to its
// own, its page offers them in a srcset (the 960 one for browsers that
// read none), link previews get the widest up to 1280, and a warm build
// makes none of them again.
func TestCoverCopies(t *testing.T) {
	s := sitetest.Write(t, denisWithPhoto)
	img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir, "content/stories/denis/kitchen.jpg"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	s.Rebuild()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	for _, w := range []int{320, 640, 960, 1200} {
		got := []byte(s.Read(fmt.Sprintf("stories/denis/kitchen.%d.jpg", w)))
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(got))
		if err != nil || cfg.Width != w || cfg.Height != (w*2+1)/3 {
			t.Errorf("the %d copy: %+v %v", w, cfg, err)
		}
	}
	for _, w := range []int{320, 1200} {
		cfg, err := webp.DecodeConfig(strings.NewReader(s.Read(fmt.Sprintf("stories/denis/kitchen.%d.webp", w))))
		if err != nil || cfg.Width != w {
			t.Errorf("the %d WebP copy: %+v %v", w, cfg, err)
		}
	}
	s.AssertFileContains("stories/denis/index.html", `
		<picture><source type="image/webp" srcset="/stories/denis/kitchen.320.webp 320w, /stories/denis/kitchen.640.webp 640w, /stories/denis/kitchen.960.webp 960w, /stories/denis/kitchen.1200.webp 1200w" sizes="
		<img src="/stories/denis/kitchen.960.jpg" srcset="/stories/denis/kitchen.320.jpg 320w, /stories/denis/kitchen.640.jpg 640w, /stories/denis/kitchen.960.jpg 960w, /stories/denis/kitchen.1200.jpg 1200w" sizes="
		# link previews: a 1200×630 crop of the 1200 copy, around the centre
		<meta property="og:image" content="https://example.org/stories/denis/kitchen.og.jpg">
		<meta property="og:image:width" content="1200">
		<meta property="og:image:height" content="630">
	`)
	if cfg, err := jpeg.DecodeConfig(strings.NewReader(s.Read("stories/denis/kitchen.og.jpg"))); err != nil || cfg.Width != 1200 || cfg.Height != 630 {
		t.Errorf("the crop for link previews: %+v, %v", cfg, err)
	}
	s.AssertFileContains("stories/index.html", `
		srcset="/stories/denis/kitchen.320.jpg 320w,
		loading="lazy" decoding="async"
	`)
	// with the cache: the first build makes the copies, the next keeps them
	// (warmBuild also builds afresh without the cache, which makes them: 1)
	warmBuild(t, s, false)
	before := site.CopiesMade()
	s.Edit("content/stories/denis/index.md", "---\ntitle: Denis\ndate: 2019-04-01\nimage: {src: kitchen.jpg, alt: \"Denis at his kitchen door\"}\n---\nText, edited.\n")
	warmBuild(t, s, false)
	if n := site.CopiesMade() - before; n != 1 {
		t.Errorf("a warm build made the copies of %d pictures again", n-1)
	}
	// new bytes, new copies
	img.Pix[0] ^= 0xff
	buf.Reset()
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	os.WriteFile(filepath.Join(s.Dir, "content/stories/denis/kitchen.jpg"), buf.Bytes(), 0o644)
	warmBuild(t, s, false)
	if n := site.CopiesMade() - before; n != 3 {
		t.Errorf("a changed picture: the warm build made copies of %d pictures, want 1", n-2)
	}
}

// TestTextPictureCopies: a JPEG in a story's text, beside it or in
// static/, is published at several widths in a <picture>, like the
// story's own; a warm build makes no copy again; and a picture added to
// the text in the preview (a text-only edit) gets its copies, leaving what
// a full build writes.
func TestTextPictureCopies(t *testing.T) {
	s := sitetest.Write(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/denis/index.md --
---
title: Denis
date: 2019-04-01
---
Denis had been in bed for a year when the team first met him. With small steps, agreed with him and his
daughter, he now walks to his kitchen each morning and makes his own tea. This story follows the visits,
the goals and the changes at home that made it possible, told in his words and the therapist's.

![The kitchen door](door.jpg)

![The street](/images/street.jpg)
`)
	for _, f := range []string{"content/stories/denis/door.jpg", "static/images/street.jpg", "content/stories/denis/hall.jpg"} {
		s.Edit(f, string(picturetest.Photo(700, 400, 1, false)))
	}
	warmBuild(t, s, false)
	s.AssertFileContains("stories/denis/index.html", `
		<picture><source type="image/webp" srcset="/stories/denis/door.320.webp 320w, /stories/denis/door.640.webp 640w, /stories/denis/door.700.webp 700w" sizes="(min-width: 76rem) 53rem,
		<img src="/stories/denis/door.700.jpg" alt="The kitchen door" decoding="async" width="700" height="400" srcset="/stories/denis/door.320.jpg 320w, /stories/denis/door.640.jpg 640w, /stories/denis/door.700.jpg 700w" sizes="
		# the second picture loads when scrolled to
		<img src="/images/street.700.jpg" alt="The street" loading="lazy" decoding="async" width="700" height="400" srcset="/images/street.320.jpg 320w,
	`)
	s.AssertExists("stories/denis/door.320.webp", "images/street.700.jpg", "images/street.640.webp")
	before := site.CopiesMade()
	s.Edit("content/stories/denis/index.md", strings.Replace(readFile(t, s, "content/stories/denis/index.md"), "The street", "The street outside", 1))
	warmBuild(t, s, false) // the fresh build it is compared with makes both
	if n := site.CopiesMade() - before; n != 2 {
		t.Errorf("a warm build made the copies of %d pictures again", n-2)
	}

	// the preview: a text edit that adds a picture builds everything (its
	// original leaves the output); with originals kept, it is a text-only
	// edit that makes the copies
	for _, keep := range []bool{false, true} {
		toml := "title = \"T\"\nbase_url = \"https://example.org/\"\n"
		if keep {
			toml += "[pictures]\nkeep_originals = true\n"
		}
		s.Edit("site.toml", toml)
		s.Edit("content/stories/denis/index.md", strings.Replace(readFile(t, s, "content/stories/denis/index.md"), "\n![The hall](hall.jpg)\n", "", 1))
		sess := sessionOf(t, s)
		s.Edit("content/stories/denis/index.md", readFile(t, s, "content/stories/denis/index.md")+"\n![The hall](hall.jpg)\n")
		if _, partial, err := sess.Update(context.Background(), []string{filepath.Join(s.Dir, "content/stories/denis/index.md")}); err != nil || partial != keep {
			t.Fatalf("keep_originals %v: partial %v, %v", keep, partial, err)
		}
		fresh := filepath.Join(t.TempDir(), "fresh")
		if _, err := site.Build(context.Background(), site.Options{SiteDir: s.Dir, OutDir: fresh, Generator: "otpress test"}); err != nil {
			t.Fatal(err)
		}
		sameTree(t, s.Out, fresh, false)
		s.AssertExists("stories/denis/hall.640.jpg", "stories/denis/hall.640.webp")
	}
}

// TestCoverArtCopies: the podcast's cover art, a photo, is shown on the
// episodes' cards and above their list as its copies, while the feed
// gives podcast apps the original, which stays published; flat cover art
// of few bytes is shown as it is.
func TestCoverArtCopies(t *testing.T) {
	s := sitetest.Write(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/"
[podcast]
owner_email = "pod@example.org"
image = "/cover.jpg"
-- content/episodes/ep1/index.md --
---
title: One
date: 2026-11-23
audio: audio.mp3
duration: "00:10:00"
transcript: transcript.vtt
---
Talk.
-- content/episodes/ep1/audio.mp3 --
ID3 fake audio bytes
-- content/episodes/ep1/transcript.vtt --
WEBVTT

00:00:00.000 --> 00:00:02.000
Hello, and welcome.
`)
	s.Edit("static/cover.jpg", string(picturetest.Photo(1400, 1400, 1, false)))
	if s.Rebuild(); s.Err != nil {
		t.Fatal(s.Err)
	}
	s.AssertFileContains("episodes/index.html", `
		<img class="show-cover" src="/cover.320.jpg" srcset="/cover.320.jpg 320w, /cover.640.jpg 640w, /cover.960.jpg 960w, /cover.1280.jpg 1280w, /cover.1400.jpg 1400w" sizes="160px" alt="" width="160" height="160">
		<source type="image/webp" srcset="/cover.320.webp 320w,
		<img class="card-image" src="/cover.960.jpg" srcset="/cover.320.jpg 320w,
	`)
	s.AssertFileContains("podcast.xml", `<itunes:image href="https://example.org/cover.jpg"></itunes:image>`)
	s.AssertExists("cover.jpg", "cover.640.webp")

	flat := image.NewRGBA(image.Rect(0, 0, 1400, 1400))
	for i := range flat.Pix {
		flat.Pix[i] = 0xc0
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, flat, nil); err != nil {
		t.Fatal(err)
	}
	s.Edit("static/cover.jpg", buf.String())
	if s.Rebuild(); s.Err != nil {
		t.Fatal(s.Err)
	}
	s.AssertFileContains("episodes/index.html", `<img class="show-cover" src="/cover.jpg" alt="" width="160" height="160">`)
	s.AssertNoFile("cover.320.jpg")
}

// TestPictureTooSmall: an item's picture narrower than a card stretches
// it to is a warning at its line; a wide enough one is not.
func TestPictureTooSmall(t *testing.T) {
	s := sitetest.Write(t, denisWithPhoto)
	for w, warned := range map[int]bool{200: true, 800: false} {
		s.Edit("content/stories/denis/kitchen.jpg", string(picturetest.Photo(w, w/2, 1, false)))
		s.Rebuild()
		if s.Err != nil {
			t.Fatal(s.Err)
		}
		want := fmt.Sprintf(`content/stories/denis/index.md:4:14: warning: the picture "kitchen.jpg" is %d pixels wide; cards in lists stretch it to 384, where it looks blurred`, w)
		if got := strings.Join(s.Warnings(), "\n"); strings.Contains(got, want) != warned || strings.Contains(got, "blurred") != warned {
			t.Errorf("%d pixels wide: warnings\n%s", w, got)
		}
	}
}

// TestPictureFocus: a picture's focus keeps that point in view where a
// card in a list crops it, to the nearest tenth, by classes (the policy
// allows no style attribute).
func TestPictureFocus(t *testing.T) {
	s := sitetest.Write(t, strings.Replace(denisWithPhoto, `alt: "Denis at his kitchen door"}`, `alt: "Denis at his kitchen door", focus: "34% 76%"}`, 1))
	s.Edit("content/stories/denis/kitchen.jpg", string(picturetest.Photo(800, 600, 1, false)))
	if s.Rebuild(); s.Err != nil {
		t.Fatal(s.Err)
	}
	s.AssertFileContains("stories/index.html", `<img class="card-image focus-x3 focus-y8" src="/stories/denis/kitchen.800.jpg"`)
	s.AssertFileContains("css/main.css", `.focus-x3 { --focus-x: 30%; }`)
	// and the crop for link previews keeps it: the test photo's red mark,
	// its top left corner, is in a crop at the top and not at the bottom
	s.AssertFileContains("stories/denis/index.html", `
		<meta property="og:image" content="https://example.org/stories/denis/kitchen.og.jpg">
		<meta property="og:image:width" content="800">
		<meta property="og:image:height" content="420">
	`)
	for focus, red := range map[string]bool{"0% 0%": true, "0% 100%": false} {
		s.Edit("content/stories/denis/index.md", strings.Replace(readFile(t, s, "content/stories/denis/index.md"), `focus: "34% 76%"`, `focus: "`+focus+`"`, 1))
		if s.Rebuild(); s.Err != nil {
			t.Fatal(s.Err)
		}
		img, err := jpeg.Decode(strings.NewReader(s.Read("stories/denis/kitchen.og.jpg")))
		if err != nil {
			t.Fatal(err)
		}
		r, g, b, _ := img.At(10, 10).RGBA()
		if got := r > 0xc000 && g < 0x4000 && b < 0x4000; got != red {
			t.Errorf("focus %s: the crop's corner is %x %x %x", focus, r>>8, g>>8, b>>8)
		}
		s.Edit("content/stories/denis/index.md", strings.Replace(readFile(t, s, "content/stories/denis/index.md"), `focus: "`+focus+`"`, `focus: "34% 76%"`, 1))
	}
}

// TestPictureCutShort: a photo in a text whose start reads well but which
// is cut short stops the build with an error at the picture in the text,
// naming the file, and the last output stays.
func TestPictureCutShort(t *testing.T) {
	s := sitetest.Write(t, `
-- site.toml --
title = "T"
base_url = "https://example.org/"
-- content/stories/denis.md --
---
title: Denis
date: 2019-04-01
---
Text.

See ![The street](/images/street.jpg).
`)
	if s.Rebuild(); s.Err == nil {
		t.Fatal("a missing picture built")
	}
	photo := picturetest.Photo(800, 600, 1, false)
	s.Edit("static/images/street.jpg", string(photo))
	if s.Rebuild(); s.Err != nil {
		t.Fatal(s.Err)
	}
	before := s.Read("stories/denis/index.html")
	s.Edit("static/images/street.jpg", string(photo[:len(photo)/2]))
	s.Rebuild()
	want := `content/stories/denis.md:7:5: the picture static/images/street.jpg cannot be made smaller for readers`
	if s.Err == nil || !strings.Contains(strings.Join(s.Problems(), "\n"), want) {
		t.Fatalf("%v\n%s\nwant %s", s.Err, strings.Join(s.Problems(), "\n"), want)
	}
	if s.Read("stories/denis/index.html") != before {
		t.Error("a failed build changed the output")
	}
}
