package mimesniff

import "strings"

// Extract runs Fetch's "extract a MIME type" on a response's Content-Type
// header values, in order (as http.Header.Values returns them), and reports
// false for failure: no header, or no value that parses to a MIME type other
// than "*/*".
//
// The values are combined and split as Fetch's "get, decode, and split"
// does: joined with ", ", then split on commas outside double-quoted strings,
// each piece losing leading and trailing tabs and spaces. So one header may
// hold several MIME types, and an unclosed quote in one header runs on into
// the next. The last piece that parses wins, with one twist: when it has the
// same essence as the piece that last changed the essence, and no charset
// parameter of its own, it gets that piece's charset, appended as its last
// parameter.
//
// Extract allocates only where Parse would for a piece, to carry a charset
// over, and to join the headers when one other than the last ends inside a
// quoted string: a lone "text/html; charset=utf-8" costs nothing.
//
// See https://fetch.spec.whatwg.org/#concept-header-extract-mime-type.
func Extract(values []string) (MIMEType, bool) {
	// Step 4-5: getting the header gives null when there is none.
	if len(values) == 0 {
		return MIMEType{}, false
	}
	// Combining the headers with ", " only matters when a quoted string
	// runs from one header into the next; otherwise each header splits on
	// its own into the same pieces.
	var joined [1]string
	if spills(values) {
		joined[0] = strings.Join(values, ", ")
		values = joined[:]
	}

	// Steps 1-3: charset and essence start null; hasEssence stands for
	// essence being non-null, charset == "" (never a serialized value) for
	// charset being null.
	var (
		mimeType   MIMEType
		essence    string
		hasEssence bool
		charset    string
	)
	// Step 6: each piece in turn.
	for _, v := range values {
		for more := true; more; {
			var piece string
			piece, v, more = cutListItem(v)
			// Steps 6.1-2: skip what does not parse, and "*/*".
			t, fail, _ := parse(piece)
			if fail != failNone || t.Essence() == "*/*" {
				continue
			}
			// Step 6.3.
			mimeType = t
			if !hasEssence || t.Essence() != essence {
				// Step 6.4: a new essence takes its own charset, or none.
				charset, _ = t.rawParam("charset")
				essence, hasEssence = t.Essence(), true
			} else if charset != "" {
				// Step 6.5: the same essence without a charset inherits it.
				if _, ok := t.rawParam("charset"); !ok {
					mimeType = t.withParam("charset", charset)
				}
			}
		}
	}
	// Steps 7-8.
	return mimeType, !mimeType.IsZero()
}

// NoSniff runs Fetch's "determine nosniff" on a response's
// X-Content-Type-Options header values, in order: it reports whether the
// first item of the combined, comma-split list is "nosniff", ASCII
// case-insensitively. Only tabs and spaces around the item are ignored:
// "nosniff\f" is not nosniff. No header, an empty first item
// (", nosniff") or another first item ("sniff, nosniff") is false.
//
// See https://fetch.spec.whatwg.org/#determine-nosniff.
func NoSniff(values []string) bool {
	// Step 2: no header.
	if len(values) == 0 {
		return false
	}
	// Step 3: the first item. It lies in the first header: were an unclosed
	// quote to carry it into the next, it would hold a '"' and not match.
	first, _, _ := cutListItem(values[0])
	return equalFoldASCII(first, "nosniff")
}

// cutListItem takes the first item off a header value as Fetch's "get,
// decode, and split" does: up to the first comma outside a quoted string,
// without leading and trailing tabs and spaces. more reports whether a
// comma followed it, so that another item (maybe empty) comes after.
//
// See https://fetch.spec.whatwg.org/#header-value-get-decode-and-split.
func cutListItem(v string) (item, rest string, more bool) {
	for i := 0; i < len(v); {
		switch v[i] {
		case ',':
			return trimTabSpace(v[:i]), v[i+1:], true
		case '"':
			i, _ = skipQuoted(v, i)
		default:
			i++
		}
	}
	return trimTabSpace(v), "", false
}

// skipQuoted runs Fetch's "collect an HTTP quoted string" from v[i], which
// is '"', and returns the index after it and whether it was closed.
func skipQuoted(v string, i int) (end int, closed bool) {
	for i++; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return len(v), false
}

// spills reports whether a header value other than the last ends inside a
// quoted string.
func spills(values []string) bool {
	for _, v := range values[:len(values)-1] {
		for i := 0; i < len(v); {
			if v[i] != '"' {
				i++
				continue
			}
			var closed bool
			if i, closed = skipQuoted(v, i); !closed {
				return true
			}
		}
	}
	return false
}

func trimTabSpace(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}
