package vtt

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// Transcripts come from editing and hosting tools as WebVTT, SubRip (SRT)
// or Podcasting 2.0 JSON. Each is read into the same cues, with the same
// leniency: what a player would skip is a warning at its place, and only
// a file with nothing to show is an error.

// Format is a transcript file's format, named by its media type.
type Format string

const (
	WebVTT Format = "text/vtt"
	SRT    Format = "application/x-subrip"
	JSON   Format = "application/json"
)

// FormatOf is the format of a transcript file by its name's ending, and
// false for one otpress does not read.
func FormatOf(name string) (Format, bool) {
	switch strings.ToLower(path.Ext(name)) {
	case ".vtt":
		return WebVTT, true
	case ".srt":
		return SRT, true
	case ".json":
		return JSON, true
	}
	return "", false
}

// ParseAs reads a transcript in format f.
func ParseAs(f Format, src []byte) ([]Cue, []Problem) {
	switch f {
	case SRT:
		return ParseSRT(src)
	case JSON:
		return ParseJSON(src)
	}
	return Parse(src)
}

// decode is src as text: a UTF-16 file is an error; invalid UTF-8 is shown
// as U+FFFD, with a warning; a byte-order mark, NULs and CR line ends go.
func decode(src []byte) (string, []Problem, bool) {
	if bom := string(src[:min(2, len(src))]); bom == "\xff\xfe" || bom == "\xfe\xff" {
		return "", []Problem{{1, 1, "the transcript is saved as UTF-16 (\"Unicode\"), which otpress cannot read", "save it as UTF-8 (in Notepad: File, Save as, Encoding: UTF-8)", false}}, false
	}
	var probs []Problem
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
		probs = append(probs, Problem{line, i - start + 1, "the transcript is not valid UTF-8: players show � for each byte that is not", "save the file as UTF-8", true})
	}
	s := strings.ToValidUTF8(string(src), "\ufffd")
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.ReplaceAll(s, "\x00", "\ufffd")
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"), probs, true
}

// tooMany is the problem of a file with more than MaxCues timings (n is
// how many times sep, which each cue has once, is in src), at the first
// one past the limit; nil when there are not.
func tooMany(src []byte, sep string) *Problem {
	if bytes.Count(src, []byte(sep)) <= MaxCues {
		return nil
	}
	at, line := 0, 1
	for range MaxCues + 1 {
		i := bytes.Index(src[at:], []byte(sep))
		line += bytes.Count(src[at:at+i], []byte("\n"))
		at += i + len(sep)
	}
	return &Problem{line, 1, fmt.Sprintf("the transcript has more than %d cues; otpress allows %d", MaxCues, MaxCues), "split the episode's transcript, or join short cues into sentences", false}
}

// ParseSRT reads a SubRip (.srt) transcript: blocks of an optional number,
// a timing line "00:01:02,000 --> 00:01:05,500" (a point for the comma,
// and no hours, are read too, as players do) and the words, between
// blank lines. SRT names no speakers.
func ParseSRT(src []byte) ([]Cue, []Problem) {
	if p := tooMany(src, "-->"); p != nil {
		return nil, []Problem{*p}
	}
	s, probs, ok := decode(src)
	if !ok {
		return nil, probs
	}
	lines := strings.Split(s, "\n")
	var cues []Cue
	blank := func(l string) bool { return strings.TrimSpace(l) == "" }
	for i := 0; i < len(lines); {
		if blank(lines[i]) {
			i++
			continue
		}
		start := i
		for i < len(lines) && !blank(lines[i]) {
			i++
		}
		block := lines[start:i]
		t := 0
		if !strings.Contains(block[0], "-->") && len(block) > 1 {
			t = 1 // the cue's number
		}
		if !strings.Contains(block[t], "-->") {
			probs = append(probs, Problem{start + 1, 1, "players skip this block: it has no timing line", "give each cue a line such as 00:01:02,000 --> 00:01:05,500 after its number", true})
			continue
		}
		line := start + t + 1
		left, right, _ := strings.Cut(block[t], "-->")
		from, ok1 := srtTime(left)
		to, ok2 := srtTime(right)
		if !ok1 || !ok2 {
			col := 1
			if ok1 {
				col = len(left) + 4
			}
			probs = append(probs, Problem{line, col, fmt.Sprintf("players skip this cue: %q is not a time", strings.TrimSpace(block[t])), "write the times as 00:01:02,000 --> 00:01:05,500: hours, minutes and seconds in two digits, milliseconds in three", true})
			continue
		}
		if to <= from {
			probs = append(probs, Problem{line, len(left) + 4, fmt.Sprintf("the cue ends at %s, not after it starts (%s), so players never show it", stamp(to), stamp(from)), "make the end time later than the start time", true})
		}
		for _, v := range voices(strings.Join(block[t+1:], "\n")) {
			cues = append(cues, Cue{Start: from, End: to, Speaker: v.speaker, Text: v.text, Line: line})
		}
	}
	return finish(cues, probs)
}

// srtTime reads an SRT time, [[H]H:]MM:SS,mmm or with a point, with what
// may follow it on the line (SRT's position after the end time) left out.
func srtTime(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		s = s[:i]
	}
	s = strings.Replace(s, ",", ".", 1)
	if strings.Count(s, ":") == 2 {
		if h, _, _ := strings.Cut(s, ":"); len(h) == 1 {
			s = "0" + s // one-digit hours, as some tools write
		}
	}
	return parseStamp(s)
}

// finish puts cues in the order players give them and says when there are
// none.
func finish(cues []Cue, probs []Problem) ([]Cue, []Problem) {
	sortCues(cues)
	if len(cues) == 0 {
		probs = append(probs, Problem{1, 1, "the transcript has no cues", "add cues: each with its start and end times and the words spoken", false})
	}
	return cues, probs
}

// MaxSegments bounds the segments a JSON transcript may have, counted as
// they are read: word-by-word transcripts hold one a word, about 60,000
// for a five-hour episode.
const MaxSegments = 200_000

// ParseJSON reads a Podcasting 2.0 JSON transcript
// (https://github.com/Podcastindex-org/podcast-namespace, transcripts.md):
// {"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime",
// "body"}]}, times in seconds. Consecutive segments of one speaker that
// follow each other within a second are joined into one cue (many tools
// write one segment a word), a sentence at most.
func ParseJSON(src []byte) ([]Cue, []Problem) {
	s, probs, ok := decode(src)
	if !ok {
		return nil, probs
	}
	at := func(off int64) (int, int) {
		off = min(max(off, 0), int64(len(s)))
		line := 1 + strings.Count(s[:off], "\n")
		return line, int(off) - strings.LastIndexByte(s[:off], '\n')
	}
	fail := func(off int64, hint, format string, args ...any) ([]Cue, []Problem) {
		l, c := at(off)
		return nil, append(probs, Problem{l, c, fmt.Sprintf(format, args...), hint, false})
	}
	dec := json.NewDecoder(strings.NewReader(s))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fail(0, "a JSON transcript is an object: {\"version\": \"1.0.0\", \"segments\": [...]}", "the transcript is not a JSON object")
	}
	type segment struct {
		Speaker   *string         `json:"speaker"`
		StartTime json.RawMessage `json:"startTime"`
		EndTime   json.RawMessage `json:"endTime"`
		Body      *string         `json:"body"`
	}
	type read struct {
		segment
		off int64
	}
	var segs []read
	found := false
	for dec.More() {
		keyAt := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return fail(keyAt, "check the file's JSON: quotes, commas and brackets", "the transcript is not valid JSON: %v", jsonErr(err))
		}
		if tok != "segments" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(dec.InputOffset(), "check the file's JSON: quotes, commas and brackets", "the transcript is not valid JSON: %v", jsonErr(err))
			}
			continue
		}
		found = true
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return fail(keyAt, "segments is a list: \"segments\": [{\"startTime\": 0.5, \"endTime\": 2.1, \"body\": \"Hello\"}]", "segments is not a list")
		}
		for dec.More() {
			off := dec.InputOffset()
			if len(segs) == MaxSegments {
				return fail(off, "split the episode's transcript, or join segments into sentences", "the transcript has more than %d segments; otpress allows %d", MaxSegments, MaxSegments)
			}
			var sg segment
			if err := dec.Decode(&sg); err != nil {
				return fail(off, "each segment is an object with startTime, endTime and body", "this segment cannot be read: %v", jsonErr(err))
			}
			// the segment's own opening brace, past the comma and spaces
			off += int64(strings.IndexByte(s[off:], '{'))
			segs = append(segs, read{sg, off})
		}
		if _, err := dec.Token(); err != nil {
			return fail(dec.InputOffset(), "check the file's JSON: quotes, commas and brackets", "the transcript is not valid JSON: %v", jsonErr(err))
		}
	}
	if !found {
		return fail(0, "list the words under \"segments\": [{\"startTime\": 0.5, \"endTime\": 2.1, \"body\": \"Hello\"}]", "the transcript has no segments")
	}
	var cues []Cue
	seconds := func(raw json.RawMessage) (time.Duration, bool) {
		var f float64
		if len(raw) == 0 || raw[0] == '"' || json.Unmarshal(raw, &f) != nil || f < 0 || math.IsNaN(f) || f >= maxHours*3600 {
			return 0, false
		}
		return time.Duration(math.Round(f*1000)) * time.Millisecond, true
	}
	for i, sg := range segs {
		line, col := at(sg.off)
		from, ok := seconds(sg.StartTime)
		if !ok {
			probs = append(probs, Problem{line, col, "players skip this segment: its startTime is missing or not a number of seconds", "give each segment \"startTime\": seconds from the start, e.g. 12.5", true})
			continue
		}
		body := ""
		if sg.Body != nil {
			body = oneSpaced(*sg.Body)
		}
		if body == "" {
			continue // a pause, or a segment with no words
		}
		to, ok := seconds(sg.EndTime)
		if !ok { // until the next segment, or a second
			to = from + time.Second
			for _, next := range segs[i+1:] {
				if n, ok := seconds(next.StartTime); ok && n > from {
					to = n
					break
				}
			}
		}
		speaker := ""
		if sg.Speaker != nil {
			speaker = oneSpaced(*sg.Speaker)
		}
		if k := len(cues); k > 0 {
			prev := &cues[k-1]
			if prev.Speaker == speaker && from >= prev.Start && from-prev.End <= time.Second && !sentenceEnd(prev.Text) && prev.Words() < ParagraphWords {
				prev.Text += " " + body
				prev.End = max(prev.End, to)
				continue
			}
		}
		if to <= from {
			probs = append(probs, Problem{line, col, fmt.Sprintf("the segment ends at %s, not after it starts (%s), so players never show it", stamp(to), stamp(from)), "make endTime later than startTime", true})
		}
		cues = append(cues, Cue{Start: from, End: to, Speaker: speaker, Text: body, Line: line})
		if len(cues) > MaxCues {
			return fail(sg.off, "join short segments into sentences", "the transcript has more than %d cues; otpress allows %d", MaxCues, MaxCues)
		}
	}
	return finish(cues, probs)
}

func sentenceEnd(s string) bool {
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!")
}

// jsonErr is a JSON error without Go's type names.
func jsonErr(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s should not be a %s", cmp.Or(te.Field, "the value"), te.Value)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "the file ends too soon"
	}
	return err.Error()
}
