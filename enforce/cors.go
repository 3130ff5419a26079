package enforce

import (
	"net/http"
	"sort"
	"strings"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/mimesniff"
)

// The CORS protocol (Fetch §3.2): the CORS check on responses of requests
// whose response tainting is "cors", the CORS-preflight decision and the
// check of a preflight's answer, and the filtering that decides which
// response headers a script may read.

// serializedRequestOrigin implements "byte-serializing a request origin"
// for the request at hop i: "null" once a redirect tainted it.
func serializedRequestOrigin(req *fetchctx.Request, i int) string {
	if req.RedirectTainted(i) {
		return "null"
	}
	return req.Origin.String()
}

// getHeader implements the header list's "get": the values of name,
// combined with ", "; ok is false when there is none.
func getHeader(h http.Header, name string) (string, bool) {
	v := h[name]
	switch len(v) {
	case 0:
		return "", false
	case 1:
		return trimHTTPSpace(v[0]), true
	}
	parts := make([]string, len(v))
	for i, s := range v {
		parts[i] = trimHTTPSpace(s)
	}
	return strings.Join(parts, ", "), true
}

// corsCheck implements Fetch's CORS check for the response at hop i; it
// returns ReasonNone on success.
func corsCheck(req *fetchctx.Request, i int, h http.Header, preflight bool) Reason {
	missing, wildcard, mismatch, creds := ReasonCORSMissingAllowOrigin, ReasonCORSWildcardOriginNotAllowed, ReasonCORSAllowOriginMismatch, ReasonCORSInvalidAllowCredentials
	if preflight {
		missing, wildcard, mismatch, creds = ReasonCORSPreflightMissingAllowOrigin, ReasonCORSPreflightWildcardOriginNotAllowed, ReasonCORSPreflightAllowOriginMismatch, ReasonCORSPreflightInvalidAllowCredentials
	}
	// Steps 1-2: no Access-Control-Allow-Origin is failure.
	origin, ok := getHeader(h, "Access-Control-Allow-Origin")
	if !ok {
		return missing
	}
	include := req.Credentials == fetchctx.CredentialsInclude
	// Step 3: "*" without credentials.
	if origin == "*" {
		if !include {
			return ReasonNone
		}
		return wildcard
	}
	// Step 4: the request's origin, serialized, exactly. (Several headers
	// combine into a list, which never matches.)
	if origin != serializedRequestOrigin(req, i) {
		if len(h["Access-Control-Allow-Origin"]) > 1 && !preflight {
			return ReasonCORSMultipleAllowOrigin
		}
		return mismatch
	}
	// Step 5: without credentials, that is enough.
	if !include {
		return ReasonNone
	}
	// Steps 6-7: with them, Access-Control-Allow-Credentials: true.
	if c, _ := getHeader(h, "Access-Control-Allow-Credentials"); c == "true" {
		return ReasonNone
	}
	return creds
}

// isCORSSafelistedMethod: GET, HEAD or POST.
func isCORSSafelistedMethod(m string) bool {
	return m == "" || m == "GET" || m == "HEAD" || m == "POST"
}

// isCORSUnsafeByte implements "CORS-unsafe request-header byte".
func isCORSUnsafeByte(c byte) bool {
	if c < 0x20 && c != '\t' {
		return true
	}
	switch c {
	case '"', '(', ')', ':', '<', '>', '?', '@', '[', '\\', ']', '{', '}', 0x7f:
		return true
	}
	return false
}

// isCORSSafelistedRequestHeader implements "CORS-safelisted request-header".
func isCORSSafelistedRequestHeader(name, value string) bool {
	// Step 1: values over 128 bytes are never safelisted.
	if len(value) > 128 {
		return false
	}
	switch strings.ToLower(name) {
	case "accept":
		return !hasUnsafeByte(value)
	case "accept-language", "content-language":
		for i := 0; i < len(value); i++ {
			c := value[i]
			if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || strings.IndexByte(" *,-.;=", c) >= 0) {
				return false
			}
		}
		return true
	case "content-type":
		if hasUnsafeByte(value) {
			return false
		}
		mt, err := mimesniff.Parse(value)
		if err != nil {
			return false
		}
		switch mt.Essence() {
		case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
			return true
		}
		return false
	case "range":
		return isSafelistedRange(value)
	}
	return false
}

func hasUnsafeByte(v string) bool {
	for i := 0; i < len(v); i++ {
		if isCORSUnsafeByte(v[i]) {
			return true
		}
	}
	return false
}

// isSafelistedRange implements "parse a single range header value" with
// allowWhitespace false, requiring a first position: "bytes=" digits "-"
// [digits], with start <= end.
func isSafelistedRange(v string) bool {
	if !strings.HasPrefix(v, "bytes=") {
		return false
	}
	start, rest, ok := cutDigits(v[len("bytes="):])
	if !ok || !strings.HasPrefix(rest, "-") {
		return false
	}
	rest = rest[1:]
	if rest == "" {
		return true
	}
	end, rest, ok := cutDigits(rest)
	if !ok || rest != "" {
		return false
	}
	return compareDigits(start, end) <= 0
}

// compareDigits compares two decimal digit strings by value.
func compareDigits(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// corsUnsafeHeaderNames implements "CORS-unsafe request-header names": a
// sorted set of lowercase names.
func corsUnsafeHeaderNames(h http.Header) []string {
	var unsafe, maybe []string
	size := 0
	for name, values := range h {
		for _, v := range values {
			if !isCORSSafelistedRequestHeader(name, v) {
				unsafe = append(unsafe, strings.ToLower(name))
			} else {
				maybe = append(maybe, strings.ToLower(name))
				size += len(v)
			}
		}
	}
	// Step 5: past 1024 bytes of safelisted values, none is safe.
	if size > 1024 {
		unsafe = append(unsafe, maybe...)
	}
	sort.Strings(unsafe)
	return compactStrings(unsafe)
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// NeedsPreflight reports whether the request at hop i needs a CORS
// preflight (Fetch, main fetch: the unsafe-request flag, which fetch() and
// XMLHttpRequest set, with a method that is not CORS-safelisted or a
// CORS-unsafe request-header name). Only a hop whose response tainting is
// "cors" is preflighted.
func (e *Engine) NeedsPreflight(req *fetchctx.Request, i int) bool {
	if !e.ready() || req == nil || i < 0 || i >= len(req.URLs) || req.Mode != fetchctx.ModeCORS {
		return false
	}
	if t, ok := req.Tainting(i); !ok || t != fetchctx.TaintingCORS {
		return false
	}
	return needsPreflight(req)
}

// needsPreflight is NeedsPreflight on a hop whose tainting is "cors": what
// the method and the header names decide.
func needsPreflight(req *fetchctx.Request) bool {
	return !isCORSSafelistedMethod(req.Method) || len(corsUnsafeHeaderNames(req.Header)) > 0
}

// extractValues implements "extracting header list values" for the
// comma-separated token lists of the preflight headers; ok is false for
// failure (a value that is not a token).
func extractValues(h http.Header, name string) (vals []string, present, ok bool) {
	raw := h[name]
	if len(raw) == 0 {
		return nil, false, true
	}
	for _, v := range raw {
		for _, item := range strings.Split(v, ",") {
			item = trimHTTPSpace(item)
			if item == "" {
				continue
			}
			if !isToken(item) {
				return nil, true, false
			}
			vals = append(vals, item)
		}
	}
	return vals, true, true
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// CheckPreflight checks answer, the response to the CORS preflight for the
// request at hop i (Fetch: CORS-preflight fetch, steps 7-...).
func (e *Engine) CheckPreflight(req *fetchctx.Request, i int, answer *Response) Verdict {
	if !e.decidable(req) || answer == nil || i < 0 || i >= len(req.URLs) {
		return blocked(ReasonInvalidRequest, StepPrecondition, max(i, 0))
	}
	// Step 7: a CORS check on the answer, for the request, and an ok status.
	if r := corsCheck(req, i, answer.Header, true); r != ReasonNone {
		return blocked(r, StepCORSPreflight, i)
	}
	if !isOKStatus(answer.Status) {
		return blocked(ReasonCORSPreflightInvalidStatus, StepCORSPreflight, i)
	}
	// Steps 7.1-7.3: the allowed methods and header names.
	methods, _, ok1 := extractValues(answer.Header, "Access-Control-Allow-Methods")
	names, _, ok2 := extractValues(answer.Header, "Access-Control-Allow-Headers")
	if !ok1 || !ok2 {
		return blocked(ReasonCORSInvalidPreflightResponse, StepCORSPreflight, i)
	}
	include := req.Credentials == fetchctx.CredentialsInclude
	method := req.Method
	if method == "" {
		method = "GET"
	}
	// Step 7.5: the method, exactly (methods are case-sensitive), unless
	// safelisted, or "*" without credentials.
	if !contains(methods, method) && !isCORSSafelistedMethod(method) && (include || !contains(methods, "*")) {
		return blocked(ReasonCORSMethodDisallowedByPreflight, StepCORSPreflight, i)
	}
	// Step 7.6: Authorization is never covered by "*".
	for name := range req.Header {
		if strings.EqualFold(name, "Authorization") && !containsFold(names, name) {
			return blocked(ReasonCORSHeaderDisallowedByPreflight, StepCORSPreflight, i)
		}
	}
	// Step 7.7: every CORS-unsafe name, case-insensitively, or "*"
	// without credentials.
	for _, n := range corsUnsafeHeaderNames(req.Header) {
		if !containsFold(names, n) && (include || !contains(names, "*")) {
			return blocked(ReasonCORSHeaderDisallowedByPreflight, StepCORSPreflight, i)
		}
	}
	return allowed
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// corsSafelistedResponseHeaders are the CORS-safelisted response-header
// names, lowercase.
var corsSafelistedResponseHeaders = map[string]bool{
	"cache-control": true, "content-language": true, "content-length": true,
	"content-type": true, "expires": true, "last-modified": true, "pragma": true,
}

// isForbiddenResponseHeaderName: Set-Cookie and Set-Cookie2.
func isForbiddenResponseHeaderName(lower string) bool {
	return lower == "set-cookie" || lower == "set-cookie2"
}

// ExposedHeaders returns the names, lowercase and sorted, of the headers of
// resp (the final response of req) that a script can read once the
// response is filtered (Fetch: basic, CORS and opaque filtered responses).
func (e *Engine) ExposedHeaders(req *fetchctx.Request, resp *Response) []string {
	if !e.ready() || req == nil || resp == nil || len(req.URLs) == 0 {
		return nil
	}
	last := len(req.URLs) - 1
	t, ok := req.Tainting(last)
	if !ok || t == fetchctx.TaintingOpaque {
		// An opaque filtered response has an empty header list.
		return []string{}
	}
	out := []string{}
	var exposeAll bool
	var listed []string
	if t == fetchctx.TaintingCORS {
		// Main fetch, step 14.1: Access-Control-Expose-Headers; "*" means
		// every name, for requests without credentials.
		vals, present, ok := extractValues(resp.Header, "Access-Control-Expose-Headers")
		if present && ok {
			listed = vals
			exposeAll = req.Credentials != fetchctx.CredentialsInclude && contains(vals, "*")
		}
	}
	for name := range resp.Header {
		lower := strings.ToLower(name)
		if isForbiddenResponseHeaderName(lower) {
			continue
		}
		if t == fetchctx.TaintingBasic || exposeAll || corsSafelistedResponseHeaders[lower] || containsFold(listed, name) {
			out = append(out, lower)
		}
	}
	sort.Strings(out)
	return compactStrings(out)
}
