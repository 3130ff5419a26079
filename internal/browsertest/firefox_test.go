package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

// fakeBiDi is a BiDi remote end over a real websocket: it answers each
// command with reply(method, params), and sends an event before the reply
// to "test.withEvent".
func fakeBiDi(t *testing.T, reply func(method string, params json.RawMessage) (result any, errCode string)) string {
	t.Helper()
	srv := httptest.NewServer(websocket.Server{Handler: func(ws *websocket.Conn) {
		for {
			var data []byte
			if websocket.Message.Receive(ws, &data) != nil {
				return
			}
			var cmd struct {
				ID     int64           `json:"id"`
				Method string          `json:"method"`
				Params json.RawMessage `json:"params"`
			}
			if err := json.Unmarshal(data, &cmd); err != nil {
				t.Errorf("the client sent %q: %v", data, err)
				return
			}
			if cmd.Method == "test.withEvent" {
				ev, _ := json.Marshal(map[string]any{"type": "event", "method": "network.fetchError", "params": map[string]any{"errorText": "NS_ERROR_DOM_CORP_FAILED"}})
				websocket.Message.Send(ws, string(ev))
			}
			result, code := reply(cmd.Method, cmd.Params)
			var out []byte
			if code != "" {
				out, _ = json.Marshal(map[string]any{"type": "error", "id": cmd.ID, "error": code, "message": "refused by the fake"})
			} else {
				out, _ = json.Marshal(map[string]any{"type": "success", "id": cmd.ID, "result": result})
			}
			if websocket.Message.Send(ws, string(out)) != nil {
				return
			}
		}
	}})
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/session"
}

func TestBiDiCall(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var events []string
	url := fakeBiDi(t, func(method string, params json.RawMessage) (any, string) {
		switch method {
		case "echo":
			return map[string]any{"got": json.RawMessage(params)}, ""
		case "refuse":
			return nil, "invalid argument"
		}
		return map[string]any{}, ""
	})
	c, err := dialBiDi(context.Background(), url, "http://127.0.0.1", func(method string, params json.RawMessage) {
		mu.Lock()
		events = append(events, method+" "+string(params))
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	ctx := context.Background()

	// Replies match their commands, several in flight at once.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			var res struct {
				Got struct {
					N int `json:"n"`
				} `json:"got"`
			}
			if err := c.call(ctx, "echo", map[string]int{"n": i}, &res); err != nil {
				t.Errorf("echo %d: %v", i, err)
			} else if res.Got.N != i {
				t.Errorf("echo %d: got the reply to %d", i, res.Got.N)
			}
		})
	}
	wg.Wait()

	// An error reply is a *BiDiError naming the command.
	err = c.call(ctx, "refuse", nil, nil)
	var be *BiDiError
	if !errors.As(err, &be) || be.Code != "invalid argument" || be.Command != "refuse" {
		t.Errorf("refuse: got %v, want a BiDiError with code \"invalid argument\"", err)
	}

	// Events reach the callback, before the reply that follows them.
	if err := c.call(ctx, "test.withEvent", nil, nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got := strings.Join(events, "\n")
	mu.Unlock()
	if got != `network.fetchError {"errorText":"NS_ERROR_DOM_CORP_FAILED"}` {
		t.Errorf("events: got %q", got)
	}
}

func TestBiDiClosed(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	url := fakeBiDi(t, func(method string, _ json.RawMessage) (any, string) {
		if method == "hang" {
			<-block
		}
		return map[string]any{}, ""
	})
	defer close(block)
	c, err := dialBiDi(context.Background(), url, "http://127.0.0.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	// A command whose context ends returns its error, not a reply.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := c.call(ctx, "hang", nil, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hang: got %v, want the deadline", err)
	}
	c.close()
	if err := c.call(context.Background(), "echo", nil, nil); !errors.Is(err, errBiDiClosed) {
		t.Errorf("after close: got %v, want errBiDiClosed", err)
	}
}

func TestBiDiDialRefused(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := dialBiDi(ctx, "ws://127.0.0.1:1/session", "http://127.0.0.1", nil); err == nil {
		t.Error("dial to a closed port: no error")
	}
	if _, err := dialBiDi(ctx, "not a url", "http://127.0.0.1", nil); err == nil {
		t.Error("dial to a bad URL: no error")
	}
}

func TestUserJS(t *testing.T) {
	t.Parallel()
	js := string(userJS(firefoxPrefs))
	line := regexp.MustCompile(`^user_pref\("([^"]+)", (true|false|-?[0-9]+|"[^"]*")\);$`)
	seen := map[string]bool{}
	lines := strings.Split(strings.TrimSpace(js), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "//") {
			continue
		}
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("line %d is not a user_pref: %q", i+1, l)
			continue
		}
		if seen[m[1]] {
			t.Errorf("%s is set twice", m[1])
		}
		seen[m[1]] = true
		if i == 0 || !strings.HasPrefix(lines[i-1], "// ") {
			t.Errorf("%s has no comment saying why", m[1])
		}
	}
	// The prefs that keep every request on the machine and the page's
	// origin the fixture's.
	for _, want := range []string{
		`user_pref("network.dns.forceResolve", "127.0.0.1");`,
		`user_pref("network.trr.mode", 5);`,
		`user_pref("dom.security.https_first", false);`,
		`user_pref("network.proxy.type", 0);`,
	} {
		if !strings.Contains(js, want+"\n") {
			t.Errorf("user.js lacks %s", want)
		}
	}
	if len(seen) != len(firefoxPrefs) {
		t.Errorf("%d prefs written, %d listed", len(seen), len(firefoxPrefs))
	}
}

func TestFirefoxCaseListen(t *testing.T) {
	t.Parallel()
	ev := func(id, method, url string, status int, hdrs ...string) *ffEvent {
		e := &ffEvent{}
		e.Request.Request, e.Request.Method, e.Request.URL = id, method, url
		e.Response.Status = status
		for _, h := range hdrs {
			e.Request.Headers = append(e.Request.Headers, struct {
				Name string `json:"name"`
			}{h})
			e.Response.Headers = append(e.Response.Headers, struct {
				Name string `json:"name"`
			}{h})
		}
		return e
	}
	// A redirect, then the last hop completes: allowed once, after the
	// last hop.
	c := newFFCase()
	c.listen("network.beforeRequestSent", ev("1", "GET", "https://a.test/__xorigin/3/0/x", 0))
	c.listen("network.responseCompleted", ev("1", "GET", "https://a.test/__xorigin/3/0/x", 302, "Location"))
	if c.decided || len(c.pending) != 1 {
		t.Fatalf("after a redirect: decided %v, pending %d", c.decided, len(c.pending))
	}
	c.listen("network.beforeRequestSent", ev("1", "GET", "https://b.test/__xorigin/3/1/x", 0))
	c.listen("network.responseCompleted", ev("1", "GET", "https://b.test/__xorigin/3/1/x", 200))
	if !c.decided || c.result != "allowed" || len(c.pending) != 0 || c.status != 200 {
		t.Errorf("after the last hop: decided %v, result %q, pending %d, status %d", c.decided, c.result, len(c.pending), c.status)
	}

	// A failed preflight is not the case's request; the request's own
	// failure decides.
	c = newFFCase()
	c.listen("network.beforeRequestSent", ev("7", "OPTIONS", "https://b.test/__xorigin/4/0/x", 0, "Access-Control-Request-Method"))
	c.listen("network.fetchError", func() *ffEvent {
		e := ev("7", "OPTIONS", "https://b.test/__xorigin/4/0/x", 0, "Access-Control-Request-Method")
		e.ErrorText = "NS_ERROR_DOM_BAD_URI"
		return e
	}())
	if c.decided {
		t.Fatalf("a preflight's failure decided the case")
	}
	e := ev("8", "PUT", "https://b.test/__xorigin/4/0/x", 0)
	e.ErrorText = "NS_ERROR_DOM_BAD_URI"
	c.listen("network.fetchError", e)
	if !c.decided || c.result != "blocked" || c.by != "NS_ERROR_DOM_BAD_URI" {
		t.Errorf("a request refused before it was sent: decided %v, %q by %q", c.decided, c.result, c.by)
	}
}

func TestFirefoxResult(t *testing.T) {
	t.Parallel()
	img, script, fetchP := &plan{kind: kindImg}, &plan{kind: kindScript}, &plan{kind: kindFetch}
	imgX := &plan{kind: kindImg, pageOrigin: origin.MustParse("https://a.test")}
	imgX.request.Mode = fetchctx.ModeNoCORS
	imgX.request.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://b.test/x.png")}
	sri := &plan{kind: kindScript, integrity: "sha256-x"}
	tests := []struct {
		name            string
		p               *plan
		decided         bool
		net, by         string
		status          int
		dom, detail     string
		wantRes, wantBy string
	}{
		{"same-origin image the element cancelled", img, true, "blocked", "NS_BINDING_ABORTED", 200, "error", "", "allowed", "the element cancelled the request (NS_BINDING_ABORTED) after its response arrived"},
		{"cross-origin no-cors image ORB cancelled", imgX, true, "blocked", "NS_BINDING_ABORTED", 200, "error", "", "blocked", "NS_BINDING_ABORTED"},
		{"network block wins over a page load", img, true, "blocked", "NS_ERROR_DOM_CORP_FAILED", 200, "load", "", "blocked", "NS_ERROR_DOM_CORP_FAILED"},
		{"allowed image that does not decode", img, true, "allowed", "", 200, "error", "", "allowed", ""},
		{"script refused for its MIME type", script, true, "allowed", "", 200, "error", "", "blocked", "renderer: page: error"},
		{"404 script: not a block", script, true, "allowed", "", 404, "error", "", "allowed", ""},
		{"integrity", sri, true, "allowed", "", 200, "error", "TypeError", "blocked", "renderer: integrity"},
		{"CORS failure after the response completed", fetchP, true, "allowed", "", 200, "error", "TypeError: NetworkError", "blocked", "page: error TypeError: NetworkError"},
		{"404 script with integrity: not a block", sri, true, "allowed", "", 404, "error", "", "allowed", ""},
		{"fetch with no network event", fetchP, false, "", "", 0, "error", "TypeError: NetworkError", "blocked", "page: error TypeError: NetworkError"},
		{"no network event, page loaded", img, false, "", "", 0, "load", "", "allowed", ""},
		{"nothing", img, false, "", "", 0, "", "", "", ""},
	}
	for _, tt := range tests {
		res, by := firefoxResult(tt.p, tt.decided, tt.net, tt.by, tt.status, tt.dom, tt.detail)
		if res != tt.wantRes || by != tt.wantBy {
			t.Errorf("%s: got %q (%q), want %q (%q)", tt.name, res, by, tt.wantRes, tt.wantBy)
		}
	}
}

// TestFirefoxSecureContext checks, in Firefox, that an https: page on the
// loopback servers, whose self-signed certificate the session accepts,
// is a secure context (COEP applies only there), and that a fixture host
// reaches the servers.
func TestFirefoxSecureContext(t *testing.T) {
	path := os.Getenv("FIREFOX")
	if path == "" {
		path = DefaultFirefox
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("firefox is not installed at %s (apt-get install firefox-esr, or set $FIREFOX)", path)
	}
	b, err := Start(Options{Firefox: path})
	if errors.Is(err, ErrPorts) {
		t.Skipf("skipping the browser test: %v", err)
	}
	if err != nil {
		t.Fatalf("firefox is installed but does not start: %v", err)
	}
	defer b.Close()
	tb, err := b.newTab()
	if err != nil {
		t.Fatal(err)
	}
	defer tb.cancel()
	const id = 1
	b.srv.add(id, &served{page: []byte("<!doctype html><title>secure</title>"), pageHdr: [][2]string{{"Content-Type", "text/html"}}})
	defer b.srv.remove(id)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, tc := range []struct{ url, want string }{
		{"https://www.example.test/__xorigin/1/page", "true https:"},
		{"http://www.example.test/__xorigin/1/page", "false http:"},
	} {
		if err := tb.ff.navigate(ctx, tc.url, "complete"); err != nil {
			t.Fatalf("navigate %s: %v", tc.url, err)
		}
		got, err := tb.ff.evaluate(ctx, `String(window.isSecureContext) + " " + location.protocol`)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s: isSecureContext and protocol %q, want %q", tc.url, got, tc.want)
		}
	}
}

func TestOpaqueUnobservable(t *testing.T) {
	t.Parallel()
	noCORS := &plan{kind: kindFetch, mode: fetchctx.ModeNoCORS}
	cors := &plan{kind: kindFetch, mode: fetchctx.ModeCORS}
	img := &plan{kind: kindImg, mode: fetchctx.ModeNoCORS}
	for _, tt := range []struct {
		name string
		p    *plan
		res  string
		skip bool
	}{
		{"no-cors fetch() got an opaque response", noCORS, "allowed", true},
		{"no-cors fetch() failed", noCORS, "blocked", false},
		{"cors fetch() resolved", cors, "allowed", false},
		{"no-cors image loaded", img, "allowed", false},
	} {
		if got := opaqueUnobservable(tt.p, &Observation{Result: tt.res}) != ""; got != tt.skip {
			t.Errorf("%s: unobservable %v, want %v", tt.name, got, tt.skip)
		}
	}
}
