package mimesniff_test

import (
	"strings"
	"testing"

	"github.com/xorigin/xorigin/internal/mimesniff"
)

// place returns n bytes, zero but for each string of parts written at its
// offset.
func place(n int, parts map[int]string) []byte {
	b := make([]byte, n)
	for off, s := range parts {
		copy(b[off:], s)
	}
	return b
}

func cat(parts ...string) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// ftyp returns an MP4 file start: a box of the given size holding "ftyp",
// the major brand, a minor version and compatible brands, then zeros up to
// n bytes.
func ftyp(size uint32, n int, major, minor string, compatible ...string) []byte {
	b := cat(string([]byte{byte(size >> 24), byte(size >> 16), byte(size >> 8), byte(size)}), "ftyp", major, minor)
	for _, c := range compatible {
		b = append(b, c...)
	}
	if len(b) < n {
		b = append(b, make([]byte, n-len(b))...)
	}
	return b
}

// ebml returns the start of a Matroska or WebM file: the EBML magic, a
// one-byte header size, and header elements with the given DocType value
// (its size a one-byte vint), then two more elements.
func ebml(docType string) []byte {
	body := cat(
		"\x42\x86\x81\x01", // EBMLVersion 1
		"\x42\xF7\x81\x01", // EBMLReadVersion 1
		"\x42\xF2\x81\x04", // EBMLMaxIDLength 4
		"\x42\xF3\x81\x08", // EBMLMaxSizeLength 8
		"\x42\x82", string([]byte{0x80 | byte(len(docType))}), docType,
		"\x42\x87\x81\x04", // DocTypeVersion 4
		"\x42\x85\x81\x02", // DocTypeReadVersion 2
	)
	return cat("\x1A\x45\xDF\xA3", string([]byte{0x80 | byte(len(body))}), string(body))
}

// mp3 returns n bytes holding the four-byte MPEG audio frame header h at
// each offset.
func mp3(n int, h string, offsets ...int) []byte {
	parts := make(map[int]string, len(offsets))
	for _, off := range offsets {
		parts[off] = h
	}
	return place(n, parts)
}

const (
	mpeg1L3   = "\xFF\xFB\x90\x44" // MPEG-1 layer III, bitrate index 9, 44.1 kHz, no padding
	mpeg1L3P  = "\xFF\xFB\x92\x44" // the same, padded
	mpeg1L348 = "\xFF\xFB\x94\x44" // the same at 48 kHz
	mpeg2L3   = "\xFF\xF3\x90\x44" // MPEG-2 (version bits 10)
	mpeg25L3  = "\xFF\xE3\x90\x44" // MPEG-2.5 (version bits 00)
	mpegV1L3  = "\xFF\xEB\x90\x44" // the reserved version bits 01
)

// sniffTests each give the result of both sniffers, so that every case
// also shows what the other table makes of it.
var sniffTests = []struct {
	name        string
	in          []byte
	image, av   string // what SniffImage and SniffAudioVideo return
	description string
}{
	{name: "nil"},
	{name: "empty", in: []byte{}},
	{name: "HTML", in: []byte("<!DOCTYPE html><html>")},
	{name: "JSON", in: []byte(`{"secret": 1337}`)},

	// Images.
	{name: "ICO", in: cat("\x00\x00\x01\x00\x01\x00", "\x10\x10"), image: "image/x-icon"},
	{name: "CUR", in: cat("\x00\x00\x02\x00\x01\x00"), image: "image/x-icon"},
	{name: "ICO type 3 is neither", in: cat("\x00\x00\x03\x00\x01\x00")},
	{name: "ICO cut short", in: cat("\x00\x00\x01")},
	{name: "BMP", in: cat("BM", "\x36\x00\x0C\x00"), image: "image/bmp"},
	{name: "BMP exactly", in: cat("BM"), image: "image/bmp"},
	{name: "BMP lowercase", in: cat("bm\x36\x00")},
	{name: "BMP cut short", in: cat("B")},
	{name: "GIF87a", in: cat("GIF87a", "\x01\x00"), image: "image/gif"},
	{name: "GIF89a", in: cat("GIF89a", "\x01\x00"), image: "image/gif"},
	{name: "GIF88a", in: cat("GIF88a", "\x01\x00")},
	{name: "GIF cut short", in: cat("GIF89")},
	{name: "PNG", in: cat("\x89PNG\r\n\x1A\n", "\x00\x00\x00\x0DIHDR"), image: "image/png"},
	{name: "PNG last byte off", in: cat("\x89PNG\r\n\x1A\x0B", "\x00\x00\x00\x0DIHDR")},
	{name: "PNG first byte off", in: cat("\x88PNG\r\n\x1A\n")},
	{name: "PNG cut short", in: cat("\x89PNG\r\n\x1A")},
	{name: "PNG after a space", in: cat(" \x89PNG\r\n\x1A\n")},
	{name: "JPEG", in: cat("\xFF\xD8\xFF\xE0\x00\x10JFIF"), image: "image/jpeg"},
	{name: "JPEG third byte off", in: cat("\xFF\xD8\xFE\xE0")},
	{name: "JPEG cut short", in: cat("\xFF\xD8")},
	{name: "WEBP lossy", in: cat("RIFF\x24\x00\x00\x00WEBPVP8 "), image: "image/webp"},
	{name: "WEBP lossless", in: cat("RIFF\xFF\xFF\xFF\xFFWEBPVP8L"), image: "image/webp"},
	{name: "WEBP extended", in: cat("RIFF\x00\x00\x00\x00WEBPVP8X"), image: "image/webp"},
	{name: "WEBP without VP", in: cat("RIFF\x24\x00\x00\x00WEBPXX8 ")},
	{name: "WEBP cut short", in: cat("RIFF\x24\x00\x00\x00WEBPV")},

	// RIFF forms: one table each.
	{name: "WAVE", in: cat("RIFF\x24\x08\x00\x00WAVEfmt "), av: "audio/wave"},
	{name: "AVI", in: cat("RIFF\x24\x08\x00\x00AVI LIST"), av: "video/avi"},
	{name: "RIFX WAVE", in: cat("RIFX\x00\x00\x08\x24WAVEfmt ")},
	{name: "WAVE cut short", in: cat("RIFF\x24\x08\x00\x00WAV")},
	{name: "AVI without the space", in: cat("RIFF\x24\x08\x00\x00AVIX")},

	// Audio and video patterns.
	{name: "AIFF", in: cat("FORM\x00\x00\x10\x00AIFFCOMM"), av: "audio/aiff"},
	{name: "AIFF-C", in: cat("FORM\x00\x00\x10\x00AIFCFVER")},
	{name: "AIFF cut short", in: cat("FORM\x00\x00\x10\x00AIF")},
	{name: "ID3", in: cat("ID3\x04\x00\x00"), av: "audio/mpeg"},
	{name: "ID3 exactly", in: cat("ID3"), av: "audio/mpeg"},
	{name: "ID3 lowercase", in: cat("id3\x04")},
	{name: "ID3 cut short", in: cat("ID")},
	{name: "Ogg", in: cat("OggS\x00\x02"), av: "application/ogg"},
	{name: "Ogg version 1", in: cat("OggS\x01\x02")},
	{name: "Ogg cut short", in: cat("OggS")},
	{name: "MIDI", in: cat("MThd\x00\x00\x00\x06\x00\x01"), av: "audio/midi"},
	{name: "MIDI header length 7", in: cat("MThd\x00\x00\x00\x07\x00\x01")},
	{name: "MIDI cut short", in: cat("MThd\x00\x00\x00")},

	// MP4.
	{name: "MP4 major brand", in: ftyp(24, 24, "mp42", "\x00\x00\x00\x00", "isom", "mp42"), av: "video/mp4"},
	{name: "MP4 compatible brand", in: ftyp(28, 28, "isom", "\x00\x00\x02\x00", "iso2", "avc1", "mp41"), av: "video/mp4"},
	{name: "MP4 compatible brand at the end of a 1 KiB box", in: place(1024, map[int]string{0: "\x00\x00\x04\x00ftypisom", 1020: "mp41"}), av: "video/mp4"},
	{name: "MP4 box size 0", in: ftyp(0, 16, "mp42", "\x00\x00\x00\x00"), av: "video/mp4"},
	{name: "MP4 brand without mp4", in: ftyp(24, 24, "isom", "\x00\x00\x02\x00", "iso2", "avc1")},
	{name: "MP4 brand only in the minor version", in: ftyp(20, 20, "isom", "mp41", "avc1")},
	{name: "MP4 brand past the box size", in: ftyp(20, 24, "isom", "\x00\x00\x00\x00", "avc1", "mp41")},
	{name: "MP4 box size not a multiple of 4", in: ftyp(25, 28, "mp42", "\x00\x00\x00\x00", "isom", "mp42")},
	{name: "MP4 box size past the end", in: ftyp(64, 24, "mp42", "\x00\x00\x00\x00", "isom", "mp42")},
	{name: "MP4 uppercase brand", in: ftyp(24, 24, "MP42", "\x00\x00\x00\x00", "isom", "MP42")},
	{name: "MP4 moov box", in: cat("\x00\x00\x00\x18moovmp42\x00\x00\x00\x00isommp42")},
	{name: "MP4 cut short", in: cat("\x00\x00\x00\x08ftypmp4")},

	// WebM.
	{name: "WebM", in: ebml("webm"), av: "video/webm"},
	{name: "Matroska", in: ebml("matroska")},
	{name: "WebM uppercase", in: ebml("WEBM")},
	{name: "WebM ending with webm", in: ebml("webm")[:28],
		description: "iter is length - 4 after the DocType size, and the spec stops there"},
	{name: "WebM one byte past webm", in: ebml("webm")[:29], av: "video/webm"},
	{name: "WebM 8-byte header size",
		in: cat("\x1A\x45\xDF\xA3\x01\x00\x00\x00\x00\x00\x00\x1F", string(ebml("webm")[5:])), av: "video/webm"},
	{name: "WebM 2-byte DocType size", in: cat("\x1A\x45\xDF\xA3\x8B\x42\x82\x40\x04webm\x42\x87\x81\x04"), av: "video/webm"},
	{name: "WebM zero-padded DocType", in: cat("\x1A\x45\xDF\xA3\x8F\x42\x82\x88\x00\x00\x00\x00webm\x42\x87\x81\x04"), av: "video/webm"},
	{name: "WebM DocType at byte 37",
		in: cat("\x1A\x45\xDF\xA3\xBF\xEC\x9E", string(make([]byte, 30)), "\x42\x82\x84webm\x42\x87\x81\x04"), av: "video/webm"},
	{name: "WebM DocType at byte 38", in: cat("\x1A\x45\xDF\xA3\xBF\xEC\x9F", string(make([]byte, 31)), "\x42\x82\x84webm\x42\x87\x81\x04")},
	{name: "WebM wrong magic", in: cat("\x1A\x45\xDF\xA2", string(ebml("webm")[4:]))},
	{name: "WebM magic only", in: cat("\x1A\x45\xDF\xA3")},
	{name: "WebM DocType ID at the end", in: cat("\x1A\x45\xDF\xA3\x82\x42\x82")},

	// MP3 without ID3, with frame sizes as the spec computes them.
	{name: "MP3 MPEG-1, frames 261 bytes apart", in: mp3(300, mpeg1L3, 0, 261), av: "audio/mpeg",
		description: "version 3: mp2.5-rates[9] = 80000, scale 144, 44100 Hz: 261"},
	{name: "MP3 MPEG-1 padded, 262 apart", in: mp3(300, mpeg1L3P, 0, 262), av: "audio/mpeg"},
	{name: "MP3 MPEG-1 padded, 261 apart", in: mp3(300, mpeg1L3P, 0, 261)},
	{name: "MP3 MPEG-1 48 kHz, 240 apart", in: mp3(300, mpeg1L348, 0, 240), av: "audio/mpeg"},
	{name: "MP3 MPEG-2, 417 apart", in: mp3(500, mpeg2L3, 0, 417), av: "audio/mpeg",
		description: "version 2: mp3-rates[9] = 128000, scale 144: 417"},
	{name: "MP3 MPEG-2.5, 417 apart", in: mp3(500, mpeg25L3, 0, 417), av: "audio/mpeg"},
	{name: "MP3 reserved version 1, 130 apart", in: mp3(300, mpegV1L3, 0, 130), av: "audio/mpeg",
		description: "version 1: mp2.5-rates[9] = 80000, scale 72: 130"},
	{name: "MP3 second header exactly at the end", in: mp3(265, mpeg1L3, 0, 261), av: "audio/mpeg"},
	{name: "MP3 real MPEG-1 stream, 417 apart", in: mp3(1024, mpeg1L3, 0, 417, 834),
		description: "a real 128 kbit/s stream; Firefox's mp3sniff.c finds it, the spec's tables do not"},
	{name: "MP3 second header missing", in: mp3(300, mpeg1L3, 0)},
	{name: "MP3 second header cut short", in: mp3(263, mpeg1L3, 0, 261)},
	{name: "MP3 frame longer than the input", in: mp3(200, mpeg1L3, 0)},
	{name: "MP3 header cut short", in: cat("\xFF\xFB\x90")},
	{name: "MP3 layer I", in: mp3(300, "\xFF\xFF\x90\x44", 0, 261)},
	{name: "MP3 layer II", in: mp3(300, "\xFF\xFD\x90\x44", 0, 261)},
	{name: "MP3 reserved layer", in: mp3(300, "\xFF\xF9\x90\x44", 0, 261)},
	{name: "MP3 bitrate index 15", in: mp3(300, "\xFF\xFB\xF0\x44", 0, 261)},
	{name: "MP3 free-format bitrate", in: mp3(300, "\xFF\xFB\x00\x44", 0, 0, 4)},
	{name: "MP3 sample rate index 3", in: mp3(300, "\xFF\xFB\x9C\x44", 0, 261)},
	{name: "MP3 0xFF without the sync bits", in: mp3(300, "\xFF\x1B\x90\x44", 0, 261),
		description: `the spec's "and" would let this through; the sync needs both`},
	{name: "MP3 sync bits without 0xFF", in: mp3(300, "\xFE\xFB\x90\x44", 0, 261)},
	{name: "MP3 garbage", in: cat(mpeg1L3, strings.Repeat("garbage ", 40))},
}

func TestSniffImage(t *testing.T) {
	t.Parallel()
	for _, tt := range sniffTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := mimesniff.SniffImage(tt.in); got != tt.image {
				t.Errorf("SniffImage(% x) = %q, want %q %s", head(tt.in), got, tt.image, tt.description)
			}
		})
	}
}

func TestSniffAudioVideo(t *testing.T) {
	t.Parallel()
	for _, tt := range sniffTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := mimesniff.SniffAudioVideo(tt.in); got != tt.av {
				t.Errorf("SniffAudioVideo(% x) = %q, want %q %s", head(tt.in), got, tt.av, tt.description)
			}
		})
	}
}

// TestSniffResultsParse checks that every essence the sniffers return is
// an essence Parse agrees with and that lands in the right group.
func TestSniffResultsParse(t *testing.T) {
	t.Parallel()
	for _, tt := range sniffTests {
		for _, e := range []string{tt.image, tt.av} {
			if e == "" {
				continue
			}
			m, err := mimesniff.Parse(e)
			if err != nil || m.String() != e {
				t.Errorf("%s: Parse(%q) = %q, %v", tt.name, e, m, err)
			}
			if e == tt.image && !m.IsImage() || e == tt.av && !m.IsAudioOrVideo() {
				t.Errorf("%s: %q is not in its group", tt.name, e)
			}
		}
	}
}

func head(b []byte) []byte {
	if len(b) > 16 {
		return b[:16]
	}
	return b
}
