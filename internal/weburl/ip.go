package weburl

import (
	"strconv"
	"strings"
)

// endsInNumber implements the URL standard's "ends in a number checker".
func endsInNumber(s string) bool {
	if strings.HasSuffix(s, ".") {
		if len(s) == 1 {
			return false
		}
		s = s[:len(s)-1]
	}
	last := s
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		last = s[i+1:]
	}
	if last == "" {
		return false
	}
	if allDigits(last) {
		return true
	}
	// "0x" or "0X" followed by zero or more hex digits.
	if len(last) >= 2 && last[0] == '0' && (last[1]|0x20) == 'x' {
		for i := 2; i < len(last); i++ {
			if !isHex(last[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// parseIPv4 implements the URL standard's IPv4 parser: one to four parts,
// each decimal, octal (leading 0) or hexadecimal (0x), the last one filling
// the remaining bytes.
func parseIPv4(s string) (uint32, error) {
	// Step 3: one trailing empty part is dropped.
	if strings.HasSuffix(s, ".") && len(s) > 1 {
		s = s[:len(s)-1]
	}
	var nums [4]uint64
	n := 0
	for {
		part := s
		i := strings.IndexByte(s, '.')
		if i >= 0 {
			part = s[:i]
		}
		// Step 4: more than four parts is failure.
		if n == 4 {
			return 0, errString("IPv4 address with more than four parts")
		}
		v, ok := parseIPv4Number(part)
		if !ok {
			return 0, errString("IPv4 part " + quote(part) + " is not a number")
		}
		nums[n] = v
		n++
		if i < 0 {
			break
		}
		s = s[i+1:]
	}
	// Steps 7-8: every part but the last fits a byte; the last fills the rest.
	for i := 0; i < n-1; i++ {
		if nums[i] > 255 {
			return 0, errString("IPv4 part out of range")
		}
	}
	if nums[n-1] >= 1<<(8*(5-n)) {
		return 0, errString("IPv4 address out of range")
	}
	v := uint32(nums[n-1])
	for i := 0; i < n-1; i++ {
		v += uint32(nums[i]) << (8 * (3 - i))
	}
	return v, nil
}

// parseIPv4Number implements the URL standard's IPv4 number parser. Values
// past 2^32 saturate, which is out of range for every caller.
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	radix := uint64(10)
	if len(s) >= 2 && s[0] == '0' && (s[1]|0x20) == 'x' {
		s, radix = s[2:], 16
	} else if len(s) >= 2 && s[0] == '0' {
		s, radix = s[1:], 8
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint64
		switch {
		case '0' <= c && c <= '9':
			d = uint64(c - '0')
		case radix == 16 && isHex(c):
			d = uint64(unhex(c))
		default:
			return 0, false
		}
		if d >= radix {
			return 0, false
		}
		if v <= 1<<33 {
			v = v*radix + d
		}
	}
	return v, true
}

func appendIPv4(b []byte, v uint32) []byte {
	for i := 3; i >= 0; i-- {
		b = strconv.AppendUint(b, uint64(v>>(8*i)&0xff), 10)
		if i > 0 {
			b = append(b, '.')
		}
	}
	return b
}

// isCanonicalIPv4 reports whether s is already v's dotted-decimal form.
func isCanonicalIPv4(s string, v uint32) bool {
	var buf [15]byte
	return string(appendIPv4(buf[:0], v)) == s
}

// parseIPv6 implements the URL standard's IPv6 parser on the text between
// the brackets.
func parseIPv6(s string, a *[8]uint16) error {
	*a = [8]uint16{}
	piece, compress := 0, -1
	p := 0
	if p < len(s) && s[p] == ':' {
		if p+1 >= len(s) || s[p+1] != ':' {
			return errString("IPv6 address starts with a lone ':'")
		}
		p += 2
		piece++
		compress = piece
	}
	for p < len(s) {
		if piece == 8 {
			return errString("IPv6 address with too many pieces")
		}
		if s[p] == ':' {
			if compress >= 0 {
				return errString("IPv6 address with more than one '::'")
			}
			p++
			piece++
			compress = piece
			continue
		}
		value, length := 0, 0
		for length < 4 && p < len(s) && isHex(s[p]) {
			value = value*16 + int(unhex(s[p]))
			p++
			length++
		}
		if p < len(s) && s[p] == '.' {
			// An embedded IPv4 address fills the last two pieces.
			if length == 0 {
				return errString("IPv6 address with an empty IPv4 part")
			}
			p -= length
			if piece > 6 {
				return errString("IPv6 address with an IPv4 part too late")
			}
			seen := 0
			for p < len(s) {
				v4 := -1
				if seen > 0 {
					if s[p] == '.' && seen < 4 {
						p++
					} else {
						return errString("IPv6 address with a malformed IPv4 part")
					}
				}
				if p >= len(s) || s[p] < '0' || s[p] > '9' {
					return errString("IPv6 address with a malformed IPv4 part")
				}
				for p < len(s) && s[p] >= '0' && s[p] <= '9' {
					n := int(s[p] - '0')
					switch {
					case v4 == -1:
						v4 = n
					case v4 == 0:
						return errString("IPv6 address with a leading zero in its IPv4 part")
					default:
						v4 = v4*10 + n
					}
					if v4 > 255 {
						return errString("IPv6 address with an IPv4 part out of range")
					}
					p++
				}
				a[piece] = a[piece]*0x100 + uint16(v4)
				seen++
				if seen == 2 || seen == 4 {
					piece++
				}
			}
			if seen != 4 {
				return errString("IPv6 address with too few IPv4 parts")
			}
			break
		}
		if p < len(s) && s[p] == ':' {
			p++
			if p >= len(s) {
				return errString("IPv6 address ends with a lone ':'")
			}
		} else if p < len(s) {
			return errString("invalid character in IPv6 address")
		}
		a[piece] = uint16(value)
		piece++
	}
	if compress >= 0 {
		swaps := piece - compress
		piece = 7
		for piece != 0 && swaps > 0 {
			a[piece], a[compress+swaps-1] = a[compress+swaps-1], a[piece]
			piece--
			swaps--
		}
	} else if piece != 8 {
		return errString("IPv6 address with too few pieces")
	}
	return nil
}

// appendIPv6 serializes a as the URL standard does: lowercase hex, the first
// longest run of two or more zero pieces compressed to "::".
func appendIPv6(b []byte, a *[8]uint16) []byte {
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if a[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && a[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	ignore0 := false
	for i := 0; i < 8; i++ {
		if ignore0 && a[i] == 0 {
			continue
		}
		ignore0 = false
		if i == best {
			if i == 0 {
				b = append(b, "::"...)
			} else {
				b = append(b, ':')
			}
			ignore0 = true
			continue
		}
		b = strconv.AppendUint(b, uint64(a[i]), 16)
		if i != 7 {
			b = append(b, ':')
		}
	}
	return b
}

// canonicalIPv6Literal returns lit when it is already the serialization of a.
func canonicalIPv6Literal(lit string, a *[8]uint16) (string, bool) {
	var buf [41]byte
	b := append(buf[:0], '[')
	b = appendIPv6(b, a)
	b = append(b, ']')
	if string(b) == lit {
		return lit, true
	}
	return "", false
}
