package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

// newFlagSet returns a flag set that prints usage (the command's full usage
// text) to stderr and returns errors instead of exiting.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fl := flag.NewFlagSet(name, flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, usage) }
	return fl
}

// parseInterspersed parses args with fl, allowing flags after positional
// arguments ("check URL --from ORIGIN", as the issue and curl spell it):
// the flag package stops at the first non-flag, so parse again after each
// one. A "--" ends the flags; everything after it is positional.
func parseInterspersed(fl *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, err
		}
		rest := fl.Args()
		// flag.Parse consumed "--" if it stopped there: then the rest is
		// all positional.
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagErrorCode maps a flag parse error to the exit code: -h is a request
// for help (0, the usage has been printed), anything else a usage error (2).
func flagErrorCode(err error) int {
	if err == flag.ErrHelp {
		return 0
	}
	return 2
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string { return fmt.Sprint(*s) }

func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// isTerminal reports whether w is a character device (a terminal), so that
// a progress line is worth drawing on it.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
