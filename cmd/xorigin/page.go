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

	"golang.org/x/net/html"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/htmlscan"
)

const pageUsage = `usage: xorigin page [flags] URL

Page navigates to URL as a browser tab would (a top-level navigation the
user started), builds the document's client from the response (its origin,
opaque under a CSP sandbox, and its Cross-Origin-Embedder-Policy, taken only
in a secure context), parses the HTML, derives each subresource's request
from its element as HTML does (img and srcset, picture, scripts classic and
module, link stylesheet, preload, modulepreload, icon and manifest, audio,
video, source, track, poster, input type=image, iframe, frame, object,
embed; url() images, @font-face fonts and @import sheets of <style>
elements and style attributes), fetches each once through the engine's
http.RoundTripper, and prints what a browser would load and what it would
block, with the reason, the hop and a fix. Then, three levels deep, it does
the same for what each allowed style sheet references (relative to the
sheet, made by the page) and for each allowed frame's document (under the
frame's own origin and embedder policy). It is the live counterpart of
"xorigin har".

It exits 0 when nothing would break, 1 when something would (blocked or
stripped), and 2 on usage or network errors (the page itself failing to
load). On a terminal, a progress line is drawn on standard error when the
page takes more than a second.

Flags may come before or after URL.

The flags are:

	--coep VALUE
		decide under this Cross-Origin-Embedder-Policy instead of the
		page's own, as require-corp, credentialless or
		'require-corp; report-to="main"': what would break if the page
		served it.
	--coep-report-only VALUE
		with --coep, the Cross-Origin-Embedder-Policy-Report-Only value.
	--parallel N
		fetch at most N subresources at once (default 4).
	--resolve HOST:PORT:ADDR
		connect to ADDR for HOST on PORT, as curl does; ADDR may carry a
		port. Repeatable.
	--cacert FILE
		trust only the PEM certificates in FILE for https.
	--timeout DURATION
		give up on the whole page after DURATION (default 60s).
	--json
		print one JSON object per subresource, one per line.

For example, what a page's own elements would lose under require-corp:

	xorigin page https://app.example.com/ --coep require-corp
`

// pageFlags are page's parsed arguments.
type pageFlags struct {
	url      string
	net      netConfig
	coep     *fetchctx.EmbedderPolicy // nil: the page's own
	parallel int
	jsonOut  bool
}

func parsePageFlags(args []string, stdout, stderr io.Writer) (*pageFlags, int) {
	fl := newFlagSet("page")
	var (
		coep     = fl.String("coep", "", "")
		coepRO   = fl.String("coep-report-only", "", "")
		parallel = fl.Int("parallel", 4, "")
		cacert   = fl.String("cacert", "", "")
		timeout  = fl.Duration("timeout", 60*time.Second, "")
		jsonOut  = fl.Bool("json", false, "")
		resolves stringList
	)
	fl.Var(&resolves, "resolve", "")
	pos, code, ok := parseArgs(fl, pageUsage, args, stdout, stderr)
	if !ok {
		return nil, code
	}
	bad := func(format string, a ...any) (*pageFlags, int) {
		fmt.Fprintf(stderr, "xorigin page: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'xorigin help page' for usage.")
		return nil, 2
	}
	if len(pos) != 1 {
		return bad("want one URL, got %d", len(pos))
	}
	p := &pageFlags{url: pos[0], parallel: *parallel, jsonOut: *jsonOut}
	u, err := fetchctx.ParseURL(p.url)
	if err != nil {
		return bad("%v", err)
	}
	if !u.IsHTTP() {
		return bad("%s: only http and https URLs can be fetched", p.url)
	}
	if p.parallel < 1 {
		return bad("--parallel must be at least 1")
	}
	if *coep != "" || *coepRO != "" {
		pol, err := parsePagePolicy(*coep, *coepRO)
		if err != nil {
			return bad("%v", err)
		}
		p.coep = &pol
	}
	p.net = netConfig{resolve: resolveMap{}, caCert: *cacert, timeout: *timeout}
	for _, r := range resolves {
		k, a, err := parseResolve(r)
		if err != nil {
			return bad("%v", err)
		}
		p.net.resolve[k] = a
	}
	return p, 0
}

// pageRow is one subresource's outcome, and its JSON form.
type pageRow struct {
	Page        string `json:"page"`
	URL         string `json:"url"`
	Element     string `json:"element"`
	Attribute   string `json:"attribute"`
	Destination string `json:"destination"`
	Mode        string `json:"mode"`
	Credentials string `json:"credentials"`
	Verdict     string `json:"verdict"`
	Reason      string `json:"reason,omitempty"`
	Why         string `json:"why,omitempty"`
	Step        string `json:"step,omitempty"`
	Hop         *int   `json:"hop,omitempty"` // the hop that decided a block
	Fix         string `json:"fix,omitempty"`
	Error       string `json:"error,omitempty"`
}

func pageCmd(args []string, stdout, stderr io.Writer) int {
	p, code := parsePageFlags(args, stdout, stderr)
	if p == nil {
		return code
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.net.timeout)
	defer cancel()
	var progress io.Writer
	if isTerminal(stderr) {
		progress = stderr
	}
	head, rows, err := p.run(ctx, progress)
	if err != nil {
		fmt.Fprintf(stderr, "xorigin page: %v\n", err)
		return 2
	}
	if p.jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, r := range rows {
			enc.Encode(r)
		}
	} else {
		printPage(stdout, head, rows)
	}
	for _, r := range rows {
		if breaks(r.Verdict) {
			return 1
		}
	}
	return 0
}

// pageHead describes the page itself.
type pageHead struct {
	URL, Origin, Policy string
	Status              int
	Proposed            bool // the policy is --coep's
	Secure              bool
}

// recorderKey is the context key of a fetch's own recorder.
type recorderKey struct{}

// routedRecorder passes each request to the recorder its context carries,
// so that concurrent fetches through one Transport (one preflight cache)
// each record their own hops.
type routedRecorder struct{ base http.RoundTripper }

func (r routedRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if rec, ok := req.Context().Value(recorderKey{}).(*recorder); ok {
		return rec.RoundTrip(req)
	}
	return r.base.RoundTrip(req)
}

// job is one subresource to fetch.
type job struct {
	doc  *enforce.Document // the document that makes the request
	page string            // the document's URL, or the style sheet's for its references
	el   string
	attr string
	req  *fetchctx.Request
	url  string // as written, for a URL that did not parse
	err  error
	// sandbox is an iframe's sandbox attribute, nil without one.
	sandbox *string
}

// fetched is what a fetch hands the next round: the body of an allowed
// style sheet (whose references are subresources too), and the document an
// allowed frame navigation creates (whose elements are).
type fetched struct {
	sheet    []byte
	sheetURL string
	frame    *enforce.Document
	frameDoc *html.Node
}

// maxRounds bounds how deep page follows: the page's elements, then the
// references of the sheets and the elements of the frames they load, and
// so on, three levels below the page.
const maxRounds = 4

// bodyLimit bounds a style sheet or framed document page reads.
const bodyLimit = 8 << 20

// run navigates, derives the subresources' requests and fetches them.
func (p *pageFlags) run(ctx context.Context, progress io.Writer) (pageHead, []pageRow, error) {
	var head pageHead
	base, err := baseTransport(p.net)
	if err != nil {
		return head, nil, err
	}
	defer base.CloseIdleConnections()
	client := &http.Client{
		Transport: enforce.NewTransport(enforce.TransportConfig{Base: routedRecorder{base}, FetchMetadata: true}),
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > 20 {
				return errTooManyRedirects
			}
			return nil
		},
	}
	nav, err := enforce.NavigationRequest(ctx, p.url)
	if err != nil {
		return head, nil, err
	}
	resp, err := client.Do(nav)
	if err != nil {
		return head, nil, err
	}
	defer resp.Body.Close()
	doc, err := enforce.NewDocument(resp, nil)
	if err != nil {
		return head, nil, err
	}
	root, err := html.Parse(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return head, nil, fmt.Errorf("%s: %w", p.url, err)
	}
	if href, ok := htmlscan.BaseHref(root); ok {
		if doc, err = doc.WithBaseURL(href); err != nil {
			return head, nil, err
		}
	}
	if p.coep != nil {
		doc = doc.WithEmbedderPolicy(*p.coep)
	}
	u := doc.URL()
	pol := doc.EmbedderPolicy()
	head = pageHead{URL: u.String(), Origin: doc.Origin().String(), Status: resp.StatusCode,
		Policy: policyText(pol.Value, pol.ReportingEndpoint), Proposed: p.coep != nil, Secure: doc.IsSecureContext()}

	// Round by round: the page's elements and inline styles, then what
	// the allowed style sheets reference and what the allowed frames'
	// documents load. Each request is fetched once per key (two <img> of
	// one URL are one fetch).
	seen := map[fetchctx.Key]bool{}
	jobs := documentJobs(doc, root, seen)
	var rows []pageRow
	var mu sync.Mutex
	finished, total := 0, len(jobs)
	stop := startProgress(progress, func() string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprintf("xorigin page: %d of %d subresources", finished, total)
	})
	defer stop()
	for round := 0; len(jobs) > 0 && round < maxRounds; round++ {
		results := make([]pageRow, len(jobs))
		next := make([]fetched, len(jobs))
		var done sync.WaitGroup
		sem := make(chan struct{}, p.parallel)
		for i := range jobs {
			done.Add(1)
			sem <- struct{}{}
			go func() {
				defer done.Done()
				defer func() { <-sem }()
				results[i], next[i] = p.fetch(ctx, client, base, &jobs[i])
				mu.Lock()
				finished++
				mu.Unlock()
			}()
		}
		done.Wait()
		rows = append(rows, results...)
		var more []job
		for i, f := range next {
			switch {
			case f.frame != nil:
				more = append(more, documentJobs(f.frame, f.frameDoc, seen)...)
			case f.sheet != nil:
				more = append(more, styleJobs(jobs[i].doc, f.sheetURL, f.sheet, seen)...)
			}
		}
		jobs = more
		mu.Lock()
		total += len(more)
		mu.Unlock()
	}
	return head, rows, nil
}

// documentJobs returns the fetches of doc's elements and inline styles
// not in seen (which it updates).
func documentJobs(doc *enforce.Document, root *html.Node, seen map[fetchctx.Key]bool) []job {
	page := doc.URL()
	var jobs []job
	// add appends the job for r, reporting whether it did.
	add := func(el, attr string, r fetchctx.Request, raw, pageURL string, d *enforce.Document) bool {
		req, err := d.Request(r, raw)
		if err != nil {
			jobs = append(jobs, job{doc: d, page: pageURL, el: el, attr: attr, url: raw, err: err})
			return false
		}
		if seen[req.Key()] {
			return false
		}
		seen[req.Key()] = true
		jobs = append(jobs, job{doc: d, page: pageURL, el: el, attr: attr, req: req, url: req.URLs[0].String()})
		return true
	}
	for _, el := range htmlscan.Elements(root) {
		loads, err := el.Loads()
		if err != nil {
			continue // an element that fetches nothing
		}
		for _, l := range loads {
			added := add(strings.ToLower(el.Tag), l.Attr, l.Request, l.URL, page.String(), doc)
			if v, ok := el.Attr("sandbox"); ok && added && l.Request.Destination == fetchctx.DestinationIFrame {
				jobs[len(jobs)-1].sandbox = &v
			}
		}
	}
	for _, css := range htmlscan.Styles(root) {
		for _, ref := range htmlscan.StyleRefs(css) {
			add("style", "url()", ref.Request, ref.URL, page.String(), doc)
		}
	}
	return jobs
}

// styleJobs returns the fetches a style sheet at sheetURL, loaded by doc,
// references: made by doc, their URLs relative to the sheet's (CSS Values
// 4, relative URLs).
func styleJobs(doc *enforce.Document, sheetURL string, sheet []byte, seen map[fetchctx.Key]bool) []job {
	sdoc, err := doc.WithBaseURL(sheetURL)
	if err != nil {
		return nil
	}
	var jobs []job
	for _, ref := range htmlscan.StyleRefs(sheet) {
		req, err := sdoc.Request(ref.Request, ref.URL)
		if err != nil {
			jobs = append(jobs, job{doc: doc, page: sheetURL, el: "css", attr: "url()", url: ref.URL, err: err})
			continue
		}
		if seen[req.Key()] {
			continue
		}
		seen[req.Key()] = true
		jobs = append(jobs, job{doc: doc, page: sheetURL, el: "css", attr: "url()", req: req, url: req.URLs[0].String()})
	}
	return jobs
}

// startProgress draws line() on w every 200ms once a second has passed,
// until the returned function is called, which erases it. A nil w draws
// nothing.
func startProgress(w io.Writer, line func() string) (stop func()) {
	if w == nil {
		return func() {}
	}
	quit, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		drawn := false
		start := time.Now()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				if drawn {
					fmt.Fprintf(w, "\r%s\r", strings.Repeat(" ", 72))
				}
				return
			case <-tick.C:
				if time.Since(start) > time.Second {
					fmt.Fprintf(w, "\r%-72s", line())
					drawn = true
				}
			}
		}
	}()
	return func() {
		close(quit)
		<-exited
	}
}

// fetch fetches one subresource, explains the outcome, and returns what
// the next round needs of it.
func (p *pageFlags) fetch(ctx context.Context, client *http.Client, base http.RoundTripper, j *job) (row pageRow, next fetched) {
	doc := j.doc
	row = pageRow{Page: j.page, URL: j.url, Element: j.el, Attribute: j.attr}
	if j.err != nil {
		row.Verdict, row.Error = verdictError, j.err.Error()
		return row, next
	}
	r := j.req
	row.Destination, row.Mode, row.Credentials = r.Destination.String(), r.Mode.String(), r.Credentials.String()
	if !r.URLs[0].IsHTTP() {
		row.Verdict, row.Why = verdictNotChecked, "not an http or https URL"
		return row, next
	}
	rec := &recorder{base: base}
	hr, err := doc.NewRequest(context.WithValue(ctx, recorderKey{}, rec), r, nil)
	if err != nil {
		row.Verdict, row.Error = verdictError, err.Error()
		return row, next
	}
	resp, err := client.Do(hr)
	var v enforce.Verdict
	var blocked *enforce.BlockedError
	switch {
	case err == nil:
		d, _ := enforce.DeliveryOf(resp)
		v = d.Verdict
		next = followUp(resp, j, v)
		io.Copy(io.Discard, io.LimitReader(resp.Body, captureLimit))
		resp.Body.Close()
	case errors.As(err, &blocked):
		v = blocked.Verdict
	default:
		row.Verdict, row.Error = verdictError, err.Error()
		return row, next
	}
	// The chain as it came off the network, to explain the verdict.
	req := *r
	req.URLs = nil
	var hops []enforce.Response
	var preflight *enforce.Response
	for _, h := range rec.recorded() {
		resp, _ := enforce.ParseResponse(h.Status, h.Header)
		resp.Body, resp.BodyComplete = h.Body, h.BodyComplete
		if h.Preflight {
			preflight = &resp
			continue
		}
		u, err := fetchctx.ParseURL(h.URL)
		if err != nil {
			row.Verdict, row.Error = verdictError, err.Error()
			return row, next
		}
		req.URLs = append(req.URLs, u)
		hops = append(hops, resp)
	}
	if blocked != nil && v.Hop >= len(hops) {
		// Blocked before it was sent: the URL list ends with it.
		if u, err := fetchctx.ParseURL(blocked.URL); err == nil {
			req.URLs = append(req.URLs, u)
			hops = append(hops, enforce.Response{})
			v.Hop = len(hops) - 1
		}
	}
	o := judge(&req, preflight, hops, v)
	row.Verdict, row.Reason, row.Why, row.Fix = o.Verdict, o.Reason, o.Why, o.Fix
	if breaks(o.Verdict) {
		hop := v.Hop
		row.Hop, row.Step = &hop, v.Step.String()
	}
	return row, next
}

// followUp reads what the next round needs of an allowed response: a
// style sheet's body, or a frame's document.
func followUp(resp *http.Response, j *job, v enforce.Verdict) fetched {
	if !v.Allows() {
		return fetched{}
	}
	doc, r := j.doc, j.req
	switch {
	case r.Destination == fetchctx.DestinationStyle:
		b, err := io.ReadAll(io.LimitReader(resp.Body, bodyLimit))
		if err != nil {
			return fetched{}
		}
		d, _ := enforce.DeliveryOf(resp)
		return fetched{sheet: b, sheetURL: d.URLs[len(d.URLs)-1].String()}
	case r.Destination == fetchctx.DestinationIFrame || r.Destination == fetchctx.DestinationFrame:
		frame, err := enforce.NewDocument(resp, doc)
		if err != nil {
			return fetched{}
		}
		if j.sandbox != nil {
			frame = frame.WithIFrameSandbox(*j.sandbox)
		}
		root, err := html.Parse(io.LimitReader(resp.Body, bodyLimit))
		if err != nil {
			return fetched{}
		}
		if href, ok := htmlscan.BaseHref(root); ok {
			if frame, err = frame.WithBaseURL(href); err != nil {
				return fetched{}
			}
		}
		return fetched{frame: frame, frameDoc: root}
	}
	return fetched{}
}

func printPage(w io.Writer, h pageHead, rows []pageRow) {
	src := "the page's own"
	if h.Proposed {
		src = "proposed by --coep"
	}
	secure := ""
	if !h.Secure {
		secure = "; not a secure context, so the page's own COEP headers are ignored"
	}
	fmt.Fprintf(w, "page %s (%d), origin %s, COEP %s (%s%s)\n\n", h.URL, h.Status, h.Origin, h.Policy, src, secure)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "URL\tELEMENT\tDESTINATION\tVERDICT\tREASON\tHOP\tFIX")
	var broken, blocked, stripped, allowed, other int
	for _, r := range rows {
		hop, reason := "", r.Reason
		if breaks(r.Verdict) {
			broken++
		}
		if r.Hop != nil {
			hop = fmt.Sprint(*r.Hop)
		}
		switch r.Verdict {
		case verdictBlocked:
			blocked++
		case verdictStripped:
			stripped++
		case verdictAllowed:
			allowed++
		default:
			other++
			reason = r.Error + r.Why
		}
		fmt.Fprintf(tw, "%s\t<%s %s>\t%s\t%s\t%s\t%s\t%s\n", r.URL, r.Element, r.Attribute, orQuoted(r.Destination), r.Verdict, reason, hop, r.Fix)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d subresources: %d would break (%d blocked, %d stripped), %d allowed, %d not checked or failed\n",
		len(rows), broken, blocked, stripped, allowed, other)
}
