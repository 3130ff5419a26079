package enforce_test

import (
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
)

// A verdict's DevTools fields are those Chrome 156 filled in
// Network.loadingFailed for the same block (browser-diff -v, which prints
// both): the request's kind and the hop matter, the result too.
func TestVerdictDevTools(t *testing.T) {
	t.Parallel()
	const byResponse = "net::ERR_BLOCKED_BY_RESPONSE"
	img := &fetchctx.Request{Mode: fetchctx.ModeNoCORS, Destination: fetchctx.DestinationImage}
	iframe := &fetchctx.Request{Mode: fetchctx.ModeNavigate, Destination: fetchctx.DestinationIFrame}
	fetchSameOrigin := &fetchctx.Request{Mode: fetchctx.ModeSameOrigin}
	blocked := func(r enforce.Reason, hop int) enforce.Verdict {
		return enforce.Verdict{Result: enforce.Blocked, Reason: r, Hop: hop}
	}
	for _, tc := range []struct {
		name string
		v    enforce.Verdict
		req  *fetchctx.Request
		want enforce.DevTools
	}{
		{"img, CORP same-site", blocked(enforce.ReasonCORPNotSameSite, 0), img,
			enforce.DevTools{BlockedReason: "corp-not-same-site", ErrorText: byResponse + ".NotSameSite"}},
		{"img, CORP defaulted by COEP", blocked(enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP, 1), img,
			enforce.DevTools{BlockedReason: "corp-not-same-origin-after-defaulted-to-same-origin-by-coep", ErrorText: byResponse + ".NotSameOriginAfterDefaultedToSameOriginByCoep"}},
		{"iframe, CORP same-origin", blocked(enforce.ReasonCORPNotSameOrigin, 0), iframe,
			enforce.DevTools{BlockedReason: "corp-not-same-origin", ErrorText: byResponse}},
		{"iframe, COEP", blocked(enforce.ReasonCOEPFrameResourceNeedsCOEPHeader, 0), iframe,
			enforce.DevTools{BlockedReason: "coep-frame-resource-needs-coep-header", ErrorText: byResponse}},
		{"img, mixed content", blocked(enforce.ReasonMixedContent, 0), img, enforce.DevTools{BlockedReason: "mixed-content"}},
		{"iframe, mixed content", blocked(enforce.ReasonMixedContent, 1), iframe, enforce.DevTools{ErrorText: "net::ERR_ABORTED"}},
		{"CORS", blocked(enforce.ReasonCORSAllowOriginMismatch, 0), nil, enforce.DevTools{CorsError: "AllowOriginMismatch", ErrorText: "net::ERR_FAILED"}},
		{"same-origin mode, first hop", blocked(enforce.ReasonDisallowedByMode, 0), fetchSameOrigin, enforce.DevTools{}},
		{"same-origin mode, redirected", blocked(enforce.ReasonDisallowedByMode, 1), fetchSameOrigin, enforce.DevTools{BlockedReason: "origin"}},
		{"ORB", blocked(enforce.ReasonBlockedByORB, 0), img, enforce.DevTools{ErrorText: "net::ERR_BLOCKED_BY_ORB"}},
		{"ORB stripped", enforce.Verdict{Result: enforce.Stripped, Reason: enforce.ReasonBlockedByORB}, &fetchctx.Request{Mode: fetchctx.ModeNoCORS}, enforce.DevTools{}},
		{"too many redirects", blocked(enforce.ReasonTooManyRedirects, 20), img, enforce.DevTools{ErrorText: "net::ERR_TOO_MANY_REDIRECTS"}},
		{"bad port", blocked(enforce.ReasonBadPort, 0), img, enforce.DevTools{ErrorText: "net::ERR_UNSAFE_PORT"}},
		{"nosniff: Blink, after the load", blocked(enforce.ReasonNoSniff, 0), nil, enforce.DevTools{}},
		{"nosniff style sheet: Blink cancels its load", blocked(enforce.ReasonNoSniff, 0), &fetchctx.Request{Mode: fetchctx.ModeNoCORS, Destination: fetchctx.DestinationStyle}, enforce.DevTools{ErrorText: "net::ERR_ABORTED"}},
		{"integrity: Blink, after the load", blocked(enforce.ReasonIntegrity, 0), nil, enforce.DevTools{}},
		{"xorigin's own", blocked(enforce.ReasonInvalidRequest, 0), img, enforce.DevTools{}},
		{"allowed", enforce.Verdict{Result: enforce.Allowed}, img, enforce.DevTools{}},
		{"undecided", enforce.Verdict{Result: enforce.Undecided, Reason: enforce.ReasonNeedBody}, img, enforce.DevTools{}},
	} {
		if got := tc.v.DevTools(tc.req); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// xorigin's own reasons have no DevTools field, and every reason a browser
// reports but these four has one: a new reason must say where it goes.
func TestOwnReasonsHaveNoDevTools(t *testing.T) {
	t.Parallel()
	own := map[string]bool{"invalid-request": true, "need-body": true, "redirect-body-not-replayable": true, "undecodable-body": true, "preflight-no-answer": true}
	// Blocks Blink makes after the load, which Chrome reports as finished.
	afterLoad := map[string]bool{"content-type": true, "mime-type-not-executable": true, "integrity": true}
	n := 0
	for r := enforce.Reason(1); !strings.HasPrefix(r.String(), "Reason("); r++ {
		n++
		d := r.DevTools()
		switch {
		case r.IsOwn() != own[r.String()]:
			t.Errorf("%s: IsOwn %v", r, r.IsOwn())
		case (own[r.String()] || afterLoad[r.String()]) != d.IsZero():
			t.Errorf("%s: DevTools %s", r, d)
		}
	}
	if n < 40 || !enforce.ReasonNone.IsOwn() {
		t.Fatalf("%d reasons", n)
	}
}

func TestDevToolsString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    enforce.DevTools
		want string
	}{
		{enforce.DevTools{}, "none"},
		{enforce.DevTools{BlockedReason: "mixed-content"}, "blockedReason=mixed-content"},
		{enforce.DevTools{CorsError: "AllowOriginMismatch", ErrorText: "net::ERR_FAILED"}, "errorText=net::ERR_FAILED corsError=AllowOriginMismatch"},
	} {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.d, got, tc.want)
		}
	}
}
