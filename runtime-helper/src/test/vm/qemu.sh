# Sourced, not run: what the two test guests do alike on the host, written once. test-v2.sh (the
# cgroup v2 guest, beside this file) and app/packaging/src/test/vm/test-deb-guest.sh (the package
# under systemd) each keep what is their own: the kernel and root filesystem they boot, what they
# share with the guest, how the guest reports its result. Here: their messages and the
# skip-or-fail rule, QEMU's command line, its start and stop, the timeout, and the guest's cost.
#
# The sourcing script sets vm_name (its messages' prefix) and vm_what (what cannot run) before
# sourcing, and cpus, memory_mib, run (a directory for QEMU's log and times) and console (the
# guest's serial console file) before vm_qemu; it reads qemu_pid, qemu_status, waited_s, guest_time
# and guest_cpu back (hence SC2034 and SC2154 off: the variables cross the source line).
# shellcheck shell=bash disable=SC2034,SC2154

say() { echo "$vm_name: $*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}
# The guest cannot run here: a failure under CI, a skip with the reason elsewhere.
cannot() {
  if [ "${CI:-}" = true ]; then
    fail "$vm_what cannot run here: $* (CI=true: a missing prerequisite fails the run)"
  fi
  say "skipped: $vm_what cannot run here: $*"
  exit 0
}

started=$(date +%s)
elapsed() { echo "$(($(date +%s) - started)) s"; }

# vm_qemu TCG KERNEL INITRD APPEND [OPTION…]: sets qemu=(…), a headless guest with no network and
# its serial console in $console, on KVM where /dev/kvm works, else TCG with TCG threading
# (single or multi); the options (disks, shares) come last.
# -cpu qemu64, not max: with max one run's CLI JVM died of SIGSEGV in C1-compiled code (an
# emulation fault).
vm_qemu() {
  local tcg=$1 kernel=$2 initrd=$3 append=$4
  shift 4
  local accel=(-accel "tcg,thread=$tcg")
  if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qE '\b(vmx|svm)\b' /proc/cpuinfo; then
    accel=(-accel kvm "${accel[@]}")
  fi
  qemu=(qemu-system-x86_64 "${accel[@]}" -cpu qemu64 -smp "$cpus" -m "$memory_mib"
    -kernel "$kernel" -initrd "$initrd" -append "$append"
    -display none -monitor none -serial "file:$console" -no-reboot -nic none "$@")
}

# vm_boot: starts "${qemu[@]}" in the background (its output in $run/qemu.log) on an empty
# console; sets qemu_pid and qemu_started. From here on, every way out of the script stops it.
vm_boot() {
  say "booting: ${qemu[*]}"
  : >"$console"
  qemu_started=$(date +%s)
  # The CPU time of this script's finished children (bash's times, run in this shell, not in a
  # subshell), before and after QEMU: the guest's cost, whatever the load on the host.
  times >"$run/times.before"
  "${qemu[@]}" </dev/null >"$run/qemu.log" 2>&1 &
  qemu_pid=$!
  trap vm_stop EXIT
  trap 'vm_stop; fail "interrupted"' INT TERM
}

# Only this QEMU is ever stopped, by its pid.
vm_stop() { kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null || true; }

# vm_wait MINUTES runnable|wall: waits for QEMU to end. After MINUTES it stops QEMU and calls the
# script's own vm_timed_out with QEMU's share of a core (it says what the guest was doing and
# fails). "runnable" counts only the time the guest could run: the wall time less the time QEMU's
# busiest thread (a vCPU) waited for a host CPU (/proc/PID/task/TID/schedstat: run and run-queue
# wait in ns), kept in waited_s; on a host loaded by other work the guest gets fewer minutes per
# minute, not a false timeout, while a guest that hangs idle or spins still reaches it (where
# schedstat is missing the wall time counts). "wall" counts the wall time.
# Then sets qemu_status, guest_time (s of wall time) and guest_cpu (s of QEMU's CPU).
vm_wait() {
  local minutes=$1 count=$2 share
  waited_s=0
  while kill -0 "$qemu_pid" 2>/dev/null; do
    if [ "$count" = runnable ]; then
      waited_s=$(vm_waited)
    fi
    if [ $(($(date +%s) - qemu_started - waited_s)) -ge $((minutes * 60)) ]; then
      # How much CPU QEMU got says whether the guest hung or the host starved it.
      share=$(vm_share)
      vm_stop
      vm_timed_out "$share"
    fi
    sleep 2
  done
  wait "$qemu_pid" && qemu_status=0 || qemu_status=$?
  trap - EXIT
  sleep 0.5
  guest_time=$(($(date +%s) - qemu_started))
  times >"$run/times.after"
  guest_cpu=$(awk -v a="$(vm_children_cpu "$run/times.before")" \
    -v b="$(vm_children_cpu "$run/times.after")" 'BEGIN { printf "%.0f", b - a }')
}

vm_waited() {
  cat /proc/"$qemu_pid"/task/*/schedstat 2>/dev/null |
    awk '$1 > run { run = $1; wait = $2 } END { printf "%d", wait / 1e9 }'
}

vm_share() {
  awk -v tck="$(getconf CLK_TCK)" -v wall="$(($(date +%s) - qemu_started))" \
    '{ sub(/^.*\) /, ""); cpu = ($12 + $13) / tck; printf "%.0f s of CPU in %d s (%.0f%% of one core)", cpu, wall, 100 * cpu / wall }' \
    "/proc/$qemu_pid/stat" 2>/dev/null || echo "its CPU time unknown"
}

vm_children_cpu() { tail -n 1 "$1" | awk '{ gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4 }'; }
