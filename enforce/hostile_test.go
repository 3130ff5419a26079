package enforce_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// Hostile inputs: each test has one expected outcome. Servers are
// httptest servers or raw listeners on loopback; every test bounds its
// requests and its time (within), so that a hang fails the test instead of
// stalling the run.

// within runs f and fails the test if it does not return within d.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("did not finish within %v", d)
	}
}

// loopbackTransport is a base transport that talks to loopback only: no
// proxy, short timeouts.
func loopbackTransport(t *testing.T) *http.Transport {
	t.Helper()
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		ResponseHeaderTimeout: 10 * time.Second,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// rawServer serves each connection on a loopback listener with handle,
// which reads the request and writes whatever bytes it likes. It returns
// the server's base URL.
func rawServer(t *testing.T, handle func(c net.Conn, req *http.Request)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				handle(c, req)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// hostilePage is the initiator of the hostile fetches: plain http, so that
// mixed content never decides, and cross-origin to every loopback server.
const hostilePage = "http://app.example.test"

func hostileRequest(dest fetchctx.Destination, policy fetchctx.EmbedderPolicyValue) *fetchctx.Request {
	return &fetchctx.Request{Origin: origin.MustParse(hostilePage), Destination: dest, Policy: fetchctx.EmbedderPolicy{Value: policy}}
}

// hostileDo sends GET url through tr with fr as the fetch context.
func hostileDo(ctx context.Context, tr http.RoundTripper, fr *fetchctx.Request, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(fetchctx.NewContext(ctx, fr), http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return tr.RoundTrip(req)
}

func wantBlocked(t *testing.T, resp *http.Response, err error, reason enforce.Reason) *enforce.BlockedError {
	t.Helper()
	var be *enforce.BlockedError
	if !errors.As(err, &be) {
		if resp != nil {
			resp.Body.Close()
		}
		t.Fatalf("got %v, %v; want a *BlockedError (%s)", resp, err, reason)
	}
	if resp != nil {
		t.Fatalf("blocked with a response: %v", resp)
	}
	if be.Verdict.Result != enforce.Blocked || be.Verdict.Reason != reason {
		t.Fatalf("blocked with %+v, want reason %s", be.Verdict, reason)
	}
	return be
}

func wantBody(t *testing.T, resp *http.Response, err error, body string) {
	t.Helper()
	if err != nil {
		t.Fatalf("got error %v, want the body", err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil || string(got) != body {
		t.Fatalf("body %.40q (%d bytes), %v; want %.40q", got, len(got), err, body)
	}
}

// TestHostileHugeHeaderValues: header values of 1 MiB are decided like
// short ones: padding is trimmed, junk is an invalid header, which Fetch
// treats as absent.
func TestHostileHugeHeaderValues(t *testing.T) {
	t.Parallel()
	mib := 1 << 20
	junk := strings.Repeat("x", mib)
	pad := strings.Repeat(" \t", mib/2)
	tests := []struct {
		name   string
		header [][2]string
		dest   fetchctx.Destination
		coep   fetchctx.EmbedderPolicyValue
		body   string
		want   enforce.Reason // ReasonNone: allowed
	}{
		{"1 MiB of junk as CORP is no policy", [][2]string{{enforce.HeaderCORP, junk}}, fetchctx.DestinationImage, fetchctx.UnsafeNone, pngBytes, enforce.ReasonNone},
		{"1 MiB of junk as CORP under require-corp", [][2]string{{enforce.HeaderCORP, junk}}, fetchctx.DestinationImage, fetchctx.RequireCORP, pngBytes, enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP},
		{"same-origin in 1 MiB of white space", [][2]string{{enforce.HeaderCORP, pad + "same-origin" + pad}}, fetchctx.DestinationImage, fetchctx.UnsafeNone, pngBytes, enforce.ReasonCORPNotSameOrigin},
		{"cross-origin then 1 MiB of junk", [][2]string{{enforce.HeaderCORP, "cross-origin" + junk}}, fetchctx.DestinationImage, fetchctx.RequireCORP, pngBytes, enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP},
		{"1 MiB Content-Type parameter on a never-sniffed type", [][2]string{{"Content-Type", "application/pdf;" + strings.Repeat("a=b;", mib/4)}}, fetchctx.DestinationImage, fetchctx.UnsafeNone, pngBytes, enforce.ReasonBlockedByORB},
		{"1 MiB Content-Type of junk is no MIME type", [][2]string{{"Content-Type", junk}, {enforce.HeaderCORP, "cross-origin"}}, fetchctx.DestinationImage, fetchctx.UnsafeNone, pngBytes, enforce.ReasonNone},
		{"1 MiB X-Content-Type-Options", [][2]string{{"Content-Type", "text/plain"}, {"X-Content-Type-Options", "nosniff," + junk}}, fetchctx.DestinationScript, fetchctx.UnsafeNone, "f();", enforce.ReasonBlockedByORB},
		{"1 MiB Content-Range", [][2]string{{"Content-Range", "bytes " + strings.Repeat("9", mib) + "-1/2"}}, fetchctx.DestinationImage, fetchctx.UnsafeNone, pngBytes, enforce.ReasonNone},
	}
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP | enforce.CheckORB})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, l := range tt.header {
				h.Add(l[0], l[1])
			}
			req := hostileRequest(tt.dest, tt.coep)
			req.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://cdn.other.test/r")}
			within(t, 10*time.Second, func() {
				resp, _ := enforce.ParseResponse(200, h)
				resp.Body, resp.BodyComplete = []byte(tt.body), true
				v, _ := e.Decide(req, []enforce.Response{resp}, nil)
				if v.Reason != tt.want || v.Allows() != (tt.want == enforce.ReasonNone) {
					t.Errorf("got %+v, want reason %q", v, tt.want)
				}
			})
		})
	}
	// A 1 MiB embedder policy header is not a policy: the spec's fallback,
	// unsafe-none, with an error; a framed document under require-corp is
	// then blocked.
	t.Run("1 MiB COEP on a framed document", func(t *testing.T) {
		h := http.Header{}
		h.Set(fetchctx.HeaderCOEP, "require-corp; report-to=\""+junk)
		h.Set(enforce.HeaderCORP, "cross-origin")
		resp, err := enforce.ParseResponse(200, h)
		if err == nil || resp.COEP.Value != fetchctx.UnsafeNone {
			t.Fatalf("COEP %+v, err %v; want the unsafe-none fallback and an error", resp.COEP, err)
		}
		if len(err.Error()) > 1024 {
			t.Errorf("the error message is %d bytes: it must not repeat the header", len(err.Error()))
		}
		req := hostileRequest(fetchctx.DestinationIFrame, fetchctx.RequireCORP)
		req.Mode = fetchctx.ModeNavigate
		req.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://frame.other.test/")}
		if v, _ := e.Decide(req, []enforce.Response{resp}, nil); v.Reason != enforce.ReasonCOEPFrameResourceNeedsCOEPHeader {
			t.Errorf("got %+v, want the framed document blocked", v)
		}
	})
}

// TestHostileManyHeaderLines: thousands of header lines. Several CORP
// lines combine into a list, which is an invalid header (no policy); junk
// lines around one valid CORP line change nothing.
func TestHostileManyHeaderLines(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP | enforce.CheckORB})
	const n = 10000
	tests := []struct {
		name string
		fill func(h http.Header)
		coep fetchctx.EmbedderPolicyValue
		want enforce.Reason
	}{
		{"10,000 junk lines and one CORP same-origin", func(h http.Header) {
			for i := range n {
				h.Add("X-Junk-"+strconv.Itoa(i), "x")
			}
			h.Add(enforce.HeaderCORP, "same-origin")
		}, fetchctx.UnsafeNone, enforce.ReasonCORPNotSameOrigin},
		{"10,000 CORP same-origin lines are a list: no policy", func(h http.Header) {
			for range n {
				h.Add(enforce.HeaderCORP, "same-origin")
			}
		}, fetchctx.UnsafeNone, enforce.ReasonNone},
		{"10,000 CORP cross-origin lines under require-corp", func(h http.Header) {
			for range n {
				h.Add(enforce.HeaderCORP, "cross-origin")
			}
		}, fetchctx.RequireCORP, enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP},
		{"10,000 Content-Type lines, the last one a never-sniffed type", func(h http.Header) {
			for range n - 1 {
				h.Add("Content-Type", "image/png")
			}
			h.Add("Content-Type", "application/pdf")
		}, fetchctx.UnsafeNone, enforce.ReasonBlockedByORB},
		{"10,000 COEP lines are no policy", func(h http.Header) {
			for range n {
				h.Add(fetchctx.HeaderCOEP, "require-corp")
			}
			h.Add(enforce.HeaderCORP, "cross-origin")
		}, fetchctx.RequireCORP, enforce.ReasonNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			tt.fill(h)
			req := hostileRequest(fetchctx.DestinationImage, tt.coep)
			req.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://cdn.other.test/r")}
			within(t, 10*time.Second, func() {
				resp, _ := enforce.ParseResponse(200, h)
				resp.Body, resp.BodyComplete = []byte(pngBytes), true
				if v, _ := e.Decide(req, []enforce.Response{resp}, nil); v.Reason != tt.want || v.Allows() != (tt.want == enforce.ReasonNone) {
					t.Errorf("got %+v, want reason %q", v, tt.want)
				}
			})
		})
	}
}

// TestHostileNULAndInvalidUTF8: NUL bytes and invalid UTF-8 in header
// values make a header invalid, never a different valid one.
func TestHostileNULAndInvalidUTF8(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"same-origin\x00", "\x00same-origin", "same\x00origin", "cross-origin\xff", "\xef\xbb\xbfcross-origin", "cross\xc0\xafsite", "cross-origin\x00\xff"} {
		if c := enforce.ParseCORP([]string{v}); c != enforce.CORPInvalid {
			t.Errorf("ParseCORP(%q) = %v, want invalid", v, c)
		}
	}
	for _, v := range []string{"require-corp\x00", "require-corp; report-to=\"a\x00\"", "require-corp; report-to=\"\xff\"", "credentialless\xff", "\x00"} {
		p, err := fetchctx.ParseEmbedderPolicy([]string{v}, []string{v})
		if err == nil || p != (fetchctx.EmbedderPolicy{}) {
			t.Errorf("ParseEmbedderPolicy(%q) = %+v, %v; want the unsafe-none fallback and an error", v, p, err)
		}
	}
	// Content-Type with a NUL is no MIME type; with one after a valid
	// type, extraction keeps the valid one.
	e := enforce.New(enforce.Config{Checks: enforce.CheckORB})
	req := hostileRequest(fetchctx.DestinationScript, fetchctx.UnsafeNone)
	req.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://cdn.other.test/r")}
	for _, tt := range []struct {
		ct   []string
		body string
		want enforce.Reason
	}{
		{[]string{"application/pdf\x00"}, "%PDF-1.4", enforce.ReasonNone}, // no MIME type: ORB step 13 allows
		{[]string{"application/pdf", "text/\xffhtml"}, "%PDF-1.4", enforce.ReasonBlockedByORB},
		{[]string{"text/javascript\x00"}, `{"secret": 1}`, enforce.ReasonNone},
		{[]string{"application/json; charset=\xff"}, `{"secret": 1}`, enforce.ReasonBlockedByORB},
	} {
		h := http.Header{"Content-Type": tt.ct}
		resp, _ := enforce.ParseResponse(200, h)
		resp.Body, resp.BodyComplete = []byte(tt.body), true
		if v, _ := e.Decide(req, []enforce.Response{resp}, nil); v.Reason != tt.want {
			t.Errorf("Content-Type %q: %+v, want reason %q", tt.ct, v, tt.want)
		}
	}
}

// TestHostileTransportHeaders sends the same hostile headers over the
// wire, through net/http and the Transport.
func TestHostileTransportHeaders(t *testing.T) {
	t.Parallel()
	secret := "secret body"
	tests := []struct {
		name string
		head string // header lines, CRLF-terminated
		coep fetchctx.EmbedderPolicyValue
		want string // "allowed", a reason token, or "error" (no response at all)
	}{
		{"1 MiB of junk as CORP under require-corp", "Cross-Origin-Resource-Policy: " + strings.Repeat("x", 1<<20) + "\r\n", fetchctx.RequireCORP, "corp-not-same-origin-after-defaulted-to-same-origin-by-coep"},
		{"1 MiB of junk as CORP, no COEP", "Cross-Origin-Resource-Policy: " + strings.Repeat("x", 1<<20) + "\r\n", fetchctx.UnsafeNone, "allowed"},
		{"5,000 junk lines and CORP same-origin", strings.Repeat("X-Junk: x\r\n", 5000) + "cross-origin-resource-policy: same-origin\r\n", fetchctx.UnsafeNone, "corp-not-same-origin"},
		{"5,000 CORP lines under require-corp", strings.Repeat("Cross-Origin-Resource-Policy: cross-origin\r\n", 5000), fetchctx.RequireCORP, "corp-not-same-origin-after-defaulted-to-same-origin-by-coep"},
		{"lowercase and shouted names", "CROSS-ORIGIN-RESOURCE-POLICY: same-origin\r\ncontent-type: image/png\r\n", fetchctx.UnsafeNone, "corp-not-same-origin"},
		// net/http refuses a header line with a NUL: the response never
		// reaches the engine, and the caller gets an error.
		{"NUL in the CORP value", "Cross-Origin-Resource-Policy: cross-origin\x00\r\n", fetchctx.UnsafeNone, "error"},
		{"NUL in a header name", "Cross-Origin\x00-Resource-Policy: same-origin\r\n", fetchctx.UnsafeNone, "error"},
		// Invalid UTF-8 passes net/http; the header is then invalid.
		{"invalid UTF-8 in CORP, no COEP", "Cross-Origin-Resource-Policy: same-\xfforigin\r\n", fetchctx.UnsafeNone, "allowed"},
		{"invalid UTF-8 in CORP under require-corp", "Cross-Origin-Resource-Policy: cross-origin\xff\r\n", fetchctx.RequireCORP, "corp-not-same-origin-after-defaulted-to-same-origin-by-coep"},
		{"invalid UTF-8 in COEP of a CORP cross-origin response", "Cross-Origin-Resource-Policy: cross-origin\r\nCross-Origin-Embedder-Policy: require-corp\xff\r\n", fetchctx.RequireCORP, "allowed"},
	}
	var sent atomic.Int32
	url := rawServer(t, func(c net.Conn, req *http.Request) {
		sent.Add(1)
		i, _ := strconv.Atoi(strings.TrimPrefix(req.URL.Path, "/"))
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n%sContent-Length: %d\r\nConnection: close\r\n\r\n%s", tests[i].head, len(secret), secret)
	})
	base := loopbackTransport(t)
	tr := enforce.NewTransport(enforce.TransportConfig{Base: base, Engine: enforce.New(enforce.Config{Checks: enforce.CheckCORP})})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			within(t, 20*time.Second, func() {
				resp, err := hostileDo(context.Background(), tr, hostileRequest(fetchctx.DestinationImage, tt.coep), fmt.Sprintf("%s/%d", url, i))
				switch tt.want {
				case "allowed":
					wantBody(t, resp, err, secret)
				case "error":
					var be *enforce.BlockedError
					if err == nil || errors.As(err, &be) || resp != nil {
						t.Fatalf("got %v, %v; want a transport error", resp, err)
					}
				default:
					var be *enforce.BlockedError
					if !errors.As(err, &be) || be.Verdict.Reason.String() != tt.want || resp != nil {
						t.Fatalf("got %v, %v; want blocked with %s", resp, err, tt.want)
					}
				}
			})
		})
	}
	if n := int(sent.Load()); n != len(tests) {
		t.Errorf("the server got %d requests, want %d", n, len(tests))
	}
}

// TestHostileRedirectChainPastLimit: a server that redirects forever. With
// a client that would follow any number of redirects, the Transport lets
// 20 through and blocks the 21st: the 22nd URL is never requested.
func TestHostileRedirectChainPastLimit(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		if n > 100 {
			http.Error(w, "too many", http.StatusTeapot) // a bound, should the Transport fail
			return
		}
		w.Header().Set(enforce.HeaderCORP, "cross-origin")
		http.Redirect(w, r, fmt.Sprintf("/r%d", n), http.StatusFound)
	}))
	defer srv.Close()
	base := loopbackTransport(t)
	c := &http.Client{
		Transport:     enforce.NewTransport(enforce.TransportConfig{Base: base}),
		CheckRedirect: func(*http.Request, []*http.Request) error { return nil }, // no client-side limit
	}
	within(t, 20*time.Second, func() {
		ctx := fetchctx.NewContext(context.Background(), hostileRequest(fetchctx.DestinationImage, fetchctx.RequireCORP))
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/r0", nil)
		resp, err := c.Do(req)
		if resp != nil {
			resp.Body.Close()
		}
		be := wantBlocked(t, nil, err, enforce.ReasonTooManyRedirects)
		if be.Verdict.Step != enforce.StepRedirectCount || be.Verdict.Hop != 20 {
			t.Errorf("verdict %+v, want the redirect count step at hop 20", be.Verdict)
		}
	})
	if n := hits.Load(); n != 21 {
		t.Errorf("the server got %d requests, want 21 (the first URL and 20 redirects)", n)
	}
}

// infiniteBody never ends; it counts what is read and records Close.
type infiniteBody struct {
	read   atomic.Int64
	closed atomic.Bool
	fill   byte
}

func (b *infiniteBody) Read(p []byte) (int, error) {
	if b.closed.Load() {
		return 0, errors.New("read after close")
	}
	for i := range p {
		p[i] = b.fill
	}
	b.read.Add(int64(len(p)))
	return len(p), nil
}

func (b *infiniteBody) Close() error { b.closed.Store(true); return nil }

// TestHostileBodyNeverEnds: a body that never ends, of a type ORB must
// parse whole, is read up to the script budget and one byte, then blocked
// and closed; memory stays bounded over many such fetches. A body ORB
// decides on its headers or its first 1024 bytes is read no further.
func TestHostileBodyNeverEnds(t *testing.T) {
	const budget = 64 << 10
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP | enforce.CheckORB, ORBScriptBudget: budget})
	tests := []struct {
		name     string
		ct       string
		dest     fetchctx.Destination
		maxRead  int64
		wantStep enforce.Step // StepNone: allowed, with the body still streaming
	}{
		{"script parse: up to the budget", "text/plain", fetchctx.DestinationScript, budget + 1, enforce.StepORBBudget},
		{"sniffing: 1024 bytes", "application/octet-stream", fetchctx.DestinationImage, 1024, enforce.StepORBMediaTypeNotSniffed},
		{"never-sniffed type: no byte", "application/pdf", fetchctx.DestinationImage, 0, enforce.StepORBNeverSniffed},
		{"safelisted type: no byte, allowed", "text/css", fetchctx.DestinationStyle, 0, enforce.StepNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.ct == "application/octet-stream" {
				tt.ct = "image/png" // a media type that does not sniff as one: blocked at step 14
			}
			fetchOnce := func() *infiniteBody {
				body := &infiniteBody{fill: 'a'}
				base := rtFunc(func(r *http.Request) (*http.Response, error) {
					h := http.Header{}
					h.Set("Content-Type", tt.ct)
					return &http.Response{StatusCode: 200, Header: h, Body: body, Request: r, ContentLength: -1}, nil
				})
				tr := enforce.NewTransport(enforce.TransportConfig{Base: base, Engine: e})
				resp, err := hostileDo(context.Background(), tr, hostileRequest(tt.dest, fetchctx.UnsafeNone), "https://cdn.other.test/endless")
				if tt.wantStep == enforce.StepNone {
					if err != nil {
						t.Fatalf("got %v, want the response", err)
					}
					buf := make([]byte, 4096)
					if _, err := io.ReadFull(resp.Body, buf); err != nil {
						t.Fatal(err)
					}
					resp.Body.Close()
					return body
				}
				be := wantBlocked(t, resp, err, enforce.ReasonBlockedByORB)
				if be.Verdict.Step != tt.wantStep {
					t.Fatalf("blocked at %v, want %v", be.Verdict.Step, tt.wantStep)
				}
				if !body.closed.Load() {
					t.Fatal("the blocked body was not closed")
				}
				return body
			}
			within(t, 20*time.Second, func() {
				if b := fetchOnce(); tt.wantStep != enforce.StepNone && b.read.Load() > tt.maxRead {
					t.Fatalf("read %d bytes, want at most %d", b.read.Load(), tt.maxRead)
				} else if tt.wantStep == enforce.StepNone && b.read.Load() > 4096 {
					t.Fatalf("read %d bytes of an allowed body, the caller asked for 4096", b.read.Load())
				}
				// Memory: many fetches allocate about what they read, never
				// the endless body.
				const rounds = 50
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				for range rounds {
					fetchOnce()
				}
				runtime.ReadMemStats(&after)
				perFetch := (after.TotalAlloc - before.TotalAlloc) / rounds
				if limit := uint64(4*max(tt.maxRead, 4096) + 64<<10); perFetch > limit {
					t.Errorf("allocated %d bytes a fetch, want at most %d", perFetch, limit)
				}
			})
		})
	}
}

// TestHostileEndlessServer: the same over loopback: a server streaming a
// body forever is cut off once the decision is made, and its handler ends.
func TestHostileEndlessServer(t *testing.T) {
	t.Parallel()
	handlerDone := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(handlerDone)
		w.Header().Set("Content-Type", "text/plain")
		chunk := []byte(strings.Repeat("a", 4096))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			select {
			case <-r.Context().Done():
				return
			default:
			}
		}
	}))
	defer srv.Close()
	base := loopbackTransport(t)
	tr := enforce.NewTransport(enforce.TransportConfig{Base: base, Engine: enforce.New(enforce.Config{ORBScriptBudget: 32 << 10})})
	within(t, 20*time.Second, func() {
		resp, err := hostileDo(context.Background(), tr, hostileRequest(fetchctx.DestinationScript, fetchctx.UnsafeNone), srv.URL+"/endless")
		if be := wantBlocked(t, resp, err, enforce.ReasonBlockedByORB); be.Verdict.Step != enforce.StepORBBudget {
			t.Errorf("blocked at %v, want the budget step", be.Verdict.Step)
		}
		<-handlerDone // the server sees the connection go
	})
}

// TestHostileStalledBody: a body that stops arriving while ORB waits for
// it: the request's deadline ends the wait, with an error and no body.
func TestHostileStalledBody(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "f();")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	tr := enforce.NewTransport(enforce.TransportConfig{Base: loopbackTransport(t)})
	within(t, 20*time.Second, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		resp, err := hostileDo(ctx, tr, hostileRequest(fetchctx.DestinationScript, fetchctx.UnsafeNone), srv.URL+"/stall")
		if resp != nil || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, %v; want no response and the deadline's error", resp, err)
		}
	})
}

// TestHostileCancelDuringDecision: the caller cancels while ORB reads the
// body: RoundTrip returns the cancellation, and no body.
func TestHostileCancelDuringDecision(t *testing.T) {
	t.Parallel()
	flushed := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, strings.Repeat("a", 100))
		w.(http.Flusher).Flush()
		close(flushed)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	tr := enforce.NewTransport(enforce.TransportConfig{Base: loopbackTransport(t)})
	within(t, 20*time.Second, func() {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-flushed
			time.Sleep(20 * time.Millisecond) // the Transport is then waiting for byte 101
			cancel()
		}()
		resp, err := hostileDo(ctx, tr, hostileRequest(fetchctx.DestinationScript, fetchctx.UnsafeNone), srv.URL+"/slow")
		if resp != nil || !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, %v; want no response and context.Canceled", resp, err)
		}
	})
}

// TestHostileServerClosesEarly: a server that closes the connection before
// the body it announced is complete. A truncated body is not a complete
// one: ORB must not decide on it as if it were (a prefix of an HTML page
// can parse as a script), so the caller gets an error and no body. When
// the decision needed no body, the caller gets the response and the
// truncation as a read error.
func TestHostileServerClosesEarly(t *testing.T) {
	t.Parallel()
	type closer struct {
		name     string
		response string
		dest     fetchctx.Destination
		want     string // "error": RoundTrip fails without a BlockedError; "read error": the body read fails
	}
	script := "f();\n"
	tests := []closer{
		{"Content-Length longer than the body, whole-body parse", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\n\r\n" + script, fetchctx.DestinationScript, "error"},
		{"chunked body cut off, whole-body parse", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n" + script + "\r\n", fetchctx.DestinationScript, "error"},
		{"cut off before the 1024 bytes sniffing needs", "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 5000\r\n\r\n" + pngBytes, fetchctx.DestinationImage, "error"},
		{"closed before the headers end", "HTTP/1.1 200 OK\r\nContent-Type: text/pla", fetchctx.DestinationScript, "error"},
		{"closed before anything", "", fetchctx.DestinationScript, "error"},
		{"decided on the headers, then cut off", "HTTP/1.1 200 OK\r\nContent-Type: text/javascript\r\nContent-Length: 10000\r\n\r\n" + script, fetchctx.DestinationScript, "read error"},
	}
	url := rawServer(t, func(c net.Conn, req *http.Request) {
		i, _ := strconv.Atoi(strings.TrimPrefix(req.URL.Path, "/"))
		io.WriteString(c, tests[i].response)
		// Returning closes the connection.
	})
	tr := enforce.NewTransport(enforce.TransportConfig{Base: loopbackTransport(t)})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			within(t, 20*time.Second, func() {
				resp, err := hostileDo(context.Background(), tr, hostileRequest(tt.dest, fetchctx.UnsafeNone), fmt.Sprintf("%s/%d", url, i))
				switch tt.want {
				case "error":
					var be *enforce.BlockedError
					if err == nil || resp != nil || errors.As(err, &be) {
						if resp != nil {
							resp.Body.Close()
						}
						t.Fatalf("got %v, %v; want an error and no response", resp, err)
					}
				case "read error":
					if err != nil {
						t.Fatalf("got %v, want the response", err)
					}
					defer resp.Body.Close()
					if _, err := io.ReadAll(resp.Body); !errors.Is(err, io.ErrUnexpectedEOF) {
						t.Fatalf("reading the cut-off body: %v, want io.ErrUnexpectedEOF", err)
					}
				}
			})
		})
	}
}

// TestHostileBlockedBodyNeverReachesCaller: for each way of blocking, the
// caller gets a *BlockedError and no response, the body is closed, and no
// more of it was read than the decision needed.
func TestHostileBlockedBodyNeverReachesCaller(t *testing.T) {
	t.Parallel()
	html := "<!doctype html><title>secret</title>" + strings.Repeat("<p>secret", 500)
	tests := []struct {
		name    string
		header  map[string]string
		body    string
		dest    fetchctx.Destination
		policy  fetchctx.EmbedderPolicyValue
		maxRead int
		reason  enforce.Reason
	}{
		{"CORP on the headers", map[string]string{enforce.HeaderCORP: "same-origin", "Content-Type": "text/css"}, html, fetchctx.DestinationStyle, fetchctx.UnsafeNone, 0, enforce.ReasonCORPNotSameOrigin},
		{"COEP default on the headers", map[string]string{"Content-Type": "text/css"}, html, fetchctx.DestinationStyle, fetchctx.RequireCORP, 0, enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP},
		{"ORB on the label", map[string]string{"Content-Type": "application/pdf"}, html, fetchctx.DestinationImage, fetchctx.UnsafeNone, 0, enforce.ReasonBlockedByORB},
		{"ORB on the first 1024 bytes", map[string]string{"Content-Type": "text/html", "X-Content-Type-Options": "nosniff"}, html, fetchctx.DestinationImage, fetchctx.UnsafeNone, 1024, enforce.ReasonBlockedByORB},
		{"ORB on the whole body", map[string]string{"Content-Type": "text/html"}, html, fetchctx.DestinationScript, fetchctx.UnsafeNone, len(html), enforce.ReasonBlockedByORB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &fuzzBody{r: strings.NewReader(tt.body)}
			base := rtFunc(func(r *http.Request) (*http.Response, error) {
				h := http.Header{}
				for k, v := range tt.header {
					h.Set(k, v)
				}
				return &http.Response{StatusCode: 200, Header: h, Body: body, Request: r}, nil
			})
			tr := enforce.NewTransport(enforce.TransportConfig{Base: base})
			resp, err := hostileDo(context.Background(), tr, hostileRequest(tt.dest, tt.policy), "http://cdn.other.test/secret")
			wantBlocked(t, resp, err, tt.reason)
			if !body.closed || body.n > tt.maxRead {
				t.Errorf("body closed %v, %d bytes read; want closed, at most %d", body.closed, body.n, tt.maxRead)
			}
		})
	}
}

// TestHostileDecisionDoesNotWriteItsInput: the decision reads a body that
// is a window on a larger buffer, and never writes past it (the script
// parser once wrote a NUL there).
func TestHostileDecisionDoesNotWriteItsInput(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckORB})
	req := hostileRequest(fetchctx.DestinationScript, fetchctx.UnsafeNone)
	req.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://cdn.other.test/a.js")}
	for _, src := range []string{"f();", "\xef\xbb\xbff();", "var a = 1;\n"} {
		buf := []byte(src + "SENTINEL")
		resp, _ := enforce.ParseResponse(200, http.Header{"Content-Type": {"text/plain"}})
		resp.Body, resp.BodyComplete = buf[:len(src)], true
		if v, _ := e.Decide(req, []enforce.Response{resp}, nil); !v.Allows() {
			t.Fatalf("%q: %+v, want allowed", src, v)
		}
		if got := string(buf[len(src):]); got != "SENTINEL" {
			t.Errorf("%q: the bytes after the body became %q", src, got)
		}
	}
}

// TestHostileHostForms: host spellings decide nothing by themselves. Every
// IPv4 number form, percent-encoding and upper case name the page's own
// origin (basic tainting: CORP same-origin passes); an IDN homograph is
// another site (CORP same-site blocks it); an IPv6 zone identifier is no
// URL at all.
func TestHostileHostForms(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	tests := []struct {
		page, url string
		corp      enforce.CORP
		want      enforce.Reason
	}{
		{"http://127.0.0.1:8080", "http://2130706433:8080/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"http://127.0.0.1:8080", "http://0x7f000001:8080/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"http://127.0.0.1:8080", "http://017700000001:8080/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"http://127.0.0.1:8080", "http://0x7f.1:8080/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"http://127.0.0.1:8080", "http://127.0.1:8080/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"http://127.0.0.1:8080", "http://0177.0.0.01:8080/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"http://127.0.0.1:8080", "http://127.0.0.1.:8080/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"http://127.0.0.1:8080", "http://%31%32%37.0.0.1:8080/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"http://127.0.0.1:8080", "http://127.0.0.2:8080/x", enforce.CORPSameOrigin, enforce.ReasonCORPNotSameOrigin},
		{"http://127.0.0.1:8080", "http://[::ffff:127.0.0.1]:8080/x", enforce.CORPSameOrigin, enforce.ReasonCORPNotSameOrigin},
		{"https://apple.com", "https://APPLE.COM/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"https://apple.com", "https://%61pple.com/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"https://apple.com", "https://\uff41pple.com/x", enforce.CORPSameOrigin, enforce.ReasonNone},
		{"https://xn--pple-43d.com", "https://apple.com/x", enforce.CORPSameSite, enforce.ReasonCORPNotSameSite},
		{"https://apple.com", "https://\u0430pple.com/x", enforce.CORPSameSite, enforce.ReasonCORPNotSameSite},
		{"https://www.apple.com", "https://cdn.APPLE.com/x", enforce.CORPSameSite, enforce.ReasonNone},
	}
	for _, tt := range tests {
		req := &fetchctx.Request{Origin: origin.MustParse(tt.page), Destination: fetchctx.DestinationImage,
			URLs: []fetchctx.URL{fetchctx.MustParseURL(tt.url)}}
		if v, _ := e.Decide(req, []enforce.Response{{Status: 200, CORP: tt.corp}}, nil); v.Reason != tt.want {
			t.Errorf("%s from %s, CORP %v: %+v, want reason %q", tt.url, tt.page, tt.corp, v, tt.want)
		}
	}
	for _, u := range []string{"http://[fe80::1%25eth0]/", "http://[fe80::1%eth0]/", "http://[::1%251]:8080/"} {
		if _, err := fetchctx.ParseURL(u); err == nil {
			t.Errorf("ParseURL(%q) accepted an IPv6 zone identifier", u)
		}
	}
}
