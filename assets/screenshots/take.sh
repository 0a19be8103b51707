#!/usr/bin/env bash
# Takes assets/screenshots/main-window.png: the lab at 1366x768 under Xvfb, connected to a real
# helper on a temporary socket, level 05 with a shell that printed its hostname.
# Needs root (the helper), Xvfb, ImageMagick and GTK 3:
#   apt-get install -y xvfb imagemagick libgtk-3-0 fonts-dejavu-core
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
cd "$repo"
out=${1:-$repo/assets/screenshots/main-window.png}
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

Xvfb "$display" -screen 0 1366x768x24 >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
GLASSHOUSE_IMAGES=$images java -cp "runtime-helper/target/runtime-helper.jar:runtime-helper/target/lib/*" \
  org.glasshouse.cli.Main helper --socket "$tmp/helper.sock" --state-dir "$tmp/state" >"$tmp/helper.log" 2>&1 &
pids+=($!)
# A fresh config dir: levels 00-04 shown as done, as after a student's first hour.
mkdir -p "$tmp/config/glasshouse" && printf '0\n1\n2\n3\n4\n' >"$tmp/config/glasshouse/progress"
DISPLAY=$display GLASSHOUSE_SOCKET=$tmp/helper.sock XDG_CONFIG_HOME=$tmp/config \
  java --module-path "$(ls app/target/lib/javafx-*.jar | paste -sd:)" --add-modules javafx.controls \
  -cp "$(ls app/target/glasshouse-app.jar app/target/lib/*.jar | grep -v /javafx- | paste -sd:)" \
  org.glasshouse.app.Launcher \
  --level=5 "--run=/bin/sh -c 'hostname; ls /; exec /bin/sh'" >"$tmp/app.log" 2>&1 &
pids+=($!)
sleep 15
DISPLAY=$display import -window root "$out"
echo "screenshot: $out"
