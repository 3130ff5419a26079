package browsertest_test

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

// TestReasonTokensAreDevTools: every reason the engine reports in a
// DevTools field (enforce.Reason.DevTools) is a value of that field's
// enumeration in cdproto, the Go bindings of Chrome's DevTools protocol
// this module drives Chromium with (read from the module's source), so that
// a renamed or invented token fails here.
func TestReasonTokensAreDevTools(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/chromedp/cdproto").Output()
	if err != nil {
		t.Fatalf("the cdproto module's source: %v", err)
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
	checked := 0
	for r := enforce.Reason(1); !strings.HasPrefix(r.String(), "Reason("); r++ {
		field, value := r.DevTools()
		enum := map[enforce.DevToolsField]string{enforce.DevToolsBlockedReason: "BlockedReason", enforce.DevToolsCorsError: "CorsError"}[field]
		switch {
		case enum != "" && !values[enum][value]:
			t.Errorf("%s: %q is no network.%s in cdproto", r, value, enum)
		case field == enforce.DevToolsErrorText && !strings.HasPrefix(value, "net::ERR_"):
			t.Errorf("%s: errorText %q is no net:: error", r, value)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d reasons", checked)
	}
}
