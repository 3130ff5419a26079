package enforce_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

func TestAddressSpaceOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		addr string
		want fetchctx.AddressSpace
	}{
		{"127.0.0.1", fetchctx.AddressSpaceLoopback},
		{"0.0.0.0", fetchctx.AddressSpaceLoopback},
		{"0.0.0.1", fetchctx.AddressSpaceLocal},
		{"10.255.255.255", fetchctx.AddressSpaceLocal},
		{"11.0.0.0", fetchctx.AddressSpacePublic},
		{"100.63.255.255", fetchctx.AddressSpacePublic},
		{"100.64.0.0", fetchctx.AddressSpaceLocal},
		{"100.127.255.255", fetchctx.AddressSpaceLocal},
		{"172.16.0.0", fetchctx.AddressSpaceLocal},
		{"172.32.0.0", fetchctx.AddressSpacePublic},
		{"192.168.255.255", fetchctx.AddressSpaceLocal},
		{"192.169.0.0", fetchctx.AddressSpacePublic},
		{"198.18.0.0", fetchctx.AddressSpaceLoopback},
		{"198.19.255.255", fetchctx.AddressSpaceLoopback},
		{"169.254.169.254", fetchctx.AddressSpaceLocal},
		{"8.8.8.8", fetchctx.AddressSpacePublic},
		{"::1", fetchctx.AddressSpaceLoopback},
		{"::", fetchctx.AddressSpaceLoopback},
		{"::2", fetchctx.AddressSpacePublic},
		{"fc00::", fetchctx.AddressSpaceLocal},
		{"fdff:ffff::1", fetchctx.AddressSpaceLocal},
		{"fe80::1%eth0", fetchctx.AddressSpaceLocal},
		{"febf::1", fetchctx.AddressSpaceLocal},
		{"fec0::1", fetchctx.AddressSpaceLocal},
		{"ff02::1", fetchctx.AddressSpacePublic},
		{"2001:db8:ffff::1", fetchctx.AddressSpaceLocal},
		{"3fff:fff::1", fetchctx.AddressSpaceLocal},
		{"3fff:1000::1", fetchctx.AddressSpacePublic},
		{"::ffff:10.0.0.1", fetchctx.AddressSpaceLocal},
		{"::ffff:127.0.0.1", fetchctx.AddressSpaceLoopback},
		{"::ffff:0.0.0.0", fetchctx.AddressSpaceLoopback},
		{"::ffff:1.1.1.1", fetchctx.AddressSpacePublic},
		{"64:ff9b::a00:1", fetchctx.AddressSpacePublic}, // NAT64 of 10.0.0.1: not in the table
	} {
		if got := fetchctx.AddressSpaceOf(netip.MustParseAddr(c.addr)); got != c.want {
			t.Errorf("AddressSpaceOf(%s) = %v, want %v", c.addr, got, c.want)
		}
	}
	if got := fetchctx.AddressSpaceOf(netip.Addr{}); got != fetchctx.AddressSpaceUnknown {
		t.Errorf("the zero Addr: %v, want unknown", got)
	}
}

// lnaRequest is a request from page (in space client) for url.
func lnaRequest(page string, client fetchctx.AddressSpace, url string) *fetchctx.Request {
	r := &fetchctx.Request{Origin: origin.MustParse(page), Mode: fetchctx.ModeCORS, AddressSpace: client}
	if url != "" {
		r.URLs = []fetchctx.URL{fetchctx.MustParseURL(url)}
	}
	return r
}

func TestLocalNetworkPolicies(t *testing.T) {
	t.Parallel()
	req := lnaRequest("https://page.test", fetchctx.AddressSpacePublic, "https://router.test/")
	var asked atomic.Int32
	ask := func(r *fetchctx.Request, i int, target fetchctx.AddressSpace) bool {
		asked.Add(1)
		return target == fetchctx.AddressSpaceLocal
	}
	for _, c := range []struct {
		name   string
		cfg    enforce.Config
		target fetchctx.AddressSpace
		want   enforce.Reason
	}{
		{"block", enforce.Config{Checks: enforce.AllChecks}, fetchctx.AddressSpaceLocal, enforce.ReasonLocalNetworkPermissionDenied},
		{"allow", enforce.Config{Checks: enforce.AllChecks, LocalNetwork: enforce.LocalNetworkAllow}, fetchctx.AddressSpaceLoopback, enforce.ReasonNone},
		{"ask, granted", enforce.Config{Checks: enforce.AllChecks, LocalNetwork: enforce.LocalNetworkAsk, LocalNetworkPermission: ask}, fetchctx.AddressSpaceLocal, enforce.ReasonNone},
		{"ask, denied", enforce.Config{Checks: enforce.AllChecks, LocalNetwork: enforce.LocalNetworkAsk, LocalNetworkPermission: ask}, fetchctx.AddressSpaceLoopback, enforce.ReasonLocalNetworkPermissionDenied},
		{"ask, no callback", enforce.Config{Checks: enforce.AllChecks, LocalNetwork: enforce.LocalNetworkAsk}, fetchctx.AddressSpaceLocal, enforce.ReasonLocalNetworkPermissionDenied},
		{"not a local network request", enforce.Config{Checks: enforce.AllChecks}, fetchctx.AddressSpacePublic, enforce.ReasonNone},
		{"off by default", enforce.Config{}, fetchctx.AddressSpaceLoopback, enforce.ReasonNone},
	} {
		v := enforce.New(c.cfg).CheckAddress(req, 0, c.target)
		if v.Reason != c.want || v.Allows() != (c.want == enforce.ReasonNone) {
			t.Errorf("%s: %+v, want %v", c.name, v, c.want)
		}
	}
	if asked.Load() != 2 {
		t.Errorf("the callback was asked %d times, want 2", asked.Load())
	}
	// A context that is not secure is never asked, whatever the policy.
	insecure := lnaRequest("http://page.test", fetchctx.AddressSpacePublic, "http://router.test/")
	e := enforce.New(enforce.Config{Checks: enforce.AllChecks, LocalNetwork: enforce.LocalNetworkAllow})
	if v := e.CheckAddress(insecure, 0, fetchctx.AddressSpaceLocal); v.Reason != enforce.ReasonInsecureLocalNetwork {
		t.Errorf("insecure client: %+v, want InsecureLocalNetwork", v)
	}
	// A space outside the enumeration fails closed.
	if v := e.CheckAddress(req, 0, fetchctx.AddressSpace(9)); v.Reason != enforce.ReasonInvalidRequest {
		t.Errorf("space 9: %+v, want invalid-request", v)
	}
}

func TestLocalNetworkNoAllocs(t *testing.T) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckLocalNetwork})
	req := lnaRequest("https://page.test", 0, "https://[fd00::1]/x")
	hops := []enforce.Response{{Status: 200}}
	if n := testing.AllocsPerRun(200, func() { sinkVerdict, _ = e.Decide(req, hops, nil) }); n != 0 {
		t.Errorf("%v allocations per decision, want 0", n)
	}
}

// listenOn starts an HTTP server on host (a loopback address) that counts
// the requests it answers.
func listenOn(t *testing.T, host string, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", host+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", host, err)
	}
	var n atomic.Int32
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		io.WriteString(w, body)
	})}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestTransportDNSRebinding: rebind.test first resolves to a public
// address, then to 127.0.0.1. The second request is blocked on the
// address its connection reached, before it is written: the loopback
// server never sees it. (127.0.0.2 stands for the public address: the
// Transport's AddressSpace override says so, as an administrator's
// configuration could; every other address keeps the table's space.)
func TestTransportDNSRebinding(t *testing.T) {
	t.Parallel()
	public, publicHits := listenOn(t, "127.0.0.2", "public")
	private, privateHits := listenOn(t, "127.0.0.1", "secret")
	var answers atomic.Int32
	base := &http.Transport{
		DisableKeepAlives: true, // each request resolves and dials again
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			// The resolver's answers: public first, then loopback.
			target := public.Listener.Addr().String()
			if answers.Add(1) > 1 {
				target = private.Listener.Addr().String()
			}
			return (&net.Dialer{}).DialContext(ctx, network, target)
		},
	}
	tr := enforce.NewTransport(enforce.TransportConfig{
		Base:   base,
		Engine: enforce.New(enforce.Config{Checks: enforce.CheckLocalNetwork}),
		AddressSpace: func(_ *fetchctx.Request, _ int, a netip.Addr) fetchctx.AddressSpace {
			if a == netip.MustParseAddr("127.0.0.2") {
				return fetchctx.AddressSpacePublic
			}
			return fetchctx.AddressSpaceUnknown
		},
	})
	c := &http.Client{Transport: tr}
	page := lnaRequest("https://attacker.test", 0, "")
	resp, err := clientDo(t, c, page, "GET", "http://rebind.test/data", nil, nil)
	if err != nil {
		t.Fatalf("first request (public answer): %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "public" {
		t.Fatalf("first request got %q", b)
	}
	resp, err = clientDo(t, c, page, "GET", "http://rebind.test/data", nil, nil)
	wantClientBlocked(t, resp, err, enforce.ReasonLocalNetworkPermissionDenied, 0)
	if publicHits.Load() != 1 || privateHits.Load() != 0 {
		t.Fatalf("public server saw %d requests, loopback server %d; want 1 and 0", publicHits.Load(), privateHits.Load())
	}
}

// TestTransportLocalNetworkNothingWritten: a blocked connection is closed
// as soon as it is dialed: not a byte (no TLS ClientHello, no request)
// reaches the local server.
func TestTransportLocalNetworkNothingWritten(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var got []byte
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		b, _ := io.ReadAll(conn)
		mu.Lock()
		got = b
		mu.Unlock()
	}()
	base := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, ln.Addr().String())
	}}
	tr := enforce.NewTransport(enforce.TransportConfig{Base: base, Engine: enforce.New(enforce.Config{Checks: enforce.CheckLocalNetwork})})
	for _, u := range []string{"https://router.test/", "http://router.test/"} {
		resp, err := clientDo(t, &http.Client{Transport: tr}, lnaRequest("https://page.test", 0, ""), "GET", u, nil, nil)
		wantClientBlocked(t, resp, err, enforce.ReasonLocalNetworkPermissionDenied, 0)
	}
	ln.Close()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 0 {
		t.Fatalf("the local server received %d bytes: %q", len(got), got)
	}
}

// TestTransportLocalNetworkReusedConnection: a kept-alive connection to a
// loopback server, dialed for a client allowed to reach it, is checked
// again when another client's request gets it: that request is refused
// and never written.
func TestTransportLocalNetworkReusedConnection(t *testing.T) {
	t.Parallel()
	srv, hits := listenOn(t, "127.0.0.1", "secret")
	base := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}}
	tr := enforce.NewTransport(enforce.TransportConfig{Base: base, Engine: enforce.New(enforce.Config{Checks: enforce.CheckLocalNetwork})})
	c := &http.Client{Transport: tr}
	resp, err := clientDo(t, c, lnaRequest("http://dev.test", fetchctx.AddressSpaceLoopback, ""), "GET", "http://dev.test/a", nil, nil)
	if err != nil {
		t.Fatalf("a loopback client: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close() // the connection goes back to the pool
	resp, err = clientDo(t, c, lnaRequest("https://page.test", 0, ""), "GET", "http://dev.test/a", nil, nil)
	wantClientBlocked(t, resp, err, enforce.ReasonLocalNetworkPermissionDenied, 0)
	if hits.Load() != 1 {
		t.Fatalf("the server answered %d requests, want 1", hits.Load())
	}
}
