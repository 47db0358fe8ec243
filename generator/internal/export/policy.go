package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Policy is the Content-Security-Policy under which an HTML export, as
// written (page: the file's final bytes), renders when the site serves
// it: each inline <style> and <script> allowed by its sha256, pictures
// from data: URLs and the other sites the file names, and nothing else;
// no 'unsafe-inline', nothing of the site itself (the file holds what it
// needs). Opened from disk or an email, no policy applies.
func Policy(page []byte) string {
	var styles, scripts, img []string
	add := func(list *[]string, v string) {
		if !slices.Contains(*list, v) {
			*list = append(*list, v)
		}
	}
	picture := func(v string) {
		u, err := url.Parse(strings.TrimSpace(v))
		switch {
		case err != nil:
		case strings.EqualFold(u.Scheme, "data"):
			add(&img, "data:")
		case (u.Scheme == "https" || u.Scheme == "http") && u.Host != "":
			add(&img, u.Scheme+"://"+u.Host)
		}
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	var inside atom.Atom // the raw-text element whose text comes next
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return policy(styles, scripts, img)
		case html.TextToken:
			if inside != 0 {
				sum := sha256.Sum256(z.Text())
				hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
				if inside == atom.Style {
					add(&styles, hash)
				} else {
					add(&scripts, hash)
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			a := atom.Lookup(name)
			attrs := map[string]string{}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			inside = 0
			switch {
			case a == atom.Style, a == atom.Script && attrs["src"] == "":
				inside = a
			case a == atom.Img:
				picture(attrs["src"])
			case a == atom.Link && attrs["rel"] == "icon":
				picture(attrs["href"])
			}
			continue
		}
		inside = 0
	}
}

func policy(styles, scripts, img []string) string {
	p := []string{"default-src 'none'"}
	if len(styles) > 0 {
		p = append(p, "style-src "+strings.Join(styles, " "))
	}
	if len(scripts) > 0 {
		p = append(p, "script-src "+strings.Join(scripts, " "))
	}
	if len(img) > 0 {
		p = append(p, "img-src "+strings.Join(img, " "))
	}
	return strings.Join(append(p, "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"), "; ")
}
