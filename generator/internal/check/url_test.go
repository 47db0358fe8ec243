package check

import "testing"

func TestUnsafeURL(t *testing.T) {
	for _, c := range []struct {
		url     string
		picture bool
		scheme  string
		unsafe  bool
	}{
		{"javascript:alert(1)", false, "javascript", true},
		{" JavaScript:alert(1)", false, "javascript", true},
		{"java\tscript:alert(1)", false, "javascript", true},
		{"java\nscr\ript:x", true, "javascript", true},
		{"\x00\x01javascript:x", false, "javascript", true},
		{"vbscript:msgbox", false, "vbscript", true},
		{"data:text/html,<script>alert(1)</script>", false, "data", true},
		{"data:text/html,x", true, "data", true},
		{"data:image/png;base64,AAAA", true, "data", false},
		{"DATA: image/svg+xml,<svg/>", true, "data", false},
		{"data:image/png;base64,AAAA", false, "data", true},
		{"https://example.org/a", false, "https", false},
		{"mailto:a@example.org", false, "mailto", false},
		{"/stories/denis/", false, "", false},
		{"photo.jpg", true, "", false},
		{"a/javascript:x", false, "", false},
		{"?q=javascript:x", false, "", false},
		{"#javascript:x", false, "", false},
		{":x", false, "", false},
		{"1javascript:x", false, "", false},
	} {
		scheme, unsafe := UnsafeURL(c.url, c.picture)
		if scheme != c.scheme || unsafe != c.unsafe {
			t.Errorf("UnsafeURL(%q, %v) = %q, %v; want %q, %v", c.url, c.picture, scheme, unsafe, c.scheme, c.unsafe)
		}
	}
}
