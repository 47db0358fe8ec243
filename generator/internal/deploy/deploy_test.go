package deploy

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"gocloud.dev/blob"
)

var siteFiles = map[string]string{
	"index.html":                         "<html>home</html>",
	"404.html":                           "<html>not found</html>",
	"stories/denis/index.html":           "<html>Denis</html>",
	"stories/ana/index.html":             "<html>Ana</html>",
	"stories/index.html":                 "<html>stories</html>",
	"css/main.css":                       "body { color: black }",
	"js/search.js":                       "console.log('search')",
	"pictures/denis.jpg":                 "\xff\xd8\xff not really a JPEG",
	"pictures/denis.320.2d60ae829e.webp": "RIFF a copy named by its hash",
	"sitemap.xml":                        "<urlset/>",
	"atom.xml":                           "<feed/>",
	"feed.json":                          "{}",
	"robots.txt":                         "User-agent: *",
	"_headers":                           "/*\n  X-Frame-Options: DENY\n",
}

var cssMatcher = config.Matcher{Pattern: `^.+\.(css|js)$`, CacheControl: "public, max-age=31536000, immutable", Gzip: true}

func settings() config.Deploy {
	m := cssMatcher
	m.Re = regexp.MustCompile(m.Pattern)
	return config.Deploy{MaxDeletes: 0.25, Matchers: []config.Matcher{m}}
}

// writeSite makes a built site's folder holding files, with the build's marker.
func writeSite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	os.WriteFile(filepath.Join(dir, ".otpress-output"), []byte("otpress"), 0o644)
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type fixture struct {
	site   string
	target config.Target
	bucket *blob.Bucket
	now    time.Time // the deploys' clock; zero: the real one
	serial bool      // one upload at a time, in the plan's order
}

func (f *fixture) clock() func() time.Time {
	if f.now.IsZero() {
		return nil
	}
	return func() time.Time { return f.now }
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{site: t.TempDir()}
	f.target = config.Target{Name: "test", URL: "file://" + filepath.ToSlash(t.TempDir())}
	writeSite(t, f.site, siteFiles)
	b, err := Open(context.Background(), f.target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	f.bucket = b
	return f
}

// deploy plans and applies, and returns the plan, the result and the
// changes in the order the bucket took them.
func (f *fixture) deploy(t *testing.T, ctx context.Context, force bool, done func(Op)) (*Plan, *Result, []Op, error) {
	t.Helper()
	var mu sync.Mutex
	var ops []Op
	opts := Options{Target: f.target, Settings: settings(), Dir: f.site, Skip: ".otpress-output", Now: f.clock(), Done: func(op Op) {
		mu.Lock()
		ops = append(ops, op)
		mu.Unlock()
		if done != nil {
			done(op)
		}
	}}
	if f.serial {
		opts.Parallel = 1
	}
	p, err := MakePlan(ctx, f.bucket, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	if !force {
		if err := p.Guard(opts.Settings.MaxDeletes); err != nil {
			return p, nil, nil, err
		}
	}
	res, err := Apply(ctx, f.bucket, p, opts)
	return p, res, ops, err
}

// remote is what the bucket serves: each object's bytes, ungzipped.
func (f *fixture) remote(t *testing.T) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	it := f.bucket.List(nil)
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(obj.Key, ".otpress/") {
			continue
		}
		data, _ := f.bucket.ReadAll(ctx, obj.Key)
		a, _ := f.bucket.Attributes(ctx, obj.Key)
		if a.ContentEncoding == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s: %v", obj.Key, err)
			}
			data, _ = io.ReadAll(zr)
		}
		out[obj.Key] = string(data)
	}
	return out
}

func (f *fixture) checkSame(t *testing.T, files map[string]string) {
	t.Helper()
	got := f.remote(t)
	for k, v := range files {
		if got[k] != v {
			t.Errorf("the bucket's %s = %q; want %q", k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := files[k]; !ok {
			t.Errorf("the bucket holds %s, which the site does not", k)
		}
	}
}

func paths(ops []Op, kind string) []string {
	var out []string
	for _, op := range ops {
		if op.Kind == kind {
			out = append(out, op.Path)
		}
	}
	slices.Sort(out)
	return out
}

func TestFirstAndSecondDeploy(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, res, ops, err := f.deploy(t, ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Uploaded != len(siteFiles) || res.Deleted != 0 || res.Unchanged != 0 {
		t.Errorf("first deploy = %+v", res)
	}
	f.checkSame(t, siteFiles)
	// order: assets, then pages, then the home page, 404, feeds, sitemap
	// and host settings, then the manifest
	stageOf := func(op Op) int {
		if op.Kind == "manifest" {
			return 4
		}
		return Stage(op.Path)
	}
	for i := 1; i < len(ops); i++ {
		if stageOf(ops[i]) < stageOf(ops[i-1]) {
			t.Errorf("%v came after %v", ops[i], ops[i-1])
		}
	}
	if last := ops[len(ops)-1]; last.Kind != "manifest" {
		t.Errorf("the last change was %v; want the manifest", last)
	}

	// nothing changed: nothing uploaded, and the manifest, the same, is
	// not written again (at 10,000 pages it is megabytes)
	before, err := f.bucket.Attributes(ctx, ManifestKey)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // so a rewritten manifest would show a newer time
	_, res, ops, err = f.deploy(t, ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Uploaded != 0 || res.Deleted != 0 || res.Unchanged != len(siteFiles) || len(paths(ops, "upload")) != 0 {
		t.Errorf("second deploy = %+v, %v", res, ops)
	}
	if after, err := f.bucket.Attributes(ctx, ManifestKey); err != nil || !after.ModTime.Equal(before.ModTime) {
		t.Errorf("the second deploy wrote the manifest again (%v, then %v; %v)", before.ModTime, after.ModTime, err)
	}
}

func TestChangedAndRemoved(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, _, _, err := f.deploy(t, ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	// the same size, other bytes: compared by content, not size
	writeSite(t, f.site, map[string]string{"stories/denis/index.html": "<html>DENIS</html>"})
	os.Remove(filepath.Join(f.site, "stories/ana/index.html"))
	_, res, ops, err := f.deploy(t, ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(ops, "upload"); !slices.Equal(got, []string{"/stories/denis/index.html"}) {
		t.Errorf("uploaded %v", got)
	}
	if got := paths(ops, "delete"); !slices.Equal(got, []string{"/stories/ana/index.html"}) {
		t.Errorf("deleted %v", got)
	}
	if last := ops[len(ops)-1]; last.Kind != "delete" || ops[len(ops)-2].Kind != "manifest" {
		t.Errorf("changes = %v; want the deletions last, after the manifest", ops)
	}
	if res.Uploaded != 1 || res.Deleted != 1 || res.Unchanged != len(siteFiles)-2 {
		t.Errorf("result = %+v", res)
	}
	want := maps(siteFiles)
	want["stories/denis/index.html"] = "<html>DENIS</html>"
	delete(want, "stories/ana/index.html")
	f.checkSame(t, want)
}

func maps(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestMetadata(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, _, _, err := f.deploy(t, ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ key, ctype, cache, enc string }{
		{"index.html", "text/html; charset=utf-8", "public, max-age=300", ""},
		{"css/main.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable", "gzip"},
		{"js/search.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "gzip"},
		{"pictures/denis.jpg", "image/jpeg", "public, max-age=86400", ""},
		{"pictures/denis.320.2d60ae829e.webp", "image/webp", "public, max-age=31536000, immutable", ""}, // named by its hash
		{"atom.xml", "application/xml; charset=utf-8", "public, max-age=300", ""},
		{"feed.json", "application/json; charset=utf-8", "public, max-age=300", ""},
		{"_headers", "text/plain; charset=utf-8", "public, max-age=86400", ""},
	} {
		a, err := f.bucket.Attributes(ctx, tt.key)
		if err != nil {
			t.Fatal(err)
		}
		if a.ContentType != tt.ctype || a.CacheControl != tt.cache || a.ContentEncoding != tt.enc {
			t.Errorf("%s: Content-Type %q, Cache-Control %q, Content-Encoding %q; want %q, %q, %q",
				tt.key, a.ContentType, a.CacheControl, a.ContentEncoding, tt.ctype, tt.cache, tt.enc)
		}
	}
}

func TestMaxDeletes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, _, _, err := f.deploy(t, ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	// a deploy of the wrong folder: 4 of the 14 files would go
	for _, name := range []string{"stories/ana/index.html", "stories/denis/index.html", "pictures/denis.jpg", "atom.xml"} {
		os.Remove(filepath.Join(f.site, name))
	}
	writeSite(t, f.site, map[string]string{"index.html": "<html>new home</html>"})
	_, _, ops, err := f.deploy(t, ctx, false, nil)
	var de *DeleteError
	if !errors.As(err, &de) || de.Deletes != 4 || de.Remote != len(siteFiles) || len(ops) != 0 {
		t.Fatalf("err = %v, changes = %v; want a refusal before any change", err, ops)
	}
	if !strings.Contains(de.Error(), "deploy to test would delete 4 of the 14 files") || !strings.Contains(de.Hint(), "--force") {
		t.Errorf("message = %q; %q", de.Error(), de.Hint())
	}
	if f.remote(t)["index.html"] != siteFiles["index.html"] {
		t.Error("the refused deploy changed the bucket")
	}
	_, res, _, err := f.deploy(t, ctx, true, nil)
	if err != nil || res.Deleted != 4 || res.Uploaded != 1 {
		t.Fatalf("with --force: %+v, %v", res, err)
	}
}

// A deploy stopped halfway leaves the old manifest; the next one finishes
// the job.
func TestKilledHalfway(t *testing.T) {
	f := newFixture(t)
	if _, _, _, err := f.deploy(t, context.Background(), false, nil); err != nil {
		t.Fatal(err)
	}
	changed := map[string]string{
		"index.html":               "<html>home, new</html>",
		"stories/denis/index.html": "<html>Denis, longer now</html>",
		"stories/ana/index.html":   "<html>ANA</html>",
		"css/main.css":             "body { color: navy }",
		"pictures/denis.jpg":       "\xff\xd8\xff a new photo",
		"pictures/new.png":         "\x89PNG",
	}
	writeSite(t, f.site, changed)
	f.serial = true // stopped after /css/main.css and /pictures/denis.jpg
	ctx, cancel := context.WithCancel(context.Background())
	uploads := 0
	_, _, ops, err := f.deploy(t, ctx, false, func(op Op) {
		if op.Kind == "upload" {
			if uploads++; uploads == 2 {
				cancel()
			}
		}
	})
	if !errors.Is(err, context.Canceled) || slices.ContainsFunc(ops, func(op Op) bool { return op.Kind == "manifest" }) {
		t.Fatalf("stopped deploy: %v, %v", err, ops)
	}
	stopped := paths(ops, "upload")
	if len(stopped) >= len(changed) {
		t.Fatalf("the deploy was not stopped halfway: %v", ops)
	}
	_, res, ops, err := f.deploy(t, context.Background(), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	// the files the stopped deploy uploaded are not uploaded again, but
	// for a gzipped one (css/main.css), which would have to be compressed
	// to be compared
	for _, p := range stopped {
		if p != "/css/main.css" && slices.Contains(paths(ops, "upload"), p) {
			t.Errorf("the next deploy uploaded %s again, which the stopped one had uploaded", p)
		}
	}
	if res.Uploaded > len(changed) || res.Uploaded == 0 {
		t.Errorf("the next deploy uploaded %v", paths(ops, "upload"))
	}
	want := maps(siteFiles)
	for k, v := range changed {
		want[k] = v
	}
	f.checkSame(t, want)
	// and the one after uploads nothing
	if _, res, _, err := f.deploy(t, context.Background(), false, nil); err != nil || res.Uploaded != 0 {
		t.Errorf("third deploy: %+v, %v", res, err)
	}
}

// A bucket holding the site already, without a manifest (copied there by
// other tools), takes no uploads of files it holds the same.
func TestNoManifestSameFiles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, _, _, err := f.deploy(t, ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.bucket.Delete(ctx, ManifestKey); err != nil {
		t.Fatal(err)
	}
	writeSite(t, f.site, map[string]string{"robots.txt": "User-agent: *\nAllow: /"})
	_, res, ops, err := f.deploy(t, ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(ops, "upload"); !slices.Equal(got, []string{"/robots.txt"}) {
		t.Errorf("uploaded %v; want robots.txt alone", got)
	}
	if res.Unchanged != len(siteFiles)-1 {
		t.Errorf("result = %+v", res)
	}
	// the manifest written then covers every file
	if _, res, _, err := f.deploy(t, ctx, false, nil); err != nil || res.Uploaded != 0 {
		t.Errorf("next deploy: %+v, %v", res, err)
	}
}

func TestStageAndTypes(t *testing.T) {
	for p, want := range map[string]int{"/index.html": 3, "/404.html": 3, "/sitemap.xml": 3, "/cy/atom.xml": 3, "/feed.json": 3, "/_redirects": 3,
		"/stories/index.html": 2, "/cy/index.html": 2, "/css/main.css": 1, "/search/m.js": 1, "/pictures/a.webp": 1} {
		if got := Stage(p); got != want {
			t.Errorf("Stage(%s) = %d; want %d", p, got, want)
		}
	}
	for p, want := range map[string]string{
		"/search/data/s0.js":       "public, max-age=300", // the search index's files must match each other
		"/js/search.js":            "public, max-age=300",
		"/css/main.css":            "public, max-age=300",
		"/css/main.4fd217d163.css": "public, max-age=31536000, immutable",
		"/stories/index.html":      "public, max-age=300",
		"/images/cup.jpg":          "public, max-age=86400",
	} {
		if got := DefaultCacheControl(p); got != want {
			t.Errorf("DefaultCacheControl(%s) = %q; want %q", p, got, want)
		}
	}
	for p, want := range map[string]string{"/a.svg": "image/svg+xml; charset=utf-8", "/a.woff2": "font/woff2", "/a.unknownext": "application/octet-stream", "/a.vtt": "text/vtt; charset=utf-8"} {
		if got := ContentType(p); got != want {
			t.Errorf("ContentType(%s) = %q; want %q", p, got, want)
		}
	}
}

func TestMissingFolderTarget(t *testing.T) {
	target := config.Target{Name: "copy", URL: "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "missing"))}
	_, err := Open(context.Background(), target)
	var te *TargetError
	if !errors.As(err, &te) || !strings.Contains(te.Msg, "deploy to copy") || te.Hint == "" {
		t.Fatalf("err = %v", err)
	}
}

// A folder target on another disk than the system's temporary folder:
// files are written beside where they go, or the rename across disks
// fails.
func TestFolderTargetWritesBeside(t *testing.T) {
	for raw, want := range map[string]string{
		"file:///srv/site":                 "file:///srv/site?no_tmp_dir=true",
		"file:///srv/site?create_dir=true": "file:///srv/site?create_dir=true&no_tmp_dir=true",
		"file:///srv/site?no_tmp_dir=":     "file:///srv/site?no_tmp_dir=",
		"s3://bucket?region=eu-west-2":     "s3://bucket?region=eu-west-2",
	} {
		if got := bucketURL(raw); got != want {
			t.Errorf("bucketURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

// A folder bucket's listing can skip a key at the end of a page when a
// file sits beside a folder of the same name (cards/features.png and
// cards/features/…, as the build writes cards): the manifest's file is
// asked for, not uploaded again.
func TestListingThatSkipsAKey(t *testing.T) {
	f := newFixture(t)
	files := maps(siteFiles)
	files["cards/features.png"] = "a card"
	for i := range 1100 {
		files[fmt.Sprintf("cards/features/%04d.png", i)] = fmt.Sprint("card ", i)
	}
	writeSite(t, f.site, files)
	ctx := context.Background()
	if _, _, _, err := f.deploy(t, ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	_, res, ops, err := f.deploy(t, ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Uploaded != 0 || res.Deleted != 0 {
		t.Errorf("a deploy with nothing changed uploaded %v and deleted %d", paths(ops, "upload"), res.Deleted)
	}
}

// TestOldHashedFilesKept: a file named by its hash that the site no
// longer has stays in the bucket until KeepOld has passed since the first
// deploy without it (pages cached before may link it), then goes; a file
// of another name goes at once.
func TestOldHashedFilesKept(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	writeSite(t, f.site, map[string]string{"css/main.0a1b2c3d4e.css": "body { color: #111 }"})
	if _, _, _, err := f.deploy(t, ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(f.site, "css/main.0a1b2c3d4e.css"))
	os.Remove(filepath.Join(f.site, "atom.xml"))
	writeSite(t, f.site, map[string]string{"css/main.9f8e7d6c5b.css": "body { color: #222 }"})
	start := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		after time.Duration
		kept  bool
	}{{0, true}, {time.Hour, true}, {KeepOld - time.Minute, true}, {KeepOld + time.Minute, false}} {
		f.now = start.Add(tc.after)
		p, res, _, err := f.deploy(t, ctx, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, there := f.remote(t)["css/main.0a1b2c3d4e.css"]
		since, kept := p.Kept["/css/main.0a1b2c3d4e.css"]
		if there != tc.kept || kept != tc.kept || (kept && !since.Equal(start)) {
			t.Errorf("%v after: in the bucket %v, kept %v since %v; want kept %v since %v", tc.after, there, kept, since, tc.kept, start)
		}
		if _, there := f.remote(t)["atom.xml"]; there {
			t.Errorf("%v after: atom.xml, not named by its hash, is still in the bucket", tc.after)
		}
		if tc.after > 0 && res.Uploaded != 0 {
			t.Errorf("%v after: %d uploaded; want 0", tc.after, res.Uploaded)
		}
	}
}

// TestSumsKept: with a sums file, a deploy reads only the files whose
// size or time changed since the last one; sums of another folder are
// not used.
func TestSumsKept(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sumsFile := filepath.Join(t.TempDir(), "cache", "deploy-test.json")
	plan := func(dir string) *Plan {
		t.Helper()
		p, err := MakePlan(ctx, f.bucket, Options{Target: f.target, Settings: settings(), Dir: dir, Skip: ".otpress-output", Sums: sumsFile})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := plan(f.site)
	if _, err := Apply(ctx, f.bucket, p, Options{Target: f.target, Settings: settings(), Dir: f.site}); err != nil {
		t.Fatal(err)
	}
	if s := ReadSums(sumsFile, f.site); len(s.Files) != len(siteFiles) {
		t.Fatalf("the sums file holds %d files; want %d", len(s.Files), len(siteFiles))
	}
	// the same size and time: taken from the sums, not read (a build
	// keeps the time of a file it writes with the same bytes)
	page := filepath.Join(f.site, "stories/ana/index.html")
	fi, _ := os.Stat(page)
	os.WriteFile(page, []byte(strings.ToUpper(siteFiles["stories/ana/index.html"])), 0o644)
	os.Chtimes(page, fi.ModTime(), fi.ModTime())
	if p := plan(f.site); len(p.Uploads) != 0 {
		t.Errorf("a file of the same size and time was read again: %d to upload", len(p.Uploads))
	}
	// a new time: read, and found changed
	later := fi.ModTime().Add(time.Second)
	os.Chtimes(page, later, later)
	if p := plan(f.site); len(p.Uploads) != 1 || p.Uploads[0].Path != "/stories/ana/index.html" {
		t.Errorf("after its time changed: %d to upload; want /stories/ana/index.html", len(p.Uploads))
	}
	// another folder with the same files: its own sums, read afresh
	other := t.TempDir()
	writeSite(t, other, siteFiles)
	denis := filepath.Join(other, "stories/denis/index.html")
	os.WriteFile(denis, []byte("<html>DENIS</html>"), 0o644) // the same size and time as the first folder's
	fi, _ = os.Stat(filepath.Join(f.site, "stories/denis/index.html"))
	os.Chtimes(denis, fi.ModTime(), fi.ModTime())
	if p := plan(other); len(p.Uploads) != 1 || p.Uploads[0].Path != "/stories/denis/index.html" {
		t.Errorf("another folder: %d to upload; want /stories/denis/index.html alone", len(p.Uploads))
	}
}

// TestManyFiles: a bucket of more files than a listing page holds (1,000
// in S3's) is listed whole: a deploy with nothing changed uploads
// nothing, and a file gone from the end of the listing is deleted.
func TestManyFiles(t *testing.T) {
	for name, newF := range map[string]func(*testing.T) *fixture{"folder": newFixture, "s3": s3Fixture} {
		t.Run(name, func(t *testing.T) {
			f := newF(t)
			ctx := context.Background()
			many := map[string]string{}
			for i := range 1100 {
				many[fmt.Sprintf("z/%04d.txt", i)] = fmt.Sprint(i)
			}
			writeSite(t, f.site, many)
			if _, _, _, err := f.deploy(t, ctx, false, nil); err != nil {
				t.Fatal(err)
			}
			os.Remove(filepath.Join(f.site, "z/1099.txt"))
			p, res, _, err := f.deploy(t, ctx, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.Remote != len(siteFiles)+1100 || res.Uploaded != 0 || res.Unchanged != len(siteFiles)+1099 || !slices.Equal(p.Deletes, []string{"/z/1099.txt"}) {
				t.Errorf("listed %d, uploaded %d, unchanged %d, deleted %v; want %d, 0, %d, [/z/1099.txt]",
					p.Remote, res.Uploaded, res.Unchanged, p.Deletes, len(siteFiles)+1100, len(siteFiles)+1099)
			}
		})
	}
}
