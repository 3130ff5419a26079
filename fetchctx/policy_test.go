package fetchctx_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/fetchctx"
)

// headerCases are values of one embedder policy header (nil: absent) and
// what HTML's "obtain an embedder policy" takes from them: the value, the
// endpoint, and whether the header is valid (a parse failure or an unknown
// token leaves unsafe-none and is reported as an error).
var headerCases = []struct {
	name     string
	values   []string
	value    fetchctx.EmbedderPolicyValue
	endpoint string
	valid    bool
}{
	{"absent", nil, fetchctx.UnsafeNone, "", true},
	{"empty list of values", []string{}, fetchctx.UnsafeNone, "", true},

	// The tokens.
	{"require-corp", []string{"require-corp"}, fetchctx.RequireCORP, "", true},
	{"credentialless", []string{"credentialless"}, fetchctx.Credentialless, "", true},
	{"unsafe-none", []string{"unsafe-none"}, fetchctx.UnsafeNone, "", true},
	{"unsafe-none ignores report-to", []string{`unsafe-none; report-to="e"`}, fetchctx.UnsafeNone, "", true},

	// The report-to parameter: only a string names an endpoint.
	{"report-to string", []string{`require-corp; report-to="endpoint"`}, fetchctx.RequireCORP, "endpoint", true},
	{"report-to string, no space", []string{`credentialless;report-to="endpoint"`}, fetchctx.Credentialless, "endpoint", true},
	{"report-to string, spaces after ;", []string{`require-corp;   report-to="e"`}, fetchctx.RequireCORP, "e", true},
	{"report-to empty string", []string{`require-corp; report-to=""`}, fetchctx.RequireCORP, "", true},
	{"report-to string with escapes", []string{`require-corp; report-to="a\"b\\c"`}, fetchctx.RequireCORP, `a"b\c`, true},
	{"report-to token is ignored", []string{`require-corp; report-to=endpoint`}, fetchctx.RequireCORP, "", true},
	{"report-to byte sequence is ignored", []string{`require-corp; report-to=:ZW5kcG9pbnQ=:`}, fetchctx.RequireCORP, "", true},
	{"report-to integer is ignored", []string{`require-corp; report-to=1`}, fetchctx.RequireCORP, "", true},
	{"report-to boolean is ignored", []string{`require-corp; report-to=?1`}, fetchctx.RequireCORP, "", true},
	{"report-to without value is ignored", []string{`require-corp; report-to`}, fetchctx.RequireCORP, "", true},
	{"report-to, the last one counts", []string{`require-corp; report-to="a"; report-to="b"`}, fetchctx.RequireCORP, "b", true},
	{"report-to, a later token overrides", []string{`require-corp; report-to="a"; report-to=b`}, fetchctx.RequireCORP, "", true},
	{"other parameters are ignored", []string{`require-corp; foo=bar; report-to="e"; baz; n=-12; d=1.5; b=?0; x=:AA==:; *k="v"`}, fetchctx.RequireCORP, "e", true},
	{"parameter token with : and /", []string{`require-corp; t=a:b/c`}, fetchctx.RequireCORP, "", true},
	{"parameter integer, 15 digits", []string{`require-corp; n=123456789012345`}, fetchctx.RequireCORP, "", true},
	{"parameter decimal, 12.3 digits", []string{`require-corp; n=-123456789012.123`}, fetchctx.RequireCORP, "", true},
	// RFC 9651 §4.2.9 and §4.2.10: dates and display strings are bare items.
	{"parameter date", []string{`require-corp; d=@1659578233`}, fetchctx.RequireCORP, "", true},
	{"parameter negative date", []string{`require-corp; d=@-1`}, fetchctx.RequireCORP, "", true},
	{"parameter display string", []string{`require-corp; d=%"caf%c3%a9 %22x%22 \"; report-to="e"`}, fetchctx.RequireCORP, "e", true},

	// RFC 9651 §4.2: leading and trailing SP are discarded, nothing else.
	{"leading and trailing spaces", []string{"   require-corp  "}, fetchctx.RequireCORP, "", true},
	{"trailing spaces after parameters", []string{`require-corp; report-to="e"   `}, fetchctx.RequireCORP, "e", true},
	{"leading tab", []string{"\trequire-corp"}, fetchctx.UnsafeNone, "", false},
	{"trailing tab", []string{"require-corp\t"}, fetchctx.UnsafeNone, "", false},
	{"tab after ;", []string{"require-corp;\treport-to=\"e\""}, fetchctx.UnsafeNone, "", false},
	{"space before ;", []string{`require-corp ; report-to="e"`}, fetchctx.UnsafeNone, "", false},
	{"space around =", []string{`require-corp; report-to = "e"`}, fetchctx.UnsafeNone, "", false},

	// HTML: anything but a compatible token leaves unsafe-none.
	{"wrong case", []string{"Require-Corp"}, fetchctx.UnsafeNone, "", false},
	{"upper case", []string{"CREDENTIALLESS"}, fetchctx.UnsafeNone, "", false},
	{"quoted string", []string{`"require-corp"`}, fetchctx.UnsafeNone, "", false},
	{"unknown token", []string{"cross-origin"}, fetchctx.UnsafeNone, "", false},
	{"token prefix", []string{"require-corpx"}, fetchctx.UnsafeNone, "", false},
	{"integer", []string{"1"}, fetchctx.UnsafeNone, "", false},
	{"boolean", []string{"?1"}, fetchctx.UnsafeNone, "", false},
	{"byte sequence", []string{":cmVxdWlyZS1jb3Jw:"}, fetchctx.UnsafeNone, "", false},
	{"list", []string{"require-corp, credentialless"}, fetchctx.UnsafeNone, "", false},
	{"list of the same token", []string{"require-corp, require-corp"}, fetchctx.UnsafeNone, "", false},
	{"inner list", []string{"(require-corp)"}, fetchctx.UnsafeNone, "", false},
	{"two header values", []string{"require-corp", "require-corp"}, fetchctx.UnsafeNone, "", false},
	{"two header values, one empty", []string{"", "require-corp"}, fetchctx.UnsafeNone, "", false},
	{"trailing ;", []string{"require-corp;"}, fetchctx.UnsafeNone, "", false},
	{"trailing ; and space", []string{"require-corp; "}, fetchctx.UnsafeNone, "", false},
	{"trailing ,", []string{"require-corp,"}, fetchctx.UnsafeNone, "", false},
	{"empty value", []string{""}, fetchctx.UnsafeNone, "", false},
	{"spaces only", []string{"   "}, fetchctx.UnsafeNone, "", false},
	{"upper-case parameter key", []string{`require-corp; Report-To="e"`}, fetchctx.UnsafeNone, "", false},
	{"parameter key starting with a digit", []string{`require-corp; 1a="e"`}, fetchctx.UnsafeNone, "", false},
	{"non-ASCII in string", []string{"require-corp; report-to=\"\u00e9\""}, fetchctx.UnsafeNone, "", false},
	{"control character in string", []string{"require-corp; report-to=\"a\x01\""}, fetchctx.UnsafeNone, "", false},
	{"unterminated string", []string{`require-corp; report-to="e`}, fetchctx.UnsafeNone, "", false},
	{"bad escape in string", []string{`require-corp; report-to="\e"`}, fetchctx.UnsafeNone, "", false},
	{"unterminated byte sequence", []string{`require-corp; x=:AA==`}, fetchctx.UnsafeNone, "", false},
	{"bad byte sequence", []string{`require-corp; x=:A*A:`}, fetchctx.UnsafeNone, "", false},
	{"bad boolean", []string{`require-corp; x=?2`}, fetchctx.UnsafeNone, "", false},
	{"non-ASCII token", []string{"require-corp\u00e9"}, fetchctx.UnsafeNone, "", false},
	// RFC 9651 §4.2.4: numbers.
	{"integer, 16 digits", []string{`require-corp; n=1234567890123456`}, fetchctx.UnsafeNone, "", false},
	{"decimal, 13 integer digits", []string{`require-corp; n=1234567890123.5`}, fetchctx.UnsafeNone, "", false},
	{"decimal, 4 fraction digits", []string{`require-corp; n=1.2345`}, fetchctx.UnsafeNone, "", false},
	{"decimal, no fraction digit", []string{`require-corp; n=1.`}, fetchctx.UnsafeNone, "", false},
	{"decimal, no integer digit", []string{`require-corp; n=-.5`}, fetchctx.UnsafeNone, "", false},
	{"minus alone", []string{`require-corp; n=-`}, fetchctx.UnsafeNone, "", false},
	{"two dots", []string{`require-corp; n=1.2.3`}, fetchctx.UnsafeNone, "", false},
	// RFC 9651 §4.2.9, §4.2.10.
	{"decimal date", []string{`require-corp; d=@1.5`}, fetchctx.UnsafeNone, "", false},
	{"date without number", []string{`require-corp; d=@`}, fetchctx.UnsafeNone, "", false},
	{"display string, upper-case hex", []string{`require-corp; d=%"caf%C3%A9"`}, fetchctx.UnsafeNone, "", false},
	{"display string, bad UTF-8", []string{`require-corp; d=%"%ff"`}, fetchctx.UnsafeNone, "", false},
	{"display string, unterminated", []string{`require-corp; d=%"abc`}, fetchctx.UnsafeNone, "", false},
	{"display string, no quote", []string{`require-corp; d=%abc`}, fetchctx.UnsafeNone, "", false},
	{"display string, short escape", []string{`require-corp; d=%"%a"`}, fetchctx.UnsafeNone, "", false},

	// Two header lines that combine, with ", ", into one valid item
	// (web-platform-tests, reporting-empty-frame-multiple-headers.html.asis).
	{"two header values combine into one item", []string{`require-corp; foo="`, `"; report-to="endpoint"`}, fetchctx.RequireCORP, "endpoint", true},
}

// headerErrors returns the *HeaderErrors err holds, joined or not.
func headerErrors(t *testing.T, err error) []*fetchctx.HeaderError {
	t.Helper()
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var out []*fetchctx.HeaderError
	for _, e := range errs {
		var he *fetchctx.HeaderError
		if !errors.As(e, &he) {
			t.Fatalf("error %v (%T) is not a *HeaderError", e, e)
		}
		out = append(out, he)
	}
	return out
}

func TestParseEmbedderPolicy(t *testing.T) {
	t.Parallel()
	for _, tc := range headerCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			combined := strings.Join(tc.values, ", ")
			check := func(which string, coep, reportOnly []string, want fetchctx.EmbedderPolicy, bad []string) {
				t.Helper()
				p, err := fetchctx.ParseEmbedderPolicy(coep, reportOnly)
				if diff := cmp.Diff(want, p); diff != "" {
					t.Errorf("%s: policy (-want +got):\n%s", which, diff)
				}
				var names []string
				for _, he := range headerErrors(t, err) {
					names = append(names, he.Name)
					if he.Value != combined {
						t.Errorf("%s: HeaderError.Value = %q, want %q", which, he.Value, combined)
					}
					if he.Msg == "" {
						t.Errorf("%s: HeaderError.Msg is empty", which)
					}
				}
				if diff := cmp.Diff(bad, names); diff != "" {
					t.Errorf("%s: headers in error (-want +got):\n%s\nerror: %v", which, diff, err)
				}
			}
			var bad1, bad2, bad3 []string
			if !tc.valid {
				bad1 = []string{fetchctx.HeaderCOEP}
				bad2 = []string{fetchctx.HeaderCOEPReportOnly}
				bad3 = []string{fetchctx.HeaderCOEP, fetchctx.HeaderCOEPReportOnly}
			}
			check("enforced", tc.values, nil,
				fetchctx.EmbedderPolicy{Value: tc.value, ReportingEndpoint: tc.endpoint}, bad1)
			check("report-only", nil, tc.values,
				fetchctx.EmbedderPolicy{ReportOnlyValue: tc.value, ReportOnlyReportingEndpoint: tc.endpoint}, bad2)
			check("both", tc.values, tc.values,
				fetchctx.EmbedderPolicy{Value: tc.value, ReportingEndpoint: tc.endpoint,
					ReportOnlyValue: tc.value, ReportOnlyReportingEndpoint: tc.endpoint}, bad3)
		})
	}
}

// TestParseEmbedderPolicyIndependent checks that each header is parsed on
// its own: a bad one does not spoil the other.
func TestParseEmbedderPolicyIndependent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		coep, reportOnly []string
		want             fetchctx.EmbedderPolicy
		bad              []string
	}{
		{
			"different values",
			[]string{`credentialless; report-to="a"`}, []string{`require-corp; report-to="b"`},
			fetchctx.EmbedderPolicy{Value: fetchctx.Credentialless, ReportingEndpoint: "a", ReportOnlyValue: fetchctx.RequireCORP, ReportOnlyReportingEndpoint: "b"},
			nil,
		},
		{
			"bad enforced, good report-only",
			[]string{"Require-Corp"}, []string{`require-corp; report-to="b"`},
			fetchctx.EmbedderPolicy{ReportOnlyValue: fetchctx.RequireCORP, ReportOnlyReportingEndpoint: "b"},
			[]string{fetchctx.HeaderCOEP},
		},
		{
			"good enforced, bad report-only",
			[]string{`require-corp; report-to="a"`}, []string{"require-corp, credentialless"},
			fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP, ReportingEndpoint: "a"},
			[]string{fetchctx.HeaderCOEPReportOnly},
		},
		{
			"both bad",
			[]string{`"require-corp"`}, []string{"require-corp;"},
			fetchctx.EmbedderPolicy{},
			[]string{fetchctx.HeaderCOEP, fetchctx.HeaderCOEPReportOnly},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := fetchctx.ParseEmbedderPolicy(tc.coep, tc.reportOnly)
			if diff := cmp.Diff(tc.want, p); diff != "" {
				t.Errorf("policy (-want +got):\n%s", diff)
			}
			var names []string
			for _, he := range headerErrors(t, err) {
				names = append(names, he.Name)
			}
			if diff := cmp.Diff(tc.bad, names); diff != "" {
				t.Errorf("headers in error (-want +got):\n%s", diff)
			}
			var he *fetchctx.HeaderError
			if (err != nil) != errors.As(err, &he) {
				t.Errorf("errors.As(%v, *HeaderError) = %v", err, he != nil)
			}
		})
	}
}

func TestHeaderErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := fetchctx.ParseEmbedderPolicy([]string{"Require-Corp"}, nil)
	const want = `fetchctx: header Cross-Origin-Embedder-Policy: "Require-Corp": `
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Error() = %v, want prefix %q", err, want)
	}
	long := "require-corp; x=\"" + strings.Repeat("a", 300) + "\" !"
	_, err = fetchctx.ParseEmbedderPolicy(nil, []string{long})
	var he *fetchctx.HeaderError
	if !errors.As(err, &he) || he.Value != long {
		t.Fatalf("error %v does not keep the whole value", err)
	}
	if msg := err.Error(); len(msg) > 300 || !strings.Contains(msg, `..."`) {
		t.Errorf("Error() of a long value is not truncated: %d bytes: %s", len(msg), msg)
	}
}

func FuzzParseEmbedderPolicy(f *testing.F) {
	for _, tc := range headerCases {
		f.Add(strings.Join(tc.values, "\n"))
	}
	f.Fuzz(func(t *testing.T, s string) {
		values := strings.Split(s, "\n")
		p, err := fetchctx.ParseEmbedderPolicy(values, values)
		if p.Value != p.ReportOnlyValue || p.ReportingEndpoint != p.ReportOnlyReportingEndpoint {
			t.Errorf("the two headers parse differently: %+v", p)
		}
		if err != nil && (p.Value != fetchctx.UnsafeNone || p.ReportingEndpoint != "") {
			t.Errorf("error %v with policy %+v, want unsafe-none", err, p)
		}
		if !p.Value.IsCompatibleWithCrossOriginIsolation() && p.ReportingEndpoint != "" {
			t.Errorf("endpoint %q with value %v", p.ReportingEndpoint, p.Value)
		}
		if n := len(headerErrors(t, err)); n != 0 && n != 2 {
			t.Errorf("%d header errors for two identical headers", n)
		}
	})
}

func BenchmarkParseEmbedderPolicy(b *testing.B) {
	for _, bc := range []struct {
		name   string
		values []string
	}{
		{"token", []string{"require-corp"}},
		{"report-to", []string{`require-corp; report-to="endpoint"`}},
		{"invalid", []string{"Require-Corp"}},
		{"adversarial/many parameters", []string{"require-corp" + strings.Repeat(`; a="xxxxxxxx"`, 1000) + `; report-to="e"`}},
		{"adversarial/many header values", strings.Split(strings.Repeat("require-corp,", 1000), ",")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkPolicy, sinkErr = fetchctx.ParseEmbedderPolicy(bc.values, bc.values)
			}
		})
	}
}
