package htmlscan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/xorigin/xorigin/htmlscan"
)

func TestElements(t *testing.T) {
	t.Parallel()
	const page = `<!doctype html><base href="/sub/"><base href="/ignored/">
<link rel=stylesheet href=s.css><script src=a.js></script><p>text</p>
<picture><source srcset="p.webp"><img src=p.png crossorigin></picture>
<video crossorigin=use-credentials src=v.mp4 poster=p.jpg><source src=v.webm><track src=t.vtt></video>
<source src=orphan.mp4><template><img src=inert.png></template><iframe src=//w.example/></iframe>`
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
	if href, ok := htmlscan.BaseHref(root); !ok || href != "/sub/" {
		t.Errorf("BaseHref = %q, %v; want /sub/", href, ok)
	}
}
