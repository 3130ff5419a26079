package jsscript

// FailOffset returns where Valid gave up on src, or -1 when it accepts it.
func FailOffset(src []byte) int {
	p := &parser{stack: new([MaxDepth]frame), limit: MaxDepth}
	if p.run(src) {
		return -1
	}
	return p.start
}

// Depth returns the fewest stack frames with which src is accepted, or -1
// when Valid rejects it.
func Depth(src []byte) int {
	if !Valid(src) {
		return -1
	}
	lo, hi := 1, MaxDepth
	for lo < hi {
		m := (lo + hi) / 2
		p := &parser{stack: new([MaxDepth]frame), limit: m}
		if p.run(src) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// Unguarded runs the parser without Valid's recover, so that tests see
// any panic.
func Unguarded(src []byte) bool {
	p := &parser{stack: new([MaxDepth]frame), limit: MaxDepth}
	return p.run(src)
}

// UnguardedPooled is Unguarded on a parser reused across calls, as Valid's
// pool reuses them, so that state left by one input shows on the next.
func UnguardedPooled(src []byte) bool {
	return pooled.run(src)
}

var pooled = &parser{stack: new([MaxDepth]frame), limit: MaxDepth}
