package enforce

import (
	"fmt"
	"strings"

	"github.com/xorigin/xorigin/fetchctx"
)

// LocalNetworkPolicy says what an Engine does with a local network request
// (Local Network Access: a request whose connection reached a less public
// address space than its client's) from a secure context: what a browser
// asks its user.
type LocalNetworkPolicy uint8

// The policies.
const (
	// LocalNetworkBlock denies the permission: a network error, as Chrome
	// gives when the permission is denied or no one is there to grant it.
	// It is the zero value: a crawler has no user to ask, and a public page
	// that reaches the crawler's own machine or network (its admin
	// interfaces, a cloud metadata service) is what Local Network Access
	// exists to stop.
	LocalNetworkBlock LocalNetworkPolicy = iota
	// LocalNetworkAllow grants it to every secure context.
	LocalNetworkAllow
	// LocalNetworkAsk asks Config.LocalNetworkPermission, request by
	// request.
	LocalNetworkAsk
)

// String returns "block", "allow" or "ask".
func (p LocalNetworkPolicy) String() string {
	switch p {
	case LocalNetworkBlock:
		return "block"
	case LocalNetworkAllow:
		return "allow"
	case LocalNetworkAsk:
		return "ask"
	}
	return fmt.Sprintf("LocalNetworkPolicy(%d)", p)
}

// ParseLocalNetworkPolicy parses "block", "allow" or "ask".
func ParseLocalNetworkPolicy(s string) (LocalNetworkPolicy, error) {
	switch s {
	case "block":
		return LocalNetworkBlock, nil
	case "allow":
		return LocalNetworkAllow, nil
	case "ask":
		return LocalNetworkAsk, nil
	}
	return 0, fmt.Errorf("enforce: unknown local network policy %q (want block, allow or ask)", s)
}

// LocalNetworkPermissionFunc answers, for LocalNetworkAsk, whether the
// request at hop i may reach target, a space less public than its
// client's ("local-network" for AddressSpaceLocal, "loopback-network" for
// AddressSpaceLoopback). It must be safe for concurrent use, and must not
// modify req.
type LocalNetworkPermissionFunc func(req *fetchctx.Request, i int, target fetchctx.AddressSpace) bool

// CheckAddress decides Local Network Access for hop i of req, whose
// connection reached an address in space (fetchctx.AddressSpaceOf the
// address; unknown means the space of the hop URL's host). A Transport
// calls it once a connection is obtained, before the request is written
// to it; Decide and CheckHop run it on Response.AddressSpace.
func (e *Engine) CheckAddress(req *fetchctx.Request, i int, space fetchctx.AddressSpace) Verdict {
	if !e.decidable(req) || i < 0 || i >= len(req.URLs) || space > fetchctx.AddressSpacePublic {
		return blocked(ReasonInvalidRequest, StepPrecondition, max(i, 0))
	}
	if e.checks&CheckLocalNetwork == 0 {
		return allowed
	}
	return e.localNetworkCheck(req, i, space)
}

// hopAddressSpace is the space of the address hop i's connection reached:
// resp's, or when unknown the space of the hop URL's host.
func hopAddressSpace(req *fetchctx.Request, i int, resp *Response) fetchctx.AddressSpace {
	if resp.AddressSpace != fetchctx.AddressSpaceUnknown {
		return resp.AddressSpace
	}
	return fetchctx.AddressSpaceOfHost(req.URLs[i].Origin().Host())
}

// localNetworkCheck implements Local Network Access's "Local Network
// Access check" for hop i, whose connection reached space.
func (e *Engine) localNetworkCheck(req *fetchctx.Request, i int, space fetchctx.AddressSpace) Verdict {
	switch {
	case space == fetchctx.AddressSpaceUnknown:
		space = fetchctx.AddressSpaceOfHost(req.URLs[i].Origin().Host())
	case space > fetchctx.AddressSpacePublic:
		// A value outside the enumeration (a Response built by hand)
		// must not pass as public.
		return blocked(ReasonInvalidRequest, StepPrecondition, i)
	}
	// Step 2: a secure context fetching from its own origin.
	if req.Origin.IsPotentiallyTrustworthy() && req.URLs[i].Origin().SameOrigin(req.Origin) {
		return allowed
	}
	// Step 4: a request whose target address space is local (a local IP
	// literal, a .local name) must reach a local address. (The spec then
	// returns null; we read that as "no target mismatch", not as a grant:
	// the permission below still decides, as in Chromium.)
	if e.targetsLocalNetwork(&req.URLs[i]) && space != fetchctx.AddressSpaceLocal {
		return blocked(ReasonInvalidLocalNetworkAccess, StepLocalNetworkTarget, i)
	}
	// Step 5: a request to a space no less public than its client's is
	// not a local network request.
	if !space.IsLessPublic(req.ClientAddressSpace()) {
		return allowed
	}
	// Chromium applies the check to subresources and child navigables,
	// not to top-level navigations (LNA, "Integration with Fetch").
	if e.profile == ProfileChromium && req.Mode == fetchctx.ModeNavigate && req.Destination == fetchctx.DestinationDocument {
		return allowed
	}
	// Step 5.2: only a secure context may make one. (Its client is
	// judged by its origin, as for mixed content.)
	if !req.Origin.IsPotentiallyTrustworthy() {
		return blocked(ReasonInsecureLocalNetwork, StepLocalNetworkSecureContext, i)
	}
	// Steps 5.4-5.13: the "local-network" or "loopback-network"
	// permission, which the policy stands for.
	switch e.localNetwork {
	case LocalNetworkAllow:
		return allowed
	case LocalNetworkAsk:
		if e.localNetworkAsk != nil && e.localNetworkAsk(req, i, space) {
			return allowed
		}
	}
	return blocked(ReasonLocalNetworkPermissionDenied, StepLocalNetworkPermission, i)
}

// targetsLocalNetwork reports whether, with Local Network Access on, u's
// request has the target IP address space local, which Local Network
// Access's fetch integration sets for a URL whose host is an IP address in
// the local space, or whose public suffix is "local" (an mDNS name). Such
// a request is neither upgraded nor blocked as mixed content (LNA,
// Integration with Mixed Content): the Local Network Access check decides
// it instead.
func (e *Engine) targetsLocalNetwork(u *fetchctx.URL) bool {
	if e.checks&CheckLocalNetwork == 0 {
		return false
	}
	o := u.Origin()
	h := strings.TrimSuffix(o.Host(), ".")
	if h == "local" || strings.HasSuffix(h, ".local") {
		return true
	}
	return o.HasIPHost() && fetchctx.AddressSpaceOfHost(h) == fetchctx.AddressSpaceLocal
}
