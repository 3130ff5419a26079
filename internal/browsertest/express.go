package browsertest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/conformance"
	"github.com/xorigin/xorigin/origin"
)

// kind is the page code that makes the request.
type kind uint8

const (
	kindImg           kind = iota + 1 // <img>
	kindScript                        // <script>
	kindStyle                         // <link rel=stylesheet>
	kindAudio                         // <audio>
	kindVideo                         // <video>
	kindFetch                         // fetch()
	kindIframe                        // <iframe>
	kindFrame                         // <frame> in a <frameset>
	kindFont                          // new FontFace(...).load()
	kindJSON                          // import(..., {with: {type: "json"}})
	kindWorker                        // new Worker()
	kindSharedWorker                  // new SharedWorker()
	kindServiceWorker                 // navigator.serviceWorker.register()
	kindAudioWorklet                  // audioWorklet.addModule()
	kindPaintWorklet                  // CSS.paintWorklet.addModule()
)

var kindNames = map[kind]string{
	kindImg: "<img>", kindScript: "<script>", kindStyle: "<link rel=stylesheet>",
	kindAudio: "<audio>", kindVideo: "<video>", kindFetch: "fetch()",
	kindIframe: "<iframe>", kindFrame: "<frame>", kindFont: "new FontFace().load()",
	kindJSON: `import(url, {with: {type: "json"}})`, kindWorker: "new Worker()",
	kindSharedWorker: "new SharedWorker()", kindServiceWorker: "navigator.serviceWorker.register()",
	kindAudioWorklet: "OfflineAudioContext.audioWorklet.addModule()", kindPaintWorklet: "CSS.paintWorklet.addModule()",
}

// rendererChecked reports whether k's response goes through checks Blink
// runs after the network service hands it over (nosniff and the MIME type
// checks of scripts, styles, workers and worklets): for these the page's
// error event, with Chromium's console message, can block what the
// network let through.
func (k kind) rendererChecked() bool {
	switch k {
	case kindScript, kindStyle, kindJSON, kindWorker, kindSharedWorker, kindServiceWorker, kindAudioWorklet, kindPaintWorklet:
		return true
	}
	return false
}

// isWorker reports whether k starts a worker or a worklet, whose script
// request DevTools shows on the page only as it starts.
func (k kind) isWorker() bool {
	switch k {
	case kindWorker, kindSharedWorker, kindServiceWorker, kindAudioWorklet, kindPaintWorklet:
		return true
	}
	return false
}

// plan is how a page expresses a case's request: the element or call, and
// the request it makes, which can differ from the fixture's only where the
// engine decides both the same.
type plan struct {
	kind        kind
	mode        fetchctx.Mode
	credentials fetchctx.Credentials
	crossOrigin string // the crossorigin attribute: "", "anonymous" or "use-credentials"
	method      string
	headers     [][2]string
	// pageOrigin serves the initiator document: the client's origin, or
	// for an opaque client the request URL's origin, with the document
	// sandboxed by CSP so that its origin is opaque.
	pageOrigin origin.Origin
	sandboxed  bool
	// request is the fixture's request with the page's mode and
	// credentials: the request Chromium makes, which the engine decides.
	request fetchctx.Request
	// note says where the page's request departs from the fixture's.
	note string
	// integrity is the request's integrity metadata: the integrity
	// attribute of a <script> or <link rel=stylesheet>, or fetch()'s
	// integrity option.
	integrity string
}

// describe names the page code, for the report.
func (p *plan) describe() string {
	s := kindNames[p.kind]
	switch {
	case p.kind == kindFetch:
		s = fmt.Sprintf("fetch(mode %s, credentials %s", p.mode, p.credentials)
		if p.method != "" && p.method != "GET" {
			s += ", method " + p.method
		}
		if len(p.headers) > 0 {
			s += fmt.Sprintf(", %d header(s)", len(p.headers))
		}
		s += ")"
	case p.crossOrigin != "":
		s = strings.TrimSuffix(s, ">") + " crossorigin=" + p.crossOrigin + ">"
	}
	if p.sandboxed {
		s += " in a CSP-sandboxed page at " + p.pageOrigin.String()
	}
	return s
}

// element maps the destinations of elements that take a crossorigin
// attribute.
var element = map[fetchctx.Destination]kind{
	fetchctx.DestinationImage: kindImg, fetchctx.DestinationScript: kindScript,
	fetchctx.DestinationStyle: kindStyle, fetchctx.DestinationAudio: kindAudio,
	fetchctx.DestinationVideo: kindVideo,
}

// scriptLike maps the destinations whose request is fixed by the API that
// makes it: mode and credentials mode as the spec has the API set them.
var scriptLike = map[fetchctx.Destination]struct {
	kind kind
	mode fetchctx.Mode
}{
	fetchctx.DestinationWorker:        {kindWorker, fetchctx.ModeSameOrigin},
	fetchctx.DestinationSharedWorker:  {kindSharedWorker, fetchctx.ModeSameOrigin},
	fetchctx.DestinationServiceWorker: {kindServiceWorker, fetchctx.ModeSameOrigin},
	fetchctx.DestinationAudioWorklet:  {kindAudioWorklet, fetchctx.ModeCORS},
	fetchctx.DestinationPaintWorklet:  {kindPaintWorklet, fetchctx.ModeCORS},
	fetchctx.DestinationFont:          {kindFont, fetchctx.ModeCORS},
	fetchctx.DestinationJSON:          {kindJSON, fetchctx.ModeCORS},
}

// expressible decides whether a page can make c's request, and how. It
// returns the reason when it cannot. eng decides whether a departure of the
// page's request from the fixture's (a credentials mode an element cannot
// choose) matters.
func expressible(it *item, eng *enforce.Engine) (plan, string) {
	c := it.c
	req := c.Request
	p := plan{mode: req.Mode, credentials: req.Credentials}
	for i, h := range c.Hops {
		if h.IncludesCredentials != enforce.DeriveCredentials {
			return p, fmt.Sprintf("responses[%d].requestIncludesCredentials overrides what the browser derives; a page cannot", i)
		}
	}
	hasMethodOrHeaders := (req.Method != "" && req.Method != "GET") || len(req.Header) > 0

	// The element or call for the destination and mode.
	switch d := req.Destination; {
	case element[d] != 0:
		p.kind = element[d]
		switch req.Mode {
		case fetchctx.ModeNoCORS:
			// An element without crossorigin always asks with
			// credentials include.
			p.credentials = fetchctx.CredentialsInclude
		case fetchctx.ModeCORS:
			p.crossOrigin = "anonymous"
			p.credentials = fetchctx.CredentialsSameOrigin
			if req.Credentials == fetchctx.CredentialsInclude {
				p.crossOrigin = "use-credentials"
				p.credentials = fetchctx.CredentialsInclude
			}
		default:
			return p, fmt.Sprintf("destination %q with mode %s: no element makes that request", d, req.Mode)
		}
	case d == fetchctx.DestinationEmpty:
		if req.Mode == fetchctx.ModeNavigate {
			return p, `mode navigate with destination "": no page API makes that request`
		}
		// fetch() sets any mode but navigate, any credentials mode, the
		// method and the headers.
		p.kind = kindFetch
		p.method = req.Method
		for name, values := range req.Header {
			for _, v := range values {
				p.headers = append(p.headers, [2]string{name, v})
			}
		}
	case d == fetchctx.DestinationIFrame || d == fetchctx.DestinationFrame:
		if req.Mode != fetchctx.ModeNavigate {
			return p, fmt.Sprintf("destination %q with mode %s: a frame's request is a navigation", d, req.Mode)
		}
		p.kind = kindIframe
		if d == fetchctx.DestinationFrame {
			p.kind = kindFrame
		}
		p.credentials = fetchctx.CredentialsInclude
	case scriptLike[d].kind != 0:
		s := scriptLike[d]
		if req.Mode != s.mode {
			return p, fmt.Sprintf("destination %q with mode %s: %s always asks in mode %s", d, req.Mode, kindNames[s.kind], s.mode)
		}
		p.kind = s.kind
		p.credentials = fetchctx.CredentialsSameOrigin
	case d == fetchctx.DestinationDocument:
		return p, "a top-level navigation: the page under test would be replaced, and no embedder policy applies to it"
	case d == fetchctx.DestinationEmbed || d == fetchctx.DestinationObject:
		return p, fmt.Sprintf("destination %q in mode %s: Chromium loads <embed> and <object> as nested navigations (mode navigate), never as no-cors fetches", d, req.Mode)
	case d == fetchctx.DestinationTrack:
		return p, "destination \"track\": a <track> without crossorigin on another origin is refused by the media element before any CORP or ORB check, and one on the page's origin loads only when the media element shows it"
	case d == fetchctx.DestinationManifest:
		return p, "destination \"manifest\": Chromium fetches a <link rel=manifest> only when the browser asks for the manifest (installing the app), never on page load"
	case d == fetchctx.DestinationXSLT:
		return p, "destination \"xslt\": an XSLT processing instruction is fetched by the XML document that holds it, which would replace the page under test"
	default:
		return p, fmt.Sprintf("destination %q: no page API in this harness makes that request", d)
	}
	if !req.Integrity.IsEmpty() {
		switch p.kind {
		case kindScript, kindStyle, kindFetch:
			p.integrity = req.Integrity.String()
		default:
			return p, fmt.Sprintf("integrity metadata on %s: only <script>, <link rel=stylesheet> and fetch() carry it", kindNames[p.kind])
		}
	}
	// Local Network Access: every host is served from loopback, which
	// Chromium sees as the page's space and every server's.
	if c.Gates&enforce.CheckLocalNetwork != 0 {
		if why := addressSpacesExpressible(&req, c.Hops); why != "" {
			return p, why
		}
	}
	if hasMethodOrHeaders && p.kind != kindFetch {
		return p, "a method or request headers on a destination only fetch() can set them for"
	}
	for _, h := range p.headers {
		if forbiddenRequestHeader(h[0]) {
			return p, fmt.Sprintf("request header %q is forbidden: fetch() drops it", h[0])
		}
	}
	switch strings.ToUpper(p.method) {
	case "CONNECT", "TRACE", "TRACK":
		return p, "method " + p.method + " is forbidden: fetch() throws"
	}

	// Hosts: every one reaches loopback through the resolver rule.
	if req.Origin.IsOpaque() {
		p.pageOrigin = req.URLs[0].Origin()
		p.sandboxed = true
	} else {
		p.pageOrigin = req.Origin
	}
	if why := hostExpressible(p.pageOrigin); why != "" {
		return p, "initiator " + why
	}
	if s := p.pageOrigin.Scheme(); s != "http" && s != "https" {
		return p, "the initiator's origin is not http(s)"
	}
	for i, u := range req.URLs {
		if !u.IsHTTP() {
			return p, fmt.Sprintf("responses[%d].url is not http(s)", i)
		}
		if why := hostExpressible(u.Origin()); why != "" {
			return p, fmt.Sprintf("responses[%d].url: %s", i, why)
		}
	}
	if why := hostExpressible(requestURLOrigin(it)); why != "" {
		return p, "request.url: " + why
	}
	// An embedder policy takes effect only in a secure context.
	if (req.Policy.Value != fetchctx.UnsafeNone || req.Policy.ReportOnlyValue != fetchctx.UnsafeNone) &&
		!p.pageOrigin.IsPotentiallyTrustworthy() {
		return p, "the client has an embedder policy but " + p.pageOrigin.String() + " is not a secure context, where COEP is ignored"
	}
	// Mixed Content upgrades an image, audio or video request from a
	// secure context to https (the spec and Chromium agree): a fixture
	// that lists the http: response has a hop no browser fetches.
	for i, u := range req.URLs {
		if u.Scheme() == "http" && eng.IsUpgradeable(&req, i) {
			return p, fmt.Sprintf("responses[%d].url is http:, but Mixed Content upgrades this %s request from a secure context to https:, so no browser fetches the response listed", i, req.Destination)
		}
	}
	if p.kind == kindServiceWorker && !p.pageOrigin.IsPotentiallyTrustworthy() {
		return p, "service workers register only from secure contexts"
	}

	// The page's own request, and whether the engine decides it as it
	// decides the fixture's.
	// The harness serves the page from loopback: that is the address
	// space Chromium gives its client, whatever the origin's host says.
	req.AddressSpace = fetchctx.AddressSpaceLoopback
	p.request = req
	p.request.Mode, p.request.Credentials = p.mode, p.credentials
	if p.request.Mode != req.Mode || p.request.Credentials != req.Credentials {
		v1, r1 := eng.DecideWithPreflight(&req, c.Preflight, c.Hops, nil)
		v2, r2 := eng.DecideWithPreflight(&p.request, c.Preflight, c.Hops, nil)
		if v1.Result != v2.Result || v1.Reason != v2.Reason || !sameReports(conformance.ToFixture(r1), conformance.ToFixture(r2)) {
			return p, fmt.Sprintf("%s sends credentials %s, not %s, and the engine decides the two differently", kindNames[p.kind], p.credentials, req.Credentials)
		}
		p.note = fmt.Sprintf("sent with credentials %s (the fixture says %s; the engine decides both the same)", p.credentials, req.Credentials)
	}
	return p, ""
}

// addressSpacesExpressible says why the address spaces of req's client
// and hops cannot be served, or "": the harness serves the page and every
// hop from 127.0.0.1, so Chromium sees a loopback client, which no Local
// Network Access check blocks. A case whose client is in another space,
// or that gives a hop's address space (a resolver's answer), would need
// Chromium's --ip-address-space-overrides for each port, which one
// browser shared by every case cannot give.
func addressSpacesExpressible(req *fetchctx.Request, hops []enforce.Response) string {
	if s := req.ClientAddressSpace(); s != fetchctx.AddressSpaceLoopback {
		return fmt.Sprintf("the client is in the %s address space: the harness serves every page from loopback", s)
	}
	for i := range hops {
		if s := hops[i].AddressSpace; s != fetchctx.AddressSpaceUnknown {
			return fmt.Sprintf("responses[%d].addressSpace is %s: the harness serves every host from loopback", i, s)
		}
	}
	return ""
}

// requestURLOrigin is the origin of the URL the page asks for: the fixture's
// request.url, which mixed content may upgrade before responses[0].
func requestURLOrigin(it *item) origin.Origin {
	o, err := origin.FromURL(it.requestURL)
	if err != nil {
		return it.c.Request.URLs[0].Origin()
	}
	return o
}

// forbiddenRequestHeader reports whether fetch() drops a header name
// (Fetch: forbidden request-header).
func forbiddenRequestHeader(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "proxy-") || strings.HasPrefix(n, "sec-") {
		return true
	}
	switch n {
	case "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
		"connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
		"origin", "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via":
		return true
	}
	return false
}

// hostExpressible says why a URL on o cannot be served on loopback, or "".
// Chromium's resolver rule sends every host to 127.0.0.1, IP addresses
// included; but Go's TLS server refuses a server name with a trailing dot,
// which Chromium sends for such a host.
func hostExpressible(o origin.Origin) string {
	if o.Scheme() == "https" && strings.HasSuffix(o.Host(), ".") {
		return "https host " + o.Host() + " ends with a dot: Go's TLS server refuses that server name (SNI), so the loopback server cannot answer it"
	}
	return ""
}

// caseURL rewrites a fixture URL so that this harness's server answers it:
// the path gets pathPrefix + id + "/" + part in front, and everything else
// (scheme, credentials, host, port, query, fragment) stays.
func caseURL(raw string, id int, part string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		return raw
	}
	i += 3
	j := strings.IndexAny(raw[i:], "/?#")
	prefix := pathPrefix + strconv.Itoa(id) + "/" + part
	if j < 0 {
		return raw + prefix + "/"
	}
	j += i
	rest := raw[j:]
	if rest[0] != '/' {
		rest = "/" + rest
	}
	return raw[:j] + prefix + rest
}

// originalURL undoes caseURL on a URL Chromium reports.
func originalURL(u string, id int) string {
	p := pathPrefix + strconv.Itoa(id) + "/"
	i := strings.Index(u, p)
	if i < 0 {
		return u
	}
	j := i + len(p)
	for j < len(u) && u[j] != '/' && u[j] != '?' && u[j] != '#' {
		j++
	}
	rest := u[j:]
	if rest == "" || rest[0] != '/' {
		rest = "/" + rest
	}
	return u[:i] + rest
}

// originalURLs undoes caseURL on every URL of case id in a message.
func originalURLs(s string, id int) string {
	p := pathPrefix + strconv.Itoa(id) + "/"
	for {
		i := strings.Index(s, p)
		if i < 0 {
			return s
		}
		j := i + len(p)
		for j < len(s) && s[j] != '/' && s[j] != '?' && s[j] != '#' && s[j] != '\'' && s[j] != '"' && s[j] != ' ' {
			j++
		}
		if j < len(s) && s[j] == '/' {
			s = s[:i] + s[j:]
		} else {
			s = s[:i] + "/" + s[j:]
		}
	}
}

// resolveLocation resolves a Location value against the URL of its hop.
func resolveLocation(base, loc string) string {
	if strings.Contains(loc, "://") {
		return loc
	}
	b, err1 := url.Parse(base)
	l, err2 := url.Parse(loc)
	if err1 != nil || err2 != nil {
		return loc
	}
	return b.ResolveReference(l).String()
}

// serve builds what the server answers for case id under plan p: the page,
// and each hop with its Location pointing at the next hop's rewritten URL.
func serve(it *item, p *plan, id int) *served {
	c := it.c
	s := &served{}
	for i, h := range it.raw {
		out := hop{status: h.status, body: h.body}
		for _, kv := range h.headers {
			if strings.EqualFold(kv[0], "Location") {
				// The next hop's URL, in the Location's own scheme
				// (Chromium upgrades mixed content itself).
				kv[1] = caseURL(resolveLocation(h.url, kv[1]), id, strconv.Itoa(i+1))
			}
			out.headers = append(out.headers, kv)
		}
		s.hops = append(s.hops, out)
	}
	if pf := it.preflight; pf != nil {
		s.preflight = &hop{status: pf.status}
		for _, kv := range pf.headers {
			if strings.EqualFold(kv[0], "Location") {
				kv[1] = caseURL(resolveLocation(it.raw[0].url, kv[1]), id, "preflight-redirect")
			}
			s.preflight.headers = append(s.preflight.headers, kv)
		}
	}
	s.pageHdr = [][2]string{{"Content-Type", "text/html; charset=utf-8"}, {"Cache-Control", "no-store"}}
	pol := c.Request.Policy
	if pol.Value != fetchctx.UnsafeNone {
		s.pageHdr = append(s.pageHdr, [2]string{"Cross-Origin-Embedder-Policy", pol.Value.String()})
	}
	if pol.ReportOnlyValue != fetchctx.UnsafeNone {
		s.pageHdr = append(s.pageHdr, [2]string{"Cross-Origin-Embedder-Policy-Report-Only", pol.ReportOnlyValue.String()})
	}
	if p.sandboxed {
		s.pageHdr = append(s.pageHdr, [2]string{"Content-Security-Policy", "sandbox allow-scripts"})
	}
	s.page = pageHTML(p, caseURL(it.requestURL, id, "0"), flushURL(id), flushReports(pol))
	return s
}

// flushPart is the path part (in place of a hop number) of the flush
// request every page makes once its own request is over; the servers
// answer it, and count it apart from the case's requests.
const flushPart = "flush"

// flushHost is the host of the flush URL: no fixture uses it, so the flush
// request is cross-origin to every page.
const flushHost = "xorigin-report-flush.test"

// flushURL is case id's flush URL, on port 443, where the servers always
// listen.
func flushURL(id int) string {
	return "https://" + flushHost + pathPrefix + strconv.Itoa(id) + "/" + flushPart
}

// flushReports is how many "coep" reports the flush request queues for a
// page with policy pol: it is a no-cors fetch with credentials "include" of
// a cross-origin response without CORP, which a require-corp value blocks
// (or, report-only, would block) and reports. A credentialless value sends
// no-cors requests to other origins without credentials, so it requires no
// CORP of them and queues no report.
func flushReports(pol fetchctx.EmbedderPolicy) int {
	n := 0
	if pol.Value == fetchctx.RequireCORP {
		n++
	}
	if pol.ReportOnlyValue == fetchctx.RequireCORP {
		n++
	}
	return n
}

// bindingName is the DevTools binding the page calls with its observations.
const bindingName = "__xoriginBrowserDiffDone"

// snapshotExpr returns the page's observations so far, for a page that
// cannot send them (a fixture's script keeps it busy, say).
const snapshotExpr = "globalThis.__xoriginBrowserDiffSnapshot ? globalThis.__xoriginBrowserDiffSnapshot() : ''"

// flushExpr makes the page flush and send its observations now, for a page
// whose own event has not come (a media element that fires none).
const flushExpr = "globalThis.__xoriginBrowserDiffFlush ? (globalThis.__xoriginBrowserDiffFlush(), true) : false"

// pageHTML writes the initiator document: a ReportingObserver for "coep"
// reports, then the element or call that makes the request. Its load or
// error event starts the flush: a no-cors fetch of flush (see flushURL),
// which queues wantFlush reports of its own. The page calls the binding
// once that fetch has settled and its reports have reached the observer.
//
// Why that is enough: Chromium queues a COEP report in the browser
// process, reached over one message pipe per document's URL loader
// factory from the network service (subresources) or directly (the
// navigation of a nested frame), and sends it to the document's
// observers over one more pipe; pipes keep their order. The network
// service queues a request's reports before it completes the request, the
// page makes the flush request only after its own request completed, and
// through the same factory; so a flush report that reached the observer
// comes after every report of the case's request. Chromium promises no
// such order, though (a stress run once saw an <img>'s report after the
// flush's), so the harness still waits for the count of reports it
// expects (observe); and where the page has no require-corp value the
// flush queues no report, and that count is all the harness has.
//
// Everything is in a closure, holding its own fetch and binding, so that a
// fixture's script running in the page cannot clobber it.
func pageHTML(p *plan, u, flush string, wantFlush int) []byte {
	js, _ := json.Marshal(u)
	var load string
	elem := func(tag, attr, parent, onload, extra string) string {
		co := ""
		if p.crossOrigin != "" {
			co = fmt.Sprintf("e.crossOrigin = %q; ", p.crossOrigin)
		}
		if p.integrity != "" {
			ij, _ := json.Marshal(p.integrity)
			co += fmt.Sprintf("e.integrity = %s; ", ij)
		}
		return fmt.Sprintf(`const e = document.createElement(%q); %s%se.%s = () => finish("load"); e.onerror = () => finish("error"); e.%s = U; document.%s.append(e);`,
			tag, extra, co, onload, attr, parent)
	}
	promise := func(call string) string {
		return call + `.then(() => finish("load"), err => finish("error", err));`
	}
	// A worker has no load event. A script that fails to load fires a
	// plain error event; one that loaded and then threw fires an
	// ErrorEvent with the message. No event within 10 seconds is a load:
	// Chromium gives the page no signal that a worker's script loaded, and
	// DevTools shows the page only the start of its request, so this wait
	// decides; it is generous for a loaded machine, and only a worker that
	// loads waits it all.
	const workerLoad = `w.onerror = ev => (ev instanceof ErrorEvent && ev.message) ? finish("load", "the script ran and threw: " + ev.message) : finish("error", "error event: the script did not load"); setTimeout(() => finish("load", "no error event within 10s"), 10000);`
	switch p.kind {
	case kindImg:
		load = elem("img", "src", "body", "onload", "")
	case kindScript:
		load = elem("script", "src", "head", "onload", "")
	case kindStyle:
		load = elem("link", "href", "head", "onload", `e.rel = "stylesheet"; `)
	case kindAudio:
		load = elem("audio", "src", "body", "onloadedmetadata", `e.preload = "auto"; e.muted = true; `)
	case kindVideo:
		load = elem("video", "src", "body", "onloadedmetadata", `e.preload = "auto"; e.muted = true; `)
	case kindIframe:
		load = elem("iframe", "src", "body", "onload", "")
	case kindFrame:
		load = `addEventListener("load", () => finish("load"));`
	case kindFetch:
		init := map[string]any{"mode": p.mode.String(), "credentials": p.credentials.String()}
		if p.method != "" {
			init["method"] = p.method
		}
		if len(p.headers) > 0 {
			init["headers"] = p.headers
		}
		if p.integrity != "" {
			init["integrity"] = p.integrity
		}
		ij, _ := json.Marshal(init)
		load = fmt.Sprintf(`fetch(U, %s).then(r => { R.exposed = r.type === "opaque" ? [] : [...r.headers.keys()]; finish("load", r.type + " " + r.status); }, err => finish("error", err));`, ij)
	case kindFont:
		load = promise(`new FontFace("xorigin", "url(" + JSON.stringify(U) + ")").load()`)
	case kindJSON:
		load = promise(`import(U, {with: {type: "json"}})`)
	case kindWorker:
		load = `const w = new Worker(U); ` + workerLoad
	case kindSharedWorker:
		// Chromium sometimes drops the error event of a shared worker
		// whose script failed to load; the harness watches for the
		// worker's DevTools target instead (observe).
		load = `const w = new SharedWorker(U); w.onerror = () => finish("error", "error event: the script did not load");`
	case kindServiceWorker:
		load = promise(`navigator.serviceWorker.register(U)`)
	case kindAudioWorklet:
		load = promise(`new OfflineAudioContext(1, 128, 44100).audioWorklet.addModule(U)`)
	case kindPaintWorklet:
		load = promise(`CSS.paintWorklet.addModule(U)`)
	}
	fj, _ := json.Marshal(flush)
	script := fmt.Sprintf(`(() => {
"use strict";
const U = %s, FLUSH = %s, WANT_FLUSH = %d;
const bind = globalThis.%s, fetchFlush = globalThis.fetch.bind(globalThis), str = JSON.stringify;
const R = {dom: "", detail: "", reports: [], exposed: null, flushed: false};
// A fixture's script may call alert() (WPT's do): a modal dialog would
// stop the page before it sends its result.
globalThis.alert = globalThis.confirm = globalThis.prompt = () => {};
let flushReports = 0, flushes = 0, flushSettled = false, sent = false;
const record = rs => {
  for (const r of rs) {
    const j = r.toJSON();
    if (j.body && String(j.body.blockedURL).startsWith(FLUSH)) flushReports++; else R.reports.push(j);
  }
};
// A browser without ReportingObserver has no reports to collect (the
// harness compares only results there).
const O = typeof ReportingObserver === "function" ? new ReportingObserver(rs => { record(rs); check(); }, {types: ["coep"], buffered: true}) : {observe() {}, takeRecords() { return []; }};
O.observe();
const take = () => { record(O.takeRecords()); return str(R); };
const check = () => {
  if (sent || !flushSettled) return;
  record(O.takeRecords());
  if (flushReports < WANT_FLUSH) return; // the observer's callback calls check again, or another flush does
  sent = true;
  R.flushed = true;
  bind(str(R));
};
// A flush whose request failed on the way queues no report: while none
// has come a second after a flush settled, another flush (a new URL)
// starts. Any flush report ends the wait; the timer only starts a flush.
const flush = () => {
  if (flushes) return;
  const one = () => {
    flushes++;
    fetchFlush(FLUSH + "?" + flushes, {mode: "no-cors", credentials: "include", cache: "no-store"}).then(() => {}, () => {}).then(() => {
      flushSettled = true;
      check();
      if (!sent) setTimeout(() => { if (!sent) one(); }, 1000);
    });
  };
  one();
};
const finish = (dom, detail) => { if (R.dom) return; R.dom = dom; R.detail = String(detail || ""); flush(); };
globalThis.__xoriginBrowserDiffSnapshot = take;
globalThis.__xoriginBrowserDiffFlush = flush;
try {
%s
} catch (err) { finish("error", err); }
})();`, js, fj, wantFlush, bindingName, load)
	head := `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>xorigin browser-diff</title>`
	if p.kind == kindFrame {
		return []byte(head + "<script>" + script + "</script></head><frameset rows=\"*\"><frame src=\"" + htmlAttr(u) + "\"></frameset></html>")
	}
	return []byte(head + "</head><body><script>" + script + "</script></body></html>")
}

func htmlAttr(s string) string {
	r := strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
