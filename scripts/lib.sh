# Shared by the project's scripts: finding a JDK >= 25 and installing the Debian packages peapod needs.

# Debian packages the daemon runs (runc, conmon, catatonit, CNI plugins), the build compiles the pod
# monitor with (gcc, libc6-dev), the demo image comes from (busybox-static), and the scripts use.
PEAPOD_PACKAGES="gcc libc6-dev runc conmon catatonit busybox-static containernetworking-plugins iptables skopeo umoci docker-registry apache2-utils openssl iproute2 curl file"

# Prints the home of a JDK whose major version is at least 25: $JAVA_HOME if it qualifies, else the
# newest one under /usr/lib/jvm. Fails with a message saying what to install.
find_jdk() {
  local candidates=() home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for home in /usr/lib/jvm/*; do candidates+=("$home"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/javac" ] && [ -f "$home/release" ] || continue
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
    if [ "${major:-0}" -ge 25 ]; then echo "$home"; return 0; fi
  done
  echo "peapod needs a JDK 25 or newer and found none (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "Install one (for example Temurin 25 into /usr/lib/jvm) or set JAVA_HOME to it." >&2
  return 1
}

# Installs whichever of PEAPOD_PACKAGES (or of the packages named as arguments) is missing
# (apt-get update first, only when needed).
install_packages() {
  local missing=() p
  for p in ${*:-$PEAPOD_PACKAGES}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

require_root() {
  if [ "$(id -u)" -ne 0 ]; then echo "$1 must run as root (it installs packages and runs containers)" >&2; exit 1; fi
}
