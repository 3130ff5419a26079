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

func corsDo(t *testing.T, c *http.Client, method, url string, header map[string]string) error {
	t.Helper()
	fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Mode: fetchctx.ModeCORS}
	req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), fr), method, url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
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

// A cookie the jar adds is not the page's header: no preflight for it.
func TestTransportPreflightIgnoresUserAgentHeaders(t *testing.T) {
	var rec recorder
	n := newTestNet(t, routes{"api.other.test/items": rec.handler("PUT")})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	if err := corsDo(t, c, http.MethodGet, "https://api.other.test/items", map[string]string{"Cookie": "a=b", "Referer": "https://app.example.test/"}); err != nil {
		t.Fatal(err)
	}
	for _, s := range rec.get() {
		if strings.HasPrefix(s, "OPTIONS") {
			t.Errorf("a preflight was sent for user-agent headers: %s", s)
		}
	}
}
