package origin_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/xorigin/xorigin/origin"
)

// fromURLTests lists URLs and the serialization of their origin: "null" for
// an opaque origin, "" for a URL the URL parser rejects.
var fromURLTests = []struct {
	name string
	in   string
	want string
}{
	// Tuple origins: http, https, ws, wss, ftp.
	{name: "https", in: "https://example.com/path", want: "https://example.com"},
	{name: "http", in: "http://example.com/", want: "http://example.com"},
	{name: "ws", in: "ws://example.com/chat", want: "ws://example.com"},
	{name: "wss", in: "wss://example.com:443/x", want: "wss://example.com"},
	{name: "ftp", in: "ftp://example.com:21/f", want: "ftp://example.com"},
	{name: "http default port dropped", in: "http://example.com:80/", want: "http://example.com"},
	{name: "https default port dropped", in: "https://example.com:443", want: "https://example.com"},
	{name: "ws default port dropped", in: "ws://example.com:80", want: "ws://example.com"},
	{name: "default port with leading zeros", in: "http://example.com:00080/", want: "http://example.com"},
	{name: "other scheme's default port kept", in: "https://example.com:80", want: "https://example.com:80"},
	{name: "non-default port", in: "http://example.com:8080/", want: "http://example.com:8080"},
	{name: "port zero is a port", in: "http://example.com:0/", want: "http://example.com:0"},
	{name: "ftp with credentials and port", in: "ftp://user:pw@example.com:2121/", want: "ftp://example.com:2121"},
	{name: "credentials dropped", in: "https://user:pass@example.com/", want: "https://example.com"},
	{name: "uppercase scheme and host", in: "HTTPS://EXAMPLE.COM/", want: "https://example.com"},
	{name: "IDN host", in: "https://bücher.example/", want: "https://xn--bcher-kva.example"},
	{name: "IPv4 hex host", in: "http://0x7f.1/", want: "http://127.0.0.1"},
	{name: "IPv4 number host", in: "http://2130706433/", want: "http://127.0.0.1"},
	{name: "IPv6 host with embedded IPv4", in: "http://[::FFFF:1.2.3.4]:8080/", want: "http://[::ffff:102:304]:8080"},
	{name: "trailing dot kept", in: "https://example.com./", want: "https://example.com."},
	{name: "missing slashes", in: "http:example.com", want: "http://example.com"},
	{name: "backslashes", in: "https:\\\\example.com\\x", want: "https://example.com"},
	{name: "surrounding white space", in: "  https://example.com/\n", want: "https://example.com"},

	// blob: the origin of the URL inside, when it is http or https.
	{name: "blob with https inside", in: "blob:https://example.com/uuid", want: "https://example.com"},
	{name: "blob with http and port inside", in: "blob:http://example.com:8080/uuid", want: "http://example.com:8080"},
	{name: "blob uppercase", in: "BLOB:HTTPS://EXAMPLE.COM:443/uuid", want: "https://example.com"},
	{name: "blob with query and fragment", in: "blob:https://example.com/uuid?q#f", want: "https://example.com"},
	{name: "blob with data inside", in: "blob:data:text/plain,hi", want: "null"},
	{name: "blob with ftp inside", in: "blob:ftp://example.com/x", want: "null"},
	{name: "blob with file inside", in: "blob:file:///x", want: "null"},
	{name: "blob with blob inside", in: "blob:blob:https://example.com/x", want: "null"},
	{name: "blob with a relative URL inside", in: "blob:/uuid", want: "null"},
	{name: "blob with a bad URL inside", in: "blob:https://exa mple.com/", want: "null"},
	{name: "empty blob", in: "blob:", want: "null"},

	// Opaque origins for every other scheme.
	{name: "data", in: "data:text/plain,hi", want: "null"},
	{name: "about", in: "about:blank", want: "null"},
	{name: "javascript", in: "javascript:alert(1)", want: "null"},
	{name: "file", in: "file:///etc/passwd", want: "null"},
	{name: "file with host", in: "file://host/share", want: "null"},
	{name: "mailto", in: "mailto:a@example.com", want: "null"},
	{name: "custom scheme with authority", in: "custom-scheme://example.com/x", want: "null"},
	{name: "urn", in: "urn:isbn:0451450523", want: "null"},

	// The URL parser rejects these.
	{name: "empty", in: "", want: ""},
	{name: "no scheme", in: "example.com", want: ""},
	{name: "relative path", in: "/path", want: ""},
	{name: "empty host", in: "http://", want: ""},
	{name: "space in host", in: "http://exa mple.com/", want: ""},
	{name: "port too large", in: "https://example.com:99999", want: ""},
	{name: "port not a number", in: "https://example.com:https", want: ""},
	{name: "unclosed IPv6", in: "http://[::1/", want: ""},
	{name: "empty punycode label beside Unicode", in: "http://xn--.bücher.example/", want: ""},
	{name: "domain ending in a bad number", in: "http://foo.09/", want: ""},
	{name: "bad host in a custom scheme", in: "sc://a b/", want: ""},
	{name: "file host with port", in: "file://example:1/", want: ""},
	{name: "lone colon", in: ":", want: ""},
	{name: "scheme starting with a digit", in: "1http://example.com", want: ""},
}

func TestFromURL(t *testing.T) {
	t.Parallel()
	for _, tt := range fromURLTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, err := origin.FromURL(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("FromURL(%q) = %v, want an error", tt.in, o)
				}
				var pe *origin.ParseError
				if !errors.As(err, &pe) || pe.Input != tt.in {
					t.Fatalf("FromURL(%q) error = %#v, want a *ParseError for the input", tt.in, err)
				}
				if o.IsValid() {
					t.Errorf("FromURL(%q) returned a valid origin with its error", tt.in)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromURL(%q) failed: %v", tt.in, err)
			}
			if got := o.String(); got != tt.want {
				t.Errorf("FromURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !o.IsValid() {
				t.Errorf("FromURL(%q).IsValid() = false", tt.in)
			}
			if got, want := o.IsOpaque(), tt.want == "null"; got != want {
				t.Errorf("FromURL(%q).IsOpaque() = %v, want %v", tt.in, got, want)
			}
		})
	}
}

func TestFromURLOpaqueIsNew(t *testing.T) {
	t.Parallel()
	a, err := origin.FromURL("data:,")
	if err != nil {
		t.Fatal(err)
	}
	b, err := origin.FromURL("data:,")
	if err != nil {
		t.Fatal(err)
	}
	if a == b || a.SameOrigin(b) {
		t.Error("two opaque origins from the same data: URL are same origin")
	}
	if !a.SameOrigin(a) {
		t.Error("an opaque origin is not same origin with itself")
	}
}

func TestAccessors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		o        origin.Origin
		scheme   string
		host     string
		port     uint16
		hasPort  bool
		isOpaque bool
	}{
		{name: "default port", o: origin.MustParse("https://example.com"), scheme: "https", host: "example.com"},
		{name: "explicit port", o: origin.MustParse("http://example.com:8080"), scheme: "http", host: "example.com", port: 8080, hasPort: true},
		{name: "port zero", o: origin.MustParse("http://example.com:0"), scheme: "http", host: "example.com", port: 0, hasPort: true},
		{name: "IPv6", o: origin.MustParse("http://[::1]:81"), scheme: "http", host: "[::1]", port: 81, hasPort: true},
		{name: "opaque", o: origin.NewOpaque(), isOpaque: true},
		{name: "zero", o: origin.Origin{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.o.Scheme(); got != tt.scheme {
				t.Errorf("Scheme() = %q, want %q", got, tt.scheme)
			}
			if got := tt.o.Host(); got != tt.host {
				t.Errorf("Host() = %q, want %q", got, tt.host)
			}
			if port, ok := tt.o.Port(); port != tt.port || ok != tt.hasPort {
				t.Errorf("Port() = %d, %v; want %d, %v", port, ok, tt.port, tt.hasPort)
			}
			if got := tt.o.IsOpaque(); got != tt.isOpaque {
				t.Errorf("IsOpaque() = %v, want %v", got, tt.isOpaque)
			}
		})
	}
}

func TestFromStdURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string // "" for an error
	}{
		{name: "canonicalized", in: "https://EXAMPLE.com:443/x", want: "https://example.com"},
		{name: "port", in: "http://example.com:8080/", want: "http://example.com:8080"},
		{name: "IPv4 host", in: "http://127.0.0.1/", want: "http://127.0.0.1"},
		{name: "opaque", in: "data:text/plain,hi", want: "null"},
		{name: "relative", in: "/path", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := url.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			o, err := origin.FromStdURL(u)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("FromStdURL(%q) = %v, want an error", tt.in, o)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromStdURL(%q) failed: %v", tt.in, err)
			}
			if got := o.String(); got != tt.want {
				t.Errorf("FromStdURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if _, err := origin.FromStdURL(nil); err == nil {
		t.Error("FromStdURL(nil) succeeded")
	}
}

// parseTests lists serialized origins and what Parse makes of them: the
// canonical serialization, "null" for an opaque origin, "" for an error.
var parseTests = []struct {
	name string
	in   string
	want string
}{
	{name: "https", in: "https://example.com", want: "https://example.com"},
	{name: "http with port", in: "http://example.com:8080", want: "http://example.com:8080"},
	{name: "ws", in: "ws://example.com", want: "ws://example.com"},
	{name: "wss", in: "wss://example.com", want: "wss://example.com"},
	{name: "ftp", in: "ftp://example.com", want: "ftp://example.com"},
	{name: "port zero", in: "http://example.com:0", want: "http://example.com:0"},
	{name: "default port dropped", in: "https://EXAMPLE.com:443", want: "https://example.com"},
	{name: "uppercase scheme", in: "HTTP://example.com", want: "http://example.com"},
	{name: "IPv6", in: "http://[::1]:80", want: "http://[::1]"},
	{name: "IPv6 canonicalized", in: "http://[0:0::1]", want: "http://[::1]"},
	{name: "IPv4", in: "http://127.0.0.1", want: "http://127.0.0.1"},
	{name: "IPv4 canonicalized", in: "http://0x7f.1", want: "http://127.0.0.1"},
	{name: "punycode", in: "https://xn--bcher-kva.example", want: "https://xn--bcher-kva.example"},
	{name: "IDN canonicalized", in: "https://bücher.example", want: "https://xn--bcher-kva.example"},
	{name: "trailing dot", in: "https://example.com.", want: "https://example.com."},
	{name: "empty port", in: "http://example.com:", want: "http://example.com"},
	{name: "null", in: "null", want: "null"},

	{name: "empty", in: "", want: ""},
	{name: "null uppercase", in: "NULL", want: ""},
	{name: "null with space", in: "null ", want: ""},
	{name: "trailing slash", in: "https://example.com/", want: ""},
	{name: "path", in: "https://example.com/path", want: ""},
	{name: "query", in: "https://example.com?q", want: ""},
	{name: "fragment", in: "https://example.com#f", want: ""},
	{name: "backslash", in: "https://example.com\\", want: ""},
	{name: "userinfo", in: "https://user@example.com", want: ""},
	{name: "userinfo with password", in: "https://user:pw@example.com", want: ""},
	{name: "leading space", in: " https://example.com", want: ""},
	{name: "trailing space", in: "https://example.com ", want: ""},
	{name: "trailing newline", in: "https://example.com\n", want: ""},
	{name: "inner tab", in: "https://exa\tmple.com", want: ""},
	{name: "inner newline in scheme", in: "ht\ntps://example.com", want: ""},
	{name: "NUL", in: "https://example.com\x00", want: ""},
	{name: "non-ASCII white space", in: "https://example.com\u00a0", want: ""},
	{name: "no scheme separator", in: "https:example.com", want: ""},
	{name: "empty scheme", in: "://example.com", want: ""},
	{name: "empty host", in: "https://", want: ""},
	{name: "bad host", in: "https://exa%20mple.com", want: ""},
	{name: "port too large", in: "https://example.com:99999", want: ""},
	{name: "data", in: "data:text/plain,hi", want: ""},
	{name: "file", in: "file://host", want: ""},
	{name: "blob", in: "blob:https://example.com", want: ""},
	{name: "unknown scheme", in: "chrome-extension://abcdef", want: ""},
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, err := origin.Parse(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %v, want an error", tt.in, o)
				}
				var pe *origin.ParseError
				if !errors.As(err, &pe) || pe.Input != tt.in {
					t.Fatalf("Parse(%q) error = %#v, want a *ParseError for the input", tt.in, err)
				}
				if !strings.HasPrefix(err.Error(), "origin: ") {
					t.Errorf("Parse(%q) error %q lacks the \"origin: \" prefix", tt.in, err)
				}
				if o.IsValid() {
					t.Errorf("Parse(%q) returned a valid origin with its error", tt.in)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) failed: %v", tt.in, err)
			}
			if got := o.String(); got != tt.want {
				t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if o.IsOpaque() {
				return
			}
			// A serialized origin is the URL's origin too.
			u, err := origin.FromURL(tt.in)
			if err != nil || u != o {
				t.Errorf("FromURL(%q) = %v, %v; want %v", tt.in, u, err, o)
			}
		})
	}
}

func TestParseNullIsNew(t *testing.T) {
	t.Parallel()
	a, b := origin.MustParse("null"), origin.MustParse("null")
	if !a.IsOpaque() || !b.IsOpaque() {
		t.Fatal(`Parse("null") is not opaque`)
	}
	if a == b || a.SameOrigin(b) {
		t.Error(`two Parse("null") results are same origin`)
	}
}

func TestParseErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := origin.Parse("https://example.com/path")
	const want = `origin: "https://example.com/path": unexpected "/" at byte 19: a serialized origin has no userinfo, path, query or fragment`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	_, err = origin.Parse("https://" + strings.Repeat("a", 300) + "/")
	if err == nil || len(err.Error()) > 250 {
		t.Errorf("long input not shortened: %v", err)
	}
}

func TestMustParsePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("MustParse of a bad origin did not panic")
		}
	}()
	origin.MustParse("https://example.com/")
}

func TestTextEncodings(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"https://example.com",
		"http://example.com:8080",
		"http://example.com:0",
		"ws://127.0.0.1:65535",
		"ftp://[2001:db8::1]",
		"https://xn--bcher-kva.example.",
	} {
		t.Run(s, func(t *testing.T) {
			t.Parallel()
			o := origin.MustParse(s)
			if got := o.String(); got != s {
				t.Errorf("String() = %q, want %q", got, s)
			}
			if got := o.AppendTo([]byte("x=")); string(got) != "x="+s {
				t.Errorf("AppendTo(\"x=\") = %q, want %q", got, "x="+s)
			}
			text, err := o.MarshalText()
			if err != nil || string(text) != s {
				t.Errorf("MarshalText() = %q, %v; want %q", text, err, s)
			}
			var back origin.Origin
			if err := back.UnmarshalText(text); err != nil || back != o {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v", text, back, err, o)
			}
		})
	}
}

func TestTextEncodingsOpaqueAndZero(t *testing.T) {
	t.Parallel()
	op := origin.NewOpaque()
	if got := op.String(); got != "null" {
		t.Errorf("opaque String() = %q, want \"null\"", got)
	}
	text, err := op.MarshalText()
	if err != nil || string(text) != "null" {
		t.Errorf("opaque MarshalText() = %q, %v; want \"null\"", text, err)
	}
	var back origin.Origin
	if err := back.UnmarshalText(text); err != nil || !back.IsOpaque() || back == op {
		t.Errorf("UnmarshalText(\"null\") = %v, %v; want a new opaque origin", back, err)
	}

	var zero origin.Origin
	text, err = zero.MarshalText()
	if err != nil || len(text) != 0 {
		t.Errorf("zero MarshalText() = %q, %v; want empty", text, err)
	}
	back = origin.MustParse("https://example.com")
	if err := back.UnmarshalText(nil); err != nil || back != zero {
		t.Errorf("UnmarshalText(nil) = %v, %v; want the zero Origin", back, err)
	}

	// A failed UnmarshalText leaves the origin alone.
	back = origin.MustParse("https://example.com")
	if err := back.UnmarshalText([]byte("https://example.com/")); err == nil {
		t.Error("UnmarshalText of a URL with a path succeeded")
	}
	if back != origin.MustParse("https://example.com") {
		t.Errorf("failed UnmarshalText changed the origin to %v", back)
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	type doc struct {
		Origin origin.Origin `json:"origin"`
		Zero   origin.Origin `json:"zero"`
	}
	in := doc{Origin: origin.MustParse("https://example.com:8443")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"origin":"https://example.com:8443","zero":""}`
	if string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Errorf("json round trip = %+v, want %+v", out, in)
	}
	if err := json.Unmarshal([]byte(`{"origin":"https://example.com/x"}`), &out); err == nil {
		t.Error("json.Unmarshal of a bad origin succeeded")
	}
}

func TestSameOrigin(t *testing.T) {
	t.Parallel()
	must := func(s string) origin.Origin {
		o, err := origin.FromURL(s)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	op := origin.NewOpaque()
	tests := []struct {
		name string
		a, b origin.Origin
		want bool
	}{
		{name: "same tuple", a: origin.MustParse("https://example.com"), b: must("https://EXAMPLE.com:443/x"), want: true},
		{name: "explicit default port", a: origin.MustParse("http://example.com:80"), b: origin.MustParse("http://example.com"), want: true},
		{name: "different scheme", a: origin.MustParse("http://example.com"), b: origin.MustParse("https://example.com")},
		{name: "ws and http", a: origin.MustParse("ws://example.com"), b: origin.MustParse("http://example.com")},
		{name: "different port", a: origin.MustParse("https://example.com:8443"), b: origin.MustParse("https://example.com")},
		{name: "port 0 and no port", a: origin.MustParse("http://example.com:0"), b: origin.MustParse("http://example.com")},
		{name: "different host", a: origin.MustParse("https://example.com"), b: origin.MustParse("https://example.org")},
		{name: "subdomain", a: origin.MustParse("https://www.example.com"), b: origin.MustParse("https://example.com")},
		// Hosts of one length: differing in the first byte, and only after it.
		{name: "sibling hosts", a: origin.MustParse("https://app.example.com"), b: origin.MustParse("https://cdn.example.com")},
		{name: "hosts differing past the first byte", a: origin.MustParse("https://ab.example.com"), b: origin.MustParse("https://ac.example.com")},
		{name: "trailing dot", a: origin.MustParse("https://example.com."), b: origin.MustParse("https://example.com")},
		{name: "IPv4 forms", a: origin.MustParse("http://127.0.0.1"), b: must("http://0x7f.1/"), want: true},
		{name: "IPv6 forms", a: origin.MustParse("http://[::1]"), b: must("http://[0:0:0:0:0:0:0:1]/"), want: true},
		{name: "IDN forms", a: origin.MustParse("https://xn--bcher-kva.example"), b: must("https://BÜCHER.example/"), want: true},
		{name: "blob and its inner origin", a: must("blob:https://example.com/uuid"), b: origin.MustParse("https://example.com"), want: true},
		{name: "opaque and itself", a: op, b: op, want: true},
		{name: "two opaque origins", a: origin.NewOpaque(), b: origin.NewOpaque()},
		{name: "opaque and tuple", a: op, b: origin.MustParse("https://example.com")},
		{name: "zero and zero", a: origin.Origin{}, b: origin.Origin{}},
		{name: "zero and tuple", a: origin.Origin{}, b: origin.MustParse("https://example.com")},
		{name: "zero and opaque", a: origin.Origin{}, b: op},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.a.SameOrigin(tt.b); got != tt.want {
				t.Errorf("%v.SameOrigin(%v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := tt.b.SameOrigin(tt.a); got != tt.want {
				t.Errorf("%v.SameOrigin(%v) = %v, want %v (symmetry)", tt.b, tt.a, got, tt.want)
			}
			// For valid origins, == is exactly same origin.
			if tt.a.IsValid() && (tt.a == tt.b) != tt.want {
				t.Errorf("(%v == %v) = %v, want %v", tt.a, tt.b, tt.a == tt.b, tt.want)
			}
		})
	}
}

func TestHasIPHost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"http://127.0.0.1", true},
		{"http://0x7f.1", true},
		{"http://[::1]", true},
		{"http://[2001:db8::1]:8080", true},
		{"https://example.com", false},
		{"https://1.example", false},
		{"https://example.com.", false},
		{"http://localhost", false},
		{"https://xn--bcher-kva.example", false},
		{"null", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := origin.MustParse(tt.in).HasIPHost(); got != tt.want {
				t.Errorf("HasIPHost() = %v, want %v", got, tt.want)
			}
		})
	}
	if (origin.Origin{}).HasIPHost() {
		t.Error("zero Origin HasIPHost() = true")
	}
}

func TestIsPotentiallyTrustworthy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"https://example.com", true},
		{"wss://example.com", true},
		{"https://example.com:8443", true},
		{"http://example.com", false},
		{"ws://example.com", false},
		{"ftp://example.com", false},
		{"http://127.0.0.1", true},
		{"http://127.255.255.255:8080", true},
		{"http://0x7f.1", true},
		{"http://2130706433", true},
		{"http://128.0.0.1", false},
		{"http://126.0.0.1", false},
		{"http://[::1]", true},
		{"http://[::1]:8080", true},
		{"http://[::2]", false},
		{"http://localhost", true},
		{"http://LOCALHOST:3000", true},
		{"http://a.localhost", true},
		{"http://localhost.", true},
		{"http://a.localhost.", true},
		{"http://localhost.example", false},
		{"http://notlocalhost", false},
		{"http://127.example", false},
		{"null", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := origin.MustParse(tt.in).IsPotentiallyTrustworthy(); got != tt.want {
				t.Errorf("IsPotentiallyTrustworthy() = %v, want %v", got, tt.want)
			}
		})
	}
	// file: URLs have opaque origins here, so they are not trustworthy.
	if o, _ := origin.FromURL("file:///x"); o.IsPotentiallyTrustworthy() {
		t.Error("file origin is potentially trustworthy")
	}
	if (origin.Origin{}).IsPotentiallyTrustworthy() {
		t.Error("zero Origin is potentially trustworthy")
	}
}

func TestZeroValue(t *testing.T) {
	t.Parallel()
	var o origin.Origin
	if o.IsValid() || o.IsOpaque() {
		t.Errorf("zero Origin: IsValid %v, IsOpaque %v; want false, false", o.IsValid(), o.IsOpaque())
	}
	if o.String() != "" || o.Scheme() != "" || o.Host() != "" {
		t.Errorf("zero Origin: String %q, Scheme %q, Host %q; want empty", o.String(), o.Scheme(), o.Host())
	}
	if port, ok := o.Port(); port != 0 || ok {
		t.Errorf("zero Origin: Port() = %d, %v", port, ok)
	}
	if o.SameOrigin(o) {
		t.Error("zero Origin is same origin with itself")
	}
	if got := o.AppendTo([]byte("x")); !bytes.Equal(got, []byte("x")) {
		t.Errorf("zero Origin: AppendTo(\"x\") = %q", got)
	}
}

func TestNewOpaque(t *testing.T) {
	t.Parallel()
	a, b := origin.NewOpaque(), origin.NewOpaque()
	if !a.IsValid() || !a.IsOpaque() {
		t.Errorf("NewOpaque: IsValid %v, IsOpaque %v; want true, true", a.IsValid(), a.IsOpaque())
	}
	if a.Scheme() != "" || a.Host() != "" || a.String() != "null" {
		t.Errorf("NewOpaque: Scheme %q, Host %q, String %q", a.Scheme(), a.Host(), a.String())
	}
	if a == b {
		t.Error("two NewOpaque results are equal")
	}
	c := a // a copy is the same origin
	if c != a || !c.SameOrigin(a) {
		t.Error("a copy of an opaque origin is not same origin with it")
	}
}

// Sinks keep the compiler from optimizing the measured calls away.
var (
	sinkOrigin origin.Origin
	sinkString string
	sinkBytes  []byte
	sinkBool   bool
)

func TestNoAllocs(t *testing.T) {
	tuple := origin.MustParse("https://example.com:8443")
	opaque := origin.NewOpaque()
	buf := make([]byte, 0, 64)
	tests := []struct {
		name string
		want float64
		f    func()
	}{
		{"FromURL canonical", 0, func() { sinkOrigin, _ = origin.FromURL("https://example.com/path") }},
		{"FromURL canonical with port and query", 0, func() { sinkOrigin, _ = origin.FromURL("http://example.com:8080/a/b?q=1#f") }},
		{"FromURL IPv4", 0, func() { sinkOrigin, _ = origin.FromURL("http://127.0.0.1:8080/") }},
		{"FromURL IPv6", 0, func() { sinkOrigin, _ = origin.FromURL("https://[2001:db8::1]/") }},
		{"FromURL blob", 0, func() { sinkOrigin, _ = origin.FromURL("blob:https://example.com/uuid") }},
		{"Parse", 0, func() { sinkOrigin, _ = origin.Parse("https://example.com") }},
		{"Parse with port", 0, func() { sinkOrigin, _ = origin.Parse("http://example.com:8080") }},
		{"String opaque", 0, func() { sinkString = opaque.String() }},
		{"String tuple", 1, func() { sinkString = tuple.String() }},
		{"AppendTo", 0, func() { sinkBytes = tuple.AppendTo(buf[:0]) }},
		{"SameOrigin", 0, func() { sinkBool = tuple.SameOrigin(opaque) }},
		{"HasIPHost", 0, func() { sinkBool = tuple.HasIPHost() }},
		{"IsPotentiallyTrustworthy", 0, func() { sinkBool = tuple.IsPotentiallyTrustworthy() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(1000, tt.f); got != tt.want {
				t.Errorf("%v allocations, want %v", got, tt.want)
			}
		})
	}
}

func BenchmarkFromURL(b *testing.B) {
	benches := []struct {
		name string
		in   string
	}{
		{"canonical", "https://www.example.com/path?q=1"},
		{"uppercase host", "https://WWW.EXAMPLE.COM/path?q=1"},
		{"IDN host", "https://bücher.example/path"},
		{"IPv4 hex form", "http://0xc0.0xa8.0.1:8080/"},
		{"IPv6", "http://[2001:db8::1]:8080/"},
		{"opaque", "data:text/plain,hi"},
		{"blob", "blob:https://www.example.com/0b3f5e2c"},
		{"long path", "https://www.example.com/" + strings.Repeat("a/", 1<<15)},
		{"many tabs", "https://www.example.com/" + strings.Repeat("\t", 1<<15)},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkOrigin, _ = origin.FromURL(bb.in)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for _, in := range []string{"https://www.example.com", "http://localhost:8080", "null"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkOrigin, _ = origin.Parse(in)
			}
		})
	}
}

// An Origin stays within what the compiler keeps in registers (at most four
// fields, 32 bytes on 64-bit machines): the decision path passes and
// compares origins without copying them through memory.
func TestOriginFitsInRegisters(t *testing.T) {
	typ := reflect.TypeFor[origin.Origin]()
	if n, size := typ.NumField(), typ.Size(); n > 4 || size > 4*unsafe.Sizeof(uintptr(0)) {
		t.Errorf("origin.Origin has %d fields, %d bytes: want at most 4 fields and 4 words", n, size)
	}
}
