package main

import (
	"strings"

	"github.com/xorigin/xorigin/enforce"
)

// schemaVersion is the version of the --json output of check and har. It
// grows when a field changes meaning or shape; new fields may come without
// it.
const schemaVersion = 1

// reasonJSON is a reason token with the field it belongs to, so that it can
// be compared with what Chrome's DevTools protocol reports:
//
//   - "blockedReason": Network.BlockedReason (corp-*, coep-*, mixed-content,
//     content-type), the token as DevTools spells it;
//   - "corsError": Network.CorsError (MissingAllowOriginHeader, ...);
//   - "errorText": Network.loadingFailed's errorText, in Value
//     (blocked-by-orb is net::ERR_BLOCKED_BY_ORB; an error Chrome recorded
//     in a HAR is its own token);
//   - "xorigin": xorigin's own (invalid-request, need-body,
//     unsafe-redirect, the har command's not-checked reasons, ...), which
//     DevTools has no field for.
type reasonJSON struct {
	Token string `json:"token"`
	Field string `json:"field"`
	// Value is what DevTools puts in Field, when it is not Token.
	Value string `json:"value,omitempty"`
}

// The fields of reasonJSON.
const (
	fieldBlockedReason = "blockedReason"
	fieldCORSError     = "corsError"
	fieldErrorText     = "errorText"
	fieldXorigin       = "xorigin"
)

// reasonFields maps the engine's reason tokens to their field, as
// enforce.Reason.DevTools says.
var reasonFields = func() map[string]reasonJSON {
	m := map[string]reasonJSON{}
	for r := enforce.Reason(1); !strings.HasPrefix(r.String(), "Reason("); r++ {
		tok := r.String()
		f := reasonJSON{Token: tok, Field: fieldXorigin}
		switch field, value := r.DevTools(); field {
		case enforce.DevToolsBlockedReason:
			f.Field = fieldBlockedReason
		case enforce.DevToolsCorsError:
			f.Field = fieldCORSError
		case enforce.DevToolsErrorText:
			f.Field, f.Value = fieldErrorText, value
		}
		m[tok] = f
	}
	return m
}()

// reasonOf returns token with its field; nil for no reason. Tokens the
// engine does not know are Chrome's net:: errors (errorText) or xorigin's.
func reasonOf(token string) *reasonJSON {
	if token == "" {
		return nil
	}
	if f, ok := reasonFields[token]; ok {
		return &f
	}
	if strings.HasPrefix(token, "net::") {
		return &reasonJSON{Token: token, Field: fieldErrorText}
	}
	return &reasonJSON{Token: token, Field: fieldXorigin}
}

// tokenOf returns r's token, "" for nil.
func tokenOf(r *reasonJSON) string {
	if r == nil {
		return ""
	}
	return r.Token
}
