package frontmatter

import (
	"strings"
	"testing"
)

// TestEncoding: a UTF-8 byte-order mark is skipped; a UTF-16 file, or a
// byte that is not UTF-8 in the front matter or the body, is an error at
// its line and byte column.
func TestEncoding(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"utf-8 bom", "\ufeff---\ntitle: Café\n---\nText.\n", 0, 0, ""},
		{"utf-16le", "\xff\xfe-\x00-\x00-\x00", 1, 1, "saved as UTF-16"},
		{"utf-16be", "\xfe\xff\x00-\x00-\x00-", 1, 1, "saved as UTF-16"},
		{"latin-1 in the front matter", "---\ntitle: Caf\xe9\n---\n", 2, 11, "byte 0xe9 here"},
		{"after other letters", "---\ntitle: Zoë's caf\xe9\n---\n", 2, 18, "not valid UTF-8"},
		{"in the body", "---\ntitle: A\n---\nOne.\nTwo \x80.\n", 5, 5, "not valid UTF-8"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.src))
		if tt.msg == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		fe, ok := err.(*Error)
		if !ok || fe.Pos != (Pos{tt.line, tt.col}) || !strings.Contains(fe.Msg, tt.msg) || !strings.Contains(fe.Hint, "UTF-8") {
			t.Errorf("%s: %v; want %d:%d: %s with a hint", tt.name, err, tt.line, tt.col, tt.msg)
		}
	}
}
