package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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
the response. It prints each hop, and the CORS preflight when one is sent,
with its status and the headers the decision reads
(Cross-Origin-Resource-Policy, Cross-Origin-Embedder-Policy,
Access-Control-Allow-*, Content-Type and X-Content-Type-Options), then the
verdict, the reason (the token Chrome's DevTools report for the same block),
why, the spec step, a fix, and the COEP reports queued. Every gate of the engine applies: CORP and COEP, CORS,
opaque response blocking, MIME type, nosniff and mixed content.

It exits 0 when the page may use the response, 1 when it is blocked or
stripped, and 2 on usage or network errors.

Flags may come before or after URL.

The flags are:

	--from ORIGIN
		the page's origin, as "https://app.example.com" (required).
	--dest DESTINATION
		the request's destination: script, image, style, font, iframe,
		document, ... (default "", as fetch() has).
	--mode MODE
		no-cors, cors, same-origin or navigate. The default is navigate for
		document, iframe, frame, embed and object, and no-cors (an element
		without a crossorigin attribute) for the rest.
	--credentials MODE
		omit, same-origin or include. The default is same-origin for cors
		and same-origin modes, and include (as elements and navigations
		send) for the rest.
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
	--timeout DURATION
		give up after DURATION (default 30s).
	--json
		print one JSON object instead of the text.

For example, a script on another site than a CDN serving
Cross-Origin-Resource-Policy: same-site:

	xorigin check https://cdn.example.com/user/profile.js --from https://app.anothersite.com --dest script
`

// checkFlags are check's parsed arguments.
type checkFlags struct {
	url     string
	req     fetchctx.Request // without URLs
	net     netConfig
	jsonOut bool
	profile enforce.Profile
	initial fetchctx.URL
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
		resolves stringList
	)
	fl.Var(&resolves, "resolve", "")
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
		return bad("%v", err)
	}
	if !c.initial.IsHTTP() {
		return bad("%s: only http and https URLs can be fetched", c.url)
	}
	if *from == "" {
		return bad("--from ORIGIN is required")
	}
	if c.req.Origin, err = origin.Parse(strings.TrimSuffix(*from, "/")); err != nil {
		return bad("--from: %v", err)
	}
	if c.req.Destination, err = fetchctx.ParseDestination(*dest); err != nil {
		return bad("--dest: %v", err)
	}
	switch {
	case *mode != "":
		if c.req.Mode, err = fetchctx.ParseMode(*mode); err != nil {
			return bad("--mode: %v", err)
		}
	case c.req.Destination.IsNavigation():
		c.req.Mode = fetchctx.ModeNavigate
	default:
		c.req.Mode = fetchctx.ModeNoCORS
	}
	switch {
	case *creds != "":
		if c.req.Credentials, err = fetchctx.ParseCredentials(*creds); err != nil {
			return bad("--credentials: %v", err)
		}
	case c.req.Mode == fetchctx.ModeCORS || c.req.Mode == fetchctx.ModeSameOrigin:
		c.req.Credentials = fetchctx.CredentialsSameOrigin
	default:
		c.req.Credentials = fetchctx.CredentialsInclude
	}
	if c.req.Policy, err = parsePagePolicy(*coep, *coepRO); err != nil {
		return bad("%v", err)
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
	URL            string       `json:"url"`
	From           string       `json:"from"`
	Destination    string       `json:"destination"`
	Mode           string       `json:"mode"`
	Credentials    string       `json:"credentials"`
	COEP           string       `json:"coep"`
	COEPReportOnly string       `json:"coepReportOnly"`
	Hops           []hopJSON    `json:"hops"`
	Verdict        string       `json:"verdict"`
	Reason         string       `json:"reason"`
	Why            string       `json:"why,omitempty"`
	Step           string       `json:"step,omitempty"`
	StepURL        string       `json:"stepURL,omitempty"`
	Hop            int          `json:"hop"`
	Fix            string       `json:"fix,omitempty"`
	AlreadyBlocked bool         `json:"alreadyBlocked,omitempty"`
	Reports        []reportJSON `json:"reports"`
	Error          string       `json:"error,omitempty"`
}

// hopJSON is one response check read: a hop of the redirect chain, or the
// CORS preflight sent before the hop that follows it.
type hopJSON struct {
	URL              string `json:"url"`
	Preflight        bool   `json:"preflight,omitempty"`
	NotSent          bool   `json:"notSent,omitempty"` // blocked before it was sent
	Status           int    `json:"status,omitempty"`
	CORP             string `json:"corp,omitempty"`
	COEP             string `json:"coep,omitempty"`
	COEPReportOnly   string `json:"coepReportOnly,omitempty"`
	ContentType      string `json:"contentType,omitempty"`
	XCTO             string `json:"xContentTypeOptions,omitempty"`
	AllowOrigin      string `json:"accessControlAllowOrigin,omitempty"`
	AllowCredentials string `json:"accessControlAllowCredentials,omitempty"`
	AllowMethods     string `json:"accessControlAllowMethods,omitempty"`
	AllowHeaders     string `json:"accessControlAllowHeaders,omitempty"`
	Location         string `json:"location,omitempty"`
	Note             string `json:"note,omitempty"`
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
		res.Verdict, res.Error = verdictError, err.Error()
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
		URL: c.url, From: c.req.Origin.String(), Destination: c.req.Destination.String(),
		Mode: c.req.Mode.String(), Credentials: c.req.Credentials.String(),
		COEP:           policyText(p.Value, p.ReportingEndpoint),
		COEPReportOnly: policyText(p.ReportOnlyValue, p.ReportOnlyReportingEndpoint),
		Hops:           []hopJSON{}, Reports: []reportJSON{},
	}
	base, err := baseTransport(c.net)
	if err != nil {
		return res, err
	}
	defer base.CloseIdleConnections()
	rec := &recorder{base: base}
	engine := enforce.New(enforce.Config{Profile: c.profile})
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
	fr := c.req
	fr.URLs = []fetchctx.URL{c.initial}
	httpReq, err := http.NewRequestWithContext(fetchctx.NewContext(ctx, &fr), http.MethodGet, c.url, nil)
	if err != nil {
		return res, err
	}
	resp, err := client.Do(httpReq)
	if resp != nil {
		// Read the body through, so that the recorder holds what the
		// decision is remade on.
		io.Copy(io.Discard, io.LimitReader(resp.Body, captureLimit))
		resp.Body.Close()
	}

	recorded := rec.recorded()
	req := c.req
	var hops []enforce.Response
	var preflight *enforce.Response
	for _, h := range recorded {
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
		res.Hops = append(res.Hops, hj)
		if h.Preflight {
			preflight = &r
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
		return res, err
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

	o := judge(&req, preflight, hops, v)
	res.Verdict, res.Reason, res.Why, res.Fix, res.AlreadyBlocked = o.Verdict, o.Reason, o.Why, o.Fix, o.Already && breaks(o.Verdict) && p.Value != fetchctx.UnsafeNone
	if breaks(o.Verdict) {
		res.Hop = v.Hop
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
	fmt.Fprintf(w, "GET %s\n", r.URL)
	fmt.Fprintf(w, "  from %s (COEP %s", r.From, r.COEP)
	if r.COEPReportOnly != "unsafe-none" {
		fmt.Fprintf(w, ", report-only %s", r.COEPReportOnly)
	}
	fmt.Fprintf(w, "), destination %s, mode %s, credentials %s\n\n", orQuoted(r.Destination), r.Mode, r.Credentials)

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
	}
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	verdict := r.Verdict
	if breaks(r.Verdict) {
		verdict += fmt.Sprintf(" at hop %d", r.Hop)
		if r.AlreadyBlocked && r.COEP != "unsafe-none" {
			verdict += " (blocked without COEP too)"
		}
	}
	fmt.Fprintf(tw, "verdict\t%s\n", verdict)
	if r.Reason != "" {
		fmt.Fprintf(tw, "reason\t%s\n", r.Reason)
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
