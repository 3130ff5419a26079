package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
	"github.com/xorigin/xorigin/site"
)

// The verdicts the commands print: the engine's results, and the har
// command's own. "not-checked" is for what the engine does not decide (a
// main document, a WebSocket, a CORS preflight on its own, ...);
// "no-response" for a HAR entry without one; "undecided" for one whose body
// the HAR does not hold whole, when opaque response blocking needs it.
const (
	verdictAllowed    = "allowed"
	verdictBlocked    = "blocked"
	verdictStripped   = "stripped"
	verdictNotChecked = "not-checked"
	verdictNoResponse = "no-response"
	verdictError      = "error"
	// verdictUndecided is har's: opaque response blocking needs a body
	// the export does not hold whole.
	verdictUndecided = "undecided"
)

// breaks reports whether a verdict string means the page does not get the
// body: blocked, or stripped (treated alike in output and exit codes).
func breaks(verdict string) bool {
	return verdict == verdictBlocked || verdict == verdictStripped
}

// outcome is a decision explained: what the page gets, why, and what to
// change so that it gets the body.
type outcome struct {
	Verdict string // one of the verdict constants
	Reason  string // the engine's reason token
	Why     string // one sentence
	Fix     string // "" when nothing needs fixing
	// Already is true when the response is blocked whatever the page's
	// embedder policy: the page is broken without COEP too.
	Already bool
}

// judge turns an engine verdict on req (hops[i] answering req.URLs[i]) into
// an outcome. preflight is the CORS preflight's answer, if one was sent.
func judge(req *fetchctx.Request, preflight *enforce.Response, hops []enforce.Response, v enforce.Verdict) outcome {
	switch v.Result {
	case enforce.Allowed:
		return outcome{Verdict: verdictAllowed, Why: whyAllowed(req, hops)}
	case enforce.Stripped:
		return outcome{Verdict: verdictStripped, Reason: v.Reason.String(),
			Why:     fmt.Sprintf("opaque response blocking: %s reaches the page as an empty response with no headers", req.URLs[v.Hop]),
			Fix:     orbFix(req.Destination, v.Step),
			Already: true}
	}
	// Blocked, or Undecided, which is a block too.
	o := outcome{Verdict: verdictBlocked, Reason: v.Reason.String(), Already: !byEmbedderPolicy(v.Step)}
	if o.Reason == "" {
		o.Reason = "undecided"
	}
	if v.Hop < 0 || v.Hop >= len(req.URLs) || v.Hop >= len(hops) {
		o.Why = "the engine could not decide (fail closed)"
		return o
	}
	o.Why, o.Fix = whyBlocked(req, preflight, hops, v)
	return o
}

// byEmbedderPolicy reports whether a block at step s comes from the
// client's embedder policy: without one, nothing would block there. Every
// other gate (the resource's own CORP, CORS, ORB, MIME types, nosniff,
// mixed content, the mode, redirects) blocks whatever the policy.
func byEmbedderPolicy(s enforce.Step) bool {
	switch s {
	case enforce.StepCORPEmbedderPolicy, enforce.StepNavigationCORP, enforce.StepNavigationCOEP:
		return true
	}
	return false
}

// corpSameSite reports whether CORP same-site would let from load target:
// schemelessly same site, and an https target only for an https initiator.
func corpSameSite(from, target origin.Origin) bool {
	return (from.Scheme() == "https" || target.Scheme() != "https") &&
		site.Default().SchemelesslySameSite(from, target)
}

// header returns a response header's values joined, "" when absent.
func headerOf(r *enforce.Response, name string) string {
	if r == nil || r.Header == nil {
		return ""
	}
	return strings.Join(r.Header.Values(name), ", ")
}

func whyBlocked(req *fetchctx.Request, preflight *enforce.Response, hops []enforce.Response, v enforce.Verdict) (why, fix string) {
	u := req.URLs[v.Hop]
	target := u.Origin()
	from := req.Origin
	resp := &hops[v.Hop]
	nav := req.IsNestedNavigation()
	policy := req.Policy.Value
	header := "no Cross-Origin-Resource-Policy"
	if resp.CORP == enforce.CORPInvalid {
		header = "an invalid Cross-Origin-Resource-Policy"
	}
	corpFix := "serve Cross-Origin-Resource-Policy: cross-origin"
	if corpSameSite(from, target) {
		corpFix = "serve Cross-Origin-Resource-Policy: same-site (same-site suffices)"
	}
	where := ""
	if isRedirect(resp.Status) {
		where = " on this redirect"
	}
	allowOrigin := "Access-Control-Allow-Origin: " + from.String()
	if req.Credentials == fetchctx.CredentialsInclude {
		allowOrigin += " and Access-Control-Allow-Credentials: true"
	}
	acao := headerOf(resp, "Access-Control-Allow-Origin")

	switch v.Reason {
	case enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP:
		why = fmt.Sprintf("%s sends %s, and the page's Cross-Origin-Embedder-Policy: %s makes that same-origin; %s is another origin",
			u, header, policy, from)
		switch {
		case nav:
			why = fmt.Sprintf("%s, a document framed by a page with Cross-Origin-Embedder-Policy: %s, sends %s, which then means same-origin; %s is another origin",
				u, policy, header, from)
			fix = corpFix + " on the framed document"
			if !resp.COEP.Value.IsCompatibleWithCrossOriginIsolation() {
				fix += ", and Cross-Origin-Embedder-Policy: require-corp (or credentialless)"
			}
		case corpSameSite(from, target):
			fix = corpFix + where
		case canLoadWithCORS(req.Destination):
			fix = corpFix + where + ", or load it with CORS"
		default:
			fix = corpFix + where
		}
	case enforce.ReasonCORPNotSameOrigin:
		why = fmt.Sprintf("%s sends Cross-Origin-Resource-Policy: same-origin, and %s is another origin", u, from)
		fix = corpFix + where
	case enforce.ReasonCORPNotSameSite:
		if site.Default().SchemelesslySameSite(from, target) {
			why = fmt.Sprintf("%s sends Cross-Origin-Resource-Policy: same-site, and %s, though same site, is not https", u, from)
			fix = "serve the page over https, or serve Cross-Origin-Resource-Policy: cross-origin" + where
		} else {
			why = fmt.Sprintf("%s sends Cross-Origin-Resource-Policy: same-site, and %s is not same site with %s", u, from, target)
			fix = "serve Cross-Origin-Resource-Policy: cross-origin" + where
		}
	case enforce.ReasonCOEPFrameResourceNeedsCOEPHeader:
		why = fmt.Sprintf("%s is framed by a page with Cross-Origin-Embedder-Policy: %s, and sends no Cross-Origin-Embedder-Policy of its own",
			u, policy)
		fix = "serve Cross-Origin-Embedder-Policy: require-corp (or credentialless) on the framed document"
	case enforce.ReasonBlockedByORB:
		why = fmt.Sprintf("opaque response blocking: %s may not reach a no-cors %s request from another origin", u, orQuoted(req.Destination.String()))
		fix = orbFix(req.Destination, v.Step)

	// The CORS check, on the response (redirects included) and on the
	// preflight's answer.
	case enforce.ReasonCORSMissingAllowOrigin:
		why = fmt.Sprintf("a CORS request from %s, and %s sends no Access-Control-Allow-Origin", from, u)
		fix = "serve " + allowOrigin + where
	case enforce.ReasonCORSMultipleAllowOrigin:
		why = fmt.Sprintf("%s sends several Access-Control-Allow-Origin values (%s); the CORS check wants one", u, acao)
		fix = "serve a single " + allowOrigin + where
	case enforce.ReasonCORSWildcardOriginNotAllowed:
		why = fmt.Sprintf("a credentialed CORS request, and %s sends Access-Control-Allow-Origin: *, which does not cover credentials", u)
		fix = "serve " + allowOrigin + where + " instead of *"
	case enforce.ReasonCORSAllowOriginMismatch:
		why = fmt.Sprintf("%s sends Access-Control-Allow-Origin: %s, which is not %s", u, acao, from)
		fix = "serve " + allowOrigin + where
	case enforce.ReasonCORSInvalidAllowCredentials:
		why = fmt.Sprintf("a credentialed CORS request, and %s does not send Access-Control-Allow-Credentials: true", u)
		fix = "serve Access-Control-Allow-Credentials: true" + where
	case enforce.ReasonCORSPreflightMissingAllowOrigin, enforce.ReasonCORSPreflightWildcardOriginNotAllowed,
		enforce.ReasonCORSPreflightAllowOriginMismatch, enforce.ReasonCORSPreflightInvalidAllowCredentials,
		enforce.ReasonCORSPreflightMultipleAllowOrigin, enforce.ReasonCORSPreflightInvalidAllowOrigin:
		why = fmt.Sprintf("the CORS preflight (OPTIONS %s) fails the CORS check: Access-Control-Allow-Origin %q", u, headerOf(preflight, "Access-Control-Allow-Origin"))
		fix = "answer the preflight with " + allowOrigin
	case enforce.ReasonCORSPreflightInvalidStatus:
		why = fmt.Sprintf("the CORS preflight (OPTIONS %s) gets a status that is not ok", u)
		fix = "answer the preflight with a 2xx status"
	case enforce.ReasonCORSInvalidAllowMethods, enforce.ReasonCORSInvalidAllowHeaders:
		why = fmt.Sprintf("the CORS preflight's Access-Control-Allow-Methods (%q) or -Headers (%q) for %s does not parse", headerOf(preflight, "Access-Control-Allow-Methods"), headerOf(preflight, "Access-Control-Allow-Headers"), u)
		fix = "answer the preflight with comma-separated lists of tokens"
	case enforce.ReasonCORSPreflightDisallowedRedirect:
		why = fmt.Sprintf("the CORS preflight (OPTIONS %s) is answered with a redirect, which a preflight may not follow", u)
		fix = "answer OPTIONS at this URL with a 2xx status and the CORS headers"
	case enforce.ReasonCORSInvalidAllowOrigin:
		why = fmt.Sprintf("%s sends Access-Control-Allow-Origin: %s, which is not an origin", u, acao)
		fix = "serve " + allowOrigin + where
	case enforce.ReasonCORSMethodDisallowedByPreflight:
		why = fmt.Sprintf("the CORS preflight's Access-Control-Allow-Methods (%q) does not allow %s", headerOf(preflight, "Access-Control-Allow-Methods"), methodOf(req))
		fix = "answer the preflight with Access-Control-Allow-Methods: " + methodOf(req)
	case enforce.ReasonCORSHeaderDisallowedByPreflight:
		names := headerNames(req)
		why = fmt.Sprintf("the CORS preflight's Access-Control-Allow-Headers (%q) does not allow every header the request sets (%s)", headerOf(preflight, "Access-Control-Allow-Headers"), names)
		fix = "answer the preflight with Access-Control-Allow-Headers: " + names
	case enforce.ReasonCORSPreflightNoAnswer:
		why = fmt.Sprintf("the request needs a CORS preflight, and none was answered for %s", u)
		fix = "answer OPTIONS requests with the CORS headers"
	case enforce.ReasonCORSRedirectContainsCredentials:
		why = fmt.Sprintf("a CORS request was redirected to %s, a URL with a username or password", u)
		fix = "redirect to a URL without credentials"
	case enforce.ReasonCORSDisabledScheme:
		why = fmt.Sprintf("a CORS request to %s, which is not http or https", u)
		fix = "serve it over https"

	case enforce.ReasonNoSniff:
		why = fmt.Sprintf("%s sends X-Content-Type-Options: nosniff with Content-Type %q, which is not a %s type", u, headerOf(resp, "Content-Type"), typeWanted(req.Destination))
		fix = "serve it with Content-Type: " + contentTypeFor(req.Destination)
	case enforce.ReasonMIMETypeNotExecutable:
		why = fmt.Sprintf("%s is loaded as a script, and its Content-Type %q is audio, image, video or CSV", u, headerOf(resp, "Content-Type"))
		fix = "serve it with Content-Type: text/javascript"
	case enforce.ReasonMixedContent:
		why = fmt.Sprintf("%s is an insecure URL, requested from the secure context %s (mixed content)", u, from)
		fix = "load it over https"
	case enforce.ReasonDisallowedByMode:
		why = fmt.Sprintf("mode same-origin, and %s is another origin than %s", u, from)
		fix = "none: a network error with or without COEP"
	case enforce.ReasonTooManyRedirects:
		why = "more than 20 redirects"
		fix = "none: a network error with or without COEP"
	case enforce.ReasonUnsafeRedirect:
		why = fmt.Sprintf("%s redirects to a URL that is not http or https (Location: %q)", u, headerOf(resp, "Location"))
		fix = "redirect only to http or https URLs"
	case enforce.ReasonInvalidRedirect:
		why = fmt.Sprintf("%s answers a redirect whose Location cannot be used (none parses, or several)", u)
		fix = "send one Location header with a valid URL"
	case enforce.ReasonRedirectBodyNotReplayable:
		why = fmt.Sprintf("%s redirects a request whose body cannot be sent again", u)
		fix = "answer 303, or give the request a body that can be re-read (http.Request.GetBody)"
	case enforce.ReasonUndecodableBody:
		why = fmt.Sprintf("%s is sent with Content-Encoding %q, which xorigin does not decode, and the decision needs its body", u, headerOf(resp, "Content-Encoding"))
		fix = "serve it with gzip or deflate, or uncompressed"
	case enforce.ReasonRedirectModeError:
		why = fmt.Sprintf("%s answers a redirect, and the request's redirect mode is \"error\"", u)
		fix = "serve the resource at the URL requested, or request it with redirect \"follow\""
	case enforce.ReasonBadPort:
		why = fmt.Sprintf("%s is on a bad port (Fetch's port blocking: a port of a service an HTTP request could be smuggled into)", u)
		fix = "serve it on another port"
	case enforce.ReasonIntegrity:
		switch v.Step {
		case enforce.StepIntegrityNullBody:
			why = fmt.Sprintf("the request has integrity metadata, and the response from %s has no body to check (an opaque response: integrity needs CORS; HEAD; 204 or 205)", u)
			fix = "load it with CORS (crossorigin=anonymous) and serve Access-Control-Allow-Origin"
		case enforce.StepIntegrityBudget:
			why = fmt.Sprintf("the body of %s is longer than the integrity budget", u)
			fix = "raise enforce.Config.IntegrityBudget"
		default:
			why = fmt.Sprintf("the body of %s does not match the request's integrity metadata (%s)", u, req.Integrity)
			fix = "update the integrity attribute to the digest of the body served, or serve the body it names"
		}
	case enforce.ReasonInsecureLocalNetwork:
		why = fmt.Sprintf("%s is not a secure context, and %s is in a more private address space than it (Local Network Access)", from, u)
		fix = "load the page over https, and grant the local network permission"
	case enforce.ReasonLocalNetworkPermissionDenied:
		why = fmt.Sprintf("%s reached a more private address space than %s's, and the local network permission is denied (Local Network Access)", u, from)
		fix = "grant it (--local-network allow, enforce.LocalNetworkAllow), or serve the page from that network"
	case enforce.ReasonInvalidLocalNetworkAccess:
		why = fmt.Sprintf("%s names the local network (a local IP address, a .local name), and the connection reached another address space", u)
		fix = "make the name resolve to a local address"
	case enforce.ReasonURLCredentials:
		why = fmt.Sprintf("%s has a username or password, and Chromium refuses such a subresource URL before sending it", u)
		fix = "take the credentials out of the URL (send them in a header)"
	case enforce.ReasonNeedBody:
		why = "opaque response blocking needs the body, and there is none to read"
	default:
		why = fmt.Sprintf("the engine refused the request (%s)", v.Reason)
	}
	return why, fix
}

// headerNames lists, lowercase and sorted, the headers the initiator set.
func headerNames(req *fetchctx.Request) string {
	var names []string
	for k := range req.Header {
		names = append(names, strings.ToLower(k))
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func methodOf(req *fetchctx.Request) string {
	if req.Method == "" {
		return "GET"
	}
	return req.Method
}

func typeWanted(d fetchctx.Destination) string {
	if d == fetchctx.DestinationStyle {
		return "CSS"
	}
	return "JavaScript"
}

func contentTypeFor(d fetchctx.Destination) string {
	if d == fetchctx.DestinationStyle {
		return "text/css"
	}
	return "text/javascript"
}

// orbFix says how to get a response past opaque response blocking: label
// it as what the element expects, or fetch it with CORS.
func orbFix(d fetchctx.Destination, step enforce.Step) string {
	if step == enforce.StepORBNeverSniffed {
		return "load it with CORS: a no-cors request never gets a response of this Content-Type"
	}
	var fix string
	switch d {
	case fetchctx.DestinationScript:
		fix = "serve it with Content-Type: text/javascript"
	case fetchctx.DestinationStyle:
		fix = "serve it with Content-Type: text/css"
	case fetchctx.DestinationImage:
		fix = "serve it with its image Content-Type (image/png, ...)"
	case fetchctx.DestinationAudio, fetchctx.DestinationVideo:
		fix = "serve it as audio or video, with status 200 or 206"
	case fetchctx.DestinationEmpty:
		return "load it with CORS (fetch in mode cors)"
	default:
		return "serve it with the Content-Type of what it is, or load it with CORS"
	}
	return fix + ", or load it with CORS"
}

// canLoadWithCORS reports whether an element loading destination d can be
// switched to CORS (a crossorigin attribute, or fetch's mode).
func canLoadWithCORS(d fetchctx.Destination) bool {
	switch d {
	case fetchctx.DestinationEmpty, fetchctx.DestinationImage, fetchctx.DestinationScript,
		fetchctx.DestinationStyle, fetchctx.DestinationAudio, fetchctx.DestinationVideo,
		fetchctx.DestinationTrack, fetchctx.DestinationFont, fetchctx.DestinationJSON:
		return true
	}
	return false
}

func whyAllowed(req *fetchctx.Request, hops []enforce.Response) string {
	last := len(req.URLs) - 1
	lastURL := req.URLs[last]
	if req.Mode == fetchctx.ModeNavigate && !req.IsNestedNavigation() {
		return "a top-level navigation: no CORP check"
	}
	if !lastURL.IsHTTP() {
		return fmt.Sprintf("a %s: URL: HTTP fetch, and so the CORP check, never runs", lastURL.Scheme())
	}
	t, _ := req.Tainting(last)
	if t == fetchctx.TaintingBasic && !req.IsNestedNavigation() {
		return fmt.Sprintf("same origin with %s all the way: no CORS or CORP check applies", req.Origin)
	}
	resp := &hops[last]
	if t == fetchctx.TaintingCORS {
		return fmt.Sprintf("a CORS request: CORP does not apply, and the CORS check passes (%s sends Access-Control-Allow-Origin: %s)",
			lastURL, headerOf(resp, "Access-Control-Allow-Origin"))
	}
	target := lastURL.Origin()
	switch resp.CORP {
	case enforce.CORPCrossOrigin:
		return fmt.Sprintf("%s sends Cross-Origin-Resource-Policy: cross-origin", lastURL)
	case enforce.CORPSameSite:
		return fmt.Sprintf("%s sends Cross-Origin-Resource-Policy: same-site, and %s is same site with %s", lastURL, req.Origin, target)
	case enforce.CORPSameOrigin:
		return fmt.Sprintf("%s sends Cross-Origin-Resource-Policy: same-origin, and %s is same origin", lastURL, req.Origin)
	}
	header := "no Cross-Origin-Resource-Policy"
	if resp.CORP == enforce.CORPInvalid {
		header = "an invalid Cross-Origin-Resource-Policy (no policy)"
	}
	switch {
	case req.Policy.Value == fetchctx.Credentialless && !req.IncludesCredentials(last) && !req.IsNestedNavigation():
		return fmt.Sprintf("%s sends %s; under credentialless the request goes without credentials, so it needs none", lastURL, header)
	case req.Policy.Value == fetchctx.UnsafeNone:
		return fmt.Sprintf("%s sends %s, and the page has no embedder policy that requires one", lastURL, header)
	}
	return fmt.Sprintf("%s passes the CORP check", lastURL)
}
