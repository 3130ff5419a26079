package browsertest_test

import (
	"encoding/json"
	"slices"
	"testing"
)

// filterCases keeps the cases of a fixture file whose names are in names.
func filterCases(t *testing.T, data []byte, names []string) ([]byte, int) {
	t.Helper()
	var top struct {
		Cases []json.RawMessage `json:"cases"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	var kept []json.RawMessage
	for _, c := range top.Cases {
		var n struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(c, &n); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(names, n.Name) {
			kept = append(kept, c)
		}
	}
	out, err := json.Marshal(map[string]any{"cases": kept})
	if err != nil {
		t.Fatal(err)
	}
	return out, len(kept)
}
