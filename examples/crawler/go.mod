module github.com/xorigin/xorigin/examples/crawler

go 1.26.8

require (
	github.com/google/go-cmp v0.7.0
	github.com/xorigin/xorigin v0.0.0
	golang.org/x/net v0.62.0
)

require golang.org/x/text v0.43.0 // indirect

replace github.com/xorigin/xorigin => ../..
