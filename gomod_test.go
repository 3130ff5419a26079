package xorigin_test

import (
	"os"
	"strings"
	"testing"
)

// TestNoBrowserModules: the library's go.mod names no module that drives a
// browser; the browser harness (internal/browsertest) is a module of its
// own, so an embedder's module graph never lists chromedp or the DevTools
// protocol bindings.
func TestNoBrowserModules(t *testing.T) {
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{"github.com/chromedp/"} {
			if strings.Contains(string(b), m) {
				t.Errorf("%s names %s", f, m)
			}
		}
	}
}
