// Command s3server is an S3-compatible server for tests and benchmarks:
// gofakes3 with its in-memory backend, path-style, on one address. It
// prints its address (http://127.0.0.1:PORT) on a line once it listens,
// and serves until killed. Any credentials are accepted.
//
//	s3server [-addr 127.0.0.1:0] [-bucket site,other]
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"strings"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// keptCacheControl is where an object's Cache-Control is kept: gofakes3
// keeps Content-Type and Content-Encoding but drops Cache-Control, which
// S3 stores and sends back.
const keptCacheControl = "X-Amz-Meta-S3server-Cache-Control"

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "the `address` to listen on (port 0: a free one)")
	buckets := flag.String("bucket", "site", "the `names` of the buckets to create, comma-separated")
	flag.Parse()
	mem := s3mem.New()
	for _, name := range strings.Split(*buckets, ",") {
		if err := mem.CreateBucket(strings.TrimSpace(name)); err != nil {
			log.Fatalf("s3server: create bucket %q: %v", name, err)
		}
	}
	fake := gofakes3.New(mem, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("s3server: %v", err)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cc := r.Header.Get("Cache-Control"); cc != "" && r.Method == http.MethodPut {
			r.Header.Set(keptCacheControl, cc)
		}
		cw := &cacheControlWriter{ResponseWriter: w}
		fake.ServeHTTP(cw, r)
		cw.restore() // a HEAD answer writes nothing
	})))
}

// cacheControlWriter sends a kept Cache-Control back as Cache-Control.
type cacheControlWriter struct {
	http.ResponseWriter
	sent bool
}

func (w *cacheControlWriter) restore() {
	if h := w.Header(); !w.sent && h.Get(keptCacheControl) != "" {
		h.Set("Cache-Control", h.Get(keptCacheControl))
		h.Del(keptCacheControl)
	}
	w.sent = true
}

func (w *cacheControlWriter) WriteHeader(code int) {
	w.restore()
	w.ResponseWriter.WriteHeader(code)
}

func (w *cacheControlWriter) Write(b []byte) (int, error) {
	w.restore()
	return w.ResponseWriter.Write(b)
}
