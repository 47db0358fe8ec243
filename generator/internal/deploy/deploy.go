// Package deploy makes a bucket hold exactly a folder's files: it compares
// the built site with what the bucket holds, uploads what is new or
// changed in an order that keeps the site whole for readers, writes a
// manifest of what it uploaded, and deletes what the site no longer has,
// last. Buckets are opened through gocloud.dev (S3, Azure Blob Storage,
// Google Cloud Storage, a local folder); credentials come from the
// environment as each cloud's SDK reads them.
package deploy

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/otpress/otpress/generator/internal/config"
	"github.com/otpress/otpress/generator/internal/publish"
	"gocloud.dev/blob"
	_ "gocloud.dev/blob/azureblob" // azblob://
	_ "gocloud.dev/blob/fileblob"  // file://
	_ "gocloud.dev/blob/gcsblob"   // gs://
	_ "gocloud.dev/blob/s3blob"    // s3://
	"gocloud.dev/gcerrors"
	"golang.org/x/sync/errgroup"
)

// ManifestKey is the object a deploy writes after its uploads: each file's
// sha256, size and metadata, so the next deploy knows what the bucket
// holds without reading it.
const ManifestKey = ".otpress/deploy.json"

// Parallel is how many uploads run at once.
const Parallel = 8

// KeepOld is how long a file named by a hash of its content stays in the
// bucket after the site stops linking it: a page cached before the deploy
// (by a CDN, a browser) may still ask for the old style or picture.
const KeepOld = 24 * time.Hour

// Op is one change a deploy makes to the bucket.
type Op struct {
	Kind string // "upload", "manifest" or "delete"
	Path string // the site path, such as "/css/main.css"
}

// Options are what a deploy needs besides the bucket.
type Options struct {
	Target   config.Target
	Settings config.Deploy // matchers and max_deletes
	Dir      string        // the built site's folder
	Skip     string        // a file in Dir not uploaded: the build's marker
	// Done, when set, is called after each change the bucket has taken,
	// in the order they completed.
	Done func(Op)
	// Parallel is how many uploads run at once (0: Parallel).
	Parallel int
	// Now is the clock, for KeepOld (nil: time.Now).
	Now func() time.Time
	// Sums, when set, is the file keeping the folder's sums between
	// deploys (see Sums).
	Sums string
}

// Plan is what a deploy will do.
type Plan struct {
	Target    string
	Uploads   []*File // in upload order
	Deletes   []string
	Unchanged int
	// Kept are the files named by their hash that the site no longer has,
	// kept until KeepOld has passed since the first deploy without them,
	// by path: when that was.
	Kept   map[string]time.Time
	Remote int // the files the bucket holds (the manifest aside)
	Bytes  int64
	// Invalidate are the site paths the target's CDN may serve old copies
	// of once the plan is applied (see toInvalidate); empty when the
	// target names no CDN.
	Invalidate []string
	files      []*File   // every local file, for the manifest
	old        *manifest // the bucket's manifest as the plan read it
}

// Result is what a deploy did.
type Result struct {
	Uploaded, Deleted, Unchanged int
	Bytes                        int64 // uploaded, as stored (gzipped where so)
	Duration                     time.Duration
}

// Open opens the target's bucket.
func Open(ctx context.Context, t config.Target) (*blob.Bucket, error) {
	b, err := blob.OpenBucket(ctx, bucketURL(t.URL))
	if err != nil {
		return nil, explain(t, "open the bucket", err)
	}
	return b, nil
}

// bucketURL is a target's url as gocloud.dev opens it: a folder target
// writes each file beside where it goes and renames it there, since the
// system's temporary folder may be on another disk, where a rename fails.
func bucketURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "file" || u.Query().Has("no_tmp_dir") {
		return raw
	}
	q := u.Query()
	q.Set("no_tmp_dir", "true")
	u.RawQuery = q.Encode()
	return u.String()
}

// listPage is how many objects a listing of the target's bucket asks for
// at a time. The clouds answer at most 1,000 (S3, Google Cloud Storage)
// or 5,000 (Azure) whatever is asked; gocloud's folder driver walks the
// whole folder, reading every file's attributes, for each page, so a
// folder is asked for 131,072 at a time (one walk at 10,000 items, where
// pages of 1,000 took 44 walks and 13 s).
func listPage(t config.Target) int {
	if strings.HasPrefix(t.URL, "file:") {
		return 1 << 17
	}
	return 1000
}

// manifest is the object at ManifestKey.
type manifest struct {
	Version int               `json:"version"`
	Files   map[string]record `json:"files"` // by site path
	// Retired are the files named by their hash kept after the site
	// stopped having them (Plan.Kept)
	Retired map[string]time.Time `json:"retired,omitempty"`
	raw     []byte               // as read
}

type record struct {
	SHA256       string `json:"sha256"` // of the file as the site has it (before gzip)
	Size         int64  `json:"size"`   // as stored
	MD5          []byte `json:"md5,omitempty"`
	ContentType  string `json:"content_type"`
	Encoding     string `json:"encoding,omitempty"`
	CacheControl string `json:"cache_control"`
}

// remoteObject is an object the bucket's listing gave.
type remoteObject struct {
	size int64
	md5  []byte
}

// MakePlan compares the folder with the bucket.
func MakePlan(ctx context.Context, b *blob.Bucket, opts Options) (*Plan, error) {
	var sums *Sums
	if opts.Sums != "" {
		sums = ReadSums(opts.Sums, opts.Dir)
	}
	files, err := Local(opts.Dir, opts.Skip, opts.Settings, sums)
	if err != nil {
		return nil, err
	}
	if sums != nil {
		sums.keep(files)
		_ = sums.Write(opts.Sums) // a cache: without it the next deploy reads every file
	}
	remote := map[string]remoteObject{}
	for token := blob.FirstPageToken; ; {
		objs, next, err := b.ListPage(ctx, token, listPage(opts.Target), nil)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, explain(opts.Target, "list the bucket", err)
		}
		for _, obj := range objs {
			if !obj.IsDir && !strings.HasPrefix(obj.Key, ".otpress/") {
				remote["/"+obj.Key] = remoteObject{obj.Size, obj.MD5}
			}
		}
		if len(next) == 0 {
			break
		}
		token = next
	}
	old, err := readManifest(ctx, b)
	if err != nil {
		return nil, explain(opts.Target, "read the manifest "+ManifestKey, err)
	}
	p := &Plan{Target: opts.Target.Name, Remote: len(remote), files: files, old: old}
	var changed []string
	local := map[string]bool{}
	for _, f := range files {
		local[f.Path] = true
		r, there := remote[f.Path]
		if _, listed := old.Files[f.Path]; !there && listed {
			// the manifest has it and the listing did not give it: ask for
			// it (a folder bucket's listing can skip a key such as
			// a.png beside a folder a/ at the end of a page)
			if a, err := b.Attributes(ctx, strings.TrimPrefix(f.Path, "/")); err == nil {
				r, there = remoteObject{a.Size, a.MD5}, true
			}
		}
		if there && same(ctx, b, f, r, old) {
			p.Unchanged++
			continue
		}
		p.Uploads = append(p.Uploads, f)
		p.Bytes += f.Size
		if there {
			changed = append(changed, f.Path)
		}
	}
	now := time.Now()
	if opts.Now != nil {
		now = opts.Now()
	}
	for path := range remote {
		if local[path] {
			continue
		}
		if publish.IsFingerprinted(path) {
			since, ok := old.Retired[path]
			if !ok || since.After(now) {
				since = now
			}
			if now.Sub(since) < KeepOld {
				if p.Kept == nil {
					p.Kept = map[string]time.Time{}
				}
				p.Kept[path] = since
				continue
			}
		}
		p.Deletes = append(p.Deletes, path)
	}
	sort.Strings(p.Deletes)
	sort.SliceStable(p.Uploads, func(i, j int) bool { return p.Uploads[i].stage < p.Uploads[j].stage })
	if opts.Target.CloudFront != "" {
		earlier, err := readPending(ctx, b)
		if err != nil {
			return nil, explain(opts.Target, "read "+PendingKey, err)
		}
		p.Invalidate = toInvalidate(changed, p.Deletes, earlier)
	}
	return p, nil
}

// same reports whether the bucket's object r already holds f as f should
// be served: by the manifest, when it has the file and the object still
// has the size (and MD5, where the listing gives it) it recorded; by the
// object's MD5 otherwise.
func same(ctx context.Context, b *blob.Bucket, f *File, r remoteObject, old *manifest) bool {
	if rec, ok := old.Files[f.Path]; ok {
		if rec.Size == r.size && (r.md5 == nil || rec.MD5 == nil || bytes.Equal(rec.MD5, r.md5)) &&
			rec.SHA256 == f.SHA256 && rec.ContentType == f.ContentType && rec.Encoding == f.Encoding && rec.CacheControl == f.CacheControl {
			return true
		}
		// a deploy stopped before its manifest may have uploaded the
		// file as it is now: the listing's MD5 says so for a file stored
		// as it is (a gzipped one would have to be compressed to know),
		// its headers then asked for
		if f.Encoding != "" || r.md5 == nil || r.size != f.Size || !bytes.Equal(r.md5, f.md5) {
			return false
		}
		a, err := b.Attributes(ctx, strings.TrimPrefix(f.Path, "/"))
		return err == nil && a.ContentType == f.ContentType && a.CacheControl == f.CacheControl && a.ContentEncoding == ""
	}
	md := r.md5
	if md == nil {
		a, err := b.Attributes(ctx, strings.TrimPrefix(f.Path, "/"))
		if err != nil || a.MD5 == nil {
			return false
		}
		md = a.MD5
	}
	want, err := f.storedMD5()
	return err == nil && bytes.Equal(md, want)
}

func readManifest(ctx context.Context, b *blob.Bucket) (*manifest, error) {
	m := &manifest{Files: map[string]record{}}
	data, err := b.ReadAll(ctx, ManifestKey)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	if json.Unmarshal(data, m) != nil || m.Version != 1 || m.Files == nil {
		// a manifest we cannot read is no manifest: compare by MD5
		return &manifest{Files: map[string]record{}}, nil
	}
	m.raw = data
	return m, nil
}

// DeleteError is a plan that would delete more of the bucket's files than
// max_deletes allows.
type DeleteError struct {
	Target          string
	Deletes, Remote int
	MaxDeletes      float64
}

func (e *DeleteError) Error() string {
	return fmt.Sprintf("deploy to %s would delete %d of the %d files the bucket holds, more than max_deletes (%g) allows; nothing was changed",
		e.Target, e.Deletes, e.Remote, e.MaxDeletes)
}

// Hint says how to go on.
func (e *DeleteError) Hint() string {
	return "check that -d names the whole built site and --target the right bucket; if the deletions are meant, run the deploy again with --force (--dry-run lists them)"
}

// Guard refuses a plan that deletes more than the share max of the
// bucket's files.
func (p *Plan) Guard(max float64) error {
	if len(p.Deletes) > 0 && float64(len(p.Deletes)) > max*float64(p.Remote) {
		return &DeleteError{Target: p.Target, Deletes: len(p.Deletes), Remote: p.Remote, MaxDeletes: max}
	}
	return nil
}

// Apply makes the bucket hold the folder's files as the plan says:
// uploads stage by stage (assets, pages, then the home page, feeds and
// sitemap), the paths the CDN is to drop (PendingKey), the manifest, then
// the deletions. Invalidate asks the CDN afterwards.
func Apply(ctx context.Context, b *blob.Bucket, p *Plan, opts Options) (*Result, error) {
	start := time.Now()
	res := &Result{Unchanged: p.Unchanged}
	done := func(op Op) {
		if opts.Done != nil {
			opts.Done(op)
		}
	}
	var mu sync.Mutex
	stored := map[string]record{}
	for i := 0; i < len(p.Uploads); {
		j := i
		for j < len(p.Uploads) && p.Uploads[j].stage == p.Uploads[i].stage {
			j++
		}
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(cmp.Or(max(opts.Parallel, 0), Parallel))
		for _, f := range p.Uploads[i:j] {
			g.Go(func() error {
				rec, err := upload(gctx, b, f)
				if err != nil {
					return explain(opts.Target, "upload "+f.Path, err)
				}
				mu.Lock()
				defer mu.Unlock()
				stored[f.Path] = rec
				res.Uploaded++
				res.Bytes += rec.Size
				done(Op{"upload", f.Path})
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return res, err
		}
		i = j
	}
	// before the manifest: once it is written, the next deploy no longer
	// sees these files as changed
	if len(p.Invalidate) > 0 {
		if err := writePending(ctx, b, opts.Target.CloudFront, p.Invalidate); err != nil {
			return res, explain(opts.Target, "write "+PendingKey, err)
		}
	}
	if err := writeManifest(ctx, b, p, stored); err != nil {
		return res, explain(opts.Target, "write the manifest "+ManifestKey, err)
	}
	done(Op{"manifest", "/" + ManifestKey})
	for _, path := range p.Deletes {
		if err := ctx.Err(); err != nil {
			return res, err // a folder bucket's Delete does not look at ctx
		}
		err := b.Delete(ctx, strings.TrimPrefix(path, "/"))
		if err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return res, explain(opts.Target, "delete "+path, err)
		}
		res.Deleted++
		done(Op{"delete", path})
	}
	res.Duration = time.Since(start)
	return res, nil
}

// upload writes one file with its metadata and returns its record.
func upload(ctx context.Context, b *blob.Bucket, f *File) (record, error) {
	data, err := f.stored()
	if err != nil {
		return record{}, err
	}
	sum := md5.Sum(data)
	err = b.WriteAll(ctx, strings.TrimPrefix(f.Path, "/"), data, &blob.WriterOptions{
		ContentType:     f.ContentType,
		ContentEncoding: f.Encoding,
		CacheControl:    f.CacheControl,
		ContentMD5:      sum[:],
	})
	if err != nil {
		return record{}, err
	}
	return f.record(int64(len(data)), sum[:]), nil
}

// writeManifest records every local file: those uploaded now as stored,
// the unchanged ones as the bucket already held them.
func writeManifest(ctx context.Context, b *blob.Bucket, p *Plan, stored map[string]record) error {
	m := manifest{Version: 1, Files: map[string]record{}, Retired: p.Kept}
	old := p.old
	for _, f := range p.files {
		if rec, ok := stored[f.Path]; ok {
			m.Files[f.Path] = rec
			continue
		}
		if rec, ok := old.Files[f.Path]; ok && rec.SHA256 == f.SHA256 {
			m.Files[f.Path] = rec
			continue
		}
		// unchanged by its MD5: the bucket holds the bytes we would store
		data, err := f.stored()
		if err != nil {
			return err
		}
		sum := md5.Sum(data)
		m.Files[f.Path] = f.record(int64(len(data)), sum[:])
	}
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	if bytes.Equal(data, old.raw) {
		return nil // the bucket holds it already
	}
	return b.WriteAll(ctx, ManifestKey, data, &blob.WriterOptions{ContentType: "application/json", CacheControl: "no-store"})
}

// stored is the file's bytes as uploaded: gzipped when a matcher says so.
func (f *File) stored() ([]byte, error) {
	data, err := os.ReadFile(f.full)
	if err != nil || f.Encoding != "gzip" {
		return data, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// storedMD5 is the MD5 of the bytes stored.
func (f *File) storedMD5() ([]byte, error) {
	if f.Encoding == "" {
		return f.md5, nil
	}
	data, err := f.stored()
	if err != nil {
		return nil, err
	}
	sum := md5.Sum(data)
	return sum[:], nil
}

func (f *File) record(size int64, md5 []byte) record {
	return record{SHA256: f.SHA256, Size: size, MD5: md5, ContentType: f.ContentType, Encoding: f.Encoding, CacheControl: f.CacheControl}
}
