package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
)

// Every reason token comes with the field Chrome's DevTools report it in.
func TestReasonFields(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		token string
		want  reasonJSON
	}{
		{"corp-not-same-site", reasonJSON{"corp-not-same-site", "blockedReason", ""}},
		{"corp-not-same-origin-after-defaulted-to-same-origin-by-coep", reasonJSON{"corp-not-same-origin-after-defaulted-to-same-origin-by-coep", "blockedReason", ""}},
		{"coep-frame-resource-needs-coep-header", reasonJSON{"coep-frame-resource-needs-coep-header", "blockedReason", ""}},
		{"mixed-content", reasonJSON{"mixed-content", "blockedReason", ""}},
		{"MissingAllowOriginHeader", reasonJSON{"MissingAllowOriginHeader", "corsError", ""}},
		{"preflight-no-answer", reasonJSON{"preflight-no-answer", "xorigin", ""}},
		{"CorsDisabledScheme", reasonJSON{"CorsDisabledScheme", "corsError", ""}},
		{"blocked-by-orb", reasonJSON{"blocked-by-orb", "errorText", "net::ERR_BLOCKED_BY_ORB"}},
		{"invalid-request", reasonJSON{"invalid-request", "xorigin", ""}},
		{"need-body", reasonJSON{"need-body", "xorigin", ""}},
		{"unsafe-redirect", reasonJSON{"unsafe-redirect", "xorigin", ""}},
		{"main-document", reasonJSON{"main-document", "xorigin", ""}},
		{"net::ERR_BLOCKED_BY_RESPONSE.NotSameSite", reasonJSON{"net::ERR_BLOCKED_BY_RESPONSE.NotSameSite", "errorText", ""}},
	} {
		if got := reasonOf(tc.token); got == nil || *got != tc.want {
			t.Errorf("reasonOf(%q) = %+v, want %+v", tc.token, got, tc.want)
		}
	}
	if reasonOf("") != nil {
		t.Error(`reasonOf("") is not nil`)
	}
	// Every engine reason has a field; the CamelCase ones are CORS errors.
	for r := enforce.Reason(1); !strings.HasPrefix(r.String(), "Reason("); r++ {
		f, ok := reasonFields[r.String()]
		camel := r.String()[0] >= 'A' && r.String()[0] <= 'Z'
		if !ok || camel != (f.Field == fieldCORSError) {
			t.Errorf("%s: %+v", r, f)
		}
	}
}

// TestReasonTokensAreDevTools: every reason the engine gives a DevTools
// field is a value of that field's enumeration in cdproto, the Go bindings
// of Chrome's DevTools protocol (read from the module's source), so that a
// renamed or invented token fails here.
func TestReasonTokensAreDevTools(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/chromedp/cdproto").Output()
	if err != nil {
		t.Skipf("the cdproto module's source is not at hand: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "network", "types.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]map[string]bool{"BlockedReason": {}, "CorsError": {}}
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
	if len(values["BlockedReason"]) < 10 || len(values["CorsError"]) < 10 {
		t.Fatalf("read %d BlockedReason and %d CorsError values from %s: the file changed shape", len(values["BlockedReason"]), len(values["CorsError"]), dir)
	}
	for r := enforce.Reason(1); !strings.HasPrefix(r.String(), "Reason("); r++ {
		f := reasonFields[r.String()]
		var enum string
		switch f.Field {
		case fieldBlockedReason:
			enum = "BlockedReason"
		case fieldCORSError:
			enum = "CorsError"
		default:
			continue
		}
		if !values[enum][f.Token] {
			t.Errorf("%s: %q is no network.%s in cdproto", r, f.Token, enum)
		}
	}
}
