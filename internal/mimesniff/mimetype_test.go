package mimesniff_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/internal/mimesniff"
)

// Sources of the Parse cases.
const (
	srcSpec      = "mimesniff"                     // the MIME Sniffing Standard's own examples
	srcWPT       = "wpt mime-types.json"           // web-platform-tests mimesniff/mime-types/resources
	srcGenerated = "wpt generated-mime-types.json" // ditto, generated per code point
	srcOwn       = "own"                           // ours, each checked against refParse
)

var (
	digits130  = strings.Repeat("0123456789", 13)
	tokenChars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	tokenLower = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
	// Every HTTP quoted-string token code point, as the serializer escapes
	// them inside quotes: TAB, U+0020 to U+007E, U+0080 to U+00FF (bytes).
	allQuotedEscaped = "\t !\\\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~" + latin1High()
)

func latin1High() string {
	b := make([]byte, 0, 128)
	for c := 0x80; c <= 0xFF; c++ {
		b = append(b, byte(c))
	}
	return string(b)
}

// parseTests hold an input and its serialization, "" when parsing fails.
// The web-platform-tests outputs are written there with "; " between
// parameters, from before the serializer dropped the space; they are
// written here as the serializer writes them now. Code points are bytes:
// the strings are what "parse a MIME type from bytes" sees.
var parseTests = []struct {
	name, source, in, want string
}{
	// Basics.
	{"lowercase", srcWPT, "text/html;charset=gbk", "text/html;charset=gbk"},
	{"uppercase type, subtype, name; value kept", srcWPT, "TEXT/HTML;CHARSET=GBK", "text/html;charset=GBK"},
	{"mixed case", srcOwn, `Text/HTML;Charset="utf-8"`, "text/html;charset=utf-8"},
	{"already canonical", srcOwn, "application/json;charset=utf-8", "application/json;charset=utf-8"},
	{"space after semicolon", srcOwn, "application/json; charset=utf-8", "application/json;charset=utf-8"},
	{"no parameters", srcOwn, "text/html", "text/html"},
	{"star slash star parses", srcOwn, "*/*", "*/*"},

	// Legacy comment syntax is not special.
	{"parenthesis in value", srcWPT, "text/html;charset=gbk(", `text/html;charset="gbk("`},
	{"parenthesis value before charset", srcWPT, "text/html;x=(;charset=gbk", `text/html;x="(";charset=gbk`},

	// Duplicate parameters: the first wins.
	{"duplicate charset", srcWPT, "text/html;charset=gbk;charset=windows-1255", "text/html;charset=gbk"},
	{"duplicate charset, first quoted", srcWPT, "text/html;charset=();charset=GBK", `text/html;charset="()"`},
	{"duplicate names differ in case", srcOwn, "text/html;charset=UTF-8;CHARSET=x", "text/html;charset=UTF-8"},
	{"duplicate among others", srcOwn, "text/plain;a=b;a=c;b=d", "text/plain;a=b;b=d"},
	{"duplicates past eight names", srcOwn,
		"x/x;p0=0;p1=1;p2=2;p3=3;p4=4;p5=5;p6=6;p7=7;p8=8;p9=9;P0=z;p9=z;pa=a",
		"x/x;p0=0;p1=1;p2=2;p3=3;p4=4;p5=5;p6=6;p7=7;p8=8;p9=9;pa=a"},

	// Spaces.
	{"space before equals", srcWPT, "text/html;charset =gbk", "text/html"},
	{"space before semicolon", srcWPT, "text/html ;charset=gbk", "text/html;charset=gbk"},
	{"space after semicolon, WPT", srcWPT, "text/html; charset=gbk", "text/html;charset=gbk"},
	{"space after equals", srcWPT, "text/html;charset= gbk", `text/html;charset=" gbk"`},
	{"space after equals, then quotes", srcWPT, `text/html;charset= "gbk"`, `text/html;charset=" \"gbk\""`},
	{"HTTP white space around", srcOwn, " \t\r\ntext/html\r\n\t ", "text/html"},
	{"white space inside type", srcOwn, "text /html", ""},
	{"white space inside subtype", srcOwn, "text/ht ml", ""},
	{"trailing white space after value", srcOwn, "text/html;x=a  ;y=z", "text/html;x=a;y=z"},
	{"white space inside value", srcOwn, "text/html;x=a b", `text/html;x="a b"`},

	// Single quotes are token code points, not delimiters.
	{"single-quoted value", srcWPT, "text/html;charset='gbk'", "text/html;charset='gbk'"},
	{"leading single quote", srcWPT, "text/html;charset='gbk", "text/html;charset='gbk"},
	{"trailing single quote", srcWPT, "text/html;charset=gbk'", "text/html;charset=gbk'"},
	{"single quote then charset", srcWPT, "text/html;charset=';charset=GBK", "text/html;charset='"},

	// Invalid parameters are skipped.
	{"name without value", srcWPT, "text/html;test;charset=gbk", "text/html;charset=gbk"},
	{"empty value", srcWPT, "text/html;test=;charset=gbk", "text/html;charset=gbk"},
	{"single quote alone", srcWPT, "text/html;';charset=gbk", "text/html;charset=gbk"},
	{"double quote alone", srcWPT, `text/html;";charset=gbk`, "text/html;charset=gbk"},
	{"empty parameters with spaces", srcWPT, "text/html ; ; charset=gbk", "text/html;charset=gbk"},
	{"empty parameters", srcWPT, "text/html;;;;charset=gbk", "text/html;charset=gbk"},
	{"DEL in unquoted value", srcWPT, "text/html;charset= \"\x7F;charset=GBK", "text/html;charset=GBK"},
	{"DEL in quoted value", srcWPT, "text/html;charset=\"\x7F;charset=foo\";charset=GBK", "text/html;charset=GBK"},
	{"empty name", srcOwn, "text/html;=x", "text/html"},
	{"name at the end", srcOwn, "text/html;x", "text/html"},
	{"equals at the end", srcOwn, "text/html;x=", "text/html"},
	{"semicolon at the end", srcSpec, "text/html;", "text/html"},
	{"space and semicolon at the end", srcOwn, "text/html ;", "text/html"},

	// Double quotes.
	{"quoted value", srcWPT, `text/html;charset="gbk"`, "text/html;charset=gbk"},
	{"unterminated quoted value", srcWPT, `text/html;charset="gbk`, "text/html;charset=gbk"},
	{"quote at the end of a token", srcWPT, `text/html;charset=gbk"`, `text/html;charset="gbk\""`},
	{"quoted leading space", srcWPT, `text/html;charset=" gbk"`, `text/html;charset=" gbk"`},
	{"quoted trailing space", srcWPT, `text/html;charset="gbk "`, `text/html;charset="gbk "`},
	{"escaped space", srcWPT, `text/html;charset="\ gbk"`, `text/html;charset=" gbk"`},
	{"escaped letters", srcWPT, `text/html;charset="\g\b\k"`, "text/html;charset=gbk"},
	{"text after closing quote", srcWPT, `text/html;charset="gbk"x`, "text/html;charset=gbk"},
	{"text after closing quote, spec example", srcSpec, `text/html;charset="shift_jis"iso-2022-jp`, "text/html;charset=shift_jis"},
	{"empty quoted value", srcWPT, `text/html;charset="";charset=GBK`, `text/html;charset=""`},
	{"unterminated quote swallows semicolon", srcWPT, `text/html;charset=";charset=GBK`, `text/html;charset=";charset=GBK"`},
	{"escaped quote kept verbatim", srcOwn, `text/html;x="a\"b"`, `text/html;x="a\"b"`},
	{"escaped backslash kept verbatim", srcOwn, `text/html;x="a\\b"`, `text/html;x="a\\b"`},
	{"quoted then spaces and another", srcOwn, `text/html;x="a"  ;y=z`, "text/html;x=a;y=z"},
	{"empty quoted alone", srcOwn, `text/html;x=""`, `text/html;x=""`},

	// Unexpected code points.
	{"braces in value", srcWPT, "text/html;charset={gbk}", `text/html;charset="{gbk}"`},

	// No length limits.
	{"parameter name of 130", srcWPT, "text/html;" + digits130 + "=x;charset=gbk", "text/html;" + digits130 + "=x;charset=gbk"},
	{"type and subtype of 130", srcWPT, digits130 + "/" + digits130, digits130 + "/" + digits130},

	// Valid.
	{"every token code point", srcWPT,
		tokenChars + "/" + tokenChars + ";" + tokenChars + "=" + tokenChars,
		tokenLower + "/" + tokenLower + ";" + tokenLower + "=" + tokenChars},
	{"every quoted-string token code point", srcWPT, `x/x;x="` + allQuotedEscaped + `"`, `x/x;x="` + allQuotedEscaped + `"`},

	// End of input.
	{"name without equals at the end", srcWPT, "x/x;test", "x/x"},
	{"backslash at the end of a quoted value", srcWPT, `x/x;test="\`, `x/x;test="\\"`},

	// White space.
	{"space value at the end", srcWPT, "x/x;x= ", "x/x"},
	{"tab value at the end", srcWPT, "x/x;x=\t", "x/x"},

	// Latin-1.
	{"Latin-1 value", srcWPT, "text/html;test=\xFF;charset=gbk", "text/html;test=\"\xFF\";charset=gbk"},
	// WPT passes U+FFFD as a string and expects the parameter dropped; as
	// header bytes it is EF BF BD, three code points in U+0080 to U+00FF,
	// and kept.
	{"UTF-8 bytes are Latin-1 code points", srcOwn, "x/x;test=\uFFFD;x=x", "x/x;test=\"\uFFFD\";x=x"},

	// Failure.
	{"empty", srcWPT, "", ""},
	{"tab only", srcWPT, "\t", ""},
	{"slash only", srcWPT, "/", ""},
	{"no slash", srcWPT, "bogus", ""},
	{"no subtype", srcWPT, "bogus/", ""},
	{"space subtype", srcWPT, "bogus/ ", ""},
	{"slash in subtype", srcWPT, "bogus/bogus/;", ""},
	{"angle brackets", srcWPT, "</>", ""},
	{"parentheses", srcWPT, "(/)", ""},
	{"Latin-1 type and subtype", srcWPT, "\xFF/\xFF", ""},
	{"parenthesis in subtype", srcWPT, "text/html(;doesnot=matter", ""},
	{"braces", srcWPT, "{/}", ""},
	{"U+0100 as UTF-8", srcWPT, "\u0100/\u0100", ""},

	// Generated per code point: type, subtype, parameter name, value
	// unquoted, value quoted.
	{"NUL in type", srcGenerated, "\x00/x", ""},
	{"NUL in subtype", srcGenerated, "x/\x00", ""},
	{"NUL in name", srcGenerated, "x/x;\x00=x;bonus=x", "x/x;bonus=x"},
	{"NUL in value", srcGenerated, "x/x;x=\x00;bonus=x", "x/x;bonus=x"},
	{"NUL in quoted value", srcGenerated, "x/x;x=\"\x00\";bonus=x", "x/x;bonus=x"},
	{"TAB before slash", srcGenerated, "\t/x", ""},
	{"TAB as subtype", srcGenerated, "x/\t", ""},
	{"TAB as name", srcGenerated, "x/x;\t=x;bonus=x", "x/x;bonus=x"},
	{"LF as type", srcGenerated, "\n/x", ""},
	{"LF in value", srcGenerated, "x/x;x=\n;bonus=x", "x/x;bonus=x"},
	{"LF in quoted value", srcGenerated, "x/x;x=\"\n\";bonus=x", "x/x;bonus=x"},
	{"VT in value", srcGenerated, "x/x;x=\x0B;bonus=x", "x/x;bonus=x"},
	{"FF is not white space", srcGenerated, "\f/x", ""},
	{"FF in value", srcGenerated, "x/x;x=\f;bonus=x", "x/x;bonus=x"},
	{"CR in quoted value", srcGenerated, "x/x;x=\"\r\";bonus=x", "x/x;bonus=x"},
	{"ESC in name", srcGenerated, "x/x;\x1B=x;bonus=x", "x/x;bonus=x"},
	{"space as type", srcGenerated, " /x", ""},
	{"space as subtype", srcGenerated, "x/ ", ""},
	{"space as name", srcGenerated, "x/x; =x;bonus=x", "x/x;bonus=x"},
	{"quote as type", srcGenerated, "\"/x", ""},
	{"quote as subtype", srcGenerated, "x/\"", ""},
	{"quote as name", srcGenerated, "x/x;\"=x;bonus=x", "x/x;bonus=x"},
	{"parenthesis as value", srcGenerated, "x/x;x=(;bonus=x", `x/x;x="(";bonus=x`},
	{"parenthesis as quoted value", srcGenerated, `x/x;x="(";bonus=x`, `x/x;x="(";bonus=x`},
	{"comma as type", srcGenerated, ",/x", ""},
	{"comma as value", srcGenerated, "x/x;x=,;bonus=x", `x/x;x=",";bonus=x`},
	{"slash as name", srcGenerated, "x/x;/=x;bonus=x", "x/x;bonus=x"},
	{"slash as value", srcGenerated, "x/x;x=/;bonus=x", `x/x;x="/";bonus=x`},
	{"colon as subtype", srcGenerated, "x/:", ""},
	{"semicolon as type", srcGenerated, ";/x", ""},
	{"semicolon as subtype", srcGenerated, "x/;", ""},
	{"equals as value", srcGenerated, "x/x;x==;bonus=x", `x/x;x="=";bonus=x`},
	{"at sign as quoted value", srcGenerated, `x/x;x="@";bonus=x`, `x/x;x="@";bonus=x`},
	{"backslash as type", srcGenerated, "\\/x", ""},
	{"backslash as name", srcGenerated, "x/x;\\=x;bonus=x", "x/x;bonus=x"},
	{"brace as value", srcGenerated, "x/x;x={;bonus=x", `x/x;x="{";bonus=x`},
	{"DEL as subtype", srcGenerated, "x/\x7F", ""},
	{"DEL as value", srcGenerated, "x/x;x=\x7F;bonus=x", "x/x;bonus=x"},
	{"DEL as quoted value", srcGenerated, "x/x;x=\"\x7F\";bonus=x", "x/x;bonus=x"},
	{"0x80 as type", srcGenerated, "\x80/x", ""},
	{"0x80 as name", srcGenerated, "x/x;\x80=x;bonus=x", "x/x;bonus=x"},
	{"0x80 as value", srcGenerated, "x/x;x=\x80;bonus=x", "x/x;x=\"\x80\";bonus=x"},
	{"0xFF as quoted value", srcGenerated, "x/x;x=\"\xFF\";bonus=x", "x/x;x=\"\xFF\";bonus=x"},
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The table is checked against the literal reference too, so a
			// typo in it cannot agree with a bug in Parse.
			ref, ok := refParse(tt.in)
			if !ok {
				ref = ""
			}
			if ref != tt.want {
				t.Errorf("refParse(%q) = %q, want %q (%s)", tt.in, ref, tt.want, tt.source)
			}
			m, err := mimesniff.Parse(tt.in)
			if tt.want == "" {
				var pe *mimesniff.ParseError
				if !errors.As(err, &pe) || pe.Input != tt.in {
					t.Fatalf("Parse(%q) = %q, %v; want a *ParseError for the input (%s)", tt.in, m, err, tt.source)
				}
				if !m.IsZero() {
					t.Errorf("Parse(%q) failed but returned %q", tt.in, m)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v; want %q (%s)", tt.in, err, tt.want, tt.source)
			}
			if got := m.String(); got != tt.want {
				t.Errorf("Parse(%q) = %q, want %q (%s)", tt.in, got, tt.want, tt.source)
			}
			if want := tt.want[:len(m.Essence())]; m.Essence() != want {
				t.Errorf("Essence() = %q, want %q", m.Essence(), want)
			}
		})
	}
}

// TestParseEveryByte runs the rule that generated-mime-types.json was
// generated from, for every byte that is not a token code point, in each
// of four places, with the character classes spelled out independently of
// the package.
func TestParseEveryByte(t *testing.T) {
	t.Parallel()
	isToken := func(c byte) bool {
		return strings.IndexByte(tokenChars, c) >= 0
	}
	isQuotedStringToken := func(c byte) bool {
		return c == '\t' || (' ' <= c && c <= '~') || c >= 0x80
	}
	check := func(t *testing.T, in, want string) {
		t.Helper()
		m, err := mimesniff.Parse(in)
		got := m.String()
		if err != nil {
			got = ""
		}
		if got != want {
			t.Errorf("Parse(%q) = %q, want %q", in, got, want)
		}
	}
	for i := range 256 {
		c := byte(i)
		if isToken(c) {
			continue
		}
		s := string([]byte{c})
		if c != '/' {
			check(t, s+"/x", "")
			check(t, "x/"+s, "")
		}
		if c != ';' && c != '=' {
			check(t, "x/x;"+s+"=x;bonus=x", "x/x;bonus=x")
		}
		if strings.IndexByte("\t \";\\", c) < 0 {
			want := "x/x;bonus=x"
			if isQuotedStringToken(c) {
				want = `x/x;x="` + s + `";bonus=x`
			}
			check(t, "x/x;x="+s+";bonus=x", want)
			check(t, `x/x;x="`+s+`";bonus=x`, want)
		}
	}
}

func TestParseError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `mimesniff: "": empty or only HTTP white space`},
		{"white space", " \t", `mimesniff: " \t": empty or only HTTP white space`},
		{"no slash", "text", `mimesniff: "text": no "/" after the type`},
		{"empty type", "/html", `mimesniff: "/html": empty type`},
		{"empty subtype", "text/;charset=x", `mimesniff: "text/;charset=x": empty subtype`},
		{"bad type byte", "te xt/html", `mimesniff: "te xt/html": type has " " at byte 2, not an HTTP token code point`},
		{"bad type byte before missing slash", "te(xt", `mimesniff: "te(xt": type has "(" at byte 2, not an HTTP token code point`},
		{"bad subtype byte after leading space", " text/ht(ml", `mimesniff: " text/ht(ml": subtype has "(" at byte 8, not an HTTP token code point`},
		{"non-ASCII byte", "text/\xFF", `mimesniff: "text/\xff": subtype has "\xff" at byte 5, not an HTTP token code point`},
		{"long input is cut", strings.Repeat("a", 200), `mimesniff: "` + strings.Repeat("a", 128) + `...": no "/" after the type`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := mimesniff.Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded", tt.in)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error %s\nwant      %s", got, tt.want)
			}
		})
	}
}

type param struct{ Name, Value string }

func TestMIMETypeAccessors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in             string
		essence, typ, subtyp string
		params               []param
	}{
		{"no parameters", "TEXT/Html", "text/html", "text", "html", nil},
		{"parameters in order", "text/plain; format=flowed; charset=UTF-8", "text/plain", "text", "plain",
			[]param{{"format", "flowed"}, {"charset", "UTF-8"}}},
		{"quoted values unescaped", `x/y;a="b\"c";d="e\\f";g="";h=" "`, "x/y", "x", "y",
			[]param{{"a", `b"c`}, {"d", `e\f`}, {"g", ""}, {"h", " "}}},
		{"quoted value with semicolon and equals", `x/y;a=";b=c";d=e`, "x/y", "x", "y",
			[]param{{"a", ";b=c"}, {"d", "e"}}},
		{"plus in subtype", "application/ld+json;profile=x", "application/ld+json", "application", "ld+json",
			[]param{{"profile", "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := mimesniff.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if m.Essence() != tt.essence || m.Type() != tt.typ || m.Subtype() != tt.subtyp {
				t.Errorf("Essence, Type, Subtype = %q, %q, %q; want %q, %q, %q",
					m.Essence(), m.Type(), m.Subtype(), tt.essence, tt.typ, tt.subtyp)
			}
			var got []param
			for name, value := range m.Params() {
				got = append(got, param{name, value})
				if v, ok := m.Param(strings.ToUpper(name)); !ok || v != value {
					t.Errorf("Param(%q) = %q, %v; want %q, true", strings.ToUpper(name), v, ok, value)
				}
			}
			if diff := cmp.Diff(tt.params, got); diff != "" {
				t.Errorf("Params() (-want +got):\n%s", diff)
			}
			if v, ok := m.Param("absent"); ok || v != "" {
				t.Errorf(`Param("absent") = %q, %v`, v, ok)
			}
		})
	}
}

func TestParamFoldsASCIIOnly(t *testing.T) {
	t.Parallel()
	m, err := mimesniff.Parse("x/y;key=1;s=2")
	if err != nil {
		t.Fatal(err)
	}
	// U+212A KELVIN SIGN and U+017F LATIN SMALL LETTER LONG S fold to "k"
	// and "s" in Unicode, not in ASCII.
	for _, name := range []string{"\u212Aey", "\u017F"} {
		if v, ok := m.Param(name); ok {
			t.Errorf("Param(%q) = %q, true; want no match", name, v)
		}
	}
	for _, name := range []string{"KEY", "Key", "S"} {
		if _, ok := m.Param(name); !ok {
			t.Errorf("Param(%q) found nothing", name)
		}
	}
}

func TestZeroMIMEType(t *testing.T) {
	t.Parallel()
	var m mimesniff.MIMEType
	if !m.IsZero() || m.String() != "" || m.Essence() != "" || m.Type() != "" || m.Subtype() != "" {
		t.Errorf("zero MIMEType: IsZero %v, String %q, Essence %q, Type %q, Subtype %q",
			m.IsZero(), m.String(), m.Essence(), m.Type(), m.Subtype())
	}
	if _, ok := m.Param("charset"); ok {
		t.Error("zero MIMEType has a charset")
	}
	for name := range m.Params() {
		t.Errorf("zero MIMEType has parameter %q", name)
	}
	if groups(m) != (groupSet{}) {
		t.Errorf("zero MIMEType is in groups %+v", groups(m))
	}
	if p, _ := mimesniff.Parse("text/html"); p.IsZero() {
		t.Error("text/html IsZero")
	}
}

func TestMIMETypeComparable(t *testing.T) {
	t.Parallel()
	a, _ := mimesniff.Parse("text/html;charset=utf-8")
	b, _ := mimesniff.Parse("TEXT/HTML; Charset=\"utf-8\"")
	c, _ := mimesniff.Parse("text/html;charset=UTF-8")
	if a != b {
		t.Errorf("%q != %q", a, b)
	}
	if a == c {
		t.Errorf("%q == %q: values are compared exactly", a, c)
	}
}

type groupSet struct {
	Image, AudioOrVideo, Font, ZIPBased, Archive, XML, HTML, Scriptable, JavaScript, JSON bool
}

func groups(m mimesniff.MIMEType) groupSet {
	return groupSet{
		Image: m.IsImage(), AudioOrVideo: m.IsAudioOrVideo(), Font: m.IsFont(), ZIPBased: m.IsZIPBased(),
		Archive: m.IsArchive(), XML: m.IsXML(), HTML: m.IsHTML(), Scriptable: m.IsScriptable(),
		JavaScript: m.IsJavaScript(), JSON: m.IsJSON(),
	}
}

func TestGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want groupSet
	}{
		{"image/png", groupSet{Image: true}},
		{"IMAGE/GIF", groupSet{Image: true}},
		{"image/svg+xml", groupSet{Image: true, XML: true, Scriptable: true}},
		{"audio/mpeg", groupSet{AudioOrVideo: true}},
		{"video/mp4;codecs=avc1", groupSet{AudioOrVideo: true}},
		{"application/ogg", groupSet{AudioOrVideo: true}},
		{"application/ogx", groupSet{}},
		{"font/woff2", groupSet{Font: true}},
		{"application/font-woff", groupSet{Font: true}},
		{"application/font-otf", groupSet{Font: true}},
		{"application/vnd.ms-fontobject", groupSet{Font: true}},
		{"application/vnd.ms-opentype", groupSet{Font: true}},
		{"application/zip", groupSet{ZIPBased: true, Archive: true}},
		{"application/epub+zip", groupSet{ZIPBased: true}},
		{"application/x-gzip", groupSet{Archive: true}},
		{"application/x-rar-compressed", groupSet{Archive: true}},
		{"text/xml", groupSet{XML: true, Scriptable: true}},
		{"application/xml", groupSet{XML: true, Scriptable: true}},
		{"application/xhtml+xml", groupSet{XML: true, Scriptable: true}},
		{"application/xml-dtd", groupSet{}},
		{"text/html;charset=utf-8", groupSet{HTML: true, Scriptable: true}},
		{"application/pdf", groupSet{Scriptable: true}},
		{"text/javascript", groupSet{JavaScript: true}},
		{"TEXT/JavaScript; charset=utf-8", groupSet{JavaScript: true}},
		{"application/x-javascript", groupSet{JavaScript: true}},
		{"text/javascript1.5", groupSet{JavaScript: true}},
		{"text/javascript1.6", groupSet{}},
		{"text/livescript", groupSet{JavaScript: true}},
		{"application/json", groupSet{JSON: true}},
		{"text/json", groupSet{JSON: true}},
		{"application/ld+json", groupSet{JSON: true}},
		{"application/json-seq", groupSet{}},
		{"text/plain", groupSet{}},
		{"text/css", groupSet{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			m, err := mimesniff.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, groups(m)); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsJavaScriptEssence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     bool
	}{
		{"text/javascript", "text/javascript", true},
		{"uppercase", "TEXT/JAVASCRIPT", true},
		{"mixed case, longest", "Application/X-EcmaScript", true},
		{"shortest", "text/jscript", true},
		{"each of the list", "text/x-javascript", true},
		{"javascript1.0", "text/javascript1.0", true},
		{"javascript1.6", "text/javascript1.6", false},
		{"parameters are not stripped", "text/javascript;charset=utf-8", false},
		{"white space is not stripped", " text/javascript", false},
		{"trailing white space", "text/javascript ", false},
		{"one short", "text/jscrip", false},
		{"module", "module", false},
		{"empty", "", false},
		{"Kelvin sign is not k", "text/javascript\u212A", false},
		{"too long", "application/x-ecmascriptx", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := mimesniff.IsJavaScriptEssence(tt.in); got != tt.want {
				t.Errorf("IsJavaScriptEssence(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// HTTP white space is tab, LF, CR and space: not form feed, vertical tab or
// non-ASCII space.
func TestTrimHTTPWhitespace(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		" \t\r\n":             "",
		"\t same-site \r\n":   "same-site",
		"\fsame-site\f":       "\fsame-site\f",
		"\vx\v":               "\vx\v",
		"\u00a0x\u00a0":       "\u00a0x\u00a0",
		"a b":                 "a b",
		" \n text/css ; x \t": "text/css ; x",
	} {
		if got := mimesniff.TrimHTTPWhitespace(in); got != want {
			t.Errorf("TrimHTTPWhitespace(%q) = %q, want %q", in, got, want)
		}
	}
}
