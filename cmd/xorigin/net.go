package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// resolveMap holds --resolve entries: "host:port" (host lowercase, IPv6
// without brackets joined by net.JoinHostPort) to the address to dial.
type resolveMap map[string]string

// parseResolve parses a --resolve value, HOST:PORT:ADDR as curl spells it:
// connections to HOST on PORT go to ADDR on the same port. ADDR is an IP
// address, an IPv6 one in brackets; unlike curl, it may carry its own port
// (127.0.0.1:8443, [::1]:8443), so that a name on the default port can point
// at a local server on another. The URL, and so the origin, the Host header
// and the TLS server name, keep HOST and PORT.
func parseResolve(s string) (key, addr string, err error) {
	bad := func(msg string) (string, string, error) {
		return "", "", fmt.Errorf("--resolve %q: %s (want HOST:PORT:ADDR)", s, msg)
	}
	var host, rest string
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]")
		if end < 0 {
			return bad("unclosed [")
		}
		host, rest = s[1:end], strings.TrimPrefix(s[end+1:], ":")
		if len(rest) == len(s[end+1:]) {
			return bad("no port")
		}
	} else {
		var ok bool
		host, rest, ok = strings.Cut(s, ":")
		if !ok {
			return bad("no port")
		}
	}
	portStr, a, ok := strings.Cut(rest, ":")
	if !ok || host == "" {
		return bad("no address")
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil || port == 0 {
		return bad(fmt.Sprintf("bad port %q", portStr))
	}
	key = net.JoinHostPort(strings.ToLower(host), portStr)
	// ADDR: an IP, [IPv6], IP:PORT or [IPv6]:PORT.
	if ap, err := netip.ParseAddrPort(a); err == nil {
		return key, ap.String(), nil
	}
	ip, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(a, "["), "]"))
	if err != nil {
		return bad(fmt.Sprintf("address %q is not an IP address", a))
	}
	return key, netip.AddrPortFrom(ip, uint16(port)).String(), nil
}

// netConfig is what check needs to build its base transport.
type netConfig struct {
	resolve resolveMap
	caCert  string // PEM file of the only roots to trust; "" for the system's
	timeout time.Duration
}

// baseTransport returns the http.Transport below enforce.Transport: it
// dials --resolve names at their given address and trusts --cacert's roots.
func baseTransport(cfg netConfig) (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	dialer := &net.Dialer{Timeout: cfg.timeout, KeepAlive: 30 * time.Second}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if to, ok := cfg.resolve[strings.ToLower(addr)]; ok {
			addr = to
		}
		return dialer.DialContext(ctx, network, addr)
	}
	// A name given to --resolve is dialed directly, never through a proxy.
	t.Proxy = func(req *http.Request) (*url.URL, error) {
		if _, ok := cfg.resolve[strings.ToLower(canonicalAddr(req.URL))]; ok {
			return nil, nil
		}
		return http.ProxyFromEnvironment(req)
	}
	if cfg.caCert != "" {
		pem, err := os.ReadFile(cfg.caCert)
		if err != nil {
			return nil, fmt.Errorf("--cacert: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--cacert %s: no PEM certificate in the file", cfg.caCert)
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	return t, nil
}

// canonicalAddr returns u's host:port, with the scheme's default port.
func canonicalAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// recordedHop is one response as it came off the network, before
// enforce.Transport judged it, with the part of its body that was read.
type recordedHop struct {
	URL    string
	Method string
	// Answered is false for a request still waiting for its response
	// headers, or that failed before them.
	Answered bool
	Status   int
	Header   http.Header
	// Sent holds, for a preflight, the CORS headers it sent.
	Sent http.Header
	// Preflight marks the CORS preflight the Transport sent for the hop
	// that follows it.
	Preflight bool
	// Body holds what was read of the body, up to the capture limit: what
	// the Transport read to decide, and what check read after it.
	Body         []byte
	BodyComplete bool
}

// captureLimit is how much of a body the recorder keeps: one byte past the
// engine's default script budget, so that the decision can be remade on
// the same bytes.
const captureLimit = 8<<20 + 1

// recorder is an http.RoundTripper that records every response it passes
// up: check puts it below enforce.Transport to print each hop, the one a
// Transport blocked included, and to decide again on the same bytes.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	hops []*recordedHop
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	h := &recordedHop{URL: req.URL.String(), Method: req.Method,
		Preflight: req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != ""}
	if h.Preflight {
		h.Sent = http.Header{}
		for _, k := range []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"} {
			if vs := req.Header.Values(k); len(vs) > 0 {
				h.Sent[k] = vs
			}
		}
	}
	// Recorded before it is sent, so that a timeout can name the hop.
	r.mu.Lock()
	r.hops = append(r.hops, h)
	r.mu.Unlock()
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	h.Answered, h.Status, h.Header = true, resp.StatusCode, resp.Header.Clone()
	if resp.Body == nil || resp.Body == http.NoBody {
		h.BodyComplete = true
	} else {
		resp.Body = &teeBody{rc: resp.Body, hop: h, mu: &r.mu}
	}
	r.mu.Unlock()
	return resp, nil
}

// recorded returns copies of the hops recorded so far.
func (r *recorder) recorded() []recordedHop {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]recordedHop, len(r.hops))
	for i, h := range r.hops {
		out[i] = *h
		out[i].Body = append([]byte(nil), h.Body...)
	}
	return out
}

// teeBody keeps what is read of a body, up to captureLimit.
type teeBody struct {
	rc  io.ReadCloser
	hop *recordedHop
	mu  *sync.Mutex
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	t.mu.Lock()
	if room := captureLimit - len(t.hop.Body); room > 0 {
		t.hop.Body = append(t.hop.Body, p[:min(n, room)]...)
	}
	if err == io.EOF {
		t.hop.BodyComplete = true
	}
	t.mu.Unlock()
	return n, err
}

func (t *teeBody) Close() error { return t.rc.Close() }

// errTooManyRedirects is what check's http.Client returns instead of
// following a 21st redirect (Fetch's limit is 20).
var errTooManyRedirects = errors.New("more than 20 redirects")

// networkError words a failed fetch for the user: a timeout names the hop
// that timed out and after how long, an unknown certificate authority
// points at --cacert.
func (c *checkFlags) networkError(err error, recorded []recordedHop, elapsed time.Duration) error {
	var ua x509.UnknownAuthorityError
	if errors.As(err, &ua) {
		if c.net.caCert == "" {
			return fmt.Errorf("%w\n(the server's certificate is signed by a certificate authority this machine does not trust: for a staging or local server, pass --cacert FILE with that authority's PEM certificate)", err)
		}
		return fmt.Errorf("%w\n(the server's certificate is not signed by a certificate authority in --cacert %s)", err, c.net.caCert)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		return err
	}
	if len(recorded) == 0 {
		return fmt.Errorf("hop 0 (%s %s) timed out after %s (--timeout %s)", c.req.Method, c.url, elapsed.Round(time.Millisecond), c.net.timeout)
	}
	n, last := 0, recorded[len(recorded)-1]
	for _, h := range recorded[:len(recorded)-1] {
		if !h.Preflight {
			n++
		}
	}
	label := fmt.Sprintf("hop %d (%s %s)", n, last.Method, last.URL)
	if last.Preflight {
		label = fmt.Sprintf("the CORS preflight (OPTIONS %s)", last.URL)
	}
	what := "waiting for the response headers"
	if last.Answered {
		what = fmt.Sprintf("reading the body (status %d)", last.Status)
	}
	return fmt.Errorf("%s timed out after %s (--timeout %s), %s", label, elapsed.Round(time.Millisecond), c.net.timeout, what)
}
