package enforce

import (
	"net/http"
	"testing"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// TestReadsORBFactsCoversEveryReader: where the Transport leaves a
// response's content type unparsed (readsORBFacts false), every verdict of
// the hop and final checks is the one they give with it parsed, in both
// profiles, over every mode and destination and responses whose
// Content-Type, nosniff and Content-Range would change a verdict that read
// them.
func TestReadsORBFactsCoversEveryReader(t *testing.T) {
	page := origin.MustParse("https://app.example.test")
	var urls []fetchctx.URL
	for _, s := range []string{"https://app.example.test/r", "https://cdn.other.test/r"} {
		u, err := fetchctx.ParseURL(s)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	type body struct {
		b        string
		complete bool
	}
	headers := []http.Header{
		{},
		{"Content-Type": {"text/html"}},
		{"Content-Type": {"text/html"}, "X-Content-Type-Options": {"nosniff"}},
		{"Content-Type": {"image/png"}, "X-Content-Type-Options": {"nosniff"}},
		{"Content-Type": {"text/csv"}},
		{"Content-Type": {"application/json"}, "X-Content-Type-Options": {"nosniff"}},
		{"Content-Type": {"text/javascript"}, "X-Content-Type-Options": {"nosniff"}},
		{"Content-Type": {"text/css"}, "X-Content-Type-Options": {"nosniff"}},
		{"Content-Type": {"video/mp4"}, "Content-Range": {"bytes 0-9/100"}},
		{"Content-Type": {"audio/mpeg"}, "Content-Range": {"bytes 10-19/100"}},
		{"Access-Control-Allow-Origin": {"*"}, "Content-Type": {"text/html"}, "X-Content-Type-Options": {"nosniff"}},
	}
	bodies := []body{{"", true}, {"<html><body>x</body></html>", true}, {`{"a":1}`, true}, {"var a = 1;", true},
		{"\x89PNG\r\n\x1a\n", true}, {"<!DOCTYPE html>", false}}
	skipped := 0
	for _, p := range []Profile{ProfileSpec, ProfileChromium} {
		e := New(Config{Profile: p})
		for _, mode := range []fetchctx.Mode{fetchctx.ModeNoCORS, fetchctx.ModeCORS, fetchctx.ModeSameOrigin, fetchctx.ModeNavigate} {
			for dest := fetchctx.Destination(0); dest <= fetchctx.DestinationXSLT; dest++ {
				for _, u := range urls {
					req := &fetchctx.Request{Origin: page, Mode: mode, Destination: dest, URLs: []fetchctx.URL{u}}
					v, tainting := e.checkRequest(req, 0)
					if !v.Allows() || readsORBFacts(req, tainting) {
						continue
					}
					for _, h := range headers {
						for _, b := range bodies {
							skipped++
							full, _, _ := parseResponse(200, h.Clone(), true)
							bare, _, _ := parseResponse(200, h.Clone(), false)
							for _, r := range []*Response{&full, &bare} {
								r.Body, r.BodyComplete = []byte(b.b), b.complete
							}
							want, _ := e.checkHopResponse(req, 0, tainting, &full, nil)
							got, _ := e.checkHopResponse(req, 0, tainting, &bare, nil)
							if want.Allows() {
								want, _ = e.CheckFinal(req, &full, nil)
								got, _ = e.CheckFinal(req, &bare, nil)
							}
							if got != want {
								t.Errorf("%v, mode %v, destination %q, %s, %v, body %q: without the content type %v, with it %v",
									p, mode, dest, u.String(), h, b.b, got, want)
							}
						}
					}
				}
			}
		}
	}
	if skipped == 0 {
		t.Fatal("no request left its content type unparsed")
	}
}
