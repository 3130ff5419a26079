package enforce_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// recorder answers like an API server and records what reached it.
type recorder struct {
	mu   sync.Mutex
	seen []string // "METHOD path origin=..."
}

func (r *recorder) handler(allowMethods string) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.seen = append(r.seen, req.Method+" "+req.URL.Path+" origin="+req.Header.Get("Origin")+" acrh="+req.Header.Get("Access-Control-Request-Headers"))
		r.mu.Unlock()
		w.Header().Set("Access-Control-Allow-Origin", "https://app.example.test")
		if req.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", allowMethods)
			w.Header().Set("Access-Control-Allow-Headers", "x-token")
			w.Header().Set("Access-Control-Max-Age", "600")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}
}

func (r *recorder) get() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

// corsDo sends a CORS request whose page set header (fetch()'s headers),
// and whose user agent set uaHeader on the http.Request.
func corsDo(t *testing.T, c *http.Client, method, url string, header map[string]string, uaHeader ...map[string]string) error {
	t.Helper()
	fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Mode: fetchctx.ModeCORS, Header: http.Header{}}
	for k, v := range header {
		fr.Header.Set(k, v)
	}
	req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), fr), method, url, nil)
	for _, h := range uaHeader {
		for k, v := range h {
			req.Header.Set(k, v)
		}
	}
	resp, err := c.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return err
}

func TestTransportPreflight(t *testing.T) {
	var rec recorder
	n := newTestNet(t, routes{"api.other.test/items": rec.handler("PUT, DELETE")})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}

	// A simple request: no preflight, an Origin header.
	if err := corsDo(t, c, http.MethodGet, "https://api.other.test/items", nil); err != nil {
		t.Fatal(err)
	}
	// A PUT with a custom header: one preflight, then the request; the
	// second time the cache answers.
	for range 2 {
		if err := corsDo(t, c, http.MethodPut, "https://api.other.test/items", map[string]string{"X-Token": "1"}); err != nil {
			t.Fatal(err)
		}
	}
	// A method the preflight does not allow: blocked, never sent.
	err := corsDo(t, c, http.MethodPatch, "https://api.other.test/items", nil)
	var be *enforce.BlockedError
	if !errors.As(err, &be) || be.Verdict.Reason != enforce.ReasonCORSMethodDisallowedByPreflight {
		t.Fatalf("PATCH: %v, want MethodDisallowedByPreflightResponse", err)
	}
	want := []string{
		"GET /items origin=https://app.example.test acrh=",
		"OPTIONS /items origin=https://app.example.test acrh=x-token",
		"PUT /items origin=https://app.example.test acrh=",
		"PUT /items origin=https://app.example.test acrh=",
		"OPTIONS /items origin=https://app.example.test acrh=",
	}
	if got := rec.get(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the server saw:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTransportCORSCheck(t *testing.T) {
	n := newTestNet(t, routes{
		"api.other.test/open":   serve(map[string]string{"Access-Control-Allow-Origin": "*"}, "{}"),
		"api.other.test/closed": serve(nil, "{}"),
	})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	if err := corsDo(t, c, http.MethodGet, "https://api.other.test/open", nil); err != nil {
		t.Errorf("ACAO *: %v", err)
	}
	err := corsDo(t, c, http.MethodGet, "https://api.other.test/closed", nil)
	var be *enforce.BlockedError
	if !errors.As(err, &be) || be.Verdict.Reason != enforce.ReasonCORSMissingAllowOrigin {
		t.Errorf("no ACAO: %v, want MissingAllowOriginHeader", err)
	}
}

func TestTransportMixedContent(t *testing.T) {
	var mu sync.Mutex
	var schemes []string
	base := stubRT(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		schemes = append(schemes, r.URL.Scheme)
		mu.Unlock()
		h := http.Header{}
		h.Set("Content-Type", "image/png")
		return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(pngBytes)), Request: r}, nil
	})
	tr := enforce.NewTransport(enforce.TransportConfig{Base: base})
	// An image is upgraded to https.
	resp, err := pagefetch(t, tr, fetchctx.DestinationImage, "http://cdn.other.test/a.png")
	if err != nil {
		t.Fatalf("image: %v", err)
	}
	resp.Body.Close()
	// A script is blocked before it is sent.
	_, err = pagefetch(t, tr, fetchctx.DestinationScript, "http://cdn.other.test/a.js")
	var be *enforce.BlockedError
	if !errors.As(err, &be) || be.Verdict.Reason != enforce.ReasonMixedContent {
		t.Fatalf("script: %v, want mixed-content", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(schemes, ",") != "https" {
		t.Errorf("requests sent with schemes %v, want only the upgraded image", schemes)
	}
}

// Headers on the http.Request are the user agent's (a crawler's
// User-Agent, a cookie jar's Cookie, its own X- headers): sent, never the
// reason for a preflight. A page's forbidden header names are dropped.
func TestTransportPreflightIgnoresUserAgentHeaders(t *testing.T) {
	var rec recorder
	n := newTestNet(t, routes{"api.other.test/items": rec.handler("PUT")})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	ua := map[string]string{"Cookie": "a=b", "Referer": "https://app.example.test/", "User-Agent": "crawler/1.0", "X-Crawler": "1", "Authorization": "Bearer ua"}
	if err := corsDo(t, c, http.MethodGet, "https://api.other.test/items", nil, ua); err != nil {
		t.Fatal(err)
	}
	if err := corsDo(t, c, http.MethodGet, "https://api.other.test/items", map[string]string{"Cookie": "page=1", "Sec-Fetch-Mode": "x"}, ua); err != nil {
		t.Fatal(err)
	}
	for _, s := range rec.get() {
		if strings.HasPrefix(s, "OPTIONS") {
			t.Errorf("a preflight was sent for user-agent headers: %s", s)
		}
	}
}

// The page's headers are sent, over a user agent's header of the same name
// under any spelling, and a nil and an empty header set mean the same.
func TestTransportSendsThePagesHeaders(t *testing.T) {
	seen := make(chan http.Header, 4)
	n := newTestNet(t, routes{"api.other.test/r": func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Clone()
		w.Header().Set("Access-Control-Allow-Origin", "*")
		io.WriteString(w, "{}")
	}})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	if err := corsDo(t, c, http.MethodGet, "https://api.other.test/r", map[string]string{"Accept": "application/json"}, map[string]string{"accept": "*/*", "User-Agent": "crawler/1.0"}); err != nil {
		t.Fatal(err)
	}
	h := <-seen
	if v := h.Values("Accept"); len(v) != 1 || v[0] != "application/json" {
		t.Errorf("Accept sent: %q, want the page's only", v)
	}
	if h.Get("User-Agent") != "crawler/1.0" {
		t.Errorf("User-Agent sent: %q, want the user agent's", h.Get("User-Agent"))
	}
	for _, fr := range []*fetchctx.Request{
		{Origin: origin.MustParse("https://app.example.test"), Mode: fetchctx.ModeCORS},
		{Origin: origin.MustParse("https://app.example.test"), Mode: fetchctx.ModeCORS, Header: http.Header{}},
	} {
		req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), fr), http.MethodGet, "https://api.other.test/r", nil)
		req.Header.Set("X-Crawler", "1")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("Header %v: %v", fr.Header, err)
		}
		resp.Body.Close()
		<-seen
	}
}

// Methods are normalized as Fetch says: "get" and "Put" are GET and PUT
// (no preflight for the first), "patch" stays as it is (Fetch normalizes
// six methods only) and needs one.
func TestMethodsNormalized(t *testing.T) {
	e := enforce.New(enforce.Config{})
	for m, want := range map[string]bool{"get": false, "Head": false, "post": false, "Put": true, "patch": true, "GET": false} {
		fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Mode: fetchctx.ModeCORS, Method: m,
			URLs: []fetchctx.URL{fetchctx.MustParseURL("https://api.other.test/r")}}
		if got := e.NeedsPreflight(fr, 0); got != want {
			t.Errorf("%s: NeedsPreflight %v, want %v", m, got, want)
		}
	}
	var rec recorder
	n := newTestNet(t, routes{"api.other.test/items": rec.handler("PUT")})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	if err := corsDo(t, c, "get", "https://api.other.test/items", nil); err != nil {
		t.Fatal(err)
	}
	if got := rec.get(); len(got) != 1 || !strings.HasPrefix(got[0], "GET ") {
		t.Errorf("the server saw %q, want one GET", got)
	}
}

// A 303 turns a POST into a GET without its body, and the page's
// request-body headers go with the body (HTTP-redirect fetch, step 12).
func TestRedirectDropsBodyHeaders(t *testing.T) {
	seen := make(chan http.Header, 2)
	n := newTestNet(t, routes{
		"app.example.test/form": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/done", http.StatusSeeOther)
		},
		"app.example.test/done": func(w http.ResponseWriter, r *http.Request) {
			seen <- r.Header.Clone()
			io.WriteString(w, "done")
		},
	})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Mode: fetchctx.ModeCORS, Method: "POST",
		Header: http.Header{"Content-Type": {"text/plain"}, "Content-Language": {"en"}, "X-Keep": {"1"}}}
	req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), fr), "POST", "https://app.example.test/form", strings.NewReader("a=1"))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := <-seen
	if h.Get("Content-Type") != "" || h.Get("Content-Language") != "" || h.Get("X-Keep") != "1" {
		t.Errorf("after the 303: %v", h)
	}
}

// TestCORSReasonsAsChromeReportsThem: the failure the CORS check and the
// preflight report is the one Chromium's DevTools names (Network.CorsError):
// several values, a value that is not an origin, a redirected preflight,
// lists that do not parse.
func TestCORSReasonsAsChromeReportsThem(t *testing.T) {
	e := enforce.New(enforce.Config{})
	fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Mode: fetchctx.ModeCORS, Method: "PUT",
		Header: http.Header{"X-Token": {"1"}}, URLs: []fetchctx.URL{fetchctx.MustParseURL("https://api.other.test/r")}}
	resp := func(status int, kv ...string) *enforce.Response {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Add(kv[i], kv[i+1])
		}
		r, _ := enforce.ParseResponse(status, h)
		return &r
	}
	const acao = "Access-Control-Allow-Origin"
	for _, c := range []struct {
		name   string
		answer *enforce.Response
		want   enforce.Reason
	}{
		{"two header lines", resp(200, acao, "https://app.example.test", acao, "https://app.example.test"), enforce.ReasonCORSPreflightMultipleAllowOrigin},
		{"a list", resp(200, acao, "https://app.example.test, https://b.test"), enforce.ReasonCORSPreflightMultipleAllowOrigin},
		{"not a URL", resp(200, acao, "app.example.test"), enforce.ReasonCORSPreflightInvalidAllowOrigin},
		{"another origin", resp(200, acao, "https://b.test"), enforce.ReasonCORSPreflightAllowOriginMismatch},
		{"redirect", resp(302, "Location", "/x", acao, "https://app.example.test"), enforce.ReasonCORSPreflightDisallowedRedirect},
		{"methods do not parse", resp(200, acao, "https://app.example.test", "Access-Control-Allow-Methods", "PUT;", "Access-Control-Allow-Headers", "x-token"), enforce.ReasonCORSInvalidAllowMethods},
		{"headers do not parse", resp(200, acao, "https://app.example.test", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "x token"), enforce.ReasonCORSInvalidAllowHeaders},
		{"allowed", resp(200, acao, "https://app.example.test", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "x-token"), enforce.ReasonNone},
	} {
		if v := e.CheckPreflight(fr, 0, c.answer); v.Reason != c.want {
			t.Errorf("%s: %s, want %s", c.name, v.Reason, c.want)
		}
	}
	// The CORS check on the response itself.
	get := *fr
	get.Method, get.Header = "GET", nil
	for _, c := range []struct {
		acao []string
		want enforce.Reason
	}{
		{[]string{"https://app.example.test", "https://app.example.test"}, enforce.ReasonCORSMultipleAllowOrigin},
		// "null" is an origin's serialization: a mismatch, as Chrome says.
		{[]string{"null"}, enforce.ReasonCORSAllowOriginMismatch},
		{[]string{"app.example.test"}, enforce.ReasonCORSInvalidAllowOrigin},
		{[]string{"https://b.test"}, enforce.ReasonCORSAllowOriginMismatch},
	} {
		r, _ := enforce.ParseResponse(200, http.Header{acao: c.acao})
		if v, _ := e.Decide(&get, []enforce.Response{r}, nil); v.Reason != c.want {
			t.Errorf("ACAO %q: %s, want %s", c.acao, v.Reason, c.want)
		}
	}
}

// TestTransportOriginHeaderPerRequest: one Transport serving pages of
// several origins (and an opaque one, and a redirect-tainted hop) sends
// each request its own page's Origin, whatever it sent the one before.
func TestTransportOriginHeaderPerRequest(t *testing.T) {
	var got []string
	base := stubRT(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Header.Get("Origin"))
		return &http.Response{StatusCode: 200, Header: http.Header{"Access-Control-Allow-Origin": {"*"}},
			Body: http.NoBody, Request: r}, nil
	})
	tr := enforce.NewTransport(enforce.TransportConfig{Base: base})
	send := func(o origin.Origin, url string) {
		t.Helper()
		fr := &fetchctx.Request{Origin: o, Mode: fetchctx.ModeCORS}
		req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), fr), http.MethodGet, url, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	a, b := origin.MustParse("https://a.example.test"), origin.MustParse("https://b.example.test:8443")
	for _, o := range []origin.Origin{a, a, b, a, origin.NewOpaque(), b} {
		send(o, "https://api.other.test/x")
	}
	want := []string{"https://a.example.test", "https://a.example.test", "https://b.example.test:8443",
		"https://a.example.test", "null", "https://b.example.test:8443"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Origin headers sent:\n got %q\nwant %q", got, want)
	}
}
