// Package linkcheck asks web servers whether the addresses a site links to
// still answer. It is polite and bounded: a few requests at once in all, at
// most two at a time to one host, each with a time limit, HEAD first and
// GET only when a server refuses HEAD. Answers that worked are remembered
// in a cache file for a day, so checking a site again asks only about the
// links that failed or are new.
package linkcheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// Options tune a Checker; the zero value is usable.
type Options struct {
	Workers int           // requests at once in all; default 8
	PerHost int           // requests at once to one host; default 2
	Timeout time.Duration // per request; default 10 s
	// Cache is the file where answers that worked are kept, "" for none.
	Cache string
	// MaxAge is how long a remembered answer is trusted; default 24 h.
	MaxAge time.Duration
	// Client makes the requests; default one that follows up to 10
	// redirects.
	Client *http.Client
	// UserAgent names the checker to servers.
	UserAgent string
}

// Verdict says how one address answered.
type Verdict int

const (
	OK     Verdict = iota // 2xx, after redirects
	Broken                // 404 or 410: the page is gone
	Unsure                // anything else: a server error, a refusal, no answer in time
)

// Result is the answer for one address.
type Result struct {
	URL     string
	Verdict Verdict
	Status  int    // the HTTP status, 0 when there was no answer
	Detail  string // what went wrong, in words
	Cached  bool   // from the cache file, no request made
}

// DefaultCache is where a user's link answers are kept between checks.
func DefaultCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "otpress", "links.json")
}

type entry struct {
	Status  int       `json:"status"`
	Checked time.Time `json:"checked"`
}

// Check asks about each address once (duplicates are asked once) and
// returns the results in the order of first appearance.
func Check(ctx context.Context, urls []string, o Options) []Result {
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.PerHost <= 0 {
		o.PerHost = 2
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 24 * time.Hour
	}
	if o.Client == nil {
		o.Client = &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("more than 10 redirects")
			}
			return nil
		}}
	}
	var uniq []string
	seen := map[string]bool{}
	for _, u := range urls {
		if !seen[u] {
			seen[u] = true
			uniq = append(uniq, u)
		}
	}
	cache := load(o.Cache)
	now := time.Now()
	results := make([]Result, len(uniq))
	var todo []int
	for i, u := range uniq {
		if e, ok := cache[u]; ok && now.Sub(e.Checked) < o.MaxAge && e.Status >= 200 && e.Status < 300 {
			results[i] = Result{URL: u, Verdict: OK, Status: e.Status, Cached: true}
			continue
		}
		todo = append(todo, i)
	}

	var hostMu sync.Mutex
	hosts := map[string]chan struct{}{}
	slot := func(u string) chan struct{} {
		host := u
		if pu, err := url.Parse(u); err == nil {
			host = pu.Host
		}
		hostMu.Lock()
		defer hostMu.Unlock()
		if hosts[host] == nil {
			hosts[host] = make(chan struct{}, o.PerHost)
		}
		return hosts[host]
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(o.Workers, max(1, len(todo))) {
		wg.Go(func() {
			for i := range jobs {
				s := slot(uniq[i])
				s <- struct{}{}
				results[i] = ask(ctx, uniq[i], o)
				<-s
			}
		})
	}
	for _, i := range todo {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	if o.Cache != "" {
		for _, i := range todo {
			if r := results[i]; r.Verdict == OK {
				cache[r.URL] = entry{Status: r.Status, Checked: now}
			}
		}
		save(o.Cache, cache, now, o.MaxAge)
	}
	return results
}

// ask makes the request for one address: HEAD, then GET when the server
// will not answer HEAD properly.
func ask(ctx context.Context, u string, o Options) Result {
	status, err := request(ctx, http.MethodHead, u, o)
	if err == nil && (status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented || status == http.StatusForbidden || status == http.StatusNotFound) {
		// some servers answer HEAD wrongly; GET is what a reader does
		status, err = request(ctx, http.MethodGet, u, o)
	}
	r := Result{URL: u, Status: status}
	switch {
	case err != nil:
		r.Verdict, r.Detail = Unsure, describe(err, o.Timeout)
	case status >= 200 && status < 300:
		r.Verdict = OK
	case status == http.StatusNotFound || status == http.StatusGone:
		r.Verdict, r.Detail = Broken, fmt.Sprintf("the server answered %d %s", status, http.StatusText(status))
	default:
		r.Verdict, r.Detail = Unsure, fmt.Sprintf("the server answered %d %s", status, http.StatusText(status))
	}
	return r
}

func request(ctx context.Context, method, u string, o Options) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return 0, err
	}
	if o.UserAgent != "" {
		req.Header.Set("User-Agent", o.UserAgent)
	}
	res, err := o.Client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // let the connection be reused
	res.Body.Close()
	return res.StatusCode, nil
}

func describe(err error, timeout time.Duration) string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return fmt.Sprintf("no answer within %s", timeout)
	case errors.As(err, &dns):
		return fmt.Sprintf("the name %s could not be found", dns.Name)
	case errors.Is(err, context.Canceled):
		return "the check was stopped"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

func load(file string) map[string]entry {
	m := map[string]entry{}
	if file == "" {
		return m
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return m
	}
	if json.Unmarshal(b, &m) != nil {
		return map[string]entry{} // a damaged cache is only a cache
	}
	return m
}

// save writes the cache without entries too old to use, atomically so
// two checks at once cannot leave half a file.
func save(file string, m map[string]entry, now time.Time, maxAge time.Duration) {
	keys := make([]string, 0, len(m))
	for k, e := range m {
		if now.Sub(e.Checked) < maxAge {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	keep := make(map[string]entry, len(keys))
	for _, k := range keys {
		keep[k] = m[k]
	}
	b, err := json.MarshalIndent(keep, "", " ")
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(file), 0o755) != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(file), ".links-*.json")
	if err != nil {
		return
	}
	_, werr := f.Write(b)
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(f.Name())
		return
	}
	if os.Rename(f.Name(), file) != nil {
		os.Remove(f.Name())
	}
}
