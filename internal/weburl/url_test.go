package weburl

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// special returns the URL a special-scheme input with host h and no port,
// query or fragment parses to; tests adjust the rest.
func special(scheme, host, path string) URL {
	return URL{Scheme: scheme, Host: host, HasHost: true, Port: -1, Path: path, Special: true}
}

func TestParse(t *testing.T) {
	t.Parallel()
	with := func(u URL, f func(*URL)) URL { f(&u); return u }
	tests := []struct {
		name    string
		in      string
		want    URL
		wantErr bool
	}{
		// Schemes.
		{name: "all parts", in: "https://example.com/path?q#f", want: with(special("https", "example.com", "/path"), func(u *URL) {
			u.Query, u.HasQuery, u.HasFrag = "q", true, true
		})},
		{name: "uppercase scheme and host", in: "HTTPS://EXAMPLE.COM", want: special("https", "example.com", "")},
		{name: "ws", in: "ws://example.com/", want: special("ws", "example.com", "/")},
		{name: "wss", in: "wss://example.com/", want: special("wss", "example.com", "/")},
		{name: "ftp", in: "ftp://example.com/f", want: special("ftp", "example.com", "/f")},
		{name: "scheme with plus, minus and dot", in: "git+ssh.x-y://host/x", want: URL{Scheme: "git+ssh.x-y", Host: "host", HasHost: true, Port: -1, Path: "/x"}},
		{name: "scheme with digits", in: "h2c://host", want: URL{Scheme: "h2c", Host: "host", HasHost: true, Port: -1}},
		{name: "no scheme", in: "example.com", wantErr: true},
		{name: "scheme-relative", in: "//example.com/", wantErr: true},
		{name: "path only", in: "/path", wantErr: true},
		{name: "scheme starting with a digit", in: "1http://example.com", wantErr: true},
		{name: "empty scheme", in: ":foo", wantErr: true},
		{name: "empty input", in: "", wantErr: true},
		{name: "only white space", in: " \t\n", wantErr: true},

		// Special authority: slashes and backslashes.
		{name: "backslashes as slashes", in: "http:\\\\example.com\\path", want: special("http", "example.com", "\\path")},
		{name: "slash and backslash", in: "http:/\\example.com/", want: special("http", "example.com", "/")},
		{name: "many slashes", in: "http:////example.com/", want: special("http", "example.com", "/")},
		{name: "missing slashes", in: "http:example.com/x", want: special("http", "example.com", "/x")},
		{name: "one slash", in: "http:/example.com", want: special("http", "example.com", "")},
		{name: "backslash ends the host", in: "http://example.com\\@evil.com/", want: special("http", "example.com", "\\@evil.com/")},
		{name: "query ends the host", in: "http://example.com?x", want: with(special("http", "example.com", ""), func(u *URL) {
			u.Query, u.HasQuery = "x", true
		})},
		{name: "fragment ends the host", in: "http://example.com#x", want: with(special("http", "example.com", ""), func(u *URL) {
			u.HasFrag = true
		})},

		// Userinfo.
		{name: "userinfo", in: "http://user:pass@example.com/", want: with(special("http", "example.com", "/"), func(u *URL) { u.HasCreds = true })},
		{name: "last at sign wins", in: "http://a@b@example.com/", want: with(special("http", "example.com", "/"), func(u *URL) { u.HasCreds = true })},
		{name: "colons and at signs in userinfo", in: "http://::@c@d:2", want: with(special("http", "d", ""), func(u *URL) { u.HasCreds, u.Port = true, 2 })},
		{name: "empty userinfo", in: "http://@example.com", want: special("http", "example.com", "")},
		{name: "empty username and password", in: "http://:@example.com", want: special("http", "example.com", "")},
		{name: "empty username, a password", in: "http://:p@example.com", want: with(special("http", "example.com", ""), func(u *URL) { u.HasCreds = true })},
		{name: "a username, no password", in: "http://u:@example.com", want: with(special("http", "example.com", ""), func(u *URL) { u.HasCreds = true })},
		{name: "empty non-special userinfo", in: "sc://:@host/", want: URL{Scheme: "sc", Host: "host", HasHost: true, Port: -1, Path: "/"}},
		{name: "at sign in the path", in: "http://example.com/@evil.com", want: special("http", "example.com", "/@evil.com")},
		{name: "userinfo without host", in: "http://user@/", wantErr: true},
		{name: "userinfo with port only", in: "http://user@:80/", wantErr: true},

		// Ports.
		{name: "http default port dropped", in: "http://example.com:80/", want: special("http", "example.com", "/")},
		{name: "https default port dropped", in: "https://example.com:443", want: special("https", "example.com", "")},
		{name: "ws default port dropped", in: "ws://example.com:80", want: special("ws", "example.com", "")},
		{name: "wss default port dropped", in: "wss://example.com:443", want: special("wss", "example.com", "")},
		{name: "ftp default port dropped", in: "ftp://example.com:21", want: special("ftp", "example.com", "")},
		{name: "other scheme's default port kept", in: "http://example.com:443", want: with(special("http", "example.com", ""), func(u *URL) { u.Port = 443 })},
		{name: "leading zeros, default port", in: "http://example.com:0080/", want: special("http", "example.com", "/")},
		{name: "many leading zeros", in: "http://f:00000000000000000000080/c", want: special("http", "f", "/c")},
		{name: "port zero", in: "http://example.com:0", want: with(special("http", "example.com", ""), func(u *URL) { u.Port = 0 })},
		{name: "largest port", in: "http://example.com:65535", want: with(special("http", "example.com", ""), func(u *URL) { u.Port = 65535 })},
		{name: "empty port", in: "http://example.com:/x", want: special("http", "example.com", "/x")},
		{name: "IPv6 with port", in: "http://[::1]:8080/", want: with(special("http", "[::1]", "/"), func(u *URL) { u.Port = 8080 })},
		{name: "port too large", in: "http://example.com:65536", wantErr: true},
		{name: "port far too large", in: "http://example.com:99999999999999999999", wantErr: true},
		{name: "port with a letter", in: "http://example.com:8a", wantErr: true},
		{name: "port with a space", in: "http://f: /c", wantErr: true},
		{name: "negative port", in: "http://example.com:-1", wantErr: true},
		{name: "two ports", in: "http://example.com:80:80", wantErr: true},
		{name: "port without host", in: "http://:80/", wantErr: true},

		// Hosts.
		{name: "no host", in: "http://", wantErr: true},
		{name: "empty host before path", in: "http:///", wantErr: true},
		{name: "empty host before query", in: "http://?x", wantErr: true},
		{name: "bad host", in: "http://exa mple.com/", wantErr: true},
		{name: "bad IPv6 host", in: "http://[::1/", wantErr: true},
		{name: "IPv4 host canonicalized", in: "http://0x7f.1/", want: special("http", "127.0.0.1", "/")},
		{name: "IDN host canonicalized", in: "https://faß.de/", want: special("https", "xn--fa-hia.de", "/")},

		// Input clean-up.
		{name: "tabs and newlines removed", in: "ht\ttp://exa\nmple.com/pa\rth", want: special("http", "example.com", "/path")},
		{name: "tab and newline inside the host", in: "http://example\t.\norg", want: special("http", "example.org", "")},
		{name: "C0 controls and spaces trimmed", in: " \x00\x1f http://example.com/ \x01", want: special("http", "example.com", "/")},
		{name: "inner space kept in path", in: "http://h/a b", want: special("http", "h", "/a b")},

		// File URLs: special, with a host that may be empty.
		{name: "file empty host", in: "file:///etc/passwd", want: special("file", "", "/etc/passwd")},
		{name: "file localhost is the empty host", in: "file://localhost/x", want: special("file", "", "/x")},
		{name: "file host canonicalized", in: "file://HOST/x", want: special("file", "host", "/x")},
		{name: "file backslashes", in: "file:\\\\host\\x", want: special("file", "host", "\\x")},
		{name: "file one slash", in: "file:/x", want: special("file", "", "/x")},
		{name: "file drive letter is a path", in: "file://C|/x", want: special("file", "", "C|/x")},
		{name: "file host with port", in: "file://example:1/", wantErr: true},
		{name: "file host with userinfo", in: "file://u@h/", wantErr: true},
		{name: "file bad host", in: "file://xn--%C3%BC%E2%80%8B/p", wantErr: true},
		{name: "file host with an ASCII xn-- label", in: "file://xn--/p", want: URL{Scheme: "file", Host: "xn--", HasHost: true, Port: -1, Path: "/p", Special: true}},

		// Non-special URLs.
		{name: "data", in: "data:text/plain,hi", want: URL{Scheme: "data", Port: -1, Path: "text/plain,hi"}},
		{name: "mailto", in: "mailto:a@example.com", want: URL{Scheme: "mailto", Port: -1, Path: "a@example.com"}},
		{name: "javascript", in: "javascript:alert(1)//#x", want: URL{Scheme: "javascript", Port: -1, Path: "alert(1)//", HasFrag: true}},
		{name: "about", in: "about:blank", want: URL{Scheme: "about", Port: -1, Path: "blank"}},
		{name: "blob", in: "blob:https://example.com/uuid", want: URL{Scheme: "blob", Port: -1, Path: "https://example.com/uuid"}},
		{name: "non-special authority", in: "sc://user:pw@host:123/p?q#f", want: URL{Scheme: "sc", HasCreds: true, Host: "host", HasHost: true, Port: 123, Path: "/p", Query: "q", HasQuery: true, HasFrag: true}},
		{name: "non-special empty host", in: "sc://", want: URL{Scheme: "sc", HasHost: true, Port: -1}},
		{name: "non-special empty host and path", in: "foo:////://///", want: URL{Scheme: "foo", HasHost: true, Port: -1, Path: "//://///"}},
		{name: "non-special host keeps case", in: "sc://ExAmPlE/", want: URL{Scheme: "sc", Host: "ExAmPlE", HasHost: true, Port: -1, Path: "/"}},
		{name: "non-special host percent-encoded", in: "sc://ñ", want: URL{Scheme: "sc", Host: "%C3%B1", HasHost: true, Port: -1}},
		{name: "non-special IPv6 host", in: "sc://[0::1]/", want: URL{Scheme: "sc", Host: "[::1]", HasHost: true, Port: -1, Path: "/"}},
		{name: "non-special backslash is not a separator", in: "sc://host\\a", wantErr: true},
		{name: "non-special host with space", in: "sc://a b/", wantErr: true},
		{name: "non-special host with less-than", in: "sc://a<b", wantErr: true},
		{name: "non-special port without host", in: "sc://:12/", wantErr: true},
		{name: "non-special userinfo without host", in: "sc://@/", wantErr: true},
		{name: "non-special port too large", in: "non-special://f:999999/c", wantErr: true},
		{name: "non-special bad IPv6", in: "sc://[:1]", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Parse(%q) = %+v, want an error", tt.in, got)
				}
				var ue *Error
				if !errors.As(err, &ue) || ue.URL != tt.in {
					t.Fatalf("Parse(%q) error = %#v, want an *Error for the input", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) failed: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestForReporting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		// Credentials and fragment dropped, the rest kept.
		{name: "credentials and fragment dropped", in: "https://user:pass@example.com/path?q#frag", want: "https://example.com/path?q"},
		{name: "empty path becomes slash", in: "https://example.com", want: "https://example.com/"},
		{name: "query without path", in: "https://example.com?q", want: "https://example.com/?q"},
		{name: "empty query kept", in: "https://example.com/?", want: "https://example.com/?"},
		{name: "empty fragment dropped", in: "https://example.com/#", want: "https://example.com/"},
		{name: "question mark in fragment", in: "http://h/p#a?b", want: "http://h/p"},
		{name: "canonical scheme, host and port", in: "HTTPS://EXAMPLE.COM:443/A", want: "https://example.com/A"},
		{name: "non-default port kept", in: "http://example.com:8080/", want: "http://example.com:8080/"},
		{name: "IPv4 host", in: "http://0x7f.1/", want: "http://127.0.0.1/"},
		{name: "IPv6 host", in: "http://[0:0::1]:81/", want: "http://[::1]:81/"},
		{name: "IDN host", in: "https://faß.de/", want: "https://xn--fa-hia.de/"},

		// Dot segments.
		{name: "single dot", in: "http://h/a/./b", want: "http://h/a/b"},
		{name: "double dot", in: "http://h/a/../b", want: "http://h/b"},
		{name: "double dot last", in: "http://h/a/..", want: "http://h/"},
		{name: "double dot after two segments", in: "http://h/a/b/..", want: "http://h/a/"},
		{name: "single dot last", in: "http://h/a/.", want: "http://h/a/"},
		{name: "double dot at the root", in: "http://h/..", want: "http://h/"},
		{name: "double dots above the root", in: "http://h/../../x", want: "http://h/x"},
		{name: "encoded single dot", in: "http://h/a/%2e/b", want: "http://h/a/b"},
		{name: "encoded double dot mixed case", in: "http://h/a/%2E%2e/b", want: "http://h/b"},
		{name: "dot and encoded dot", in: "http://h/a/.%2e/b", want: "http://h/b"},
		{name: "encoded dot and dot", in: "http://h/a/%2e./b", want: "http://h/b"},
		{name: "three dots is a name", in: "http://h/a/...", want: "http://h/a/..."},
		{name: "empty segments kept", in: "http://h//a", want: "http://h//a"},
		{name: "double dot removes an empty segment", in: "http://h/a//../b", want: "http://h/a/b"},
		{name: "backslashes in path", in: "http://h\\a\\b", want: "http://h/a/b"},
		{name: "backslashes with double dot", in: "http://h/a\\..\\b", want: "http://h/b"},

		// Path percent-encode set.
		{name: "space in path", in: "http://h/a b", want: "http://h/a%20b"},
		{name: "quotes in path", in: `http://h/"q"`, want: "http://h/%22q%22"},
		{name: "angle brackets in path", in: "http://h/<x>", want: "http://h/%3Cx%3E"},
		{name: "non-ASCII in path", in: "http://h/ü", want: "http://h/%C3%BC"},
		{name: "apostrophe not encoded in path", in: "http://h/'", want: "http://h/'"},
		{name: "braces, backtick and caret in path", in: "http://h/{`^}", want: "http://h/%7B%60%5E%7D"},
		{name: "existing escapes kept", in: "http://h/%41%zz", want: "http://h/%41%zz"},
		{name: "vertical bar not encoded in path", in: "http://h/a|b", want: "http://h/a|b"},
		{name: "DEL in path", in: "http://h/\x7f", want: "http://h/%7F"},

		// Special-query percent-encode set.
		{name: "space in query", in: "http://h/?a b", want: "http://h/?a%20b"},
		{name: "quotes and angle brackets in query", in: `http://h/?"'<>`, want: "http://h/?%22%27%3C%3E"},
		{name: "apostrophe in ws query", in: "ws://h/?'", want: "ws://h/?%27"},
		{name: "non-ASCII in query", in: "http://h/?ü", want: "http://h/?%C3%BC"},
		{name: "braces, backtick, caret and bar kept in query", in: "http://h/?{`^}|", want: "http://h/?{`^}|"},

		// File URLs.
		{name: "file", in: "file:///etc/passwd", want: "file:///etc/passwd"},
		{name: "file localhost", in: "file://localhost/etc", want: "file:///etc"},
		{name: "file host and dot segments", in: "file://host/a/../b", want: "file://host/b"},
		{name: "file one slash", in: "file:/x", want: "file:///x"},
		{name: "file backslashes", in: "file:\\\\host\\x", want: "file://host/x"},

		// Non-special URLs: path and query as written.
		{name: "data as written", in: "data:text/html,<b>hi</b>#x", want: "data:text/html,<b>hi</b>"},
		{name: "non-special credentials dropped, port kept", in: "sc://user@host:8/p?q#f", want: "sc://host:8/p?q"},
		{name: "non-special empty host", in: "sc://", want: "sc://"},
		{name: "non-special empty host and slashes", in: "foo:////://///", want: "foo:////://///"},
		{name: "non-special host percent-encoded", in: "sc://ñ/x", want: "sc://%C3%B1/x"},
		{name: "blob", in: "blob:https://example.com/uuid#x", want: "blob:https://example.com/uuid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) failed: %v", tt.in, err)
			}
			if got := u.ForReporting(); got != tt.want {
				t.Errorf("Parse(%q).ForReporting() = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDefaultPort(t *testing.T) {
	t.Parallel()
	for scheme, want := range map[string]int{
		"http": 80, "ws": 80, "https": 443, "wss": 443, "ftp": 21,
		"file": -1, "data": -1, "HTTP": -1, "": -1,
	} {
		if got := DefaultPort(scheme); got != want {
			t.Errorf("DefaultPort(%q) = %d, want %d", scheme, got, want)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := Parse("http://example.com:8a")
	const want = `invalid URL "http://example.com:8a": port "8a" is not a number`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

var sinkURL URL

func TestParseNoAllocs(t *testing.T) {
	for _, in := range []string{"https://example.com/path?q", "http://127.0.0.1:8080/", "https://[::1]/", "data:text/plain,hi"} {
		allocs := testing.AllocsPerRun(100, func() {
			sinkURL, _ = Parse(in)
		})
		if allocs != 0 {
			t.Errorf("Parse(%q) allocated %v times, want 0", in, allocs)
		}
	}
}
