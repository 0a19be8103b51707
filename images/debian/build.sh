#!/usr/bin/env bash
# Builds the optional Debian rootfs tarball: minbase plus the tools the levels' experiments use
# (stress-ng, iproute2, procps, python3, iputils-ping), and the same users and big file as the
# busybox image.
# Needs root and mmdebstrap (apt-get install -y mmdebstrap). Packages come through the HOST's apt
# configuration: the repositories apt-get itself reads from /etc/apt/sources.list*, the host's
# trusted keyrings and its proxy settings; no mirror is written here.
# Output: ${GLASSHOUSE_IMAGES:-<repo>/build/images}/debian.tar (an uncompressed tar the helper's
# image store accepts: no device nodes, no xattrs; see images/README.md).
# Environment:
#   DEBIAN_SUITE       the release (default: the host's own, from /etc/os-release)
#   DEBIAN_MIRROR      a mirror URI to use INSTEAD of the host's sources (default: none)
#   SOURCE_DATE_EPOCH  the date every newer file is clamped to (default: the Date of the suite's
#                      Release file as the host's apt last fetched it, else 0)
set -euo pipefail
umask 022
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out_dir=${GLASSHOUSE_IMAGES:-$repo/build/images}
out=$out_dir/debian.tar
packages=stress-ng,iproute2,procps,python3,iputils-ping

die() { echo "images/debian: $*" >&2; exit 1; }
say() { echo "images/debian: $*" >&2; }

[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap's root mode creates files owned by other users and runs maintainer scripts in a chroot)"
command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (apt-get install -y mmdebstrap)"
command -v apt-get >/dev/null || die "apt-get is missing: the recipe reuses the host's apt configuration"

host_suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
suite=${DEBIAN_SUITE:-$host_suite}
[ -n "$suite" ] || die "cannot tell the host's release (no VERSION_CODENAME in /etc/os-release): set DEBIAN_SUITE"

# The host's repositories for this suite, as apt parses them (one-line and deb822 files alike):
# the suite itself and its -updates/-security/-backports companions; other repositories (a
# vendor's) stay out of the image.
sources=()
if [ -n "${DEBIAN_MIRROR:-}" ]; then
  sources=("deb $DEBIAN_MIRROR $suite main")
else
  while read -r uri release components; do
    sources+=("deb $uri $release $components")
  done < <(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Created-By: Packages' |
    awk -v s="$suite" '$2 == s || index($2, s "-") == 1 { c[$1 " " $2] = c[$1 " " $2] " " $3 }
      END { for (k in c) { n = split(c[k], a, " "); line = k; delete seen
        for (i = 1; i <= n; i++) if (!(a[i] in seen)) { seen[a[i]] = 1; line = line " " a[i] }
        print line } }' | sort)
  [ "${#sources[@]}" -gt 0 ] ||
    die "the host's apt sources name no repository for '$suite' (apt-get indextargets): set DEBIAN_MIRROR, or DEBIAN_SUITE to the host's release"
fi

# The host's proxy, if it has one, for this build only (written to a file the hook removes).
aptopts=()
proxy_conf=$(apt-config dump 'Acquire' 2>/dev/null | grep -E '^Acquire::(https?|ftp)::Proxy' || true)

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  release_file=$(ls /var/lib/apt/lists/*_dists_"${suite}"_InRelease 2>/dev/null | head -n1 || true)
  date=$([ -n "$release_file" ] && sed -n 's/^Date: //p' "$release_file" | head -n1 || true)
  SOURCE_DATE_EPOCH=$([ -n "$date" ] && date -d "$date" +%s || echo 0)
fi
export SOURCE_DATE_EPOCH

work=$(mktemp -d "${TMPDIR:-/tmp}/glasshouse-debian.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
if [ -n "$proxy_conf" ]; then
  printf '%s\n' "$proxy_conf" >"$work/proxy.conf"
  aptopts=(--aptopt="$work/proxy.conf")
fi

say "suite $suite, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH, packages $packages"
for s in "${sources[@]}"; do say "source: $s"; done
start=$(date +%s)

# minbase + the tools; no manuals, docs or translations (the copyright files stay). Hooks: the
# student user (same ids as the busybox image), a fixed hostname, no resolv.conf (a container has
# no DNS here), and the host's proxy not left behind.
mmdebstrap --mode=root --variant=minbase --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  "${aptopts[@]}" \
  --customize-hook='chroot "$1" groupadd -g 1000 student' \
  --customize-hook='chroot "$1" useradd -m -u 1000 -g 1000 -s /bin/bash student' \
  --customize-hook='echo debian >"$1/etc/hostname"; rm -f "$1/etc/resolv.conf"' \
  --customize-hook='rm -f "$1/etc/apt/apt.conf.d/99mmdebstrap"' \
  "$suite" "$root" "${sources[@]}" >&2

# What the image store refuses, and what would make two builds differ:
# - /dev: every node and link debootstrap/mmdebstrap made (the init stage makes the few a container
#   gets); the empty directory stays as the mount point.
# - file capabilities (security.capability xattrs): never applied by the store. ping is the one
#   Debian gives one (cap_net_raw); iputils' own fallback without xattrs is the setuid bit.
# - logs, backup files of dpkg and debconf, caches.
dropped=$(cd "$root/dev" && find . -mindepth 1 | sort | tr '\n' ' ')
say "dropped from /dev: ${dropped:-nothing}"
find "$root/dev" -mindepth 1 -delete
caps=$(getcap -r "$root" 2>/dev/null | sed "s|^$root||" | sort || true)
if [ -n "$caps" ]; then
  say "file capabilities dropped (the store refuses security.* xattrs):"
  printf '  %s\n' "$caps" >&2
  while read -r file _; do
    setcap -r "$root$file"
    case "$file" in /usr/bin/ping | /bin/ping) chmod u+s "$root$file" && say "  $file: setuid root instead (iputils' fallback)" ;; esac
  done <<<"$caps"
fi
# The level-04 copy-up experiment's big file, the same 16 MiB as in the busybox image (its recipe
# says why: one repeated line, no holes): opening it for writing copies all of it up first.
yes 'glasshouse: 16 MiB that a container copies up before it may change one byte of it.' |
  head -c 16777216 >"$root/usr/share/big-file" || true
[ "$(wc -c <"$root/usr/share/big-file")" = 16777216 ] || die "could not write usr/share/big-file"
chmod 0644 "$root/usr/share/big-file"
rm -rf "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/var/cache/debconf/*-old \
  "$root"/var/lib/dpkg/*-old "$root"/var/cache/ldconfig/aux-cache "$root"/var/lib/apt/lists/* \
  "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
: >"$root/etc/machine-id"

# Sorted entries, numeric owners, every mtime newer than SOURCE_DATE_EPOCH clamped to it (files
# from packages keep their own), no xattrs/ACLs/SELinux labels, no compression (no gzip header
# date). Not deterministic: the packages themselves, whenever the mirror serves newer ones.
mkdir -p "$out_dir"
tar -C "$root" -cf "$out.partial" --format=gnu --sort=name --numeric-owner \
  --mtime=@"$SOURCE_DATE_EPOCH" --clamp-mtime --no-xattrs --no-acls --no-selinux \
  $(cd "$root" && ls -A | sort)
mv "$out.partial" "$out"
say "done in $(($(date +%s) - start)) s: $(du -h "$out" | cut -f1) tarball, $(du -sh "$root" | cut -f1) unpacked, $(tar -tf "$out" | wc -l) entries"
echo "$out"
