package frontmatter

import (
	"strings"
	"testing"
)

func TestParseJSON(t *testing.T) {
	src := "{\n  \"title\": \"Café \\\"news\\\"\",\n  \"tags\": [\"a\", 2],\n  \"draft\": true,\n  \"weight\": 1.5,\n  \"x\": null, \"m\": {\"k\": \"v\"}\n}\nBody line\n"
	doc, err := ParseJSON([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(doc.Body); got != "Body line\n" || doc.BodyLine != 8 {
		t.Errorf("body %q at line %d, want \"Body line\\n\" at 8", got, doc.BodyLine)
	}
	m := doc.Meta
	tests := []struct {
		key      string
		kind     Kind
		str      string
		key1, v1 Pos
	}{
		{"title", String, `Café "news"`, Pos{2, 3}, Pos{2, 12}},
		{"tags", List, "", Pos{3, 3}, Pos{3, 11}},
		{"draft", Bool, "true", Pos{4, 3}, Pos{4, 12}},
		{"weight", Float, "1.5", Pos{5, 3}, Pos{5, 13}},
		{"x", Null, "", Pos{6, 3}, Pos{6, 8}},
		{"m", Map, "", Pos{6, 14}, Pos{6, 19}},
	}
	for _, tt := range tests {
		f := m.Get(tt.key)
		if f == nil {
			t.Fatalf("no %s", tt.key)
		}
		if f.Value.Kind != tt.kind || f.Value.Str != tt.str || f.KeyPos != tt.key1 || f.Value.Pos != tt.v1 {
			t.Errorf("%s: %v %q key at %v value at %v; want %v %q %v %v", tt.key, f.Value.Kind, f.Value.Str, f.KeyPos, f.Value.Pos, tt.kind, tt.str, tt.key1, tt.v1)
		}
	}
	if l := m.Get("tags").Value.List; len(l) != 2 || l[1].Kind != Int || l[1].Int != 2 || l[1].Pos != (Pos{3, 17}) {
		t.Errorf("tags list: %+v %+v", *l[0], *l[1])
	}
}

func TestParseJSONErrors(t *testing.T) {
	tests := []struct {
		src, msg string
		pos      Pos
	}{
		{"{\"title\": \"x\",\n\"title\": \"y\"}\n", `"title" is given twice`, Pos{2, 1}},
		{"{\"title\": \"x\"\n\"date\": 1}\n", "JSON syntax", Pos{2, 1}},
		{"{\"title\": \"x\",\n", "never closed", Pos{1, 1}},
		{"{\"a\":" + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + "}", "nest", Pos{1, 6 + MaxDepth - 1}},
		{"[1]\n", "must be an object", Pos{1, 1}},
	}
	for _, tt := range tests {
		_, err := ParseJSON([]byte(tt.src))
		e, ok := err.(*Error)
		if !ok {
			t.Errorf("%q: error %v, want *Error", tt.src, err)
			continue
		}
		if !strings.Contains(e.Msg, tt.msg) || e.Pos != tt.pos {
			t.Errorf("%q: %v at %v, want %q at %v", tt.src, e.Msg, e.Pos, tt.msg, tt.pos)
		}
	}
}

// FuzzParseJSON: any file either fails with a positioned error or gives
// an object whose every key and value has a position in the file.
func FuzzParseJSON(f *testing.F) {
	f.Add("{\"title\": \"x\", \"tags\": [1, 2.5, true, null, {\"a\": \"b\"}]}\nbody\n")
	f.Add("{\n}\n")
	f.Add("{\"a\": \"}\"}")
	f.Add("{\"a\": [[[[")
	f.Fuzz(func(t *testing.T, src string) {
		doc, err := ParseJSON([]byte(src))
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Fatalf("error %#v without a position", err)
			}
			return
		}
		lines := strings.Count(src, "\n") + 1
		var walk func(v *Value, depth int)
		walk = func(v *Value, depth int) {
			if v.Pos.Line < 1 || v.Pos.Line > lines || v.Pos.Col < 1 || depth > MaxDepth+1 {
				t.Fatalf("value at %v in a file of %d lines, depth %d", v.Pos, lines, depth)
			}
			for _, e := range v.List {
				walk(e, depth+1)
			}
			for _, fl := range v.Fields {
				walk(fl.Value, depth+1)
			}
		}
		if doc.Meta.Kind != Map {
			t.Fatalf("front matter is %v", doc.Meta.Kind)
		}
		walk(doc.Meta, 0)
		if doc.BodyLine < 1 || doc.BodyLine > lines+1 {
			t.Fatalf("body at line %d of %d", doc.BodyLine, lines)
		}
	})
}
