package browsertest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/xorigin/xorigin/enforce"
)

// knownJSON is the annotated list of the differences between the engine and
// Chromium that are understood: each names its cases, the spec step the
// engine follows and what Chromium does instead.
//
//go:embed known_differences.json
var knownJSON []byte

// knownFirefoxJSON is the same list for Firefox: the differences between
// the engine and Firefox, each with what Firefox does instead.
//
//go:embed known_differences_firefox.json
var knownFirefoxJSON []byte

// KnownFirefoxJSON is the embedded Firefox list, for
// LoadKnownDifferences.
func KnownFirefoxJSON() []byte { return knownFirefoxJSON }

// knownFile names the known-differences file of a browser ("chromium" or
// "firefox").
func knownFile(browser string) string {
	if browser == "firefox" {
		return "known_differences_firefox.json"
	}
	return "known_differences.json"
}

// KnownDifferences is a list of annotated differences.
type KnownDifferences struct {
	// Chromium is the version the list was last checked against.
	Chromium string `json:"chromium,omitempty"`
	// Browser and Version name the browser of a list for another browser
	// than Chromium ("firefox", "Firefox/153.8.0esr"); its differences
	// put what that browser does in chromiumResult and chromiumBehaviour.
	Browser     string       `json:"browser,omitempty"`
	Version     string       `json:"version,omitempty"`
	Differences []Difference `json:"differences"`
}

// Difference is one annotated difference between the engine and Chromium:
// one behaviour, and every case that shows it.
type Difference struct {
	// Cases are the cases it covers.
	Cases []CaseRef `json:"cases"`
	// Profile is the engine profile the difference is with: "spec" or
	// "chromium".
	Profile string `json:"profile"`
	// Differs is what differs: "result" (Chromium allows what the engine
	// blocks, or the reverse), or, with the same result, "reports" (the
	// COEP reports), "preflight" (whether a CORS preflight is sent) or
	// "exposedHeaders" (the header names fetch() can read) or "reason"
	// (the DevTools fields of a block, see reasons.go).
	Differs string `json:"differs"`
	// ChromiumResult is what Chromium does: "allowed" or "blocked".
	ChromiumResult string `json:"chromiumResult"`
	// ChromiumReason, for a "reason" difference, is what Chromium's
	// Network.loadingFailed reports ({} for no failed load).
	ChromiumReason *DevToolsJSON `json:"chromiumReason,omitempty"`
	// SpecStep is the step the engine follows, and what it says.
	SpecStep string `json:"specStep"`
	// ChromiumBehaviour is what Chromium does instead, and where.
	ChromiumBehaviour string `json:"chromiumBehaviour"`
	// Why explains the difference.
	Why string `json:"why"`
}

// CaseRef names a fixture case.
type CaseRef struct {
	// File is the fixture file as the embedded suite names it
	// ("testdata/orb.json"); a file given by path matches on its ending.
	File string `json:"file"`
	Name string `json:"name"`
}

// LoadKnownDifferences parses a known-differences file; nil data means the embedded
// one. Unknown fields and incomplete entries are errors.
func LoadKnownDifferences(data []byte) (*KnownDifferences, error) {
	if data == nil {
		data = knownJSON
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var k KnownDifferences
	if err := dec.Decode(&k); err != nil {
		return nil, fmt.Errorf("browsertest: known differences: %w", err)
	}
	var errs []error
	if k.Browser != "" && (k.Version == "" || k.Chromium != "") {
		errs = append(errs, errors.New("browsertest: known differences: a list for browser "+k.Browser+" needs its version, and no chromium field"))
	}
	seen := map[string]bool{}
	for i, d := range k.Differences {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("browsertest: known differences[%d]: %s", i, fmt.Sprintf(format, args...)))
		}
		if len(d.Cases) == 0 {
			bad("no cases")
		}
		if _, err := enforce.ParseProfile(d.Profile); err != nil {
			bad("profile: %v", err)
		}
		switch d.Differs {
		case "result", "reports", "preflight", "exposedHeaders":
			if d.ChromiumReason != nil {
				bad("chromiumReason goes with differs \"reason\" only")
			}
		case "reason":
			if d.ChromiumResult != "blocked" || d.ChromiumReason == nil {
				bad("a reason difference needs chromiumResult \"blocked\" and chromiumReason")
			}
		default:
			bad("differs is %q, want result, reports, preflight, exposedHeaders or reason", d.Differs)
		}
		if d.ChromiumResult != "allowed" && d.ChromiumResult != "blocked" {
			bad("chromiumResult is %q, want \"allowed\" or \"blocked\"", d.ChromiumResult)
		}
		if strings.TrimSpace(d.SpecStep) == "" || strings.TrimSpace(d.ChromiumBehaviour) == "" || strings.TrimSpace(d.Why) == "" {
			bad("specStep, chromiumBehaviour and why are required")
		}
		for _, c := range d.Cases {
			if c.File == "" || c.Name == "" {
				bad("a case needs a file and a name")
			}
			key := fmt.Sprint(d.Profile, "\x00", d.Differs == "reason", "\x00", c.File, "\x00", c.Name)
			if seen[key] {
				bad("case %s: %q is listed twice", c.File, c.Name)
			}
			seen[key] = true
		}
	}
	return &k, errors.Join(errs...)
}

// lookup returns the difference listed for a case of file under profile,
// "reason" differences aside (lookupReason).
func (k *KnownDifferences) lookup(file string, profile enforce.Profile, name string) *Difference {
	return k.find(file, profile, name, false)
}

// lookupReason returns the "reason" difference listed for a case: a case
// may have one beside another kind.
func (k *KnownDifferences) lookupReason(file string, profile enforce.Profile, name string) *Difference {
	return k.find(file, profile, name, true)
}

func (k *KnownDifferences) find(file string, profile enforce.Profile, name string, reason bool) *Difference {
	if k == nil {
		return nil
	}
	f := path.Clean(filepath.ToSlash(file))
	for i := range k.Differences {
		d := &k.Differences[i]
		if d.Profile != profile.String() || (d.Differs == "reason") != reason {
			continue
		}
		for _, c := range d.Cases {
			if c.Name == name && (f == c.File || strings.HasSuffix(f, "/"+c.File)) {
				return d
			}
		}
	}
	return nil
}
