package render

import (
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/taxonomy"
	"github.com/otpress/otpress/generator/internal/themap"
	"github.com/otpress/otpress/themes"
)

// library is one story for each spec, a comma-separated list of themes.
func library(tb testing.TB, specs ...string) (*taxonomy.Index, *taxonomy.Graph) {
	tb.Helper()
	fsys := fstest.MapFS{}
	for i, spec := range specs {
		fsys[fmt.Sprintf("content/stories/s%04d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil, "---\ntitle: Story %d\ndate: 2020-01-01\nthemes: [%s]\n---\n", i, spec)}
	}
	lib, _ := content.Load(fsys, content.Options{})
	x, _ := taxonomy.Build(lib)
	return x, x.Graph()
}

// exampleLike is six items with five to eight themes each, as in the
// example site: many ties.
var exampleLike = []string{
	"Personalised care, Relationships, Cost-effectiveness, Co-production, Primary care, Social isolation, Social prescribing, Strengths-based practice",
	"Personalised care, Relationships, Cost-effectiveness, Goal setting, Rehab potential, Rehabilitation",
	"Personalised care, Relationships, Cost-effectiveness, Goal setting, Rehab potential, Rehabilitation, Wheelchair services, Personal health budgets",
	"Personalised care, Relationships, Cost-effectiveness, Social isolation, Social prescribing",
	"Cost-effectiveness, Culture change, Health inequalities, Personal health budgets, Wheelchair services, Primary care, Strengths-based practice",
	"Health inequalities, Culture change, Personalised care",
}

func longNames() []string {
	var out []string
	for i := range 40 {
		out = append(out, fmt.Sprintf("Vocational rehabilitation and return to work number %d, Occupational therapy in acute mental health settings %d, Short", i%7, i%5))
	}
	return out
}

func manyThemes() []string {
	var out []string
	for i := range 300 {
		out = append(out, fmt.Sprintf("Theme %02d, Theme %02d, Theme %02d", i%60, (i*7+3)%60, (i*13+5)%60))
	}
	return out
}

// TestMapGeometry draws every map of several sites and checks each drawing
// as the browser will see it: every label, circle and line inside the
// viewBox, no label over another label, a circle or a line's end (label
// boxes from the same width estimate as the layout), and every label placed
// without giving up.
func TestMapGeometry(t *testing.T) {
	bench, benchG := benchThemes(t, 1000)
	sites := []struct {
		name string
		x    *taxonomy.Index
		g    *taxonomy.Graph
	}{
		{"like the example site", nil, nil},
		{"1,000 items, 31 themes", bench, benchG},
		{"long names", nil, nil},
		{"60 themes", nil, nil},
		{"two themes", nil, nil},
	}
	sites[0].x, sites[0].g = library(t, exampleLike...)
	sites[2].x, sites[2].g = library(t, longNames()...)
	sites[3].x, sites[3].g = library(t, manyThemes()...)
	sites[4].x, sites[4].g = library(t, "A, B", "B")
	r := &Renderer{cfg: &config.Site{}}
	for _, s := range sites {
		t.Run(s.name, func(t *testing.T) {
			maps := map[string]*Map{}
			m, _ := r.wholeMap(s.x.Themes, s.g)
			maps["/themes/"] = m
			for _, th := range s.x.Themes {
				if _, m := r.themeNeighbourhood(th, s.g); m != nil {
					maps[th.Slug] = m
				}
			}
			labels := 0
			for where, m := range maps {
				if len(m.Drawings) != 2 || m.Drawings[0].Class != "map-wide" || m.Drawings[1].Class != "map-narrow" {
					t.Fatalf("%s: drawings %v", where, m.Drawings)
				}
				for _, d := range m.Drawings {
					labels += len(d.Nodes)
					for _, p := range drawingProblems(d) {
						t.Errorf("%s %s: %s", where, d.Class, p)
					}
				}
				if where == "/themes/" {
					if n := len(m.Drawings[0].Nodes); n > wholeWide {
						t.Errorf("the whole map draws %d themes wide", n)
					}
					if n := len(m.Drawings[1].Nodes); n > wholeNarrow {
						t.Errorf("the whole map draws %d themes narrow", n)
					}
				} else if n := len(m.Drawings[0].Nodes); n > localMapSize {
					t.Errorf("%s: %d themes on a theme page's map", where, n)
				}
			}
			t.Logf("%d maps, %d labels", len(maps), labels)
		})
	}
}

var (
	numRE  = regexp.MustCompile(`-?[0-9.]+`)
	cssRE  = regexp.MustCompile(`@container map \(max-width: ([0-9.]+)px\)`)
	narrow = 256.0 // the narrowest column a map is drawn in: a 320 px screen less 2rem each side
)

// TestMapLabelSize: the container query shows the wide drawing only where
// its labels come out at 12 CSS px or more, and the narrow one keeps them
// at 12 px even in a 256 px column.
func TestMapLabelSize(t *testing.T) {
	css, err := fs.ReadFile(themes.Default, "static/css/main.css")
	if err != nil {
		t.Fatal(err)
	}
	m := cssRE.FindSubmatch(css)
	if m == nil {
		t.Fatal("main.css has no @container map (max-width: …px) rule")
	}
	breakAt, _ := strconv.ParseFloat(string(m[1]), 64)
	if px := themap.FontSize * math.Round(breakAt) / wideWidth; px < 12 {
		t.Errorf("wide drawings shown from %.0f px have labels of %.1f px", math.Round(breakAt), px)
	}
	if px := themap.FontSize * narrow / narrowWidth; px < 12 {
		t.Errorf("narrow drawings in a %.0f px column have labels of %.1f px", narrow, px)
	}
}

// drawingProblems checks one drawing's geometry from its view.
func drawingProblems(d *Drawing) []string {
	var out []string
	if d.missing > 0 {
		out = append(out, fmt.Sprintf("%d labels found no free place", d.missing))
	}
	type box struct{ x0, y0, x1, y1 float64 }
	type circle struct{ x, y, r float64 }
	f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	var boxes []box
	var circles []circle
	var names []string
	for _, n := range d.Nodes {
		c := circle{f(n.X), f(n.Y), f(n.R)}
		circles = append(circles, c)
		b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, l := range n.Text {
			x, y := f(l.X), f(l.Y)
			b.x0, b.x1 = min(b.x0, x), max(b.x1, x+themap.TextWidth(l.Text, n.Href == ""))
			b.y0, b.y1 = min(b.y0, y-themap.FontSize), max(b.y1, y+5)
		}
		boxes = append(boxes, b)
		names = append(names, n.Title)
		if c.x-c.r < 0 || c.y-c.r < 0 || c.x+c.r > float64(d.Width) || c.y+c.r > float64(d.Height) {
			out = append(out, fmt.Sprintf("the circle of %q is outside the viewBox", n.Title))
		}
		if b.x0 < 0 || b.y0 < 0 || b.x1 > float64(d.Width) || b.y1 > float64(d.Height) {
			out = append(out, fmt.Sprintf("the label %q %v is outside the viewBox 0 0 %d %d", n.Title, b, d.Width, d.Height))
		}
	}
	var ends [][2]float64
	for _, e := range d.Edges {
		v := numRE.FindAllString(e.D, -1)
		ends = append(ends, [2]float64{f(v[0]), f(v[1])}, [2]float64{f(v[len(v)-2]), f(v[len(v)-1])})
		for _, p := range ends[len(ends)-2:] {
			if p[0] < 0 || p[1] < 0 || p[0] > float64(d.Width) || p[1] > float64(d.Height) {
				out = append(out, fmt.Sprintf("a line ends outside the viewBox at %v", p))
			}
		}
	}
	for i, b := range boxes {
		for j, o := range boxes[i+1:] {
			if min(b.x1, o.x1) > max(b.x0, o.x0) && min(b.y1, o.y1) > max(b.y0, o.y0) {
				out = append(out, fmt.Sprintf("the label %q overlaps the label %q", names[i], names[i+1+j]))
			}
		}
		for j, c := range circles {
			if math.Hypot(max(b.x0-c.x, 0, c.x-b.x1), max(b.y0-c.y, 0, c.y-b.y1)) < c.r {
				out = append(out, fmt.Sprintf("the label %q overlaps the circle of %q", names[i], names[j]))
			}
		}
		for _, p := range ends {
			if p[0] > b.x0 && p[0] < b.x1 && p[1] > b.y0 && p[1] < b.y1 {
				out = append(out, fmt.Sprintf("the label %q covers the end of a line at %v", names[i], p))
			}
		}
	}
	return out
}

// TestWholeMapConnections: the table of /themes/ is sorted by items
// together, then by name; it has every connection the map draws; the map
// draws each theme's two strongest, not all.
func TestWholeMapConnections(t *testing.T) {
	r := &Renderer{cfg: &config.Site{}}
	for _, tt := range []struct {
		name  string
		specs []string
		note  bool // the table is cut short
	}{
		{"like the example site", exampleLike[:4], false},
		{"60 themes", manyThemes(), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x, g := library(t, tt.specs...)
			m, conns := r.wholeMap(x.Themes, g)
			key := func(c Connection) string { return fmt.Sprintf("%s|%s", c.A.Title, c.B.Title) }
			for i, c := range conns {
				if strings.ToLower(c.A.Title) > strings.ToLower(c.B.Title) {
					t.Errorf("row %d names %s before %s", i, c.A.Title, c.B.Title)
				}
				if i == 0 {
					continue
				}
				p := conns[i-1]
				if p.Count < c.Count || p.Count == c.Count && strings.ToLower(key(p)) > strings.ToLower(key(c)) {
					t.Errorf("row %d (%s, %d) comes after row %d (%s, %d)", i, key(c), c.Count, i-1, key(p), p.Count)
				}
			}
			if (m.ListNote != "") != tt.note {
				t.Errorf("list note %q", m.ListNote)
			}
			if !tt.note && len(conns) != len(g.Edges) {
				t.Errorf("%d rows for %d connections", len(conns), len(g.Edges))
			}
			if tt.note && len(conns) < tableRows {
				t.Errorf("%d rows", len(conns))
			}
			rows := map[string]bool{}
			for _, c := range conns {
				rows[c.A.Href+c.B.Href] = true
			}
			wide := m.Drawings[0]
			if len(wide.Edges) >= len(g.Edges) || len(wide.Edges) > backboneK*len(wide.Nodes) {
				t.Errorf("the map draws %d lines of %d connections between %d themes", len(wide.Edges), len(g.Edges), len(wide.Nodes))
			}
			at := map[string]string{}
			for _, n := range wide.Nodes {
				at[n.X+","+n.Y] = n.Href
			}
			for _, e := range wide.Edges {
				v := numRE.FindAllString(e.D, -1)
				a, b := at[v[0]+","+v[1]], at[v[len(v)-2]+","+v[len(v)-1]]
				if !rows[a+b] && !rows[b+a] {
					t.Errorf("the line %s–%s is not in the table", a, b)
				}
			}
		})
	}
}

// TestMapCaptions: a theme page's caption names the strongest neighbour,
// the few that tie, or says that every neighbour ties; so does the whole
// map's for pairs.
func TestMapCaptions(t *testing.T) {
	r := &Renderer{cfg: &config.Site{}}
	for _, tt := range []struct {
		name, theme string
		specs       []string
		want, whole string
	}{
		{"every neighbour ties", "a", []string{"a, b, c, d"},
			"a appears with 3 other themes, each in 1 item together: none more often than the others.",
			"4 themes; 6 pairs appear together most often, equally (1 item each), listed first in the table."},
		{"one strongest", "a", []string{"a, b", "a, b", "a, c"},
			"a appears with 2 other themes; most often with b (2 items together).",
			"3 themes; a and b appear together most often (2 items)."},
		{"two tie", "a", []string{"a, b", "a, b", "a, c", "a, c", "a, d"},
			"a appears with 3 other themes; most often, equally, with b and c (2 items together each).",
			"4 themes; 2 pairs appear together most often, equally (2 items each): a and b; a and c."},
		{"four tie", "a", []string{"a, b, c, d, e", "a, b, c, d, e", "a, f"},
			"a appears with 5 other themes; most often, equally, with 4 of them (2 items together each), listed first below.",
			"6 themes; 10 pairs appear together most often, equally (2 items each), listed first in the table."},
		{"one neighbour", "a", []string{"a, b"},
			"a appears with 1 other theme, b (1 item together).",
			"2 themes; a and b appear together most often (1 item)."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x, g := library(t, tt.specs...)
			related, m := r.themeNeighbourhood(x.Get(tt.theme), g)
			if m.Summary != tt.want {
				t.Errorf("caption\n got %q\nwant %q", m.Summary, tt.want)
			}
			if w, _ := r.wholeMap(x.Themes, g); w.Summary != tt.whole {
				t.Errorf("whole map's caption\n got %q\nwant %q", w.Summary, tt.whole)
			}
			// the list: most items together first, then A to Z
			if !slices.IsSortedFunc(related, func(a, b RelatedTheme) int {
				if a.Count != b.Count {
					return b.Count - a.Count
				}
				return strings.Compare(a.Title, b.Title)
			}) {
				t.Errorf("related themes out of order: %+v", related)
			}
		})
	}
}
