package enforce

// DevToolsField names where Chrome's DevTools protocol reports a blocked
// load (Network.loadingFailed), so that a Reason can be compared with what
// Chrome said.
type DevToolsField uint8

// The fields.
const (
	// DevToolsNone: xorigin's own reason, which DevTools has no token for
	// (invalid-request, unsafe-redirect, ...).
	DevToolsNone DevToolsField = iota
	// DevToolsBlockedReason: Network.BlockedReason (corp-not-same-site,
	// mixed-content, ...).
	DevToolsBlockedReason
	// DevToolsCorsError: corsErrorStatus.corsError, a Network.CorsError
	// (MissingAllowOriginHeader, ...).
	DevToolsCorsError
	// DevToolsErrorText: errorText, a net:: error (net::ERR_BLOCKED_BY_ORB).
	DevToolsErrorText
)

var devToolsFieldNames = [...]string{"xorigin", "blockedReason", "corsError", "errorText"}

// String returns "blockedReason", "corsError", "errorText", or "xorigin"
// for DevToolsNone.
func (f DevToolsField) String() string {
	if int(f) < len(devToolsFieldNames) {
		return devToolsFieldNames[f]
	}
	return "DevToolsField(?)"
}

// DevTools says where Chrome's DevTools protocol reports r, and the value
// it puts there: the token itself for a BlockedReason or a CorsError, the
// net:: error for errorText, "" for DevToolsNone.
func (r Reason) DevTools() (DevToolsField, string) {
	switch {
	case r == ReasonNone || r >= numReasons:
		return DevToolsNone, ""
	case r == ReasonCORSPreflightNoAnswer:
		// No Network.CorsError names a preflight without an answer.
		return DevToolsNone, ""
	case r >= ReasonCORSMissingAllowOrigin && r <= ReasonCORSDisabledScheme,
		r == ReasonInsecureLocalNetwork, r == ReasonLocalNetworkPermissionDenied, r == ReasonInvalidLocalNetworkAccess:
		return DevToolsCorsError, r.String()
	case r == ReasonBlockedByORB:
		return DevToolsErrorText, "net::ERR_BLOCKED_BY_ORB"
	case r == ReasonCORPNotSameOrigin, r == ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP,
		r == ReasonCORPNotSameSite, r == ReasonCOEPFrameResourceNeedsCOEPHeader,
		r == ReasonMixedContent, r == ReasonNoSniff, r == ReasonIntegrity, r == ReasonURLCredentials:
		return DevToolsBlockedReason, r.String()
	}
	return DevToolsNone, ""
}
