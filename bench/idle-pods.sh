#!/usr/bin/env bash
# Runs N idle pods (one `sleep` container each) against the running daemon, waits until all run, then
# measures the daemon's CPU time (utime + stime from /proc/<pid>/stat) and RSS over a window; deletes the
# pods at the end. Usage: bench/idle-pods.sh [N] [SECONDS]   (run scripts/up.sh first)
set -euo pipefail
n=${1:-100}
window=${2:-60}
socket=${PEAPOD_SOCKET:-/run/peapod/peapod.sock}
api() { curl -sf --unix-socket "$socket" "$@"; }
api http://peapod/v1/version >/dev/null || { echo "no daemon on $socket; run scripts/up.sh first" >&2; exit 1; }
pid=$(pgrep -f 'peapod-server.jar' | head -1)
[ -n "$pid" ] || { echo "no peapod-server.jar process found" >&2; exit 1; }
ticks=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }

for i in $(seq 1 "$n"); do
  api -X POST --data-binary @- "http://peapod/v1/apply?source=idle-bench" >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: idle-$i, labels: {bench: idle}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: c, image: busybox, imagePullPolicy: IfNotPresent, command: ['sleep', '86400']}
YAML
done
echo "applied $n pods; waiting until all run"
until [ "$(api 'http://peapod/v1/pods?namespace=default' | grep -o '"phase":"Running"' | wc -l)" -ge "$n" ]; do
  sleep 1
done
sleep 10   # let the starts' own work (probes none, events, GC) settle
c0=$(cpu); t0=$(date +%s%N)
sleep "$window"
c1=$(cpu); t1=$(date +%s%N)
elapsed=$(( (t1 - t0) / 1000000 ))
awk -v c=$((c1 - c0)) -v hz="$ticks" -v ms="$elapsed" -v n="$n" -v rss="$(rss)" 'BEGIN {
  printf "daemon with %d idle pods: %.2f s CPU in %.1f s (%.2f%% of one core), RSS %.0f MiB\n",
    n, c / hz, ms / 1000, 100 * c / hz / (ms / 1000), rss / 1024 }'
for i in $(seq 1 "$n"); do
  api -X DELETE "http://peapod/v1/pods/default/idle-$i?grace=0&wait=false" >/dev/null &
  if (( i % 10 == 0 )); then wait; fi
done
wait
echo "deleting the pods"
