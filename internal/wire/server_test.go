package wire_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xorigin/xorigin/internal/wire"
)

// rawExchange sends one request on a raw connection to srv (over TLS when
// tlsName is not empty) and returns every byte of the answer.
func rawExchange(t *testing.T, srv *wire.Server, tlsName, request string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", srv.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	var conn net.Conn = c
	if tlsName != "" {
		conn = tls.Client(c, &tls.Config{ServerName: tlsName, InsecureSkipVerify: true})
	}
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	return string(b)
}

// TestServerBytes: the answer is the status line, the header lines exactly
// as listed (order, case, duplicates, white space), and the body, with
// nothing added, over plain HTTP and over TLS on the same listener.
func TestServerBytes(t *testing.T) {
	t.Parallel()
	hdr := [][2]string{
		{"content-type", "text/html"},
		{"X-Dup", "1"},
		{"Cross-Origin-Resource-Policy", " same-origin\t"},
		{"X-Dup", "2"},
		{"SET-COOKIE", "a=b"},
	}
	srv, err := wire.NewServer(wire.Config{Routes: []wire.Route{
		{URL: "http://b.test/x?q=1", Response: wire.Response{Status: 203, Header: hdr, Body: []byte("<p>plain")}},
		{URL: "https://b.test/x?q=1", Response: wire.Response{Status: 599, Header: hdr, Body: []byte("<p>tls")}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	head := "content-type: text/html\r\nX-Dup: 1\r\nCross-Origin-Resource-Policy:  same-origin\t\r\nX-Dup: 2\r\nSET-COOKIE: a=b\r\n\r\n"
	for _, tt := range []struct{ tls, want string }{
		{"", "HTTP/1.1 203 Non-Authoritative Information\r\n" + head + "<p>plain"},
		{"b.test", "HTTP/1.1 599 Status\r\n" + head + "<p>tls"},
	} {
		got := rawExchange(t, srv, tt.tls, "GET /x?q=1 HTTP/1.1\r\nHost: B.test:"+map[string]string{"": "80", "b.test": "443"}[tt.tls]+"\r\n\r\n")
		if got != tt.want {
			t.Errorf("tls %q: got\n%q\nwant\n%q", tt.tls, got, tt.want)
		}
	}
	rec := srv.Received()
	if len(rec) != 2 || rec[0].URL != "http://b.test/x?q=1" || rec[0].Route != 0 || rec[1].URL != "https://b.test/x?q=1" || rec[1].Route != 1 {
		t.Errorf("received %+v", rec)
	}
}

// TestServerRouting: repeated URLs get their routes in order, then no
// answer; a CORS preflight gets the preflight answer, or none; an unknown
// URL gets none; every request is recorded.
func TestServerRouting(t *testing.T) {
	t.Parallel()
	srv, err := wire.NewServer(wire.Config{
		Routes: []wire.Route{
			{URL: "https://a.test/r", Response: wire.Response{Status: 302, Header: [][2]string{{"Location", "/r"}}}},
			{URL: "https://a.test/r", Response: wire.Response{Status: 200, Body: []byte("second")}},
		},
		Preflight: &wire.Response{Status: 204, Header: [][2]string{{"Access-Control-Allow-Origin", "*"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client := &http.Client{Transport: srv.Transport(), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(method, url string, h ...string) (int, string, error) {
		req, _ := http.NewRequestWithContext(context.Background(), method, url, nil)
		for i := 0; i+1 < len(h); i += 2 {
			req.Header.Set(h[i], h[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	if st, _, err := get("GET", "https://a.test/r"); err != nil || st != 302 {
		t.Errorf("first: %d, %v", st, err)
	}
	if st, body, err := get("OPTIONS", "https://a.test:443/r", "Access-Control-Request-Method", "PUT"); err != nil || st != 204 || body != "" {
		t.Errorf("preflight: %d %q, %v", st, body, err)
	}
	if st, body, err := get("GET", "https://A.TEST/r#frag"); err != nil || st != 200 || body != "second" {
		t.Errorf("second: %d %q, %v", st, body, err)
	}
	if _, _, err := get("GET", "https://a.test/r"); err == nil {
		t.Error("third request to a URL with two routes was answered")
	}
	if _, _, err := get("GET", "http://a.test/r"); err == nil {
		t.Error("http: URL with only an https: route was answered")
	}
	var got []string
	for _, r := range srv.Received() {
		what := fmt.Sprintf("route %d", r.Route)
		if r.Preflight {
			what = "preflight"
		}
		got = append(got, r.Method+" "+r.URL+" "+what)
	}
	want := "GET https://a.test/r route 0|OPTIONS https://a.test/r preflight|GET https://a.test/r route 1|GET https://a.test/r route -1|GET http://a.test/r route -1"
	if strings.Join(got, "|") != want {
		t.Errorf("received\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
}

// TestServerRejects: a response HTTP/1.1 cannot carry as listed is a
// *RouteError naming it.
func TestServerRejects(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		r    wire.Route
		msg  string
	}{
		{"interim status", wire.Route{URL: "https://a.test/", Response: wire.Response{Status: 103}}, "interim"},
		{"body on 304", wire.Route{URL: "https://a.test/", Response: wire.Response{Status: 304, Body: []byte("x")}}, "no body"},
		{"wrong length", wire.Route{URL: "https://a.test/", Response: wire.Response{Status: 200, Header: [][2]string{{"Content-Length", "4"}}}}, "Content-Length"},
		{"gzip transfer coding", wire.Route{URL: "https://a.test/", Response: wire.Response{Status: 200, Header: [][2]string{{"Transfer-Encoding", "gzip"}}}}, "chunked"},
		{"control byte", wire.Route{URL: "https://a.test/", Response: wire.Response{Status: 200, Header: [][2]string{{"X", "a\x01b"}}}}, "control"},
		{"bad name", wire.Route{URL: "https://a.test/", Response: wire.Response{Status: 200, Header: [][2]string{{"X Y", "1"}}}}, "header name"},
		{"not http", wire.Route{URL: "data:,x", Response: wire.Response{Status: 200}}, "not an http"},
		{"bad URL", wire.Route{URL: "https://a b/", Response: wire.Response{Status: 200}}, "invalid URL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wire.NewServer(wire.Config{Routes: []wire.Route{tt.r}})
			var re *wire.RouteError
			if !errors.As(err, &re) || re.Route != 0 || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("NewServer: %v, want a *RouteError for route 0 about %q", err, tt.msg)
			}
		})
	}
}

// TestServerChunked: a listed Transfer-Encoding: chunked is applied to the
// body, and the client gets the body back whole.
func TestServerChunked(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("0123456789abcdef", 1200)
	srv, err := wire.NewServer(wire.Config{Routes: []wire.Route{{URL: "http://a.test/c",
		Response: wire.Response{Status: 200, Header: [][2]string{{"Transfer-Encoding", "chunked"}}, Body: []byte(body)}}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := (&http.Client{Transport: srv.Transport()}).Get("http://a.test/c")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(bufio.NewReader(resp.Body))
	if string(b) != body || len(resp.TransferEncoding) != 1 {
		t.Errorf("got %d bytes, transfer encoding %v", len(b), resp.TransferEncoding)
	}
}

// TestServerPinsItsCertificate: the base transport trusts the wire
// server's certificate for any name, and no other server's.
func TestServerPinsItsCertificate(t *testing.T) {
	t.Parallel()
	other, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	go func() {
		for {
			c, err := other.Accept()
			if err != nil {
				return
			}
			c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	srv, err := wire.NewServer(wire.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tr := srv.Transport()
	tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "tcp", other.Addr().String())
	}
	if _, err := (&http.Client{Transport: tr}).Get("https://a.test/"); err == nil || !strings.Contains(err.Error(), "not the wire server's certificate") {
		t.Errorf("another server's certificate: %v", err)
	}
}

func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
