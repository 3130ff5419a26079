package site_test

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"

	"github.com/xorigin/xorigin/site"
)

// testPSL holds lines copied from publicsuffix.org's public_suffix_list.dat:
// every rule that decides the hosts of TestParseListMatchesXNet on the full
// list, so a List parsed from it must agree with x/net's embedded copy there.
const testPSL = `// This Source Code Form is subject to the terms of the Mozilla Public
// License, v. 2.0. If a copy of the MPL was not distributed with this
// file, You can obtain one at https://mozilla.org/MPL/2.0/.

// ===BEGIN ICANN DOMAINS===

// ck : https://www.iana.org/domains/root/db/ck.html
*.ck
!www.ck

// cn : https://www.iana.org/domains/root/db/cn.html
// Submitted by registry <tanyaling@cnnic.cn>
cn
com.cn
公司.cn
网络.cn

// com : https://www.iana.org/domains/root/db/com.html
com

// io : https://www.iana.org/domains/root/db/io.html
io
com.io
mil.io

// jp : https://www.iana.org/domains/root/db/jp.html
jp
ac.jp
co.jp
*.kawasaki.jp
!city.kawasaki.jp

// net : https://www.iana.org/domains/root/db/net.html
net

// org : https://www.iana.org/domains/root/db/org.html
org

// uk : https://www.iana.org/domains/root/db/uk.html
uk
co.uk
org.uk
*.sch.uk

// xn--p1ai ("rf", Russian-Cyrillic) : RU
рф

// xn--fiqs8s ("Zhongguo/China", Chinese, Simplified) : CN
中国

// ===END ICANN DOMAINS===
// ===BEGIN PRIVATE DOMAINS===

// GitHub, Inc.
githubusercontent.com
github.io

// Google, Inc.
appspot.com
blogspot.com

// ===END PRIVATE DOMAINS===
`

func mustParseList(t testing.TB, name, text string) *site.List {
	t.Helper()
	l, err := site.ParseList(strings.NewReader(text), name)
	if err != nil {
		t.Fatalf("ParseList(%s): %v", name, err)
	}
	return l
}

// TestParseList checks a small list rule by rule.
func TestParseList(t *testing.T) {
	t.Parallel()
	const text = "// A comment.\n" +
		"   // An indented comment.\n" +
		"\n" +
		"com\n" +
		"*.ck\n" +
		"!www.ck\n" +
		"jp\n" +
		"*.kawasaki.jp\n" +
		"!city.kawasaki.jp\n" +
		"cn\n" +
		"公司.cn\n" +
		"org only-the-first-token-counts\n" +
		"\tio\t// a rule with white space around it\n" +
		"\r\n" +
		"net\r\n"
	l := mustParseList(t, "small.dat", text)
	if got := l.String(); got != "small.dat" {
		t.Errorf("String() = %q, want %q", got, "small.dat")
	}
	tests := []struct {
		name, domain, want string
	}{
		{"normal rule/itself", "com", "com"},
		{"normal rule/one label", "example.com", "com"},
		{"normal rule/labels", "a.b.example.com", "com"},
		{"wildcard/bare parent is the implicit rule", "ck", "ck"},
		{"wildcard/matches one label", "foo.ck", "foo.ck"},
		{"wildcard/below", "a.foo.ck", "foo.ck"},
		{"exception/itself", "www.ck", "ck"},
		{"exception/below", "a.www.ck", "ck"},
		{"wildcard under normal rule/parent", "kawasaki.jp", "jp"},
		{"wildcard under normal rule/match", "foo.kawasaki.jp", "foo.kawasaki.jp"},
		{"wildcard under normal rule/below", "a.foo.kawasaki.jp", "foo.kawasaki.jp"},
		{"exception under normal rule/itself", "city.kawasaki.jp", "kawasaki.jp"},
		{"exception under normal rule/below", "a.city.kawasaki.jp", "kawasaki.jp"},
		{"idn rule/itself", "xn--55qx5d.cn", "xn--55qx5d.cn"},
		{"idn rule/below", "a.xn--55qx5d.cn", "xn--55qx5d.cn"},
		{"idn rule/parent", "a.cn", "cn"},
		{"first token of a line", "example.org", "org"},
		{"rule between tabs", "example.io", "io"},
		{"rule before CRLF", "example.net", "net"},
		{"implicit rule/tld", "unlisted", "unlisted"},
		{"implicit rule/below", "a.b.unlisted", "unlisted"},
		{"implicit rule/longer listed tld is no match", "example.xcom", "xcom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := l.PublicSuffix(tc.domain); got != tc.want {
				t.Errorf("PublicSuffix(%q) = %q, want %q", tc.domain, got, tc.want)
			}
		})
	}
}

// TestParseListMatchesXNet is a differential test: on hosts whose answer
// depends only on the rules of testPSL, a List built from those lines and
// x/net's embedded list give the same registrable domain and public suffix.
func TestParseListMatchesXNet(t *testing.T) {
	t.Parallel()
	ours := site.New(mustParseList(t, "testPSL", testPSL))
	theirs := site.New(publicsuffix.List)
	hosts := []string{
		"com", "example.com", "www.example.com", "a.b.c.example.com",
		"example.org", "www.example.net",
		"uk", "co.uk", "example.co.uk", "www.example.co.uk", "example.org.uk", "example.uk",
		"sch.uk", "b.sch.uk", "a.b.sch.uk", "c.a.b.sch.uk",
		"ck", "foo.ck", "a.foo.ck", "www.ck", "a.www.ck",
		"jp", "kawasaki.jp", "foo.kawasaki.jp", "a.foo.kawasaki.jp", "city.kawasaki.jp",
		"a.city.kawasaki.jp", "example.jp", "example.co.jp", "www.example.ac.jp",
		"cn", "example.cn", "example.com.cn", "xn--55qx5d.cn", "a.xn--55qx5d.cn", "b.a.xn--io0a7i.cn",
		"xn--p1ai", "xn--e1afmkfd.xn--p1ai", "xn--fiqs8s", "www.example.xn--fiqs8s",
		"io", "example.io", "a.mil.io", "com.io", "x.example.com.io",
		"github.io", "a.github.io", "x.a.github.io",
		"githubusercontent.com", "raw.githubusercontent.com", "x.raw.githubusercontent.com",
		"example.appspot.com", "www.example.blogspot.com",
		"test", "a.test", "localhost", "a.b.localhost", "example", "xn--kgbechtv",
		"example.com.", "a.foo.ck.", "example..com", "a..example.co.uk",
		"192.0.2.1", "[2001:db8::1]",
	}
	for _, h := range hosts {
		gotRD, gotOK := ours.RegistrableDomain(h)
		wantRD, wantOK := theirs.RegistrableDomain(h)
		if gotRD != wantRD || gotOK != wantOK {
			t.Errorf("RegistrableDomain(%q) = %q, %v on the parsed list; %q, %v on x/net's", h, gotRD, gotOK, wantRD, wantOK)
		}
		gotPS, gotOK := ours.PublicSuffix(h)
		wantPS, wantOK := theirs.PublicSuffix(h)
		if gotPS != wantPS || gotOK != wantOK {
			t.Errorf("PublicSuffix(%q) = %q, %v on the parsed list; %q, %v on x/net's", h, gotPS, gotOK, wantPS, wantOK)
		}
	}
}

func TestParseListErrors(t *testing.T) {
	t.Parallel()
	const head = "// A list.\ncom\n" // the bad line is line 3
	tests := []struct {
		name string
		text string
		line int
		msg  string // a substring of the message
	}{
		{"two wildcards", head + "*.*.ck\n", 3, "malformed rule"},
		{"inner wildcard", head + "foo.*.ck\n", 3, "malformed rule"},
		{"bare wildcard", head + "*\n", 3, "malformed rule"},
		{"wildcard without a rule", head + "*.\n", 3, "malformed rule"},
		{"exception without a rule", head + "!\n", 3, "malformed rule"},
		{"exception of a wildcard", head + "!*.ck\n", 3, "malformed rule"},
		{"leading dot", head + ".com\n", 3, "malformed rule"},
		{"trailing dot", head + "com.\n", 3, "malformed rule"},
		{"empty label", head + "a..com\n", 3, "malformed rule"},
		{"bad punycode", head + "xn--a.com\n", 3, "xn--a.com"},
		{"bad line after good ones", head + "org\nnet\n// x\n*.*\n", 6, "malformed rule"},
		{"line too long", head + strings.Repeat("a", 1<<20+1) + "\n", 3, "too long"},
		{"empty file", "", 0, "no rules"},
		{"comments only", "// a\n// b\n", 2, "no rules"},
		{"exceptions only", "!www.ck\n", 1, "no rules"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, err := site.ParseList(strings.NewReader(tc.text), "bad.dat")
			if err == nil {
				t.Fatalf("ParseList = %v, nil; want an error", l)
			}
			if l != nil {
				t.Errorf("ParseList returned a list with error %v", err)
			}
			var le *site.ListError
			if !errors.As(err, &le) {
				t.Fatalf("error %v (%T) is not a *site.ListError", err, err)
			}
			if le.Name != "bad.dat" || le.Line != tc.line || !strings.Contains(le.Msg, tc.msg) {
				t.Errorf("ListError{%q, %d, %q}, want {%q, %d, containing %q}", le.Name, le.Line, le.Msg, "bad.dat", tc.line, tc.msg)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "site: bad.dat:") {
				t.Errorf("Error() = %q, want prefix %q", msg, "site: bad.dat:")
			}
		})
	}
}

func BenchmarkListPublicSuffix(b *testing.B) {
	l := mustParseList(b, "testPSL", testPSL)
	for _, bc := range []struct{ name, domain string }{
		{"short", "example.com"},
		{"deep", "a.b.c.www.example.co.uk"},
		{"exception", "a.city.kawasaki.jp"},
		{"adversarial/many labels", strings.Repeat("a.", 120) + "example.co.uk"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkString = l.PublicSuffix(bc.domain)
			}
		})
	}
}

func BenchmarkParseList(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := site.ParseList(strings.NewReader(testPSL), "testPSL"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWildcardNeedsALabel: a wildcard rule's "*" matches one label, never
// an empty one (Public Suffix List algorithm), on a parsed list and on the
// default list (whose x/net lookup lets it match "").
func TestWildcardNeedsALabel(t *testing.T) {
	l, err := site.ParseList(strings.NewReader("jp\n*.bar.jp\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]string{
		"baz.bar.jp": "baz.bar.jp", "x.baz.bar.jp": "baz.bar.jp",
		"a..bar.jp": "jp", "..bar.jp": "jp", ".bar.jp": "jp",
	} {
		if got := l.PublicSuffix(host); got != want {
			t.Errorf("PublicSuffix(%q) = %q, want %q", host, got, want)
		}
	}
	r := site.New(l)
	for host, want := range map[string]string{".baz.bar.jp": "", "x.baz.bar.jp": "x.baz.bar.jp", "a..bar.jp": "bar.jp"} {
		if got, _ := r.RegistrableDomain(host); got != want {
			t.Errorf("RegistrableDomain(%q) = %q, want %q", host, got, want)
		}
	}
	// kawasaki.jp has "*.kawasaki.jp" on the real list.
	d := site.Default()
	if got, _ := d.RegistrableDomain("a..kawasaki.jp"); got != "kawasaki.jp" {
		t.Errorf("default list: RegistrableDomain(a..kawasaki.jp) = %q, want kawasaki.jp", got)
	}
	if got, _ := d.PublicSuffix("a..kawasaki.jp"); got != "jp" {
		t.Errorf("default list: PublicSuffix(a..kawasaki.jp) = %q, want jp", got)
	}
}
