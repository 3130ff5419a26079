package enforce

import (
	"errors"
	"io"
	"net/http"
	"testing"
)

type trackedBody struct {
	read, closed bool
}

func (b *trackedBody) Read([]byte) (int, error) { b.read = true; return 0, errors.New("read") }
func (b *trackedBody) Close() error             { b.closed = true; return nil }

// No engine verdict is Stripped until opaque response blocking lands, so the
// stripping itself is tested here, below the Transport.
func TestStrip(t *testing.T) {
	body := &trackedBody{}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", "42")
	h.Set("Set-Cookie", "a=b")
	resp := &http.Response{StatusCode: 200, Header: h, Body: body, ContentLength: 42,
		TransferEncoding: []string{"chunked"}, Trailer: http.Header{"X": {"y"}}}
	strip(resp)
	if body.read || !body.closed {
		t.Errorf("original body read %v, closed %v; want unread and closed", body.read, body.closed)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil || len(b) != 0 || resp.ContentLength != 0 {
		t.Errorf("stripped body %q (err %v), ContentLength %d", b, err, resp.ContentLength)
	}
	if len(resp.Header) != 0 || resp.Trailer != nil || resp.TransferEncoding != nil {
		t.Errorf("headers %v, trailer %v, transfer encoding %v remain", resp.Header, resp.Trailer, resp.TransferEncoding)
	}
}
