package mimesniff_test

import (
	"testing"

	"github.com/xorigin/xorigin/internal/mimesniff"
)

// Sinks keep the compiler from optimizing the measured calls away.
var (
	sinkMIMEType mimesniff.MIMEType
	sinkString   string
	sinkBool     bool
	sinkErr      error
)

func TestNoAllocs(t *testing.T) {
	html, _ := mimesniff.Parse("text/html;charset=utf-8")
	quoted, _ := mimesniff.Parse(`text/plain;x="a b"`)
	plain, _ := mimesniff.Parse("text/plain")
	noMatch := make([]byte, mimesniff.SniffLen)
	for i := range noMatch {
		noMatch[i] = byte('a' + i%26)
	}
	tests := []struct {
		name string
		want float64
		f    func()
	}{
		// Sniffing never allocates.
		{"SniffImage no match", 0, func() { sinkString = mimesniff.SniffImage(noMatch) }},
		{"SniffImage PNG", 0, func() { sinkString = mimesniff.SniffImage(sniffInput("PNG")) }},
		{"SniffAudioVideo no match", 0, func() { sinkString = mimesniff.SniffAudioVideo(noMatch) }},
		{"SniffAudioVideo MP4 1 KiB box", 0, func() {
			sinkString = mimesniff.SniffAudioVideo(sniffInput("MP4 compatible brand at the end of a 1 KiB box"))
		}},
		{"SniffAudioVideo WebM", 0, func() { sinkString = mimesniff.SniffAudioVideo(sniffInput("WebM")) }},
		{"SniffAudioVideo MP3", 0, func() { sinkString = mimesniff.SniffAudioVideo(sniffInput("MP3 MPEG-1, frames 261 bytes apart")) }},

		// Parsing allocates only to rewrite the input.
		{"Parse text/html", 0, func() { sinkMIMEType, sinkErr = mimesniff.Parse("text/html") }},
		{"Parse canonical with charset", 0, func() { sinkMIMEType, sinkErr = mimesniff.Parse("application/json;charset=utf-8") }},
		{"Parse space after semicolon", 0, func() { sinkMIMEType, sinkErr = mimesniff.Parse("application/json; charset=utf-8") }},
		{"Parse canonical quoted", 0, func() { sinkMIMEType, sinkErr = mimesniff.Parse(`text/plain;x="a b";y=z`) }},
		{"Parse dropped parameters", 0, func() { sinkMIMEType, sinkErr = mimesniff.Parse("text/html;charset") }},
		{"Parse uppercase", 1, func() { sinkMIMEType, sinkErr = mimesniff.Parse("Text/HTML; Charset=UTF-8") }},
		{"Parse quotes to drop", 1, func() { sinkMIMEType, sinkErr = mimesniff.Parse(`text/html;charset="utf-8"`) }},
		{"Parse quotes to add", 1, func() { sinkMIMEType, sinkErr = mimesniff.Parse(`text/html;x=a b`) }},

		// Extract and NoSniff.
		{"Extract one header", 0, func() { sinkMIMEType, sinkBool = mimesniff.Extract([]string{"text/javascript; charset=utf-8"}) }},
		{"Extract two headers", 0, func() { sinkMIMEType, sinkBool = mimesniff.Extract([]string{"text/html", "text/plain"}) }},
		{"Extract quoted comma", 0, func() { sinkMIMEType, sinkBool = mimesniff.Extract([]string{`text/html;x="a,b"`, "*/*"}) }},
		{"Extract carries charset", 1, func() {
			sinkMIMEType, sinkBool = mimesniff.Extract([]string{"text/html;charset=gbk", "text/html"})
		}},
		{"NoSniff", 0, func() { sinkBool = mimesniff.NoSniff([]string{"NoSniff, x"}) }},

		// Accessors and groups.
		{"Essence", 0, func() { sinkString = html.Essence() }},
		{"String without parameters", 0, func() { sinkString = plain.String() }},
		{"String with parameters", 1, func() { sinkString = html.String() }},
		{"Type", 0, func() { sinkString = html.Type() }},
		{"Param", 0, func() { sinkString, sinkBool = html.Param("CHARSET") }},
		{"Param quoted", 0, func() { sinkString, sinkBool = quoted.Param("x") }},
		{"IsJavaScript", 0, func() { sinkBool = html.IsJavaScript() }},
		{"IsScriptable", 0, func() { sinkBool = html.IsScriptable() }},
		{"IsJavaScriptEssence uppercase", 0, func() { sinkBool = mimesniff.IsJavaScriptEssence("TEXT/JAVASCRIPT") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(1000, tt.f); got != tt.want {
				t.Errorf("%v allocations, want %v", got, tt.want)
			}
		})
	}
}

// sniffInput returns the input of the named sniffTests case.
func sniffInput(name string) []byte {
	for _, tt := range sniffTests {
		if tt.name == name {
			return tt.in
		}
	}
	panic("no sniff test " + name)
}
