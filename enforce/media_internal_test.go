package enforce

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestMediaChargeCoversTheHeap: what the media record charges a key is at
// least what the key holds on the heap, for keys of 40 bytes to 7 KiB, so
// that its byte bound bounds the heap. Not parallel: it measures the heap.
func TestMediaChargeCoversTheHeap(t *testing.T) {
	for _, n := range []int{40, 200, 7 << 10} {
		m := newMediaRecord(1 << 30)
		before := liveHeap()
		for i := range 500 {
			k := fmt.Sprintf("%d %s", i, strings.Repeat("u", n))
			m.add(k[:n])
		}
		held := liveHeap() - before
		runtime.KeepAlive(m)
		t.Logf("keys of %d bytes: %d bytes charged, %d held", n, m.used, held)
		if held > int64(m.used) {
			t.Errorf("keys of %d bytes: %d bytes charged, but %d held", n, m.used, held)
		}
	}
}

// TestMediaRecordBound: a key over the cap is not remembered; adds past the
// byte bound forget others; the charge always matches the keys held.
func TestMediaRecordBound(t *testing.T) {
	t.Parallel()
	m := newMediaRecord(16 << 10)
	long := strings.Repeat("u", mediaKeyBytes+1)
	if m.add(long); m.has(long) || m.used != 0 {
		t.Errorf("a key of %d bytes was remembered", len(long))
	}
	for i := range 1000 {
		k := fmt.Sprintf("https://app.example.test https://media.other.test/%d.wav", i)
		m.add(k)
		if !m.has(k) {
			t.Fatalf("%s: not remembered right after add", k)
		}
		sum := 0
		for k := range m.seen {
			sum += mediaCharge(k)
		}
		if sum != m.used || m.used > m.max {
			t.Fatalf("after %d adds: %d bytes charged, keys hold %d, bound %d", i+1, m.used, sum, m.max)
		}
	}
}
