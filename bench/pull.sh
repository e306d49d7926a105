#!/usr/bin/env bash
# Pulls a 5-layer, ~200 MiB image from the registry on 127.0.0.1:5000 (scripts/registry-mirror.sh runs it)
# into an empty store, RUNS times each, and prints wall time and throughput of each run, then the medians:
#   peapod pull            download, verify digests and diff ids, unpack (through its own throwaway daemon;
#                          the time includes the CLI's start)
#   skopeo copy            download and verify into an OCI layout: no unpack
#   skopeo copy + umoci    the same, then `umoci unpack`: skopeo's way to a runnable rootfs
#   podman pull            download, verify, unpack into containers-storage (overlay)
# Usage: bench/pull.sh [RUNS]   (as root; installs podman, skopeo and umoci if they are missing)
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
require_root "bench/pull.sh"
install_packages podman skopeo umoci
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
  podman rmi -f "$ref" >/dev/null 2>&1 || true
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

declare -A times
timed() { # name, command...: runs the command, prints and records its wall time
  local name=$1 t0 ns
  shift
  t0=$(date +%s%N)
  "$@" >/dev/null
  ns=$(( $(date +%s%N) - t0 ))
  times[$name]+="$ns "
  awk -v n="$name" -v ns="$ns" -v b="$bytes" 'BEGIN { s = ns / 1e9; printf "%-22s %6.2f s  %7.1f MB/s\n", n, s, b / s / 1e6 }'
}
skopeo_and_umoci() {
  skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$work/skopeo:v1"
  umoci unpack --image "$work/skopeo:v1" "$work/rootfs" >/dev/null
}

echo "image: $ref, $((bytes / 1024 / 1024)) MiB compressed, $runs runs each, $(nproc) cores"
for _ in $(seq 1 "$runs"); do
  timed "peapod pull" "$root/bin/peapod" --socket "$socket" image pull "$ref"
  "$root/bin/peapod" --socket "$socket" image rm "$ref" >/dev/null

  timed "skopeo copy" skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$work/skopeo:v1"
  rm -rf "$work/skopeo"

  timed "skopeo copy + umoci" skopeo_and_umoci
  rm -rf "$work/skopeo" "$work/rootfs"

  podman rmi -f "$ref" >/dev/null 2>&1 || true
  timed "podman pull" podman pull -q --tls-verify=false "$ref"
  podman rmi -f "$ref" >/dev/null 2>&1 || true
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "medians (and how many times faster peapod is):"
peapod=$(echo "${times[peapod pull]}" | median)
for name in "peapod pull" "skopeo copy" "skopeo copy + umoci" "podman pull"; do
  m=$(echo "${times[$name]}" | median)
  awk -v n="$name" -v m="$m" -v p="$peapod" 'BEGIN { printf "%-22s %6.2f s  %5.2fx\n", n, m / 1e9, m / p }'
done
