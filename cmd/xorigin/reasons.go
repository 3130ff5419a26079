package main

import (
	"strings"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
)

// schemaVersion is the version of the --json output of check and har. It
// grows when a field changes meaning or shape; new fields may come without
// it. 2: a reason carries the three DevTools fields, not "field"/"value".
const schemaVersion = 2

// reasonJSON is a reason token with what Chrome's DevTools protocol puts in
// Network.loadingFailed for the same block (enforce.Reason.DevTools), so
// that it can be compared with what Chrome reported:
//
//   - blockedReason: a Network.BlockedReason (corp-*, coep-*, mixed-content);
//   - corsError: corsErrorStatus.corsError, a Network.CorsError
//     (MissingAllowOriginHeader, ...);
//   - errorText: the net error (net::ERR_BLOCKED_BY_RESPONSE, ...).
//
// Xorigin is true, and the three are empty, for xorigin's own reasons
// (invalid-request, need-body, the har command's not-checked reasons, ...),
// which no browser reports. A stripped verdict has none either: Chrome
// delivers an empty response, no failed load.
type reasonJSON struct {
	Token         string `json:"token"`
	Xorigin       bool   `json:"xorigin,omitempty"`
	BlockedReason string `json:"blockedReason,omitempty"`
	CorsError     string `json:"corsError,omitempty"`
	ErrorText     string `json:"errorText,omitempty"`
}

// devTools returns the DevTools fields of r.
func (r *reasonJSON) devTools() enforce.DevTools {
	return enforce.DevTools{BlockedReason: r.BlockedReason, CorsError: r.CorsError, ErrorText: r.ErrorText}
}

// engineReasons maps the engine's reason tokens to their reasons.
var engineReasons = func() map[string]enforce.Reason {
	m := map[string]enforce.Reason{}
	for r := enforce.Reason(1); !strings.HasPrefix(r.String(), "Reason("); r++ {
		m[r.String()] = r
	}
	return m
}()

// reasonOf returns token, the reason of a verdict ("blocked", "stripped",
// ...), with its DevTools fields; nil for no reason. Tokens the engine does
// not know are Chrome's net:: errors (a HAR's, errorText) or xorigin's.
func reasonOf(verdict, token string) *reasonJSON {
	return reasonOn(verdict, token, nil, 0)
}

// reasonOn is reasonOf for a verdict on req at hop (nil: a subresource's,
// at a hop past the first), whose DevTools fields can depend on them
// (enforce.Verdict.DevTools).
func reasonOn(verdict, token string, req *fetchctx.Request, hop int) *reasonJSON {
	if token == "" {
		return nil
	}
	j := &reasonJSON{Token: token}
	if r, ok := engineReasons[token]; ok {
		if r.IsOwn() {
			j.Xorigin = true
			return j
		}
		if verdict != verdictStripped {
			if req == nil {
				hop = max(hop, 1)
			}
			d := enforce.Verdict{Result: enforce.Blocked, Reason: r, Hop: hop}.DevTools(req)
			j.BlockedReason, j.CorsError, j.ErrorText = d.BlockedReason, d.CorsError, d.ErrorText
		}
		return j
	}
	if strings.HasPrefix(token, "net::") {
		j.ErrorText = token
		return j
	}
	j.Xorigin = true
	return j
}

// devToolsLine is the text output's line for r: the DevTools fields, or
// that the reason is xorigin's own; "" when there is nothing to say.
func devToolsLine(r *reasonJSON) string {
	switch d := r.devTools(); {
	case r.Xorigin:
		return "none: xorigin's own reason, which no browser reports"
	case d.IsZero():
		return ""
	default:
		return d.String()
	}
}

// tokenOf returns r's token, "" for nil.
func tokenOf(r *reasonJSON) string {
	if r == nil {
		return ""
	}
	return r.Token
}
