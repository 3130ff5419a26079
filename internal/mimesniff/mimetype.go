// Package mimesniff implements the parts of the WHATWG MIME Sniffing Standard
// and of Fetch that opaque response blocking (ORB) and Fetch's nosniff and
// MIME type checks need.
//
// A MIME type such as "text/html;charset=utf-8" has a type ("text"), a
// subtype ("html") and ordered parameters (charset → "utf-8"). Browsers do
// not read Content-Type as HTTP's grammar says: they run the MIME Sniffing
// Standard's forgiving parser, which lowercases the type, subtype and
// parameter names, skips parameters it cannot read, and keeps the first of
// two parameters with one name. [Parse] is that parser and
// [MIMEType.String] its serializer. [Extract] is Fetch's "extract a MIME
// type": it reads every Content-Type header of a response, split on commas
// outside quoted strings, and keeps the last MIME type it can parse.
// [NoSniff] is Fetch's "determine nosniff" for X-Content-Type-Options.
//
// When the type cannot be trusted, ORB looks at the first bytes of the body:
// [SniffImage] and [SniffAudioVideo] are the standard's image and audio or
// video type pattern matching algorithms, and never allocate.
//
// The standard defines parsing over strings of code points, and Fetch feeds
// it header bytes, isomorphically decoded: each byte is one code point in
// U+0000 to U+00FF. This package works on Go strings as such bytes, which is
// the same thing for header values. A caller with UTF-8 text should know that
// "é" is two bytes here (two code points in U+0080 to U+00FF, both allowed in
// parameter values), not one code point.
//
// See https://mimesniff.spec.whatwg.org/ and
// https://fetch.spec.whatwg.org/#content-type-header.
package mimesniff

import (
	"iter"
	"strconv"
	"strings"
)

// MIMEType is a parsed MIME type: a lowercase type and subtype and ordered
// parameters whose names are lowercase. It is a small comparable value that
// holds its serialization in two parts, so a == b is exactly "same
// serialized MIME type".
//
// The zero MIMEType is not a MIME type: IsZero reports true and every
// accessor returns "" (or false).
type MIMEType struct {
	// essence is "type/subtype", lowercase.
	essence string
	// params is the parameters as the serializer writes them, without the
	// leading ';': "name=value;name=value", values quoted where needed.
	params string
	// Each is a substring of the parsed input when the input already had
	// it in that form.
}

// ParseError reports input that is not a MIME type. The parser skips bad
// parameters, so only a bad type or subtype makes an error.
type ParseError struct {
	Input string // the input, as given
	Msg   string // what is wrong with it
}

func (e *ParseError) Error() string {
	in := e.Input
	if len(in) > 128 {
		in = in[:128] + "..."
	}
	return "mimesniff: " + strconv.Quote(in) + ": " + e.Msg
}

// IsZero reports whether m is the zero MIMEType, the result of a failed
// parse.
func (m MIMEType) IsZero() bool { return m.essence == "" }

// Essence returns "type/subtype", lowercase. It does not allocate.
func (m MIMEType) Essence() string { return m.essence }

// Type returns the type, lowercase ("text" in "text/html").
func (m MIMEType) Type() string {
	if i := strings.IndexByte(m.essence, '/'); i >= 0 {
		return m.essence[:i]
	}
	return ""
}

// Subtype returns the subtype, lowercase ("html" in "text/html").
func (m MIMEType) Subtype() string {
	if i := strings.IndexByte(m.essence, '/'); i >= 0 {
		return m.essence[i+1:]
	}
	return ""
}

// String returns the MIME type serialized as the standard's serializer
// does: the essence, then ";name=value" for each parameter in order, with a
// value in double quotes (and '"' and '\' escaped) unless it is a non-empty
// HTTP token. The zero MIMEType gives "". It allocates only to join the
// essence and the parameters.
//
// See https://mimesniff.spec.whatwg.org/#serialize-a-mime-type.
func (m MIMEType) String() string {
	if m.params == "" {
		return m.essence
	}
	return m.essence + ";" + m.params
}

// Param returns the value of the parameter with the given name, compared
// ASCII case-insensitively, and whether there is one. It allocates only when
// the value holds '"' or '\', which the serialization escapes.
func (m MIMEType) Param(name string) (string, bool) {
	raw, ok := m.rawParam(name)
	if !ok {
		return "", false
	}
	return unquote(raw), true
}

// Params returns the parameters in order, each name with its value.
func (m MIMEType) Params() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for p := m.params; p != ""; {
			var name, raw string
			name, raw, p = nextParam(p)
			if !yield(name, unquote(raw)) {
				return
			}
		}
	}
}

// rawParam returns the named parameter's value as serialized in m.params:
// a token, or a quoted string with its quotes.
func (m MIMEType) rawParam(name string) (string, bool) {
	for p := m.params; p != ""; {
		var pname, raw string
		pname, raw, p = nextParam(p)
		if equalFoldASCII(pname, name) {
			return raw, true
		}
	}
	return "", false
}

// nextParam reads one "name=value" from a parameter list this package
// wrote (so p has a '=' and a well-formed value) and returns the name, the
// value as written and the rest, less the ';' that begins it.
func nextParam(p string) (name, raw, rest string) {
	eq := strings.IndexByte(p, '=')
	name, p = p[:eq], p[eq+1:]
	end := len(p)
	if p != "" && p[0] == '"' {
		// A serialized quoted value ends at the first unescaped '"'.
		for i := 1; i < len(p); i++ {
			if p[i] == '\\' {
				i++
			} else if p[i] == '"' {
				end = i + 1
				break
			}
		}
	} else if i := strings.IndexByte(p, ';'); i >= 0 {
		end = i
	}
	raw, rest = p[:end], p[end:]
	if rest != "" {
		rest = rest[1:]
	}
	return name, raw, rest
}

// unquote turns a serialized value back into the value.
func unquote(raw string) string {
	if raw == "" || raw[0] != '"' {
		return raw
	}
	inner := raw[1 : len(raw)-1]
	if strings.IndexByte(inner, '\\') < 0 {
		return inner
	}
	b := make([]byte, 0, len(inner))
	for i := 0; i < len(inner); i++ {
		if inner[i] == '\\' {
			i++
		}
		b = append(b, inner[i])
	}
	return string(b)
}

// withParam returns m with the parameter name=raw appended; raw is a value
// as serialized, taken from another MIMEType.
func (m MIMEType) withParam(name, raw string) MIMEType {
	if m.params == "" {
		m.params = name + "=" + raw
	} else {
		m.params = m.params + ";" + name + "=" + raw
	}
	return m
}

// Parse parses a MIME type as the MIME Sniffing Standard's "parse a MIME
// type" does, returning a *ParseError when the type or subtype is missing or
// not an HTTP token. Parameters that cannot be read are skipped, not
// reported.
//
// Parse does not allocate when the type and subtype are lowercase and the
// parameters it keeps, from the first one's name to the end of the last
// one's value, are written as String writes them: "text/html",
// "application/json; charset=utf-8" and "text/html ;charset=utf-8 " cost
// nothing, and the result then shares memory with s. Other inputs cost one
// allocation, plus one per distinct parameter name past the eighth when
// there are many.
//
// See https://mimesniff.spec.whatwg.org/#parse-a-mime-type.
func Parse(s string) (MIMEType, error) {
	m, fail, at := parse(s)
	if fail == failNone {
		return m, nil
	}
	return MIMEType{}, &ParseError{Input: s, Msg: fail.message(s, at)}
}

// failure says why parse failed, without allocating; Parse turns it into a
// message.
type failure uint8

const (
	failNone failure = iota
	failEmpty
	failNoSlash
	failEmptyType
	failTypeCodePoint
	failEmptySubtype
	failSubtypeCodePoint
)

func (f failure) message(s string, at int) string {
	switch f {
	case failEmpty:
		return "empty or only HTTP white space"
	case failNoSlash:
		return `no "/" after the type`
	case failEmptyType:
		return "empty type"
	case failEmptySubtype:
		return "empty subtype"
	}
	part := "type"
	if f == failSubtypeCodePoint {
		part = "subtype"
	}
	return part + " has " + strconv.QuoteToASCII(s[at:at+1]) + " at byte " + strconv.Itoa(at) + ", not an HTTP token code point"
}

// parse is Parse without the error value; at is the byte of s a code point
// failure is about.
func parse(s string) (m MIMEType, fail failure, at int) {
	// Step 1: drop leading and trailing HTTP white space. lead keeps error
	// positions relative to s.
	lead := 0
	for lead < len(s) && isHTTPWhitespace(s[lead]) {
		lead++
	}
	in := trimRightHTTPWhitespace(s[lead:])
	if in == "" {
		return MIMEType{}, failEmpty, 0
	}

	// Steps 2-5: the type runs to the first '/', must be a non-empty run of
	// token code points, and must be followed by a '/'.
	slash := strings.IndexByte(in, '/')
	typeEnd := slash
	if slash < 0 {
		typeEnd = len(in)
	}
	if typeEnd == 0 {
		return MIMEType{}, failEmptyType, 0
	}
	if i := indexNonToken(in[:typeEnd]); i >= 0 {
		return MIMEType{}, failTypeCodePoint, lead + i
	}
	if slash < 0 {
		return MIMEType{}, failNoSlash, 0
	}

	// Steps 6-9: past the '/', the subtype runs to the first ';', loses
	// trailing HTTP white space, and must be a non-empty token.
	pos := len(in)
	if i := strings.IndexByte(in[slash+1:], ';'); i >= 0 {
		pos = slash + 1 + i
	}
	subEnd := slash + 1 + len(trimRightHTTPWhitespace(in[slash+1:pos]))
	if subEnd == slash+1 {
		return MIMEType{}, failEmptySubtype, 0
	}
	if i := indexNonToken(in[slash+1 : subEnd]); i >= 0 {
		return MIMEType{}, failSubtypeCodePoint, lead + slash + 1 + i
	}

	// Step 10: the essence, lowercase. The output stays a substring of in
	// for as long as in is already written the way the serializer writes it.
	o := output{in: in}
	o.lower(0, slash)
	o.char('/', slash)
	o.lower(slash+1, subEnd)
	essence := o.end()

	// Step 11: the parameters. pos is at a ';' or the end.
	var names nameSet
	for pos < len(in) {
		semi := pos
		// Step 11.1-2: skip the ';' and any HTTP white space.
		pos++
		for pos < len(in) && isHTTPWhitespace(in[pos]) {
			pos++
		}
		// Step 11.3-4: the name runs to a ';' or '='; it is lowercased when
		// written.
		nameStart := pos
		for pos < len(in) && in[pos] != ';' && in[pos] != '=' {
			pos++
		}
		nameEnd := pos
		// Step 11.5: a ';' ends a parameter without a value; otherwise skip
		// the '='.
		if pos < len(in) {
			if in[pos] == ';' {
				continue
			}
			pos++
		}
		// Step 11.6: nothing after the '=' ends the parameters.
		if pos >= len(in) {
			break
		}
		// Steps 11.7-9: the value.
		var v value
		if in[pos] == '"' {
			// Step 11.8: a quoted string, then anything up to the next ';'
			// is dropped.
			v = scanQuoted(in, pos)
			pos = v.end
			if i := strings.IndexByte(in[pos:], ';'); i >= 0 {
				pos += i
			} else {
				pos = len(in)
			}
		} else {
			// Step 11.9: up to the next ';', less trailing HTTP white
			// space; an empty value drops the parameter.
			start := pos
			if i := strings.IndexByte(in[pos:], ';'); i >= 0 {
				pos += i
			} else {
				pos = len(in)
			}
			end := start + len(trimRightHTTPWhitespace(in[start:pos]))
			if end == start {
				continue
			}
			v = scanUnquoted(in, start, end)
		}
		// Step 11.10: keep the parameter if its name is a non-empty token,
		// its value is all quoted-string token code points, and no earlier
		// parameter has its name.
		if nameEnd == nameStart || indexNonToken(in[nameStart:nameEnd]) >= 0 || !v.valid ||
			!names.add(in[nameStart:nameEnd]) {
			continue
		}
		// The parameter list starts at the first name; a ';' comes before
		// each later one.
		if names.len() == 1 {
			o.begin(nameStart)
		} else {
			o.char(';', semi)
		}
		o.lower(nameStart, nameEnd)
		o.char('=', nameEnd)
		o.value(v)
	}
	params := o.end()
	m.essence, m.params = o.string(essence), o.string(params)
	return m, failNone, 0
}

// value describes a parameter value found in the input.
type value struct {
	quoted     bool // it was a quoted string, in[start:end] with its quotes
	start, end int
	valid      bool // every code point is an HTTP quoted-string token code point
	token      bool // it is a non-empty HTTP token, so it serializes unquoted
	// canonical reports, for a quoted value, that in[start:end] is exactly
	// what the serializer writes for it.
	canonical bool
}

func scanUnquoted(in string, start, end int) value {
	v := value{start: start, end: end, valid: true, token: true}
	for i := start; i < end; i++ {
		c := in[i]
		if !isQuotedStringToken(c) {
			v.valid = false
		}
		if !isToken(c) {
			v.token = false
		}
	}
	return v
}

// scanQuoted runs Fetch's "collect an HTTP quoted string" with extract-value
// true from in[start], which is '"', describing the value it collects.
//
// See https://fetch.spec.whatwg.org/#collect-an-http-quoted-string.
func scanQuoted(in string, start int) value {
	v := value{quoted: true, start: start, valid: true, token: true, canonical: true}
	empty := true
	i := start + 1
	for {
		if i >= len(in) {
			// Unterminated: the serializer would add the closing quote.
			v.canonical = false
			break
		}
		c := in[i]
		if c == '"' {
			i++
			break
		}
		if c == '\\' {
			if i+1 >= len(in) {
				// A '\' that ends the input is itself part of the value.
				v.canonical = false
				i++
			} else {
				c = in[i+1]
				// The serializer escapes exactly '"' and '\'.
				if c != '"' && c != '\\' {
					v.canonical = false
				}
				i += 2
			}
		} else {
			i++
		}
		empty = false
		if !isQuotedStringToken(c) {
			v.valid = false
		}
		if !isToken(c) {
			v.token = false
		}
	}
	if empty {
		v.token = false
	}
	if v.token {
		// A token value is serialized without quotes.
		v.canonical = false
	}
	v.end = i
	return v
}

// output builds a serialization in parts (the essence, the parameters).
// While a part is a substring of in (the input is already written as the
// serializer writes it), it is only the span in[from:w]; at its first
// difference it is copied into b, shared by all parts so that a parse
// allocates once at most.
type output struct {
	in   string
	b    strings.Builder
	own  bool // the current part is being written into b, from b[from:]
	from int
	w    int
}

// span is a finished part: in[from:to], or b[from:to] when inB.
type span struct {
	inB      bool
	from, to int
}

// begin starts a new part at in[at].
func (o *output) begin(at int) {
	o.own, o.from, o.w = false, at, at
}

// end finishes the current part and starts an empty one.
func (o *output) end() span {
	var sp span
	if o.own {
		sp = span{true, o.from, o.b.Len()}
	} else {
		sp = span{false, o.from, o.w}
	}
	o.begin(o.w)
	return sp
}

// string returns a finished part. Once it is called, b takes no more
// writes.
func (o *output) string(sp span) string {
	if sp.inB {
		return o.b.String()[sp.from:sp.to]
	}
	return o.in[sp.from:sp.to]
}

// diverge copies the current part so far into b, where it goes on.
func (o *output) diverge() {
	if !o.own {
		if o.b.Cap() == 0 {
			o.b.Grow(len(o.in) + 8)
		}
		start := o.b.Len()
		o.b.WriteString(o.in[o.from:o.w])
		o.own, o.from = true, start
	}
}

// verbatim appends in[start:end].
func (o *output) verbatim(start, end int) {
	if !o.own && start == o.w {
		o.w = end
		return
	}
	o.diverge()
	o.b.WriteString(o.in[start:end])
}

// lower appends in[start:end], ASCII lowercased.
func (o *output) lower(start, end int) {
	if !o.own && start == o.w && !hasUpperASCII(o.in[start:end]) {
		o.w = end
		return
	}
	o.diverge()
	for i := start; i < end; i++ {
		o.b.WriteByte(toLowerASCII(o.in[i]))
	}
}

// char appends c, which the input has at in[at] when that is where the
// output would continue it.
func (o *output) char(c byte, at int) {
	if !o.own && at == o.w && at < len(o.in) && o.in[at] == c {
		o.w++
		return
	}
	o.diverge()
	o.b.WriteByte(c)
}

// value appends a parameter value as the serializer writes it.
func (o *output) value(v value) {
	switch {
	case !v.quoted && v.token, v.quoted && v.canonical:
		o.verbatim(v.start, v.end)
		return
	case !v.quoted:
		o.diverge()
		o.b.WriteByte('"')
		for i := v.start; i < v.end; i++ {
			o.escaped(o.in[i])
		}
		o.b.WriteByte('"')
		return
	}
	// A quoted value written otherwise: decode it again and write it out.
	o.diverge()
	if !v.token {
		o.b.WriteByte('"')
	}
	in := o.in
	for i := v.start + 1; i < len(in) && in[i] != '"'; {
		c := in[i]
		if c == '\\' && i+1 < len(in) {
			c = in[i+1]
			i += 2
		} else {
			i++
		}
		o.escaped(c)
	}
	if !v.token {
		o.b.WriteByte('"')
	}
}

// escaped writes c, preceded by '\' when it is '"' or '\'.
func (o *output) escaped(c byte) {
	if c == '"' || c == '\\' {
		o.b.WriteByte('\\')
	}
	o.b.WriteByte(c)
}

// nameSet holds the parameter names kept so far. A few sit in an array;
// past that, in a map, so that many parameters do not cost quadratic time.
type nameSet struct {
	small [8]string
	n     int // names in small
	count int // names in all
	big   map[string]struct{}
}

func (s *nameSet) len() int { return s.count }

// add adds name unless a name ASCII case-insensitively equal to it is
// there, and reports whether it added it.
func (s *nameSet) add(name string) bool {
	if s.big != nil {
		key := strings.ToLower(name) // names are tokens: ASCII only
		if _, ok := s.big[key]; ok {
			return false
		}
		s.big[key] = struct{}{}
		s.count++
		return true
	}
	for _, have := range s.small[:s.n] {
		if equalFoldASCII(have, name) {
			return false
		}
	}
	s.count++
	if s.n < len(s.small) {
		s.small[s.n] = name
		s.n++
		return true
	}
	s.big = make(map[string]struct{}, 2*len(s.small))
	for _, have := range s.small {
		s.big[strings.ToLower(have)] = struct{}{}
	}
	s.big[strings.ToLower(name)] = struct{}{}
	return true
}

// isHTTPWhitespace reports whether c is HTTP white space: TAB, LF, CR or
// SPACE (not FF, unlike ASCII white space).
func isHTTPWhitespace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\r' || c == ' '
}

// TrimHTTPWhitespace removes leading and trailing HTTP white space from s,
// as Fetch's header value normalization does.
func TrimHTTPWhitespace(s string) string {
	for s != "" && isHTTPWhitespace(s[0]) {
		s = s[1:]
	}
	return trimRightHTTPWhitespace(s)
}

func trimRightHTTPWhitespace(s string) string {
	for s != "" && isHTTPWhitespace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// tokenSet has bit c set for each HTTP token code point c: the ASCII
// alphanumerics and !#$%&'*+-.^_`|~.
var tokenSet = func() (t [256]bool) {
	for _, c := range []byte("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
		t[c] = true
	}
	return t
}()

func isToken(c byte) bool { return tokenSet[c] }

// indexNonToken returns the index of the first byte of s that is not an
// HTTP token code point, or -1.
func indexNonToken(s string) int {
	for i := 0; i < len(s); i++ {
		if !tokenSet[s[i]] {
			return i
		}
	}
	return -1
}

// isQuotedStringToken reports whether c is an HTTP quoted-string token code
// point: TAB, U+0020 to U+007E, or U+0080 to U+00FF.
func isQuotedStringToken(c byte) bool {
	return c == '\t' || (c >= 0x20 && c != 0x7F)
}

func toLowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func hasUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// equalFoldASCII reports whether a and b are equal under ASCII case
// folding only. (strings.EqualFold also folds non-ASCII letters, such as
// U+212A KELVIN SIGN to "k", which the standards do not.)
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if toLowerASCII(a[i]) != toLowerASCII(b[i]) {
			return false
		}
	}
	return true
}
