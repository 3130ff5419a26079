package enforce_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/internal/testbody"
	"github.com/xorigin/xorigin/origin"
)

// corpReasons are the reasons only the CORP check gives.
var corpReasons = []enforce.Reason{
	enforce.ReasonCORPNotSameOrigin,
	enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP,
	enforce.ReasonCORPNotSameSite,
}

func isCORPReason(r enforce.Reason) bool { return slices.Contains(corpReasons, r) }

// headerNameSpellings are the ways a header name can arrive: canonical, as
// HTTP/2 and HTTP/3 send it (lowercase), and shouting.
func headerNameSpellings(name string) []string {
	return []string{http.CanonicalHeaderKey(name), strings.ToLower(name), strings.ToUpper(name)}
}

// rawHeader builds a header map by assignment, keys as given, as a JSON
// decoder or a HAR reader would: no canonicalization.
func rawHeader(pairs ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(pairs); i += 2 {
		h[pairs[i]] = append(h[pairs[i]], pairs[i+1])
	}
	return h
}

// FuzzParseCORP checks the Cross-Origin-Resource-Policy parser against the
// header's grammar (one header, exactly one of three case-sensitive tokens
// after HTTP white space is trimmed), that ParseResponse finds the header
// whatever the case of its name, and that the decision made on the parsed
// header matches a table derived from the Fetch standard for five
// initiator/target relations and the three embedder policies.
func FuzzParseCORP(f *testing.F) {
	for _, s := range []string{
		"same-origin", "same-site", "cross-origin", " \tsame-site\r\n", "Same-Origin", `"same-origin"`,
		"same-origin; x=y", "same-origin, same-site", "same-origin\nsame-origin", "", "\n", "cross-origin\x00",
		"same-site\xff", "\u00a0same-site", "same-origin\v",
	} {
		f.Add(s)
	}
	relations := []struct {
		page, target string
		sameOrigin   bool
		sameSite     bool // CORP same-site passes: schemelessly same site, not http to https
	}{
		{"https://a.example.com", "https://a.example.com/r", true, true},
		{"https://a.example.com", "https://b.example.com/r", false, true},
		{"http://a.example.com", "https://b.example.com/r", false, false},
		{"https://a.example.com", "http://b.example.com/r", false, true},
		{"https://a.example.com", "https://b.example.net/r", false, false},
	}
	e := enforce.New(enforce.Config{Checks: enforce.CheckCORP})
	f.Fuzz(func(t *testing.T, s string) {
		values := strings.Split(s, "\n")
		c := enforce.ParseCORP(values)
		if again := enforce.ParseCORP(values); again != c {
			t.Fatalf("ParseCORP(%q) not deterministic: %v then %v", values, c, again)
		}
		want := enforce.CORPInvalid
		if len(values) == 1 {
			switch strings.Trim(values[0], " \t\r\n") {
			case "same-origin":
				want = enforce.CORPSameOrigin
			case "same-site":
				want = enforce.CORPSameSite
			case "cross-origin":
				want = enforce.CORPCrossOrigin
			}
		}
		if c != want {
			t.Fatalf("ParseCORP(%q) = %v, want %v", values, c, want)
		}
		for _, name := range headerNameSpellings(enforce.HeaderCORP) {
			h := http.Header{}
			raw := http.Header{}
			for _, v := range values {
				h.Add(name, v)
				raw[name] = append(raw[name], v)
			}
			for _, hh := range []http.Header{h, raw} {
				if r, _ := enforce.ParseResponse(200, hh); r.CORP != c {
					t.Fatalf("ParseResponse with %q: %q = CORP %v, want %v", name, values, r.CORP, c)
				}
			}
		}
		for _, rel := range relations {
			for _, coep := range []fetchctx.EmbedderPolicyValue{fetchctx.UnsafeNone, fetchctx.RequireCORP, fetchctx.Credentialless} {
				req := &fetchctx.Request{
					Origin:      origin.MustParse(rel.page),
					Destination: fetchctx.DestinationImage,
					Policy:      fetchctx.EmbedderPolicy{Value: coep},
					URLs:        []fetchctx.URL{fetchctx.MustParseURL(rel.target)},
				}
				v, reports := e.Decide(req, []enforce.Response{{Status: 200, CORP: c}}, nil)
				wantReason := enforce.ReasonNone
				switch {
				case rel.sameOrigin:
				case c == enforce.CORPSameOrigin:
					wantReason = enforce.ReasonCORPNotSameOrigin
				case c == enforce.CORPSameSite:
					if !rel.sameSite {
						wantReason = enforce.ReasonCORPNotSameSite
					}
				case c == enforce.CORPCrossOrigin:
				case coep == fetchctx.RequireCORP:
					// No usable header: require-corp defaults it to
					// same-origin; credentialless does too, but only for
					// a request with credentials, which this is not.
					wantReason = enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP
				}
				if v.Reason != wantReason || v.Allows() != (wantReason == enforce.ReasonNone) {
					t.Fatalf("%s from %s, CORP %q (%v), COEP %v: %+v, want reason %q", rel.target, rel.page, values, c, coep, v, wantReason)
				}
				if wantReports := wantReason == enforce.ReasonCORPNotSameOriginAfterDefaultedToSameOriginByCOEP; (len(reports) == 1) != wantReports || len(reports) > 1 {
					t.Fatalf("%s from %s, CORP %v, COEP %v: reports %+v", rel.target, rel.page, c, coep, reports)
				}
			}
		}
	})
}

// FuzzDecide runs whole fetches (one hop, or a redirect and a second hop)
// built from arbitrary URLs, CORP and COEP header values, and enum values,
// and checks what must hold for every input: the verdict is deterministic
// and well formed; reports name the first URL; report-only never changes a
// verdict; header name case never changes a verdict; CORP cross-origin is
// never blocked by CORP; without COEP a response without CORP is never
// blocked by CORP; and a stricter embedder policy never allows more.
func FuzzDecide(f *testing.F) {
	f.Add("https://app.example.com", "https://cdn.example.com/a.js", "", "same-site", "", "require-corp", "", uint16(14))
	f.Add("https://app.example.com", "https://cdn.other.com/a.png", "https://img.other.com/b.png", "cross-origin", "", "require-corp; report-to=\"e\"", "credentialless", uint16(8|2<<7))
	f.Add("https://app.example.com", "https://frame.other.com/", "", "", "", "require-corp", "require-corp", uint16(7|3<<5))
	f.Add("null", "http://192.0.2.1:9090/x", "", "same-site", "same-origin", "credentialless", "", uint16(8|2<<7))
	f.Add("http://a.test", "https://a.test/x", "http://a.test/y", "same-origin", "same-site", "", "require-corp", uint16(1<<5))
	f.Add("https://xn--pple-43d.com", "https://apple.com/", "", "same-site", "", "require-corp", "", uint16(0))
	f.Add("https://a.test", "data:text/plain,x", "", "", "", "require-corp", "", uint16(2<<5))
	engines := []struct {
		name string
		e    *enforce.Engine
	}{
		{"corp", enforce.New(enforce.Config{Checks: enforce.CheckCORP})},
		{"all", enforce.New(enforce.Config{})},
	}
	f.Fuzz(func(t *testing.T, page, u1, u2, corp1, corp2, coep, coepRO string, flags uint16) {
		o, err := origin.Parse(page)
		if err != nil {
			if o, err = origin.FromURL(page); err != nil {
				return
			}
		}
		urls := []string{u1}
		if u2 != "" {
			urls = append(urls, u2)
		}
		req := &fetchctx.Request{
			Origin:      o,
			Destination: fetchctx.Destination(flags & 31 % 24),
			Mode:        fetchctx.Mode(flags >> 5 & 3),
			Credentials: fetchctx.Credentials(flags >> 7 & 3 % 3),
		}
		req.Policy, _ = fetchctx.ParseEmbedderPolicy(headerLines(coep), headerLines(coepRO))
		pairs := [][]string{}
		for i, raw := range urls {
			u, err := fetchctx.ParseURL(raw)
			if err != nil {
				return
			}
			req.URLs = append(req.URLs, u)
			status := "200"
			if i < len(urls)-1 {
				status = "302"
			}
			corp := corp1
			if i == 1 {
				corp = corp2
			}
			pairs = append(pairs, []string{"X-Status", status, enforce.HeaderCORP, corp, fetchctx.HeaderCOEP, coep,
				"Content-Type", "image/png", "Location", "/next"})
		}
		hops := func(name func(string) string, build func(pairs ...string) http.Header) []enforce.Response {
			out := make([]enforce.Response, len(pairs))
			for i, p := range pairs {
				var kv []string
				for j := 2; j < len(p); j += 2 {
					if p[j+1] != "" {
						kv = append(kv, name(p[j]), p[j+1])
					}
				}
				status := 200
				if p[1] == "302" {
					status = 302
				}
				out[i], _ = enforce.ParseResponse(status, build(kv...))
				out[i].Body, out[i].BodyComplete = []byte("\x89PNG\r\n\x1a\n"), true
			}
			return out
		}
		canonical := hops(http.CanonicalHeaderKey, headerOf)
		for _, eng := range engines {
			e := eng.e
			v, reports := e.Decide(req, canonical, nil)
			checkVerdictShape(t, eng.name, req, v, reports)
			if v2, r2 := e.Decide(req, canonical, nil); v2 != v || !slices.Equal(r2, reports) {
				t.Fatalf("%s: not deterministic: %+v %+v then %+v %+v", eng.name, v, reports, v2, r2)
			}
			// Header name case: lowercase names, by Add and by assignment.
			for _, b := range []func(...string) http.Header{headerOf, rawHeader} {
				if lv, _ := e.Decide(req, hops(strings.ToLower, b), nil); lv != v {
					t.Fatalf("%s: lowercase header names give %+v, canonical %+v", eng.name, lv, v)
				}
			}
			// Report-only never changes the verdict, nor the enforced reports.
			noRO := *req
			noRO.Policy.ReportOnlyValue, noRO.Policy.ReportOnlyReportingEndpoint = fetchctx.UnsafeNone, ""
			rv, rreports := e.Decide(&noRO, canonical, nil)
			if rv != v || !slices.Equal(rreports, enforcedOnly(reports)) {
				t.Fatalf("%s: report-only policy %v changed the verdict: %+v %+v; without it %+v %+v",
					eng.name, req.Policy.ReportOnlyValue, v, reports, rv, rreports)
			}
			// CORP cross-origin on every hop is never blocked by CORP.
			cross := slices.Clone(canonical)
			for i := range cross {
				cross[i].CORP = enforce.CORPCrossOrigin
			}
			if cv, _ := e.Decide(req, cross, nil); isCORPReason(cv.Reason) {
				t.Fatalf("%s: CORP cross-origin blocked by CORP: %+v", eng.name, cv)
			}
			// Without COEP, a response without CORP is never blocked by CORP.
			none := slices.Clone(canonical)
			for i := range none {
				none[i].CORP = enforce.CORPNone
			}
			bare := *req
			bare.Policy = fetchctx.EmbedderPolicy{}
			if nv, nr := e.Decide(&bare, none, nil); isCORPReason(nv.Reason) || len(nr) != 0 {
				t.Fatalf("%s: no COEP, no CORP: %+v, reports %+v", eng.name, nv, nr)
			}
		}
		// A stricter embedder policy never lets more through: unsafe-none,
		// then credentialless, then require-corp.
		e := engines[0].e
		prevBlocked := false
		for _, value := range []fetchctx.EmbedderPolicyValue{fetchctx.UnsafeNone, fetchctx.Credentialless, fetchctx.RequireCORP} {
			r := *req
			r.Policy.Value = value
			v, _ := e.Decide(&r, canonical, nil)
			if prevBlocked && v.Allows() {
				t.Fatalf("COEP %v allows what a weaker policy blocked: %+v", value, v)
			}
			prevBlocked = !v.Allows()
		}
	})
}

// checkVerdictShape checks what every verdict on complete bodies satisfies.
func checkVerdictShape(t *testing.T, name string, req *fetchctx.Request, v enforce.Verdict, reports []enforce.Report) {
	t.Helper()
	switch v.Result {
	case enforce.Allowed:
		if v.Reason != enforce.ReasonNone || v.Step != enforce.StepNone || v.Hop != 0 {
			t.Fatalf("%s: allowed with %+v", name, v)
		}
	case enforce.Blocked:
		if v.Reason == enforce.ReasonNone || v.Reason == enforce.ReasonNeedBody || v.Step == enforce.StepNone || v.Hop < 0 || v.Hop >= max(len(req.URLs), 1) {
			t.Fatalf("%s: blocked with %+v", name, v)
		}
	default:
		t.Fatalf("%s: result %v on complete bodies: %+v", name, v.Result, v)
	}
	for _, r := range reports {
		if r.BlockedURL != req.URLs[0].ForReporting() || r.Type == enforce.ReportCORP && r.Destination != req.Destination {
			t.Fatalf("%s: report %+v for %q", name, r, req.URLs[0])
		}
	}
}

func enforcedOnly(reports []enforce.Report) []enforce.Report {
	var out []enforce.Report
	for _, r := range reports {
		if r.Disposition == enforce.Enforce {
			out = append(out, r)
		}
	}
	return out
}

// headerOf builds a header map with Add, which canonicalizes names.
func headerOf(pairs ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(pairs); i += 2 {
		h.Add(pairs[i], pairs[i+1])
	}
	return h
}

func headerLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// orbDestinations are the destinations FuzzORB draws from.
var orbDestinations = []fetchctx.Destination{
	fetchctx.DestinationImage, fetchctx.DestinationScript, fetchctx.DestinationStyle, fetchctx.DestinationEmpty,
	fetchctx.DestinationAudio, fetchctx.DestinationVideo, fetchctx.DestinationFont, fetchctx.DestinationTrack,
}

// fuzzORBBudget is the script budget of FuzzORB's engines: past 64 KiB, so
// that the Transport's body buffer grows several times (1 KiB to sniff, then
// 4 KiB, doubling) before the budget ends it; seeds reach past it.
const fuzzORBBudget = 80 << 10

// FuzzORB runs opaque response blocking, both profiles, on arbitrary
// Content-Type, X-Content-Type-Options and Content-Range values, statuses
// and bodies, and checks: a complete body always gets a verdict; the
// verdict reached by streaming (deciding on a prefix, reading what the
// verdict's Need asks for, as the Transport does) is the verdict on the
// whole body, and reads at most what the profile needs; header name case
// does not matter; the Transport gives the same answer as the engine,
// returns an allowed body unchanged, reads no more of a blocked body than
// the decision needed, and closes it.
func FuzzORB(f *testing.F) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	f.Add("image/png", "", "", uint16(200), []byte(png), uint8(0))
	f.Add("text/html", "", "", uint16(200), []byte("<!doctype html><p>secret"), uint8(1))
	f.Add("application/json", "nosniff", "", uint16(200), []byte(`{"secret": 1}`), uint8(3))
	f.Add("text/plain", "", "", uint16(200), []byte("f();"+strings.Repeat(" ", 3000)+"g();"), uint8(1))
	f.Add("text/javascript", "", "", uint16(200), []byte("secret"), uint8(1|8))
	f.Add("audio/mpeg", "", "bytes 0-99/1000", uint16(206), []byte("ID3"+strings.Repeat("\x00", 100)), uint8(4))
	f.Add("video/mp4", "", "bytes 100-199/1000", uint16(206), []byte("\x00\x00\x00\x18ftypmp42"), uint8(5|8))
	f.Add("", "", "", uint16(404), []byte(")]}'\n{\"a\":1}"), uint8(3|8))
	f.Add("text/plain;charset=utf-16", "nosniff", "", uint16(200), []byte("\xff\xfev\x00a\x00r\x00"), uint8(1))
	f.Add("application/pdf", "", "", uint16(200), []byte("%PDF-1.4"), uint8(0|8))
	// Bodies that cross the buffer's sizes (1024, 4096, 8192, 64 KiB) and
	// the budget: JavaScript as text/plain to a script, a JSON array of
	// long strings as application/json to an image.
	for _, n := range []int{1030, 4100, 8200, 64<<10 + 100, fuzzORBBudget + 100} {
		f.Add("text/plain", "", "", uint16(200), testbody.Script(n), uint8(1))
		f.Add("application/json", "", "", uint16(200), testbody.JSONArray(n), uint8(0))
	}
	f.Fuzz(func(t *testing.T, ct, xcto, crange string, status uint16, body []byte, flags uint8) {
		profile := enforce.ProfileSpec
		if flags&8 != 0 {
			profile = enforce.ProfileChromium
		}
		e := enforce.New(enforce.Config{Checks: enforce.CheckORB, Profile: profile, ORBScriptBudget: fuzzORBBudget})
		dest := orbDestinations[int(flags&7)%len(orbDestinations)]
		req := &fetchctx.Request{
			Origin:      origin.MustParse("https://app.example.test"),
			Destination: dest,
			URLs:        []fetchctx.URL{fetchctx.MustParseURL("https://cdn.other.test/r")},
		}
		if dest == fetchctx.DestinationAudio || dest == fetchctx.DestinationVideo {
			req.Media = fetchctx.MediaInitial
		}
		// A status in range is taken as it is (the seeds' 200 is 200, not
		// 300, a redirect status ORB never looks at); others fold into it.
		st := int(status)
		if st < 100 || st > 599 {
			st = 100 + st%500
		}
		var kv []string
		for _, p := range [][2]string{{"Content-Type", ct}, {"X-Content-Type-Options", xcto}, {"Content-Range", crange}} {
			for _, v := range headerLines(p[1]) {
				kv = append(kv, p[0], v)
			}
		}
		full, _ := enforce.ParseResponse(st, headerOf(kv...))
		full.Body, full.BodyComplete = body, true
		v, _ := e.CheckHop(req, 0, &full, nil)
		switch {
		case v.Result == enforce.Allowed, v.Result == enforce.Blocked:
		case v.Result == enforce.Stripped && profile == enforce.ProfileChromium && dest == fetchctx.DestinationEmpty:
		default:
			t.Fatalf("complete body: verdict %+v", v)
		}
		if again, _ := e.CheckHop(req, 0, &full, nil); again != v {
			t.Fatalf("not deterministic: %+v then %+v", v, again)
		}

		// Header name case, with names as given and lowercase by assignment.
		var lower []string
		for i := 0; i < len(kv); i += 2 {
			lower = append(lower, strings.ToLower(kv[i]), kv[i+1])
		}
		lr, _ := enforce.ParseResponse(st, rawHeader(lower...))
		lr.Body, lr.BodyComplete = body, true
		if lv, _ := e.CheckHop(req, 0, &lr, nil); lv != v {
			t.Fatalf("lowercase header names: %+v; canonical %+v", lv, v)
		}

		// Streaming, as the Transport does it.
		bound := max(1024, fuzzORBBudget+1)
		if profile == enforce.ProfileChromium {
			bound = 1024
		}
		stream := full
		stream.Body, stream.BodyComplete = nil, false
		for steps := 0; ; steps++ {
			sv, _ := e.CheckHop(req, 0, &stream, nil)
			if sv.Result != enforce.Undecided {
				if sv != v {
					t.Fatalf("streaming decided %+v after %d bytes; the whole body gives %+v", sv, len(stream.Body), v)
				}
				break
			}
			if sv.Reason != enforce.ReasonNeedBody || sv.Need() <= len(stream.Body) || steps > 3 {
				t.Fatalf("undecided after %d bytes with %+v", len(stream.Body), sv)
			}
			n := min(sv.Need(), fuzzORBBudget+1, len(body))
			stream.Body = body[:n]
			stream.BodyComplete = n == len(body) && n < sv.Need()
			if n > bound {
				t.Fatalf("streaming read %d bytes, more than %d", n, bound)
			}
		}

		// Through the Transport, on a stub network.
		rb := &fuzzBody{r: bytes.NewReader(body)}
		base := rtFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: st, Header: headerOf(kv...), Body: rb, Request: r}, nil
		})
		// Unfiltered: the body the engine allowed, as it arrived.
		tr := enforce.NewTransport(enforce.TransportConfig{Base: base, Engine: e, Unfiltered: true})
		hr, _ := http.NewRequestWithContext(fetchctx.NewContext(context.Background(), req), http.MethodGet, req.URLs[0].String(), nil)
		resp, err := tr.RoundTrip(hr)
		switch v.Result {
		case enforce.Allowed:
			if err != nil {
				t.Fatalf("Transport: %v; the engine allows", err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !bytes.Equal(got, body) {
				t.Fatalf("Transport changed an allowed body: %d bytes, want %d", len(got), len(body))
			}
		case enforce.Stripped:
			if err != nil {
				t.Fatalf("Transport: %v; the engine strips", err)
			}
			got, _ := io.ReadAll(resp.Body)
			if len(got) != 0 || len(resp.Header) != 0 || !rb.closed {
				t.Fatalf("stripped response has body %q, header %v; original closed %v", got, resp.Header, rb.closed)
			}
		default:
			var be *enforce.BlockedError
			if !errors.As(err, &be) || be.Verdict != v || resp != nil {
				t.Fatalf("Transport: %v, %v; the engine blocks with %+v", resp, err, v)
			}
			if !rb.closed || rb.n > bound {
				t.Fatalf("blocked body: closed %v, %d bytes read (at most %d)", rb.closed, rb.n, bound)
			}
		}
	})
}

// fuzzBody is a response body that counts what is read and records Close.
type fuzzBody struct {
	r      io.Reader
	n      int
	closed bool
}

func (b *fuzzBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += n
	return n, err
}

func (b *fuzzBody) Close() error { b.closed = true; return nil }

// rtFunc is an http.RoundTripper made of a function.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
