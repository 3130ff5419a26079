package jsscript_test

import (
	"syscall"
	"testing"
	"time"

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
			start := cpuTime()
			for b.Loop() {
				sinkBool = jsscript.Valid(s.src)
			}
			reportCPU(b, start, len(s.src))
		})
		b.Run("tdewolff/"+s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.src)))
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				// As orb_script.go calls it: the capped capacity makes
				// parse.NewInputBytes copy rather than write a NUL past
				// the body.
				_, err := js.Parse(parse.NewInputBytes(s.src[:len(s.src):len(s.src)]), js.Options{})
				sinkBool = err == nil
			}
			reportCPU(b, start, len(s.src))
		})
	}
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
