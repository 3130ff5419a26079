package site_test

import (
	"net/netip"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/publicsuffix"

	"github.com/xorigin/xorigin/origin"
	"github.com/xorigin/xorigin/site"
)

// hostCases are canonical hosts (as origin.Origin.Host returns them) with
// their public suffix and registrable domain on x/net's list; "" is null.
var hostCases = []struct {
	name        string
	host        string
	suffix      string
	registrable string
}{
	// URL standard, host public suffix, examples table.
	{"tld alone", "com", "com", ""},
	{"one label", "example.com", "com", "example.com"},
	{"two labels", "www.example.com", "com", "example.com"},
	{"three labels", "sub.www.example.com", "com", "example.com"},
	{"private section/suffix alone", "github.io", "github.io", ""},
	{"private section/one label", "whatwg.github.io", "github.io", "whatwg.github.io"},
	{"private section/a.github.io", "a.github.io", "github.io", "a.github.io"},
	{"private section/x.a.github.io", "x.a.github.io", "github.io", "a.github.io"},
	{"idn/unlisted tld", "xn--kgbechtv", "xn--kgbechtv", ""},
	{"idn/unlisted tld plus one", "example.xn--kgbechtv", "xn--kgbechtv", "example.xn--kgbechtv"},
	{"idn/unlisted tld plus two", "sub.example.xn--kgbechtv", "xn--kgbechtv", "example.xn--kgbechtv"},

	{"second level/co.uk", "co.uk", "co.uk", ""},
	{"second level/example.co.uk", "example.co.uk", "co.uk", "example.co.uk"},
	{"second level/www.example.co.uk", "www.example.co.uk", "co.uk", "example.co.uk"},

	// *.ck and !www.ck.
	{"wildcard/tld alone", "ck", "ck", ""},
	{"wildcard/matched label is a suffix", "foo.ck", "foo.ck", ""},
	{"wildcard/one label more", "a.foo.ck", "foo.ck", "a.foo.ck"},
	{"wildcard/two labels more", "b.a.foo.ck", "foo.ck", "a.foo.ck"},
	{"wildcard exception/www.ck", "www.ck", "ck", "www.ck"},
	{"wildcard exception/below www.ck", "a.www.ck", "ck", "www.ck"},
	// *.kawasaki.jp and !city.kawasaki.jp, below a listed TLD.
	{"wildcard exception/city.kawasaki.jp", "city.kawasaki.jp", "kawasaki.jp", "city.kawasaki.jp"},
	{"wildcard/foo.kawasaki.jp", "foo.kawasaki.jp", "foo.kawasaki.jp", ""},

	// The implicit "*" rule.
	{"unlisted/test", "test", "test", ""},
	{"unlisted/a.test", "a.test", "test", "a.test"},
	{"unlisted/localhost", "localhost", "localhost", ""},
	{"unlisted/a.localhost", "a.localhost", "localhost", "a.localhost"},
	{"unlisted/b.a.localhost", "b.a.localhost", "localhost", "a.localhost"},

	// IDN TLDs, in punycode as the host parser leaves them.
	{"idn/рф", "xn--p1ai", "xn--p1ai", ""},
	{"idn/пример.рф", "xn--e1afmkfd.xn--p1ai", "xn--p1ai", "xn--e1afmkfd.xn--p1ai"},
	{"idn/公司.cn", "xn--55qx5d.cn", "xn--55qx5d.cn", ""},
	{"idn/a.公司.cn", "a.xn--55qx5d.cn", "xn--55qx5d.cn", "a.xn--55qx5d.cn"},
	{"idn/中国", "www.example.xn--fiqs8s", "xn--fiqs8s", "example.xn--fiqs8s"},

	// URL standard, host public suffix, step 2: a trailing dot is kept.
	{"trailing dot/registrable", "example.com.", "com.", "example.com."},
	{"trailing dot/subdomain", "www.example.com.", "com.", "example.com."},
	{"trailing dot/suffix alone", "com.", "com.", ""},
	{"trailing dot/private section", "x.a.github.io.", "github.io.", "a.github.io."},
	{"trailing dot/wildcard", "a.foo.ck.", "foo.ck.", "a.foo.ck."},

	// Empty labels: the list algorithm has no answer for an empty last
	// label, and an empty label before the suffix is no registrable domain.
	{"empty label/bare dot", ".", "", ""},
	{"empty label/two dots", "..", "", ""},
	{"empty label/ends in two dots", "example.com..", "", ""},
	{"empty label/inner, above the registrable domain", "a..example.com", "com", "example.com"},
	{"empty label/inner, before the suffix", "example..com", "com", ""},
	{"empty label/leading, before the suffix", ".com", "com", ""},

	// URL standard, host public suffix, step 1: only domains have one.
	{"ip/ipv4", "192.0.2.1", "", ""},
	{"ip/ipv4 loopback", "127.0.0.1", "", ""},
	{"ip/ipv6", "[2001:db8::1]", "", ""},
	{"ip/ipv6 loopback", "[::1]", "", ""},
	{"ip/ipv4-mapped ipv6", "[::ffff:c000:201]", "", ""},
	{"empty host", "", "", ""},
}

func TestPublicSuffix(t *testing.T) {
	t.Parallel()
	for _, tc := range hostCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := site.Default().PublicSuffix(tc.host)
			if got != tc.suffix || ok != (tc.suffix != "") {
				t.Errorf("PublicSuffix(%q) = %q, %v; want %q, %v", tc.host, got, ok, tc.suffix, tc.suffix != "")
			}
		})
	}
}

func TestRegistrableDomain(t *testing.T) {
	t.Parallel()
	for _, tc := range hostCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, r := range []struct {
				name string
				fn   func(string) (string, bool)
			}{
				{"site.RegistrableDomain", site.RegistrableDomain},
				{"Default", site.Default().RegistrableDomain},
				{"New(nil)", site.New(nil).RegistrableDomain},
				{"New(publicsuffix.List)", site.New(publicsuffix.List).RegistrableDomain},
			} {
				got, ok := r.fn(tc.host)
				if got != tc.registrable || ok != (tc.registrable != "") {
					t.Errorf("%s: RegistrableDomain(%q) = %q, %v; want %q, %v",
						r.name, tc.host, got, ok, tc.registrable, tc.registrable != "")
				}
			}
		})
	}
}

// TestRegistrableDomainInvariants checks, over hostCases, the definitions
// that tie the two answers together: a registrable domain ends with the
// public suffix and has exactly one label more, and both are suffixes of
// the host starting at a label.
func TestRegistrableDomainInvariants(t *testing.T) {
	t.Parallel()
	r := site.Default()
	for _, tc := range hostCases {
		ps, psOK := r.PublicSuffix(tc.host)
		rd, rdOK := r.RegistrableDomain(tc.host)
		if rdOK && !psOK {
			t.Errorf("%q: registrable domain %q without a public suffix", tc.host, rd)
		}
		if psOK && !isLabelSuffix(tc.host, ps) {
			t.Errorf("%q: public suffix %q is not a label suffix of the host", tc.host, ps)
		}
		if rdOK {
			if !isLabelSuffix(tc.host, rd) || !strings.HasSuffix(rd, "."+ps) {
				t.Errorf("%q: registrable domain %q does not end with .%q at a label", tc.host, rd, ps)
			}
			if label := strings.TrimSuffix(rd, "."+ps); label == "" || strings.Contains(label, ".") {
				t.Errorf("%q: registrable domain %q is not one label plus %q", tc.host, rd, ps)
			}
		}
		if psOK && ps == tc.host && rdOK {
			t.Errorf("%q is its own public suffix but has registrable domain %q", tc.host, rd)
		}
	}
}

func isLabelSuffix(host, s string) bool {
	return host == s || strings.HasSuffix(host, "."+s)
}

func TestNew(t *testing.T) {
	t.Parallel()
	if got := site.New(nil).List(); got != publicsuffix.List {
		t.Errorf("New(nil).List() = %v, want publicsuffix.List", got)
	}
	if got := site.Default().List(); got != publicsuffix.List {
		t.Errorf("Default().List() = %v, want publicsuffix.List", got)
	}
	if s := site.Default().List().String(); !strings.Contains(s, "publicsuffix.org") {
		t.Errorf("Default().List().String() = %q, want the list's version", s)
	}
	l := &recordingList{}
	if got := site.New(l).List(); got != l {
		t.Errorf("New(l).List() = %v, want l", got)
	}
}

// sameSiteCases are pairs of origins with their expected relations.
var sameSiteCases = []struct {
	name          string
	a, b          string // URLs, for origin.FromURL
	sameSite      bool
	schemelessly  bool
	sameOriginToo bool
}{
	// spec-notes §7.5 (HTML's and URL's examples).
	{"private section/siblings", "https://a.github.io", "https://b.github.io", false, false, false},
	{"private section/subdomain", "https://x.a.github.io", "https://a.github.io", true, true, false},
	{"private section/suffix vs registrable", "https://github.io", "https://a.github.io", false, false, false},
	{"second level", "https://www.example.co.uk", "https://cdn.example.co.uk", true, true, false},
	{"wildcard/siblings", "https://a.foo.ck", "https://b.foo.ck", false, false, false},
	{"wildcard/subdomain", "https://x.a.foo.ck", "https://a.foo.ck", true, true, false},
	{"wildcard exception/subdomain", "https://a.www.ck", "https://www.ck", true, true, false},
	{"wildcard suffix/identical host", "https://foo.ck", "https://foo.ck:8443", true, true, false},
	{"ip/same address other port", "http://192.0.2.1:1", "http://192.0.2.1:2", true, true, false},
	{"ip/same address any notation", "http://0xc0000201", "http://192.0.2.1:8080", true, true, false},
	{"ip/different addresses", "http://192.0.2.1", "http://192.0.2.2", false, false, false},
	{"ip/ipv6 same address", "http://[::1]:1", "http://[0:0::1]:2", true, true, false},
	{"ip/ipv6 different addresses", "http://[::1]", "http://[::2]", false, false, false},
	{"ip/ipv4 vs ipv6", "http://127.0.0.1", "http://[::ffff:127.0.0.1]", false, false, false},
	{"localhost/other port", "http://localhost:1", "http://localhost:2", true, true, false},
	{"localhost/siblings", "http://a.localhost", "http://b.localhost", false, false, false},
	{"localhost/vs loopback address", "http://localhost", "http://127.0.0.1", false, false, false},

	// Schemes and ports.
	{"scheme/http vs https, same host", "http://example.com", "https://example.com", false, true, false},
	{"scheme/http vs https, same site", "http://a.example.com", "https://b.example.com", false, true, false},
	{"scheme/ws vs https", "ws://example.com", "https://example.com", false, true, false},
	{"scheme/wss vs https", "wss://example.com", "https://example.com", false, true, false},
	{"port/ignored", "https://example.com:8443", "https://www.example.com", true, true, false},
	{"port/default dropped", "https://example.com:443", "https://example.com", true, true, true},
	{"same origin", "https://www.example.com/a", "https://www.example.com/b", true, true, true},
	{"cross site", "https://example.com", "https://example.org", false, false, false},
	{"cross site/same label other tld", "https://example.com", "https://example.co.uk", false, false, false},
	{"suffix vs registrable", "https://co.uk", "https://example.co.uk", false, false, false},
	{"suffix/identical host", "https://co.uk", "https://co.uk", true, true, true},

	// Canonicalization happens in the origin, so these compare as equal.
	{"canonical/case", "https://WWW.EXAMPLE.COM", "https://example.com", true, true, false},
	{"canonical/idn", "https://www.пример.рф", "https://xn--e1afmkfd.xn--p1ai", true, true, false},
	{"canonical/blob", "blob:https://a.example.com/uuid", "https://b.example.com", true, true, false},

	// URL standard, registrable domain: the trailing dot is kept, and
	// "example.com." is not "example.com".
	{"trailing dot/vs none", "https://example.com.", "https://example.com", false, false, false},
	{"trailing dot/both", "https://www.example.com.", "https://example.com.", true, true, false},

	// Empty labels.
	{"empty label/above registrable domain", "https://a..example.com", "https://example.com", true, true, false},
	{"empty label/no registrable domain", "https://example..com", "https://a.example..com", false, false, false},
	{"empty label/identical host", "https://example..com", "https://example..com:1", true, true, false},

	// Chromium's CORP check (cross_origin_resource_policy.cc) compares
	// registrable domains only: two hosts lacking one compare equal (""
	// == ""), and an IP host is never same site with itself. HTML's
	// schemelessly same site says the opposite in both cases.
	{"divergence/chromium: different hosts without registrable domain", "http://localhost", "http://test", false, false, false},
	{"divergence/chromium: suffix hosts without registrable domain", "https://github.io", "https://co.uk", false, false, false},
	{"divergence/chromium: identical ip host", "http://192.0.2.1", "http://192.0.2.1:81", true, true, false},
}

func TestSameSite(t *testing.T) {
	t.Parallel()
	for _, tc := range sameSiteCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, b := mustFromURL(t, tc.a), mustFromURL(t, tc.b)
			for _, p := range [][2]origin.Origin{{a, b}, {b, a}} {
				if got := site.SameSite(p[0], p[1]); got != tc.sameSite {
					t.Errorf("SameSite(%v, %v) = %v, want %v", p[0], p[1], got, tc.sameSite)
				}
				if got := site.SchemelesslySameSite(p[0], p[1]); got != tc.schemelessly {
					t.Errorf("SchemelesslySameSite(%v, %v) = %v, want %v", p[0], p[1], got, tc.schemelessly)
				}
				if got := site.Default().SameSite(p[0], p[1]); got != tc.sameSite {
					t.Errorf("Default().SameSite(%v, %v) = %v, want %v", p[0], p[1], got, tc.sameSite)
				}
				if got := p[0].SameOrigin(p[1]); got != tc.sameOriginToo {
					t.Errorf("SameOrigin(%v, %v) = %v, want %v", p[0], p[1], got, tc.sameOriginToo)
				}
			}
		})
	}
}

func TestSameSiteOpaqueAndZero(t *testing.T) {
	t.Parallel()
	op1, op2 := origin.NewOpaque(), origin.NewOpaque()
	data1 := mustFromURL(t, "data:text/plain,a")
	data2 := mustFromURL(t, "data:text/plain,a")
	tuple := origin.MustParse("https://example.com")
	tests := []struct {
		name string
		a, b origin.Origin
		want bool // same site and schemelessly same site alike
	}{
		{"same opaque origin", op1, op1, true},
		{"same opaque origin/copied", data1, func() origin.Origin { c := data1; return c }(), true},
		{"distinct opaque origins", op1, op2, false},
		{"distinct opaque origins/same data URL", data1, data2, false},
		{"opaque vs tuple", op1, tuple, false},
		{"tuple vs opaque", tuple, op1, false},
		{"null serialization/parsed twice", origin.MustParse("null"), origin.MustParse("null"), false},
		{"zero vs zero", origin.Origin{}, origin.Origin{}, false},
		{"zero vs tuple", origin.Origin{}, tuple, false},
		{"tuple vs zero", tuple, origin.Origin{}, false},
		{"zero vs opaque", origin.Origin{}, op1, false},
		{"opaque vs zero", op1, origin.Origin{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := site.SameSite(tc.a, tc.b); got != tc.want {
				t.Errorf("SameSite = %v, want %v", got, tc.want)
			}
			if got := site.SchemelesslySameSite(tc.a, tc.b); got != tc.want {
				t.Errorf("SchemelesslySameSite = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRelations checks properties of the three relations over every pair
// (and triple) of a set of origins: symmetry; same origin implies same site
// implies schemelessly same site; both site relations are equivalences on
// valid origins (reflexive, transitive) and hold for nothing on the zero
// Origin.
func TestRelations(t *testing.T) {
	t.Parallel()
	op1, op2 := origin.NewOpaque(), origin.NewOpaque()
	var origins []origin.Origin
	for _, u := range []string{
		"https://example.com",
		"https://example.com:8443",
		"http://example.com",
		"https://www.example.com",
		"wss://www.example.com",
		"https://example.com.",
		"https://example.org",
		"https://a.github.io",
		"https://x.a.github.io",
		"https://b.github.io",
		"https://github.io",
		"https://www.example.co.uk",
		"http://cdn.example.co.uk",
		"https://a.foo.ck",
		"https://b.foo.ck",
		"https://www.ck",
		"http://localhost:1",
		"http://localhost:2",
		"http://a.localhost",
		"http://127.0.0.1",
		"http://127.0.0.1:8080",
		"http://192.0.2.1",
		"http://[::1]",
		"http://test",
	} {
		origins = append(origins, mustFromURL(t, u))
	}
	origins = append(origins, op1, op1, op2, origin.Origin{})

	r := site.Default()
	for _, a := range origins {
		if got, want := r.SameSite(a, a), a.IsValid(); got != want {
			t.Errorf("SameSite(%v, itself) = %v, want %v", a, got, want)
		}
		if got, want := r.SchemelesslySameSite(a, a), a.IsValid(); got != want {
			t.Errorf("SchemelesslySameSite(%v, itself) = %v, want %v", a, got, want)
		}
		for _, b := range origins {
			so, ss, sss := a.SameOrigin(b), r.SameSite(a, b), r.SchemelesslySameSite(a, b)
			if ss != r.SameSite(b, a) {
				t.Errorf("SameSite not symmetric on %v, %v", a, b)
			}
			if sss != r.SchemelesslySameSite(b, a) {
				t.Errorf("SchemelesslySameSite not symmetric on %v, %v", a, b)
			}
			if so && !ss {
				t.Errorf("%v, %v: same origin but not same site", a, b)
			}
			if ss && !sss {
				t.Errorf("%v, %v: same site but not schemelessly same site", a, b)
			}
			if ss != (sss && a.Scheme() == b.Scheme()) {
				t.Errorf("%v, %v: SameSite = %v, want schemelessly same site with equal schemes", a, b, ss)
			}
			if !sss {
				continue
			}
			for _, c := range origins {
				if r.SchemelesslySameSite(b, c) && !r.SchemelesslySameSite(a, c) {
					t.Errorf("SchemelesslySameSite not transitive on %v, %v, %v", a, b, c)
				}
			}
		}
	}
}

// TestSchemelesslySameSiteMatchesDefinition checks SchemelesslySameSite
// against HTML's definition written out over RegistrableDomain (identical
// hosts, or equal non-null registrable domains), on every pair of a set of
// hosts chosen to trip suffix shortcuts, and on several lists.
func TestSchemelesslySameSiteMatchesDefinition(t *testing.T) {
	t.Parallel()
	hosts := []string{
		"example.com", "www.example.com", "xample.com", "wexample.com", "a.example.com",
		"example.com.", "www.example.com.", "com", "com.", "m",
		"ab.com", "b.com", "a.b.com", "b.com.",
		"example.co.uk", "www.example.co.uk", "co.uk", "a.co.uk", "uk",
		"a.github.io", "x.a.github.io", "github.io", "xa.github.io",
		// A registrable domain with a suffix below it on the list.
		"amazonaws.com", "www.amazonaws.com", "s3.amazonaws.com", "b.s3.amazonaws.com",
		"a.foo.ck", "b.a.foo.ck", "foo.ck", "www.ck", "x.www.ck",
		"a..com", "b..com", "example..com", ".com",
		"localhost", "a.localhost", "b.a.localhost",
		"a.b.c.d", "x.b.c.d", "b.c.d", "c.d",
		"192.0.2.1", "2.1", "[::1]",
	}
	lastLabels := func(n int) site.PublicSuffixList {
		return fakeList{func(d string) string {
			s := d
			for i := len(d) - 1; i >= 0; i-- {
				if d[i] == '.' {
					if n--; n == 0 {
						return d[i+1:]
					}
				}
			}
			return s
		}}
	}
	lists := []struct {
		name string
		list site.PublicSuffixList
	}{
		{"x/net", nil},
		{"parsed", mustParseList(t, "testPSL", testPSL)},
		{"last label", lastLabels(1)},
		{"last three labels", lastLabels(3)},
	}
	var origins []origin.Origin
	for _, h := range hosts {
		if o, err := origin.FromURL("https://" + h); err == nil {
			origins = append(origins, o)
		}
	}
	if len(origins) < len(hosts)-2 {
		t.Fatalf("only %d of %d hosts parse", len(origins), len(hosts))
	}
	for _, l := range lists {
		plain := site.New(l.list)
		// The cached resolvers take other paths: both hosts' answers from
		// the cache (a warm pass), or one of them (one entry, evicting).
		for _, r := range []*site.Resolver{plain, site.NewCached(l.list, 0), site.NewCached(l.list, 1)} {
			for pass := range 2 {
				for _, a := range origins {
					for _, b := range origins {
						ra, okA := plain.RegistrableDomain(a.Host())
						rb, okB := plain.RegistrableDomain(b.Host())
						want := a.Host() == b.Host() || okA && okB && ra == rb
						if got := r.SchemelesslySameSite(a, b); got != want {
							t.Errorf("%s, pass %d: SchemelesslySameSite(%v, %v) = %v, want %v", l.name, pass, a, b, got, want)
						}
						if got := r.SameSiteHosts(a.Host(), b.Host()); got != want {
							t.Errorf("%s, pass %d: SameSiteHosts(%q, %q) = %v, want %v", l.name, pass, a.Host(), b.Host(), got, want)
						}
					}
				}
			}
		}
	}
}

// SameSiteHosts has no answer for hosts that no tuple origin has.
func TestSameSiteHostsEmpty(t *testing.T) {
	t.Parallel()
	r := site.NewCached(nil, 0)
	for _, p := range [][2]string{{"", ""}, {"", "example.com"}, {"example.com", ""}} {
		if r.SameSiteHosts(p[0], p[1]) {
			t.Errorf("SameSiteHosts(%q, %q) = true, want false", p[0], p[1])
		}
	}
}

// fakeList is a PublicSuffixList that answers suffix for every domain.
type fakeList struct{ suffix func(domain string) string }

func (l fakeList) PublicSuffix(d string) string { return l.suffix(d) }
func (l fakeList) String() string               { return "fake" }

// TestBrokenList checks that a list answering with something other than the
// domain or a suffix of it starting after a '.' gives no public suffix and
// no registrable domain, so distinct hosts are never same site on it.
func TestBrokenList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		suffix func(string) string
	}{
		{"empty", func(string) string { return "" }},
		{"not at a label boundary", func(d string) string { return d[len(d)-2:] }},
		{"leading dot", func(string) string { return ".com" }},
		{"trailing dot", func(string) string { return "com." }},
		{"longer than the domain", func(d string) string { return "www." + d }},
		{"unrelated", func(string) string { return "example.org" }},
		{"other case", func(string) string { return "COM" }},
	}
	a := origin.MustParse("https://www.example.com")
	b := origin.MustParse("https://cdn.example.com")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := site.New(fakeList{tc.suffix})
			for _, h := range []string{"www.example.com", "example.com", "www.example.com."} {
				if s, ok := r.PublicSuffix(h); ok {
					t.Errorf("PublicSuffix(%q) = %q, true; want false", h, s)
				}
				if rd, ok := r.RegistrableDomain(h); ok {
					t.Errorf("RegistrableDomain(%q) = %q, true; want false", h, rd)
				}
			}
			if r.SchemelesslySameSite(a, b) || r.SameSite(a, b) {
				t.Errorf("%v and %v are same site on a broken list", a, b)
			}
			// HTML, schemelessly same site, step 2.2: an identical host
			// with no registrable domain is still same site.
			if !r.SameSite(a, a) {
				t.Errorf("%v is not same site with itself on a broken list", a)
			}
		})
	}
}

// TestListAnswersItself checks a list that says every domain is a public
// suffix: valid, and no host then has a registrable domain.
func TestListAnswersItself(t *testing.T) {
	t.Parallel()
	r := site.New(fakeList{func(d string) string { return d }})
	for host, want := range map[string]string{
		"www.example.com":  "www.example.com",
		"www.example.com.": "www.example.com.",
	} {
		if got, ok := r.PublicSuffix(host); !ok || got != want {
			t.Errorf("PublicSuffix(%q) = %q, %v; want %q, true", host, got, ok, want)
		}
		if rd, ok := r.RegistrableDomain(host); ok {
			t.Errorf("RegistrableDomain(%q) = %q, true; want false", host, rd)
		}
	}
}

// recordingList wraps x/net's list and records every domain it is asked.
type recordingList struct {
	mu    sync.Mutex
	calls []string
}

func (l *recordingList) PublicSuffix(d string) string {
	l.mu.Lock()
	l.calls = append(l.calls, d)
	l.mu.Unlock()
	return publicsuffix.List.PublicSuffix(d)
}

func (l *recordingList) String() string { return "recording" }

// TestListContract checks the promise PublicSuffixList's documentation
// makes to implementations: a non-empty lowercase ASCII domain, no trailing
// dot, no empty last label, never an IP address.
func TestListContract(t *testing.T) {
	t.Parallel()
	l := &recordingList{}
	r := site.New(l)
	for _, tc := range hostCases {
		r.PublicSuffix(tc.host)
		r.RegistrableDomain(tc.host)
	}
	for _, tc := range sameSiteCases {
		a, b := mustFromURL(t, tc.a), mustFromURL(t, tc.b)
		r.SameSite(a, b)
		r.SchemelesslySameSite(a, b)
	}
	if len(l.calls) == 0 {
		t.Fatal("the list was never called")
	}
	for _, d := range l.calls {
		switch {
		case d == "":
			t.Errorf("called with an empty domain")
		case strings.HasSuffix(d, "."):
			t.Errorf("called with %q: trailing dot or empty last label", d)
		case strings.ToLower(d) != d:
			t.Errorf("called with %q: not lowercase", d)
		case strings.ContainsFunc(d, func(r rune) bool { return r > 0x7f }):
			t.Errorf("called with %q: not ASCII", d)
		case strings.HasPrefix(d, "["):
			t.Errorf("called with IPv6 address %q", d)
		}
		if _, err := netip.ParseAddr(d); err == nil {
			t.Errorf("called with IP address %q", d)
		}
	}
}

// TestConcurrent runs the resolver from several goroutines, for the race
// detector: a Resolver is documented as safe for concurrent use.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	a := origin.MustParse("https://www.example.co.uk")
	b := origin.MustParse("https://cdn.example.co.uk")
	l := &recordingList{}
	rs := []*site.Resolver{site.Default(), site.New(l)}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				for _, r := range rs {
					if !r.SameSite(a, b) {
						t.Error("SameSite = false")
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func mustFromURL(t testing.TB, u string) origin.Origin {
	t.Helper()
	o, err := origin.FromURL(u)
	if err != nil {
		t.Fatalf("FromURL(%q): %v", u, err)
	}
	return o
}

var (
	sinkBool   bool
	sinkString string
)

// TestNoAllocs checks that the decision path allocates nothing of its own
// on origins parsed beforehand. x/net's publicsuffix.PublicSuffix allocates
// once per call (its netip.ParseAddr check builds an error that escapes), so
// the cases on the default list allow one allocation per list lookup; on a
// parsed List, which does not allocate, and on a cached Resolver once warm,
// the whole path must not. Not parallel: AllocsPerRun must not run in
// parallel tests.
func TestNoAllocs(t *testing.T) {
	a := origin.MustParse("https://www.example.co.uk")
	b := origin.MustParse("https://cdn.example.co.uk:8443")
	c := origin.MustParse("https://a.github.io")
	d := origin.MustParse("https://www.other.co.uk")
	ip := origin.MustParse("http://192.0.2.1")
	parsed := site.New(mustParseList(t, "testPSL", testPSL))
	def := site.Default()
	cached := site.NewCached(nil, 0) // x/net's list; AllocsPerRun's first run warms it
	tests := []struct {
		name string
		max  float64 // allocations allowed per run
		f    func()
	}{
		// Our code on a list that does not allocate: nothing at all.
		{"parsed list/SchemelesslySameSite, same site, different hosts", 0, func() { sinkBool = parsed.SchemelesslySameSite(a, b) }},
		{"parsed list/SameSite, same site, different hosts", 0, func() { sinkBool = parsed.SameSite(a, b) }},
		{"parsed list/SameSite, cross site", 0, func() { sinkBool = parsed.SameSite(a, c) }},
		{"parsed list/RegistrableDomain", 0, func() { sinkString, sinkBool = parsed.RegistrableDomain("www.example.co.uk") }},
		{"parsed list/RegistrableDomain, trailing dot", 0, func() { sinkString, sinkBool = parsed.RegistrableDomain("www.example.co.uk.") }},
		{"parsed list/List.PublicSuffix", 0, func() { sinkString = parsed.List().PublicSuffix("www.example.co.uk") }},
		// No list lookup: identical hosts, IP hosts, hosts sharing under
		// two labels.
		{"default list/SameSite, same host", 0, func() { sinkBool = def.SameSite(b, b) }},
		{"default list/SameSite, ip host", 0, func() { sinkBool = def.SameSite(ip, a) }},
		{"default list/SameSite, cross site, no common labels", 0, func() { sinkBool = def.SameSite(a, c) }},
		// One x/net lookup per host.
		{"default list/publicsuffix.List.PublicSuffix", 1, func() { sinkString = publicsuffix.List.PublicSuffix("www.example.co.uk") }},
		{"default list/RegistrableDomain", 1, func() { sinkString, sinkBool = site.RegistrableDomain("www.example.co.uk") }},
		{"default list/SchemelesslySameSite, same site, different hosts", 2, func() { sinkBool = site.SchemelesslySameSite(a, b) }},
		{"default list/SameSite, same site, different hosts", 2, func() { sinkBool = site.SameSite(a, b) }},
		{"default list/SameSite, cross site, common public suffix", 2, func() { sinkBool = site.SameSite(a, d) }},
		// The same on a cached Resolver, warm: no lookup, no allocation.
		{"cached/RegistrableDomain", 0, func() { sinkString, sinkBool = cached.RegistrableDomain("www.example.co.uk") }},
		{"cached/RegistrableDomain, trailing dot", 0, func() { sinkString, sinkBool = cached.RegistrableDomain("www.example.co.uk.") }},
		{"cached/PublicSuffix", 0, func() { sinkString, sinkBool = cached.PublicSuffix("x.a.github.io") }},
		{"cached/SchemelesslySameSite, same site, different hosts", 0, func() { sinkBool = cached.SchemelesslySameSite(a, b) }},
		{"cached/SameSite, same site, different hosts", 0, func() { sinkBool = cached.SameSite(a, b) }},
		{"cached/SameSite, cross site, common public suffix", 0, func() { sinkBool = cached.SameSite(a, d) }},
		{"cached/SameSite, ip host", 0, func() { sinkBool = cached.SameSite(ip, a) }},
	}
	for _, tc := range tests {
		n := testing.AllocsPerRun(1000, tc.f)
		if n > tc.max {
			t.Errorf("%s: %v allocations per run, want at most %v", tc.name, n, tc.max)
		}
		t.Logf("%s: %v allocations per run", tc.name, n)
	}
}

func BenchmarkRegistrableDomain(b *testing.B) {
	r := site.Default()
	long := strings.Repeat("a.", 120) + "example.co.uk"
	for _, bc := range []struct{ name, host string }{
		{"short", "example.com"},
		{"deep", "a.b.c.www.example.co.uk"},
		{"private", "x.a.github.io"},
		{"wildcard", "b.a.foo.ck"},
		{"unlisted", "a.localhost"},
		{"trailing dot", "www.example.com."},
		{"ipv4", "192.0.2.1"},
		{"ipv6", "[2001:db8::1]"},
		{"adversarial/many labels", long},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkString, sinkBool = r.RegistrableDomain(bc.host)
			}
		})
	}
}

func BenchmarkSameSite(b *testing.B) {
	r := site.Default()
	for _, bc := range []struct {
		name string
		a, b string
	}{
		{"same host", "https://www.example.co.uk", "https://www.example.co.uk:8443"},
		{"same site", "https://www.example.co.uk", "https://cdn.example.co.uk"},
		{"cross site/common public suffix", "https://www.example.co.uk", "https://www.other.co.uk"},
		{"cross site/no common labels", "https://www.example.co.uk", "https://www.example.com"},
		{"cross scheme", "http://www.example.co.uk", "https://cdn.example.co.uk"},
		{"ip", "http://192.0.2.1", "http://192.0.2.2"},
		{"adversarial/many labels", "https://" + strings.Repeat("a.", 120) + "example.com", "https://" + strings.Repeat("b.", 120) + "example.com"},
	} {
		x, y := mustFromURL(b, bc.a), mustFromURL(b, bc.b)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkBool = r.SameSite(x, y)
			}
		})
	}
	op := origin.NewOpaque()
	b.Run("opaque", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkBool = r.SameSite(op, op)
		}
	})
}
