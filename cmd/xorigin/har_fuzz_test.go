package main

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// FuzzHAR reads arbitrary bytes as a HAR file. Properties: no panic; the
// same bytes give the same entries and the same error; an error is a
// *harError whose byte offset lies within the input; entry offsets grow.
func FuzzHAR(f *testing.F) {
	for _, name := range []string{"testdata/chrome.har", "testdata/firefox.har", "testdata/edges.har"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"log":{"version":"1.2","entries":[]}}`)) // empty log
	f.Add([]byte("\xEF\xBB\xBF{\"log\":{}}"))               // byte order mark
	f.Add([]byte(`{"log":{"entries":[{"request":`))         // truncated
	f.Add([]byte(`{"log":{"entries":[1]}}`))                // wrong type
	f.Add([]byte(`[]`))                                     // not an object
	f.Fuzz(func(t *testing.T, data []byte) {
		read := func() ([]int64, error) {
			var offsets []int64
			err := readHAR(bytes.NewReader(data), bytes.NewReader(data), func(*harMeta) {},
				func(i int, off int64, e *harEntry) error {
					offsets = append(offsets, off)
					return nil
				})
			return offsets, err
		}
		off1, err1 := read()
		off2, err2 := read()
		if len(off1) != len(off2) || (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("not deterministic: %v / %v", err1, err2)
		}
		for i := 1; i < len(off1); i++ {
			if off1[i] <= off1[i-1] {
				t.Fatalf("entry offsets do not grow: %v", off1)
			}
		}
		if err1 != nil {
			var he *harError
			if !errors.As(err1, &he) {
				t.Fatalf("error %v is not a *harError", err1)
			}
			if he.Offset < 0 || he.Offset > int64(len(data)) {
				t.Fatalf("offset %d outside the %d-byte input", he.Offset, len(data))
			}
		}
	})
}
