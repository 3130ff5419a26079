// Package conformance loads fixture files in the shared conformance format
// (shared/conformance/FORMAT.md) and runs their cases through the engine.
package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// LoadError reports a fixture that cannot be loaded: bad JSON, an unknown
// field, a bad value. It names the file, the case and the field.
type LoadError struct {
	File  string
	Case  string // the case's name, or "#N" when it has none; "" for the file
	Field string // a JSON path such as "responses[1].status"
	Msg   string
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Case != "" {
		fmt.Fprintf(&b, ": case %q", e.Case)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": %s", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// The checks the format defines, and the engine gate of each.
var knownChecks = map[string]enforce.Checks{
	"corp": enforce.CheckCORP, "orb": enforce.CheckORB, "cors": enforce.CheckCORS,
	"nosniff": enforce.CheckNoSniff, "mime": enforce.CheckMIME, "mixed-content": enforce.CheckMixedContent,
	"bad-port": enforce.CheckBadPort, "integrity": enforce.CheckIntegrity,
	"local-network": enforce.CheckLocalNetwork,
}

// Case is a loaded, validated fixture case.
type Case struct {
	File   string
	Name   string
	Source string
	Checks []string
	// Gates are the engine gates the checks name.
	Gates enforce.Checks

	Request fetchctx.Request
	Hops    []enforce.Response
	// Preflight is the answer to the CORS preflight, when the case gives one.
	Preflight *enforce.Response
	// URL is request.url as written: the URL first requested, which the
	// first hop answers for (or for its https: form, where mixed content
	// upgrades the request).
	URL string
	// Served lists the responses as the fixture writes them, one per hop,
	// for serving them over the wire: header lines in order and case,
	// duplicates kept. ServedPreflight is the preflight's answer, when the
	// case gives one.
	Served          []ServedResponse
	ServedPreflight *ServedResponse
	// HeaderErrors lists response headers that fell back to the spec
	// default (a malformed COEP header, say): informative, not a failure.
	HeaderErrors []string

	Expect Expect
}

// Expect is a case's expectation; nil fields are not checked.
type Expect struct {
	Result         string // "allowed" or "blocked"
	Reports        *[]Report
	Preflight      *bool
	ExposedHeaders *[]string // lower case, sorted
}

// ServedResponse is a response as a fixture lists it: what a server sends.
type ServedResponse struct {
	URL    string // the URL it answers for, as written; "" for a preflight answer
	Status int
	// Header holds the header lines as listed: [name, value], in order and
	// case, duplicates kept.
	Header [][2]string
	Body   []byte
	// IncludesCredentials is the fixture's requestIncludesCredentials
	// override, nil when the engine derives it.
	IncludesCredentials *bool
}

// Report is a COEP report as the fixture format writes it.
type Report struct {
	Type        string  `json:"type"`
	BlockedURL  string  `json:"blockedURL"`
	Destination *string `json:"destination,omitempty"`
	Disposition string  `json:"disposition"`
}

// The raw JSON shapes, decoded after the key check.
type rawFile struct {
	Cases []rawCase `json:"cases"`
}

type rawCase struct {
	Name      string        `json:"name"`
	Source    string        `json:"source"`
	Checks    []string      `json:"checks"`
	Client    rawClient     `json:"client"`
	Request   rawRequest    `json:"request"`
	Preflight *rawPreflight `json:"preflight"`
	Responses []rawResponse `json:"responses"`
	Expect    rawExpect     `json:"expect"`
}

type rawClient struct {
	Origin         *string `json:"origin"`
	COEP           *string `json:"coep"`
	COEPReportOnly *string `json:"coepReportOnly"`
	AddressSpace   *string `json:"addressSpace"`
}

type rawRequest struct {
	URL         *string    `json:"url"`
	Destination *string    `json:"destination"`
	Mode        *string    `json:"mode"`
	Credentials *string    `json:"credentials"`
	Method      *string    `json:"method"`
	Headers     [][]string `json:"headers"`
	Integrity   *string    `json:"integrity"`
}

type rawPreflight struct {
	Status  *int       `json:"status"`
	Headers [][]string `json:"headers"`
}

type rawResponse struct {
	URL                        *string    `json:"url"`
	Status                     *int       `json:"status"`
	Headers                    [][]string `json:"headers"`
	Body                       *string    `json:"body"`
	BodyBase64                 *string    `json:"bodyBase64"`
	RequestIncludesCredentials *bool      `json:"requestIncludesCredentials"`
	AddressSpace               *string    `json:"addressSpace"`
}

type rawExpect struct {
	Result         *string   `json:"result"`
	Preflight      *bool     `json:"preflight"`
	ExposedHeaders *[]string `json:"exposedHeaders"`
	Reports        *[]Report `json:"reports"`
}

// Load parses a fixture file's bytes; name identifies it in errors. It
// returns the cases that load, and an error joining one *LoadError per case
// that does not (or a single one when the file itself is bad). A bad case is
// reported, never skipped silently; the good ones still run.
func Load(name string, data []byte) ([]Case, error) {
	var top map[string]json.RawMessage
	if err := strictDecode(data, &top); err != nil {
		return nil, &LoadError{File: name, Msg: "bad JSON: " + jsonErr(err, data)}
	}
	// The first unknown key in sorted order, so that the same file always
	// gets the same error (map iteration order is random).
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k != "cases" {
			return nil, &LoadError{File: name, Field: k, Msg: "unknown field" + hint(k, schemaFile)}
		}
	}
	rawCases, ok := top["cases"]
	if !ok {
		return nil, &LoadError{File: name, Field: "cases", Msg: "missing"}
	}
	var list []json.RawMessage
	if err := json.Unmarshal(rawCases, &list); err != nil || list == nil {
		return nil, &LoadError{File: name, Field: "cases", Msg: "want an array of cases"}
	}
	seen := map[string]bool{}
	cases := make([]Case, 0, len(list))
	var errs []error
	for i, raw := range list {
		c, err := loadCase(name, i, raw, seen)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cases = append(cases, c)
	}
	return cases, errors.Join(errs...)
}

// loadCase decodes and validates case i of file name.
func loadCase(name string, i int, raw json.RawMessage, seen map[string]bool) (Case, error) {
	id := fmt.Sprintf("#%d", i)
	var tree any
	if err := strictDecode(raw, &tree); err == nil {
		if m, ok := tree.(map[string]any); ok {
			if n, ok := m["name"].(string); ok && n != "" {
				id = n
			}
		}
	}
	fail := func(field, format string, args ...any) error {
		return &LoadError{File: name, Case: id, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	// The format is a contract: unknown fields are errors, and key case
	// matters (encoding/json alone would match keys case-insensitively).
	if err := checkKeys(tree, schemaCase, ""); err != nil {
		return Case{}, fail(err.Field, "%s", err.Msg)
	}
	var rc rawCase
	if err := json.Unmarshal(raw, &rc); err != nil {
		return Case{}, fail("", "bad JSON: %s", jsonErr(err, raw))
	}
	if rc.Name == "" {
		return Case{}, fail("name", "missing")
	}
	if seen[rc.Name] {
		return Case{}, fail("name", "not unique within the file")
	}
	seen[rc.Name] = true
	c, err := buildCase(&rc, fail)
	c.File = name
	return c, err
}

// strictDecode decodes one JSON value with nothing after it.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the top-level value")
	}
	return nil
}

func buildCase(rc *rawCase, fail func(string, string, ...any) error) (Case, error) {
	c := Case{Name: rc.Name, Source: rc.Source, Checks: rc.Checks}
	if c.Checks == nil {
		c.Checks = []string{"corp"}
	}
	if len(c.Checks) == 0 {
		return c, fail("checks", "empty: name at least one check")
	}
	for i, ch := range c.Checks {
		gate, known := knownChecks[ch]
		if !known {
			return c, fail(fmt.Sprintf("checks[%d]", i), "unknown check %q", ch)
		}
		c.Gates |= gate
	}

	// client
	if rc.Client.Origin == nil {
		return c, fail("client.origin", "missing")
	}
	o, err := origin.Parse(*rc.Client.Origin)
	if err != nil {
		// A lone trailing slash ("https://a.test/") has one meaning: take
		// it rather than lose the case. Anything else stays an error.
		o2, err2 := origin.Parse(strings.TrimSuffix(*rc.Client.Origin, "/"))
		if !strings.HasSuffix(*rc.Client.Origin, "/") || err2 != nil || o2.IsOpaque() {
			return c, fail("client.origin", "%v", err)
		}
		o = o2
	}
	req := fetchctx.Request{Origin: o}
	if req.Policy.Value, err = enumField(rc.Client.COEP, fetchctx.ParseEmbedderPolicyValue); err != nil {
		return c, fail("client.coep", "%v", err)
	}
	if req.Policy.ReportOnlyValue, err = enumField(rc.Client.COEPReportOnly, fetchctx.ParseEmbedderPolicyValue); err != nil {
		return c, fail("client.coepReportOnly", "%v", err)
	}
	// Absent: the engine derives it from the origin's host.
	if req.AddressSpace, err = enumField(rc.Client.AddressSpace, fetchctx.ParseAddressSpace); err != nil {
		return c, fail("client.addressSpace", "%v", err)
	}

	// request
	if rc.Request.URL == nil {
		return c, fail("request.url", "missing")
	}
	if _, err := fetchctx.ParseURL(*rc.Request.URL); err != nil {
		return c, fail("request.url", "%v", err)
	}
	c.URL = *rc.Request.URL
	if req.Destination, err = enumField(rc.Request.Destination, fetchctx.ParseDestination); err != nil {
		return c, fail("request.destination", "%v", err)
	}
	if req.Mode, err = enumField(rc.Request.Mode, fetchctx.ParseMode); err != nil {
		return c, fail("request.mode", "%v", err)
	}
	if req.Credentials, err = enumField(rc.Request.Credentials, fetchctx.ParseCredentials); err != nil {
		return c, fail("request.credentials", "%v", err)
	}
	if m := rc.Request.Method; m != nil {
		if !isToken(*m) {
			return c, fail("request.method", "%q is not a method token", *m)
		}
		// Fetch: methods are normalized (DELETE, GET, HEAD, OPTIONS, POST
		// and PUT upper-cased); others keep their case.
		req.Method = normalizeMethod(*m)
	}
	if in := rc.Request.Integrity; in != nil {
		req.Integrity = fetchctx.ParseIntegrity(*in)
	}
	reqHeader, err := headerPairs(rc.Request.Headers)
	if err != nil {
		return c, fail("request.headers", "%v", err)
	}
	if len(reqHeader) > 0 {
		req.Header = reqHeader
	}
	if p := rc.Preflight; p != nil {
		status := 200
		if p.Status != nil {
			status = *p.Status
		}
		if status < 100 || status > 999 {
			return c, fail("preflight.status", "%d is not an HTTP status", status)
		}
		ph, err := headerPairs(p.Headers)
		if err != nil {
			return c, fail("preflight.headers", "%v", err)
		}
		pr, _ := enforce.ParseResponse(status, ph)
		c.Preflight = &pr
		c.ServedPreflight = &ServedResponse{Status: status, Header: linePairs(p.Headers)}
	}

	// responses
	if len(rc.Responses) == 0 {
		return c, fail("responses", "missing or empty: at least one hop is required")
	}
	for i := range rc.Responses {
		r := &rc.Responses[i]
		field := fmt.Sprintf("responses[%d]", i)
		if r.URL == nil {
			return c, fail(field+".url", "missing")
		}
		u, err := fetchctx.ParseURL(*r.URL)
		if err != nil {
			return c, fail(field+".url", "%v", err)
		}
		status := 200
		if r.Status != nil {
			status = *r.Status
		}
		if status < 100 || status > 999 {
			return c, fail(field+".status", "%d is not an HTTP status", status)
		}
		h, err := headerPairs(r.Headers)
		if err != nil {
			return c, fail(field+".headers", "%v", err)
		}
		if r.Body != nil && r.BodyBase64 != nil {
			return c, fail(field, "both body and bodyBase64: give at most one")
		}
		var body []byte
		if r.Body != nil {
			body = []byte(*r.Body)
		}
		if r.BodyBase64 != nil {
			if body, err = base64.StdEncoding.DecodeString(*r.BodyBase64); err != nil {
				return c, fail(field+".bodyBase64", "%v", err)
			}
		}
		if i < len(rc.Responses)-1 && (status < 300 || status > 399 || h.Get("Location") == "") {
			return c, fail(field, "every hop but the last must be a redirect (3xx with Location); this one has status %d", status)
		}
		hop, herr := enforce.ParseResponse(status, h)
		hop.Body, hop.BodyComplete = body, true
		if herr != nil {
			c.HeaderErrors = append(c.HeaderErrors, fmt.Sprintf("%s: %v", field, herr))
		}
		// Absent: the engine derives it from the hop URL's host.
		if hop.AddressSpace, err = enumField(r.AddressSpace, fetchctx.ParseAddressSpace); err != nil {
			return c, fail(field+".addressSpace", "%v", err)
		}
		if v := r.RequestIncludesCredentials; v != nil {
			hop.IncludesCredentials = enforce.WithoutCredentials
			if *v {
				hop.IncludesCredentials = enforce.WithCredentials
			}
		}
		req.URLs = append(req.URLs, u)
		c.Hops = append(c.Hops, hop)
		c.Served = append(c.Served, ServedResponse{URL: *r.URL, Status: status, Header: linePairs(r.Headers),
			Body: body, IncludesCredentials: r.RequestIncludesCredentials})
	}
	// A media element's no-cors request is its initial range request; the
	// format has no way to say "subsequent".
	if req.Mode == fetchctx.ModeNoCORS && (req.Destination == fetchctx.DestinationAudio || req.Destination == fetchctx.DestinationVideo) {
		req.Media = fetchctx.MediaInitial
	}
	c.Request = req

	// expect
	if rc.Expect.Result == nil {
		return c, fail("expect.result", "missing")
	}
	switch *rc.Expect.Result {
	case "allowed", "blocked":
		c.Expect.Result = *rc.Expect.Result
	default:
		return c, fail("expect.result", "%q is neither \"allowed\" nor \"blocked\"", *rc.Expect.Result)
	}
	c.Expect.Preflight = rc.Expect.Preflight
	if eh := rc.Expect.ExposedHeaders; eh != nil {
		names := make([]string, len(*eh))
		for i, n := range *eh {
			names[i] = strings.ToLower(n)
		}
		sort.Strings(names)
		c.Expect.ExposedHeaders = &names
	}
	if reps := rc.Expect.Reports; reps != nil {
		for i, r := range *reps {
			field := fmt.Sprintf("expect.reports[%d]", i)
			switch r.Type {
			case "corp":
				if r.Destination == nil {
					return c, fail(field+".destination", "missing (required on corp reports)")
				}
				if _, err := fetchctx.ParseDestination(*r.Destination); err != nil {
					return c, fail(field+".destination", "%v", err)
				}
			case "navigation":
				if r.Destination != nil {
					return c, fail(field+".destination", "navigation reports have no destination")
				}
			default:
				return c, fail(field+".type", "%q is neither \"corp\" nor \"navigation\"", r.Type)
			}
			if r.Disposition != "enforce" && r.Disposition != "reporting" {
				return c, fail(field+".disposition", "%q is neither \"enforce\" nor \"reporting\"", r.Disposition)
			}
			if r.BlockedURL == "" {
				return c, fail(field+".blockedURL", "missing")
			}
		}
		c.Expect.Reports = reps
	}
	return c, nil
}

// enumField parses an optional enum field; absent means the zero value, the
// format's default.
func enumField[T any](v *string, parse func(string) (T, error)) (T, error) {
	var zero T
	if v == nil {
		return zero, nil
	}
	return parse(*v)
}

// headerPairs turns [name, value] pairs into a header map, keeping order
// and duplicates.
func headerPairs(pairs [][]string) (http.Header, error) {
	h := http.Header{}
	for i, p := range pairs {
		if len(p) != 2 {
			return nil, fmt.Errorf("[%d]: want [name, value], got %d strings", i, len(p))
		}
		if !isToken(p[0]) {
			return nil, fmt.Errorf("[%d]: %q is not a header name", i, p[0])
		}
		if strings.ContainsAny(p[1], "\r\n\x00") {
			return nil, fmt.Errorf("[%d]: value of %s has CR, LF or NUL", i, p[0])
		}
		h.Add(p[0], p[1])
	}
	return h, nil
}

// linePairs copies header pairs that headerPairs has validated.
func linePairs(pairs [][]string) [][2]string {
	if len(pairs) == 0 {
		return nil
	}
	out := make([][2]string, len(pairs))
	for i, p := range pairs {
		out[i] = [2]string{p[0], p[1]}
	}
	return out
}

func normalizeMethod(m string) string {
	switch u := strings.ToUpper(m); u {
	case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT":
		return u
	}
	return m
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// jsonErr adds a line and column to a JSON error with an offset.
func jsonErr(err error, data []byte) string {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
		if e.Field != "" {
			return fmt.Sprintf("%s: %s is %s, want %s (line %d)", e.Field, e.Field, e.Value, e.Type, line(data, off))
		}
	}
	if off < 0 {
		return err.Error()
	}
	return fmt.Sprintf("%v (line %d)", err, line(data, off))
}

func line(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}
