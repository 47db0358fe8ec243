package vtt

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	src := "\ufeffWEBVTT - a transcript\r\nKind: captions\r\n\r\nNOTE written by hand\r\nover two lines\r\n\r\n1\r\n00:00:01.000 --> 00:00:04.500 align:start\r\n<v Zoe Phillips>Denis had been in bed\r\nfor more than a year.\r\n\r\n00:04.500 --> 00:07.000\r\n<v.loud Zoe Phillips>He set the <i>goals</i> &amp; we followed.\r\n\r\nintro-3\r\n01:00:07.000 --> 01:00:09.250\r\nNo speaker here.\r\n"
	cues, probs := Parse([]byte(src))
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	want := []Cue{
		{time.Second, 4500 * time.Millisecond, "Zoe Phillips", "Denis had been in bed for more than a year.", "", 8},
		{4500 * time.Millisecond, 7 * time.Second, "Zoe Phillips", "He set the goals & we followed.", "", 12},
		{time.Hour + 7*time.Second, time.Hour + 9250*time.Millisecond, "", "No speaker here.", "", 16},
	}
	if len(cues) != len(want) {
		t.Fatalf("got %d cues, want %d: %+v", len(cues), len(want), cues)
	}
	for i := range want {
		if cues[i] != want[i] {
			t.Errorf("cue %d = %+v, want %+v", i, cues[i], want[i])
		}
	}
	ps := Paragraphs(cues, 100)
	if len(ps) != 2 || ps[0].Text != "Denis had been in bed for more than a year. He set the goals & we followed." || ps[1].Start != time.Hour+7*time.Second {
		t.Errorf("paragraphs = %+v", ps)
	}
	if ps[0].ID != "t1" || ps[1].ID != "t3607" {
		t.Errorf("ids = %q, %q", ps[0].ID, ps[1].ID)
	}
	if got := Paragraphs(cues, 12); len(got) != 3 || got[1].ID != "t4" {
		t.Errorf("a 12-word cap should split the first speaker's cues: %+v", got)
	}
}

func TestParagraphIDsAreUnique(t *testing.T) {
	cues := []Cue{{Start: 0, Speaker: "A", Text: "a"}, {Start: 500 * time.Millisecond, Speaker: "B", Text: "b"}, {Start: 900 * time.Millisecond, Speaker: "A", Text: "c"}}
	var ids []string
	for _, p := range Paragraphs(cues, 100) {
		ids = append(ids, p.ID)
	}
	if strings.Join(ids, " ") != "t0 t0-2 t0-3" {
		t.Errorf("ids = %v", ids)
	}
}

func TestProblems(t *testing.T) {
	for _, c := range []struct {
		name, src string
		line, col int
		msg       string
		warning   bool
		cues      int
	}{
		{"no header", "00:00.000 --> 00:01.000\nhi\n", 1, 1, "must start with the line WEBVTT", false, 0},
		{"no cues", "WEBVTT\n\n", 1, 1, "has no cues", false, 0},
		{"bad start", "WEBVTT\n\n00:0x.000 --> 00:01.000\nhi\n\n00:02.000 --> 00:03.000\nho\n", 3, 1, `players skip this cue: "00:0x.000" is not a time: minutes and seconds are two digits`, true, 1},
		{"bad end", "WEBVTT\n\n00:00.000 --> 00:61.000\nhi\n", 3, 15, `"00:61.000" is not a time: minutes and seconds go up to 59`, true, 0},
		{"short millis", "WEBVTT\n\n00:00.00 --> 00:01.000\nhi\n\n00:02.000 --> 00:03.000\nho\n", 3, 1, "milliseconds are three digits", true, 1},
		{"one-digit minutes", "WEBVTT\n\n0:00.000 --> 00:01.000\nhi\n\n00:02.000 --> 00:03.000\nho\n", 3, 1, `"0:00.000" is not a time: 0 cannot be minutes (two digits, up to 59), so it must be hours, followed by minutes and seconds`, true, 1},
		{"75 minutes", "WEBVTT\n\n75:30.000 --> 80:00.000\nhi\n\n00:02.000 --> 00:03.000\nho\n", 3, 1, "75 cannot be minutes", true, 1},
		{"end before start", "WEBVTT\n\n00:05.000 --> 00:01.000\nhi\n", 3, 15, "players never show it", true, 1},
		{"no timing", "WEBVTT\n\nid\njust words\n\n00:02.000 --> 00:03.000\nho\n", 3, 1, "players skip this block: it has no cue timing", true, 1},
		{"empty cue", "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann></v>\n", 3, 1, "have no words", false, 0},
		{"invalid utf-8", "WEBVTT\n\n00:00.000 --> 00:01.000\nab\xffc\n", 4, 3, "not valid UTF-8", true, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			cues, probs := Parse([]byte(c.src))
			if len(probs) == 0 {
				t.Fatal("no problem reported")
			}
			p := probs[0]
			if p.Line != c.line || p.Col != c.col || !strings.Contains(p.Msg, c.msg) || p.Hint == "" || p.Warning != c.warning {
				t.Errorf("got %d:%d %q (hint %q, warning %v), want %d:%d …%s… (warning %v)", p.Line, p.Col, p.Msg, p.Hint, p.Warning, c.line, c.col, c.msg, c.warning)
			}
			if len(cues) != c.cues {
				t.Errorf("%d cues, want %d", len(cues), c.cues)
			}
		})
	}
}

// TestLenient: what the WebVTT parser accepts is accepted quietly:
// overlapping cues and cues out of order (read by start time), a line of
// white space in a cue (YouTube's captions), a comment followed at once by
// a timing (the comment is the cue's id), a timing right under the header,
// hours of one digit.
func TestLenient(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"overlap", "WEBVTT\n\n00:01.000 --> 00:05.000\na\n\n00:04.000 --> 00:06.000\nb\n", "1s-5s a|4s-6s b"},
		{"same start", "WEBVTT\n\n00:01.000 --> 00:02.000\na\n\n00:01.000 --> 00:03.000\nb\n", "1s-3s b|1s-2s a"},
		{"out of order", "WEBVTT\n\n00:05.000 --> 00:06.000\na\n\n00:01.000 --> 00:02.000\nb\n", "1s-2s b|5s-6s a"},
		{"space line", "WEBVTT\nKind: captions\nLanguage: en\n\n00:00:00.160 --> 00:00:02.270 align:start position:0%\n \nso<00:00:00.480><c> today</c>\n\n00:00:02.270 --> 00:00:02.280 align:start position:0%\nso today\n \n", "160ms-2.27s so today|2.27s-2.28s so today"},
		{"note then timing", "WEBVTT\n\nNOTE a comment\n00:01.000 --> 00:02.000\nsaid\n", "1s-2s said"},
		{"timing under header", "WEBVTT\n00:01.000 --> 00:02.000\nsaid\n", "1s-2s said"},
		{"one-digit hours", "WEBVTT\n\n1:00:00.000 --> 1:00:01.000\nlate\n", "1h0m0s-1h0m1s late"},
		{"arrow in text", "WEBVTT\n\n00:01.000 --> 00:02.000\none\n00:03.000 --> 00:04.000\ntwo\n", "1s-2s one|3s-4s two"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cues, probs := Parse([]byte(c.src))
			if len(probs) != 0 {
				t.Errorf("problems: %v", probs)
			}
			if got := cueList(cues); got != c.want {
				t.Errorf("cues %q, want %q", got, c.want)
			}
		})
	}
}

// TestRubyKept: a cue's ruby is kept as HTML, its text escaped, beside
// the plain text with the annotation in brackets, through paragraphs.
func TestRubyKept(t *testing.T) {
	cues, probs := Parse([]byte("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Aiko>Say <ruby>漢字<rt>かんじ</rt></ruby> &amp; <b>more</b>\n\n00:02.000 --> 00:03.000\n<v Aiko>then <i>this</i> & that\n"))
	if len(probs) != 0 || len(cues) != 2 {
		t.Fatalf("%v %v", cues, probs)
	}
	if cues[0].Text != "Say 漢字 (かんじ) & more" || cues[0].HTML != "Say <ruby>漢字<rt>かんじ</rt></ruby> &amp; more" || cues[1].HTML != "" {
		t.Errorf("cues %+v", cues)
	}
	ps := Paragraphs(cues, 100)
	if len(ps) != 1 || ps[0].Text != "Say 漢字 (かんじ) & more then this & that" || ps[0].HTML != "Say <ruby>漢字<rt>かんじ</rt></ruby> &amp; more then this &amp; that" {
		t.Errorf("paragraphs %+v", ps)
	}
}

// TestVoices: a cue's voices as the cue text parser reads them.
func TestVoices(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"<v Ann &amp; Ben>Hello", "Ann & Ben: Hello"},
		{"<v\tAnn Smith>Hello", "Ann Smith: Hello"},
		{"<v  Ann   Smith >Hello", "Ann Smith: Hello"},
		{"<v Ann>Hi</v> <v Ben>Hello", "Ann: Hi|Ben: Hello"},
		{"<v Ann>Hi</v> and you?", "Ann: Hi|: and you?"},
		{"<c.loud><v Ann>Hi</v></c>", "Ann: Hi"},
		{"<v.loud Ann>Hi", "Ann: Hi"},
		{"<v Ann>one\ntwo", "Ann: one two"},
		{"<ruby>漢字<rt>かんじ</rt></ruby>を", "漢字 (かんじ)を"},
		{"<ruby>漢字<rt>かんじ", "漢字 (かんじ)"},
		{"a &lt;b&gt; &amp;nbsp;", "a <b> &nbsp;"},
		{"<i>so</i><00:00:01.000> <b>it</b>", "so it"},
		{"<v Ann>", ""},
		{"unclosed <i", "unclosed"},
	} {
		var got []string
		for _, v := range voices(c.text) {
			if v.speaker == "" && !strings.Contains(c.want, ":") {
				got = append(got, v.text)
			} else {
				got = append(got, v.speaker+": "+v.text)
			}
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("voices(%q) = %q, want %q", c.text, strings.Join(got, "|"), c.want)
		}
	}
}

func TestClock(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0:00", 83 * time.Second: "1:23", 3723 * time.Second: "1:02:03"} {
		if got := Clock(d); got != want {
			t.Errorf("Clock(%v) = %q, want %q", d, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>hello\n"))
	f.Add([]byte("WEBVTT\n\nNOTE x\n\n1\n00:00:00.000 --> 00:00:01.000 line:0\n<b>x</b>\n"))
	// The seeds in testdata/fuzz/FuzzParse add a real transcript, a BOM
	// with CRLF and lone CR line ends, an empty file, overlapping and
	// out-of-order cues, huge hours and unclosed tags.
	f.Fuzz(func(t *testing.T, src []byte) {
		cues := checkCues(t, src, Parse) // in order, with text; problems placed
		lines := strings.Count(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(string(src), "\r\n", ""), "\r") + 1
		words := 0
		for i, c := range cues {
			if c.Line < 2 || c.Line > lines {
				t.Fatalf("cue %d at line %d of %d", i, c.Line, lines)
			}
			// times written back as WebVTT read back the same
			for _, d := range []time.Duration{c.Start, c.End} {
				if back, ok := parseStamp(stamp(d)); !ok || back != d {
					t.Fatalf("%v written as %s reads back as %v", d, stamp(d), back)
				}
			}
			words += len(strings.Fields(c.Text))
		}
		// paragraphs keep every word, in time order, under ids used once
		seen := map[string]bool{}
		got := 0
		paras := Paragraphs(cues, ParagraphWords)
		for i, p := range paras {
			if seen[p.ID] || !strings.HasPrefix(p.ID, "t") || i > 0 && p.Start < paras[i-1].Start {
				t.Fatalf("paragraph %d: %+v", i, p)
			}
			seen[p.ID] = true
			got += len(strings.Fields(p.Text))
		}
		if got != words {
			t.Fatalf("paragraphs hold %d words of %d", got, words)
		}
	})
}

func TestOneSpaced(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a\u00a0b", "a \nb", "é  è ", "a b c d", "  ", "a\u2003"} {
		want := strings.Join(strings.Fields(s), " ")
		if got := oneSpaced(s); got != want {
			t.Errorf("oneSpaced(%q) = %q, want %q", s, got, want)
		}
		if c := (Cue{Text: want}); c.Words() != len(strings.Fields(s)) {
			t.Errorf("Words of %q = %d", want, c.Words())
		}
	}
}

// TestMaxCues: a transcript of MaxCues cues is read; one more is refused,
// before it is read, at the timing of the first cue past the limit.
func TestMaxCues(t *testing.T) {
	cues := func(n int) []byte {
		var b strings.Builder
		b.WriteString("WEBVTT\n")
		for i := range n {
			b.WriteString("\n" + stamp(time.Duration(i)*time.Second) + " --> " + stamp(time.Duration(i)*time.Second+500*time.Millisecond) + "\nx\n")
		}
		return []byte(b.String())
	}
	if got, probs := Parse(cues(MaxCues)); len(got) != MaxCues || len(probs) != 0 {
		t.Fatalf("%d cues: %d read, problems %v", MaxCues, len(got), probs)
	}
	got, probs := Parse(cues(MaxCues + 10))
	if len(got) != 0 || len(probs) != 1 || probs[0].Line != 3+3*MaxCues || probs[0].Col != 1 || !strings.Contains(probs[0].Msg, "more than 20000 cues; otpress allows 20000") || probs[0].Hint == "" {
		t.Fatalf("%d cues: %d read, problems %v; want one at line %d", MaxCues+10, len(got), probs, 3+3*MaxCues)
	}
}

// A chapter starts the paragraph of the cue whose start is nearest to it:
// a chapter at 0:18 heads the cue from 0:18.971, not the one from 0:13
// that is still being heard at 0:18 (issue 27).
func TestParagraphsBreakAtNearestCue(t *testing.T) {
	s := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	cues := []Cue{
		{Start: 0, End: s(7.9), Speaker: "N", Text: "one"},
		{Start: s(7.9), End: s(13.035), Speaker: "N", Text: "two"},
		{Start: s(13.035), End: s(18.971), Speaker: "N", Text: "three"},
		{Start: s(18.971), End: s(25.9), Speaker: "N", Text: "four"},
		{Start: s(25.9), End: s(40), Speaker: "N", Text: "five"},
		{Start: s(40), End: s(41), Speaker: "N", Text: "six"},
	}
	for _, tt := range []struct {
		breaks []time.Duration
		want   string // each paragraph's start second and break
	}{
		{[]time.Duration{0, s(18)}, "0:1 18:2"},       // nearer the next cue
		{[]time.Duration{0, s(27)}, "0:1 25:2"},       // nearer its own cue's start
		{[]time.Duration{s(18), s(18.5)}, "0:0 18:1"}, // two chapters, one paragraph: the first heads it
		{[]time.Duration{s(40.5), s(50)}, "0:0 40:1"}, // in the last cue, and after the talking
		{[]time.Duration{s(13.035)}, "0:0 13:1"},      // exactly at a cue
	} {
		var got []string
		for _, p := range Paragraphs(cues, 100, tt.breaks...) {
			got = append(got, fmt.Sprintf("%d:%d", int(p.Start/time.Second), p.Break))
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("breaks %v: paragraphs %v; want %s", tt.breaks, got, tt.want)
		}
	}
}
