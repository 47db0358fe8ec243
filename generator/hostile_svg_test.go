package main

// SVG files that would run script in a browser that opens them are
// refused at their place, wherever they come from, and never reach the
// output or a pack's downloads (the base output stays as it was).
func init() {
	addHostile(
		hostile{
			name:  "an SVG with a script in static/",
			files: map[string]string{"static/images/logo.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <script>fetch('/stories/secret-draft/')</script>\n</svg>\n"},
			exit:  1,
			want:  []string{`static/images/logo\.svg:2:3: `},
		},
		hostile{
			name:  "a story's picture with an onload attribute, in a pack",
			files: map[string]string{"content/stories/denis/photo.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180" onload="alert(document.domain)"><rect width="320" height="180"/></svg>`},
			exit:  1,
			want:  []string{`content/stories/denis/photo\.svg:1:66: .*onload`},
			avoid: []string{`download of the pack`},
		},
		hostile{
			name:  "an SVG entity bomb",
			files: map[string]string{"static/lol.svg": "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n <!ENTITY a \"aaaaaaaaaa\">\n <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&c;&c;&c;&c;</text></svg>"},
			exit:  1, cpu: 2, memMB: 256,
			want: []string{`static/lol\.svg:2:1: `},
		},
	)
}
