// Package origin implements WHATWG origins: the (scheme, host, port) tuple
// that the web's security model compares, or an opaque origin that is equal
// only to itself.
//
// An [Origin] is a small comparable value. Hosts are canonicalized when the
// origin is made, as the URL standard's host parser does (ASCII lowercase,
// IDNA to punycode, IPv4 in any number form, compressed IPv6, percent-decoding,
// default ports dropped), so a == b is exactly "same origin".
//
// See https://html.spec.whatwg.org/multipage/browsers.html#origin and
// https://url.spec.whatwg.org/#host-parsing.
package origin

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/xorigin/xorigin/internal/weburl"
)

// Origin is a WHATWG origin. The zero Origin is not a valid origin (IsValid
// reports false); it is neither a tuple origin nor opaque.
//
// Three fields, 32 bytes: the compiler keeps an Origin in registers, and
// passes and compares it without copying through memory.
type Origin struct {
	host   string    // serialized host: domain, dotted IPv4, or [IPv6]
	opaque *opaqueID // non-nil for opaque origins
	tuple  tuple     // scheme and port; zero for opaque origins
}

// tuple packs a tuple origin's scheme (an index into tupleSchemes, 0 for
// none), whether its port is explicit, and the port.
type tuple uint32

const tupleHasPort tuple = 1 << 8

// The schemes whose URLs have tuple origins (URL standard, origin getter;
// blob URLs take their inner URL's), as a tuple's low byte.
const (
	schemeNone tuple = iota
	schemeFTP
	schemeHTTP
	schemeHTTPS
	schemeWS
	schemeWSS
)

var tupleSchemes = [...]string{schemeNone: "", schemeFTP: "ftp", schemeHTTP: "http", schemeHTTPS: "https", schemeWS: "ws", schemeWSS: "wss"}

// newTuple returns the tuple origin (scheme, host, port); port < 0 means
// the scheme's default. It returns the zero Origin for a scheme that has
// no tuple origin.
func newTuple(scheme, host string, port int) Origin {
	var t tuple
	switch scheme {
	case "ftp":
		t = schemeFTP
	case "http":
		t = schemeHTTP
	case "https":
		t = schemeHTTPS
	case "ws":
		t = schemeWS
	case "wss":
		t = schemeWSS
	default:
		return Origin{}
	}
	if port >= 0 {
		t |= tupleHasPort | tuple(uint16(port))<<16
	}
	return Origin{host: host, tuple: t}
}

func (t tuple) scheme() string { return tupleSchemes[t&0xff] }

// opaqueID gives each opaque origin its identity. It must not have size zero:
// pointers to distinct zero-size values may compare equal.
type opaqueID struct{ _ byte }

// ParseError reports input that is not a URL or serialized origin the
// package can build an origin from.
type ParseError struct {
	Input string // the input, as given
	Msg   string // what is wrong with it
}

func (e *ParseError) Error() string {
	in := e.Input
	if len(in) > 128 {
		in = in[:128] + "..."
	}
	return "origin: " + strconv.Quote(in) + ": " + e.Msg
}

// NewOpaque returns a new opaque origin, same origin only with itself.
func NewOpaque() Origin { return Origin{opaque: new(opaqueID)} }

// FromURL returns the origin of an absolute URL, as the URL standard
// defines it: a tuple origin for http, https, ws, wss and ftp; the inner
// URL's origin for blob URLs wrapping http or https; a new opaque origin for
// every other scheme (data, about, javascript, file, ...).
func FromURL(rawURL string) (Origin, error) {
	u, err := weburl.Parse(rawURL)
	if err != nil {
		return Origin{}, &ParseError{rawURL, trimWeburl(err.Error())}
	}
	return fromParsed(&u), nil
}

// FromStdURL is FromURL for a *url.URL, which must be absolute. The host is
// canonicalized as browsers do, which net/url does not do.
func FromStdURL(u *url.URL) (Origin, error) {
	if u == nil {
		return Origin{}, &ParseError{"", "nil URL"}
	}
	return FromURL(u.String())
}

// FromParsedURL is FromURL for a URL the module's internal URL parser has
// already split, so that fetchctx.ParseURL, which needs the URL's other
// parts too, parses it once. Packages outside this module cannot name its
// argument's type.
func FromParsedURL(u *weburl.URL) Origin { return fromParsed(u) }

// fromParsed implements the URL standard's origin getter.
func fromParsed(u *weburl.URL) Origin {
	switch u.Scheme {
	case "http", "https", "ws", "wss", "ftp":
		return newTuple(u.Scheme, u.Host, u.Port)
	case "blob":
		// URL standard, origin of a blob URL: the origin of the URL its
		// path parses to, when that URL's scheme is http or https.
		inner, err := weburl.Parse(u.Path)
		if err == nil && (inner.Scheme == "http" || inner.Scheme == "https") {
			return fromParsed(&inner)
		}
	}
	return NewOpaque()
}

// Parse parses a serialized origin, as an Origin header carries it:
// "null" (a new opaque origin) or scheme "://" host [":" port] with no path,
// query, fragment or credentials. The host is canonicalized, so
// "https://EXAMPLE.com:443" parses to the origin "https://example.com".
func Parse(s string) (Origin, error) {
	if s == "null" {
		return NewOpaque(), nil
	}
	if scheme, host, port, ok := weburl.ParseCanonicalOrigin(s); ok {
		// Already canonical, as most Origin headers are: one pass found no
		// userinfo, path, query, fragment, white space or control character.
		if o := newTuple(scheme, host, port); o.IsValid() {
			return o, nil
		}
	}
	i := strings.Index(s, "://")
	if i <= 0 {
		return Origin{}, &ParseError{s, `not "null" or scheme://host[:port]`}
	}
	for j := i + 3; j < len(s); j++ {
		switch s[j] {
		case '/', '\\', '?', '#', '@':
			return Origin{}, &ParseError{s, "unexpected " + strconv.Quote(s[j:j+1]) + " at byte " + strconv.Itoa(j) + ": a serialized origin has no userinfo, path, query or fragment"}
		}
	}
	// A serialized origin has no white space or control characters; the URL
	// parser would drop tabs and newlines anywhere, so reject them first.
	for j := 0; j < len(s); j++ {
		if s[j] <= ' ' || s[j] == 0x7f {
			return Origin{}, &ParseError{s, "white space or control character at byte " + strconv.Itoa(j)}
		}
	}
	if strings.TrimSpace(s) != s {
		return Origin{}, &ParseError{s, "leading or trailing white space"}
	}
	u, err := weburl.Parse(s)
	if err != nil {
		return Origin{}, &ParseError{s, trimWeburl(err.Error())}
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss", "ftp":
	default:
		return Origin{}, &ParseError{s, "scheme " + strconv.Quote(u.Scheme) + " has no tuple origin"}
	}
	return fromParsed(&u), nil
}

// MustParse is Parse for tests and hard-coded values: it panics on error.
func MustParse(s string) Origin {
	o, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return o
}

func trimWeburl(msg string) string {
	// weburl errors quote the whole input, which ParseError already does.
	if i := strings.Index(msg, `": `); i >= 0 && strings.HasPrefix(msg, "invalid URL ") {
		return msg[i+3:]
	}
	return msg
}

// IsValid reports whether o is an origin, tuple or opaque: it is false only
// for the zero Origin.
func (o Origin) IsValid() bool { return o.opaque != nil || o.tuple != 0 }

// IsOpaque reports whether o is an opaque origin.
func (o Origin) IsOpaque() bool { return o.opaque != nil }

// Scheme returns the scheme of a tuple origin, or "".
func (o Origin) Scheme() string { return o.tuple.scheme() }

// Host returns the serialized host of a tuple origin (a lowercase ASCII
// domain, a dotted-decimal IPv4 address or a bracketed IPv6 address), or "".
func (o Origin) Host() string { return o.host }

// Port returns the port of a tuple origin and true, or 0 and false when the
// origin's URL used its scheme's default port (or o is not a tuple origin).
func (o Origin) Port() (uint16, bool) { return uint16(o.tuple >> 16), o.tuple&tupleHasPort != 0 }

// HasIPHost reports whether o is a tuple origin whose host is an IPv4 or
// IPv6 address rather than a domain.
func (o Origin) HasIPHost() bool {
	h := o.host
	if h == "" || o.opaque != nil {
		return false
	}
	if h[0] == '[' {
		return true
	}
	// A canonical host whose last label is all digits was parsed as IPv4.
	last := h[strings.LastIndexByte(h, '.')+1:]
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return false
		}
	}
	return last != ""
}

// SameOrigin reports whether o and p are same origin (HTML): the same opaque
// origin, or tuples with equal scheme, host and port. The zero Origin is same
// origin with nothing.
func (o Origin) SameOrigin(p Origin) bool {
	// Hosts of one length that differ mostly differ in their first label
	// (www., cdn.): its first byte spares a call to compare memory.
	return o.tuple == p.tuple && o.opaque == p.opaque && len(o.host) == len(p.host) &&
		(o.host == "" || o.host[0] == p.host[0]) && o.host == p.host && o.IsValid()
}

// IsPotentiallyTrustworthy reports whether o is a potentially trustworthy
// origin (Secure Contexts §3.1): https or wss, a loopback IP address, or a
// localhost name. Opaque origins are not.
func (o Origin) IsPotentiallyTrustworthy() bool {
	if o.opaque != nil || o.tuple == 0 {
		return false
	}
	if s := o.tuple & 0xff; s == schemeHTTPS || s == schemeWSS {
		return true
	}
	h := o.host
	// Secure Contexts §3.1, step 5: "localhost" and its subdomains, with
	// or without a trailing dot.
	h2 := strings.TrimSuffix(h, ".")
	if h == "[::1]" || h2 == "localhost" || strings.HasSuffix(h2, ".localhost") {
		return true
	}
	return o.HasIPHost() && strings.HasPrefix(h, "127.")
}

// String returns the ASCII serialization of o: "null" for an opaque origin,
// scheme "://" host [":" port] for a tuple, "" for the zero Origin.
func (o Origin) String() string {
	if o.opaque != nil {
		return "null"
	}
	if o.tuple == 0 {
		return ""
	}
	return string(o.AppendTo(make([]byte, 0, len(o.host)+14)))
}

// IsSerialization reports whether s is o's serialization, byte for byte,
// as String returns it, without building it: so that a CORS check can
// compare a header's value with the request's origin allocating nothing.
func (o Origin) IsSerialization(s string) bool {
	if o.opaque != nil {
		return s == "null"
	}
	if o.tuple == 0 {
		return s == ""
	}
	scheme := o.Scheme()
	if !strings.HasPrefix(s, scheme) || !strings.HasPrefix(s[len(scheme):], "://") {
		return false
	}
	s = s[len(scheme)+3:]
	if !strings.HasPrefix(s, o.host) {
		return false
	}
	s = s[len(o.host):]
	port, ok := o.Port()
	if !ok {
		return s == ""
	}
	if len(s) < 2 || s[0] != ':' {
		return false
	}
	// The port as String writes it: decimal, no leading zero.
	var digits [5]byte
	d := strconv.AppendUint(digits[:0], uint64(port), 10)
	return s[1:] == string(d)
}

// AppendTo appends the serialization of o, as String returns it, to b.
func (o Origin) AppendTo(b []byte) []byte {
	if o.opaque != nil {
		return append(b, "null"...)
	}
	if o.tuple == 0 {
		return b
	}
	b = append(b, o.Scheme()...)
	b = append(b, "://"...)
	b = append(b, o.host...)
	if port, ok := o.Port(); ok {
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(port), 10)
	}
	return b
}

// MarshalText implements encoding.TextMarshaler with the serialization
// String returns. An opaque origin marshals to "null", and unmarshals to a
// new opaque origin: its identity does not survive.
func (o Origin) MarshalText() ([]byte, error) { return o.AppendTo(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler with Parse. Empty text
// gives the zero Origin.
func (o *Origin) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*o = Origin{}
		return nil
	}
	p, err := Parse(string(text))
	if err != nil {
		return err
	}
	*o = p
	return nil
}
