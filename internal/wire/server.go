// Package wire serves conformance fixture cases from loopback servers and
// runs them through enforce.Transport, so that the Transport, the engine's
// second implementation, can be compared with the engine on every case.
//
// A Server answers each request with the response a case lists for its URL,
// byte for byte as listed: the status, the header lines in order and case
// (duplicates kept), the body. It writes HTTP/1.1 by hand on the connection,
// because net/http's ResponseWriter canonicalizes and reorders headers and
// adds its own. One listener speaks TLS (a self-signed certificate made at
// start, for any server name) or plain HTTP, by the first byte a client
// sends; Server.Transport returns an *http.Transport that dials every
// host:port to it.
package wire

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xorigin/xorigin/internal/weburl"
)

// Response is what a Server sends: a status, header lines exactly as
// listed (name and value, in order and case, duplicates kept), and a body.
type Response struct {
	Status int
	Header [][2]string
	Body   []byte
}

// Route is a Response served for a URL.
type Route struct {
	// URL is the absolute http or https URL the response answers for.
	// Requests are matched on its serialization without credentials and
	// fragment (scheme, host, port, path and query).
	URL string
	Response
}

// Received is a request a Server read.
type Received struct {
	Method string
	// URL is the request's URL as the server saw it: the scheme from the
	// connection (TLS or not), the Host header, the request target.
	URL string
	// Route is the index of the route that answered, or -1: a preflight,
	// or a request no route was left for (the connection was then closed
	// without a response).
	Route int
	// Preflight reports whether the request was a CORS preflight (OPTIONS
	// with Access-Control-Request-Method), answered with Config.Preflight.
	Preflight bool
	Header    http.Header
}

// Config configures a Server.
type Config struct {
	// Routes are served in order: the k-th request (not a preflight) for a
	// URL gets the k-th route listed for it. A request with no route left
	// gets no response: the connection is closed.
	Routes []Route
	// Preflight answers every CORS preflight; nil closes the connection
	// without an answer (a network error).
	Preflight *Response
	// Timeout bounds each connection; zero means 30 seconds.
	Timeout time.Duration
}

// RouteError reports a response that HTTP/1.1 cannot carry as listed.
type RouteError struct {
	Route int // index in Config.Routes; -1 for Config.Preflight
	URL   string
	Msg   string
}

func (e *RouteError) Error() string {
	if e.Route < 0 {
		return "wire: preflight answer: " + e.Msg
	}
	return fmt.Sprintf("wire: routes[%d] (%s): %s", e.Route, e.URL, e.Msg)
}

// Server is a loopback server for one set of routes. Its methods are safe
// for concurrent use.
type Server struct {
	ln        net.Listener
	cert      *tls.Certificate
	routes    []Route
	byKey     map[string][]int
	preflight *Response
	timeout   time.Duration

	mu       sync.Mutex
	served   map[string]int // requests answered per key
	received []Received
	wg       sync.WaitGroup
	conns    map[net.Conn]struct{}
	closed   bool
}

// NewServer starts a Server on a loopback address. It fails with a
// *RouteError for a response that cannot be served as listed: a 1xx
// status (HTTP clients read it as interim), a header name that is not a
// token, a value with a control character other than tab, a body where
// the status allows none (204, 304), a Content-Length that is not the
// body's length, or a Transfer-Encoding other than chunked (a chunked body
// is sent chunked).
func NewServer(cfg Config) (*Server, error) {
	s := &Server{routes: cfg.Routes, byKey: map[string][]int{}, preflight: cfg.Preflight,
		timeout: cfg.Timeout, served: map[string]int{}, conns: map[net.Conn]struct{}{}}
	if s.timeout <= 0 {
		s.timeout = 30 * time.Second
	}
	for i := range cfg.Routes {
		r := &cfg.Routes[i]
		k, err := Key(r.URL)
		if err != nil {
			return nil, &RouteError{Route: i, URL: r.URL, Msg: err.Error()}
		}
		if !strings.HasPrefix(k, "http://") && !strings.HasPrefix(k, "https://") {
			return nil, &RouteError{Route: i, URL: r.URL, Msg: "not an http or https URL"}
		}
		if msg := checkResponse(&r.Response); msg != "" {
			return nil, &RouteError{Route: i, URL: r.URL, Msg: msg}
		}
		s.byKey[k] = append(s.byKey[k], i)
	}
	if p := cfg.Preflight; p != nil {
		if msg := checkResponse(p); msg != "" {
			return nil, &RouteError{Route: -1, Msg: msg}
		}
	}
	cert, err := certificate()
	if err != nil {
		return nil, err
	}
	s.cert = cert
	if s.ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, err
	}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Key returns the serialization requests are matched on: rawURL without
// credentials and fragment, with the URL standard's host, port and path
// canonicalization.
func Key(rawURL string) (string, error) {
	_, report, err := weburl.ParseWithReport(rawURL)
	if err != nil {
		return "", err
	}
	return report, nil
}

// checkResponse says why r cannot be sent as listed over HTTP/1.1, or "".
func checkResponse(r *Response) string {
	if r.Status < 200 || r.Status > 999 {
		return fmt.Sprintf("status %d: HTTP/1.1 carries only final statuses 200-999 this way (a 1xx is read as interim)", r.Status)
	}
	var lengths []string
	for i, h := range r.Header {
		if !isToken(h[0]) {
			return fmt.Sprintf("header %d: %q is not a header name", i, h[0])
		}
		for j := 0; j < len(h[1]); j++ {
			if c := h[1][j]; c < ' ' && c != '\t' || c == 0x7f {
				return fmt.Sprintf("header %s: the value has control byte %#x, which HTTP/1.1 clients reject", h[0], c)
			}
		}
		switch strings.ToLower(h[0]) {
		case "content-length":
			lengths = append(lengths, strings.TrimSpace(h[1]))
		case "transfer-encoding":
			if !strings.EqualFold(strings.TrimSpace(h[1]), "chunked") {
				return fmt.Sprintf("Transfer-Encoding %q: only chunked can be applied to the body", h[1])
			}
		}
	}
	for _, l := range lengths {
		if l != strconv.Itoa(len(r.Body)) {
			return fmt.Sprintf("Content-Length %q, but the body has %d bytes", l, len(r.Body))
		}
	}
	if len(r.Body) > 0 && !bodyAllowed(r.Status) {
		return fmt.Sprintf("status %d has no body in HTTP/1.1, but the body has %d bytes", r.Status, len(r.Body))
	}
	return ""
}

func bodyAllowed(status int) bool { return status != 204 && status != 304 }

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// Addr returns the listener's address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Transport returns a new base transport for s: it dials every host:port
// to s, trusts s's certificate for any name (and no other), speaks
// HTTP/1.1 only, uses no proxy, asks for no compression (so bodies arrive
// as served) and keeps no connection alive.
func (s *Server) Transport() *http.Transport {
	addr := s.ln.Addr().String()
	want := s.cert.Certificate[0]
	var d net.Dialer
	return &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "tcp", addr)
		},
		TLSClientConfig: &tls.Config{
			// The certificate is checked below, by its bytes, for any
			// host name: verification by name would need every name a
			// fixture uses in it.
			InsecureSkipVerify: true,
			VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
				if len(raw) == 0 || !bytes.Equal(raw[0], want) {
					return errors.New("wire: not the wire server's certificate")
				}
				return nil
			},
		},
		TLSNextProto:       map[string]func(string, *tls.Conn) http.RoundTripper{}, // no HTTP/2
		DisableCompression: true,
		DisableKeepAlives:  true,
		Proxy:              nil,
	}
}

// Received returns the requests s has read, in the order it read them.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Close stops s and waits for its connections to end.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.handle(c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// handle reads one request from c and answers it; the connection then
// closes, which also ends a body sent without a length.
func (s *Server) handle(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(s.timeout))
	br := bufio.NewReader(c)
	first, err := br.Peek(1)
	if err != nil {
		return
	}
	scheme := "http"
	var conn net.Conn = c
	if first[0] == 0x16 { // a TLS handshake record
		tc := tls.Server(&bufferedConn{Conn: c, r: br}, &tls.Config{Certificates: []tls.Certificate{*s.cert}})
		if tc.Handshake() != nil {
			return
		}
		defer tc.Close()
		scheme, conn, br = "https", tc, bufio.NewReader(tc)
	}
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	io.Copy(io.Discard, io.LimitReader(req.Body, 1<<20))
	req.Body.Close()
	target := req.RequestURI
	if !strings.HasPrefix(target, "/") {
		target = "/" // "*", or an absolute form no client of ours sends
	}
	raw := scheme + "://" + req.Host + target
	key, err := Key(raw)
	if err != nil {
		key = raw
	}
	rec := Received{Method: req.Method, URL: key, Route: -1, Header: req.Header}
	var resp *Response
	if req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != "" {
		rec.Preflight = true
		resp = s.preflight
	} else {
		s.mu.Lock()
		if idx := s.byKey[key]; s.served[key] < len(idx) {
			rec.Route = idx[s.served[key]]
			s.served[key]++
			resp = &s.routes[rec.Route].Response
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	s.received = append(s.received, rec)
	s.mu.Unlock()
	if resp == nil {
		return // no answer: the client sees the connection close
	}
	w := bufio.NewWriter(conn)
	writeResponse(w, resp, req.Method == http.MethodHead)
	if w.Flush() == nil {
		if tc, ok := conn.(*tls.Conn); ok {
			tc.CloseWrite()
		} else if tc, ok := conn.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
		// Let the client read to the end before the connection goes.
		io.Copy(io.Discard, io.LimitReader(br, 1<<20))
	}
}

// writeResponse writes resp as an HTTP/1.1 response: the status line,
// the header lines as listed, and the body (none for HEAD), chunked when
// the headers say so, else delimited by the connection's close.
func writeResponse(w *bufio.Writer, resp *Response, head bool) {
	reason := http.StatusText(resp.Status)
	if reason == "" {
		reason = "Status"
	}
	fmt.Fprintf(w, "HTTP/1.1 %03d %s\r\n", resp.Status, reason)
	chunked := false
	for _, h := range resp.Header {
		w.WriteString(h[0])
		w.WriteString(": ")
		w.WriteString(h[1])
		w.WriteString("\r\n")
		chunked = chunked || strings.EqualFold(h[0], "Transfer-Encoding")
	}
	w.WriteString("\r\n")
	if head || !bodyAllowed(resp.Status) {
		return
	}
	if !chunked {
		w.Write(resp.Body)
		return
	}
	for b := resp.Body; len(b) > 0; {
		n := min(len(b), 8192)
		fmt.Fprintf(w, "%x\r\n", n)
		w.Write(b[:n])
		w.WriteString("\r\n")
		b = b[n:]
	}
	w.WriteString("0\r\n\r\n")
}

// bufferedConn reads through the bufio.Reader that peeked at the first
// byte.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

var (
	certOnce sync.Once
	certVal  *tls.Certificate
	certErr  error
)

// certificate returns the process's self-signed certificate, made on first
// use: ECDSA P-256, valid for a day, with no name (clients pin its bytes).
func certificate() (*tls.Certificate, error) {
	certOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			certErr = err
			return
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{CommonName: "xorigin wire"},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			certErr = err
			return
		}
		certVal = &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	})
	return certVal, certErr
}
