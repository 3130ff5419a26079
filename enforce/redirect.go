package enforce

import (
	"strings"

	"github.com/xorigin/xorigin/fetchctx"
)

// isRedirectStatus reports whether s is a redirect status (Fetch).
func isRedirectStatus(s int) bool {
	// 301, 302, 303, 307 and 308 as bits 0, 1, 2, 6 and 7 of a mask.
	return uint(s-301) < 8 && 0b1100_0111>>uint(s-301)&1 != 0
}

// isRedirect reports whether resp is a redirect that HTTP-redirect fetch
// acts on: a redirect status with a Location header (Fetch: its location
// URL is not null). A redirect status without one is the fetch's final
// response (HTTP-redirect fetch, step 4 returns it), which opaque response
// blocking and the final checks judge like any other.
func isRedirect(resp *Response) bool {
	if !isRedirectStatus(resp.Status) {
		return false
	}
	return len(resp.Header["Location"]) > 0
}

// checkLocation implements the steps of HTTP-redirect fetch that the
// redirect response alone decides, for hop i's response resp, a redirect.
func checkLocation(resp *Response, i int) Verdict {
	values := resp.Header["Location"] // canonical keys, as ParseResponse makes them
	// Step 5: a location URL that is failure is a network error. Location
	// allows a single value (extracting header list values).
	if len(values) != 1 {
		return blocked(ReasonInvalidRedirect, StepRedirectLocation, i)
	}
	// Step 6: a location URL whose scheme is not an HTTP(S) scheme is a
	// network error, whatever the mode: a hostile server cannot redirect
	// an image or a script to file:, data: or blob:.
	if scheme, ok := referenceScheme(values[0]); ok && !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
		return blocked(ReasonUnsafeRedirect, StepRedirectScheme, i)
	}
	return allowed
}

// redirectedToHTTP is HTTP-redirect fetch, step 6, on the URL list: hop i
// (i > 0) was reached by a redirect, so its URL must be an HTTP(S) URL.
// checkLocation blocks such a redirect at the response; this holds for a
// URL list built without one.
func redirectedToHTTP(req *fetchctx.Request, i int) Verdict {
	if i > 0 && !req.URLs[i].IsHTTP() {
		return blocked(ReasonUnsafeRedirect, StepRedirectScheme, i-1)
	}
	return allowed
}

// referenceScheme returns the scheme of the URL string ref as the URL
// parser reads it (URL standard: leading and trailing C0 controls and
// spaces stripped, tabs and newlines removed; scheme start and scheme
// states), and ok false when ref has none, a relative reference that takes
// its base URL's scheme. It does not allocate unless ref holds a tab or
// newline inside its scheme.
func referenceScheme(ref string) (scheme string, ok bool) {
	i := 0
	for i < len(ref) && ref[i] <= ' ' {
		i++
	}
	var b []byte
	start := i
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			if b == nil {
				b = append([]byte(nil), ref[start:i]...)
			}
			continue
		case c == ':':
			if b != nil {
				return string(b), len(b) > 0
			}
			return ref[start:i], i > start
		case isAlphaASCII(c):
		case i > start && (isDigitASCII(c) || c == '+' || c == '-' || c == '.'):
		default:
			return "", false
		}
		if b != nil {
			b = append(b, c)
		}
	}
	return "", false
}

func isAlphaASCII(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigitASCII(c byte) bool { return '0' <= c && c <= '9' }
