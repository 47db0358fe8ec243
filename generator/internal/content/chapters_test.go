package content

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseChapters: problems of a chapters file, each at the place of
// the field (or chapter) at fault.
func TestParseChapters(t *testing.T) {
	many := `{"version": "1.2.0", "chapters": [`
	for i := range MaxEntries + 5 {
		many += fmt.Sprintf("\n{\"startTime\": %d, \"title\": \"c\"},", i)
	}
	many = strings.TrimSuffix(many, ",") + "]}"
	tests := []struct {
		name      string
		src       string
		chapters  int
		line, col int
		msg       string
	}{
		{name: "fine", src: `{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "A", "url": "https://example.org/"}, {"title": "B", "startTime": 5.5}]}`, chapters: 2},
		{name: "a start out of range", src: "{\"version\": \"1.2.0\", \"chapters\": [\n {\"title\": \"A\", \"startTime\": 0},\n {\"title\": \"B\",\n  \"startTime\": 1e308}]}", chapters: 1, line: 4, col: 16, msg: "chapter 2's startTime 1e+308 is out of range"},
		{name: "a javascript url", src: "{\"version\": \"1.2.0\", \"chapters\": [\n {\"startTime\": 0, \"title\": \"A\",\n  \"url\": \"javascript:alert(1)\"}]}", chapters: 1, line: 3, col: 10, msg: "chapter 1's url is a javascript: address"},
		{name: "a url in another case", src: `{"version": "1.2.0", "chapters": [{"url": " JaVaScRiPt:x", "startTime": 0, "title": "A"}]}`, chapters: 1, line: 1, col: 43, msg: "javascript:"},
		{name: "out of order", src: "{\"version\": \"1.2.0\", \"chapters\": [{\"startTime\": 9, \"title\": \"A\", \"location\": {\"name\": \"x\"}},\n {\"startTime\": 3, \"title\": \"B\"}]}", chapters: 2, line: 2, col: 16, msg: "chapter 2 starts at 3s, not after the chapter before"},
		{name: "too many", src: many, chapters: MaxEntries, line: 2 + MaxEntries, col: 1, msg: "more than 1000 chapters; otpress allows 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chs, probs := ParseChapters("c.json", []byte(tt.src))
			if len(chs) != tt.chapters {
				t.Errorf("%d chapters; want %d", len(chs), tt.chapters)
			}
			if tt.msg == "" {
				if len(probs) > 0 {
					t.Fatalf("problems %v", probs)
				}
				return
			}
			if len(probs) != 1 || probs[0].Line != tt.line || probs[0].Col != tt.col || !strings.Contains(probs[0].Msg, tt.msg) || probs[0].Hint == "" {
				t.Fatalf("problems %v; want %q at %d:%d", probs, tt.msg, tt.line, tt.col)
			}
		})
	}
}
