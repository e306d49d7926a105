#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and runs every test, the root
# integration tests included (each starts its own daemon with its own roots and socket).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
require_root "scripts/test.sh"
# The web page's test drives Debian's chromium through its chromedriver.
install_packages $PEAPOD_PACKAGES chromium chromium-driver
JAVA_HOME=$(find_jdk)
export JAVA_HOME
cd "$root"
# bin/peapod runs with this JDK; some tests run the CLI through it, as users do.
mkdir -p target && echo "$JAVA_HOME" > target/java-home
./mvnw -B verify -Dpeapod.test.root=true "$@"
