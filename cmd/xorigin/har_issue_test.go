package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/fetchctx"
)

// hdrs is a HAR header list.
type hdrs [][2]string

// harEnt describes one HAR entry for writeTestHAR.
type harEnt struct {
	url, method  string
	status       int
	resourceType string // Chrome's _resourceType; "" for none (Firefox)
	req, resp    hdrs
	mime         string
	size         int64
	text         *string // nil: no content.text
	redirectURL  string
	err          string // Chrome's response._error
}

func str(s string) *string { return &s }

// writeTestHAR writes a HAR of one page with the entries and returns its
// path.
func writeTestHAR(t *testing.T, ents ...harEnt) string {
	t.Helper()
	var entries []any
	for _, e := range ents {
		method := e.method
		if method == "" {
			method = "GET"
		}
		list := func(h hdrs) []map[string]string {
			out := []map[string]string{}
			for _, kv := range h {
				out = append(out, map[string]string{"name": kv[0], "value": kv[1]})
			}
			return out
		}
		content := map[string]any{"mimeType": e.mime, "size": e.size}
		if e.text != nil {
			content["text"] = *e.text
		}
		resp := map[string]any{"status": e.status, "headers": list(e.resp), "content": content, "redirectURL": e.redirectURL}
		if e.err != "" {
			resp["_error"] = e.err
		}
		ent := map[string]any{"pageref": "page_1",
			"request":  map[string]any{"method": method, "url": e.url, "headers": list(e.req)},
			"response": resp}
		if e.resourceType != "" {
			ent["_resourceType"] = e.resourceType
		}
		entries = append(entries, ent)
	}
	b, err := json.MarshalIndent(map[string]any{"log": map[string]any{"version": "1.2",
		"creator": map[string]string{"name": "test", "version": "1"},
		"pages":   []any{map[string]string{"id": "page_1", "title": "test"}},
		"entries": entries}}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "test.har")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var mainDoc = harEnt{url: "https://app.example.com/", status: 200, resourceType: "document", mime: "text/html", size: 3, text: str("<p>")}

// harGolden runs har on path and compares the whole output, with the path
// replaced by FILE.
func harGolden(t *testing.T, wantCode int, want string, args ...string) {
	t.Helper()
	code, out, errs := runCmd(t, append([]string{"har"}, args...)...)
	path := args[len(args)-1]
	out = strings.ReplaceAll(out, path, "FILE")
	if code != wantCode || out != want || errs != "" {
		t.Errorf("har %q: exit %d, want %d; stderr %q\n%s\nwant\n%s", args, code, wantCode, errs, out, want)
	}
}

// A body the export does not hold whole is not judged as a body: opaque
// response blocking is undecided on it, counted apart, never as broken.
func TestHARUndecidedBody(t *testing.T) {
	t.Parallel()
	png := func(url string, size int64, text *string) harEnt {
		return harEnt{url: url, status: 200, resourceType: "image", mime: "image/png", size: size, text: text,
			resp: hdrs{{"Content-Type", "image/png"}, {"Cross-Origin-Resource-Policy", "cross-origin"}}}
	}
	p := writeTestHAR(t, mainDoc,
		png("https://img.othersite.com/empty.png", 5000, str("")),                             // Chrome: no body for an image
		png("https://img.othersite.com/none.png", 5000, nil),                                  // no content.text at all
		png("https://img.othersite.com/cut.png", 5000, str("\x89PNG\r\n\x1a\n"+"0123456789")), // cut short
	)
	harGolden(t, 0, `HAR: FILE (test 1), 4 entries
page page_1: https://app.example.com/, from https://app.example.com (main document; it serves no Cross-Origin-Embedder-Policy)
audit: Cross-Origin-Embedder-Policy: require-corp

Undecided: opaque response blocking needs the body, and the HAR holds no (whole) body for:
	https://img.othersite.com/empty.png
	https://img.othersite.com/none.png
	https://img.othersite.com/cut.png

3 subresources under require-corp: none would break, 0 allowed, 3 undecided (no whole body in the HAR), 0 not checked, 0 without a response
`, p)

	code, rs := harJSON(t, p)
	if code != 0 || len(rs) != 4 {
		t.Fatalf("--json: exit %d, %d lines", code, len(rs))
	}
	for _, r := range rs[1:] {
		if r.Verdict != "undecided" || tokenOf(r.Reason) != "no-whole-body" || !r.Reason.Xorigin || !r.Reason.devTools().IsZero() ||
			!strings.HasPrefix(r.Why, "undecided: the export holds no (whole) body") {
			t.Errorf("%s: %+v", r.URL, r)
		}
	}
}

// Redirect targets are matched with the URL parser's serialization: host
// case and percent-encoding do not break a chain.
func TestHARRedirectCanonical(t *testing.T) {
	t.Parallel()
	img := func(url string, status int, resp hdrs) harEnt {
		return harEnt{url: url, status: status, resourceType: "image", mime: "image/png", resp: resp, size: 5000}
	}
	p := writeTestHAR(t, mainDoc,
		// Blocked at the redirect: the target is never requested.
		img("https://img.othersite.com/r1", 302, hdrs{{"Location", "https://CDN.Else.net/z.png"}}),
		img("https://cdn.else.net/z.png", 200, hdrs{{"Content-Type", "image/png"}}),
		// The redirect passes; its target, spelled otherwise, continues the chain.
		img("https://img.othersite.com/r2", 302, hdrs{{"Location", "https://cdn.else.net:443/y.png?name=a b"}, {"Cross-Origin-Resource-Policy", "cross-origin"}}),
		img("https://cdn.else.net/y.png?name=a%20b", 200, hdrs{{"Content-Type", "image/png"}}),
	)
	code, rs := harJSON(t, p)
	if code != 1 || len(rs) != 5 {
		t.Fatalf("exit %d, %d lines", code, len(rs))
	}
	want := []struct{ verdict, reason string }{
		{"not-checked", "main-document"},
		{"blocked", defaulted},
		{"not-checked", "after-blocked-redirect"},
		{"allowed", ""},
		{"blocked", defaulted},
	}
	for i, w := range want {
		if rs[i].Verdict != w.verdict || tokenOf(rs[i].Reason) != w.reason {
			t.Errorf("%s: %s %q, want %s %q", rs[i].URL, rs[i].Verdict, tokenOf(rs[i].Reason), w.verdict, w.reason)
		}
	}
	if got := rs[4].RedirectedFrom; len(got) != 1 || got[0] != "https://img.othersite.com/r2" {
		t.Errorf("y.png redirectedFrom %q", got)
	}
	_, out, _ := runCmd(t, "har", p)
	if !strings.HasSuffix(out, "4 subresources under require-corp: 2 would break (2 blocked, 0 stripped), 1 allowed, 1 not checked, 0 without a response\n") {
		t.Errorf("summary:\n%s", out)
	}
}

// A HAR without a main document does not pass: the page's origin is
// unknown, nothing was decided.
func TestHARNoMainDocument(t *testing.T) {
	t.Parallel()
	var ents []harEnt
	for _, u := range []string{"https://img.othersite.com/1.png", "https://img.othersite.com/2.png", "https://img.othersite.com/3.png"} {
		ents = append(ents, harEnt{url: u, status: 200, resourceType: "image", mime: "image/png", resp: hdrs{{"Content-Type", "image/png"}}})
	}
	p := writeTestHAR(t, ents...)
	code, out, errs := runCmd(t, "har", p)
	if code != 2 || errs != "xorigin har: "+p+": no main document found for 3 entries, so the page's origin is unknown and they were not checked: pass --from ORIGIN\n" ||
		!strings.Contains(out, "page page_1: no main document found (pass --from)\n") {
		t.Errorf("exit %d, stderr %q\n%s", code, errs, out)
	}
	// --json ends with an error object.
	code, out, _ = runCmd(t, "har", "--json", p)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var e harErrorJSON
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &e); code != 2 || err != nil || len(lines) != 4 ||
		!strings.Contains(e.Error.Message, "pass --from") || e.SchemaVersion != schemaVersion {
		t.Errorf("--json: exit %d, %v\n%s", code, err, out)
	}
	// With --from, the gate decides.
	if code, _, errs := runCmd(t, "har", "--from", "https://app.example.com", p); code != 1 || errs != "" {
		t.Errorf("--from: exit %d, stderr %q", code, errs)
	}
}

// Without _resourceType, the main document's markup says what loads an
// entry; where it does not, the fix says the destination is a guess.
func TestHARMarkupDestination(t *testing.T) {
	t.Parallel()
	doc := mainDoc
	doc.resourceType = ""
	doc.req = hdrs{{"Accept", "text/html,application/xhtml+xml"}}
	doc.text = str(`<!doctype html><base href="https://cdn.othersite.com/js/"><script src="app.txt"></script>`)
	doc.size = int64(len(*doc.text))
	txt := func(url string) harEnt {
		return harEnt{url: url, status: 200, mime: "text/plain", size: 2, text: str("1;"),
			req: hdrs{{"Accept", "*/*"}}, resp: hdrs{{"Content-Type", "text/plain"}}}
	}
	p := writeTestHAR(t, doc, txt("https://cdn.othersite.com/js/app.txt"), txt("https://cdn.othersite.com/other.txt"))
	code, rs := harJSON(t, p)
	if code != 1 || len(rs) != 3 {
		t.Fatalf("exit %d, %d lines", code, len(rs))
	}
	if r := rs[1]; r.Destination != "script" || r.DestinationSource != "markup" ||
		r.Fix != "serve Cross-Origin-Resource-Policy: cross-origin, or load it with CORS" {
		t.Errorf("app.txt: %+v", r)
	}
	if r := rs[2]; r.Destination != "" || r.DestinationSource != "inferred" ||
		r.Fix != `serve Cross-Origin-Resource-Policy: cross-origin, or load it with CORS; the destination "" is a guess from the Accept header and the MIME type (the HAR does not say what loaded it)` {
		t.Errorf("other.txt: %+v", r)
	}
}

// What Chrome blocked when the HAR was recorded (status 0, _error) is
// broken today, with Chrome's reason.
func TestHARChromeBlocked(t *testing.T) {
	t.Parallel()
	p := writeTestHAR(t, mainDoc,
		harEnt{url: "https://img.othersite.com/a.png", status: 0, resourceType: "image", err: "net::ERR_BLOCKED_BY_RESPONSE.NotSameSite"},
		harEnt{url: "https://api.othersite.com/b.json", status: 0, resourceType: "script", err: "net::ERR_BLOCKED_BY_ORB"},
		harEnt{url: "https://gone.othersite.com/c.png", status: 0, resourceType: "image", err: "net::ERR_NAME_NOT_RESOLVED"},
	)
	harGolden(t, 1, `HAR: FILE (test 1), 4 entries
page page_1: https://app.example.com/, from https://app.example.com (main document; it serves no Cross-Origin-Embedder-Policy)
audit: Cross-Origin-Embedder-Policy: require-corp

URL                               DESTINATION             VERDICT   REASON                                    FIX
https://img.othersite.com/a.png   image (_resourceType)   blocked*  net::ERR_BLOCKED_BY_RESPONSE.NotSameSite  serve Cross-Origin-Resource-Policy: cross-origin
https://api.othersite.com/b.json  script (_resourceType)  blocked*  net::ERR_BLOCKED_BY_ORB                   serve it with Content-Type: text/javascript, or load it with CORS
* blocked without COEP too: broken today

3 subresources under require-corp: 2 would break (2 blocked, 0 stripped; 2 of them already without COEP), 0 allowed, 0 not checked, 1 without a response
`, p)
	_, rs := harJSON(t, p)
	if r := rs[1].Reason; r == nil || r.Token != "net::ERR_BLOCKED_BY_RESPONSE.NotSameSite" || r.ErrorText != r.Token || r.Xorigin {
		t.Errorf("reason %+v", r)
	}
}

// On a terminal, the fix column wraps to the terminal's width.
func TestHARTableWraps(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	a := newAuditor(&harFlags{file: "chrome.har", policy: fetchctx.RequireCORP}, &buf)
	f, err := os.Open(filepath.Join("testdata", "chrome.har"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a.width = 190
	if err := a.run(f, nil); err != nil {
		t.Fatal(err)
	}
	a.printTable(&buf)
	want := `URL                                   DESTINATION                            VERDICT  REASON                                                       FIX
https://images.othersite.com/cat.png  image (_resourceType)                  blocked  corp-not-same-origin-after-defaulted-to-same-origin-by-coep  serve Cross-Origin-Resource-Policy:
                                                                                                                                                   cross-origin, or load it with CORS
https://widget.othersite.com/embed    iframe (_resourceType+sec-fetch-dest)  blocked  corp-not-same-origin-after-defaulted-to-same-origin-by-coep  serve Cross-Origin-Resource-Policy:
                                                                                                                                                   cross-origin on the framed document, and
                                                                                                                                                   Cross-Origin-Embedder-Policy: require-corp
                                                                                                                                                   (or credentialless)
`
	if !strings.Contains(buf.String(), want) {
		t.Errorf("table:\n%s\nwant\n%s", buf.String(), want)
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if len(line) > 190 {
			t.Errorf("line of %d columns: %q", len(line), line)
		}
	}
}

// A HAR that stops short: --json has streamed what it read, and ends with
// an error object; nothing else on stdout claims to be whole.
func TestHARTruncatedJSON(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile(filepath.Join("testdata", "chrome.har"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cut.har")
	os.WriteFile(p, good[:len(good)*2/3], 0o644)
	code, out, errs := runCmd(t, "har", "--json", p)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var e harErrorJSON
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &e); code != 2 || err != nil || e.Error.Message != "unexpected end of file" ||
		e.Error.Offset == nil || *e.Error.Offset != int64(len(good)*2/3) || e.Error.Entry == nil || !strings.Contains(errs, "unexpected end of file") {
		t.Errorf("exit %d, %v, stderr %q\n%s", code, err, errs, out)
	}
	for _, l := range lines[:len(lines)-1] {
		var r entryResult
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.SchemaVersion != schemaVersion {
			t.Errorf("line %q: %v", l, err)
		}
	}
}

// An entry whose URL does not parse says so as a URL error, not an
// origin's.
func TestHARInvalidURL(t *testing.T) {
	t.Parallel()
	p := writeTestHAR(t, mainDoc, harEnt{url: "https://a b.test/x.png", status: 200, resourceType: "image"})
	_, rs := harJSON(t, p)
	if r := rs[1]; tokenOf(r.Reason) != "invalid-url" || !strings.HasPrefix(r.Why, `URL "https://a b.test/x.png": `) || strings.Contains(r.Why, "origin:") {
		t.Errorf("%+v", r)
	}
}
