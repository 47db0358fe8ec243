package deploy

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/otpress/otpress/generator/internal/config"
)

// s3Fixture deploys to an S3 server in the test, opened through s3blob
// as a real bucket would be, with credentials from the environment. The
// server answers 403 to any key but the test's.
func s3Fixture(t *testing.T) *fixture {
	mem := s3mem.New()
	if err := mem.CreateBucket("site"); err != nil {
		t.Fatal(err)
	}
	fake := gofakes3.New(mem).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Authorization"), "Credential=TESTKEY/") {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`))
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "TESTKEY")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "TESTSECRET")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	f := &fixture{site: t.TempDir()}
	f.target = config.Target{Name: "live", URL: "s3://site?region=eu-west-2&use_path_style=true&endpoint=" + srv.URL}
	writeSite(t, f.site, siteFiles)
	b, err := Open(context.Background(), f.target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	f.bucket = b
	return f
}

func TestS3(t *testing.T) {
	f := s3Fixture(t)
	ctx := context.Background()
	_, res, _, err := f.deploy(t, ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Uploaded != len(siteFiles) {
		t.Errorf("first deploy = %+v", res)
	}
	f.checkSame(t, siteFiles)
	// (gofakes3 keeps no Cache-Control; TestMetadata checks it)
	a, err := f.bucket.Attributes(ctx, "css/main.css")
	if err != nil || a.ContentEncoding != "gzip" || a.ContentType != "text/css; charset=utf-8" {
		t.Errorf("css/main.css: %+v, %v", a, err)
	}

	writeSite(t, f.site, map[string]string{"stories/denis/index.html": "<html>Denis, changed</html>"})
	_, res, ops, err := f.deploy(t, ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(ops, "upload"); !slices.Equal(got, []string{"/stories/denis/index.html"}) || res.Unchanged != len(siteFiles)-1 {
		t.Errorf("second deploy uploaded %v (%+v)", got, res)
	}

	// without the manifest, the objects' ETags (their MD5) show them the same
	if err := f.bucket.Delete(ctx, ManifestKey); err != nil {
		t.Fatal(err)
	}
	if _, res, _, err := f.deploy(t, ctx, false, nil); err != nil || res.Uploaded != 0 {
		t.Errorf("deploy without a manifest: %+v, %v", res, err)
	}
}

func TestS3Refused(t *testing.T) {
	f := s3Fixture(t)
	os.Setenv("AWS_ACCESS_KEY_ID", "WRONGKEY") // t.Setenv restores it
	b, err := Open(context.Background(), f.target)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	f.bucket = b
	_, _, _, err = f.deploy(t, context.Background(), false, nil)
	var te *TargetError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v; want a TargetError", err)
	}
	if !strings.Contains(te.Msg, "deploy to live: the bucket refused to let us list the bucket (403, access denied)") ||
		!strings.Contains(te.Hint, "check the bucket's policy") || !strings.Contains(te.Hint, "AWS_ACCESS_KEY_ID") {
		t.Errorf("message = %q\nhint = %q", te.Msg, te.Hint)
	}
}
