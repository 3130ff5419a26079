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
