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
	// Alternates are the page's versions in other languages, itself
	// among them (xhtml:link rel="alternate" hreflang): none for a site
	// in one language.
	Alternates []Alternate
}

// Alternate is a page's version in one language.
type Alternate struct {
	Lang, Href string
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string      `xml:"loc"`
	LastMod string      `xml:"lastmod,omitempty"`
	Links   []xhtmlLink `xml:"xhtml:link"`
}

type xhtmlLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// Sitemap renders a sitemaps.org 0.9 document listing urls in the order given.
func Sitemap(urls []URL) ([]byte, error) {
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, u := range urls {
		su := sitemapURL{Loc: u.Loc}
		if !u.LastMod.IsZero() {
			su.LastMod = u.LastMod.UTC().Format(time.DateOnly)
		}
		for _, a := range u.Alternates {
			su.Links = append(su.Links, xhtmlLink{Rel: "alternate", Hreflang: a.Lang, Href: a.Href})
			set.XHTML = "http://www.w3.org/1999/xhtml"
		}
		set.URLs = append(set.URLs, su)
	}
	return encodeXML(set)
}
