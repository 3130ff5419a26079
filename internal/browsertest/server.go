package browsertest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xorigin/xorigin/enforce"
)

// pathPrefix starts the path of every URL the servers answer: the path of a
// fixture URL becomes pathPrefix + case number + "/" + hop number (or
// "page") + the fixture's own path, so that cases that share URLs can run at
// the same time, and the original path (with its extension) stays visible.
const pathPrefix = "/__xorigin/"

// served is what the servers answer for one case.
type served struct {
	page      []byte      // the initiator document
	pageHdr   [][2]string // its headers
	hops      []hop
	preflight *hop // the answer to a CORS preflight (OPTIONS), if the case gives one
}

// hop is one response, written exactly as the fixture lists it.
type hop struct {
	status  int
	headers [][2]string
	body    []byte
}

// server answers on loopback for every case in flight: one listener per
// port, each speaking TLS or plain HTTP/1.1 as the client's first byte says,
// so a fixture's http: and https: URLs on any port reach it.
type server struct {
	tlsConfig *tls.Config
	http      *http.Server
	conns     chan net.Conn
	listeners []net.Listener

	mu    sync.Mutex
	ports map[netip.AddrPort]bool
	cases map[int]*served
	// requests and preflights count what each case's hops received.
	requests   map[int]int
	preflights map[int]int
	closed     chan struct{}
	wg         sync.WaitGroup
}

// newServer starts a server with no listeners; ensure adds them.
func newServer() (*server, error) {
	cert, err := selfSignedCert()
	if err != nil {
		return nil, err
	}
	s := &server{
		tlsConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			// HTTP/1.1 only: every response is written by hand on its
			// connection, which HTTP/2 does not allow.
			NextProtos: []string{"http/1.1"},
		},
		conns:      make(chan net.Conn),
		cases:      map[int]*served{},
		requests:   map[int]int{},
		preflights: map[int]int{},
		ports:      map[netip.AddrPort]bool{},
		closed:     make(chan struct{}),
	}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		// An empty map turns HTTP/2 off.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ErrorLog:     log.New(io.Discard, "", 0),
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.http.Serve(chanListener{s})
	}()
	return s, nil
}

// ensure listens on each of addrs not listened on yet. A listener on
// 127.0.0.1 comes with one on [::1] where the machine has IPv6, since
// Chromium resolves "localhost" to either.
func (s *server) ensure(addrs []netip.AddrPort) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ap := range addrs {
		if s.ports[ap] {
			continue
		}
		l, err := net.Listen("tcp", ap.String())
		if err != nil {
			return newPortError(ap, err)
		}
		s.ports[ap] = true
		s.listeners = append(s.listeners, l)
		s.wg.Add(1)
		go s.accept(l)
		if ap.Addr() != netip.AddrFrom4([4]byte{127, 0, 0, 1}) {
			continue
		}
		v6 := netip.AddrPortFrom(netip.IPv6Loopback(), ap.Port())
		if s.ports[v6] {
			continue
		}
		if l6, err := net.Listen("tcp", v6.String()); err == nil {
			s.ports[v6] = true
			s.listeners = append(s.listeners, l6)
			s.wg.Add(1)
			go s.accept(l6)
		}
	}
	return nil
}

// accept hands each connection of l to the HTTP server, wrapped in TLS when
// its first byte opens a TLS handshake.
func (s *server) accept(l net.Listener) {
	defer s.wg.Done()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			br := bufio.NewReader(c)
			first, err := br.Peek(1)
			if err != nil {
				c.Close()
				return
			}
			_ = c.SetReadDeadline(time.Time{})
			var conn net.Conn = &peekedConn{Conn: c, r: br}
			if first[0] == 0x16 { // TLS record type handshake
				conn = tls.Server(conn, s.tlsConfig)
			}
			select {
			case s.conns <- conn:
			case <-s.closed:
				c.Close()
			}
		}()
	}
}

func (s *server) close() {
	select {
	case <-s.closed:
		return
	default:
	}
	close(s.closed)
	s.mu.Lock()
	for _, l := range s.listeners {
		l.Close()
	}
	s.mu.Unlock()
	if s.http != nil {
		s.http.Close()
	}
	s.wg.Wait()
}

func (s *server) add(id int, c *served) {
	s.mu.Lock()
	s.cases[id] = c
	s.mu.Unlock()
}

func (s *server) remove(id int) {
	s.mu.Lock()
	delete(s.cases, id)
	delete(s.requests, id)
	delete(s.preflights, id)
	s.mu.Unlock()
}

// counts returns the requests and the preflights case id's hops received.
func (s *server) counts(id int) (requests, preflights int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[id], s.preflights[id]
}

// notFound is the header of the server's 404s, a preflight's that the case
// gives no answer for among them.
var notFound = [][2]string{{"Content-Type", "text/plain"}}

// unlistedPreflightStatus is the status of the answer to a preflight the
// case gives no answer for.
const unlistedPreflightStatus = 404

// unlistedPreflight is that answer as the engine reads it: a case without
// a preflight answer is decided on what Chromium got, so that a preflight
// both send fails on the same answer.
var unlistedPreflight = func() enforce.Response {
	h := http.Header{}
	for _, kv := range notFound {
		h.Add(kv[0], kv[1])
	}
	r, err := enforce.ParseResponse(unlistedPreflightStatus, h)
	if err != nil {
		panic("browsertest: the unlisted preflight's answer does not parse: " + err.Error())
	}
	return r
}()

// ServeHTTP answers pathPrefix/<case>/page with the initiator document,
// pathPrefix/<case>/flush with an empty script without CORP, and
// pathPrefix/<case>/<hop>/... with that hop's response (an OPTIONS request
// with the case's preflight answer), written by hand so that the status
// line, headers (order, case, duplicates) and body are the fixture's.
// Anything else is a 404.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id, part, ok := parsePath(r.URL.EscapedPath())
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	s.mu.Lock()
	c := s.cases[id]
	if ok && c != nil && part != "page" && part != flushPart {
		if preflight {
			s.preflights[id]++
		} else {
			s.requests[id]++
		}
	}
	s.mu.Unlock()
	if !ok || c == nil {
		writeRaw(w, 404, notFound, []byte("not a case\n"))
		return
	}
	if part == "page" {
		writeRaw(w, 200, c.pageHdr, c.page)
		return
	}
	if part == flushPart {
		// No CORP: a require-corp page's flush request is blocked (or,
		// report-only, reported) with a report of its own (pageHTML).
		writeRaw(w, 200, [][2]string{{"Content-Type", "text/javascript"}}, nil)
		return
	}
	n, err := strconv.Atoi(part)
	switch {
	case err != nil || n < 0 || n >= len(c.hops):
		writeRaw(w, 404, notFound, []byte("no such hop\n"))
	case preflight && c.preflight == nil:
		// The fixture expects no preflight: answer without any CORS
		// header, so that one Chromium sends anyway fails visibly.
		writeRaw(w, unlistedPreflightStatus, notFound, []byte("this case has no preflight answer\n"))
	case preflight:
		writeRaw(w, c.preflight.status, c.preflight.headers, c.preflight.body)
	default:
		h := c.hops[n]
		writeRaw(w, h.status, h.headers, h.body)
	}
}

// parsePath splits pathPrefix + "<case>/<part>[/...]".
func parsePath(p string) (id int, part string, ok bool) {
	rest, found := strings.CutPrefix(p, pathPrefix)
	if !found {
		return 0, "", false
	}
	num, rest, _ := strings.Cut(rest, "/")
	part, _, _ = strings.Cut(rest, "/")
	id, err := strconv.Atoi(num)
	if err != nil || part == "" {
		return 0, "", false
	}
	return id, part, true
}

// writeRaw takes over the connection and writes the response as given,
// with only "Connection: close" added, and the body delimited by closing
// the connection: net/http would sort the headers, canonicalize their
// names, add Content-Length and Date, and sniff a Content-Type the fixture
// does not have. The added header also marks a real response: ORB's empty
// response to fetch() reaches DevTools with no headers at all.
func writeRaw(w http.ResponseWriter, status int, headers [][2]string, body []byte) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	text := http.StatusText(status)
	if text == "" {
		text = "Status"
	}
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", status, text)
	for _, h := range headers {
		fmt.Fprintf(buf, "%s: %s\r\n", h[0], h[1])
	}
	buf.WriteString("Connection: close\r\n\r\n")
	buf.Write(body)
	_ = buf.Flush()
}

// chanListener feeds the connections accept classified to http.Server.
type chanListener struct{ s *server }

func (l chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.s.conns:
		return c, nil
	case <-l.s.closed:
		return nil, net.ErrClosed
	}
}

func (l chanListener) Close() error   { return nil }
func (l chanListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

// peekedConn reads through the bufio.Reader that peeked at the first byte.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// selfSignedCert makes a throwaway certificate; Chromium runs with
// --ignore-certificate-errors, so its names do not matter.
func selfSignedCert() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "xorigin browsertest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	if der == nil {
		return tls.Certificate{}, errors.New("browsertest: no certificate")
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
