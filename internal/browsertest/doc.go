// Package browsertest runs conformance fixture cases in Chromium and
// compares what the browser does with what the engine decides: the
// differential test behind the browser-diff command (cmd/browser-diff, in
// this module of its own).
//
// For each case, loopback servers (HTTP and HTTPS on the same ports, the
// first byte of a connection telling them apart) serve the initiator page,
// with the client's embedder policy headers, and each response hop exactly
// as the fixture lists it. Chromium (Debian's package, driven over the
// DevTools protocol with github.com/chromedp/chromedp) loads the page in one
// of a few reused tabs, with every host mapped to 127.0.0.1 by its
// --host-resolver-rules (IP addresses too, so nothing leaves the machine);
// the page makes the request as the destination and mode say (<img>,
// <script>, <link rel=stylesheet>, <audio>, <video>, fetch() with the mode,
// credentials, method and headers, <iframe>, <frame>, FontFace, JSON
// modules, workers, worklets, service workers) and collects the "coep"
// reports queued for it with a ReportingObserver. Once its request is
// over, the page makes a flush request whose own COEP reports, reaching
// the observer, show that every report of the case's request has: the
// page sends what it saw only then, so no fixed wait decides a result
// (but for workers, whose loading Chromium does not signal). Every wait
// ends on such a signal, or after a generous cap as a failure that says
// what did not come.
//
// Start takes the ports 80, 443, 8080 and 8443, and Run every other port
// a case needs, before any case runs: a taken port is one error naming it
// and, from /proc, its process. One browser run at a time holds them (a
// lock in the temporary directory).
//
// What Chromium did is read from DevTools network events: a blocked
// response fails with the reason DevTools reports (the same tokens as the
// engine's reasons), a response whose head reaches the renderer is allowed,
// and ORB's empty response to fetch() arrives with no headers at all. Blink's
// refusal of a script or style for its MIME type comes from the page's
// error event and the console; the page's own events decide only where no
// request shows in DevTools (workers, worklets, requests refused before
// they start). The servers count CORS preflights. Where both block, the
// three fields of the request's Network.loadingFailed (blockedReason,
// corsError, errorText) must be those of the engine's verdict
// (enforce.Verdict.DevTools): see reasons.go.
//
// Every fixture URL keeps its scheme, host, port, query and fragment; its
// path gets "/__xorigin/<run>/<hop>" in front, so that cases sharing a URL
// can run at once and each hop is served where the chain expects it.
// Redirect Location headers are rewritten to match; reported URLs are
// mapped back before they are compared.
//
// A case a page cannot express (a top-level navigation, a no-cors font, a
// requestIncludesCredentials override, ...) is skipped with the reason and
// counted apart. Known differences between the spec and Chromium are
// annotated in known_differences.json; a case listed there that differs as
// described is reported as known, and a new difference fails.
//
// Firefox (Debian's firefox-esr; Options.Firefox) runs the same cases over
// WebDriver BiDi (bidi.go, firefox.go): the profile's user.js maps every
// host name to 127.0.0.1 (Firefox has no resolver rule for IP addresses,
// so a case on another IP host is not expressible there), the session
// accepts the servers' certificate, and the page sends its result on a
// BiDi channel. Firefox queues no COEP reports for a ReportingObserver:
// only results compare. A request's BiDi network events, the page's own
// event and Gecko's console messages decide them (firefoxResult); the
// known differences are in known_differences_firefox.json.
package browsertest
