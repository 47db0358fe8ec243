package content

import (
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/otpress/otpress/generator/internal/diag"
	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// Known front-matter keys, per kind (fields.go). They are the contract
// other tools rely on.
var (
	storyKeys   = keys(Fields(string(Story)))
	episodeKeys = keys(Fields(string(Episode)))
	featureKeys = keys(Fields(string(Feature)))
	themeKeys   = keys(themeFields)
	sectionKeys = keys(sectionFields)
	homeKeys    = keys(homeFields)
	imageKeys   = keys(imageFields)
	outcomeKeys = keys(outcomeFields)
	personKeys  = keys(personFields)
	audioKeys   = keys(audioFields)
)

// KnownKeys returns the front-matter keys of a kind of page: "story",
// "episode", "feature", "theme" or "pack".
func KnownKeys(kind string) []string {
	switch kind {
	case string(Story):
		return slices.Clone(storyKeys)
	case string(Episode):
		return slices.Clone(episodeKeys)
	case string(Feature):
		return slices.Clone(featureKeys)
	case "theme":
		return slices.Clone(themeKeys)
	case "pack":
		return slices.Clone(packKeys)
	}
	return nil
}

// migrationHints explains keys other generators use.
var migrationHints = map[string]string{
	"description": `otpress calls this "summary"`,
	"categories":  `otpress files everything under "themes"`,
	"keywords":    `otpress files everything under "themes"`,
	"author":      `use "authors", a list`,
	"lastmod":     `otpress calls this "updated"`,
	"weight":      `lists are ordered by date; remove it`,
	"url":         `use "slug" to change the last part of the address, and "aliases" for old addresses`,
}

// scheduling are other generators' keys for when a page appears or goes,
// which an editor moving a site relies on: errors, not warnings, so that a
// page is never published early or kept past its end.
var scheduling = map[string]struct{ name, does string }{
	"publishdate":   {"date", "an item dated after the build is left out until that day"},
	"publish_date":  {"date", "an item dated after the build is left out until that day"},
	"expirydate":    {"expires", "the first build on or after that day leaves the item out"},
	"expiry_date":   {"expires", "the first build on or after that day leaves the item out"},
	"unpublishdate": {"expires", "the first build on or after that day leaves the item out"},
}

// dec decodes one file's front matter, collecting problems instead of
// stopping at the first.
type dec struct {
	file  string
	probs []*diag.Problem
}

func (d *dec) errAt(p fm.Pos, hint, format string, args ...any) {
	pr := diag.Errorf(d.file, p.Line, p.Col, format, args...)
	pr.Hint = hint
	d.probs = append(d.probs, pr)
}

func (d *dec) warnAt(p fm.Pos, hint, format string, args ...any) {
	pr := diag.Warnf(d.file, p.Line, p.Col, format, args...)
	pr.Hint = hint
	d.probs = append(d.probs, pr)
}

// unknown warns about keys of m that are not in known, naming the nearest.
func (d *dec) unknown(m *fm.Value, known []string, where string) {
	for _, f := range m.Fields {
		if slices.Contains(known, f.Key) {
			continue
		}
		if key, ok := scheduling[strings.ToLower(f.Key)]; ok && where == "" {
			// ignored, a post would go live early or stay for ever
			d.errAt(f.KeyPos, fmt.Sprintf("rename it to %s: %s", key.name, key.does), "%q is another generator's key; otpress reads %q for this", f.Key, key.name)
			continue
		}
		hint := ""
		if h, ok := migrationHints[strings.ToLower(f.Key)]; ok && where == "" {
			hint = h
		} else if near := diag.Nearest(f.Key, known); near != "" {
			hint = fmt.Sprintf("did you mean %q?", near)
		} else {
			hint = "known keys here are " + strings.Join(known, ", ")
		}
		d.warnAt(f.KeyPos, hint, "unknown key %q%s is ignored", f.Key, where)
	}
}

func describe(v *fm.Value) string {
	switch v.Kind {
	case fm.String:
		return fmt.Sprintf("the text %q", clip(v.Str))
	case fm.List, fm.Map, fm.Null:
		return v.Kind.String()
	}
	return fmt.Sprintf("%s (%s)", v.Kind, v.Str)
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}

// text reads a scalar as text. Numbers, booleans and dates are accepted as
// written (YAML reads "title: 2019" as a number).
func (d *dec) text(f *fm.Field) string {
	if f == nil {
		return ""
	}
	switch f.Value.Kind {
	case fm.String, fm.Int, fm.Float, fm.Bool, fm.Time:
		return strings.TrimSpace(f.Value.Str)
	case fm.Null:
		return ""
	}
	d.errAt(f.Value.Pos, fmt.Sprintf("write it as %s: some text", f.Key), "%s must be text, not %s", f.Key, describe(f.Value))
	return ""
}

// required reads text that must be present and not empty.
func (d *dec) required(m *fm.Value, key, example string, bodyLine int) string {
	f := m.Get(key)
	if f == nil {
		d.errAt(fm.Pos{Line: 1, Col: 1}, fmt.Sprintf("add a line such as %s: %s to the front matter", key, example), "%s is missing", key)
		return ""
	}
	s := d.text(f)
	if s == "" && f.Value.Kind != fm.List && f.Value.Kind != fm.Map {
		d.errAt(f.Value.Pos, fmt.Sprintf("write it as %s: %s", key, example), "%s is empty", key)
	}
	return s
}

// texts reads a list of text; a single text is a list of one.
func (d *dec) texts(f *fm.Field) []string {
	refs := d.refs(f)
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		out = append(out, r.Name)
	}
	return out
}

func (d *dec) refs(f *fm.Field) []Ref {
	if f == nil {
		return nil
	}
	v := f.Value
	switch v.Kind {
	case fm.Null:
		return nil
	case fm.String, fm.Int, fm.Float:
		if strings.TrimSpace(v.Str) == "" {
			return nil
		}
		return []Ref{{Name: strings.TrimSpace(v.Str), Pos: v.Pos}}
	case fm.List:
		max := MaxEntries
		if f.Key == "themes" || f.Key == "tags" {
			max = MaxThemes
		}
		var out []Ref
		for _, e := range d.entries(f, max) {
			switch e.Kind {
			case fm.String, fm.Int, fm.Float, fm.Bool, fm.Time:
				if s := strings.TrimSpace(e.Str); s != "" {
					out = append(out, Ref{Name: s, Pos: e.Pos})
				} else {
					d.errAt(e.Pos, "remove the empty entry", "%s has an empty entry", f.Key)
				}
			default:
				d.errAt(e.Pos, fmt.Sprintf("each entry of %s is a line of text after a dash: - some text", f.Key), "an entry of %s is %s, not text", f.Key, describe(e))
			}
		}
		return out
	}
	d.errAt(v.Pos, fmt.Sprintf("write a list: %s: [first, second]", f.Key), "%s must be a list of text, not %s", f.Key, describe(v))
	return nil
}

// themeRefs reads the names of themes: text, or a list of text. A number,
// true or false, or a date is a slip of the keyboard, not a theme's name.
func (d *dec) themeRefs(f *fm.Field) []Ref {
	if f == nil {
		return nil
	}
	notName := func(v *fm.Value) bool {
		return v.Kind == fm.Int || v.Kind == fm.Float || v.Kind == fm.Bool || v.Kind == fm.Time
	}
	if notName(f.Value) {
		d.errAt(f.Value.Pos, fmt.Sprintf("write the names of themes as a list, e.g. %s: [co-production]; put a name that is a number in quotes", f.Key), "%s must be a list of theme names, not %s", f.Key, describe(f.Value))
		return nil
	}
	if f.Value.Kind == fm.List && slices.ContainsFunc(f.Value.List, notName) {
		list := *f.Value
		list.List = nil
		for _, e := range f.Value.List {
			if notName(e) {
				d.errAt(e.Pos, "write the theme's name, e.g. co-production; put a name that is a number in quotes", "an entry of %s is %s, not a theme's name", f.Key, describe(e))
				continue
			}
			list.List = append(list.List, e)
		}
		f = &fm.Field{Key: f.Key, KeyPos: f.KeyPos, Value: &list}
	}
	return d.refs(f)
}

// slug reads a slug: line, which replaces the address from the file name
// (given as def) when it is one.
func (d *dec) slug(f *fm.Field, def string) string {
	if f == nil {
		return def
	}
	s := d.text(f)
	switch {
	case IsSlug(s):
		return s
	case s != "":
		d.errAt(f.Value.Pos, fmt.Sprintf("use lower-case letters, digits and hyphens, e.g. slug: %s", Slug(s)), "slug %q cannot be part of an address", s)
	}
	return def
}

func (d *dec) boolean(f *fm.Field) bool {
	if f == nil || f.Value.Kind == fm.Null {
		return false
	}
	if f.Value.Kind != fm.Bool {
		d.errAt(f.Value.Pos, fmt.Sprintf("write %s: true or %s: false, without quotes", f.Key, f.Key), "%s must be true or false, not %s", f.Key, describe(f.Value))
		return false
	}
	return f.Value.Bool
}

func (d *dec) number(f *fm.Field, name string) (float64, bool) {
	if f == nil {
		return 0, false
	}
	v := f.Value
	switch v.Kind {
	case fm.Int:
		return float64(v.Int), true
	case fm.Float:
		return v.Float, true
	case fm.String:
		if _, err := strconv.ParseFloat(strings.TrimSpace(v.Str), 64); err == nil {
			d.errAt(v.Pos, "remove the quotes so it is read as a number", "%s is text %q; it must be a number", name, v.Str)
			return 0, false
		}
	}
	d.errAt(v.Pos, "write a number such as 4 or 2.5; put units in \"unit\" and words in \"note\"", "%s must be a number, not %s", name, describe(v))
	return 0, false
}

func (d *dec) integer(f *fm.Field, min int64) int {
	if f == nil || f.Value.Kind == fm.Null {
		return 0
	}
	v := f.Value
	if v.Kind == fm.Int && v.Int >= min && v.Int <= math.MaxInt32 {
		return int(v.Int)
	}
	if v.Kind == fm.Int {
		d.errAt(v.Pos, fmt.Sprintf("use a whole number of at least %d", min), "%s is %d; it must be at least %d", f.Key, v.Int, min)
		return 0
	}
	d.errAt(v.Pos, fmt.Sprintf("write a whole number without quotes, e.g. %s: 72", f.Key), "%s must be a whole number, not %s", f.Key, describe(v))
	return 0
}

// date reads YYYY-MM-DD, an RFC 3339 date-time, or a TOML date literal.
func (d *dec) date(f *fm.Field) (time.Time, bool, bool) {
	v := f.Value
	if v.Kind == fm.Time {
		return v.Time, v.DateOnly, true
	}
	if v.Kind == fm.String {
		s := strings.TrimSpace(v.Str)
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t, true, true
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, false, true
		}
		for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, false, true
			}
		}
	}
	if v.Kind == fm.String {
		d.errAt(v.Pos, "write the date as 2019-04-01, or with a time as 2019-04-01T09:30:00Z", "%s %q is not a date", f.Key, clip(v.Str))
	} else {
		d.errAt(v.Pos, "write the date as 2019-04-01, or with a time as 2019-04-01T09:30:00Z", "%s must be a date, not %s", f.Key, describe(v))
	}
	return time.Time{}, false, false
}

// list iterates over a list of maps, checking keys of each.
func (d *dec) maps(f *fm.Field, known []string, what string, each func(i int, m *fm.Value)) {
	if f == nil || f.Value.Kind == fm.Null {
		return
	}
	if f.Value.Kind != fm.List {
		d.errAt(f.Value.Pos, fmt.Sprintf("write %s as a list, each entry starting with a dash: - %s: ...", f.Key, known[0]), "%s must be a list of %s, not %s", f.Key, what, describe(f.Value))
		return
	}
	for i, e := range d.entries(f, MaxEntries) {
		if e.Kind != fm.Map {
			d.errAt(e.Pos, fmt.Sprintf("each entry is a set of fields: - %s: ...", known[0]), "entry %d of %s is %s, not a set of fields (%s)", i+1, f.Key, describe(e), strings.Join(known, ", "))
			continue
		}
		d.unknown(e, known, fmt.Sprintf(" in %s", f.Key))
		each(i, e)
	}
}

func (d *dec) people(f *fm.Field) []Person {
	var out []Person
	d.maps(f, personKeys, "people", func(i int, m *fm.Value) {
		p := Person{Name: d.text(m.Get("name")), Role: d.text(m.Get("role"))}
		if p.Name == "" {
			d.errAt(m.Pos, "add name: and the person's name", "entry %d of %s has no name", i+1, f.Key)
		}
		out = append(out, p)
	})
	return out
}

func (d *dec) outcomes(f *fm.Field) []Outcome {
	var out []Outcome
	d.maps(f, outcomeKeys, "outcomes", func(i int, m *fm.Value) {
		o := Outcome{Measure: d.text(m.Get("measure")), Unit: d.text(m.Get("unit")), Note: d.text(m.Get("note")), Pos: m.Pos}
		if f := m.Get("measure"); f != nil {
			o.MeasurePos = f.Value.Pos
		}
		if f := m.Get("unit"); f != nil {
			o.UnitPos = f.Value.Pos
		}
		if o.Measure == "" {
			d.errAt(m.Pos, "say what was measured, e.g. measure: Care visits a day", "outcome %d has no measure", i+1)
		}
		for _, k := range []string{"before", "after"} {
			bf := m.Get(k)
			if bf == nil {
				d.errAt(m.Pos, fmt.Sprintf("add %s: with a number", k), "outcome %d has no %q value", i+1, k)
				continue
			}
			n, _ := d.number(bf, k)
			if k == "before" {
				o.Before = n
			} else {
				o.After = n
			}
		}
		out = append(out, o)
	})
	return out
}

// parseDuration reads HH:MM:SS (or MM:SS).
func parseDuration(s string) (time.Duration, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var total int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (i > 0 && (n > 59 || len(p) != 2)) {
			return 0, false
		}
		total = total*60 + n
	}
	return time.Duration(total) * time.Second, total > 0
}

// mediaTypes maps audio file extensions to media types.
var mediaTypes = map[string]string{
	".mp3":  "audio/mpeg",
	".m4a":  "audio/mp4",
	".mp4":  "audio/mp4",
	".aac":  "audio/aac",
	".ogg":  "audio/ogg",
	".oga":  "audio/ogg",
	".opus": "audio/ogg",
	".wav":  "audio/wav",
	".flac": "audio/flac",
}

// AudioType returns the media type for an audio file name, or "".
func AudioType(name string) string { return mediaTypes[strings.ToLower(path.Ext(name))] }
