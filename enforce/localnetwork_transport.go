package enforce

import (
	"context"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"sync"

	"github.com/xorigin/xorigin/fetchctx"
)

// AddressSpaceFunc overrides the address space of an address a connection
// reached (Local Network Access lets configuration override the table,
// to treat an IPv6 intranet as local, say). It gets the request and hop
// the connection is for; returning fetchctx.AddressSpaceUnknown keeps the
// table's space. It must be safe for concurrent use.
type AddressSpaceFunc func(req *fetchctx.Request, i int, addr netip.Addr) fetchctx.AddressSpace

// lnaKey is the context key of the lnaHop a RoundTrip puts in the request
// it sends.
type lnaKey struct{}

// lnaHop is one hop's Local Network Access check on the connections that
// serve it: the one dialed for it (before the TLS handshake or the request
// is written), and the one net/http hands it, new or reused (before the
// request is written: a blocked connection is closed first).
type lnaHop struct {
	t       *Transport
	req     *fetchctx.Request
	i       int
	proxied bool // the connection goes to a proxy: its address is not the server's

	mu sync.Mutex
	// dial is the verdict on a connection dialed for this hop, which may
	// end up serving another request; conn the verdict on the connection
	// this hop's request (or its preflight) got.
	dial, conn Verdict
	gotSpace   fetchctx.AddressSpace // of the connection it got
}

// check decides on a connection reaching addr.
func (h *lnaHop) check(addr netip.Addr) (Verdict, fetchctx.AddressSpace) {
	space := fetchctx.AddressSpaceOf(addr)
	if h.t.addressSpace != nil && addr.IsValid() {
		if s := h.t.addressSpace(h.req, h.i, addr); s != fetchctx.AddressSpaceUnknown {
			space = s
		}
	}
	return h.t.engine.CheckAddress(h.req, h.i, space), space
}

// gotConn is the httptrace hook: every connection a request is about to be
// written to, reused ones included, is checked; a blocked one is closed
// before a byte of the request goes out.
func (h *lnaHop) gotConn(info httptrace.GotConnInfo) {
	if h.proxied || info.Conn == nil {
		return
	}
	addr, ok := remoteIP(info.Conn)
	if !ok {
		return
	}
	v, space := h.check(addr)
	h.mu.Lock()
	h.gotSpace = space
	if h.conn.Result == Undecided || h.conn.Allows() {
		h.conn = v // a block stays
	}
	h.mu.Unlock()
	if !v.Allows() {
		// Closing is the one way to stop net/http writing the request.
		// An HTTP/2 connection shared with other requests' streams ends
		// for them too: they fail (closed), never pass.
		info.Conn.Close()
	}
}

// blocked returns the block this hop's connections got, if any: the
// connection its request (or preflight) got, or, when failed says the
// round trip failed, a connection dialed for it. A nil h (the engine does
// not run Local Network Access) never blocks.
func (h *lnaHop) blocked(failed bool) Verdict {
	if h == nil {
		return allowed
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conn.Result == Blocked {
		return h.conn
	}
	if failed && h.dial.Result == Blocked {
		return h.dial
	}
	return allowed
}

// space returns the address space of the connection this hop got, or
// unknown (then the engine derives it from the URL's host).
func (h *lnaHop) space() fetchctx.AddressSpace {
	if h == nil {
		return fetchctx.AddressSpaceUnknown
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gotSpace
}

// withLocalNetwork returns out carrying hop i's check, when the engine
// runs Local Network Access.
func (t *Transport) withLocalNetwork(out *http.Request, req *fetchctx.Request, i int) (*http.Request, *lnaHop) {
	if t.engine.checks&CheckLocalNetwork == 0 {
		return out, nil
	}
	h := &lnaHop{t: t, req: req, i: i, proxied: t.viaProxy(out)}
	ctx := context.WithValue(out.Context(), lnaKey{}, h)
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: h.gotConn})
	return out.WithContext(ctx), h
}

// viaProxy reports whether the Base sends out through a proxy, whose
// address, not the server's, the connection then reaches.
func (t *Transport) viaProxy(out *http.Request) bool {
	ht, ok := t.base.(*http.Transport)
	if !ok || ht.Proxy == nil {
		return false
	}
	u, err := ht.Proxy(out)
	return err == nil && u != nil
}

// localNetworkBase returns base with its dialers wrapped so that a
// connection to a space the request may not reach is closed as soon as it
// is made, before any TLS handshake: a copy, when base is an
// *http.Transport; base itself otherwise (the httptrace check then still
// runs before the request is written).
func (t *Transport) localNetworkBase(base http.RoundTripper) http.RoundTripper {
	ht, ok := base.(*http.Transport)
	if !ok {
		return base
	}
	ht = ht.Clone()
	dial := ht.DialContext
	if dial == nil {
		d := &net.Dialer{}
		dial = d.DialContext
	}
	ht.DialContext = t.checkedDial(dial)
	if tlsDial := ht.DialTLSContext; tlsDial != nil {
		ht.DialTLSContext = t.checkedDial(tlsDial)
	}
	return ht
}

// checkedDial wraps dial: the address a new connection reached is checked
// for the hop the dial was made for.
func (t *Transport) checkedDial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return conn, err
		}
		h, _ := ctx.Value(lnaKey{}).(*lnaHop)
		if h == nil || h.proxied {
			return conn, nil
		}
		ip, ok := remoteIP(conn)
		if !ok {
			return conn, nil
		}
		if v, _ := h.check(ip); !v.Allows() {
			conn.Close()
			h.mu.Lock()
			h.dial = v
			h.mu.Unlock()
			return nil, &BlockedError{URL: h.req.URLs[h.i].ForReporting(), Verdict: v}
		}
		return conn, nil
	}
}

// remoteIP returns the IP address conn reached.
func remoteIP(conn net.Conn) (netip.Addr, bool) {
	switch a := conn.RemoteAddr().(type) {
	case *net.TCPAddr:
		ap := a.AddrPort()
		return ap.Addr(), ap.Addr().IsValid()
	case nil:
		return netip.Addr{}, false
	default:
		ap, err := netip.ParseAddrPort(a.String())
		return ap.Addr(), err == nil
	}
}
