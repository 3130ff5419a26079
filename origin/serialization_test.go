package origin_test

import (
	"strconv"
	"testing"

	"github.com/xorigin/xorigin/origin"
)

// TestIsSerialization checks IsSerialization against String: true for the
// origin's own serialization, false for every string one byte away from it
// (each byte changed, dropped or added, the port written with a leading
// zero), and none of it allocates.
func TestIsSerialization(t *testing.T) {
	origins := []origin.Origin{{}, origin.NewOpaque()}
	for _, s := range []string{
		"https://example.com", "http://example.com:8080", "https://a.b.c.example.co.uk:443",
		"http://[2001:db8::1]:1", "http://192.0.2.1:65535", "wss://x.test:9", "http://xn--nxasmq6b.test",
	} {
		origins = append(origins, origin.MustParse(s))
	}
	for _, o := range origins {
		s := o.String()
		if !o.IsSerialization(s) {
			t.Errorf("%q: its own serialization is not", s)
		}
		var near []string
		for i := range len(s) {
			near = append(near, s[:i]+s[i+1:], s[:i]+"x"+s[i+1:], s[:i]+string(s[i]^0x20)+s[i+1:])
		}
		near = append(near, s+"/", s+"0", " "+s, s+":", s+":80")
		if p, ok := o.Port(); ok {
			near = append(near, s[:len(s)-len(strconv.Itoa(int(p)))]+"0"+strconv.Itoa(int(p)))
		}
		for _, n := range near {
			if n != s && o.IsSerialization(n) {
				t.Errorf("%q: IsSerialization(%q) is true", s, n)
			}
		}
		if n := testing.AllocsPerRun(100, func() { sinkBool = o.IsSerialization(s) }); n != 0 {
			t.Errorf("%q: IsSerialization allocates %v times", s, n)
		}
	}
}
