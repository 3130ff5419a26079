// Package htmlscan finds, in a document parsed by golang.org/x/net/html,
// the elements that fetch: each as a fetchctx.Element, with the element
// that decides its fetch (Owner) set, so that fetchctx.Element.Loads (or
// enforce.Document.ElementRequests) derives its requests as HTML does.
package htmlscan

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/xorigin/xorigin/fetchctx"
)

// Elements returns, in tree order, the elements under root that may fetch
// (img, input, script, link, audio, video, source, track, iframe, frame,
// object, embed), outside <template> contents, which are inert. A <source>
// or <track> gets its parent <audio> or <video> as Owner; a <picture>'s
// <source> gets the picture's <img>, which makes the request. A <source>
// or <track> elsewhere fetches nothing and is left out.
func Elements(root *html.Node) []*fetchctx.Element {
	var out []*fetchctx.Element
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				walk(c)
				continue
			}
			if c.DataAtom == atom.Template {
				continue
			}
			switch c.DataAtom {
			case atom.Img, atom.Input, atom.Script, atom.Link, atom.Audio, atom.Video,
				atom.Iframe, atom.Frame, atom.Object, atom.Embed:
				out = append(out, element(c, nil))
			case atom.Source, atom.Track:
				if owner := ownerOf(c); owner != nil {
					out = append(out, element(c, owner))
				}
			}
			walk(c)
		}
	}
	walk(root)
	return out
}

// ownerOf returns the element whose state decides a <source> or <track>'s
// fetch, or nil.
func ownerOf(n *html.Node) *fetchctx.Element {
	p := n.Parent
	if p == nil || p.Type != html.ElementNode {
		return nil
	}
	switch {
	case p.DataAtom == atom.Audio || p.DataAtom == atom.Video:
		return element(p, nil)
	case p.DataAtom == atom.Picture && n.DataAtom == atom.Source:
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Img {
				return element(c, nil)
			}
		}
	}
	return nil
}

func element(n *html.Node, owner *fetchctx.Element) *fetchctx.Element {
	return &fetchctx.Element{Tag: n.Data, Attr: Attr(n), Owner: owner}
}

// Attr returns an attribute lookup for n, for fetchctx.Element.Attr:
// names match ASCII case-insensitively (the parser lowercases them), the
// first of duplicates wins, as HTML's tokenizer keeps it.
func Attr(n *html.Node) func(name string) (string, bool) {
	return func(name string) (string, bool) {
		for _, a := range n.Attr {
			if a.Namespace == "" && strings.EqualFold(a.Key, name) {
				return a.Val, true
			}
		}
		return "", false
	}
}

// BaseHref returns the href of the first <base> element with one (HTML:
// the document base URL comes from the first base element with an href),
// and whether there is one.
func BaseHref(root *html.Node) (string, bool) {
	var href string
	var found bool
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Base {
				if v, ok := Attr(c)("href"); ok {
					href, found = v, true
					return
				}
			}
			if c.Type == html.ElementNode && c.DataAtom == atom.Template {
				continue
			}
			walk(c)
		}
	}
	walk(root)
	return href, found
}

// Styles returns, in tree order, the CSS text of each <style> element and
// each style attribute under root (outside <template> contents), for
// StyleRefs; their URLs are relative to the document base URL.
func Styles(root *html.Node) [][]byte {
	var out [][]byte
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Template {
				continue
			}
			if v, ok := Attr(c)("style"); ok && c.Namespace == "" {
				out = append(out, []byte(v))
			}
			if c.DataAtom == atom.Style {
				var b strings.Builder
				for t := c.FirstChild; t != nil; t = t.NextSibling {
					if t.Type == html.TextNode {
						b.WriteString(t.Data)
					}
				}
				out = append(out, []byte(b.String()))
				continue
			}
			walk(c)
		}
	}
	walk(root)
	return out
}
