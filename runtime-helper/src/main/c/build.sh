#!/bin/sh
# Builds the native init stage, glasshouse-init (issue 16), static: it runs in the container's new
# root after pivot_root, where no host library is reachable; and the native clients of `ps` and
# `run`, glasshouse-ps and glasshouse-run (static too: no dynamic loader's start cost, one runs on
# every `glasshouse ps` or `run`; both include glasshouse-json.h, next to them).
# The Maven build runs this in its compile phase (runtime-helper/pom.xml):  build.sh OUT SOURCE
# It is the helper's default init stage, so a machine without a C compiler or a static libc fails
# the build here, saying which and how to get it (under CI=true as everywhere): never a jar
# without the executable it needs.
set -eu
[ $# -eq 2 ] || { echo "usage: build.sh OUT SOURCE" >&2; exit 2; }
out=$1
src=$2
name=${out##*/}
fail() {
  echo "$name: $*" >&2
  case $name in
    glasshouse-init) echo "$name: the native init stage is the helper's default init (RuntimeConfig.initStage);" \
      "it is C, built with gcc -static" >&2 ;;
    *) echo "$name: a native client of the launcher (glasshouse ps, run); it is C, built with gcc -static" >&2 ;;
  esac
  exit 1
}
command -v gcc >/dev/null 2>&1 ||
  fail "gcc is missing${CI:+ (CI=$CI)}: apt-get install -y gcc libc6-dev"
gcc -static -O2 -Wall -Wextra -Werror -o "$out" "$src" ||
  fail "gcc -static failed on $src${CI:+ (CI=$CI)} (no static libc? apt-get install -y libc6-dev)"
