package export

import (
	"strings"
	"testing"
)

// TestScormMessages: each English message of scorm.js is where the script
// writes it, once, so that another language's words take its place; given
// English the script is as written, and quotes are escaped.
func TestScormMessages(t *testing.T) {
	for _, m := range scormMessages(English) {
		if n := strings.Count(string(scormJS), m[0]); n != 1 {
			t.Errorf("scorm.js has %s %d times; want once", m[0], n)
		}
	}
	if string(scormScript(Words{}.or())) != string(scormJS) {
		t.Error("the English script is not scorm.js as written")
	}
	cy := Words{NotRecorded: "Nid yw'r cynnydd yn cael ei gofnodi.", Recorded: "Wedi'i gwblhau.", Back: "Rydych yn ôl: " + Here + ".", Thanks: "Diolch."}
	js := string(scormScript(cy.or()))
	for _, want := range []string{`'Nid yw\'r cynnydd yn cael ei gofnodi.'`, `'Wedi\'i gwblhau.'`, `'Rydych yn ôl: ' + at.textContent + '.'`, `'Diolch.'`} {
		if !strings.Contains(js, want) {
			t.Errorf("the script lacks %s", want)
		}
	}
	for _, m := range scormMessages(English) {
		if strings.Contains(js, m[0]) {
			t.Errorf("the script still says %s", m[0])
		}
	}
	if c := completion(Words{CompletionHeading: "A & B"}.or()); !strings.Contains(c, `<h2 id="scorm-heading">A &amp; B</h2>`) || !strings.Contains(c, English.CompletionButton) {
		t.Errorf("completion section:\n%s", c)
	}
}
