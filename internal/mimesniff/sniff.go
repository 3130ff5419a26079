package mimesniff

import "strings"

// SniffLen is how many leading bytes of a response body ORB reads before it
// sniffs ("wait for 1024 bytes of response or end-of-file"); pass at most
// that many to SniffImage and SniffAudioVideo to decide as ORB does.
//
// The functions take any length. The MIME Sniffing Standard's own resource
// header is 1445 bytes, so that the MP3 check can reach the second frame
// header after the longest frame (1441 bytes); with SniffLen bytes, MP3
// streams whose first frame is longer than 1020 bytes do not match.
//
// See https://github.com/annevk/orb and
// https://mimesniff.spec.whatwg.org/#reading-the-resource-header.
const SniffLen = 1024

// signature is one row of a pattern table: a byte pattern, a mask of the
// same length (0xFF: the byte must match; 0x00: any byte), and the MIME
// type essence it stands for.
type signature struct {
	pattern, mask, essence string
}

// imageSignatures is the table of MIME Sniffing §6.1, in order.
var imageSignatures = [...]signature{
	// A Windows icon, then a Windows cursor.
	{"\x00\x00\x01\x00", "\xFF\xFF\xFF\xFF", "image/x-icon"},
	{"\x00\x00\x02\x00", "\xFF\xFF\xFF\xFF", "image/x-icon"},
	// "BM", a BMP.
	{"BM", "\xFF\xFF", "image/bmp"},
	// "GIF87a" and "GIF89a".
	{"GIF87a", "\xFF\xFF\xFF\xFF\xFF\xFF", "image/gif"},
	{"GIF89a", "\xFF\xFF\xFF\xFF\xFF\xFF", "image/gif"},
	// "RIFF", four bytes of length, "WEBPVP".
	{"RIFF\x00\x00\x00\x00WEBPVP", "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF", "image/webp"},
	// The PNG signature: 0x89, "PNG", CR LF SUB LF.
	{"\x89PNG\r\n\x1A\n", "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", "image/png"},
	// A JPEG start-of-image marker and the first byte of the next marker.
	{"\xFF\xD8\xFF", "\xFF\xFF\xFF", "image/jpeg"},
}

// audioVideoSignatures is the table of MIME Sniffing §6.2, in order.
var audioVideoSignatures = [...]signature{
	// "FORM", four bytes of length, "AIFF".
	{"FORM\x00\x00\x00\x00AIFF", "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF", "audio/aiff"},
	// "ID3", an ID3v2-tagged MP3.
	{"ID3", "\xFF\xFF\xFF", "audio/mpeg"},
	// "OggS" and NUL, an Ogg container.
	{"OggS\x00", "\xFF\xFF\xFF\xFF\xFF", "application/ogg"},
	// "MThd" and a header length of 6 (32-bit big-endian), a MIDI file.
	{"MThd\x00\x00\x00\x06", "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", "audio/midi"},
	// "RIFF", four bytes of length, "AVI ".
	{"RIFF\x00\x00\x00\x00AVI ", "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF", "video/avi"},
	// "RIFF", four bytes of length, "WAVE".
	{"RIFF\x00\x00\x00\x00WAVE", "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF", "audio/wave"},
}

// SniffImage runs the image type pattern matching algorithm on the first
// bytes of a resource and returns the image MIME type essence it matches
// ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp" or
// "image/x-icon"), or "" when it matches none. It does not allocate.
//
// See https://mimesniff.spec.whatwg.org/#image-type-pattern-matching-algorithm.
func SniffImage(b []byte) string {
	// Step 1: the first row that matches.
	for i := range imageSignatures {
		sig := &imageSignatures[i]
		if patternMatch(b, sig.pattern, sig.mask, "") {
			return sig.essence
		}
	}
	// Step 2: undefined.
	return ""
}

// SniffAudioVideo runs the audio or video type pattern matching algorithm
// on the first bytes of a resource and returns the audio or video MIME type
// essence it matches ("audio/aiff", "audio/mpeg", "application/ogg",
// "audio/midi", "video/avi", "audio/wave", "video/mp4" or "video/webm"), or
// "" when it matches none. It does not allocate.
//
// See https://mimesniff.spec.whatwg.org/#audio-or-video-type-pattern-matching-algorithm.
func SniffAudioVideo(b []byte) string {
	// Step 1: the first row that matches.
	for i := range audioVideoSignatures {
		sig := &audioVideoSignatures[i]
		if patternMatch(b, sig.pattern, sig.mask, "") {
			return sig.essence
		}
	}
	// Steps 2-4: the signatures that need more than a pattern.
	switch {
	case matchesMP4(b):
		return "video/mp4"
	case matchesWebM(b):
		return "video/webm"
	case matchesMP3WithoutID3(b):
		return "audio/mpeg"
	}
	// Step 5: undefined.
	return ""
}

// patternMatch is the pattern matching algorithm: after skipping leading
// bytes that are in ignored, does input match pattern where mask has bits
// set? pattern and mask have the same length.
//
// See https://mimesniff.spec.whatwg.org/#pattern-matching-algorithm.
func patternMatch(input []byte, pattern, mask, ignored string) bool {
	// Step 2: too short.
	if len(input) < len(pattern) {
		return false
	}
	// Steps 3-4: skip ignored bytes.
	s := 0
	for s < len(input) && strings.IndexByte(ignored, input[s]) >= 0 {
		s++
	}
	// The spec compares input[s+p] without checking that it exists; a
	// missing byte is a mismatch here.
	if len(input)-s < len(pattern) {
		return false
	}
	// Steps 5-6: compare each masked byte.
	for p := 0; p < len(pattern); p++ {
		if input[s+p]&mask[p] != pattern[p] {
			return false
		}
	}
	return true
}

// matchesMP4 reports whether b matches the signature for MP4: a leading
// "ftyp" box whose major brand, or one of whose compatible brands, starts
// with "mp4".
//
// See https://mimesniff.spec.whatwg.org/#signature-for-mp4.
func matchesMP4(b []byte) bool {
	// Step 3.
	if len(b) < 12 {
		return false
	}
	// Steps 4-5: the box size, big-endian, must fit in b and be a multiple
	// of 4.
	boxSize := uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	if uint64(len(b)) < boxSize || boxSize%4 != 0 {
		return false
	}
	// Step 6: the box type.
	if string(b[4:8]) != "ftyp" {
		return false
	}
	// Step 7: the major brand.
	if string(b[8:11]) == "mp4" {
		return true
	}
	// Steps 8-9: the compatible brands, skipping the minor version at 12.
	// boxSize <= len(b) and both are multiples of 4 here, so i+3 <= len(b).
	for i := 16; i < int(boxSize); i += 4 {
		if string(b[i:i+3]) == "mp4" {
			return true
		}
	}
	// Step 10.
	return false
}

// matchesWebM reports whether b matches the signature for WebM: an EBML
// header holding, within its first 38 bytes, a DocType element whose value
// is "webm".
//
// Two steps are read for what they mean, not as written: "parse a vint"
// starts at the byte it is given (the text sets index to 0, the EBML magic's
// first byte), and "matching a padded sequence" is given no end, so it
// skips 0x00 bytes from the offset and then wants "webm".
//
// See https://mimesniff.spec.whatwg.org/#signature-for-webm.
func matchesWebM(b []byte) bool {
	n := len(b)
	// Steps 3-4: the EBML magic number.
	if n < 4 || string(b[:4]) != "\x1A\x45\xDF\xA3" {
		return false
	}
	// Steps 5-6: look for the DocType element ID, 0x42 0x82.
	for iter := 4; iter < n && iter < 38; iter++ {
		if iter+1 >= n || b[iter] != 0x42 || b[iter+1] != 0x82 {
			continue
		}
		// Step 6.1.1-2: past the ID.
		iter += 2
		if iter >= n {
			return false
		}
		// Step 6.1.3-4: past the element size, a vint.
		iter += vintSize(b, iter)
		// Step 6.1.5: too close to the end for "webm". (With exactly four
		// bytes left, which would hold it, the spec also stops.)
		if iter >= n-4 {
			return false
		}
		// Step 6.1.6-7: the value, after any 0x00 padding.
		if matchPadded(b, iter, "webm") {
			return true
		}
		// Step 6.2: go on one byte further.
	}
	// Step 7.
	return false
}

// vintSize returns the length of the EBML variable-length integer at b[i]:
// one more than the number of leading zero bits of its first byte, at most
// 8. It is the "number size" of "parse a vint"; the parsed number itself is
// never used.
//
// See https://mimesniff.spec.whatwg.org/#parse-a-vint.
func vintSize(b []byte, i int) int {
	const maxVintLength = 8
	mask := byte(0x80)
	size := 1
	for size < maxVintLength && size < len(b) {
		if b[i]&mask != 0 {
			break
		}
		mask >>= 1
		size++
	}
	return size
}

// matchPadded reports whether b holds pattern at offset, after any number
// of 0x00 bytes.
//
// See https://mimesniff.spec.whatwg.org/#matching-a-padded-sequence.
func matchPadded(b []byte, offset int, pattern string) bool {
	for offset < len(b) && b[offset] == 0 {
		offset++
	}
	return len(b)-offset >= len(pattern) && string(b[offset:offset+len(pattern)]) == pattern
}

// The tables of "parse an mp3 frame", indexed by the 4-bit bitrate index
// (15 is rejected before) and the 2-bit sample rate index (3 likewise).
var (
	mp3Rates   = [15]int{0, 32000, 40000, 48000, 56000, 64000, 80000, 96000, 112000, 128000, 160000, 192000, 224000, 256000, 320000}
	mp25Rates  = [15]int{0, 8000, 16000, 24000, 32000, 40000, 48000, 56000, 64000, 80000, 96000, 112000, 128000, 144000, 160000}
	sampleRate = [3]int{44100, 48000, 32000}
)

// matchesMP3WithoutID3 reports whether b matches the signature for MP3
// without ID3: an MPEG audio layer III frame header at the start, and
// another where the first frame's size says the next begins.
//
// The algorithm's text has slips, read here for their evident meaning
// (whatwg/mimesniff#70, #168, #208):
//   - the frame sync needs both 0xFF and the top three bits of the next
//     byte ("or", where the text says "and");
//   - "x & m >> k" is (x & m) >> k, and the layer test is
//     4 - ((b[s+1] & 0x06) >> 1) == 3, that is layer III;
//   - the "length < 4" test of "match an mp3 header" is about the four bytes
//     at offset s, and the frame size is checked against length - s (the
//     text says s - length, which no size passes);
//   - the frame size is divided in integers, truncating.
//
// Everything else is as written, though it differs from Firefox's
// mp3sniff.c, from which the text came: the mp2.5-rates table is used when
// version & 1 is set (MPEG-1 and the reserved version 1), the mp3-rates
// table otherwise, the scale is 72 only for version 1, and the sample rate is
// not halved for MPEG-2 or quartered for MPEG-2.5. So the second header is
// sought where the spec computes it, which for most real streams is not
// where the next frame starts, and most raw MP3 streams do not match.
//
// See https://mimesniff.spec.whatwg.org/#signature-for-mp3-without-id3.
func matchesMP3WithoutID3(b []byte) bool {
	// Steps 3-4.
	s := 0
	if !matchMP3Header(b, s) {
		return false
	}
	// Steps 5-6: the frame size from the first header.
	skipped := mp3FrameSize(b, s)
	// Step 7.
	if skipped < 4 || skipped > len(b)-s {
		return false
	}
	// Steps 8-9: another frame header where the next frame begins.
	s += skipped
	return matchMP3Header(b, s)
}

// matchMP3Header is "match an mp3 header" at b[s:].
//
// See https://mimesniff.spec.whatwg.org/#match-an-mp3-header.
func matchMP3Header(b []byte, s int) bool {
	// Step 1: four bytes.
	if len(b)-s < 4 {
		return false
	}
	// Step 2: the 11-bit frame sync.
	if b[s] != 0xFF || b[s+1]&0xE0 != 0xE0 {
		return false
	}
	// Steps 3-4: layer bits 00 are reserved.
	layer := (b[s+1] & 0x06) >> 1
	if layer == 0 {
		return false
	}
	// Steps 5-6: bitrate index 15 is invalid.
	if (b[s+2]&0xF0)>>4 == 15 {
		return false
	}
	// Steps 7-8: sample rate index 3 is reserved.
	if (b[s+2]&0x0C)>>2 == 3 {
		return false
	}
	// Steps 9-11: only layer III (bits 01).
	return 4-layer == 3
}

// mp3FrameSize is "parse an mp3 frame" followed by "compute an mp3 frame
// size", for a header that matchMP3Header accepted.
//
// See https://mimesniff.spec.whatwg.org/#parse-an-mp3-frame and
// https://mimesniff.spec.whatwg.org/#compute-an-mp3-frame-size.
func mp3FrameSize(b []byte, s int) int {
	// Parse: version, bitrate, sample rate and padding.
	version := (b[s+1] & 0x18) >> 3
	bitrateIndex := (b[s+2] & 0xF0) >> 4
	var bitrate int
	if version&0x01 != 0 {
		bitrate = mp25Rates[bitrateIndex]
	} else {
		bitrate = mp3Rates[bitrateIndex]
	}
	freq := sampleRate[(b[s+2]&0x0C)>>2]
	pad := (b[s+2] & 0x02) >> 1
	// Compute: bitrate * scale / freq, plus one byte of padding.
	scale := 144
	if version == 1 {
		scale = 72
	}
	size := bitrate * scale / freq
	if pad != 0 {
		size++
	}
	return size
}
