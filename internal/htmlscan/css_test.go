package htmlscan_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/internal/htmlscan"
)

// TestStyleRefsTokenizer covers the tokenizer's edges (CSS Syntax Level 3
// §4): escapes, bad strings and bad URLs, EOF inside a token, comments,
// and at-keywords and url( in unusual spellings. Each want is "URL
// destination", in order.
func TestStyleRefsTokenizer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		css  string
		want []string
	}{
		{"hex escape in url", `p{background:url(a\29 b.png)}`, []string{"a)b.png image"}},
		{"hex escape, CRLF after it is one white space", "p{background:url(a\\62\r\nc)}", []string{"abc image"}},
		{"escaped paren in url", `p{background:url(a\)b)}`, []string{"a)b image"}},
		{"escape of zero, surrogate, too big", `p{background:url(\0 \D800 \110000 )}`, []string{"\uFFFD\uFFFD\uFFFD image"}},
		{"escape in string", `@import "a\"b\62 .css";`, []string{`a"bb.css style`}},
		{"escaped newline in string is nothing", "@import \"a\\\r\nb.css\";", []string{"ab.css style"}},
		{"newline ends a bad string", "@import \"a.css\n; p{background:url(x)}", []string{"x image"}},
		{"bad string after url(", "p{background:url( 'a\n); b:url(y)}", []string{"y image"}},
		{"unterminated string at EOF", `@import "a.css`, []string{"a.css style"}},
		{"unterminated url at EOF", `p{background:url( b.png `, []string{"b.png image"}},
		{"backslash at EOF in string", `@import "a.css\`, []string{"a.css style"}},
		{"backslash at EOF in url", `p{background:url(a\`, []string{"a\uFFFD image"}},
		{"backslash at EOF alone", `\`, nil},
		{"bad url: quote inside", `p{background:url(a"b) ; c:url(d)}`, []string{"d image"}},
		{"bad url: space inside, escaped paren in remnants", `p{background:url(a b\) c:url(x)) e:url(f)}`, []string{"f image"}},
		{"bad url: open paren", `p{background:url(a(b)}`, nil},
		{"bad url: non-printable", "p{background:url(a\x01b)}", nil},
		{"comment inside url( is part of it", `p{background:url(/*c*/a.png)}`, []string{"/*c*/a.png image"}},
		{"comment before a quote makes a bad url", `p{background:url( /*c*/ "a.png")}`, nil},
		{"comment after the string of url(", `p{background:url( "a.png" /*c*/ )}`, []string{"a.png image"}},
		{"url in a comment", `/* url(a) */ p{}`, nil},
		{"unterminated comment", `p{background:url(a)} /* url(b)`, []string{"a image"}},
		{"url( in a selector", `a[href=x]:url(b.png){}`, []string{"b.png image"}},
		{"uppercase URL(", `p{background:URL(A.PNG); b:Url( "B.PNG" )}`, []string{"A.PNG image", "B.PNG image"}},
		{"escaped url name", `p{background:u\72l(a.png); b:\55 RL(b.png)}`, []string{"a.png image", "b.png image"}},
		{"url name after a hash, a number, a dash: not url", `#url(a) 1url(b) -url(c) --url(d) url(e)`, []string{"e image"}},
		{"CDO and CDC", `<!--url(a)-->`, []string{"a image"}},
		{"NUL makes an ident code point", "\x00url(a) url(\x00)", []string{"\uFFFD image"}},
		{"invalid UTF-8 in url", "url(a\xffb)", []string{"a\uFFFDb image"}},
		{"@IMPORT", `@IMPORT "a.css"; @Import url(b.css);`, []string{"a.css style", "b.css style"}},
		{"escaped @import", `@\69mport "a.css";`, []string{"a.css style"}},
		{"an escape that only looks like @font-face", `@font\d face{src:url(f)}`, []string{"f image"}},
		{"@import takes one URL", `@import "a.css" url(b.png);`, []string{"a.css style", "b.png image"}},
		{"@FONT-FACE", `@FONT-FACE{src:url(f.woff)}`, []string{"f.woff font"}},
		{"escaped @font-face", `@font\-face{src:url(f.woff)}`, []string{"f.woff font"}},
		{"nested blocks in @font-face", `@font-face{a{b{src:url(f)}}src:url(g)} p{background:url(h)}`, []string{"f font", "g font", "h image"}},
		{"@font-face inside @media", `@media x{@font-face{src:url(f)}p{b:url(i)}}`, []string{"f font", "i image"}},
		{"@font-face ends at its }", `@font-face{src:url(f)}}}} url(i)`, []string{"f font", "i image"}},
		{"at-keyword then semicolon", `@font-face; p{b:url(i)}`, []string{"i image"}},
		{"CR and FF are white space", "url(\r\fa\r\f)", []string{"a image"}},
		{"url( then white space then quote", "url(\r\n\"a\")", []string{"a image"}},
		{"empty and fragment-only URLs are dropped", `url() url("") url(#x) url(" ")`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, r := range htmlscan.StyleRefs([]byte(tt.css)) {
				got = append(got, r.URL+" "+r.Request.Destination.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("StyleRefs(%q) (-want +got):\n%s", tt.css, diff)
			}
		})
	}
}

var sinkRefs []htmlscan.StyleRef

// TestStyleRefsNoAllocs checks that tokens other than references cost no
// allocation: a sheet without url() or @import allocates nothing.
func TestStyleRefsNoAllocs(t *testing.T) {
	src := []byte(`@media (min-width: 1px) { .a\:b > #c::before { content: "x\"y"; margin: -1.5e3px 10% } } <!-- --> /* url(z) */ @font-face { font-family: F }`)
	if n := testing.AllocsPerRun(100, func() { sinkRefs = htmlscan.StyleRefs(src) }); n != 0 {
		t.Errorf("StyleRefs allocated %v times per run", n)
	}
}
