package enforce_test

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// Hostile header lists: the CORS checks do work linear in them.
//
// The complexity tests compare the work on a large input with the work on a
// small one (growth): a ratio, so the machine's speed cancels out, and no
// time limit.

// growth returns how many times longer f(large) takes than f(small), each
// the fastest of rounds runs (the fastest run is the one least disturbed by
// the rest of the machine). Work linear in n grows by about large/small;
// quadratic work by its square. Callers allow several times the linear
// growth (caches, a log factor, a busy machine) and still fail quadratic
// work by a wide margin.
func growth(rounds int, f func(n int), small, large int) float64 {
	fastest := func(n int) time.Duration {
		best := time.Duration(1<<63 - 1)
		for range rounds {
			runtime.GC() // no collection owed by earlier work lands in this run
			start := time.Now()
			f(n)
			best = min(best, time.Since(start))
		}
		return max(best, 1)
	}
	f(small) // warm up
	return float64(fastest(large)) / float64(fastest(small))
}

// headerNames returns n distinct header names with prefix, in canonical
// form.
func headerNames(prefix string, n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = http.CanonicalHeaderKey(fmt.Sprintf("%s-%07d", prefix, i))
	}
	return names
}

// corsFixture is a CORS request from the hostile page with n unsafe header
// names, a preflight answer allowing them (listed in reverse order, upper
// case, so that a search from the front finds each last), and a response
// exposing them.
type corsFixture struct {
	req       *fetchctx.Request
	preflight enforce.Response
	final     enforce.Response
}

func newCORSFixture(n int) *corsFixture {
	names := headerNames("X-Custom", n)
	h := http.Header{}
	for _, name := range names {
		h.Set(name, "1")
	}
	reversed := make([]string, n)
	for i, name := range names {
		reversed[n-1-i] = strings.ToUpper(name)
	}
	list := strings.Join(reversed, ", ")
	ph := http.Header{}
	ph.Set("Access-Control-Allow-Origin", hostilePage)
	ph.Set("Access-Control-Allow-Methods", "PUT")
	ph.Set("Access-Control-Allow-Headers", list)
	fh := h.Clone()
	fh.Set("Access-Control-Allow-Origin", hostilePage)
	fh.Set("Access-Control-Expose-Headers", list)
	f := &corsFixture{req: &fetchctx.Request{Origin: origin.MustParse(hostilePage), Mode: fetchctx.ModeCORS, Method: http.MethodPut,
		Header: h, URLs: []fetchctx.URL{fetchctx.MustParseURL("http://api.other.test/r")}}}
	f.preflight, _ = enforce.ParseResponse(200, ph)
	f.final, _ = enforce.ParseResponse(200, fh)
	return f
}

var sinkNames []string

// TestHostileCheckPreflightManyNames: checking a preflight answer for a
// request with n unsafe header names is linear in n.
func TestHostileCheckPreflightManyNames(t *testing.T) {
	e := enforce.New(enforce.Config{})
	fixtures := map[int]*corsFixture{1_000: newCORSFixture(1_000), 10_000: newCORSFixture(10_000)}
	for n, f := range fixtures {
		if v := e.CheckPreflight(f.req, 0, &f.preflight); !v.Allows() {
			t.Fatalf("%d names: %+v, want allowed", n, v)
		}
	}
	g := growth(5, func(n int) { sinkV = e.CheckPreflight(fixtures[n].req, 0, &fixtures[n].preflight) }, 1_000, 10_000)
	t.Logf("growth %.1f", g)
	if g > 50 {
		t.Errorf("10,000 names cost %.0f times 1,000 names, want about 10 (quadratic: 100)", g)
	}
}

// TestHostileExposedHeadersManyNames: filtering a response of n headers
// against an Access-Control-Expose-Headers list of n names is linear in n.
func TestHostileExposedHeadersManyNames(t *testing.T) {
	e := enforce.New(enforce.Config{})
	fixtures := map[int]*corsFixture{1_000: newCORSFixture(1_000), 10_000: newCORSFixture(10_000)}
	for n, f := range fixtures {
		// The n names, Access-Control-Allow-Origin and
		// Access-Control-Expose-Headers are not exposed.
		if got := e.ExposedHeaders(f.req, &f.final); len(got) != n {
			t.Fatalf("%d names: %d exposed, want %d", n, len(got), n)
		}
	}
	g := growth(5, func(n int) { sinkNames = e.ExposedHeaders(fixtures[n].req, &fixtures[n].final) }, 1_000, 10_000)
	t.Logf("growth %.1f", g)
	if g > 50 {
		t.Errorf("10,000 names cost %.0f times 1,000 names, want about 10 (quadratic: 100)", g)
	}
}

func BenchmarkCheckPreflight(b *testing.B) {
	e := enforce.New(enforce.Config{})
	for _, n := range []int{10, 10_000} {
		f := newCORSFixture(n)
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkV = e.CheckPreflight(f.req, 0, &f.preflight)
			}
		})
	}
}

func BenchmarkExposedHeaders(b *testing.B) {
	e := enforce.New(enforce.Config{})
	for _, n := range []int{10, 10_000} {
		f := newCORSFixture(n)
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkNames = e.ExposedHeaders(f.req, &f.final)
			}
		})
	}
}
