// Package feed writes the site's machine-readable indexes: the sitemap now,
// and the RSS, Atom and podcast feeds as they arrive. Output is built from
// typed structs with encoding/xml and is deterministic.
package feed

import (
	"encoding/xml"
	"time"
)

// URL is one page for the sitemap.
type URL struct {
	Loc     string    // absolute URL
	LastMod time.Time // zero when unknown
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// Sitemap renders a sitemaps.org 0.9 document listing urls in the order given.
func Sitemap(urls []URL) ([]byte, error) {
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, u := range urls {
		su := sitemapURL{Loc: u.Loc}
		if !u.LastMod.IsZero() {
			su.LastMod = u.LastMod.UTC().Format(time.DateOnly)
		}
		set.URLs = append(set.URLs, su)
	}
	return encodeXML(set)
}
