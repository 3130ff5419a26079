package fetchctx

import (
	"errors"
	"fmt"
	"strings"
)

// EmbedderPolicyValue is an embedder policy value (HTML). The zero value is
// UnsafeNone, the default.
type EmbedderPolicyValue uint8

// The embedder policy values.
const (
	UnsafeNone EmbedderPolicyValue = iota
	RequireCORP
	Credentialless
)

var epNames = [...]string{"unsafe-none", "require-corp", "credentialless"}

// String returns the value's token.
func (v EmbedderPolicyValue) String() string {
	return enumString(epNames[:], int(v), "EmbedderPolicyValue")
}

// ParseEmbedderPolicyValue parses a value token, exactly as spelled.
func ParseEmbedderPolicyValue(s string) (EmbedderPolicyValue, error) {
	i, err := parseEnum(epNames[:], s, "embedder policy value")
	return EmbedderPolicyValue(i), err
}

// IsCompatibleWithCrossOriginIsolation reports whether v is require-corp or
// credentialless (HTML: compatible with cross-origin isolation).
func (v EmbedderPolicyValue) IsCompatibleWithCrossOriginIsolation() bool {
	return v == RequireCORP || v == Credentialless
}

// EmbedderPolicy is an embedder policy (HTML): the enforced value and the
// report-only one, each with the reporting endpoint named by its header's
// report-to parameter. The zero value is the default policy: unsafe-none,
// with no endpoints.
type EmbedderPolicy struct {
	Value                       EmbedderPolicyValue
	ReportingEndpoint           string
	ReportOnlyValue             EmbedderPolicyValue
	ReportOnlyReportingEndpoint string
}

// The embedder policy headers.
const (
	HeaderCOEP           = "Cross-Origin-Embedder-Policy"
	HeaderCOEPReportOnly = "Cross-Origin-Embedder-Policy-Report-Only"
)

// HeaderError reports a header value that does not parse. The value it
// came with still has a meaning: the spec's fallback, which the function that
// returned the error also returns.
type HeaderError struct {
	Name  string // header name
	Value string // the header's combined value
	Msg   string
}

func (e *HeaderError) Error() string {
	v := e.Value
	if len(v) > 128 {
		v = v[:128] + "..."
	}
	return fmt.Sprintf("fetchctx: header %s: %q: %s", e.Name, v, e.Msg)
}

// ParseEmbedderPolicy obtains an embedder policy from the values of the
// Cross-Origin-Embedder-Policy and -Report-Only headers of a response in a
// secure context (HTML: obtain an embedder policy, steps 3-4). Each is parsed
// as a structured-field item; a token "require-corp" or "credentialless"
// sets the value, and a string report-to parameter the endpoint. Absent
// headers give unsafe-none. An invalid header (not an item, several headers,
// an unknown token) also gives unsafe-none, as the spec says, and is
// reported in the error, which joins one *HeaderError per bad header.
func ParseEmbedderPolicy(coep, reportOnly []string) (EmbedderPolicy, error) {
	var p EmbedderPolicy
	var errs []error
	var err error
	p.Value, p.ReportingEndpoint, err = parsePolicyHeader(HeaderCOEP, coep)
	if err != nil {
		errs = append(errs, err)
	}
	p.ReportOnlyValue, p.ReportOnlyReportingEndpoint, err = parsePolicyHeader(HeaderCOEPReportOnly, reportOnly)
	if err != nil {
		errs = append(errs, err)
	}
	return p, errors.Join(errs...)
}

func parsePolicyHeader(name string, values []string) (EmbedderPolicyValue, string, error) {
	if len(values) == 0 {
		return UnsafeNone, "", nil
	}
	// Fetch "get": the values combined, in order, with ", ".
	combined := values[0]
	if len(values) > 1 {
		combined = strings.Join(values, ", ")
	}
	it, err := parseItem(combined)
	if err != nil {
		return UnsafeNone, "", &HeaderError{name, combined, err.Error()}
	}
	if it.kind != sfToken {
		return UnsafeNone, "", &HeaderError{name, combined, "not a token"}
	}
	var v EmbedderPolicyValue
	switch it.value {
	case "require-corp":
		v = RequireCORP
	case "credentialless":
		v = Credentialless
	case "unsafe-none":
		return UnsafeNone, "", nil
	default:
		return UnsafeNone, "", &HeaderError{name, combined, fmt.Sprintf("unknown value %q", it.value)}
	}
	return v, it.reportTo, nil
}
