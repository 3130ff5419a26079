//go:build !linux

package cpuclock

import "time"

// ThreadNow is measured on Linux only: elsewhere it returns false.
func ThreadNow() (time.Duration, bool) { return 0, false }
