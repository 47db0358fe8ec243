package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/otpress/otpress/generator/internal/deploy/cloudfronttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the real CLI in-process as "generator".
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"generator":         main,
		"generator-limited": limitedMain,
	})
}

// TestScripts runs testdata/script/*.txtar: each is a small site and the
// commands an editor would type, with the output they should see. Each
// script has a CloudFront of its own, which the AWS SDK is pointed at
// through the environment; it appends each invalidation's paths to
// $WORK/cloudfront.log.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Setup: func(env *testscript.Env) error {
		cf := cloudfronttest.New()
		cf.Log = filepath.Join(env.WorkDir, "cloudfront.log")
		env.Defer(cf.Close)
		for k, v := range cf.Env() {
			env.Setenv(k, v)
		}
		return nil
	}})
}

// A deploy stopped by a signal has said how far it got; it does not claim
// the bucket is as it was.
func TestStopSaid(t *testing.T) {
	stop := stopped{syscall.SIGINT}
	if got := stopSaid("build", stop); got != "generator: stopped by a signal (interrupt) before the end; the previous output is as it was." {
		t.Errorf("build: %q", got)
	}
	if got := stopSaid("deploy", stop); strings.Contains(got, "as it was") || !strings.HasPrefix(got, "generator: stopped by a signal (interrupt)") {
		t.Errorf("deploy: %q", got)
	}
}
