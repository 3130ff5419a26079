package browsertest

import (
	"bufio"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// basePorts are the ports fixture URLs use most (the default ports, and
// WPT's 8080 and 8443): Start listens on all of them before any case runs.
var basePorts = []uint16{80, 443, 8080, 8443}

// PortError says why the servers cannot listen on an address: a port taken
// by another process (named when /proc tells which), or one the process
// may not bind. It matches ErrPorts with errors.Is.
type PortError struct {
	Addr netip.AddrPort
	// Owner names the process listening on the port ("pid 1234
	// (nginx)"), when it is known.
	Owner string
	Err   error
}

func (e *PortError) Error() string {
	switch {
	case errors.Is(e.Err, syscall.EADDRINUSE) && e.Owner != "":
		return fmt.Sprintf("browsertest: port %d is taken by %s: cannot listen on %s", e.Addr.Port(), e.Owner, e.Addr)
	case errors.Is(e.Err, syscall.EADDRINUSE):
		return fmt.Sprintf("browsertest: port %d is taken by another process: cannot listen on %s", e.Addr.Port(), e.Addr)
	case errors.Is(e.Err, syscall.EACCES):
		return fmt.Sprintf("browsertest: cannot listen on %s: permission denied (run as root, give the binary CAP_NET_BIND_SERVICE, or set sysctl net.ipv4.ip_unprivileged_port_start=80)", e.Addr)
	}
	return fmt.Sprintf("browsertest: cannot listen on %s: %v", e.Addr, e.Err)
}

func (e *PortError) Unwrap() error { return e.Err }

// Is makes a PortError match ErrPorts.
func (e *PortError) Is(target error) bool { return target == ErrPorts }

// newPortError describes a failed listen on ap, naming the process that
// listens on its port when the port is taken.
func newPortError(ap netip.AddrPort, err error) *PortError {
	pe := &PortError{Addr: ap, Err: err}
	if errors.Is(err, syscall.EADDRINUSE) {
		pe.Owner = portOwner(ap.Port())
	}
	return pe
}

// portOwner names the process listening on TCP port (any address), from
// Linux's /proc: the socket's inode in /proc/net/tcp and tcp6, then the
// process with a descriptor for that socket. "" when /proc does not say
// (another OS, or a process of another user).
func portOwner(port uint16) string {
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		for ino := range listeningInodes(f, port) {
			inodes[ino] = true
		}
	}
	if len(inodes) == 0 {
		return ""
	}
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return ""
	}
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		fdDir := filepath.Join("/proc", p.Name(), "fd")
		fds, err := os.ReadDir(fdDir)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join(fdDir, fd.Name()))
			if err != nil {
				continue
			}
			ino, ok := strings.CutPrefix(link, "socket:[")
			if ok && inodes[strings.TrimSuffix(ino, "]")] {
				return fmt.Sprintf("pid %d (%s)", pid, procComm(pid))
			}
		}
	}
	return ""
}

// listeningInodes returns the inodes of the sockets listening on port in
// a /proc/net/tcp-format file.
func listeningInodes(file string, port uint16) map[string]bool {
	out := map[string]bool{}
	f, err := os.Open(file)
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // the header
	for sc.Scan() {
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 || fields[3] != "0A" { // 0A: TCP_LISTEN
			continue
		}
		_, hexPort, ok := strings.Cut(fields[1], ":")
		if p, err := strconv.ParseUint(hexPort, 16, 16); ok && err == nil && uint16(p) == port {
			out[fields[9]] = true
		}
	}
	return out
}

// procComm is the command name of pid, or "?".
func procComm(pid int) string {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "comm"))
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}
