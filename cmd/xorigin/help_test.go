package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args         []string
		code         int
		stdout       string // prefix
		stderr       string // prefix
		stdoutSuffix string
	}{
		{[]string{"help"}, 0, "Xorigin decides, as a browser does, whether a response may reach a page.\n\nUsage:\n\n\txorigin <command> [arguments]\n", "", "\"xorigin --version\" for the version of this binary.\n"},
		{[]string{"-h"}, 0, "Xorigin decides", "", ""},
		{[]string{"help", "check"}, 0, "usage: xorigin check [flags] URL\n\nCheck fetches URL", "", ""},
		{[]string{"help", "har"}, 0, "usage: xorigin har [--coep require-corp|credentialless] [--from ORIGIN] [--json] FILE\n\nHar reads", "", ""},
		{[]string{"help", "conformance"}, 0, "usage: xorigin conformance", "", ""},
		{[]string{"check", "-h"}, 0, "usage: xorigin check [flags] URL\n", "", ""},
		{[]string{"har", "--help"}, 0, "usage: xorigin har ", "", ""},
		{[]string{"conformance", "--help"}, 0, "usage: xorigin conformance ", "", ""},
		// An unknown flag: one line and a pointer to --help, not the usage.
		{[]string{"check", "--bogus"}, 2, "", "xorigin check: flag provided but not defined: -bogus\nRun 'xorigin check --help' for usage.\n", ""},
		{[]string{"har", "x.har", "--coep"}, 2, "", "xorigin har: flag needs an argument: -coep\nRun 'xorigin har --help' for usage.\n", ""},
		{[]string{"conformance", "-x"}, 2, "", "xorigin conformance: flag provided but not defined: -x\nRun 'xorigin conformance --help' for usage.\n", ""},
		{[]string{"help", "bogus"}, 2, "", "xorigin help bogus: unknown help topic. Run 'xorigin help'.\n", ""},
		{[]string{"help", "check", "har"}, 2, "", "usage: xorigin help <command>\n", ""},
		{[]string{}, 2, "", "Xorigin decides", ""},
	} {
		code, out, errs := runCmd(t, tc.args...)
		if code != tc.code || !strings.HasPrefix(out, tc.stdout) || !strings.HasPrefix(errs, tc.stderr) ||
			(strings.HasPrefix(tc.stderr, "xorigin ") && strings.HasSuffix(tc.stderr, "usage.\n") && errs != tc.stderr) ||
			(tc.stdout == "" && out != "") || (tc.stderr == "" && errs != "") || !strings.HasSuffix(out, tc.stdoutSuffix) {
			t.Errorf("xorigin %q: exit %d\nstdout %q\nstderr %q", tc.args, code, out, errs)
		}
	}
	// Every command is listed, and every usage text names its flags.
	_, out, _ := runCmd(t, "help")
	for _, c := range commands {
		if !strings.Contains(out, "\t"+c.name+" ") {
			t.Errorf("help does not list %s", c.name)
		}
	}
	for cmd, flags := range map[string][]string{
		"check": {"--from", "--dest", "--mode", "--credentials", "--coep", "--coep-report-only", "--resolve", "--cacert", "--profile", "--timeout", "--json", "--method", "-H", "--data"},
		"har":   {"--coep", "--from", "--profile", "--json"},
	} {
		_, out, _ := runCmd(t, "help", cmd)
		for _, f := range flags {
			if !strings.Contains(out, "\t"+f+" ") && !strings.Contains(out, "\t"+f+"\n") {
				t.Errorf("help %s does not document %s", cmd, f)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"go install", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/xorigin/xorigin", Version: "v0.4.0"}},
			"xorigin v0.4.0 (github.com/xorigin/xorigin), no VCS revision recorded, go1.26.8"},
		{"a clone", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/xorigin/xorigin", Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "89a4d70c0ffee"}, {Key: "vcs.time", Value: "2026-12-06T16:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			"xorigin (devel) (github.com/xorigin/xorigin), revision 89a4d70c0ffee of 2026-12-06T16:00:00Z, modified, go1.26.8"},
		{"no build information", nil, "xorigin: no build information in the binary"},
	} {
		if got := versionLine(tc.bi); got != tc.want {
			t.Errorf("%s: %q\nwant %q", tc.name, got, tc.want)
		}
	}
	code, out, errs := runCmd(t, "--version")
	if code != 0 || errs != "" || !strings.HasPrefix(out, "xorigin ") || strings.Count(out, "\n") != 1 {
		t.Errorf("--version: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
