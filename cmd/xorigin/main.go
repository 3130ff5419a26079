// Command xorigin explains and tests cross-origin decisions.
//
// Usage:
//
//	xorigin <command> [arguments]
//
// The commands are:
//
//	check         fetch a URL as a page would, and explain the verdict
//	har           audit a HAR file for what an embedder policy would break
//	conformance   run conformance fixture files through the engine
//
// check fetches a URL for real through enforce.Transport, as a page on
// --from would, follows redirects, and prints each hop, the verdict, its
// reason and spec step, and the reports queued. It exits 0 when the page may
// use the response, 1 when it is blocked or stripped, 2 on usage or network
// errors.
//
// har reads a HAR 1.2 file, as Chrome and Firefox export it, and decides for
// every subresource what the page would see under Cross-Origin-Embedder-Policy
// require-corp or credentialless; it lists what would break, with a fix.
//
// conformance runs fixture files in the shared conformance format through the
// engine. With no file it runs the suite embedded in the binary. It prints
// each failing case, then the line "N passed, N failed". It exits 0 when all
// cases pass, 1 when any fails, and 2 when a file cannot be loaded.
//
// "xorigin help <command>" and "xorigin <command> --help" print a command's
// usage on standard output; "xorigin --version" prints the module version
// and the VCS revision the binary was built from.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `Xorigin decides, as a browser does, whether a response may reach a page.

Usage:

	xorigin <command> [arguments]

The commands are:

	check         fetch a URL as a page would, and explain the verdict
	har           audit a HAR file for what an embedder policy would break
	page          load a page's subresources as a browser would, and list what breaks
	conformance   run conformance fixture files through the engine

Use "xorigin help <command>" for more information about a command, and
"xorigin --version" for the version of this binary.
`

// command is one subcommand: its usage text and its entry point.
type command struct {
	name  string
	usage string
	run   func(args []string, stdout, stderr io.Writer) int
}

var commands = []command{
	{"check", checkUsage, checkCmd},
	{"har", harUsage, harCmd},
	{"page", pageUsage, pageCmd},
	{"conformance", conformanceUsage, conformanceCmd},
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return help(args[1:], stdout, stderr)
	case "--version", "-version", "version":
		bi, _ := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(bi))
		return 0
	}
	if c := lookup(args[0]); c != nil {
		return c.run(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "xorigin %s: unknown command\nRun 'xorigin help' for usage.\n", args[0])
	return 2
}

// help implements "xorigin help [command]", as "go help" does: the usage on
// stdout, exit 0; an unknown topic is a usage error.
func help(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		fmt.Fprint(stdout, usage)
		return 0
	case 1:
		if c := lookup(args[0]); c != nil {
			fmt.Fprint(stdout, c.usage)
			return 0
		}
		fmt.Fprintf(stderr, "xorigin help %s: unknown help topic. Run 'xorigin help'.\n", args[0])
	default:
		fmt.Fprintln(stderr, "usage: xorigin help <command>\n\nToo many arguments given.")
	}
	return 2
}

// versionLine describes the binary from its build information: the module
// version ("(devel)" when built from a clone) and the VCS revision, its
// time and whether the tree was modified, when the build recorded them.
func versionLine(bi *debug.BuildInfo) string {
	if bi == nil {
		return "xorigin: no build information in the binary"
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var rev, when string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	line := "xorigin " + version
	if bi.Main.Path != "" {
		line += " (" + bi.Main.Path + ")"
	}
	switch {
	case rev == "":
		line += ", no VCS revision recorded"
	default:
		line += ", revision " + rev
		if when != "" {
			line += " of " + when
		}
		if modified {
			line += ", modified"
		}
	}
	if bi.GoVersion != "" {
		line += ", " + bi.GoVersion
	}
	return line
}
