package enforce_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
)

func sha384Of(b []byte) string {
	s := sha512.Sum384(b)
	return "sha384-" + base64.StdEncoding.EncodeToString(s[:])
}

// sriRequest is a same-origin script request from srvURL's origin with
// integrity metadata md.
func sriRequest(t *testing.T, srvURL, md string) *fetchctx.Request {
	t.Helper()
	return &fetchctx.Request{Origin: origin.MustParse(srvURL), Destination: fetchctx.DestinationScript,
		Integrity: fetchctx.ParseIntegrity(md)}
}

func TestParseIntegrity(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, in string
		alg      fetchctx.HashAlgorithm
		specs    []string
	}{
		{"empty", "", fetchctx.HashNone, nil},
		{"unknown only", "md5-abc foo-bar", fetchctx.HashNone, nil},
		{"strongest kept", "sha256-a sha512-b sha384-c sha512-d", fetchctx.SHA512, []string{"b", "d"}},
		{"options dropped", "sha256-abc?x=y?z", fetchctx.SHA256, []string{"abc"}},
		{"case-insensitive algorithm", "ShA384-abc", fetchctx.SHA384, []string{"abc"}},
		{"value cut at the second dash", "sha256-ab-cd", fetchctx.SHA256, []string{"ab"}},
		{"ASCII whitespace separates", "sha256-a\tsha256-b\nsha256-c\fsha256-d\rsha256-e", fetchctx.SHA256, []string{"a", "b", "c", "d", "e"}},
		{"no value", "sha256", fetchctx.SHA256, []string{""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := fetchctx.ParseIntegrity(c.in)
			alg, ds := in.Strongest()
			var specs []string
			for _, d := range ds {
				specs = append(specs, d.Spec)
			}
			if alg != c.alg || strings.Join(specs, ",") != strings.Join(c.specs, ",") || in.String() != c.in || in.IsEmpty() != (c.in == "") {
				t.Errorf("ParseIntegrity(%q) = %v %q, want %v %q", c.in, alg, specs, c.alg, c.specs)
			}
		})
	}
}

// TestIntegrityNoAllocs: the decision on pre-parsed metadata hashes the
// body without allocating.
func TestIntegrityNoAllocs(t *testing.T) {
	e := enforce.New(enforce.Config{Checks: enforce.CheckIntegrity})
	body := bytes.Repeat([]byte("a"), 4096)
	s := sha256.Sum256(body)
	for _, md := range []string{"sha256-" + base64.StdEncoding.EncodeToString(s[:]), sha384Of(body), "sha512-wrong"} {
		req := sriRequest(t, "https://a.test", md)
		req.URLs = []fetchctx.URL{fetchctx.MustParseURL("https://a.test/x.js")}
		hops := []enforce.Response{{Status: 200, Body: body, BodyComplete: true}}
		if n := testing.AllocsPerRun(100, func() { sinkVerdict, _ = e.Decide(req, hops, nil) }); n != 0 {
			t.Errorf("%s: %v allocations per decision, want 0", md, n)
		}
	}
}

// TestTransportIntegrity: the Transport hashes the decoded body, all of it,
// and delivers it byte for byte when it matches.
func TestTransportIntegrity(t *testing.T) {
	t.Parallel()
	body := []byte(strings.Repeat("console.log(1);\n", 5000))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		if r.URL.Path == "/gz" {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write(body)
			zw.Close()
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Base: &http.Transport{DisableCompression: true}})}
	for _, path := range []string{"/plain", "/gz"} {
		resp, err := clientDo(t, c, sriRequest(t, srv.URL, sha384Of(body)), "GET", srv.URL+path, nil, nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("%s: %d bytes (%v), want the %d of the body", path, len(got), err, len(body))
		}
		resp, err = clientDo(t, c, sriRequest(t, srv.URL, "sha384-"+strings.Repeat("A", 64)), "GET", srv.URL+path, nil, nil)
		wantClientBlocked(t, resp, err, enforce.ReasonIntegrity, 0)
	}
}

// TestTransportIntegrityHostile: a server that sends more than the budget,
// or cuts the body short, never gets a response through; and a request
// without metadata is not held back for the body.
func TestTransportIntegrityHostile(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		switch r.URL.Path {
		case "/big":
			w.Write(bytes.Repeat([]byte("a"), 64<<10))
		case "/short":
			// Announce 1000 bytes, send 10, and hang up.
			hj, _ := w.(http.Hijacker)
			conn, buf, _ := hj.Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/javascript\r\nContent-Length: 1000\r\n\r\naaaaaaaaaa")
			buf.Flush()
			conn.Close()
		case "/slow":
			w.Write([]byte("a"))
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
	}))
	defer srv.Close()
	defer close(release)
	e := enforce.New(enforce.Config{IntegrityBudget: 32 << 10})
	c := &http.Client{Transport: enforce.NewTransport(enforce.TransportConfig{Engine: e})}

	resp, err := clientDo(t, c, sriRequest(t, srv.URL, sha384Of(bytes.Repeat([]byte("a"), 64<<10))), "GET", srv.URL+"/big", nil, nil)
	var be *enforce.BlockedError
	wantClientBlocked(t, resp, err, enforce.ReasonIntegrity, 0)
	if errors.As(err, &be); be.Verdict.Step != enforce.StepIntegrityBudget {
		t.Errorf("past the budget: step %v, want StepIntegrityBudget", be.Verdict.Step)
	}

	resp, err = clientDo(t, c, sriRequest(t, srv.URL, sha384Of([]byte("aaaaaaaaaa"))), "GET", srv.URL+"/short", nil, nil)
	if err == nil {
		resp.Body.Close()
		t.Fatal("a truncated body was let through")
	}

	// Without metadata the response comes before the body ends.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(fetchctx.NewContext(ctx, sriRequest(t, srv.URL, "")), "GET", srv.URL+"/slow", nil)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatalf("without metadata: %v", err)
	}
	resp.Body.Close()
	// With metadata it waits for the whole body: the deadline ends it.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	req, _ = http.NewRequestWithContext(fetchctx.NewContext(ctx2, sriRequest(t, srv.URL, sha384Of([]byte("a")))), "GET", srv.URL+"/slow", nil)
	if resp, err = c.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("with metadata, a response came before its whole body")
	}
}
