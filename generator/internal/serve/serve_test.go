package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
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
	dir := t.TempDir()
	for name, text := range fs {
		write(t, dir, name, text)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	p := &preview{t: t, dir: dir, done: make(chan error, 1)}
	go func() {
		p.done <- Run(ctx, Options{SiteDir: dir, Port: 0, Drafts: true, Generator: "test", Ready: func(u string) { ready <- u }})
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

// TestNoTornPages reads a page over and over while it is rebuilt: every
// answer is a whole page from one build.
func TestNoTornPages(t *testing.T) {
	p := start(t, files)
	_, events := p.listen()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var bad []string
	var mu sync.Mutex
	h1 := regexp.MustCompile(`<h1>Version (\d+)</h1>`)
	title := regexp.MustCompile(`<title>Version (\d+) – `)
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := http.Get(p.url + "stories/a/")
				if err != nil {
					continue
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				page := string(b)
				a, c := h1.FindStringSubmatch(page), title.FindStringSubmatch(page)
				whole := res.StatusCode == 200 && strings.HasSuffix(strings.TrimSpace(page), "</html>")
				if !strings.Contains(page, "<h1>Alpha</h1>") && (!whole || a == nil || c == nil || a[1] != c[1]) {
					mu.Lock()
					bad = append(bad, page)
					mu.Unlock()
				}
			}
		})
	}
	for i := 1; i <= 5; i++ {
		write(t, p.dir, "content/stories/a.md", strings.Replace(files["content/stories/a.md"], "title: Alpha", "title: Version "+string(rune('0'+i)), 1))
		next(t, events)
	}
	close(stop)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("%d torn or broken answers; the first:\n%s", len(bad), bad[0])
	}
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
