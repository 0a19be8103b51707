#!/bin/sh
# Stage 2 of the cgroup v2 guest, PID 1 after switch_root into the host's / (read-only over 9p):
# make the few writable places, mount cgroup2 alone at /sys/fs/cgroup as systemd does on a desktop,
# run the cgroup tests with the JUnit console launcher, check that /sys/fs/cgroup holds nothing
# they made, print "glasshouse-v2: result N" (test-v2.sh reads it from the console) and power off.
#
# The tests run from a session scope (user.slice/user-0.slice/session-1.scope, controllers enabled
# down to it as systemd does), as they would from a terminal on a desktop; the CLI scenarios put
# their helper in the root cgroup and in a delegated service cgroup themselves. The locale is left
# unset (POSIX, ASCII): the CLI must then print ASCII, and the scenarios check that it does.
set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
say() { echo "glasshouse-v2: $*"; }
finish() {
  say "result $1${2:+ ($2)}"
  sync
  echo o >/proc/sysrq-trigger
  # The power-off takes the 9p share (and every program on it) away: wait with builtins only.
  while :; do :; done
}
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^glasshouse\.$1=//p"; }

repo=$(arg repo)
mount -t tmpfs -o mode=1777 tmpfs /tmp || finish 96 "tmpfs on /tmp"
mount -t tmpfs -o mode=755 tmpfs /run || finish 96 "tmpfs on /run"
mkdir -p /dev/pts /dev/shm /run/out
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts || finish 96 "devpts"
mount -t tmpfs -o mode=1777 tmpfs /dev/shm || finish 96 "tmpfs on /dev/shm"
mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup || finish 96 "cgroup2"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out /run/out || finish 96 "the out share"
ip link set lo up
hostname glasshouse-v2

export HOME=/tmp CI="$(arg ci)" GLASSHOUSE_IMAGES="$(arg images)"
unset LANG LC_ALL LC_CTYPE

cg=/sys/fs/cgroup
say "booted: kernel $(uname -r), $(nproc) cpus, $(($(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024)) MiB;" \
  "cgroup2 alone at $cg with $(cat $cg/cgroup.controllers)"
find $cg -mindepth 1 -type d >/run/before
[ -s /run/before ] && say "cgroups before the tests: $(tr '\n' ' ' </run/before)"

# The desktop's shape: controllers enabled down to the user's session scope.
echo "+cpu +memory +pids" >$cg/cgroup.subtree_control || finish 95 "enabling cpu memory pids at the root"
session=$cg/user.slice/user-0.slice/session-1.scope
mkdir -p $session
echo "+memory +pids" >$cg/user.slice/cgroup.subtree_control
echo "+memory +pids" >$cg/user.slice/user-0.slice/cgroup.subtree_control

cd "$repo/runtime-helper" || finish 96 "no $repo/runtime-helper"
selection="--scan-class-path target/test-classes --include-engine junit-jupiter --include-tag cgroup|v2-guest"
[ -s /run/out/tests ] && selection=$(cat /run/out/tests)
say "running: $selection"
started=$(date +%s)
# The session scope is entered by the shell that execs the JVM, so every process the tests start is
# born there.
# C1 only: under emulation the JIT's own work is what costs (the JUnit launcher alone started in 35 s
# with C1 against 43 s tiered, measured in the guest).
# shellcheck disable=SC2086
sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$session" \
  java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dbasedir="$repo/runtime-helper" -Dglasshouse.home="$repo" \
  -cp "target/test-classes:target/classes:target/test-lib/*" \
  org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors \
  --details=testfeed --details-theme=ascii --reports-dir /run/out/reports $selection
status=$?
say "tests: status $status after $(($(date +%s) - started)) s"
# A JVM that crashed (HotSpot's hs_err file; an emulation fault has been seen) is named here, its
# file kept with the reports.
for f in $(find /tmp -maxdepth 5 -name 'hs_err_pid*.log' 2>/dev/null); do
  cp "$f" /run/out/ 2>/dev/null
  say "a JVM crashed: $f ($(sed -n '/^# Problematic frame:/{n;p;q}' "$f"))"
done

rmdir $session $cg/user.slice/user-0.slice $cg/user.slice || { status=1; say "the session scope would not go"; }
find $cg -mindepth 1 -type d >/run/after
if ! cmp -s /run/before /run/after; then
  say "FAILED: the tests left cgroups behind:"
  diff /run/before /run/after
  status=1
fi
finish $status
