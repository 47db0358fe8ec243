package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/azureblob"
	_ "gocloud.dev/blob/gcsblob"
	_ "gocloud.dev/blob/s3blob"
)

// The matchers the test's site.toml adds, and what they mean for a file.
// The example site has fingerprint = true: its styles and scripts are
// also published under names with a hash of their content, which keep a
// year by default.
const (
	assetCache = "public, max-age=604800"
	immutable  = "public, max-age=31536000, immutable"
	matchers   = `
[[deploy.matchers]]
pattern = '^.+\.svg$'
cache_control = "` + assetCache + `"
gzip = true

[[deploy.matchers]]
pattern = '^.+\.(css|js|json)$'
gzip = true
`
)

var (
	svgRe    = regexp.MustCompile(`^.+\.svg$`)
	gzipRe   = regexp.MustCompile(`^.+\.(css|js|json)$`)
	hashedRe = regexp.MustCompile(`\.([0-9a-f]{10})\.[a-z0-9]+$`) // main.4fd217d163.css (with a letter among the ten)
)

// types are the Content-Types the README promises, by extension.
var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json; charset=utf-8",
	".xml":  "application/xml; charset=utf-8",
	".svg":  "image/svg+xml; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
	".vtt":  "text/vtt; charset=utf-8",
	".csv":  "text/csv; charset=utf-8",
	".bib":  "application/x-bibtex; charset=utf-8",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".webp": "image/webp",
	".mp3":  "audio/mpeg",
	".zip":  "application/zip",
	".epub": "application/epub+zip",
	"":      "text/plain; charset=utf-8", // _headers, _redirects
}

// want is how a site path should be served: Content-Type, Content-Encoding
// and Cache-Control.
func want(p string) (ctype, enc, cache string, err error) {
	ctype, ok := types[path.Ext(p)]
	if !ok {
		return "", "", "", fmt.Errorf("the test knows no Content-Type for %s; add its extension to types in tests/deploy/bucket.go", p)
	}
	cache = "public, max-age=86400"
	switch path.Ext(p) {
	case ".html", ".xml", ".json", ".js", ".css":
		cache = "public, max-age=300"
	}
	if m := hashedRe.FindStringSubmatch(p); m != nil && strings.ContainsAny(m[1], "abcdef") {
		cache = immutable
	}
	switch {
	case svgRe.MatchString(p):
		enc, cache = "gzip", assetCache
	case gzipRe.MatchString(p):
		enc = "gzip"
	}
	return ctype, enc, cache, nil
}

// files reads a built site: its files' bytes by site path, without the
// build's marker.
func files(dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(full string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".otpress-output" {
			return err
		}
		data, err := os.ReadFile(full)
		rel, _ := filepath.Rel(dir, full)
		out["/"+filepath.ToSlash(rel)] = data
		return err
	})
	return out, err
}

// diff is what changed from one build to the next: the paths whose bytes
// differ or are new, and those gone.
func diff(before, after map[string][]byte) (changed, gone []string) {
	for p, b := range after {
		if a, ok := before[p]; !ok || !bytes.Equal(a, b) {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			gone = append(gone, p)
		}
	}
	sort.Strings(changed)
	sort.Strings(gone)
	return changed, gone
}

// objectURL is where a bucket's object is read anonymously over HTTP, as
// a CDN in front of it reads it; {path} is the key with each segment
// escaped, {key} the key escaped whole.
func objectURL(template, key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.NewReplacer("{path}", strings.Join(segs, "/"), "{key}", url.PathEscape(key)).Replace(template)
}

// fetch reads an object as a CDN does, asking for gzip so that nothing
// decompresses it on the way.
func fetch(template, key string) (*http.Response, []byte, error) {
	req, err := http.NewRequest("GET", objectURL(template, key), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res, body, err
}

// compare checks that the bucket holds exactly the site's files, each
// served with the headers the README and the matchers promise; it returns
// what is wrong.
func compare(ctx context.Context, b *blob.Bucket, template string, site map[string][]byte) []string {
	var problems []string
	var mu sync.Mutex
	bad := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	listed := map[string]bool{}
	it := b.List(nil)
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return []string{"listing the bucket: " + err.Error()}
		}
		if !strings.HasPrefix(obj.Key, ".otpress/") {
			listed["/"+obj.Key] = true
		}
	}
	for p := range listed {
		if _, ok := site[p]; !ok {
			bad("%s is in the bucket but not in the site", p)
		}
	}
	var paths []string
	for p := range site {
		if !listed[p] {
			bad("%s is in the site but not in the bucket", p)
			continue
		}
		paths = append(paths, p)
	}
	work := make(chan string)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				if msg := compareOne(template, p, site[p]); msg != "" {
					bad("%s", msg)
				}
			}
		}()
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	wg.Wait()
	return firstOf(problems)
}

// firstOf is the first 20 problems, sorted, and how many more there are.
func firstOf(problems []string) []string {
	sort.Strings(problems)
	if len(problems) > 20 {
		problems = append(problems[:20], fmt.Sprintf("and %d more", len(problems)-20))
	}
	return problems
}

// compareOne checks one object against the site's file.
func compareOne(template, p string, data []byte) string {
	ctype, enc, cache, err := want(p)
	if err != nil {
		return err.Error()
	}
	res, body, err := fetch(template, strings.TrimPrefix(p, "/"))
	if err != nil {
		return fmt.Sprintf("%s: %v", p, err)
	}
	h := res.Header
	switch {
	case res.StatusCode != http.StatusOK:
		return fmt.Sprintf("%s: GET answered %s", p, res.Status)
	case h.Get("Content-Type") != ctype:
		return fmt.Sprintf("%s: Content-Type %q, want %q", p, h.Get("Content-Type"), ctype)
	case h.Get("Content-Encoding") != enc:
		return fmt.Sprintf("%s: Content-Encoding %q, want %q", p, h.Get("Content-Encoding"), enc)
	case h.Get("Cache-Control") != cache:
		return fmt.Sprintf("%s: Cache-Control %q, want %q", p, h.Get("Cache-Control"), cache)
	}
	if enc == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return fmt.Sprintf("%s: stored with Content-Encoding: gzip but not gzipped (%v)", p, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			return fmt.Sprintf("%s: a broken gzip stream (%v)", p, err)
		}
	}
	if !bytes.Equal(body, data) {
		return fmt.Sprintf("%s: the bucket's bytes (%d) are not the site's (%d)", p, len(body), len(data))
	}
	return ""
}

// compareManifest checks the manifest a deploy leaves, read through the
// SDK as the next deploy reads it: one record a file, with its sha256 and
// headers.
func compareManifest(ctx context.Context, b *blob.Bucket, site map[string][]byte) []string {
	data, err := b.ReadAll(ctx, ".otpress/deploy.json")
	if err != nil {
		return []string{"reading .otpress/deploy.json: " + err.Error()}
	}
	var m struct {
		Version int
		Files   map[string]struct {
			SHA256       string `json:"sha256"`
			ContentType  string `json:"content_type"`
			Encoding     string `json:"encoding"`
			CacheControl string `json:"cache_control"`
		}
	}
	if err := json.Unmarshal(data, &m); err != nil || m.Version != 1 {
		return []string{fmt.Sprintf(".otpress/deploy.json is not a version 1 manifest (%v): %.200s", err, data)}
	}
	var problems []string
	for p, data := range site {
		rec, ok := m.Files[p]
		sum := sha256.Sum256(data)
		ctype, enc, cache, _ := want(p)
		if !ok || rec.SHA256 != hex.EncodeToString(sum[:]) || rec.ContentType != ctype || rec.Encoding != enc || rec.CacheControl != cache {
			problems = append(problems, fmt.Sprintf("%s: the manifest has %+v (listed %v)", p, rec, ok))
		}
	}
	if len(m.Files) != len(site) {
		problems = append(problems, fmt.Sprintf("the manifest lists %d files, the site has %d", len(m.Files), len(site)))
	}
	return firstOf(problems)
}
