package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/conformance"
)

var (
	corpSameSite = enforce.DevTools{BlockedReason: "corp-not-same-site", ErrorText: "net::ERR_BLOCKED_BY_RESPONSE.NotSameSite"}
	imgRequest   = &fetchctx.Request{Mode: fetchctx.ModeNoCORS, Destination: fetchctx.DestinationImage}
)

func blockedBy(r enforce.Reason) enforce.Verdict {
	return enforce.Verdict{Result: enforce.Blocked, Reason: r}
}

func TestCheckReason(t *testing.T) {
	t.Parallel()
	orbFetch := &fetchctx.Request{Mode: fetchctx.ModeNoCORS}
	for _, tc := range []struct {
		name       string
		obs        Observation
		v          enforce.Verdict
		req        *fetchctx.Request
		observable bool
		want       ReasonCheck
	}{
		{"both block, same fields", Observation{Result: "blocked", DevTools: corpSameSite}, blockedBy(enforce.ReasonCORPNotSameSite), imgRequest, true,
			ReasonCheck{Compared: true, Engine: corpSameSite}},
		{"both block, other fields", Observation{Result: "blocked", DevTools: enforce.DevTools{ErrorText: "net::ERR_BLOCKED_BY_ORB"}}, blockedBy(enforce.ReasonCORPNotSameSite), imgRequest, true,
			ReasonCheck{Compared: true, Engine: corpSameSite, Differs: true}},
		// ORB's empty response to fetch(): no failed load on either side.
		{"stripped", Observation{Result: "blocked"}, enforce.Verdict{Result: enforce.Stripped, Reason: enforce.ReasonBlockedByORB}, orbFetch, true,
			ReasonCheck{Compared: true}},
		// Blink refuses a nosniff script after the load: no failed load.
		{"renderer block", Observation{Result: "blocked", By: "renderer: error"}, blockedBy(enforce.ReasonNoSniff), nil, true,
			ReasonCheck{Compared: true}},
		{"chromium allows", Observation{Result: "allowed", DevTools: corpSameSite}, blockedBy(enforce.ReasonCORPNotSameSite), imgRequest, true, ReasonCheck{}},
		{"engine allows", Observation{Result: "blocked", DevTools: corpSameSite}, enforce.Verdict{Result: enforce.Allowed}, imgRequest, true, ReasonCheck{}},
		{"a worker", Observation{Result: "blocked"}, blockedBy(enforce.ReasonNoSniff), nil, false, ReasonCheck{Unobservable: true}},
	} {
		if got := checkReason(&tc.obs, tc.v, tc.req, tc.observable); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
	obs := Observation{Result: "blocked", DevTools: enforce.DevTools{ErrorText: "net::ERR_BLOCKED_BY_ORB"}}
	c := checkReason(&obs, blockedBy(enforce.ReasonCORPNotSameSite), imgRequest, true)
	if p := c.problem(&obs); p != "the reasons differ: chromium errorText=net::ERR_BLOCKED_BY_ORB, engine errorText=net::ERR_BLOCKED_BY_RESPONSE.NotSameSite blockedReason=corp-not-same-site" {
		t.Errorf("problem: %q", p)
	}
}

// A reason that differs fails unless a "reason" difference records
// Chromium's fields as they are; an annotation that no longer holds is
// stale.
func TestReasonStatus(t *testing.T) {
	t.Parallel()
	orb := &DevToolsJSON{ErrorText: "net::ERR_BLOCKED_BY_ORB"}
	annotation := &Difference{Differs: "reason", ChromiumResult: "blocked", ChromiumReason: orb}
	for _, tc := range []struct {
		name    string
		differs bool
		known   *Difference
		chrome  enforce.DevTools
		want    Status
	}{
		{"agree", false, nil, corpSameSite, Pass},
		{"differ, unannotated", true, nil, orb.devTools(), Fail},
		{"differ as annotated", true, annotation, orb.devTools(), Known},
		{"differ otherwise than annotated", true, annotation, enforce.DevTools{ErrorText: "net::ERR_FAILED"}, Stale},
		{"annotated, but agree", false, annotation, corpSameSite, Stale},
	} {
		r := &Result{Reason: ReasonCheck{Compared: true, Differs: tc.differs}, KnownReason: tc.known}
		obs := &Observation{Result: "blocked", DevTools: tc.chrome}
		if got := reasonStatus(r, obs); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// The summary counts the cases both block, and ends with the reasons'
// line just before "N passed, N failed".
func TestSummaryReasonLine(t *testing.T) {
	t.Parallel()
	c := &conformance.Case{Name: "c"}
	results := []Result{
		{File: "a.json", Case: c, Status: Pass, Reason: ReasonCheck{Compared: true}},
		{File: "a.json", Case: c, Status: Known, Reason: ReasonCheck{Compared: true, Differs: true}},
		{File: "a.json", Case: c, Status: Fail, Reason: ReasonCheck{Compared: true, Differs: true}},
		{File: "a.json", Case: c, Status: Pass},                                          // allowed by both
		{File: "a.json", Case: c, Status: Pass, Reason: ReasonCheck{Unobservable: true}}, // a worker
		{File: "a.json", Case: c, Status: Error, Reason: ReasonCheck{Compared: true}},    // not observed
	}
	var b strings.Builder
	WriteSummary(&b, results, "Chrome/156", 0)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if n := len(lines); n < 3 || lines[n-2] != "reasons agree on 1 of 3 blocked cases" || lines[n-1] != "3 passed, 2 failed" ||
		!strings.HasPrefix(lines[n-3], "1 blocked case(s) of workers and worklets") {
		t.Errorf("summary ends:\n%s", b.String())
	}
}

func TestLoadKnownDifferencesReason(t *testing.T) {
	t.Parallel()
	const entry = `{"cases": [{"file": "testdata/orb.json", "name": "x"}], "profile": "spec", "differs": %q, "chromiumResult": "blocked", %s "specStep": "s", "chromiumBehaviour": "c", "why": "w"}`
	mk := func(differs, reason string) string {
		return strings.NewReplacer("%q", `"`+differs+`"`, "%s", reason).Replace(entry)
	}
	reason := `"chromiumReason": {"errorText": "net::ERR_BLOCKED_BY_ORB"},`
	for _, tt := range []struct{ name, json, msg string }{
		{"no chromiumReason", `{"differences": [` + mk("reason", "") + `]}`, "chromiumReason"},
		{"chromiumReason elsewhere", `{"differences": [` + mk("reports", reason) + `]}`, "chromiumReason goes with"},
		{"reason listed twice", `{"differences": [` + mk("reason", reason) + `,` + mk("reason", reason) + `]}`, "twice"},
	} {
		if _, err := LoadKnownDifferences([]byte(tt.json)); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.msg)
		}
	}
	// One case may have a reason difference beside another kind.
	k, err := LoadKnownDifferences([]byte(`{"differences": [` + mk("reason", reason) + `,` + mk("reports", "") + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	d, dr := k.lookup("testdata/orb.json", enforce.ProfileSpec, "x"), k.lookupReason("testdata/orb.json", enforce.ProfileSpec, "x")
	if d == nil || d.Differs != "reports" || dr == nil || dr.ChromiumReason.devTools() != (enforce.DevTools{ErrorText: "net::ERR_BLOCKED_BY_ORB"}) {
		t.Errorf("lookup %+v, lookupReason %+v", d, dr)
	}
}

// The reason is the first loadingFailed of the case's request that says
// why: a net::ERR_ABORTED gives way to a later failure, and one after the
// response head arrived (the page dropping the body) is none.
func TestRecordFailure(t *testing.T) {
	t.Parallel()
	n := &netState{answered: map[network.RequestID]bool{"answered": true}}
	n.recordFailure(&network.EventLoadingFailed{RequestID: "answered", ErrorText: "net::ERR_ABORTED"})
	if !n.devtools.IsZero() {
		t.Errorf("an abort after the response: %s", n.devtools)
	}
	n.recordFailure(&network.EventLoadingFailed{RequestID: "1", ErrorText: "net::ERR_ABORTED"})
	n.recordFailure(&network.EventLoadingFailed{RequestID: "1", ErrorText: "net::ERR_FAILED", CorsErrorStatus: &network.CorsErrorStatus{CorsError: network.CorsErrorAllowOriginMismatch}})
	n.recordFailure(&network.EventLoadingFailed{RequestID: "2", ErrorText: "net::ERR_BLOCKED_BY_ORB"})
	if want := (enforce.DevTools{CorsError: "AllowOriginMismatch", ErrorText: "net::ERR_FAILED"}); n.devtools != want {
		t.Errorf("%s, want %s", n.devtools, want)
	}
	m := &netState{answered: map[network.RequestID]bool{}}
	m.recordFailure(&network.EventLoadingFailed{RequestID: "1", BlockedReason: network.BlockedReasonMixedContent})
	if m.devtools != (enforce.DevTools{BlockedReason: "mixed-content"}) {
		t.Errorf("mixed content: %s", m.devtools)
	}
}
