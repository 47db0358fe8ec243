package site_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/otpress/otpress/generator/internal/sitetest"
	"github.com/otpress/otpress/generator/internal/words"
	"github.com/otpress/otpress/themes"
)

// TestWelshPagesShowNoEnglishWords builds the every-template fixture and
// the English and Welsh fixture in Welsh, and fails on any text or
// attribute of a Welsh page that is one of the theme's English words:
// every word the theme shows must come from the Welsh file. Text marked
// with another language (lang="en-GB": a page shown in its English
// version, the language switcher's "English") is the site's, not the
// theme's, and is skipped.
func TestWelshPagesShowNoEnglishWords(t *testing.T) {
	en, probs := words.Load([]words.Layer{{FS: themes.Default, Dir: words.Dir, Name: "themes/default/i18n"}}, words.Base)
	if en == nil {
		t.Fatal(probs)
	}
	var patterns []*regexp.Regexp
	field := regexp.MustCompile(`\{\{\.(\w+)\}\}`)
	tag := regexp.MustCompile(`<[^>]*>`)
	letters := regexp.MustCompile(`\pL{3,}`)
	for _, id := range en.IDs() {
		if strings.HasPrefix(id, "harvard.") {
			continue // pieces of references (" and ", "p. "), never a text of their own; TestWelshReferences
		}
		for _, f := range en.Forms(id) {
			if strings.HasSuffix(id, "_html") {
				f = tag.ReplaceAllString(f, "")
			}
			lit := field.ReplaceAllString(f, "")
			if !letters.MatchString(lit) {
				continue // all fields, or a letter or two
			}
			if lit != f && len(strings.Join(letters.FindAllString(lit, -1), "")) < 8 {
				continue // "{{.First}} and {{.Second}}": the fields could be anything the site writes
			}
			// the literal text as written; a count or number is digits,
			// any other field anything
			var re strings.Builder
			last := 0
			for _, m := range field.FindAllStringSubmatchIndex(f, -1) {
				re.WriteString(regexp.QuoteMeta(f[last:m[0]]))
				switch f[m[2]:m[3]] {
				case "Count", "N", "Of", "Total", "Number", "Day", "Year":
					re.WriteString(`\d+`)
				default:
					re.WriteString(`.+?`)
				}
				last = m[1]
			}
			re.WriteString(regexp.QuoteMeta(f[last:]))
			patterns = append(patterns, regexp.MustCompile(`^\s*`+strings.TrimSpace(re.String())+`\s*$`))
		}
	}
	everything := strings.Replace(fixture(t, "everything"), "-- site.toml --\n", "-- site.toml --\nlanguage = \"cy\"\n", 1)
	for _, c := range []struct {
		name, archive, dir string
	}{{"everything in Welsh", everything, ""}, {"bilingual", fixture(t, "bilingual"), "cy"}} {
		s := sitetest.Build(t, c.archive)
		root := filepath.Join(s.Out, c.dir)
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
				return err
			}
			rel, _ := filepath.Rel(s.Out, p)
			if c.dir == "" && strings.HasPrefix(rel, "packs/") && strings.Count(rel, "/") == 2 && !strings.HasSuffix(rel, "index.html") {
				return nil // a pack's one-page download: the same words as its print page
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			doc, err := html.Parse(strings.NewReader(string(data)))
			if err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			for _, txt := range welshTexts(doc) {
				for _, re := range patterns {
					if re.MatchString(txt) {
						t.Errorf("%s: %s: %q is English (%s)", c.name, rel, txt, re)
						break
					}
				}
			}
			return nil
		})
	}
}

// welshTexts are the texts and shown attributes of a page outside
// scripts, code and parts marked with another language than Welsh.
func welshTexts(n *html.Node) []string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "code", "pre", "svg":
				return
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "lang":
					if a.Val != "cy" {
						return
					}
				}
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "aria-label", "alt", "title", "placeholder", "data-label":
					out = append(out, a.Val)
				}
			}
		}
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" {
			out = append(out, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}
