package site

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// headers is _headers: the response headers for every page, in the form
// static hosts such as Netlify and Cloudflare Pages read from the output
// (other servers: see the README). The Content-Security-Policy allows
// nothing but the site's own files, no inline script or style, no framing;
// pictures and audio kept on other hosts are allowed from those hosts
// alone.
func (b *builder) headers() []byte {
	var img, media []string
	add := func(list *[]string, link string) {
		u, err := url.Parse(link)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return
		}
		if o := u.Scheme + "://" + u.Host; !slices.Contains(*list, o) {
			*list = append(*list, o)
		}
	}
	for _, it := range b.lib.Items {
		if it.Image != nil {
			add(&img, it.Image.Path)
		}
		if e := it.Episode; e != nil && e.Audio != nil {
			add(&media, e.Audio.Path)
		}
	}
	slices.Sort(img)
	slices.Sort(media)
	csp := []string{"default-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'", "object-src 'none'"}
	if len(img) > 0 {
		csp = append(csp, "img-src 'self' "+strings.Join(img, " "))
	}
	if len(media) > 0 {
		csp = append(csp, "media-src 'self' "+strings.Join(media, " "))
	}
	return fmt.Appendf(nil, "/*\n  Content-Security-Policy: %s\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  Permissions-Policy: camera=(), microphone=(), geolocation=()\n", strings.Join(csp, "; "))
}
