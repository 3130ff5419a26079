package compare_test

import (
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"

	"github.com/xorigin/xorigin/internal/jsscript"
	"github.com/xorigin/xorigin/internal/jsscript/jsshapes"
)

var sinkBool bool

// shapes are the bodies both parsers run on: the real bundles
// $JSSCRIPT_BENCH names, or the synthetic bundle, then the hostile shapes.
func shapes() []jsshapes.Shape {
	s := jsshapes.Real()
	if len(s) == 0 {
		s = append(s, jsshapes.Shape{Name: "synthetic-bundle", Src: jsshapes.Synthetic()})
	}
	return append(s, jsshapes.Hostile()...)
}

// tdewolffParse parses src as enforce/orb_script.go did before jsscript:
// the capped capacity makes parse.NewInputBytes copy rather than write a
// NUL past the body.
func tdewolffParse(src []byte) bool {
	_, err := js.Parse(parse.NewInputBytes(src[:len(src):len(src)]), js.Options{})
	return err == nil
}

// BenchmarkORBScript measures jsscript.Valid beside tdewolff's js.Parse
// on the same bodies in the same run. Its result names,
// BenchmarkORBScript/jsscript/<body> and BenchmarkORBScript/tdewolff/<body>,
// are those scripts/bench.sh reads.
func BenchmarkORBScript(b *testing.B) {
	for _, s := range shapes() {
		b.Run("jsscript/"+s.Name, func(b *testing.B) {
			run(b, s.Src, jsscript.Valid)
		})
		b.Run("tdewolff/"+s.Name, func(b *testing.B) {
			run(b, s.Src, tdewolffParse)
		})
	}
}

func run(b *testing.B, src []byte, valid func([]byte) bool) {
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		sinkBool = valid(src)
	}
	reportCPU(b, start, len(src))
}

// TestHeapBeside logs the bytes each parser allocates for one decision on
// every shape, from an empty pool (two collections empty a sync.Pool and
// its victim cache). It checks nothing: the root module's TestPeakHeap
// holds jsscript to its budget.
func TestHeapBeside(t *testing.T) {
	for _, s := range shapes() {
		var ok, old bool
		got := allocated(func() { ok = jsscript.Valid(s.Src) })
		oldB := allocated(func() { old = tdewolffParse(s.Src) })
		t.Logf("%-28s %9d bytes: Valid=%-5v %6d B; js.Parse=%-5v %10d B (%.1f B/byte)",
			s.Name, len(s.Src), ok, got, old, oldB, float64(oldB)/float64(len(s.Src)))
	}
}

// allocated returns the least of three measurements of the bytes f
// allocates (TotalAlloc is process-wide).
func allocated(f func()) uint64 {
	least := ^uint64(0)
	for range 3 {
		runtime.GC()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}

// cpuTime is the process's user and system CPU time. On a shared machine
// wall-clock MB/s mostly measure the neighbours; cpu-MB/s, bytes per CPU
// second spent by the process (parser and garbage collector alike), do not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration, size int) {
	if d := cpuTime() - start; d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/d.Seconds()/1e6, "cpu-MB/s")
	}
}
