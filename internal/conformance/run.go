package conformance

import (
	"fmt"
	"sync"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/enforce"
)

// Outcome is the result of running one case.
type Outcome struct {
	Case    *Case
	Pass    bool
	Verdict enforce.Verdict
	Reports []Report // the reports the engine queued, in fixture form
	// Problem explains a failure in one line; Diff, when not empty, is the
	// go-cmp diff of the reports (-want +got).
	Problem string
	Diff    string
}

// Runner runs cases with one engine profile. It is safe for concurrent use.
type Runner struct {
	profile enforce.Profile
	mu      sync.Mutex
	engines map[enforce.Checks]*enforce.Engine
}

// NewRunner returns a Runner whose engines follow profile.
func NewRunner(profile enforce.Profile) *Runner {
	return &Runner{profile: profile, engines: map[enforce.Checks]*enforce.Engine{}}
}

// Profile returns the profile r's engines follow.
func (r *Runner) Profile() enforce.Profile { return r.profile }

// Engine returns the engine r runs a case whose checks name the gates g
// with (Case.Gates): one per set of gates, shared.
func (r *Runner) Engine(g enforce.Checks) *enforce.Engine {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.engines[g]
	if !ok {
		e = enforce.New(enforce.Config{Checks: g, Profile: r.profile})
		r.engines[g] = e
	}
	return e
}

// Run runs c through an engine with c's checks and compares the outcome
// with c's expectation.
func (r *Runner) Run(c *Case) Outcome {
	out := Outcome{Case: c}
	req := c.Request // the engine never writes to it; copy for safety
	e := r.Engine(c.Gates)
	v, reps := e.DecideWithPreflight(&req, c.Preflight, c.Hops, nil)
	out.Verdict = v
	out.Reports = ToFixture(reps)
	got := "allowed"
	if v.Result != enforce.Allowed {
		// Blocked, and also Stripped, which meets "blocked" by the format;
		// Undecided is a block too (fail closed).
		got = "blocked"
	}
	if got != c.Expect.Result {
		out.Problem = fmt.Sprintf("expected %s, got %s", c.Expect.Result, describe(v))
		return out
	}
	if p := c.Expect.Preflight; p != nil {
		needs := false
		for i := range req.URLs {
			needs = needs || e.NeedsPreflight(&req, i)
		}
		if needs != *p {
			out.Problem = fmt.Sprintf("result %s as expected, but a preflight is needed: %v, expected %v", got, needs, *p)
			return out
		}
	}
	if want := c.Expect.ExposedHeaders; want != nil {
		have := e.ExposedHeaders(&req, &c.Hops[len(c.Hops)-1])
		if d := cmp.Diff(*want, have); d != "" {
			out.Problem = fmt.Sprintf("result %s as expected, but the exposed headers differ", got)
			out.Diff = d
			return out
		}
	}
	if c.Expect.Reports != nil {
		want := *c.Expect.Reports
		if want == nil {
			want = []Report{}
		}
		have := out.Reports
		if have == nil {
			have = []Report{}
		}
		if d := cmp.Diff(want, have); d != "" {
			out.Problem = fmt.Sprintf("result %s as expected, but the reports differ", got)
			out.Diff = d
			return out
		}
	}
	out.Pass = true
	return out
}

func describe(v enforce.Verdict) string {
	if v.Result == enforce.Allowed {
		return "allowed"
	}
	return fmt.Sprintf("%s (%s; %s; hop %d)", v.Result, v.Reason, v.Step, v.Hop)
}

// ToFixture converts engine reports to the fixture format's shape.
func ToFixture(reps []enforce.Report) []Report {
	if len(reps) == 0 {
		return nil
	}
	out := make([]Report, len(reps))
	for i, r := range reps {
		out[i] = Report{Type: r.Type.String(), BlockedURL: r.BlockedURL, Disposition: r.Disposition.String()}
		if r.Type == enforce.ReportCORP {
			d := r.Destination.String()
			out[i].Destination = &d
		}
	}
	return out
}
