package feed

import (
	"encoding/xml"
	"testing"
	"time"
)

func TestSitemapRoundTrip(t *testing.T) {
	out, err := Sitemap([]URL{
		{Loc: "https://example.org/"},
		{Loc: "https://example.org/stories/denis/?a=1&b=2", LastMod: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(out, &got); err != nil {
		t.Fatalf("not valid XML: %v\n%s", err, out)
	}
	if len(got.URLs) != 2 || got.URLs[1].Loc != "https://example.org/stories/denis/?a=1&b=2" || got.URLs[1].LastMod != "2026-11-23" || got.URLs[0].LastMod != "" {
		t.Errorf("sitemap = %+v", got)
	}
}
