package enforce_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
)

// A headless browser's hook points: the navigation makes a Document, and
// the Document makes its elements' requests, fetch()'s and
// XMLHttpRequest's. The page, on 127.0.0.1, serves COEP require-corp; the
// same server, named localhost, is another site.
func ExampleDocument() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
			fmt.Fprint(w, `<img src="//localhost/cat.png">`)
		case "/data.json":
			w.Header().Set("Access-Control-Allow-Origin", "*")
			fmt.Fprint(w, `{}`)
		default:
			fmt.Fprint(w, "\x89PNG\r\n\x1a\n")
		}
	}))
	defer srv.Close()
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	client := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{})}
	ctx := context.Background()

	// Navigation: the document is a client.
	nav, _ := enforce.NavigationRequest(ctx, srv.URL+"/")
	resp, err := client.Do(nav)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	doc, _ := enforce.NewDocument(resp, nil)
	fmt.Println("document:", doc.IsSecureContext(), doc.EmbedderPolicy().Value)

	load := func(what string, r *fetchctx.Request) {
		hr, _ := doc.NewRequest(ctx, r, nil)
		resp, err := client.Do(hr)
		var blocked *enforce.BlockedError
		switch {
		case errors.As(err, &blocked):
			fmt.Printf("%s: network error (%s)\n", what, blocked.Verdict.Reason)
		case err != nil:
			fmt.Printf("%s: %v\n", what, err)
		default:
			resp.Body.Close()
			d, _ := enforce.DeliveryOf(resp)
			fmt.Printf("%s: %d, %s\n", what, resp.StatusCode, d.Type)
		}
	}

	// An element: <img src="//localhost:PORT/cat.png">.
	src := other + "/cat.png"
	imgs, _ := doc.ElementRequests(&fetchctx.Element{Tag: "img", Attr: func(n string) (string, bool) {
		return src, n == "src"
	}})
	load("<img>", imgs[0])

	// fetch(url): mode cors, credentials same-origin.
	f, _ := fetchctx.ForFetch(fetchctx.FetchInit{})
	fr, _ := doc.Request(f, other+"/data.json")
	load("fetch()", fr)

	// XMLHttpRequest with withCredentials: a wildcard does not allow it.
	x, _ := fetchctx.ForXHR("GET", nil, true)
	xr, _ := doc.Request(x, other+"/data.json")
	load("XMLHttpRequest", xr)
	// Output:
	// document: true require-corp
	// <img>: network error (corp-not-same-origin-after-defaulted-to-same-origin-by-coep)
	// fetch(): 200, cors
	// XMLHttpRequest: network error (WildcardOriginNotAllowed)
}
