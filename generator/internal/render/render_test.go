package render

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/markdown"
	"github.com/otpress/otpress/themes"
)

func TestDurationWords(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{42 * time.Minute, "42 minutes"},
		{112 * time.Second, "1 minute 52 seconds"},
		{time.Hour + 2*time.Minute + 3*time.Second, "1 hour 2 minutes"},
		{2 * time.Hour, "2 hours"},
		{45 * time.Second, "45 seconds"},
		{61 * time.Second, "1 minute 1 second"},
	}
	for _, tt := range tests {
		if got := DurationWords(tt.d); got != tt.want {
			t.Errorf("DurationWords(%v) = %q; want %q", tt.d, got, tt.want)
		}
	}
	if got := isoDuration(time.Hour + 2*time.Minute + 3*time.Second); got != "PT1H2M3S" {
		t.Errorf("isoDuration = %q", got)
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{21: "21 bytes", 448068: "448 KB", 26_400_000: "26 MB", 2_500_000: "2.5 MB", 1_200_000_000: "1.2 GB"} {
		if got := ByteSize(n); got != want {
			t.Errorf("ByteSize(%d) = %q; want %q", n, got, want)
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two #rrggbb colours.
var tokenRe = regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{6})`)

// tokens reads the colour custom properties of the theme's :root block and
// of its dark-scheme block.
func tokens(t *testing.T) (light, dark map[string]string) {
	t.Helper()
	css, err := fs.ReadFile(themes.Default, "static/css/main.css")
	if err != nil {
		t.Fatal(err)
	}
	s := string(css)
	darkAt := strings.Index(s, "@media (prefers-color-scheme: dark)")
	if darkAt < 0 {
		t.Fatal("main.css has no dark scheme")
	}
	read := func(block string) map[string]string {
		m := map[string]string{}
		for _, mm := range tokenRe.FindAllStringSubmatch(block, -1) {
			m[mm[1]] = mm[2]
		}
		return m
	}
	rootEnd := strings.Index(s, "}")
	light = read(s[:rootEnd])
	darkEnd := strings.Index(s[darkAt:], "}\n}")
	dark = read(s[darkAt : darkAt+darkEnd])
	return light, dark
}

// TestTokenContrast checks every foreground/background pair the theme uses:
// text and links at least 7:1 (WCAG AAA), focus rings and borders at least
// 3:1, in light and dark.
func TestTokenContrast(t *testing.T) {
	light, dark := tokens(t)
	pairs := []struct {
		fg, bg string
		min    float64
	}{
		{"fg", "bg", 7}, {"muted", "bg", 7}, {"link", "bg", 7}, {"link-visited", "bg", 7},
		{"fg", "surface", 7}, {"muted", "surface", 7}, {"link", "surface", 7},
		{"link", "link-hover-bg", 7}, {"link-visited", "link-hover-bg", 7},
		{"focus-fg", "focus-bg", 7}, {"fg", "note-bg", 7}, {"link", "note-bg", 7},
		{"focus", "bg", 3}, {"focus", "focus-bg", 3}, {"border", "bg", 3}, {"border", "surface", 3},
		// cards, chips and the colours of each kind of item
		{"fg", "card", 7}, {"link", "card", 7}, {"muted", "card", 7}, {"border", "card", 3}, {"fg", "page", 7}, {"muted", "page", 7}, {"link", "page", 7},
		{"link", "chip-bg", 7}, {"fg", "chip-bg", 7}, {"border", "chip-bg", 3},
		{"story-fg", "story-bg", 7}, {"episode-fg", "episode-bg", 7}, {"feature-fg", "feature-bg", 7}, {"pack-fg", "pack-bg", 7},
		{"fg", "pack-bg", 7}, {"link", "pack-bg", 7}, {"pack-fg", "bg", 3},
		{"danger", "bg", 4.5}, {"bg", "danger", 4.5}, // a Remove button, and the same pressed
	}
	// the header band: white text on the brand colour, and its focus
	// colour against the band
	if c := config.Contrast(light["band-fg"], light["brand"]); c < config.MinBrandContrast {
		t.Errorf("--band-fg on --brand is %.2f:1; want %.1f:1", c, config.MinBrandContrast)
	}
	if c := config.Contrast(light["band-focus"], light["brand"]); c < 3 {
		t.Errorf("--band-focus on --brand is %.2f:1; want 3:1", c)
	}
	for name, set := range map[string]map[string]string{"light": light, "dark": dark} {
		for _, p := range pairs {
			fg, bg := set[p.fg], set[p.bg]
			if fg == "" || bg == "" {
				t.Errorf("%s: token --%s or --%s missing", name, p.fg, p.bg)
				continue
			}
			if c := config.Contrast(fg, bg); c < p.min {
				t.Errorf("%s: --%s %s on --%s %s is %.2f:1; want at least %.0f:1", name, p.fg, fg, p.bg, bg, c, p.min)
			}
		}
	}
}

// TestStyleContrast checks every colour of the code-highlighting styles
// against their background at 7:1.
func TestStyleContrast(t *testing.T) {
	for _, st := range []*chroma.Style{markdown.LightStyle, markdown.DarkStyle} {
		bg := st.Get(chroma.Background).Background
		for _, tt := range st.Types() {
			e := st.Get(tt)
			if !e.Colour.IsSet() {
				continue
			}
			if c := config.Contrast(e.Colour.String(), bg.String()); c < 7 {
				t.Errorf("%s: %v %s on %s is %.2f:1; want 7:1", st.Name, tt, e.Colour, bg, c)
			}
		}
	}
}

func TestPageWindow(t *testing.T) {
	tests := []struct {
		n, pages int
		want     string
	}{
		{1, 1, "[]"},
		{1, 3, "[1 2 3]"},
		{1, 10, "[1 2 3 0 10]"},
		{5, 10, "[1 0 3 4 5 6 7 0 10]"},
		{10, 10, "[1 0 8 9 10]"},
		{4, 7, "[1 2 3 4 5 6 7]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(pageWindow(tt.n, tt.pages)); got != tt.want {
			t.Errorf("pageWindow(%d, %d) = %s; want %s", tt.n, tt.pages, got, tt.want)
		}
	}
}

func TestRelative(t *testing.T) {
	for _, c := range []struct{ page, base, in, want string }{
		{"/stories/denis/", "/", `<a href="/themes/co-production/#map">x</a>`, `<a href="../../themes/co-production/index.html#map">x</a>`},
		{"/", "/", `<link href="/css/main.css"><a href="/">Home</a>`, `<link href="css/main.css"><a href="index.html">Home</a>`},
		{"/404.html", "/", `<form action="/search/">`, `<form action="search/index.html">`},
		{"/search/", "/", `<script src="/js/search.js" data-index="/search/data/"></script>`, `<script src="../js/search.js" data-index="../search/data/"></script>`},
		{"/stories/denis/", "/", `<script defer src="/js/packs.js" data-base="/" data-rerun></script>`, `<script defer src="../../js/packs.js" data-base="../../" data-rerun></script>`},
		{"/stories/", "/ot/", `<a href="/ot/stories/page/2/">2</a> <a href="/elsewhere/">e</a> <a href="//cdn.example/x">c</a> <a href="https://x.org/">x</a>`, `<a href="../stories/page/2/index.html">2</a> <a href="/elsewhere/">e</a> <a href="//cdn.example/x">c</a> <a href="https://x.org/">x</a>`},
		{"/old/denis/", "/", `<meta http-equiv="refresh" content="0; url=/stories/denis/">`, `<meta http-equiv="refresh" content="0; url=../../stories/denis/index.html">`},
		{"/a/", "/", `<p>href="/not/a/link" in text</p>`, `<p>href="/not/a/link" in text</p>`},
		{"/stories/denis/", "/ot/", `<img src="/ot/stories/denis/k.960.jpg" srcset="/ot/stories/denis/k.320.jpg 320w, /ot/stories/denis/k.960.jpg 960w, https://x.org/a.jpg 2x">`, `<img src="../../stories/denis/k.960.jpg" srcset="../../stories/denis/k.320.jpg 320w, ../../stories/denis/k.960.jpg 960w, https://x.org/a.jpg 2x">`},
	} {
		if got := string(Relative([]byte(c.in), c.page, c.base)); got != c.want {
			t.Errorf("Relative(%q on %s) =\n %s\nwant\n %s", c.in, c.page, got, c.want)
		}
	}
}

func TestPackTimeWords(t *testing.T) {
	tests := []struct {
		t    PackTime
		want string
	}{
		{PackTime{Read: 30 * time.Second}, "about 1 minute's reading"},
		{PackTime{Read: 6*time.Minute + time.Second}, "about 7 minutes' reading"}, // rounded up
		{PackTime{Listen: 42 * time.Minute}, "42 minutes' listening"},
		{PackTime{Listen: 63 * time.Minute, Read: time.Minute}, "63 minutes' listening and 1 minute's reading"},
		{PackTime{}, ""},
	}
	for _, tt := range tests {
		if got := tt.t.words(); got != tt.want {
			t.Errorf("%+v.words() = %q; want %q", tt.t, got, tt.want)
		}
	}
}

func TestAppName(t *testing.T) {
	for link, want := range map[string]string{
		"https://podcasts.apple.com/gb/podcast/ot-stories/id1": "Apple Podcasts",
		"https://open.spotify.com/show/abc":                    "Spotify",
		"https://pca.st/abc":                                   "Pocket Casts",
		"https://overcast.fm/itunes1":                          "Overcast",
		"https://www.youtube.com/@otstories":                   "YouTube",
		"https://music.youtube.com/playlist?list=1":            "YouTube",
		"https://www.podcasts.example.org/show":                "podcasts.example.org",
	} {
		if got := appName(link); got != want {
			t.Errorf("appName(%q) = %q; want %q", link, got, want)
		}
	}
}
