package enforce

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// TestFilterCORSKeepsWhatExposedHeadersLists: filterCORS, which decides
// each name in place, keeps exactly the names Engine.ExposedHeaders lists
// (the oracle), over names in any case, lists valid and not, "*" with and
// without credentials, and lists long enough to take the sorted path.
func TestFilterCORSKeepsWhatExposedHeadersLists(t *testing.T) {
	e := New(Config{})
	u, err := fetchctx.ParseURL("https://api.other.test/x")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x-filler, ", 500) + "X-Secret"
	names := [][]string{
		{"Content-Type", "X-Secret", "Set-Cookie", "Date"},
		{"content-type", "x-secret", "set-cookie2", "Cache-Control", "CACHE-CONTROL", "Pragma"},
		{"Expires", "Last-Modified", "Content-Language", "Content-Length", "X-Other", "Set-Cookie"},
		{"X-Secret", "X-Secrets", "X-Secre", "Access-Control-Expose-Headers"},
	}
	lists := [][]string{nil, {""}, {"*"}, {" * "}, {"X-Secret"}, {"x-secret, Date"}, {"X-Secret", "Set-Cookie"},
		{"*, X-Other"}, {"x secret"}, {"X-Secret,,date"}, {"bad\x00, X-Secret"}, {"*", "bad header"},
		{"access-control-expose-headers"}, {long}, {long + ", *"}, {long + ", bad value"}}
	for _, creds := range []fetchctx.Credentials{fetchctx.CredentialsSameOrigin, fetchctx.CredentialsInclude, fetchctx.CredentialsOmit} {
		req := &fetchctx.Request{Origin: origin.MustParse("https://app.example.test"), Mode: fetchctx.ModeCORS,
			Credentials: creds, URLs: []fetchctx.URL{u}}
		for _, ns := range names {
			for _, list := range lists {
				h := http.Header{}
				for _, n := range ns {
					h[n] = []string{"v"}
				}
				if list != nil {
					h["Access-Control-Expose-Headers"] = list
				}
				hop, shape, _ := parseResponse(200, h, true)
				exposed := e.ExposedHeaders(req, &hop)
				var want []string
				for n := range h {
					if _, ok := slices.BinarySearchFunc(exposed, n, compareFold); ok {
						want = append(want, n)
					}
				}
				slices.Sort(want)
				got := maps.Clone(h)
				if !shape.copied {
					// The Transport filters the map it parsed.
					hop.Header = got
				}
				e.filterCORS(got, req, &hop)
				if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, want) {
					t.Errorf("credentials %v, names %q, list %.40q: kept %q, want %q", creds, ns, list, keys, want)
				}
			}
		}
	}
}
