#!/usr/bin/env bash
# CI: the differential test against Chromium. Every case of the embedded
# fixture suite that a page can express runs in Debian's chromium, on
# loopback servers, and is compared with the engine (internal/browsertest);
# the run ends with "N passed, N failed". Chromium is installed with apt when
# it is missing; the test is skipped, saying why, only where that fails.
# The loopback servers listen on ports 80 and 443: run as root (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export GOFLAGS="${GOFLAGS:-} -mod=readonly"

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "browser-diff: $chromium is missing; installing Debian's chromium with apt-get"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
  fi
  if ! command -v apt-get >/dev/null 2>&1 ||
     ! $sudo apt-get update ||
     ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium ||
     [ ! -x "$chromium" ]; then
    echo "browser-diff: SKIPPED: chromium could not be installed with apt-get on this machine, so the differential test against Chromium did not run"
    exit 0
  fi
fi
# Debian's launcher script may print shell warnings on stderr; the version
# is the line on stdout.
echo "browser-diff: $("$chromium" --version 2>/dev/null)"
export CHROMIUM="$chromium"

# The harness is a module of its own (internal/browsertest), so that
# chromedp never enters the library's go.mod: its vet and tests, then the
# run over the embedded suite.
(cd internal/browsertest && go mod download && go vet ./... && go test -race -count=1 ./...)
go -C internal/browsertest run ./cmd/browser-diff
