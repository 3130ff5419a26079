package main

import (
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
)

// Every reason token comes with the field Chrome's DevTools report it in.
func TestReasonFields(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		token string
		want  reasonJSON
	}{
		{"corp-not-same-site", reasonJSON{"corp-not-same-site", "blockedReason", ""}},
		{"corp-not-same-origin-after-defaulted-to-same-origin-by-coep", reasonJSON{"corp-not-same-origin-after-defaulted-to-same-origin-by-coep", "blockedReason", ""}},
		{"coep-frame-resource-needs-coep-header", reasonJSON{"coep-frame-resource-needs-coep-header", "blockedReason", ""}},
		{"mixed-content", reasonJSON{"mixed-content", "blockedReason", ""}},
		{"MissingAllowOriginHeader", reasonJSON{"MissingAllowOriginHeader", "corsError", ""}},
		{"preflight-no-answer", reasonJSON{"preflight-no-answer", "xorigin", ""}},
		{"CorsDisabledScheme", reasonJSON{"CorsDisabledScheme", "corsError", ""}},
		{"blocked-by-orb", reasonJSON{"blocked-by-orb", "errorText", "net::ERR_BLOCKED_BY_ORB"}},
		{"invalid-request", reasonJSON{"invalid-request", "xorigin", ""}},
		{"need-body", reasonJSON{"need-body", "xorigin", ""}},
		{"unsafe-redirect", reasonJSON{"unsafe-redirect", "xorigin", ""}},
		{"main-document", reasonJSON{"main-document", "xorigin", ""}},
		{"net::ERR_BLOCKED_BY_RESPONSE.NotSameSite", reasonJSON{"net::ERR_BLOCKED_BY_RESPONSE.NotSameSite", "errorText", ""}},
	} {
		if got := reasonOf(tc.token); got == nil || *got != tc.want {
			t.Errorf("reasonOf(%q) = %+v, want %+v", tc.token, got, tc.want)
		}
	}
	if reasonOf("") != nil {
		t.Error(`reasonOf("") is not nil`)
	}
	// Every engine reason has a field; the CamelCase ones are CORS errors.
	for r := enforce.Reason(1); !strings.HasPrefix(r.String(), "Reason("); r++ {
		f, ok := reasonFields[r.String()]
		camel := r.String()[0] >= 'A' && r.String()[0] <= 'Z'
		if !ok || camel != (f.Field == fieldCORSError) {
			t.Errorf("%s: %+v", r, f)
		}
	}
}
