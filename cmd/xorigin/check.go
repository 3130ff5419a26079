package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

const checkUsage = `usage: xorigin check [flags] URL

Check fetches URL as a page on --from would, through the engine's
http.RoundTripper, follows redirects, and explains whether the page may use
the response. It prints each hop with its status and the headers the
decision reads (Cross-Origin-Resource-Policy, Cross-Origin-Embedder-Policy,
Access-Control-Allow-*, Content-Type and X-Content-Type-Options), then the
verdict, the reason (the token Chrome's DevTools report for the same block),
why, the spec step, a fix, and the COEP reports queued. Every gate of the
engine applies: CORP and COEP, CORS, opaque response blocking, MIME type,
nosniff and mixed content.

A CORS request that needs a preflight (a method other than GET, HEAD or
POST, a header that is not CORS-safelisted) gets one before it is sent: it
is printed as a hop of its own, "preflight", with the headers it sent
(marked >), the answer's headers, and its own verdict.

Without --dest, the request is fetch()'s: destination "", mode cors,
credentials same-origin. With --dest, it is an element's: mode navigate for
document, iframe, frame, embed and object, no-cors (an element without a
crossorigin attribute) for the rest, credentials include. --mode and
--credentials override either; the header of the output says which were
used.

It exits 0 when the page may use the response, 1 when it is blocked or
stripped, and 2 on usage or network errors.

Flags may come before or after URL.

The flags are:

	--from ORIGIN
		the page's origin, as "https://app.example.com" (required). A page's
		URL is taken as its origin, as a browser does, and a note says so.
	--dest DESTINATION
		the request's destination: script, image, style, font, iframe,
		document, ... (default "", fetch()'s).
	--mode MODE
		no-cors, cors, same-origin or navigate. The default is cors without
		--dest (fetch()); with --dest, navigate for document, iframe, frame,
		embed and object, and no-cors for the rest.
	--credentials MODE
		omit, same-origin or include. The default is same-origin for cors
		and same-origin modes, and include (as elements and navigations
		send) for the rest.
	--method METHOD, -X METHOD
		the request method (default GET, or POST with --data).
	-H 'Name: value', --header 'Name: value'
		a request header the page sets, as fetch()'s headers. Repeatable.
		Forbidden request-headers (Cookie, Origin, Sec-*, ...) are refused:
		the browser sets those.
	--data DATA, -d DATA
		the request body; @FILE reads it from FILE. Without a Content-Type
		header it is sent as text/plain;charset=UTF-8, as fetch() sends a
		string.
	--coep VALUE
		the page's Cross-Origin-Embedder-Policy header value, as
		require-corp, credentialless or 'require-corp; report-to="main"'.
	--coep-report-only VALUE
		the page's Cross-Origin-Embedder-Policy-Report-Only header value.
	--resolve HOST:PORT:ADDR
		connect to ADDR for HOST on PORT, as curl does: the URL, the Host
		header and the TLS server name keep HOST. Unlike curl, ADDR may
		carry a port (127.0.0.1:8443). Repeatable.
	--cacert FILE
		trust only the PEM certificates in FILE for https, as curl does
		(for a staging or local server with its own CA).
	--profile spec|chromium
		whose opaque response blocking to follow: the spec text (default)
		or Chromium as it ships.
	--integrity METADATA
		the request's integrity metadata (an integrity attribute, as
		sha384-...): the whole body must match it.
	--local-network off|block|allow
		Local Network Access: off (default) does not check; block refuses,
		as a browser whose user denies the permission, a request whose
		connection reaches a more private address space (loopback, local)
		than the page's; allow grants the permission. From a page that is
		not a secure context it is refused either way.
	--from-space loopback|local|public
		the page's own address space (where its document came from);
		default: its host's (an IP address's, loopback for localhost,
		else public).
	--timeout DURATION
		give up after DURATION (default 30s); the error names the hop that
		timed out.
	--json
		print one JSON object instead of the text. It carries
		schemaVersion; reason is an object: the token, and what Chrome's
		DevTools put in the three fields of Network.loadingFailed for the
		same block, blockedReason, corsError and errorText (those it
		sets), or "xorigin": true for xorigin's own reasons, which no
		browser reports. hop, the index of the hop that decided, is
		absent when allowed.

For example, a script on another site than a CDN serving
Cross-Origin-Resource-Policy: same-site:

	xorigin check https://cdn.example.com/user/profile.js --from https://app.anothersite.com --dest script

and a fetch() with a header that needs a CORS preflight:

	xorigin check https://api.othersite.com/cart --from https://app.example.com -X PUT -H 'X-Token: 1'
`

// checkFlags are check's parsed arguments.
type checkFlags struct {
	url     string
	req     fetchctx.Request // without URLs; Method and Header as the page sets them
	body    []byte           // --data
	hasBody bool
	net     netConfig
	jsonOut bool
	profile enforce.Profile
	initial fetchctx.URL
	// fromNote says that --from was a URL, and which origin was taken.
	fromNote string
	// checks and lna: the gates, and the Local Network Access policy
	// (--local-network); zero checks means the engine's default.
	checks enforce.Checks
	lna    enforce.LocalNetworkPolicy
}

func parseCheckFlags(args []string, stdout, stderr io.Writer) (*checkFlags, int) {
	fl := newFlagSet("check")
	var (
		from     = fl.String("from", "", "")
		dest     = fl.String("dest", "", "")
		mode     = fl.String("mode", "", "")
		creds    = fl.String("credentials", "", "")
		coep     = fl.String("coep", "", "")
		coepRO   = fl.String("coep-report-only", "", "")
		cacert   = fl.String("cacert", "", "")
		timeout  = fl.Duration("timeout", 30*time.Second, "")
		jsonOut  = fl.Bool("json", false, "")
		profile  = fl.String("profile", "spec", "")
		method   string
		data     string
		hasData  bool
		integ    = fl.String("integrity", "", "")
		lna      = fl.String("local-network", "off", "")
		space    = fl.String("from-space", "", "")
		resolves stringList
		headers  stringList
	)
	fl.Var(&resolves, "resolve", "")
	fl.Var(&headers, "H", "")
	fl.Var(&headers, "header", "")
	fl.StringVar(&method, "method", "", "")
	fl.StringVar(&method, "X", "", "")
	fl.Func("data", "", func(v string) error { data, hasData = v, true; return nil })
	fl.Func("d", "", func(v string) error { data, hasData = v, true; return nil })
	pos, code, ok := parseArgs(fl, checkUsage, args, stdout, stderr)
	if !ok {
		return nil, code
	}
	var err error
	bad := func(format string, a ...any) (*checkFlags, int) {
		fmt.Fprintf(stderr, "xorigin check: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'xorigin help check' for usage.")
		return nil, 2
	}
	switch len(pos) {
	case 0:
		return bad("no URL")
	case 1:
	default:
		return bad("one URL only, got %d: %s", len(pos), strings.Join(pos, " "))
	}
	c := &checkFlags{url: pos[0], jsonOut: *jsonOut}
	if c.profile, err = enforce.ParseProfile(*profile); err != nil {
		return bad("--profile: %v", err)
	}
	c.initial, err = fetchctx.ParseURL(c.url)
	if err != nil {
		return bad("%s", urlError(c.url, err))
	}
	if !c.initial.IsHTTP() {
		return bad("%s: only http and https URLs can be fetched", c.url)
	}
	if *from == "" {
		return bad("--from ORIGIN is required")
	}
	if c.req.Origin, c.fromNote, err = parseFrom(*from); err != nil {
		return bad("%v", err)
	}
	if c.fromNote != "" {
		fmt.Fprintf(stderr, "xorigin check: %s\n", c.fromNote)
	}
	if c.req.Destination, err = fetchctx.ParseDestination(*dest); err != nil {
		return bad("--dest %q: want one of %s", *dest, destinationList())
	}
	// Without --dest, the request is fetch()'s: mode cors and credentials
	// same-origin, its defaults. With one, it is an element's: navigate
	// for the navigation destinations, else no-cors (no crossorigin
	// attribute), credentials include.
	switch {
	case *mode != "":
		if c.req.Mode, err = fetchctx.ParseMode(*mode); err != nil {
			return bad("--mode %q: want one of %s", *mode, modeList())
		}
	case c.req.Destination == fetchctx.DestinationEmpty:
		c.req.Mode = fetchctx.ModeCORS
	case c.req.Destination.IsNavigation():
		c.req.Mode = fetchctx.ModeNavigate
	default:
		c.req.Mode = fetchctx.ModeNoCORS
	}
	switch {
	case *creds != "":
		if c.req.Credentials, err = fetchctx.ParseCredentials(*creds); err != nil {
			return bad("--credentials %q: want one of omit, same-origin, include", *creds)
		}
	case c.req.Mode == fetchctx.ModeCORS || c.req.Mode == fetchctx.ModeSameOrigin:
		c.req.Credentials = fetchctx.CredentialsSameOrigin
	default:
		c.req.Credentials = fetchctx.CredentialsInclude
	}
	if c.req.Policy, err = parsePagePolicy(*coep, *coepRO); err != nil {
		return bad("%v", err)
	}

	// The request the page makes: --method, -H and --data, as curl spells
	// them and as fetch() takes them.
	if hasData {
		if strings.HasPrefix(data, "@") {
			b, err := os.ReadFile(data[1:])
			if err != nil {
				return bad("--data: %v", err)
			}
			c.body = b
		} else {
			c.body = []byte(data)
		}
		c.hasBody = true
	}
	switch {
	case method != "":
		if !isToken(method) {
			return bad("--method %q: not an HTTP method", method)
		}
		// fetch() normalizes these six to uppercase, and throws on the
		// forbidden ones.
		switch m := strings.ToUpper(method); m {
		case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT":
			method = m
		case "CONNECT", "TRACE", "TRACK":
			return bad("--method %s: a forbidden method, which fetch() refuses", m)
		}
	case c.hasBody:
		method = http.MethodPost
	default:
		method = http.MethodGet
	}
	if c.hasBody && (method == http.MethodGet || method == http.MethodHead) {
		return bad("--data with --method %s: fetch() refuses a body on GET and HEAD", method)
	}
	c.req.Method = method
	c.req.Header = http.Header{}
	for _, hv := range headers {
		name, value, ok := strings.Cut(hv, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || !isToken(name) {
			return bad("-H %q: want 'Name: value'", hv)
		}
		if fetchctx.IsForbiddenRequestHeader(name) {
			return bad("-H %s: a forbidden request-header, which the browser sets and a page cannot", name)
		}
		c.req.Header.Add(name, value)
	}
	if c.hasBody && c.req.Header.Get("Content-Type") == "" {
		// What fetch() sends with a string body.
		c.req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	}

	c.req.Integrity = fetchctx.ParseIntegrity(*integ)
	if *lna != "off" {
		if c.lna, err = enforce.ParseLocalNetworkPolicy(*lna); err != nil || c.lna == enforce.LocalNetworkAsk {
			return bad("--local-network: %q is not off, block or allow", *lna)
		}
		c.checks = enforce.AllChecks
	}
	if *space != "" {
		if c.req.AddressSpace, err = fetchctx.ParseAddressSpace(*space); err != nil {
			return bad("--from-space: %v", err)
		}
	}
	c.net = netConfig{resolve: resolveMap{}, caCert: *cacert, timeout: *timeout}
	for _, r := range resolves {
		k, a, err := parseResolve(r)
		if err != nil {
			return bad("%v", err)
		}
		c.net.resolve[k] = a
	}
	return c, 0
}

// parseFrom parses --from: a serialized origin, or, as a browser takes a
// page's origin from its URL, any http(s) URL, whose origin is taken (and
// note says so).
func parseFrom(s string) (o origin.Origin, note string, err error) {
	o, err = origin.Parse(strings.TrimSuffix(s, "/"))
	if err == nil {
		return o, "", nil
	}
	u, uerr := fetchctx.ParseURL(s)
	if uerr != nil || !u.IsHTTP() {
		return origin.Origin{}, "", fmt.Errorf("--from %q: want an origin, as https://app.example.com, or a page's URL", s)
	}
	o = u.Origin()
	return o, fmt.Sprintf("--from %s is a URL: taking its origin, %s", s, o), nil
}

// urlError words a URL that does not parse, without the origin package's
// "origin:" label.
func urlError(raw string, err error) string {
	var oe *origin.ParseError
	if errors.As(err, &oe) {
		return fmt.Sprintf("URL %q: %s", raw, oe.Msg)
	}
	return fmt.Sprintf("URL %q: %v", raw, err)
}

// destinationList and modeList name the valid tokens, for a usage error.
func destinationList() string {
	var names []string
	for d := fetchctx.Destination(0); ; d++ {
		s := d.String()
		if strings.HasPrefix(s, "Destination(") {
			break
		}
		if s == "" {
			s = `"" (fetch())`
		}
		names = append(names, s)
	}
	return strings.Join(names, ", ")
}

func modeList() string {
	var names []string
	for m := fetchctx.Mode(0); ; m++ {
		s := m.String()
		if strings.HasPrefix(s, "Mode(") {
			break
		}
		names = append(names, s)
	}
	return strings.Join(names, ", ")
}

// isToken reports whether s is an HTTP token (a method or a header name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

// parsePagePolicy parses the page's policy headers as given on the command
// line. Unlike a response's, a bad value is a usage error, not a fallback.
func parsePagePolicy(coep, reportOnly string) (fetchctx.EmbedderPolicy, error) {
	var c, r []string
	if coep != "" {
		c = []string{coep}
	}
	if reportOnly != "" {
		r = []string{reportOnly}
	}
	p, err := fetchctx.ParseEmbedderPolicy(c, r)
	if err != nil {
		return p, fmt.Errorf("--coep or --coep-report-only: %w", err)
	}
	return p, nil
}

// checkResult is check's output, and its JSON form.
type checkResult struct {
	SchemaVersion  int               `json:"schemaVersion"`
	Method         string            `json:"method"`
	URL            string            `json:"url"`
	From           string            `json:"from"`
	FromNote       string            `json:"fromNote,omitempty"`
	Destination    string            `json:"destination"`
	Mode           string            `json:"mode"`
	Credentials    string            `json:"credentials"`
	RequestHeaders map[string]string `json:"requestHeaders,omitempty"` // -H, and --data's Content-Type
	BodyBytes      int               `json:"bodyBytes,omitempty"`
	COEP           string            `json:"coep"`
	COEPReportOnly string            `json:"coepReportOnly"`
	Hops           []hopJSON         `json:"hops"`
	Verdict        string            `json:"verdict"`
	Reason         *reasonJSON       `json:"reason,omitempty"`
	Why            string            `json:"why,omitempty"`
	Step           string            `json:"step,omitempty"`
	StepURL        string            `json:"stepURL,omitempty"`
	// Hop is the index of the hop that decided a block (preflights not
	// counted); absent when allowed.
	Hop            *int         `json:"hop,omitempty"`
	Fix            string       `json:"fix,omitempty"`
	AlreadyBlocked bool         `json:"alreadyBlocked,omitempty"`
	Reports        []reportJSON `json:"reports"`
	Error          string       `json:"error,omitempty"`
}

// hopJSON is one response check read: a hop of the redirect chain, or the
// CORS preflight sent before the hop that follows it.
type hopJSON struct {
	URL       string `json:"url"`
	Preflight bool   `json:"preflight,omitempty"`
	NotSent   bool   `json:"notSent,omitempty"` // blocked before it was sent
	// Sent holds a preflight's CORS request headers: Origin,
	// Access-Control-Request-Method and -Headers.
	Sent             map[string]string `json:"sent,omitempty"`
	Status           int               `json:"status,omitempty"`
	CORP             string            `json:"corp,omitempty"`
	COEP             string            `json:"coep,omitempty"`
	COEPReportOnly   string            `json:"coepReportOnly,omitempty"`
	ContentType      string            `json:"contentType,omitempty"`
	XCTO             string            `json:"xContentTypeOptions,omitempty"`
	AllowOrigin      string            `json:"accessControlAllowOrigin,omitempty"`
	AllowCredentials string            `json:"accessControlAllowCredentials,omitempty"`
	AllowMethods     string            `json:"accessControlAllowMethods,omitempty"`
	AllowHeaders     string            `json:"accessControlAllowHeaders,omitempty"`
	Location         string            `json:"location,omitempty"`
	Note             string            `json:"note,omitempty"`
	// PreflightVerdict is a preflight's own: allowed, or blocked, with
	// PreflightReason.
	PreflightVerdict string      `json:"preflightVerdict,omitempty"`
	PreflightReason  *reasonJSON `json:"preflightReason,omitempty"`
}

type reportJSON struct {
	Type        string `json:"type"`
	BlockedURL  string `json:"blockedURL"`
	Destination string `json:"destination"`
	Disposition string `json:"disposition"`
	Endpoint    string `json:"endpoint,omitempty"`
}

func reportsJSON(rs []enforce.Report) []reportJSON {
	out := make([]reportJSON, 0, len(rs))
	for _, r := range rs {
		out = append(out, reportJSON{r.Type.String(), r.BlockedURL, r.Destination.String(), r.Disposition.String(), r.Endpoint})
	}
	return out
}

func policyText(v fetchctx.EmbedderPolicyValue, endpoint string) string {
	s := v.String()
	if endpoint != "" {
		s += fmt.Sprintf("; report-to=%q", endpoint)
	}
	return s
}

func checkCmd(args []string, stdout, stderr io.Writer) int {
	c, code := parseCheckFlags(args, stdout, stderr)
	if c == nil {
		return code
	}
	res, err := c.fetch(context.Background())
	if err != nil {
		fmt.Fprintf(stderr, "xorigin check: %v\n", err)
		res.Verdict, res.Error, res.Reason, res.Hop = verdictError, err.Error(), nil, nil
		if c.jsonOut {
			writeJSON(stdout, res)
		}
		return 2
	}
	if c.jsonOut {
		writeJSON(stdout, res)
	} else {
		printCheck(stdout, res)
	}
	if breaks(res.Verdict) {
		return 1
	}
	return 0
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// fetch performs the request and explains the outcome. A network error is
// returned with the result so far (the hops that answered).
func (c *checkFlags) fetch(ctx context.Context) (*checkResult, error) {
	p := c.req.Policy
	res := &checkResult{
		SchemaVersion: schemaVersion, Method: c.req.Method, FromNote: c.fromNote, BodyBytes: len(c.body),
		URL: c.url, From: c.req.Origin.String(), Destination: c.req.Destination.String(),
		Mode: c.req.Mode.String(), Credentials: c.req.Credentials.String(),
		COEP:           policyText(p.Value, p.ReportingEndpoint),
		COEPReportOnly: policyText(p.ReportOnlyValue, p.ReportOnlyReportingEndpoint),
		Hops:           []hopJSON{}, Reports: []reportJSON{},
	}
	for k, vs := range c.req.Header {
		if res.RequestHeaders == nil {
			res.RequestHeaders = map[string]string{}
		}
		res.RequestHeaders[k] = strings.Join(vs, ", ")
	}
	base, err := baseTransport(c.net)
	if err != nil {
		return res, err
	}
	defer base.CloseIdleConnections()
	rec := &recorder{base: base}
	engine := enforce.New(enforce.Config{Profile: c.profile, Checks: c.checks, LocalNetwork: c.lna})
	var (
		mu      sync.Mutex
		reports []enforce.Report
	)
	tr := enforce.NewTransport(enforce.TransportConfig{
		Base:          rec,
		Engine:        engine,
		FetchMetadata: true,
		OnReport: func(_ context.Context, r enforce.Report) {
			mu.Lock()
			reports = append(reports, r)
			mu.Unlock()
		},
	})
	var next string // the URL a 21st redirect would have gone to
	client := &http.Client{
		Transport: tr,
		Timeout:   c.net.timeout,
		// Fetch follows up to 20 redirects; http.Client stops at 10.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > 20 {
				next = req.URL.String()
				return errTooManyRedirects
			}
			return nil
		},
	}
	// The Transport takes the method each hop sends from its
	// http.Request, as http.Client makes it (a 303 turns a POST into a GET
	// without a body), and the page's method and headers (-H) from fr.
	fr := c.req
	fr.URLs = []fetchctx.URL{c.initial}
	var body io.Reader
	if c.hasBody {
		body = bytes.NewReader(c.body) // http.NewRequest sets GetBody: redirects can send it again
	}
	httpReq, err := http.NewRequestWithContext(fetchctx.NewContext(ctx, &fr), c.req.Method, c.url, body)
	if err != nil {
		return res, err
	}
	start := time.Now()
	resp, err := client.Do(httpReq)
	if resp != nil {
		// Read the body through, so that the recorder holds what the
		// decision is remade on.
		_, cerr := io.Copy(io.Discard, io.LimitReader(resp.Body, captureLimit))
		resp.Body.Close()
		if cerr != nil {
			return res, c.networkError(cerr, rec.recorded(), time.Since(start))
		}
	}

	recorded := rec.recorded()
	if err != nil && !errors.As(err, new(*enforce.BlockedError)) && !errors.Is(err, errTooManyRedirects) {
		return res, c.networkError(err, recorded, time.Since(start))
	}
	req := c.req
	var hops []enforce.Response
	var preflight *enforce.Response
	// The preflights, by their index in res.Hops, with the index in the
	// URL list of the request they were for.
	type pf struct {
		hop, url int
		answer   enforce.Response
	}
	var preflights []pf
	for _, h := range recorded {
		if !h.Answered {
			continue
		}
		u, perr := fetchctx.ParseURL(h.URL)
		if perr != nil {
			return res, fmt.Errorf("%s: %v", h.URL, perr)
		}
		r, note := enforce.ParseResponse(h.Status, h.Header)
		r.Body, r.BodyComplete = h.Body, h.BodyComplete
		hj := hopJSON{URL: h.URL, Status: h.Status, Preflight: h.Preflight,
			CORP:             strings.Join(h.Header.Values(enforce.HeaderCORP), ", "),
			COEP:             strings.Join(h.Header.Values(fetchctx.HeaderCOEP), ", "),
			COEPReportOnly:   strings.Join(h.Header.Values(fetchctx.HeaderCOEPReportOnly), ", "),
			ContentType:      strings.Join(h.Header.Values("Content-Type"), ", "),
			XCTO:             strings.Join(h.Header.Values("X-Content-Type-Options"), ", "),
			AllowOrigin:      strings.Join(h.Header.Values("Access-Control-Allow-Origin"), ", "),
			AllowCredentials: strings.Join(h.Header.Values("Access-Control-Allow-Credentials"), ", "),
			AllowMethods:     strings.Join(h.Header.Values("Access-Control-Allow-Methods"), ", "),
			AllowHeaders:     strings.Join(h.Header.Values("Access-Control-Allow-Headers"), ", ")}
		if isRedirect(h.Status) && !h.Preflight {
			hj.Location = h.Header.Get("Location")
		}
		if r.CORP == enforce.CORPInvalid {
			hj.Note = "invalid Cross-Origin-Resource-Policy: no policy"
		}
		if note != nil {
			hj.Note = joinNote(hj.Note, note.Error()+" (taken as unsafe-none)")
		}
		if h.Preflight {
			hj.Sent = map[string]string{}
			for k, vs := range h.Sent {
				hj.Sent[k] = strings.Join(vs, ", ")
			}
		}
		res.Hops = append(res.Hops, hj)
		if h.Preflight {
			preflight = &r
			preflights = append(preflights, pf{len(res.Hops) - 1, len(hops), r})
			continue
		}
		req.URLs = append(req.URLs, u)
		hops = append(hops, r)
	}

	var v enforce.Verdict
	var blocked *enforce.BlockedError
	switch {
	case errors.As(err, &blocked):
		v = blocked.Verdict
		if v.Hop >= len(hops) {
			// Blocked before it was sent (mixed content, a CORS request's
			// scheme, its preflight): the URL list ends with the request
			// that never went out.
			u, perr := fetchctx.ParseURL(blocked.URL)
			if perr != nil {
				return res, perr
			}
			req.URLs = append(req.URLs, u)
			hops = append(hops, enforce.Response{})
			res.Hops = append(res.Hops, hopJSON{URL: blocked.URL, NotSent: true})
			v.Hop = len(hops) - 1
		}
	case errors.Is(err, errTooManyRedirects):
		u, perr := fetchctx.ParseURL(next)
		if perr != nil {
			return res, perr
		}
		req.URLs = append(req.URLs, u)
		hops = append(hops, enforce.Response{})
		res.Hops = append(res.Hops, hopJSON{URL: next, NotSent: true})
		v, _ = engine.CheckHop(&req, len(req.URLs)-1, &hops[len(hops)-1], nil)
	case err != nil:
		return res, c.networkError(err, recorded, time.Since(start))
	default:
		// The Transport let the response through; decide the recorded
		// chain again to tell allowed from stripped, and to explain it.
		if len(hops) == 0 || len(hops) != len(req.URLs) {
			return res, errors.New("no response recorded")
		}
		v, _ = engine.DecideWithPreflight(&req, preflight, hops, nil)
	}
	mu.Lock()
	res.Reports = reportsJSON(reports)
	mu.Unlock()

	// Each preflight's own verdict, on the request it was for.
	for _, f := range preflights {
		if f.url >= len(req.URLs) {
			continue
		}
		pv := engine.CheckPreflight(&req, f.url, &f.answer)
		h := &res.Hops[f.hop]
		h.PreflightVerdict = verdictAllowed
		if !pv.Allows() {
			h.PreflightVerdict, h.PreflightReason = verdictBlocked, reasonOf(verdictBlocked, pv.Reason.String())
		}
	}

	o := judge(&req, preflight, hops, v)
	res.Verdict, res.Reason, res.Why, res.Fix, res.AlreadyBlocked = o.Verdict, reasonOn(o.Verdict, o.Reason, &req, v.Hop), o.Why, o.Fix, o.Already && breaks(o.Verdict) && p.Value != fetchctx.UnsafeNone
	if breaks(o.Verdict) {
		hop := v.Hop
		res.Hop = &hop
		res.Step, res.StepURL = v.Step.String(), v.Step.URL()
	}
	return res, nil
}

// isRedirect reports whether status is one http.Client follows.
func isRedirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func printCheck(w io.Writer, r *checkResult) {
	fmt.Fprintf(w, "%s %s\n", r.Method, r.URL)
	fmt.Fprintf(w, "  from %s (COEP %s", r.From, r.COEP)
	if r.COEPReportOnly != "unsafe-none" {
		fmt.Fprintf(w, ", report-only %s", r.COEPReportOnly)
	}
	fmt.Fprintf(w, "), destination %s, mode %s, credentials %s\n", orQuoted(r.Destination), r.Mode, r.Credentials)
	for _, k := range slices.Sorted(maps.Keys(r.RequestHeaders)) {
		fmt.Fprintf(w, "  %s: %s\n", k, r.RequestHeaders[k])
	}
	if r.BodyBytes > 0 {
		fmt.Fprintf(w, "  body: %d bytes\n", r.BodyBytes)
	}
	fmt.Fprintln(w)

	hop := 0
	for _, h := range r.Hops {
		label := "preflight"
		if !h.Preflight {
			label = fmt.Sprintf("hop %d", hop)
			hop++
		}
		line := fmt.Sprintf("%s  %d  %s", label, h.Status, h.URL)
		switch {
		case h.NotSent:
			line = fmt.Sprintf("%s  %s  (not sent)", label, h.URL)
		case h.Preflight:
			line = fmt.Sprintf("%s  %d  OPTIONS %s", label, h.Status, h.URL)
		case h.Location != "":
			line += " -> " + h.Location
		}
		fmt.Fprintln(w, line)
		if h.NotSent {
			continue
		}
		pad := strings.Repeat(" ", len(label)+2)
		if h.Preflight {
			// What the preflight asked, as curl -v marks a request's headers.
			for _, k := range []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"} {
				if v, ok := h.Sent[k]; ok {
					fmt.Fprintf(w, "%s> %s: %s\n", pad, k, v)
				}
			}
		}
		shown := false
		for _, kv := range [][2]string{
			{enforce.HeaderCORP, h.CORP},
			{fetchctx.HeaderCOEP, h.COEP},
			{fetchctx.HeaderCOEPReportOnly, h.COEPReportOnly},
			{"Access-Control-Allow-Origin", h.AllowOrigin},
			{"Access-Control-Allow-Credentials", h.AllowCredentials},
			{"Access-Control-Allow-Methods", h.AllowMethods},
			{"Access-Control-Allow-Headers", h.AllowHeaders},
			{"Content-Type", h.ContentType},
			{"X-Content-Type-Options", h.XCTO},
		} {
			if kv[1] != "" {
				fmt.Fprintf(w, "%s%s: %s\n", pad, kv[0], kv[1])
				shown = true
			}
		}
		if !shown {
			fmt.Fprintf(w, "%s(none of the headers the decision reads)\n", pad)
		}
		if h.Note != "" {
			fmt.Fprintf(w, "%snote: %s\n", pad, h.Note)
		}
		switch {
		case h.PreflightReason != nil:
			fmt.Fprintf(w, "%spreflight %s: %s\n", pad, h.PreflightVerdict, h.PreflightReason.Token)
		case h.PreflightVerdict != "":
			fmt.Fprintf(w, "%spreflight %s\n", pad, h.PreflightVerdict)
		}
	}
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	verdict := r.Verdict
	if breaks(r.Verdict) {
		if r.Hop != nil {
			verdict += fmt.Sprintf(" at hop %d", *r.Hop)
		}
		if r.AlreadyBlocked && r.COEP != "unsafe-none" {
			verdict += " (blocked without COEP too)"
		}
	}
	fmt.Fprintf(tw, "verdict\t%s\n", verdict)
	if r.Reason != nil {
		fmt.Fprintf(tw, "reason\t%s\n", r.Reason.Token)
		if l := devToolsLine(r.Reason); l != "" {
			fmt.Fprintf(tw, "chrome\t%s\n", l)
		}
	}
	fmt.Fprintf(tw, "why\t%s\n", r.Why)
	if r.Step != "" {
		fmt.Fprintf(tw, "step\t%s\n", r.Step)
		if r.StepURL != "" {
			fmt.Fprintf(tw, "\t%s\n", r.StepURL)
		}
	}
	if r.Fix != "" {
		fmt.Fprintf(tw, "fix\t%s\n", r.Fix)
	}
	if len(r.Reports) == 0 {
		fmt.Fprintf(tw, "reports\tnone\n")
	}
	for i, rep := range r.Reports {
		label := ""
		if i == 0 {
			label = "reports"
		}
		line := fmt.Sprintf("%s (%s): %s, destination %s", rep.Type, rep.Disposition, rep.BlockedURL, orQuoted(rep.Destination))
		if rep.Endpoint != "" {
			line += ", to endpoint " + rep.Endpoint
		}
		fmt.Fprintf(tw, "%s\t%s\n", label, line)
	}
	tw.Flush()
}

// orQuoted prints the empty destination as "".
func orQuoted(s string) string {
	if s == "" {
		return `""`
	}
	return s
}
