package weburl

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseHost checks properties of host canonicalization, not only that
// it does not panic: a canonical host is lowercase ASCII and a fixed point
// of the parser; ASCII case and percent-encoding of the input do not
// change the result; the URL parser agrees with the host parser.
func FuzzParseHost(f *testing.F) {
	for _, tt := range hostTests {
		f.Add(tt.in)
	}
	for _, s := range []string{
		"0x7f.1", "0177.0.0.1", "2130706433", "0x7F000001", "127.1", "127.0.1", "0x7f.0.0.0x1", "127.0.0.1.",
		"017700000001", "4294967295", "4294967296", "0x100000000", "256.0.0.1", "1.2.3.4.5", "1..2",
		"аpple.com", "xn--pple-43d.com", "ÉXAMPLE.com", "%45xample.COM", "[0:0:0:0:0:0:0:1]", "[::FFFF:7F00:1]",
		"[fe80::1%25eth0]", "a\x00b", "a\xffb", "%00", "%zz", strings.Repeat("a.", 200),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		h, err := ParseHost(in)
		h2, err2 := ParseHost(in)
		if h != h2 || (err == nil) != (err2 == nil) {
			t.Fatalf("ParseHost(%q) is not deterministic: %q, %v then %q, %v", in, h, err, h2, err2)
		}
		if err != nil {
			var he *HostError
			if h != "" || !errors.As(err, &he) || he.Host != in {
				t.Fatalf("ParseHost(%q) = %q, %#v; want \"\" and a *HostError naming the input", in, h, err)
			}
		} else {
			checkCanonicalHost(t, in, h)
		}

		// ASCII case does not matter: the host parser lowercases ASCII
		// letters, and IDNA maps upper-case letters to lower-case ones.
		if up, uerr := ParseHost(asciiUpper(in)); up != h || (uerr == nil) != (err == nil) {
			t.Fatalf("ParseHost(%q) = %q, %v but upper-cased %q, %v", in, h, err, up, uerr)
		}
		// Percent-encoding every byte changes nothing: the host parser
		// percent-decodes first (once: an input with '%' would decode twice).
		if !strings.HasPrefix(in, "[") && !strings.Contains(in, "%") && in != "" {
			enc := percentEncodeAll(in)
			if pe, perr := ParseHost(enc); pe != h || (perr == nil) != (err == nil) {
				t.Fatalf("ParseHost(%q) = %q, %v but percent-encoded %q gives %q, %v", in, h, err, enc, pe, perr)
			}
		}
		// The URL parser gives a special URL the host parser's answer, for
		// hosts that the authority cannot split or clean.
		if in != "" && !strings.ContainsAny(in, "/\\?#@:\t\n\r") && in[0] > ' ' && in[len(in)-1] > ' ' {
			u, uerr := Parse("https://" + in + "/")
			if (uerr == nil) != (err == nil) || uerr == nil && u.Host != h {
				t.Fatalf("ParseHost(%q) = %q, %v but the URL parser gives host %q, %v", in, h, err, u.Host, uerr)
			}
		}
	})
}

// checkCanonicalHost checks that h, which ParseHost returned for in, is a
// serialized host: lowercase ASCII, a fixed point, in one of three shapes.
func checkCanonicalHost(t *testing.T, in, h string) {
	t.Helper()
	if h == "" {
		t.Fatalf("ParseHost(%q) succeeded with the empty host", in)
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			t.Fatalf("ParseHost(%q) = %q: byte %d is not lowercase ASCII", in, h, i)
		}
	}
	again, err := ParseHost(h)
	if err != nil || again != h {
		t.Fatalf("ParseHost(%q) = %q, which parses to %q, %v", in, h, again, err)
	}
	switch {
	case h[0] == '[':
		// IPv6: hex digits and colons (an embedded IPv4 address is
		// serialized in hex), within brackets.
		if h[len(h)-1] != ']' || strings.Trim(h[1:len(h)-1], "0123456789abcdef:") != "" {
			t.Fatalf("ParseHost(%q) = %q, not a serialized IPv6 address", in, h)
		}
	case endsInNumber(h):
		// IPv4: four decimal parts, each without leading zeros.
		parts := strings.Split(h, ".")
		if len(parts) != 4 {
			t.Fatalf("ParseHost(%q) = %q, not dotted-decimal IPv4", in, h)
		}
		for _, p := range parts {
			if p == "" || !allDigits(p) || len(p) > 1 && p[0] == '0' || len(p) > 3 {
				t.Fatalf("ParseHost(%q) = %q, not dotted-decimal IPv4", in, h)
			}
		}
	default:
		for i := 0; i < len(h); i++ {
			if isForbiddenDomain(h[i]) {
				t.Fatalf("ParseHost(%q) = %q with forbidden domain code point %q", in, h, h[i])
			}
		}
	}
}

// FuzzParseURL checks properties of the URL splitter: a special URL's host
// is canonical, its port is not the default, and the serialization for
// reports has no credentials or fragment and parses back to the same
// scheme, host and port (and, for special URLs, to itself).
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/path?q#f", "HTTPS://EXAMPLE.COM:443", "http://user:pw@a@example.com:8080/x",
		"http:\\\\example.com\\a\\..\\b", "http://example.com/a/%2e%2E/b?x y#z", "file:///C:/x", "file://localhost/etc",
		"file://host/%2e", "sc://user@host:99/p?q", "sc:opaque path", "sc:////x", "blob:https://a.test/uuid",
		"data:text/plain,hi#x", "http://[::1]:80/", "ws://[fe80::1%25eth0]/", "http://0x7f.1/", "http://a.b:65535",
		"http://a.b:65536", " \t\nhttps://exa\tmple.com/\x00", "javascript:alert(1)", "about:blank", "https://%E2%98%83/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := Parse(raw)
		u2, err2 := Parse(raw)
		if u != u2 || (err == nil) != (err2 == nil) {
			t.Fatalf("Parse(%q) is not deterministic", raw)
		}
		if err != nil {
			var ue *Error
			if !errors.As(err, &ue) || ue.URL != raw {
				t.Fatalf("Parse(%q) error %#v, want an *Error naming the input", raw, err)
			}
			return
		}
		if u.Scheme == "" || u.Scheme != asciiLower(u.Scheme) {
			t.Fatalf("Parse(%q): scheme %q", raw, u.Scheme)
		}
		if u.Port < -1 || u.Port > 65535 || u.Port >= 0 && u.Port == DefaultPort(u.Scheme) {
			t.Fatalf("Parse(%q): port %d for scheme %q", raw, u.Port, u.Scheme)
		}
		if u.Special != isSpecial(u.Scheme) {
			t.Fatalf("Parse(%q): Special = %v for scheme %q", raw, u.Special, u.Scheme)
		}
		if u.Special && u.Scheme != "file" {
			if !u.HasHost || u.Host == "" {
				t.Fatalf("Parse(%q): special URL without a host", raw)
			}
			checkCanonicalHost(t, raw, u.Host)
		}
		rep := u.ForReporting()
		back, err := Parse(rep)
		if err != nil {
			t.Fatalf("Parse(%q).ForReporting() = %q, which does not parse: %v", raw, rep, err)
		}
		if back.Scheme != u.Scheme || back.Host != u.Host || back.Port != u.Port || back.HasCreds || back.HasFrag {
			t.Fatalf("Parse(%q).ForReporting() = %q, which parses to %+v; was %+v", raw, rep, back, u)
		}
		// Only special URLs get the URL serializer's path and query
		// encoding; other URLs keep them as written (a documented
		// deviation), so a control character in them does not survive
		// parsing again.
		if again := back.ForReporting(); u.Special && again != rep {
			t.Fatalf("Parse(%q).ForReporting() = %q, but that serializes to %q", raw, rep, again)
		}
	})
}

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func percentEncodeAll(s string) string {
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, 3*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, '%', hex[s[i]>>4], hex[s[i]&15])
	}
	return string(b)
}
