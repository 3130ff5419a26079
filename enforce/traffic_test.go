package enforce_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// TestNoTrafficOfItsOwn: the Transport sends the caller's requests, each
// once, through its Base, and nothing else: reports go to OnReport and the
// logger, never over the network; a request blocked before it is sent
// (redirect limit, malformed context) is not sent at all.
func TestNoTrafficOfItsOwn(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var sent []string
	base := rtFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		sent = append(sent, r.Method+" "+r.URL.String())
		mu.Unlock()
		h := http.Header{}
		if strings.HasSuffix(r.URL.Path, "/hop") {
			h.Set("Location", "https://img.other.test/final.png")
			return &http.Response{StatusCode: http.StatusFound, Header: h, Body: http.NoBody, Request: r}, nil
		}
		h.Set("Content-Type", "image/png")
		return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(pngBytes)), Request: r}, nil
	})
	var reports reportLog
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: base, OnReport: reports.add, Logger: logger, FetchMetadata: true})}
	page := origin.MustParse("https://app.example.test")
	for _, tt := range []struct {
		fr  *fetchctx.Request
		url string
	}{
		// Blocked by COEP, with an enforce report and a report-only one.
		{&fetchctx.Request{Origin: page, Destination: fetchctx.DestinationImage,
			Policy: fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP, ReportingEndpoint: "e", ReportOnlyValue: fetchctx.RequireCORP}}, "https://cdn.other.test/a.png"},
		// Allowed, through a redirect.
		{&fetchctx.Request{Origin: page, Destination: fetchctx.DestinationImage}, "https://cdn.other.test/hop"},
		// Never sent: malformed.
		{&fetchctx.Request{Destination: fetchctx.DestinationImage}, "https://cdn.other.test/never.png"},
	} {
		req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), tt.fr), http.MethodGet, tt.url, nil)
		if resp, err := c.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"GET https://cdn.other.test/a.png", "GET https://cdn.other.test/hop", "GET https://img.other.test/final.png"}
	if strings.Join(sent, "\n") != strings.Join(want, "\n") {
		t.Errorf("sent:\n%s\nwant:\n%s", strings.Join(sent, "\n"), strings.Join(want, "\n"))
	}
	if n := len(reports.get()); n != 2 {
		t.Errorf("%d reports reached OnReport, want 2", n)
	}
}
