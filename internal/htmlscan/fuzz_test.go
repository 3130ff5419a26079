package htmlscan_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/htmlscan"
)

// FuzzStyleRefs: any CSS text gives references without panicking, each
// with a non-empty URL and one of the three requests CSS makes.
func FuzzStyleRefs(f *testing.F) {
	for _, s := range []string{
		`@import "a.css"; @font-face { src: url(f.woff) } p { background: url( 'b.png' ) }`,
		`@import url(`,                          // unterminated
		`p { background: url("x\"y.png") }`,     // an escaped quote
		`}}}{{{ @font-face { } url(z) `,         // unbalanced braces
		"p{background:url(\\\n)}",               // an escaped newline
		`@media { @font-face { src: url(q) } }`, // nested blocks
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, r := range htmlscan.StyleRefs(src) {
			d := r.Request.Destination
			if r.URL == "" || d != fetchctx.DestinationFont && d != fetchctx.DestinationImage && d != fetchctx.DestinationStyle {
				t.Fatalf("StyleRefs(%q) gave %+v", src, r)
			}
		}
	})
}

// FuzzElements: any HTML gives elements whose loads derive without
// panicking, each load a URL and a request, or a typed error.
func FuzzElements(f *testing.F) {
	for _, s := range []string{
		`<img src=a srcset="b 1x, c 2x" crossorigin><script type=module src=m></script>`,
		`<picture><source srcset=p><img></picture><video><source src=v><track src=t></video>`,
		`<link rel="stylesheet preload modulepreload icon manifest" as=worker href=x crossorigin=use-credentials>`,
		`<iframe srcdoc=x src=y></iframe><object data=o></object><embed src=e><input type=image src=i>`,
		`<template><img src=inert></template><base href=/b/><style>p{background:url(s)}</style>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		root, err := html.Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, el := range htmlscan.Elements(root) {
			loads, err := el.Loads()
			var ee *fetchctx.ElementError
			if err != nil && !errors.As(err, &ee) {
				t.Fatalf("<%s>: untyped error %v", el.Tag, err)
			}
			for _, l := range loads {
				if l.URL == "" || l.Attr == "" {
					t.Fatalf("<%s>: a load without a URL or attribute: %+v", el.Tag, l)
				}
			}
		}
		htmlscan.BaseHref(root)
		for _, css := range htmlscan.Styles(root) {
			htmlscan.StyleRefs(bytes.Clone(css))
		}
	})
}
