package origin_test

import (
	"fmt"

	"github.com/xorigin/xorigin/origin"
)

func ExampleFromURL() {
	for _, u := range []string{
		"https://user:pass@EXAMPLE.com:443/path?q#f",
		"http://bücher.example:8080/",
		"http://0x7f.1/",
		"blob:https://example.com/0b3f5e2c",
		"data:text/plain,hi",
	} {
		o, err := origin.FromURL(u)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(o)
	}
	_, err := origin.FromURL("http://exa mple.com/")
	fmt.Println(err)
	// Output:
	// https://example.com
	// http://xn--bcher-kva.example:8080
	// http://127.0.0.1
	// https://example.com
	// null
	// origin: "http://exa mple.com/": invalid host "exa mple.com": forbidden domain code point " "
}

func ExampleParse() {
	o, err := origin.Parse("https://EXAMPLE.com:443")
	if err != nil {
		panic(err)
	}
	fmt.Println(o, o.Scheme(), o.Host())
	port, ok := o.Port()
	fmt.Println(port, ok)

	// An Origin header's "null" is an opaque origin.
	null, _ := origin.Parse("null")
	fmt.Println(null, null.IsOpaque())

	// A serialized origin has no path, query, fragment or userinfo.
	_, err = origin.Parse("https://example.com/")
	fmt.Println(err)
	// Output:
	// https://example.com https example.com
	// 0 false
	// null true
	// origin: "https://example.com/": unexpected "/" at byte 19: a serialized origin has no userinfo, path, query or fragment
}

func ExampleOrigin_SameOrigin() {
	page := origin.MustParse("https://example.com")
	img, _ := origin.FromURL("https://EXAMPLE.com:443/logo.png")
	api, _ := origin.FromURL("https://api.example.com/v1")
	fmt.Println(page.SameOrigin(img), page == img)
	fmt.Println(page.SameOrigin(api))

	// Opaque origins are same origin only with themselves, even when they
	// come from the same URL.
	a, _ := origin.FromURL("data:text/plain,hi")
	b, _ := origin.FromURL("data:text/plain,hi")
	fmt.Println(a.SameOrigin(a), a.SameOrigin(b))

	// The zero Origin is same origin with nothing.
	var zero origin.Origin
	fmt.Println(zero.SameOrigin(zero))
	// Output:
	// true true
	// false
	// true false
	// false
}
