package fetchctx

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// A minimal parser for a Structured Field item (RFC 9651 §4.2.3): enough to
// tell a token from other bare items and to read a string parameter. Every
// bare item type is recognized, so that a valid item with, say, a date
// parameter is not rejected.

type sfKind uint8

const (
	sfOther sfKind = iota
	sfToken
	sfString
)

type sfItem struct {
	kind     sfKind
	value    string // the token, or the string's value
	reportTo string // the report-to parameter, when it is a string
}

type sfError struct {
	at  int
	msg string
}

func (e *sfError) Error() string {
	return fmt.Sprintf("structured field item: %s at byte %d", e.msg, e.at)
}

// parseItem parses s as an item: bare item, parameters, nothing after.
func parseItem(s string) (sfItem, error) {
	var it sfItem
	p := 0
	// RFC 9651 §4.2, step 2: discard leading SP.
	for p < len(s) && s[p] == ' ' {
		p++
	}
	var err error
	it.kind, it.value, p, err = parseBareItem(s, p)
	if err != nil {
		return it, err
	}
	// Parameters: *( ";" *SP key [ "=" bare-item ] ).
	for p < len(s) && s[p] == ';' {
		p++
		for p < len(s) && s[p] == ' ' {
			p++
		}
		start := p
		if p >= len(s) || !(isLcalpha(s[p]) || s[p] == '*') {
			return it, &sfError{p, "bad parameter key"}
		}
		for p < len(s) && (isLcalpha(s[p]) || isDigitB(s[p]) || s[p] == '_' || s[p] == '-' || s[p] == '.' || s[p] == '*') {
			p++
		}
		key := s[start:p]
		kind, val := sfOther, ""
		if p < len(s) && s[p] == '=' {
			kind, val, p, err = parseBareItem(s, p+1)
			if err != nil {
				return it, err
			}
		}
		if key == "report-to" {
			// A later parameter with the same key overwrites the earlier.
			it.reportTo = ""
			if kind == sfString {
				it.reportTo = val
			}
		}
	}
	// Step 6: discard trailing SP; anything left is failure.
	for p < len(s) && s[p] == ' ' {
		p++
	}
	if p != len(s) {
		return it, &sfError{p, fmt.Sprintf("unexpected %q", s[p:p+1])}
	}
	return it, nil
}

func parseBareItem(s string, p int) (sfKind, string, int, error) {
	if p >= len(s) {
		return sfOther, "", p, &sfError{p, "missing item"}
	}
	c := s[p]
	switch {
	case c == '"':
		// String: printable ASCII, with \" and \\ escapes.
		var b []byte
		for p++; p < len(s); p++ {
			c := s[p]
			switch {
			case c == '\\':
				p++
				if p >= len(s) || (s[p] != '"' && s[p] != '\\') {
					return sfOther, "", p, &sfError{p, "bad escape in string"}
				}
				b = append(b, s[p])
			case c == '"':
				return sfString, string(b), p + 1, nil
			case c < 0x20 || c > 0x7e:
				return sfOther, "", p, &sfError{p, "invalid character in string"}
			default:
				b = append(b, c)
			}
		}
		return sfOther, "", p, &sfError{p, "unterminated string"}
	case isAlphaB(c) || c == '*':
		// Token: ALPHA or "*", then tchar, ":" or "/".
		start := p
		for p++; p < len(s) && (isTchar(s[p]) || s[p] == ':' || s[p] == '/'); p++ {
		}
		return sfToken, s[start:p], p, nil
	case c == '-' || isDigitB(c):
		return parseNumber(s, p)
	case c == '?':
		if p+1 < len(s) && (s[p+1] == '0' || s[p+1] == '1') {
			return sfOther, s[p : p+2], p + 2, nil
		}
		return sfOther, "", p, &sfError{p, "bad boolean"}
	case c == ':':
		// Byte sequence: base64 between colons.
		for q := p + 1; q < len(s); q++ {
			if s[q] == ':' {
				return sfOther, s[p : q+1], q + 1, nil
			}
			if !(isAlphaB(s[q]) || isDigitB(s[q]) || s[q] == '+' || s[q] == '/' || s[q] == '=') {
				return sfOther, "", q, &sfError{q, "bad byte sequence"}
			}
		}
		return sfOther, "", p, &sfError{p, "unterminated byte sequence"}
	case c == '@':
		// RFC 9651 §4.2.9: a date is "@" and an integer, not a decimal.
		kind, v, q, err := parseNumber(s, p+1)
		if err == nil && strings.IndexByte(v, '.') >= 0 {
			err = &sfError{p, "decimal date"}
		}
		if err != nil {
			return sfOther, "", q, err
		}
		return kind, s[p:q], q, nil
	case c == '%':
		return parseDisplayString(s, p)
	}
	return sfOther, "", p, &sfError{p, fmt.Sprintf("unexpected %q", s[p:p+1])}
}

// parseNumber parses an integer or a decimal at s[p:] (RFC 9651 §4.2.4):
// an optional "-", then at most 15 digits, or at most 12 digits, ".", and
// one to three digits.
func parseNumber(s string, p int) (sfKind, string, int, error) {
	start := p
	if p < len(s) && s[p] == '-' {
		p++
	}
	// Step 4: the first character after the sign must be a digit.
	if p >= len(s) || !isDigitB(s[p]) {
		return sfOther, "", p, &sfError{start, "bad number"}
	}
	n, dot := 0, -1 // n: length of input_number, dot: its index of "."
loop:
	for ; p < len(s); p++ {
		switch {
		case isDigitB(s[p]):
		case s[p] == '.' && dot < 0:
			// Step 5.3.1: at most 12 digits before the ".".
			if n > 12 {
				return sfOther, "", p, &sfError{start, "bad number"}
			}
			dot = n
		default:
			break loop
		}
		n++
		// Steps 5.5-5.6: at most 15 digits, or 16 characters for a decimal.
		if dot < 0 && n > 15 || n > 16 {
			return sfOther, "", p, &sfError{start, "bad number"}
		}
	}
	// Steps 7.1-7.2: a decimal has one to three digits after the ".".
	if dot >= 0 && (n-dot-1 < 1 || n-dot-1 > 3) {
		return sfOther, "", p, &sfError{start, "bad number"}
	}
	return sfOther, s[start:p], p, nil
}

// parseDisplayString parses a display string at s[p:] (RFC 9651 §4.2.10):
// "%" DQUOTE, printable ASCII with lowercase %xx escapes, DQUOTE; the
// decoded bytes must be UTF-8.
func parseDisplayString(s string, p int) (sfKind, string, int, error) {
	start := p
	if p+1 >= len(s) || s[p+1] != '"' {
		return sfOther, "", p, &sfError{p, "bad display string"}
	}
	var b []byte
	for p += 2; p < len(s); p++ {
		c := s[p]
		switch {
		case c < 0x20 || c > 0x7e:
			return sfOther, "", p, &sfError{p, "invalid character in display string"}
		case c == '%':
			if p+2 >= len(s) || !isLcHex(s[p+1]) || !isLcHex(s[p+2]) {
				return sfOther, "", p, &sfError{p, "bad escape in display string"}
			}
			b = append(b, unhexB(s[p+1])<<4|unhexB(s[p+2]))
			p += 2
		case c == '"':
			if !utf8.Valid(b) {
				return sfOther, "", p, &sfError{start, "display string is not UTF-8"}
			}
			return sfOther, string(b), p + 1, nil
		default:
			b = append(b, c)
		}
	}
	return sfOther, "", p, &sfError{p, "unterminated display string"}
}

func isLcHex(c byte) bool { return isDigitB(c) || 'a' <= c && c <= 'f' }

func unhexB(c byte) byte {
	if isDigitB(c) {
		return c - '0'
	}
	return c - 'a' + 10
}

func isLcalpha(c byte) bool { return 'a' <= c && c <= 'z' }
func isAlphaB(c byte) bool  { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigitB(c byte) bool  { return '0' <= c && c <= '9' }

// isTchar reports whether c is an RFC 9110 token character.
func isTchar(c byte) bool {
	if isAlphaB(c) || isDigitB(c) {
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}
