package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// harLine is the part of a --json line the tests compare.
type harLine struct {
	URL, Destination, DestinationSource, Verdict, Reason string
	Fix                                                  string `json:",omitempty"`
}

func harJSON(t *testing.T, args ...string) (int, []entryResult) {
	t.Helper()
	code, out, errs := runCmd(t, append([]string{"har", "--json"}, args...)...)
	if errs != "" {
		t.Errorf("stderr: %q", errs)
	}
	var rs []entryResult
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var r entryResult
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		rs = append(rs, r)
	}
	return code, rs
}

const (
	catPNG    = "https://images.othersite.com/cat.png"
	profileJS = "https://static.example.com/user/profile.js"
	dataJSON  = "https://api.othersite.com/data.json"
	embed     = "https://widget.othersite.com/embed"

	defaulted  = "corp-not-same-origin-after-defaulted-to-same-origin-by-coep"
	fixImage   = "serve Cross-Origin-Resource-Policy: cross-origin, or load it with CORS"
	fixFramed  = "serve Cross-Origin-Resource-Policy: cross-origin on the framed document, and Cross-Origin-Embedder-Policy: require-corp (or credentialless)"
	notChecked = "not-checked"
)

// The page: a cross-site image without CORP, a same-site script
// with CORP same-site, a CORS-fetched JSON and a cross-site iframe, as
// Chrome exports it (_resourceType, Sec-Fetch-*) and as Firefox 78 does
// (neither: the destination is inferred).
func TestHARIssuePage(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"chrome.har", "firefox.har"} {
		chrome := file == "chrome.har"
		src := func(chromeSource string) string {
			if chrome {
				return chromeSource
			}
			return "inferred"
		}
		main := harLine{"https://app.example.com/", "document", src("_resourceType"), notChecked, "main-document", ""}
		// Firefox exports say nothing of what loaded an entry: the main
		// document's markup does (<img src>, <script src>, <iframe src>).
		markup := func(chromeSource string) string {
			if chrome {
				return chromeSource
			}
			return "markup"
		}
		image := func(verdict, reason, fix string) harLine {
			return harLine{catPNG, "image", markup("_resourceType"), verdict, reason, fix}
		}
		script := harLine{profileJS, "script", markup("_resourceType"), "allowed", "", ""}
		fetch := harLine{dataJSON, "", src("_resourceType"), "allowed", "", ""}
		frame := harLine{embed, "iframe", markup("_resourceType+sec-fetch-dest"), "blocked", defaulted, fixFramed}

		for _, tc := range []struct {
			policy  string
			want    []harLine
			summary string
		}{
			{"require-corp", []harLine{main, image("blocked", defaulted, fixImage), script, fetch, frame},
				"4 subresources under require-corp: 2 would break (2 blocked, 0 stripped), 2 allowed, 0 not checked, 0 without a response"},
			{"credentialless", []harLine{main, image("allowed", "", ""), script, fetch, frame},
				"4 subresources under credentialless: 1 would break (1 blocked, 0 stripped), 3 allowed, 0 not checked, 0 without a response"},
		} {
			t.Run(file+"/"+tc.policy, func(t *testing.T) {
				t.Parallel()
				path := filepath.Join("testdata", file)
				code, rs := harJSON(t, "--coep", tc.policy, path)
				if code != 1 {
					t.Errorf("--json: exit %d, want 1", code)
				}
				var got []harLine
				for _, r := range rs {
					got = append(got, harLine{r.URL, r.Destination, r.DestinationSource, r.Verdict, tokenOf(r.Reason), r.Fix})
					if r.COEP != tc.policy || (tokenOf(r.Reason) != "main-document" && r.From != "https://app.example.com") {
						t.Errorf("%s: coep %q, from %q", r.URL, r.COEP, r.From)
					}
				}
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("--json entries (-want +got):\n%s", d)
				}

				code, out, errs := runCmd(t, "har", "--coep", tc.policy, path)
				if code != 1 || errs != "" {
					t.Errorf("table: exit %d, stderr %q", code, errs)
				}
				if lastLine(out) != tc.summary {
					t.Errorf("summary %q\nwant    %q", lastLine(out), tc.summary)
				}
				if !strings.Contains(out, "page page_1: https://app.example.com/, from https://app.example.com (main document; it serves no Cross-Origin-Embedder-Policy)\n") ||
					!strings.Contains(out, "audit: Cross-Origin-Embedder-Policy: "+tc.policy+"\n") {
					t.Errorf("header:\n%s", out)
				}
				rows := tableRows(out)
				wantRows := map[string][]string{}
				for _, w := range tc.want {
					if w.Verdict == "blocked" {
						wantRows[w.URL] = []string{w.URL, fmt.Sprintf("%s (%s)", w.Destination, w.DestinationSource), w.Verdict, w.Reason, w.Fix}
					}
				}
				if d := cmp.Diff(wantRows, rows); d != "" {
					t.Errorf("table rows (-want +got):\n%s\n%s", d, out)
				}
			})
		}
	}
}

var columns = regexp.MustCompile(`\S+(?: \S+)*`)

// tableRows parses the table of har's text output: each row by URL, its
// cells split on runs of two or more spaces.
func tableRows(out string) map[string][]string {
	rows := map[string][]string{}
	in := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "URL ") || strings.HasPrefix(line, "PAGE "):
			in = true
			continue
		case line == "" || strings.HasPrefix(line, "* "):
			in = false
		}
		if in {
			cells := regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
			if strings.HasPrefix(cells[0], "page_") {
				cells = cells[1:]
			}
			rows[cells[0]] = cells
		}
	}
	return rows
}

func TestHAREdges(t *testing.T) {
	t.Parallel()
	type want struct {
		verdict, reason string
		extra           func(r entryResult) string // "" when fine
	}
	fixIs := func(fix string) func(r entryResult) string {
		return func(r entryResult) string {
			if r.Fix != fix {
				return fmt.Sprintf("fix %q, want %q", r.Fix, fix)
			}
			return ""
		}
	}
	cases := map[string]map[string]want{
		"require-corp": {
			"http://shop.example.com/":         {notChecked, "main-document", nil},
			"https://shop.example.com/":        {notChecked, "main-document", nil},
			"https://img.example.com/logo.png": {"blocked", defaulted, fixIs("serve Cross-Origin-Resource-Policy: same-site (same-site suffices)")},
			"https://t.tracker.test/p?id=1":    {"blocked", defaulted, fixIs("serve Cross-Origin-Resource-Policy: cross-origin on this redirect, or load it with CORS")},
			"https://cdn.tracker.test/p.gif": {notChecked, "after-blocked-redirect", func(r entryResult) string {
				if len(r.RedirectedFrom) != 1 {
					return fmt.Sprintf("redirectedFrom %q", r.RedirectedFrom)
				}
				return ""
			}},
			"https://fonts.othersite.com/f.woff2": {"allowed", "", func(r entryResult) string {
				if r.Mode != "cors" || !strings.Contains(r.Why, "the CORS check passes") {
					return fmt.Sprintf("mode %q, why %q", r.Mode, r.Why)
				}
				return ""
			}},
			"https://fonts.othersite.com/v2/f.woff2": {"allowed", "", nil},
			"https://cdn.othersite.com/lib.js": {"blocked", "corp-not-same-origin", func(r entryResult) string {
				if !r.AlreadyBlocked || r.Reports != nil {
					return "want alreadyBlocked and no reports"
				}
				return ""
			}},
			"wss://live.othersite.com/socket": {notChecked, "websocket", nil},
			// The OPTIONS entry, then the PUT it was for (one URL, two entries).
			"https://api.othersite.com/cart": {"", "", func(r entryResult) string {
				switch {
				case r.Method == "OPTIONS" && r.Verdict == notChecked && tokenOf(r.Reason) == "preflight":
				case r.Method == "PUT" && r.Verdict == "blocked" && tokenOf(r.Reason) == "HeaderDisallowedByPreflightResponse" && r.AlreadyBlocked &&
					r.Fix == "answer the preflight with Access-Control-Allow-Headers: content-type":
				default:
					return fmt.Sprintf("%+v", r)
				}
				return ""
			}},
			"http://legacy.othersite.com/old.js": {"blocked", "mixed-content", func(r entryResult) string {
				if !r.AlreadyBlocked || r.Status != 0 {
					return fmt.Sprintf("%+v", r)
				}
				return ""
			}},
			"https://stats.othersite.com/beacon":  {notChecked, "not-exposed", nil},
			"https://gone.othersite.com/x.png":    {"no-response", "no-response", nil},
			"https://css.othersite.com/a.css#top": {"blocked", defaulted, nil},
			"https://api.othersite.com/user.json": {"blocked", "blocked-by-orb", func(r entryResult) string {
				if !r.AlreadyBlocked || !strings.Contains(r.Step, "ORB") {
					return "want alreadyBlocked and an ORB step"
				}
				return ""
			}},
			"https://video.othersite.com/clip.mp4": {"blocked", defaulted, func(r entryResult) string {
				// CORP blocks it: no note that ORB could not decide.
				if r.Note != "" || r.Destination != "video" {
					return fmt.Sprintf("note %q, destination %q", r.Note, r.Destination)
				}
				return ""
			}},
			"http://intranet.example.com/":       {notChecked, "main-document", nil},
			"http://intranet.example.com/app.js": {"allowed", "", nil},
			"http://ads.othersite.com/frame": {"blocked", "coep-frame-resource-needs-coep-header", func(r entryResult) string {
				if r.Destination != "iframe" || r.DestinationSource != "_resourceType" || len(r.Reports) != 1 || r.Reports[0].Type != "navigation" {
					return fmt.Sprintf("%+v", r)
				}
				return ""
			}},
			"http://ads.othersite.com/banner.png": {notChecked, "loaded-by-frame", nil},
		},
		"credentialless": {
			"https://img.example.com/logo.png": {"allowed", "", func(r entryResult) string {
				if !strings.Contains(r.Note, "without the cookies") {
					return "note " + r.Note
				}
				return ""
			}},
			"https://t.tracker.test/p?id=1":    {"allowed", "", nil},
			"https://cdn.tracker.test/p.gif":   {"allowed", "", nil},
			"https://cdn.othersite.com/lib.js": {"blocked", "corp-not-same-origin", nil},
			"http://ads.othersite.com/frame":   {"blocked", "coep-frame-resource-needs-coep-header", nil},
		},
	}
	for policy, wants := range cases {
		t.Run(policy, func(t *testing.T) {
			t.Parallel()
			code, rs := harJSON(t, "--coep", policy, filepath.Join("testdata", "edges.har"))
			if code != 1 {
				t.Errorf("exit %d", code)
			}
			seen := map[string]bool{}
			for _, r := range rs {
				w, ok := wants[r.URL]
				if !ok {
					continue
				}
				seen[r.URL] = true
				if w.verdict != "" && (r.Verdict != w.verdict || tokenOf(r.Reason) != w.reason) {
					t.Errorf("%s: %s %q, want %s %q", r.URL, r.Verdict, tokenOf(r.Reason), w.verdict, w.reason)
				}
				if w.extra != nil {
					if msg := w.extra(r); msg != "" {
						t.Errorf("%s: %s", r.URL, msg)
					}
				}
			}
			for u := range wants {
				if !seen[u] {
					t.Errorf("no entry for %s", u)
				}
			}
		})
	}

	_, out, _ := runCmd(t, "har", filepath.Join("testdata", "edges.har"))
	for _, want := range []string{
		"page page_1: https://shop.example.com/, from https://shop.example.com (main document; it serves no Cross-Origin-Embedder-Policy, Cross-Origin-Embedder-Policy-Report-Only: require-corp)\n",
		"  note: http://intranet.example.com is not a secure context, and browsers ignore COEP there: this is what would break over https\n",
		"* blocked without COEP too: broken today\n",
		"18 subresources under require-corp: 9 would break (9 blocked, 0 stripped; 4 of them already without COEP), 3 allowed, 5 not checked, 1 without a response\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q:\n%s", want, out)
		}
	}
	if rows := tableRows(out); len(rows) != 9 || rows["https://cdn.othersite.com/lib.js"][2] != "blocked*" {
		t.Errorf("rows: %q", rows)
	}
	_, out, _ = runCmd(t, "har", "--coep", "credentialless", filepath.Join("testdata", "edges.har"))
	if !strings.Contains(out, "Load under credentialless, but without the cookies they carried here:\n\thttps://img.example.com/logo.png\n\thttps://t.tracker.test/p?id=1\n") {
		t.Errorf("credentialless output lacks the cookie list:\n%s", out)
	}
}

func TestHARFrom(t *testing.T) {
	t.Parallel()
	// From the CDN's own site, the same-site script and the image stay as
	// they are, and the page's origin no longer comes from the HAR.
	code, rs := harJSON(t, "--from", "https://static.example.com", filepath.Join("testdata", "chrome.har"))
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	for _, r := range rs {
		if tokenOf(r.Reason) != "main-document" && r.From != "https://static.example.com" {
			t.Errorf("%s: from %q", r.URL, r.From)
		}
		if r.URL == profileJS && (r.Verdict != "allowed" || !strings.Contains(r.Why, "same origin")) {
			t.Errorf("profile.js: %+v", r)
		}
	}
	_, out, _ := runCmd(t, "har", "--from", "https://static.example.com/", filepath.Join("testdata", "chrome.har"))
	if !strings.Contains(out, "page page_1: from https://static.example.com (--from)\n") {
		t.Errorf("header:\n%s", out)
	}
	// A page's URL: its origin, and a note that says so.
	_, out, errs := runCmd(t, "har", "--from", "https://static.example.com/index.html", filepath.Join("testdata", "chrome.har"))
	if !strings.Contains(out, "page page_1: from https://static.example.com (--from)\n") ||
		errs != "xorigin har: --from https://static.example.com/index.html is a URL: taking its origin, https://static.example.com\n" {
		t.Errorf("--from a URL: stderr %q\n%s", errs, out)
	}
}

func TestHARUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{}, "want one FILE, got 0"},
		{[]string{"a.har", "b.har"}, "want one FILE, got 2"},
		{[]string{"--coep", "unsafe-none", "x.har"}, `--coep "unsafe-none": want require-corp or credentialless`},
		{[]string{"--from", "nope", "x.har"}, "--from"},
		{[]string{"--profile", "webkit", "x.har"}, "--profile"},
		{[]string{filepath.Join(t.TempDir(), "missing.har")}, "no such file"},
	} {
		code, out, errs := runCmd(t, append([]string{"har"}, tc.args...)...)
		if code != 2 || out != "" || !strings.Contains(errs, tc.stderr) {
			t.Errorf("har %q: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, errs, tc.stderr)
		}
	}
}

func TestHARMalformed(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile(filepath.Join("testdata", "chrome.har"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(good)
	// Where the third entry starts: the decoder's offset counts the
	// separating whitespace.
	third := strings.Index(s, `"_resourceType": "script"`)
	third = strings.LastIndex(s[:third], "{")
	status := strings.Index(s[third:], `"status": 200`) + third

	for _, tc := range []struct {
		name, input string
		msg         string
		offset      func(int) bool
	}{
		{"truncated", s[:len(s)/2], "unexpected end of file", func(o int) bool { return o == len(s)/2 }},
		{"syntax error", s[:third] + "]" + s[third+1:], "entry 2: invalid character ']'", func(o int) bool { return o == third }},
		{"bad escape deep in an entry", s[:status] + `"status": 200, "x": "\q"` + s[status+len(`"status": 200`):], "entry 2: invalid character 'q' in string escape code", func(o int) bool { return o == status+len(`"status": 200, "x": "\`) }},
		{"wrong type", s[:status] + `"status": "200"` + s[status+len(`"status": 200`):], "entry 2: json: cannot unmarshal string", func(o int) bool { return o >= status && o < status+40 }},
		{"not an object", ` ["log"]`, "a HAR file is a JSON object", func(o int) bool { return o == 1 }},
		{"no log", `{"version": "1.2"} `, `not a HAR file: no "log" object`, func(o int) bool { return o == 17 }},
		{"entries not an array", `{"log": {"entries": {}}}`, `"entries" must be an array, got "{"`, func(o int) bool { return o == 20 }},
		{"trailing data", s + "{}", "data after the HAR's top-level object", func(o int) bool { return o >= len(s) }},
		{"empty", "", "unexpected end of file", func(o int) bool { return o == 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), "bad.har")
			if err := os.WriteFile(p, []byte(tc.input), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errs := runCmd(t, "har", p)
			m := regexp.MustCompile(`^xorigin har: ` + regexp.QuoteMeta(p) + `: byte (\d+): (.*)\n$`).FindStringSubmatch(errs)
			if code != 2 || m == nil {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			var off int
			fmt.Sscan(m[1], &off)
			if !strings.Contains(m[2], tc.msg) || !tc.offset(off) {
				t.Errorf("stderr %q: want %q at a matching offset", errs, tc.msg)
			}
		})
	}
}

func TestHARByteOrderMark(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile(filepath.Join("testdata", "firefox.har"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bom.har")
	os.WriteFile(p, append([]byte("\xef\xbb\xbf"), good...), 0o644)
	if code, out, errs := runCmd(t, "har", p); code != 1 || errs != "" || !strings.Contains(out, "2 would break") {
		t.Errorf("exit %d, stderr %q\n%s", code, errs, out)
	}
	// Offsets still count the mark.
	os.WriteFile(p, []byte("\xef\xbb\xbf{]"), 0o644)
	if _, _, errs := runCmd(t, "har", p); !strings.Contains(errs, "byte 4: ") {
		t.Errorf("stderr %q, want byte 4 (the ']', counting from 0)", errs)
	}
}

// writeHAR writes a HAR of n entries to w, one at a time: a main document,
// then n-1 images with bodies, all allowed (CORP cross-origin) so that
// nothing is kept for the table.
func writeHAR(w io.Writer, n, bodySize int, sample func(i int)) error {
	bw := bufio.NewWriter(w)
	// Whole base64: "iVBORw0KGgo" (11 characters) and the A's make a
	// multiple of 4.
	body := strings.Repeat("A", bodySize-(bodySize+11)%4)
	fmt.Fprint(bw, `{"log": {"version": "1.2", "creator": {"name": "gen", "version": "1"}, "pages": [{"id": "p", "title": "https://app.example.com/"}], "entries": [`)
	for i := 0; i < n; i++ {
		if sample != nil {
			sample(i)
		}
		if i > 0 {
			bw.WriteString(",\n")
		}
		if i == 0 {
			fmt.Fprint(bw, `{"pageref": "p", "_resourceType": "document", "request": {"method": "GET", "url": "https://app.example.com/", "headers": []}, "response": {"status": 200, "headers": [], "content": {"mimeType": "text/html", "text": "<p>"}}}`)
			continue
		}
		fmt.Fprintf(bw, `{"pageref": "p", "_resourceType": "image", "request": {"method": "GET", "url": "https://img%d.othersite.com/%d.png", "headers": [{"name": "Sec-Fetch-Dest", "value": "image"}]}, "response": {"status": 200, "headers": [{"name": "Cross-Origin-Resource-Policy", "value": "cross-origin"}, {"name": "Content-Type", "value": "image/png"}], "content": {"mimeType": "image/png", "encoding": "base64", "text": "iVBORw0KGgo%s"}}}`, i%7, i, body)
	}
	fmt.Fprint(bw, "]}}")
	return bw.Flush()
}

// The audit holds one entry at a time: the live heap after reading a
// tenth of a ~20 MB HAR is about what it is at the end.
func TestHARStreamingMemory(t *testing.T) {
	const n, bodySize = 4000, 5000
	var heaps []uint64
	sample := func(i int) {
		if i%(n/10) == 0 && i > 0 {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			heaps = append(heaps, m.HeapAlloc)
		}
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeHAR(pw, n, bodySize, sample)) }()
	a := newAuditor(&harFlags{file: "gen.har", jsonOut: true}, io.Discard)
	if err := a.run(pr, nil); err != nil {
		t.Fatal(err)
	}
	if a.entries != n || a.count["allowed"] != n-1 {
		t.Fatalf("%d entries, counts %v", a.entries, a.count)
	}
	total := int64(n) * bodySize
	first, peak := heaps[0], uint64(0)
	for _, h := range heaps {
		peak = max(peak, h)
	}
	t.Logf("streamed %.1f MB; live heap at 10%%: %.2f MB, peak sample: %.2f MB", float64(total)/1e6, float64(first)/1e6, float64(peak)/1e6)
	// Growth well under a tenth of what was read: nothing per entry stays.
	if peak > first+uint64(total/10) || peak > first+2<<20 {
		t.Errorf("live heap grew from %d to %d bytes over %d bytes of HAR", first, peak, total)
	}
}

// BenchmarkHAR reads a generated HAR, reporting bytes per second and the
// allocations per entry.
func BenchmarkHAR(b *testing.B) {
	var buf bytes.Buffer
	const n = 1000
	writeHAR(&buf, n, 2000, nil)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		a := newAuditor(&harFlags{file: "gen.har", jsonOut: true}, io.Discard)
		if err := a.run(bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
}

func TestHARProgress(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	writeHAR(&buf, 50, 100, nil)
	size := int64(buf.Len())
	var prog bytes.Buffer
	a := newAuditor(&harFlags{file: "gen.har"}, io.Discard)
	a.progress, a.size = &prog, size
	if err := a.run(&buf, nil); err != nil {
		t.Fatal(err)
	}
	p := prog.String()
	if !strings.HasPrefix(p, "\rxorigin har: 1 entries, 0.0 MB of 0.0 MB (") || !strings.HasSuffix(p, strings.Repeat(" ", 72)+"\r") {
		t.Errorf("progress %q", p)
	}
	// Not a terminal: no progress at all.
	_, _, errs := runCmd(t, "har", filepath.Join("testdata", "chrome.har"))
	if errs != "" {
		t.Errorf("stderr %q", errs)
	}
}

// Standard input cannot be read twice: a syntax error is placed at the
// start of the value it is in.
func TestHARStdin(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "chrome.har"))
	if err != nil {
		t.Fatal(err)
	}
	defer func(r io.Reader) { stdin = r }(stdin)
	stdin = bytes.NewReader(good)
	code, out, errs := runCmd(t, "har", "-")
	if code != 1 || errs != "" || !strings.HasPrefix(out, "HAR: - (WebInspector 537.36), 5 entries\n") {
		t.Errorf("exit %d, stderr %q\n%s", code, errs, out)
	}

	s := string(good)
	third := strings.LastIndex(s[:strings.Index(s, `"_resourceType": "script"`)], "{")
	bad := s[:third+1] + "]" + s[third+2:]
	stdin = strings.NewReader(bad)
	code, _, errs = runCmd(t, "har", "-")
	// The value starts after the comma that ends the entry before.
	before := strings.LastIndex(s[:third], ",")
	if want := fmt.Sprintf("xorigin har: -: byte %d: entry 2: invalid character ']'", before); code != 2 || !strings.HasPrefix(errs, want) {
		t.Errorf("exit %d, stderr %q, want %q", code, errs, want)
	}
}
