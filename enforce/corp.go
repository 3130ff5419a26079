package enforce

import (
	"net/http"
	"net/textproto"
	"sort"
	"strings"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/mimesniff"
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
	switch mimesniff.TrimHTTPWhitespace(values[0]) {
	case "same-origin":
		return CORPSameOrigin
	case "same-site":
		return CORPSameSite
	case "cross-origin":
		return CORPCrossOrigin
	}
	return CORPInvalid
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
	r, _, err := parseResponse(status, h, true)
	return r, err
}

// headerShape is what parseResponse saw of a header map besides the
// values it parsed.
type headerShape struct {
	copied  bool // the names were not all canonical: Response.Header is a canonical copy
	cookies bool // Set-Cookie or Set-Cookie2 is there
}

// parseResponse is ParseResponse; orb false leaves unparsed the headers
// that only opaque response blocking and the MIME type and nosniff gates
// read (Content-Type, X-Content-Type-Options, Content-Range), for a hop
// where none of them runs (see readsORBFacts).
func parseResponse(status int, h http.Header, orb bool) (r Response, shape headerShape, err error) {
	// One walk of the keys checks they are canonical and picks the
	// headers read here, instead of a lookup of each (most are absent).
	var f responseFields
	if !f.collect(h) {
		h, shape.copied = canonicalHeader(h), true
		f = responseFields{}
		f.collect(h)
	}
	shape.cookies = f.cookies
	r = Response{Status: status, CORP: ParseCORP(f.corp), Header: h}
	if orb {
		r.orb = parseORBFacts(f.contentType, f.xcto, f.contentRange)
	}
	if len(f.coep) > 0 || len(f.coepReportOnly) > 0 {
		// Without either header the policy is the zero one,
		// unsafe-none, with no error.
		r.COEP, err = fetchctx.ParseEmbedderPolicy(trimAll(f.coep), trimAll(f.coepReportOnly))
	}
	return r, shape, err
}

// responseFields are the values of the headers ParseResponse reads, under
// their canonical names.
type responseFields struct {
	corp, coep, coepReportOnly, contentType, xcto, contentRange []string
	cookies                                                     bool // Set-Cookie or Set-Cookie2 is there
}

// collect sets f from h and reports whether every name in h is canonical
// (textproto.CanonicalMIMEHeaderKey leaves it as it is); when one is not,
// f is incomplete and h must be made canonical first.
func (f *responseFields) collect(h http.Header) bool {
	for k, v := range h {
		// A name matched here is canonical as written; only the others
		// are checked byte by byte.
		switch k {
		case HeaderCORP:
			f.corp = v
		case fetchctx.HeaderCOEP:
			f.coep = v
		case fetchctx.HeaderCOEPReportOnly:
			f.coepReportOnly = v
		case "Content-Type":
			f.contentType = v
		case "X-Content-Type-Options":
			f.xcto = v
		case "Content-Range":
			f.contentRange = v
		case "Set-Cookie", "Set-Cookie2":
			f.cookies = true
		case "Date", "Content-Length", "Server", "Cache-Control", "Etag", "Last-Modified", "Vary", "Expires",
			"Location", "Content-Encoding", "Accept-Ranges", "Age", "Connection", "Keep-Alive",
			"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers",
			"Strict-Transport-Security", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy":
		default:
			if !isCanonicalHeaderKey(k) {
				return false
			}
		}
	}
	return true
}

// isCanonicalHeaderKey reports whether textproto.CanonicalMIMEHeaderKey(k)
// is k, testing the usual key (token bytes, each letter upper case at the
// start and after a hyphen, else lower case) with a table first.
func isCanonicalHeaderKey(k string) bool {
	not := uint8(keyNotFirst) // what the byte at i must not be
	for i := 0; i < len(k); i++ {
		f := keyBytes[k[i]]
		if f&not != 0 {
			// Not the usual form: a key with a byte outside a token is
			// left as it is, so ask textproto.
			return textproto.CanonicalMIMEHeaderKey(k) == k
		}
		not = f >> 4
	}
	return true
}

// keyBytes classifies the bytes of a header name: the low bits say what a
// byte is (not a token byte, a lower or an upper case letter), the high
// bits what the byte after it must not be in a canonical name.
var keyBytes = func() (t [256]uint8) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z':
			t[c] = keyLower
		case 'A' <= c && c <= 'Z':
			t[c] = keyUpper
		case '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", byte(c)) >= 0:
		default:
			t[c] = keyNotToken
		}
		t[c] |= keyNotNext << 4
	}
	t['-'] = keyNotFirst << 4
	return t
}()

// The classes of keyBytes: keyNotFirst and keyNotNext are what the byte
// at the start or after a hyphen, and any other, must not be.
const (
	keyNotToken = 1 << iota // outside RFC 9110's tchar
	keyLower
	keyUpper
	keyNotFirst = keyNotToken | keyLower
	keyNotNext  = keyNotToken | keyUpper
)

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
		if !isCanonicalHeaderKey(k) {
			odd = append(odd, k)
		}
	}
	if odd == nil {
		return h
	}
	sort.Strings(odd)
	out := make(http.Header, len(h))
	for k, v := range h {
		if isCanonicalHeaderKey(k) {
			out[k] = append(out[k], v...)
		}
	}
	for _, k := range odd {
		c := textproto.CanonicalMIMEHeaderKey(k)
		out[c] = append(out[c], h[k]...)
	}
	return out
}

// trimAll trims HTTP white space from each value, copying only when one
// needs it.
func trimAll(values []string) []string {
	for _, v := range values {
		if mimesniff.TrimHTTPWhitespace(v) != v {
			out := make([]string, len(values))
			for j, w := range values {
				out[j] = mimesniff.TrimHTTPWhitespace(w)
			}
			return out
		}
	}
	return values
}
