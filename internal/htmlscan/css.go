package htmlscan

import (
	"strings"
	"unicode/utf8"

	"github.com/xorigin/xorigin/fetchctx"
)

// StyleRef is a resource a style sheet (or a style attribute) references:
// the URL as written, to parse against the sheet's URL (a <style>'s or a
// style attribute's: the document base URL), and the request CSS makes
// for it (fetchctx.ForCSS), which the document makes (its origin and
// policy).
type StyleRef struct {
	URL     string
	Request fetchctx.Request
}

// StyleRefs returns, in order, the resources the CSS text src references:
// an @import's sheet (destination style), the url()s of an @font-face
// rule (font: cors) and every other url() (image: no-cors). It tokenizes
// as CSS Syntax Level 3 §4 does (our own tokenizer, below, covering only
// the tokens this needs) and does not evaluate: a url() in a rule no
// element matches, or in a property that a later declaration overrides,
// is listed too, as a crawler checking what may load wants it; a URL that
// starts with "#" (a same-document reference) and the empty URL (CSS
// Values: an invalid resource) are not. Escapes are decoded, as the
// tokenizer does, so url(a\29 b) is "a)b".
func StyleRefs(src []byte) []StyleRef {
	font, _ := fetchctx.ForCSS(fetchctx.DestinationFont)
	image, _ := fetchctx.ForCSS(fetchctx.DestinationImage)
	style, _ := fetchctx.ForCSS(fetchctx.DestinationStyle)
	var refs []StyleRef
	add := func(u string, r fetchctx.Request) {
		if u = strings.Trim(u, " \t\n\r\f"); u != "" && !strings.HasPrefix(u, "#") {
			refs = append(refs, StyleRef{u, r})
		}
	}
	t := cssTokenizer{src: src}
	var (
		depth      int  // brace depth
		fontDepth  = -1 // the depth inside an @font-face block, -1 outside
		pendingAt  atRule
		inImport   bool
		afterURLFn bool // a url( function token, waiting for its string
	)
	for {
		tok := t.next()
		switch tok.kind {
		case tokEOF:
			return refs
		case tokAtKeyword:
			pendingAt = t.atRule(tok)
			inImport = pendingAt == atImport
		case tokLeftBrace:
			depth++
			if pendingAt == atFontFace {
				fontDepth = depth
			}
			pendingAt, inImport = atOther, false
		case tokRightBrace:
			if depth == fontDepth {
				fontDepth = -1
			}
			depth--
		case tokSemicolon:
			pendingAt, inImport = atOther, false
		case tokURL:
			add(t.value(tok), pick(inImport, fontDepth >= 0, style, font, image))
			inImport = false
		case tokURLFunction:
			afterURLFn = true
			continue
		case tokString:
			if afterURLFn || inImport {
				add(t.value(tok), pick(inImport, fontDepth >= 0, style, font, image))
				inImport = false
			}
		case tokWhitespace:
			continue // keep afterURLFn across white space
		}
		afterURLFn = false
	}
}

func pick(imp, font bool, style, fontReq, image fetchctx.Request) fetchctx.Request {
	switch {
	case imp:
		return style
	case font:
		return fontReq
	}
	return image
}

// atRule is the at-keyword StyleRefs tells apart.
type atRule uint8

const (
	atOther atRule = iota
	atImport
	atFontFace
)

// cssTokKind is the kind of a token, as far as StyleRefs cares: every
// token it ignores (idents, numbers, hashes, delims, bad strings and bad
// URLs, other functions...) is tokOther.
type cssTokKind uint8

const (
	tokEOF cssTokKind = iota
	tokWhitespace
	tokString      // value: src[start:end], inside the quotes, escapes undecoded
	tokURL         // value: src[start:end], inside url( ), escapes undecoded
	tokURLFunction // url( followed by a quoted string
	tokAtKeyword   // name: src[start:end], after the @, escapes undecoded
	tokLeftBrace
	tokRightBrace
	tokSemicolon
	tokOther
)

type cssToken struct {
	kind       cssTokKind
	start, end int
}

// cssTokenizer implements CSS Syntax Level 3 §4 (tokenization) over the
// raw bytes. It does not copy the input to preprocess it (§3.3); instead
// CR, FF and CRLF count as one newline where newlines matter, and NUL and
// invalid UTF-8 (which decoding turns into U+FFFD, as it does surrogates)
// are ident code points and become U+FFFD in decoded values. Every step
// consumes at least one byte, so it ends on any input.
type cssTokenizer struct {
	src []byte
	pos int
}

// at returns the byte at pos+k, or 0x100 past the end (EOF, which no
// byte equals).
func (t *cssTokenizer) at(k int) int {
	if i := t.pos + k; i < len(t.src) {
		return int(t.src[i])
	}
	return 0x100
}

func isNewline(c int) bool { return c == '\n' || c == '\r' || c == '\f' }

func isCSSWhitespace(c int) bool { return isNewline(c) || c == ' ' || c == '\t' }

func isHexDigit(c int) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(c int) bool { return c >= '0' && c <= '9' }

// isIdentStart: §4.2 ident-start code point (a letter, a non-ASCII code
// point or "_"). A NUL byte is U+FFFD after §3.3 and so non-ASCII; so is
// any byte of a multi-byte or invalid UTF-8 sequence.
func isIdentStart(c int) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == 0 || c >= 0x80 && c < 0x100
}

// isIdentChar: §4.2 ident code point.
func isIdentChar(c int) bool { return isIdentStart(c) || isDigit(c) || c == '-' }

// validEscape: §4.3.8, on the two bytes c1 c2.
func validEscape(c1, c2 int) bool { return c1 == '\\' && !isNewline(c2) }

// startsIdent: §4.3.9, on the next three code points.
func startsIdent(c1, c2, c3 int) bool {
	switch {
	case c1 == '-':
		return isIdentStart(c2) || c2 == '-' || validEscape(c2, c3)
	case isIdentStart(c1):
		return true
	}
	return validEscape(c1, c2)
}

// startsNumber: §4.3.10.
func startsNumber(c1, c2, c3 int) bool {
	switch {
	case c1 == '+' || c1 == '-':
		return isDigit(c2) || c2 == '.' && isDigit(c3)
	case c1 == '.':
		return isDigit(c2)
	}
	return isDigit(c1)
}

// skipNewline consumes one newline: CRLF counts as one (§3.3).
func (t *cssTokenizer) skipNewline() {
	if t.at(0) == '\r' && t.at(1) == '\n' {
		t.pos++
	}
	t.pos++
}

func (t *cssTokenizer) skipWhitespace() {
	for isCSSWhitespace(t.at(0)) {
		t.pos++
	}
}

// next consumes a token (§4.3.1).
func (t *cssTokenizer) next() cssToken {
	// §4.3.2: consume comments; an unterminated one runs to EOF.
	for t.at(0) == '/' && t.at(1) == '*' {
		if end := indexStarSlash(t.src[t.pos+2:]); end >= 0 {
			t.pos += 2 + end + 2
		} else {
			t.pos = len(t.src)
		}
	}
	c := t.at(0)
	switch {
	case c == 0x100:
		return cssToken{kind: tokEOF}
	case isCSSWhitespace(c):
		t.skipWhitespace()
		return cssToken{kind: tokWhitespace}
	case c == '"' || c == '\'':
		return t.string(c)
	case c == '#':
		// A hash token: its name is not a url( (#url(x) is no URL).
		t.pos++
		if isIdentChar(t.at(0)) || validEscape(t.at(0), t.at(1)) {
			t.identSequence()
		}
		return cssToken{kind: tokOther}
	case c == '+' || c == '.':
		if startsNumber(c, t.at(1), t.at(2)) {
			return t.numeric()
		}
	case c == '-':
		switch {
		case startsNumber(c, t.at(1), t.at(2)):
			return t.numeric()
		case t.at(1) == '-' && t.at(2) == '>': // CDC
			t.pos += 3
			return cssToken{kind: tokOther}
		case startsIdent(c, t.at(1), t.at(2)):
			return t.identLike()
		}
	case c == '<':
		if t.at(1) == '!' && t.at(2) == '-' && t.at(3) == '-' { // CDO
			t.pos += 4
			return cssToken{kind: tokOther}
		}
	case c == '@':
		if startsIdent(t.at(1), t.at(2), t.at(3)) {
			t.pos++
			start := t.pos
			t.identSequence()
			return cssToken{tokAtKeyword, start, t.pos}
		}
	case c == '\\':
		if validEscape(c, t.at(1)) {
			return t.identLike()
		}
	case isDigit(c):
		return t.numeric()
	case isIdentStart(c):
		return t.identLike()
	case c == '{':
		t.pos++
		return cssToken{kind: tokLeftBrace}
	case c == '}':
		t.pos++
		return cssToken{kind: tokRightBrace}
	case c == ';':
		t.pos++
		return cssToken{kind: tokSemicolon}
	}
	// Anything else is a delim or a token StyleRefs ignores: one byte
	// (a lone byte of a multi-byte rune cannot get here: those bytes are
	// ident-start code points).
	t.pos++
	return cssToken{kind: tokOther}
}

func indexStarSlash(b []byte) int {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '*' && b[i+1] == '/' {
			return i
		}
	}
	return -1
}

// string consumes a string token (§4.3.5) whose quote is q.
func (t *cssTokenizer) string(q int) cssToken {
	t.pos++
	start := t.pos
	for {
		c := t.at(0)
		switch {
		case c == q:
			t.pos++
			return cssToken{tokString, start, t.pos - 1}
		case c == 0x100: // EOF: a parse error, still a string
			return cssToken{tokString, start, t.pos}
		case isNewline(c): // a bad string; the newline is reconsumed
			return cssToken{kind: tokOther}
		case c == '\\':
			t.pos++
			switch d := t.at(0); {
			case d == 0x100: // "\" at EOF: nothing, so not in the value
				return cssToken{tokString, start, t.pos - 1}
			case isNewline(d):
				t.skipNewline()
			default:
				t.escape()
			}
		default:
			t.pos++
		}
	}
}

// escape consumes an escaped code point (§4.3.7) after its "\": up to six
// hex digits and one white space after them, or one code point.
func (t *cssTokenizer) escape() {
	if !isHexDigit(t.at(0)) {
		if t.at(0) != 0x100 {
			_, n := utf8.DecodeRune(t.src[t.pos:])
			t.pos += n
		}
		return
	}
	for i := 0; i < 6 && isHexDigit(t.at(0)); i++ {
		t.pos++
	}
	if isCSSWhitespace(t.at(0)) {
		t.skipNewline() // one white space; CRLF as one
	}
}

// identSequence consumes an ident sequence (§4.3.11).
func (t *cssTokenizer) identSequence() {
	for {
		switch c := t.at(0); {
		case isIdentChar(c):
			t.pos++
		case validEscape(c, t.at(1)):
			t.pos++
			t.escape()
		default:
			return
		}
	}
}

// numeric consumes a numeric token (§4.3.3): a number (§4.3.12), then a
// unit (so 1url(x) is a dimension, then "(") or "%".
func (t *cssTokenizer) numeric() cssToken {
	if c := t.at(0); c == '+' || c == '-' {
		t.pos++
	}
	for isDigit(t.at(0)) {
		t.pos++
	}
	if t.at(0) == '.' && isDigit(t.at(1)) {
		t.pos++
		for isDigit(t.at(0)) {
			t.pos++
		}
	}
	if c := t.at(0); (c == 'e' || c == 'E') && (isDigit(t.at(1)) || (t.at(1) == '+' || t.at(1) == '-') && isDigit(t.at(2))) {
		t.pos += 2
		for isDigit(t.at(0)) {
			t.pos++
		}
	}
	switch {
	case startsIdent(t.at(0), t.at(1), t.at(2)):
		t.identSequence()
	case t.at(0) == '%':
		t.pos++
	}
	return cssToken{kind: tokOther}
}

// identLike consumes an ident-like token (§4.3.4): an ident, a function,
// or, for a name that is "url" in ASCII case-insensitive form, a url token
// or a url( function token when a quote follows.
func (t *cssTokenizer) identLike() cssToken {
	start := t.pos
	t.identSequence()
	if t.at(0) != '(' {
		return cssToken{kind: tokOther}
	}
	isURL := equalFoldName(t.src[start:t.pos], "url")
	t.pos++
	if !isURL {
		return cssToken{kind: tokOther}
	}
	// While the next two are white space, consume the next.
	for isCSSWhitespace(t.at(0)) && isCSSWhitespace(t.at(1)) {
		t.pos++
	}
	// A quote, or one white space and a quote: a function token; the
	// white space and the string are the next tokens.
	c := t.at(0)
	if isCSSWhitespace(c) {
		c = t.at(1)
		if t.at(0) == '\r' && c == '\n' { // CRLF is one white space
			c = t.at(2)
		}
	}
	if c == '"' || c == '\'' {
		return cssToken{kind: tokURLFunction}
	}
	return t.url()
}

// url consumes a url token (§4.3.6) after "url(".
func (t *cssTokenizer) url() cssToken {
	t.skipWhitespace()
	start := t.pos
	for {
		c := t.at(0)
		switch {
		case c == ')':
			t.pos++
			return cssToken{tokURL, start, t.pos - 1}
		case c == 0x100: // EOF: a parse error, still a url
			return cssToken{tokURL, start, t.pos}
		case isCSSWhitespace(c):
			end := t.pos
			t.skipWhitespace()
			switch t.at(0) {
			case ')':
				t.pos++
				return cssToken{tokURL, start, end}
			case 0x100:
				return cssToken{tokURL, start, end}
			}
			return t.badURL()
		case c == '"' || c == '\'' || c == '(' || isNonPrintable(c):
			return t.badURL()
		case c == '\\':
			if !validEscape(c, t.at(1)) {
				return t.badURL()
			}
			t.pos++
			t.escape()
		default:
			t.pos++
		}
	}
}

// isNonPrintable: §4.2 non-printable code point. NUL is not one: §3.3
// made it U+FFFD.
func isNonPrintable(c int) bool {
	return c >= 1 && c <= 8 || c == 0x0B || c >= 0x0E && c <= 0x1F || c == 0x7F
}

// badURL consumes the remnants of a bad url (§4.3.14): up to ")" or EOF,
// skipping escapes so that "\)" does not end it.
func (t *cssTokenizer) badURL() cssToken {
	for {
		c := t.at(0)
		switch {
		case c == ')':
			t.pos++
			return cssToken{kind: tokOther}
		case c == 0x100:
			return cssToken{kind: tokOther}
		case validEscape(c, t.at(1)):
			t.pos++
			t.escape()
		default:
			t.pos++
		}
	}
}

// atRule tells which at-rule an at-keyword token starts.
func (t *cssTokenizer) atRule(tok cssToken) atRule {
	switch name := t.src[tok.start:tok.end]; {
	case equalFoldName(name, "import"):
		return atImport
	case equalFoldName(name, "font-face"):
		return atFontFace
	}
	return atOther
}

// equalFoldName reports whether the ident sequence raw, its escapes
// decoded, is the lowercase ASCII name in ASCII case-insensitive form
// (§2.1), without allocating.
func equalFoldName(raw []byte, name string) bool {
	d := cssDecoder{src: raw}
	for i := 0; i < len(name); i++ {
		r, ok := d.next()
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if !ok || r != rune(name[i]) {
			return false
		}
	}
	_, more := d.next()
	return !more
}

// value returns the decoded value of a string or url token.
func (t *cssTokenizer) value(tok cssToken) string {
	d := cssDecoder{src: t.src[tok.start:tok.end]}
	var b strings.Builder
	b.Grow(tok.end - tok.start)
	for {
		r, ok := d.next()
		if !ok {
			return b.String()
		}
		b.WriteRune(r)
	}
}

// cssDecoder yields the code points of a token's bytes, its escapes
// decoded (§4.3.7) and §3.3's replacements made: NUL, invalid UTF-8 and
// the escaped zero, surrogates and code points past U+10FFFF become
// U+FFFD. An escaped newline (only a string has one) yields nothing; "\"
// at the end yields U+FFFD (a string token's value never ends with it).
type cssDecoder struct {
	src []byte
	pos int
}

func (d *cssDecoder) next() (rune, bool) {
	for d.pos < len(d.src) {
		c := d.src[d.pos]
		if c != '\\' {
			r, n := utf8.DecodeRune(d.src[d.pos:])
			d.pos += n
			if r == 0 {
				r = utf8.RuneError
			}
			return r, true
		}
		d.pos++
		if d.pos == len(d.src) {
			// "\" at EOF: an escape that yields U+FFFD.
			return utf8.RuneError, true
		}
		switch c := d.src[d.pos]; {
		case c == '\r' || c == '\n' || c == '\f':
			// An escaped newline in a string: nothing.
			if c == '\r' && d.pos+1 < len(d.src) && d.src[d.pos+1] == '\n' {
				d.pos++
			}
			d.pos++
			continue
		case isHexDigit(int(c)):
			var v rune
			for i := 0; i < 6 && d.pos < len(d.src) && isHexDigit(int(d.src[d.pos])); i++ {
				v = v<<4 | rune(hexVal(d.src[d.pos]))
				d.pos++
			}
			if d.pos < len(d.src) && isCSSWhitespace(int(d.src[d.pos])) {
				if d.src[d.pos] == '\r' && d.pos+1 < len(d.src) && d.src[d.pos+1] == '\n' {
					d.pos++
				}
				d.pos++
			}
			if v == 0 || v >= 0xD800 && v <= 0xDFFF || v > 0x10FFFF {
				v = utf8.RuneError
			}
			return v, true
		}
		r, n := utf8.DecodeRune(d.src[d.pos:])
		d.pos += n
		if r == 0 {
			r = utf8.RuneError
		}
		return r, true
	}
	return 0, false
}

func hexVal(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
