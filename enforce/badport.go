package enforce

import (
	"slices"

	"github.com/xorigin/xorigin/fetchctx"
)

// badPorts is Fetch's bad port list (Fetch, port blocking), sorted: the
// ports of services that an HTTP request could be smuggled into (SMTP,
// IRC, SIP, ...). Port 0 is on it: no service listens there, and some
// systems read it as "any port".
var badPorts = [...]uint16{
	0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95,
	101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179,
	389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601,
	636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
	6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
}

// IsBadPort reports whether port is a bad port (Fetch: port blocking).
func IsBadPort(port uint16) bool {
	_, found := slices.BinarySearch(badPorts[:], port)
	return found
}

// blockedByBadPort implements Fetch's "should request be blocked due to a
// bad port" for a request whose current URL is u: an HTTP(S) URL whose
// port is a bad port. A URL's port is null when it is the scheme's
// default (http://a.test:80/ has none), and a null port is never bad.
func (e *Engine) blockedByBadPort(u *fetchctx.URL) bool {
	if !u.IsHTTP() {
		return false
	}
	port, ok := u.Origin().Port()
	if !ok || !IsBadPort(port) {
		return false
	}
	// Chromium departure (net/base/port_util.cc, kRestrictedPorts):
	// Chromium 156 lets ports 4190 (sieve) and 6679 (osaut) through, two
	// ports Fetch's list has and Chromium's does not (browser-diff).
	return e.profile != ProfileChromium || (port != 4190 && port != 6679)
}
