package main

import (
	"strings"
	"testing"
)

// TestCheckGateFlags: --local-network, --from-space and --integrity. The
// test servers are on loopback, so --resolve makes every host a loopback
// address: a public page's request to one is a local network request.
func TestCheckGateFlags(t *testing.T) {
	t.Parallel()
	srv := newTestServers(t, checkRoutes())
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"local network off by default", []string{"https://cdn.example.com/plain.js", "--from", "https://app.anothersite.com", "--dest", "script"}, 0, []string{
			"verdict  allowed",
		}},
		{"local network, block", []string{"https://cdn.example.com/plain.js", "--from", "https://app.anothersite.com", "--dest", "script", "--local-network", "block"}, 1, []string{
			"reason   LocalNetworkAccessPermissionDenied",
		}},
		{"local network, allow", []string{"https://cdn.example.com/plain.js", "--from", "https://app.anothersite.com", "--dest", "script", "--local-network", "allow"}, 0, []string{
			"verdict  allowed",
		}},
		{"local network, a loopback page", []string{"https://cdn.example.com/plain.js", "--from", "https://app.anothersite.com", "--from-space", "loopback", "--dest", "script", "--local-network", "block"}, 0, []string{
			"verdict  allowed",
		}},
		{"local network, a page that is not a secure context", []string{"http://a.example.test/", "--from", "http://page.example.test", "--local-network", "allow"}, 1, []string{
			"reason   InsecureLocalNetwork",
		}},
		{"integrity mismatch", []string{"https://cdn.example.com/plain.js", "--from", "https://cdn.example.com", "--dest", "script", "--integrity", "sha256-AAAA"}, 1, []string{
			"reason   integrity",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append(append([]string{"check"}, tc.args...), srv.args(checkHosts...)...)
			code, out, errs := runCmd(t, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q\n%s", code, tc.code, errs, out)
			}
			for _, want := range tc.contains {
				if !strings.Contains(out, want+"\n") {
					t.Errorf("output lacks line %q:\n%s", want, out)
				}
			}
		})
	}
	code, _, errs := runCmd(t, "check", "https://a.test/", "--from", "https://b.test", "--local-network", "ask")
	if code != 2 || !strings.Contains(errs, "--local-network") {
		t.Errorf("--local-network ask: exit %d, stderr %q; want a usage error", code, errs)
	}
}
