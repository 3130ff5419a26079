package enforce

import (
	"net/textproto"
	"testing"
)

// TestIsCanonicalHeaderKey: the table's fast answer agrees with textproto
// on keys of every shape: canonical, lower case, upper case, with bytes
// outside a token (which textproto leaves alone), empty.
func TestIsCanonicalHeaderKey(t *testing.T) {
	for _, k := range []string{"", "A", "a", "Content-Type", "content-type", "CONTENT-TYPE", "Content-type",
		"X-Content-Type-Options", "Cross-Origin-Resource-Policy", "cross-origin-resource-policy",
		"-", "--A", "-a", "A-", "Www-Authenticate", "WWW-Authenticate", "X-1a", "X-1A", "A b", "a b", "Ä",
		"Content Type", "content\x00type", "Foo_Bar", "Foo_bar", "foo.bar", "Foo.Bar", "~x", "X~y"} {
		if got, want := isCanonicalHeaderKey(k), textproto.CanonicalMIMEHeaderKey(k) == k; got != want {
			t.Errorf("isCanonicalHeaderKey(%q) = %v, textproto says %v", k, got, want)
		}
	}
}

func FuzzIsCanonicalHeaderKey(f *testing.F) {
	for _, k := range []string{"Content-Type", "content-type", "A b", "X-1a", "\xff"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, k string) {
		if got, want := isCanonicalHeaderKey(k), textproto.CanonicalMIMEHeaderKey(k) == k; got != want {
			t.Errorf("isCanonicalHeaderKey(%q) = %v, textproto says %v", k, got, want)
		}
	})
}

// TestIsCanonicalHeaderKeyEveryPair: every key of one or two bytes.
func TestIsCanonicalHeaderKeyEveryPair(t *testing.T) {
	for a := 0; a < 256; a++ {
		for b := -1; b < 256; b++ {
			k := string([]byte{byte(a)})
			if b >= 0 {
				k += string([]byte{byte(b)})
			}
			if got, want := isCanonicalHeaderKey(k), textproto.CanonicalMIMEHeaderKey(k) == k; got != want {
				t.Fatalf("isCanonicalHeaderKey(%q) = %v, textproto says %v", k, got, want)
			}
		}
	}
}
