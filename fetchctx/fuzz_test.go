package fetchctx_test

import (
	"strings"
	"testing"

	"github.com/xorigin/xorigin/fetchctx"
)

// FuzzEmbedderPolicyHeaders parses two different header values (each may
// hold several header lines, split at "\n") as the COEP and COEP-Report-Only
// headers, and checks: the two headers are parsed independently; a bad
// header falls back to unsafe-none with no endpoint and exactly one
// *HeaderError naming it; an endpoint only comes with a value compatible
// with cross-origin isolation; leading and trailing SP do not matter
// (RFC 9651 §4.2, steps 2 and 6); a valid policy re-serialized parses to
// itself; and the answer is deterministic.
func FuzzEmbedderPolicyHeaders(f *testing.F) {
	for _, tc := range headerCases {
		f.Add(strings.Join(tc.values, "\n"), "require-corp")
		f.Add("credentialless", strings.Join(tc.values, "\n"))
	}
	f.Add("", "")
	f.Add("require-corp; report-to=\"a\\\"b\"", "credentialless;report-to=\"x\"")
	f.Add("require-corp\x00", "credentialless\xff")
	f.Fuzz(func(t *testing.T, coep, reportOnly string) {
		cv, rv := headerLines(coep), headerLines(reportOnly)
		p, err := fetchctx.ParseEmbedderPolicy(cv, rv)
		again, err2 := fetchctx.ParseEmbedderPolicy(cv, rv)
		if p != again || (err == nil) != (err2 == nil) {
			t.Fatalf("not deterministic: %+v, %v then %+v, %v", p, err, again, err2)
		}
		enf, errE := fetchctx.ParseEmbedderPolicy(cv, nil)
		ro, errR := fetchctx.ParseEmbedderPolicy(nil, rv)
		want := fetchctx.EmbedderPolicy{Value: enf.Value, ReportingEndpoint: enf.ReportingEndpoint,
			ReportOnlyValue: ro.ReportOnlyValue, ReportOnlyReportingEndpoint: ro.ReportOnlyReportingEndpoint}
		if p != want {
			t.Fatalf("the headers are not independent: together %+v, apart %+v", p, want)
		}
		if enf.ReportOnlyValue != fetchctx.UnsafeNone || ro.Value != fetchctx.UnsafeNone {
			t.Fatalf("an absent header set a value: %+v, %+v", enf, ro)
		}
		checkHeaderErrors(t, err, cv, errE != nil, rv, errR != nil)
		checkPolicyValue(t, "enforced", cv, enf.Value, enf.ReportingEndpoint, errE)
		checkPolicyValue(t, "report-only", rv, ro.ReportOnlyValue, ro.ReportOnlyReportingEndpoint, errR)

		if len(cv) == 1 {
			padded, perr := fetchctx.ParseEmbedderPolicy([]string{"  " + cv[0] + " "}, nil)
			if padded.Value != enf.Value || padded.ReportingEndpoint != enf.ReportingEndpoint || (perr == nil) != (errE == nil) {
				t.Fatalf("SP around %q changed the policy: %+v, %v; without %+v, %v", cv[0], padded, perr, enf, errE)
			}
		}
		if errE == nil && enf.Value.IsCompatibleWithCrossOriginIsolation() {
			s := enf.Value.String()
			if enf.ReportingEndpoint != "" {
				s += `; report-to="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(enf.ReportingEndpoint) + `"`
			}
			back, berr := fetchctx.ParseEmbedderPolicy([]string{s}, nil)
			if berr != nil || back != enf {
				t.Fatalf("policy %+v serialized as %q parses to %+v, %v", enf, s, back, berr)
			}
		}
	})
}

// headerLines splits s into header values at "\n"; "" is no header at all.
func headerLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func checkHeaderErrors(t *testing.T, err error, cv []string, badC bool, rv []string, badR bool) {
	t.Helper()
	hes := headerErrors(t, err)
	var names []string
	for _, he := range hes {
		names = append(names, he.Name)
		values := cv
		if he.Name == fetchctx.HeaderCOEPReportOnly {
			values = rv
		}
		if he.Value != strings.Join(values, ", ") {
			t.Fatalf("error for %s has value %q, want the combined value of %q", he.Name, he.Value, values)
		}
	}
	var want []string
	if badC {
		want = append(want, fetchctx.HeaderCOEP)
	}
	if badR {
		want = append(want, fetchctx.HeaderCOEPReportOnly)
	}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("errors name %q, want %q", names, want)
	}
}

func checkPolicyValue(t *testing.T, which string, values []string, v fetchctx.EmbedderPolicyValue, endpoint string, err error) {
	t.Helper()
	switch v {
	case fetchctx.UnsafeNone, fetchctx.RequireCORP, fetchctx.Credentialless:
	default:
		t.Fatalf("%s %q: value %d out of range", which, values, v)
	}
	if err != nil && (v != fetchctx.UnsafeNone || endpoint != "") {
		t.Fatalf("%s %q: error %v with value %v and endpoint %q; want the unsafe-none fallback", which, values, err, v, endpoint)
	}
	if endpoint != "" && !v.IsCompatibleWithCrossOriginIsolation() {
		t.Fatalf("%s %q: endpoint %q with value %v", which, values, endpoint, v)
	}
	if len(values) == 0 && (v != fetchctx.UnsafeNone || err != nil) {
		t.Fatalf("%s: no header gives %v, %v", which, v, err)
	}
}

// FuzzSrcsetURLs: a srcset never panics the splitter, and each URL it
// gives is a non-empty run of the input without white space, nor a
// leading or trailing comma.
func FuzzSrcsetURLs(f *testing.F) {
	for _, s := range []string{
		"a.png 1x, b.png 2x",            // descriptors
		"c,d.png 2x,e.png,, f.png",      // commas inside and after URLs
		"g.png (x, y) 3w, h.png",        // a comma in parentheses
		"  ,, ",                         // nothing
		"data:image/png;base64,AAAA 1x", // a data URL's comma
		"i.png (unclosed, j.png",        // an unclosed parenthesis
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, u := range fetchctx.SrcsetURLs(s) {
			if u == "" || strings.ContainsAny(u, "\t\n\f\r ") || strings.HasPrefix(u, ",") || strings.HasSuffix(u, ",") || !strings.Contains(s, u) {
				t.Fatalf("SrcsetURLs(%q) gave %q", s, u)
			}
		}
	})
}
