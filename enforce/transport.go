package enforce

import (
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/mimesniff"
	"github.com/xorigin/xorigin/origin"
)

// ErrNoFetchContext is returned (wrapped in *url.Error by http.Client) for a
// request whose context carries no *fetchctx.Request: the Transport cannot
// know who asks, so it fails closed. Put one there with fetchctx.NewContext.
var ErrNoFetchContext = errors.New("enforce: request has no fetch context (use fetchctx.NewContext)")

// BlockedError is returned, in place of a response, for a response the
// engine blocked. http.Client wraps it in a *url.Error; errors.As finds it.
type BlockedError struct {
	// URL is the URL of the response that was blocked, as requested, with
	// any password redacted (url.URL.Redacted).
	URL string
	// Verdict says why, and which spec step decided.
	Verdict Verdict
	// Reports are the reports this response queued (also given to the
	// Transport's report sink).
	Reports []Report
}

// Error says, for a log, what was blocked and why. A page is told no more
// than ErrNetwork's message.
func (e *BlockedError) Error() string {
	return fmt.Sprintf("enforce: %s blocked: %s (%s)", e.URL, e.Verdict.Reason, e.Verdict.Step)
}

// Is reports whether target is ErrNetwork: every block is a network error.
func (e *BlockedError) Is(target error) bool { return target == ErrNetwork }

// ErrNetwork is what a page learns of a blocked fetch: Fetch's network
// error, whose reason a browser keeps from script (fetch() rejects with a
// TypeError that says only that the fetch failed). errors.Is(err,
// ErrNetwork) holds for every *BlockedError; show a page this error's
// message, and log the *BlockedError's.
var ErrNetwork = errors.New("network error")

// ReportFunc receives the reports a fetch queues, with the request's context.
// It must be safe for concurrent use.
type ReportFunc func(ctx context.Context, r Report)

// TransportConfig configures a Transport. The zero TransportConfig is
// valid: the default transport, the default engine, reports dropped.
type TransportConfig struct {
	// Base performs the requests; nil means http.DefaultTransport. When
	// the engine runs Local Network Access, an *http.Transport Base is
	// cloned (a connection pool of its own) so that its dialer can be
	// wrapped: see CheckLocalNetwork.
	Base http.RoundTripper
	// Engine decides; nil means New(Config{}).
	Engine *Engine
	// OnReport receives every report queued; nil drops them.
	OnReport ReportFunc
	// Logger, when not nil, logs each block and report at Info level.
	Logger *slog.Logger
	// FetchMetadata adds the Sec-Fetch-Site, Sec-Fetch-Mode and
	// Sec-Fetch-Dest request headers, as browsers send them, to requests to
	// potentially trustworthy URLs.
	FetchMetadata bool
	// ResponseCredentials, when not nil, gives a response's own
	// request-includes-credentials, for a Base that answers as a service
	// worker does (Fetch: a service worker's response carries the value of
	// the fetch that made it). DeriveCredentials keeps the value the
	// Transport derives from the credentials mode, tainting and policy.
	ResponseCredentials func(resp *http.Response) CredentialsOverride
	// Unfiltered hands back every allowed response as it arrived. By
	// default a response that script reads (destination "", as for
	// fetch(), XMLHttpRequest and EventSource) is Fetch's filtered
	// response: basic without Set-Cookie, CORS with only the safelisted
	// and exposed headers, opaque as status 0 with no header and no body.
	// Element loads (any other destination) are never filtered; their
	// type is in DeliveryOf.
	Unfiltered bool
	// Jar, when not nil, is the user agent's cookie store: the Transport
	// adds its cookies to each request that includes credentials, and
	// stores each such response's cookies before it filters the response.
	// Give it here rather than to http.Client, whose jar sees filtered
	// responses and sends cookies the Transport then withholds.
	Jar http.CookieJar
	// DangerouslyAllowWithoutFetchContext lets a request whose context has
	// no fetch context through untouched, without any check, instead of
	// failing with ErrNoFetchContext.
	DangerouslyAllowWithoutFetchContext bool
	// MaxConcurrentScriptParses bounds how many responses this Transport
	// parses as JavaScript at once (ORB's last step, whose syntax tree
	// may take up to 160 bytes per body byte: see the README's Security
	// section); others wait, after reading their body, until one finishes
	// or their request's context ends (then the error is the context's:
	// fail closed). Zero or less means runtime.GOMAXPROCS(0).
	MaxConcurrentScriptParses int
	// AddressSpace, when not nil, overrides the Local Network Access
	// address space of the addresses connections reach (see
	// AddressSpaceFunc); nil keeps the spec's table.
	AddressSpace AddressSpaceFunc

	_ [0]func()
}

// Transport is an http.RoundTripper that applies the engine to real
// traffic: each response, redirects included (http.Client follows them with
// a RoundTrip each), is decided before the caller sees it. It reads the
// request's initiator from the request's context (fetchctx.NewContext) and
// rebuilds the URL list from the redirect chain http.Client records. On the
// request side it withholds credentials (Cookie and Authorization headers,
// URL userinfo) where Fetch would not send them, and hides Set-Cookie from
// such responses so that a cookie jar does not store them.
//
// A Transport is immutable and safe for concurrent use.
type Transport struct {
	base                http.RoundTripper
	engine              *Engine
	onReport            ReportFunc
	logger              *slog.Logger
	fetchMetadata       bool
	allowWithoutContext bool
	respCreds           func(*http.Response) CredentialsOverride
	unfiltered          bool
	jar                 http.CookieJar
	media               *mediaRecord
	preflights          *preflightCache
	scriptParses        *parseLimiter
	addressSpace        AddressSpaceFunc
	// lastOrigin is the Origin header value last built: a page's
	// requests share their origin, whose serialization is then reused.
	lastOrigin atomic.Pointer[serializedOrigin]
}

// NewTransport returns a Transport configured by cfg.
func NewTransport(cfg TransportConfig) *Transport {
	t := &Transport{
		base:                cfg.Base,
		engine:              cfg.Engine,
		onReport:            cfg.OnReport,
		logger:              cfg.Logger,
		fetchMetadata:       cfg.FetchMetadata,
		allowWithoutContext: cfg.DangerouslyAllowWithoutFetchContext,
		respCreds:           cfg.ResponseCredentials,
		unfiltered:          cfg.Unfiltered,
		jar:                 cfg.Jar,
		media:               newMediaRecord(mediaRecordBytes),
		preflights:          newPreflightCache(preflightCacheBytes),
		scriptParses:        newParseLimiter(cfg.MaxConcurrentScriptParses),
		addressSpace:        cfg.AddressSpace,
	}
	if t.base == nil {
		t.base = http.DefaultTransport
	}
	if t.engine == nil {
		t.engine = New(Config{})
	}
	if t.engine.checks&CheckLocalNetwork != 0 {
		// Local Network Access decides on the address each connection
		// reached: the dialer of an *http.Base is wrapped (on a copy).
		t.base = t.localNetworkBase(t.base)
	}
	return t
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	fr, ok := fetchctx.FromContext(req.Context())
	if !ok {
		if t.allowWithoutContext {
			return t.base.RoundTrip(req)
		}
		closeBody(req)
		return nil, ErrNoFetchContext
	}
	st, err := newHopState(fr, req)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	hopReq := &st.req
	i := len(hopReq.URLs) - 1
	// The client's state: a Document's (Document.NewContext), or the
	// Transport's own for a request made without one.
	media := t.media
	if cs := clientStateOf(req.Context()); cs != nil {
		media = cs.media
	}
	// The no-cors media request state: a media element's request is its
	// initial one unless this initiator already got audio or video from
	// this URL; the caller's own claim is not trusted.
	hopReq.Media = fetchctx.MediaNA
	if hopReq.Mode == fetchctx.ModeNoCORS && (hopReq.Destination == fetchctx.DestinationAudio || hopReq.Destination == fetchctx.DestinationVideo) {
		hopReq.Media = fetchctx.MediaInitial
		if media.has(mediaKey(hopReq, i)) {
			hopReq.Media = fetchctx.MediaSubsequent
		}
	}

	// The headers the page set (fr.Header) decide a CORS preflight and are
	// sent; those on the http.Request are the user agent's (User-Agent,
	// Accept, a cookie jar's Cookie, the Basic Authorization http.Client
	// makes from URL userinfo), sent as they are and never counted. A
	// name no page can set (a forbidden request-header name) is dropped
	// from the page's, as Headers.append drops it.
	//
	// The method is the one this hop sends (http.Client turns a POST into
	// a GET on a 301, 302 or 303), normalized (Fetch: "get" is GET). When
	// a redirect changed the page's method, the request-body-header names
	// go with the body (HTTP-redirect fetch, step 12).
	hopReq.Method = req.Method
	if hopReq.Method != http.MethodGet {
		hopReq.Method = normalizeMethod(hopReq.Method)
	}
	changed := i > 0 && fr.Method != "" && normalizeMethod(fr.Method) != hopReq.Method
	hopReq.Header = authorHeaders(fr.Header, changed)
	uaAuth := isUserinfoAuthorization(req)

	// The request this hop sends: the caller's, with the context that
	// will carry its Delivery, its header and URL copied only if they
	// change (RoundTrip must not change the caller's request).
	out := outRequest{Request: req}
	if hopReq.Method != req.Method {
		out.mine().Method = hopReq.Method
	}
	for name, vals := range hopReq.Header {
		// The page's value wins over the user agent's (Fetch appends
		// User-Agent or Accept only where the request has none).
		h := out.header()
		delHeader(h, name)
		h[name] = vals
	}
	// Mixed Content: images, audio and video from a secure context go to
	// the https form of an http URL.
	if t.engine.IsUpgradeable(hopReq, i) {
		u := out.url()
		u.Scheme = "https"
		if u.Port() == "80" {
			// The URL parser leaves port 80 of an http URL null, so the
			// https URL has the default port, 443. (Upgraded hosts are
			// domains, never IPv6 literals.)
			if out.Host == u.Host {
				out.Host = u.Hostname()
			}
			u.Host = u.Hostname()
		}
		if u, err := fetchctx.ParseURL(u.String()); err == nil {
			hopReq.URLs[i] = u
		}
	}
	// The gates that need no response: a blocked request is never sent.
	// They give the hop's response tainting (main fetch, step 12), on its
	// URL list as upgraded.
	v, tainting := t.engine.checkRequest(hopReq, i)
	if !v.Allows() {
		closeBody(req)
		return nil, t.blockedError(req, v, nil)
	}
	// HTTP-network-or-cache fetch: includeCredentials, with "COEP allows
	// credentials". Without it, no cookie, no authorization, no userinfo.
	// Header names match case-insensitively: net/http sends a key such as
	// "cookie" as it is, which Header.Del would leave.
	creds := hopReq.IncludesCredentials(i)
	if !creds {
		out.del("Cookie")
		out.del("Proxy-Authorization")
		if !hasHeader(fr.Header, "Authorization") {
			// An Authorization the page set itself (fetch()'s headers) is
			// a request header like any other, sent whatever the
			// credentials mode; one the user agent adds is a credential.
			out.del("Authorization")
		}
		if out.URL.User != nil {
			out.url().User = nil
		}
	}
	if creds && t.jar != nil {
		// HTTP-network-or-cache fetch: the cookies of the user agent's
		// store, with credentials only.
		if cookies := t.jar.Cookies(out.URL); len(cookies) > 0 {
			out.header()
			for _, c := range cookies {
				out.AddCookie(c)
			}
		}
	}
	if uaAuth && (!creds || !hopReq.URLs[i].IncludesCredentials()) {
		// URL: "@" and ":@" give an empty username and password, which
		// include no credentials; http.Client would still send them.
		out.del("Authorization")
	}
	// HTTP-redirect fetch, step 13: once a redirect has gone to another
	// origin, the CORS non-wildcard request-header names (Authorization)
	// are gone, whatever the mode and credentials mode. (http.Client keeps
	// Authorization for the same host and its subdomains, on any scheme or
	// port, and copies the first request's headers to every hop.)
	if crossedOrigins(hopReq.URLs) {
		out.del("Authorization")
		if creds && out.URL.User != nil {
			// HTTP-network-or-cache fetch: the URL's own credentials
			// authorize it again.
			pw, _ := out.URL.User.Password()
			out.header()
			out.SetBasicAuth(out.URL.User.Username(), pw)
		}
	}
	if t.fetchMetadata {
		t.setFetchMetadata(out.header(), hopReq, i)
	}
	// Fetch: append a request Origin header, for CORS requests and for
	// methods other than GET and HEAD.
	if tainting == fetchctx.TaintingCORS || out.Method != http.MethodGet && out.Method != http.MethodHead {
		// The value lives in the hop's state: no allocation of its own.
		h := out.header()
		delHeader(h, "Origin")
		st.origin[0] = t.requestOriginHeader(hopReq, i)
		h["Origin"] = st.origin[:]
	}
	// The response's Request (record) is the caller's request, carrying
	// the Delivery; the one sent is the caller's too, unless it changed.
	// (WithContext's copy, inlined, does not escape: the record lives in
	// the hop's state, with no allocation of its own.)
	st.recorded = *req.WithContext(&st.ctx)
	recorded := &st.recorded
	// Local Network Access: every connection this hop gets (its
	// preflight's too) is checked before anything is written to it.
	sent, lna := t.withLocalNetwork(out.Request, hopReq, i)
	// HTTP fetch, step 4.1: a CORS preflight, unless the cache answers.
	if t.engine.checks&CheckCORS != 0 && t.engine.NeedsPreflight(hopReq, i) {
		if v, err := t.preflight(sent, hopReq, i); err != nil || !v.Allows() {
			closeBody(req)
			if lv := lna.blocked(err != nil); lv.Result == Blocked {
				return nil, t.blockedError(req, lv, nil)
			}
			if err != nil {
				return nil, err
			}
			return nil, t.blockedError(req, v, nil)
		}
	}

	resp, err := t.base.RoundTrip(sent)
	if lv := lna.blocked(err != nil); lv.Result == Blocked {
		if resp != nil {
			closeResp(resp)
		}
		return nil, t.blockedError(req, lv, nil)
	}
	if err != nil {
		return nil, err
	}
	if resp == nil {
		// A RoundTripper must return a response or an error: fail closed
		// on a base that returns neither.
		return nil, errors.New("enforce: the base RoundTripper returned neither a response nor an error")
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	// Bad COEP headers fall back, as the spec says. The content type is
	// parsed only for a hop whose checks read it.
	hop, shape, _ := parseResponse(resp.StatusCode, resp.Header, readsORBFacts(hopReq, tainting))
	// ParseResponse keeps resp's header when its names are canonical (as
	// net/http makes them): a name is then deleted by its canonical key.
	canonical := !shape.copied
	if !creds && shape.cookies {
		// The response to a request without credentials stores no cookie.
		delete(hop.Header, "Set-Cookie")
		if !canonical {
			delHeader(resp.Header, "Set-Cookie")
		}
	}
	hop.AddressSpace = lna.space()
	if t.respCreds != nil {
		if o := t.respCreds(resp); o <= WithoutCredentials {
			hop.IncludesCredentials = o
		}
	}
	// The request gates allowed this hop above: the response's checks
	// follow (CheckHop without running them again).
	var reports []Report
	v, reports = t.engine.checkHopResponse(hopReq, i, tainting, &hop, reports)
	// Opaque response blocking may need the start of the body, or all of
	// it: read only what the decision asks for, then hand it back.
	decoded := false
	for v.Result == Undecided && v.Reason == ReasonNeedBody {
		if err := t.readForDecision(req, resp, &hop, i, v.Need(), t.engine.scriptBudget, &decoded); err != nil {
			return nil, err
		}
		reports = reports[:0]
		if v.Need() == WholeBody {
			// The whole-body decision parses the body as a script: at
			// most MaxConcurrentScriptParses at once, after the read, so
			// that a slow server holds no slot.
			var err error
			if v, reports, err = t.checkWholeBody(req.Context(), hopReq, i, &hop, reports); err != nil {
				resp.Body.Close()
				return nil, fmt.Errorf("enforce: %s: waiting to parse the body as a script: %w", req.URL.Redacted(), err)
			}
			continue
		}
		v, reports = t.engine.checkHopResponse(hopReq, i, tainting, &hop, reports)
	}
	if v.Allows() && hopReq.Media == fetchctx.MediaInitial && mimesniff.SniffAudioVideo(hop.Body) != "" {
		// The per-client record: this URL sniffed as audio or video for
		// this initiator, so its later range requests are "subsequent".
		media.add(mediaKey(hopReq, i))
	}
	redirect := isRedirect(&hop)
	if v.Allows() && redirect && resp.StatusCode != http.StatusSeeOther && hasBody(req) && req.GetBody == nil {
		// HTTP-redirect fetch, step 11: a body that cannot be read again
		// cannot follow a redirect (http.Client would hand back the 3xx
		// instead).
		v = blocked(ReasonRedirectBodyNotReplayable, StepRedirectBody, i)
	}
	if v.Allows() && !redirect {
		n := len(reports)
		v, reports = t.engine.CheckFinal(hopReq, &hop, reports)
		// Subresource Integrity hashes the whole body: read it (up to the
		// engine's integrity budget) only when the decision asks, that is
		// only for a request with integrity metadata.
		for v.Result == Undecided && v.Reason == ReasonNeedBody {
			if err := t.readForDecision(req, resp, &hop, i, v.Need(), t.engine.integrityBudget, &decoded); err != nil {
				return nil, err
			}
			v, reports = t.engine.CheckFinal(hopReq, &hop, reports[:n])
		}
	}
	t.emit(req.Context(), reports)
	d := &st.ctx.d
	*d = Delivery{Type: responseType(hopReq, tainting), URLs: hopReq.URLs, Verdict: v}
	switch {
	case v.Allows() && redirect && hopReq.Redirect == fetchctx.RedirectManual && hopReq.Mode != fetchctx.ModeNavigate:
		// HTTP fetch, step 12, "manual": an opaque-redirect filtered
		// response (status 0, no headers, no body), which http.Client
		// does not follow.
		d.Type, d.Filtered = ResponseOpaqueRedirect, true
		filter(resp, d.Type, canonical, shape.cookies)
	case v.Allows() && redirect:
		// A redirect reaches the caller (http.Client, which follows it)
		// without its body, and with only the headers following it needs:
		// Fetch never exposes a redirect's body, and a client that stops
		// at it gets no more than an opaque-redirect response would give.
		passRedirect(resp, &hop, creds)
	case v.Allows():
		if t.jar != nil && creds {
			// The user agent stores the cookies before script sees the
			// response filtered.
			t.jar.SetCookies(out.URL, resp.Cookies())
		}
		if !t.unfiltered && readsResponse(hopReq) {
			// Script reads what it gets: Fetch's filtered response.
			d.Filtered = true
			if d.Type == ResponseCORS {
				t.engine.filterCORS(resp.Header, hopReq, &hop)
			} else {
				filter(resp, d.Type, canonical, shape.cookies)
			}
		}
		if len(hop.Body) > 0 && resp.Body != http.NoBody {
			// The caller reads the body from its start: what the
			// decision read first.
			st.body = prefixedBody{prefix: hop.Body, rest: resp.Body}
			resp.Body = &st.body
		}
	case v.Result == Stripped:
		strip(resp)
	default:
		// Nothing of a blocked body reaches the caller: close it unread.
		// An Undecided verdict is a block too (fail closed).
		closeResp(resp)
		return nil, t.blockedError(req, v, reports)
	}
	// For DeliveryOf and the next hop's URL list (newHopState).
	resp.Request = recorded
	return resp, nil
}

// serializedOrigin is an origin and its serialization.
type serializedOrigin struct {
	origin origin.Origin
	text   string
}

// requestOriginHeader is serializedRequestOrigin(req, i), the value of
// hop i's Origin header, with the origin's serialization built only when
// it is not the one built last.
func (t *Transport) requestOriginHeader(req *fetchctx.Request, i int) string {
	if req.Origin.IsOpaque() || req.RedirectTainted(i) {
		// "null" either way: an opaque origin is a new value each time,
		// which the cache would only take the page's origin's place for.
		return serializedRequestOrigin(req, i)
	}
	// Origins are comparable: equal ones have the same serialization.
	if last := t.lastOrigin.Load(); last != nil && last.origin == req.Origin {
		return last.text
	}
	text := req.Origin.String()
	t.lastOrigin.Store(&serializedOrigin{req.Origin, text})
	return text
}

// outRequest is the request a hop sends: the caller's until it changes,
// then a shallow copy (the response's Request, which carries the
// Delivery, is another), whose header and URL are copied the first time
// they change.
type outRequest struct {
	*http.Request
	own, ownHeader, ownURL bool
}

// mine returns the request to change: the copy, made the first time (a
// hop that sends the caller's request as it is allocates none).
func (o *outRequest) mine() *http.Request {
	if !o.own {
		o.own = true
		sent := new(http.Request)
		*sent = *o.Request
		o.Request = sent
	}
	return o.Request
}

// header returns the request's header, a copy of the caller's, to change.
func (o *outRequest) header() http.Header {
	if !o.ownHeader {
		o.ownHeader = true
		r := o.mine()
		h := r.Header.Clone()
		if h == nil {
			h = http.Header{}
		}
		r.Header = h
	}
	return o.Header
}

// del deletes name (matched case-insensitively) from the request's header,
// copying it only when it has name.
func (o *outRequest) del(name string) {
	if hasHeader(o.Header, name) {
		delHeader(o.header(), name)
	}
}

// url returns the request's URL, a copy of the caller's, to change.
func (o *outRequest) url() *url.URL {
	if !o.ownURL {
		o.ownURL = true
		r := o.mine()
		u := *r.URL
		r.URL = &u
	}
	return o.URL
}

// readForDecision reads into hop as much of resp's body as a decision on
// hop i needs (need bytes, within budget), decoded as Fetch hands a body
// over (decoded says it is already). When it cannot, it closes the body
// and returns the error to give the caller: a *BlockedError for a coding
// it does not decode, or the read error (fail closed: no verdict, no
// response, and the reason).
func (t *Transport) readForDecision(req *http.Request, resp *http.Response, hop *Response, i, need, budget int, decoded *bool) error {
	if !*decoded {
		*decoded = true
		if !decodeBody(resp, hop) {
			closeResp(resp)
			return t.blockedError(req, blocked(ReasonUndecodableBody, StepContentCoding, i), nil)
		}
	}
	if err := readMore(resp, hop, need, budget); err != nil {
		closeResp(resp)
		return fmt.Errorf("enforce: %s: reading the body the decision needs: %w", req.URL.Redacted(), err)
	}
	return nil
}

// crossedOrigins reports whether a redirect in urls went from one origin
// to another.
func crossedOrigins(urls []fetchctx.URL) bool {
	for j := 1; j < len(urls); j++ {
		if !urls[j-1].Origin().SameOrigin(urls[j].Origin()) {
			return true
		}
	}
	return false
}

// hasBody reports whether req sends a body.
func hasBody(req *http.Request) bool {
	return req.Body != nil && req.Body != http.NoBody
}

// passRedirect empties resp, an allowed redirect, of its body and of every
// header but Location (and Set-Cookie, which the cookie jar stores, when
// the request included credentials).
func passRedirect(resp *http.Response, hop *Response, creds bool) {
	discardResp(resp)
	// The header map is reused (hop's canonical values are read first).
	loc, cookies := hop.Header["Location"], hop.Header["Set-Cookie"]
	clear(resp.Header)
	resp.Header["Location"] = loc
	if creds && len(cookies) > 0 {
		resp.Header["Set-Cookie"] = cookies
	}
	resp.Body = http.NoBody
	resp.ContentLength = 0
	resp.Trailer = nil
	resp.TransferEncoding = nil
	resp.Uncompressed = false
}

// decodeBody makes resp's body the decoded body when it is in content
// codings the Transport decodes (gzip, x-gzip, deflate: Fetch's HTTP
// network fetch hands over the body decoded, so the decision must read the
// decoded bytes), and reports false when a coding is one it does not
// (br, zstd, or unknown). hop's headers are resp's, read by the decision.
func decodeBody(resp *http.Response, hop *Response) bool {
	if resp.Uncompressed || resp.Body == nil || resp.Body == http.NoBody {
		return true // net/http decoded it, or there is nothing to decode
	}
	// hop's header has resp's values under canonical names.
	var codings []string
	for _, v := range hop.Header["Content-Encoding"] {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.ToLower(mimesniff.TrimHTTPWhitespace(c)); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	if len(codings) == 0 {
		return true
	}
	var r io.Reader = resp.Body
	// Codings are listed in the order they were applied: undo the last
	// first.
	for k := len(codings) - 1; k >= 0; k-- {
		var err error
		switch codings[k] {
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(r)
		case "deflate":
			r, err = zlib.NewReader(r)
		default:
			return false
		}
		if err != nil {
			return false
		}
	}
	resp.Body = decodedBody{r, resp.Body}
	for _, h := range [...]http.Header{resp.Header, hop.Header} {
		delHeader(h, "Content-Encoding")
		delHeader(h, "Content-Length")
	}
	resp.ContentLength = -1
	resp.Uncompressed = true
	return true
}

// hasHeader reports whether h has name, matched byte-case-insensitively
// as Fetch's header list matches names.
func hasHeader(h http.Header, name string) bool {
	if len(h) == 0 {
		return false
	}
	for k := range h {
		if equalFold(k, name) {
			return true
		}
	}
	return false
}

// delHeader deletes name from h, matching keys byte-case-insensitively as
// Fetch's header list does.
func delHeader(h http.Header, name string) {
	if len(h) == 0 {
		return
	}
	for k := range h {
		if equalFold(k, name) {
			delete(h, k)
		}
	}
}

// equalFold reports whether a and b are equal, ASCII letters compared
// without case (Fetch: byte-case-insensitive).
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if asciiLower(a[i]) != asciiLower(b[i]) {
			return false
		}
	}
	return true
}

// setHeader sets name, a canonical header name, in h to the single value
// v, with no other key that differs only in case left beside it.
func setHeader(h http.Header, name, v string) {
	delHeader(h, name)
	h[name] = []string{v}
}

// authorHeaders returns h without the forbidden request-header names
// (Fetch), which no page can set, and, when bodyDropped says a redirect
// turned the request into one without a body (HTTP-redirect fetch, step
// 12), without the request-body-header names; it copies only when it drops
// one.
func authorHeaders(h http.Header, bodyDropped bool) http.Header {
	drop := func(name string) bool {
		return fetchctx.IsForbiddenRequestHeader(name) || bodyDropped && isRequestBodyHeaderName(name)
	}
	for name := range h {
		if drop(name) {
			out := make(http.Header, len(h))
			for k, v := range h {
				if !drop(k) {
					out[k] = v
				}
			}
			return out
		}
	}
	return h
}

// isRequestBodyHeaderName reports whether name is a request-body-header
// name (Fetch).
func isRequestBodyHeaderName(name string) bool {
	for _, n := range [...]string{"Content-Encoding", "Content-Language", "Content-Location", "Content-Type"} {
		if equalFold(name, n) {
			return true
		}
	}
	return false
}

// isUserinfoAuthorization reports whether req's Authorization is the Basic
// one http.Client makes from the URL's userinfo.
func isUserinfoAuthorization(req *http.Request) bool {
	if req.URL.User == nil {
		return false
	}
	user, pw, ok := req.BasicAuth()
	wantPW, _ := req.URL.User.Password()
	return ok && user == req.URL.User.Username() && pw == wantPW
}

// blockedError builds (and logs) the error for a blocked request.
func (t *Transport) blockedError(req *http.Request, v Verdict, reports []Report) *BlockedError {
	// The password redacted, as net/http's own errors do: the error and the
	// log must not carry credentials.
	berr := &BlockedError{URL: req.URL.Redacted(), Verdict: v, Reports: reports}
	if t.logger != nil {
		t.logger.LogAttrs(req.Context(), slog.LevelInfo, "xorigin: blocked",
			slog.String("url", berr.URL), slog.String("reason", v.Reason.String()),
			slog.String("step", v.Step.String()), slog.Int("hop", v.Hop))
	}
	return berr
}

// readsORBFacts reports whether a check on a response to req, whose hop
// has response tainting t, reads its Content-Type, X-Content-Type-Options
// or Content-Range: opaque response blocking runs for opaque tainting only
// (HTTP fetch, step 3), and the MIME type and nosniff gates (main fetch,
// step 19) block script-like and style destinations only.
func readsORBFacts(req *fetchctx.Request, t fetchctx.Tainting) bool {
	return t == fetchctx.TaintingOpaque || isScriptLike(req.Destination) || req.Destination == fetchctx.DestinationStyle
}

// checkRequest is CheckRequest, with hop i's response tainting when the
// request gates allow it, for checkHopResponse.
func (e *Engine) checkRequest(req *fetchctx.Request, i int) (Verdict, fetchctx.Tainting) {
	if !e.decidable(req) || i < 0 || i >= len(req.URLs) {
		return blocked(ReasonInvalidRequest, StepPrecondition, max(i, 0)), 0
	}
	return e.requestGates(req, i)
}

// errUntrackedRedirect fails a redirected request whose earlier hops no
// Transport recorded: deciding it as a first hop could take a chain that
// went through another origin for a same-origin fetch.
var errUntrackedRedirect = errors.New("enforce: the request follows a response that no enforce.Transport passed on, so its redirect chain is unknown")

// hopState is what one RoundTrip keeps, in one allocation: the fetch as
// this hop sees it, the first hop's URL list, the response's Request and
// its context, which carries the Delivery.
type hopState struct {
	req      fetchctx.Request
	first    [1]fetchctx.URL
	ctx      deliveryContext
	recorded http.Request
	// The Origin header's value, when the hop sends one; the body handed
	// back, when the decision read its start.
	origin [1]string
	body   prefixedBody
}

// newHopState returns the state of the hop req makes: a copy of fr whose
// URL list is the redirect chain that led to req. http.Client links a
// redirected request to the response that caused it (req.Response); the
// Transport recorded the URL list up to that response in the response's
// Request (see DeliveryOf). The Base's own resp.Request is never read: a
// wrapping RoundTripper that drops or replaces it cannot erase the
// history.
func newHopState(fr *fetchctx.Request, req *http.Request) (*hopState, error) {
	var prev []fetchctx.URL
	if req.Response != nil {
		if d, ok := DeliveryOf(req.Response); ok {
			prev = d.URLs
		}
		if prev == nil {
			return nil, errUntrackedRedirect
		}
	}
	u, err := fetchctx.ParseURL(urlString(req.URL))
	if err != nil {
		return nil, fmt.Errorf("enforce: URL list entry %d: %w", len(prev), err)
	}
	st := &hopState{req: *fr}
	st.ctx.Context = req.Context()
	// A list of this hop's own: the previous hop's is shared by its
	// response, and stays as it was.
	urls := st.first[:]
	if len(prev) > 0 {
		urls = make([]fetchctx.URL, len(prev)+1)
		copy(urls, prev)
	}
	urls[len(prev)] = u
	st.req.URLs = urls
	return st, nil
}

// urlString returns u.String(), built directly for the usual request URL
// (a scheme, a host and a path with nothing to escape, a query).
func urlString(u *url.URL) string {
	if u.Scheme == "" || u.Opaque != "" || u.User != nil || u.RawPath != "" || u.ForceQuery || u.Fragment != "" ||
		!plainURLPart(u.Host, plainHost) || !strings.HasPrefix(u.Path, "/") || !plainURLPart(u.Path, plainPath) {
		return u.String()
	}
	if u.RawQuery == "" {
		return u.Scheme + "://" + u.Host + u.Path
	}
	return u.Scheme + "://" + u.Host + u.Path + "?" + u.RawQuery
}

// plainURLPart reports whether s is not empty and has only bytes of
// plain (plainHost or plainPath), which url.URL.String writes as they are.
func plainURLPart(s string, plain *[256]bool) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !plain[s[i]] {
			return false
		}
	}
	return true
}

// plainHost and plainPath are the bytes of a host and a path that
// url.URL.String writes as they are: ASCII letters and digits, and a few
// more.
var plainHost, plainPath = plainBytes(".-:"), plainBytes("-._~/")

func plainBytes(extra string) *[256]bool {
	var t [256]bool
	for c := 0; c < 256; c++ {
		t[c] = isAlphaASCII(byte(c)) || isDigitASCII(byte(c)) || strings.IndexByte(extra, byte(c)) >= 0
	}
	return &t
}

func (t *Transport) emit(ctx context.Context, reports []Report) {
	for _, r := range reports {
		if t.onReport != nil {
			t.onReport(ctx, r)
		}
		if t.logger != nil {
			t.logger.LogAttrs(ctx, slog.LevelInfo, "xorigin: coep report",
				slog.String("type", r.Type.String()), slog.String("blockedURL", r.BlockedURL),
				slog.String("destination", r.Destination.String()),
				slog.String("disposition", r.Disposition.String()), slog.String("endpoint", r.Endpoint))
		}
	}
}

// setFetchMetadata sets the Fetch Metadata request headers (W3C Fetch
// Metadata Request Headers, §2), for potentially trustworthy URLs only.
func (t *Transport) setFetchMetadata(h http.Header, req *fetchctx.Request, i int) {
	if !req.URLs[i].Origin().IsPotentiallyTrustworthy() {
		return
	}
	// Sec-Fetch-Site: "none" for a navigation the user started from the
	// browser, else the weakest relation between the request's origin and
	// any URL of the URL list so far.
	site := "same-origin"
	urls := req.URLs[:i+1]
	if req.Mode == fetchctx.ModeNavigate && req.UserInitiated {
		site, urls = "none", nil
	}
	for _, u := range urls {
		o := u.Origin()
		switch {
		case req.Origin.SameOrigin(o):
		case t.engine.sites.SameSite(req.Origin, o):
			if site == "same-origin" {
				site = "same-site"
			}
		default:
			site = "cross-site"
		}
	}
	setHeader(h, "Sec-Fetch-Site", site)
	setHeader(h, "Sec-Fetch-Mode", req.Mode.String())
	dest := req.Destination.String()
	if dest == "" {
		dest = "empty"
	}
	setHeader(h, "Sec-Fetch-Dest", dest)
	// Sec-Fetch-User: ?1 for a navigation with user activation, else none.
	delHeader(h, "Sec-Fetch-User")
	if req.Mode == fetchctx.ModeNavigate && req.UserActivation {
		h.Set("Sec-Fetch-User", "?1")
	}
}

// strip empties resp the way a response stripped by opaque response blocking
// reaches a page: an empty body and no headers, as an opaque filtered
// response exposes none. The body is closed, read first when it is short,
// as discardResp does, so that the connection serves the next request (a
// page's no-cors fetch() calls would otherwise each open one). Like ORB's
// own reads, that waits on the server, within the request's context.
func strip(resp *http.Response) {
	discardResp(resp)
	resp.Body = http.NoBody
	resp.ContentLength = 0
	// An opaque filtered response has an empty header list; the map is
	// the caller's to reuse.
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	clear(resp.Header)
	resp.Trailer = nil
	resp.TransferEncoding = nil
	resp.Uncompressed = false
}

// readMore reads from resp's body into hop.Body until it holds need bytes
// (at most budget+1 for the whole body), or the body ends. Only io.EOF ends
// a body: Fetch's "fully read" fails on a body that errors, and a
// connection closed before the announced length (io.ErrUnexpectedEOF) is
// such an error, so ORB never judges a truncated body as if it were whole
// (a prefix of an HTML page can parse as a script). Any read error is
// returned, and the Transport then fails closed.
func readMore(resp *http.Response, hop *Response, need, budget int) error {
	if need > budget {
		need = budget + 1
	}
	if hop.BodyComplete || need <= len(hop.Body) {
		// A decision that asks for nothing new would never end.
		return errNoProgress
	}
	if resp.Body == nil || resp.Body == http.NoBody {
		hop.BodyComplete = true
		return nil
	}
	// The buffer grows with what arrives, up to need: a short body costs
	// little even when the decision could take the whole budget. A
	// Content-Length (one byte more, to see the end) sizes it; a wrong
	// one costs copies.
	size := max(2*len(hop.Body), 4096)
	if resp.ContentLength > 0 && !resp.Uncompressed {
		size = max(len(hop.Body)+1, min(size, int(min(resp.ContentLength, 1<<30))+1))
	}
	buf := make([]byte, len(hop.Body), min(need, size))
	n := copy(buf, hop.Body)
	defer func() { hop.Body = buf[:n] }()
	for empty := 0; n < need; {
		if n == cap(buf) {
			grown := make([]byte, n, min(need, max(2*cap(buf), 4096)))
			// buf's length is what it held at the start; n is what it
			// holds now.
			copy(grown, buf[:n])
			buf = grown
		}
		m, err := resp.Body.Read(buf[n:cap(buf)])
		n += m
		switch {
		case err == io.EOF:
			hop.BodyComplete = true
			return nil
		case err != nil:
			return err
		case m > 0:
			empty = 0
		default:
			// io.Reader allows (0, nil) now and then, not forever.
			if empty++; empty >= 100 {
				return io.ErrNoProgress
			}
		}
	}
	// need bytes read; past the budget the engine fails closed.
	return nil
}

// errNoProgress is the error of a decision that asks for no more of the
// body than it already has: the Transport fails closed rather than loop.
var errNoProgress = errors.New("enforce: the decision asked for no more of the body than it had")

// prefixedBody gives back the bytes read for a decision, then the rest.
type prefixedBody struct {
	prefix []byte
	rest   io.ReadCloser
}

func (b *prefixedBody) Read(p []byte) (int, error) {
	if len(b.prefix) == 0 {
		return b.rest.Read(p)
	}
	n := copy(p, b.prefix)
	b.prefix = b.prefix[n:]
	return n, nil
}

func (b *prefixedBody) Close() error { return b.rest.Close() }

// decodedBody reads a body through its decoders; closing it closes the
// body.
type decodedBody struct {
	io.Reader
	io.Closer
}

func closeResp(resp *http.Response) {
	if resp.Body != nil {
		resp.Body.Close()
	}
}

// maxDiscard is how much of a redirect's body discardResp reads: as much
// as http.Client reads of one (its maxBodySlurpSize), so that a short body
// keeps the connection for the next request.
const maxDiscard = 2 << 10

// discardResp closes resp's body, reading it first when it is short
// (length unknown, or at most maxDiscard): a body closed before its end
// ends its keep-alive connection.
func discardResp(resp *http.Response) {
	if resp.Body == nil {
		return
	}
	if resp.ContentLength <= maxDiscard {
		io.CopyN(io.Discard, resp.Body, maxDiscard)
	}
	resp.Body.Close()
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
