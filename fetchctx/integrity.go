package fetchctx

import "strings"

// HashAlgorithm is a hash function Subresource Integrity knows. Its order
// is the spec's "valid SRI hash algorithm token set": a later one is
// stronger. The zero HashAlgorithm is none.
type HashAlgorithm uint8

// The algorithms.
const (
	HashNone HashAlgorithm = iota
	SHA256
	SHA384
	SHA512
)

// String returns "sha256", "sha384", "sha512", or "" for HashNone.
func (a HashAlgorithm) String() string {
	switch a {
	case SHA256:
		return "sha256"
	case SHA384:
		return "sha384"
	case SHA512:
		return "sha512"
	}
	return ""
}

// Integrity is a request's integrity metadata (Fetch: integrity metadata;
// an element's integrity attribute, fetch()'s integrity option), parsed
// once by ParseIntegrity so that a decision reads it without allocating.
// The zero Integrity is the empty string: no metadata, nothing checked.
// An Integrity is immutable; copies share their digests.
type Integrity struct {
	raw string
	// strongest is the strongest algorithm among the items whose
	// algorithm is known (SRI: get the strongest metadata); HashNone when
	// there is none, and then any body matches.
	strongest HashAlgorithm
	// digests are the strongest items' values, substrings of raw.
	digests []IntegrityDigest
	// valid and validDigests are the same over the items whose value is
	// well-formed base64 or base64url (Chromium drops the others first).
	valid        HashAlgorithm
	validDigests []IntegrityDigest
}

// IntegrityDigest is one item of the strongest metadata: its value as the
// spec's parser reads it, and as Chromium's does.
type IntegrityDigest struct {
	// Spec is the value as SRI's "parse metadata" takes it: the text
	// between the first and the second "-" of the expression (the part
	// before any "?"). A base64url value with a "-" of its own is cut
	// there, and then matches nothing.
	Spec string
	// Lenient is the whole text after the first "-" (before any "?"),
	// which Chromium reads and compares ignoring the base64 alphabet
	// ("+/" or "-_") and padding.
	Lenient string
}

// ParseIntegrity parses integrity metadata as SRI's "parse metadata" and
// "get the strongest metadata" do: the string is split on ASCII
// whitespace (the spec says spaces, but its own example in "Agility"
// spans lines, and browsers split on any ASCII whitespace); each item's options (from the first "?") are ignored; an
// item whose algorithm is not sha256, sha384 or sha512 (ASCII
// case-insensitively) is skipped; and only the items of the strongest
// algorithm present are kept. A value that is not base64 is kept as it
// is: it matches no body (fail closed). Parsing never fails.
func ParseIntegrity(s string) Integrity {
	in := Integrity{raw: s}
	for item := range strings.FieldsFuncSeq(s, isASCIIWhitespace) {
		expr, _, _ := strings.Cut(item, "?")
		name, val, _ := strings.Cut(expr, "-")
		alg := parseHashAlgorithm(name)
		if alg == HashNone || alg < in.strongest {
			continue
		}
		if alg > in.strongest {
			in.strongest, in.digests = alg, in.digests[:0]
		}
		spec, _, _ := strings.Cut(val, "-")
		in.digests = append(in.digests, IntegrityDigest{Spec: spec, Lenient: val})
	}
	for item := range strings.FieldsFuncSeq(s, isASCIIWhitespace) {
		expr, _, _ := strings.Cut(item, "?")
		name, val, _ := strings.Cut(expr, "-")
		alg := parseHashAlgorithm(name)
		if alg == HashNone || alg < in.valid || !isBase64Digest(val) {
			continue
		}
		if alg > in.valid {
			in.valid, in.validDigests = alg, in.validDigests[:0]
		}
		spec, _, _ := strings.Cut(val, "-")
		in.validDigests = append(in.validDigests, IntegrityDigest{Spec: spec, Lenient: val})
	}
	return in
}

// isBase64Digest reports whether s is a digest Chromium's integrity
// parser takes: base64 or base64url characters, then at most two "=".
func isBase64Digest(s string) bool {
	n := len(s)
	for n > 0 && s[n-1] == '=' && len(s)-n < 2 {
		n--
	}
	if n == 0 {
		return false
	}
	for i := 0; i < n; i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func parseHashAlgorithm(s string) HashAlgorithm {
	switch {
	case strings.EqualFold(s, "sha256"):
		return SHA256
	case strings.EqualFold(s, "sha384"):
		return SHA384
	case strings.EqualFold(s, "sha512"):
		return SHA512
	}
	return HashNone
}

// String returns the metadata as given to ParseIntegrity.
func (in Integrity) String() string { return in.raw }

// IsEmpty reports whether the metadata is the empty string: the request
// has no integrity metadata, and main fetch checks nothing. Metadata that
// is not empty but names no known algorithm is not empty: it still needs
// a body (an opaque response fails), though any body matches.
func (in Integrity) IsEmpty() bool { return in.raw == "" }

// Strongest returns the strongest known algorithm the metadata names, and
// the digests given for it; HashNone when it names none.
func (in Integrity) Strongest() (HashAlgorithm, []IntegrityDigest) {
	return in.strongest, in.digests
}

// StrongestValid is Strongest over the items whose digest is well-formed
// base64 or base64url, as Chromium parses the metadata: it drops the
// others ("sha256-%") before it picks the strongest algorithm, and a
// metadata string left with no item is no metadata at all.
func (in Integrity) StrongestValid() (HashAlgorithm, []IntegrityDigest) {
	return in.valid, in.validDigests
}

// isASCIIWhitespace reports whether r is ASCII whitespace (Infra): tab,
// LF, FF, CR or space.
func isASCIIWhitespace(r rune) bool {
	return r == '\t' || r == '\n' || r == '\f' || r == '\r' || r == ' '
}
