package site

import (
	"hash/maphash"
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
// one of the four. An entry costs two allocations, one for itself and one
// for a copy of the host (so that the cache keeps no caller's string
// alive): about 48 bytes for a 16-byte host. Hosts longer than a DNS name
// (254 bytes with a trailing dot) are never cached.
func NewCached(list PublicSuffixList, entries int) *Resolver {
	r := New(list)
	r.cache = newCache(entries)
	return r
}

// cache maps hosts to their public suffix and registrable domain on one
// list, as offsets into the host.
type cache struct {
	seed    maphash.Seed
	buckets uint64 // a power of two
	table   atomic.Pointer[[]atomic.Pointer[cacheEntry]]
}

// cacheEntry is one host's answer. It is never modified once stored.
type cacheEntry struct {
	host        string
	suffix      int16 // offset of the public suffix in host; -1: none
	registrable int16 // offset of the registrable domain; -1: null
}

// split returns the answer e holds, as substrings of host, which must equal
// e.host (the caller's string, not the cache's copy, so that the answer
// lives as long as the caller's host and no longer).
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
	return &cache{seed: maphash.MakeSeed(), buckets: buckets}
}

// capacity returns the number of entries c holds at most.
func (c *cache) capacity() int { return int(c.buckets) * cacheWays }

// bucket returns the slots where host may be, or nil before the table
// exists.
func (c *cache) bucket(host string) []atomic.Pointer[cacheEntry] {
	t := c.table.Load()
	if t == nil {
		return nil
	}
	i := (maphash.String(c.seed, host) & (c.buckets - 1)) * cacheWays
	return (*t)[i : i+cacheWays : i+cacheWays]
}

// get returns host's entry, or nil.
func (c *cache) get(host string) *cacheEntry {
	b := c.bucket(host)
	for i := range b {
		if e := b[i].Load(); e != nil && e.host == host {
			return e
		}
	}
	return nil
}

// put stores host's answer: suffix and registrable as split returns them.
func (c *cache) put(host, suffix, registrable string, ok bool) {
	if len(host) > maxCachedHost {
		return
	}
	e := &cacheEntry{host: strings.Clone(host), suffix: -1, registrable: -1}
	if ok {
		e.suffix = int16(len(host) - len(suffix))
		if registrable != "" {
			e.registrable = int16(len(host) - len(registrable))
		}
	}
	b := c.bucket(host)
	if b == nil {
		t := make([]atomic.Pointer[cacheEntry], c.buckets*cacheWays)
		c.table.CompareAndSwap(nil, &t) // a concurrent first miss may win: either table will do
		b = c.bucket(host)
	}
	for i := range b {
		if b[i].CompareAndSwap(nil, e) {
			return
		}
	}
	// A full bucket: evict a random entry. Entries are immutable, so a
	// concurrent reader sees the old entry or the new one, whole.
	b[rand.IntN(cacheWays)].Store(e)
}
