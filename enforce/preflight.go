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
	key := preflightKey{origin: serializedRequestOrigin(req, i), url: req.URLs[i].String(),
		credentials: req.Credentials == fetchctx.CredentialsInclude}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	unsafe := corsUnsafeHeaderNames(req.Header)
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
	if v.Allows() {
		// Steps 7.8-7.11: cache what the answer allowed, for max-age.
		methods, _, _ := extractValues(resp.Header, "Access-Control-Allow-Methods")
		names, _, _ := extractValues(resp.Header, "Access-Control-Allow-Headers")
		age := 5 * time.Second
		if v, ok := getHeader(resp.Header, "Access-Control-Max-Age"); ok {
			if n, err := strconv.ParseUint(v, 10, 32); err == nil {
				age = time.Duration(n) * time.Second
			}
		}
		t.preflights.store(key, methods, names, min(age, maxPreflightAge))
	}
	return v, nil
}

// preflightCache is the CORS-preflight cache (Fetch): per serialized
// origin, URL and credentials, the methods and header names a preflight
// allowed, until their max-age passes. Bounded; safe for concurrent use.
type preflightCache struct {
	mu      sync.Mutex
	max     int
	entries map[preflightKey]preflightEntry
	now     func() time.Time
}

type preflightKey struct {
	origin, url string
	credentials bool
}

type preflightEntry struct {
	methods, names []string
	expires        time.Time
}

func newPreflightCache(max int) *preflightCache {
	return &preflightCache{max: max, entries: map[preflightKey]preflightEntry{}, now: time.Now}
}

func (c *preflightCache) store(k preflightKey, methods, names []string, age time.Duration) {
	if age <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Full: drop what expired, else everything (a miss only costs a
		// new preflight).
		now := c.now()
		for k, e := range c.entries {
			if now.After(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
	}
	c.entries[k] = preflightEntry{methods: methods, names: names, expires: c.now().Add(age)}
}

// covers reports whether cached answers allow method and the unsafe header
// names: a method cache entry match (the method, or "*" without
// credentials) unless the method is safelisted, and a header-name cache
// entry match for each name ("*" never covers Authorization, nor serves a
// request with credentials). An entry stored with credentials serves
// requests without them too.
func (c *preflightCache) covers(k preflightKey, method string, unsafe []string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	lookup := func(k preflightKey) (preflightEntry, bool) {
		e, ok := c.entries[k]
		if ok && now.After(e.expires) {
			delete(c.entries, k)
			return e, false
		}
		return e, ok
	}
	var entries []preflightEntry
	if e, ok := lookup(k); ok {
		entries = append(entries, e)
	}
	if !k.credentials {
		k2 := k
		k2.credentials = true
		if e, ok := lookup(k2); ok {
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return false
	}
	wildcardOK := !k.credentials
	methodOK := isCORSSafelistedMethod(method)
	for _, e := range entries {
		methodOK = methodOK || contains(e.methods, method) || wildcardOK && contains(e.methods, "*")
	}
	if !methodOK {
		return false
	}
	for _, n := range unsafe {
		ok := false
		for _, e := range entries {
			ok = ok || containsFold(e.names, n) || wildcardOK && n != "authorization" && contains(e.names, "*")
		}
		if !ok {
			return false
		}
	}
	return true
}

// extractValues implements "extracting header list values" for the
// comma-separated token lists of the preflight headers; ok is false for
// failure (a value that is not a token).
func extractValues(h http.Header, name string) (vals []string, present, ok bool) {
	raw := h[name]
	if len(raw) == 0 {
		return nil, false, true
	}
	for item := range listItems(raw) {
		if !isToken(item) {
			return nil, true, false
		}
		vals = append(vals, item)
	}
	return vals, true, true
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
