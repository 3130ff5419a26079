package site_test

import (
	"fmt"
	"strings"

	"github.com/xorigin/xorigin/origin"
	"github.com/xorigin/xorigin/site"
)

func ExampleResolver_SameSite() {
	r := site.Default()
	page := origin.MustParse("https://www.example.co.uk")
	for _, s := range []string{
		"https://cdn.example.co.uk:8443", // same registrable domain, port ignored
		"http://cdn.example.co.uk",       // schemelessly same site only
		"https://example.com",            // another site
	} {
		o := origin.MustParse(s)
		fmt.Printf("%s: same site %v, schemelessly %v\n", o, r.SameSite(page, o), r.SchemelesslySameSite(page, o))
	}
	// The private section of the list counts: each github.io user is a site.
	fmt.Println(r.SameSite(origin.MustParse("https://a.github.io"), origin.MustParse("https://b.github.io")))
	// Output:
	// https://cdn.example.co.uk:8443: same site true, schemelessly true
	// http://cdn.example.co.uk: same site false, schemelessly true
	// https://example.com: same site false, schemelessly false
	// false
}

func ExampleRegistrableDomain() {
	for _, host := range []string{"www.example.co.uk", "x.a.github.io", "example.com.", "co.uk", "localhost", "192.0.2.1"} {
		rd, ok := site.RegistrableDomain(host)
		fmt.Printf("%s: %q %v\n", host, rd, ok)
	}
	// Output:
	// www.example.co.uk: "example.co.uk" true
	// x.a.github.io: "a.github.io" true
	// example.com.: "example.com." true
	// co.uk: "" false
	// localhost: "" false
	// 192.0.2.1: "" false
}

func ExampleParseList() {
	const dat = `// A public_suffix_list.dat excerpt.
*.ck
!www.ck
`
	l, err := site.ParseList(strings.NewReader(dat), "excerpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := site.New(l)
	for _, host := range []string{"a.foo.ck", "foo.ck", "www.ck"} {
		rd, ok := r.RegistrableDomain(host)
		fmt.Printf("%s: %q %v\n", host, rd, ok)
	}
	// Output:
	// a.foo.ck: "a.foo.ck" true
	// foo.ck: "" false
	// www.ck: "www.ck" true
}
