#!/usr/bin/env bash
# Runs Debian's docker-registry on 127.0.0.1:5000 as a mirror of docker.io for this offline node, and
# loads it with library/busybox:latest made from Debian's busybox-static (umoci builds the OCI image,
# skopeo pushes it). Idempotent: a running registry and an image already there are left alone.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
addr=127.0.0.1:5000
config=/etc/peapod/registry.yml
mkdir -p /etc/peapod /var/lib/peapod-registry /var/log/peapod
if [ ! -f "$config" ]; then
  cat > "$config" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/peapod-registry
http:
  addr: $addr
log:
  level: error
YAML
fi
if ! curl -sf "http://$addr/v2/" >/dev/null; then
  echo "starting docker-registry on $addr (log: /var/log/peapod/registry.log)"
  nohup setsid docker-registry serve "$config" >>/var/log/peapod/registry.log 2>&1 < /dev/null &
  for _ in $(seq 1 50); do curl -sf "http://$addr/v2/" >/dev/null && break; sleep 0.1; done
fi
if ! curl -sf -o /dev/null "http://$addr/v2/library/busybox/manifests/latest" \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json'; then
  work=$(mktemp -d)
  "$root/scripts/make-busybox-image.sh" "$work/oci"
  skopeo copy -q --dest-tls-verify=false "oci:$work/oci:latest" "docker://$addr/library/busybox:latest"
  rm -rf "$work"
fi
if [ ! -f /etc/peapod/registries.json ]; then
  printf '{"registries": {"docker.io": {"mirrors": ["http://%s"]}}}\n' "$addr" > /etc/peapod/registries.json
fi
