package htmlscan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/xorigin/xorigin/internal/htmlscan"
)

func TestElements(t *testing.T) {
	t.Parallel()
	const page = `<!doctype html><base href="/sub/"><base href="/ignored/">
<link rel=stylesheet href=s.css><script src=a.js></script><p>text</p>
<picture><source srcset="p.webp"><img src=p.png crossorigin></picture>
<video crossorigin=use-credentials src=v.mp4 poster=p.jpg><source src=v.webm><track src=t.vtt></video>
<source src=orphan.mp4><template><img src=inert.png><p style="x"></template><p style="color: red"><style>p { background: url(x.png) }</style><iframe src=//w.example/></iframe>`
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range htmlscan.Elements(root) {
		loads, err := e.Loads()
		if err != nil {
			t.Fatalf("<%s>: %v", e.Tag, err)
		}
		for _, l := range loads {
			r := l.Request
			got = append(got, strings.Join([]string{e.Tag, l.URL, r.Destination.String(), r.Mode.String(), r.Credentials.String()}, " "))
		}
	}
	want := []string{
		"link s.css style no-cors include",
		"script a.js script no-cors include",
		"source p.webp image cors same-origin",
		"img p.png image cors same-origin",
		"video v.mp4 video cors include",
		"video p.jpg image no-cors include",
		"source v.webm video cors include",
		"track t.vtt track cors include",
		"iframe //w.example/ iframe navigate include",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("loads (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"color: red", "p { background: url(x.png) }"}, stylesOf(root)); diff != "" {
		t.Errorf("Styles (-want +got):\n%s", diff)
	}
	if href, ok := htmlscan.BaseHref(root); !ok || href != "/sub/" {
		t.Errorf("BaseHref = %q, %v; want /sub/", href, ok)
	}
}

func TestStyleRefs(t *testing.T) {
	t.Parallel()
	const sheet = `@import "base.css"; @import url(print.css) print;
@font-face { font-family: X; src: local(X), url("x.woff2") format("woff2"), url(x.woff); }
body { background: url( 'bg.png' ) } /* url(comment.png) */
.a { list-style-image: url(list\,1.png); mask: url(#m); cursor: url() }
@media (min-width: 1px) { .b { background-image: url(  "b.png"  ) } }`
	var got []string
	for _, r := range htmlscan.StyleRefs([]byte(sheet)) {
		got = append(got, r.URL+" "+r.Request.Destination.String()+" "+r.Request.Mode.String()+" "+r.Request.Credentials.String())
	}
	want := []string{
		"base.css style no-cors include",
		"print.css style no-cors include",
		"x.woff2 font cors same-origin",
		"x.woff font cors same-origin",
		"bg.png image no-cors include",
		"list,1.png image no-cors include",
		"b.png image no-cors include",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("StyleRefs (-want +got):\n%s", diff)
	}
}

func stylesOf(root *html.Node) []string {
	var out []string
	for _, s := range htmlscan.Styles(root) {
		out = append(out, string(s))
	}
	return out
}
