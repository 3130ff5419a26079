package enforce_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// TestTransportFilteredResponses: what script reads is Fetch's filtered
// response (basic without Set-Cookie, CORS with only the safelisted and
// exposed headers, opaque as status 0 with nothing), an element gets the
// body it renders, and DeliveryOf says which type each is.
func TestTransportFilteredResponses(t *testing.T) {
	n := newTestNet(t, routes{
		"app.example.test/me": serve(map[string]string{"Content-Type": "application/json", "Set-Cookie": "s=1", "X-Own": "1"}, `{"me":1}`),
		"api.other.test/data": serve(map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*",
			"Access-Control-Expose-Headers": "X-Public", "X-Public": "p", "X-Secret": "s"}, `{"data":1}`),
		"cdn.other.test/i.png": serve(map[string]string{"Content-Type": "image/png", "X-Secret": "s"}, pngBytes),
	})
	page := origin.MustParse("https://app.example.test")
	for _, tc := range []struct {
		name       string
		fr         fetchctx.Request
		url        string
		unfiltered bool
		typ        enforce.ResponseType
		filtered   bool
		status     int
		body       string
		has, lacks []string
	}{
		{"same-origin fetch()", fetchctx.Request{Origin: page, Mode: fetchctx.ModeCORS}, "https://app.example.test/me", false,
			enforce.ResponseBasic, true, 200, `{"me":1}`, []string{"X-Own", "Content-Type"}, []string{"Set-Cookie"}},
		{"CORS fetch()", fetchctx.Request{Origin: page, Mode: fetchctx.ModeCORS}, "https://api.other.test/data", false,
			enforce.ResponseCORS, true, 200, `{"data":1}`, []string{"X-Public", "Content-Type"}, []string{"X-Secret", "Access-Control-Allow-Origin"}},
		{"no-cors fetch()", fetchctx.Request{Origin: page}, "https://cdn.other.test/i.png", false,
			enforce.ResponseOpaque, true, 0, "", nil, []string{"Content-Type", "X-Secret"}},
		{"img", fetchctx.Request{Origin: page, Destination: fetchctx.DestinationImage, Credentials: fetchctx.CredentialsInclude}, "https://cdn.other.test/i.png", false,
			enforce.ResponseOpaque, false, 200, pngBytes, []string{"Content-Type"}, nil},
		{"no-cors fetch(), unfiltered", fetchctx.Request{Origin: page}, "https://cdn.other.test/i.png", true,
			enforce.ResponseOpaque, false, 200, pngBytes, []string{"X-Secret"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base, Unfiltered: tc.unfiltered})}
			resp, err := clientDo(t, c, &tc.fr, "GET", tc.url, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || string(b) != tc.body {
				t.Errorf("status %d, body %q; want %d, %q", resp.StatusCode, b, tc.status, tc.body)
			}
			for _, h := range tc.has {
				if resp.Header.Get(h) == "" {
					t.Errorf("%s filtered out", h)
				}
			}
			for _, h := range tc.lacks {
				if resp.Header.Get(h) != "" {
					t.Errorf("%s exposed: %q", h, resp.Header.Get(h))
				}
			}
			d, ok := enforce.DeliveryOf(resp)
			if !ok || d.Type != tc.typ || d.Filtered != tc.filtered || len(d.URLs) != 1 || d.URLs[0].String() != tc.url || !d.Verdict.Allows() {
				t.Errorf("DeliveryOf: %+v, %v; want type %s, filtered %v", d, ok, tc.typ, tc.filtered)
			}
		})
	}
	if _, ok := enforce.DeliveryOf(&http.Response{}); ok {
		t.Error("DeliveryOf a response no Transport handed back")
	}
}

// TestTransportJar: the Transport's jar stores the cookies of a response
// script reads before it is filtered, and sends them only where the
// request includes credentials.
func TestTransportJar(t *testing.T) {
	seen := make(chan string, 4)
	n := newTestNet(t, routes{
		"app.example.test/login": serve(map[string]string{"Set-Cookie": "session=42; Path=/"}, "ok"),
		"app.example.test/me": func(w http.ResponseWriter, r *http.Request) {
			seen <- r.Header.Get("Cookie")
			io.WriteString(w, "me")
		},
	})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: n.base, Jar: jar})}
	page := origin.MustParse("https://app.example.test")
	resp, err := clientDo(t, c, &fetchctx.Request{Origin: page, Mode: fetchctx.ModeCORS}, "GET", "https://app.example.test/login", nil, nil)
	wantBody(t, resp, err, "ok")
	if resp.Header.Get("Set-Cookie") != "" {
		t.Error("script reads Set-Cookie")
	}
	u, _ := url.Parse("https://app.example.test/")
	if len(jar.Cookies(u)) != 1 {
		t.Fatalf("the jar holds %v", jar.Cookies(u))
	}
	resp, err = clientDo(t, c, &fetchctx.Request{Origin: page, Mode: fetchctx.ModeCORS}, "GET", "https://app.example.test/me", nil, nil)
	wantBody(t, resp, err, "me")
	if got := <-seen; got != "session=42" {
		t.Errorf("same-origin request sent Cookie %q", got)
	}
	resp, err = clientDo(t, c, &fetchctx.Request{Origin: page, Mode: fetchctx.ModeCORS, Credentials: fetchctx.CredentialsOmit}, "GET", "https://app.example.test/me", nil, nil)
	wantBody(t, resp, err, "me")
	if got := <-seen; got != "" {
		t.Errorf("credentials omit sent Cookie %q", got)
	}
}

// TestTransportFiltersSetCookieInAnyCase: a basic filtered response has no
// Set-Cookie or Set-Cookie2, and a response to a request without
// credentials no Set-Cookie, whether the Base's header map has canonical
// names (as net/http makes them) or names in another case.
func TestTransportFiltersSetCookieInAnyCase(t *testing.T) {
	page := origin.MustParse("https://app.example.test")
	for _, tc := range []struct {
		name   string
		header http.Header
		fr     fetchctx.Request
		has    []string
	}{
		{"canonical, basic", http.Header{"Set-Cookie": {"a=1"}, "Set-Cookie2": {"b=2"}, "X-Own": {"1"}},
			fetchctx.Request{Mode: fetchctx.ModeCORS}, []string{"X-Own"}},
		{"odd case, basic", http.Header{"set-cookie": {"a=1"}, "SET-COOKIE2": {"b=2"}, "x-own": {"1"}},
			fetchctx.Request{Mode: fetchctx.ModeCORS}, []string{"x-own"}},
		{"Set-Cookie2 alone, basic", http.Header{"Set-Cookie2": {"b=2"}, "X-Own": {"1"}},
			fetchctx.Request{Mode: fetchctx.ModeCORS}, []string{"X-Own"}},
		{"odd-case Set-Cookie2 alone, basic", http.Header{"set-cookie2": {"b=2"}, "X-Own": {"1"}},
			fetchctx.Request{Mode: fetchctx.ModeCORS}, []string{"X-Own"}},
		{"canonical, no credentials, unfiltered element", http.Header{"Set-Cookie": {"a=1"}, "Set-Cookie2": {"b=2"}, "Content-Type": {"image/png"}},
			fetchctx.Request{Destination: fetchctx.DestinationImage, Credentials: fetchctx.CredentialsOmit}, []string{"Content-Type", "Set-Cookie2"}},
		{"odd case, no credentials, unfiltered element", http.Header{"sEt-cOOkie": {"a=1"}, "Set-Cookie": {"c=3"}, "content-type": {"image/png"}},
			fetchctx.Request{Destination: fetchctx.DestinationImage, Credentials: fetchctx.CredentialsOmit}, []string{"content-type"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := stubRT(func(r *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: 200, Header: tc.header.Clone(), Body: io.NopCloser(strings.NewReader(pngBytes)), Request: r}, nil
			})
			fr := tc.fr
			fr.Origin = page
			req, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), &fr), http.MethodGet, "https://app.example.test/x", nil)
			resp, err := enforce.NewTransport(enforce.TransportConfig{Base: base}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var names []string
			for k := range resp.Header {
				names = append(names, k)
			}
			slices.Sort(names)
			if !slices.Equal(names, tc.has) {
				t.Errorf("header names %v, want %v", names, tc.has)
			}
		})
	}
}
