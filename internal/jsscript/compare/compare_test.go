package compare_test

import (
	"testing"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"

	"github.com/xorigin/xorigin/internal/cpuclock"
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
	start := cpuclock.Now()
	for b.Loop() {
		sinkBool = valid(src)
	}
	jsshapes.ReportCPU(b, start, len(src))
}

// TestHeapBeside logs the bytes each parser allocates for one decision on
// every shape, from an empty pool (two collections empty a sync.Pool and
// its victim cache). It checks nothing: the root module's TestPeakHeap
// holds jsscript to its budget.
func TestHeapBeside(t *testing.T) {
	for _, s := range shapes() {
		var ok, old bool
		got := jsshapes.Allocated(func() { ok = jsscript.Valid(s.Src) })
		oldB := jsshapes.Allocated(func() { old = tdewolffParse(s.Src) })
		t.Logf("%-28s %9d bytes: Valid=%-5v %6d B; js.Parse=%-5v %10d B (%.1f B/byte)",
			s.Name, len(s.Src), ok, got, old, oldB, float64(oldB)/float64(len(s.Src)))
	}
}
