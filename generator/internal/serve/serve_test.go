package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otpress/otpress/generator/internal/search"
)

// A small site: one story, one feature, a stylesheet of the site's own.
var files = map[string]string{
	"site.toml":              "title = \"Preview test\"\nbase_url = \"https://example.org/ot/\"\n",
	"content/stories/a.md":   "---\ntitle: Alpha\ndate: 2026-01-02\nsummary: First.\n---\nThe first version of the body.\n",
	"content/features/f.md":  "---\ntitle: Feature\ndate: 2026-01-01\nsources: [{title: T, publication: OTnews, issue: May 2026}]\n---\nText.\n",
	"static/css/extra.css":   "p { margin: 0; }\n",
	"content/themes/walk.md": "---\ntitle: Walking\n---\nOn foot.\n",
}

type preview struct {
	t    *testing.T
	dir  string
	url  string // the site's address, ending in its base path
	stop func()
	done chan error
}

// start writes the site and runs the preview on a free port, returning once
// it says it is ready (no sleeping).
func start(t *testing.T, fs map[string]string) *preview {
	t.Helper()
	return startWith(t, fs, func(*Options) {})
}

// startWith is start with options of the test's own.
func startWith(t *testing.T, fs map[string]string, set func(*Options)) *preview {
	t.Helper()
	dir := t.TempDir()
	for name, text := range fs {
		write(t, dir, name, text)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	p := &preview{t: t, dir: dir, done: make(chan error, 1)}
	go func() {
		o := Options{SiteDir: dir, Port: 0, Drafts: true, Future: true, Generator: "test", Ready: func(u string) { ready <- u }}
		set(&o)
		p.done <- Run(ctx, o)
	}()
	select {
	case p.url = <-ready:
	case err := <-p.done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not become ready")
	}
	p.stop = func() {
		cancel()
		select {
		case err := <-p.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("serve did not stop")
		}
	}
	t.Cleanup(p.stop)
	return p
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (p *preview) get(path string) (int, string) {
	p.t.Helper()
	res, err := http.Get(p.url + path)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

type sse struct{ name, data string }

// listen opens the event stream and returns its events as they come, after
// the first (the state at connection), which it returns separately.
func (p *preview) listen() (first sse, events <-chan sse) {
	p.t.Helper()
	host := strings.TrimPrefix(p.url, "http://")
	host = host[:strings.Index(host, "/")]
	res, err := http.Get("http://" + host + Prefix + "events")
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { res.Body.Close() })
	ch := make(chan sse, 16)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var ev sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data += strings.TrimPrefix(line, "data: ")
			case line == "" && ev.name != "":
				ch <- ev
				ev = sse{}
			}
		}
	}()
	select {
	case first = <-ch:
	case <-time.After(10 * time.Second):
		p.t.Fatal("no first event")
	}
	return first, ch
}

func next(t *testing.T, events <-chan sse) sse {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event after the edit")
	}
	return sse{}
}

func TestEditReloads(t *testing.T) {
	p := start(t, files)
	code, page := p.get("stories/a/")
	if code != 200 || !strings.Contains(page, "The first version of the body.") {
		t.Fatalf("GET stories/a/: %d\n%s", code, page)
	}
	// every page carries the preview script, loaded from a file (CSP-safe)
	if !strings.Contains(page, `<script defer src="/_otpress/live.js"></script></head>`) {
		t.Errorf("no live script before </head>")
	}
	first, events := p.listen()
	if first.name != "ok" {
		t.Errorf("first event = %+v; want ok", first)
	}
	write(t, p.dir, "content/stories/a.md", strings.Replace(files["content/stories/a.md"], "The first version", "The second version", 1))
	// a text edit rewrites one page: only that page is told to reload
	if ev := next(t, events); ev.name != "reload" || ev.data != `{"pages":["/ot/stories/a/"]}` {
		t.Fatalf("event = %+v; want reload of /ot/stories/a/", ev)
	}
	if _, page := p.get("stories/a/"); !strings.Contains(page, "The second version of the body.") {
		t.Errorf("the page was not rebuilt:\n%s", page)
	}

	// the search index follows, in the background, and says so
	if ev := next(t, events); ev.name != "search" {
		t.Fatalf("event = %+v; want search", ev)
	}
	e, err := search.Open(func(name string) ([]byte, error) {
		code, body := p.get("search/data/" + name)
		if code != 200 {
			return nil, fmt.Errorf("%s: %d", name, code)
		}
		return []byte(body), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := e.Search(search.Query{Text: "second version"}, 5); len(r.Hits) == 0 || r.Hits[0].Path != "stories/a/" {
		t.Errorf("search in the preview does not find the new text: %+v", r.Hits)
	}

	// only CSS changed: pages swap their stylesheets instead of reloading
	write(t, p.dir, "static/css/extra.css", "p { margin: 1rem; }\n")
	if ev := next(t, events); ev.name != "css" {
		t.Errorf("event = %+v; want css", ev)
	}
	if _, css := p.get("css/extra.css"); !strings.Contains(css, "1rem") {
		t.Errorf("css = %q", css)
	}
}

// TestNavigate: with Navigate, saving a content file sends open pages to
// its page (after a quick update or a full one, for an item, a theme or a
// new page); a save that makes no page, or none at all, sends nothing.
func TestNavigate(t *testing.T) {
	p := startWith(t, files, func(o *Options) { o.Navigate = true })
	_, events := p.listen()
	want := func(what, page string) {
		t.Helper()
		for {
			ev := next(t, events)
			if ev.name == "navigate" {
				if ev.data != `{"page":"`+page+`"}` {
					t.Errorf("%s: navigate %s; want %s", what, ev.data, page)
				}
				return
			}
			if ev.name == "problems" {
				t.Fatalf("%s: problems %s", what, ev.data)
			}
		}
	}
	write(t, p.dir, "content/stories/a.md", strings.Replace(files["content/stories/a.md"], "The first version", "The second version", 1))
	want("a story's text", "/ot/stories/a/")
	write(t, p.dir, "content/themes/walk.md", "---\ntitle: Walking\n---\nOn foot, and with a frame.\n")
	want("a theme", "/ot/themes/walk/")
	write(t, p.dir, "content/stories/b.md", "---\ntitle: Beta\ndate: 2026-01-03\n---\nNew.\n")
	want("a new story", "/ot/stories/b/")
	// a stylesheet makes no page of its own
	write(t, p.dir, "static/css/extra.css", "p { margin: 2rem; }\n")
	for ev := next(t, events); ev.name != "css"; ev = next(t, events) {
		if ev.name == "navigate" {
			t.Errorf("a stylesheet: navigate %s", ev.data)
		}
	}
}

func TestBrokenThenFixed(t *testing.T) {
	p := start(t, files)
	_, events := p.listen()
	good := files["content/stories/a.md"]
	write(t, p.dir, "content/stories/a.md", strings.Replace(good, "date: 2026-01-02", "date: soon", 1))
	ev := next(t, events)
	if ev.name != "problems" {
		t.Fatalf("event = %+v; want problems", ev)
	}
	var probs []problem
	if err := json.Unmarshal([]byte(ev.data), &probs); err != nil || len(probs) != 1 {
		t.Fatalf("problems %q: %v", ev.data, err)
	}
	pr := probs[0]
	if pr.Position != "content/stories/a.md:3:7" || !strings.Contains(pr.Message, `"soon" is not a date`) || pr.Hint == "" || pr.Line != 3 || pr.First != 1 || strings.Join(pr.Source, "\n") != "---\ntitle: Alpha\ndate: soon\nsummary: First.\n---" {
		t.Errorf("problem = %+v", pr)
	}
	// the last good page is still served, and a page opened now hears of the problem at once
	if code, page := p.get("stories/a/"); code != 200 || !strings.Contains(page, "<h1>Alpha</h1>") {
		t.Errorf("last good page: %d", code)
	}
	if first, _ := p.listen(); first.name != "problems" {
		t.Errorf("a new page's first event = %+v; want problems", first)
	}
	// fixing it clears the problem by itself
	write(t, p.dir, "content/stories/a.md", strings.Replace(good, "Alpha", "Alpha fixed", 1))
	if ev := next(t, events); ev.name != "reload" {
		t.Fatalf("event = %+v; want reload", ev)
	}
	if first, _ := p.listen(); first.name != "ok" {
		t.Errorf("after the fix, first event = %+v; want ok", first)
	}
	if _, page := p.get("stories/a/"); !strings.Contains(page, "<h1>Alpha fixed</h1>") {
		t.Error("the fixed page is not served")
	}
}

func TestNewFolderAppears(t *testing.T) {
	p := start(t, files)
	_, events := p.listen()
	if code, _ := p.get("stories/b/"); code != 404 {
		t.Fatalf("stories/b/ before: %d", code)
	}
	// a new bundle: the folder first, then its page, as an editor makes it
	if err := os.MkdirAll(filepath.Join(p.dir, "content/stories/b"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, p.dir, "content/stories/b/index.md", "---\ntitle: Bravo\ndate: 2026-02-01\n---\nNew.\n")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if ev := next(t, events); ev.name != "reload" {
			t.Fatalf("event = %+v", ev)
		}
		if code, page := p.get("stories/b/"); code == 200 && strings.Contains(page, "<h1>Bravo</h1>") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the new page never appeared")
		}
	}
	// and a file saved later in that new folder is seen too
	write(t, p.dir, "content/stories/b/index.md", "---\ntitle: Bravo two\ndate: 2026-02-01\n---\nNew.\n")
	next(t, events)
	if _, page := p.get("stories/b/"); !strings.Contains(page, "<h1>Bravo two</h1>") {
		t.Error("an edit in the new folder was missed")
	}
}

// TestScheduledShown: the preview shows a page dated ahead, which a build
// leaves out, with a banner saying when it is published.
func TestScheduledShown(t *testing.T) {
	fs := maps.Clone(files)
	fs["content/stories/later.md"] = "---\ntitle: Later\ndate: 2999-01-01\n---\nWritten ahead.\n"
	p := start(t, fs)
	code, page := p.get("stories/later/")
	if code != 200 || !strings.Contains(page, "<strong>Scheduled:</strong> this page is dated 1 January 2999") {
		t.Fatalf("stories/later/: %d\n%s", code, page)
	}
}

// TestNoTornPages is a bounded load test: 8 clients read a page over and
// over on the loopback while it is rebuilt five times (twice whole), and every answer
// is a whole page from one build. A failed request or an answer other than
// 200 counts against it too.
func TestNoTornPages(t *testing.T) {
	p := start(t, files)
	_, events := p.listen()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var bad []string
	var requests, failures int
	var mu sync.Mutex
	h1 := regexp.MustCompile(`<h1>Version (\d+)</h1>`)
	title := regexp.MustCompile(`<title>Version (\d+) – `)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer client.CloseIdleConnections()
	const clients = 8
	for range clients {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := client.Get(p.url + "stories/a/")
				mu.Lock()
				requests++
				mu.Unlock()
				if err != nil {
					mu.Lock()
					failures++
					bad = append(bad, err.Error())
					mu.Unlock()
					continue
				}
				b, err := io.ReadAll(res.Body)
				res.Body.Close()
				page := string(b)
				a, c := h1.FindStringSubmatch(page), title.FindStringSubmatch(page)
				whole := err == nil && res.StatusCode == 200 && strings.HasSuffix(strings.TrimSpace(page), "</html>")
				if !whole || !strings.Contains(page, "<h1>Alpha</h1>") && (a == nil || c == nil || a[1] != c[1]) {
					mu.Lock()
					failures++
					bad = append(bad, fmt.Sprintf("%d %v:\n%s", res.StatusCode, err, page))
					mu.Unlock()
				}
			}
		})
	}
	for i := 1; i <= 5; i++ {
		if i%2 == 0 { // a full build, whose folder is swapped in whole
			write(t, p.dir, "site.toml", strings.Replace(files["site.toml"], "Preview test", "Preview test "+string(rune('0'+i)), 1))
		}
		write(t, p.dir, "content/stories/a.md", strings.Replace(files["content/stories/a.md"], "title: Alpha", "title: Version "+string(rune('0'+i)), 1))
		next(t, events)
	}
	close(stop)
	wg.Wait()
	if failures > 0 {
		t.Errorf("%d of %d answers failed, torn or broken; the first:\n%s", failures, requests, bad[0])
	}
	if requests < clients {
		t.Errorf("only %d requests in five rebuilds", requests)
	}
	t.Logf("%d requests by %d clients over five rebuilds", requests, clients)
}

func TestFirstBuildFails(t *testing.T) {
	broken := map[string]string{}
	for k, v := range files {
		broken[k] = v
	}
	broken["content/stories/a.md"] = "---\ntitle: [oops\ndate: 2026-01-02\n---\n"
	p := start(t, broken)
	code, page := p.get("stories/a/")
	if code != 500 || !strings.Contains(page, "The site could not be built") || !strings.Contains(page, "content/stories/a.md:") || !strings.Contains(page, "/_otpress/live.js") {
		t.Errorf("before any good build: %d\n%s", code, page)
	}
	_, events := p.listen()
	write(t, p.dir, "content/stories/a.md", files["content/stories/a.md"])
	if ev := next(t, events); ev.name != "reload" {
		t.Fatalf("event = %+v", ev)
	}
	if code, _ := p.get("stories/a/"); code != 200 {
		t.Errorf("after the fix: %d", code)
	}
}

func TestBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	err = Run(context.Background(), Options{SiteDir: t.TempDir(), Port: port})
	if !errors.Is(err, ErrPortBusy) || !strings.Contains(err.Error(), "is already in use") || !strings.Contains(err.Error(), "try --port") {
		t.Errorf("Run on a busy port: %v", err)
	}
}

func TestBasePathAndMisses(t *testing.T) {
	p := start(t, files)
	if !strings.HasSuffix(p.url, "/ot/") {
		t.Errorf("url = %s; want the site's base path", p.url)
	}
	if code, page := p.get("no/such/page/"); code != 404 || !strings.Contains(page, "/_otpress/live.js") {
		t.Errorf("a missing page: %d", code)
	}
	res, err := http.Get(p.url + "stories/a")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/ot/stories/a/" {
		t.Errorf("a folder without its slash ends at %s", res.Request.URL.Path)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") != "strict-origin-when-cross-origin" {
		t.Errorf("headers = %v; want the built site's nosniff and referrer policy", res.Header)
	}
}

// raw sends one request line as written, without the cleaning Go's client
// does, and returns the answer. A "Host: …" among the headers replaces the
// preview's own.
func (p *preview) raw(target string, headers ...string) *http.Response {
	p.t.Helper()
	req := "GET " + target + " HTTP/1.1\r\nConnection: close\r\n"
	host := "Host: " + p.host() + "\r\n"
	for _, h := range headers {
		if strings.HasPrefix(strings.ToLower(h), "host:") {
			host = ""
		}
		if h != "" {
			req += h + "\r\n"
		}
	}
	return p.send(req + host + "\r\n")
}

// host is the preview's address, "127.0.0.1:port".
func (p *preview) host() string {
	host := strings.TrimPrefix(p.url, "http://")
	return host[:strings.Index(host, "/")]
}

// send sends a request as written and returns the answer, its body read.
func (p *preview) send(req string) *http.Response {
	p.t.Helper()
	c, err := net.Dial("tcp", p.host())
	if err != nil {
		p.t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprint(c, req)
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		p.t.Fatalf("%s: %v", strings.SplitN(req, "\r\n", 2)[0], err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(strings.NewReader(string(b)))
	return res
}

func body(res *http.Response) string {
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// outDir starts the preview with its temporary folder under a folder of the
// test's, and returns the preview, the folder it builds into and the folder
// above it, where a secret file waits.
func startInTemp(t *testing.T, fs map[string]string) (p *preview, out, tmp string) {
	t.Helper()
	tmp = t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if err := os.WriteFile(filepath.Join(tmp, "secret.txt"), []byte("SECRET-ONE"), 0o644); err != nil {
		t.Fatal(err)
	}
	p = start(t, fs)
	dirs, _ := filepath.Glob(filepath.Join(tmp, "otpress-serve-*", "site"))
	if len(dirs) != 1 {
		t.Fatalf("the preview's output folder: %v", dirs)
	}
	out = dirs[0]
	if err := os.WriteFile(filepath.Join(filepath.Dir(out), "secret.txt"), []byte("SECRET-TWO"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, out, tmp
}

// TestPathsOutsideTheOutput: requests for files outside the output folder,
// however they are spelled, and links in it that lead out are refused or
// not found, and never show what is there.
func TestPathsOutsideTheOutput(t *testing.T) {
	p, out, tmp := startInTemp(t, files)
	// links in the output folder that lead out of it: to a file, to a
	// folder, and one that stays inside (followed)
	for name, target := range map[string]string{
		"leak.txt":           filepath.Join(tmp, "secret.txt"),
		"stories/leak.txt":   "../../secret.txt",
		"outside":            tmp,
		"passwd":             "/etc/passwd",
		"stories/inside.css": "../css/extra.css",
	} {
		if err := os.Symlink(target, filepath.Join(out, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	secrets := []string{"SECRET-ONE", "SECRET-TWO", "root:x:0", `title = "Preview test"`}
	for _, target := range []string{
		"/../site.toml", "/ot/../site.toml", "/ot/../../secret.txt",
		"/%2e%2e/%2e%2e/etc/passwd", "/ot/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/ot/%2e%2e/secret.txt",
		"/..%2f..%2fetc/passwd", "/ot/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", "/ot/..%2fsecret.txt",
		"/%252e%252e/", "/ot/%252e%252e/%252e%252e/secret.txt",
		`/..\..\site.toml`, `/ot/..\..\secret.txt`, `/ot/..%5c..%5csecret.txt`,
		"/ot//etc/passwd", "/ot/%00/../secret.txt",
		"/ot/leak.txt", "/ot/stories/leak.txt", "/ot/outside/secret.txt", "/ot/outside/", "/ot/outside", "/ot/passwd",
		"http://example.org/../secret.txt",
	} {
		res := p.raw(target)
		b := body(res)
		switch res.StatusCode {
		case http.StatusNotFound, http.StatusBadRequest, http.StatusForbidden, http.StatusMisdirectedRequest:
		case http.StatusMovedPermanently, http.StatusFound:
			if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/ot/") || strings.HasPrefix(loc, "//") {
				t.Errorf("GET %s: sent to %q", target, loc)
			}
		default:
			t.Errorf("GET %s: %d", target, res.StatusCode)
		}
		for _, s := range secrets {
			if strings.Contains(b, s) {
				t.Errorf("GET %s: %d showed %q", target, res.StatusCode, s)
			}
		}
	}
	// a link that stays in the output folder still works
	if res := p.raw("/ot/stories/inside.css"); res.StatusCode != 200 || !strings.Contains(body(res), "margin") {
		t.Errorf("a link inside the output folder: %d", res.StatusCode)
	}
}

// TestStaticLinkOutside: a link in static/ to a file outside the site is
// refused by the build and not served with the site.
func TestStaticLinkOutside(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("SECRET-THREE"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := start(t, files)
	if err := os.Symlink(outside, filepath.Join(p.dir, "static", "leak.txt")); err != nil {
		t.Fatal(err)
	}
	_, events := p.listen()
	write(t, p.dir, "content/stories/a.md", files["content/stories/a.md"]+"\nMore.\n")
	// the build refuses the link, and the last good site stays
	if ev := next(t, events); ev.name != "problems" || !strings.Contains(ev.data, "static/leak.txt") {
		t.Errorf("event %+v; want the link's problem", ev)
	}
	if res := p.raw("/ot/leak.txt"); res.StatusCode != http.StatusNotFound || strings.Contains(body(res), "SECRET-THREE") {
		t.Errorf("GET /ot/leak.txt: %d, a file from outside the site", res.StatusCode)
	}
}

// TestRedirectStaysOnSite: a folder asked for without its slash is sent to
// its cleaned address on this site, never to "//name/", which a browser
// takes for another host.
func TestRedirectStaysOnSite(t *testing.T) {
	root := map[string]string{}
	for k, v := range files {
		root[k] = v
	}
	root["site.toml"] = "title = \"Preview test\"\nbase_url = \"https://example.org/\"\n"
	p := start(t, root)
	for target, want := range map[string]string{"//stories": "/stories/", "/stories": "/stories/", "///themes//walk": "/themes/walk/"} {
		res := p.raw(target)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusMovedPermanently || loc != want {
			t.Errorf("GET %s: %d to %q; want 301 to %q\n%s", target, res.StatusCode, loc, want, body(res))
		}
	}
}

// TestSecurityHeadersEverywhere: every kind of answer carries the policy,
// nosniff, the referrer policy and Cross-Origin-Resource-Policy, and none
// a CORS header, even to a request from another origin.
func TestSecurityHeadersEverywhere(t *testing.T) {
	p := start(t, files)
	check := func(what string, h http.Header) {
		t.Helper()
		if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "strict-origin-when-cross-origin" || h.Get("Cross-Origin-Resource-Policy") != "same-origin" {
			t.Errorf("%s: headers %v", what, h)
		}
		for k := range h {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("%s: a CORS header %s", what, k)
			}
		}
	}
	for _, tt := range []struct {
		what, target string
		code         int
		header       string
	}{
		{"a page", "/ot/stories/a/", 200, ""},
		{"a missing page", "/ot/no/such/page/", 404, ""},
		{"a path outside the base", "/elsewhere/", 404, ""},
		{"a missing file", "/ot/no-such.css", 404, ""},
		{"the redirect to the base", "/", 302, ""},
		{"a folder without its slash", "/ot/stories", 301, ""},
		{"a static file", "/ot/css/extra.css", 200, ""},
		{"a range of a file", "/ot/css/extra.css", 206, "Range: bytes=0-3"},
		{"a range past the end", "/ot/css/extra.css", 416, "Range: bytes=9000-"},
		{"the live script", Prefix + "live.js", 200, ""},
		{"the problems", Prefix + "problems", 200, ""},
		{"the problems asked by another site", Prefix + "problems", 403, "Origin: http://evil.example"},
		{"a page asked with a CORS preflight's Origin", "/ot/stories/a/", 200, "Origin: http://evil.example"},
		{"a page asked for by another name", "/ot/stories/a/", 421, "Host: evil.example"},
		{"the problems asked for by another name", Prefix + "problems", 421, "Host: evil.example"},
	} {
		res := p.raw(tt.target, tt.header)
		if res.StatusCode != tt.code {
			t.Errorf("%s: %d; want %d", tt.what, res.StatusCode, tt.code)
		}
		check(tt.what, res.Header)
		// http.ServeContent drops Cache-Control from its errors (416)
		if res.Header.Get("Cache-Control") != "no-store" && tt.code != http.StatusRequestedRangeNotSatisfiable {
			t.Errorf("%s: Cache-Control %q", tt.what, res.Header.Get("Cache-Control"))
		}
	}
	// the event stream: read its headers, then hang up
	res, err := http.Get("http://" + p.host() + Prefix + "events")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	check("the event stream", res.Header)
	// the page shown before any good build
	broken := map[string]string{}
	for k, v := range files {
		broken[k] = v
	}
	broken["content/stories/a.md"] = "---\ntitle: [oops\n---\n"
	q := start(t, broken)
	res = q.raw("/ot/stories/a/")
	if res.StatusCode != 500 {
		t.Errorf("the error page: %d", res.StatusCode)
	}
	check("the error page", res.Header)
}

// withDraft is the test site with a draft whose text must not leak.
func withDraft() map[string]string {
	fs := maps.Clone(files)
	fs["content/stories/secret.md"] = "---\ntitle: Secret\ndate: 2026-01-03\ndraft: true\n---\nSECRET-DRAFT text.\n"
	fs["content/stories/broken.md"] = "---\ntitle: Broken\ndate: 2026-01-04\nsummary: [SECRET-SOURCE\n---\nText.\n"
	return fs
}

// TestHostHeader: the preview answers only requests that name it by its
// address or a loopback name at its port; any other Host (a DNS-rebinding
// page's own name, the wrong port, none) gets 421 and a note saying which
// Host it expected and how to allow another, never a draft or the
// problems' source lines.
func TestHostHeader(t *testing.T) {
	p := startWith(t, files, func(o *Options) { o.AllowHosts = []string{"preview.test", "Proxy.Example:8443"} })
	// a draft, then a file that fails the build while the draft is still
	// served: both secrets are there to leak
	_, events := p.listen()
	write(t, p.dir, "content/stories/secret.md", withDraft()["content/stories/secret.md"])
	waitFor(t, events, "reload")
	write(t, p.dir, "content/stories/broken.md", withDraft()["content/stories/broken.md"])
	waitFor(t, events, "problems")
	_, port, _ := net.SplitHostPort(p.host())
	other := fmt.Sprint(mustAtoi(t, port) + 1)
	for _, tt := range []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1:" + port, true},
		{"localhost:" + port, true},
		{"LocalHost:" + port, true},
		{"[::1]:" + port, true},
		{"[0:0:0:0:0:0:0:1]:" + port, true},
		{"[::ffff:127.0.0.1]:" + port, true},
		{"preview.test:" + port, true},
		{"PREVIEW.TEST:" + port, true},
		{"proxy.example:8443", true},
		{"evil.example:" + port, false},
		{"evil.example", false},
		{"127.0.0.1.nip.io:" + port, false},
		{"localhost.evil.example:" + port, false},
		{"localhost.:" + port, false},
		{"127.0.0.1:" + other, false},
		{"127.0.0.1", false},
		{"localhost", false},
		{"[::1]", false},
		{"[::2]:" + port, false},
		{"0.0.0.0:" + port, false},
		{"preview.test:" + other, false},
		{"proxy.example:" + port, false},
		{"", false},
	} {
		for _, target := range []string{"/ot/stories/secret/", Prefix + "problems"} {
			res := p.raw(target, "Host: "+tt.host)
			b := body(res)
			leaked := strings.Contains(b, "SECRET-DRAFT") || strings.Contains(b, "SECRET-SOURCE")
			if tt.ok {
				if res.StatusCode != 200 || !leaked {
					t.Errorf("Host %q, GET %s: %d; want the answer", tt.host, target, res.StatusCode)
				}
				continue
			}
			if res.StatusCode != http.StatusMisdirectedRequest || leaked {
				t.Errorf("Host %q, GET %s: %d (leaked: %v); want 421 and nothing of the site", tt.host, target, res.StatusCode, leaked)
			}
			if !strings.Contains(b, "127.0.0.1:"+port) || !strings.Contains(b, "--allow-host NAME") || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Errorf("Host %q: the refusal says %q (%s)", tt.host, b, res.Header.Get("Content-Type"))
			}
		}
	}
	// no Host at all (HTTP/1.0), and a full address in the request line,
	// which names the host in place of the header
	for what, req := range map[string]string{
		"HTTP/1.0 without Host": "GET /ot/stories/secret/ HTTP/1.0\r\n\r\n",
		"an absolute target":    "GET http://evil.example:" + port + "/ot/stories/secret/ HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n",
	} {
		res := p.send(req)
		if b := body(res); res.StatusCode != http.StatusMisdirectedRequest || strings.Contains(b, "SECRET") {
			t.Errorf("%s: %d %q; want 421", what, res.StatusCode, b)
		}
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor reads events until one named name comes.
func waitFor(t *testing.T, events <-chan sse, name string) sse {
	t.Helper()
	for {
		if ev := next(t, events); ev.name == name {
			return ev
		}
	}
}

// TestHostsByBind: which names the preview answers to for each --bind.
// The machine's own name only when it listens beyond the loopback; its
// network addresses only when it listens on all of them.
func TestHostsByBind(t *testing.T) {
	name, err := os.Hostname()
	if err != nil || name == "" || strings.EqualFold(name, "localhost") {
		t.Fatalf("this machine's name %q: the test needs one other than localhost", name)
	}
	name = strings.ToUpper(name) // names are matched ignoring case
	var lan netip.Addr
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil && !p.Addr().IsLoopback() && p.Addr().Is4() {
			lan = p.Addr()
		}
	}
	tcp := func(ip string) *net.TCPAddr { return &net.TCPAddr{IP: net.ParseIP(ip), Port: 1313} }
	for _, tt := range []struct {
		bind   string
		addr   *net.TCPAddr
		allows map[string]bool
	}{
		{"127.0.0.1", tcp("127.0.0.1"), map[string]bool{
			"127.0.0.1:1313": true, "localhost:1313": true, "[::1]:1313": true,
			name + ":1313": false, "0.0.0.0:1313": false, "192.0.2.7:1313": false,
		}},
		{"localhost", tcp("127.0.0.1"), map[string]bool{"localhost:1313": true, "127.0.0.1:1313": true, name + ":1313": false}},
		{"::1", tcp("::1"), map[string]bool{"[::1]:1313": true, "localhost:1313": true, name + ":1313": false}},
		{"0.0.0.0", tcp("0.0.0.0"), map[string]bool{
			"127.0.0.1:1313": true, "0.0.0.0:1313": true, name + ":1313": true, name + ":1314": false,
			"evil.example:1313": false, "192.0.2.7:1313": false,
		}},
		{"::", tcp("::"), map[string]bool{"[::1]:1313": true, "[::]:1313": true, name + ":1313": true, "evil.example:1313": false}},
		{"192.0.2.7", tcp("192.0.2.7"), map[string]bool{"192.0.2.7:1313": true, name + ":1313": true, "192.0.2.8:1313": false, "evil.example:1313": false}},
	} {
		h := newHosts(tt.bind, tt.addr, nil)
		if lan.IsValid() {
			tt.allows[net.JoinHostPort(lan.String(), "1313")] = tt.bind == "0.0.0.0" || tt.bind == "::"
		}
		for host, want := range tt.allows {
			if got := h.allows(host); got != want {
				t.Errorf("--bind %s: Host %q allowed = %v; want %v", tt.bind, host, got, want)
			}
		}
	}
}

// TestOwnEndpointsSameOrigin: the preview's own files, events and problems
// answer its own pages and tools (no Origin, Sec-Fetch-Site none or
// same-origin) and refuse other sites' pages with 403, even at a port of
// the same machine (same-site); site pages may be reached from anywhere.
func TestOwnEndpointsSameOrigin(t *testing.T) {
	site := maps.Clone(files)
	site["content/stories/secret.md"] = withDraft()["content/stories/secret.md"]
	p := start(t, site)
	host := p.host()
	_, port, _ := net.SplitHostPort(host)
	self := "http://" + host
	for _, tt := range []struct {
		headers []string
		ok      bool
	}{
		{nil, true},
		{[]string{"Sec-Fetch-Site: same-origin"}, true},
		{[]string{"Sec-Fetch-Site: none"}, true},
		{[]string{"Origin: " + self}, true},
		{[]string{"Origin: " + self, "Sec-Fetch-Site: same-origin"}, true},
		{[]string{"Sec-Fetch-Site: cross-site"}, false},
		{[]string{"Sec-Fetch-Site: same-site"}, false},
		{[]string{"Origin: http://evil.example"}, false},
		{[]string{"Origin: null"}, false},
		{[]string{"Origin: http://127.0.0.1:" + fmt.Sprint(mustAtoi(t, port)+1)}, false},
		{[]string{"Origin: https://" + host}, false},
		{[]string{"Origin: http://localhost:" + port}, false}, // another origin, though the same server
		{[]string{"Origin: " + self, "Sec-Fetch-Site: cross-site"}, false},
		{[]string{"Origin: " + self, "Origin: http://evil.example"}, false},
	} {
		for _, target := range []string{Prefix + "events", Prefix + "problems", Prefix + "live.js", Prefix + "live.css"} {
			req, _ := http.NewRequest("GET", self+target, nil)
			for _, h := range tt.headers {
				k, v, _ := strings.Cut(h, ": ")
				req.Header.Add(k, v)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close() // the event stream never ends: the status is enough
			if want := map[bool]int{true: 200, false: 403}[tt.ok]; res.StatusCode != want {
				t.Errorf("%v, GET %s: %d; want %d", tt.headers, target, res.StatusCode, want)
			}
			if acao := res.Header.Get("Access-Control-Allow-Origin"); acao != "" {
				t.Errorf("%v, GET %s: Access-Control-Allow-Origin %q", tt.headers, target, acao)
			}
		}
	}
	// a link from another site to a page works
	if res := p.raw("/ot/stories/a/", "Sec-Fetch-Site: cross-site", "Origin: http://evil.example"); res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a page reached from another site: %d, %v", res.StatusCode, res.Header)
	}
}

// With Edit, pages link to their forms, the editor answers under /_edit/
// behind the same Host check, and beyond the loopback it asks for the
// token printed in the terminal.
func TestEdit(t *testing.T) {
	p := startWith(t, files, func(o *Options) { o.Edit = true })
	code, page := p.get("stories/a/")
	if code != 200 || !strings.Contains(page, `<a href="/_edit/page?file=content%2Fstories%2Fa.md">Edit this page</a>`) {
		t.Fatalf("a story page has no edit link: %d\n%s", code, page)
	}
	if !strings.Contains(page, `<link rel="stylesheet" href="/_edit/assets/bar.css"></head>`) {
		t.Error("the edit bar's stylesheet is not linked")
	}
	if _, page := p.get("stories/"); !strings.Contains(page, `<nav class="otpress-edit-bar" aria-label="Editor"><a href="/_edit/">All pages</a></nav>`) {
		t.Error("a list page does not link to all pages (and no form)")
	}
	res := p.raw("/_edit/")
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(body), "Alpha") {
		t.Fatalf("dashboard: %d", res.StatusCode)
	}
	if res := p.raw("/_edit/", "Host: evil.example"); res.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("the editor under another Host: %d", res.StatusCode)
	}

	plain := start(t, files)
	if res := plain.raw("/_edit/"); res.StatusCode != http.StatusNotFound {
		t.Errorf("without --edit, /_edit/ answers %d", res.StatusCode)
	}
}

func TestEditBeyondLoopbackAsksForToken(t *testing.T) {
	var log strings.Builder
	var mu sync.Mutex
	p := startWith(t, files, func(o *Options) {
		o.Edit, o.Bind = true, "0.0.0.0"
		o.Log = writerFunc(func(b []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return log.Write(b) })
	})
	mu.Lock()
	said := log.String()
	mu.Unlock()
	m := regexp.MustCompile(`To edit, open http://\S+/_edit/login\?token=(\S+) `).FindStringSubmatch(said)
	if m == nil {
		t.Fatalf("no login link printed:\n%s", said)
	}
	if res := p.raw("/_edit/"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the editor without signing in: %d", res.StatusCode)
	}
	res := p.raw("/_edit/login?token=" + m[1])
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) != 1 {
		t.Fatalf("signing in with the printed token: %d", res.StatusCode)
	}
	if res := p.raw("/_edit/", "Cookie: "+res.Cookies()[0].Name+"="+res.Cookies()[0].Value); res.StatusCode != 200 {
		t.Errorf("with the cookie: %d", res.StatusCode)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }
