package enforce

import (
	"bytes"
	"encoding/json"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
	"golang.org/x/text/encoding/htmlindex"

	"github.com/xorigin/xorigin/internal/mimesniff"
)

// isJavaScriptNotJSON implements "determine if response is JavaScript and
// not JSON" (Fetch PR 1755) on a whole body.
//
// The script parse uses github.com/tdewolff/parse/v2/js, a real ECMAScript
// parser, rather than prefix heuristics: the spec asks for a full parse, and
// heuristics let plain text and HTML through. It parses the module goal, so
// top-level import and export declarations, which a classic Script rejects,
// are rejected here by hand.
//
// Its cost grows with the body, and Config.ORBScriptBudget bounds the
// body. Time: tens of MB/s, not hundreds (real bundles: 20 to 60 MB/s on
// one core with the collector off; BenchmarkORBScript, a minified-shaped
// script with the collector on: 2 to 3 MB/s on a 2-core machine under a
// load average of 25). Memory: at most 160 bytes allocated per body byte,
// 14 to 28 for real minified bundles (README, Security;
// TestScriptDecisionCost). Stack: bounded by the nesting pre-pass
// (maxScriptNesting) and the parser's own counters.
func isJavaScriptNotJSON(body []byte, mt *mimesniff.MIMEType, hasMIME bool) bool {
	// Step 8: any JSON is not JavaScript for this purpose. Parsing JSON
	// bytes UTF-8 decodes them, dropping a BOM.
	if json.Valid(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))) {
		return false
	}
	// Steps 9-11: decode as a classic script would (legacy extract an
	// encoding: the charset parameter, else the fallback UTF-8; a BOM wins).
	src := decodeScript(body, mt, hasMIME)
	// Step 12: ParseText(sourceText, Script). parse.NewInputBytes writes a
	// NUL into the byte past len(src) when the capacity allows, and src may
	// be the caller's Response.Body: the decision works on its own copy, one
	// byte longer, so that it never writes to its input (a data race
	// between concurrent decisions on one body, and a changed byte in the
	// caller's buffer). The pre-pass and the parse share the copy.
	buf := make([]byte, len(src), len(src)+1)
	copy(buf, src)
	// ParseText, made total: a body that nests deeper than
	// maxScriptNesting is not parsed at all (the parser recurses per
	// level, and some of its recursion has no bound of its own), so it
	// fails as a parse that finds an early error would.
	if !scriptNestingWithin(buf, maxScriptNesting) {
		return false
	}
	ast, err := js.Parse(parse.NewInputBytes(buf), js.Options{})
	if err != nil {
		return false
	}
	for _, s := range ast.List {
		switch s.(type) {
		case *js.ImportStmt, *js.ExportStmt:
			return false
		}
	}
	return true
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
