package diag

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable is s safe to show on a terminal: control characters (but line
// breaks and tabs), C1 controls, bytes that are not UTF-8 and the marks
// that reorder text (bidirectional overrides, as in "Trojan Source") are
// written as escapes (\x1b, \u202e), so a site's file cannot retitle,
// recolour or rearrange the terminal or CI log its problems are shown in.
func Printable(s string) string {
	if printableAlready(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unprintable(r):
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func printableAlready(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\n' && c != '\t' || c >= 0x7f {
			if c < 0x80 {
				return false
			}
			// UTF-8: decide rune by rune
			for _, r := range s[i:] {
				if r == utf8.RuneError || unprintable(r) {
					return false
				}
			}
			return true
		}
	}
	return true
}

func unprintable(r rune) bool {
	switch {
	case r < ' ':
		return r != '\n' && r != '\t'
	case r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
