package content

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Slug turns a title or name into a URL segment of lower-case ASCII letters,
// digits and single hyphens: "Rehab potential" → "rehab-potential",
// "Café co-production" → "cafe-co-production", "It's" → "its".
func Slug(s string) string {
	var b strings.Builder
	dash := false
	// bytes that are not UTF-8 separate words; left in, the normaliser
	// may take the letters after them for part of the bad sequence
	for _, r := range norm.NFKD.String(strings.ToValidUTF8(s, " ")) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == '‘':
			// drop accents and apostrophes so "Zoë's" becomes "zoes"
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == 'ß':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteString("ss")
		default:
			dash = true
		}
	}
	return b.String()
}

// IsSlug reports whether s is already a slug.
func IsSlug(s string) bool { return s != "" && Slug(s) == s }
