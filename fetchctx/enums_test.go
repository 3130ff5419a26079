package fetchctx_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/fetchctx"
)

// enum describes one enumeration for the table-driven tests below.
type enum struct {
	name   string
	kind   string                    // EnumError.Kind
	tokens []string                  // the spec's values, in the package's order
	str    func(int) string          // String of the value with that number
	parse  func(string) (int, error) // nil when the package has no parser
	zero   string                    // the spec default, the zero value's token
}

func enums() []enum {
	return []enum{
		{
			name:   "Mode",
			kind:   "mode",
			tokens: []string{"no-cors", "cors", "same-origin", "navigate"},
			str:    func(i int) string { return fetchctx.Mode(i).String() },
			parse: func(s string) (int, error) {
				v, err := fetchctx.ParseMode(s)
				return int(v), err
			},
			zero: "no-cors",
		},
		{
			name:   "Credentials",
			kind:   "credentials mode",
			tokens: []string{"same-origin", "omit", "include"},
			str:    func(i int) string { return fetchctx.Credentials(i).String() },
			parse: func(s string) (int, error) {
				v, err := fetchctx.ParseCredentials(s)
				return int(v), err
			},
			zero: "same-origin",
		},
		{
			// Fetch, destination type: every value, "" included.
			name: "Destination",
			kind: "destination",
			tokens: []string{
				"", "audio", "audioworklet", "document", "embed", "font", "frame", "iframe",
				"image", "json", "manifest", "object", "paintworklet", "report", "script",
				"serviceworker", "sharedworker", "style", "text", "track", "video", "webidentity",
				"worker", "xslt",
			},
			str: func(i int) string { return fetchctx.Destination(i).String() },
			parse: func(s string) (int, error) {
				v, err := fetchctx.ParseDestination(s)
				return int(v), err
			},
			zero: "",
		},
		{
			name:   "Tainting",
			tokens: []string{"basic", "cors", "opaque"},
			str:    func(i int) string { return fetchctx.Tainting(i).String() },
			zero:   "basic",
		},
		{
			name:   "EmbedderPolicyValue",
			kind:   "embedder policy value",
			tokens: []string{"unsafe-none", "require-corp", "credentialless"},
			str:    func(i int) string { return fetchctx.EmbedderPolicyValue(i).String() },
			parse: func(s string) (int, error) {
				v, err := fetchctx.ParseEmbedderPolicyValue(s)
				return int(v), err
			},
			zero: "unsafe-none",
		},
	}
}

// TestEnumValues walks every value of each enumeration, up to the first
// number String does not name, and checks the tokens against the spec's
// list and the String/Parse round trip.
func TestEnumValues(t *testing.T) {
	t.Parallel()
	for _, e := range enums() {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for i := 0; i < 256; i++ {
				s := e.str(i)
				if s == fmt.Sprintf("%s(%d)", e.name, i) {
					break
				}
				got = append(got, s)
				if e.parse == nil {
					continue
				}
				v, err := e.parse(s)
				if err != nil || v != i {
					t.Errorf("Parse(%q) = %d, %v; want %d, nil", s, v, err, i)
				}
			}
			if diff := cmp.Diff(e.tokens, got); diff != "" {
				t.Errorf("tokens (-spec +String) differ:\n%s", diff)
			}
			if got := e.str(len(e.tokens)); got != fmt.Sprintf("%s(%d)", e.name, len(e.tokens)) {
				t.Errorf("String() of the first unknown value = %q", got)
			}
			if got := e.str(255); got != e.name+"(255)" {
				t.Errorf("String() of 255 = %q", got)
			}
		})
	}
}

// TestEnumZeroValues checks that each zero value is the spec's default.
func TestEnumZeroValues(t *testing.T) {
	t.Parallel()
	var (
		m fetchctx.Mode
		c fetchctx.Credentials
		d fetchctx.Destination
		x fetchctx.Tainting
		v fetchctx.EmbedderPolicyValue
		p fetchctx.EmbedderPolicy
		r fetchctx.Request
	)
	got := []string{m.String(), c.String(), d.String(), x.String(), v.String(),
		p.Value.String(), p.ReportOnlyValue.String(), p.ReportingEndpoint, p.ReportOnlyReportingEndpoint,
		r.Mode.String(), r.Credentials.String(), r.Destination.String(), r.Policy.Value.String()}
	want := []string{"no-cors", "same-origin", "", "basic", "unsafe-none",
		"unsafe-none", "unsafe-none", "", "",
		"no-cors", "same-origin", "", "unsafe-none"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zero values (-want +got):\n%s", diff)
	}
	if m != fetchctx.ModeNoCORS || c != fetchctx.CredentialsSameOrigin || d != fetchctx.DestinationEmpty ||
		x != fetchctx.TaintingBasic || v != fetchctx.UnsafeNone {
		t.Error("a zero value is not its named default constant")
	}
}

func TestEnumParseErrors(t *testing.T) {
	t.Parallel()
	for _, e := range enums() {
		if e.parse == nil {
			continue
		}
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			bad := []string{"unknown", " " + e.tokens[1], e.tokens[1] + " ", strings.ToUpper(e.tokens[1]),
				`"` + e.tokens[1] + `"`, e.tokens[1] + "\x00", "null"}
			if e.zero != "" {
				bad = append(bad, "")
			}
			for _, s := range bad {
				v, err := e.parse(s)
				var ee *fetchctx.EnumError
				if !errors.As(err, &ee) {
					t.Errorf("Parse(%q) = %d, %v; want an *EnumError", s, v, err)
					continue
				}
				if v != 0 {
					t.Errorf("Parse(%q) = %d with an error, want the zero value", s, v)
				}
				if ee.Kind != e.kind || ee.Value != s {
					t.Errorf("Parse(%q): EnumError{%q, %q}, want {%q, %q}", s, ee.Kind, ee.Value, e.kind, s)
				}
				if want := fmt.Sprintf("fetchctx: unknown %s %q", e.kind, s); err.Error() != want {
					t.Errorf("Error() = %q, want %q", err.Error(), want)
				}
			}
		})
	}
}

func TestDestinationIsNavigation(t *testing.T) {
	t.Parallel()
	// Fetch: a navigation request's destination is "document", "embed",
	// "frame", "iframe" or "object".
	want := map[string]bool{"document": true, "embed": true, "frame": true, "iframe": true, "object": true}
	n := 0
	for i := 0; ; i++ {
		d := fetchctx.Destination(i)
		if strings.HasPrefix(d.String(), "Destination(") {
			break
		}
		if got := d.IsNavigation(); got != want[d.String()] {
			t.Errorf("Destination %q: IsNavigation() = %v, want %v", d, got, want[d.String()])
		}
		if d.IsNavigation() {
			n++
		}
	}
	if n != len(want) {
		t.Errorf("%d navigation destinations, want %d", n, len(want))
	}
	if fetchctx.Destination(200).IsNavigation() {
		t.Error("an unknown destination is a navigation")
	}
}

func TestIsCompatibleWithCrossOriginIsolation(t *testing.T) {
	t.Parallel()
	for v, want := range map[fetchctx.EmbedderPolicyValue]bool{
		fetchctx.UnsafeNone:     false,
		fetchctx.RequireCORP:    true,
		fetchctx.Credentialless: true,
		3:                       false,
	} {
		if got := v.IsCompatibleWithCrossOriginIsolation(); got != want {
			t.Errorf("%v.IsCompatibleWithCrossOriginIsolation() = %v, want %v", v, got, want)
		}
	}
}

// TestRedirectMode: the redirect mode tokens round-trip; others are errors.
func TestRedirectMode(t *testing.T) {
	for _, tok := range []string{"follow", "error", "manual"} {
		m, err := fetchctx.ParseRedirectMode(tok)
		if err != nil || m.String() != tok {
			t.Errorf("fetchctx.ParseRedirectMode(%q) = %v, %v", tok, m, err)
		}
	}
	if m, _ := fetchctx.ParseRedirectMode("follow"); m != fetchctx.RedirectFollow {
		t.Errorf("follow is not the zero value")
	}
	for _, tok := range []string{"", "Follow", "manual ", "none"} {
		if _, err := fetchctx.ParseRedirectMode(tok); err == nil {
			t.Errorf("fetchctx.ParseRedirectMode(%q) accepted", tok)
		}
	}
}
