package enforce

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// liveHeap returns the bytes of live heap objects after a full collection.
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestPreflightChargeCoversTheHeap: what the cache charges an entry is at
// least what the entry holds on the heap, for answers of 1 to 500 names,
// so that its byte bound bounds the heap. Not parallel: it measures the
// heap.
func TestPreflightChargeCoversTheHeap(t *testing.T) {
	for _, n := range []int{1, 10, 500} {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("X-Allowed-Name-%07d", i)
		}
		h := http.Header{"Access-Control-Allow-Headers": {strings.Join(names, ",")}, "Access-Control-Allow-Methods": {"PUT, PATCH"}}
		c := newPreflightCache(1 << 30)
		before := liveHeap()
		for i := range 200 {
			k := preflightKey{origin: "http://app.example.test", url: fmt.Sprintf("http://api.other.test/r%d", i)}
			e, ok := newPreflightEntry(h, "PUT", nil, len(k.origin)+len(k.url))
			if !ok {
				t.Fatalf("%d names: over the cap of one entry", n)
			}
			c.store(k, e, time.Hour)
		}
		held := liveHeap() - before
		runtime.KeepAlive(c)
		t.Logf("%d names: %d bytes charged, %d held", n, c.used, held)
		if held > int64(c.used) {
			t.Errorf("%d names: %d bytes charged, but %d held", n, c.used, held)
		}
	}
}

// TestPreflightEntryOverTheCap: an answer over the cap of one entry is
// cached as far as the request used it (its method, its names, "*"), a
// subset of the answer; past the cap even so, not at all.
func TestPreflightEntryOverTheCap(t *testing.T) {
	t.Parallel()
	big := make([]string, 0, 5000)
	for i := range cap(big) {
		big = append(big, fmt.Sprintf("x-allowed-%07d", i))
	}
	h := http.Header{
		"Access-Control-Allow-Methods": {"PUT, PATCH, *"},
		"Access-Control-Allow-Headers": {strings.Join(big, ", ") + ", X-Token, *"},
	}
	e, ok := newPreflightEntry(h, "PUT", []string{"x-allowed-0000007", "x-other", "x-token"}, 40)
	if !ok {
		t.Fatal("not cached at all")
	}
	if e.size > preflightEntryBytes || len(e.methods) != 1 || len(e.names) != 2 || !e.anyMethod || !e.anyName {
		t.Errorf("size %d, methods %v, names %v, * %v %v; want PUT, x-allowed-0000007, x-token and both *", e.size, e.methods, e.names, e.anyMethod, e.anyName)
	}
	for _, n := range []string{"x-allowed-0000007", "x-token"} {
		if _, ok := e.names[n]; !ok {
			t.Errorf("%s not kept", n)
		}
	}
	// A request whose own names are over the cap: nothing is cached.
	if _, ok := newPreflightEntry(h, "PUT", big, 40); ok {
		t.Error("an entry over the cap was cached")
	}
	// An answer under the cap is cached whole.
	small := http.Header{"Access-Control-Allow-Methods": {"PUT, PATCH"}, "Access-Control-Allow-Headers": {"X-A, x-b"}}
	if e, ok := newPreflightEntry(small, "PUT", nil, 40); !ok || len(e.methods) != 2 || len(e.names) != 2 || e.anyName {
		t.Errorf("small answer: %+v, %v; want all of it", e, ok)
	}
}

// TestPreflightCacheBound: stores past the byte bound evict, and the
// charged bytes always match the entries held.
func TestPreflightCacheBound(t *testing.T) {
	t.Parallel()
	c := newPreflightCache(64 << 10)
	now := time.Unix(0, 0)
	c.now = func() time.Time { return now }
	h := http.Header{"Access-Control-Allow-Headers": {"x-a, x-b, x-c"}}
	for i := range 1000 {
		k := preflightKey{origin: "http://app.example.test", url: fmt.Sprintf("http://api.other.test/r%d", i)}
		e, _ := newPreflightEntry(h, "PUT", nil, len(k.origin)+len(k.url))
		c.store(k, e, time.Duration(1+i%3)*time.Second)
		if i%100 == 0 {
			now = now.Add(2 * time.Second)
		}
		sum := 0
		for _, e := range c.entries {
			sum += e.size
		}
		if sum != c.used || c.used > c.max {
			t.Fatalf("after %d stores: %d bytes charged, entries hold %d, bound %d", i+1, c.used, sum, c.max)
		}
	}
	// A lookup on an expired entry removes it, and its charge.
	k := preflightKey{origin: "o", url: "u"}
	e, _ := newPreflightEntry(h, "PUT", nil, 2)
	c.store(k, e, time.Second)
	used := c.used
	now = now.Add(2 * time.Second)
	if c.covers(k, "GET", []string{"x-a"}) || c.used != used-e.size {
		t.Errorf("an expired entry answered, or was not removed")
	}
}

// TestPreflightCacheLiteralStar: "*" is also a method and a header name;
// with credentials, where it is no wildcard, it still matches itself.
func TestPreflightCacheLiteralStar(t *testing.T) {
	t.Parallel()
	c := newPreflightCache(preflightCacheBytes)
	k := preflightKey{origin: "https://app.example.test", url: "https://api.other.test/", credentials: true}
	h := http.Header{"Access-Control-Allow-Methods": {"*"}, "Access-Control-Allow-Headers": {"*"}}
	e, ok := newPreflightEntry(h, "*", []string{"*"}, len(k.origin)+len(k.url))
	if !ok {
		t.Fatal("not cached")
	}
	c.store(k, e, time.Minute)
	if !c.covers(k, "*", []string{"*"}) {
		t.Error("method * and header * with credentials: not covered by an answer listing *")
	}
	if c.covers(k, "PUT", nil) || c.covers(k, "GET", []string{"x-token"}) {
		t.Error("* covered another method or header name for a request with credentials")
	}
	k.credentials = false
	if !c.covers(k, "PUT", []string{"x-token"}) || c.covers(k, "GET", []string{"authorization"}) {
		t.Error("without credentials, * must cover PUT and x-token, never authorization")
	}
}
