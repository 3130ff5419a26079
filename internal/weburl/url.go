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
	Host     string // serialized host; "" when the URL has none
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
	} else if strings.HasPrefix(rest, "//") {
		// A non-special authority or a file host: the origin is opaque, so
		// only credentials matter for reporting.
		rest = rest[2:]
		end := strings.IndexAny(rest, "/?#")
		if u.Scheme == "file" {
			end = strings.IndexAny(rest, "/\\?#")
		}
		if end < 0 {
			end = len(rest)
		}
		auth := rest[:end]
		if at := strings.LastIndexByte(auth, '@'); at >= 0 && u.Scheme != "file" {
			u.HasCreds = true
			auth = auth[at+1:]
		}
		u.Host = auth
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
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		u.HasCreds = true
		auth = auth[at+1:]
	}
	host, port := auth, ""
	// The port follows the last ':' outside brackets.
	inBracket := false
	for i := 0; i < len(auth); i++ {
		switch auth[i] {
		case '[':
			inBracket = true
		case ']':
			inBracket = false
		case ':':
			if !inBracket {
				host, port = auth[:i], auth[i+1:]
				i = len(auth)
			}
		}
	}
	if host == "" {
		return &Error{raw, "empty host"}
	}
	h, err := ParseHost(host)
	if err != nil {
		return &Error{raw, err.Error()}
	}
	u.Host = h
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
// the URL serializer's path normalization and percent-encoding.
func (u *URL) ForReporting() string {
	b := make([]byte, 0, len(u.Scheme)+len(u.Host)+len(u.Path)+len(u.Query)+16)
	if !u.Special {
		b = append(b, u.Scheme...)
		b = append(b, ':')
		if u.Host != "" {
			b = append(b, "//"...)
			b = append(b, u.Host...)
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
