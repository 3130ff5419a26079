package wire_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/testbody"
	"github.com/xorigin/xorigin/internal/wire"
	"github.com/xorigin/xorigin/origin"
)

// headerMenu is what FuzzTransportAgrees picks its header lines from.
var headerMenu = [][2]string{
	{"Content-Type", "text/plain"},
	{"Content-Type", "application/json"},
	{"Content-Type", "text/html; charset=utf-8"},
	{"Content-Type", "image/png"},
	{"Content-Type", "text/javascript"},
	{"Content-Type", "audio/mpeg"},
	{"Content-Type", "application/pdf"},
	{"content-type", "TEXT/CSS"},
	{"X-Content-Type-Options", "nosniff"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "cross-origin"},
	{"Location", "/next"},
	{"Location", "https://cdn.other.test/next"},
	{"Location", "data:text/plain,x"},
	{"Content-Encoding", "gzip"},
	{"Content-Encoding", "br"},
	{"Content-Range", "bytes 0-9/100"},
	{"Access-Control-Allow-Origin", "*"},
}

// fuzzDestinations are the destinations of FuzzTransportAgrees's requests.
var fuzzDestinations = []fetchctx.Destination{
	fetchctx.DestinationImage, fetchctx.DestinationScript, fetchctx.DestinationStyle, fetchctx.DestinationEmpty,
	fetchctx.DestinationAudio, fetchctx.DestinationVideo, fetchctx.DestinationFont, fetchctx.DestinationDocument,
}

// fuzzMaxBody bounds the fuzzed body.
const fuzzMaxBody = 256 << 10

// FuzzTransportAgrees serves one fuzzed response (status, header lines
// picked from a menu and a free Content-Type, body) from a wire server,
// fetches it through enforce.Transport, and checks the answer against the
// engine's Decide on the whole body: the same verdict (result, reason,
// hop), an allowed body unchanged, a stripped one empty and headerless. A
// redirect (a redirect status with a Location) is followed to a fixed PNG
// image, on the wire and in the hops Decide gets.
func FuzzTransportAgrees(f *testing.F) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	// headers: indexes into headerMenu; flags: bits 0-2 the destination,
	// bit 3 the chromium profile, bit 4 cors mode.
	f.Add(uint16(200), []byte{3}, "", png, uint8(0))
	f.Add(uint16(200), []byte{0}, "", testbody.Script(6<<10), uint8(1))                      // 6 KiB script as text/plain
	f.Add(uint16(200), []byte{1}, "", testbody.JSONArray(64<<10+10), uint8(0))               // JSON past 64 KiB to an image
	f.Add(uint16(200), []byte{1}, "", testbody.JSONArray(1030), uint8(0))                    // past 1024
	f.Add(uint16(200), []byte{0}, "", testbody.Script(4100), uint8(1))                       // past 4096
	f.Add(uint16(200), []byte{0}, "", testbody.Script(8200), uint8(1))                       // past 8192
	f.Add(uint16(200), []byte{1}, "", append(testbody.JSONArray(8200), ";f()"...), uint8(0)) // JavaScript, not JSON, past 8192
	f.Add(uint16(200), []byte{2, 8}, "", []byte("<!doctype html><p>secret"), uint8(3))       // nosniff HTML to fetch()
	f.Add(uint16(200), []byte{2}, "", []byte("<!doctype html><p>secret"), uint8(3|8))        // chromium strips it
	f.Add(uint16(302), []byte{11, 2}, "", []byte("<p>moved"), uint8(0))                      // followed, then a PNG
	f.Add(uint16(302), []byte{2}, "", []byte("<p>final"), uint8(0))                          // a final 302
	f.Add(uint16(200), []byte{14, 1}, "", []byte(`{"a": 1}`), uint8(0))                      // Content-Encoding: gzip, not gzipped
	f.Add(uint16(206), []byte{5, 16}, "", []byte("ID3\x03\x00\x00\x00\x00\x00\x00"), uint8(4))
	f.Add(uint16(200), []byte{9, 17}, "", []byte("{}"), uint8(3|16))
	f.Add(uint16(200), []byte{}, "text/plain;charset=utf-8", []byte("f();"), uint8(1))
	engines := map[enforce.Profile]*enforce.Engine{
		enforce.ProfileSpec:     enforce.New(enforce.Config{Profile: enforce.ProfileSpec}),
		enforce.ProfileChromium: enforce.New(enforce.Config{Profile: enforce.ProfileChromium}),
	}
	f.Fuzz(func(t *testing.T, status uint16, picks []byte, ct string, body []byte, flags uint8) {
		if len(body) > fuzzMaxBody {
			body = body[:fuzzMaxBody]
		}
		if len(picks) > 6 {
			picks = picks[:6]
		}
		st := int(status)
		if st < 200 || st > 599 {
			st = 200 + st%400
		}
		if st == 204 || st == 304 {
			st = 200 // HTTP/1.1 gives them no body
		}
		var hdr [][2]string
		for _, p := range picks {
			hdr = append(hdr, headerMenu[int(p)%len(headerMenu)])
		}
		if ct != "" {
			hdr = append(hdr, [2]string{"Content-Type", ct})
		}
		profile := enforce.ProfileSpec
		if flags&8 != 0 {
			profile = enforce.ProfileChromium
		}
		e := engines[profile]
		fr := &fetchctx.Request{
			Origin:      origin.MustParse("https://app.example.test"),
			Destination: fuzzDestinations[int(flags&7)],
			Mode:        fetchctx.ModeNoCORS,
		}
		if flags&16 != 0 {
			fr.Mode = fetchctx.ModeCORS
		}
		const first, next = "https://cdn.other.test/r", "https://cdn.other.test/next"
		// Content codings: the server sends the body gzip-encoded as many
		// times as gzip is listed; the engine judges the decoded body (the
		// body Fetch hands over). With br listed, the Transport does not
		// decode, and fails closed where the decision needs the body.
		onWire, undecodable := body, false
		for _, kv := range hdr {
			if strings.EqualFold(kv[0], "Content-Encoding") {
				switch kv[1] {
				case "gzip":
					onWire = gzipped(onWire)
				default:
					undecodable = true
				}
			}
		}
		srv, err := wire.NewServer(wire.Config{Routes: []wire.Route{
			{URL: first, Response: wire.Response{Status: st, Header: hdr, Body: onWire}},
			{URL: next, Response: wire.Response{Status: 200, Header: [][2]string{{"Content-Type", "image/png"}}, Body: png}},
		}})
		var re *wire.RouteError
		if errors.As(err, &re) {
			return // not expressible in HTTP/1.1 (a control byte in ct, say)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()

		// The engine, on the whole body.
		h := http.Header{}
		for _, kv := range hdr {
			h.Add(kv[0], kv[1])
		}
		hop, _ := enforce.ParseResponse(st, h)
		hop.Body, hop.BodyComplete = body, true
		req := *fr
		req.URLs = []fetchctx.URL{fetchctx.MustParseURL(first)}
		if fr.Mode == fetchctx.ModeNoCORS && (fr.Destination == fetchctx.DestinationAudio || fr.Destination == fetchctx.DestinationVideo) {
			req.Media = fetchctx.MediaInitial
		}
		hops := []enforce.Response{hop}
		if loc := h.Get("Location"); loc != "" && (st == 301 || st == 302 || st == 303 || st == 307 || st == 308) {
			target := next
			if strings.HasPrefix(loc, "data:") {
				target = loc
			}
			last, _ := enforce.ParseResponse(200, http.Header{"Content-Type": {"image/png"}})
			last.Body, last.BodyComplete = png, true
			req.URLs = append(req.URLs, fetchctx.MustParseURL(target))
			hops = append(hops, last)
		}
		want, _ := e.Decide(&req, hops, nil)
		// Whether a decision needs the first hop's body: with none of it,
		// the engine waits for it.
		probe := hops[0]
		probe.Body, probe.BodyComplete = nil, false
		needs, _ := e.CheckHop(&req, 0, &probe, nil)
		bodyNeeded := needs.Result == enforce.Undecided
		if undecodable && bodyNeeded {
			want = enforce.Verdict{Result: enforce.Blocked, Reason: enforce.ReasonUndecodableBody, Step: enforce.StepContentCoding}
		}

		// The Transport, over the wire.
		client := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: srv.Transport(), Engine: e, Unfiltered: true})}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hr, err := http.NewRequestWithContext(fetchctx.NewContext(ctx, fr), http.MethodGet, first, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(hr)
		var got []byte
		if err == nil {
			got, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("reading the body: %v", err)
			}
		}
		wantBody := body
		if !bodyNeeded {
			wantBody = onWire // judged on its headers: delivered as sent
		}
		if len(hops) == 2 {
			wantBody = png
		}
		switch want.Result {
		case enforce.Allowed:
			if resp == nil {
				t.Fatalf("engine allows; Transport: %v", err)
			}
			if !bytes.Equal(got, wantBody) {
				t.Fatalf("engine allows; the Transport's body has %d bytes, want %d (first difference at %d)", len(got), len(wantBody), firstDiff(got, wantBody))
			}
		case enforce.Stripped:
			if resp == nil || len(got) != 0 || len(resp.Header) != 0 {
				t.Fatalf("engine strips; Transport: %v, %d bytes", err, len(got))
			}
		default:
			var be *enforce.BlockedError
			if !errors.As(err, &be) || be.Verdict.Result != want.Result || be.Verdict.Reason != want.Reason || be.Verdict.Hop != want.Hop {
				t.Fatalf("engine: %+v; Transport: response %v, error %v", want, resp != nil, err)
			}
		}
	})
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func firstDiff(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}
