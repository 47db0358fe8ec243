package main

import (
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// A build keeps the site's text in memory, parsed, while it writes pages:
// its live heap peaks at about four times the bytes of the text files in
// content/ and data/ (465 MB for the generated 10k site's 107 MB, with
// transcripts, on 2026-12-05). The collector's soft memory limit must sit
// above that: a limit at or under the live heap makes it collect without
// pause. Measured there with `generator build` on 2026-12-05: under four
// times the text a first build took 27 s (peak RSS 530 MB) and a warm one
// 5 s; under five times, 17.5 to 19.7 s (555 to 565 MB) and 4.3 to 4.8 s;
// under six, 15.4 to 17.8 s (647 MB); with no limit, 13.2 s (930 MB). A
// small site stays under the floor.
const (
	buildGC      = 100
	buildFloor   = 300 << 20
	buildPerByte = 5
	// The preview keeps the site's state between edits (about 2.5 times
	// the text at 10k items on 2026-12-06) and more while an update and
	// the search index it brings up to date run (about 4 times). With the
	// collector's usual rate and a limit of ten times the text, its RSS
	// stayed at 1.0-1.1 GB; under five times and the usual rate, it
	// collected without pause near the limit (a theme edit 320-344 ms,
	// p50). Collecting at half the usual growth keeps the heap under the
	// limit between edits, so the limit only caps the peaks: 561 MB, a
	// theme edit 102 ms, a title edit 272 ms 2.5 s after the last (117
	// before; 133 ms 4.5 s after), the text 42 ms
	// (bench/preview, bench/README.md "Preview memory").
	serveGC      = 50
	serveFloor   = 400 << 20
	servePerByte = 5
	// While one Markdown file is rendered, goldmark's tree of it lives too:
	// for 2 MB of dense markup (quotes, links, list items) about 250 bytes
	// a byte, 500 MB, whatever the rest of the site. Under a limit of 300
	// MB such a file made the collector run without pause: 4.3 s of CPU
	// instead of 2.5 for the build (bench/HOSTILE.md). The limit has room
	// for the largest file's tree on top.
	treePerByte = 256
)

// setMemory sets the collector's rate and soft memory limit for a command
// over the site in dir: the limit is floor, or perByte times the bytes of
// the site's text, whichever is larger. GOGC and GOMEMLIMIT, when set, win.
func setMemory(dir string, gc int, floor, perByte int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gc)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		limit := int64(math.MaxInt64)
		if n, largest := textBytes(dir); n < math.MaxInt64/perByte/2 && largest < math.MaxInt64/treePerByte/2 {
			limit = max(floor, perByte*n) + treePerByte*largest
		}
		debug.SetMemoryLimit(limit)
	}
}

// textBytes is the size of the text files under dir's content/ and data/
// folders (Markdown, transcripts, chapters, front-matter data), leaving out
// pictures and sound, which a build copies without reading into memory,
// and the size of the largest Markdown file.
func textBytes(dir string) (n, largest int64) {
	for _, sub := range []string{"content", "data"} {
		filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil // a problem here is the build's to report
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".md", ".markdown", ".vtt", ".json", ".yaml", ".yml", ".toml", ".csv", ".bib":
				if info, err := d.Info(); err == nil {
					n += info.Size()
					if ext := strings.ToLower(filepath.Ext(p)); ext == ".md" || ext == ".markdown" {
						largest = max(largest, info.Size())
					}
				}
			}
			return nil
		})
	}
	return n, largest
}
