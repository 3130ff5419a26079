package mimesniff_test

import (
	"fmt"

	"github.com/xorigin/xorigin/internal/mimesniff"
)

func ExampleParse() {
	m, err := mimesniff.Parse(`Text/HTML; Charset="Shift_JIS"; charset=utf-8; x=(y)`)
	if err != nil {
		panic(err)
	}
	fmt.Println(m)
	fmt.Println(m.Essence(), m.IsHTML())
	charset, _ := m.Param("charset")
	fmt.Println(charset)

	_, err = mimesniff.Parse("text/html(")
	fmt.Println(err)
	// Output:
	// text/html;charset=Shift_JIS;x="(y)"
	// text/html true
	// Shift_JIS
	// mimesniff: "text/html(": subtype has "(" at byte 9, not an HTTP token code point
}

func ExampleExtract() {
	// Two Content-Type headers; the second has the same essence and no
	// charset, so it keeps the first one's.
	m, ok := mimesniff.Extract([]string{"text/html;charset=gbk;a=b", "text/html;x=y"})
	fmt.Println(m, ok)

	// A header that does not parse is skipped, and so is */*.
	m, ok = mimesniff.Extract([]string{"text/javascript", "bogus, */*"})
	fmt.Println(m, ok, m.IsJavaScript())

	_, ok = mimesniff.Extract(nil)
	fmt.Println(ok)
	// Output:
	// text/html;x=y;charset=gbk true
	// text/javascript true true
	// false
}

func ExampleNoSniff() {
	fmt.Println(mimesniff.NoSniff([]string{"NoSniff"}))
	fmt.Println(mimesniff.NoSniff([]string{"nosniff, x"}))
	fmt.Println(mimesniff.NoSniff([]string{"", "nosniff"}))
	// Output:
	// true
	// true
	// false
}

func ExampleSniffImage() {
	body := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	fmt.Printf("%q\n", mimesniff.SniffImage(body))
	fmt.Printf("%q\n", mimesniff.SniffImage([]byte(`{"secret": 1}`)))
	// Output:
	// "image/png"
	// ""
}

func ExampleSniffAudioVideo() {
	// ORB reads at most SniffLen bytes before it sniffs.
	body := []byte("RIFF\x24\x08\x00\x00WAVEfmt ")
	if len(body) > mimesniff.SniffLen {
		body = body[:mimesniff.SniffLen]
	}
	fmt.Println(mimesniff.SniffAudioVideo(body), mimesniff.SniffImage(body) == "")
	// Output:
	// audio/wave true
}
