#!/usr/bin/env bash
# The CLI's AOT caches (JEP 483/514), made by the build (cli/pom.xml, package phase):
# - peapod-cli.aot, for every command: io.peapod.cli.AotTraining runs many commands in one JVM against canned
#   answers of its own;
# - peapod-cli-VERB.aot, one per common verb: io.peapod.cli.AotTrainingRuns runs that verb's usual command
#   lines against the same canned answers served by another JVM (`AotTraining --serve`), so nothing of the
#   training is in the cache. A JVM loads every class of its cache as it starts, and a verb's cache holds
#   ~1070-1200 classes against ~1800: its command starts 3-7 ms sooner. bin/peapod takes it when the verb is
#   the first argument and its cache exists.
# The options are those bin/peapod runs the CLI with: a cache is refused when they differ.
# Usage: aot-caches.sh JAVA_HOME TARGET_DIR
set -euo pipefail
java=$1/bin/java
target=$2
cli=(-Xlog:aot=error -Djdk.reflect.useNativeAccessorOnly=true --enable-native-access=ALL-UNNAMED
  -Dpeapod.cli.socket-library="$target/libpeapod-cli.so" -cp "$target/peapod-cli.jar")
# A verb dropped from the list below, or a training that fails, leaves no cache of an older jar behind.
rm -f "$target"/peapod-cli*.aot
"$java" -XX:AOTCacheOutput="$target/peapod-cli.aot" "${cli[@]}" io.peapod.cli.AotTraining

work=$(mktemp -d)
"$java" -cp "$target/peapod-cli.jar" io.peapod.cli.AotTraining --serve "$work/api.sock" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  [ -S "$work/api.sock" ] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
[ -S "$work/api.sock" ] || { echo "aot-caches.sh: the training server did not start" >&2; exit 1; }
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n' > "$work/web.yaml"
train() { # verb, then its command lines
  "$java" -XX:AOTCacheOutput="$target/peapod-cli-$1.aot" "${cli[@]}" io.peapod.cli.AotTrainingRuns \
    "$work/api.sock" "${@:2}" > /dev/null
}
# apply's cache is trained without --wait: with it the cache held ~1350 classes and won nothing, and a wait
# lasts hundreds of ms anyway.
train apply "apply -f $work/web.yaml"
train get "get pods" "get pods -o wide" "get pods -A" "get pod web -o yaml" "get pod web -o json" "get secrets" \
  "get nodes"
train delete "delete pod web --grace-period=0"
