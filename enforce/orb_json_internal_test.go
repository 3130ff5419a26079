package enforce

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestIsJSON: the JSON check agrees with encoding/json on every case, and
// stops (not JSON) past maxJSONDepth, without allocating.
func TestIsJSON(t *testing.T) {
	for _, s := range []string{
		``, ` `, `1`, `-0`, `01`, `-`, `1.`, `.5`, `1e5`, `1E+5`, `1e`, `-1.5e-3`, `2.`, `0.0e0`,
		`"a"`, `"\u00e9"`, `"\u00g9"`, `"\x"`, `"a` + "\n" + `"`, `"\"\\\/\b\f\n\r\t"`, `"unterminated`, `"\u12"`,
		`true`, `tru`, `false`, `null`, `nul`, `nullx`, `[]`, `[ ]`, `[1,]`, `[,1]`, `[1 2]`, `[[],[[]]]`,
		`{}`, `{ }`, `{"a":1}`, `{"a" : [1, {"b": null}] }`, `{"a"}`, `{"a":}`, `{a:1}`, `{"a":1,}`, `{,}`,
		`{"a":1 "b":2}`, `[1]]`, `[[1]`, `{"a":{"b":[}}`, `1 2`, " \t\r\n[1] \n", "[\f]", `"` + "\xff\xfe" + `"`,
		`[` + strings.Repeat(`{"a":[`, 300) + strings.Repeat(`]}`, 300) + `]`,
		strings.Repeat("[", 2000) + strings.Repeat("]", 2000),
	} {
		if got, want := isJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Errorf("isJSON(%.40q) = %v, encoding/json says %v", s, got, want)
		}
	}
	deep := []byte(strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1))
	if isJSON(deep) {
		t.Error("JSON past maxJSONDepth counted as JSON")
	}
	at := []byte(strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth))
	if !isJSON(at) {
		t.Error("JSON at maxJSONDepth not counted")
	}
	if n := testing.AllocsPerRun(10, func() { isJSON(deep) }); n != 0 {
		t.Errorf("isJSON allocates %v times", n)
	}
}

// FuzzIsJSON: the JSON check agrees with encoding/json on every input
// within its depth.
func FuzzIsJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":"c\u0041"}]}`, `[1e5,-0.5,true,false,null]`, `"x"`, `[`, `{"a"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if depthOver(b, maxJSONDepth) {
			return
		}
		if got, want := isJSON(b), json.Valid(b); got != want {
			t.Fatalf("isJSON(%q) = %v, encoding/json says %v", b, got, want)
		}
	})
}

// depthOver reports whether b opens more than n brackets at once (strings
// aside, roughly: enough to skip inputs past isJSON's bound).
func depthOver(b []byte, n int) bool {
	d := 0
	for _, c := range b {
		switch c {
		case '[', '{':
			if d++; d > n {
				return true
			}
		case ']', '}':
			d--
		}
	}
	return false
}
