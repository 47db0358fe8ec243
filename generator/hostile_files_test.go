package main

func init() {
	addHostile(
		hostile{
			name:  "a good change builds",
			files: map[string]string{"content/stories/rose.md": "---\ntitle: Rose again\ndate: 2020-01-01\n---\nRose.\n"},
			exit:  0, changes: true,
			want: []string{`^Built \d+ pages`},
		},
		hostile{
			name:  "a bad date fails at its place",
			files: map[string]string{"content/stories/rose.md": "---\ntitle: Rose again\ndate: someday\n---\nRose.\n"},
			exit:  1,
			want:  []string{`content/stories/rose\.md:3:7: `},
		},
	)
}
