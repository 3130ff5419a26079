package site_test

import (
	"strings"
	"testing"

	"github.com/xorigin/xorigin/origin"
	"github.com/xorigin/xorigin/site"
)

// fuzzOrigin makes an origin of s as a serialized origin, else as a URL.
func fuzzOrigin(s string) (origin.Origin, bool) {
	if o, err := origin.Parse(s); err == nil {
		return o, true
	}
	o, err := origin.FromURL(s)
	return o, err == nil
}

// FuzzRelations checks the three relations on two origins made from
// arbitrary URLs or serialized origins: each is reflexive and symmetric;
// same origin implies same site implies schemelessly same site; same site is
// schemelessly same site with equal schemes; schemelessly same site is
// HTML's definition over RegistrableDomain; a registrable domain is a
// label suffix of its host and its own registrable domain.
func FuzzRelations(f *testing.F) {
	for _, p := range [][2]string{
		{"https://a.example.com", "https://b.example.com"},
		{"https://a.example.com", "http://b.example.com:8080"},
		{"https://a.github.io", "https://b.github.io"},
		{"https://github.io", "https://localhost"},
		{"https://example.com.", "https://example.com"},
		{"http://127.0.0.1:1", "http://0x7f.1:2"},
		{"http://[::1]", "http://[0:0::1]"},
		{"https://bücher.example", "https://xn--bcher-kva.example"},
		{"https://аpple.com", "https://apple.com"},
		{"https://a..com", "https://b..com"},
		{"data:,x", "data:,x"},
		{"null", "https://a.test"},
		{"blob:https://a.test/x", "https://a.test"},
		{"https://www.example.co.uk", "http://cdn.example.co.uk"},
	} {
		f.Add(p[0], p[1])
	}
	r := site.Default()
	// Cached resolvers answer as r: one of four entries (one bucket, where
	// every host meets the others) and one of the default size.
	cached := []*site.Resolver{site.NewCached(nil, 4), site.NewCached(nil, 0)}
	f.Fuzz(func(t *testing.T, sa, sb string) {
		a, okA := fuzzOrigin(sa)
		b, okB := fuzzOrigin(sb)
		if !okA || !okB {
			return
		}
		for _, c := range cached {
			for range 2 { // cold, then warm
				for _, h := range []string{a.Host(), b.Host()} {
					want, wantOK := r.RegistrableDomain(h)
					if got, ok := c.RegistrableDomain(h); got != want || ok != wantOK {
						t.Fatalf("cached RegistrableDomain(%q) = %q, %v; uncached %q, %v", h, got, ok, want, wantOK)
					}
				}
				if got, want := c.SchemelesslySameSite(a, b), r.SchemelesslySameSite(a, b); got != want {
					t.Fatalf("cached SchemelesslySameSite(%v, %v) = %v, uncached %v", a, b, got, want)
				}
				if !a.IsOpaque() && !b.IsOpaque() {
					if got, want := c.SameSiteHosts(a.Host(), b.Host()), r.SameSiteHosts(a.Host(), b.Host()); got != want {
						t.Fatalf("cached SameSiteHosts(%q, %q) = %v, uncached %v", a.Host(), b.Host(), got, want)
					}
				}
			}
		}
		for _, o := range []origin.Origin{a, b} {
			if !o.SameOrigin(o) || !r.SameSite(o, o) || !r.SchemelesslySameSite(o, o) {
				t.Fatalf("%v is not related to itself", o)
			}
			if h := o.Host(); h != "" {
				rd, ok := r.RegistrableDomain(h)
				rd2, ok2 := r.RegistrableDomain(h)
				if rd != rd2 || ok != ok2 {
					t.Fatalf("RegistrableDomain(%q) is not deterministic", h)
				}
				if ok && (rd == "" || !(rd == h || strings.HasSuffix(h, "."+rd))) {
					t.Fatalf("RegistrableDomain(%q) = %q, not a label suffix", h, rd)
				}
				if ok {
					if again, ok := r.RegistrableDomain(rd); !ok || again != rd {
						t.Fatalf("RegistrableDomain(%q) = %q, whose own is %q, %v", h, rd, again, ok)
					}
				}
			}
		}
		so, ss, sss := a.SameOrigin(b), r.SameSite(a, b), r.SchemelesslySameSite(a, b)
		if so != b.SameOrigin(a) || ss != r.SameSite(b, a) || sss != r.SchemelesslySameSite(b, a) {
			t.Fatalf("%v, %v: relations not symmetric", a, b)
		}
		if so != (a == b) {
			t.Fatalf("%v, %v: SameOrigin = %v but == is %v", a, b, so, a == b)
		}
		if so && !ss || ss && !sss {
			t.Fatalf("%v, %v: same origin %v, same site %v, schemelessly %v", a, b, so, ss, sss)
		}
		if ss != (sss && a.Scheme() == b.Scheme()) {
			t.Fatalf("%v, %v: SameSite = %v, schemelessly %v", a, b, ss, sss)
		}
		if a.IsOpaque() || b.IsOpaque() {
			if sss != (a == b) {
				t.Fatalf("%v, %v: an opaque origin is schemelessly same site only with itself", a, b)
			}
			return
		}
		ra, okA := r.RegistrableDomain(a.Host())
		rb, okB := r.RegistrableDomain(b.Host())
		if want := a.Host() == b.Host() || okA && okB && ra == rb; sss != want {
			t.Fatalf("SchemelesslySameSite(%v, %v) = %v; HTML's definition gives %v", a, b, sss, want)
		}
	})
}

// FuzzSameSiteHosts gives SameSiteHosts and RegistrableDomain arbitrary
// strings, which a caller may pass however the contract asks for canonical
// hosts: they must not panic, and a cached resolver (one bucket, so that
// the two hosts meet) answers as the list does, in either order.
func FuzzSameSiteHosts(f *testing.F) {
	for _, p := range [][2]string{
		{"app.example.com", "cdn.example.com"},
		{"abcdefghx.yyyyyyzzzz.com", "abcdefghxx.yyyyyzzzz.com"},
		{"", "example.com"},
		{"a.b", "b"},
		{"EXAMPLE.com", "www.example.com"},
		{"192.0.2.1", "2.1"},
		{"[::1]", "::1]"},
		{"x..com", "y..com"},
		{strings.Repeat("a.", 130) + "com", strings.Repeat("a.", 129) + "com"},
	} {
		f.Add(p[0], p[1])
	}
	plain := site.New(nil)
	cached := site.NewCached(nil, 4)
	f.Fuzz(func(t *testing.T, a, b string) {
		want := plain.SameSiteHosts(a, b)
		if plain.SameSiteHosts(b, a) != want {
			t.Fatalf("SameSiteHosts(%q, %q) is not symmetric", a, b)
		}
		for range 2 { // cold, then warm
			if got := cached.SameSiteHosts(a, b); got != want {
				t.Fatalf("cached SameSiteHosts(%q, %q) = %v, uncached %v", a, b, got, want)
			}
			if got := cached.SameSiteHosts(b, a); got != want {
				t.Fatalf("cached SameSiteHosts(%q, %q) = %v, uncached %v", b, a, got, want)
			}
			for _, h := range []string{a, b} {
				rd, ok := plain.RegistrableDomain(h)
				if got, gotOK := cached.RegistrableDomain(h); got != rd || gotOK != ok {
					t.Fatalf("cached RegistrableDomain(%q) = %q, %v; uncached %q, %v", h, got, gotOK, rd, ok)
				}
			}
		}
	})
}
