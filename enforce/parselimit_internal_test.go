package enforce

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// scriptServer serves body as text/plain, which ORB parses as a script
// for an <img> request, from a loopback httptest server.
func scriptServer(t *testing.T, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func scriptFetch(ctx context.Context, tr *Transport, url string) (*http.Response, error) {
	fr := &fetchctx.Request{Origin: origin.MustParse("http://app.example.test"), Destination: fetchctx.DestinationImage}
	req, err := http.NewRequestWithContext(fetchctx.NewContext(ctx, fr), http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return tr.RoundTrip(req)
}

// TestTransportScriptParseBound: many responses that ORB must parse as
// JavaScript, at once, parse at most MaxConcurrentScriptParses at a time,
// and each still gets its verdict.
func TestTransportScriptParseBound(t *testing.T) {
	const bound, n = 2, 12
	// 256 KiB of tiny statements: the costliest kind of body to parse
	// per byte, a script all the same.
	url := scriptServer(t, strings.Repeat("{}", 128<<10))
	tr := NewTransport(TransportConfig{MaxConcurrentScriptParses: bound})
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := scriptFetch(context.Background(), tr, url)
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a script was not allowed: %v", err)
		}
	}
	if p := tr.scriptParses.peak.Load(); p < 1 || p > bound {
		t.Errorf("at most %d parses ran at once, want between 1 and %d", p, bound)
	}
	if a := tr.scriptParses.active.Load(); a != 0 {
		t.Errorf("%d slots still held after every request returned", a)
	}
}

// TestTransportScriptParseWaits: while every slot is taken, a response
// waits for one (a script that is then allowed), and a request whose
// context ends while waiting fails closed with the context's error.
func TestTransportScriptParseWaits(t *testing.T) {
	url := scriptServer(t, "f();"+strings.Repeat(" ", 2000))
	tr := NewTransport(TransportConfig{MaxConcurrentScriptParses: 1})
	if err := tr.scriptParses.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}

	// The context ends while the request waits: an error, no response.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	resp, err := scriptFetch(ctx, tr, url)
	if resp != nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, %v; want no response and context.DeadlineExceeded", resp, err)
	}

	// A request that waits gets its verdict once the slot is free.
	done := make(chan error, 1)
	go func() {
		resp, err := scriptFetch(context.Background(), tr, url)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("decided (%v) while the only slot was held", err)
	case <-time.After(100 * time.Millisecond):
	}
	tr.scriptParses.release()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("after the slot was freed: %v, want the script allowed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no verdict 10 s after the slot was freed")
	}
}

// TestParseLimiterDefault: zero or less means GOMAXPROCS slots.
func TestParseLimiterDefault(t *testing.T) {
	for _, n := range []int{0, -1} {
		if got, want := cap(newParseLimiter(n).slots), runtime.GOMAXPROCS(0); got != want {
			t.Errorf("newParseLimiter(%d): %d slots, want %d", n, got, want)
		}
	}
	if got := cap(NewTransport(TransportConfig{MaxConcurrentScriptParses: 3}).scriptParses.slots); got != 3 {
		t.Errorf("MaxConcurrentScriptParses 3: %d slots", got)
	}
}
