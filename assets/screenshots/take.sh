#!/usr/bin/env bash
# Takes assets/screenshots/main-window.png: the lab at 1366x768 under Xvfb, connected to a real
# helper on a temporary socket, level 05 with a shell that printed its hostname.
# With --glass-house: assets/screenshots/glass-house.png, two level-12 containers in the glass
# house's own window (also needs xdotool).
# Needs root (the helper), Xvfb, ImageMagick and GTK 3:
#   apt-get install -y xvfb imagemagick libgtk-3-0 fonts-dejavu-core
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
cd "$repo"
glass=false
if [ "${1:-}" = --glass-house ]; then
  glass=true
  shift
fi
if $glass; then
  out=${1:-$repo/assets/screenshots/glass-house.png}
else
  out=${1:-$repo/assets/screenshots/main-window.png}
fi
display=${GLASSHOUSE_SHOT_DISPLAY:-:99}

./mvnw -B -q -DskipTests -pl runtime-helper,app -am package
images=${GLASSHOUSE_IMAGES:-$repo/build/images}
[ -f "$images/busybox.tar" ] || ./glasshouse images build busybox

tmp=$(mktemp -d /tmp/glasshouse-shot-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

screen=1366x768x24
$glass && screen=1920x1080x24
Xvfb "$display" -screen 0 "$screen" >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
GLASSHOUSE_IMAGES=$images java -cp "runtime-helper/target/runtime-helper.jar:runtime-helper/target/lib/*" \
  org.glasshouse.cli.Main helper --socket "$tmp/helper.sock" --state-dir "$tmp/state" >"$tmp/helper.log" 2>&1 &
pids+=($!)
# A fresh config dir: levels 00-04 shown as done, as after a student's first hour.
mkdir -p "$tmp/config/glasshouse" && printf '0\n1\n2\n3\n4\n' >"$tmp/config/glasshouse/progress"
if $glass; then
  # Level 12, two busy containers (the second by F9, Run), then the glass house's own window.
  # Needs xdotool. The button's place is the main window's at 1366x768 (no window manager).
  DISPLAY=$display GLASSHOUSE_SOCKET=$tmp/helper.sock XDG_CONFIG_HOME=$tmp/config \
    java -cp "app/target/glasshouse-app.jar:app/target/lib/*" org.glasshouse.app.Launcher \
    --level=12 "--run=/bin/sh -c 'while :; do sleep 0.3 & wait; done'" >"$tmp/app.log" 2>&1 &
  pids+=($!)
  sleep 30
  main=$(DISPLAY=$display xdotool search --name 'build a container' | head -1)
  DISPLAY=$display xdotool key --window "$main" F9
  sleep 15
  DISPLAY=$display xdotool mousemove --window "$main" 1342 562 click 1
  sleep 10
  win=$(DISPLAY=$display xdotool search --name 'the glass house' | head -1)
  DISPLAY=$display xdotool windowsize "$win" 1600 900 windowmove "$win" 0 0
  sleep 8
  DISPLAY=$display import -window "$win" "$out"
else
  DISPLAY=$display GLASSHOUSE_SOCKET=$tmp/helper.sock XDG_CONFIG_HOME=$tmp/config \
    java -cp "app/target/glasshouse-app.jar:app/target/lib/*" org.glasshouse.app.Launcher \
    --level=5 "--run=/bin/sh -c 'hostname; ls /; exec /bin/sh'" >"$tmp/app.log" 2>&1 &
  pids+=($!)
  sleep 15
  DISPLAY=$display import -window root "$out"
fi
echo "screenshot: $out"
