#!/bin/bash
# Launch -> window on screen, two builds of the app taking turns (issue 14).
# Usage: first-window.sh RUNS DIR_A DIR_B   (each DIR holds glasshouse-app.jar and lib/)
# Needs: DISPLAY (an Xvfb of your own), GLASSHOUSE_SOCKET (a helper of your own), xdotool.
# Each launch: the app as the launcher starts it (JavaFX on the module path), the clock from just
# before exec to xdotool seeing the window mapped (the window maps once its scene is built, styled
# and laid out: GlasshouseApp.open), then the app is ended by its pid. Prints each launch with the
# 1-minute load average, then median and spread (min, max) per build.
set -euo pipefail
runs=$1 a=$2 b=$3
repo=$(cd "$(dirname "$0")/../../../.." && pwd)
launch() {
  local dir=$1 fx=() cp=("$1/glasshouse-app.jar")
  for jar in "$dir"/lib/*.jar; do
    case ${jar##*/} in javafx-*) fx+=("$jar") ;; *) cp+=("$jar") ;; esac
  done
  local t0 t1 pid
  t0=$(date +%s%N)
  java -Dglasshouse.home="$repo" --module-path "$(IFS=:; echo "${fx[*]}")" \
    --add-modules javafx.controls -cp "$(IFS=:; echo "${cp[*]}")" org.glasshouse.app.Launcher \
    >/dev/null 2>&1 &
  pid=$!
  xdotool search --sync --onlyvisible --pid "$pid" --name '^Glasshouse' >/dev/null
  t1=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}
declare -A all
for i in $(seq 1 "$runs"); do
  for side in A B; do
    dir=$a; [ $side = B ] && dir=$b
    ms=$(launch "$dir")
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "run $i $side ${ms} ms (load $load)"
    all[$side]+="$ms "
    sleep 2
  done
done
for side in A B; do
  printf '%s: ' "$side"
  echo ${all[$side]} | tr ' ' '\n' | sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "median %d ms, min %d, max %d, n %d\n", m, v[1], v[NR], NR}'
done
