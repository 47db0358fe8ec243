package feed

import (
	"bytes"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// urlAttrs are the attributes whose value is one address, as HTML and the
// SVG drawn inside it name them.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "poster": true, "cite": true, "data": true,
	"action": true, "formaction": true, "xlink:href": true,
}

// AbsoluteHTML is a fragment of HTML with every address in it made
// absolute against base (the page the fragment comes from): links,
// pictures and their srcset, media and their posters, quotations' cite.
// Feed readers show a text away from its page, where a relative address
// ("/ot/stories/denis/photo.jpg", "#fn-1") would lead nowhere. Addresses
// that are absolute already, and any that cannot be read as one, are left
// as written; the rest of the fragment is kept byte for byte.
func AbsoluteHTML(fragment, base string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	z := html.NewTokenizer(strings.NewReader(fragment))
	var out bytes.Buffer
	out.Grow(len(fragment) + len(fragment)/8)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return out.String(), nil
			}
			return "", z.Err()
		case html.StartTagToken, html.SelfClosingTagToken:
			raw := z.Raw()
			t := z.Token()
			changed := false
			for i, a := range t.Attr {
				key := a.Key
				if a.Namespace != "" {
					key = a.Namespace + ":" + a.Key
				}
				var v string
				switch {
				case urlAttrs[key]:
					v = resolve(b, a.Val)
				case key == "srcset":
					v = resolveSrcset(b, a.Val)
				default:
					continue
				}
				if v != a.Val {
					t.Attr[i].Val, changed = v, true
				}
			}
			if !changed {
				out.Write(raw)
				continue
			}
			out.WriteString(t.String())
		default:
			out.Write(z.Raw())
		}
	}
}

// resolve is ref made absolute against base, or ref as written when it
// is absolute already, empty or not an address.
func resolve(base *url.URL, ref string) string {
	r := strings.TrimSpace(ref)
	if r == "" {
		return ref
	}
	u, err := url.Parse(r)
	if err != nil || u.IsAbs() {
		return ref
	}
	return base.ResolveReference(u).String()
}

// resolveSrcset makes each address of a srcset ("a.jpg 1x, b.jpg 2x")
// absolute, keeping its descriptor; a set with a data: URL, whose commas
// are not the set's, is left as written.
func resolveSrcset(base *url.URL, set string) string {
	if strings.Contains(strings.ToLower(set), "data:") {
		return set
	}
	parts := strings.Split(set, ",")
	changed := false
	for i, p := range parts {
		f := strings.Fields(p)
		if len(f) == 0 {
			continue
		}
		if abs := resolve(base, f[0]); abs != f[0] {
			f[0], changed = abs, true
			parts[i] = strings.Join(f, " ")
		}
	}
	if !changed {
		return set
	}
	return strings.Join(parts, ",")
}
