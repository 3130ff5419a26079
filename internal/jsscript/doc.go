// Package jsscript reports whether a byte string parses as an ECMAScript
// Script: the classic-script goal symbol, with the early errors a browser
// raises before running it.
//
// It answers the last question of opaque response blocking (Fetch PR 1755,
// "determine if response is JavaScript and not JSON", step 12:
// ParseText(sourceText, Script)) and nothing more: there is no tree, no
// scope analysis beyond what early errors need, and no evaluation.
//
// # How it works
//
// The source is tokenized once, left to right. The parser is a state
// machine: where a recursive-descent parser would call itself for a nested
// construct (a parenthesized expression, a block, a function body, a
// template substitution), this one pushes a small frame on an explicit
// stack and jumps to the nested construct's start state; when the
// construct ends it pops the frame and resumes the state the frame names.
// Nesting therefore costs stack frames, not goroutine stack, and the frame
// stack is bounded by MaxDepth: a body nested deeper is rejected, as V8
// rejects it (with a RangeError) at a similar depth.
//
// Memory per call is the frame stack, a small table of names for the early
// errors that compare identifiers, and nothing proportional to the body.
//
// # Spec coverage
//
// The syntactic grammar of ECMAScript 2024 for the Script goal, with Annex B
// (HTML-like comments, legacy octal literals and escapes, function
// declarations in if-statement clauses, labelled function declarations, the
// web-compatibility regular expression grammar) and the cheap early errors:
// strict mode (directives and their retroactive effects on parameters),
// assignment targets and destructuring cover grammars, break/continue
// targets, duplicate labels, await/yield/new.target/super/import.meta
// placement, regular expression literals, numeric and string literal
// restrictions, class constructor and private-name rules, duplicate
// __proto__. Where the spec's early errors are expensive to emulate, V8
// (node 20) is the reference; README.md in this directory lists what is not
// emulated and the measured agreement with V8.
package jsscript
