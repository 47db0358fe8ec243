package publish

import "testing"

func TestFingerprintedNames(t *testing.T) {
	const hash = "4fd217d163aa0b1c2d3e4f5061728394a5b6c7d8e9f00112233445566778899a"
	for _, tc := range []struct{ name, want string }{
		{"css/main.css", "css/main.4fd217d163.css"},
		{"/js/search.js", "/js/search.4fd217d163.js"},
		{"images/cup.og.jpg", "images/cup.og.4fd217d163.jpg"},
	} {
		got := Fingerprinted(tc.name, hash)
		if got != tc.want {
			t.Errorf("Fingerprinted(%q) = %q, want %q", tc.name, got, tc.want)
		}
		if !IsFingerprinted(got) {
			t.Errorf("IsFingerprinted(%q) = false for a name Fingerprinted gave", got)
		}
	}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"/images/cup.320.2d60ae829e.jpg", true},
		{"/images/cup.320.2d60ae829e.webp", true},
		{"/css/main.css", false},
		{"/images/cup.320.jpg", false},
		{"/reports/audit.2024121501.pdf", false}, // digits alone: a date or number of the site's own
		{"/css/main.4FD217D163.css", false},      // upper case is not ours
		{"/css/main.4fd217d16.css", false},       // nine digits
		{"/css/main.x4fd217d163.css", false},     // not a segment of its own
		{"/notes/4fd217d163", false},             // no extension
		{"/a.4fd217d163.", false},
		{"/.4fd217d163.css", false},
		{"/css/x.4fd217d163.css", true},
	} {
		if got := IsFingerprinted(tc.name); got != tc.want {
			t.Errorf("IsFingerprinted(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
