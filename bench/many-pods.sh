#!/usr/bin/env bash
# N pods Running at once (default 1000; the seed's two-container pod, busybox, renamed): applied as one
# multi-document manifest, timed until every pod is Running; then the daemon's RSS and the node's process
# and mount counts; then all N deleted with one command, timed, and the kernel checked for anything of
# them left: mounts under the run root, netns pins, veths on the bridge, address leases, pod cgroups,
# monitor (peapod-podmon, conmon) and pause processes, runc containers (the sandbox pool's own are told apart and reported).
# Usage: bench/many-pods.sh [N]   (run scripts/up.sh first, on a node with no pods)
set -euo pipefail
n=${1:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
peapod=${PEAPOD:-$root/bin/peapod}
run=/run/peapod
state=/var/lib/peapod
"$peapod" version >/dev/null || { echo "no peapod daemon; run scripts/up.sh first" >&2; exit 1; }
if [ -n "$("$peapod" get pods -A --no-headers 2>/dev/null)" ]; then
  echo "peapod has pods; this needs a node without any (peapod get pods -A; peapod delete pod NAME...)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
daemon=$(pgrep -f -- "-jar $root/server/target/peapod-server.jar" | head -1)
rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$daemon/status"; }
hwm() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$daemon/status"; }
now() { date +%s%N; }
count() { # what of peapod the kernel holds: a one-line summary
  local mounts netns veths leases cgroups podmons conmons pauses runcs
  mounts=$(awk -v r="$run/" 'index($5, r) == 1' /proc/self/mountinfo | wc -l)
  netns=$(find "$run/netns" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  veths=$(ip -o link show master peapod0 2>/dev/null | wc -l)
  leases=$(find "$state/cni/networks" -name '[0-9]*.[0-9]*' 2>/dev/null | wc -l)
  cgroups=$(find /sys/fs/cgroup/memory/peapod -maxdepth 4 -type d -name 'pod*' 2>/dev/null | wc -l)
  podmons=$(for p in $(pgrep -x peapod-podmon); do
    tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- " $run/" && echo x; done | wc -l)
  conmons=$(for p in $(pgrep -x conmon); do
    tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- "--exit-dir $run/" && echo x; done | wc -l)
  pauses=$(pgrep -x catatonit | while read -r p; do grep -qs ':/peapod/' "/proc/$p/cgroup" && echo x; done | wc -l)
  runcs=$(runc --root "$run/runc" list -q 2>/dev/null | grep -c . || true)
  echo "mounts $mounts, netns pins $netns, veths $veths, leases $leases, pod cgroups $cgroups, pod monitors $podmons, conmon $conmons," \
    "pause $pauses, runc containers $runcs"
}

echo "before:   daemon RSS $(rss) MB; $(count)"
for i in $(seq 1 "$n"); do
  sed "s/name: two-containers/name: many-$i/" "$root/examples/two-containers-pod.yaml"
  echo "---"
done > "$work/pods.yaml"
t0=$(now)
"$peapod" apply -f "$work/pods.yaml" >/dev/null
ta=$(now)
while :; do
  running=$("$peapod" get pods --no-headers | awk '$1 ~ /^many-/ && $3 == "Running"' | wc -l)
  [ "$running" -ge "$n" ] && break
  sleep 1
done
t1=$(now)
echo "$n pods Running $(( (t1 - t0) / 1000000 )) ms after apply (the apply itself $(( (ta - t0) / 1000000 )) ms)"
sleep 5
echo "running:  daemon RSS $(rss) MB (peak $(hwm) MB), $(ps -e --no-headers | wc -l) processes on the node; $(count)"
t2=$(now)
"$peapod" delete pod $(seq -f 'many-%g' 1 "$n") >/dev/null
t3=$(now)
echo "deleted $n pods with one command in $(( (t3 - t2) / 1000000 )) ms"
sleep 2
echo "after:    daemon RSS $(rss) MB; $(count)"
echo "(what remains besides nothing is the sandbox pool: one netns pin, veth, lease, pod cgroup, pod monitor, pause and"
echo " runc container, and two mounts (shm, netns pin), per pooled sandbox; --sandbox-pool, default 2)"
