package enforce_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
)

// navResponse is a hand-made navigation response for rawURL.
func navResponse(t *testing.T, rawURL string, kv ...string) *http.Response {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return &http.Response{StatusCode: 200, Header: h, Request: &http.Request{URL: u}}
}

func TestNewDocument(t *testing.T) {
	t.Parallel()
	top := func(raw string) *enforce.Document {
		d, err := enforce.NewDocument(navResponse(t, raw), nil)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name      string
		url       string
		container *enforce.Document
		header    []string
		origin    string // "null" for opaque
		policy    fetchctx.EmbedderPolicy
		secure    bool
	}{
		{"https with COEP and report-to", "https://app.example/p?q", nil,
			[]string{"Cross-Origin-Embedder-Policy", `require-corp; report-to="main"`, "Cross-Origin-Embedder-Policy-Report-Only", "credentialless"},
			"https://app.example", fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP, ReportingEndpoint: "main", ReportOnlyValue: fetchctx.Credentialless}, true},
		{"http is not a secure context: COEP ignored", "http://app.example/", nil,
			[]string{"Cross-Origin-Embedder-Policy", "require-corp"}, "http://app.example", fetchctx.EmbedderPolicy{}, false},
		{"http loopback is a secure context", "http://127.0.0.1:8080/", nil,
			[]string{"Cross-Origin-Embedder-Policy", "require-corp"}, "http://127.0.0.1:8080", fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP}, true},
		{"https frame under an http top: not secure", "https://w.example/", top("http://app.example/"),
			[]string{"Cross-Origin-Embedder-Policy", "require-corp"}, "https://w.example", fetchctx.EmbedderPolicy{}, false},
		{"http frame under an https top: secure (top-level creation URL)", "http://w.example/", top("https://app.example/"),
			[]string{"Cross-Origin-Embedder-Policy", "credentialless"}, "http://w.example", fetchctx.EmbedderPolicy{Value: fetchctx.Credentialless}, true},
		{"CSP sandbox: opaque origin", "https://app.example/", nil,
			[]string{"Content-Security-Policy", "default-src 'self'; SANDBOX allow-scripts"}, "null", fetchctx.EmbedderPolicy{}, true},
		{"CSP sandbox allow-same-origin keeps the origin", "https://app.example/", nil,
			[]string{"content-security-policy", "sandbox allow-scripts allow-same-origin"}, "https://app.example", fetchctx.EmbedderPolicy{}, true},
		{"CSP sandbox in a second policy", "https://app.example/", nil,
			[]string{"Content-Security-Policy", "img-src *", "Content-Security-Policy", "script-src 'none', sandbox"}, "null", fetchctx.EmbedderPolicy{}, true},
		{"CSP Report-Only sandbox does not count", "https://app.example/", nil,
			[]string{"Content-Security-Policy-Report-Only", "sandbox"}, "https://app.example", fetchctx.EmbedderPolicy{}, true},
		{"bad COEP falls back", "https://app.example/", nil,
			[]string{"Cross-Origin-Embedder-Policy", "require-corp, credentialless"}, "https://app.example", fetchctx.EmbedderPolicy{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := enforce.NewDocument(navResponse(t, tc.url, tc.header...), tc.container)
			if err != nil {
				t.Fatal(err)
			}
			got := []any{d.Origin().String(), d.EmbedderPolicy(), d.IsSecureContext(), d.IsSandboxed(), d.Container() == tc.container}
			want := []any{tc.origin, tc.policy, tc.secure, tc.origin == "null", true}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Origin, EmbedderPolicy, IsSecureContext, IsSandboxed, Container (-want +got):\n%s", diff)
			}
		})
	}
	frame, _ := enforce.NewDocument(navResponse(t, "https://w.example/"), top("https://app.example/"))
	if s := frame.WithIFrameSandbox("allow-scripts"); !s.Origin().IsOpaque() || !s.IsSandboxed() || s.URL() != frame.URL() {
		t.Errorf("sandbox=allow-scripts: origin %v", s.Origin())
	}
	if s := frame.WithIFrameSandbox(" ALLOW-SAME-ORIGIN allow-scripts"); s.Origin() != frame.Origin() || s.IsSandboxed() {
		t.Errorf("sandbox=allow-same-origin: origin %v", s.Origin())
	}
	if _, err := enforce.NewDocument(&http.Response{}, nil); !errors.Is(err, enforce.ErrNoDocumentURL) {
		t.Errorf("NewDocument without a request: %v; want ErrNoDocumentURL", err)
	}
	d, _ := enforce.NewDocument(navResponse(t, "https://a.example/", "Cross-Origin-Embedder-Policy", "bogus"), nil)
	var he *fetchctx.HeaderError
	if !errors.As(d.HeaderErrors(), &he) {
		t.Errorf("HeaderErrors = %v; want a *fetchctx.HeaderError", d.HeaderErrors())
	}
}

// A document navigated to through the Transport makes its elements'
// requests under its own policy.
func TestDocumentThroughTransport(t *testing.T) {
	t.Parallel()
	n := newTestNet(t, routes{
		"app.example/":            serve(map[string]string{"Cross-Origin-Embedder-Policy": "require-corp", "Content-Type": "text/html"}, "<p>"),
		"cdn.app.example/a.js":    serve(map[string]string{"Content-Type": "text/javascript", "Cross-Origin-Resource-Policy": "same-site"}, "var a;"),
		"img.other.example/i.png": serve(map[string]string{"Content-Type": "image/png"}, pngBytes),
	})
	client := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	nav, err := enforce.NavigationRequest(context.Background(), "https://app.example/")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(nav)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	doc, err := enforce.NewDocument(resp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if doc.EmbedderPolicy().Value != fetchctx.RequireCORP || doc.Origin().String() != "https://app.example" {
		t.Fatalf("document: %v, %v", doc.Origin(), doc.EmbedderPolicy())
	}
	load := func(tag string, kv ...string) error {
		t.Helper()
		return loadElement(t, client, doc, tag, kv...)
	}
	if err := load("script", "src", "https://cdn.app.example/a.js"); err != nil {
		t.Errorf("same-site script with CORP same-site: %v", err)
	}
	var be *enforce.BlockedError
	if err := load("img", "src", "//img.other.example/i.png"); !errors.As(err, &be) || be.Verdict.Reason != enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP {
		t.Errorf("cross-site image without CORP under require-corp: %v", err)
	}
}

func attrMap(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(n string) (string, bool) { v, ok := m[n]; return v, ok }
}

// The preflight cache is partitioned by the top-level site: the same
// frame origin under two top-level sites preflights twice, two documents
// under one top-level site once.
func TestDocumentPreflightPartition(t *testing.T) {
	t.Parallel()
	var preflights atomic.Int32
	n := newTestNet(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		if r.Method == http.MethodOptions {
			preflights.Add(1)
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Max-Age", "600")
		}
	}))
	client := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base})}
	doc := func(raw string, container *enforce.Document) *enforce.Document {
		d, err := enforce.NewDocument(navResponse(t, raw), container)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	topA, topA2, topB := doc("https://a.example/", nil), doc("https://www.a.example/", nil), doc("https://b.other/", nil)
	frames := []*enforce.Document{
		doc("https://w.example/", topA),  // preflights
		doc("https://w.example/", topA2), // same top-level site: cached
		doc("https://w.example/", topB),  // another top-level site: preflights
	}
	var got []int32
	for _, f := range frames {
		fr, err := fetchctx.ForFetch(fetchctx.FetchInit{Method: "PUT"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.Request(fr, "https://api.example/r")
		if err != nil {
			t.Fatal(err)
		}
		hr, err := f.NewRequest(context.Background(), r, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got = append(got, preflights.Load())
	}
	if diff := cmp.Diff([]int32{1, 1, 2}, got); diff != "" {
		t.Errorf("preflights after each frame's fetch (-want +got):\n%s", diff)
	}
}

// Each document keeps its own no-cors media record: a mid-range response
// is "subsequent" only for the document whose earlier request for that URL
// sniffed as audio; for another document it is the initial one, which ORB
// blocks.
func TestDocumentMediaRecord(t *testing.T) {
	t.Parallel()
	client := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: loopbackTransport(t)})}
	url := mediaServer(t) + "/a.wav"
	docA, _ := enforce.NewDocument(navResponse(t, "http://app.example/"), nil)
	docB, _ := enforce.NewDocument(navResponse(t, "http://app.example/"), nil)
	audio := func(d *enforce.Document) error {
		t.Helper()
		return loadElement(t, client, d, "audio", "src", url)
	}
	if err := audio(docA); err != nil {
		t.Fatalf("A's initial request: %v", err)
	}
	if err := audio(docA); err != nil {
		t.Errorf("A's mid-range request, subsequent for A: %v", err)
	}
	var be *enforce.BlockedError
	if err := audio(docB); !errors.As(err, &be) || be.Verdict.Reason != enforce.ReasonBlockedByORB {
		t.Errorf("B's mid-range request, initial for B: %v; want blocked by ORB", err)
	}
}

// loadElement fetches, through client, what doc's element tag with the
// attributes kv (name, value, ...) loads first, reads the body through, and
// returns the fetch's error.
func loadElement(t *testing.T, client *http.Client, doc *enforce.Document, tag string, kv ...string) error {
	t.Helper()
	reqs, err := doc.ElementRequests(&fetchctx.Element{Tag: tag, Attr: attrMap(kv...)})
	if err != nil {
		t.Fatal(err)
	}
	hr, err := doc.NewRequest(context.Background(), reqs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(hr)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return err
}
