package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// newFlagSet returns a flag set that prints nothing itself and returns
// errors instead of exiting: parseArgs says what went wrong.
func newFlagSet(name string) *flag.FlagSet {
	fl := flag.NewFlagSet(name, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	fl.Usage = func() {}
	return fl
}

// parseArgs parses a command's arguments with fl, flags anywhere among the
// positional ones (see parseInterspersed). It returns the positional
// arguments and ok; when not ok, it has printed what to print and code is
// the exit code: -h or --help prints the command's usage on stdout, as
// "xorigin help CMD" does, and exits 0; a bad flag prints one line and a
// pointer to --help on stderr, and exits 2.
func parseArgs(fl *flag.FlagSet, usage string, args []string, stdout, stderr io.Writer) (pos []string, code int, ok bool) {
	pos, err := parseInterspersed(fl, args)
	switch {
	case err == nil:
		return pos, 0, true
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return nil, 0, false
	}
	fmt.Fprintf(stderr, "xorigin %s: %v\nRun 'xorigin %s --help' for usage.\n", fl.Name(), err, fl.Name())
	return nil, 2, false
}

// parseInterspersed parses args with fl, allowing flags after positional
// arguments ("check URL --from ORIGIN", "conformance FILE -v", as curl and
// most tools take them): the flag package stops at the first non-flag, so
// parse again after each one. A "--" ends the flags; everything after it is
// positional.
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
