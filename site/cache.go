package site

import (
	"math/bits"
	"math/rand/v2"
	"strings"
	"sync/atomic"
)

// DefaultCacheEntries is the number of domains a Resolver from NewCached
// remembers when it is not told: room for the hosts of a large crawl, in
// 640 KiB of table once the cache is first used, plus the entries.
const DefaultCacheEntries = 1 << 16

// maxCacheEntries caps a cache's size (2^24 entries: a 160 MiB table).
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

// inlineHost is the longest host an entry holds in its key words, with no
// copy of the host: 24 bytes, three words.
const inlineHost = 24

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
// immutable entries, and beside it a word per bucket of one-byte tags,
// allocated at the first miss (10 bytes a slot). A lookup reads its
// bucket's word and follows only the pointers whose tag matches its host's:
// a miss reads the word alone.
//
// A host the cache has no room for costs no more than a lookup without a
// cache, so that a crawl that rarely meets a host twice does not pay for
// a cache it cannot use. A host goes in an empty slot of its bucket; when
// the bucket is full, it replaces a random one of the four only if the
// bucket has seen it recently: the bucket remembers the tags of the last
// four hosts it turned away or evicted, and admits a host whose tag is
// among them. A host seen once is remembered, not stored. An entry holds
// a host of up to 24 bytes in itself (48 bytes in all); a longer host also
// costs a copy (so that the cache keeps no caller's string alive). Hosts
// longer than a DNS name (254 bytes with a trailing dot) are never cached.
//
// When nearly every host is new, even a miss costs too much beside the
// list (hashing the host, reading its bucket, remembering its tag): the
// cache then stands aside. It watches one host in 64 (picked by a hash,
// so the same hosts every time), and once fewer than one of 16 lookups
// of those hosts hit, the other hosts go to the list directly, past the
// cache (those it holds too); the watched hosts still use it, so that
// the cache notices when hosts start to repeat, and steps back in.
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
	table   atomic.Pointer[table]

	// stats counts the lookups of the sampled hosts in the current
	// window (high 32 bits) and their hits (low 32 bits).
	stats atomic.Uint64
	// bypass is set while the sampled hosts hit too rarely for the cache
	// to pay: then the other hosts skip it.
	bypass atomic.Bool
}

// The cache's bypass: which hosts are sampled, and when it stands aside.
const (
	sampleBits  = 6    // one host in 2^6 = 64 is sampled
	sampleShift = 50   // a key's hash bits 50-55: not the bucket's, not the tag's
	statWindow  = 1024 // sampled lookups per decision
	// A hit of a sampled host is counted one time in hitOneIn, as that
	// many lookups, so that a host looked up often pays little for it.
	hitOneIn = 16
)

// table is a cache's table: bucket b's entries are slots[4b:4b+4], its
// tags meta[b]. meta[b]'s low four bytes are the tags of the entries in
// its slots (0: empty, or an insertion under way); its high four bytes the
// tags of the last four hosts the bucket turned away or evicted, newest
// lowest (0: none), which a host must be among to evict an entry. Tags
// only filter: a lookup compares every candidate's whole key, so a stale
// or colliding tag costs a miss or a comparison, never a wrong answer.
type table struct {
	meta  []atomic.Uint64
	slots []atomic.Pointer[cacheEntry]
}

// Layout of a table's meta words.
const (
	slotTags   = 1<<32 - 1 // the slots' tags
	ghostShift = 32        // the shift to the ghost tags
)

// cacheEntry is one host's answer. It is never modified once stored. It
// takes 48 bytes.
type cacheEntry struct {
	w0, w1, w2  uint64 // hostKey's
	long        string // a copy of the host when it is longer than 24 bytes
	n           int32  // the host's length
	suffix      int16  // offset of the public suffix in host; -1: none
	registrable int16  // offset of the registrable domain; -1: null
}

// hostKey identifies a host of a known length by, up to 24 bytes, its
// bytes: the first and the last eight, and for a host longer than 16
// bytes the eight after the first eight (overlapping below 24 bytes, which
// the length makes unambiguous; zero-padded below 8). Such hosts compare
// as three words and their lengths, with no call to compare memory. Its
// hash covers every byte. Four words: the compiler keeps it in registers.
type hostKey struct {
	w0, w1, w2 uint64
	hash       uint64
}

// key returns host's key under c's seed.
func (c *cache) key(host string) hostKey {
	n := len(host)
	var w0, w1, w2 uint64
	if n < 8 {
		for i := range n {
			w0 |= uint64(host[i]) << (8 * i)
		}
	} else {
		w0, w1 = load64(host, 0), load64(host, n-8)
	}
	// A multiply-mix over 8-byte words, after wyhash. It needs no
	// cryptographic strength: hosts that collide only evict one another
	// from a bucket of four, so a page that found collisions (the seed is
	// random) would cost list lookups, never a wrong answer.
	const k1, k2 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db
	h := c.seed ^ uint64(n)*k1
	if n > 16 {
		// The middle of a host longer than 16 bytes, whose first word is
		// part of the key.
		w2 = load64(host, 8)
		h = mix(h^w2, k2)
		for i := 16; i < n-8; i += 8 {
			h = mix(h^load64(host, i), k2)
		}
	}
	return hostKey{w0, w1, w2, mix(mix(h^w0, k2)^w1, k1)}
}

// tag returns the key's tag: eight bits of its hash that do not pick the
// bucket, never 0.
func (k *hostKey) tag() uint8 {
	t := uint8(k.hash >> 56)
	if t == 0 {
		t = 1
	}
	return t
}

// samples reports whether host is one of those c watches while it stands
// aside: one in 64, picked by a hash of every byte under c's seed that
// is cheaper than the key's (the words folded with rotations, then mixed
// once), so that the hosts it stands aside for cost little more than the
// list.
func (c *cache) samples(host string) bool {
	n := len(host)
	var f uint64
	i := 0
	for ; i+8 <= n; i += 8 {
		f = bits.RotateLeft64(f, 23) ^ load64(host, i)
	}
	switch {
	case i == n:
	case n >= 8:
		// The last word overlaps the one before.
		f = bits.RotateLeft64(f, 23) ^ load64(host, n-8)
	default:
		for j := range n {
			f |= uint64(host[j]) << (8 * j)
		}
	}
	return mix(f^c.seed, uint64(n)^0xe7037ed1a0b428db)>>(64-sampleBits) == 0
}

// sampled reports whether the host of key k is one of those the cache
// watches while it does not stand aside: one in 64, by its hash.
func (k *hostKey) sampled() bool { return k.hash>>sampleShift&(1<<sampleBits-1) == 0 }

// countLookup counts a lookup of the host of key k towards the hit rate
// when the host is sampled.
func (c *cache) countLookup(k *hostKey, hit bool) {
	if k.sampled() {
		c.count(hit)
	}
}

// count records a lookup of a sampled host, hit or not, in the current
// window, and at the end of the window sets whether the cache stands
// aside: while fewer than one lookup in 16 hit. A hit is counted one
// time in hitOneIn, as that many, so that a sampled host looked up often
// pays little for it. Counts a concurrent lookup adds while the window
// is reset are lost: the rate is an estimate.
func (c *cache) count(hit bool) {
	inc := uint64(1) << 32 // lookups in the high 32 bits, hits in the low
	if hit {
		if rand.Uint32()%hitOneIn != 0 {
			return
		}
		inc = hitOneIn<<32 | hitOneIn
	}
	v := c.stats.Add(inc)
	if n := v >> 32; n < statWindow || n-inc>>32 >= statWindow {
		return
	}
	c.stats.Store(0)
	if bypass := uint64(uint32(v))*16 < v>>32; c.bypass.Load() != bypass {
		c.bypass.Store(bypass)
	}
}

// sameHost reports whether hosts s and t, of keys k and l, are the same:
// for hosts up to 24 bytes the keys say it; beyond, the hosts are compared.
func sameHost(s, t string, k, l *hostKey) bool {
	return len(s) == len(t) && k.w0 == l.w0 && k.w1 == l.w1 && k.w2 == l.w2 && (len(s) <= inlineHost || s == t)
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
	return e.w0 == k.w0 && e.w1 == k.w1 && e.w2 == k.w2 && int(e.n) == len(host) && (len(host) <= inlineHost || e.long == host)
}

// split returns the answer e holds, as substrings of host, which must be
// e's host (the caller's string, not the cache's, so that the answer lives
// as long as the caller's host and no longer).
func (e *cacheEntry) split(host string) (suffix, registrable string, ok bool) {
	if e.suffix < 0 {
		return "", "", false
	}
	return host[e.suffix:], e.registrableOf(host), true
}

// registrableOf returns host's registrable domain as e holds it, "" when
// null: split's second result.
func (e *cacheEntry) registrableOf(host string) string {
	if e.registrable < 0 {
		return ""
	}
	return host[e.registrable:]
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

// find returns host's entry, or nil: the entries of its bucket whose tags
// match its key's, compared in full.
func (t *table) find(host string, k *hostKey) *cacheEntry {
	b := k.hash & uint64(len(t.meta)-1)
	// The tags that match: zero bytes of x, found as bytes that borrow. A
	// byte above a zero byte may be flagged too: one more comparison.
	x := uint32(t.meta[b].Load()) ^ uint32(k.tag())*0x01010101
	m := (x - 0x01010101) &^ x & 0x80808080
	if len(host) > inlineHost {
		// Out of line, so that this loop makes no call and keeps its
		// values in registers.
		return t.findLong(host, k, m, b*cacheWays)
	}
	for ; m != 0; m &= m - 1 {
		e := t.slots[b*cacheWays+uint64(bits.TrailingZeros32(m)>>3)].Load()
		if e != nil && e.w0 == k.w0 && e.w1 == k.w1 && e.w2 == k.w2 && int(e.n) == len(host) {
			return e
		}
	}
	return nil
}

// findLong is find's loop for a host longer than 24 bytes, compared with
// the entry's copy: m flags the candidate slots from first.
func (t *table) findLong(host string, k *hostKey, m uint32, first uint64) *cacheEntry {
	for ; m != 0; m &= m - 1 {
		e := t.slots[first+uint64(bits.TrailingZeros32(m)>>3)].Load()
		if e != nil && e.w0 == k.w0 && e.w1 == k.w1 && e.w2 == k.w2 && e.long == host {
			return e
		}
	}
	return nil
}

// hasByte reports whether one of the four bytes of w is b.
func hasByte(w uint32, b uint8) bool {
	x := w ^ uint32(b)*0x01010101
	return (x-0x01010101)&^x&0x80808080 != 0
}

// wants reports whether c takes host's answer after a miss in t (nil
// when c has no table yet), the host's key being k: when its bucket has an
// empty slot, or has seen the host recently (its tag is among those the
// bucket remembers). Otherwise the bucket remembers its tag, and no more:
// a host seen once costs no entry. One attempt: losing the tag to a
// concurrent update costs an admission later, never an answer.
func (c *cache) wants(t *table, k *hostKey) bool {
	if t == nil {
		return true
	}
	meta := &t.meta[k.hash&uint64(len(t.meta)-1)]
	m := meta.Load()
	g, tag := uint32(m>>ghostShift), k.tag()
	if hasByte(uint32(m), 0) || hasByte(g, tag) {
		return true
	}
	meta.CompareAndSwap(m, m&slotTags|uint64(g<<8|uint32(tag))<<ghostShift)
	return false
}

// insert stores host's answer, suffix and registrable as split returns
// them, once wants has said so: in an empty slot of its bucket, or in
// place of a random entry. It allocates the table at the first insertion.
func (c *cache) insert(t *table, host string, k *hostKey, suffix, registrable string, ok bool) {
	if t == nil {
		if t = c.table.Load(); t == nil {
			c.table.CompareAndSwap(nil, &table{
				meta:  make([]atomic.Uint64, c.buckets),
				slots: make([]atomic.Pointer[cacheEntry], c.buckets*cacheWays),
			}) // a concurrent first miss may win: either table will do
			t = c.table.Load()
		}
	}
	b := k.hash & uint64(len(t.meta)-1)
	meta, slots := &t.meta[b], t.slots[b*cacheWays:(b+1)*cacheWays:(b+1)*cacheWays]
	e := newEntry(host, k, suffix, registrable, ok)
	m := meta.Load()
	for i := range slots {
		if uint8(m>>(8*i)) == 0 && slots[i].CompareAndSwap(nil, e) {
			setTag(meta, i, k.tag(), false)
			return
		}
	}
	// A full bucket that has seen the host recently (or a tag collision):
	// evict a random entry. Entries are immutable, so a concurrent reader
	// sees the old entry or the new one, whole.
	i := rand.IntN(cacheWays)
	slots[i].Store(e)
	setTag(meta, i, k.tag(), true)
}

// setTag sets the tag of slot i in the meta word to tag. evicted says the
// slot held an entry, evicted for the host of tag: the host's tag leaves
// the ghost tags and the evicted entry's tag joins them, so that a host
// evicted while in use comes back at its next miss.
func setTag(meta *atomic.Uint64, i int, tag uint8, evicted bool) {
	for {
		m := meta.Load()
		nm := m&^(0xff<<(8*i)) | uint64(tag)<<(8*i)
		if evicted {
			g := uint32(m >> ghostShift)
			for j := 0; j < 32; j += 8 {
				if uint8(g>>j) == tag {
					g &^= 0xff << j
					break
				}
			}
			if old := uint8(m >> (8 * i)); old != 0 {
				g = g<<8 | uint32(old)
			}
			nm = nm&slotTags | uint64(g)<<ghostShift
		}
		if meta.CompareAndSwap(m, nm) {
			return
		}
	}
}

// newEntry returns host's entry: its key and its answer, suffix and
// registrable as split returns them.
func newEntry(host string, k *hostKey, suffix, registrable string, ok bool) *cacheEntry {
	e := &cacheEntry{w0: k.w0, w1: k.w1, w2: k.w2, n: int32(len(host)), suffix: -1, registrable: -1}
	if len(host) > inlineHost {
		e.long = strings.Clone(host)
	}
	if ok {
		e.suffix = int16(len(host) - len(suffix))
		if registrable != "" {
			e.registrable = int16(len(host) - len(registrable))
		}
	}
	return e
}
