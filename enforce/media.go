package enforce

import (
	"sync"

	"github.com/xorigin/xorigin/fetchctx"
)

// mediaRecord is the per-client record of URLs that sniffed as audio or
// video, keyed by initiator origin and URL; bounded, safe for concurrent
// use. When full it forgets everything and starts again, which at worst
// makes a later range request "initial" again (stricter, never laxer).
type mediaRecord struct {
	mu   sync.Mutex
	max  int
	seen map[string]struct{}
}

func newMediaRecord(max int) *mediaRecord {
	return &mediaRecord{max: max, seen: map[string]struct{}{}}
}

func mediaKey(req *fetchctx.Request, i int) string {
	if req.Origin.IsOpaque() {
		return "" // an opaque origin has no name to remember it by
	}
	return req.Origin.String() + " " + req.URLs[i].String()
}

func (m *mediaRecord) add(k string) {
	if k == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.seen) >= m.max {
		clear(m.seen)
	}
	m.seen[k] = struct{}{}
}

func (m *mediaRecord) has(k string) bool {
	if k == "" {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.seen[k]
	return ok
}
