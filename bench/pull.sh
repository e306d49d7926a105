#!/usr/bin/env bash
# Pulls a 5-layer, ~200 MiB image from the registry on 127.0.0.1:5000 (scripts/registry-mirror.sh runs it)
# into an empty store, RUNS times, and prints wall time and throughput for: peapod (pull and unpack, through
# its own throwaway daemon), `skopeo copy docker://... oci:...` (download only) and `podman pull` if installed.
# Usage: bench/pull.sh [RUNS]
set -euo pipefail
runs=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
addr=127.0.0.1:5000
ref=$addr/bench/big:v1
curl -sf "http://$addr/v2/" >/dev/null || { echo "no registry on $addr; run scripts/registry-mirror.sh" >&2; exit 1; }
work=$(mktemp -d /tmp/peapod-bench-XXXX)
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ]; then
    kill "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true  # a killed daemon's status is 143, not a failure here
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! curl -sf -o /dev/null "http://$addr/v2/bench/big/manifests/v1" -H 'Accept: application/vnd.oci.image.manifest.v1+json'; then
  echo "building and pushing $ref (5 layers of 40 MiB of random bytes)"
  umoci init --layout "$work/oci" && umoci new --image "$work/oci:v1"
  for i in 1 2 3 4 5; do
    umoci unpack --image "$work/oci:v1" "$work/bundle" >/dev/null
    head -c $((40 * 1024 * 1024)) /dev/urandom > "$work/bundle/rootfs/layer$i.bin"
    umoci repack --image "$work/oci:v1" "$work/bundle" && rm -rf "$work/bundle"
  done
  skopeo copy -q --dest-tls-verify=false "oci:$work/oci:v1" "docker://$ref"
  rm -rf "$work/oci"
fi
bytes=$(curl -sf "http://$addr/v2/bench/big/manifests/v1" -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
  | grep -o '"size":[0-9]*' | awk -F: '{ s += $2 } END { print s }')

socket=$work/run/peapod.sock
"$root/bin/peapod" daemon --state-root="$work/state" --run-root="$work/run" --log-root="$work/logs" \
  --cni-conf-dir="$work/cni" --cgroup-parent=peapod-bench --registries-config="$work/none.json" \
  > "$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 100); do "$root/bin/peapod" --socket "$socket" version >/dev/null 2>&1 && break; sleep 0.1; done

report() { # name, nanoseconds
  awk -v n="$1" -v ns="$2" -v b="$bytes" 'BEGIN { s = ns / 1e9; printf "%-28s %6.2f s  %7.1f MB/s\n", n, s, b / s / 1e6 }'
}
echo "image: $ref, $((bytes / 1024 / 1024)) MiB compressed, $runs runs each"
for i in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  "$root/bin/peapod" --socket "$socket" image pull "$ref" >/dev/null
  report "peapod pull (+unpack)" $(( $(date +%s%N) - t0 ))
  "$root/bin/peapod" --socket "$socket" image rm "$ref" >/dev/null

  t0=$(date +%s%N)
  skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$work/skopeo:v1"
  report "skopeo copy (no unpack)" $(( $(date +%s%N) - t0 ))
  rm -rf "$work/skopeo"

  if command -v podman >/dev/null; then
    podman rmi -f "$ref" >/dev/null 2>&1 || true
    t0=$(date +%s%N)
    podman pull -q --tls-verify=false "$ref" >/dev/null
    report "podman pull" $(( $(date +%s%N) - t0 ))
    podman rmi -f "$ref" >/dev/null 2>&1 || true
  fi
done
command -v podman >/dev/null || echo "(podman is not installed: apt-get install podman to compare)"
