// Command browser-diff runs fixture files in Chromium and compares what
// the browser does with the engine. It lives in the browser harness's own
// module, so that chromedp never enters the library's go.mod; from the
// repository's root:
//
//	go -C internal/browsertest run ./cmd/browser-diff [flags] [FILE...]
//
// (a relative FILE is then relative to internal/browsertest).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/xorigin/xorigin"
	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/browsertest"
)

func main() { os.Exit(browserDiffCmd(os.Args[1:], os.Stdout, os.Stderr)) }

const browserDiffUsage = `usage: go -C internal/browsertest run ./cmd/browser-diff [-v] [-browser chromium|firefox] [-profile spec|chromium] [-timeout d] [-parallel n] [-chromium path] [-firefox path] [FILE...]

Browser-diff runs fixture files in the shared conformance format in
Chromium and compares what the browser does with the engine's verdict
and with each case's expectation. For every case, loopback HTTP and HTTPS
servers serve the initiator page (with the client's embedder policy) and
each response hop exactly as the case lists it; Chromium, headless, with
every host mapped to 127.0.0.1, loads the resource as the destination and
mode say (<img>, <script>, <link rel=stylesheet>, <audio>, <video>,
fetch(), <iframe>, <frame>, workers and worklets) and the harness reads
whether the response reached the page, and the COEP reports queued.
Nothing leaves the machine.

With no FILE it runs the embedded suite: each case of testdata/*.json
is observed in Chromium once and compared with the engine under the spec
profile and under the Chromium profile, and testdata/chromium/*.json
under the Chromium profile (-profile keeps one of the two; under
chromium, every embedded file). With FILEs, -profile (default spec)
applies to all of them.

It prints one line per case: PASS (Chromium and the engine agree on the
result and the reports), FAIL (they differ), KNOWN (they differ as
internal/browsertest/known_differences.json annotates), STALE (annotated,
but Chromium no longer differs that way), SKIP (a page cannot express the
request; the reason follows) or ERROR; then whether Chromium meets the
fixture's expectation. Where both block, the reason must agree too:
the blockedReason, corsError and errorText of Chromium's
Network.loadingFailed against the engine's (enforce.Verdict.DevTools).
It ends with the agreement per file and profile, per profile, the
Chromium version, "reasons agree on N of M blocked cases" and "N passed,
N failed", over agreement with the engine (a case compared under two
profiles counts twice): known differences and inexpressible cases are
in neither figure.

It exits 0 when nothing failed, 1 when a case failed, is stale or could
not be observed, and 2 on usage errors, files that do not load, when a
port the servers need (80, 443, 8080, 8443, or another a fixture URL has)
is taken (it names the port and, when it can, the process), or when
Chromium cannot start (it looks for Debian's /usr/bin/chromium, or
-chromium, or $CHROMIUM). When another browser-diff run on the machine
holds the ports, it waits for that run to end (up to -timeout).

With -browser firefox it runs the same cases in Debian's firefox-esr
(-firefox, or $FIREFOX, or /usr/bin/firefox-esr), driven over WebDriver
BiDi, every host name mapped to 127.0.0.1 by profile preferences (a case
on another IP address is not expressible there), and compares results
only: Firefox sends no COEP reports through the Reporting API. With no
FILE it runs the spec suite only (testdata/*.json; -profile chromium runs
the Chromium profile's cases). Its known differences are
internal/browsertest/known_differences_firefox.json.

The -v flag prints the details of every case (page code, the engine's,
Chromium's and the fixture's result and reports, console messages), not
only of failures. -timeout bounds the whole run (default 10m), -parallel
is how many tabs run cases at once (default 8).
`

func browserDiffCmd(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("browser-diff", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	verbose := fl.Bool("v", false, "print the details of every case")
	profileName := fl.String("profile", "spec", "the engine profile: spec or chromium")
	timeout := fl.Duration("timeout", 10*time.Minute, "give up on the whole run after this long")
	parallel := fl.Int("parallel", 0, "cases run at once, each in its own tab (0: 8)")
	chromium := fl.String("chromium", "", "the Chromium binary (default $CHROMIUM or "+browsertest.DefaultChromium+")")
	browserName := fl.String("browser", "chromium", "the browser: chromium or firefox")
	firefox := fl.String("firefox", "", "the Firefox binary, with -browser firefox (default $FIREFOX or "+browsertest.DefaultFirefox+")")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, browserDiffUsage)
			return 0
		}
		fmt.Fprintf(stderr, "browser-diff: %v\nRun with --help for usage.\n", err)
		return 2
	}
	args = fl.Args()
	if *browserName != "chromium" && *browserName != "firefox" {
		fmt.Fprintf(stderr, "browser-diff: -browser %q: want chromium or firefox\n", *browserName)
		return 2
	}
	profile, err := enforce.ParseProfile(*profileName)
	if err != nil {
		fmt.Fprintf(stderr, "browser-diff: %v\n", err)
		return 2
	}
	profileSet := false
	fl.Visit(func(f *flag.Flag) { profileSet = profileSet || f.Name == "profile" })

	var files []browsertest.File
	if len(args) == 0 {
		// The spec suite is compared with both profiles' engines from one
		// observation of each case; the Chromium suite with the Chromium
		// profile's only. -profile keeps one profile.
		for _, set := range []struct {
			pattern  string
			profiles []enforce.Profile
		}{
			{"testdata/*.json", []enforce.Profile{enforce.ProfileSpec, enforce.ProfileChromium}},
			{"testdata/chromium/*.json", []enforce.Profile{enforce.ProfileChromium}},
		} {
			ps := set.profiles
			if profileSet {
				if !slices.Contains(ps, profile) {
					continue
				}
				ps = []enforce.Profile{profile}
			}
			if !profileSet && *browserName == "firefox" {
				// Firefox is compared with the spec: the Chromium
				// profile's cases are Chromium's departures from it.
				if !slices.Contains(ps, enforce.ProfileSpec) {
					continue
				}
				ps = []enforce.Profile{enforce.ProfileSpec}
			}
			names, datas, err := readEmbedded(set.pattern)
			if err != nil {
				fmt.Fprintf(stderr, "browser-diff: %v\n", err)
				return 2
			}
			for i, n := range names {
				files = append(files, browsertest.File{Name: n, Data: datas[i], Profile: ps[0], Profiles: ps})
			}
		}
	} else {
		for _, n := range args {
			data, err := os.ReadFile(n)
			if err != nil {
				fmt.Fprintf(stderr, "browser-diff: %v\n", err)
				return 2
			}
			files = append(files, browsertest.File{Name: n, Data: data, Profile: profile})
		}
	}

	var knownData []byte // nil: Chromium's
	if *browserName == "firefox" {
		knownData = browsertest.KnownFirefoxJSON()
	}
	known, err := browsertest.LoadKnownDifferences(knownData)
	if err != nil {
		fmt.Fprintf(stderr, "browser-diff: %v\n", err)
		return 2
	}
	path := *chromium
	if path == "" {
		path = os.Getenv("CHROMIUM")
	}
	// Another browser run on the machine holds the ports until it ends:
	// wait for it (saying so) rather than fail.
	opts := browsertest.Options{Chromium: path, Parallel: *parallel, PortWait: *timeout, Log: stderr}
	if *browserName == "firefox" {
		opts.Firefox = *firefox
		if opts.Firefox == "" {
			opts.Firefox = os.Getenv("FIREFOX")
		}
		if opts.Firefox == "" {
			opts.Firefox = browsertest.DefaultFirefox
		}
	}
	b, err := browsertest.Start(opts)
	if err != nil {
		if errors.Is(err, browsertest.ErrNoFirefox) {
			fmt.Fprintf(stderr, "browser-diff: %v (on Debian: apt-get install firefox-esr)\n", err)
		} else if errors.Is(err, browsertest.ErrNoChromium) {
			fmt.Fprintf(stderr, "browser-diff: %v (on Debian: apt-get install chromium)\n", err)
		} else {
			fmt.Fprintf(stderr, "browser-diff: %v\n", err)
		}
		return 2
	}
	defer b.Close()

	if *browserName == "firefox" {
		fmt.Fprintf(stdout, "browser-diff: %s: results compared only (Firefox sends no COEP reports through the Reporting API)\n", b.Version())
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	start := time.Now()
	results, runErr := browsertest.Run(ctx, b, files, known, func(r *browsertest.Result) {
		browsertest.WriteResult(stdout, r, *verbose)
	})
	loadFailed := false
	if runErr != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "browser-diff: gave up after %s (-timeout)\n", *timeout)
		} else {
			loadFailed = true
			fmt.Fprintf(stderr, "browser-diff: %v\n", runErr)
			fmt.Fprintf(stdout, "ERROR %v\n", runErr)
		}
	}
	tally := browsertest.WriteSummary(stdout, results, b.Version(), time.Since(start))
	switch {
	case loadFailed:
		return 2
	case tally.Failed() > 0 || ctx.Err() != nil:
		return 1
	}
	return 0
}

// readEmbedded reads the embedded fixture files pattern matches: the spec
// suite (testdata/*.json), or the cases observed in Chromium
// (testdata/chromium/*.json).
func readEmbedded(pattern string) (names []string, datas [][]byte, err error) {
	if names, err = fs.Glob(xorigin.Fixtures, pattern); err == nil && len(names) == 0 {
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
