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
			PictureSize: func(dest string) (int, int, error) {
				if dest == "far.png" {
					return 0, 0, picErr
				}
				return w, 300, nil
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
