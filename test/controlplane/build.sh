#!/usr/bin/env bash
# Builds the pinned control-plane binaries (etcd, kube-apiserver, kubectl) into a gitignored cache folder.
# Prints the folder holding them on stdout. Skips the build when binaries of the pinned versions are there.
# Honours KUBEBUILDER_ASSETS: when it names a folder with all three binaries, that folder is used as is.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  for b in etcd kube-apiserver kubectl; do
    [[ -x "$KUBEBUILDER_ASSETS/$b" ]] || { echo "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS has no executable $b" >&2; exit 1; }
  done
  echo "$KUBEBUILDER_ASSETS"
  exit 0
fi

command -v go >/dev/null || {
  echo "build.sh needs Go $(awk '/^go /{print $2}' "$here/go.mod") or newer to build etcd and kube-apiserver; install it, or set KUBEBUILDER_ASSETS to a folder holding etcd, kube-apiserver and kubectl" >&2
  exit 1
}
k8s="$(cd "$here" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
etcd="$(cd "$here" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
out="${ROSTER_CONTROLPLANE_CACHE:-$root/.cache/controlplane}/k8s-$k8s-etcd-$etcd"
stamp="$out/.built"

if [[ -f "$stamp" && -x "$out/etcd" && -x "$out/kube-apiserver" && -x "$out/kubectl" ]]; then
  echo "$out"
  exit 0
fi

mkdir -p "$out"
# Two runs at once (tests and the demo) must not both write the same binaries: the second waits, then reuses.
if command -v flock >/dev/null; then
  exec 9>"$out.lock"
  flock 9
  if [[ -f "$stamp" ]]; then echo "$out"; exit 0; fi
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
go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3
go build -trimpath -ldflags "-s -w $kv" -o "$out/kubectl" k8s.io/kubernetes/cmd/kubectl
go build -trimpath -ldflags "-s -w $kv" -o "$out/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
printf 'kubernetes=%s\netcd=%s\nbuilt=%s\n' "$k8s" "$etcd" "$(date -u +%FT%TZ)" > "$stamp"
echo "control plane built in $(( $(date +%s) - start ))s" >&2
echo "$out"
