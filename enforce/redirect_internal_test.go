package enforce

import "testing"

// TestReferenceScheme: the scheme the URL parser reads from a Location
// value, or none for a relative reference (URL standard: scheme start and
// scheme states, after stripping C0 controls and spaces and removing tabs
// and newlines).
func TestReferenceScheme(t *testing.T) {
	for _, c := range []struct {
		ref, scheme string
		ok          bool
	}{
		{"https://a.test/x", "https", true},
		{"HTTP://a.test/", "HTTP", true},
		{"file:///etc/passwd", "file", true},
		{"  \x01data:text/plain,x", "data", true},
		{"fi\tle:///x", "file", true},
		{"f\ni\rle:", "file", true},
		{"blob:http://a.test/x", "blob", true},
		{"web+app:x", "web+app", true},
		{"/relative", "", false},
		{"//a.test/x", "", false},
		{"?q", "", false},
		{"1http://a.test/", "", false}, // a scheme starts with a letter
		{"ht_tp://a.test/", "", false},
		{":x", "", false},
		{"", "", false},
		{"relative/path:x", "", false},
	} {
		s, ok := referenceScheme(c.ref)
		if s != c.scheme || ok != c.ok {
			t.Errorf("referenceScheme(%q) = %q, %v; want %q, %v", c.ref, s, ok, c.scheme, c.ok)
		}
	}
}
