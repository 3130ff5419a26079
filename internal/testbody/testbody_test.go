package testbody

import (
	"encoding/json"
	"testing"
)

// TestBodies: each body is at least its size, a JSON array is valid JSON,
// a script is not, and neither repeats itself across a 1024-byte boundary.
func TestBodies(t *testing.T) {
	for _, n := range []int{0, 1, 1024, 5000, 1 << 16} {
		s, j := Script(n), JSONArray(n)
		if len(s) < n || len(j) < n {
			t.Fatalf("size %d: script %d bytes, array %d bytes", n, len(s), len(j))
		}
		if !json.Valid(j) || json.Valid(s) && len(s) > 0 {
			t.Fatalf("size %d: array valid %v, script valid JSON %v", n, json.Valid(j), json.Valid(s))
		}
		if n >= 5000 && (string(s[1024:1100]) == string(s[2048:2124]) || string(j[1024:1100]) == string(j[2048:2124])) {
			t.Fatalf("size %d: the body repeats across 1024 bytes", n)
		}
	}
}
