// Package compare benchmarks internal/jsscript's Valid beside the parser
// it replaced in ORB's script step, github.com/tdewolff/parse/v2/js, on
// the same bodies in the same run (package jsshapes). It is a module of
// its own so that the comparison keeps tdewolff out of the root module's
// requirements; it has no API.
//
//	cd internal/jsscript/compare
//	JSSCRIPT_BENCH=$(../testdata/corpus.sh --bench) go test -run - -bench ORBScript .
package compare
