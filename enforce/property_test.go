package enforce_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// Property tests: invariants of the decision over generated requests and
// responses (math/rand/v2 with fixed seeds, so every run checks the same
// inputs and a failure names one).

// genFetch is a generated fetch: the request and, for each hop, the
// response's header lines (name and value) and status.
type genFetch struct {
	req    *fetchctx.Request
	status []int
	header [][][2]string // per hop, in order
	body   [][]byte
}

var (
	genPages = []string{
		"https://app.example.com", "https://www.example.com", "http://app.example.com", "https://example.net",
		"https://a.github.io", "http://localhost:8080", "http://192.0.2.1:8080", "https://xn--pple-43d.com",
	}
	genTargets = []string{
		"https://www.example.com", "https://cdn.example.com", "http://cdn.example.com", "https://example.net",
		"https://b.github.io", "https://a.github.io", "http://localhost:9090", "http://192.0.2.1:9090", "https://apple.com",
	}
	genCORP         = []string{"", "same-origin", "same-site", "cross-origin", "Same-Origin", "same-origin, cross-origin", " cross-origin "}
	genCOEP         = []string{"", "require-corp", `require-corp; report-to="e"`, "credentialless", "unsafe-none", "Require-Corp"}
	genContentTypes = []string{"", "image/png", "text/javascript", "application/json", "text/html", "text/plain", "application/pdf", "video/mp4", "text/css"}
	genBodies       = []string{"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "f(1);", `{"secret": 1}`, "<!doctype html><p>x", "plain text", ""}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// genFetches generates n fetches of one to three hops.
func genFetches(seed uint64, n int) []genFetch {
	r := rand.New(rand.NewPCG(seed, 7))
	values := []fetchctx.EmbedderPolicyValue{fetchctx.UnsafeNone, fetchctx.RequireCORP, fetchctx.Credentialless}
	out := make([]genFetch, 0, n)
	for range n {
		page := origin.NewOpaque()
		if r.IntN(12) != 0 {
			page = origin.MustParse(pick(r, genPages))
		}
		req := &fetchctx.Request{
			Origin:      page,
			Destination: fetchctx.Destination(r.IntN(24)),
			Mode:        fetchctx.Mode(r.IntN(4)),
			Credentials: fetchctx.Credentials(r.IntN(3)),
			Policy: fetchctx.EmbedderPolicy{Value: pick(r, values), ReportingEndpoint: pick(r, []string{"", "e"}),
				ReportOnlyValue: pick(r, values), ReportOnlyReportingEndpoint: pick(r, []string{"", "r"})},
		}
		if !req.Policy.Value.IsCompatibleWithCrossOriginIsolation() {
			req.Policy.ReportingEndpoint = ""
		}
		if !req.Policy.ReportOnlyValue.IsCompatibleWithCrossOriginIsolation() {
			req.Policy.ReportOnlyReportingEndpoint = ""
		}
		if r.IntN(4) == 0 {
			req.Mode, req.Destination = fetchctx.ModeNavigate, pick(r, []fetchctx.Destination{fetchctx.DestinationIFrame, fetchctx.DestinationFrame, fetchctx.DestinationDocument})
		}
		g := genFetch{req: req}
		hops := 1 + r.IntN(3)
		for i := range hops {
			req.URLs = append(req.URLs, fetchctx.MustParseURL(fmt.Sprintf("%s/r%d?q#f", pick(r, genTargets), i)))
			st := 200
			if i < hops-1 {
				st = pick(r, []int{301, 302, 303, 307, 308})
			} else if r.IntN(8) == 0 {
				st = pick(r, []int{204, 206, 404})
			}
			var h [][2]string
			if i < hops-1 {
				h = append(h, [2]string{"Location", "/next"})
			}
			for _, p := range [][2]string{
				{enforce.HeaderCORP, pick(r, genCORP)},
				{fetchctx.HeaderCOEP, pick(r, genCOEP)},
				{fetchctx.HeaderCOEPReportOnly, pick(r, genCOEP)},
				{"Content-Type", pick(r, genContentTypes)},
				{"X-Content-Type-Options", pick(r, []string{"", "", "nosniff"})},
			} {
				if p[1] != "" {
					h = append(h, p)
				}
			}
			if r.IntN(10) == 0 {
				// A second CORP line: the header is then a list, invalid.
				h = append(h, [2]string{enforce.HeaderCORP, pick(r, genCORP)})
			}
			g.status = append(g.status, st)
			g.header = append(g.header, h)
			g.body = append(g.body, []byte(pick(r, genBodies)))
		}
		out = append(out, g)
	}
	return out
}

// hops builds the responses, header maps made by build.
func (g *genFetch) hops(t *testing.T, build func([][2]string) http.Header) []enforce.Response {
	t.Helper()
	out := make([]enforce.Response, len(g.status))
	for i := range out {
		out[i], _ = enforce.ParseResponse(g.status[i], build(g.header[i]))
		out[i].Body, out[i].BodyComplete = g.body[i], true
	}
	return out
}

// addHeader builds a header map with Add.
func addHeader(lines [][2]string) http.Header {
	h := http.Header{}
	for _, l := range lines {
		h.Add(l[0], l[1])
	}
	return h
}

var propertyEngines = []struct {
	name string
	e    *enforce.Engine
}{
	{"corp", enforce.New(enforce.Config{Checks: enforce.CheckCORP})},
	{"corp+orb", enforce.New(enforce.Config{Checks: enforce.CheckCORP | enforce.CheckORB})},
	{"all", enforce.New(enforce.Config{})},
	{"all/chromium", enforce.New(enforce.Config{Profile: enforce.ProfileChromium})},
}

// TestPropertyCORPCrossOriginNeverBlockedByCORP: a response chain whose
// every hop says Cross-Origin-Resource-Policy: cross-origin is never
// blocked by CORP, under any embedder policy, mode or credentials mode.
func TestPropertyCORPCrossOriginNeverBlockedByCORP(t *testing.T) {
	t.Parallel()
	blockedElse := 0
	for n, g := range genFetches(1, 2000) {
		for i := range g.header {
			g.header[i] = slices.DeleteFunc(g.header[i], func(l [2]string) bool { return l[0] == enforce.HeaderCORP })
			g.header[i] = append(g.header[i], [2]string{enforce.HeaderCORP, "cross-origin"})
		}
		hops := g.hops(t, addHeader)
		for _, pe := range propertyEngines {
			v, reports := pe.e.Decide(g.req, hops, nil)
			if isCORPReason(v.Reason) {
				t.Fatalf("fetch %d, %s engine: CORP cross-origin blocked by CORP: %+v", n, pe.name, v)
			}
			for _, r := range reports {
				if r.Type == enforce.ReportCORP {
					t.Fatalf("fetch %d, %s engine: CORP cross-origin queued a CORP report %+v", n, pe.name, r)
				}
			}
			if !v.Allows() {
				blockedElse++
			}
		}
	}
	if blockedElse == 0 {
		t.Error("no fetch was blocked at all: the generator is too tame")
	}
}

// TestPropertyNoCOEPNoCORPNeverBlockedByCORP: without an embedder policy
// (enforced or report-only), a response with no CORP header is never
// blocked by CORP, and queues no report.
func TestPropertyNoCOEPNoCORPNeverBlockedByCORP(t *testing.T) {
	t.Parallel()
	for n, g := range genFetches(2, 4000) {
		g.req.Policy = fetchctx.EmbedderPolicy{}
		for i := range g.header {
			g.header[i] = slices.DeleteFunc(g.header[i], func(l [2]string) bool { return l[0] == enforce.HeaderCORP })
		}
		hops := g.hops(t, addHeader)
		for _, pe := range propertyEngines {
			v, reports := pe.e.Decide(g.req, hops, nil)
			if isCORPReason(v.Reason) || v.Reason == enforce.ReasonCOEPFrameResourceNeedsCOEPHeader || len(reports) != 0 {
				t.Fatalf("fetch %d, %s engine: no COEP and no CORP gave %+v, reports %+v", n, pe.name, v, reports)
			}
		}
	}
}

// TestPropertyReportOnlyNeverChangesVerdict: the report-only policy only
// adds reports; the verdict, and the reports of the enforced policy, are
// those of the same fetch without it.
func TestPropertyReportOnlyNeverChangesVerdict(t *testing.T) {
	t.Parallel()
	reported := 0
	for n, g := range genFetches(3, 4000) {
		hops := g.hops(t, addHeader)
		without := *g.req
		without.Policy.ReportOnlyValue, without.Policy.ReportOnlyReportingEndpoint = fetchctx.UnsafeNone, ""
		for _, pe := range propertyEngines {
			v, reports := pe.e.Decide(g.req, hops, nil)
			wv, wreports := pe.e.Decide(&without, hops, nil)
			if v != wv || !slices.Equal(enforcedOnly(reports), wreports) {
				t.Fatalf("fetch %d, %s engine: report-only %v: %+v %+v; without it %+v %+v",
					n, pe.name, g.req.Policy.ReportOnlyValue, v, reports, wv, wreports)
			}
			if len(reports) > len(wreports) {
				reported++
			}
		}
	}
	if reported == 0 {
		t.Error("no report-only report was ever queued: the generator is too tame")
	}
}

// TestPropertyHeaderNameCase: the verdict and reports do not depend on the
// case of header names, whether the map was built with Add, by assignment
// (as a JSON decoder or a HAR reader builds it), or by reading the header
// block off the wire.
func TestPropertyHeaderNameCase(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(4, 4))
	scramble := func(name string) string {
		b := []byte(name)
		for i, c := range b {
			if rng.IntN(2) == 0 {
				b[i] = strings.ToUpper(string(c))[0]
			} else {
				b[i] = strings.ToLower(string(c))[0]
			}
		}
		return string(b)
	}
	builders := []struct {
		name  string
		build func([][2]string) http.Header
	}{
		{"Add", func(lines [][2]string) http.Header {
			h := http.Header{}
			for _, l := range lines {
				h.Add(scramble(l[0]), l[1])
			}
			return h
		}},
		{"assignment", func(lines [][2]string) http.Header {
			h := http.Header{}
			for _, l := range lines {
				k := scramble(l[0])
				h[k] = append(h[k], l[1])
			}
			return h
		}},
		{"wire", func(lines [][2]string) http.Header {
			var b strings.Builder
			for _, l := range lines {
				fmt.Fprintf(&b, "%s: %s\r\n", scramble(l[0]), l[1])
			}
			b.WriteString("\r\n")
			mh, err := textproto.NewReader(bufio.NewReader(strings.NewReader(b.String()))).ReadMIMEHeader()
			if err != nil {
				t.Fatal(err)
			}
			return http.Header(mh)
		}},
	}
	for n, g := range genFetches(5, 1000) {
		canonical := g.hops(t, addHeader)
		for _, pe := range propertyEngines {
			v, reports := pe.e.Decide(g.req, canonical, nil)
			for _, b := range builders {
				bv, breports := pe.e.Decide(g.req, g.hops(t, b.build), nil)
				if bv != v || !slices.Equal(breports, reports) {
					t.Fatalf("fetch %d, %s engine, headers by %s with scrambled names: %+v %+v; canonical %+v %+v",
						n, pe.name, b.name, bv, breports, v, reports)
				}
			}
		}
	}
}

// TestPropertySameOriginNeverBlockedByCORP: a request that never leaves
// its origin has basic tainting: CORP never applies, whatever the header
// and the embedder policy say.
func TestPropertySameOriginNeverBlockedByCORP(t *testing.T) {
	t.Parallel()
	for n, g := range genFetches(6, 3000) {
		if g.req.Origin.IsOpaque() || g.req.Mode == fetchctx.ModeNavigate {
			continue
		}
		for i := range g.req.URLs {
			g.req.URLs[i] = fetchctx.MustParseURL(g.req.Origin.String() + fmt.Sprintf("/same%d", i))
		}
		hops := g.hops(t, addHeader)
		for _, pe := range propertyEngines {
			if v, reports := pe.e.Decide(g.req, hops, nil); isCORPReason(v.Reason) || len(reports) != 0 {
				t.Fatalf("fetch %d, %s engine: same-origin fetch gave %+v, reports %+v", n, pe.name, v, reports)
			}
		}
	}
}

// TestPropertyStricterCOEPNeverAllowsMore: enforcing credentialless
// blocks at least what unsafe-none blocks, and require-corp at least what
// credentialless blocks.
func TestPropertyStricterCOEPNeverAllowsMore(t *testing.T) {
	t.Parallel()
	order := []fetchctx.EmbedderPolicyValue{fetchctx.UnsafeNone, fetchctx.Credentialless, fetchctx.RequireCORP}
	for n, g := range genFetches(7, 4000) {
		hops := g.hops(t, addHeader)
		for _, pe := range propertyEngines {
			prev := enforce.Verdict{Result: enforce.Allowed}
			for _, value := range order {
				req := *g.req
				req.Policy.Value = value
				v, _ := pe.e.Decide(&req, hops, nil)
				if !prev.Allows() && v.Allows() {
					t.Fatalf("fetch %d, %s engine: COEP %v allows what a weaker policy blocked (%+v)", n, pe.name, value, prev)
				}
				prev = v
			}
		}
	}
}

// TestPropertyDeterministic: the same inputs give the same verdict and
// reports, also when decided concurrently by one engine.
func TestPropertyDeterministic(t *testing.T) {
	t.Parallel()
	fetches := genFetches(8, 1000)
	type result struct {
		v       enforce.Verdict
		reports []enforce.Report
	}
	e := enforce.New(enforce.Config{})
	want := make([]result, len(fetches))
	hops := make([][]enforce.Response, len(fetches))
	for i := range fetches {
		hops[i] = fetches[i].hops(t, addHeader)
		want[i].v, want[i].reports = e.Decide(fetches[i].req, hops[i], nil)
	}
	errs := make(chan string, 4)
	for w := range 4 {
		go func() {
			msg := ""
			for i := range fetches {
				j := (i + w*250) % len(fetches)
				v, reports := e.Decide(fetches[j].req, hops[j], nil)
				if v != want[j].v || !slices.Equal(reports, want[j].reports) {
					msg = fmt.Sprintf("fetch %d: %+v, then concurrently %+v", j, want[j].v, v)
					break
				}
			}
			errs <- msg
		}()
	}
	for range 4 {
		if msg := <-errs; msg != "" {
			t.Error(msg)
		}
	}
}
