package jsscript_test

import (
	"strings"
	"testing"

	"github.com/xorigin/xorigin/internal/jsscript"
)

// TestValid pins the cases issue 17 names: leniencies of the parser
// enforce/orb_script.go used (V8 rejects them), valid sloppy scripts, and
// the lexical corners. Every want here is V8's (node 20) answer.
func TestValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want bool
	}{
		{"await in classic script", "await 1", false},
		{"import.meta in classic script", "import.meta", false},
		{"break outside loop", "break", false},
		{"new.target outside function", "new.target", false},
		{"assign to literal", "1 = 2", false},
		{"duplicate label", "a: a: x", false},
		{"duplicate regexp flag", "x = /a/gg", false},
		{"with in strict code", "'use strict'; with (a) {}", false},
		{"top-level import", "import x from 'y'", false},
		{"top-level export", "export var a", false},
		{"legacy octal", "010", true},
		{"duplicate sloppy parameters", "function f(a, a) {}", true},
		{"function as if clause", "if (1) function f() {}", true},
		{"await as identifier", "var await = 1", true},
		{"for-in initializer", "for (var i = 0 in x);", true},
		{"ASI before ++", "a\n++b", true},
		{"no ASI inside expression", "a\n(b)", true},
		{"return then newline", "function f() { return\n1 }", true},
		{"throw then newline", "throw\n1", false},
		{"regexp after paren is division", "x = (a) / 2 / 3", true},
		{"regexp at statement start after block", "{}\n/re/.test(s)", true},
		{"nested templates", "x = `a${`b${c}`}d`", true},
		{"HTML open comment", "x = 1 <!-- y", true},
		{"HTML close comment at line start", "x\n--> comment", true},
		{"HTML close comment mid-line", "x = 1; --> y", false},
		{"postfix decrement then greater-than", "x --> y", true},
		// '<' and '-' take the lexer's fast paths, which hand HTML-like
		// comments back to skip.
		{"HTML close comment at the start", "-->x\ny", true},
		{"HTML open comment at the start", "<!--x\ny", true},
		{"HTML open comment right after a name", "a<!--b", true},
		{"less-than then not", "x<!-b", true},
		{"postfix decrement then greater-than, no spaces", "x=a-->b", true},
		{"decrement then greater-than", "x=-->y", false},
		// nextSlow skips one space itself, but not at the start.
		{"HTML close comment after a space at the start", " -->x\ny", true},
		{"HTML close comment after a newline and a space", "a\n -->b", true},
		{"postfix decrement, space, greater-than", "x = a -->b", true},
		{"HTML close comment mid-line after a space", "a; -->b", false},
		{"hashbang", "#!/usr/bin/env node\nx", true},
		{"unicode escape identifier", "var \\u0061b = 1", true},
		{"escaped keyword", "var v\\u0061r", false},
		{"numeric separators", "x = 1_000_000", true},
		{"numeric separator after 0", "0_1", false},
		{"BigInt", "x = 10n", true},
		{"BigInt with fraction", "1.5n", false},
		{"optional chaining", "a?.b?.[c]?.(d)", true},
		{"optional chain assignment", "a?.b = 1", false},
		{"class fields and private names", "class A { #x = 1; static y; m() { return this.#x } }", true},
		{"undeclared private name", "class A { m() { this.#x } }", false},
		{"async and generators", "async function* f() { for await (const x of y) yield x }", true},
		{"arrow with pattern", "({a}) => 1", true},
		{"array assignment pattern", "[a] = b", true},
		{"shorthand initializer outside pattern", "({a = 1})", false},
		{"use strict retroactive", "function f(a, a) { 'use strict' }", false},
		{"let as identifier", "let = 1", true},
		{"let let", "let let = 1", false},
		{"yield as identifier", "yield = 1", true},
		{"yield in generator", "function* g() { var yield }", false},
		{"nullish mixed with or", "a ?? b || c", false},
		{"unary before exponent", "-a ** b", false},
		{"let redeclared", "let a; let a;", false},
		{"var over let", "let a; { var a }", false},
		{"sloppy block functions", "{ function f() {} function f() {} }", true},
		{"JSON object", `{"a": 1}`, false},
		{"JSON array", `[1, 2, 3]`, true},
		{"HTML", "<html><body>hi</body></html>", false},
		{"prose", "Hello world, this is prose.", false},
		{"empty", "", true},
		{"deep but allowed", strings.Repeat("(", 1000) + "1" + strings.Repeat(")", 1000), true},
		{"deeper than MaxDepth", strings.Repeat("[", jsscript.MaxDepth) + strings.Repeat("]", jsscript.MaxDepth), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := jsscript.Valid([]byte(tt.src)); got != tt.want {
				t.Errorf("Valid(%q) = %v, want %v", tt.src, got, tt.want)
			}
		})
	}
}

// FuzzValid checks that the parser never panics (Valid's recover aside),
// answers the same on a fresh parser and a reused one, and leaves its
// input alone.
func FuzzValid(f *testing.F) {
	for _, c := range readCases(f, "cases.jsonl") {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		before := string(src)
		// Without Valid's recover, on a fresh parser and on one reused
		// across inputs: a panic fails the fuzz run.
		a := jsscript.Unguarded(src)
		if string(src) != before {
			t.Fatal("Valid modified its input")
		}
		if b := jsscript.UnguardedPooled(src); a != b {
			t.Fatalf("Valid(%q) gave %v on a fresh parser, %v on a reused one", src, a, b)
		}
		if c := jsscript.Valid(src); a != c {
			t.Fatalf("Valid(%q) gave %v then %v", src, a, c)
		}
	})
}
