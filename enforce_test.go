package xorigin_test

import (
	"io/fs"
	"path"
	"testing"

	"github.com/xorigin/xorigin"
	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/conformance"
)

// TestConformance runs every case of every fixture file in testdata: the
// spec suite with the spec profile, testdata/chromium with Chromium's.
func TestConformance(t *testing.T) {
	suites := []struct {
		pattern string
		profile enforce.Profile
		min     int
	}{
		{"testdata/*.json", enforce.ProfileSpec, 200},
		{"testdata/chromium/*.json", enforce.ProfileChromium, 1},
	}
	for _, s := range suites {
		t.Run(s.profile.String(), func(t *testing.T) {
			files, err := fs.Glob(xorigin.Fixtures, s.pattern)
			if err != nil {
				t.Fatal(err)
			}
			r := conformance.NewRunner(s.profile)
			total := 0
			for _, f := range files {
				data, err := fs.ReadFile(xorigin.Fixtures, f)
				if err != nil {
					t.Fatal(err)
				}
				cases, err := conformance.Load(f, data)
				if err != nil {
					t.Errorf("load: %v", err)
				}
				total += len(cases)
				t.Run(path.Base(f), func(t *testing.T) {
					for i := range cases {
						c := &cases[i]
						t.Run(c.Name, func(t *testing.T) {
							t.Parallel()
							out := r.Run(c)
							if !out.Pass {
								t.Errorf("%s\nsource: %s", out.Problem, c.Source)
								if out.Diff != "" {
									t.Errorf("reports (-want +got):\n%s", out.Diff)
								}
							}
						})
					}
				})
			}
			if total < s.min {
				t.Errorf("the suite has %d cases; it should keep at least %d", total, s.min)
			}
		})
	}
}
