package enforce

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// zeroReader returns (0, nil) forever: io.Reader allows it now and then.
type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

// TestReadMoreFailsClosed checks the Transport's body reader below the
// Transport: only io.EOF completes a body; a truncated body, a reader that
// makes no progress, and a decision that asks for nothing new are errors,
// never a body judged as whole or an endless loop.
func TestReadMoreFailsClosed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		body         io.Reader
		have         string
		complete     bool
		need, budget int
		wantErr      error // nil: no error
		wantBody     string
		wantComplete bool
	}{
		{"the body ends: complete", strings.NewReader("f();"), "", false, 1024, 4096, nil, "f();", true},
		{"need bytes read: not complete", strings.NewReader("abcdef"), "", false, 3, 4096, nil, "abc", false},
		{"the budget caps the need", strings.NewReader(strings.Repeat("a", 100)), "", false, WholeBody, 10, nil, strings.Repeat("a", 11), false},
		{"what it had is kept in front", strings.NewReader("def"), "abc", false, 1024, 4096, nil, "abcdef", true},
		{"cut off by the connection", io.MultiReader(strings.NewReader("f();"), errReader{io.ErrUnexpectedEOF}), "", false, 1024, 4096, io.ErrUnexpectedEOF, "f();", false},
		{"no progress", zeroReader{}, "", false, 1024, 4096, io.ErrNoProgress, "", false},
		{"asks for what it has", strings.NewReader("more"), "abc", false, 3, 4096, errNoProgress, "abc", false},
		{"asks for more of a complete body", strings.NewReader("more"), "abc", true, 1024, 4096, errNoProgress, "abc", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{Body: io.NopCloser(tt.body)}
			hop := &Response{Body: []byte(tt.have), BodyComplete: tt.complete}
			err := readMore(resp, hop, tt.need, tt.budget)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if string(hop.Body) != tt.wantBody || hop.BodyComplete != tt.wantComplete {
				t.Errorf("body %q complete %v, want %q %v", hop.Body, hop.BodyComplete, tt.wantBody, tt.wantComplete)
			}
		})
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestReadMoreContentLength: a Content-Length sizes the buffer (a short
// body costs a few bytes, not 4 KiB); one that is wrong costs copies, never
// bytes of the body.
func TestReadMoreContentLength(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		body     string
		length   int64
		wantBody string
		maxCap   int
	}{
		{"as announced", "ok", 2, "ok", 3},
		{"longer than announced", strings.Repeat("a", 5000), 2, strings.Repeat("a", 1024), 1024},
		{"shorter than announced", "ok", 3000, "ok", 1024},
		{"none announced", "ok", -1, "ok", 1024},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{Body: io.NopCloser(strings.NewReader(tt.body)), ContentLength: tt.length}
			hop := &Response{}
			if err := readMore(resp, hop, 1024, 4096); err != nil {
				t.Fatal(err)
			}
			if string(hop.Body) != tt.wantBody || cap(hop.Body) > tt.maxCap {
				t.Errorf("body %q (capacity %d), want %q (capacity at most %d)", hop.Body, cap(hop.Body), tt.wantBody, tt.maxCap)
			}
		})
	}
}
