package origin_test

import (
	"strings"
	"testing"

	"github.com/xorigin/xorigin/origin"
)

// Hostile hosts: inputs that try to make two origins look alike, or one
// origin look like two. Each has one expected outcome: the origin's
// serialization ("" when the URL parser rejects the URL). The expectations
// come from the URL standard's host parser and UTS 46.
func TestHostileHosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		// IDN homographs are different hosts: IDNA maps compatibility
		// forms (fullwidth letters) to ASCII, but never one script's
		// letter to another's look-alike.
		{"Cyrillic a homograph", "https://\u0430pple.com/", "https://xn--pple-43d.com"},
		{"whole-script Cyrillic homograph", "https://\u0430\u0440\u0440\u04cf\u0435.com/", "https://xn--80ak6aa92e.com"},
		{"Greek omicron homograph", "https://g\u03bf\u03bfgle.com/", "https://xn--ggle-0nda.com"},
		{"fullwidth letters are the ASCII host", "https://\uff41\uff50\uff50\uff4c\uff45.com/", "https://apple.com"},
		{"ideographic full stop is a dot", "https://apple\u3002com/", "https://apple.com"},
		{"soft hyphen is ignored", "https://ap\u00adple.com/", "https://apple.com"},
		{"zero width joiner without context fails", "https://ap\u200dple.com/", ""},
		{"right-to-left override fails", "https://\u202eelppa.com/", ""},
		{"punycode of the homograph is the same origin", "https://xn--pple-43d.com/", "https://xn--pple-43d.com"},

		// Percent-encoded and upper-case hosts.
		{"upper case", "HTTPS://APPLE.COM/", "https://apple.com"},
		{"mixed case with the default port", "https://ApPlE.CoM:443/", "https://apple.com"},
		{"percent-encoded letter", "https://%61pple.com/", "https://apple.com"},
		{"percent-encoded upper-case letter", "https://%41PPLE.com/", "https://apple.com"},
		{"percent-encoded dot", "https://apple%2Ecom/", "https://apple.com"},
		{"percent-encoded non-ASCII", "https://%D0%B0pple.com/", "https://xn--pple-43d.com"},
		{"percent-encoded slash fails", "https://apple.com%2F.evil.com/", ""},
		{"percent-encoded at sign fails", "https://apple.com%40evil.com/", ""},
		{"double percent-encoding fails", "https://%2561pple.com/", ""},
		{"percent-encoded NUL fails", "https://apple%00.com/", ""},
		{"raw NUL fails", "https://apple\x00.com/", ""},
		{"invalid UTF-8 fails", "https://apple\xff.com/", ""},
		{"percent-encoded invalid UTF-8 fails", "https://apple%FF.com/", ""},
		{"userinfo is not the host", "https://apple.com@evil.com/", "https://evil.com"},
		{"backslash ends the host", "https://evil.com\\@apple.com/", "https://evil.com"},

		// Every IPv4 number form is one address.
		{"IPv4 dotted decimal", "http://127.0.0.1/", "http://127.0.0.1"},
		{"IPv4 one decimal number", "http://2130706433/", "http://127.0.0.1"},
		{"IPv4 one hex number", "http://0x7f000001/", "http://127.0.0.1"},
		{"IPv4 one upper-case hex number", "http://0X7F000001/", "http://127.0.0.1"},
		{"IPv4 one octal number", "http://017700000001/", "http://127.0.0.1"},
		{"IPv4 two parts", "http://127.1/", "http://127.0.0.1"},
		{"IPv4 three parts", "http://127.0.1/", "http://127.0.0.1"},
		{"IPv4 hex parts", "http://0x7f.0x0.0x0.0x1/", "http://127.0.0.1"},
		{"IPv4 octal parts", "http://0177.00.00.01/", "http://127.0.0.1"},
		{"IPv4 mixed forms", "http://0x7f.0.01/", "http://127.0.0.1"},
		{"IPv4 trailing dot", "http://127.0.0.1./", "http://127.0.0.1"},
		{"IPv4 percent-encoded", "http://%31%32%37.0.0.1/", "http://127.0.0.1"},
		{"IPv4 fullwidth digits", "http://\uff11\uff12\uff17.0.0.1/", "http://127.0.0.1"},
		{"IPv4 with a port", "http://0x7f.1:8080/", "http://127.0.0.1:8080"},
		{"IPv4 zero", "http://0/", "http://0.0.0.0"},
		{"IPv4 bare 0x", "http://0x/", "http://0.0.0.0"},
		{"IPv4 largest", "http://0xffffffff/", "http://255.255.255.255"},
		{"IPv4 one past the largest", "http://4294967296/", ""},
		{"IPv4 hex one past the largest", "http://0x100000000/", ""},
		{"IPv4 part out of range", "http://256.0.0.1/", ""},
		{"IPv4 last part out of range", "http://1.2.65536/", ""},
		{"IPv4 five parts", "http://1.2.3.4.5/", ""},
		{"IPv4 bad octal digit", "http://09.0.0.1/", ""},
		{"IPv4 empty part", "http://1..2/", ""},
		{"IPv4 huge number", "http://" + strings.Repeat("9", 1000) + "/", ""},
		{"domain ending in a letter is not IPv4", "http://1.2.3.4a/", "http://1.2.3.4a"},

		// IPv6 zone identifiers are not part of URLs.
		{"IPv6 zone identifier, percent-encoded", "http://[fe80::1%25eth0]/", ""},
		{"IPv6 zone identifier, raw", "http://[fe80::1%eth0]/", ""},
		{"IPv6 zone identifier, numeric", "http://[fe80::1%251]/", ""},
		{"IPv6 long form", "http://[0000:0000:0000:0000:0000:0000:0000:0001]/", "http://[::1]"},
		{"IPv6 upper case", "http://[FE80::ABCD]/", "http://[fe80::abcd]"},
		{"IPv6 with embedded IPv4", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]"},
		{"IPv6 percent-encoded fails", "http://[%3A%3A1]/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, err := origin.FromURL(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("FromURL(%q) = %v, want an error", tt.in, o)
				}
				if o.IsValid() {
					t.Fatalf("FromURL(%q) failed with a valid origin %v", tt.in, o)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromURL(%q): %v, want %q", tt.in, err, tt.want)
			}
			if got := o.String(); got != tt.want {
				t.Fatalf("FromURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			// The canonical form is the same origin, by == too.
			if c := origin.MustParse(tt.want); c != o || !c.SameOrigin(o) {
				t.Errorf("FromURL(%q) = %v is not same origin with %v", tt.in, o, c)
			}
		})
	}
}

// TestHostileHomographNotSameOrigin: a homograph host is a different
// origin from the host it imitates.
func TestHostileHomographNotSameOrigin(t *testing.T) {
	t.Parallel()
	real := origin.MustParse("https://apple.com")
	for _, u := range []string{"https://\u0430pple.com", "https://\u0430\u0440\u0440\u04cf\u0435.com", "https://apple.com.", "https://apple.co"} {
		o, err := origin.FromURL(u)
		if err != nil {
			t.Fatalf("FromURL(%q): %v", u, err)
		}
		if o == real || o.SameOrigin(real) || real.SameOrigin(o) {
			t.Errorf("%q (%v) is same origin with %v", u, o, real)
		}
	}
}

// TestHostileHugeHost: a megabyte host is parsed, or refused, without
// trouble; its serialization parses back to it.
func TestHostileHugeHost(t *testing.T) {
	t.Parallel()
	for _, host := range []string{
		strings.Repeat("a", 1<<20) + ".com",
		strings.Repeat("a.", 1<<19) + "com",
		strings.Repeat("%61", 1<<18) + ".com",
		strings.Repeat("\u00fc.", 1<<16) + "com",
		strings.Repeat("\u00fc", 1<<18) + ".com", // a label of more than 1000 code points: refused
	} {
		o, err := origin.FromURL("https://" + host + "/")
		if err != nil {
			continue
		}
		back, err := origin.Parse(o.String())
		if err != nil || back != o {
			t.Errorf("a %d-byte host serializes to a %d-byte origin that parses to %v", len(host), len(o.String()), err)
		}
	}
}
