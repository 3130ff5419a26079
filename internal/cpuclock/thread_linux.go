package cpuclock

import (
	"syscall"
	"time"
)

// ThreadNow returns the CPU time the calling OS thread has used (lock the
// goroutine to its thread first), and whether the platform tells it:
// unlike the process's, it leaves out other goroutines' work.
func ThreadNow() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
