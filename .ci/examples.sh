#!/usr/bin/env bash
# CI: the examples under examples/, each a module of its own (so that its
# dependencies never enter the library's go.mod; the root "go test ./..."
# does not descend into them): vet and test each, and count the glue each
# needs per hook point (the lines between "BEGIN glue" and "END glue").
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

for mod in examples/*/go.mod; do
  dir=$(dirname "$mod")
  echo "== $dir"
  (cd "$dir" && go vet ./... && go test -race ./...)
  awk '/BEGIN glue/ {n=0; hook=$0; sub(/.*BEGIN glue: */, "", hook); next}
       /END glue/ {printf "   glue %-14s %d lines\n", hook, n; if (n >= 10) bad=1; hook=""; next}
       hook != "" {n++}
       END {exit bad}' "$dir"/*.go
done
