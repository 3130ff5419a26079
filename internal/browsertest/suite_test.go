package browsertest_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xorigin/xorigin"
	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/browsertest"
)

// embedded returns the embedded suite, each file with its profiles: the
// spec suite under both, the Chromium suite under the Chromium profile.
func embedded(t testing.TB) []browsertest.File {
	t.Helper()
	var files []browsertest.File
	for _, s := range []struct {
		pattern  string
		profiles []enforce.Profile
	}{
		{"testdata/*.json", []enforce.Profile{enforce.ProfileSpec, enforce.ProfileChromium}},
		{"testdata/chromium/*.json", []enforce.Profile{enforce.ProfileChromium}},
	} {
		names, err := fs.Glob(xorigin.Fixtures, s.pattern)
		if err != nil || len(names) == 0 {
			t.Fatalf("no embedded fixtures for %s: %v", s.pattern, err)
		}
		for _, n := range names {
			data, err := fs.ReadFile(xorigin.Fixtures, n)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, browsertest.File{Name: n, Data: data, Profile: s.profiles[0], Profiles: s.profiles})
		}
	}
	return files
}

// startChromium starts Debian's chromium ($CHROMIUM overrides the path),
// or skips the test when it is not installed.
func startChromium(t *testing.T) *browsertest.Browser {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = browsertest.DefaultChromium
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("chromium is not installed at %s (apt-get install chromium, or set $CHROMIUM): the browser tests need it", path)
	}
	b, err := browsertest.Start(browsertest.Options{Chromium: path})
	if errors.Is(err, browsertest.ErrNoChromium) || errors.Is(err, browsertest.ErrPorts) {
		t.Skipf("skipping the browser test: %v", err)
	}
	if err != nil {
		t.Fatalf("chromium is installed but does not start: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

// subset keeps the named cases of files, and fails the test when one is
// missing: a renamed fixture must not shrink the test silently.
func subset(t *testing.T, files []browsertest.File, names map[string][]string) []browsertest.File {
	t.Helper()
	var out []browsertest.File
	for _, f := range files {
		want := names[f.Name]
		if len(want) == 0 {
			continue
		}
		data, n := filterCases(t, f.Data, want)
		if n != len(want) {
			t.Fatalf("%s: found %d of the cases %q", f.Name, n, want)
		}
		out = append(out, browsertest.File{Name: f.Name, Data: data, Profile: f.Profile, Profiles: f.Profiles})
	}
	return out
}

// TestChromiumSubset runs a representative subset of the embedded suite in
// Chromium, one or two cases of each page form and outcome, and requires
// that Chromium and the engine agree on each (or differ as annotated).
// The whole suite runs with cmd/browser-diff (.ci/browser.sh).
func TestChromiumSubset(t *testing.T) {
	b := startChromium(t)
	known, err := browsertest.LoadKnownDifferences(nil)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string][]string{
		"testdata/coep.json": {
			"report-only require-corp: destination \"script\" (<script>) in the reporting report",
			"require-corp with report-only credentialless: credentials include, two reports",
			"credentialless: cross-site no-cors image without CORP, credentials include, is allowed",
		},
		"testdata/corp_policy.json": {
			"opaque (null) initiator, CORP same-origin, URL on the sandboxed document's own host",
			"same-site scheme rule: http initiator, https response on the same host, blocked",
			"ipv4: same address different port is same site (allowed)", // a known difference
		},
		"testdata/cors.json": {
			"ACEH exposes a listed header, case-insensitively",
			"PUT, preflight allows the method",
		},
		"testdata/edges.json":         {"a twenty-first redirect is a network error"},
		"testdata/mixed_content.json": {"https page, http frame is blocked", "https page, http audioworklet is blocked"},
		"testdata/navigation.json": {
			"credentialless and report-only require-corp container: frame without CORP gets reporting then enforce corp reports",
		},
		"testdata/nosniff_mime.json": {"nosniff script text/plain", "nosniff style text/plain", "worker served as image/gif"},
		"testdata/orb.json": {
			"scope: same-site but cross-origin subdomain JSON is ORB-checked and blocked",
			"media sniff: audio/wav with WAVE body for audio is allowed",
		},
		"testdata/wpt.json":          {"reporting: nested navigation redirected to same-site frame without CORP, report names first URL"},
		"testdata/chromium/orb.json": {"for (;;); prefix before a valid script is blocked"},
	}
	files := subset(t, embedded(t), names)
	// One result per case and profile: the spec suite's cases are
	// compared under both profiles.
	want := 0
	for _, f := range files {
		want += len(names[f.Name]) * max(1, len(f.Profiles))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	results, err := browsertest.Run(ctx, b, files, known, nil)
	if errors.Is(err, browsertest.ErrPorts) {
		t.Skipf("skipping the browser test: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != want {
		t.Fatalf("ran %d cases, want %d", len(results), want)
	}
	for i := range results {
		r := &results[i]
		if r.Status != browsertest.Pass && r.Status != browsertest.Known {
			var b strings.Builder
			browsertest.WriteResult(&b, r, true)
			t.Errorf("%s", b.String())
		}
	}
}

// TestEmbeddedSuite runs the whole embedded suite in Chromium when
// XORIGIN_BROWSER_DIFF=1 (about two minutes): the run cmd/browser-diff
// makes, as a test.
func TestEmbeddedSuite(t *testing.T) {
	if os.Getenv("XORIGIN_BROWSER_DIFF") != "1" {
		t.Skip("set XORIGIN_BROWSER_DIFF=1 to run the whole embedded suite in Chromium")
	}
	b := startChromium(t)
	known, err := browsertest.LoadKnownDifferences(nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	verbose := os.Getenv("XORIGIN_BROWSER_DIFF_V") == "1"
	results, err := browsertest.Run(context.Background(), b, embedded(t), known, func(r *browsertest.Result) {
		browsertest.WriteResult(os.Stdout, r, verbose)
	})
	if err != nil {
		t.Fatal(err)
	}
	tally := browsertest.WriteSummary(os.Stdout, results, b.Version(), time.Since(start))
	if tally.Failed() > 0 {
		t.Errorf("%d failed", tally.Failed())
	}
}
