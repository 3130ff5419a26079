package browsertest

import (
	"bufio"
	"crypto/tls"
	"io"
	"io/fs"
	"net"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/xorigin/xorigin"
	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/conformance"
)

func TestCaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		back           string // originalURL of want: the fixture URL, with a path
	}{
		{"path", "https://cdn.other.test/img/a.png", "https://cdn.other.test/__xorigin/7/0/img/a.png", "https://cdn.other.test/img/a.png"},
		{"no path", "https://a.test", "https://a.test/__xorigin/7/0/", "https://a.test/"},
		{"query without path", "https://a.test?x=1", "https://a.test/__xorigin/7/0/?x=1", "https://a.test/?x=1"},
		{"port, query, fragment", "http://web-platform.test:8000/r.py?corp=same-site#f", "http://web-platform.test:8000/__xorigin/7/0/r.py?corp=same-site#f", "http://web-platform.test:8000/r.py?corp=same-site#f"},
		{"userinfo", "https://user:secret@cdn.other.test/a.png?v=2#top", "https://user:secret@cdn.other.test/__xorigin/7/0/a.png?v=2#top", "https://user:secret@cdn.other.test/a.png?v=2#top"},
		{"ipv6", "http://[::1]:8080/lib.js", "http://[::1]:8080/__xorigin/7/0/lib.js", "http://[::1]:8080/lib.js"},
		{"idn", "https://bücher.example/x", "https://bücher.example/__xorigin/7/0/x", "https://bücher.example/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := caseURL(tt.in, 7, "0")
			if got != tt.want {
				t.Errorf("caseURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if back := originalURL(got, 7); back != tt.back {
				t.Errorf("originalURL(%q) = %q, want %q", got, back, tt.back)
			}
		})
	}
}

func TestOriginalURLs(t *testing.T) {
	t.Parallel()
	msg := "Refused to execute script from 'https://b.test/__xorigin/12/0/r.js' (redirected from 'https://a.test/__xorigin/12/1/x?q')"
	want := "Refused to execute script from 'https://b.test/r.js' (redirected from 'https://a.test/x?q')"
	if got := originalURLs(msg, 12); got != want {
		t.Errorf("originalURLs = %q, want %q", got, want)
	}
}

func TestResolveLocation(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ base, loc, want string }{
		{"https://a.test/r0", "/r1", "https://a.test/r1"},
		{"https://a.test/dir/r0", "r1", "https://a.test/dir/r1"},
		{"https://a.test/r0", "//b.test/x", "https://b.test/x"},
		{"https://a.test/r0", "http://b.test/x", "http://b.test/x"},
	} {
		if got := resolveLocation(tt.base, tt.loc); got != tt.want {
			t.Errorf("resolveLocation(%q, %q) = %q, want %q", tt.base, tt.loc, got, tt.want)
		}
	}
}

func TestParsePath(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		id   int
		part string
		ok   bool
	}{
		{"/__xorigin/3/page", 3, "page", true},
		{"/__xorigin/3/1/img/a.png", 3, "1", true},
		{"/__xorigin/3/0/", 3, "0", true},
		{"/__xorigin/x/0/", 0, "", false},
		{"/__xorigin/3", 0, "", false},
		{"/favicon.ico", 0, "", false},
	} {
		id, part, ok := parsePath(tt.in)
		if id != tt.id || part != tt.part || ok != tt.ok {
			t.Errorf("parsePath(%q) = %d, %q, %v; want %d, %q, %v", tt.in, id, part, ok, tt.id, tt.part, tt.ok)
		}
	}
}

// testServer starts a server on a free loopback port.
func testServer(t *testing.T) (*server, string) {
	t.Helper()
	s, err := newServer()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.listeners = append(s.listeners, l)
	s.mu.Unlock()
	s.wg.Add(1)
	go s.accept(l)
	t.Cleanup(s.close)
	return s, l.Addr().String()
}

// roundTrip sends a raw request on a new connection and returns the raw
// response.
func roundTrip(t *testing.T, conn net.Conn, req string) string {
	t.Helper()
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(bufio.NewReader(conn))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestServerWritesResponsesAsListed(t *testing.T) {
	t.Parallel()
	s, addr := testServer(t)
	s.add(1, &served{
		page:    []byte("<p>page"),
		pageHdr: [][2]string{{"Content-Type", "text/html"}},
		hops: []hop{
			{status: 302, headers: [][2]string{{"Location", "https://b.test/__xorigin/1/1/x"}}},
			// Order, case and duplicates as listed; no Content-Type,
			// Date or Content-Length of the server's own.
			{status: 203, headers: [][2]string{{"x-B", "2"}, {"cross-origin-resource-policy", "same-origin"}, {"Cross-Origin-Resource-Policy", "cross-origin"}}, body: []byte("<html>")},
		},
		preflight: &hop{status: 204, headers: [][2]string{{"Access-Control-Allow-Origin", "https://a.test"}}},
	})
	plain := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name string
		conn func() net.Conn
		req  string
		want string
	}{
		{"hop over http", plain, "GET /__xorigin/1/1/x HTTP/1.1\r\nHost: b.test\r\n\r\n",
			"HTTP/1.1 203 Non-Authoritative Information\r\nx-B: 2\r\ncross-origin-resource-policy: same-origin\r\nCross-Origin-Resource-Policy: cross-origin\r\nConnection: close\r\n\r\n<html>"},
		{"same hop over TLS on the same port", func() net.Conn {
			c, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true, ServerName: "b.test"})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}, "GET /__xorigin/1/1/x HTTP/1.1\r\nHost: b.test\r\n\r\n",
			"HTTP/1.1 203 Non-Authoritative Information\r\nx-B: 2\r\ncross-origin-resource-policy: same-origin\r\nCross-Origin-Resource-Policy: cross-origin\r\nConnection: close\r\n\r\n<html>"},
		{"redirect", plain, "GET /__xorigin/1/0/r HTTP/1.1\r\nHost: a.test\r\n\r\n",
			"HTTP/1.1 302 Found\r\nLocation: https://b.test/__xorigin/1/1/x\r\nConnection: close\r\n\r\n"},
		{"preflight", plain, "OPTIONS /__xorigin/1/0/r HTTP/1.1\r\nHost: a.test\r\nAccess-Control-Request-Method: PUT\r\n\r\n",
			"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://a.test\r\nConnection: close\r\n\r\n"},
		{"page", plain, "GET /__xorigin/1/page HTTP/1.1\r\nHost: a.test\r\n\r\n",
			"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<p>page"},
		{"unknown case", plain, "GET /__xorigin/9/0/x HTTP/1.1\r\nHost: a.test\r\n\r\n",
			"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nnot a case\n"},
	}
	for _, tt := range tests {
		if got := roundTrip(t, tt.conn(), tt.req); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
	if r, p := s.counts(1); r != 3 || p != 1 {
		t.Errorf("counts = %d requests, %d preflights; want 3, 1", r, p)
	}
}

// loadOne loads a single fixture case.
func loadOne(t *testing.T, c string) *item {
	t.Helper()
	items, err := load(File{Name: "f.json", Data: []byte(`{"cases": [` + c + `]}`)})
	if err != nil || len(items) != 1 {
		t.Fatalf("load: %v", err)
	}
	return &items[0]
}

func TestExpressible(t *testing.T) {
	t.Parallel()
	eng := enforce.New(enforce.Config{})
	const resp = `"responses": [{"url": "https://b.test/x", "headers": [["Content-Type", "image/png"]]}], "expect": {"result": "allowed"}}`
	tests := []struct {
		name string
		c    string
		kind kind
		why  string // a substring of the reason; "" when expressible
		note string // a substring of the note
	}{
		{"image no-cors", `{"name": "n", "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test/x", "destination": "image", "credentials": "include"}, ` + resp,
			kindImg, "", ""},
		{"image, credentials an <img> cannot choose", `{"name": "n", "client": {"origin": "https://a.test", "coep": "require-corp"}, "request": {"url": "https://b.test/x", "destination": "image", "credentials": "omit"}, ` + resp,
			kindImg, "", "credentials include"},
		{"fetch cors with a header", `{"name": "n", "checks": ["cors"], "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test/x", "mode": "cors", "method": "PUT", "headers": [["X-Test", "1"]]}, ` + resp,
			kindFetch, "", ""},
		{"fetch with a forbidden header", `{"name": "n", "checks": ["cors"], "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test/x", "mode": "cors", "headers": [["Cookie", "a=1"]]}, ` + resp,
			0, "forbidden", ""},
		{"iframe", `{"name": "n", "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test/x", "destination": "iframe", "mode": "navigate", "credentials": "include"}, ` + resp,
			kindIframe, "", ""},
		{"frame", `{"name": "n", "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test/x", "destination": "frame", "mode": "navigate", "credentials": "include"}, ` + resp,
			kindFrame, "", ""},
		{"worker", `{"name": "n", "checks": ["mime"], "client": {"origin": "https://a.test"}, "request": {"url": "https://a.test/w.js", "destination": "worker", "mode": "same-origin"}, "responses": [{"url": "https://a.test/w.js"}], "expect": {"result": "allowed"}}`,
			kindWorker, "", ""},
		{"opaque client", `{"name": "n", "client": {"origin": "null"}, "request": {"url": "https://b.test/x", "destination": "image", "credentials": "include"}, ` + resp,
			kindImg, "", ""},
		{"top-level navigation", `{"name": "n", "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test/x", "destination": "document", "mode": "navigate"}, ` + resp,
			0, "top-level navigation", ""},
		{"no-cors font", `{"name": "n", "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test/x", "destination": "font"}, ` + resp,
			0, "mode cors", ""},
		{"requestIncludesCredentials", `{"name": "n", "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test/x", "destination": "image"}, "responses": [{"url": "https://b.test/x", "requestIncludesCredentials": true}], "expect": {"result": "allowed"}}`,
			0, "requestIncludesCredentials", ""},
		{"https host with a trailing dot", `{"name": "n", "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test./x", "destination": "image"}, "responses": [{"url": "https://b.test./x"}], "expect": {"result": "allowed"}}`,
			0, "ends with a dot", ""},
		{"COEP outside a secure context", `{"name": "n", "client": {"origin": "http://a.test", "coep": "require-corp"}, "request": {"url": "http://b.test/x", "destination": "image"}, "responses": [{"url": "http://b.test/x"}], "expect": {"result": "blocked"}}`,
			0, "not a secure context", ""},
		{"http image a secure page would upgrade", `{"name": "n", "client": {"origin": "https://a.test"}, "request": {"url": "http://b.test/x", "destination": "image"}, "responses": [{"url": "http://b.test/x"}], "expect": {"result": "allowed"}}`,
			0, "upgrades", ""},
		{"IP host off loopback is mapped too", `{"name": "n", "client": {"origin": "http://192.0.2.1:8080"}, "request": {"url": "http://192.0.2.1/x", "destination": "image", "credentials": "include"}, "responses": [{"url": "http://192.0.2.1/x"}], "expect": {"result": "allowed"}}`,
			kindImg, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, why := expressible(loadOne(t, tt.c), eng)
			if tt.why == "" && why != "" || tt.why != "" && !strings.Contains(why, tt.why) {
				t.Fatalf("why = %q, want %q", why, tt.why)
			}
			if tt.why == "" && (p.kind != tt.kind || !strings.Contains(p.note, tt.note)) {
				t.Errorf("kind %v note %q, want %v and %q", p.kind, p.note, tt.kind, tt.note)
			}
		})
	}
}

func TestPageHTML(t *testing.T) {
	t.Parallel()
	it := loadOne(t, `{"name": "n", "client": {"origin": "null", "coep": "require-corp", "coepReportOnly": "credentialless"}, "request": {"url": "https://b.test/x?q=\"1\"#f", "destination": "frame", "mode": "navigate", "credentials": "include"}, "responses": [{"url": "https://b.test/x?q=%221%22", "headers": [["Location", "/y"]], "status": 302}, {"url": "https://b.test/y"}], "expect": {"result": "allowed"}}`)
	p, why := expressible(it, enforce.New(enforce.Config{}))
	if why != "" {
		t.Fatal(why)
	}
	s := serve(it, &p, 5)
	page := string(s.page)
	for _, want := range []string{`<frameset`, `src="https://b.test/__xorigin/5/0/x?q=&quot;1&quot;#f"`, bindingName, `"coep"`, `"https://xorigin-report-flush.test/__xorigin/5/flush"`, `WANT_FLUSH = 1`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	hdr := map[string]string{}
	for _, h := range s.pageHdr {
		hdr[h[0]] = h[1]
	}
	if hdr["Cross-Origin-Embedder-Policy"] != "require-corp" || hdr["Cross-Origin-Embedder-Policy-Report-Only"] != "credentialless" ||
		hdr["Content-Security-Policy"] != "sandbox allow-scripts" {
		t.Errorf("page headers %v", s.pageHdr)
	}
	if loc := s.hops[0].headers[0][1]; loc != "https://b.test/__xorigin/5/1/y" {
		t.Errorf("Location rewritten to %q", loc)
	}
}

func TestSameReportsIgnoresOrder(t *testing.T) {
	t.Parallel()
	img := "image"
	a := []conformance.Report{{Type: "corp", BlockedURL: "https://b.test/x", Destination: &img, Disposition: "enforce"}, {Type: "corp", BlockedURL: "https://b.test/x", Destination: &img, Disposition: "reporting"}}
	b := []conformance.Report{a[1], a[0]}
	if !sameReports(a, b) {
		t.Error("the same reports in another order differ")
	}
	if sameReports(a, a[:1]) || sameReports(nil, a[:1]) || !sameReports(nil, []conformance.Report{}) {
		t.Error("sameReports counts wrong")
	}
}

// TestKnownDifferences checks the annotated list: it loads, and every
// case it names exists in the embedded suite and can run in a page.
func TestKnownDifferences(t *testing.T) {
	t.Parallel()
	for _, data := range [][]byte{nil, knownFirefoxJSON} {
		checkKnownDifferences(t, data)
	}
}

func checkKnownDifferences(t *testing.T, data []byte) {
	t.Helper()
	k, err := LoadKnownDifferences(data)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]*item{}
	// The spec suite runs under both profiles, the Chromium suite under
	// the Chromium profile (as browser-diff runs them).
	for _, s := range []struct {
		pattern  string
		profiles []enforce.Profile
	}{
		{"testdata/*.json", []enforce.Profile{enforce.ProfileSpec, enforce.ProfileChromium}},
		{"testdata/chromium/*.json", []enforce.Profile{enforce.ProfileChromium}},
	} {
		names, _ := fs.Glob(xorigin.Fixtures, s.pattern)
		for _, n := range names {
			data, err := fs.ReadFile(xorigin.Fixtures, n)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range s.profiles {
				items, err := load(File{Name: n, Data: data, Profile: p})
				if err != nil {
					t.Fatal(err)
				}
				for i := range items {
					cases[p.String()+" "+n+" "+items[i].c.Name] = &items[i]
				}
			}
		}
	}
	engines := map[string]*enforce.Engine{
		"spec":     enforce.New(enforce.Config{}),
		"chromium": enforce.New(enforce.Config{Profile: enforce.ProfileChromium}),
	}
	for _, d := range k.Differences {
		for _, c := range d.Cases {
			it := cases[d.Profile+" "+c.File+" "+c.Name]
			if it == nil {
				t.Errorf("known difference names %s: %q, which is not in the embedded suite (profile %s)", c.File, c.Name, d.Profile)
				continue
			}
			p, why := expressible(it, engines[d.Profile])
			if why == "" && k.Browser == "firefox" {
				why = firefoxExpressible(&p)
			}
			if why != "" {
				t.Errorf("known difference names %s: %q, which a page cannot express: %s", c.File, c.Name, why)
			}
			find := k.lookup
			if d.Differs == "reason" {
				find = k.lookupReason
			}
			if got := find(path.Join("/some/dir", c.File), it.profile, c.Name); got == nil {
				t.Errorf("lookup by a path ending in %s misses %q", c.File, c.Name)
			}
		}
	}
}

func TestLoadKnownDifferencesErrors(t *testing.T) {
	t.Parallel()
	const ok = `{"cases": [{"file": "testdata/orb.json", "name": "x"}], "profile": "spec", "differs": "result", "chromiumResult": "allowed", "specStep": "s", "chromiumBehaviour": "c", "why": "w"}`
	for _, tt := range []struct{ name, json, msg string }{
		{"unknown field", `{"differences": [` + strings.Replace(ok, `"why"`, `"because"`, 1) + `]}`, "unknown field"},
		{"bad profile", `{"differences": [` + strings.Replace(ok, `"spec"`, `"firefox"`, 1) + `]}`, "profile"},
		{"bad differs", `{"differences": [` + strings.Replace(ok, `"result"`, `"everything"`, 1) + `]}`, "differs"},
		{"missing why", `{"differences": [` + strings.Replace(ok, `"w"`, `""`, 1) + `]}`, "required"},
		{"listed twice", `{"differences": [` + ok + `,` + ok + `]}`, "twice"},
	} {
		if _, err := LoadKnownDifferences([]byte(tt.json)); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.msg)
		}
	}
	if _, err := LoadKnownDifferences([]byte(`{"differences": [` + ok + `]}`)); err != nil {
		t.Errorf("a good entry: %v", err)
	}
	if _, err := LoadKnownDifferences([]byte(`{"browser": "firefox", "differences": [` + ok + `]}`)); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("a browser without its version: err = %v", err)
	}
	if _, err := LoadKnownDifferences([]byte(`{"browser": "firefox", "version": "Firefox/153.8.0esr", "differences": [` + ok + `]}`)); err != nil {
		t.Errorf("a Firefox list: %v", err)
	}
}
