package enforce

import (
	"strings"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/mimesniff"
)

// Opaque response blocking (ORB): the opaque-response-safelist check of
// whatwg/fetch pull request 1755 (the "spec" profile), and Chromium's
// shipping variant (the "chromium" profile).

// The Need of an Undecided verdict.
const (
	// SniffLen: the first 1024 bytes, or the whole body if shorter,
	// which MIME sniffing reads.
	SniffLen = mimesniff.SniffLen
	// WholeBody: the whole body.
	WholeBody = int(^uint(0) >> 1)
)

// orbFacts are the response headers ORB reads, parsed once by ParseResponse.
type orbFacts struct {
	mime      mimesniff.MIMEType
	hasMIME   bool // extracting a MIME type did not fail
	nosniff   bool
	rangeZero bool // Content-Range is a single byte range starting at 0
	// rangeAfterZero: Content-Range names a byte range that starts past 0
	// and a known complete length (what Chromium blocks).
	rangeAfterZero bool
}

func parseORBFacts(contentType, xcto, contentRange []string) orbFacts {
	var f orbFacts
	f.mime, f.hasMIME = extractMIMEType(contentType)
	f.nosniff = mimesniff.NoSniff(xcto)
	f.rangeZero, f.rangeAfterZero = parseContentRange(contentRange)
	return f
}

// extractMIMEType is mimesniff.Extract (Fetch: extract a MIME type), with
// the answer for a single Content-Type value among those servers send
// most looked up, not computed again for each response.
func extractMIMEType(values []string) (mimesniff.MIMEType, bool) {
	if len(values) == 1 {
		if mt, ok := commonMIMETypes[values[0]]; ok {
			return mt, true
		}
	}
	return mimesniff.Extract(values)
}

// commonMIMETypes maps Content-Type values servers send most (net/http's
// sniffed types among them) to what extracting a MIME type from that one
// value gives: Extract's own answers, computed once.
var commonMIMETypes = func() map[string]mimesniff.MIMEType {
	m := make(map[string]mimesniff.MIMEType)
	for _, v := range [...]string{
		"text/html; charset=utf-8", "text/html", "text/plain; charset=utf-8", "text/plain",
		"application/json", "application/json; charset=utf-8",
		"text/javascript", "text/javascript; charset=utf-8", "application/javascript", "application/javascript; charset=utf-8",
		"text/css", "text/css; charset=utf-8", "text/xml; charset=utf-8", "application/xml",
		"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/svg+xml", "image/x-icon",
		"font/woff2", "font/woff", "video/mp4", "audio/mpeg", "application/wasm", "application/octet-stream",
	} {
		if mt, ok := mimesniff.Extract([]string{v}); ok {
			m[v] = mt
		}
	}
	return m
}()

// parseContentRange implements "validate a partial response" given
// expected range start 0 (atZero: the first Content-Range value parses as a
// single byte content-range whose first byte position is 0), and reports
// Chromium's view (afterZero: it parses, with a numeric complete length, and
// starts past 0). The Fetch PR's ABNF writes "bytes=", HTTP writes "bytes ";
// both are accepted.
func parseContentRange(values []string) (atZero, afterZero bool) {
	if len(values) == 0 {
		return false, false
	}
	v := mimesniff.TrimHTTPWhitespace(values[0])
	if len(v) < 6 || !strings.EqualFold(v[:5], "bytes") || (v[5] != ' ' && v[5] != '=') {
		return false, false
	}
	first, rest, ok := cutDigits(v[6:])
	if !ok || !strings.HasPrefix(rest, "-") {
		return false, false
	}
	_, rest, ok = cutDigits(rest[1:])
	if !ok || !strings.HasPrefix(rest, "/") {
		return false, false
	}
	rest = rest[1:]
	known := rest != "*"
	if known {
		if _, rest, ok = cutDigits(rest); !ok || rest != "" {
			return false, false
		}
	}
	zero := strings.TrimLeft(first, "0") == ""
	return zero, !zero && known
}

func cutDigits(s string) (digits, rest string, ok bool) {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:], i > 0
}

// isOKStatus reports whether s is an ok status (Fetch: 200 to 299).
func isOKStatus(s int) bool { return 200 <= s && s <= 299 }

// orbBlocked is the verdict of a failed opaque-response-safelist check.
func (e *Engine) orbBlocked(req *fetchctx.Request, step Step, hop int) Verdict {
	v := blocked(ReasonBlockedByORB, step, hop)
	// Chromium (ORB v0.1) injects an empty response for fetch() rather
	// than a network error.
	if e.profile == ProfileChromium && req.Destination == fetchctx.DestinationEmpty {
		v.Result = Stripped
	}
	return v
}

// needBody is the verdict of a step that waits for more of the body: its
// Need follows from the step.
func needBody(step Step, hop int) Verdict {
	return Verdict{Result: Undecided, Reason: ReasonNeedBody, Step: step, Hop: hop}
}

// orbCheck runs the opaque-response-safelist check of Fetch PR 1755 for
// hop i. Its answer is Allowed, Blocked (Stripped for the chromium
// profile's fetch()), or Undecided (whose Need says how much) when
// resp.Body holds too little of the body.
func (e *Engine) orbCheck(req *fetchctx.Request, i int, resp *Response) Verdict {
	f := &resp.orb
	mt := &f.mime
	// Step 3: what the MIME type alone decides.
	if f.hasMIME {
		// 3.1: opaque-response-safelisted MIME types.
		if isSafelisted(mt) {
			return allowed
		}
		// 3.2: never sniffed.
		if neverSniffed[mt.Essence()] {
			return e.orbBlocked(req, StepORBNeverSniffed, i)
		}
		// 3.3: a partial response of a blocklisted type.
		if resp.Status == 206 && isBlocklisted(mt) {
			return e.orbBlocked(req, StepORBPartialBlocklisted, i)
		}
		// 3.4: nosniff text/plain. (PR 1442 had nosniff blocklisted types
		// here too; PR 1755 leaves them to step 11, after image sniffing.)
		if f.nosniff && mt.Essence() == "text/plain" {
			return e.orbBlocked(req, StepORBNoSniffPlain, i)
		}
	}
	// Step 4: a subsequent media range request.
	if req.Media == fetchctx.MediaSubsequent {
		return allowed
	}
	// Step 5: a partial response must start at byte 0.
	if resp.Status == 206 && !f.rangeZero {
		return e.orbBlocked(req, StepORBPartialRange, i)
	}
	// Steps 6-7: the first 1024 bytes.
	body := resp.Body
	if len(body) < mimesniff.SniffLen && !resp.BodyComplete {
		return needBody(StepORBSniff, i)
	}
	if len(body) > mimesniff.SniffLen {
		body = body[:mimesniff.SniffLen]
	}
	// Step 8: audio or video.
	if mimesniff.SniffAudioVideo(body) != "" {
		if req.Media != fetchctx.MediaInitial {
			return e.orbBlocked(req, StepORBMediaNotInitial, i)
		}
		if resp.Status != 200 && resp.Status != 206 {
			return e.orbBlocked(req, StepORBMediaStatus, i)
		}
		return allowed
	}
	// Step 9: media requests must sniff as media.
	if req.Media != fetchctx.MediaNA {
		return e.orbBlocked(req, StepORBMediaNotSniffed, i)
	}
	// Step 10: images.
	if mimesniff.SniffImage(body) != "" {
		return allowed
	}
	// Step 11: nosniff stops here.
	if f.nosniff {
		return e.orbBlocked(req, StepORBNoSniff, i)
	}
	// Step 12: errors are not scripts.
	if !isOKStatus(resp.Status) {
		return e.orbBlocked(req, StepORBStatus, i)
	}
	// Step 13: no MIME type: cannot be judged (style sheets need this).
	if !f.hasMIME {
		return allowed
	}
	// Step 14: a media type that did not sniff as one.
	if ess := mt.Essence(); strings.HasPrefix(ess, "audio/") || strings.HasPrefix(ess, "image/") || strings.HasPrefix(ess, "video/") {
		return e.orbBlocked(req, StepORBMediaTypeNotSniffed, i)
	}
	// Step 15: JavaScript, and not JSON.
	if !resp.BodyComplete {
		return needBody(StepORBNotJavaScript, i)
	}
	if !isJavaScriptNotJSON(resp.Body, mt, f.hasMIME) {
		return e.orbBlocked(req, StepORBNotJavaScript, i)
	}
	return allowed
}

// isSafelisted: an opaque-response-safelisted MIME type (JavaScript, CSS,
// SVG).
func isSafelisted(mt *mimesniff.MIMEType) bool {
	ess := mt.Essence()
	return mt.IsJavaScript() || ess == "text/css" || ess == "image/svg+xml"
}

// isBlocklisted: an opaque-response-blocklisted MIME type (HTML, JSON,
// XML).
func isBlocklisted(mt *mimesniff.MIMEType) bool {
	return mt.IsHTML() || mt.IsJSON() || mt.IsXML()
}
