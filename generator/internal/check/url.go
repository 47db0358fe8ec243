package check

import "strings"

// Scheme is the scheme of a URL as a browser reads it, in lower case, or ""
// for a relative URL. Browsers strip leading and trailing control
// characters and spaces and drop tabs and line breaks anywhere before they
// look for the scheme, so "java\tscript:" and " JavaScript:" are both
// javascript:. raw must be the value after HTML character references are
// decoded ("&#106;avascript:" is javascript:).
func Scheme(raw string) string {
	raw = strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' })
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			continue
		case c == ':':
			if b.Len() == 0 {
				return ""
			}
			return strings.ToLower(b.String())
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z',
			b.Len() > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
			b.WriteByte(c)
		default:
			return "" // a path, query or fragment before any colon
		}
	}
	return ""
}

// UnsafeURL reports whether a browser following or loading raw could run
// script or show a document made of the URL itself: javascript: and
// vbscript: anywhere, and data: except for a picture (an img's src, an SVG
// image's href) of an image type, which browsers only ever draw. It
// returns the scheme for the message.
func UnsafeURL(raw string, picture bool) (scheme string, unsafe bool) {
	switch s := Scheme(raw); s {
	case "javascript", "vbscript", "livescript":
		return s, true
	case "data":
		if !picture {
			return s, true
		}
		_, rest, _ := strings.Cut(raw, ":")
		rest = strings.ToLower(strings.TrimLeft(rest, " \t\n\r"))
		return s, !strings.HasPrefix(rest, "image/")
	default:
		return s, false
	}
}
