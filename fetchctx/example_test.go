package fetchctx_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// A page at https://app.example loads an image from another origin: the
// Request rides in the http.Request's context, and a RoundTripper further
// down reads it back.
func ExampleNewContext() {
	req := &fetchctx.Request{
		Origin:      origin.MustParse("https://app.example"),
		Destination: fetchctx.DestinationImage,
		Mode:        fetchctx.ModeNoCORS,
		URLs:        []fetchctx.URL{fetchctx.MustParseURL("https://cdn.example/logo.png")},
	}
	ctx := fetchctx.NewContext(context.Background(), req)
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URLs[0].String(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}

	// In the RoundTripper:
	if r, ok := fetchctx.FromContext(hreq.Context()); ok {
		tainting, _ := r.Tainting(0)
		fmt.Println(r.Origin, r.Mode, r.Destination, tainting, r.IncludesCredentials(0))
	}
	// A request sent without one:
	_, ok := fetchctx.FromContext(context.Background())
	fmt.Println(ok)
	// Output:
	// https://app.example no-cors image opaque false
	// false
}

func ExampleParseEmbedderPolicy() {
	h := http.Header{}
	h.Set("Cross-Origin-Embedder-Policy", `require-corp; report-to="coep"`)
	h.Set("Cross-Origin-Embedder-Policy-Report-Only", "Credentialless") // wrong case

	p, err := fetchctx.ParseEmbedderPolicy(h.Values(fetchctx.HeaderCOEP), h.Values(fetchctx.HeaderCOEPReportOnly))
	fmt.Println(p.Value, p.ReportingEndpoint)
	fmt.Println(p.ReportOnlyValue) // the spec's fallback
	var he *fetchctx.HeaderError
	if errors.As(err, &he) {
		fmt.Println(he.Name, he.Value)
	}
	// Output:
	// require-corp coep
	// unsafe-none
	// Cross-Origin-Embedder-Policy-Report-Only Credentialless
}
