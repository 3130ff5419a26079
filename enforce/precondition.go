package enforce

import "github.com/xorigin/xorigin/fetchctx"

// ready reports whether e came from New. The zero Engine (or a nil one)
// has no site resolver and no gates: deciding with it would run nothing
// and allow everything, so every decision on it fails closed with
// ReasonInvalidRequest instead.
func (e *Engine) ready() bool { return e != nil && e.sites != nil }

// decidable reports whether e can decide on req: e came from New and req
// is well formed.
func (e *Engine) decidable(req *fetchctx.Request) bool {
	return e.ready() && req != nil && wellFormed(req)
}

// wellFormed reports whether req can be decided on: a valid origin, and
// every enumerated field within its enumeration. A value outside one (a
// Mode(200) built by hand, say) has no meaning in Fetch; deciding on it
// would treat it as whichever case a switch falls into (Mode(200) took
// the CORS path, skipping CORP and ORB; an unknown embedder policy
// enforced nothing), so the decision fails closed with
// ReasonInvalidRequest instead.
//
// Mode navigate goes only with a navigation destination (Fetch: a
// navigation request is one whose destination is "document", "embed",
// "frame", "iframe" or "object", and only navigations use mode
// "navigate"): a script or an image in mode navigate would skip every
// gate, as navigations are not CORP- or ORB-checked.
func wellFormed(req *fetchctx.Request) bool {
	return req.Origin.IsValid() &&
		req.Mode <= fetchctx.ModeNavigate &&
		req.Credentials <= fetchctx.CredentialsInclude &&
		req.Destination <= fetchctx.DestinationXSLT &&
		req.Policy.Value <= fetchctx.Credentialless &&
		req.Policy.ReportOnlyValue <= fetchctx.Credentialless &&
		req.Media <= fetchctx.MediaSubsequent &&
		req.Redirect <= fetchctx.RedirectManual &&
		req.AddressSpace <= fetchctx.AddressSpacePublic &&
		(req.Mode != fetchctx.ModeNavigate || req.Destination.IsNavigation())
}
