package enforce

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"

	"github.com/xorigin/xorigin/fetchctx"
)

// integrityCheck implements main fetch's Subresource Integrity steps for
// the final response resp, hop last, of a request with integrity metadata.
func (e *Engine) integrityCheck(req *fetchctx.Request, resp *Response, last int) Verdict {
	chromium := e.profile == ProfileChromium
	if chromium {
		// Chromium drops the items whose digest is not base64 before
		// anything else, and metadata left without an item is none:
		// nothing is checked (the spec checks "sha256-%" and fails it).
		if alg, _ := req.Integrity.StrongestValid(); alg == fetchctx.HashNone {
			return allowed
		}
	}
	// Step 23.2: the body of the response the initiator gets must not be
	// null. An opaque filtered response's is (SRI needs CORS: a no-cors
	// request to another origin always fails); so is the body of a
	// response to HEAD or with a null body status (step 22), which
	// Chromium instead hashes as the empty body.
	t, _ := req.Tainting(last)
	if t == fetchctx.TaintingOpaque {
		return blocked(ReasonIntegrity, StepIntegrityNullBody, last)
	}
	body := resp.Body
	if req.Method == "HEAD" || req.Method == "CONNECT" || isNullBodyStatus(resp.Status) {
		if !chromium {
			return blocked(ReasonIntegrity, StepIntegrityNullBody, last)
		}
		body = nil
	} else {
		// A body longer than the budget is never hashed: fail closed.
		if len(body) > e.integrityBudget {
			return blocked(ReasonIntegrity, StepIntegrityBudget, last)
		}
		// Step 23.4: fully read the body.
		if !resp.BodyComplete {
			return Verdict{Result: Undecided, Reason: ReasonNeedBody, Step: StepIntegrity, Hop: last}
		}
	}
	// Step 23.3.1: the bytes must match the metadata.
	if !bytesMatchMetadata(body, &req.Integrity, chromium) {
		return blocked(ReasonIntegrity, StepIntegrity, last)
	}
	return allowed
}

// isNullBodyStatus reports whether status is a null body status (Fetch:
// 101, 103, 204, 205, 304).
func isNullBodyStatus(status int) bool {
	switch status {
	case 101, 103, 204, 205, 304:
		return true
	}
	return false
}

// bytesMatchMetadata implements SRI's "do bytes match metadataList?" on
// metadata parsed once (fetchctx.ParseIntegrity did steps 1 and 3): true
// when no known algorithm is named, else when the base64 digest of body
// under the strongest algorithm is one of its values. The spec compares
// the value case-sensitively with the padded standard base64 form;
// chromium, as Chromium does, keeps only the items with a base64 digest,
// also takes the base64url alphabet, and ignores "=" padding. It does not
// allocate.
func bytesMatchMetadata(body []byte, in *fetchctx.Integrity, chromium bool) bool {
	alg, digests := in.Strongest()
	if chromium {
		alg, digests = in.StrongestValid()
	}
	var sum [sha512.Size]byte
	var n int
	switch alg {
	case fetchctx.SHA256:
		s := sha256.Sum256(body)
		n = copy(sum[:], s[:])
	case fetchctx.SHA384:
		s := sha512.Sum384(body)
		n = copy(sum[:], s[:])
	case fetchctx.SHA512:
		s := sha512.Sum512(body)
		n = copy(sum[:], s[:])
	default:
		// Step 2: no metadata the user agent understands: a match.
		return true
	}
	var enc [88]byte // base64 of 64 bytes
	m := base64.StdEncoding.EncodedLen(n)
	base64.StdEncoding.Encode(enc[:m], sum[:n])
	actual := enc[:m]
	// Step 4: any of the strongest values.
	for _, d := range digests {
		if chromium {
			if lenientDigestEqual(d.Lenient, actual) {
				return true
			}
		} else if d.Spec == string(actual) {
			return true
		}
	}
	return false
}

// lenientDigestEqual compares a digest as written with the padded
// standard base64 form of a hash, as Chromium does: "-" stands for "+",
// "_" for "/", and trailing "=" padding on either side is ignored.
func lenientDigestEqual(written string, actual []byte) bool {
	for len(actual) > 0 && actual[len(actual)-1] == '=' {
		actual = actual[:len(actual)-1]
	}
	for len(written) > 0 && written[len(written)-1] == '=' {
		written = written[:len(written)-1]
	}
	if len(written) != len(actual) {
		return false
	}
	for i := 0; i < len(written); i++ {
		c := written[i]
		switch c {
		case '-':
			c = '+'
		case '_':
			c = '/'
		}
		if c != actual[i] {
			return false
		}
	}
	return true
}
