package jsscript

import (
	"math/rand/v2"
	"testing"
)

// slowKeyword is the reference lookup: a map from the names.
var slowKeyword = func() map[string]kw {
	m := map[string]kw{}
	for k, name := range kwNames {
		if name != "" {
			m[name] = kw(k)
		}
	}
	return m
}()

// checkLookup compares lookupKeywordAt with the map for name placed at
// every offset of a buffer padded with identifier bytes on both sides, so
// that both the word loads and the byte loop of kwWords run, with
// neighbouring bytes that must not leak into the answer.
func checkLookup(t *testing.T, name string) {
	t.Helper()
	want := slowKeyword[name]
	for pre := 0; pre <= 9; pre++ {
		buf := []byte("zzzzzzzzz"[:pre] + name + "_q")
		if got := lookupKeywordAt(buf, pre, pre+len(name)); got != want {
			t.Fatalf("lookupKeywordAt(%q at %d) = %d, want %d", name, pre, got, want)
		}
	}
	if got := lookupKeyword([]byte(name)); got != want {
		t.Fatalf("lookupKeyword(%q) = %d, want %d", name, got, want)
	}
}

// TestKeywordTable holds the one-probe keyword table to a map: every
// keyword is found (no two share a slot), and near misses are not.
func TestKeywordTable(t *testing.T) {
	const letters = "abcdefghijklmnopqrstuvwxyz_$ABCZ09"
	for _, name := range kwNames {
		if name == "" {
			continue
		}
		checkLookup(t, name)
		// Every prefix, suffix, and one-byte change or extension.
		for k := 1; k < len(name); k++ {
			checkLookup(t, name[:k])
			checkLookup(t, name[k:])
		}
		for k := 0; k < len(name); k++ {
			for _, c := range []byte(letters) {
				checkLookup(t, name[:k]+string(c)+name[k+1:])
			}
		}
		for _, c := range []byte(letters) {
			checkLookup(t, name+string(c))
			checkLookup(t, string(c)+name)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		b := make([]byte, 1+r.IntN(12))
		for k := range b {
			b[k] = letters[r.IntN(len(letters))]
		}
		checkLookup(t, string(b))
	}
}
