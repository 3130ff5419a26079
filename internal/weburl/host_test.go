package weburl

import (
	"errors"
	"strings"
	"testing"
)

// Expectations come from the URL standard's host parser
// (https://url.spec.whatwg.org/#host-parsing) and from the facts recorded in
// web-platform-tests url/resources/urltestdata.json and toascii.json; the
// table is ours. An empty want means the host parser returns failure.
var hostTests = []struct {
	name string
	in   string
	want string
}{
	// ASCII domains: the domain to ASCII fast path only lowercases.
	{name: "lowercase domain", in: "example.com", want: "example.com"},
	{name: "uppercase domain", in: "EXAMPLE.COM", want: "example.com"},
	{name: "mixed case domain", in: "ExAmPlE.CoM", want: "example.com"},
	{name: "single label", in: "localhost", want: "localhost"},
	{name: "trailing dot kept", in: "example.com.", want: "example.com."},
	{name: "empty label kept", in: "a..b", want: "a..b"},
	{name: "leading empty label kept", in: ".example", want: ".example"},
	{name: "lone dot", in: ".", want: "."},
	{name: "two dots", in: "..", want: ".."},
	{name: "underscore allowed", in: "a_b.example.com", want: "a_b.example.com"},
	{name: "hyphens in third and fourth position", in: "aa--", want: "aa--"},
	{name: "leading hyphen", in: "-x", want: "-x"},
	{name: "trailing hyphen", in: "x-", want: "x-"},
	{name: "label longer than 63", in: "x01234567890123456789012345678901234567890123456789012345678901x", want: "x01234567890123456789012345678901234567890123456789012345678901x"},
	{name: "digit-led label not last", in: "1.example", want: "1.example"},
	{name: "ASCII punctuation that is not forbidden", in: "!\"$&'()*+,-.;=_`{}~", want: "!\"$&'()*+,-.;=_`{}~"},
	{name: "percent-encoded letter decoded", in: "%41.com", want: "a.com"},

	// IDNA: UTS 46 ToASCII, nontransitional, CheckBidi and CheckJoiners on.
	{name: "u umlaut", in: "bücher.example", want: "xn--bcher-kva.example"},
	{name: "uppercase U umlaut", in: "BÜCHER.example", want: "xn--bcher-kva.example"},
	{name: "sharp s nontransitional", in: "faß.de", want: "xn--fa-hia.de"},
	{name: "sharp s alone", in: "ß", want: "xn--zca"},
	{name: "fullwidth letters and full stop", in: "ｅｘａｍｐｌｅ．ｃｏｍ", want: "example.com"},
	{name: "ideographic full stop is a dot", in: "example\u3002com", want: "example.com"},
	{name: "halfwidth ideographic full stop is a dot", in: "a\uFF61b", want: "a.b"},
	{name: "soft hyphen ignored", in: "a\u00ADb", want: "ab"},
	{name: "percent-encoded soft hyphen ignored", in: "a%C2%ADb", want: "ab"},
	{name: "only a soft hyphen maps to nothing", in: "\u00AD", want: ""},
	{name: "only a percent-encoded soft hyphen", in: "%C2%AD", want: ""},
	{name: "zero width joiner without virama", in: "a\u200Db.com", want: ""},
	{name: "zero width joiner label", in: "\u200D.example", want: ""},
	{name: "zero width non-joiner without context", in: "a\u200Cb", want: ""},
	{name: "byte order mark kept by decoding, ignored by IDNA", in: "\uFEFFexample.com", want: "example.com"},
	{name: "percent-encoded byte order mark", in: "%EF%BB%BFexample.com", want: "example.com"},
	{name: "IDN with trailing dot", in: "ü.com.", want: "xn--tda.com."},
	{name: "IDN with empty label", in: "x..ß", want: "x..xn--zca"},
	{name: "percent-encoded snowman", in: "%E2%98%83", want: "xn--n3h"},
	{name: "Cyrillic", in: "пример.рф", want: "xn--e1afmkfd.xn--p1ai"},
	{name: "Japanese", in: "例え.テスト", want: "xn--r8jz45g.xn--zckzah"},
	{name: "not-equal sign with STD3 rules off", in: "≠", want: "xn--1ch"},
	{name: "zero width joiner after virama kept (nontransitional)", in: "\u0DC1\u0DCA\u200D\u0DBB\u0DD3", want: "xn--10cl1a0b660p"},
	{name: "Persian zero width non-joiner in context", in: "\u0646\u0627\u0645\u0647\u200C\u0627\u06CC", want: "xn--mgba3gch31f060k"},
	{name: "bidi: RTL label and empty label", in: "\u064A.", want: "xn--mhb."},
	{name: "bidi: RTL and LTR in one label", in: "\u064Aa", want: ""},
	// web-platform-tests toascii.json expects "1.xn--mhb" here, pending
	// whatwg/url#543; UTS 46 CheckBidi (and x/net/idna, ICU, rust-url)
	// reject a digit-led label in a Bidi domain name. We follow UTS 46.
	{name: "bidi: digit-led label in a bidi domain name", in: "1.\u064A", want: ""},
	{name: "bidi: RTL label then number is IPv4 failure", in: "\u064A.1", want: ""},
	{name: "replacement character", in: "\uFFFD.com", want: ""},
	{name: "percent-encoded invalid UTF-8", in: "%C3.com", want: ""},
	{name: "raw invalid UTF-8", in: "a\x80b", want: ""},
	{name: "fullwidth percent maps to forbidden percent", in: "％４１.com", want: ""},
	{name: "percent-encoded fullwidth percent", in: "%ef%bc%85%ef%bc%94%ef%bc%91.com", want: ""},
	{name: "fullwidth solidus maps to forbidden slash", in: "a\uFF0Fb", want: ""},
	{name: "fullwidth IPv4", in: "０Ｘｃ０．０２５０．０１", want: "192.168.0.1"},

	// Punycode labels.
	{name: "valid punycode", in: "xn--zca", want: "xn--zca"},
	{name: "uppercase punycode", in: "XN--ZCA.COM", want: "xn--zca.com"},
	{name: "punycode and Unicode mixed", in: "xn--zca.ß", want: "xn--zca.xn--zca"},
	// An ASCII domain is only lowercased, whatever Unicode ToASCII would
	// make of its "xn--" labels (URL standard, domain to ASCII with
	// beStrict false, since whatwg/url "Add Unicode ToASCII fallback for
	// ASCII domains", 2026; WPT url/resources/toascii.json). Before, each
	// of these was failure.
	{name: "invalid punycode xn--a", in: "xn--a", want: "xn--a"},
	{name: "invalid punycode then valid label", in: "xn--a.xn--zca", want: "xn--a.xn--zca"},
	{name: "invalid punycode digit", in: "xn--ls8h=", want: "xn--ls8h="},
	{name: "empty punycode label", in: "xn--", want: "xn--"},
	{name: "empty punycode label before a label", in: "XN--.example", want: "xn--.example"},
	{name: "empty punycode label last", in: "a.xn--", want: "a.xn--"},
	{name: "punycode of ASCII only", in: "xn--a-", want: "xn--a-"},
	{name: "punycode decoding to an xn-- label", in: "xn--xn--a--gua.pt", want: "xn--xn--a--gua.pt"},
	{name: "punycode of a zero width joiner", in: "xn--1ug.example", want: "xn--1ug.example"},
	{name: "punycode of the replacement character", in: "xn--zn7c.com", want: "xn--zn7c.com"},
	{name: "punycode failing bidi", in: "xn--a-yoc", want: "xn--a-yoc"},
	{name: "punycode decoding to mapped code points", in: "xn--8i7caa.famitei.net", want: "xn--8i7caa.famitei.net"},
	{name: "ASCII punycode with a forbidden code point", in: "xn--a%25", want: ""},
	// A domain that is not ASCII still goes through Unicode ToASCII,
	// which fails on a label that does not decode.
	{name: "punycode with non-ASCII", in: "xn--tešla", want: ""},
	{name: "invalid punycode beside Unicode", in: "xn--a.ß", want: ""},
	{name: "empty punycode label beside Unicode", in: "xn--.ü", want: ""},
	{name: "empty punycode label in fullwidth", in: "ｘｎ－－.example", want: ""},
	{name: "empty punycode label with ignored code point", in: "xn\u00AD--.example", want: ""},

	// Forbidden domain code points.
	{name: "empty", in: "", want: ""},
	{name: "space", in: "a b", want: ""},
	{name: "less-than", in: "a<b", want: ""},
	{name: "greater-than", in: "a>b", want: ""},
	{name: "caret", in: "a^b", want: ""},
	{name: "vertical bar", in: "a|b", want: ""},
	{name: "raw percent", in: "a%b", want: ""},
	{name: "percent with bad hex", in: "a%zz", want: ""},
	{name: "lone percent", in: "%", want: ""},
	{name: "percent-encoded slash", in: "a%2Fb", want: ""},
	{name: "percent-encoded NUL", in: "%00", want: ""},
	{name: "percent-encoded space", in: "a%20b", want: ""},
	{name: "percent-encoded brackets are not IPv6", in: "%5B::1%5D", want: ""},
	{name: "NUL", in: "a\x00b", want: ""},
	{name: "C0 control", in: "a\x01b", want: ""},
	{name: "DEL", in: "a\x7fb", want: ""},
	{name: "number sign", in: "a#b", want: ""},
	{name: "colon", in: "a:b", want: ""},
	{name: "at sign", in: "a@b", want: ""},
	{name: "backslash", in: "a\\b", want: ""},
	{name: "bracket inside", in: "a[b", want: ""},
	{name: "closing bracket", in: "a]b", want: ""},
	{name: "IPv6 without brackets", in: "::1", want: ""},

	// IPv4: a domain whose last label is a number.
	{name: "IPv4 dotted decimal", in: "192.168.0.1", want: "192.168.0.1"},
	{name: "IPv4 hex part", in: "0x7f.1", want: "127.0.0.1"},
	{name: "IPv4 uppercase hex", in: "0X7F.1", want: "127.0.0.1"},
	{name: "IPv4 octal part", in: "0177.0.0.1", want: "127.0.0.1"},
	{name: "IPv4 single number", in: "2130706433", want: "127.0.0.1"},
	{name: "IPv4 two parts", in: "127.1", want: "127.0.0.1"},
	{name: "IPv4 three parts", in: "127.0.1", want: "127.0.0.1"},
	{name: "IPv4 mixed forms", in: "0xc0.0250.01", want: "192.168.0.1"},
	{name: "IPv4 trailing dot", in: "1.2.3.4.", want: "1.2.3.4"},
	{name: "IPv4 two trailing dots is a domain", in: "1.2.3.4..", want: "1.2.3.4.."},
	{name: "IPv4 percent-encoded digits", in: "%31%32%37.0.0.1", want: "127.0.0.1"},
	{name: "IPv4 hex with leading zeros", in: "0x000000000000007f.1", want: "127.0.0.1"},
	{name: "IPv4 octal zeros", in: "00000.0.0.1", want: "0.0.0.1"},
	{name: "IPv4 last part fills two bytes", in: "1.2.65535", want: "1.2.255.255"},
	{name: "IPv4 last part fills three bytes", in: "1.16777215", want: "1.255.255.255"},
	{name: "IPv4 largest number", in: "4294967295", want: "255.255.255.255"},
	{name: "IPv4 largest hex", in: "0XFFFFFFFF", want: "255.255.255.255"},
	{name: "IPv4 number too large", in: "4294967296", want: ""},
	{name: "IPv4 huge number", in: "999999999999999999999999", want: ""},
	{name: "IPv4 part out of range", in: "256.0.0.1", want: ""},
	{name: "IPv4 last part out of range", in: "1.2.3.256", want: ""},
	{name: "IPv4 last part too large for two bytes", in: "1.2.65536", want: ""},
	{name: "IPv4 five parts", in: "1.2.3.4.5", want: ""},
	{name: "IPv4 empty part", in: "1..2", want: ""},
	{name: "IPv4 9 in octal", in: "1.2.3.09", want: ""},
	{name: "IPv4 lone 09", in: "09", want: ""},
	{name: "domain ending in 09", in: "foo.09", want: ""},
	{name: "domain ending in a number", in: "example.1", want: ""},
	{name: "bare 0x is zero", in: "0x", want: "0.0.0.0"},
	{name: "bare 0x with trailing dot", in: "0x.", want: "0.0.0.0"},
	{name: "domain ending in 0x", in: "foo.0x", want: ""},
	{name: "0x then non-hex is a domain", in: "0xg", want: "0xg"},

	// IPv6.
	{name: "IPv6 loopback", in: "[::1]", want: "[::1]"},
	{name: "IPv6 unspecified", in: "[::]", want: "[::]"},
	{name: "IPv6 full form", in: "[1:2:3:4:5:6:7:8]", want: "[1:2:3:4:5:6:7:8]"},
	{name: "IPv6 leading zeros dropped", in: "[0001:0002::0003]", want: "[1:2::3]"},
	{name: "IPv6 uppercase hex", in: "[::FFFF:ABCD]", want: "[::ffff:abcd]"},
	{name: "IPv6 all zeros spelled out", in: "[0:0:0:0:0:0:0:0]", want: "[::]"},
	{name: "IPv6 first of two longest runs", in: "[1:0:0:2:0:0:3:4]", want: "[1::2:0:0:3:4]"},
	{name: "IPv6 longest run wins", in: "[1:0:0:2:0:0:0:3]", want: "[1:0:0:2::3]"},
	{name: "IPv6 single zero not compressed", in: "[1:0:2:3:4:5:6:7]", want: "[1:0:2:3:4:5:6:7]"},
	{name: "IPv6 compression of one trailing zero undone", in: "[1:2:3:4:5:6:7::]", want: "[1:2:3:4:5:6:7:0]"},
	{name: "IPv6 compression of one leading zero undone", in: "[::1:2:3:4:5:6:7]", want: "[0:1:2:3:4:5:6:7]"},
	{name: "IPv6 run at the end", in: "[1:2:0:0:0:0:0:0]", want: "[1:2::]"},
	{name: "IPv6 embedded IPv4", in: "[::ffff:1.2.3.4]", want: "[::ffff:102:304]"},
	{name: "IPv6 embedded IPv4 loopback", in: "[::127.0.0.1]", want: "[::7f00:1]"},
	{name: "IPv6 embedded IPv4 after six pieces", in: "[1:2:3:4:5:6:1.2.3.4]", want: "[1:2:3:4:5:6:102:304]"},
	{name: "IPv6 three colons", in: "[:::]", want: ""},
	{name: "IPv6 nine pieces", in: "[1:2:3:4:5:6:7:8:9]", want: ""},
	{name: "IPv6 seven pieces", in: "[1:2:3:4:5:6:7]", want: ""},
	{name: "IPv6 two compressions", in: "[1::2::3]", want: ""},
	{name: "IPv6 lone leading colon", in: "[:1]", want: ""},
	{name: "IPv6 lone trailing colon", in: "[1:]", want: ""},
	{name: "IPv6 five hex digits", in: "[12345::]", want: ""},
	{name: "IPv6 empty brackets", in: "[]", want: ""},
	{name: "IPv6 unclosed bracket", in: "[::1", want: ""},
	{name: "IPv6 text after bracket", in: "[::1]x", want: ""},
	{name: "IPv6 embedded IPv4 with trailing dot", in: "[::1.2.3.]", want: ""},
	{name: "IPv6 embedded IPv4 with three parts", in: "[::1.2.3]", want: ""},
	{name: "IPv6 embedded IPv4 with five parts", in: "[::1.2.3.4.5]", want: ""},
	{name: "IPv6 embedded IPv4 with leading zero", in: "[::1.2.3.04]", want: ""},
	{name: "IPv6 embedded IPv4 part out of range", in: "[::1.2.3.256]", want: ""},
	{name: "IPv6 embedded IPv4 too late", in: "[1:2:3:4:5:6:7:1.2.3.4]", want: ""},
	{name: "IPv6 embedded IPv4 with a letter", in: "[::1.2.3.x]", want: ""},
	{name: "IPv6 embedded IPv4 with empty first part", in: "[::.1.2.3]", want: ""},
	{name: "IPv6 zone identifier", in: "[fe80::1%25eth0]", want: ""},
	{name: "IPv6 raw zone identifier", in: "[::1%eth0]", want: ""},
	{name: "IPv6 invalid character", in: "[::g]", want: ""},
}

func TestParseHost(t *testing.T) {
	t.Parallel()
	for _, tt := range hostTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseHost(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParseHost(%q) = %q, want failure", tt.in, got)
				}
				var he *HostError
				if !errors.As(err, &he) || he.Host != tt.in {
					t.Fatalf("ParseHost(%q) error = %#v, want a *HostError for the input", tt.in, err)
				}
				if got != "" {
					t.Errorf("ParseHost(%q) = %q with an error, want \"\"", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseHost(%q) failed: %v, want %q", tt.in, err, tt.want)
			}
			if got != tt.want {
				t.Fatalf("ParseHost(%q) = %q, want %q", tt.in, got, tt.want)
			}
			// A serialized host is a fixed point of the host parser.
			if again, err := ParseHost(got); err != nil || again != got {
				t.Errorf("ParseHost(%q) = %q, %v; want it unchanged", got, again, err)
			}
		})
	}
}

// TestParseHostLongLabels checks the limit on labels that need Punycode:
// without it, a host could serialize to a form x/net/idna cannot decode.
func TestParseHostLongLabels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{name: "ASCII label of 5000 code points", in: strings.Repeat("a", 5000), ok: true},
		{name: "IDN label of 1000 code points", in: "ü" + strings.Repeat("a", 999), ok: true},
		{name: "IDN label of 1001 code points", in: "ü" + strings.Repeat("a", 1000), ok: false},
		{name: "IDN label of 1000 non-ASCII code points", in: strings.Repeat("ü", 1000), ok: true},
		{name: "IDN label of 1001 non-ASCII code points", in: strings.Repeat("ü", 1001), ok: false},
		{name: "IDN label of 4000 code points", in: "ü" + strings.Repeat("z", 3999), ok: false},
		{name: "many short IDN labels", in: strings.Repeat("ü.", 2000) + "example", ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseHost(tt.in)
			if !tt.ok {
				if err == nil {
					t.Fatalf("ParseHost succeeded with a label of %d bytes", len(got))
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseHost failed: %v", err)
			}
			if again, err := ParseHost(got); err != nil || again != got {
				t.Errorf("ParseHost of the serialized host = %.40q..., %v; want it unchanged", again, err)
			}
		})
	}
}

func TestHostErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := ParseHost("a<b")
	if err == nil {
		t.Fatal("ParseHost(\"a<b\") succeeded")
	}
	const want = `invalid host "a<b": forbidden domain code point "<"`
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	_, err = ParseHost(strings.Repeat("a", 100) + "<")
	if msg := err.Error(); !strings.Contains(msg, `..."`) || len(msg) > 120 {
		t.Errorf("long input not shortened in %q", msg)
	}
}

var sinkString string

func TestParseHostNoAllocs(t *testing.T) {
	// Canonical hosts come back as the input string itself.
	for _, in := range []string{"example.com", "a_b.example.com.", "192.168.0.1", "[::1]", "[2001:db8::1]"} {
		allocs := testing.AllocsPerRun(100, func() {
			sinkString, _ = ParseHost(in)
		})
		if allocs != 0 {
			t.Errorf("ParseHost(%q) allocated %v times, want 0", in, allocs)
		}
	}
}

func BenchmarkParseHost(b *testing.B) {
	benches := []struct {
		name string
		in   string
	}{
		{"canonical", "www.example.com"},
		{"uppercase", "WWW.EXAMPLE.COM"},
		{"IDN", "bücher.example"},
		{"punycode", "xn--bcher-kva.example"},
		{"IPv4", "192.168.0.1"},
		{"IPv4 hex", "0xc0.0xa8.0.1"},
		{"IPv6", "[2001:db8::1]"},
		{"IPv6 long form", "[2001:0DB8:0000:0000:0000:0000:0000:0001]"},
		{"long label", strings.Repeat("a", 1<<16)},
		{"many empty labels", strings.Repeat(".", 1<<16)},
		{"many percent escapes", strings.Repeat("%61", 1<<14)},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkString, _ = ParseHost(bb.in)
			}
		})
	}
}
