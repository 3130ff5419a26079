package browsertest

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/conformance"
)

// Status sums up a case's run.
type Status uint8

// The statuses.
const (
	// Pass: Chromium and the engine agree, on the result and the reports.
	Pass Status = iota + 1
	// Fail: they disagree, and the difference is not annotated.
	Fail
	// Known: they disagree as an annotated known difference says.
	Known
	// Stale: the case is annotated as a known difference, but Chromium
	// now agrees with the engine, or differs otherwise; it counts as
	// failed, so that the annotations stay true.
	Stale
	// Skipped: a page cannot make the case's request (see Result.Skip).
	Skipped
	// Error: the harness could not observe the case.
	Error
)

var statusNames = [...]string{Pass: "PASS", Fail: "FAIL", Known: "KNOWN", Stale: "STALE", Skipped: "SKIP", Error: "ERROR"}

func (s Status) String() string { return statusNames[s] }

// Result is one case run in Chromium, compared with the engine and with the
// fixture's expectation.
type Result struct {
	File    string
	Profile enforce.Profile
	// BrowserName is the browser the case ran in: "chromium" or
	// "firefox".
	BrowserName string
	Case        *conformance.Case
	Status      Status
	// Skip says why a page cannot express the case.
	Skip string
	// Page names the page code that made the request; Note says where
	// its request departs from the fixture's.
	Page, Note string
	Browser    Observation
	// Engine is the engine's verdict on the page's request, with every
	// gate the engine implements (Chromium applies them all), and
	// EngineReports the reports it queued.
	Engine        enforce.Verdict
	EngineReports []conformance.Report
	// EnginePreflight says whether the engine needs a CORS preflight on
	// the way to its verdict; EngineExposed lists the header names it
	// exposes to the page (allowed verdicts only).
	EnginePreflight bool
	EngineExposed   []string
	// EngineProblem and FixtureProblem say how Chromium departs from the
	// engine and from the fixture's expectation; empty when they agree.
	EngineProblem, FixtureProblem string
	// Reason compares the reasons of a case both block (reasons.go).
	Reason ReasonCheck
	// Known is the annotation that covers the case, if any; KnownReason
	// the one that covers its reason (a "reason" difference).
	Known, KnownReason *Difference
	Err                error
	// Took is how long the case took in the browser.
	Took time.Duration
	// Retry says why the case ran a second time, if it did: its reports
	// came up short (Observation.Wait) or its observation failed the
	// first time.
	Retry string
}

// Run runs every case of files in b, b.Options.Parallel at a time, and
// compares each with the engine of each of its file's profiles and with
// its expectation: a case is observed in the browser once, whatever the
// number of profiles, and gives one Result per profile. known annotates
// the expected differences (nil: none). progress, when not nil, is called
// with each result as it comes in (from several goroutines, one call at a
// time). Cases that do not load are in the error; the others still run.
func Run(ctx context.Context, b *Browser, files []File, known *KnownDifferences, progress func(*Result)) ([]Result, error) {
	var items []item
	var loadErrs []error
	for _, f := range files {
		it, err := load(f)
		if err != nil {
			loadErrs = append(loadErrs, err)
		}
		items = append(items, it...)
	}
	engines := map[enforce.Profile]*enforce.Engine{}
	for _, it := range items {
		for _, p := range it.profiles {
			if engines[p] == nil {
				// Every gate: Chromium applies them all (Local Network
				// Access with the page's loopback address space: see
				// expressible).
				engines[p] = enforce.New(enforce.Config{Profile: p, Checks: enforce.AllChecks})
			}
		}
	}
	// Preflight: every port the cases need, before any case runs, so that
	// one taken is one error naming it (and its process), not one per case.
	var addrs []netip.AddrPort
	for i := range items {
		it := &items[i]
		for _, prof := range it.profiles {
			if p, why := expressible(it, engines[prof]); why == "" {
				for _, ap := range addrsOf(&p, it.requestURL) {
					if !slices.Contains(addrs, ap) {
						addrs = append(addrs, ap)
					}
				}
				break
			}
		}
	}
	if err := b.srv.ensure(addrs); err != nil {
		return nil, joinErrs(append(loadErrs, err))
	}

	perItem := make([][]Result, len(items))
	var mu sync.Mutex
	work := make(chan int)
	var wg sync.WaitGroup
	for range b.opts.Parallel {
		wg.Go(func() {
			var t *tab
			defer func() {
				if t != nil {
					t.cancel()
				}
			}()
			for i := range work {
				rs := b.runOne(ctx, &t, &items[i], engines, known)
				perItem[i] = rs
				if progress != nil {
					mu.Lock()
					for j := range rs {
						progress(&rs[j])
					}
					mu.Unlock()
				}
			}
		})
	}
	for i := range items {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	var results []Result
	for i := range items {
		if perItem[i] == nil {
			// Not run: the run was cut short.
			results = append(results, Result{File: items[i].file, Profile: items[i].profile})
			continue
		}
		results = append(results, perItem[i]...)
	}
	if err := ctx.Err(); err != nil {
		return results, err
	}
	return results, joinErrs(loadErrs)
}

func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	if len(errs) == 1 {
		return errs[0]
	}
	var b strings.Builder
	for i, e := range errs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return fmt.Errorf("%s", b.String())
}

// runOne expresses and observes one case once, and compares the
// observation with the engine of each of the case's profiles: one Result
// per profile, in the order of it.profiles. t is the worker's tab: runOne
// opens one when *t is nil, and closes and clears it when it gets stuck.
func (b *Browser) runOne(ctx context.Context, t **tab, it *item, engines map[enforce.Profile]*enforce.Engine, known *KnownDifferences) []Result {
	rs := make([]Result, len(it.profiles))
	plans := make([]plan, len(it.profiles))
	first := -1
	want, chromiumWant := 0, -1
	if x := it.c.Expect.Reports; x != nil {
		want = len(*x)
	}
	for j, prof := range it.profiles {
		r := &rs[j]
		*r = Result{File: it.file, Profile: prof, Case: it.c, Known: known.lookup(it.file, prof, it.c.Name),
			KnownReason: known.lookupReason(it.file, prof, it.c.Name), BrowserName: b.Name()}
		// Whether a page can make the request may depend on the
		// profile (Mixed Content's upgrade): a profile that cannot is
		// skipped, the others share one observation.
		p, why := expressible(it, engines[prof])
		if why == "" && b.ff != nil {
			why = firefoxExpressible(&p)
		}
		if why != "" {
			r.Status, r.Skip = Skipped, why
			continue
		}
		plans[j] = p
		if first < 0 {
			first = j
		}
		eng := engines[prof]
		r.Page, r.Note = p.describe(), p.note
		pf := it.c.Preflight
		if pf == nil {
			pf = &unlistedPreflight
		}
		v, reps := eng.DecideWithPreflight(&p.request, pf, it.c.Hops, nil)
		r.Engine, r.EngineReports = v, conformance.ToFixture(reps)
		last := len(p.request.URLs) - 1
		if !v.Allows() && v.Hop < last {
			last = v.Hop
		}
		for i := 0; i <= last; i++ {
			r.EnginePreflight = r.EnginePreflight || eng.NeedsPreflight(&p.request, i)
		}
		if v.Allows() {
			r.EngineExposed = eng.ExposedHeaders(&p.request, &it.c.Hops[len(it.c.Hops)-1])
		}
		want = max(want, len(r.EngineReports))
		if prof == enforce.ProfileChromium && b.ff == nil {
			chromiumWant = len(r.EngineReports)
		}
	}
	if first < 0 {
		return rs
	}
	if chromiumWant >= 0 {
		// The Chromium profile follows Chromium, with no known
		// difference allowed: it says how many reports to wait for. (The
		// spec may want a report Chromium never sends: a URL with
		// credentials is refused before any check.)
		want = chromiumWant
	}
	p := &plans[first]
	obs, retry, took, err := b.observeCase(ctx, t, it, p, want)
	for j := range rs {
		r := &rs[j]
		if r.Status == Skipped {
			continue
		}
		r.Retry, r.Took = retry, took
		if err != nil {
			r.Browser, r.Status, r.Err = obs, Error, err
			continue
		}
		if b.ff != nil {
			if why := opaqueUnobservable(&plans[j], &obs); why != "" {
				r.Browser, r.Status, r.Skip = obs, Skipped, why
				continue
			}
		}
		compare(r, it, &plans[j], obs)
	}
	return rs
}

// observeCase runs the page of plan p in the browser, once more in a fresh
// tab if its reports come up short or its run fails the first time; retry
// says why it ran again, if it did.
func (b *Browser) observeCase(ctx context.Context, t **tab, it *item, p *plan, want int) (obs Observation, retry string, took time.Duration, err error) {
	if err := b.srv.ensure(addrsOf(p, it.requestURL)); err != nil {
		return obs, "", 0, err
	}
	start := time.Now()
	defer func() { took = time.Since(start) }()
	for attempt := 0; ; attempt++ {
		if *t == nil {
			nt, err := b.newTab()
			if err != nil {
				return obs, retry, 0, err
			}
			*t = nt
		}
		id := int(b.next.Add(1))
		sv := serve(it, p, id)
		if b.ff != nil {
			// Firefox queues no COEP reports for the page: its flush
			// waits for none (results are compared, not reports).
			sv.page = pageHTML(p, caseURL(it.requestURL, id, "0"), flushURL(id), 0)
		}
		obs, err = b.observe(ctx, *t, id, p, sv, want)
		if !(*t).reset() {
			(*t).cancel()
			*t = nil
		}
		if err != nil && attempt == 1 {
			return obs, retry, 0, err
		}
		if err == nil && (obs.Wait == "" || attempt == 1) {
			return obs, retry, 0, nil
		}
		// The reports came up short after the page's own flush said
		// they were all in, or never came: under load Chromium now and
		// then drops a COEP report, which no wait brings back. Run the
		// case once more, in a fresh tab, and say so; a second shortfall
		// or error stands.
		if err != nil {
			retry = "the first run failed (" + err.Error() + "); run again in a fresh tab"
		} else {
			retry = "the first run's reports came up short (" + obs.Wait + "); run again in a fresh tab"
		}
		if *t != nil {
			(*t).cancel()
			*t = nil
		}
	}
}

// compare sets r's problems and status from obs, the browser's
// observation of the page of plan p, and r's engine verdict.
func compare(r *Result, it *item, p *plan, obs Observation) {
	r.Browser = obs
	v := r.Engine
	engResult := "allowed"
	if !v.Allows() {
		engResult = "blocked" // Stripped and Undecided too: nothing reaches the page
	}
	preflighted := obs.Preflights > 0
	var ep []string
	resultDiffers := obs.Result != engResult
	if resultDiffers {
		ep = append(ep, fmt.Sprintf("%s %s, engine %s", r.BrowserName, obs.Result, describeVerdict(v)))
	}
	// Firefox sends no COEP reports through the Reporting API, and has no
	// DevTools reasons: only the results compare.
	firefox := r.BrowserName == "firefox"
	reportsDiffer := !firefox && !sameReports(obs.Reports, r.EngineReports)
	if reportsDiffer {
		ep = append(ep, "the reports differ")
	}
	if preflighted != r.EnginePreflight {
		ep = append(ep, fmt.Sprintf("%s sent a preflight: %v, the engine needs one: %v", r.BrowserName, preflighted, r.EnginePreflight))
	}
	exposedDiffers := obs.Exposed != nil && v.Allows() && !slices.Equal(obs.Exposed, nonNil(r.EngineExposed))
	if exposedDiffers {
		ep = append(ep, "the exposed headers differ")
	}
	if !firefox {
		r.Reason = checkReason(&obs, v, &p.request, !p.kind.isWorker())
	}
	if rp := r.Reason.problem(&obs); rp != "" {
		ep = append(ep, rp)
	}
	r.EngineProblem = strings.Join(ep, "; ")

	var fp []string
	if obs.Result != it.c.Expect.Result {
		fp = append(fp, fmt.Sprintf("%s %s, fixture expects %s", r.BrowserName, obs.Result, it.c.Expect.Result))
	}
	if it.c.Expect.Reports != nil && !firefox && !sameReports(obs.Reports, *it.c.Expect.Reports) {
		fp = append(fp, "the reports differ from the fixture's")
	}
	if it.c.Expect.Preflight != nil && *it.c.Expect.Preflight != preflighted {
		fp = append(fp, fmt.Sprintf("%s sent a preflight: %v, the fixture expects one: %v", r.BrowserName, preflighted, *it.c.Expect.Preflight))
	}
	if x := it.c.Expect.ExposedHeaders; x != nil && obs.Exposed != nil && !slices.Equal(obs.Exposed, nonNil(*x)) {
		fp = append(fp, "the exposed headers differ from the fixture's")
	}
	r.FixtureProblem = strings.Join(fp, "; ")

	d := r.Known
	switch {
	case r.EngineProblem == "" && d == nil && r.KnownReason == nil:
		r.Status = Pass
	case r.EngineProblem == "":
		r.Status = Stale
	case reasonStatus(r, &obs) == Fail || reasonStatus(r, &obs) == Stale:
		r.Status = reasonStatus(r, &obs)
	case r.EngineProblem == r.Reason.problem(&obs):
		// Only the reason differs, as annotated; d, if any, is stale.
		r.Status = Known
		if d != nil {
			r.Status = Stale
		}
	case d == nil:
		r.Status = Fail
	case d.Differs == "result" && resultDiffers && obs.Result == d.ChromiumResult,
		d.Differs == "reports" && !resultDiffers && reportsDiffer && obs.Result == d.ChromiumResult,
		d.Differs == "preflight" && !resultDiffers && preflighted != r.EnginePreflight && obs.Result == d.ChromiumResult,
		d.Differs == "exposedHeaders" && !resultDiffers && exposedDiffers && obs.Result == d.ChromiumResult:
		r.Status = Known
	default:
		r.Status = Stale
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func describeVerdict(v enforce.Verdict) string {
	if v.Allows() {
		return "allowed"
	}
	return fmt.Sprintf("%s (%s; %s; hop %d)", v.Result, v.Reason, v.Step, v.Hop)
}

// sameReports compares report lists as multisets: Chromium queues the
// enforce and report-only reports from separate code paths, so their
// order says nothing about the decision.
func sameReports(a, b []conformance.Report) bool {
	if len(a) != len(b) {
		return false
	}
	ka, kb := reportKeys(a), reportKeys(b)
	return slices.Equal(ka, kb)
}

func reportKeys(rs []conformance.Report) []string {
	keys := make([]string, len(rs))
	for i, r := range rs {
		keys[i] = formatReport(r)
	}
	slices.Sort(keys)
	return keys
}

func formatReport(r conformance.Report) string {
	s := r.Type + " " + r.Disposition + " " + r.BlockedURL
	if r.Destination != nil {
		s += " (destination " + *r.Destination + ")"
	}
	return s
}

func formatExposed(h []string, show bool) string {
	if !show {
		return ""
	}
	return ", exposed headers: [" + strings.Join(h, " ") + "]"
}

func formatReports(rs []conformance.Report) string {
	if len(rs) == 0 {
		return "none"
	}
	return strings.Join(reportKeys(rs), "; ")
}

// WriteResult prints one result: a line with its status, file and case,
// and how Chromium, the engine and the fixture compare; then, for a
// failure (or always, when verbose), the details.
func WriteResult(w io.Writer, r *Result, verbose bool) {
	name := fmt.Sprintf("%s: %s", r.File, r.Case.Name)
	switch r.Status {
	case Skipped:
		fmt.Fprintf(w, "%-5s %s\n", r.Status, name)
		fmt.Fprintf(w, "      not expressible: %s\n", r.Skip)
		return
	case Error:
		fmt.Fprintf(w, "%-5s %s\n      %v\n", r.Status, name, r.Err)
		return
	}
	engine, fixture := "agrees", "agrees"
	if r.EngineProblem != "" {
		engine = "differs"
	}
	if r.FixtureProblem != "" {
		fixture = "differs"
	}
	by := ""
	if r.Browser.By != "" {
		by = " (" + r.Browser.By + ")"
	}
	bn := r.BrowserName
	if bn == "" {
		bn = "chromium"
	}
	fmt.Fprintf(w, "%-5s %s\n      %s %s%s; engine %s; fixture %s\n", r.Status, name, bn, r.Browser.Result, by, engine, fixture)
	if r.Status == Known || r.Status == Stale {
		for _, d := range []*Difference{r.Known, r.KnownReason} {
			if d != nil {
				fmt.Fprintf(w, "      known difference (%s): spec: %s\n", d.Differs, d.SpecStep)
				fmt.Fprintf(w, "      %s: %s\n", bn, d.ChromiumBehaviour)
			}
		}
		if r.Status == Stale {
			fmt.Fprintf(w, "      STALE: %s no longer differs as annotated; update %s\n", bn, knownFile(bn))
		}
	}
	if !verbose && r.Status != Fail && r.Status != Stale {
		return
	}
	fmt.Fprintf(w, "      page:     %s", r.Page)
	if r.Browser.Page != "" {
		fmt.Fprintf(w, " (page event: %s)", r.Browser.Page)
	}
	fmt.Fprintln(w)
	if r.Note != "" {
		fmt.Fprintf(w, "      note:     %s\n", r.Note)
	}
	fmt.Fprintf(w, "      engine:   %s, reports: %s, preflight: %v%s\n", describeVerdict(r.Engine), formatReports(r.EngineReports), r.EnginePreflight, formatExposed(r.EngineExposed, r.Engine.Allows() && r.Browser.Exposed != nil))
	fmt.Fprintf(w, "      %s: %s%s, reports: %s, preflight: %v%s (requests %d)\n", bn, r.Browser.Result, by, formatReports(r.Browser.Reports), r.Browser.Preflights > 0, formatExposed(r.Browser.Exposed, r.Browser.Exposed != nil), r.Browser.Requests)
	writeReason(w, r)
	if r.Retry != "" {
		fmt.Fprintf(w, "      retried:  %s\n", r.Retry)
	}
	if r.Browser.Wait != "" {
		fmt.Fprintf(w, "      waited:   %s\n", r.Browser.Wait)
	}
	for _, m := range r.Browser.Console {
		fmt.Fprintf(w, "      console:  %s\n", m)
	}
	exp := "not checked"
	if r.Case.Expect.Reports != nil {
		exp = formatReports(*r.Case.Expect.Reports)
	}
	fmt.Fprintf(w, "      fixture:  %s, reports: %s\n", r.Case.Expect.Result, exp)
	if r.EngineProblem != "" {
		fmt.Fprintf(w, "      vs engine:  %s\n", r.EngineProblem)
	}
	if r.FixtureProblem != "" {
		fmt.Fprintf(w, "      vs fixture: %s\n", r.FixtureProblem)
	}
	if r.Case.Source != "" && r.Status == Fail {
		fmt.Fprintf(w, "      source:   %s\n", r.Case.Source)
	}
}

// Tally counts results per status.
type Tally struct {
	Pass, Fail, Known, Stale, Skipped, Error int
	// FixtureAgrees counts the cases run whose Chromium result and reports
	// meet the fixture's expectation.
	FixtureAgrees int
}

// Add counts r.
func (t *Tally) Add(r *Result) {
	switch r.Status {
	case Pass:
		t.Pass++
	case Fail:
		t.Fail++
	case Known:
		t.Known++
	case Stale:
		t.Stale++
	case Skipped:
		t.Skipped++
	case Error:
		t.Error++
	}
	if (r.Status == Pass || r.Status == Fail || r.Status == Known || r.Status == Stale) && r.FixtureProblem == "" {
		t.FixtureAgrees++
	}
}

// Run is the number of cases that ran in Chromium.
func (t Tally) Run() int { return t.Pass + t.Fail + t.Known + t.Stale }

// Failed is what "N failed" counts: unannotated differences, stale
// annotations and cases the harness could not observe.
func (t Tally) Failed() int { return t.Fail + t.Stale + t.Error }

// WriteSummary prints the per-file agreement, the Chromium version, the
// counts of known differences and inexpressible cases and the time taken,
// and ends with "N passed, N failed": passed counts the cases on which
// Chromium and the engine agree, failed the differences not annotated,
// stale annotations and cases the harness could not observe; known
// differences and inexpressible cases are in neither figure.
func WriteSummary(w io.Writer, results []Result, version string, took time.Duration) Tally {
	var total Tally
	var reasons ReasonTally
	perFile := map[string]*Tally{}
	perProfile := map[enforce.Profile]*Tally{}
	var order []string
	var profiles []enforce.Profile
	name := "chromium"
	for i := range results {
		r := &results[i]
		if r.Case == nil {
			continue // not run: the run was cut short
		}
		if r.BrowserName != "" {
			name = r.BrowserName
		}
		key := r.File + " (" + r.Profile.String() + " profile)"
		if perFile[key] == nil {
			perFile[key] = &Tally{}
			order = append(order, key)
		}
		if perProfile[r.Profile] == nil {
			perProfile[r.Profile] = &Tally{}
			profiles = append(profiles, r.Profile)
		}
		perFile[key].Add(r)
		perProfile[r.Profile].Add(r)
		total.Add(r)
		reasons.Add(r)
	}
	title := "Chromium"
	if name == "firefox" {
		title = "Firefox"
	}
	fmt.Fprintf(w, "\nAgreement of the engine with %s (%s), per file:\n", title, version)
	for _, k := range order {
		t := perFile[k]
		fmt.Fprintf(w, "  %-46s %3d/%-3d agree, %2d known, %2d failed; %2d not expressible; fixture met by %s %d/%d\n",
			k, t.Pass, t.Run()+t.Error, t.Known, t.Failed(), t.Skipped, title, t.FixtureAgrees, t.Run())
	}
	// Per profile: each case observed once is compared with every
	// profile's engine, so a case counts once per profile.
	slices.Sort(profiles)
	for _, p := range profiles {
		t := perProfile[p]
		fmt.Fprintf(w, "%s profile: %d/%d agree, %d known, %d failed; %d not expressible\n",
			p, t.Pass, t.Run()+t.Error, t.Known, t.Failed(), t.Skipped)
	}
	observed := map[*conformance.Case]bool{}
	for i := range results {
		if r := &results[i]; r.Case != nil && r.Status != Skipped {
			observed[r.Case] = true
		}
	}
	fmt.Fprintf(w, "%d cases run in the browser in %s, %d comparisons with the engine: %d agree, %d known differences (internal/browsertest/%s); %d not expressible in a page\n",
		len(observed), took.Round(time.Second), total.Run()+total.Error, total.Pass, total.Known, knownFile(name), total.Skipped)
	if name == "firefox" {
		fmt.Fprintf(w, "Firefox sends no COEP reports through the Reporting API: results compared only, not reports\n")
	}
	var retried []string
	seen := map[*conformance.Case]bool{}
	for i := range results {
		if results[i].Retry != "" && results[i].Case != nil && !seen[results[i].Case] {
			seen[results[i].Case] = true
			retried = append(retried, results[i].File+": "+results[i].Case.Name)
		}
	}
	if len(retried) > 0 {
		fmt.Fprintf(w, "%d case(s) ran a second time, their reports short or their run failed the first time: %s\n", len(retried), strings.Join(retried, "; "))
	}
	if name != "firefox" {
		reasons.write(w)
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", total.Pass, total.Failed())
	return total
}
