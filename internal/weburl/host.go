// Package weburl is a small, fast subset of the WHATWG URL parser: enough to
// find a URL's origin, canonicalize its host as browsers do, and serialize it
// for reports. It is not a general URL parser.
package weburl

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// HostError reports a host the URL standard's host parser rejects.
type HostError struct {
	Host string // the host as given
	Msg  string // what is wrong
}

func (e *HostError) Error() string { return "invalid host " + quote(e.Host) + ": " + e.Msg }

func hostErr(h, msg string) error { return &HostError{Host: h, Msg: msg} }

// uts46 is domain to ASCII with the URL standard's options (beStrict false):
// CheckHyphens=false, CheckBidi=true, CheckJoiners=true,
// UseSTD3ASCIIRules=false, Transitional_Processing=false, VerifyDnsLength=false.
var uts46 = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
	idna.CheckJoiners(true),
	idna.VerifyDNSLength(false),
	idna.RemoveLeadingDots(false),
)

// ParseHost runs the URL standard's host parser for a special URL
// (isOpaque false) on input and returns the host serialized: a lowercase
// ASCII domain, a dotted-decimal IPv4 address, or a bracketed, compressed
// IPv6 address. It allocates only when the host is not already canonical.
func ParseHost(input string) (string, error) {
	if isCanonicalDomain(input) {
		return input, nil
	}
	return parseHost(input)
}

// isCanonicalDomain reports whether input is a domain the host parser
// returns unchanged, judged in one pass (see canonicalDomainPrefix). Most
// hosts a crawler sees are; the others take the full parser.
func isCanonicalDomain(input string) bool {
	n, ok := canonicalDomainPrefix(input)
	return ok && n == len(input)
}

// canonicalDomainPrefix scans s up to its first byte that is not a
// lowercase ASCII letter, digit, '-', '_' or '.', and returns that index n.
// ok reports whether s[:n] is a domain the host parser returns unchanged:
// not empty, and a last label (before an optional trailing dot) that is
// not empty and does not start with a digit, so it does not end in a
// number. (Domain to ASCII only lowercases an ASCII domain, "xn--" labels
// included.)
func canonicalDomainPrefix(s string) (n int, ok bool) {
	labelStart := 0
	i := 0
	for ; i < len(s); i++ {
		switch domainByte[s[i]] {
		case domainLDH:
		case domainDot:
			labelStart = i + 1
		default:
			goto end
		}
	}
end:
	last := s[labelStart:i]
	if last == "" && i > 0 && labelStart == i {
		// A trailing dot: the label before it is the last one.
		j := i - 1
		k := strings.LastIndexByte(s[:j], '.') + 1
		last = s[k:j]
	}
	return i, last != "" && !isDigit(last[0])
}

// Classes of the bytes of a canonical domain, for canonicalDomainPrefix.
const (
	domainOther = iota // ends the domain
	domainLDH          // a lowercase letter, a digit, '-' or '_'
	domainDot
)

var domainByte = func() (t [256]uint8) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
			t[c] = domainLDH
		case c == '.':
			t[c] = domainDot
		}
	}
	return t
}()

// parseHost is the host parser in full, for hosts that are not canonical
// domains.
func parseHost(input string) (string, error) {
	// URL host parser, step 1: IPv6 in brackets.
	if strings.HasPrefix(input, "[") {
		if !strings.HasSuffix(input, "]") || len(input) < 2 {
			return "", hostErr(input, "unclosed IPv6 bracket")
		}
		var a [8]uint16
		if err := parseIPv6(input[1:len(input)-1], &a); err != nil {
			return "", hostErr(input, err.Error())
		}
		if s, ok := canonicalIPv6Literal(input, &a); ok {
			return s, nil
		}
		return "[" + string(appendIPv6(make([]byte, 0, 39), &a)) + "]", nil
	}
	if input == "" {
		return "", hostErr(input, "empty host")
	}
	// Steps 3-4: percent-decode, then UTF-8 decode without BOM (invalid
	// sequences become U+FFFD, which domain to ASCII rejects).
	domain := input
	if strings.IndexByte(domain, '%') >= 0 {
		domain = percentDecode(domain)
	}
	if !utf8.ValidString(domain) {
		domain = strings.ToValidUTF8(domain, "\uFFFD")
	}
	// Step 5: domain to ASCII.
	ascii, err := domainToASCII(domain)
	if err != nil {
		return "", hostErr(input, err.Error())
	}
	// Step 7: forbidden domain code points.
	for i := 0; i < len(ascii); i++ {
		if isForbiddenDomain(ascii[i]) {
			return "", hostErr(input, "forbidden domain code point "+quote(ascii[i:i+1]))
		}
	}
	// Step 8: a domain that ends in a number is an IPv4 address.
	if endsInNumber(ascii) {
		v4, err := parseIPv4(ascii)
		if err != nil {
			return "", hostErr(input, err.Error())
		}
		if ascii == input && isCanonicalIPv4(input, v4) {
			return input, nil
		}
		return string(appendIPv4(make([]byte, 0, 15), v4)), nil
	}
	return ascii, nil
}

// domainToASCII implements the URL standard's "domain to ASCII" with
// beStrict false.
func domainToASCII(domain string) (string, error) {
	// Domain to ASCII (beStrict false), steps 2-3: an ASCII domain is only
	// lowercased, whatever Unicode ToASCII would make of it: a label that
	// starts with "xn--" and does not decode (xn--8i7caa) stays as it is,
	// for web compatibility (whatwg/url, "Add Unicode ToASCII fallback for
	// ASCII domains", 2026).
	if isASCII(domain) {
		return asciiLower(domain), nil
	}
	out, err := uts46.ToASCII(domain)
	if err != nil {
		return "", errString("domain to ASCII failed: " + idnaMsg(err))
	}
	// Step 3: an empty result is failure.
	if out == "" {
		return "", errString("domain to ASCII gave the empty string")
	}
	if err := checkACELabels(domain, out); err != nil {
		return "", err
	}
	return out, nil
}

// maxPunycodeLabel is the most code points a label that needs Punycode may
// have: ICU4C's limit (ICU-13727), which rust-url shares. UTS 46 sets none,
// but x/net/idna decodes no label of 1024 code points or more, so without a
// limit a host could serialize to a form that does not parse back.
const maxPunycodeLabel = 1000

// checkACELabels makes up for two UTS 46 checks x/net/idna skips on labels
// that start with "xn--". UTS 46 Processing, step 4: a label that decodes to
// the empty string is an error (x/net/idna turns "xn--" into an empty label
// without one). Validity criterion 4, which applies because CheckHyphens is
// false: a decoded label must not itself start with "xn--". It also applies
// maxPunycodeLabel.
func checkACELabels(domain, out string) error {
	for rest := out; rest != ""; {
		label := rest
		if i := strings.IndexByte(rest, '.'); i >= 0 {
			label, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		// Encoding puts a label's ASCII code points first, so a decoded
		// label can start with "xn--" only if its encoding starts with
		// "xn--xn--"; and it has at most as many code points as its
		// encoding has bytes. Decode only those labels to be sure.
		long := len(label) > len("xn--")+maxPunycodeLabel
		if strings.HasPrefix(label, "xn--xn--") || long && strings.HasPrefix(label, "xn--") {
			u, err := idna.Punycode.ToUnicode(label)
			if err != nil || utf8.RuneCountInString(u) > maxPunycodeLabel {
				return errString("domain to ASCII failed: a label needing Punycode has more than 1000 code points")
			}
			if strings.HasPrefix(u, "xn--") {
				return errString("domain to ASCII failed: label " + quote(label) + " decodes to a label starting with \"xn--\"")
			}
		}
	}
	// An "xn--" label shows up as an empty label in out; most domains have
	// none, so only then map domain again, a code point at a time, to find
	// out whether an empty label was "xn--" before decoding.
	if out[0] != '.' && out[len(out)-1] != '.' && !strings.Contains(out, "..") {
		return nil
	}
	var label []byte // the mapped label so far, kept only up to 5 bytes
	isACE := func() bool { return string(label) == "xn--" }
	for _, r := range domain {
		m := string(r)
		if r >= utf8.RuneSelf {
			m, _ = uts46.ToUnicode(m) // the mapping; errors were caught on the whole domain
		} else {
			m = asciiLower(m)
		}
		for i := 0; i < len(m); i++ {
			if m[i] == '.' {
				if isACE() {
					return errString("domain to ASCII failed: empty \"xn--\" label")
				}
				label = label[:0]
			} else if len(label) < 5 {
				label = append(label, m[i])
			}
		}
	}
	if isACE() {
		return errString("domain to ASCII failed: empty \"xn--\" label")
	}
	return nil
}

func idnaMsg(err error) string {
	s := err.Error()
	return strings.TrimPrefix(s, "idna: ")
}

type errString string

func (e errString) Error() string { return string(e) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiLower lowercases s, allocating only when s has an upper-case letter.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// isForbiddenDomain reports whether c is a forbidden domain code point
// (URL standard: forbidden host code points, C0 controls, %, DEL).
func isForbiddenDomain(c byte) bool {
	if c <= 0x20 || c == 0x7f || c == '%' {
		return true
	}
	switch c {
	case '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
		return true
	}
	return false
}

func percentDecode(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func quote(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strconv.Quote(s)
}
