// Package vtt reads WebVTT transcripts: cues with their times and speakers,
// and the readable paragraphs an episode page and the search index show.
//
// It reads the parts of WebVTT that transcripts use (the header, NOTE,
// STYLE and REGION blocks, cue identifiers, timings with settings, and voice
// tags) and reports every problem with its line and column.
package vtt

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Cue is one timed piece of text.
type Cue struct {
	Start, End time.Duration
	Speaker    string // from <v Name>, "" when the cue names nobody
	Text       string // plain text, tags removed and entities decoded
	Line       int    // line of the cue's timing
}

// Problem is something wrong in the file, at a 1-based line and column.
type Problem struct {
	Line, Col int
	Msg       string
	Hint      string
}

func (p Problem) Error() string { return fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg) }

// MaxCues is the most cues a transcript may have, counted before it is
// read: a cue a second for five and a half hours. Each cue is a line of
// the page and of the search index; a 2 MB file of tiny cues holds 60,000.
const MaxCues = 20_000

// Parse reads a WebVTT file. It returns the cues it could read and every
// problem found, so one run can report them all.
func Parse(src []byte) ([]Cue, []Problem) {
	var probs []Problem
	bad := func(line, col int, hint, format string, args ...any) {
		probs = append(probs, Problem{line, col, fmt.Sprintf(format, args...), hint})
	}
	if bom := string(src[:min(2, len(src))]); bom == "\xff\xfe" || bom == "\xfe\xff" {
		bad(1, 1, "save it as UTF-8 (in Notepad: File, Save as, Encoding: UTF-8)", "the transcript is saved as UTF-16 (\"Unicode\"), which otpress cannot read")
		return nil, probs
	}
	if !utf8.Valid(src) {
		line, start, i := 1, 0, 0 // columns count bytes, as every column does
		for i < len(src) {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			if r == '\n' {
				line, start = line+1, i+1
			}
			i += n
		}
		bad(line, i-start+1, "save the file as UTF-8", "the transcript is not valid UTF-8")
		return nil, probs
	}
	if n := bytes.Count(src, []byte("-->")); n > MaxCues {
		// the line of the first timing past the limit
		at, line := 0, 1
		for range MaxCues + 1 {
			i := bytes.Index(src[at:], []byte("-->"))
			line += bytes.Count(src[at:at+i], []byte("\n"))
			at += i + 3
		}
		bad(line, 1, "split the episode's transcript, or join short cues into sentences", "the transcript has more than %d cues; otpress allows %d", MaxCues, MaxCues)
		return nil, probs
	}
	text := strings.TrimPrefix(string(src), "\ufeff")
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) == 0 || !(lines[0] == "WEBVTT" || strings.HasPrefix(lines[0], "WEBVTT ") || strings.HasPrefix(lines[0], "WEBVTT\t")) {
		bad(1, 1, "add WEBVTT and a blank line at the top of the file", "a WebVTT transcript must start with the line WEBVTT")
		return nil, probs
	}
	var cues []Cue
	i := 1
	for i < len(lines) && lines[i] != "" { // header lines
		i++
	}
	for i < len(lines) {
		if strings.TrimSpace(lines[i]) == "" {
			i++
			continue
		}
		start := i
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
			i++
		}
		block := lines[start:i]
		first := block[0]
		if strings.HasPrefix(first, "NOTE") || first == "STYLE" || first == "REGION" {
			continue
		}
		t := 0 // index of the timing line in the block
		if !strings.Contains(first, "-->") {
			t = 1
		}
		if t >= len(block) || !strings.Contains(block[t], "-->") {
			bad(start+1, 1, "give each cue a timing line such as 00:01:02.000 --> 00:01:05.500", "this block has no cue timing")
			continue
		}
		line := start + t + 1
		c, p := timing(block[t], line)
		if p != nil {
			probs = append(probs, *p)
			continue
		}
		c.Line = line
		c.Speaker, c.Text = payload(block[t+1:])
		if c.Text == "" {
			bad(line, 1, "add the words spoken, or delete the cue", "the cue has no text")
			continue
		}
		if n := len(cues); n > 0 {
			prev := cues[n-1]
			switch {
			case c.Start < prev.Start:
				bad(line, 1, "put the cues in time order", "the cue starts at %s, before the cue on line %d starts (%s)", stamp(c.Start), prev.Line, stamp(prev.Start))
				continue
			case c.Start < prev.End:
				bad(line, 1, fmt.Sprintf("start this cue at %s or later, or end the cue on line %d sooner", stamp(prev.End), prev.Line), "the cue starts at %s, before the cue on line %d ends (%s)", stamp(c.Start), prev.Line, stamp(prev.End))
				continue
			}
		}
		cues = append(cues, c)
	}
	if len(cues) == 0 && len(probs) == 0 {
		bad(1, 1, "add cues: a timing line such as 00:00:00.000 --> 00:00:05.000, then the words", "the transcript has no cues")
	}
	return cues, probs
}

// timing reads "00:01:02.000 --> 00:01:05.500 settings".
func timing(s string, line int) (Cue, *Problem) {
	arrow := strings.Index(s, "-->")
	left := strings.TrimRight(s[:arrow], " \t")
	rest := strings.TrimLeft(s[arrow+3:], " \t")
	right, _, _ := strings.Cut(rest, " ")
	right, _, _ = strings.Cut(right, "\t")
	var c Cue
	var ok bool
	if c.Start, ok = parseStamp(left); !ok {
		return c, &Problem{line, 1, fmt.Sprintf("%q is not a cue time", left), "write times as HH:MM:SS.mmm or MM:SS.mmm, e.g. 00:01:02.000"}
	}
	col := len(s) - len(rest) + 1
	if c.End, ok = parseStamp(right); !ok {
		return c, &Problem{line, col, fmt.Sprintf("%q is not a cue time", right), "write times as HH:MM:SS.mmm or MM:SS.mmm, e.g. 00:01:05.500"}
	}
	if c.End <= c.Start {
		return c, &Problem{line, col, fmt.Sprintf("the cue ends at %s, not after it starts (%s)", stamp(c.End), stamp(c.Start)), "make the end time later than the start time"}
	}
	return c, nil
}

// maxHours bounds a cue time's hours, below the 2,562,047 a time.Duration
// holds, so a mistyped time is reported rather than wrapping round.
const maxHours = 1_000_000

// parseStamp reads [HH:]MM:SS.mmm.
func parseStamp(s string) (time.Duration, bool) {
	secPart, ms, ok := strings.Cut(s, ".")
	if !ok || len(ms) != 3 {
		return 0, false
	}
	parts := strings.Split(secPart, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var n []int
	for i, p := range append(parts, ms) {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || p[0] == '+' {
			return 0, false
		}
		if i > 0 && i < len(parts) && (len(p) != 2 || v > 59) {
			return 0, false
		}
		n = append(n, v)
	}
	if len(parts) == 2 {
		n = append([]int{0}, n...)
	}
	if n[0] >= maxHours || n[1] >= 60*maxHours { // minutes are unbounded without hours
		return 0, false // would overflow a time.Duration
	}
	d := time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute + time.Duration(n[2])*time.Second + time.Duration(n[3])*time.Millisecond
	if d >= maxHours*time.Hour {
		return 0, false
	}
	return d, true
}

// payload is the cue's speaker and plain text.
func payload(lines []string) (speaker, text string) {
	s := strings.Join(lines, " ")
	if strings.HasPrefix(s, "<v") && len(s) > 2 && (s[2] == ' ' || s[2] == '.' || s[2] == '\t') {
		if end := strings.IndexByte(s, '>'); end > 0 {
			tag := s[2:end]
			if _, name, ok := strings.Cut(tag, " "); ok {
				speaker = strings.TrimSpace(name)
			}
		}
	}
	var b strings.Builder
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:lt])
		gt := strings.IndexByte(s[lt:], '>')
		if gt < 0 {
			b.WriteString(s[lt:])
			break
		}
		s = s[lt+gt+1:]
	}
	return speaker, oneSpaced(html.UnescapeString(b.String()))
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
			out[k-1].Text += " " + c.Text
			out[k-1].End = c.End
			words += n
			continue
		}
		out = append(out, Paragraph{Start: c.Start, End: c.End, Speaker: c.Speaker, Text: c.Text, Break: brk})
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
