package conformance_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/conformance"
)

const okCase = `{"name": "n", "source": "s", "client": {"origin": "https://a.test"},
 "request": {"url": "https://b.test/x", "destination": "image"},
 "responses": [{"url": "https://b.test/x", "headers": [["Cross-Origin-Resource-Policy", "same-origin"]]}],
 "expect": {"result": "blocked", "reports": []}}`

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json string
		field, msg string // substrings the error must contain
	}{
		{"bad json", `{"cases": [`, "", "bad JSON"},
		{"unknown top-level field", `{"cases": [], "extra": 1}`, "extra", "unknown field"},
		{"unknown case field", `{"cases": [` + strings.Replace(okCase, `"source"`, `"sauce"`, 1) + `]}`, "sauce", "unknown field"},
		{"key case matters", `{"cases": [` + strings.Replace(okCase, `"source"`, `"Source"`, 1) + `]}`, "Source", `did you mean "source"`},
		{"unknown response field", `{"cases": [` + strings.Replace(okCase, `"headers"`, `"header"`, 1) + `]}`, "responses[0].header", "unknown field"},
		{"unknown report field", `{"cases": [` + strings.Replace(okCase, `"reports": []`, `"reports": [{"type": "corp", "blockedURL": "https://b.test/x", "destination": "image", "disposition": "enforce", "x": 1}]`, 1) + `]}`, "reports[0].x", "unknown field"},
		{"missing cases", `{}`, "cases", "missing"},
		{"missing name", `{"cases": [` + strings.Replace(okCase, `"name": "n", `, ``, 1) + `]}`, "name", "missing"},
		{"duplicate name", `{"cases": [` + okCase + `,` + okCase + `]}`, "name", "not unique"},
		{"unknown check", `{"cases": [` + strings.Replace(okCase, `"source": "s",`, `"source": "s", "checks": ["corb"],`, 1) + `]}`, "checks[0]", `unknown check "corb"`},
		{"bad origin", `{"cases": [` + strings.Replace(okCase, `"https://a.test"`, `"https://a.test/path"`, 1) + `]}`, "client.origin", "path"},
		{"bad coep", `{"cases": [` + strings.Replace(okCase, `"origin": "https://a.test"`, `"origin": "https://a.test", "coep": "require_corp"`, 1) + `]}`, "client.coep", "require_corp"},
		{"bad destination", `{"cases": [` + strings.Replace(okCase, `"image"`, `"img"`, 1) + `]}`, "request.destination", `"img"`},
		{"bad mode", `{"cases": [` + strings.Replace(okCase, `"destination": "image"`, `"mode": "no_cors"`, 1) + `]}`, "request.mode", "no_cors"},
		{"bad url", `{"cases": [` + strings.Replace(okCase, `"url": "https://b.test/x", "dest`, `"url": "https://b test/x", "dest`, 1) + `]}`, "request.url", "forbidden"},
		{"no responses", `{"cases": [` + strings.Replace(okCase, `"responses": [{"url": "https://b.test/x", "headers": [["Cross-Origin-Resource-Policy", "same-origin"]]}]`, `"responses": []`, 1) + `]}`, "responses", "at least one"},
		{"middle hop not a redirect", `{"cases": [` + strings.Replace(okCase, `"responses": [`, `"responses": [{"url": "https://b.test/y", "status": 200},`, 1) + `]}`, "responses[0]", "redirect"},
		{"bad header pair", `{"cases": [` + strings.Replace(okCase, `["Cross-Origin-Resource-Policy", "same-origin"]`, `["Cross-Origin-Resource-Policy"]`, 1) + `]}`, "responses[0].headers", "[name, value]"},
		{"body and bodyBase64", `{"cases": [` + strings.Replace(okCase, `"headers": [[`, `"body": "a", "bodyBase64": "YQ==", "headers": [[`, 1) + `]}`, "responses[0]", "at most one"},
		{"bad result", `{"cases": [` + strings.Replace(okCase, `"result": "blocked"`, `"result": "stripped"`, 1) + `]}`, "expect.result", "stripped"},
		{"missing result", `{"cases": [` + strings.Replace(okCase, `"result": "blocked", `, ``, 1) + `]}`, "expect.result", "missing"},
		{"corp report without destination", `{"cases": [` + strings.Replace(okCase, `"reports": []`, `"reports": [{"type": "corp", "blockedURL": "https://b.test/x", "disposition": "enforce"}]`, 1) + `]}`, "destination", "required"},
		{"wrong type", `{"cases": [` + strings.Replace(okCase, `"result": "blocked"`, `"result": 1`, 1) + `]}`, "", "bad JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := conformance.Load("f.json", []byte(tt.json))
			var le *conformance.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("Load: %v, want a *LoadError", err)
			}
			if le.File != "f.json" || !strings.Contains(le.Field, tt.field) || !strings.Contains(le.Error(), tt.msg) {
				t.Errorf("Load error %q (field %q), want field ~%q and message ~%q", le.Error(), le.Field, tt.field, tt.msg)
			}
		})
	}
}

func TestLoadKeepsGoodCases(t *testing.T) {
	t.Parallel()
	bad := strings.Replace(strings.Replace(okCase, `"n"`, `"bad"`, 1), `"image"`, `"img"`, 1)
	cases, err := conformance.Load("f.json", []byte(`{"cases": [`+bad+`,`+okCase+`]}`))
	var le *conformance.LoadError
	if !errors.As(err, &le) || le.Case != "bad" {
		t.Fatalf("err = %v, want a *LoadError for case \"bad\"", err)
	}
	if len(cases) != 1 || cases[0].Name != "n" {
		t.Errorf("loaded %d cases, want the good one", len(cases))
	}
}

func TestLoadOriginTrailingSlash(t *testing.T) {
	t.Parallel()
	c := strings.Replace(okCase, `"https://a.test"`, `"https://a.test/"`, 1)
	cases, err := conformance.Load("f.json", []byte(`{"cases": [`+c+`]}`))
	if err != nil || cases[0].Request.Origin.String() != "https://a.test" {
		t.Errorf("err %v", err)
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	e := conformance.NewRunner(enforce.ProfileSpec)
	load := func(t *testing.T, c string) *conformance.Case {
		t.Helper()
		cs, err := conformance.Load("f.json", []byte(`{"cases": [`+c+`]}`))
		if err != nil {
			t.Fatal(err)
		}
		return &cs[0]
	}
	t.Run("pass", func(t *testing.T) {
		if out := e.Run(load(t, okCase)); !out.Pass {
			t.Errorf("%s", out.Problem)
		}
	})
	t.Run("wrong result fails", func(t *testing.T) {
		out := e.Run(load(t, strings.Replace(okCase, `"result": "blocked"`, `"result": "allowed"`, 1)))
		if out.Pass || !strings.Contains(out.Problem, "corp-not-same-origin") {
			t.Errorf("pass=%v problem=%q", out.Pass, out.Problem)
		}
	})
	t.Run("wrong reports fail with a diff", func(t *testing.T) {
		c := strings.Replace(okCase, `"reports": []`, `"reports": [{"type": "corp", "blockedURL": "https://b.test/x", "destination": "image", "disposition": "enforce"}]`, 1)
		out := e.Run(load(t, c))
		if out.Pass || out.Diff == "" {
			t.Errorf("pass=%v diff=%q", out.Pass, out.Diff)
		}
	})
	t.Run("reports not checked when absent", func(t *testing.T) {
		c := strings.Replace(okCase, `, "reports": []`, ``, 1)
		c = strings.Replace(c, `"origin": "https://a.test"`, `"origin": "https://a.test", "coep": "require-corp"`, 1)
		c = strings.Replace(c, `"same-origin"]`, `"nonsense"]`, 1)
		out := e.Run(load(t, c))
		if !out.Pass || len(out.Reports) != 1 {
			t.Errorf("pass=%v reports=%v problem=%q", out.Pass, out.Reports, out.Problem)
		}
	})
}
