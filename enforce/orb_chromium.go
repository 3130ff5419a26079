package enforce

import (
	"bytes"
	"strings"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/mimesniff"
)

// The chromium profile: opaque response blocking as Chromium ships it
// (services/network/orb), where it departs from Fetch PR 1755. Each
// departure is listed in the README. Chromium decides on the labels, then
// on at most the first 1024 bytes; it never parses a whole body, never
// looks at the status, and ignores the request's destination except to
// choose between a network error and an empty response.

// chromiumMediaLabel reports whether Chromium lets a label through before
// anything else: every audio and video type, and the text track and
// streaming manifest types.
func chromiumMediaLabel(ess string) bool {
	switch ess {
	case "text/vtt", "application/vnd.apple.mpegurl", "application/dash+xml", "application/ogg":
		return true
	}
	return strings.HasPrefix(ess, "audio/") || strings.HasPrefix(ess, "video/")
}

// chromiumNotBlockedByLabel lists the spec's never-sniffed types Chromium
// does not block by label.
var chromiumNotBlockedByLabel = map[string]bool{
	"application/dash+xml": true, "application/vnd.apple.mpegurl": true,
	"audio/aac": true, "audio/aacp": true,
	"audio/mpeg": true, "audio/mpegurl": true, "multipart/x-mixed-replace": true,
	"text/vtt": true,
}

// chromiumIsJSONLabel: Chromium counts application/json+protobuf as JSON too.
func chromiumIsJSONLabel(mt *mimesniff.MIMEType) bool {
	return mt.IsJSON() || mt.Essence() == "application/json+protobuf"
}

// orbChromium is the chromium profile's decision for hop i.
func (e *Engine) orbChromium(req *fetchctx.Request, i int, resp *Response) Verdict {
	// Chromium judges same-origin on the final URL: a cross-origin
	// redirect back to the initiator's origin is not checked.
	if req.URLs[i].Origin().SameOrigin(req.Origin) {
		return allowed
	}
	f := &resp.orb
	mt := &f.mime
	// A label of exactly "*/*" counts as no label.
	hasMIME := f.hasMIME && mt.Essence() != "*/*"
	if hasMIME {
		ess := mt.Essence()
		if chromiumMediaLabel(ess) || ess == "text/css" || ess == "image/svg+xml" {
			return allowed
		}
		if neverSniffed[ess] && !chromiumNotBlockedByLabel[ess] {
			return e.orbBlocked(req, StepORBNeverSniffed, i)
		}
		if f.nosniff && (ess == "text/plain" || mt.IsHTML() || chromiumIsJSONLabel(mt) || mt.IsXML()) {
			return e.orbBlocked(req, StepORBNoSniffPlain, i)
		}
	}
	// A mid-range partial response, unless this URL already sniffed as
	// media for this client (Chromium does no other range validation).
	if resp.Status == 206 && f.rangeAfterZero && req.Media != fetchctx.MediaSubsequent {
		return e.orbBlocked(req, StepORBPartialRange, i)
	}
	body := resp.Body
	if len(body) < mimesniff.SniffLen && !resp.BodyComplete {
		return needBody(StepORBSniff, i)
	}
	if len(body) > mimesniff.SniffLen {
		body = body[:mimesniff.SniffLen]
	}
	// With no usable label Chromium does not sniff at all: allowed.
	if !hasMIME {
		return allowed
	}
	if mimesniff.SniffAudioVideo(body) != "" || mimesniff.SniffImage(body) != "" {
		return allowed
	}
	// Chromium's stand-in for the JavaScript parse: sniffers on the prefix.
	if sniffsAsHTML(body) || sniffsAsXML(body) || sniffsAsJSONObject(body) || hasParserBreaker(body) {
		return e.orbBlocked(req, StepORBNotJavaScript, i)
	}
	return allowed
}

// skipSpace skips a UTF-8 byte order mark and white space (Chromium 156
// blocks JSON and HTML behind a BOM, so its sniffers look past one).
func skipSpace(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r' || b[0] == '\f') {
		b = b[1:]
	}
	return b
}

// htmlPrefixes are the tag openings Chromium's HTML sniffer looks for.
var htmlPrefixes = []string{"<!doctype html", "<script", "<html", "<head", "<iframe",
	"<h1", "<div", "<font", "<table", "<a", "<style", "<title", "<b", "<p"}

// sniffsAsHTML follows services/network/orb/orb_sniffers.cc, SniffForHTML:
// after ASCII white space and HTML comments, one of htmlPrefixes as a bare
// prefix, ASCII case-insensitively ("<b" takes in <body>, <br/> and
// <button>; "<a" takes in <article>). A comment ends at "-->" and the rest
// of its line, up to a JavaScript line terminator (crbug.com/839945: the
// SingleLineHTMLCloseComment rule). An unfinished comment, a comment whose
// line does not end, or a body that runs out is Chromium's "maybe", which
// does not block once the sniffed bytes are all there is: not HTML.
func sniffsAsHTML(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	for len(b) > 0 {
		b = bytes.TrimLeft(b, " \t\r\n")
		for _, p := range htmlPrefixes {
			if len(b) >= len(p) && strings.EqualFold(string(b[:len(p)]), p) {
				return true
			}
		}
		if !bytes.HasPrefix(b, []byte("<!--")) {
			return false
		}
		end := bytes.Index(b[4:], []byte("-->"))
		if end < 0 {
			return false
		}
		b = b[4+end+3:]
		eol := jsLineTerminator(b)
		if eol < 0 {
			return false
		}
		// The terminator itself stays: \n and \r are white space to
		// the next round, U+2028 and U+2029 are not, and end it.
		b = b[eol:]
	}
	return false
}

// jsLineTerminator returns the index of the first JavaScript line
// terminator in b (LF, CR, U+2028, U+2029 in UTF-8), or -1.
func jsLineTerminator(b []byte) int {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n', '\r':
			return i
		case 0xE2:
			if i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9) {
				return i
			}
		}
	}
	return -1
}

// sniffsAsXML: "<?xml" after white space, case-sensitively.
func sniffsAsXML(b []byte) bool { return bytes.HasPrefix(skipSpace(b), []byte("<?xml")) }

var parserBreakers = []string{")]}'", "{}&&", "{} &&", "for(;;);", "while(1);", "for (;;);", "while (1);"}

// hasParserBreaker: a prefix that makes JavaScript throw or loop, used to
// protect JSON from being run as a script.
func hasParserBreaker(b []byte) bool {
	b = skipSpace(b)
	for _, p := range parserBreakers {
		if bytes.HasPrefix(b, []byte(p)) {
			return true
		}
	}
	return false
}

// sniffsAsJSONObject: '{', then a quoted string, then ':' (white space
// allowed between), the start of a JSON object that no script begins with.
func sniffsAsJSONObject(b []byte) bool {
	b = skipSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	b = skipSpace(b[1:])
	if len(b) == 0 || b[0] != '"' {
		return false
	}
	for j := 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			rest := skipSpace(b[j+1:])
			return len(rest) > 0 && rest[0] == ':'
		}
	}
	return false
}
