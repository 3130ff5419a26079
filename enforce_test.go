package xorigin_test

import (
	"io/fs"
	"path"
	"testing"

	"github.com/xorigin/xorigin"
	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/conformance"
)

// TestConformance runs every case of every fixture file in testdata.
func TestConformance(t *testing.T) {
	files, err := fs.Glob(xorigin.Fixtures, "testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no fixture files in testdata")
	}
	e := enforce.New(enforce.Config{})
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
					out := conformance.Run(e, c)
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
	if total < 200 {
		t.Errorf("the suite has %d cases; it should keep at least 200", total)
	}
}
