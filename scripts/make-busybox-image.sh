#!/usr/bin/env bash
# Makes an OCI image layout holding busybox:latest from Debian's busybox-static (umoci builds the
# layer and config; CMD sh and the usual PATH). Usage: make-busybox-image.sh LAYOUT_DIR
set -euo pipefail
layout=${1:?usage: make-busybox-image.sh LAYOUT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/scripts/make-busybox-rootfs.sh" "$work/rootfs"
rm -rf "$layout"
umoci init --layout "$layout"
umoci new --image "$layout:latest"
umoci unpack --image "$layout:latest" "$work/bundle" >/dev/null
cp -a "$work/rootfs/." "$work/bundle/rootfs/"
umoci repack --image "$layout:latest" "$work/bundle"
umoci config --image "$layout:latest" --config.cmd sh \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umoci gc --layout "$layout"
