package export

import (
	"html"
	"strings"
)

// Words are the fixed text an export adds to the pack, in the pack's
// language. The site gives them from the theme's words; any left empty is
// the English of English.
type Words struct {
	Opening       string // the EPUB's first chapter, before the items: "About this pack"
	Contents      string // the heading of the EPUB's table of contents
	Accessibility string // the EPUB's accessibility summary
	// the section a SCORM copy adds at the end of the pack
	CompletionHeading, CompletionText, CompletionButton string
	// what the SCORM copy's script says: outside a learning system, when
	// the pack is already completed, on coming back to it (Here stands
	// for the heading of the item the learner was at) and on completing
	NotRecorded, Recorded, Back, Thanks string
}

// Here marks where Words.Back shows the heading of the item the learner
// comes back to.
const Here = "\x00"

// English are the words an export shows when given none.
var English = Words{
	Opening:           "About this pack",
	Contents:          "Table of Contents",
	Accessibility:     "The pack's text in reading order, with headings for each item and section, text alternatives for pictures, and transcripts for podcast episodes.",
	CompletionHeading: "Record your completion",
	CompletionText:    "When you have worked through every item and its questions, record it in your learning system. Only that you have completed the pack is recorded: anything you write in your reflections stays with you and is never sent.",
	CompletionButton:  "I have completed this pack",
	NotRecorded:       "Progress is not recorded: this copy of the pack is not running in a learning system.",
	Recorded:          "Your learning record shows this pack as completed.",
	Back:              "You are back where you left off: " + Here + ".",
	Thanks:            "Thank you: your learning record now shows this pack as completed.",
}

// or is w with English in place of each word left empty.
func (w Words) or() Words {
	for _, f := range []struct {
		to *string
		en string
	}{
		{&w.Opening, English.Opening}, {&w.Contents, English.Contents}, {&w.Accessibility, English.Accessibility},
		{&w.CompletionHeading, English.CompletionHeading}, {&w.CompletionText, English.CompletionText}, {&w.CompletionButton, English.CompletionButton},
		{&w.NotRecorded, English.NotRecorded}, {&w.Recorded, English.Recorded}, {&w.Back, English.Back}, {&w.Thanks, English.Thanks},
	} {
		if *f.to == "" {
			*f.to = f.en
		}
	}
	if !strings.Contains(w.Back, Here) {
		w.Back = English.Back
	}
	return w
}

// completion is what the SCORM copy adds at the end of the pack: a way to
// record that the learner has finished, and what is and is not sent.
func completion(w Words) string {
	esc := html.EscapeString
	return `<section class="scorm-complete" aria-labelledby="scorm-heading">
<h2 id="scorm-heading">` + esc(w.CompletionHeading) + `</h2>
<p>` + esc(w.CompletionText) + `</p>
<p><button type="button" id="scorm-complete">` + esc(w.CompletionButton) + `</button></p>
<p id="scorm-status" role="status"></p>
</section>`
}

// scormMessages are the English messages of scorm.js, as the script
// writes them, with the words that take their place.
func scormMessages(w Words) [][2]string {
	before, after, _ := strings.Cut(w.Back, Here)
	enBefore, enAfter, _ := strings.Cut(English.Back, Here)
	return [][2]string{
		{jsString(English.NotRecorded), jsString(w.NotRecorded)},
		{jsString(English.Recorded), jsString(w.Recorded)},
		{jsString(enBefore) + " + at.textContent + " + jsString(enAfter), jsString(before) + " + at.textContent + " + jsString(after)},
		{jsString(English.Thanks), jsString(w.Thanks)},
	}
}

// scormScript is scorm.js with its messages in the words' language.
func scormScript(w Words) []byte {
	js := string(scormJS)
	for _, m := range scormMessages(w) {
		js = strings.Replace(js, m[0], m[1], 1)
	}
	return []byte(js)
}

// jsString quotes text as scorm.js quotes its messages: in single quotes.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`, "<", `\x3c`, "\u2028", `\u2028`, "\u2029", `\u2029`).Replace(s) + "'"
}
