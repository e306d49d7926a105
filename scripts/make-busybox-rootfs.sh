#!/usr/bin/env bash
# Makes a minimal root filesystem from Debian's busybox-static: /bin/busybox, one symlink per applet,
# and the /etc files a container expects. Usage: make-busybox-rootfs.sh DIR
set -euo pipefail
dir=${1:?usage: make-busybox-rootfs.sh DIR}
busybox=$(command -v busybox) || { echo "busybox not found: apt-get install busybox-static" >&2; exit 1; }
if ! file -L "$busybox" 2>/dev/null | grep -q static && ! ldd "$busybox" 2>&1 | grep -q 'not a dynamic'; then
  echo "$busybox is not statically linked: apt-get install busybox-static" >&2; exit 1
fi
rm -rf "$dir"
mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,var/www}
chmod 1777 "$dir/tmp"
cp "$busybox" "$dir/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$dir/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$dir/etc/group"
