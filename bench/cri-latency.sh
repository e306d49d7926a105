#!/usr/bin/env bash
# CRI unary call latency (Version, ListPodSandbox) from a grpc-java client on the daemon's cri.sock.
# Usage: bench/cri-latency.sh [SOCKET] [N]   (run scripts/up.sh first; prints one line per measurement)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
read -r java < "$root/target/java-home"
socket=${1:-/run/peapod/cri.sock}
[ -S "$socket" ] || { echo "no CRI socket at $socket; run scripts/up.sh first" >&2; exit 1; }
exec "$java/bin/java" --sun-misc-unsafe-memory-access=allow -cp "$root/server/target/lib/*" \
  "$root/bench/CriLatency.java" "$socket" "${2:-1000}"
