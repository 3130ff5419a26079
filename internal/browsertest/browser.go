package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/conformance"
	"github.com/xorigin/xorigin/origin"
)

// DefaultChromium is where Debian's chromium package puts the browser.
const DefaultChromium = "/usr/bin/chromium"

// Options configures a Browser. The zero Options is valid.
type Options struct {
	// Chromium is the browser binary; "" means DefaultChromium.
	Chromium string
	// Parallel is how many cases run at once, each in its own tab; zero
	// means 8 (the cases mostly wait on the browser, not on a core).
	Parallel int
	// CaseTimeout bounds one case; zero means 90 seconds. It only ends a
	// case that hangs: every wait within a case ends on a signal (see
	// observe).
	CaseTimeout time.Duration
	// Settle is how long the harness keeps listening for more reports once
	// it has those it expects, on a page whose embedder policies are
	// credentialless only, where no flush report marks the end of the
	// reports (see pageHTML); zero means 500 milliseconds.
	Settle time.Duration
	// BrowserLog, when not nil, receives Chromium's own output.
	BrowserLog io.Writer
	// PortWait is how long Start waits for another browser run on this
	// machine (which holds the ports) to end; zero means it does not wait,
	// and returns an error naming that run.
	PortWait time.Duration
	// Log, when not nil, receives what Start waits for.
	Log io.Writer
	// Firefox, when set, is the Firefox binary to run instead of
	// Chromium, driven over WebDriver BiDi (firefox.go).
	Firefox string
}

// Browser is one Chromium process and the loopback servers its tabs load
// cases from. It is safe for concurrent use.
type Browser struct {
	opts    Options
	srv     *server
	ctx     context.Context // the browser's chromedp context
	cancel  []context.CancelFunc
	dataDir string
	version string
	unlock  func()
	next    atomic.Int64
	ff      *firefox // nil: Chromium
}

// ErrNoChromium is returned by Start when the browser binary is missing.
var ErrNoChromium = errors.New("browsertest: chromium not found")

// ErrPorts is matched (errors.Is) by the errors of Start and Run when the
// servers cannot listen on a port the cases need (80, 443, 8080 and 8443,
// and any other a fixture URL has): a *PortError naming the port, and the
// process holding it when /proc tells, or another browser run's lock.
var ErrPorts = errors.New("browsertest: the ports the cases need are not free")

// Start launches Chromium headless with a fresh profile, every host mapped
// to 127.0.0.1 by its resolver rule (IP addresses too: the rule rewrites
// the host before any lookup, so nothing it loads leaves the machine), and
// certificate errors ignored (the loopback servers have a self-signed
// certificate).
func Start(opts Options) (*Browser, error) {
	if opts.Chromium == "" {
		opts.Chromium = DefaultChromium
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 8
	}
	if opts.CaseTimeout <= 0 {
		opts.CaseTimeout = 90 * time.Second
	}
	if opts.Settle <= 0 {
		opts.Settle = 500 * time.Millisecond
	}
	if opts.Firefox != "" {
		if _, err := os.Stat(opts.Firefox); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNoFirefox, err)
		}
	} else if _, err := os.Stat(opts.Chromium); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoChromium, err)
	}
	dir, err := os.MkdirTemp("", "xorigin-browsertest-")
	if err != nil {
		return nil, err
	}
	// One browser run at a time on the machine: two would fight over
	// the ports.
	unlock, err := lockRun(runLock(), opts.PortWait, opts.Log)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	srv, err := newServer()
	if err != nil {
		unlock()
		os.RemoveAll(dir)
		return nil, err
	}
	// Fixture URLs keep their ports, and most use these: a port taken by
	// another process is one error now, not one per case.
	var base []netip.AddrPort
	for _, port := range basePorts {
		base = append(base, netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port))
	}
	if err := srv.ensure(base); err != nil {
		srv.close()
		unlock()
		os.RemoveAll(dir)
		return nil, err
	}
	b := &Browser{opts: opts, srv: srv, dataDir: dir, unlock: unlock}
	if opts.Firefox != "" {
		if b.ff, err = startFirefox(opts.Firefox, dir, opts.BrowserLog); err != nil {
			b.Close()
			return nil, err
		}
		b.version = b.ff.version
		return b, nil
	}
	flags := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(opts.Chromium),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("mute-audio", true),
		// Every name to loopback; "localhost" Chromium resolves to
		// loopback itself (both families).
		chromedp.Flag("host-resolver-rules", "MAP * 127.0.0.1, EXCLUDE localhost"),
		chromedp.Flag("ignore-certificate-errors", true),
		// The page's origin is the fixture's: no upgrade of an http:
		// page to https (the loopback servers answer both).
		chromedp.Flag("disable-features", "HttpsUpgrades"),
	}
	if opts.BrowserLog != nil {
		flags = append(flags, chromedp.CombinedOutput(opts.BrowserLog))
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), flags...)
	bctx, bcancel := chromedp.NewContext(actx)
	b.ctx, b.cancel = bctx, []context.CancelFunc{bcancel, acancel}
	v, err := chromedp.Run(bctx, func(ctx context.Context, t *chromedp.Target) (browser.GetVersionResult, error) {
		return cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.GetVersion, cdp.Empty{})
	})
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("browsertest: start %s: %w", opts.Chromium, err)
	}
	b.version = v.Product
	return b, nil
}

// Version is the browser's product string, as DevTools gives it
// ("Chrome/156.0.8078.108"), and its binary.
func (b *Browser) Version() string {
	if b.ff != nil {
		return b.version + ", " + b.opts.Firefox
	}
	return b.version + ", " + b.opts.Chromium
}

// Name is the browser's name as results print it: "chromium" or
// "firefox".
func (b *Browser) Name() string {
	if b.ff != nil {
		return "firefox"
	}
	return "chromium"
}

// Close stops the browser and the servers, and removes the profile.
func (b *Browser) Close() {
	if b.ff != nil {
		b.ff.close()
	}
	for _, c := range b.cancel {
		c()
	}
	b.srv.close()
	os.RemoveAll(b.dataDir)
	b.unlock()
}

// Observation is what Chromium did with a case's request.
type Observation struct {
	// Result is "allowed" (the response reached the page) or "blocked"
	// (a network error, or ORB's empty response).
	Result string
	// By says what blocked it: a DevTools blockedReason token
	// ("corp-not-same-site"), "orb: ..." for opaque response blocking, a
	// net error, a CORS error, or the page's error when no request went
	// out. Empty when allowed.
	By string
	// Page is the page's own event: "load" or "error", with a detail.
	Page string
	// Reports are the "coep" reports the page's ReportingObserver saw,
	// their URLs as the fixture wrote them.
	Reports []conformance.Report
	// Requests and Preflights count the requests (and CORS preflights)
	// the servers answered for the case's responses.
	Requests, Preflights int
	// Exposed lists the response header names fetch() could read (nil
	// for other page code, or when fetch() failed), without the
	// Connection header the servers add.
	Exposed []string
	// Console holds Chromium's console messages about the case's URLs
	// (why Blink refused a script or a style, say).
	Console []string
	// Wait says what the harness waited for in vain, if anything (the
	// reports it expected, on a page where no flush report marks their
	// end): the result stands, and the wait explains it.
	Wait string
	// DevTools is what Network.loadingFailed said of the case's request:
	// zero when no such event came (the load finished, or it never
	// started: a mixed-content frame, a worker's script).
	DevTools enforce.DevTools
}

// pageResult is what the page sends through the binding.
type pageResult struct {
	DOM     string   `json:"dom"`
	Detail  string   `json:"detail"`
	Exposed []string `json:"exposed"`
	// Flushed is true when the page sent its result after its flush
	// request and reports (pageHTML), false in a snapshot.
	Flushed bool `json:"flushed"`
	Reports []struct {
		Type string `json:"type"`
		Body struct {
			Type        string  `json:"type"`
			BlockedURL  string  `json:"blockedURL"`
			Destination *string `json:"destination"`
			Disposition string  `json:"disposition"`
		} `json:"body"`
	} `json:"reports"`
}

// tab is a browser tab that runs one case after another: opening a tab
// (and its renderer process) per case costs more than the case. Its
// listener hands the events to the netState of the case in flight; the
// request IDs of earlier cases stay foreign to later ones.
type tab struct {
	ctx    context.Context
	cancel context.CancelFunc

	mu    sync.Mutex
	cur   *netState
	owner map[network.RequestID]*netState // the case that first saw each request

	ff *ffTab // a Firefox tab instead (firefox.go)
}

// newTab opens a tab with the page binding installed and the HTTP cache
// off (it could answer a hop without asking the server).
func (b *Browser) newTab() (*tab, error) {
	if b.ff != nil {
		ft, err := b.ff.newTab()
		if err != nil {
			return nil, err
		}
		return &tab{ff: ft, cancel: ft.close}, nil
	}
	ctx, cancel := chromedp.NewContext(b.ctx)
	t := &tab{ctx: ctx, cancel: cancel, owner: map[network.RequestID]*netState{}}
	if err := chromedp.Listen(ctx, t.listen); err != nil {
		cancel()
		return nil, fmt.Errorf("open a tab: %w", err)
	}
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, runtime.AddBinding, runtime.AddBindingParams{Name: bindingName}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
		return err
	}))
	if err != nil {
		cancel()
		return nil, fmt.Errorf("set up a tab: %w", err)
	}
	return t, nil
}

// use makes n the receiver of the tab's events (nil: none).
func (t *tab) use(n *netState) {
	t.mu.Lock()
	t.cur = n
	t.mu.Unlock()
}

func (t *tab) listen(ev any) {
	t.mu.Lock()
	n := t.cur
	var id network.RequestID
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		id = e.RequestID
	case *network.EventResponseReceived:
		id = e.RequestID
	case *network.EventLoadingFailed:
		id = e.RequestID
	case *network.EventLoadingFinished:
		id = e.RequestID
	}
	if id != "" {
		if o, ok := t.owner[id]; ok && o != n {
			// A request of an earlier case, still settling.
			t.mu.Unlock()
			return
		}
		t.owner[id] = n
	}
	t.mu.Unlock()
	if n != nil {
		n.listen(ev)
	}
}

// navigate loads url in the tab and waits for the navigation to commit.
func (t *tab) navigate(ctx context.Context, url string) error {
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.Navigate, page.NavigateParams{URL: url})
		if err != nil {
			return err
		}
		if res.ErrorText != "" {
			return fmt.Errorf("load %s: %s", url, res.ErrorText)
		}
		return nil
	}))
}

// reset leaves the case's page for about:blank, so that its requests
// end before the next case starts; false means the tab is stuck (a
// fixture's script that never returns) and must be closed.
func (t *tab) reset() bool {
	if t.ff != nil {
		return t.ff.reset()
	}
	ctx, cancel := context.WithTimeout(t.ctx, 3*time.Second)
	defer cancel()
	return t.navigate(ctx, "about:blank") == nil
}

// netState follows the requests a case's page makes for the first hop's
// URL, and their redirects.
type netState struct {
	mu       sync.Mutex
	prefix   string // the path every URL of the case starts with
	ours     map[network.RequestID]bool
	others   map[network.RequestID]bool
	pending  map[network.RequestID]bool // ours, neither answered nor failed yet
	answered map[network.RequestID]bool // ours, whose response head arrived
	decided  bool
	result   string
	by       string
	decision chan struct{}
	page     chan string
	aborted  string
	console  []string
	devtools enforce.DevTools // the first loadingFailed of ours but net::ERR_ABORTED
}

// recordFailure keeps the first loadingFailed of the case's request that
// says why it failed; net::ERR_ABORTED (a cancelled navigation, or the
// media stack dropping a request) stands only until another comes.
func (n *netState) recordFailure(e *network.EventLoadingFailed) {
	if e.ErrorText == "net::ERR_ABORTED" && n.answered[e.RequestID] {
		// The page (or the tab's reset) dropped a body it had the head
		// of: no failed load.
		return
	}
	d := enforce.DevTools{BlockedReason: string(e.BlockedReason), ErrorText: e.ErrorText}
	if e.CorsErrorStatus != nil {
		d.CorsError = string(e.CorsErrorStatus.CorsError)
	}
	if n.devtools.IsZero() || n.devtools.ErrorText == "net::ERR_ABORTED" {
		n.devtools = d
	}
}

func (n *netState) decide(result, by string) {
	if n.decided {
		return
	}
	n.decided, n.result, n.by = true, result, by
	close(n.decision)
}

// listen records the network events of the case's request (the caller
// holds no lock; fn runs on chromedp's reader goroutine and returns fast).
func (n *netState) listen(ev any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		// The request for the first hop's URL, and its redirects (same
		// request ID). A CORS preflight to the same URL, the page itself
		// and anything else are others.
		_, preflight := e.Request.Headers["Access-Control-Request-Method"]
		switch {
		case n.ours[e.RequestID]: // a redirect
		case e.Request.Method == http.MethodOptions && preflight || !strings.Contains(e.Request.URL, n.prefix+"0/"):
			n.others[e.RequestID] = true
		default:
			n.ours[e.RequestID] = true
			n.pending[e.RequestID] = true
		}
	case *network.EventLoadingFinished:
		delete(n.pending, e.RequestID)
	case *network.EventResponseReceived:
		if !n.ours[e.RequestID] || e.Type == network.ResourceTypePreflight {
			return
		}
		delete(n.pending, e.RequestID)
		n.answered[e.RequestID] = true
		// The response head reached the renderer: CORP, COEP, CORS, ORB
		// and mixed content all run before that, so the page may see
		// the body. ORB's empty response for fetch() arrives here too,
		// with no headers at all (the servers always send Connection).
		if len(e.Response.Headers) == 0 {
			n.decide("blocked", "orb: empty response (no headers, no body)")
			return
		}
		n.decide("allowed", "")
	case *network.EventLoadingFailed:
		// A request that fails before it starts (a failed preflight, a
		// request blocked in the renderer) has no requestWillBeSent: an
		// unknown ID is the case's request.
		if n.others[e.RequestID] {
			return
		}
		delete(n.pending, e.RequestID)
		n.recordFailure(e)
		switch {
		case e.BlockedReason != "":
			n.decide("blocked", string(e.BlockedReason))
		case e.CorsErrorStatus != nil:
			n.decide("blocked", "cors: "+string(e.CorsErrorStatus.CorsError))
		case strings.Contains(e.ErrorText, "ERR_BLOCKED_BY_ORB"):
			n.decide("blocked", "orb: "+e.ErrorText)
		case e.ErrorText == "net::ERR_ABORTED":
			// The page or the media stack dropped this request; another
			// may follow. Decided on the page's event if none does.
			n.aborted = e.ErrorText
		default:
			n.decide("blocked", e.ErrorText)
		}
	case *cdplog.EventEntryAdded:
		if !strings.Contains(e.Entry.Text, n.prefix) || strings.Contains(e.Entry.Text, n.prefix+flushPart) {
			return // another case's, or the flush request's
		}
		n.console = append(n.console, e.Entry.Text)
		// A frame blocked as mixed content never starts its request:
		// DevTools has no network event for it, only this message.
		if e.Entry.Source == cdplog.EntrySourceSecurity && strings.HasPrefix(e.Entry.Text, "Mixed Content:") &&
			strings.Contains(e.Entry.Text, "This request has been blocked") {
			n.decide("blocked", "mixed-content")
		}
	case *runtime.EventBindingCalled:
		if e.Name == bindingName {
			select {
			case n.page <- e.Payload:
			default:
			}
		}
	}
}

// sharedWorkerWait is how long a shared worker has to fail. Chromium gives
// no signal that a shared worker's script loaded (see observe), so this is
// the one wait whose end decides a result; it is generous for a loaded
// machine, and only a shared worker that loads waits it all.
const sharedWorkerWait = 10 * time.Second

// hasWorkerTarget reports whether the browser runs a shared worker whose
// script URL has the case's path.
func (b *Browser) hasWorkerTarget(ctx context.Context, path string) bool {
	res, err := chromedp.Run(ctx, func(ctx context.Context, _ *chromedp.Target) (target.GetTargetsResult, error) {
		return cdp.Call(ctx, chromedp.FromContext(ctx).Browser, target.GetTargets, target.GetTargetsParams{})
	})
	if err != nil {
		return false
	}
	for _, ti := range res.TargetInfos {
		if ti.Type == "shared_worker" && strings.Contains(ti.URL, path) {
			return true
		}
	}
	return false
}

// signalWait bounds each wait for a completion signal within a case: the
// page's flushed result, the network events of the case's requests, the
// reports expected on a page without flush reports. It is generous: a
// signal that does not come within it is a failure that says so, never a
// verdict.
const signalWait = 30 * time.Second

// pageGrace is how long after the network's decision the page has to fire
// its own event before the harness asks it to flush anyway: a media
// element may fire none. Where the page's error event can still decide
// (Blink's MIME checks), the harness waits signalWait instead.
const pageGrace = 5 * time.Second

// refusedMIME reports whether Blink's error for the case was about the
// response's MIME type: its console message, or the rejection's text
// (service workers).
func refusedMIME(detail string, console []string) bool {
	if strings.Contains(detail, "MIME type") {
		return true
	}
	for _, m := range console {
		if strings.Contains(m, "MIME type") {
			return true
		}
	}
	return false
}

// refusedIntegrity reports whether Blink's error for the case was about
// the request's integrity metadata: its console message ("Failed to find
// a valid digest in the 'integrity' attribute ...", or fetch()'s), or the
// rejection's text.
func refusedIntegrity(detail string, console []string) bool {
	if strings.Contains(detail, "integrity") {
		return true
	}
	for _, m := range console {
		if strings.Contains(m, "integrity") {
			return true
		}
	}
	return false
}

// observe runs one case in tab t, which the caller resets afterwards.
//
// Nothing in it waits a fixed time for a result. The page sends its
// result once its request is over and its flush has shown that every
// report queued for that request has reached its observer (pageHTML). By
// then DevTools has sent every network event of the case's requests that
// Blink or the browser emitted before the page's event, on the same
// session; the harness still waits for each request of the case that
// DevTools saw start to be answered or to fail. On a page whose policies
// are credentialless only, where the flush queues no report, it waits for
// wantReports reports (the engine's or the fixture's count, whichever is
// more), then Settle for any more; on any page with an embedder policy it
// waits, up to signalWait, for wantReports, and says so when they do not
// all come (Observation.Wait).
func (b *Browser) observe(ctx context.Context, t *tab, id int, p *plan, s *served, wantReports int) (Observation, error) {
	if t.ff != nil {
		return b.observeFirefox(ctx, t.ff, id, p, s)
	}
	var obs Observation
	b.srv.add(id, s)
	defer b.srv.remove(id)

	tctx, cancelT := context.WithTimeout(t.ctx, b.opts.CaseTimeout)
	defer cancelT()
	defer context.AfterFunc(ctx, cancelT)()
	n := &netState{
		prefix:   pathPrefix + strconv.Itoa(id) + "/",
		ours:     map[network.RequestID]bool{},
		others:   map[network.RequestID]bool{},
		pending:  map[network.RequestID]bool{},
		answered: map[network.RequestID]bool{},
		decision: make(chan struct{}),
		page:     make(chan string, 1),
	}
	t.use(n)
	defer t.use(nil)
	pageURL := p.pageOrigin.String() + pathPrefix + strconv.Itoa(id) + "/page"
	if err := t.navigate(tctx, pageURL); err != nil {
		return obs, err
	}

	// Wait for the page's flushed result. The network's decision may come
	// first and the page's event never (a media element that fires
	// none): then the harness has the page flush without it.
	var payload string
	gotPage := false
	decided := n.decision
	var grace <-chan time.Time
	var workerCheck <-chan time.Time
	if p.kind == kindSharedWorker {
		workerCheck = time.After(sharedWorkerWait)
	}
	for !gotPage {
		select {
		case <-workerCheck:
			// Chromium 156 sometimes drops the error event of a shared
			// worker whose script failed to load, and shows a DevTools
			// target for it while it loads: a worker still running when
			// the wait is over loaded; none, and no error event, did not.
			workerCheck = nil
			running := b.hasWorkerTarget(tctx, n.prefix+"0/")
			n.mu.Lock()
			if running {
				n.decide("allowed", "")
			} else {
				n.decide("blocked", fmt.Sprintf("no shared worker running after %s, and no error event", sharedWorkerWait))
			}
			n.mu.Unlock()
		case payload = <-n.page:
			gotPage = true
		case <-decided:
			decided = nil
			wait := pageGrace
			if p.kind.rendererChecked() && p.kind != kindSharedWorker {
				// A shared worker's check above has given its error
				// event sharedWorkerWait already.
				wait = signalWait
			}
			grace = time.After(wait)
		case <-grace:
			grace = nil
			ectx, ecancel := context.WithTimeout(context.WithoutCancel(tctx), signalWait)
			_, err := chromedp.Run(ectx, chromedp.Evaluate[bool](flushExpr))
			ecancel()
			if err != nil {
				goto done // a page kept busy by a fixture's script
			}
		case <-tctx.Done():
			goto done
		}
	}
done:
	if !gotPage {
		// Ask the page for what it has (bounded: a fixture's script may
		// keep the page busy for ever).
		ectx, ecancel := context.WithTimeout(context.WithoutCancel(tctx), 5*time.Second)
		payload, _ = chromedp.Run(ectx, chromedp.Evaluate[string](snapshotExpr))
		ecancel()
	}
	var pr pageResult
	if payload != "" {
		if err := json.Unmarshal([]byte(payload), &pr); err != nil {
			return obs, fmt.Errorf("the page's result: %w", err)
		}
	}
	n.mu.Lock()
	decidedNow := n.decided
	n.mu.Unlock()
	if !pr.Flushed && (decidedNow || pr.DOM != "") {
		// The case has an outcome, but its reports cannot be known.
		return obs, fmt.Errorf("no report flush signal from the page (waited up to %s; page event: %q; network decided: %v)",
			b.opts.CaseTimeout, strings.TrimSpace(pr.DOM+" "+pr.Detail), decidedNow)
	}

	// Every request of the case that DevTools saw start must be answered
	// or fail before its events decide. A worker's script request shows
	// in the page's DevTools session only as it starts: its end goes to
	// the worker's own, and the page's event decides.
	if pr.Flushed && !p.kind.isWorker() {
		if err := waitSettled(tctx, func() (bool, int) {
			n.mu.Lock()
			defer n.mu.Unlock()
			return n.decided || len(n.pending) == 0, len(n.pending)
		}); err != nil {
			return obs, err
		}
	}

	// A page whose policies are credentialless only has no flush report:
	// wait for the reports expected, then Settle for more. A page with
	// one still waits for the reports expected: Chromium does not promise
	// the order of reports from different requests (a stress run once saw
	// an <img>'s report come after the flush's), and a count short of
	// what the engine or the fixture expects is worth the wait.
	pol := p.request.Policy
	hasPolicy := pol.Value != fetchctx.UnsafeNone || pol.ReportOnlyValue != fetchctx.UnsafeNone
	noFlushReport := flushReports(pol) == 0
	if pr.Flushed && hasPolicy && (noFlushReport || len(pr.Reports) < wantReports) {
		deadline := time.Now().Add(signalWait)
		var settleEnd time.Time
		for {
			if len(pr.Reports) >= wantReports {
				if !noFlushReport {
					break
				}
				if settleEnd.IsZero() {
					settleEnd = time.Now().Add(b.opts.Settle)
				}
				if time.Now().After(settleEnd) {
					break
				}
			} else if time.Now().After(deadline) {
				obs.Wait = fmt.Sprintf("%d of the %d report(s) expected reached the page within %s", len(pr.Reports), wantReports, signalWait)
				break
			}
			time.Sleep(50 * time.Millisecond)
			ectx, ecancel := context.WithTimeout(context.WithoutCancel(tctx), 5*time.Second)
			more, err := chromedp.Run(ectx, chromedp.Evaluate[string](snapshotExpr))
			ecancel()
			var pr2 pageResult
			if err != nil || json.Unmarshal([]byte(more), &pr2) != nil {
				return obs, fmt.Errorf("the page's reports: %v", err)
			}
			pr.Reports = pr2.Reports
		}
	}
	obs.Page, obs.Exposed = pr.pageAndExposed()
	for _, r := range pr.Reports {
		rep := conformance.Report{Type: r.Body.Type, BlockedURL: originalURL(r.Body.BlockedURL, id), Disposition: r.Body.Disposition}
		if r.Body.Type == "corp" {
			rep.Destination = r.Body.Destination
		}
		obs.Reports = append(obs.Reports, rep)
	}

	n.mu.Lock()
	defer n.mu.Unlock()
	for _, m := range n.console {
		obs.Console = append(obs.Console, originalURLs(m, id))
	}
	obs.DevTools = n.devtools
	switch {
	case p.kind == kindSharedWorker && pr.DOM == "error":
		obs.Result, obs.By = "blocked", "page: "+strings.TrimSpace("error "+pr.Detail)
	case n.decided && n.result == "allowed" && p.kind.rendererChecked() && pr.DOM == "error" && refusedMIME(pr.Detail, n.console):
		// The network let it through, and Blink refused it for its MIME
		// type (nosniff, or a type a script must not have). An error
		// event for another reason (a 404 script) is no such block: the
		// body reached the renderer.
		obs.Result, obs.By = "blocked", "renderer: "+strings.TrimSpace("error "+pr.Detail)
	case n.decided && n.result == "allowed" && p.integrity != "" && pr.DOM == "error" && refusedIntegrity(pr.Detail, n.console):
		// The network let it through, and Blink refused the body for
		// its integrity metadata (Subresource Integrity runs in the
		// renderer).
		obs.Result, obs.By = "blocked", "renderer: integrity"
	case n.decided:
		obs.Result, obs.By = n.result, n.by
	case p.kind == kindIframe || p.kind == kindFrame:
		// A frame's load event fires for error pages too.
		return obs, fmt.Errorf("no network event for the frame's navigation within %s (page event: %s)", b.opts.CaseTimeout, obs.Page)
	case pr.DOM == "load":
		obs.Result = "allowed"
	case pr.DOM == "error":
		obs.Result, obs.By = "blocked", "page: "+strings.TrimSpace("error "+pr.Detail)
	case n.aborted != "":
		obs.Result, obs.By = "blocked", n.aborted
	default:
		return obs, fmt.Errorf("no outcome within %s: no network decision and no page event", b.opts.CaseTimeout)
	}
	obs.Requests, obs.Preflights = b.srv.counts(id)
	return obs, nil
}

// addrsOf lists the loopback addresses and ports the case's page and hops
// use. The resolver rule sends every host, IP addresses included, to
// 127.0.0.1, except "localhost", which Chromium resolves to 127.0.0.1 or
// [::1] (ensure listens on both); http: URLs are also served on 443, where
// mixed content upgrades go.
func addrsOf(p *plan, requestURL string) []netip.AddrPort {
	var out []netip.AddrPort
	add := func(o origin.Origin) {
		port, has := o.Port()
		if !has {
			port = 80
			if o.Scheme() == "https" {
				port = 443
			}
		}
		for _, port := range []uint16{port, 443} {
			ap := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port)
			if !slices.Contains(out, ap) {
				out = append(out, ap)
			}
		}
	}
	add(p.pageOrigin)
	if o, err := origin.FromURL(requestURL); err == nil {
		add(o)
	}
	for _, u := range p.request.URLs {
		add(u.Origin())
	}
	return out
}

// waitSettled waits, up to signalWait, until state says the case's
// requests are settled (a decision made, or none pending), and says how
// many were still pending when it gives up.
func waitSettled(ctx context.Context, state func() (settled bool, pending int)) error {
	for deadline := time.Now().Add(signalWait); ; {
		settled, pending := state()
		if settled {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("no network signal within %s: %d request(s) of the case neither answered nor failed", signalWait, pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pageAndExposed returns what the page said of its load, and the header
// names its fetch() could read, sorted, "connection" left out (nil when
// it read none).
func (pr *pageResult) pageAndExposed() (page string, exposed []string) {
	page = strings.TrimSpace(pr.DOM + " " + pr.Detail)
	if pr.Exposed != nil {
		exposed = []string{}
		for _, h := range pr.Exposed {
			if h != "connection" {
				exposed = append(exposed, h)
			}
		}
		slices.Sort(exposed)
	}
	return page, exposed
}
