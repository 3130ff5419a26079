package enforce_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// Fail closed: where the engine cannot decide, the Transport blocks, sends
// nothing it should not, and says why.

// neverCalled is a base RoundTripper that fails the test if it is used.
func neverCalled(t *testing.T) http.RoundTripper {
	return rtFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("the request to %s was sent", r.URL)
		return nil, errors.New("sent")
	})
}

// TestFailClosedMalformedContext: a fetch context the engine cannot decide
// on (no origin, values outside their enumerations) is refused before the
// request leaves, with a *BlockedError saying invalid-request, or
// ErrNoFetchContext when there is none.
func TestFailClosedMalformedContext(t *testing.T) {
	t.Parallel()
	page := origin.MustParse("https://app.example.test")
	tests := []struct {
		name string
		fr   *fetchctx.Request
	}{
		{"zero origin", &fetchctx.Request{Destination: fetchctx.DestinationImage}},
		{"mode out of range", &fetchctx.Request{Origin: page, Mode: fetchctx.Mode(200)}},
		{"credentials mode out of range", &fetchctx.Request{Origin: page, Credentials: fetchctx.Credentials(200)}},
		{"destination out of range", &fetchctx.Request{Origin: page, Destination: fetchctx.Destination(200)}},
		{"embedder policy out of range", &fetchctx.Request{Origin: page, Policy: fetchctx.EmbedderPolicy{Value: 200}}},
		{"report-only policy out of range", &fetchctx.Request{Origin: page, Policy: fetchctx.EmbedderPolicy{ReportOnlyValue: 200}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := enforce.NewTransport(enforce.TransportConfig{Base: neverCalled(t)})
			resp, err := hostileDo(context.Background(), tr, tt.fr, "https://cdn.other.test/x")
			be := wantBlocked(t, resp, err, enforce.ReasonInvalidRequest)
			if be.Verdict.Step != enforce.StepPrecondition || !strings.Contains(err.Error(), "invalid-request") {
				t.Errorf("verdict %+v, error %q; want the precondition step named", be.Verdict, err)
			}
			// The engine alone refuses it too, on every entry point.
			e := enforce.New(enforce.Config{})
			fr := *tt.fr
			fr.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://cdn.other.test/x")}
			hop := &enforce.Response{Status: 200, CORP: enforce.CORPCrossOrigin, BodyComplete: true}
			for name, v := range map[string]enforce.Verdict{
				"CheckRequest": e.CheckRequest(&fr, 0),
				"CheckHop":     first(e.CheckHop(&fr, 0, hop, nil)),
				"CheckFinal":   first(e.CheckFinal(&fr, hop, nil)),
				"Decide":       first(e.Decide(&fr, []enforce.Response{*hop}, nil)),
			} {
				if v.Reason != enforce.ReasonInvalidRequest {
					t.Errorf("%s: %+v, want invalid-request", name, v)
				}
			}
		})
	}
	t.Run("no fetch context", func(t *testing.T) {
		t.Parallel()
		tr := enforce.NewTransport(enforce.TransportConfig{Base: neverCalled(t)})
		for _, ctx := range []context.Context{context.Background(), fetchctx.NewContext(context.Background(), nil)} {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://cdn.other.test/x", nil)
			if resp, err := tr.RoundTrip(req); resp != nil || !errors.Is(err, enforce.ErrNoFetchContext) {
				t.Errorf("got %v, %v; want ErrNoFetchContext", resp, err)
			}
		}
	})
	t.Run("URL the URL standard rejects", func(t *testing.T) {
		t.Parallel()
		// net/url accepts an IPv6 zone identifier; the URL standard does not.
		tr := enforce.NewTransport(enforce.TransportConfig{Base: neverCalled(t)})
		resp, err := hostileDo(context.Background(), tr, &fetchctx.Request{Origin: page}, "http://[fe80::1%25eth0]:8080/x")
		if resp != nil || err == nil || !strings.Contains(err.Error(), "URL list") {
			t.Errorf("got %v, %v; want an error naming the URL list", resp, err)
		}
	})
}

func first(v enforce.Verdict, _ []enforce.Report) enforce.Verdict { return v }

// TestFailClosedOutOfRangeCORP: a Response built by hand with a CORP value
// outside the enumeration is no policy (Fetch, CORP internal check, step
// 3), which an embedder policy then defaults to same-origin; it never
// passes as cross-origin.
func TestFailClosedOutOfRangeCORP(t *testing.T) {
	t.Parallel()
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	req := &fetchctx.Request{
		Origin: origin.MustParse("https://app.example.test"), Destination: fetchctx.DestinationImage,
		Policy: fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP},
		URLs:   []fetchctx.URL{fetchctx.MustParseURL("https://cdn.other.test/x")},
	}
	v, _ := e.Decide(req, []enforce.Response{{Status: 200, CORP: enforce.CORP(200)}}, nil)
	if v.Reason != enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP {
		t.Errorf("CORP(200) under require-corp: %+v, want blocked as no policy", v)
	}
}

// TestFailClosedBaseMisbehaves: whatever the base RoundTripper does, the
// caller gets a decided response or an error, never a panic: an error
// passes through; a nil response without an error is an error; a response
// without header map or body is decided like an empty one; a body that
// fails while the decision reads it is an error that says so.
func TestFailClosedBaseMisbehaves(t *testing.T) {
	t.Parallel()
	fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Destination: fetchctx.DestinationScript}
	boom := errors.New("boom")
	t.Run("error", func(t *testing.T) {
		tr := enforce.NewTransport(enforce.TransportConfig{Base: rtFunc(func(*http.Request) (*http.Response, error) { return nil, boom })})
		if resp, err := hostileDo(context.Background(), tr, fr, "https://cdn.other.test/x"); resp != nil || !errors.Is(err, boom) {
			t.Errorf("got %v, %v; want the base's error", resp, err)
		}
	})
	t.Run("nil response and nil error", func(t *testing.T) {
		tr := enforce.NewTransport(enforce.TransportConfig{Base: rtFunc(func(*http.Request) (*http.Response, error) { return nil, nil })})
		if resp, err := hostileDo(context.Background(), tr, fr, "https://cdn.other.test/x"); resp != nil || err == nil {
			t.Errorf("got %v, %v; want an error", resp, err)
		}
	})
	t.Run("no header map, no body", func(t *testing.T) {
		tr := enforce.NewTransport(enforce.TransportConfig{Base: rtFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Request: r}, nil
		})})
		// No MIME type and an empty body: ORB allows it (step 13).
		resp, err := hostileDo(context.Background(), tr, fr, "https://cdn.other.test/x")
		if err != nil {
			t.Fatalf("got %v, want the empty response", err)
		}
		if resp.Body != nil {
			resp.Body.Close()
		}
	})
	t.Run("body read error during the decision", func(t *testing.T) {
		body := &failingBody{data: "f();", err: boom}
		tr := enforce.NewTransport(enforce.TransportConfig{Base: rtFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/plain"}}, Body: body, Request: r}, nil
		})})
		resp, err := hostileDo(context.Background(), tr, fr, "https://user:hunter2@cdn.other.test/x")
		var be *enforce.BlockedError
		if resp != nil || !errors.Is(err, boom) || errors.As(err, &be) {
			t.Fatalf("got %v, %v; want the read error", resp, err)
		}
		if msg := err.Error(); !strings.Contains(msg, "reading the body") || !strings.Contains(msg, "cdn.other.test") || strings.Contains(msg, "hunter2") {
			t.Errorf("error %q should say what failed, name the URL, and not its password", msg)
		}
		if !body.closed {
			t.Error("the body was not closed")
		}
	})
}

// failingBody returns data, then err.
type failingBody struct {
	data   string
	err    error
	closed bool
}

func (b *failingBody) Read(p []byte) (int, error) {
	if b.data == "" {
		return 0, b.err
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	return n, nil
}

func (b *failingBody) Close() error { b.closed = true; return nil }

// TestFailClosedNoPasswordInErrorsOrLogs: a blocked request's error and
// log name its URL without the password, as net/http's own errors do.
func TestFailClosedNoPasswordInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	tr := enforce.NewTransport(enforce.TransportConfig{Logger: logger, Base: rtFunc(func(r *http.Request) (*http.Response, error) {
		h := http.Header{}
		h.Set(enforce.HeaderCORP, "same-origin")
		return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader("x")), Request: r}, nil
	})})
	fr := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Destination: fetchctx.DestinationImage}
	resp, err := hostileDo(context.Background(), tr, fr, "https://user:hunter2@cdn.other.test/x")
	be := wantBlocked(t, resp, err, enforce.ReasonCORPNotSameOrigin)
	mu.Lock()
	defer mu.Unlock()
	for what, s := range map[string]string{"BlockedError.URL": be.URL, "Error()": err.Error(), "log": logs.String()} {
		if strings.Contains(s, "hunter2") || !strings.Contains(s, "cdn.other.test/x") {
			t.Errorf("%s = %q: want the URL without its password", what, s)
		}
	}
}
