package enforce

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// TestScriptNestingRealScripts measures the pre-pass on real scripts
// named by XORIGIN_JS_CORPUS (a list of files separated by the OS path list
// separator): each must pass it, nest well within maxScriptNesting, and
// get the same answer from the parse with and without the pre-pass. The
// corpus is not part of the repository (third-party code); without it the
// test is skipped.
func TestScriptNestingRealScripts(t *testing.T) {
	list := os.Getenv("XORIGIN_JS_CORPUS")
	if list == "" {
		t.Skip("XORIGIN_JS_CORPUS not set")
	}
	for _, name := range filepath.SplitList(list) {
		if name == "" {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, len(src), len(src)+1)
		copy(buf, src)
		st, ok := scriptNesting(buf, 1<<30)
		depth := st.depth
		_, perr := js.Parse(parse.NewInputBytes(buf), js.Options{})
		if perr != nil {
			t.Logf("%s: the parser rejects it: %v", name, perr)
			continue
		}
		t.Logf("%s: %d bytes, nesting %d, pre-pass %v, parse error %v", filepath.Base(name), len(src), depth, ok, perr)
		if !ok || depth > maxScriptNesting/4 {
			t.Errorf("%s: nesting %d (pre-pass ok %v), want within a quarter of %d", name, depth, ok, maxScriptNesting)
		}
	}
}

// TestScriptNesting: the pre-pass counts brackets as the parser sees
// them: not in strings, comments, regular expression literals or template
// text, and in template substitutions; it fails closed where a "/" could
// be either a division or a regular expression literal, and on what does
// not lex.
func TestScriptNesting(t *testing.T) {
	t.Parallel()
	deep := func(n int) string { return "x=" + strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name  string
		src   string
		depth int
		ok    bool
	}{
		{"empty", "", 0, true},
		{"flat", "f();g()", 1, true},
		{"at the limit", deep(maxScriptNesting), maxScriptNesting, true},
		{"past the limit", deep(maxScriptNesting + 1), maxScriptNesting + 1, false},
		{"async( past the limit", strings.Repeat("async(", maxScriptNesting+1), maxScriptNesting + 1, false},
		{"brackets in a string", `x="((((["`, 0, true},
		{"brackets in a comment", "/*((((*/ x // [[[[\n", 0, true},
		{"brackets in a regexp", "x=/[(((]/g", 0, true},
		{"regexp after (", "f(/[(]/)", 1, true},
		{"division after )", "x=(a)/(b)/(c)", 1, true},
		{"division after ]", "x=a[0]/(b)/(c)", 1, true},
		{"division after a name", "x=a/(b)/(c)", 1, true},
		{"division after a property named for a keyword", "x=a.if/(b)/(c)", 1, true},
		{"regexp after if (...)", "if(a)/[(]/.test(b)", 1, true},
		{"regexp after for await (...)", "async function f(){for await(x of y)/[(]/.test(x)}", 2, true},
		{"call of a method named if", "a.if(b)/(c)/(d)", 1, true},
		{"regexp after return", "function f(){return/[(]/}", 1, true},
		{"postfix ++ then division", "x=a++/(b)/(c)", 1, true},
		{"prefix ++ after a line terminator", "a\n++/[(]/.lastIndex", 0, true},
		{"template substitutions nest", "x=`${`${(a)}`}`", 3, true},
		{"template text", "x=`((([[[`", 0, true},
		{"hashbang", "#!/usr/bin/env node ((((\nf()", 1, true},
		{"ambiguous after }", "{}/a/", 1, false},
		{"ambiguous after yield", "yield/a/", 0, false},
		{"ambiguous after await", "await/a/", 0, false},
		{"ambiguous after of", "of/a/", 0, false},
		{"unterminated regexp", "x=/abc\n", 0, false},
		{"unterminated string", "x='abc\n", 0, false},
		{"unbalanced", "f())", 1, false},
		{"mismatched", "f(]", 1, false},
	}
	for _, tt := range tests {
		buf := make([]byte, len(tt.src), len(tt.src)+1)
		copy(buf, tt.src)
		st, ok := scriptNesting(buf, maxScriptNesting)
		depth := st.depth
		if depth != tt.depth || ok != tt.ok {
			t.Errorf("%s: %q: depth %d, ok %v; want %d, %v", tt.name, tt.src, depth, ok, tt.depth, tt.ok)
		}
	}
}

// TestScriptParserLimits: the pre-pass bounds only the recursion that
// escapes the parser's own counters; the rest relies on them. A version of
// the parser that drops or raises them must fail here, not in production.
func TestScriptParserLimits(t *testing.T) {
	if js.NestedExprLimit > 1000 || js.NestedStmtLimit > 1000 || js.NestedExprLimit <= 0 || js.NestedStmtLimit <= 0 {
		t.Errorf("js.NestedExprLimit %d, js.NestedStmtLimit %d: want each in 1..1000", js.NestedExprLimit, js.NestedStmtLimit)
	}
	// And the parser enforces them: 1001 nested prefix operators, or
	// statements, fail.
	for _, src := range []string{strings.Repeat("!", 1001) + "1", strings.Repeat("if(a)", 1001) + ";"} {
		if _, err := js.Parse(parse.NewInputBytes([]byte(src)), js.Options{}); err == nil {
			t.Errorf("%.20q... (1001 levels) parses", src)
		}
	}
}

// BenchmarkScriptNesting: the pre-pass alone, on 1 MiB of script-like
// code.
func BenchmarkScriptNesting(b *testing.B) {
	unit := `function f(e,t){var n=/[a-z]+/g.exec(e);return t?e.map(x=>x*2).filter(Boolean):{a:n,b:` + "`${e}`" + `}}`
	src := []byte(strings.Repeat(unit, (1<<20)/len(unit)))
	buf := make([]byte, len(src), len(src)+1)
	copy(buf, src)
	if !scriptNestingWithin(buf, maxScriptNesting) {
		b.Fatal("the benchmark's script fails the pre-pass")
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		scriptNestingWithin(buf, maxScriptNesting)
	}
}

// regexpCounter counts the regular expression literals of a syntax tree.
type regexpCounter struct{ n int }

func (c *regexpCounter) Enter(n js.INode) js.IVisitor {
	if lit, ok := n.(*js.LiteralExpr); ok && lit.TokenType == js.RegExpToken {
		c.n++
	}
	return c
}

func (c *regexpCounter) Exit(js.INode) {}

// FuzzScriptNesting: the pre-pass never panics, and it lexes as the parser
// does: on any input both accept, it finds the regular expression literals
// the parser finds (a "/" read one way by the pre-pass and the other by
// the parser would show here first, and could hide brackets from the
// count); and it rejects an input the parser accepts only for nesting or
// for a "/" it cannot classify.
func FuzzScriptNesting(f *testing.F) {
	for _, s := range []string{
		"f();g()", `x="((((["`, "/*((((*/ x // [[[[\n", "x=/[(((]/g", "f(/[(]/)",
		"x=(a)/(b)/(c)", "x=a[0]/(b)/(c)", "x=a.if/(b)/(c)", "if(a)/[(]/.test(b)",
		"async function f(){for await(x of y)/[(]/.test(x)}", "a.if(b)/(c)/(d)",
		"function f(){return/[(]/}", "x=a++/(b)/(c)", "a\n++/[(]/.lastIndex",
		"x=`${`${(a)}`}`", "x=`((([[[`", "#!/usr/bin/env node ((((\nf()",
		"{}/a/", "yield/a/", "x=a\n/b/g", "while(a)/b/.exec(c)", "do x;while(a)/b/g.exec(c)",
		"x={a:/b/,c:d/e/f}", "x=a?/b/:/c/", "x=[/a/,/b/]/c", "x=typeof/a/", "x=y=>/a/",
		"label:/a/.test(b)", "switch(a){case/b/:break}", "x=a</b/.c", "x=`${a}`/b/c",
		"x=this/a/b", "x=1/a/b", "x='s'/a/b", "x=/a//b/c", "class A{static m(){return/a/}}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<12 {
			return
		}
		buf := make([]byte, len(src), len(src)+1)
		copy(buf, src)
		st, ok := scriptNesting(buf, maxScriptNesting)
		if ok && st.depth > maxScriptNesting {
			t.Fatalf("accepted with depth %d", st.depth)
		}
		pbuf := make([]byte, len(src), len(src)+1)
		copy(pbuf, src)
		ast, err := js.Parse(parse.NewInputBytes(pbuf), js.Options{})
		if err != nil {
			return
		}
		if !ok {
			if st.depth <= maxScriptNesting && !strings.Contains(src, "/") {
				t.Fatalf("the parser accepts %q, the pre-pass rejects it at depth %d with no \"/\" to blame", src, st.depth)
			}
			return
		}
		c := &regexpCounter{}
		js.Walk(c, ast)
		if c.n != st.regexps {
			t.Fatalf("%q: the parser finds %d regular expression literals, the pre-pass %d", src, c.n, st.regexps)
		}
	})
}
