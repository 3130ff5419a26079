package enforce_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/cpuclock"
	"github.com/xorigin/xorigin/origin"
)

// pngBytes starts with the PNG signature, so ORB sniffs it as an image.
const pngBytes = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

// testNet serves every host name on loopback: https URLs reach one TLS
// server, http URLs one plain server, whatever the name.
type testNet struct {
	tls, plain *httptest.Server
	base       *http.Transport
}

func newTestNet(t testing.TB, h http.Handler) *testNet {
	t.Helper()
	n := &testNet{tls: httptest.NewTLSServer(h), plain: httptest.NewServer(h)}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	n.base = &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			target := n.plain.Listener.Addr().String()
			if port == "443" {
				target = n.tls.Listener.Addr().String()
			}
			return dialer.DialContext(ctx, network, target)
		},
		// Test certificates do not name the test hosts.
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	t.Cleanup(func() {
		n.base.CloseIdleConnections()
		n.tls.Close()
		n.plain.Close()
	})
	return n
}

// routes maps "host/path" to a handler.
type routes map[string]http.HandlerFunc

func (rs routes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := rs[r.Host+r.URL.Path]; ok {
		h(w, r)
		return
	}
	http.NotFound(w, r)
}

func serve(headers map[string]string, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		io.WriteString(w, body)
	}
}

func redirect(to string, headers map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		http.Redirect(w, r, to, http.StatusFound)
	}
}

func fetch(t *testing.T, c *http.Client, fr *fetchctx.Request, rawURL string) (string, error) {
	t.Helper()
	ctx := fetchctx.NewContext(context.Background(), fr)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

type reportLog struct {
	mu      sync.Mutex
	reports []enforce.Report
}

func (l *reportLog) add(_ context.Context, r enforce.Report) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reports = append(l.reports, r)
}

func (l *reportLog) get() []enforce.Report {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]enforce.Report(nil), l.reports...)
}

func TestTransportProfileJS(t *testing.T) {
	n := newTestNet(t, routes{
		"cdn.example.test/user/profile.js": serve(map[string]string{
			"Content-Type": "text/javascript", "Cross-Origin-Resource-Policy": "same-site"}, "const secret = 1337;"),
	})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	script := func(page string) *fetchctx.Request {
		return &fetchctx.Request{Origin: origin.MustParse(page), Destination: fetchctx.DestinationScript}
	}
	body, err := fetch(t, c, script("https://app.example.test"), "https://cdn.example.test/user/profile.js")
	if err != nil || body != "const secret = 1337;" {
		t.Fatalf("same site: body %q, err %v", body, err)
	}
	body, err = fetch(t, c, script("https://app.another.test"), "https://cdn.example.test/user/profile.js")
	var be *enforce.BlockedError
	if !errors.As(err, &be) {
		t.Fatalf("cross site: body %q, err %v; want a *BlockedError", body, err)
	}
	if body != "" || be.Verdict.Reason != enforce.ReasonCORPNotSameSite || be.URL != "https://cdn.example.test/user/profile.js" {
		t.Errorf("cross site: body %q, error %+v", body, be)
	}
}

func TestTransportRedirectChainRequireCORP(t *testing.T) {
	n := newTestNet(t, routes{
		"cdn.other.test/a.png": redirect("https://img.other.test/b.png", map[string]string{"Cross-Origin-Resource-Policy": "cross-origin"}),
		"img.other.test/b.png": serve(map[string]string{"Content-Type": "image/png"}, pngBytes),
	})
	var log reportLog
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base, OnReport: log.add})}
	fr := &fetchctx.Request{
		Origin:      origin.MustParse("https://app.example.test"),
		Destination: fetchctx.DestinationImage,
		Policy:      fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP, ReportingEndpoint: "default"},
	}
	_, err := fetch(t, c, fr, "https://user:pw@cdn.other.test/a.png?x=1#frag")
	var be *enforce.BlockedError
	if !errors.As(err, &be) {
		t.Fatalf("err %v, want a *BlockedError", err)
	}
	wantV := enforce.Verdict{Result: enforce.Blocked, Reason: enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP, Step: enforce.StepCORPEmbedderPolicy, Hop: 1}
	if be.Verdict != wantV {
		t.Errorf("verdict %+v, want %+v", be.Verdict, wantV)
	}
	// The report names the first URL, without credentials and fragment.
	want := []enforce.Report{{Type: enforce.ReportCORP, BlockedURL: "https://cdn.other.test/a.png?x=1",
		Destination: fetchctx.DestinationImage, Disposition: enforce.Enforce, Endpoint: "default"}}
	if d := cmp.Diff(want, log.get()); d != "" {
		t.Errorf("reports (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, be.Reports); d != "" {
		t.Errorf("BlockedError.Reports (-want +got):\n%s", d)
	}
}

func TestTransportCredentials(t *testing.T) {
	var mu sync.Mutex
	var sawCookie, sawAuth []bool
	n := newTestNet(t, routes{
		"cdn.other.test/img.png": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			sawCookie = append(sawCookie, r.Header.Get("Cookie") != "")
			sawAuth = append(sawAuth, r.Header.Get("Authorization") != "")
			mu.Unlock()
			http.SetCookie(w, &http.Cookie{Name: "fresh", Value: "1"})
			io.WriteString(w, "PNG")
		},
	})
	for _, tt := range []struct {
		name      string
		coep      fetchctx.EmbedderPolicyValue
		creds     fetchctx.Credentials
		wantCreds bool
	}{
		{"credentialless strips credentials", fetchctx.Credentialless, fetchctx.CredentialsInclude, false},
		{"unsafe-none with include sends them", fetchctx.UnsafeNone, fetchctx.CredentialsInclude, true},
		{"cross-origin same-origin mode credentials are not sent", fetchctx.UnsafeNone, fetchctx.CredentialsSameOrigin, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			sawCookie, sawAuth = nil, nil
			mu.Unlock()
			jar, _ := cookiejar.New(nil)
			u, _ := url.Parse("https://cdn.other.test/")
			jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "s"}})
			c := &http.Client{Jar: jar, Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
			fr := &fetchctx.Request{
				Origin:      origin.MustParse("https://app.example.test"),
				Destination: fetchctx.DestinationImage,
				Credentials: tt.creds,
				Policy:      fetchctx.EmbedderPolicy{Value: tt.coep},
			}
			if _, err := fetch(t, c, fr, "https://user:pw@cdn.other.test/img.png"); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(sawCookie) != 1 || sawCookie[0] != tt.wantCreds || sawAuth[0] != tt.wantCreds {
				t.Errorf("server saw cookie %v, authorization %v; want %v", sawCookie, sawAuth, tt.wantCreds)
			}
			stored := false
			for _, ck := range jar.Cookies(u) {
				stored = stored || ck.Name == "fresh"
			}
			if stored != tt.wantCreds {
				t.Errorf("jar stored the response's cookie: %v, want %v", stored, tt.wantCreds)
			}
		})
	}
}

func TestTransportReportOnly(t *testing.T) {
	n := newTestNet(t, routes{"cdn.other.test/s.js": serve(nil, "ok()")})
	var log reportLog
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base, OnReport: log.add})}
	fr := &fetchctx.Request{
		Origin:      origin.MustParse("https://app.example.test"),
		Destination: fetchctx.DestinationScript,
		Policy:      fetchctx.EmbedderPolicy{ReportOnlyValue: fetchctx.RequireCORP, ReportOnlyReportingEndpoint: "ro"},
	}
	body, err := fetch(t, c, fr, "https://cdn.other.test/s.js")
	if err != nil || body != "ok()" {
		t.Fatalf("body %q, err %v: report-only must not block", body, err)
	}
	want := []enforce.Report{{Type: enforce.ReportCORP, BlockedURL: "https://cdn.other.test/s.js",
		Destination: fetchctx.DestinationScript, Disposition: enforce.Reporting, Endpoint: "ro"}}
	if d := cmp.Diff(want, log.get()); d != "" {
		t.Errorf("reports (-want +got):\n%s", d)
	}
}

func TestTransportNestedNavigation(t *testing.T) {
	n := newTestNet(t, routes{
		"frame.other.test/ok.html":  serve(map[string]string{"Cross-Origin-Embedder-Policy": "require-corp", "Cross-Origin-Resource-Policy": "cross-origin"}, "<p>ok"),
		"frame.other.test/bad.html": serve(map[string]string{"Cross-Origin-Resource-Policy": "cross-origin"}, "<p>bad"),
	})
	var log reportLog
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base, OnReport: log.add})}
	fr := &fetchctx.Request{
		Origin:      origin.MustParse("https://app.example.test"),
		Destination: fetchctx.DestinationIFrame,
		Mode:        fetchctx.ModeNavigate,
		Policy:      fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP},
	}
	if _, err := fetch(t, c, fr, "https://frame.other.test/ok.html"); err != nil {
		t.Errorf("frame with COEP: %v", err)
	}
	_, err := fetch(t, c, fr, "https://frame.other.test/bad.html")
	var be *enforce.BlockedError
	if !errors.As(err, &be) || be.Verdict.Reason != enforce.ReasonCOEPFrameResourceNeedsCOEPHeader {
		t.Errorf("frame without COEP: err %v", err)
	}
	if r := log.get(); len(r) != 1 || r[0].Type != enforce.ReportNavigation {
		t.Errorf("reports %+v, want one navigation report", r)
	}
}

func TestTransportNoFetchContext(t *testing.T) {
	n := newTestNet(t, routes{"a.test/": serve(nil, "hi")})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	_, err := c.Get("https://a.test/")
	if !errors.Is(err, enforce.ErrNoFetchContext) {
		t.Errorf("err %v, want ErrNoFetchContext", err)
	}
	c = &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base, DangerouslyAllowWithoutFetchContext: true})}
	resp, err := c.Get("https://a.test/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// trapBody fails the test if it is read, and records that it was closed.
type trapBody struct {
	t      *testing.T
	closed bool
}

func (b *trapBody) Read([]byte) (int, error) {
	b.t.Error("a blocked body was read")
	return 0, errors.New("trap: read")
}

func (b *trapBody) Close() error { b.closed = true; return nil }

type stubRT func(*http.Request) (*http.Response, error)

func (f stubRT) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransportBlockedBodyClosedUnread(t *testing.T) {
	body := &trapBody{t: t}
	base := stubRT(func(r *http.Request) (*http.Response, error) {
		h := http.Header{}
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		// A safelisted type: ORB decides on the headers, so no byte of
		// the body is needed to block it.
		h.Set("Content-Type", "text/css")
		return &http.Response{StatusCode: 200, Header: h, Body: body, Request: r}, nil
	})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: base})}
	fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test")}
	if _, err := fetch(t, c, fr, "https://other.test/secret.json"); err == nil {
		t.Fatal("not blocked")
	}
	if !body.closed {
		t.Error("the blocked body was not closed")
	}
}

func TestTransportCancelMidBody(t *testing.T) {
	release := make(chan struct{})
	n := newTestNet(t, routes{"cdn.other.test/slow": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		// A safelisted type: ORB decides on the headers, without waiting
		// for 1024 bytes of a body that stalls.
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, "first part")
		w.(http.Flusher).Flush()
		<-release // only the test's end lets the body finish
	}})
	defer close(release)
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	ctx, cancel := context.WithCancel(fetchctx.NewContext(context.Background(),
		&fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Destination: fetchctx.DestinationScript}))
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://cdn.other.test/slow", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, len("first part"))
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, context.Canceled) {
		t.Errorf("read after cancel: %v, want context.Canceled", err)
	}
	resp.Body.Close()
}

func TestTransportFetchMetadata(t *testing.T) {
	got := make(chan http.Header, 1)
	n := newTestNet(t, routes{"cdn.example.test/x": func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		w.Header().Set("Access-Control-Allow-Origin", "https://app.example.test")
	}})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base, FetchMetadata: true})}
	fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Mode: fetchctx.ModeCORS}
	if _, err := fetch(t, c, fr, "https://cdn.example.test/x"); err != nil {
		t.Fatal(err)
	}
	h := <-got
	for k, want := range map[string]string{"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
}

func TestTransportConcurrent(t *testing.T) {
	n := newTestNet(t, routes{
		"cdn.example.test/ok":  serve(map[string]string{"Cross-Origin-Resource-Policy": "same-site"}, "ok"),
		"cdn.example.test/hop": redirect("/ok", nil),
	})
	tr := enforce.NewTransport(enforce.TransportConfig{Base: n.base})
	c := &http.Client{Transport: tr}
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Plain http keeps TLS handshakes out of a race-detector run.
			page := "http://app.example.test"
			if i%2 == 1 {
				page = "http://app.another.test"
			}
			path := []string{"/ok", "/hop"}[i%4/2]
			fr := &fetchctx.Request{Origin: origin.MustParse(page), Destination: fetchctx.DestinationScript}
			body, err := fetch(t, c, fr, "http://cdn.example.test"+path)
			var be *enforce.BlockedError
			switch {
			case i%2 == 0 && (err != nil || body != "ok"):
				errs <- err
			case i%2 == 1 && !errors.As(err, &be):
				errs <- errors.New("cross-site fetch not blocked")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n.base.CloseIdleConnections()
	// No goroutine outlives its fetch (allow the runtime a moment).
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before+2 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after the fetches, %d before:\n%s", g, before, buf[:runtime.Stack(buf, true)])
	}
}

// BenchmarkTransport measures a no-cors GET for a cross-origin resource
// (ORB reads the body's start, the response is opaque) through the
// Transport and through its base alone, one after the other on the same
// keep-alive loopback connections: wrapped/bare is the ratio of their
// median times (a median, which the stalls of a busy shared machine do not
// skew as they do a sum), added-allocs/op the allocations the Transport
// adds to one.
func BenchmarkTransport(b *testing.B) {
	benchTransport(b, routes{"cdn.example.test/x": serve(map[string]string{"Cross-Origin-Resource-Policy": "same-site"}, "ok")},
		&fetchctx.Request{Origin: origin.MustParse("http://app.example.test")}, "http://cdn.example.test/x", false)
}

// BenchmarkTransportSameOrigin: a same-origin GET of JSON, a basic
// response script reads (no body read for a decision).
func BenchmarkTransportSameOrigin(b *testing.B) {
	benchTransport(b, routes{"app.example.test/x": serve(map[string]string{"Content-Type": "application/json"}, `{"ok":true}`)},
		&fetchctx.Request{Origin: origin.MustParse("http://app.example.test"), Mode: fetchctx.ModeCORS}, "http://app.example.test/x", false)
}

// BenchmarkTransportCORS: a cross-origin fetch() in cors mode: the
// request gets an Origin header, the response is a CORS filtered one.
func BenchmarkTransportCORS(b *testing.B) {
	benchTransport(b, routes{"api.other.test/x": serve(map[string]string{"Content-Type": "application/json",
		"Access-Control-Allow-Origin": "http://app.example.test"}, `{"ok":true}`)},
		&fetchctx.Request{Origin: origin.MustParse("http://app.example.test"), Mode: fetchctx.ModeCORS}, "http://api.other.test/x", false)
}

// BenchmarkTransportRedirect: an http.Client following a same-origin
// redirect to the no-cors resource of BenchmarkTransport: two hops.
func BenchmarkTransportRedirect(b *testing.B) {
	benchTransport(b, routes{"cdn.example.test/r": redirect("/x", nil),
		"cdn.example.test/x": serve(map[string]string{"Cross-Origin-Resource-Policy": "same-site"}, "ok")},
		&fetchctx.Request{Origin: origin.MustParse("http://app.example.test")}, "http://cdn.example.test/r", true)
}

// benchTransport runs a GET of rawURL for fr, served by h, alternately
// through the base transport and the Transport (through an http.Client
// when client is set), and reports the ratio of their times and the
// allocations the Transport adds.
func benchTransport(b *testing.B, h http.Handler, fr *fetchctx.Request, rawURL string, client bool) {
	n := newTestNet(b, h)
	wrapped := enforce.NewTransport(enforce.TransportConfig{Base: n.base})
	ctx := fetchctx.NewContext(context.Background(), fr)
	rt := func(t http.RoundTripper) func(*http.Request) (*http.Response, error) {
		if client {
			return (&http.Client{Transport: t}).Do
		}
		return t.RoundTrip
	}
	bareDo, wrapDo := rt(n.base), rt(wrapped)
	do := func(send func(*http.Request) (*http.Response, error)) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
		resp, err := send(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	timed := func(send func(*http.Request) (*http.Response, error)) time.Duration {
		start := time.Now()
		do(send)
		return time.Since(start)
	}
	var bare, wrap []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		bare = append(bare, timed(bareDo))
		wrap = append(wrap, timed(wrapDo))
	}
	if m := median(bare); m > 0 {
		b.ReportMetric(float64(median(wrap))/float64(m), "wrapped/bare")
	}
	// The server runs in this process: its allocations count in both.
	b.StopTimer()
	bareAllocs := testing.AllocsPerRun(200, func() { do(bareDo) })
	wrapAllocs := testing.AllocsPerRun(200, func() { do(wrapDo) })
	b.ReportMetric(wrapAllocs-bareAllocs, "added-allocs/op")
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func TestTransportLogsWithSlog(t *testing.T) {
	n := newTestNet(t, routes{"cdn.other.test/x": serve(nil, "x")})
	var buf strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base, Logger: logger})}
	fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"),
		Policy: fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP}}
	if _, err := fetch(t, c, fr, "https://cdn.other.test/x"); err == nil {
		t.Fatal("not blocked")
	}
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	for _, want := range []string{`msg="xorigin: coep report"`, "disposition=enforce", `msg="xorigin: blocked"`, "reason=corp-not-same-origin-after-defaulted-to-same-origin-by-coep"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// BenchmarkTransportOverhead measures the Transport's own work, without a
// network: the base answers from memory (a new response each time, as a
// real one would be). Each case's bare and wrapped sub-benchmarks differ by
// what the Transport adds to a request.
func BenchmarkTransportOverhead(b *testing.B) {
	page := origin.MustParse("http://app.example.test")
	for _, c := range []struct {
		name, url string
		header    http.Header
		body      string
		mode      fetchctx.Mode
	}{
		{"no-cors", "http://cdn.example.test/x", http.Header{"Cross-Origin-Resource-Policy": {"same-site"}}, "ok", fetchctx.ModeNoCORS},
		{"same-origin", "http://app.example.test/x", http.Header{"Content-Type": {"application/json"}}, `{"ok":true}`, fetchctx.ModeCORS},
		{"cors", "http://api.other.test/x", http.Header{"Content-Type": {"application/json"},
			"Access-Control-Allow-Origin": {"http://app.example.test"}}, `{"ok":true}`, fetchctx.ModeCORS},
	} {
		base := rtFunc(func(req *http.Request) (*http.Response, error) {
			h := c.header.Clone()
			h.Set("Content-Length", strconv.Itoa(len(c.body)))
			h.Set("Date", "Sun, 06 Dec 2026 19:00:00 GMT")
			return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(c.body)),
				ContentLength: int64(len(c.body)), Request: req}, nil
		})
		ctx := fetchctx.NewContext(context.Background(), &fetchctx.Request{Origin: page, Mode: c.mode})
		for _, rt := range []struct {
			name string
			rt   http.RoundTripper
		}{{"bare", base}, {"wrapped", enforce.NewTransport(enforce.TransportConfig{Base: base})}} {
			b.Run(c.name+"/"+rt.name, func(b *testing.B) {
				// cpu-ns/op: the CPU time of this goroutine's thread, which
				// a busy machine does not inflate as it does ns/op (the
				// garbage collector's own threads are left out).
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				cpu0, ok := cpuclock.ThreadNow()
				b.ReportAllocs()
				for b.Loop() {
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
					resp, err := rt.rt.RoundTrip(req)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if cpu1, ok1 := cpuclock.ThreadNow(); ok && ok1 {
					b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
				}
			})
		}
	}
}

// TestTransportLeavesTheRequestAlone: the Transport sends its own copy of
// a request it changes (an upgraded URL, credentials withheld, an Origin
// header) and never changes the caller's; the response's Request is the
// caller's, and carries the Delivery.
func TestTransportLeavesTheRequestAlone(t *testing.T) {
	for _, tt := range []struct {
		name, url string
		fr        fetchctx.Request
		wantURL   string // as sent
		wantSent  http.Header
		wantList  string // the URL list's one URL
	}{
		{"unchanged", "https://app.example.test/x", fetchctx.Request{Mode: fetchctx.ModeCORS},
			"https://app.example.test/x", http.Header{"Cookie": {"a=b"}, "Authorization": {"Basic dTpw"}}, "https://app.example.test/x"},
		{"upgraded image, credentials withheld", "http://u:p@cdn.other.test/a.png", fetchctx.Request{Destination: fetchctx.DestinationImage},
			"https://cdn.other.test/a.png", http.Header{}, "https://u:p@cdn.other.test/a.png"},
		{"CORS: an Origin header", "https://api.other.test/x", fetchctx.Request{Mode: fetchctx.ModeCORS},
			"https://api.other.test/x", http.Header{"Origin": {"https://app.example.test"}}, "https://api.other.test/x"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var sentURL string
			var sent http.Header
			base := stubRT(func(r *http.Request) (*http.Response, error) {
				sentURL, sent = r.URL.String(), r.Header.Clone()
				h := http.Header{"Content-Type": {"image/png"}, "Access-Control-Allow-Origin": {"https://app.example.test"}}
				return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(pngBytes)), Request: r}, nil
			})
			fr := tt.fr
			fr.Origin = origin.MustParse("https://app.example.test")
			req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), &fr), http.MethodGet, tt.url, nil)
			req.Header.Set("Cookie", "a=b")
			if req.URL.User == nil {
				req.SetBasicAuth("u", "p")
			}
			before, beforeHeader := req.URL.String(), req.Header.Clone()
			resp, err := enforce.NewTransport(enforce.TransportConfig{Base: base}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if req.URL.String() != before || !cmp.Equal(req.Header, beforeHeader) {
				t.Errorf("the caller's request changed: %s %v, was %s %v", req.URL, req.Header, before, beforeHeader)
			}
			if sentURL != tt.wantURL || !cmp.Equal(sent, tt.wantSent) {
				t.Errorf("sent %s %v, want %s %v", sentURL, sent, tt.wantURL, tt.wantSent)
			}
			if resp.Request.URL.String() != before || !cmp.Equal(resp.Request.Header, beforeHeader) {
				t.Errorf("the response's Request is %s %v, want the caller's %s %v", resp.Request.URL, resp.Request.Header, before, beforeHeader)
			}
			d, ok := enforce.DeliveryOf(resp)
			if !ok || len(d.URLs) != 1 || d.URLs[0].String() != tt.wantList || !d.Verdict.Allows() {
				t.Errorf("DeliveryOf: %+v, %v; want the URL list [%s], allowed", d, ok, tt.wantList)
			}
		})
	}
}

// TestTransportRedirectKeepsTheConnection: a redirect's short body is read
// before it is closed, as http.Client reads it, so that the next hop goes
// out on the same keep-alive connection.
func TestTransportRedirectKeepsTheConnection(t *testing.T) {
	n := newTestNet(t, routes{"cdn.example.test/r": redirect("/x", nil),
		"cdn.example.test/x": serve(map[string]string{"Cross-Origin-Resource-Policy": "same-site"}, "ok")})
	var dials atomic.Int32
	dial := n.base.DialContext
	n.base.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return dial(ctx, network, addr)
	}
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	fr := &fetchctx.Request{Origin: origin.MustParse("http://app.example.test")}
	for range 3 {
		if _, err := fetch(t, c, fr, "http://cdn.example.test/r"); err != nil {
			t.Fatal(err)
		}
	}
	if d := dials.Load(); d != 1 {
		t.Errorf("%d connections for 3 redirected fetches, want 1", d)
	}
}

// A page's no-cors fetch() gets an opaque filtered response: no header, no
// body. The body is still drained when short, so that the connection serves
// the next request, as a bare transport's would: closing it unread had every
// such fetch open a connection of its own.
func TestTransportOpaqueResponseKeepsConnection(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(serve(map[string]string{"Content-Type": "text/css"}, "body { color: red }"))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	base := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}}
	defer base.CloseIdleConnections()
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: base})}
	fr := &fetchctx.Request{Origin: origin.MustParse("http://app.example.test"), Mode: fetchctx.ModeNoCORS}
	const n = 20
	for range n {
		body, err := fetch(t, c, fr, "http://cdn.other.test/style.css")
		if err != nil || body != "" {
			t.Fatalf("no-cors fetch(): body %q, err %v; want an opaque response's empty body", body, err)
		}
	}
	if got := conns.Load(); got != 1 {
		t.Errorf("%d requests opened %d connections, want 1", n, got)
	}
}

// A stripped response's short-body read is bounded by the request's
// context: a server that starts a body and stalls cannot hold a no-cors
// fetch() past it.
func TestTransportOpaqueResponseStalledBody(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	n := newTestNet(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		w.Write([]byte("body {"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	fr := &fetchctx.Request{Origin: origin.MustParse("http://app.example.test"), Mode: fetchctx.ModeNoCORS}
	ctx, cancel := context.WithTimeout(fetchctx.NewContext(context.Background(), fr), 200*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://cdn.other.test/style.css", nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := c.Do(req)
		if err != nil {
			return // the deadline may end the fetch itself: a network error
		}
		defer resp.Body.Close()
		if b, _ := io.ReadAll(resp.Body); len(b) != 0 || resp.StatusCode != 0 {
			t.Errorf("no-cors fetch(): status %d, body %q; want an opaque response's", resp.StatusCode, b)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the fetch outlived its context by 10 s: the stalled body's read is not bounded by it")
	}
}
