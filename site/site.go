// Package site implements sites, registrable domains and the same-site
// relations of the HTML standard, on the public suffix list.
//
// Two origins are schemelessly same site when they share a registrable domain
// (the public suffix plus one label: "example.co.uk" for "www.example.co.uk")
// or, for hosts that have none (IP addresses, bare public suffixes such as
// "localhost"), when their hosts are identical. Same site also requires equal
// schemes. The list's private section counts: "a.github.io" and
// "b.github.io" are different sites.
//
// A Resolver answers on one list. A lookup on x/net's list costs a table
// walk and an allocation; a Resolver from NewCached remembers each host's
// answer in a bounded, lock-free cache, so that a crawl meeting the same
// hosts again pays for the list once per host.
//
// See https://html.spec.whatwg.org/multipage/browsers.html#sites and
// https://url.spec.whatwg.org/#host-registrable-domain.
package site

import (
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/xorigin/xorigin/origin"
)

// PublicSuffixList provides the public suffix of a domain, as
// net/http/cookiejar's interface of the same name does; golang.org/x/net's
// publicsuffix.List implements it.
//
// The package calls PublicSuffix only with a non-empty, lowercase ASCII
// domain (punycode for IDNs) with no trailing dot and no empty last label,
// never with an IP address. Implementations must be safe for concurrent use.
type PublicSuffixList interface {
	// PublicSuffix returns the public suffix of domain, which must be
	// domain itself or a suffix of it that starts after a '.'. A list that
	// answers otherwise is broken, and the domain gets no registrable domain.
	PublicSuffix(domain string) string
	// String names the list and its version.
	String() string
}

// Resolver answers site questions against one public suffix list. It is
// safe for concurrent use; apart from the cache a Resolver from NewCached
// keeps, it is immutable.
type Resolver struct {
	list  PublicSuffixList
	cache *cache // nil: ask the list every time
}

// New returns a Resolver using list. A nil list means the list embedded in
// golang.org/x/net/publicsuffix, never "no list".
func New(list PublicSuffixList) *Resolver {
	if list == nil {
		list = publicsuffix.List
	}
	return &Resolver{list: list}
}

var defaultResolver = New(nil)

// Default returns the Resolver on golang.org/x/net/publicsuffix's list.
func Default() *Resolver { return defaultResolver }

// List returns the public suffix list r uses.
func (r *Resolver) List() PublicSuffixList { return r.list }

// PublicSuffix returns the public suffix of host (URL standard: host public
// suffix), which must be a canonical host as origin.Origin.Host returns. It
// returns false for IP addresses and for hosts the list cannot answer for.
// A trailing dot is kept: the public suffix of "example.com." is "com.".
func (r *Resolver) PublicSuffix(host string) (string, bool) {
	suffix, _, ok := r.split(host)
	return suffix, ok
}

// RegistrableDomain returns the registrable domain of host (URL standard:
// host registrable domain): the public suffix and the label before it. It
// returns false when there is none: IP addresses, hosts that are a public
// suffix, and hosts whose label before the suffix is empty.
func (r *Resolver) RegistrableDomain(host string) (string, bool) {
	_, rd, ok := r.split(host)
	return rd, ok && rd != ""
}

// split returns host's public suffix and registrable domain ("" when null).
// ok is false when host has no public suffix.
func (r *Resolver) split(host string) (suffix, registrable string, ok bool) {
	c := r.cache
	if c == nil || !cacheable(host) {
		suffix, registrable, ok, _ = r.splitList(host)
		return suffix, registrable, ok
	}
	if c.bypass.Load() {
		return r.splitAside(c, host)
	}
	k := c.key(host)
	t := c.table.Load()
	var e *cacheEntry
	if t != nil {
		e = t.find(host, &k)
	}
	c.countLookup(&k, e != nil)
	if e != nil {
		return e.split(host)
	}
	return r.splitMissed(c, t, host, &k)
}

// splitAside is split on a cacheable host while the cache c stands
// aside: the list's answer, through the cache only for the hosts it
// samples then.
func (r *Resolver) splitAside(c *cache, host string) (suffix, registrable string, ok bool) {
	if !c.samples(host) {
		suffix, registrable, ok, _ = r.splitList(host)
		return suffix, registrable, ok
	}
	k := c.key(host)
	t := c.table.Load()
	var e *cacheEntry
	if t != nil {
		e = t.find(host, &k)
	}
	c.count(e != nil)
	if e != nil {
		return e.split(host)
	}
	return r.splitMissed(c, t, host, &k)
}

// splitMissed is split on a host that c may hold, of key k, after a miss
// in c's table t (nil when c has none yet): the list's answer, which c
// takes if it wants it.
func (r *Resolver) splitMissed(c *cache, t *table, host string, k *hostKey) (suffix, registrable string, ok bool) {
	suffix, registrable, ok, asked := r.splitList(host)
	if asked && c.wants(t, k) {
		c.insert(t, host, k, suffix, registrable, ok)
	}
	return suffix, registrable, ok
}

// cacheable reports whether a cache may hold host: a domain (an IP host
// never reaches the list) no longer than a DNS name. Its last byte tells
// most domains, and none of the other hosts, apart: a letter.
func cacheable(host string) bool {
	n := len(host)
	return n > 0 && n <= maxCachedHost && (host[n-1] >= 'a' || !isIP(host))
}

// splitList is split on r's list. asked reports whether the list was asked:
// whether host is a domain with a non-empty last label.
func (r *Resolver) splitList(host string) (suffix, registrable string, ok, asked bool) {
	if host == "" || isIP(host) {
		// URL standard, host public suffix, step 1: only domains have one.
		return "", "", false, false
	}
	// Step 2: a trailing dot is set aside and appended to the result.
	domain := strings.TrimSuffix(host, ".")
	if domain == "" || strings.HasSuffix(domain, ".") {
		// An empty last label: the list algorithm has no answer.
		return "", "", false, false
	}
	// Step 3: the Public Suffix List algorithm.
	s := r.list.PublicSuffix(domain)
	for strings.HasPrefix(s, ".") && len(s) < len(domain) {
		// A list that let a wildcard's "*" stand for an empty label
		// (x/net/publicsuffix does, for "a..kawasaki.jp"): a wildcard
		// matches one label, so the rule below it prevails. Each answer
		// must be shorter, or the list is broken (checked below).
		next := r.list.PublicSuffix(s[1:])
		if len(next) >= len(s) {
			break
		}
		s = next
	}
	if s != domain && (s == "" || !strings.HasSuffix(domain, s) || domain[len(domain)-len(s)-1] != '.') {
		// A broken list: fail closed, with no registrable domain.
		return "", "", false, true
	}
	suffix = host[len(domain)-len(s):]
	// Registrable domain, step 1: none when the host is its own suffix.
	if s == domain {
		return suffix, "", true, true
	}
	rest := domain[:len(domain)-len(s)-1]
	label := rest[strings.LastIndexByte(rest, '.')+1:]
	if label == "" {
		// An empty label before the suffix is no registrable domain.
		return suffix, "", true, true
	}
	return suffix, host[len(rest)-len(label):], true, true
}

// isIP reports whether a canonical host is an IPv4 or IPv6 address: a
// bracketed IPv6 address, or a host whose last label is all digits (the host
// parser turns every such host into dotted-decimal IPv4 or rejects it).
func isIP(host string) bool {
	if host[0] == '[' {
		return true
	}
	h := strings.TrimSuffix(host, ".")
	last := h[strings.LastIndexByte(h, '.')+1:]
	if last == "" {
		return false
	}
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return false
		}
	}
	return true
}

// SchemelesslySameSite reports whether a and b are schemelessly same site
// (HTML): the same opaque origin, or tuple origins with identical hosts that
// have no registrable domain, or with equal non-null registrable domains.
// Schemes and ports are ignored.
func (r *Resolver) SchemelesslySameSite(a, b origin.Origin) bool {
	// Step 1: the same opaque origin.
	if a.IsOpaque() || b.IsOpaque() {
		return a.SameOrigin(b)
	}
	if !a.IsValid() || !b.IsValid() {
		return false
	}
	return r.SameSiteHosts(a.Host(), b.Host())
}

// SameSiteHosts reports whether tuple origins with hosts a and b, serialized
// as origin.Origin.Host returns them, are schemelessly same site (HTML,
// step 2): identical hosts, or equal non-null registrable domains. It is
// SchemelesslySameSite for a caller that holds the hosts, and the same
// answer: schemes and ports play no part.
func (r *Resolver) SameSiteHosts(a, b string) bool {
	return r.sameSite(a, b) // inlined: one call from the caller
}

// sameSiteList is SameSiteHosts on r's list, past any cache.
func (r *Resolver) sameSiteList(a, b string) bool {
	// Step 2.1-2.2: identical hosts are same site whether or not they have a
	// registrable domain (if they do, it is the same one).
	if a == b {
		return a != ""
	}
	// Step 2.3: equal non-null registrable domains.
	if !mayShareSite(a, b) {
		return false
	}
	ra, ok := r.RegistrableDomain(a)
	if !ok {
		return false
	}
	rb, ok := r.RegistrableDomain(b)
	return ok && ra == rb
}

// sameSite is SameSiteHosts. With a cache, the steps run on it, both
// hosts' keys computed once, for the comparison of the hosts, both lookups
// and, on a miss, the insertion.
func (r *Resolver) sameSite(a, b string) bool {
	// Hosts with the same registrable domain end in it, and it has three
	// bytes at least (two labels and a dot): a cheap test first, for the
	// many pairs of hosts under other suffixes.
	if len(a) < 3 || len(b) < 3 {
		return a == b && a != ""
	}
	if a3, b3 := a[len(a)-3:], b[len(b)-3:]; a3[0] != b3[0] || a3[1] != b3[1] || a3[2] != b3[2] {
		return a == b
	}
	c := r.cache
	if c == nil {
		return r.sameSiteList(a, b)
	}
	if c.bypass.Load() {
		// The cache stands aside: the steps on the list, whose lookups
		// go through split, and so through the cache for sampled hosts.
		return r.sameSiteList(a, b)
	}
	ka, kb := c.key(a), c.key(b)
	// Step 2.1-2.2: identical hosts.
	if sameHost(a, b, &ka, &kb) {
		return true
	}
	// Step 2.3: equal non-null registrable domains. Only domains are
	// cached, so hits need no IP check.
	t := c.table.Load()
	var ea, eb *cacheEntry
	if t != nil {
		if ea = t.find(a, &ka); ea != nil {
			if eb = t.find(b, &kb); eb != nil {
				if ka.sampled() || kb.sampled() {
					c.countLookup(&ka, true)
					c.countLookup(&kb, true)
				}
				ra := ea.registrableOf(a)
				return ra != "" && equal(ra, eb.registrableOf(b))
			}
		}
	}
	// A miss: the lookups made so far count.
	c.countLookup(&ka, ea != nil)
	if ea != nil {
		c.countLookup(&kb, false)
	}
	if !mayShareSite(a, b) {
		return false
	}
	if ea == nil && t != nil {
		// b was not looked up when a missed.
		eb = t.find(b, &kb)
		c.countLookup(&kb, eb != nil)
	}
	// Both hosts are domains now, but one may be too long to cache.
	ra := r.registrableAfterLook(c, t, a, &ka, ea)
	if ra == "" {
		return false
	}
	return equal(ra, r.registrableAfterLook(c, t, b, &kb, eb))
}

// registrableAfterLook returns the registrable domain of host, of key k,
// ("" when null) once its lookup has given e: from e on a hit, else from the
// list, through the cache unless it cannot hold host.
func (r *Resolver) registrableAfterLook(c *cache, t *table, host string, k *hostKey, e *cacheEntry) string {
	var rd string
	switch {
	case e != nil:
		rd = e.registrableOf(host)
	case cacheable(host):
		_, rd, _ = r.splitMissed(c, t, host, k)
	default:
		_, rd, _, _ = r.splitList(host)
	}
	return rd
}

// mayShareSite reports whether different hosts a and b may have the same
// registrable domain, before the list is asked: they end in the same two
// labels (a registrable domain has two at least), and neither is an IP
// address (an IP host has none).
func mayShareSite(a, b string) bool {
	return shareTwoLabels(a, b) && !isIP(a) && !isIP(b)
}

// equal is a == b, comparing strings of 8 to 16 bytes, most registrable
// domains, as two words each rather than by a call.
func equal(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	if n := len(a); n >= 8 && n <= 16 {
		return load64(a, 0) == load64(b, 0) && load64(a, n-8) == load64(b, n-8)
	}
	return a == b
}

// SameSite reports whether a and b are same site (HTML): schemelessly same
// site, and either both opaque or both tuples with the same scheme.
func (r *Resolver) SameSite(a, b origin.Origin) bool {
	return a.Scheme() == b.Scheme() && r.SchemelesslySameSite(a, b)
}

// SameSite reports whether a and b are same site on the default list.
func SameSite(a, b origin.Origin) bool { return defaultResolver.SameSite(a, b) }

// SchemelesslySameSite reports whether a and b are schemelessly same site
// on the default list.
func SchemelesslySameSite(a, b origin.Origin) bool {
	return defaultResolver.SchemelesslySameSite(a, b)
}

// RegistrableDomain returns host's registrable domain on the default list.
func RegistrableDomain(host string) (string, bool) {
	return defaultResolver.RegistrableDomain(host)
}

// shareTwoLabels reports whether a and b end in the same two or more whole
// labels (a trailing dot, common to both, is not a label). One backward
// pass: each '.' in the common part starts a whole label after it, and the
// common part's first label is whole too when it starts a label in both.
func shareTwoLabels(a, b string) bool {
	i, j := len(a), len(b)
	if i > 0 && j > 0 && a[i-1] == '.' && b[j-1] == '.' {
		i, j = i-1, j-1
	}
	dots := 0
	for i > 0 && j > 0 && a[i-1] == b[j-1] {
		i, j = i-1, j-1
		if a[i] == '.' {
			dots++
		}
	}
	if (i == 0 || a[i-1] == '.') && (j == 0 || b[j-1] == '.') {
		// The common part starts a label in both: its first label counts.
		// (Both cannot have a '.' there, or the pass would have gone on.)
		return dots >= 1
	}
	return dots >= 2
}
