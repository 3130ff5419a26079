package browsertest

import (
	"fmt"
	"io"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
)

// The reason of a block: where both Chromium and the engine block a case,
// the three fields Chromium's Network.loadingFailed gave its request
// (Observation.DevTools) must be those the engine's verdict gives
// (enforce.Verdict.DevTools), or the case fails unless annotated ("differs":
// "reason"). The zero DevTools is a value like any other: Chromium reports
// no failed load for a block Blink makes after the load (a script's MIME
// type, its integrity), nor for ORB's empty response to fetch(), and the
// engine's verdict then says none either. Firefox has no DevTools reasons:
// the comparison is Chromium's only.

// ReasonCheck is the comparison of a case's reason.
type ReasonCheck struct {
	// Compared is true when both Chromium and the engine block the case.
	Compared bool
	// Engine is what the engine's verdict puts in the DevTools fields;
	// Chromium's is Observation.DevTools.
	Engine enforce.DevTools
	// Differs is true when the two are not the same.
	Differs bool
	// Unobservable is true for a case both block whose failed load the
	// page's DevTools session does not see (see checkReason).
	Unobservable bool
}

// checkReason compares the reason of a case both block: obs is Chromium's
// observation, v the engine's verdict on req. observable is false where
// the page's DevTools session cannot see the load fail (a worker's or a
// worklet's script: its failure goes to the worker's own session).
func checkReason(obs *Observation, v enforce.Verdict, req *fetchctx.Request, observable bool) ReasonCheck {
	if obs.Result != "blocked" || v.Allows() {
		return ReasonCheck{}
	}
	if !observable {
		return ReasonCheck{Unobservable: true}
	}
	e := v.DevTools(req)
	return ReasonCheck{Compared: true, Engine: e, Differs: e != obs.DevTools}
}

// problem says how the reasons differ, for Result.EngineProblem; "" when
// they do not.
func (c ReasonCheck) problem(obs *Observation) string {
	if !c.Differs {
		return ""
	}
	return fmt.Sprintf("the reasons differ: chromium %s, engine %s", obs.DevTools, c.Engine)
}

// DevToolsJSON is a DevTools triple as known_differences.json records it.
type DevToolsJSON struct {
	BlockedReason string `json:"blockedReason,omitempty"`
	CorsError     string `json:"corsError,omitempty"`
	ErrorText     string `json:"errorText,omitempty"`
}

func (d *DevToolsJSON) devTools() enforce.DevTools {
	if d == nil {
		return enforce.DevTools{}
	}
	return enforce.DevTools{BlockedReason: d.BlockedReason, CorsError: d.CorsError, ErrorText: d.ErrorText}
}

// reasonStatus sums up the reason of r, whose Chromium observation is obs:
// Pass when the reasons agree and no "reason" difference is annotated,
// Known when they differ as r.KnownReason records (Chromium's fields
// included), Fail when they differ unannotated, Stale when the annotation
// is not true.
func reasonStatus(r *Result, obs *Observation) Status {
	d, c := r.KnownReason, r.Reason
	switch {
	case !c.Differs && d == nil:
		return Pass
	case c.Differs && d == nil:
		return Fail
	case c.Differs && obs.DevTools == d.ChromiumReason.devTools() && obs.Result == d.ChromiumResult:
		return Known
	}
	return Stale
}

// writeReason prints the reasons of a case both block, or Chromium's of a
// case only it fails.
func writeReason(w io.Writer, r *Result) {
	switch {
	case r.Reason.Compared:
		fmt.Fprintf(w, "      reason:   chromium %s; engine %s\n", r.Browser.DevTools, r.Reason.Engine)
	case !r.Browser.DevTools.IsZero():
		fmt.Fprintf(w, "      reason:   chromium %s\n", r.Browser.DevTools)
	}
}

// ReasonTally counts the cases both block whose reasons were compared, and
// those whose reasons agree; Unobservable the cases both block whose
// reason Chromium's page session cannot see.
type ReasonTally struct{ Agree, Blocked, Unobservable int }

// Add counts r.
func (t *ReasonTally) Add(r *Result) {
	if r.Status == Error || r.Status == Skipped {
		return
	}
	if r.Reason.Unobservable {
		t.Unobservable++
	}
	if !r.Reason.Compared {
		return
	}
	t.Blocked++
	if !r.Reason.Differs {
		t.Agree++
	}
}

// write prints the tally's lines, "reasons agree on N of M blocked cases"
// last.
func (t ReasonTally) write(w io.Writer) {
	if t.Unobservable > 0 {
		fmt.Fprintf(w, "%d blocked case(s) of workers and worklets not in the reasons' count: their failed load is in the worker's DevTools session, not the page's\n", t.Unobservable)
	}
	fmt.Fprintf(w, "reasons agree on %d of %d blocked cases\n", t.Agree, t.Blocked)
}
