#!/usr/bin/env bash
# Fetch real repositories with a spread of licenses for the license benchmark
# (benchmarks/bench_licenses.py), through the registries' own clients only, each unpacked as
# DEST/<kind>-<name>/ like ../shared/tools/fetch_corpus.sh: PyPI sdists (`pip download`),
# npm tarballs (`npm pack`) and Debian source packages (`apt-get source` through a private
# apt configuration with deb-src; Debian's rust-* packages are crates.io crates, most of them
# dual-licensed `MIT OR Apache-2.0`: their source packages' Debian parts are missing from the
# mirror here, so the crates come from the librust-*-dev binary packages, which ship each
# crate's published tree under /usr/share/cargo/registry/, as DEST/crate-<name>/).
# Re-running skips what is there.
# Usage: fetch_license_corpus.sh DEST    (suggested DEST: /work/data-license/corpus, outside git)
set -uo pipefail
dest=${1:?usage: fetch_license_corpus.sh DEST}
mkdir -p "$dest" && dest=$(cd "$dest" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# MIT, BSD, Apache, ISC, MPL, PSF, LGPL, GPL, dual and multi-licensed projects
pypi=(requests attrs six idna certifi click pexpect ptyprocess pycparser wcwidth tqdm
  typing-extensions chardet paramiko mutagen pyflakes docopt pylint-venv sortedcontainers
  tabulate)
npm=(lodash argparse rimraf tslib jszip node-forge dompurify spdx-expression-parse
  caniuse-lite inherits)
deb=(hello gzip sed zlib expat libyaml cjson libsodium)
crates=(serde regex memchr itoa smallvec either libc cfg-if log rand)

for p in "${pypi[@]}"; do
  [ -d "$dest/pypi-$p" ] && continue
  rm -rf "$work/pypi" && mkdir -p "$work/pypi"
  timeout 300 pip download -q --no-deps --no-binary :all: -d "$work/pypi" "$p" >/dev/null 2>&1 \
    || { echo "pypi $p: download failed"; continue; }
  f=$(ls "$work"/pypi/*.tar.gz "$work"/pypi/*.zip 2>/dev/null | head -1); [ -n "$f" ] || continue
  mkdir -p "$dest/pypi-$p"
  case "$f" in *.zip) (cd "$work/pypi" && unzip -q "$f" -d x && mv x/*/* "$dest/pypi-$p"/) ;;
               *) tar xzf "$f" -C "$dest/pypi-$p" --strip-components=1 ;; esac
  echo "pypi-$p"
done
for p in "${npm[@]}"; do
  [ -d "$dest/npm-$p" ] && continue
  f=$(cd "$work" && timeout 300 npm pack "$p" --silent 2>/dev/null | tail -1) || { echo "npm $p: pack failed"; continue; }
  [ -n "$f" ] && mkdir -p "$dest/npm-$p" && tar xzf "$work/$f" -C "$dest/npm-$p" --strip-components=1 && echo "npm-$p"
done
. "$(dirname "$0")/apt_private.sh" && apt_private "$work"
if apt-get "${A[@]}" update >/dev/null 2>&1; then
  for p in "${deb[@]}"; do
    [ -d "$dest/deb-$p" ] && continue
    apt_source_to "$p" "$dest/deb-$p" && echo "deb-$p" || echo "deb $p: source failed"
  done
  for c in "${crates[@]}"; do
    [ -d "$dest/crate-$c" ] && continue
    rm -rf "$work/deb" && mkdir -p "$work/deb"
    (cd "$work/deb" && timeout 300 apt-get "${A[@]}" download "librust-$c-dev" >/dev/null 2>&1) \
      || { echo "crate $c: download failed"; continue; }
    dpkg -x "$work"/deb/*.deb "$work/deb/x" && d=$(ls -d "$work"/deb/x/usr/share/cargo/registry/*/ | head -1)
    [ -n "$d" ] && mv "$d" "$dest/crate-$c" && echo "crate-$c"
  done
else
  echo "apt-get update failed: Debian sources skipped"
fi
