package render

import (
	"regexp"
	"strings"
)

// linkAttr finds the root-relative links in rendered HTML: the URL
// attributes html/template and goldmark write (always double-quoted), and
// the url= of a meta refresh.
var linkAttr = regexp.MustCompile(`(\s(?:href|src|action|poster|data-index|data-base)="|content="0; url=)(/[^"/][^"]*|/)"`)

// Relative rewrites a page's links under basePath ("/" or "/sub/") so they
// are relative to the page at sitePath ("/stories/denis/", "/404.html"),
// and folder links name their index.html: the built site then works when
// opened from disk (file://), as an offline copy or in a learning pack.
func Relative(html []byte, sitePath, basePath string) []byte {
	depth := strings.Count(sitePath, "/") - 1 // folders between the site root and the page
	up := strings.Repeat("../", max(depth, 0))
	html = linkAttr.ReplaceAllFunc(html, func(m []byte) []byte {
		sub := linkAttr.FindSubmatch(m)
		link := string(sub[2])
		if !strings.HasPrefix(link, basePath) && link+"/" != basePath {
			return m // outside the site
		}
		rest := strings.TrimPrefix(strings.TrimPrefix(link, strings.TrimSuffix(basePath, "/")), "/")
		p, frag := rest, ""
		if i := strings.IndexAny(rest, "?#"); i >= 0 {
			p, frag = rest[:i], rest[i:]
		}
		folder := p == "" || strings.HasSuffix(p, "/")
		if folder && !strings.Contains(string(sub[1]), "data-") { // data-index and data-base name folders for scripts
			p += "index.html"
		}
		return []byte(string(sub[1]) + up + p + frag + `"`)
	})
	// a srcset's addresses, each a file: the same, one by one
	return srcsetAttr.ReplaceAllFunc(html, func(m []byte) []byte {
		sub := srcsetAttr.FindSubmatch(m)
		parts := strings.Split(string(sub[2]), ", ")
		for i, part := range parts {
			if link, width, ok := strings.Cut(part, " "); ok && strings.HasPrefix(link, basePath) {
				parts[i] = up + strings.TrimPrefix(strings.TrimPrefix(link, strings.TrimSuffix(basePath, "/")), "/") + " " + width
			}
		}
		return []byte(string(sub[1]) + strings.Join(parts, ", ") + `"`)
	})
}

// srcsetAttr finds srcset attributes, whose addresses are site paths
// followed by widths ("/a.320.jpg 320w, /a.640.jpg 640w").
var srcsetAttr = regexp.MustCompile(`(\ssrcset=")([^"]*)"`)
