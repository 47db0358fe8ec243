package frontmatter

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// order is the usual order of a story's fields, as the editor gives it.
var order = []string{"title", "date", "summary", "image", "themes", "authors", "person", "setting", "quote", "goals", "steps", "outcomes", "sources", "draft"}

// TestPatchFiles changes real content files: the result is the file with
// only the given text replaced, byte for byte.
func TestPatchFiles(t *testing.T) {
	story, err := os.ReadFile("testdata/edit/story.md")
	if err != nil {
		t.Fatal(err)
	}
	hugo, err := os.ReadFile("testdata/edit/hugo.md")
	if err != nil {
		t.Fatal(err)
	}
	crlf := func(b []byte) string { return strings.ReplaceAll(string(b), "\n", "\r\n") }
	tests := []struct {
		name    string
		src     string
		changes []Change
		edits   []string // pairs: old text, new text
	}{
		{"scalar", string(story), []Change{{"person", "Denis Smith"}},
			[]string{"person: Denis\n", "person: Denis Smith\n"}},
		{"quoted scalar to plain, the comment above stays", string(story), []Change{{"setting", "At home"}},
			[]string{"# where it happened\nsetting: 'At home; occupational therapists from Lincolnshire County Council'\n", "# where it happened\nsetting: At home\n"}},
		{"title needs quotes for its colon", string(story), []Change{{"title", "Denis: walking again"}},
			[]string{`title: "Denis: from a year in bed to walking to his kitchen"`, `title: "Denis: walking again"`}},
		{"date", string(story), []Change{{"date", Literal("2027-01-05")}},
			[]string{"date: 2026-11-23\n", "date: 2027-01-05\n"}},
		{"block list keeps its indent", string(story), []Change{{"themes", []string{"personalised-care", "co-production"}}},
			[]string{"themes:\n  - personalised-care\n  - goal-setting   # the main one\n  - rehabilitation\n", "themes:\n  - personalised-care\n  - co-production\n"}},
		{"flow list stays flow", string(story), []Change{{"authors", []string{"otpress editors", "Zoe Phillips"}}},
			[]string{"authors: [otpress editors]\n\n", "authors: [otpress editors, Zoe Phillips]\n\n"}},
		{"list at the key's indent", string(story), []Change{{"goals", []string{"Walk to the kitchen", "yes"}}},
			[]string{"goals:\n- Get out of that bed\n- Sit down in this chair\n", "goals:\n- Walk to the kitchen\n- \"yes\"\n"}},
		{"between block scalars", string(story), []Change{{"goals", []string{"Walk"}}},
			[]string{"\n\ngoals:\n- Get out of that bed\n- Sit down in this chair\nsteps: >\n", "\n\ngoals:\n- Walk\nsteps: >\n"}},
		{"folded scalar to plain", string(story), []Change{{"steps", "Sitting up"}},
			[]string{"steps: >\n  Sitting on the edge of the bed,\n  then standing.\n", "steps: Sitting up\n"}},
		{"literal block scalar", string(story), []Change{{"quote", "Why not?\nLet's see.\n"}},
			[]string{"quote: |\n  Why can't I just get this started,\n  or at least see where we can get to?\n\n", "quote: |\n  Why not?\n  Let's see.\n\n"}},
		{"remove a key, not the comment above it", string(story), []Change{{"setting", nil}},
			[]string{"# where it happened\nsetting: 'At home; occupational therapists from Lincolnshire County Council'\n", "# where it happened\n"}},
		{"remove a block scalar", string(story), []Change{{"quote", nil}},
			[]string{"quote: |\n  Why can't I just get this started,\n  or at least see where we can get to?\n", ""}},
		{"add a map after the key before it in order", string(story), []Change{{"image", Fields{{"src", "denis.jpg"}, {"alt", "Denis at his kitchen door"}}}},
			[]string{"one small step at a time.\n", "one small step at a time.\nimage:\n  src: denis.jpg\n  alt: Denis at his kitchen door\n"}},
		{"add a key not in order: last", string(story), []Change{{"weight", 3}},
			[]string{"basedOn}\n---\n", "basedOn}\nweight: 3\n---\n"}},
		{"list of maps", string(story), []Change{{"outcomes", []Fields{
			{{"measure", "Care visits a day"}, {"before", 4}, {"after", 0}, {"unit", "visits"}, {"note", "Four a day.\nNow none.\n"}},
			{{"measure", "Hours"}, {"before", 1.5}, {"after", 0.25}, {"estimate", true}},
		}}}, []string{"  - measure: Care visits a day\n    before: 4\n    after: 0\n    unit: visits\n    note: Before rehabilitation carers came four times a day.\n",
			"  - measure: Care visits a day\n    before: 4\n    after: 0\n    unit: visits\n    note: |\n      Four a day.\n      Now none.\n  - measure: Hours\n    before: 1.5\n    after: 0.25\n    estimate: true\n"}},
		{"list of maps in braces stays so", string(story), []Change{{"sources", []Fields{{{"id", "iaap-72"}, {"relation", "basedOn"}}, {{"id", "otnews-2019"}, {"page", "15"}}}}},
			[]string{"  - {id: iaap-72, relation: basedOn}\n", "  - {id: iaap-72, relation: basedOn}\n  - {id: otnews-2019, page: \"15\"}\n"}},
		{"several changes", string(story), []Change{{"person", nil}, {"title", "Denis walks"}, {"draft", true}, {"summary", "Short."}},
			[]string{`title: "Denis: from a year in bed to walking to his kitchen"`, "title: Denis walks",
				"summary: After more than a year in bed, Denis worked with two occupational therapists towards goals he set himself, one small step at a time.\n", "summary: Short.\n",
				"person: Denis\n", "",
				"basedOn}\n---\n", "basedOn}\ndraft: true\n---\n"}},
		{"CRLF", crlf(story), []Change{{"themes", []string{"a"}}, {"image", Fields{{"src", "a.jpg"}}}},
			[]string{"one small step at a time.\r\n", "one small step at a time.\r\nimage:\r\n  src: a.jpg\r\n",
				"themes:\r\n  - personalised-care\r\n  - goal-setting   # the main one\r\n  - rehabilitation\r\n", "themes:\r\n  - a\r\n"}},
		{"CRLF block scalar", crlf(story), []Change{{"quote", "One\nTwo"}},
			[]string{"quote: |\r\n  Why can't I just get this started,\r\n  or at least see where we can get to?\r\n", "quote: |-\r\n  One\r\n  Two\r\n"}},

		{"TOML scalar keeps the comment after it", string(hugo), []Change{{"title", "Markdown guide"}},
			[]string{`title = "Markdown Syntax Guide"   # shown`, `title = "Markdown guide"   # shown`}},
		{"TOML array an item a line stays so", string(hugo), []Change{{"tags", []string{"markdown", "toml"}}},
			[]string{"tags = [\n    \"markdown\",\n    \"css\",\n    \"html\",\n]\n", "tags = [\n    \"markdown\",\n    \"toml\",\n]\n"}},
		{"TOML empty array", string(hugo), []Change{{"series", []string{}}},
			[]string{`series = ["Themes Guide"]`, `series = []`}},
		{"TOML new key in order", string(hugo), []Change{{"summary", "Short."}},
			[]string{"date = \"2019-03-11\"\n", "date = \"2019-03-11\"\nsummary = \"Short.\"\n"}},
		{"TOML new key not in order: after the plain keys", string(hugo), []Change{{"weight", int64(3)}},
			[]string{"aliases = [\"migrate-from-jekyl\"]\n", "aliases = [\"migrate-from-jekyl\"]\nweight = 3\n"}},
		{"TOML multi-line string", string(hugo), []Change{{"description", "Line one\nLine \"two\""}},
			[]string{`description = "Sample article showcasing basic Markdown syntax."`, "description = \"\"\"\nLine one\nLine \\\"two\\\"\"\"\""}},
		{"TOML table", string(hugo), []Change{{"image", Fields{{"src", "denis.jpg"}, {"size", Fields{{"w", 640}}}}}},
			[]string{"[image]\nsrc = \"cover.jpg\"\nalt = \"A desk\"\n", "[image]\nsrc = \"denis.jpg\"\nsize = { w = 640 }\n"}},
		{"TOML array of tables", string(hugo), []Change{{"outcomes", []Fields{{{"measure", "Visits"}, {"after", 0.5}}}}},
			[]string{"[[outcomes]]\nmeasure = \"Care visits a day\"\nbefore = 4\n\n[[outcomes]]\nmeasure = \"Carers at each visit\"\nbefore = 2\n", "[[outcomes]]\nmeasure = \"Visits\"\nafter = 0.5\n"}},
		{"TOML table removed, the comment above stays", string(hugo), []Change{{"image", nil}},
			[]string{"[image]\nsrc = \"cover.jpg\"\nalt = \"A desk\"\n", ""}},
		{"TOML new array of tables last", string(hugo), []Change{{"sources", []Fields{{{"id", "iaap-72"}}}}},
			[]string{"before = 2\n+++", "before = 2\n\n[[sources]]\nid = \"iaap-72\"\n+++"}},
		{"TOML table to a plain key, which goes before the tables", string(hugo), []Change{{"image", "cover.jpg"}},
			[]string{"date = \"2019-03-11\"\n", "date = \"2019-03-11\"\nimage = \"cover.jpg\"\n", "[image]\nsrc = \"cover.jpg\"\nalt = \"A desk\"\n", ""}},
		{"TOML CRLF: text on one line", crlf(hugo), []Change{{"description", "One\nTwo"}, {"draft", false}},
			[]string{`description = "Sample article showcasing basic Markdown syntax."`, `description = "One\nTwo"`,
				"date = \"2019-03-11\"\r\n", "date = \"2019-03-11\"\r\ndraft = false\r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.src
			for i := 0; i < len(tt.edits); i += 2 {
				if !strings.Contains(want, tt.edits[i]) {
					t.Fatalf("the file has no %q", tt.edits[i])
				}
				want = strings.Replace(want, tt.edits[i], tt.edits[i+1], 1)
			}
			got, err := Patch([]byte(tt.src), order, tt.changes...)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			readsBack(t, []byte(tt.src), got, tt.changes)
		})
	}
}

// readsBack checks that got, decoded, has the values changes set and the
// other fields src had.
func readsBack(t *testing.T, src, got []byte, changes []Change) {
	t.Helper()
	before, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	after, err := Parse(got)
	if err != nil {
		t.Fatalf("the result does not parse: %v\n%s", err, got)
	}
	set := map[string]any{}
	for _, c := range changes {
		set[c.Key] = c.Value
	}
	for k, v := range set {
		f := after.Meta.Get(k)
		if v == nil && f != nil || v != nil && (f == nil || !same(f.Value, v)) {
			t.Errorf("%s reads back as %+v; want %#v", k, f, v)
		}
	}
	for _, f := range before.Meta.Fields {
		if _, ok := set[f.Key]; ok {
			continue
		}
		if g := after.Meta.Get(f.Key); g == nil || !sameValue(f.Value, g.Value) {
			t.Errorf("%s changed: %+v", f.Key, g)
		}
	}
	if !bytes.HasSuffix(got, before.Body) {
		t.Errorf("the body changed")
	}
}

func TestPatch(t *testing.T) {
	tests := []struct {
		name      string
		src, want string
		changes   []Change
		order     []string // instead of order
	}{
		{name: "remove between blank lines leaves one", src: "---\na: 1\n\nb: 2\n\nc: 3\n---\n", changes: []Change{{"b", nil}}, want: "---\na: 1\n\nc: 3\n---\n"},
		{name: "remove the last key", src: "---\na: 1\n\nb: 2\n---\n", changes: []Change{{"b", nil}}, want: "---\na: 1\n---\n"},
		{name: "remove the first key", src: "---\nb: 2\n\nc: 3\n---\n", changes: []Change{{"b", nil}}, want: "---\nc: 3\n---\n"},
		{name: "remove all", src: "---\nb: 2\n---\nx", changes: []Change{{"b", nil}}, want: "---\n---\nx"},
		{name: "remove a key that is not there", src: "---\nb: 2\n---\n", changes: []Change{{"c", nil}}, want: "---\nb: 2\n---\n"},
		{name: "remove takes the value's lines", src: "---\na: 1\n# about b\nb:\n  - x\n  # not y\n  - z\n# about c\nc: 3\n---\n", changes: []Change{{"b", nil}},
			want: "---\na: 1\n# about b\n# about c\nc: 3\n---\n"},
		{name: "empty front matter", src: "---\n---\nBody\n", changes: []Change{{"themes", []string{"a"}}, {"date", Literal("2026-11-23")}, {"title", "A story"}},
			want: "---\ntitle: A story\ndate: 2026-11-23\nthemes:\n  - a\n---\nBody\n"},
		{name: "front matter of comments", src: "---\n# fields go here\n---\n", changes: []Change{{"title", "A"}}, want: "---\n# fields go here\ntitle: A\n---\n"},
		{name: "empty TOML front matter", src: "+++\n+++\n", changes: []Change{{"image", Fields{{"src", "a.jpg"}}}, {"title", "A"}},
			want: "+++\ntitle = \"A\"\n\n[image]\nsrc = \"a.jpg\"\n+++\n"},
		{name: "no front matter", src: "Just text.\n", changes: []Change{{"title", "A"}}, want: "---\ntitle: A\n---\nJust text.\n"},
		{name: "no front matter, CRLF", src: "Just text.\r\nMore.\r\n", changes: []Change{{"title", "A"}}, want: "---\r\ntitle: A\r\n---\r\nJust text.\r\nMore.\r\n"},
		{name: "empty file", src: "", changes: []Change{{"title", "A"}}, want: "---\ntitle: A\n---\n"},
		{name: "no front matter, nothing to add", src: "Just text.\n", changes: []Change{{"title", nil}}, want: "Just text.\n"},
		{name: "byte-order mark", src: "\xef\xbb\xbf---\na: 1\n---\n", changes: []Change{{"a", 2}}, want: "\xef\xbb\xbf---\na: 2\n---\n"},
		{name: "delimiters with spaces and no last line end", src: "--- \na: 1\n---  ", changes: []Change{{"a", 2}}, want: "--- \na: 2\n---  "},
		{name: "first in order: before the next key and its comment", src: "---\n# the date\ndate: 2026-01-01\n---\n", changes: []Change{{"title", "A"}},
			want: "---\ntitle: A\n# the date\ndate: 2026-01-01\n---\n"},
		{name: "comment after a one-line value stays", src: "---\ntitle: Old  # keep me\ndate: 2026-01-01\n---\n", changes: []Change{{"title", "New"}},
			want: "---\ntitle: New  # keep me\ndate: 2026-01-01\n---\n"},
		{name: "new nested map", src: "---\ntitle: A\n---\n", changes: []Change{{"image", Fields{{"src", "a.jpg"}, {"size", Fields{{"w", 640}, {"h", 480}}}, {"tags", []string{"x"}}}}},
			want: "---\ntitle: A\nimage:\n  src: a.jpg\n  size:\n    w: 640\n    h: 480\n  tags:\n    - x\n---\n"},
		{name: "a map keeps its indent", src: "---\nimage:\n    src: a.jpg\n---\n", changes: []Change{{"image", Fields{{"src", "b.jpg"}, {"alt", "B"}}}},
			want: "---\nimage:\n    src: b.jpg\n    alt: B\n---\n"},
		{name: "a map in braces stays so", src: "---\nimage: {src: a.jpg}\n---\n", changes: []Change{{"image", Fields{{"src", "b.jpg"}, {"alt", "B: c, d"}}}},
			want: "---\nimage: {src: b.jpg, alt: \"B: c, d\"}\n---\n"},
		{name: "a list over several lines", src: "---\ntags: [a,\n  b]\nc: 1\n---\n", changes: []Change{{"tags", []any{"x", 2, []string{"z"}}}},
			want: "---\ntags: [x, 2, [z]]\nc: 1\n---\n"},
		{name: "a list in a list", src: "---\n---\n", changes: []Change{{"tags", []any{"x", []any{"y", 1.0}, Fields{{"k", "v"}}, Fields{}}}},
			want: "---\ntags:\n  - x\n  - [\"y\", 1.0]\n  - k: v\n  - {}\n---\n"},
		{name: "list to a map", src: "---\na:\n- x\n---\n", changes: []Change{{"a", Fields{{"k", "v"}}}}, want: "---\na:\n  k: v\n---\n"},
		{name: "block scalars before and after", src: "---\na: |\n  one\n\n  two\nb: old\nc: >-\n  three\n  four\n---\n", changes: []Change{{"b", "new"}},
			want: "---\na: |\n  one\n\n  two\nb: new\nc: >-\n  three\n  four\n---\n"},
		{name: "a |+ scalar keeps its blank lines", src: "---\na: |+\n  one\n\nb: 1\n---\n", changes: []Change{{"b", nil}, {"c", 2}}, order: []string{"a", "c", "b"},
			want: "---\na: |+\n  one\n\nc: 2\n---\n"},
		{name: "a block scalar that cannot be one", src: "---\n---\n", changes: []Change{{"a", "  indented\nfirst line"}, {"b", "two ends\n\n"}, {"c", "tab\tin it\nx"}, {"d", "one\n  two\n"}},
			want: "---\na: \"  indented\\nfirst line\"\nb: \"two ends\\n\\n\"\nc: \"tab\\tin it\\nx\"\nd: |\n  one\n    two\n---\n"},
		{name: "quotes when needed", src: "---\n---\n", changes: []Change{
			{"a", "yes"}, {"b", "123"}, {"c", "2026-01-01"}, {"d", "- x"}, {"e", "a: b"}, {"f", "a #b"}, {"g", "[x"}, {"h", ""},
			{"i", " lead"}, {"j", "trail "}, {"k", "Null"}, {"l", "~"}, {"m", "it's \"ok\""}, {"n", "Zoë – café"}, {"o", "a#b: c:d"}, {"p", "\\ \x01 \u2028"},
			{"q", "@x"}, {"r", "!x"}, {"s", "*x"}, {"t", "&x"}, {"u", "%x"}, {"v", "`x`"}, {"w", "|x"}, {"x", ">x"}, {"y", "{{ x }}"}, {"z", ".5"}},
			want: "---\na: \"yes\"\nb: \"123\"\nc: \"2026-01-01\"\nd: \"- x\"\ne: \"a: b\"\nf: \"a #b\"\ng: \"[x\"\nh: \"\"\n" +
				"i: \" lead\"\nj: \"trail \"\nk: \"Null\"\nl: \"~\"\nm: it's \"ok\"\n\"n\": Zoë – café\no: \"a#b: c:d\"\np: \"\\\\ \\u0001 \\u2028\"\n" +
				"q: \"@x\"\nr: \"!x\"\ns: \"*x\"\nt: \"&x\"\nu: \"%x\"\nv: \"`x`\"\nw: \"|x\"\nx: \">x\"\n\"y\": \"{{ x }}\"\nz: \".5\"\n---\n"},
		{name: "numbers", src: "---\n---\n", changes: []Change{{"a", 2.0}, {"b", -0.5}, {"c", 1e21}, {"d", 1.5e-7}, {"e", -7}, {"f", false}},
			want: "---\na: 2.0\nb: -0.5\nc: 1.0e+21\nd: 1.5e-07\ne: -7\nf: false\n---\n"},
		{name: "keys that need quotes", src: "---\n---\n", changes: []Change{{"a b", 1}, {"yes", 2}, {"x: y", Fields{{"#", 1}}}},
			want: "---\na b: 1\n\"yes\": 2\n\"x: y\":\n  \"#\": 1\n---\n"},
		{name: "CRLF change, remove, add", src: "---\r\ntitle: A\r\ndate: 2026-01-01\r\nthemes:\r\n  - a\r\n---\r\nBody\r\n",
			changes: []Change{{"themes", []string{"a", "b"}}, {"date", nil}, {"summary", "S\nT"}},
			want:    "---\r\ntitle: A\r\nsummary: |-\r\n  S\r\n  T\r\nthemes:\r\n  - a\r\n  - b\r\n---\r\nBody\r\n"},
		{name: "hosts, not in order: last", src: "---\ntitle: A\nsources:\n  - id: x\n---\n", changes: []Change{{"hosts", []Fields{{{"name", "Zoe Phillips"}, {"role", "Occupational therapist"}}, {{"name", "Denis"}}}}},
			want: "---\ntitle: A\nsources:\n  - id: x\nhosts:\n  - name: Zoe Phillips\n    role: Occupational therapist\n  - name: Denis\n---\n"},
		{name: "quoted keys", src: "---\n\"title\": Old\n'date': 2026-01-01\n---\n", changes: []Change{{"title", "New"}, {"date", Literal("2026-01-02")}},
			want: "---\ntitle: New\ndate: 2026-01-02\n---\n"},
		{name: "a tag", src: "---\ntitle: !!str 12\n---\n", changes: []Change{{"title", "13"}}, want: "---\ntitle: \"13\"\n---\n"},
		{name: "alias elsewhere is no matter", src: "---\na: &x [1]\nb: *x\n---\n", changes: []Change{{"c", 1}}, want: "---\na: &x [1]\nb: *x\nc: 1\n---\n"},

		{name: "TOML plain key when there are only tables", src: "+++\n# pic\n[image]\nsrc = \"a\"\n+++\n", changes: []Change{{"title", "A"}},
			want: "+++\ntitle = \"A\"\n\n# pic\n[image]\nsrc = \"a\"\n+++\n"},
		{name: "TOML plain key right before a table", src: "+++\ntitle = \"A\"\n[image]\nsrc = \"a\"\n+++\n", changes: []Change{{"date", Literal("2026-11-23")}},
			want: "+++\ntitle = \"A\"\ndate = 2026-11-23\n[image]\nsrc = \"a\"\n+++\n"},
		{name: "TOML inline table stays inline", src: "+++\nimage = { src = \"a\" }\n+++\n", changes: []Change{{"image", Fields{{"src", "b"}, {"alt", "B\nC"}}}},
			want: "+++\nimage = { src = \"b\", alt = \"B\\nC\" }\n+++\n"},
		{name: "TOML array of inline tables stays so", src: "+++\noutcomes = [{ measure = \"a\" }]\n+++\n", changes: []Change{{"outcomes", []Fields{{{"measure", "b"}, {"before", 1}}}}},
			want: "+++\noutcomes = [{ measure = \"b\", before = 1 }]\n+++\n"},
		{name: "TOML new array of tables", src: "+++\ntitle = \"A\"\n+++\n", changes: []Change{{"outcomes", []Fields{{{"measure", "a"}}, {{"measure", "b"}}}}},
			want: "+++\ntitle = \"A\"\n\n[[outcomes]]\nmeasure = \"a\"\n\n[[outcomes]]\nmeasure = \"b\"\n+++\n"},
		{name: "TOML new table in order", src: "+++\ntitle = \"A\"\n\n[[outcomes]]\nmeasure = \"a\"\n+++\n", changes: []Change{{"image", Fields{{"src", "a.jpg"}}}},
			want: "+++\ntitle = \"A\"\n\n[image]\nsrc = \"a.jpg\"\n\n[[outcomes]]\nmeasure = \"a\"\n+++\n"},
		{name: "TOML empty list of tables", src: "+++\n[[outcomes]]\nmeasure = \"a\"\n+++\n", changes: []Change{{"outcomes", []Fields{}}},
			want: "+++\noutcomes = []\n+++\n"},
		{name: "TOML sub-tables go with their key", src: "+++\n[image]\nsrc = \"a\"\n[other]\nx = 1\n[image.size]\nw = 1\n+++\n", changes: []Change{{"image", Fields{{"src", "b"}}}},
			want: "+++\n[image]\nsrc = \"b\"\n[other]\nx = 1\n+++\n"},
		{name: "TOML dotted keys", src: "+++\nimage.src = \"a\"\nimage.alt = \"b\"\ntitle = \"T\"\n+++\n", changes: []Change{{"image", Fields{{"src", "c"}}}},
			want: "+++\nimage = { src = \"c\" }\ntitle = \"T\"\n+++\n"},
		{name: "TOML strings and keys", src: "+++\n+++\n", changes: []Change{{"a", "q\"b\\s\tt\x01\u00e9"}, {"b c", "yes"}, {"d.e", 1}},
			want: "+++\na = \"q\\\"b\\\\s\\tt\\u0001é\"\n\"b c\" = \"yes\"\n\"d.e\" = 1\n+++\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := order
			if tt.order != nil {
				o = tt.order
			}
			got, err := Patch([]byte(tt.src), o, tt.changes...)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
			readsBack(t, []byte(tt.src), got, tt.changes)
		})
	}
}

// TestPatchRefuses: what Patch cannot change safely is an error that says
// what to do, and no file.
func TestPatchRefuses(t *testing.T) {
	big := "---\nbody: \"" + strings.Repeat("x", MaxFrontMatter) + "\"\n---\n"
	tests := []struct {
		name, src string
		changes   []Change
		err       string
	}{
		{"anchor", "---\na: &x [1]\nb: *x\n---\n", []Change{{"a", 1}}, `cannot change "a": it holds a YAML anchor`},
		{"alias", "---\na: &x [1]\nb: *x\n---\n", []Change{{"b", nil}}, `cannot change "b": it holds a YAML anchor (&) or alias (*)`},
		{"merge key", "---\na: &x {k: 1}\nb:\n  <<: *x\n---\n", []Change{{"b", 1}}, "merge keys"},
		{"JSON front matter", "{\n  \"title\": \"A\"\n}\nBody\n", []Change{{"title", "B"}}, "JSON front matter"},
		{"fields indented", "---\n  a: 1\n  b: 2\n---\n", []Change{{"a", 2}}, "does not start at the beginning of its line; edit this field in a text editor"},
		{"fields in braces", "---\n{a: 1, b: 2}\n---\n", []Change{{"a", 2}}, "written in braces"},
		{"lone carriage return", "---\na: 1\rb: 2\n---\n", []Change{{"a", 2}}, "lone carriage return"},
		{"unclosed", "---\na: 1\n", []Change{{"a", 2}}, "never closed"},
		{"too long", big, []Change{{"a", 2}}, "longer than 256 KB"},
		{"would be too long", "---\n---\n", []Change{{"a", strings.Repeat("x", MaxFrontMatter)}}, "would not read back after the change: the front matter is longer than 256 KB"},
		{"syntax error", "---\na: [1\n---\n", []Change{{"a", 2}}, "YAML syntax"},
		{"type", "---\n---\n", []Change{{"a", float32(1)}}, "cannot write a value of type float32"},
		{"NaN", "---\n---\n", []Change{{"a", math.NaN()}}, "NaN"},
		{"nil in a list", "---\n---\n", []Change{{"a", []any{"x", nil}}}, "nil"},
		{"Literal of two lines", "---\n---\n", []Change{{"a", Literal("1\n2")}}, "a Literal may hold"},
		{"Literal with a comment", "---\n---\n", []Change{{"a", Literal("1 # 2")}}, "a Literal may hold"},
		{"Literal TOML cannot read", "+++\n+++\n", []Change{{"a", Literal("soon")}}, "would not read back after the change: TOML syntax"},
		{"key twice in Fields", "---\n---\n", []Change{{"a", Fields{{"k", 1}, {"k", 2}}}}, "given twice"},
		{"no key", "---\n---\n", []Change{{"", 1}}, "no key"},
		{"invalid UTF-8", "---\n---\n", []Change{{"a", "\xff"}}, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Patch([]byte(tt.src), order, tt.changes...)
			if err == nil || !strings.Contains(err.Error(), tt.err) || got != nil {
				t.Errorf("Patch() = %q, %v; want an error containing %q", got, err, tt.err)
			}
		})
	}
}

func TestSetBody(t *testing.T) {
	tests := []struct {
		name, src, body, want, err string
	}{
		{name: "YAML", src: "---\na: 1\n---\nold\n---\nolder\n", body: "new\n", want: "---\na: 1\n---\nnew\n"},
		{name: "TOML CRLF", src: "+++\r\na = 1\r\n+++\r\nold\r\n", body: "new\r\n", want: "+++\r\na = 1\r\n+++\r\nnew\r\n"},
		{name: "closing line without a line end", src: "---\r\na: 1\r\n---", body: "new", want: "---\r\na: 1\r\n---\r\nnew"},
		{name: "empty body", src: "---\na: 1\n---\nold", body: "", want: "---\na: 1\n---\n"},
		{name: "no front matter", src: "\xef\xbb\xbfold\n", body: "new\n", want: "\xef\xbb\xbfnew\n"},
		{name: "no front matter, a --- line first", src: "old\n", body: "---\nnew\n---\n", err: "read as front matter"},
		{name: "unclosed", src: "---\na: 1\n", body: "new", err: "never closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SetBody([]byte(tt.src), []byte(tt.body))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("SetBody() error = %v; want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Errorf("SetBody() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// The documents FuzzPatch changes: title between block scalars, a block
// list, a flow list, a list of maps, and keys the fuzzer does not touch.
const (
	fuzzYAML = "---\n# a story\nquote: |\n  one\n\n  two\ntitle: Old # the title\nthemes:\n  - a\n  - b\ntags: [x, y]\nsteps: >-\n  three\n  four\n" +
		"outcomes:\n  - measure: m\n    note: n\nlast: \"end\"\n---\nBody\n"
	fuzzTOML = "+++\n# a story\nquote = \"\"\"\none\n\ntwo\"\"\"\ntitle = \"Old\" # the title\nthemes = [\n  \"a\",\n  \"b\",\n]\ntags = [\"x\", \"y\"]\nlast = 'end'\n\n" +
		"[[outcomes]]\nmeasure = \"m\"\nnote = \"n\"\n+++\nBody\n"
)

// FuzzPatch sets arbitrary text on fields of a YAML and a TOML document:
// the result reads back as what was set, the other fields as they were,
// and the lines before the first changed field and after the last stay
// byte for byte.
func FuzzPatch(f *testing.F) {
	for _, s := range []string{"New", "yes", "a: b", "- x", "line\nline\n", "  x\n", "#", "\"'", "\t", "\r\n", "2026-01-01", "[x]", "{x}", "\u2028", "\x00", "é"} {
		f.Add(s, "a", "b")
	}
	f.Fuzz(func(t *testing.T, s, a, b string) {
		if !utf8.ValidString(s) || !utf8.ValidString(a) || !utf8.ValidString(b) {
			if _, err := Patch([]byte(fuzzYAML), order, Change{"title", s}, Change{"themes", []string{a, b}}); err == nil {
				t.Fatal("Patch took text that is not UTF-8")
			}
			return
		}
		for _, doc := range []struct{ src, from, to string }{
			{fuzzYAML, "quote:", "steps: >-"},
			{fuzzTOML, "title = ", "last = "},
		} {
			changes := []Change{{"title", s}, {"themes", []string{a, b, s}}, {"tags", []string{s, a}}, {"summary", b}}
			if doc.src == fuzzYAML {
				changes = append(changes, Change{"quote", nil})
			}
			got, err := Patch([]byte(doc.src), order, changes...)
			if err != nil {
				t.Fatalf("%s: %v", doc.src[:3], err)
			}
			readsBack(t, []byte(doc.src), got, changes)
			head, tail := doc.src[:strings.Index(doc.src, doc.from)], doc.src[strings.Index(doc.src, doc.to):]
			if !strings.HasPrefix(string(got), head) || !strings.HasSuffix(string(got), tail) {
				t.Fatalf("lines of fields not changed changed:\n%s", got)
			}
			if b == "" { // a key cannot be empty
				continue
			}
			changes = []Change{{"outcomes", []Fields{{{"measure", a}, {"note", s}}, {{b, s}}}}}
			if got, err = Patch([]byte(doc.src), order, changes...); err != nil {
				t.Fatalf("%s: %v", doc.src[:3], err)
			}
			readsBack(t, []byte(doc.src), got, changes)
		}
	})
}

// FuzzPatchFile changes fields of any file: Patch does not panic, and a
// file it returns reads back with the values set and the other fields as
// they were.
func FuzzPatchFile(f *testing.F) {
	for _, name := range []string{"testdata/edit/story.md", "testdata/edit/hugo.md"} {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, "quote", "x")
	}
	for _, src := range []string{fuzzYAML, fuzzTOML, "---\na: |+\n  x\n\nb: 1\n---\n", "+++\na.b = 1\n[c]\nd = 2\n[[e]]\n[a.f]\n+++\n", "---\r\n# c\r\na: 1 # d\r\n---\r\n", "x"} {
		f.Add([]byte(src), "a", "x")
	}
	f.Fuzz(func(t *testing.T, src []byte, key, val string) {
		changes := []Change{{key, val}, {"themes", []string{val}}, {"outcomes", nil}}
		got, err := Patch(src, order, changes...)
		if err == nil {
			readsBack(t, src, got, changes)
		}
	})
}
