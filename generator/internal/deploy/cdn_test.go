package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/otpress/otpress/generator/internal/deploy/cloudfronttest"
)

// cdnFixture deploys to a folder bucket with a CloudFront distribution in
// front, played by a fake CloudFront the SDK is pointed at through the
// environment.
func cdnFixture(t *testing.T) (*fixture, *cloudfronttest.Server) {
	srv := cloudfronttest.New()
	t.Cleanup(srv.Close)
	for k, v := range srv.Env() {
		t.Setenv(k, v)
	}
	f := newFixture(t)
	f.target.CloudFront = cloudfronttest.Distribution
	return f, srv
}

// deployCDN deploys as the command does: plan, apply, then invalidate.
func (f *fixture) deployCDN(t *testing.T) (*Plan, *Invalidation, error) {
	t.Helper()
	p, _, _, err := f.deploy(t, context.Background(), false, nil)
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	opts := Options{Target: f.target, Settings: settings(), Dir: f.site}
	inv, err := Invalidate(context.Background(), f.bucket, p, opts)
	return p, inv, err
}

func (f *fixture) pendingHeld(t *testing.T) []string {
	t.Helper()
	ok, err := f.bucket.Exists(context.Background(), PendingKey)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return nil
	}
	paths, err := readPending(context.Background(), f.bucket)
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func TestInvalidateChangedAndDeleted(t *testing.T) {
	f, srv := cdnFixture(t)
	writeSite(t, f.site, map[string]string{"files/a b/café.pdf": "%PDF one", "css/site.0a1b2c3d4e.css": "a {}"})
	// the first deploy only adds files: nothing is cached to drop
	if _, inv, err := f.deployCDN(t); err != nil || inv != nil || len(srv.Calls()) != 0 {
		t.Fatalf("first deploy: %+v, %v, calls %v", inv, err, srv.Calls())
	}
	writeSite(t, f.site, map[string]string{
		"index.html":               "<html>home, new</html>",
		"stories/denis/index.html": "<html>Denis, changed</html>",
		"files/a b/café.pdf":       "%PDF two",
		"pictures/new.png":         "\x89PNG new",
		"css/site.0a1b2c3d4e.css":  "b {}", // named by its hash: never invalidated
	})
	os.Remove(filepath.Join(f.site, "stories/ana/index.html"))
	_, inv, err := f.deployCDN(t)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/", "/files/a%20b/caf%C3%A9.pdf", "/index.html", "/stories/ana/", "/stories/ana/index.html", "/stories/denis/", "/stories/denis/index.html"}
	calls := srv.Calls()
	if len(calls) != 1 || !slices.Equal(calls[0].Paths, want) {
		t.Fatalf("calls = %+v; want one with %q", calls, want)
	}
	if c := calls[0]; c.Distribution != cloudfronttest.Distribution || c.Region != "us-east-1" || !strings.HasPrefix(c.CallerReference, "otpress test ") {
		t.Errorf("call = %+v", c)
	}
	if inv == nil || inv.ID != "I2EXAMPLE00001" || inv.Distribution != cloudfronttest.Distribution || !slices.Equal(inv.Paths, want) || inv.Count != len(want) {
		t.Errorf("invalidation = %+v", inv)
	}
	if got := f.pendingHeld(t); got != nil {
		t.Errorf("after the invalidation the bucket still holds %s: %q", PendingKey, got)
	}
	// nothing changed: no call
	if p, inv, err := f.deployCDN(t); err != nil || inv != nil || len(p.Invalidate) != 0 || len(srv.Calls()) != 1 {
		t.Errorf("deploy with nothing changed: %+v, %+v, %v, calls %d", p.Invalidate, inv, err, len(srv.Calls()))
	}
}

// A deploy's second call has a CallerReference of its own, or CloudFront
// would take it for the first one sent again.
func TestInvalidateCallerReference(t *testing.T) {
	f, srv := cdnFixture(t)
	f.deployCDN(t)
	for _, text := range []string{"one", "two"} {
		writeSite(t, f.site, map[string]string{"robots.txt": text})
		if _, _, err := f.deployCDN(t); err != nil {
			t.Fatal(err)
		}
	}
	calls := srv.Calls()
	if len(calls) != 2 || calls[0].CallerReference == calls[1].CallerReference {
		t.Errorf("calls = %+v", calls)
	}
}

func TestInvalidateNotConfigured(t *testing.T) {
	f, srv := cdnFixture(t)
	f.target.CloudFront = ""
	f.deployCDN(t)
	writeSite(t, f.site, map[string]string{"index.html": "<html>home, new</html>"})
	p, inv, err := f.deployCDN(t)
	if err != nil || inv != nil || p.Invalidate != nil || len(srv.Calls()) != 0 {
		t.Errorf("without cloudfront: %q, %+v, %v, calls %v", p.Invalidate, inv, err, srv.Calls())
	}
	if ok, _ := f.bucket.Exists(context.Background(), PendingKey); ok {
		t.Errorf("a target without cloudfront was left %s", PendingKey)
	}
}

// Up to MaxInvalidationPaths paths are named one by one; above, "/*".
func TestInvalidateWildcard(t *testing.T) {
	for _, tt := range []struct {
		pages int // each both /p/N/ and /p/N/index.html
		want  []string
	}{
		{MaxInvalidationPaths / 2, nil},
		{MaxInvalidationPaths/2 + 1, []string{"/*"}},
	} {
		t.Run(fmt.Sprint(tt.pages), func(t *testing.T) {
			f, srv := cdnFixture(t)
			pages := func(text string) map[string]string {
				m := map[string]string{}
				for i := range tt.pages {
					m[fmt.Sprintf("p/%03d/index.html", i)] = text
				}
				return m
			}
			writeSite(t, f.site, pages("old"))
			f.deployCDN(t)
			writeSite(t, f.site, pages("new"))
			_, inv, err := f.deployCDN(t)
			calls := srv.Calls()
			if err != nil || len(calls) != 1 {
				t.Fatalf("%v, calls %v", err, calls)
			}
			if tt.want == nil {
				if len(calls[0].Paths) != 2*tt.pages || !slices.Contains(calls[0].Paths, "/p/007/") {
					t.Errorf("sent %d paths: %q", len(calls[0].Paths), calls[0].Paths)
				}
			} else if !slices.Equal(calls[0].Paths, tt.want) || inv.Count != 2*tt.pages {
				t.Errorf("sent %q (count %d); want %q", calls[0].Paths, inv.Count, tt.want)
			}
		})
	}
}

func TestCDNPaths(t *testing.T) {
	for _, tt := range []struct {
		site []string
		want []string
	}{
		{[]string{"/index.html"}, []string{"/", "/index.html"}},
		{[]string{"/cy/straeon/index.html", "/css/main.css"}, []string{"/css/main.css", "/cy/straeon/", "/cy/straeon/index.html"}},
		{[]string{"/a b/ça.html"}, []string{"/a%20b/%C3%A7a.html"}},
		{[]string{`/x"#%<>?[\]^{|}~` + "`.txt"}, []string{"/x%22%23%25%3C%3E%3F%5B%5C%5D%5E%7B%7C%7D%7E%60.txt"}},
		{[]string{"/keep-these_.!$&'()+,;=:@.txt"}, []string{"/keep-these_.!$&'()+,;=:@.txt"}},
		{[]string{"/a*b/c.png"}, []string{"/a*"}}, // a wildcard comes last
		{[]string{"/*", "/index.html"}, []string{"/*"}},
		{nil, nil},
	} {
		if got, _ := CDNPaths(tt.site); !slices.Equal(got, tt.want) {
			t.Errorf("CDNPaths(%q) = %q; want %q", tt.site, got, tt.want)
		}
	}
}

// A refused invalidation leaves the deploy done and the paths pending; the
// next deploy, though nothing changed since, sends them with whatever
// changed meanwhile, and clears them once CloudFront takes them.
func TestInvalidateRetriedAfterFailure(t *testing.T) {
	for _, tt := range []struct {
		name, code    string
		msg, hint     string
		wrongID, deny bool
	}{
		{name: "403", deny: true,
			msg:  "deploy to test: CloudFront refused to invalidate distribution E2EXAMPLE1ABCD (403, access denied): ",
			hint: "allow the credentials cloudfront:CreateInvalidation on arn:aws:cloudfront::ACCOUNT:distribution/E2EXAMPLE1ABCD"},
		{name: "no such distribution", wrongID: true,
			msg:  "deploy to test: CloudFront has no distribution E9WRONG1ABCDE: ",
			hint: `check cloudfront in the target "test" in site.toml: it is the distribution's ID`},
		{name: "too many", code: "TooManyInvalidationsInProgress",
			msg:  "deploy to test: CloudFront distribution E2EXAMPLE1ABCD has too many invalidations in progress",
			hint: "wait a few minutes for them to finish"},
		{name: "other", code: "ServiceUnavailable",
			msg:  "deploy to test: could not invalidate CloudFront distribution E2EXAMPLE1ABCD",
			hint: "aws cloudfront create-invalidation --distribution-id E2EXAMPLE1ABCD --paths '/*'"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := cdnFixture(t)
			f.deployCDN(t)
			writeSite(t, f.site, map[string]string{"stories/denis/index.html": "<html>Denis, changed</html>"})
			switch {
			case tt.deny:
				t.Setenv("AWS_ACCESS_KEY_ID", cloudfronttest.DeniedKey)
			case tt.wrongID:
				f.target.CloudFront = "E9WRONG1ABCDE"
			default:
				srv.Fail(tt.code)
			}
			_, inv, err := f.deployCDN(t)
			var te *TargetError
			if !errors.As(err, &te) || inv != nil {
				t.Fatalf("err = %v, invalidation %+v; want a TargetError", err, inv)
			}
			if !strings.HasPrefix(te.Msg, tt.msg) || !strings.Contains(te.Hint, tt.hint) || te.Distribution != f.target.CloudFront ||
				!strings.Contains(te.Hint, "the next deploy asks CloudFront again to drop its copies of the 1 file changed or deleted (listed in the bucket's .otpress/invalidate.json)") {
				t.Errorf("message = %q\nhint = %q", te.Msg, te.Hint)
			}
			if got := f.remote(t)["stories/denis/index.html"]; got != "<html>Denis, changed</html>" {
				t.Errorf("the failed invalidation undid the upload: %q", got)
			}
			if got := f.pendingHeld(t); !slices.Equal(got, []string{"/stories/denis/index.html"}) {
				t.Errorf("pending = %q", got)
			}

			// fixed, with another page changed meanwhile
			t.Setenv("AWS_ACCESS_KEY_ID", cloudfronttest.Key)
			f.target.CloudFront = cloudfronttest.Distribution
			srv.Fail("")
			writeSite(t, f.site, map[string]string{"stories/ana/index.html": "<html>Ana, changed</html>"})
			p, inv, err := f.deployCDN(t)
			if err != nil || inv == nil {
				t.Fatalf("next deploy: %+v, %v", inv, err)
			}
			if want := []string{"/stories/ana/index.html", "/stories/denis/index.html"}; !slices.Equal(p.Invalidate, want) {
				t.Errorf("next deploy's plan invalidates %q; want %q", p.Invalidate, want)
			}
			calls := srv.Calls()
			want := []string{"/stories/ana/", "/stories/ana/index.html", "/stories/denis/", "/stories/denis/index.html"}
			if len(calls) != 1 || !slices.Equal(calls[0].Paths, want) {
				t.Errorf("calls = %+v; want one with %q", calls, want)
			}
			if got := f.pendingHeld(t); got != nil {
				t.Errorf("pending after the retry = %q", got)
			}
			if _, inv, err := f.deployCDN(t); inv != nil || err != nil || len(srv.Calls()) != 1 {
				t.Errorf("the deploy after: %+v, %v", inv, err)
			}
		})
	}
}

func TestInvalidateCredentials(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
	}{
		{"none", map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}},
		{"unknown key", map[string]string{"AWS_ACCESS_KEY_ID": "OTHERKEY"}},
		{"missing profile", map[string]string{"AWS_PROFILE": "nosuchprofile"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := cdnFixture(t)
			f.deployCDN(t)
			writeSite(t, f.site, map[string]string{"index.html": "<html>home, new</html>"})
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, _, err := f.deployCDN(t)
			var te *TargetError
			if !errors.As(err, &te) || len(srv.Calls()) != 0 {
				t.Fatalf("err = %v, calls %v", err, srv.Calls())
			}
			if !strings.HasPrefix(te.Msg, "deploy to test: no usable AWS credentials to invalidate CloudFront distribution E2EXAMPLE1ABCD: ") ||
				!strings.HasPrefix(te.Hint, "give the deploy AWS credentials allowed cloudfront:CreateInvalidation, in the environment (never in site.toml): AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY") {
				t.Errorf("message = %q\nhint = %q", te.Msg, te.Hint)
			}
			if got := f.pendingHeld(t); !slices.Equal(got, []string{"/index.html"}) {
				t.Errorf("pending = %q", got)
			}
		})
	}
}

func TestInvalidateUnreachable(t *testing.T) {
	f, _ := cdnFixture(t)
	// an address nothing listens on
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + l.Addr().String()
	l.Close()
	t.Setenv("AWS_ENDPOINT_URL_CLOUDFRONT", addr)
	f.deployCDN(t)
	writeSite(t, f.site, map[string]string{"index.html": "<html>home, new</html>"})
	_, _, err = f.deployCDN(t)
	var te *TargetError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v", err)
	}
	if !strings.HasPrefix(te.Msg, "deploy to test: cannot reach CloudFront to invalidate distribution E2EXAMPLE1ABCD: ") ||
		!strings.Contains(te.Hint, "check the network, and AWS_ENDPOINT_URL_CLOUDFRONT="+addr+" in the environment") {
		t.Errorf("message = %q\nhint = %q", te.Msg, te.Hint)
	}
	if got := f.pendingHeld(t); !slices.Equal(got, []string{"/index.html"}) {
		t.Errorf("pending = %q", got)
	}
}

// Paths an interrupted deploy left are sent by the next, even when its
// deletions were done and the bucket lists them no more; a pending list
// that cannot be read stands for every path.
func TestInvalidatePendingKept(t *testing.T) {
	f, srv := cdnFixture(t)
	f.deployCDN(t)
	ctx := context.Background()
	if err := writePending(ctx, f.bucket, f.target.CloudFront, []string{"/gone/index.html"}); err != nil {
		t.Fatal(err)
	}
	_, inv, err := f.deployCDN(t)
	if err != nil || inv == nil || !slices.Equal(srv.Calls()[0].Paths, []string{"/gone/", "/gone/index.html"}) {
		t.Fatalf("%+v, %v, calls %v", inv, err, srv.Calls())
	}
	if err := f.bucket.WriteAll(ctx, PendingKey, []byte("{not json"), nil); err != nil {
		t.Fatal(err)
	}
	_, inv, err = f.deployCDN(t)
	if err != nil || inv == nil || !slices.Equal(srv.Calls()[1].Paths, []string{"/*"}) {
		t.Fatalf("%+v, %v, calls %v", inv, err, srv.Calls())
	}
}

// A deploy stopped among its deletions has written the paths to
// invalidate before the manifest: the next deploy sends the deleted file
// the bucket no longer lists with the one it deletes itself.
func TestInvalidateAfterStoppedDeletions(t *testing.T) {
	f, srv := cdnFixture(t)
	f.deployCDN(t)
	os.Remove(filepath.Join(f.site, "stories/ana/index.html"))
	os.Remove(filepath.Join(f.site, "stories/denis/index.html"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, _, ops, err := f.deploy(t, ctx, false, func(op Op) {
		if op.Kind == "delete" {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || len(paths(ops, "delete")) != 1 {
		t.Fatalf("stopped deploy: %v, %v", err, ops)
	}
	p, inv, err := f.deployCDN(t)
	if err != nil || inv == nil || len(p.Deletes) != 1 {
		t.Fatalf("next deploy: %+v, %v, deletes %q", inv, err, p.Deletes)
	}
	want := []string{"/stories/ana/", "/stories/ana/index.html", "/stories/denis/", "/stories/denis/index.html"}
	if calls := srv.Calls(); len(calls) != 1 || !slices.Equal(calls[0].Paths, want) {
		t.Errorf("calls = %+v; want one with %q", calls, want)
	}
}
