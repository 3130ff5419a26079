package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// testServers serves routes on loopback over https, with a certificate from
// a CA made for the test (its PEM in caFile, for --cacert), and over http.
type testServers struct {
	tls, plain *httptest.Server
	caFile     string
}

// newTestServers starts both servers. The certificate names the test hosts,
// so https is verified for real, as for a staging server with its own CA.
func newTestServers(t *testing.T, h http.Handler) *testServers {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "xorigin test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "xorigin test"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		DNSNames:    []string{"*.example.com", "example.com", "*.anothersite.com", "*.othersite.com", "*.example.test"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	s := &testServers{tls: httptest.NewUnstartedServer(h), plain: httptest.NewServer(h)}
	s.tls.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER}, PrivateKey: key}}}
	s.tls.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted-certificate test's handshake
	s.tls.StartTLS()
	s.caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(s.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.tls.Close()
		s.plain.Close()
	})
	return s
}

// args returns the --resolve flags that send host on the default ports to
// the test servers, and --cacert.
func (s *testServers) args(hosts ...string) []string {
	a := []string{"--cacert", s.caFile}
	for _, h := range hosts {
		a = append(a, "--resolve", h+":443:"+s.tls.Listener.Addr().String(),
			"--resolve", h+":80:"+s.plain.Listener.Addr().String())
	}
	return a
}

type route struct {
	headers map[string]string
	status  int
	body    string
	// hang: answer nothing until the client gives up.
	hang bool
}

// routeMap maps "host/path", or "METHOD host/path" for one method only, to
// a response.
type routeMap map[string]route

func (rs routeMap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, ok := rs[r.Method+" "+r.Host+r.URL.Path]
	if !ok {
		rt, ok = rs[r.Host+r.URL.Path]
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	if rt.hang {
		<-r.Context().Done()
		return
	}
	for k, v := range rt.headers {
		w.Header().Set(k, v)
	}
	if rt.status != 0 {
		w.WriteHeader(rt.status)
	}
	io.WriteString(w, rt.body)
}

var checkHosts = []string{"cdn.example.com", "app.example.com", "widget.othersite.com", "api.othersite.com", "loop.example.test", "a.example.test", "b.example.test"}

func checkRoutes() routeMap {
	js := map[string]string{"Content-Type": "text/javascript"}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	rs := routeMap{
		"cdn.example.com/user/profile.js": {headers: with(js, "Cross-Origin-Resource-Policy", "same-site"), body: "const secret = 1337;"},
		"cdn.example.com/plain.js":        {headers: js, body: "1;"},
		"cdn.example.com/open.js":         {headers: with(js, "Cross-Origin-Resource-Policy", "cross-origin"), body: "1;"},
		"cdn.example.com/data.json":       {headers: map[string]string{"Content-Type": "application/json", "Cross-Origin-Resource-Policy": "cross-origin"}, body: `{"secret": 1337}`},
		"cdn.example.com/cors.json":       {headers: map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"}, body: `{"n": 1}`},
		"cdn.example.com/sniff.js":        {headers: map[string]string{"Content-Type": "text/plain", "X-Content-Type-Options": "nosniff"}, body: "1;"},
		"cdn.example.com/bounce":          {headers: map[string]string{"Location": "https://api.othersite.com/final.js"}, status: http.StatusFound},
		"cdn.example.com/bounce-corp":     {headers: map[string]string{"Location": "https://api.othersite.com/final.js", "Cross-Origin-Resource-Policy": "cross-origin"}, status: http.StatusFound},
		"api.othersite.com/final.js":      {headers: js, body: "2;"},
		"widget.othersite.com/embed":      {headers: map[string]string{"Content-Type": "text/html", "Cross-Origin-Resource-Policy": "cross-origin"}, body: "<p>widget</p>"},
		"api.othersite.com/cors.json":     {headers: map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"}, body: `{"n": 1}`},
		// A CORS API: its preflight allows PUT and X-Token.
		"OPTIONS api.othersite.com/cart":   {headers: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Allow-Methods": "PUT", "Access-Control-Allow-Headers": "X-Token"}, status: http.StatusNoContent},
		"api.othersite.com/cart":           {headers: map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "https://app.example.com"}, body: `{"items": []}`},
		"cdn.example.com/slow":             {hang: true},
		"cdn.example.com/to-slow":          {headers: map[string]string{"Location": "/slow"}, status: http.StatusFound},
		"widget.othersite.com/embed-ready": {headers: map[string]string{"Content-Type": "text/html", "Cross-Origin-Resource-Policy": "cross-origin", "Cross-Origin-Embedder-Policy": "require-corp"}, body: "<p>widget</p>"},
	}
	// A redirect loop, one URL after another: loop.example.test/0 -> /1 -> ...
	for i := 0; i < 30; i++ {
		rs[fmt.Sprintf("loop.example.test/%d", i)] = route{headers: map[string]string{"Location": fmt.Sprintf("/%d", i+1)}, status: http.StatusFound}
	}
	return rs
}

func TestCheckProfileJS(t *testing.T) {
	t.Parallel()
	srv := newTestServers(t, checkRoutes())
	const url = "https://cdn.example.com/user/profile.js"
	for _, tc := range []struct {
		from     string
		code     int
		verdict  string
		contains []string
	}{
		{"https://app.example.com", 0, "allowed", []string{
			"verdict  allowed",
			"why      https://cdn.example.com/user/profile.js sends Cross-Origin-Resource-Policy: same-site, and https://app.example.com is same site with https://cdn.example.com",
			"reports  none",
		}},
		{"https://app.anothersite.com", 1, "blocked", []string{
			"verdict  blocked at hop 0",
			"reason   corp-not-same-site",
			"why      https://cdn.example.com/user/profile.js sends Cross-Origin-Resource-Policy: same-site, and https://app.anothersite.com is not same site with https://cdn.example.com",
			"step     Fetch: cross-origin resource policy check, step 3",
			"         https://fetch.spec.whatwg.org/#cross-origin-resource-policy-check",
			"fix      serve Cross-Origin-Resource-Policy: cross-origin",
		}},
	} {
		t.Run(tc.from, func(t *testing.T) {
			t.Parallel()
			// The URL after the flags, and before them, as the issue writes it.
			args := append([]string{"check", "--from", tc.from, "--dest", "script"}, srv.args("cdn.example.com")...)
			code, out, errs := runCmd(t, append(args, url)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q\n%s", code, tc.code, errs, out)
			}
			head := []string{
				"GET " + url,
				"  from " + tc.from + " (COEP unsafe-none), destination script, mode no-cors, credentials include",
				"",
				"hop 0  200  " + url,
				"       Cross-Origin-Resource-Policy: same-site",
				"       Content-Type: text/javascript",
			}
			if got := strings.Split(out, "\n")[:len(head)]; strings.Join(got, "\n") != strings.Join(head, "\n") {
				t.Errorf("output starts\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(head, "\n"))
			}
			for _, want := range tc.contains {
				if !strings.Contains(out, want+"\n") {
					t.Errorf("output lacks line %q:\n%s", want, out)
				}
			}

			code, out, _ = runCmd(t, append([]string{"check", url, "--json"}, args[1:]...)...)
			if code != tc.code {
				t.Fatalf("--json: exit %d, want %d", code, tc.code)
			}
			var r checkResult
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("--json output: %v\n%s", err, out)
			}
			if tc.verdict == "allowed" && (r.Hop != nil || r.Reason != nil || strings.Contains(out, `"hop"`)) {
				t.Errorf("--json allowed: a hop or a reason\n%s", out)
			}
			if r.SchemaVersion != schemaVersion {
				t.Errorf("--json: schemaVersion %d", r.SchemaVersion)
			}
			if r.Verdict != tc.verdict || len(r.Hops) != 1 || r.Hops[0].CORP != "same-site" || r.Hops[0].Status != 200 || r.From != tc.from {
				t.Errorf("--json: %+v", r)
			}
			if tc.verdict == "blocked" && (tokenOf(r.Reason) != "corp-not-same-site" || *r.Reason != (reasonJSON{Token: "corp-not-same-site", BlockedReason: "corp-not-same-site", ErrorText: "net::ERR_BLOCKED_BY_RESPONSE.NotSameSite"}) || r.StepURL == "" || r.Fix == "" || r.Hop == nil || *r.Hop != 0) {
				t.Errorf("--json blocked: %+v", r)
			}
		})
	}
}

func TestCheckCases(t *testing.T) {
	t.Parallel()
	srv := newTestServers(t, checkRoutes())
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"require-corp without CORP", []string{"https://cdn.example.com/plain.js", "--from", "https://app.anothersite.com", "--dest", "script", "--coep", "require-corp"}, 1, []string{
			"reason   corp-not-same-origin-after-defaulted-to-same-origin-by-coep",
			"step     Fetch: cross-origin resource policy check, steps 5-7",
			"fix      serve Cross-Origin-Resource-Policy: cross-origin, or load it with CORS",
			"reports  corp (enforce): https://cdn.example.com/plain.js, destination script",
		}},
		{"require-corp, same site", []string{"https://cdn.example.com/plain.js", "--from", "https://app.example.com", "--dest", "image", "--coep", `require-corp; report-to="main"`}, 1, []string{
			"fix      serve Cross-Origin-Resource-Policy: same-site (same-site suffices)",
			"reports  corp (enforce): https://cdn.example.com/plain.js, destination image, to endpoint main",
		}},
		{"report-only", []string{"https://cdn.example.com/plain.js", "--from", "https://app.anothersite.com", "--coep-report-only", "require-corp", "--mode", "no-cors"}, 0, []string{
			"  from https://app.anothersite.com (COEP unsafe-none, report-only require-corp), destination \"\", mode no-cors, credentials include",
			"verdict  allowed",
			"reports  corp (reporting): https://cdn.example.com/plain.js, destination \"\"",
		}},
		{"credentialless", []string{"https://cdn.example.com/plain.js", "--from", "https://app.anothersite.com", "--dest", "script", "--coep", "credentialless"}, 0, []string{
			"why      https://cdn.example.com/plain.js sends no Cross-Origin-Resource-Policy; under credentialless the request goes without credentials, so it needs none",
		}},
		{"CORS without Access-Control-Allow-Origin", []string{"https://cdn.example.com/plain.js", "--from", "https://app.anothersite.com", "--mode", "cors", "--coep", "require-corp"}, 1, []string{
			"verdict  blocked at hop 0 (blocked without COEP too)",
			"reason   MissingAllowOriginHeader",
			"step     Fetch: HTTP fetch, CORS check",
			"fix      serve Access-Control-Allow-Origin: https://app.anothersite.com",
		}},
		{"CORS, credentialed, wildcard", []string{"https://cdn.example.com/cors.json", "--from", "https://app.anothersite.com", "--mode", "cors", "--credentials", "include"}, 1, []string{
			"       Access-Control-Allow-Origin: *",
			"reason   WildcardOriginNotAllowed",
			"fix      serve Access-Control-Allow-Origin: https://app.anothersite.com and Access-Control-Allow-Credentials: true instead of *",
		}},
		{"CORS passes, CORP does not apply", []string{"https://cdn.example.com/cors.json", "--from", "https://app.anothersite.com", "--mode", "cors", "--coep", "require-corp"}, 0, []string{
			"verdict  allowed",
			"why      a CORS request: CORP does not apply, and the CORS check passes (https://cdn.example.com/cors.json sends Access-Control-Allow-Origin: *)",
		}},
		{"mixed content, never sent", []string{"http://cdn.example.com/plain.js", "--from", "https://app.example.com", "--dest", "script"}, 1, []string{
			"hop 0  http://cdn.example.com/plain.js  (not sent)",
			"reason   mixed-content",
			"fix      load it over https",
		}},
		{"nosniff", []string{"https://cdn.example.com/sniff.js", "--from", "https://cdn.example.com", "--dest", "script"}, 1, []string{
			"reason   content-type",
			"fix      serve it with Content-Type: text/javascript",
		}},
		{"same origin", []string{"https://cdn.example.com/plain.js", "--from", "https://cdn.example.com", "--coep", "require-corp"}, 0, []string{
			"why      same origin with https://cdn.example.com all the way: no CORS or CORP check applies",
		}},
		{"redirect without CORP", []string{"https://cdn.example.com/bounce", "--from", "https://app.anothersite.com", "--dest", "script", "--coep", "require-corp"}, 1, []string{
			"hop 0  302  https://cdn.example.com/bounce -> https://api.othersite.com/final.js",
			"verdict  blocked at hop 0",
			"fix      serve Cross-Origin-Resource-Policy: cross-origin on this redirect, or load it with CORS",
		}},
		{"redirect, then no CORP", []string{"https://cdn.example.com/bounce-corp", "--from", "https://app.anothersite.com", "--dest", "script", "--coep", "require-corp"}, 1, []string{
			"hop 1  200  https://api.othersite.com/final.js",
			"verdict  blocked at hop 1",
			"reports  corp (enforce): https://cdn.example.com/bounce-corp, destination script",
		}},
		{"iframe without COEP", []string{"https://widget.othersite.com/embed", "--from", "https://app.example.com", "--dest", "iframe", "--coep", "require-corp"}, 1, []string{
			"  from https://app.example.com (COEP require-corp), destination iframe, mode navigate, credentials include",
			"reason   coep-frame-resource-needs-coep-header",
			"step     HTML: check a navigation response's adherence to its embedder policy",
			"fix      serve Cross-Origin-Embedder-Policy: require-corp (or credentialless) on the framed document",
			"reports  navigation (enforce): https://widget.othersite.com/embed, destination iframe",
		}},
		{"iframe with COEP", []string{"https://widget.othersite.com/embed-ready", "--from", "https://app.example.com", "--dest", "iframe", "--coep", "require-corp"}, 0, []string{
			"verdict  allowed",
		}},
		{"ORB", []string{"https://cdn.example.com/data.json", "--from", "https://app.anothersite.com", "--dest", "script"}, 1, []string{
			"reason   blocked-by-orb",
			"step     Fetch ORB: opaque-response-safelist check, step 15 (not JavaScript, or JSON)",
			"fix      serve it with Content-Type: text/javascript, or load it with CORS",
		}},
		{"ORB, Chromium, fetch()", []string{"https://cdn.example.com/data.json", "--from", "https://app.anothersite.com", "--profile", "chromium", "--mode", "no-cors"}, 1, []string{
			"verdict  stripped at hop 0",
			"reason   blocked-by-orb",
		}},
		{"too many redirects", []string{"http://loop.example.test/0", "--from", "http://a.example.test", "--mode", "no-cors"}, 1, []string{
			"hop 20  302  http://loop.example.test/20 -> /21",
			"reason   too-many-redirects",
		}},
		{"ORB, an error page over http", []string{"http://b.example.test/", "--from", "http://a.example.test", "--dest", "image"}, 1, []string{
			"hop 0  404  http://b.example.test/",
			"       X-Content-Type-Options: nosniff",
			"reason   blocked-by-orb",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append(append([]string{"check"}, tc.args...), srv.args(checkHosts...)...)
			code, out, errs := runCmd(t, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errs)
			}
			for _, want := range tc.contains {
				if !strings.Contains(out, want+"\n") {
					t.Errorf("output lacks line %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestCheckErrors(t *testing.T) {
	t.Parallel()
	srv := newTestServers(t, checkRoutes())
	// A port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()

	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no URL", []string{"--from", "https://a.test"}, "no URL"},
		{"two URLs", []string{"https://a.test/x", "https://a.test/y", "--from", "https://a.test"}, "one URL only"},
		{"no --from", []string{"https://a.test/x"}, "--from ORIGIN is required"},
		{"bad --from", []string{"https://a.test/x", "--from", "app.example.com"}, `xorigin check: --from "app.example.com": want an origin, as https://app.example.com, or a page's URL`},
		{"bad --dest", []string{"https://a.test/x", "--from", "https://a.test", "--dest", "picture"}, `xorigin check: --dest "picture": want one of "" (fetch()), audio, audioworklet, document, embed, font, frame, iframe, image, json, manifest, object, paintworklet, report, script, serviceworker, sharedworker, style, text, track, video, webidentity, worker, xslt` + "\n"},
		{"bad --mode", []string{"https://a.test/x", "--from", "https://a.test", "--mode", "nocors"}, `xorigin check: --mode "nocors": want one of no-cors, cors, same-origin, navigate` + "\n"},
		{"bad --credentials", []string{"https://a.test/x", "--from", "https://a.test", "--credentials", "all"}, `--credentials "all": want one of omit, same-origin, include`},
		{"bad URL", []string{"https://a.test:99999/x", "--from", "https://a.test"}, `xorigin check: URL "https://a.test:99999/x": `},
		{"bad -H", []string{"https://a.test/x", "--from", "https://a.test", "-H", "X-Token 1"}, `-H "X-Token 1": want 'Name: value'`},
		{"forbidden -H", []string{"https://a.test/x", "--from", "https://a.test", "-H", "Cookie: a=1"}, `-H Cookie: a forbidden request-header`},
		{"forbidden method", []string{"https://a.test/x", "--from", "https://a.test", "-X", "trace"}, `--method TRACE: a forbidden method`},
		{"data on GET", []string{"https://a.test/x", "--from", "https://a.test", "-X", "GET", "--data", "x"}, `fetch() refuses a body on GET and HEAD`},
		{"bad --coep", []string{"https://a.test/x", "--from", "https://a.test", "--coep", "require_corp"}, "--coep"},
		{"bad --resolve", []string{"https://a.test/x", "--from", "https://a.test", "--resolve", "a.test:443"}, "--resolve"},
		{"bad --profile", []string{"https://a.test/x", "--from", "https://a.test", "--profile", "firefox"}, "--profile"},
		{"not http", []string{"data:text/plain,x", "--from", "https://a.test"}, "only http and https"},
		{"unknown flag", []string{"https://a.test/x", "--from", "https://a.test", "--bogus"}, "flag provided but not defined"},
		{"connection refused", []string{"https://cdn.example.com/user/profile.js", "--from", "https://a.test", "--resolve", "cdn.example.com:443:" + closed}, "connect"},
		{"untrusted certificate", []string{"https://cdn.example.com/user/profile.js", "--from", "https://a.test", "--resolve", "cdn.example.com:443:" + srv.tls.Listener.Addr().String()},
			"(the server's certificate is signed by a certificate authority this machine does not trust: for a staging or local server, pass --cacert FILE with that authority's PEM certificate)\n"},
		{"missing --cacert", []string{"https://cdn.example.com/user/profile.js", "--from", "https://a.test", "--cacert", filepath.Join(t.TempDir(), "none.pem")}, "--cacert"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errs := runCmd(t, append([]string{"check", "--timeout", "5s"}, tc.args...)...)
			if code != 2 || !strings.Contains(errs, tc.stderr) || out != "" || strings.Contains(errs, "origin:") {
				t.Errorf("exit %d, stderr %q, stdout %q; want 2 and %q", code, errs, out, tc.stderr)
			}
		})
	}

	// With --json, a network error still prints one object.
	code, out, _ := runCmd(t, "check", "--json", "https://cdn.example.com/x", "--from", "https://a.test", "--resolve", "cdn.example.com:443:"+closed)
	var r checkResult
	if err := json.Unmarshal([]byte(out), &r); code != 2 || err != nil || r.Verdict != "error" || r.Error == "" {
		t.Errorf("--json network error: exit %d, %v, %+v", code, err, r)
	}
}

func TestParseResolve(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, key, addr, err string }{
		{"cdn.example.com:443:127.0.0.1", "cdn.example.com:443", "127.0.0.1:443", ""},
		{"CDN.Example.com:443:127.0.0.1:8443", "cdn.example.com:443", "127.0.0.1:8443", ""},
		{"cdn.example.com:80:[::1]", "cdn.example.com:80", "[::1]:80", ""},
		{"cdn.example.com:80:[::1]:8080", "cdn.example.com:80", "[::1]:8080", ""},
		{"cdn.example.com:80:::1", "cdn.example.com:80", "[::1]:80", ""},
		{"[::1]:443:127.0.0.1", "[::1]:443", "127.0.0.1:443", ""},
		{"cdn.example.com", "", "", "no port"},
		{"cdn.example.com:443", "", "", "no address"},
		{"cdn.example.com:https:127.0.0.1", "", "", "bad port"},
		{"cdn.example.com:0:127.0.0.1", "", "", "bad port"},
		{"cdn.example.com:443:localhost", "", "", "not an IP address"},
		{"[::1:443:127.0.0.1", "", "", "unclosed"},
	} {
		key, addr, err := parseResolve(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseResolve(%q): error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || key != tc.key || addr != tc.addr {
			t.Errorf("parseResolve(%q) = %q, %q, %v; want %q, %q", tc.in, key, addr, err, tc.key, tc.addr)
		}
	}
}

// checkGolden runs check against the test servers and compares the whole
// output with want.
func checkGolden(t *testing.T, srv *testServers, wantCode int, want string, args ...string) {
	t.Helper()
	args = append(append([]string{"check"}, args...), srv.args(checkHosts...)...)
	code, out, errs := runCmd(t, args...)
	if code != wantCode || out != want {
		t.Errorf("xorigin %q: exit %d, want %d; stderr %q\n%s\nwant\n%s", args[:len(args)-len(srv.args(checkHosts...))], code, wantCode, errs, out, want)
	}
}

// Without --dest, check is fetch(): mode cors, credentials same-origin.
// The endpoint, JSON with Access-Control-Allow-Origin: *, was
// blocked by ORB under an element's defaults.
func TestCheckFetchDefaults(t *testing.T) {
	t.Parallel()
	srv := newTestServers(t, checkRoutes())
	checkGolden(t, srv, 0, `GET https://api.othersite.com/cors.json
  from https://app.example.com (COEP unsafe-none), destination "", mode cors, credentials same-origin

hop 0  200  https://api.othersite.com/cors.json
       Access-Control-Allow-Origin: *
       Content-Type: application/json

verdict  allowed
why      a CORS request: CORP does not apply, and the CORS check passes (https://api.othersite.com/cors.json sends Access-Control-Allow-Origin: *)
reports  none
`, "https://api.othersite.com/cors.json", "--from", "https://app.example.com")

	// With a --dest, an element's defaults: no-cors, include.
	checkGolden(t, srv, 1, `GET https://api.othersite.com/cors.json
  from https://app.example.com (COEP unsafe-none), destination image, mode no-cors, credentials include

hop 0  200  https://api.othersite.com/cors.json
       Access-Control-Allow-Origin: *
       Content-Type: application/json

verdict  blocked at hop 0
reason   blocked-by-orb
chrome   errorText=net::ERR_BLOCKED_BY_ORB
why      opaque response blocking: https://api.othersite.com/cors.json may not reach a no-cors image request from another origin
step     Fetch ORB: opaque-response-safelist check, step 15 (not JavaScript, or JSON)
         https://github.com/whatwg/fetch/pull/1755
fix      serve it with its image Content-Type (image/png, ...), or load it with CORS
reports  none
`, "https://api.othersite.com/cors.json", "--from", "https://app.example.com", "--dest", "image")
}

// --from with a page's URL takes its origin, and says so.
func TestCheckFromURL(t *testing.T) {
	t.Parallel()
	srv := newTestServers(t, checkRoutes())
	args := append([]string{"check", "https://api.othersite.com/cors.json", "--from", "https://app.example.com/page.html?x#y"}, srv.args(checkHosts...)...)
	code, out, errs := runCmd(t, args...)
	if code != 0 || errs != "xorigin check: --from https://app.example.com/page.html?x#y is a URL: taking its origin, https://app.example.com\n" ||
		!strings.Contains(out, "  from https://app.example.com (COEP unsafe-none)") {
		t.Errorf("exit %d, stderr %q\n%s", code, errs, out)
	}
	code, out, _ = runCmd(t, append(args, "--json")...)
	var r checkResult
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 || r.From != "https://app.example.com" || !strings.Contains(r.FromNote, "taking its origin") {
		t.Errorf("--json: exit %d, %v, %+v", code, err, r)
	}
}

// --method, -H and --data make the request a page's fetch() makes, and
// the CORS preflight it needs is a hop of its own.
func TestCheckPreflight(t *testing.T) {
	t.Parallel()
	srv := newTestServers(t, checkRoutes())
	checkGolden(t, srv, 0, `PUT https://api.othersite.com/cart
  from https://app.example.com (COEP unsafe-none), destination "", mode cors, credentials same-origin
  Content-Type: text/plain;charset=UTF-8
  X-Token: 1
  body: 13 bytes

preflight  204  OPTIONS https://api.othersite.com/cart
           > Origin: https://app.example.com
           > Access-Control-Request-Method: PUT
           > Access-Control-Request-Headers: x-token
           Access-Control-Allow-Origin: https://app.example.com
           Access-Control-Allow-Methods: PUT
           Access-Control-Allow-Headers: X-Token
           preflight allowed
hop 0  200  https://api.othersite.com/cart
       Access-Control-Allow-Origin: https://app.example.com
       Content-Type: application/json

verdict  allowed
why      a CORS request: CORP does not apply, and the CORS check passes (https://api.othersite.com/cart sends Access-Control-Allow-Origin: https://app.example.com)
reports  none
`, "https://api.othersite.com/cart", "--from", "https://app.example.com", "-X", "put", "-H", "X-Token: 1", "--data", `{"items": []}`)

	// A header the preflight does not allow: the request is never sent.
	checkGolden(t, srv, 1, `PUT https://api.othersite.com/cart
  from https://app.example.com (COEP unsafe-none), destination "", mode cors, credentials same-origin
  X-Other: 2
  X-Token: 1

preflight  204  OPTIONS https://api.othersite.com/cart
           > Origin: https://app.example.com
           > Access-Control-Request-Method: PUT
           > Access-Control-Request-Headers: x-other,x-token
           Access-Control-Allow-Origin: https://app.example.com
           Access-Control-Allow-Methods: PUT
           Access-Control-Allow-Headers: X-Token
           preflight blocked: HeaderDisallowedByPreflightResponse
hop 0  https://api.othersite.com/cart  (not sent)

verdict  blocked at hop 0
reason   HeaderDisallowedByPreflightResponse
chrome   errorText=net::ERR_FAILED corsError=HeaderDisallowedByPreflightResponse
why      the CORS preflight's Access-Control-Allow-Headers ("X-Token") does not allow every header the request sets (x-other, x-token)
step     Fetch: CORS-preflight fetch, step 7 (the preflight's answer)
         https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
fix      answer the preflight with Access-Control-Allow-Headers: x-other, x-token
reports  none
`, "https://api.othersite.com/cart", "--from", "https://app.example.com", "-X", "PUT", "-H", "X-Token: 1", "-H", "X-Other: 2") // as README.md quotes it

	// --json: the preflight's sent headers and its own verdict.
	args := append([]string{"check", "--json", "https://api.othersite.com/cart", "--from", "https://app.example.com", "--method", "DELETE", "--header", "X-Token: 1"}, srv.args(checkHosts...)...)
	code, out, _ := runCmd(t, args...)
	var r checkResult
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 1 || len(r.Hops) != 2 || !r.Hops[0].Preflight ||
		r.Hops[0].Sent["Access-Control-Request-Method"] != "DELETE" || r.Hops[0].PreflightVerdict != "blocked" ||
		tokenOf(r.Hops[0].PreflightReason) != "MethodDisallowedByPreflightResponse" || r.Reason.CorsError != "MethodDisallowedByPreflightResponse" || r.Reason.ErrorText != "net::ERR_FAILED" || r.Reason.Xorigin {
		t.Errorf("--json: exit %d, %v\n%s", code, err, out)
	}
}

// A timeout names the hop and how long it waited.
func TestCheckTimeout(t *testing.T) {
	t.Parallel()
	srv := newTestServers(t, checkRoutes())
	for _, tc := range []struct{ url, want string }{
		{"https://cdn.example.com/slow", `^xorigin check: hop 0 \(GET https://cdn.example.com/slow\) timed out after \d+ms \(--timeout 300ms\), waiting for the response headers\n$`},
		{"https://cdn.example.com/to-slow", `^xorigin check: hop 1 \(GET https://cdn.example.com/slow\) timed out after \d+ms \(--timeout 300ms\), waiting for the response headers\n$`},
	} {
		args := append([]string{"check", tc.url, "--from", "https://cdn.example.com", "--timeout", "300ms"}, srv.args(checkHosts...)...)
		code, out, errs := runCmd(t, args...)
		if code != 2 || out != "" || !regexp.MustCompile(tc.want).MatchString(errs) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", tc.url, code, out, errs)
		}
	}
}
