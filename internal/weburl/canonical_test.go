package weburl

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// canonicalInputs are URLs at the edges of ParseCanonical's form: each must
// parse as the full parser parses it, whether or not ParseCanonical takes it.
var canonicalInputs = []string{
	// Taken.
	"https://example.com", "http://example.com/", "https://www.example.co.uk/a/b?q=1#f",
	"https://cdn.example.com/user/profile.js", "http://a_b.example.com.", "http://example.com:8080/x",
	"http://example.com:80/x", "https://example.com:443", "https://example.com:00443/",
	"http://example.com:0", "http://example.com:65535", "http://example.com?", "http://example.com#",
	"http://example.com/?a#b?c", "http://example.com/#a?b", "http://h/a/../b/./c", "http://h/a b",
	"http://h/a/.", "http://h/a/..", "http://h/%2e/x", "http://h/.%2E", "http://h/a.b/c.", "http://h/...",
	"http://h/a?b/../c", "http://h/a?'", "http://h/'?x", "http://h/a^b", "http://h/a?^", "http://h/ü",
	"http://h/a\\b", "http://h:8080", "http://h:08080/", "http://h:0/", "http://h:00/", "http://h?q",
	"http://h/a?b#c\t", "http://h/a?b\tc", "http://h/a?b%zz", "http://h//", "http://h/a/%2E%2e",
	"http://localhost:3000/", "http://x-y.z/", "http://a.1b/", "http://1a.b/",
	// Left to the full parser.
	"HTTP://example.com/", "https://EXAMPLE.com/", "https://example.com:", "http://example.com:65536",
	"http://example.com:123456", "http://example.com:8a", "https:///example.com", "https:/example.com",
	"https:example.com", "http://user@example.com/", "http://example.com\\x", "http://exa%41mple.com/",
	"http://xn--bcher-kva.example/", "http://a.xn--p1ai/", "http://bücher.example/", "http://127.0.0.1/",
	"http://1.2.3.4./", "http://0x7f.1/", "http://foo.09/", "http://a.0x/", "http://[::1]/",
	"http://example.com./", "http://example.com../", "http://./", "http://../", "http://.example.com/",
	"http://exa\tmple.com/", "http://example.com/a\tb", "http://example.com/\n", " http://example.com/",
	"http://example.com/ ", "http://example.com/\x00", "http://exa mple.com/", "http://example.com:8\t0/",
	"ws://example.com/", "wss://example.com/", "ftp://example.com/", "file:///x", "data:text/plain,hi",
	"blob:https://example.com/uuid", "sc://example.com/", "https://", "http:", "", "h", "https://a",
}

func TestParseCanonicalMatchesParse(t *testing.T) {
	t.Parallel()
	taken, inForm := 0, 0
	for _, in := range canonicalInputs {
		checkCanonical(t, in)
		if _, f, ok := parseCanonical(in); ok {
			taken++
			if f {
				inForm++
			}
		}
	}
	if taken < 20 || inForm < 8 {
		t.Errorf("ParseCanonical took only %d inputs, %d of them in report form", taken, inForm)
	}
}

func TestCanonicalDomainMatchesParseHost(t *testing.T) {
	t.Parallel()
	for _, tt := range hostTests {
		checkHost(t, tt.in)
	}
	for _, in := range []string{"a", "a.", "a..", ".", "..", "a.b", "a.b.", "a.1", "a.1.", "1.a", "a.0x", "xn--", "a.xn--", "axn--.b", "a-.b_", ""} {
		checkHost(t, in)
	}
}

func FuzzParseCanonical(f *testing.F) {
	for _, in := range canonicalInputs {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkCanonical(t, in)
		if i := strings.Index(in, "://"); i >= 0 {
			host := in[i+3:]
			if j := strings.IndexAny(host, "/:?#"); j >= 0 {
				host = host[:j]
			}
			checkHost(t, host)
		}
	})
}

// checkCanonical checks that ParseCanonical, when it takes in, agrees with
// the full parser, and that ForReportingOf agrees with ForReporting.
func checkCanonical(t *testing.T, in string) {
	t.Helper()
	full, err := parseFull(in)
	u, inForm, ok := parseCanonical(in)
	if ok {
		if err != nil {
			t.Fatalf("ParseCanonical(%q) took an input the full parser rejects: %v", in, err)
		}
		if diff := cmp.Diff(full, u); diff != "" {
			t.Fatalf("ParseCanonical(%q) mismatch (-full +canonical):\n%s", in, diff)
		}
	}
	if scheme, host, port, ok := ParseCanonicalOrigin(in); ok {
		want := URL{Scheme: scheme, Host: host, HasHost: true, Port: port, Special: true}
		if err != nil || full != want {
			t.Fatalf("ParseCanonicalOrigin(%q) = %q, %q, %d; the full parser gives %+v, %v", in, scheme, host, port, full, err)
		}
	}
	if err != nil {
		return
	}
	want := full.ForReporting()
	if got := full.ForReportingOf(in); got != want {
		t.Errorf("ForReportingOf(%q) = %q, ForReporting = %q", in, got, want)
	}
	if inForm && want != in {
		t.Errorf("parseCanonical(%q) says the URL serializes to itself; ForReporting = %q", in, want)
	}
	if _, got, err := ParseWithReport(in); err != nil || got != want {
		t.Errorf("ParseWithReport(%q) = %q, %v; ForReporting = %q", in, got, err, want)
	}
}

// checkHost checks that isCanonicalDomain takes only hosts the full host
// parser returns unchanged.
func checkHost(t *testing.T, in string) {
	t.Helper()
	if !isCanonicalDomain(in) {
		return
	}
	if got, err := parseHost(in); err != nil || got != in {
		t.Errorf("isCanonicalDomain(%q), but the host parser gives %q, %v", in, got, err)
	}
}

func TestForReportingOfNoAllocs(t *testing.T) {
	for _, in := range []string{"https://cdn.example.com/user/profile.js", "http://example.com:8080/a?b=c", "https://example.com/"} {
		u, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		var s string
		if n := testing.AllocsPerRun(100, func() { s = u.ForReportingOf(in) }); n != 0 || s != in {
			t.Errorf("ForReportingOf(%q) = %q with %v allocations, want the input and 0", in, s, n)
		}
	}
}
