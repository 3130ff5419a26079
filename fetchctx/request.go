// Package fetchctx describes a fetch as the decision engine needs to see it:
// who asks (the initiator's origin and embedder policy), for what
// (destination, mode, credentials mode), and where the request has been (the
// URL list of its redirect chain). It derives what the Fetch standard derives
// from these: the response tainting of each hop, the redirect-taint, and
// whether a hop's request includes credentials.
//
// A Request travels with a net/http request in its context.Context, through
// NewContext and FromContext.
//
// A Request is derived from what initiates it as HTML and Fetch derive it:
// an element and its attributes (Element.Loads, ForElement, with the CORS
// settings attribute's states and PotentialCORS), CSS (ForCSS), a worker's
// script (ForWorker), and script's own fetches (ForFetch, ForXHR,
// ForEventSource, ForBeacon). Key says what a fetch's outcome depends on,
// for deduplicating.
package fetchctx

import (
	"context"
	"net/http"
	"strings"

	"github.com/xorigin/xorigin/internal/weburl"
	"github.com/xorigin/xorigin/origin"
)

// URL is one entry of a request's URL list: the URL as given, its origin,
// and its serialization for reports, computed once.
type URL struct {
	raw      string
	scheme   string
	hasCreds bool // the URL has a username or password
	isHTTP   bool // the scheme is http or https
	origin   origin.Origin
	report   string
}

// ParseURL parses an absolute URL for a URL list.
func ParseURL(raw string) (URL, error) {
	// One parse gives the scheme, the origin and the report serialization,
	// which is raw itself (no copy) when raw is already in that form.
	u, report, err := weburl.ParseWithReport(raw)
	if err != nil {
		// The error as origin.FromURL words it (a *origin.ParseError).
		if _, oerr := origin.FromURL(raw); oerr != nil {
			err = oerr
		}
		return URL{}, err
	}
	return URL{raw: raw, scheme: u.Scheme, hasCreds: u.HasCreds, isHTTP: u.Scheme == "http" || u.Scheme == "https",
		origin: origin.FromParsedURL(&u), report: report}, nil
}

// MustParseURL is ParseURL for tests and hard-coded values: it panics on error.
func MustParseURL(raw string) URL {
	u, err := ParseURL(raw)
	if err != nil {
		panic(err)
	}
	return u
}

// String returns the URL as given to ParseURL.
func (u URL) String() string { return u.raw }

// Scheme returns the URL's scheme, lowercase.
func (u *URL) Scheme() string { return u.scheme }

// Origin returns the URL's origin.
func (u *URL) Origin() origin.Origin { return u.origin }

// IsHTTP reports whether the URL's scheme is http or https, the schemes
// Fetch's HTTP fetch (and so the CORP check) handles.
func (u *URL) IsHTTP() bool { return u.isHTTP }

// IncludesCredentials reports whether the URL has a username or password
// (URL standard: includes credentials).
func (u *URL) IncludesCredentials() bool { return u.hasCreds }

// IsPotentiallyTrustworthy reports whether the URL is a potentially
// trustworthy URL (Secure Contexts §3.2): about:blank, about:srcdoc and
// data: URLs, and URLs whose origin is potentially trustworthy.
func (u *URL) IsPotentiallyTrustworthy() bool {
	switch u.scheme {
	case "data":
		return true
	case "about":
		rest := strings.ToLower(u.raw[strings.IndexByte(u.raw, ':')+1:])
		if i := strings.IndexAny(rest, "?#"); i >= 0 {
			rest = rest[:i]
		}
		return rest == "blank" || rest == "srcdoc"
	}
	return u.origin.IsPotentiallyTrustworthy()
}

// ForReporting returns the URL serialized as Fetch's "serialize a response
// URL for reporting" does: without credentials and fragment.
func (u *URL) ForReporting() string { return u.report }

// Request is the part of a Fetch request the decision needs. Build it with a
// composite literal; the zero values of its enums are the spec defaults. A
// Request must not be modified while a decision reads it.
type Request struct {
	// Origin is the request's origin: the initiator's origin, or for a
	// nested navigation the container document's. It must be valid.
	Origin origin.Origin
	// Destination, Mode and Credentials are the request's.
	Destination Destination
	Mode        Mode
	Credentials Credentials
	// Policy is the embedder policy of the request's client (for a nested
	// navigation, of the container document).
	Policy EmbedderPolicy
	// Method is the request method; "" means GET.
	Method string
	// Header holds the headers the page set (fetch()'s headers, say): with
	// Method, they decide whether a CORS preflight is needed, and the
	// Transport sends them. Headers an embedder sets on its http.Request
	// (User-Agent, a cookie jar's Cookie) are the user agent's: sent, never
	// counted. Nil and empty mean the same: none.
	Header http.Header
	// Media is the no-cors media request state: MediaInitial for a media
	// element's initial request, MediaSubsequent for its later range
	// requests to a URL that sniffed as audio or video; MediaNA otherwise.
	Media MediaState
	// Redirect is the request's redirect mode.
	Redirect RedirectMode
	// UserInitiated marks a navigation the user started from the browser
	// itself (the address bar, a bookmark): Fetch Metadata's
	// Sec-Fetch-Site is then "none". UserActivation marks a navigation
	// with transient user activation (a click): Sec-Fetch-User: ?1. Both
	// are for navigations only.
	UserInitiated, UserActivation bool
	// Integrity is the request's integrity metadata (Subresource
	// Integrity: an element's integrity attribute, fetch()'s integrity
	// option), parsed by ParseIntegrity; the zero Integrity is none.
	Integrity Integrity
	// AddressSpace is the IP address space of the request's client (Local
	// Network Access: its policy container's IP address space, the space
	// of the address its document came from). Zero means the space of the
	// origin's host: an IP literal's, loopback for localhost, else public.
	AddressSpace AddressSpace
	// URLs is the URL list: the URL first requested, then each redirect's
	// target. The current URL is the last one.
	URLs []URL
}

// IsNestedNavigation reports whether r navigates a child navigable (an
// iframe, frame, embed or object): mode navigate with a non-document
// navigation destination.
func (r *Request) IsNestedNavigation() bool {
	return r.Mode == ModeNavigate && r.Destination.IsNavigation() && r.Destination != DestinationDocument
}

// Tainting returns the response tainting main fetch sets for hop i (the
// response to URLs[i]); ok is false where main fetch returns a network error
// instead (mode same-origin to another origin).
func (r *Request) Tainting(i int) (t Tainting, ok bool) {
	// Main fetch, step 12: basic while every URL so far is same origin with
	// the request's origin (tainting, once changed, stays changed); basic for
	// data: URLs and navigations; otherwise by mode.
	basic := true
	for j := range r.URLs[:i+1] {
		if !r.URLs[j].origin.SameOrigin(r.Origin) {
			basic = false
			break
		}
	}
	if basic || r.Mode == ModeNavigate || r.URLs[i].scheme == "data" {
		return TaintingBasic, true
	}
	switch r.Mode {
	case ModeSameOrigin:
		return TaintingBasic, false
	case ModeNoCORS:
		return TaintingOpaque, true
	}
	return TaintingCORS, true
}

// RedirectTainted reports whether the request's redirect-taint, over the URL
// list up to hop i, is anything but "same-origin" (Fetch: compute the
// redirect-taint): whether a redirect went through another origin than the
// request's own, coming from one neither the request's nor the next URL's.
func (r *Request) RedirectTainted(i int) bool {
	for j := 1; j <= i; j++ {
		last := r.URLs[j-1].origin
		// Redirect-taint, step 4.3 (step 4.2 implies it): the URL is not
		// same origin with the last, nor is the request's origin.
		if !r.URLs[j].origin.SameOrigin(last) && !r.Origin.SameOrigin(last) {
			return true
		}
	}
	return false
}

// COEPAllowsCredentials implements Fetch's "Cross-Origin-Embedder-Policy
// allows credentials" for the request when its current URL is URLs[i].
func (r *Request) COEPAllowsCredentials(i int) bool {
	// Steps 2-4: only no-cors requests of credentialless clients are affected.
	if r.Mode != ModeNoCORS || r.Policy.Value != Credentialless {
		return true
	}
	// Step 5. The spec text (fetch commit 586cd2a) reads "redirect-taint is
	// not same-origin", which would strip credentials from every plain
	// same-origin request; we read it as intended: a same-origin request
	// that no redirect tainted keeps its credentials.
	if r.URLs[i].origin.SameOrigin(r.Origin) && !r.RedirectTainted(i) {
		return true
	}
	return false
}

// IncludesCredentials reports whether the request for hop i includes
// credentials (Fetch, HTTP-network-or-cache fetch: includeCredentials),
// which becomes the response's request-includes-credentials.
func (r *Request) IncludesCredentials(i int) bool {
	t, _ := r.Tainting(i)
	include := r.Credentials == CredentialsInclude ||
		r.Credentials == CredentialsSameOrigin && t == TaintingBasic
	return include && r.COEPAllowsCredentials(i)
}

type ctxKey struct{}

// NewContext returns a copy of ctx that carries r.
func NewContext(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// FromContext returns the Request that ctx carries, if any.
func FromContext(ctx context.Context) (*Request, bool) {
	r, ok := ctx.Value(ctxKey{}).(*Request)
	return r, ok && r != nil
}

// IsForbiddenRequestHeader reports whether name is a forbidden
// request-header name (Fetch), method-override headers aside: the user
// agent sets it, and a page's Headers drop it silently. Names match
// case-insensitively.
func IsForbiddenRequestHeader(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "proxy-") || strings.HasPrefix(n, "sec-") {
		return true
	}
	switch n {
	case "accept-charset", "accept-encoding", "access-control-request-headers",
		"access-control-request-method", "connection", "content-length", "cookie",
		"cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin", "referer",
		"set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via":
		return true
	}
	return false
}

// Key is what a request's outcome depends on, besides the response: a
// crawler that deduplicates fetches by Key fetches a URL again when
// another initiator, destination, mode, credentials mode, method or
// embedder policy asks for it, since the verdict may differ (an image
// another page's COEP blocks). Keys are comparable; two opaque origins
// differ unless they are the same origin.
type Key struct {
	URL         string // the first URL of the URL list
	Origin      origin.Origin
	Destination Destination
	Mode        Mode
	Credentials Credentials
	Redirect    RedirectMode
	Method      string
	Policy      EmbedderPolicy
}

// Key returns r's Key. (The page's headers are left out: a crawler
// deduplicates element loads, which set none.)
func (r *Request) Key() Key {
	k := Key{Origin: r.Origin, Destination: r.Destination, Mode: r.Mode, Credentials: r.Credentials,
		Redirect: r.Redirect, Method: r.Method, Policy: r.Policy}
	if k.Method == "" {
		k.Method = http.MethodGet
	}
	if len(r.URLs) > 0 {
		k.URL = r.URLs[0].String()
	}
	return k
}
