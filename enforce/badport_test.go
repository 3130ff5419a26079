package enforce_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
)

// TestIsBadPort checks the table against Fetch's list as written in the
// spec (port blocking), and that nothing else is bad.
func TestIsBadPort(t *testing.T) {
	t.Parallel()
	spec := map[uint16]bool{}
	for _, p := range []uint16{0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69,
		77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139,
		143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556,
		563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060,
		5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080} {
		spec[p] = true
	}
	if len(spec) != 83 {
		t.Fatalf("the spec's list has 83 ports, this one %d", len(spec))
	}
	for p := 0; p <= 65535; p++ {
		if got := enforce.IsBadPort(uint16(p)); got != spec[uint16(p)] {
			t.Errorf("IsBadPort(%d) = %v, want %v", p, got, spec[uint16(p)])
		}
	}
}

// TestTransportBadPortSendsNothing: a hostile server redirects to a bad
// port on the same host (a mail server, say). The Transport refuses the
// redirect's target before dialing it: no connection is ever opened.
func TestTransportBadPortSendsNothing(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:25/", http.StatusFound)
	}))
	defer srv.Close()
	var toBadPort atomic.Int32
	base := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if _, port, _ := net.SplitHostPort(addr); port == "25" {
			toBadPort.Add(1)
		}
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}}
	defer base.CloseIdleConnections()
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: base})}
	resp, err := clientDo(t, c, noCORS(fetchctx.DestinationImage, fetchctx.CredentialsOmit), "GET", srv.URL+"/start", nil, nil)
	wantClientBlocked(t, resp, err, enforce.ReasonBadPort, 1)
	if n := toBadPort.Load(); n != 0 {
		t.Fatalf("%d connections to port 25, want none", n)
	}
	// The first request to a bad port is refused the same way.
	resp, err = clientDo(t, c, noCORS(fetchctx.DestinationImage, fetchctx.CredentialsOmit), "GET", "http://127.0.0.1:25/", nil, nil)
	wantClientBlocked(t, resp, err, enforce.ReasonBadPort, 0)
	if n := toBadPort.Load(); n != 0 {
		t.Fatalf("%d connections to port 25, want none", n)
	}
}
