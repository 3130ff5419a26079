// Package xorigin decides what a browser decides before it hands a fetched
// response to a page: may the body be exposed to the initiator, or must it
// be blocked? It is for Go headless browsers, crawlers and security scanners
// that should load what Chrome and Firefox load, and nothing more.
//
// The work is split into packages, each with one job:
//
//   - origin: WHATWG origins from URLs and serialized origins, with hosts
//     canonicalized as the URL standard does.
//   - site: registrable domains and same-site relations on the public
//     suffix list, behind a pluggable interface.
//   - fetchctx: the request as the decision sees it (initiator, destination,
//     mode, credentials, embedder policy, URL list), and what Fetch derives
//     from it; carried in a context.Context.
//   - enforce: the decision engine: the CORP check on every hop, COEP
//     require-corp and credentialless with their reports, and HTML's
//     nested-navigation COEP check.
//   - cmd/xorigin: the command; "xorigin conformance" runs fixture files.
//
// This package itself only holds the conformance fixture suite, which the
// command embeds.
package xorigin

import "embed"

// Fixtures is the project's conformance suite, in the shared fixture format:
// testdata/*.json for the spec profile, testdata/chromium/*.json for the
// Chromium profile.
//
//go:embed testdata/*.json testdata/chromium/*.json
var Fixtures embed.FS
