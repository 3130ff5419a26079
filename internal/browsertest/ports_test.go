package browsertest

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xorigin/xorigin/fetchctx"
)

func TestPortErrorNamesTheOwner(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ap := l.Addr().(*net.TCPAddr).AddrPort()
	_, err = net.Listen("tcp", ap.String())
	if err == nil {
		t.Fatalf("a second listener on %s", ap)
	}
	pe := newPortError(ap, err)
	if !errors.Is(pe, ErrPorts) {
		t.Errorf("%v is not ErrPorts", pe)
	}
	msg := pe.Error()
	if !strings.Contains(msg, "port "+strconv.Itoa(int(ap.Port()))+" is taken") {
		t.Errorf("message %q does not name the port", msg)
	}
	if runtime.GOOS != "linux" {
		return
	}
	if want := "pid " + strconv.Itoa(os.Getpid()) + " ("; !strings.Contains(msg, want) {
		t.Errorf("message %q does not name this process (%q)", msg, want)
	}
}

func TestPortErrorOwnerOnlyWhenTaken(t *testing.T) {
	t.Parallel()
	if pe := newPortError(netip.MustParseAddrPort("127.0.0.1:80"), syscall.EACCES); pe.Owner != "" || !strings.Contains(pe.Error(), "permission denied") {
		t.Errorf("EACCES: owner %q, message %q", pe.Owner, pe.Error())
	}
}

func TestLockRunNamesTheHolder(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	path := filepath.Join(t.TempDir(), "lock")
	release, err := lockRun(path, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	_, err = lockRun(path, 300*time.Millisecond, &log)
	if !errors.Is(err, ErrPorts) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("second lock: %v, want ErrPorts naming pid %d", err, os.Getpid())
	}
	if !strings.Contains(log.String(), "waiting up to") || strings.Count(log.String(), "\n") != 1 {
		t.Errorf("log %q, want one line saying it waits", log.String())
	}
	release()
	release2, err := lockRun(path, 0, nil)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	release2()
}

func TestFlushReports(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		pol  fetchctx.EmbedderPolicy
		want int
	}{
		{fetchctx.EmbedderPolicy{}, 0},
		{fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP}, 1},
		{fetchctx.EmbedderPolicy{ReportOnlyValue: fetchctx.RequireCORP}, 1},
		{fetchctx.EmbedderPolicy{Value: fetchctx.RequireCORP, ReportOnlyValue: fetchctx.RequireCORP}, 2},
		{fetchctx.EmbedderPolicy{Value: fetchctx.Credentialless, ReportOnlyValue: fetchctx.RequireCORP}, 1},
		{fetchctx.EmbedderPolicy{Value: fetchctx.Credentialless, ReportOnlyValue: fetchctx.Credentialless}, 0},
	} {
		if got := flushReports(tt.pol); got != tt.want {
			t.Errorf("flushReports(%+v) = %d, want %d", tt.pol, got, tt.want)
		}
	}
}
