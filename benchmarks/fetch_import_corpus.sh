#!/usr/bin/env bash
# Fetch the repositories of the same-package reference benchmarks (issue 13.1) through the
# registries' own clients, unpacked, one folder of repositories per language group:
#   DEST/java/deb-*     Debian Java sources (jdeps reference: bench_imports.py --corpus DEST/java)
#   DEST/kotlin/npm-*   npm packages with Android Kotlin sources
#   DEST/csharp/pypi-*  a PyPI sdist with C# sources
#   DEST/other/deb-*    Debian PHP sources;  DEST/ruby/deb-*  a Debian Ruby source
# commons-lang3 is the copy in the shared corpus (../shared/tools/fetch_corpus.sh); copy it
# into DEST/java. Re-running skips what is there. Usage: fetch_import_corpus.sh DEST
set -uo pipefail
dest=${1:?usage: fetch_import_corpus.sh DEST}
mkdir -p "$dest"/{java,kotlin,csharp,other,ruby} && dest=$(cd "$dest" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

apt="$work/apt"; mkdir -p "$apt"/{parts,lists/partial,cache/archives/partial} "$work/src"
sed -e 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources > "$apt/parts/src.sources"
A=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/parts" -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache")
deb() {  # deb GROUP PACKAGE...
  local group=$1; shift
  for p in "$@"; do
    [ -d "$dest/$group/deb-$p" ] && continue
    (cd "$work/src" && apt-get "${A[@]}" source -q "$p" >/dev/null 2>&1) || { echo "deb $p: source failed"; continue; }
    d=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d | head -1)
    [ -n "$d" ] && mv "$d" "$dest/$group/deb-$p" && echo "$group/deb-$p"
    rm -rf "$work/src"/*
  done
}
if apt-get "${A[@]}" update >/dev/null 2>&1; then
  deb java libjsoup-java libjson-simple-java libcommons-codec-java libcommons-collections4-java
  deb other php-league-commonmark php-guzzlehttp-psr7
  deb ruby ruby-hashie
else
  echo "apt-get update failed: Debian sources skipped"
fi
for p in react-native-screens expo-modules-core; do
  [ -d "$dest/kotlin/npm-$p" ] && continue
  f=$(cd "$work" && npm pack "$p" --silent 2>/dev/null | tail -1) || { echo "npm $p: pack failed"; continue; }
  [ -n "$f" ] && mkdir -p "$dest/kotlin/npm-$p" && tar xzf "$work/$f" -C "$dest/kotlin/npm-$p" --strip-components=1 && echo "kotlin/npm-$p"
done
if [ ! -d "$dest/csharp/pypi-pythonnet" ]; then
  pip download -q --no-deps --no-binary pythonnet -d "$work/pypi" pythonnet >/dev/null 2>&1 || echo "pypi pythonnet: download failed"
  f=$(ls "$work"/pypi/*.tar.gz 2>/dev/null | head -1)
  [ -n "$f" ] && mkdir -p "$dest/csharp/pypi-pythonnet" && tar xzf "$f" -C "$dest/csharp/pypi-pythonnet" --strip-components=1 && echo "csharp/pypi-pythonnet"
fi
