package jsscript_test

import (
	"testing"

	"github.com/xorigin/xorigin/internal/jsscript"
	"github.com/xorigin/xorigin/internal/jsscript/jsshapes"
)

// heapBudget is the most a decision may allocate beyond the body it is
// given (which Valid never copies).
const heapBudget = 64 << 10

// TestPeakHeap checks that one decision allocates at most heapBudget on
// every shape: real bundles ($JSSCRIPT_BENCH), the synthetic bundle and
// the hostile shapes. TotalAlloc counts every byte allocated, so it bounds
// how far the live heap can grow during the call. The nested module
// ./compare logs the replaced parser's figure beside it.
func TestPeakHeap(t *testing.T) {
	shapes := append(jsshapes.Real(), jsshapes.Shape{Name: "synthetic-bundle", Src: jsshapes.Synthetic()})
	shapes = append(shapes, jsshapes.Hostile()...)
	for _, s := range shapes {
		var ok bool
		got := jsshapes.Allocated(func() { ok = jsscript.Valid(s.Src) })
		t.Logf("%-28s %9d bytes: Valid=%-5v allocates %6d B", s.Name, len(s.Src), ok, got)
		if got > heapBudget {
			t.Errorf("%s: Valid allocated %d bytes, budget %d", s.Name, got, heapBudget)
		}
	}
}

var sinkValid bool

// TestNoAllocs checks that a decision with a warm pool allocates nothing.
func TestNoAllocs(t *testing.T) {
	src := jsshapes.Synthetic()
	jsscript.Valid(src)
	if n := testing.AllocsPerRun(20, func() { sinkValid = jsscript.Valid(src) }); n != 0 {
		t.Errorf("Valid allocated %v times per run", n)
	}
}
