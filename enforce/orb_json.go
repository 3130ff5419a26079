package enforce

// maxJSONDepth bounds the nesting isJSON follows. Past it the body is
// taken as not JSON; it is not JavaScript either (jsscript.MaxDepth is
// smaller), so ORB's verdict is the one a parser without a bound would
// reach, and the check keeps its state in 512 bytes of the goroutine's
// stack whatever the body.
const maxJSONDepth = 4096

// isJSON reports whether b (UTF-8, without a byte order mark) is one JSON
// text (ECMA-404, as JSON.parse reads it: Infra's "parse JSON bytes to a
// JavaScript value"). It does not allocate. Bytes that are not UTF-8 can
// only stand inside strings, where decoding makes them U+FFFD, which is
// valid there; so they are not checked.
func isJSON(b []byte) bool {
	// One bit a level: set for an object, clear for an array.
	var stack [maxJSONDepth / 64]uint64
	depth := 0
	i := skipJSONSpace(b, 0)
	// The parser is at a value, or just past one.
	for {
		// A value.
		if i >= len(b) {
			return false
		}
		switch c := b[i]; {
		case c == '{' || c == '[':
			if depth == maxJSONDepth {
				return false
			}
			if c == '{' {
				stack[depth/64] |= 1 << (depth % 64)
			} else {
				stack[depth/64] &^= 1 << (depth % 64)
			}
			depth++
			i = skipJSONSpace(b, i+1)
			if i < len(b) && (c == '{' && b[i] == '}' || c == '[' && b[i] == ']') {
				depth--
				i++
				break // an empty container is a whole value
			}
			if c == '{' {
				// A member: a string key, a colon, then the value.
				if i = jsonKey(b, i); i < 0 {
					return false
				}
			}
			continue
		case c == '"':
			if i = jsonString(b, i); i < 0 {
				return false
			}
		case c == '-' || '0' <= c && c <= '9':
			if i = jsonNumber(b, i); i < 0 {
				return false
			}
		case c == 't':
			if i = jsonLiteral(b, i, "true"); i < 0 {
				return false
			}
		case c == 'f':
			if i = jsonLiteral(b, i, "false"); i < 0 {
				return false
			}
		case c == 'n':
			if i = jsonLiteral(b, i, "null"); i < 0 {
				return false
			}
		default:
			return false
		}
		// Past a value: close containers, or go on to the next item.
		for {
			i = skipJSONSpace(b, i)
			if depth == 0 {
				return i == len(b)
			}
			if i >= len(b) {
				return false
			}
			object := stack[(depth-1)/64]&(1<<((depth-1)%64)) != 0
			switch {
			case b[i] == ',':
				i = skipJSONSpace(b, i+1)
				if object {
					if i = jsonKey(b, i); i < 0 {
						return false
					}
				}
			case object && b[i] == '}', !object && b[i] == ']':
				depth--
				i++
				continue
			default:
				return false
			}
			break
		}
	}
}

// skipJSONSpace returns the index of the first byte at or after i that is
// not JSON white space.
func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// jsonKey reads a member's key and its colon at i, and returns the index
// of the member's value (after white space), or -1.
func jsonKey(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	if i = jsonString(b, i); i < 0 {
		return -1
	}
	i = skipJSONSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return -1
	}
	return skipJSONSpace(b, i+1)
}

// jsonString reads the string that starts at b[i] == '"' and returns the
// index past it, or -1.
func jsonString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		case c == '\\':
			i++
			if i >= len(b) {
				return -1
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) {
					return -1
				}
				for _, h := range b[i+1 : i+5] {
					if !isHexDigit(h) {
						return -1
					}
				}
				i += 4
			default:
				return -1
			}
		}
	}
	return -1
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f'
}

// jsonNumber reads the number at b[i] and returns the index past it, or
// -1: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
func jsonNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	digits := func(i int) int {
		j := i
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		if j == i {
			return -1
		}
		return j
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	default:
		if i = digits(i); i < 0 {
			return -1
		}
	}
	if i < len(b) && b[i] == '.' {
		if i = digits(i + 1); i < 0 {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i = digits(i); i < 0 {
			return -1
		}
	}
	return i
}

// jsonLiteral reads lit at b[i] and returns the index past it, or -1.
func jsonLiteral(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}
