package origin_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/origin"
)

// fuzzSeeds are inputs at the edges of the parsers, each with the edge it hits.
var fuzzSeeds = []string{
	"https://example.com",                // canonical serialized origin, no allocation
	"https://example.com/path?q#f",       // URL with every part FromURL drops
	"HTTPS://EXAMPLE.COM:443",            // case folding and default port
	"http://example.com:0",               // port 0 is a real port
	"http://example.com:65536",           // port one past the range
	"http://example.com:",                // empty port
	"http://user:pw@a@example.com/",      // last '@' starts the host
	"http:\\\\example.com\\x",            // backslashes in a special URL
	"http:example.com",                   // missing slashes
	" \t\nhttps://exa\tmple.com/\x00",    // trimmed and removed white space
	"https://bücher.example",             // IDNA to punycode
	"https://faß.de",                     // nontransitional sharp s
	"https://ｅｘａｍｐｌｅ。ｃｏｍ",                // fullwidth letters, ideographic full stop
	"https://a\u00ADb\uFEFF.example",     // ignored code points
	"https://xn--.example",               // empty punycode label
	"https://xn--xn--a--gua.pt",          // punycode decoding to an xn-- label
	"https://xn--a.example",              // invalid punycode
	"https://1.\u064A",                   // bidi rule on a digit-led label
	"https://a%2Fb.example",              // percent-encoded forbidden code point
	"https://%E2%98%83",                  // percent-encoded non-ASCII host
	"http://0x7f.1",                      // IPv4 hex form
	"http://0177.0.0.1",                  // IPv4 octal form
	"http://2130706433",                  // IPv4 as one number
	"http://1.2.3.4.",                    // IPv4 with a trailing dot
	"http://foo.09",                      // domain ending in a bad number
	"http://0x",                          // bare 0x is 0.0.0.0
	"http://4294967296",                  // IPv4 one past the range
	"http://[::ffff:1.2.3.4]",            // IPv6 with embedded IPv4
	"http://[1:0:0:2:0:0:3:4]",           // IPv6 compression tie
	"http://[1:0:2:3:4:5:6:7]",           // IPv6 single zero not compressed
	"http://[:::]",                       // bad IPv6
	"http://[fe80::1%25eth0]",            // IPv6 zone identifier
	"http://localhost.",                  // trustworthy name with a trailing dot
	"blob:https://example.com/uuid",      // blob inner origin
	"blob:blob:https://example.com/uuid", // nested blob is opaque
	"data:text/plain,hi",                 // opaque origin
	"file://localhost/etc/passwd",        // file host
	"sc://user@host:99999/",              // bad port in a non-special URL
	"null",                               // serialized opaque origin
	"",                                   // empty input
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	// Every input of the FromURL and Parse tables.
	for _, tt := range fromURLTests {
		f.Add(tt.in)
	}
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	// Found by the fuzzer (testdata/fuzz/FuzzParse/ebbfb0e1e49f8a3a): a
	// 2,908-code-point IDN label encoded, but its Punycode did not decode.
	f.Add("http:ü00000" + strings.Repeat("Z", 2901) + "0")
	f.Fuzz(func(t *testing.T, in string) {
		if u, err := origin.FromURL(in); err == nil {
			checkOrigin(t, "FromURL", in, u)
		} else if u.IsValid() {
			t.Errorf("FromURL(%q) returned a valid origin with error %v", in, err)
		}
		p, err := origin.Parse(in)
		if err != nil {
			if p.IsValid() {
				t.Errorf("Parse(%q) returned a valid origin with error %v", in, err)
			}
			return
		}
		checkOrigin(t, "Parse", in, p)
		// IsSerialization agrees with String, on the serialization and
		// on the input.
		if !p.IsSerialization(p.String()) || p.IsSerialization(in) != (in == p.String()) {
			t.Errorf("Parse(%q) = %v: IsSerialization disagrees with String", in, p)
		}
		if p.IsOpaque() {
			return
		}
		// A serialized origin is also a URL with that origin.
		if u, err := origin.FromURL(in); err != nil || u != p {
			t.Errorf("Parse(%q) = %v but FromURL = %v, %v", in, p, u, err)
		}
	})
}

// checkOrigin checks the invariants of an origin that fn made from in.
func checkOrigin(t *testing.T, fn, in string, o origin.Origin) {
	t.Helper()
	if !o.IsValid() {
		t.Fatalf("%s(%q) succeeded with an invalid origin", fn, in)
	}
	if !o.SameOrigin(o) {
		t.Errorf("%s(%q) = %v is not same origin with itself", fn, in, o)
	}
	s := o.String()
	text, err := o.MarshalText()
	if err != nil || string(text) != s {
		t.Errorf("%s(%q): MarshalText = %q, %v; String = %q", fn, in, text, err, s)
	}
	if b := o.AppendTo([]byte("x")); !bytes.Equal(b, append([]byte("x"), s...)) {
		t.Errorf("%s(%q): AppendTo = %q; String = %q", fn, in, b, s)
	}
	if o.IsOpaque() {
		if s != "null" {
			t.Errorf("%s(%q): opaque origin serializes to %q", fn, in, s)
		}
		return
	}
	// A tuple origin's serialization parses back to the same origin.
	back, err := origin.Parse(s)
	if err != nil {
		t.Fatalf("%s(%q) = %q, which Parse rejects: %v", fn, in, s, err)
	}
	if back != o || !back.SameOrigin(o) {
		t.Errorf("%s(%q) = %q, which parses back to %q", fn, in, s, back)
	}
}
