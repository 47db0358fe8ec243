package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/otpress/otpress/generator/internal/publish"
	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
)

// PendingKey is the object holding the site paths a CDN may still serve
// old copies of. A deploy writes it before the manifest and deletes it
// once an invalidation of them has started, so a deploy whose
// invalidation failed (or was stopped) leaves it for the next one, which
// would otherwise see nothing changed and never invalidate them. It is
// kept apart from the manifest, which at 10,000 pages is megabytes, so
// that clearing it is one small delete.
const PendingKey = ".otpress/invalidate.json"

// MaxInvalidationPaths is the most paths one invalidation names; above it
// a deploy invalidates "/*" instead. CloudFront charges for each path
// beyond 1,000 a month (a wildcard counts as one) and allows 3,000 file
// paths in progress at once. A new story changes its neighbours' pages,
// the lists, feeds and sitemap: a few dozen paths, counting both forms of
// each page. At 100, ten such deploys a month cost nothing, and a deploy
// that changes more has changed most pages (a theme, a menu), so a
// wildcard costs one path and empties little of the cache that was not
// stale already.
const MaxInvalidationPaths = 100

// cdnTimeout bounds the call to CloudFront: an endpoint that drops
// packets would otherwise hold the deploy for minutes of retries.
const cdnTimeout = time.Minute

// Invalidation is a CloudFront invalidation a deploy started.
type Invalidation struct {
	ID           string
	Distribution string
	Paths        []string // as sent: escaped, or "/*" alone
	Count        int      // the paths they stand for (more than Paths with a wildcard)
}

// pending is the object at PendingKey.
type pending struct {
	Version      int      `json:"version"`
	Distribution string   `json:"distribution"` // for people reading it
	Paths        []string `json:"paths"`        // site paths, such as "/stories/denis/index.html"
}

// readPending is the site paths an earlier deploy left to invalidate. One
// that cannot be read stands for every path.
func readPending(ctx context.Context, b *blob.Bucket) ([]string, error) {
	data, err := b.ReadAll(ctx, PendingKey)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var p pending
	if json.Unmarshal(data, &p) != nil || p.Version != 1 {
		return []string{"/*"}, nil
	}
	return p.Paths, nil
}

func writePending(ctx context.Context, b *blob.Bucket, distribution string, paths []string) error {
	data, err := json.MarshalIndent(pending{Version: 1, Distribution: distribution, Paths: paths}, "", " ")
	if err != nil {
		return err
	}
	return b.WriteAll(ctx, PendingKey, data, &blob.WriterOptions{ContentType: "application/json", CacheControl: "no-store"})
}

// toInvalidate is the site paths a CDN may hold old copies of after the
// plan: files changed (uploaded over an object the bucket held) and
// deleted, and those an earlier deploy left, sorted, each once.
//
// New files are left out: the CDN has no copy of them to drop. It may
// have kept a "not found" for one asked for before it existed, but only
// for the distribution's error caching time (10 seconds unless changed),
// and naming every new file would spend paths (1,000 free a month) on
// every deploy that adds a story's pictures. So are files named by a hash
// of their content: their bytes never change, and a copy of one deleted
// is only ever asked for by a page cached before.
func toInvalidate(changed, deleted, earlier []string) []string {
	set := map[string]bool{}
	for _, list := range [][]string{changed, deleted, earlier} {
		for _, p := range list {
			if !publish.IsFingerprinted(p) {
				set[p] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// CDNPaths are the paths an invalidation of the site paths given names,
// as CloudFront wants them, and how many paths they stand for: each page
// /dir/index.html also as /dir/ (and /index.html as /), which readers ask
// for; above MaxInvalidationPaths, "/*" alone.
func CDNPaths(site []string) (paths []string, count int) {
	set := map[string]bool{}
	for _, p := range site {
		set[escapeCDNPath(p)] = true
		if path.Base(p) == "index.html" {
			set[escapeCDNPath(strings.TrimSuffix(p, "index.html"))] = true
		}
	}
	if len(set) > MaxInvalidationPaths || set["/*"] {
		return []string{"/*"}, len(set)
	}
	for p := range set {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths, len(paths)
}

// CDNPaths are the paths the plan's invalidation names (see CDNPaths).
func (p *Plan) CDNPaths() (paths []string, count int) { return CDNPaths(p.Invalidate) }

// escapeCDNPath writes a site path as CloudFront matches it against what
// readers ask for: non-ASCII bytes, controls and the characters RFC 1738
// calls unsafe are %-encoded (upper-case hex, as browsers send them), and
// nothing else is, or the path would not match. A "*" is CloudFront's
// wildcard and may only come last, so a path holding one ends there: the
// wildcard then covers the file, and CloudFront never refuses the path.
func escapeCDNPath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '*':
			b.WriteByte('*')
			return b.String()
		case c <= ' ' || c >= 0x7f || strings.IndexByte(`"#%<>?[\]^{|}~`+"`", c) >= 0:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Invalidate asks the target's CloudFront distribution to drop its copies
// of the plan's changed and deleted paths, once Apply has succeeded. It
// does not wait for CloudFront to finish (a few minutes). Without a
// distribution, or with nothing to invalidate, it does nothing and
// returns nil. Once the invalidation has started it deletes PendingKey; if
// it fails, PendingKey stays and the next deploy asks again.
func Invalidate(ctx context.Context, b *blob.Bucket, p *Plan, opts Options) (*Invalidation, error) {
	dist := opts.Target.CloudFront
	if dist == "" || len(p.Invalidate) == 0 {
		return nil, nil
	}
	paths, count := p.CDNPaths()
	cctx, cancel := context.WithTimeout(ctx, cdnTimeout)
	defer cancel()
	// credentials and region come from the environment, as for S3
	cfg, err := awsconfig.LoadDefaultConfig(cctx)
	if err != nil {
		return nil, explainCDN(ctx, opts.Target, len(p.Invalidate), err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // CloudFront is global; its API is signed for us-east-1
	}
	out, err := cloudfront.NewFromConfig(cfg).CreateInvalidation(cctx, &cloudfront.CreateInvalidationInput{
		DistributionId: aws.String(dist),
		InvalidationBatch: &cftypes.InvalidationBatch{
			// unique per deploy; the SDK's own retries send the same one,
			// so CloudFront makes one invalidation of them
			CallerReference: aws.String(fmt.Sprintf("otpress %s %s", opts.Target.Name, time.Now().UTC().Format("2006-01-02T15:04:05.000000000Z"))),
			Paths:           &cftypes.Paths{Quantity: aws.Int32(int32(len(paths))), Items: paths},
		},
	})
	if err != nil {
		return nil, explainCDN(ctx, opts.Target, len(p.Invalidate), err)
	}
	inv := &Invalidation{Distribution: dist, Paths: paths, Count: count}
	if out.Invalidation != nil {
		inv.ID = aws.ToString(out.Invalidation.Id)
	}
	if err := b.Delete(ctx, PendingKey); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return inv, explain(opts.Target, "delete "+PendingKey+" after starting the invalidation (the next deploy will invalidate its paths again)", err)
	}
	return inv, nil
}
