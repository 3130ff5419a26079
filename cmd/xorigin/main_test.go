package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

var summary = regexp.MustCompile(`^\d+ passed, \d+ failed$`)

func TestConformanceEmbedded(t *testing.T) {
	code, out, errs := runCmd(t, "conformance")
	if code != 0 || !summary.MatchString(lastLine(out)) || !strings.HasSuffix(lastLine(out), " 0 failed") {
		t.Fatalf("exit %d, last line %q, stderr %q", code, lastLine(out), errs)
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cases.json")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const twoCases = `{"cases": [
 {"name": "good", "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test/x"},
  "responses": [{"url": "https://b.test/x", "headers": [["Cross-Origin-Resource-Policy", "same-origin"]]}],
  "expect": {"result": "blocked"}},
 {"name": "wrong", "source": "made up", "client": {"origin": "https://a.test"}, "request": {"url": "https://b.test/x"},
  "responses": [{"url": "https://b.test/x", "headers": [["Cross-Origin-Resource-Policy", "same-origin"]]}],
  "expect": {"result": "allowed"}}
]}`

func TestConformanceFileWithFailure(t *testing.T) {
	p := writeFile(t, twoCases)
	code, out, _ := runCmd(t, "conformance", p)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if lastLine(out) != "1 passed, 1 failed" {
		t.Errorf("last line %q", lastLine(out))
	}
	for _, want := range []string{"FAIL " + p + ": wrong", "expected: allowed", "corp-not-same-origin", "source:   made up"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, ": good") {
		t.Errorf("passing case printed without -v:\n%s", out)
	}
	// Flags before or after the files.
	for _, args := range [][]string{{"-v", p}, {p, "-v"}, {p, "--profile", "spec", "-v"}} {
		code, out, _ = runCmd(t, append([]string{"conformance"}, args...)...)
		if code != 1 || !strings.Contains(out, "ok   "+p+": good") || lastLine(out) != "1 passed, 1 failed" {
			t.Errorf("conformance %q: exit %d, -v does not print the passing case:\n%s", args, code, out)
		}
	}
}

func TestConformanceWire(t *testing.T) {
	p := writeFile(t, twoCases)
	code, out, _ := runCmd(t, "conformance", "--wire", "-v", p)
	if code != 1 || lastLine(out) != "1 passed, 1 failed" {
		t.Errorf("exit %d, last line %q", code, lastLine(out))
	}
	for _, want := range []string{"ok   " + p + ": good", "FAIL " + p + ": wrong", "expected: allowed",
		"got:      blocked (corp-not-same-origin", "engine:   blocked, reason corp-not-same-origin", "source:   made up"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestConformanceLoadError(t *testing.T) {
	p := writeFile(t, strings.Replace(twoCases, `"source"`, `"sources"`, 1))
	code, out, errs := runCmd(t, "conformance", p)
	if code != 2 || !strings.Contains(errs, p) || !strings.Contains(errs, `case "wrong"`) || !strings.Contains(errs, "unknown field") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	// The good case still runs; the bad one counts as failed.
	if lastLine(out) != "1 passed, 1 failed" {
		t.Errorf("last line %q", lastLine(out))
	}
	code, _, errs = runCmd(t, "conformance", filepath.Join(t.TempDir(), "missing.json"))
	if code != 2 || errs == "" {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}

func TestUsage(t *testing.T) {
	if code, _, errs := runCmd(t); code != 2 || !strings.Contains(errs, "Usage") {
		t.Errorf("no args: exit %d, stderr %q", code, errs)
	}
	if code, out, _ := runCmd(t, "help"); code != 0 || !strings.Contains(out, "conformance") {
		t.Errorf("help: exit %d, out %q", code, out)
	}
	if code, out, _ := runCmd(t, "conformance", "-h"); code != 0 || !strings.Contains(out, "usage: xorigin conformance") {
		t.Errorf("conformance -h: exit %d, stdout %q", code, out)
	}
	if code, _, errs := runCmd(t, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown: exit %d, stderr %q", code, errs)
	}
}
