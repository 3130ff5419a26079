package jsscript

import (
	"unicode"
	"unicode/utf8"
)

// tok is a token kind. Punctuators each have their own kind so the parser
// switches on one byte.
type tok uint8

const (
	tEOF     tok = iota
	tErr         // a lexical error; the script is invalid
	tIdent       // IdentifierName, keyword or not: see lexer.kw
	tPrivate     // #name
	tNum
	tString
	tTemplate     // NoSubstitutionTemplate
	tTemplateHead // `...${
	tTemplateMid  // }...${
	tTemplateTail // }...`
	tRegExp

	tLBrace   // {
	tRBrace   // }
	tLParen   // (
	tRParen   // )
	tLBrack   // [
	tRBrack   // ]
	tDot      // .
	tEllipsis // ...
	tSemi     // ;
	tComma    // ,
	tQuestion // ?
	tOptChain // ?.
	tColon    // :
	tArrow    // =>
	tInc      // ++
	tDec      // --
	tNot      // !
	tTilde    // ~

	// Binary operators, in groups the parser tests by range.
	tPlus  // +
	tMinus // -
	tStar  // *
	tSlash // /
	tPercent
	tExp  // **
	tShl  // <<
	tShr  // >>
	tUShr // >>>
	tLT
	tGT
	tLE
	tGE
	tEq   // ==
	tNe   // !=
	tSEq  // ===
	tSNe  // !==
	tAnd  // &
	tOr   // |
	tXor  // ^
	tLAnd // &&
	tLOr  // ||
	tNullish

	// Assignment operators: tAssign first.
	tAssign // =
	tAddAssign
	tSubAssign
	tMulAssign
	tDivAssign
	tModAssign
	tExpAssign
	tShlAssign
	tShrAssign
	tUShrAssign
	tAndAssign
	tOrAssign
	tXorAssign
	tLAndAssign
	tLOrAssign
	tNullishAssign
)

func (t tok) isBinary() bool { return t >= tPlus && t <= tNullish }
func (t tok) isAssign() bool { return t >= tAssign && t <= tNullishAssign }

// Token flags.
const (
	// fLegacyOctal marks a numeric literal (010, 08) or string escape (\01,
	// \8) that strict mode rejects.
	fLegacyOctal = 1 << iota
	// fBadEscape marks a template with an escape that only a tagged
	// template may hold.
	fBadEscape
	// fEscaped marks an identifier written with \u escapes.
	fEscaped
	// fUseStrict marks the string literal 'use strict' or "use strict",
	// written without escapes or line continuations.
	fUseStrict
)

// lexer scans src on demand; the parser says, for each token, whether a
// '/' there starts a regular expression.
type lexer struct {
	src []byte
	pos int // where the next token's scan starts

	start int // the token's first byte
	end   int // one past its last byte
	// tok, nl, flags and kw are adjacent, so that the fast paths'
	// constant stores to them combine into one.
	tok   tok
	nl    bool
	flags uint8
	kw    kw // for tIdent: which keyword its text spells, escapes decoded

	re regexpChecker
}

// Byte classes for the lexer's fast paths.
const (
	// bcSkip: white space, a line terminator, '/' (a comment) or '#'
	// (a hashbang). The HTML-like comments, <!-- and --> (Annex B),
	// start with bytes mostly seen as operators: scan hands them back
	// to skip.
	bcSkip    = 1 << iota
	bcIDStart // an ASCII IdentifierStart
	bcIDPart  // an ASCII IdentifierPart
)

var byteClass = func() (t [256]uint8) {
	for _, c := range []byte(" \t\n\r\v\f/#") {
		t[c] |= bcSkip
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] |= bcSkip
	}
	for c := 0; c < 128; c++ {
		if asciiID[c]&1 != 0 {
			t[c] |= bcIDStart
		}
		if asciiID[c] != 0 {
			t[c] |= bcIDPart
		}
	}
	return t
}()

// singleTok maps the bytes that are always a whole punctuator to it.
var singleTok = func() (t [256]tok) {
	t['{'], t['}'], t['('], t[')'] = tLBrace, tRBrace, tLParen, tRParen
	t['['], t[']'], t[';'], t[','] = tLBrack, tRBrack, tSemi, tComma
	t[':'], t['~'] = tColon, tTilde
	return t
}()

// firstClass sorts a token's first byte for the fast paths with one
// load: a one-byte punctuator (its tok, above tIdent), an ASCII
// IdentifierStart (tIdent), white space or a comment to skip (fcSkip), or
// anything else, for scan (fcScan).
const (
	fcScan = 0
	fcSkip = 1
)

var firstClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case singleTok[c] != 0:
			t[c] = uint8(singleTok[c])
		case byteClass[c]&bcIDStart != 0:
			t[c] = uint8(tIdent)
		case byteClass[c]&bcSkip != 0:
			t[c] = fcSkip
		}
	}
	return t
}()

func isLineTerm(r rune) bool { return r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029 }

func isSpaceRune(r rune) bool {
	switch r {
	case '\t', '\v', '\f', ' ', 0xA0, 0xFEFF:
		return true
	}
	return r >= 0x80 && unicode.Is(unicode.Zs, r)
}

// asciiID holds, for each ASCII byte, 1 when it may start an identifier and
// 2 when it may continue one.
var asciiID = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = 3
		t[c-'a'+'A'] = 3
	}
	t['$'], t['_'] = 3, 3
	for c := '0'; c <= '9'; c++ {
		t[c] = 2
	}
	return t
}()

func isIDStartRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiID[r]&1 != 0
	}
	return unicode.In(r, unicode.L, unicode.Nl, unicode.Other_ID_Start) &&
		!unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space)
}

func isIDPartRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiID[r] != 0
	}
	if r == 0x200C || r == 0x200D {
		return true
	}
	return unicode.In(r, unicode.L, unicode.Nl, unicode.Other_ID_Start, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue) &&
		!unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space)
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// unicodeEscape reads \u XXXX or \u{X...} at src[i] (the backslash) and
// returns the code point and the index after it, or -1, i on error.
func unicodeEscape(src []byte, i int) (rune, int) {
	if i+1 >= len(src) || src[i+1] != 'u' {
		return -1, i
	}
	i += 2
	if i < len(src) && src[i] == '{' {
		i++
		var v rune
		n := 0
		for i < len(src) && src[i] != '}' {
			h := hexVal(src[i])
			if h < 0 {
				return -1, i
			}
			v = v*16 + rune(h)
			if v > 0x10FFFF {
				return -1, i
			}
			i++
			n++
		}
		if n == 0 || i >= len(src) {
			return -1, i
		}
		return v, i + 1
	}
	if i+4 > len(src) {
		return -1, i
	}
	var v rune
	for k := 0; k < 4; k++ {
		h := hexVal(src[i+k])
		if h < 0 {
			return -1, i
		}
		v = v*16 + rune(h)
	}
	return v, i + 4
}

// skip skips white space and comments before a token, setting l.nl when
// they hold a line terminator. It returns false on an unterminated comment.
func (l *lexer) skip() bool {
	src := l.src
	i := l.pos
	// Annex B: "-->" is a comment at the start of a line, and the start of
	// the input counts as one (V8 and SpiderMonkey agree).
	lineStart := i == 0 || l.nl
	for i < len(src) {
		c := src[i]
		switch c {
		case ' ', '\t', '\v', '\f':
			i++
			continue
		case '\n', '\r':
			i++
			l.nl, lineStart = true, true
			continue
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				i = l.lineComment(i + 2)
				continue
			}
			if i+1 < len(src) && src[i+1] == '*' {
				j := i + 2
				for {
					if j+1 >= len(src) {
						l.pos = len(src)
						return false
					}
					if src[j] == '*' && src[j+1] == '/' {
						break
					}
					if src[j] == '\n' || src[j] == '\r' {
						l.nl, lineStart = true, true
					} else if src[j] == 0xE2 && j+2 < len(src) && src[j+1] == 0x80 && (src[j+2] == 0xA8 || src[j+2] == 0xA9) {
						l.nl, lineStart = true, true
					}
					j++
				}
				i = j + 2
				continue
			}
		case '<':
			// Annex B SingleLineHTMLOpenComment, anywhere in a Script.
			if i+3 < len(src) && src[i+1] == '!' && src[i+2] == '-' && src[i+3] == '-' {
				i = l.lineComment(i + 4)
				continue
			}
		case '-':
			if lineStart && i+2 < len(src) && src[i+1] == '-' && src[i+2] == '>' {
				i = l.lineComment(i + 3)
				continue
			}
		case '#':
			if i == 0 && len(src) > 1 && src[1] == '!' {
				i = l.lineComment(2)
				continue
			}
		default:
			if c >= utf8.RuneSelf {
				r, n := utf8.DecodeRune(src[i:])
				if r == 0x2028 || r == 0x2029 {
					l.nl, lineStart = true, true
					i += n
					continue
				}
				if isSpaceRune(r) {
					i += n
					continue
				}
			}
		}
		break
	}
	l.pos = i
	return true
}

// lineComment returns the index of the line terminator ending the comment
// that runs from i (or len(src)).
func (l *lexer) lineComment(i int) int {
	src := l.src
	for i < len(src) {
		c := src[i]
		if c == '\n' || c == '\r' {
			return i
		}
		if c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
			return i
		}
		i++
	}
	return i
}

// next scans the next token. regexOK says whether a '/' here starts a
// regular expression literal (the parser expects an operand) or is a
// division operator: the lexical goals InputElementRegExp and
// InputElementDiv (ECMAScript 12, Lexical Grammar).
func (l *lexer) next(regexOK bool) {
	if regexOK {
		l.nextRegExp()
	} else {
		l.nextDiv()
	}
}

// nextRegExp scans the next token where the parser expects an operand
// (goal InputElementRegExp). The fast paths, for a token that follows the
// previous one without white space, test for a name first: an operand is
// most often one. nextDiv tests in the other order. Two entry points give
// the hardware two sets of branches, each with its own, steadier bias.
// The start of the input needs no test of its own: a hashbang starts with
// a bcSkip byte, and scan hands an HTML close comment there to skip.
func (l *lexer) nextRegExp() {
	i := l.pos
	src := l.src
	if i >= len(src) {
		l.nextSlow(true)
		return
	}
	c := src[i]
	k := firstClass[c]
	if k == uint8(tIdent) {
		j := i + 1
		for j < len(src) && byteClass[src[j]]&bcIDPart != 0 {
			j++
		}
		if j == len(src) || src[j] != '\\' && src[j] < utf8.RuneSelf {
			l.tok, l.nl, l.flags, l.kw = tIdent, false, 0, kwNone
			l.start, l.end, l.pos = i, j, j
			if c >= '_' && j-i >= 2 && j-i <= 11 {
				l.kw = lookupKeywordAt(src, i, j)
			}
			return
		}
	}
	l.nl, l.flags, l.kw, l.start = false, 0, kwNone, i
	if k > uint8(tIdent) {
		l.tok, l.end, l.pos = tok(k), i+1, i+1
		return
	}
	if k == fcSkip {
		l.nextSlow(true)
		return
	}
	l.scan(i, c, true)
}

// nextDiv scans the next token after an operand or a keyword (goal
// InputElementDiv): punctuators first, then names.
func (l *lexer) nextDiv() {
	i := l.pos
	src := l.src
	if i >= len(src) {
		l.nextSlow(false)
		return
	}
	c := src[i]
	k := firstClass[c]
	l.nl, l.flags, l.kw, l.start = false, 0, kwNone, i
	if k > uint8(tIdent) {
		l.tok, l.end, l.pos = tok(k), i+1, i+1
		return
	}
	// A member access's dot, unless a number (.5) or a spread (...)
	// starts here.
	if c == '.' && (i+1 == len(src) || src[i+1] != '.' && (src[i+1] < '0' || src[i+1] > '9')) {
		l.tok, l.end, l.pos = tDot, i+1, i+1
		return
	}
	if k == uint8(tIdent) {
		j := i + 1
		for j < len(src) && byteClass[src[j]]&bcIDPart != 0 {
			j++
		}
		if j == len(src) || src[j] != '\\' && src[j] < utf8.RuneSelf {
			l.tok, l.end, l.pos = tIdent, j, j
			if c >= '_' && j-i >= 2 && j-i <= 11 {
				l.kw = lookupKeywordAt(src, i, j)
			}
			return
		}
	}
	if k == fcSkip {
		l.nextSlow(false)
		return
	}
	l.scan(i, c, false)
}

// nextName scans the token after '.' or '?.', where only an
// IdentifierName or a PrivateIdentifier may follow (ECMAScript 13.3,
// MemberExpression). A plain ASCII name right after the dot needs no
// keyword lookup: a property name may spell a keyword and means nothing
// more there, so kw stays kwNone. Anything else goes through nextDiv.
func (l *lexer) nextName() {
	i := l.pos
	src := l.src
	if i < len(src) && byteClass[src[i]]&bcIDStart != 0 {
		j := i + 1
		for j < len(src) && byteClass[src[j]]&bcIDPart != 0 {
			j++
		}
		if j == len(src) || src[j] != '\\' && src[j] < utf8.RuneSelf {
			l.nl, l.flags, l.kw = false, 0, kwNone
			l.tok, l.start, l.end, l.pos = tIdent, i, j, j
			return
		}
	}
	l.nextDiv()
}

// nextSlow is next when white space, a comment, or the start or end of
// the input may come first.
func (l *lexer) nextSlow(regexOK bool) {
	l.nl = false
	l.flags = 0
	l.kw = kwNone
	if i := l.pos; i > 0 && i+1 < len(l.src) && l.src[i] == ' ' && firstClass[l.src[i+1]] != fcSkip {
		// One space and then a token, the commonest separator in
		// unminified code: skip need not run. (Not at the start of
		// the input, where skip would see an HTML close comment after
		// it.)
		l.pos = i + 1
	} else if !l.skip() {
		l.tok = tErr
		return
	}
	// src is read after skip's call, so that it need not be saved
	// across it.
	src := l.src
	i := l.pos
	l.start = i
	if i >= len(src) {
		l.tok, l.end = tEOF, i
		return
	}
	c := src[i]
	// Fast paths: one-byte punctuators and ASCII identifiers.
	if t := singleTok[c]; t != 0 {
		l.tok, l.end, l.pos = t, i+1, i+1
		return
	}
	if byteClass[c]&bcIDStart != 0 {
		j := i + 1
		for j < len(src) && byteClass[src[j]]&bcIDPart != 0 {
			j++
		}
		if j == len(src) || src[j] != '\\' && src[j] < utf8.RuneSelf {
			l.tok, l.end, l.pos = tIdent, j, j
			if c >= '_' && j-i >= 2 && j-i <= 11 {
				l.kw = lookupKeywordAt(src, i, j)
			}
			return
		}
	}
	l.scan(i, c, regexOK)
}

// scan scans the token starting with c at src[i], l.start, once the fast
// paths have declined it.
func (l *lexer) scan(i int, c byte, regexOK bool) {
	src := l.src
	t := tErr
	n := 1
	switch c {
	case '{':
		t = tLBrace
	case '}':
		t = tRBrace
	case '(':
		t = tLParen
	case ')':
		t = tRParen
	case '[':
		t = tLBrack
	case ']':
		t = tRBrack
	case ';':
		t = tSemi
	case ',':
		t = tComma
	case ':':
		t = tColon
	case '~':
		t = tTilde
	case '.':
		if i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9' {
			l.number(i)
			return
		}
		t = tDot
		if i+2 < len(src) && src[i+1] == '.' && src[i+2] == '.' {
			t, n = tEllipsis, 3
		}
	case '?':
		t = tQuestion
		if i+1 < len(src) {
			switch src[i+1] {
			case '.':
				if !(i+2 < len(src) && src[i+2] >= '0' && src[i+2] <= '9') {
					t, n = tOptChain, 2
				}
			case '?':
				t, n = tNullish, 2
				if i+2 < len(src) && src[i+2] == '=' {
					t, n = tNullishAssign, 3
				}
			}
		}
	case '=':
		t = tAssign
		if i+1 < len(src) {
			switch src[i+1] {
			case '>':
				t, n = tArrow, 2
			case '=':
				t, n = tEq, 2
				if i+2 < len(src) && src[i+2] == '=' {
					t, n = tSEq, 3
				}
			}
		}
	case '!':
		t = tNot
		if i+1 < len(src) && src[i+1] == '=' {
			t, n = tNe, 2
			if i+2 < len(src) && src[i+2] == '=' {
				t, n = tSNe, 3
			}
		}
	case '+':
		t, n = l.op2(i, c, tPlus, tInc, tAddAssign)
	case '-':
		// Annex B SingleLineHTMLCloseComment at the start of the input
		// (elsewhere skip has seen the line terminator before it):
		// skip takes it. l.pos is still i.
		if i == 0 && len(src) > 2 && src[1] == '-' && src[2] == '>' {
			l.nextSlow(regexOK)
			return
		}
		t, n = l.op2(i, c, tMinus, tDec, tSubAssign)
	case '*':
		t = tStar
		if i+1 < len(src) {
			switch src[i+1] {
			case '*':
				t, n = tExp, 2
				if i+2 < len(src) && src[i+2] == '=' {
					t, n = tExpAssign, 3
				}
			case '=':
				t, n = tMulAssign, 2
			}
		}
	case '%':
		t = tPercent
		if i+1 < len(src) && src[i+1] == '=' {
			t, n = tModAssign, 2
		}
	case '^':
		t = tXor
		if i+1 < len(src) && src[i+1] == '=' {
			t, n = tXorAssign, 2
		}
	case '&', '|':
		single, double, assign, dassign := tAnd, tLAnd, tAndAssign, tLAndAssign
		if c == '|' {
			single, double, assign, dassign = tOr, tLOr, tOrAssign, tLOrAssign
		}
		t = single
		if i+1 < len(src) {
			switch src[i+1] {
			case c:
				t, n = double, 2
				if i+2 < len(src) && src[i+2] == '=' {
					t, n = dassign, 3
				}
			case '=':
				t, n = assign, 2
			}
		}
	case '<':
		// Annex B SingleLineHTMLOpenComment: skip takes it. Only the
		// fast paths come here with one (skip has run before
		// nextSlow's call), so this does not loop. l.pos is still i.
		if i+3 < len(src) && src[i+1] == '!' && src[i+2] == '-' && src[i+3] == '-' {
			l.nextSlow(regexOK)
			return
		}
		t = tLT
		if i+1 < len(src) {
			switch src[i+1] {
			case '=':
				t, n = tLE, 2
			case '<':
				t, n = tShl, 2
				if i+2 < len(src) && src[i+2] == '=' {
					t, n = tShlAssign, 3
				}
			}
		}
	case '>':
		t = tGT
		if i+1 < len(src) {
			switch src[i+1] {
			case '=':
				t, n = tGE, 2
			case '>':
				t, n = tShr, 2
				if i+2 < len(src) {
					switch src[i+2] {
					case '=':
						t, n = tShrAssign, 3
					case '>':
						t, n = tUShr, 3
						if i+3 < len(src) && src[i+3] == '=' {
							t, n = tUShrAssign, 4
						}
					}
				}
			}
		}
	case '/':
		if regexOK {
			l.regexp(i)
			return
		}
		t = tSlash
		if i+1 < len(src) && src[i+1] == '=' {
			t, n = tDivAssign, 2
		}
	case '"', '\'':
		l.str(i, c)
		return
	case '`':
		l.template(i + 1)
		l.start = i
		if l.tok == tTemplateMid {
			l.tok = tTemplateHead
		} else if l.tok == tTemplateTail {
			l.tok = tTemplate
		}
		return
	case '#':
		j := l.ident(i + 1)
		if j < 0 || j == i+1 {
			l.tok, l.end = tErr, i+1
			return
		}
		l.tok, l.end = tPrivate, j
		l.pos = j
		return
	default:
		if c >= '0' && c <= '9' {
			l.number(i)
			return
		}
		j := l.ident(i)
		if j > i {
			l.tok, l.end, l.pos = tIdent, j, j
			l.kw = l.keyword(i, j)
			return
		}
		l.tok, l.end = tErr, i
		return
	}
	l.tok, l.end = t, i+n
	l.pos = i + n
}

func (l *lexer) op2(i int, c byte, single, double, assign tok) (tok, int) {
	if i+1 < len(l.src) {
		switch l.src[i+1] {
		case c:
			return double, 2
		case '=':
			return assign, 2
		}
	}
	return single, 1
}

// ident scans an IdentifierName from i and returns its end, i when there is
// none, or -1 on a malformed escape. It sets fEscaped when it meets one.
func (l *lexer) ident(i int) int {
	src := l.src
	start := i
	for i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			if asciiID[c] != 0 && (i > start || asciiID[c]&1 != 0) {
				i++
				continue
			}
			if c == '\\' {
				r, j := unicodeEscape(src, i)
				if r < 0 {
					return -1
				}
				if i == start && !isIDStartRune(r) || i > start && !isIDPartRune(r) {
					return -1
				}
				l.flags |= fEscaped
				i = j
				continue
			}
			break
		}
		r, n := utf8.DecodeRune(src[i:])
		if i == start && !isIDStartRune(r) || i > start && !isIDPartRune(r) {
			break
		}
		i += n
	}
	return i
}

func isDigitSep(c byte, base int) bool {
	switch base {
	case 16:
		return hexVal(c) >= 0
	case 8:
		return c >= '0' && c <= '7'
	case 2:
		return c == '0' || c == '1'
	}
	return c >= '0' && c <= '9'
}

// digits scans digits of base from i with numeric separators between them
// and returns the end and whether the run was well formed (at least one
// digit, no leading, trailing or doubled separator).
func (l *lexer) digits(i, base int, sep bool) (int, bool) {
	src := l.src
	start := i
	for i < len(src) {
		c := src[i]
		if isDigitSep(c, base) {
			i++
			continue
		}
		if c == '_' && sep {
			if i == start || i+1 >= len(src) || !isDigitSep(src[i+1], base) {
				return i, false
			}
			i++
			continue
		}
		break
	}
	return i, i > start
}

func (l *lexer) number(i int) {
	src := l.src
	// Fast path: a DecimalIntegerLiteral with no separator, fraction,
	// exponent or BigInt suffix (and not a legacy 01), followed by a
	// byte that can neither continue it nor start an IdentifierName
	// (ECMAScript 12.9.3: "The SourceCharacter immediately following a
	// NumericLiteral must not be an IdentifierStart or DecimalDigit").
	j := i
	for j < len(src) && src[j]-'0' < 10 {
		j++
	}
	if j > i && (src[i] != '0' || j == i+1) && (j == len(src) || src[j] < utf8.RuneSelf && asciiID[src[j]] == 0 && src[j] != '.' && src[j] != '\\') {
		l.tok, l.start, l.end, l.pos = tNum, i, j, j
		return
	}
	start := i
	l.tok, l.start = tErr, start
	ok := true
	bigOK := true
	if src[i] == '0' && i+1 < len(src) {
		switch src[i+1] | 0x20 {
		case 'x', 'o', 'b':
			base := 16
			switch src[i+1] | 0x20 {
			case 'o':
				base = 8
			case 'b':
				base = 2
			}
			i, ok = l.digits(i+2, base, true)
			if !ok {
				l.end = i
				return
			}
			if i < len(src) && src[i] == 'n' {
				i++
			}
			l.finishNumber(i)
			return
		}
		if src[i+1] >= '0' && src[i+1] <= '9' || src[i+1] == '_' {
			// Annex B LegacyOctalIntegerLiteral or NonOctalDecimalIntegerLiteral.
			l.flags |= fLegacyOctal
			j := i + 1
			octal := true
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				if src[j] >= '8' {
					octal = false
				}
				j++
			}
			if j < len(src) && src[j] == '_' {
				l.end = j
				return
			}
			if octal {
				l.finishNumber(j)
				return
			}
			i = j
			bigOK = false
			goto fraction
		}
	}
	if src[i] != '.' {
		i, ok = l.digits(i, 10, true)
		if !ok {
			l.end = i
			return
		}
	}
fraction:
	if i < len(src) && src[i] == '.' {
		bigOK = false
		i++
		if i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i, ok = l.digits(i, 10, true)
			if !ok {
				l.end = i
				return
			}
		} else if i < len(src) && src[i] == '_' {
			l.end = i
			return
		}
	}
	if i < len(src) && src[i]|0x20 == 'e' {
		bigOK = false
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		i, ok = l.digits(i, 10, true)
		if !ok {
			l.end = i
			return
		}
	}
	if i < len(src) && src[i] == 'n' {
		if !bigOK || src[start] == '.' {
			l.end = i
			return
		}
		i++
	}
	l.finishNumber(i)
}

// finishNumber ends a numeric literal at i: the source character after it
// must be neither an IdentifierStart nor a decimal digit.
func (l *lexer) finishNumber(i int) {
	src := l.src
	l.end, l.pos = i, i
	if i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			if asciiID[c] != 0 || c == '\\' {
				l.tok = tErr
				return
			}
		} else if r, _ := utf8.DecodeRune(src[i:]); isIDStartRune(r) {
			l.tok = tErr
			return
		}
	}
	l.tok = tNum
}

// escape checks the escape sequence whose backslash is at src[i] in a
// string (template false) or template literal and returns the index after
// it, whether it is well formed, and whether it is a legacy octal or \8 \9
// escape.
func (l *lexer) escape(i int, template bool) (j int, ok, octal bool) {
	src := l.src
	if i+1 >= len(src) {
		return len(src), false, false
	}
	c := src[i+1]
	switch {
	case c == 'x':
		if i+3 < len(src) && hexVal(src[i+2]) >= 0 && hexVal(src[i+3]) >= 0 {
			return i + 4, true, false
		}
		return i + 2, false, false
	case c == 'u':
		_, j := unicodeEscape(src, i)
		if j == i {
			return i + 2, false, false
		}
		r, j := unicodeEscape(src, i)
		return j, r >= 0, false
	case c == '\r':
		if i+2 < len(src) && src[i+2] == '\n' {
			return i + 3, true, false
		}
		return i + 2, true, false
	case c == '0':
		if i+2 < len(src) && src[i+2] >= '0' && src[i+2] <= '9' {
			if template {
				return i + 2, false, false
			}
			break
		}
		return i + 2, true, false
	case c >= '1' && c <= '9':
		if template {
			return i + 2, false, false
		}
	default:
		if c >= utf8.RuneSelf {
			_, n := utf8.DecodeRune(src[i+1:])
			return i + 1 + n, true, false
		}
		return i + 2, true, false
	}
	// A legacy octal escape (\0 to \377) or \8 \9.
	j = i + 1
	if src[j] >= '8' {
		return j + 1, true, true
	}
	lim := 3
	if src[j] >= '4' {
		lim = 2
	}
	for k := 0; k < lim && j < len(src) && src[j] >= '0' && src[j] <= '7'; k++ {
		j++
	}
	return j, true, true
}

func (l *lexer) str(i int, q byte) {
	src := l.src
	start := i
	i++
	l.tok = tErr
	for i < len(src) {
		c := src[i]
		switch c {
		case q:
			l.tok, l.end, l.pos = tString, i+1, i+1
			if i-start == 11 && string(src[start+1:i]) == "use strict" {
				l.flags |= fUseStrict
			}
			return
		case '\\':
			j, ok, octal := l.escape(i, false)
			if !ok {
				l.end = j
				return
			}
			if octal {
				l.flags |= fLegacyOctal
			}
			i = j
			continue
		case '\n', '\r':
			l.end = i
			return
		}
		i++
	}
	l.end = i
}

// template scans template characters from i up to and including the
// closing '`' (tTemplateTail) or "${" (tTemplateMid). next turns these into
// tTemplate and tTemplateHead when the template starts there.
func (l *lexer) template(i int) {
	src := l.src
	l.tok = tErr
	for i < len(src) {
		switch src[i] {
		case '`':
			l.tok, l.end, l.pos = tTemplateTail, i+1, i+1
			return
		case '$':
			if i+1 < len(src) && src[i+1] == '{' {
				l.tok, l.end, l.pos = tTemplateMid, i+2, i+2
				return
			}
		case '\\':
			j, ok, _ := l.escape(i, true)
			if !ok {
				l.flags |= fBadEscape
			}
			if j > len(src) {
				j = len(src)
			}
			i = j
			continue
		}
		i++
	}
	l.end = i
}

// templateCont rescans from the '}' that ends a template substitution.
func (l *lexer) templateCont() {
	l.flags = 0
	l.kw = kwNone
	start := l.start
	l.template(start + 1)
	l.start = start
}

func (l *lexer) regexp(i int) {
	src := l.src
	start := i
	l.tok, l.start = tErr, start
	i++
	inClass := false
	for {
		if i >= len(src) {
			l.end = i
			return
		}
		c := src[i]
		if c == '\\' {
			i++
			if i >= len(src) {
				l.end = i
				return
			}
			c = src[i]
		} else if c == '/' && !inClass {
			break
		} else if c == '[' {
			inClass = true
		} else if c == ']' {
			inClass = false
		}
		if c == '\n' || c == '\r' {
			l.end = i
			return
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(src[i:])
			if r == 0x2028 || r == 0x2029 {
				l.end = i
				return
			}
			i += n
			continue
		}
		i++
	}
	bodyEnd := i
	i++
	var seen uint16
	for i < len(src) {
		c := src[i]
		bit := uint16(0)
		switch c {
		case 'd':
			bit = 1
		case 'g':
			bit = 2
		case 'i':
			bit = 4
		case 'm':
			bit = 8
		case 's':
			bit = 16
		case 'u':
			bit = 32
		case 'v':
			bit = 64
		case 'y':
			bit = 128
		default:
			if c == '\\' {
				l.end = i
				return
			}
			if c < utf8.RuneSelf {
				if asciiID[c] != 0 {
					l.end = i
					return
				}
			} else if r, _ := utf8.DecodeRune(src[i:]); isIDPartRune(r) {
				l.end = i
				return
			}
		}
		if bit == 0 {
			break
		}
		if seen&bit != 0 {
			l.end = i
			return
		}
		seen |= bit
		i++
	}
	if seen&(32|64) == 32|64 {
		l.end = i
		return
	}
	l.end, l.pos = i, i
	if !l.re.check(src[start+1:bodyEnd], seen&32 != 0, seen&64 != 0) {
		return
	}
	l.tok = tRegExp
}
