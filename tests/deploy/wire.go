package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
)

// op is a change the server took: an upload or delete of a site path.
type op struct{ kind, path string }

// wire stands between generator deploy and a server: it notes each upload
// and delete the server answered with success, and, armed, lets a given
// number of uploads through and holds every request after them, so a
// deploy can be killed at a known point.
type wire struct {
	kind, bucket string
	addr         string // the server's
	proxy        *httputil.ReverseProxy

	mu       sync.Mutex
	ops      []op
	unknown  []string // writes the wire could not name
	limit    int      // armed: uploads let through (0: not armed)
	admitted int
	done     int
	reached  chan struct{} // closed when the uploads let through are done
	release  chan struct{} // closed to let held requests go (with 503)
}

func newWire(kind, bucket, addr string) *wire {
	target := &url.URL{Scheme: "http", Host: addr}
	return &wire{kind: kind, bucket: bucket, addr: addr, proxy: httputil.NewSingleHostReverseProxy(target)}
}

// arm lets n uploads through and holds what follows them.
func (wi *wire) arm(n int) <-chan struct{} {
	wi.mu.Lock()
	defer wi.mu.Unlock()
	wi.limit, wi.admitted, wi.done = n, 0, 0
	wi.reached, wi.release = make(chan struct{}), make(chan struct{})
	return wi.reached
}

// disarm answers the held requests 503 and lets later ones through.
func (wi *wire) disarm() {
	wi.mu.Lock()
	defer wi.mu.Unlock()
	if wi.limit > 0 {
		close(wi.release)
	}
	wi.limit = 0
}

// take returns the changes noted since the last take, and the writes the
// wire could not name.
func (wi *wire) take() ([]op, []string) {
	wi.mu.Lock()
	defer wi.mu.Unlock()
	ops, unknown := wi.ops, wi.unknown
	wi.ops, wi.unknown = nil, nil
	return ops, unknown
}

func (wi *wire) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o, known := wi.classify(r)
	wi.mu.Lock()
	if !known {
		wi.unknown = append(wi.unknown, r.Method+" "+r.URL.String())
	}
	hold, release := false, wi.release
	if wi.limit > 0 {
		if wi.admitted >= wi.limit {
			hold = true
		} else if o.kind == "upload" {
			wi.admitted++
		}
	}
	wi.mu.Unlock()
	if hold {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		http.Error(w, "held by the test's wire", http.StatusServiceUnavailable)
		return
	}
	if wi.kind == "gcs" {
		r.Host = wi.addr // fake-gcs-server answers XML reads (/bucket/key) at its public host only
	}
	sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
	wi.proxy.ServeHTTP(sw, r)
	if o.kind == "" || sw.code >= 300 {
		return
	}
	wi.mu.Lock()
	defer wi.mu.Unlock()
	wi.ops = append(wi.ops, o)
	if wi.limit > 0 && o.kind == "upload" {
		wi.done++
		if wi.done == wi.limit {
			close(wi.reached)
		}
	}
}

// classify names the change a request asks for: an upload or delete of a
// site path, or none (a read, a part of an upload); known is false for a
// write this wire does not understand.
func (wi *wire) classify(r *http.Request) (o op, known bool) {
	q := r.URL.Query()
	write := r.Method != http.MethodGet && r.Method != http.MethodHead
	switch wi.kind {
	case "s3": // path-style: /bucket/key
		key, ok := strings.CutPrefix(r.URL.Path, "/"+wi.bucket+"/")
		switch {
		case !write:
		case !ok:
			return op{}, false
		case r.Method == http.MethodPut && r.Header.Get("X-Amz-Copy-Source") == "" && !q.Has("partNumber"):
			return op{"upload", "/" + key}, true
		case r.Method == http.MethodPut && q.Has("partNumber"), r.Method == http.MethodPost && q.Has("uploads"):
		case r.Method == http.MethodPost && q.Has("uploadId"):
			return op{"upload", "/" + key}, true
		case r.Method == http.MethodDelete && !q.Has("uploadId"):
			return op{"delete", "/" + key}, true
		default:
			return op{}, false
		}
	case "azure": // /account/container/key
		key, ok := strings.CutPrefix(r.URL.Path, "/"+azureAccount+"/"+wi.bucket+"/")
		switch {
		case !write:
		case !ok:
			return op{}, false
		case r.Method == http.MethodPut && (q.Get("comp") == "" || q.Get("comp") == "blocklist"):
			return op{"upload", "/" + key}, true
		case r.Method == http.MethodPut && q.Get("comp") == "block":
		case r.Method == http.MethodDelete && q.Get("comp") == "":
			return op{"delete", "/" + key}, true
		default:
			return op{}, false
		}
	case "gcs":
		switch {
		case !write:
		case r.Method == http.MethodPost && r.URL.Path == "/upload/storage/v1/b/"+wi.bucket+"/o" && q.Get("uploadType") == "multipart":
			name := q.Get("name")
			if name == "" {
				var err error
				if name, err = gcsName(r); err != nil {
					return op{}, false
				}
			}
			return op{"upload", "/" + name}, true
		case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/storage/v1/b/"+wi.bucket+"/o/"):
			return op{"delete", "/" + strings.TrimPrefix(r.URL.Path, "/storage/v1/b/"+wi.bucket+"/o/")}, true
		default:
			return op{}, false
		}
	}
	return op{}, true
}

// gcsName reads the object's name from a multipart upload's first part,
// its metadata, and leaves the body as it was.
func gcsName(r *http.Request) (string, error) {
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return "", err
	}
	part, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).NextPart()
	if err != nil {
		return "", err
	}
	var meta struct{ Name string }
	if err := json.NewDecoder(part).Decode(&meta); err != nil || meta.Name == "" {
		return "", fmt.Errorf("no name in the upload's metadata: %v", err)
	}
	return meta.Name, nil
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
