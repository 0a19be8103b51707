#!/usr/bin/env bash
# The package under a real systemd (./glasshouse test-deb-guest): builds the .deb, boots a minimal
# Debian with systemd as PID 1 and pure cgroup v2 in QEMU, and runs check.sh inside it: apt install
# of the .deb, the socket unit and socket activation, the group's members and outsiders, a level-12
# container through the installed CLI with its cgroup under the service's delegated one, the desktop
# entry launched as a menu launches it under Xvfb (a screenshot, build/deb-guest/run/out/app.png),
# and apt purge leaving no file, group, unit or cgroup. Our own machines have no systemd as PID 1.
#
# The guest's system: mmdebstrap from this machine's apt sources (no mirror is named here) with
# systemd, Debian's kernel, Xvfb and the package's Depends already installed (the guest has no
# network; apt install of the .deb then resolves against what is there, as on a desktop that has
# GTK), cached as an ext4 image in build/deb-guest keyed by everything it is made from. Each run
# boots it with -snapshot: every run starts from the same fresh system, the image never changes.
# The guest reads check.sh and the .deb from the job share (build/deb-guest/run) and writes its
# reports into run/out.
#
# Where the guest cannot run (no QEMU, no mmdebstrap, no Debian apt), this says why; under CI=true
# that fails the run, elsewhere it is a skip with exit status 0.
# Environment: GLASSHOUSE_DEB_GUEST_TIMEOUT (minutes, default 60), GLASSHOUSE_DEB_GUEST_MEMORY (MiB,
# default 3072), GLASSHOUSE_DEB_GUEST_CPUS (default 2); GLASSHOUSE_DEB_GUEST_DEB (a built .deb to
# test instead of building one).
set -euo pipefail
umask 022

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
repo=$(cd "$here/../../../../.." && pwd)
# say, fail, cannot, elapsed and QEMU's command line, start, wait and stop: shared with the cgroup
# v2 guest (runtime-helper/src/test/vm/test-v2.sh).
vm_name=test-deb-guest vm_what="the package guest"
# shellcheck source-path=SCRIPTDIR source=../../../../../runtime-helper/src/test/vm/qemu.sh
. "$repo/runtime-helper/src/test/vm/qemu.sh"
cache=$repo/build/deb-guest
timeout_min=${GLASSHOUSE_DEB_GUEST_TIMEOUT:-60}
memory_mib=${GLASSHOUSE_DEB_GUEST_MEMORY:-3072}
cpus=${GLASSHOUSE_DEB_GUEST_CPUS:-2}

[ "$(id -u)" = 0 ] || cannot "building the guest's system (mmdebstrap) needs root"
for tool in qemu-system-x86_64 mmdebstrap mke2fs dpkg-deb convert; do
  command -v "$tool" >/dev/null || cannot "$tool is missing (apt-get install -y --no-install-recommends qemu-system-x86 mmdebstrap e2fsprogs imagemagick)"
done
. /etc/os-release
suite=${VERSION_CODENAME:-}
[ -n "$suite" ] || cannot "no VERSION_CODENAME in /etc/os-release: not a Debian release"

# --- the package -------------------------------------------------------------------------------------
mkdir -p "$cache"
if [ -n "${GLASSHOUSE_DEB_GUEST_DEB:-}" ]; then
  deb=$GLASSHOUSE_DEB_GUEST_DEB
else
  say "building the package (./glasshouse package --compress gzip)"
  deb=$("$repo/glasshouse" package --compress gzip --out "$cache/package" | tail -n 1) ||
    fail "the package build failed (see above)"
fi
[ -f "$deb" ] || fail "no package at $deb"
depends=$(dpkg-deb -f "$deb" Depends | tr -d ' ' | tr ',' '\n' | sed 's/[(|].*//' | sort -u | paste -sd,)
say "package: $deb ($(du -h "$deb" | cut -f1)) ($(elapsed))"

# --- the guest's system --------------------------------------------------------------------------------
# A desktop's essentials: systemd as init with udev and D-Bus, Debian's kernel (its initramfs made by
# initramfs-tools in the chroot), Xvfb as the display, gtk-launch as the menu, desktop-file-validate,
# xwd for the screenshot, xwininfo to find the window; then what the package depends on.
include=systemd-sysv,udev,dbus,linux-image-amd64,kmod,procps,adduser,passwd,xvfb,xauth
include+=,libgtk-3-bin,desktop-file-utils,x11-apps,x11-utils,$depends
# Only the host's sources that carry its own release, each file pasted into the guest's sources.
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && grep -qE "^[^#]*(Suites:|deb ).*\b$suite\b" "$f" && sources+=("$f")
done
[ ${#sources[@]} -gt 0 ] || cannot "none of this machine's apt sources carries $suite"
key=$( (echo "$suite $include"; cat "${sources[@]}" "$here/job.service"; sed -n '/^# --- the guest.s system/,/^# --- end/p' "$here/test-deb-guest.sh") |
  sha256sum | cut -c1-12)
image=$cache/rootfs-$key.img
if [ ! -f "$image" ]; then
  say "making the guest's Debian $suite with mmdebstrap from ${sources[*]} (once; cached as $image)"
  dir=$cache/rootfs.partial
  rm -rf "$dir" "$cache"/rootfs-*.img "$cache"/vmlinuz "$cache"/initrd.img
  # --customize-hook: the two users of the scenario (a desktop has its user before the package),
  # the check unit, no gettys on the console, root on the virtio disk.
  mmdebstrap --variant=minbase --include="$include" \
    --customize-hook='echo glasshouse-guest >"$1/etc/hostname"' \
    --customize-hook='echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" >"$1/etc/fstab"' \
    --customize-hook='chroot "$1" useradd --create-home --shell /bin/sh student' \
    --customize-hook='chroot "$1" useradd --create-home --shell /bin/sh outsider' \
    --customize-hook="cp '$here/job.service' \"\$1/etc/systemd/system/glasshouse-guest-job.service\"" \
    --customize-hook='chroot "$1" systemctl enable glasshouse-guest-job.service' \
    --customize-hook='chroot "$1" systemctl mask serial-getty@ttyS0.service getty@tty1.service' \
    "$suite" "$dir" "${sources[@]}" >&2 || fail "mmdebstrap failed (see above)"
  cp "$dir"/boot/vmlinuz-* "$cache/vmlinuz" && cp "$dir"/boot/initrd.img-* "$cache/initrd.img" ||
    fail "no kernel or initrd in the guest's /boot"
  size_mib=$(($(du -sm "$dir" | cut -f1) + 1024))
  mke2fs -q -t ext4 -L glasshouse-guest -d "$dir" "$image.partial" "${size_mib}M" || fail "mke2fs failed"
  mv "$image.partial" "$image"
  rm -rf "$dir"
fi
# --- end of the guest's system
say "guest system: $image ($(du -sh --apparent-size "$image" | cut -f1)) ($(elapsed))"

# --- the run --------------------------------------------------------------------------------------------
run=$cache/run
rm -rf "$run" && mkdir -p "$run/out"
cp "$deb" "$here/check.sh" "$run/" && chmod 0755 "$run/check.sh"
console=$run/console.log
# Pure cgroup v2 as on a desktop (Debian 12's systemd mounts it so by default; said here so that a
# newer or older default cannot change what this verifies). no_timer_check: a loaded host's emulated
# timer can miss the kernel's IO-APIC check and panic.
append="root=/dev/vda rw console=ttyS0 panic=-1 quiet loglevel=4 no_timer_check systemd.unified_cgroup_hierarchy=1"
# KVM where it works, else TCG with one host thread per guest CPU (test-v2 says why it runs one
# thread for all). -snapshot: the guest writes to a temporary overlay, the cached image stays as
# mmdebstrap made it.
vm_qemu multi "$cache/vmlinuz" "$cache/initrd.img" "$append" \
  -drive "file=$image,format=raw,if=virtio" -snapshot \
  -virtfs "local,path=$run,mount_tag=job,security_model=none,multidevs=remap"
vm_boot
tail -n +1 -f "$console" --pid="$qemu_pid" | grep --line-buffered 'glasshouse-deb-guest: \|Kernel panic\|emergency' >&2 &
vm_timed_out() {
  fail "the guest did not finish within $timeout_min minutes (GLASSHOUSE_DEB_GUEST_TIMEOUT); QEMU had" \
    "$1 at host load $(cut -d' ' -f1-3 /proc/loadavg); console: $console"
}
vm_wait "$timeout_min" wall
grep -q 'glasshouse-deb-guest: booted' "$console" ||
  cannot "QEMU exited with status $qemu_status before the guest ran its check: $(tail -n 3 "$run/qemu.log" "$console" | tr '\n' ' ')"
status=$(sed -n 's/.*glasshouse-deb-guest: result \([0-9]*\).*/\1/p' "$console" | tail -n 1)
[ -n "$status" ] || fail "the guest stopped without a result after $guest_time s (console: $console)"
# The menu launch's screenshot: a black or one-colour screen is a failure (the window never drew).
blank=
if [ -f "$run/out/app.xwd" ] && convert "xwd:$run/out/app.xwd" "$run/out/app.png"; then
  colours=$(convert "$run/out/app.png" -format %k info: 2>/dev/null || echo 0)
  say "screenshot: $run/out/app.png ($colours colours)"
  [ "$colours" -ge 64 ] || blank="the menu launch's screenshot has $colours colours: the window did not draw ($run/out/app.png)"
else
  blank="no screenshot of the menu launch ($run/out/app.xwd)"
fi
say "guest: $guest_time s of wall time, $guest_cpu s of CPU (QEMU, $cpus vCPUs; load now:" \
  "$(cut -d' ' -f1-3 /proc/loadavg)); total $(elapsed); console $console, logs $run/out"
[ "$status" = 0 ] || fail "$status checks failed in the guest: see above and $run/out"
[ -z "$blank" ] || fail "$blank"
say "passed: the package installs, activates, serves its group and purges under systemd $(sed -n 's/.*: systemd \([0-9]*\),.*/\1/p' "$console" | head -n 1)"
