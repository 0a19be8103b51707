#!/usr/bin/env bash
# Builds an optional Debian rootfs tarball with debootstrap (minbase). Not used by the tests.
# Needs root and debootstrap (apt-get install -y debootstrap) and network access to a mirror.
# Output: ${GLASSHOUSE_IMAGES:-<repo>/build/images}/debian.tar
# Environment: DEBIAN_SUITE (default bookworm), DEBIAN_MIRROR (default deb.debian.org).
set -euo pipefail
umask 022

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out_dir=${GLASSHOUSE_IMAGES:-$repo/build/images}
out=$out_dir/debian.tar
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

die() { echo "images/debian: $*" >&2; exit 1; }

command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install -y debootstrap)"
[ "$(id -u)" = 0 ] || die "debootstrap needs root (it creates device nodes and chowns files)"

work=$(mktemp -d "${TMPDIR:-/tmp}/glasshouse-debian.XXXXXX")
trap 'rm -rf "$work"' EXIT

debootstrap --variant=minbase "$suite" "$work/rootfs" "$mirror" >&2

# Same user layout as the busybox image, so levels 10 and 11 behave the same on both.
chroot "$work/rootfs" groupadd -g 1000 student
chroot "$work/rootfs" useradd -m -u 1000 -g 1000 -s /bin/bash student

# What the helper refuses to extract (device nodes) or what only makes the tarball bigger.
find "$work/rootfs/dev" -mindepth 1 -delete
rm -rf "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/lib/apt/lists/*

# Entries sorted and dated at 0 so the tarball does not change without reason; debootstrap itself
# is not reproducible (package versions change in the mirror), so builds are not byte-identical.
mkdir -p "$out_dir"
tar -C "$work/rootfs" -cf "$out.partial" --format=gnu --sort=name --mtime=@0 --numeric-owner \
  $(cd "$work/rootfs" && ls -A | LC_ALL=C sort)
mv "$out.partial" "$out"
echo "$out"
