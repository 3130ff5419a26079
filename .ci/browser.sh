#!/usr/bin/env bash
# CI: the differential test against Chromium, then against Firefox. Every
# case of the embedded fixture suite that a page can express runs in
# Debian's chromium, then in Debian's firefox-esr, on loopback servers, and
# is compared with the engine (internal/browsertest); each run ends with
# "N passed, N failed". A browser is installed with apt when it is missing;
# its run is skipped, saying why, only where that fails.
# The loopback servers listen on ports 80 and 443: run as root (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export GOFLAGS="${GOFLAGS:-} -mod=readonly"

# install BINARY PACKAGE: installs PACKAGE with apt-get when BINARY is
# missing; fails, saying so, when that does not work.
install() {
  local bin="$1" pkg="$2"
  [ -x "$bin" ] && return 0
  echo "browser-diff: $bin is missing; installing Debian's $pkg with apt-get"
  local sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
  command -v apt-get >/dev/null 2>&1 &&
    $sudo apt-get update &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$pkg" &&
    [ -x "$bin" ]
}

chromium="${CHROMIUM:-/usr/bin/chromium}"
firefox="${FIREFOX:-/usr/bin/firefox-esr}"
have_chromium=1 have_firefox=1
install "$chromium" chromium || have_chromium=0
install "$firefox" firefox-esr || have_firefox=0

# The harness is a module of its own (internal/browsertest), so that
# chromedp never enters the library's go.mod: its vet and tests (each
# browser's tests skip without it), then the runs over the embedded suite.
(cd internal/browsertest && go mod download && go vet ./... && go test -race -count=1 ./...)

# Each browser runs even when the other failed; the script fails if either
# did.
status=0
if [ "$have_chromium" = 1 ]; then
  # Debian's launcher script may print shell warnings on stderr; the
  # version is the line on stdout.
  echo "browser-diff: $("$chromium" --version 2>/dev/null)"
  CHROMIUM="$chromium" go -C internal/browsertest run ./cmd/browser-diff || status=1
else
  echo "browser-diff: SKIPPED: chromium could not be installed with apt-get on this machine, so the differential test against Chromium did not run"
fi

# Firefox over WebDriver BiDi: results compared only (Firefox queues no
# COEP reports through the Reporting API).
if [ "$have_firefox" = 1 ]; then
  echo "browser-diff: $("$firefox" --version 2>/dev/null)"
  FIREFOX="$firefox" go -C internal/browsertest run ./cmd/browser-diff -browser firefox || status=1
else
  echo "browser-diff: SKIPPED: firefox-esr could not be installed with apt-get on this machine, so the differential test against Firefox did not run"
fi
exit "$status"
