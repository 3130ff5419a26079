package enforce

import (
	"testing"

	"github.com/xorigin/xorigin/internal/mimesniff"
)

// TestCommonMIMETypesAreExtract: every Content-Type value ParseResponse
// looks up gives what extracting a MIME type computes from it, and values
// that differ from a listed one (in case, spacing, count) are computed.
func TestCommonMIMETypesAreExtract(t *testing.T) {
	if len(commonMIMETypes) < 20 {
		t.Fatalf("only %d common MIME types parse", len(commonMIMETypes))
	}
	for v, got := range commonMIMETypes {
		want, ok := mimesniff.Extract([]string{v})
		if !ok || got != want {
			t.Errorf("%q: table has %#v, Extract gives %#v, %v", v, got, want, ok)
		}
	}
	for _, vals := range extractSeeds {
		checkExtractMIMEType(t, vals)
	}
}

// extractSeeds are Content-Type header lists near the listed values.
var extractSeeds = [][]string{
	{"text/plain; charset=utf-8"}, {"Text/Plain; charset=UTF-8"}, {"text/plain;charset=utf-8"},
	{"text/html", "text/plain; charset=utf-8"}, {"text/plain; charset=utf-8", "text/plain"},
	{"text/javascript", "*/*"}, {"image/png "}, {""}, {"application/json; charset=\"utf-8\""},
}

func checkExtractMIMEType(t *testing.T, vals []string) {
	t.Helper()
	got, gotOK := extractMIMEType(vals)
	want, wantOK := mimesniff.Extract(vals)
	if got != want || gotOK != wantOK {
		t.Errorf("extractMIMEType(%q) = %#v, %v; Extract gives %#v, %v", vals, got, gotOK, want, wantOK)
	}
}

// FuzzExtractMIMEType holds ParseResponse's lookup of common Content-Type
// values to Extract, on one value and on two.
func FuzzExtractMIMEType(f *testing.F) {
	for v := range commonMIMETypes {
		f.Add(v, "")
	}
	for _, vals := range extractSeeds {
		f.Add(vals[0], "")
		if len(vals) > 1 {
			f.Add(vals[0], vals[1])
		}
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		checkExtractMIMEType(t, []string{a})
		checkExtractMIMEType(t, []string{a, b})
	})
}
