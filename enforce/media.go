package enforce

import (
	"sync"

	"github.com/xorigin/xorigin/fetchctx"
)

// The bounds of the media record, in bytes. A key is charged for its bytes
// (plus a quarter: allocation size classes round up, by 14% for a key of
// 7 KiB) and for its map slot, so that the bound is on the heap the record
// holds. 1 MiB holds about 3,000 keys of 200 bytes (4,096 keys of any
// length before); a key over 8 KiB is not remembered.
const (
	mediaRecordBytes = 1 << 20
	mediaKeyBytes    = 8 << 10
	mediaKeyCost     = 96 // a key's map slot (with the table's growth slack) and string header
)

// mediaRecord is the per-client record of URLs that sniffed as audio or
// video, keyed by initiator origin and URL; bounded by bytes, safe for
// concurrent use. Forgetting a URL (a key over mediaKeyBytes is never
// remembered; past the bound, arbitrary keys are forgotten) at worst makes
// a later range request "initial" again: stricter, never laxer.
type mediaRecord struct {
	mu   sync.Mutex
	max  int // bytes
	used int // bytes charged to keys
	seen map[string]struct{}
}

func newMediaRecord(maxBytes int) *mediaRecord {
	return &mediaRecord{max: maxBytes, seen: map[string]struct{}{}}
}

// mediaKey returns the record's key for hop i of req, or "" when there is
// none to remember it by: an opaque origin has no name, and a key over
// mediaKeyBytes is not built at all. The key is a new string, so the
// record pins nothing else.
func mediaKey(req *fetchctx.Request, i int) string {
	if req.Origin.IsOpaque() {
		return ""
	}
	o, u := req.Origin.String(), req.URLs[i].String()
	if len(o)+1+len(u) > mediaKeyBytes {
		return ""
	}
	return o + " " + u
}

// mediaCharge is what the record charges for key k.
func mediaCharge(k string) int {
	return len(k) + len(k)/4 + mediaKeyCost
}

func (m *mediaRecord) add(k string) {
	if k == "" || len(k) > mediaKeyBytes || mediaCharge(k) > m.max {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.seen[k]; ok {
		return
	}
	cost := mediaCharge(k)
	for old := range m.seen {
		if m.used+cost <= m.max {
			break
		}
		m.used -= mediaCharge(old)
		delete(m.seen, old)
	}
	m.seen[k] = struct{}{}
	m.used += cost
}

func (m *mediaRecord) has(k string) bool {
	if k == "" || len(k) > mediaKeyBytes {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.seen[k]
	return ok
}
