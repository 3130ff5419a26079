package enforce

import (
	"fmt"

	"github.com/xorigin/xorigin/fetchctx"
)

// Result is what the initiator gets of a response. The zero Result is
// Undecided, which every consumer must treat as Blocked: a verdict nobody
// made never exposes a body.
type Result uint8

// The results.
const (
	Undecided Result = iota
	// Allowed: the body may be exposed to the initiator.
	Allowed
	// Blocked: a network error; nothing of the response reaches the initiator.
	Blocked
	// Stripped: the response is delivered with an empty body (opaque
	// response blocking as Chromium ships it).
	Stripped
)

var resultNames = [...]string{"undecided", "allowed", "blocked", "stripped"}

// String returns "allowed", "blocked", "stripped" or "undecided".
func (r Result) String() string {
	if int(r) < len(resultNames) {
		return resultNames[r]
	}
	return fmt.Sprintf("Result(%d)", r)
}

// Reason says why a response was blocked. Its string forms are the tokens
// Chrome's DevTools protocol reports (Network.BlockedReason) for the same
// block, so a prediction can be compared with what Chrome did.
type Reason uint8

// The reasons. ReasonNone goes with Allowed.
const (
	ReasonNone Reason = iota
	// The resource's CORP header (or one defaulted by COEP, see below)
	// says same-origin, and the initiator is not.
	ReasonCORPNotSameOrigin
	// No usable CORP header, and the client's embedder policy made
	// same-origin the default.
	ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP
	// CORP same-site, and the initiator is not same site (or is http
	// while the response is https).
	ReasonCORPNotSameSite
	// A nested navigation's response has no embedder policy compatible
	// with cross-origin isolation, under a container that requires one.
	ReasonCOEPFrameResourceNeedsCOEPHeader
	// Mode same-origin, and the request went to another origin.
	ReasonDisallowedByMode
	// More than 20 redirects.
	ReasonTooManyRedirects
	// The request context cannot be decided on (no valid origin, an empty
	// URL list, a hop index out of range): the engine fails closed.
	ReasonInvalidRequest
	// Opaque response blocking: the response is not one a no-cors request
	// may get (Chrome's net::ERR_BLOCKED_BY_ORB). Step says which rule.
	ReasonBlockedByORB
	// Not a block: the decision needs more of the body (Result Undecided,
	// with Verdict.Need saying how much).
	ReasonNeedBody
	// The CORS check and the CORS preflight; their tokens are the
	// Network.CorsError names of Chrome's DevTools protocol.
	ReasonCORSMissingAllowOrigin
	// Access-Control-Allow-Origin holds several values (a comma or a
	// space), or one that is not a URL; its preflight forms below.
	ReasonCORSMultipleAllowOrigin
	ReasonCORSInvalidAllowOrigin
	ReasonCORSWildcardOriginNotAllowed
	ReasonCORSAllowOriginMismatch
	ReasonCORSInvalidAllowCredentials
	ReasonCORSPreflightMissingAllowOrigin
	ReasonCORSPreflightMultipleAllowOrigin
	ReasonCORSPreflightInvalidAllowOrigin
	ReasonCORSPreflightWildcardOriginNotAllowed
	ReasonCORSPreflightAllowOriginMismatch
	ReasonCORSPreflightInvalidAllowCredentials
	ReasonCORSPreflightInvalidStatus
	// The preflight was answered with a redirect.
	ReasonCORSPreflightDisallowedRedirect
	// Access-Control-Allow-Methods or -Headers of the preflight's answer
	// does not parse.
	ReasonCORSInvalidAllowMethods
	ReasonCORSInvalidAllowHeaders
	ReasonCORSMethodDisallowedByPreflight
	ReasonCORSHeaderDisallowedByPreflight
	// The preflight got no answer (a network error): DevTools has no
	// CorsError for it, so the token is xorigin's own.
	ReasonCORSPreflightNoAnswer
	ReasonCORSRedirectContainsCredentials
	ReasonCORSDisabledScheme
	// X-Content-Type-Options: nosniff, and a script or style sheet whose
	// MIME type is not one.
	ReasonNoSniff
	// A script served as audio, image, video or CSV.
	ReasonMIMETypeNotExecutable
	// Blockable mixed content: an insecure URL from a secure context.
	ReasonMixedContent
	// A redirect to a URL that is not HTTP(S) (Chrome's
	// net::ERR_UNSAFE_REDIRECT).
	ReasonUnsafeRedirect
	// A redirect whose Location cannot be used: several values, or one
	// that does not parse (Chrome's net::ERR_INVALID_REDIRECT).
	ReasonInvalidRedirect
	// A redirect that would send the request's body again when the body
	// cannot be read again (an http.Request without GetBody).
	ReasonRedirectBodyNotReplayable
	// The Transport needed the body for a decision, and it is in a
	// content coding the Transport does not decode: it fails closed.
	ReasonUndecodableBody
	// A redirect for a request whose redirect mode is "error".
	ReasonRedirectModeError
	// A request to a bad port (Fetch: port blocking), Chrome's
	// net::ERR_UNSAFE_PORT. Chrome reports no BlockedReason for it: the
	// token is xorigin's, after the net error.
	ReasonBadPort
	// The body does not match the request's integrity metadata, or there
	// is no body to match (an opaque response: Subresource Integrity needs
	// CORS). Its token is Network.BlockedReason "integrity".
	ReasonIntegrity
	// Local Network Access: a local network request from a context that
	// is not secure (Network.CorsError "InsecureLocalNetwork").
	ReasonInsecureLocalNetwork
	// Local Network Access: a local network request whose permission the
	// engine's policy denied (Network.CorsError
	// "LocalNetworkAccessPermissionDenied").
	ReasonLocalNetworkPermissionDenied
	// Local Network Access: a request whose target address space is local
	// (a local IP literal, a .local name) reached another space
	// (Network.CorsError "InvalidLocalNetworkAccess").
	ReasonInvalidLocalNetworkAccess
	// The chromium profile: a subresource URL with a username or password,
	// which Blink refuses before sending (Network.BlockedReason "origin").
	ReasonURLCredentials
	numReasons
)

var reasonTokens = [numReasons]string{
	"",
	"corp-not-same-origin",
	"corp-not-same-origin-after-defaulted-to-same-origin-by-coep",
	"corp-not-same-site",
	"coep-frame-resource-needs-coep-header",
	"disallowed-by-mode",
	"too-many-redirects",
	"invalid-request",
	"blocked-by-orb",
	"need-body",
	"MissingAllowOriginHeader",
	"MultipleAllowOriginValues",
	"InvalidAllowOriginValue",
	"WildcardOriginNotAllowed",
	"AllowOriginMismatch",
	"InvalidAllowCredentials",
	"PreflightMissingAllowOriginHeader",
	"PreflightMultipleAllowOriginValues",
	"PreflightInvalidAllowOriginValue",
	"PreflightWildcardOriginNotAllowed",
	"PreflightAllowOriginMismatch",
	"PreflightInvalidAllowCredentials",
	"PreflightInvalidStatus",
	"PreflightDisallowedRedirect",
	"InvalidAllowMethodsPreflightResponse",
	"InvalidAllowHeadersPreflightResponse",
	"MethodDisallowedByPreflightResponse",
	"HeaderDisallowedByPreflightResponse",
	"preflight-no-answer",
	"RedirectContainsCredentials",
	"CorsDisabledScheme",
	"content-type",
	"mime-type-not-executable",
	"mixed-content",
	"unsafe-redirect",
	"invalid-redirect",
	"redirect-body-not-replayable",
	"undecodable-body",
	"redirect-mode-error",
	"unsafe-port",
	"integrity",
	"InsecureLocalNetwork",
	"LocalNetworkAccessPermissionDenied",
	"InvalidLocalNetworkAccess",
	"origin",
}

// String returns the reason's token ("" for ReasonNone).
func (r Reason) String() string {
	if r < numReasons {
		return reasonTokens[r]
	}
	return fmt.Sprintf("Reason(%d)", r)
}

// Step names the spec step that made a verdict.
type Step uint8

// The steps.
const (
	StepNone Step = iota
	// Fetch, cross-origin resource policy check, step 3: the resource's own
	// policy rejects the initiator, whatever the embedder policy.
	StepCORPResourcePolicy
	// Fetch, cross-origin resource policy check, steps 5-7: the client's
	// embedder policy rejects the response.
	StepCORPEmbedderPolicy
	// HTML, create navigation params by fetching: the CORP check with
	// forNavigation on a child navigable's response.
	StepNavigationCORP
	// HTML, check a navigation response's adherence to its embedder policy.
	StepNavigationCOEP
	// Fetch, main fetch: mode same-origin to another origin.
	StepMainFetchMode
	// Fetch, HTTP-redirect fetch: the redirect count is 20.
	StepRedirectCount
	// The engine's own precondition on its input.
	StepPrecondition
	// The steps of the opaque-response-safelist check (Fetch PR 1755).
	StepORBNeverSniffed
	StepORBPartialBlocklisted
	StepORBNoSniffPlain
	StepORBPartialRange
	StepORBSniff
	StepORBMediaNotInitial
	StepORBMediaStatus
	StepORBMediaNotSniffed
	StepORBNoSniff
	StepORBStatus
	StepORBMediaTypeNotSniffed
	StepORBNotJavaScript
	StepORBBudget
	// Fetch: HTTP fetch, the CORS check on a response of a CORS request.
	StepCORSCheck
	// Fetch: CORS-preflight fetch, the checks of the preflight's answer.
	StepCORSPreflight
	// Fetch: HTTP-redirect fetch, a CORS request redirected to a URL with
	// credentials.
	StepCORSRedirect
	// Fetch: main fetch, a CORS request to a URL that is not HTTP(S).
	StepCORSScheme
	// Fetch: should response to request be blocked due to nosniff.
	StepNoSniff
	// Fetch: should response to request be blocked due to its MIME type.
	StepMIMEType
	// Mixed Content: should fetching request be blocked as mixed content.
	StepMixedContent
	// Fetch: HTTP-redirect fetch, a location URL that is failure.
	StepRedirectLocation
	// Fetch: HTTP-redirect fetch, a location URL that is not HTTP(S).
	StepRedirectScheme
	// Fetch: HTTP-redirect fetch, a body that cannot be sent again.
	StepRedirectBody
	// The Transport's own: a content coding it cannot decode.
	StepContentCoding
	// Fetch: HTTP fetch, a redirect under redirect mode "error".
	StepRedirectMode
	// Fetch: main fetch, step 7, should request be blocked due to a bad
	// port.
	StepBadPort
	// Fetch: main fetch, step 23: the body does not match the integrity
	// metadata. Undecided with ReasonNeedBody, the step waits for the
	// whole body.
	StepIntegrity
	// Fetch: main fetch, step 23.2: the response's body is null (an opaque
	// filtered response, HEAD, a null body status).
	StepIntegrityNullBody
	// The body is longer than Config.IntegrityBudget: fail closed.
	StepIntegrityBudget
	// Local Network Access check, step 5.2: a local network request from
	// a client that is not a secure context.
	StepLocalNetworkSecureContext
	// Local Network Access check, steps 5.4-5.13: the permission, denied.
	StepLocalNetworkPermission
	// Local Network Access check, step 4: the connection did not reach
	// the request's target address space.
	StepLocalNetworkTarget
	// The chromium profile: Blink refuses a subresource URL with
	// credentials before sending it.
	StepURLCredentials
	numSteps
)

var stepText = [numSteps]struct{ text, url string }{
	{"", ""},
	{"Fetch: cross-origin resource policy check, step 3", "https://fetch.spec.whatwg.org/#cross-origin-resource-policy-check"},
	{"Fetch: cross-origin resource policy check, steps 5-7", "https://fetch.spec.whatwg.org/#cross-origin-resource-policy-check"},
	{"HTML: create navigation params by fetching (CORP check for a child navigable)", "https://html.spec.whatwg.org/multipage/browsing-the-web.html#create-navigation-params-by-fetching"},
	{"HTML: check a navigation response's adherence to its embedder policy", "https://html.spec.whatwg.org/multipage/browsers.html#check-a-navigation-response's-adherence-to-its-embedder-policy"},
	{"Fetch: main fetch, mode same-origin", "https://fetch.spec.whatwg.org/#main-fetch"},
	{"Fetch: HTTP-redirect fetch, redirect count is 20", "https://fetch.spec.whatwg.org/#http-redirect-fetch"},
	{"xorigin: the request context is invalid (fail closed)", ""},
	{"Fetch ORB: opaque-response-safelist check, step 3.2 (never-sniffed MIME type)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 3.3 (206 with a blocklisted MIME type)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 3.4 (nosniff text/plain)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 5 (partial response not starting at byte 0)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 6 (the first 1024 bytes)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 8.1 (audio or video for a request that is not a media element's initial one)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 8.2 (audio or video with a status other than 200 or 206)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 9 (a media request whose body is not audio or video)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 11 (nosniff)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 12 (status not ok)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 14 (audio, image or video type that did not sniff as one)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 15 (not JavaScript, or JSON)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch ORB: opaque-response-safelist check, step 15 (body past the script budget: fail closed)", "https://github.com/whatwg/fetch/pull/1755"},
	{"Fetch: HTTP fetch, CORS check", "https://fetch.spec.whatwg.org/#concept-cors-check"},
	{"Fetch: CORS-preflight fetch, step 7 (the preflight's answer)", "https://fetch.spec.whatwg.org/#cors-preflight-fetch-0"},
	{"Fetch: HTTP-redirect fetch, steps 8-9 (redirect to a URL with credentials)", "https://fetch.spec.whatwg.org/#http-redirect-fetch"},
	{"Fetch: main fetch, step 12 (CORS request to a non-HTTP(S) URL)", "https://fetch.spec.whatwg.org/#main-fetch"},
	{"Fetch: should response to request be blocked due to nosniff", "https://fetch.spec.whatwg.org/#should-response-to-request-be-blocked-due-to-nosniff?"},
	{"Fetch: should response to request be blocked due to its MIME type", "https://fetch.spec.whatwg.org/#should-response-to-request-be-blocked-due-to-mime-type?"},
	{"Mixed Content: should fetching request be blocked as mixed content", "https://w3c.github.io/webappsec-mixed-content/#should-block-fetch"},
	{"Fetch: HTTP-redirect fetch, step 5 (location URL is failure)", "https://fetch.spec.whatwg.org/#http-redirect-fetch"},
	{"Fetch: HTTP-redirect fetch, step 6 (location URL's scheme is not an HTTP(S) scheme)", "https://fetch.spec.whatwg.org/#http-redirect-fetch"},
	{"Fetch: HTTP-redirect fetch, step 11 (a request body whose source is null)", "https://fetch.spec.whatwg.org/#http-redirect-fetch"},
	{"xorigin: the body the decision needs is in a content coding the Transport does not decode (fail closed)", ""},
	{"Fetch: HTTP fetch, step 12 (redirect mode \"error\")", "https://fetch.spec.whatwg.org/#http-fetch"},
	{"Fetch: main fetch, step 7 (should request be blocked due to a bad port)", "https://fetch.spec.whatwg.org/#port-blocking"},
	{"Fetch: main fetch, step 23 (the body does not match the request's integrity metadata)", "https://w3c.github.io/webappsec-subresource-integrity/#does-response-match-metadatalist"},
	{"Fetch: main fetch, step 23.2 (integrity metadata, and the response's body is null: an opaque response, HEAD or a null body status)", "https://fetch.spec.whatwg.org/#main-fetch"},
	{"xorigin: the body is longer than the integrity budget (fail closed)", ""},
	{"Local Network Access check, step 5.2 (a local network request from a client that is not a secure context)", "https://wicg.github.io/local-network-access/#local-network-access-check"},
	{"Local Network Access check, steps 5.4-5.13 (the local-network or loopback-network permission is denied)", "https://wicg.github.io/local-network-access/#local-network-access-check"},
	{"Local Network Access check, step 4 (the connection did not reach the request's target address space, local)", "https://wicg.github.io/local-network-access/#local-network-access-check"},
	{"Chromium: a subresource URL with a username or password is refused (frame_fetch_context.cc, ShouldBlockFetchAsCredentialedSubresource)", "https://chromestatus.com/feature/5669008342777856"},
}

// String describes the step in words.
func (s Step) String() string {
	if s < numSteps {
		return stepText[s].text
	}
	return fmt.Sprintf("Step(%d)", s)
}

// URL links to the spec algorithm the step belongs to.
func (s Step) URL() string {
	if s < numSteps {
		return stepText[s].url
	}
	return ""
}

// Verdict is the engine's decision on a response. It is comparable, and
// small enough (four fields) for the compiler to keep in registers.
type Verdict struct {
	Result Result
	Reason Reason
	Step   Step
	// Hop is the index in the URL list of the response that decided a
	// block, or that an Undecided verdict waits for; 0 for Allowed.
	Hop int
}

// Need, for an Undecided verdict waiting for the body (ReasonNeedBody), is
// how many bytes of it the decision needs: SniffLen to sniff (step
// StepORBSniff), or WholeBody to parse it as JavaScript (step
// StepORBNotJavaScript) or to hash it (StepIntegrity). It is 0 for any
// other verdict.
func (v Verdict) Need() int {
	switch {
	case v.Result != Undecided || v.Reason != ReasonNeedBody:
		return 0
	case v.Step == StepORBNotJavaScript, v.Step == StepIntegrity:
		return WholeBody
	}
	return SniffLen
}

// Allows reports whether v lets the body through; false for anything but
// Allowed, including the zero Verdict.
func (v Verdict) Allows() bool { return v.Result == Allowed }

var allowed = Verdict{Result: Allowed}

func blocked(reason Reason, step Step, hop int) Verdict {
	return Verdict{Result: Blocked, Reason: reason, Step: step, Hop: hop}
}

// ReportType is the type of a COEP violation report body.
type ReportType uint8

// The report types.
const (
	// ReportCORP: a CORP violation (Fetch), "corp".
	ReportCORP ReportType = iota
	// ReportNavigation: a nested navigation's embedder policy inheritance
	// violation (HTML), "navigation".
	ReportNavigation
)

// String returns "corp" or "navigation".
func (t ReportType) String() string {
	switch t {
	case ReportCORP:
		return "corp"
	case ReportNavigation:
		return "navigation"
	}
	return fmt.Sprintf("ReportType(%d)", t)
}

// Disposition says whether a report's policy was enforced.
type Disposition uint8

// The dispositions.
const (
	Enforce Disposition = iota
	Reporting
)

// String returns "enforce" or "reporting".
func (d Disposition) String() string {
	switch d {
	case Enforce:
		return "enforce"
	case Reporting:
		return "reporting"
	}
	return fmt.Sprintf("Disposition(%d)", d)
}

// Report is a queued COEP violation report (Reporting API type "coep").
// The library only describes it; sending it is the caller's business.
type Report struct {
	Type ReportType
	// BlockedURL is the request's first URL, without credentials and
	// fragment (Fetch: serialize a response URL for reporting), so that a
	// report never reveals where a redirect went.
	BlockedURL string
	// Destination is the request's destination; meaningful for ReportCORP.
	Destination fetchctx.Destination
	Disposition Disposition
	// Endpoint is the reporting endpoint named by the policy's report-to
	// parameter, "" when it named none.
	Endpoint string
}
