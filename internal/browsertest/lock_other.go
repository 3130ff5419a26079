//go:build !unix

package browsertest

import (
	"io"
	"time"
)

// lockRun does nothing where there is no flock: runs on one machine may
// then collide on the ports, and Start says which port.
func lockRun(wait time.Duration, log io.Writer) (release func(), err error) {
	return func() {}, nil
}
