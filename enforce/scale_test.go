package enforce_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/site"
)

// TestScale is a crawl in miniature: decisions from strings (page origin,
// URL, raw headers) over generated hosts under the public suffix list,
// from GOMAXPROCS goroutines sharing one engine, reporting decisions per
// second, public suffix list lookups and peak heap. It checks every
// verdict it samples against an engine without a site cache.
//
// With XORIGIN_SCALE=1 it makes one million decisions across 50,000 hosts
// (scripts/bench.sh runs it so, for BENCHMARKS.md); otherwise 20,000 across
// 2,000, so that it stays quick under -race in CI; -short skips it. It
// asserts no timing.
func TestScale(t *testing.T) {
	if testing.Short() {
		t.Skip("scale test: skipped with -short")
	}
	decisions, hosts := 20_000, 2_000
	if os.Getenv("XORIGIN_SCALE") == "1" {
		decisions, hosts = 1_000_000, 50_000
	}
	w := newWorkload(hosts)

	list := &countingList{}
	// The default engine's resolver, counting lookups; the CORP and COEP
	// checks, which the naive check makes (ORB needs the response's header
	// map, which raw pairs do not make).
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP, Sites: site.NewCached(list, 0)})
	plain := enforce.New(enforce.Config{Checks: enforce.CheckCORP, SiteCacheEntries: -1})

	heapBefore := heapObjects()
	var peak atomic.Uint64
	peak.Store(heapBefore)
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if h := heapObjects(); h > peak.Load() {
					peak.Store(h)
				}
			}
		}
	})

	workers := runtime.GOMAXPROCS(0)
	var allowed, checked atomic.Int64
	start := time.Now()
	fanOut(decisions, workers, func(rng *rand.Rand, n int) {
		var s scratch
		for i := range n {
			d := w.pick(rng)
			v, err := decideFromStrings(e, &s, d.page, d.policy, d.url, 200, d.headers)
			if err != nil {
				t.Error(err)
				return
			}
			if v.Allows() {
				allowed.Add(1)
			}
			// The cache never changes a verdict: check a sample.
			if i%97 == 0 {
				checked.Add(1)
				if want, _ := decideFromStrings(plain, nil, d.page, d.policy, d.url, 200, d.headers); v != want {
					t.Errorf("%s -> %s (%v): cached engine %+v, uncached %+v", d.page, d.url, d.policy.Value, v, want)
					return
				}
			}
		}
	})
	elapsed := time.Since(start)
	close(stop)
	sampler.Wait()
	if h := heapObjects(); h > peak.Load() {
		peak.Store(h)
	}

	// The cache asks the list about once per host: a little more, as a
	// four-way cache three-quarters full evicts a few hosts its buckets
	// cannot hold, and two goroutines may miss on the same host at once.
	lookups := list.n.Load()
	if lookups > int64(hosts)*11/10 {
		t.Errorf("%d public suffix list lookups for %d hosts: the cache should ask about once per host", lookups, hosts)
	}
	naive := naiveRate(w, decisions, workers)
	if a := allowed.Load(); a == 0 || a == int64(decisions) {
		t.Errorf("%d of %d decisions allowed: the workload should mix verdicts", a, decisions)
	}
	const mib = 1 << 20
	t.Logf("scale: %d decisions across %d hosts (%d sites), %d goroutines: %.0f decisions/s (%.0f ns each, wall clock)",
		decisions, hosts, len(w.sites), workers, float64(decisions)/elapsed.Seconds(), float64(elapsed.Nanoseconds())/float64(decisions))
	t.Logf("scale: %d allowed, %d blocked; %d public suffix list lookups (%.3f per decision); %d verdicts checked against an uncached engine",
		allowed.Load(), int64(decisions)-allowed.Load(), lookups, float64(lookups)/float64(decisions), checked.Load())
	t.Logf("scale: the naive baseline on the same workload: %.0f decisions/s", naive)
	t.Logf("scale: peak heap %.1f MiB (%.1f MiB before the decisions; sampled every millisecond)",
		float64(peak.Load())/mib, float64(heapBefore)/mib)
}

// naiveRate runs naiveAllows on the decisions TestScale makes, from as many
// goroutines, and returns decisions per second.
func naiveRate(w *workload, decisions, workers int) float64 {
	var allowed atomic.Int64
	start := time.Now()
	fanOut(decisions, workers, func(rng *rand.Rand, n int) {
		a := int64(0)
		for range n {
			d := w.pick(rng)
			if naiveAllows(d.page, d.url, d.headers) {
				a++
			}
		}
		allowed.Add(a)
	})
	return float64(decisions) / time.Since(start).Seconds()
}

// fanOut runs decisions calls' worth of work on workers goroutines and
// waits: goroutine g runs work with its own generator, seeded by g (so
// TestScale and naiveRate draw the same decisions), and its share n.
func fanOut(decisions, workers int, work func(rng *rand.Rand, n int)) {
	fanOutSeeded(decisions, workers, 1, work)
}

// fanOutSeeded is fanOut with the goroutines' generators seeded by seed
// (and each goroutine's index): the same seed gives the same work.
func fanOutSeeded(decisions, workers int, seed uint64, work func(rng *rand.Rand, n int)) {
	var wg sync.WaitGroup
	for g := range workers {
		n := decisions / workers
		if g == 0 {
			n += decisions % workers
		}
		wg.Go(func() { work(rand.New(rand.NewPCG(uint64(g), seed)), n) })
	}
	wg.Wait()
}

// workload holds the generated hosts: sites of four hosts each, under a
// mix of public suffixes (multi-label, private, wildcard and exception
// rules, and an unlisted TLD).
type workload struct {
	sites   [][]string // hosts per site
	pages   []string   // serialized origins, per host
	urls    []string   // resource URLs, per host
	headers [][][2]string
}

var scaleSuffixes = []string{
	"com", "co.uk", "github.io", "org", "com.au", "de", "blogspot.com", "net",
	"kawasaki.jp", "www.ck", "appspot.com", "test",
}

func newWorkload(hosts int) *workload {
	w := &workload{}
	for _, v := range []string{"", "same-origin", "same-site", "cross-origin"} {
		h := [][2]string{{"Content-Type", "text/javascript"}, {"Cache-Control", "max-age=60"}}
		if v != "" {
			h = append(h, [2]string{"Cross-Origin-Resource-Policy", v})
		}
		w.headers = append(w.headers, h)
	}
	for len(w.pages) < hosts {
		k := len(w.sites)
		suffix := scaleSuffixes[k%len(scaleSuffixes)]
		base := "s" + strconv.Itoa(k) + "." + suffix
		if suffix == "kawasaki.jp" { // *.kawasaki.jp: one more label
			base = "x." + base
		}
		var site []string
		for _, sub := range []string{"www.", "cdn.", "api.", "img."} {
			if len(w.pages) == hosts {
				break
			}
			h := sub + base
			site = append(site, h)
			w.pages = append(w.pages, "https://"+h)
			w.urls = append(w.urls, fmt.Sprintf("https://%s/static/%d/app.js?v=%d", h, k%100, k%7))
		}
		w.sites = append(w.sites, site)
	}
	return w
}

type decision struct {
	page, url string
	policy    fetchctx.EmbedderPolicy
	headers   [][2]string
}

// pick draws a decision: a third same host, a third another host of the
// same site, a third any host; any header; any embedder policy.
func (w *workload) pick(rng *rand.Rand) decision {
	p := rng.IntN(len(w.pages))
	q := p
	switch rng.IntN(3) {
	case 1:
		q = p - p%4 + rng.IntN(4)
		if q >= len(w.pages) {
			q = p
		}
	case 2:
		q = rng.IntN(len(w.pages))
	}
	values := []fetchctx.EmbedderPolicyValue{fetchctx.UnsafeNone, fetchctx.RequireCORP, fetchctx.Credentialless}
	return decision{
		page:    w.pages[p],
		url:     w.urls[q],
		policy:  fetchctx.EmbedderPolicy{Value: values[rng.IntN(len(values))]},
		headers: w.headers[rng.IntN(len(w.headers))],
	}
}

// countingList is x/net's list, counting lookups.
type countingList struct{ n atomic.Int64 }

func (l *countingList) PublicSuffix(d string) string {
	l.n.Add(1)
	return publicsuffix.List.PublicSuffix(d)
}

func (l *countingList) String() string { return publicsuffix.List.String() }

// heapObjects returns the bytes of live and not yet swept heap objects.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
