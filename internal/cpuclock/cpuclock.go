// Package cpuclock measures the CPU time a process spends, for benchmarks
// on a shared machine: there, wall-clock time per operation mostly
// measures the neighbours, while the process's CPU time (its own threads,
// the garbage collector's included) does not.
package cpuclock

import (
	"testing"
	"time"
)

// Clock accumulates the process's CPU time over the intervals between
// Start and Stop, which a benchmark calls where it calls b.StartTimer and
// b.StopTimer, so that work outside the timing is left out.
type Clock struct {
	total, start time.Duration
	running      bool
}

// Start starts an interval.
func (c *Clock) Start() {
	c.start, c.running = Now(), true
}

// Stop ends the interval Start began.
func (c *Clock) Stop() {
	if c.running {
		c.total += Now() - c.start
		c.running = false
	}
}

// Report stops the clock and reports its total per operation as the
// benchmark's "cpu-ns/op" metric; nothing where the platform has no clock.
func (c *Clock) Report(b *testing.B) {
	c.Stop()
	if c.total > 0 && b.N > 0 {
		b.ReportMetric(float64(c.total.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
