package publish

import (
	"path"
	"strings"
)

// HashLen is how many hex digits of a file's sha256 a fingerprinted name
// carries (fingerprint = true in site.toml).
const HashLen = 10

// Immutable is the Cache-Control of a file whose name carries a hash of
// its content: a changed file gets a new name, so this one never changes.
const Immutable = "public, max-age=31536000, immutable"

// Fingerprinted is a file's name with the first HashLen hex digits of
// hash put before its extension: "css/main.css" → "css/main.0123456789.css".
func Fingerprinted(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash[:HashLen] + ext
}

// IsFingerprinted says whether a file's name ends with HashLen lower-case
// hex digits, at least one a letter, and an extension, as Fingerprinted's
// names do. Digits alone are more likely a date or a number of the
// site's own ("report.2024121501.pdf"), which may be given new bytes
// under the same name: one in a hundred of Fingerprinted's names is taken
// for such a one, and cached as briefly.
func IsFingerprinted(name string) bool {
	base := path.Base(name)
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	if len(ext) < 2 || len(stem) < HashLen+2 || stem[len(stem)-HashLen-1] != '.' {
		return false
	}
	letter := false
	for _, c := range stem[len(stem)-HashLen:] {
		switch {
		case c >= 'a' && c <= 'f':
			letter = true
		case c < '0' || c > '9':
			return false
		}
	}
	return letter
}
