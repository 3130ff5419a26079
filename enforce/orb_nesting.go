package enforce

import (
	"io"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// maxScriptNesting bounds how deeply brackets ("(", "[", "{" and a
// template literal's "${") may nest in a body that ORB's last step parses
// as JavaScript. Past it, the body does not count as JavaScript and ORB
// blocks it (fail closed).
//
// Why a bound: the parser (github.com/tdewolff/parse/v2/js) is recursive
// descent. It counts its own nesting of expressions and of statements (1000
// each, js.NestedExprLimit and js.NestedStmtLimit), but some of its
// recursion passes neither counter: "async(" repeated recurses through
// the arrow-function cover grammar, and nested binding patterns ("var
// [[[...") through parseBinding, one level per bracket. Without a bound,
// 1.4 million "async(" in an 8 MiB body overflow the goroutine stack
// (fatal error: stack overflow, which no recover catches). Every recursion
// that escapes the parser's counters opens a bracket, so bounding bracket
// depth here, before the parse, bounds all of it.
//
// Why 256: real scripts nest far less: the deepest of nearly 600 files measured
// (jQuery, lodash, underscore, d3, three.js, Ace, webcomponents, rustdoc's
// scripts and every script over 2 KB in npm's own tree, minified or not)
// nests 17 deep (TestScriptNestingRealScripts measures a corpus). Browsers
// reject deep nesting too: V8 (node 20, default stack) throws a RangeError,
// maximum call stack size exceeded, while parsing 1,384 nested "async(",
// 1,638 "(" or 2,009 "[". And the stack stays small: with every recursion
// at its bound at once (this one, and the parser's 1000 statements and
// 1000 expressions), a decision's stack grows by 2 MiB
// (TestScriptDecisionCost).
const maxScriptNesting = 256

// bracket is the kind of an open bracket on the pre-pass's stack.
type bracket uint8

const (
	bracketParen     bracket = iota // "(" of a call, a group, parameters
	bracketParenHead                // "(" after if, while, for (await), with
	bracketSquare                   // "["
	bracketBrace                    // "{"
	bracketTemplate                 // "${" of a template literal
)

// slash is what a "/" means after a token: the start of a regular
// expression literal, a division, or, where only a full parse could tell,
// neither (the pre-pass then fails closed).
type slash uint8

const (
	slashRegExp slash = iota
	slashDivide
	slashUnknown
)

// scriptNestingWithin reports whether src, lexed as js.Parse lexes it,
// nests brackets at most limit deep. It is a pre-pass for ParseText: it
// builds nothing, holds a stack of at most limit+1 bytes, and recurses not
// at all.
//
// It drives the parser's own lexer (js.Lexer), so strings, comments,
// template literals and their substitutions are split exactly as the parser
// splits them. The one thing the lexer leaves to its caller is whether a
// "/" starts a regular expression literal (js.Parse asks Lexer.RegExp when
// a "/" begins an expression) or divides. The pre-pass decides from the
// token before it, as the grammar does wherever one token is enough. Where
// it is not (after "}", which ends a block or an object literal; after
// "yield", "await" and "of", keywords or identifiers by context; after
// "++" or "--" whose operand is one of those), a "/" makes the pre-pass
// return false: a guess could hide brackets from the count (a regular
// expression literal that is really a division, say), so the body is not
// JavaScript for ORB. Real scripts rarely put a "/" there (none of the
// bundles measured do). Any lexing error is false too.
//
// src must have spare capacity of at least one byte past its length, which
// parse.NewInputBytes overwrites with a NUL (see isJavaScriptNotJSON).
func scriptNestingWithin(src []byte, limit int) bool {
	_, ok := scriptNesting(src, limit)
	return ok
}

// scriptNesting is scriptNestingWithin that also says what it saw.
func scriptNesting(src []byte, limit int) (st scriptStats, ok bool) {
	// ParseText: js.Parse skips a "#!" comment on the first line (the
	// hashbang grammar); so does the pre-pass.
	if len(src) >= 2 && src[0] == '#' && src[1] == '!' {
		src = src[hashbangEnd(src):]
	}
	l := js.NewLexer(parse.NewInputBytes(src))
	stack := make([]bracket, 0, 64)
	// The significant tokens before the current one (whitespace, line
	// terminators and comments are not): prev, and before it prev2.
	prev, prev2 := js.ErrorToken, js.ErrorToken
	// prevClass says what a "/" after prev is; before the first token an
	// expression may start. prevProp: prev is a property name (after "."
	// or "?."), whatever keyword it spells.
	prevClass := slashRegExp
	prevProp, prev2Prop := false, false
	// ltBefore: a line terminator between prev and the current token.
	ltBefore := false
	for {
		tt, _ := l.Next()
		class := slashRegExp
		switch tt {
		case js.ErrorToken:
			return st, l.Err() == io.EOF
		case js.WhitespaceToken, js.CommentToken:
			continue
		case js.LineTerminatorToken, js.CommentLineTerminatorToken:
			ltBefore = true
			continue
		case js.DivToken, js.DivEqToken:
			switch prevClass {
			case slashUnknown:
				return st, false
			case slashRegExp:
				// ECMAScript, Lexical Grammar: where an expression may
				// start, the goal is InputElementRegExp, so "/" begins
				// a regular expression literal, which the lexer re-reads
				// as one token (its brackets are not brackets), as
				// js.Parse does.
				if tt, _ = l.RegExp(); tt == js.ErrorToken {
					return st, false
				}
				st.regexps++
				class = slashDivide
			}
		case js.OpenParenToken:
			b := bracketParen
			if !prevProp && isHeadKeyword(prev) || !prevProp && prev == js.AwaitToken && !prev2Prop && prev2 == js.ForToken {
				b = bracketParenHead
			}
			stack = append(stack, b)
			if st.depth = max(st.depth, len(stack)); st.depth > limit {
				return st, false
			}
		case js.OpenBracketToken, js.OpenBraceToken, js.TemplateStartToken:
			b := bracketSquare
			switch tt {
			case js.OpenBraceToken:
				b = bracketBrace
			case js.TemplateStartToken:
				b = bracketTemplate
			}
			stack = append(stack, b)
			if st.depth = max(st.depth, len(stack)); st.depth > limit {
				return st, false
			}
			if tt == js.TemplateStartToken {
				// "`...${": an expression follows.
				class = slashRegExp
			}
		case js.CloseParenToken, js.CloseBracketToken, js.CloseBraceToken, js.TemplateMiddleToken, js.TemplateEndToken:
			if len(stack) == 0 {
				return st, false // unbalanced: no parse either
			}
			top := stack[len(stack)-1]
			switch {
			case tt == js.CloseParenToken && (top == bracketParen || top == bracketParenHead):
				// After the head of if, while, for or with a
				// statement, so an expression, may start; after any
				// other ")" an operator follows.
				class = slashDivide
				if top == bracketParenHead {
					class = slashRegExp
				}
			case tt == js.CloseBracketToken && top == bracketSquare:
				class = slashDivide
			case tt == js.CloseBraceToken && top == bracketBrace:
				// A block (an expression may follow) or an object
				// literal, function or class body (an operator may
				// follow): only a parse can tell.
				class = slashUnknown
			case tt == js.TemplateMiddleToken && top == bracketTemplate:
				// "}...${": the substitution ends and the next begins.
				class = slashRegExp
				prev2, prev, prev2Prop, prevProp, prevClass, ltBefore = prev, tt, prevProp, false, class, false
				st.tokens++
				continue
			case tt == js.TemplateEndToken && top == bracketTemplate:
				class = slashDivide
			default:
				return st, false // mismatched: no parse either
			}
			stack = stack[:len(stack)-1]
		case js.IncrToken, js.DecrToken:
			// A postfix "++" ends an operand; a prefix one begins one.
			switch {
			case ltBefore || prevClass == slashRegExp:
				class = slashRegExp // prefix (a line terminator forces it)
			case prevClass == slashDivide:
				class = slashDivide // postfix
			default:
				class = slashUnknown
			}
		case js.NumericToken, js.DecimalToken, js.BinaryToken, js.OctalToken, js.HexadecimalToken, js.IntegerToken,
			js.StringToken, js.TemplateToken, js.RegExpToken, js.PrivateIdentifierToken,
			js.ThisToken, js.SuperToken, js.NullToken, js.TrueToken, js.FalseToken, js.ImportToken:
			class = slashDivide
		case js.YieldToken, js.AwaitToken, js.OfToken:
			// Keywords in some contexts, identifiers in others.
			class = slashUnknown
		default:
			if js.IsIdentifier(tt) {
				class = slashDivide
			}
		}
		// A name after "." or "?." is a property name, whatever keyword
		// it spells: an operator follows it.
		prop := (prev == js.DotToken || prev == js.OptChainToken) && js.IsIdentifierName(tt)
		if prop {
			class = slashDivide
		}
		prev2, prev, prev2Prop, prevProp, prevClass, ltBefore = prev, tt, prevProp, prop, class, false
		st.tokens++
	}
}

// scriptStats is what the pre-pass saw: the deepest nesting (at most
// limit+1), the number of tokens other than whitespace, line terminators
// and comments, and how many of them are regular expression literals.
type scriptStats struct{ depth, tokens, regexps int }

// isHeadKeyword reports whether tt is a keyword whose statement has a
// parenthesized head followed by a statement: if, while, for, with.
func isHeadKeyword(tt js.TokenType) bool {
	switch tt {
	case js.IfToken, js.WhileToken, js.ForToken, js.WithToken:
		return true
	}
	return false
}

// hashbangEnd returns the offset of the line terminator that ends a
// hashbang comment at the start of src (or len(src)).
func hashbangEnd(src []byte) int {
	for i := 2; i < len(src); i++ {
		switch src[i] {
		case '\n', '\r':
			return i
		case 0xE2:
			if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
				return i
			}
		}
	}
	return len(src)
}
