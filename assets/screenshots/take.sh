#!/usr/bin/env bash
# Takes assets/screenshots/main-window.png: the lab at 1366x768 under Xvfb, connected to a real
# helper on a temporary socket, level 05 with a shell that printed its hostname; then
# assets/screenshots/mounts-level-01.png: the Mounts tab at 1920x1080, level 01 with a long-lived
# container, whose /proc, /sys and /dev leaked into the host's mount table; then
# assets/screenshots/filesystem-level-04.png: the Filesystem tab at level 04 after the guide's
# experiments (a new file, a whiteout, the 16 MiB copy-up); then
# assets/screenshots/level-08-contention.png: the Charts tab at 1920x1080, level 08's Try it (two
# busy containers, shares 512 and 1024, one CPU) after the 10 s ratio readout has settled; then
# assets/screenshots/glass-house.png: two level-12 containers in the glass house's own window.
# Needs root (the helper), Xvfb, ImageMagick, xdotool and GTK 3:
#   apt-get install -y xvfb imagemagick xdotool libgtk-3-0 fonts-dejavu-core
set -Eeuo pipefail
# A step that fails ends the script (set -e): say which one, or the run just stops after a shot.
trap 'echo "take.sh: line $LINENO failed (exit $?): $BASH_COMMAND" >&2' ERR
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
cd "$repo"
out=${1:-$repo/assets/screenshots/main-window.png}
mounts_out=${2:-$repo/assets/screenshots/mounts-level-01.png}
fs_out=${3:-$repo/assets/screenshots/filesystem-level-04.png}
charts_out=${4:-$repo/assets/screenshots/level-08-contention.png}
glass_out=${5:-$repo/assets/screenshots/glass-house.png}
# One X display for every shot (GLASSHOUSE_SHOT_DISPLAY, default :99), its server started again at
# each shot's screen size: on a shared machine each session has a display number of its own.
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

xvfb=
# screen WxH: the display's X server at that size (the one before it stopped first).
screen() {
  if [ -n "$xvfb" ]; then
    kill "$xvfb" 2>/dev/null || true
    wait "$xvfb" 2>/dev/null || true
  fi
  Xvfb "$display" -screen 0 "$1x24" >>"$tmp/xvfb.log" 2>&1 &
  xvfb=$!
  pids+=("$xvfb")
  sleep 2
}
screen 1366x768
GLASSHOUSE_IMAGES=$images java -cp "runtime-helper/target/runtime-helper.jar:runtime-helper/target/lib/*" \
  org.glasshouse.cli.Main helper --socket "$tmp/helper.sock" --state-dir "$tmp/state" \
  --cgroup-parent "${GLASSHOUSE_SHOT_CGROUP_PARENT:-glasshouse-shot}" >"$tmp/helper.log" 2>&1 &
pids+=($!)
# A killed app leaves its containers running (as a closed one does): each shot starts clean.
clear_containers() {
  local ids
  # ps -aq: the ids alone, as the CLI gives them to scripts (the table has exec rows, "└ id").
  ids=$(GLASSHOUSE_SOCKET=$tmp/helper.sock "${cli_java[@]}" ps -aq)
  [ -z "$ids" ] || GLASSHOUSE_SOCKET=$tmp/helper.sock "${cli_java[@]}" rm -f $ids >/dev/null
}
# Until N containers run (a loaded machine starts one in 2 to 20 s).
running() {
  for _ in $(seq 90); do
    [ "$(GLASSHOUSE_SOCKET=$tmp/helper.sock "${cli_java[@]}" ps -q | wc -l)" -ge "$1" ] && return
    sleep 1
  done
  echo "take.sh: $1 containers never ran" >&2
  return 1
}
cli_java=(java -cp "runtime-helper/target/runtime-helper.jar:runtime-helper/target/lib/*" org.glasshouse.cli.Main)
# The app as the launcher runs it: JavaFX on the module path, the rest on the class path.
app_java=(java --module-path "$(ls app/target/lib/javafx-*.jar | paste -sd:)" --add-modules javafx.controls
  -cp "$(ls app/target/glasshouse-app.jar app/target/lib/*.jar | grep -v /javafx- | paste -sd:)"
  org.glasshouse.app.Launcher)
# A fresh config dir: levels 00-04 shown as done, as after a student's first hour.
mkdir -p "$tmp/config/glasshouse" && printf '0\n1\n2\n3\n4\n' >"$tmp/config/glasshouse/progress"
DISPLAY=$display GLASSHOUSE_SOCKET=$tmp/helper.sock XDG_CONFIG_HOME=$tmp/config \
  "${app_java[@]}" \
  --level=5 "--run=/bin/sh -c 'hostname; ls /; exec /bin/sh'" >"$tmp/app.log" 2>&1 &
app=$!
pids+=("$app")
# Its shell has printed (a fixed 15 s once shot a blank window on a loaded machine).
running 1
sleep 8
DISPLAY=$display import -window root "$out"
echo "screenshot: $out"
kill "$app"
clear_containers

# The level-01 lesson: the window widened to 1920x1080 (no window manager: xdotool), the Mounts
# tab in front, the container's mounts marked leaked in both trees.
screen 1920x1080
DISPLAY=$display GLASSHOUSE_SOCKET=$tmp/helper.sock XDG_CONFIG_HOME=$tmp/config \
  "${app_java[@]}" \
  --level=1 --view=mounts "--run=/bin/sh -c 'exec sleep 600'" >"$tmp/app2.log" 2>&1 &
app2=$!
pids+=("$app2")
window=$(DISPLAY=$display timeout 60 xdotool search --sync --name Glasshouse | head -1)
# Until the container's /proc is in the host's mount table (a first start extracts the image).
for _ in $(seq 90); do
  grep -q " $tmp/state/containers/[0-9a-f]*/rootfs/proc " /proc/self/mountinfo && break
  sleep 1
done
sleep 6
DISPLAY=$display xdotool windowmove "$window" 0 0 windowsize "$window" 1920 1080
sleep 8
# Select the container's /proc (the first row of the left tree): its pair in the host's tree comes
# into view, and the lines under the trees show its mountinfo line and the step that made it.
DISPLAY=$display xdotool windowfocus "$window" mousemove 700 766 click 1 sleep 1 click 1
sleep 3
DISPLAY=$display import -window root "$mounts_out"
echo "screenshot: $mounts_out"
kill "$app2"
clear_containers

# Level 04: the overlay's layers and its upper dir after a write, a delete and a copy-up.
DISPLAY=$display GLASSHOUSE_SOCKET=$tmp/helper.sock XDG_CONFIG_HOME=$tmp/config \
  "${app_java[@]}" \
  --level=4 --view=filesystem \
  "--run=/bin/sh -c 'sleep 3; echo x > /new; rm /bin/ls; echo more >> /usr/share/big-file; exec sleep 600'" \
  >"$tmp/app3.log" 2>&1 &
app3=$!
pids+=("$app3")
sleep 3
window=$(DISPLAY=$display timeout 60 xdotool search --sync --name Glasshouse | head -1)
for _ in $(seq 90); do
  ls "$tmp"/state/containers/*/upper/usr/share/big-file >/dev/null 2>&1 && break
  sleep 1
done
sleep 6
DISPLAY=$display xdotool windowmove "$window" 0 0 windowsize "$window" 1920 1080
sleep 8
DISPLAY=$display import -window root "$fs_out"
echo "screenshot: $fs_out"
kill "$app3"
clear_containers

# Level 08: Try it starts the pair once the helper answers; the Charts tab comes to the front.
DISPLAY=$display GLASSHOUSE_SOCKET=$tmp/helper.sock XDG_CONFIG_HOME=$tmp/config \
  "${app_java[@]}" \
  --level=8 --try=contention >"$tmp/app4.log" 2>&1 &
app4=$!
pids+=("$app4")
sleep 3
window=$(DISPLAY=$display timeout 60 xdotool search --sync --name Glasshouse | head -1)
DISPLAY=$display xdotool windowmove "$window" 0 0 windowsize "$window" 1920 1080
sleep 45
DISPLAY=$display import -window root "$charts_out"
echo "screenshot: $charts_out"
kill "$app4"
clear_containers

# The glass house: level 12, two busy containers (the second by F9, Run) in the glass house's own
# window (--glass-house-window opens it as its toolbar's button does: no pixel to click).
screen 1920x1080
printf 'window.x=0\nwindow.y=0\nwindow.width=1366\nwindow.height=768\n' \
  >"$tmp/config/glasshouse/preferences.properties"
DISPLAY=$display GLASSHOUSE_SOCKET=$tmp/helper.sock XDG_CONFIG_HOME=$tmp/config \
  "${app_java[@]}" --glass-house-window \
  --level=12 "--run=/bin/sh -c 'while :; do sleep 0.3 & wait; done'" >"$tmp/app5.log" 2>&1 &
pids+=($!)
running 1
main=$(DISPLAY=$display timeout 60 xdotool search --sync --name 'build a container' | head -1)
DISPLAY=$display xdotool windowfocus --sync "$main"
sleep 1
DISPLAY=$display xdotool key F9
running 2
win=$(DISPLAY=$display timeout 60 xdotool search --sync --name 'the glass house' | head -1)
DISPLAY=$display xdotool windowsize "$win" 1600 900 windowmove "$win" 0 0
# Both houses inspected and drawn, the second one's gauges read.
sleep 20
DISPLAY=$display import -window "$win" "$glass_out"
echo "screenshot: $glass_out"
