// Package jsshapes holds the script bodies internal/jsscript's benchmarks
// and memory test run on: real bundles named by $JSSCRIPT_BENCH, a
// synthetic bundle and hostile shapes. It is a package, not a _test.go
// file, so that the nested module internal/jsscript/compare, which
// benchmarks Valid beside the parser it replaced, runs on the same bodies.
package jsshapes

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xorigin/xorigin/internal/cpuclock"
)

// Shape is a body the benchmarks and the memory test run on.
type Shape struct {
	Name string
	Src  []byte
}

const shapeSize = 1 << 20

// repeatTo repeats unit until the result holds about n bytes.
func repeatTo(unit string, n int) []byte {
	return bytes.Repeat([]byte(unit), max(1, n/len(unit)))
}

func nested(open, mid, close string, depth int) string {
	return strings.Repeat(open, depth) + mid + strings.Repeat(close, depth)
}

// Hostile returns synthetic worst cases: deep nesting near the limit,
// the smallest tokens, long operator chains, and constructs whose early
// errors look back (labels, breaks, arrow parameters, regexp group names).
func Hostile() []Shape {
	const deep = 1400
	var labels strings.Builder
	for i := 0; i < 700; i++ {
		fmt.Fprintf(&labels, "l%d: ", i)
	}
	labels.WriteString("{ ")
	var breaks strings.Builder
	for breaks.Len() < shapeSize {
		breaks.WriteString("break l0; break l350; ")
	}
	labels.WriteString(breaks.String())
	labels.WriteString("}")
	var params strings.Builder
	params.WriteString("f = (")
	for i := 0; params.Len() < shapeSize; i++ {
		fmt.Fprintf(&params, "p%d, ", i)
	}
	params.WriteString("q) => 0")
	var re strings.Builder
	re.WriteString("x = /(?<a>.)")
	for re.Len() < shapeSize {
		re.WriteString(`\k<a>`)
	}
	re.WriteString("/")
	return []Shape{
		{"parens", repeatTo("x = "+nested("(", "1", ")", deep)+";\n", shapeSize)},
		{"arrays", repeatTo("x = "+nested("[", "1", "]", deep)+";\n", shapeSize)},
		{"objects", repeatTo("x = "+nested("{a:", "1", "}", deep)+";\n", shapeSize)},
		{"blocks", []byte(nested("{", string(repeatTo("a;", shapeSize)), "}", deep))},
		{"breaks", []byte("while (1) " + nested("{", string(repeatTo("break;", shapeSize)), "}", deep))},
		{"labels", []byte(labels.String())},
		{"templates", repeatTo("x = "+nested("`${", "1", "}`", 700)+";\n", shapeSize)},
		{"arrows", repeatTo("f = "+strings.Repeat("a => ", 700)+"0;\n", shapeSize)},
		{"arrow-params", []byte(params.String())},
		{"tokens", repeatTo(";", shapeSize)},
		{"operators", repeatTo("a+-b*!c/d%~e-", shapeSize)},
		{"regexp-refs", []byte(re.String())},
		{"string", []byte(`"` + strings.Repeat("x", shapeSize) + `"`)},
		{"comments", repeatTo("/* c */ // d\n", shapeSize)},
		{"identifiers", repeatTo("ünïcödé_\\u0061bc + ", shapeSize)},
		{"prose", repeatTo("The quick brown fox jumps over the lazy dog. ", shapeSize)},
		{"json", repeatTo(`[{"a": 1, "b": [true, null, "x"]},`, shapeSize)},
	}
}

// Synthetic is the realistic shape used when no real bundles are
// at hand: the valid hand-written cases, each wrapped in a function, until
// about 1 MiB.
func Synthetic() []byte {
	var b bytes.Buffer
	b.WriteString("(function () {\n")
	for b.Len() < shapeSize {
		for _, c := range validCases {
			b.WriteString("function f() {\n")
			b.WriteString(c)
			b.WriteString("\n}\n")
		}
	}
	b.WriteString("})();\n")
	return b.Bytes()
}

var validCases = []string{
	`var a = 1, b = [1, 2, 3], c = { d: 'e', f: function (g) { return g * 2 } };`,
	`for (var i = 0; i < b.length; i++) { if (b[i] % 2 === 0) { continue } else { a += b[i] } }`,
	`const h = async (x, { y = 1, ...z }) => { await x; return [y, z] };`,
	`class K extends Object { #p = 1; static q = 2; constructor() { super(); this.r = this.#p } get s() { return 1 } }`,
	"let t = `template ${a + `nested ${b}`} end`, u = /ab+c/gi.test(t) ? 1 : 0;",
	`switch (a) { case 1: a++; break; default: a = a ?? 0 }`,
	`try { JSON.parse(c) } catch (e) { console.error(e?.message) } finally { a = null }`,
	`label: while (true) { do { break label } while (false) }`,
	`var v = function* () { yield 1; yield* [2, 3] }, w = typeof v === 'function' && !(v instanceof Array);`,
	`({ a, b } = { a: 1, b: 2 }); [a, b] = [b, a];`,
}

// Real reads the files $JSSCRIPT_BENCH names (a list like PATH),
// real bundles such as those testdata/corpus.sh fetches.
func Real() []Shape {
	var out []Shape
	for _, name := range filepath.SplitList(os.Getenv("JSSCRIPT_BENCH")) {
		if name == "" {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		out = append(out, Shape{filepath.Base(name), bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))})
	}
	return out
}

// Allocated returns the bytes f allocates on the heap, starting from
// empty pools: two collections empty a sync.Pool and its victim cache, so
// a pooled parser itself is counted. TotalAlloc is process-wide, so the
// runtime's own allocations during the call count too: the least of three
// measurements is reported.
func Allocated(f func()) uint64 {
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

// ReportCPU reports cpu-MB/s for a benchmark over a body of size bytes
// that began at start (cpuclock.Now): bytes per CPU second spent by the
// process, parser and garbage collector alike, which a shared machine's
// neighbours disturb less than wall-clock MB/s.
func ReportCPU(b *testing.B, start time.Duration, size int) {
	if d := cpuclock.Now() - start; d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/d.Seconds()/1e6, "cpu-MB/s")
	}
}
