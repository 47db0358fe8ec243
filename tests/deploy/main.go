// Command deploy tests generator deploy end to end against emulators of
// the three clouds, each run as a process: an S3 server (gofakes3,
// tests/deploy/s3server), Azurite for Azure Blob Storage and
// fake-gcs-server for Google Cloud Storage. For each, through a proxy
// that notes every upload and delete the server takes, it deploys the
// example site and checks:
//
//   - every file is in the bucket, byte for byte, with its Content-Type,
//     Content-Encoding (gzip where a matcher says) and Cache-Control;
//   - a deploy with nothing changed uploads nothing, nor one after the
//     manifest is lost (the listing's MD5s show the files the same);
//   - after one story is changed and another deleted, exactly the files
//     whose bytes changed are uploaded and the deleted ones removed;
//   - a deploy killed after 10 uploads (SIGINT or SIGKILL) is finished by
//     the next, after which the bucket matches the folder and a further
//     deploy uploads nothing.
//
// Then tests/browser/deploy.mjs serves each bucket through a CDN-like
// proxy and opens pages in Chromium. Any failure exits 1.
//
//	go run ./tests/deploy -otpress BIN -work DIR -s3server BIN -azurite BIN -fake-gcs BIN [-site DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gocloud.dev/blob"
)

const (
	bucketName = "site"
	killAfter  = 10 // uploads let through before a deploy is killed
)

var (
	otpress = flag.String("otpress", "", "the generator `binary` (go build -o BIN ./generator)")
	siteDir = flag.String("site", ".", "the `folder` holding the example site (content, data, static, site.toml)")
	workDir = flag.String("work", "", "a `folder` for the sites, builds and servers' pids (servers.pid)")
	s3Bin   = flag.String("s3server", "", "the S3 server `binary` (go build -o BIN ./tests/deploy/s3server)")
	azBin   = flag.String("azurite", "", "Azurite's blob service `program` (tests/browser/node_modules/.bin/azurite-blob)")
	gcsBin  = flag.String("fake-gcs", "", "the fake-gcs-server `binary` (go install github.com/fsouza/fake-gcs-server@v1.56.1)")
	browser = flag.String("browser", "tests/browser/deploy.mjs", "the browser test `script`, run with node")
)

// target is one cloud's server, its wire, and the deploy target for it.
type target struct {
	name     string // the [[deploy.targets]] name
	srv      *server
	wire     *wire
	wireAddr string
	url      string // the target's url, through the wire
	objects  string // objectURL template, straight to the server
	signal   syscall.Signal
	bucket   *blob.Bucket
}

var (
	failures, passes int
	srcDir           string // the copy of the example site
)

// check prints a PASS or FAIL line.
func check(name string, ok bool, detail string, args ...any) bool {
	if ok {
		passes++
		fmt.Println("PASS", name)
		return true
	}
	failures++
	fmt.Printf("FAIL %s — %s\n", name, fmt.Sprintf(detail, args...))
	return false
}

// fatal stops the test at an error no later check could pass.
func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "deploy emulator test: "+format+"\n", args...)
	stopServers()
	os.Exit(1)
}

func main() {
	flag.Parse()
	if *otpress == "" || *workDir == "" || *s3Bin == "" || *azBin == "" || *gcsBin == "" {
		flag.Usage()
		os.Exit(2)
	}
	start := time.Now()
	ctx := context.Background()
	work := absolute(*workDir)
	if err := os.MkdirAll(filepath.Join(work, "servers"), 0o755); err != nil {
		fatal("%v", err)
	}
	pidFile = filepath.Join(work, "servers.pid")

	s3, err := startS3(absolute(*s3Bin), filepath.Join(work, "servers"), bucketName)
	if err != nil {
		fatal("%v", err)
	}
	az, err := startAzurite(absolute(*azBin), filepath.Join(work, "servers"), bucketName)
	if err != nil {
		fatal("%v", err)
	}
	gcs, err := startGCS(absolute(*gcsBin), filepath.Join(work, "servers"), bucketName)
	if err != nil {
		fatal("%v", err)
	}
	defer stopServers()
	fmt.Printf("servers: S3 at %s, Azurite at %s, fake-gcs-server at %s (%.1f s)\n", s3.addr, az.addr, gcs.addr, time.Since(start).Seconds())

	targets := []*target{
		{name: "s3", srv: s3, wire: newWire("s3", bucketName, s3.addr), signal: syscall.SIGINT,
			objects: "http://" + s3.addr + "/" + bucketName + "/{path}"},
		{name: "azure", srv: az, wire: newWire("azure", bucketName, az.addr), signal: syscall.SIGKILL,
			objects: "http://" + az.addr + "/" + azureAccount + "/" + bucketName + "/{path}"},
		{name: "gcs", srv: gcs, wire: newWire("gcs", bucketName, gcs.addr), signal: syscall.SIGINT,
			objects: "http://" + gcs.addr + "/download/storage/v1/b/" + bucketName + "/o/{key}?alt=media"},
	}
	for _, t := range targets {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fatal("%v", err)
		}
		go http.Serve(ln, t.wire)
		t.wireAddr = ln.Addr().String()
	}
	targets[0].url = "s3://" + bucketName + "?region=eu-west-2&use_path_style=true&endpoint=http://" + targets[0].wireAddr
	targets[1].url = "azblob://" + bucketName + "?protocol=http&localemu=true&domain=" + targets[1].wireAddr
	targets[2].url = "gs://" + bucketName

	// credentials as each SDK reads them, for generator deploy and for us
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "otpress", "AWS_SECRET_ACCESS_KEY": "otpress-secret", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": filepath.Join(work, "no-aws-config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(work, "no-aws-credentials"),
		"AWS_EC2_METADATA_DISABLED": "true",
		"AZURE_STORAGE_ACCOUNT":     azureAccount, "AZURE_STORAGE_KEY": azureKey,
		"AZURE_STORAGE_SAS_TOKEN": "", "AZURE_STORAGE_CONNECTION_STRING": "", "AZURE_STORAGEBLOB_CONNECTIONSTRING": "",
		"STORAGE_EMULATOR_HOST": targets[2].wireAddr,
	} {
		os.Setenv(k, v)
	}
	for _, t := range targets {
		if t.bucket, err = blob.OpenBucket(ctx, t.url); err != nil {
			fatal("open %s: %v", t.url, err)
		}
		defer t.bucket.Close()
	}

	// the example site and two later versions of it
	src := filepath.Join(work, "site")
	srcDir = src
	config := "\n[deploy]\nmax_deletes = 0.25\n"
	for _, t := range targets {
		config += fmt.Sprintf("\n[[deploy.targets]]\nname = %q\nurl = %q\n", t.name, t.url)
	}
	config += fmt.Sprintf("\n[[deploy.targets]]\nname = \"nowhere\"\nurl = %q\n", "s3://"+bucketName+"?region=eu-west-2&use_path_style=true&endpoint=http://"+closedAddr())
	config += matchers
	builds := buildSites(src, config, work)

	for _, t := range targets {
		t.run(ctx, builds)
	}
	unreachable(builds[0])

	// the site as served from each bucket, in Chromium
	args := []string{absolute(*browser), "--asset-cache", assetCache}
	for _, t := range targets {
		args = append(args, t.name+"="+t.objects)
	}
	cmd := exec.Command("node", args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	check("the site served from each bucket renders in Chromium (tests/browser/deploy.mjs)", cmd.Run() == nil, "see its FAIL lines above")

	fmt.Printf("deploy to emulators: %d passed, %d failed (%.1f s)\n", passes, failures, time.Since(start).Seconds())
	if failures > 0 {
		stopServers()
		os.Exit(1)
	}
}

// build is one version of the site, built.
type build struct {
	what  string
	dir   string
	files map[string][]byte
}

// buildSites copies the example site into src with the deploy config
// and builds it three times: as it is; with one story changed and
// another deleted; with the site's title changed (every page changes).
func buildSites(src, config, work string) []build {
	var out []build
	if err := os.MkdirAll(src, 0o755); err != nil {
		fatal("%v", err)
	}
	cp := exec.Command("cp", "-r", "content", "data", "static", "site.toml", src)
	cp.Dir = *siteDir
	if msg, err := cp.CombinedOutput(); err != nil {
		fatal("copy the example site from %s: %v\n%s", *siteDir, err, msg)
	}
	edit(filepath.Join(src, "site.toml"), func(s string) string { return s + config })
	add := func(what string) {
		dir := filepath.Join(work, fmt.Sprintf("public%d", len(out)+1))
		cmd := exec.Command(absolute(*otpress), "build", "-s", src, "-d", dir)
		if msg, err := cmd.CombinedOutput(); err != nil {
			fatal("build %s: %v\n%s", what, err, msg)
		}
		f, err := files(dir)
		if err != nil {
			fatal("%v", err)
		}
		out = append(out, build{what, dir, f})
	}
	add("the example site")

	edit(filepath.Join(src, "content/stories/denis.md"), func(s string) string {
		return s + "\nA sentence added by the deploy test.\n"
	})
	if err := os.Remove(filepath.Join(src, "content/stories/dylan.md")); err != nil {
		fatal("%v", err)
	}
	edit(filepath.Join(src, "content/packs/personalised-care-in-practice.md"), func(s string) string {
		// the pack's item for Dylan's story, up to the next item
		return regexp.MustCompile(`(?m)^  - ref: stories/dylan\n(^    .*\n)*`).ReplaceAllString(s, "")
	})
	add("Denis's story changed, Dylan's deleted")

	edit(filepath.Join(src, "site.toml"), func(s string) string {
		return regexp.MustCompile(`(?m)^title = "(.*)"`).ReplaceAllString(s, `title = "$1, deployed"`)
	})
	add("the site's title changed")
	return out
}

// edit changes a file of the copied site; a change that changes nothing
// means the example site is not as this test expects.
func edit(file string, change func(string) string) {
	data, err := os.ReadFile(file)
	if err != nil {
		fatal("%v", err)
	}
	s := change(string(data))
	if s == string(data) {
		fatal("the edit to %s changed nothing: the example site is not as tests/deploy/main.go expects; update buildSites", file)
	}
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		fatal("%v", err)
	}
}

// outcome is one generator deploy: how it ended, what it said, and what
// the wire saw the server take.
type outcome struct {
	err            error
	stdout, stderr string
	uploaded       []string // by the wire, the manifest aside
	deleted        []string
	manifest       bool // the manifest was written
	unknown        []string
	summary        []int // uploaded, deleted, unchanged, as the summary line says
}

var summaryRe = regexp.MustCompile(`(?m)^Deployed to (\S+): ([\d,]+) uploaded \([^)]*\), ([\d,]+) deleted, ([\d,]+) unchanged in \d+\.\d s\.$`)

// deploy runs generator deploy of the build to t; armed, it sends t's
// signal once the wire has let killAfter uploads through.
func (t *target) deploy(b build, armed bool, env ...string) outcome {
	cmd := exec.Command(absolute(*otpress), "deploy", "-s", srcDir, "-d", b.dir, "--target", t.name)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // dies with us
	var reached <-chan struct{}
	if armed {
		reached = t.wire.arm(killAfter)
	}
	if err := cmd.Start(); err != nil {
		fatal("%v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var o outcome
	select {
	case o.err = <-exited:
	case <-reached:
		cmd.Process.Signal(t.signal)
		select {
		case o.err = <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
			o.err = fmt.Errorf("still running 30 s after %v; killed", t.signal)
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		o.err = fmt.Errorf("still running after 2 minutes; killed")
		<-exited
	}
	t.wire.disarm()
	o.stdout, o.stderr = stdout.String(), stderr.String()
	ops, unknown := t.wire.take()
	o.unknown = unknown
	for _, op := range ops {
		switch {
		case op.path == "/.otpress/deploy.json":
			o.manifest = true
		case op.kind == "upload":
			o.uploaded = append(o.uploaded, op.path)
		case op.kind == "delete":
			o.deleted = append(o.deleted, op.path)
		}
	}
	slices.Sort(o.uploaded)
	slices.Sort(o.deleted)
	if m := summaryRe.FindStringSubmatch(o.stdout); m != nil && m[1] == t.name {
		for _, s := range m[2:] {
			o.summary = append(o.summary, atoi(s))
		}
	}
	return o
}

// ok checks that a deploy succeeded and said what it did.
func (t *target) ok(step string, o outcome) bool {
	return check(t.name+": "+step+": generator deploy succeeds and prints its summary",
		o.err == nil && o.summary != nil && len(o.unknown) == 0,
		"%v; unknown writes %v\nstdout:\n%s\nstderr:\n%s", o.err, o.unknown, o.stdout, o.stderr)
}

// matches checks the bucket against the build.
func (t *target) matches(ctx context.Context, step string, b build) {
	problems := compare(ctx, t.bucket, t.objects, b.files)
	check(fmt.Sprintf("%s: %s: the bucket holds exactly the %d files of %s, bytes and headers", t.name, step, len(b.files), b.what),
		len(problems) == 0, "\n  %s", strings.Join(problems, "\n  "))
	problems = compareManifest(ctx, t.bucket, b.files)
	check(fmt.Sprintf("%s: %s: the manifest, read through the SDK, records each file's sha256 and headers", t.name, step),
		len(problems) == 0, "\n  %s", strings.Join(problems, "\n  "))
}

func (t *target) run(ctx context.Context, builds []build) {
	first, second, third := builds[0], builds[1], builds[2]
	all := slices.Sorted(maps.Keys(first.files))

	step := "first deploy"
	o := t.deploy(first, false)
	if !t.ok(step, o) {
		return
	}
	check(t.name+": "+step+": every file is uploaded, once, and the manifest written",
		slices.Equal(o.uploaded, all) && o.manifest && len(o.deleted) == 0,
		"the server took %d uploads (want %d), manifest %v, deletes %v", len(o.uploaded), len(all), o.manifest, o.deleted)
	check(t.name+": "+step+": the summary counts them", slices.Equal(o.summary, []int{len(all), 0, 0}), "%v", o.summary)
	t.matches(ctx, step, first)

	step = "nothing changed"
	o = t.deploy(first, false)
	if !t.ok(step, o) {
		return
	}
	check(t.name+": "+step+": nothing is uploaded or deleted", len(o.uploaded) == 0 && len(o.deleted) == 0 && slices.Equal(o.summary, []int{0, 0, len(all)}),
		"uploaded %v, deleted %v, summary %v", o.uploaded, o.deleted, o.summary)

	step = "the manifest lost"
	if err := t.bucket.Delete(ctx, ".otpress/deploy.json"); err != nil {
		fatal("%s: delete the manifest: %v", t.name, err)
	}
	t.wire.take()
	o = t.deploy(first, false)
	if !t.ok(step, o) {
		return
	}
	check(t.name+": "+step+": nothing is uploaded (the MD5s in the listing show the files the same), and the manifest is written again",
		len(o.uploaded) == 0 && len(o.deleted) == 0 && o.manifest, "uploaded %v, deleted %v, manifest %v", o.uploaded, o.deleted, o.manifest)
	t.matches(ctx, step, first)

	step = "a story changed and one deleted"
	changed, gone := diff(first.files, second.files)
	o = t.deploy(second, false)
	if !t.ok(step, o) {
		return
	}
	check(fmt.Sprintf("%s: %s: exactly the %d files whose bytes changed are uploaded", t.name, step, len(changed)),
		slices.Equal(o.uploaded, changed), "uploaded %d: %v\nchanged %d: %v", len(o.uploaded), o.uploaded, len(changed), changed)
	check(fmt.Sprintf("%s: %s: the %d files gone are deleted (%s)", t.name, step, len(gone), strings.Join(gone, ", ")),
		slices.Equal(o.deleted, gone) && slices.Contains(gone, "/stories/dylan/index.html"), "deleted %v", o.deleted)
	check(t.name+": "+step+": the summary counts them", slices.Equal(o.summary, []int{len(changed), len(gone), len(second.files) - len(changed)}), "%v", o.summary)
	t.matches(ctx, step, second)

	step = fmt.Sprintf("SIGKILL after %d uploads", killAfter)
	if t.signal == syscall.SIGINT {
		step = fmt.Sprintf("SIGINT after %d uploads", killAfter)
	}
	changed, gone = diff(second.files, third.files)
	o = t.deploy(third, true)
	stopped := false
	if t.signal == syscall.SIGINT {
		m := regexp.MustCompile(`the deploy to ` + t.name + ` stopped after (\d+) of ([\d,]+); the next deploy uploads the rest\.`).FindStringSubmatch(o.stderr)
		stopped = exitCode(o.err) == 130 && m != nil && atoi(m[1]) <= killAfter && atoi(m[2]) == len(changed)
	} else {
		stopped = signalled(o.err, syscall.SIGKILL)
	}
	check(t.name+": "+step+": it stops", stopped, "%v\nstderr:\n%s", o.err, o.stderr)
	check(fmt.Sprintf("%s: %s: the server took those %d uploads of the %d, no deletes, no manifest", t.name, step, killAfter, len(changed)),
		len(o.uploaded) == killAfter && len(o.deleted) == 0 && !o.manifest && len(o.unknown) == 0,
		"uploads %d, deletes %v, manifest %v, unknown %v", len(o.uploaded), o.deleted, o.manifest, o.unknown)
	early := o.uploaded

	step = "resumed"
	o = t.deploy(third, false)
	if !t.ok(step, o) {
		return
	}
	rest := slices.DeleteFunc(slices.Clone(changed), func(p string) bool { return slices.Contains(early, p) })
	check(fmt.Sprintf("%s: %s: it uploads the %d changed files the killed deploy did not (%d in all), and nothing unchanged", t.name, step, len(rest), len(o.uploaded)),
		subset(rest, o.uploaded) && subset(o.uploaded, changed) && slices.Equal(o.deleted, gone),
		"uploaded %v\nchanged %v\ndeleted %v", o.uploaded, changed, o.deleted)
	// of those the killed deploy uploaded, only gzipped ones go again (the
	// listing's MD5 is of the compressed bytes, not known without
	// compressing them)
	again := slices.DeleteFunc(slices.Clone(o.uploaded), func(p string) bool { return !slices.Contains(early, p) })
	check(fmt.Sprintf("%s: %s: of the %d files the killed deploy uploaded, only gzipped ones go again (%d)", t.name, step, len(early), len(again)),
		!slices.ContainsFunc(again, func(p string) bool { return !gzipRe.MatchString(p) && !svgRe.MatchString(p) }), "uploaded again: %v", again)
	t.matches(ctx, step, third)
	o = t.deploy(third, false)
	if t.ok("after resuming", o) {
		check(t.name+": after resuming: another deploy uploads nothing", len(o.uploaded) == 0 && len(o.deleted) == 0 && slices.Equal(o.summary, []int{0, 0, len(third.files)}),
			"uploaded %v, deleted %v, summary %v", o.uploaded, o.deleted, o.summary)
	}
	if t.name == "azure" { // Azurite checks the key; the S3 server and fake-gcs-server take any
		o = t.deploy(second, false, "AZURE_STORAGE_KEY=d3Jvbmcga2V5")
		check(t.name+": a wrong key: exit 1, the target named and what to do, nothing changed",
			exitCode(o.err) == 1 && strings.Contains(o.stderr, "generator: deploy to azure: ") && strings.Contains(o.stderr, "\nfix: ") &&
				strings.Contains(o.stderr, "AZURE_STORAGE_KEY") && len(o.uploaded) == 0 && len(o.deleted) == 0,
			"%v\nstderr:\n%s\nuploaded %v, deleted %v", o.err, o.stderr, o.uploaded, o.deleted)
	}
}

// unreachable deploys to a target whose endpoint nothing listens on.
func unreachable(b build) {
	cmd := exec.Command(absolute(*otpress), "deploy", "-s", srcDir, "-d", b.dir, "--target", "nowhere")
	out, err := cmd.CombinedOutput()
	check("an endpoint nothing listens on: exit 1, the target named and what to do",
		exitCode(err) == 1 && strings.Contains(string(out), "generator: deploy to nowhere: cannot reach the bucket") && strings.Contains(string(out), "\nfix: check the network"),
		"%v\n%s", err, out)
}

// atoi reads a count the CLI wrote, with or without commas.
func atoi(s string) int {
	n, _ := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	return n
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func exitCode(err error) int {
	if e, ok := err.(*exec.ExitError); ok {
		return e.ExitCode()
	}
	return 0
}

func signalled(err error, sig syscall.Signal) bool {
	e, ok := err.(*exec.ExitError)
	if !ok {
		return false
	}
	ws, ok := e.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == sig
}

// closedAddr is an address on 127.0.0.1 nothing listens on: a free port,
// closed again.
func closedAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal("%v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
