package weburl

import (
	"strconv"
	"strings"
)

// URL is an absolute URL split into the parts an origin and a report need.
// Host is canonical; Path, Query and Fragment are as written.
type URL struct {
	Scheme   string // lowercase, without ':'
	HasCreds bool   // userinfo was present
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
		end := strings.IndexAny(rest, "/\\?#")
		if end < 0 {
			end = len(rest)
		}
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
			end := strings.IndexAny(rest, "/\\?#")
			if end < 0 {
				end = len(rest)
			}
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
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
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

// parseAuthority reads userinfo, host and port of a special URL.
func (u *URL) parseAuthority(raw, auth string) error {
	u.HasHost = true
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		u.HasCreds = true
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

// parseOpaqueAuthority reads userinfo, host and port of a non-special URL.
// The host is checked as the opaque-host parser does and percent-encoded
// with the C0 control percent-encode set.
func (u *URL) parseOpaqueAuthority(raw, auth string) error {
	u.HasHost = true
	at := strings.LastIndexByte(auth, '@')
	if at >= 0 {
		u.HasCreds = true
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
		u.Host = encode(host, isC0ControlEncoded)
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
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	return s
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
	b := make([]byte, 0, len(u.Scheme)+len(u.Host)+len(u.Path)+len(u.Query)+16)
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
		return string(b)
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
		b = appendEncoded(b, u.Query, isSpecialQueryEncoded)
	}
	return string(b)
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
		end := strings.IndexAny(path, "/\\")
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
			b = appendEncoded(b, seg, isPathEncoded)
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

func isSingleDot(s string) bool { return s == "." || strings.EqualFold(s, "%2e") }

func isDoubleDot(s string) bool {
	switch strings.ToLower(s) {
	case "..", ".%2e", "%2e.", "%2e%2e":
		return true
	}
	return false
}

func isPathEncoded(c byte) bool {
	switch c {
	case ' ', '"', '#', '<', '>', '?', '`', '{', '}', '^':
		return true
	}
	return c < 0x20 || c > 0x7e
}

func isSpecialQueryEncoded(c byte) bool {
	switch c {
	case ' ', '"', '#', '<', '>', '\'':
		return true
	}
	return c < 0x20 || c > 0x7e
}

// isC0ControlEncoded is the C0 control percent-encode set.
func isC0ControlEncoded(c byte) bool { return c < 0x20 || c > 0x7e }

// encode percent-encodes s with enc, allocating only when some byte needs it.
func encode(s string, enc func(byte) bool) string {
	for i := 0; i < len(s); i++ {
		if enc(s[i]) {
			b := append(make([]byte, 0, len(s)+16), s[:i]...)
			return string(appendEncoded(b, s[i:], enc))
		}
	}
	return s
}

func appendEncoded(b []byte, s string, enc func(byte) bool) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if enc(c) {
			b = append(b, '%', hex[c>>4], hex[c&15])
		} else {
			b = append(b, c)
		}
	}
	return b
}
