#!/usr/bin/env bash
# Times the controllers on the running daemon: a Deployment of busybox `sleep` pods scaled from 0 to N (until
# N are ready), rolled to a new template (until `rollout status` says done), then scaled to 0 (until its pods
# are gone); also the daemon's CPU time over the whole run. Usage: bench/deployment-scale.sh [N]
# (run scripts/up.sh first). Prints one line per phase.
set -euo pipefail
n=${1:-20}
pid=$(pgrep -f 'peapod-server.jar' | head -1)
[ -n "$pid" ] || { echo "no peapod-server.jar process found; run scripts/up.sh first" >&2; exit 1; }
ticks=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
now() { date +%s%N; }
manifest() {
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: bench-scale}
spec:
  replicas: $1
  selector: {matchLabels: {bench: scale}}
  template:
    metadata: {labels: {bench: scale}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - {name: c, image: busybox, imagePullPolicy: IfNotPresent, command: [sleep, '86400'], env: [{name: V, value: "$2"}]}
YAML
}
ready() { peapod get deployment bench-scale -o json | grep -o '"readyReplicas": [0-9]*' | grep -o '[0-9]*$' || echo 0; }
pods() { peapod get pods -l bench=scale -o name | wc -l; }
report() { awk -v a="$2" -v b="$3" -v what="$1" 'BEGIN { printf "%-28s %6.2f s\n", what, (b - a) / 1e9 }'; }

manifest 0 1 | peapod apply -f - >/dev/null
c0=$(cpu)
t0=$(now)
peapod scale deployment/bench-scale --replicas="$n" >/dev/null
until [ "$(ready)" -ge "$n" ]; do sleep 0.2; done
t1=$(now)
report "scale 0 -> $n ready" "$t0" "$t1"
manifest "$n" 2 | peapod apply -f - >/dev/null
peapod rollout status deployment/bench-scale --timeout 600s >/dev/null
t2=$(now)
report "rolling update of $n" "$t1" "$t2"
peapod scale deployment/bench-scale --replicas=0 >/dev/null
until [ "$(pods)" -eq 0 ]; do sleep 0.2; done
t3=$(now)
report "scale $n -> 0 gone" "$t2" "$t3"
c1=$(cpu)
awk -v c=$((c1 - c0)) -v hz="$ticks" 'BEGIN { printf "%-28s %6.2f s\n", "daemon CPU, whole run", c / hz }'
peapod delete deployment bench-scale >/dev/null
