package enforce

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xorigin/xorigin/fetchctx"
)

// maxPreflightAge caps Access-Control-Max-Age, as browsers do (Chromium:
// two hours).
const maxPreflightAge = 2 * time.Hour

// preflight answers hop i's CORS preflight from the cache, or sends it.
func (t *Transport) preflight(out *http.Request, req *fetchctx.Request, i int) (Verdict, error) {
	// The network partition key: the top-level site of the requesting
	// Document, none for a request made without one.
	var partition partitionKey
	if cs := clientStateOf(out.Context()); cs != nil {
		partition = cs.partition
	}
	key := preflightKey{partition: partition, origin: serializedRequestOrigin(req, i), url: req.URLs[i].String(),
		credentials: req.Credentials == fetchctx.CredentialsInclude}
	method := normalizeMethod(req.Method)
	if method == "" {
		method = http.MethodGet
	}
	// HTTP fetch, step 4.1: no preflight when the cache has a method cache
	// entry match for the method and a header-name cache entry match for
	// each CORS-unsafe request-header name.
	unsafe := t.engine.unsafeHeaderNames(req.Header)
	if t.preflights.covers(key, method, unsafe) {
		return allowed, nil
	}
	// CORS-preflight fetch, steps 1-4: OPTIONS, with the method and the
	// CORS-unsafe header names (joined by "," with no space), no
	// credentials.
	p, err := http.NewRequestWithContext(out.Context(), http.MethodOptions, out.URL.String(), nil)
	if err != nil {
		return Verdict{}, err
	}
	p.URL.User = nil
	p.Header.Set("Accept", "*/*")
	p.Header.Set("Access-Control-Request-Method", method)
	if len(unsafe) > 0 {
		p.Header.Set("Access-Control-Request-Headers", strings.Join(unsafe, ","))
	}
	p.Header.Set("Origin", key.origin)
	resp, err := t.base.RoundTrip(p)
	if err != nil {
		return Verdict{}, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	answer, _ := ParseResponse(resp.StatusCode, resp.Header)
	v := t.engine.CheckPreflight(req, i, &answer)
	if !v.Allows() {
		return v, nil
	}
	// CORS-preflight fetch, steps 7.8-7.10: max-age, 5 seconds by
	// default, capped.
	age := 5 * time.Second
	if v, ok := getHeader(answer.Header, "Access-Control-Max-Age"); ok {
		if n, err := strconv.ParseUint(v, 10, 32); err == nil {
			age = time.Duration(n) * time.Second
		}
	}
	// Steps 7.12-7.15: cache what the answer allowed, for max-age; an
	// answer over the cap of one entry is used for this request, and
	// cached only as far as this request used it.
	if e, ok := newPreflightEntry(answer.Header, method, unsafe, len(key.origin)+len(key.url)); ok {
		t.preflights.store(key, e, min(age, maxPreflightAge))
	}
	return v, nil
}

// The bounds of the CORS-preflight cache, in bytes. An entry is charged
// for its strings (plus an eighth: allocation size classes round up) and
// for what holding them costs (map slots and headers), measured on Go 1.26
// and rounded up, so that the bound is on the heap the cache holds, not
// only on the bytes of the names. 1 MiB holds 500 to 1,000 answers of a
// few names each; 64 KiB, one answer of about 700 names of 20 bytes.
const (
	preflightCacheBytes = 1 << 20  // all entries
	preflightEntryBytes = 64 << 10 // one answer, with its key
	preflightEntryCost  = 768      // an entry, its slot in the cache, its maps, its key
	preflightItemCost   = 64       // a method or header name's map slot
)

// preflightCache is the CORS-preflight cache
// (https://fetch.spec.whatwg.org/#cors-preflight-cache), bounded by bytes;
// safe for concurrent use.
//
// The spec's cache is a list of cache entries, one per method or header
// name. Here one preflightEntry holds all those one answer created: they
// share the key (the network partition key's top-level site, from the
// requesting Document, none without one; the byte-serialized origin, URL
// and credentials) and the max-age.
// A new answer for the same key replaces the old one instead of adding to
// it (steps 7.12-7.15 would update and add entries): the old entries are
// removed early, which the spec allows ("may be removed before"), and
// which can only cost a preflight.
type preflightCache struct {
	mu      sync.Mutex
	max     int // bytes
	used    int // bytes charged to entries
	entries map[preflightKey]preflightEntry
	now     func() time.Time
}

type preflightKey struct {
	partition   partitionKey
	origin, url string
	credentials bool
}

// A preflightEntry is the cache entries of one preflight answer. Its
// strings are its own (copied), so that it never pins the response's
// header values.
type preflightEntry struct {
	methods map[string]struct{} // exactly as listed (methods are case-sensitive)
	names   map[string]struct{} // lowercase
	// anyMethod and anyName record a listed "*".
	anyMethod, anyName bool
	size               int // bytes charged, key included
	expires            time.Time
}

func newPreflightCache(maxBytes int) *preflightCache {
	return &preflightCache{max: maxBytes, entries: map[preflightKey]preflightEntry{}, now: time.Now}
}

// newPreflightEntry returns the cache entry for the preflight answer with
// header h, which CheckPreflight allowed for a request with method and
// the CORS-unsafe header names unsafe (sorted, lowercase); keyBytes is the
// size of its key. An answer over preflightEntryBytes is cut to what this
// request used: its method, its header names and a "*", each only if the
// answer listed it. A subset of the answer can only make later lookups
// stricter. ok is false when even that is over the cap.
func newPreflightEntry(h http.Header, method string, unsafe []string, keyBytes int) (e preflightEntry, ok bool) {
	methods, names := h["Access-Control-Allow-Methods"], h["Access-Control-Allow-Headers"]
	all := func(string) bool { return true }
	if e, ok := buildPreflightEntry(methods, names, all, all, keyBytes); ok {
		return e, true
	}
	return buildPreflightEntry(methods, names,
		func(m string) bool { return m == method },
		func(n string) bool {
			_, ok := slices.BinarySearchFunc(unsafe, n, compareFold)
			return ok
		}, keyBytes)
}

// buildPreflightEntry builds the entry holding the methods and header
// names of the lists that keepMethod and keepName accept, with a listed
// "*" as a flag too (it is also a method or header name, which it matches
// literally, with credentials as without); ok is false when it would be over preflightEntryBytes, which it
// finds out before copying anything. The lists are valid (CheckPreflight
// allowed them).
func buildPreflightEntry(methods, names []string, keepMethod, keepName func(string) bool, keyBytes int) (e preflightEntry, ok bool) {
	e.size = preflightEntryCost + keyBytes + keyBytes/8
	measure := func(list []string, keep func(string) bool, star *bool) (bytes, count int, ok bool) {
		for item := range listItems(list) {
			*star = *star || item == "*"
			if keep(item) {
				bytes += len(item)
				count++
				if e.size += len(item) + len(item)/8 + preflightItemCost; e.size > preflightEntryBytes {
					return 0, 0, false
				}
			}
		}
		return bytes, count, true
	}
	mBytes, mCount, ok := measure(methods, keepMethod, &e.anyMethod)
	if !ok {
		return preflightEntry{}, false
	}
	nBytes, nCount, ok := measure(names, keepName, &e.anyName)
	if !ok {
		return preflightEntry{}, false
	}
	e.methods = copySet(methods, keepMethod, false, mBytes, mCount)
	e.names = copySet(names, keepName, true, nBytes, nCount)
	return e, true
}

// copySet returns the set of the items of list that keep accepts (bytes bytes in count items), lowercased if fold, copied into
// one new string: the set pins nothing of list.
func copySet(list []string, keep func(string) bool, fold bool, bytes, count int) map[string]struct{} {
	if count == 0 {
		return nil
	}
	var b strings.Builder
	b.Grow(bytes)
	for item := range listItems(list) {
		if keep(item) {
			for i := 0; i < len(item); i++ {
				c := item[i]
				if fold {
					c = asciiLower(c)
				}
				b.WriteByte(c)
			}
		}
	}
	all := b.String()
	set := make(map[string]struct{}, count)
	for item := range listItems(list) {
		if keep(item) {
			set[all[:len(item)]] = struct{}{}
			all = all[len(item):]
		}
	}
	return set
}

// store puts e under k, for age (steps 7.12-7.15, "create a new cache
// entry"). Past the byte bound it first removes what expired, then
// arbitrary entries, until e fits: a removed entry only costs a new
// preflight.
func (c *preflightCache) store(k preflightKey, e preflightEntry, age time.Duration) {
	if age <= 0 || e.size > preflightEntryBytes || e.size > c.max {
		return
	}
	// The key's strings are copied too.
	k.origin, k.url = strings.Clone(k.origin), strings.Clone(k.url)
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	e.expires = now.Add(age)
	if old, ok := c.entries[k]; ok {
		c.used -= old.size
		delete(c.entries, k)
	}
	if c.used+e.size > c.max {
		for k, old := range c.entries {
			if now.After(old.expires) {
				c.used -= old.size
				delete(c.entries, k)
			}
		}
		for k, old := range c.entries {
			if c.used+e.size <= c.max {
				break
			}
			c.used -= old.size
			delete(c.entries, k)
		}
	}
	c.entries[k] = e
	c.used += e.size
}

// covers reports whether cached answers allow method and the unsafe header
// names (HTTP fetch, step 4.1: no preflight when there is a method cache
// entry match for the method, or it is safelisted, and a header-name cache
// entry match for each name). A cache entry match: an entry for k, or, for
// a request without credentials, an entry stored with credentials. "*"
// matches any method, and any name but Authorization (a CORS non-wildcard
// request-header name), only for a request without credentials: stricter
// than the spec's matches, which do not look at credentials, as the
// preflight check itself is (steps 7.5 and 7.7). The work is one map
// probe per name of the request, whatever the size of the answers.
func (c *preflightCache) covers(k preflightKey, method string, unsafe []string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	lookup := func(k preflightKey) *preflightEntry {
		e, ok := c.entries[k]
		if !ok {
			return nil
		}
		if now.After(e.expires) {
			// Removed once max-age seconds have passed.
			c.used -= e.size
			delete(c.entries, k)
			return nil
		}
		return &e
	}
	wildcardOK := !k.credentials
	var found [2]*preflightEntry
	entries := found[:0]
	if e := lookup(k); e != nil {
		entries = append(entries, e)
	}
	if !k.credentials {
		k.credentials = true
		if e := lookup(k); e != nil {
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return false
	}
	// A method cache entry match, unless the method is safelisted.
	methodOK := isCORSSafelistedMethod(method)
	for _, e := range entries {
		_, listed := e.methods[method]
		methodOK = methodOK || listed || wildcardOK && e.anyMethod
	}
	if !methodOK {
		return false
	}
	// A header-name cache entry match for each name (lowercase already).
	for _, n := range unsafe {
		ok := false
		for _, e := range entries {
			_, listed := e.names[n]
			ok = ok || listed || wildcardOK && e.anyName && n != "authorization"
		}
		if !ok {
			return false
		}
	}
	return true
}
