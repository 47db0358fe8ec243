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
	at := func(i int) (int, int) { return lineCol(src, int64(nthIndex(src, `"startTime"`, i))) }
	if cf.Version == "" {
		probs = append(probs, diag.Errorf(file, 1, 1, "the chapters file has no version").WithHint(`add "version": "1.2.0"`))
	}
	var out []Chapter
	for i, c := range cf.Chapters {
		if c.StartTime == nil || *c.StartTime < 0 || math.IsNaN(*c.StartTime) {
			l, col := at(i)
			probs = append(probs, diag.Errorf(file, l, col, "chapter %d has no startTime", i+1).WithHint(`give each chapter "startTime": seconds from the start, e.g. 750.5`))
			continue
		}
		if c.TOC != nil && !*c.TOC {
			continue
		}
		start := time.Duration(*c.StartTime * float64(time.Second))
		if len(out) > 0 && start <= out[len(out)-1].Start {
			l, col := at(i)
			probs = append(probs, diag.Errorf(file, l, col, "chapter %d starts at %gs, not after the chapter before", i+1, *c.StartTime).WithHint("list chapters in the order they are heard"))
		}
		out = append(out, Chapter{Start: start, Title: c.Title, URL: c.URL})
	}
	diag.AttachSources(src, probs)
	return out, probs
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(src []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(src)))
	before := src[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// nthIndex is the offset of the n-th (0-based) occurrence of sep, or 0.
func nthIndex(src []byte, sep string, n int) int {
	off := 0
	for i := 0; ; i++ {
		j := bytes.Index(src[off:], []byte(sep))
		if j < 0 {
			return 0
		}
		if i == n {
			return off + j
		}
		off += j + len(sep)
	}
}
