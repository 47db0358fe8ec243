// Package words holds the theme's words in one language: every heading,
// button, count, date and message a page or script shows, read from
// translation files (i18n/<language>.toml). The default theme's en-GB file
// names every word; a theme's or site's file for the site's language
// replaces them one by one, and a word it leaves out is shown in English.
// Counts follow the language's CLDR plural rules (go-i18n).
package words

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/frontmatter"
)

// Base is the language whose file names every word.
const Base = "en-GB"

// Dir is the folder of translation files, in a theme and in a site.
const Dir = "i18n"

// MaxFileBytes is the largest translation file read; a larger one is
// refused before it is parsed.
const MaxFileBytes = 1 << 20

// Layer is a folder that may hold translation files, lowest first: the
// built-in theme, a site's theme, the site itself.
type Layer struct {
	FS   fs.FS
	Dir  string // the folder in FS, e.g. "i18n"
	Name string // how messages name the folder, e.g. "themes/default/i18n"
}

// Words are the theme's words in one language. They are safe for
// concurrent use.
type Words struct {
	Tag  language.Tag
	ids  map[string]bool
	loc  *i18n.Localizer
	msgs map[string]*i18n.Message
	// filled are each word's forms cut at their fields, in the order of
	// forms (zero … other; nil where the word has no such form)
	filled map[string]*[6][]segment
	plural sync.Map // count → the index in forms of its plural form (form)
	// Untranslated counts the base words the language's files leave out.
	Untranslated int
	// Sum is a hash of the files read, so that pages can be planned by
	// the words they show.
	Sum [32]byte
}

var forms = []string{"zero", "one", "two", "few", "many", "other"}

// field matches a template action naming a field: {{.Count}}.
var field = regexp.MustCompile(`\{\{-?\s*\.(\w+)\s*-?\}\}`)

// Load reads the words for lang from the layers. The lowest layer must hold
// the base file. A problem in a file is reported at its line and column.
func Load(layers []Layer, lang string) (*Words, []*diag.Problem) {
	want, err := language.Parse(lang)
	if err != nil {
		want = language.MustParse(Base)
	}
	base := language.MustParse(Base)
	var probs []*diag.Problem
	type file struct {
		layer Layer
		name  string
		tag   language.Tag
	}
	var files []file
	var tags []language.Tag
	for _, l := range layers {
		if l.FS == nil {
			continue
		}
		names, err := fs.Glob(l.FS, path.Join(l.Dir, "*.toml"))
		if err != nil {
			continue
		}
		for _, n := range names {
			stem := strings.TrimSuffix(path.Base(n), ".toml")
			t, err := language.Parse(stem)
			if err != nil {
				probs = append(probs, diag.Errorf(path.Join(l.Name, path.Base(n)), 0, 0, "%q is not a language tag", stem).
					WithHint("name a translation file by its language, e.g. cy.toml for Welsh or en-GB.toml for British English"))
				continue
			}
			files = append(files, file{l, n, t})
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	// the language's own files: the best match, when it is close enough
	// ("cy-GB" takes cy.toml; "en-US" takes en-GB.toml)
	var match language.Tag
	found := false
	if len(tags) > 0 {
		m := language.NewMatcher(tags)
		_, i, conf := m.Match(want)
		if conf >= language.High {
			match, found = tags[i], true
		}
	}

	w := &Words{Tag: want, ids: map[string]bool{}, msgs: map[string]*i18n.Message{}}
	baseFields := map[string][]string{}
	baseForms := map[string]int{} // how many forms each English word has: two for a count
	h := sha256.New()
	var baseRead bool
	type place struct {
		origin string
		pos    frontmatter.Pos
	}
	translated := map[string]place{} // where the language's own words are written
	read := func(f file, isBase bool) {
		origin := path.Join(f.layer.Name, path.Base(f.name))
		src, err := fs.ReadFile(f.layer.FS, f.name)
		if err != nil {
			probs = append(probs, diag.Errorf(origin, 0, 0, "cannot read the file: %v", err))
			return
		}
		fmt.Fprintf(h, "%s %d\n", origin, len(src))
		h.Write(src)
		msgs, ps := parse(origin, src)
		probs = append(probs, ps...)
		for _, m := range msgs {
			if isBase {
				if f.layer == layers[0] {
					baseFields[m.msg.ID] = fieldsOf(m.msg)
					baseForms[m.msg.ID] = len(formsGiven(m.msg))
				} else if _, ok := baseFields[m.msg.ID]; !ok {
					probs = append(probs, unknown(origin, m, baseFields))
					continue
				}
				w.ids[m.msg.ID] = true
			} else {
				known, ok := baseFields[m.msg.ID]
				if !ok {
					probs = append(probs, unknown(origin, m, baseFields))
					continue
				}
				if extra := missing(fieldsOf(m.msg), known); extra != "" {
					probs = append(probs, diag.Errorf(origin, m.pos.Line, m.pos.Col, "%q shows {{.%s}}, which the English words of %q do not have", m.msg.ID, extra, m.msg.ID).
						WithHint("use only the fields the English file uses here: %s", fieldList(known)))
					continue
				}
				translated[m.msg.ID] = place{origin, m.pos}
			}
			w.msgs[m.msg.ID] = m.msg
		}
	}
	for _, f := range files {
		if f.tag == base && f.layer == layers[0] {
			read(f, true)
			baseRead = true
		}
	}
	if !baseRead {
		return nil, append(probs, diag.Errorf(path.Join(layers[0].Name, Base+".toml"), 0, 0, "the theme's English words are missing").
			WithHint("restore the file from otpress's themes/default/i18n"))
	}
	// site and theme files of English first refine the base words
	for _, f := range files {
		if f.tag == base && f.layer != layers[0] {
			read(f, true)
		}
	}
	if found && match != base {
		// the language's words: checked against the English ones, then
		// put in their place
		english := w.msgs
		w.msgs = map[string]*i18n.Message{}
		last := ""
		for _, f := range files {
			if f.tag == match {
				read(f, false)
				last = path.Join(f.layer.Name, path.Base(f.name))
			}
		}
		for id := range w.ids {
			if _, ok := w.msgs[id]; !ok {
				w.msgs[id] = english[id]
				w.Untranslated++
			}
		}
		if w.Untranslated > 0 {
			probs = append(probs, diag.Warnf(last, 0, 0, "%d of the theme's %d words are not given in %s, so pages show them in English", w.Untranslated, len(w.ids), match).
				WithHint("add them to %s; every word is named in themes/default/i18n/%s.toml", last, Base))
		}
	}
	if !found && !strings.HasPrefix(want.String(), "en") {
		w.Untranslated = len(w.ids)
		probs = append(probs, diag.Warnf("site.toml", 0, 0, "the theme has no words in %s, so pages show its English words", want).
			WithHint("add i18n/%s.toml with the words of themes/default/i18n/%s.toml in %s", want, Base, want))
	}
	if slices.ContainsFunc(probs, func(p *diag.Problem) bool { return p.Severity == diag.Error }) {
		return nil, probs
	}
	b := i18n.NewBundle(want)
	w.filled = make(map[string]*[6][]segment, len(w.msgs))
	for id, m := range w.msgs {
		var segs [6][]segment
		for i, f := range texts(m) {
			if f != "" {
				segs[i] = cut(f)
			}
		}
		w.filled[id] = &segs
		if err := b.AddMessages(want, m); err != nil {
			probs = append(probs, diag.Errorf(layers[0].Name, 0, 0, "%q: %v", id, err))
		}
	}
	probe := &i18n.Message{ID: probeID}
	for i, f := range forms {
		setForm(probe, f, strconv.Itoa(i))
	}
	_ = b.AddMessages(want, probe)
	w.loc = i18n.NewLocalizer(b, want.String())
	h.Sum(w.Sum[:0])
	// a count the language's file gives without a form the language uses
	// shows its "other" form there: say so, with a count that needs it
	example := map[int]int{} // form → the first count that takes it
	for _, n := range append(slices.Collect(func(yield func(int) bool) {
		for n := 0; n <= 200 && yield(n); n++ {
		}
	}), 1000, 1000000) {
		if _, ok := example[w.form(n)]; !ok {
			example[w.form(n)] = n
		}
	}
	ids := slices.Sorted(maps.Keys(translated))
	for _, id := range ids {
		segs, at := w.filled[id], translated[id]
		if english := baseForms[id]; english < 2 {
			continue // not a count
		}
		for f := range len(forms) - 1 {
			if n, used := example[f]; used && segs[f] == nil {
				probs = append(probs, diag.Warnf(at.origin, at.pos.Line, at.pos.Col, "%q has no %q form, which %s uses for counts such as %d, so the \"other\" form is shown for them", id, forms[f], want, n).
					WithHint("add %s = \"…\" to %q", forms[f], id))
			}
		}
	}
	return w, probs
}

// unknown is the problem of a word no page shows.
func unknown(origin string, m located, known map[string][]string) *diag.Problem {
	ids := make([]string, 0, len(known))
	for id := range known {
		ids = append(ids, id)
	}
	p := diag.Warnf(origin, m.pos.Line, m.pos.Col, "no page shows a word %q, so this one is not used", m.msg.ID)
	if near := diag.Nearest(m.msg.ID, ids); near != "" {
		return p.WithHint("did you mean %q?", near)
	}
	return p.WithHint("the words a theme shows are named in themes/default/i18n/%s.toml", Base)
}

func fieldsOf(m *i18n.Message) []string {
	var out []string
	for _, s := range texts(m) {
		for _, f := range field.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(out, f[1]) {
				out = append(out, f[1])
			}
		}
	}
	return out
}

// missing is the first of have that known lacks, or "".
func missing(have, known []string) string {
	for _, f := range have {
		if !slices.Contains(known, f) {
			return f
		}
	}
	return ""
}

func fieldList(fs []string) string {
	if len(fs) == 0 {
		return "none"
	}
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("{{." + f + "}}")
	}
	return b.String()
}

type located struct {
	msg *i18n.Message
	pos frontmatter.Pos
}

// parse reads one translation file: each key a word, its value the text,
// or a table of plural forms (zero, one, two, few, many, other) with an
// optional description; a table of other keys is a group, whose words are
// named "group.key".
func parse(origin string, src []byte) ([]located, []*diag.Problem) {
	if len(src) > MaxFileBytes {
		return nil, []*diag.Problem{diag.Errorf(origin, 0, 0, "the file is %d bytes, over the limit of %d", len(src), MaxFileBytes).
			WithHint("a theme's words fit in a few kilobytes: check that this is a translation file")}
	}
	if e := frontmatter.Limits(src, frontmatter.TOML, 1); e != nil {
		return nil, []*diag.Problem{diag.Errorf(origin, e.Pos.Line, e.Pos.Col, "%s", e.Msg).WithHint("%s", e.Hint)}
	}
	v, err := frontmatter.Decode(src, frontmatter.TOML)
	if err != nil {
		if e, ok := err.(*frontmatter.Error); ok {
			p := diag.Errorf(origin, e.Pos.Line, e.Pos.Col, "%s", e.Msg)
			if e.Hint != "" {
				p = p.WithHint("%s", e.Hint)
			}
			p.AttachSource(src)
			return nil, []*diag.Problem{p}
		}
		return nil, []*diag.Problem{diag.Errorf(origin, 0, 0, "%v", err)}
	}
	var out []located
	var probs []*diag.Problem
	var walk func(prefix string, v *frontmatter.Value)
	walk = func(prefix string, v *frontmatter.Value) {
		for _, f := range v.Fields {
			id := prefix + f.Key
			switch f.Value.Kind {
			case frontmatter.String:
				out = append(out, located{&i18n.Message{ID: id, Other: f.Value.Str}, f.KeyPos})
			case frontmatter.Map:
				if isForms(f.Value) {
					m := &i18n.Message{ID: id}
					for _, g := range f.Value.Fields {
						if g.Value.Kind != frontmatter.String {
							probs = append(probs, diag.Errorf(origin, g.KeyPos.Line, g.KeyPos.Col, "%s.%s is %s, not text", id, g.Key, g.Value.Kind).
								WithHint(`write the words in quotes, e.g. %s = "…"`, g.Key))
							continue
						}
						setForm(m, g.Key, g.Value.Str)
					}
					if m.Other == "" {
						probs = append(probs, diag.Errorf(origin, f.KeyPos.Line, f.KeyPos.Col, "%q has no \"other\" form", id).
							WithHint(`every count needs other = "…", the form used for any number no other form covers`))
						continue
					}
					out = append(out, located{m, f.KeyPos})
				} else {
					walk(id+".", f.Value)
				}
			default:
				probs = append(probs, diag.Errorf(origin, f.KeyPos.Line, f.KeyPos.Col, "%q is %s, not text", id, f.Value.Kind).
					WithHint(`write the words in quotes, e.g. %s = "…"`, f.Key))
			}
		}
	}
	walk("", v)
	for _, l := range out {
		for _, s := range texts(l.msg) {
			if err := checkTemplate(s); err != nil {
				probs = append(probs, diag.Errorf(origin, l.pos.Line, l.pos.Col, "%q: %v", l.msg.ID, err).
					WithHint("a word may show a field as {{.Name}}; write every {{ with its }}"))
				break
			}
		}
	}
	if len(probs) > 0 {
		diag.AttachSources(src, probs)
	}
	return out, probs
}

func isForms(v *frontmatter.Value) bool {
	if len(v.Fields) == 0 {
		return false
	}
	for _, f := range v.Fields {
		if f.Key != "description" && !slices.Contains(forms, f.Key) {
			return false
		}
	}
	return true
}

func setForm(m *i18n.Message, form, s string) {
	switch form {
	case "zero":
		m.Zero = s
	case "one":
		m.One = s
	case "two":
		m.Two = s
	case "few":
		m.Few = s
	case "many":
		m.Many = s
	case "other":
		m.Other = s
	case "description":
		m.Description = s
	}
}

// checkTemplate accepts text whose every action is a field: {{.Name}}.
func checkTemplate(s string) error {
	rest := field.ReplaceAllString(s, "")
	if i := strings.Index(rest, "{{"); i >= 0 {
		return fmt.Errorf("%q is not a field", rest[i:min(len(rest), i+20)])
	}
	if strings.Contains(rest, "}}") {
		return fmt.Errorf("a }} without its {{")
	}
	return nil
}

// T gives a word; pairs are the fields it shows: T("page_of", "N", 2, "Of", 5).
func (w *Words) T(id string, pairs ...any) (string, error) {
	return w.localize(id, nil, pairs)
}

// N gives the word for a count, in the language's plural form; it shows
// the count as {{.Count}}.
func (w *Words) N(id string, count int, pairs ...any) (string, error) {
	return w.localize(id, count, pairs)
}

// Must is T for words the code itself names, which the base file has.
func (w *Words) Must(id string, pairs ...any) string {
	s, err := w.T(id, pairs...)
	if err != nil {
		panic(err)
	}
	return s
}

// MustN is N for words the code itself names.
func (w *Words) MustN(id string, count int, pairs ...any) string {
	s, err := w.N(id, count, pairs...)
	if err != nil {
		panic(err)
	}
	return s
}

func (w *Words) localize(id string, count any, pairs []any) (string, error) {
	segs := w.filled[id]
	if !w.ids[id] || segs == nil {
		return "", fmt.Errorf("the theme has no words %q: add it to i18n/%s.toml", id, Base)
	}
	if len(pairs)%2 != 0 {
		return "", fmt.Errorf("words %q: fields come in name, value pairs", id)
	}
	form := len(forms) - 1 // other
	if n, ok := count.(int); ok {
		if f := w.form(n); segs[f] != nil {
			form = f
		}
	}
	if f := segs[form]; len(f) == 1 && f[0].field == "" {
		return f[0].text, nil // no fields: the text as it is
	}
	var b strings.Builder
	for _, sg := range segs[form] {
		b.WriteString(sg.text)
		if sg.field == "" {
			continue
		}
		v, ok := any(nil), false
		if sg.field == "Count" && count != nil {
			v, ok = count, true
		}
		for i := 0; i+1 < len(pairs) && !ok; i += 2 {
			if pairs[i] == sg.field {
				v, ok = pairs[i+1], true
			}
		}
		if !ok {
			return "", fmt.Errorf("words %q show {{.%s}}, which is not given", id, sg.field)
		}
		if s, isStr := v.(string); isStr {
			b.WriteString(s)
		} else {
			fmt.Fprint(&b, v)
		}
	}
	return b.String(), nil
}

// probeID names a word of the plural forms' own numbers, by which form
// asks go-i18n (its CLDR rules) which form a count takes.
const probeID = "\x00plural"

// form is the index in forms of the plural form the language gives n,
// asked once for each count.
func (w *Words) form(n int) int {
	if f, ok := w.plural.Load(n); ok {
		return f.(int)
	}
	f := len(forms) - 1
	if s, err := w.loc.Localize(&i18n.LocalizeConfig{MessageID: probeID, PluralCount: n}); err == nil {
		if i, err := strconv.Atoi(s); err == nil {
			f = i
		}
	}
	w.plural.Store(n, f)
	return f
}

// segment is text up to a field, and the field ("" at the end).
type segment struct{ text, field string }

// cut splits a word's text at its fields: "{{.Count}} items" gives
// {"", "Count"}, {" items", ""}.
func cut(s string) []segment {
	var out []segment
	last := 0
	for _, m := range field.FindAllStringSubmatchIndex(s, -1) {
		out = append(out, segment{s[last:m[0]], s[m[2]:m[3]]})
		last = m[1]
	}
	return append(out, segment{s[last:], ""})
}

// Date writes a date as the language does: "23 November 2026", "23
// Tachwedd 2026".
func (w *Words) Date(t time.Time) string {
	return w.Must("date", "Day", t.Day(), "Month", w.Month(t.Month()), "Year", t.Year())
}

// Month names a month.
func (w *Words) Month(m time.Month) string {
	return w.Must("month." + strconv.Itoa(int(m)))
}

// Script is the words the theme's scripts show, as a script that sets
// window.otpressWords: the language, and each word's forms by name, the
// fields written {{.Name}}; and window.otpressWord, by which scripts ask
// for one (wordJS). The js.* words lose their prefix; date and month.*
// come too, for dates.
func (w *Words) Script() []byte {
	type entry map[string]string
	out := map[string]any{}
	for id, m := range w.msgs {
		rest, ok := strings.CutPrefix(id, "js.")
		if !ok {
			if id != "date" && !strings.HasPrefix(id, "month.") {
				continue
			}
			rest = id
		}
		e := entry{}
		for i, s := range texts(m) {
			if s != "" {
				e[forms[i]] = s
			}
		}
		if len(e) == 1 {
			out[rest] = e["other"]
		} else {
			out[rest] = e
		}
	}
	keys := make([]string, 0, len(out))
	for k := range out {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteString("window.otpressWords={\"lang\":")
	lang, _ := json.Marshal(w.Tag.String())
	b.Write(lang)
	b.WriteString(",\"w\":{")
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		vj, _ := json.Marshal(out[k])
		b.Write(kj)
		b.WriteByte(':')
		b.Write(vj)
	}
	b.WriteString("}};\n")
	b.WriteString(wordJS)
	return b.Bytes()
}

// texts are a message's texts in the order of forms ("" where it has
// none).
func texts(m *i18n.Message) [6]string { return [6]string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} }

// Forms are a word's texts in every plural form it has, each once, its
// fields written {{.Name}}.
func (w *Words) Forms(id string) []string {
	m := w.msgs[id]
	if m == nil {
		return nil
	}
	return formsGiven(m)
}

// formsGiven are a message's texts, each once, in the order of forms.
func formsGiven(m *i18n.Message) []string {
	var out []string
	for _, f := range texts(m) {
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// wordJS is window.otpressWord(id, n, fields): the word id, in its plural
// form for the count n (Intl.PluralRules; "other" without it), its fields
// filled from fields and {{.Count}} with n; the id itself when there is
// no such word.
const wordJS = `window.otpressWord = function (id, n, fields) {
  var words = window.otpressWords, w = words.w[id], which = 'other';
  if (w && typeof w === 'object') {
    try { which = new Intl.PluralRules(words.lang).select(n); } catch (e) { /* no Intl: other */ }
    w = w[which] || w.other;
  }
  if (typeof w !== 'string') return id;
  return w.replace(/\{\{-?\s*\.(\w+)\s*-?\}\}/g, function (m, k) {
    return k === 'Count' ? String(n) : fields && k in fields ? String(fields[k]) : m;
  });
};
`

// IDs lists every word's name, sorted.
func (w *Words) IDs() []string {
	out := make([]string, 0, len(w.ids))
	for id := range w.ids {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
