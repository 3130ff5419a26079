package jsscript_test

import (
	"syscall"
	"testing"
	"time"

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
			start := cpuTime()
			for b.Loop() {
				sinkBool = jsscript.Valid(s.Src)
			}
			reportCPU(b, start, len(s.Src))
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
