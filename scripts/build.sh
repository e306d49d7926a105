#!/usr/bin/env bash
# Builds peapod with the Maven wrapper on a JDK >= 25 and records that JDK for bin/peapod.
# Usage: scripts/build.sh [extra Maven arguments, e.g. -DskipTests]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
JAVA_HOME=$(find_jdk)
export JAVA_HOME
cd "$root"
./mvnw -B -q install -DskipTests "$@"
mkdir -p target
echo "$JAVA_HOME" > target/java-home
