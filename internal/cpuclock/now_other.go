//go:build !unix

package cpuclock

import "time"

// Now returns 0: this platform has no clock the package reads.
func Now() time.Duration { return 0 }
