package enforce_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/testbody"
	"github.com/xorigin/xorigin/origin"
)

// The Transport against hostile servers, one test per finding of issue 13:
// each fails on bcf89dd. Pages are http, so mixed content never decides.

// noCORS is a no-cors request from hostilePage.
func noCORS(dest fetchctx.Destination, creds fetchctx.Credentials) *fetchctx.Request {
	return &fetchctx.Request{Origin: origin.MustParse(hostilePage), Destination: dest, Credentials: creds}
}

// clientDo fetches url through a client on tr with fr as the fetch context.
func clientDo(t *testing.T, c *http.Client, fr *fetchctx.Request, method, url string, body io.Reader, hdr http.Header) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), fr), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	return c.Do(req)
}

// wantClientBlocked is wantBlocked for a client's answer (a *url.Error
// around the *BlockedError), checking the hop too.
func wantClientBlocked(t *testing.T, resp *http.Response, err error, reason enforce.Reason, hop int) {
	t.Helper()
	var be *enforce.BlockedError
	if !errors.As(err, &be) {
		if resp != nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			t.Fatalf("got status %d with %d bytes of body, err %v; want blocked (%s)", resp.StatusCode, len(b), err, reason)
		}
		t.Fatalf("got %v; want a *BlockedError (%s)", err, reason)
	}
	if be.Verdict.Reason != reason || be.Verdict.Hop != hop {
		t.Fatalf("blocked with %+v, want reason %s at hop %d", be.Verdict, reason, hop)
	}
}

// decideWhole is the engine's verdict on one response with its whole body.
func decideWhole(t *testing.T, fr *fetchctx.Request, url string, status int, h http.Header, body []byte) enforce.Verdict {
	t.Helper()
	r := *fr
	r.URLs = []fetchctx.URL{fetchctx.MustParseURL(url)}
	hop, _ := enforce.ParseResponse(status, h)
	hop.Body, hop.BodyComplete = body, true
	v, _ := enforce.New(enforce.Config{}).Decide(&r, []enforce.Response{hop}, nil)
	return v
}

// TestHostileBodiesPastTheFirstBuffer: bodies that need ORB's whole-body
// step arrive byte for byte, and are judged on their real bytes, at every
// size across the buffer's growth (finding 1: bytes [1024, 2^k) became NUL).
func TestHostileBodiesPastTheFirstBuffer(t *testing.T) {
	for _, size := range []int{1500, 4097, 5 << 10, 6 << 10, 9000, 64 << 10, 200 << 10, 1 << 20} {
		js, arr := testbody.Script(size), testbody.JSONArray(size)
		h := routes{
			"cdn.test/s.txt": func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.Write(js)
			},
			"cdn.test/a.json": func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(arr)
			},
		}
		n := newTestNet(t, h)
		c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
		within(t, 20*time.Second, func() {
			// A script served as text/plain parses as one: allowed, intact.
			fr := noCORS(fetchctx.DestinationScript, fetchctx.CredentialsInclude)
			if v := decideWhole(t, fr, "http://cdn.test/s.txt", 200, http.Header{"Content-Type": {"text/plain"}}, js); !v.Allows() {
				t.Fatalf("%d bytes: the engine blocks the script: %+v", size, v)
			}
			resp, err := clientDo(t, c, fr, "GET", "http://cdn.test/s.txt", nil, nil)
			wantBody(t, resp, err, string(js))
			// JSON to an image: blocked, as the engine blocks it on the
			// real body.
			fr = noCORS(fetchctx.DestinationImage, fetchctx.CredentialsInclude)
			v := decideWhole(t, fr, "http://cdn.test/a.json", 200, http.Header{"Content-Type": {"application/json"}}, arr)
			if v.Allows() {
				t.Fatalf("%d bytes: the engine allows JSON to an image", size)
			}
			resp, err = clientDo(t, c, fr, "GET", "http://cdn.test/a.json", nil, nil)
			wantClientBlocked(t, resp, err, v.Reason, 0)
		})
	}
}

// TestHostileFinalRedirectStatus: a 3xx that ends the fetch is judged as the
// final response it is (finding 3): without a Location it is no redirect,
// and ORB blocks its HTML body; a 3xx the client stops at comes without
// its body; a 307 whose body cannot be sent again is a network error.
func TestHostileFinalRedirectStatus(t *testing.T) {
	const secret = "<html><body>account 12345, balance 999</body></html>"
	h := routes{
		"evil.test/noloc": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(302)
			io.WriteString(w, secret)
		},
		"evil.test/loc": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("X-Secret", "12345")
			w.Header().Set("Location", "/elsewhere")
			w.WriteHeader(302)
			io.WriteString(w, secret)
		},
		"evil.test/307": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Location", "/elsewhere")
			w.WriteHeader(307)
			io.WriteString(w, secret)
		},
		"evil.test/elsewhere": serve(map[string]string{"Content-Type": "image/png"}, pngBytes),
	}
	n := newTestNet(t, h)
	tr := enforce.NewTransport(enforce.TransportConfig{Base: n.base})
	fr := noCORS(fetchctx.DestinationImage, fetchctx.CredentialsInclude)

	c := &http.Client{Transport: tr}
	resp, err := clientDo(t, c, fr, "GET", "http://evil.test/noloc", nil, nil)
	wantClientBlocked(t, resp, err, enforce.ReasonBlockedByORB, 0)
	if v := decideWhole(t, fr, "http://evil.test/noloc", 302, http.Header{"Content-Type": {"text/html"}}, []byte(secret)); v.Reason != enforce.ReasonBlockedByORB {
		t.Fatalf("the engine on a 302 without Location: %+v, want blocked-by-orb", v)
	}

	// The client stops at the redirect: status and Location, nothing else.
	stop := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = clientDo(t, stop, fr, "GET", "http://evil.test/loc", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 302 || len(b) != 0 || resp.Header.Get("X-Secret") != "" || resp.Header.Get("Content-Type") != "" || resp.Header.Get("Location") != "/elsewhere" {
		t.Fatalf("a redirect the client stops at: status %d, body %q, headers %v", resp.StatusCode, b, resp.Header)
	}
	// Followed, it leads to the image.
	resp, err = clientDo(t, c, fr, "GET", "http://evil.test/loc", nil, nil)
	wantBody(t, resp, err, pngBytes)

	// A POST whose body has no GetBody: http.Client would hand back the
	// 307 with its body; Fetch's HTTP-redirect fetch fails it.
	resp, err = clientDo(t, c, fr, "POST", "http://evil.test/307", io.MultiReader(strings.NewReader("a=1")), nil)
	wantClientBlocked(t, resp, err, enforce.ReasonRedirectBodyNotReplayable, 0)
	// With GetBody it is followed (and its GET-only target answers).
	resp, err = clientDo(t, c, fr, "POST", "http://evil.test/307", strings.NewReader("a=1"), nil)
	wantBody(t, resp, err, pngBytes)
}

// TestHostileRedirectToAnotherScheme: a redirect to file:, data: or any
// scheme but http(s) is a network error in every mode (finding 4), even
// when the Base can fetch it.
func TestHostileRedirectToAnotherScheme(t *testing.T) {
	h := routes{}
	for _, loc := range []string{"file:///etc/passwd", "data:text/plain,secret", "FILE:/etc/passwd", " file:///x", "fi\tle:///x", "blob:http://cdn.test/x", "ftp://cdn.test/x"} {
		loc := loc
		h["evil.test/"+fmt.Sprint(len(h))] = func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Location"] = []string{loc}
			// The CORS check comes before HTTP-redirect fetch: pass it.
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.WriteHeader(302)
		}
	}
	n := newTestNet(t, h)
	files := http.NewFileTransport(http.Dir("/"))
	n.base.RegisterProtocol("file", files)
	tr := enforce.NewTransport(enforce.TransportConfig{Base: n.base})
	c := &http.Client{Transport: tr}
	for path := range h {
		for _, mode := range []fetchctx.Mode{fetchctx.ModeNoCORS, fetchctx.ModeCORS} {
			fr := noCORS(fetchctx.DestinationScript, fetchctx.CredentialsSameOrigin)
			fr.Mode = mode
			resp, err := clientDo(t, c, fr, "GET", "http://"+path, nil, nil)
			wantClientBlocked(t, resp, err, enforce.ReasonUnsafeRedirect, 0)
		}
	}
	// The engine blocks the same hop, and a URL list that reaches such a
	// URL anyway.
	e := enforce.New(enforce.Config{})
	fr := noCORS(fetchctx.DestinationScript, fetchctx.CredentialsInclude)
	fr.URLs = []fetchctx.URL{fetchctx.MustParseURL("http://evil.test/0"), fetchctx.MustParseURL("data:text/plain,secret")}
	hop0, _ := enforce.ParseResponse(302, http.Header{"Location": {"data:text/plain,secret"}})
	hop1, _ := enforce.ParseResponse(200, http.Header{"Content-Type": {"text/plain"}})
	if v, _ := e.Decide(fr, []enforce.Response{hop0, hop1}, nil); v.Reason != enforce.ReasonUnsafeRedirect || v.Hop != 0 {
		t.Fatalf("Decide: %+v", v)
	}
	if v := e.CheckRequest(fr, 1); v.Reason != enforce.ReasonUnsafeRedirect || v.Hop != 0 {
		t.Fatalf("CheckRequest at the data: URL: %+v", v)
	}
}

// dropRequest is a Base that wraps another and drops resp.Request, as a
// cache or a logger may.
type dropRequest struct{ base http.RoundTripper }

func (d dropRequest) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := d.base.RoundTrip(r)
	if resp != nil {
		resp.Request = nil
	}
	return resp, err
}

// TestHostileBaseErasesHistory: a Base that leaves resp.Request nil does
// not make a cross-origin chain look same-origin (finding 5):
// app/start -> evil -> app/secret.json is opaque for an image, and ORB
// blocks the JSON.
func TestHostileBaseErasesHistory(t *testing.T) {
	h := routes{
		"app.example.test/start":       redirect("http://evil.test/bounce", nil),
		"evil.test/bounce":             redirect("http://app.example.test/secret.json", nil),
		"app.example.test/secret.json": serve(map[string]string{"Content-Type": "application/json"}, `{"token":"s3cret"}`),
	}
	n := newTestNet(t, h)
	for name, base := range map[string]http.RoundTripper{"plain": n.base, "dropping": dropRequest{n.base}} {
		t.Run(name, func(t *testing.T) {
			c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: base})}
			fr := noCORS(fetchctx.DestinationImage, fetchctx.CredentialsInclude)
			resp, err := clientDo(t, c, fr, "GET", "http://app.example.test/start", nil, nil)
			wantClientBlocked(t, resp, err, enforce.ReasonBlockedByORB, 2)
		})
	}
	// A request that claims to follow a response no Transport passed on
	// fails closed.
	tr := enforce.NewTransport(enforce.TransportConfig{Base: n.base})
	fr := noCORS(fetchctx.DestinationImage, fetchctx.CredentialsInclude)
	req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), fr), "GET", "http://app.example.test/secret.json", nil)
	req.Response = &http.Response{StatusCode: 302, Request: req} // a cycle, too
	within(t, 10*time.Second, func() {
		if resp, err := tr.RoundTrip(req); err == nil {
			resp.Body.Close()
			t.Error("a request after a response no Transport passed on was sent")
		}
	})
}

// TestHostileAuthorizationAcrossOrigins: Authorization is removed once a
// redirect reaches another origin, even the same host on another port or
// scheme, or a subdomain, which http.Client keeps it for (finding 6); it
// stays on a same-origin redirect.
func TestHostileAuthorizationAcrossOrigins(t *testing.T) {
	got := map[string]string{}
	record := func(w http.ResponseWriter, r *http.Request) {
		got[r.Host+r.URL.Path] = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "image/png")
		io.WriteString(w, pngBytes)
	}
	h := routes{
		"api.example.test/same":       redirect("http://api.example.test/img", nil),
		"api.example.test/sub":        redirect("http://cdn.api.example.test/img", nil),
		"api.example.test/port":       redirect("http://api.example.test:8080/img", nil),
		"api.example.test/back":       redirect("http://cdn.api.example.test/return", nil),
		"cdn.api.example.test/return": redirect("http://api.example.test/img2", nil),
		"api.example.test/img":        record,
		"api.example.test/img2":       record,
		"cdn.api.example.test/img":    record,
		"api.example.test:8080/img":   record,
	}
	n := newTestNet(t, h)
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	want := map[string]string{
		"/same": "Bearer t", "/sub": "", "/port": "", "/back": "",
	}
	target := map[string]string{
		"/same": "api.example.test/img", "/sub": "cdn.api.example.test/img",
		"/port": "api.example.test:8080/img", "/back": "api.example.test/img2",
	}
	for path, w := range want {
		fr := noCORS(fetchctx.DestinationImage, fetchctx.CredentialsInclude)
		resp, err := clientDo(t, c, fr, "GET", "http://api.example.test"+path, nil, http.Header{"Authorization": {"Bearer t"}})
		wantBody(t, resp, err, pngBytes)
		if g := got[target[path]]; g != w {
			t.Errorf("%s: Authorization at %s = %q, want %q", path, target[path], g, w)
		}
	}
}

// TestHostileNonCanonicalHeaderKeys: with credentials omit, a Cookie or
// Authorization under a lower-case key never leaves the machine, and the
// Origin and Sec-Fetch-* the Transport sets are the only ones sent
// (finding 7).
func TestHostileNonCanonicalHeaderKeys(t *testing.T) {
	seen := make(chan http.Header, 1)
	base := rawServer(t, func(c net.Conn, req *http.Request) {
		seen <- req.Header
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 16\r\nConnection: close\r\n\r\n"+pngBytes)
	})
	tr := enforce.NewTransport(enforce.TransportConfig{Base: loopbackTransport(t), FetchMetadata: true})
	fr := noCORS(fetchctx.DestinationImage, fetchctx.CredentialsOmit)
	fr.Method = "POST"
	req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), fr), "POST", base+"/x", strings.NewReader("a"))
	req.Header["cookie"] = []string{"session=1"}
	req.Header["authorization"] = []string{"Bearer t"}
	req.Header["proxy-authorization"] = []string{"Basic x"}
	req.Header["origin"] = []string{"http://forged.test"}
	req.Header["sec-fetch-site"] = []string{"same-origin"}
	resp, err := tr.RoundTrip(req)
	wantBody(t, resp, err, pngBytes)
	h := <-seen
	for _, name := range []string{"Cookie", "Authorization", "Proxy-Authorization"} {
		if v := h.Values(name); len(v) != 0 {
			t.Errorf("%s sent with credentials omit: %q", name, v)
		}
	}
	if v := h.Values("Origin"); len(v) != 1 || v[0] != hostilePage {
		t.Errorf("Origin sent: %q, want only %q", v, hostilePage)
	}
	if v := h.Values("Sec-Fetch-Site"); len(v) > 1 {
		t.Errorf("Sec-Fetch-Site sent twice: %q", v)
	}
}

// TestHostileZeroEngine: an Engine that did not come from New, and mode
// navigate with a subresource destination, fail closed (finding 9).
func TestHostileZeroEngine(t *testing.T) {
	h := routes{"cdn.test/secret.json": serve(map[string]string{"Content-Type": "application/json", "Cross-Origin-Resource-Policy": "same-origin"}, `{"a":1}`)}
	n := newTestNet(t, h)
	for name, e := range map[string]*enforce.Engine{"zero": {}, "new": enforce.New(enforce.Config{})} {
		c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base, Engine: e})}
		fr := noCORS(fetchctx.DestinationImage, fetchctx.CredentialsInclude)
		resp, err := clientDo(t, c, fr, "GET", "http://cdn.test/secret.json", nil, nil)
		want := enforce.ReasonBlockedByORB
		if name == "zero" {
			want = enforce.ReasonInvalidRequest
		}
		wantClientBlocked(t, resp, err, want, 0)
	}
	var zero enforce.Engine
	fr := noCORS(fetchctx.DestinationImage, fetchctx.CredentialsInclude)
	fr.URLs = []fetchctx.URL{fetchctx.MustParseURL("http://cdn.test/secret.json")}
	hop, _ := enforce.ParseResponse(200, http.Header{"Content-Type": {"image/png"}})
	if v, _ := zero.Decide(fr, []enforce.Response{hop}, nil); v.Reason != enforce.ReasonInvalidRequest {
		t.Errorf("zero Engine Decide: %+v", v)
	}
	if v := zero.CheckRequest(fr, 0); v.Reason != enforce.ReasonInvalidRequest {
		t.Errorf("zero Engine CheckRequest: %+v", v)
	}
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	for _, d := range []fetchctx.Destination{fetchctx.DestinationScript, fetchctx.DestinationImage, fetchctx.DestinationEmpty, fetchctx.DestinationStyle} {
		fr := noCORS(d, fetchctx.CredentialsInclude)
		fr.Mode = fetchctx.ModeNavigate
		resp, err := clientDo(t, c, fr, "GET", "http://cdn.test/secret.json", nil, nil)
		wantClientBlocked(t, resp, err, enforce.ReasonInvalidRequest, 0)
	}
}

// TestHostileEncodedBodies: a body net/http leaves encoded (the caller
// asked for an encoding, or it is one net/http does not decode) is judged
// decoded, or the Transport fails closed (finding 10).
func TestHostileEncodedBodies(t *testing.T) {
	secret := []byte(`<html><body>secret</body></html>`)
	js := testbody.Script(3000)
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	zl := func(b []byte) []byte {
		var buf bytes.Buffer
		w := zlib.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	enc := func(coding string, body []byte, ct string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Content-Encoding", coding)
			w.Write(body)
		}
	}
	h := routes{
		"cdn.test/html.gz":   enc("gzip", gz(secret), "text/plain"),
		"cdn.test/html.zz":   enc("deflate", zl(secret), "text/plain"),
		"cdn.test/html.2gz":  enc("gzip, gzip", gz(gz(secret)), "text/plain"),
		"cdn.test/js.gz":     enc("gzip", gz(js), "text/plain"),
		"cdn.test/html.br":   enc("br", []byte("\x0b\x03\x80secret\x03"), "text/plain"),
		"cdn.test/html.zstd": enc("zstd", []byte("(\xb5/\xfd secret"), "text/plain"),
	}
	n := newTestNet(t, h)
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	ask := http.Header{"Accept-Encoding": {"gzip, deflate, br, zstd"}}
	fr := noCORS(fetchctx.DestinationScript, fetchctx.CredentialsInclude)
	for _, p := range []string{"html.gz", "html.zz", "html.2gz"} {
		resp, err := clientDo(t, c, fr, "GET", "http://cdn.test/"+p, nil, ask)
		wantClientBlocked(t, resp, err, enforce.ReasonBlockedByORB, 0)
	}
	for _, p := range []string{"html.br", "html.zstd"} {
		resp, err := clientDo(t, c, fr, "GET", "http://cdn.test/"+p, nil, ask)
		wantClientBlocked(t, resp, err, enforce.ReasonUndecodableBody, 0)
	}
	resp, err := clientDo(t, c, fr, "GET", "http://cdn.test/js.gz", nil, ask)
	wantBody(t, resp, err, string(js))
	if resp.Header.Get("Content-Encoding") != "" || !resp.Uncompressed {
		t.Errorf("a decoded body still says Content-Encoding %q (Uncompressed %v)", resp.Header.Get("Content-Encoding"), resp.Uncompressed)
	}
}

// TestTransportRedirectModes: "error" makes a redirect a network error;
// "manual" gives script an opaque-redirect response (status 0, no headers,
// no body) that the client does not follow, and a navigation the redirect
// itself (Fetch: HTTP fetch, step 12).
func TestTransportRedirectModes(t *testing.T) {
	n := newTestNet(t, routes{
		"api.other.test/moved":  redirect("https://api.other.test/target", map[string]string{"Access-Control-Allow-Origin": "*", "X-Secret": "1"}),
		"api.other.test/target": serve(map[string]string{"Access-Control-Allow-Origin": "*", "Content-Type": "text/html"}, "target"),
	})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	req := func(mode fetchctx.Mode, dest fetchctx.Destination, r fetchctx.RedirectMode) *fetchctx.Request {
		return &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Mode: mode, Destination: dest, Redirect: r}
	}
	resp, err := clientDo(t, c, req(fetchctx.ModeCORS, fetchctx.DestinationEmpty, fetchctx.RedirectError), "GET", "https://api.other.test/moved", nil, nil)
	wantClientBlocked(t, resp, err, enforce.ReasonRedirectModeError, 0)
	if !errors.Is(err, enforce.ErrNetwork) {
		t.Errorf("a block is not errors.Is ErrNetwork: %v", err)
	}

	resp, err = clientDo(t, c, req(fetchctx.ModeCORS, fetchctx.DestinationEmpty, fetchctx.RedirectManual), "GET", "https://api.other.test/moved", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 0 || len(resp.Header) != 0 || len(b) != 0 {
		t.Errorf("manual: status %d, headers %v, body %q; want an opaque-redirect response", resp.StatusCode, resp.Header, b)
	}

	// A navigation with "manual" gets the redirect, to follow itself.
	stop := &http.Client{Transport: c.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = clientDo(t, stop, req(fetchctx.ModeNavigate, fetchctx.DestinationDocument, fetchctx.RedirectManual), "GET", "https://api.other.test/moved", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "https://api.other.test/target" || resp.Header.Get("X-Secret") != "" {
		t.Errorf("manual navigation: status %d, headers %v", resp.StatusCode, resp.Header)
	}

	// The engine agrees.
	e := enforce.New(enforce.Config{})
	fr := req(fetchctx.ModeCORS, fetchctx.DestinationEmpty, fetchctx.RedirectError)
	fr.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://api.other.test/moved")}
	hop, _ := enforce.ParseResponse(302, http.Header{"Location": {"/target"}, "Access-Control-Allow-Origin": {"*"}})
	if v, _ := e.Decide(fr, []enforce.Response{hop}, nil); v.Reason != enforce.ReasonRedirectModeError {
		t.Errorf("Decide, redirect error: %+v", v)
	}
	fr.Redirect = fetchctx.RedirectManual
	if v, _ := e.Decide(fr, []enforce.Response{hop}, nil); !v.Allows() {
		t.Errorf("Decide, redirect manual: %+v", v)
	}
}

// TestTransportNavigationMetadata: a navigation the user started from the
// browser says Sec-Fetch-Site: none, also after a cross-site redirect, and
// one with user activation Sec-Fetch-User: ?1 (Fetch Metadata).
func TestTransportNavigationMetadata(t *testing.T) {
	seen := make(chan http.Header, 4)
	n := newTestNet(t, routes{
		"a.test/start": redirect("https://b.test/page", nil),
		"b.test/page": func(w http.ResponseWriter, r *http.Request) {
			seen <- r.Header.Clone()
			io.WriteString(w, "<p>page")
		},
	})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base, FetchMetadata: true})}
	for _, tc := range []struct {
		initiated, activation bool
		site, user            string
	}{
		{true, true, "none", "?1"},
		{false, true, "cross-site", "?1"},
		{false, false, "cross-site", ""},
	} {
		fr := &fetchctx.Request{Origin: origin.MustParse("https://a.test"), Mode: fetchctx.ModeNavigate, Destination: fetchctx.DestinationDocument,
			UserInitiated: tc.initiated, UserActivation: tc.activation}
		resp, err := clientDo(t, c, fr, "GET", "https://a.test/start", nil, http.Header{"sec-fetch-user": {"?0"}})
		wantBody(t, resp, err, "<p>page")
		h := <-seen
		if h.Get("Sec-Fetch-Site") != tc.site || h.Get("Sec-Fetch-User") != tc.user || len(h.Values("Sec-Fetch-User")) > 1 {
			t.Errorf("%+v: Sec-Fetch-Site %q, Sec-Fetch-User %q", tc, h.Get("Sec-Fetch-Site"), h.Values("Sec-Fetch-User"))
		}
	}
}

// TestHostileTwoLocations: a redirect with two Location headers has a
// location URL that is failure (Location allows one value): a network
// error, invalid-redirect, in the engine and through the Transport, which
// never follows either.
func TestHostileTwoLocations(t *testing.T) {
	followed := make(chan string, 2)
	base := rawServer(t, func(c net.Conn, req *http.Request) {
		if req.URL.Path != "/r" {
			followed <- req.URL.Path
		}
		io.WriteString(c, "HTTP/1.1 302 Found\r\nLocation: /a\r\nLocation: /b\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: loopbackTransport(t)})}
	fr := noCORS(fetchctx.DestinationImage, fetchctx.CredentialsInclude)
	resp, err := clientDo(t, c, fr, "GET", base+"/r", nil, nil)
	wantClientBlocked(t, resp, err, enforce.ReasonInvalidRedirect, 0)
	select {
	case p := <-followed:
		t.Errorf("the client followed a redirect to %s", p)
	default:
	}
	e := enforce.New(enforce.Config{})
	fr.URLs = []fetchctx.URL{fetchctx.MustParseURL("http://cdn.test/r")}
	hop, _ := enforce.ParseResponse(302, http.Header{"Location": {"/a", "/b"}})
	if v, _ := e.Decide(fr, []enforce.Response{hop}, nil); v.Reason != enforce.ReasonInvalidRedirect || v.Step != enforce.StepRedirectLocation {
		t.Errorf("Decide: %+v", v)
	}
}
