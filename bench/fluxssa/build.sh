#!/usr/bin/env bash
# Builds the Flux engine comparator (main.go here) into the gitignored .cache folder and prints the binary's path.
# Go's build cache makes a rebuild of an unchanged program cheap; a cold one compiles client-go (minutes).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
command -v go >/dev/null || { echo "bench/fluxssa/build.sh needs Go $(awk '/^go /{print $2}' "$here/go.mod") or newer" >&2; exit 1; }
ssa="$(cd "$here" && go list -m -f '{{.Version}}' github.com/fluxcd/pkg/ssa)"
out="$root/.cache/fluxssa/ssa-$ssa"
mkdir -p "$out"
exec 9>"$out.lock"
flock 9
(cd "$here" && CGO_ENABLED=0 go build -trimpath -o "$out/fluxssa" .)
echo "$out/fluxssa"
