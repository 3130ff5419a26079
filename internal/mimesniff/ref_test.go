package mimesniff_test

import "strings"

// refParse is "parse a MIME type" followed by "serialize a MIME type",
// written step by step from the standard with a position variable, an
// ordered list for the parameter map and no attempt at speed. It is the
// oracle that Parse, which avoids copying, is checked against. It returns
// false for failure.
func refParse(input string) (string, bool) {
	const httpWS = "\t\n\r "
	// 1. Remove leading and trailing HTTP whitespace.
	input = strings.Trim(input, httpWS)
	// 2. A position variable.
	pos := 0
	collect := func(keep func(c byte) bool) string {
		start := pos
		for pos < len(input) && keep(input[pos]) {
			pos++
		}
		return input[start:pos]
	}
	// 3-4. The type.
	typ := collect(func(c byte) bool { return c != '/' })
	if typ == "" || !refSolely(typ, refIsToken) {
		return "", false
	}
	// 5-6.
	if pos >= len(input) {
		return "", false
	}
	pos++
	// 7-9. The subtype.
	sub := collect(func(c byte) bool { return c != ';' })
	sub = strings.TrimRight(sub, httpWS)
	if sub == "" || !refSolely(sub, refIsToken) {
		return "", false
	}
	// 10.
	type param struct{ name, value string }
	var params []param
	// 11.
	for pos < len(input) {
		// 11.1-2.
		pos++
		collect(func(c byte) bool { return strings.IndexByte(httpWS, c) >= 0 })
		// 11.3-4.
		name := refLower(collect(func(c byte) bool { return c != ';' && c != '=' }))
		// 11.5.
		if pos < len(input) {
			if input[pos] == ';' {
				continue
			}
			pos++
		}
		// 11.6.
		if pos >= len(input) {
			break
		}
		// 11.7-9.
		var value string
		if input[pos] == '"' {
			value = refCollectQuoted(input, &pos)
			collect(func(c byte) bool { return c != ';' })
		} else {
			value = collect(func(c byte) bool { return c != ';' })
			value = strings.TrimRight(value, httpWS)
			if value == "" {
				continue
			}
		}
		// 11.10.
		exists := false
		for _, p := range params {
			if p.name == name {
				exists = true
			}
		}
		if name != "" && refSolely(name, refIsToken) && refSolely(value, refIsQuotedStringToken) && !exists {
			params = append(params, param{name, value})
		}
	}

	// Serialize.
	out := refLower(typ) + "/" + refLower(sub)
	for _, p := range params {
		v := p.value
		if v == "" || !refSolely(v, refIsToken) {
			v = `"` + strings.NewReplacer(`"`, `\"`, `\`, `\\`).Replace(v) + `"`
		}
		out += ";" + p.name + "=" + v
	}
	return out, true
}

// refCollectQuoted is Fetch's "collect an HTTP quoted string" with
// extract-value true.
func refCollectQuoted(input string, pos *int) string {
	value := ""
	*pos++
	for {
		for *pos < len(input) && input[*pos] != '"' && input[*pos] != '\\' {
			value += input[*pos : *pos+1]
			*pos++
		}
		if *pos >= len(input) {
			break
		}
		quoteOrBackslash := input[*pos]
		*pos++
		if quoteOrBackslash == '\\' {
			if *pos >= len(input) {
				value += `\`
				break
			}
			value += input[*pos : *pos+1]
			*pos++
		} else {
			break
		}
	}
	return value
}

func refSolely(s string, f func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !f(s[i]) {
			return false
		}
	}
	return true
}

func refIsToken(c byte) bool {
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 ||
		'0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func refIsQuotedStringToken(c byte) bool {
	return c == 0x09 || 0x20 <= c && c <= 0x7E || 0x80 <= c
}

func refLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
