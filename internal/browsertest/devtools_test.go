package browsertest_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
)

// netErrors are the net errors Chrome reports in Network.loadingFailed's
// errorText that the engine's reasons may give, with their codes, as
// Chromium's net/base/net_error_list.h lists them (chromium/chromium at
// 0182b17bc505e3d68ffd2269d18e1a2fa5bc8876). cdproto has no enumeration of
// them: an errorText outside this list fails the test below.
var netErrors = map[string]int{
	"net::ERR_FAILED":                             -2,
	"net::ERR_ABORTED":                            -3,
	"net::ERR_BLOCKED_BY_CLIENT":                  -20,
	"net::ERR_BLOCKED_BY_RESPONSE":                -27,
	"net::ERR_BLOCKED_BY_CSP":                     -30,
	"net::ERR_BLOCKED_BY_ORB":                     -32,
	"net::ERR_INVALID_URL":                        -300,
	"net::ERR_DISALLOWED_URL_SCHEME":              -301,
	"net::ERR_UNKNOWN_URL_SCHEME":                 -302,
	"net::ERR_INVALID_REDIRECT":                   -303,
	"net::ERR_TOO_MANY_REDIRECTS":                 -310,
	"net::ERR_UNSAFE_REDIRECT":                    -311,
	"net::ERR_UNSAFE_PORT":                        -312,
	"net::ERR_INVALID_RESPONSE":                   -320,
	"net::ERR_EMPTY_RESPONSE":                     -324,
	"net::ERR_CONTENT_DECODING_FAILED":            -330,
	"net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION": -350,
}

// cdprotoEnums reads the string values of the named types' constants from
// a file of cdproto's source.
func cdprotoEnums(t *testing.T, dir, file string, types ...string) map[string]map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, file), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]map[string]bool{}
	for _, name := range types {
		values[name] = map[string]bool{}
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			id, ok := vs.Type.(*ast.Ident)
			if !ok || values[id.Name] == nil || len(vs.Values) != 1 {
				continue
			}
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, _ := strconv.Unquote(lit.Value)
				values[id.Name][v] = true
			}
		}
	}
	for _, name := range types {
		if len(values[name]) < 5 {
			t.Fatalf("read %d %s values from %s: the file changed shape", len(values[name]), name, file)
		}
	}
	return values
}

// TestReasonTokensAreDevTools: every value the engine puts in a DevTools
// field (enforce.Reason.DevTools, enforce.Verdict.DevTools) is a value of
// that field's type, so that a renamed or invented token fails here:
// blockedReason and corsError values of cdproto's enumerations, the Go
// bindings of Chrome's DevTools protocol this module drives Chromium with
// (read from the module's source); errorText a net error of netErrors, to
// which Blink's loader appends, for net::ERR_BLOCKED_BY_RESPONSE, the
// Audits.BlockedByResponseReason without its "Corp" ("NotSameSite"). xorigin's
// own reasons (IsOwn) have no DevTools field.
func TestReasonTokensAreDevTools(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/chromedp/cdproto").Output()
	if err != nil {
		t.Fatalf("the cdproto module's source: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	values := cdprotoEnums(t, dir, filepath.Join("network", "types.go"), "BlockedReason", "CorsError")
	byResponse := cdprotoEnums(t, dir, filepath.Join("audits", "types.go"), "BlockedByResponseReason")["BlockedByResponseReason"]
	check := func(what string, d enforce.DevTools) {
		if d.BlockedReason != "" && !values["BlockedReason"][d.BlockedReason] {
			t.Errorf("%s: blockedReason %q is no network.BlockedReason in cdproto", what, d.BlockedReason)
		}
		if d.CorsError != "" && !values["CorsError"][d.CorsError] {
			t.Errorf("%s: corsError %q is no network.CorsError in cdproto", what, d.CorsError)
		}
		base, suffix, dotted := strings.Cut(d.ErrorText, ".")
		if _, ok := netErrors[base]; !ok && d.ErrorText != "" {
			t.Errorf("%s: errorText %q is not in the net error list", what, d.ErrorText)
		}
		if dotted && (base != "net::ERR_BLOCKED_BY_RESPONSE" || !byResponse["Corp"+suffix]) {
			t.Errorf("%s: errorText %q: no Audits.BlockedByResponseReason Corp%s in cdproto", what, d.ErrorText, suffix)
		}
	}
	requests := map[string]*fetchctx.Request{
		"subresource": {Mode: fetchctx.ModeNoCORS, Destination: fetchctx.DestinationImage},
		"navigation":  {Mode: fetchctx.ModeNavigate, Destination: fetchctx.DestinationIFrame},
		"fetch":       {Mode: fetchctx.ModeSameOrigin},
	}
	checked := 0
	for r := enforce.Reason(1); !strings.HasPrefix(r.String(), "Reason("); r++ {
		d := r.DevTools()
		if r.IsOwn() && !d.IsZero() {
			t.Errorf("%s: xorigin's own reason, with DevTools fields %s", r, d)
		}
		check(r.String(), d)
		for name, req := range requests {
			for hop := range 2 {
				check(fmt.Sprintf("%s (%s, hop %d)", r, name, hop), enforce.Verdict{Result: enforce.Blocked, Reason: r, Hop: hop}.DevTools(req))
			}
		}
		checked++
	}
	if checked < 40 {
		t.Fatalf("only %d reasons", checked)
	}
}
