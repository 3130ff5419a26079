package cpuclock

import (
	"runtime"
	"testing"
	"time"
)

// TestClockCountsWork checks that a busy interval counts CPU time and an
// idle one (a sleep) almost none.
func TestClockCountsWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no CPU clock here")
	}
	var busy, idle Clock
	busy.Start()
	x := 0
	for deadline := Now() + 20*time.Millisecond; Now() < deadline; {
		x++
	}
	busy.Stop()
	idle.Start()
	time.Sleep(50 * time.Millisecond)
	idle.Stop()
	if busy.total < 20*time.Millisecond {
		t.Errorf("busy interval: %v of CPU, want at least 20ms (%d loops)", busy.total, x)
	}
	if idle.total > 20*time.Millisecond {
		t.Errorf("a 50ms sleep: %v of CPU, want well under 20ms", idle.total)
	}
}

// TestThreadNowCountsWork checks that the thread's clock counts a busy
// interval on a locked thread, where the platform has one.
func TestThreadNowCountsWork(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start, ok := ThreadNow()
	if !ok {
		t.Skip("no thread CPU clock here")
	}
	for deadline := Now() + 20*time.Millisecond; Now() < deadline; {
	}
	if end, _ := ThreadNow(); end-start < 10*time.Millisecond {
		t.Errorf("busy thread: %v of CPU, want at least 10ms", end-start)
	}
}
