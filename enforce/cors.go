package enforce

import (
	"cmp"
	"iter"
	"net/http"
	"slices"
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

// isSerializedRequestOrigin reports whether s is serializedRequestOrigin
// (req, i), without building it.
func isSerializedRequestOrigin(req *fetchctx.Request, i int, s string) bool {
	if req.RedirectTainted(i) {
		return s == "null"
	}
	return req.Origin.IsSerialization(s)
}

// getHeader implements the header list's "get": the values of name,
// combined with ", "; ok is false when there is none.
func getHeader(h http.Header, name string) (string, bool) {
	v := h[name]
	switch len(v) {
	case 0:
		return "", false
	case 1:
		return mimesniff.TrimHTTPWhitespace(v[0]), true
	}
	parts := make([]string, len(v))
	for i, s := range v {
		parts[i] = mimesniff.TrimHTTPWhitespace(s)
	}
	return strings.Join(parts, ", "), true
}

// corsCheck implements Fetch's CORS check for the response at hop i; it
// returns ReasonNone on success.
func corsCheck(req *fetchctx.Request, i int, h http.Header, preflight bool) Reason {
	missing, multiple, invalid, wildcard, mismatch, creds := ReasonCORSMissingAllowOrigin, ReasonCORSMultipleAllowOrigin,
		ReasonCORSInvalidAllowOrigin, ReasonCORSWildcardOriginNotAllowed, ReasonCORSAllowOriginMismatch, ReasonCORSInvalidAllowCredentials
	if preflight {
		missing, multiple, invalid, wildcard, mismatch, creds = ReasonCORSPreflightMissingAllowOrigin, ReasonCORSPreflightMultipleAllowOrigin,
			ReasonCORSPreflightInvalidAllowOrigin, ReasonCORSPreflightWildcardOriginNotAllowed, ReasonCORSPreflightAllowOriginMismatch, ReasonCORSPreflightInvalidAllowCredentials
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
	// combine into a list, which never matches.) Which failure it is
	// follows Chromium's CORS check, as DevTools reports it: a value with
	// a comma or a space holds several, one that is no URL is invalid,
	// but "null", an origin's serialization, is a mismatch (browser-diff,
	// Chrome 156).
	if !isSerializedRequestOrigin(req, i, origin) {
		switch {
		case strings.ContainsAny(origin, ", "):
			return multiple
		case origin != "null" && !isURL(origin):
			return invalid
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

// isURL reports whether s parses as an absolute URL (the URL parser, with
// no base).
func isURL(s string) bool {
	_, err := fetchctx.ParseURL(s)
	return err == nil
}

// normalizeMethod implements Fetch's "normalize a method": a
// byte-case-insensitive match for DELETE, GET, HEAD, OPTIONS, POST or PUT
// is that method, upper-cased; any other method is as it is. It does not
// allocate.
func normalizeMethod(m string) string {
	for _, n := range [...]string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"} {
		if len(m) == len(n) && strings.EqualFold(m, n) {
			return n
		}
	}
	return m
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
	return unsafeHeaderNamesBy(h, false, isCORSSafelistedRequestHeader)
}

// unsafeHeaderNamesBy is "CORS-unsafe request-header names" with the
// safelist safe (given a lowercase name and a value); join checks the
// values of one name combined (", ") rather than each on its own.
func unsafeHeaderNamesBy(h http.Header, join bool, safe func(lower, v string) bool) []string {
	var unsafe, maybe []string
	size := 0
	check := func(lower, v string) {
		// Step 4.1: an entry that is not CORS-safelisted is unsafe; the
		// others count towards step 5's size.
		if !safe(lower, v) {
			unsafe = append(unsafe, lower)
		} else {
			maybe = append(maybe, lower)
			size += len(v)
		}
	}
	for name, values := range h {
		// Lowercased once per name: the safelist's own ToLower then
		// finds nothing to change, and allocates nothing.
		lower := strings.ToLower(name)
		if join {
			check(lower, strings.Join(values, ", "))
			continue
		}
		for _, v := range values {
			check(lower, v)
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

// unsafeHeaderNames is corsUnsafeHeaderNames under the engine's profile.
func (e *Engine) unsafeHeaderNames(h http.Header) []string {
	if e.profile == ProfileChromium {
		return chromiumUnsafeHeaderNames(h)
	}
	return corsUnsafeHeaderNames(h)
}

// chromiumUnsafeHeaderNames is corsUnsafeHeaderNames as Chromium runs it
// (services/network/public/cpp/cors/cors.cc, CorsUnsafeRequestHeaderNames
// over net::HttpRequestHeaders): the values of one name are first combined
// into one, joined with ", ", and the combined value is checked (two
// Accept headers of 100 bytes make one of 202, over 128) with Chromium's
// safelist.
func chromiumUnsafeHeaderNames(h http.Header) []string {
	return unsafeHeaderNamesBy(h, true, chromiumSafelisted)
}

// chromiumClientHints are the client hint names Chromium safelists
// whatever their value (services/network/public/cpp/cors/cors.cc,
// IsCorsSafelistedHeader, block 3), with "intervention" (block 2).
var chromiumClientHints = map[string]bool{
	"intervention": true, "sec-ch-ua": true, "sec-ch-ua-arch": true, "sec-ch-ua-platform": true,
	"sec-ch-ua-model": true, "sec-ch-ua-mobile": true, "sec-ch-ua-full-version": true,
	"sec-ch-ua-platform-version": true, "sec-ch-prefers-color-scheme": true, "sec-ch-ua-bitness": true,
	"sec-ch-viewport-height": true, "sec-ch-device-memory": true, "sec-ch-dpr": true, "sec-ch-width": true,
	"sec-ch-viewport-width": true, "sec-ch-ua-full-version-list": true, "sec-ch-ua-wow64": true,
	"sec-ch-prefers-reduced-motion": true, "sec-ch-ua-form-factors": true,
	"sec-ch-prefers-reduced-transparency": true,
}

// chromiumSafelisted is "CORS-safelisted request-header" as Chromium has
// it (services/network/public/cpp/cors/cors.cc, IsCorsSafelistedHeader):
// the spec's names, plus client hints with values of their form. (Its
// source lowercases a Range value before parsing it, yet Chromium 156
// preflights `Range: BYTES=0-10`, as the spec does: browser-diff,
// testdata/chromium/cors.json. The spec's rule stands.) lower is
// lowercase.
func chromiumSafelisted(lower, value string) bool {
	if len(value) > 128 {
		return false
	}
	switch {
	case chromiumClientHints[lower]:
		return true
	case lower == "device-memory", lower == "dpr", lower == "downlink":
		return isDecimalNumber(value)
	case lower == "width", lower == "viewport-width", lower == "rtt":
		return value != "" && strings.Trim(value, "0123456789") == ""
	case lower == "ect":
		return value == "slow-2g" || value == "2g" || value == "3g" || value == "4g"
	case lower == "save-data":
		return strings.EqualFold(value, "on")
	}
	return isCORSSafelistedRequestHeader(lower, value)
}

// isDecimalNumber: 1*DIGIT ["." 1*DIGIT], the form Chromium asks of a
// Device-Memory, DPR or Downlink client hint.
func isDecimalNumber(v string) bool {
	whole, frac, dot := strings.Cut(v, ".")
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	return digits(whole) && (!dot || digits(frac))
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
	return e.needsPreflight(req)
}

// needsPreflight is NeedsPreflight on a hop whose tainting is "cors": what
// the method and the header names decide.
func (e *Engine) needsPreflight(req *fetchctx.Request) bool {
	return !isCORSSafelistedMethod(normalizeMethod(req.Method)) || len(e.unsafeHeaderNames(req.Header)) > 0
}

// listItems yields the items of the comma-separated lists in values, the
// values of one header: "extracting header list values" without the
// parsing, each item trimmed of HTTP whitespace, empty items skipped. It
// allocates nothing; validList says whether the extraction succeeds.
func listItems(values []string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, v := range values {
			for v != "" {
				var item string
				item, v, _ = strings.Cut(v, ",")
				if item = mimesniff.TrimHTTPWhitespace(item); item != "" && !yield(item) {
					return
				}
			}
		}
	}
}

// validList reports whether "extracting header list values" succeeds on
// values, the values of one header: every item is a token.
func validList(values []string) bool {
	for item := range listItems(values) {
		if !isToken(item) {
			return false
		}
	}
	return true
}

// listHas reports whether s is an item of the lists in values, exactly.
func listHas(values []string, s string) bool {
	for item := range listItems(values) {
		if item == s {
			return true
		}
	}
	return false
}

// compareFold compares lower, lowercase, with s lowercased (ASCII only: a
// byte-case-insensitive comparison), as strings.Compare would, without
// lowercasing s.
func compareFold(lower, s string) int {
	for i := 0; i < len(lower) && i < len(s); i++ {
		a, b := lower[i], asciiLower(s[i])
		if a != b {
			if a < b {
				return -1
			}
			return 1
		}
	}
	return cmp.Compare(len(lower), len(s))
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
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
	// Step 7: a CORS check on the answer, for the request, and an ok
	// status. A redirect fails both; Chromium reports it as such before
	// it checks the answer's headers.
	if isRedirectStatus(answer.Status) {
		return blocked(ReasonCORSPreflightDisallowedRedirect, StepCORSPreflight, i)
	}
	if r := corsCheck(req, i, answer.Header, true); r != ReasonNone {
		return blocked(r, StepCORSPreflight, i)
	}
	if !isOKStatus(answer.Status) {
		return blocked(ReasonCORSPreflightInvalidStatus, StepCORSPreflight, i)
	}
	// Steps 7.1-7.3: the allowed methods and header names, extracted;
	// failure is a network error. The lists are walked where they are,
	// never copied: an answer of megabytes costs no more than its bytes.
	methods := answer.Header["Access-Control-Allow-Methods"]
	names := answer.Header["Access-Control-Allow-Headers"]
	if !validList(methods) {
		return blocked(ReasonCORSInvalidAllowMethods, StepCORSPreflight, i)
	}
	if !validList(names) {
		return blocked(ReasonCORSInvalidAllowHeaders, StepCORSPreflight, i)
	}
	include := req.Credentials == fetchctx.CredentialsInclude
	method := normalizeMethod(req.Method)
	if method == "" {
		method = "GET"
	}
	// Step 7.5: the method, exactly (methods are case-sensitive), unless
	// safelisted, or "*" without credentials. (Step 7.4 would list the
	// request's method when the answer lists none and the request has the
	// use-CORS-preflight flag, which fetchctx.Request does not carry: not
	// taking that step can only block more.)
	if !isCORSSafelistedMethod(method) && !listHas(methods, method) && (include || !listHas(methods, "*")) {
		return blocked(ReasonCORSMethodDisallowedByPreflight, StepCORSPreflight, i)
	}
	// Steps 7.6-7.7: every CORS-unsafe name, byte-case-insensitively, or
	// "*" without credentials; "*" never covers Authorization, the CORS
	// non-wildcard request-header name (step 7.6: Authorization is never
	// safelisted, so it is among the unsafe names whenever it is set).
	// One walk of the answer marks the names it lists, each found by
	// binary search in the sorted unsafe names: O(m log n), not O(m·n).
	unsafe := e.unsafeHeaderNames(req.Header)
	if len(unsafe) == 0 {
		return allowed
	}
	// Chromium departure (services/network/cors/preflight_result.cc,
	// EnsureAllowedCrossOriginHeaders): its wildcard covers Authorization
	// too; Chromium only warns about it.
	chromium := e.profile == ProfileChromium
	var small [32]bool
	listed := small[:0]
	if len(unsafe) <= len(small) {
		listed = small[:len(unsafe)]
	} else {
		listed = make([]bool, len(unsafe))
	}
	wildcard := false
	for item := range listItems(names) {
		// "*" is also a header name, which it matches literally.
		wildcard = wildcard || item == "*"
		if j, ok := slices.BinarySearchFunc(unsafe, item, compareFold); ok {
			listed[j] = true
		}
	}
	for j, n := range unsafe {
		if !listed[j] && (include || !wildcard || (n == "authorization" && !chromium)) {
			return blocked(ReasonCORSHeaderDisallowedByPreflight, StepCORSPreflight, i)
		}
	}
	return allowed
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
	// The names, lowercase, sorted and without duplicates, less the
	// forbidden response-header names, which no filtered response has.
	out := make([]string, 0, len(resp.Header))
	for name := range resp.Header {
		if lower := strings.ToLower(name); !isForbiddenResponseHeaderName(lower) {
			out = append(out, lower)
		}
	}
	slices.Sort(out)
	out = compactStrings(out)
	if t == fetchctx.TaintingBasic {
		return out
	}
	// Main fetch, step 14.1: Access-Control-Expose-Headers, extracted
	// (failure lists nothing); "*" means every name, for requests without
	// credentials.
	listed := resp.Header["Access-Control-Expose-Headers"]
	if !validList(listed) {
		listed = nil
	}
	if req.Credentials != fetchctx.CredentialsInclude && listHas(listed, "*") {
		return out
	}
	// CORS filtered response: the CORS-safelisted response-header names
	// and the listed ones. One walk of the list marks the names it lists,
	// each found by binary search: O(m log n), not O(m·n).
	exposed := make([]bool, len(out))
	for item := range listItems(listed) {
		if j, ok := slices.BinarySearchFunc(out, item, compareFold); ok {
			exposed[j] = true
		}
	}
	kept := out[:0]
	for j, name := range out {
		if exposed[j] || corsSafelistedResponseHeaders[name] {
			kept = append(kept, name)
		}
	}
	return kept
}
