//go:build unix

package browsertest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// runLock is the file whose lock one browser run at a time on the machine
// holds while its servers listen.
func runLock() string { return filepath.Join(os.TempDir(), "xorigin-browsertest.lock") }

// lockRun takes the lock on path (a flock, which the kernel drops when the
// process ends). When another run holds it, lockRun says so once on log
// and waits up to wait for it, polling; it returns an error naming that
// run when the wait is zero or over.
func lockRun(path string, wait time.Duration, log io.Writer) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, fmt.Errorf("browsertest: the run lock: %w", err)
	}
	deadline := time.Now().Add(wait)
	said := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if err != syscall.EWOULDBLOCK {
			f.Close()
			return nil, fmt.Errorf("browsertest: the run lock %s: %w", path, err)
		}
		holder := lockHolder(f)
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w: another browser run (%s) holds them (lock %s)", ErrPorts, holder, path)
		}
		if !said && log != nil {
			fmt.Fprintf(log, "browsertest: ports %s are held by another browser run (%s); waiting up to %s for it to end\n", portList(), holder, wait.Round(time.Second))
			said = true
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Say who holds the lock, for the runs that wait for it.
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() { f.Close() }, nil
}

// lockHolder names the process that wrote its pid in the lock file.
func lockHolder(f *os.File) string {
	b := make([]byte, 32)
	n, _ := f.ReadAt(b, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b[:n])))
	if err != nil {
		return "pid unknown"
	}
	return fmt.Sprintf("pid %d (%s)", pid, procComm(pid))
}

func portList() string {
	var s []string
	for _, p := range basePorts {
		s = append(s, strconv.Itoa(int(p)))
	}
	return strings.Join(s, ", ")
}
