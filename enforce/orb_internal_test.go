package enforce

import (
	"testing"

	"github.com/xorigin/xorigin/internal/mimesniff"
)

func TestParseContentRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in              string
		atZero, pastOne bool
	}{
		{"bytes 0-99/1000", true, false},
		{"bytes=0-99/1000", true, false},
		{"bytes 0-99/*", true, false},
		{"Bytes 000-9/10", true, false},
		{"bytes 10-99/1000", false, true},
		{"bytes 10-99/*", false, false},
		{"bytes */1000", false, false},
		{"bytes 0-/1000", false, false},
		{"bytes -5/1000", false, false},
		{"bytes 0-5/10x", false, false},
		{"items 0-5/10", false, false},
		{"", false, false},
		{"  bytes 0-1/2\t", true, false},
	}
	for _, tt := range tests {
		z, a := parseContentRange([]string{tt.in})
		if z != tt.atZero || a != tt.pastOne {
			t.Errorf("parseContentRange(%q) = %v, %v; want %v, %v", tt.in, z, a, tt.atZero, tt.pastOne)
		}
	}
	if z, a := parseContentRange(nil); z || a {
		t.Error("no header: want neither")
	}
}

func TestIsJavaScriptNotJSON(t *testing.T) {
	t.Parallel()
	plain, _ := mimesniff.Parse("text/plain")
	latin1, _ := mimesniff.Parse("text/plain; charset=iso-8859-1")
	tests := []struct {
		name string
		body string
		mt   *mimesniff.MIMEType
		want bool
	}{
		{"script", "var a = 1; f(a);", &plain, true},
		{"empty body is a script", "", &plain, true},
		{"a JSON object", `{"a": 1}`, &plain, false},
		{"a JSON array", `[1, 2]`, &plain, false},
		{"a JSON number", "42", &plain, false},
		{"JSON behind a BOM", "\xEF\xBB\xBF[1]", &plain, false},
		{"JSON with an XSSI prefix is neither", ")]}'\n{\"a\": 1}", &plain, false},
		{"prose", "This is a text file.", &plain, false},
		{"HTML", "<!doctype html><p>hi", &plain, false},
		{"HTML-like comment opens a classic script", "<!-- hide\nf()", &plain, true},
		{"module syntax is not a Script", "import x from 'y';", &plain, false},
		{"export is not a Script", "export const a = 1;", &plain, false},
		{"Latin-1 decoded script", "var s = '\xe9';", &latin1, true},
		{"script behind a UTF-8 BOM", "\xEF\xBB\xBFf();", &plain, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isJavaScriptNotJSON([]byte(tt.body), tt.mt, true); got != tt.want {
				t.Errorf("isJavaScriptNotJSON(%q) = %v, want %v", tt.body, got, tt.want)
			}
		})
	}
}

func TestChromiumSniffers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body                     string
		html, xml, json, breaker bool
	}{
		{"<!DOCTYPE html><p>", true, false, false, false},
		{"  <!-- c --> <script>x</script>", false, false, false, false}, // the comment's line never ends
		{"  <!-- c -->\n<script>x</script>", true, false, false, false},
		{"<body>", true, false, false, false},
		{"<br/>", true, false, false, false},
		{"<article>", true, false, false, false},
		{"<!-- -->\u2028<b>", false, false, false, false},
		{"<!-- --> \xe2 \n<b", true, false, false, false},
		{"<a href=x>", true, false, false, false},
		{"<ul>", false, false, false, false},
		{"<p", true, false, false, false},
		{"<", false, false, false, false},
		{"<?xml version='1.0'?>", false, true, false, false},
		{"<?XML", false, false, false, false},
		{`{"key": 1}`, false, false, true, false},
		{` { "k\"ey" : 1}`, false, false, true, false},
		{`{}`, false, false, false, false},
		{`[1,2]`, false, false, false, false},
		{")]}'\n[]", false, false, false, true},
		{"for (;;);{}", false, false, false, true},
		{"while(1);", false, false, false, true},
		{"{} && x", false, false, false, true},
		{"\xEF\xBB\xBF{\"a\":1}", false, false, true, false},
	}
	for _, tt := range tests {
		b := []byte(tt.body)
		if sniffsAsHTML(b) != tt.html || sniffsAsXML(b) != tt.xml || sniffsAsJSONObject(b) != tt.json || hasParserBreaker(b) != tt.breaker {
			t.Errorf("%q: html %v xml %v json %v breaker %v; want %v %v %v %v", tt.body,
				sniffsAsHTML(b), sniffsAsXML(b), sniffsAsJSONObject(b), hasParserBreaker(b), tt.html, tt.xml, tt.json, tt.breaker)
		}
	}
}
