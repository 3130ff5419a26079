package jsscript_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegenerateInputs rewrites testdata/inputs.jsonl.gz and, asking node,
// testdata/v8_answers.jsonl.gz. It runs only with JSSCRIPT_REGEN=1:
//
//	JSSCRIPT_REGEN=1 go test -run TestRegenerateInputs ./internal/jsscript
//
// The inputs are deterministic: the hand-written cases in
// testdata/cases.jsonl, mutations of them (seeded), the deep nesting of
// testdata/deep.jsonl, and generated JSON documents, HTML pages and prose.
func TestRegenerateInputs(t *testing.T) {
	if os.Getenv("JSSCRIPT_REGEN") == "" {
		t.Skip("JSSCRIPT_REGEN not set")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node not on PATH")
	}
	cases := readCases(t, "cases.jsonl")
	seen := map[string]bool{}
	var inputs [][]byte
	add := func(b []byte) {
		if !seen[string(b)] {
			seen[string(b)] = true
			inputs = append(inputs, b)
		}
	}
	for _, c := range cases {
		add(c)
	}
	r := rand.New(rand.NewPCG(17, 1755))
	for i := 0; i < 30000; i++ {
		src := cases[r.IntN(len(cases))]
		if r.IntN(4) == 0 {
			// Splice two cases to make longer programs.
			src = append(append(append([]byte(nil), src...), '\n'), cases[r.IntN(len(cases))]...)
		}
		n := 1 + r.IntN(3)
		for k := 0; k < n; k++ {
			src = mutate(r, src)
		}
		add(src)
	}
	// Deep nesting around V8's limits, not mutated.
	for _, c := range readCases(t, "deep.jsonl") {
		add(c)
	}
	for i := 0; i < 1500; i++ {
		add(genJSON(r, 0))
	}
	for i := 0; i < 800; i++ {
		add(genHTML(r))
	}
	for i := 0; i < 800; i++ {
		add(genProse(r))
	}
	var in bytes.Buffer
	zw := gzip.NewWriter(&in)
	for _, s := range inputs {
		b, _ := json.Marshal(string(s))
		zw.Write(b)
		zw.Write([]byte{'\n'})
	}
	zw.Close()
	if err := os.WriteFile(filepath.Join("testdata", "inputs.jsonl.gz"), in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var ans bytes.Buffer
	zw = gzip.NewWriter(&ans)
	for _, a := range askV8(t, inputs) {
		b, _ := json.Marshal(a)
		zw.Write(b)
		zw.Write([]byte{'\n'})
	}
	zw.Close()
	if err := os.WriteFile(filepath.Join("testdata", "v8_answers.jsonl.gz"), ans.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d inputs", len(inputs))
}

func readCases(t testing.TB, name string) [][]byte {
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		var s string
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("%s: %v: %s", name, err, sc.Bytes())
		}
		out = append(out, []byte(s))
	}
	return out
}

var fragments = []string{
	"(", ")", "{", "}", "[", "]", ";", ",", "=", "=>", "/", "`", "${", "'", "\"", "\n", "?.", "...",
	"async ", "await ", "yield ", "let ", " in ", " of ", "#x", "<!--", "-->", "/*", "*/", "\\u0061",
	"0", ".", ":", "?", "++", "function ", "class ", "new ", "super", "this", "'use strict';", "*",
	"x", " ", "get ", "static ", "=", "/a/g", "08", "1n", "_", "\\", "return ", "break ", "label:",
	"var ", "const ", "if (a) ", "else ", "for (", "while (", "do ", "{}", "()", "[]", "=> {}", "?? ",
	"&&", "**", "-", "!", "delete ", "typeof ", "import(", "import.meta", "new.target", "arguments", "eval",
}

func mutate(r *rand.Rand, src []byte) []byte {
	out := append([]byte(nil), src...)
	if len(out) == 0 {
		return []byte(fragments[r.IntN(len(fragments))])
	}
	i := r.IntN(len(out) + 1)
	switch r.IntN(6) {
	case 0: // delete a few bytes
		j := min(len(out), i+1+r.IntN(3))
		return append(out[:i], out[j:]...)
	case 1, 2: // insert a fragment
		f := fragments[r.IntN(len(fragments))]
		return append(out[:i], append([]byte(f), out[i:]...)...)
	case 3: // duplicate a slice
		j := min(len(out), i+r.IntN(12))
		return append(out[:j], append(append([]byte(nil), out[i:j]...), out[j:]...)...)
	case 4: // truncate
		return out[:i]
	default: // replace a byte with a fragment
		if i == len(out) {
			i--
		}
		f := fragments[r.IntN(len(fragments))]
		return append(out[:i], append([]byte(f), out[i+1:]...)...)
	}
}

func genJSON(r *rand.Rand, depth int) []byte {
	var b bytes.Buffer
	var gen func(d int)
	gen = func(d int) {
		k := r.IntN(7)
		if d > 4 {
			k = r.IntN(4)
		}
		switch k {
		case 0:
			fmt.Fprintf(&b, "%d", r.IntN(100000)-500)
		case 1:
			fmt.Fprintf(&b, "%q", words[r.IntN(len(words))])
		case 2:
			b.WriteString([]string{"true", "false", "null", "1.5e3"}[r.IntN(4)])
		case 3:
			fmt.Fprintf(&b, "%g", r.Float64()*1000)
		case 4, 5:
			b.WriteByte('{')
			n := r.IntN(4)
			for i := 0; i < n; i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "%q: ", words[r.IntN(len(words))])
				gen(d + 1)
			}
			b.WriteByte('}')
		default:
			b.WriteByte('[')
			n := r.IntN(4)
			for i := 0; i < n; i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				gen(d + 1)
			}
			b.WriteByte(']')
		}
	}
	gen(depth)
	if r.IntN(5) == 0 {
		// The ")]}'" prefix some servers put before JSON.
		return append([]byte(")]}'\n"), b.Bytes()...)
	}
	return b.Bytes()
}

var words = strings.Fields(`the of and to in is for that on with as by this from at be it an or are
was which not can all data value name id type user list item items page next error message status
return function var window document script style body div span a href class ok true false null`)

func genProse(r *rand.Rand) []byte {
	var b bytes.Buffer
	n := 3 + r.IntN(40)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(" \n"[r.IntN(8)/7])
		}
		w := words[r.IntN(len(words))]
		if r.IntN(6) == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
		if r.IntN(7) == 0 {
			b.WriteString([]string{".", ",", "!", "?", ":", ";", "'s", " -", " (see)", "..."}[r.IntN(10)])
		}
	}
	return b.Bytes()
}

func genHTML(r *rand.Rand) []byte {
	var b bytes.Buffer
	if r.IntN(2) == 0 {
		b.WriteString("<!DOCTYPE html>\n")
	}
	tags := []string{"html", "head", "body", "div", "p", "span", "script", "a", "ul", "li", "title"}
	n := 1 + r.IntN(8)
	for i := 0; i < n; i++ {
		tag := tags[r.IntN(len(tags))]
		fmt.Fprintf(&b, "<%s", tag)
		if r.IntN(3) == 0 {
			fmt.Fprintf(&b, " class=%q", words[r.IntN(len(words))])
		}
		b.WriteString(">")
		b.Write(genProse(r)[:r.IntN(20)])
		if r.IntN(2) == 0 {
			b.WriteString("<!-- a comment -->")
		}
		fmt.Fprintf(&b, "</%s>\n", tag)
	}
	return b.Bytes()
}
