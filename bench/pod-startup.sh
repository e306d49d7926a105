#!/usr/bin/env bash
# Applies the example pod N times against the running daemon and prints, for apply to both container
# processes running (checked in /proc), the p50, p99 and mean in milliseconds; then times a cold
# `peapod get pods`. Usage: bench/pod-startup.sh [N]   (run scripts/up.sh first: it starts the daemon)
set -euo pipefail
n=${1:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
socket=${PEAPOD_SOCKET:-/run/peapod/peapod.sock}
peapod=${PEAPOD:-$root/bin/peapod}
api() { curl -sf --unix-socket "$socket" "$@"; }
api http://peapod/v1/version >/dev/null || { echo "no daemon on $socket; run scripts/up.sh first" >&2; exit 1; }

running() { # both containers' pids alive in /proc
  local pids
  pids=$(api "http://peapod/v1/pods/default/$1" | grep -o '"pid":[0-9]*' | cut -d: -f2)
  [ "$(echo "$pids" | grep -vc '^0$')" -eq 2 ] || return 1
  for p in $pids; do [ -d "/proc/$p" ] || return 1; done
}

times=()
for i in $(seq 1 "$n"); do
  name=bench-$i
  manifest=$(sed "s/name: two-containers/name: $name/" "$root/examples/two-containers-pod.yaml")
  t0=$(date +%s%N)
  api -X POST --data-binary "$manifest" "http://peapod/v1/apply?source=bench" >/dev/null
  until running "$name"; do :; done
  t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000 )))
  api -X DELETE "http://peapod/v1/pods/default/$name?grace=0" >/dev/null
done
printf '%s\n' "${times[@]}" | sort -n | awk -v n="$n" '
  { v[NR] = $1; sum += $1 }
  END {
    p50 = v[int((n + 1) * 0.50)]; p99 = v[(int(n * 0.99) < 1) ? 1 : int(n * 0.99 + 0.5)]
    printf "pod apply -> both containers running (API, %d runs): p50 %.1f ms, p99 %.1f ms, mean %.1f ms, max %.1f ms\n",
      n, p50 / 1000, p99 / 1000, sum / n / 1000, v[n] / 1000
  }'

if command -v hyperfine >/dev/null; then
  "$peapod" apply -f "$root/examples/two-containers-pod.yaml" >/dev/null 2>&1 || true
  hyperfine -N --warmup 3 --runs 30 "$peapod get pods" 2>/dev/null | grep -E 'Time|Range' | sed 's/^/peapod get pods (cold JVM + AOT cache): /'
else
  echo "(install hyperfine to time 'peapod get pods')"
fi
