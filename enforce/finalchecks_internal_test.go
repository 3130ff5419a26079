package enforce

import (
	"net/http"
	"testing"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// TestHasFinalChecksCoversCheckFinal holds the decision's shortcut to
// checkFinal's gates: under every set of checks, on responses that trip
// each of them (the MIME type gate, nosniff, integrity, and a nested
// navigation's embedder policy, enforced and report-only), whenever
// checkFinal blocks or reports, hasFinalChecks said it had something to
// run. A gate added to checkFinal under a check hasFinalChecks does not
// list fails here once a case below trips it.
func TestHasFinalChecksCoversCheckFinal(t *testing.T) {
	page := origin.MustParse("https://app.example")
	url := []fetchctx.URL{fetchctx.MustParseURL("https://cdn.example/x")}
	parse := func(body string, kv ...string) *Response {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Add(kv[i], kv[i+1])
		}
		r, _ := ParseResponse(200, h)
		r.Body, r.BodyComplete = []byte(body), true
		return &r
	}
	cases := []struct {
		name string
		req  fetchctx.Request
		resp *Response
	}{
		{"script as an image", fetchctx.Request{Destination: fetchctx.DestinationScript, Mode: fetchctx.ModeCORS},
			parse("x", "Content-Type", "image/png")},
		{"style, nosniff, text/plain", fetchctx.Request{Destination: fetchctx.DestinationStyle, Mode: fetchctx.ModeCORS},
			parse("x", "Content-Type", "text/plain", "X-Content-Type-Options", "nosniff")},
		{"integrity mismatch", fetchctx.Request{Destination: fetchctx.DestinationScript, Mode: fetchctx.ModeCORS,
			Integrity: fetchctx.ParseIntegrity("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")},
			parse("not empty", "Content-Type", "text/javascript")},
		{"nested navigation without COEP under require-corp", fetchctx.Request{Destination: fetchctx.DestinationIFrame,
			Mode: fetchctx.ModeNavigate, Policy: fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP}},
			parse("<p>", "Content-Type", "text/html")},
		{"nested navigation without COEP under report-only require-corp", fetchctx.Request{Destination: fetchctx.DestinationIFrame,
			Mode: fetchctx.ModeNavigate, Policy: fetchctx.EmbedderPolicy{ReportOnlyValue: fetchctx.RequireCORP}},
			parse("<p>", "Content-Type", "text/html")},
	}
	tripped := make([]bool, len(cases))
	for set := Checks(0); set <= AllChecks; set++ {
		if set&^AllChecks != 0 {
			continue
		}
		e := New(Config{Checks: set})
		for i, c := range cases {
			req := c.req
			req.Origin, req.URLs = page, url
			v, reports := e.checkFinal(&req, c.resp, nil)
			if v.Allows() && len(reports) == 0 {
				continue
			}
			tripped[i] = true
			if !e.hasFinalChecks(&req) {
				t.Errorf("checks %b, %s: checkFinal gives %+v and %d reports, but hasFinalChecks says it has nothing to run", set, c.name, v, len(reports))
			}
		}
	}
	for i, c := range cases {
		if !tripped[i] {
			t.Errorf("%s: no set of checks makes checkFinal block or report: the case tests nothing", c.name)
		}
	}
}
