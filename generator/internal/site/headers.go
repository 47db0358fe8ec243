package site

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/otpress/otpress/generator/internal/publish"
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
	for _, l := range b.langs() {
		for _, it := range l.lib.Items {
			if it.Image != nil {
				add(&img, it.Image.Path)
			}
			if e := it.Episode; e != nil && e.Audio != nil {
				add(&media, e.Audio.Path)
			}
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
	out := fmt.Appendf(nil, "/*\n  Content-Security-Policy: %s\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  Permissions-Policy: camera=(), microphone=(), geolocation=()\n", strings.Join(csp, "; "))
	out = append(out, b.assetRules()...)
	return append(out, b.packPolicies()...)
}

// assetRules keep the styles and scripts named by their hash
// (fingerprint = true) a year. Pictures' copies are not listed, one rule
// each, since hosts limit the rules (Cloudflare Pages to 100): the
// README says what to set for them.
func (b *builder) assetRules() []byte {
	var paths []string
	for _, l := range b.langs() {
		for _, h := range l.assets {
			if p := l.cfg.Link("/" + h); !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
		}
	}
	if len(paths) == 0 {
		return nil
	}
	slices.Sort(paths)
	out := []byte("\n# Styles and scripts named by a hash of their content: a changed file gets a new name, so each is kept a year.\n")
	for _, p := range paths {
		out = fmt.Appendf(out, "%s\n  Cache-Control: %s\n", p, publish.Immutable)
	}
	return out
}

// packPolicies are the rules that give each single-file pack download
// its own policy (export.Policy): its styles are inline, which the site's
// forbids, so the site's must not also apply. A host that joins the two
// (Cloudflare Pages) drops the site's first ("! Content-Security-Policy");
// one that takes the later or more specific rule (Netlify) skips that
// line, which has no value.
func (b *builder) packPolicies() []byte {
	policies := map[string]any{}
	var paths []string
	for _, l := range b.langs() {
		l.policies.Range(func(k, v any) bool {
			paths = append(paths, k.(string))
			policies[k.(string)] = v
			return true
		})
	}
	if len(paths) == 0 {
		return nil
	}
	slices.Sort(paths)
	out := []byte("\n# Each learning pack as one web page: its styles and pictures inside, allowed by its own policy.\n")
	for _, p := range paths {
		out = fmt.Appendf(out, "%s\n  ! Content-Security-Policy\n  Content-Security-Policy: %s\n", p, policies[p])
	}
	return out
}

// redirects is _redirects: each old address of a page (its aliases) moved
// permanently to the page, in the form Cloudflare Pages, Netlify and
// GitLab Pages read, so those hosts answer 301 and search engines carry
// the old address's standing over. The alias pages stay for every other
// host (and on Netlify, which serves a file before a redirect).
func (b *builder) redirects() []byte {
	type move struct{ from, to string }
	var moves []move
	for _, l := range b.langs() {
		for _, it := range l.lib.Items {
			for _, a := range it.Aliases {
				moves = append(moves, move{l.cfg.Link(a), l.cfg.Link(it.Path)})
			}
		}
	}
	slices.SortFunc(moves, func(x, y move) int { return cmp.Compare(x.from, y.from) })
	var buf bytes.Buffer
	buf.WriteString("# Old addresses (aliases in front matter) and the pages now at them.\n")
	for _, m := range moves {
		fmt.Fprintf(&buf, "%s %s 301\n", m.from, m.to)
	}
	// each language under its folder answers an address that is not
	// there with its own not-found page (hosts that look for the nearest
	// 404.html do so already)
	if ls := b.langs(); len(ls) > 1 {
		buf.WriteString("\n# Each language's own page for an address that is not there.\n")
		for _, l := range ls[1:] {
			fmt.Fprintf(&buf, "%s* %s 404\n", l.cfg.Link("/"), l.cfg.Link("/404.html"))
		}
	}
	return buf.Bytes()
}
