package jsscript_test

import (
	"testing"

	"github.com/xorigin/xorigin/internal/cpuclock"
	"github.com/xorigin/xorigin/internal/jsscript"
	"github.com/xorigin/xorigin/internal/jsscript/jsshapes"
)

var sinkBool bool

// BenchmarkORBScript measures Valid, ORB's script step, on the real
// bundles $JSSCRIPT_BENCH names, or a synthetic bundle, then the hostile
// shapes. The nested module ./compare runs it beside the parser it
// replaced (github.com/tdewolff/parse/v2/js), which the root module no
// longer requires.
//
//	JSSCRIPT_BENCH=$(testdata/corpus.sh --bench) go test -run - -bench ORBScript ./internal/jsscript
func BenchmarkORBScript(b *testing.B) {
	shapes := jsshapes.Real()
	if len(shapes) == 0 {
		shapes = append(shapes, jsshapes.Shape{Name: "synthetic-bundle", Src: jsshapes.Synthetic()})
	}
	shapes = append(shapes, jsshapes.Hostile()...)
	for _, s := range shapes {
		b.Run("jsscript/"+s.Name, func(b *testing.B) {
			b.SetBytes(int64(len(s.Src)))
			b.ReportAllocs()
			start := cpuclock.Now()
			for b.Loop() {
				sinkBool = jsscript.Valid(s.Src)
			}
			jsshapes.ReportCPU(b, start, len(s.Src))
		})
	}
}
