#!/usr/bin/env bash
# What one `glasshouse exec ID true` costs, through the native init (glasshouse-init) and through
# an init JVM (`glasshouse helper --init jvm`), taking turns (issue 16). Run as root from a checkout
# whose jar and glasshouse-init are built (./mvnw -B -q -DskipTests package):
#
#   runtime-helper/src/test/bench/exec-cost.sh [ROUNDS] [DIR] [CGROUP]
#
# It starts two helpers of its own (sockets and state dirs under DIR, default /tmp/gh-exec-cost;
# cgroup parents CGROUP-native and CGROUP-jvm, default glasshouse-exec-cost), runs one level-12
# container `sleep` in each, execs `true` into them ROUNDS times (default 15) each, alternating
# which goes first in a round, after 2 unmeasured execs each, and prints per init stage the median
# and the spread (min, p25-p75, max) of:
#   whole   the `glasshouse exec` process, wall time (the CLI is a JVM either way)
#   cli     that process's own CPU (user + sys), for scale
#   helper  the helper's CPU per exec from /proc/PID/stat: utime + stime of all its threads plus
#           cutime + cstime of the children it reaped (the exec's init, JVM or native), read before
#           and 0.3 s after each exec (once the init is reaped); 10 ms ticks (CLK_TCK), hence the
#           median of several rounds
# Then removes both containers and stops both helpers (SIGTERM, by pid).
set -euo pipefail
rounds=${1:-15}
dir=${2:-/tmp/gh-exec-cost}
cgroup=${3:-glasshouse-exec-cost}
repo=$(readlink -f "${BASH_SOURCE[0]}") && repo=${repo%/runtime-helper/src/test/bench/*}
gh=$repo/glasshouse
modes=(native jvm)
tck=$(getconf CLK_TCK)
declare -A pid id

[ "$(id -u)" = 0 ] || { echo "exec-cost: run as root (it starts helpers)" >&2; exit 2; }
[ -x "$repo/runtime-helper/target/glasshouse-init" ] && [ -f "$repo/runtime-helper/target/runtime-helper.jar" ] ||
  { echo "exec-cost: build first: ./mvnw -B -q -DskipTests package" >&2; exit 2; }

# The helper's CPU so far, in ms: its threads' and its reaped children's (/proc/PID/stat 14-17).
cpu_ms() {
  local s
  s=$(<"/proc/$1/stat")
  s=${s##*) }
  # After "pid (comm) ": state is field 1, so utime..cstime are fields 12-15.
  awk -v t="$tck" '{ print ($12 + $13 + $14 + $15) * 1000 / t }' <<<"$s"
}

stop() {
  for m in "${modes[@]}"; do
    if [ -n "${id[$m]:-}" ]; then
      GLASSHOUSE_SOCKET=$dir/$m/helper.sock "$gh" rm -f "${id[$m]}" >/dev/null 2>&1 || true
    fi
    if [ -n "${pid[$m]:-}" ]; then
      kill -TERM "${pid[$m]}" 2>/dev/null || true
      wait "${pid[$m]}" 2>/dev/null || true
    fi
  done
}
trap stop EXIT

for m in "${modes[@]}"; do
  mkdir -p "$dir/$m"
  "$gh" helper --init "$m" --socket "$dir/$m/helper.sock" --state-dir "$dir/$m/state" \
    --cgroup-parent "$cgroup-$m" >"$dir/$m/helper.log" 2>&1 &
  pid[$m]=$!
done
for m in "${modes[@]}"; do
  for _ in $(seq 600); do
    GLASSHOUSE_SOCKET=$dir/$m/helper.sock "$gh" ps >/dev/null 2>&1 && break
    sleep 0.1
  done
  id[$m]=$(GLASSHOUSE_SOCKET=$dir/$m/helper.sock "$gh" run -d --level 12 -- sleep 100000)
  for _ in 1 2; do
    GLASSHOUSE_SOCKET=$dir/$m/helper.sock "$gh" exec "${id[$m]}" true
  done
done

declare -A whole cli helper
TIMEFORMAT='%3R %3U %3S'
for r in $(seq "$rounds"); do
  order=("${modes[@]}")
  if [ $((r % 2)) = 0 ]; then order=(jvm native); fi
  for m in "${order[@]}"; do
    c0=$(cpu_ms "${pid[$m]}")
    t=$({ time GLASSHOUSE_SOCKET=$dir/$m/helper.sock "$gh" exec "${id[$m]}" true >/dev/null 2>&1; } 2>&1)
    sleep 0.3
    c1=$(cpu_ms "${pid[$m]}")
    read -r real user sys <<<"$t"
    whole[$m]+="$(awk -v x="$real" 'BEGIN { print x * 1000 }') "
    cli[$m]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { print (u + s) * 1000 }') "
    helper[$m]+="$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }') "
  done
done

# median, min, p25-p75, max of the numbers in $1
stats() {
  tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '
    { v[NR] = $1 }
    END {
      n = NR
      med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      printf "median %6.0f ms  (min %.0f, p25-p75 %.0f-%.0f, max %.0f; n=%d)", med, v[1], v[int((n + 3) / 4)], v[int((3 * n + 3) / 4)], v[n], n
    }'
}

echo "glasshouse exec ID true into a running level-12 container, $rounds rounds taking turns, $(date -u '+%F %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for m in "${modes[@]}"; do
  printf '%-7s whole  %s\n' "$m" "$(stats "${whole[$m]}")"
  printf '%-7s cli    %s\n' "$m" "$(stats "${cli[$m]}")"
  printf '%-7s helper %s\n' "$m" "$(stats "${helper[$m]}")"
done
