#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, starts the daemon (left running),
# side-loads a busybox image made from Debian's busybox-static as docker.io/library/busybox:latest,
# runs examples/two-containers-pod.yaml and shows the pod and its namespaces.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
require_root "scripts/up.sh"
install_packages
"$root/scripts/build.sh"
ln -sf "$root/bin/peapod" /usr/local/bin/peapod
"$root/scripts/registry-mirror.sh"

socket=/run/peapod/peapod.sock
if ! peapod version >/dev/null 2>&1; then
  mkdir -p /var/log/peapod
  echo "starting the daemon (log: /var/log/peapod/daemon.log)"
  nohup setsid "$root/bin/peapod" daemon --web 127.0.0.1:7117 --web-logs=true >>/var/log/peapod/daemon.log 2>&1 < /dev/null &
  for _ in $(seq 1 100); do [ -S "$socket" ] && peapod version >/dev/null 2>&1 && break; sleep 0.1; done
fi
peapod version

peapod image pull busybox
peapod image ls

peapod apply -f "$root/examples/two-containers-pod.yaml" --wait --timeout 120s
echo
peapod get pods -o wide
echo
peapod ns two-containers
echo
peapod logs two-containers -c hello
if curl -sf http://127.0.0.1:7117/api/pods >/dev/null 2>&1; then
  echo
  echo "web page (each pod's namespaces, live): http://127.0.0.1:7117/   metrics: http://127.0.0.1:7117/metrics"
fi
