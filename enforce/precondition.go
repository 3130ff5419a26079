package enforce

import "github.com/xorigin/xorigin/fetchctx"

// wellFormed reports whether req can be decided on: a valid origin, and
// every enumerated field within its enumeration. A value outside one (a
// Mode(200) built by hand, say) has no meaning in Fetch; deciding on it
// would treat it as whichever case a switch falls into (Mode(200) took
// the CORS path, skipping CORP and ORB; an unknown embedder policy
// enforced nothing), so the decision fails closed with
// ReasonInvalidRequest instead.
func wellFormed(req *fetchctx.Request) bool {
	return req.Origin.IsValid() &&
		req.Mode <= fetchctx.ModeNavigate &&
		req.Credentials <= fetchctx.CredentialsInclude &&
		req.Destination <= fetchctx.DestinationXSLT &&
		req.Policy.Value <= fetchctx.Credentialless &&
		req.Policy.ReportOnlyValue <= fetchctx.Credentialless &&
		req.Media <= fetchctx.MediaSubsequent
}
