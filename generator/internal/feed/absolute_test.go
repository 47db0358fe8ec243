package feed

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

func TestAbsoluteHTML(t *testing.T) {
	const base = "https://example.org/ot/stories/denis/"
	for _, c := range []struct{ name, in, want string }{
		{"root-relative link", `<p>See <a href="/ot/themes/rehab/">rehab</a>.</p>`, `<p>See <a href="https://example.org/ot/themes/rehab/">rehab</a>.</p>`},
		{"picture beside the page", `<img src="photo.jpg" alt="Denis" width="800" height="600">`, `<img src="https://example.org/ot/stories/denis/photo.jpg" alt="Denis" width="800" height="600">`},
		{"up a folder", `<a href="../bob/">Bob</a>`, `<a href="https://example.org/ot/stories/bob/">Bob</a>`},
		{"fragment of the page", `<sup><a href="#fn-1" id="fnref-1">1</a></sup>`, `<sup><a href="https://example.org/ot/stories/denis/#fn-1" id="fnref-1">1</a></sup>`},
		{"query", `<a href="?page=2">next</a>`, `<a href="https://example.org/ot/stories/denis/?page=2">next</a>`},
		{"another site, left", `<a href="https://nhs.uk/x?a=1&amp;b=2">NHS</a>`, `<a href="https://nhs.uk/x?a=1&amp;b=2">NHS</a>`},
		{"protocol-relative", `<img src="//cdn.example.net/a.png" alt="">`, `<img src="https://cdn.example.net/a.png" alt="">`},
		{"mail, left", `<a href="mailto:ot@example.org">mail</a>`, `<a href="mailto:ot@example.org">mail</a>`},
		{"srcset", `<img src="a.jpg" srcset="a.jpg 1x, /ot/b.jpg 2x" alt="">`, `<img src="https://example.org/ot/stories/denis/a.jpg" srcset="https://example.org/ot/stories/denis/a.jpg 1x,https://example.org/ot/b.jpg 2x" alt="">`},
		{"srcset with a data URL, left", `<img srcset="data:image/png;base64,iVBO 1x" alt="">`, `<img srcset="data:image/png;base64,iVBO 1x" alt="">`},
		{"media and poster", `<video src="clip.mp4" poster="still.jpg"><track src="/ot/c.vtt"></video>`, `<video src="https://example.org/ot/stories/denis/clip.mp4" poster="https://example.org/ot/stories/denis/still.jpg"><track src="https://example.org/ot/c.vtt"></video>`},
		{"quotation's source", `<blockquote cite="/ot/sources/">q</blockquote>`, `<blockquote cite="https://example.org/ot/sources/">q</blockquote>`},
		{"inline SVG", `<svg><use xlink:href="#a"></use></svg>`, `<svg><use xlink:href="https://example.org/ot/stories/denis/#a"></use></svg>`},
		{"text that looks like a link, left", `<p>href="/x" &lt;a href="/y"&gt;</p><pre><code>&lt;img src="z.png"&gt;</code></pre>`, `<p>href="/x" &lt;a href="/y"&gt;</p><pre><code>&lt;img src="z.png"&gt;</code></pre>`},
		{"escapes in a rewritten tag", `<a href="/ot/a?x=1&amp;y=2" title="&quot;A&quot; &amp; B">a</a>`, `<a href="https://example.org/ot/a?x=1&amp;y=2" title="&#34;A&#34; &amp; B">a</a>`},
		{"untouched tags and comments kept as written", "<h2 id=\"goals\">Goals</h2>\n<!-- note --><p class='x'>Café</p>", "<h2 id=\"goals\">Goals</h2>\n<!-- note --><p class='x'>Café</p>"},
		{"self-closing kept so", `<img src="a.png" alt=""/>`, `<img src="https://example.org/ot/stories/denis/a.png" alt=""/>`},
		{"empty href", `<a href="">x</a>`, `<a href="">x</a>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := AbsoluteHTML(c.in, base)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("AbsoluteHTML(%q)\n got %s\nwant %s", c.in, got, c.want)
			}
		})
	}
	if _, err := AbsoluteHTML("<p>x</p>", "http://[::1"); err == nil {
		t.Error("a base that is not a URL: no error")
	}
}

// TestFullText: an entry with its text carries it as content_html (JSON
// Feed) and html content (Atom), beside its summary; one without carries
// its summary as content_text, since a JSON Feed item needs one of the two.
func TestFullText(t *testing.T) {
	f := sample()
	f.Icon, f.Favicon = "https://example.org/feed-icon.png", "https://example.org/feed-favicon.png"
	text, err := AbsoluteHTML(`<p>Denis made <a href="/stories/bob/">tea</a> &amp; toast.</p><img src="kitchen.jpg" alt="The kitchen">`, f.Entries[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	f.Entries[0].HTML = text
	out, err := JSONFeed(f)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Icon, Favicon string
		Items         []map[string]any
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Icon != f.Icon || raw.Favicon != f.Favicon {
		t.Errorf("icon %q, favicon %q", raw.Icon, raw.Favicon)
	}
	first, second := raw.Items[0], raw.Items[1]
	if first["content_html"] != text || first["summary"] != "Small steps & a kitchen." || first["content_text"] != nil {
		t.Errorf("item with its text: %v", first)
	}
	if !strings.Contains(text, `href="https://example.org/stories/bob/"`) || !strings.Contains(text, `src="https://example.org/stories/denis/kitchen.jpg"`) {
		t.Errorf("text's addresses are not absolute: %s", text)
	}
	if second["content_html"] != nil || second["content_text"] != "Talk." {
		t.Errorf("item without its text: %v", second)
	}
	if gf, err := gofeed.NewParser().Parse(bytes.NewReader(out)); err != nil || gf.Items[0].Content != text {
		t.Errorf("gofeed: %v, content %q", err, gf.Items[0].Content)
	}

	atom, err := Atom(f)
	af := parseXML(t, atom, err)
	if af.Items[0].Content != text || af.Items[0].Description != "Small steps & a kitchen." {
		t.Errorf("Atom entry: content %q, summary %q", af.Items[0].Content, af.Items[0].Description)
	}
	if af.Items[1].Content != "" {
		t.Errorf("Atom entry without text has content %q", af.Items[1].Content)
	}
	// a text with CDATA's end in it (a code block about XML) still reads back whole
	f.Entries[0].HTML = `<pre><code>&lt;![CDATA[x]]&gt; and ]]> raw</code></pre>`
	atom, err = Atom(f)
	if af := parseXML(t, atom, err); af.Items[0].Content != f.Entries[0].HTML {
		t.Errorf("Atom content with ]]>: %q", af.Items[0].Content)
	}
}
