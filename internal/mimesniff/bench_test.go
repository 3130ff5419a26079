package mimesniff_test

import (
	"strings"
	"testing"

	"github.com/xorigin/xorigin/internal/mimesniff"
)

// sniffBenches are SniffLen-byte resource headers. The sniffers stop at the
// first match, so the ones that match nothing are the worst case; the
// "ftyp" one makes the MP4 check walk its whole box.
func sniffBenches() []struct {
	name string
	in   []byte
} {
	text := []byte(strings.Repeat("<!DOCTYPE html><p>secret</p>\n", 64)[:mimesniff.SniffLen])
	zeros := make([]byte, mimesniff.SniffLen)
	ftypNoMP4 := place(mimesniff.SniffLen, map[int]string{0: "\x00\x00\x04\x00ftypisom"})
	webmNoDocType := place(mimesniff.SniffLen, map[int]string{0: "\x1A\x45\xDF\xA3"})
	mp3NoSecond := place(mimesniff.SniffLen, map[int]string{0: mpeg1L3})
	png := place(mimesniff.SniffLen, map[int]string{0: "\x89PNG\r\n\x1A\n"})
	return []struct {
		name string
		in   []byte
	}{
		{"HTML no match", text},
		{"zeros no match", zeros},
		{"ftyp box without mp4", ftypNoMP4},
		{"EBML without DocType", webmNoDocType},
		{"MP3 header without a second", mp3NoSecond},
		{"PNG", png},
	}
}

func BenchmarkSniffImage(b *testing.B) {
	for _, bb := range sniffBenches() {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkString = mimesniff.SniffImage(bb.in)
			}
		})
	}
}

func BenchmarkSniffAudioVideo(b *testing.B) {
	for _, bb := range sniffBenches() {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkString = mimesniff.SniffAudioVideo(bb.in)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	benches := []struct{ name, in string }{
		{"text/html", "text/html"},
		{"canonical charset", "application/json;charset=utf-8"},
		{"space after semicolon", "application/json; charset=utf-8"},
		{"uppercase", "Text/HTML; Charset=UTF-8"},
		{"quoted", `multipart/form-data; boundary="----=_Part_0"`},
		{"invalid", "text/html(;charset=utf-8"},
		{"1000 parameters", "x/x" + strings.Repeat(";a=b", 1000)},
		{"1000 distinct parameters", "x/x" + distinctParams(1000)},
		{"64 KiB white space", "text/html;" + strings.Repeat(" ", 1<<16) + "charset=utf-8"},
		{"64 KiB quoted value", `text/html;x="` + strings.Repeat(`\"`, 1<<15) + `"`},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkMIMEType, sinkErr = mimesniff.Parse(bb.in)
			}
		})
	}
}

func distinctParams(n int) string {
	var sb strings.Builder
	for i := range n {
		sb.WriteString(";p")
		sb.WriteString(strings.Repeat("x", i%7))
		sb.WriteByte(byte('a' + i%26))
		sb.WriteByte(byte('a' + i/26%26))
		sb.WriteString("=v")
	}
	return sb.String()
}

func BenchmarkExtract(b *testing.B) {
	benches := []struct {
		name   string
		values []string
	}{
		{"one header", []string{"text/javascript; charset=utf-8"}},
		{"two headers", []string{"text/html;charset=gbk", "text/plain"}},
		{"charset carried", []string{"text/html;charset=gbk", "text/html"}},
		{"unclosed quote joins", []string{`text/html;x="`, "text/plain"}},
		{"1000 items", []string{strings.Repeat("text/html,", 1000)}},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkMIMEType, sinkBool = mimesniff.Extract(bb.values)
			}
		})
	}
}

func BenchmarkNoSniff(b *testing.B) {
	values := []string{"nosniff"}
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = mimesniff.NoSniff(values)
	}
}
