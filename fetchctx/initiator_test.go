package fetchctx_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// attrs turns name=value pairs into an Element's Attr.
func attrs(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(n string) (string, bool) { v, ok := m[n]; return v, ok }
}

func el(tag string, kv ...string) *fetchctx.Element {
	return &fetchctx.Element{Tag: tag, Attr: attrs(kv...)}
}

func owned(owner *fetchctx.Element, tag string, kv ...string) *fetchctx.Element {
	e := el(tag, kv...)
	e.Owner = owner
	return e
}

// want is what a row expects of one load.
type want struct {
	Attr, URL, Dest, Mode, Creds, Redirect string
}

func loadsOf(ls []fetchctx.Load) []want {
	var out []want
	for _, l := range ls {
		r := l.Request
		out = append(out, want{l.Attr, l.URL, r.Destination.String(), r.Mode.String(), r.Credentials.String(), r.Redirect.String()})
	}
	return out
}

const (
	follow = "follow"
	manual = "manual"
)

// TestElementLoads is the derivation table: one row per initiator, each
// citing the spec step it follows.
func TestElementLoads(t *testing.T) {
	t.Parallel()
	video := el("video", "crossorigin", "use-credentials")
	audio := el("audio")
	picImg := el("img", "crossorigin", "anonymous")
	tests := []struct {
		name, spec string
		el         *fetchctx.Element
		want       []want
	}{
		{"img", "HTML update the image data: create a potential-CORS request, image, No CORS",
			el("img", "src", " a.png "), []want{{"src", "a.png", "image", "no-cors", "include", follow}}},
		{"img crossorigin", "HTML CORS settings attribute: the empty value is Anonymous",
			el("img", "src", "a.png", "crossorigin", ""), []want{{"src", "a.png", "image", "cors", "same-origin", follow}}},
		{"img crossorigin invalid", "HTML CORS settings attribute: the invalid value default is Anonymous",
			el("img", "src", "a.png", "crossorigin", "bogus"), []want{{"src", "a.png", "image", "cors", "same-origin", follow}}},
		{"img use-credentials", "HTML create a potential-CORS request, step 3: include",
			el("img", "src", "a.png", "crossorigin", "USE-CREDENTIALS"), []want{{"src", "a.png", "image", "cors", "include", follow}}},
		{"img srcset", "HTML parse a srcset attribute: each candidate's URL",
			el("img", "src", "a.png", "srcset", "b.png 1x, c,d.png 2x,e.png,, f.png (x, y) 3w"),
			[]want{{"src", "a.png", "image", "no-cors", "include", follow}, {"srcset", "b.png", "image", "no-cors", "include", follow},
				{"srcset", "c,d.png", "image", "no-cors", "include", follow}, {"srcset", "e.png", "image", "no-cors", "include", follow},
				{"srcset", "f.png", "image", "no-cors", "include", follow}}},
		{"picture source", "HTML select an image source: the <img> requests, with its crossorigin",
			owned(picImg, "source", "srcset", "p.webp"), []want{{"srcset", "p.webp", "image", "cors", "same-origin", follow}}},
		{"input type=image", "HTML image button: destination image, credentials include",
			el("input", "type", "IMAGE", "src", "go.png", "crossorigin", "anonymous"), []want{{"src", "go.png", "image", "no-cors", "include", follow}}},
		{"classic script", "HTML fetch a classic script, step 1: potential-CORS, script",
			el("script", "src", "a.js"), []want{{"src", "a.js", "script", "no-cors", "include", follow}}},
		{"classic script type", "HTML prepare the script element: a JavaScript MIME type is classic",
			el("script", "src", "a.js", "type", "application/javascript", "crossorigin", ""), []want{{"src", "a.js", "script", "cors", "same-origin", follow}}},
		{"classic script language", "HTML prepare the script element: no type, text/ + language",
			el("script", "src", "a.js", "language", "JavaScript"), []want{{"src", "a.js", "script", "no-cors", "include", follow}}},
		{"module script", "HTML fetch a single module script: cors, crossorigin's credentials mode",
			el("script", "src", "m.js", "type", "module"), []want{{"src", "m.js", "script", "cors", "same-origin", follow}}},
		{"module script use-credentials", "HTML CORS settings attribute credentials mode: include",
			el("script", "src", "m.js", "type", "Module", "crossorigin", "use-credentials"), []want{{"src", "m.js", "script", "cors", "include", follow}}},
		{"stylesheet", "HTML link type stylesheet: create a link request, style",
			el("link", "rel", "Stylesheet", "href", "s.css"), []want{{"href", "s.css", "style", "no-cors", "include", follow}}},
		{"stylesheet crossorigin", "HTML create a link request: potential-CORS with crossorigin",
			el("link", "rel", "stylesheet", "href", "s.css", "crossorigin", ""), []want{{"href", "s.css", "style", "cors", "same-origin", follow}}},
		{"preload script", "HTML translate a preload destination: script",
			el("link", "rel", "preload", "as", "script", "href", "a.js"), []want{{"href", "a.js", "script", "no-cors", "include", follow}}},
		{"preload style", "HTML translate a preload destination: style",
			el("link", "rel", "preload", "as", "style", "href", "s.css"), []want{{"href", "s.css", "style", "no-cors", "include", follow}}},
		{"preload image", "HTML translate a preload destination: image",
			el("link", "rel", "preload", "as", "image", "href", "i.png"), []want{{"href", "i.png", "image", "no-cors", "include", follow}}},
		{"preload font", "HTML translate a preload destination: font (potential-CORS: crossorigin is needed to match @font-face)",
			el("link", "rel", "preload", "as", "font", "href", "f.woff2", "crossorigin", ""), []want{{"href", "f.woff2", "font", "cors", "same-origin", follow}}},
		{"preload track", "HTML translate a preload destination: track",
			el("link", "rel", "preload", "as", "track", "href", "t.vtt"), []want{{"href", "t.vtt", "track", "no-cors", "include", follow}}},
		{"preload fetch", "HTML translate a preload destination: fetch is the empty destination",
			el("link", "rel", "preload", "as", "fetch", "href", "d.json", "crossorigin", ""), []want{{"href", "d.json", "", "cors", "same-origin", follow}}},
		{"modulepreload", "HTML link type modulepreload: script, cors",
			el("link", "rel", "modulepreload", "href", "m.js"), []want{{"href", "m.js", "script", "cors", "same-origin", follow}}},
		{"modulepreload worker", "HTML fetch a single module script: a top-level worker script is same-origin",
			el("link", "rel", "modulepreload", "as", "worker", "href", "w.js"), []want{{"href", "w.js", "worker", "same-origin", "same-origin", follow}}},
		{"icon", "HTML link type icon: the default fetch, image",
			el("link", "rel", "shortcut icon", "href", "favicon.ico"), []want{{"href", "favicon.ico", "image", "no-cors", "include", follow}}},
		{"manifest", "HTML link type manifest, Web App Manifest processing: cors, omit",
			el("link", "rel", "manifest", "href", "app.webmanifest"), []want{{"href", "app.webmanifest", "manifest", "cors", "omit", follow}}},
		{"manifest use-credentials", "Web App Manifest: use-credentials includes credentials",
			el("link", "rel", "manifest", "href", "app.webmanifest", "crossorigin", "use-credentials"), []want{{"href", "app.webmanifest", "manifest", "cors", "include", follow}}},
		{"link two types", "HTML link: each rel type fetches",
			el("link", "rel", "stylesheet preload", "as", "style", "href", "s.css"),
			[]want{{"href", "s.css", "style", "no-cors", "include", follow}, {"href", "s.css", "style", "no-cors", "include", follow}}},
		{"audio", "HTML media resource fetch algorithm: potential-CORS, audio",
			el("audio", "src", "a.mp3"), []want{{"src", "a.mp3", "audio", "no-cors", "include", follow}}},
		{"video with poster", "HTML resource fetch algorithm (video); poster frame: image, include",
			el("video", "src", "v.mp4", "poster", "p.jpg", "crossorigin", ""),
			[]want{{"src", "v.mp4", "video", "cors", "same-origin", follow}, {"poster", "p.jpg", "image", "no-cors", "include", follow}}},
		{"audio source", "HTML resource fetch algorithm: the media element's crossorigin",
			owned(audio, "source", "src", "a.ogg"), []want{{"src", "a.ogg", "audio", "no-cors", "include", follow}}},
		{"video source", "HTML resource fetch algorithm: the media element's crossorigin",
			owned(video, "source", "src", "v.webm"), []want{{"src", "v.webm", "video", "cors", "include", follow}}},
		{"track", "HTML start the track processing model: potential-CORS, same-origin fallback",
			owned(audio, "track", "src", "t.vtt"), []want{{"src", "t.vtt", "track", "same-origin", "include", follow}}},
		{"track crossorigin", "HTML start the track processing model: the media element's crossorigin",
			owned(video, "track", "src", "t.vtt"), []want{{"src", "t.vtt", "track", "cors", "include", follow}}},
		{"iframe", "HTML create navigation params by fetching: navigate, include, manual",
			el("iframe", "src", "https://w.example/"), []want{{"src", "https://w.example/", "iframe", "navigate", "include", manual}}},
		{"frame", "HTML create navigation params by fetching: frame",
			el("frame", "src", "f.html"), []want{{"src", "f.html", "frame", "navigate", "include", manual}}},
		{"object", "HTML object element: navigate, destination object",
			el("object", "data", "o.pdf"), []want{{"data", "o.pdf", "object", "navigate", "include", manual}}},
		{"embed", "HTML embed element: navigate, destination embed",
			el("embed", "src", "e.swf"), []want{{"src", "e.swf", "embed", "navigate", "include", manual}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.el.Loads()
			if err != nil {
				t.Fatalf("%s: Loads: %v", tc.spec, err)
			}
			if diff := cmp.Diff(tc.want, loadsOf(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.spec, diff)
			}
			if r, err := fetchctx.ForElement(tc.el.Tag, tc.el.Attr); tc.el.Owner == nil && (err != nil || r.Destination != got[0].Request.Destination || r.Mode != got[0].Request.Mode) {
				t.Errorf("ForElement = %+v, %v; want the first load's request", r, err)
			}
		})
	}
}

func TestElementLoadsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		el   *fetchctx.Element
		kind fetchctx.ElementErrorKind
	}{
		{"div", el("div", "src", "x"), fetchctx.ElementUnknown},
		{"anchor", el("a", "href", "x"), fetchctx.ElementUnknown},
		{"inline script", el("script"), fetchctx.ElementFetchesNothing},
		{"nomodule classic", el("script", "src", "a.js", "nomodule", ""), fetchctx.ElementFetchesNothing},
		{"importmap", el("script", "src", "m.json", "type", "importmap"), fetchctx.ElementFetchesNothing},
		{"data block", el("script", "src", "d", "type", "text/plain"), fetchctx.ElementFetchesNothing},
		{"empty src", el("img", "src", "  "), fetchctx.ElementFetchesNothing},
		{"srcdoc iframe", el("iframe", "src", "x", "srcdoc", "<p>"), fetchctx.ElementFetchesNothing},
		{"preload unknown as", el("link", "rel", "preload", "as", "document", "href", "x"), fetchctx.ElementFetchesNothing},
		{"modulepreload not script-like", el("link", "rel", "modulepreload", "as", "image", "href", "x"), fetchctx.ElementFetchesNothing},
		{"prefetch", el("link", "rel", "prefetch", "href", "x"), fetchctx.ElementFetchesNothing},
		{"input text", el("input", "type", "text", "src", "x"), fetchctx.ElementFetchesNothing},
		{"source alone", el("source", "src", "x"), fetchctx.ElementNeedsOwner},
		{"track alone", el("track", "src", "x"), fetchctx.ElementNeedsOwner},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ls, err := tc.el.Loads()
			var ee *fetchctx.ElementError
			if !errors.As(err, &ee) || ee.Kind != tc.kind {
				t.Fatalf("Loads = %v, %v; want an *ElementError of kind %s", ls, err, tc.kind)
			}
			if ls != nil {
				t.Errorf("Loads returned loads with an error: %v", ls)
			}
		})
	}
}

type reqWant struct {
	Dest, Mode, Creds, Redirect, Method string
	Header                              http.Header
}

func reqOf(r fetchctx.Request) reqWant {
	return reqWant{r.Destination.String(), r.Mode.String(), r.Credentials.String(), r.Redirect.String(), r.Method, r.Header}
}

// TestScriptAndCSSRequests is the table of the initiators that are not
// elements.
func TestScriptAndCSSRequests(t *testing.T) {
	t.Parallel()
	must := func(r fetchctx.Request, err error) fetchctx.Request {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	tests := []struct {
		name, spec string
		got        fetchctx.Request
		want       reqWant
	}{
		{"@font-face", "CSS Fonts 4 fetch a font: cors; CSS Values 4 fetch a style resource, step 4: same-origin",
			must(fetchctx.ForCSS(fetchctx.DestinationFont)), reqWant{"font", "cors", "same-origin", follow, "", nil}},
		{"url() image", "CSS Images 4 fetch an external image for a stylesheet: no-cors; fetch a style resource, step 5: include",
			must(fetchctx.ForCSS(fetchctx.DestinationImage)), reqWant{"image", "no-cors", "include", follow, "", nil}},
		{"@import", "CSS Cascade 4 fetch an @import: style, no-cors; fetch a style resource, step 5: include",
			must(fetchctx.ForCSS(fetchctx.DestinationStyle)), reqWant{"style", "no-cors", "include", follow, "", nil}},
		{"worker classic", "HTML fetch a classic worker script: same-origin, same-origin",
			must(fetchctx.ForWorker(fetchctx.DestinationWorker, fetchctx.WorkerClassic, fetchctx.CredentialsInclude)), reqWant{"worker", "same-origin", "same-origin", follow, "", nil}},
		{"worker module", "HTML fetch a single module script, isTopLevel: same-origin, the options' credentials",
			must(fetchctx.ForWorker(fetchctx.DestinationWorker, fetchctx.WorkerModule, fetchctx.CredentialsOmit)), reqWant{"worker", "same-origin", "omit", follow, "", nil}},
		{"shared worker classic", "HTML fetch a classic worker script: sharedworker",
			must(fetchctx.ForWorker(fetchctx.DestinationSharedWorker, fetchctx.WorkerClassic, 0)), reqWant{"sharedworker", "same-origin", "same-origin", follow, "", nil}},
		{"shared worker module", "HTML fetch a module worker script graph: sharedworker",
			must(fetchctx.ForWorker(fetchctx.DestinationSharedWorker, fetchctx.WorkerModule, fetchctx.CredentialsInclude)), reqWant{"sharedworker", "same-origin", "include", follow, "", nil}},
		{"service worker classic", "Service Workers Update: redirect mode error",
			must(fetchctx.ForWorker(fetchctx.DestinationServiceWorker, fetchctx.WorkerClassic, 0)), reqWant{"serviceworker", "same-origin", "same-origin", "error", "", nil}},
		{"service worker module", "Service Workers Update: a module script's credentials are omit",
			must(fetchctx.ForWorker(fetchctx.DestinationServiceWorker, fetchctx.WorkerModule, fetchctx.CredentialsInclude)), reqWant{"serviceworker", "same-origin", "omit", "error", "", nil}},
		{"fetch defaults", "Fetch new Request(input, init), steps 5 and 18: fallback mode cors, credentials same-origin",
			must(fetchctx.ForFetch(fetchctx.FetchInit{})), reqWant{"", "cors", "same-origin", follow, "GET", nil}},
		{"fetch init", "Fetch new Request(input, init), steps 18-25: mode, credentials, redirect, method normalized",
			must(fetchctx.ForFetch(fetchctx.FetchInit{Method: "put", Header: http.Header{"X-Token": {"1"}, "Cookie": {"a=b"}},
				Mode: "same-origin", Credentials: "include", Redirect: "manual"})),
			reqWant{"", "same-origin", "include", "manual", "PUT", http.Header{"X-Token": {"1"}}}},
		{"fetch no-cors", "Fetch new Request(input, init), steps 31-32: guard request-no-cors keeps safelisted headers",
			must(fetchctx.ForFetch(fetchctx.FetchInit{Method: "POST", Mode: "no-cors", Header: http.Header{"Content-Type": {"text/plain"}, "X-Token": {"1"}}})),
			reqWant{"", "no-cors", "same-origin", follow, "POST", http.Header{"Content-Type": {"text/plain"}}}},
		{"XMLHttpRequest", "XHR send(): cors, same-origin",
			must(fetchctx.ForXHR("get", nil, false)), reqWant{"", "cors", "same-origin", follow, "GET", nil}},
		{"XMLHttpRequest withCredentials", "XHR send(): withCredentials includes credentials",
			must(fetchctx.ForXHR("PATCH", http.Header{"X-A": {"1"}}, true)), reqWant{"", "cors", "include", follow, "PATCH", http.Header{"X-A": {"1"}}}},
		{"EventSource", "HTML EventSource constructor: potential-CORS, Anonymous",
			fetchctx.ForEventSource(false), reqWant{"", "cors", "same-origin", follow, "", nil}},
		{"EventSource withCredentials", "HTML EventSource constructor: Use Credentials",
			fetchctx.ForEventSource(true), reqWant{"", "cors", "include", follow, "", nil}},
		{"sendBeacon text", "Beacon sendBeacon(): a safelisted type is no-cors, credentials include",
			fetchctx.ForBeacon("text/plain;charset=UTF-8"), reqWant{"", "no-cors", "include", follow, "POST", http.Header{"Content-Type": {"text/plain;charset=UTF-8"}}}},
		{"sendBeacon json", "Beacon sendBeacon(): any other type is cors",
			fetchctx.ForBeacon("application/json"), reqWant{"", "cors", "include", follow, "POST", http.Header{"Content-Type": {"application/json"}}}},
		{"sendBeacon no type", "Beacon sendBeacon(): no type, no-cors",
			fetchctx.ForBeacon(""), reqWant{"", "no-cors", "include", follow, "POST", nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, reqOf(tc.got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.spec, diff)
			}
		})
	}
}

func TestScriptRequestErrors(t *testing.T) {
	t.Parallel()
	for _, init := range []fetchctx.FetchInit{
		{Mode: "navigate"}, {Mode: "bogus"}, {Credentials: "all"}, {Redirect: "never"},
		{Method: "CONNECT"}, {Method: "trace"}, {Method: "GET BAD"}, {Method: "PUT", Mode: "no-cors"},
	} {
		if r, err := fetchctx.ForFetch(init); !errors.As(err, new(*fetchctx.RequestError)) {
			t.Errorf("ForFetch(%+v) = %+v, %v; want a *RequestError", init, r, err)
		}
	}
	if _, err := fetchctx.ForXHR("track", nil, false); !errors.As(err, new(*fetchctx.RequestError)) {
		t.Errorf("ForXHR(TRACK): %v; want a *RequestError", err)
	}
	if _, err := fetchctx.ForCSS(fetchctx.DestinationScript); err == nil {
		t.Error("ForCSS(script): no error")
	}
	if _, err := fetchctx.ForWorker(fetchctx.DestinationScript, fetchctx.WorkerClassic, 0); err == nil {
		t.Error("ForWorker(script): no error")
	}
}

// A Key tells apart the same URL asked for by another initiator or under
// another policy, and not the same request twice.
func TestRequestKey(t *testing.T) {
	t.Parallel()
	u := []fetchctx.URL{fetchctx.MustParseURL("https://cdn.example/i.png")}
	img, _ := fetchctx.ForElement("img", attrs("src", "i.png"))
	a := img
	a.Origin, a.URLs = origin.MustParse("https://a.example"), u
	b := a
	b.Method = "GET"
	if a.Key() != b.Key() {
		t.Error("GET and the default method give different keys")
	}
	b.Policy.Value = fetchctx.RequireCORP
	if a.Key() == b.Key() {
		t.Error("another embedder policy gives the same key")
	}
	c := a
	c.Origin = origin.MustParse("https://b.example")
	if a.Key() == c.Key() {
		t.Error("another initiator gives the same key")
	}
}
