package enforce_test

import (
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// TestChromiumProfileGateOrder pins the reasons where the Chromium profile
// orders the request gates as Chromium 156 does (browser-diff) and the
// spec profile as Fetch does: mixed content before a bad port (Blink's
// mixed content checker runs before the network stack's port check), a
// CORS redirect to a URL with credentials refused by the CORS check
// before Blink's credentialed-subresource rule, and Chromium's shorter
// list of restricted ports.
func TestChromiumProfileGateOrder(t *testing.T) {
	t.Parallel()
	type want struct{ spec, chromium enforce.Reason }
	for _, c := range []struct {
		name string
		req  fetchctx.Request
		hops []enforce.Response
		want want
	}{
		{
			name: "https page, redirect to http on port 25",
			req: fetchctx.Request{Origin: origin.MustParse("https://page.test"), Mode: fetchctx.ModeNoCORS,
				URLs: []fetchctx.URL{fetchctx.MustParseURL("https://a.test/start"), fetchctx.MustParseURL("http://b.test:25/smtp")}},
			hops: []enforce.Response{redirectTo(t, "http://b.test:25/smtp"), {Status: 200}},
			want: want{enforce.ReasonBadPort, enforce.ReasonMixedContent},
		},
		{
			name: "cors redirect to a URL with credentials",
			req: fetchctx.Request{Origin: origin.MustParse("https://a.test"), Mode: fetchctx.ModeCORS,
				URLs: []fetchctx.URL{fetchctx.MustParseURL("https://b.test/r"), fetchctx.MustParseURL("https://user:pass@c.test/final")}},
			hops: []enforce.Response{redirectTo(t, "https://user:pass@c.test/final"), {Status: 200}},
			want: want{enforce.ReasonCORSRedirectContainsCredentials, enforce.ReasonCORSRedirectContainsCredentials},
		},
		{
			name: "no-cors image URL with credentials",
			req: fetchctx.Request{Origin: origin.MustParse("https://a.test"), Mode: fetchctx.ModeNoCORS, Destination: fetchctx.DestinationImage,
				URLs: []fetchctx.URL{fetchctx.MustParseURL("https://user:pass@c.test/a.png")}},
			hops: []enforce.Response{{Status: 200}},
			want: want{enforce.ReasonNone, enforce.ReasonURLCredentials},
		},
		{
			name: "port 4190",
			req: fetchctx.Request{Origin: origin.MustParse("http://page.test"), Mode: fetchctx.ModeNoCORS,
				URLs: []fetchctx.URL{fetchctx.MustParseURL("http://bad-port.test:4190/x")}},
			hops: []enforce.Response{{Status: 200}},
			want: want{enforce.ReasonBadPort, enforce.ReasonNone},
		},
		{
			name: "port 6679",
			req: fetchctx.Request{Origin: origin.MustParse("http://page.test"), Mode: fetchctx.ModeNoCORS,
				URLs: []fetchctx.URL{fetchctx.MustParseURL("http://bad-port.test:6679/x")}},
			hops: []enforce.Response{{Status: 200}},
			want: want{enforce.ReasonBadPort, enforce.ReasonNone},
		},
	} {
		for _, p := range []struct {
			profile enforce.Profile
			want    enforce.Reason
		}{{enforce.ProfileSpec, c.want.spec}, {enforce.ProfileChromium, c.want.chromium}} {
			e := enforce.New(enforce.Config{Checks: enforce.AllChecks &^ (enforce.CheckLocalNetwork | enforce.CheckORB), Profile: p.profile})
			v, _ := e.Decide(&c.req, c.hops, nil)
			if v.Reason != p.want {
				t.Errorf("%s, %s profile: %s (%s), want %s", c.name, p.profile, v.Reason, v.Result, p.want)
			}
		}
	}
}

// redirectTo is a 302 response to location, which any origin may read.
func redirectTo(t *testing.T, location string) enforce.Response {
	t.Helper()
	r, err := enforce.ParseResponse(302, map[string][]string{"Location": {location}, "Access-Control-Allow-Origin": {"*"}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
