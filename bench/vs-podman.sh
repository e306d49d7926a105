#!/usr/bin/env bash
# peapod side by side with podman in one run, on the seed's pod (two busybox containers sharing a process
# namespace, imagePullPolicy IfNotPresent), each timed from the CLI command to the exec(2) of both workload
# processes (found the same way for both: a `sleep` with an argument unique to the run, as the kernel reports
# its exec to bench/exec-watch.py):
#   1. STARTS interleaved pod starts (the two tools take turns going first): medians and the ratio;
#   2. PODS pods started one after another and left running: the median start of the first and the last
#      fifth of them (the drift), then memory outside the workloads per pod: PSS (/proc/PID/smaps_rollup) of
#      the monitors (peapod's pod monitors, podman's conmons) and pause processes, plus for peapod the daemon's RSS growth over the run
#      (the sandbox pool's processes are peapod's too, so they are counted);
#   3. deleting all PODS pods with one command.
# podman is Debian's (installed when missing) with runc and cgroupfs, and the nofile/nproc limits this
# host allows in a containers.conf of the run's own (its defaults ask for limits above the host's hard
# ones, which fail without CAP_SYS_RESOURCE); its busybox is imported from the same rootfs peapod's is.
# Usage: bench/vs-podman.sh [STARTS] [PODS]   (default 10 100; run scripts/up.sh first, on a node with
# no pods: `peapod get pods -A`, then `peapod delete pod NAME...`)
set -euo pipefail
starts=${1:-10}
pods=${2:-100}
root=$(cd "$(dirname "$0")/.." && pwd)
peapod=${PEAPOD:-$root/bin/peapod}
"$peapod" version >/dev/null || { echo "no peapod daemon; run scripts/up.sh first" >&2; exit 1; }
if [ -n "$("$peapod" get pods -A --no-headers 2>/dev/null)" ]; then
  echo "peapod has pods; the memory figures need a node without any (peapod get pods -A; peapod delete pod NAME...)" >&2
  exit 1
fi
if ! command -v podman >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >/dev/null
fi
work=$(mktemp -d)
u=$(ulimit -Hu); [ "$u" = unlimited ] && u=32768; (( u > 32768 )) && u=32768  # podman runs itself with 32768
nf=$(ulimit -Hn); [ "$nf" = unlimited ] && nf=1048576
cat > "$work/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nf:$nf", "nproc=$u:$u"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
export CONTAINERS_CONF=$work/containers.conf
pm=(podman --runtime runc --cgroup-manager cgroupfs)

cleanup() {
  "${pm[@]}" pod stop -a -t 0 >/dev/null 2>&1 || true
  "${pm[@]}" pod rm -a -f >/dev/null 2>&1 || true
  "${pm[@]}" network rm -f podman-default-kube-network >/dev/null 2>&1 || true
  # podman 4.3 leaves each pod's empty cgroup in the name=systemd and cgroup2 hierarchies.
  for h in /sys/fs/cgroup/*/; do
    [ -d "$h/libpod_parent" ] || continue
    find "$h/libpod_parent" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null || true
    rmdir "$h/libpod_parent" 2>/dev/null || true
  done
  local left
  left=$("$peapod" get pods --no-headers 2>/dev/null | awk '$1 ~ /^vs-peapod-/ {print $1}')
  [ -z "$left" ] || "$peapod" delete pod $left --grace-period=0 >/dev/null 2>&1 || true
  [ -f "$work/watcher.pid" ] && kill "$(cat "$work/watcher.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if ! "${pm[@]}" image inspect -f '{{.Config.Env}}' localhost/busybox:latest 2>/dev/null | grep -q PATH=; then
  bash "$root/scripts/make-busybox-rootfs.sh" "$work/fs" >/dev/null
  tar -C "$work/fs" -c . | "${pm[@]}" import --change 'CMD ["sh"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - localhost/busybox:latest >/dev/null
  rm -rf "$work/fs"
fi

manifest() { # name image tag
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  shareProcessNamespace: true
  containers:
  - {name: hello, image: $2, imagePullPolicy: IfNotPresent, command: ['sh', '-c', 'echo "first container" && sleep ${3}1']}
  - {name: hello2, image: $2, imagePullPolicy: IfNotPresent, command: ['sh', '-c', 'echo "second container" && sleep ${3}2']}
YAML
}
now() { date +%s%N; }
# A run is timed from the CLI command to the exec(2) of its second `sleep` (each with an argument unique to
# the run), as the kernel reports execs to bench/exec-watch.py: the script waits on a read, not in a loop that
# would take a core from the tool it times (scanning new pids every 0.5 ms took 20-30 ms of CPU in a start of
# ~85 ms). The watcher's own CPU per start is printed with the medians.
python=/usr/bin/python3
[ -x "$python" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null; }
timed() { # tool tag command...: runs the command, prints the ms (rounded) until both of the tag's sleeps ran
  local tool=$1 tag=$2 out="$work/exec.$2" pid t0 t1 cpu; shift 2
  timeout 120 "$python" "$root/bench/exec-watch.py" sleep "${tag}1" "${tag}2" > "$out" &
  pid=$!; echo "$pid" > "$work/watcher.pid"
  until [ -s "$out" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "exec-watch.py did not start" >&2; exit 1; }
    sleep 0.01
  done
  t0=${EPOCHREALTIME//[!0-9]/}
  if ! "$@" >/dev/null; then
    kill "$pid" 2>/dev/null; echo "run $tag: $* failed" >&2; exit 1
  fi
  wait "$pid" || { echo "run $tag: its workloads did not start within 2 minutes" >&2; exit 1; }
  { read -r _; read -r t1; read -r cpu; } < "$out"; rm -f "$out" "$work/watcher.pid"
  echo "$tool $cpu" >> "$work/watcher.cpu"
  echo $(( (t1 / 1000 - t0 + 500) / 1000 ))
}
start_peapod() { # name tag; prints ms
  manifest "$1" busybox "$2" > "$work/p.yaml"
  timed peapod "$2" "$peapod" apply -f "$work/p.yaml"
}
start_podman() { # name tag; prints ms
  manifest "$1" localhost/busybox:latest "$2" > "$work/q.yaml"
  timed podman "$2" "${pm[@]}" play kube "$work/q.yaml"
}
remove_peapod() { "$peapod" delete pod "$@" --grace-period=0 >/dev/null; }
remove_podman() { "${pm[@]}" pod stop -t 0 "$@" >/dev/null 2>&1; "${pm[@]}" pod rm "$@" >/dev/null; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# A first start of each warms caches (podman makes its kube network and pause image on first use).
remove_peapod "vs-peapod-warm" 2>/dev/null || true
start_peapod vs-peapod-warm 7000001 >/dev/null; remove_peapod vs-peapod-warm
start_podman vs-podman-warm 8000001 >/dev/null; remove_podman vs-podman-warm

echo "== 1. pod start, $starts interleaved runs (CLI command -> exec of both workload processes)"
a=() b=()
for i in $(seq 1 "$starts"); do
  if (( i % 2 )); then
    a+=("$(start_peapod "vs-peapod-$i" $((7100000 + i * 10)))"); b+=("$(start_podman "vs-podman-$i" $((8100000 + i * 10)))")
  else
    b+=("$(start_podman "vs-podman-$i" $((8100000 + i * 10)))"); a+=("$(start_peapod "vs-peapod-$i" $((7100000 + i * 10)))")
  fi
  remove_peapod "vs-peapod-$i"; remove_podman "vs-podman-$i"
done
pa=$(median "${a[@]}"); pb=$(median "${b[@]}")
echo "peapod: median $pa ms   (${a[*]})"
echo "podman: median $pb ms   (${b[*]})"
echo "peapod is $(ratio "$pb" "$pa")x faster"
watcher_ms() { awk -v t="$1" '$1 == t {print $2 / 1e6}' "$work/watcher.cpu" | sort -n | awk '{v[NR] = $1} END {printf "%.1f", v[int((NR + 1) / 2)]}'; }
echo "(exec-watch.py's own CPU, median per start: $(watcher_ms peapod) ms in peapod's runs, $(watcher_ms podman) ms in podman's)"

daemon_pid() { pgrep -f -- "-jar $root/server/target/peapod-server.jar" | head -1; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
pss_kb() { # sum of PSS over pids
  local sum=0 p v
  for p in "$@"; do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0); sum=$((sum + ${v:-0}))
  done
  echo "$sum"
}
in_cgroup() { grep -qs "$2" "/proc/$1/cgroup"; }
peapod_overhead() { # pids of peapod's monitors (one peapod-podmon per pod, conmon for interactive containers) and pause processes
  local p
  for p in $(pgrep -x peapod-podmon); do tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- ' /run/peapod/' && echo "$p"; done
  for p in $(pgrep -x conmon); do tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- '--exit-dir /run/peapod/' && echo "$p"; done
  for p in $(pgrep -x catatonit); do in_cgroup "$p" ':/peapod/' && echo "$p"; done
}
podman_overhead() {
  local p
  for p in $(pgrep -x conmon); do tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- '--exit-command /usr/bin/podman' && echo "$p"; done
  for p in $(pgrep -x catatonit); do in_cgroup "$p" 'libpod_parent' && echo "$p"; done
}

run_many() { # tool
  local tool=$1 i t=() first last base=7500000
  [ "$tool" = podman ] && base=8500000
  for i in $(seq 1 "$pods"); do
    t+=("$("start_$tool" "vs-$tool-n$i" $((base + i * 10)))")
  done
  local fifth=$((pods / 5))
  first=$(median "${t[@]:0:$fifth}"); last=$(median "${t[@]:$((pods - fifth)):$fifth}")
  echo "$tool: pods 1-$fifth median $first ms, pods $((pods - fifth + 1))-$pods median $last ms:" \
    "drift $(awk -v a="$first" -v b="$last" 'BEGIN {printf "%+.0f", (b / a - 1) * 100}') %"
}

echo "== 2. $pods pods one after another, then memory outside the workloads"
rss0=$(rss_kb "$(daemon_pid)")
run_many peapod
sleep 2
mapfile -t procs < <(peapod_overhead)
pss=$(pss_kb "${procs[@]}")
rss1=$(rss_kb "$(daemon_pid)")
echo "peapod: ${#procs[@]} monitor and pause processes, PSS $((pss / 1024)) MB; daemon RSS $((rss0 / 1024)) -> $((rss1 / 1024)) MB;" \
  "per pod $(awk -v p="$pss" -v g=$((rss1 - rss0)) -v n="$pods" 'BEGIN {printf "%.2f", (p + g) / n / 1024}') MB"

echo "== 3. delete $pods pods with one command"
names=$(seq -f 'vs-peapod-n%g' 1 "$pods")
t0=$(now); remove_peapod $names; td=$(( ($(now) - t0) / 1000000 ))
echo "peapod: $td ms (peapod delete pod <$pods names> --grace-period=0)"

run_many podman
sleep 2
mapfile -t procs < <(podman_overhead)
pss=$(pss_kb "${procs[@]}")
echo "podman: ${#procs[@]} monitor and pause processes, PSS $((pss / 1024)) MB; per pod" \
  "$(awk -v p="$pss" -v n="$pods" 'BEGIN {printf "%.2f", p / n / 1024}') MB (no daemon)"
names=$(seq -f 'vs-podman-n%g' 1 "$pods")
t0=$(now); remove_podman $names; tq=$(( ($(now) - t0) / 1000000 ))
echo "podman: $tq ms (podman pod stop -t 0 <names> && podman pod rm <names>; 'pod rm -f' takes ~3.5 s a pod here)"
