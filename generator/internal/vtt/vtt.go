// Package vtt reads WebVTT transcripts: cues with their times and speakers,
// and the readable paragraphs an episode page and the search index show.
//
// It reads WebVTT as the specification's parser does, so that a file
// players show is shown, and reports what players skip with its line and
// column.
package vtt

import (
	"cmp"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Cue is one timed piece of text: one voice's words, when a cue gives
// several speakers their turns.
type Cue struct {
	Start, End time.Duration
	Speaker    string // from <v Name>, "" when the cue names nobody
	Text       string // plain text, tags removed and entities decoded
	// HTML is the text as HTML when it has ruby, which it keeps as
	// <ruby> and <rt> (its Text has each annotation in brackets); "" for
	// text with none, which is then Text escaped
	HTML string
	Line int // line of the cue's timing
}

// Problem is something wrong in the file, at a 1-based line and column. A
// warning is something players skip or get wrong while the rest of the
// transcript is shown; anything else leaves nothing to show.
type Problem struct {
	Line, Col int
	Msg       string
	Hint      string
	Warning   bool
}

func (p Problem) Error() string { return fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg) }

// MaxCues is the most cues a transcript may have, counted before it is
// read: a cue a second for five and a half hours. Each cue is a line of
// the page and of the search index; a 2 MB file of tiny cues holds 60,000.
const MaxCues = 20_000

// Parse reads a WebVTT file as the WebVTT specification's parser does
// (https://w3c.github.io/webvtt/#file-parsing), so that it keeps every cue
// a browser shows: cues may overlap and come in any order (they are
// returned by start time), a timing that browsers cannot read drops its
// cue, with a warning at its place, and so does a block with no timing.
// A cue whose text has several voices gives a Cue for each. It returns
// the cues and every problem found; an error (not a warning) means there
// is nothing to show.
func Parse(src []byte) ([]Cue, []Problem) {
	raws, probs, ok := parseFile(src)
	if !ok {
		return nil, probs
	}
	var cues []Cue
	for _, r := range raws {
		if r.end <= r.start {
			probs = append(probs, Problem{r.line, r.endCol, fmt.Sprintf("the cue ends at %s, not after it starts (%s), so players never show it", stamp(r.end), stamp(r.start)), "make the end time later than the start time", true})
		}
		for _, v := range voices(r.text) {
			cues = append(cues, Cue{Start: r.start, End: r.end, Speaker: v.speaker, Text: v.text, HTML: v.html, Line: r.line})
		}
	}
	sortCues(cues)
	if len(cues) == 0 {
		if len(raws) == 0 {
			probs = append(probs, Problem{1, 1, "the transcript has no cues", "add cues: a timing line such as 00:00:00.000 --> 00:00:05.000, then the words", false})
		} else {
			probs = append(probs, Problem{raws[0].line, 1, "the transcript's cues have no words", "add the words spoken under each timing line", false})
		}
	}
	return cues, probs
}

// sortCues puts cues in the order players give them: by start, the longer
// first, then as written.
func sortCues(cues []Cue) {
	slices.SortStableFunc(cues, func(a, b Cue) int {
		if a.Start != b.Start {
			return cmp.Compare(a.Start, b.Start)
		}
		return cmp.Compare(b.End, a.End)
	})
}

// rawCue is a cue as the file parser reads it: its text not yet parsed.
type rawCue struct {
	id         string
	start, end time.Duration
	text       string // the cue's lines, as written, joined by line feeds
	line       int    // of its timing
	endCol     int    // where its end time starts
}

// parseFile is the specification's WebVTT file parser, keeping cues only
// (style sheets and regions are left to players). ok is false when the
// file is not one a browser reads at all.
func parseFile(src []byte) (cues []rawCue, probs []Problem, ok bool) {
	bad := func(line, col int, warning bool, hint, format string, args ...any) {
		probs = append(probs, Problem{line, col, fmt.Sprintf(format, args...), hint, warning})
	}
	if p := tooMany(src, "-->"); p != nil {
		return nil, []Problem{*p}, false
	}
	text, probs, ok := decode(src)
	if !ok {
		return nil, probs, false
	}
	lines := strings.Split(text, "\n")
	if first := lines[0]; !(first == "WEBVTT" || strings.HasPrefix(first, "WEBVTT ") || strings.HasPrefix(first, "WEBVTT\t")) {
		bad(1, 1, false, "add WEBVTT and a blank line at the top of the file", "a WebVTT transcript must start with the line WEBVTT")
		return nil, probs, false
	}
	p := 1
	if p < len(lines) && lines[p] != "" {
		_, p = block(lines, p, true, bad) // the header
	}
	for p < len(lines) {
		if lines[p] == "" {
			p++
			continue
		}
		var c *rawCue
		if c, p = block(lines, p, false, bad); c != nil {
			cues = append(cues, *c)
		}
	}
	return cues, probs, true
}

// block is the specification's "collect a WebVTT block" from lines[p]:
// a cue, or nil for anything else (a header, a comment, a style sheet, a
// region, or a block a player skips, which is reported), and the line
// after it.
func block(lines []string, p int, header bool, bad func(line, col int, warning bool, hint, format string, args ...any)) (*rawCue, int) {
	first := p
	var cue *rawCue
	var buf []string
	seenCue, seenArrow, other := false, false, false
	count, prev := 0, p
	for p < len(lines) {
		line := lines[p]
		p++
		count++
		if strings.Contains(line, "-->") {
			if header || !(count == 1 || count == 2 && !seenArrow) {
				p = prev // the line starts the next block
				break
			}
			seenArrow, prev = true, p
			c, col, why := timings(line)
			if why != "" {
				bad(p, col, true, "write the times as HH:MM:SS.mmm or MM:SS.mmm, minutes and seconds in two digits and milliseconds in three, e.g. 00:01:02.000 --> 00:01:05.500", "players skip this cue: %s", why)
				cue = nil
				continue
			}
			c.id, c.line = strings.Join(buf, "\n"), p
			cue, buf, seenCue = &c, nil, true
			continue
		}
		if line == "" {
			break
		}
		if !header && count == 2 && !seenCue && len(buf) == 1 {
			if head, rest, _ := strings.Cut(buf[0], "STYLE"); head == "" && strings.Trim(rest, " \t\n\f\r") == "" {
				buf, other = nil, true
			} else if head, rest, _ := strings.Cut(buf[0], "REGION"); head == "" && strings.Trim(rest, " \t\n\f\r") == "" {
				buf, other = nil, true
			}
		}
		buf = append(buf, line)
		prev = p
	}
	if cue != nil {
		cue.text = strings.Join(buf, "\n")
		return cue, p
	}
	if !header && !seenArrow && !other && !strings.HasPrefix(lines[first], "NOTE") && lines[first] != "STYLE" && lines[first] != "REGION" {
		bad(first+1, 1, true, "give the cue a timing line such as 00:01:02.000 --> 00:01:05.500 on its first or second line; or, for a comment, start the block with NOTE", "players skip this block: it has no cue timing")
	}
	return nil, p
}

// timings is the specification's "collect WebVTT cue timings and
// settings" (settings are left to players): the cue's times, or why a
// browser refuses the line, at a 1-based column.
func timings(line string) (c rawCue, col int, why string) {
	p := skipSpace(line, 0)
	start, at, why := timestamp(line, p)
	if why != "" {
		return c, at + 1, why
	}
	p = skipSpace(line, at)
	if !strings.HasPrefix(line[p:], "-->") {
		return c, p + 1, "the start time is not followed by -->"
	}
	p = skipSpace(line, p+3)
	end, at, why := timestamp(line, p)
	if why != "" {
		return c, at + 1, why
	}
	return rawCue{start: start, end: end, endCol: p + 1}, 0, ""
}

func skipSpace(s string, p int) int {
	for p < len(s) && strings.IndexByte(" \t\n\f\r", s[p]) >= 0 {
		p++
	}
	return p
}

// maxHours bounds a cue time's hours, below the 2,562,047 a time.Duration
// holds, so a mistyped time is reported rather than wrapping round.
const maxHours = 1_000_000

// timestamp is the specification's "collect a WebVTT timestamp" at s[p:]:
// [hours:]MM:SS.mmm, hours of any number of digits, minutes and seconds
// of two, under 60, milliseconds of three. It returns the time and where
// it ends, or why it is not one and where it starts.
func timestamp(s string, p int) (time.Duration, int, string) {
	digits := func() (int, int) { // value and count; the value saturates
		n, v := 0, 0
		for p < len(s) && s[p] >= '0' && s[p] <= '9' {
			if v < maxHours {
				v = v*10 + int(s[p]-'0')
			}
			p, n = p+1, n+1
		}
		return v, n
	}
	at := p
	if p >= len(s) || s[p] < '0' || s[p] > '9' {
		return 0, at, fmt.Sprintf("%q is not a time: a time starts with a digit", word(s, at))
	}
	v1, n1 := digits()
	hours := n1 != 2 || v1 > 59
	if p >= len(s) || s[p] != ':' {
		return 0, at, fmt.Sprintf("%q is not a time: a colon must follow %q", word(s, at), s[at:p])
	}
	p++
	v2, n2 := digits()
	if n2 != 2 {
		return 0, at, fmt.Sprintf("%q is not a time: minutes and seconds are two digits", word(s, at))
	}
	var v3 int
	if hours || p < len(s) && s[p] == ':' {
		if p >= len(s) || s[p] != ':' {
			return 0, at, fmt.Sprintf("%q is not a time: %s cannot be minutes (two digits, up to 59), so it must be hours, followed by minutes and seconds", word(s, at), s[at:at+n1])
		}
		p++
		var n3 int
		if v3, n3 = digits(); n3 != 2 {
			return 0, at, fmt.Sprintf("%q is not a time: minutes and seconds are two digits", word(s, at))
		}
	} else {
		v1, v2, v3 = 0, v1, v2
	}
	if p >= len(s) || s[p] != '.' {
		return 0, at, fmt.Sprintf("%q is not a time: the seconds need a point and three digits of milliseconds", word(s, at))
	}
	p++
	v4, n4 := digits()
	if n4 != 3 {
		return 0, at, fmt.Sprintf("%q is not a time: milliseconds are three digits", word(s, at))
	}
	if v2 > 59 || v3 > 59 {
		return 0, at, fmt.Sprintf("%q is not a time: minutes and seconds go up to 59", word(s, at))
	}
	if v1 >= maxHours {
		return 0, at, fmt.Sprintf("%q is not a time: more hours than a recording has", word(s, at))
	}
	return time.Duration(v1)*time.Hour + time.Duration(v2)*time.Minute + time.Duration(v3)*time.Second + time.Duration(v4)*time.Millisecond, p, ""
}

// word is the run of s from at to the next white space, for messages.
func word(s string, at int) string {
	end := at
	for end < len(s) && strings.IndexByte(" \t\n\f\r", s[end]) < 0 {
		end++
	}
	return s[at:end]
}

// parseStamp reads a whole string as one timestamp.
func parseStamp(s string) (time.Duration, bool) {
	d, at, why := timestamp(s, 0)
	return d, why == "" && at == len(s)
}

// voice is one speaker's words in a cue, and as HTML when they hold ruby.
type voice struct{ speaker, text, html string }

// voices reads a cue's text as the specification's cue text parser does
// (https://w3c.github.io/webvtt/#cue-text-parsing-rules), as far as a
// transcript needs: its plain text, split where the voice changes. Tags
// are dropped, but for a voice's name; character references are decoded;
// a ruby's annotation follows its base in brackets, so words do not run
// together; lines are joined by a space.
func voices(text string) []voice {
	var out []voice
	var b, h strings.Builder // the plain text, and the HTML
	ruby := false            // h has ruby in it
	var stack []string       // open tags' names, a voice's as "v" + its name
	speaker := func() string {
		for i := len(stack) - 1; i >= 0; i-- {
			if name, ok := strings.CutPrefix(stack[i], "v"); ok {
				return name
			}
		}
		return ""
	}
	words := func(s string) {
		s = html.UnescapeString(s)
		b.WriteString(s)
		h.WriteString(html.EscapeString(s))
	}
	mark := func(text, tag string) {
		b.WriteString(text)
		h.WriteString(tag)
	}
	cur := ""
	flush := func() {
		if t := oneSpaced(b.String()); t != "" {
			v := voice{cur, t, ""}
			if ruby {
				v.html = oneSpaced(h.String())
			}
			if n := len(out); n > 0 && out[n-1].speaker == cur {
				if v.html != "" || out[n-1].html != "" {
					out[n-1].html = cmp.Or(out[n-1].html, html.EscapeString(out[n-1].text)) + " " + cmp.Or(v.html, html.EscapeString(t))
				}
				out[n-1].text += " " + t
			} else {
				out = append(out, v)
			}
		}
		b.Reset()
		h.Reset()
		ruby = false
	}
	for len(text) > 0 {
		lt := strings.IndexByte(text, '<')
		if lt < 0 {
			words(text)
			break
		}
		words(text[:lt])
		gt := strings.IndexByte(text[lt:], '>')
		tag := text[lt+1:]
		if gt >= 0 {
			tag = text[lt+1 : lt+gt]
			text = text[lt+gt+1:]
		} else {
			text = ""
		}
		if name, closing := strings.CutPrefix(tag, "/"); closing {
			name = strings.TrimSpace(name)
			for i := len(stack) - 1; i >= 0; i-- {
				if tagName(stack[i]) == name {
					for _, open := range slices.Backward(stack[i:]) { // what closing it closes
						switch open {
						case "rt":
							mark(")", "</rt>")
						case "ruby":
							mark("", "</ruby>")
						}
					}
					stack = stack[:i]
					break
				}
			}
		} else if tag != "" && (tag[0] < '0' || tag[0] > '9') { // not a timestamp
			name, annotation, _ := strings.Cut(strings.Map(tabToSpace, tag), " ")
			name, _, _ = strings.Cut(name, ".")
			switch name {
			case "v":
				stack = append(stack, "v"+oneSpaced(html.UnescapeString(annotation)))
			case "c", "i", "b", "u", "lang":
				stack = append(stack, name)
			case "ruby":
				stack = append(stack, name)
				mark("", "<ruby>")
				ruby = true
			case "rt":
				if len(stack) > 0 && stack[len(stack)-1] == "ruby" {
					mark(" (", "<rt>")
					stack = append(stack, name)
				}
			}
		}
		if s := speaker(); s != cur {
			flush()
			cur = s
		}
	}
	// tags the cue leaves open close at its end
	for _, open := range slices.Backward(stack) {
		switch open {
		case "rt":
			mark(")", "</rt>")
		case "ruby":
			mark("", "</ruby>")
		}
	}
	flush()
	return out
}

// tagName is an open tag's name as a closing tag gives it.
func tagName(open string) string {
	if strings.HasPrefix(open, "v") && open != "v" && open[1] != ' ' {
		return "v"
	}
	return open
}

func tabToSpace(r rune) rune {
	if r == '\t' || r == '\n' || r == '\f' || r == '\r' {
		return ' '
	}
	return r
}

// oneSpaced is s with each run of white space made one space, and none at
// either end: s itself, without a copy, when it already is (most cues).
func oneSpaced(s string) string {
	space := true // a space at the start is one too many
	for _, r := range s {
		if unicode.IsSpace(r) && (r != ' ' || space) {
			return strings.Join(strings.Fields(s), " ")
		}
		space = r == ' '
	}
	if space && s != "" {
		return strings.TrimRight(s, " ")
	}
	return s
}

// Words is the number of words in the cue's text.
func (c Cue) Words() int {
	if c.Text == "" {
		return 0
	}
	return strings.Count(c.Text, " ") + 1 // its words are one space apart
}

// Paragraph is a run of cues by one speaker, for reading.
type Paragraph struct {
	ID      string // fragment id, unique in the transcript: "t83", "t83-2"
	Start   time.Duration
	End     time.Duration // the end of its last cue
	Speaker string
	Text    string
	HTML    string // as Cue.HTML: "" unless a cue of it has ruby
	// Break is 1 + the index of the first of breaks that starts here
	// (a chapter, on episode pages), 0 for none.
	Break int
}

// ParagraphWords is the longest paragraph, in words, that episode pages and
// the search index make of one speaker's cues: a minute or so of speech.
const ParagraphWords = 80

// Paragraphs merges consecutive cues of one speaker into paragraphs of at
// most about maxWords words, so long monologues still get timestamps often
// enough to link to. A paragraph also starts at each of breaks (chapter
// starts, in order): at the cue heard then, or at the next cue when that
// one starts nearer to the break (a chapter at 0:18 starts with the cue at
// 0:18.9, not the one from 0:13 to 0:19), or at the first cue after it.
func Paragraphs(cues []Cue, maxWords int, breaks ...time.Duration) []Paragraph {
	var out []Paragraph
	words, next := 0, 0 // next: the index of breaks[0]
	for i, c := range cues {
		n := c.Words()
		brk := 0
		for len(breaks) > 0 && breaks[0] < c.End {
			b := breaks[0]
			if b > c.Start && i+1 < len(cues) && cues[i+1].Start-b < b-c.Start {
				break // the next cue starts nearer to it
			}
			if brk == 0 {
				brk = next + 1
			}
			breaks, next = breaks[1:], next+1
		}
		if k := len(out); k > 0 && brk == 0 && out[k-1].Speaker == c.Speaker && words+n <= maxWords {
			if p := &out[k-1]; p.HTML != "" || c.HTML != "" {
				p.HTML = cmp.Or(p.HTML, html.EscapeString(p.Text)) + " " + cmp.Or(c.HTML, html.EscapeString(c.Text))
			}
			out[k-1].Text += " " + c.Text
			out[k-1].End = c.End
			words += n
			continue
		}
		out = append(out, Paragraph{Start: c.Start, End: c.End, Speaker: c.Speaker, Text: c.Text, HTML: c.HTML, Break: brk})
		words = n
	}
	seen := map[string]int{}
	for i := range out {
		id := "t" + strconv.Itoa(int(out[i].Start/time.Second))
		if seen[id]++; seen[id] > 1 {
			id += "-" + strconv.Itoa(seen[id])
		}
		out[i].ID = id
	}
	return out
}

// Clock is a time as people read it: "1:23", or "1:02:03" past an hour.
func Clock(d time.Duration) string {
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// stamp is a time as WebVTT writes it.
func stamp(d time.Duration) string {
	ms := int(d / time.Millisecond)
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}
