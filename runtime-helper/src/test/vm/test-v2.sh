#!/usr/bin/env bash
# The cgroup v2 verification (./glasshouse test-v2): boots a pure cgroup-v2 Linux guest in QEMU and
# runs inside it the helper's cgroup root tests (tag "cgroup") and the CLI scenario per resource
# level (tag "v2-guest", CgroupV2GuestScenariosTest), with the helper in the root cgroup and in a
# delegated service cgroup. Our own machines are hybrid (v1 controllers), so this is the only place
# the v2 driver meets a kernel that enforces its limits.
#
# The guest: Debian's generic kernel (the cloud flavour has no 9p), resolved through the package
# this file declares ($kernel_package) and unpacked with apt-get download + dpkg-deb, never
# installed; a busybox initramfs (the busybox image's own binary) that loads the 9p, virtio and
# overlay modules, mounts this machine's / read-only over 9p and switch_roots into it (pivot_root,
# which every container start calls, refuses the initramfs rootfs). The guest runs
# runtime-helper/src/test/vm/guest.sh from there; it writes its reports into $run/out, the one
# writable share. Kernel and initramfs are cached in build/vm (git-ignored).
#
# Where QEMU cannot run (not installed, no kernel package, QEMU dies before the guest boots), this
# says why; under CI=true that fails the run, elsewhere it is a skip with exit status 0.
# Environment: GLASSHOUSE_V2_TIMEOUT (minutes the guest could run, default 75; time QEMU waited for a
# host CPU does not count) stops a hung guest; GLASSHOUSE_V2_MEMORY
# (MiB, default 3072) and GLASSHOUSE_V2_CPUS (default 2) size it; GLASSHOUSE_V2_TCG (single, the
# default, or multi) picks QEMU's TCG threading (see -accel below); GLASSHOUSE_V2_TESTS replaces the
# guest's JUnit selection (e.g. "--select-class org.glasshouse.cli.CgroupV2GuestScenariosTest").
set -euo pipefail
umask 022

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
# say, fail, cannot, elapsed and QEMU's command line, start, wait and stop: shared with the package's
# guest (app/packaging/src/test/vm/test-deb-guest.sh).
vm_name=test-v2 vm_what="the cgroup v2 guest"
# shellcheck source-path=SCRIPTDIR source=qemu.sh
. "$here/qemu.sh"
cache=$repo/build/vm
images=${GLASSHOUSE_IMAGES:-$repo/build/images}
# The one package this step downloads: Debian's meta package for the current generic kernel.
kernel_package=linux-image-amd64
timeout_min=${GLASSHOUSE_V2_TIMEOUT:-75}
memory_mib=${GLASSHOUSE_V2_MEMORY:-3072}
cpus=${GLASSHOUSE_V2_CPUS:-2}

for dir in "$repo" "$images"; do
  case "$dir/" in
    /tmp/* | /run/* | /dev/* | /proc/* | /sys/*)
      cannot "the guest mounts its own /tmp, /run, /dev, /proc and /sys: it cannot see $dir" ;;
  esac
done
# Under CI=true as root, what the guest needs is installed here (a fresh machine lacks it): QEMU
# without recommends (no graphics, no firmware beyond SeaBIOS), and apt's lists for the kernel.
ci_root() { [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
if ! command -v qemu-system-x86_64 >/dev/null && ci_root; then
  say "installing qemu-system-x86 (CI=true, root)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends qemu-system-x86 \
    </dev/null >&2 ||
    { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends qemu-system-x86 \
        </dev/null >&2; } ||
    fail "apt-get install -y --no-install-recommends qemu-system-x86 failed"
fi
command -v qemu-system-x86_64 >/dev/null ||
  cannot "qemu-system-x86_64 is missing (apt-get install -y --no-install-recommends qemu-system-x86)"
for tool in apt-get apt-cache dpkg-deb gzip; do
  command -v "$tool" >/dev/null || cannot "$tool is missing: the guest's kernel comes from Debian's $kernel_package"
done
[ -f "$images/busybox.tar" ] || "$repo/images/busybox/build.sh" >&2 ||
  cannot "no busybox image at $images/busybox.tar and the recipe failed"

# --- the project, built on the host: the guest only reads it ---------------------------------------
say "building runtime-helper with its tests and test libraries (./mvnw -Pv2-guest package)"
(cd "$repo" && ./mvnw -B -q -pl runtime-helper -am -Pv2-guest package -DskipTests) ||
  fail "the build failed (see above)"
# The guest runs a snapshot of what it needs, not the live worktree: a rebuild or an edit during the
# run (it takes many minutes) cannot change what the guest runs, nor make its launcher think the jar
# is stale. cp -p keeps the times, so the jar stays newer than the sources beside it.
# One run at a time per checkout: a second would delete the snapshot the first guest is reading. The
# lock is held (fd 9, inherited by QEMU) until this script and its QEMU are gone; a second run waits.
mkdir -p "$cache"
exec 9>"$cache/lock"
if ! flock -n 9; then
  say "another test-v2 run in this checkout holds $cache/lock: waiting for it to finish"
  flock 9
fi
run=$cache/run
rm -rf "$run" && mkdir -p "$run/out"
tree=$run/tree
mkdir -p "$tree"
(cd "$repo" && cp -pR --parents glasshouse mvnw pom.xml images runtime-helper/pom.xml \
  runtime-helper/protocol/pom.xml runtime-helper/protocol/src/main runtime-helper/test-support/pom.xml \
  runtime-helper/src/main \
  runtime-helper/src/test/vm runtime-helper/target/runtime-helper.jar runtime-helper/target/lib \
  runtime-helper/target/glasshouse-init runtime-helper/target/glasshouse-ps runtime-helper/target/glasshouse-run \
  runtime-helper/target/classes runtime-helper/target/test-classes runtime-helper/target/test-lib \
  "$tree") || fail "cannot copy the built tree into $tree"
mkdir -p "$tree/build/images" && cp -p "$images/busybox.tar" "$tree/build/images/" ||
  fail "cannot copy $images/busybox.tar into $tree"
# The launcher's class-data-sharing archive for the CLI (runtime-helper/target/cli.jsa), made here
# for the snapshot's own jar paths with this machine's JVM, which the guest runs too (it sees this
# machine's / over 9p). Without it the launcher in the guest finds none, and each command there
# first ran a training JVM whose archive could not be written to the read-only share: two JVM
# starts per command, under emulation.
# The PATH is guest.sh's, so that the java the archive is made by is the one the guest finds (the
# launcher makes a new archive for another JVM, which the read-only share would refuse).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin GLASSHOUSE_SOCKET=$run/no-helper.sock \
  "$tree/glasshouse" ps >/dev/null 2>&1 || true
cds_archive="WITHOUT a CLI class-data archive (the launcher's training run made none)"
for a in "$tree"/runtime-helper/target/cli.jsa "$tree"/runtime-helper/target/cli.aot; do
  if [ -f "$a" ]; then
    cds_archive="with the CLI's class-data archive (${a##*/}, $(du -k "$a" | cut -f1) KiB)"
  fi
done
say "snapshot for the guest: $tree ($(du -sm "$tree" | cut -f1) MiB), $cds_archive"

# --- the kernel: resolved through $kernel_package, cached per package and version ------------------
# Offline, or where apt cannot resolve it any more, the newest cached kernel serves.
cached_kernel() {
  local k
  k=$(ls -d "$cache"/kernel/*/vmlinuz 2>/dev/null | sort -V | tail -n 1)
  [ -n "$k" ] || cannot "$1 (and no kernel is cached in $cache/kernel)"
  kdir=$(dirname "$k")
  image_package=${kdir##*/} version=${image_package##*_} image_package=${image_package%_*}
  say "using the cached $image_package $version: $1"
}
kernel_image() {
  apt-cache depends "$kernel_package" 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1
}
image_package=$(kernel_image)
if [ -z "$image_package" ] && ci_root; then
  say "apt knows no $kernel_package: apt-get update (CI=true, root)"
  apt-get update -q >&2 || fail "apt-get update failed"
  image_package=$(kernel_image)
fi
version=
[ -z "$image_package" ] || version=$(apt-cache policy "$image_package" | sed -n 's/^ *Candidate: //p')
if [ -z "$version" ]; then
  cached_kernel "apt knows no $kernel_package here (not Debian, or apt-get update never ran)"
fi
kdir=$cache/kernel/${image_package}_$version
if [ ! -f "$kdir/vmlinuz" ]; then
  say "fetching $image_package $version (apt-get download; nothing is installed)"
  dl=$(mktemp -d "${TMPDIR:-/tmp}/glasshouse-v2-kernel.XXXXXX")
  trap 'rm -rf "$dl"' EXIT
  if (cd "$dl" && apt-get download -q "$image_package=$version" >&2 2>"$dl/apt.log"); then
    dpkg-deb -x "$dl"/*.deb "$dl/x" || fail "dpkg-deb -x of $image_package failed"
    rm -rf "$kdir.partial" && mkdir -p "$kdir.partial/modules"
    cp "$dl"/x/boot/vmlinuz-* "$kdir.partial/vmlinuz"
    cp "$dl"/x/boot/config-* "$kdir.partial/config"
    # Only the modules the guest loads are kept (the package unpacks to ~400 MB); busybox's insmod
    # takes them uncompressed.
    find "$dl"/x/lib/modules/*/kernel \( -path '*/fs/9p/*' -o -path '*/net/9p/*' -o -path '*/fs/netfs/*' \
      -o -path '*/fs/fscache/*' -o -path '*/fs/overlayfs/*' -o -path '*/drivers/virtio/*' \) \
      -name '*.ko*' -exec cp {} "$kdir.partial/modules/" \;
    for m in "$kdir.partial"/modules/*.ko.*; do
      [ -e "$m" ] || continue
      case "$m" in
        *.xz) xz -d "$m" ;; *.zst) zstd -q --rm -d "$m" ;; *.gz) gzip -d "$m" ;;
        *) fail "$m: a module compression this script does not know" ;;
      esac || fail "cannot decompress $m (xz-utils, zstd?)"
    done
    mv "$kdir.partial" "$kdir"
  else
    cached_kernel "apt-get download $image_package=$version failed: $(tail -n 1 "$dl/apt.log")"
  fi
  rm -rf "$dl"
  trap - EXIT
fi
say "kernel: $image_package $version ($(elapsed))"

# --- the initramfs: busybox, the modules in load order, the stage-1 init ---------------------------
# Dependencies come from each module's .modinfo "depends=" (the package has no modules.dep).
order=()
add_module() {
  local name=$1 ko dep
  for m in "${order[@]}"; do [ "$m" = "$name" ] && return 0; done
  ko=$kdir/modules/$name.ko
  [ -f "$ko" ] || fail "module $name is not in $image_package (looked for $ko)"
  for dep in $(tr '\0' '\n' <"$ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
    add_module "$dep"
  done
  order+=("$name")
}
for m in virtio_pci 9pnet_virtio 9p overlay; do add_module "$m"; done

initramfs=$cache/initramfs.cpio.gz
root=$(mktemp -d "${TMPDIR:-/tmp}/glasshouse-v2-initramfs.XXXXXX")
mkdir -p "$root"/{bin,dev,proc,sys,newroot,modules}
tar -xf "$images/busybox.tar" -C "$root" ./bin/busybox 2>/dev/null ||
  tar -xf "$images/busybox.tar" -C "$root" bin/busybox ||
  fail "no bin/busybox in $images/busybox.tar"
for m in "${order[@]}"; do cp "$kdir/modules/$m.ko" "$root/modules/"; done
printf '%s\n' "${order[@]}" >"$root/modules/order"
install -m 0755 "$here/init" "$root/init"
(cd "$root" && find . | LC_ALL=C sort | "$root/bin/busybox" cpio -o -H newc 2>/dev/null | gzip -1) \
  >"$initramfs.partial" || fail "cpio of the initramfs failed"
mv "$initramfs.partial" "$initramfs"
rm -rf "$root"
say "initramfs: ${order[*]} ($(du -k "$initramfs" | cut -f1) KiB)"

# --- the run -----------------------------------------------------------------------------------------
console=$run/console.log
# The guest reads its orders from the kernel command line: where the repository and the images are,
# what to run, whether this is CI.
# no_timer_check: on a loaded host the emulated timer can miss the kernel's IO-APIC check, which then
# panics ("IO-APIC + timer doesn't work!", seen at host load 44).
append="console=ttyS0 panic=-1 quiet loglevel=4 no_timer_check"
append+=" glasshouse.repo=$tree glasshouse.images=$tree/build/images glasshouse.ci=${CI:-false}"
tests=${GLASSHOUSE_V2_TESTS:-}
if [ -n "$tests" ]; then
  printf '%s\n' "$tests" >"$run/out/tests"
fi

# KVM is used where /dev/kvm works, else TCG with ONE host thread for all guest CPUs (thread=single,
# GLASSHOUSE_V2_TCG=multi for one per guest CPU): with thread=multi about one CLI JVM in 30-50 died
# of SIGSEGV in JIT-compiled code. The likely cause: HotSpot patches compiled code while other
# threads run it (call sites, C1's patching stubs), safe on x86, and multi-threaded TCG can
# translate guest code on one host thread while another writes it; one host thread never does both
# at once. It costs wall time only where the host has a core to spare.
tcg=${GLASSHOUSE_V2_TCG:-single}
case "$tcg" in single | multi) ;; *) fail "GLASSHOUSE_V2_TCG is single or multi, not '$tcg'" ;; esac
vm_qemu "$tcg" "$kdir/vmlinuz" "$initramfs" "$append" \
  -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
  -virtfs "local,path=$run/out,mount_tag=out,security_model=none,multidevs=remap"
vm_boot
tail -n +1 -f "$console" --pid="$qemu_pid" &
# The tests the guest had started and not finished, innermost last (the console launcher's test
# feed prints "NAME :: STARTED" and "NAME :: SUCCESSFUL|FAILED|ABORTED|SKIPPED").
still_running() {
  awk '{ sub(/\r$/, "") }
       / :: STARTED$/ { sub(/ :: STARTED$/, ""); open[$0] = ++seq; next }
       / :: (SUCCESSFUL|FAILED|ABORTED|SKIPPED)/ { sub(/ :: (SUCCESSFUL|FAILED|ABORTED|SKIPPED).*/, ""); delete open[$0] }
       END { for (n in open) print open[n] "\t" n }' "$1" | sort -n | cut -f2 | tail -n 1
}
vm_timed_out() {
  running=$(still_running "$console")
  say "the guest's last lines:"
  tail -n 5 "$console" | sed 's/^/  /' >&2
  fail "the guest did not finish within $timeout_min minutes (GLASSHOUSE_V2_TIMEOUT) while running" \
    "${running:-no test yet (booting, or between tests)}; QEMU had $1 and waited $waited_s s" \
    "for a host CPU, at host load" \
    "$(cut -d' ' -f1-3 /proc/loadavg); console: $console"
}
# The timeout counts the time the guest could run, not the time a loaded host kept it waiting.
vm_wait "$timeout_min" runnable
status=$(sed -n 's/^glasshouse-v2: result \([0-9]*\).*/\1/p' "$console" | tail -n 1)
if ! grep -q '^glasshouse-v2: booted' "$console"; then
  cannot "QEMU exited with status $qemu_status before the guest booted: $(tail -n 3 "$run/qemu.log" "$console" | tr '\n' ' ')"
fi
[ -n "$status" ] || fail "the guest stopped without a result after $guest_time s (console: $console)"
say "guest: $guest_time s of wall time, $guest_cpu s of CPU, ~$waited_s s waiting for a host CPU (QEMU," \
  "$cpus vCPUs, TCG $tcg; load now:" \
  "$(cut -d' ' -f1-3 /proc/loadavg)); total $(elapsed); console $console, reports $run/out"
[ "$status" = 0 ] || fail "the guest's tests failed (status $status): see above and $run/out"
say "passed: cgroup v2 verified in a QEMU guest ($image_package $version)"
