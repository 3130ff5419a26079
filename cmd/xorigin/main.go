// Command xorigin explains and tests cross-origin decisions.
//
// Usage:
//
//	xorigin conformance [-v] [FILE...]
//
// conformance runs fixture files in the shared conformance format through the
// engine. With no file it runs the suite embedded in the binary. It prints
// each failing case, then the line "N passed, N failed". It exits 0 when all
// cases pass, 1 when any fails, and 2 when a file cannot be loaded.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `xorigin decides, as a browser does, whether a response may reach a page.

Usage:

	xorigin <command> [arguments]

The commands are:

	conformance  run conformance fixture files through the engine

Use "xorigin <command> -h" for more about a command.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "conformance":
		return conformanceCmd(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[1] == "conformance" {
			return conformanceCmd([]string{"-h"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "xorigin %s: unknown command\nRun 'xorigin help' for usage.\n", args[0])
	return 2
}
