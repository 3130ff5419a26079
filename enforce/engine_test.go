package enforce_test

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

func TestParseCORP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values []string
		want   enforce.CORP
	}{
		{"absent", nil, enforce.CORPNone},
		{"same-origin", []string{"same-origin"}, enforce.CORPSameOrigin},
		{"same-site", []string{"same-site"}, enforce.CORPSameSite},
		{"cross-origin", []string{"cross-origin"}, enforce.CORPCrossOrigin},
		{"http white space is stripped", []string{" \tsame-origin\t "}, enforce.CORPSameOrigin},
		{"case matters", []string{"Same-Origin"}, enforce.CORPInvalid},
		{"quoted", []string{`"same-origin"`}, enforce.CORPInvalid},
		{"parameter", []string{"same-origin; x=y"}, enforce.CORPInvalid},
		{"empty", []string{""}, enforce.CORPInvalid},
		{"unknown token", []string{"cross-site"}, enforce.CORPInvalid},
		{"a list", []string{"same-origin, same-site"}, enforce.CORPInvalid},
		{"two identical headers combine to a list", []string{"same-origin", "same-origin"}, enforce.CORPInvalid},
		{"inner space", []string{"same -origin"}, enforce.CORPInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := enforce.ParseCORP(tt.values); got != tt.want {
				t.Errorf("ParseCORP(%q) = %v, want %v", tt.values, got, tt.want)
			}
		})
	}
}

func TestParseResponseHeaderNameCase(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	h.Add("cross-origin-resource-policy", "same-site")
	h.Add("CROSS-ORIGIN-EMBEDDER-POLICY", `require-corp; report-to="e"`)
	r, err := enforce.ParseResponse(200, h)
	if err != nil {
		t.Fatal(err)
	}
	wantCOEP := fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP, ReportingEndpoint: "e"}
	if r.Status != 200 || r.CORP != enforce.CORPSameSite || r.COEP != wantCOEP {
		t.Errorf("ParseResponse = status %d, CORP %v, COEP %+v; want 200, same-site, %+v", r.Status, r.CORP, r.COEP, wantCOEP)
	}
}

func TestParseResponseBadCOEPFallsBack(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	h.Add("Cross-Origin-Embedder-Policy", "Require-Corp")
	r, err := enforce.ParseResponse(200, h)
	if err == nil {
		t.Fatal("no error for a wrong-case COEP value")
	}
	if r.COEP.Value != fetchctx.UnsafeNone {
		t.Errorf("COEP = %v, want the fallback unsafe-none", r.COEP.Value)
	}
}

func TestEnumStrings(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for r := enforce.Reason(1); ; r++ {
		s := r.String()
		if s == fmt.Sprintf("Reason(%d)", r) {
			break
		}
		if s == "" || seen[s] {
			t.Errorf("Reason %d has token %q (empty or repeated)", r, s)
		}
		seen[s] = true
	}
	if len(seen) < 7 {
		t.Errorf("only %d reasons have tokens", len(seen))
	}
	for s := enforce.Step(1); s.String() != fmt.Sprintf("Step(%d)", s); s++ {
		if s.String() == "" {
			t.Errorf("Step %d has no text", s)
		}
	}
	if enforce.ReasonNone.String() != "" || enforce.StepNone.String() != "" {
		t.Error("the zero Reason and Step must be empty")
	}
	for r, want := range map[enforce.Result]string{enforce.Undecided: "undecided", enforce.Allowed: "allowed", enforce.Blocked: "blocked", enforce.Stripped: "stripped"} {
		if r.String() != want {
			t.Errorf("Result %d = %q, want %q", r, r.String(), want)
		}
	}
}

func TestZeroVerdictDoesNotAllow(t *testing.T) {
	t.Parallel()
	for _, r := range []enforce.Result{enforce.Undecided, enforce.Blocked, enforce.Stripped} {
		if (enforce.Verdict{Result: r}).Allows() {
			t.Errorf("a %v verdict allows", r)
		}
	}
}

func TestFailClosed(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	u := []fetchctx.URL{fetchctx.MustParseURL("https://a.test/")}
	resp := &enforce.Response{Status: 200}
	good := &fetchctx.Request{Origin: origin.MustParse("https://a.test"), URLs: u}
	tests := []struct {
		name string
		run  func() enforce.Verdict
	}{
		{"nil request", func() enforce.Verdict { v, _ := e.CheckHop(nil, 0, resp, nil); return v }},
		{"nil response", func() enforce.Verdict { v, _ := e.CheckHop(good, 0, nil, nil); return v }},
		{"zero origin", func() enforce.Verdict { v, _ := e.CheckHop(&fetchctx.Request{URLs: u}, 0, resp, nil); return v }},
		{"hop out of range", func() enforce.Verdict { v, _ := e.CheckHop(good, 1, resp, nil); return v }},
		{"negative hop", func() enforce.Verdict { v, _ := e.CheckHop(good, -1, resp, nil); return v }},
		{"empty URL list", func() enforce.Verdict {
			v, _ := e.CheckFinal(&fetchctx.Request{Origin: good.Origin}, resp, nil)
			return v
		}},
		{"hops and URLs differ", func() enforce.Verdict { v, _ := e.Decide(good, nil, nil); return v }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.run()
			if v.Result != enforce.Blocked || v.Reason != enforce.ReasonInvalidRequest {
				t.Errorf("got %+v, want blocked with invalid-request", v)
			}
		})
	}
}

func TestRedirectLimit(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	chain := func(n int) (*fetchctx.Request, []enforce.Response) {
		req := &fetchctx.Request{Origin: origin.MustParse("https://a.test")}
		hops := make([]enforce.Response, n)
		for i := range hops {
			req.URLs = append(req.URLs, fetchctx.MustParseURL(fmt.Sprintf("https://a.test/%d", i)))
			hops[i] = enforce.Response{Status: 302}
		}
		hops[n-1].Status = 200
		return req, hops
	}
	// Twenty redirects are fine; the twenty-first is a network error.
	req, hops := chain(21)
	if v, _ := e.Decide(req, hops, nil); !v.Allows() {
		t.Errorf("21 URLs (20 redirects): %+v, want allowed", v)
	}
	req, hops = chain(22)
	v, _ := e.Decide(req, hops, nil)
	want := enforce.Verdict{Result: enforce.Blocked, Reason: enforce.ReasonTooManyRedirects, Step: enforce.StepRedirectCount, Hop: 20}
	if v != want {
		t.Errorf("22 URLs: %+v, want %+v", v, want)
	}
}

// TestMatrix checks every combination of embedder policy, report-only
// policy, CORP header, credentials mode and initiator relation for a
// single-hop no-cors request against expectations derived independently,
// in the shape of a decision table.
func TestMatrix(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	values := []fetchctx.EmbedderPolicyValue{fetchctx.UnsafeNone, fetchctx.RequireCORP, fetchctx.Credentialless}
	headers := []enforce.CORP{enforce.CORPNone, enforce.CORPSameOrigin, enforce.CORPSameSite, enforce.CORPCrossOrigin, enforce.CORPInvalid}
	creds := []fetchctx.Credentials{fetchctx.CredentialsSameOrigin, fetchctx.CredentialsOmit, fetchctx.CredentialsInclude}
	relations := []struct {
		name, page string
		sameOrigin bool
		sameSite   bool
	}{
		{"same-origin", "https://www.example.com", true, true},
		{"same-site", "https://app.example.com", false, true},
		{"cross-site", "https://app.example.net", false, false},
	}
	const target = "https://www.example.com/r"
	for _, ep := range values {
		for _, ro := range values {
			for _, h := range headers {
				for _, cr := range creds {
					for _, rel := range relations {
						name := fmt.Sprintf("coep=%v/ro=%v/corp=%v/creds=%v/%s", ep, ro, h, cr, rel.name)
						req := &fetchctx.Request{
							Origin:      origin.MustParse(rel.page),
							Destination: fetchctx.DestinationImage,
							Credentials: cr,
							Policy:      fetchctx.EmbedderPolicy{Value: ep, ReportOnlyValue: ro},
							URLs:        []fetchctx.URL{fetchctx.MustParseURL(target)},
						}
						v, reports := e.Decide(req, []enforce.Response{{Status: 200, CORP: h}}, nil)

						// The expectation, as a decision table.
						wantResult, wantReason := enforce.Allowed, enforce.ReasonNone
						var wantReports []enforce.Disposition
						switch {
						case rel.sameOrigin:
							// Basic tainting: never checked.
						case h == enforce.CORPSameOrigin:
							wantResult, wantReason = enforce.Blocked, enforce.ReasonCORPNotSameOrigin
						case h == enforce.CORPSameSite && !rel.sameSite:
							wantResult, wantReason = enforce.Blocked, enforce.ReasonCORPNotSameSite
						case h == enforce.CORPSameSite || h == enforce.CORPCrossOrigin:
							// A valid header that passes satisfies every COEP.
						default:
							// No usable header: each COEP value decides alone.
							// Credentials go out only with mode include, and
							// not under an enforced credentialless policy.
							withCreds := cr == fetchctx.CredentialsInclude && ep != fetchctx.Credentialless
							fails := func(v fetchctx.EmbedderPolicyValue) bool {
								return v == fetchctx.RequireCORP || v == fetchctx.Credentialless && withCreds
							}
							if fails(ro) {
								wantReports = append(wantReports, enforce.Reporting)
							}
							if fails(ep) {
								wantResult, wantReason = enforce.Blocked, enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP
								wantReports = append(wantReports, enforce.Enforce)
							}
						}
						var got []enforce.Disposition
						for _, r := range reports {
							got = append(got, r.Disposition)
							if r.Type != enforce.ReportCORP || r.BlockedURL != target || r.Destination != fetchctx.DestinationImage {
								t.Errorf("%s: bad report %+v", name, r)
							}
						}
						if v.Result != wantResult || v.Reason != wantReason || !cmp.Equal(got, wantReports) {
							t.Errorf("%s: got %v %q reports %v; want %v %q reports %v",
								name, v.Result, v.Reason, got, wantResult, wantReason, wantReports)
						}
					}
				}
			}
		}
	}
}

// The spec makes two origins on the same IP address, on different ports,
// schemelessly same site, so CORP same-site lets them through. Chromium
// compares IP hosts as never same site for CORP, and blocks this load. We
// follow the spec.
func TestSpecDiffersFromChromiumIPSameSite(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	req := &fetchctx.Request{
		Origin: origin.MustParse("http://192.0.2.1:8080"),
		URLs:   []fetchctx.URL{fetchctx.MustParseURL("http://192.0.2.1:9090/img.png")},
	}
	v, _ := e.Decide(req, []enforce.Response{{Status: 200, CORP: enforce.CORPSameSite}}, nil)
	if !v.Allows() {
		t.Errorf("spec: same IP, other port, CORP same-site: got %+v, want allowed (Chromium blocks)", v)
	}
}

func TestCheckHopSkipsNonHTTP(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	for _, u := range []string{"data:text/plain,hi", "blob:https://other.test/1", "about:blank"} {
		req := &fetchctx.Request{
			Origin: origin.MustParse("https://a.test"),
			Policy: fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP},
			URLs:   []fetchctx.URL{fetchctx.MustParseURL(u)},
		}
		if v, _ := e.Decide(req, []enforce.Response{{Status: 200}}, nil); !v.Allows() {
			t.Errorf("%s: %+v; scheme fetch runs no CORP check", u, v)
		}
	}
}

var sinkVerdict enforce.Verdict

func TestNoAllocs(t *testing.T) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	reports := make([]enforce.Report, 0, 4)
	cases := []struct {
		name string
		page string
		url  string
		corp enforce.CORP
		coep fetchctx.EmbedderPolicyValue
	}{
		{"same-origin", "https://www.example.com", "https://www.example.com/a.js", enforce.CORPNone, fetchctx.RequireCORP},
		{"cross-origin header", "https://app.example.net", "https://www.example.com/a.js", enforce.CORPCrossOrigin, fetchctx.RequireCORP},
		{"blocked with report", "https://app.example.net", "https://www.example.com/a.js", enforce.CORPNone, fetchctx.RequireCORP},
		{"same-site, same host", "http://www.example.com", "http://www.example.com:8080/a.js", enforce.CORPSameSite, fetchctx.UnsafeNone},
		// Different hosts ask the public suffix list, through the default
		// engine's site cache, which AllocsPerRun's first run warms.
		{"same-site, different hosts", "https://app.example.com", "https://www.example.com/a.js", enforce.CORPSameSite, fetchctx.RequireCORP},
		{"cross-site, common public suffix", "https://app.example.co.uk", "https://www.other.co.uk/a.js", enforce.CORPSameSite, fetchctx.UnsafeNone},
	}
	for _, c := range cases {
		req := &fetchctx.Request{
			Origin: origin.MustParse(c.page),
			Policy: fetchctx.EmbedderPolicy{Value: c.coep, ReportOnlyValue: c.coep},
			URLs:   []fetchctx.URL{fetchctx.MustParseURL(c.url)},
		}
		hops := []enforce.Response{{Status: 200, CORP: c.corp}}
		n := testing.AllocsPerRun(200, func() {
			sinkVerdict, _ = e.Decide(req, hops, reports[:0])
		})
		if n != 0 {
			t.Errorf("%s: %v allocations per decision, want 0", c.name, n)
		}
	}
}

// TestNoAllocsCORS checks the CORS check on pre-parsed values allocates
// nothing: Access-Control-Allow-Origin is compared with the request's
// origin without serializing it, with and without a port, with
// credentials, and after a redirect taints the origin ("null").
func TestNoAllocsCORS(t *testing.T) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORS})
	for _, c := range []struct {
		name, page, acao string
		urls             []string
		creds            fetchctx.Credentials
	}{
		{"origin", "https://app.example.com", "https://app.example.com", []string{"https://api.example.net/x"}, fetchctx.CredentialsSameOrigin},
		{"origin with a port", "http://app.example.com:8080", "http://app.example.com:8080", []string{"http://api.example.net/x"}, fetchctx.CredentialsSameOrigin},
		{"credentials", "https://app.example.com", "https://app.example.com", []string{"https://api.example.net/x"}, fetchctx.CredentialsInclude},
		{"redirect-tainted", "https://app.example.com", "null", []string{"https://a.example.net/r", "https://b.example.org/x"}, fetchctx.CredentialsSameOrigin},
	} {
		req := &fetchctx.Request{Origin: origin.MustParse(c.page), Mode: fetchctx.ModeCORS, Credentials: c.creds}
		h := http.Header{"Access-Control-Allow-Origin": {c.acao}, "Access-Control-Allow-Credentials": {"true"}}
		var hops []enforce.Response
		for i, u := range c.urls {
			req.URLs = append(req.URLs, fetchctx.MustParseURL(u))
			r := enforce.Response{Status: 200, Header: h}
			if i+1 < len(c.urls) {
				// The redirect itself is checked against the origin
				// before the redirect taints it.
				r = enforce.Response{Status: 302, Header: http.Header{"Location": {c.urls[i+1]},
					"Access-Control-Allow-Origin": {c.page}, "Access-Control-Allow-Credentials": {"true"}}}
			}
			hops = append(hops, r)
		}
		if v, _ := e.Decide(req, hops, nil); !v.Allows() {
			t.Fatalf("%s: %s, want allowed", c.name, v.Reason)
		}
		if n := testing.AllocsPerRun(200, func() { sinkVerdict, _ = e.Decide(req, hops, nil) }); n != 0 {
			t.Errorf("%s: %v allocations per decision, want 0", c.name, n)
		}
	}
}

// BenchmarkDecide is the CORP and COEP decision on pre-parsed values: a
// no-cors script load from a page of each relation, under a report-only
// require-corp policy, answering Cross-Origin-Resource-Policy: same-site
// (decided at the check's step 3), and, "cross-site/no-header", answering
// without the header, which the report-only policy defaults to same-origin
// at step 4 and reports.
func BenchmarkDecide(b *testing.B) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	for _, c := range []struct {
		name, page string
		corp       enforce.CORP
		reports    int
	}{
		{"same-origin", "https://cdn.example.com", enforce.CORPSameSite, 0},
		{"same-site", "https://app.example.com", enforce.CORPSameSite, 0},
		{"cross-site", "https://app.anothersite.com", enforce.CORPSameSite, 0},
		{"cross-site/no-header", "https://app.anothersite.com", enforce.CORPNone, 1},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := &fetchctx.Request{
				Origin:      origin.MustParse(c.page),
				Destination: fetchctx.DestinationScript,
				Policy:      fetchctx.EmbedderPolicy{ReportOnlyValue: fetchctx.RequireCORP},
				URLs:        []fetchctx.URL{fetchctx.MustParseURL("https://cdn.example.com/user/profile.js")},
			}
			hops := []enforce.Response{{Status: 200, CORP: c.corp}}
			reports := make([]enforce.Report, 0, 4)
			if _, r := e.Decide(req, hops, reports[:0]); len(r) != c.reports {
				b.Fatalf("%d reports, want %d", len(r), c.reports)
			}
			b.ReportAllocs()
			for b.Loop() {
				sinkVerdict, _ = e.Decide(req, hops, reports[:0])
			}
		})
	}
}

// Two different hosts that both lack a registrable domain (here a private
// public suffix and an unlisted single label) are not same site by the spec.
// Chromium's CORP code compares their registrable domains as strings, both
// empty, and allows this load: the Chromium profile does too.
func TestSpecDiffersFromChromiumNoRegistrableDomain(t *testing.T) {
	t.Parallel()
	req := &fetchctx.Request{
		Origin: origin.MustParse("https://github.io"),
		URLs:   []fetchctx.URL{fetchctx.MustParseURL("https://localhost/img.png")},
	}
	hops := []enforce.Response{{Status: 200, CORP: enforce.CORPSameSite}}
	spec := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	if v, _ := spec.Decide(req, hops, nil); v.Result != enforce.Blocked || v.Reason != enforce.ReasonCORPNotSameSite {
		t.Errorf("spec: github.io -> localhost, CORP same-site: got %+v, want blocked corp-not-same-site", v)
	}
	chromium := enforce.New(enforce.Config{Checks: enforce.CheckCORP, Profile: enforce.ProfileChromium})
	if v, _ := chromium.Decide(req, hops, nil); !v.Allows() {
		t.Errorf("chromium profile: github.io -> localhost, CORP same-site: got %+v, want allowed", v)
	}
	// One registrable domain and none are different strings to Chromium
	// too.
	req.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://a.github.io/img.png")}
	if v, _ := chromium.Decide(req, hops, nil); v.Reason != enforce.ReasonCORPNotSameSite {
		t.Errorf("chromium profile: github.io -> a.github.io, CORP same-site: got %+v, want blocked corp-not-same-site", v)
	}
}

// A Verdict stays within what the compiler keeps in registers (at most four
// fields, 32 bytes on 64-bit machines): returned through the decision's
// layers, a larger one is copied through memory at every return.
func TestVerdictFitsInRegisters(t *testing.T) {
	typ := reflect.TypeFor[enforce.Verdict]()
	if n, size := typ.NumField(), typ.Size(); n > 4 || size > 4*unsafe.Sizeof(uintptr(0)) {
		t.Errorf("enforce.Verdict has %d fields, %d bytes: want at most 4 fields and 4 words", n, size)
	}
}

// Need follows from the step an Undecided verdict waits at.
func TestVerdictNeed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    enforce.Verdict
		want int
	}{
		{enforce.Verdict{Result: enforce.Undecided, Reason: enforce.ReasonNeedBody, Step: enforce.StepORBSniff}, enforce.SniffLen},
		{enforce.Verdict{Result: enforce.Undecided, Reason: enforce.ReasonNeedBody, Step: enforce.StepORBNotJavaScript}, enforce.WholeBody},
		{enforce.Verdict{Result: enforce.Blocked, Reason: enforce.ReasonBlockedByORB, Step: enforce.StepORBNotJavaScript}, 0},
		{enforce.Verdict{Result: enforce.Allowed}, 0},
		{enforce.Verdict{}, 0},
	} {
		if got := tc.v.Need(); got != tc.want {
			t.Errorf("%+v.Need() = %d, want %d", tc.v, got, tc.want)
		}
	}
}

// Fetch, cross-origin resource policy internal check, step 6: a same-site
// policy lets an http initiator through only when the response's URL's
// scheme is not https. The URL's own scheme counts, not its origin's: a
// blob: URL whose origin is https is not an https URL. (No real blob
// response carries the header; the case pins the reading.)
func TestCORPSameSiteReadsTheURLScheme(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	for _, tc := range []struct {
		url  string
		want enforce.Result
	}{
		{"https://app.example.com/frame", enforce.Blocked},
		{"blob:https://app.example.com/0b1c2d3e", enforce.Allowed},
		{"http://app.example.com/frame", enforce.Allowed},
	} {
		req := &fetchctx.Request{
			Origin:      origin.MustParse("http://app.example.com"),
			Mode:        fetchctx.ModeNavigate,
			Destination: fetchctx.DestinationIFrame,
			Policy:      fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP},
			URLs:        []fetchctx.URL{fetchctx.MustParseURL(tc.url)},
		}
		v, _ := e.CheckHop(req, 0, &enforce.Response{Status: 200, CORP: enforce.CORPSameSite}, nil)
		if v.Result != tc.want {
			t.Errorf("%s, CORP same-site, from http://app.example.com: %+v, want %v", tc.url, v, tc.want)
		}
	}
}

// Main fetch's request-side checks (step 7: mixed content) come before
// HTTP fetch's CORS preflight (step 4.1): a blocked request is blocked as
// such, not for want of a preflight answer it would never have asked for.
func TestRequestGatesBeforePreflight(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{})
	req := &fetchctx.Request{
		Origin: origin.MustParse("https://app.example.com"),
		Mode:   fetchctx.ModeCORS,
		Method: http.MethodPut, // needs a preflight
		URLs:   []fetchctx.URL{fetchctx.MustParseURL("http://api.example.com/x")},
	}
	if !e.NeedsPreflight(req, 0) {
		t.Fatal("a cross-origin PUT should need a preflight")
	}
	v, _ := e.Decide(req, []enforce.Response{{Status: 200}}, nil)
	if v.Reason != enforce.ReasonMixedContent || v.Step != enforce.StepMixedContent {
		t.Errorf("an http PUT from an https page, no preflight answer: %+v, want blocked as mixed content", v)
	}
}
