#!/usr/bin/env bash
# Builds the busybox rootfs tarball: a static busybox, every applet linked, root and student users.
# Deterministic: the same busybox binary gives a byte-identical tarball (sorted entries, mtime 0,
# numeric owners, plain uncompressed tar). Output: ${GLASSHOUSE_IMAGES:-<repo>/build/images}/busybox.tar
set -euo pipefail
umask 022

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out_dir=${GLASSHOUSE_IMAGES:-$repo/build/images}
out=$out_dir/busybox.tar

die() { echo "images/busybox: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/glasshouse-busybox.XXXXXX")
trap 'rm -rf "$work"' EXIT

command -v readelf >/dev/null || die "readelf is missing (apt-get install -y binutils)"

# A static binary has neither a program interpreter nor shared-library dependencies: the image
# holds no libc, so a dynamic busybox would fail inside the container with a bare "not found".
is_static() {
  [ -x "$1" ] && readelf -h "$1" >/dev/null 2>&1 &&
    ! readelf -lW "$1" 2>/dev/null | grep -q 'INTERP' &&
    ! readelf -dW "$1" 2>/dev/null | grep -q '(NEEDED)'
}

# Where the static busybox comes from, in order: the host's /bin/busybox if it is static; Debian's
# busybox-static installed with apt (as root); its .deb fetched and unpacked here (not root).
busybox=/bin/busybox
if ! is_static "$busybox"; then
  command -v apt-get >/dev/null || die "/bin/busybox is not a static binary and apt-get is missing: install a static busybox"
  if [ "$(id -u)" = 0 ]; then
    echo "images/busybox: /bin/busybox is not static; installing busybox-static" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q busybox-static >&2 ||
      die "apt-get install busybox-static failed (run apt-get update first?)"
  else
    echo "images/busybox: /bin/busybox is not static; fetching the busybox-static package" >&2
    (cd "$work" && apt-get download -q busybox-static >&2) || die "apt-get download busybox-static failed"
    dpkg-deb -x "$work"/busybox-static_*.deb "$work/deb"
    busybox=$work/deb/bin/busybox
  fi
  is_static "$busybox" || die "$busybox is still not a static binary"
fi

root=$work/rootfs
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,home/student}
install -m 0755 "$busybox" "$root/bin/busybox"

# Every applet as a relative link, so the links also resolve when the rootfs is not at /.
"$root/bin/busybox" --list-full | while read -r applet; do
  [ "$applet" = bin/busybox ] && continue
  up=$(printf '%s' "$applet" | tr -cd / | sed 's|/|../|g')
  mkdir -p "$root/$(dirname "$applet")"
  ln -sfn "${up}bin/busybox" "$root/$applet"
done

# The level-03 breakout experiment (see chroot-escape.c for why it is C): static, because the image
# holds no libc; -Os and no build id, so the same compiler gives the same bytes.
command -v gcc >/dev/null || die "gcc is missing (apt-get install -y gcc libc6-dev): it builds /bin/chroot-escape"
gcc -static -Os -s -Wl,--build-id=none -o "$root/bin/chroot-escape" "$repo/images/busybox/chroot-escape.c" ||
  die "compiling chroot-escape.c failed (a static libc is in libc6-dev: apt-get install -y libc6-dev)"
is_static "$root/bin/chroot-escape" || die "chroot-escape did not link statically"
chmod 0755 "$root/bin/chroot-escape"

# The level-04 copy-up experiment needs a big file in the image (the lower layer): opening it for
# writing inside a container copies all of it into the container's upper dir first. 16 MiB of one
# repeated line: the same bytes on every build, and no holes (a sparse file would copy up in no
# time and teach nothing).
mkdir -p "$root/usr/share"
yes 'glasshouse: 16 MiB that a container copies up before it may change one byte of it.' |
  head -c 16777216 >"$root/usr/share/big-file" || true
[ "$(wc -c <"$root/usr/share/big-file")" = 16777216 ] || die "could not write usr/share/big-file"
chmod 0644 "$root/usr/share/big-file"

cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
student:x:1000:1000:student:/home/student:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
student:x:1000:
nogroup:x:65534:
GROUP
chmod 0644 "$root"/etc/passwd "$root"/etc/group
chmod 0755 "$root"/{bin,sbin,usr,usr/bin,usr/sbin,usr/share,etc,proc,sys,dev,home,home/student}
chmod 0700 "$root/root"
chmod 1777 "$root/tmp"

# Everything belongs to root except the student's home, which tar appends with owner 1000: tar
# cannot give one member a different owner within one invocation.
det=(--format=gnu --mtime=@0 --owner=0 --group=0 --numeric-owner)
mkdir -p "$out_dir"
tar -C "$root" -cf "$out.partial" "${det[@]}" --sort=name --exclude=home/student \
  $(cd "$root" && ls -A | LC_ALL=C sort)
tar -C "$root" -rf "$out.partial" --format=gnu --mtime=@0 --owner=1000 --group=1000 \
  --numeric-owner --no-recursion home/student
mv "$out.partial" "$out"

echo "images/busybox: $("$root/bin/busybox" | head -n 1 | cut -d' ' -f1-2), $(tar -tf "$out" | wc -l) entries"
echo "$out"
