package fetchctx_test

import (
	"testing"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

func TestAddressSpaceOfHost(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		host string
		want fetchctx.AddressSpace
	}{
		{"localhost", fetchctx.AddressSpaceLoopback},
		{"localhost.", fetchctx.AddressSpaceLoopback},
		{"a.b.localhost", fetchctx.AddressSpaceLoopback},
		{"localhost.example", fetchctx.AddressSpacePublic},
		{"example.com", fetchctx.AddressSpacePublic},
		{"10.1.2.3", fetchctx.AddressSpaceLocal},
		{"[::1]", fetchctx.AddressSpaceLoopback},
		{"[fd12::1]", fetchctx.AddressSpaceLocal},
		{"[::ffff:c0a8:1]", fetchctx.AddressSpaceLocal},
		{"1.2.3.4.5", fetchctx.AddressSpacePublic},
		{"", fetchctx.AddressSpacePublic},
	} {
		if got := fetchctx.AddressSpaceOfHost(c.host); got != c.want {
			t.Errorf("AddressSpaceOfHost(%q) = %v, want %v", c.host, got, c.want)
		}
	}
}

func TestClientAddressSpace(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		origin string
		set    fetchctx.AddressSpace
		want   fetchctx.AddressSpace
	}{
		{"https://example.com", 0, fetchctx.AddressSpacePublic},
		{"http://192.168.0.2:8080", 0, fetchctx.AddressSpaceLocal},
		{"http://localhost:3000", 0, fetchctx.AddressSpaceLoopback},
		{"null", 0, fetchctx.AddressSpacePublic},
		{"https://intranet.example", fetchctx.AddressSpaceLocal, fetchctx.AddressSpaceLocal},
	} {
		r := fetchctx.Request{Origin: origin.MustParse(c.origin), AddressSpace: c.set}
		if got := r.ClientAddressSpace(); got != c.want {
			t.Errorf("%s (%v): %v, want %v", c.origin, c.set, got, c.want)
		}
	}
	for _, s := range []string{"loopback", "local", "public"} {
		a, err := fetchctx.ParseAddressSpace(s)
		if err != nil || a.String() != s {
			t.Errorf("ParseAddressSpace(%q) = %v, %v", s, a, err)
		}
	}
	for _, s := range []string{"", "private", "Local", "unknown"} {
		if _, err := fetchctx.ParseAddressSpace(s); err == nil {
			t.Errorf("ParseAddressSpace(%q) succeeded; PNA's names and other spellings are not LNA's", s)
		}
	}
	if !fetchctx.AddressSpaceLoopback.IsLessPublic(fetchctx.AddressSpaceLocal) || fetchctx.AddressSpacePublic.IsLessPublic(fetchctx.AddressSpaceLocal) ||
		fetchctx.AddressSpaceUnknown.IsLessPublic(fetchctx.AddressSpacePublic) {
		t.Error("IsLessPublic: loopback < local < public, unknown is neither")
	}
}
