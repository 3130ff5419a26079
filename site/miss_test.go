package site_test

import (
	"runtime"
	"strconv"
	"testing"

	"golang.org/x/net/publicsuffix"

	"github.com/xorigin/xorigin/internal/cpuclock"
	"github.com/xorigin/xorigin/site"
)

// distinctHosts returns n distinct canonical hosts of the shapes a crawl
// meets: subdomains of registrable domains under one- and two-label
// suffixes (com, co.uk, com.au), private suffixes (github.io,
// blogspot.com), a wildcard rule (*.kawasaki.jp), bare registrable
// domains, and one host in 16 an IP address (IPv4, or IPv6 one in 64).
// Host i is the same in every call.
func distinctHosts(n int) []string {
	out := make([]string, n)
	var b []byte
	for i := range out {
		b = b[:0]
		s := strconv.AppendInt(nil, int64(i), 36)
		switch i % 16 {
		case 0:
			if i%64 == 0 {
				b = append(b, "[2001:db8::"...)
				b = strconv.AppendUint(b, uint64(i)&0xffff, 16)
				b = append(b, ':')
				b = strconv.AppendUint(b, uint64(i>>16)&0xffff, 16)
				b = append(b, ']')
			} else {
				b = append(b, "10."...)
				b = strconv.AppendUint(b, uint64(i>>16)&0xff, 10)
				b = append(b, '.')
				b = strconv.AppendUint(b, uint64(i>>8)&0xff, 10)
				b = append(b, '.')
				b = strconv.AppendUint(b, uint64(i)&0xff, 10)
			}
		case 1, 2, 3:
			b = append(append(append(b, "www."...), s...), ".example.com"...)
		case 4, 5:
			b = append(append(append(b, "cdn.s"...), s...), ".co.uk"...)
		case 6:
			b = append(append(append(b, "static.img.shop"...), s...), ".com.au"...)
		case 7:
			b = append(append(append(b, "u"...), s...), ".github.io"...)
		case 8:
			b = append(append(append(b, "blog"...), s...), ".blogspot.com"...)
		case 9:
			b = append(append(append(b, "www.city"...), s...), ".kawasaki.jp"...)
		case 10, 11:
			b = append(append(append(b, "site"...), s...), ".de"...)
		case 12:
			b = append(append(append(b, "api.v2.service"...), s...), ".net"...)
		default:
			b = append(append(append(b, "m.news"...), s...), ".org"...)
		}
		out[i] = string(b)
	}
	return out
}

// TestDistinctHosts checks the generator: distinct, canonical hosts, IP
// hosts among them, every domain with a registrable domain.
func TestDistinctHosts(t *testing.T) {
	t.Parallel()
	hosts := distinctHosts(1 << 14)
	seen := map[string]bool{}
	ips := 0
	for _, h := range hosts {
		if seen[h] {
			t.Fatalf("%q twice", h)
		}
		seen[h] = true
		if _, ok := site.Default().PublicSuffix(h); !ok {
			ips++
		} else if _, ok := site.Default().RegistrableDomain(h); !ok {
			t.Errorf("%q has no registrable domain", h)
		}
	}
	if ips != len(hosts)/16 {
		t.Errorf("%d IP hosts, want %d", ips, len(hosts)/16)
	}
}

// missHosts is the number of distinct hosts BenchmarkSiteMiss asks about.
const missHosts = 1 << 20

var missHostList []string

// fullCache returns a default-size cached Resolver filled with hosts that
// BenchmarkSiteMiss does not ask about: a cache that a crawl has filled.
func fullCache() *site.Resolver {
	r := site.NewCached(nil, 0)
	for i := range 2 * site.DefaultCacheEntries {
		r.RegistrableDomain("www.filled" + strconv.Itoa(i) + ".example.net")
	}
	return r
}

// BenchmarkSiteMiss measures RegistrableDomain on hosts seen once: each of
// 1,048,576 distinct hosts in turn (a crawl that rarely meets a host
// again), side by side: on a full default-size cache
// (site.NewCached(nil, 0)), where every lookup misses; without a cache
// (site.Default()); and x/net's EffectiveTLDPlusOne, which the naive check
// calls. A miss must cost at most 10% more than no cache, and no
// allocation beyond the list's (x/net's allocates on every domain; one
// host in 16 is an IP address, which it is not asked about). Once through
// the hosts, the cache is replaced by a full one that has not seen them,
// outside the timing, and its garbage collected there. Beside ns/op it reports cpu-ns/op, the
// process's CPU time per lookup, which a busy machine disturbs less.
func BenchmarkSiteMiss(b *testing.B) {
	if missHostList == nil {
		missHostList = distinctHosts(missHosts)
	}
	hosts := missHostList
	xnet := func(h string) (string, bool) {
		rd, err := publicsuffix.EffectiveTLDPlusOne(h)
		return rd, err == nil
	}
	for _, bc := range []struct {
		name string
		new  func() func(string) (string, bool)
	}{
		{"cached", func() func(string) (string, bool) { return fullCache().RegistrableDomain }},
		{"uncached", func() func(string) (string, bool) { return site.Default().RegistrableDomain }},
		{"x-net", func() func(string) (string, bool) { return xnet }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			lookup := bc.new()
			runtime.GC()
			i := 0
			b.ReportAllocs()
			var cpu cpuclock.Clock
			cpu.Start()
			for b.Loop() {
				if i == len(hosts) {
					cpu.Stop()
					b.StopTimer()
					lookup, i = bc.new(), 0
					// The garbage of building the full cache is collected
					// here, not by the timed lookups that follow.
					runtime.GC()
					b.StartTimer()
					cpu.Start()
				}
				sinkString, sinkBool = lookup(hosts[i])
				i++
			}
			cpu.Report(b)
		})
	}
}

// TestCacheMissAllocates checks that on a full cache a host seen once
// costs no allocation of the cache's: on a list that allocates nothing
// (a parsed List), a miss allocates nothing, and the cache stays as it
// was. Not parallel: AllocsPerRun.
func TestCacheMissAllocates(t *testing.T) {
	list := mustParseList(t, "testPSL", testPSL)
	r := site.NewCached(list, 1024)
	for i := range 8 * 1024 {
		r.RegistrableDomain("www.filled" + strconv.Itoa(i) + ".co.uk")
	}
	hosts := distinctHosts(1 << 14)
	i := 0
	n := testing.AllocsPerRun(len(hosts)-1, func() {
		sinkString, sinkBool = r.RegistrableDomain(hosts[i])
		i++
	})
	// A one-byte tag may match one a bucket remembers (4 in 255): a few
	// hosts are taken, with an entry each.
	if n > 0.05 {
		t.Errorf("a miss on a full cache: %v allocations, want about 0", n)
	}
}

// TestCacheAdmitsHostsSeenAgain checks the admission policy on a full
// cache: a host seen once is not stored, a host seen again soon after is,
// and a host evicted while in use comes back at its next miss.
func TestCacheAdmitsHostsSeenAgain(t *testing.T) {
	t.Parallel()
	l := &recordingList{}
	r := site.NewCached(l, 4) // one bucket
	fill := []string{"a.example.com", "b.example.com", "c.example.com", "d.example.com"}
	for _, h := range fill {
		r.RegistrableDomain(h)
	}
	asked := func(host string) int {
		before := len(l.calls)
		if rd, ok := r.RegistrableDomain(host); !ok || rd != "example.com" {
			t.Fatalf("RegistrableDomain(%q) = %q, %v", host, rd, ok)
		}
		return len(l.calls) - before
	}
	// Seen once: asked, not stored; the four stay.
	if n := asked("e.example.com"); n != 1 {
		t.Fatalf("a new host: list asked %d times, want 1", n)
	}
	for _, h := range fill {
		if n := asked(h); n != 0 {
			t.Errorf("%s, stored before: list asked %d times after a host seen once, want 0", h, n)
		}
	}
	// Seen again: stored, evicting one of the four.
	asked("e.example.com")
	if n := asked("e.example.com"); n != 0 {
		t.Errorf("a host seen twice: list asked %d times at its third lookup, want 0", n)
	}
	evicted := 0
	for _, h := range fill {
		if n := asked(h); n != 0 {
			evicted++
			// Evicted while in use: back at its next miss.
			if n := asked(h); n != 0 {
				t.Errorf("%s, evicted: list asked %d times after its miss, want 0", h, n)
			}
		}
	}
	if evicted == 0 {
		t.Error("no host was evicted for the host seen twice")
	}
	if n, c := site.CacheLen(r); n != c {
		t.Errorf("%d entries, want a full cache of %d", n, c)
	}
}

// TestCacheStandsAside checks the bypass: a run of new hosts makes the
// cache stand aside (a later new host is not stored, whatever its
// bucket), and hosts that repeat bring it back, after which the list is
// asked once per host. Every answer is the uncached one throughout.
func TestCacheStandsAside(t *testing.T) {
	t.Parallel()
	l := &recordingList{}
	r := site.NewCached(l, 1<<14)
	check := func(h string) {
		t.Helper()
		got, gotOK := r.RegistrableDomain(h)
		want, wantOK := site.Default().RegistrableDomain(h)
		if got != want || gotOK != wantOK {
			t.Fatalf("RegistrableDomain(%q) = %q, %v; uncached %q, %v", h, got, gotOK, want, wantOK)
		}
	}
	// 256 Ki new hosts: some 4,096 sampled lookups, none a hit.
	hosts := distinctHosts(1 << 18)
	for _, h := range hosts {
		check(h)
	}
	if !site.CacheStandsAside(r) {
		t.Fatal("after 262,144 new hosts the cache does not stand aside")
	}
	// Standing aside, a host seen twice is not stored unless sampled:
	// most of these are asked of the list every time.
	before := len(l.calls)
	for range 3 {
		for _, h := range hosts[:256] {
			check(h)
		}
	}
	if asked := len(l.calls) - before; asked < 3*256*8/10 {
		t.Errorf("standing aside, 256 domains looked up 3 times asked the list %d times, want most of the 768 lookups (one host in 16 is an IP address, never asked)", asked)
	}
	// Hosts that repeat: 4,096 of them, 32 rounds. The sampled ones hit
	// from their third lookup on, and the cache steps back in.
	repeat := hosts[len(hosts)-4096:]
	for range 32 {
		for _, h := range repeat {
			check(h)
		}
		if !site.CacheStandsAside(r) {
			break
		}
	}
	if site.CacheStandsAside(r) {
		t.Fatal("hosts that repeat did not bring the cache back")
	}
	// Back in: a host is stored at its second miss and hits from then on.
	for range 4 {
		for _, h := range repeat {
			check(h)
		}
	}
	before = len(l.calls)
	for _, h := range repeat {
		check(h)
	}
	// (Some lose their entries to random evictions in a full cache;
	// standing aside, about 3,800 would be asked: all but the IP
	// addresses and the sampled hosts.)
	if asked := len(l.calls) - before; asked > len(repeat)/4 {
		t.Errorf("with the cache back, 4,096 hosts seen five times asked the list %d times on their sixth lookup, want under 1,024", asked)
	}
}
