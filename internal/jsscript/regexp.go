package jsscript

import (
	"unicode"
	"unicode/utf8"
)

// maxRegExpGroups bounds the group nesting a regular expression literal may
// have; V8's own limit is lower in practice (its parser recurses).
const maxRegExpGroups = 1024

// maxGroupNames bounds the named groups whose names are compared for
// duplicates and \k references; past it, names go unchecked (the literal is
// accepted as far as names go).
const maxGroupNames = 64

// regexpChecker checks a RegularExpressionLiteral's body against the
// pattern grammar: ECMAScript 2024 22.2.1 with the u flag, Annex B.1.2
// without it, as V8 does when it compiles the literal at parse time. The v
// flag's class set notation is checked for bracket balance only.
type regexpChecker struct {
	src     []byte
	u, v    bool
	groups  int  // capturing groups in the pattern
	named   bool // the pattern has named groups
	kinds   [maxRegExpGroups / 4]uint8
	names   [maxGroupNames]struct{ off, n int32 }
	nNames  int
	overrun bool
}

const (
	gPlain = iota
	gLookahead
	gLookbehind
)

func (c *regexpChecker) setKind(d, k int) {
	sh := uint(d%4) * 2
	c.kinds[d/4] = c.kinds[d/4]&^(3<<sh) | uint8(k)<<sh
}

func (c *regexpChecker) kind(d int) int { return int(c.kinds[d/4]>>(uint(d%4)*2)) & 3 }

func isSyntaxChar(b byte) bool {
	switch b {
	case '^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|':
		return true
	}
	return false
}

// prescan counts capturing groups and records group names, reporting
// false on a duplicate name.
func (c *regexpChecker) prescan() bool {
	src := c.src
	inClass := false
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '(':
			if inClass {
				continue
			}
			if i+1 < len(src) && src[i+1] == '?' {
				if i+2 < len(src) && src[i+2] == '<' && i+3 < len(src) && src[i+3] != '=' && src[i+3] != '!' {
					c.groups++
					c.named = true
					end := i + 3
					for end < len(src) && src[end] != '>' && src[end] != ')' {
						end++
					}
					if !c.addName(i+3, end) {
						return false
					}
				}
				continue
			}
			c.groups++
		}
	}
	return true
}

func (c *regexpChecker) check(src []byte, u, v bool) bool {
	c.src, c.u, c.v = src, u, v
	c.groups, c.named, c.nNames, c.overrun = 0, false, 0, false
	if !c.prescan() {
		return false
	}
	uni := u || v
	depth := 0
	atom := false // the last term can take a quantifier
	i := 0
	for i < len(src) {
		b := src[i]
		switch b {
		case '|':
			atom = false
			i++
		case '^', '$':
			atom = false
			i++
		case '(':
			if depth >= maxRegExpGroups {
				return false
			}
			k := gPlain
			i++
			if i < len(src) && src[i] == '?' {
				if i+1 >= len(src) {
					return false
				}
				switch src[i+1] {
				case ':':
					i += 2
				case '=', '!':
					k = gLookahead
					i += 2
				case '<':
					if i+2 < len(src) && (src[i+2] == '=' || src[i+2] == '!') {
						k = gLookbehind
						i += 3
						break
					}
					j, ok := c.groupName(i + 2)
					if !ok {
						return false
					}
					i = j
				default:
					return false
				}
			}
			c.setKind(depth, k)
			depth++
			atom = false
		case ')':
			if depth == 0 {
				return false
			}
			depth--
			k := c.kind(depth)
			atom = k == gPlain || k == gLookahead && !uni
			i++
		case '*', '+', '?':
			if !atom {
				return false
			}
			i++
			if i < len(src) && src[i] == '?' {
				i++
			}
			atom = false
		case '{':
			j, ok := c.braced(i)
			if ok {
				if !atom {
					return false
				}
				i = j
				if i < len(src) && src[i] == '?' {
					i++
				}
				atom = false
				continue
			}
			if uni || j < 0 {
				return false
			}
			i++
			atom = true
		case '}', ']':
			if uni {
				return false
			}
			i++
			atom = true
		case '[':
			j, ok := c.class(i + 1)
			if !ok {
				return false
			}
			i = j
			atom = true
		case '\\':
			j, isAtom, ok := c.atomEscape(i)
			if !ok {
				return false
			}
			i = j
			atom = isAtom
		default:
			if b >= utf8.RuneSelf {
				_, n := utf8.DecodeRune(src[i:])
				i += n
			} else {
				i++
			}
			atom = true
		}
	}
	return depth == 0
}

// braced reads a braced quantifier at src[i] == '{'. It returns the index
// after it and true, or false when the text is not one (-1 when it is one
// with its bounds out of order).
func (c *regexpChecker) braced(i int) (int, bool) {
	src := c.src
	j := i + 1
	lo, loEnd := decimal(src, j)
	if loEnd == j {
		return i, false
	}
	j = loEnd
	hi := lo
	if j < len(src) && src[j] == ',' {
		j++
		h, hEnd := decimal(src, j)
		if hEnd == j {
			hi = -1
		} else {
			hi = h
		}
		j = hEnd
	}
	if j >= len(src) || src[j] != '}' {
		return i, false
	}
	if hi >= 0 && hi < lo {
		return -1, false
	}
	return j + 1, true
}

// decimal reads decimal digits from i, saturating the value.
func decimal(src []byte, i int) (int, int) {
	v := 0
	for i < len(src) && src[i] >= '0' && src[i] <= '9' {
		if v < 1<<30 {
			v = v*10 + int(src[i]-'0')
		}
		i++
	}
	return v, i
}

// groupName reads a GroupName "name>" from i and returns the index after
// the '>'.
func (c *regexpChecker) groupName(i int) (int, bool) {
	src := c.src
	start := i
	for i < len(src) && src[i] != '>' {
		var r rune
		n := 1
		if src[i] == '\\' {
			var j int
			r, j = unicodeEscape(src, i)
			if r < 0 {
				return i, false
			}
			n = j - i
		} else if src[i] >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(src[i:])
		} else {
			r = rune(src[i])
		}
		if i == start && !isIDStartRune(r) || i > start && !isIDPartRune(r) {
			return i, false
		}
		i += n
	}
	if i >= len(src) || i == start {
		return i, false
	}
	return i + 1, true
}

func (c *regexpChecker) addName(start, end int) bool {
	name := c.src[start:end]
	for k := 0; k < c.nNames; k++ {
		nm := c.names[k]
		if string(c.src[nm.off:nm.off+nm.n]) == string(name) {
			return false
		}
	}
	if c.nNames == maxGroupNames {
		c.overrun = true
		return true
	}
	c.names[c.nNames] = struct{ off, n int32 }{int32(start), int32(end - start)}
	c.nNames++
	return true
}

// hasName reports whether a group named src[start:end] exists anywhere in
// the pattern (a \k reference may precede its group).
func (c *regexpChecker) hasName(start, end int) bool {
	if c.overrun {
		return true
	}
	name := string(c.src[start:end])
	for k := 0; k < c.nNames; k++ {
		nm := c.names[k]
		if string(c.src[nm.off:nm.off+nm.n]) == name {
			return true
		}
	}
	return false
}

// atomEscape checks the escape at src[i] == '\\' outside a class and
// returns the index after it, whether it is an atom (quantifiable) rather
// than an assertion, and whether it is valid.
func (c *regexpChecker) atomEscape(i int) (int, bool, bool) {
	src := c.src
	uni := c.u || c.v
	if i+1 >= len(src) {
		return i, false, false
	}
	b := src[i+1]
	switch {
	case b == 'b' || b == 'B':
		return i + 2, false, true
	case b >= '1' && b <= '9':
		n, j := decimal(src, i+1)
		if n <= c.groups {
			return j, true, true
		}
		if uni {
			return j, true, false
		}
		// Annex B: a legacy octal escape or an identity escape.
		return i + 2, true, true
	case b == 'k':
		if uni || c.named {
			if i+2 >= len(src) || src[i+2] != '<' {
				return i, true, false
			}
			j, ok := c.groupName(i + 3)
			if !ok {
				return i, true, false
			}
			return j, true, c.hasName(i+3, j-1)
		}
		return i + 2, true, true
	}
	j, ok := c.charEscape(i, false)
	return j, true, ok
}

// charEscape checks a CharacterEscape or CharacterClassEscape at src[i] ==
// '\\' and returns the index after it.
func (c *regexpChecker) charEscape(i int, inClass bool) (int, bool) {
	src := c.src
	uni := c.u || c.v
	b := src[i+1]
	switch b {
	case 'd', 'D', 's', 'S', 'w', 'W', 'f', 'n', 'r', 't', 'v':
		return i + 2, true
	case 'p', 'P':
		if !uni {
			return i + 2, true
		}
		return c.property(i + 2)
	case 'c':
		if i+2 < len(src) && (src[i+2]|0x20 >= 'a' && src[i+2]|0x20 <= 'z') {
			return i + 3, true
		}
		if inClass && !uni && i+2 < len(src) && (src[i+2] >= '0' && src[i+2] <= '9' || src[i+2] == '_') {
			return i + 3, true
		}
		return i + 1, !uni
	case '0':
		if i+2 < len(src) && src[i+2] >= '0' && src[i+2] <= '9' {
			if uni {
				return i, false
			}
			_, j := decimal(src, i+1)
			return j, true
		}
		return i + 2, true
	case 'x':
		if i+3 < len(src) && hexVal(src[i+2]) >= 0 && hexVal(src[i+3]) >= 0 {
			return i + 4, true
		}
		return i + 2, !uni
	case 'u':
		if i+2 < len(src) && src[i+2] == '{' {
			if uni {
				r, j := unicodeEscape(src, i)
				return j, r >= 0
			}
			return i + 2, true
		}
		r, j := unicodeEscape(src, i)
		if r >= 0 {
			return j, true
		}
		return i + 2, !uni
	case '-':
		return i + 2, !uni || inClass
	}
	if b >= '1' && b <= '9' {
		// Only reached in a class: Annex B legacy octal.
		if uni {
			return i, false
		}
		return i + 2, true
	}
	if b >= utf8.RuneSelf {
		r, n := utf8.DecodeRune(src[i+1:])
		if uni {
			return i, false
		}
		// ID_Continue characters are identity escapes only in the u-less
		// grammar, and only when they are not 'c' or 'k' (handled above).
		_ = r
		return i + 1 + n, true
	}
	if uni {
		return i + 2, isSyntaxChar(b) || b == '/'
	}
	return i + 2, true
}

// property checks "{Name}" or "{Name=Value}" after \p or \P.
func (c *regexpChecker) property(i int) (int, bool) {
	src := c.src
	if i >= len(src) || src[i] != '{' {
		return i, false
	}
	j := i + 1
	eq := -1
	for j < len(src) && src[j] != '}' {
		b := src[j]
		if b == '=' && eq < 0 {
			eq = j
		} else if !(b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
			return j, false
		}
		j++
	}
	if j >= len(src) {
		return j, false
	}
	if eq < 0 {
		return j + 1, validLoneProperty(string(src[i+1 : j]))
	}
	name, value := string(src[i+1:eq]), string(src[eq+1:j])
	switch name {
	case "General_Category", "gc":
		return j + 1, validCategory(value)
	case "Script", "sc", "Script_Extensions", "scx":
		_, ok := unicode.Scripts[value]
		return j + 1, ok
	}
	return j + 1, false
}

var categoryAliases = map[string]bool{
	"Letter": true, "Cased_Letter": true, "LC": true, "Uppercase_Letter": true, "Lowercase_Letter": true,
	"Titlecase_Letter": true, "Modifier_Letter": true, "Other_Letter": true, "Mark": true, "Combining_Mark": true,
	"Nonspacing_Mark": true, "Spacing_Mark": true, "Enclosing_Mark": true, "Number": true,
	"Decimal_Number": true, "digit": true, "Letter_Number": true, "Other_Number": true, "Punctuation": true, "punct": true,
	"Connector_Punctuation": true, "Dash_Punctuation": true, "Open_Punctuation": true, "Close_Punctuation": true,
	"Initial_Punctuation": true, "Final_Punctuation": true, "Other_Punctuation": true, "Symbol": true,
	"Math_Symbol": true, "Currency_Symbol": true, "Modifier_Symbol": true, "Other_Symbol": true,
	"Separator": true, "Space_Separator": true, "Line_Separator": true, "Paragraph_Separator": true,
	"Other": true, "Control": true, "cntrl": true, "Format": true, "Surrogate": true, "Private_Use": true,
	"Unassigned": true, "Cn": true,
}

var binaryProperties = map[string]bool{
	"ASCII": true, "ASCII_Hex_Digit": true, "AHex": true, "Alphabetic": true, "Alpha": true, "Any": true,
	"Assigned": true, "Bidi_Control": true, "Bidi_C": true, "Bidi_Mirrored": true, "Bidi_M": true,
	"Case_Ignorable": true, "CI": true, "Cased": true, "Changes_When_Casefolded": true, "CWCF": true,
	"Changes_When_Casemapped": true, "CWCM": true, "Changes_When_Lowercased": true, "CWL": true,
	"Changes_When_NFKC_Casefolded": true, "CWKCF": true, "Changes_When_Titlecased": true, "CWT": true,
	"Changes_When_Uppercased": true, "CWU": true, "Dash": true, "Default_Ignorable_Code_Point": true, "DI": true,
	"Deprecated": true, "Dep": true, "Diacritic": true, "Dia": true, "Emoji": true, "Emoji_Component": true,
	"EComp": true, "Emoji_Modifier": true, "EMod": true, "Emoji_Modifier_Base": true, "EBase": true,
	"Emoji_Presentation": true, "EPres": true, "Extended_Pictographic": true, "ExtPict": true, "Extender": true,
	"Ext": true, "Grapheme_Base": true, "Gr_Base": true, "Grapheme_Extend": true, "Gr_Ext": true,
	"Hex_Digit": true, "Hex": true, "IDS_Binary_Operator": true, "IDSB": true, "IDS_Trinary_Operator": true,
	"IDST": true, "ID_Continue": true, "IDC": true, "ID_Start": true, "IDS": true, "Ideographic": true,
	"Ideo": true, "Join_Control": true, "Join_C": true, "Logical_Order_Exception": true, "LOE": true,
	"Lowercase": true, "Lower": true, "Math": true, "Noncharacter_Code_Point": true, "NChar": true,
	"Pattern_Syntax": true, "Pat_Syn": true, "Pattern_White_Space": true, "Pat_WS": true,
	"Quotation_Mark": true, "QMark": true, "Radical": true, "Regional_Indicator": true, "RI": true,
	"Sentence_Terminal": true, "STerm": true, "Soft_Dotted": true, "SD": true, "Terminal_Punctuation": true,
	"Term": true, "Unified_Ideograph": true, "UIdeo": true, "Uppercase": true, "Upper": true,
	"Variation_Selector": true, "VS": true, "White_Space": true, "space": true, "XID_Continue": true,
	"XIDC": true, "XID_Start": true, "XIDS": true,
}

func validCategory(s string) bool {
	if _, ok := unicode.Categories[s]; ok {
		return true
	}
	return categoryAliases[s]
}

func validLoneProperty(s string) bool {
	return validCategory(s) || binaryProperties[s]
}

// class checks a character class from i (after '[') and returns the index
// after its ']'.
func (c *regexpChecker) class(i int) (int, bool) {
	src := c.src
	if c.v {
		return c.classSet(i)
	}
	if i < len(src) && src[i] == '^' {
		i++
	}
	// prev is the previous class atom's code point, -1 for a class escape
	// (\d and the like), and pending says a '-' follows it.
	prev, pending := rune(-2), false
	for i < len(src) {
		b := src[i]
		if b == ']' {
			return i + 1, true
		}
		var r rune
		if b == '\\' {
			if i+1 >= len(src) {
				return i, false
			}
			e := src[i+1]
			j, ok := c.charEscape(i, true)
			if !ok {
				return i, false
			}
			switch {
			case e == 'd' || e == 'D' || e == 's' || e == 'S' || e == 'w' || e == 'W' || (e == 'p' || e == 'P') && c.u:
				r = -1
			case e == 'b':
				r = 8
			default:
				r = escapeValue(src[i:j])
			}
			i = j
		} else if b >= utf8.RuneSelf {
			var n int
			r, n = utf8.DecodeRune(src[i:])
			i += n
		} else {
			r = rune(b)
			i++
		}
		if pending {
			pending = false
			if prev == -1 || r == -1 {
				if c.u {
					return i, false
				}
			} else if r < prev {
				return i, false
			}
			prev = -2
			continue
		}
		if r == '-' && b == '-' && prev != -2 && i < len(src) && src[i] != ']' {
			pending = true
			continue
		}
		prev = r
	}
	return i, false
}

// escapeValue returns the code point a character escape stands for, or the
// escaped character itself where the grammar makes it an identity escape.
func escapeValue(e []byte) rune {
	if len(e) < 2 {
		return 0
	}
	switch e[1] {
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'v':
		return '\v'
	case 'c':
		if len(e) == 3 {
			return rune(e[2] % 32)
		}
		return '\\'
	case 'x':
		if len(e) == 4 {
			return rune(hexVal(e[2])*16 + hexVal(e[3]))
		}
		return 'x'
	case 'u':
		if r, _ := unicodeEscape(e, 0); r >= 0 {
			return r
		}
		return 'u'
	}
	if e[1] >= '0' && e[1] <= '7' {
		v := rune(0)
		for _, d := range e[1:] {
			if d < '0' || d > '7' {
				break
			}
			v = v*8 + rune(d-'0')
		}
		return v
	}
	r, _ := utf8.DecodeRune(e[1:])
	return r
}

// Class set levels (regexpChecker.classSet).
const (
	csUnion = iota
	csIntersection
	csSubtraction
)

// classSet checks a v-flag ClassSetExpression from i (after '[') with its
// nested classes, iteratively, and returns the index after its ']'.
func (c *regexpChecker) classSet(i int) (int, bool) {
	src := c.src
	type level struct {
		op       uint8 // csUnion, csIntersection, csSubtraction
		operands int   // operands so far
		want     bool  // an operand must come next (after && or --)
		char     bool  // the last operand is a single character
		rangeOK  bool  // a '-' here would make a range
		ranged   bool  // a range was seen (union only)
		last     rune  // the last single character, for a range's order
	}
	var stack [64]level
	d := 0
	stack[0] = level{}
	if i < len(src) && src[i] == '^' {
		i++
	}
	for i < len(src) {
		l := &stack[d]
		b := src[i]
		// The operand or operator at i.
		isChar := false
		switch {
		case b == ']':
			if l.want {
				return i, false
			}
			if d == 0 {
				return i + 1, true
			}
			d--
			i++
			stack[d].operands++
			stack[d].want, stack[d].char, stack[d].rangeOK = false, false, false
			if stack[d].op == csUnion && stack[d].operands > 1 && false {
				return i, false
			}
			continue
		case b == '[':
			if l.op != csUnion && !l.want && l.operands > 0 {
				return i, false
			}
			if d+1 == len(stack) {
				return i, false
			}
			d++
			stack[d] = level{}
			i++
			if i < len(src) && src[i] == '^' {
				i++
			}
			continue
		case b == '&' && i+1 < len(src) && src[i+1] == '&', b == '-' && i+1 < len(src) && src[i+1] == '-':
			op := uint8(csIntersection)
			if b == '-' {
				op = csSubtraction
			}
			if l.operands == 0 || l.want || l.ranged || l.op == csUnion && l.operands > 1 || l.op != csUnion && l.op != op {
				return i, false
			}
			if b == '&' && i+2 < len(src) && src[i+2] == '&' {
				return i, false
			}
			l.op, l.want, l.rangeOK = op, true, false
			i += 2
			continue
		case b == '-':
			if l.op != csUnion || !l.rangeOK {
				return i, false
			}
			// A range: the next operand must be a single character.
			i++
			if i >= len(src) {
				return i, false
			}
			j, ch, ok := c.classSetOperand(i)
			if !ok || !ch || c.setChar(i, j) < l.last {
				return i, false
			}
			i = j
			l.rangeOK, l.ranged = false, true
			continue
		}
		j, ch, ok := c.classSetOperand(i)
		if !ok {
			return i, false
		}
		isChar = ch
		if l.op != csUnion && !l.want {
			return i, false
		}
		l.operands++
		l.want = false
		l.char = isChar
		l.rangeOK = isChar && l.op == csUnion
		if isChar {
			l.last = c.setChar(i, j)
		}
		i = j
	}
	return i, false
}

// classSetOperand reads a ClassSetCharacter, ClassStringDisjunction or
// class escape at i (not '[' or ']') and reports whether it is a single
// character.
func (c *regexpChecker) classSetOperand(i int) (int, bool, bool) {
	src := c.src
	b := src[i]
	if b == '\\' {
		if i+1 >= len(src) {
			return i, false, false
		}
		e := src[i+1]
		switch e {
		case 'q':
			if i+2 >= len(src) || src[i+2] != '{' {
				return i, false, false
			}
			j := i + 3
			for j < len(src) && src[j] != '}' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return j, false, false
			}
			return j + 1, false, true
		case 'd', 'D', 's', 'S', 'w', 'W':
			return i + 2, false, true
		case 'p', 'P':
			j, ok := c.property(i + 2)
			return j, false, ok
		case 'b':
			return i + 2, true, true
		case '&', '-', '!', '#', '%', ',', ':', ';', '<', '=', '>', '@', '`', '~':
			return i + 2, true, true
		}
		j, ok := c.charEscape(i, true)
		return j, true, ok
	}
	switch b {
	case '(', ')', '{', '}', '/', '|', '[', ']', '-':
		return i, false, false
	}
	if i+1 < len(src) && src[i+1] == b {
		switch b {
		case '&', '!', '#', '$', '%', '*', '+', ',', '.', ':', ';', '<', '=', '>', '?', '@', '^', '`', '~':
			return i, false, false
		}
	}
	if b >= utf8.RuneSelf {
		_, n := utf8.DecodeRune(src[i:])
		return i + n, true, true
	}
	return i + 1, true, true
}

// setChar returns the code point of the class set character src[i:j].
func (c *regexpChecker) setChar(i, j int) rune {
	if c.src[i] == '\\' {
		if c.src[i+1] == 'b' {
			return 8
		}
		return escapeValue(c.src[i:j])
	}
	r, _ := utf8.DecodeRune(c.src[i:j])
	return r
}
