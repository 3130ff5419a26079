package enforce_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// Wrap a client's transport, then say in each request's context who is
// asking: here, an <img> on http://app.example.test, under COEP require-corp.
func ExampleNewTransport() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/corp.png" {
			w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		}
		io.WriteString(w, "PNG")
	}))
	defer srv.Close()

	client := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{
		OnReport: func(_ context.Context, r enforce.Report) {
			fmt.Println("report:", r.Type, r.Disposition)
		},
	})}

	page := &fetchctx.Request{
		Origin:      origin.MustParse("http://app.example.test"),
		Destination: fetchctx.DestinationImage,
		Policy:      fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP},
	}
	ctx := fetchctx.NewContext(context.Background(), page)
	for _, path := range []string{"/corp.png", "/plain.png"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		resp, err := client.Do(req)
		var blocked *enforce.BlockedError
		switch {
		case errors.As(err, &blocked):
			fmt.Println(path, "blocked:", blocked.Verdict.Reason)
		case err != nil:
			fmt.Println(path, "error:", err)
		default:
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			fmt.Println(path, "loaded:", string(body))
		}
	}
	// Output:
	// /corp.png loaded: PNG
	// report: corp enforce
	// /plain.png blocked: corp-not-same-origin-after-defaulted-to-same-origin-by-coep
}

// A request without a fetch context is refused: the Transport cannot tell
// who is asking, so it does not guess.
func ExampleNewTransport_incorrect() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()

	client := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{})}
	_, err := client.Get(srv.URL) // no fetchctx.NewContext
	fmt.Println(errors.Is(err, enforce.ErrNoFetchContext))
	// Output:
	// true
}
