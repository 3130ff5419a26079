package jsscript

// FailOffset returns where Valid gave up on src, or -1 when it accepts it.
func FailOffset(src []byte) int {
	p := &parser{stack: make([]frame, 0, MaxDepth)}
	if p.run(src) {
		return -1
	}
	return p.start
}
