package enforce

import (
	"strings"

	"github.com/xorigin/xorigin/fetchctx"
)

// DevTools is how Chrome's DevTools protocol reports a failed load, in the
// three fields of Network.loadingFailed, so that a verdict can be compared
// with what Chrome said. The zero DevTools says nothing: a reason that is
// xorigin's own, or a block Chrome does not report as a failed load.
type DevTools struct {
	// BlockedReason is loadingFailed's blockedReason, a
	// Network.BlockedReason ("corp-not-same-site", "mixed-content").
	BlockedReason string
	// CorsError is loadingFailed's corsErrorStatus.corsError, a
	// Network.CorsError ("MissingAllowOriginHeader").
	CorsError string
	// ErrorText is loadingFailed's errorText, a net error
	// ("net::ERR_BLOCKED_BY_ORB").
	ErrorText string
}

// IsZero reports whether d has no field set.
func (d DevTools) IsZero() bool { return d == DevTools{} }

// String lists the fields set, errorText first:
// "errorText=net::ERR_BLOCKED_BY_RESPONSE blockedReason=corp-not-same-site";
// "none" for the zero DevTools.
func (d DevTools) String() string {
	if d.IsZero() {
		return "none"
	}
	var parts []string
	if d.ErrorText != "" {
		parts = append(parts, "errorText="+d.ErrorText)
	}
	if d.BlockedReason != "" {
		parts = append(parts, "blockedReason="+d.BlockedReason)
	}
	if d.CorsError != "" {
		parts = append(parts, "corsError="+d.CorsError)
	}
	return strings.Join(parts, " ")
}

// The net errors Chrome reports (net/base/net_error_list.h).
const (
	netFailed            = "net::ERR_FAILED"
	netAborted           = "net::ERR_ABORTED"
	netBlockedByResponse = "net::ERR_BLOCKED_BY_RESPONSE"
	netBlockedByORB      = "net::ERR_BLOCKED_BY_ORB"
	netTooManyRedirects  = "net::ERR_TOO_MANY_REDIRECTS"
	netUnsafeRedirect    = "net::ERR_UNSAFE_REDIRECT"
	netInvalidRedirect   = "net::ERR_INVALID_REDIRECT"
	netUnsafePort        = "net::ERR_UNSAFE_PORT"
)

// IsOwn reports whether r is xorigin's own reason, one no browser reports
// (invalid-request, need-body, undecodable-body, ...): a condition of the
// engine's input or of the Transport, not a browser's block.
func (r Reason) IsOwn() bool {
	switch r {
	case ReasonNone, ReasonInvalidRequest, ReasonNeedBody, ReasonRedirectBodyNotReplayable,
		ReasonUndecodableBody, ReasonCORSPreflightNoAnswer:
		return true
	}
	return r >= numReasons
}

// DevTools is how Chrome 156 reports a subresource load blocked for r in
// Network.loadingFailed, as browser-diff observed it (Verdict.DevTools
// has a navigation's and a first hop's forms). It is zero for xorigin's
// own reasons (IsOwn), and for the blocks Blink makes once the load is
// over (nosniff, a script's MIME type, integrity): Chrome reports those
// on the console, and the load as finished.
func (r Reason) DevTools() DevTools {
	switch r {
	// Blink's resource loader: a subresource blocked by the network
	// service's CORP check gets the reason after the net error.
	case ReasonCORPNotSameOrigin:
		return DevTools{BlockedReason: r.String(), ErrorText: netBlockedByResponse + ".NotSameOrigin"}
	case ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP:
		return DevTools{BlockedReason: r.String(), ErrorText: netBlockedByResponse + ".NotSameOriginAfterDefaultedToSameOriginByCoep"}
	case ReasonCORPNotSameSite:
		return DevTools{BlockedReason: r.String(), ErrorText: netBlockedByResponse + ".NotSameSite"}
	// content/browser/renderer_host/navigation_request.cc: only a
	// navigation gets this one, with the bare net error.
	case ReasonCOEPFrameResourceNeedsCOEPHeader:
		return DevTools{BlockedReason: r.String(), ErrorText: netBlockedByResponse}
	// services/network/cors/cors_url_loader.cc: a CORS failure is
	// net::ERR_FAILED with its CorsError (Local Network Access too).
	case ReasonCORSMissingAllowOrigin, ReasonCORSMultipleAllowOrigin, ReasonCORSInvalidAllowOrigin,
		ReasonCORSWildcardOriginNotAllowed, ReasonCORSAllowOriginMismatch, ReasonCORSInvalidAllowCredentials,
		ReasonCORSPreflightMissingAllowOrigin, ReasonCORSPreflightMultipleAllowOrigin,
		ReasonCORSPreflightInvalidAllowOrigin, ReasonCORSPreflightWildcardOriginNotAllowed,
		ReasonCORSPreflightAllowOriginMismatch, ReasonCORSPreflightInvalidAllowCredentials,
		ReasonCORSPreflightInvalidStatus, ReasonCORSPreflightDisallowedRedirect,
		ReasonCORSInvalidAllowMethods, ReasonCORSInvalidAllowHeaders,
		ReasonCORSMethodDisallowedByPreflight, ReasonCORSHeaderDisallowedByPreflight,
		ReasonCORSRedirectContainsCredentials, ReasonCORSDisabledScheme,
		ReasonInsecureLocalNetwork, ReasonLocalNetworkPermissionDenied, ReasonInvalidLocalNetworkAccess:
		return DevTools{CorsError: r.String(), ErrorText: netFailed}
	// Blink refuses a same-origin-mode request redirected to another
	// origin: Network.BlockedReason "origin", and no net error.
	case ReasonDisallowedByMode:
		return DevTools{BlockedReason: "origin"}
	// third_party/blink/renderer/core/loader/frame_fetch_context.cc (the
	// Chromium profile): a subresource URL with credentials is refused
	// before it is sent, blockedReason "origin" and no net error.
	case ReasonURLCredentials:
		return DevTools{BlockedReason: "origin"}
	// services/network/orb: a network error with no blockedReason.
	case ReasonBlockedByORB:
		return DevTools{ErrorText: netBlockedByORB}
	// net/url_request: the redirect and port checks' own net errors.
	case ReasonTooManyRedirects:
		return DevTools{ErrorText: netTooManyRedirects}
	case ReasonUnsafeRedirect:
		return DevTools{ErrorText: netUnsafeRedirect}
	case ReasonInvalidRedirect:
		return DevTools{ErrorText: netInvalidRedirect}
	case ReasonBadPort:
		return DevTools{ErrorText: netUnsafePort}
	// services/network/cors/cors_url_loader.cc: redirect mode "error"
	// fails the load with no CorsError (no fixture case runs it yet).
	case ReasonRedirectModeError:
		return DevTools{ErrorText: netFailed}
	// Blink's mixed content checker: blocked before the request, with a
	// blockedReason and no net error.
	case ReasonMixedContent:
		return DevTools{BlockedReason: r.String()}
	}
	return DevTools{}
}

// DevTools is how Chrome reports v, the verdict on req, in
// Network.loadingFailed: zero unless v blocks (Chrome delivers a stripped
// response empty, and reports no failed load); else its reason's
// (Reason.DevTools), but for a navigation (an iframe's), whose CORP block
// has the bare net error and whose mixed-content block is a cancelled
// navigation (net::ERR_ABORTED), for mode same-origin on the first hop,
// which Blink's fetch() rejects before any request, and for a style sheet
// nosniff refuses (net::ERR_ABORTED). A nil req is a subresource's.
func (v Verdict) DevTools(req *fetchctx.Request) DevTools {
	if v.Result != Blocked {
		return DevTools{}
	}
	d := v.Reason.DevTools()
	switch {
	case req != nil && req.Mode == fetchctx.ModeNavigate && v.Reason == ReasonMixedContent:
		// content/browser/renderer_host/mixed_content_navigation_throttle.cc
		// cancels the navigation.
		return DevTools{ErrorText: netAborted}
	case req != nil && req.Mode == fetchctx.ModeNavigate && strings.HasPrefix(d.ErrorText, netBlockedByResponse):
		// The navigation request reports the net error without the
		// reason Blink's loader appends.
		d.ErrorText = netBlockedByResponse
	case v.Reason == ReasonDisallowedByMode && v.Hop == 0:
		return DevTools{}
	case v.Reason == ReasonNoSniff && req != nil && req.Destination == fetchctx.DestinationStyle:
		// Blink's loader cancels a style sheet nosniff refuses before its
		// response is reported (a script's load finishes instead).
		return DevTools{ErrorText: netAborted}
	}
	return d
}
