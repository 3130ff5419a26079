package enforce

import (
	"strings"

	"github.com/xorigin/xorigin/fetchctx"
)

// isScriptLike reports whether d is script-like (Fetch: audioworklet,
// paintworklet, script, serviceworker, sharedworker, worker).
func isScriptLike(d fetchctx.Destination) bool {
	switch d {
	case fetchctx.DestinationAudioWorklet, fetchctx.DestinationPaintWorklet, fetchctx.DestinationScript,
		fetchctx.DestinationServiceWorker, fetchctx.DestinationSharedWorker, fetchctx.DestinationWorker:
		return true
	}
	return false
}

// blockedByNoSniff implements "should response to request be blocked due
// to nosniff".
func blockedByNoSniff(req *fetchctx.Request, resp *Response) bool {
	f := &resp.orb
	// Step 1: only with X-Content-Type-Options: nosniff.
	if !f.nosniff {
		return false
	}
	// Step 4: scripts need a JavaScript MIME type.
	if isScriptLike(req.Destination) {
		return !f.hasMIME || !f.mime.IsJavaScript()
	}
	// Step 5: style sheets need text/css.
	if req.Destination == fetchctx.DestinationStyle {
		return !f.hasMIME || f.mime.Essence() != "text/css"
	}
	return false
}

// blockedByMIMEType implements "should response to request be blocked due
// to its MIME type": no script runs from audio, image, video or CSV.
func blockedByMIMEType(req *fetchctx.Request, resp *Response) bool {
	f := &resp.orb
	if !f.hasMIME || !isScriptLike(req.Destination) {
		return false
	}
	ess := f.mime.Essence()
	return strings.HasPrefix(ess, "audio/") || strings.HasPrefix(ess, "image/") ||
		strings.HasPrefix(ess, "video/") || ess == "text/csv"
}

// prohibitsMixedContent implements "does settings prohibit mixed security
// contexts" with what a request knows: the client's origin is potentially
// trustworthy. (Ancestors are not known; a framed page of an https page
// that is itself http gets no protection here.)
func (e *Engine) prohibitsMixedContent(req *fetchctx.Request) bool {
	if e.profile == ProfileChromium {
		// Chromium departure (third_party/blink/renderer/core/loader/
		// mixed_content_checker.cc, IsMixedContent): only an https
		// origin restricts mixed content; an http://localhost page,
		// potentially trustworthy, does not.
		return req.Origin.Scheme() == "https"
	}
	return req.Origin.IsPotentiallyTrustworthy()
}

// isOptionallyBlockable reports whether Chromium treats d as optionally
// blockable mixed content (third_party/blink/common/loader/
// mixed_content.cc: images, audio and video).
func isOptionallyBlockable(d fetchctx.Destination) bool {
	switch d {
	case fetchctx.DestinationImage, fetchctx.DestinationAudio, fetchctx.DestinationVideo:
		return true
	}
	return false
}

// IsUpgradeable reports whether Mixed Content would upgrade the request at
// hop i to https ("upgrade a mixed content request to a potentially
// trustworthy URL, if appropriate"): an image, audio or video request from
// a secure context to an http URL whose host is a domain.
func (e *Engine) IsUpgradeable(req *fetchctx.Request, i int) bool {
	if !e.ready() || req == nil || i < 0 || i >= len(req.URLs) || e.checks&CheckMixedContent == 0 {
		return false
	}
	// The destination and the scheme first: most requests are no image,
	// audio or video on http, and those two tests are the cheapest.
	switch req.Destination {
	case fetchctx.DestinationImage, fetchctx.DestinationAudio, fetchctx.DestinationVideo:
	default:
		return false
	}
	u := &req.URLs[i]
	return u.Scheme() == "http" && !u.IsPotentiallyTrustworthy() && !u.Origin().HasIPHost() &&
		e.prohibitsMixedContent(req) && !e.targetsLocalNetwork(u)
}

// blockedAsMixedContent implements "should fetching request be blocked as
// mixed content" for hop i. An upgradeable request was fetched from the
// https form of its URL, which the URL list then holds.
func (e *Engine) blockedAsMixedContent(req *fetchctx.Request, i int) bool {
	if !e.prohibitsMixedContent(req) || req.URLs[i].IsPotentiallyTrustworthy() {
		return false
	}
	if e.profile == ProfileChromium && isOptionallyBlockable(req.Destination) &&
		(i > 0 || strings.HasPrefix(req.URLs[i].Origin().Host(), "[")) {
		// Chromium departure (third_party/blink/renderer/core/loader/
		// mixed_content_checker.cc, ShouldBlockFetch): optionally-
		// blockable content the upgrade left alone (an IP host) is
		// displayed with a warning, not blocked: an IPv6 literal asked
		// for directly, and any IP host reached by a redirect. A direct
		// IPv4 literal is blocked, as the spec says (Chromium 156, seen
		// by browser-diff: testdata/chromium/mixed_content.json).
		return false
	}
	// Local Network Access: a request to the local network is its check's
	// to decide, not mixed content's.
	if e.targetsLocalNetwork(&req.URLs[i]) {
		return false
	}
	// Top-level navigations are not mixed content.
	if req.Mode == fetchctx.ModeNavigate && req.Destination == fetchctx.DestinationDocument {
		return false
	}
	// An upgradeable request goes out as https: not blocked.
	return !e.IsUpgradeable(req, i)
}
