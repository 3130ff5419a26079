package enforce

import (
	"bytes"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/xorigin/xorigin/internal/jsscript"
	"github.com/xorigin/xorigin/internal/mimesniff"
)

// isJavaScriptNotJSON implements "determine if response is JavaScript and
// not JSON" (Fetch PR 1755) on a whole body.
//
// The script step validates the body against ECMAScript's Script goal
// (internal/jsscript: the grammar and its early errors, checked against
// V8), rather than prefix heuristics: the spec asks for a full parse, and
// heuristics let plain text and HTML through. The validator builds no
// tree and keeps a bounded stack of contexts: one decision allocates at
// most 64 KiB besides the decoded body, its goroutine's stack does not
// grow with nesting (nesting past jsscript.MaxDepth is not a script)
// (TestScriptDecisionCost; speed: BenchmarkORBScript here and in
// internal/jsscript, beside the parser it replaced).
func isJavaScriptNotJSON(body []byte, mt *mimesniff.MIMEType, hasMIME bool) bool {
	// Step 8: any JSON is not JavaScript for this purpose. Parsing JSON
	// bytes UTF-8 decodes them, dropping a BOM.
	if isJSON(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))) {
		return false
	}
	// Steps 9-11: decode as a classic script would (legacy extract an
	// encoding: the charset parameter, else the fallback UTF-8; a BOM wins).
	src := decodeScript(body, mt, hasMIME)
	// Step 12: ParseText(sourceText, Script): success. The validator reads
	// src and never writes it.
	return jsscript.Valid(src)
}

func decodeScript(body []byte, mt *mimesniff.MIMEType, hasMIME bool) []byte {
	switch {
	case bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")):
		return body[3:]
	case bytes.HasPrefix(body, []byte("\xFE\xFF")), bytes.HasPrefix(body, []byte("\xFF\xFE")):
		return decodeWith("utf-16", body)
	}
	if hasMIME {
		if cs, ok := mt.Param("charset"); ok {
			return decodeWith(cs, body)
		}
	}
	return body
}

// decodeWith decodes b from the encoding labelled label into UTF-8; an
// unknown label, or UTF-8 itself, leaves b as it is.
func decodeWith(label string, b []byte) []byte {
	if equalFold(label, "utf-8") {
		// Encoding, get an encoding: "utf-8" is UTF-8's own label, the
		// usual charset, answered without the label table's lookup.
		return b
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return b
	}
	if name, _ := htmlindex.Name(enc); name == "utf-8" {
		return b
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return b
	}
	return out
}
