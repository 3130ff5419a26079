package site

import (
	"math/bits"
	"math/rand/v2"
	"strings"
	"sync/atomic"
)

// DefaultCacheEntries is the number of domains a Resolver from NewCached
// remembers when it is not told: room for the hosts of a large crawl, in
// 512 KiB of table once the cache is first used, plus the entries.
const DefaultCacheEntries = 1 << 16

// maxCacheEntries caps a cache's size (2^24 entries: a 128 MiB table).
const maxCacheEntries = 1 << 24

// maxCachedHost is the longest host the cache stores: a DNS name's limit,
// with a trailing dot. Longer hosts are valid URL hosts, but a cache
// holding them would let a page's URLs pin arbitrary amounts of memory;
// they are answered by the list every time.
const maxCachedHost = 254

// cacheWays is the number of entries per bucket: a domain may live in any
// slot of the bucket its hash picks, so two domains sharing a bucket do not
// evict each other.
const cacheWays = 4

// NewCached returns a Resolver using list, as New does, that remembers the
// answers for up to entries hosts (rounded up to a power of two; 0 or less
// means DefaultCacheEntries), so that a crawl that meets the same hosts
// again asks the list once per host. The cache changes no answer: it stores
// each host's public suffix and registrable domain as the list gave them,
// so the list's answers must not change while the Resolver is in use
// (those of x/net's list and of a *List do not). A cache hit allocates
// nothing. IP hosts, which never reach the list, are not cached.
//
// The cache is bounded and safe for concurrent use, and lookups take no
// lock: the table is an array of buckets of four atomic pointers to
// immutable entries, allocated at the first miss (8 bytes a slot). A host
// goes in an empty slot of the bucket its hash picks, or replaces a random
// one of the four. An entry holds a host of up to 16 bytes in itself (48
// bytes in all); a longer host also costs a copy (so that the cache keeps
// no caller's string alive). Hosts longer than a DNS name (254 bytes with a
// trailing dot) are never cached.
func NewCached(list PublicSuffixList, entries int) *Resolver {
	r := New(list)
	r.cache = newCache(entries)
	return r
}

// cache maps hosts to their public suffix and registrable domain on one
// list, as offsets into the host.
type cache struct {
	seed    uint64
	buckets uint64 // a power of two
	table   atomic.Pointer[[]atomic.Pointer[cacheEntry]]
}

// cacheEntry is one host's answer. It is never modified once stored. It
// takes 40 bytes, a 48-byte allocation.
type cacheEntry struct {
	w0, w1      uint64 // hostKey's
	long        string // a copy of the host when it is longer than 16 bytes
	n           int32  // the host's length
	suffix      int16  // offset of the public suffix in host; -1: none
	registrable int16  // offset of the registrable domain; -1: null
}

// hostKey identifies a host by its length and, up to 16 bytes, its bytes:
// the first and the last eight (overlapping below 16 bytes, which the
// length makes unambiguous; zero-padded below 8). Such hosts compare as
// three words, with no call to compare memory. Its hash covers every byte.
// Four words: it stays in registers.
type hostKey struct {
	w0, w1 uint64
	n      int
	hash   uint64
}

// key returns host's key under c's seed.
func (c *cache) key(host string) hostKey {
	n := len(host)
	k := hostKey{n: n}
	if n < 8 {
		for i := range n {
			k.w0 |= uint64(host[i]) << (8 * i)
		}
	} else {
		k.w0, k.w1 = load64(host, 0), load64(host, n-8)
	}
	// A multiply-mix over 8-byte words, after wyhash. It needs no
	// cryptographic strength: hosts that collide only evict one another
	// from a bucket of four, so a page that found collisions (the seed is
	// random) would cost list lookups, never a wrong answer.
	const k1, k2 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db
	h := c.seed ^ uint64(n)*k1
	for i := 8; i < n-8; i += 8 {
		// The middle of a host longer than 16 bytes.
		h = mix(h^load64(host, i), k2)
	}
	k.hash = mix(mix(h^k.w0, k2)^k.w1, k1)
	return k
}

// load64 returns the eight bytes of s at i as a little-endian word.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// mix folds the 128-bit product of a and b to 64 bits.
func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// matches reports whether e is the entry of host, whose key is k.
func (e *cacheEntry) matches(host string, k *hostKey) bool {
	return e.w0 == k.w0 && e.w1 == k.w1 && int(e.n) == k.n && (k.n <= 16 || e.long == host)
}

// split returns the answer e holds, as substrings of host, which must be
// e's host (the caller's string, not the cache's, so that the answer lives
// as long as the caller's host and no longer).
func (e *cacheEntry) split(host string) (suffix, registrable string, ok bool) {
	if e.suffix < 0 {
		return "", "", false
	}
	if e.registrable >= 0 {
		registrable = host[e.registrable:]
	}
	return host[e.suffix:], registrable, true
}

func newCache(entries int) *cache {
	if entries <= 0 {
		entries = DefaultCacheEntries
	}
	entries = min(entries, maxCacheEntries)
	buckets := uint64(1) << bits.Len(uint((entries+cacheWays-1)/cacheWays-1))
	return &cache{seed: rand.Uint64(), buckets: buckets}
}

// capacity returns the number of entries c holds at most.
func (c *cache) capacity() int { return int(c.buckets) * cacheWays }

// bucket returns the slots where the host of hash h may be, in table t.
func (c *cache) bucket(t *[]atomic.Pointer[cacheEntry], h uint64) []atomic.Pointer[cacheEntry] {
	i := (h & (c.buckets - 1)) * cacheWays
	return (*t)[i : i+cacheWays : i+cacheWays]
}

// find returns host's entry in bucket b, or nil.
func find(b []atomic.Pointer[cacheEntry], host string, k *hostKey) *cacheEntry {
	for i := range b {
		if e := b[i].Load(); e != nil && e.matches(host, k) {
			return e
		}
	}
	return nil
}

// get returns host's entry, or nil.
func (c *cache) get(host string) *cacheEntry {
	t := c.table.Load()
	if t == nil {
		return nil
	}
	k := c.key(host)
	return find(c.bucket(t, k.hash), host, &k)
}

// get2 returns the entries of a and b, or nil when either is absent: get
// twice, with both keys computed before either bucket is read, so that the
// two lookups overlap.
func (c *cache) get2(a, b string) (ea, eb *cacheEntry) {
	t := c.table.Load()
	if t == nil {
		return nil, nil
	}
	ka, kb := c.key(a), c.key(b)
	if ea = find(c.bucket(t, ka.hash), a, &ka); ea == nil {
		return nil, nil
	}
	if eb = find(c.bucket(t, kb.hash), b, &kb); eb == nil {
		return nil, nil
	}
	return ea, eb
}

// put stores host's answer: suffix and registrable as split returns them.
func (c *cache) put(host, suffix, registrable string, ok bool) {
	if len(host) > maxCachedHost {
		return
	}
	k := c.key(host)
	e := &cacheEntry{w0: k.w0, w1: k.w1, n: int32(k.n), suffix: -1, registrable: -1}
	if len(host) > 16 {
		e.long = strings.Clone(host)
	}
	if ok {
		e.suffix = int16(len(host) - len(suffix))
		if registrable != "" {
			e.registrable = int16(len(host) - len(registrable))
		}
	}
	t := c.table.Load()
	if t == nil {
		nt := make([]atomic.Pointer[cacheEntry], c.buckets*cacheWays)
		c.table.CompareAndSwap(nil, &nt) // a concurrent first miss may win: either table will do
		t = c.table.Load()
	}
	b := c.bucket(t, k.hash)
	for i := range b {
		if b[i].CompareAndSwap(nil, e) {
			return
		}
	}
	// A full bucket: evict a random entry. Entries are immutable, so a
	// concurrent reader sees the old entry or the new one, whole.
	b[rand.IntN(cacheWays)].Store(e)
}
