package site

// CacheLen returns the number of entries r's cache holds, and its capacity.
func CacheLen(r *Resolver) (n, capacity int) {
	if r.cache == nil {
		return 0, 0
	}
	if t := r.cache.table.Load(); t != nil {
		for i := range t.slots {
			if t.slots[i].Load() != nil {
				n++
			}
		}
	}
	return n, r.cache.capacity()
}

// CacheStandsAside reports whether r's cache is bypassed for the hosts
// it does not sample.
func CacheStandsAside(r *Resolver) bool { return r.cache != nil && r.cache.bypass.Load() }
