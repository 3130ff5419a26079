package mimesniff_test

import (
	"strings"
	"testing"

	"github.com/xorigin/xorigin/internal/mimesniff"
)

// fuzzSeeds are inputs at the edges of the parser, each with the edge it
// hits; every Parse table input is added too.
var fuzzSeeds = []string{
	"text/html",                      // canonical, no allocation
	"TEXT/HTML;CHARSET=GBK",          // lowercasing, value kept
	"text/html; charset=utf-8",       // white space dropped
	`text/html;x="a\"b\\c"`,          // escapes kept verbatim
	`text/html;x="\g"`,               // escape the serializer does not write
	`text/html;x="unclosed`,          // unterminated quoted string
	`text/html;x="\`,                 // backslash at the end
	`text/html;x=a"b`,                // quote inside a token value
	`text/html;x=""`,                 // empty quoted value
	"text/html;x=;y",                 // empty value, bare name
	"text/html;;x=1;X=2",             // empty parameter, duplicate name
	"text/html;x=1 ; y=2",            // trailing white space in value
	"text/html;x=\x7F;y=\xFF",        // invalid and Latin-1 values
	"\t text/html \r\n",              // HTTP white space around
	"text/html\f",                    // FF is not HTTP white space
	"a/b" + strings.Repeat(";a", 20), // many bare names
	"",                               // empty
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := mimesniff.Parse(s)
		ref, refOK := refParse(s)
		if err != nil {
			if refOK {
				t.Fatalf("Parse(%q): %v; reference gives %q", s, err, ref)
			}
			if !m.IsZero() {
				t.Fatalf("Parse(%q) failed with a non-zero MIMEType %q", s, m)
			}
			return
		}
		got := m.String()
		if !refOK || got != ref {
			t.Fatalf("Parse(%q) = %q; reference gives %q, %v", s, got, ref, refOK)
		}
		// The serialization parses back to itself.
		again, err := mimesniff.Parse(got)
		if err != nil || again != m {
			t.Fatalf("Parse(%q) = %q, but that parses to %q, %v", s, got, again, err)
		}
		// The essence is lowercase, is type/subtype, and starts String.
		e := m.Essence()
		if e != strings.ToLower(e) || e != m.Type()+"/"+m.Subtype() || !strings.HasPrefix(got, e) {
			t.Fatalf("Parse(%q): essence %q, type %q, subtype %q, string %q", s, e, m.Type(), m.Subtype(), got)
		}
		// Each parameter is found by name, and the names are distinct and
		// lowercase.
		seen := map[string]bool{}
		for name, value := range m.Params() {
			if name != strings.ToLower(name) || seen[name] {
				t.Fatalf("Parse(%q): parameter name %q lowercase or repeated", s, name)
			}
			seen[name] = true
			if v, ok := m.Param(name); !ok || v != value {
				t.Fatalf("Parse(%q): Param(%q) = %q, %v; Params gives %q", s, name, v, ok, value)
			}
		}
	})
}

func FuzzExtract(f *testing.F) {
	f.Add("text/html;charset=gbk", "text/html")
	f.Add(`text/html;x="`, "text/plain")
	f.Add("*/*", "")
	f.Add("nosniff, x", `"a,b"`)
	f.Fuzz(func(t *testing.T, a, b string) {
		values := []string{a, b}
		m, ok := mimesniff.Extract(values)
		if ok != !m.IsZero() {
			t.Fatalf("Extract(%q) = %q, %v", values, m, ok)
		}
		if ok {
			if again, err := mimesniff.Parse(m.String()); err != nil || again != m {
				t.Fatalf("Extract(%q) = %q, which parses to %q, %v", values, m, again, err)
			}
			if m.Essence() == "*/*" {
				t.Fatalf("Extract(%q) = */*", values)
			}
		}
		// Joining the headers first changes nothing.
		joined, jok := mimesniff.Extract([]string{a + ", " + b})
		if joined != m || jok != ok {
			t.Fatalf("Extract(%q) = %q, %v; joined %q, %v", values, m, ok, joined, jok)
		}
		mimesniff.NoSniff(values)
	})
}

func FuzzSniff(f *testing.F) {
	for _, tt := range sniffTests {
		f.Add(tt.in)
	}
	known := map[string]bool{"": true}
	for _, tt := range sniffTests {
		known[tt.image], known[tt.av] = true, true
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got := mimesniff.SniffImage(b); !known[got] {
			t.Fatalf("SniffImage(% x) = %q", b, got)
		}
		if got := mimesniff.SniffAudioVideo(b); !known[got] {
			t.Fatalf("SniffAudioVideo(% x) = %q", b, got)
		}
	})
}
