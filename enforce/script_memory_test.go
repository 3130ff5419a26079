package enforce_test

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
)

// The documented cost of ORB's script step (README, Security): one
// decision on a UTF-8 body allocates at most scriptAllocBound bytes,
// whatever the body and its size (the validator keeps no tree, and a
// bounded stack of contexts), and its goroutine's stack grows by at most
// scriptStackBound. Everything the decision allocates is garbage once it
// returns, so the allocation bounds its peak live heap: the body plus
// 64 KiB.
const (
	scriptAllocBound = 64 << 10
	scriptStackBound = 64 << 10
)

// budgetBody is the size of the largest hostile bodies: the whole default
// script budget, cut to 1 MiB under the race detector.
func budgetBody() int {
	if raceEnabled {
		return 1 << 20
	}
	return 8 << 20
}

// decisionCost is what one decision cost: the bytes it allocated, an upper
// bound on its peak live heap (nothing it allocates outlives it), and how
// much its goroutine's stack grew.
type decisionCost struct {
	alloc, stack uint64
	verdict      enforce.Verdict
}

// measureDecision decides body, ORB's script step on an <img> request
// for a text/plain response, on a fresh goroutine with the collector off,
// so that every byte allocated counts and no stack shrinks before it is
// read. Tests that call it must not run in parallel.
//
// The process's other goroutines (the testing package's, the runtime's)
// may allocate meanwhile, and that can only add: the least of three
// measures is the decision's own.
func measureDecision(e *enforce.Engine, body []byte) decisionCost {
	req, resp := scriptDecision(body)
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var best decisionCost
	for k := range 3 {
		runtime.GC()
		done := make(chan decisionCost)
		go func() {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			v, _ := e.Decide(req, []enforce.Response{resp}, nil)
			runtime.ReadMemStats(&m1)
			done <- decisionCost{m1.TotalAlloc - m0.TotalAlloc, m1.StackInuse - m0.StackInuse, v}
		}()
		c := <-done
		if k == 0 {
			best = c
		}
		best.alloc, best.stack = min(best.alloc, c.alloc), min(best.stack, c.stack)
	}
	return best
}

// minifiedScript returns about size bytes of code shaped like a minified
// bundle (short names, dense punctuation, closures, objects, regular
// expressions, templates), written for this test.
func minifiedScript(size int) []byte {
	var b strings.Builder
	b.WriteString(`!function(e,t){"use strict";var n=[],r=Object.getPrototypeOf,i=n.slice;`)
	for i := 0; b.Len() < size-200; i++ {
		fmt.Fprintf(&b, `function a%d(e,t,n){var r,i,o=(n=n||C).createElement("script");if(o.text=e,t)for(r in s)(i=t[r]||t.getAttribute&&t.getAttribute(r))&&o.setAttribute(r,i);return n.head.appendChild(o).parentNode.removeChild(o),/^[\w-]+$/.test(e)?e:null}`, i)
		fmt.Fprintf(&b, `var u%d={each:function(e,t){var n,r=0;if(c(e)){for(n=e.length;r<n;r++)if(!1===t.call(e[r],r,e[r]))break}else for(r in e)if(!1===t.call(e[r],r,e[r]))break;return e},trim:e=>null==e?"":(e+"").replace(/^\s+|\s+$/g,""),key:`+"`k${%d}-${e}`"+`,n:[1,2,3,.5,0x1f,1e3]};`, i, i)
	}
	b.WriteString(`e.done=!0}(window);`)
	return []byte(b.String())
}

// TestScriptDecisionCost measures one decision of ORB's script step, on
// the shapes that once made the parser recurse (at the whole 8 MiB budget:
// they overflowed the stack), on the shapes whose syntax tree cost most per
// byte (1 MiB), and on a script shaped like a real one, and holds each to
// the documented bounds: the body plus 64 KiB of heap, and a stack that
// does not grow with the body.
func TestScriptDecisionCost(t *testing.T) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckORB})
	check := func(name string, body []byte) {
		t.Helper()
		c := measureDecision(e, body)
		t.Logf("%-22s %8d bytes: allocated %7d bytes, stack grew %7d bytes, allowed %v",
			name, len(body), c.alloc, c.stack, c.verdict.Allows())
		if c.alloc > scriptAllocBound {
			t.Errorf("%s: allocated %d bytes for a body of %d, over %d", name, c.alloc, len(body), scriptAllocBound)
		}
		if c.stack > scriptStackBound {
			t.Errorf("%s: the stack grew by %d bytes, over %d", name, c.stack, scriptStackBound)
		}
		if c.verdict.Result == enforce.Undecided {
			t.Errorf("%s: undecided", name)
		}
	}
	for _, s := range hostileScriptShapes() {
		check(s.name, s.build(budgetBody()))
	}
	combined := strings.Repeat("if(a)", 999) + strings.Repeat("!", 990) + strings.Repeat("async(", 250) + strings.Repeat(")", 250)
	check("many recursions at once", []byte(combined))
	for _, unit := range []string{"{}", "({a});", "{a}", "(a);", "a=>a;", ";"} {
		body := []byte(strings.Repeat(unit, (1<<20)/len(unit)))
		check(fmt.Sprintf("%q repeated", unit), body)
		check(fmt.Sprintf("%q repeated, error", unit), append(body, "a b"...))
	}
	check("a long array", []byte("x=["+strings.Repeat("a,", 512<<10)+"]"))
	script := minifiedScript(1 << 20)
	c := measureDecision(e, script)
	if !c.verdict.Allows() {
		t.Fatalf("the realistic script: %+v, want allowed", c.verdict)
	}
	check("realistic script", script)
}

// BenchmarkORBScript: ORB's script step on 1 MiB bodies: a script shaped
// like a minified bundle, the shape whose syntax tree once cost most per
// byte, a nesting past jsscript.MaxDepth, and a long prefix chain.
func BenchmarkORBScript(b *testing.B) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckORB})
	deep := scriptShape{name: "deep", open: "async(", close: ")"}
	chain := scriptShape{name: "chain", open: "!", mid: "1"}
	for _, c := range []struct {
		name string
		body []byte
		want bool
	}{
		{"minified", minifiedScript(1 << 20), true},
		{"{} repeated", []byte(strings.Repeat("{}", 512<<10)), true},
		{"async( nested", deep.build(1 << 20), false},
		{"! chain", chain.build(1 << 20), true}, // one context, whatever its length
	} {
		req, resp := scriptDecision(c.body)
		if v, _ := e.Decide(req, []enforce.Response{resp}, nil); v.Allows() != c.want {
			b.Fatalf("%s: %+v, want allowed %v", c.name, v, c.want)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				sinkV, _ = e.Decide(req, []enforce.Response{resp}, nil)
			}
		})
	}
}
