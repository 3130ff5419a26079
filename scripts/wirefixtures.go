//go:build ignore

// Wirefixtures writes testdata/wire.json: the cases the suite lacked for
// running over the wire (final 3xx responses, redirects to non-HTTP(S)
// URLs, bodies that ORB's script step must read whole). Its long bodies
// are generated, so regenerate rather than edit:
//
//	go run scripts/wirefixtures.go > testdata/wire.json
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"

	"github.com/xorigin/xorigin/internal/testbody"
)

type resp struct {
	URL     string      `json:"url"`
	Status  int         `json:"status"`
	Headers [][2]string `json:"headers"`
	Body    string      `json:"body,omitempty"`
	// BodyBase64 carries bodies that are not UTF-8 text.
	BodyBase64 string `json:"bodyBase64,omitempty"`
}

type req struct {
	URL         string `json:"url"`
	Destination string `json:"destination"`
	Mode        string `json:"mode"`
}

type c struct {
	Name      string            `json:"name"`
	Source    string            `json:"source"`
	Checks    []string          `json:"checks"`
	Client    map[string]string `json:"client"`
	Request   req               `json:"request"`
	Responses []resp            `json:"responses"`
	Expect    map[string]any    `json:"expect"`
}

const (
	page = "https://app.example.test"
	cdn  = "https://cdn.other.test"
	html = "<!doctype html><title>account</title><p>secret: 1337</p>"
	png  = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)

var all = []string{"corp", "orb", "cors", "nosniff", "mime", "mixed-content"}

func ct(v string) [][2]string { return [][2]string{{"Content-Type", v}} }

func main() {
	var cases []c
	add := func(name, source, dest, mode string, checks []string, expect string, hops ...resp) {
		cases = append(cases, c{Name: name, Source: source, Checks: checks, Client: map[string]string{"origin": page},
			Request: req{URL: hops[0].URL, Destination: dest, Mode: mode}, Responses: hops, Expect: map[string]any{"result": expect}})
	}
	orbCORP := []string{"orb", "corp"}

	// Final 3xx responses.
	final := "Fetch §4.4 HTTP-redirect fetch step 4 (location URL null: the response is final, and returned as it is)"
	add("final 302 without Location, HTML to an image, is judged by ORB as final",
		final+"; Fetch PR 1755 opaque-response-safelist check step 12 (not an ok status). The PR's HTTP fetch step skips the check for any redirect status, followed or not; this case reads it as skipping redirects that are followed, as a final 3xx reaches the element like any other response",
		"image", "no-cors", orbCORP, "blocked",
		resp{URL: cdn + "/img.png", Status: 302, Headers: ct("text/html"), Body: html})
	add("final 302 without Location, JSON to a script, is judged by ORB as final",
		final+"; Fetch PR 1755 opaque-response-safelist check step 12 (not an ok status); see the case before on the PR's redirect-status condition",
		"script", "no-cors", orbCORP, "blocked",
		resp{URL: cdn + "/lib.js", Status: 302, Headers: ct("application/json"), Body: `{"secret": 1337}`})
	add("final 302 without Location, PNG bytes to an image, is allowed by ORB's image sniff",
		final+"; Fetch PR 1755 opaque-response-safelist check step 10 (image type pattern matched, before the status step)",
		"image", "no-cors", orbCORP, "allowed",
		resp{URL: cdn + "/img.png", Status: 302, Headers: ct("image/png"), BodyBase64: base64.StdEncoding.EncodeToString([]byte(png))})
	add("300 with Location is final (not a redirect status), HTML to an image, blocked",
		"Fetch §2.2.6 redirect status (301, 302, 303, 307, 308) and §response location URL step 1 (not a redirect status: null); HTTP-redirect fetch step 4 (final); Fetch PR 1755 opaque-response-safelist check step 12 (not an ok status)",
		"image", "no-cors", orbCORP, "blocked",
		resp{URL: cdn + "/img.png", Status: 300, Headers: [][2]string{{"Location", cdn + "/other.png"}, {"Content-Type", "text/html"}}, Body: html})

	// Followed redirects.
	followed := "Fetch §4.4 HTTP-redirect fetch (locationURL is an HTTP(S) URL: followed); Fetch PR 1755 HTTP fetch (no opaque-response-safelist check on a redirect status)"
	add("followed 302 with an HTML body, then PNG bytes to an image, is allowed",
		followed+"; the final response passes step 10 (image type pattern matched)",
		"image", "no-cors", orbCORP, "allowed",
		resp{URL: cdn + "/r", Status: 302, Headers: [][2]string{{"Location", cdn + "/final.png"}, {"Content-Type", "text/html"}}, Body: "<html>Moved</html>"},
		resp{URL: cdn + "/final.png", Status: 200, Headers: ct("image/png"), BodyBase64: base64.StdEncoding.EncodeToString([]byte(png))})
	add("followed 302, then HTML to an image, is blocked at the final hop",
		followed+"; the final response fails step 15 (not JavaScript)",
		"image", "no-cors", orbCORP, "blocked",
		resp{URL: cdn + "/r", Status: 302, Headers: [][2]string{{"Location", "/final.png"}}},
		resp{URL: cdn + "/final.png", Status: 200, Headers: ct("text/html"), Body: html})

	// Redirects to non-HTTP(S) URLs: a network error in every mode.
	nonHTTP := "Fetch §4.4 HTTP-redirect fetch step 6 (locationURL's scheme is not an HTTP(S) scheme: network error)"
	add("redirect to a data: URL, no-cors image, is a network error",
		nonHTTP, "image", "no-cors", all, "blocked",
		resp{URL: cdn + "/r.png", Status: 302, Headers: [][2]string{{"Location", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="}}})
	add("redirect to a file: URL, no-cors script, is a network error",
		nonHTTP, "script", "no-cors", all, "blocked",
		resp{URL: cdn + "/r.js", Status: 302, Headers: [][2]string{{"Location", "file:///etc/passwd"}}})
	add("redirect to a data: URL, cors fetch, is a network error",
		nonHTTP+" (before the CORS check of step 12's redirect)", "", "cors", all, "blocked",
		resp{URL: cdn + "/api", Status: 307, Headers: [][2]string{{"Location", "data:text/plain,hello"}, {"Access-Control-Allow-Origin", "*"}}})
	add("redirect to a data: URL, same-origin request, is a network error",
		nonHTTP+" (a same-origin response redirecting to a data: URL, whose origin is opaque)", "", "same-origin", all, "blocked",
		resp{URL: page + "/r", Status: 301, Headers: [][2]string{{"Location", "data:text/html,<p>hi"}}})

	// Bodies the script step reads whole, past 4 KiB and 64 KiB.
	js := "Fetch PR 1755 opaque-response-safelist check step 15 (wait for the whole body; JavaScript and not JSON)"
	s5 := string(testbody.Script(5 << 10))
	add("text/plain script of 5 KiB that parses as JavaScript is allowed",
		js+": the body crosses 1024 and 4096 bytes", "script", "no-cors", all, "allowed",
		resp{URL: cdn + "/s5.js", Status: 200, Headers: ct("text/plain"), Body: s5})
	add("text/plain of 5 KiB, JavaScript for its first 4 KiB only, is blocked",
		js+": only the whole body decides (a statement past 4096 bytes breaks the parse)", "script", "no-cors", all, "blocked",
		resp{URL: cdn + "/s5bad.js", Status: 200, Headers: ct("text/plain"), Body: string(testbody.Script(4200)) + "this is not <JavaScript>\n" + string(testbody.Script(800))})
	s64 := string(testbody.Script(64 << 10))
	add("text/plain script of 64 KiB that parses as JavaScript is allowed",
		js+": the body crosses 8192 and 65536 bytes", "script", "no-cors", all, "allowed",
		resp{URL: cdn + "/s64.js", Status: 200, Headers: ct("text/plain"), Body: s64})
	add("text/plain of 64 KiB whose last line is not JavaScript is blocked",
		js+": the parse fails in the last bytes", "script", "no-cors", all, "blocked",
		resp{URL: cdn + "/s64bad.js", Status: 200, Headers: ct("text/plain"), Body: s64 + "}{\n"})
	add("application/json array of 64 KiB of long strings to an image is blocked",
		js+": a JSON array parses as JavaScript but also as JSON", "image", "no-cors", orbCORP, "blocked",
		resp{URL: cdn + "/data.json", Status: 200, Headers: ct("application/json"), Body: string(testbody.JSONArray(64 << 10))})
	add("application/json array of 5 KiB of long strings to an image is blocked",
		js+": a JSON array parses as JavaScript but also as JSON; the body crosses 4096 bytes", "image", "no-cors", orbCORP, "blocked",
		resp{URL: cdn + "/data5.json", Status: 200, Headers: ct("application/json"), Body: string(testbody.JSONArray(5 << 10))})
	add("application/json label on 64 KiB of JavaScript (an array statement, then a call) to an image is allowed",
		js+": the label does not decide (application/json is blocklisted, not never-sniffed); the body parses as JavaScript and not as JSON", "image", "no-cors", orbCORP, "allowed",
		resp{URL: cdn + "/notjson.json", Status: 200, Headers: ct("application/json"), Body: string(testbody.JSONArray(64<<10)) + ";\nf();\n"})

	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"cases": cases}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
