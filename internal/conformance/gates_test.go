package conformance_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/conformance"
)

// TestLoadGateFields: the checks and fields of the bad-port, integrity and
// local-network gates load, and bad values are errors naming the field.
func TestLoadGateFields(t *testing.T) {
	t.Parallel()
	const good = `{"cases": [{"name": "n", "checks": ["bad-port", "integrity", "local-network"],
		"client": {"origin": "https://a.test", "addressSpace": "local"},
		"request": {"url": "https://b.test/x", "integrity": "sha384-abc sha256-def"},
		"responses": [{"url": "https://b.test/x", "addressSpace": "loopback"}],
		"expect": {"result": "blocked"}}]}`
	cases, err := conformance.Load("f.json", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	c := cases[0]
	if c.Gates != enforce.CheckBadPort|enforce.CheckIntegrity|enforce.CheckLocalNetwork {
		t.Errorf("gates %b", c.Gates)
	}
	if c.Request.AddressSpace != fetchctx.AddressSpaceLocal || c.Hops[0].AddressSpace != fetchctx.AddressSpaceLoopback {
		t.Errorf("spaces %v, %v", c.Request.AddressSpace, c.Hops[0].AddressSpace)
	}
	if alg, ds := c.Request.Integrity.Strongest(); alg != fetchctx.SHA384 || len(ds) != 1 || ds[0].Spec != "abc" {
		t.Errorf("integrity %v %v", alg, ds)
	}
	for _, bad := range []struct{ json, field string }{
		{strings.Replace(good, `"addressSpace": "local"`, `"addressSpace": "private"`, 1), "client.addressSpace"},
		{strings.Replace(good, `"addressSpace": "loopback"`, `"addressSpace": "Loopback"`, 1), "responses[0].addressSpace"},
		{strings.Replace(good, `"local-network"`, `"lna"`, 1), "checks[2]"},
		{strings.Replace(good, `"integrity": "sha384`, `"Integrity": "sha384`, 1), "request.Integrity"},
	} {
		_, err := conformance.Load("f.json", []byte(bad.json))
		var le *conformance.LoadError
		if !errors.As(err, &le) || le.Field != bad.field {
			t.Errorf("want a load error on %s, got %v", bad.field, err)
		}
	}
}
