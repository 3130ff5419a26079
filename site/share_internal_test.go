package site

import (
	"strconv"
	"strings"
	"testing"
)

// shareTwoLabelsRef is the plain statement of shareTwoLabels: take the
// common suffix, keep its whole labels, drop a trailing dot, and look for
// two labels.
func shareTwoLabelsRef(a, b string) bool {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	common := a[len(a)-n:]
	startsLabel := func(h string) bool { return n == len(h) || h[len(h)-1-n] == '.' }
	if !startsLabel(a) || !startsLabel(b) {
		i := strings.IndexByte(common, '.')
		if i < 0 {
			return false
		}
		common = common[i+1:]
	}
	common = strings.TrimSuffix(common, ".")
	return common != "" && strings.IndexByte(common, '.') >= 0
}

var shareHosts = []string{
	"", ".", "..", "...", "com", "com.", ".com", "..com", "m", "m.",
	"example.com", "www.example.com", "xample.com", "wexample.com", "a.example.com",
	"example.com.", "www.example.com.", "x..example.com", "y..example.com",
	"ab.com", "b.com", "a.b.com", "b.com.", ".b.com", "a.b.com.",
	"example.co.uk", "www.example.co.uk", "co.uk", "a.co.uk", "uk", ".uk",
	"a.b.c.d", "x.b.c.d", "b.c.d", "c.d", ".c.d", "c.d.", "a..d", "b..d",
}

func TestShareTwoLabels(t *testing.T) {
	t.Parallel()
	for _, a := range shareHosts {
		for _, b := range shareHosts {
			if got, want := shareTwoLabels(a, b), shareTwoLabelsRef(a, b); got != want {
				t.Errorf("shareTwoLabels(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

func FuzzShareTwoLabels(f *testing.F) {
	for i, a := range shareHosts {
		f.Add(a, shareHosts[(i*7+3)%len(shareHosts)])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := shareTwoLabels(a, b), shareTwoLabelsRef(a, b); got != want {
			t.Errorf("shareTwoLabels(%q, %q) = %v, want %v", a, b, got, want)
		}
	})
}

// TestSamplingSpreads checks that both samplings, by the key while the
// cache is in use and by samples while it stands aside, pick about one
// host in 64 of each family of hosts: short ones, and hosts that share
// their first and last eight bytes and differ in the middle.
func TestSamplingSpreads(t *testing.T) {
	c := newCache(1024)
	families := map[string]func(i int) string{
		"short":  func(i int) string { return "h" + strconv.Itoa(i) },
		"domain": func(i int) string { return "h" + strconv.Itoa(i) + ".example.com" },
		"middle": func(i int) string { return "static.h" + strconv.Itoa(i) + ".images.example.co.uk" },
	}
	const n = 1 << 16
	for name, host := range families {
		byKey, bySamples := 0, 0
		for i := range n {
			h := host(i)
			if k := c.key(h); k.sampled() {
				byKey++
			}
			if c.samples(h) {
				bySamples++
			}
		}
		for _, got := range []int{byKey, bySamples} {
			if want := n / 64; got < want*3/4 || got > want*5/4 {
				t.Errorf("%s hosts: %d of %d sampled (by key %d, by samples %d), want about %d", name, got, n, byKey, bySamples, want)
			}
		}
	}
}
