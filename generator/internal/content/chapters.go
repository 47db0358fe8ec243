package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/check"
	"github.com/otpress/otpress/generator/internal/diag"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// Chapter is a titled moment of an episode.
type Chapter struct {
	Start time.Duration
	Title string
	URL   string // a page about the chapter, or ""
}

var chapterKeys = []string{"start", "title", "url"}

// chapters reads an episode's chapters: a list in front matter
//
//	chapters:
//	  - start: "00:00"
//	    title: Introductions
//
// or the name of a Podcasting 2.0 chapters file next to the page
// (chapters: chapters.json). It returns the chapters and, for a file, its
// site path.
func (d *dec) chapters(fsys fs.FS, it *Item, f *fm.Field) ([]Chapter, string) {
	if f.Value.Kind == fm.String {
		src := d.text(f)
		sp, fp, ok := resolve(fsys, it, src)
		switch {
		case !strings.HasSuffix(strings.ToLower(src), ".json"):
			d.errAt(f.Value.Pos, "list the chapters here (- start: \"00:00\", title: ...) or name a Podcasting 2.0 chapters file ending in .json", "chapters %q is not a JSON chapters file", src)
			return nil, ""
		case !ok:
			d.notFound(f.Value.Pos, "chapters file", src, it)
			return nil, ""
		}
		b, pr := readFile(fsys, fp)
		if pr != nil {
			d.probs = append(d.probs, pr)
			return nil, ""
		}
		chs, probs := ParseChapters(fp, b)
		d.probs = append(d.probs, probs...)
		return chs, sp
	}
	var out []Chapter
	d.maps(f, chapterKeys, "chapters", func(i int, m *fm.Value) {
		c := Chapter{Title: d.text(m.Get("title")), URL: d.text(m.Get("url"))}
		if scheme, bad := check.UnsafeURL(c.URL, false); bad {
			d.errAt(m.Get("url").Value.Pos, "give the address of a web page (https://…) or of a page of this site", "the chapter's url is a %s: address, which would run a script or show a document made of the address", scheme)
			c.URL = ""
		}
		sf := m.Get("start")
		if sf == nil {
			d.errAt(m.Pos, `add start: with the time the chapter begins, e.g. start: "00:12:30"`, "chapter %d has no start", i+1)
			return
		}
		s := d.text(sf)
		start, ok := parseDuration(s)
		if !ok && !(strings.Contains(s, ":") && strings.Trim(s, "0:") == "") { // "00:00" is a start too
			d.errAt(sf.Value.Pos, `write the start as minutes and seconds or hours, minutes and seconds, e.g. start: "12:30" or "01:02:03"`, "chapter start %q is not a time", s)
			return
		}
		c.Start = start
		if c.Title == "" {
			d.errAt(m.Pos, "add title: saying what the chapter is about; it is the chapter's link text", "chapter %d has no title", i+1)
		}
		if len(out) > 0 && c.Start <= out[len(out)-1].Start {
			d.errAt(sf.Value.Pos, "list chapters in the order they are heard, each starting after the one before", "chapter %d starts at %s, not after chapter %d", i+1, s, i)
		}
		out = append(out, c)
	})
	return out, ""
}

// chaptersFile is the Podcasting 2.0 JSON chapters format (version 1.2).
type chaptersFile struct {
	Version  string `json:"version"`
	Chapters []struct {
		StartTime *float64 `json:"startTime"`
		Title     string   `json:"title"`
		URL       string   `json:"url"`
		TOC       *bool    `json:"toc"`
	} `json:"chapters"`
}

// ParseChapters reads a Podcasting 2.0 chapters file. Chapters marked
// "toc": false are left out: they are not meant for a table of contents.
func ParseChapters(file string, src []byte) ([]Chapter, []*diag.Problem) {
	var cf chaptersFile
	dec := json.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&cf); err != nil {
		var off int64
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		msg := err.Error()
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
			msg = fmt.Sprintf("%s should be %s, not %s", te.Field, te.Type, te.Value)
		}
		line, col := lineCol(src, off)
		p := diag.Errorf(file, line, col, "the chapters file is not valid: %s", strings.TrimPrefix(msg, "json: ")).
			WithHint(`a chapters file looks like {"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Introductions"}]}`)
		p.AttachSource(src)
		return nil, []*diag.Problem{p}
	}
	var probs []*diag.Problem
	places := chapterPlaces(src)
	// at is the place of a chapter's field, or of the chapter
	at := func(i int, key string) (int, int) {
		if i >= len(places) {
			return 1, 1
		}
		off, ok := places[i][key]
		if !ok {
			off = places[i][""]
		}
		return lineCol(src, off)
	}
	if cf.Version == "" {
		probs = append(probs, diag.Errorf(file, 1, 1, "the chapters file has no version").WithHint(`add "version": "1.2.0"`))
	}
	if len(cf.Chapters) > MaxEntries {
		l, col := at(MaxEntries, "")
		probs = append(probs, diag.Errorf(file, l, col, "%s", tooMany("chapters", MaxEntries)).WithHint("keep the chapters listeners need to find their way; a chapter every minute of a long episode is too many"))
		cf.Chapters = cf.Chapters[:MaxEntries]
	}
	var out []Chapter
	for i, c := range cf.Chapters {
		if c.StartTime == nil || *c.StartTime < 0 || math.IsNaN(*c.StartTime) {
			l, col := at(i, "startTime")
			probs = append(probs, diag.Errorf(file, l, col, "chapter %d has no startTime", i+1).WithHint(`give each chapter "startTime": seconds from the start, e.g. 750.5`))
			continue
		}
		if *c.StartTime >= maxChapterSeconds {
			l, col := at(i, "startTime")
			probs = append(probs, diag.Errorf(file, l, col, "chapter %d's startTime %g is out of range: no episode is %g seconds long", i+1, *c.StartTime, *c.StartTime).
				WithHint(`give the seconds from the start of the episode, e.g. "startTime": 750.5`))
			continue
		}
		if scheme, bad := check.UnsafeURL(c.URL, false); bad {
			l, col := at(i, "url")
			probs = append(probs, diag.Errorf(file, l, col, "chapter %d's url is a %s: address, which would run a script or show a document made of the address", i+1, scheme).
				WithHint("give the address of a web page (https://…) or of a page of this site"))
			c.URL = ""
		}
		if c.TOC != nil && !*c.TOC {
			continue
		}
		start := time.Duration(*c.StartTime * float64(time.Second))
		if len(out) > 0 && start <= out[len(out)-1].Start {
			l, col := at(i, "startTime")
			probs = append(probs, diag.Errorf(file, l, col, "chapter %d starts at %gs, not after the chapter before", i+1, *c.StartTime).WithHint("list chapters in the order they are heard"))
		}
		out = append(out, Chapter{Start: start, Title: c.Title, URL: c.URL})
	}
	diag.AttachSources(src, probs)
	return out, probs
}

// maxChapterSeconds is past any episode (a million hours), and below the
// 2.5 million hours a time.Duration holds, so a start is never wrapped round.
const maxChapterSeconds = 3.6e9

// chapterPlaces reads a chapters file's tokens (json.Decoder gives their
// offsets) and returns, for each chapter, the offset of the value of each
// of its fields, and of the chapter itself under "".
func chapterPlaces(src []byte) []map[string]int64 {
	dec := json.NewDecoder(bytes.NewReader(src))
	var out []map[string]int64
	var stack []json.Delim // the arrays and objects around the next token
	key := true            // in an object, the next string is a key
	inChapters := false
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		chapter := inChapters && len(stack) == 3
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if inChapters && len(stack) == 2 && t == '{' {
					out = append(out, map[string]int64{"": valueStart(src, before)})
				}
				stack = append(stack, t)
			default:
				stack = stack[:len(stack)-1]
				if len(stack) < 2 {
					inChapters = false
				}
			}
		case string:
			if len(stack) > 0 && stack[len(stack)-1] == '{' && key {
				if chapter {
					out[len(out)-1][t] = valueStart(src, dec.InputOffset())
				}
				if len(stack) == 1 && t == "chapters" {
					inChapters = true
				}
				key = false
				continue
			}
		}
		key = len(stack) > 0 && stack[len(stack)-1] == '{'
	}
}

// valueStart is where the next token after off starts: past white space,
// a comma or a colon.
func valueStart(src []byte, off int64) int64 {
	for off < int64(len(src)) && strings.IndexByte(" \t\r\n,:", src[off]) >= 0 {
		off++
	}
	return off
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(src []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(src)))
	before := src[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}
