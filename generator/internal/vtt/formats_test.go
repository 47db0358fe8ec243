package vtt

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func cueList(cues []Cue) string {
	var out []string
	for _, c := range cues {
		s := fmt.Sprintf("%v-%v", c.Start, c.End)
		if c.Speaker != "" {
			s += " " + c.Speaker + ":"
		}
		out = append(out, s+" "+c.Text)
	}
	return strings.Join(out, "|")
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]Format{"a.vtt": WebVTT, "A.VTT": WebVTT, "x/t.srt": SRT, "t.json": JSON, "t.txt": "", "vtt": ""} {
		if got, ok := FormatOf(name); got != want || ok != (want != "") {
			t.Errorf("FormatOf(%q) = %q, %v", name, got, ok)
		}
	}
}

func TestParseSRT(t *testing.T) {
	src := "\ufeff1\r\n00:00:01,000 --> 00:00:04,500\r\nDenis had been in bed\r\nfor a <i>year</i>.\r\n\r\n2\r\n00:00:04,500 --> 00:00:07,000 X1:10 X2:20\r\nHe walks &amp; talks.\r\n\r\n3\r\n1:00:07.000 --> 1:00:09.250\r\nLate.\r\n\r\n4\r\n00:00:10 --> 00:00:11,000\r\nskipped\r\n\r\njust words\r\n"
	cues, probs := ParseSRT([]byte(src))
	if got, want := cueList(cues), "1s-4.5s Denis had been in bed for a year.|4.5s-7s He walks & talks.|1h0m7s-1h0m9.25s Late."; got != want {
		t.Errorf("cues\n%s\nwant\n%s", got, want)
	}
	if len(probs) != 2 || probs[0].Line != 15 || probs[0].Col != 1 || !strings.Contains(probs[0].Msg, "not a time") || !probs[0].Warning ||
		probs[1].Line != 18 || !strings.Contains(probs[1].Msg, "no timing line") || !probs[1].Warning {
		t.Errorf("problems %+v", probs)
	}
	if _, probs := ParseSRT([]byte("1\nhello\n")); len(probs) != 2 || probs[1].Warning || !strings.Contains(probs[1].Msg, "no cues") {
		t.Errorf("no cues: %+v", probs)
	}
}

func TestParseJSON(t *testing.T) {
	src := `{
  "version": "1.0.0",
  "segments": [
    {"speaker": "Zoe", "startTime": 0.5, "endTime": 0.75, "body": "Denis"},
    {"speaker": "Zoe", "startTime": 0.8, "endTime": 1.2, "body": "walked."},
    {"speaker": "Zoe", "startTime": 1.3, "endTime": 1.5, "body": "Again"},
    {"speaker": "Sam", "startTime": 2, "body": "Good"},
    {"speaker": "Sam", "startTime": "soon", "body": "lost"},
    {"speaker": "Sam", "startTime": 9, "endTime": 10, "body": "  "},
    {"startTime": 12, "endTime": 13.25, "body": "No one named."}
  ]
}`
	cues, probs := ParseJSON([]byte(src))
	if got, want := cueList(cues), "500ms-1.2s Zoe: Denis walked.|1.3s-1.5s Zoe: Again|2s-9s Sam: Good|12s-13.25s No one named."; got != want {
		t.Errorf("cues\n%s\nwant\n%s", got, want)
	}
	if len(probs) != 1 || probs[0].Line != 8 || probs[0].Col != 5 || !strings.Contains(probs[0].Msg, "startTime") || !probs[0].Warning {
		t.Errorf("problems %+v", probs)
	}
	for _, c := range []struct{ src, msg string }{
		{`[1, 2]`, "not a JSON object"},
		{`{"version": "1.0.0"}`, "no segments"},
		{`{"segments": {}}`, "not a list"},
		{`{"segments": [{"startTime": 1, "body": 3}]}`, "body should not be a number"},
		{`{"segments": [{"startTime": 1, "body": "a"}`, "not valid JSON"},
		{`{"segments": []}`, "no cues"},
	} {
		_, probs := ParseJSON([]byte(c.src))
		if len(probs) == 0 || probs[len(probs)-1].Warning || !strings.Contains(probs[len(probs)-1].Msg, c.msg) || probs[len(probs)-1].Hint == "" {
			t.Errorf("%s: %+v, want …%s…", c.src, probs, c.msg)
		}
	}
}

// TestFormatsAgree: one transcript written as WebVTT, SRT and JSON reads
// as the same cues.
func TestFormatsAgree(t *testing.T) {
	vtt := "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v Ann>One sentence.\n\n00:00:03.000 --> 00:00:04.000\n<v Ben>Another.\n"
	srt := "1\n00:00:01,000 --> 00:00:02,500\n<v Ann>One sentence.\n\n2\n00:00:03,000 --> 00:00:04,000\n<v Ben>Another.\n"
	js := `{"version":"1.0.0","segments":[{"speaker":"Ann","startTime":1,"endTime":2.5,"body":"One sentence."},{"speaker":"Ben","startTime":3,"endTime":4,"body":"Another."}]}`
	a, _ := Parse([]byte(vtt))
	b, _ := ParseSRT([]byte(srt))
	c, _ := ParseJSON([]byte(js))
	want := "1s-2.5s Ann: One sentence.|3s-4s Ben: Another."
	for i, got := range []string{cueList(a), cueList(b), cueList(c)} {
		if got != want {
			t.Errorf("format %d: %s", i, got)
		}
	}
	if a[1].Start != 3*time.Second {
		t.Error(a)
	}
}

func FuzzParseSRT(f *testing.F) {
	f.Add([]byte("1\n00:00:01,000 --> 00:00:02,000\nhi\n"))
	f.Fuzz(func(t *testing.T, src []byte) { checkCues(t, src, ParseSRT) })
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"segments":[{"speaker":"A","startTime":1,"endTime":2,"body":"hi"}]}`))
	f.Fuzz(func(t *testing.T, src []byte) { checkCues(t, src, ParseJSON) })
}

// checkCues: any bytes give cues in order with text, or a problem; every
// problem has a place, a message and a hint. It returns the cues.
func checkCues(t *testing.T, src []byte, parse func([]byte) ([]Cue, []Problem)) []Cue {
	cues, probs := parse(src)
	lines := strings.Count(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(string(src), "\r\n", ""), "\r") + 1
	for _, p := range probs {
		if p.Line < 1 || p.Col < 1 || p.Line > lines || p.Msg == "" || p.Hint == "" {
			t.Fatalf("bad problem %+v for %q", p, src)
		}
	}
	if len(cues) == 0 && len(probs) == 0 {
		t.Fatalf("no cues and no problem for %q", src)
	}
	for i, c := range cues {
		if c.Start < 0 || c.End < 0 || i > 0 && c.Start < cues[i-1].Start || c.Text == "" || c.Text != strings.Join(strings.Fields(c.Text), " ") || !utf8.ValidString(c.Text) || !utf8.ValidString(c.Speaker) {
			t.Fatalf("cue %d: %+v", i, cues)
		}
	}
	return cues
}
