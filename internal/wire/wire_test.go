package wire_test

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"testing"

	"github.com/xorigin/xorigin"
	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/conformance"
	"github.com/xorigin/xorigin/internal/wire"
)

// suites are the embedded fixture files and the profile each runs with,
// as the engine's TestConformance runs them.
var suites = []struct {
	pattern string
	profile enforce.Profile
}{
	{"testdata/*.json", enforce.ProfileSpec},
	{"testdata/chromium/*.json", enforce.ProfileChromium},
}

// TestSuiteOverTheWire runs every case of every embedded fixture file
// through enforce.Transport against loopback servers that serve its hops
// as listed, and checks that the Transport agrees with the engine (verdict,
// reports, body, what was sent) and meets the case's expectation. A case
// that cannot be served over the wire fails, saying why.
func TestSuiteOverTheWire(t *testing.T) {
	for _, s := range suites {
		t.Run(s.profile.String(), func(t *testing.T) {
			files, err := fs.Glob(xorigin.Fixtures, s.pattern)
			if err != nil || len(files) == 0 {
				t.Fatalf("no fixtures for %s: %v", s.pattern, err)
			}
			r := wire.NewRunner(s.profile)
			for _, f := range files {
				data, err := fs.ReadFile(xorigin.Fixtures, f)
				if err != nil {
					t.Fatal(err)
				}
				cases, err := conformance.Load(f, data)
				if err != nil {
					t.Errorf("load: %v", err)
				}
				t.Run(path.Base(f), func(t *testing.T) {
					for i := range cases {
						c := &cases[i]
						t.Run(c.Name, func(t *testing.T) {
							t.Parallel()
							out := r.Run(context.Background(), c)
							if !out.Pass {
								t.Errorf("%s\nengine: %s\nsource: %s", out.Problem, engineSays(&out), c.Source)
								if out.Diff != "" {
									t.Errorf("reports:\n%s", out.Diff)
								}
							}
						})
					}
				})
			}
		})
	}
}

func engineSays(out *wire.Outcome) string {
	v := out.Engine.Verdict
	if v.Allows() {
		return "allowed"
	}
	return fmt.Sprintf("%s %s (%s) at hop %d", v.Result, v.Reason, v.Step, v.Hop)
}
