package weburl

import (
	"strconv"
	"strings"
)

// URL is an absolute URL split into the parts an origin and a report need.
// Host is canonical; Path, Query and Fragment are as written.
type URL struct {
	Scheme   string // lowercase, without ':'
	HasCreds bool   // a non-empty username or password (URL: includes credentials)
	Host     string // serialized host; "" when the URL has none or an empty one
	HasHost  bool   // the URL has a host, possibly empty (special URLs, "scheme://...")
	Port     int    // -1 when absent or the scheme's default
	Path     string // for non-special URLs without authority, the opaque path
	Query    string // without '?'
	HasQuery bool
	HasFrag  bool // a fragment was present (it is dropped)
	Special  bool // http, https, ws, wss, ftp or file
}

// Error reports a URL the parser rejects.
type Error struct {
	URL string // the input
	Msg string // what is wrong
}

func (e *Error) Error() string { return "invalid URL " + quote(e.URL) + ": " + e.Msg }

// DefaultPort returns the default port of a special scheme, or -1.
func DefaultPort(scheme string) int {
	switch scheme {
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	case "ftp":
		return 21
	}
	return -1
}

func isSpecial(scheme string) bool {
	return DefaultPort(scheme) >= 0 || scheme == "file"
}

// Parse splits raw, an absolute URL, as the WHATWG URL parser does with no
// base URL. It validates and canonicalizes the scheme, host and port; the
// path, query and fragment are split off but left as written.
func Parse(raw string) (URL, error) {
	if u, ok := ParseCanonical(raw); ok {
		return u, nil
	}
	return parseFull(raw)
}

// parseFull is Parse for any input.
func parseFull(raw string) (URL, error) {
	var u URL
	in := cleanInput(raw)
	// Scheme state: ASCII alpha, then alphanumerics, '+', '-', '.'.
	colon := -1
	for i := 0; i < len(in); i++ {
		c := in[i]
		if isAlpha(c) || i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.') {
			continue
		}
		if c == ':' && i > 0 {
			colon = i
		}
		break
	}
	if colon < 0 {
		return u, &Error{raw, "no scheme (relative URLs need a base)"}
	}
	u.Scheme = asciiLower(in[:colon])
	rest := in[colon+1:]
	u.Special = isSpecial(u.Scheme)
	u.Port = -1

	if u.Special && u.Scheme != "file" {
		// Special authority ignore slashes state: '/' and '\' alike.
		for len(rest) > 0 && (rest[0] == '/' || rest[0] == '\\') {
			rest = rest[1:]
		}
		end := indexSpecialAuthorityEnd(rest)
		if err := u.parseAuthority(raw, rest[:end]); err != nil {
			return u, err
		}
		rest = rest[end:]
	} else if u.Scheme == "file" {
		// File state: a file URL always has a host, maybe empty. File
		// slash state: two slashes, '/' or '\' alike, start the host.
		u.HasHost = true
		if len(rest) >= 2 && (rest[0] == '/' || rest[0] == '\\') && (rest[1] == '/' || rest[1] == '\\') {
			rest = rest[2:]
			end := indexSpecialAuthorityEnd(rest)
			// File host state: a Windows drive letter is the path's first
			// segment, not a host; "localhost" becomes the empty host.
			if host := rest[:end]; host != "" && !isWindowsDriveLetter(host) {
				h, err := ParseHost(host)
				if err != nil {
					return u, &Error{raw, err.Error()}
				}
				if h != "localhost" {
					u.Host = h
				}
				rest = rest[end:]
			}
		}
	} else if strings.HasPrefix(rest, "//") {
		// A non-special authority: the origin is opaque, but the URL
		// parser still rejects a bad host or port.
		rest = rest[2:]
		end := indexAuthorityEnd(rest)
		if err := u.parseOpaqueAuthority(raw, rest[:end]); err != nil {
			return u, err
		}
		rest = rest[end:]
	}
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest, u.HasFrag = rest[:i], true
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		u.Query, u.HasQuery = rest[i+1:], true
		rest = rest[:i]
	}
	u.Path = rest
	return u, nil
}

// ParseCanonical parses, in one pass, the URLs crawlers see most: scheme
// "http" or "https" in lowercase, "//", a host the host parser leaves
// unchanged (a lowercase ASCII domain, see canonicalDomainPrefix), an
// optional port of one to five digits, then a path, query and fragment
// with no tab or newline, and no white space or control character at
// either end. ok reports whether raw has that form; when it has, u is what
// Parse returns. Parse tries it first.
func ParseCanonical(raw string) (u URL, ok bool) {
	u, _, ok = parseCanonical(raw)
	return u, ok
}

// ParseWithReport is Parse, also returning the serialization ForReporting
// returns: raw itself, not a copy, when raw is already in that form, as the
// URLs a crawler fetches mostly are.
func ParseWithReport(raw string) (u URL, report string, err error) {
	u, inForm, ok := parseCanonical(raw)
	if !ok {
		if u, err = parseFull(raw); err != nil {
			return u, "", err
		}
	} else if inForm {
		return u, raw, nil
	}
	return u, u.ForReportingOf(raw), nil
}

// Byte classes for parseCanonical's pass over what follows the host.
const (
	tailPlain = iota
	tailQuery // '?'
	tailHash  // '#'
	tailBreak // tab or newline: the full parser removes them
	tailSlash // '/': a path segment ends
	tailDot   // '.' or '%': may start a dot segment
	tailEnc   // percent-encoded or rewritten when serialized
)

// pathTail and queryTail classify the bytes of a path and of a query.
var pathTail, queryTail = func() (p, q [256]uint8) {
	for c := range 256 {
		if pathEncodeSet[c] || c == '\\' {
			p[c] = tailEnc
		}
		if specialQueryEncodeSet[c] {
			q[c] = tailEnc
		}
	}
	for _, t := range []*[256]uint8{&p, &q} {
		t['\t'], t['\n'], t['\r'] = tailBreak, tailBreak, tailBreak
		t['#'] = tailHash
	}
	p['?'], p['/'], p['.'], p['%'] = tailQuery, tailSlash, tailDot, tailDot
	return p, q
}()

// parseCanonical is ParseCanonical, also reporting whether raw is in the
// form ForReporting serializes it to (inForm): no fragment, the port only
// when not the default and without leading zeros, a path that starts with
// '/' and has no backslash, dot segment or byte to percent-encode, and no
// byte to percent-encode in the query.
func parseCanonical(raw string) (u URL, inForm, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(raw, "https://"):
		u.Scheme, rest = "https", raw[len("https://"):]
	case strings.HasPrefix(raw, "http://"):
		u.Scheme, rest = "http", raw[len("http://"):]
	default:
		return URL{}, false, false
	}
	if raw[len(raw)-1] <= 0x20 {
		// Trailing C0 controls and spaces are trimmed first.
		return URL{}, false, false
	}
	n, ok := canonicalDomainPrefix(rest)
	if !ok {
		return URL{}, false, false
	}
	u.Host, u.HasHost, u.Special, u.Port = rest[:n], true, true, -1
	rest = rest[n:]
	inForm = true
	if rest != "" && rest[0] == ':' {
		p, i := 0, 1
		for ; i < len(rest) && isDigit(rest[i]); i++ {
			p = p*10 + int(rest[i]-'0')
		}
		if i == 1 || i > 6 || p > 65535 {
			// An empty port, or one out of range.
			return URL{}, false, false
		}
		if p != DefaultPort(u.Scheme) {
			u.Port = p
		}
		// The serialization writes a port that is not the default, in
		// decimal.
		inForm = u.Port >= 0 && (i == 2 || rest[1] != '0')
		rest = rest[i:]
	}
	if rest == "" || rest[0] != '/' {
		if rest != "" && rest[0] != '?' && rest[0] != '#' {
			// '@', '\\', '%', an upper-case letter...: the full parser decides.
			return URL{}, false, false
		}
		inForm = false // the serialization's path is "/"
	}
	// The path, up to '?' or '#'.
	i, seg := 0, 1 // seg: where the current path segment starts
	for ; i < len(rest); i++ {
		switch pathTail[rest[i]] {
		case tailPlain, tailDot:
			continue
		case tailSlash:
		case tailEnc:
			inForm = false
			continue
		case tailBreak:
			return URL{}, false, false
		}
		if s := rest[min(seg, i):i]; s != "" && (s[0] == '.' || s[0] == '%') && (isSingleDot(s) || isDoubleDot(s)) {
			inForm = false
		}
		if rest[i] != '/' {
			break
		}
		seg = i + 1
	}
	if i == len(rest) {
		if s := rest[min(seg, i):]; s != "" && (s[0] == '.' || s[0] == '%') && (isSingleDot(s) || isDoubleDot(s)) {
			inForm = false
		}
	}
	u.Path, rest = rest[:i], rest[i:]
	// The query, up to '#'.
	if rest != "" && rest[0] == '?' {
		j := 1
		for ; j < len(rest); j++ {
			switch queryTail[rest[j]] {
			case tailPlain:
				continue
			case tailEnc:
				inForm = false
				continue
			case tailBreak:
				return URL{}, false, false
			}
			break // '#'
		}
		u.Query, u.HasQuery, rest = rest[1:j], true, rest[j:]
	}
	// The fragment, dropped.
	if rest != "" {
		for j := 1; j < len(rest); j++ {
			if queryTail[rest[j]] == tailBreak {
				return URL{}, false, false
			}
		}
		u.HasFrag, inForm = true, false
	}
	return u, inForm, true
}

// ParseCanonicalOrigin parses, in one pass, a serialized origin in the form
// Origin headers most often have: "http://" or "https://", a host the host
// parser leaves unchanged (see canonicalDomainPrefix) and an optional port
// of one to five digits, nothing else. port is -1 when absent or the
// scheme's default. ok reports whether s has that form; when it has, the
// result is what Parse gives for s.
func ParseCanonicalOrigin(s string) (scheme, host string, port int, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(s, "https://"):
		scheme, rest = "https", s[len("https://"):]
	case strings.HasPrefix(s, "http://"):
		scheme, rest = "http", s[len("http://"):]
	default:
		return "", "", 0, false
	}
	n, ok := canonicalDomainPrefix(rest)
	if !ok {
		return "", "", 0, false
	}
	host, rest, port = rest[:n], rest[n:], -1
	if rest == "" {
		return scheme, host, port, true
	}
	if rest[0] != ':' || len(rest) < 2 || len(rest) > 6 {
		return "", "", 0, false
	}
	p := 0
	for i := 1; i < len(rest); i++ {
		if !isDigit(rest[i]) {
			return "", "", 0, false
		}
		p = p*10 + int(rest[i]-'0')
	}
	if p > 65535 {
		return "", "", 0, false
	}
	if p != DefaultPort(scheme) {
		port = p
	}
	return scheme, host, port, true
}

// parseAuthority reads userinfo, host and port of a special URL.
func (u *URL) parseAuthority(raw, auth string) error {
	u.HasHost = true
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		u.HasCreds = hasCredentials(auth[:at])
		auth = auth[at+1:]
	}
	host, port, _ := splitHostPort(auth)
	if host == "" {
		return &Error{raw, "empty host"}
	}
	h, err := ParseHost(host)
	if err != nil {
		return &Error{raw, err.Error()}
	}
	u.Host = h
	return u.parsePort(raw, port)
}

// hasCredentials reports whether userinfo (what comes before the last
// "@" of an authority) gives a non-empty username or password: the URL
// standard's "includes credentials". The username is what comes before its
// first ":", the password what comes after; "@" and ":@" give neither.
func hasCredentials(userinfo string) bool {
	return userinfo != "" && userinfo != ":"
}

// parseOpaqueAuthority reads userinfo, host and port of a non-special URL.
// The host is checked as the opaque-host parser does and percent-encoded
// with the C0 control percent-encode set.
func (u *URL) parseOpaqueAuthority(raw, auth string) error {
	u.HasHost = true
	at := strings.LastIndexByte(auth, '@')
	if at >= 0 {
		u.HasCreds = hasCredentials(auth[:at])
		auth = auth[at+1:]
	}
	host, port, hasPort := splitHostPort(auth)
	// Authority state and host state: userinfo or a port needs a host.
	if host == "" {
		if at >= 0 || hasPort {
			return &Error{raw, "empty host"}
		}
		return nil
	}
	if host[0] == '[' {
		h, err := ParseHost(host)
		if err != nil {
			return &Error{raw, err.Error()}
		}
		u.Host = h
	} else {
		// Opaque-host parser, step 1: forbidden host code points fail.
		for i := 0; i < len(host); i++ {
			if isForbiddenHost(host[i]) {
				return &Error{raw, "forbidden host code point " + quote(host[i:i+1])}
			}
		}
		u.Host = encode(host, &c0ControlEncodeSet)
	}
	return u.parsePort(raw, port)
}

// splitHostPort splits an authority without userinfo at the first ':'
// outside brackets, as the host state does.
func splitHostPort(auth string) (host, port string, hasPort bool) {
	inBracket := false
	for i := 0; i < len(auth); i++ {
		switch auth[i] {
		case '[':
			inBracket = true
		case ']':
			inBracket = false
		case ':':
			if !inBracket {
				return auth[:i], auth[i+1:], true
			}
		}
	}
	return auth, "", false
}

// isForbiddenHost reports whether c is a forbidden host code point (tab, LF
// and CR are gone by then).
func isForbiddenHost(c byte) bool {
	switch c {
	case 0, ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
		return true
	}
	return false
}

// isWindowsDriveLetter reports whether s is an ASCII letter and ':' or '|'.
func isWindowsDriveLetter(s string) bool {
	return len(s) == 2 && isAlpha(s[0]) && (s[1] == ':' || s[1] == '|')
}

// parsePort implements the port state on the digits after ':'.
func (u *URL) parsePort(raw, port string) error {
	if port != "" {
		if !allDigits(port) {
			return &Error{raw, "port " + quote(port) + " is not a number"}
		}
		p := 0
		for i := 0; i < len(port) && p <= 65535; i++ {
			p = p*10 + int(port[i]-'0')
		}
		if p > 65535 {
			return &Error{raw, "port " + quote(port) + " out of range"}
		}
		if p != DefaultPort(u.Scheme) {
			u.Port = p
		}
	}
	return nil
}

// cleanInput strips leading and trailing C0 controls and spaces and removes
// ASCII tabs and newlines, as the URL parser's first steps do.
func cleanInput(s string) string {
	for len(s) > 0 && s[0] <= 0x20 {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] <= 0x20 {
		s = s[:len(s)-1]
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= '\r' && (c == '\t' || c == '\n' || c == '\r') {
			return strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
		}
	}
	return s
}

// indexSpecialAuthorityEnd returns the index of the first '/', '\\', '?' or
// '#' in s, where a special URL's authority (or a file URL's host) ends, or
// len(s). A loop, as strings.IndexAny would build its byte set on every call.
func indexSpecialAuthorityEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '/', '\\', '?', '#':
			return i
		}
	}
	return len(s)
}

// indexAuthorityEnd returns the index of the first '/', '?' or '#' in s,
// where a non-special URL's authority ends, or len(s).
func indexAuthorityEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '/', '?', '#':
			return i
		}
	}
	return len(s)
}

func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// AppendOrigin appends the serialization of a special URL's tuple origin.
func (u *URL) AppendOrigin(b []byte) []byte {
	b = append(b, u.Scheme...)
	b = append(b, "://"...)
	b = append(b, u.Host...)
	if u.Port >= 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(u.Port), 10)
	}
	return b
}

// ForReporting serializes u as Fetch's "serialize a response URL for
// reporting" does: without username, password and fragment. Special URLs get
// the URL serializer's path normalization and percent-encoding; the path and
// query of other URLs are kept as written (a known deviation: no dot-segment
// removal, no percent-encoding), and so are Windows drive letters in file
// URL paths.
func (u *URL) ForReporting() string {
	return string(u.AppendForReporting(make([]byte, 0, len(u.Scheme)+len(u.Host)+len(u.Path)+len(u.Query)+16)))
}

// ForReportingOf is ForReporting for the URL that raw parsed to: when the
// serialization is raw itself, as it is for most URLs a crawler fetches
// (canonical host, no credentials, no fragment, nothing to encode), it
// returns raw, and allocates nothing if raw has at most 256 bytes.
func (u *URL) ForReportingOf(raw string) string {
	var buf [256]byte
	b := u.AppendForReporting(buf[:0])
	if string(b) == raw {
		return raw
	}
	return string(b)
}

// AppendForReporting appends the serialization ForReporting returns to b.
func (u *URL) AppendForReporting(b []byte) []byte {
	if !u.Special {
		b = append(b, u.Scheme...)
		b = append(b, ':')
		// URL serializer, step 2: a host, even an empty one, brings "//".
		if u.HasHost {
			b = append(b, "//"...)
			b = append(b, u.Host...)
			if u.Port >= 0 {
				b = append(b, ':')
				b = strconv.AppendInt(b, int64(u.Port), 10)
			}
		}
		b = append(b, u.Path...)
		if u.HasQuery {
			b = append(b, '?')
			b = append(b, u.Query...)
		}
		return b
	}
	if u.Scheme == "file" {
		b = append(b, "file://"...)
		b = append(b, u.Host...)
	} else {
		b = u.AppendOrigin(b)
	}
	b = appendPath(b, u.Path)
	if u.HasQuery {
		b = append(b, '?')
		b = appendEncoded(b, u.Query, &specialQueryEncodeSet)
	}
	return b
}

// appendPath appends a special URL's path: backslashes as slashes, "." and
// ".." segments resolved, the path percent-encode set applied.
func appendPath(b []byte, path string) []byte {
	start := len(b)
	if path == "" {
		return append(b, '/')
	}
	if path[0] != '/' && path[0] != '\\' {
		path = "/" + path
	}
	for len(path) > 0 {
		// path starts with a separator.
		path = path[1:]
		end := indexSlash(path)
		seg, last := path, true
		if end >= 0 {
			seg, last = path[:end], false
			path = path[end:]
		} else {
			path = ""
		}
		switch {
		case isDoubleDot(seg):
			if i := lastSlash(b[start:]); i >= 0 {
				b = b[:start+i]
			}
			if last {
				b = append(b, '/')
			}
		case isSingleDot(seg):
			if last {
				b = append(b, '/')
			}
		default:
			b = append(b, '/')
			b = appendEncoded(b, seg, &pathEncodeSet)
		}
	}
	if len(b) == start {
		b = append(b, '/')
	}
	return b
}

func lastSlash(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '/' {
			return i
		}
	}
	return -1
}

// indexSlash returns the index of the first '/' or '\\' in s, or -1.
func indexSlash(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' || s[i] == '\\' {
			return i
		}
	}
	return -1
}

func isSingleDot(s string) bool { return s == "." || len(s) == 3 && strings.EqualFold(s, "%2e") }

func isDoubleDot(s string) bool {
	// Most segments are no dot segment: rule them out without lowercasing.
	if len(s) != 2 && len(s) != 4 && len(s) != 6 || s[0] != '.' && s[0] != '%' {
		return false
	}
	switch strings.ToLower(s) {
	case "..", ".%2e", "%2e.", "%2e%2e":
		return true
	}
	return false
}

// Percent-encode sets, as tables: a byte is encoded when its entry is true.
var (
	pathEncodeSet         = encodeSet(` "#<>?` + "`{}^")
	specialQueryEncodeSet = encodeSet(` "#<>'`)
	c0ControlEncodeSet    = encodeSet("") // the C0 control percent-encode set
)

// encodeSet returns the table of the C0 controls, the bytes above '~', and
// extra.
func encodeSet(extra string) [256]bool {
	var t [256]bool
	for c := range t {
		t[c] = c < 0x20 || c > 0x7e
	}
	for i := 0; i < len(extra); i++ {
		t[extra[i]] = true
	}
	return t
}

// encode percent-encodes s with set, allocating only when some byte needs it.
func encode(s string, set *[256]bool) string {
	for i := 0; i < len(s); i++ {
		if set[s[i]] {
			b := append(make([]byte, 0, len(s)+16), s[:i]...)
			return string(appendEncoded(b, s[i:], set))
		}
	}
	return s
}

func appendEncoded(b []byte, s string, set *[256]bool) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if set[c] {
			b = append(b, '%', hex[c>>4], hex[c&15])
		} else {
			b = append(b, c)
		}
	}
	return b
}
