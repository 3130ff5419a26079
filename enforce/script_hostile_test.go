package enforce_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
)

// scriptShape is a body built to make a recursive-descent script parser
// recurse: pre, open repeated n times, mid, close repeated n times, post.
type scriptShape struct {
	name                        string
	pre, open, mid, close, post string
}

// hostileScriptShapes are the shapes that drive recursion in the script
// parser, each one level per repetition: brackets of every kind (some of
// which bypass the parser's own nesting counters, "async(" the first
// found), and the unbracketed ones (prefix operators, right-associative
// operators, arrows, statements with a statement body), which the parser
// counts.
func hostileScriptShapes() []scriptShape {
	return []scriptShape{
		{"async(", "", "async(", "", ")", ""},
		{"[", "x=", "[", "", "]", ""},
		{"(", "", "(", "1", ")", ""},
		{"{ block", "", "{", "", "}", ""},
		{"{a: object", "", "x={a:", "1", "}", ""},
		{"template ${", "", "`${", "1", "}`", ""},
		{"function(){", "", "(function(){", "", "})", ""},
		{"arrow with body", "", "()=>{", "", "}", ""},
		{"var [[ pattern", "var ", "[", "a", "]", "=b"},
		{"param [[ pattern", "function f(", "[", "a", "]", "){}"},
		{"async([ cover", "", "async([", "a", "])", ""},
		{"a?b:", "", "a?b:", "c", "", ""},
		{"!", "", "!", "1", "", ""},
		{"-", "", "- ", "1", "", ""},
		{"typeof", "", "typeof ", "1", "", ""},
		{"new", "", "new ", "a", "", ""},
		{"a=", "", "a=", "1", "", ""},
		{"**", "", "a**", "1", "", ""},
		{"x=>", "", "x=>", "1", "", ""},
		{"async x=>", "", "async x=>", "1", "", ""},
		{"if(a)", "", "if(a)", ";", "", ""},
		{"else if", "", "if(a);else ", ";", "", ""},
		{"label:", "", "a:", ";", "", ""},
		{"while(a)", "", "while(a)", ";", "", ""},
		{"for(;;)", "", "for(;;)", ";", "", ""},
		{"do", "", "do ", ";", "while(0);", ""},
	}
}

// build returns the shape with as many levels as fit in size bytes.
func (s scriptShape) build(size int) []byte {
	return s.levels((size - len(s.pre) - len(s.mid) - len(s.post)) / (len(s.open) + len(s.close)))
}

// levels returns the shape with n levels.
func (s scriptShape) levels(n int) []byte {
	var b strings.Builder
	b.Grow(len(s.pre) + n*(len(s.open)+len(s.close)) + len(s.mid) + len(s.post))
	b.WriteString(s.pre)
	b.WriteString(strings.Repeat(s.open, n))
	b.WriteString(s.mid)
	b.WriteString(strings.Repeat(s.close, n))
	b.WriteString(s.post)
	return []byte(b.String())
}

func scriptDecision(body []byte) (*fetchctx.Request, enforce.Response) {
	req := hostileRequest(fetchctx.DestinationImage, fetchctx.UnsafeNone)
	req.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://cdn.other.test/a.txt")}
	resp, _ := enforce.ParseResponse(200, http.Header{"Content-Type": {"text/plain"}})
	resp.Body, resp.BodyComplete = body, true
	return req, resp
}

// TestHostileDeepScript: a body that nests deeply, of any shape, up to the
// whole script budget (8 MiB: 1.4 million "async(" once overflowed the
// goroutine stack, a fatal error no recover catches), is decided: it is
// not JavaScript, so ORB blocks it at the script step. Shallow shapes of
// the same kinds are scripts and get through.
//
// A chain of prefix or right-associative operators is one context to the
// validator, whatever its length: a valid script at any length (V8 gives
// up on such chains for lack of stack; internal/jsscript's known
// differences). Repeated labels are an early error at any depth.
func TestHostileDeepScript(t *testing.T) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckORB})
	chains := map[string]bool{"a?b:": true, "!": true, "-": true, "typeof": true, "a=": true, "**": true}
	for _, s := range hostileScriptShapes() {
		t.Run(s.name, func(t *testing.T) {
			req, resp := scriptDecision(s.build(budgetBody()))
			v, _ := e.Decide(req, []enforce.Response{resp}, nil)
			switch {
			case chains[s.name] && !v.Allows():
				t.Errorf("8 MiB chain: %+v, want allowed (a script)", v)
			case !chains[s.name] && (v.Result != enforce.Blocked || v.Reason != enforce.ReasonBlockedByORB || v.Step != enforce.StepORBNotJavaScript):
				t.Errorf("8 MiB deep: %+v, want blocked at %s", v, enforce.StepORBNotJavaScript)
			}
			// Ten levels: a script like any other (ten equal labels are
			// not).
			shallow := s.levels(10)
			req, resp = scriptDecision(shallow)
			if v, _ := e.Decide(req, []enforce.Response{resp}, nil); v.Allows() == (s.name == "label:") {
				t.Errorf("%q: %+v", shallow, v)
			}
		})
	}
}

// TestTransportWholeBodyIntact: a body ORB reads whole, past the first
// buffer the Transport grows (4 KiB), reaches the parse, and the caller,
// byte for byte (the buffer once grew by copying only the first 1 KiB,
// leaving zeros after it).
func TestTransportWholeBodyIntact(t *testing.T) {
	for _, size := range []int{5 << 10, 64 << 10, 1 << 20} {
		script := "f('" + strings.Repeat("x", size) + "');"
		body := &countingBody{r: strings.NewReader(script)}
		tr := enforce.NewTransport(enforce.TransportConfig{Base: stubResponse(200, map[string]string{"Content-Type": "text/plain"}, body)})
		resp, err := pagefetch(t, tr, fetchctx.DestinationScript, "https://cdn.other.test/r")
		if err != nil {
			t.Fatalf("%d bytes: %v, want the script allowed", len(script), err)
		}
		got, err := io.ReadAll(resp.Body)
		if err != nil || string(got) != script {
			t.Errorf("%d bytes: got %d bytes (%v), not the body sent", len(script), len(got), err)
		}
	}
}

// TestHostileDeepScriptTransport: the same bodies, 8 MiB each, from a
// loopback server through the Transport: blocked, never a crash.
func TestHostileDeepScriptTransport(t *testing.T) {
	shapes := map[string]scriptShape{}
	for _, s := range hostileScriptShapes() {
		shapes[s.name] = s
	}
	bodies := map[string][]byte{}
	for _, name := range []string{"async(", "var [[ pattern", "param [[ pattern", "if(a)"} {
		bodies["/"+strings.NewReplacer("(", "", "[", "", " ", "-").Replace(name)] = shapes[name].build(budgetBody())
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(bodies[r.URL.Path])
	}))
	defer srv.Close()
	tr := enforce.NewTransport(enforce.TransportConfig{Base: loopbackTransport(t)})
	for path := range bodies {
		var resp *http.Response
		var err error
		within(t, time.Minute, func() {
			resp, err = hostileDo(context.Background(), tr, hostileRequest(fetchctx.DestinationImage, fetchctx.UnsafeNone), srv.URL+path)
		})
		be := wantBlocked(t, resp, err, enforce.ReasonBlockedByORB)
		if be.Verdict.Step != enforce.StepORBNotJavaScript {
			t.Errorf("%s: blocked at %s, want %s", path, be.Verdict.Step, enforce.StepORBNotJavaScript)
		}
	}
}
