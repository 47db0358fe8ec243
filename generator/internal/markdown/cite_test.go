package markdown

import (
	"html"
	"strings"
	"testing"
)

// cites is a Doc.Cite that knows two ids: "rcot-2019" is an organisation,
// "moss-2020" two people; a locator is shown as given.
func cites(id, locator string) (Cited, bool) {
	short := map[string]string{"rcot-2019": "RCOT, 2019", "moss-2020": "Moss & Tran, 2020"}[id]
	if short == "" {
		return Cited{Hint: "did you mean [@rcot-2019]?"}, false
	}
	if locator != "" {
		short += ", " + locator
	}
	return Cited{HTML: html.EscapeString(short), Text: short, Href: "#src-" + id}, true
}

func TestCitations(t *testing.T) {
	r := New(Options{})
	for _, c := range []struct {
		name, src string
		doc       Doc
		html      string   // in the output
		text      string   // in the plain text
		cites     []string // id|locator@line:col
		problem   string   // line:col: message; hint
	}{
		{name: "one", src: "As the College says [@rcot-2019].",
			html: `says <span class="citation">(<a href="#src-rcot-2019">RCOT, 2019</a>)</span>.`, text: "says (RCOT, 2019).",
			cites: []string{"rcot-2019|@5:22"}},
		{name: "locator", src: "Text [@rcot-2019, p. 15] and [@moss-2020, 3-4].",
			html:  `<a href="#src-rcot-2019">RCOT, 2019, p. 15</a>)</span> and <span class="citation">(<a href="#src-moss-2020">Moss &amp; Tran, 2020, 3-4</a>)`,
			cites: []string{"rcot-2019|p. 15@5:7", "moss-2020|3-4@5:31"}},
		{name: "several, with a prefix", src: "Goals first [see @rcot-2019, p. 4; @moss-2020].",
			html:  `<span class="citation">(see <a href="#src-rcot-2019">RCOT, 2019, p. 4</a>; <a href="#src-moss-2020">Moss &amp; Tran, 2020</a>)</span>`,
			text:  "Goals first (see RCOT, 2019, p. 4; Moss & Tran, 2020).",
			cites: []string{"rcot-2019|p. 4@5:18", "moss-2020|@5:36"}},
		{name: "second line", src: "First line.\nThen **bold** [@moss-2020].", cites: []string{"moss-2020|@6:16"}},
		{name: "unknown id", src: "Text [@rcot-2018] here.", html: `Text [@rcot-2018] here.`,
			problem: "5:7: the citation @rcot-2018 names no source of this site; did you mean [@rcot-2019]?"},
		{name: "one known, one not", src: "Text [@rcot-2019; @nobody].", html: `Text [@rcot-2019; @nobody].`,
			cites: []string{"rcot-2019|@5:7"}, problem: "5:19: the citation @nobody names no source"},
		{name: "trailing punctuation is not the id", src: "Text [@rcot-2019.]", cites: []string{"rcot-2019|@5:7"}},
		{name: "a link whose text starts with @", src: "[@rcot](https://example.org/)", html: `<a href="https://example.org/">@rcot</a>`},
		{name: "an address in brackets", src: "Write [to me@example.org] now.", html: "Write [to me@example.org] now."},
		{name: "in code", src: "Write `[@rcot-2019]` to cite.", html: "<code>[@rcot-2019]</code>"},
		{name: "escaped", src: `Write \[@rcot-2019] to cite.`, html: "Write [@rcot-2019] to cite."},
		{name: "inside a link, unlinked", src: "[see [@rcot-2019]](https://example.org/)",
			html: `<a href="https://example.org/">see <span class="citation">(RCOT, 2019)</span></a>`, cites: []string{"rcot-2019|@5:7"}},
		{name: "ids prefixed on a shared page", src: "Text [@rcot-2019].", doc: Doc{IDPrefix: "p2-"},
			html: `<a href="#p2-src-rcot-2019">RCOT, 2019</a>`, cites: []string{"rcot-2019|@5:7"}},
		{name: "without Cite, as written", src: "Text [@rcot-2019].", doc: Doc{Cite: func(string, string) (Cited, bool) { return Cited{}, false }},
			problem: "5:7: the citation @rcot-2019 names no source of this site; cite a source of the site by its id"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := c.doc
			d.File, d.FirstLine = "content/x.md", 5
			if d.Cite == nil {
				d.Cite = cites
			}
			res, err := r.Render([]byte(c.src), d)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(res.HTML), c.html) {
				t.Errorf("HTML\n%s\nlacks\n%s", res.HTML, c.html)
			}
			if !strings.Contains(res.Text, c.text) {
				t.Errorf("text %q lacks %q", res.Text, c.text)
			}
			var got []string
			for _, ct := range res.Citations {
				got = append(got, ct.ID+"|"+ct.Locator+"@"+itoa(ct.Line)+":"+itoa(ct.Col))
			}
			if strings.Join(got, " ") != strings.Join(c.cites, " ") {
				t.Errorf("citations %v; want %v", got, c.cites)
			}
			var probs []string
			for _, p := range res.Problems {
				probs = append(probs, itoa(p.Line)+":"+itoa(p.Col)+": "+p.Msg+"; "+p.Hint)
			}
			if c.problem == "" && len(probs) > 0 || c.problem != "" && (len(probs) != 1 || !strings.HasPrefix(probs[0], c.problem)) {
				t.Errorf("problems %q; want %q", probs, c.problem)
			}
		})
	}
	// no Cite at all: citations stay as written, with no problem
	res, _ := r.Render([]byte("Text [@rcot-2019]."), Doc{File: "x.md", FirstLine: 1})
	if !strings.Contains(string(res.HTML), "Text [@rcot-2019].") || len(res.Problems) != 0 {
		t.Errorf("without Cite: %s %v", res.HTML, res.Problems)
	}
}

func itoa(n int) string {
	s := ""
	for n >= 10 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return string(rune('0'+n)) + s
}
