package markdown

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestAnswers records a rendering's questions and checks that Same says
// yes to callbacks that answer as before and no to any that answer
// otherwise, and that recording does not change what Render gives.
func TestAnswers(t *testing.T) {
	src := []byte("See [the feature](../features/x.md), ![Denis](denis.png) and [@rcot-2019, p. 4].\n\n![Far](far.png)\n")
	doc := func(link string, w int, picErr error, cite func(string, string) (Cited, bool)) Doc {
		return Doc{File: "content/stories/a.md", FirstLine: 5,
			Link: func(dest string) string {
				if strings.HasSuffix(dest, ".md") {
					return link
				}
				return dest
			},
			Picture: func(dest string, _, _ int) (Picture, error) {
				if dest == "far.png" {
					return Picture{}, picErr
				}
				p := Picture{Width: w, Height: 300, Src: "/d.320.png", Srcset: "/d.320.png 320w", Sizes: "100vw"}
				if w == 402 { // the same size, other copies
					p.Width, p.WebPSrcset = 400, "/d.320.webp 320w"
				}
				return p, nil
			},
			Cite: cite,
		}
	}
	r := New(Options{})
	base := doc("/features/x/", 400, nil, cites)
	plain, err := r.Render(src, base)
	if err != nil {
		t.Fatal(err)
	}
	rec, answers := base.Recording()
	recorded, err := r.Render(src, rec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain.HTML, recorded.HTML) || !reflect.DeepEqual(plain.Problems, recorded.Problems) {
		t.Fatalf("recording changed the output:\n%s\n%s", plain.HTML, recorded.HTML)
	}
	kinds := map[Callback]int{}
	for _, c := range answers.Calls {
		kinds[c.Kind]++
	}
	if kinds[LinkCall] == 0 || kinds[PictureCall] != 2 || kinds[CiteCall] != 1 {
		t.Fatalf("questions recorded: %v", answers.Calls)
	}
	if !answers.Same(doc("/features/x/", 400, nil, cites)) {
		t.Error("the same answers were not taken as the same")
	}
	other := func(id, locator string) (Cited, bool) {
		c, ok := cites(id, locator)
		c.Href = "/sources/#" + id
		return c, ok
	}
	for name, d := range map[string]Doc{
		"another link":             doc("/features/y/", 400, nil, cites),
		"another picture size":     doc("/features/x/", 401, nil, cites),
		"other copies":             doc("/features/x/", 402, nil, cites),
		"a picture now unreadable": doc("/features/x/", 400, errors.New("not a picture"), cites),
		"another citation":         doc("/features/x/", 400, nil, other),
		"no Cite":                  doc("/features/x/", 400, nil, nil),
	} {
		if answers.Same(d) {
			t.Errorf("%s: taken as the same", name)
		}
	}
	// and an error answered is recorded with its text
	withErr := doc("/features/x/", 400, errors.New("not a picture"), cites)
	rec, answers = withErr.Recording()
	if _, err := r.Render(src, rec); err != nil {
		t.Fatal(err)
	}
	if !answers.Same(withErr) || answers.Same(doc("/features/x/", 400, errors.New("too big"), cites)) {
		t.Error("an error's text is not compared")
	}
}

// TestPictureCopies: a picture the site makes copies of is written as a
// <picture> whose WebP source and img offer them, sized as the layout
// says, its img showing the fallback copy; the first picture of a text
// loads at once unless the page shows one before it.
func TestPictureCopies(t *testing.T) {
	src := []byte("![Denis at his door](door.jpg)\n\n![A map](/images/map.png \"The way\")\n\n![Elsewhere](https://example.org/x.jpg)\n")
	doc := Doc{File: "a.md", FirstLine: 1,
		Link: func(dest string) string { return dest },
		Picture: func(dest string, _, _ int) (Picture, error) {
			switch dest {
			case "door.jpg":
				return Picture{Width: 1200, Height: 800, Src: "/s/door.960.jpg", Srcset: "/s/door.320.jpg 320w, /s/door.960.jpg 960w", WebPSrcset: "/s/door.320.webp 320w, /s/door.960.webp 960w", Sizes: "(min-width: 76rem) 53rem, 100vw"}, nil
			case "/images/map.png":
				return Picture{Width: 300, Height: 200, Src: "/images/map.300.png", Srcset: "/images/map.300.png 300w", Sizes: "100vw"}, nil
			}
			return Picture{}, nil
		},
	}
	res, err := New(Options{}).Render(src, doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<p><picture><source type="image/webp" srcset="/s/door.320.webp 320w, /s/door.960.webp 960w" sizes="(min-width: 76rem) 53rem, 100vw"><img src="/s/door.960.jpg" alt="Denis at his door" decoding="async" width="1200" height="800" srcset="/s/door.320.jpg 320w, /s/door.960.jpg 960w" sizes="(min-width: 76rem) 53rem, 100vw"></picture></p>`,
		// no WebP copies: an img alone
		`<p><img src="/images/map.300.png" alt="A map" title="The way" loading="lazy" decoding="async" width="300" height="200" srcset="/images/map.300.png 300w" sizes="100vw"></p>`,
		`<p><img src="https://example.org/x.jpg" alt="Elsewhere" loading="lazy" decoding="async"></p>`,
	} {
		if !strings.Contains(string(res.HTML), want) {
			t.Errorf("no\n%s\nin\n%s", want, res.HTML)
		}
	}
	// the links checked are the pictures as written
	if len(res.Links) != 3 || res.Links[0].Dest != "door.jpg" {
		t.Errorf("links: %+v", res.Links)
	}
	for loading, n := range map[string]int{"lazy": 3, "eager": 0} {
		doc.Loading = loading
		res, _ = New(Options{}).Render(src, doc)
		if strings.Count(string(res.HTML), `loading="lazy"`) != n {
			t.Errorf("%s: %s", loading, res.HTML)
		}
	}
}
