// Package enforce decides what a browser decides before it hands a fetched
// response to a page: may the body be exposed to the initiator, or must it
// be blocked?
//
// It implements the Fetch standard's cross-origin resource policy (CORP)
// check, run on every hop where HTTP fetch runs it, with the client's
// embedder policy (COEP: require-corp, credentialless, and their report-only
// forms) and the reports they queue; and HTML's checks of a nested
// navigation against its container's embedder policy. Each decision returns
// a Verdict naming its Reason and spec Step, and appends the reports queued.
//
// The decision is a pure function of its inputs: it does no I/O, and on
// pre-parsed values (a fetchctx.Request and Responses) it does not allocate
// when the report slice has room. Transport, an http.RoundTripper, applies
// it to real traffic.
package enforce

import (
	"fmt"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
	"github.com/xorigin/xorigin/site"
)

// Config configures an Engine. The zero Config is valid.
type Config struct {
	// Sites answers same-site questions. Nil means a Resolver on the
	// public suffix list of golang.org/x/net/publicsuffix that caches the
	// answers for SiteCacheEntries hosts (site.NewCached), its own.
	Sites *site.Resolver
	// SiteCacheEntries bounds the cache of the Resolver New makes when
	// Sites is nil: 0 means site.DefaultCacheEntries (65,536 hosts), a
	// negative number no cache at all (site.Default()). It is ignored when
	// Sites is set.
	SiteCacheEntries int
	// Checks selects the gates the engine runs; zero means DefaultChecks,
	// every gate but Local Network Access (see CheckLocalNetwork: its
	// input, the client's address space, is one only the caller knows).
	Checks Checks
	// Profile selects whom to follow where Chromium departs from the spec
	// (ORB, CORP same-site on IP hosts and CORP's order, mixed content,
	// CORS safelisting, SRI, credentials in URLs): the spec text (the
	// default) or Chromium as it ships.
	Profile Profile
	// ORBScriptBudget bounds the body ORB's last step parses as JavaScript;
	// a longer body is blocked (fail closed). Zero means 8 MiB.
	ORBScriptBudget int
	// IntegrityBudget bounds the body a request with integrity metadata
	// may have: Subresource Integrity hashes the whole body, so the
	// Transport holds it all before the page sees a byte. A longer body
	// is blocked (fail closed). Zero means 64 MiB.
	IntegrityBudget int
	// LocalNetwork is what the engine does with a local network request
	// from a secure context, where a browser asks its user: block (the
	// zero value), allow, or ask LocalNetworkPermission. Requests from
	// other contexts are always blocked.
	LocalNetwork LocalNetworkPolicy
	// LocalNetworkPermission answers for LocalNetworkAsk; nil denies.
	LocalNetworkPermission LocalNetworkPermissionFunc

	_ [0]func() // no comparison, no unkeyed literals
}

// Engine makes decisions. It is immutable and safe for concurrent use.
type Engine struct {
	sites           *site.Resolver
	checks          Checks
	profile         Profile
	scriptBudget    int
	integrityBudget int
	localNetwork    LocalNetworkPolicy
	localNetworkAsk LocalNetworkPermissionFunc
}

// New returns an Engine configured by cfg. Unless cfg says otherwise, the
// Engine caches public suffix answers per host (see Config.Sites), so that
// a crawl deciding for the same hosts again asks the list once per host.
// The cache never changes a verdict.
func New(cfg Config) *Engine {
	s := cfg.Sites
	switch {
	case s != nil:
	case cfg.SiteCacheEntries < 0:
		s = site.Default()
	default:
		s = site.NewCached(nil, cfg.SiteCacheEntries)
	}
	e := &Engine{sites: s, checks: cfg.Checks, profile: cfg.Profile, scriptBudget: cfg.ORBScriptBudget,
		integrityBudget: cfg.IntegrityBudget, localNetwork: cfg.LocalNetwork, localNetworkAsk: cfg.LocalNetworkPermission}
	if e.checks == 0 {
		e.checks = DefaultChecks
	}
	if e.scriptBudget <= 0 {
		e.scriptBudget = 8 << 20
	}
	if e.integrityBudget <= 0 {
		e.integrityBudget = 64 << 20
	}
	return e
}

// Checks is a set of gates, the mechanisms a decision applies.
type Checks uint16

// The gates.
const (
	// CheckCORP: Fetch's cross-origin resource policy check, with COEP and
	// its reports, and HTML's nested-navigation COEP check.
	CheckCORP Checks = 1 << iota
	// CheckORB: opaque response blocking.
	CheckORB
	// CheckCORS: the CORS check on CORS requests' responses, and the CORS
	// preflight.
	CheckCORS
	// CheckNoSniff: X-Content-Type-Options: nosniff for scripts and styles.
	CheckNoSniff
	// CheckMIME: no scripts from audio, image, video or CSV.
	CheckMIME
	// CheckMixedContent: insecure URLs from secure contexts.
	CheckMixedContent
	// CheckBadPort: Fetch's port blocking, a request to a bad port is a
	// network error before anything is sent.
	CheckBadPort
	// CheckIntegrity: Subresource Integrity, main fetch's check of the
	// final response's whole body against the request's integrity
	// metadata.
	CheckIntegrity
	// CheckLocalNetwork: Local Network Access, a request whose connection
	// reached a less public address space than its client's (see
	// Config.LocalNetwork). It is not in DefaultChecks.
	CheckLocalNetwork
	// AllChecks is every gate the engine implements.
	AllChecks = CheckCORP | CheckORB | CheckCORS | CheckNoSniff | CheckMIME | CheckMixedContent |
		CheckBadPort | CheckIntegrity | CheckLocalNetwork
	// DefaultChecks is what an Engine whose Config.Checks is zero runs:
	// every gate but CheckLocalNetwork. Local Network Access compares the
	// client's address space with the server's, and the client's is known
	// only to the caller (Request.AddressSpace: the address its document
	// came from); derived from a domain it is public, so that, on by
	// default, a crawl of an intranet site (a domain that resolves to
	// 10.0.0.0/8) would have every subresource blocked. Opt in with
	// AllChecks, and say where each page came from.
	DefaultChecks = AllChecks &^ CheckLocalNetwork
)

// Profile selects whose behaviour the engine follows where browsers and the
// spec text differ. The zero Profile is ProfileSpec.
type Profile uint8

// The profiles.
const (
	// ProfileSpec follows the spec text (for ORB, Fetch pull request 1755).
	ProfileSpec Profile = iota
	// ProfileChromium follows Chromium as it ships: see the README's list.
	ProfileChromium
)

// String returns "spec" or "chromium".
func (p Profile) String() string {
	switch p {
	case ProfileSpec:
		return "spec"
	case ProfileChromium:
		return "chromium"
	}
	return fmt.Sprintf("Profile(%d)", p)
}

// ParseProfile parses "spec" or "chromium".
func ParseProfile(s string) (Profile, error) {
	switch s {
	case "spec":
		return ProfileSpec, nil
	case "chromium":
		return ProfileChromium, nil
	}
	return 0, fmt.Errorf("enforce: unknown profile %q (want spec or chromium)", s)
}

// maxRedirects is Fetch's redirect limit: HTTP-redirect fetch fails when the
// redirect count is already 20, so a URL list holds at most 21 URLs.
const maxRedirects = 20

// CheckHop decides hop i of req: the response resp to req.URLs[i], as HTTP
// fetch (or, for a nested navigation, HTML's navigation fetch) sees it before
// it follows any redirect. Reports are appended to reports and returned. A
// Transport calls it for every response, redirects included; the last
// response then also goes through CheckFinal.
func (e *Engine) CheckHop(req *fetchctx.Request, i int, resp *Response, reports []Report) (Verdict, []Report) {
	if resp == nil || !e.decidable(req) || i < 0 || i >= len(req.URLs) {
		return blocked(ReasonInvalidRequest, StepPrecondition, max(i, 0)), reports
	}
	return e.checkHop(req, i, resp, reports)
}

// checkHop is CheckHop on a request known to be well formed.
func (e *Engine) checkHop(req *fetchctx.Request, i int, resp *Response, reports []Report) (Verdict, []Report) {
	// Every hop re-enters main fetch: what the request alone decides
	// comes first.
	v, tainting := e.requestGates(req, i)
	if !v.Allows() {
		return v, reports
	}
	return e.checkHopResponse(req, i, tainting, resp, reports)
}

// checkHopResponse is checkHop once requestGates has allowed hop i and
// given its tainting: a Transport, which ran them before sending the
// request, does not run them again.
func (e *Engine) checkHopResponse(req *fetchctx.Request, i int, tainting fetchctx.Tainting, resp *Response, reports []Report) (Verdict, []Report) {
	// HTTP-network fetch (Local Network Access): the address the
	// connection reached, before anything is sent on it.
	if e.checks&CheckLocalNetwork != 0 {
		if v := e.localNetworkCheck(req, i, hopAddressSpace(req, i, resp)); !v.Allows() {
			return v, reports
		}
	}
	v := e.responseGates(req, i, tainting, resp, &reports)
	return v, reports
}

// responseGates decides hop i's response, once requestGates has allowed
// the request and given its tainting: the checks HTTP fetch runs on the
// response, then, for a redirect, HTTP-redirect fetch.
func (e *Engine) responseGates(req *fetchctx.Request, i int, tainting fetchctx.Tainting, resp *Response, reports *[]Report) Verdict {
	redirect := isRedirect(resp)
	switch {
	case req.Mode == fetchctx.ModeNavigate:
		// A top-level navigation gets neither Fetch's CORP check (tainting
		// is basic) nor HTML's child-navigable checks. HTML, create
		// navigation params by fetching: for a child navigable, every
		// response gets the CORP check with forNavigation true, against the
		// container document's origin and policy.
		if req.IsNestedNavigation() && e.checks&CheckCORP != 0 {
			if v := e.corpCheck(req, i, resp, true, reports); !v.Allows() {
				return v
			}
		}
	case tainting == fetchctx.TaintingCORS:
		// HTTP fetch, step 4.3: the CORS check, redirects included. (A
		// needed preflight is checked by CheckPreflight, or Decide, before
		// the request is sent.)
		if e.checks&CheckCORS != 0 {
			if r := corsCheck(req, i, resp.Header, false); r != ReasonNone {
				return blocked(r, StepCORSCheck, i)
			}
		}
	case tainting == fetchctx.TaintingOpaque && req.URLs[i].IsHTTP():
		// ORB and the CORP check only run for opaque tainting (no-cors to
		// another origin, at this hop or before), and only where HTTP
		// fetch runs: scheme fetch answers non-HTTP(S) URLs.
		if e.profile == ProfileChromium && e.checks&CheckCORP != 0 {
			// Chromium departure (services/network/url_loader.cc): the
			// CORP check, with its COEP reports, runs on the response head
			// before ORB sees the body, so a response both block is
			// CORP's, and reported.
			if v := e.corpCheck(req, i, resp, false, reports); !v.Allows() {
				return v
			}
			if e.checks&CheckORB != 0 && !redirect {
				if v := e.orbDecide(req, i, resp); !v.Allows() {
					return v
				}
			}
			break
		}
		// HTTP fetch, step 3 (Fetch PR 1755): the opaque-response-safelist
		// check on a response that is not a redirect. A redirect status
		// without a Location is no redirect: it is the final response,
		// and its body would reach the initiator.
		if e.checks&CheckORB != 0 && !redirect {
			if v := e.orbDecide(req, i, resp); !v.Allows() {
				return v
			}
		}
		// HTTP fetch, step 5: the CORP check.
		if e.checks&CheckCORP != 0 {
			if v := e.corpCheck(req, i, resp, false, reports); !v.Allows() {
				return v
			}
		}
	}
	if !redirect {
		return allowed
	}
	switch req.Redirect {
	case fetchctx.RedirectError:
		// HTTP fetch, step 12: redirect mode "error" makes a redirect a
		// network error.
		return blocked(ReasonRedirectModeError, StepRedirectMode, i)
	case fetchctx.RedirectManual:
		if req.Mode != fetchctx.ModeNavigate {
			// "manual": an opaque-redirect filtered response, the fetch's
			// last; HTTP-redirect fetch does not run.
			return allowed
		}
	}
	// HTTP fetch, step 12 (redirect mode "follow", and HTML's navigation
	// with "manual"): HTTP-redirect fetch, after the CORS and CORP checks.
	return checkLocation(resp, i)
}

// orbDecide runs the profile's ORB with the script budget applied.
func (e *Engine) orbDecide(req *fetchctx.Request, i int, resp *Response) Verdict {
	if e.profile == ProfileChromium {
		return e.orbChromium(req, i, resp)
	}
	if len(resp.Body) > e.scriptBudget {
		// The whole body is never needed past the budget: what the
		// check cannot parse, it does not let through.
		v := e.orbCheck(req, i, &Response{Status: resp.Status, orb: resp.orb, Body: resp.Body[:e.scriptBudget]})
		if v.Result == Undecided {
			return e.orbBlocked(req, StepORBBudget, i)
		}
		return v
	}
	v := e.orbCheck(req, i, resp)
	if v.Result == Undecided && v.Need() == WholeBody && len(resp.Body) >= e.scriptBudget {
		return e.orbBlocked(req, StepORBBudget, i)
	}
	return v
}

// CheckFinal decides the checks that run once, on the response a fetch ends
// with (resp, the response to the last URL of req.URLs), after CheckHop has
// allowed it: the MIME type and nosniff gates, Subresource Integrity (which
// may come back Undecided, needing the whole body: see Verdict.Need), and
// for a nested navigation, HTML's check of the response's adherence to its
// container's embedder policy.
func (e *Engine) CheckFinal(req *fetchctx.Request, resp *Response, reports []Report) (Verdict, []Report) {
	if resp == nil || !e.decidable(req) || len(req.URLs) == 0 {
		return blocked(ReasonInvalidRequest, StepPrecondition, 0), reports
	}
	return e.checkFinal(req, resp, reports)
}

// hasFinalChecks reports whether checkFinal may have a check to run on req
// (it allows when none runs): a cheap test that spares the call. It must
// name every check behind which checkFinal has a gate:
// TestHasFinalChecksCoversCheckFinal trips each gate under every set of
// checks.
func (e *Engine) hasFinalChecks(req *fetchctx.Request) bool {
	return e.checks&(CheckMIME|CheckNoSniff|CheckIntegrity) != 0 ||
		e.checks&CheckCORP != 0 && req.IsNestedNavigation()
}

// checkFinal is CheckFinal on a well-formed request with a URL list.
func (e *Engine) checkFinal(req *fetchctx.Request, resp *Response, reports []Report) (Verdict, []Report) {
	// Main fetch, step 19: the final response's MIME type gates.
	if req.Mode != fetchctx.ModeNavigate {
		last := len(req.URLs) - 1
		if e.checks&CheckMIME != 0 && blockedByMIMEType(req, resp) {
			return blocked(ReasonMIMETypeNotExecutable, StepMIMEType, last), reports
		}
		if e.checks&CheckNoSniff != 0 && blockedByNoSniff(req, resp) {
			return blocked(ReasonNoSniff, StepNoSniff, last), reports
		}
		// Main fetch, step 23: the integrity metadata, on the whole body.
		if e.checks&CheckIntegrity != 0 && !req.Integrity.IsEmpty() {
			if v := e.integrityCheck(req, resp, last); !v.Allows() {
				return v, reports
			}
		}
	}
	if !req.IsNestedNavigation() || e.checks&CheckCORP == 0 {
		return allowed, reports
	}
	last := len(req.URLs) - 1
	// HTML, obtain an embedder policy, step 2: in a non-secure context the
	// response's headers give no policy. A child's environment is secure
	// when its top-level creation URL is potentially trustworthy. The checks
	// below can only fail or report when the container's policy is not
	// unsafe-none, and a document only has such a policy in a secure context,
	// whose top-level is then trustworthy too: so wherever the answer depends
	// on it, the response's policy counts. (The container's origin cannot
	// tell: a sandboxed container's origin is opaque.)
	policy := resp.COEP
	parent := req.Policy
	blockedURL := req.URLs[0].ForReporting()
	// Check a navigation response's adherence to its embedder policy,
	// step 3: the container's report-only value wants a compatible policy.
	if parent.ReportOnlyValue.IsCompatibleWithCrossOriginIsolation() &&
		!policy.Value.IsCompatibleWithCrossOriginIsolation() {
		reports = append(reports, Report{Type: ReportNavigation, BlockedURL: blockedURL,
			Destination: req.Destination, Disposition: Reporting, Endpoint: parent.ReportOnlyReportingEndpoint})
	}
	// Step 4: fine when the container does not enforce one, or the response
	// has one. The response's report-only value never counts.
	if !parent.Value.IsCompatibleWithCrossOriginIsolation() ||
		policy.Value.IsCompatibleWithCrossOriginIsolation() {
		return allowed, reports
	}
	// Step 5: an inheritance violation, enforced.
	reports = append(reports, Report{Type: ReportNavigation, BlockedURL: blockedURL,
		Destination: req.Destination, Disposition: Enforce, Endpoint: parent.ReportingEndpoint})
	return blocked(ReasonCOEPFrameResourceNeedsCOEPHeader, StepNavigationCOEP, last), reports
}

// Decide runs a whole fetch: hops[i] is the response to req.URLs[i], every
// one but the last a redirect. It stops at the first hop that blocks. A
// request that needs a CORS preflight is blocked; use DecideWithPreflight
// to give the preflight's answer.
func (e *Engine) Decide(req *fetchctx.Request, hops []Response, reports []Report) (Verdict, []Report) {
	return e.DecideWithPreflight(req, nil, hops, reports)
}

// DecideWithPreflight is Decide with preflight, the answer to the CORS
// preflight a hop needs (nil when none was answered: a network error).
func (e *Engine) DecideWithPreflight(req *fetchctx.Request, preflight *Response, hops []Response, reports []Report) (Verdict, []Report) {
	if !e.decidable(req) || len(hops) == 0 || len(hops) != len(req.URLs) {
		return blocked(ReasonInvalidRequest, StepPrecondition, 0), reports
	}
	for i := range hops {
		// Main fetch: what the request alone decides, before anything is
		// sent.
		v, tainting := e.requestGates(req, i)
		if !v.Allows() {
			return v, reports
		}
		// HTTP-network fetch (Local Network Access): the connection's
		// address, checked before anything (the preflight included) is
		// sent on it.
		if e.checks&CheckLocalNetwork != 0 {
			if v := e.localNetworkCheck(req, i, hopAddressSpace(req, i, &hops[i])); !v.Allows() {
				return v, reports
			}
		}
		// HTTP fetch, step 4.1: the CORS-preflight fetch comes before the
		// request, once its tainting is "cors".
		if tainting == fetchctx.TaintingCORS && e.checks&CheckCORS != 0 && e.needsPreflight(req) {
			if preflight == nil {
				return blocked(ReasonCORSPreflightNoAnswer, StepCORSPreflight, i), reports
			}
			if v = e.CheckPreflight(req, i, preflight); !v.Allows() {
				return v, reports
			}
		}
		v = e.responseGates(req, i, tainting, &hops[i], &reports)
		if !v.Allows() {
			return v, reports
		}
	}
	last := &hops[len(hops)-1]
	if isRedirect(last) {
		// A redirect the fetch stops at (redirect mode "manual", or a
		// client that does not follow it) is never exposed with its body:
		// Fetch gives script an opaque-redirect filtered response, and the
		// Transport passes a redirect on without its body. The final
		// checks are for the response a fetch ends with.
		return allowed, reports
	}
	if !e.hasFinalChecks(req) {
		return allowed, reports
	}
	return e.checkFinal(req, last, reports)
}

// corpCheck implements Fetch's cross-origin resource policy check for hop i.
func (e *Engine) corpCheck(req *fetchctx.Request, i int, resp *Response, forNavigation bool, reports *[]Report) Verdict {
	if !forNavigation && !resp.CORP.isNull() {
		// Steps 3-5 with a policy in the header: the internal check's step
		// 4 defaults only a null policy, so steps 4-5 repeat step 3's
		// answer, and step 3 is its step 5 on the header's policy. A block
		// here is not a COEP violation: no report.
		var sameSite int8
		if r := e.policyCheck(&req.Origin, &req.URLs[i], resp.CORP, false, &sameSite); r != ReasonNone {
			return blocked(r, StepCORPResourcePolicy, i)
		}
		return allowed
	}
	// Field by field: a composite literal would be built aside and copied.
	var c corpInput
	c.e, c.origin, c.url = e, &req.Origin, &req.URLs[i]
	c.policy, c.forNavigation = resp.CORP, forNavigation
	switch resp.IncludesCredentials {
	case WithCredentials:
		c.credentials = true
	case WithoutCredentials:
	default:
		// Only a credentialless policy without a usable header reads
		// request-includes-credentials: derive it only then.
		if resp.CORP.isNull() &&
			(req.Policy.Value == fetchctx.Credentialless || req.Policy.ReportOnlyValue == fetchctx.Credentialless) {
			c.credentials = req.IncludesCredentials(i)
		}
	}
	step := StepCORPEmbedderPolicy
	if forNavigation {
		step = StepNavigationCORP
	}
	// Step 3: the resource's own policy, judged as if there were no
	// embedder policy. A block here is not a COEP violation: no report.
	if r := c.internalCheck(fetchctx.UnsafeNone); r != ReasonNone {
		return blocked(r, StepCORPResourcePolicy, i)
	}
	// Step 4: the report-only value only reports.
	if c.internalCheck(req.Policy.ReportOnlyValue) != ReasonNone {
		*reports = append(*reports, c.report(req, Reporting))
	}
	// Step 5: the enforced value.
	r := c.internalCheck(req.Policy.Value)
	if r == ReasonNone {
		return allowed
	}
	// Steps 6-7: report, and block.
	*reports = append(*reports, c.report(req, Enforce))
	return blocked(r, step, i)
}

// corpInput holds one CORP check's operands, and memoizes the same-site
// answer so the public suffix list is asked at most once per check.
type corpInput struct {
	e             *Engine
	origin        *origin.Origin // the request's origin
	url           *fetchctx.URL  // the response's URL
	policy        CORP
	credentials   bool // the response's request-includes-credentials
	forNavigation bool
	sameSite      int8 // policyCheck's memo
}

func (c *corpInput) report(req *fetchctx.Request, d Disposition) Report {
	endpoint := req.Policy.ReportingEndpoint
	if d == Reporting {
		endpoint = req.Policy.ReportOnlyReportingEndpoint
	}
	// Queue a COEP CORP violation report: the blocked URL is the response's
	// first URL, serialized for reporting.
	return Report{Type: ReportCORP, BlockedURL: req.URLs[0].ForReporting(),
		Destination: req.Destination, Disposition: d, Endpoint: endpoint}
}

// internalCheck implements Fetch's cross-origin resource policy internal
// check with embedder policy value v; it returns ReasonNone for allowed.
func (c *corpInput) internalCheck(v fetchctx.EmbedderPolicyValue) Reason {
	// Step 1: navigations are only checked under a COEP.
	if c.forNavigation && v == fetchctx.UnsafeNone {
		return ReasonNone
	}
	// Steps 2-3: the header, or null. Step 3: anything but the three
	// tokens is null, a CORP value outside the enumeration (a Response
	// built by hand) included: it must not pass as cross-origin.
	policy, defaulted := c.policy, false
	if policy.isNull() {
		// Step 4: a null policy is defaulted by the embedder policy.
		switch v {
		case fetchctx.Credentialless:
			if c.credentials || c.forNavigation {
				policy, defaulted = CORPSameOrigin, true
			}
		case fetchctx.RequireCORP:
			policy, defaulted = CORPSameOrigin, true
		}
	}
	return c.e.policyCheck(c.origin, c.url, policy, defaulted, &c.sameSite)
}

// policyCheck is the internal check's step 5 on policy, for a request
// of origin o and a response from u, defaulted saying whether step 4 set
// the policy; it returns ReasonNone for allowed. *sameSite memoizes the
// same-site answer across the check's steps (0 unknown, 1 yes, -1 no).
func (e *Engine) policyCheck(o *origin.Origin, u *fetchctx.URL, policy CORP, defaulted bool, sameSite *int8) Reason {
	switch policy {
	case CORPSameOrigin:
		if o.SameOrigin(u.Origin()) {
			return ReasonNone
		}
		if defaulted {
			return ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP
		}
		return ReasonCORPNotSameOrigin
	case CORPSameSite:
		// Same-site needs schemelessly same site, and a response from an
		// https URL only matches an https initiator.
		if o.Scheme() != "https" && u.Scheme() == "https" {
			return ReasonCORPNotSameSite
		}
		if *sameSite == 0 {
			// site.Resolver.SchemelesslySameSite, with the hosts compared
			// directly when both origins are tuples (the request's origin
			// is valid, as decidable checked).
			uo := u.Origin()
			var same bool
			switch {
			case e.profile == ProfileChromium:
				same = chromiumSameSite(e.sites, o, &uo)
			case o.IsOpaque() || uo.IsOpaque():
				same = o.SameOrigin(uo)
			default:
				same = uo.IsValid() && e.sites.SameSiteHosts(o.Host(), uo.Host())
			}
			*sameSite = -1
			if same {
				*sameSite = 1
			}
		}
		if *sameSite > 0 {
			return ReasonNone
		}
		return ReasonCORPNotSameSite
	}
	// Null or cross-origin.
	return ReasonNone
}

// chromiumSameSite is the Chromium profile's same-site test in the CORP
// check. Chromium departure (services/network/public/cpp/
// cross_origin_resource_policy.cc, ShouldAllowSameSite, after its same-origin
// test): an IP host is never same site with another origin, the same address
// on another port included; and the two registrable domains are compared as
// strings, the empty string standing for none (an opaque origin's too), so
// that two hosts that have none (two public suffixes, say), or an opaque
// origin and such a host, are same site.
func chromiumSameSite(sites *site.Resolver, a, b *origin.Origin) bool {
	if a.SameOrigin(*b) {
		return true
	}
	if a.HasIPHost() || b.HasIPHost() {
		return false
	}
	return chromiumDomain(sites, a) == chromiumDomain(sites, b)
}

// chromiumDomain is o's registrable domain as Chromium's CORP check reads it
// (GetDomainAndRegistry on the origin's host): "" for none.
func chromiumDomain(sites *site.Resolver, o *origin.Origin) string {
	if o.IsOpaque() || !o.IsValid() {
		return ""
	}
	rd, _ := sites.RegistrableDomain(o.Host())
	return rd
}
