package jsscript_test

import (
	"testing"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"

	"github.com/xorigin/xorigin/internal/jsscript"
)

var sinkBool bool

// BenchmarkORBScript measures Valid beside github.com/tdewolff/parse/v2/js
// (what enforce/orb_script.go uses today) on the same bodies in the same
// run: the real bundles $JSSCRIPT_BENCH names, or a synthetic bundle, then
// the hostile shapes.
//
//	JSSCRIPT_BENCH=$(testdata/corpus.sh --bench) go test -run - -bench ORBScript ./internal/jsscript
func BenchmarkORBScript(b *testing.B) {
	shapes := realBundles()
	if len(shapes) == 0 {
		shapes = append(shapes, shape{"synthetic-bundle", syntheticBundle()})
	}
	shapes = append(shapes, hostileShapes()...)
	for _, s := range shapes {
		b.Run("jsscript/"+s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.src)))
			b.ReportAllocs()
			for b.Loop() {
				sinkBool = jsscript.Valid(s.src)
			}
		})
		b.Run("tdewolff/"+s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.src)))
			b.ReportAllocs()
			for b.Loop() {
				// As orb_script.go calls it: the capped capacity makes
				// parse.NewInputBytes copy rather than write a NUL past
				// the body.
				_, err := js.Parse(parse.NewInputBytes(s.src[:len(s.src):len(s.src)]), js.Options{})
				sinkBool = err == nil
			}
		})
	}
}
