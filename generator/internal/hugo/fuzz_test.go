package hugo

import (
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzBody: any page text imports without a panic; text with no shortcode,
// summary divider or link is carried over as it is; every shortcode
// reported is at a line of the file.
func FuzzBody(f *testing.F) {
	f.Add("Hello {{< youtube abc >}} and {{< figure src=\"a.jpg\" alt=\"A\" caption=\"C\" >}}")
	f.Add("{{< highlight go >}}\ncode\n{{< /highlight >}}\n{{% comment %}}x{{% /comment %}}")
	f.Add("{{</* youtube x */>}} [a]({{< ref \"b.md\" >}}) [c](/posts/b/) <!--more-->")
	f.Add("{{< tweet user=\"a\" id=\"1\" >}}{{< gist u 2 >}}{{< details >}}x{{< /details >}}{{<")
	f.Fuzz(func(t *testing.T, body string) {
		src := fstest.MapFS{
			"content/posts/a.md": {Data: []byte("---\ntitle: A\ndate: 2024-01-01\n---\n" + body)},
			"content/posts/b.md": {Data: []byte("---\ntitle: B\ndate: 2024-01-01\n---\nB\n")},
		}
		res, err := Import(src, fstest.MapFS{}, Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		lines := 4 + strings.Count(body, "\n") + 1
		for _, e := range res.Report {
			if e.File == "content/posts/a.md" && (e.Line > lines || e.Line < 0) {
				t.Fatalf("%v: past the file's %d lines", e, lines)
			}
		}
		if strings.ContainsAny(body, "{<[]") || strings.Contains(body, "-->") {
			return
		}
		for _, f := range res.Files {
			if f.Path == "content/features/a.md" && !strings.HasSuffix(string(f.Data), "---\n"+body) {
				t.Fatalf("text changed:\n%q\nwant it to end with %q", f.Data, body)
			}
		}
	})
}
