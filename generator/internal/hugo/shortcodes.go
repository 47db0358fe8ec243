package hugo

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// shortcode is one {{< name params >}} or {{% name params %}} in a text.
type shortcode struct {
	start, end int // byte offsets of the whole tag
	name       string
	closing    bool // {{< /name >}}
	literal    bool // {{</* name */>}}: Hugo shows it as written, without /* */
	pos        []string
	named      map[string]string
	open       string // "<" or "%"
}

func (s *shortcode) get(name string, i int) string {
	if v, ok := s.named[name]; ok {
		return v
	}
	if i >= 0 && i < len(s.pos) {
		return s.pos[i]
	}
	return ""
}

// maxTag is the longest shortcode tag read, from {{< to >}}: a longer
// one is taken for text, so text full of {{< takes time in proportion
// to its length.
const maxTag = 4 << 10

// nextShortcode finds the first shortcode at or after from, or nil.
func nextShortcode(src string, from int) *shortcode {
	for {
		i := strings.Index(src[from:], "{{")
		if i < 0 {
			return nil
		}
		i += from
		rest := src[i+2:]
		t := strings.TrimLeft(rest, " \t")
		if t == "" || (t[0] != '<' && t[0] != '%') {
			from = i + 2
			continue
		}
		sc := &shortcode{start: i, open: t[:1], named: map[string]string{}}
		j := i + 2 + (len(rest) - len(t)) + 1 // after < or %
		closer := map[string]string{"<": ">}}", "%": "%}}"}[sc.open]
		inner := src[j:min(len(src), j+maxTag)]
		if strings.HasPrefix(strings.TrimLeft(inner, " \t"), "/*") {
			k := strings.Index(inner, "*/")
			if k < 0 {
				return nil
			}
			e := strings.Index(inner[k:], closer)
			if e < 0 {
				return nil
			}
			sc.literal = true
			sc.name = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(inner[:k]), "/*"))
			sc.end = j + k + e + len(closer)
			return sc
		}
		// the parameters, up to the closer outside quotes
		k, quote := 0, byte(0)
		for ; k < len(inner); k++ {
			c := inner[k]
			if quote != 0 {
				if c == '\\' && quote == '"' {
					k++
				} else if c == quote {
					quote = 0
				}
				continue
			}
			if c == '"' || c == '`' {
				quote = c
				continue
			}
			if strings.HasPrefix(inner[k:], closer) {
				break
			}
		}
		if k >= len(inner) || !strings.HasPrefix(inner[k:], closer) {
			from = i + 2
			continue
		}
		sc.end = j + k + len(closer)
		args := strings.TrimSpace(inner[:k])
		args = strings.TrimSpace(strings.TrimSuffix(args, "/")) // self-closing
		if strings.HasPrefix(args, "/") {
			sc.closing = true
			args = strings.TrimSpace(args[1:])
		}
		words := splitArgs(args)
		if len(words) == 0 {
			from = i + 2
			continue
		}
		sc.name = words[0]
		for _, w := range words[1:] {
			if k, v, ok := strings.Cut(w, "="); ok && !strings.HasPrefix(w, `"`) && !strings.HasPrefix(w, "`") {
				sc.named[strings.ToLower(k)] = unquote(v)
			} else {
				sc.pos = append(sc.pos, unquote(w))
			}
		}
		return sc
	}
}

// splitArgs splits shortcode parameters at blanks outside quotes.
func splitArgs(s string) []string {
	var out []string
	var b strings.Builder
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			b.WriteByte(c)
			if c == '\\' && quote == '"' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '`':
			quote = c
			b.WriteByte(c)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteByte(c)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '`' && s[len(s)-1] == '`') {
		inner := s[1 : len(s)-1]
		if s[0] == '"' {
			inner = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(inner)
		}
		return inner
	}
	return s
}

// shortcodes lists the shortcodes of a text in order, each opening one
// with the closing tag of the same name after it, if any.
func shortcodes(src string) (all []*shortcode, closer []*shortcode) {
	for sc := nextShortcode(src, 0); sc != nil; sc = nextShortcode(src, sc.end) {
		all = append(all, sc)
	}
	closer = make([]*shortcode, len(all))
	next := map[string]*shortcode{}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].closing {
			next[all[i].name] = all[i]
		} else {
			closer[i] = next[all[i].name]
		}
	}
	return all, closer
}

// positions gives the file position of offsets in a page's body, in
// increasing order, in time proportional to the body's length.
type positions struct {
	body            string
	off, line, from int // off is at line, which starts at from
}

func (p *positions) at(off int) fm.Pos {
	for ; p.off < off; p.off++ {
		if p.body[p.off] == '\n' {
			p.line++
			p.from = p.off + 1
		}
	}
	return fm.Pos{Line: p.line, Col: utf8.RuneCountInString(p.body[p.from:off]) + 1}
}

// more is Hugo's summary divider. On a line of its own it ends a
// paragraph, so it leaves a blank line.
var more = regexp.MustCompile(`(?m)^[ \t]*<!--\s*more\s*-->[ \t]*$|<!--\s*more\s*-->`)

// body is a page's text with its shortcodes turned into Markdown where
// otpress has a way to say the same, links to imported pages made links
// between content files, and Hugo's summary divider taken out.
func (im *importer) body(pg *page) string {
	src := string(pg.doc.Body)
	var b strings.Builder
	last := 0
	all, closer := shortcodes(src)
	pos := &positions{body: src, line: pg.doc.BodyLine}
	for i, sc := range all {
		if sc.start < last {
			continue // inside a paired shortcode already converted
		}
		b.WriteString(src[last:sc.start])
		last = sc.end
		at := pos.at(sc.start)
		if sc.literal {
			b.WriteString(strings.Replace(strings.Replace(src[sc.start:sc.end], "/*", "", 1), "*/", "", 1))
			continue
		}
		if sc.closing {
			b.WriteString(src[sc.start:sc.end])
			continue
		}
		md, end, ok := im.shortcode(pg, src, sc, closer[i], at)
		if !ok {
			b.WriteString(src[sc.start:sc.end])
			what := "otpress has no such thing; write what it showed in Markdown"
			if hint, ok := leftHints[sc.name]; ok {
				what = hint
			} else if strings.HasSuffix(sc.name, ".inline") {
				what = "an inline shortcode is a template written in the page, and otpress runs no templates in pages; take it out (styles belong in the theme)"
			}
			im.report(Entry{File: pg.file, Line: at.Line, Col: at.Col, What: Left, Key: sc.name, Msg: fmt.Sprintf("shortcode %s is left as written: %s", sc.name, what)})
			continue
		}
		b.WriteString(md)
		if end > last {
			last = end
		}
		what := describeMD(md)
		if sc.name == "ref" || sc.name == "relref" {
			what = "the link " + md
		}
		im.at(pg, at, Mapped, "shortcode %s → %s", sc.name, what)
	}
	b.WriteString(src[last:])
	out := more.ReplaceAllString(b.String(), "")
	out = im.links(pg, out)
	im.rawHTML(pg, src)
	return out
}

func describeMD(md string) string {
	switch {
	case md == "":
		return "nothing (a comment)"
	case strings.HasPrefix(md, "```"):
		return "a fenced code block"
	case strings.HasPrefix(md, "![") || strings.HasPrefix(md, "[!["):
		return "a Markdown picture"
	case strings.HasPrefix(md, "[") || strings.Contains(md, "]("):
		return "a link"
	}
	return "text"
}

// leftHints say what to do with shortcodes left as written.
var leftHints = map[string]string{
	"details": "write its text as a section with a heading",
	"qr":      "link to the address instead",
	"param":   "the parameter is not in the page's front matter; write its value",
	"ref":     "the page it names was not found among the imported pages",
	"relref":  "the page it names was not found among the imported pages",
}

// shortcode turns one shortcode into Markdown. end is past the closing
// tag of a paired one.
func (im *importer) shortcode(pg *page, src string, sc, c *shortcode, at fm.Pos) (md string, end int, ok bool) {
	name := strings.ToLower(sc.name)
	switch name {
	case "figure":
		s := sc.get("src", -1)
		if s == "" {
			return "", 0, false
		}
		if strings.HasPrefix(s, "/") {
			im.static[strings.TrimPrefix(path.Clean(s), "/")] = true
		}
		alt := cmpStr(sc.get("alt", -1), sc.get("caption", -1))
		if alt == "" {
			im.at(pg, at, Note, "the picture %s has no alt text: describe what it shows between the brackets", s)
		}
		md = "![" + escapeBrackets(alt) + "](" + s
		if t := sc.get("title", -1); t != "" {
			md += ` "` + strings.ReplaceAll(t, `"`, `\"`) + `"`
		}
		md += ")"
		if l := sc.get("link", -1); l != "" {
			md = "[" + md + "](" + l + ")"
		}
		if c := sc.get("caption", -1); c != "" {
			md += "\n\n" + c
		}
		return md, 0, true
	case "youtube":
		id := sc.get("id", 0)
		if id == "" {
			return "", 0, false
		}
		return card(sc.get("title", -1), "YouTube", "https://www.youtube.com/watch?v="+id), 0, true
	case "vimeo", "vimeo_simple":
		id := sc.get("id", 0)
		if id == "" {
			return "", 0, false
		}
		return card(sc.get("title", -1), "Vimeo", "https://vimeo.com/"+id), 0, true
	case "tweet", "twitter", "twitter_simple", "x":
		user, id := sc.get("user", -1), sc.get("id", -1)
		if id == "" {
			if len(sc.pos) == 2 {
				user, id = sc.pos[0], sc.pos[1]
			} else {
				id = sc.get("", 0)
			}
		}
		if id == "" {
			return "", 0, false
		}
		u, who := "https://x.com/i/status/"+id, "A post on X"
		if user != "" {
			u, who = "https://x.com/"+user+"/status/"+id, "A post by @"+user+" on X"
		}
		return "[" + who + "](" + u + ")", 0, true
	case "instagram":
		id := sc.get("id", 0)
		if id == "" {
			return "", 0, false
		}
		return "[A post on Instagram](https://www.instagram.com/p/" + id + "/)", 0, true
	case "gist":
		user, id := sc.get("user", 0), sc.get("id", 1)
		if user == "" || id == "" {
			return "", 0, false
		}
		return "[Code by " + user + " on GitHub Gist](https://gist.github.com/" + user + "/" + id + ")", 0, true
	case "highlight":
		if c == nil {
			return "", 0, false
		}
		code := strings.Trim(src[sc.end:c.start], "\n")
		fence := "```"
		for strings.Contains(code, fence) {
			fence += "`"
		}
		return fence + sc.get("", 0) + "\n" + code + "\n" + fence, c.end, true
	case "comment":
		if c == nil {
			return "", 0, false
		}
		end = c.end
		if end < len(src) && src[end] == '\n' {
			end++
		}
		return "", end, true
	case "ref", "relref":
		to, ok := im.ref(pg, sc.get("path", 0))
		return to, 0, ok
	case "param":
		f := get(pg.doc.Meta, sc.get("", 0))
		if f == nil || text(f) == "" {
			return "", 0, false
		}
		return text(f), 0, true
	}
	return "", 0, false
}

func cmpStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func escapeBrackets(s string) string {
	return strings.NewReplacer("[", `\[`, "]", `\]`).Replace(s)
}

// card is a plain link to a video elsewhere: an embedded player would
// break the site's security policy and share readers' data.
func card(title, site, u string) string {
	if title == "" {
		return "[Watch the video on " + site + "](" + u + ")"
	}
	return "[" + escapeBrackets(title) + " (video on " + site + ")](" + u + ")"
}

// ref finds the page a ref or relref names, as Hugo does: a path under
// content/ or next to the page, with or without .md, a bundle's folder,
// or a file name found once. The link is to the new file, relative.
func (im *importer) ref(pg *page, target string) (string, bool) {
	target, frag, _ := strings.Cut(target, "#")
	if frag != "" {
		frag = "#" + frag
	}
	if target == "" {
		return frag, frag != ""
	}
	var found *page
	if strings.HasPrefix(target, "/") {
		found = im.find(strings.TrimPrefix(target, "/"))
	} else if found = im.find(path.Join(path.Dir(pg.rel), target)); found == nil {
		found = im.find(target)
	}
	if found == nil {
		found = im.byName()[strings.TrimSuffix(path.Base(target), path.Ext(target))]
	}
	if found == nil || found.skip || found.newFile == "" {
		return "", false
	}
	return im.linkTo(pg, found) + frag, true
}

// find is the page at a path under content/: a file, with or without
// .md, or a bundle's or section's folder.
func (im *importer) find(c string) *page {
	c = strings.TrimSuffix(c, "/")
	for _, k := range []string{c, c + ".md", c + "/index.md", c + "/_index.md"} {
		if p := im.byRel[k]; p != nil {
			return p
		}
	}
	return nil
}

// byName indexes pages by file name (a bundle's or section's by its
// folder), a name two pages share by neither.
func (im *importer) byName() map[string]*page {
	if im.names == nil {
		im.names = map[string]*page{}
		twice := map[string]bool{}
		for _, p := range im.pages {
			name := strings.TrimSuffix(path.Base(p.rel), path.Ext(p.rel))
			if p.bundle || p.branch {
				name = path.Base(path.Dir(p.rel))
			}
			if _, ok := im.names[name]; ok {
				twice[name] = true
			}
			im.names[name] = p
		}
		for name := range twice {
			delete(im.names, name)
		}
	}
	return im.names
}

// linkTo is how one imported page links to another: a section by its
// address, anything else by its file, relative.
func (im *importer) linkTo(from, to *page) string {
	if to.branch {
		return to.newURL
	}
	rel, err := filepath.Rel(filepath.FromSlash(path.Dir(from.newFile)), filepath.FromSlash(to.newFile))
	if err != nil {
		return to.newURL
	}
	return filepath.ToSlash(rel)
}

// mdLink finds the destinations of inline links and pictures, ](x), and
// of link definitions, [x]: x.
var mdLink = regexp.MustCompile(`(\]\(\s*|(?m:^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*))([^)\s]+)`)

// links makes links to imported pages, by their Hugo address or by their
// file as Hugo's content links name it, into links to their new files,
// and notes root-relative files to copy from static/.
func (im *importer) links(pg *page, body string) string {
	if im.byOld == nil {
		im.byOld = map[string]*page{}
		for _, p := range im.pages {
			if !p.skip && p.oldURL != "" && p.newFile != "" {
				im.byOld[p.oldURL] = p
			}
		}
	}
	return mdLink.ReplaceAllStringFunc(body, func(m string) string {
		sub := mdLink.FindStringSubmatch(m)
		lead, dest := sub[1], sub[2]
		u, frag, _ := strings.Cut(dest, "#")
		if frag != "" {
			frag = "#" + frag
		}
		var p *page
		switch {
		case u == "" || strings.Contains(u, ":") || strings.HasPrefix(u, "//"):
			return m
		case strings.HasPrefix(u, "/"):
			if p = im.byOld[u]; p == nil && path.Ext(u) != "" {
				im.static[strings.TrimPrefix(path.Clean(u), "/")] = true
			}
		case markdown(u) || strings.HasSuffix(u, "/"):
			p = im.find(path.Join(path.Dir(pg.rel), u))
		}
		if p == nil || p.skip || p.newFile == "" {
			return m
		}
		return lead + im.linkTo(pg, p) + frag
	})
}

var (
	highlightStart = regexp.MustCompile(`\{\{[<%]\s*highlight\b`)
	highlightEnd   = regexp.MustCompile(`\{\{[<%]\s*/highlight\s*[>%]\}\}`)
)

var htmlLine = regexp.MustCompile(`^[ \t]{0,3}</?[A-Za-z][A-Za-z0-9-]*[\s/>]`)

// rawHTML notes lines of HTML in a page's text as written, which otpress
// shows as text unless the site allows raw HTML. Code blocks and
// highlight shortcodes are code, not HTML.
func (im *importer) rawHTML(pg *page, body string) {
	first, n := 0, 0
	fence := ""
	for i, l := range strings.Split(body, "\n") {
		t := strings.TrimSpace(l)
		if fence != "" {
			if strings.HasPrefix(t, fence) || fence == "highlight" && highlightEnd.MatchString(t) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		if highlightStart.MatchString(t) && !highlightEnd.MatchString(t) {
			fence = "highlight"
			continue
		}
		if htmlLine.MatchString(l) {
			if n == 0 {
				first = i
			}
			n++
		}
	}
	if n > 0 {
		lines := "a line"
		if n > 1 {
			lines = fmt.Sprintf("%d lines", n)
		}
		// the body's line in the file; the new file's front matter differs
		im.report(Entry{File: pg.file, Line: pg.doc.BodyLine + first, Col: 1, What: Note,
			Msg: fmt.Sprintf("%s of HTML, shown as text unless site.toml has [markup] unsafe = true; write them in Markdown where you can", lines)})
	}
}
