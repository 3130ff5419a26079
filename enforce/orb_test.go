package enforce_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// countingBody serves data and counts the bytes read from it.
type countingBody struct {
	r    io.Reader
	read atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read.Add(int64(n))
	return n, err
}

func (b *countingBody) Close() error { return nil }

func stubResponse(status int, header map[string]string, body *countingBody) stubRT {
	return func(r *http.Request) (*http.Response, error) {
		h := http.Header{}
		for k, v := range header {
			h.Set(k, v)
		}
		return &http.Response{StatusCode: status, Header: h, Body: body, Request: r}, nil
	}
}

func pagefetch(t *testing.T, rt http.RoundTripper, dest fetchctx.Destination, url string) (*http.Response, error) {
	t.Helper()
	fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Destination: dest}
	req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), fr), http.MethodGet, url, nil)
	return rt.RoundTrip(req)
}

func TestTransportORBReadsOnlyWhatItNeeds(t *testing.T) {
	png := pngBytes + strings.Repeat("x", 4000)
	script := "f();" + strings.Repeat(" ", 4000) + "g();"
	tests := []struct {
		name     string
		header   map[string]string
		body     string
		dest     fetchctx.Destination
		wantRead int64 // bytes read before the verdict
		allowed  bool
	}{
		{"never-sniffed type: decided on headers", map[string]string{"Content-Type": "application/pdf"}, png, fetchctx.DestinationImage, 0, false},
		{"safelisted type: decided on headers", map[string]string{"Content-Type": "text/css"}, png, fetchctx.DestinationStyle, 0, true},
		{"image sniff: the first 1024 bytes", map[string]string{"Content-Type": "application/octet-stream"}, png, fetchctx.DestinationImage, 1024, true},
		{"nosniff after sniffing: 1024 bytes", map[string]string{"Content-Type": "application/octet-stream", "X-Content-Type-Options": "nosniff"}, script, fetchctx.DestinationScript, 1024, false},
		{"JavaScript parse: the whole body", map[string]string{"Content-Type": "text/plain"}, script, fetchctx.DestinationScript, int64(len(script)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &countingBody{r: strings.NewReader(tt.body)}
			tr := enforce.NewTransport(enforce.TransportConfig{Base: stubResponse(200, tt.header, body)})
			resp, err := pagefetch(t, tr, tt.dest, "https://cdn.other.test/r")
			if got := body.read.Load(); got != tt.wantRead {
				t.Errorf("read %d bytes before deciding, want %d", got, tt.wantRead)
			}
			if !tt.allowed {
				var be *enforce.BlockedError
				if !errors.As(err, &be) || be.Verdict.Reason != enforce.ReasonBlockedByORB {
					t.Fatalf("err %v, want an ORB block", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// What was read for the decision is given back in front.
			got, _ := io.ReadAll(resp.Body)
			if string(got) != tt.body {
				t.Errorf("body changed: got %d bytes, want %d", len(got), len(tt.body))
			}
		})
	}
}

func TestTransportORBBudget(t *testing.T) {
	body := &countingBody{r: strings.NewReader("f();" + strings.Repeat(" ", 5000))}
	tr := enforce.NewTransport(enforce.TransportConfig{
		Base:   stubResponse(200, map[string]string{"Content-Type": "text/plain"}, body),
		Engine: enforce.New(enforce.Config{ORBScriptBudget: 2048}),
	})
	_, err := pagefetch(t, tr, fetchctx.DestinationScript, "https://cdn.other.test/big.js")
	var be *enforce.BlockedError
	if !errors.As(err, &be) || be.Verdict.Step != enforce.StepORBBudget {
		t.Fatalf("err %v, want a block past the script budget", err)
	}
	if n := body.read.Load(); n > 2049 {
		t.Errorf("read %d bytes, want at most the budget and one", n)
	}
}

func TestTransportORBChromiumStripsFetch(t *testing.T) {
	body := &countingBody{r: strings.NewReader(`{"secret": 1}`)}
	tr := enforce.NewTransport(enforce.TransportConfig{
		Base:   stubResponse(200, map[string]string{"Content-Type": "application/json", "X-Secret": "1"}, body),
		Engine: enforce.New(enforce.Config{Profile: enforce.ProfileChromium}),
	})
	resp, err := pagefetch(t, tr, fetchctx.DestinationEmpty, "https://cdn.other.test/data.json")
	if err != nil {
		t.Fatalf("chromium profile, fetch(): err %v, want an empty response", err)
	}
	got, _ := io.ReadAll(resp.Body)
	if len(got) != 0 || len(resp.Header) != 0 {
		t.Errorf("stripped response has body %q, headers %v", got, resp.Header)
	}
	// The spec profile makes the same response a network error.
	body = &countingBody{r: strings.NewReader(`{"secret": 1}`)}
	tr = enforce.NewTransport(enforce.TransportConfig{Base: stubResponse(200, map[string]string{"Content-Type": "application/json"}, body)})
	if _, err := pagefetch(t, tr, fetchctx.DestinationEmpty, "https://cdn.other.test/data.json"); err == nil {
		t.Error("spec profile, fetch(): not blocked")
	}
}

// A media element's later range requests to a URL that sniffed as audio or
// video are "subsequent": ORB lets them through without sniffing.
func TestTransportMediaRecord(t *testing.T) {
	wave := "RIFF\x24\x00\x00\x00WAVEfmt " + strings.Repeat("\x00", 2000)
	var calls atomic.Int32
	base := stubRT(func(r *http.Request) (*http.Response, error) {
		h := http.Header{}
		h.Set("Content-Type", "application/octet-stream")
		if calls.Add(1) == 1 {
			return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(wave)), Request: r}, nil
		}
		h.Set("Content-Range", "bytes 1000-1999/4000")
		return &http.Response{StatusCode: 206, Header: h, Body: io.NopCloser(bytes.NewReader(make([]byte, 1000))), Request: r}, nil
	})
	tr := enforce.NewTransport(enforce.TransportConfig{Base: base})
	const u = "https://media.other.test/a.wav"
	resp, err := pagefetch(t, tr, fetchctx.DestinationAudio, u)
	if err != nil {
		t.Fatalf("initial request: %v", err)
	}
	resp.Body.Close()
	resp, err = pagefetch(t, tr, fetchctx.DestinationAudio, u)
	if err != nil {
		t.Fatalf("subsequent range request: %v", err)
	}
	resp.Body.Close()
	// A Transport that never saw the initial response blocks the same
	// mid-range response (ORB step 5).
	calls.Store(1)
	fresh := enforce.NewTransport(enforce.TransportConfig{Base: base})
	if _, err := pagefetch(t, fresh, fetchctx.DestinationAudio, u); err == nil {
		t.Error("a mid-range response with no record: not blocked")
	}
}

var sinkV enforce.Verdict

// TestORBSniffNoAllocs: the sniffing decision on a 1 KiB prefix, on
// pre-parsed values, allocates nothing.
func TestORBSniffNoAllocs(t *testing.T) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckORB})
	for _, c := range orbBenchCases() {
		n := testing.AllocsPerRun(200, func() { sinkV, _ = e.CheckHop(c.req, 0, &c.resp, nil) })
		if n != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, n)
		}
		if v, _ := e.CheckHop(c.req, 0, &c.resp, nil); v.Result != c.want {
			t.Errorf("%s: %v, want %v", c.name, v, c.want)
		}
	}
}

type orbBenchCase struct {
	name string
	req  *fetchctx.Request
	resp enforce.Response
	want enforce.Result
}

func orbBenchCases() []orbBenchCase {
	prefix := func(sig string) []byte {
		b := make([]byte, 1024)
		copy(b, sig)
		return b
	}
	parse := func(h map[string]string, body []byte) enforce.Response {
		hh := http.Header{}
		for k, v := range h {
			hh.Set(k, v)
		}
		r, _ := enforce.ParseResponse(200, hh)
		r.Body = body
		return r
	}
	req := func(d fetchctx.Destination) *fetchctx.Request {
		return &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Destination: d,
			URLs: []fetchctx.URL{fetchctx.MustParseURL("https://cdn.other.test/x")}}
	}
	return []orbBenchCase{
		{"PNG labelled octet-stream", req(fetchctx.DestinationImage), parse(map[string]string{"Content-Type": "application/octet-stream"}, prefix(pngBytes)), enforce.Allowed},
		{"GIF with no label", req(fetchctx.DestinationImage), parse(nil, prefix("GIF89a")), enforce.Allowed},
		{"no signature, nosniff", req(fetchctx.DestinationScript), parse(map[string]string{"Content-Type": "application/octet-stream", "X-Content-Type-Options": "nosniff"}, prefix("f()")), enforce.Blocked},
		{"no signature, image type", req(fetchctx.DestinationImage), parse(map[string]string{"Content-Type": "image/png"}, prefix("not a png")), enforce.Blocked},
	}
}

func BenchmarkORBSniff(b *testing.B) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckORB})
	for _, c := range orbBenchCases() {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkV, _ = e.CheckHop(c.req, 0, &c.resp, nil)
			}
		})
	}
}
