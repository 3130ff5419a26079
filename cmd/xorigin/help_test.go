package main

import (
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
		{[]string{"help"}, 0, "Xorigin decides, as a browser does, whether a response may reach a page.\n\nUsage:\n\n\txorigin <command> [arguments]\n", "", "Use \"xorigin help <command>\" for more information about a command.\n"},
		{[]string{"-h"}, 0, "Xorigin decides", "", ""},
		{[]string{"help", "check"}, 0, "usage: xorigin check [flags] URL\n\nCheck fetches URL", "", ""},
		{[]string{"help", "har"}, 0, "usage: xorigin har [--coep require-corp|credentialless] [--from ORIGIN] [--json] FILE\n\nHar reads", "", ""},
		{[]string{"help", "conformance"}, 0, "usage: xorigin conformance", "", ""},
		{[]string{"check", "-h"}, 0, "", "usage: xorigin check [flags] URL\n", ""},
		{[]string{"har", "--help"}, 0, "", "usage: xorigin har ", ""},
		{[]string{"help", "bogus"}, 2, "", "xorigin help bogus: unknown help topic. Run 'xorigin help'.\n", ""},
		{[]string{"help", "check", "har"}, 2, "", "usage: xorigin help <command>\n", ""},
		{[]string{}, 2, "", "Xorigin decides", ""},
	} {
		code, out, errs := runCmd(t, tc.args...)
		if code != tc.code || !strings.HasPrefix(out, tc.stdout) || !strings.HasPrefix(errs, tc.stderr) ||
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
		"check": {"--from", "--dest", "--mode", "--credentials", "--coep", "--coep-report-only", "--resolve", "--cacert", "--profile", "--timeout", "--json"},
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
