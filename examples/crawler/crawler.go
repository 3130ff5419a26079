// Command crawler fetches pages and their subresources as a browser would,
// through enforce.Transport, and keeps only what a browser would let the
// page see. It deduplicates fetches by fetchctx.Request.Key (URL,
// initiator, destination, mode, credentials and embedder policy), not by
// URL alone: the same image may load on one page and be blocked on
// another whose Cross-Origin-Embedder-Policy requires CORP.
//
//	go run . https://example.com/ https://example.org/
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"golang.org/x/net/html"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/htmlscan"
)

// Resource is one subresource a page loads, or would be blocked from.
type Resource struct {
	Page, URL   string
	Destination string
	Blocked     string // the reason; "" when the page may use it
	Body        []byte // what the page may see; nil when blocked
}

// Crawler crawls pages through one enforce.Transport.
type Crawler struct {
	Client *http.Client
	seen   map[fetchctx.Key]bool
}

// New returns a Crawler over base (nil: http.DefaultTransport).
func New(base http.RoundTripper) *Crawler {
	return &Crawler{
		Client: &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: base})},
		seen:   map[fetchctx.Key]bool{},
	}
}

// Page navigates to pageURL and fetches each subresource its elements
// start, once per Key.
func (c *Crawler) Page(ctx context.Context, pageURL string) ([]Resource, error) {
	// BEGIN glue: navigation
	nav, err := enforce.NavigationRequest(ctx, pageURL)
	if err != nil {
		return nil, err
	}
	resp, err := c.Client.Do(nav)
	if err != nil {
		return nil, err
	}
	doc, err := enforce.NewDocument(resp, nil)
	// END glue
	defer resp.Body.Close()
	if err != nil {
		return nil, err
	}
	root, err := html.Parse(resp.Body)
	if err != nil {
		return nil, err
	}
	if href, ok := htmlscan.BaseHref(root); ok {
		if doc, err = doc.WithBaseURL(href); err != nil {
			return nil, err
		}
	}
	var out []Resource
	for _, el := range htmlscan.Elements(root) {
		// BEGIN glue: element loads
		reqs, _ := doc.ElementRequests(el) // an element that fetches nothing gives none
		for _, r := range reqs {
			if c.seen[r.Key()] {
				continue
			}
			c.seen[r.Key()] = true
			hr, err := doc.NewRequest(ctx, r, nil)
			// END glue
			if err != nil {
				return nil, err
			}
			out = append(out, c.load(hr, pageURL, r))
		}
	}
	return out, nil
}

// load fetches one subresource and keeps what the page may see.
func (c *Crawler) load(hr *http.Request, page string, r *fetchctx.Request) Resource {
	res := Resource{Page: page, URL: hr.URL.String(), Destination: r.Destination.String()}
	resp, err := c.Client.Do(hr)
	var blocked *enforce.BlockedError
	switch {
	case errors.As(err, &blocked):
		res.Blocked = blocked.Verdict.Reason.String()
		return res
	case err != nil:
		res.Blocked = err.Error()
		return res
	}
	defer resp.Body.Close()
	res.Body, err = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		res.Blocked, res.Body = err.Error(), nil
	}
	return res
}

func main() {
	c := New(nil)
	for _, u := range os.Args[1:] {
		rs, err := c.Page(context.Background(), u)
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
