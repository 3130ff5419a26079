//go:build linux || darwin

package main

import (
	"io"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// terminalWidth returns the width of the terminal w writes to: $COLUMNS
// when set, else what the terminal says, else 80.
func terminalWidth(w io.Writer) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f, ok := w.(*os.File); ok {
		var ws struct{ row, col, x, y uint16 }
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), uintptr(syscall.TIOCGWINSZ), uintptr(unsafe.Pointer(&ws))); e == 0 && ws.col > 0 {
			return int(ws.col)
		}
	}
	return 80
}
