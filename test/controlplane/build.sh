#!/usr/bin/env bash
# Builds the pinned control-plane binaries (etcd, kube-apiserver, kube-controller-manager, kubectl) into a gitignored
# cache folder. Prints the folder holding them on stdout. Skips the build when binaries of the pinned versions are
# there, and builds only the missing ones when a folder made by an older build.sh (three binaries, no controller
# manager) is found. Honours KUBEBUILDER_ASSETS: when it names a folder with all four binaries, that folder is used.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  for b in etcd kube-apiserver kube-controller-manager kubectl; do
    [[ -x "$KUBEBUILDER_ASSETS/$b" ]] || { echo "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS has no executable $b (the harness needs all of etcd, kube-apiserver, kube-controller-manager and kubectl)" >&2; exit 1; }
  done
  echo "$KUBEBUILDER_ASSETS"
  exit 0
fi

command -v go >/dev/null || {
  echo "build.sh needs Go $(awk '/^go /{print $2}' "$here/go.mod") or newer to build etcd and the Kubernetes binaries; install it, or set KUBEBUILDER_ASSETS to a folder holding etcd, kube-apiserver, kube-controller-manager and kubectl" >&2
  exit 1
}
k8s="$(cd "$here" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
etcd="$(cd "$here" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
out="${ROSTER_CONTROLPLANE_CACHE:-$root/.cache/controlplane}/k8s-$k8s-etcd-$etcd"
stamp="$out/.built"

binaries=(etcd kube-apiserver kube-controller-manager kubectl)
complete() {
  [[ -f "$stamp" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x "$out/$b" ]] || return 1; done
}
if complete; then
  echo "$out"
  exit 0
fi

mkdir -p "$out"
# Two runs at once (tests and the demo) must not both write the same binaries: the second waits, then reuses.
if command -v flock >/dev/null; then
  exec 9>"$out.lock"
  flock 9
  if complete; then echo "$out"; exit 0; fi
fi
start=$(date +%s)
echo "building control plane: kubernetes $k8s, etcd $etcd -> $out (a cold build takes several minutes)" >&2
cd "$here"
export CGO_ENABLED=0
# Stamp the versions the way Kubernetes' release build does, so `kubectl version` and /version tell the truth.
minor="${k8s#v1.}"; minor="${minor%%.*}"
kv="-X k8s.io/component-base/version.gitVersion=$k8s -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
kv="$kv -X k8s.io/client-go/pkg/version.gitVersion=$k8s -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
# One package at a time keeps peak memory and the 2-core machine sane; Go's build cache makes reruns cheap.
# A binary already there is kept (a folder stamped by an older build.sh lacks only kube-controller-manager); each one is
# linked under a temporary name and renamed, so an interrupted build never leaves a half-written binary behind.
build() { # build NAME PACKAGE LDFLAGS
  [[ -x "$out/$1" ]] && return 0
  go build -trimpath -ldflags "$3" -o "$out/$1.partial" "$2"
  mv -f "$out/$1.partial" "$out/$1"
}
build etcd go.etcd.io/etcd/server/v3 "-s -w"
build kubectl k8s.io/kubernetes/cmd/kubectl "-s -w $kv"
build kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "-s -w $kv"
build kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "-s -w $kv"
printf 'kubernetes=%s\netcd=%s\nbuilt=%s\n' "$k8s" "$etcd" "$(date -u +%FT%TZ)" > "$stamp"
echo "control plane built in $(( $(date +%s) - start ))s" >&2
echo "$out"
