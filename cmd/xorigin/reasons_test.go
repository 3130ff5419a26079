package main

import (
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
)

// Every reason token comes with what Chrome's DevTools report for it, and
// xorigin's own are marked as such, with no DevTools field.
func TestReasonFields(t *testing.T) {
	t.Parallel()
	const (
		byResponse = "net::ERR_BLOCKED_BY_RESPONSE"
		failed     = "net::ERR_FAILED"
	)
	for _, tc := range []struct {
		verdict, token string
		want           reasonJSON
	}{
		// A subresource's CORP block: Blink's loader appends the reason.
		{"blocked", "corp-not-same-site", reasonJSON{Token: "corp-not-same-site", BlockedReason: "corp-not-same-site", ErrorText: byResponse + ".NotSameSite"}},
		{"blocked", "corp-not-same-origin-after-defaulted-to-same-origin-by-coep", reasonJSON{Token: "corp-not-same-origin-after-defaulted-to-same-origin-by-coep", BlockedReason: "corp-not-same-origin-after-defaulted-to-same-origin-by-coep", ErrorText: byResponse + ".NotSameOriginAfterDefaultedToSameOriginByCoep"}},
		{"blocked", "coep-frame-resource-needs-coep-header", reasonJSON{Token: "coep-frame-resource-needs-coep-header", BlockedReason: "coep-frame-resource-needs-coep-header", ErrorText: byResponse}},
		{"blocked", "MissingAllowOriginHeader", reasonJSON{Token: "MissingAllowOriginHeader", CorsError: "MissingAllowOriginHeader", ErrorText: failed}},
		// Mode same-origin redirected to another origin: Blink's "origin".
		{"blocked", "disallowed-by-mode", reasonJSON{Token: "disallowed-by-mode", BlockedReason: "origin"}},
		{"blocked", "mixed-content", reasonJSON{Token: "mixed-content", BlockedReason: "mixed-content"}},
		// Blink refuses these once the load is over: no failed load.
		{"blocked", "content-type", reasonJSON{Token: "content-type"}},
		{"blocked", "integrity", reasonJSON{Token: "integrity"}},
		{"blocked", "CorsDisabledScheme", reasonJSON{Token: "CorsDisabledScheme", CorsError: "CorsDisabledScheme", ErrorText: failed}},
		{"blocked", "blocked-by-orb", reasonJSON{Token: "blocked-by-orb", ErrorText: "net::ERR_BLOCKED_BY_ORB"}},
		// Chrome's ORB gives fetch() an empty response: no failed load.
		{"stripped", "blocked-by-orb", reasonJSON{Token: "blocked-by-orb"}},
		{"blocked", "too-many-redirects", reasonJSON{Token: "too-many-redirects", ErrorText: "net::ERR_TOO_MANY_REDIRECTS"}},
		{"blocked", "unsafe-port", reasonJSON{Token: "unsafe-port", ErrorText: "net::ERR_UNSAFE_PORT"}},
		{"blocked", "unsafe-redirect", reasonJSON{Token: "unsafe-redirect", ErrorText: "net::ERR_UNSAFE_REDIRECT"}},
		{"blocked", "preflight-no-answer", reasonJSON{Token: "preflight-no-answer", Xorigin: true}},
		{"blocked", "invalid-request", reasonJSON{Token: "invalid-request", Xorigin: true}},
		{"undecided", "need-body", reasonJSON{Token: "need-body", Xorigin: true}},
		{"not-checked", "main-document", reasonJSON{Token: "main-document", Xorigin: true}},
		{"blocked", "net::ERR_BLOCKED_BY_RESPONSE.NotSameSite", reasonJSON{Token: "net::ERR_BLOCKED_BY_RESPONSE.NotSameSite", ErrorText: "net::ERR_BLOCKED_BY_RESPONSE.NotSameSite"}},
	} {
		if got := reasonOf(tc.verdict, tc.token); got == nil || *got != tc.want {
			t.Errorf("reasonOf(%q, %q) = %+v, want %+v", tc.verdict, tc.token, got, tc.want)
		}
	}
	// A navigation's CORP block has the bare net error; mode same-origin
	// on the first hop never reaches the network.
	nav := &fetchctx.Request{Mode: fetchctx.ModeNavigate}
	if got := reasonOn("blocked", "corp-not-same-site", nav, 0); *got != (reasonJSON{Token: "corp-not-same-site", BlockedReason: "corp-not-same-site", ErrorText: byResponse}) {
		t.Errorf("navigation: %+v", *got)
	}
	if got := reasonOn("blocked", "disallowed-by-mode", &fetchctx.Request{Mode: fetchctx.ModeSameOrigin}, 0); *got != (reasonJSON{Token: "disallowed-by-mode"}) {
		t.Errorf("disallowed-by-mode at hop 0: %+v", *got)
	}
	if reasonOf("blocked", "") != nil {
		t.Error(`reasonOf("blocked", "") is not nil`)
	}
	// Every engine reason is xorigin's own or has the DevTools fields
	// enforce gives it; the CamelCase ones are CORS errors.
	for r := enforce.Reason(1); !strings.HasPrefix(r.String(), "Reason("); r++ {
		j := reasonOf("blocked", r.String())
		camel := r.String()[0] >= 'A' && r.String()[0] <= 'Z'
		switch {
		case j.Xorigin != r.IsOwn() || j.devTools() != r.DevTools():
			t.Errorf("%s: %+v, want own %v and %+v", r, *j, r.IsOwn(), r.DevTools())
		case r.IsOwn() && !j.devTools().IsZero():
			t.Errorf("%s: xorigin's own, with DevTools fields %+v", r, *j)
		case camel && !r.IsOwn() && j.CorsError != r.String():
			t.Errorf("%s: corsError %q", r, j.CorsError)
		}
	}
}

// The text output says what DevTools report, or that a reason is
// xorigin's own.
func TestDevToolsLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		verdict, token, want string
	}{
		{"blocked", "corp-not-same-origin", "errorText=net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin blockedReason=corp-not-same-origin"},
		{"blocked", "mixed-content", "blockedReason=mixed-content"},
		{"blocked", "content-type", ""},
		{"blocked", "AllowOriginMismatch", "errorText=net::ERR_FAILED corsError=AllowOriginMismatch"},
		{"blocked", "invalid-request", "none: xorigin's own reason, which no browser reports"},
		{"stripped", "blocked-by-orb", ""},
	} {
		if got := devToolsLine(reasonOf(tc.verdict, tc.token)); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.verdict, tc.token, got, tc.want)
		}
	}
}
