package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pageRoutes: app.example.com's pages and what they load from several
// hosts.
func pageRoutes() routeMap {
	html := map[string]string{"Content-Type": "text/html"}
	page := func(body string) route { return route{headers: html, body: body} }
	return routeMap{
		// Nothing breaks without COEP; a cross-site image without CORP and
		// a cross-site iframe break under require-corp.
		"app.example.com/ok": page(`<!doctype html><script src="https://cdn.example.com/plain.js"></script>` +
			`<img src="https://img.othersite.com/cat.png"><img src="https://img.othersite.com/cat.png">` +
			`<iframe src="https://widget.othersite.com/embed"></iframe><script>inline()</script>`),
		// A cross-site script whose CORP is same-origin breaks anyway.
		"app.example.com/broken": page(`<!doctype html><script src="https://cdn.example.com/plain.js"></script>` +
			`<script src="https://api.othersite.com/own.js"></script>`),
		"cdn.example.com/plain.js":   {headers: map[string]string{"Content-Type": "text/javascript", "Cross-Origin-Resource-Policy": "same-site"}, body: "1;"},
		"api.othersite.com/own.js":   {headers: map[string]string{"Content-Type": "text/javascript", "Cross-Origin-Resource-Policy": "same-origin"}, body: "2;"},
		"img.othersite.com/cat.png":  {headers: map[string]string{"Content-Type": "image/png"}, body: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
		"widget.othersite.com/embed": page("<p>widget"),
		// A style sheet's references, inline styles, and a frame whose own
		// require-corp blocks its own cross-origin image.
		"app.example.com/deep": page(`<!doctype html><link rel=stylesheet href="https://cdn.example.com/site.css">` +
			`<div style="background: url(https://img.othersite.com/cat.png)"></div>` +
			`<iframe src="https://widget.othersite.com/framed"></iframe>`),
		"cdn.example.com/site.css": {headers: map[string]string{"Content-Type": "text/css", "Cross-Origin-Resource-Policy": "same-site"},
			body: `@font-face { font-family: F; src: url(https://fonts.othersite.com/f.woff2) } body { background: url(bg.png) }`},
		"cdn.example.com/bg.png":      {headers: map[string]string{"Content-Type": "image/png"}, body: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
		"fonts.othersite.com/f.woff2": {headers: map[string]string{"Content-Type": "font/woff2", "Access-Control-Allow-Origin": "*"}, body: "wOF2"},
		// A sandboxed frame's origin is opaque: its own CORP same-origin
		// script is another origin's.
		"app.example.com/sandboxed":      page(`<iframe sandbox="allow-scripts" src="https://widget.othersite.com/sandboxed"></iframe>`),
		"widget.othersite.com/sandboxed": page(`<script src="/own.js"></script>`),
		"widget.othersite.com/own.js":    {headers: map[string]string{"Content-Type": "text/javascript", "Cross-Origin-Resource-Policy": "same-origin"}, body: "3;"},
		"widget.othersite.com/framed": {headers: map[string]string{"Content-Type": "text/html", "Cross-Origin-Embedder-Policy": "require-corp"},
			body: `<img src="https://img.othersite.com/cat.png">`},
	}
}

var pageHosts = []string{"app.example.com", "cdn.example.com", "api.othersite.com", "img.othersite.com", "widget.othersite.com", "fonts.othersite.com"}

func TestPage(t *testing.T) {
	s := newTestServers(t, pageRoutes())
	const (
		ok     = "https://app.example.com/ok"
		broken = "https://app.example.com/broken"
		deep   = "https://app.example.com/deep"
	)
	type row struct{ Page, URL, Element, Verdict, Reason string }
	tests := []struct {
		name string
		args []string
		code int
		want []row
	}{
		{"nothing breaks", []string{"https://app.example.com/ok"}, 0, []row{
			{ok, "https://cdn.example.com/plain.js", "script", "allowed", ""},
			{ok, "https://img.othersite.com/cat.png", "img", "allowed", ""},
			{ok, "https://widget.othersite.com/embed", "iframe", "allowed", ""},
		}},
		{"under a proposed require-corp", []string{"https://app.example.com/ok", "--coep", "require-corp"}, 1, []row{
			{ok, "https://cdn.example.com/plain.js", "script", "allowed", ""},
			{ok, "https://img.othersite.com/cat.png", "img", "blocked", "corp-not-same-origin-after-defaulted-to-same-origin-by-coep"},
			{ok, "https://widget.othersite.com/embed", "iframe", "blocked", "corp-not-same-origin-after-defaulted-to-same-origin-by-coep"},
		}},
		{"a cross-site CORP same-origin script", []string{"https://app.example.com/broken", "--parallel", "1"}, 1, []row{
			{broken, "https://cdn.example.com/plain.js", "script", "allowed", ""},
			{broken, "https://api.othersite.com/own.js", "script", "blocked", "corp-not-same-origin"},
		}},
		{"a sandboxed frame", []string{"https://app.example.com/sandboxed"}, 1, []row{
			{"https://app.example.com/sandboxed", "https://widget.othersite.com/sandboxed", "iframe", "allowed", ""},
			{"https://widget.othersite.com/sandboxed", "https://widget.othersite.com/own.js", "script", "blocked", "corp-not-same-origin"},
		}},
		{"style sheets and frames", []string{"https://app.example.com/deep"}, 1, []row{
			{deep, "https://cdn.example.com/site.css", "link", "allowed", ""},
			{deep, "https://widget.othersite.com/framed", "iframe", "allowed", ""},
			{deep, "https://img.othersite.com/cat.png", "style", "allowed", ""},
			{"https://cdn.example.com/site.css", "https://fonts.othersite.com/f.woff2", "css", "allowed", ""},
			{"https://cdn.example.com/site.css", "https://cdn.example.com/bg.png", "css", "allowed", ""},
			// The frame's own policy, for the frame's own image.
			{"https://widget.othersite.com/framed", "https://img.othersite.com/cat.png", "img", "blocked", "corp-not-same-origin-after-defaulted-to-same-origin-by-coep"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"page", "--json"}, tc.args...), s.args(pageHosts...)...)
			code, out, errs := runCmd(t, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errs)
			}
			var got []row
			dec := json.NewDecoder(strings.NewReader(out))
			for dec.More() {
				var r pageRow
				if err := dec.Decode(&r); err != nil {
					t.Fatal(err)
				}
				got = append(got, row{r.Page, r.URL, r.Element, r.Verdict, r.Reason})
				if r.Verdict == verdictBlocked && (r.Fix == "" || r.Hop == nil || *r.Hop != 0) {
					t.Errorf("%s: blocked with fix %q at hop %v", r.URL, r.Fix, r.Hop)
				}
				if r.Verdict == verdictAllowed && r.Hop != nil {
					t.Errorf("%s: allowed with a hop", r.URL)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}

	// The text output names the policy, the reason, the hop and the fix.
	code, out, _ := runCmd(t, append([]string{"page", "https://app.example.com/ok", "--coep", "require-corp"}, s.args(pageHosts...)...)...)
	for _, want := range []string{"COEP require-corp (proposed by --coep)", "corp-not-same-origin-after-defaulted-to-same-origin-by-coep  0    serve Cross-Origin-Resource-Policy: cross-origin",
		"3 subresources: 2 would break (2 blocked, 0 stripped), 1 allowed"} {
		if !strings.Contains(out, want) {
			t.Errorf("exit %d; output lacks %q:\n%s", code, want, out)
		}
	}
}

func TestPageErrors(t *testing.T) {
	s := newTestServers(t, pageRoutes())
	for _, args := range [][]string{
		{"page"},
		{"page", "ftp://x.example/"},
		{"page", "https://app.example.com/ok", "--parallel", "0"},
		{"page", "https://app.example.com/ok", "--coep", "bogus"},
		// Unreachable: no --resolve, nothing listens on that port.
		{"page", "https://127.0.0.1:1/", "--timeout", "2s"},
		// The CA is not trusted without --cacert.
		{"page", "https://app.example.com/ok", "--resolve", "app.example.com:443:" + s.tls.Listener.Addr().String()},
	} {
		if code, _, errs := runCmd(t, args...); code != 2 || errs == "" {
			t.Errorf("xorigin %q: exit %d, stderr %q; want 2 and an error", args, code, errs)
		}
	}
}
