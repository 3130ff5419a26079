package fetchctx

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/xorigin/xorigin/origin"
)

// AddressSpace is an IP address space, as Local Network Access names them
// (Private Network Access called loopback "local" and local "private").
// The zero AddressSpace is unknown: a decision then derives it from a
// host (see AddressSpaceOfHost).
type AddressSpace uint8

// The address spaces, from the most private to the most public.
const (
	AddressSpaceUnknown AddressSpace = iota
	// AddressSpaceLoopback: addresses only reachable from the host
	// itself (127.0.0.0/8, ::1, and the null addresses 0.0.0.0 and ::).
	AddressSpaceLoopback
	// AddressSpaceLocal: addresses that mean something only within a
	// network (RFC 1918, carrier-grade NAT, link-local, unique local).
	AddressSpaceLocal
	// AddressSpacePublic: every other address.
	AddressSpacePublic
)

// String returns "loopback", "local", "public", or "" for unknown.
func (a AddressSpace) String() string {
	switch a {
	case AddressSpaceLoopback:
		return "loopback"
	case AddressSpaceLocal:
		return "local"
	case AddressSpacePublic:
		return "public"
	}
	return ""
}

// ParseAddressSpace parses "loopback", "local" or "public".
func ParseAddressSpace(s string) (AddressSpace, error) {
	switch s {
	case "loopback":
		return AddressSpaceLoopback, nil
	case "local":
		return AddressSpaceLocal, nil
	case "public":
		return AddressSpacePublic, nil
	}
	return AddressSpaceUnknown, fmt.Errorf("fetchctx: unknown address space %q (want loopback, local or public)", s)
}

// IsLessPublic reports whether a is less public than b (Local Network
// Access): loopback than local or public, local than public. An unknown
// space is neither.
func (a AddressSpace) IsLessPublic(b AddressSpace) bool {
	return a != AddressSpaceUnknown && b != AddressSpaceUnknown && a < b
}

// addressBlocks is Local Network Access's "non-public IP address blocks"
// table, in its order (the first match wins: 0.0.0.0/32 is loopback,
// the rest of 0.0.0.0/8 local). IPv4-mapped IPv6 addresses are unmapped
// first.
var addressBlocks = [...]struct {
	prefix netip.Prefix
	space  AddressSpace
}{
	{netip.MustParsePrefix("127.0.0.0/8"), AddressSpaceLoopback},   // IPv4 loopback, RFC 1122
	{netip.MustParsePrefix("10.0.0.0/8"), AddressSpaceLocal},       // private use, RFC 1918
	{netip.MustParsePrefix("100.64.0.0/10"), AddressSpaceLocal},    // carrier-grade NAT, RFC 6598
	{netip.MustParsePrefix("172.16.0.0/12"), AddressSpaceLocal},    // private use, RFC 1918
	{netip.MustParsePrefix("192.168.0.0/16"), AddressSpaceLocal},   // private use, RFC 1918
	{netip.MustParsePrefix("198.18.0.0/15"), AddressSpaceLoopback}, // benchmarking, RFC 2544 (as the table says)
	{netip.MustParsePrefix("169.254.0.0/16"), AddressSpaceLocal},   // link local, RFC 3927
	{netip.MustParsePrefix("::1/128"), AddressSpaceLoopback},       // IPv6 loopback, RFC 4291
	{netip.MustParsePrefix("fc00::/7"), AddressSpaceLocal},         // unique local, RFC 4193
	{netip.MustParsePrefix("fe80::/10"), AddressSpaceLocal},        // link-local unicast, RFC 4291
	{netip.MustParsePrefix("fec0::/10"), AddressSpaceLocal},        // site-local unicast, RFC 3513
	{netip.MustParsePrefix("0.0.0.0/32"), AddressSpaceLoopback},    // IPv4 null address
	{netip.MustParsePrefix("0.0.0.0/8"), AddressSpaceLocal},        // "this network"
	{netip.MustParsePrefix("::/128"), AddressSpaceLoopback},        // IPv6 unspecified address
	{netip.MustParsePrefix("2001:db8::/32"), AddressSpaceLocal},    // IPv6 documentation, RFC 3849
	{netip.MustParsePrefix("3fff::/20"), AddressSpaceLocal},        // IPv6 documentation, RFC 9637
}

// AddressSpaceOf implements Local Network Access's "determine the IP
// address space" of addr: an IPv4-mapped IPv6 address (::ffff:0:0/96)
// counts as its IPv4 address, a zone is ignored, and an address in no
// block of the table is public. The zero netip.Addr has no space:
// AddressSpaceUnknown.
func AddressSpaceOf(addr netip.Addr) AddressSpace {
	if !addr.IsValid() {
		return AddressSpaceUnknown
	}
	addr = addr.Unmap().WithZone("")
	for _, b := range addressBlocks {
		if b.prefix.Contains(addr) {
			return b.space
		}
	}
	return AddressSpacePublic
}

// AddressSpaceOfHost returns the address space a host names before any
// DNS answer: an IP literal's (host as origin.Origin.Host serializes it,
// an IPv6 address in brackets), loopback for "localhost" and its
// subdomains (which browsers resolve to loopback themselves), and public
// for any other name, which is what LNA assumes until a connection says
// otherwise.
func AddressSpaceOfHost(host string) AddressSpace {
	h := strings.TrimSuffix(host, ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return AddressSpaceLoopback
	}
	switch {
	case len(h) > 2 && h[0] == '[' && h[len(h)-1] == ']':
		h = h[1 : len(h)-1]
	case strings.Trim(h, "0123456789.") != "" || h == "":
		// A domain: only IPv4 addresses are all digits and dots in a
		// canonical host. (Parsing a domain as an address would allocate
		// its error.)
		return AddressSpacePublic
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return AddressSpaceOf(a)
	}
	return AddressSpacePublic
}

// ClientAddressSpace returns the request's client's address space: r's
// AddressSpace, or when it is unknown the space of its origin's host
// (AddressSpaceOfHost; an opaque origin's is public).
func (r *Request) ClientAddressSpace() AddressSpace {
	if r.AddressSpace != AddressSpaceUnknown {
		return r.AddressSpace
	}
	return originAddressSpace(r.Origin)
}

func originAddressSpace(o origin.Origin) AddressSpace {
	if o.IsOpaque() {
		return AddressSpacePublic
	}
	return AddressSpaceOfHost(o.Host())
}
