package enforce_test

import (
	"fmt"
	"net/http"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// A script served with Cross-Origin-Resource-Policy: same-site runs on a page
// of the same site, and is a network error on a page of another site: its
// body never reaches that page.
func Example() {
	engine := enforce.New(enforce.Config{})

	// https://cdn.example.com/user/profile.js answers:
	h := http.Header{}
	h.Set("Content-Type", "text/javascript")
	h.Set("Cross-Origin-Resource-Policy", "same-site")
	resp, _ := enforce.ParseResponse(200, h) // body: const secret = 1337;

	for _, page := range []string{"https://app.example.com", "https://app.anothersite.com"} {
		req := &fetchctx.Request{
			Origin:      origin.MustParse(page),
			Destination: fetchctx.DestinationScript,
			Mode:        fetchctx.ModeNoCORS,
			URLs:        []fetchctx.URL{fetchctx.MustParseURL("https://cdn.example.com/user/profile.js")},
		}
		v, _ := engine.Decide(req, []enforce.Response{resp}, nil)
		if v.Allows() {
			fmt.Printf("%s: run it\n", page)
		} else {
			fmt.Printf("%s: network error (%s)\n", page, v.Reason)
		}
	}
	// Output:
	// https://app.example.com: run it
	// https://app.anothersite.com: network error (corp-not-same-site)
}

// Under Cross-Origin-Embedder-Policy: require-corp, a cross-origin image
// without a CORP header is blocked, and a report is queued for the page.
// (This engine runs the CORP check alone.)
func ExampleEngine_Decide_requireCORP() {
	engine := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	req := &fetchctx.Request{
		Origin:      origin.MustParse("https://app.example"),
		Destination: fetchctx.DestinationImage,
		Policy:      fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP, ReportingEndpoint: "coep"},
		URLs:        []fetchctx.URL{fetchctx.MustParseURL("https://user:pw@images.example.net/cat.png?size=2#top")},
	}
	v, reports := engine.Decide(req, []enforce.Response{{Status: 200}}, nil)
	fmt.Println(v.Result, v.Reason)
	fmt.Println(v.Step)
	for _, r := range reports {
		fmt.Println(r.Type, r.BlockedURL, r.Destination, r.Disposition, r.Endpoint)
	}
	// Output:
	// blocked corp-not-same-origin-after-defaulted-to-same-origin-by-coep
	// Fetch: cross-origin resource policy check, steps 5-7
	// corp https://images.example.net/cat.png?size=2 image enforce coep
}
