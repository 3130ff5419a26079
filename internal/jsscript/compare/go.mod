module github.com/xorigin/xorigin/internal/jsscript/compare

go 1.26.8

require (
	github.com/tdewolff/parse/v2 v2.8.20
	github.com/xorigin/xorigin v0.0.0
)

replace github.com/xorigin/xorigin => ../../..
