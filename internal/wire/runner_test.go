package wire_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/conformance"
	"github.com/xorigin/xorigin/internal/wire"
)

// loadCase loads one case given as a JSON object.
func loadCase(t *testing.T, js string) *conformance.Case {
	t.Helper()
	cases, err := conformance.Load("test.json", []byte(`{"cases": [`+js+`]}`))
	if err != nil {
		t.Fatal(err)
	}
	return &cases[0]
}

// imageCase is a no-cors request from https://app.example.test with the
// given destination for one response.
func oneHop(dest, contentType, body, expect string) string {
	b, _ := json.Marshal(body)
	return fmt.Sprintf(`{"name": "n", "checks": ["corp", "orb", "cors", "nosniff", "mime", "mixed-content"],
	 "client": {"origin": "https://app.example.test"},
	 "request": {"url": "https://cdn.other.test/r", "destination": %q, "mode": "no-cors"},
	 "responses": [{"url": "https://cdn.other.test/r", "headers": [["Content-Type", %q]], "body": %s}],
	 "expect": {"result": %q}}`, dest, contentType, b, expect)
}

// TestLargeBodies: bodies of 1 MiB, which the script step of ORB reads
// whole, arrive byte for byte when allowed, and get the engine's verdict.
func TestLargeBodies(t *testing.T) {
	t.Parallel()
	const size = 1 << 20
	var js strings.Builder
	for i := 0; js.Len() < size; i++ {
		fmt.Fprintf(&js, "var v%d = %q;\n", i, strings.Repeat("x", 200))
	}
	var arr strings.Builder
	arr.WriteString("[")
	for i := 0; arr.Len() < size; i++ {
		if i > 0 {
			arr.WriteString(",")
		}
		fmt.Fprintf(&arr, "%q", strings.Repeat("y", 300))
	}
	arr.WriteString("]")
	r := wire.NewRunner(enforce.ProfileSpec)
	for _, tt := range []struct {
		name              string
		dest, ct, body, x string
	}{
		{"text/plain JavaScript to a script", "script", "text/plain", js.String(), "allowed"},
		{"JSON array to an image", "image", "application/json", arr.String(), "blocked"},
		{"JSON array with a trailing statement to an image", "image", "application/json", arr.String() + ";f()", "allowed"},
		{"HTML-looking prose to a style sheet", "style", "text/html", "<p>" + strings.Repeat("secret ", size/7), "blocked"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := loadCase(t, oneHop(tt.dest, tt.ct, tt.body, tt.x))
			out := r.Run(context.Background(), c)
			if !out.Pass {
				t.Fatalf("%s (engine: %+v)", out.Problem, out.Engine.Verdict)
			}
			if tt.x == "allowed" && len(out.Body) != len(tt.body) {
				t.Errorf("body of %d bytes, want %d", len(out.Body), len(tt.body))
			}
			if tt.x == "blocked" && (out.Got.Reason != enforce.ReasonBlockedByORB || out.Body != nil) {
				t.Errorf("got %+v with %d bytes, want blocked by ORB and no body", out.Got, len(out.Body))
			}
		})
	}
}

// TestRunnerOutcomes: what the runner records for a block before sending,
// a block on the response, a preflight, and a case it cannot serve.
func TestRunnerOutcomes(t *testing.T) {
	t.Parallel()
	r := wire.NewRunner(enforce.ProfileSpec)
	t.Run("mixed content is never sent", func(t *testing.T) {
		t.Parallel()
		c := loadCase(t, `{"name": "n", "checks": ["mixed-content"], "client": {"origin": "https://a.test"},
		 "request": {"url": "http://b.test/s.js", "destination": "script"},
		 "responses": [{"url": "http://b.test/s.js", "headers": [["Content-Type", "text/javascript"]], "body": "f()"}],
		 "expect": {"result": "blocked"}}`)
		out := r.Run(context.Background(), c)
		if !out.Pass || out.Got.Reason != enforce.ReasonMixedContent || len(out.Traffic) != 0 {
			t.Errorf("pass %v, got %+v, traffic %+v: %s", out.Pass, out.Got, out.Traffic, out.Problem)
		}
	})
	t.Run("CORP block after the request", func(t *testing.T) {
		t.Parallel()
		c := loadCase(t, `{"name": "n", "client": {"origin": "https://a.test"},
		 "request": {"url": "https://b.test/x", "destination": "image", "credentials": "include"},
		 "responses": [{"url": "https://b.test/x", "headers": [["Cross-Origin-Resource-Policy", "same-origin"]]}],
		 "expect": {"result": "blocked"}}`)
		out := r.Run(context.Background(), c)
		if !out.Pass || out.Got.Reason != enforce.ReasonCORPNotSameOrigin || len(out.Traffic) != 1 || out.Traffic[0].Header.Get("Cookie") == "" {
			t.Errorf("pass %v, got %+v, traffic %+v: %s", out.Pass, out.Got, out.Traffic, out.Problem)
		}
	})
	t.Run("preflight then request", func(t *testing.T) {
		t.Parallel()
		c := loadCase(t, `{"name": "n", "checks": ["cors"], "client": {"origin": "https://a.test"},
		 "request": {"url": "https://b.test/api", "mode": "cors", "method": "PUT"},
		 "preflight": {"headers": [["Access-Control-Allow-Origin", "https://a.test"], ["Access-Control-Allow-Methods", "PUT"]]},
		 "responses": [{"url": "https://b.test/api", "headers": [["Access-Control-Allow-Origin", "https://a.test"]], "body": "ok"}],
		 "expect": {"result": "allowed", "preflight": true}}`)
		out := r.Run(context.Background(), c)
		if !out.Pass || string(out.Body) != "ok" || len(out.Traffic) != 2 || !out.Traffic[0].Preflight || out.Traffic[1].Method != "PUT" {
			t.Errorf("pass %v, body %q, traffic %+v: %s", out.Pass, out.Body, out.Traffic, out.Problem)
		}
	})
	t.Run("no preflight answer is a network error", func(t *testing.T) {
		t.Parallel()
		c := loadCase(t, `{"name": "n", "checks": ["cors"], "client": {"origin": "https://a.test"},
		 "request": {"url": "https://b.test/api", "mode": "cors", "method": "PUT"},
		 "responses": [{"url": "https://b.test/api", "headers": [["Access-Control-Allow-Origin", "*"]]}],
		 "expect": {"result": "blocked"}}`)
		out := r.Run(context.Background(), c)
		if !out.Pass || out.Err == nil || len(out.Traffic) != 1 || !out.Traffic[0].Preflight {
			t.Errorf("pass %v, err %v, traffic %+v: %s", out.Pass, out.Err, out.Traffic, out.Problem)
		}
	})
	t.Run("a service worker's credentials reach the Transport", func(t *testing.T) {
		t.Parallel()
		// Derived, a credentialless client's cross-origin image includes
		// no credentials and needs no CORP; the response's own true makes
		// COEP default CORP to same-origin.
		c := loadCase(t, `{"name": "n", "client": {"origin": "https://a.test", "coep": "credentialless"},
		 "request": {"url": "https://b.test/x", "destination": "image", "credentials": "include"},
		 "responses": [{"url": "https://b.test/x", "requestIncludesCredentials": true}],
		 "expect": {"result": "blocked"}}`)
		out := r.Run(context.Background(), c)
		if !out.Pass || out.Got.Reason != enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP {
			t.Errorf("pass %v, got %+v: %s", out.Pass, out.Got, out.Problem)
		}
	})
	t.Run("a binary body arrives whole", func(t *testing.T) {
		t.Parallel()
		body := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\x00\r\n\r\n")
		c := loadCase(t, fmt.Sprintf(`{"name": "n", "checks": ["orb"], "client": {"origin": "https://a.test"},
		 "request": {"url": "https://b.test/i", "destination": "image"},
		 "responses": [{"url": "https://b.test/i", "headers": [["Content-Type", "image/png"]], "bodyBase64": %q}],
		 "expect": {"result": "allowed"}}`, base64.StdEncoding.EncodeToString(body)))
		out := r.Run(context.Background(), c)
		if !out.Pass || string(out.Body) != string(body) {
			t.Errorf("pass %v, body %q: %s", out.Pass, out.Body, out.Problem)
		}
	})
}
