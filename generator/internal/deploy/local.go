package deploy

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/publish"
	"golang.org/x/sync/errgroup"
)

// File is one file of the built site and how it is to be served.
type File struct {
	Path         string // the site path, such as "/css/main.css"
	Size         int64  // as the site has it
	SHA256       string // of the bytes as the site has them
	ContentType  string
	Encoding     string // "gzip" when uploaded compressed
	CacheControl string
	stage        int // upload order: 1 assets, 2 pages, 3 the home page, feeds, sitemap
	full         string
	md5          []byte
}

// Local reads the built site in dir: every regular file but the one named
// skip (the build's marker, not part of the site), hashed on every core,
// with its metadata from the matchers, sorted by path. A file sums holds
// with the same size and modification time is not read again (a build
// keeps the time of a file it writes with the same bytes); sums, when
// not nil, is given every file's sums.
func Local(dir, skip string, settings config.Deploy, sums *Sums) ([]*File, error) {
	var files []*File
	var infos []fs.FileInfo
	err := filepath.WalkDir(dir, func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() || (skip != "" && full == filepath.Join(dir, skip)) {
			return nil
		}
		r, err := filepath.Rel(dir, full)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		f := &File{Path: "/" + filepath.ToSlash(r), full: full}
		f.ContentType = ContentType(f.Path)
		f.CacheControl = DefaultCacheControl(f.Path)
		if m := settings.Match(f.Path); m != nil {
			if m.CacheControl != "" {
				f.CacheControl = m.CacheControl
			}
			if m.Gzip {
				f.Encoding = "gzip"
			}
		}
		f.stage = Stage(f.Path)
		files = append(files, f)
		infos = append(infos, fi)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := hashAll(files, infos, sums); err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// hashAll gives each file its size and sums: from sums while the file has
// the size and time they were taken at, else read, on every core.
func hashAll(files []*File, infos []fs.FileInfo, sums *Sums) error {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		fi := infos[i]
		if s, ok := sums.get(f.Path, fi); ok {
			f.Size, f.SHA256, f.md5 = s.Size, s.SHA256, s.MD5
			continue
		}
		g.Go(func() error {
			if err := f.hash(); err != nil {
				return err
			}
			sums.put(f, fi)
			return nil
		})
	}
	return g.Wait()
}

// Sums are the sums of a folder's files as a deploy last read them, kept
// in the site's .otpress-cache/ so that the next deploy reads only the
// files whose size or time changed.
type Sums struct {
	Dir   string         `json:"dir"` // the folder's absolute path
	Files map[string]sum `json:"files"`
	mu    sync.Mutex
}

type sum struct {
	Size   int64  `json:"size"`
	MTime  int64  `json:"mtime"` // Unix nanoseconds
	SHA256 string `json:"sha256"`
	MD5    []byte `json:"md5"`
}

// ReadSums reads the sums kept in file for the folder dir: none when
// there are none, or they are of another folder or cannot be read.
func ReadSums(file, dir string) *Sums {
	abs, _ := filepath.Abs(dir)
	s := &Sums{Dir: abs, Files: map[string]sum{}}
	data, err := os.ReadFile(file)
	if err != nil {
		return s
	}
	var old Sums
	if json.Unmarshal(data, &old) == nil && old.Dir == abs && old.Files != nil {
		s.Files = old.Files
	}
	return s
}

// Write keeps the sums in file (written beside it, then renamed).
func (s *Sums) Write(file string) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

func (s *Sums) get(p string, fi fs.FileInfo) (sum, bool) {
	if s == nil {
		return sum{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.Files[p]
	return v, ok && v.Size == fi.Size() && v.MTime == fi.ModTime().UnixNano()
}

func (s *Sums) put(f *File, fi fs.FileInfo) {
	if s == nil || f.Size != fi.Size() {
		return // changed while read: read it again next time
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Files[f.Path] = sum{Size: f.Size, MTime: fi.ModTime().UnixNano(), SHA256: f.SHA256, MD5: f.md5}
}

// keep drops the sums of files the folder no longer has.
func (s *Sums) keep(files []*File) {
	if s == nil {
		return
	}
	have := make(map[string]bool, len(files))
	for _, f := range files {
		have[f.Path] = true
	}
	for p := range s.Files {
		if !have[p] {
			delete(s.Files, p)
		}
	}
}

func (f *File) hash() error {
	in, err := os.Open(f.full)
	if err != nil {
		return err
	}
	defer in.Close()
	s, m := sha256.New(), md5.New()
	n, err := io.Copy(io.MultiWriter(s, m), in)
	if err != nil {
		return err
	}
	f.Size, f.SHA256, f.md5 = n, hex.EncodeToString(s.Sum(nil)), m.Sum(nil)
	return nil
}

// Stage is when a file is uploaded: 1, files pages use (pictures, styles,
// scripts); 2, the pages that link to them; 3, the pages and files that
// lead to the others (the home page, 404, feeds, sitemaps, robots.txt) and
// the host's settings (_headers, _redirects). Readers then never follow a
// link to a file not yet there.
func Stage(p string) int {
	base := path.Base(p)
	switch {
	case p == "/index.html" || p == "/404.html", base == "robots.txt", base == "_headers", base == "_redirects",
		strings.HasSuffix(p, ".xml"), base == "feed.json":
		return 3
	case strings.HasSuffix(p, ".html"):
		return 2
	}
	return 1
}

// types are the content types of the files a site holds, fixed here
// rather than read from the system's tables, which differ between hosts.
var types = map[string]string{
	".html":        "text/html",
	".css":         "text/css",
	".js":          "text/javascript",
	".mjs":         "text/javascript",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".xml":         "application/xml",
	".xsl":         "application/xml",
	".txt":         "text/plain",
	".vtt":         "text/vtt",
	".csv":         "text/csv",
	".md":          "text/markdown",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".mp3":         "audio/mpeg",
	".m4a":         "audio/mp4",
	".ogg":         "audio/ogg",
	".mp4":         "video/mp4",
	".webm":        "video/webm",
	".pdf":         "application/pdf",
	".zip":         "application/zip",
	".epub":        "application/epub+zip",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ris":         "application/x-research-info-systems",
	".bib":         "application/x-bibtex",
}

// ContentType is the Content-Type a file is served with, from its
// extension; text is marked UTF-8.
func ContentType(p string) string {
	base := path.Base(p)
	if base == "_headers" || base == "_redirects" {
		return "text/plain; charset=utf-8"
	}
	ext := strings.ToLower(path.Ext(p))
	t, ok := types[ext]
	if !ok {
		t = mime.TypeByExtension(ext)
		t, _, _ = strings.Cut(t, ";")
	}
	if t == "" {
		return "application/octet-stream"
	}
	if strings.HasPrefix(t, "text/") || strings.HasSuffix(t, "+xml") || strings.HasSuffix(t, "+json") ||
		t == "application/json" || t == "application/xml" || t == "application/x-bibtex" || t == "application/x-research-info-systems" {
		t += "; charset=utf-8"
	}
	return t
}

// DefaultCacheControl is the Cache-Control of a file no matcher matches:
// a year for a file named by a hash of its content (fingerprint = true),
// which never changes; five minutes for pages, feeds, sitemaps, JSON and
// styles and scripts under their own names, which change as the site does
// and must match each other (the search index's files, a page and the
// script it runs); a day for everything else.
func DefaultCacheControl(p string) string {
	if publish.IsFingerprinted(p) {
		return publish.Immutable
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".html", ".xml", ".json", ".js", ".css":
		return "public, max-age=300"
	}
	return "public, max-age=86400"
}
