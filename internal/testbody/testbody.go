// Package testbody makes the long bodies that tests, fuzz seeds and fixture
// generators serve: a classic script and a JSON array of at least a given
// size, whose bytes differ along their length, so that a body damaged past
// any offset (a buffer that lost bytes while it grew) no longer reads the
// same.
package testbody

import (
	"bytes"
	"fmt"
	"strings"
)

// Script returns a classic script of at least n bytes: one var statement a
// line, each with a string of a letter that changes from line to line.
func Script(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "var v%d = %q;\n", i, strings.Repeat(string(rune('a'+i%26)), 60))
	}
	return b.Bytes()
}

// JSONArray returns a JSON array of at least n bytes, of long strings of a
// letter that changes from item to item: JSON, and JavaScript too, so only
// ORB's JSON step tells it from a script.
func JSONArray(n int) []byte {
	var b bytes.Buffer
	b.WriteString("[")
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q", strings.Repeat(string(rune('a'+i%26)), 100))
	}
	b.WriteString("]")
	return b.Bytes()
}
