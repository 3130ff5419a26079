//go:build !unix

package browsertest

import (
	"io"
	"os"
	"path/filepath"
	"time"
)

func runLock() string { return filepath.Join(os.TempDir(), "xorigin-browsertest.lock") }

// lockRun does nothing where there is no flock: runs on one machine may
// then collide on the ports, and Start says which port.
func lockRun(path string, wait time.Duration, log io.Writer) (release func(), err error) {
	return func() {}, nil
}
