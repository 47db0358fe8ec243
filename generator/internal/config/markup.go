package config

import (
	"bytes"
	"slices"
	"strings"

	"github.com/otpress/otpress/generator/internal/check"
	"github.com/otpress/otpress/generator/internal/diag"
)

// never are things raw HTML may never use, which an editor might think to
// allow, with why: the site's Content-Security-Policy blocks them anyway.
var never = map[string]string{
	"style":      "inline styles are blocked by the site's Content-Security-Policy: give the element a class and style it in the theme's CSS",
	"on":         "event handlers (onclick=…) are blocked by the site's Content-Security-Policy: put the script in a file in static/ and allow \"script\"",
	"javascript": "javascript: addresses are blocked by the site's Content-Security-Policy: link to a page, or put the script in a file and allow \"script\"",
}

// check validates [markup] allow: each entry must be one of
// check.Allowable, at its line and column with the nearest one; and allow
// has no effect without unsafe.
func (m Markup) check(src []byte, at func(string) (int, int)) []*diag.Problem {
	var out []*diag.Problem
	if len(m.Allow) == 0 {
		return nil
	}
	l, c := at("markup.allow")
	if !m.Unsafe {
		out = append(out, diag.Warnf(File, l, c, "allow has no effect: raw HTML is shown as text unless unsafe = true").
			WithHint("add unsafe = true under [markup] to let raw HTML through, checked"))
	}
	places := entryPlaces(src, l, m.Allow)
	for i, a := range m.Allow {
		if slices.Contains(check.Allowable, a) {
			continue
		}
		el, ec := places[i][0], places[i][1]
		key := strings.ToLower(a)
		if strings.HasPrefix(key, "on") {
			key = "on"
		}
		if why, ok := never[strings.TrimSuffix(key, ":")]; ok {
			out = append(out, diag.Errorf(File, el, ec, "%q cannot be allowed", a).WithHint("%s", why))
			continue
		}
		p := diag.Errorf(File, el, ec, "%q is not something raw HTML can be allowed", a)
		if near := diag.Nearest(a, check.Allowable); near != "" {
			p.WithHint("did you mean %q? allow takes %s", near, strings.Join(check.Allowable, ", "))
		} else {
			p.WithHint("allow takes %s", strings.Join(check.Allowable, ", "))
		}
		out = append(out, p)
	}
	return out
}

// entryPlaces finds the line and column of each entry of a list of text
// whose key is on line from: each entry, quoted, after the one before.
// An entry not found is given the key's line.
func entryPlaces(src []byte, from int, entries []string) [][2]int {
	out := make([][2]int, len(entries))
	off := 0
	for line := 1; line < from && off < len(src); line++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			off = len(src)
			break
		}
		off += i + 1
	}
	for i, e := range entries {
		out[i] = [2]int{from, 1}
		for _, q := range []string{`"`, `'`} {
			if j := bytes.Index(src[off:], []byte(q+e+q)); j >= 0 {
				off += j
				out[i] = [2]int{bytes.Count(src[:off], []byte("\n")) + 1, off - bytes.LastIndexByte(src[:off], '\n')}
				off += len(e) + 2
				break
			}
		}
	}
	return out
}
