#!/usr/bin/env bash
# Takes the README's screenshots under Xvfb, connected to a real helper on a temporary socket:
#   take.sh [main-window]          assets/screenshots/main-window.png: 1366x768, level 05, a shell
#                                  that printed its hostname
#   take.sh level-08-contention    assets/screenshots/level-08-contention.png: 1920x1080, level 08's
#                                  Try it (two busy containers, shares 512 and 1024, one CPU) after
#                                  the Charts tab's 10 s readout has settled
#   take.sh FILE.png               the main window, into FILE.png (as before)
# Needs root (the helper), Xvfb, ImageMagick, xdotool and GTK 3:
#   apt-get install -y xvfb imagemagick xdotool libgtk-3-0 fonts-dejavu-core
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
cd "$repo"
shot=${1:-main-window}
case "$shot" in
  *.png) out=$shot; shot=main-window ;;
  main-window | level-08-contention) out=$repo/assets/screenshots/$shot.png ;;
  *) echo "take.sh: main-window, level-08-contention or FILE.png" >&2; exit 2 ;;
esac
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

if [ "$shot" = main-window ]; then
  size=1366x768
  args=(--level=5 "--run=/bin/sh -c 'hostname; ls /; exec /bin/sh'")
  settle=15
else
  size=1920x1080
  args=(--level=8 --try=contention)
  settle=45
fi
Xvfb "$display" -screen 0 "${size}x24" >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
GLASSHOUSE_IMAGES=$images java -cp "runtime-helper/target/runtime-helper.jar:runtime-helper/target/lib/*" \
  org.glasshouse.cli.Main helper --socket "$tmp/helper.sock" --state-dir "$tmp/state" >"$tmp/helper.log" 2>&1 &
pids+=($!)
# A fresh config dir: levels 00-04 shown as done, as after a student's first hour.
mkdir -p "$tmp/config/glasshouse" && printf '0\n1\n2\n3\n4\n' >"$tmp/config/glasshouse/progress"
DISPLAY=$display GLASSHOUSE_SOCKET=$tmp/helper.sock XDG_CONFIG_HOME=$tmp/config \
  java -cp "app/target/glasshouse-app.jar:app/target/lib/*" org.glasshouse.app.Launcher \
  "${args[@]}" >"$tmp/app.log" 2>&1 &
pids+=($!)
if [ "$size" != 1366x768 ]; then
  # No window manager under Xvfb: the window keeps its 1366x768 until told otherwise.
  for _ in $(seq 1 60); do
    win=$(DISPLAY=$display xdotool search --name 'Glasshouse —' 2>/dev/null | head -1 || true)
    [ -n "$win" ] && break
    sleep 1
  done
  DISPLAY=$display xdotool windowmove "$win" 0 0 windowsize "$win" "${size%x*}" "${size#*x}"
fi
sleep "$settle"
DISPLAY=$display import -window root "$out"
echo "screenshot: $out"
