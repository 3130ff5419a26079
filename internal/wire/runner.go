package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/conformance"
)

// Outcome is the result of running one case over the wire.
type Outcome struct {
	Case *conformance.Case
	// Pass: the Transport agreed with the engine (verdict, reports, body,
	// what was sent) and met the case's expectation.
	Pass bool
	// Engine is the engine's run of the case on the hops as listed.
	Engine conformance.Outcome
	// Got is what the Transport gave: {Result: Allowed} for a response
	// with the body, {Result: Stripped} for one with neither body nor
	// headers, a *enforce.BlockedError's Verdict, or the zero Verdict
	// (Undecided) for any other error, which Err then holds.
	Got enforce.Verdict
	Err error
	// Body is the body of a response the Transport let through.
	Body []byte
	// Reports are the reports the Transport queued (its OnReport), in
	// fixture form.
	Reports []conformance.Report
	// Traffic is what the case's server received, in order.
	Traffic []Received
	// Inexpressible, when not empty, says why the case cannot be served
	// over the wire as written; the case then fails without being run.
	Inexpressible string
	// Problem explains a failure (several, joined by "; "); Diff, when not
	// empty, is a go-cmp diff of reports (-want +got).
	Problem string
	Diff    string
}

// Runner runs fixture cases through enforce.Transport, each against its
// own Server, and compares what comes back with the engine's decision on
// the same case and with the case's expectation. It is safe for concurrent
// use: cases share nothing but the engines.
type Runner struct {
	conf *conformance.Runner
	// Timeout bounds one case's fetch; zero means 30 seconds.
	Timeout time.Duration
}

// NewRunner returns a Runner whose engines follow profile.
func NewRunner(profile enforce.Profile) *Runner {
	return &Runner{conf: conformance.NewRunner(profile)}
}

// maxBody bounds the body the runner reads from an allowed response.
const maxBody = 64 << 20

// Run serves c's hops and preflight answer, fetches c's request through a
// new Transport whose engine has c's checks and the runner's profile, and
// compares. The request context is the case's fetchctx.Request as
// conformance.Load built it (the Transport rebuilds the URL list from the
// redirects it sees); the fetch carries the case's method and request
// headers, and a cookie for every URL (from a jar, as a browser's), so
// that the runner can check which hops were sent credentials.
func (r *Runner) Run(ctx context.Context, c *conformance.Case) Outcome {
	out := Outcome{Case: c, Engine: r.conf.Run(c)}
	if why := inexpressible(c); why != "" {
		out.Inexpressible = why
		out.Problem = "cannot be expressed over the wire: " + why
		return out
	}
	routes := make([]Route, len(c.Served))
	for i, s := range c.Served {
		routes[i] = Route{URL: s.URL, Response: Response{Status: s.Status, Header: s.Header, Body: s.Body}}
	}
	cfg := Config{Routes: routes}
	if p := c.ServedPreflight; p != nil {
		cfg.Preflight = &Response{Status: p.Status, Header: p.Header, Body: p.Body}
	}
	srv, err := NewServer(cfg)
	if err != nil {
		var re *RouteError
		if errors.As(err, &re) {
			out.Inexpressible = re.Msg
			if re.Route >= 0 {
				out.Inexpressible = fmt.Sprintf("responses[%d]: %s", re.Route, re.Msg)
			}
			out.Problem = "cannot be expressed over the wire: " + out.Inexpressible
		} else {
			out.Problem = "wire server: " + err.Error()
		}
		return out
	}
	defer srv.Close()

	var reports []enforce.Report
	var mu sync.Mutex
	tr := enforce.NewTransport(enforce.TransportConfig{
		// The engine's verdict is on the response as it arrives; what
		// script reads of an allowed one (Fetch's filtered response) is
		// the Transport's next step, tested apart.
		Unfiltered: true,
		Base:       srv.Transport(),
		Engine:     r.conf.Engine(c.Gates),
		// A case's requestIncludesCredentials is what a service worker's
		// response would carry: the Base says it for the hop that answered
		// (the last one the server logged; a case's requests are
		// sequential).
		ResponseCredentials: func(*http.Response) enforce.CredentialsOverride {
			rec := srv.Received()
			for k := len(rec) - 1; k >= 0; k-- {
				if r := rec[k].Route; r >= 0 && !rec[k].Preflight {
					if ic := c.Served[r].IncludesCredentials; ic != nil {
						if *ic {
							return enforce.WithCredentials
						}
						return enforce.WithoutCredentials
					}
					break
				}
			}
			return enforce.DeriveCredentials
		},
		// Every hop is served from a loopback address; the space each
		// hop's connection reached is the case's (responses[].addressSpace,
		// or the one its URL's host names), as a resolver would answer.
		AddressSpace: func(_ *fetchctx.Request, i int, _ netip.Addr) fetchctx.AddressSpace {
			if i < 0 || i >= len(c.Hops) {
				return fetchctx.AddressSpaceUnknown
			}
			if s := c.Hops[i].AddressSpace; s != fetchctx.AddressSpaceUnknown {
				return s
			}
			return fetchctx.AddressSpaceOfHost(c.Request.URLs[i].Origin().Host())
		},
		OnReport: func(_ context.Context, rep enforce.Report) {
			mu.Lock()
			reports = append(reports, rep)
			mu.Unlock()
		},
	})
	client := &http.Client{
		Transport: tr,
		Jar:       everyURLJar{},
		// The engine counts redirects (Fetch: 20); the client must not
		// stop first.
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) > 64 {
				return errors.New("wire: more than 64 redirects")
			}
			return nil
		},
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fr := c.Request // a copy: the Transport reads it, never writes it
	fr.URLs = nil   // the Transport builds the URL list from the redirects
	method := fr.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(fetchctx.NewContext(ctx, &fr), method, c.URL, nil)
	if err != nil {
		out.Inexpressible = fmt.Sprintf("net/http cannot send request.url %q with method %q: %v", c.URL, method, err)
		out.Problem = "cannot be expressed over the wire: " + out.Inexpressible
		return out
	}
	for name, vals := range c.Request.Header {
		req.Header[name] = append([]string(nil), vals...)
	}
	resp, err := client.Do(req)
	var be *enforce.BlockedError
	switch {
	case err == nil:
		out.Body, out.Err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
		out.Got = enforce.Verdict{Result: enforce.Allowed}
		if len(out.Body) == 0 && len(resp.Header) == 0 && resp.ContentLength == 0 {
			// What strip leaves: no body, no header, a known length of 0
			// (a response served with no header has an unknown length).
			out.Got.Result = enforce.Stripped
		}
	case errors.As(err, &be):
		out.Got, out.Err = be.Verdict, err
	default:
		out.Err = err
	}
	mu.Lock()
	out.Reports = conformance.ToFixture(reports)
	mu.Unlock()
	srv.Close() // every connection has ended: the traffic is complete
	out.Traffic = srv.Received()
	r.compare(&out, resp)
	return out
}

// compare fills out.Pass, Problem and Diff.
func (r *Runner) compare(out *Outcome, resp *http.Response) {
	c := out.Case
	e := &out.Engine
	var problems []string
	// The Transport and the engine.
	if d := agree(e.Verdict, out, c); d != "" {
		problems = append(problems, d)
	}
	if d := cmp.Diff(orEmpty(e.Reports), orEmpty(out.Reports)); d != "" {
		problems = append(problems, "the Transport's reports differ from the engine's (diff: -engine +Transport)")
		out.Diff = d
	}
	if e.Verdict.Result == enforce.Allowed && out.Got.Result == enforce.Allowed {
		last := c.Served[len(c.Served)-1]
		if !bytes.Equal(out.Body, last.Body) {
			problems = append(problems, "the body differs: "+bodyDiff(last.Body, out.Body))
		}
		if resp.StatusCode != last.Status {
			problems = append(problems, fmt.Sprintf("status %d, want the last hop's %d", resp.StatusCode, last.Status))
		}
		for _, h := range last.Header {
			if strings.EqualFold(h[0], "Set-Cookie") {
				continue // hidden from responses to requests without credentials
			}
			if _, ok := resp.Header[http.CanonicalHeaderKey(h[0])]; !ok {
				problems = append(problems, fmt.Sprintf("header %s is missing from the response", h[0]))
				break
			}
		}
	}
	problems = append(problems, r.checkTraffic(out)...)
	// The case's expectation.
	got := "allowed"
	if out.Got.Result != enforce.Allowed {
		got = "blocked"
	}
	if got != c.Expect.Result {
		problems = append(problems, fmt.Sprintf("expected %s, got %s", c.Expect.Result, Describe(out)))
	} else if want := c.Expect.Reports; want != nil {
		if d := cmp.Diff(orEmpty(*want), orEmpty(out.Reports)); d != "" {
			problems = append(problems, fmt.Sprintf("result %s as expected, but the reports differ", got))
			if out.Diff == "" {
				out.Diff = d
			}
		}
	}
	out.Problem = strings.Join(problems, "; ")
	out.Pass = len(problems) == 0
}

// agree compares the Transport's answer with the engine's verdict v: the
// same result, and for a block the same reason, step and hop.
func agree(v enforce.Verdict, out *Outcome, c *conformance.Case) string {
	g := out.Got
	switch v.Result {
	case enforce.Allowed, enforce.Stripped:
		if g.Result == v.Result {
			return ""
		}
	default:
		if g.Result == enforce.Blocked && g.Reason == v.Reason && g.Hop == v.Hop && g.Step == v.Step {
			return ""
		}
		// The engine's "no answer to the preflight" is a network error:
		// the server closes the preflight's connection unanswered.
		if v.Reason == enforce.ReasonCORSPreflightNoAnswer && c.ServedPreflight == nil && out.Err != nil && g.Result == enforce.Undecided {
			return ""
		}
	}
	return fmt.Sprintf("the Transport disagrees with the engine: engine %s, Transport %s", describeVerdict(v), Describe(out))
}

// checkTraffic compares what the server received with what the engine's
// decision implies was sent: every hop up to the deciding one requested
// once, none after it, none at all for a hop blocked before sending; a
// preflight exactly where the engine needs one; a cookie exactly where the
// request includes credentials (never on a preflight); the initiator's
// Authorization header until a redirect to another origin.
func (r *Runner) checkTraffic(out *Outcome) []string {
	c := out.Case
	v := out.Engine.Verdict
	e := r.conf.Engine(c.Gates)
	req := c.Request
	last := len(c.Hops) - 1
	if !v.Allows() {
		last = min(v.Hop, last)
	}
	sentLast := true // whether the engine lets hop last's request go out
	if !v.Allows() && v.Hop == last {
		// Local Network Access blocks on the connection, before the
		// request (or its preflight) is written to it.
		sentLast = e.CheckRequest(&req, last).Allows() && v.Step != enforce.StepCORSPreflight &&
			v.Step != enforce.StepLocalNetworkSecureContext && v.Step != enforce.StepLocalNetworkPermission &&
			v.Step != enforce.StepLocalNetworkTarget
	}
	var problems []string
	requests := make([]int, len(c.Hops))
	preflights := map[string]int{}
	for _, rec := range out.Traffic {
		switch {
		case rec.Preflight:
			preflights[rec.URL]++
			if rec.Header.Get("Cookie") != "" {
				problems = append(problems, fmt.Sprintf("the preflight to %s carried a cookie", rec.URL))
			}
		case rec.Route < 0:
			problems = append(problems, fmt.Sprintf("%s %s matched no hop", rec.Method, rec.URL))
		default:
			i := rec.Route
			requests[i]++
			wantCookie := i <= last && req.IncludesCredentials(i)
			if hasCookie := strings.Contains(rec.Header.Get("Cookie"), jarCookie); hasCookie != wantCookie {
				problems = append(problems, fmt.Sprintf("hop %d was sent with cookie %v, want %v (credentials)", i, hasCookie, wantCookie))
			}
			if auth := req.Header.Get("Authorization"); auth != "" && rec.Header.Get("Authorization") != auth == keepsAuthorization(&req, i) {
				problems = append(problems, fmt.Sprintf("hop %d was sent with the initiator's Authorization %v, want %v (Fetch sends it until a redirect to another origin: HTTP-redirect fetch, step 13)",
					i, rec.Header.Get("Authorization") == auth, keepsAuthorization(&req, i)))
			}
		}
	}
	for i, n := range requests {
		want := 0
		if i < last || i == last && sentLast {
			want = 1
		}
		if n != want {
			problems = append(problems, fmt.Sprintf("hop %d was requested %d times, want %d", i, n, want))
		}
	}
	// Preflights: per URL, as the Transport's cache keys them.
	need := map[string]bool{}
	reached := map[string]bool{}
	for i := 0; i <= last; i++ {
		if i == last && !sentLast && v.Step != enforce.StepCORSPreflight {
			break
		}
		k, _ := Key(c.Served[i].URL)
		reached[k] = true
		need[k] = need[k] || c.Gates&enforce.CheckCORS != 0 && e.NeedsPreflight(&req, i)
	}
	for k := range reached {
		if n := preflights[k]; need[k] != (n > 0) {
			problems = append(problems, fmt.Sprintf("%d preflights to %s, want %s", n, k, map[bool]string{true: "one", false: "none"}[need[k]]))
		}
	}
	for k, n := range preflights {
		if !reached[k] {
			problems = append(problems, fmt.Sprintf("%d preflights to %s, which the fetch never reached", n, k))
		}
	}
	return problems
}

// keepsAuthorization reports whether hop i's request still carries the
// initiator's Authorization header: HTTP-redirect fetch, step 13, removes
// it once a redirect goes to another origin than the current URL's.
func keepsAuthorization(req *fetchctx.Request, i int) bool {
	for j := 1; j <= i; j++ {
		if a, b := req.URLs[j-1].Origin(), req.URLs[j].Origin(); !a.SameOrigin(b) {
			return false
		}
	}
	return true
}

// inexpressible says why c cannot be served over the wire as written, or
// "" when it can.
func inexpressible(c *conformance.Case) string {
	for i, s := range c.Served[:len(c.Served)-1] {
		switch s.Status {
		case 301, 302, 303, 307, 308:
		default:
			return fmt.Sprintf("responses[%d]: status %d with Location is not a redirect status (Fetch: 301, 302, 303, 307, 308), so no client follows it to responses[%d]", i, s.Status, i+1)
		}
	}
	req := c.Request
	if req.Method == http.MethodHead {
		for i, s := range c.Served {
			if len(s.Body) > 0 {
				return fmt.Sprintf("responses[%d]: a response to HEAD carries no body, but this one has %d bytes", i, len(s.Body))
			}
		}
	}
	return ""
}

// Describe says in one line what the Transport gave.
func Describe(out *Outcome) string {
	switch {
	case out.Inexpressible != "":
		return "not run"
	case out.Got.Result == enforce.Allowed:
		return fmt.Sprintf("allowed (%d bytes)", len(out.Body))
	case out.Got.Result == enforce.Stripped:
		return "stripped (a response with no body and no headers)"
	case out.Got.Result == enforce.Undecided && out.Err != nil:
		return "error: " + out.Err.Error()
	}
	return describeVerdict(out.Got)
}

func describeVerdict(v enforce.Verdict) string {
	if v.Result == enforce.Allowed {
		return "allowed"
	}
	return fmt.Sprintf("%s (%s; %s; hop %d)", v.Result, v.Reason, v.Step, v.Hop)
}

func bodyDiff(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	return fmt.Sprintf("%d bytes, want %d; first difference at byte %d", len(got), len(want), i)
}

func orEmpty(r []conformance.Report) []conformance.Report {
	if r == nil {
		return []conformance.Report{}
	}
	return r
}

// jarCookie is the cookie everyURLJar gives every URL.
const jarCookie = "xorigin-wire=1"

// everyURLJar is a cookie jar with one cookie for every URL, so that each
// request the Transport lets carry credentials carries it.
type everyURLJar struct{}

var _ http.CookieJar = everyURLJar{}

func (everyURLJar) SetCookies(*url.URL, []*http.Cookie) {}

func (everyURLJar) Cookies(*url.URL) []*http.Cookie {
	return []*http.Cookie{{Name: "xorigin-wire", Value: "1"}}
}
