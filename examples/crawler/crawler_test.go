package main

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pngBytes starts with the PNG signature.
const pngBytes = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

// hosts serves every https host name from one loopback TLS server,
// routing on host and path.
func hosts(t *testing.T, routes map[string]http.HandlerFunc) http.RoundTripper {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := routes[r.Host+r.URL.Path]; ok {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	base := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
		},
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the test certificate names no test host
	}
	t.Cleanup(base.CloseIdleConnections)
	return base
}

func serve(body string, kv ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			w.Header().Set(kv[i], kv[i+1])
		}
		w.Write([]byte(body))
	}
}

// Two pages load the same cross-site image; the one whose COEP requires
// CORP is blocked from it, the other gets it: deduplicating by URL alone
// would have fetched it once and got one of the two wrong.
func TestCrawler(t *testing.T) {
	base := hosts(t, map[string]http.HandlerFunc{
		"a.example/": serve(`<base href="/static/"><script src="app.js"></script><img src="https://img.other.example/cat.png">`+
			`<script src="https://cdn.other.example/lib.js"></script><iframe src="https://w.other.example/"></iframe>`,
			"Content-Type", "text/html", "Cross-Origin-Embedder-Policy", "require-corp"),
		"a.example/static/app.js":   serve("var a;", "Content-Type", "text/javascript"),
		"img.other.example/cat.png": serve(pngBytes, "Content-Type", "image/png"),
		"cdn.other.example/lib.js":  serve("var lib;", "Content-Type", "text/javascript", "Cross-Origin-Resource-Policy", "same-origin"),
		"w.other.example/":          serve("<p>widget", "Content-Type", "text/html"),
		"b.example/":                serve(`<img src="https://img.other.example/cat.png"><img src="https://img.other.example/cat.png">`, "Content-Type", "text/html"),
	})
	c := New(base)
	type row struct{ Page, Dest, URL, Blocked string }
	var got []row
	for _, p := range []string{"https://a.example/", "https://b.example/"} {
		rs, err := c.Page(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			got = append(got, row{r.Page, r.Destination, r.URL, r.Blocked})
			if (r.Body == nil) != (r.Blocked != "") {
				t.Errorf("%s: body %q with blocked %q", r.URL, r.Body, r.Blocked)
			}
		}
	}
	want := []row{
		{"https://a.example/", "script", "https://a.example/static/app.js", ""},
		{"https://a.example/", "image", "https://img.other.example/cat.png", "corp-not-same-origin-after-defaulted-to-same-origin-by-coep"},
		{"https://a.example/", "script", "https://cdn.other.example/lib.js", "corp-not-same-origin"},
		{"https://a.example/", "iframe", "https://w.other.example/", "corp-not-same-origin-after-defaulted-to-same-origin-by-coep"},
		// Another page, no COEP: the same image again, once.
		{"https://b.example/", "image", "https://img.other.example/cat.png", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
}
