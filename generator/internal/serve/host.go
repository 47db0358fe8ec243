package serve

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// hosts is who the preview answers: requests whose Host header names it
// by an address or name that no other site can stand for. A page of
// another site that gets its own name to resolve to this machine (DNS
// rebinding) still sends its own name as Host, so it is refused and
// cannot read drafts or the problems' source lines. IP literals and
// "localhost" never go through DNS; the machine's own hostname is
// accepted only when the preview listens beyond the loopback, where
// colleagues reach it by that name; anything else needs --allow-host.
type hosts struct {
	port     int
	names    map[string]bool // lower-case names without port: "localhost", "mybox"
	withPort map[string]bool // "name:port" as --allow-host gave it, for a proxy in front
	ips      map[netip.Addr]bool
	// wildcard: listening on every interface, so any address this machine
	// has (it may get a new one while the preview runs) reaches it
	wildcard bool
	mu       sync.Mutex
	checked  time.Time // when the interface addresses were last read
}

// newHosts is the Host set for a listener on addr (its real port), bound
// as the editor asked (bind: "127.0.0.1", "0.0.0.0", "mybox"…), with the
// names --allow-host added.
func newHosts(bind string, addr *net.TCPAddr, allow []string) *hosts {
	h := &hosts{port: addr.Port, names: map[string]bool{"localhost": true}, withPort: map[string]bool{}, ips: map[netip.Addr]bool{}}
	for _, ip := range []string{"127.0.0.1", "::1"} {
		h.ips[netip.MustParseAddr(ip)] = true
	}
	if a, ok := netip.AddrFromSlice(addr.IP); ok {
		h.ips[a.Unmap()] = true
	}
	h.add(bind) // --bind by name: that name
	h.wildcard = addr.IP.IsUnspecified()
	if h.wildcard || !addr.IP.IsLoopback() {
		if name, err := os.Hostname(); err == nil && name != "" {
			name = strings.ToLower(name)
			h.names[name] = true
			if !strings.Contains(name, ".") {
				h.names[name+".local"] = true // how macOS and Avahi name it on the network
			}
		}
	}
	if h.wildcard {
		h.readInterfaces()
	}
	for _, a := range allow {
		a = strings.ToLower(strings.TrimSpace(a))
		if name, port, err := net.SplitHostPort(a); err == nil && port != "" {
			h.withPort[net.JoinHostPort(name, port)] = true
		} else {
			h.add(a)
		}
	}
	return h
}

// add accepts a name or address (at the preview's port).
func (h *hosts) add(name string) {
	name = strings.Trim(strings.ToLower(name), "[]")
	if ip, err := netip.ParseAddr(name); err == nil {
		h.ips[ip.Unmap()] = true
	} else if name != "" {
		h.names[name] = true
	}
}

// readInterfaces adds this machine's addresses.
func (h *hosts) readInterfaces() {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			h.ips[p.Addr().Unmap()] = true
		}
	}
	h.checked = time.Now()
}

// allows reports whether a Host header (host, host:port or [v6]:port)
// names this preview. A Host without a port means port 80.
func (h *hosts) allows(host string) bool {
	host = strings.ToLower(host)
	if host == "" {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.withPort[host] {
		return true
	}
	name, port, err := net.SplitHostPort(host)
	if err != nil {
		name, port = strings.Trim(host, "[]"), "80"
	}
	if n, err := strconv.Atoi(port); err != nil || n != h.port {
		return false
	}
	ip, err := netip.ParseAddr(name)
	if err != nil {
		return h.names[name]
	}
	ip = ip.Unmap()
	if !h.ips[ip] && h.wildcard && time.Since(h.checked) > time.Second {
		h.readInterfaces() // a new address (Wi-Fi joined) since the last look
	}
	return h.ips[ip]
}

// expected is what the refusal says to use instead: the loopback names.
func (h *hosts) expected() string {
	p := strconv.Itoa(h.port)
	return "127.0.0.1:" + p + ", localhost:" + p + " or [::1]:" + p
}

// refuse answers a request that names another host: 421 says "not this
// server", and the body says which names it answers to and how to add one.
func (h *hosts) refuse(w http.ResponseWriter, host string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusMisdirectedRequest)
	if host == "" {
		host = "(no Host header)"
	}
	fmt.Fprintf(w, "The otpress preview answers at %s, not at %q.\nTo reach it by another name, start it with: generator serve --allow-host NAME\n", h.expected(), host)
}

// sameOrigin reports whether a request to the preview's own endpoints
// (/_otpress/) comes from one of its own pages, or from no page at all (an
// address typed, curl): Sec-Fetch-Site "same-origin" or "none", or absent
// (older browsers, tools), and Origin absent or this very address. Another
// site's page, even on this machine, cannot listen to the events or read
// the problems.
func sameOrigin(r *http.Request) bool {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && !slices.Contains([]string{"same-origin", "none"}, strings.ToLower(s)) {
		return false
	}
	o, ok := r.Header["Origin"]
	return !ok || len(o) == 1 && strings.EqualFold(o[0], "http://"+r.Host)
}
