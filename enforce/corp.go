package enforce

import (
	"net/http"
	"net/textproto"
	"sort"
	"strings"

	"github.com/xorigin/xorigin/fetchctx"
)

// CORP is a parsed Cross-Origin-Resource-Policy header.
type CORP uint8

// The header's states. CORPNone and CORPInvalid both mean "no policy"
// (Fetch: policy null); they are kept apart to explain a verdict.
const (
	CORPNone CORP = iota
	CORPSameOrigin
	CORPSameSite
	CORPCrossOrigin
	CORPInvalid
)

var corpNames = [...]string{"none", "same-origin", "same-site", "cross-origin", "invalid"}

// String returns the header token, "none" or "invalid".
func (c CORP) String() string {
	if int(c) < len(corpNames) {
		return corpNames[c]
	}
	return "CORP(?)"
}

// isNull reports whether c is no policy (Fetch: policy null): absent,
// invalid, or outside the enumeration (a Response built by hand).
func (c CORP) isNull() bool {
	return c-CORPSameOrigin > CORPCrossOrigin-CORPSameOrigin // one unsigned compare
}

// HeaderCORP is the Cross-Origin-Resource-Policy header's name.
const HeaderCORP = "Cross-Origin-Resource-Policy"

// ParseCORP parses the values of a response's Cross-Origin-Resource-Policy
// headers, in order. As Fetch's header list "get" combines several headers
// into one list value, two headers (even identical ones) are invalid; so is
// anything but the three case-sensitive tokens. Leading and trailing HTTP
// white space, which HTTP parsing strips, is ignored.
func ParseCORP(values []string) CORP {
	switch len(values) {
	case 0:
		return CORPNone
	case 1:
	default:
		return CORPInvalid
	}
	// Cross-origin resource policy internal check, step 3: only the exact
	// tokens of the header's ABNF count.
	switch trimHTTPSpace(values[0]) {
	case "same-origin":
		return CORPSameOrigin
	case "same-site":
		return CORPSameSite
	case "cross-origin":
		return CORPCrossOrigin
	}
	return CORPInvalid
}

// trimHTTPSpace removes leading and trailing HTTP white space (Fetch: tab,
// LF, CR, space), as header value normalization does.
func trimHTTPSpace(s string) string {
	return strings.Trim(s, " \t\r\n")
}

// CredentialsOverride overrides the request-includes-credentials value the
// engine derives for a response, as a service worker's response may carry
// its own. The zero value derives it.
type CredentialsOverride uint8

// The overrides.
const (
	DeriveCredentials CredentialsOverride = iota
	WithCredentials
	WithoutCredentials
)

// Response is one hop's response, with the headers the decision reads
// already parsed. Build it with ParseResponse, or by hand.
type Response struct {
	Status int
	CORP   CORP
	// COEP is the embedder policy the response's headers declare: read for
	// a nested navigation's final response.
	COEP fetchctx.EmbedderPolicy
	// IncludesCredentials overrides the derived request-includes-credentials.
	IncludesCredentials CredentialsOverride
	// Body is the body, or as much of its start as has arrived; BodyComplete
	// says it is all of it. Only opaque response blocking reads it: a
	// verdict that needs more comes back Undecided, with its Need.
	Body         []byte
	BodyComplete bool
	// Header is the response's header map, which the CORS check and
	// response filtering read; ParseResponse keeps the one it was given.
	Header http.Header
	// AddressSpace is the IP address space of the address this hop's
	// connection reached (Local Network Access); unknown means the space
	// of the hop URL's host (an IP literal's, loopback for localhost,
	// else public).
	AddressSpace fetchctx.AddressSpace

	orb orbFacts // the headers ORB reads, set by ParseResponse
}

// ParseResponse reads the headers the decision needs from h. The Response
// is always usable: a malformed embedder policy header takes the spec's
// fallback (unsafe-none), and the error, when not nil, says which header
// fell back and why (a *fetchctx.HeaderError, or several joined).
func ParseResponse(status int, h http.Header) (Response, error) {
	h = canonicalHeader(h)
	r := Response{Status: status, CORP: ParseCORP(headerValues(h, HeaderCORP)), Header: h,
		orb: parseORBFacts(h["Content-Type"], h["X-Content-Type-Options"], h["Content-Range"])}
	var err error
	r.COEP, err = fetchctx.ParseEmbedderPolicy(
		trimAll(headerValues(h, fetchctx.HeaderCOEP)),
		trimAll(headerValues(h, fetchctx.HeaderCOEPReportOnly)))
	return r, err
}

// canonicalHeader returns h when its keys are canonical (as net/http makes
// them), else a copy with canonical keys. Fetch's header list "get" and
// "contains" match names byte-case-insensitively; a map built by
// assignment (a JSON decoder, a HAR reader) may hold
// "cross-origin-resource-policy", which a lookup of the canonical key alone
// misses: the check would see no header and fail open. Values of names that
// differ only in case are merged, the canonical key's first, then the
// others' in key order.
func canonicalHeader(h http.Header) http.Header {
	var odd []string
	for k := range h {
		if textproto.CanonicalMIMEHeaderKey(k) != k {
			odd = append(odd, k)
		}
	}
	if odd == nil {
		return h
	}
	sort.Strings(odd)
	out := make(http.Header, len(h))
	for k, v := range h {
		if textproto.CanonicalMIMEHeaderKey(k) == k {
			out[k] = append(out[k], v...)
		}
	}
	for _, k := range odd {
		c := textproto.CanonicalMIMEHeaderKey(k)
		out[c] = append(out[c], h[k]...)
	}
	return out
}

// headerValues returns the values of name, a canonical header name, from a
// header map whose keys are canonical (ParseResponse makes them so).
func headerValues(h http.Header, name string) []string { return h[name] }

// trimAll trims HTTP white space from each value, copying only when one
// needs it.
func trimAll(values []string) []string {
	for _, v := range values {
		if trimHTTPSpace(v) != v {
			out := make([]string, len(values))
			for j, w := range values {
				out[j] = trimHTTPSpace(w)
			}
			return out
		}
	}
	return values
}
