package htmlscan

import (
	"bytes"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"

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
// as CSS Syntax does (with github.com/tdewolff/parse/v2/css) and does not
// evaluate: a url() in a rule no element matches, or in a property that a
// later declaration overrides, is listed too, as a crawler checking what
// may load wants it; a URL that starts with "#" (a same-document
// reference) and the empty URL (CSS Values: an invalid resource) are not.
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
	l := css.NewLexer(parse.NewInputBytes(src))
	var (
		depth      int  // brace depth
		fontDepth  = -1 // the depth inside an @font-face block, -1 outside
		pendingAt  string
		inImport   bool
		afterURLFn bool // a url( function token, waiting for its string
	)
	for {
		tt, text := l.Next()
		switch tt {
		case css.ErrorToken:
			return refs
		case css.AtKeywordToken:
			pendingAt = strings.ToLower(string(text))
			inImport = pendingAt == "@import"
		case css.LeftBraceToken:
			depth++
			if pendingAt == "@font-face" {
				fontDepth = depth
			}
			pendingAt, inImport = "", false
		case css.RightBraceToken:
			if depth == fontDepth {
				fontDepth = -1
			}
			depth--
		case css.SemicolonToken:
			pendingAt, inImport = "", false
		case css.URLToken:
			add(unquote(urlTokenValue(text)), pick(inImport, fontDepth >= 0, style, font, image))
			inImport = false
		case css.FunctionToken:
			afterURLFn = bytes.EqualFold(text, []byte("url("))
			continue
		case css.StringToken:
			if afterURLFn || inImport {
				add(unquote(string(text)), pick(inImport, fontDepth >= 0, style, font, image))
				inImport = false
			}
		case css.WhitespaceToken, css.CommentToken:
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

// urlTokenValue returns the inside of a url(...) token.
func urlTokenValue(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSuffix(strings.TrimRight(s, " \t\n\r\f"), ")")
}

// unquote removes the quotes of a CSS string and its escapes of
// non-hex characters (a hex escape is kept as written: URLs in
// stylesheets rarely use them).
func unquote(s string) string {
	s = strings.Trim(s, " \t\n\r\f")
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && !isHex(s[i+1]) && s[i+1] != '\n' {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
