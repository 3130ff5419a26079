package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

const harUsage = `usage: xorigin har [--coep require-corp|credentialless] [--from ORIGIN] [--json] FILE

Har reads a HAR file (HAR 1.2, as Chrome and Firefox export it; "-" reads
standard input) and decides, for every subresource, what the page would see
if its main document served Cross-Origin-Embedder-Policy: --coep. It prints
a table of the subresources that would break, each with a fix, then a
summary line. A row marked * is blocked without COEP too (by the resource's
own Cross-Origin-Resource-Policy, or by opaque response blocking, which
reads the body the HAR holds, or because Chrome blocked it when the HAR was
recorded: a status 0 entry whose _error is net::ERR_BLOCKED_BY_RESPONSE...
or net::ERR_BLOCKED_BY_ORB, listed with Chrome's reason). On a terminal the
fix column wraps to its width ($COLUMNS, or what the terminal says).

Each entry's destination comes from Chrome's _resourceType when the entry
has one, made exact by the request's Sec-Fetch-Dest header where
_resourceType is coarser (a "document" that is an iframe, "media" that is
audio); without _resourceType, from Sec-Fetch-Dest; without either, from
the element that loads the URL in the page's markup (<script src>, <img
src>, <link rel=stylesheet href>, ..., when the HAR holds the document's
body); without that, it is inferred from the request's Accept header and the
response's MIME type, and the fix says the destination is a guess. The table
says which. The mode comes from Sec-Fetch-Mode, or is inferred (an Origin
header on a GET means cors). Redirects, one entry per hop, are followed as
chains; a Location and the entry it leads to are matched as the URL parser
serializes them (host case, percent-encoding and default ports aside).

Every gate of the engine applies: CORP and COEP, CORS (a request's CORS
preflight is the OPTIONS entry before it, with the headers it names in
Access-Control-Request-Headers), opaque response blocking (on the body the
HAR holds), MIME type, nosniff and mixed content. Entries the engine does
not decide are "not-checked": main documents, WebSockets, CORS preflights
on their own, pings and reports, what a framed document loaded itself, and
what comes after a blocked redirect. Entries without a response (status 0)
are "no-response". When opaque response blocking needs the body and the
HAR does not hold it whole (no content.text, an empty one for a larger
content.size, or a shorter one: Firefox cuts bodies over 1 MB, Chrome often
exports none for images), and every other gate passes, the entry is
"undecided", counted apart and never as broken.

The file is read one entry at a time, so memory does not grow with its size;
when standard error is a terminal, a progress line is drawn there. A HAR that
does not parse is an error naming the byte offset (counted from 0) and the
entry.

It exits 0 when nothing would break, 1 when something would be blocked or
stripped, and 2 on usage errors, a HAR that cannot be read, or a page
whose main document the HAR lacks when --from is not given (its entries
cannot be checked: pass --from).

The flags are:

	--coep VALUE
		the policy to audit: require-corp (default) or credentialless.
	--from ORIGIN
		the page's origin (a page's URL is taken as its origin). The
		default is the origin of each page's main document in the HAR
		(after its redirects).
	--profile spec|chromium
		whose opaque response blocking to follow: the spec text (default)
		or Chromium as it ships.
	--json
		print one JSON object per entry, one per line, instead of the
		table: schemaVersion, entry, page, url, method, status, from,
		destination, destinationSource, mode, credentials, coep, verdict,
		reason, why, step, fix, and, when they apply, alreadyBlocked
		(blocked without COEP too), redirectedFrom, note and reports.
		reason is {"token", "blockedReason", "corsError", "errorText"}:
		the token, and what Chrome's DevTools put in the three fields of
		Network.loadingFailed for the same block (those it sets), or
		{"token", "xorigin": true} for xorigin's own reasons. Lines are
		written as entries are read: when the HAR cannot be read whole, or
		a page's origin is unknown, the output ends with an error object,
		{"schemaVersion", "error": {"message", "offset", "entry"}}, and the
		exit code is 2.
`

// stdin is what "xorigin har -" reads.
var stdin io.Reader = os.Stdin

type harFlags struct {
	file    string
	policy  fetchctx.EmbedderPolicyValue
	from    origin.Origin
	profile enforce.Profile
	jsonOut bool
}

func parseHARFlags(args []string, stdout, stderr io.Writer) (*harFlags, int) {
	fl := newFlagSet("har")
	coep := fl.String("coep", "require-corp", "")
	from := fl.String("from", "", "")
	jsonOut := fl.Bool("json", false, "")
	profile := fl.String("profile", "spec", "")
	pos, code, ok := parseArgs(fl, harUsage, args, stdout, stderr)
	if !ok {
		return nil, code
	}
	var err error
	bad := func(format string, a ...any) (*harFlags, int) {
		fmt.Fprintf(stderr, "xorigin har: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'xorigin help har' for usage.")
		return nil, 2
	}
	if len(pos) != 1 {
		return bad("want one FILE, got %d", len(pos))
	}
	f := &harFlags{file: pos[0], jsonOut: *jsonOut}
	if f.profile, err = enforce.ParseProfile(*profile); err != nil {
		return bad("--profile: %v", err)
	}
	switch *coep {
	case "require-corp":
		f.policy = fetchctx.RequireCORP
	case "credentialless":
		f.policy = fetchctx.Credentialless
	default:
		return bad("--coep %q: want require-corp or credentialless", *coep)
	}
	if *from != "" {
		var note string
		if f.from, note, err = parseFrom(*from); err != nil {
			return bad("%v", err)
		}
		if note != "" {
			fmt.Fprintf(stderr, "xorigin har: %s\n", note)
		}
	}
	return f, 0
}

func harCmd(args []string, stdout, stderr io.Writer) int {
	f, code := parseHARFlags(args, stdout, stderr)
	if f == nil {
		return code
	}
	var r io.Reader
	var ra io.ReaderAt
	var size int64
	if f.file == "-" {
		r = stdin
	} else {
		file, err := os.Open(f.file)
		if err != nil {
			fmt.Fprintf(stderr, "xorigin har: %v\n", err)
			return 2
		}
		defer file.Close()
		if fi, err := file.Stat(); err == nil && fi.Mode().IsRegular() {
			size, ra = fi.Size(), file
		}
		r = file
	}
	a := newAuditor(f, stdout)
	if isTerminal(stderr) {
		a.progress, a.size = stderr, size
	}
	if !f.jsonOut && isTerminal(stdout) {
		a.width = terminalWidth(stdout)
	}
	if err := a.run(r, ra); err != nil {
		// --json has streamed the entries read so far: it ends with an
		// error object, so that no reader takes them for the whole file.
		a.jsonError(err)
		fmt.Fprintf(stderr, "xorigin har: %s: %v\n", f.file, err)
		return 2
	}
	if !f.jsonOut {
		a.printTable(stdout)
	}
	if a.noOrigin > 0 {
		// Without the page's origin nothing was decided: a CI gate must
		// not pass on that.
		err := fmt.Errorf("no main document found for %d entries, so the page's origin is unknown and they were not checked: pass --from ORIGIN", a.noOrigin)
		a.jsonError(err)
		fmt.Fprintf(stderr, "xorigin har: %s: %v\n", f.file, err)
		return 2
	}
	if a.count[verdictBlocked]+a.count[verdictStripped] > 0 {
		return 1
	}
	return 0
}

// harErrorJSON is the last line of --json output when the audit could not
// finish: the HAR does not parse, or the page's origin is unknown.
type harErrorJSON struct {
	SchemaVersion int `json:"schemaVersion"`
	Error         struct {
		Message string `json:"message"`
		Offset  *int64 `json:"offset,omitempty"` // where the HAR stops parsing, from 0
		Entry   *int   `json:"entry,omitempty"`  // the entry being read
	} `json:"error"`
}

func (a *auditor) jsonError(err error) {
	if a.out == nil {
		return
	}
	e := harErrorJSON{SchemaVersion: schemaVersion}
	e.Error.Message = err.Error()
	var he *harError
	if errors.As(err, &he) {
		off := he.Offset
		e.Error.Offset = &off
		e.Error.Message = he.Err.Error()
		if he.Entry >= 0 {
			entry := he.Entry
			e.Error.Entry = &entry
		}
	}
	a.out.Encode(e)
}

// pageState is what the audit knows of one HAR page.
type pageState struct {
	id, title string
	// mainURL is the page's main document once seen: its origin is the
	// page's origin, unless --from says otherwise.
	mainURL  string
	origin   origin.Origin
	coep     string // the main document's Cross-Origin-Embedder-Policy
	coepRO   string // and its -Report-Only
	redirect string // where the main document's redirect goes, if it does
	frames   map[string]bool
}

// chain is a redirect chain in progress: each HAR entry is one hop.
type chain struct {
	dest   fetchctx.Destination
	source string
	mode   fetchctx.Mode
	creds  fetchctx.Credentials
	urls   []fetchctx.URL
	hops   []enforce.Response
	// blocked: a hop of the chain is blocked, so the browser stops there.
	blocked bool
}

// seenPreflight is a CORS preflight entry: its answer, and the header
// names the request it goes with sets.
type seenPreflight struct {
	answer enforce.Response
	names  []string
}

// row is one line of the table: a subresource that would break.
type row struct {
	page, url, dest, verdict, reason, fix string
	already                               bool
}

type auditor struct {
	flags  *harFlags
	engine *enforce.Engine
	// noORB decides entries whose body the HAR does not hold: opaque
	// response blocking cannot judge them, the other gates still can.
	noORB *enforce.Engine
	out   *json.Encoder

	meta    harMeta
	pages   map[string]*pageState
	order   []string          // page ids in order of appearance
	pending map[string]*chain // "pageref URL" of a redirect's target
	// preflights holds, by "pageref URL", the CORS preflight entries not
	// yet matched with their request.
	preflights map[string]*seenPreflight
	entries    int
	subres     int
	count      map[string]int
	already    int
	rows       []row
	noCreds    []string // credentialless: loads, without the cookies it had
	undecided  []string // ORB undecided: the export holds no whole body
	noOrigin   int      // entries not checked for want of the page's origin
	// markup maps, by page, the URLs the page's documents load from their
	// markup to the destination the element gives them.
	markup map[string]map[string]fetchctx.Destination
	// width is the terminal's width, to wrap the fix column to; 0 when
	// stdout is no terminal.
	width int

	progress  io.Writer
	size      int64
	lastDrawn time.Time
}

func newAuditor(f *harFlags, stdout io.Writer) *auditor {
	a := &auditor{
		flags:      f,
		engine:     enforce.New(enforce.Config{Profile: f.profile}),
		noORB:      enforce.New(enforce.Config{Profile: f.profile, Checks: enforce.DefaultChecks &^ enforce.CheckORB}),
		preflights: map[string]*seenPreflight{},
		pages:      map[string]*pageState{},
		pending:    map[string]*chain{},
		count:      map[string]int{},
		markup:     map[string]map[string]fetchctx.Destination{},
	}
	if f.jsonOut {
		a.out = json.NewEncoder(stdout)
		a.out.SetEscapeHTML(false)
	}
	return a
}

// run audits the HAR in r; ra, when not nil, reads the same bytes again to
// place a syntax error exactly.
func (a *auditor) run(r io.Reader, ra io.ReaderAt) error {
	err := readHAR(r, ra, func(m *harMeta) { a.meta = *m }, func(i int, off int64, e *harEntry) error {
		a.entries++
		a.entry(i, e)
		a.drawProgress(off, false)
		return nil
	})
	a.drawProgress(0, true)
	return err
}

// drawProgress draws, at most five times a second, the progress line; done
// erases it.
func (a *auditor) drawProgress(off int64, done bool) {
	if a.progress == nil {
		return
	}
	const width = 72
	if done {
		if !a.lastDrawn.IsZero() {
			fmt.Fprintf(a.progress, "\r%s\r", strings.Repeat(" ", width))
		}
		return
	}
	now := time.Now()
	if now.Sub(a.lastDrawn) < 200*time.Millisecond {
		return
	}
	a.lastDrawn = now
	line := fmt.Sprintf("xorigin har: %d entries, %.1f MB", a.entries, float64(off)/1e6)
	if a.size > 0 {
		line += fmt.Sprintf(" of %.1f MB (%d%%)", float64(a.size)/1e6, off*100/a.size)
	}
	fmt.Fprintf(a.progress, "\r%-*s", width, line)
}

// entryResult is one entry's outcome, and its JSON form.
type entryResult struct {
	SchemaVersion     int          `json:"schemaVersion"`
	Entry             int          `json:"entry"`
	Page              string       `json:"page,omitempty"`
	URL               string       `json:"url"`
	Method            string       `json:"method"`
	Status            int          `json:"status"`
	From              string       `json:"from,omitempty"`
	Destination       string       `json:"destination"`
	DestinationSource string       `json:"destinationSource"`
	Mode              string       `json:"mode,omitempty"`
	Credentials       string       `json:"credentials,omitempty"`
	COEP              string       `json:"coep"`
	Verdict           string       `json:"verdict"`
	Reason            *reasonJSON  `json:"reason,omitempty"`
	Why               string       `json:"why,omitempty"`
	Step              string       `json:"step,omitempty"`
	Fix               string       `json:"fix"`
	AlreadyBlocked    bool         `json:"alreadyBlocked,omitempty"`
	RedirectedFrom    []string     `json:"redirectedFrom,omitempty"`
	Note              string       `json:"note,omitempty"`
	Reports           []reportJSON `json:"reports,omitempty"`

	subresource bool
	noCookies   bool   // allowed, but without the cookies it had
	reason      string // the reason's token; Reason is made from it
}

func (a *auditor) page(id string) *pageState {
	p := a.pages[id]
	if p == nil {
		p = &pageState{id: id, frames: map[string]bool{}}
		for _, mp := range a.meta.Pages {
			if mp.ID == id {
				p.title = mp.Title
			}
		}
		a.pages[id] = p
		a.order = append(a.order, id)
	}
	return p
}

func (a *auditor) entry(i int, e *harEntry) {
	res := a.decide(i, e)
	a.emit(res)
}

func (a *auditor) emit(res *entryResult) {
	res.SchemaVersion, res.Reason = schemaVersion, reasonOf(res.Verdict, res.reason)
	if res.reason == reasonNoPageOrigin {
		a.noOrigin++
	}
	if res.subresource {
		a.subres++
		a.count[res.Verdict]++
		if breaks(res.Verdict) {
			if res.AlreadyBlocked {
				a.already++
			}
			if a.out == nil {
				a.rows = append(a.rows, row{res.Page, res.URL, destLabel(res), res.Verdict, res.reason, res.Fix, res.AlreadyBlocked})
			}
		}
		if res.Verdict == verdictUndecided && a.out == nil {
			a.undecided = append(a.undecided, res.URL)
		}
		if res.noCookies && a.out == nil {
			a.noCreds = append(a.noCreds, res.URL)
		}
	}
	if a.out != nil {
		a.out.Encode(res)
	}
}

func destLabel(r *entryResult) string {
	return fmt.Sprintf("%s (%s)", orQuoted(r.Destination), r.DestinationSource)
}

// stripFragment returns raw without its fragment: HAR URLs and redirect
// targets are compared without one.
func stripFragment(raw string) string {
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		return raw[:i]
	}
	return raw
}

// The reasons of "not-checked" and "no-response", the command's own.
const (
	reasonMainDocument = "main-document"
	reasonWebSocket    = "websocket"
	reasonPreflight    = "preflight"
	reasonNotExposed   = "not-exposed"
	reasonInFrame      = "loaded-by-frame"
	reasonNoPageOrigin = "no-page-origin"
	reasonInvalidURL   = "invalid-url"
	reasonNoResponse   = "no-response"
	reasonAfterBlocked = "after-blocked-redirect"
	reasonNoWholeBody  = "no-whole-body"
)

func (a *auditor) decide(i int, e *harEntry) *entryResult {
	p := a.page(e.Pageref)
	res := &entryResult{Entry: i, Page: e.Pageref, URL: e.Request.URL, Method: e.Request.Method,
		Status: e.Response.Status, COEP: a.flags.policy.String(), Fix: ""}
	reqH, respH := header(e.Request.Headers), header(e.Response.Headers)
	cl := classify(e, reqH, respH)
	res.Destination, res.DestinationSource = cl.dest.String(), cl.source
	notChecked := func(reason, why string) *entryResult {
		res.Verdict, res.reason, res.Why = verdictNotChecked, reason, why
		return res
	}

	u, err := fetchctx.ParseURL(stripFragment(e.Request.URL))
	if err != nil {
		res.subresource = true
		return notChecked(reasonInvalidURL, urlError(e.Request.URL, err))
	}
	// URLs are compared as the URL parser serializes them: host case,
	// percent-encoding and default ports do not tell two apart.
	canon := u.ForReporting()
	key := e.Pageref + " " + canon
	ch := a.pending[key]
	delete(a.pending, key)

	// The main document: the page's first document, and the documents its
	// redirects lead to. It gives the page its origin.
	initType, initURL := e.initiator()
	framed := initType == "parser" || initType == "script"
	if cl.dest == fetchctx.DestinationDocument && !framed && (cl.docLike || cl.explicitDocument) &&
		(p.mainURL == "" || p.redirect == canon || cl.explicitDocument) {
		p.mainURL, p.origin, p.redirect = e.Request.URL, u.Origin(), ""
		p.coep = strings.Join(respH.Values(fetchctx.HeaderCOEP), ", ")
		p.coepRO = strings.Join(respH.Values(fetchctx.HeaderCOEPReportOnly), ", ")
		if loc := redirectTarget(e, respH); loc != "" {
			p.redirect = loc
		}
		a.readMarkup(e, u)
		res.Destination = fetchctx.DestinationDocument.String()
		return notChecked(reasonMainDocument, "the page itself: a top-level navigation, which no CORP check applies to")
	}
	res.subresource = true
	if cl.docLike && cl.dest == fetchctx.DestinationDocument {
		// A later document in the same page, without a Sec-Fetch-Dest to
		// say otherwise: a frame.
		cl.dest = fetchctx.DestinationIFrame
		res.Destination = cl.dest.String()
	}
	if cl.dest.IsNavigation() {
		p.frames[canon] = true
	}
	switch cl.skip {
	case reasonWebSocket:
		return notChecked(reasonWebSocket, "a WebSocket: Fetch's CORP check does not apply")
	case reasonPreflight:
		answer, _ := enforce.ParseResponse(e.Response.Status, respH)
		pf := &seenPreflight{answer: answer}
		for _, n := range strings.Split(reqH.Get("Access-Control-Request-Headers"), ",") {
			if n = strings.TrimSpace(n); n != "" {
				pf.names = append(pf.names, n)
			}
		}
		a.preflights[key] = pf
		return notChecked(reasonPreflight, "a CORS preflight: decided with the request that follows it")
	case reasonNotExposed:
		return notChecked(reasonNotExposed, "a ping, beacon or report: the page never reads the response")
	}
	if initURL != "" && p.frames[canonicalURL(initURL)] {
		return notChecked(reasonInFrame, fmt.Sprintf("loaded by the framed document %s, under its own embedder policy, not the page's", initURL))
	}

	if cl.source == "inferred" {
		// No _resourceType, no Sec-Fetch-Dest: the element that loads the
		// URL in the page's markup says more than Accept and the MIME type.
		if d, ok := a.markup[e.Pageref][canon]; ok {
			cl.dest, cl.source = d, "markup"
			res.Destination, res.DestinationSource = d.String(), cl.source
		}
	}

	from := a.flags.from
	if !from.IsValid() {
		from = p.origin
	}
	if !from.IsValid() {
		res.Fix = "pass --from ORIGIN"
		return notChecked(reasonNoPageOrigin, "no main document seen yet for this page, so its origin is unknown")
	}
	res.From = from.String()

	if ch == nil {
		ch = &chain{dest: cl.dest, source: cl.source}
		ch.mode = inferMode(cl.dest, e, reqH, from, u)
		ch.creds = inferCredentials(ch.mode, e, reqH)
	} else {
		for _, prev := range ch.urls {
			res.RedirectedFrom = append(res.RedirectedFrom, prev.String())
		}
		res.Destination, res.DestinationSource = ch.dest.String(), ch.source
	}
	res.Mode, res.Credentials = ch.mode.String(), ch.creds.String()
	if ch.blocked {
		return notChecked(reasonAfterBlocked, fmt.Sprintf("the redirect from %s is blocked, so the browser never requests this URL", ch.urls[len(ch.urls)-1]))
	}

	if e.Response.Status <= 0 {
		// No response: the gates that need none may still say why.
		req := &fetchctx.Request{Origin: from, Destination: ch.dest, Mode: ch.mode, Credentials: ch.creds,
			Policy: fetchctx.EmbedderPolicy{Value: a.flags.policy}, URLs: append(append([]fetchctx.URL(nil), ch.urls...), u),
			Method: e.Request.Method}
		if v := a.engine.CheckRequest(req, len(req.URLs)-1); !v.Allows() {
			o := judge(req, nil, make([]enforce.Response, len(req.URLs)), v)
			res.Verdict, res.reason, res.Why, res.Fix, res.AlreadyBlocked = o.Verdict, o.Reason, o.Why, o.Fix, o.Already
			res.Step = v.Step.String()
			return res
		}
		if fix, ok := chromeBlockFix(e.Response.Error, req); ok {
			// Chrome blocked it when the HAR was recorded: broken today.
			res.Verdict, res.reason, res.Fix, res.AlreadyBlocked = verdictBlocked, e.Response.Error, fix, true
			res.Why = "Chrome blocked the response when the HAR was recorded (" + e.Response.Error + "), so the HAR holds none"
			return res
		}
		res.Verdict, res.reason = verdictNoResponse, reasonNoResponse
		res.Why = "the HAR has no response for it"
		if e.Response.Error != "" {
			res.Why += " (" + e.Response.Error + ")"
		}
		return res
	}

	pf := a.preflights[key]
	delete(a.preflights, key)
	hop, _ := enforce.ParseResponse(e.Response.Status, respH) // bad COEP headers fall back, as the spec says
	target := redirectTarget(e, respH)
	body, hasBody := e.body()
	if target == "" {
		// A redirect's body is never read; only the final one is kept.
		hop.Body, hop.BodyComplete = body, hasBody
	}
	urls := append(append([]fetchctx.URL(nil), ch.urls...), u)
	hops := append(append([]enforce.Response(nil), ch.hops...), hop)
	req := &fetchctx.Request{Origin: from, Destination: ch.dest, Mode: ch.mode,
		Credentials: ch.creds, Policy: fetchctx.EmbedderPolicy{Value: a.flags.policy}, URLs: urls,
		Method: e.Request.Method, Header: initiatorHeaders(reqH, pf)}
	if req.Mode == fetchctx.ModeNoCORS && (req.Destination == fetchctx.DestinationAudio || req.Destination == fetchctx.DestinationVideo) {
		// A media element's request, taken as its initial one.
		req.Media = fetchctx.MediaInitial
	}
	last := len(urls) - 1
	engine := a.engine
	var reports []enforce.Report
	var preflight *enforce.Response
	v := engine.CheckRequest(req, last)
	orbUndecided, orbStep := false, enforce.StepNone
	// HTTP fetch, step 4.1: the CORS preflight, answered by the OPTIONS
	// entry the browser recorded before this one.
	if v.Allows() && engine.NeedsPreflight(req, last) {
		if pf != nil {
			preflight = &pf.answer
			v = engine.CheckPreflight(req, last, preflight)
		} else {
			res.Note = "it needs a CORS preflight, which the HAR does not hold (a cached one?): not checked"
		}
	}
	if v.Allows() {
		v, reports = engine.CheckHop(req, last, &hops[last], reports)
		if v.Result == enforce.Undecided && v.Reason == enforce.ReasonNeedBody {
			// Opaque response blocking needs more of the body than the
			// export holds: it cannot decide. The other gates still can.
			orbUndecided, orbStep = true, v.Step
			engine = a.noORB
			v, reports = engine.CheckHop(req, last, &hops[last], reports[:0])
		}
	}
	if v.Allows() && target == "" {
		v, reports = engine.CheckFinal(req, &hops[last], reports)
	}
	o := judge(req, preflight, hops, v)
	res.Verdict, res.reason, res.Why, res.Fix = o.Verdict, o.Reason, o.Why, o.Fix
	if breaks(o.Verdict) {
		res.Step = v.Step.String()
		res.AlreadyBlocked = o.Already
		if ch.source == "inferred" {
			res.Fix = joinNote(res.Fix, fmt.Sprintf("the destination %s is a guess from the Accept header and the MIME type (the HAR does not say what loaded it)", orQuoted(ch.dest.String())))
		}
	}
	if o.Verdict == verdictAllowed && orbUndecided {
		// ORB's decision, counted apart: never as broken.
		size := e.Response.Content.Size
		res.Verdict, res.reason = verdictUndecided, reasonNoWholeBody
		res.Why = fmt.Sprintf("undecided: the export holds no (whole) body (content.size %d, %d bytes held), and opaque response blocking needs it; the other checks pass", size, len(body))
		res.Step = orbStep.String()
	}
	res.Reports = reportsJSON(reports)
	if len(res.Reports) == 0 {
		res.Reports = nil
	}
	if o.Verdict == verdictAllowed && hasCookies(e, reqH) && !req.IncludesCredentials(last) {
		res.Note = joinNote(res.Note, "under "+a.flags.policy.String()+" it is sent without the cookies it carried here")
		res.noCookies = true
	}
	if target != "" {
		// The next hop is another entry; it continues this chain, or, when
		// this hop is blocked, is never requested.
		ch.urls, ch.hops, ch.blocked = urls, hops, breaks(o.Verdict)
		a.pending[e.Pageref+" "+target] = ch
	}
	return res
}

// initiatorHeaders returns the request headers the initiator set, as far as
// the HAR tells: the ones its CORS preflight named, and Content-Type. The
// rest of what the HAR lists, the browser added.
func initiatorHeaders(reqH http.Header, pf *seenPreflight) http.Header {
	h := http.Header{}
	if ct := reqH.Values("Content-Type"); len(ct) > 0 {
		h["Content-Type"] = ct
	}
	if pf != nil {
		for _, n := range pf.names {
			if vs := reqH.Values(n); len(vs) > 0 {
				h[http.CanonicalHeaderKey(n)] = vs
			}
		}
	}
	return h
}

// redirectTarget returns where a redirect response sends the browser,
// absolute and without fragment, or "" when the response is no redirect.
func redirectTarget(e *harEntry, respH http.Header) string {
	switch e.Response.Status {
	case 301, 302, 303, 307, 308:
	default:
		return ""
	}
	loc := e.Response.RedirectURL
	if loc == "" {
		loc = respH.Get("Location")
	}
	if loc == "" {
		return ""
	}
	return resolveURL(e.Request.URL, loc)
}

// resolveURL resolves ref against base and returns it as the URL parser
// serializes it (canonicalURL), "" when it does not parse. An absolute ref
// is parsed as it is; a relative one is resolved with net/url first, as
// http.Client resolves a Location.
func resolveURL(base, ref string) string {
	if u, err := fetchctx.ParseURL(stripFragment(ref)); err == nil {
		return u.ForReporting()
	}
	b, err := url.Parse(base)
	if err != nil {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	return canonicalURL(b.ResolveReference(r).String())
}

// canonicalURL returns raw as the project's URL parser serializes it,
// without userinfo and fragment (as Fetch serializes a URL for reporting):
// https://CDN.Else.net:443/a%20b and https://cdn.else.net/a b are one
// URL. raw is returned without its fragment when it does not parse.
func canonicalURL(raw string) string {
	raw = stripFragment(raw)
	if u, err := fetchctx.ParseURL(raw); err == nil {
		return u.ForReporting()
	}
	return raw
}

func hasCookies(e *harEntry, reqH http.Header) bool {
	return len(e.Request.Cookies) > 0 || reqH.Get("Cookie") != ""
}

// classification is what an entry is, as far as its HAR tells.
type classification struct {
	dest   fetchctx.Destination
	source string // "_resourceType", "_resourceType+sec-fetch-dest", "sec-fetch-dest", "inferred"
	// docLike: the entry is a document whose kind (main document or frame)
	// the HAR does not say outright.
	docLike bool
	// explicitDocument: Sec-Fetch-Dest says document, a top-level one.
	explicitDocument bool
	skip             string // websocket, preflight, not-exposed
}

// chromeTypes maps Chrome's _resourceType to a destination and a family:
// the Sec-Fetch-Dest values that may refine it.
var chromeTypes = map[string]struct {
	dest   fetchctx.Destination
	family []string
}{
	"document":       {fetchctx.DestinationDocument, []string{"document", "iframe", "frame", "embed", "object"}},
	"stylesheet":     {fetchctx.DestinationStyle, []string{"style"}},
	"image":          {fetchctx.DestinationImage, []string{"image"}},
	"media":          {fetchctx.DestinationVideo, []string{"audio", "video", "track"}},
	"font":           {fetchctx.DestinationFont, []string{"font"}},
	"script":         {fetchctx.DestinationScript, []string{"script", "worker", "sharedworker", "serviceworker", "audioworklet", "paintworklet", "xslt"}},
	"texttrack":      {fetchctx.DestinationTrack, []string{"track"}},
	"xhr":            {fetchctx.DestinationEmpty, []string{"empty", "json"}},
	"fetch":          {fetchctx.DestinationEmpty, []string{"empty", "json"}},
	"eventsource":    {fetchctx.DestinationEmpty, []string{"empty"}},
	"prefetch":       {fetchctx.DestinationEmpty, []string{"empty", "script", "style", "image", "font", "document"}},
	"manifest":       {fetchctx.DestinationManifest, []string{"manifest"}},
	"signedexchange": {fetchctx.DestinationEmpty, nil},
}

func secFetchDest(reqH http.Header) (fetchctx.Destination, string, bool) {
	s := strings.ToLower(strings.TrimSpace(reqH.Get("Sec-Fetch-Dest")))
	if s == "" {
		return 0, "", false
	}
	if s == "empty" {
		return fetchctx.DestinationEmpty, s, true
	}
	d, err := fetchctx.ParseDestination(s)
	return d, s, err == nil
}

func classify(e *harEntry, reqH, respH http.Header) classification {
	rt := strings.ToLower(e.ResourceType)
	scheme, _, _ := strings.Cut(strings.ToLower(e.Request.URL), ":")
	var c classification
	switch {
	case rt == "websocket" || scheme == "ws" || scheme == "wss" ||
		strings.EqualFold(reqH.Get("Sec-Fetch-Mode"), "websocket"):
		c.skip = reasonWebSocket
	case rt == "preflight" || e.Request.Method == http.MethodOptions && reqH.Get("Access-Control-Request-Method") != "":
		c.skip = reasonPreflight
	case rt == "ping" || rt == "cspviolationreport" || strings.EqualFold(reqH.Get("Sec-Fetch-Dest"), "report"):
		c.skip = reasonNotExposed
	}
	if c.skip != "" {
		c.source = "inferred"
		if rt != "" {
			c.source = "_resourceType"
		}
		return c
	}
	sfd, sfdName, hasSFD := secFetchDest(reqH)
	mimeType := responseMIME(e, respH)
	if ct, ok := chromeTypes[rt]; ok {
		c.dest, c.source = ct.dest, "_resourceType"
		if hasSFD && contains(ct.family, sfdName) {
			if sfd != ct.dest {
				c.source = "_resourceType+sec-fetch-dest"
			}
			c.dest = sfd
			c.explicitDocument = sfd == fetchctx.DestinationDocument && rt == "document"
		} else {
			switch rt {
			case "document":
				c.docLike = true
			case "media":
				if strings.HasPrefix(mimeType, "audio/") {
					c.dest = fetchctx.DestinationAudio
				}
			}
		}
		return c
	}
	if hasSFD {
		c.dest, c.source = sfd, "sec-fetch-dest"
		c.explicitDocument = sfd == fetchctx.DestinationDocument
		return c
	}
	c.source = "inferred"
	c.dest = inferDest(reqH, mimeType)
	c.docLike = c.dest == fetchctx.DestinationDocument
	return c
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// responseMIME returns the response's essence MIME type, lowercase.
func responseMIME(e *harEntry, respH http.Header) string {
	t := e.Response.Content.MimeType
	if t == "" {
		t = respH.Get("Content-Type")
	}
	if mt, _, err := mime.ParseMediaType(t); err == nil {
		return mt
	}
	t, _, _ = strings.Cut(t, ";")
	return strings.ToLower(strings.TrimSpace(t))
}

// inferDest guesses a destination from the Accept header browsers send for
// each kind of element, then from the response's MIME type.
func inferDest(reqH http.Header, mimeType string) fetchctx.Destination {
	accept := strings.ToLower(reqH.Get("Accept"))
	switch {
	case strings.HasPrefix(accept, "text/html"), strings.HasPrefix(accept, "application/xhtml+xml"):
		return fetchctx.DestinationDocument
	case strings.HasPrefix(accept, "image/"):
		return fetchctx.DestinationImage
	case strings.HasPrefix(accept, "text/css"):
		return fetchctx.DestinationStyle
	case strings.Contains(accept, "font-woff"), strings.HasPrefix(accept, "font/"):
		return fetchctx.DestinationFont
	case strings.HasPrefix(accept, "audio/"):
		return fetchctx.DestinationAudio
	case strings.HasPrefix(accept, "video/"):
		return fetchctx.DestinationVideo
	case strings.EqualFold(reqH.Get("X-Requested-With"), "XMLHttpRequest"):
		return fetchctx.DestinationEmpty
	}
	switch {
	case strings.HasPrefix(mimeType, "image/"):
		return fetchctx.DestinationImage
	case mimeType == "text/css":
		return fetchctx.DestinationStyle
	case strings.Contains(mimeType, "javascript"), strings.Contains(mimeType, "ecmascript"):
		return fetchctx.DestinationScript
	case strings.HasPrefix(mimeType, "font/"), strings.Contains(mimeType, "font-"), strings.Contains(mimeType, "woff"):
		return fetchctx.DestinationFont
	case strings.HasPrefix(mimeType, "audio/"):
		return fetchctx.DestinationAudio
	case strings.HasPrefix(mimeType, "video/"):
		return fetchctx.DestinationVideo
	case mimeType == "text/vtt":
		return fetchctx.DestinationTrack
	case mimeType == "application/manifest+json":
		return fetchctx.DestinationManifest
	case (mimeType == "text/html" || mimeType == "application/xhtml+xml") && (accept == "" || strings.Contains(accept, "html")):
		return fetchctx.DestinationDocument
	}
	return fetchctx.DestinationEmpty
}

// inferMode returns the request's mode: Sec-Fetch-Mode when the browser
// sent it, else what the destination implies, else cors when a GET carries
// an Origin header (browsers send one on a GET only in cors mode).
func inferMode(d fetchctx.Destination, e *harEntry, reqH http.Header, from origin.Origin, u fetchctx.URL) fetchctx.Mode {
	if m, err := fetchctx.ParseMode(strings.ToLower(strings.TrimSpace(reqH.Get("Sec-Fetch-Mode")))); err == nil {
		return m
	}
	switch {
	case d.IsNavigation():
		return fetchctx.ModeNavigate
	case d == fetchctx.DestinationFont || d == fetchctx.DestinationManifest:
		return fetchctx.ModeCORS
	case d == fetchctx.DestinationWorker || d == fetchctx.DestinationSharedWorker || d == fetchctx.DestinationServiceWorker:
		return fetchctx.ModeSameOrigin
	}
	method := e.Request.Method
	if (method == "" || method == http.MethodGet || method == http.MethodHead) && reqH.Get("Origin") != "" {
		return fetchctx.ModeCORS
	}
	if d == fetchctx.DestinationEmpty && !from.SameOrigin(u.Origin()) && method != "" && method != http.MethodGet && method != http.MethodHead {
		// fetch() and XMLHttpRequest default to cors; a cross-origin POST
		// from them carries an Origin header, as a form's does.
		if reqH.Get("Origin") != "" && !strings.HasPrefix(strings.ToLower(reqH.Get("Content-Type")), "application/x-www-form-urlencoded") {
			return fetchctx.ModeCORS
		}
	}
	return fetchctx.ModeNoCORS
}

// inferCredentials returns the credentials mode: include for navigations
// and no-cors element loads (HTML's default without a crossorigin
// attribute); for cors, include when the request carried cookies.
func inferCredentials(m fetchctx.Mode, e *harEntry, reqH http.Header) fetchctx.Credentials {
	switch m {
	case fetchctx.ModeNavigate, fetchctx.ModeNoCORS:
		return fetchctx.CredentialsInclude
	case fetchctx.ModeCORS:
		if hasCookies(e, reqH) {
			return fetchctx.CredentialsInclude
		}
	}
	return fetchctx.CredentialsSameOrigin
}

func (a *auditor) printTable(w io.Writer) {
	fmt.Fprintf(w, "HAR: %s", a.flags.file)
	if c := a.meta.Creator; c.Name != "" {
		fmt.Fprintf(w, " (%s %s)", c.Name, c.Version)
	}
	fmt.Fprintf(w, ", %d entries\n", a.entries)
	for _, id := range a.order {
		p := a.pages[id]
		name := id
		if name == "" {
			name = "(no pageref)"
		}
		from := p.origin
		switch {
		case a.flags.from.IsValid():
			from = a.flags.from
			fmt.Fprintf(w, "page %s: from %s (--from)\n", name, from)
		case p.origin.IsValid():
			coep := "no Cross-Origin-Embedder-Policy"
			if p.coep != "" {
				coep = "Cross-Origin-Embedder-Policy: " + p.coep
			}
			if p.coepRO != "" {
				coep += ", Cross-Origin-Embedder-Policy-Report-Only: " + p.coepRO
			}
			fmt.Fprintf(w, "page %s: %s, from %s (main document; it serves %s)\n", name, p.mainURL, p.origin, coep)
		default:
			fmt.Fprintf(w, "page %s: no main document found (pass --from)\n", name)
		}
		if from.IsValid() && !from.IsPotentiallyTrustworthy() {
			fmt.Fprintf(w, "  note: %s is not a secure context, and browsers ignore COEP there: this is what would break over https\n", from)
		}
	}
	fmt.Fprintf(w, "audit: Cross-Origin-Embedder-Policy: %s\n\n", a.flags.policy)

	if len(a.rows) > 0 {
		multi := len(a.order) > 1
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		if multi {
			fmt.Fprint(tw, "PAGE\t")
		}
		fmt.Fprintln(tw, "URL\tDESTINATION\tVERDICT\tREASON\tFIX")
		fixWidth := a.fixWidth(multi)
		for _, r := range a.rows {
			verdict := r.verdict
			if r.already {
				verdict += "*"
			}
			lead := fmt.Sprintf("%s\t%s\t%s\t%s\t", r.url, r.dest, verdict, r.reason)
			if multi {
				lead = r.page + "\t" + lead
			}
			for i, line := range wrapText(r.fix, fixWidth) {
				if i > 0 {
					lead = strings.Repeat("\t", strings.Count(lead, "\t"))
				}
				fmt.Fprintf(tw, "%s%s\n", lead, line)
			}
		}
		tw.Flush()
		if a.already > 0 {
			fmt.Fprintln(w, "* blocked without COEP too: broken today")
		}
		fmt.Fprintln(w)
	}
	if len(a.undecided) > 0 {
		fmt.Fprintln(w, "Undecided: opaque response blocking needs the body, and the HAR holds no (whole) body for:")
		for _, u := range a.undecided {
			fmt.Fprintf(w, "\t%s\n", u)
		}
		fmt.Fprintln(w)
	}
	if len(a.noCreds) > 0 {
		fmt.Fprintf(w, "Load under %s, but without the cookies they carried here:\n", a.flags.policy)
		for _, u := range a.noCreds {
			fmt.Fprintf(w, "\t%s\n", u)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, a.summary())
}

func (a *auditor) summary() string {
	b, s := a.count[verdictBlocked], a.count[verdictStripped]
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d subresources under %s: ", a.subres, a.flags.policy)
	if b+s == 0 {
		sb.WriteString("none would break")
	} else {
		fmt.Fprintf(&sb, "%d would break (%d blocked, %d stripped", b+s, b, s)
		if a.already > 0 {
			fmt.Fprintf(&sb, "; %d of them already without COEP", a.already)
		}
		sb.WriteString(")")
	}
	fmt.Fprintf(&sb, ", %d allowed", a.count[verdictAllowed])
	if n := a.count[verdictUndecided]; n > 0 {
		fmt.Fprintf(&sb, ", %d undecided (no whole body in the HAR)", n)
	}
	fmt.Fprintf(&sb, ", %d not checked, %d without a response", a.count[verdictNotChecked], a.count[verdictNoResponse])
	return sb.String()
}

// chromeBlockFix returns, for the error Chrome recorded for a request it
// blocked on its response (net::ERR_BLOCKED_BY_RESPONSE.NotSameSite,
// net::ERR_BLOCKED_BY_ORB, ...), a fix; false for any other error (a name
// that did not resolve, a request an extension blocked, ...).
func chromeBlockFix(errText string, req *fetchctx.Request) (string, bool) {
	u := req.URLs[len(req.URLs)-1]
	corpFix := "serve Cross-Origin-Resource-Policy: cross-origin"
	if corpSameSite(req.Origin, u.Origin()) {
		corpFix = "serve Cross-Origin-Resource-Policy: same-site (same-site suffices)"
	}
	switch {
	case errText == "net::ERR_BLOCKED_BY_ORB":
		return orbFix(req.Destination, enforce.StepNone), true
	case !strings.HasPrefix(errText, "net::ERR_BLOCKED_BY_RESPONSE"):
		return "", false
	case req.Destination.IsNavigation():
		return corpFix + " on the framed document, and Cross-Origin-Embedder-Policy: require-corp (or credentialless)", true
	case strings.Contains(errText, "NotSameSite"):
		return "serve Cross-Origin-Resource-Policy: cross-origin", true
	case strings.Contains(errText, "Coep") && canLoadWithCORS(req.Destination):
		return corpFix + ", or load it with CORS", true
	}
	return corpFix, true
}

// fixWidth is the width the fix column may take on a terminal of a.width
// columns, after the other columns; 0 for no limit.
func (a *auditor) fixWidth(multi bool) int {
	if a.width <= 0 {
		return 0
	}
	const pad = 2 // the tabwriter's padding
	w := [5]int{len("PAGE"), len("URL"), len("DESTINATION"), len("VERDICT"), len("REASON")}
	for _, r := range a.rows {
		verdict := len(r.verdict)
		if r.already {
			verdict++
		}
		w[0], w[1], w[2], w[3], w[4] = max(w[0], len(r.page)), max(w[1], len(r.url)), max(w[2], len(r.dest)), max(w[3], verdict), max(w[4], len(r.reason))
	}
	used := w[1] + w[2] + w[3] + w[4] + 4*pad
	if multi {
		used += w[0] + pad
	}
	// However narrow the terminal, a fix stays readable.
	return max(a.width-used, 30)
}

// wrapText splits s into lines of at most width bytes at spaces (a word
// longer than width gets a line of its own); width 0 keeps s whole.
func wrapText(s string, width int) []string {
	if width <= 0 || len(s) <= width {
		return []string{s}
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}
