package markdown

import (
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"golang.org/x/text/unicode/norm"
)

// foldedIDs makes heading ids as goldmark does (lower-case ASCII letters
// and digits, a hyphen for each space, hyphen or underscore), from the
// heading's text with its accents folded first, so that "Café" is "cafe"
// and "Gwasanaeth â'r ŵyl" keeps its letters, where goldmark would drop
// every letter outside ASCII. Headings in ASCII get the ids they always
// had, so links to them keep working.
type foldedIDs struct{ parser.IDs }

func (f foldedIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	return f.IDs.Generate([]byte(foldAccents(string(value))), kind)
}

// letters that no accent folding reaches, written as English writes them
var ligatures = strings.NewReplacer("ß", "ss", "æ", "ae", "Æ", "AE", "œ", "oe", "Œ", "OE", "ø", "o", "Ø", "O", "ł", "l", "Ł", "L", "đ", "d", "Đ", "D", "þ", "th", "Þ", "TH")

// foldAccents is s with its letters' accents taken off (decomposed, and
// the combining marks left out).
func foldAccents(s string) string {
	for _, r := range s {
		if r >= 0x80 {
			var b strings.Builder
			for _, r := range norm.NFD.String(ligatures.Replace(s)) {
				if !unicode.Is(unicode.Mn, r) {
					b.WriteRune(r)
				}
			}
			return b.String()
		}
	}
	return s // ASCII, as most headings are
}
