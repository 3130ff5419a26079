package fetchctx_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
	"github.com/xorigin/xorigin/site"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		raw       string
		scheme    string
		origin    string // serialized; "null" for opaque
		isHTTP    bool
		reporting string
	}{
		{"credentials and fragment dropped, query kept", "https://user:pass@example.com:443/p/../a?q=1#frag", "https", "https://example.com", true, "https://example.com/a?q=1"},
		{"case and empty path", "HTTP://EXAMPLE.com", "http", "http://example.com", true, "http://example.com/"},
		{"port kept", "https://[::1]:8080/x", "https", "https://[::1]:8080", true, "https://[::1]:8080/x"},
		{"percent-encoding", "https://example.com/a b?c d", "https", "https://example.com", true, "https://example.com/a%20b?c%20d"},
		{"idn host", "https://пример.рф/", "https", "https://xn--e1afmkfd.xn--p1ai", true, "https://xn--e1afmkfd.xn--p1ai/"},
		{"data", "data:text/plain,hi#x", "data", "null", false, "data:text/plain,hi"},
		{"blob", "blob:https://example.com/uuid", "blob", "https://example.com", false, "blob:https://example.com/uuid"},
		{"about", "about:blank", "about", "null", false, "about:blank"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, err := fetchctx.ParseURL(tc.raw)
			if err != nil {
				t.Fatalf("ParseURL(%q): %v", tc.raw, err)
			}
			got := []any{u.String(), u.Scheme(), u.Origin().String(), u.IsHTTP(), u.ForReporting()}
			want := []any{tc.raw, tc.scheme, tc.origin, tc.isHTTP, tc.reporting}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("String, Scheme, Origin, IsHTTP, ForReporting (-want +got):\n%s", diff)
			}
			if m := fetchctx.MustParseURL(tc.raw); m.ForReporting() != u.ForReporting() || m.String() != u.String() {
				t.Errorf("MustParseURL(%q) differs from ParseURL", tc.raw)
			}
		})
	}
}

func TestParseURLErrors(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"", "/relative", "example.com/x", "https://ex ample.com/", "https://example.com:99999/", "https://"} {
		u, err := fetchctx.ParseURL(raw)
		var pe *origin.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("ParseURL(%q) = %v, %v; want an *origin.ParseError", raw, u, err)
			continue
		}
		if u != (fetchctx.URL{}) {
			t.Errorf("ParseURL(%q) returned %v with an error", raw, u)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("MustParseURL(%q) did not panic", raw)
				}
			}()
			fetchctx.MustParseURL(raw)
		}()
	}
}

// Origins and URLs of the request tests: a is the request's origin.
const (
	a      = "https://a.example/x"
	a2     = "https://a.example/y"
	aPort  = "https://a.example:8443/x"
	aHTTP  = "http://a.example/x"
	aSub   = "https://www.a.example/x" // same site as a, another origin
	b      = "https://b.example/x"
	c      = "https://c.example/x"
	data   = "data:text/plain,x"
	origA  = "https://a.example"
	origB  = "https://b.example"
	opaque = "null"
)

func urls(raws ...string) []fetchctx.URL {
	out := make([]fetchctx.URL, len(raws))
	for i, r := range raws {
		out[i] = fetchctx.MustParseURL(r)
	}
	return out
}

type hop struct {
	t  fetchctx.Tainting
	ok bool
}

var (
	basic    = hop{fetchctx.TaintingBasic, true}
	cors     = hop{fetchctx.TaintingCORS, true}
	opq      = hop{fetchctx.TaintingOpaque, true}
	netErr   = hop{fetchctx.TaintingBasic, false}
	allModes = []fetchctx.Mode{fetchctx.ModeNoCORS, fetchctx.ModeCORS, fetchctx.ModeSameOrigin, fetchctx.ModeNavigate}
)

func TestTainting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mode   fetchctx.Mode
		origin string
		urls   []string
		want   []hop
	}{
		{"no-cors/same origin", fetchctx.ModeNoCORS, origA, []string{a}, []hop{basic}},
		{"no-cors/same origin redirects", fetchctx.ModeNoCORS, origA, []string{a, a2, a}, []hop{basic, basic, basic}},
		{"no-cors/cross origin", fetchctx.ModeNoCORS, origA, []string{b}, []hop{opq}},
		{"no-cors/other port", fetchctx.ModeNoCORS, origA, []string{aPort}, []hop{opq}},
		{"no-cors/other scheme", fetchctx.ModeNoCORS, origA, []string{aHTTP}, []hop{opq}},
		{"no-cors/same site", fetchctx.ModeNoCORS, origA, []string{aSub}, []hop{opq}},
		{"no-cors/opaque after the first cross-origin hop, even back home", fetchctx.ModeNoCORS, origA, []string{a, b, a, a2}, []hop{basic, opq, opq, opq}},
		{"no-cors/cross origin to same origin", fetchctx.ModeNoCORS, origA, []string{b, a}, []hop{opq, opq}},
		{"no-cors/opaque request origin", fetchctx.ModeNoCORS, opaque, []string{a}, []hop{opq}},
		{"no-cors/data URL", fetchctx.ModeNoCORS, origA, []string{data}, []hop{basic}},
		{"cors/same origin", fetchctx.ModeCORS, origA, []string{a}, []hop{basic}},
		{"cors/cross origin", fetchctx.ModeCORS, origA, []string{b}, []hop{cors}},
		{"cors/cors after the first cross-origin hop, even back home", fetchctx.ModeCORS, origA, []string{a, b, a}, []hop{basic, cors, cors}},
		{"cors/data URL", fetchctx.ModeCORS, origA, []string{data}, []hop{basic}},
		{"same-origin/same origin", fetchctx.ModeSameOrigin, origA, []string{a, a2}, []hop{basic, basic}},
		{"same-origin/cross-origin hop is a network error", fetchctx.ModeSameOrigin, origA, []string{a, b}, []hop{basic, netErr}},
		{"same-origin/cross origin", fetchctx.ModeSameOrigin, origA, []string{b}, []hop{netErr}},
		{"same-origin/data URL", fetchctx.ModeSameOrigin, origA, []string{data}, []hop{basic}},
		{"navigate/always basic", fetchctx.ModeNavigate, origA, []string{b, a, c}, []hop{basic, basic, basic}},
		{"navigate/opaque request origin", fetchctx.ModeNavigate, opaque, []string{b}, []hop{basic}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &fetchctx.Request{Origin: origin.MustParse(tc.origin), Mode: tc.mode, URLs: urls(tc.urls...)}
			var got []hop
			for i := range r.URLs {
				tt, ok := r.Tainting(i)
				got = append(got, hop{tt, ok})
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(hop{})); diff != "" {
				t.Errorf("Tainting per hop (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRedirectTainted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		origin string
		urls   []string
		want   []bool
	}{
		{"one URL", origA, []string{a}, []bool{false}},
		{"one cross-origin URL", origA, []string{b}, []bool{false}},
		{"same origin redirect", origA, []string{a, a2}, []bool{false, false}},
		{"redirect away from the request's origin", origA, []string{a, b}, []bool{false, false}},
		{"redirect back home through another origin", origA, []string{a, b, a}, []bool{false, false, true}},
		{"second cross-origin redirect", origA, []string{a, b, c}, []bool{false, false, true}},
		{"cross origin, then same origin with that", origA, []string{b, b}, []bool{false, false}},
		{"cross origin to the request's origin", origA, []string{b, a}, []bool{false, true}},
		{"same site other origin", origA, []string{aSub, a}, []bool{false, true}},
		{"stays tainted", origA, []string{b, a, a2}, []bool{false, true, true}},
		{"home twice, then away", origA, []string{a, a2, b, b}, []bool{false, false, false, false}},
		{"opaque request origin", opaque, []string{b, b, c}, []bool{false, false, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &fetchctx.Request{Origin: origin.MustParse(tc.origin), URLs: urls(tc.urls...)}
			var got []bool
			for i := range r.URLs {
				got = append(got, r.RedirectTainted(i))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("RedirectTainted per hop (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	const (
		sameOrigin = fetchctx.CredentialsSameOrigin
		omit       = fetchctx.CredentialsOmit
		include    = fetchctx.CredentialsInclude
	)
	cl := fetchctx.EmbedderPolicy{Value: fetchctx.Credentialless}
	rc := fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP}
	clReportOnly := fetchctx.EmbedderPolicy{ReportOnlyValue: fetchctx.Credentialless}
	tests := []struct {
		name        string
		mode        fetchctx.Mode
		creds       fetchctx.Credentials
		policy      fetchctx.EmbedderPolicy
		urls        []string
		coepAllows  []bool
		includesCrd []bool
	}{
		{"no-cors/same-origin creds/same origin", fetchctx.ModeNoCORS, sameOrigin, fetchctx.EmbedderPolicy{}, []string{a}, []bool{true}, []bool{true}},
		{"no-cors/same-origin creds/cross origin", fetchctx.ModeNoCORS, sameOrigin, fetchctx.EmbedderPolicy{}, []string{b}, []bool{true}, []bool{false}},
		{"no-cors/include/cross origin", fetchctx.ModeNoCORS, include, fetchctx.EmbedderPolicy{}, []string{b}, []bool{true}, []bool{true}},
		{"no-cors/omit/same origin", fetchctx.ModeNoCORS, omit, fetchctx.EmbedderPolicy{}, []string{a}, []bool{true}, []bool{false}},
		{"no-cors/include/require-corp/cross origin", fetchctx.ModeNoCORS, include, rc, []string{b}, []bool{true}, []bool{true}},
		{"no-cors/include/credentialless/cross origin", fetchctx.ModeNoCORS, include, cl, []string{b}, []bool{false}, []bool{false}},
		{"no-cors/include/credentialless/same origin", fetchctx.ModeNoCORS, include, cl, []string{a, a2}, []bool{true, true}, []bool{true, true}},
		{"no-cors/same-origin creds/credentialless/same origin", fetchctx.ModeNoCORS, sameOrigin, cl, []string{a}, []bool{true}, []bool{true}},
		{"no-cors/include/credentialless/same site", fetchctx.ModeNoCORS, include, cl, []string{aSub}, []bool{false}, []bool{false}},
		{"no-cors/include/credentialless/back home through another origin", fetchctx.ModeNoCORS, include, cl, []string{a, b, a}, []bool{true, false, false}, []bool{true, false, false}},
		{"no-cors/include/credentialless/cross origin to home", fetchctx.ModeNoCORS, include, cl, []string{b, a}, []bool{false, false}, []bool{false, false}},
		{"no-cors/include/credentialless report-only/cross origin", fetchctx.ModeNoCORS, include, clReportOnly, []string{b}, []bool{true}, []bool{true}},
		{"cors/include/credentialless/cross origin", fetchctx.ModeCORS, include, cl, []string{b}, []bool{true}, []bool{true}},
		{"cors/same-origin creds/cross origin", fetchctx.ModeCORS, sameOrigin, fetchctx.EmbedderPolicy{}, []string{b}, []bool{true}, []bool{false}},
		{"cors/same-origin creds/back home", fetchctx.ModeCORS, sameOrigin, fetchctx.EmbedderPolicy{}, []string{a, b, a}, []bool{true, true, true}, []bool{true, false, false}},
		{"navigate/same-origin creds/cross origin", fetchctx.ModeNavigate, sameOrigin, cl, []string{b, c}, []bool{true, true}, []bool{true, true}},
		{"navigate/omit", fetchctx.ModeNavigate, omit, fetchctx.EmbedderPolicy{}, []string{a}, []bool{true}, []bool{false}},
		{"same-origin/same-origin creds", fetchctx.ModeSameOrigin, sameOrigin, cl, []string{a}, []bool{true}, []bool{true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &fetchctx.Request{Origin: origin.MustParse(origA), Mode: tc.mode, Credentials: tc.creds, Policy: tc.policy, URLs: urls(tc.urls...)}
			var allows, includes []bool
			for i := range r.URLs {
				allows = append(allows, r.COEPAllowsCredentials(i))
				includes = append(includes, r.IncludesCredentials(i))
			}
			if diff := cmp.Diff(tc.coepAllows, allows); diff != "" {
				t.Errorf("COEPAllowsCredentials per hop (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.includesCrd, includes); diff != "" {
				t.Errorf("IncludesCredentials per hop (-want +got):\n%s", diff)
			}
		})
	}
}

// The functions below restate Fetch's algorithms step by step, as oracles
// for TestDerivationsMatchFetch.

// specTaintings runs main fetch's choice of response tainting on each URL
// of the list in turn; ok is false from the first network error on.
func specTaintings(r *fetchctx.Request) []hop {
	var out []hop
	t := fetchctx.TaintingBasic // request's response tainting starts "basic"
	for _, u := range r.URLs {
		switch {
		case u.Origin().SameOrigin(r.Origin) && t == fetchctx.TaintingBasic,
			u.Scheme() == "data",
			r.Mode == fetchctx.ModeNavigate:
			t = fetchctx.TaintingBasic
		case r.Mode == fetchctx.ModeSameOrigin:
			return append(out, hop{fetchctx.TaintingBasic, false})
		case r.Mode == fetchctx.ModeNoCORS:
			t = fetchctx.TaintingOpaque
		default:
			t = fetchctx.TaintingCORS
		}
		out = append(out, hop{t, true})
	}
	return out
}

// specRedirectTaint is Fetch's "compute the redirect-taint" over list.
func specRedirectTaint(reqOrigin origin.Origin, list []fetchctx.URL) string {
	var last *fetchctx.URL
	taint := "same-origin"
	for i := range list {
		u := &list[i]
		if last == nil {
			last = u
			continue
		}
		if !site.SameSite(u.Origin(), last.Origin()) && !site.SameSite(reqOrigin, last.Origin()) {
			return "cross-site"
		}
		if !u.Origin().SameOrigin(last.Origin()) && !reqOrigin.SameOrigin(last.Origin()) {
			taint = "same-site"
		}
		last = u
	}
	return taint
}

// specCOEPAllowsCredentials is Fetch's "Cross-Origin-Embedder-Policy allows
// credentials" for the request at URL i. Step 5 is read as the package reads
// it (see COEPAllowsCredentials): a same-origin request whose redirect-taint
// IS "same-origin" keeps its credentials. The spec text at fetch commit
// 586cd2a says "is not", which would take them from every plain
// same-origin request under credentialless.
func specCOEPAllowsCredentials(r *fetchctx.Request, i int) bool {
	if r.Mode != fetchctx.ModeNoCORS { // step 2
		return true
	}
	// Step 3: a Request always has a client.
	if r.Policy.Value != fetchctx.Credentialless { // step 4: the enforced value only
		return true
	}
	if r.Origin.SameOrigin(r.URLs[i].Origin()) && specRedirectTaint(r.Origin, r.URLs[:i+1]) == "same-origin" { // step 5
		return true
	}
	return false // step 6
}

// specIncludeCredentials is HTTP-network-or-cache fetch's includeCredentials.
func specIncludeCredentials(r *fetchctx.Request, i int, t fetchctx.Tainting) bool {
	include := r.Credentials == fetchctx.CredentialsInclude ||
		r.Credentials == fetchctx.CredentialsSameOrigin && t == fetchctx.TaintingBasic
	if !specCOEPAllowsCredentials(r, i) {
		include = false
	}
	return include
}

// TestDerivationsMatchFetch compares Tainting, RedirectTainted,
// COEPAllowsCredentials and IncludesCredentials with the oracles above on
// every mode × credentials mode × enforced and report-only COEP value ×
// request origin × URL list of up to three URLs from a set of origins (same,
// other port, other scheme, same site, cross site), plus data: URLs.
func TestDerivationsMatchFetch(t *testing.T) {
	t.Parallel()
	pool := []string{a, aPort, aHTTP, aSub, b}
	var lists [][]string
	for _, x := range pool {
		lists = append(lists, []string{x})
		for _, y := range pool {
			lists = append(lists, []string{x, y})
			for _, z := range pool {
				lists = append(lists, []string{x, y, z})
			}
		}
	}
	lists = append(lists, []string{data})
	values := []fetchctx.EmbedderPolicyValue{fetchctx.UnsafeNone, fetchctx.RequireCORP, fetchctx.Credentialless}
	creds := []fetchctx.Credentials{fetchctx.CredentialsSameOrigin, fetchctx.CredentialsOmit, fetchctx.CredentialsInclude}
	checked := 0
	for _, reqOrigin := range []origin.Origin{origin.MustParse(origA), origin.MustParse(origB), origin.NewOpaque()} {
		for _, list := range lists {
			u := urls(list...)
			for _, mode := range allModes {
				for _, cr := range creds {
					for _, v := range values {
						for _, ro := range values {
							r := &fetchctx.Request{Origin: reqOrigin, Mode: mode, Credentials: cr,
								Policy: fetchctx.EmbedderPolicy{Value: v, ReportOnlyValue: ro}, URLs: u}
							desc := fmt.Sprintf("origin %v, mode %v, credentials %v, COEP %v (report-only %v), URLs %v", reqOrigin, mode, cr, v, ro, list)
							for i, want := range specTaintings(r) {
								checked++
								gotT, gotOK := r.Tainting(i)
								if gotOK != want.ok || want.ok && gotT != want.t {
									t.Fatalf("%s: Tainting(%d) = %v, %v; want %v, %v", desc, i, gotT, gotOK, want.t, want.ok)
								}
								if got, want := r.RedirectTainted(i), specRedirectTaint(reqOrigin, u[:i+1]) != "same-origin"; got != want {
									t.Fatalf("%s: RedirectTainted(%d) = %v, want %v", desc, i, got, want)
								}
								if !want.ok {
									break // no request goes out
								}
								if got, want := r.COEPAllowsCredentials(i), specCOEPAllowsCredentials(r, i); got != want {
									t.Fatalf("%s: COEPAllowsCredentials(%d) = %v, want %v", desc, i, got, want)
								}
								if got, want := r.IncludesCredentials(i), specIncludeCredentials(r, i, want.t); got != want {
									t.Fatalf("%s: IncludesCredentials(%d) = %v, want %v", desc, i, got, want)
								}
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d hops checked", checked)
}

func TestIsNestedNavigation(t *testing.T) {
	t.Parallel()
	nested := map[fetchctx.Destination]bool{
		fetchctx.DestinationIFrame: true, fetchctx.DestinationFrame: true,
		fetchctx.DestinationEmbed: true, fetchctx.DestinationObject: true,
	}
	for _, mode := range allModes {
		for d := fetchctx.Destination(0); !strings.HasPrefix(d.String(), "Destination("); d++ {
			r := &fetchctx.Request{Mode: mode, Destination: d}
			want := mode == fetchctx.ModeNavigate && nested[d]
			if got := r.IsNestedNavigation(); got != want {
				t.Errorf("mode %v, destination %q: IsNestedNavigation() = %v, want %v", mode, d, got, want)
			}
		}
	}
}

func TestContext(t *testing.T) {
	t.Parallel()
	if r, ok := fetchctx.FromContext(context.Background()); ok || r != nil {
		t.Errorf("FromContext(Background) = %v, %v; want nil, false", r, ok)
	}
	if r, ok := fetchctx.FromContext(fetchctx.NewContext(context.Background(), nil)); ok || r != nil {
		t.Errorf("FromContext of a nil *Request = %v, %v; want nil, false", r, ok)
	}
	type otherKey struct{}
	ctx := context.WithValue(context.Background(), otherKey{}, &fetchctx.Request{})
	if r, ok := fetchctx.FromContext(ctx); ok || r != nil {
		t.Errorf("FromContext read another package's key: %v, %v", r, ok)
	}
	r1 := &fetchctx.Request{Origin: origin.MustParse(origA)}
	r2 := &fetchctx.Request{Origin: origin.MustParse(origB)}
	ctx1 := fetchctx.NewContext(context.Background(), r1)
	ctx2 := fetchctx.NewContext(ctx1, r2)
	if got, ok := fetchctx.FromContext(ctx1); !ok || got != r1 {
		t.Errorf("FromContext(ctx1) = %p, %v; want %p, true", got, ok, r1)
	}
	if got, ok := fetchctx.FromContext(ctx2); !ok || got != r2 {
		t.Errorf("FromContext(ctx2) = %p, %v; want the innermost %p, true", got, ok, r2)
	}
	cctx, cancel := context.WithCancel(ctx1)
	cancel()
	if got, ok := fetchctx.FromContext(cctx); !ok || got != r1 {
		t.Errorf("FromContext(derived context) = %p, %v; want %p, true", got, ok, r1)
	}
}

var (
	sinkBool     bool
	sinkTainting fetchctx.Tainting
	sinkRequest  *fetchctx.Request
	sinkPolicy   fetchctx.EmbedderPolicy
	sinkErr      error
)

// TestNoAllocs checks that the derivations a decision makes per hop, and
// reading the Request from a context, allocate nothing. Not parallel:
// AllocsPerRun must not run in parallel tests.
func TestNoAllocs(t *testing.T) {
	r := &fetchctx.Request{
		Origin:      origin.MustParse(origA),
		Mode:        fetchctx.ModeNoCORS,
		Credentials: fetchctx.CredentialsInclude,
		Policy:      fetchctx.EmbedderPolicy{Value: fetchctx.Credentialless},
		URLs:        urls(a, b, aSub, a),
	}
	ctx := fetchctx.NewContext(context.Background(), r)
	last := len(r.URLs) - 1
	coep := []string{"require-corp"}
	tests := []struct {
		name string
		f    func()
	}{
		{"Tainting", func() { sinkTainting, sinkBool = r.Tainting(last) }},
		{"RedirectTainted", func() { sinkBool = r.RedirectTainted(last) }},
		{"COEPAllowsCredentials", func() { sinkBool = r.COEPAllowsCredentials(last) }},
		{"IncludesCredentials", func() { sinkBool = r.IncludesCredentials(last) }},
		{"IsNestedNavigation", func() { sinkBool = r.IsNestedNavigation() }},
		{"FromContext", func() { sinkRequest, sinkBool = fetchctx.FromContext(ctx) }},
		{"ParseEmbedderPolicy/token", func() { sinkPolicy, sinkErr = fetchctx.ParseEmbedderPolicy(coep, nil) }},
	}
	for _, tc := range tests {
		if n := testing.AllocsPerRun(1000, tc.f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", tc.name, n)
		}
	}
}

func BenchmarkIncludesCredentials(bb *testing.B) {
	r := &fetchctx.Request{
		Origin:      origin.MustParse(origA),
		Credentials: fetchctx.CredentialsInclude,
		Policy:      fetchctx.EmbedderPolicy{Value: fetchctx.Credentialless},
	}
	for _, n := range []int{1, 4, 21} {
		list := make([]string, n)
		for i := range list {
			list[i] = []string{a, b}[i%2]
		}
		r := *r
		r.URLs = urls(list...)
		bb.Run(fmt.Sprintf("%d URLs", n), func(bb *testing.B) {
			bb.ReportAllocs()
			for bb.Loop() {
				sinkBool = r.IncludesCredentials(n - 1)
			}
		})
	}
}

// TestIsForbiddenRequestHeader: Fetch's forbidden request-header names, in
// any case, and the Proxy- and Sec- prefixes; others are the page's.
func TestIsForbiddenRequestHeader(t *testing.T) {
	for name, want := range map[string]bool{
		"Cookie": true, "cookie": true, "Host": true, "Origin": true, "Referer": true, "Sec-Fetch-Site": true,
		"sec-ch-ua": true, "Proxy-Authorization": true, "Content-Length": true, "Keep-Alive": true,
		"Authorization": false, "Content-Type": false, "X-Token": false, "Accept": false, "User-Agent": false,
	} {
		if got := fetchctx.IsForbiddenRequestHeader(name); got != want {
			t.Errorf("IsForbiddenRequestHeader(%q) = %v, want %v", name, got, want)
		}
	}
}
