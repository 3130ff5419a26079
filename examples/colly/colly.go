// Command colly is a gocolly/colly v2 collector whose requests carry their
// fetch context: each page is visited as a top-level navigation, each
// subresource its elements start as that element's request, through one
// enforce.Transport. Colly deduplicates by URL; this collector allows
// revisits and deduplicates by fetchctx.Request.Key instead, since the
// same URL can be allowed for one page and blocked for another.
//
// Colly takes a request's context from its Collector (Collector.Context),
// so each fetch uses a Clone (which shares the HTTP backend, its
// Transport and its cookie jar) whose Context carries that fetch's.
//
//	go run . https://example.com/
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gocolly/colly/v2"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/htmlscan"
)

// Resource is one subresource a page loads, or would be blocked from.
type Resource struct {
	Page, URL, Destination string
	Blocked                string // the reason; "" when the page may use it
	Body                   []byte
}

// Collector visits pages with colly.
type Collector struct {
	c    *colly.Collector
	seen map[fetchctx.Key]bool
	out  []Resource
}

// New returns a Collector whose transport is an enforce.Transport over
// base (nil: http.DefaultTransport).
func New(cfg enforce.TransportConfig) *Collector {
	c := colly.NewCollector(colly.AllowURLRevisit())
	c.WithTransport(enforce.NewTransport(cfg))
	return &Collector{c: c, seen: map[fetchctx.Key]bool{}}
}

// Page visits pageURL and fetches what its elements load.
func (x *Collector) Page(ctx context.Context, pageURL string) ([]Resource, error) {
	x.out = nil
	// BEGIN glue: navigation
	nav := x.c.Clone()
	var err error
	if nav.Context, err = enforce.NavigationContext(ctx, pageURL); err != nil {
		return nil, err
	}
	nav.OnHTML("html", func(e *colly.HTMLElement) {
		doc, err := enforce.NewDocumentFromURL(e.Request.URL.String(), *e.Response.Headers, nil)
		// END glue
		if err != nil {
			return
		}
		if href, ok := htmlscan.BaseHref(e.DOM.Nodes[0]); ok {
			if doc, err = doc.WithBaseURL(href); err != nil {
				return
			}
		}
		for _, el := range htmlscan.Elements(e.DOM.Nodes[0]) {
			x.load(ctx, doc, el, pageURL)
		}
	})
	return x.out, nav.Visit(pageURL)
}

// load fetches an element's loads, each once per Key.
func (x *Collector) load(ctx context.Context, doc *enforce.Document, el *fetchctx.Element, page string) {
	// BEGIN glue: element loads
	reqs, _ := doc.ElementRequests(el) // an element that fetches nothing gives none
	for _, r := range reqs {
		if x.seen[r.Key()] {
			continue
		}
		x.seen[r.Key()] = true
		sub := x.c.Clone()
		sub.Context = doc.NewContext(ctx, r)
		// END glue
		res := Resource{Page: page, URL: r.URLs[0].String(), Destination: r.Destination.String()}
		sub.OnResponse(func(resp *colly.Response) { res.Body = resp.Body })
		sub.OnError(func(_ *colly.Response, err error) {
			var blocked *enforce.BlockedError
			if res.Blocked = err.Error(); errors.As(err, &blocked) {
				res.Blocked = blocked.Verdict.Reason.String()
			}
		})
		sub.Visit(res.URL)
		x.out = append(x.out, res)
	}
}

func main() {
	x := New(enforce.TransportConfig{})
	for _, u := range os.Args[1:] {
		rs, err := x.Page(context.Background(), u)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, r := range rs {
			verdict := "loaded"
			if r.Blocked != "" {
				verdict = "blocked: " + r.Blocked
			}
			fmt.Printf("%s\t%s\t%s\t%s\n", r.Page, r.Destination, r.URL, verdict)
		}
	}
}
