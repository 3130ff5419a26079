package enforce

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"
)

type trackedBody struct {
	read, closed bool
}

func (b *trackedBody) Read([]byte) (int, error) { b.read = true; return 0, errors.New("read") }
func (b *trackedBody) Close() error             { b.closed = true; return nil }

// No engine verdict is Stripped until opaque response blocking lands, so the
// stripping itself is tested here, below the Transport (an opaque filtered
// response, stripped too, is tested over the wire). A short body is read
// before it is closed, so that its connection is kept; a long one is closed
// unread.
func TestStrip(t *testing.T) {
	for _, tt := range []struct {
		length   int64
		wantRead bool
	}{{42, true}, {-1, true}, {maxDiscard, true}, {maxDiscard + 1, false}, {1 << 30, false}} {
		body := &trackedBody{}
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("Set-Cookie", "a=b")
		resp := &http.Response{StatusCode: 200, Header: h, Body: body, ContentLength: tt.length,
			TransferEncoding: []string{"chunked"}, Trailer: http.Header{"X": {"y"}}}
		strip(resp)
		if body.read != tt.wantRead || !body.closed {
			t.Errorf("length %d: original body read %v, closed %v; want read %v, closed", tt.length, body.read, body.closed, tt.wantRead)
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil || len(b) != 0 || resp.ContentLength != 0 {
			t.Errorf("length %d: stripped body %q (err %v), ContentLength %d", tt.length, b, err, resp.ContentLength)
		}
		if len(resp.Header) != 0 || resp.Trailer != nil || resp.TransferEncoding != nil {
			t.Errorf("length %d: headers %v, trailer %v, transfer encoding %v remain", tt.length, resp.Header, resp.Trailer, resp.TransferEncoding)
		}
	}
}

// urlStrings are URLs whose fast and general serializations must agree.
var urlStrings = []string{
	"http://cdn.example.test/x", "https://a.test:8443/p/q.js?x=1&y=%20", "http://a.test", "http://a.test/",
	"http://a.test/a%20b", "http://a.test/a b", "http://a.test/über", "http://a.test/a?b#c", "http://a.test/?",
	"http://u:p@a.test/x", "http://[::1]:80/x", "http://a.test/*", "http://a.test/a;b=c", "http://a.test/a:b",
	"HTTP://A.TEST/X", "http://a.test/%2F", "mailto:x@y.test", "data:text/plain,hi", "/relative", "http://a.test/~u/._-",
	"http://a.test/!$&'()*+,=@", "http://a.test:/x",
}

func TestURLString(t *testing.T) {
	for _, s := range urlStrings {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got, want := urlString(u), u.String(); got != want {
			t.Errorf("urlString(%q) = %q, want %q", s, got, want)
		}
	}
	// URLs built by hand, as url.Parse never makes them.
	for _, u := range []*url.URL{
		{Scheme: "http", Host: "a.test", Path: "/x", ForceQuery: true},
		{Scheme: "http", Host: "a.test", Path: "/x", RawFragment: "f"},
		{Scheme: "http", Host: "a.test", Path: "x"},
		{Scheme: "http", Host: "a.test", Path: "/x", OmitHost: true},
		{Scheme: "http", Host: "", Path: "/x", OmitHost: true},
		{Scheme: "http", Host: "a.test", Path: "/a b", RawPath: "/a%20b"},
		{Scheme: "http", Host: "a test", Path: "/x"},
	} {
		if got, want := urlString(u), u.String(); got != want {
			t.Errorf("urlString(%#v) = %q, want %q", u, got, want)
		}
	}
}

func FuzzURLString(f *testing.F) {
	for _, s := range urlStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if err != nil {
			return
		}
		if got, want := urlString(u), u.String(); got != want {
			t.Errorf("urlString(%q) = %q, want %q", s, got, want)
		}
	})
}
