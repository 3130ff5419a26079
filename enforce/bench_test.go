package enforce_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// The benchmarks of this file, with BenchmarkDecide (engine_test.go) and
// BenchmarkTransport (transport_test.go), are the figures BENCHMARKS.md
// reports; scripts/bench.sh runs them.

// benchCases are the three relations BenchmarkDecideFromStrings and
// BenchmarkNaiveBaseline measure, BenchmarkDecide's: a no-cors script load
// of a resource answering Cross-Origin-Resource-Policy: same-site, from a
// page of each relation.
var benchCases = []struct {
	name string
	page string // the page's serialized origin
}{
	{"same-origin", "https://cdn.example.com"},
	{"same-site", "https://app.example.com"},
	{"cross-site", "https://app.anothersite.com"},
}

const benchURL = "https://cdn.example.com/user/profile.js"

// benchHeaders are the response's header fields as an HTTP stack of one's
// own hands them over: raw name and value pairs, in order.
var benchHeaders = [][2]string{
	{"Content-Type", "text/javascript"},
	{"Content-Length", "21"},
	{"Cache-Control", "max-age=3600"},
	{"Cross-Origin-Resource-Policy", "same-site"},
}

// scratch is what a crawler's worker keeps from one decision to the next: a
// request and its one-URL list, and the response. Without it, the path
// allocates the URL list once per decision: it leaves the stack because the
// engine's reports may carry its strings.
type scratch struct {
	req  fetchctx.Request
	urls [1]fetchctx.URL
	hops [1]enforce.Response
}

// decideFromStrings is the library's whole path from strings to a verdict:
// the page's serialized origin, the URL, and the response's raw header
// pairs. s may be nil.
func decideFromStrings(e *enforce.Engine, s *scratch, page string, policy fetchctx.EmbedderPolicy, rawURL string, status int, headers [][2]string) (enforce.Verdict, error) {
	if s == nil {
		s = new(scratch)
	}
	o, err := origin.Parse(page)
	if err != nil {
		return enforce.Verdict{}, err
	}
	s.urls[0], err = fetchctx.ParseURL(rawURL)
	if err != nil {
		return enforce.Verdict{}, err
	}
	// The fields this path sets; the others keep their zero values.
	s.req.Origin, s.req.Destination, s.req.Policy, s.req.URLs = o, fetchctx.DestinationScript, policy, s.urls[:]
	readResponse(&s.hops[0], status, headers)
	v, _ := e.Decide(&s.req, s.hops[:], nil)
	return v, nil
}

// readResponse reads the headers the decision needs from raw pairs into r,
// as enforce.ParseResponse does from an http.Header: every value of a
// header, in order, HTTP white space trimmed, names compared
// case-insensitively. A malformed embedder policy falls back to
// unsafe-none, as the spec says. It sets the fields the CORP and COEP
// checks read, and leaves the others as they are.
func readResponse(r *enforce.Response, status int, headers [][2]string) {
	var corp, coep, coepRO []string
	var store [2]string // a CORP value or two, on the stack
	corp = store[:0]
	for _, h := range headers {
		name := h[0]
		// Most names have another length than the three wanted: skip them
		// without comparing.
		switch {
		case len(name) != len(enforce.HeaderCORP) && len(name) != len(fetchctx.HeaderCOEPReportOnly):
		case name == enforce.HeaderCORP || strings.EqualFold(name, enforce.HeaderCORP):
			corp = append(corp, h[1]) // ParseCORP trims
		case name == fetchctx.HeaderCOEP || strings.EqualFold(name, fetchctx.HeaderCOEP):
			coep = append(coep, trimHTTPSpace(h[1]))
		case name == fetchctx.HeaderCOEPReportOnly || strings.EqualFold(name, fetchctx.HeaderCOEPReportOnly):
			coepRO = append(coepRO, trimHTTPSpace(h[1]))
		}
	}
	r.Status, r.CORP, r.COEP = status, enforce.ParseCORP(corp), fetchctx.EmbedderPolicy{}
	if len(coep)+len(coepRO) > 0 { // absent headers: unsafe-none, the zero policy
		r.COEP, _ = fetchctx.ParseEmbedderPolicy(coep, coepRO)
	}
}

// trimHTTPSpace removes leading and trailing HTTP white space (tab, LF, CR,
// space), as header value normalization does.
func trimHTTPSpace(s string) string {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// naiveAllows is the check a user writes by hand today: parse both URLs
// with net/url, take both hosts' eTLD+1 with x/net's publicsuffix, compare,
// and read the Cross-Origin-Resource-Policy header. It is wrong in the
// cases TestNaiveBaselineIsWrong lists.
func naiveAllows(page, rawURL string, headers [][2]string) bool {
	p, err := url.Parse(page)
	if err != nil {
		return false
	}
	r, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	pageSite, err1 := publicsuffix.EffectiveTLDPlusOne(p.Hostname())
	resSite, err2 := publicsuffix.EffectiveTLDPlusOne(r.Hostname())
	sameOrigin := p.Scheme == r.Scheme && p.Host == r.Host
	sameSite := err1 == nil && err2 == nil && pageSite == resSite
	corp := ""
	for _, h := range headers {
		if strings.EqualFold(h[0], "Cross-Origin-Resource-Policy") {
			corp = h[1]
			break
		}
	}
	switch corp {
	case "same-origin":
		return sameOrigin
	case "same-site":
		return sameSite
	}
	return true
}

// BenchmarkDecideFromStrings is the library's whole path: origin and URL
// strings and raw header pairs in, a verdict out, on the default engine
// with its site cache warm, reusing a scratch request as a crawler's worker
// would.
func BenchmarkDecideFromStrings(b *testing.B) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			var s scratch
			decideFromStrings(e, &s, c.page, fetchctx.EmbedderPolicy{}, benchURL, 200, benchHeaders) // warm the cache
			b.ReportAllocs()
			for b.Loop() {
				sinkVerdict, _ = decideFromStrings(e, &s, c.page, fetchctx.EmbedderPolicy{}, benchURL, 200, benchHeaders)
			}
		})
	}
}

var sinkAllows bool

// BenchmarkNaiveBaseline is naiveAllows on BenchmarkDecideFromStrings's
// inputs: scripts/bench.sh divides its time by the library's, case by case.
func BenchmarkNaiveBaseline(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkAllows = naiveAllows(c.page, benchURL, benchHeaders)
			}
		})
	}
}

// benchRequest returns BenchmarkDecide's request for a page, pre-parsed.
func benchRequest(page string) *fetchctx.Request {
	return &fetchctx.Request{
		Origin:      origin.MustParse(page),
		Destination: fetchctx.DestinationScript,
		Policy:      fetchctx.EmbedderPolicy{ReportOnlyValue: fetchctx.RequireCORP},
		URLs:        []fetchctx.URL{fetchctx.MustParseURL(benchURL)},
	}
}

// BenchmarkDecideParallel is BenchmarkDecide from GOMAXPROCS goroutines
// sharing one engine, and so one site cache; "same-site/4096-sites" spreads
// the decisions over 4,096 sites, whose hosts all fit in the cache.
func BenchmarkDecideParallel(b *testing.B) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	hops := []enforce.Response{{Status: 200, CORP: enforce.CORPSameSite}}
	for _, c := range benchCases {
		req := benchRequest(c.page)
		e.Decide(req, hops, nil) // warm the cache
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				reports := make([]enforce.Report, 0, 4)
				for pb.Next() {
					v, _ := e.Decide(req, hops, reports[:0])
					if !v.Allows() && c.name != "cross-site" {
						b.Error("blocked")
					}
				}
			})
		})
	}
	reqs := make([]*fetchctx.Request, 4096)
	for i := range reqs {
		reqs[i] = &fetchctx.Request{
			Origin:      origin.MustParse(fmt.Sprintf("https://app.site%d.com", i)),
			Destination: fetchctx.DestinationScript,
			URLs:        []fetchctx.URL{fetchctx.MustParseURL(fmt.Sprintf("https://cdn.site%d.com/app.js", i))},
		}
		e.Decide(reqs[i], hops, nil)
	}
	b.Run("same-site/4096-sites", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			reports := make([]enforce.Report, 0, 4)
			i := 0
			for pb.Next() {
				v, _ := e.Decide(reqs[i&(len(reqs)-1)], hops, reports[:0])
				if !v.Allows() {
					b.Error("blocked")
				}
				i++
			}
		})
	})
}

// TestBenchCasesAgree checks that the library and the naive baseline reach
// the same verdicts on the benchmarks' inputs, so that the benchmarks
// compare the same work.
func TestBenchCasesAgree(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	want := map[string]bool{"same-origin": true, "same-site": true, "cross-site": false}
	for _, c := range benchCases {
		v, err := decideFromStrings(e, nil, c.page, fetchctx.EmbedderPolicy{}, benchURL, 200, benchHeaders)
		if err != nil {
			t.Fatal(err)
		}
		if v.Allows() != want[c.name] || naiveAllows(c.page, benchURL, benchHeaders) != want[c.name] {
			t.Errorf("%s: library allows %v (%v), naive %v; want %v", c.name, v.Allows(), v.Reason,
				naiveAllows(c.page, benchURL, benchHeaders), want[c.name])
		}
	}
}

// TestDecideFromStringsNoAllocs checks that the whole string path allocates
// nothing on canonical inputs once the site cache is warm: neither parsing
// the origin and the URL nor the decision. (Without a scratch request, the
// URL list is the one allocation.)
func TestDecideFromStringsNoAllocs(t *testing.T) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	var s scratch
	for _, c := range benchCases {
		n := testing.AllocsPerRun(100, func() {
			sinkVerdict, _ = decideFromStrings(e, &s, c.page, fetchctx.EmbedderPolicy{}, benchURL, 200, benchHeaders)
		})
		if n != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, n)
		}
	}
}

// TestNaiveBaselineIsWrong lists loads where the hand-written check of
// BenchmarkNaiveBaseline decides otherwise than the spec, and checks that
// the library decides as the spec does.
func TestNaiveBaselineIsWrong(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	corp := func(values ...string) [][2]string {
		h := [][2]string{{"Content-Type", "image/png"}}
		for _, v := range values {
			h = append(h, [2]string{"Cross-Origin-Resource-Policy", v})
		}
		return h
	}
	tests := []struct {
		name   string
		page   string
		policy fetchctx.EmbedderPolicyValue
		url    string
		header [][2]string
		allow  bool // the spec's answer
	}{
		// Origins are compared after the URL standard canonicalizes hosts
		// and ports; net/url compares the text.
		{"default port written out", "https://example.com:443", 0, "https://example.com/a.png", corp("same-origin"), true},
		{"host case", "https://EXAMPLE.com", 0, "https://example.com/a.png", corp("same-origin"), true},
		{"IDN host and its punycode", "https://пример.рф", 0, "https://xn--e1afmkfd.xn--p1ai/a.png", corp("same-origin"), true},
		{"IPv4 in hex", "http://0x7f.0.0.1", 0, "http://127.0.0.1/a.png", corp("same-origin"), true},
		// Same site: eTLD+1 is not a site.
		{"same IP address, other port", "http://192.0.2.1:8080", 0, "http://192.0.2.1:9090/a.png", corp("same-site"), true},
		{"fully qualified hosts", "https://app.example.com.", 0, "https://cdn.example.com./a.png", corp("same-site"), true},
		{"same host without a registrable domain", "http://localhost:3000", 0, "http://localhost:8080/a.png", corp("same-site"), true},
		{"https resource, http page", "http://app.example.com", 0, "https://cdn.example.com/a.png", corp("same-site"), false},
		// The header as Fetch reads it.
		{"value with white space", "https://app.example.net", 0, "https://cdn.example.com/a.png", corp(" same-origin"), false},
		{"two headers are an invalid list", "https://app.example.net", 0, "https://cdn.example.com/a.png", corp("same-site", "same-site"), true},
		// The page's embedder policy.
		{"require-corp page, no header", "https://app.example.net", fetchctx.RequireCORP, "https://cdn.example.com/a.png", corp(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := decideFromStrings(e, nil, tt.page, fetchctx.EmbedderPolicy{Value: tt.policy}, tt.url, 200, tt.header)
			if err != nil {
				t.Fatal(err)
			}
			if v.Allows() != tt.allow {
				t.Errorf("library: allows %v (%v), want %v", v.Allows(), v.Reason, tt.allow)
			}
			if naiveAllows(tt.page, tt.url, tt.header) == tt.allow {
				t.Errorf("naive baseline: allows %v, as the spec does; the case is not a counterexample", tt.allow)
			}
		})
	}
}
