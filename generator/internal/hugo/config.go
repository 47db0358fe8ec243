package hugo

import (
	"io/fs"
	"path"
	"strings"

	fm "github.com/otpress/otpress/generator/internal/frontmatter"
)

// config is what the importer needs from a Hugo site's configuration.
type config struct {
	file       string            // the file read, "" when there is none
	contentDir string            // "content" unless contentDir says otherwise
	staticDir  string            // "static" unless staticDir says otherwise
	taxonomies []string          // front-matter keys that are taxonomies
	permalinks map[string]string // section → pattern such as /:year/:slug/
	uglyURLs   bool
	title      string // the site's title, the publication its posts first appeared in
	baseURL    string
}

// configFiles are where Hugo looks for its configuration, in its order.
var configFiles = []string{
	"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
	"config.toml", "config.yaml", "config.yml", "config.json",
	"config/_default/hugo.toml", "config/_default/hugo.yaml", "config/_default/hugo.json",
	"config/_default/config.toml", "config/_default/config.yaml", "config/_default/config.json",
}

// readConfig reads the first configuration file found. Hugo's keys are
// not case-sensitive. A site with no configuration has Hugo's defaults.
func readConfig(fsys fs.FS) (*config, *Entry) {
	c := &config{contentDir: "content", staticDir: "static", taxonomies: []string{"tags", "categories"}}
	for _, name := range configFiles {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			continue
		}
		c.file = name
		var v *fm.Value
		switch path.Ext(name) {
		case ".toml":
			v, err = fm.Decode(src, fm.TOML)
		case ".json":
			var doc *fm.Doc
			if doc, err = fm.ParseJSON(src); err == nil {
				v = doc.Meta
			}
		default:
			v, err = fm.Decode(src, fm.YAML)
		}
		if err != nil {
			e := &Entry{File: name, What: Error, Msg: "cannot read the configuration: " + err.Error() + "; Hugo's defaults are used"}
			if fe, ok := err.(*fm.Error); ok {
				e.Line, e.Col, e.Msg = fe.Pos.Line, fe.Pos.Col, "cannot read the configuration: "+fe.Msg+"; Hugo's defaults are used"
			}
			return c, e
		}
		c.title = text(get(v, "title"))
		c.baseURL = strings.TrimSuffix(text(get(v, "baseurl")), "/")
		if s := text(get(v, "contentdir")); s != "" {
			c.contentDir = path.Clean(s)
		}
		if s := text(get(v, "staticdir")); s != "" {
			c.staticDir = path.Clean(s)
		}
		if mod := get(v, "module"); mod != nil {
			c.mounts(get(mod.Value, "mounts"))
		}
		if f := get(v, "uglyurls"); f != nil {
			c.uglyURLs = f.Value.Kind == fm.Bool && f.Value.Bool
		}
		if f := get(v, "taxonomies"); f != nil && f.Value.Kind == fm.Map {
			c.taxonomies = nil
			for _, t := range f.Value.Fields {
				if s := text(&t); s != "" {
					c.taxonomies = append(c.taxonomies, strings.ToLower(s))
				}
			}
		}
		if f := get(v, "permalinks"); f != nil && f.Value.Kind == fm.Map {
			c.permalinks = map[string]string{}
			for _, p := range f.Value.Fields {
				if p.Value.Kind == fm.Map { // newer Hugo: [permalinks.page]
					if strings.EqualFold(p.Key, "page") {
						for _, q := range p.Value.Fields {
							c.permalinks[strings.ToLower(q.Key)] = text(&q)
						}
					}
					continue
				}
				c.permalinks[strings.ToLower(p.Key)] = text(&p)
			}
		}
		return c, nil
	}
	return c, nil
}

// mounts reads module mounts, which can put the content elsewhere: the
// first mount onto content (or static) is the one read.
func (c *config) mounts(m *fm.Field) {
	if m == nil || m.Value.Kind != fm.List {
		return
	}
	seen := map[string]bool{}
	for _, e := range m.Value.List {
		target, source := text(get(e, "target")), text(get(e, "source"))
		if (target != "content" && target != "static") || source == "" || seen[target] {
			continue
		}
		seen[target] = true
		if target == "content" {
			c.contentDir = path.Clean(source)
		} else {
			c.staticDir = path.Clean(source)
		}
	}
}

// get is v's field key, whatever its case.
func get(v *fm.Value, key string) *fm.Field {
	if v == nil || v.Kind != fm.Map {
		return nil
	}
	for i := range v.Fields {
		if strings.EqualFold(v.Fields[i].Key, key) {
			return &v.Fields[i]
		}
	}
	return nil
}

// text is a scalar field as text, "" for anything else.
func text(f *fm.Field) string {
	if f == nil {
		return ""
	}
	switch f.Value.Kind {
	case fm.String, fm.Int, fm.Float, fm.Bool, fm.Time:
		return strings.TrimSpace(f.Value.Str)
	}
	return ""
}

// texts is a list of scalars, or one scalar as a list of one.
func texts(f *fm.Field) []string {
	if f == nil {
		return nil
	}
	if f.Value.Kind != fm.List {
		if s := text(f); s != "" {
			return []string{s}
		}
		return nil
	}
	var out []string
	for _, e := range f.Value.List {
		if s := text(&fm.Field{Value: e}); s != "" {
			out = append(out, s)
		}
	}
	return out
}
