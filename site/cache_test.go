package site_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/xorigin/xorigin/origin"
	"github.com/xorigin/xorigin/site"
)

// TestCachedMatchesUncached checks that a cache changes no answer: on every
// host and pair of the tables, a cached Resolver answers as an uncached one
// on the same list, cold and warm, on caches large enough for every host and
// on caches so small they evict all the time, and on broken lists.
func TestCachedMatchesUncached(t *testing.T) {
	t.Parallel()
	lists := []struct {
		name string
		list site.PublicSuffixList
	}{
		{"x/net", nil},
		{"parsed", mustParseList(t, "testPSL", testPSL)},
		{"broken: empty", fakeList{func(string) string { return "" }}},
		{"broken: unrelated", fakeList{func(string) string { return "example.org" }}},
		{"every domain a suffix", fakeList{func(d string) string { return d }}},
	}
	var pairs [][2]origin.Origin
	for _, tc := range sameSiteCases {
		pairs = append(pairs, [2]origin.Origin{mustFromURL(t, tc.a), mustFromURL(t, tc.b)})
	}
	for _, l := range lists {
		for _, size := range []int{1, 8, 0} {
			t.Run(fmt.Sprintf("%s/%d entries", l.name, size), func(t *testing.T) {
				t.Parallel()
				plain, cached := site.New(l.list), site.NewCached(l.list, size)
				for pass := range 3 {
					for _, tc := range hostCases {
						ps, psOK := plain.PublicSuffix(tc.host)
						if got, ok := cached.PublicSuffix(tc.host); got != ps || ok != psOK {
							t.Errorf("pass %d: PublicSuffix(%q) = %q, %v; uncached %q, %v", pass, tc.host, got, ok, ps, psOK)
						}
						rd, rdOK := plain.RegistrableDomain(tc.host)
						if got, ok := cached.RegistrableDomain(tc.host); got != rd || ok != rdOK {
							t.Errorf("pass %d: RegistrableDomain(%q) = %q, %v; uncached %q, %v", pass, tc.host, got, ok, rd, rdOK)
						}
					}
					for _, p := range pairs {
						if got, want := cached.SameSite(p[0], p[1]), plain.SameSite(p[0], p[1]); got != want {
							t.Errorf("pass %d: SameSite(%v, %v) = %v, uncached %v", pass, p[0], p[1], got, want)
						}
						if got, want := cached.SchemelesslySameSite(p[0], p[1]), plain.SchemelesslySameSite(p[0], p[1]); got != want {
							t.Errorf("pass %d: SchemelesslySameSite(%v, %v) = %v, uncached %v", pass, p[0], p[1], got, want)
						}
					}
				}
				if n, c := site.CacheLen(cached); n > c {
					t.Errorf("cache holds %d entries, capacity %d", n, c)
				}
			})
		}
	}
}

// TestCacheAsksListOnce checks that a cache with room for every host asks
// the list once per host, however often it is asked.
func TestCacheAsksListOnce(t *testing.T) {
	t.Parallel()
	l := &recordingList{}
	r := site.NewCached(l, 0)
	hosts := map[string]bool{}
	for pass := range 3 {
		for _, tc := range hostCases {
			r.RegistrableDomain(tc.host)
			r.PublicSuffix(tc.host)
		}
		if pass == 0 {
			for _, tc := range hostCases {
				hosts[tc.host] = true
			}
			if len(l.calls) > len(hosts) {
				t.Errorf("first pass: list asked %d times for %d hosts", len(l.calls), len(hosts))
			}
		}
	}
	if n, _ := site.CacheLen(r); n != len(l.calls) {
		t.Errorf("cache holds %d entries; the list was asked %d times, want one entry per question", n, len(l.calls))
	}
	first := len(l.calls)
	for _, tc := range hostCases {
		r.RegistrableDomain(tc.host)
	}
	if len(l.calls) != first {
		t.Errorf("warm cache: the list was asked %d more times, want 0", len(l.calls)-first)
	}
}

// TestCacheBound checks the capacity rounding and that a cache never holds
// more entries than its capacity, and that domains longer than a DNS name
// are not cached.
func TestCacheBound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ entries, capacity int }{
		{-1, site.DefaultCacheEntries}, {0, site.DefaultCacheEntries},
		{1, 4}, {4, 4}, {5, 8}, {1000, 1024}, {1 << 30, 1 << 24},
	} {
		if _, c := site.CacheLen(site.NewCached(nil, tc.entries)); c != tc.capacity {
			t.Errorf("NewCached(nil, %d): capacity %d, want %d", tc.entries, c, tc.capacity)
		}
	}
	r := site.NewCached(nil, 64)
	for i := range 1000 {
		host := fmt.Sprintf("h%d.example%d.com", i, i%7)
		if rd, ok := r.RegistrableDomain(host); !ok || rd != fmt.Sprintf("example%d.com", i%7) {
			t.Fatalf("RegistrableDomain(%q) = %q, %v", host, rd, ok)
		}
	}
	if n, c := site.CacheLen(r); n != c || c != 64 {
		t.Errorf("after 1000 domains: %d entries, capacity %d; want a full cache of 64", n, c)
	}

	l := &recordingList{}
	r = site.NewCached(l, 0)
	long := strings.Repeat("a.", 127) + "example.com" // 265 bytes
	for range 3 {
		if rd, ok := r.RegistrableDomain(long); !ok || rd != "example.com" {
			t.Fatalf("RegistrableDomain(long) = %q, %v", rd, ok)
		}
	}
	if len(l.calls) != 3 {
		t.Errorf("a %d-byte domain: list asked %d times, want 3 (not cached)", len(long), len(l.calls))
	}
}

// TestCacheTellsHostsApart checks the cache's key on hosts built to share
// what it compares first: the length and the first and last eight bytes,
// differing only in between, or only in one byte, at every length from 1
// to 40. Four entries in one bucket: every host meets the others.
func TestCacheTellsHostsApart(t *testing.T) {
	t.Parallel()
	var hosts []string
	// 13 bytes: the same first eight. 24 and 32 bytes: the same first and
	// last eight bytes. The dots
	// moved in the middle, so the registrable domains differ.
	hosts = append(hosts, "abcdefgh.a.io", "abcdefghaa.io",
		"abcdefghx.yyyyyyzzzz.com", "abcdefghxx.yyyyyzzzz.com",
		"abcdefgh.x.yyyyyyyyzzzz.com", "abcdefgh.xx.yyyyyyyzzzz.com", "abcdefghxx.yy.yyyyyyyzzzz.com")
	for n := 1; n <= 40; n++ {
		// "a.b...", then the same with one byte changed, at each position.
		base := []byte(strings.Repeat("a.", n)[:n])
		hosts = append(hosts, string(base))
		for i := range n {
			v := append([]byte(nil), base...)
			if v[i] != '.' {
				v[i] = 'b'
			} else if i+1 < n {
				// A dot moved one byte on: other labels, other offsets.
				v[i], v[i+1] = v[i+1], v[i]
			}
			hosts = append(hosts, string(v))
		}
	}
	plain, cached := site.New(nil), site.NewCached(nil, 4)
	for pass := range 3 {
		for _, h := range hosts {
			want, wantOK := plain.RegistrableDomain(h)
			if got, ok := cached.RegistrableDomain(h); got != want || ok != wantOK {
				t.Fatalf("pass %d: RegistrableDomain(%q) = %q, %v; uncached %q, %v", pass, h, got, ok, want, wantOK)
			}
		}
		for i := 1; i < len(hosts); i++ {
			a, b := hosts[i-1], hosts[i]
			if got, want := cached.SameSiteHosts(a, b), plain.SameSiteHosts(a, b); got != want {
				t.Fatalf("pass %d: SameSiteHosts(%q, %q) = %v, uncached %v", pass, a, b, got, want)
			}
		}
	}
}

// TestCacheSpreadsHosts checks that families of hosts that differ only at
// their start, in their middle, or in their length fill a cache as evenly
// as random placement would: 2,048 hosts in 1,024 entries fill about 98%
// of the slots. A hash that skipped some of a host's bytes would pile a
// family into a few buckets.
func TestCacheSpreadsHosts(t *testing.T) {
	t.Parallel()
	for _, family := range []string{
		"%d.example.com",               // the start
		"www.user%d.blogspot.com",      // the middle, in a 24-byte host
		"a.b.c.d.e.f.%d.example.co.uk", // the middle, in a longer one
		"s%d.de",                       // short hosts
	} {
		r := site.NewCached(nil, 1024)
		for i := range 2048 {
			r.RegistrableDomain(fmt.Sprintf(family, i))
		}
		if n, c := site.CacheLen(r); n < c*9/10 {
			t.Errorf("%q: 2048 hosts fill %d of %d slots, want at least 90%%", family, n, c)
		}
	}
}

// TestCacheKeepsNoCallerString checks that the answers of a cached Resolver
// are substrings of the host it is given, not of a string a previous caller
// passed, and that the cache holds a copy of the domain.
func TestCacheKeepsNoCallerString(t *testing.T) {
	t.Parallel()
	r := site.NewCached(nil, 0)
	buf := []byte("www.example.co.uk")
	first := string(buf) // a fresh string
	r.RegistrableDomain(first)
	second := strings.Clone(first)
	rd, ok := r.RegistrableDomain(second)
	if !ok || rd != "example.co.uk" {
		t.Fatalf("RegistrableDomain = %q, %v", rd, ok)
	}
	if !sameMemory(second[len(second)-len(rd):], rd) {
		t.Error("a cache hit returned a string that is not a substring of the host asked")
	}
}

// sameMemory reports whether a and b are the same bytes in memory.
func sameMemory(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// TestCacheConcurrent shares a small cache, evicting all the time, among
// goroutines that check every answer, for the race detector.
func TestCacheConcurrent(t *testing.T) {
	t.Parallel()
	r := site.NewCached(nil, 16)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 500 {
				host := fmt.Sprintf("h%d.s%d.co.uk", i%50, (i+g)%40)
				want := fmt.Sprintf("s%d.co.uk", (i+g)%40)
				if rd, ok := r.RegistrableDomain(host); !ok || rd != want {
					t.Errorf("RegistrableDomain(%q) = %q, %v; want %q", host, rd, ok, want)
					return
				}
				a := origin.MustParse("https://" + host)
				b := origin.MustParse("https://www." + want)
				if !r.SameSite(a, b) {
					t.Errorf("SameSite(%v, %v) = false", a, b)
					return
				}
			}
		})
	}
	wg.Wait()
}

// domains returns n (up to 100,000) distinct hosts of 17 to 27 bytes, longer
// than a cache entry holds in itself, with registrable domains under a mix
// of public suffixes.
func domains(n int) []string {
	suffixes := []string{"com", "co.uk", "github.io", "org", "com.au", "de", "blogspot.com", "net"}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("www%d.site%05d.%s", i%3, i, suffixes[i%len(suffixes)])
	}
	return out
}

var lookupHosts = []struct{ name, host string }{
	{"short", "example.com"},
	{"deep", "a.b.c.www.example.co.uk"},
	{"private", "x.a.github.io"},
}

// BenchmarkSite measures a registrable-domain lookup on x/net's list: cold
// (no cache: x/net's table walk and its one allocation), a cache hit, a
// cache miss (the lookup and the insertion), and hits over many domains,
// which also reports the heap each entry costs.
func BenchmarkSite(b *testing.B) {
	for _, h := range lookupHosts {
		b.Run("cold/"+h.name, func(b *testing.B) {
			r := site.New(nil)
			b.ReportAllocs()
			for b.Loop() {
				sinkString, sinkBool = r.RegistrableDomain(h.host)
			}
		})
	}
	for _, h := range lookupHosts {
		b.Run("cached/hit/"+h.name, func(b *testing.B) {
			r := site.NewCached(nil, 0)
			r.RegistrableDomain(h.host)
			b.ReportAllocs()
			for b.Loop() {
				sinkString, sinkBool = r.RegistrableDomain(h.host)
			}
		})
	}
	b.Run("cached/miss", func(b *testing.B) {
		hosts := domains(1 << 16)
		r := site.NewCached(nil, 64) // 1 hit in 1024 at most
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			sinkString, sinkBool = r.RegistrableDomain(hosts[i&(len(hosts)-1)])
			i++
		}
	})
	// Hits over many domains, and the heap each entry costs: hosts of 17
	// to 27 bytes (an entry and a copy of the host) and hosts of 13 to 16
	// bytes (an entry alone).
	b.Run("cached/hit/16Ki-domains", func(b *testing.B) { benchmarkManyHits(b, domains(1<<14)) })
	b.Run("cached/hit/16Ki-short-domains", func(b *testing.B) {
		hosts := make([]string, 1<<14)
		for i := range hosts {
			hosts[i] = fmt.Sprintf("s%d.example.de", i) // 13 to 17 bytes: cut to 16
			if len(hosts[i]) > 16 {
				hosts[i] = fmt.Sprintf("s%d.exampl.de", i)
			}
		}
		benchmarkManyHits(b, hosts)
	})
}

// benchmarkManyHits fills a default-size cache with hosts, reporting the
// heap each entry costs, then measures hits spread over all of them.
func benchmarkManyHits(b *testing.B, hosts []string) {
	r := site.NewCached(nil, site.DefaultCacheEntries)
	// The table exists after the first insertion; what the others add
	// is theirs.
	r.RegistrableDomain(hosts[0])
	before := heapAlloc()
	for _, h := range hosts[1:] {
		r.RegistrableDomain(h)
	}
	after := heapAlloc()
	stored, capacity := site.CacheLen(r)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		sinkString, sinkBool = r.RegistrableDomain(hosts[i&(len(hosts)-1)])
		i++
	}
	// After the loop: b.Loop's first call resets reported metrics.
	b.ReportMetric(float64(after-before)/float64(stored-1), "B/entry")
	b.ReportMetric(float64(capacity*10)/float64(1<<10), "KiB-table") // 8 bytes a slot, 8 a bucket
}

// BenchmarkSiteParallel is BenchmarkSite's cold and cache-hit lookups from
// GOMAXPROCS goroutines: lookups take no lock, so hits scale.
func BenchmarkSiteParallel(b *testing.B) {
	hosts := domains(1 << 12)
	for _, bc := range []struct {
		name string
		r    *site.Resolver
	}{
		{"cold", site.New(nil)},
		{"cached", site.NewCached(nil, 0)},
	} {
		for _, h := range hosts {
			bc.r.RegistrableDomain(h)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				var s string
				for pb.Next() {
					s, _ = bc.r.RegistrableDomain(hosts[i&(len(hosts)-1)])
					i++
				}
				_ = s
			})
		})
	}
}

func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
