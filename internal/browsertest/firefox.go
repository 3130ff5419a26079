package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/xorigin/xorigin/fetchctx"
)

// DefaultFirefox is where Debian's firefox-esr package puts the browser.
const DefaultFirefox = "/usr/bin/firefox-esr"

// ErrNoFirefox is returned by Start when the Firefox binary is missing.
var ErrNoFirefox = errors.New("browsertest: firefox not found")

// firefoxPref is one preference the harness writes to the profile's
// user.js, and why.
type firefoxPref struct {
	name  string
	value any // bool, int or string
	why   string
}

// firefoxPrefs are the only preferences the harness sets; every other one
// keeps Firefox's shipping default. Firefox's remote agent, started by
// --remote-debugging-port, applies its own "recommended preferences" on
// top (remote/shared/RecommendedPreferences.sys.mjs: no updates, no
// telemetry, no captive portal or connectivity checks, no Safe Browsing
// or remote settings fetches, ...); the harness keeps those, and repeats
// the ones that would reach the network so that the list here stands
// alone.
var firefoxPrefs = []firefoxPref{
	// Firefox has no host resolver rule: every name resolves to
	// 127.0.0.1, where the loopback servers answer (netwerk/dns,
	// nsHostResolver). IP-literal hosts are not resolved: the harness
	// skips a case with any but a loopback one (expressibleFirefox).
	{"network.dns.forceResolve", "127.0.0.1", "every host name to loopback: the fixture hosts, and whatever else Firefox asks for"},
	{"network.dns.disableIPv6", true, "names resolve to 127.0.0.1 only, where the servers listen"},
	{"network.proxy.type", 0, "no system proxy: the requests go straight to the loopback servers"},
	{"network.trr.mode", 5, "no DNS over HTTPS: names go through the resolver above"},
	// The page's origin is the fixture's: no upgrade of an http: page
	// (Chromium runs with HttpsUpgrades off for the same reason).
	{"dom.security.https_first", false, "an http: page stays http: (the fixture's origin), not upgraded by HTTPS-First"},
	{"dom.security.https_first_schemeless", false, "the same, for addresses typed without a scheme"},
	// Nothing else reaches the network: each of these would (to the
	// loopback servers, after forceResolve, but as noise in the run).
	{"app.update.disabledForTesting", true, "no update checks"},
	{"app.update.auto", false, "no update downloads"},
	{"toolkit.telemetry.server", "", "no telemetry uploads"},
	{"datareporting.policy.dataSubmissionEnabled", false, "no data submission"},
	{"datareporting.healthreport.uploadEnabled", false, "no health report"},
	{"services.settings.server", "", "no remote settings (blocklists, certificate revocation lists)"},
	{"network.captive-portal-service.enabled", false, "no captive portal checks"},
	{"network.connectivity-service.enabled", false, "no connectivity checks"},
	{"browser.safebrowsing.update.enabled", false, "no Safe Browsing list updates"},
	{"browser.safebrowsing.downloads.remote.enabled", false, "no Safe Browsing download lookups"},
	{"extensions.update.enabled", false, "no add-on update checks"},
	{"extensions.getAddons.cache.enabled", false, "no add-on metadata fetches"},
	{"browser.search.update", false, "no search engine updates"},
	{"app.normandy.enabled", false, "no Normandy studies"},
	{"browser.newtabpage.activity-stream.feeds.system.topstories", false, "no new tab page content fetches"},
	{"browser.startup.homepage_override.mstone", "ignore", "no first-run or what's-new page"},
	{"network.prefetch-next", false, "no link prefetching outside the case's requests"},
	{"network.dns.disablePrefetch", true, "no DNS prefetching"},
	{"network.http.speculative-parallel-limit", 0, "no speculative connections"},
}

// userJS writes prefs as a profile's user.js.
func userJS(prefs []firefoxPref) []byte {
	var b strings.Builder
	b.WriteString("// Written by xorigin's browser-diff (internal/browsertest/firefox.go).\n")
	for _, p := range prefs {
		var v string
		switch x := p.value.(type) {
		case bool:
			v = strconv.FormatBool(x)
		case int:
			v = strconv.Itoa(x)
		case string:
			q, _ := json.Marshal(x)
			v = string(q)
		default:
			q, _ := json.Marshal(fmt.Sprint(x))
			v = string(q)
		}
		fmt.Fprintf(&b, "// %s\nuser_pref(%q, %s);\n", p.why, p.name, v)
	}
	return []byte(b.String())
}

// firefox is a Firefox process driven over WebDriver BiDi.
type firefox struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	conn    *bidiConn
	version string

	mu    sync.Mutex
	cases map[int]*ffCase    // by case id: the network events of its URLs
	tabs  map[string]*ffCase // by browsing context: the case its page runs
}

// startFirefox launches Firefox headless with a fresh profile in dir and
// opens a BiDi session that accepts the servers' self-signed certificate.
func startFirefox(path, dir string, log io.Writer) (*firefox, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoFirefox, err)
	}
	profile := filepath.Join(dir, "profile")
	if err := os.MkdirAll(profile, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), userJS(firefoxPrefs), 0o600); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	const allowOrigin = "http://127.0.0.1"
	cmd := exec.Command(path, "--headless", "--no-remote", "--profile", profile,
		"--remote-debugging-port="+strconv.Itoa(port), "--remote-allow-origins="+allowOrigin)
	cmd.Env = append(os.Environ(), "MOZ_HEADLESS=1", "HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its content processes end with it
	if log != nil {
		cmd.Stdout, cmd.Stderr = log, log
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("browsertest: start %s: %w", path, err)
	}
	f := &firefox{cmd: cmd, exited: make(chan struct{}), cases: map[int]*ffCase{}, tabs: map[string]*ffCase{}}
	go func() { cmd.Wait(); close(f.exited) }()

	// The BiDi server listens once the browser is up: try until it does.
	url := "ws://127.0.0.1:" + strconv.Itoa(port) + "/session"
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		f.conn, err = dialBiDi(ctx, url, allowOrigin, f.event)
		cancel()
		if err == nil {
			break
		}
		select {
		case <-f.exited:
			return nil, fmt.Errorf("browsertest: %s exited before its BiDi server listened (%v)", path, cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			f.close()
			return nil, fmt.Errorf("browsertest: %s: no BiDi server at %s within a minute: %w", path, url, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := f.setup(); err != nil {
		f.close()
		return nil, fmt.Errorf("browsertest: %s: %w", path, err)
	}
	return f, nil
}

// setup opens the session: certificate errors accepted (the page stays a
// secure context: TestFirefoxSecureContext), the HTTP cache bypassed (it
// could answer a hop without asking the server), the page's result
// channel installed in every document, and the events subscribed.
func (f *firefox) setup() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var sess struct {
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{"acceptInsecureCerts": true}}}
	if err := f.conn.call(ctx, "session.new", caps, &sess); err != nil {
		return err
	}
	f.version = "Firefox/" + sess.Capabilities.BrowserVersion
	if err := f.conn.call(ctx, "network.setCacheBehavior", map[string]any{"cacheBehavior": "bypass"}, nil); err != nil {
		return err
	}
	// The page calls globalThis.__xoriginBrowserDiffDone with its result
	// (pageHTML): here a BiDi channel, whose messages arrive as
	// script.message events.
	preload := map[string]any{
		"functionDeclaration": "(send) => { Object.defineProperty(globalThis, " + strconv.Quote(bindingName) + ", {value: send}); }",
		"arguments":           []any{map[string]any{"type": "channel", "value": map[string]any{"channel": ffChannel}}},
	}
	if err := f.conn.call(ctx, "script.addPreloadScript", preload, nil); err != nil {
		return err
	}
	events := []string{"network.beforeRequestSent", "network.responseStarted", "network.responseCompleted", "network.fetchError", "script.message", "log.entryAdded"}
	return f.conn.call(ctx, "session.subscribe", map[string]any{"events": events}, nil)
}

// ffChannel is the BiDi channel the page sends its result on.
const ffChannel = "xorigin-browser-diff"

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// close ends the session and the browser.
func (f *firefox) close() {
	if f.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		f.conn.call(ctx, "browser.close", nil, nil)
		cancel()
		f.conn.close()
	}
	select {
	case <-f.exited:
	case <-time.After(10 * time.Second):
		syscall.Kill(-f.cmd.Process.Pid, syscall.SIGKILL)
		<-f.exited
	}
}

// ffEvent is the part of a BiDi network or script event the harness reads.
type ffEvent struct {
	Context string `json:"context"`
	Request struct {
		Request string `json:"request"`
		URL     string `json:"url"`
		Method  string `json:"method"`
		Headers []struct {
			Name string `json:"name"`
		} `json:"headers"`
	} `json:"request"`
	Response struct {
		Status  int `json:"status"`
		Headers []struct {
			Name string `json:"name"`
		} `json:"headers"`
	} `json:"response"`
	ErrorText string `json:"errorText"`
	// script.message
	Channel string `json:"channel"`
	Data    struct {
		Type  string `json:"type"`
		Value any    `json:"value"`
	} `json:"data"`
	Source struct {
		Context string `json:"context"`
	} `json:"source"`
	// log.entryAdded
	Text string `json:"text"`
}

// event routes a BiDi event: a network event to the case whose URL it
// is, a page's message to the case its browsing context runs.
func (f *firefox) event(method string, params json.RawMessage) {
	var e ffEvent
	if json.Unmarshal(params, &e) != nil {
		return
	}
	if method == "script.message" {
		s, ok := e.Data.Value.(string)
		if e.Channel != ffChannel || !ok {
			return
		}
		f.mu.Lock()
		c := f.tabs[e.Source.Context]
		f.mu.Unlock()
		if c != nil {
			select {
			case c.page <- s:
			default:
			}
		}
		return
	}
	if method == "log.entryAdded" {
		// Gecko's console messages about a case's URLs (a CORS
		// failure, a script refused for its MIME type): each names
		// the URL, and so its case.
		i := strings.Index(e.Text, pathPrefix)
		if i < 0 {
			return
		}
		id, part, ok := parsePath(e.Text[i:])
		if !ok || part == flushPart {
			return
		}
		f.mu.Lock()
		c := f.cases[id]
		f.mu.Unlock()
		if c != nil {
			c.mu.Lock()
			c.console = append(c.console, e.Text)
			c.mu.Unlock()
		}
		return
	}
	id, part, ok := parsePath(urlPath(e.Request.URL))
	if !ok {
		return
	}
	f.mu.Lock()
	c := f.cases[id]
	f.mu.Unlock()
	if c != nil && part != "page" && part != flushPart {
		c.listen(method, &e)
	}
}

// urlPath is the path of an absolute URL ("" if it has none).
func urlPath(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(u[i+3:], '/')
	if j < 0 {
		return ""
	}
	p := u[i+3+j:]
	if k := strings.IndexAny(p, "?#"); k >= 0 {
		p = p[:k]
	}
	return p
}

// ffTab is a browsing context (a tab) that runs one case after another.
type ffTab struct {
	f       *firefox
	context string
}

func (f *firefox) newTab() (*ffTab, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var res struct {
		Context string `json:"context"`
	}
	if err := f.conn.call(ctx, "browsingContext.create", map[string]any{"type": "tab"}, &res); err != nil {
		return nil, fmt.Errorf("open a tab: %w", err)
	}
	return &ffTab{f: f, context: res.Context}, nil
}

func (t *ffTab) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	t.f.conn.call(ctx, "browsingContext.close", map[string]any{"context": t.context}, nil)
}

func (t *ffTab) navigate(ctx context.Context, url, wait string) error {
	return t.f.conn.call(ctx, "browsingContext.navigate", map[string]any{"context": t.context, "url": url, "wait": wait}, nil)
}

// reset leaves the case's page for about:blank; false means the tab is
// stuck and must be closed.
func (t *ffTab) reset() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return t.navigate(ctx, "about:blank", "complete") == nil
}

// evaluate runs expr in the tab's page and returns its string or boolean
// value as text.
func (t *ffTab) evaluate(ctx context.Context, expr string) (string, error) {
	var res struct {
		Type   string `json:"type"`
		Result struct {
			Type  string `json:"type"`
			Value any    `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := t.f.conn.call(ctx, "script.evaluate", map[string]any{
		"expression": expr, "target": map[string]any{"context": t.context}, "awaitPromise": false,
	}, &res)
	if err != nil {
		return "", err
	}
	if res.ExceptionDetails != nil {
		return "", fmt.Errorf("script.evaluate: %s", res.ExceptionDetails.Text)
	}
	switch v := res.Result.Value.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	}
	return "", nil
}

// ffCase follows the requests of one case: those for the first hop's URL
// and their redirects (one BiDi request id), apart from CORS preflights.
type ffCase struct {
	mu       sync.Mutex
	ours     map[string]bool
	pending  map[string]bool // ours, neither completed nor failed yet
	decided  bool
	result   string
	by       string
	status   int // the last response status seen for ours
	decision chan struct{}
	page     chan string
	console  []string // Gecko's console messages about the case's URLs
}

func newFFCase() *ffCase {
	return &ffCase{ours: map[string]bool{}, pending: map[string]bool{}, decision: make(chan struct{}), page: make(chan string, 1)}
}

func (c *ffCase) decide(result, by string) {
	if c.decided {
		return
	}
	c.decided, c.result, c.by = true, result, by
	close(c.decision)
}

func hasHeader(hs []struct {
	Name string `json:"name"`
}, name string) bool {
	return slices.ContainsFunc(hs, func(h struct {
		Name string `json:"name"`
	}) bool {
		return strings.EqualFold(h.Name, name)
	})
}

// listen records a network event of one of the case's URLs.
//
// What Firefox reports: a response the network let through completes
// (network.responseCompleted); one it refuses, for CORP, COEP, CORS,
// ORB, mixed content or a bad port, fails (network.fetchError) with the
// nsresult's name as its errorText (NS_ERROR_DOM_CORP_FAILED,
// NS_ERROR_DOM_BAD_URI, NS_ERROR_CONTENT_BLOCKED, ...).
func (c *ffCase) listen(method string, e *ffEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := e.Request.Request
	preflight := e.Request.Method == http.MethodOptions && hasHeader(e.Request.Headers, "Access-Control-Request-Method")
	switch method {
	case "network.beforeRequestSent":
		if !c.ours[id] && !preflight {
			c.ours[id] = true
		}
		if c.ours[id] {
			c.pending[id] = true
		}
	case "network.responseStarted":
		if c.ours[id] {
			c.status = e.Response.Status
		}
	case "network.responseCompleted":
		if !c.ours[id] {
			return
		}
		c.status = e.Response.Status
		if e.Response.Status >= 300 && e.Response.Status < 400 && hasHeader(e.Response.Headers, "Location") {
			return // a redirect: the next hop follows, same request id
		}
		delete(c.pending, id)
		c.decide("allowed", "")
	case "network.fetchError":
		if preflight {
			return
		}
		if !c.ours[id] {
			// A request refused before it was sent has no
			// beforeRequestSent of its own.
			c.ours[id] = true
		}
		delete(c.pending, id)
		c.decide("blocked", e.ErrorText)
	}
}

// observeFirefox runs one case in tab t (the caller resets it after).
//
// The page sends its result on its channel once its request is over and
// its flush request has settled (pageHTML, with no reports to wait for:
// Firefox queues no COEP reports for a ReportingObserver). BiDi sends a
// request's network events before the page can see its outcome, on the
// same connection as the page's message; the harness still waits for each
// request of the case that started to complete or fail.
func (b *Browser) observeFirefox(ctx context.Context, t *ffTab, id int, p *plan, s *served) (Observation, error) {
	var obs Observation
	f := b.ff
	b.srv.add(id, s)
	defer b.srv.remove(id)
	c := newFFCase()
	f.mu.Lock()
	f.cases[id] = c
	f.tabs[t.context] = c
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.cases, id)
		delete(f.tabs, t.context)
		f.mu.Unlock()
	}()
	tctx, cancel := context.WithTimeout(ctx, b.opts.CaseTimeout)
	defer cancel()
	pageURL := p.pageOrigin.String() + pathPrefix + strconv.Itoa(id) + "/page"
	if err := t.navigate(tctx, pageURL, "none"); err != nil {
		return obs, err
	}

	var payload string
	gotPage := false
	decided := c.decision
	var grace <-chan time.Time
	for !gotPage {
		select {
		case payload = <-c.page:
			gotPage = true
		case <-decided:
			decided = nil
			wait := pageGrace
			if p.kind.rendererChecked() {
				wait = signalWait
			}
			grace = time.After(wait)
		case <-grace:
			grace = nil
			ectx, ecancel := context.WithTimeout(context.WithoutCancel(tctx), signalWait)
			_, err := t.evaluate(ectx, flushExpr)
			ecancel()
			if err != nil {
				goto done
			}
		case <-tctx.Done():
			goto done
		}
	}
done:
	if !gotPage {
		ectx, ecancel := context.WithTimeout(context.WithoutCancel(tctx), 5*time.Second)
		payload, _ = t.evaluate(ectx, snapshotExpr)
		ecancel()
	}
	var pr pageResult
	if payload != "" {
		if err := json.Unmarshal([]byte(payload), &pr); err != nil {
			return obs, fmt.Errorf("the page's result: %w", err)
		}
	}
	if !pr.Flushed {
		c.mu.Lock()
		d := c.decided
		c.mu.Unlock()
		return obs, fmt.Errorf("no result from the page (waited up to %s; page event: %q; network decided: %v)",
			b.opts.CaseTimeout, strings.TrimSpace(pr.DOM+" "+pr.Detail), d)
	}
	if err := waitSettled(tctx, func() (bool, int) {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.decided || len(c.pending) == 0, len(c.pending)
	}); err != nil {
		return obs, err
	}
	obs.Page, obs.Exposed = pr.pageAndExposed()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.console {
		obs.Console = append(obs.Console, originalURLs(m, id))
	}
	obs.Result, obs.By = firefoxResult(p, c.decided, c.result, c.by, c.status, pr.DOM, pr.Detail)
	if obs.Result == "" {
		return obs, fmt.Errorf("no outcome within %s: no network decision and no page event", b.opts.CaseTimeout)
	}
	obs.Requests, obs.Preflights = b.srv.counts(id)
	return obs, nil
}

// opaqueTainted reports whether p's response can be opaque: a no-cors
// request that leaves the page's origin at some hop.
func opaqueTainted(p *plan) bool {
	if p.request.Mode != fetchctx.ModeNoCORS || p.sandboxed {
		return p.request.Mode == fetchctx.ModeNoCORS
	}
	for _, u := range p.request.URLs {
		if !u.Origin().SameOrigin(p.pageOrigin) {
			return true
		}
	}
	return false
}

// firefoxResult maps what Firefox's network events and the page saw to a
// result: "allowed", "blocked", or "" when neither tells.
func firefoxResult(p *plan, decided bool, netResult, netBy string, status int, dom, detail string) (result, by string) {
	pageBy := "page: " + strings.TrimSpace(dom+" "+detail)
	ok := status >= 200 && status < 300
	switch {
	case decided && netResult == "blocked" && netBy == "NS_BINDING_ABORTED" && !opaqueTainted(p) &&
		(p.kind == kindImg || p.kind == kindAudio || p.kind == kindVideo):
		// ORB cancels with NS_BINDING_ABORTED, but only an opaque
		// response (HttpBaseChannel::ShouldBlockOpaqueResponse); an
		// image or media element cancels its own request with the same
		// code when the body does not decode (an empty image/png): the
		// response reached the element.
		return "allowed", "the element cancelled the request (NS_BINDING_ABORTED) after its response arrived"
	case decided && netResult == "blocked":
		return "blocked", netBy
	case p.kind == kindFetch && dom == "error":
		// fetch() rejects on a network error only: Gecko's CORS
		// check (nsCORSListenerProxy) and Subresource Integrity fail
		// the request after BiDi saw its response complete.
		return "blocked", pageBy
	case p.kind == kindFetch && dom == "load":
		return "allowed", ""
	case decided && p.integrity != "" && dom == "error" && ok:
		// Subresource Integrity runs in the content process, after
		// the response completed.
		return "blocked", "renderer: integrity"
	case decided && p.kind.rendererChecked() && dom == "error" && ok:
		// The network let it through and the page refused it: Gecko's
		// MIME checks of scripts, styles and workers (nosniff, a type a
		// script must not have) run in the content process, after the
		// response completed. An error event for a response that is
		// not ok (a 404 script) is no such block: the body reached the
		// content process.
		return "blocked", "renderer: " + pageBy
	case decided:
		return netResult, netBy
	case dom == "load":
		return "allowed", ""
	case dom == "error":
		return "blocked", pageBy
	}
	return "", ""
}

// opaqueUnobservable says why a Firefox result cannot be compared, or "":
// what ORB refuses, Firefox filters for fetch() to an opaque response
// emptied of headers and body (netwerk/protocol/http/HttpBaseChannel.cpp,
// BlockOrFilterOpaqueResponse), which neither the page nor BiDi tells
// from an allowed opaque response. A no-cors fetch() that fails (CORP, a
// bad port, mixed content) is a result like any other.
func opaqueUnobservable(p *plan, obs *Observation) string {
	if p.kind == kindFetch && p.mode == fetchctx.ModeNoCORS && obs.Result == "allowed" {
		return "Firefox gave the no-cors fetch() an opaque response, which an allowed response and ORB's filter (HttpBaseChannel::BlockOrFilterOpaqueResponse) both give: no result to compare"
	}
	return ""
}

// firefoxExpressible says why Firefox cannot run a case that Chromium can,
// or "": Firefox has no resolver rule for IP addresses (forceResolve maps
// names only), so a page or hop on an IP-literal host other than
// 127.0.0.1 would leave the machine or find no server.
func firefoxExpressible(p *plan) string {
	check := func(what string, host string) string {
		h := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		if a, err := netip.ParseAddr(h); err == nil && a != netip.AddrFrom4([4]byte{127, 0, 0, 1}) {
			return what + " host " + host + " is an IP address: Firefox maps only names to loopback (network.dns.forceResolve), and the servers listen on 127.0.0.1"
		}
		return ""
	}
	if why := check("the initiator's", p.pageOrigin.Host()); why != "" {
		return why
	}
	for i, u := range p.request.URLs {
		if why := check(fmt.Sprintf("responses[%d].url's", i), u.Origin().Host()); why != "" {
			return why
		}
	}
	return ""
}
