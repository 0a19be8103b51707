#!/usr/bin/env bash
# Builds glasshouse_<version>_<arch>.deb from what the Maven build left in target/: the app, the
# helper, a Java runtime made here with jlink (the target machine needs no JDK), the busybox image,
# the systemd units, the desktop entry, icon and man page. `./glasshouse package` builds first, then
# runs this; the packaging tests run it on what the reactor just built.
#
#   app/packaging/build-deb.sh [--out DIR] [--compress xz|gzip|zstd|none]
#
# Class paths are taken from the modules' target/lib as they are (whatever the build copied there),
# never from a list of jar names. Needs dpkg-deb and a JDK 17+ with jmods (Debian's
# openjdk-17-jdk-headless has them). Prints the package's path last.
#
# Why dpkg-deb around a jlink image and not jpackage --type deb (both measured here): jpackage
# places files only under its install dir (/opt/glasshouse), so the systemd units, the tmpfiles.d
# entry, the man page and /usr/bin/glasshouse could only be copied into place by maintainer
# scripts, where dpkg neither tracks nor removes them; it also needs fakeroot, and gave one
# launcher per entry point. On this shared 2-core machine jpackage took 82 s wall (44 s CPU) for
# the app alone; this script spends ~9 s CPU in jlink and ~1 s laying out and computing Depends,
# then dpkg-deb: ~65 s CPU with xz (46 MB), ~3 s with gzip (56 MB).
set -euo pipefail
umask 022

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
here=$repo/app/packaging
out=$repo/build/package
compress=xz
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --compress) compress=$2; shift 2 ;;
    *) echo "usage: app/packaging/build-deb.sh [--out DIR] [--compress xz|gzip|zstd|none]" >&2; exit 2 ;;
  esac
done

die() { echo "packaging: $*" >&2; exit 1; }
step() { printf 'packaging: %-44s' "$1" >&2; }
took() { echo " $(( $(date +%s%N) / 1000000 - $1 )) ms" >&2; }
now() { echo $(( $(date +%s%N) / 1000000 )); }

command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (apt-get install -y dpkg)"
command -v readelf >/dev/null || die "readelf is missing (apt-get install -y binutils)"
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jlink=$java_home/bin/jlink
[ -x "$jlink" ] || die "no jlink in $java_home: a JDK 17+ is needed (apt-get install -y openjdk-17-jdk-headless)"
[ -d "$java_home/jmods" ] || die "no jmods in $java_home: jlink needs them (openjdk-17-jdk-headless)"

helper_jar=$repo/runtime-helper/target/runtime-helper.jar
# The native init stage (issue 16), the helper's default: built static by the Maven build, looked
# for beside the helper's jar (NativeInit), so it goes into helper/ with it.
native_init=$repo/runtime-helper/target/glasshouse-init
# The native clients of `glasshouse ps` and `run` (issue 16), static too; the launcher runs them
# from bin/.
native_ps=$repo/runtime-helper/target/glasshouse-ps
native_run=$repo/runtime-helper/target/glasshouse-run
app_jar=$repo/app/target/glasshouse-app.jar
images=${GLASSHOUSE_IMAGES:-$repo/build/images}
for f in "$helper_jar" "$native_init" "$native_ps" "$native_run" "$app_jar" "$images/busybox.tar"; do
  [ -f "$f" ] || die "$f is missing: build first (./glasshouse package builds everything it needs)"
done
[ -d "$repo/runtime-helper/target/lib" ] && [ -d "$repo/app/target/lib" ] ||
  die "target/lib is missing in runtime-helper or app: run the Maven package phase first"

# Version: the POM's, a snapshot made sortable for dpkg (0.1.0~snapshot < 0.1.0), plus the commit.
pom_version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$repo/pom.xml" | head -n 1)
[ -n "$pom_version" ] || die "cannot read the version from pom.xml"
version=${pom_version/-SNAPSHOT/~snapshot}
if commit=$(git -C "$repo" rev-parse --short=10 HEAD 2>/dev/null); then
  version=$version+g$commit
fi
arch=$(dpkg --print-architecture)

work=$(mktemp -d "${TMPDIR:-/tmp}/glasshouse-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
lib=$root/usr/lib/glasshouse
mkdir -p "$lib/bin" "$lib/helper" "$lib/app" "$root/usr/bin" "$root/DEBIAN"

# The Java runtime: only the modules the app, the helper and the init stage use. java.desktop and
# java.xml for JavaFX; jdk.net for SO_PEERCRED; jdk.security.auth for the CLI's uid;
# jdk.management for the benchmarks' CPU time; jdk.unsupported for JavaFX and JNA; java.sql for
# Jackson's date types. A default CDS archive keeps each container's init JVM start fast (the
# init stage runs with -Xshare:auto); the archive for heaps over 32 GB is left out.
t=$(now); step "jlink runtime"
"$jlink" --add-modules java.base,java.desktop,java.logging,java.xml,java.sql,java.management,jdk.management,jdk.net,jdk.security.auth,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --generate-cds-archive \
  --output "$lib/runtime" >"$work/jlink.log" 2>&1 || { cat "$work/jlink.log" >&2; die "jlink failed"; }
rm -f "$lib/runtime/lib/server/classes_nocoops.jsa"
took "$t"

t=$(now); step "lay out the files"
cp "$helper_jar" "$repo"/runtime-helper/target/lib/*.jar "$lib/helper/"
! readelf -dW "$native_init" | grep -q '(NEEDED)' ||
  die "$native_init links shared libraries: it must be static (it runs in the container's root)"
install -m 0755 "$native_init" "$lib/helper/glasshouse-init"
cp "$app_jar" "$repo"/app/target/lib/*.jar "$lib/app/"
install -m 0644 "$repo/runtime-helper/src/main/jvm/helper.args" "$lib/helper.args"
install -m 0755 "$here/deb/glasshouse" "$lib/bin/glasshouse"
! readelf -dW "$native_ps" | grep -q '(NEEDED)' || die "$native_ps links shared libraries: it must be static"
install -m 0755 "$native_ps" "$lib/bin/glasshouse-ps"
! readelf -dW "$native_run" | grep -q '(NEEDED)' || die "$native_run links shared libraries: it must be static"
install -m 0755 "$native_run" "$lib/bin/glasshouse-run"
ln -s ../lib/glasshouse/bin/glasshouse "$root/usr/bin/glasshouse"
install -D -m 0644 "$here/deb/glasshouse.socket" "$root/lib/systemd/system/glasshouse.socket"
install -D -m 0644 "$here/deb/glasshouse.service" "$root/lib/systemd/system/glasshouse.service"
install -D -m 0644 "$here/deb/glasshouse.tmpfiles" "$root/usr/lib/tmpfiles.d/glasshouse.conf"
install -D -m 0644 "$here/deb/glasshouse.desktop" "$root/usr/share/applications/glasshouse.desktop"
install -D -m 0644 "$repo/assets/icons/glasshouse.svg" "$root/usr/share/icons/hicolor/scalable/apps/glasshouse.svg"
for n in 16 32 48 64 128 256; do
  install -D -m 0644 "$repo/assets/icons/glasshouse-$n.png" "$root/usr/share/icons/hicolor/${n}x$n/apps/glasshouse.png"
done
install -d "$root/usr/share/man/man1"
gzip -9n <"$repo/runtime-helper/src/main/man/glasshouse.1" >"$root/usr/share/man/man1/glasshouse.1.gz"
# The bash completion, generated by picocli from the CLI's own command tree (glasshouse completion)
# with the bundled runtime; bash-completion loads it on the first <Tab> after `glasshouse`.
install -d "$root/usr/share/bash-completion/completions"
"$lib/runtime/bin/java" -cp "$lib/helper/*" org.glasshouse.cli.Main completion \
  >"$root/usr/share/bash-completion/completions/glasshouse" || die "glasshouse completion failed"
grep -q 'complete .*glasshouse' "$root/usr/share/bash-completion/completions/glasshouse" ||
  die "the generated completion script registers no completion for glasshouse"
chmod 0644 "$root/usr/share/bash-completion/completions/glasshouse"
install -D -m 0644 "$here/deb/copyright" "$root/usr/share/doc/glasshouse/copyright"
install -D -m 0644 "$images/busybox.tar" "$root/usr/share/glasshouse/images/busybox.tar"
for s in postinst prerm postrm; do
  install -m 0755 "$here/deb/$s" "$root/DEBIAN/$s"
done
took "$t"

# Depends: the packages that hold the shared libraries the runtime's and JavaFX's native code link
# (as jpackage computes them), found with ldd and dpkg -S on this machine. JavaFX's GTK 2 glass is
# a fallback whose libraries may be absent here: a library ldd cannot find is not a dependency.
t=$(now); step "Depends from the native libraries"
mkdir "$work/natives"
for jar in "$lib"/app/javafx-*.jar; do
  (cd "$work/natives" && unzip -qo "$jar" '*.so' 2>/dev/null) || true
done
# Only each file's own NEEDED entries (readelf), resolved to paths by ldd: what they pull in
# themselves is their packages' business.
find "$lib/runtime" "$work/natives" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
  while IFS= read -r -d '' elf; do
    needed=$(readelf -dW "$elf" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | paste -sd' ')
    [ -n "$needed" ] || continue
    ldd "$elf" 2>/dev/null | awk -v needed=" $needed " \
      '$2 == "=>" && $3 ~ /^\// && index(needed, " " $1 " ") { print $3 }'
  done | sort -u >"$work/libs"
: >"$work/candidates"
while read -r so; do
  case "$so" in "$lib"/* | "$work"/*) continue ;; esac
  # dpkg knows a library by the path its package ships (/lib or /usr/lib on a merged /usr).
  printf '%s\n' "$so" "$(readlink -f "$so")" "${so#/usr}" "/usr$so" >>"$work/candidates"
done <"$work/libs"
# One dpkg -S for all of them (each call reads the whole database); unknown paths are skipped.
sort -u "$work/candidates" | xargs dpkg -S 2>/dev/null | sed 's/: .*//; s/:[a-z0-9]*$//' |
  tr ',' '\n' | sed 's/^ *//; s/:[a-z0-9]*$//' >"$work/pkgs" || true
depends=$( (sort -u "$work/pkgs"; echo passwd) | sort -u | paste -sd, | sed 's/,/, /g')
[ -n "$depends" ] || die "found no library packages (is this a Debian/Ubuntu machine?)"
took "$t"

installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: glasshouse
Version: $version
Architecture: $arch
Maintainer: The Glasshouse authors <glasshouse@localhost>
Installed-Size: $installed_kb
Depends: $depends
Recommends: systemd
Section: education
Priority: optional
Homepage: https://localhost/glasshouse
Description: desktop lab for building a real Linux container, level by level
 Glasshouse is a JavaFX lab where you build a container one step at a time:
 fork/exec, chroot, mount namespace, pivot_root, overlayfs, UTS/PID/network
 namespaces, cgroups, setuid, capabilities. At every level it shows what
 changed and every syscall the runtime made. Nothing is simulated.
 .
 The privileged helper runs as a systemd service started on demand through
 glasshouse.socket; members of the glasshouse group may use it (membership is
 root-equivalent). The package bundles its own Java runtime and the busybox
 image.
CONTROL

mkdir -p "$out"
# One package in the output dir, so that `apt install ./build/package/glasshouse_*.deb` names it.
rm -f "$out"/glasshouse_*.deb
deb=$out/glasshouse_${version}_$arch.deb
t=$(now); step "dpkg-deb -Z$compress"
dpkg-deb --root-owner-group -Z"$compress" --build "$root" "$deb" >/dev/null
took "$t"
echo "packaging: $(du -h "$deb" | cut -f1) $(basename "$deb"), installs $((installed_kb / 1024)) MiB" >&2
echo "$deb"
