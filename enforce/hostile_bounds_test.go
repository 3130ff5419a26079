package enforce_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// Hostile answers against what the Transport remembers: the CORS-preflight
// cache and the media record hold a bounded number of bytes, whatever a
// server sends, and the CORS checks do work linear in the header lists.
//
// The memory tests are not parallel: they compare the live heap before and
// after, holding the Transport, and parallel tests would add their own.
// The complexity tests compare the work on a large input with the work on a
// small one (growth): a ratio, so the machine's speed cancels out, and no
// time limit.

// liveHeap returns the bytes of live heap objects after a full collection.
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// headerNames returns n distinct header names with prefix, in canonical
// form.
func headerNames(prefix string, n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = http.CanonicalHeaderKey(fmt.Sprintf("%s-%07d", prefix, i))
	}
	return names
}

// preflightServer answers preflights for every path with ACAO the hostile
// page, Allow-Methods PUT, Allow-Headers allowHeaders(path) and Max-Age
// 7200, and other requests with "ok". It counts the preflights.
func preflightServer(t *testing.T, allowHeaders func(path string) string) (url string, preflights *atomic.Int32) {
	t.Helper()
	preflights = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", hostilePage)
		if r.Method == http.MethodOptions {
			preflights.Add(1)
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Allow-Headers", allowHeaders(r.URL.Path))
			w.Header().Set("Access-Control-Max-Age", "7200")
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv.URL, preflights
}

// corsPut sends a CORS PUT from the hostile page to url through tr, with
// each of names set to "1", and checks that it is allowed.
func corsPut(t *testing.T, tr http.RoundTripper, url string, names []string) {
	t.Helper()
	fr := &fetchctx.Request{Origin: origin.MustParse(hostilePage), Mode: fetchctx.ModeCORS}
	req, err := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), fr), http.MethodPut, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		req.Header.Set(n, "1")
	}
	resp, err := tr.RoundTrip(req)
	wantBody(t, resp, err, "ok")
}

// TestHostilePreflightHugeAllowHeaders: one preflight answered with 8 MiB
// of Access-Control-Allow-Headers and Max-Age 7200 allows the request and
// is cached, but what the cache keeps of it is small: no more than one
// entry's cap, and nothing of the header itself.
func TestHostilePreflightHugeAllowHeaders(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 8<<20; i++ {
		fmt.Fprintf(&b, "x-allowed-%07d,", i)
	}
	b.WriteString("x-token")
	huge := b.String()
	url, preflights := preflightServer(t, func(string) string { return huge })
	base := loopbackTransport(t)
	tr := enforce.NewTransport(enforce.TransportConfig{Base: base})
	// A first request without a preflight sets up the connection and the
	// Transport's own state.
	resp, err := hostileDo(context.Background(), base, hostileRequest(fetchctx.DestinationEmpty, fetchctx.UnsafeNone), url)
	wantBody(t, resp, err, "ok")

	before := liveHeap()
	corsPut(t, tr, url+"/r", []string{"X-Token"})
	held := liveHeap() - before
	// The cache still answers the same request.
	corsPut(t, tr, url+"/r", []string{"X-Token"})
	runtime.KeepAlive(tr)
	if n := preflights.Load(); n != 1 {
		t.Errorf("%d preflights, want 1: the answer was not cached", n)
	}
	t.Logf("one 8 MiB answer keeps %d KiB alive", held>>10)
	if held > 256<<10 {
		t.Errorf("one 8 MiB answer keeps %d KiB alive, want at most 256 KiB", held>>10)
	}
}

// TestHostilePreflightManyAnswers: 256 URLs each answered with 500 names
// (20 KiB; under the cap of one entry) fill the cache to its byte bound,
// not past it.
func TestHostilePreflightManyAnswers(t *testing.T) {
	answer := strings.Join(append(headerNames("X-Allowed-Name-Padded-To-Forty", 500), "x-token"), ",")
	url, preflights := preflightServer(t, func(string) string { return answer })
	tr := enforce.NewTransport(enforce.TransportConfig{Base: loopbackTransport(t)})
	corsPut(t, tr, url+"/warm-up", []string{"X-Token"})

	before := liveHeap()
	const n = 256
	for i := range n {
		corsPut(t, tr, fmt.Sprintf("%s/r%d", url, i), []string{"X-Token"})
	}
	held := liveHeap() - before
	runtime.KeepAlive(tr)
	if got := preflights.Load(); got != n+1 {
		t.Fatalf("%d preflights, want %d", got, n+1)
	}
	t.Logf("%d answers of %d bytes keep %d KiB alive", n, len(answer), held>>10)
	if held > 1536<<10 {
		t.Errorf("%d answers of %d bytes keep %d KiB alive, want at most 1.5 MiB", n, len(answer), held>>10)
	}
}

// TestHostilePreflightCacheLookup: requests answered from the cache cost
// per name of the request, not per name of the cached answer: 2,000 requests
// of 100 names against an answer of 200,000 names finish well within the
// bound (a scan of the answer per name: 4x10^10 comparisons, minutes). The
// bound catches the quadratic scan.
func TestHostilePreflightCacheLookup(t *testing.T) {
	asked := headerNames("X-Req", 100)
	large := strings.Join(append(headerNames("X-Allowed", 200_000), asked...), ",")
	url, preflights := preflightServer(t, func(string) string { return large })
	tr := enforce.NewTransport(enforce.TransportConfig{Base: loopbackTransport(t)})
	within(t, 60*time.Second, func() {
		for range 2000 {
			corsPut(t, tr, url+"/large", asked)
		}
	})
	if n := preflights.Load(); n != 1 {
		t.Fatalf("%d preflights, want 1 (then the cache)", n)
	}
}

// corsFixture is a CORS request from the hostile page with n unsafe header
// names, a preflight answer allowing them (listed in reverse order, upper
// case, so that a search from the front finds each last), and a response
// exposing them.
type corsFixture struct {
	req       *fetchctx.Request
	preflight enforce.Response
	final     enforce.Response
}

func newCORSFixture(n int) *corsFixture {
	names := headerNames("X-Custom", n)
	h := http.Header{}
	for _, name := range names {
		h.Set(name, "1")
	}
	reversed := make([]string, n)
	for i, name := range names {
		reversed[n-1-i] = strings.ToUpper(name)
	}
	list := strings.Join(reversed, ", ")
	ph := http.Header{}
	ph.Set("Access-Control-Allow-Origin", hostilePage)
	ph.Set("Access-Control-Allow-Methods", "PUT")
	ph.Set("Access-Control-Allow-Headers", list)
	fh := h.Clone()
	fh.Set("Access-Control-Allow-Origin", hostilePage)
	fh.Set("Access-Control-Expose-Headers", list)
	f := &corsFixture{req: &fetchctx.Request{Origin: origin.MustParse(hostilePage), Mode: fetchctx.ModeCORS, Method: http.MethodPut,
		Header: h, URLs: []fetchctx.URL{fetchctx.MustParseURL("http://api.other.test/r")}}}
	f.preflight, _ = enforce.ParseResponse(200, ph)
	f.final, _ = enforce.ParseResponse(200, fh)
	return f
}

var sinkNames []string

// TestHostileCheckPreflightManyNames: checking a preflight answer for a
// request with 200,000 unsafe header names, listed in the answer in the
// opposite order, finishes well within the bound (a quadratic check takes
// minutes: 10,000 names took 0.5 s at bcf89dd). BenchmarkCheckPreflight
// measures the cost.
func TestHostileCheckPreflightManyNames(t *testing.T) {
	e := enforce.New(enforce.Config{})
	f := newCORSFixture(200_000)
	within(t, 60*time.Second, func() {
		if v := e.CheckPreflight(f.req, 0, &f.preflight); !v.Allows() {
			t.Errorf("%+v, want allowed", v)
		}
	})
}

// TestHostileExposedHeadersManyNames: filtering a response of 200,000
// headers against an Access-Control-Expose-Headers list of as many names
// finishes well within the bound (quadratic: minutes), and exposes them
// all. BenchmarkExposedHeaders measures the cost.
func TestHostileExposedHeadersManyNames(t *testing.T) {
	e := enforce.New(enforce.Config{})
	f := newCORSFixture(200_000)
	within(t, 60*time.Second, func() {
		// The names are exposed; Access-Control-Allow-Origin and
		// Access-Control-Expose-Headers are not.
		if got := e.ExposedHeaders(f.req, &f.final); len(got) != 200_000 {
			t.Errorf("%d exposed, want 200000", len(got))
		}
	})
}

func BenchmarkCheckPreflight(b *testing.B) {
	e := enforce.New(enforce.Config{})
	for _, n := range []int{10, 10_000} {
		f := newCORSFixture(n)
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkV = e.CheckPreflight(f.req, 0, &f.preflight)
			}
		})
	}
}

func BenchmarkExposedHeaders(b *testing.B) {
	e := enforce.New(enforce.Config{})
	for _, n := range []int{10, 10_000} {
		f := newCORSFixture(n)
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkNames = e.ExposedHeaders(f.req, &f.final)
			}
		})
	}
}

// mediaServer serves a WAVE file at every URL the first time, and a
// mid-range 206 of it every later time.
func mediaServer(t *testing.T) string {
	t.Helper()
	wave := "RIFF\x24\x00\x00\x00WAVEfmt " + strings.Repeat("\x00", 2000)
	var mu sync.Mutex
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Keyed by a copy of the first 64 bytes (the URLs differ there):
		// the server must not hold the URLs the client's record is
		// measured on.
		k := strings.Clone(r.URL.RequestURI()[:min(64, len(r.URL.RequestURI()))])
		mu.Lock()
		again := seen[k]
		seen[k] = true
		mu.Unlock()
		w.Header().Set("Content-Type", "application/octet-stream")
		if again {
			w.Header().Set("Content-Range", "bytes 1000-1999/4000")
			w.WriteHeader(http.StatusPartialContent)
			w.Write(make([]byte, 1000))
			return
		}
		io.WriteString(w, wave)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestHostileMediaRecordLongURL: a URL of 16 KiB that sniffed as audio is
// not remembered, so its later mid-range response is the initial one and
// ORB blocks it: forgetting is stricter, never laxer.
func TestHostileMediaRecordLongURL(t *testing.T) {
	t.Parallel()
	tr := enforce.NewTransport(enforce.TransportConfig{Base: loopbackTransport(t)})
	url := mediaServer(t) + "/a.wav?" + strings.Repeat("q", 16<<10)
	resp, err := hostileDo(context.Background(), tr, hostileRequest(fetchctx.DestinationAudio, fetchctx.UnsafeNone), url)
	if err != nil {
		t.Fatalf("initial request: %v", err)
	}
	resp.Body.Close()
	resp, err = hostileDo(context.Background(), tr, hostileRequest(fetchctx.DestinationAudio, fetchctx.UnsafeNone), url)
	wantBlocked(t, resp, err, enforce.ReasonBlockedByORB)
}

// TestHostileMediaRecordManyURLs: 512 URLs of 7 KiB (under the cap of one
// key) that sniffed as audio fill the media record to its byte bound, not
// past it.
func TestHostileMediaRecordManyURLs(t *testing.T) {
	base := loopbackTransport(t)
	tr := enforce.NewTransport(enforce.TransportConfig{Base: base})
	url := mediaServer(t) + "/a.wav?"
	get := func(i int) {
		resp, err := hostileDo(context.Background(), tr, hostileRequest(fetchctx.DestinationAudio, fetchctx.UnsafeNone),
			fmt.Sprintf("%s%d&%s", url, i, strings.Repeat("q", 7<<10)))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	get(-1)
	before := liveHeap()
	const n = 512
	for i := range n {
		get(i)
	}
	held := liveHeap() - before
	runtime.KeepAlive(tr)
	t.Logf("%d media URLs of 7 KiB keep %d KiB alive", n, held>>10)
	if held > 1536<<10 {
		t.Errorf("%d media URLs of 7 KiB keep %d KiB alive, want at most 1.5 MiB", n, held>>10)
	}
}
