package enforce

import "github.com/xorigin/xorigin/fetchctx"

// CheckRequest decides, before hop i's request is sent, the gates that need
// no response: the redirect limit, bad ports, mixed content (after the upgrade of
// images, audio and video, which the caller applies: see IsUpgradeable),
// mode same-origin, and a CORS request's URL scheme and credentials. A
// Transport calls it so that a blocked request never leaves the machine.
func (e *Engine) CheckRequest(req *fetchctx.Request, i int) Verdict {
	if !e.decidable(req) || i < 0 || i >= len(req.URLs) {
		return blocked(ReasonInvalidRequest, StepPrecondition, max(i, 0))
	}
	v, _ := e.requestGates(req, i)
	return v
}

// requestGates is CheckRequest on a well-formed request; it also returns
// the hop's response tainting (basic for a navigation).
func (e *Engine) requestGates(req *fetchctx.Request, i int) (Verdict, fetchctx.Tainting) {
	if i > 0 {
		// HTTP-redirect fetch: the 21st redirect is a network error, so
		// no URL past the 21st is ever fetched.
		if i > maxRedirects {
			return blocked(ReasonTooManyRedirects, StepRedirectCount, maxRedirects), 0
		}
		// HTTP-redirect fetch, step 6: a redirect only leads to HTTP(S)
		// URLs.
		if v := redirectedToHTTP(req, i); !v.Allows() {
			return v, 0
		}
	}
	if e.checks&(CheckBadPort|CheckMixedContent) != 0 {
		if v := e.portAndMixedContent(req, i); !v.Allows() {
			return v, 0
		}
	}
	if req.Mode == fetchctx.ModeNavigate {
		if e.urlCredentialsRefused(req, i) {
			return blocked(ReasonURLCredentials, StepURLCredentials, i), 0
		}
		return allowed, fetchctx.TaintingBasic
	}
	t, ok := req.Tainting(i)
	if !ok {
		// Main fetch, step 12: mode same-origin to another origin is a
		// network error.
		return blocked(ReasonDisallowedByMode, StepMainFetchMode, i), t
	}
	if t == fetchctx.TaintingCORS && e.checks&CheckCORS != 0 {
		if v := corsRequestGate(req, i); !v.Allows() {
			return v, t
		}
	}
	if e.urlCredentialsRefused(req, i) {
		return blocked(ReasonURLCredentials, StepURLCredentials, i), t
	}
	return allowed, t
}

// portAndMixedContent is main fetch, step 8: a bad port or mixed content
// (after the upgrade of images, audio and video to https, which keeps the
// port), in the step's order. Chromium departure: Blink's mixed content
// checker (third_party/blink/renderer/core/loader/mixed_content_checker.cc)
// runs in the renderer, before the network stack's port check
// (net/base/port_util.cc), at the first hop and on redirects.
func (e *Engine) portAndMixedContent(req *fetchctx.Request, i int) Verdict {
	if e.profile == ProfileChromium {
		if e.checks&CheckMixedContent != 0 && e.blockedAsMixedContent(req, i) {
			return blocked(ReasonMixedContent, StepMixedContent, i)
		}
	}
	if e.checks&CheckBadPort != 0 && e.blockedByBadPort(&req.URLs[i]) {
		return blocked(ReasonBadPort, StepBadPort, i)
	}
	if e.profile != ProfileChromium {
		if e.checks&CheckMixedContent != 0 && e.blockedAsMixedContent(req, i) {
			return blocked(ReasonMixedContent, StepMixedContent, i)
		}
	}
	return allowed
}

// urlCredentialsRefused reports whether the Chromium profile refuses hop
// i's URL for its credentials. Chromium departure (third_party/blink/
// renderer/core/loader/frame_fetch_context.cc,
// ShouldBlockFetchAsCredentialedSubresource, and content/browser/
// renderer_host/navigation_request.cc for frames): a subresource URL
// with credentials is refused before it is sent, at every hop; a CORS
// redirect to one is the network service's RedirectContainsCredentials
// first (services/network/cors/cors_url_loader.cc), which the CORS gate
// above gives. (Blink exempts XMLHttpRequest, which a Request cannot
// tell from fetch(): fetch() itself throws on such a URL.)
func (e *Engine) urlCredentialsRefused(req *fetchctx.Request, i int) bool {
	return e.profile == ProfileChromium && req.URLs[i].IncludesCredentials() &&
		!(req.Mode == fetchctx.ModeNavigate && req.Destination == fetchctx.DestinationDocument)
}

// corsRequestGate decides what a CORS request's URL alone decides: main
// fetch, step 12 (HTTP(S) only), and HTTP-redirect fetch, steps 8-9 (no
// redirect to a URL with credentials).
func corsRequestGate(req *fetchctx.Request, i int) Verdict {
	if !req.URLs[i].IsHTTP() {
		return blocked(ReasonCORSDisabledScheme, StepCORSScheme, i)
	}
	if i > 0 && req.URLs[i].IncludesCredentials() {
		return blocked(ReasonCORSRedirectContainsCredentials, StepCORSRedirect, i)
	}
	return allowed
}
