package linkcheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	var mu sync.Mutex
	asked := map[string][]string{} // path → methods
	var inFlight, most atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path] = append(asked[r.URL.Path], r.Method)
		mu.Unlock()
		// requests that time out are left out: the client frees their slot
		// a moment before the handler sees it has gone
		if r.URL.Path != "/slow" {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
		switch r.URL.Path {
		case "/ok":
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/missing":
			http.NotFound(w, r)
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/nohead":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		case "/broken":
			w.WriteHeader(http.StatusInternalServerError)
		case "/slow":
			select { // the client gives up first; so does the handler
			case <-time.After(300 * time.Millisecond):
			case <-r.Context().Done():
			}
		default:
			if len(r.URL.Path) > 6 && r.URL.Path[:6] == "/many/" {
				return
			}
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	urls := []string{srv.URL + "/ok", srv.URL + "/gone", srv.URL + "/missing", srv.URL + "/moved", srv.URL + "/loop", srv.URL + "/nohead", srv.URL + "/broken", srv.URL + "/slow", srv.URL + "/ok", "http://127.0.0.1:1/closed"}
	for i := range 10 {
		urls = append(urls, srv.URL+"/many/"+string(rune('a'+i)))
	}
	cache := filepath.Join(t.TempDir(), "links.json")
	o := Options{Timeout: 100 * time.Millisecond, Cache: cache, PerHost: 2}
	res := Check(context.Background(), urls, o)
	if len(res) != len(urls)-1 {
		t.Fatalf("%d results for %d distinct addresses", len(res), len(urls)-1)
	}
	want := map[string]Verdict{"/ok": OK, "/gone": Broken, "/missing": Broken, "/moved": OK, "/loop": Unsure, "/nohead": OK, "/broken": Unsure, "/slow": Unsure}
	for _, r := range res {
		path := r.URL[len(srv.URL):]
		if v, ok := want[path]; ok && r.Verdict != v {
			t.Errorf("%s: verdict %d (%s), want %d", path, r.Verdict, r.Detail, v)
		}
		if r.Verdict != OK && r.Detail == "" {
			t.Errorf("%s: no detail for a failure", r.URL)
		}
	}
	if r := res[len(res)-11]; r.Verdict != Unsure || r.URL != "http://127.0.0.1:1/closed" {
		t.Errorf("a closed port: %+v", r)
	}
	if m := asked["/ok"]; len(m) != 2 || m[0] != http.MethodHead { // once itself, once after /moved
		t.Errorf("/ok was asked %v; want HEAD once for itself and once through the redirect", m)
	}
	if m := asked["/nohead"]; len(m) != 2 || m[1] != http.MethodGet {
		t.Errorf("/nohead was asked %v; want HEAD then GET", m)
	}
	if m := most.Load(); m > 2 {
		t.Errorf("%d requests at once to one host; the limit is 2", m)
	}
	for _, r := range res {
		if r.URL == srv.URL+"/slow" && r.Detail != "no answer within 100ms" {
			t.Errorf("slow: %q", r.Detail)
		}
	}

	// again: the answers that worked come from the cache, the rest are asked
	mu.Lock()
	clear(asked)
	mu.Unlock()
	res = Check(context.Background(), urls, o)
	for _, r := range res {
		if r.Verdict == OK && !r.Cached {
			t.Errorf("%s was asked again; it worked last time", r.URL)
		}
	}
	if len(asked["/ok"]) != 0 || len(asked["/many/a"]) != 0 {
		t.Errorf("cached addresses were asked again: %v", asked)
	}
	if len(asked["/gone"]) == 0 {
		t.Error("a broken address was not asked again")
	}
	// an old answer is asked again
	o.MaxAge = time.Nanosecond
	mu.Lock()
	clear(asked)
	mu.Unlock()
	Check(context.Background(), urls[:1], o)
	if len(asked["/ok"]) == 0 {
		t.Error("an answer older than MaxAge was trusted")
	}
}
