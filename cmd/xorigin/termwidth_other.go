//go:build !linux && !darwin

package main

import (
	"io"
	"os"
	"strconv"
)

// terminalWidth returns $COLUMNS when set, else 80.
func terminalWidth(io.Writer) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 80
}
