package site_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/xorigin/xorigin/origin"
	"github.com/xorigin/xorigin/site"
)

// genOrigins generates n origins, with a fixed seed: random labels under
// public suffixes of every kind (ICANN, private, wildcard and exception
// rules, none at all), IP hosts, trailing dots, several schemes and ports,
// and a few opaque origins. Labels come from a tiny alphabet so that
// generated hosts often share a registrable domain, or nearly do.
func genOrigins(r *rand.Rand, n int) []origin.Origin {
	suffixes := []string{"com", "co.uk", "uk", "github.io", "localhost", "test", "ck", "www.ck", "kawasaki.jp", "city.kawasaki.jp", "jp", "example"}
	ips := []string{"127.0.0.1", "192.0.2.1", "[::1]", "[2001:db8::1]", "0x7f.1", "2130706433"}
	schemes := []string{"http", "https", "https", "wss"}
	var out []origin.Origin
	for len(out) < n {
		var host string
		switch k := r.IntN(10); {
		case k == 0:
			host = ips[r.IntN(len(ips))]
		default:
			host = suffixes[r.IntN(len(suffixes))]
			for range r.IntN(4) {
				host = []string{"a", "b", "ab", "x"}[r.IntN(4)] + "." + host
			}
			if r.IntN(8) == 0 {
				host += "."
			}
		}
		port := ""
		if r.IntN(4) == 0 {
			port = fmt.Sprintf(":%d", 8000+r.IntN(2))
		}
		o, err := origin.FromURL(schemes[r.IntN(len(schemes))] + "://" + host + port + "/")
		if err != nil {
			panic(err)
		}
		out = append(out, o)
		if r.IntN(50) == 0 {
			op := origin.NewOpaque()
			out = append(out, op, op)
		}
	}
	return out
}

// TestPropertyRelations checks, over every pair of generated origins: the
// three relations are symmetric; same origin implies same site implies
// schemelessly same site; same site is schemelessly same site with equal
// schemes; and, on a sample of triples, schemelessly same site is
// transitive.
func TestPropertyRelations(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	origins := genOrigins(rng, 400)
	r := site.Default()
	related := 0
	for _, a := range origins {
		if !a.SameOrigin(a) || !r.SameSite(a, a) || !r.SchemelesslySameSite(a, a) {
			t.Fatalf("%v is not related to itself", a)
		}
		for _, b := range origins {
			so, ss, sss := a.SameOrigin(b), r.SameSite(a, b), r.SchemelesslySameSite(a, b)
			if so != b.SameOrigin(a) || ss != r.SameSite(b, a) || sss != r.SchemelesslySameSite(b, a) {
				t.Fatalf("%v, %v: not symmetric", a, b)
			}
			if so && !ss || ss && !sss {
				t.Fatalf("%v, %v: same origin %v, same site %v, schemelessly same site %v", a, b, so, ss, sss)
			}
			if ss != (sss && a.Scheme() == b.Scheme()) {
				t.Fatalf("%v, %v: same site %v, schemelessly %v", a, b, ss, sss)
			}
			if sss && !so {
				related++
			}
		}
	}
	// The generator must exercise the relations, not only their absence.
	if related < len(origins) {
		t.Fatalf("only %d pairs of different origins are same site", related)
	}
	for range 20000 {
		a, b, c := origins[rng.IntN(len(origins))], origins[rng.IntN(len(origins))], origins[rng.IntN(len(origins))]
		if r.SchemelesslySameSite(a, b) && r.SchemelesslySameSite(b, c) && !r.SchemelesslySameSite(a, c) {
			t.Fatalf("schemelessly same site is not transitive on %v, %v, %v", a, b, c)
		}
	}
}
