package vtt

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestWPT reads the web-platform-tests' WebVTT file-parsing cases
// (testdata/wpt, see its README) with the file parser and checks what
// their assertions check of cues: how many there are, and each one's id,
// text and times where asserted. Assertions about cue settings, regions
// and style sheets are left out: players read those, otpress does not.
func TestWPT(t *testing.T) {
	// assertions written as loops, spelt out: [index, start, end] in seconds
	loops := map[string][][3]float64{
		"timings-negative.test":      {{0, 0, 0}, {1, 1, 0.999}, {2, 60, 59.999}, {3, 3600, 3599.999}},
		"timings-omitted-hours.test": {{0, 0, 1}, {1, 0, 1}, {2, 0, 1}},
	}
	// cases whose assertions are about style sheets only: of the cues
	// they ask only that the file is read (the track loads, with no
	// error event, which their harness asserts)
	noCues := map[string]bool{"stylesheets-newlines.test": true, "stylesheets-none.test": true}
	files, err := filepath.Glob("testdata/wpt/*.test")
	if err != nil || len(files) < 24 {
		t.Fatalf("%d cases, %v", len(files), err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			js, vtt, ok := strings.Cut(string(data), "===\n")
			if !ok {
				t.Fatal("no === line")
			}
			want := expectations(t, js)
			for _, l := range loops[name] {
				i := int(l[0])
				want.cues[i] = mergeCue(want.cues[i], wantCue{text: "text" + strconv.Itoa(i+1), start: l[1], end: l[2], hasText: true, hasTimes: true})
			}
			if want.count < 0 && !noCues[name] {
				t.Fatal("the case asserts no count of cues")
			}
			cues, _, ok := parseFile(unescapePython(t, vtt))
			if !ok {
				t.Fatalf("the file was refused")
			}
			if noCues[name] {
				if want.count >= 0 || len(want.cues) > 0 {
					t.Fatal("the case asserts something of cues")
				}
				return
			}
			if len(cues) != want.count {
				t.Fatalf("%d cues, want %d", len(cues), want.count)
			}
			for i, w := range want.cues {
				c := cues[i]
				if w.hasID && c.id != w.id {
					t.Errorf("cue %d: id %q, want %q", i, c.id, w.id)
				}
				if w.hasText && c.text != w.text {
					t.Errorf("cue %d: text %q, want %q", i, c.text, w.text)
				}
				if w.hasStart && !sameTime(c.start, w.start) || w.hasTimes && (!sameTime(c.start, w.start) || !sameTime(c.end, w.end)) {
					t.Errorf("cue %d: %v --> %v, want %v --> %v s", i, c.start, c.end, w.start, w.end)
				}
				if w.hasEnd && !sameTime(c.end, w.end) {
					t.Errorf("cue %d: ends %v, want %v s", i, c.end, w.end)
				}
			}
		})
	}
}

type wantCue struct {
	id, text                                   string
	start, end                                 float64
	hasID, hasText, hasStart, hasEnd, hasTimes bool
}

func mergeCue(a, b wantCue) wantCue {
	if b.hasText {
		a.text, a.hasText = b.text, true
	}
	if b.hasTimes {
		a.start, a.end, a.hasTimes = b.start, b.end, true
	}
	return a
}

type wanted struct {
	count int
	cues  map[int]wantCue
}

var (
	countRe  = regexp.MustCompile(`assert_equals\(cues\.length, (\d+)`)
	varRe    = regexp.MustCompile(`var cue = cues\[(\d+)\];`)
	fieldRe  = regexp.MustCompile(`assert_equals\((?:cues\[(\d+)\]|(cue))\.(id|text|startTime|endTime), ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[0-9.]+)\)`)
	jsEscape = regexp.MustCompile(`\\u[0-9A-Fa-f]{4}|\\.`)
)

// expectations reads the simple assertions of a case's JavaScript.
func expectations(t *testing.T, js string) wanted {
	w := wanted{count: -1, cues: map[int]wantCue{}}
	if m := countRe.FindStringSubmatch(js); m != nil {
		w.count, _ = strconv.Atoi(m[1])
	}
	current := -1
	for _, line := range strings.Split(js, "\n") {
		if m := varRe.FindStringSubmatch(line); m != nil {
			current, _ = strconv.Atoi(m[1])
		}
		m := fieldRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		i := current
		if m[2] == "" {
			i, _ = strconv.Atoi(m[1])
		}
		c := w.cues[i]
		v := m[4]
		switch m[3] {
		case "id", "text":
			s := jsEscape.ReplaceAllStringFunc(v[1:len(v)-1], func(e string) string {
				if strings.HasPrefix(e, `\u`) {
					n, _ := strconv.ParseUint(e[2:], 16, 32)
					return string(rune(n))
				}
				return e[1:]
			})
			if m[3] == "id" {
				c.id, c.hasID = s, true
			} else {
				c.text, c.hasText = s, true
			}
		case "startTime", "endTime":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			if m[3] == "startTime" {
				c.start, c.hasStart = f, true
			} else {
				c.end, c.hasEnd = f, true
			}
		}
		w.cues[i] = c
	}
	return w
}

func sameTime(d time.Duration, seconds float64) bool {
	return math.Abs(d.Seconds()-seconds) < 1e-9
}

// unescapePython decodes s as Python's unicode_escape codec does, which
// the suite's build.py uses to write each case's WebVTT file: \\, \n, \r,
// \t, \f, \v, \xNN, \uNNNN, octal \0 to \777 (up to three digits), and a
// backslash before a line feed, which joins the lines.
func unescapePython(t *testing.T, s string) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			out = append(out, c)
			continue
		}
		i++
		switch e := s[i]; e {
		case '\n':
		case '\\':
			out = append(out, '\\')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'f':
			out = append(out, '\f')
		case 'v':
			out = append(out, '\v')
		case 'x', 'u':
			n := 2
			if e == 'u' {
				n = 4
			}
			v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			if err != nil {
				t.Fatalf("bad escape \\%c%s", e, s[i+1:i+1+n])
			}
			out = utf8.AppendRune(out, rune(v))
			i += n
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, n := 0, 0
			for n < 3 && i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '7' {
				v = v*8 + int(s[i+n]-'0')
				n++
			}
			out = utf8.AppendRune(out, rune(v))
			i += n - 1
		default:
			out = append(out, '\\', e)
		}
	}
	return out
}
