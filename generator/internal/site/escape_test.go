package site_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/sitetest"
)

// TestHostileValuesEscaped: markup typed into front matter (titles,
// summaries, people, themes, sources, captions) and into the text reaches
// no page, feed or index as markup. Every output file is searched for the
// payloads' live forms.
func TestHostileValuesEscaped(t *testing.T) {
	const x = `</title><script>alert(1)</script><img src=x onerror=alert(2)>`
	s := sitetest.Build(t, `
-- site.toml --
title = "Escapes"
base_url = "https://example.org/"
[podcast]
owner_email = "pod@example.org"
image = "https://example.org/cover.png"
-- content/stories/denis.md --
---
title: "Denis `+x+`"
date: 2019-04-01
summary: "A summary `+x+`"
themes: ["rehab `+x+`"]
authors: ["A. Writer `+x+`"]
person: "Denis `+x+`"
setting: "At home `+x+`"
goals: ["Walk `+x+`"]
steps: ["Stand `+x+`"]
outcomes:
  - {measure: "Visits `+x+`", before: 4, after: 0, note: "Note `+x+`"}
sources:
  - title: "Report `+x+`"
    publication: "OTnews `+x+`"
    url: "https://example.org/a?b=<script>"
---
Text with <script>alert(3)</script> and <img src=x onerror=alert(4)> in it,
and a [link](https://example.org/?q="><script>alert(5)</script>).
-- content/episodes/ep1.md --
---
title: "Episode `+x+`"
date: 2019-04-02
summary: "Episode summary `+x+`"
audio: {src: "https://example.org/a.mp3", type: audio/mpeg, bytes: 26000000}
duration: "00:00:10"
transcript: ep1.vtt
guests: [{name: "Guest `+x+`", role: "Role `+x+`"}]
---
Notes.
-- content/episodes/ep1.vtt --
WEBVTT

00:00:01.000 --> 00:00:05.000
<v Sam `+x+`>Hello <script>alert(6)</script> there, and welcome to the show today.
`)
	live := regexp.MustCompile(`(?i)<script>alert|<img src=x`)

	files := 0
	err := filepath.WalkDir(s.Out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".html", ".xml", ".json", ".js":
		default:
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		if filepath.Ext(p) == ".xml" {
			// an RSS description is read as HTML by podcast apps once the
			// XML is decoded: it must not be live even then (titles and
			// Atom's text elements are shown as text)
			var text strings.Builder
			d := xml.NewDecoder(bytes.NewReader(b))
			in := ""
			for {
				tok, err := d.Token()
				if err != nil {
					break
				}
				switch tok := tok.(type) {
				case xml.StartElement:
					in = tok.Name.Local
				case xml.CharData:
					if in == "description" {
						text.Write(tok)
					}
				}
			}
			if loc := live.FindStringIndex(text.String()); loc != nil {
				rel, _ := filepath.Rel(s.Out, p)
				t.Errorf("%s has markup that is live once the XML is read: …%s…", rel, text.String()[max(0, loc[0]-60):min(text.Len(), loc[1]+20)])
			}
		}
		if loc := live.FindIndex(b); loc != nil {
			rel, _ := filepath.Rel(s.Out, p)
			t.Errorf("%s has markup from the content live: …%s…", rel, b[max(0, loc[0]-60):min(len(b), loc[1]+20)])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("only %d files searched", files)
	}
	// the words themselves are still there, as text
	page := s.Read("stories/denis/index.html")
	if !strings.Contains(page, "Denis &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the title is not shown as text:\n%s", page)
	}
}
