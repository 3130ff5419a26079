package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"

	"github.com/xorigin/xorigin"
	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/conformance"
	"github.com/xorigin/xorigin/internal/wire"
)

const conformanceUsage = `usage: xorigin conformance [-v] [-wire] [-profile spec|chromium] [FILE...]

Conformance runs fixture files in the shared conformance format through the
engine and compares each case's verdict and reports with its expectation.
With no FILE it runs the suite embedded in the binary.

It prints each failing case (file, case, expected, got, reason), then the
line "N passed, N failed". It exits 0 when every case passes, 1 when any
fails, and 2 when a file cannot be loaded.

With -wire, each case runs over the wire instead: loopback servers serve
its responses exactly as listed (status, header lines in order and case,
body), and the request goes through enforce.Transport with the case's
request context. A case passes when the Transport agrees with the engine
(the verdict's reason, step and hop; the reports; an allowed body, byte for
byte; which hops were sent a request, a preflight, credentials) and meets
the case's expectation; each failure also prints the engine's verdict. A
case that cannot be served over the wire as written fails, saying why.

The -v flag also prints each passing case. The -profile flag selects whose
opaque response blocking the engine follows: the spec text (the default) or
Chromium as it ships; with no FILE, -profile chromium runs the embedded
cases observed in Chromium (testdata/chromium).
`

func conformanceCmd(args []string, stdout, stderr io.Writer) int {
	fl := newFlagSet("conformance")
	verbose := fl.Bool("v", false, "print passing cases too")
	overWire := fl.Bool("wire", false, "run the cases through enforce.Transport against loopback servers")
	profileName := fl.String("profile", "spec", "whose ORB to follow: spec or chromium")
	args, code, ok := parseArgs(fl, conformanceUsage, args, stdout, stderr)
	if !ok {
		return code
	}
	profile, err := enforce.ParseProfile(*profileName)
	if err != nil {
		fmt.Fprintf(stderr, "xorigin conformance: %v\n", err)
		return 2
	}
	type file struct {
		name string
		data []byte
	}
	var files []file
	if len(args) == 0 {
		names, datas, err := readEmbedded(suitePattern(profile))
		if err != nil {
			fmt.Fprintf(stderr, "xorigin conformance: %v\n", err)
			return 2
		}
		for i, n := range names {
			files = append(files, file{n, datas[i]})
		}
	} else {
		for _, n := range args {
			data, err := os.ReadFile(n)
			if err != nil {
				fmt.Fprintf(stderr, "xorigin conformance: %v\n", err)
				return 2
			}
			files = append(files, file{n, data})
		}
	}

	// A file or case that cannot be loaded is an error, reported with its
	// file and case and counted as failed; it is never skipped. The cases
	// that do load still run.
	var all []conformance.Case
	loadErrors := 0
	for _, f := range files {
		cases, err := conformance.Load(f.name, f.data)
		for _, e := range splitErrors(err) {
			fmt.Fprintf(stderr, "xorigin conformance: %v\n", e)
			fmt.Fprintf(stdout, "ERROR %v\n", e)
			loadErrors++
		}
		all = append(all, cases...)
	}

	var results []result
	if *overWire {
		results = runWire(profile, all)
	} else {
		runner := conformance.NewRunner(profile)
		for i := range all {
			out := runner.Run(&all[i])
			results = append(results, result{out.Pass, got(out), "", out.Problem, out.Diff})
		}
	}
	passed, failed := 0, 0
	for i, out := range results {
		c := &all[i]
		if out.pass {
			passed++
			if *verbose {
				fmt.Fprintf(stdout, "ok   %s: %s: %s\n", c.File, c.Name, c.Expect.Result)
			}
			continue
		}
		failed++
		fmt.Fprintf(stdout, "FAIL %s: %s\n", c.File, c.Name)
		fmt.Fprintf(stdout, "     expected: %s\n", c.Expect.Result)
		fmt.Fprintf(stdout, "     got:      %s\n", out.got)
		if out.engine != "" {
			fmt.Fprintf(stdout, "     engine:   %s\n", out.engine)
		}
		fmt.Fprintf(stdout, "     problem:  %s\n", out.problem)
		if out.diff != "" {
			fmt.Fprintf(stdout, "     reports (-want +got):\n%s", indent(out.diff, "       "))
		}
		if c.Source != "" {
			fmt.Fprintf(stdout, "     source:   %s\n", c.Source)
		}
	}
	failed += loadErrors
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	switch {
	case loadErrors > 0:
		return 2
	case failed > 0:
		return 1
	}
	return 0
}

// result is one case's outcome as printed.
type result struct {
	pass                 bool
	got, engine, problem string
	diff                 string
}

// runWire runs the cases over the wire, a few at a time, and returns their
// outcomes in order.
func runWire(profile enforce.Profile, cases []conformance.Case) []result {
	r := wire.NewRunner(profile)
	results := make([]result, len(cases))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out := r.Run(context.Background(), &cases[i])
			results[i] = result{out.Pass, wire.Describe(&out), got(out.Engine), out.Problem, out.Diff}
		}()
	}
	wg.Wait()
	return results
}

// splitErrors unpacks the errors Load joins.
func splitErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func got(out conformance.Outcome) string {
	v := out.Verdict
	if v.Allows() {
		return "allowed"
	}
	return fmt.Sprintf("%s, reason %s, step %q, hop %d", v.Result, orDash(v.Reason.String()), v.Step.String(), v.Hop)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}

// suitePattern names the embedded fixture files of a profile's suite: the
// spec suite, or the cases observed in Chromium.
func suitePattern(p enforce.Profile) string {
	if p == enforce.ProfileChromium {
		return "testdata/chromium/*.json"
	}
	return "testdata/*.json"
}

// readEmbedded reads the embedded fixture files pattern matches; none is
// an error.
func readEmbedded(pattern string) (names []string, datas [][]byte, err error) {
	names, err = fs.Glob(xorigin.Fixtures, pattern)
	if err == nil && len(names) == 0 {
		err = fmt.Errorf("no embedded fixtures for %s", pattern)
	}
	if err != nil {
		return nil, nil, err
	}
	for _, n := range names {
		data, err := fs.ReadFile(xorigin.Fixtures, n)
		if err != nil {
			return nil, nil, err
		}
		datas = append(datas, data)
	}
	return names, datas, nil
}
