package conformance_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/xorigin/xorigin"
	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/conformance"
)

// FuzzLoad feeds the fixture loader arbitrary bytes and checks: it does
// not panic and is deterministic; every error is a *LoadError naming the
// file (one per bad case when the file itself is sound); every case it
// returns is well formed (a unique name, one response per URL, redirects
// before the last hop, a known result and known gates, a valid origin);
// and running a loaded case, with either profile, gives a deterministic
// outcome that is never undecided.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"cases": [` + okCase + `]}`))
	f.Add([]byte(`{"cases": []}`))
	f.Add([]byte(`{"cases": [{}]}`))
	f.Add([]byte(`{"cases": [` + okCase + `,` + okCase + `]}`))
	f.Add([]byte(`{"cases": [` + strings.Replace(okCase, `"headers": [[`, `"bodyBase64": "iVBORw0KGgo=", "headers": [["Content-Type", "image/png"], [`, 1) + `]}`))
	f.Add([]byte(`{"cases": [` + strings.Replace(okCase, `"source": "s",`, `"source": "s", "checks": ["corp", "orb", "cors", "nosniff", "mime", "mixed-content"],`, 1) + `]}`))
	// Every case of the suite, one file each.
	files, _ := fs.Glob(xorigin.Fixtures, "testdata/*.json")
	chromium, _ := fs.Glob(xorigin.Fixtures, "testdata/chromium/*.json")
	for _, name := range append(files, chromium...) {
		data, err := fs.ReadFile(xorigin.Fixtures, name)
		if err != nil {
			f.Fatal(err)
		}
		var file struct{ Cases []json.RawMessage }
		if err := json.Unmarshal(data, &file); err != nil {
			f.Fatalf("%s: %v", name, err)
		}
		for _, c := range file.Cases {
			f.Add([]byte(`{"cases": [` + string(c) + `]}`))
		}
	}
	runners := []*conformance.Runner{conformance.NewRunner(enforce.ProfileSpec), conformance.NewRunner(enforce.ProfileChromium)}
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.json"
		cases, err := conformance.Load(name, data)
		cases2, err2 := conformance.Load(name, data)
		if len(cases) != len(cases2) || errString(err) != errString(err2) {
			t.Fatalf("Load is not deterministic: %d cases, %v; then %d cases, %v", len(cases), err, len(cases2), err2)
		}
		var errs []error
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = j.Unwrap()
		} else if err != nil {
			errs = []error{err}
		}
		fileLevel := false
		for _, e := range errs {
			var le *conformance.LoadError
			if !errors.As(e, &le) || le.File != name || !strings.HasPrefix(le.Error(), name) {
				t.Fatalf("error %v (%T) is not a *LoadError naming the file", e, e)
			}
			fileLevel = fileLevel || le.Case == ""
		}
		if fileLevel && (len(errs) != 1 || len(cases) != 0) {
			t.Fatalf("a file-level error with %d errors and %d cases", len(errs), len(cases))
		}
		if !fileLevel {
			// Every case is either loaded or reported, never dropped.
			var top struct{ Cases []json.RawMessage }
			if json.Unmarshal(data, &top) == nil && len(top.Cases) != len(cases)+len(errs) {
				t.Fatalf("%d cases in the file, %d loaded and %d errors", len(top.Cases), len(cases), len(errs))
			}
		}
		names := map[string]bool{}
		for i := range cases {
			c := &cases[i]
			checkCase(t, c, names)
			for _, r := range runners {
				out, again := r.Run(c), r.Run(c)
				if out.Pass != again.Pass || out.Verdict != again.Verdict || out.Problem != again.Problem || out.Diff != again.Diff {
					t.Fatalf("case %q: Run is not deterministic: %+v then %+v", c.Name, out, again)
				}
				if out.Verdict.Result == enforce.Undecided {
					t.Fatalf("case %q: undecided on complete bodies: %+v", c.Name, out.Verdict)
				}
				if out.Pass != (out.Problem == "") {
					t.Fatalf("case %q: pass %v with problem %q", c.Name, out.Pass, out.Problem)
				}
			}
		}
	})
}

func checkCase(t *testing.T, c *conformance.Case, names map[string]bool) {
	t.Helper()
	if c.Name == "" || names[c.Name] {
		t.Fatalf("case name %q empty or repeated", c.Name)
	}
	names[c.Name] = true
	if n := len(c.Hops); n == 0 || n != len(c.Request.URLs) {
		t.Fatalf("case %q: %d hops for %d URLs", c.Name, n, len(c.Request.URLs))
	}
	for i, h := range c.Hops[:len(c.Hops)-1] {
		if h.Status < 300 || h.Status > 399 {
			t.Fatalf("case %q: hop %d has status %d but is not the last", c.Name, i, h.Status)
		}
	}
	if len(c.Served) != len(c.Hops) || c.URL == "" {
		t.Fatalf("case %q: %d served responses for %d hops, request URL %q", c.Name, len(c.Served), len(c.Hops), c.URL)
	}
	for i, h := range c.Hops {
		if c.Served[i].Status != h.Status || string(c.Served[i].Body) != string(h.Body) {
			t.Fatalf("case %q: hop %d served as status %d with %d bytes, decided as %d with %d", c.Name, i,
				c.Served[i].Status, len(c.Served[i].Body), h.Status, len(h.Body))
		}
		if !h.BodyComplete {
			t.Fatalf("case %q: hop %d body not complete", c.Name, i)
		}
	}
	if c.Expect.Result != "allowed" && c.Expect.Result != "blocked" {
		t.Fatalf("case %q: expected result %q", c.Name, c.Expect.Result)
	}
	if c.Gates == 0 || c.Gates&^enforce.AllChecks != 0 {
		t.Fatalf("case %q: gates %b", c.Name, c.Gates)
	}
	if !c.Request.Origin.IsValid() {
		t.Fatalf("case %q: invalid origin", c.Name)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
