#!/bin/sh
# The package under a real systemd: runs in the deb guest (test-deb-guest.sh boots it; the image's
# glasshouse-guest-job.service starts this from the job share /run/job) as root, after boot. Every
# check prints "ok" or "FAIL" with what it saw; the last lines are "N passed, N failed" and
# "glasshouse-deb-guest: result N", which the host reads from the console. Then the guest powers off.
set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
job=/run/job
out=$job/out
passed=0
failed=0
say() { echo "glasshouse-deb-guest: $*"; }
ok() { passed=$((passed + 1)); say "ok    $*"; }
bad() { failed=$((failed + 1)); say "FAIL  $*"; }
# check WHAT EXPECTED ACTUAL
check() {
  if [ "$2" = "$3" ]; then ok "$1: $3"; else bad "$1: expected '$2', saw '$3'"; fi
}
# contains WHAT NEEDLE HAYSTACK
contains() {
  case "$3" in
    *"$2"*) ok "$1" ;;
    *) bad "$1: no '$2' in: $3" ;;
  esac
}
finish() {
  say "$passed passed, $failed failed"
  say "result $failed"
  journalctl -b --no-pager >"$out/journal.txt" 2>&1
  sync
  systemctl poweroff
  exit 0
}
t0=$(date +%s)
since() { echo "$(($(date +%s) - $1)) s"; }
# Each command as a user, as a login would have it (runuser sets the groups from /etc/group), with
# a limit: a hung command is a failure with the evidence below, not a guest that never ends.
as() { u=$1; shift; timeout 600 runuser -u "$u" -- env HOME="/home/$u" "$@"; }
# What the host can watch while the guest runs (the job share is live): every process each 30 s.
(while :; do ps -eo pid,ppid,stat,etime,time,wchan:24,args --sort=pid | cut -c1-220 >"$out/ps-live.txt.new" &&
  mv "$out/ps-live.txt.new" "$out/ps-live.txt"; sleep 30; done) &

state=$(systemctl is-system-running --wait)
say "booted in $(cut -d' ' -f1 /proc/uptime) s: systemd $(systemctl --version | head -n 1 | cut -d' ' -f2), state $state," \
  "kernel $(uname -r), $(nproc) cpus"
check "cgroup v2 alone at /sys/fs/cgroup" cgroup2fs "$(stat -fc %T /sys/fs/cgroup)"
check "PID 1 is systemd" systemd "$(cat /proc/1/comm)"

# --- install --------------------------------------------------------------------------------------
deb=$(ls "$job"/glasshouse_*.deb)
cp "$deb" /tmp/ && deb=/tmp/${deb##*/}
t=$(date +%s)
if apt-get install -y --no-install-recommends "$deb" >"$out/apt-install.log" 2>&1; then
  ok "apt install ./${deb##*/} ($(since "$t"))"
else
  bad "apt install ./${deb##*/}: $(tail -n 5 "$out/apt-install.log")"
  finish
fi
grep -q "root-equivalent\|equivalent to root" "$out/apt-install.log" && ok "the post-install message says the group is root-equivalent" ||
  bad "no root-equivalence warning in the post-install message"
journalctl -f -o short-monotonic -u glasshouse.socket -u glasshouse.service >"$out/helper.log" 2>&1 &
check "glasshouse.socket enabled" enabled "$(systemctl is-enabled glasshouse.socket)"
check "glasshouse.socket active" active "$(systemctl is-active glasshouse.socket)"
check "glasshouse.service not started before a client" inactive "$(systemctl is-active glasshouse.service)"
check "the socket" "socket 660 root:glasshouse" "$(stat -c '%F %a %U:%G' /run/glasshouse/helper.sock)"
check "its directory" "directory 750 root:glasshouse" "$(stat -c '%F %a %U:%G' /run/glasshouse)"
check "systemd-analyze verify of the units" "" "$(systemd-analyze verify glasshouse.socket glasshouse.service 2>&1)"
check "desktop-file-validate" "" "$(desktop-file-validate /usr/share/applications/glasshouse.desktop 2>&1)"
# bash completion: the file bash-completion loads on the first <Tab>; sourced as its loader does, it
# registers the completion, and "glasshouse ru<Tab>" offers run.
comp=/usr/share/bash-completion/completions/glasshouse
check "the bash completion file" "regular file 644 root:root" "$(stat -c '%F %a %U:%G' "$comp" 2>&1)"
contains "complete -p glasshouse in a bash" "-F _complete_glasshouse glasshouse" "$(bash -c ". $comp && complete -p glasshouse" 2>&1)"
tab=$(bash -c '. "$1" && f=$(complete -p glasshouse | sed -n "s/.*-F \([^ ]*\) .*/\1/p") &&
  COMP_WORDS=(glasshouse ru) COMP_CWORD=1 COMP_LINE="glasshouse ru" COMP_POINT=13 &&
  "$f" glasshouse ru glasshouse && echo "${COMPREPLY[*]}"' _ "$comp" 2>&1)
check "glasshouse ru<Tab> completes" run "$tab"

# --- a member of the group --------------------------------------------------------------------------
adduser student glasshouse >/dev/null
check "student's groups" "student glasshouse" "$(as student id -nG)"
t=$(date +%s)
ps_out=$(as student glasshouse ps -a 2>&1)
check "student: glasshouse ps -a (the first connection, $(since "$t"))" 0 "$?"
check "the first connection started glasshouse.service" active "$(systemctl is-active glasshouse.service)"
main=$(systemctl show -P MainPID glasshouse.service)
say "helper: pid $main, $(tr '\0' ' ' </proc/"$main"/cmdline | cut -c1-160)"
say "helper's cgroup: $(cat /proc/"$main"/cgroup)"
t=$(date +%s)
run_out=$(as student glasshouse run -i busybox --level 12 -- id 2>&1)
status=$?
check "student: glasshouse run -i busybox --level 12 -- id ($(since "$t"))" 0 "$status"
contains "the container's id says root inside" "uid=0(root)" "$run_out"

# --- someone outside the group -----------------------------------------------------------------------
refused=$(as outsider glasshouse ps 2>&1)
status=$?
[ "$status" != 0 ] && ok "outsider: glasshouse ps refused (status $status)" || bad "outsider: glasshouse ps worked"
contains "outsider: told which group to join" "glasshouse group" "$refused"
say "outsider saw: $refused"

# --- the service's cgroup and the containers' (delegation) -----------------------------------------
service_cg=/sys/fs/cgroup$(systemctl show -P ControlGroup glasshouse.service)
check "Delegate= of glasshouse.service" yes "$(systemctl show -P Delegate glasshouse.service)"
id=$(as student glasshouse run -d -i busybox --level 12 --pids-max 23 --memory 48m -- sleep 4711 2>&1)
say "a detached level-12 container: $id"
pid=
for i in $(seq 1 60); do
  pid=$(pgrep -x -f 'sleep 4711' | head -n 1) && [ -n "$pid" ] && break
  sleep 1
done
cg=$(sed -n 's/^0:://p' /proc/"$pid"/cgroup 2>/dev/null)
say "its init: pid $pid in $cg"
contains "the container's cgroup is inside the service's delegated one" "$service_cg/" "/sys/fs/cgroup$cg/"
check "pids.max in it" 23 "$(cat /sys/fs/cgroup"$cg"/pids.max 2>&1)"
check "memory.max in it" $((48 * 1024 * 1024)) "$(cat /sys/fs/cgroup"$cg"/memory.max 2>&1)"
say "the service's tree: $(find "$service_cg" -type d | sed "s:^$service_cg::" | tr '\n' ' ')"
say "helper now in: $(cat /proc/"$main"/cgroup)"
# systemd re-realizes every cgroup on daemon-reload: a delegated subtree must come through untouched.
systemctl daemon-reload
check "after daemon-reload: pids.max" 23 "$(cat /sys/fs/cgroup"$cg"/pids.max 2>&1)"
check "after daemon-reload: the container's controllers" "cpu memory pids" "$(cat /sys/fs/cgroup"$cg"/cgroup.controllers 2>&1)"
check "after daemon-reload: the container runs" "$pid" "$(pgrep -x -f 'sleep 4711' | head -n 1)"
check "systemctl status lists the container under the service" 1 \
  "$(systemctl status --no-pager -l glasshouse.service | grep -c 'sleep 4711')"

# --- the desktop menu: the entry launched as a menu does, under Xvfb, as the student -----------------
rm -f /tmp/.X7-lock
as student Xvfb :7 -screen 0 1366x768x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb=$!
sleep 3
t=$(date +%s)
as student env DISPLAY=:7 gtk-launch glasshouse >"$out/app.log" 2>&1
check "gtk-launch glasshouse" 0 "$?"
# The app's main stage, by its title: a JavaFX app maps a small unnamed 200x200 window of its class
# first, which is not the lab (a screenshot taken then is black).
window=
for i in $(seq 1 180); do
  window=$(as student env DISPLAY=:7 xwininfo -root -tree 2>/dev/null | grep -m 1 'build a container' || true)
  [ -n "$window" ] && break
  sleep 5
done
[ -n "$window" ] && ok "the main window is up after $(since "$t"): $window" || bad "no Glasshouse main window after $(since "$t")"
size=$(echo "$window" | sed -n 's/.*)  *\([0-9]*\)x\([0-9]*\)+.*/\1 \2/p')
set -- $size
[ "${1:-0}" -ge 1000 ] && [ "${2:-0}" -ge 600 ] && ok "the main window's size: ${1}x${2}" ||
  bad "the main window's size: '${size}' (a lab needs at least 1000x600)"
# The status bar says whether the app connected; an emulated CPU draws the first frame late: one
# screenshot a minute, the host checks the last one is not blank (test-deb-guest.sh).
for i in 1 2 3; do
  sleep 60
  as student env DISPLAY=:7 xwd -root -silent >"$out/app.xwd" || break
done
[ -s "$out/app.xwd" ] && ok "screenshot: out/app.xwd (after $(since "$t"))" || bad "xwd"
helpers=$(pgrep -c -f 'org.glasshouse.cli.Main helper')
check "helpers running (the service's only: the app started none)" 1 "$helpers"
check "the one helper is the service's" "$main" "$(pgrep -f 'org.glasshouse.cli.Main helper')"
check "no pkexec or sudo" "" "$(pgrep -a 'pkexec|sudo' || true)"
say "app log: $(tail -n 20 "$out/app.log" | tr '\n' '|')"
app=$(pgrep -u student -f 'org.glasshouse.app.Launcher' | head -n 1)
[ -n "$app" ] && kill "$app"
kill "$xvfb" 2>/dev/null
sleep 2

# --- purge, with a container still running -------------------------------------------------------------
t=$(date +%s)
if apt-get purge -y glasshouse >"$out/apt-purge.log" 2>&1; then
  ok "apt purge glasshouse ($(since "$t"))"
else
  bad "apt purge glasshouse: $(tail -n 5 "$out/apt-purge.log")"
fi
check "dpkg knows no glasshouse" "" "$(dpkg-query -W -f '${Status}' glasshouse 2>/dev/null)"
check "files left" "" "$(ls -d /usr/lib/glasshouse /var/lib/glasshouse /run/glasshouse /usr/share/glasshouse \
  /lib/systemd/system/glasshouse.* /etc/systemd/system/*/glasshouse.* /usr/bin/glasshouse \
  /usr/share/bash-completion/completions/glasshouse 2>/dev/null)"
check "group left" "" "$(getent group glasshouse)"
check "units left" "" "$(systemctl list-units --all --no-legend 'glasshouse*' | grep -v guest-job)"
check "unit files left" "" "$(systemctl list-unit-files --no-legend 'glasshouse*' | grep -v guest-job)"
check "cgroups left" "" "$(find /sys/fs/cgroup -iname '*glasshouse*' | grep -v guest-job)"
check "processes left" "" "$(pgrep -a -f 'glasshouse|sleep 4711' | grep -v 'check.sh\|guest-job\|journalctl')"
check "mounts left" "" "$(grep glasshouse /proc/self/mountinfo)"
say "the whole check took $(since "$t0")"
finish
